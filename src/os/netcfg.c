/*
 * netcfg.c - links, addresses and routes over rtnetlink (netcfg.h).  No RFC;
 * the interface is the kernel's rtnetlink(7) and netlink(7).
 *
 * Each request is one message with NLM_F_ACK, built in a local buffer:
 * the family header (ifinfomsg, ifaddrmsg, rtmsg), then rtattr attributes.
 * Replies are walked with explicit bounds checks and headers are copied out
 * with memcpy, never cast in place: they come from the kernel, but the same
 * discipline costs nothing.  NETLINK_CAP_ACK keeps our request out of the
 * error reply, and NETLINK_EXT_ACK asks the kernel to explain a refusal.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "netcfg.h"

#define NL_REQ_MAX	512
#define NL_RCV_MAX	8192
#define NL_TIMEOUT_S	2		/* the kernel answers at once; a bound */
#define NL_MAX_READS	16		/* messages not ours before giving up */

struct nl_req {
	union {
		struct nlmsghdr	h;
		uint8_t		b[NL_REQ_MAX];
	} u;
};

/* Collects what the caller wants from a reply message (route get). */
typedef void nl_reply_fn(const uint8_t *msg, size_t len, uint16_t type,
    void *ctx);

int
netcfg_open(struct netcfg *nc)
{
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	struct timeval tv = { .tv_sec = NL_TIMEOUT_S };
	int one = 1, saved;

	memset(nc, 0, sizeof(*nc));
	nc->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nc->fd < 0)
		return ERR_SYS;
	/* Both are optional comforts: older kernels lack them. */
	(void)setsockopt(nc->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
	    sizeof(one));
	(void)setsockopt(nc->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
	    sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (setsockopt(nc->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(nc->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nc->fd, (struct sockaddr *)&sa, &salen) < 0)
		goto fail;
	nc->portid = sa.nl_pid;
	return 0;
fail:
	saved = errno;
	close(nc->fd);
	nc->fd = -1;
	errno = saved;
	return ERR_SYS;
}

void
netcfg_close(struct netcfg *nc)
{
	if (nc->fd >= 0)
		close(nc->fd);
	nc->fd = -1;
}

const char *
netcfg_error(const struct netcfg *nc)
{
	return nc->err_msg;
}

/* --- building a request --- */

static void
nl_req_init(struct nl_req *req, uint16_t type, uint16_t flags,
    const void *hdr, size_t hdr_len)
{
	memset(req, 0, sizeof(*req));
	req->u.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(hdr_len);
	req->u.h.nlmsg_type = type;
	req->u.h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	memcpy(req->u.b + NLMSG_HDRLEN, hdr, hdr_len);
}

/* Our requests are a few attributes; the buffer is sized for them all. */
static int
nl_req_attr(struct nl_req *req, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(req->u.h.nlmsg_len);
	struct rtattr rta;

	if (off + RTA_SPACE(len) > sizeof(req->u.b))
		return ERR_NOSPACE;
	rta.rta_len = (unsigned short)RTA_LENGTH(len);
	rta.rta_type = type;
	memcpy(req->u.b + off, &rta, sizeof(rta));
	memcpy(req->u.b + off + RTA_LENGTH(0), data, len);
	req->u.h.nlmsg_len = (uint32_t)(off + RTA_LENGTH(len));
	return 0;
}

static int
nl_req_addr(struct nl_req *req, uint16_t type, const struct netcfg_addr *a)
{
	if (a->family == AF_INET)
		return nl_req_attr(req, type, &a->v4, sizeof(a->v4));
	return nl_req_attr(req, type, &a->v6, sizeof(a->v6));
}

/* --- reading the answer --- */

/*
 * Keeps the kernel's NLMSGERR_ATTR_MSG text, if the error carries one.  The
 * TLVs follow the struct nlmsgerr, plus the body of our request when the
 * kernel did not cap it (NETLINK_CAP_ACK refused).
 */
static void
nl_ext_ack(struct netcfg *nc, const uint8_t *msg, size_t len, uint16_t flags,
    const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);
	struct rtattr rta;

	if (!(flags & NLM_F_ACK_TLVS))
		return;
	if (!(flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	while (len >= off && len - off >= sizeof(rta)) {
		memcpy(&rta, msg + off, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > len - off)
			return;
		if (rta.rta_type == NLMSGERR_ATTR_MSG) {
			size_t n = rta.rta_len - RTA_LENGTH(0);

			if (n >= sizeof(nc->err_msg))
				n = sizeof(nc->err_msg) - 1;
			memcpy(nc->err_msg, msg + off + RTA_LENGTH(0), n);
			nc->err_msg[n] = '\0';
			return;
		}
		off += RTA_ALIGN(rta.rta_len);
	}
}

/*
 * Sends req and reads until the acknowledgement of its sequence number.
 * Replies of other types go to fn.  0 on ACK, ERR_SYS with errno = the
 * kernel's error, ERR_PROTO on a garbled reply.
 */
static int
nl_talk(struct netcfg *nc, struct nl_req *req, nl_reply_fn *fn, void *ctx)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr	h;
		uint8_t		b[NL_RCV_MAX];
	} rx;
	int reads;
	ssize_t n;

	nc->err_msg[0] = '\0';
	if (nc->fd < 0) {
		errno = EBADF;
		return ERR_SYS;
	}
	req->u.h.nlmsg_seq = ++nc->seq;
	req->u.h.nlmsg_pid = nc->portid;
	do
		n = sendto(nc->fd, req->u.b, req->u.h.nlmsg_len, 0,
		    (struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ERR_SYS;
	for (reads = 0; reads < NL_MAX_READS; reads++) {
		size_t len, off = 0;

		n = recv(nc->fd, rx.b, sizeof(rx.b), MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ERR_SYS;	/* EAGAIN: timed out */
		}
		if ((size_t)n > sizeof(rx.b))
			return ERR_PROTO;
		len = (size_t)n;
		while (len - off >= sizeof(struct nlmsghdr)) {
			struct nlmsghdr h;
			const uint8_t *body;
			size_t blen;

			memcpy(&h, rx.b + off, sizeof(h));
			if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
				return ERR_PROTO;
			body = rx.b + off + NLMSG_HDRLEN;
			blen = h.nlmsg_len - NLMSG_HDRLEN;
			off += NLMSG_ALIGN(h.nlmsg_len);
			if (off > len)
				off = len;
			if (h.nlmsg_seq != nc->seq || h.nlmsg_pid != nc->portid)
				continue;	/* not an answer to us */
			if (h.nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr e;

				if (blen < sizeof(e))
					return ERR_PROTO;
				memcpy(&e, body, sizeof(e));
				if (e.error == 0)
					return 0;
				nl_ext_ack(nc, body, blen, h.nlmsg_flags, &e);
				errno = e.error < 0 ? -e.error : e.error;
				return ERR_SYS;
			}
			if (h.nlmsg_type == NLMSG_DONE)
				return 0;
			if (fn != NULL)
				fn(body, blen, h.nlmsg_type, ctx);
		}
	}
	errno = ETIMEDOUT;
	return ERR_SYS;
}

/* --- links --- */

static int
nl_link_change(struct netcfg *nc, unsigned ifindex, unsigned flags,
    unsigned change, const uint32_t *mtu)
{
	struct ifinfomsg ifi;
	struct nl_req req;
	int ret;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_family = AF_UNSPEC;
	ifi.ifi_index = (int)ifindex;
	ifi.ifi_flags = flags;
	ifi.ifi_change = change;
	nl_req_init(&req, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	if (mtu != NULL &&
	    (ret = nl_req_attr(&req, IFLA_MTU, mtu, sizeof(*mtu))) != 0)
		return ret;
	return nl_talk(nc, &req, NULL, NULL);
}

int
netcfg_link_set_up(struct netcfg *nc, unsigned ifindex, bool up)
{
	return nl_link_change(nc, ifindex, up ? IFF_UP : 0, IFF_UP, NULL);
}

int
netcfg_link_set_mtu(struct netcfg *nc, unsigned ifindex, unsigned mtu)
{
	uint32_t v = mtu;

	if (mtu == 0)
		return ERR_INVAL;
	return nl_link_change(nc, ifindex, 0, 0, &v);
}

/* --- addresses --- */

static int
nl_addr_add(struct netcfg *nc, unsigned ifindex, unsigned prefix_len,
    unsigned flags, const struct netcfg_addr *local,
    const struct netcfg_addr *peer)
{
	struct ifaddrmsg ifa;
	struct nl_req req;
	int ret;

	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = (uint8_t)local->family;
	ifa.ifa_prefixlen = (uint8_t)prefix_len;
	ifa.ifa_flags = (uint8_t)flags;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;	/* IPv6 derives its own */
	ifa.ifa_index = ifindex;
	nl_req_init(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa,
	    sizeof(ifa));
	/* IFA_LOCAL is ours; IFA_ADDRESS is the peer on a p-t-p link. */
	if ((ret = nl_req_addr(&req, IFA_LOCAL, local)) != 0 ||
	    (ret = nl_req_addr(&req, IFA_ADDRESS, peer)) != 0)
		return ret;
	return nl_talk(nc, &req, NULL, NULL);
}

int
netcfg_addr4_add_ptp(struct netcfg *nc, unsigned ifindex,
    struct in_addr local, struct in_addr peer)
{
	struct netcfg_addr l = { .family = AF_INET, .v4 = local };
	struct netcfg_addr p = { .family = AF_INET, .v4 = peer };

	return nl_addr_add(nc, ifindex, 32, 0, &l, &p);
}

int
netcfg_addr6_add(struct netcfg *nc, unsigned ifindex,
    const struct in6_addr *local, unsigned prefix_len,
    const struct in6_addr *peer)
{
	struct netcfg_addr l = { .family = AF_INET6, .v6 = *local };
	struct netcfg_addr p = { .family = AF_INET6 };

	if (prefix_len > 128)
		return ERR_INVAL;
	p.v6 = peer != NULL ? *peer : *local;
	return nl_addr_add(nc, ifindex, prefix_len, IFA_F_NODAD, &l, &p);
}

/* --- routes --- */

static unsigned
addr_bits(int family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

static int
nl_route_change(struct netcfg *nc, uint16_t type, uint16_t flags,
    const struct netcfg_route *rt)
{
	int fam = rt->dst.family;
	bool has_gw = rt->gw.family != 0;
	struct nl_req req;
	struct rtmsg rtm;
	uint32_t oif = rt->ifindex;
	int ret;

	if (addr_bits(fam) == 0 || rt->dst_len > addr_bits(fam) ||
	    (has_gw && rt->gw.family != fam) ||
	    (type == RTM_NEWROUTE && !has_gw && rt->ifindex == 0))
		return ERR_INVAL;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (uint8_t)fam;
	rtm.rtm_dst_len = (uint8_t)rt->dst_len;
	rtm.rtm_table = RT_TABLE_MAIN;
	if (type == RTM_NEWROUTE) {
		rtm.rtm_protocol = RTPROT_STATIC;
		rtm.rtm_scope = has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
		rtm.rtm_type = RTN_UNICAST;
	} else {
		rtm.rtm_scope = RT_SCOPE_NOWHERE;	/* matches any */
	}
	nl_req_init(&req, type, flags, &rtm, sizeof(rtm));
	if ((rt->dst_len > 0 &&
	    (ret = nl_req_addr(&req, RTA_DST, &rt->dst)) != 0) ||
	    (has_gw && (ret = nl_req_addr(&req, RTA_GATEWAY, &rt->gw)) != 0) ||
	    (oif != 0 &&
	    (ret = nl_req_attr(&req, RTA_OIF, &oif, sizeof(oif))) != 0) ||
	    (rt->metric != 0 && (ret = nl_req_attr(&req, RTA_PRIORITY,
	    &rt->metric, sizeof(rt->metric))) != 0))
		return ret;
	return nl_talk(nc, &req, NULL, NULL);
}

int
netcfg_route_add(struct netcfg *nc, const struct netcfg_route *rt)
{
	return nl_route_change(nc, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, rt);
}

int
netcfg_route_del(struct netcfg *nc, const struct netcfg_route *rt)
{
	return nl_route_change(nc, RTM_DELROUTE, 0, rt);
}

struct route_get_ctx {
	struct netcfg_route	*out;
	bool			 got;
};

static void
route_get_attr(struct netcfg_addr *a, int family, const uint8_t *p, size_t n)
{
	if (family == AF_INET && n == sizeof(a->v4)) {
		a->family = AF_INET;
		memcpy(&a->v4, p, n);
	} else if (family == AF_INET6 && n == sizeof(a->v6)) {
		a->family = AF_INET6;
		memcpy(&a->v6, p, n);
	}
}

static void
route_get_reply(const uint8_t *msg, size_t len, uint16_t type, void *ctx)
{
	struct route_get_ctx *c = ctx;
	size_t off = NLMSG_ALIGN(sizeof(struct rtmsg));
	struct rtmsg rtm;
	struct rtattr rta;

	if (type != RTM_NEWROUTE || len < sizeof(rtm))
		return;
	memcpy(&rtm, msg, sizeof(rtm));
	while (len >= off && len - off >= sizeof(rta)) {
		const uint8_t *p = msg + off + RTA_LENGTH(0);
		size_t n;

		memcpy(&rta, msg + off, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > len - off)
			break;
		n = rta.rta_len - RTA_LENGTH(0);
		switch (rta.rta_type) {
		case RTA_OIF:
			if (n == sizeof(uint32_t)) {
				uint32_t oif;

				memcpy(&oif, p, sizeof(oif));
				c->out->ifindex = oif;
				c->got = true;
			}
			break;
		case RTA_GATEWAY:
			route_get_attr(&c->out->gw, rtm.rtm_family, p, n);
			break;
		case RTA_PREFSRC:
			route_get_attr(&c->out->src, rtm.rtm_family, p, n);
			break;
		case RTA_PRIORITY:
			if (n == sizeof(uint32_t))
				memcpy(&c->out->metric, p, n);
			break;
		}
		off += RTA_ALIGN(rta.rta_len);
	}
}

int
netcfg_route_get(struct netcfg *nc, const struct netcfg_addr *dst,
    struct netcfg_route *out)
{
	struct route_get_ctx c = { .out = out, .got = false };
	struct nl_req req;
	struct rtmsg rtm;
	int ret;

	memset(out, 0, sizeof(*out));
	if (addr_bits(dst->family) == 0)
		return ERR_INVAL;
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (uint8_t)dst->family;
	rtm.rtm_dst_len = (uint8_t)addr_bits(dst->family);
	nl_req_init(&req, RTM_GETROUTE, 0, &rtm, sizeof(rtm));
	if ((ret = nl_req_addr(&req, RTA_DST, dst)) != 0 ||
	    (ret = nl_talk(nc, &req, route_get_reply, &c)) != 0)
		return ret;
	if (!c.got)
		return ERR_PROTO;
	out->dst = *dst;
	out->dst_len = addr_bits(dst->family);
	return 0;
}

/* --- addresses as text --- */

int
netcfg_addr_parse(const char *s, struct netcfg_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return ERR_FORMAT;
}

void
netcfg_addr_print(const struct netcfg_addr *a, struct sbuf *sb)
{
	char buf[INET6_ADDRSTRLEN];

	if ((a->family == AF_INET &&
	    inet_ntop(AF_INET, &a->v4, buf, sizeof(buf)) != NULL) ||
	    (a->family == AF_INET6 &&
	    inet_ntop(AF_INET6, &a->v6, buf, sizeof(buf)) != NULL))
		sbuf_printf(sb, "%s", buf);
	else
		sbuf_printf(sb, "-");
}

bool
netcfg_addr_eq(const struct netcfg_addr *a, const struct netcfg_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->v6, &b->v6, sizeof(a->v6)) == 0;
	return true;
}

struct in_addr
netcfg_in4(uint32_t host_order)
{
	struct in_addr a;

	a.s_addr = htonl(host_order);
	return a;
}

uint32_t
netcfg_host4(struct in_addr a)
{
	return ntohl(a.s_addr);
}

uint16_t
netcfg_sin_port(const struct sockaddr_in *sin)
{
	return ntohs(sin->sin_port);
}

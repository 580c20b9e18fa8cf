/*
 * test_os.c - the OS edge of src/os: TUN, rtnetlink configuration and the
 * raw GRE socket.  (TCP is in test_os_tcp.c.)
 *
 * TUN, netcfg and raw GRE need root: each such test moves into a network
 * namespace of its own (unshare(CLONE_NEWNET)), works there with loopback
 * and addresses it made up, closes everything and returns to the original
 * namespace, which the kernel then destroys with all it held.  Without root
 * those tests fail and say why.  The IPv4 header check needs no privilege.
 * Every wait is a poll() with a timeout and every loop has a count bound.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "t.h"
#include "../src/os/gre_sock.h"
#include "../src/os/netcfg.h"
#include "../src/os/tun.h"
#include "../src/wire/ip.h"

#define WAIT_MS		1000

/* --- helpers --- */

static bool
wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, ms) == 1 && (p.revents & (events | POLLERR |
	    POLLHUP)) != 0;
}

/* Moves into a fresh network namespace; *saved is the way back. */
static bool
netns_enter(int *saved)
{
	*saved = -1;
	if (geteuid() != 0) {
		t_check(false, __FILE__, __LINE__, "this test needs root "
		    "(CAP_SYS_ADMIN for a network namespace, CAP_NET_ADMIN, "
		    "CAP_NET_RAW); run it as root, as CI does");
		return false;
	}
	if ((*saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0 ||
	    unshare(CLONE_NEWNET) < 0) {
		t_check(false, __FILE__, __LINE__, "cannot make a network "
		    "namespace: %s", strerror(errno));
		if (*saved >= 0)
			close(*saved);
		return false;
	}
	return true;
}

static void
netns_leave(int saved)
{
	CHECK_OK(setns(saved, CLONE_NEWNET));
	close(saved);
}

static struct in_addr
ip4(const char *s)
{
	struct in_addr a = { 0 };

	CHECK_EQ(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct netcfg_addr
naddr(const char *s)
{
	struct netcfg_addr a;

	CHECK_OK(netcfg_addr_parse(s, &a));
	return a;
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static struct netcfg_route
mkroute(const char *dst, unsigned len, const char *gw, unsigned ifindex)
{
	struct netcfg_route rt;

	memset(&rt, 0, sizeof(rt));
	rt.dst = naddr(dst);
	rt.dst_len = len;
	if (gw != NULL)
		rt.gw = naddr(gw);
	rt.ifindex = ifindex;
	return rt;
}

/* The printed form, for CHECK_STR (a static buffer: one use per check). */
static const char *
addr_text(const struct netcfg_addr *a)
{
	static char text[64];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	netcfg_addr_print(a, &sb);
	return sbuf_str(&sb);
}

static struct sockaddr_in
sin4(const char *ip, uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = ip4(ip);
	sin.sin_port = htons(port);
	return sin;
}

/* Builds IPv4 + UDP (checksum 0: none) around payload; returns length. */
static size_t
build_udp4(uint8_t *out, struct in_addr src, uint16_t sport,
    struct in_addr dst, uint16_t dport, const void *payload, size_t n)
{
	size_t tot = 20 + 8 + n;

	memset(out, 0, 28);
	out[0] = 0x45;
	put16(out + 2, (uint32_t)tot);
	out[8] = 64;
	out[9] = 17;
	memcpy(out + 12, &src, 4);
	memcpy(out + 16, &dst, 4);
	put16(out + 10, ip_csum_fold(ip_csum_add(0, out, 20)));
	put16(out + 20, sport);
	put16(out + 22, dport);
	put16(out + 24, (uint32_t)(8 + n));
	memcpy(out + 28, payload, n);
	return tot;
}

/* Opens netcfg and brings lo up (a new namespace starts with lo down). */
static bool
netns_setup(struct netcfg *nc)
{
	int ret;

	if ((ret = netcfg_open(nc)) != 0) {
		CHECK_OK(ret);
		return false;
	}
	CHECK_OK(netcfg_link_set_up(nc, if_nametoindex("lo"), true));
	return true;
}

/* A TUN "pptp%d" with 10.9.0.1 peer 10.9.0.2, MTU 1400, up. */
static bool
tun_setup(struct netcfg *nc, struct tun *tun)
{
	int ret;

	if ((ret = tun_open(tun, "pptp%d")) != 0) {
		CHECK_OK(ret);
		return false;
	}
	CHECK(strncmp(tun->name, "pptp", 4) == 0);
	CHECK(tun->ifindex != 0);
	CHECK_EQ(if_nametoindex(tun->name), tun->ifindex);
	{
		/* the transmit queue is lengthened (tun.c: TUN_TXQLEN) */
		struct ifreq ifr;
		int sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tun->name);
		CHECK(sk >= 0 && ioctl(sk, SIOCGIFTXQLEN, &ifr) == 0);
		CHECK_EQ(ifr.ifr_qlen, 2000);
		if (sk >= 0)
			close(sk);
	}
	CHECK_OK(netcfg_link_set_mtu(nc, tun->ifindex, 1400));
	CHECK_OK(netcfg_addr4_add_ptp(nc, tun->ifindex, ip4("10.9.0.1"),
	    ip4("10.9.0.2")));
	CHECK_OK(netcfg_link_set_up(nc, tun->ifindex, true));
	return true;
}

static int
ifreq_get(const char *name, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
	ret = ioctl(fd, req, ifr);
	close(fd);
	return ret;
}

/* Reads from the TUN until an IPv4 packet (IPv6 router solicitations and
 * MLD reports come and go on a fresh link). */
static size_t
tun_read_ipv4(struct tun *tun, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 20; i++) {
		if (!wait_fd(tun->fd, POLLIN, WAIT_MS))
			return 0;
		if (tun_read(tun, buf, cap, &n) != 0)
			return 0;
		if (n >= 20 && buf[0] >> 4 == 4)
			return n;
	}
	return 0;
}

/* --- TUN and netcfg --- */

TEST(tun_reads_what_the_kernel_routes_and_writes_what_it_delivers)
{
	static const char out_msg[] = "pptpkit: into the tunnel";
	static const char in_msg[] = "pptpkit: out of the tunnel";
	struct netcfg nc;
	struct tun tun;
	struct netcfg_route rt = mkroute("10.9.1.0", 24, NULL, 0);
	struct sockaddr_in to = sin4("10.9.1.5", 9999), from;
	struct sockaddr_in bound = sin4("10.9.0.1", 0);
	socklen_t flen = sizeof(from), blen = sizeof(bound);
	struct ifreq ifr;
	uint8_t pkt[2048];
	size_t n;
	int saved, us = -1;
	ssize_t got;
	char rbuf[64];

	if (!netns_enter(&saved))
		return;
	if (!netns_setup(&nc))
		goto out_ns;
	if (!tun_setup(&nc, &tun))
		goto out_nc;
	CHECK_OK(ifreq_get(tun.name, SIOCGIFMTU, &ifr));
	CHECK_EQ(ifr.ifr_mtu, 1400);
	CHECK_OK(ifreq_get(tun.name, SIOCGIFFLAGS, &ifr));
	CHECK(ifr.ifr_flags & IFF_UP);
	rt.ifindex = tun.ifindex;
	CHECK_OK(netcfg_route_add(&nc, &rt));

	/* Kernel -> TUN: a datagram to 10.9.1.5 is routed into the device. */
	us = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK_OK(bind(us, (struct sockaddr *)&bound, sizeof(bound)));
	CHECK_OK(getsockname(us, (struct sockaddr *)&bound, &blen));
	CHECK_EQ(sendto(us, out_msg, sizeof(out_msg), 0,
	    (struct sockaddr *)&to, sizeof(to)), (ssize_t)sizeof(out_msg));
	n = tun_read_ipv4(&tun, pkt, sizeof(pkt));
	CHECK_EQ(n, 20 + 8 + sizeof(out_msg));
	if (n == 20 + 8 + sizeof(out_msg)) {
		CHECK_EQ(pkt[0], 0x45);
		CHECK_EQ(pkt[9], 17);				/* UDP */
		CHECK_MEM(pkt + 12, &bound.sin_addr, 4);	/* 10.9.0.1 */
		CHECK_MEM(pkt + 16, &to.sin_addr, 4);		/* 10.9.1.5 */
		CHECK_EQ(pkt[22] << 8 | pkt[23], 9999);
		CHECK_MEM(pkt + 28, out_msg, sizeof(out_msg));
	}
	/* A buffer too small for the packet: the packet is reported lost. */
	CHECK_EQ(sendto(us, out_msg, sizeof(out_msg), 0,
	    (struct sockaddr *)&to, sizeof(to)), (ssize_t)sizeof(out_msg));
	CHECK(wait_fd(tun.fd, POLLIN, WAIT_MS));
	CHECK_ERR(tun_read(&tun, pkt, 16, &n), ERR_NOSPACE);
	for (n = 1; n > 0;)			/* empty the queue */
		if (tun_read(&tun, pkt, sizeof(pkt), &n) != 0)
			break;
	CHECK_OK(tun_read(&tun, pkt, sizeof(pkt), &n));
	CHECK_EQ(n, 0);

	/* TUN -> kernel: a packet from 10.9.1.5:7777 to our socket. */
	n = build_udp4(pkt, ip4("10.9.1.5"), 7777, ip4("10.9.0.1"),
	    ntohs(bound.sin_port), in_msg, sizeof(in_msg));
	CHECK_OK(tun_write(&tun, pkt, n));
	CHECK_ERR(tun_write(&tun, pkt, 0), ERR_INVAL);
	CHECK(wait_fd(us, POLLIN, WAIT_MS));
	got = recvfrom(us, rbuf, sizeof(rbuf), MSG_DONTWAIT,
	    (struct sockaddr *)&from, &flen);
	CHECK_EQ(got, (ssize_t)sizeof(in_msg));
	if (got == (ssize_t)sizeof(in_msg))
		CHECK_MEM(rbuf, in_msg, sizeof(in_msg));
	CHECK_EQ(from.sin_addr.s_addr, ip4("10.9.1.5").s_addr);
	CHECK_EQ(ntohs(from.sin_port), 7777);

	close(us);
	tun_close(&tun);
	CHECK_EQ(tun.fd, -1);
	tun_close(&tun);
	CHECK_EQ(if_nametoindex("pptp0"), 0);	/* the device went with it */
out_nc:
	netcfg_close(&nc);
out_ns:
	netns_leave(saved);
}

TEST(tun_open_rejects_a_name_too_long)
{
	struct tun tun;

	CHECK_ERR(tun_open(&tun, "a-name-longer-than-ifnamsiz"), ERR_INVAL);
	CHECK_EQ(tun.fd, -1);
}

/* Looks dst up; true if it leaves by ifindex via gw (NULL: on-link). */
static bool
route_via(struct netcfg *nc, const char *dst, unsigned ifindex, const char *gw,
    struct netcfg_route *got)
{
	struct netcfg_addr d = naddr(dst), none = { .family = 0 }, want = none;

	if (netcfg_route_get(nc, &d, got) != 0 ||
	    (gw != NULL && netcfg_addr_parse(gw, &want) != 0))
		return false;
	return got->ifindex == ifindex && netcfg_addr_eq(&got->gw, &want) &&
	    netcfg_addr_eq(&got->dst, &d);
}

TEST(netcfg_adds_looks_up_and_deletes_routes)
{
	struct netcfg nc;
	struct tun tun;
	struct netcfg_route rt, got;
	struct netcfg_addr dst;
	struct in6_addr ll;
	int saved;

	if (!netns_enter(&saved))
		return;
	if (!netns_setup(&nc))
		goto out_ns;
	if (!tun_setup(&nc, &tun))
		goto out_nc;

	/* The peer of a p-t-p address is on-link through the device. */
	CHECK(route_via(&nc, "10.9.0.2", tun.ifindex, NULL, &got));
	CHECK_EQ(got.dst_len, 32);
	CHECK_STR(addr_text(&got.src), "10.9.0.1");

	/* A network via the peer as gateway. */
	rt = mkroute("10.9.2.0", 24, "10.9.0.2", 0);
	CHECK_OK(netcfg_route_add(&nc, &rt));
	CHECK_ERR(netcfg_route_add(&nc, &rt), ERR_SYS);
	CHECK_EQ(errno, EEXIST);
	CHECK(route_via(&nc, "10.9.2.7", tun.ifindex, "10.9.0.2", &got));
	CHECK_STR(addr_text(&got.gw), "10.9.0.2");

	/* The client's move: a host route to "the server" pinned to the
	 * path found, before a default route could capture it. */
	rt = got;
	rt.src.family = 0;
	CHECK_OK(netcfg_route_add(&nc, &rt));
	CHECK_OK(netcfg_route_del(&nc, &rt));
	CHECK_ERR(netcfg_route_del(&nc, &rt), ERR_SYS);
	CHECK_EQ(errno, ESRCH);
	rt = mkroute("10.9.2.0", 24, "10.9.0.2", 0);
	CHECK_OK(netcfg_route_del(&nc, &rt));
	dst = naddr("10.9.2.7");
	CHECK_ERR(netcfg_route_get(&nc, &dst, &got), ERR_SYS);
	CHECK_EQ(errno, ENETUNREACH);

	rt = mkroute("0.0.0.0", 0, "10.9.0.2", 0);
	rt.metric = 50;
	CHECK_OK(netcfg_route_add(&nc, &rt));
	CHECK(route_via(&nc, "198.51.100.1", tun.ifindex, "10.9.0.2", &got));
	/* Loopback still wins for 127/8. */
	CHECK(route_via(&nc, "127.0.0.1", if_nametoindex("lo"), NULL, &got));

	/* IPv6: a link-local address, a route on-link, a route via the
	 * peer's link-local address. */
	CHECK_EQ(inet_pton(AF_INET6, "fe80::1", &ll), 1);
	CHECK_OK(netcfg_addr6_add(&nc, tun.ifindex, &ll, 64, NULL));
	CHECK_ERR(netcfg_addr6_add(&nc, tun.ifindex, &ll, 64, NULL), ERR_SYS);
	CHECK_EQ(errno, EEXIST);
	CHECK_ERR(netcfg_addr6_add(&nc, tun.ifindex, &ll, 129, NULL),
	    ERR_INVAL);
	rt = mkroute("2001:db8:5::", 64, NULL, tun.ifindex);
	CHECK_OK(netcfg_route_add(&nc, &rt));
	CHECK(route_via(&nc, "2001:db8:5::9", tun.ifindex, NULL, &got));
	CHECK_EQ(got.dst_len, 128);
	rt = mkroute("2001:db8:6::", 48, "fe80::2", tun.ifindex);
	CHECK_OK(netcfg_route_add(&nc, &rt));
	CHECK(route_via(&nc, "2001:db8:6:1::1", tun.ifindex, "fe80::2", &got));
	CHECK_STR(addr_text(&got.gw), "fe80::2");

	/* Refusals: by us (ERR_INVAL) and by the kernel (ERR_SYS, errno). */
	rt = mkroute("10.9.3.0", 24, NULL, 0);
	CHECK_ERR(netcfg_route_add(&nc, &rt), ERR_INVAL);  /* no gw, no dev */
	rt.dst_len = 33;
	rt.ifindex = tun.ifindex;
	CHECK_ERR(netcfg_route_add(&nc, &rt), ERR_INVAL);
	rt.dst_len = 24;
	rt.gw = naddr("fe80::2");
	CHECK_ERR(netcfg_route_add(&nc, &rt), ERR_INVAL);  /* mixed family */
	rt.gw = naddr("10.77.0.1");
	rt.ifindex = 0;
	CHECK_ERR(netcfg_route_add(&nc, &rt), ERR_SYS);	   /* gw unreachable */
	CHECK_EQ(errno, ENETUNREACH);
	CHECK_ERR(netcfg_addr4_add_ptp(&nc, tun.ifindex, ip4("10.9.0.1"),
	    ip4("10.9.0.2")), ERR_SYS);
	CHECK_EQ(errno, EEXIST);
	CHECK_ERR(netcfg_link_set_up(&nc, 999999, true), ERR_SYS);
	CHECK_EQ(errno, ENODEV);
	CHECK_ERR(netcfg_link_set_mtu(&nc, tun.ifindex, 0), ERR_INVAL);
	CHECK_ERR(netcfg_link_set_mtu(&nc, tun.ifindex, 70000), ERR_SYS);
	CHECK_EQ(errno, EINVAL);
	/* The kernel explained itself through the extended ACK. */
	CHECK(netcfg_error(&nc)[0] != '\0');
	t_note("kernel said: %s", netcfg_error(&nc));
	memset(&dst, 0, sizeof(dst));
	CHECK_ERR(netcfg_route_get(&nc, &dst, &got), ERR_INVAL);

	/* The link goes down and up again. */
	CHECK_OK(netcfg_link_set_up(&nc, tun.ifindex, false));
	CHECK_OK(netcfg_link_set_up(&nc, tun.ifindex, true));

	tun_close(&tun);
out_nc:
	netcfg_close(&nc);
	netcfg_close(&nc);
out_ns:
	netns_leave(saved);
}

TEST(netcfg_addr_parse_and_print)
{
	struct netcfg_addr a, b;

	CHECK_OK(netcfg_addr_parse("192.0.2.33", &a));
	CHECK_EQ(a.family, AF_INET);
	CHECK_OK(netcfg_addr_parse("2001:db8::1", &b));
	CHECK_EQ(b.family, AF_INET6);
	CHECK(!netcfg_addr_eq(&a, &b));
	CHECK_ERR(netcfg_addr_parse("192.0.2.256", &a), ERR_FORMAT);
	CHECK_EQ(a.family, 0);
	CHECK_ERR(netcfg_addr_parse("", &a), ERR_FORMAT);
	CHECK_STR(addr_text(&b), "2001:db8::1");
	CHECK_STR(addr_text(&a), "-");
}

/* --- raw GRE --- */

/* An enhanced GRE header (RFC 2637 4.1): K, S, version 1, 0x880B, call id
 * and sequence; then a few payload bytes that tell the packets apart. */
static size_t
build_gre(uint8_t *out, uint16_t call_id, uint32_t seq, uint8_t tag)
{
	static const uint8_t hdr[4] = { 0x30, 0x01, 0x88, 0x0b };
	size_t plen = 5 + tag % 7;

	memcpy(out, hdr, 4);
	put16(out + 4, (uint32_t)plen);
	put16(out + 6, call_id);
	put16(out + 8, seq >> 16);
	put16(out + 10, seq);
	memset(out + 12, tag, plen);
	return 12 + plen;
}

TEST(gre_sock_sends_and_receives_batches_on_loopback)
{
	struct netcfg nc;
	struct gre_sock *a = NULL, *b = NULL, *c = NULL;
	struct gre_pkt rx[GRE_SOCK_BATCH];
	const struct gre_sock_stats *st;
	struct in_addr la = ip4("127.0.0.1"), lb = ip4("127.0.0.2");
	uint8_t want[40][64], *slot;
	size_t want_len[40], n, cap, got = 0, i;
	int saved, calls, biggest = 0;
	bool seen[40] = { false }, all_ok = true;

	if (!netns_enter(&saved))
		return;
	if (!netns_setup(&nc))
		goto out_ns;
	CHECK_OK(gre_sock_open(&a, &la));
	CHECK_OK(gre_sock_open(&b, &lb));
	CHECK_OK(gre_sock_open(&c, &lb));
	if (a == NULL || b == NULL || c == NULL)
		goto out;
	/* c listens on the same address but only to a peer that is silent. */
	CHECK_OK(gre_sock_connect(c, ip4("127.0.0.9")));

	/* 40 packets: more than a batch, so tx_buf flushes once by itself;
	 * half built in place, half copied. */
	for (i = 0; i < 40; i++) {
		want_len[i] = build_gre(want[i], 0x1234, (uint32_t)i,
		    (uint8_t)i);
		if (i % 2 == 0) {
			slot = gre_sock_tx_buf(a, &cap);
			CHECK_EQ(cap, GRE_SOCK_PKT_MAX);
			memcpy(slot, want[i], want_len[i]);
			CHECK_OK(gre_sock_tx_commit(a, lb, want_len[i]));
		} else {
			CHECK_OK(gre_sock_send(a, lb, want[i], want_len[i]));
		}
	}
	CHECK_EQ(gre_sock_tx_pending(a), 40 - GRE_SOCK_BATCH);
	CHECK_OK(gre_sock_flush(a));
	CHECK_EQ(gre_sock_tx_pending(a), 0);
	st = gre_sock_stats(a);
	CHECK_EQ(st->tx_packets, 40);
	CHECK_EQ(st->tx_dropped, 0);
	CHECK_ERR(gre_sock_send(a, lb, want[0], 0), ERR_INVAL);
	CHECK_ERR(gre_sock_send(a, lb, want[0], GRE_SOCK_PKT_MAX + 1),
	    ERR_INVAL);

	for (calls = 0; calls < 50 && got < 40; calls++) {
		if (!wait_fd(gre_sock_fd(b), POLLIN, WAIT_MS))
			break;
		CHECK_OK(gre_sock_recv(b, rx, GRE_SOCK_BATCH, &n));
		if ((int)n > biggest)
			biggest = (int)n;
		for (i = 0; i < n; i++) {
			uint32_t seq;

			if (rx[i].len < 12) {
				all_ok = false;
				continue;
			}
			seq = (uint32_t)rx[i].gre[8] << 24 |
			    (uint32_t)rx[i].gre[9] << 16 |
			    (uint32_t)rx[i].gre[10] << 8 | rx[i].gre[11];
			if (seq >= 40 || seen[seq] ||
			    rx[i].len != want_len[seq] ||
			    memcmp(rx[i].gre, want[seq], rx[i].len) != 0 ||
			    rx[i].src.s_addr != la.s_addr ||
			    rx[i].dst.s_addr != lb.s_addr) {
				all_ok = false;
				continue;
			}
			seen[seq] = true;
			got++;
		}
	}
	CHECK_EQ(got, 40);
	CHECK(all_ok);
	CHECK(biggest > 1);		/* recvmmsg returned a real batch */
	t_note("largest batch %d packets in %d calls", biggest, calls);
	st = gre_sock_stats(b);
	CHECK_EQ(st->rx_packets, 40);
	CHECK_EQ(st->rx_bad_ip, 0);
	CHECK_EQ(st->rx_truncated, 0);
	/* Nothing more for b, nothing for a (bound elsewhere), nothing for
	 * c (connected to another peer). */
	CHECK_OK(gre_sock_recv(b, rx, GRE_SOCK_BATCH, &n));
	CHECK_EQ(n, 0);
	CHECK_OK(gre_sock_recv(a, rx, GRE_SOCK_BATCH, &n));
	CHECK_EQ(n, 0);
	CHECK_OK(gre_sock_recv(c, rx, GRE_SOCK_BATCH, &n));
	CHECK_EQ(n, 0);
	CHECK_ERR(gre_sock_recv(b, rx, 0, &n), ERR_INVAL);

	/* A packet to an address nobody routes is refused and counted. */
	CHECK_OK(gre_sock_send(a, ip4("10.255.0.1"), want[0], want_len[0]));
	CHECK_ERR(gre_sock_flush(a), ERR_SYS);
	CHECK_EQ(errno, ENETUNREACH);
	st = gre_sock_stats(a);
	CHECK_EQ(st->tx_dropped, 1);
	CHECK_EQ(st->tx_last_errno, ENETUNREACH);
out:
	gre_sock_close(a);
	gre_sock_close(b);
	gre_sock_close(c);
	gre_sock_close(NULL);
	netcfg_close(&nc);
out_ns:
	netns_leave(saved);
}

TEST(gre_sock_open_without_the_local_address_fails)
{
	struct gre_sock *s = (struct gre_sock *)&s;
	struct in_addr nowhere;
	struct netcfg nc;
	int saved;

	if (!netns_enter(&saved))
		return;
	/* With lo up: a namespace whose lo is down has no local table yet,
	 * and the kernel then lets any address be bound. */
	if (netns_setup(&nc)) {
		nowhere = ip4("192.0.2.77");
		CHECK_ERR(gre_sock_open(&s, &nowhere), ERR_SYS);
		CHECK_EQ(errno, EADDRNOTAVAIL);
		CHECK(s == NULL);
		netcfg_close(&nc);
	}
	netns_leave(saved);
}

/* A valid IPv4+GRE packet: 20-byte header, 12 bytes of GRE-ish payload. */
static size_t
ipv4_sample(uint8_t *p, size_t ihl_words)
{
	size_t ihl = ihl_words * 4, tot = ihl + 12;

	memset(p, 0, tot);
	p[0] = (uint8_t)(0x40 | ihl_words);
	put16(p + 2, (uint32_t)tot);
	p[8] = 64;
	p[9] = 47;
	p[12] = 192, p[13] = 0, p[14] = 2, p[15] = 1;
	p[16] = 198, p[17] = 51, p[18] = 100, p[19] = 7;
	for (size_t i = 20; i < ihl; i++)
		p[i] = 0x01;				/* NOP options */
	memcpy(p + ihl, "\x30\x01\x88\x0b\x00\x00\x12\x34\x00\x00\x00\x09",
	    12);
	return tot;
}

TEST(gre_sock_parse_ipv4_checks_every_header_field_it_uses)
{
	uint8_t p[80], m[80];
	struct gre_pkt g;
	size_t len, cut;
	int bit, bad = 0;

	len = ipv4_sample(p, 5);
	CHECK_OK(gre_sock_parse_ipv4(p, len, &g));
	CHECK_EQ(g.len, 12);
	CHECK(g.gre == p + 20);
	CHECK_EQ(g.src.s_addr, ip4("192.0.2.1").s_addr);
	CHECK_EQ(g.dst.s_addr, ip4("198.51.100.7").s_addr);
	/* Options: IHL 6 moves the GRE part to byte 24. */
	len = ipv4_sample(p, 6);
	CHECK_OK(gre_sock_parse_ipv4(p, len, &g));
	CHECK(g.gre == p + 24);
	CHECK_EQ(g.len, 12);
	/* Link padding after the total length is not payload. */
	len = ipv4_sample(p, 5);
	p[len] = 0xee;
	CHECK_OK(gre_sock_parse_ipv4(p, len + 1, &g));
	CHECK_EQ(g.len, 12);

	/* Every truncation fails. */
	for (cut = 0; cut < len; cut++)
		if (gre_sock_parse_ipv4(p, cut, &g) == 0)
			bad++;
	CHECK_EQ(bad, 0);
	CHECK_ERR(gre_sock_parse_ipv4(p, 0, &g), ERR_TRUNCATED);
	CHECK_ERR(gre_sock_parse_ipv4(p, 19, &g), ERR_TRUNCATED);

	memcpy(m, p, len);
	m[0] = 0x65;					/* version 6 */
	CHECK_ERR(gre_sock_parse_ipv4(m, len, &g), ERR_VERSION);
	m[0] = 0x44;					/* IHL 16 bytes */
	CHECK_ERR(gre_sock_parse_ipv4(m, len, &g), ERR_LENGTH);
	m[0] = 0x4f;					/* IHL 60 > len 32 */
	CHECK_ERR(gre_sock_parse_ipv4(m, len, &g), ERR_TRUNCATED);
	memcpy(m, p, len);
	m[3] = 19;					/* tot_len < IHL */
	CHECK_ERR(gre_sock_parse_ipv4(m, len, &g), ERR_LENGTH);
	m[3] = (uint8_t)(len + 1);			/* tot_len > len */
	CHECK_ERR(gre_sock_parse_ipv4(m, len, &g), ERR_TRUNCATED);
	memcpy(m, p, len);
	m[9] = 17;					/* UDP, not GRE */
	CHECK_ERR(gre_sock_parse_ipv4(m, len, &g), ERR_PROTO);
	memcpy(m, p, len);
	m[3] = 20;					/* empty payload */
	CHECK_OK(gre_sock_parse_ipv4(m, len, &g));
	CHECK_EQ(g.len, 0);

	/* Every single-bit flip: an error, or a result inside the input. */
	for (bit = 0; bit < (int)len * 8; bit++) {
		int ret;

		memcpy(m, p, len);
		m[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ret = gre_sock_parse_ipv4(m, len, &g);
		if (ret == 0 && (g.gre < m + 20 || g.gre + g.len > m + len))
			bad++;
		if (ret != 0 && ret != ERR_VERSION && ret != ERR_LENGTH &&
		    ret != ERR_TRUNCATED && ret != ERR_PROTO)
			bad++;
	}
	CHECK_EQ(bad, 0);
}

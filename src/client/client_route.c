/*
 * client_route.c - the client's routes (client.h): the host route that
 * keeps the server outside the tunnel, the routes into the tunnel
 * (--route prefixes, --default-route as the two /1 halves of the IPv4
 * space), and their removal.  All through rtnetlink (src/os/netcfg.h).
 *
 * Why a pinned host route: once traffic to the server's address would
 * enter the tunnel, the GRE packets carrying the tunnel would be routed
 * into the tunnel itself, and the link dies (or loops).  A /32 through the
 * path the server is reached by today is more specific than anything we
 * add, so it wins.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "client.h"

#define ROUTE_PREFIX	"client route"

static unsigned
family_bits(int family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

/* true when no bit past len is set in a. */
static bool
prefix_clean(const struct netcfg_addr *a, unsigned len)
{
	const uint8_t *p = a->family == AF_INET ?
	    (const uint8_t *)&a->v4 : a->v6.s6_addr;
	unsigned nbytes = family_bits(a->family) / 8, i;

	for (i = 0; i < nbytes; i++) {
		unsigned first = i * 8;
		uint8_t mask;

		if (first + 8 <= len)
			continue;
		mask = first >= len ? 0xff : (uint8_t)(0xff >> (len - first));
		if ((p[i] & mask) != 0)
			return false;
	}
	return true;
}

int
client_route_parse(const char *s, struct client_route *r)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned long len;
	char *end;

	memset(r, 0, sizeof(*r));
	if (n == 0 || n >= sizeof(addr))
		return ERR_FORMAT;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (netcfg_addr_parse(addr, &r->dst) != 0)
		return ERR_FORMAT;
	if (slash == NULL) {
		r->len = family_bits(r->dst.family);
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return ERR_FORMAT;
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || errno != 0)
		return ERR_FORMAT;
	if (len > family_bits(r->dst.family))
		return ERR_RANGE;
	r->len = (unsigned)len;
	if (!prefix_clean(&r->dst, r->len))
		return ERR_RANGE;
	return 0;
}

void
client_route_print(const struct client_route *r, struct sbuf *sb)
{
	netcfg_addr_print(&r->dst, sb);
	sbuf_printf(sb, "/%u", r->len);
}

static void
route_text(const struct netcfg_route *rt, char *buf, size_t cap)
{
	struct sbuf sb;

	sbuf_init(&sb, buf, cap);
	netcfg_addr_print(&rt->dst, &sb);
	sbuf_printf(&sb, "/%u", rt->dst_len);
	if (rt->gw.family != 0) {
		sbuf_printf(&sb, " via ");
		netcfg_addr_print(&rt->gw, &sb);
	}
	if (rt->ifindex != 0)
		sbuf_printf(&sb, " ifindex=%u", rt->ifindex);
}

static void
log_refusal(const struct netcfg *nc, const char *what, const char *text)
{
	const char *kmsg = netcfg_error(nc);

	log_msg(LOG_WARN, ROUTE_PREFIX, "%s %s failed: %s%s%s", what, text,
	    strerror(errno), kmsg[0] != '\0' ? ": " : "", kmsg);
}

int
client_routes_pin(struct client_routes *rs, struct netcfg *nc,
    struct in_addr server)
{
	struct netcfg_addr dst = { .family = AF_INET };
	struct netcfg_route now, pin;
	char text[160];
	int ret, saved;

	if (rs->pinned)
		return 0;
	dst.v4 = server;
	if ((ret = netcfg_route_get(nc, &dst, &now)) != 0) {
		saved = errno;
		log_msg(LOG_ERROR, ROUTE_PREFIX, "no route to the server: %s",
		    ret == ERR_SYS ? strerror(errno) : err_str(ret));
		errno = saved;
		return ERR_SYS;
	}
	memset(&pin, 0, sizeof(pin));
	pin.dst = dst;
	pin.dst_len = 32;
	pin.gw = now.gw;
	pin.ifindex = now.ifindex;
	route_text(&pin, text, sizeof(text));
	if ((ret = netcfg_route_add(nc, &pin)) != 0) {
		if (ret == ERR_SYS && errno == EEXIST) {
			/* Someone (an earlier run, the admin) pinned it. */
			log_msg(LOG_INFO, ROUTE_PREFIX, "host route to the "
			    "server exists already: %s", text);
			return 0;
		}
		saved = errno;
		log_refusal(nc, "pinning host route", text);
		errno = saved;
		return ERR_SYS;
	}
	rs->pin = pin;
	rs->pinned = true;
	log_msg(LOG_INFO, ROUTE_PREFIX, "pinned host route to the server "
	    "outside the tunnel: %s", text);
	return 0;
}

void
client_routes_unpin(struct client_routes *rs, struct netcfg *nc)
{
	char text[160];

	if (!rs->pinned)
		return;
	rs->pinned = false;
	route_text(&rs->pin, text, sizeof(text));
	if (netcfg_route_del(nc, &rs->pin) != 0 && errno != ESRCH)
		log_refusal(nc, "removing host route", text);
	else
		log_msg(LOG_INFO, ROUTE_PREFIX, "removed host route %s", text);
}

static void
route_add_one(struct client_routes *rs, struct netcfg *nc,
    const struct netcfg_addr *dst, unsigned len, unsigned ifindex,
    const char *ifname)
{
	struct netcfg_route rt;
	char text[160];

	if (rs->nadded >= sizeof(rs->added) / sizeof(rs->added[0]))
		return;
	memset(&rt, 0, sizeof(rt));
	rt.dst = *dst;
	rt.dst_len = len;
	rt.ifindex = ifindex;
	route_text(&rt, text, sizeof(text));
	if (netcfg_route_add(nc, &rt) != 0) {
		log_refusal(nc, "adding route", text);
		return;
	}
	rs->added[rs->nadded++] = rt;
	log_msg(LOG_INFO, ROUTE_PREFIX, "added %s dev %s", text, ifname);
}

void
client_routes_add(struct client_routes *rs, struct netcfg *nc,
    const struct client_config *cfg, unsigned ifindex, const char *ifname)
{
	struct netcfg_addr half = { .family = AF_INET };
	unsigned i;

	if (rs->nadded > 0)
		return;		/* IPCP renegotiated: the routes stand */
	if (cfg->default_route) {
		/* 0.0.0.0/1 and 128.0.0.0/1: beat the default route
		 * without touching it. */
		half.v4.s_addr = 0;
		route_add_one(rs, nc, &half, 1, ifindex, ifname);
		half.v4 = netcfg_in4(0x80000000u);
		route_add_one(rs, nc, &half, 1, ifindex, ifname);
	}
	for (i = 0; i < cfg->nroutes && i < CLIENT_ROUTES_MAX; i++)
		route_add_one(rs, nc, &cfg->routes[i].dst, cfg->routes[i].len,
		    ifindex, ifname);
}

void
client_routes_del(struct client_routes *rs, struct netcfg *nc)
{
	char text[160];
	unsigned i;

	for (i = rs->nadded; i-- > 0;) {
		route_text(&rs->added[i], text, sizeof(text));
		/* ESRCH/ENODEV: gone with the device already. */
		if (netcfg_route_del(nc, &rs->added[i]) != 0 &&
		    errno != ESRCH && errno != ENODEV)
			log_refusal(nc, "removing route", text);
	}
	rs->nadded = 0;
}

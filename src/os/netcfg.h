/*
 * netcfg.h - interface and route configuration over rtnetlink.
 *
 * What the server and the client need once a PPP link is up (RFC 1332 IPCP,
 * RFC 5072 IPV6CP have negotiated the addresses): bring the TUN link up, set
 * its MTU, give it a point-to-point IPv4 address (local + peer) and an IPv6
 * link-local address, add routes through it; and for the client, find the
 * route the server is reached by today (output interface and gateway), so a
 * host route to the server can stay outside the tunnel when the default
 * route moves into it.
 *
 * Everything goes over one NETLINK_ROUTE socket (no shelling out to `ip`),
 * with a request, then a wait for the kernel's acknowledgement.  The socket
 * belongs to the network namespace it was opened in.  A refusal by the kernel
 * is ERR_SYS with errno set to the kernel's error (EEXIST, ENODEV, EINVAL,
 * ENETUNREACH, EPERM...), and the kernel's own explanation, when it gives one
 * (extended ACK), is kept for netcfg_error().
 *
 * These calls block for one kernel round trip (microseconds); they are for
 * set-up and tear-down, not for the packet path.  Functions return 0 or a
 * negative ERR_* of err.h.
 */
#ifndef PPTPKIT_OS_NETCFG_H
#define PPTPKIT_OS_NETCFG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"

struct netcfg {
	int		fd;		/* NETLINK_ROUTE socket, -1 when closed */
	uint32_t	portid;		/* our netlink address */
	uint32_t	seq;		/* last request's sequence number */
	char		err_msg[160];	/* kernel's message for the last error */
};

/* An IPv4 or IPv6 address; family 0 means "none". */
struct netcfg_addr {
	int	family;			/* AF_INET, AF_INET6 or 0 */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	};
};

/*
 * A route.  For netcfg_route_add/del: dst/dst_len (dst_len 0 is a default
 * route), and a gateway, an interface, or both.  From netcfg_route_get: the
 * looked-up destination as a host route, the gateway (family 0 when the
 * destination is on-link), the output interface and the preferred source.
 */
struct netcfg_route {
	struct netcfg_addr	dst;
	unsigned		dst_len;	/* prefix length */
	struct netcfg_addr	gw;		/* family 0: no gateway */
	unsigned		ifindex;	/* 0: any / chosen by the gateway */
	uint32_t		metric;		/* 0: kernel default */
	struct netcfg_addr	src;		/* route_get only: preferred source */
};

/* Opens the netlink socket in the current network namespace.  ERR_SYS. */
int netcfg_open(struct netcfg *nc) MUST_CHECK;

/* Closes it; a closed netcfg may be closed again. */
void netcfg_close(struct netcfg *nc);

/* The kernel's explanation of the last failed request, or "" if it gave
 * none (errno then says it all). */
const char *netcfg_error(const struct netcfg *nc);

/* Sets the link up (IFF_UP) or down.  ERR_SYS (ENODEV). */
int netcfg_link_set_up(struct netcfg *nc, unsigned ifindex, bool up) MUST_CHECK;

/* Sets the link MTU.  ERR_INVAL for 0; ERR_SYS (EINVAL: out of the device's
 * range). */
int netcfg_link_set_mtu(struct netcfg *nc, unsigned ifindex,
    unsigned mtu) MUST_CHECK;

/*
 * Adds the point-to-point IPv4 address `local peer peer/32` to the link, as
 * PPP does: the kernel then routes `peer` through the link.  ERR_SYS
 * (EEXIST if the address is there already, ENODEV).
 */
int netcfg_addr4_add_ptp(struct netcfg *nc, unsigned ifindex,
    struct in_addr local, struct in_addr peer) MUST_CHECK;

/*
 * Adds an IPv6 address, without duplicate address detection (a PPP link has
 * exactly two ends and IPV6CP already made the identifiers differ):
 * `local/prefix_len`, or with peer not NULL `local peer peer/prefix_len`.
 * For IPV6CP: local fe80::<our interface-identifier>, prefix_len 64 (or 128
 * with the peer's fe80:: address).  ERR_INVAL for prefix_len > 128; ERR_SYS.
 */
int netcfg_addr6_add(struct netcfg *nc, unsigned ifindex,
    const struct in6_addr *local, unsigned prefix_len,
    const struct in6_addr *peer) MUST_CHECK;

/*
 * Adds a route to the main table: via rt->gw when its family is set, out of
 * rt->ifindex when it is not 0 (on-link when there is no gateway).  The
 * families of dst and gw must match.  ERR_INVAL (bad family, prefix length,
 * neither gateway nor interface), ERR_SYS (EEXIST, ENETUNREACH: gateway not
 * reachable, ENODEV).
 */
int netcfg_route_add(struct netcfg *nc,
    const struct netcfg_route *rt) MUST_CHECK;

/* Deletes a route from the main table; the fields set must match it.
 * ERR_INVAL, ERR_SYS (ESRCH: no such route). */
int netcfg_route_del(struct netcfg *nc, const struct netcfg_route *rt);

/*
 * Asks the kernel how it would reach dst now (`ip route get`): fills *out
 * with dst/32 or dst/128, the gateway if any, the output interface and the
 * preferred source address.  ERR_INVAL (bad family), ERR_SYS (ENETUNREACH,
 * EHOSTUNREACH when there is no route), ERR_PROTO if the answer lacks an
 * output interface.
 */
int netcfg_route_get(struct netcfg *nc, const struct netcfg_addr *dst,
    struct netcfg_route *out) MUST_CHECK;

/* Parses "10.0.0.1" or "fe80::1" into *out.  ERR_FORMAT if it is neither. */
/* IPv4 addresses between the host-order uint32_t the cores and the config
 * use and the network-order struct in_addr of the socket API (the byte
 * order stays in src/os and src/wire). */
struct in_addr netcfg_in4(uint32_t host_order);
uint32_t netcfg_host4(struct in_addr a);
/* The port of a sockaddr_in, host order. */
uint16_t netcfg_sin_port(const struct sockaddr_in *sin);

int netcfg_addr_parse(const char *s, struct netcfg_addr *out) MUST_CHECK;

/* Prints a in standard text form ("-" for none). */
void netcfg_addr_print(const struct netcfg_addr *a, struct sbuf *sb);

/* true when both are the same family and address (both none: true). */
bool netcfg_addr_eq(const struct netcfg_addr *a, const struct netcfg_addr *b);

#endif

/*
 * client.h - the PPTP client (the PNS of RFC 2637 section 1.3): one
 * control connection to a server, one outgoing call, PPP in the client
 * role over it, a TUN device with the negotiated address, routes into the
 * tunnel, and reconnection when the link drops.
 *
 *   TCP connect to SERVER:1723 -> control connection (src/pptp/ctrl.h, PNS:
 *   SCCRQ/SCCRP, RFC 2637 2.1-2.2) -> Outgoing-Call-Request with a random
 *   Call ID (2.7) -> Outgoing-Call-Reply gives the server's Call ID (2.8)
 *   -> tunnel call (src/tunnel/call.h: GRE window, PPP, TUN) -> LCP,
 *   MS-CHAPv2, CCP/MPPE, IPCP -> IP_UP: the TUN has the address, our
 *   routes go in, one line says the address and the DNS servers.
 *
 * Tear-down follows RFC 2637 3.1.2 and RFC 1661 3.7: PPP Terminate, then
 * Call-Clear-Request and the Call-Disconnect-Notify, then
 * Stop-Control-Connection-Request/-Reply, then TCP closes; the whole of it
 * bounded by teardown_ms, after which the control connection is aborted.
 *
 * The route to the server stays outside the tunnel: before any route goes
 * into the tunnel, the client looks up how the server is reached now and
 * pins a host route to it through the same gateway and interface.  The
 * default route is left in place; --default-route adds 0.0.0.0/1 and
 * 128.0.0.0/1 through the tunnel, more specific than any default route, so
 * all IPv4 traffic enters the tunnel while the original default takes over
 * again the moment the TUN device goes (even if the client is killed).
 * Everything the client added is removed when it exits.
 *
 * Every failure names its stage and cause in an error log line and ends
 * the run with a distinct exit status (enum client_exit).  A link that was
 * up and drops (control connection lost, PPP ended by the server or by
 * Echo time-outs) is reconnected after 1, 2, 4 ... up to backoff_max_ms;
 * authentication and MPPE refusals and local faults are never retried, and
 * before the first link-up nothing is retried: the first failure exits.
 */
#ifndef PPTPKIT_CLIENT_CLIENT_H
#define PPTPKIT_CLIENT_CLIENT_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "../base/err.h"
#include "../os/netcfg.h"
#include "../ppp/ppp.h"

#define CLIENT_ROUTES_MAX	32	/* --route prefixes */
#define CLIENT_HOST_MAX		256	/* the server as given */
#define CLIENT_MSG_MAX		400	/* the failure message */

/* Exit statuses of `pptpkit client` (documented in its --help). */
enum client_exit {
	CLIENT_EXIT_OK = 0,		/* stopped by SIGINT/SIGTERM */
	CLIENT_EXIT_LOCAL = 1,		/* local fault: raw socket, TUN,
					 * netlink, memory */
	CLIENT_EXIT_USAGE = 2,		/* bad arguments or configuration */
	CLIENT_EXIT_TCP = 3,		/* TCP refused, unreachable, timed out */
	CLIENT_EXIT_CONTROL = 4,	/* control connection or call refused
					 * or ended before PPP */
	CLIENT_EXIT_NO_GRE = 5,		/* call accepted, no GRE arrived */
	CLIENT_EXIT_AUTH = 6,		/* authentication failed (E=691...) */
	CLIENT_EXIT_MPPE = 7,		/* MPPE refused (both offers named) */
	CLIENT_EXIT_PPP = 8,		/* other PPP negotiation failure */
	CLIENT_EXIT_LINK_LOST = 9,	/* the link was up and dropped, and
					 * reconnection is off */
};

/* A route into the tunnel: dst/len through the TUN device. */
struct client_route {
	struct netcfg_addr	dst;
	unsigned		len;
};

struct client_config {
	struct in_addr	 server;	/* IPv4: GRE is IPv4 only here */
	char		 server_name[CLIENT_HOST_MAX]; /* as given, for logs */
	uint16_t	 port;		/* default 1723 */
	/* PPP, client role: credentials, auth and MPPE policy, MRU, IPv6 */
	struct ppp_config ppp;
	char		 tun_name[IFNAMSIZ]; /* default "pptp%d" */
	bool		 default_route;	/* all IPv4 into the tunnel */
	struct client_route routes[CLIENT_ROUTES_MAX];
	unsigned	 nroutes;
	bool		 reconnect;	/* default true */
	bool		 mss_clamp;	/* default true */
	uint32_t	 connect_timeout_ms; /* TCP, SCCRP, OCRP each; 10000 */
	uint32_t	 gre_timeout_ms;	/* first GRE after the call; 10000 */
	uint32_t	 teardown_ms;	/* whole orderly tear-down; 4000 */
	uint32_t	 backoff_max_ms; /* reconnect delay cap; 60000 */
	uint32_t	 echo_idle_ms;	/* control Echo-Request; 60000 */
};

/* Fills c with the defaults above: PPP client defaults (MS-CHAPv2 only,
 * MPPE-128 required, stateless), port 1723, server 0.0.0.0. */
void client_config_default(struct client_config *c);

/*
 * Runs the client until it is stopped (SIGINT or SIGTERM, handled through
 * the event loop), fails for good, or the link drops with reconnection
 * off.  Needs CAP_NET_RAW (GRE) and CAP_NET_ADMIN (TUN, routes).  Logs
 * through src/base/log.h.  Returns the exit status (enum client_exit);
 * never exits the process itself.  cfg is not modified; its password is
 * copied and the copies are wiped before returning.
 */
int client_run(const struct client_config *cfg);

/* "ok", "local-error", "usage", "tcp", "control", "no-gre",
 * "auth-failed", "mppe-refused", "ppp-failed", "link-lost"; "?" else. */
const char *client_exit_name(int code);

/* --- routes (client_route.c) --- */

/*
 * What the client added to the routing table, so it can take exactly that
 * away again.  The pinned host route is kept for the whole run (across
 * reconnections); the tunnel routes live as long as one TUN device.
 */
struct client_routes {
	bool			pinned;		/* we added the host route */
	struct netcfg_route	pin;
	unsigned		nadded;
	struct netcfg_route	added[CLIENT_ROUTES_MAX + 2];
};

/* Parses "10.0.0.0/8", "192.0.2.7" (a host), "2001:db8::/32" into *r;
 * the address must be the prefix's first (no host bits set).  0,
 * ERR_FORMAT (not an address), ERR_RANGE (bad length or host bits). */
int client_route_parse(const char *s, struct client_route *r) MUST_CHECK;

/* Prints "10.0.0.0/8". */
void client_route_print(const struct client_route *r, struct sbuf *sb);

/*
 * Looks up the route to server now and adds the same as a host route
 * (server/32 via the gateway, out of the interface), so that traffic to
 * the server keeps its path when routes into the tunnel are added.  An
 * identical route already present is fine (nothing recorded, nothing to
 * remove).  0, or ERR_SYS (errno: ENETUNREACH when there is no route)
 * with the reason logged.
 */
int client_routes_pin(struct client_routes *rs, struct netcfg *nc,
    struct in_addr server) MUST_CHECK;

/* Removes the pinned host route if we added it. */
void client_routes_unpin(struct client_routes *rs, struct netcfg *nc);

/*
 * Adds the routes of cfg (--route prefixes, --default-route's two /1
 * halves) through ifindex.  A route that cannot be added is logged and
 * skipped (the link stays useful).  Routes already added for this device
 * are not added twice.
 */
void client_routes_add(struct client_routes *rs, struct netcfg *nc,
    const struct client_config *cfg, unsigned ifindex, const char *ifname);

/* Removes the tunnel routes added (those the kernel already removed with
 * the device are skipped quietly). */
void client_routes_del(struct client_routes *rs, struct netcfg *nc);

#endif

/*
 * client_link.c - the client's tunnel call (src/tunnel/call.h, PNS role):
 * created once the Outgoing-Call-Reply (RFC 2637 2.8) gave the server's
 * Call ID and window; PPP in the client role over it (RFC 1661 phases,
 * MS-CHAPv2 RFC 2759, MPPE RFC 3078, IPCP RFC 1332 with the DNS servers of
 * RFC 1877); the address line and the routes at IP_UP; the reasons PPP
 * gives at DOWN turned into the client's exit statuses; and the watchdog
 * that notices a call that is up while no GRE ever arrives (a firewall or
 * NAT that passes TCP 1723 but not IP protocol 47).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../base/log.h"
#include "../base/secret.h"
#include "client_int.h"

static void
ip4_print(struct sbuf *sb, uint32_t host_order)
{
	sbuf_printf(sb, "%u.%u.%u.%u", host_order >> 24,
	    (host_order >> 16) & 0xff, (host_order >> 8) & 0xff,
	    host_order & 0xff);
}

static const char *
auth_name(unsigned method)
{
	switch (method) {
	case PPP_AUTH_PAP:
		return "pap";
	case PPP_AUTH_CHAP_MD5:
		return "chap-md5";
	case PPP_AUTH_MSCHAPV1:
		return "mschapv1";
	case PPP_AUTH_MSCHAPV2:
		return "mschapv2";
	default:
		return "none";
	}
}

/* The one line a user looks for: address, peer, DNS, MPPE, MTU. */
static void
link_up_line(struct client *cl, const struct ppp_event *ev)
{
	char line[320];
	struct sbuf sb;
	uint64_t ms = ev_now(cl->loop) - cl->call_up_at;

	sbuf_init(&sb, line, sizeof(line));
	sbuf_printf(&sb, "link up tun=%s local=", tunnel_call_ifname(cl->call));
	ip4_print(&sb, ev->u.ip.local);
	sbuf_printf(&sb, " peer=");
	ip4_print(&sb, ev->u.ip.peer);
	sbuf_printf(&sb, " dns=");
	if (ev->u.ip.dns[0] == 0 && ev->u.ip.dns[1] == 0)
		sbuf_printf(&sb, "none");
	if (ev->u.ip.dns[0] != 0)
		ip4_print(&sb, ev->u.ip.dns[0]);
	if (ev->u.ip.dns[1] != 0) {
		if (ev->u.ip.dns[0] != 0)
			sbuf_printf(&sb, ",");
		ip4_print(&sb, ev->u.ip.dns[1]);
	}
	if (ev->u.ip.mppe_bits != 0)
		sbuf_printf(&sb, " mppe=%u-%s", ev->u.ip.mppe_bits,
		    ev->u.ip.mppe_stateless ? "stateless" : "stateful");
	else
		sbuf_printf(&sb, " mppe=none");
	sbuf_printf(&sb, " mtu=%u negotiation_ms=%llu", (unsigned)ev->u.ip.mtu,
	    (unsigned long long)ms);
	log_msg(LOG_INFO, cl->prefix, "%s", sbuf_str(&sb));
}

static void
link_ipv6_line(struct client *cl, const struct ppp_event *ev)
{
	char line[160];
	struct sbuf sb;
	unsigned i;

	sbuf_init(&sb, line, sizeof(line));
	sbuf_printf(&sb, "ipv6 up tun=%s local=fe80:", tunnel_call_ifname(cl->call));
	for (i = 0; i < 8; i += 2)
		sbuf_printf(&sb, ":%x", (unsigned)(ev->u.ipv6.local_id[i] << 8 |
		    ev->u.ipv6.local_id[i + 1]));
	sbuf_printf(&sb, " peer=fe80:");
	for (i = 0; i < 8; i += 2)
		sbuf_printf(&sb, ":%x", (unsigned)(ev->u.ipv6.peer_id[i] << 8 |
		    ev->u.ipv6.peer_id[i + 1]));
	log_msg(LOG_INFO, cl->prefix, "%s", sbuf_str(&sb));
}

/* PPP says why it ended; record what that means for the run. */
static void
link_down_classify(struct client *cl, const struct ppp_event *ev)
{
	bool gre_seen = cl->stats.gre_rx_packets > 0;
	const char *text = ev->text != NULL ? ev->text : "";

	switch (ev->u.down.reason) {
	case PPP_DOWN_AUTH_FAILED:
		client_fail(cl, CLIENT_EXIT_AUTH, true, true, "auth", "%s",
		    text);
		break;
	case PPP_DOWN_MPPE:
		client_fail(cl, CLIENT_EXIT_MPPE, true, true, "mppe", "%s",
		    text);
		break;
	case PPP_DOWN_AUTH_POLICY:
		client_fail(cl, CLIENT_EXIT_PPP, true, true, "auth", "%s",
		    text);
		break;
	case PPP_DOWN_NEGOTIATION:
	case PPP_DOWN_NO_ANSWER:
	case PPP_DOWN_PROTOCOL:
	case PPP_DOWN_LOOPBACK:
	case PPP_DOWN_AUTH_TIMEOUT:
		if (!gre_seen)
			client_fail(cl, CLIENT_EXIT_NO_GRE, false, false, "gre",
			    "no GRE from the server: GRE blocked on the path? "
			    "(PPP: %s)", text);
		else
			client_fail(cl, CLIENT_EXIT_PPP, false, false, "ppp",
			    "PPP negotiation failed (%s): %s",
			    ppp_down_reason_name(ev->u.down.reason), text);
		break;
	case PPP_DOWN_PEER:
	case PPP_DOWN_ECHO:
		if (cl->link_up)
			client_fail(cl, CLIENT_EXIT_LINK_LOST, false, false,
			    "link", "%s: %s", ev->u.down.reason ==
			    PPP_DOWN_ECHO ? "the server stopped answering "
			    "LCP Echo" : "the server ended the PPP session",
			    text);
		else
			client_fail(cl, CLIENT_EXIT_PPP, false, false, "ppp",
			    "the server ended PPP during negotiation: %s",
			    text);
		break;
	case PPP_DOWN_ADMIN:
	case PPP_DOWN_LOWER:
		break;		/* our own close, or the lower layer's: the
				 * one who closed has said why */
	}
}

static void
link_event(void *ctx, struct tunnel_call *call, const struct ppp_event *ev)
{
	struct client *cl = ctx;
	char line[600];
	struct sbuf sb;

	switch (ev->type) {
	case PPP_EV_AUTH_OK:
		log_msg(LOG_INFO, cl->prefix, "authenticated method=%s",
		    auth_name(ev->u.auth_ok.method));
		break;
	case PPP_EV_IP_UP:
		client_watch_set(cl, CLIENT_WATCH_NONE, 0);
		link_up_line(cl, ev);
		if (!cl->link_up) {
			cl->link_up = cl->attempt_up = cl->ever_up = true;
			cl->up_at = ev_now(cl->loop);
			cl->backoff_ms = 0;
		}
		cl->state = CLIENT_UP;
		client_routes_add(&cl->routes, &cl->nc, &cl->cfg,
		    tunnel_call_ifindex(call), tunnel_call_ifname(call));
		break;
	case PPP_EV_IPV6_UP:
		link_ipv6_line(cl, ev);
		break;
	case PPP_EV_LOG:
		log_msg(LOG_DEBUG, cl->prefix, "ppp %s", ev->text);
		break;
	case PPP_EV_DOWN:
		tunnel_call_stats(call, &cl->stats);
		cl->has_stats = true;
		sbuf_init(&sb, line, sizeof(line));
		tunnel_call_summary_print(&cl->stats, &sb);
		log_msg(LOG_INFO, cl->prefix, "ppp down reason=%s up_s=%llu %s "
		    "(%s)", ppp_down_reason_name(ev->u.down.reason),
		    cl->link_up ? (unsigned long long)((ev_now(cl->loop) -
		    cl->up_at) / 1000) : 0ULL, sbuf_str(&sb),
		    ev->text != NULL ? ev->text : "");
		sbuf_init(&sb, line, sizeof(line));
		tunnel_call_stats_print(&cl->stats, &sb);
		log_msg(LOG_INFO, cl->prefix, "stats %s", sbuf_str(&sb));
		if (cl->watch == CLIENT_WATCH_GRE ||
		    cl->watch == CLIENT_WATCH_PPP_CLOSE)
			client_watch_set(cl, CLIENT_WATCH_NONE, 0);
		link_down_classify(cl, ev);
		client_routes_del(&cl->routes, &cl->nc);
		if (tunnel_call_free_later(call) != 0) {
			log_msg(LOG_WARN, cl->prefix, "tunnel: deferred free "
			    "failed; freed at exit");
			if (cl->orphan != NULL)
				tunnel_call_free(cl->orphan);
			cl->orphan = call;
		}
		cl->call = NULL;
		cl->link_up = false;
		client_teardown(cl, "ppp down");
		break;
	case PPP_EV_AUTH_REQUEST:
		break;		/* server role only */
	}
	client_progress(cl);
}

void
client_link_start(struct client *cl, const struct ctrl_call *c)
{
	struct tunnel_call_config tc;
	int ret, err;

	tunnel_call_config_default(&tc, PPP_ROLE_CLIENT);
	tc.peer = cl->cfg.server;
	tc.our_call_id = c->call_id;
	tc.peer_call_id = c->peer_call_id;
	tc.gre.peer_rwin = c->peer_rwin;
	tc.gre.our_rwin = c->our_rwin;
	tc.gre.ppd = c->peer_ppd;
	tc.ppp = cl->cfg.ppp;
	tc.ppp.role = PPP_ROLE_CLIENT;
	snprintf(tc.tun_name, sizeof(tc.tun_name), "%s", cl->cfg.tun_name);
	tc.mss_clamp = cl->cfg.mss_clamp;
	tc.nc = &cl->nc;
	snprintf(tc.log_prefix, sizeof(tc.log_prefix), "client call=%u",
	    (unsigned)c->call_id);
	tc.event = link_event;
	tc.ctx = cl;
	ret = tunnel_call_new(&cl->call, cl->loop, cl->mux, &tc);
	err = errno;
	secret_wipe(&tc.ppp.password, sizeof(tc.ppp.password));
	if (ret != 0) {
		cl->call = NULL;
		client_fail(cl, CLIENT_EXIT_LOCAL, true, false, "tunnel",
		    "cannot create the tunnel (TUN device %s): %s",
		    cl->cfg.tun_name, ret == ERR_SYS ? strerror(err) :
		    err_str(ret));
		return;
	}
	cl->state = CLIENT_PPP;
	cl->call_up_at = ev_now(cl->loop);
	client_watch_set(cl, CLIENT_WATCH_GRE, cl->cfg.gre_timeout_ms);
	log_msg(LOG_INFO, cl->prefix, "tunnel tun=%s call_id=%u "
	    "peer_call_id=%u: starting PPP", tunnel_call_ifname(cl->call),
	    (unsigned)c->call_id, (unsigned)c->peer_call_id);
	if ((ret = tunnel_call_start(cl->call)) != 0)
		client_fail(cl, CLIENT_EXIT_LOCAL, true, false, "tunnel",
		    "PPP start: %s", err_str(ret));
}

bool
client_link_closing(struct client *cl, const char *why)
{
	if (cl->call == NULL)
		return false;
	if (!cl->ppp_closing) {
		cl->ppp_closing = true;
		client_watch_set(cl, CLIENT_WATCH_PPP_CLOSE,
		    CLIENT_PPP_CLOSE_MS);
		/* LCP Terminate-Request; DOWN follows on the Ack - unless
		 * no GRE ever came back: then no Ack will either. */
		tunnel_call_stats(cl->call, &cl->stats);
		if (tunnel_call_close(cl->call, why) != 0 ||
		    cl->stats.gre_rx_packets == 0)
			client_link_lower_down(cl);
	}
	return cl->call != NULL;
}

void
client_link_lower_down(struct client *cl)
{
	if (cl->call != NULL)
		(void)tunnel_call_lower_down(cl->call);
}

void
client_link_gre_check(struct client *cl)
{
	struct tunnel_call_stats s;
	const struct gre_mux_stats *ms;

	if (cl->call == NULL)
		return;
	tunnel_call_stats(cl->call, &s);
	if (s.gre_rx_packets > 0)
		return;
	ms = gre_mux_stats(cl->mux);
	client_fail(cl, CLIENT_EXIT_NO_GRE, false, false, "gre",
	    "no GRE from the server: GRE blocked on the path? The call was "
	    "accepted %u ms ago and not one GRE packet (IP protocol 47) came "
	    "back; firewalls and NAT on the way must pass it (GRE from the "
	    "server for other calls: %llu, malformed: %llu)",
	    cl->cfg.gre_timeout_ms, (unsigned long long)ms->rx_stranger,
	    (unsigned long long)ms->rx_malformed);
}

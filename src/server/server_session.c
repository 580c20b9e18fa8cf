/*
 * server_session.c - the server's sessions: one PPTP call (RFC 2637 2.7,
 * 2.8 Outgoing-Call-Request/-Reply, 2.13 Call-Disconnect-Notify) joined to
 * one tunnel call (TUN, GRE window, PPP server session).
 *
 * Call IDs come from one bitmap for the whole server, so GRE is matched on
 * (peer IP, our Call ID) (RFC 2637 4.1: the Key carries the receiver's Call
 * ID) and clients behind one NAT never collide.  The tunnel call exists
 * (TUN open, mux entry linked) before the Outgoing-Call-Reply leaves, and
 * the raw GRE socket has been open since start-up, so the peer's first GRE
 * packet is never answered with ICMP protocol-unreachable.
 *
 * Authentication: chap-secrets (server_secrets_lookup: DOMAIN\user as sent
 * and stripped, our `name` as the server field); the peer's address is the
 * entry's static one or the pool's next; the answer carries the password,
 * so the PPP engine verifies MS-CHAP itself and derives the MPPE keys.
 *
 * A session ends once both halves are gone: the PPTP call (CALL_DOWN) and
 * PPP (PPP_EV_DOWN).  Either may go first; each takes the other down.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "../base/secret.h"
#include "server.h"

/* --- Call IDs --- */

void
srv_callid_init(struct srv_callid *m)
{
	memset(m, 0, sizeof(*m));
}

int
srv_callid_alloc(struct srv_callid *m, uint16_t start, uint16_t *out)
{
	unsigned id = start != 0 ? start : 1, w, b, n;
	uint64_t free_bits;

	if (m->used >= 65535)
		return ERR_NOSPACE;
	/* Word by word from start; one more round than there are words so
	 * that the bits below start in its own word come last. */
	for (n = 0; n <= SRV_CALLID_WORDS; n++) {
		w = id / 64;
		b = id % 64;
		free_bits = ~m->bits[w] & (~(uint64_t)0 << b);
		if (w == 0)
			free_bits &= ~(uint64_t)1;	/* never 0 */
		if (free_bits != 0) {
			id = w * 64 + (unsigned)__builtin_ctzll(free_bits);
			m->bits[w] |= (uint64_t)1 << (id % 64);
			m->used++;
			*out = (uint16_t)id;
			return 0;
		}
		id = ((w + 1) % SRV_CALLID_WORDS) * 64;
	}
	return ERR_NOSPACE;
}

bool
srv_callid_held(const struct srv_callid *m, uint16_t id)
{
	return (m->bits[id / 64] >> (id % 64) & 1) != 0;
}

int
srv_callid_release(struct srv_callid *m, uint16_t id)
{
	if (id == 0 || !srv_callid_held(m, id))
		return ERR_NOTFOUND;
	m->bits[id / 64] &= ~((uint64_t)1 << (id % 64));
	m->used--;
	return 0;
}

int
srv_session_call_id(void *ctx, uint16_t *id)
{
	struct srv_conn *c = ctx;
	struct srv *s = c->srv;
	uint16_t start;

	if (s->stopping)
		return ERR_STATE;	/* OCRP General-Error, PAC-Error */
	if (s->ids.used >= s->cfg.connections)
		return ERR_NOSPACE;	/* OCRP Busy */
	srv_random(&start, sizeof(start));
	return srv_callid_alloc(&s->ids, start, id);
}

/* --- log helpers --- */

void
srv_print_value(struct sbuf *sb, const char *raw)
{
	char tmp[PPP_NAME_MAX * 4 + 1];
	struct sbuf e;

	sbuf_init(&e, tmp, sizeof(tmp));
	sbuf_escaped(&e, raw, strlen(raw));
	if (e.len == 0 || strpbrk(tmp, " =") != NULL)
		sbuf_printf(sb, "\"%s\"", tmp);
	else
		sbuf_printf(sb, "%s", tmp);
}

static const char *
ip4_str(uint32_t a, char buf[16])
{
	if (a == 0)
		return "-";
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return buf;
}

static const char *
auth_method_str(unsigned m)
{
	switch (m) {
	case PPP_AUTH_PAP:		return "pap";
	case PPP_AUTH_CHAP_MD5:		return "chap-md5";
	case PPP_AUTH_MSCHAPV1:		return "mschap-v1";
	case PPP_AUTH_MSCHAPV2:		return "mschap-v2";
	default:			return "?";
	}
}

/* "user=U peer=IP call=ID assigned=IP" */
static void
session_head(const struct srv_session *ss, struct sbuf *sb)
{
	char a[16];

	sbuf_printf(sb, "user=");
	srv_print_value(sb, ss->user[0] != '\0' ? ss->user : "-");
	sbuf_printf(sb, " peer=%s call=%u assigned=%s", ss->peer_str,
	    (unsigned)ss->call_id, ip4_str(ss->addr_held || ss->ip_up ?
	    ss->peer_ip : 0, a));
}

/* --- life cycle --- */

static struct srv_session *
conn_session(const struct srv_conn *c, uint16_t call_id)
{
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (c->sess[i] != NULL && c->sess[i]->call_id == call_id)
			return c->sess[i];
	return NULL;
}

static void
session_free_deferred(void *ptr)
{
	struct srv_session *ss = ptr;

	tunnel_call_free(ss->orphan);
	free(ss);
}

/* Frees the session once both the PPTP call and PPP are gone. */
static void
session_maybe_free(struct srv_session *ss)
{
	struct srv *s = ss->srv;

	if (ss->freeing || ss->call != NULL || ss->ctrl_live)
		return;
	ss->freeing = true;
	if (ss->prev != NULL)
		ss->prev->next = ss->next;
	else
		s->sessions = ss->next;
	if (ss->next != NULL)
		ss->next->prev = ss->prev;
	s->nsessions--;
	if (ev_defer(s->loop, session_free_deferred, ss) != 0)
		log_msg(LOG_ERROR, ss->prefix, "event=leak what=session "
		    "reason=\"cannot defer the free\"");
	srv_shutdown_check(s);
}

static void
session_release_addr(struct srv_session *ss)
{
	char a[16];

	if (!ss->addr_held)
		return;
	if (pool_release(ss->srv->pool, ss->peer_ip) != 0)
		log_msg(LOG_ERROR, ss->prefix, "event=pool-release addr=%s "
		    "reason=not-held", ip4_str(ss->peer_ip, a));
	ss->addr_held = false;
}

/* The PPTP call is gone: no CDN any more; PPP goes down. */
static void
session_ctrl_gone(struct srv_session *ss, const char *why)
{
	struct srv_conn *c = ss->conn;
	unsigned i;

	ss->ctrl_live = false;
	if (ss->ctrl_down == NULL)
		ss->ctrl_down = why;
	if (c != NULL)
		for (i = 0; i < CTRL_MAX_CALLS; i++)
			if (c->sess[i] == ss)
				c->sess[i] = NULL;
	ss->conn = NULL;
	if (ss->call != NULL && !ss->ppp_down) {
		if (!ss->started) {
			/* Refused or lost before PPP started: nothing to
			 * terminate, no callback of the call is running. */
			log_msg(LOG_INFO, ss->prefix, "peer=%s call=%u "
			    "event=call-gone pptp=%s", ss->peer_str,
			    (unsigned)ss->call_id, ss->ctrl_down);
			tunnel_call_free(ss->call);
			ss->call = NULL;
		} else {
			(void)tunnel_call_lower_down(ss->call);
		}
	}
	session_maybe_free(ss);
}

/* --- PPP events --- */

static void
session_auth(struct srv_session *ss, const struct ppp_auth_request *req)
{
	struct srv *s = ss->srv;
	const struct chap_secret *e;
	struct ppp_auth_answer a;
	const char *why = NULL;
	uint32_t peer = 0, local = 0;
	uint64_t skipped = 0;
	char line[1024], b1[16];
	struct sbuf sb;
	int ret;

	snprintf(ss->user, sizeof(ss->user), "%s", req->user);
	session_release_addr(ss);	/* a retry authenticates afresh */
	memset(&a, 0, sizeof(a));
	a.mschap_error = 691;
	e = server_secrets_lookup(&s->cfg.secrets, req->user,
	    s->cfg.policy.name);
	if (e == NULL) {
		why = "unknown-user";
	} else if (e->addr_mode == CFG_ADDR_NONE) {
		why = "no-address-allowed";
	} else if (e->addr_mode == CFG_ADDR_STATIC) {
		peer = e->addr;
		if ((ret = pool_alloc_static(s->pool, peer, &local)) != 0)
			why = ret == ERR_EXISTS ? "static-address-in-use" :
			    "static-address-refused";
	} else if (pool_alloc(s->pool, &peer, &local) != 0) {
		why = "pool-exhausted";
	}
	if (why == NULL && local == 0) {
		(void)pool_release(s->pool, peer);
		why = "no-local-address";	/* static, outside localip */
	}
	sbuf_init(&sb, line, sizeof(line));
	if (why == NULL) {
		ss->addr_held = true;
		ss->peer_ip = peer;
		ss->local_ip = local;
		a.accept = true;
		a.password = e->secret;
		a.local_ip = local;
		a.peer_ip = peer;
		session_head(ss, &sb);
		sbuf_printf(&sb, " event=auth-request method=%s local=%s",
		    auth_method_str(req->method), ip4_str(local, b1));
		log_msg(LOG_DEBUG, ss->prefix, "%s", sbuf_str(&sb));
	} else {
		s->n.auth_rejected++;
		if (srv_ratelimit_ok(&s->rl_auth, ev_now(s->loop), &skipped)) {
			session_head(ss, &sb);
			sbuf_printf(&sb, " event=auth-reject method=%s reason=%s",
			    auth_method_str(req->method), why);
			if (skipped != 0)
				sbuf_printf(&sb, " suppressed=%llu",
				    (unsigned long long)skipped);
			log_msg(LOG_WARN, ss->prefix, "%s", sbuf_str(&sb));
		}
	}
	if ((ret = tunnel_call_auth_answer(ss->call, &a)) != 0)
		log_msg(LOG_WARN, ss->prefix, "event=auth-answer error=%s",
		    err_str(ret));
	secret_wipe(&a, sizeof(a));
}

static void
session_ip_up(struct srv_session *ss, const struct ppp_event *ev)
{
	struct srv *s = ss->srv;
	char line[1024], b1[16];
	struct sbuf sb;

	ss->ip_up = true;
	ss->t_up = ss->t_active = ev_now(s->loop);
	ss->idle_mark = 0;
	ss->peer_ip = ev->u.ip.peer;
	ss->local_ip = ev->u.ip.local;
	ss->mppe_bits = ev->u.ip.mppe_bits;
	ss->mppe_stateless = ev->u.ip.mppe_stateless;
	snprintf(ss->ifname, sizeof(ss->ifname), "%s",
	    tunnel_call_ifname(ss->call));
	s->n.sessions_up++;
	sbuf_init(&sb, line, sizeof(line));
	session_head(ss, &sb);
	sbuf_printf(&sb, " event=up");
	if (ss->mppe_bits == 0)
		sbuf_printf(&sb, " mppe=none");
	else
		sbuf_printf(&sb, " mppe=%u-%s", ss->mppe_bits,
		    ss->mppe_stateless ? "stateless" : "stateful");
	sbuf_printf(&sb, " iface=%s local=%s mtu=%u", ss->ifname,
	    ip4_str(ss->local_ip, b1), (unsigned)ev->u.ip.mtu);
	log_msg(LOG_INFO, ss->prefix, "%s", sbuf_str(&sb));
	srv_script_start(s, ss, true);
}

static void
session_down(struct srv_session *ss, const struct ppp_event *ev)
{
	struct srv *s = ss->srv;
	struct srv_conn *c = ss->conn;
	struct tunnel_call_stats st;
	enum ppp_down_reason r = ev->u.down.reason;
	uint64_t now = ev_now(s->loop), skipped = 0;
	char line[2048], cdn[128];
	struct sbuf sb;
	uint8_t result;
	int ret;

	ss->ppp_down = true;
	tunnel_call_stats(ss->call, &st);
	ss->bytes_in = st.tun_tx_bytes;		/* from the peer */
	ss->bytes_out = st.tun_rx_bytes;
	if (r == PPP_DOWN_AUTH_FAILED) {
		s->n.auth_failed++;
		sbuf_init(&sb, line, sizeof(line));
		if (srv_ratelimit_ok(&s->rl_auth, now, &skipped)) {
			session_head(ss, &sb);
			sbuf_printf(&sb, " event=auth-failed error=%u",
			    (unsigned)ev->u.down.mschap_error);
			if (skipped != 0)
				sbuf_printf(&sb, " suppressed=%llu",
				    (unsigned long long)skipped);
			log_msg(LOG_WARN, ss->prefix, "%s", sbuf_str(&sb));
		}
	}
	sbuf_init(&sb, line, sizeof(line));
	session_head(ss, &sb);
	sbuf_printf(&sb, " event=down reason=%s", ppp_down_reason_name(r));
	if (ss->ctrl_down != NULL)
		sbuf_printf(&sb, " pptp=%s", ss->ctrl_down);
	sbuf_printf(&sb, " duration=%llus ", (unsigned long long)((now -
	    (ss->ip_up ? ss->t_up : ss->t_created)) / 1000));
	tunnel_call_summary_print(&st, &sb);
	sbuf_printf(&sb, " gre_acks=%llu gre_ack_only=%llu gre_stalls=%llu",
	    (unsigned long long)st.gre.rx_acks,
	    (unsigned long long)st.gre.tx_ack_only,
	    (unsigned long long)st.gre.tx_stalls);
	if (ev->text != NULL && ev->text[0] != '\0') {
		sbuf_printf(&sb, " text=\"");
		sbuf_escaped(&sb, ev->text, strlen(ev->text));
		sbuf_printf(&sb, "\"");
	}
	log_msg(LOG_INFO, ss->prefix, "%s", sbuf_str(&sb));

	if (ss->ip_up)
		srv_script_start(s, ss, false);
	session_release_addr(ss);

	/* RFC 2637 2.13: the PAC tells the PNS with CDN. */
	if (ss->ctrl_live && c != NULL && !ctrl_is_closed(&c->ctrl)) {
		result = r == PPP_DOWN_ADMIN ? 3 : 1;	/* Admin-Shutdown,
							 * Lost-Carrier */
		snprintf(cdn, sizeof(cdn), "ppp=%s in=%llu out=%llu",
		    ppp_down_reason_name(r),
		    (unsigned long long)ss->bytes_in,
		    (unsigned long long)ss->bytes_out);
		ret = ctrl_call_disconnect(&c->ctrl, now, ss->call_id, result,
		    cdn);
		if (ret == ERR_STATE)	/* still pending: refuse it */
			ret = ctrl_call_reject(&c->ctrl, now, ss->call_id, 2,
			    0, 0);
		if (ret != 0)
			log_msg(LOG_DEBUG, ss->prefix, "event=cdn error=%s",
			    err_str(ret));
		srv_conn_after(c);
	}
	if (tunnel_call_free_later(ss->call) != 0)
		ss->orphan = ss->call;	/* detached; freed with us */
	ss->call = NULL;
	session_maybe_free(ss);
}

static void
session_event(void *ctx, struct tunnel_call *call, const struct ppp_event *ev)
{
	struct srv_session *ss = ctx;
	char line[1024];
	struct sbuf sb;

	(void)call;
	switch (ev->type) {
	case PPP_EV_AUTH_REQUEST:
		session_auth(ss, &ev->u.auth);
		break;
	case PPP_EV_AUTH_OK:
		ss->srv->n.auth_ok++;
		if (ss->conn != NULL)
			ss->conn->authenticated = true;
		sbuf_init(&sb, line, sizeof(line));
		session_head(ss, &sb);
		sbuf_printf(&sb, " event=auth-ok method=%s",
		    auth_method_str(ev->u.auth_ok.method));
		log_msg(LOG_INFO, ss->prefix, "%s", sbuf_str(&sb));
		break;
	case PPP_EV_IP_UP:
		session_ip_up(ss, ev);
		break;
	case PPP_EV_IPV6_UP:
		sbuf_init(&sb, line, sizeof(line));
		session_head(ss, &sb);
		sbuf_printf(&sb, " event=ipv6-up local_id=");
		sbuf_hex(&sb, ev->u.ipv6.local_id, 8);
		sbuf_printf(&sb, " peer_id=");
		sbuf_hex(&sb, ev->u.ipv6.peer_id, 8);
		log_msg(LOG_INFO, ss->prefix, "%s", sbuf_str(&sb));
		break;
	case PPP_EV_DOWN:
		session_down(ss, ev);
		break;
	case PPP_EV_LOG:
		if (ev->text != NULL && log_get_level() >= LOG_DEBUG) {
			sbuf_init(&sb, line, sizeof(line));
			sbuf_escaped(&sb, ev->text, strlen(ev->text));
			log_msg(LOG_DEBUG, ss->prefix, "ppp %s", sbuf_str(&sb));
		}
		break;
	}
}

/* --- the PPTP side --- */

static void
session_reject(struct srv_conn *c, uint16_t call_id, int why)
{
	uint64_t now = ev_now(c->srv->loop);
	bool busy = why == ERR_NOSPACE || why == ERR_EXISTS;

	int ret;

	c->srv->n.calls_refused++;
	/* 4 Busy; or 2 General-Error with 4 No-Resource */
	if ((ret = ctrl_call_reject(&c->ctrl, now, call_id, busy ? 4 : 2,
	    busy ? 0 : 4, 0)) != 0)
		log_msg(LOG_DEBUG, c->prefix, "call=%u event=call-reject "
		    "error=%s", (unsigned)call_id, err_str(ret));
}

void
srv_session_request(struct srv_conn *c, const struct ctrl_call *call)
{
	struct srv *s = c->srv;
	struct tunnel_call_config tc;
	struct srv_session *ss;
	uint64_t now = ev_now(s->loop);
	int ret, slot = -1, i;

	for (i = 0; i < CTRL_MAX_CALLS && slot < 0; i++)
		if (c->sess[i] == NULL)
			slot = i;
	if (slot < 0 || s->stopping || (ss = calloc(1, sizeof(*ss))) == NULL) {
		session_reject(c, call->call_id, ERR_NOSPACE);
		return;
	}
	ss->srv = s;
	ss->conn = c;
	ss->no = ++s->next_session_no;
	ss->call_id = call->call_id;
	ss->peer_call_id = call->peer_call_id;
	ss->peer = c->peer;
	memcpy(ss->peer_str, c->peer_str, sizeof(ss->peer_str));
	ss->t_created = now;
	snprintf(ss->prefix, sizeof(ss->prefix), "session=%llu",
	    (unsigned long long)ss->no);

	tunnel_call_config_default(&tc, PPP_ROLE_SERVER);
	tc.peer = c->peer;
	tc.our_call_id = call->call_id;
	tc.peer_call_id = call->peer_call_id;
	tc.gre.peer_rwin = call->peer_rwin;
	tc.gre.our_rwin = call->our_rwin;
	tc.gre.ppd = call->peer_ppd;
	server_config_ppp(&s->cfg, &tc.ppp);
	snprintf(tc.tun_name, sizeof(tc.tun_name), "%s%%d",
	    s->cfg.tun_prefix);
	tc.mss_clamp = s->cfg.mss_clamp;
	tc.nc = s->nc_open ? &s->nc : NULL;
	snprintf(tc.log_prefix, sizeof(tc.log_prefix), "session=%llu call=%u",
	    (unsigned long long)ss->no, (unsigned)call->call_id);
	tc.event = session_event;
	tc.ctx = ss;
	if ((ret = tunnel_call_new(&ss->call, s->loop, s->mux, &tc)) != 0) {
		log_msg(LOG_ERROR, ss->prefix, "peer=%s call=%u "
		    "event=call-refused reason=\"tunnel: %s%s%s\"",
		    ss->peer_str, (unsigned)call->call_id, err_str(ret),
		    ret == ERR_SYS ? ": " : "",
		    ret == ERR_SYS ? strerror(errno) : "");
		free(ss);
		session_reject(c, call->call_id, ret);
		return;
	}
	snprintf(ss->ifname, sizeof(ss->ifname), "%s",
	    tunnel_call_ifname(ss->call));
	ss->ctrl_live = true;
	c->sess[slot] = ss;
	ss->next = s->sessions;
	if (s->sessions != NULL)
		s->sessions->prev = ss;
	s->sessions = ss;
	s->nsessions++;
	s->n.sessions_total++;
	log_msg(LOG_INFO, ss->prefix, "ctrl=%llu peer=%s call=%u peer_call=%u "
	    "event=call iface=%s window=%u ppd=%u", (unsigned long long)c->no,
	    ss->peer_str, (unsigned)call->call_id,
	    (unsigned)call->peer_call_id, ss->ifname,
	    (unsigned)call->peer_rwin, (unsigned)call->peer_ppd);
	/* The tunnel is ready: now the Outgoing-Call-Reply (and CALL_UP). */
	if ((ret = ctrl_call_accept(&c->ctrl, now, call->call_id)) != 0) {
		log_msg(LOG_WARN, ss->prefix, "event=call-accept error=%s",
		    err_str(ret));
		if (ctrl_call_find(&c->ctrl, call->call_id) != NULL)
			session_reject(c, call->call_id, ERR_STATE);
		else
			session_ctrl_gone(ss, "accept-failed");
	}
}

void
srv_session_call_up(struct srv_conn *c, const struct ctrl_call *call)
{
	struct srv_session *ss = conn_session(c, call->call_id);
	int ret;

	if (ss == NULL || ss->call == NULL || ss->started)
		return;
	ss->started = true;
	if ((ret = tunnel_call_start(ss->call)) != 0)
		log_msg(LOG_ERROR, ss->prefix, "event=ppp-start error=%s",
		    err_str(ret));
}

void
srv_session_call_down(struct srv_conn *c, const struct ctrl_event *ev)
{
	struct srv_session *ss;
	uint16_t id = ev->call->call_id;

	if (srv_callid_release(&c->srv->ids, id) != 0)
		log_msg(LOG_ERROR, c->prefix, "call=%u event=callid-release "
		    "reason=not-held", (unsigned)id);
	if ((ss = conn_session(c, id)) != NULL)
		session_ctrl_gone(ss, ctrl_down_cause_str(ev->down));
}

/* --- administration --- */

void
srv_session_close(struct srv_session *ss, const char *reason)
{
	if (ss->call == NULL || ss->ppp_down)
		return;
	ss->admin_close = true;
	if (!ss->started) {
		/* PPP never started: refuse the pending PPTP call; its
		 * CALL_DOWN frees the tunnel call. */
		if (ss->conn != NULL && ss->ctrl_live)
			session_reject(ss->conn, ss->call_id, ERR_STATE);
		return;
	}
	(void)tunnel_call_close(ss->call, reason);
}

void
srv_session_status(struct srv_session *ss)
{
	struct tunnel_call_stats st;
	char line[4096];
	struct sbuf sb;
	uint64_t now = ev_now(ss->srv->loop);

	sbuf_init(&sb, line, sizeof(line));
	session_head(ss, &sb);
	sbuf_printf(&sb, " event=status");
	if (ss->call == NULL) {
		sbuf_printf(&sb, " phase=gone");
		log_msg(LOG_INFO, ss->prefix, "%s", sbuf_str(&sb));
		return;
	}
	tunnel_call_stats(ss->call, &st);
	sbuf_printf(&sb, " phase=%s iface=%s uptime=%llus ",
	    ppp_phase_name(tunnel_call_phase(ss->call)), ss->ifname,
	    (unsigned long long)((now - (ss->ip_up ? ss->t_up :
	    ss->t_created)) / 1000));
	tunnel_call_summary_print(&st, &sb);
	sbuf_printf(&sb, " | ");
	tunnel_call_stats_print(&st, &sb);
	log_msg(LOG_INFO, ss->prefix, "%s", sbuf_str(&sb));
}

void
srv_session_idle_check(struct srv_session *ss, uint64_t now)
{
	struct tunnel_call_stats st;
	uint32_t idle_s = ss->srv->cfg.policy.idle_s;
	uint64_t mark;

	if (idle_s == 0 || ss->call == NULL || !ss->ip_up || ss->ppp_down ||
	    ss->admin_close)
		return;
	tunnel_call_stats(ss->call, &st);
	mark = st.tun_rx_packets + st.tun_tx_packets;
	if (mark != ss->idle_mark) {
		ss->idle_mark = mark;
		ss->t_active = now;
		return;
	}
	if (now - ss->t_active >= (uint64_t)idle_s * 1000) {
		log_msg(LOG_INFO, ss->prefix, "event=idle-timeout idle=%us",
		    (unsigned)idle_s);
		srv_session_close(ss, "idle timeout");
	}
}

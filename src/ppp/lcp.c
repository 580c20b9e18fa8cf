/*
 * lcp.c - the Link Control Protocol for both roles: RFC 1661 section 5
 * (Terminate 5.5, Code-Reject 5.6, Protocol-Reject 5.7, Echo 5.8, Discard
 * 5.9), RFC 1570 2.1/2.2 (Identification, Time-Remaining: accepted
 * silently), the this-layer signals of RFC 1661 4.4 turned into the
 * session's phase changes, and LCP Echo as dead-peer detection.  The
 * option negotiation of RFC 1661 6 is in lcp_opts.c; the automaton is
 * fsm.c.  See lcp.h for the policy and ppp_int.h for how the parts fit.
 *
 * When negotiation gives up without a reason, LCP explains why: no answer
 * at all (GRE blocked), a one-way link (the peer's requests arrive, ours
 * are never answered), the peer's Terminate-Request text, or the option
 * that kept being refused.
 */
#include <stdio.h>
#include <string.h>

#include "ppp_int.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_frame.h"
#include "../wire/ppp_opt.h"

#define LCP_MRU_STD	1500	/* RFC 1661 6.1: the default */
#define LCP_LOG_MAX	512	/* one log line with a printed packet */

static uint64_t
lcp_after_ms(uint64_t now, uint32_t ms)
{
	return now >= UINT64_MAX - 1 - ms ? UINT64_MAX - 1 : now + ms;
}

static void
lcp_log_pkt(struct ppp *s, const char *dir, const uint8_t *pkt, size_t len)
{
	char buf[LCP_LOG_MAX];
	struct sbuf sb;

	sbuf_init(&sb, buf, sizeof(buf));
	ppp_cp_print(PPP_LCP, pkt, len, &sb);
	ppp_log(s, "lcp: %s %s", dir, sbuf_str(&sb));
}

/* Runs an lcp_close() that came while the FSM was busy. */
static void
lcp_after(struct ppp *s)
{
	struct lcp_state *l = &s->lcp;

	if (!l->close_pending || l->fsm.busy)
		return;
	l->close_pending = false;
	l->echo_next = UINT64_MAX;
	(void)fsm_close(&l->fsm, l->now, l->close_reason);
}

/* --- codes 8-13 --- */

static int
lcp_rx_proto_rej(struct ppp *s, struct rd *data)
{
	struct lcp_proto_rej pr;
	const char *name;
	int ret;

	if ((ret = lcp_proto_rej_decode(data, &pr)) != 0)
		return ret;
	/* RFC 1661 5.7: only meaningful in Opened; else discard. */
	if (s->lcp.fsm.state != FSM_OPENED)
		return 0;
	name = ppp_proto_name(pr.proto);
	ppp_log(s, "lcp: peer Protocol-Rejected 0x%04x%s%s", (unsigned)pr.proto,
	    name != NULL ? " " : "", name != NULL ? name : "");
	switch (pr.proto) {
	case PPP_CCP:
		ccp_protocol_rejected(s, s->lcp.now);
		break;
	case PPP_IPCP:
	case PPP_IPV6CP:
		ncp_protocol_rejected(s, s->lcp.now, pr.proto);
		break;
	default:
		break;	/* LCP itself or something we never sent: logged */
	}
	return 0;
}

/* RFC 1570 Identification and Time-Remaining: logged once, escaped. */
static int
lcp_rx_info(struct ppp *s, uint8_t code, struct rd *data)
{
	struct lcp_state *l = &s->lcp;
	struct lcp_time_rem tr;
	struct lcp_ident id;
	char buf[160];
	struct sbuf sb;
	int ret;

	sbuf_init(&sb, buf, sizeof(buf));
	if (code == PPP_IDENT) {
		if ((ret = lcp_ident_decode(data, &id)) != 0)
			return ret;
		if (l->ident_logged)
			return 0;
		l->ident_logged = true;
		sbuf_escaped(&sb, id.msg, id.msg_len);
		ppp_log(s, "lcp: peer identification \"%s\"", sbuf_str(&sb));
		return 0;
	}
	if ((ret = lcp_time_rem_decode(data, &tr)) != 0)
		return ret;
	if (l->time_rem_logged)
		return 0;
	l->time_rem_logged = true;
	sbuf_escaped(&sb, tr.msg, tr.msg_len);
	ppp_log(s, "lcp: peer time-remaining %lu s \"%s\"",
	    (unsigned long)tr.seconds, sbuf_str(&sb));
	return 0;
}

static int
lcp_extra_code(struct fsm *f, uint8_t code, uint8_t id, struct rd *data,
    enum fsm_event *ev, struct wr *reply)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	struct lcp_echo e, rep;
	int ret;

	switch (code) {
	case PPP_ECHO_REQ:
		if ((ret = lcp_echo_decode(data, &e)) != 0)
			return ret;
		*ev = FSM_EV_RXR;	/* the table answers only in Opened */
		if (f->state != FSM_OPENED)
			return 0;
		/* our magic, the peer's data cut to its MRU (accel-ppp#204) */
		memset(&rep, 0, sizeof(rep));
		rep.magic = l->magic_neg ? l->magic : 0;
		rep.data = e.data;
		rep.data_len = e.data_len;
		return lcp_echo_build(reply, PPP_ECHO_REP, id, &rep,
		    f->cfg.max_pkt);
	case PPP_ECHO_REP:
		if ((ret = lcp_echo_decode(data, &e)) != 0)
			return ret;
		l->echo_outstanding = 0;
		s->stats.echo_rcvd++;
		*ev = FSM_EV_RXR;
		return 0;
	case PPP_DISC_REQ:
		if ((ret = lcp_echo_decode(data, &e)) != 0)
			return ret;
		*ev = FSM_EV_RXR;
		return 0;
	case PPP_PROTO_REJ:
		return lcp_rx_proto_rej(s, data);
	case PPP_IDENT:
	case PPP_TIME_REM:
		/* never Code-Reject these: Windows sends "MSRASV5.20" */
		return lcp_rx_info(s, code, data);
	default:
		return ERR_CODE;
	}
}

static bool
lcp_code_rejected(struct fsm *f, uint8_t code)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	char text[PPP_REASON_MAX + 1];
	bool fatal = code >= PPP_CONF_REQ && code <= PPP_CODE_REJ;

	if (code == PPP_ECHO_REQ || code == PPP_ECHO_REP) {
		if (!l->echo_off)
			ppp_log(s, "lcp: peer Code-Rejected Echo: no dead-peer "
			    "detection by LCP Echo");
		l->echo_off = true;
		l->echo_next = UINT64_MAX;
		return false;
	}
	if (!fatal) {
		ppp_log(s, "lcp: peer Code-Rejected LCP code %u",
		    (unsigned)code);
		return false;
	}
	snprintf(text, sizeof(text), "the peer Code-Rejected LCP code %u "
	    "(%s)", (unsigned)code, ppp_code_name(PPP_LCP, code));
	ppp_fail(s, PPP_DOWN_PROTOCOL, 0, "%s", text);
	return true;
}

/* --- this-layer signals --- */

static void
lcp_tlu(struct fsm *f)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	const char *auth, *who;

	l->peer_mru = l->acked.has_mru ? l->acked.mru : LCP_MRU_STD;
	l->peer_magic = l->acked.has_magic ? l->acked.magic : 0;
	l->magic_neg = l->want_magic;
	l->tx_pfc = l->acked.pfc;
	l->tx_acfc = l->acked.acfc;
	if (s->cfg.role == PPP_ROLE_CLIENT) {
		l->peer_auth_proto = l->acked.auth_proto;
		l->peer_auth_alg = l->acked.auth_alg;
		auth = lcp_auth_name(l->peer_auth_proto, l->peer_auth_alg);
		who = " (the peer authenticates us)";
	} else {
		auth = lcp_auth_name(l->auth_proto, l->auth_alg);
		who = " (we authenticate the peer)";
	}
	l->peer_term = false;
	l->loops = 0;
	fsm_set_max_pkt(f, l->peer_mru);
	l->echo_outstanding = 0;
	l->echo_next = lcp_after_ms(l->now, s->cfg.echo_interval_ms);
	ppp_log(s, "lcp: opened: peer mru %u, our mru %u, auth %s%s, "
	    "pcomp %s, accomp %s", (unsigned)l->peer_mru,
	    (unsigned)(l->want_mru != 0 ? l->want_mru : LCP_MRU_STD),
	    auth != NULL ? auth : "none", auth != NULL ? who : "",
	    l->tx_pfc ? "on" : "off", l->tx_acfc ? "on" : "off");
	ppp_lcp_up(s);
}

static void
lcp_tld(struct fsm *f)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	char text[PPP_REASON_MAX + 1];
	struct sbuf sb;

	l->echo_next = UINT64_MAX;
	if (l->rx_code == PPP_TERM_REQ) {
		sbuf_init(&sb, text, sizeof(text));
		sbuf_printf(&sb, "the peer terminated the link");
		if (l->peer_term_len > 0) {
			sbuf_printf(&sb, ": \"");
			sbuf_escaped(&sb, l->peer_term_text, l->peer_term_len);
			sbuf_printf(&sb, "\"");
		}
		ppp_fail(s, PPP_DOWN_PEER, 0, "%s", sbuf_str(&sb));
	}
	ppp_lcp_down(s);
}

/* Why LCP finished when nobody said why: the negotiation gave up. */
static void
lcp_explain_end(struct ppp *s)
{
	struct lcp_state *l = &s->lcp;
	char text[PPP_REASON_MAX + 1];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	if (l->fsm.state != FSM_STOPPED) {
		ppp_fail(s, PPP_DOWN_ADMIN, 0, "LCP closed");
	} else if (l->peer_term) {
		sbuf_printf(&sb, "the peer terminated the link");
		if (l->peer_term_len > 0) {
			sbuf_printf(&sb, ": \"");
			sbuf_escaped(&sb, l->peer_term_text, l->peer_term_len);
			sbuf_printf(&sb, "\"");
		}
		ppp_fail(s, PPP_DOWN_PEER, 0, "%s", sbuf_str(&sb));
	} else if (l->rx_pkts == 0) {
		ppp_fail(s, PPP_DOWN_NO_ANSWER, 0,
		    "no LCP answer from the peer: is GRE blocked?");
	} else if (l->rx_conf_replies == 0) {
		sbuf_printf(&sb, "our LCP Configure-Requests were never "
		    "answered, though %lu LCP packets came from the peer: is "
		    "GRE toward the peer blocked?", (unsigned long)l->rx_pkts);
		ppp_fail(s, PPP_DOWN_NO_ANSWER, 0, "%s", sbuf_str(&sb));
	} else {
		sbuf_printf(&sb, "LCP negotiation did not converge");
		if (l->nak_rx_count > 0 && l->nak_rx_count >= l->nak_tx_count)
			sbuf_printf(&sb, ": the peer refused our %s %u times "
			    "in a row", lcp_opt_name(l->nak_rx_opt),
			    l->nak_rx_count);
		else if (l->nak_tx_count > 0)
			sbuf_printf(&sb, ": we refused the peer's %s %u times "
			    "in a row", lcp_opt_name(l->nak_tx_opt),
			    l->nak_tx_count);
		ppp_fail(s, PPP_DOWN_NEGOTIATION, 0, "%s", sbuf_str(&sb));
	}
}

static void
lcp_tlf(struct fsm *f)
{
	struct ppp *s = f->ctx;

	s->lcp.echo_next = UINT64_MAX;
	if (!s->down_set)
		lcp_explain_end(s);
	ppp_lcp_finished(s);
}

static void
lcp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;

	switch (len >= FSM_HDR_LEN ? pkt[0] : 0) {
	case PPP_CONF_REQ:	/* once per request, not per retransmission */
		if (l->req_logged && l->req_log_id == pkt[1])
			break;
		l->req_logged = true;
		l->req_log_id = pkt[1];
		lcp_log_pkt(s, "sent", pkt, len);
		break;
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
	case PPP_TERM_REQ:
	case PPP_TERM_ACK:
	case PPP_CODE_REJ:
		lcp_log_pkt(s, "sent", pkt, len);
		break;
	}
	ppp_send_proto(s, PPP_LCP, pkt, len);
}

static const struct fsm_callbacks lcp_callbacks = {
	.tlu = lcp_tlu,
	.tld = lcp_tld,
	.tlf = lcp_tlf,
	.reset = lcp_opts_reset,
	.build_req = lcp_opts_build,
	.judge_req = lcp_opts_judge,
	.got_ack = lcp_opts_got_ack,
	.got_nak = lcp_opts_got_nak,
	.got_rej = lcp_opts_got_rej,
	.extra_code = lcp_extra_code,
	.code_rejected = lcp_code_rejected,
	.send = lcp_send,
};

/* --- the part's interface --- */

int
lcp_init(struct ppp *s)
{
	struct lcp_state *l = &s->lcp;
	int ret;

	memset(l, 0, sizeof(*l));
	if ((ret = fsm_init(&l->fsm, PPP_LCP, "lcp", &lcp_callbacks,
	    &s->cfg.fsm, s)) != 0)
		return ret;
	/* the wishes are set when negotiation starts (lcp_opts_reset) */
	l->peer_mru = LCP_MRU_STD;
	l->echo_next = UINT64_MAX;
	return 0;
}

void
lcp_start(struct ppp *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;

	l->now = now;
	(void)fsm_up(&l->fsm, now);
	(void)fsm_open(&l->fsm, now);
	lcp_after(s);
}

int
lcp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct lcp_state *l = &s->lcp;
	struct ppp_cp hdr;
	struct rd r, data;
	size_t n;
	int ret;

	l->now = now;
	l->rx_code = 0;
	rd_init(&r, pkt, len);
	if (ppp_cp_decode(&r, &hdr, &data) == 0) {
		l->rx_pkts++;
		l->rx_code = hdr.code;
		switch (hdr.code) {
		case PPP_CONF_REQ:
			l->rx_conf_reqs++;
			lcp_log_pkt(s, "rcvd", pkt, len);
			break;
		case PPP_CONF_ACK:
		case PPP_CONF_NAK:
		case PPP_CONF_REJ:
			l->rx_conf_replies++;
			lcp_log_pkt(s, "rcvd", pkt, len);
			break;
		case PPP_TERM_REQ:
			n = rd_left(&data);
			if (n > sizeof(l->peer_term_text))
				n = sizeof(l->peer_term_text);
			memcpy(l->peer_term_text, rd_cur(&data), n);
			l->peer_term_len = (uint8_t)n;
			l->peer_term = true;
			lcp_log_pkt(s, "rcvd", pkt, len);
			break;
		case PPP_TERM_ACK:
		case PPP_CODE_REJ:
			lcp_log_pkt(s, "rcvd", pkt, len);
			break;
		}
	}
	ret = fsm_input(&l->fsm, now, pkt, len);
	l->rx_code = 0;
	lcp_after(s);
	return ret;
}

void
lcp_rx_activity(struct ppp *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;

	l->last_rx = now;
	l->echo_outstanding = 0;
	if (l->fsm.state == FSM_OPENED)
		l->echo_next = lcp_after_ms(now, s->cfg.echo_interval_ms);
}

static bool
lcp_echo_on(const struct ppp *s)
{
	return s->cfg.echo_interval_ms > 0 && !s->lcp.echo_off &&
	    s->lcp.fsm.state == FSM_OPENED;
}

uint64_t
lcp_deadline(const struct ppp *s)
{
	const struct lcp_state *l = &s->lcp;
	uint64_t d = fsm_deadline(&l->fsm);

	if (lcp_echo_on(s) && l->echo_next < d)
		d = l->echo_next;
	return d;
}

static void
lcp_send_echo(struct ppp *s)
{
	struct lcp_state *l = &s->lcp;
	uint8_t buf[FSM_HDR_LEN + LCP_ECHO_FIXED];
	struct lcp_echo e;
	struct wr w;

	memset(&e, 0, sizeof(e));
	e.magic = l->magic_neg ? l->magic : 0;
	wr_init(&w, buf, sizeof(buf));
	if (lcp_echo_build(&w, PPP_ECHO_REQ, l->echo_id++, &e,
	    sizeof(buf)) != 0)
		return;
	s->stats.echo_sent++;
	ppp_send_proto(s, PPP_LCP, buf, wr_len(&w));
}

/* Dead-peer detection: one Echo-Request per silent interval; the
 * interval after echo_failures unanswered ones ends the session. */
static void
lcp_echo_tick(struct ppp *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;
	char text[PPP_REASON_MAX + 1];

	if (!lcp_echo_on(s) || now < l->echo_next)
		return;
	if (s->cfg.echo_failures > 0 &&
	    l->echo_outstanding >= s->cfg.echo_failures) {
		l->echo_next = UINT64_MAX;
		snprintf(text, sizeof(text), "peer did not answer %u LCP "
		    "Echo-Requests", l->echo_outstanding);
		ppp_fail(s, PPP_DOWN_ECHO, 0, "%s", text);
		return;
	}
	lcp_send_echo(s);
	l->echo_outstanding++;
	l->echo_next = lcp_after_ms(now, s->cfg.echo_interval_ms);
}

void
lcp_timeout(struct ppp *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;

	l->now = now;
	(void)fsm_timeout(&l->fsm, now);
	lcp_echo_tick(s, now);
	lcp_after(s);
}

void
lcp_close(struct ppp *s, uint64_t now, const char *reason)
{
	struct lcp_state *l = &s->lcp;

	l->now = now;
	if (l->fsm.busy) {	/* from a callback: after the FSM returns */
		l->close_pending = true;
		snprintf(l->close_reason, sizeof(l->close_reason), "%s",
		    reason != NULL ? reason : "");
		return;
	}
	l->close_pending = false;
	l->echo_next = UINT64_MAX;
	(void)fsm_close(&l->fsm, now, reason);
	lcp_after(s);
}

void
lcp_lower_down(struct ppp *s, uint64_t now)
{
	struct lcp_state *l = &s->lcp;

	l->now = now;
	l->echo_next = UINT64_MAX;
	(void)fsm_down(&l->fsm, now);
}

void
lcp_send_proto_rej(struct ppp *s, uint16_t proto, const uint8_t *info,
    size_t len)
{
	struct lcp_state *l = &s->lcp;
	uint8_t buf[FSM_PKT_MAX];
	struct lcp_proto_rej pr;
	struct wr w;

	if (!lcp_is_open(s))
		return;		/* RFC 1661 5.7: only in Opened */
	memset(&pr, 0, sizeof(pr));
	pr.proto = proto;
	pr.info = info;
	pr.info_len = info != NULL ? len : 0;
	wr_init(&w, buf, sizeof(buf));
	if (lcp_proto_rej_build(&w, l->rej_id++, &pr, l->fsm.cfg.max_pkt) != 0)
		return;
	if (l->rej_logged != proto) {	/* a flood logs once */
		l->rej_logged = proto;
		lcp_log_pkt(s, "sent", buf, wr_len(&w));
	}
	ppp_send_proto(s, PPP_LCP, buf, wr_len(&w));
}

bool
lcp_is_open(const struct ppp *s)
{
	return s->lcp.fsm.state == FSM_OPENED;
}

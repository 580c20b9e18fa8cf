/*
 * ccp.c - the Compression Control Protocol (RFC 1962) as pptpkit runs it:
 * option 18 only, MPPE only (RFC 3078 2 and 2.1 negotiation, RFC 3078 8
 * with RFC 1962 5.1/5.2 Reset-Request/-Ack for stateful loss), keys from
 * the authentication phase (RFC 3079, auth_mppe_keys), the two data
 * directions from src/crypto/mppe.h.  Every other compression option is
 * Configure-Rejected; MPPC (the C bit, RFC 2118) is Nak'd away.
 *
 * The policy and the failure text are described in ccp.h.
 */
#include <stdio.h>
#include <string.h>

#include "../base/secret.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "ppp_int.h"

#define MPPE_STRENGTHS	(MPPE_OPT_S | MPPE_OPT_M | MPPE_OPT_L)

static bool
ccp_required(const struct ppp *s)
{
	return s->cfg.mppe == PPP_MPPE_REQUIRED;
}

/* The three strengths, strongest first (RFC 3078 2.1: S > M > L). */
static const struct {
	uint32_t	opt;		/* MPPE_OPT_* of ppp_opt.h */
	unsigned	policy;		/* PPP_MPPE_* of ppp.h */
	unsigned	bits;
} ccp_strengths[] = {
	{ MPPE_OPT_S, PPP_MPPE_128, 128 },
	{ MPPE_OPT_M, PPP_MPPE_56, 56 },
	{ MPPE_OPT_L, PPP_MPPE_40, 40 },
};
#define CCP_NSTRENGTHS	(sizeof(ccp_strengths) / sizeof(ccp_strengths[0]))

/* The strongest single strength in mask, or 0. */
static uint32_t
ccp_strongest(uint32_t mask)
{
	size_t i;

	for (i = 0; i < CCP_NSTRENGTHS; i++)
		if (mask & ccp_strengths[i].opt)
			return ccp_strengths[i].opt;
	return 0;
}

/* 128, 56 or 40 for one strength bit; 0 for anything else. */
static unsigned
ccp_key_bits(uint32_t strength)
{
	size_t i;

	for (i = 0; i < CCP_NSTRENGTHS; i++)
		if (strength == ccp_strengths[i].opt)
			return ccp_strengths[i].bits;
	return 0;
}

/* Both modes allowed and stateful preferred (see "The mode" in ccp.h). */
static bool
ccp_prefers_stateful(const struct ppp *s)
{
	return s->cfg.mppe_stateless && s->cfg.mppe_stateful &&
	    s->cfg.mppe_prefer_stateful;
}

/* The mode we ask for: stateful when it is the only one allowed, or
 * preferred and the peer has not insisted on stateless. */
static bool
ccp_want_stateful(const struct ppp *s)
{
	if (!s->cfg.mppe_stateless)
		return true;
	return ccp_prefers_stateful(s) && !s->ccp.peer_stateless;
}

/*
 * The mode for an answer to the peer's value v: H (stateless) or 0
 * (stateful).  With both allowed, an explicit stateful request (a strength
 * without H) is kept, anything else gets the mode we ask for: stateless
 * unless stateful is preferred (RFC 3078 9: stateful "SHOULD NOT be used"
 * over lossy links).
 */
static uint32_t
ccp_mode_for(const struct ppp *s, uint32_t v)
{
	if (s->cfg.mppe_stateless && s->cfg.mppe_stateful) {
		if ((v & MPPE_STRENGTHS) && !(v & MPPE_OPT_H))
			return 0;
		return ccp_want_stateful(s) ? 0 : MPPE_OPT_H;
	}
	return s->cfg.mppe_stateless ? MPPE_OPT_H : 0;
}

/* The peer insists on stateless (it asked again after our Nak to stateful,
 * or Nak'd our stateful request): we follow it from now on. */
static void
ccp_peer_insists_stateless(struct ppp *s)
{
	if (!ccp_prefers_stateful(s) || s->ccp.peer_stateless)
		return;
	s->ccp.peer_stateless = true;
	ppp_log(s, "ccp: the peer insists on stateless MPPE; stateless it is");
}

/* The strengths policy allows and the authentication can key. */
static uint32_t
ccp_keyable(struct ppp *s)
{
	uint8_t send[MPPE_KEY_MAX], recv[MPPE_KEY_MAX];
	uint32_t allow = 0;
	size_t i;

	for (i = 0; i < CCP_NSTRENGTHS; i++)	/* ppp_new checked the modes */
		if ((s->cfg.mppe_bits & ccp_strengths[i].policy) &&
		    auth_mppe_keys(s, ccp_strengths[i].bits, send, recv) == 0)
			allow |= ccp_strengths[i].opt;
	secret_wipe(send, sizeof(send));
	secret_wipe(recv, sizeof(recv));
	return allow;
}

static const char *
ccp_method_name(unsigned m)
{
	return m == PPP_AUTH_PAP ? "PAP" : m == PPP_AUTH_CHAP_MD5 ? "CHAP-MD5" :
	    m == PPP_AUTH_MSCHAPV1 ? "MS-CHAPv1" :
	    m == PPP_AUTH_MSCHAPV2 ? "MS-CHAPv2" : "no authentication";
}

/* "<mppe +H -M +S -L -D -C>", or "nothing" before any offer. */
static void
ccp_offer_print(bool has, uint32_t v, struct sbuf *sb)
{
	struct mppe_opt m;

	if (!has) {
		sbuf_printf(sb, "nothing");
		return;
	}
	mppe_opt_from_bits(v, &m);
	sbuf_printf(sb, "<mppe ");
	mppe_opt_print(&m, sb);
	sbuf_printf(sb, ">");
}

/* "40/128-bit stateless": what the policy lets us agree to (when nothing
 * can be keyed, what was configured). */
static void
ccp_policy_print(const struct ppp *s, struct sbuf *sb)
{
	const char *sep = "";
	size_t i;
	bool on;

	for (i = CCP_NSTRENGTHS; i-- > 0;) {
		on = s->ccp.allow != 0 ? (s->ccp.allow & ccp_strengths[i].opt) :
		    (s->cfg.mppe_bits & ccp_strengths[i].policy);
		if (on) {
			sbuf_printf(sb, "%s%u", sep, ccp_strengths[i].bits);
			sep = "/";
		}
	}
	sbuf_printf(sb, "-bit%s", s->cfg.mppe_stateful ?
	    (s->cfg.mppe_stateless ? "" : " stateful") : " stateless");
}

/* Records a failure for ccp_settle (the first one wins). */
static void
ccp_fail_set(struct ccp_state *c, const char *text)
{
	if (!c->pend_fail)
		snprintf(c->fail_text, sizeof(c->fail_text), "%s", text);
	c->pend_fail = true;
}

/*
 * MPPE cannot be agreed.  Required: the session fails with both offers in
 * the reason.  Allowed: CCP closes and the link goes on in the clear.
 */
static void
ccp_no_agreement(struct ppp *s, const char *why)
{
	struct ccp_state *c = &s->ccp;
	char buf[CCP_REASON_MAX + 1];
	struct sbuf sb;

	sbuf_init(&sb, buf, sizeof(buf));
	sbuf_printf(&sb, "MPPE not agreed: we offered ");
	ccp_offer_print(c->has_our_offer, c->our_offer, &sb);
	sbuf_printf(&sb, ", peer offered ");
	ccp_offer_print(c->has_peer_offer, c->peer_offer, &sb);
	if (ccp_required(s)) {
		sbuf_printf(&sb, ": policy requires ");
		ccp_policy_print(s, &sb);
		sbuf_printf(&sb, " (%s)", why);
		ccp_fail_set(c, sbuf_str(&sb));
	} else if (!c->pend_close && !c->closing) {
		c->pend_close = true;
		ppp_log(s, "%s (%s); continuing without MPPE", sbuf_str(&sb),
		    why);
	}
}

static void
ccp_note_peer_offer(struct ccp_state *c, uint32_t v)
{
	if (!c->has_peer_offer) {
		c->peer_offer = v;
		c->has_peer_offer = true;
	}
}

static void
ccp_mppe_off(struct ccp_state *c)
{
	c->active = c->reset_acked = c->stateless = false;
	c->bits = 0;
	mppe_dir_fini(&c->tx);
	mppe_dir_fini(&c->rx);
	c->reset_next = UINT64_MAX;
}

/* A round-trip sample in ms, at least 1. */
static uint32_t
ccp_rtt(uint64_t sent, uint64_t now)
{
	return now > sent ? (uint32_t)(now - sent) : 1;
}

/* --- FSM callbacks --- */

static void
ccp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct ppp *s = f->ctx;

	ncp_log_pkt(s, PPP_CCP, "sent", pkt, len, &s->ccp.req_logged,
	    &s->ccp.req_log_id);
	if (pkt[0] == PPP_CONF_REQ && s->ccp.req_sends++ == 0)
		s->ccp.req_sent = s->now;	/* ccp_build_req zeroed it */
	ppp_send_proto(s, PPP_CCP, pkt, len);
}

static void
ccp_reset(struct fsm *f)
{
	struct ppp *s = f->ctx;
	struct ccp_state *c = &s->ccp;

	/* RFC 3078 2.1: "the initiator requests everything it supports" */
	c->want_bits = c->allow;
	if (c->allow != 0 && !ccp_want_stateful(s))
		c->want_bits |= MPPE_OPT_H;
	c->naks_rcvd = 0;	/* (peer_bits stays: judged before reset) */
}

static int
ccp_build_req(struct fsm *f, struct wr *w)
{
	struct ccp_state *c = &((struct ppp *)f->ctx)->ccp;

	if (!c->has_our_offer) {
		c->our_offer = c->want_bits;
		c->has_our_offer = true;
	}
	c->req_sends = 0;		/* a new request: a new sample */
	return c->want_bits == 0 ? 0 :
	    ppp_opt_u32_put(w, CCP_OPT_MPPE, c->want_bits);
}

/*
 * One option-18 value of the peer's request: PPP_CONF_ACK, PPP_CONF_REJ,
 * or PPP_CONF_NAK with *nak the single strength and mode we want.
 */
static int
ccp_judge_mppe(struct ppp *s, uint32_t v, uint32_t *nak)
{
	struct ccp_state *c = &s->ccp;
	uint32_t offered = v & MPPE_STRENGTHS, common = offered & c->allow;
	uint32_t ideal;

	if (c->allow == 0)		/* we do no MPPE at all */
		return v == 0 ? PPP_CONF_ACK : PPP_CONF_REJ;
	if (v == 0 && !ccp_required(s))
		return PPP_CONF_ACK;	/* "no MPPE" (ppp#558) */
	if (offered != 0 && common == 0) {
		ccp_no_agreement(s, "no common strength");
		return PPP_CONF_REJ;
	}
	/* Stateless again after our Nak to stateful: the peer insists. */
	if ((v & MPPE_OPT_H) && c->nakd_stateful)
		ccp_peer_insists_stateless(s);
	/* Only C, D, H or nothing: prompt with our strongest. */
	ideal = ccp_strongest(offered != 0 ? common : c->allow) |
	    ccp_mode_for(s, v);
	if (v == ideal)
		return PPP_CONF_ACK;
	if (fsm_nak_exhausted(&c->fsm)) {
		ccp_no_agreement(s, "peer keeps refusing");
		return PPP_CONF_REJ;
	}
	if ((v & MPPE_OPT_H) && !(ideal & MPPE_OPT_H) &&
	    ccp_prefers_stateful(s))
		c->nakd_stateful = true;
	*nak = ideal;
	return PPP_CONF_NAK;
}

static int
ccp_judge(struct fsm *f, struct rd *opts, struct wr *reply)
{
	struct ppp *s = f->ctx;
	struct ccp_state *c = &s->ccp;
	uint8_t rbuf[FSM_PKT_MAX];
	uint32_t v, nakv = 0, acked = 0;
	bool seen = false, nak = false;
	struct ppp_opt o;
	struct mppe_opt m;
	struct wr rej;
	int ret, verdict;

	wr_init(&rej, rbuf, sizeof(rbuf));
	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		/* Deflate, BSD, Predictor, Stac...: not ours; nor a second
		 * or malformed option 18 */
		verdict = PPP_CONF_REJ;
		if (o.type == CCP_OPT_MPPE && !seen &&
		    ccp_opt_mppe_decode(&o, &m) == 0) {
			seen = true;
			v = mppe_opt_to_bits(&m);
			ccp_note_peer_offer(c, v);
			verdict = ccp_judge_mppe(s, v, &nakv);
			acked = verdict == PPP_CONF_ACK ? v : acked;
			nak = nak || verdict == PPP_CONF_NAK;
		}
		if (verdict == PPP_CONF_REJ)
			ppp_opt_put(&rej, o.type, rd_cur(&o.val),
			    rd_left(&o.val));
	}
	if (ret < 0)
		return ret;
	if (!seen && c->allow != 0 && ccp_required(s)) {
		/* No MPPE asked for our receive direction: prompt for it
		 * (RFC 1661 5.3 lets a Nak add options). */
		if (fsm_nak_exhausted(f))
			ccp_no_agreement(s, "peer asks no MPPE");
		else {
			nak = true;
			nakv = ccp_strongest(c->allow) | ccp_mode_for(s, 0);
		}
	}
	if (wr_len(&rej) > 0) {
		wr_bytes(reply, rbuf, wr_len(&rej));
		return PPP_CONF_REJ;
	}
	if (nak)	/* the one value we want (a full reply: ERR_NOSPACE) */
		return ppp_opt_u32_put(reply, CCP_OPT_MPPE, nakv) == 0 ?
		    PPP_CONF_NAK : ERR_NOSPACE;
	c->peer_bits = acked;
	return PPP_CONF_ACK;
}

/* The peer Nak'd our request: take its strength and mode if allowed; a
 * mode we do not allow: insist on ours (the same request again, bounded by
 * max_failure); else refuse the packet (no further request) and let
 * ccp_settle end it. */
static int
ccp_got_nak(struct fsm *f, struct rd *opts)
{
	struct ppp *s = f->ctx;
	struct ccp_state *c = &s->ccp;
	uint32_t v = 0, common;
	bool seen = false, mode_ok;
	char why[32];
	struct ppp_opt o;
	struct mppe_opt m;
	int ret;

	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		if (o.type != CCP_OPT_MPPE)
			continue;	/* a method we did not ask for */
		if (ccp_opt_mppe_decode(&o, &m) != 0)
			return ERR_OPTION;
		v = mppe_opt_to_bits(&m);
		seen = true;
	}
	if (ret < 0 || !seen)
		return ret < 0 ? ret : 0;
	ccp_note_peer_offer(c, v);
	common = v & c->allow;
	mode_ok = (v & MPPE_OPT_H) ? s->cfg.mppe_stateless :
	    s->cfg.mppe_stateful;
	why[0] = '\0';
	if (common == 0)
		snprintf(why, sizeof(why), (v & MPPE_STRENGTHS) != 0 ?
		    "peer Naks to %u-bit" : "peer Naks to no MPPE",
		    ccp_key_bits(ccp_strongest(v)));
	else if (++c->naks_rcvd > f->cfg.max_failure)
		snprintf(why, sizeof(why), mode_ok ? "peer keeps Nak'ing" :
		    "peer Naks to %s", (v & MPPE_OPT_H) ? "stateless" :
		    "stateful");
	if (why[0] != '\0') {
		ccp_no_agreement(s, why);
		return ERR_UNSUPPORTED;
	}
	if (!mode_ok) {
		/* insist: the strength it names, our mode */
		c->want_bits = ccp_strongest(common) |
		    (c->want_bits & MPPE_OPT_H);
		return 0;
	}
	if ((v & MPPE_OPT_H) && !(c->want_bits & MPPE_OPT_H))
		ccp_peer_insists_stateless(s);
	c->want_bits = ccp_strongest(common) | (v & MPPE_OPT_H);
	return 0;
}

/* Our request acked: a round-trip sample for the Reset-Request timer. */
static int
ccp_got_ack(struct fsm *f, struct rd *opts)
{
	struct ppp *s = f->ctx;

	(void)opts;
	if (s->ccp.req_sends == 1)
		s->ccp.reset_rtt = ccp_rtt(s->ccp.req_sent, s->now);
	return 0;
}

static int
ccp_got_rej(struct fsm *f, struct rd *opts)
{
	struct ppp *s = f->ctx;
	struct ppp_opt o;
	uint32_t v;
	bool seen = false;
	int ret;

	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		/* only option 18, as we sent it, can be rejected */
		if (o.type != CCP_OPT_MPPE || ppp_opt_u32_decode(&o, &v) != 0 ||
		    v != s->ccp.want_bits)
			return ERR_OPTION;
		seen = true;
	}
	if (ret < 0 || !seen)
		return ret < 0 ? ret : 0;
	ccp_no_agreement(s, "peer rejected MPPE");
	return ERR_UNSUPPORTED;
}

static void
ccp_tlu(struct fsm *f)
{
	struct ppp *s = f->ctx;
	struct ccp_state *c = &s->ccp;
	uint8_t send[MPPE_KEY_MAX], recv[MPPE_KEY_MAX];
	uint32_t ours = c->want_bits;
	char why[64];
	bool stateless;
	unsigned bits;

	if (ours == 0 && c->peer_bits == 0) {
		ppp_log(s, "ccp: up without MPPE");
		return;
	}
	if (ours != c->peer_bits || ccp_key_bits(ours & MPPE_STRENGTHS) == 0 ||
	    (ours & ~(MPPE_STRENGTHS | MPPE_OPT_H)) != 0) {
		ccp_no_agreement(s, "directions differ");
		return;
	}
	bits = ccp_key_bits(ours & MPPE_STRENGTHS);
	stateless = (ours & MPPE_OPT_H) != 0;
	if (auth_mppe_keys(s, bits, send, recv) != 0 ||
	    mppe_dir_init(&c->tx, send, bits, stateless) != 0 ||
	    mppe_dir_init(&c->rx, recv, bits, stateless) != 0) {
		ccp_mppe_off(c);
		snprintf(why, sizeof(why), "MPPE: %s gives no %u-bit keys",
		    ccp_method_name(s->auth.method), bits);
		ccp_fail_set(c, why);
	} else {
		c->active = true;
		c->bits = bits;
		c->stateless = stateless;
		c->reset_next = UINT64_MAX;
		c->pend_up = true;	/* ppp_ccp_up logs "mppe: ... on" */
	}
	secret_wipe(send, sizeof(send));
	secret_wipe(recv, sizeof(recv));
}

static void
ccp_tld(struct fsm *f)
{
	struct ppp *s = f->ctx;
	bool was = s->ccp.active;

	ccp_mppe_off(&s->ccp);
	s->ccp.pend_up = false;
	if (was)
		ppp_log(s, "mppe: off");
}

static void
ccp_tlf(struct fsm *f)
{
	struct ppp *s = f->ctx;
	struct ccp_state *c = &s->ccp;

	if (c->closing)
		ppp_log(s, "ccp: closed");
	else if (ccp_required(s))
		ccp_no_agreement(s, c->proto_rejected ?
		    "CCP Protocol-Rejected" : "CCP negotiation ended");
	else
		ppp_log(s, "ccp: %s; continuing without MPPE",
		    c->proto_rejected ? "Protocol-Rejected by the peer" :
		    "negotiation ended");
}

/* CCP codes 14 and 15 (RFC 1962 5.1, 5.2). */
static int
ccp_extra(struct fsm *f, uint8_t code, uint8_t id, struct rd *data,
    enum fsm_event *ev, struct wr *reply)
{
	struct ppp *s = f->ctx;
	struct ccp_state *c = &s->ccp;

	(void)data;		/* uninterpreted */
	*ev = FSM_EV_NONE;
	switch (code) {
	case PPP_RESET_REQ:
		if (f->state != FSM_OPENED || !c->active)
			return ERR_STATE;
		s->stats.mppe_resets_rcvd++;
		/* the next packet changes the key and carries FLUSHED */
		mppe_dir_reset(&c->tx);
		return ppp_cp_encode(reply, PPP_RESET_ACK, id, NULL, 0);
	case PPP_RESET_ACK:	/* the FLUSHED packet that follows resyncs */
		if (f->state != FSM_OPENED)
			return ERR_STATE;
		if (id == c->reset_id && mppe_dir_is_discarding(&c->rx)) {
			c->reset_acked = true;
			if (!c->reset_retx)	/* Karn: unambiguous only */
				c->reset_rtt = ccp_rtt(c->reset_sent, s->now);
		}
		return 0;
	default:
		return ERR_CODE;
	}
}

static const struct fsm_callbacks ccp_callbacks = {
	.tlu = ccp_tlu,
	.tld = ccp_tld,
	.tlf = ccp_tlf,
	.reset = ccp_reset,
	.build_req = ccp_build_req,
	.judge_req = ccp_judge,
	.got_ack = ccp_got_ack,
	.got_nak = ccp_got_nak,
	.got_rej = ccp_got_rej,
	.extra_code = ccp_extra,
	.send = ccp_send,
};

/* --- the part's entry points --- */

/* Runs what the callbacks deferred, now that the FSM is idle. */
static void
ccp_settle(struct ppp *s, uint64_t now)
{
	struct ccp_state *c = &s->ccp;

	if (c->pend_fail) {
		c->pend_fail = c->pend_close = c->pend_up = false;
		ppp_fail(s, PPP_DOWN_MPPE, 0, "%s", c->fail_text);
		return;
	}
	if (c->pend_close) {
		c->pend_close = false;
		c->closing = true;
		(void)fsm_close(&c->fsm, now, "MPPE not agreed");
	}
	if (c->pend_up) {
		c->pend_up = false;
		if (c->active)
			ppp_ccp_up(s);
	}
}

void
ccp_init(struct ppp *s)
{
	struct ccp_state *c = &s->ccp;

	memset(c, 0, sizeof(*c));
	c->reset_next = UINT64_MAX;
	if (fsm_init(&c->fsm, PPP_CCP, "ccp", &ccp_callbacks, &s->cfg.fsm,
	    s) != 0)
		return;		/* cannot happen: callbacks and send are set */
}

void
ccp_open(struct ppp *s, uint64_t now)
{
	struct ccp_state *c = &s->ccp;
	struct sbuf sb;
	char pol[64];

	if (c->fsm.state != FSM_INITIAL && c->fsm.state != FSM_STARTING)
		return;		/* already running */
	c->has_our_offer = c->has_peer_offer = c->closing = false;
	c->proto_rejected = c->running = false;
	c->nakd_stateful = c->peer_stateless = false;
	c->pend_fail = c->pend_close = c->pend_up = false;
	c->peer_bits = 0;
	if (s->cfg.mppe == PPP_MPPE_REFUSED)
		return;
	if ((c->allow = ccp_keyable(s)) == 0) {
		sbuf_init(&sb, pol, sizeof(pol));
		ccp_policy_print(s, &sb);
		if (ccp_required(s))
			ppp_fail(s, PPP_DOWN_MPPE, 0, "MPPE required but "
			    "impossible: %s gives no keys for %s",
			    ccp_method_name(s->auth.method), sbuf_str(&sb));
		else
			ppp_log(s, "mppe: %s gives no keys; continuing "
			    "without MPPE", ccp_method_name(s->auth.method));
		return;
	}
	c->running = true;
	fsm_set_max_pkt(&c->fsm, ppp_peer_mru(s));
	(void)fsm_up(&c->fsm, now);
	(void)fsm_open(&c->fsm, now);
	ccp_settle(s, now);
}

int
ccp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	int ret;

	if (!s->ccp.running) {
		/* policy refused or MPPE impossible: as pppd's noccp */
		if (s->phase != PPP_PHASE_NETWORK)
			return ERR_STATE;
		s->stats.rx_unknown_proto++;
		lcp_send_proto_rej(s, PPP_CCP, pkt, len);
		return 0;
	}
	ncp_log_pkt(s, PPP_CCP, "rcvd", pkt, len, NULL, NULL);
	ret = fsm_input(&s->ccp.fsm, now, pkt, len);
	ccp_settle(s, now);
	return ret;
}

uint64_t
ccp_deadline(const struct ppp *s)
{
	const struct ccp_state *c = &s->ccp;
	uint64_t d = fsm_deadline(&c->fsm);

	if (c->active && !c->stateless && mppe_dir_is_discarding(&c->rx) &&
	    c->reset_next < d)
		d = c->reset_next;
	return d;
}

void
ccp_timeout(struct ppp *s, uint64_t now)
{
	struct ccp_state *c = &s->ccp;

	(void)fsm_timeout(&c->fsm, now);
	if (c->active && !c->stateless && mppe_dir_is_discarding(&c->rx) &&
	    now >= c->reset_next) {
		/* still out of sync: the Reset-Request (or the FLUSHED
		 * packet) was lost; same Identifier (RFC 1962 5.1) */
		ccp_send_reset_req(s, now, false);
	}
	ccp_settle(s, now);
}

void
ccp_protocol_rejected(struct ppp *s, uint64_t now)
{
	struct ccp_state *c = &s->ccp;
	bool opened = c->fsm.state == FSM_OPENED;

	if (!c->running)
		return;
	c->proto_rejected = true;
	ppp_log(s, "ccp: Protocol-Rejected by the peer");
	(void)fsm_protocol_rejected(&c->fsm, now);
	/* from Opened, RXJ- goes to Stopping without tlf */
	if (opened && ccp_required(s))
		ccp_no_agreement(s, "CCP Protocol-Rejected");
	ccp_settle(s, now);
}

void
ccp_lower_down(struct ppp *s, uint64_t now)
{
	struct ccp_state *c = &s->ccp;

	(void)fsm_down(&c->fsm, now);
	ccp_mppe_off(c);
	c->pend_fail = c->pend_close = c->pend_up = c->running = false;
}

void
ccp_fini(struct ppp *s)
{
	ccp_mppe_off(&s->ccp);
}

/*
 * lcp_opts.c - LCP option negotiation for both roles (RFC 1661 6: MRU 6.1,
 * Authentication-Protocol 6.2, Magic-Number 6.4 with loop-back detection,
 * PFC 6.5, ACFC 6.6; RFC 1994 3 and RFC 2759 for the CHAP algorithms): our
 * Configure-Request, the judge of the peer's, and what the peer's Ack, Nak
 * and Reject change.  These are the option callbacks of LCP's FSM; lcp.c
 * holds the rest of LCP.  See lcp.h for the policy.
 */
#include <stdio.h>
#include <string.h>

#include "ppp_int.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"

#define LCP_MRU_STD	1500	/* RFC 1661 6.1: the default, never asked */

enum lcp_verdict { LCP_ACK, LCP_NAK, LCP_REJ };

/* --- authentication methods: policy bits <-> option values --- */

struct lcp_auth_method {
	unsigned	 bit;		/* PPP_AUTH_* */
	uint16_t	 proto;
	uint8_t		 alg;		/* CHAP only */
	const char	*name;
};

/* Strongest first: the order we offer them in as server. */
static const struct lcp_auth_method lcp_auth_methods[] = {
	{ PPP_AUTH_MSCHAPV2, PPP_CHAP, LCP_CHAP_MSCHAPV2, "MS-CHAPv2" },
	{ PPP_AUTH_MSCHAPV1, PPP_CHAP, LCP_CHAP_MSCHAP, "MS-CHAPv1" },
	{ PPP_AUTH_CHAP_MD5, PPP_CHAP, LCP_CHAP_MD5, "CHAP-MD5" },
	{ PPP_AUTH_PAP, PPP_PAP, 0, "PAP" },
};
#define LCP_NMETHODS	(sizeof(lcp_auth_methods) / sizeof(lcp_auth_methods[0]))

static const struct lcp_auth_method *
lcp_auth_by_wire(uint16_t proto, uint8_t alg)
{
	size_t i;

	for (i = 0; i < LCP_NMETHODS; i++)
		if (lcp_auth_methods[i].proto == proto &&
		    (proto != PPP_CHAP || lcp_auth_methods[i].alg == alg))
			return &lcp_auth_methods[i];
	return NULL;
}

static const struct lcp_auth_method *
lcp_auth_strongest(unsigned set)
{
	size_t i;

	for (i = 0; i < LCP_NMETHODS; i++)
		if (set & lcp_auth_methods[i].bit)
			return &lcp_auth_methods[i];
	return NULL;
}

const char *
lcp_auth_name(uint16_t proto, uint8_t alg)
{
	const struct lcp_auth_method *m = lcp_auth_by_wire(proto, alg);

	return m != NULL ? m->name : NULL;
}

/* "MS-CHAPv2, PAP" or "none". */
static void
lcp_auth_set_print(unsigned set, struct sbuf *sb)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < LCP_NMETHODS; i++) {
		if (set & lcp_auth_methods[i].bit) {
			sbuf_printf(sb, "%s%s", sep, lcp_auth_methods[i].name);
			sep = ", ";
		}
	}
	if (*sep == '\0')
		sbuf_printf(sb, "none");
}

/* What an Authentication-Protocol option asks for, in words. */
static void
lcp_auth_opt_print(const struct ppp_opt *o, struct sbuf *sb)
{
	const struct lcp_auth_method *m;
	struct lcp_auth a;

	if (lcp_opt_auth_decode(o, &a) != 0) {
		sbuf_printf(sb, "a malformed auth option");
		return;
	}
	if ((m = lcp_auth_by_wire(a.proto, a.chap_alg)) != NULL)
		sbuf_printf(sb, "%s", m->name);
	else if (a.proto == PPP_EAP)
		sbuf_printf(sb, "EAP");
	else if (a.proto == PPP_CHAP)
		sbuf_printf(sb, "CHAP algorithm 0x%02x", (unsigned)a.chap_alg);
	else
		sbuf_printf(sb, "protocol 0x%04x", (unsigned)a.proto);
}

/* --- small helpers --- */

/* A nonzero Magic-Number differing from both values (RFC 1661 6.4). */
static uint32_t
lcp_new_magic(struct ppp *s, uint32_t avoid1, uint32_t avoid2)
{
	uint32_t m = 0;
	int i;

	for (i = 0; i < 8; i++) {
		ppp_random(s, &m, sizeof(m));
		if (m != 0 && m != avoid1 && m != avoid2)
			return m;
	}
	/* a random source stuck on one value: still obey the rules */
	m = (avoid1 ^ 0x5a5a5a5au) | 1;
	while (m == 0 || m == avoid1 || m == avoid2)
		m++;
	return m;
}

static uint16_t
lcp_cfg_mru(const struct ppp *s)
{
	uint16_t mru = s->cfg.mru != 0 ? s->cfg.mru : PPP_MRU_DEFAULT;

	if (mru < PPP_MRU_MIN)
		mru = PPP_MRU_MIN;
	return mru > LCP_MRU_STD ? LCP_MRU_STD : mru;
}

const char *
lcp_opt_name(uint8_t type)
{
	switch (type) {
	case LCP_OPT_MRU:	return "mru";
	case LCP_OPT_ACCM:	return "asyncmap";
	case LCP_OPT_AUTH:	return "auth";
	case LCP_OPT_QUALITY:	return "quality";
	case LCP_OPT_MAGIC:	return "magic";
	case LCP_OPT_PFC:	return "pcomp";
	case LCP_OPT_ACFC:	return "accomp";
	case LCP_OPT_CALLBACK:	return "callback";
	case LCP_OPT_MRRU:	return "mrru";
	case LCP_OPT_SSNHF:	return "ssnhf";
	case LCP_OPT_ENDPOINT:	return "endpoint";
	case LCP_OPT_LINK_DISC:	return "link-discriminator";
	}
	return "unknown";
}

static void
lcp_count_nak(uint8_t *opt, unsigned *count, uint8_t type)
{
	if (*count > 0 && *opt == type) {
		(*count)++;
	} else {
		*opt = type;
		*count = 1;
	}
}

/* --- what we ask for --- */

/* Server: the method to require, preferring `prefer` when policy allows
 * it and the peer has not refused it.  False when none is left. */
static bool
lcp_auth_choose(struct ppp *s, const struct lcp_auth_method *prefer)
{
	struct lcp_state *l = &s->lcp;
	unsigned left = s->cfg.auth_methods & ~l->auth_tried;
	const struct lcp_auth_method *m;

	if (s->cfg.role != PPP_ROLE_SERVER) {
		l->auth_proto = 0;
		l->auth_alg = 0;
		return true;
	}
	m = prefer != NULL && (left & prefer->bit) ? prefer :
	    lcp_auth_strongest(left);
	if (m == NULL)
		return false;
	l->auth_proto = m->proto;
	l->auth_alg = m->alg;
	return true;
}

/* FSM reset: a new negotiation starts from the configured wishes. */
void
lcp_opts_reset(struct fsm *f)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;

	l->want_mru = lcp_cfg_mru(s);
	l->want_magic = true;
	l->magic = lcp_new_magic(s, l->magic, 0);
	l->want_pfc = !s->cfg.no_pfc;
	l->want_acfc = !s->cfg.no_acfc;
	l->auth_tried = 0;
	if (!lcp_auth_choose(s, NULL)) {	/* server with no method */
		l->auth_proto = 0;
		l->auth_alg = 0;
	}
	/* l->acked is left alone: it is the peer's request we last Acked,
	 * and the FSM runs this reset on the scr that follows judging a
	 * request in Stopped, Closed or Opened (RFC 1661 4.1 "irc,scr,sca"),
	 * i.e. after that Ack was decided.  Clearing it here made a client
	 * forget the authentication it had just agreed to. */
	l->loops = 0;
	l->nak_tx_count = 0;
	l->nak_rx_count = 0;
}

static bool
lcp_mru_sent(const struct lcp_state *l)
{
	return l->want_mru != 0 && l->want_mru != LCP_MRU_STD;
}

/* Our Configure-Request, options in type order. */
int
lcp_opts_build(struct fsm *f, struct wr *w)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	struct lcp_auth a;
	int ret = 0;

	if (lcp_mru_sent(l))
		ret = lcp_opt_mru_encode(w, l->want_mru);
	if (ret == 0 && l->auth_proto != 0) {
		memset(&a, 0, sizeof(a));
		a.proto = l->auth_proto;
		a.chap_alg = l->auth_alg;
		ret = lcp_opt_auth_encode(w, &a);
	}
	if (ret == 0 && l->want_magic)
		ret = lcp_opt_magic_encode(w, l->magic);
	if (ret == 0 && l->want_pfc)
		ret = lcp_opt_pfc_encode(w);
	if (ret == 0 && l->want_acfc)
		ret = lcp_opt_acfc_encode(w);
	return ret;
}

/* --- judging the peer's request --- */

/* Client: the peer's Authentication-Protocol.  Ack an allowed method,
 * else Nak with our strongest (EAP included: it is off by policy). */
static enum lcp_verdict
lcp_judge_auth(struct ppp *s, const struct ppp_opt *o, struct wr *nak,
    struct lcp_peer_opts *p)
{
	const struct lcp_auth_method *m;
	struct lcp_auth a;

	if (s->cfg.role == PPP_ROLE_SERVER)
		return LCP_REJ;		/* we do not authenticate to clients */
	if (lcp_opt_auth_decode(o, &a) != 0)
		return LCP_REJ;
	m = lcp_auth_by_wire(a.proto, a.chap_alg);
	if (m != NULL && (s->cfg.auth_methods & m->bit)) {
		p->auth_proto = a.proto;
		p->auth_alg = a.chap_alg;
		return LCP_ACK;
	}
	if ((m = lcp_auth_strongest(s->cfg.auth_methods)) == NULL)
		return LCP_REJ;
	memset(&a, 0, sizeof(a));
	a.proto = m->proto;
	a.chap_alg = m->alg;
	return lcp_opt_auth_encode(nak, &a) == 0 ? LCP_NAK : LCP_REJ;
}

/* One option of the peer's request.  A Nak writes our value into nak;
 * an acceptable value goes into *p; *loop is set for our own magic. */
static enum lcp_verdict
lcp_judge_opt(struct ppp *s, const struct ppp_opt *o, struct wr *nak,
    struct lcp_peer_opts *p, bool *loop)
{
	struct lcp_state *l = &s->lcp;
	uint32_t u32;
	uint16_t u16;

	switch (o->type) {
	case LCP_OPT_MRU:
		if (lcp_opt_mru_decode(o, &u16) != 0)
			return LCP_REJ;
		if (u16 < PPP_MRU_MIN)
			return lcp_opt_mru_encode(nak, PPP_MRU_MIN) == 0 ?
			    LCP_NAK : LCP_REJ;
		p->has_mru = true;
		p->mru = u16;
		return LCP_ACK;
	case LCP_OPT_ACCM:
		/* Meaningless without async HDLC (RFC 2637 4), but pppd
		 * always sends asyncmap 0: accept and ignore. */
		return lcp_opt_accm_decode(o, &u32) == 0 ? LCP_ACK : LCP_REJ;
	case LCP_OPT_AUTH:
		return lcp_judge_auth(s, o, nak, p);
	case LCP_OPT_MAGIC:
		if (lcp_opt_magic_decode(o, &u32) != 0)
			return LCP_REJ;
		/* RFC 1661 6.4: zero is illegal; our own value may be a
		 * looped-back link.  Either way Nak with a different one. */
		if (u32 == 0 || (l->want_magic && u32 == l->magic)) {
			*loop = *loop || u32 != 0;
			return lcp_opt_magic_encode(nak,
			    lcp_new_magic(s, l->magic, u32)) == 0 ?
			    LCP_NAK : LCP_REJ;
		}
		p->has_magic = true;
		p->magic = u32;
		return LCP_ACK;
	case LCP_OPT_PFC:
		if (s->cfg.no_pfc || lcp_opt_pfc_decode(o) != 0)
			return LCP_REJ;
		p->pfc = true;
		return LCP_ACK;
	case LCP_OPT_ACFC:
		if (s->cfg.no_acfc || lcp_opt_acfc_decode(o) != 0)
			return LCP_REJ;
		p->acfc = true;
		return LCP_ACK;
	default:
		/* Quality-Protocol, Callback (Windows CBCP), MRRU, SSNHF,
		 * Endpoint- and Link-Discriminator, anything unknown. */
		return LCP_REJ;
	}
}

int
lcp_opts_judge(struct fsm *f, struct rd *opts, struct wr *reply)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	uint8_t nakbuf[FSM_PKT_MAX], rejbuf[FSM_PKT_MAX];
	uint8_t one[PPP_OPT_HDR_LEN + PPP_OPT_VAL_MAX];
	struct lcp_peer_opts p;
	struct wr naks, rejs, w1;
	struct ppp_opt o;
	enum lcp_verdict v;
	unsigned nrej = 0, nnak = 0;
	uint8_t first = 0;
	bool loop = false;
	int ret;

	memset(&p, 0, sizeof(p));
	wr_init(&naks, nakbuf, sizeof(nakbuf));
	wr_init(&rejs, rejbuf, sizeof(rejbuf));
	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		wr_init(&w1, one, sizeof(one));
		v = lcp_judge_opt(s, &o, &w1, &p, &loop);
		if (v == LCP_NAK && fsm_nak_exhausted(f))
			v = LCP_REJ;	/* RFC 1661 4.6 Max-Failure */
		if (v == LCP_ACK)
			continue;
		if (nrej + nnak == 0)
			first = o.type;
		if (v == LCP_REJ) {
			nrej++;
			ppp_opt_put(&rejs, o.type, rd_cur(&o.val),
			    rd_left(&o.val));
		} else {
			nnak++;
			wr_bytes(&naks, one, wr_len(&w1));
		}
	}
	if (ret != PPP_OPT_END)
		return ERR_OPTION;	/* the list cannot be walked: discard */
	if (wr_error(&naks) != 0 || wr_error(&rejs) != 0)
		return ERR_NOSPACE;	/* a reply longer than any packet */

	if (!loop) {
		l->loops = 0;
	} else if (++l->loops >= LCP_LOOPBACK_MAX || fsm_nak_exhausted(f)) {
		ppp_fail(s, PPP_DOWN_LOOPBACK, 0, "the link is looped back: "
		    "our own LCP Magic-Number keeps coming back");
		return ERR_STATE;
	} else {
		/* RFC 1661 6.4: our own magic MUST be answered by a Nak with
		 * another.  Rejecting the rest too would, on a looped link,
		 * come back to us as a Reject of our own options (a server
		 * would read "the peer refuses to authenticate"), so the
		 * Nak goes alone; a real peer Rejects after its retry. */
		nrej = 0;
	}
	if (nrej + nnak > 0) {
		lcp_count_nak(&l->nak_tx_opt, &l->nak_tx_count, first);
		if (nrej > 0) {
			wr_bytes(reply, rejbuf, wr_len(&rejs));
			return PPP_CONF_REJ;
		}
		wr_bytes(reply, nakbuf, wr_len(&naks));
		return PPP_CONF_NAK;
	}
	l->nak_tx_count = 0;
	l->acked = p;
	return PPP_CONF_ACK;
}

/* --- the peer's answers to our request --- */

int
lcp_opts_got_ack(struct fsm *f, struct rd *opts)
{
	struct ppp *s = f->ctx;

	(void)opts;
	s->lcp.nak_rx_count = 0;
	return 0;
}

/* Server: the peer Nak'd our Authentication-Protocol. */
static int
lcp_auth_nakd(struct ppp *s, const struct ppp_opt *o)
{
	struct lcp_state *l = &s->lcp;
	const struct lcp_auth_method *cur, *want = NULL;
	char text[PPP_REASON_MAX + 1], wanted[48];
	struct sbuf sb, wb;
	struct lcp_auth a;

	cur = lcp_auth_by_wire(l->auth_proto, l->auth_alg);
	if (cur != NULL)
		l->auth_tried |= cur->bit;
	if (lcp_opt_auth_decode(o, &a) == 0)
		want = lcp_auth_by_wire(a.proto, a.chap_alg);
	sbuf_init(&wb, wanted, sizeof(wanted));
	lcp_auth_opt_print(o, &wb);
	if (lcp_auth_choose(s, want)) {
		cur = lcp_auth_by_wire(l->auth_proto, l->auth_alg);
		ppp_log(s, "lcp: peer wants %s authentication; we now ask "
		    "for %s", wanted, cur != NULL ? cur->name : "?");
		return 0;
	}
	sbuf_init(&sb, text, sizeof(text));
	sbuf_printf(&sb, "no common authentication method: the peer wants "
	    "%s, we allow ", wanted);
	lcp_auth_set_print(s->cfg.auth_methods, &sb);
	ppp_fail(s, PPP_DOWN_AUTH_POLICY, 0, "%s", sbuf_str(&sb));
	return ERR_STATE;
}

/* Checks that opts can be walked; with `ours`, that it names only options
 * of our request (a Configure-Reject, RFC 1661 5.4). */
static int
lcp_reply_check(const struct lcp_state *l, const struct rd *opts, bool ours)
{
	struct rd r = *opts;
	struct ppp_opt o;
	bool sent;
	int ret;

	while ((ret = ppp_opt_next(&r, &o)) == 0) {
		if (!ours)
			continue;
		switch (o.type) {
		case LCP_OPT_MRU:	sent = lcp_mru_sent(l); break;
		case LCP_OPT_AUTH:	sent = l->auth_proto != 0; break;
		case LCP_OPT_MAGIC:	sent = l->want_magic; break;
		case LCP_OPT_PFC:	sent = l->want_pfc; break;
		case LCP_OPT_ACFC:	sent = l->want_acfc; break;
		default:		sent = false; break;
		}
		if (!sent)
			return ERR_OPTION;
	}
	return ret == PPP_OPT_END ? 0 : ERR_OPTION;
}

int
lcp_opts_got_nak(struct fsm *f, struct rd *opts)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	struct ppp_opt o;
	uint32_t u32;
	uint16_t u16;
	bool first = true;
	int ret;

	if ((ret = lcp_reply_check(l, opts, false)) != 0)
		return ret;
	while (ppp_opt_next(opts, &o) == 0) {
		if (first)
			lcp_count_nak(&l->nak_rx_opt, &l->nak_rx_count, o.type);
		first = false;
		switch (o.type) {
		case LCP_OPT_MRU:
			/* take the peer's value if we can live with it;
			 * else stop asking (1500 always works) */
			if (lcp_opt_mru_decode(&o, &u16) != 0)
				break;
			l->want_mru = u16 >= PPP_MRU_MIN ? (u16 > LCP_MRU_STD ?
			    LCP_MRU_STD : u16) : 0;
			break;
		case LCP_OPT_AUTH:
			if (s->cfg.role == PPP_ROLE_SERVER &&
			    l->auth_proto != 0 &&
			    (ret = lcp_auth_nakd(s, &o)) != 0)
				return ret;
			break;	/* client: we do not authenticate the peer */
		case LCP_OPT_MAGIC:
			if (!l->want_magic)
				break;
			if (lcp_opt_magic_decode(&o, &u32) != 0)
				u32 = 0;
			l->magic = lcp_new_magic(s, l->magic, u32);
			break;
		case LCP_OPT_PFC:
			l->want_pfc = false;	/* a flag cannot be Nak'd */
			break;
		case LCP_OPT_ACFC:
			l->want_acfc = false;
			break;
		default:
			break;	/* suggestions we do not take (ACCM, ...) */
		}
	}
	return 0;
}

int
lcp_opts_got_rej(struct fsm *f, struct rd *opts)
{
	struct ppp *s = f->ctx;
	struct lcp_state *l = &s->lcp;
	char text[PPP_REASON_MAX + 1];
	struct sbuf sb;
	struct ppp_opt o;
	bool first = true;
	int ret;

	if ((ret = lcp_reply_check(l, opts, true)) != 0)
		return ret;
	while (ppp_opt_next(opts, &o) == 0) {
		if (first)
			lcp_count_nak(&l->nak_rx_opt, &l->nak_rx_count, o.type);
		first = false;
		switch (o.type) {
		case LCP_OPT_MRU:
			l->want_mru = 0;
			break;
		case LCP_OPT_AUTH:
			sbuf_init(&sb, text, sizeof(text));
			sbuf_printf(&sb, "the peer refuses to authenticate "
			    "(Configure-Reject of auth); we require ");
			lcp_auth_set_print(s->cfg.auth_methods, &sb);
			ppp_fail(s, PPP_DOWN_AUTH_POLICY, 0, "%s",
			    sbuf_str(&sb));
			return ERR_STATE;
		case LCP_OPT_MAGIC:
			l->want_magic = false;
			break;
		case LCP_OPT_PFC:
			l->want_pfc = false;
			break;
		case LCP_OPT_ACFC:
			l->want_acfc = false;
			break;
		}
	}
	return 0;
}
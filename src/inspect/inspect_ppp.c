/*
 * inspect_ppp.c - the analyzer's view of the PPP inside a call's GRE:
 * framing (RFC 1662 3.1 Address/Control, RFC 1661 6.5/6.6 PFC/ACFC),
 * frames per protocol, the negotiation timeline of LCP (RFC 1661), IPCP
 * (RFC 1332), IPV6CP (RFC 5072), CCP (RFC 1962), PAP (RFC 1334) and CHAP
 * (RFC 1994, MS-CHAP RFC 2433/2759), the last Configure-Ack per direction
 * and protocol, and the authentication exchange.  Printing goes through
 * the src/wire printers, so the timeline reads like the engine's logs.
 * The diagnosis's PPP evidence (struct ins_call_diag) is counted here per
 * control packet: Configure-* and Terminate per side with the options
 * Nak'd or Rejected, keepalives (RFC 1661 5.8), Protocol-Rejects, EAP
 * offers, MS-CHAP failure codes (RFC 2759 6), the CCP MPPE bits (RFC 3078
 * 2) and Reset-Requests, and a PAP password's mask, never the password.
 */
#include <string.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../inspect/inspect_int.h"
#include "../wire/cursor.h"
#include "../wire/ppp_auth.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_frame.h"
#include "../wire/ppp_opt.h"
#include "../wire/ppp_proto.h"

const char *
ins_proto_name(uint16_t proto)
{
	if (proto == PPP_COMP)
		return "MPPE";		/* tshark's "PPP Comp" data */
	return ppp_proto_name(proto);
}

const char *
ins_proto_label(uint16_t proto, char *buf, size_t cap)
{
	const char *pn = ins_proto_name(proto);

	if (pn != NULL)
		return pn;
	snprintf(buf, cap, "0x%04x", (unsigned)proto);
	return buf;
}

static int
ins_cp_index(uint16_t proto)
{
	switch (proto) {
	case PPP_LCP:		return INS_CP_LCP;
	case PPP_IPCP:		return INS_CP_IPCP;
	case PPP_IPV6CP:	return INS_CP_IPV6CP;
	case PPP_CCP:		return INS_CP_CCP;
	}
	return -1;
}

static void
ins_proto_count(struct ins_gre_dir *g, uint16_t proto)
{
	unsigned i;

	for (i = 0; i < g->nprotos; i++)
		if (g->proto_num[i] == proto) {
			g->proto_count[i]++;
			return;
		}
	if (g->nprotos < sizeof(g->proto_num) / sizeof(g->proto_num[0])) {
		g->proto_num[g->nprotos] = proto;
		g->proto_count[g->nprotos++] = 1;
	}
	/* more than 16 distinct protocols in one direction: the rest are
	 * counted in ppp_frames only */
}

static struct ins_timeline *
ins_timeline_add(struct inspect *ins, struct ins_call *call, int d,
    uint16_t proto, uint8_t code)
{
	struct ins_timeline *t;

	if (call->ntimeline >= INS_MAX_TIMELINE) {
		ins->c.dropped_timeline++;
		return NULL;
	}
	t = &call->timeline[call->ntimeline++];
	t->frame = ins->frames;
	t->ts_us = ins->last_ts;
	t->dir = (uint8_t)d;
	t->proto = proto;
	t->code = code;
	t->text[0] = '\0';
	return t;
}

/* Notes the authentication protocol an LCP Configure-Ack agreed to. */
static void
ins_lcp_ack_auth(struct ins_call *call, const uint8_t *opts, size_t n)
{
	struct ppp_opt o;
	struct lcp_auth a;
	struct rd r;

	rd_init(&r, opts, n);
	while (ppp_opt_next(&r, &o) == 0) {
		if (o.type != LCP_OPT_AUTH || lcp_opt_auth_decode(&o, &a) != 0)
			continue;
		call->auth.proto = a.proto;
		call->auth.chap_alg = a.proto == PPP_CHAP ? a.chap_alg : 0;
	}
}

/* --- diagnosis evidence (struct ins_call_diag) ------------------------ */

/* Notes an option that side s answered with a Nak or a Reject. */
static void
ins_diag_opt(struct ins_cp_side *s, uint16_t proto, uint8_t code,
    const struct ppp_opt *o, unsigned frame)
{
	struct ins_diag_opt *x = NULL;
	struct sbuf sb;
	unsigned i;

	for (i = 0; i < s->nopts; i++)
		if (s->opts[i].type == o->type && s->opts[i].code == code) {
			x = &s->opts[i];
			break;
		}
	if (x == NULL) {
		if (s->nopts >= INS_DIAG_OPTS)
			return;		/* the first few name the loop */
		x = &s->opts[s->nopts++];
		x->type = o->type;
		x->code = code;
		x->first_frame = frame;
	}
	x->count++;
	x->last_frame = frame;
	sbuf_init(&sb, x->text, sizeof(x->text));
	switch (proto) {
	case PPP_LCP:	lcp_opt_print(o, &sb); break;
	case PPP_IPCP:	ipcp_opt_print(o, &sb); break;
	case PPP_IPV6CP: ipv6cp_opt_print(o, &sb); break;
	case PPP_CCP:	ccp_opt_print(o, &sb); break;
	default:	ppp_opt_print_raw(o, &sb); break;
	}
}

/* The MPPE option of a CCP Configure-* packet, if any. */
static void
ins_diag_mppe(struct ins_mppe_bits *b, struct rd opts, unsigned frame)
{
	struct ppp_opt o;
	struct mppe_opt m;

	while (ppp_opt_next(&opts, &o) == 0)
		if (o.type == CCP_OPT_MPPE && ccp_opt_mppe_decode(&o, &m) == 0) {
			b->have = true;
			b->bits = mppe_opt_to_bits(&m);
			b->frame = frame;
			return;
		}
}

/* The options of a Configure-Request, -Nak or -Reject that matter to the
 * diagnosis: Authentication-Protocol (EAP offered, what each side asks
 * for) and every option Nak'd or Rejected. */
static void
ins_diag_opts(struct ins_call *call, int d, uint16_t proto, uint8_t code,
    struct ins_cp_side *s, struct rd opts, unsigned frame)
{
	struct ins_call_diag *x = &call->diag;
	struct lcp_auth a;
	struct ppp_opt o;

	while (ppp_opt_next(&opts, &o) == 0) {
		if (code != PPP_CONF_REQ)
			ins_diag_opt(s, proto, code, &o, frame);
		if (proto == PPP_CCP && code == PPP_CONF_REJ &&
		    o.type == CCP_OPT_MPPE && x->ccp_rej_mppe[d] == 0)
			x->ccp_rej_mppe[d] = frame;
		if (proto != PPP_LCP || o.type != LCP_OPT_AUTH ||
		    code == PPP_CONF_REJ || lcp_opt_auth_decode(&o, &a) != 0)
			continue;
		if (a.proto == PPP_EAP && x->eap_frame[d] == 0)
			x->eap_frame[d] = frame;
		if (code == PPP_CONF_REQ && x->auth_asked[d] == 0) {
			x->auth_asked[d] = a.proto;
			x->auth_alg_asked[d] = a.proto == PPP_CHAP ?
			    a.chap_alg : 0;
		}
	}
}

/* Keeps up to INS_DIAG_MSG raw octets of a peer message. */
static void
ins_diag_msg(char *dst, size_t *dlen, const uint8_t *src, size_t n)
{
	*dlen = n < INS_DIAG_MSG ? n : INS_DIAG_MSG;
	if (*dlen > 0)
		memcpy(dst, src, *dlen);
}

/* Counts one control packet of call direction d: the evidence behind the
 * convergence, keepalive and MPPE findings.  A few stores per packet;
 * data frames never come here. */
static void
ins_diag_cp(struct inspect *ins, struct ins_call *call, int d,
    uint16_t proto, const struct ppp_cp *cp, const struct rd *data)
{
	struct ins_call_diag *x = &call->diag;
	struct ins_cp_side *s;
	struct lcp_proto_rej pr;
	struct rd r = *data;
	unsigned f = ins->frames;
	int idx = ins_cp_index(proto);

	if (idx < 0)
		return;
	s = &x->cp[idx][d];
	switch (cp->code) {
	case PPP_CONF_REQ:
		if (s->req++ == 0)
			s->first_req_frame = f;
		s->last_req_frame = f;
		ins_diag_opts(call, d, proto, cp->code, s, r, f);
		if (proto == PPP_CCP) {
			ins_diag_mppe(&x->ccp_req[d], r, f);
			if (!x->ccp_first_req[d].have)
				x->ccp_first_req[d] = x->ccp_req[d];
		}
		break;
	case PPP_CONF_ACK:
		if (s->ack++ == 0)
			s->first_ack_frame = f;
		s->last_ack_frame = f;
		if (proto == PPP_CCP)
			ins_diag_mppe(&x->ccp_ack[d], r, f);
		break;
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		if (cp->code == PPP_CONF_NAK)
			s->nak++;
		else
			s->rej++;
		if (s->first_nakrej_frame == 0)
			s->first_nakrej_frame = f;
		s->last_nakrej_frame = f;
		ins_diag_opts(call, d, proto, cp->code, s, r, f);
		if (proto == PPP_CCP && cp->code == PPP_CONF_NAK)
			ins_diag_mppe(&x->ccp_nak[d], r, f);
		break;
	case PPP_TERM_REQ:
		if (s->term_req++ > 0)
			break;
		s->term_frame = f;
		s->term_before_open = x->cp[idx][0].ack == 0 ||
		    x->cp[idx][1].ack == 0;
		if (proto == PPP_LCP) {
			x->term_msg_cut[d] = rd_left(&r) > INS_DIAG_MSG;
			ins_diag_msg(x->term_msg[d], &x->term_msg_len[d],
			    rd_cur(&r), rd_left(&r));
		}
		break;
	case PPP_TERM_ACK:
		s->term_ack++;
		break;
	case PPP_PROTO_REJ:
		if (proto == PPP_LCP && lcp_proto_rej_decode(&r, &pr) == 0 &&
		    pr.proto == PPP_CCP && x->protrej_ccp[d] == 0)
			x->protrej_ccp[d] = f;
		break;
	case PPP_ECHO_REQ:
		if (proto != PPP_LCP)
			break;
		x->echo_req[d]++;
		x->echo_last_req[d] = f;
		if (x->echo_unans[d]++ == 0)
			x->echo_unans_first[d] = f;
		break;
	case PPP_ECHO_REP:
		if (proto != PPP_LCP)
			break;
		x->echo_rep[d]++;
		x->echo_last_rep[d] = f;
		x->echo_unans[1 - d] = 0;
		break;
	case PPP_RESET_REQ:
		if (proto == PPP_CCP && x->ccp_reset_req[d]++ == 0)
			x->ccp_reset_first[d] = f;
		break;
	case PPP_RESET_ACK:
		if (proto == PPP_CCP)
			x->ccp_reset_ack[d]++;
		break;
	default:
		break;
	}
}

/* The password shown as its first and last character around stars (all
 * stars when shorter than 4): the report proves a password went in the
 * clear without handing it out.  Only this mask is ever kept. */
static void
ins_diag_pap_mask(char *out, size_t cap, const uint8_t *pw, size_t n)
{
	size_t i, stars, o = 0;

	if (cap < 4)
		return;
	if (n == 0) {
		snprintf(out, cap, "(empty)");
		return;
	}
	stars = n >= 4 ? n - 2 : n;
	if (stars > cap - 3)
		stars = cap - 3;
	if (n >= 4)
		out[o++] = pw[0] > 0x20 && pw[0] < 0x7f ? (char)pw[0] : '?';
	for (i = 0; i < stars; i++)
		out[o++] = '*';
	if (n >= 4)
		out[o++] = pw[n - 1] > 0x20 && pw[n - 1] < 0x7f ?
		    (char)pw[n - 1] : '?';
	out[o] = '\0';
}

/* An authentication failure: PAP Nak or CHAP Failure from side d. */
static void
ins_diag_auth_fail(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *msg, size_t n, bool chap)
{
	struct ins_call_diag *x = &call->diag;
	struct mschap_failure mf;

	x->auth_fail_last = ins->frames;
	if (x->auth_fail++ > 0)
		return;			/* the first failure tells why */
	x->auth_fail_frame = ins->frames;
	x->auth_fail_req = call->auth.req_frame;
	x->auth_fail_dir = d;
	if (chap && n > 0 && mschap_failure_parse(msg, n, &mf) == 0) {
		x->have_mserr = true;
		x->mserr = mf.error;
		x->msretry = mf.has_retry && mf.retry;
		x->have_msver = mf.has_version;
		x->msver = mf.version;
		if (mf.has_message)
			ins_diag_msg(x->fail_msg, &x->fail_msg_len,
			    (const uint8_t *)mf.message, strlen(mf.message));
		return;
	}
	if (n > 0)
		ins_diag_msg(x->fail_msg, &x->fail_msg_len, msg, n);
}

/* --- control protocols -------------------------------------------------- */

static void
ins_cp(struct inspect *ins, struct ins_call *call, int d, uint16_t proto,
    const uint8_t *p, size_t n)
{
	struct ppp_cp cp;
	struct ins_timeline *t;
	struct ins_confack *ca;
	struct sbuf sb;
	struct rd r, data;
	int idx = ins_cp_index(proto);

	ins_crypt_cp(ins, call, d, proto, p, n);
	rd_init(&r, p, n);
	if (ppp_cp_decode(&r, &cp, &data) != 0)
		cp.code = 0, cp.id = 0, rd_init(&data, p, 0);
	ins_diag_cp(ins, call, d, proto, &cp, &data);
	/* keepalives would bury the negotiation */
	if (proto == PPP_LCP && (cp.code == PPP_ECHO_REQ ||
	    cp.code == PPP_ECHO_REP))
		return;
	if ((t = ins_timeline_add(ins, call, d, proto, cp.code)) != NULL) {
		sbuf_init(&sb, t->text, sizeof(t->text));
		ppp_cp_print(proto, p, n, &sb);
	}
	if (cp.code != PPP_CONF_ACK || idx < 0 || rd_left(&data) == 0 ||
	    cp.code == 0)
		return;
	ca = &call->confack[d][idx];
	ca->seen = true;
	ca->frame = ins->frames;
	ca->id = cp.id;
	ca->proto = proto;
	ca->len = (uint16_t)(rd_left(&data) < INS_CONFACK_MAX ?
	    rd_left(&data) : INS_CONFACK_MAX);
	memcpy(ca->opts, rd_cur(&data), ca->len);
	if (proto == PPP_LCP)
		ins_lcp_ack_auth(call, ca->opts, ca->len);
}

static void
ins_pap(struct inspect *ins, struct ins_call *call, int d, const uint8_t *p,
    size_t n)
{
	struct ins_timeline *t;
	struct ins_auth *a = &call->auth;
	struct pap_msg m;
	struct sbuf sb;
	struct rd r;

	rd_init(&r, p, n);
	if (pap_msg_decode(&r, &m) != 0) {
		if ((t = ins_timeline_add(ins, call, d, PPP_PAP, 0)) != NULL)
			snprintf(t->text, sizeof(t->text),
			    "PAP malformed len=%zu", n);
		return;
	}
	if ((t = ins_timeline_add(ins, call, d, PPP_PAP, m.code)) != NULL) {
		sbuf_init(&sb, t->text, sizeof(t->text));
		pap_msg_print(&m, &sb);	/* never shows the password */
	}
	a->proto = PPP_PAP;
	if (m.code == PAP_AUTH_REQ) {
		a->user_len = m.peer_id_len < INS_USER_MAX ? m.peer_id_len :
		    INS_USER_MAX;
		memcpy(a->user, m.peer_id, a->user_len);
		a->user[a->user_len] = '\0';
		a->passwd_len = m.passwd_len;
		a->req_frame = ins->frames;
		ins_diag_pap_mask(call->diag.pap_mask,
		    sizeof(call->diag.pap_mask), m.passwd, m.passwd_len);
	} else {
		a->result = m.code == PAP_AUTH_ACK ? 1 : -1;
		a->result_frame = ins->frames;
		if (m.code == PAP_AUTH_NAK)
			ins_diag_auth_fail(ins, call, d, m.message,
			    m.message_len, false);
	}
}

static void
ins_chap(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n)
{
	struct ins_timeline *t;
	struct ins_auth *a = &call->auth;
	struct chap_msg m;
	struct sbuf sb;
	struct rd r;

	rd_init(&r, p, n);
	if (chap_msg_decode(&r, &m) != 0) {
		if ((t = ins_timeline_add(ins, call, d, PPP_CHAP, 0)) != NULL)
			snprintf(t->text, sizeof(t->text),
			    "CHAP malformed len=%zu", n);
		return;
	}
	if ((t = ins_timeline_add(ins, call, d, PPP_CHAP, m.code)) != NULL) {
		sbuf_init(&sb, t->text, sizeof(t->text));
		chap_msg_print(&m, &sb);
	}
	ins_crypt_chap(ins, call, d, &m);
	a->proto = PPP_CHAP;
	if (m.code == CHAP_RESPONSE) {
		a->user_len = m.name_len < INS_USER_MAX ? m.name_len :
		    INS_USER_MAX;
		memcpy(a->user, m.name, a->user_len);
		a->user[a->user_len] = '\0';
		a->req_frame = ins->frames;
	} else if (m.code == CHAP_SUCCESS || m.code == CHAP_FAILURE) {
		a->result = m.code == CHAP_SUCCESS ? 1 : -1;
		a->result_frame = ins->frames;
		if (m.code == CHAP_FAILURE)
			ins_diag_auth_fail(ins, call, d, m.message,
			    m.message_len, true);
	} else if (m.code == CHAP_CHALLENGE && call->diag.challenge_frame == 0) {
		call->diag.challenge_frame = ins->frames;
	}
}

void
ins_ppp_frame(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n)
{
	struct ins_gre_dir *g = &call->dir[d];
	struct ppp_frame f;
	struct rd r, info;
	int ret;

	rd_init(&r, p, n);
	ret = ppp_frame_decode(&r, &f, &info);
	if (ret != 0 && ret != ERR_PROTO) {
		g->ppp_errors++;
		return;
	}
	if (g->ppp_frames++ == 0)
		call->diag.first_ts[d] = ins->last_ts;
	if (f.acf)
		g->with_ff03++;
	else
		g->without_ff03++;
	if (f.pfc)
		g->proto1++;
	else
		g->proto2++;
	ins_proto_count(g, f.proto);
	switch (f.proto) {
	case PPP_LCP:
	case PPP_IPCP:
	case PPP_IPV6CP:
	case PPP_CCP:
		ins_cp(ins, call, d, f.proto, rd_cur(&info), rd_left(&info));
		break;
	case PPP_PAP:
		ins_pap(ins, call, d, rd_cur(&info), rd_left(&info));
		break;
	case PPP_CHAP:
		ins_chap(ins, call, d, rd_cur(&info), rd_left(&info));
		break;
	case PPP_COMP:
		call->mppe_frames++;
		ins_crypt_mppe(ins, call, d, rd_cur(&info), rd_left(&info));
		break;
	case PPP_IP:
	case PPP_IPV6:
		call->cleartext_ip++;
		ins_inner_ip(ins, call, d, rd_cur(&info), rd_left(&info));
		break;
	default:
		break;
	}
}

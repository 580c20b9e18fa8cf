/*
 * inspect_ppp.c - the analyzer's view of the PPP inside a call's GRE:
 * framing (RFC 1662 3.1 Address/Control, RFC 1661 6.5/6.6 PFC/ACFC),
 * frames per protocol, the negotiation timeline of LCP (RFC 1661), IPCP
 * (RFC 1332), IPV6CP (RFC 5072), CCP (RFC 1962), PAP (RFC 1334) and CHAP
 * (RFC 1994, MS-CHAP RFC 2433/2759), the last Configure-Ack per direction
 * and protocol, and the authentication exchange.  Printing goes through
 * the src/wire printers, so the timeline reads like the engine's logs.
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
	} else {
		a->result = m.code == PAP_AUTH_ACK ? 1 : -1;
		a->result_frame = ins->frames;
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
	g->ppp_frames++;
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

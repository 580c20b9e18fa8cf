/*
 * inspect_html_ladder.c - the HTML report's sequence ("ladder") diagrams:
 * two lifelines, the PNS and the PAC (or, for a control connection, the
 * TCP client and the server on port 1723), and one arrow per message in
 * capture order, labelled with the message's name, its frame number and
 * its time since the capture's first frame ("+12.345 s"): the
 * RFC 2637 section 2 control messages and the PPP negotiation (RFC 1661
 * LCP, RFC 1332 IPCP, RFC 5072 IPV6CP, RFC 1962 CCP, RFC 1334 PAP, RFC
 * 1994 CHAP) from the call's timeline.  Inline SVG, no script needed; the
 * full text of each message is in its <title> (a hover tooltip).
 */
#include <string.h>

#include "../base/sbuf.h"
#include "../inspect/inspect_html.h"
#include "../inspect/inspect_int.h"
#include "../wire/ppp_auth.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_proto.h"

/* Geometry of the diagram, in SVG user units (the width scales). */
#define LD_W		1040
#define LD_HEAD		52	/* actor boxes */
#define LD_ROW		30
#define LD_XF		10	/* frame column */
#define LD_XT		132	/* time column's right edge (decimals align) */
#define LD_XA		240	/* left lifeline (its actor box from 140) */
#define LD_XB		560	/* right lifeline */
#define LD_XD		582	/* details column */
#define LD_DETAIL	68	/* detail characters shown (the rest: tooltip) */
#define LD_ROWS		(INS_MAX_MSGS + INS_MAX_TIMELINE + 1)

enum ld_kind { LD_MSG, LD_PPP, LD_END };

struct ld_ref {
	uint8_t		kind;
	uint16_t	idx;
	unsigned	frame;
};

static void
ld_actor(FILE *f, int x, const char *role, const struct ins_addr *a)
{
	char buf[48];

	fprintf(f, "<rect class=\"actor\" x=\"%d\" y=\"4\" width=\"200\" "
	    "height=\"40\" rx=\"6\"/><text class=\"role\" x=\"%d\" y=\"20\" "
	    "text-anchor=\"middle\">", x - 100, x);
	hx_s(f, role);
	fprintf(f, "</text><text class=\"addr\" x=\"%d\" y=\"37\" "
	    "text-anchor=\"middle\">", x);
	hx_s(f, a->family != 0 ? ins_addr_str(a, buf, sizeof(buf)) : "?");
	fputs("</text>", f);
}

/* The head of an SVG of nrows rows with lifelines and actor boxes. */
static void
ld_open(FILE *f, unsigned nrows, const char *ra, const struct ins_addr *aa,
    const char *rb, const struct ins_addr *ab)
{
	unsigned h = LD_HEAD + nrows * LD_ROW + 12;

	fprintf(f, "<div class=\"ladder\"><svg class=\"ld\" viewBox=\"0 0 %d "
	    "%u\" width=\"100%%\" role=\"img\" aria-label=\"sequence "
	    "diagram\">\n", LD_W, h);
	fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"44\" x2=\"%d\" "
	    "y2=\"%u\"/><line class=\"life\" x1=\"%d\" y1=\"44\" x2=\"%d\" "
	    "y2=\"%u\"/>", LD_XA, LD_XA, h - 4, LD_XB, LD_XB, h - 4);
	ld_actor(f, LD_XA, ra, aa);
	ld_actor(f, LD_XB, rb, ab);
	fprintf(f, "<text class=\"colh\" x=\"%d\" y=\"37\">frame</text>"
	    "<text class=\"colh\" x=\"%d\" y=\"37\" text-anchor=\"end\">"
	    "time</text>\n", LD_XF, LD_XT);
}

static void
ld_close(FILE *f)
{
	fputs("</svg></div>\n", f);
}

/*
 * One row: an arrow from left to right (l2r) or back, the label above it,
 * the frame number and time (when) on the side and the details right of
 * the diagram; the whole text as the row's tooltip.
 */
static void
ld_row(FILE *f, unsigned i, unsigned frame, const char *when, bool l2r,
    const char *cls, const char *label, const char *detail, const char *full)
{
	int y = LD_HEAD + (int)i * LD_ROW, ya = y + 20;
	int x1 = l2r ? LD_XA : LD_XB, x2 = l2r ? LD_XB - 2 : LD_XA + 2;
	int tip = l2r ? x2 - 10 : x2 + 10;

	fprintf(f, "<g class=\"row %s\"><title>frame %u (%s): ", cls, frame,
	    when);
	hx_s(f, full);
	fprintf(f, "</title><rect class=\"bg\" x=\"0\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\"/>", y, LD_W, LD_ROW);
	fprintf(f, "<text class=\"fr\" x=\"%d\" y=\"%d\">#%u</text>"
	    "<text class=\"fr\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s"
	    "</text>", LD_XF, ya + 4, frame, LD_XT, ya + 4, when);
	fprintf(f, "<line class=\"ar\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><polygon class=\"ah\" points=\"%d,%d %d,%d %d,%d\"/>",
	    x1, ya, tip, ya, x2, ya, tip, ya - 5, tip, ya + 5);
	fprintf(f, "<text class=\"lb\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"middle\">", (LD_XA + LD_XB) / 2, ya - 5);
	hx_s(f, label);
	fprintf(f, "</text><text class=\"dt\" x=\"%d\" y=\"%d\">", LD_XD,
	    ya + 4);
	hx_cut(f, detail, LD_DETAIL);
	fputs("</text></g>\n", f);
}

/* A divider row across both lifelines (the end of a call). */
static void
ld_mark(FILE *f, unsigned i, unsigned frame, const char *when,
    const char *text)
{
	int y = LD_HEAD + (int)i * LD_ROW, ya = y + 20;

	fprintf(f, "<g class=\"row mark\"><line class=\"mk\" x1=\"%d\" "
	    "y1=\"%d\" x2=\"%d\" y2=\"%d\"/><text class=\"fr\" x=\"%d\" "
	    "y=\"%d\">#%u</text><text class=\"fr\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%s</text><text class=\"mt\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"middle\">", LD_XA - 40, ya, LD_XB + 40, ya, LD_XF,
	    ya + 4, frame, LD_XT, ya + 4, when, (LD_XA + LD_XB) / 2, ya - 5);
	hx_s(f, text);
	fputs("</text></g>\n", f);
}

/* --- control messages ------------------------------------------------- */

static bool
ld_msg_bad(const struct pptp_msg *m)
{
	switch (m->ctrl_type) {
	case PPTP_SCCRP:	return m->u.sccrp.result != PPTP_SCCRP_SUCCESS;
	case PPTP_OCRP:		return m->u.ocrp.result != PPTP_OCRP_CONNECTED;
	case PPTP_ICRP:		return m->u.icrp.result != PPTP_ICRP_CONNECT;
	case PPTP_STOPCCRP:	return m->u.stopccrp.result != PPTP_STOPCCRP_OK;
	case PPTP_ECHORP:	return m->u.echorp.result != PPTP_ECHORP_OK;
	case PPTP_WEN:		return true;
	}
	return false;
}

static const char *
ld_msg_class(const struct pptp_msg *m)
{
	if (ld_msg_bad(m))
		return "k-bad";
	switch (m->ctrl_type) {
	case PPTP_STOPCCRQ:
	case PPTP_STOPCCRP:
	case PPTP_CCRQ:
	case PPTP_CDN:
		return "k-end";
	case PPTP_ECHORQ:
	case PPTP_ECHORP:
		return "k-echo";
	}
	return "k-ctl";
}

/* The label: short name, Call IDs and the result's name. */
static void
ld_msg_label(const struct pptp_msg *m, char *buf, size_t cap)
{
	bool have_cid, have_pcid;
	uint16_t cid, pcid;
	struct sbuf sb;
	const char *res = NULL;
	const char *name = pptp_ctrl_type_name(m->ctrl_type);

	ins_msg_call_ids(m, &have_cid, &cid, &have_pcid, &pcid);
	sbuf_init(&sb, buf, cap);
	sbuf_printf(&sb, "%s", name != NULL ? name : "?");
	if (have_cid)
		sbuf_printf(&sb, " call %u", cid);
	if (have_pcid)
		sbuf_printf(&sb, " peer %u", pcid);
	switch (m->ctrl_type) {
	case PPTP_SCCRP: res = pptp_result_name(m->ctrl_type,
	    m->u.sccrp.result); break;
	case PPTP_OCRP: res = pptp_result_name(m->ctrl_type,
	    m->u.ocrp.result); break;
	case PPTP_ICRP: res = pptp_result_name(m->ctrl_type,
	    m->u.icrp.result); break;
	case PPTP_CDN: res = pptp_result_name(m->ctrl_type,
	    m->u.cdn.result); break;
	case PPTP_STOPCCRQ: res = pptp_stop_reason_name(
	    m->u.stopccrq.reason); break;
	default: break;
	}
	if (res != NULL)
		sbuf_printf(&sb, " %s", res);
}

/* The printed text past its first two words (the names). */
static const char *
ld_skip_words(const char *s, int n)
{
	while (n-- > 0) {
		const char *sp = strchr(s, ' ');

		if (sp == NULL)
			return s + strlen(s);
		s = sp + 1;
	}
	return s;
}

static void
ld_msg_row(FILE *f, const struct inspect *ins, unsigned i,
    const struct ins_msg *im, bool l2r)
{
	char text[PPTP_MSG_PRINT_MAX], label[96], when[32];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	pptp_msg_print(&im->m, &sb);
	ld_msg_label(&im->m, label, sizeof(label));
	ld_row(f, i, im->frame, ins_ts_rel(ins, im->ts_us, when, sizeof(when)),
	    l2r, ld_msg_class(&im->m), label, ld_skip_words(text, 2), text);
}

/* --- PPP negotiation -------------------------------------------------- */

static const char *
ld_ppp_class(const struct ins_timeline *t)
{
	switch (t->proto) {
	case PPP_PAP:
		return t->code == PAP_AUTH_NAK || t->code == 0 ? "k-bad" :
		    t->code == PAP_AUTH_ACK ? "k-ok" : "k-auth";
	case PPP_CHAP:
		return t->code == CHAP_FAILURE || t->code == 0 ? "k-bad" :
		    t->code == CHAP_SUCCESS ? "k-ok" : "k-auth";
	case PPP_EAP:
		return "k-auth";
	}
	switch (t->code) {
	case PPP_CONF_NAK:
		return "k-warn";
	case PPP_CONF_REJ:
	case PPP_TERM_REQ:
	case PPP_TERM_ACK:
	case PPP_CODE_REJ:
	case PPP_PROTO_REJ:
	case 0:
		return "k-bad";
	}
	switch (t->proto) {
	case PPP_IPCP:
	case PPP_IPV6CP:
		return "k-ncp";
	case PPP_CCP:
		return "k-ccp";
	}
	return "k-lcp";
}

/* Label: the first two words ("LCP ConfReq") and an "id=N" third. */
static void
ld_ppp_row(FILE *f, const struct inspect *ins, unsigned i,
    const struct ins_timeline *t, bool l2r)
{
	char label[64], when[32];
	const char *rest = ld_skip_words(t->text, 2);
	size_t n = (size_t)(rest - t->text);

	if (strncmp(rest, "id=", 3) == 0)
		rest = ld_skip_words(rest, 1), n = (size_t)(rest - t->text);
	if (n >= sizeof(label))
		n = sizeof(label) - 1;
	memcpy(label, t->text, n);
	label[n] = '\0';
	while (n > 0 && label[n - 1] == ' ')
		label[--n] = '\0';
	ld_row(f, i, t->frame, ins_ts_rel(ins, t->ts_us, when, sizeof(when)), l2r,
	    ld_ppp_class(t), label, rest, t->text);
}

/* --- diagrams --------------------------------------------------------- */

void
hx_ladder_conn(FILE *f, const struct inspect *ins, const struct ins_conn *cn)
{
	unsigned i, n = cn->nmsgs < INS_MAX_MSGS ? cn->nmsgs : INS_MAX_MSGS;
	const char *ra = "TCP client", *rb = "server :1723";
	int k;

	if (n == 0) {
		fputs("<p class=\"nodata\">no control messages decoded</p>\n",
		    f);
		return;
	}
	/* name the roles when a call on this connection shows them */
	for (k = 0; k < INS_MAX_CALLS; k++) {
		const struct ins_call *c = &ins->calls[k];

		if (!c->used || c->conn_id != cn->id)
			continue;
		if (ins_addr_eq(&c->pns, &cn->cli))
			ra = "PNS (TCP client)", rb = "PAC (server :1723)";
		else if (ins_addr_eq(&c->pac, &cn->cli))
			ra = "PAC (TCP client)", rb = "PNS (server :1723)";
		break;
	}
	ld_open(f, n, ra, &cn->cli, rb, &cn->srv);
	for (i = 0; i < n; i++)
		ld_msg_row(f, ins, i, &cn->msgs[i], cn->msgs[i].dir == 0);
	ld_close(f);
}

static const struct ins_conn *
ld_conn_of(const struct inspect *ins, unsigned id)
{
	int i;

	for (i = 0; i < INS_MAX_CONNS && id != 0; i++)
		if (ins->conns[i].used && ins->conns[i].id == id)
			return &ins->conns[i];
	return NULL;
}

/* True when control message im of cn concerns call c: one of the call's
 * frames, a Call ID of the call (a CDN may carry either side's, as some
 * PACs get it wrong), or a connection-wide message other than an echo. */
static bool
ld_msg_of_call(const struct ins_msg *im, const struct ins_call *c)
{
	bool have_cid, have_pcid;
	uint16_t cid, pcid;

	if (im->frame == c->request_frame || im->frame == c->reply_frame ||
	    im->frame == c->clear_frame || im->frame == c->cdn_frame)
		return true;
	ins_msg_call_ids(&im->m, &have_cid, &cid, &have_pcid, &pcid);
	if (!have_cid && !have_pcid)
		return im->m.ctrl_type != PPTP_ECHORQ &&
		    im->m.ctrl_type != PPTP_ECHORP;
	if (have_cid && ((c->have_pns_id && cid == c->pns_call_id) ||
	    (c->have_pac_id && cid == c->pac_call_id)))
		return true;
	return have_pcid && ((c->have_pns_id && pcid == c->pns_call_id) ||
	    (c->have_pac_id && pcid == c->pac_call_id));
}

unsigned
hx_ladder_call(FILE *f, const struct inspect *ins, const struct ins_call *c)
{
	struct ld_ref rows[LD_ROWS];
	const struct ins_conn *cn = ld_conn_of(ins, c->conn_id);
	unsigned i, m = 0, t = 0, n = 0, nm = 0;
	bool gre_only = c->kind == INS_CALL_GRE_ONLY;
	char endtext[64], when[32];

	if (cn != NULL)
		nm = cn->nmsgs < INS_MAX_MSGS ? cn->nmsgs : INS_MAX_MSGS;
	/* merge the two frame-ordered lists */
	while (n < LD_ROWS - 1 && (m < nm || t < c->ntimeline)) {
		if (m < nm && !ld_msg_of_call(&cn->msgs[m], c)) {
			m++;
			continue;
		}
		if (m < nm && (t >= c->ntimeline ||
		    cn->msgs[m].frame <= c->timeline[t].frame)) {
			rows[n].kind = LD_MSG;
			rows[n].frame = cn->msgs[m].frame;
			rows[n++].idx = (uint16_t)m++;
		} else {
			rows[n].kind = LD_PPP;
			rows[n].frame = c->timeline[t].frame;
			rows[n++].idx = (uint16_t)t++;
		}
	}
	if (c->ended && c->end_frame != 0) {
		/* the end mark goes after the rows up to its frame */
		for (i = 0; i < n && rows[i].frame <= c->end_frame; i++)
			;
		memmove(&rows[i + 1], &rows[i], (n - i) * sizeof(rows[0]));
		rows[i].kind = LD_END;
		rows[i].frame = c->end_frame;
		rows[i].idx = 0;
		n++;
	}
	if (n == 0) {
		fputs("<p class=\"nodata\">no control messages or PPP "
		    "negotiation seen for this call</p>\n", f);
		return 0;
	}
	ld_open(f, n, gre_only ? "A (first sender)" : "PNS",
	    ins_call_src(c, 0), gre_only ? "B" : "PAC", ins_call_src(c, 1));
	for (i = 0; i < n; i++) {
		if (rows[i].kind == LD_MSG) {
			const struct ins_msg *im = &cn->msgs[rows[i].idx];
			const struct ins_addr *from = im->dir == 0 ?
			    &cn->cli : &cn->srv;
			bool l2r = ins_addr_eq(&c->pns, &c->pac) ?
			    im->dir == 0 : ins_addr_eq(from, &c->pns);

			ld_msg_row(f, ins, i, im, l2r);
		} else if (rows[i].kind == LD_PPP) {
			const struct ins_timeline *tl =
			    &c->timeline[rows[i].idx];

			ld_ppp_row(f, ins, i, tl, tl->dir == 0);
		} else {
			snprintf(endtext, sizeof(endtext), "call ended");
			ld_mark(f, i, rows[i].frame, ins_ts_rel(ins,
			    c->diag.end_ts, when, sizeof(when)), endtext);
		}
	}
	ld_close(f);
	return n;
}

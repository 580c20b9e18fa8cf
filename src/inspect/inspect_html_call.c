/*
 * inspect_html_call.c - the HTML report's section for one call: the
 * ladder of its control messages and PPP negotiation, throughput and
 * loss charts, the GRE statistics per direction (RFC 2637 4.1, 4.4), the
 * authentication (RFC 1334, RFC 1994, RFC 2759) and CCP/MPPE (RFC 1962,
 * RFC 3078) outcome, the last Configure-Acks, the audit and the findings.
 * Every capture string goes through hx_esc().
 */
#include <string.h>

#include "../base/sbuf.h"
#include "../inspect/inspect_html.h"
#include "../inspect/inspect_int.h"
#include "../wire/cursor.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "../wire/ppp_proto.h"

static void
hx_call_id(FILE *f, bool have, uint16_t id)
{
	if (have)
		fprintf(f, "%u", id);
	else
		fputs("?", f);
}

/* A th row label and one td per direction. */
static void
hx_row2(FILE *f, const char *k, unsigned long long a, unsigned long long b,
    bool red_if_nonzero)
{
	fprintf(f, "<tr><th>%s</th><td class=\"num%s\">%llu</td>"
	    "<td class=\"num%s\">%llu</td></tr>\n", k,
	    red_if_nonzero && a ? " bad" : "", a,
	    red_if_nonzero && b ? " bad" : "", b);
}

static void
hx_gre_protos(FILE *f, const struct ins_gre_dir *g)
{
	char name[16];
	unsigned i;

	for (i = 0; i < g->nprotos; i++) {
		fprintf(f, "%s", i ? ", " : "");
		hx_s(f, ins_proto_label(g->proto_num[i], name, sizeof(name)));
		fprintf(f, " %u", g->proto_count[i]);
	}
	if (g->nprotos == 0)
		fputs("-", f);
}

static void
hx_gre_table(FILE *f, const struct ins_call *c)
{
	const struct ins_gre_dir *g[2] = { &c->dir[0], &c->dir[1] };
	bool gre_only = c->kind == INS_CALL_GRE_ONLY;
	int d;

	fputs("<table class=\"gre\"><tr><th></th>", f);
	for (d = 0; d < 2; d++) {
		fprintf(f, "<th>%s<br><span class=\"mono\">", gre_only ?
		    (d == 0 ? "A &#8594; B" : "B &#8594; A") :
		    (d == 0 ? "PNS &#8594; PAC" : "PAC &#8594; PNS"));
		hx_addr(f, ins_call_src(c, d));
		fputs(" &#8594; ", f);
		hx_addr(f, ins_call_src(c, 1 - d));
		fputs("</span></th>", f);
	}
	fputs("</tr>\n<tr><th>Key (receiver's Call ID)</th>", f);
	for (d = 0; d < 2; d++) {
		fputs("<td class=\"num\">", f);
		if (gre_only)
			hx_call_id(f, g[d]->seen, g[d]->key);
		else if (d == 0)
			hx_call_id(f, c->have_pac_id, c->pac_call_id);
		else
			hx_call_id(f, c->have_pns_id, c->pns_call_id);
		if (g[d]->packets == 0)
			fputs(" <span class=\"badge b-bad\">no GRE seen</span>",
			    f);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	hx_row2(f, "packets", g[0]->packets, g[1]->packets, false);
	hx_row2(f, "bytes (GRE header included)", g[0]->bytes, g[1]->bytes,
	    false);
	hx_row2(f, "payload length sum", g[0]->payload_sum, g[1]->payload_sum,
	    false);
	hx_row2(f, "with sequence number", g[0]->with_seq, g[1]->with_seq,
	    false);
	hx_row2(f, "with acknowledgment", g[0]->with_ack, g[1]->with_ack,
	    false);
	hx_row2(f, "ack only", g[0]->ack_only, g[1]->ack_only, false);
	fputs("<tr><th>sequence first &#8211; last</th>", f);
	for (d = 0; d < 2; d++)
		if (g[d]->have_seq)
			fprintf(f, "<td class=\"num\">%u &#8211; %u</td>",
			    g[d]->seq_first, g[d]->seq_last);
		else
			fputs("<td>-</td>", f);
	fputs("</tr>\n<tr><th>acknowledgment first &#8211; last</th>", f);
	for (d = 0; d < 2; d++)
		if (g[d]->have_ack)
			fprintf(f, "<td class=\"num\">%u &#8211; %u</td>",
			    g[d]->ack_first, g[d]->ack_last);
		else
			fputs("<td>-</td>", f);
	fputs("</tr>\n", f);
	hx_row2(f, "lost", g[0]->lost, g[1]->lost, true);
	hx_row2(f, "reordered", g[0]->reordered, g[1]->reordered, true);
	hx_row2(f, "duplicates", g[0]->duplicates, g[1]->duplicates, true);
	hx_row2(f, "beyond the peer's window", g[0]->x.out_of_window,
	    g[1]->x.out_of_window, true);
	hx_row2(f, "payload cut by the snap length", g[0]->cut, g[1]->cut,
	    false);
	fputs("<tr><th>frames first &#8211; last</th>", f);
	for (d = 0; d < 2; d++)
		if (g[d]->packets > 0)
			fprintf(f, "<td class=\"num\">#%u &#8211; #%u</td>",
			    g[d]->first_frame, g[d]->last_frame);
		else
			fputs("<td>-</td>", f);
	fputs("</tr>\n<tr><th>largest GRE packet</th>", f);
	for (d = 0; d < 2; d++)
		if (g[d]->x.largest > 0)
			fprintf(f, "<td class=\"num\">%u bytes (#%u)</td>",
			    g[d]->x.largest, g[d]->x.largest_frame);
		else
			fputs("<td>-</td>", f);
	fputs("</tr>\n<tr><th>round trip (seq &#8594; ack)</th>", f);
	for (d = 0; d < 2; d++)
		if (g[d]->x.rtt_samples > 0)
			fprintf(f, "<td class=\"num\">min %.1f / avg %.1f / "
			    "max %.1f ms (%u samples)</td>",
			    (double)g[d]->x.rtt_min_us / 1e3,
			    (double)g[d]->x.rtt_sum_us / 1e3 /
			    g[d]->x.rtt_samples,
			    (double)g[d]->x.rtt_max_us / 1e3,
			    g[d]->x.rtt_samples);
		else
			fputs("<td>-</td>", f);
	fputs("</tr>\n", f);
	hx_row2(f, "PPP frames", g[0]->ppp_frames, g[1]->ppp_frames, false);
	hx_row2(f, "&nbsp;&nbsp;with FF 03", g[0]->with_ff03, g[1]->with_ff03,
	    false);
	hx_row2(f, "&nbsp;&nbsp;without FF 03 (ACFC)", g[0]->without_ff03,
	    g[1]->without_ff03, false);
	hx_row2(f, "&nbsp;&nbsp;1-byte protocol (PFC)", g[0]->proto1,
	    g[1]->proto1, false);
	hx_row2(f, "&nbsp;&nbsp;not PPP", g[0]->ppp_errors, g[1]->ppp_errors,
	    true);
	fputs("<tr><th>PPP protocols</th>", f);
	for (d = 0; d < 2; d++) {
		fputs("<td>", f);
		hx_gre_protos(f, g[d]);
		fputs("</td>", f);
	}
	fputs("</tr>\n<tr><th>largest outer IP packet / inner SYN MSS</th>",
	    f);
	for (d = 0; d < 2; d++) {
		fprintf(f, "<td class=\"num\">%u / ", c->mtu.largest_ip[d]);
		if (c->mtu.mss_max[d])
			fprintf(f, "%u (#%u)", c->mtu.mss_max[d],
			    c->mtu.mss_frame[d]);
		else
			fputs("-", f);
		fputs("</td>", f);
	}
	fputs("</tr>\n</table>\n", f);
}

static void
hx_confack_opts(FILE *f, const struct ins_confack *ca)
{
	char text[512];
	struct sbuf sb;
	struct rd r;

	sbuf_init(&sb, text, sizeof(text));
	rd_init(&r, ca->opts, ca->len);
	(void)ppp_opts_print(ca->proto, &r, &sb);
	hx_s(f, text[0] == ' ' ? text + 1 : text);
}

static void
hx_auth(FILE *f, const struct ins_call *c)
{
	const struct ins_auth *au = &c->auth;
	const char *m = ins_auth_method(au);
	char user[4 * INS_USER_MAX + 8];
	struct sbuf sb;
	bool ccp = false;
	int d;

	fputs("<table class=\"kv\">\n<tr><th>authentication</th><td>", f);
	hx_s(f, m != NULL ? m : "none seen");
	if (au->proto == PPP_PAP)
		fputs(" <span class=\"badge b-bad\">password in clear</span>",
		    f);
	fputs("</td></tr>\n", f);
	if (au->req_frame) {
		sbuf_init(&sb, user, sizeof(user));
		sbuf_escaped(&sb, au->user, au->user_len);
		fputs("<tr><th>user</th><td class=\"mono\">", f);
		hx_s(f, user);
		fprintf(f, " (#%u)", au->req_frame);
		if (au->proto == PPP_PAP)
			fprintf(f, ", password &lt;%zu bytes hidden&gt;",
			    au->passwd_len);
		fputs("</td></tr>\n", f);
	}
	if (au->proto != 0) {
		fputs("<tr><th>result</th><td>", f);
		if (au->result > 0)
			fputs("<span class=\"badge b-ok\">success</span>", f);
		else if (au->result < 0)
			fputs("<span class=\"badge b-bad\">failure</span>", f);
		else
			fputs("<span class=\"badge b-mute\">no answer seen"
			    "</span>", f);
		if (au->result_frame)
			fprintf(f, " (#%u)", au->result_frame);
		fputs("</td></tr>\n", f);
	}
	if (c->crypt.verified != 0)
		fprintf(f, "<tr><th>MS-CHAP with the given password</th><td>"
		    "%s</td></tr>\n", c->crypt.verified > 0 ?
		    "<span class=\"badge b-ok\">verified</span>" :
		    "<span class=\"badge b-bad\">does not match</span>");
	for (d = 0; d < 2; d++) {
		const struct ins_confack *ca = &c->confack[d][INS_CP_CCP];

		if (!ca->seen)
			continue;
		ccp = true;
		fputs("<tr><th>CCP acknowledged by ", f);
		hx_addr(f, ins_call_src(c, d));
		fputs("</th><td class=\"mono\">", f);
		hx_confack_opts(f, ca);
		fprintf(f, " (#%u)</td></tr>\n", ca->frame);
	}
	if (!ccp)
		fputs("<tr><th>CCP</th><td class=\"nodata\">no Configure-Ack "
		    "seen</td></tr>\n", f);
	fprintf(f, "<tr><th>data</th><td>%u MPPE frames, %u cleartext IP "
	    "frames ", c->mppe_frames, c->cleartext_ip);
	if (c->mppe_frames > 0 && c->cleartext_ip == 0)
		fputs("<span class=\"badge b-ok\">encrypted</span>", f);
	else if (c->cleartext_ip > 0 && c->mppe_frames == 0)
		fputs("<span class=\"badge b-bad\">not encrypted</span>", f);
	else if (c->cleartext_ip > 0)
		fputs("<span class=\"badge b-warn\">mixed</span>", f);
	fputs("</td></tr>\n</table>\n", f);
}

static void
hx_confacks(FILE *f, const struct ins_call *c)
{
	int d, k, n = 0;

	for (k = 0; k < INS_CP_N; k++)
		for (d = 0; d < 2; d++) {
			const struct ins_confack *ca = &c->confack[d][k];

			if (!ca->seen)
				continue;
			if (n++ == 0)
				fputs("<table><tr><th>protocol</th><th>ack "
				    "sender</th><th>frame</th><th>"
				    "acknowledged options</th></tr>\n", f);
			fputs("<tr><td>", f);
			hx_s(f, ins_proto_name(ca->proto));
			fputs("</td><td class=\"mono\">", f);
			hx_addr(f, ins_call_src(c, d));
			fprintf(f, "</td><td class=\"num\">#%u</td>"
			    "<td class=\"mono\">", ca->frame);
			hx_confack_opts(f, ca);
			fputs("</td></tr>\n", f);
		}
	if (n > 0)
		fputs("</table>\n", f);
	else
		fputs("<p class=\"nodata\">no Configure-Ack with options "
		    "seen</p>\n", f);
}

/* Where the call sits: its connection, frames and times. */
static void
hx_call_frames(FILE *f, const struct inspect *ins, const struct ins_call *c)
{
	const struct ins_call_diag *x = &c->diag;

	if (c->kind == INS_CALL_GRE_ONLY) {
		fputs("<p class=\"nodata\">seen only as GRE: the capture began "
		    "mid-call or the control connection is elsewhere</p>\n", f);
		return;
	}
	fprintf(f, "<p>on <a href=\"#conn-%u\">control connection %u</a>; "
	    "request #%u, reply #%u (result %u), clear #%u, disconnect #%u",
	    c->conn_id, c->conn_id, c->request_frame, c->reply_frame,
	    c->result, c->clear_frame, c->cdn_frame);
	if (x->req_ts != 0 && x->req_ts >= ins->first_ts) {
		fprintf(f, "; requested %.3f s into the capture",
		    (double)(x->req_ts - ins->first_ts) / 1e6);
		if (c->ended && x->end_ts >= x->req_ts)
			fprintf(f, ", ended %.3f s later",
			    (double)(x->end_ts - x->req_ts) / 1e6);
	}
	fputs("</p>\n", f);
}

static const char hx_legend[] =
    "<p class=\"legend\">arrows:<i style=\"background:#1e3a8a\"></i>"
    "PPTP control<i style=\"background:#0f766e\"></i>LCP"
    "<i style=\"background:#6d28d9\"></i>authentication"
    "<i style=\"background:#0369a1\"></i>IPCP/IPV6CP"
    "<i style=\"background:#a16207\"></i>CCP"
    "<i style=\"background:#15803d\"></i>success"
    "<i style=\"background:#c2410c\"></i>Nak"
    "<i style=\"background:#dc2626\"></i>reject, failure, termination "
    "&middot; hover a row for the whole message</p>\n";

void
hx_call(FILE *f, const struct inspect *ins, const struct ins_call *c,
    const struct hx_findings *fd, bool open)
{
	const struct ins_auth *au = &c->auth;
	const char *m = ins_auth_method(au);
	size_t i, nf = 0, na;
	enum ins_sev worst = INS_SEV_INFO;
	bool bad = false;

	for (i = 0; i < fd->n; i++)
		if (fd->v[i].call_id == c->id) {
			nf++;
			bad |= fd->v[i].sev == INS_SEV_ERROR;
		}
	na = ins_audit_call(ins, c, fd->audit, HX_AUDIT);
	if (na > HX_AUDIT)
		na = HX_AUDIT;
	for (i = 0; i < na; i++)
		if (fd->audit[i].sev > worst)
			worst = fd->audit[i].sev;
	fprintf(f, "<section class=\"card call\" id=\"call-%u\"><details%s>"
	    "<summary><h2>Call %u</h2><span class=\"badge b-mute\">%s</span>",
	    c->id, open ? " open" : "", c->id, ins_call_kind_name(c->kind));
	if (c->kind != INS_CALL_GRE_ONLY) {
		fputs("<span class=\"mono\">PNS ", f);
		hx_addr(f, &c->pns);
		fputs(" #", f);
		hx_call_id(f, c->have_pns_id, c->pns_call_id);
		fputs(" &#8644; PAC ", f);
		hx_addr(f, &c->pac);
		fputs(" #", f);
		hx_call_id(f, c->have_pac_id, c->pac_call_id);
		fputs("</span>", f);
	} else {
		fputs("<span class=\"mono\">", f);
		hx_addr(f, ins_call_src(c, 0));
		fputs(" &#8644; ", f);
		hx_addr(f, ins_call_src(c, 1));
		fputs("</span>", f);
	}
	if (m != NULL) {
		fprintf(f, "<span class=\"badge %s\">", au->result > 0 ?
		    "b-ok" : au->result < 0 ? "b-bad" : "b-mute");
		hx_s(f, m);
		fputs(au->result > 0 ? " ok" : au->result < 0 ? " failed" : "",
		    f);
		fputs("</span>", f);
	}
	if (c->mppe_frames > 0)
		fputs("<span class=\"badge b-ok\">MPPE</span>", f);
	if (c->cleartext_ip > 0)
		fputs("<span class=\"badge b-warn\">cleartext IP</span>", f);
	if (nf > 0)
		fprintf(f, "<span class=\"badge %s\">%zu finding%s</span>",
		    bad ? "b-bad" : "b-warn", nf, nf == 1 ? "" : "s");
	if (worst != INS_SEV_INFO)
		fprintf(f, "<span class=\"badge %s\">audit: %s</span>",
		    hx_sev_class(worst), worst == INS_SEV_ERROR ? "weak" :
		    "caution");
	if (c->ended)
		fputs("<span class=\"badge b-mute\">ended</span>", f);
	fputs("</summary>\n", f);
	hx_call_frames(f, ins, c);
	fputs("<h3>Sequence</h3>\n", f);
	if (hx_ladder_call(f, ins, c) > 0)
		fputs(hx_legend, f);
	fputs("<h3>Throughput and loss</h3>\n", f);
	hx_plots(f, ins, c);
	fputs("<h3>GRE statistics</h3>\n", f);
	hx_gre_table(f, c);
	fputs("<h3>Authentication and encryption</h3>\n", f);
	hx_auth(f, c);
	fputs("<h3>Negotiated options (last Configure-Ack)</h3>\n", f);
	hx_confacks(f, c);
	fputs("<h3>Security audit</h3>\n", f);
	if (hx_findings_table(f, fd->audit, na, false, c->conn_id, c->id) == 0)
		fputs("<p class=\"nodata\">nothing to audit (no "
		    "authentication or CCP seen)</p>\n", f);
	fputs("<h3>Findings</h3>\n", f);
	if (hx_findings_table(f, fd->v, fd->n, false, c->conn_id, c->id) == 0)
		fputs("<p class=\"nodata\">no findings for this call</p>\n", f);
	fputs("</details></section>\n", f);
}

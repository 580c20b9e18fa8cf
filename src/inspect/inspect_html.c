/*
 * inspect_html.c - the analyzer's HTML report: one self-contained page
 * (inline CSS, inline SVG and a small inline script; nothing is fetched)
 * with a summary, every finding, one section per control connection (RFC
 * 2637 section 2 messages as a ladder diagram, TCP statistics) and one
 * per call (ladder of its control messages and PPP negotiation, throughput
 * and loss charts, the GRE statistics of RFC 2637 4.1/4.4 per direction,
 * authentication and CCP/MPPE outcome, negotiated options, findings).
 * Every string that comes from the capture goes through hx_esc().  The
 * page is bounded by the analysis caps (connections, calls, messages,
 * timeline entries, series bins).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/err.h"
#include "../inspect/inspect_html.h"
#include "../inspect/inspect_int.h"

#define HX_FINDINGS	1024	/* findings shown (ins_diagnose's cap) */
#define HX_OPEN_CALLS	12	/* call sections shown unfolded */

/* --- escaping ---------------------------------------------------------- */

void
hx_esc(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':	fputs("&amp;", f); break;
		case '<':	fputs("&lt;", f); break;
		case '>':	fputs("&gt;", f); break;
		case '"':	fputs("&quot;", f); break;
		case '\'':	fputs("&#39;", f); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
	}
}

void
hx_s(FILE *f, const char *s)
{
	if (s != NULL)
		hx_esc(f, s, strlen(s));
}

void
hx_cut(FILE *f, const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n <= max) {
		hx_esc(f, s, n);
		return;
	}
	hx_esc(f, s, max > 3 ? max - 3 : max);
	fputs("...", f);
}

void
hx_addr(FILE *f, const struct ins_addr *a)
{
	char buf[48];

	hx_s(f, a->family != 0 ? ins_addr_str(a, buf, sizeof(buf)) : "?");
}

/* --- page frame -------------------------------------------------------- */

static void
hx_head(FILE *f, const char *file)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    "initial-scale=1\"><title>pptpkit inspect: ", f);
	hx_s(f, file);
	fprintf(f, "</title>\n<style>\n%s</style></head>\n<body>\n", hx_css);
	fputs("<header class=\"top\"><h1>PPTP capture report</h1>"
	    "<div class=\"file\">", f);
	hx_s(f, file);
	fputs("</div><div><button id=\"expand\" type=\"button\">Expand all"
	    "</button> <button id=\"collapse\" type=\"button\">Collapse all"
	    "</button></div></header>\n<main>\n", f);
}

static void
hx_foot(FILE *f)
{
	fputs("</main>\n<footer>pptpkit inspect &middot; the same analysis as "
	    "<code>--json</code> (schema " INS_JSON_SCHEMA ")</footer>\n"
	    "<script>\n", f);
	fputs(hx_js, f);
	fputs("</script>\n</body></html>\n", f);
}

/* --- findings ---------------------------------------------------------- */

const char *
hx_sev_class(enum ins_sev s)
{
	return s == INS_SEV_ERROR ? "b-bad" : s == INS_SEV_WARN ? "b-warn" :
	    "b-info";
}

static const char *
hx_sev_name(enum ins_sev s)
{
	return s == INS_SEV_ERROR ? "error" : s == INS_SEV_WARN ? "warning" :
	    "info";
}

/* A table of the items v[nv] matching (conn_id, call_id), or all of
 * them with a "where" column when all.  Returns how many. */
size_t
hx_findings_table(FILE *f, const struct ins_finding *v, size_t nv, bool all,
    unsigned conn_id, unsigned call_id)
{
	size_t i, n = 0;
	unsigned k;

	for (i = 0; i < nv; i++) {
		const struct ins_finding *x = &v[i];

		if (!all && (x->call_id != call_id || (call_id == 0 &&
		    x->conn_id != conn_id)))
			continue;
		if (n++ == 0)
			fprintf(f, "<table class=\"findings\"><tr><th>severity"
			    "</th><th>code</th>%s<th>what</th><th>frames"
			    "</th></tr>\n", all ? "<th>where</th>" : "");
		fprintf(f, "<tr><td><span class=\"badge %s\">%s</span></td>"
		    "<td class=\"code\">", hx_sev_class(x->sev),
		    hx_sev_name(x->sev));
		hx_s(f, x->code);
		fputs("</td>", f);
		if (all) {
			fputs("<td class=\"where\">", f);
			if (x->call_id != 0)
				fprintf(f, "<a href=\"#call-%u\">call %u</a>",
				    x->call_id, x->call_id);
			else if (x->conn_id != 0)
				fprintf(f, "<a href=\"#conn-%u\">connection "
				    "%u</a>", x->conn_id, x->conn_id);
			else
				fputs("capture", f);
			fputs("</td>", f);
		}
		fputs("<td>", f);
		hx_esc(f, x->text, strnlen(x->text, sizeof(x->text)));
		fputs("</td><td class=\"mono\">", f);
		for (k = 0; k < x->nframes && k < INS_FINDING_FRAMES; k++)
			fprintf(f, "%s#%u", k ? " " : "", x->frames[k]);
		fputs("</td></tr>\n", f);
	}
	if (n > 0)
		fputs("</table>\n", f);
	return n;
}

/* --- summary ------------------------------------------------------------ */

static void
hx_time(FILE *f, uint64_t ts_us)
{
	char buf[64];
	time_t t = (time_t)(ts_us / 1000000);
	struct tm tm;

	if (ts_us == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		fputs("-", f);
		return;
	}
	fprintf(f, "%s.%06u UTC", buf, (unsigned)(ts_us % 1000000));
}

static void
hx_stat(FILE *f, const char *cls, unsigned long long v, const char *what)
{
	fprintf(f, "<div class=\"stat %s\"><b>%llu</b><span>%s</span></div>",
	    cls, v, what);
}

static void
hx_kv_u(FILE *f, const char *k, unsigned long long v)
{
	fprintf(f, "<tr><th>%s</th><td class=\"num\">%llu</td></tr>\n", k, v);
}

/* Every call's audit items as badges (the text in a tooltip). */
static void
hx_audit_overview(FILE *f, const struct inspect *ins,
    const struct hx_findings *fd)
{
	size_t i, na;
	int j, rows = 0;

	fputs("<section class=\"card\" id=\"audit\"><h2>Security audit"
	    "</h2>\n", f);
	for (j = 0; j < INS_MAX_CALLS; j++) {
		const struct ins_call *c = &ins->calls[j];

		if (!c->used || (na = ins_audit_call(ins, c, fd->audit,
		    HX_AUDIT)) == 0)
			continue;
		if (rows++ == 0)
			fputs("<table><tr><th>call</th><th>items</th></tr>\n",
			    f);
		fprintf(f, "<tr><td><a href=\"#call-%u\">call %u</a></td><td>",
		    c->id, c->id);
		for (i = 0; i < na && i < HX_AUDIT; i++) {
			const struct ins_finding *x = &fd->audit[i];

			fprintf(f, "<span class=\"badge %s\" title=\"",
			    hx_sev_class(x->sev));
			hx_esc(f, x->text, strnlen(x->text, sizeof(x->text)));
			fputs("\">", f);
			hx_s(f, x->code);
			fputs("</span> ", f);
		}
		fputs("</td></tr>\n", f);
	}
	if (rows > 0)
		fputs("</table>\n", f);
	else
		fputs("<p class=\"nodata\">no call to audit</p>\n", f);
	fputs("</section>\n", f);
}

static void
hx_summary(FILE *f, const struct inspect *ins, const char *file,
    const struct hx_findings *fd)
{
	const struct ins_counters *k = &ins->c;
	unsigned nconn = 0, ncall = 0, nerr = 0, nwarn = 0, naudit = 0;
	size_t i, na;
	int j;

	for (j = 0; j < INS_MAX_CONNS; j++)
		nconn += ins->conns[j].used;
	for (j = 0; j < INS_MAX_CALLS; j++) {
		if (!ins->calls[j].used)
			continue;
		ncall++;
		na = ins_audit_call(ins, &ins->calls[j], fd->audit, HX_AUDIT);
		for (i = 0; i < na && i < HX_AUDIT; i++) {
			nerr += fd->audit[i].sev == INS_SEV_ERROR;
			nwarn += fd->audit[i].sev == INS_SEV_WARN;
			naudit += fd->audit[i].sev != INS_SEV_INFO;
		}
	}
	for (i = 0; i < fd->n; i++) {
		nerr += fd->v[i].sev == INS_SEV_ERROR;
		nwarn += fd->v[i].sev == INS_SEV_WARN;
	}
	fputs("<section class=\"card\" id=\"summary\"><h2>Summary</h2>\n"
	    "<div class=\"stats\">", f);
	hx_stat(f, "", ins->frames, "frames");
	hx_stat(f, "", nconn, "control connections");
	hx_stat(f, "", ncall, "calls");
	hx_stat(f, fd->n == 0 ? "ok" : "", fd->n, "findings");
	hx_stat(f, naudit == 0 ? "ok" : "", naudit, "audit concerns");
	hx_stat(f, nerr ? "bad" : "", nerr, "errors");
	hx_stat(f, nwarn ? "warn" : "", nwarn, "warnings");
	fputs("</div>\n<table class=\"kv\">\n<tr><th>file</th><td class=\"mono\">",
	    f);
	hx_s(f, file);
	fprintf(f, "</td></tr>\n<tr><th>link type</th><td>%d</td></tr>\n"
	    "<tr><th>first frame</th><td>", ins->dlt);
	hx_time(f, ins->first_ts);
	fputs("</td></tr>\n<tr><th>last frame</th><td>", f);
	hx_time(f, ins->last_ts);
	fprintf(f, "</td></tr>\n<tr><th>duration</th><td class=\"num\">%.3f s"
	    "</td></tr>\n", ins->last_ts > ins->first_ts ?
	    (double)(ins->last_ts - ins->first_ts) / 1e6 : 0.0);
	hx_kv_u(f, "TCP/1723 segments", k->tcp_segments);
	hx_kv_u(f, "&nbsp;&nbsp;with payload", k->tcp_payload_segments);
	hx_kv_u(f, "&nbsp;&nbsp;retransmitted", k->tcp_retrans);
	hx_kv_u(f, "GRE packets", k->gre_packets);
	hx_kv_u(f, "&nbsp;&nbsp;PPTP (v1, PPP)", k->gre_pptp);
	hx_kv_u(f, "&nbsp;&nbsp;other GRE", k->gre_other);
	hx_kv_u(f, "&nbsp;&nbsp;malformed", k->gre_malformed);
	if (k->truncated || k->ip_fragments || k->not_ip ||
	    k->link_unsupported) {
		hx_kv_u(f, "truncated frames", k->truncated);
		hx_kv_u(f, "IP fragments", k->ip_fragments);
		hx_kv_u(f, "frames without IP", k->not_ip);
		hx_kv_u(f, "unsupported link", k->link_unsupported);
	}
	if (k->evicted_conns || k->evicted_calls || k->evicted_other_gre ||
	    k->dropped_msgs || k->dropped_timeline) {
		hx_kv_u(f, "evicted connections (table full)",
		    k->evicted_conns);
		hx_kv_u(f, "evicted calls (table full)", k->evicted_calls);
		hx_kv_u(f, "evicted other GRE flows", k->evicted_other_gre);
		hx_kv_u(f, "control messages not kept", k->dropped_msgs);
		hx_kv_u(f, "negotiation entries not kept",
		    k->dropped_timeline);
	}
	fputs("</table>\n", f);
	if (ncall > 0 || nconn > 0) {
		fputs("<h3>Contents</h3><div class=\"chips\">", f);
		for (j = 0; j < INS_MAX_CONNS; j++)
			if (ins->conns[j].used)
				fprintf(f, "<span><a href=\"#conn-%u\">control "
				    "connection %u</a></span>",
				    ins->conns[j].id, ins->conns[j].id);
		for (j = 0; j < INS_MAX_CALLS; j++)
			if (ins->calls[j].used)
				fprintf(f, "<span><a href=\"#call-%u\">call %u"
				    "</a></span>", ins->calls[j].id,
				    ins->calls[j].id);
		fputs("</div>\n", f);
	}
	fputs("</section>\n<section class=\"card\" id=\"findings\">"
	    "<h2>Findings</h2>\n", f);
	if (hx_findings_table(f, fd->v, fd->n, true, 0, 0) == 0)
		fputs("<p class=\"nodata\">no findings</p>\n", f);
	fputs("</section>\n", f);
	hx_audit_overview(f, ins, fd);
}

/* --- control connections --------------------------------------------- */

static void
hx_conn(FILE *f, const struct inspect *ins, const struct ins_conn *cn,
    const struct hx_findings *fd)
{
	unsigned i;
	int d;

	fprintf(f, "<section class=\"card conn\" id=\"conn-%u\"><details "
	    "open><summary><h2>Control connection %u</h2><span class=\"mono\">",
	    cn->id, cn->id);
	hx_addr(f, &cn->cli);
	fprintf(f, ":%u &#8594; ", cn->cport);
	hx_addr(f, &cn->srv);
	fprintf(f, ":%u</span><span class=\"badge b-mute\">%u messages</span>",
	    cn->sport, cn->nmsgs);
	if (cn->fin)
		fputs("<span class=\"badge b-mute\">FIN</span>", f);
	if (cn->rst)
		fputs("<span class=\"badge b-warn\">RST</span>", f);
	if (cn->dir[0].desync || cn->dir[1].desync)
		fputs("<span class=\"badge b-bad\">framing lost</span>", f);
	fputs("</summary>\n<h3>Control messages</h3>\n", f);
	hx_ladder_conn(f, ins, cn);
	if (cn->nmsgs > INS_MAX_MSGS)
		fprintf(f, "<p class=\"nodata\">%u more messages not kept "
		    "(cap %d)</p>\n", cn->nmsgs - INS_MAX_MSGS, INS_MAX_MSGS);
	fputs("<div class=\"chips\" style=\"margin-top:8px\">", f);
	for (i = 1; i <= PPTP_CTRL_TYPE_MAX; i++)
		if (cn->type_count[i] > 0)
			fprintf(f, "<span>%s &times; %u</span>",
			    pptp_ctrl_type_name((uint16_t)i), cn->type_count[i]);
	fprintf(f, "</div>\n<h3>TCP</h3>\n<table><tr><th>direction</th>"
	    "<th>segments with data</th><th>retransmitted</th><th>out of "
	    "order</th><th>gaps</th><th>bytes</th><th>framing</th></tr>\n");
	for (d = 0; d < 2; d++) {
		const struct ins_tcp_dir *t = &cn->dir[d];

		fprintf(f, "<tr><td>%s</td><td class=\"num\">%u</td>"
		    "<td class=\"num\">%u</td><td class=\"num\">%u</td>"
		    "<td class=\"num%s\">%u</td><td class=\"num\">%u</td>"
		    "<td>%s</td></tr>\n", d == 0 ? "client &#8594; server" :
		    "server &#8594; client", t->segments, t->retrans,
		    t->out_of_order, t->gaps ? " bad" : "", t->gaps, t->bytes,
		    t->desync ? "<span class=\"bad\">lost (rest not read)"
		    "</span>" : "<span class=\"ok\">in sync</span>");
	}
	fputs("</table>\n", f);
	if (cn->decode_errors)
		fprintf(f, "<p class=\"bad\">%u messages failed to decode</p>\n",
		    cn->decode_errors);
	for (i = 0; i < fd->n; i++)
		if (fd->v[i].conn_id == cn->id && fd->v[i].call_id == 0)
			break;
	if (i < fd->n) {
		fputs("<h3>Findings</h3>\n", f);
		(void)hx_findings_table(f, fd->v, fd->n, false, cn->id, 0);
	}
	fputs("</details></section>\n", f);
}

static void
hx_other(FILE *f, const struct inspect *ins)
{
	int i, n = 0;

	for (i = 0; i < INS_MAX_OTHER_GRE; i++) {
		const struct ins_other_gre *o = &ins->other[i];

		if (!o->used)
			continue;
		if (n++ == 0)
			fputs("<section class=\"card\" id=\"other-gre\"><h2>"
			    "Other GRE (not PPTP)</h2>\n<table><tr><th>source"
			    "</th><th>destination</th><th>version</th><th>"
			    "protocol</th><th>packets</th><th>bytes</th><th>"
			    "first frame</th></tr>\n", f);
		fputs("<tr><td class=\"mono\">", f);
		hx_addr(f, &o->src);
		fputs("</td><td class=\"mono\">", f);
		hx_addr(f, &o->dst);
		fprintf(f, "</td><td class=\"num\">%u</td><td class=\"mono\">"
		    "0x%04x</td><td class=\"num\">%u</td><td class=\"num\">"
		    "%llu</td><td class=\"num\">#%u</td></tr>\n", o->version,
		    (unsigned)o->proto, o->packets,
		    (unsigned long long)o->bytes, o->first_frame);
	}
	if (n > 0)
		fputs("</table></section>\n", f);
}

static void
hx_page(FILE *f, const struct inspect *ins, const char *file,
    const struct hx_findings *fd)
{
	int i, ncall = 0;

	hx_head(f, file);
	hx_summary(f, ins, file, fd);
	for (i = 0; i < INS_MAX_CONNS; i++)
		if (ins->conns[i].used)
			hx_conn(f, ins, &ins->conns[i], fd);
	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used) {
			hx_call(f, ins, &ins->calls[i], fd,
			    ncall < HX_OPEN_CALLS);
			ncall++;
		}
	hx_other(f, ins);
	if (ncall == 0 && ins->conns[0].used == false)
		fputs("<section class=\"card\"><p class=\"nodata\">no PPTP "
		    "control connection or call in this capture</p>"
		    "</section>\n", f);
	hx_foot(f);
}

int
inspect_report_html(const struct inspect *ins, const char *file,
    const char *path, char *err, size_t errlen)
{
	struct hx_findings fd = { NULL, 0, NULL };
	FILE *f;
	int ret = 0;

	if ((fd.v = calloc(HX_FINDINGS, sizeof(*fd.v))) == NULL ||
	    (fd.audit = calloc(HX_AUDIT, sizeof(*fd.audit))) == NULL) {
		free(fd.v);
		snprintf(err, errlen, "out of memory");
		return ERR_NOMEM;
	}
	fd.n = ins_diagnose(ins, fd.v, HX_FINDINGS);
	if (fd.n > HX_FINDINGS)
		fd.n = HX_FINDINGS;
	if ((f = fopen(path, "w")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(fd.v);
		free(fd.audit);
		return ERR_SYS;
	}
	hx_page(f, ins, file, &fd);
	if (ferror(f)) {
		snprintf(err, errlen, "write error");
		ret = ERR_SYS;
	}
	if (fclose(f) != 0 && ret == 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		ret = ERR_SYS;
	}
	free(fd.v);
	free(fd.audit);
	return ret;
}

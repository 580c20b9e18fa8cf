/*
 * inspect_diag_report.c - the findings' list (inspect_diag.h): building a
 * finding (code, severity, owner, text, the frames that prove it) and the
 * small phrases the findings share, then the report sections that print
 * them: per call (findings and security audit) and for the whole capture
 * (counts by severity, the control connections' findings), as text and as
 * JSON (docs/inspect-json.md).  What the findings are is decided in
 * inspect_diag.c and inspect_audit.c.
 */
#include <stdarg.h>
#include <string.h>

#include "../base/sbuf.h"
#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"

/* --- building findings -------------------------------------------------- */

struct ins_finding *
ins_finding_add(struct ins_finding *out, size_t cap, size_t *n,
    const char *code, enum ins_sev sev, unsigned conn_id, unsigned call_id)
{
	struct ins_finding *f;

	if (*n >= cap)
		return NULL;
	f = &out[(*n)++];
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->sev = sev;
	f->conn_id = conn_id;
	f->call_id = call_id;
	return f;
}

void
ins_finding_printf(struct ins_finding *f, const char *fmt, ...)
{
	size_t len = strlen(f->text);
	va_list ap;

	if (len + 1 >= sizeof(f->text))
		return;
	va_start(ap, fmt);
	vsnprintf(f->text + len, sizeof(f->text) - len, fmt, ap);
	va_end(ap);
}

void
ins_finding_frame(struct ins_finding *f, unsigned frame)
{
	unsigned i, j;

	if (frame == 0 || f->nframes >= INS_FINDING_FRAMES)
		return;
	for (i = 0; i < f->nframes && f->frames[i] < frame; i++)
		;
	if (i < f->nframes && f->frames[i] == frame)
		return;
	for (j = f->nframes; j > i; j--)
		f->frames[j] = f->frames[j - 1];
	f->frames[i] = frame;
	f->nframes++;
}

const char *
ins_side_name(const struct ins_call *c, int d, char *buf, size_t cap)
{
	char a[48];

	ins_addr_str(ins_call_src(c, d), a, sizeof(a));
	if (c->kind == INS_CALL_GRE_ONLY)
		snprintf(buf, cap, "%s", a);
	else
		snprintf(buf, cap, "%s %s", d == 0 ? "PNS" : "PAC", a);
	return buf;
}

const char *
ins_user_str(const struct ins_call *c, char *buf, size_t cap)
{
	struct sbuf sb;

	sbuf_init(&sb, buf, cap);
	if (c->auth.req_frame == 0) {
		sbuf_printf(&sb, "(unknown)");
		return buf;
	}
	sbuf_printf(&sb, "\"");
	sbuf_escaped(&sb, c->auth.user, c->auth.user_len);
	sbuf_printf(&sb, "\"");
	return buf;
}

const char *
ins_sev_name(enum ins_sev s)
{
	switch (s) {
	case INS_SEV_ERROR:	return "error";
	case INS_SEV_WARN:	return "warning";
	case INS_SEV_INFO:	return "info";
	}
	return "?";
}

struct ins_finding *
ins_flist_add(struct ins_flist *l, const char *code, enum ins_sev sev)
{
	return ins_finding_add(l->out, l->cap, &l->n, code, sev,
	    l->c->conn_id, l->c->id);
}

const char *
ins_pl(unsigned n)
{
	return n == 1 ? "" : "s";
}

const char *
ins_esc(char *buf, size_t cap, const void *s, size_t n)
{
	struct sbuf sb;

	sbuf_init(&sb, buf, cap);
	sbuf_escaped(&sb, s, n);
	return buf;
}

/* --- report sections ------------------------------------------------------ */

#define CALL_MAX	32	/* findings or audit items of one call */

static void
text_items(const struct ins_finding *f, size_t n, FILE *out, bool color,
    const char *indent, bool show_owner)
{
	size_t i;
	unsigned k;

	for (i = 0; i < n; i++) {
		const char *sev = ins_sev_name(f[i].sev);

		if (color && f[i].sev != INS_SEV_INFO)
			fprintf(out, "%s%s%s\033[0m ", indent,
			    f[i].sev == INS_SEV_ERROR ? "\033[31m" :
			    "\033[33m", sev);
		else
			fprintf(out, "%s%s ", indent, sev);
		fprintf(out, "%s", f[i].code);
		if (show_owner && f[i].call_id != 0)
			fprintf(out, " (call %u)", f[i].call_id);
		else if (show_owner && f[i].conn_id != 0)
			fprintf(out, " (control connection %u)", f[i].conn_id);
		fprintf(out, ": %s", f[i].text);
		for (k = 0; k < f[i].nframes; k++)
			fprintf(out, "%s%u", k == 0 ? " [frames " : ", ",
			    f[i].frames[k]);
		fprintf(out, "%s\n", f[i].nframes > 0 ? "]" : "");
	}
}

static void
json_item(struct jw *w, const struct ins_finding *f)
{
	unsigned k;

	jw_open(w, NULL, '{');
	jw_s(w, "code", f->code);
	jw_s(w, "severity", ins_sev_name(f->sev));
	jw_opt_u64(w, "control_connection", f->conn_id != 0, f->conn_id);
	jw_opt_u64(w, "call", f->call_id != 0, f->call_id);
	jw_s(w, "text", f->text);
	jw_open(w, "frames", '[');
	for (k = 0; k < f->nframes; k++)
		jw_u64(w, NULL, f->frames[k]);
	jw_close(w, ']');
	jw_close(w, '}');
}

static void
json_items(struct jw *w, const char *key, const struct ins_finding *f,
    size_t n)
{
	size_t i;

	jw_open(w, key, '[');
	for (i = 0; i < n; i++)
		json_item(w, &f[i]);
	jw_close(w, ']');
}

void
ins_diag_call_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out, bool color)
{
	struct ins_finding f[CALL_MAX];
	size_t n;

	if ((n = ins_diag_call(ins, c, f, CALL_MAX)) > 0) {
		fprintf(out, "  findings:\n");
		text_items(f, n, out, color, "    ", false);
	}
	if ((n = ins_audit_call(ins, c, f, CALL_MAX)) > 0) {
		fprintf(out, "  security:\n");
		text_items(f, n, out, color, "    ", false);
	}
}

void
ins_diag_call_json(struct jw *w, const struct inspect *ins,
    const struct ins_call *c)
{
	struct ins_finding f[CALL_MAX];
	size_t n;

	n = ins_diag_call(ins, c, f, CALL_MAX);
	json_items(w, "findings", f, n);
	n = ins_audit_call(ins, c, f, CALL_MAX);
	json_items(w, "security", f, n);
}

/* Every finding of the capture, connection by connection then call by
 * call, one small batch at a time: to json_item when w is not NULL, and
 * counted by severity into cnt. */
static void
each_finding(const struct inspect *ins, struct jw *w, unsigned cnt[3])
{
	struct ins_finding f[CALL_MAX];
	size_t n, k;
	int i;

	cnt[0] = cnt[1] = cnt[2] = 0;
	for (i = 0; i < INS_MAX_CONNS + INS_MAX_CALLS; i++) {
		if (i < INS_MAX_CONNS && ins->conns[i].used)
			n = ins_diag_conn(ins, &ins->conns[i], f, CALL_MAX);
		else if (i >= INS_MAX_CONNS &&
		    ins->calls[i - INS_MAX_CONNS].used)
			n = ins_diag_call(ins, &ins->calls[i - INS_MAX_CONNS],
			    f, CALL_MAX);
		else
			continue;
		for (k = 0; k < n; k++) {
			cnt[f[k].sev]++;
			if (w != NULL)
				json_item(w, &f[k]);
		}
	}
}

void
ins_diag_global_text(const struct inspect *ins, FILE *out, bool color)
{
	struct ins_finding f[CALL_MAX];
	unsigned cnt[3];
	size_t n;
	int i;

	each_finding(ins, NULL, cnt);
	if (cnt[0] + cnt[1] + cnt[2] == 0)
		return;
	fprintf(out, "  diagnosis: %u error%s, %u warning%s, %u info "
	    "(call findings are listed under each call)\n",
	    cnt[INS_SEV_ERROR], cnt[INS_SEV_ERROR] == 1 ? "" : "s",
	    cnt[INS_SEV_WARN], cnt[INS_SEV_WARN] == 1 ? "" : "s",
	    cnt[INS_SEV_INFO]);
	for (i = 0; i < INS_MAX_CONNS; i++)
		if (ins->conns[i].used &&
		    (n = ins_diag_conn(ins, &ins->conns[i], f, CALL_MAX)) > 0)
			text_items(f, n, out, color, "    ", true);
}

void
ins_diag_global_json(struct jw *w, const struct inspect *ins)
{
	unsigned cnt[3];

	jw_open(w, "findings", '[');
	each_finding(ins, w, cnt);
	jw_close(w, ']');
	jw_open(w, "finding_counts", '{');
	jw_u64(w, "error", cnt[INS_SEV_ERROR]);
	jw_u64(w, "warning", cnt[INS_SEV_WARN]);
	jw_u64(w, "info", cnt[INS_SEV_INFO]);
	jw_close(w, '}');
}

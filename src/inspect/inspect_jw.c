/*
 * inspect_jw.c - the analyzer's streaming JSON emitter (inspect_jw.h).
 */
#include <string.h>

#include "../inspect/inspect_jw.h"


void
jw_str(struct jw *w, const char *s, size_t n)
{
	size_t i;

	fputc('"', w->f);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(w->f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(w->f, "\\u%04x", c);
		else
			fputc(c, w->f);
	}
	fputc('"', w->f);
}

/* Separator and key before a value; key NULL inside arrays. */
void
jw_key(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	w->first[w->depth] = false;
	if (key != NULL) {
		jw_str(w, key, strlen(key));
		fputc(':', w->f);
	}
}

void
jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < JW_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

void
jw_close(struct jw *w, char c)
{
	fputc(c, w->f);
	if (w->depth > 0)
		w->depth--;
}

void
jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void
jw_opt_u64(struct jw *w, const char *key, bool have, uint64_t v)
{
	jw_key(w, key);
	if (have)
		fprintf(w->f, "%llu", (unsigned long long)v);
	else
		fputs("null", w->f);
}

void
jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->f);
}

void
jw_s(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s == NULL)
		fputs("null", w->f);
	else
		jw_str(w, s, strlen(s));
}

void
jw_addr(struct jw *w, const char *key, const struct ins_addr *a)
{
	char buf[48];

	if (a->family == 0)
		jw_s(w, key, NULL);
	else
		jw_s(w, key, ins_addr_str(a, buf, sizeof(buf)));
}

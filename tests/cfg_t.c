/*
 * cfg_t.c - helpers shared by the configuration tests (cfg_t.h).
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "cfg_t.h"

void
wlog_cb(void *ctx, const char *file, int line, const char *msg)
{
	struct wlog *w = ctx;

	if (w->n < WMAX) {
		w->line[w->n] = line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s:%d: %s", file,
		    line, msg);
		w->n++;
	}
}

/* A warning containing sub, on `line` (-1: any line). */
bool
wlog_has(const struct wlog *w, int line, const char *sub)
{
	int i;

	for (i = 0; i < w->n; i++)
		if ((line < 0 || w->line[i] == line) &&
		    strstr(w->msg[i], sub) != NULL)
			return true;
	t_note("no warning \"%s\" at line %d among %d:", sub, line, w->n);
	for (i = 0; i < w->n; i++)
		t_note("  %s", w->msg[i]);
	return false;
}

char *
slurp(const char *path, size_t *len)
{
	char *b = (char *)t_read_file(path, len);

	if (b == NULL)
		t_note("cannot read %s", path);
	return b;
}

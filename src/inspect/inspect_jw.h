/*
 * inspect_jw.h - the analyzer's small streaming JSON emitter, shared by
 * every file that writes a section of the report (docs/inspect-json.md).
 * Every string goes through one escaper, so peer-supplied names cannot
 * break the document.  Keys are NULL inside arrays.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_JW_H
#define PPTPKIT_INSPECT_INSPECT_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../inspect/inspect.h"

#define JW_DEPTH	16

struct jw {
	FILE	*f;
	int	 depth;
	bool	 first[JW_DEPTH];
};

void jw_str(struct jw *w, const char *s, size_t n);
void jw_key(struct jw *w, const char *key);
void jw_open(struct jw *w, const char *key, char c);
void jw_close(struct jw *w, char c);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_opt_u64(struct jw *w, const char *key, bool have, uint64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_s(struct jw *w, const char *key, const char *s);
void jw_addr(struct jw *w, const char *key, const struct ins_addr *a);

#endif

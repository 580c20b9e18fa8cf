/*
 * config_int.h - what the configuration parsers share and nobody else
 * needs: diagnostics, pppd's word reader, numbers.
 */
#ifndef PPTPKIT_SERVER_CONFIG_INT_H
#define PPTPKIT_SERVER_CONFIG_INT_H

#include "config.h"

#define CFG_WORD_MAX	1024	/* pppd's MAXWORDLEN */

/* Formats one warning and hands it to d->warn; counts it. */
void cfg_warnf(struct cfg_diag *d, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Formats "file:line: message" (or "file: message" when line is 0) into
 * d->error and returns code, so callers can `return cfg_errf(...)`. */
int cfg_errf(struct cfg_diag *d, int code, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Appends s escaped (admin text may hold anything) to a short buffer for a
 * message; at most 64 characters of it, with "..." if cut. */
const char *cfg_quote(char *buf, size_t cap, const char *s);

/*
 * pppd's getword(): words separated by white space; `#` at the start of a
 * word comments out the rest of the line; "..." and '...' quote (also in
 * the middle of a word); backslash escapes \b \f \n \r \s \t, \ooo, \xhh,
 * \^c, \<newline> (continuation), and any other character stands for
 * itself.
 */
struct cfg_lex {
	const char	*p, *end;
	int		 line;		/* line of p, from 1 */
	bool		 started;	/* a word was read */
};

void cfg_lex_init(struct cfg_lex *lx, const char *buf, size_t len);

/* Reads the next word into out[cap] (NUL-terminated).  *wline: the line it
 * starts on; *nl: whether a line break came before it since the previous
 * word (true for the first word).  Returns 1 for a word, 0 at the end,
 * ERR_LENGTH (longer than cap - 1), ERR_FORMAT (unterminated quote, NUL
 * byte, backslash at the end). */
int cfg_lex_word(struct cfg_lex *lx, char *out, size_t cap, int *wline,
    bool *nl) MUST_CHECK;

/* True when the next word (if any) starts on the current line. */
bool cfg_lex_more_on_line(const struct cfg_lex *lx);

/* Decimal number in s, min <= v <= max.  0, ERR_FORMAT, ERR_RANGE. */
int cfg_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out) MUST_CHECK;

/* "a.b.c.d" for messages; buf of at least 16. */
const char *cfg_ipv4_str(uint32_t a, char *buf);

/* Usable as a peer or local address: not 0.0.0.0/8, loopback, multicast,
 * class E or broadcast (pppd's bad_ip_adrs and a little more). */
bool cfg_ipv4_usable(uint32_t a);

/* Copies s into out[cap]; ERR_LENGTH (nothing copied but "") if too long. */
int cfg_copy(char *out, size_t cap, const char *s) MUST_CHECK;

/* server_config_finish()'s two halves: the auth and MPPE policy
 * (config.c) and the pool from localip/remoteip (config_pptpd.c). */
int cfg_options_finish(struct server_config *c) MUST_CHECK;
int cfg_pool_expand(struct server_config *c) MUST_CHECK;

#endif

/*
 * config_lex.c - what the configuration parsers read with: pppd's word
 * syntax (the behaviour of pppd(8)'s getword(), written anew: white space,
 * # comments at the start of a word, "..." and '...' quoting, backslash
 * escapes and continuations), strict decimal numbers, dotted-quad IPv4
 * addresses, and pptpd.conf(5)'s address lists ("a.b.c.d-e", commas).
 */
#include <stdio.h>
#include <string.h>

#include "../base/hex.h"
#include "config_int.h"

/* --- pppd's word reader --- */

void
cfg_lex_init(struct cfg_lex *lx, const char *buf, size_t len)
{
	lx->p = buf;
	lx->end = buf != NULL ? buf + len : buf;
	lx->line = 1;
	lx->started = false;
}

static bool
lex_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Skips white space, comments and continuations; sets *nl on a newline.
 * Returns false at the end of input. */
static bool
lex_skip(struct cfg_lex *lx, bool *nl)
{
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == '\n') {
			lx->line++;
			*nl = true;
			lx->p++;
		} else if (lex_space(c)) {
			lx->p++;
		} else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '\\' && lx->end - lx->p >= 2 &&
		    lx->p[1] == '\n') {
			lx->p += 2;
			lx->line++;
		} else {
			return true;
		}
	}
	return false;
}

/* lx->p is just past a backslash.  Sets *val to the character it stands
 * for, or -1 for a continuation (backslash-newline).  0 or ERR_FORMAT. */
static int
lex_escape(struct cfg_lex *lx, int *val)
{
	char c;
	int v, i, h;

	if (lx->p >= lx->end)
		return ERR_FORMAT;
	c = *lx->p++;
	switch (c) {
	case '\n':	lx->line++; *val = -1; return 0;
	case 'b':	*val = '\b'; return 0;
	case 'f':	*val = '\f'; return 0;
	case 'n':	*val = '\n'; return 0;
	case 'r':	*val = '\r'; return 0;
	case 's':	*val = ' '; return 0;
	case 't':	*val = '\t'; return 0;
	case '^':
		if (lx->p >= lx->end)
			return ERR_FORMAT;
		*val = *lx->p++ & 0x1f;
		return 0;
	case 'x':
		v = 0;
		for (i = 0; i < 2 && lx->p < lx->end &&
		    (h = hex_digit(*lx->p)) >= 0; i++, lx->p++)
			v = v * 16 + h;
		*val = i == 0 ? 'x' : v;
		return 0;
	default:
		if (c >= '0' && c <= '7') {
			v = c - '0';
			for (i = 1; i < 3 && lx->p < lx->end &&
			    *lx->p >= '0' && *lx->p <= '7'; i++, lx->p++)
				v = v * 8 + (*lx->p - '0');
			*val = v & 0xff;
			return 0;
		}
		*val = (unsigned char)c;
		return 0;
	}
}

int
cfg_lex_word(struct cfg_lex *lx, char *out, size_t cap, int *wline,
    bool *nl)
{
	size_t n = 0;
	char quote = 0;
	int ret, v;

	*nl = !lx->started;
	if (!lex_skip(lx, nl)) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	lx->started = true;
	*wline = lx->line;
	for (;;) {
		if (lx->p >= lx->end) {
			if (quote != 0)
				return ERR_FORMAT;
			break;
		}
		v = (unsigned char)*lx->p;
		if (v == '\\') {
			lx->p++;
			if ((ret = lex_escape(lx, &v)) != 0)
				return ret;
			if (v < 0)
				continue;
		} else if (quote != 0) {
			lx->p++;
			if (v == quote) {
				quote = 0;
				continue;
			}
			if (v == '\n')
				lx->line++;
		} else if (v == '"' || v == '\'') {
			quote = (char)v;
			lx->p++;
			continue;
		} else if (v == '\n' || lex_space((char)v)) {
			break;
		} else {
			lx->p++;
		}
		if (v == 0)
			return ERR_FORMAT;
		if (n + 1 >= cap)
			return ERR_LENGTH;
		out[n++] = (char)v;
	}
	out[n] = '\0';
	return 1;
}

bool
cfg_lex_more_on_line(const struct cfg_lex *lx)
{
	const char *p = lx->p;

	while (p < lx->end) {
		if (lex_space(*p))
			p++;
		else if (*p == '\\' && lx->end - p >= 2 && p[1] == '\n')
			p += 2;
		else
			return *p != '\n' && *p != '#';
	}
	return false;
}

/* --- numbers and addresses --- */

int
cfg_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (s[0] == '\0')
		return ERR_FORMAT;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return ERR_FORMAT;
		if (v > (0xffffffffUL - 9) / 10)
			return ERR_RANGE;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < min || v > max)
		return ERR_RANGE;
	*out = v;
	return 0;
}

int
cfg_parse_ipv4(const char *s, size_t n, uint32_t *out)
{
	uint32_t a = 0;
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (++digits > 3)
				return ERR_FORMAT;
			v = v * 10 + (unsigned)(s[i++] - '0');
		}
		if (digits == 0 || v > 255)
			return ERR_FORMAT;
		a = a << 8 | v;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return ERR_FORMAT;
			i++;
		}
	}
	if (i != n)
		return ERR_FORMAT;
	*out = a;
	return 0;
}

const char *
cfg_ipv4_str(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(a >> 24),
	    (unsigned)(a >> 16 & 0xff), (unsigned)(a >> 8 & 0xff),
	    (unsigned)(a & 0xff));
	return buf;
}

bool
cfg_ipv4_usable(uint32_t a)
{
	uint32_t top = a >> 24;

	return top != 0 && top != 127 && top < 224;
}

/* One item of an address list: "a.b.c.d", "a.b.c.d-e", "a.b.c.d-a.b.c.e". */
static int
parse_range(const char *s, size_t n, struct cfg_range *r)
{
	const char *dash = memchr(s, '-', n);
	size_t ln = dash != NULL ? (size_t)(dash - s) : n;
	unsigned long v;
	char tail[4];
	size_t tn;
	int ret;

	if ((ret = cfg_parse_ipv4(s, ln, &r->first)) != 0)
		return ret;
	r->last = r->first;
	if (dash == NULL)
		return 0;
	s = dash + 1;
	tn = n - ln - 1;
	if (memchr(s, '.', tn) != NULL) {
		if ((ret = cfg_parse_ipv4(s, tn, &r->last)) != 0)
			return ret;
	} else {
		/* "No shortcuts in ranges! ie. 234-8 does not mean 234 to
		 * 238" (pptpd.conf): the tail is the whole last octet. */
		if (tn == 0 || tn >= sizeof(tail))
			return ERR_FORMAT;
		memcpy(tail, s, tn);
		tail[tn] = '\0';
		if ((ret = cfg_parse_uint(tail, 0, 255, &v)) != 0)
			return ERR_FORMAT;
		r->last = (r->first & 0xffffff00u) | (uint32_t)v;
	}
	return r->last < r->first ? ERR_RANGE : 0;
}

int
cfg_parse_ranges(const char *s, size_t n, struct cfg_range *out, size_t cap,
    size_t *count)
{
	size_t i = 0, k = 0;
	int ret;

	*count = 0;
	if (n == 0)
		return ERR_FORMAT;
	while (i <= n) {
		const char *comma = memchr(s + i, ',', n - i);
		size_t len = comma != NULL ? (size_t)(comma - (s + i)) : n - i;

		if (k == cap)
			return ERR_NOSPACE;
		if (len == 0)
			return ERR_FORMAT;
		if ((ret = parse_range(s + i, len, &out[k])) != 0)
			return ret;
		k++;
		i += len + 1;
		if (comma == NULL)
			break;
	}
	*count = k;
	return 0;
}

/*
 * sbuf.h - a bounded text builder for printers and log lines.
 *
 * Every codec's _print() writes into a struct sbuf, so the same text serves
 * logs, the capture analyzer and test failure messages.  The builder never
 * allocates and never overflows: output past the capacity is dropped and
 * `truncated` is set; the text is always NUL-terminated.
 */
#ifndef PPTPKIT_BASE_SBUF_H
#define PPTPKIT_BASE_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char	*buf;		/* caller's storage, at least 1 byte */
	size_t	 cap;		/* size of buf */
	size_t	 len;		/* bytes written, excluding the NUL */
	bool	 truncated;	/* some output did not fit */
};

/* Points sb at buf[cap] (cap >= 1) and empties it. */
void sbuf_init(struct sbuf *sb, char *buf, size_t cap);

/* Appends printf-style text. */
void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends n bytes of untrusted text, escaping anything outside printable
 * ASCII (and backslash and double quote) as \xNN, and stopping at the first
 * NUL.  Use it for every peer-supplied string (host names, user names, M=). */
void sbuf_escaped(struct sbuf *sb, const void *s, size_t n);

/* Appends n bytes as lowercase hex with no separators. */
void sbuf_hex(struct sbuf *sb, const void *p, size_t n);

/* The text so far (NUL-terminated). */
const char *sbuf_str(const struct sbuf *sb);

#endif

/*
 * sbuf.c - bounded text builder (see sbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "sbuf.h"

void
sbuf_init(struct sbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->truncated = false;
	if (cap > 0)
		buf[0] = '\0';
}

static void
sbuf_putc(struct sbuf *sb, char c)
{
	if (sb->len + 1 >= sb->cap) {
		sb->truncated = true;
		return;
	}
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (sb->cap == 0 || sb->len + 1 >= sb->cap) {
		sb->truncated = true;
		return;
	}
	room = sb->cap - sb->len;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		sb->len = sb->cap - 1;
		sb->truncated = true;
	} else {
		sb->len += (size_t)n;
	}
}

void
sbuf_escaped(struct sbuf *sb, const void *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = s;
	size_t i;

	for (i = 0; i < n && p[i] != '\0'; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"') {
			sbuf_putc(sb, (char)p[i]);
		} else {
			sbuf_putc(sb, '\\');
			sbuf_putc(sb, 'x');
			sbuf_putc(sb, hex[p[i] >> 4]);
			sbuf_putc(sb, hex[p[i] & 15]);
		}
	}
}

void
sbuf_hex(struct sbuf *sb, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		sbuf_putc(sb, hex[b[i] >> 4]);
		sbuf_putc(sb, hex[b[i] & 15]);
	}
}

const char *
sbuf_str(const struct sbuf *sb)
{
	return sb->cap > 0 ? sb->buf : "";
}

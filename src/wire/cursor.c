/*
 * cursor.c - bounds-checked big-endian reader and writer (see cursor.h).
 */
#include <string.h>

#include "cursor.h"

void
rd_init(struct rd *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = buf != NULL ? len : 0;
	r->off = 0;
}

size_t
rd_left(const struct rd *r)
{
	return r->len - r->off;
}

size_t
rd_offset(const struct rd *r)
{
	return r->off;
}

const uint8_t *
rd_cur(const struct rd *r)
{
	return r->buf + r->off;
}

int
rd_peek_u8(const struct rd *r, uint8_t *v)
{
	if (rd_left(r) < 1)
		return ERR_TRUNCATED;
	*v = r->buf[r->off];
	return 0;
}

int
rd_peek_u16(const struct rd *r, uint16_t *v)
{
	if (rd_left(r) < 2)
		return ERR_TRUNCATED;
	*v = (uint16_t)(r->buf[r->off] << 8 | r->buf[r->off + 1]);
	return 0;
}

int
rd_u8(struct rd *r, uint8_t *v)
{
	if (rd_left(r) < 1)
		return ERR_TRUNCATED;
	*v = r->buf[r->off++];
	return 0;
}

int
rd_u16(struct rd *r, uint16_t *v)
{
	int ret;

	if ((ret = rd_peek_u16(r, v)) != 0)
		return ret;
	r->off += 2;
	return 0;
}

int
rd_u32(struct rd *r, uint32_t *v)
{
	const uint8_t *p;

	if (rd_left(r) < 4)
		return ERR_TRUNCATED;
	p = r->buf + r->off;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
	r->off += 4;
	return 0;
}

int
rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (rd_left(r) < n)
		return ERR_TRUNCATED;
	if (n > 0)
		memcpy(dst, r->buf + r->off, n);
	r->off += n;
	return 0;
}

int
rd_ptr(struct rd *r, const uint8_t **p, size_t n)
{
	if (rd_left(r) < n)
		return ERR_TRUNCATED;
	*p = r->buf + r->off;
	r->off += n;
	return 0;
}

int
rd_skip(struct rd *r, size_t n)
{
	if (rd_left(r) < n)
		return ERR_TRUNCATED;
	r->off += n;
	return 0;
}

int
rd_sub(struct rd *r, size_t n, struct rd *sub)
{
	if (rd_left(r) < n)
		return ERR_TRUNCATED;
	rd_init(sub, r->buf + r->off, n);
	r->off += n;
	return 0;
}

void
rd_rest(struct rd *r, struct rd *sub)
{
	rd_init(sub, r->buf + r->off, rd_left(r));
	r->off = r->len;
}

int
rd_fixed_str(struct rd *r, size_t width, char *dst, size_t dstsz)
{
	if (dstsz <= width)
		return ERR_INVAL;
	if (rd_left(r) < width)
		return ERR_TRUNCATED;
	memcpy(dst, r->buf + r->off, width);
	dst[width] = '\0';
	r->off += width;
	return 0;
}

int
rd_end(const struct rd *r)
{
	return rd_left(r) == 0 ? 0 : ERR_TRAILING;
}

void
wr_init(struct wr *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf != NULL ? cap : 0;
	w->off = 0;
	w->err = 0;
}

size_t
wr_len(const struct wr *w)
{
	return w->off;
}

int
wr_error(const struct wr *w)
{
	return w->err;
}

/* Returns a pointer to n fresh bytes, or NULL (and a sticky error). */
static uint8_t *
wr_take(struct wr *w, size_t n)
{
	uint8_t *p;

	if (w->err != 0)
		return NULL;
	if (w->cap - w->off < n) {
		w->err = ERR_NOSPACE;
		return NULL;
	}
	p = w->buf + w->off;
	w->off += n;
	return p;
}

int
wr_u8(struct wr *w, uint8_t v)
{
	uint8_t *p = wr_take(w, 1);

	if (p == NULL)
		return w->err;
	p[0] = v;
	return 0;
}

int
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t *p = wr_take(w, 2);

	if (p == NULL)
		return w->err;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 0;
}

int
wr_u32(struct wr *w, uint32_t v)
{
	uint8_t *p = wr_take(w, 4);

	if (p == NULL)
		return w->err;
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 0;
}

int
wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t *p = wr_take(w, n);

	if (p == NULL)
		return w->err;
	if (n > 0)
		memcpy(p, src, n);
	return 0;
}

int
wr_zero(struct wr *w, size_t n)
{
	uint8_t *p = wr_take(w, n);

	if (p == NULL)
		return w->err;
	memset(p, 0, n);
	return 0;
}

int
wr_fixed_str(struct wr *w, const char *s, size_t width)
{
	size_t n = strnlen(s, width);
	uint8_t *p = wr_take(w, width);

	if (p == NULL)
		return w->err;
	memcpy(p, s, n);
	memset(p + n, 0, width - n);
	return 0;
}

int
wr_reserve_u8(struct wr *w, size_t *at)
{
	*at = w->off;
	return wr_u8(w, 0);
}

int
wr_reserve_u16(struct wr *w, size_t *at)
{
	*at = w->off;
	return wr_u16(w, 0);
}

int
wr_patch_len8(struct wr *w, size_t at, size_t start)
{
	size_t n;

	if (w->err != 0)
		return w->err;
	if (at + 1 > w->off || start > w->off)
		return w->err = ERR_INVAL;
	n = w->off - start;
	if (n > 0xff)
		return w->err = ERR_RANGE;
	w->buf[at] = (uint8_t)n;
	return 0;
}

int
wr_patch_u16(struct wr *w, size_t at, uint16_t v)
{
	if (w->err != 0)
		return w->err;
	if (at + 2 > w->off)
		return w->err = ERR_INVAL;
	w->buf[at] = (uint8_t)(v >> 8);
	w->buf[at + 1] = (uint8_t)v;
	return 0;
}

int
wr_patch_len16(struct wr *w, size_t at, size_t start)
{
	size_t n;

	if (w->err != 0)
		return w->err;
	if (start > w->off)
		return w->err = ERR_INVAL;
	n = w->off - start;
	if (n > 0xffff)
		return w->err = ERR_RANGE;
	return wr_patch_u16(w, at, (uint16_t)n);
}

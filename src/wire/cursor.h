/*
 * cursor.h - bounds-checked reader (struct rd) and writer (struct wr).
 *
 * Every byte of peer input goes through a struct rd; every byte we send is
 * built in a struct wr with its own capacity.  Multi-byte integers are
 * big-endian (network order) on the wire and host order in the caller's
 * variables; this file is the only place that converts.
 *
 * Reader: each rd_* call either consumes exactly the bytes it names and
 * returns 0, or consumes nothing and returns ERR_TRUNCATED.  Nothing is read
 * outside [buf, buf + len).  A sub-cursor (rd_sub) lets an option handler see
 * only its own option.
 *
 * Writer: each wr_* call either appends and returns 0, or appends nothing,
 * returns ERR_NOSPACE and makes the error sticky (wr_error() reports it), so
 * an encoder can write a run of fields and check once at the end.  Length
 * fields are reserved and back-patched once the data after them is known.
 *
 * Neither cursor allocates.  Both are plain structs on the stack.
 */
#ifndef PPTPKIT_WIRE_CURSOR_H
#define PPTPKIT_WIRE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

struct rd {
	const uint8_t	*buf;
	size_t		 len;	/* bytes in buf */
	size_t		 off;	/* next byte to read */
};

struct wr {
	uint8_t		*buf;
	size_t		 cap;	/* bytes available in buf */
	size_t		 off;	/* bytes written so far */
	int		 err;	/* first error, sticky; 0 if none */
};

/* --- reader --- */

/* Reads from buf[len].  buf may be NULL only when len is 0. */
void rd_init(struct rd *r, const void *buf, size_t len);

/* Bytes not yet read. */
size_t rd_left(const struct rd *r);

/* Bytes read so far (offset from the start of this cursor). */
size_t rd_offset(const struct rd *r);

/* Pointer to the next unread byte (valid for rd_left() bytes). */
const uint8_t *rd_cur(const struct rd *r);

int rd_u8(struct rd *r, uint8_t *v) MUST_CHECK;
int rd_u16(struct rd *r, uint16_t *v) MUST_CHECK;	/* big-endian */
int rd_u32(struct rd *r, uint32_t *v) MUST_CHECK;	/* big-endian */

/* Peeks without consuming. */
int rd_peek_u8(const struct rd *r, uint8_t *v) MUST_CHECK;
int rd_peek_u16(const struct rd *r, uint16_t *v) MUST_CHECK;

/* Copies n bytes into dst. */
int rd_bytes(struct rd *r, void *dst, size_t n) MUST_CHECK;

/* Borrows n bytes: *p points into the reader's buffer, valid as long as it. */
int rd_ptr(struct rd *r, const uint8_t **p, size_t n) MUST_CHECK;

/* Skips n bytes. */
int rd_skip(struct rd *r, size_t n) MUST_CHECK;

/* Carves the next n bytes into *sub (a reader of its own) and skips them. */
int rd_sub(struct rd *r, size_t n, struct rd *sub) MUST_CHECK;

/* Takes everything left into *sub. */
void rd_rest(struct rd *r, struct rd *sub);

/*
 * Reads a fixed-width, NUL-padded string field of `width` bytes verbatim
 * into dst (all width bytes, so re-encoding reproduces them exactly, garbage
 * after the first NUL included) and NUL-terminates dst[width].
 * dstsz must exceed width, else ERR_INVAL and nothing is consumed.
 */
int rd_fixed_str(struct rd *r, size_t width, char *dst, size_t dstsz) MUST_CHECK;

/* 0 when all input is consumed, ERR_TRAILING otherwise. */
int rd_end(const struct rd *r) MUST_CHECK;

/* --- writer --- */

/* Writes into buf[cap]. */
void wr_init(struct wr *w, void *buf, size_t cap);

/* Bytes written so far. */
size_t wr_len(const struct wr *w);

/* The first error met, or 0. */
int wr_error(const struct wr *w) MUST_CHECK;

int wr_u8(struct wr *w, uint8_t v);
int wr_u16(struct wr *w, uint16_t v);	/* big-endian */
int wr_u32(struct wr *w, uint32_t v);	/* big-endian */
int wr_bytes(struct wr *w, const void *src, size_t n);
int wr_zero(struct wr *w, size_t n);

/* Writes a C string into a fixed-width field: strnlen(s, width) bytes, then
 * zero padding to width.  (To reproduce a decoded field byte-exactly, write
 * its raw width bytes with wr_bytes instead.) */
int wr_fixed_str(struct wr *w, const char *s, size_t width);

/* Reserves a 1- or 2-byte field to be patched later; *at receives its offset. */
int wr_reserve_u8(struct wr *w, size_t *at);
int wr_reserve_u16(struct wr *w, size_t *at);

/* Patches a reserved field with (wr_len(w) - start): the length of everything
 * written from offset `start` on.  ERR_RANGE if it does not fit the field. */
int wr_patch_len8(struct wr *w, size_t at, size_t start);
int wr_patch_len16(struct wr *w, size_t at, size_t start);

/* Patches a reserved field with a value. */
int wr_patch_u16(struct wr *w, size_t at, uint16_t v);

#endif

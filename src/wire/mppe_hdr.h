/*
 * mppe_hdr.h - the MPPE data packet header, RFC 3078 section 3.
 *
 * Every MPPE packet (PPP protocol 0x00FD) starts with two octets:
 *
 *     A B C D | coherency count (12 bits)
 *
 * A = FLUSHED (0x8000), B and C = MPPC bits (must be 0 for MPPE alone),
 * D = ENCRYPTED (0x1000).  The encrypted data follows and begins with the
 * inner PPP protocol field.
 */
#ifndef PPTPKIT_WIRE_MPPE_HDR_H
#define PPTPKIT_WIRE_MPPE_HDR_H

#include <stdbool.h>
#include <stdint.h>

#include "cursor.h"
#include "../base/sbuf.h"

#define MPPE_HDR_LEN		2
#define MPPE_BIT_FLUSHED	0x8000	/* A: history reset, RFC 3078 3.1 */
#define MPPE_BIT_MPPC_B		0x4000	/* B: MPPC "packet at front" */
#define MPPE_BIT_MPPC_C		0x2000	/* C: MPPC "compressed" */
#define MPPE_BIT_ENCRYPTED	0x1000	/* D: encrypted, RFC 3078 3 */
#define MPPE_CCOUNT_MASK	0x0fff	/* 12-bit coherency count */

struct mppe_hdr {
	bool		flushed;	/* A */
	bool		mppc_b;		/* B (MPPC only) */
	bool		mppc_c;		/* C (MPPC only) */
	bool		encrypted;	/* D */
	uint16_t	ccount;		/* 0..4095 */
};

/* Reads the 2-byte header; the rest of r is the (encrypted) data.
 * ERR_TRUNCATED if fewer than 2 bytes. */
int mppe_hdr_decode(struct rd *r, struct mppe_hdr *h) MUST_CHECK;

/* Writes the 2-byte header.  ERR_RANGE if ccount > 4095. */
int mppe_hdr_encode(struct wr *w, const struct mppe_hdr *h) MUST_CHECK;

/* "mppe ccount=12 flushed encrypted" */
void mppe_hdr_print(const struct mppe_hdr *h, struct sbuf *sb);

#endif

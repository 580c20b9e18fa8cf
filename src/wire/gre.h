/*
 * gre.h - the enhanced GRE header that carries PPP in PPTP, RFC 2637
 * section 4.1, and serial-number arithmetic for its sequence and
 * acknowledgment numbers (RFC 2637 4.2-4.3, RFC 1982 style).
 *
 * The header (everything after the outer IP header):
 *
 *     byte 0:  C R K S s Recur(3)     PPTP: C=0 R=0 K=1 s=0 Recur=0
 *     byte 1:  A Flags(4) Ver(3)      PPTP: Flags=0 Ver=1
 *     bytes 2-3: Protocol Type 0x880B (PPP)
 *     bytes 4-5: Key (HW) Payload Length: octets of PPP after the header
 *     bytes 6-7: Key (LW) Call ID: the RECEIVER's Call ID (the peer's)
 *     [Sequence Number, 32 bits]       present if S=1
 *     [Acknowledgment Number, 32 bits] present if A=1; follows the key
 *                                      directly when S=0 (ack-only packet)
 *
 * so the header is 8, 12 or 16 octets.  S=1 marks a data packet (a payload
 * follows); S=0 an acknowledgment only, which carries no payload.
 *
 * The decoder branches on the version, never on the A bit: version 0 is
 * plain GRE (RFC 2784) and must never be taken for PPTP.  Each violation
 * has its own error so that a counter (or a test) can tell them apart.
 */
#ifndef PPTPKIT_WIRE_GRE_H
#define PPTPKIT_WIRE_GRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "../base/sbuf.h"

#define GRE_IP_PROTO		47	/* IP protocol number of GRE */
#define GRE_PROTO_PPP		0x880B	/* Protocol Type for PPP, RFC 2637 4.1 */
#define GRE_VERSION_PPTP	1	/* Ver: enhanced GRE, RFC 2637 4.1 */
#define GRE_HDR_MIN		8	/* flags, protocol, key */
#define GRE_HDR_MAX		16	/* plus sequence and acknowledgment */

/* Byte 0 */
#define GRE_BIT_C		0x80	/* Checksum Present: must be 0 */
#define GRE_BIT_R		0x40	/* Routing Present: must be 0 */
#define GRE_BIT_K		0x20	/* Key Present: must be 1 */
#define GRE_BIT_S		0x10	/* Sequence Number Present (data packet) */
#define GRE_BIT_SSR		0x08	/* Strict source route: must be 0 */
#define GRE_RECUR_MASK		0x07	/* Recursion Control: must be 0 */
/* Byte 1 */
#define GRE_BIT_A		0x80	/* Acknowledgment Sequence Number Present */
#define GRE_FLAGS_MASK		0x78	/* Flags: must be 0 */
#define GRE_VER_MASK		0x07	/* Ver: must be 1 */

struct gre_hdr {
	bool		has_seq;	/* S: a data packet; payload_len > 0 */
	bool		has_ack;	/* A: ack carries a valid number */
	uint16_t	payload_len;	/* Key HW: octets of payload */
	uint16_t	call_id;	/* Key LW: the receiver's Call ID */
	uint32_t	seq;		/* valid if has_seq */
	uint32_t	ack;		/* valid if has_ack */
	/* Set by gre_decode only, ignored by gre_encode: octets after the
	 * payload (link-layer padding), which the decoder skips. */
	size_t		trailing;
};

/*
 * Decodes one GRE packet: r holds everything after the outer IP header.
 * On success returns 0, fills *h (host order, h->trailing included),
 * points *payload at exactly h->payload_len octets (the PPP frame) and
 * consumes all of r, trailing padding included.
 *
 * Checks, in this order, each with its own error:
 *   ERR_TRUNCATED  fewer octets than the header the flags announce;
 *   ERR_VERSION    Ver != 1 (version 0 GRE is not PPTP);
 *   ERR_FLAGS      C, R, s, Recur or the 4 Flags bits set;
 *   ERR_PROTO      Protocol Type != 0x880B;
 *   ERR_NO_KEY     K = 0;
 *   ERR_LENGTH     payload_len > octets after the header; S=0 with
 *                  payload_len != 0 (an ack-only packet has no payload);
 *                  S=1 with payload_len == 0 (a data packet has one).
 * (The version and flag checks need only the first 2 octets and the
 * protocol check the first 4, so a short packet with a wrong version
 * reports ERR_VERSION, not ERR_TRUNCATED.)
 * A packet with neither S nor A (8 octets, no payload) is well formed and
 * decodes; it carries nothing and the caller drops it.
 * On error *h and *payload are unspecified and r is left partly read.
 */
int gre_decode(struct rd *r, struct gre_hdr *h, struct rd *payload) MUST_CHECK;

/*
 * Writes the header only (8, 12 or 16 octets, see gre_hdr_len()); the
 * caller appends h->payload_len octets of payload.  h->trailing is
 * ignored.  Refuses headers the decoder would refuse: ERR_LENGTH when
 * has_seq and payload_len == 0, or !has_seq and payload_len != 0.
 * ERR_NOSPACE (sticky in w) when w is too short.
 */
int gre_encode(struct wr *w, const struct gre_hdr *h) MUST_CHECK;

/* The encoded header length for h: 8, 12 or 16. */
size_t gre_hdr_len(const struct gre_hdr *h);

/* "GRE call=39925 len=28 seq=0", "GRE call=39925 len=18 seq=47 ack=42",
 * "GRE call=7 ack-only ack=42", "GRE call=7 empty"; " trailing=N" is
 * appended when the decoder skipped padding. */
void gre_print(const struct gre_hdr *h, struct sbuf *sb);

/*
 * Serial-number comparison over the 32-bit sequence space (RFC 2637 4.3:
 * sequence numbers wrap).  a is after b when a - b, taken as a signed
 * 32-bit distance, is positive; the answer is meaningful for numbers less
 * than 2^31 apart.  gre_seq_after(a, a) and gre_seq_before(a, a) are false.
 */
static inline bool
gre_seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool
gre_seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

#endif

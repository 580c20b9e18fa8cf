/*
 * ppp_frame.h - the PPP frame header inside a PPTP GRE payload: the
 * Address and Control fields of RFC 1662 section 3.1 (FF 03), which
 * Address-and-Control-Field-Compression (RFC 1661 6.6) removes, and the
 * Protocol field of RFC 1661 section 2, which Protocol-Field-Compression
 * (RFC 1661 6.5) shortens to one octet.  Protocol names for printers.
 *
 * PPTP carries PPP frames without HDLC flags, escapes or FCS (RFC 2637 4),
 * so a frame is just
 *
 *     [FF 03] Protocol(1 or 2) Information...
 *
 * Receiving (RFC 1661 6.5, 6.6: "the receiver MUST accept" both forms at
 * any time, whatever was negotiated):
 *   - a frame starting FF 03 has the Address and Control fields; any
 *     other first octet means they were compressed away.  An FF not
 *     followed by 03 is malformed (ERR_FORMAT): a Protocol cannot start
 *     with FF (an uncompressed one has an even first octet, and the
 *     compressed 0x00FF is reserved precisely to keep this unambiguous,
 *     RFC 1661 6.6), so the frame cannot be read either way;
 *   - a Protocol whose first octet is odd is one octet long (PFC); an
 *     even first octet starts a two-octet Protocol.
 *
 * Protocol numbers (RFC 1661 2): the least significant bit of the low
 * octet is 1 and that of the high octet is 0; 0x00FF is reserved (6.6).
 *
 * Sending: LCP (0xC021) is never compressed either way (RFC 1661 6.5
 * "The Protocol field is never compressed when sending any LCP packet",
 * 6.6 "The Address and Control fields MUST NOT be compressed when sending
 * any LCP packet"), whatever the caller's flags say.
 */
#ifndef PPTPKIT_WIRE_PPP_FRAME_H
#define PPTPKIT_WIRE_PPP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "ppp_proto.h"
#include "../base/sbuf.h"

#define PPP_ADDRESS		0xff	/* All-Stations address, RFC 1662 3.1 */
#define PPP_CONTROL		0x03	/* Unnumbered Information, RFC 1662 3.1 */
#define PPP_FRAME_HDR_MAX	4	/* FF 03 plus a two-octet Protocol */

struct ppp_frame {
	bool		acf;	/* Address and Control (FF 03) were present */
	bool		pfc;	/* Protocol was one octet (compressed) */
	uint16_t	proto;	/* Protocol, host order */
};

/*
 * Decodes the frame header from r (one whole PPP frame, e.g. the GRE
 * payload); *info receives the Information field (everything after the
 * Protocol, possibly empty) and r is consumed.  Returns:
 *   0              *f and *info filled;
 *   ERR_TRUNCATED  fewer than 2 octets, or the frame ends inside the
 *                  Address/Control or Protocol fields (FF 03 alone);
 *   ERR_FORMAT     FF not followed by 03;
 *   ERR_PROTO      a two-octet Protocol with an even low octet, or 0x00FF.
 *                  *f and *info are still filled then: RFC 1661 2 says
 *                  such frames "MUST be treated as having an unrecognized
 *                  Protocol", so the caller may send a Protocol-Reject.
 * (An odd high octet cannot be seen on receipt: an odd first octet is by
 * definition a compressed one-octet Protocol.)
 */
int ppp_frame_decode(struct rd *r, struct ppp_frame *f, struct rd *info)
    MUST_CHECK;

/*
 * Writes the frame header for proto: FF 03 unless acfc, then the
 * Protocol in one octet if pfc and proto < 0x100, else in two.  Both
 * flags are ignored for LCP, which is always sent as FF 03 C0 21.
 * ERR_PROTO if proto is not a valid Protocol number (ppp_proto_valid);
 * ERR_NOSPACE (sticky in w) if w is too short.
 */
int ppp_frame_encode(struct wr *w, uint16_t proto, bool acfc, bool pfc)
    MUST_CHECK;

/* The length ppp_frame_encode() would write: 1 to 4. */
size_t ppp_frame_hdr_len(uint16_t proto, bool acfc, bool pfc);

/* True if proto obeys RFC 1661 2: low octet odd, high octet even, and it
 * is not the reserved 0x00FF. */
bool ppp_proto_valid(uint16_t proto);

/* "PPP proto=0x0021 IPv4", then " acfc" if FF 03 was absent and " pfc" if
 * the Protocol was one octet; unknown protocols print the number only. */
void ppp_frame_print(const struct ppp_frame *f, struct sbuf *sb);

/* A short name for proto ("LCP", "IPCP", "IPV6CP", "CCP", "PAP", "CHAP",
 * "EAP", "IPv4", "IPv6", "MPPE/compressed", "CBCP", "BACP", "MP",
 * "VJ-compressed", "VJ-uncompressed"), or NULL for a protocol pptpkit does
 * not know. */
const char *ppp_proto_name(uint16_t proto);

#endif

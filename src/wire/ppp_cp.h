/*
 * ppp_cp.h - PPP control-protocol packets: the Code/Identifier/Length
 * header of RFC 1661 section 5 shared by LCP, IPCP (RFC 1332), IPV6CP
 * (RFC 5072) and CCP (RFC 1962); the Type/Length/Data option list of RFC
 * 1661 section 6; the data parts of the LCP packets that carry no options
 * (Code-Reject 5.6, Protocol-Reject 5.7, Echo-Request/Echo-Reply 5.8,
 * Discard-Request 5.9, and RFC 1570 Identification and Time-Remaining);
 * code names and a whole-packet printer.
 *
 *     Code(1) Identifier(1) Length(2) Data(Length - 4) [padding]
 *
 * Receiving (RFC 1661 5): Length counts the header; a packet with fewer
 * than 4 octets is ERR_TRUNCATED, a Length below 4 or past the end of the
 * received octets is ERR_LENGTH (the same choice as ppp_auth.h and the FSM:
 * the Length field disagrees with the data), and "Octets outside the range
 * of the Length field are treated as padding and are ignored on reception".
 *
 * Sending: ppp_cp_begin() writes Code, Identifier and a placeholder Length;
 * the caller writes the data (options via ppp_opt_put() and the typed
 * encoders of ppp_opt.h); ppp_cp_finish() back-patches Length.
 *
 * Ownership: every decoded struct BORROWS from the decoder's input (struct
 * rd sub-cursors and const pointers into the caller's buffer); nothing is
 * copied or allocated.  Encoders read the same pointers.
 */
#ifndef PPTPKIT_WIRE_PPP_CP_H
#define PPTPKIT_WIRE_PPP_CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "ppp_proto.h"
#include "../base/sbuf.h"

#define PPP_CP_HDR_LEN	4	/* Code, Identifier, Length (RFC 1661 5) */
#define PPP_OPT_HDR_LEN	2	/* Type, Length (RFC 1661 6) */
#define PPP_OPT_VAL_MAX	253	/* an option's Length octet counts itself */
#define PPP_OPT_END	1	/* ppp_opt_next(): no more options */

/* Fixed fields in front of the variable part of the LCP special packets. */
#define LCP_ECHO_FIXED		4	/* Magic-Number */
#define LCP_PROTO_REJ_FIXED	2	/* Rejected-Protocol */
#define LCP_TIME_REM_FIXED	8	/* Magic-Number, Seconds-Remaining */

struct ppp_cp {
	uint8_t		code;	/* enum ppp_code */
	uint8_t		id;	/* Identifier */
	uint16_t	length;	/* Length as received, header included */
};

/* One option: Type, Length (2 + value octets) and a cursor over the value
 * that sees only this option's octets. */
struct ppp_opt {
	uint8_t		type;
	uint8_t		len;	/* as on the wire: 2 + rd_left(&val) */
	struct rd	val;
};

/* --- header --- */

/*
 * Decodes one control packet from r (a PPP Information field) and consumes
 * all of r, padding included.  *data receives the octets after the header
 * up to Length (possibly none).  Returns:
 *   0              *p and *data filled;
 *   ERR_TRUNCATED  fewer than 4 octets (*p untouched);
 *   ERR_LENGTH     Length < 4, or Length larger than the octets present.
 *                  *p holds the header as read and *data everything after
 *                  it, so a printer can still show what arrived.
 */
int ppp_cp_decode(struct rd *r, struct ppp_cp *p, struct rd *data) MUST_CHECK;

/*
 * Starts a packet: writes Code, Identifier and a zero Length, and stores
 * the packet's offset in w in *start for ppp_cp_finish().  Returns 0 or
 * ERR_NOSPACE (sticky in w).
 */
int ppp_cp_begin(struct wr *w, uint8_t code, uint8_t id, size_t *start)
    MUST_CHECK;

/*
 * Ends the packet started at `start`: patches Length with everything
 * written since.  Returns 0, the sticky error of w if any, or ERR_RANGE
 * (sticky) if the packet grew past 65535 octets.
 */
int ppp_cp_finish(struct wr *w, size_t start) MUST_CHECK;

/* A whole packet in one call: header plus n octets of data. */
int ppp_cp_encode(struct wr *w, uint8_t code, uint8_t id, const void *data,
    size_t n) MUST_CHECK;

/* --- options (RFC 1661 6) --- */

/*
 * Takes the next option from opts (the Data of a Configure-* packet).
 * Returns 0 with *o filled and opts advanced past the option;
 * PPP_OPT_END (positive) when opts is empty; ERR_OPTION when one octet is
 * left (no room for Type and Length), when Length < 2, or when Length runs
 * past the end of opts.  On ERR_OPTION opts is not advanced and o->type
 * (and o->len when it was present) hold what was read, val is empty.
 */
int ppp_opt_next(struct rd *opts, struct ppp_opt *o) MUST_CHECK;

/*
 * Writes one option: Type, Length = n + 2, n value octets (val may be NULL
 * when n is 0).  Returns 0, ERR_NOSPACE, or ERR_RANGE if n > 253; either
 * error is sticky in w.
 */
int ppp_opt_put(struct wr *w, uint8_t type, const void *val, size_t n);

/* --- LCP special packets: their Data, after the 4-octet header --- */

/* Echo-Request, Echo-Reply (RFC 1661 5.8) and Discard-Request (5.9). */
struct lcp_echo {
	uint32_t	 magic;		/* Magic-Number (0 if not negotiated) */
	const uint8_t	*data;		/* uninterpreted Data, borrowed */
	size_t		 data_len;
};

/* Protocol-Reject (RFC 1661 5.7). */
struct lcp_proto_rej {
	uint16_t	 proto;		/* Rejected-Protocol */
	const uint8_t	*info;		/* Rejected-Information, borrowed */
	size_t		 info_len;
};

/* Code-Reject (RFC 1661 5.6): the rejected packet from its Code on, as
 * much as fits.  The same layout serves every control protocol. */
struct ppp_code_rej {
	const uint8_t	*pkt;		/* Rejected-Packet, borrowed */
	size_t		 pkt_len;
};

/* Identification (RFC 1570 2.1). */
struct lcp_ident {
	uint32_t	 magic;
	const uint8_t	*msg;		/* Message, not NUL-terminated */
	size_t		 msg_len;
};

/* Time-Remaining (RFC 1570 2.2). */
struct lcp_time_rem {
	uint32_t	 magic;
	uint32_t	 seconds;	/* Seconds-Remaining; 0xFFFFFFFF none */
	const uint8_t	*msg;
	size_t		 msg_len;
};

/*
 * Each decoder reads the fixed fields from data (the *data of
 * ppp_cp_decode) and borrows the rest as the variable part, consuming all
 * of data.  Returns 0 or ERR_TRUNCATED when data is shorter than the fixed
 * fields (4 for Echo/Discard/Identification, 2 for Protocol-Reject, 8 for
 * Time-Remaining; a Code-Reject cannot fail, though an empty one is odd).
 * Each encoder writes the Data part only, into a packet the caller opened
 * with ppp_cp_begin(); returns 0 or ERR_NOSPACE (sticky).
 */
int lcp_echo_decode(struct rd *data, struct lcp_echo *e) MUST_CHECK;
int lcp_echo_encode(struct wr *w, const struct lcp_echo *e) MUST_CHECK;
int lcp_proto_rej_decode(struct rd *data, struct lcp_proto_rej *p) MUST_CHECK;
int lcp_proto_rej_encode(struct wr *w, const struct lcp_proto_rej *p)
    MUST_CHECK;
int ppp_code_rej_decode(struct rd *data, struct ppp_code_rej *c) MUST_CHECK;
int ppp_code_rej_encode(struct wr *w, const struct ppp_code_rej *c)
    MUST_CHECK;
int lcp_ident_decode(struct rd *data, struct lcp_ident *i) MUST_CHECK;
int lcp_ident_encode(struct wr *w, const struct lcp_ident *i) MUST_CHECK;
int lcp_time_rem_decode(struct rd *data, struct lcp_time_rem *t) MUST_CHECK;
int lcp_time_rem_encode(struct wr *w, const struct lcp_time_rem *t)
    MUST_CHECK;

/*
 * Whole-packet builders for the packets whose variable part echoes peer
 * data and so must be cut to the peer's MRU (RFC 1661 5.6, 5.7: "truncated
 * to comply with the peer's established MRU"; 5.8 via accel-ppp#204 for
 * Echo-Reply).  Each writes header and Data, dropping trailing variable
 * octets until the whole packet is at most max_len octets (max_len above
 * 65535 counts as 65535).  Returns 0; ERR_INVAL if max_len cannot hold the
 * header and the fixed fields (8 for Echo, 6 for Protocol-Reject, 4 for
 * Code-Reject) or code is not Echo-Request/Echo-Reply/Discard-Request;
 * ERR_NOSPACE (sticky) if w is too short.
 */
int lcp_echo_build(struct wr *w, uint8_t code, uint8_t id,
    const struct lcp_echo *e, size_t max_len) MUST_CHECK;
int lcp_proto_rej_build(struct wr *w, uint8_t id,
    const struct lcp_proto_rej *p, size_t max_len) MUST_CHECK;
int ppp_code_rej_build(struct wr *w, uint8_t id,
    const struct ppp_code_rej *c, size_t max_len) MUST_CHECK;

/* --- names and printer --- */

/*
 * pppd's short name for code under proto: "ConfReq", "ConfAck", "ConfNak",
 * "ConfRej", "TermReq", "TermAck", "CodeRej" (every protocol); "ProtRej",
 * "EchoReq", "EchoRep", "DiscReq", "Ident", "TimeRem" (LCP only);
 * "ResetReq", "ResetAck" (CCP only).  NULL for a code the protocol does not
 * define (the FSM answers those with Code-Reject) or an unknown protocol.
 */
const char *ppp_code_name(uint16_t proto, uint8_t code);

/* True if code carries an option list under proto (Configure-*). */
bool ppp_code_has_opts(uint8_t code);

/*
 * Prints one control packet of protocol proto (LCP, IPCP, IPV6CP, CCP; any
 * other prints as "proto=0x....") from pkt[len], e.g.
 *   "LCP ConfReq id=1 len=24 <asyncmap 0x00000000> <auth eap> ..."
 *   "LCP EchoReq id=42 len=14 magic=0x00001092 data=616263646566"
 *   "LCP ProtRej id=3 len=10 proto=0x8057 IPV6CP info=..."
 * Options print through ppp_opts_print() (ppp_opt.h).  Malformed input
 * prints what could be read followed by " (malformed: <err_str>)".
 */
void ppp_cp_print(uint16_t proto, const uint8_t *pkt, size_t len,
    struct sbuf *sb);

#endif

/*
 * pptp_msg.h - the 15 PPTP control messages of RFC 2637 section 2: constants,
 * host-order structs, stream framing, decode, encode, print and code names.
 *
 * Every control message starts with the same 12-octet header (RFC 2637 2):
 *
 *     Length (2) | PPTP Message Type (2) | Magic Cookie (4)
 *     Control Message Type (2) | Reserved0 (2)
 *
 * and has one fixed length per control message type (pptp_msg_len()).  The
 * Length field counts the whole message, header included.  PPTP Message Type
 * 1 is a control message; 2 ("management") is "currently not defined" and is
 * rejected.  There are exactly 15 control message types: no
 * "Start-Control-Connection-Connected", and no tunnel ID (that is L2TP).
 *
 * Decoded messages keep every octet: reserved fields are stored, and the
 * fixed-width strings (host name, vendor, phone numbers, subaddress, call
 * statistics) are kept verbatim in char[width + 1] (NUL-terminated copy of
 * all width octets, garbage after the first NUL included), so that
 * encode(decode(bytes)) == bytes for every message a peer can send.
 * Decoding does not fail on non-zero reserved fields (real peers set junk);
 * pptp_msg_check_reserved() reports them.
 *
 * Code names (pptp_names.c) use the RFC's words as single tokens; the name
 * functions return NULL for codes the RFC does not define, and the printer
 * shows those as numbers.
 */
#ifndef PPTPKIT_WIRE_PPTP_MSG_H
#define PPTPKIT_WIRE_PPTP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "../base/sbuf.h"

#define PPTP_TCP_PORT		1723		/* RFC 2637 1.4 */
#define PPTP_MAGIC		0x1A2B3C4Du	/* Magic Cookie, RFC 2637 1.4 */
#define PPTP_VERSION		0x0100		/* Protocol Version 1.0, 1.4 */
#define PPTP_HDR_LEN		12		/* common header, RFC 2637 2 */
#define PPTP_MAX_MSG_LEN	220		/* the longest: ICRQ */

/* PPTP Message Type, RFC 2637 1.4 */
#define PPTP_MSG_CONTROL	1	/* Control Message */
#define PPTP_MSG_MANAGEMENT	2	/* Management Message: not defined, rejected */

/* Control Message Type, RFC 2637 1.4 and 2.1-2.15 */
enum pptp_ctrl_type {
	PPTP_SCCRQ = 1,		/* Start-Control-Connection-Request, RFC 2637 2.1 */
	PPTP_SCCRP = 2,		/* Start-Control-Connection-Reply, 2.2 */
	PPTP_STOPCCRQ = 3,	/* Stop-Control-Connection-Request, 2.3 */
	PPTP_STOPCCRP = 4,	/* Stop-Control-Connection-Reply, 2.4 */
	PPTP_ECHORQ = 5,	/* Echo-Request, 2.5 */
	PPTP_ECHORP = 6,	/* Echo-Reply, 2.6 */
	PPTP_OCRQ = 7,		/* Outgoing-Call-Request, 2.7 */
	PPTP_OCRP = 8,		/* Outgoing-Call-Reply, 2.8 */
	PPTP_ICRQ = 9,		/* Incoming-Call-Request, 2.9 */
	PPTP_ICRP = 10,		/* Incoming-Call-Reply, 2.10 */
	PPTP_ICCN = 11,		/* Incoming-Call-Connected, 2.11 */
	PPTP_CCRQ = 12,		/* Call-Clear-Request, 2.12 */
	PPTP_CDN = 13,		/* Call-Disconnect-Notify, 2.13 */
	PPTP_WEN = 14,		/* WAN-Error-Notify, 2.14 */
	PPTP_SLI = 15,		/* Set-Link-Info, 2.15 */
};
#define PPTP_CTRL_TYPE_MAX	15

/* Fixed-width string fields, octets on the wire */
#define PPTP_HOST_NAME_LEN	64	/* Host Name, 2.1/2.2 */
#define PPTP_VENDOR_LEN		64	/* Vendor String, 2.1/2.2 */
#define PPTP_PHONE_LEN		64	/* Phone / Dialed / Dialing Number, 2.7/2.9 */
#define PPTP_SUBADDR_LEN	64	/* Subaddress, 2.7/2.9 */
#define PPTP_STATS_LEN		128	/* Call Statistics, 2.13 */

/* Framing Capabilities bits, RFC 2637 2.1 */
#define PPTP_FRAMING_CAP_ASYNC	0x00000001	/* Asynchronous Framing supported */
#define PPTP_FRAMING_CAP_SYNC	0x00000002	/* Synchronous Framing supported */
/* Bearer Capabilities bits, RFC 2637 2.1 */
#define PPTP_BEARER_CAP_ANALOG	0x00000001	/* Analog access supported */
#define PPTP_BEARER_CAP_DIGITAL	0x00000002	/* Digital access supported */

/* Bearer Type, RFC 2637 2.7 and 2.9 */
#define PPTP_BEARER_ANALOG	1	/* Call to be placed on an analog channel */
#define PPTP_BEARER_DIGITAL	2	/* ... on a digital channel */
#define PPTP_BEARER_ANY		3	/* ... on any type of channel */
/* Framing Type, RFC 2637 2.7 and 2.11 */
#define PPTP_FRAMING_ASYNC	1	/* Call to use Asynchronous framing */
#define PPTP_FRAMING_SYNC	2	/* ... Synchronous framing */
#define PPTP_FRAMING_ANY	3	/* ... either type of framing */

/* General Error Codes, RFC 2637 2.16 */
#define PPTP_GENERR_NONE		0	/* None */
#define PPTP_GENERR_NOT_CONNECTED	1	/* Not-Connected: no control connection yet */
#define PPTP_GENERR_BAD_FORMAT		2	/* Bad-Format: wrong Length or Magic Cookie */
#define PPTP_GENERR_BAD_VALUE		3	/* Bad-Value: field out of range / reserved != 0 */
#define PPTP_GENERR_NO_RESOURCE		4	/* No-Resource */
#define PPTP_GENERR_BAD_CALL_ID		5	/* Bad-Call ID: invalid in this context */
#define PPTP_GENERR_PAC_ERROR		6	/* PAC-Error: vendor-specific PAC error */

/* Start-Control-Connection-Reply Result Code, RFC 2637 2.2 */
#define PPTP_SCCRP_SUCCESS		1	/* Successful channel establishment */
#define PPTP_SCCRP_GENERAL_ERROR	2	/* General error -- see Error Code */
#define PPTP_SCCRP_EXISTS		3	/* Command channel already exists */
#define PPTP_SCCRP_NOT_AUTHORIZED	4	/* Requester is not authorized */
#define PPTP_SCCRP_BAD_VERSION		5	/* Requester's protocol version not supported */

/* Stop-Control-Connection-Request Reason, RFC 2637 2.3 */
#define PPTP_STOP_NONE			1	/* General request to clear */
#define PPTP_STOP_PROTOCOL		2	/* Stop-Protocol: can't support peer's version */
#define PPTP_STOP_LOCAL_SHUTDOWN	3	/* Stop-Local-Shutdown: requester shutting down */

/* Stop-Control-Connection-Reply Result Code, RFC 2637 2.4 */
#define PPTP_STOPCCRP_OK		1	/* Control connection closed */
#define PPTP_STOPCCRP_GENERAL_ERROR	2	/* Not closed, see Error Code */

/* Echo-Reply Result Code, RFC 2637 2.6 */
#define PPTP_ECHORP_OK			1	/* The Echo-Reply is valid */
#define PPTP_ECHORP_GENERAL_ERROR	2	/* Echo-Request not accepted, see Error Code */

/* Outgoing-Call-Reply Result Code, RFC 2637 2.8 */
#define PPTP_OCRP_CONNECTED		1	/* Call established with no errors */
#define PPTP_OCRP_GENERAL_ERROR		2	/* see Error Code */
#define PPTP_OCRP_NO_CARRIER		3	/* No carrier */
#define PPTP_OCRP_BUSY			4	/* Busy signal */
#define PPTP_OCRP_NO_DIAL_TONE		5	/* No dial tone */
#define PPTP_OCRP_TIMEOUT		6	/* Time-out */
#define PPTP_OCRP_DO_NOT_ACCEPT		7	/* Do Not Accept: administrative refusal */

/* Incoming-Call-Reply Result Code, RFC 2637 2.10 */
#define PPTP_ICRP_CONNECT		1	/* The PAC should answer */
#define PPTP_ICRP_GENERAL_ERROR		2	/* see Error Code */
#define PPTP_ICRP_DO_NOT_ACCEPT		3	/* The PAC should not accept the call */

/* Call-Disconnect-Notify Result Code, RFC 2637 2.13 */
#define PPTP_CDN_LOST_CARRIER		1	/* Call disconnected due to loss of carrier */
#define PPTP_CDN_GENERAL_ERROR		2	/* see Error Code */
#define PPTP_CDN_ADMIN_SHUTDOWN		3	/* Administrative reasons */
#define PPTP_CDN_REQUEST		4	/* Received a Call-Clear-Request */

/* --- one host-order struct per message body (after the 12-octet header) --- */

struct pptp_sccrq {			/* 2.1, 156 octets */
	uint16_t	version;	/* Protocol Version, 0x0100 */
	uint16_t	reserved1;
	uint32_t	framing_caps;	/* PPTP_FRAMING_CAP_* bits */
	uint32_t	bearer_caps;	/* PPTP_BEARER_CAP_* bits */
	uint16_t	max_channels;	/* Maximum Channels */
	uint16_t	firmware_rev;	/* Firmware Revision */
	char		host_name[PPTP_HOST_NAME_LEN + 1];
	char		vendor[PPTP_VENDOR_LEN + 1];
};

struct pptp_sccrp {			/* 2.2, 156 octets */
	uint16_t	version;
	uint8_t		result;		/* PPTP_SCCRP_* */
	uint8_t		error;		/* PPTP_GENERR_* */
	uint32_t	framing_caps;
	uint32_t	bearer_caps;
	uint16_t	max_channels;
	uint16_t	firmware_rev;
	char		host_name[PPTP_HOST_NAME_LEN + 1];
	char		vendor[PPTP_VENDOR_LEN + 1];
};

struct pptp_stopccrq {			/* 2.3, 16 octets */
	uint8_t		reason;		/* PPTP_STOP_* */
	uint8_t		reserved1;
	uint16_t	reserved2;
};

struct pptp_stopccrp {			/* 2.4, 16 octets */
	uint8_t		result;		/* PPTP_STOPCCRP_* */
	uint8_t		error;		/* PPTP_GENERR_* */
	uint16_t	reserved1;
};

struct pptp_echorq {			/* 2.5, 16 octets */
	uint32_t	id;		/* Identifier, echoed in the reply */
};

struct pptp_echorp {			/* 2.6, 20 octets */
	uint32_t	id;		/* Identifier of the request */
	uint8_t		result;		/* PPTP_ECHORP_* */
	uint8_t		error;		/* PPTP_GENERR_* */
	uint16_t	reserved1;
};

struct pptp_ocrq {			/* 2.7, 168 octets */
	uint16_t	call_id;	/* Call ID (the sender's) */
	uint16_t	call_serial;	/* Call Serial Number */
	uint32_t	min_bps;	/* Minimum BPS */
	uint32_t	max_bps;	/* Maximum BPS */
	uint32_t	bearer_type;	/* PPTP_BEARER_* */
	uint32_t	framing_type;	/* PPTP_FRAMING_* */
	uint16_t	recv_window;	/* Packet Recv. Window Size */
	uint16_t	ppd;		/* Packet Processing Delay, 1/10 s */
	uint16_t	phone_len;	/* Phone Number Length */
	uint16_t	reserved1;
	char		phone[PPTP_PHONE_LEN + 1];
	char		subaddress[PPTP_SUBADDR_LEN + 1];
};

struct pptp_ocrp {			/* 2.8, 32 octets */
	uint16_t	call_id;	/* Call ID (the sender's) */
	uint16_t	peer_call_id;	/* Peer's Call ID (from the OCRQ) */
	uint8_t		result;		/* PPTP_OCRP_* */
	uint8_t		error;		/* PPTP_GENERR_* */
	uint16_t	cause;		/* Cause Code */
	uint32_t	connect_speed;	/* Connect Speed, bps */
	uint16_t	recv_window;	/* Packet Recv. Window Size */
	uint16_t	ppd;		/* Packet Processing Delay, 1/10 s */
	uint32_t	phys_channel;	/* Physical Channel ID */
};

struct pptp_icrq {			/* 2.9, 220 octets */
	uint16_t	call_id;
	uint16_t	call_serial;
	uint32_t	bearer_type;	/* Call Bearer Type, PPTP_BEARER_* */
	uint32_t	phys_channel;	/* Physical Channel ID */
	uint16_t	dialed_len;	/* Dialed Number Length */
	uint16_t	dialing_len;	/* Dialing Number Length */
	char		dialed[PPTP_PHONE_LEN + 1];	/* Dialed Number */
	char		dialing[PPTP_PHONE_LEN + 1];	/* Dialing Number */
	char		subaddress[PPTP_SUBADDR_LEN + 1];
};

struct pptp_icrp {			/* 2.10, 24 octets */
	uint16_t	call_id;
	uint16_t	peer_call_id;
	uint8_t		result;		/* PPTP_ICRP_* */
	uint8_t		error;		/* PPTP_GENERR_* */
	uint16_t	recv_window;	/* Packet Recv. Window Size */
	uint16_t	ptd;		/* Packet Transmit Delay, 1/10 s */
	uint16_t	reserved1;
};

struct pptp_iccn {			/* 2.11, 28 octets */
	uint16_t	peer_call_id;
	uint16_t	reserved1;
	uint32_t	connect_speed;	/* Connect Speed, bps */
	uint16_t	recv_window;	/* Packet Recv. Window Size */
	uint16_t	ptd;		/* Packet Transmit Delay, 1/10 s */
	uint32_t	framing_type;	/* PPTP_FRAMING_* */
};

struct pptp_ccrq {			/* 2.12, 16 octets */
	uint16_t	call_id;	/* the PNS's own Call ID */
	uint16_t	reserved1;
};

struct pptp_cdn {			/* 2.13, 148 octets */
	uint16_t	call_id;	/* the PAC's own Call ID */
	uint8_t		result;		/* PPTP_CDN_* */
	uint8_t		error;		/* PPTP_GENERR_* */
	uint16_t	cause;		/* Cause Code */
	uint16_t	reserved1;
	char		call_stats[PPTP_STATS_LEN + 1];	/* Call Statistics */
};

struct pptp_wen {			/* 2.14, 40 octets */
	uint16_t	peer_call_id;
	uint16_t	reserved1;
	uint32_t	crc_errors;
	uint32_t	framing_errors;
	uint32_t	hw_overruns;	/* Hardware Overruns */
	uint32_t	buf_overruns;	/* Buffer Overruns */
	uint32_t	timeout_errors;	/* Time-out Errors */
	uint32_t	align_errors;	/* Alignment Errors */
};

struct pptp_sli {			/* 2.15, 24 octets */
	uint16_t	peer_call_id;
	uint16_t	reserved1;
	uint32_t	send_accm;
	uint32_t	recv_accm;
};

/* A whole control message: the header fields, then the body for ctrl_type. */
struct pptp_msg {
	uint16_t	length;		/* Length, header included */
	uint16_t	msg_type;	/* PPTP Message Type: PPTP_MSG_CONTROL */
	uint32_t	magic;		/* Magic Cookie: PPTP_MAGIC */
	uint16_t	ctrl_type;	/* Control Message Type: enum pptp_ctrl_type */
	uint16_t	reserved0;
	union {
		struct pptp_sccrq	sccrq;
		struct pptp_sccrp	sccrp;
		struct pptp_stopccrq	stopccrq;
		struct pptp_stopccrp	stopccrp;
		struct pptp_echorq	echorq;
		struct pptp_echorp	echorp;
		struct pptp_ocrq	ocrq;
		struct pptp_ocrp	ocrp;
		struct pptp_icrq	icrq;
		struct pptp_icrp	icrp;
		struct pptp_iccn	iccn;
		struct pptp_ccrq	ccrq;
		struct pptp_cdn		cdn;
		struct pptp_wen		wen;
		struct pptp_sli		sli;
	} u;
};

/* --- codec (pptp_msg.c) --- */

/* The exact length (header included) of a message of ctrl_type, or 0 when
 * ctrl_type is not one of the 15 defined types. */
size_t pptp_msg_len(uint16_t ctrl_type);

/*
 * Finds the next message in a TCP byte stream: buf[n] holds the bytes
 * received so far, starting at a message boundary.  Never needs more than
 * the 12-octet header.  Returns:
 *   0              the header is valid; *msglen = the whole message's length
 *                  (which may exceed n: wait for more bytes);
 *   ERR_TRUNCATED  fewer than 12 bytes and nothing wrong in those present;
 *   ERR_MAGIC      the Magic Cookie is not 0x1A2B3C4D (checked from 8 bytes);
 *   ERR_MSG_TYPE   PPTP Message Type is not 1 (checked from 8 bytes);
 *   ERR_CTRL_TYPE  Control Message Type is not 1..15 (from 10 bytes);
 *   ERR_LENGTH     Length differs from the type's exact length (from 10 bytes).
 * Any error other than ERR_TRUNCATED means the stream is out of sync; RFC
 * 2637 1.4 requires closing the control connection, never resyncing.
 */
int pptp_msg_frame(const uint8_t *buf, size_t n, size_t *msglen) MUST_CHECK;

/*
 * Decodes exactly one whole message: r must hold the message and nothing
 * else.  Header errors are those of pptp_msg_frame() (in the same order);
 * then ERR_TRUNCATED if r ends inside the message, ERR_TRAILING if bytes
 * follow it.  Non-zero reserved fields are kept, not rejected.  On error *m
 * and the position of r are unspecified.
 */
int pptp_msg_decode(struct rd *r, struct pptp_msg *m) MUST_CHECK;

/*
 * Appends m to w.  Length, PPTP Message Type and Magic Cookie are written
 * from the length table and constants (m's copies are ignored; the decoder
 * guarantees they agree); everything else, reserved fields included, as
 * stored, and each string field as its raw width octets.  Returns 0,
 * ERR_CTRL_TYPE if m->ctrl_type is not 1..15 (nothing written), or w's
 * sticky error (ERR_NOSPACE).  (ERR_LENGTH would mean the length table and
 * the encoder's layout disagree: a bug the tests rule out.)
 */
int pptp_msg_encode(struct wr *w, const struct pptp_msg *m) MUST_CHECK;

/* 0 when Reserved0 and every reserved field of m's body are zero (RFC 2637 2
 * "MUST be 0"), ERR_RESERVED otherwise, ERR_CTRL_TYPE for an unknown type. */
int pptp_msg_check_reserved(const struct pptp_msg *m) MUST_CHECK;

/* Zeroes *m and fills in the header for ctrl_type: Length from the table (0
 * for an unknown type), PPTP_MSG_CONTROL, PPTP_MAGIC; SCCRQ and SCCRP also get
 * Protocol Version 0x0100.  Builders then set the body fields and encode. */
void pptp_msg_init(struct pptp_msg *m, uint16_t ctrl_type);

/* Sets a fixed-width string field: copies strnlen(s, fieldsz - 1) octets of s
 * and zero-fills the rest of field[fieldsz], so the wire field is the string
 * padded with NULs.  Pass sizeof(the field). */
void pptp_msg_set_str(char *field, size_t fieldsz, const char *s);

/* --- names and printer (pptp_names.c) --- */

/* "SCCRQ", "StopCCRQ", "EchoRQ", ... for 1..15, else NULL. */
const char *pptp_ctrl_type_name(uint16_t ctrl_type);
/* "Start-Control-Connection-Request", ... for 1..15, else NULL. */
const char *pptp_ctrl_type_long_name(uint16_t ctrl_type);
/* Result Code name for a message that has one (SCCRP, StopCCRP, Echo-Reply,
 * OCRP, ICRP, CDN), e.g. "Busy"; NULL for an undefined code or a type
 * without result codes. */
const char *pptp_result_name(uint16_t ctrl_type, uint8_t result);
/* General Error Code name (0..6, RFC 2637 2.16), e.g. "PAC-Error"; else NULL. */
const char *pptp_general_error_name(uint8_t error);
/* Stop-Control-Connection-Request Reason name (1..3); else NULL. */
const char *pptp_stop_reason_name(uint8_t reason);
/* Bearer Type name: "analog", "digital", "any"; else NULL. */
const char *pptp_bearer_type_name(uint32_t type);
/* Framing Type name: "async", "sync", "any"; else NULL. */
const char *pptp_framing_type_name(uint32_t type);

/* Capability bit sets: "async,sync" / "analog,digital", "none" for 0, and any
 * undefined bits as a trailing hex number ("sync,0x80"). */
void pptp_framing_caps_print(uint32_t caps, struct sbuf *sb);
void pptp_bearer_caps_print(uint32_t caps, struct sbuf *sb);

/*
 * One line with every field, e.g.
 *   SCCRQ Start-Control-Connection-Request version=1.0 framing=sync
 *   bearer=analog,digital max_channels=0 firmware=0x0 host="x" vendor="y"
 * Codes appear by name, undefined codes as numbers, peer strings escaped
 * (up to their first NUL), non-zero reserved fields as reservedN=0x...
 */
void pptp_msg_print(const struct pptp_msg *m, struct sbuf *sb);

/* An sbuf of this size always holds a whole line: the longest is an ICRQ
 * with all 192 string octets escaped as \xNN (about 950 characters). */
#define PPTP_MSG_PRINT_MAX	1024

#endif

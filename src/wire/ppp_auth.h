/*
 * ppp_auth.h - wire codecs for PPP authentication packets: PAP (RFC 1334
 * section 2), CHAP (RFC 1994 section 4), the CHAP Value layouts of CHAP-MD5
 * (RFC 1994 4.1), MS-CHAPv1 (RFC 2433 section 3) and MS-CHAPv2 (RFC 2759
 * section 4), the MS-CHAPv2 Change-Password packet (RFC 2759 section 7) and
 * the MS-CHAP Success/Failure message texts (RFC 2759 sections 5 and 6,
 * RFC 2433 section 3).
 *
 * Only bytes and text are laid out here; hashes and NT-Responses are
 * computed in src/crypto.
 *
 * Every packet decoder takes a reader over one whole control packet (the
 * PPP Information field: Code, Identifier, Length, Data) and applies the
 * RFC 1661 section 5 header rules: Length >= 4 (else ERR_LENGTH), octets
 * after Length are padding and are skipped, a Length past the end of the
 * input is ERR_LENGTH.  On success the reader is fully consumed.
 *
 * Ownership: decoded messages BORROW from the input.  The pointer fields
 * of struct pap_msg and struct chap_msg point into the reader's buffer and
 * are valid only as long as it; nothing is copied or allocated.  (A PAP
 * password therefore stays in the caller's packet buffer, which the caller
 * wipes; this module never copies it.)  Encoders read the same pointers.
 *
 * Printers never print a PAP password nor the encrypted fields of a
 * Change-Password packet; peer strings are escaped and at most
 * AUTH_PRINT_MAX octets of each are shown.
 */
#ifndef PPTPKIT_WIRE_PPP_AUTH_H
#define PPTPKIT_WIRE_PPP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "../base/sbuf.h"

#define AUTH_HDR_LEN		4	/* Code, Identifier, Length (RFC 1661 5) */
#define AUTH_PRINT_MAX		128	/* peer text octets a printer shows */

/* --- PAP, RFC 1334 section 2 --- */

enum pap_code {
	PAP_AUTH_REQ	= 1,	/* Authenticate-Request, RFC 1334 2.2.1 */
	PAP_AUTH_ACK	= 2,	/* Authenticate-Ack, RFC 1334 2.2.2 */
	PAP_AUTH_NAK	= 3,	/* Authenticate-Nak, RFC 1334 2.2.2 */
};

struct pap_msg {
	uint8_t		 code;		/* enum pap_code */
	uint8_t		 id;		/* Identifier */
	/* Authenticate-Request */
	const uint8_t	*peer_id;	/* borrowed; Peer-ID-Length octets */
	size_t		 peer_id_len;	/* 0..255 */
	const uint8_t	*passwd;	/* borrowed; a secret: never print */
	size_t		 passwd_len;	/* 0..255 */
	/* Authenticate-Ack / -Nak */
	const uint8_t	*message;	/* borrowed; Msg-Length octets */
	size_t		 message_len;	/* 0..255 */
	bool		 no_msg_len;	/* Ack/Nak had no Msg-Length octet at
					 * all (Length 4); tolerated as pppd
					 * does, and reproduced on encode */
};

/*
 * Decodes one PAP packet from r.  Returns 0 and fills *m, or:
 *   ERR_TRUNCATED  fewer than 4 octets;
 *   ERR_LENGTH     Length < 4 or past the input; a Peer-ID-, Passwd- or
 *                  Msg-Length runs past Length; a Request with no data;
 *   ERR_TRAILING   octets inside Length after the last field;
 *   ERR_CODE       a code other than 1, 2, 3.
 */
int pap_msg_decode(struct rd *r, struct pap_msg *m) MUST_CHECK;

/*
 * Writes the whole packet with its Length.  Only the fields of m->code
 * are used.  ERR_CODE for an unknown code, ERR_RANGE for a field longer
 * than 255 octets (or a NULL pointer with a nonzero length: ERR_INVAL),
 * ERR_NOSPACE (sticky in w) when w is too short.
 */
int pap_msg_encode(struct wr *w, const struct pap_msg *m) MUST_CHECK;

/* "pap auth-req id=1 peer-id=\"alice\" password=<8 bytes hidden>",
 * "pap auth-ack id=1 msg=\"Login ok\"".  The password is never shown. */
void pap_msg_print(const struct pap_msg *m, struct sbuf *sb);

/* --- CHAP, RFC 1994 section 4 --- */

enum chap_code {
	CHAP_CHALLENGE	= 1,	/* Challenge, RFC 1994 4.1 */
	CHAP_RESPONSE	= 2,	/* Response, RFC 1994 4.1 */
	CHAP_SUCCESS	= 3,	/* Success, RFC 1994 4.2 */
	CHAP_FAILURE	= 4,	/* Failure, RFC 1994 4.2 */
	CHAP_CHANGE_PASSWORD = 7, /* MS-CHAPv2 Change-Password, RFC 2759 7 */
};

/* CHAP Algorithm octets of the LCP Authentication-Protocol option. */
#define CHAP_ALG_MD5		0x05	/* RFC 1994 */
#define CHAP_ALG_MSCHAP		0x80	/* MS-CHAPv1, RFC 2433 */
#define CHAP_ALG_MSCHAPV2	0x81	/* MS-CHAPv2, RFC 2759 */

struct chap_msg {
	uint8_t		 code;		/* enum chap_code */
	uint8_t		 id;		/* Identifier */
	/* Challenge / Response: Value-Size, Value, Name.
	 * Change-Password (code 7): value is the whole Data field, to be
	 * read with mschapv2_chpass_decode(); name is empty. */
	const uint8_t	*value;		/* borrowed */
	size_t		 value_len;	/* 1..255 (Challenge/Response) */
	const uint8_t	*name;		/* borrowed; the rest of the packet */
	size_t		 name_len;
	/* Success / Failure: the whole Data field */
	const uint8_t	*message;	/* borrowed */
	size_t		 message_len;
};

/*
 * Decodes one CHAP packet from r.  Returns 0 and fills *m, or:
 *   ERR_TRUNCATED  fewer than 4 octets;
 *   ERR_LENGTH     Length < 4 or past the input; Value-Size 0 or past
 *                  Length; a Challenge/Response with no data;
 *   ERR_CODE       a code other than 1, 2, 3, 4, 7.
 */
int chap_msg_decode(struct rd *r, struct chap_msg *m) MUST_CHECK;

/*
 * Writes the whole packet with its Length.  Only the fields of m->code
 * are used.  ERR_CODE for an unknown code; ERR_RANGE for a Value of 0 or
 * more than 255 octets or a packet past 65535 octets; ERR_INVAL for a
 * NULL pointer with a nonzero length; ERR_NOSPACE (sticky in w).
 */
int chap_msg_encode(struct wr *w, const struct chap_msg *m) MUST_CHECK;

/* "chap challenge id=1 value=<hex> name=\"srv\"",
 * "chap failure id=1 msg=\"E=691 R=0\"", "chap change-password id=2 len=582" */
void chap_msg_print(const struct chap_msg *m, struct sbuf *sb);

/* --- CHAP Value layouts --- */

#define CHAP_MD5_RESPONSE_LEN	16	/* MD5(Identifier || secret || Challenge) */
#define MSCHAPV1_CHALLENGE_LEN	8	/* RFC 2433 3 */
#define MSCHAPV1_RESPONSE_LEN	49	/* RFC 2433 3 */
#define MSCHAPV2_CHALLENGE_LEN	16	/* RFC 2759 4 */
#define MSCHAPV2_RESPONSE_LEN	49	/* RFC 2759 4 */
#define MSCHAPV1_FLAG_USE_NT	0x01	/* "use Windows NT compatible
					 * challenge response", RFC 2433 3 */

/*
 * Fixed-size values: each _decode copies a Value of exactly the expected
 * size (ERR_LENGTH otherwise) and each _encode writes one (ERR_NOSPACE,
 * sticky in w).  Challenges are random, not secret.
 */
int chap_md5_response_decode(const uint8_t *v, size_t len,
    uint8_t out[CHAP_MD5_RESPONSE_LEN]) MUST_CHECK;
int chap_md5_response_encode(struct wr *w,
    const uint8_t resp[CHAP_MD5_RESPONSE_LEN]) MUST_CHECK;
int mschapv1_challenge_decode(const uint8_t *v, size_t len,
    uint8_t out[MSCHAPV1_CHALLENGE_LEN]) MUST_CHECK;
int mschapv1_challenge_encode(struct wr *w,
    const uint8_t chal[MSCHAPV1_CHALLENGE_LEN]) MUST_CHECK;
int mschapv2_challenge_decode(const uint8_t *v, size_t len,
    uint8_t out[MSCHAPV2_CHALLENGE_LEN]) MUST_CHECK;
int mschapv2_challenge_encode(struct wr *w,
    const uint8_t chal[MSCHAPV2_CHALLENGE_LEN]) MUST_CHECK;

/* MS-CHAPv1 Response Value, RFC 2433 3: LM-Response 24 (zero when
 * unused), NT-Response 24, Flags 1. */
struct mschapv1_response {
	uint8_t		lm[24];
	uint8_t		nt[24];
	uint8_t		flags;		/* MSCHAPV1_FLAG_USE_NT or 0 */
};

/* ERR_LENGTH unless len == 49.  Flags are copied as received (any value:
 * the caller decides what a flag other than 0 or 1 means). */
int mschapv1_response_decode(const uint8_t *v, size_t len,
    struct mschapv1_response *m) MUST_CHECK;
int mschapv1_response_encode(struct wr *w,
    const struct mschapv1_response *m) MUST_CHECK;
/* "lm=<hex or zero> nt=<hex> flags=0x01" */
void mschapv1_response_print(const struct mschapv1_response *m,
    struct sbuf *sb);

/* MS-CHAPv2 Response Value, RFC 2759 4: Peer-Challenge 16, Reserved 8
 * (zero), NT-Response 24, Flags 1 (zero). */
struct mschapv2_response {
	uint8_t		peer_challenge[16];
	uint8_t		reserved[8];
	uint8_t		nt_response[24];
	uint8_t		flags;
};

/* ERR_LENGTH unless len == 49.  Reserved and Flags are copied as received
 * so a re-encode is exact; they "MUST be zero" for the sender, and a
 * receiver that wants to be strict checks mschapv2_response_reserved_ok(). */
int mschapv2_response_decode(const uint8_t *v, size_t len,
    struct mschapv2_response *m) MUST_CHECK;
int mschapv2_response_encode(struct wr *w,
    const struct mschapv2_response *m) MUST_CHECK;
/* True if Reserved and Flags are all zero, as RFC 2759 4 requires. */
bool mschapv2_response_reserved_ok(const struct mschapv2_response *m);
/* "peer-challenge=<hex> nt-response=<hex> flags=0x00" (+ " reserved=<hex>"
 * when nonzero) */
void mschapv2_response_print(const struct mschapv2_response *m,
    struct sbuf *sb);

/* MS-CHAPv2 Change-Password packet Data (code 7), RFC 2759 7.  pptpkit
 * only recognises and refuses it. */
#define MSCHAPV2_CHPASS_LEN	582	/* Data octets; Length is 586 */
struct mschapv2_chpass {
	uint8_t		enc_password[516];	/* Encrypted-Password */
	uint8_t		enc_hash[16];		/* Encrypted-Hash */
	uint8_t		peer_challenge[16];
	uint8_t		reserved[8];
	uint8_t		nt_response[24];
	uint16_t	flags;
};

/* v/len: the Data field (chap_msg.value for code 7).  ERR_LENGTH unless
 * len == 582.  The encoder writes the 582 Data octets only; wrap them in
 * a chap_msg of code 7 for the packet. */
int mschapv2_chpass_decode(const uint8_t *v, size_t len,
    struct mschapv2_chpass *c) MUST_CHECK;
int mschapv2_chpass_encode(struct wr *w, const struct mschapv2_chpass *c)
    MUST_CHECK;
/* "change-password peer-challenge=<hex> nt-response=<hex> flags=0x0000";
 * the encrypted password and hash are never shown. */
void mschapv2_chpass_print(const struct mschapv2_chpass *c, struct sbuf *sb);

/* --- MS-CHAP message texts (mschap_msg.c) --- */

#define MSCHAPV2_AUTH_RESP_LEN	20	/* Authenticator Response, RFC 2759 5 */

/*
 * Parses a MS-CHAPv2 Success message, RFC 2759 5:
 * "S=<40 hex digits>" optionally followed by " M=<message>".  Hex of either
 * case is accepted; trailing NUL octets (some servers count one) are
 * ignored.  auth_resp receives the 20 octets; text (if textsz > 0; text may
 * be NULL when textsz is 0) receives the M= text NUL-terminated, cut to
 * textsz - 1 octets, "" when absent.  Returns 0 or ERR_FORMAT (no "S=",
 * fewer or more than 40 hex digits, a non-hex digit, anything but " M="
 * after them).  On error auth_resp is left unchanged and text is "".
 */
int mschapv2_success_parse(const uint8_t *msg, size_t len,
    uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN], char *text, size_t textsz)
    MUST_CHECK;

/* Writes "S=<40 uppercase hex>" and, if text is non-NULL and non-empty,
 * " M=<text>".  ERR_NOSPACE (sticky in w). */
int mschapv2_success_format(struct wr *w,
    const uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN], const char *text)
    MUST_CHECK;

/* MS-CHAP Failure error codes, RFC 2759 6 / RFC 2433 3. */
#define MSCHAP_ERROR_RESTRICTED_LOGON_HOURS	646
#define MSCHAP_ERROR_ACCT_DISABLED		647
#define MSCHAP_ERROR_PASSWD_EXPIRED		648
#define MSCHAP_ERROR_NO_DIALIN_PERMISSION	649
#define MSCHAP_ERROR_AUTHENTICATION_FAILURE	691
#define MSCHAP_ERROR_CHANGING_PASSWORD		709

/* "restricted-logon-hours", "account-disabled", "password-expired",
 * "no-dialin-permission", "authentication-failure", "changing-password",
 * or NULL for another code. */
const char *mschap_error_name(uint32_t error);

/*
 * A MS-CHAP Failure message:
 *   "E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv M=<msg>"
 * (RFC 2759 6; RFC 2433 3 has an 8-octet C= and no M=).
 */
struct mschap_failure {
	uint32_t	error;		/* E=, decimal, required */
	bool		has_retry;	/* R= present */
	bool		retry;		/* R=1 */
	bool		has_challenge;	/* C= present */
	size_t		challenge_len;	/* 16 (v2), 8 (v1) or 0 */
	uint8_t		challenge[16];
	bool		has_version;	/* V= present */
	uint32_t	version;	/* V=, decimal (3 for MS-CHAPv2) */
	bool		has_message;	/* M= present (possibly empty) */
	char		message[256];	/* M= text, NUL-terminated, cut to
					 * 255 octets; raw peer bytes: escape
					 * before logging */
};

/*
 * Parses a Failure message.  Fields are separated by one or more spaces;
 * E= comes first, then any of R=, C=, V= once each in any order, then
 * M=, which takes the rest of the text (spaces included).  Trailing NUL
 * octets and trailing spaces before M= are ignored.  Returns 0 or
 * ERR_FORMAT: E= missing, not first, empty, not decimal or over 2^32-1;
 * R= not "0" or "1"; C= not 16 or 32 hex digits; V= not decimal; a field
 * twice; an unknown field.  *f is zeroed first.
 */
int mschap_failure_parse(const uint8_t *msg, size_t len,
    struct mschap_failure *f) MUST_CHECK;

/* Writes "E=691" then " R=r", " C=<uppercase hex>", " V=v", " M=text" for
 * each field present, in that order.  ERR_RANGE if challenge_len is not
 * 8 or 16 with has_challenge; ERR_NOSPACE (sticky in w). */
int mschap_failure_format(struct wr *w, const struct mschap_failure *f)
    MUST_CHECK;

/* "E=691(authentication-failure) R=1 C=<hex> V=3 M=\"...\"" */
void mschap_failure_print(const struct mschap_failure *f, struct sbuf *sb);

/*
 * Strips a "DOMAIN\" prefix from a CHAP Name: *user points after the last
 * backslash in name[0..len) (pppd and npppd take the last one too), or at
 * name when there is none; *user_len is what is left (0 if the name ends
 * with a backslash).  name may be NULL only when len is 0.
 */
void mschap_split_domain(const char *name, size_t len, const char **user,
    size_t *user_len);

#endif

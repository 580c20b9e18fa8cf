/*
 * err.h - the error codes every pptpkit function returns.
 *
 * Functions return 0 on success or a negative ERR_* value; err_str() names it.
 * Predicates return bool instead.  The codes are grouped by where they arise so
 * that a caller (and a test) can tell a truncated packet from a bad field.
 */
#ifndef PPTPKIT_BASE_ERR_H
#define PPTPKIT_BASE_ERR_H

#define MUST_CHECK __attribute__((warn_unused_result))

enum err {
	ERR_OK = 0,
	/* cursor and framing */
	ERR_TRUNCATED = -1,	/* input ends before the field does */
	ERR_TRAILING = -2,	/* bytes left after a complete structure */
	ERR_NOSPACE = -3,	/* writer has no room for the field */
	ERR_LENGTH = -4,	/* a length field disagrees with the data or the type */
	ERR_RANGE = -5,		/* a value outside what the field allows */
	/* protocol fields */
	ERR_MAGIC = -10,	/* PPTP magic cookie is not 0x1A2B3C4D */
	ERR_MSG_TYPE = -11,	/* PPTP message type is not 1 (control) */
	ERR_CTRL_TYPE = -12,	/* unknown PPTP control message type */
	ERR_RESERVED = -13,	/* a reserved field is not zero */
	ERR_VERSION = -14,	/* wrong protocol version (e.g. GRE version 0) */
	ERR_FLAGS = -15,	/* forbidden flag bits (GRE C/R/s/recur/flags) */
	ERR_PROTO = -16,	/* wrong protocol type (e.g. GRE protocol not 0x880B) */
	ERR_NO_KEY = -17,	/* GRE key bit missing */
	ERR_CODE = -18,		/* unknown packet code */
	ERR_OPTION = -19,	/* malformed option (length < 2, past packet end) */
	ERR_FORMAT = -20,	/* malformed text field (MS-CHAP S=/E= messages) */
	/* crypto and auth */
	ERR_AUTH = -30,		/* authenticator or response does not verify */
	ERR_CRYPTO = -31,	/* a cryptographic primitive refused its input */
	ERR_STALE = -32,	/* MPPE: packet is late or a duplicate; dropped */
	ERR_NOKEY = -33,	/* MPPE: no key (not flushed yet in stateful mode) */
	ERR_TOO_FAR = -34,	/* MPPE: coherency count jump beyond the rekey bound */
	/* general */
	ERR_INVAL = -40,	/* invalid argument from the caller */
	ERR_NOMEM = -41,	/* allocation failed */
	ERR_STATE = -42,	/* operation not valid in the current state */
	ERR_SYS = -43,		/* a system call failed; see errno */
	ERR_TIMEOUT = -44,	/* a deadline passed */
	ERR_UNSUPPORTED = -45,	/* valid but not something we implement */
	ERR_EXISTS = -46,	/* already present */
	ERR_NOTFOUND = -47,	/* no such object */
	ERR_CLOSED = -48,	/* peer closed */
};

/* Returns a short English name for code; never NULL, even for unknown codes. */
const char *err_str(int code);

#endif

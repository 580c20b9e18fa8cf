/*
 * err.c - names for the ERR_* codes of err.h.
 */
#include "err.h"

const char *
err_str(int code)
{
	switch (code) {
	case ERR_OK:		return "ok";
	case ERR_TRUNCATED:	return "truncated";
	case ERR_TRAILING:	return "trailing bytes";
	case ERR_NOSPACE:	return "no space in output buffer";
	case ERR_LENGTH:	return "bad length";
	case ERR_RANGE:		return "value out of range";
	case ERR_MAGIC:		return "bad magic cookie";
	case ERR_MSG_TYPE:	return "bad PPTP message type";
	case ERR_CTRL_TYPE:	return "unknown control message type";
	case ERR_RESERVED:	return "reserved field not zero";
	case ERR_VERSION:	return "bad version";
	case ERR_FLAGS:		return "forbidden flag bits";
	case ERR_PROTO:		return "bad protocol type";
	case ERR_NO_KEY:	return "GRE key missing";
	case ERR_CODE:		return "unknown code";
	case ERR_OPTION:	return "malformed option";
	case ERR_FORMAT:	return "malformed text field";
	case ERR_AUTH:		return "authentication failed";
	case ERR_CRYPTO:	return "crypto error";
	case ERR_STALE:		return "stale or duplicate packet";
	case ERR_NOKEY:		return "no key";
	case ERR_TOO_FAR:	return "coherency count too far ahead";
	case ERR_INVAL:		return "invalid argument";
	case ERR_NOMEM:		return "out of memory";
	case ERR_STATE:		return "invalid in this state";
	case ERR_SYS:		return "system error";
	case ERR_TIMEOUT:	return "timed out";
	case ERR_UNSUPPORTED:	return "unsupported";
	case ERR_EXISTS:	return "already exists";
	case ERR_NOTFOUND:	return "not found";
	case ERR_CLOSED:	return "closed";
	}
	return "unknown error";
}

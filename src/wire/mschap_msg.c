/*
 * mschap_msg.c - the text carried in MS-CHAP Success and Failure packets:
 * the MS-CHAPv2 Success message "S=<auth_string> M=<message>" (RFC 2759
 * section 5), the Failure message "E=... R=... C=... V=... M=..." (RFC 2759
 * section 6, RFC 2433 section 3), the error code names, and the
 * DOMAIN\user split of CHAP Names.  Contracts are in ppp_auth.h.
 *
 * These texts come from the peer: every parser works on (pointer, length)
 * with explicit bounds, never on NUL-terminated strings, and copies out
 * only into fixed buffers with their size.
 */
#include <string.h>

#include "../base/hex.h"
#include "ppp_auth.h"

static const char hex_upper[] = "0123456789ABCDEF";

/* Parses s[0..n) as an unsigned decimal that fits 32 bits. */
static int
dec_decode(const uint8_t *s, size_t n, uint32_t *v)
{
	uint64_t acc = 0;
	size_t i;

	if (n == 0)
		return ERR_FORMAT;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return ERR_FORMAT;
		acc = acc * 10 + (uint64_t)(s[i] - '0');
		if (acc > UINT32_MAX)
			return ERR_FORMAT;
	}
	*v = (uint32_t)acc;
	return 0;
}

static void
wr_hex_upper(struct wr *w, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		wr_u8(w, (uint8_t)hex_upper[p[i] >> 4]);
		wr_u8(w, (uint8_t)hex_upper[p[i] & 15]);
	}
}

static void
wr_dec(struct wr *w, uint32_t v)
{
	char digits[10];
	size_t n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		wr_u8(w, (uint8_t)digits[--n]);
}

static void
wr_str(struct wr *w, const char *s)
{
	wr_bytes(w, s, strlen(s));
}

/* Some peers count a terminating NUL in the packet; it is not text. */
static size_t
strip_nuls(const uint8_t *msg, size_t len)
{
	while (len > 0 && msg[len - 1] == '\0')
		len--;
	return len;
}

static size_t
skip_spaces(const uint8_t *msg, size_t len, size_t pos)
{
	while (pos < len && msg[pos] == ' ')
		pos++;
	return pos;
}

/* Copies msg[0..n) into text[textsz] NUL-terminated, cut to fit. */
static void
copy_text(char *text, size_t textsz, const uint8_t *msg, size_t n)
{
	if (textsz == 0)
		return;
	if (n > textsz - 1)
		n = textsz - 1;
	if (n != 0)
		memcpy(text, msg, n);
	text[n] = '\0';
}

/* --- Success, RFC 2759 5 --- */

#define AUTH_STRING_DIGITS	(2 * MSCHAPV2_AUTH_RESP_LEN)	/* 40 */

int
mschapv2_success_parse(const uint8_t *msg, size_t len,
    uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN], char *text, size_t textsz)
{
	uint8_t resp[MSCHAPV2_AUTH_RESP_LEN];
	size_t pos, sp;

	copy_text(text, textsz, NULL, 0);
	if (msg == NULL)
		return ERR_FORMAT;
	len = strip_nuls(msg, len);
	if (len < 2 + AUTH_STRING_DIGITS || msg[0] != 'S' || msg[1] != '=' ||
	    hex_decode(msg + 2, resp, sizeof(resp)) != 0)
		return ERR_FORMAT;
	pos = 2 + AUTH_STRING_DIGITS;
	sp = skip_spaces(msg, len, pos);
	if (sp < len) {
		/* Anything after the 40 digits must be " M=": a 41st hex
		 * digit or glued text is a malformed authenticator. */
		if (sp == pos || len - sp < 2 || msg[sp] != 'M' ||
		    msg[sp + 1] != '=')
			return ERR_FORMAT;
		copy_text(text, textsz, msg + sp + 2, len - sp - 2);
	}
	memcpy(auth_resp, resp, sizeof(resp));
	return 0;
}

int
mschapv2_success_format(struct wr *w,
    const uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN], const char *text)
{
	wr_str(w, "S=");
	wr_hex_upper(w, auth_resp, MSCHAPV2_AUTH_RESP_LEN);
	if (text != NULL && text[0] != '\0') {
		wr_str(w, " M=");
		wr_str(w, text);
	}
	return wr_error(w);
}

/* --- Failure, RFC 2759 6 and RFC 2433 3 --- */

const char *
mschap_error_name(uint32_t error)
{
	switch (error) {
	case MSCHAP_ERROR_RESTRICTED_LOGON_HOURS:
		return "restricted-logon-hours";
	case MSCHAP_ERROR_ACCT_DISABLED:
		return "account-disabled";
	case MSCHAP_ERROR_PASSWD_EXPIRED:
		return "password-expired";
	case MSCHAP_ERROR_NO_DIALIN_PERMISSION:
		return "no-dialin-permission";
	case MSCHAP_ERROR_AUTHENTICATION_FAILURE:
		return "authentication-failure";
	case MSCHAP_ERROR_CHANGING_PASSWORD:
		return "changing-password";
	default:
		return NULL;
	}
}

/* One "K=value" field other than M=; `seen` guards against repeats. */
static int
failure_field(struct mschap_failure *f, uint8_t key, const uint8_t *v,
    size_t n, unsigned *seen)
{
	unsigned bit;

	switch (key) {
	case 'E': bit = 1; break;
	case 'R': bit = 2; break;
	case 'C': bit = 4; break;
	case 'V': bit = 8; break;
	default: return ERR_FORMAT;
	}
	if (*seen & bit)
		return ERR_FORMAT;
	*seen |= bit;
	switch (key) {
	case 'E':
		return dec_decode(v, n, &f->error);
	case 'R':
		if (n != 1 || (v[0] != '0' && v[0] != '1'))
			return ERR_FORMAT;
		f->has_retry = true;
		f->retry = v[0] == '1';
		return 0;
	case 'C':
		/* 32 digits for MS-CHAPv2 (RFC 2759 6), 16 for v1 (2433 3) */
		if (n != 2 * 16 && n != 2 * 8)
			return ERR_FORMAT;
		if (hex_decode(v, f->challenge, n / 2) != 0)
			return ERR_FORMAT;
		f->has_challenge = true;
		f->challenge_len = n / 2;
		return 0;
	default: /* 'V' */
		if (dec_decode(v, n, &f->version) != 0)
			return ERR_FORMAT;
		f->has_version = true;
		return 0;
	}
}

int
mschap_failure_parse(const uint8_t *msg, size_t len,
    struct mschap_failure *f)
{
	unsigned seen = 0;
	size_t pos = 0, end;
	uint8_t key;
	int ret;

	memset(f, 0, sizeof(*f));
	if (msg == NULL)
		return ERR_FORMAT;
	len = strip_nuls(msg, len);
	for (;;) {
		pos = skip_spaces(msg, len, pos);
		if (pos == len)
			break;
		if (len - pos < 2 || msg[pos + 1] != '=')
			return ERR_FORMAT;
		key = msg[pos];
		pos += 2;
		/* E= comes first (RFC 2759 6 gives the order; E= is the
		 * one field every MS-CHAP server sends). */
		if (seen == 0 && key != 'E')
			return ERR_FORMAT;
		if (key == 'M') {
			/* The message takes the rest, spaces and all. */
			copy_text(f->message, sizeof(f->message), msg + pos,
			    len - pos);
			f->has_message = true;
			pos = len;
			break;
		}
		for (end = pos; end < len && msg[end] != ' '; end++)
			;
		if ((ret = failure_field(f, key, msg + pos, end - pos,
		    &seen)) != 0) {
			memset(f, 0, sizeof(*f));
			return ret;
		}
		pos = end;
	}
	if (seen == 0)
		return ERR_FORMAT;
	return 0;
}

int
mschap_failure_format(struct wr *w, const struct mschap_failure *f)
{
	if (f->has_challenge && f->challenge_len != 8 &&
	    f->challenge_len != 16)
		return ERR_RANGE;
	wr_str(w, "E=");
	wr_dec(w, f->error);
	if (f->has_retry) {
		wr_str(w, " R=");
		wr_u8(w, f->retry ? '1' : '0');
	}
	if (f->has_challenge) {
		wr_str(w, " C=");
		wr_hex_upper(w, f->challenge, f->challenge_len);
	}
	if (f->has_version) {
		wr_str(w, " V=");
		wr_dec(w, f->version);
	}
	if (f->has_message) {
		wr_str(w, " M=");
		wr_bytes(w, f->message, strnlen(f->message, sizeof(f->message)));
	}
	return wr_error(w);
}

void
mschap_failure_print(const struct mschap_failure *f, struct sbuf *sb)
{
	const char *name = mschap_error_name(f->error);

	sbuf_printf(sb, "E=%u", f->error);
	if (name != NULL)
		sbuf_printf(sb, "(%s)", name);
	if (f->has_retry)
		sbuf_printf(sb, " R=%d", f->retry ? 1 : 0);
	if (f->has_challenge && f->challenge_len <= sizeof(f->challenge)) {
		sbuf_printf(sb, " C=");
		sbuf_hex(sb, f->challenge, f->challenge_len);
	}
	if (f->has_version)
		sbuf_printf(sb, " V=%u", f->version);
	if (f->has_message) {
		sbuf_printf(sb, " M=\"");
		sbuf_escaped(sb, f->message,
		    strnlen(f->message, sizeof(f->message)));
		sbuf_printf(sb, "\"");
	}
}

/* --- CHAP Names --- */

void
mschap_split_domain(const char *name, size_t len, const char **user,
    size_t *user_len)
{
	size_t i = len;

	while (i > 0 && name[i - 1] != '\\')
		i--;
	*user = i == 0 ? name : name + i;	/* no arithmetic on NULL */
	*user_len = len - i;
}

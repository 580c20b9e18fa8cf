/*
 * ppp_auth.c - PAP (RFC 1334 section 2) and CHAP (RFC 1994 section 4)
 * packet codecs, the CHAP Value layouts of CHAP-MD5 (RFC 1994 4.1),
 * MS-CHAPv1 (RFC 2433 section 3) and MS-CHAPv2 (RFC 2759 section 4), and
 * the MS-CHAPv2 Change-Password packet (RFC 2759 section 7).  The S=/E=
 * message texts are in mschap_msg.c.  Contracts are in ppp_auth.h.
 */
#include <string.h>

#include "ppp_auth.h"
#include "ppp_cp.h"

/* --- the RFC 1661 section 5 packet header, via ppp_cp.h --- */

/* Code, Identifier, Length; *data receives the Data field, padding after
 * Length is skipped, and r is consumed (ppp_cp_decode's rules). */
static int
auth_hdr_decode(struct rd *r, uint8_t *code, uint8_t *id, struct rd *data)
{
	struct ppp_cp hdr;
	int ret;

	if ((ret = ppp_cp_decode(r, &hdr, data)) != 0)
		return ret;
	*code = hdr.code;
	*id = hdr.id;
	return 0;
}

/* A one-octet length and that many octets, borrowed.  Inside a packet
 * whose Length is known, running out means the lengths disagree. */
static int
rd_lv8(struct rd *d, const uint8_t **p, size_t *n)
{
	uint8_t len;

	if (rd_u8(d, &len) != 0 || rd_ptr(d, p, len) != 0)
		return ERR_LENGTH;
	*n = len;
	return 0;
}

static void
rd_rest_ptr(struct rd *d, const uint8_t **p, size_t *n)
{
	struct rd rest;

	*n = rd_left(d);
	*p = rd_cur(d);
	rd_rest(d, &rest);
}

static int
lv8_check(const uint8_t *p, size_t n)
{
	if (n > 0xff)
		return ERR_RANGE;
	if (p == NULL && n != 0)
		return ERR_INVAL;
	return 0;
}

static void
wr_lv8(struct wr *w, const uint8_t *p, size_t n)
{
	wr_u8(w, (uint8_t)n);
	if (n != 0)
		wr_bytes(w, p, n);
}

/* Peer text, escaped and cut to AUTH_PRINT_MAX octets. */
static void
print_text(struct sbuf *sb, const uint8_t *p, size_t n)
{
	sbuf_printf(sb, "\"");
	if (n != 0)
		sbuf_escaped(sb, p, n < AUTH_PRINT_MAX ? n : AUTH_PRINT_MAX);
	sbuf_printf(sb, "\"");
	if (n > AUTH_PRINT_MAX)
		sbuf_printf(sb, "...(%zu bytes)", n);
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n-- > 0)
		acc |= *p++;
	return acc == 0;
}

/* --- PAP, RFC 1334 section 2 --- */

int
pap_msg_decode(struct rd *r, struct pap_msg *m)
{
	struct rd d;
	int ret;

	memset(m, 0, sizeof(*m));
	if ((ret = auth_hdr_decode(r, &m->code, &m->id, &d)) != 0)
		return ret;
	switch (m->code) {
	case PAP_AUTH_REQ:
		/* Peer-ID-Length, Peer-ID, Passwd-Length, Password (2.2.1) */
		if ((ret = rd_lv8(&d, &m->peer_id, &m->peer_id_len)) != 0 ||
		    (ret = rd_lv8(&d, &m->passwd, &m->passwd_len)) != 0)
			return ret;
		break;
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		/* Msg-Length, Message (2.2.2).  Some peers leave out even the
		 * Msg-Length octet; pppd accepts that, so do we. */
		if (rd_left(&d) == 0) {
			m->no_msg_len = true;
			break;
		}
		if ((ret = rd_lv8(&d, &m->message, &m->message_len)) != 0)
			return ret;
		break;
	default:
		return ERR_CODE;
	}
	return rd_end(&d);
}

int
pap_msg_encode(struct wr *w, const struct pap_msg *m)
{
	size_t start;
	int ret;

	switch (m->code) {
	case PAP_AUTH_REQ:
		if ((ret = lv8_check(m->peer_id, m->peer_id_len)) != 0 ||
		    (ret = lv8_check(m->passwd, m->passwd_len)) != 0)
			return ret;
		if ((ret = ppp_cp_begin(w, m->code, m->id, &start)) != 0)
			return ret;
		wr_lv8(w, m->peer_id, m->peer_id_len);
		wr_lv8(w, m->passwd, m->passwd_len);
		break;
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		if (m->no_msg_len && m->message_len != 0)
			return ERR_INVAL;
		if ((ret = lv8_check(m->message, m->message_len)) != 0)
			return ret;
		if ((ret = ppp_cp_begin(w, m->code, m->id, &start)) != 0)
			return ret;
		if (!m->no_msg_len)
			wr_lv8(w, m->message, m->message_len);
		break;
	default:
		return ERR_CODE;
	}
	return ppp_cp_finish(w, start);
}

void
pap_msg_print(const struct pap_msg *m, struct sbuf *sb)
{
	switch (m->code) {
	case PAP_AUTH_REQ:
		sbuf_printf(sb, "pap auth-req id=%u peer-id=", m->id);
		print_text(sb, m->peer_id, m->peer_id_len);
		sbuf_printf(sb, " password=<%zu bytes hidden>", m->passwd_len);
		break;
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		sbuf_printf(sb, "pap %s id=%u msg=",
		    m->code == PAP_AUTH_ACK ? "auth-ack" : "auth-nak", m->id);
		print_text(sb, m->message, m->message_len);
		if (m->no_msg_len)
			sbuf_printf(sb, " no-msg-length");
		break;
	default:
		sbuf_printf(sb, "pap code=%u id=%u", m->code, m->id);
		break;
	}
}

/* --- CHAP, RFC 1994 section 4 --- */

int
chap_msg_decode(struct rd *r, struct chap_msg *m)
{
	struct rd d;
	uint8_t vsize;
	int ret;

	memset(m, 0, sizeof(*m));
	if ((ret = auth_hdr_decode(r, &m->code, &m->id, &d)) != 0)
		return ret;
	switch (m->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		/* Value-Size (at least one octet, 4.1), Value, Name */
		if (rd_u8(&d, &vsize) != 0 || vsize == 0 ||
		    rd_ptr(&d, &m->value, vsize) != 0)
			return ERR_LENGTH;
		m->value_len = vsize;
		rd_rest_ptr(&d, &m->name, &m->name_len);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		rd_rest_ptr(&d, &m->message, &m->message_len);
		break;
	case CHAP_CHANGE_PASSWORD:
		rd_rest_ptr(&d, &m->value, &m->value_len);
		break;
	default:
		return ERR_CODE;
	}
	return 0;
}

int
chap_msg_encode(struct wr *w, const struct chap_msg *m)
{
	size_t start;
	int ret;

	switch (m->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		if (m->value_len == 0)
			return ERR_RANGE;
		if ((ret = lv8_check(m->value, m->value_len)) != 0)
			return ret;
		if (m->name == NULL && m->name_len != 0)
			return ERR_INVAL;
		if ((ret = ppp_cp_begin(w, m->code, m->id, &start)) != 0)
			return ret;
		wr_lv8(w, m->value, m->value_len);
		if (m->name_len != 0)
			wr_bytes(w, m->name, m->name_len);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if (m->message == NULL && m->message_len != 0)
			return ERR_INVAL;
		if ((ret = ppp_cp_begin(w, m->code, m->id, &start)) != 0)
			return ret;
		if (m->message_len != 0)
			wr_bytes(w, m->message, m->message_len);
		break;
	case CHAP_CHANGE_PASSWORD:
		if (m->value == NULL && m->value_len != 0)
			return ERR_INVAL;
		if ((ret = ppp_cp_begin(w, m->code, m->id, &start)) != 0)
			return ret;
		if (m->value_len != 0)
			wr_bytes(w, m->value, m->value_len);
		break;
	default:
		return ERR_CODE;
	}
	return ppp_cp_finish(w, start);
}

static const char *
chap_code_name(uint8_t code)
{
	switch (code) {
	case CHAP_CHALLENGE:		return "challenge";
	case CHAP_RESPONSE:		return "response";
	case CHAP_SUCCESS:		return "success";
	case CHAP_FAILURE:		return "failure";
	case CHAP_CHANGE_PASSWORD:	return "change-password";
	default:			return NULL;
	}
}

void
chap_msg_print(const struct chap_msg *m, struct sbuf *sb)
{
	const char *name = chap_code_name(m->code);

	if (name == NULL) {
		sbuf_printf(sb, "chap code=%u id=%u", m->code, m->id);
		return;
	}
	sbuf_printf(sb, "chap %s id=%u", name, m->id);
	switch (m->code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		sbuf_printf(sb, " value[%zu]=", m->value_len);
		sbuf_hex(sb, m->value, m->value_len);
		sbuf_printf(sb, " name=");
		print_text(sb, m->name, m->name_len);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		sbuf_printf(sb, " msg=");
		print_text(sb, m->message, m->message_len);
		break;
	case CHAP_CHANGE_PASSWORD:
		sbuf_printf(sb, " len=%zu", m->value_len);
		break;
	}
}

/* --- CHAP Value layouts --- */

static int
value_fixed(const uint8_t *v, size_t len, uint8_t *out, size_t want)
{
	if (len != want || v == NULL)
		return ERR_LENGTH;
	memcpy(out, v, want);
	return 0;
}

static int
value_put(struct wr *w, const uint8_t *v, size_t n)
{
	wr_bytes(w, v, n);
	return wr_error(w);
}

int
chap_md5_response_decode(const uint8_t *v, size_t len,
    uint8_t out[CHAP_MD5_RESPONSE_LEN])
{
	return value_fixed(v, len, out, CHAP_MD5_RESPONSE_LEN);
}

int
chap_md5_response_encode(struct wr *w,
    const uint8_t resp[CHAP_MD5_RESPONSE_LEN])
{
	return value_put(w, resp, CHAP_MD5_RESPONSE_LEN);
}

int
mschapv1_challenge_decode(const uint8_t *v, size_t len,
    uint8_t out[MSCHAPV1_CHALLENGE_LEN])
{
	return value_fixed(v, len, out, MSCHAPV1_CHALLENGE_LEN);
}

int
mschapv1_challenge_encode(struct wr *w,
    const uint8_t chal[MSCHAPV1_CHALLENGE_LEN])
{
	return value_put(w, chal, MSCHAPV1_CHALLENGE_LEN);
}

int
mschapv2_challenge_decode(const uint8_t *v, size_t len,
    uint8_t out[MSCHAPV2_CHALLENGE_LEN])
{
	return value_fixed(v, len, out, MSCHAPV2_CHALLENGE_LEN);
}

int
mschapv2_challenge_encode(struct wr *w,
    const uint8_t chal[MSCHAPV2_CHALLENGE_LEN])
{
	return value_put(w, chal, MSCHAPV2_CHALLENGE_LEN);
}

/* MS-CHAPv1 Response, RFC 2433 3: LM-Response 24, NT-Response 24, Flag 1. */
int
mschapv1_response_decode(const uint8_t *v, size_t len,
    struct mschapv1_response *m)
{
	struct rd r;

	if (len != MSCHAPV1_RESPONSE_LEN || v == NULL)
		return ERR_LENGTH;
	rd_init(&r, v, len);
	if (rd_bytes(&r, m->lm, sizeof(m->lm)) != 0 ||
	    rd_bytes(&r, m->nt, sizeof(m->nt)) != 0 ||
	    rd_u8(&r, &m->flags) != 0)
		return ERR_LENGTH;	/* cannot happen: len was checked */
	return rd_end(&r);
}

int
mschapv1_response_encode(struct wr *w, const struct mschapv1_response *m)
{
	wr_bytes(w, m->lm, sizeof(m->lm));
	wr_bytes(w, m->nt, sizeof(m->nt));
	wr_u8(w, m->flags);
	return wr_error(w);
}

void
mschapv1_response_print(const struct mschapv1_response *m, struct sbuf *sb)
{
	sbuf_printf(sb, "lm=");
	if (all_zero(m->lm, sizeof(m->lm)))
		sbuf_printf(sb, "none");
	else
		sbuf_hex(sb, m->lm, sizeof(m->lm));
	sbuf_printf(sb, " nt=");
	sbuf_hex(sb, m->nt, sizeof(m->nt));
	sbuf_printf(sb, " flags=0x%02x", m->flags);
}

/* MS-CHAPv2 Response, RFC 2759 4: Peer-Challenge 16, Reserved 8,
 * NT-Response 24, Flags 1. */
int
mschapv2_response_decode(const uint8_t *v, size_t len,
    struct mschapv2_response *m)
{
	struct rd r;

	if (len != MSCHAPV2_RESPONSE_LEN || v == NULL)
		return ERR_LENGTH;
	rd_init(&r, v, len);
	if (rd_bytes(&r, m->peer_challenge, sizeof(m->peer_challenge)) != 0 ||
	    rd_bytes(&r, m->reserved, sizeof(m->reserved)) != 0 ||
	    rd_bytes(&r, m->nt_response, sizeof(m->nt_response)) != 0 ||
	    rd_u8(&r, &m->flags) != 0)
		return ERR_LENGTH;	/* cannot happen: len was checked */
	return rd_end(&r);
}

int
mschapv2_response_encode(struct wr *w, const struct mschapv2_response *m)
{
	wr_bytes(w, m->peer_challenge, sizeof(m->peer_challenge));
	wr_bytes(w, m->reserved, sizeof(m->reserved));
	wr_bytes(w, m->nt_response, sizeof(m->nt_response));
	wr_u8(w, m->flags);
	return wr_error(w);
}

bool
mschapv2_response_reserved_ok(const struct mschapv2_response *m)
{
	return all_zero(m->reserved, sizeof(m->reserved)) && m->flags == 0;
}

void
mschapv2_response_print(const struct mschapv2_response *m, struct sbuf *sb)
{
	sbuf_printf(sb, "peer-challenge=");
	sbuf_hex(sb, m->peer_challenge, sizeof(m->peer_challenge));
	sbuf_printf(sb, " nt-response=");
	sbuf_hex(sb, m->nt_response, sizeof(m->nt_response));
	sbuf_printf(sb, " flags=0x%02x", m->flags);
	if (!all_zero(m->reserved, sizeof(m->reserved))) {
		sbuf_printf(sb, " reserved=");
		sbuf_hex(sb, m->reserved, sizeof(m->reserved));
	}
}

/* Change-Password, RFC 2759 7: Encrypted-Password 516, Encrypted-Hash 16,
 * Peer-Challenge 16, Reserved 8, NT-Response 24, Flags 2. */
int
mschapv2_chpass_decode(const uint8_t *v, size_t len,
    struct mschapv2_chpass *c)
{
	struct rd r;

	if (len != MSCHAPV2_CHPASS_LEN || v == NULL)
		return ERR_LENGTH;
	rd_init(&r, v, len);
	if (rd_bytes(&r, c->enc_password, sizeof(c->enc_password)) != 0 ||
	    rd_bytes(&r, c->enc_hash, sizeof(c->enc_hash)) != 0 ||
	    rd_bytes(&r, c->peer_challenge, sizeof(c->peer_challenge)) != 0 ||
	    rd_bytes(&r, c->reserved, sizeof(c->reserved)) != 0 ||
	    rd_bytes(&r, c->nt_response, sizeof(c->nt_response)) != 0 ||
	    rd_u16(&r, &c->flags) != 0)
		return ERR_LENGTH;	/* cannot happen: len was checked */
	return rd_end(&r);
}

int
mschapv2_chpass_encode(struct wr *w, const struct mschapv2_chpass *c)
{
	wr_bytes(w, c->enc_password, sizeof(c->enc_password));
	wr_bytes(w, c->enc_hash, sizeof(c->enc_hash));
	wr_bytes(w, c->peer_challenge, sizeof(c->peer_challenge));
	wr_bytes(w, c->reserved, sizeof(c->reserved));
	wr_bytes(w, c->nt_response, sizeof(c->nt_response));
	wr_u16(w, c->flags);
	return wr_error(w);
}

void
mschapv2_chpass_print(const struct mschapv2_chpass *c, struct sbuf *sb)
{
	sbuf_printf(sb, "change-password peer-challenge=");
	sbuf_hex(sb, c->peer_challenge, sizeof(c->peer_challenge));
	sbuf_printf(sb, " nt-response=");
	sbuf_hex(sb, c->nt_response, sizeof(c->nt_response));
	sbuf_printf(sb, " flags=0x%04x encrypted-password=<hidden>", c->flags);
}

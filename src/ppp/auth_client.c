/*
 * auth_client.c - the peer's side of the authentication phase: PAP
 * (RFC 1334 2.2), CHAP-MD5 (RFC 1994 4), MS-CHAPv1 (RFC 2433 3) and
 * MS-CHAPv2 (RFC 2759 4-6, 8, and 9.1.2: the server's authenticator
 * response is checked), with MS-CHAP retries on R=1.  See auth.h.
 */
#include <string.h>

#include "../base/secret.h"
#include "../crypto/mschap.h"
#include "../wire/ppp_auth.h"
#include "ppp_int.h"

static void
cli_fail(struct ppp *s, uint32_t error, const char *msg, size_t mlen)
{
	struct auth_state *a = &s->auth;
	char etext[48], mbuf[AUTH_PRINT_MAX * 4 + 1];
	struct sbuf sb;

	auth_give_up(a);
	sbuf_init(&sb, mbuf, sizeof(mbuf));
	sbuf_escaped(&sb, msg, mlen < AUTH_PRINT_MAX ? mlen : AUTH_PRINT_MAX);
	ppp_log(s, "auth: %s result=failure E=%u M=\"%s\"",
	    auth_method_name(a->method), error, sbuf_str(&sb));
	if (error != 0)
		ppp_fail(s, PPP_DOWN_AUTH_FAILED, error,
		    "authentication failed: E=%u (%s) M=\"%s\"", error,
		    auth_error_text(error, etext, sizeof(etext)),
		    sbuf_str(&sb));
	else
		ppp_fail(s, PPP_DOWN_AUTH_FAILED, 0,
		    "authentication failed: %s M=\"%s\"",
		    a->method == PPP_AUTH_PAP ? "PAP Authenticate-Nak" :
		    "CHAP Failure", sbuf_str(&sb));
}

/* Our own password unusable for the method (bad UTF-8, too long). */
static void
cli_bad_password(struct ppp *s, int err)
{
	auth_give_up(&s->auth);
	ppp_fail(s, PPP_DOWN_AUTH_FAILED, 0,
	    "our password cannot be used with %s: %s",
	    auth_method_name(s->auth.method), err_str(err));
}

void
auth_cli_pap_send(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	struct pap_msg m = {
		.code = PAP_AUTH_REQ,
		.peer_id = (const uint8_t *)a->user, .peer_id_len = a->user_len,
		.passwd = (const uint8_t *)s->cfg.password,
		.passwd_len = strnlen(s->cfg.password, PPP_SECRET_MAX),
	};
	int ret;

	/* RFC 1334 2.2.1: a new Identifier on each transmission */
	a->id = (uint8_t)(a->id + 1);
	m.id = a->id;
	secret_wipe(a->tx_pkt, sizeof(a->tx_pkt));
	a->tx_proto = PPP_PAP;
	if ((ret = auth_pap_build(a->tx_pkt, sizeof(a->tx_pkt), &a->tx_len,
	    &m)) != 0) {
		cli_bad_password(s, ret);
		return;
	}
	auth_tx_send(s, now);
}

/* Builds and sends the Response to a->challenge with Identifier a->id. */
static void
cli_chap_respond(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	const char *pw = s->cfg.password, *u;
	size_t plen = strnlen(pw, PPP_SECRET_MAX), ulen;
	uint8_t value[MSCHAPV2_RESPONSE_LEN], nt_hash[16];
	struct chap_msg m = {
		.code = CHAP_RESPONSE, .id = a->id, .value = value,
		.name = (const uint8_t *)a->user, .name_len = a->user_len,
	};
	struct mschapv1_response r1;
	struct mschapv2_response r2;
	struct wr w;
	int ret = 0;

	wr_init(&w, value, sizeof(value));
	switch (a->method) {
	case PPP_AUTH_CHAP_MD5:
		chap_md5_response(a->id, pw, plen, a->challenge,
		    a->challenge_len, value);
		m.value_len = CHAP_MD5_RESPONSE_LEN;
		break;
	case PPP_AUTH_MSCHAPV1:
		/* RFC 2433 3: LM-Response zero (as Windows), NT, Flags 1 */
		memset(&r1, 0, sizeof(r1));
		ret = mschapv1_nt_response(a->challenge, pw, plen, r1.nt);
		r1.flags = MSCHAPV1_FLAG_USE_NT;
		memcpy(a->nt_response, r1.nt, sizeof(r1.nt));
		if (ret == 0)
			ret = mschapv1_response_encode(&w, &r1);
		m.value_len = wr_len(&w);
		break;
	default:
		/* RFC 2759 4 and 8.1: hash the name without "DOMAIN\" */
		memset(&r2, 0, sizeof(r2));
		ppp_random(s, a->peer_challenge, sizeof(a->peer_challenge));
		memcpy(r2.peer_challenge, a->peer_challenge, 16);
		if ((ret = mschap_nt_password_hash(pw, plen, nt_hash)) == 0) {
			auth_user_nodomain(a, &u, &ulen);
			mschapv2_generate_nt_response(a->challenge,
			    a->peer_challenge, u, ulen, nt_hash,
			    r2.nt_response);
			memcpy(a->nt_response, r2.nt_response, 24);
			ret = mschapv2_response_encode(&w, &r2);
		}
		secret_wipe(nt_hash, sizeof(nt_hash));
		m.value_len = wr_len(&w);
		break;
	}
	auth_stop_tx(a);
	if (ret == 0)
		ret = auth_chap_build(a->tx_pkt, sizeof(a->tx_pkt),
		    &a->tx_len, &m);
	if (ret != 0) {
		cli_bad_password(s, ret);
		return;
	}
	a->tx_proto = PPP_CHAP;
	/* Resent on the restart timer until a result comes: the
	 * authenticator stops resending its Challenge once it has a
	 * Response, so a lost Success would otherwise hang the link, and it
	 * must take repeated Responses (RFC 1994 4.2).  An MS-CHAP retry has
	 * no Challenge at all to prompt it (RFC 2759 6). */
	auth_tx_send(s, now);
}

/* Stores the MPPE key inputs of the client and ends the phase. */
static void
cli_done(struct ppp *s, const char *msg, size_t mlen)
{
	struct auth_state *a = &s->auth;
	const char *pw = s->cfg.password;
	size_t plen = strnlen(pw, PPP_SECRET_MAX);
	char esc[AUTH_ESC_MAX], mbuf[AUTH_PRINT_MAX * 4 + 1];
	uint8_t nt_hash[16];
	struct sbuf sb;

	if (auth_is_mschap(a->method) &&
	    mschap_nt_password_hash(pw, plen, nt_hash) == 0) {
		mschap_hash_nt_password_hash(nt_hash, a->pw_hash_hash);
		a->have_keys = true;
		if (a->method == PPP_AUTH_MSCHAPV1) {
			memcpy(a->v1_challenge, a->challenge, 8);
			a->have_lm_hash = mschap_lm_password_hash(pw, plen,
			    a->lm_hash) == 0;
		}
	}
	secret_wipe(nt_hash, sizeof(nt_hash));
	a->step = AUTH_DONE;
	a->done = true;
	auth_stop_tx(a);
	sbuf_init(&sb, mbuf, sizeof(mbuf));
	sbuf_escaped(&sb, msg, mlen < AUTH_PRINT_MAX ? mlen : AUTH_PRINT_MAX);
	ppp_log(s, "auth: %s user=\"%s\" result=success M=\"%s\"",
	    auth_method_name(a->method), auth_user_esc(a, esc, sizeof(esc)),
	    sbuf_str(&sb));
	ppp_auth_done(s);
}

/* RFC 2759 5 and 9.1.2: the server must prove it knows the password. */
static void
cli_success_v2(struct ppp *s, const struct chap_msg *m)
{
	struct auth_state *a = &s->auth;
	const char *msg = (const char *)m->message, *u;
	size_t mlen = m->message_len, ulen;
	uint8_t nt_hash[16];
	int ret;

	while (mlen > 0 && msg[mlen - 1] == '\0')
		mlen--;		/* some servers count a NUL */
	ret = mschap_nt_password_hash(s->cfg.password,
	    strnlen(s->cfg.password, PPP_SECRET_MAX), nt_hash);
	if (ret == 0) {
		auth_user_nodomain(a, &u, &ulen);
		ret = mschapv2_check_authenticator_response(nt_hash,
		    a->nt_response, a->peer_challenge, a->challenge, u, ulen,
		    msg, mlen);
	}
	secret_wipe(nt_hash, sizeof(nt_hash));
	if (ret != 0) {
		auth_give_up(a);
		ppp_log(s, "auth: mschapv2 result=refused: the server's "
		    "authenticator response is %s",
		    ret == ERR_AUTH ? "wrong" : "missing or malformed");
		ppp_fail(s, PPP_DOWN_AUTH_FAILED, 0, "server's MS-CHAPv2 "
		    "authenticator response is %s: not the real server or a "
		    "different password",
		    ret == ERR_AUTH ? "wrong" : "missing or malformed");
		return;
	}
	/* log only the M= part */
	if (mlen > MSCHAPV2_AUTH_STR_LEN + 3)
		cli_done(s, msg + MSCHAPV2_AUTH_STR_LEN + 3,
		    mlen - MSCHAPV2_AUTH_STR_LEN - 3);
	else
		cli_done(s, "", 0);
}

static void
cli_failure(struct ppp *s, uint64_t now, const struct chap_msg *m)
{
	struct auth_state *a = &s->auth;
	struct mschap_failure f;
	char esc[AUTH_ESC_MAX];

	if (!auth_is_mschap(a->method)) {
		cli_fail(s, 0, (const char *)m->message, m->message_len);
		return;
	}
	if (mschap_failure_parse(m->message, m->message_len, &f) != 0) {
		cli_fail(s, MSCHAP_ERROR_AUTHENTICATION_FAILURE,
		    (const char *)m->message, m->message_len);
		return;
	}
	/* RFC 2759 6: retry with C= and Identifier + 1; a password that
	 * expired (648) would need Change-Password, which we do not do */
	if (f.retry && f.has_challenge &&
	    f.challenge_len == auth_challenge_len(a->method) &&
	    f.error != MSCHAP_ERROR_PASSWD_EXPIRED &&
	    a->attempts < s->cfg.auth_retries) {
		a->attempts++;
		ppp_log(s, "auth: %s user=\"%s\" result=failure E=%u; retry "
		    "%u/%u", auth_method_name(a->method),
		    auth_user_esc(a, esc, sizeof(esc)), f.error, a->attempts,
		    s->cfg.auth_retries);
		memcpy(a->challenge, f.challenge, f.challenge_len);
		a->challenge_len = f.challenge_len;
		a->id = (uint8_t)(m->id + 1);
		cli_chap_respond(s, now);
		return;
	}
	cli_fail(s, f.error, f.has_message ? f.message : "",
	    f.has_message ? strlen(f.message) : 0);
}

int
auth_cli_chap_input(struct ppp *s, uint64_t now, const struct chap_msg *m)
{
	struct auth_state *a = &s->auth;

	switch (m->code) {
	case CHAP_CHALLENGE:
		/* a repeated Challenge: the Response was lost */
		if (a->tx_len != 0 && m->id == a->id &&
		    (a->step == AUTH_WAIT || a->step == AUTH_DONE)) {
			ppp_send_proto(s, PPP_CHAP, a->tx_pkt, a->tx_len);
			return 0;
		}
		if (a->step != AUTH_WAIT)
			return ERR_STATE; /* no re-challenge (RFC 1994 4) */
		if ((a->method == PPP_AUTH_MSCHAPV1 &&
		    m->value_len != MSCHAPV1_CHALLENGE_LEN) ||
		    (a->method == PPP_AUTH_MSCHAPV2 &&
		    m->value_len != MSCHAPV2_CHALLENGE_LEN)) {
			ppp_log(s, "auth: %s challenge id=%u of %zu octets "
			    "ignored", auth_method_name(a->method), m->id,
			    m->value_len);
			return ERR_LENGTH;
		}
		memcpy(a->challenge, m->value, m->value_len);
		a->challenge_len = m->value_len;
		a->id = m->id;
		cli_chap_respond(s, now);
		return 0;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		if (a->step != AUTH_WAIT || a->tx_len == 0)
			return ERR_STATE;
		if (m->id != a->id)
			return ERR_STALE;
		if (m->code == CHAP_FAILURE)
			cli_failure(s, now, m);
		else if (a->method == PPP_AUTH_MSCHAPV2)
			cli_success_v2(s, m);
		else
			cli_done(s, (const char *)m->message, m->message_len);
		return 0;
	default:
		return ERR_STATE;
	}
}

int
auth_cli_pap_input(struct ppp *s, const struct pap_msg *m)
{
	struct auth_state *a = &s->auth;

	if (m->code != PAP_AUTH_ACK && m->code != PAP_AUTH_NAK)
		return ERR_STATE;
	if (a->step != AUTH_WAIT || a->tx_len == 0)
		return ERR_STATE;
	/* an answer to any of our transmissions */
	if ((uint8_t)(a->id - m->id) >= a->tx_count)
		return ERR_STALE;
	if (m->code == PAP_AUTH_ACK)
		cli_done(s, (const char *)m->message, m->message_len);
	else
		cli_fail(s, 0, (const char *)m->message, m->message_len);
	return 0;
}

void
auth_cli_start(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	char esc[AUTH_ESC_MAX];

	a->step = AUTH_WAIT;
	auth_set_user(a, s->cfg.user, strnlen(s->cfg.user, PPP_NAME_MAX));
	if (a->method != PPP_AUTH_PAP)
		return;		/* RFC 1994 4: the authenticator speaks first */
	ppp_log(s, "auth: WARNING pap: sending the password of user=\"%s\" "
	    "in the clear; prefer MS-CHAPv2",
	    auth_user_esc(a, esc, sizeof(esc)));
	ppp_random(s, &a->id, 1);
	auth_cli_pap_send(s, now);
}


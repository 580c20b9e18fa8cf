/*
 * auth_server.c - the authenticator's side of the authentication phase:
 * PAP (RFC 1334 2.2), CHAP-MD5 (RFC 1994 4), MS-CHAPv1 (RFC 2433 3) and
 * MS-CHAPv2 (RFC 2759 4-6, 8): Challenges, the PPP_EV_AUTH_REQUEST /
 * ppp_auth_answer() round trip, verification, Success (with the RFC 2759
 * 8.7 authenticator response), Failure with retries.  See auth.h.
 */
#include <string.h>

#include "../base/secret.h"
#include "../crypto/mschap.h"
#include "../wire/ppp_auth.h"
#include "ppp_int.h"

static const char success_text[] = "Access granted";
static const char failure_text[] = "Authentication failure";

/* Stores a packet as the last result and sends it. */
static void
result_send(struct ppp *s, uint16_t proto, uint8_t id, const uint8_t *pkt,
    size_t len)
{
	struct auth_state *a = &s->auth;

	memcpy(a->res_pkt, pkt, len);
	a->res_len = len;
	a->res_id = id;
	ppp_send_proto(s, proto, a->res_pkt, a->res_len);
}

static void
srv_send_challenge(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	struct chap_msg m = {
		.code = CHAP_CHALLENGE, .id = a->id,
		.value = a->challenge, .value_len = a->challenge_len,
		.name = (const uint8_t *)s->cfg.name,
		.name_len = strnlen(s->cfg.name, PPP_NAME_MAX),
	};

	auth_stop_tx(a);
	a->tx_proto = PPP_CHAP;
	if (auth_chap_build(a->tx_pkt, sizeof(a->tx_pkt), &a->tx_len,
	    &m) != 0) {
		/* cannot happen with our sizes; the phase timer ends it */
		a->tx_len = 0;
		return;
	}
	auth_tx_send(s, now);
}

static void
srv_new_challenge(struct ppp *s)
{
	struct auth_state *a = &s->auth;

	a->challenge_len = auth_challenge_len(a->method);
	ppp_random(s, a->challenge, a->challenge_len);
}

static void
srv_raise_request(struct ppp *s)
{
	struct auth_state *a = &s->auth;
	struct ppp_event ev;
	char esc[AUTH_ESC_MAX];
	const char *u;
	size_t ulen;

	a->step = AUTH_PENDING;
	a->pending = true;
	a->attempts++;
	auth_stop_tx(a);		/* the Challenge was answered */
	ppp_log(s, "auth: %s request user=\"%s\" attempt=%u",
	    auth_method_name(a->method), auth_user_esc(a, esc, sizeof(esc)),
	    a->attempts);
	memset(&ev, 0, sizeof(ev));
	ev.type = PPP_EV_AUTH_REQUEST;
	ev.u.auth.method = a->method;
	memcpy(ev.u.auth.user, a->user, a->user_len + 1);
	mschap_split_domain(ev.u.auth.user, a->user_len, &u, &ulen);
	ev.u.auth.user_nodomain = u;
	/* The handler may answer at once (auth_answer runs inside): touch
	 * nothing after this. */
	ppp_emit(s, &ev);
}

/* Success, MS-CHAPv2 with the authenticator response auth_resp. */
static void
srv_success(struct ppp *s, const uint8_t *auth_resp)
{
	struct auth_state *a = &s->auth;
	uint8_t pkt[AUTH_PKT_MAX], msg[128];
	size_t len = 0;
	char esc[AUTH_ESC_MAX];
	struct wr w;
	int ret;

	if (a->method == PPP_AUTH_PAP) {
		struct pap_msg m = {
			.code = PAP_AUTH_ACK, .id = a->id,
			.message = (const uint8_t *)"Login ok",
			.message_len = 8,
		};

		ret = auth_pap_build(pkt, sizeof(pkt), &len, &m);
	} else {
		struct chap_msg m = { .code = CHAP_SUCCESS, .id = a->id };

		wr_init(&w, msg, sizeof(msg));
		if (a->method == PPP_AUTH_MSCHAPV2)
			ret = mschapv2_success_format(&w, auth_resp,
			    success_text);
		else
			ret = wr_bytes(&w, success_text,
			    sizeof(success_text) - 1);
		m.message = msg;
		m.message_len = wr_len(&w);
		if (ret == 0)
			ret = auth_chap_build(pkt, sizeof(pkt), &len, &m);
	}
	a->step = AUTH_DONE;
	a->done = true;
	a->pending = false;
	auth_wipe_pap(a);
	auth_stop_tx(a);
	if (ret == 0)
		result_send(s, a->method == PPP_AUTH_PAP ? PPP_PAP : PPP_CHAP,
		    a->id, pkt, len);
	ppp_log(s, "auth: %s user=\"%s\" result=success%s",
	    auth_method_name(a->method), auth_user_esc(a, esc, sizeof(esc)),
	    a->keys_given ? " mppe-keys=given" : "");
	ppp_auth_done(s);
}

/* A rejected attempt: Failure (with a retry for MS-CHAP E=691 while
 * attempts remain) or Authenticate-Nak, then the end. */
static void
srv_failure(struct ppp *s, uint32_t error, const char *why)
{
	struct auth_state *a = &s->auth;
	uint8_t pkt[AUTH_PKT_MAX], msg[160];
	size_t len = 0;
	char esc[AUTH_ESC_MAX], etext[48];
	bool retry = auth_is_mschap(a->method) &&
	    error == MSCHAP_ERROR_AUTHENTICATION_FAILURE &&
	    a->attempts < AUTH_SERVER_ATTEMPTS;
	struct wr w;
	int ret;

	a->pending = false;
	auth_wipe_pap(a);
	if (a->method == PPP_AUTH_PAP) {
		struct pap_msg m = {
			.code = PAP_AUTH_NAK, .id = a->id,
			.message = (const uint8_t *)"Login incorrect",
			.message_len = 15,
		};

		ret = auth_pap_build(pkt, sizeof(pkt), &len, &m);
	} else {
		struct chap_msg m = { .code = CHAP_FAILURE, .id = a->id };

		wr_init(&w, msg, sizeof(msg));
		if (auth_is_mschap(a->method)) {
			/* RFC 2759 6: a new challenge for the retry in C= */
			struct mschap_failure f = {
				.error = error, .has_retry = true,
				.retry = retry, .has_challenge = true,
			};

			srv_new_challenge(s);
			f.challenge_len = a->challenge_len;
			memcpy(f.challenge, a->challenge, a->challenge_len);
			if (a->method == PPP_AUTH_MSCHAPV2) {
				f.has_version = true;
				f.version = 3;
				f.has_message = true;
				memcpy(f.message, failure_text,
				    sizeof(failure_text));
			}
			ret = mschap_failure_format(&w, &f);
		} else {
			ret = wr_bytes(&w, failure_text,
			    sizeof(failure_text) - 1);
		}
		m.message = msg;
		m.message_len = wr_len(&w);
		if (ret == 0)
			ret = auth_chap_build(pkt, sizeof(pkt), &len, &m);
	}
	if (ret == 0)
		result_send(s, a->method == PPP_AUTH_PAP ? PPP_PAP : PPP_CHAP,
		    a->id, pkt, len);
	ppp_log(s, "auth: %s user=\"%s\" result=failure E=%u attempt=%u/%u "
	    "reason=\"%s\"%s", auth_method_name(a->method),
	    auth_user_esc(a, esc, sizeof(esc)), error, a->attempts,
	    auth_is_mschap(a->method) ? AUTH_SERVER_ATTEMPTS : 1, why,
	    retry ? " retry=allowed" : "");
	if (retry) {
		/* RFC 2759 6: the retry Response carries Identifier + 1 */
		a->step = AUTH_RETRY;
		a->id = (uint8_t)(a->id + 1);
		return;
	}
	auth_give_up(a);
	ppp_fail(s, PPP_DOWN_AUTH_FAILED, error,
	    "authentication failed for user \"%s\": E=%u (%s)",
	    auth_user_esc(a, esc, sizeof(esc)), error,
	    auth_error_text(error, etext, sizeof(etext)));
}

/* The NT password hash from the answer: given, or from the password. */
static int
answer_nt_hash(const struct ppp_auth_answer *ans, uint8_t nt_hash[16])
{
	if (ans->password != NULL)
		return mschap_nt_password_hash(ans->password,
		    strlen(ans->password), nt_hash);
	if (ans->has_nt_hash) {
		memcpy(nt_hash, ans->nt_hash, 16);
		return 0;
	}
	return ERR_INVAL;
}

/*
 * Checks the stored Response against the answer's secret.  0 (and, for
 * MS-CHAP, the key inputs stored and the MS-CHAPv2 authenticator response
 * in auth_resp), ERR_AUTH when it does not verify, ERR_INVAL when the
 * answer cannot verify this method.
 */
static int
srv_verify(struct ppp *s, const struct ppp_auth_answer *ans,
    uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN])
{
	struct auth_state *a = &s->auth;
	uint8_t nt_hash[16];
	const char *u;
	size_t ulen, plen;
	int ret;

	switch (a->method) {
	case PPP_AUTH_PAP:
		if (ans->password != NULL) {
			/* constant time over the (public) length */
			plen = strlen(ans->password);
			return plen == a->pap_pw_len &&
			    secret_eq(ans->password, a->pap_pw, plen) ?
			    0 : ERR_AUTH;
		}
		if ((ret = mschap_nt_password_hash((const char *)a->pap_pw,
		    a->pap_pw_len, nt_hash)) == 0)
			ret = secret_eq(nt_hash, ans->nt_hash, 16) ?
			    0 : ERR_AUTH;
		secret_wipe(nt_hash, sizeof(nt_hash));
		return ret == 0 ? 0 : ERR_AUTH;
	case PPP_AUTH_CHAP_MD5:
		if (ans->password == NULL)
			return ERR_INVAL;	/* no MD5 from an NT hash */
		return chap_md5_verify(a->id, ans->password,
		    strlen(ans->password), a->challenge, a->challenge_len,
		    a->md5_response, sizeof(a->md5_response)) == 0 ?
		    0 : ERR_AUTH;
	default:
		break;
	}
	if (answer_nt_hash(ans, nt_hash) != 0) {
		secret_wipe(nt_hash, sizeof(nt_hash));
		return ERR_INVAL;	/* the given password is unusable */
	}
	if (a->method == PPP_AUTH_MSCHAPV1) {
		/* RFC 2433 3: only the NT-Response is checked; an LM-only
		 * Response (Flags 0) is refused */
		ret = (a->v1_flags & MSCHAPV1_FLAG_USE_NT) ?
		    mschapv1_verify_response(nt_hash, a->challenge,
		    a->nt_response) : ERR_AUTH;
		if (ret == 0)
			memcpy(a->v1_challenge, a->challenge,
			    sizeof(a->v1_challenge));
	} else {
		/* RFC 2759 8.2: UserName without the domain */
		auth_user_nodomain(a, &u, &ulen);
		ret = mschapv2_verify_response(nt_hash, a->challenge,
		    a->peer_challenge, u, ulen, a->nt_response);
		if (ret == 0)
			mschapv2_generate_authenticator_response(nt_hash,
			    a->nt_response, a->peer_challenge, a->challenge,
			    u, ulen, auth_resp, NULL);
	}
	if (ret == 0) {
		/* RFC 3079: the key inputs */
		mschap_hash_nt_password_hash(nt_hash, a->pw_hash_hash);
		a->have_keys = true;
		if (ans->password != NULL && a->method == PPP_AUTH_MSCHAPV1)
			a->have_lm_hash = mschap_lm_password_hash(ans->password,
			    strlen(ans->password), a->lm_hash) == 0;
	}
	secret_wipe(nt_hash, sizeof(nt_hash));
	return ret == 0 ? 0 : ERR_AUTH;
}

int
auth_answer(struct ppp *s, uint64_t now, const struct ppp_auth_answer *ans)
{
	struct auth_state *a = &s->auth;
	uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN];
	int ret;

	(void)now;
	if (!a->server || a->step != AUTH_PENDING || ans == NULL)
		return ERR_STATE;
	if (s->phase != PPP_PHASE_AUTHENTICATE) {
		/* the session is ending for another reason */
		a->pending = false;
		auth_wipe_pap(a);
		return ERR_STATE;
	}
	if (!ans->accept) {
		srv_failure(s, ans->mschap_error ? ans->mschap_error :
		    MSCHAP_ERROR_AUTHENTICATION_FAILURE, "rejected");
		return 0;
	}
	if (ans->verified) {
		/* RADIUS: MS-CHAP2-Success and MS-MPPE-*-Key */
		if (ans->has_mppe_keys) {
			memcpy(a->send_key, ans->mppe_send_key, 16);
			memcpy(a->recv_key, ans->mppe_recv_key, 16);
			a->keys_given = true;
		}
		srv_success(s, ans->auth_response);
		return 0;
	}
	if (ans->password == NULL && !ans->has_nt_hash) {
		srv_failure(s, MSCHAP_ERROR_AUTHENTICATION_FAILURE,
		    "the answer carried no secret");
		return ERR_INVAL;
	}
	memset(auth_resp, 0, sizeof(auth_resp));
	ret = srv_verify(s, ans, auth_resp);
	if (ret == 0) {
		srv_success(s, auth_resp);
		return 0;
	}
	srv_failure(s, MSCHAP_ERROR_AUTHENTICATION_FAILURE,
	    ret == ERR_AUTH ? "the response does not verify" :
	    "the secret cannot check this method");
	return ret == ERR_INVAL ? ERR_INVAL : 0;
}

/* Copies a peer's name; refuses one too long or with a NUL in it. */
static int
take_name(struct auth_state *a, const uint8_t *name, size_t len)
{
	if (len > PPP_NAME_MAX || (len > 0 && memchr(name, 0, len) != NULL))
		return ERR_FORMAT;
	auth_set_user(a, name, len);
	return 0;
}

static int
srv_chap_response(struct ppp *s, const struct chap_msg *m)
{
	struct auth_state *a = &s->auth;
	struct mschapv1_response r1;
	struct mschapv2_response r2;
	int ret;

	switch (a->method) {
	case PPP_AUTH_CHAP_MD5:
		ret = chap_md5_response_decode(m->value, m->value_len,
		    a->md5_response);
		break;
	case PPP_AUTH_MSCHAPV1:
		if ((ret = mschapv1_response_decode(m->value, m->value_len,
		    &r1)) == 0) {
			memcpy(a->nt_response, r1.nt, sizeof(r1.nt));
			a->v1_flags = r1.flags;
		}
		break;
	default:
		if ((ret = mschapv2_response_decode(m->value, m->value_len,
		    &r2)) == 0) {
			memcpy(a->peer_challenge, r2.peer_challenge, 16);
			memcpy(a->nt_response, r2.nt_response, 24);
		}
		break;
	}
	if (ret == 0)
		ret = take_name(a, m->name, m->name_len);
	if (ret != 0) {
		ppp_log(s, "auth: %s response id=%u malformed: %s",
		    auth_method_name(a->method), m->id, err_str(ret));
		return ret;
	}
	srv_raise_request(s);
	return 0;
}

int
auth_srv_chap_input(struct ppp *s, const struct chap_msg *m)
{
	struct auth_state *a = &s->auth;

	if (m->code == CHAP_CHANGE_PASSWORD) {
		ppp_log(s, "auth: peer sent MS-CHAPv2 Change-Password: "
		    "not supported");
		return ERR_UNSUPPORTED;
	}
	if (m->code != CHAP_RESPONSE)
		return ERR_STATE;
	/* RFC 1994 4.2: the peer lost our result; repeat it */
	if ((a->step == AUTH_DONE || a->step == AUTH_RETRY) &&
	    a->res_len != 0 && m->id == a->res_id) {
		ppp_send_proto(s, PPP_CHAP, a->res_pkt, a->res_len);
		return 0;
	}
	if ((a->step != AUTH_WAIT && a->step != AUTH_RETRY) || m->id != a->id)
		return ERR_STALE;
	return srv_chap_response(s, m);
}

int
auth_srv_pap_input(struct ppp *s, const struct pap_msg *m)
{
	struct auth_state *a = &s->auth;
	char esc[AUTH_ESC_MAX];
	int ret;

	if (m->code != PAP_AUTH_REQ)
		return ERR_STATE;
	switch (a->step) {
	case AUTH_WAIT:
		if ((ret = take_name(a, m->peer_id, m->peer_id_len)) != 0) {
			ppp_log(s, "auth: pap request id=%u malformed: %s",
			    m->id, err_str(ret));
			return ret;
		}
		a->id = m->id;
		if (m->passwd_len != 0)
			memcpy(a->pap_pw, m->passwd, m->passwd_len);
		a->pap_pw_len = m->passwd_len;
		ppp_log(s, "auth: WARNING pap: the password of user=\"%s\" "
		    "crossed the link in the clear; prefer MS-CHAPv2",
		    auth_user_esc(a, esc, sizeof(esc)));
		srv_raise_request(s);
		return 0;
	case AUTH_PENDING:
		/* a retransmission (RFC 1334: a new Identifier each time):
		 * the verdict answers the latest */
		a->id = m->id;
		return ERR_STALE;
	case AUTH_DONE:
		/* the peer lost our Ack: Ack again, with its Identifier */
		if (a->res_len >= 2) {
			a->res_pkt[1] = m->id;
			a->res_id = m->id;
			ppp_send_proto(s, PPP_PAP, a->res_pkt, a->res_len);
		}
		return 0;
	default:
		return ERR_STATE;
	}
}

void
auth_srv_start(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;

	a->step = AUTH_WAIT;
	if (a->method == PPP_AUTH_PAP)
		return;		/* RFC 1334 2.1: the peer speaks first */
	ppp_random(s, &a->id, 1);
	srv_new_challenge(s);
	srv_send_challenge(s, now);
}


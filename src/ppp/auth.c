/*
 * auth.c - the authentication phase (RFC 1661 3.5): the entry points both
 * roles share (start, demux, timers), the MPPE start keys the MS-CHAP
 * exchange leaves behind (RFC 3079 2 and 3), and the helpers of
 * auth_server.c (the authenticator: RFC 1334 2, RFC 1994 4, RFC 2433 3,
 * RFC 2759 4-6) and auth_client.c (the peer, the same sections and RFC 2759
 * 9.1).  Behaviour and contracts are in auth.h; packets are laid out by
 * src/wire/ppp_auth.h and the hashes computed by src/crypto/mschap.h and
 * mppe_keys.h.
 */
#include <stdio.h>
#include <string.h>

#include "../base/secret.h"
#include "../crypto/mppe_keys.h"
#include "../crypto/mschap.h"
#include "../wire/ppp_auth.h"
#include "ppp_int.h"

#define AUTH_RESTART_MS_DEFAULT	3000
#define AUTH_MAX_TX_DEFAULT	10
#define AUTH_TIMEOUT_MS_DEFAULT	30000

/* --- small helpers --- */

uint32_t
auth_restart_ms(const struct ppp *s)
{
	return s->cfg.fsm.restart_ms ? s->cfg.fsm.restart_ms :
	    AUTH_RESTART_MS_DEFAULT;
}

static unsigned
max_tx(const struct ppp *s)
{
	return s->cfg.fsm.max_configure ? s->cfg.fsm.max_configure :
	    AUTH_MAX_TX_DEFAULT;
}

const char *
auth_method_name(unsigned method)
{
	switch (method) {
	case PPP_AUTH_PAP:	return "pap";
	case PPP_AUTH_CHAP_MD5:	return "chap-md5";
	case PPP_AUTH_MSCHAPV1:	return "mschapv1";
	case PPP_AUTH_MSCHAPV2:	return "mschapv2";
	default:		return "none";
	}
}

bool
auth_is_mschap(unsigned method)
{
	return method == PPP_AUTH_MSCHAPV1 || method == PPP_AUTH_MSCHAPV2;
}

/* Length of the challenge the authenticator sends for a method. */
size_t
auth_challenge_len(unsigned method)
{
	return method == PPP_AUTH_MSCHAPV1 ? MSCHAPV1_CHALLENGE_LEN :
	    MSCHAPV2_CHALLENGE_LEN;	/* CHAP-MD5 too (RFC 1994: any) */
}

/* "password expired" for 648: mschap_error_name() with spaces. */
const char *
auth_error_text(uint32_t error, char *buf, size_t cap)
{
	/* RFC 2759 6 / RFC 2433 3, in words a user reads */
	static const struct {
		uint32_t	 e;
		const char	*text;
	} tab[] = {
		{ MSCHAP_ERROR_RESTRICTED_LOGON_HOURS,
		    "restricted logon hours" },
		{ MSCHAP_ERROR_ACCT_DISABLED, "account disabled" },
		{ MSCHAP_ERROR_PASSWD_EXPIRED, "password expired" },
		{ MSCHAP_ERROR_NO_DIALIN_PERMISSION, "no dial-in permission" },
		{ MSCHAP_ERROR_AUTHENTICATION_FAILURE,
		    "authentication failure" },
		{ MSCHAP_ERROR_CHANGING_PASSWORD, "error changing password" },
	};
	const char *n = "unknown error";
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].e == error)
			n = tab[i].text;
	snprintf(buf, cap, "%s", n);
	return buf;
}

/* The user name (peer's or ours) escaped for a log line. */
const char *
auth_user_esc(const struct auth_state *a, char *buf, size_t cap)
{
	struct sbuf sb;

	sbuf_init(&sb, buf, cap);
	sbuf_escaped(&sb, a->user, a->user_len);
	return sbuf_str(&sb);
}

/* The user name past any "DOMAIN\", for ChallengeHash (RFC 2759 8.2). */
void
auth_user_nodomain(const struct auth_state *a, const char **u, size_t *ulen)
{
	mschap_split_domain(a->user, a->user_len, u, ulen);
}

void
auth_set_user(struct auth_state *a, const void *name, size_t len)
{
	if (len > PPP_NAME_MAX)
		len = PPP_NAME_MAX;
	if (len != 0)
		memcpy(a->user, name, len);
	a->user[len] = '\0';
	a->user_len = len;
}

void
auth_wipe_pap(struct auth_state *a)
{
	secret_wipe(a->pap_pw, sizeof(a->pap_pw));
	a->pap_pw_len = 0;
}

/* Forgets the packet being retransmitted (it may hold a PAP password). */
void
auth_stop_tx(struct auth_state *a)
{
	secret_wipe(a->tx_pkt, sizeof(a->tx_pkt));
	a->tx_len = 0;
	a->tx_count = 0;
	a->resend_at = UINT64_MAX;
}

static void
wipe_keys(struct auth_state *a)
{
	secret_wipe(a->send_key, sizeof(a->send_key));
	secret_wipe(a->recv_key, sizeof(a->recv_key));
	secret_wipe(a->pw_hash_hash, sizeof(a->pw_hash_hash));
	secret_wipe(a->nt_response, sizeof(a->nt_response));
	secret_wipe(a->lm_hash, sizeof(a->lm_hash));
	secret_wipe(a->v1_challenge, sizeof(a->v1_challenge));
	a->keys_given = a->have_keys = a->have_lm_hash = false;
}

/* Sends the stored packet and arms its retransmission. */
void
auth_tx_send(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;

	ppp_send_proto(s, a->tx_proto, a->tx_pkt, a->tx_len);
	a->tx_count++;
	a->resend_at = now + auth_restart_ms(s);
}

int
auth_chap_build(uint8_t *buf, size_t cap, size_t *len, const struct chap_msg *m)
{
	struct wr w;
	int ret;

	wr_init(&w, buf, cap);
	if ((ret = chap_msg_encode(&w, m)) != 0 || (ret = wr_error(&w)) != 0)
		return ret;
	*len = wr_len(&w);
	return 0;
}

int
auth_pap_build(uint8_t *buf, size_t cap, size_t *len, const struct pap_msg *m)
{
	struct wr w;
	int ret;

	wr_init(&w, buf, cap);
	if ((ret = pap_msg_encode(&w, m)) != 0 || (ret = wr_error(&w)) != 0)
		return ret;
	*len = wr_len(&w);
	return 0;
}

/* Ends the phase with a failure: nothing more is sent or taken. */
void
auth_give_up(struct auth_state *a)
{
	a->step = AUTH_FAILED;
	a->pending = false;
	auth_wipe_pap(a);
	auth_stop_tx(a);
}

/* --- both roles --- */

void
auth_init(struct ppp *s)
{
	struct auth_state *a = &s->auth;

	secret_wipe(a, sizeof(*a));
	a->deadline = UINT64_MAX;
	a->resend_at = UINT64_MAX;
	a->step = AUTH_IDLE;
	a->server = s->cfg.role == PPP_ROLE_SERVER;
}

void
auth_start(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	uint16_t proto;
	uint8_t alg;
	uint32_t ms = s->cfg.auth_timeout_ms ? s->cfg.auth_timeout_ms :
	    AUTH_TIMEOUT_MS_DEFAULT;

	auth_init(s);		/* RFC 1661 3.5: each LCP Opened anew */
	proto = a->server ? s->lcp.auth_proto : s->lcp.peer_auth_proto;
	alg = a->server ? s->lcp.auth_alg : s->lcp.peer_auth_alg;
	if (proto == PPP_PAP)
		a->method = PPP_AUTH_PAP;
	else if (proto == PPP_CHAP && alg == CHAP_ALG_MD5)
		a->method = PPP_AUTH_CHAP_MD5;
	else if (proto == PPP_CHAP && alg == CHAP_ALG_MSCHAP)
		a->method = PPP_AUTH_MSCHAPV1;
	else if (proto == PPP_CHAP && alg == CHAP_ALG_MSCHAPV2)
		a->method = PPP_AUTH_MSCHAPV2;
	if (a->method == 0) {
		a->step = AUTH_FAILED;
		ppp_fail(s, PPP_DOWN_AUTH_POLICY, 0, "no authentication "
		    "method for protocol 0x%04x algorithm 0x%02x", proto, alg);
		return;
	}
	a->deadline = now + ms;
	ppp_log(s, "auth: start role=%s method=%s",
	    a->server ? "server" : "client", auth_method_name(a->method));
	if (a->server)
		auth_srv_start(s, now);
	else
		auth_cli_start(s, now);
}

int
auth_input(struct ppp *s, uint64_t now, uint16_t proto, const uint8_t *pkt,
    size_t len)
{
	struct auth_state *a = &s->auth;
	struct rd r;
	int ret;

	if (a->step == AUTH_IDLE || a->step == AUTH_FAILED)
		return ERR_STATE;
	if ((proto == PPP_PAP) != (a->method == PPP_AUTH_PAP) ||
	    (proto != PPP_PAP && proto != PPP_CHAP))
		return ERR_STATE;
	rd_init(&r, pkt, len);
	if (proto == PPP_PAP) {
		struct pap_msg m;

		if ((ret = pap_msg_decode(&r, &m)) != 0)
			return ret;
		return a->server ? auth_srv_pap_input(s, &m) :
		    auth_cli_pap_input(s, &m);
	} else {
		struct chap_msg m;

		if ((ret = chap_msg_decode(&r, &m)) != 0)
			return ret;
		return a->server ? auth_srv_chap_input(s, &m) :
		    auth_cli_chap_input(s, now, &m);
	}
}

/* Timers run only in the Authenticate phase: once the session is ending
 * (ppp_fail from any part, LCP down) nothing more goes out. */
uint64_t
auth_deadline(const struct ppp *s)
{
	const struct auth_state *a = &s->auth;

	if (a->step == AUTH_IDLE || a->step == AUTH_DONE ||
	    a->step == AUTH_FAILED || s->phase != PPP_PHASE_AUTHENTICATE)
		return UINT64_MAX;
	return a->resend_at < a->deadline ? a->resend_at : a->deadline;
}

void
auth_timeout(struct ppp *s, uint64_t now)
{
	struct auth_state *a = &s->auth;
	char esc[AUTH_ESC_MAX];
	const char *what;

	if (a->step == AUTH_IDLE || a->step == AUTH_DONE ||
	    a->step == AUTH_FAILED || s->phase != PPP_PHASE_AUTHENTICATE)
		return;
	if (now >= a->deadline) {
		if (a->step == AUTH_PENDING)
			what = "no verdict from the credential check";
		else if (a->server)
			what = "no response from the peer";
		else if (a->tx_len == 0)
			what = "no challenge from the server";
		else
			what = "no result from the server";
		auth_give_up(a);
		ppp_log(s, "auth: %s user=\"%s\" result=timeout (%s)",
		    auth_method_name(a->method),
		    auth_user_esc(a, esc, sizeof(esc)), what);
		ppp_fail(s, PPP_DOWN_AUTH_TIMEOUT, 0,
		    "%s authentication timed out: %s",
		    auth_method_name(a->method), what);
		return;
	}
	if (now < a->resend_at || a->tx_len == 0)
		return;
	if (a->tx_count >= max_tx(s)) {
		auth_give_up(a);
		ppp_fail(s, PPP_DOWN_AUTH_TIMEOUT, 0,
		    "%s authentication: %s never answered (%u sent)",
		    auth_method_name(a->method), a->server ? "the peer" :
		    "the server", max_tx(s));
		return;
	}
	if (a->tx_proto == PPP_PAP && !a->server)
		auth_cli_pap_send(s, now);
	else
		auth_tx_send(s, now);
}

void
auth_stop(struct ppp *s)
{
	/* a new LCP Opened authenticates from the start; nothing of this
	 * one may leak into it (CCP holds its own copy of the keys) */
	auth_fini(s);
}

int
auth_mppe_keys(struct ppp *s, unsigned bits, uint8_t send[16],
    uint8_t recv[16])
{
	struct auth_state *a = &s->auth;
	int ret;

	memset(send, 0, 16);
	memset(recv, 0, 16);
	if (mppe_key_len(bits) == 0)
		return ERR_INVAL;
	if (!a->done)
		return ERR_STATE;
	if (a->keys_given) {
		memcpy(send, a->send_key, 16);
		memcpy(recv, a->recv_key, 16);
		return 0;
	}
	if (!a->have_keys)
		return ERR_STATE;	/* PAP, CHAP-MD5, RADIUS without keys */
	if (a->method == PPP_AUTH_MSCHAPV2)
		ret = mppe_keys_from_mschapv2(a->pw_hash_hash, a->nt_response,
		    a->server, bits, send, recv);
	else if (a->method == PPP_AUTH_MSCHAPV1)
		ret = mppe_keys_from_mschapv1(a->have_lm_hash ? a->lm_hash :
		    NULL, a->pw_hash_hash, a->v1_challenge, bits, send, recv);
	else
		return ERR_STATE;
	return ret == ERR_UNSUPPORTED ? ERR_STATE : ret;
}

void
auth_fini(struct ppp *s)
{
	struct auth_state *a = &s->auth;

	wipe_keys(a);
	auth_init(s);
}


/*
 * test_ppp_authphase.c - the authenticator's side of the authentication
 * phase (src/ppp/auth_server.c, auth.c) driven through the public API,
 * with a scripted client (ppp_tap.h) for PAP (RFC 1334 2), CHAP-MD5
 * (RFC 1994 4), MS-CHAPv1 (RFC 2433 3) and MS-CHAPv2 (RFC 2759 4-6, the
 * 9.2 vectors): right and wrong passwords, retries with Identifier + 1,
 * RADIUS verdicts, DOMAIN\user, timeouts, lost results, malformed
 * packets; and two real sessions whose RFC 3079 MPPE keys agree crosswise.
 * The client's side is in test_ppp_authphase_client.c.
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "ppp_tap.h"
#include "../src/crypto/mppe_keys.h"
#include "../src/crypto/mschap.h"
#include "../src/ppp/ppp_int.h"
#include "../src/wire/ppp_auth.h"

/* RFC 2759 9.2 */
static const char v2_auth_chal[] = "5B5D7C7D7B3F2F3E3C2C602132262628";
static const char v2_peer_chal[] = "21402324255E262A28295F2B3A337C7E";
static const char v2_nt_resp[] =
    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
static const char v2_s[] = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

static const struct ppp_auth_answer ans_pw = {
	.accept = true, .password = "clientPass",
	.local_ip = 0x0a000001, .peer_ip = 0x0a000002,
};

/* The scripted client's Response Value (49 or 16 octets) to chal. */
static size_t
client_value(unsigned method, uint8_t id, const uint8_t *chal, size_t clen,
    const char *user, const char *pw, const uint8_t pc[16], uint8_t *v)
{
	uint8_t h[16];
	const char *u;
	size_t ulen;

	switch (method) {
	case PPP_AUTH_CHAP_MD5:
		chap_md5_response(id, pw, strlen(pw), chal, clen, v);
		return 16;
	case PPP_AUTH_MSCHAPV1:
		memset(v, 0, 49);
		if (mschapv1_nt_response(chal, pw, strlen(pw), v + 24) != 0)
			return 0;
		v[48] = 1;
		return 49;
	default:
		memset(v, 0, 49);
		memcpy(v, pc, 16);
		if (mschap_nt_password_hash(pw, strlen(pw), h) != 0)
			return 0;
		mschap_split_domain(user, strlen(user), &u, &ulen);
		mschapv2_generate_nt_response(chal, pc, u, ulen, h, v + 24);
		return 49;
	}
}

/* Sends the scripted client's Response to chal (Identifier id), with the
 * RFC 2759 9.2 peer challenge for MS-CHAPv2. */
static int
client_answer(struct tap *t, unsigned method, uint8_t id, const uint8_t *chal,
    size_t clen, const char *user, const char *pw)
{
	uint8_t v[49], pkt[PPP_FRAME_MAX], pc[16];
	size_t vlen, n;

	t_unhex(v2_peer_chal, pc, 16);
	vlen = client_value(method, id, chal, clen, user, pw, pc, v);
	n = tap_chap_pkt(pkt, CHAP_RESPONSE, id, v, vlen, user);
	return tap_in(t, PPP_CHAP, pkt, n);
}

/* --- server side --- */

/* A server for method, up to the Challenge (CHAP) or its wait (PAP). */
static struct tap *
server_up(unsigned method, struct chap_msg *chal)
{
	struct ppp_config c = tap_config(PPP_ROLE_SERVER, method);
	struct tap *t = tap_new(&c, 7);

	tap_up(t, NULL, 0);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_AUTHENTICATE);
	CHECK_EQ(t->s->auth.method, method);
	if (method != PPP_AUTH_PAP) {
		CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), chal));
		CHECK_EQ(chal->code, CHAP_CHALLENGE);
		CHECK_EQ(chal->value_len,
		    method == PPP_AUTH_MSCHAPV1 ? 8 : 16);
		CHECK(chal->name_len == 3 && !memcmp(chal->name, "srv", 3));
	}
	return t;
}

static void
server_right_password(unsigned method)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct pap_msg pm, pr = { .code = PAP_AUTH_REQ, .id = 9,
	    .peer_id = (const uint8_t *)"User", .peer_id_len = 4,
	    .passwd = (const uint8_t *)"clientPass", .passwd_len = 10 };
	uint8_t chal[16], pkt[600], send[16], recv[16], ar[20];
	struct wr w;

	t = server_up(method, &ch);
	if (method == PPP_AUTH_PAP) {
		wr_init(&w, pkt, sizeof(pkt));
		CHECK_OK(pap_msg_encode(&w, &pr));
		CHECK_OK(tap_in(t, PPP_PAP, pkt, wr_len(&w)));
		CHECK(tap_logs_contain(t, "WARNING pap"));
	} else {
		memcpy(chal, ch.value, ch.value_len);
		CHECK_OK(client_answer(t, method, ch.id, chal, ch.value_len,
		    "User", "clientPass"));
	}
	CHECK_EQ(t->n_req, 1);
	CHECK_EQ(t->req_method, method);
	CHECK_STR(t->req_user, "User");
	CHECK(t->s->auth.pending);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_AUTHENTICATE);
	CHECK_OK(ppp_auth_answer(t->s, t->now, &ans_pw));
	CHECK_ERR(ppp_auth_answer(t->s, t->now, &ans_pw), ERR_STATE);
	if (method == PPP_AUTH_PAP) {
		CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &pm));
		CHECK_EQ(pm.code, PAP_AUTH_ACK);
		CHECK_EQ(pm.id, 9);
	} else {
		CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
		CHECK_EQ(m.code, CHAP_SUCCESS);
		CHECK_EQ(m.id, ch.id);
	}
	if (method == PPP_AUTH_MSCHAPV2) {
		uint8_t h[16], pc[16];

		CHECK_OK(mschapv2_success_parse(m.message, m.message_len, ar,
		    NULL, 0));
		CHECK_OK(mschap_nt_password_hash("clientPass", 10, h));
		t_unhex(v2_peer_chal, pc, 16);
		uint8_t v[49];
		client_value(method, ch.id, chal, 16, "User", "clientPass",
		    pc, v);
		CHECK_OK(mschapv2_check_authenticator_response(h, v + 24, pc,
		    chal, "User", 4, (const char *)m.message, m.message_len));
		CHECK(m.message_len > 45 &&
		    !memcmp(m.message + 42, " M=Access granted", 17));
	}
	CHECK_EQ(t->n_ok, 1);
	CHECK_EQ(t->ok_method, method);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	CHECK(t->s->auth.done);
	CHECK(tap_logs_contain(t, "result=success"));
	CHECK(!tap_logs_contain(t, "clientPass"));
	if (method == PPP_AUTH_MSCHAPV2 || method == PPP_AUTH_MSCHAPV1)
		CHECK_OK(auth_mppe_keys(t->s, 128, send, recv));
	else
		CHECK_ERR(auth_mppe_keys(t->s, 128, send, recv), ERR_STATE);
	CHECK_EQ(t->n_down, 0);
	tap_free(t);
}

TEST(server_right_password_each_method)
{
	server_right_password(PPP_AUTH_PAP);
	server_right_password(PPP_AUTH_CHAP_MD5);
	server_right_password(PPP_AUTH_MSCHAPV1);
	server_right_password(PPP_AUTH_MSCHAPV2);
}

/* Wrong password every time: Failure E=691 (R=1 while attempts remain for
 * MS-CHAP, with a new challenge and Identifier + 1), then the end. */
static void
server_wrong_password(unsigned method)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct mschap_failure f;
	struct pap_msg pm, pr = { .code = PAP_AUTH_REQ, .id = 3,
	    .peer_id = (const uint8_t *)"User", .peer_id_len = 4,
	    .passwd = (const uint8_t *)"guess", .passwd_len = 5 };
	uint8_t chal[16], pkt[600], id;
	size_t clen;
	unsigned i, tries = (method == PPP_AUTH_MSCHAPV1 ||
	    method == PPP_AUTH_MSCHAPV2) ? AUTH_SERVER_ATTEMPTS : 1;
	struct wr w;

	t = server_up(method, &ch);
	t->auto_answer = true;
	t->answer = ans_pw;
	if (method == PPP_AUTH_PAP) {
		wr_init(&w, pkt, sizeof(pkt));
		CHECK_OK(pap_msg_encode(&w, &pr));
		CHECK_OK(tap_in(t, PPP_PAP, pkt, wr_len(&w)));
		CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &pm));
		CHECK_EQ(pm.code, PAP_AUTH_NAK);
		CHECK_EQ(pm.id, 3);
	} else {
		id = ch.id;
		clen = ch.value_len;
		memcpy(chal, ch.value, clen);
		for (i = 1; i <= tries; i++) {
			CHECK_OK(client_answer(t, method, id, chal, clen,
			    "User", "wrong"));
			CHECK_EQ(t->n_req, i);
			CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
			CHECK_EQ(m.code, CHAP_FAILURE);
			CHECK_EQ(m.id, id);
			if (method == PPP_AUTH_CHAP_MD5)
				break;
			CHECK_OK(mschap_failure_parse(m.message,
			    m.message_len, &f));
			CHECK_EQ(f.error, 691);
			CHECK_EQ(f.retry, i < tries);
			CHECK(f.has_challenge && f.challenge_len == clen);
			CHECK(memcmp(f.challenge, chal, clen) != 0);
			if (method == PPP_AUTH_MSCHAPV2)
				CHECK(f.has_version && f.version == 3 &&
				    f.has_message);
			memcpy(chal, f.challenge, clen);
			id = (uint8_t)(id + 1);
			if (i < tries)
				CHECK_EQ(ppp_phase(t->s),
				    PPP_PHASE_AUTHENTICATE);
		}
	}
	tap_pump(t);
	CHECK_EQ(t->n_ok, 0);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_FAILED);
	CHECK_EQ(t->down_err, 691);
	CHECK(strstr(t->down_text, "user \"User\": E=691") != NULL);
	CHECK(!tap_logs_contain(t, "guess"));
	CHECK(!tap_logs_contain(t, "clientPass"));
	tap_free(t);
}

TEST(server_wrong_password_each_method)
{
	server_wrong_password(PPP_AUTH_PAP);
	server_wrong_password(PPP_AUTH_CHAP_MD5);
	server_wrong_password(PPP_AUTH_MSCHAPV1);
	server_wrong_password(PPP_AUTH_MSCHAPV2);
}

/* DOMAIN\user with the RFC 2759 9.2 vectors: the server's challenge forced
 * to the RFC's, the NT-Response over "User" and the S= exactly the RFC's. */
TEST(server_mschapv2_domain_user_rfc_vectors)
{
	struct ppp_config c = tap_config(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	struct tap *t = tap_new(&c, 3);
	struct chap_msg ch, m;
	uint8_t v[49], pkt[600], want[16];

	tap_force(t, v2_auth_chal);
	tap_up(t, NULL, 0);
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &ch));
	t_unhex(v2_auth_chal, want, 16);
	CHECK_MEM(ch.value, want, 16);
	memset(v, 0, sizeof(v));
	t_unhex(v2_peer_chal, v, 16);
	t_unhex(v2_nt_resp, v + 24, 24);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_RESPONSE, ch.id, v, 49, "CORP\\User")));
	CHECK_STR(t->req_user, "CORP\\User");
	CHECK_STR(t->req_nodomain, "User");
	CHECK_OK(ppp_auth_answer(t->s, t->now, &ans_pw));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_EQ(m.code, CHAP_SUCCESS);
	CHECK(m.message_len >= 42 && !memcmp(m.message, v2_s, 42));
	CHECK(tap_logs_contain(t, "user=\"CORP\\x5cUser\""));	/* escaped */
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	tap_free(t);
}

/* Wrong, then right on the retry (C= challenge, Identifier + 1); an NT hash
 * instead of the password works too. */
TEST(server_mschapv2_retry_then_success)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct mschap_failure f;
	struct ppp_auth_answer a = { .accept = true, .has_nt_hash = true };

	CHECK_OK(mschap_nt_password_hash("clientPass", 10, a.nt_hash));
	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "wrong"));
	CHECK_OK(ppp_auth_answer(t->s, t->now, &a));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_OK(mschap_failure_parse(m.message, m.message_len, &f));
	CHECK(f.retry);
	/* the old Response again: the same Failure again */
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "wrong"));
	CHECK_EQ(tap_count(t, PPP_CHAP), 1);
	(void)tap_take(t, PPP_CHAP);
	/* a retry with the wrong Identifier is ignored */
	CHECK_ERR(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id + 2, f.challenge,
	    16, "User", "clientPass"), ERR_STALE);
	CHECK_EQ(t->n_req, 1);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, (uint8_t)(ch.id + 1),
	    f.challenge, 16, "User", "clientPass"));
	CHECK_EQ(t->n_req, 2);
	CHECK_OK(ppp_auth_answer(t->s, t->now, &a));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_EQ(m.code, CHAP_SUCCESS);
	CHECK_EQ(m.id, (uint8_t)(ch.id + 1));
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	tap_free(t);
}

/* Copies of the Response while the answer is pending are ignored; one
 * after the Success gets the same Success again (RFC 1994 4.2). */
TEST(server_duplicates_and_lost_success)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct tap_frame *f;
	uint8_t first[PPP_FRAME_MAX];
	size_t n;

	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"));
	CHECK_ERR(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"), ERR_STALE);
	CHECK_EQ(t->n_req, 1);
	CHECK_EQ(tap_count(t, PPP_CHAP), 0);
	tap_advance(t, 5000);	/* no Challenge resent while pending */
	CHECK_EQ(tap_count(t, PPP_CHAP), 0);
	CHECK_OK(ppp_auth_answer(t->s, t->now, &ans_pw));
	f = tap_take(t, PPP_CHAP);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = f->len;
	memcpy(first, f->b, n);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"));
	f = tap_take(t, PPP_CHAP);
	CHECK(f != NULL && f->len == n && !memcmp(f->b, first, n));
	CHECK_OK(tap_chap_of(f, &m));
	CHECK_EQ(m.code, CHAP_SUCCESS);
	CHECK_EQ(t->n_req, 1);
	CHECK_EQ(t->n_ok, 1);
	tap_free(t);
}

/* RADIUS: a verdict made elsewhere, with S= and the MPPE keys given. */
TEST(server_radius_verified)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct ppp_auth_answer a = { .accept = true, .verified = true,
	    .has_mppe_keys = true };
	uint8_t ar[20], send[16], recv[16];
	unsigned i;

	for (i = 0; i < 20; i++)
		a.auth_response[i] = (uint8_t)(0xa0 + i);
	memset(a.mppe_send_key, 0x11, 16);
	memset(a.mppe_recv_key, 0x22, 16);
	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "anything"));
	CHECK_OK(ppp_auth_answer(t->s, t->now, &a));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_EQ(m.code, CHAP_SUCCESS);
	CHECK_OK(mschapv2_success_parse(m.message, m.message_len, ar, NULL,
	    0));
	CHECK_MEM(ar, a.auth_response, 20);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	CHECK_OK(auth_mppe_keys(t->s, 128, send, recv));
	CHECK_MEM(send, a.mppe_send_key, 16);
	CHECK_MEM(recv, a.mppe_recv_key, 16);
	tap_free(t);
}

/* A reject with 649: final at once, named in the Failure and the reason. */
TEST(server_reject_649)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct mschap_failure f;
	struct ppp_auth_answer a = { .accept = false, .mschap_error = 649 };

	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"));
	CHECK_OK(ppp_auth_answer(t->s, t->now, &a));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_OK(mschap_failure_parse(m.message, m.message_len, &f));
	CHECK_EQ(f.error, 649);
	CHECK(f.has_retry && !f.retry);
	tap_pump(t);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_FAILED);
	CHECK_EQ(t->down_err, 649);
	CHECK(strstr(t->down_text, "no dial-in permission") != NULL);
	tap_free(t);
}

/* The Challenge is resent every restart interval with the same bytes;
 * the phase ends at auth_timeout_ms; a late answer finds nothing. */
TEST(server_auth_timeout)
{
	struct ppp_config c = tap_config(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	struct tap *t;
	struct tap_frame *f;
	struct chap_msg ch;
	uint8_t first[PPP_FRAME_MAX];
	size_t n;

	c.auth_timeout_ms = 10000;
	c.fsm.restart_ms = 3000;
	t = tap_new(&c, 5);
	tap_up(t, NULL, 0);
	f = tap_take(t, PPP_CHAP);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = f->len;
	memcpy(first, f->b, n);
	tap_advance(t, 9999);
	CHECK_EQ(tap_count(t, PPP_CHAP), 3);	/* at 3, 6 and 9 s */
	while ((f = tap_take(t, PPP_CHAP)) != NULL)
		CHECK(f->len == n && !memcmp(f->b, first, n));
	CHECK_EQ(t->n_down, 0);
	tap_advance(t, 1);
	tap_pump(t);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_TIMEOUT);
	tap_free(t);

	/* pending: the credential check never answers */
	t = tap_new(&c, 6);
	tap_up(t, NULL, 0);
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &ch));
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"));
	tap_advance(t, 10000);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_TIMEOUT);
	CHECK(strstr(t->down_text, "credential check") != NULL);
	CHECK_ERR(ppp_auth_answer(t->s, t->now, &ans_pw), ERR_STATE);
	tap_free(t);
}

/* --- both roles: two sessions pumped into each other --- */

static void
keys_agree(unsigned method, const char *password)
{
	struct ppp_config cc = tap_config(PPP_ROLE_CLIENT, method);
	struct ppp_config sc = tap_config(PPP_ROLE_SERVER, method);
	struct tap *c, *s;
	uint8_t cs[16], cr[16], ss[16], sr[16];
	static const unsigned bits[] = { 40, 56, 128 };
	unsigned i;

	snprintf(cc.password, sizeof(cc.password), "%s", password);
	c = tap_new(&cc, 21);
	s = tap_new(&sc, 22);
	c->lcp_auto = s->lcp_auto = false;
	s->auto_answer = true;
	s->answer = ans_pw;
	s->answer.password = password;
	(void)ppp_start(s->s, s->now);
	(void)ppp_start(c->s, c->now);
	tap_relay(c, s);
	CHECK_EQ(c->n_ok, 1);
	CHECK_EQ(s->n_ok, 1);
	for (i = 0; i < 3; i++) {
		CHECK_OK(auth_mppe_keys(c->s, bits[i], cs, cr));
		CHECK_OK(auth_mppe_keys(s->s, bits[i], ss, sr));
		CHECK_MEM(ss, cr, 16);
		CHECK_MEM(sr, cs, 16);
		if (method == PPP_AUTH_MSCHAPV2)
			CHECK(memcmp(cs, cr, 16) != 0);
	}
	CHECK_ERR(auth_mppe_keys(c->s, 64, cs, cr), ERR_INVAL);
	tap_free(c);
	tap_free(s);
}

TEST(both_roles_mppe_keys_agree)
{
	keys_agree(PPP_AUTH_MSCHAPV2, "clientPass");
	keys_agree(PPP_AUTH_MSCHAPV1, "clientPass");
}

/* MS-CHAPv1 with an NT hash only: 128 bits, but no LM hash for 40/56. */
TEST(server_mschapv1_nt_hash_no_lm)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct ppp_auth_answer a = { .accept = true, .has_nt_hash = true };
	uint8_t send[16], recv[16];

	CHECK_OK(mschap_nt_password_hash("clientPass", 10, a.nt_hash));
	t = server_up(PPP_AUTH_MSCHAPV1, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV1, ch.id, ch.value, 8,
	    "User", "clientPass"));
	CHECK_OK(ppp_auth_answer(t->s, t->now, &a));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_EQ(m.code, CHAP_SUCCESS);
	CHECK_OK(auth_mppe_keys(t->s, 128, send, recv));
	CHECK_MEM(send, recv, 16);
	CHECK_ERR(auth_mppe_keys(t->s, 40, send, recv), ERR_STATE);
	CHECK_ERR(auth_mppe_keys(t->s, 56, send, recv), ERR_STATE);
	tap_free(t);
}


/* Challenges resent max_configure times, then the end (before the phase
 * timer). */
TEST(server_challenge_retransmissions_exhausted)
{
	struct ppp_config c = tap_config(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	struct tap *t;

	c.fsm.max_configure = 3;
	c.fsm.restart_ms = 1000;
	c.auth_timeout_ms = 60000;
	t = tap_new(&c, 5);
	tap_up(t, NULL, 0);
	tap_advance(t, 2999);
	CHECK_EQ(tap_count(t, PPP_CHAP), 3);
	CHECK_EQ(t->n_down, 0);
	tap_advance(t, 1);
	CHECK_EQ(tap_count(t, PPP_CHAP), 3);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_TIMEOUT);
	CHECK(strstr(t->down_text, "never answered") != NULL);
	tap_free(t);
}

/* PAP checked against an NT hash; CHAP-MD5 cannot be (ERR_INVAL, failed). */
TEST(server_nt_hash_answers)
{
	struct tap *t;
	struct chap_msg ch, m;
	struct pap_msg pm, pr = { .code = PAP_AUTH_REQ, .id = 1,
	    .peer_id = (const uint8_t *)"User", .peer_id_len = 4,
	    .passwd = (const uint8_t *)"clientPass", .passwd_len = 10 };
	struct ppp_auth_answer a = { .accept = true, .has_nt_hash = true };
	uint8_t pkt[600];
	struct wr w;

	CHECK_OK(mschap_nt_password_hash("clientPass", 10, a.nt_hash));
	t = server_up(PPP_AUTH_PAP, &ch);
	wr_init(&w, pkt, sizeof(pkt));
	CHECK_OK(pap_msg_encode(&w, &pr));
	CHECK_OK(tap_in(t, PPP_PAP, pkt, wr_len(&w)));
	/* a retransmission with a new Identifier: the Ack answers it */
	pkt[1] = 2;
	CHECK_ERR(tap_in(t, PPP_PAP, pkt, wr_len(&w)), ERR_STALE);
	CHECK_EQ(t->n_req, 1);
	CHECK_OK(ppp_auth_answer(t->s, t->now, &a));
	CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &pm));
	CHECK_EQ(pm.code, PAP_AUTH_ACK);
	CHECK_EQ(pm.id, 2);
	/* the peer lost it: any Request gets an Ack with its Identifier */
	pkt[1] = 3;
	CHECK_OK(tap_in(t, PPP_PAP, pkt, wr_len(&w)));
	CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &pm));
	CHECK(pm.code == PAP_AUTH_ACK && pm.id == 3);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	tap_free(t);

	t = server_up(PPP_AUTH_CHAP_MD5, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_CHAP_MD5, ch.id, ch.value, 16,
	    "User", "clientPass"));
	CHECK_ERR(ppp_auth_answer(t->s, t->now, &a), ERR_INVAL);
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &m));
	CHECK_EQ(m.code, CHAP_FAILURE);
	tap_pump(t);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_FAILED);
	tap_free(t);
}

TEST(server_refuses_change_password_and_client_codes)
{
	struct tap *t;
	struct chap_msg ch;
	uint8_t pkt[600], data[MSCHAPV2_CHPASS_LEN + 4];

	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	memset(data, 0, sizeof(data));
	data[0] = CHAP_CHANGE_PASSWORD;
	data[1] = ch.id;
	data[2] = (uint8_t)(sizeof(data) >> 8);
	data[3] = (uint8_t)sizeof(data);
	CHECK_ERR(tap_in(t, PPP_CHAP, data, sizeof(data)), ERR_UNSUPPORTED);
	CHECK_ERR(tap_in(t, PPP_CHAP, pkt, tap_chap_pkt(pkt, CHAP_SUCCESS,
	    ch.id, NULL, 0, "S=00")), ERR_STATE);
	CHECK_ERR(tap_in(t, PPP_CHAP, pkt, tap_chap_pkt(pkt, CHAP_CHALLENGE,
	    ch.id, ch.value, 16, "x")), ERR_STATE);
	/* a Name with a NUL in it is refused */
	{
		uint8_t v[49], pc[16];
		struct chap_msg m = { .code = CHAP_RESPONSE, .id = ch.id,
		    .value = v, .value_len = 49,
		    .name = (const uint8_t *)"Us\0er", .name_len = 5 };
		struct wr w;

		t_unhex(v2_peer_chal, pc, 16);
		client_value(PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16, "User",
		    "clientPass", pc, v);
		wr_init(&w, pkt, sizeof(pkt));
		CHECK_OK(chap_msg_encode(&w, &m));
		CHECK_ERR(tap_in(t, PPP_CHAP, pkt, wr_len(&w)), ERR_FORMAT);
	}
	CHECK_EQ(t->n_req, 0);
	tap_free(t);
}

/* Every truncation and bit flip of a valid Response / Authenticate-Request
 * on a fresh session: an error or a normal verdict, never a crash; never
 * success for a truncation or a flip in the octets the check covers
 * (PAP password, MD5 value, MS-CHAPv1 NT-Response, MS-CHAPv2 peer
 * challenge, NT-Response and Name).  Flips elsewhere (the LM half, the
 * Reserved octets, a name the hash does not cover) may pass. */
static void
server_mutations(unsigned method)
{
	struct tap *t;
	struct chap_msg ch;
	struct pap_msg pr = { .code = PAP_AUTH_REQ, .id = 1,
	    .peer_id = (const uint8_t *)"User", .peer_id_len = 4,
	    .passwd = (const uint8_t *)"clientPass", .passwd_len = 10 };
	uint8_t good[600], bad[600], v[49], pc[16];
	size_t n = 0, i, cut, lo, hi, at;
	unsigned oks = 0;
	struct wr w;

	t = server_up(method, &ch);
	if (method == PPP_AUTH_PAP) {
		wr_init(&w, good, sizeof(good));
		CHECK_OK(pap_msg_encode(&w, &pr));
		n = wr_len(&w);
	} else {
		t_unhex(v2_peer_chal, pc, 16);
		n = tap_chap_pkt(good, CHAP_RESPONSE, ch.id, v,
		    client_value(method, ch.id, ch.value, ch.value_len, "User",
		    "clientPass", pc, v), "User");
	}
	tap_free(t);
	switch (method) {
	case PPP_AUTH_PAP:	lo = 10; hi = 20; break;	/* password */
	case PPP_AUTH_CHAP_MD5:	lo = 5; hi = 21; break;
	case PPP_AUTH_MSCHAPV1:	lo = 29; hi = 53; break;
	default:		lo = 5; hi = n; break; /* not Reserved, Flags */
	}
	for (i = 0; i < n * 9; i++) {
		memcpy(bad, good, n);
		cut = i < n ? i : n;
		at = (i - n) / 8;
		if (i >= n)
			bad[at] ^= (uint8_t)(1u << ((i - n) % 8));
		t = server_up(method, &ch);
		(void)tap_in(t, method == PPP_AUTH_PAP ? PPP_PAP : PPP_CHAP,
		    bad, cut);
		if (t->s->auth.pending)
			(void)ppp_auth_answer(t->s, t->now, &ans_pw);
		tap_advance(t, 40000);
		CHECK(t->n_ok <= 1 && t->n_down <= 1);
		oks += t->n_ok;
		if (i < n || (at >= lo && at < hi && !(method ==
		    PPP_AUTH_MSCHAPV2 && at >= 21 && (at < 29 || at == 53))))
			CHECK_EQ(t->n_ok, 0);
		tap_free(t);
	}
	t_note("method %u: %u of %zu mutations authenticated", method, oks,
	    n * 9);
}

TEST(server_mutated_packets)
{
	server_mutations(PPP_AUTH_PAP);
	server_mutations(PPP_AUTH_CHAP_MD5);
	server_mutations(PPP_AUTH_MSCHAPV1);
	server_mutations(PPP_AUTH_MSCHAPV2);
}

/* auth_fini wipes the key inputs. */
TEST(server_fini_wipes)
{
	struct tap *t;
	struct chap_msg ch;
	static const uint8_t zero[24];
	uint8_t send[16], recv[16];

	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"));
	CHECK_OK(ppp_auth_answer(t->s, t->now, &ans_pw));
	CHECK(memcmp(t->s->auth.pw_hash_hash, zero, 16) != 0);
	auth_fini(t->s);
	CHECK_MEM(t->s->auth.pw_hash_hash, zero, 16);
	CHECK_MEM(t->s->auth.nt_response, zero, 24);
	CHECK(!t->s->auth.done && !t->s->auth.have_keys);
	CHECK_ERR(auth_mppe_keys(t->s, 128, send, recv), ERR_STATE);
	tap_free(t);
}

/* LCP going down mid-phase (auth_stop): no timer, no pending request, no
 * trace of the method; a new LCP Opened starts over. */
TEST(server_stop_forgets_everything)
{
	struct tap *t;
	struct chap_msg ch;

	t = server_up(PPP_AUTH_MSCHAPV2, &ch);
	CHECK_OK(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"));
	CHECK(t->s->auth.pending);
	auth_stop(t->s);
	CHECK(!t->s->auth.pending);
	CHECK_EQ(t->s->auth.method, 0);
	CHECK_EQ(auth_deadline(t->s), UINT64_MAX);
	CHECK_ERR(ppp_auth_answer(t->s, t->now, &ans_pw), ERR_STATE);
	CHECK_ERR(client_answer(t, PPP_AUTH_MSCHAPV2, ch.id, ch.value, 16,
	    "User", "clientPass"), ERR_STATE);
	auth_start(t->s, t->now);
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &ch));
	CHECK_EQ(ch.code, CHAP_CHALLENGE);
	CHECK(t->s->auth.deadline > t->now);
	tap_free(t);
}

/*
 * test_ppp_authphase_client.c - the peer's side of the authentication
 * phase (src/ppp/auth_client.c, auth.c) driven through the public API,
 * with a scripted server (ppp_tap.h): the RFC 2759 9.2 vectors byte for
 * byte (NT-Response, S=) and the RFC 3079 3.5 keys they give, a wrong or
 * missing S= refused (RFC 2759 9.1.2), MS-CHAPv2 retries (RFC 2759 6),
 * E= codes by name, CHAP-MD5 (RFC 1994 4.1), MS-CHAPv1 with the RFC 2433
 * B.2 vector, PAP (RFC 1334 2.2), timeouts and malformed packets.
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

static const uint8_t opt_pap[] = { 3, 4, 0xc0, 0x23 };
static const uint8_t opt_md5[] = { 3, 5, 0xc2, 0x23, 0x05 };
static const uint8_t opt_v1[] = { 3, 5, 0xc2, 0x23, 0x80 };
static const uint8_t opt_v2[] = { 3, 5, 0xc2, 0x23, 0x81 };

static struct tap *
client_up(unsigned method, const uint8_t *opt, size_t olen)
{
	struct ppp_config c = tap_config(PPP_ROLE_CLIENT, method);
	struct tap *t = tap_new(&c, 11);

	tap_up(t, opt, olen);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_AUTHENTICATE);
	CHECK_EQ(t->s->auth.method, method);
	return t;
}

/* Sends the RFC 2759 9.2 Challenge; returns the client's Response. */
static int
client_v2_rfc_challenge(struct tap *t, uint8_t id, struct chap_msg *resp)
{
	uint8_t chal[16], pkt[600];

	t_unhex(v2_auth_chal, chal, 16);
	tap_force(t, v2_peer_chal);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_CHALLENGE, id, chal, 16, "srv")));
	return tap_chap_of(tap_take(t, PPP_CHAP), resp);
}

TEST(client_mschapv2_rfc_vectors)
{
	struct tap *t = client_up(PPP_AUTH_MSCHAPV2, opt_v2, sizeof(opt_v2));
	struct chap_msg r;
	uint8_t want[49], pkt[600];
	char ok[80];

	memset(want, 0, sizeof(want));
	t_unhex(v2_peer_chal, want, 16);
	t_unhex(v2_nt_resp, want + 24, 24);
	CHECK_OK(client_v2_rfc_challenge(t, 7, &r));
	CHECK_EQ(r.code, CHAP_RESPONSE);
	CHECK_EQ(r.id, 7);
	CHECK_EQ(r.value_len, 49);
	CHECK_MEM(r.value, want, 49);
	CHECK(r.name_len == 4 && !memcmp(r.name, "User", 4));
	/* the Challenge again: the same Response again */
	CHECK_OK(client_v2_rfc_challenge(t, 7, &r));
	CHECK_MEM(r.value, want, 49);
	t->nforced = 0;
	snprintf(ok, sizeof(ok), "%s M=welcome", v2_s);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 7, NULL, 0, ok)));
	CHECK_EQ(t->n_ok, 1);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	CHECK(tap_logs_contain(t, "M=\"welcome\""));
	/* RFC 3079 3.5: the server's send key is our receive key; our send
	 * key is the Magic2 one (research/landscape.md 4.3) */
	{
		uint8_t send[16], recv[16], w[16];

		CHECK_OK(auth_mppe_keys(t->s, 128, send, recv));
		t_unhex("8B7CDC149B993A1BA118CB153F56DCCB", w, 16);
		CHECK_MEM(recv, w, 16);
		t_unhex("D5F0E9521E3EA9589645E86051C82226", w, 16);
		CHECK_MEM(send, w, 16);
		CHECK_OK(auth_mppe_keys(t->s, 40, send, recv));
		memset(w, 0, 16);
		t_unhex("8B7CDC149B993A1B", w, 8);
		CHECK_MEM(recv, w, 16);
	}
	CHECK(!tap_logs_contain(t, "clientPass"));
	tap_free(t);
}

TEST(client_mschapv2_wrong_or_missing_s)
{
	static const char *bad[] = {
		"S=407A5589115FD0D6209F510FE9C04566932CDA57 M=welcome",
		"M=welcome",
		"",
	};
	struct chap_msg r;
	uint8_t pkt[600];
	unsigned i;

	for (i = 0; i < 3; i++) {
		struct tap *t = client_up(PPP_AUTH_MSCHAPV2, opt_v2,
		    sizeof(opt_v2));

		CHECK_OK(client_v2_rfc_challenge(t, 1, &r));
		CHECK_OK(tap_in(t, PPP_CHAP, pkt,
		    tap_chap_pkt(pkt, CHAP_SUCCESS, 1, NULL, 0, bad[i])));
		tap_pump(t);
		CHECK_EQ(t->n_ok, 0);
		CHECK_EQ(t->n_down, 1);
		CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_FAILED);
		CHECK(strstr(t->down_text, "authenticator response") != NULL);
		CHECK(ppp_phase(t->s) != PPP_PHASE_NETWORK);
		tap_free(t);
	}
}

/* Failure R=1: a new Response to C= with Identifier + 1 and a new peer
 * challenge, resent on the restart interval, then Success. */
TEST(client_mschapv2_retry)
{
	struct tap *t = client_up(PPP_AUTH_MSCHAPV2, opt_v2, sizeof(opt_v2));
	struct chap_msg r, r2;
	uint8_t pkt[600], c2[16], h[16], nt[24], ar[20];
	char msg[160], txt[43];
	struct tap_frame *f;

	CHECK_OK(client_v2_rfc_challenge(t, 7, &r));
	memset(c2, 0x5a, 16);
	snprintf(msg, sizeof(msg), "E=691 R=1 C=%s V=3 M=bad password",
	    "5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A");
	tap_force(t, "000102030405060708090A0B0C0D0E0F");
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_FAILURE, 7, NULL, 0, msg)));
	CHECK_EQ(t->n_down, 0);
	f = tap_take(t, PPP_CHAP);
	CHECK_OK(tap_chap_of(f, &r2));
	CHECK_EQ(r2.code, CHAP_RESPONSE);
	CHECK_EQ(r2.id, 8);
	CHECK_OK(mschap_nt_password_hash("clientPass", 10, h));
	mschapv2_generate_nt_response(c2, r2.value, "User", 4, h, nt);
	CHECK_MEM(r2.value + 24, nt, 24);
	CHECK(r2.value[0] == 0x00 && r2.value[15] == 0x0f);
	tap_advance(t, 3000);	/* lost: resent as is */
	CHECK_EQ(tap_count(t, PPP_CHAP), 1);
	mschapv2_generate_authenticator_response(h, nt, r2.value, c2, "User",
	    4, ar, txt);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 8, NULL, 0, txt)));
	CHECK_EQ(t->n_ok, 1);
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	tap_free(t);
}

static void
client_failure(const char *msg, uint32_t err, const char *name)
{
	struct tap *t = client_up(PPP_AUTH_MSCHAPV2, opt_v2, sizeof(opt_v2));
	struct chap_msg r;
	uint8_t pkt[600];

	CHECK_OK(client_v2_rfc_challenge(t, 4, &r));
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_FAILURE, 4, NULL, 0, msg)));
	tap_pump(t);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_FAILED);
	CHECK_EQ(t->down_err, err);
	CHECK(strstr(t->down_text, name) != NULL);
	t_note("%s", t->down_text);
	tap_free(t);
}

TEST(client_mschapv2_failures_named)
{
	client_failure("E=648 R=0 C=00000000000000000000000000000000 V=3 "
	    "M=Password expired", 648, "E=648 (password expired)");
	client_failure("E=649 R=0 V=3 M=x", 649, "no dial-in permission");
	client_failure("E=691 R=0 C=00000000000000000000000000000000 V=3 "
	    "M=Authentication failure", 691,
	    "E=691 (authentication failure) M=\"Authentication failure\"");
}

/* auth_retries = 1: the second R=1 Failure ends it. */
TEST(client_mschapv2_retries_exhausted)
{
	struct ppp_config c = tap_config(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);
	struct tap *t;
	struct chap_msg r;
	uint8_t pkt[600];
	const char *msg = "E=691 R=1 C=000102030405060708090A0B0C0D0E0F V=3";

	c.auth_retries = 1;
	t = tap_new(&c, 12);
	tap_up(t, opt_v2, sizeof(opt_v2));
	CHECK_OK(client_v2_rfc_challenge(t, 4, &r));
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_FAILURE, 4, NULL, 0, msg)));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &r));
	CHECK_EQ(r.id, 5);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_FAILURE, 5, NULL, 0, msg)));
	tap_pump(t);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_err, 691);
	tap_free(t);
}

TEST(client_chap_md5_and_mschapv1)
{
	struct tap *t;
	struct chap_msg r;
	uint8_t pkt[600], chal[8], want[49];

	t = client_up(PPP_AUTH_CHAP_MD5, opt_md5, sizeof(opt_md5));
	memset(chal, 0x33, 8);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_CHALLENGE, 0x42, chal, 8, "srv")));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &r));
	chap_md5_response(0x42, "clientPass", 10, chal, 8, want);
	CHECK(r.value_len == 16 && !memcmp(r.value, want, 16));
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 0x42, NULL, 0, "ok")));
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	tap_free(t);

	/* RFC 2433 B.2: password "MyPw", challenge 102DB5DF085D3041 */
	struct ppp_config c = tap_config(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV1);
	snprintf(c.password, sizeof(c.password), "MyPw");
	t = tap_new(&c, 13);
	tap_up(t, opt_v1, sizeof(opt_v1));
	t_unhex("102DB5DF085D3041", chal, 8);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_CHALLENGE, 1, chal, 8, "srv")));
	CHECK_OK(tap_chap_of(tap_take(t, PPP_CHAP), &r));
	memset(want, 0, 49);
	t_unhex("4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61",
	    want + 24, 24);
	want[48] = 1;
	CHECK(r.value_len == 49 && !memcmp(r.value, want, 49));
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_FAILURE, 1, NULL, 0, "E=691 R=0")));
	tap_pump(t);
	CHECK_EQ(t->n_down, 1);
	CHECK_EQ(t->down_err, 691);
	tap_free(t);
}

TEST(client_pap)
{
	struct tap *t = client_up(PPP_AUTH_PAP, opt_pap, sizeof(opt_pap));
	struct pap_msg m, m2;
	uint8_t pkt[64];
	struct pap_msg ack = { .code = PAP_AUTH_ACK };
	struct wr w;

	CHECK(tap_logs_contain(t, "WARNING pap"));
	CHECK(!tap_logs_contain(t, "clientPass"));
	CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &m));
	CHECK_EQ(m.code, PAP_AUTH_REQ);
	CHECK(m.peer_id_len == 4 && !memcmp(m.peer_id, "User", 4));
	CHECK(m.passwd_len == 10 && !memcmp(m.passwd, "clientPass", 10));
	tap_advance(t, 3000);
	CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &m2));
	CHECK_EQ(m2.id, (uint8_t)(m.id + 1));	/* RFC 1334: a new one */
	ack.id = m.id;	/* an Ack to the first one counts */
	wr_init(&w, pkt, sizeof(pkt));
	CHECK_OK(pap_msg_encode(&w, &ack));
	CHECK_OK(tap_in(t, PPP_PAP, pkt, wr_len(&w)));
	CHECK_EQ(ppp_phase(t->s), PPP_PHASE_NETWORK);
	tap_advance(t, 10000);
	CHECK_EQ(tap_count(t, PPP_PAP), 0);
	tap_free(t);

	t = client_up(PPP_AUTH_PAP, opt_pap, sizeof(opt_pap));
	CHECK_OK(tap_pap_of(tap_take(t, PPP_PAP), &m));
	ack.code = PAP_AUTH_NAK;
	ack.id = m.id;
	ack.message = (const uint8_t *)"nope";
	ack.message_len = 4;
	wr_init(&w, pkt, sizeof(pkt));
	CHECK_OK(pap_msg_encode(&w, &ack));
	CHECK_OK(tap_in(t, PPP_PAP, pkt, wr_len(&w)));
	tap_pump(t);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_FAILED);
	CHECK(strstr(t->down_text, "nope") != NULL);
	tap_free(t);
}


/* DOMAIN\user: sent whole, hashed without the domain (RFC 2759 8.2). */
TEST(client_mschapv2_domain_user)
{
	struct ppp_config c = tap_config(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);
	struct tap *t;
	struct chap_msg r;
	uint8_t want[24], pkt[600];

	snprintf(c.user, sizeof(c.user), "CORP\\User");
	t = tap_new(&c, 14);
	tap_up(t, opt_v2, sizeof(opt_v2));
	CHECK_OK(client_v2_rfc_challenge(t, 9, &r));
	CHECK(r.name_len == 9 && !memcmp(r.name, "CORP\\User", 9));
	t_unhex(v2_nt_resp, want, 24);
	CHECK_MEM(r.value + 24, want, 24);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 9, NULL, 0, v2_s)));
	CHECK_EQ(t->n_ok, 1);
	tap_free(t);
}

/* Results out of turn or with another Identifier are dropped. */
TEST(client_stale_results)
{
	struct tap *t = client_up(PPP_AUTH_MSCHAPV2, opt_v2, sizeof(opt_v2));
	struct chap_msg r;
	uint8_t pkt[600];

	CHECK_ERR(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 1, NULL, 0, v2_s)), ERR_STATE);
	CHECK_ERR(tap_in(t, PPP_CHAP, pkt, tap_chap_pkt(pkt, CHAP_CHALLENGE,
	    1, (const uint8_t *)"12345678", 8, "srv")), ERR_LENGTH);
	CHECK_OK(client_v2_rfc_challenge(t, 1, &r));
	CHECK_ERR(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 2, NULL, 0, v2_s)), ERR_STALE);
	CHECK_ERR(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_RESPONSE, 1, r.value, 49, "x")), ERR_STATE);
	CHECK_ERR(tap_in(t, PPP_PAP, pkt, 4), ERR_STATE);
	CHECK_EQ(t->n_down + t->n_ok, 0);
	CHECK_OK(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 1, NULL, 0, v2_s)));
	CHECK_EQ(t->n_ok, 1);
	/* a late copy of the Success changes nothing */
	CHECK_ERR(tap_in(t, PPP_CHAP, pkt,
	    tap_chap_pkt(pkt, CHAP_SUCCESS, 1, NULL, 0, v2_s)), ERR_STATE);
	CHECK_EQ(t->n_ok, 1);
	tap_free(t);
}

TEST(client_timeouts)
{
	struct ppp_config c = tap_config(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);
	struct tap *t;
	struct tap_frame *f;
	struct chap_msg r;
	uint8_t first[49];

	c.auth_timeout_ms = 20000;
	t = tap_new(&c, 15);
	tap_up(t, opt_v2, sizeof(opt_v2));
	tap_advance(t, 19999);
	CHECK_EQ(t->n_down, 0);
	CHECK_EQ(tap_count(t, PPP_CHAP), 0);
	tap_advance(t, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_TIMEOUT);
	CHECK(strstr(t->down_text, "no challenge") != NULL);
	tap_free(t);

	/* answered, then silence: the Response is resent as is every 3 s */
	t = tap_new(&c, 16);
	tap_up(t, opt_v2, sizeof(opt_v2));
	CHECK_OK(client_v2_rfc_challenge(t, 1, &r));
	memcpy(first, r.value, 49);
	tap_advance(t, 20000);
	CHECK_EQ(tap_count(t, PPP_CHAP), 6);
	while ((f = tap_take(t, PPP_CHAP)) != NULL)
		CHECK(tap_chap_of(f, &r) == 0 && r.id == 1 &&
		    !memcmp(r.value, first, 49));
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_TIMEOUT);
	CHECK(strstr(t->down_text, "no result") != NULL);
	tap_free(t);

	/* PAP: max_configure Requests, then the end */
	c = tap_config(PPP_ROLE_CLIENT, PPP_AUTH_PAP);
	c.fsm.max_configure = 4;
	c.fsm.restart_ms = 1000;
	t = tap_new(&c, 17);
	tap_up(t, opt_pap, sizeof(opt_pap));
	tap_advance(t, 3999);
	CHECK_EQ(tap_count(t, PPP_PAP), 4);
	CHECK_EQ(t->n_down, 0);
	tap_advance(t, 1);
	CHECK_EQ(t->down_reason, PPP_DOWN_AUTH_TIMEOUT);
	tap_free(t);
}

/* Every truncation and bit flip of the Challenge, the Success and the
 * Failure: never a crash; a Success only when S= still reads the same
 * (a flip of a hex letter's case). */
static void
client_mutations(uint8_t code, const char *text)
{
	uint8_t good[600], bad[600], chal[16];
	size_t n, i, at;
	struct chap_msg r;
	struct tap *t;
	bool same;

	t_unhex(v2_auth_chal, chal, 16);
	n = code == CHAP_CHALLENGE ?
	    tap_chap_pkt(good, code, 1, chal, 16, "srv") :
	    tap_chap_pkt(good, code, 1, NULL, 0, text);
	for (i = 0; i < n * 9; i++) {
		memcpy(bad, good, n);
		at = (i - n) / 8;
		if (i >= n)
			bad[at] ^= (uint8_t)(1u << ((i - n) % 8));
		t = client_up(PPP_AUTH_MSCHAPV2, opt_v2, sizeof(opt_v2));
		if (code != CHAP_CHALLENGE)
			CHECK_OK(client_v2_rfc_challenge(t, 1, &r));
		(void)tap_in(t, PPP_CHAP, bad, i < n ? i : n);
		tap_advance(t, 40000);
		/* a Success may be followed by NCPs giving up */
		CHECK(t->n_ok <= 1 && t->n_down <= 1 && t->n_ok + t->n_down);
		same = i >= n && at >= 6 && at < 46 &&
		    (bad[at] ^ good[at]) == 0x20 && good[at] >= 'A';
		if (code == CHAP_SUCCESS && (i < n || (at >= 4 && at < 46 &&
		    !same)))
			CHECK_EQ(t->n_ok, 0);
		if (code == CHAP_FAILURE)
			CHECK_EQ(t->n_ok, 0);
		tap_free(t);
	}
}

TEST(client_mutated_packets)
{
	client_mutations(CHAP_CHALLENGE, NULL);
	client_mutations(CHAP_SUCCESS, v2_s);
	client_mutations(CHAP_FAILURE, "E=691 R=1 "
	    "C=000102030405060708090A0B0C0D0E0F V=3 M=no");
}

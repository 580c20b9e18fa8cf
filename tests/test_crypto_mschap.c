/*
 * test_crypto_mschap.c - MS-CHAPv1 (RFC 2433 appendix B), MS-CHAPv2 (RFC
 * 2759 sections 9.2 and 9.3) and CHAP-MD5 known answers, password limits,
 * the weak third DES key, and the authenticator-side checks (good, bit
 * flips, malformed S= messages).
 */
#include <stdio.h>

#include "t.h"
#include "../src/crypto/mschap.h"
#include "../src/crypto/hash.h"

/* RFC 2759 9.2 */
static const char *v2_user = "User";
static const char *v2_pass = "clientPass";
#define V2_AUTH_CHAL	"5B5D7C7D7B3F2F3E3C2C602132262628"
#define V2_PEER_CHAL	"21402324255E262A28295F2B3A337C7E"
#define V2_CHAL_HASH	"D02E4386BCE91226"
#define V2_PW_HASH	"44EBBA8D5312B8D611474411F56989AE"
#define V2_PW_HASH_HASH	"41C00C584BD2D91C4017A2A12FA59F3F"
#define V2_NT_RESPONSE	"82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define V2_AUTH_RESP	"S=407A5589115FD0D6209F510FE9C04566932CDA56"

struct v2 {
	uint8_t	auth[16], peer[16], hash[16], nt_response[24];
};

static void
v2_load(struct v2 *v)
{
	CHECK_EQ(t_unhex(V2_AUTH_CHAL, v->auth, 16), 16);
	CHECK_EQ(t_unhex(V2_PEER_CHAL, v->peer, 16), 16);
	CHECK_EQ(t_unhex(V2_PW_HASH, v->hash, 16), 16);
	CHECK_EQ(t_unhex(V2_NT_RESPONSE, v->nt_response, 24), 24);
}

TEST(mschapv2_rfc2759_9_2_hash_example)
{
	uint8_t want[24], got[24], hh[16], raw[20];
	char text[MSCHAPV2_AUTH_STR_LEN + 1];
	struct v2 v;

	v2_load(&v);
	/* the challenges are the ASCII strings pppd's test uses */
	CHECK_MEM(v.auth, "[]|}{?/><,`!2&&(", 16);
	CHECK_MEM(v.peer, "!@#$%^&*()_+:3|~", 16);

	CHECK_OK(mschap_nt_password_hash(v2_pass, strlen(v2_pass), got));
	CHECK_MEM(got, v.hash, 16);

	mschap_hash_nt_password_hash(v.hash, hh);
	CHECK_EQ(t_unhex(V2_PW_HASH_HASH, want, 16), 16);
	CHECK_MEM(hh, want, 16);

	mschapv2_challenge_hash(v.peer, v.auth, v2_user, strlen(v2_user), got);
	CHECK_EQ(t_unhex(V2_CHAL_HASH, want, 8), 8);
	CHECK_MEM(got, want, 8);

	mschapv2_generate_nt_response(v.auth, v.peer, v2_user, strlen(v2_user),
	    v.hash, got);
	CHECK_MEM(got, v.nt_response, 24);

	mschapv2_generate_authenticator_response(v.hash, v.nt_response, v.peer,
	    v.auth, v2_user, strlen(v2_user), raw, text);
	CHECK_STR(text, V2_AUTH_RESP);
	CHECK_EQ(t_unhex(&V2_AUTH_RESP[2], want, 20), 20);
	CHECK_MEM(raw, want, 20);
}

TEST(mschap_rfc2759_9_3_and_rfc2433_b)
{
	/* RFC 2433 B.2: password "MyPw", Challenge 102DB5DF085D3041 */
	uint8_t chal[8], want[24], got[24], hash[16];

	CHECK_EQ(t_unhex("102DB5DF085D3041", chal, 8), 8);
	CHECK_OK(mschap_nt_password_hash("MyPw", 4, hash));
	CHECK_EQ(t_unhex("FC156AF7EDCD6C0EDDE3337D427F4EAC", want, 16), 16);
	CHECK_MEM(hash, want, 16);
	CHECK_EQ(t_unhex("4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61",
	    want, 24), 24);
	CHECK_OK(mschapv1_nt_response(chal, "MyPw", 4, got));
	CHECK_MEM(got, want, 24);
	mschap_challenge_response(chal, hash, got);
	CHECK_MEM(got, want, 24);
	CHECK_OK(mschapv1_verify_response(hash, chal, want));
	want[23] ^= 0x01;
	CHECK_ERR(mschapv1_verify_response(hash, chal, want), ERR_AUTH);
}

TEST(mschap_well_known_hashes)
{
	uint8_t want[16], got[16];

	CHECK_OK(mschap_nt_password_hash("password", 8, got));
	CHECK_EQ(t_unhex("8846F7EAEE8FB117AD06BDD830B7586C", want, 16), 16);
	CHECK_MEM(got, want, 16);
	CHECK_OK(mschap_nt_password_hash("", 0, got));
	CHECK_EQ(t_unhex("31D6CFE0D16AE931B73C59D7E0C089C0", want, 16), 16);
	CHECK_MEM(got, want, 16);

	CHECK_OK(mschap_lm_password_hash("password", 8, got));
	CHECK_EQ(t_unhex("E52CAC67419A9A224A3B108F3FA6CB6D", want, 16), 16);
	CHECK_MEM(got, want, 16);
	CHECK_OK(mschap_lm_password_hash("PassWord", 8, got));	/* case */
	CHECK_MEM(got, want, 16);
	CHECK_OK(mschap_lm_password_hash("", 0, got));
	CHECK_EQ(t_unhex("AAD3B435B51404EEAAD3B435B51404EE", want, 16), 16);
	CHECK_MEM(got, want, 16);
	/* RFC 3079 2.5: LmPasswordHash("clientPass") */
	CHECK_OK(mschap_lm_password_hash("clientPass", 10, got));
	CHECK_EQ(t_unhex("76a152936096d7830e2390227404afd2", want, 16), 16);
	CHECK_MEM(got, want, 16);
}

TEST(mschap_lm_limits_and_response)
{
	uint8_t hash[16], resp[24], want[24], chal[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t zero[24];

	CHECK_OK(mschap_lm_password_hash("abcdefghijklmn", 14, hash));
	CHECK_ERR(mschap_lm_password_hash("abcdefghijklmno", 15, hash),
	    ERR_LENGTH);
	CHECK_MEM(hash, zero, 16);
	CHECK_ERR(mschap_lm_password_hash("caf\xc3\xa9", 5, hash),
	    ERR_UNSUPPORTED);
	CHECK_MEM(hash, zero, 16);
	/* A.1 LmChallengeResponse = ChallengeResponse(LmPasswordHash) */
	CHECK_OK(mschap_lm_password_hash("clientPass", 10, hash));
	mschap_challenge_response(chal, hash, want);
	CHECK_OK(mschapv1_lm_response(chal, "clientPass", 10, resp));
	CHECK_MEM(resp, want, 24);
	CHECK_ERR(mschapv1_lm_response(chal, "0123456789abcdef", 16, resp),
	    ERR_LENGTH);
	CHECK_MEM(resp, zero, 24);
}

TEST(mschap_password_limits_and_unicode)
{
	char pw[300];
	uint8_t hash[16], want[16], u16[8], resp[24];
	static const uint8_t zero[16];

	memset(pw, 'a', sizeof(pw));
	CHECK_OK(mschap_nt_password_hash(pw, 256, hash));
	CHECK_ERR(mschap_nt_password_hash(pw, 257, hash), ERR_LENGTH);
	CHECK_MEM(hash, zero, 16);
	/* 254 + a surrogate pair = 256 units: fine; 255 + a pair: too long */
	memcpy(pw + 254, "\xf0\x9f\x98\x80", 4);
	CHECK_OK(mschap_nt_password_hash(pw, 258, hash));
	memset(pw, 'a', sizeof(pw));
	memcpy(pw + 255, "\xf0\x9f\x98\x80", 4);
	CHECK_ERR(mschap_nt_password_hash(pw, 259, hash), ERR_LENGTH);
	CHECK_ERR(mschap_nt_password_hash("a\xff", 2, hash), ERR_FORMAT);
	CHECK_ERR(mschapv1_nt_response(zero, "a\xff", 2, resp), ERR_FORMAT);
	/* a non-BMP character is hashed as its surrogate pair */
	CHECK_OK(mschap_nt_password_hash("\xf0\x9f\x98\x80", 4, hash));
	CHECK_EQ(t_unhex("3dd800de", u16, 4), 4);
	crypto_md4(u16, 4, want);
	CHECK_MEM(hash, want, 16);
}

TEST(mschap_weak_third_des_key)
{
	/* A hash ending in 00 00 makes the third DES key all zero (weak, as
	 * DES calls it); with a zero challenge the third block is the DES
	 * weak-key answer 8CA64DE9C1B123A7. */
	uint8_t hash[16], chal[8] = { 0 }, resp[24], want[8];

	memset(hash, 0x5c, sizeof(hash));
	hash[14] = 0;
	hash[15] = 0;
	mschap_challenge_response(chal, hash, resp);
	CHECK_EQ(t_unhex("8CA64DE9C1B123A7", want, 8), 8);
	CHECK_MEM(resp + 16, want, 8);
}

TEST(mschapv2_verify_response_accepts_and_refuses)
{
	struct v2 v;
	uint8_t bad[24];
	int i;

	v2_load(&v);
	CHECK_OK(mschapv2_verify_response(v.hash, v.auth, v.peer, v2_user, 4,
	    v.nt_response));
	for (i = 0; i < 24 * 8; i += 7) {
		memcpy(bad, v.nt_response, 24);
		bad[i / 8] ^= (uint8_t)(1 << (i % 8));
		CHECK_ERR(mschapv2_verify_response(v.hash, v.auth, v.peer,
		    v2_user, 4, bad), ERR_AUTH);
	}
	/* another user name, or the domain left in: refused */
	CHECK_ERR(mschapv2_verify_response(v.hash, v.auth, v.peer, "user", 4,
	    v.nt_response), ERR_AUTH);
	CHECK_ERR(mschapv2_verify_response(v.hash, v.auth, v.peer,
	    "DOM\\User", 8, v.nt_response), ERR_AUTH);
	/* challenges swapped: refused */
	CHECK_ERR(mschapv2_verify_response(v.hash, v.peer, v.auth, v2_user, 4,
	    v.nt_response), ERR_AUTH);
}

static int
check_s(const struct v2 *v, const char *msg)
{
	return mschapv2_check_authenticator_response(v->hash, v->nt_response,
	    v->peer, v->auth, v2_user, 4, msg, strlen(msg));
}

TEST(mschapv2_check_s_message)
{
	struct v2 v;
	char msg[64];

	v2_load(&v);
	CHECK_OK(check_s(&v, V2_AUTH_RESP));
	CHECK_OK(check_s(&v, V2_AUTH_RESP " M=Access granted"));
	CHECK_OK(check_s(&v, "S=407a5589115fd0d6209f510fe9c04566932cda56"));
	/* one digit off */
	CHECK_ERR(check_s(&v, "S=407A5589115FD0D6209F510FE9C04566932CDA57"),
	    ERR_AUTH);
	CHECK_ERR(check_s(&v, "S=507A5589115FD0D6209F510FE9C04566932CDA56"),
	    ERR_AUTH);
	/* malformed */
	CHECK_ERR(check_s(&v, ""), ERR_FORMAT);
	CHECK_ERR(check_s(&v, "S=407A5589115FD0D6209F510FE9C04566932CDA5"),
	    ERR_FORMAT);
	CHECK_ERR(check_s(&v, "s=407A5589115FD0D6209F510FE9C04566932CDA56"),
	    ERR_FORMAT);
	CHECK_ERR(check_s(&v, "S:407A5589115FD0D6209F510FE9C04566932CDA56"),
	    ERR_FORMAT);
	CHECK_ERR(check_s(&v, "S=407A5589115FD0D6209F510FE9C04566932CDAG6"),
	    ERR_FORMAT);
	CHECK_ERR(check_s(&v, V2_AUTH_RESP "0"), ERR_FORMAT);
	CHECK_ERR(check_s(&v, V2_AUTH_RESP "M=x"), ERR_FORMAT);
	CHECK_ERR(check_s(&v, "E=691 R=1 C=00112233445566778899AABBCCDDEEFF "
	    "V=3"), ERR_FORMAT);
	/* the length is honoured, not a NUL */
	snprintf(msg, sizeof(msg), "%s", V2_AUTH_RESP);
	CHECK_ERR(mschapv2_check_authenticator_response(v.hash, v.nt_response,
	    v.peer, v.auth, v2_user, 4, msg, 41), ERR_FORMAT);
}

TEST(mschapv2_authenticator_response_text_optional)
{
	struct v2 v;
	uint8_t raw1[20], raw2[20];
	char text[MSCHAPV2_AUTH_STR_LEN + 1];

	v2_load(&v);
	mschapv2_generate_authenticator_response(v.hash, v.nt_response, v.peer,
	    v.auth, v2_user, 4, raw1, NULL);
	mschapv2_generate_authenticator_response(v.hash, v.nt_response, v.peer,
	    v.auth, v2_user, 4, raw2, text);
	CHECK_MEM(raw1, raw2, 20);
	CHECK_EQ(strlen(text), MSCHAPV2_AUTH_STR_LEN);
}

TEST(chap_md5_known_answer_and_verify)
{
	/* MD5(2A || "sesame" || 00112233445566778899AABBCCDDEEFF), computed
	 * independently with Python's hashlib */
	uint8_t chal[16], want[16], got[16];

	CHECK_EQ(t_unhex("00112233445566778899aabbccddeeff", chal, 16), 16);
	CHECK_EQ(t_unhex("19a477c128bc40d1c0af151bc3bc1ff8", want, 16), 16);
	chap_md5_response(0x2a, "sesame", 6, chal, 16, got);
	CHECK_MEM(got, want, 16);
	CHECK_OK(chap_md5_verify(0x2a, "sesame", 6, chal, 16, want, 16));
	CHECK_ERR(chap_md5_verify(0x2b, "sesame", 6, chal, 16, want, 16),
	    ERR_AUTH);
	CHECK_ERR(chap_md5_verify(0x2a, "sesamE", 6, chal, 16, want, 16),
	    ERR_AUTH);
	CHECK_ERR(chap_md5_verify(0x2a, "sesame", 6, chal, 16, want, 15),
	    ERR_AUTH);
	want[0] ^= 0x80;
	CHECK_ERR(chap_md5_verify(0x2a, "sesame", 6, chal, 16, want, 16),
	    ERR_AUTH);
}

/*
 * test_crypto_mppe_keys.c - RFC 3079 known answers: section 2.5 (keys from
 * MS-CHAPv1) and 3.5 (from MS-CHAPv2), with the RFC's two typos corrected
 * (the printed values are in the comments), the Magic2 (client-send)
 * direction of landscape.md 4.3, and the direction rule itself.
 */
#include "t.h"
#include "../src/crypto/mppe_keys.h"
#include "../src/crypto/mschap.h"

#define PW_HASH_HASH	"41C00C584BD2D91C4017A2A12FA59F3F"
#define NT_RESPONSE	"82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"

static const uint8_t test_message[12] = "test message";

/* rc4(session key, "test message") as RFC 3079 prints it */
static void
check_rc4_sample(const uint8_t *key, size_t keylen, const char *hex)
{
	uint8_t want[12], got[12];
	struct rc4 c;

	CHECK_EQ(t_unhex(hex, want, 12), 12);
	rc4_init(&c, key, keylen);
	rc4_crypt(&c, test_message, got, 12);
	CHECK_MEM(got, want, 12);
}

static void
check_hex(const uint8_t *got, const char *hex, size_t n)
{
	uint8_t want[32];

	CHECK_EQ(t_unhex(hex, want, sizeof(want)), (int)n);
	CHECK_MEM(got, want, n);
}

TEST(rfc3079_2_5_mschapv1_40_and_56_bit)
{
	uint8_t lm[16], hh[16], chal[8], send[16], recv[16], sess[16];
	static const uint8_t zero8[8];

	/* Step 1: LmPasswordHash("clientPass") */
	CHECK_OK(mschap_lm_password_hash("clientPass", 10, lm));
	check_hex(lm, "76a152936096d7830e2390227404afd2", 16);
	CHECK_EQ(t_unhex(PW_HASH_HASH, hh, 16), 16);
	CHECK_EQ(t_unhex("102db5df085d3041", chal, 8), 8);

	CHECK_OK(mppe_keys_from_mschapv1(lm, hh, chal, 40, send, recv));
	CHECK_MEM(send, lm, 8);		/* InitialSessionKey = LM[0..7] */
	CHECK_MEM(send + 8, zero8, 8);
	CHECK_MEM(recv, send, 16);	/* one key both ways */
	/* Step 2: GetKey: GetNewKeyFromSHA(Initial, Initial, 8) */
	mppe_get_new_key_from_sha(send, send, 8, sess);
	check_hex(sess, "d80801538cec4a08", 8);
	/* Step 3: reduced to 40 and 56 bits */
	CHECK_OK(mppe_initial_session_key(send, 40, sess));
	check_hex(sess, "d1269e538cec4a08", 8);
	CHECK_OK(mppe_initial_session_key(send, 56, sess));
	check_hex(sess, "d10801538cec4a08", 8);

	CHECK_OK(mppe_keys_from_mschapv1(lm, hh, chal, 56, send, recv));
	CHECK_MEM(send, lm, 8);
	/* without an LM hash there are no 40/56-bit keys */
	CHECK_ERR(mppe_keys_from_mschapv1(NULL, hh, chal, 40, send, recv),
	    ERR_UNSUPPORTED);
	CHECK_MEM(send, zero8, 8);
	CHECK_ERR(mppe_keys_from_mschapv1(lm, hh, chal, 64, send, recv),
	    ERR_INVAL);
}

TEST(rfc3079_2_5_mschapv1_128_bit)
{
	uint8_t hash[16], hh[16], chal[8], send[16], recv[16], sess[16];

	CHECK_OK(mschap_nt_password_hash("clientPass", 10, hash));
	check_hex(hash, "44ebba8d5312b8d611474411f56989ae", 16);
	mschap_hash_nt_password_hash(hash, hh);
	check_hex(hh, PW_HASH_HASH, 16);
	CHECK_EQ(t_unhex("102db5df085d3041", chal, 8), 8);
	/* RFC 3079 2.5 Step 3 prints InitialSessionKey as
	 *   a8 94 78 50 cf c0 ac ca d1 78 9f b6 2d dc dd b0  (typo: "ca");
	 * SHA1(PwHashHash || PwHashHash || Challenge) gives "c1", which is
	 * also what its Step 4 line shows. */
	mppe_v1_start_key_128(chal, hh, send);
	check_hex(send, "a8947850cfc0acc1d1789fb62ddcddb0", 16);
	CHECK_OK(mppe_keys_from_mschapv1(NULL, hh, chal, 128, send, recv));
	check_hex(recv, "a8947850cfc0acc1d1789fb62ddcddb0", 16);
	/* Step 4: CurrentSessionKey, no RC4 step */
	CHECK_OK(mppe_initial_session_key(send, 128, sess));
	check_hex(sess, "59d159bc09f76f1da2a86a28ffec0b1e", 16);
}

TEST(rfc3079_3_5_mschapv2_server_send_keys)
{
	uint8_t hh[16], ntr[24], master[16], start[16], sess[16];
	uint8_t send[16], recv[16];

	CHECK_EQ(t_unhex(PW_HASH_HASH, hh, 16), 16);
	CHECK_EQ(t_unhex(NT_RESPONSE, ntr, 24), 24);
	mppe_get_master_key(hh, ntr, master);
	check_hex(master, "FDECE3717A8C838CB388E527AE3CDD31", 16);

	/* The RFC's "send" keys are the server's (Magic3); chapcrack's
	 * Decrypt_Test computes them as serverMasterKey. */
	mppe_get_asymmetric_start_key(master, start, 8, true, true);
	check_hex(start, "8B7CDC149B993A1B0000000000000000", 16);
	CHECK_OK(mppe_initial_session_key(start, 40, sess));
	check_hex(sess, "D1269EC49FA62E3E", 8);
	check_rc4_sample(sess, 8, "92913791 7E5803D6 68D75898");
	CHECK_OK(mppe_initial_session_key(start, 56, sess));
	check_hex(sess, "D15C00C49FA62E3E", 8);
	/* RFC 3079 3.5 prints this one as 3F 10 68 33 FA 44 8D A8 42 BC 57 58
	 * (and labels the key "SendSessionKey40"); RC4 with D15C00C49FA62E3E
	 * ends in B8, not 58. */
	check_rc4_sample(sess, 8, "3F106833FA448DA842BC57B8");

	mppe_get_asymmetric_start_key(master, start, 16, true, true);
	check_hex(start, "8B7CDC149B993A1BA118CB153F56DCCB", 16);
	CHECK_OK(mppe_initial_session_key(start, 128, sess));
	check_hex(sess, "405CB2247A7956E6E211007AE27B22D4", 16);
	check_rc4_sample(sess, 16, "81848317DF68846272FB5ABE");

	/* the role function gives the server exactly these as send keys */
	CHECK_OK(mppe_keys_from_mschapv2(hh, ntr, true, 128, send, recv));
	check_hex(send, "8B7CDC149B993A1BA118CB153F56DCCB", 16);
	CHECK_OK(mppe_keys_from_mschapv2(hh, ntr, true, 40, send, recv));
	check_hex(send, "8B7CDC149B993A1B0000000000000000", 16);
}

TEST(mschapv2_magic2_direction_landscape_4_3)
{
	/* Client send = server receive = Magic2 (computed for landscape.md
	 * 4.3, not printed in any RFC). */
	uint8_t hh[16], ntr[24], master[16], start[16], sess[16];

	CHECK_EQ(t_unhex(PW_HASH_HASH, hh, 16), 16);
	CHECK_EQ(t_unhex(NT_RESPONSE, ntr, 24), 24);
	mppe_get_master_key(hh, ntr, master);
	mppe_get_asymmetric_start_key(master, start, 16, true, false);
	check_hex(start, "D5F0E9521E3EA9589645E86051C82226", 16);
	CHECK_OK(mppe_initial_session_key(start, 128, sess));
	check_hex(sess, "49D11D0F0CC6BEFBA2A9B4B688F91EEE", 16);
	check_rc4_sample(sess, 16, "B56CA95695E14ACB15F1BA3C");
	CHECK_OK(mppe_initial_session_key(start, 40, sess));
	check_hex(sess, "D1269ED2AE999038", 8);
	check_rc4_sample(sess, 8, "DA2FFC50B22612D41FA7F2BB");
	CHECK_OK(mppe_initial_session_key(start, 56, sess));
	check_hex(sess, "D16A9BD2AE999038", 8);
	check_rc4_sample(sess, 8, "4AB6DF617437264825FB655C");
	/* the server's receive key is the same Magic2 key */
	mppe_get_asymmetric_start_key(master, sess, 16, false, true);
	CHECK_MEM(sess, start, 16);
}

TEST(mschapv2_keys_pair_up_across_roles)
{
	uint8_t hh[16], ntr[24];
	uint8_t ss[16], sr[16], cs[16], cr[16];
	unsigned bits[3] = { 40, 56, 128 }, b;

	CHECK_EQ(t_unhex(PW_HASH_HASH, hh, 16), 16);
	CHECK_EQ(t_unhex(NT_RESPONSE, ntr, 24), 24);
	for (b = 0; b < 3; b++) {
		CHECK_OK(mppe_keys_from_mschapv2(hh, ntr, true, bits[b], ss, sr));
		CHECK_OK(mppe_keys_from_mschapv2(hh, ntr, false, bits[b], cs,
		    cr));
		CHECK_MEM(ss, cr, 16);	/* server send = client receive */
		CHECK_MEM(cs, sr, 16);	/* client send = server receive */
		CHECK(memcmp(ss, sr, 16) != 0);	/* the directions differ */
	}
	CHECK_ERR(mppe_keys_from_mschapv2(hh, ntr, true, 0, ss, sr), ERR_INVAL);
	CHECK_ERR(mppe_keys_from_mschapv2(hh, ntr, true, 129, ss, sr),
	    ERR_INVAL);
	/* the key comes from the NT-Response: another response, other keys */
	ntr[0] ^= 1;
	CHECK_OK(mppe_keys_from_mschapv2(hh, ntr, true, 128, cs, cr));
	CHECK(memcmp(ss, cs, 16) != 0);
}

TEST(mppe_key_change_matches_rfc3078_7_3)
{
	/* One key change by hand: GetNewKeyFromSHA, RC4 of the interim key
	 * under itself, reduce; and *rc4 ends keyed with the new key. */
	uint8_t start[16], sess[16], interim[16], want[16], a[32], b[32];
	static const uint8_t zero[32];
	struct rc4_fast r;
	struct rc4 ref;
	unsigned bits[3] = { 40, 56, 128 }, k;

	CHECK_EQ(t_unhex("8B7CDC149B993A1BA118CB153F56DCCB", start, 16), 16);
	for (k = 0; k < 3; k++) {
		size_t kl = mppe_key_len(bits[k]);

		CHECK_OK(mppe_initial_session_key(start, bits[k], sess));
		mppe_get_new_key_from_sha(start, sess, kl, interim);
		rc4_init(&ref, interim, kl);
		rc4_crypt(&ref, interim, want, kl);
		mppe_reduce_key(want, bits[k]);

		CHECK_OK(mppe_change_key(start, sess, bits[k], &r));
		CHECK_MEM(sess, want, kl);
		rc4_fast_crypt(&r, zero, a, sizeof(a));
		rc4_init(&ref, want, kl);
		rc4_crypt(&ref, zero, b, sizeof(b));
		CHECK_MEM(a, b, sizeof(a));
	}
	CHECK_ERR(mppe_change_key(start, sess, 64, &r), ERR_INVAL);
	CHECK_ERR(mppe_initial_session_key(start, 0, sess), ERR_INVAL);
	CHECK_EQ(mppe_key_len(40), 8);
	CHECK_EQ(mppe_key_len(56), 8);
	CHECK_EQ(mppe_key_len(128), 16);
	CHECK_EQ(mppe_key_len(64), 0);
}

TEST(mppe_reduce_key_salts)
{
	uint8_t k[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	mppe_reduce_key(k, 128);
	check_hex(k, "0102030405060708", 8);
	mppe_reduce_key(k, 56);
	check_hex(k, "D102030405060708", 8);
	mppe_reduce_key(k, 40);
	check_hex(k, "D1269E0405060708", 8);
}

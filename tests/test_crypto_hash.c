/*
 * test_crypto_hash.c - the nettle glue: MD4/MD5/SHA-1 against their RFC
 * vectors, incremental == one-shot, DES key expansion (RFC 2759 9.3), DES
 * with weak keys, and the strict UTF-8 -> UTF-16LE password converter.
 */
#include "t.h"
#include "../src/crypto/hash.h"

static void
check_digest(void (*fn)(const void *, size_t, uint8_t *), size_t dlen,
    const char *msg, const char *hex)
{
	uint8_t want[32], got[32];

	CHECK_EQ(t_unhex(hex, want, sizeof(want)), (int)dlen);
	fn(msg, strlen(msg), got);
	CHECK_MEM(got, want, dlen);
}

TEST(md4_rfc1320_vectors)
{
	check_digest(crypto_md4, 16, "", "31d6cfe0d16ae931b73c59d7e0c089c0");
	check_digest(crypto_md4, 16, "a", "bde52cb31de33e46245e05fbdbd6fb24");
	check_digest(crypto_md4, 16, "abc", "a448017aaf21d8525fc10ae87aa6729d");
	check_digest(crypto_md4, 16, "message digest",
	    "d9130a8164549fe818874806e1c7014b");
	check_digest(crypto_md4, 16, "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	    "e33b4ddc9c38f2199c3e7b164fcc0536");
}

TEST(md5_rfc1321_vectors)
{
	check_digest(crypto_md5, 16, "", "d41d8cd98f00b204e9800998ecf8427e");
	check_digest(crypto_md5, 16, "abc", "900150983cd24fb0d6963f7d28e17f72");
	check_digest(crypto_md5, 16, "message digest",
	    "f96b697d7cb7938d525a2f31aaf161d0");
}

TEST(sha1_fips180_vectors)
{
	check_digest(crypto_sha1, 20, "",
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_digest(crypto_sha1, 20, "abc",
	    "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_digest(crypto_sha1, 20,
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST(incremental_equals_one_shot_at_every_split)
{
	uint8_t msg[150], one[20], inc[20];
	struct crypto_sha1_ctx s;
	struct crypto_md5_ctx m;
	size_t i, cut;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 37 + 11);
	for (cut = 0; cut <= sizeof(msg); cut++) {
		crypto_sha1(msg, sizeof(msg), one);
		crypto_sha1_init(&s);
		crypto_sha1_update(&s, msg, cut);
		crypto_sha1_update(&s, msg + cut, sizeof(msg) - cut);
		crypto_sha1_final(&s, inc);
		CHECK_MEM(inc, one, 20);

		crypto_md5(msg, sizeof(msg), one);
		crypto_md5_init(&m);
		crypto_md5_update(&m, msg, cut);
		crypto_md5_update(&m, msg + cut, sizeof(msg) - cut);
		crypto_md5_final(&m, inc);
		CHECK_MEM(inc, one, 16);
	}
	/* final wipes the context */
	{
		static const uint8_t zero[sizeof(s)];

		CHECK_MEM(&s, zero, sizeof(s));
	}
}

TEST(des_key_expand_rfc2759_9_3)
{
	static const uint8_t k1[7] = { 0xfc, 0x15, 0x6a, 0xf7, 0xed, 0xcd, 0x6c };
	static const uint8_t k2[7] = { 0x0e, 0xdd, 0xe3, 0x33, 0x7d, 0x42, 0x7f };
	static const uint8_t w1[8] = { 0xfd, 0x0b, 0x5b, 0x5e, 0x7f, 0x6e, 0x34, 0xd9 };
	static const uint8_t w2[8] = { 0x0e, 0x6e, 0x79, 0x67, 0x37, 0xea, 0x08, 0xfe };
	uint8_t out[8];
	int i;

	crypto_des_key_expand(k1, out);
	CHECK_MEM(out, w1, 8);
	crypto_des_key_expand(k2, out);
	CHECK_MEM(out, w2, 8);
	for (i = 0; i < 8; i++)		/* odd parity everywhere */
		CHECK_EQ(__builtin_popcount(out[i]) & 1, 1);
}

TEST(des_encrypt_known_answer)
{
	/* The classic DES example: key 133457799BBCDFF1 (odd parity already;
	 * its 56 bits are 12695BC9B7B7F8), 0123456789ABCDEF -> 85E813540F0AB405 */
	uint8_t key7[7], clear[8], want[8], got[8];

	CHECK_EQ(t_unhex("12695bc9b7b7f8", key7, 7), 7);
	CHECK_EQ(t_unhex("0123456789abcdef", clear, 8), 8);
	CHECK_EQ(t_unhex("85e813540f0ab405", want, 8), 8);
	crypto_des_encrypt(clear, key7, got);
	CHECK_MEM(got, want, 8);
}

TEST(des_encrypt_weak_key_still_encrypts)
{
	/* An all-zero 7-octet key expands to 0101010101010101, a DES weak key
	 * nettle flags; it must still give the standard answer. */
	static const uint8_t key7[7], clear[8];
	uint8_t want[8], got[8], twice[8];

	CHECK_EQ(t_unhex("8ca64de9c1b123a7", want, 8), 8);
	crypto_des_encrypt(clear, key7, got);
	CHECK_MEM(got, want, 8);
	/* weak: encryption is an involution */
	crypto_des_encrypt(got, key7, twice);
	CHECK_MEM(twice, clear, 8);
}

static void
check_utf16(const char *utf8, size_t len, const char *hex)
{
	uint8_t want[64], got[64];
	size_t outlen = 99;
	int n = t_unhex(hex, want, sizeof(want));

	CHECK_OK(crypto_utf8_to_utf16le(utf8, len, got, sizeof(got), &outlen));
	CHECK_EQ(outlen, n);
	CHECK_MEM(got, want, (size_t)n);
}

TEST(utf8_to_utf16le_valid)
{
	check_utf16("", 0, "");
	check_utf16("MyPw", 4, "4d00790050007700");
	check_utf16("clientPass", 10, "63006c00690065006e0074005000610073007300");
	check_utf16("\xc3\xa9", 2, "e900");			/* U+00E9 */
	check_utf16("\xe2\x82\xac", 3, "ac20");			/* U+20AC */
	check_utf16("\xef\xbf\xbf", 3, "ffff");			/* U+FFFF */
	check_utf16("\xf0\x9f\x98\x80", 4, "3dd800de");		/* U+1F600 */
	check_utf16("\xf4\x8f\xbf\xbf", 4, "ffdbffdf");		/* U+10FFFF */
	check_utf16("a\0b", 3, "610000006200");		/* NUL is a character */
	check_utf16("\xdf\xbf\xe0\xa0\x80", 5, "ff070008");	/* U+07FF U+0800 */
}

TEST(utf8_to_utf16le_rejects_invalid)
{
	static const struct {
		const char	*s;
		size_t		 len;
	} bad[] = {
		{ "\x80", 1 },			/* stray continuation */
		{ "a\xbf", 2 },
		{ "\xc0\x80", 2 },		/* overlong NUL */
		{ "\xc1\xbf", 2 },		/* overlong */
		{ "\xe0\x80\x80", 3 },		/* overlong 3-octet */
		{ "\xe0\x9f\xbf", 3 },
		{ "\xf0\x8f\xbf\xbf", 4 },	/* overlong 4-octet */
		{ "\xed\xa0\x80", 3 },		/* encoded surrogate D800 */
		{ "\xed\xbf\xbf", 3 },		/* DFFF */
		{ "\xf4\x90\x80\x80", 4 },	/* U+110000 */
		{ "\xf5\x80\x80\x80", 4 },
		{ "\xfe", 1 }, { "\xff", 1 },
		{ "\xe2\x82", 2 },		/* truncated */
		{ "\xf0\x9f\x98", 3 },
		{ "\xc3", 1 },
		{ "\xe2\x28\xa1", 3 },		/* bad continuation */
		{ "\xf0\x9f\x28\x80", 4 },
		{ "ok\xc3\x28", 4 },
	};
	uint8_t out[32];
	size_t outlen;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		outlen = 77;
		t_note("case %u", i);
		CHECK_ERR(crypto_utf8_to_utf16le(bad[i].s, bad[i].len, out,
		    sizeof(out), &outlen), ERR_FORMAT);
		CHECK_EQ(outlen, 0);
	}
}

TEST(utf8_to_utf16le_no_space)
{
	uint8_t out[8];
	size_t outlen;

	CHECK_OK(crypto_utf8_to_utf16le("abcd", 4, out, 8, &outlen));
	CHECK_EQ(outlen, 8);
	CHECK_ERR(crypto_utf8_to_utf16le("abcde", 5, out, 8, &outlen),
	    ERR_NOSPACE);
	CHECK_EQ(outlen, 0);
	/* a surrogate pair needs 4 octets at once */
	CHECK_ERR(crypto_utf8_to_utf16le("abc\xf0\x9f\x98\x80", 7, out, 8,
	    &outlen), ERR_NOSPACE);
	CHECK_OK(crypto_utf8_to_utf16le("ab\xf0\x9f\x98\x80", 6, out, 8,
	    &outlen));
	CHECK_EQ(outlen, 8);
}

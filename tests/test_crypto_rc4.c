/*
 * test_crypto_rc4.c - RC4: both implementations against RFC 6229 section 2
 * (keystream at offsets 0, 16, ... 4096 for keys 0102030405.., 40 to 128
 * bits), against each other at every length and alignment, in place, and
 * with the state handed between them mid-stream.
 */
#include <stdlib.h>

#include "t.h"
#include "../src/crypto/rc4.h"

struct rfc6229_line {
	unsigned	offset;
	const char	*hex;		/* 16 keystream octets at offset */
};

/* RFC 6229 section 2, key 0x0102030405 (40 bits) */
static const struct rfc6229_line key40[] = {
	{ 0, "b2396305f03dc027ccc3524a0a1118a8" },
	{ 16, "6982944f18fc82d589c403a47a0d0919" },
	{ 240, "28cb1132c96ce286421dcaadb8b69eae" },
	{ 256, "1cfcf62b03eddb641d77dfcf7f8d8c93" },
	{ 496, "42b7d0cdd918a8a33dd51781c81f4041" },
	{ 512, "6459844432a7da923cfb3eb4980661f6" },
	{ 752, "ec10327bde2beefd18f9277680457e22" },
	{ 768, "eb62638d4f0ba1fe9fca20e05bf8ff2b" },
	{ 1008, "45129048e6a0ed0b56b490338f078da5" },
	{ 1024, "30abbcc7c20b01609f23ee2d5f6bb7df" },
	{ 1520, "3294f744d8f9790507e70f62e5bbceea" },
	{ 1536, "d8729db41882259bee4f825325f5a130" },
	{ 2032, "1eb14a0c13b3bf47fa2a0ba93ad45b8b" },
	{ 2048, "cc582f8ba9f265e2b1be9112e975d2d7" },
	{ 3056, "f2e30f9bd102ecbf75aaade9bc35c43c" },
	{ 3072, "ec0e11c479dc329dc8da7968fe965681" },
	{ 4080, "068326a2118416d21f9d04b2cd1ca050" },
	{ 4096, "ff25b58995996707e51fbdf08b34d875" },
};

/* key 0x01020304050607 (56 bits) */
static const struct rfc6229_line key56[] = {
	{ 0, "293f02d47f37c9b633f2af5285feb46b" },
	{ 16, "e620f1390d19bd84e2e0fd752031afc1" },
	{ 4096, "e74b0b9731227fd37c0ec08a47ddd8b8" },
};

/* key 0x0102030405060708 (64 bits) - the MPPE 40/56-bit key length */
static const struct rfc6229_line key64[] = {
	{ 0, "97ab8a1bf0afb96132f2f67258da15a8" },
	{ 16, "8263efdb45c4a18684ef87e6b19e5b09" },
	{ 1520, "1fe8986713f07c3d9ae1c163ff8cf9d3" },
	{ 4096, "3fb46e2c8f0f068edce8cdcd7dfc5862" },
};

/* key 0x0102030405060708090a0b0c0d0e0f10 (128 bits) */
static const struct rfc6229_line key128[] = {
	{ 0, "9ac7cc9a609d1ef7b2932899cde41b97" },
	{ 16, "5248c4959014126a6e8a84f11d1a9e1c" },
	{ 240, "065902e4b620f6cc36c8589f66432f2b" },
	{ 256, "d39d566bc6bce3010768151549f3873f" },
	{ 1520, "b40110c4190b5622a96116b0017ed297" },
	{ 4080, "ff38265c1642c1abe8d3c2fe5e572bf8" },
	{ 4096, "a36a4c301ae8ac13610ccbc12256cacc" },
};

#define STREAM_LEN	(4096 + 16)

static void
check_rfc6229(size_t keylen, const struct rfc6229_line *lines, size_t n)
{
	static uint8_t zero[STREAM_LEN], ours[STREAM_LEN], theirs[STREAM_LEN];
	uint8_t key[16], want[16];
	struct rc4_nettle nc;
	struct rc4 c;
	size_t i, k;

	for (k = 0; k < keylen; k++)
		key[k] = (uint8_t)(k + 1);
	rc4_init(&c, key, keylen);
	/* ours in uneven pieces, to cross the unrolled loop's edges */
	for (i = 0, k = 1; i < STREAM_LEN; i += k, k = k % 23 + 1)
		rc4_crypt(&c, zero + i, ours + i, i + k > STREAM_LEN ?
		    STREAM_LEN - i : k);
	rc4_nettle_init(&nc, key, keylen);
	rc4_nettle_crypt(&nc, zero, theirs, STREAM_LEN);
	for (i = 0; i < n; i++) {
		t_note("keylen %zu offset %u", keylen, lines[i].offset);
		CHECK_EQ(t_unhex(lines[i].hex, want, 16), 16);
		CHECK_MEM(ours + lines[i].offset, want, 16);
		CHECK_MEM(theirs + lines[i].offset, want, 16);
	}
}

TEST(rc4_rfc6229_40bit)
{
	check_rfc6229(5, key40, sizeof(key40) / sizeof(key40[0]));
}

TEST(rc4_rfc6229_56bit)
{
	check_rfc6229(7, key56, sizeof(key56) / sizeof(key56[0]));
}

TEST(rc4_rfc6229_64bit)
{
	check_rfc6229(8, key64, sizeof(key64) / sizeof(key64[0]));
}

TEST(rc4_rfc6229_128bit)
{
	check_rfc6229(16, key128, sizeof(key128) / sizeof(key128[0]));
}

TEST(rc4_wikipedia_key_plaintext)
{
	/* key "Key", "Plaintext" -> BBF316E8D940AF0AD3 */
	uint8_t want[9], got[9];
	struct rc4 c;

	CHECK_EQ(t_unhex("bbf316e8d940af0ad3", want, 9), 9);
	rc4_init(&c, (const uint8_t *)"Key", 3);
	rc4_crypt(&c, (const uint8_t *)"Plaintext", got, 9);
	CHECK_MEM(got, want, 9);
}

TEST(rc4_matches_nettle_every_length_and_alignment)
{
	uint8_t key[256], in[300], a[300], b[300];
	struct rc4_nettle nc;
	struct rc4 c;
	size_t keylen, len, off, i;
	int rounds;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 131 + 7);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i ^ 0x5a);
	for (keylen = 1; keylen <= 256; keylen += (keylen < 20 ? 1 : 29)) {
		for (off = 0; off < 8; off++) {
			rc4_init(&c, key, keylen);
			rc4_nettle_init(&nc, key, keylen);
			for (len = 0, rounds = 0; rounds < 40; rounds++) {
				len = (len * 7 + 3) % (sizeof(in) - off);
				rc4_crypt(&c, in + off, a + off, len);
				rc4_nettle_crypt(&nc, in + off, b + off, len);
				if (memcmp(a + off, b + off, len) != 0)
					break;
			}
			t_note("keylen %zu off %zu", keylen, off);
			CHECK_EQ(rounds, 40);
			CHECK_MEM(c.S, nc.n.S, 256);
			CHECK_EQ(c.i, nc.n.i);
			CHECK_EQ(c.j, nc.n.j);
		}
	}
}

TEST(rc4_in_place_and_overlapping_backwards)
{
	uint8_t key[16] = "0123456789abcdef";
	uint8_t buf[1402], ref[1400], plain[1400];
	struct rc4 c;
	size_t i;

	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i * 3);
	rc4_init(&c, key, 16);
	rc4_crypt(&c, plain, ref, sizeof(plain));

	memcpy(buf, plain, sizeof(plain));		/* in == out */
	rc4_init(&c, key, 16);
	rc4_crypt(&c, buf, buf, sizeof(plain));
	CHECK_MEM(buf, ref, sizeof(ref));

	memcpy(buf + 2, plain, sizeof(plain));		/* out = in - 2 */
	rc4_init(&c, key, 16);
	rc4_crypt(&c, buf + 2, buf, sizeof(plain));
	CHECK_MEM(buf, ref, sizeof(ref));
}

TEST(rc4_state_is_shared_with_nettle)
{
	/* the same state shape: hand a running stream from one to the other */
	uint8_t key[5] = { 1, 2, 3, 4, 5 }, zero[64] = { 0 }, out[64], want[16];
	struct rc4_nettle nc;
	struct rc4 c;

	rc4_init(&c, key, 5);
	rc4_crypt(&c, zero, out, 13);
	memcpy(nc.n.S, c.S, 256);
	nc.n.i = c.i;
	nc.n.j = c.j;
	rc4_nettle_crypt(&nc, zero, out + 13, 3);
	memcpy(c.S, nc.n.S, 256);
	c.i = nc.n.i;
	c.j = nc.n.j;
	rc4_crypt(&c, zero, out + 16, 16);
	CHECK_EQ(t_unhex("6982944f18fc82d589c403a47a0d0919", want, 16), 16);
	CHECK_MEM(out + 16, want, 16);
	CHECK_EQ(t_unhex("b2396305f03dc027ccc3524a0a1118a8", want, 16), 16);
	CHECK_MEM(out, want, 16);
}

TEST(rc4_fast_is_a_working_choice)
{
	uint8_t key[16] = "fedcba9876543210", a[100], b[100], zero[100] = { 0 };
	struct rc4_fast f;
	struct rc4_nettle nc;

	rc4_fast_init(&f, key, 16);
	rc4_fast_crypt(&f, zero, a, sizeof(a));
	rc4_nettle_init(&nc, key, 16);
	rc4_nettle_crypt(&nc, zero, b, sizeof(b));
	CHECK_MEM(a, b, sizeof(a));
	CHECK(strlen(RC4_FAST_NAME) > 0);
}

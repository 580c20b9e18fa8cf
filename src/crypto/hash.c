/*
 * hash.c - MD4, MD5, SHA-1 and DES glue over nettle, and UTF-8 to UTF-16LE
 * for MS-CHAP passwords.
 *
 * Implements RFC 2759 section 8.6 (DesEncrypt) and the key expansion of
 * RFC 2433 appendix A.7 / RFC 2759 section 9.3; the digests are nettle's.
 * UTF-8 is decoded strictly by RFC 3629 section 4; UTF-16 by RFC 2781.
 */
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>

#include "../base/secret.h"
#include "hash.h"

void
crypto_md4(const void *data, size_t len, uint8_t digest[CRYPTO_MD4_LEN])
{
	struct md4_ctx c;

	md4_init(&c);
	md4_update(&c, len, data);
	md4_digest(&c, CRYPTO_MD4_LEN, digest);
	secret_wipe(&c, sizeof(c));
}

void
crypto_md5(const void *data, size_t len, uint8_t digest[CRYPTO_MD5_LEN])
{
	struct crypto_md5_ctx c;

	crypto_md5_init(&c);
	crypto_md5_update(&c, data, len);
	crypto_md5_final(&c, digest);
}

void
crypto_sha1(const void *data, size_t len, uint8_t digest[CRYPTO_SHA1_LEN])
{
	struct crypto_sha1_ctx c;

	crypto_sha1_init(&c);
	crypto_sha1_update(&c, data, len);
	crypto_sha1_final(&c, digest);
}

void
crypto_md5_init(struct crypto_md5_ctx *c)
{
	md5_init(&c->n);
}

void
crypto_md5_update(struct crypto_md5_ctx *c, const void *data, size_t len)
{
	if (len > 0)
		md5_update(&c->n, len, data);
}

void
crypto_md5_final(struct crypto_md5_ctx *c, uint8_t digest[CRYPTO_MD5_LEN])
{
	md5_digest(&c->n, CRYPTO_MD5_LEN, digest);
	secret_wipe(c, sizeof(*c));
}

void
crypto_sha1_init(struct crypto_sha1_ctx *c)
{
	sha1_init(&c->n);
}

void
crypto_sha1_update(struct crypto_sha1_ctx *c, const void *data, size_t len)
{
	if (len > 0)
		sha1_update(&c->n, len, data);
}

void
crypto_sha1_final(struct crypto_sha1_ctx *c, uint8_t digest[CRYPTO_SHA1_LEN])
{
	sha1_digest(&c->n, CRYPTO_SHA1_LEN, digest);
	secret_wipe(c, sizeof(*c));
}

/* The 56-bit key is read as one big-endian bit string; octet i of the DES
 * key carries bits 7i..7i+6 in its top seven bits. */
void
crypto_des_key_expand(const uint8_t key7[CRYPTO_DES_KEY7_LEN], uint8_t key8[8])
{
	uint64_t bits = 0;
	int i;

	for (i = 0; i < CRYPTO_DES_KEY7_LEN; i++)
		bits = bits << 8 | key7[i];
	for (i = 0; i < 8; i++) {
		uint8_t b = (uint8_t)((bits >> (49 - 7 * i)) << 1);

		/* odd parity: the low bit makes the count of ones odd */
		key8[i] = b | (uint8_t)((__builtin_popcount(b) & 1) ^ 1);
	}
	secret_wipe(&bits, sizeof(bits));
}

void
crypto_des_encrypt(const uint8_t clear[CRYPTO_DES_BLOCK_LEN],
    const uint8_t key7[CRYPTO_DES_KEY7_LEN],
    uint8_t cypher[CRYPTO_DES_BLOCK_LEN])
{
	struct des_ctx c;
	uint8_t key8[8];

	crypto_des_key_expand(key7, key8);
	/*
	 * nettle 3.x returns 0 for the 16 weak and semi-weak keys but builds
	 * the key schedule all the same (checked against the DES test vector
	 * for 0101010101010101 in tests/test_crypto_hash.c).  MS-CHAP has no
	 * say in its keys, so the answer is ignored on purpose.
	 */
	(void)des_set_key(&c, key8);
	des_encrypt(&c, CRYPTO_DES_BLOCK_LEN, cypher, clear);
	secret_wipe(&c, sizeof(c));
	secret_wipe(key8, sizeof(key8));
}

/*
 * Decodes one UTF-8 sequence at s[0..left-1] (RFC 3629 section 4 table,
 * which rules out overlongs and surrogates by the range of the second
 * octet).  Returns its length and the code point, or 0 if invalid.
 */
static size_t
utf8_decode_one(const uint8_t *s, size_t left, uint32_t *cp)
{
	uint8_t b0 = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		n = 2;
		v = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		n = 3;
		v = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;		/* no overlongs */
		else if (b0 == 0xed)
			hi = 0x9f;		/* no surrogates */
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		n = 4;
		v = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;		/* no overlongs */
		else if (b0 == 0xf4)
			hi = 0x8f;		/* nothing past U+10FFFF */
	} else {
		return 0;			/* 80-C1, F5-FF */
	}
	if (left < n || s[1] < lo || s[1] > hi)
		return 0;
	v = v << 6 | (s[1] & 0x3f);
	for (i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return n;
}

int
crypto_utf8_to_utf16le(const char *s, size_t len, uint8_t *out, size_t cap,
    size_t *outlen)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t off = 0, o = 0, n;
	uint32_t cp = 0;
	int ret = 0;

	*outlen = 0;
	while (off < len) {
		if ((n = utf8_decode_one(p + off, len - off, &cp)) == 0) {
			ret = ERR_FORMAT;
			goto fail;
		}
		off += n;
		if (cp >= 0x10000) {
			/* RFC 2781 2.1: a pair of surrogates */
			uint32_t u = cp - 0x10000;
			uint16_t w1 = (uint16_t)(0xd800 | (u >> 10));
			uint16_t w2 = (uint16_t)(0xdc00 | (u & 0x3ff));

			if (cap - o < 4) {
				ret = ERR_NOSPACE;
				goto fail;
			}
			out[o++] = (uint8_t)w1;
			out[o++] = (uint8_t)(w1 >> 8);
			out[o++] = (uint8_t)w2;
			out[o++] = (uint8_t)(w2 >> 8);
		} else {
			if (cap - o < 2) {
				ret = ERR_NOSPACE;
				goto fail;
			}
			out[o++] = (uint8_t)cp;
			out[o++] = (uint8_t)(cp >> 8);
		}
	}
	*outlen = o;
	secret_wipe(&cp, sizeof(cp));
	return 0;
fail:
	secret_wipe(out, o);
	secret_wipe(&cp, sizeof(cp));
	return ret;
}

/*
 * hash.h - thin glue over nettle for the primitives MS-CHAP and MPPE use:
 * MD4 (RFC 1320), MD5 (RFC 1321), SHA-1 (FIPS 180), single-block DES
 * with a 7-octet key (RFC 2759 section 8.6 DesEncrypt, RFC 2433 A.7), and
 * the UTF-8 to UTF-16LE conversion of passwords (RFC 2759 section 8.3,
 * "Password is the 0-to-256-unicode-char password").
 *
 * Pure: no clock, no randomness, no I/O, no allocation.  Every context and
 * intermediate key is wiped before the functions return.
 */
#ifndef PPTPKIT_CRYPTO_HASH_H
#define PPTPKIT_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/md5.h>
#include <nettle/sha1.h>

#include "../base/err.h"

#define CRYPTO_MD4_LEN		16
#define CRYPTO_MD5_LEN		16
#define CRYPTO_SHA1_LEN		20
#define CRYPTO_DES_KEY7_LEN	7	/* the 56 key bits, no parity */
#define CRYPTO_DES_BLOCK_LEN	8

/* One-shot digests of len bytes at data (data may be NULL when len is 0). */
void crypto_md4(const void *data, size_t len, uint8_t digest[CRYPTO_MD4_LEN]);
void crypto_md5(const void *data, size_t len, uint8_t digest[CRYPTO_MD5_LEN]);
void crypto_sha1(const void *data, size_t len, uint8_t digest[CRYPTO_SHA1_LEN]);

/* Incremental MD5 (CHAP: MD5(Identifier || secret || Challenge)) and SHA-1
 * (MS-CHAPv2 and MPPE digests over several fields).  _final writes the
 * digest and wipes the context; the context may then be _init'ed again. */
struct crypto_md5_ctx {
	struct md5_ctx	n;
};
void crypto_md5_init(struct crypto_md5_ctx *c);
void crypto_md5_update(struct crypto_md5_ctx *c, const void *data, size_t len);
void crypto_md5_final(struct crypto_md5_ctx *c, uint8_t digest[CRYPTO_MD5_LEN]);

struct crypto_sha1_ctx {
	struct sha1_ctx	n;
};
void crypto_sha1_init(struct crypto_sha1_ctx *c);
void crypto_sha1_update(struct crypto_sha1_ctx *c, const void *data, size_t len);
void crypto_sha1_final(struct crypto_sha1_ctx *c, uint8_t digest[CRYPTO_SHA1_LEN]);

/*
 * Spreads the 56 bits of key7 over 8 octets, 7 bits in the high bits of
 * each, and sets each low bit so the octet has odd parity (RFC 2759 9.3
 * shows FC 15 6A F7 ED CD 6C -> FD 0B 5B 5E 7F 6E 34 D9).
 */
void crypto_des_key_expand(const uint8_t key7[CRYPTO_DES_KEY7_LEN],
    uint8_t key8[8]);

/*
 * RFC 2759 8.6 DesEncrypt(Clear, Key, Cypher): one DES-ECB block of clear
 * under the 7-octet key.  Never fails: DES weak and semi-weak keys are
 * used as they are (nettle's des_set_key reports them but still builds the
 * schedule), because a password hash whose third 7-octet key is weak (its
 * last two octets zero) must still give the right ChallengeResponse.
 */
void crypto_des_encrypt(const uint8_t clear[CRYPTO_DES_BLOCK_LEN],
    const uint8_t key7[CRYPTO_DES_KEY7_LEN],
    uint8_t cypher[CRYPTO_DES_BLOCK_LEN]);

/*
 * Converts len bytes of UTF-8 at s (not NUL-terminated; NUL is a character
 * like any other) to UTF-16 little-endian in out[cap]; characters outside
 * the BMP become surrogate pairs.  *outlen receives the byte count written.
 * Returns 0; ERR_FORMAT for invalid UTF-8 (a stray continuation octet, a
 * truncated sequence, an overlong form, an encoded surrogate, a code point
 * past U+10FFFF, octets C0, C1, F5-FF); ERR_NOSPACE if out is too small.
 * On error *outlen is 0 and whatever was written to out is wiped.
 */
int crypto_utf8_to_utf16le(const char *s, size_t len, uint8_t *out,
    size_t cap, size_t *outlen) MUST_CHECK;

#endif

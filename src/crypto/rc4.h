/*
 * rc4.h - the RC4 stream cipher MPPE encrypts with (RFC 3078 section 7;
 * the algorithm is the one RFC 6229 gives test vectors for).
 *
 * Two implementations sit behind one interface shape:
 *
 *   struct rc4, rc4_init, rc4_crypt                  pptpkit's own, in C
 *   struct rc4_nettle, rc4_nettle_init, rc4_nettle_crypt    nettle's arcfour
 *
 * and struct rc4_fast / rc4_fast_init / rc4_fast_crypt name the one the
 * product (the MPPE transform) uses: the faster of the two on bench/crypto.c,
 * which is ours (docs/PERFORMANCE.md, "Crypto", has the numbers).  Build
 * with -DPPTPKIT_RC4_NETTLE to switch MPPE to nettle's.
 *
 * Both keep the same state (S-box, i, j with the same meaning), both give
 * the same keystream, and both allow in-place use (in == out).  A partial
 * overlap is allowed only with out before in (out <= in), as when
 * decrypting a packet onto its own start; the cipher works forwards.
 */
#ifndef PPTPKIT_CRYPTO_RC4_H
#define PPTPKIT_CRYPTO_RC4_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/arcfour.h>

#define RC4_KEY_MIN	1
#define RC4_KEY_MAX	256

struct rc4 {
	uint8_t	S[256];		/* the permutation */
	uint8_t	i, j;		/* i: the last index used; j: the running sum */
};

/* Key schedule (KSA) for keylen octets of key, RC4_KEY_MIN..RC4_KEY_MAX.
 * A keylen outside that range is clamped into it (0 reads one octet, more
 * than 256 reads 256), so the call cannot fail.  Wipe the state with
 * secret_wipe when done. */
void rc4_init(struct rc4 *c, const uint8_t *key, size_t keylen);

/* out[k] = in[k] XOR the next len keystream octets. */
void rc4_crypt(struct rc4 *c, const uint8_t *in, uint8_t *out, size_t len);

/* nettle's arcfour behind the same shape (for the tests and the bench). */
struct rc4_nettle {
	struct arcfour_ctx	n;
};
void rc4_nettle_init(struct rc4_nettle *c, const uint8_t *key, size_t keylen);
void rc4_nettle_crypt(struct rc4_nettle *c, const uint8_t *in, uint8_t *out,
    size_t len);

/* The RC4 the product uses (a compile-time choice; see the top). */
#ifdef PPTPKIT_RC4_NETTLE
#define rc4_fast	rc4_nettle
#define rc4_fast_init	rc4_nettle_init
#define rc4_fast_crypt	rc4_nettle_crypt
#define RC4_FAST_NAME	"nettle"
#else
#define rc4_fast	rc4
#define rc4_fast_init	rc4_init
#define rc4_fast_crypt	rc4_crypt
#define RC4_FAST_NAME	"pptpkit"
#endif

#endif

/*
 * rc4.c - RC4 (the cipher of RFC 3078 section 7, vectors in RFC 6229),
 * written for speed in plain C, and nettle's arcfour behind the same shape.
 *
 * Why ours is faster than a textbook loop (bench/crypto.c measures it):
 *  - i, j and S[i] live in registers; the next S[i+1] is loaded before the
 *    stores of this step, and patched in the rare case j == i+1 where the
 *    swap just changed it (a branch, not a cmov), so neither the load nor
 *    the check sits on the j -> j dependency chain;
 *  - the keystream loop is unrolled by 8 and the eight octets are gathered
 *    into one 64-bit word, XORed with the input in one load and one store;
 *  - the key schedule does the same prefetch, starts from a copied
 *    identity permutation, and for MPPE's 8- and 16-octet keys is unrolled
 *    by the key length so no key index is kept.
 */
#include <string.h>

#include "rc4.h"

/* The shift that puts keystream octet n (0..7) at memory offset n of a
 * 64-bit word, whatever the byte order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define KS_SHIFT(n)	(56 - 8 * (n))
#else
#define KS_SHIFT(n)	(8 * (n))
#endif

/*
 * The identity, opaque to the optimiser.  Used in the rare j == i+1 fix-up
 * so the compiler keeps it a (well-predicted) branch instead of a
 * conditional move: a cmov would put the compare on the j -> j chain and
 * cost about 13% of the speed (bench/crypto.c).
 */
static inline uint8_t
rc4_keep_branch(uint8_t v)
{
	__asm__("" : "+r"(v));
	return v;
}

/* 0, 1, ..., 255: the permutation before the key schedule */
static const uint8_t rc4_identity[256] = {
#define ROW(x)	x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7,	\
		x + 8, x + 9, x + 10, x + 11, x + 12, x + 13, x + 14, x + 15
	ROW(0), ROW(16), ROW(32), ROW(48), ROW(64), ROW(80), ROW(96),
	ROW(112), ROW(128), ROW(144), ROW(160), ROW(176), ROW(192), ROW(208),
	ROW(224), ROW(240)
#undef ROW
};

/*
 * One KSA step at index i + o with key octet kb, S[i + o] already in si:
 *   j = j + S[i] + key[i mod keylen]; swap S[i], S[j]
 * S[i + o + 1] is fetched before the stores, as in the PRGA below.
 */
#define KSA_STEP(o, kb) do {						\
	uint8_t i1 = (uint8_t)(i + (o) + 1), sj, nx;			\
									\
	j = (uint8_t)(j + si + (kb));					\
	sj = S[j];							\
	nx = S[i1];							\
	S[(uint8_t)(i + (o))] = sj;					\
	S[j] = si;							\
	if (__builtin_expect(j == i1, 0))				\
		nx = rc4_keep_branch(si);				\
	si = nx;							\
} while (0)

void
rc4_init(struct rc4 *c, const uint8_t *key, size_t keylen)
{
	uint8_t *S = c->S;
	uint8_t j = 0, si;
	unsigned i, k;

	if (keylen < RC4_KEY_MIN)
		keylen = RC4_KEY_MIN;
	if (keylen > RC4_KEY_MAX)
		keylen = RC4_KEY_MAX;
	memcpy(S, rc4_identity, sizeof(rc4_identity));
	si = S[0];
	if (keylen == 16) {		/* MPPE-128: key octet known per step */
		for (i = 0; i < 256; i += 16) {
			KSA_STEP(0, key[0]);   KSA_STEP(1, key[1]);
			KSA_STEP(2, key[2]);   KSA_STEP(3, key[3]);
			KSA_STEP(4, key[4]);   KSA_STEP(5, key[5]);
			KSA_STEP(6, key[6]);   KSA_STEP(7, key[7]);
			KSA_STEP(8, key[8]);   KSA_STEP(9, key[9]);
			KSA_STEP(10, key[10]); KSA_STEP(11, key[11]);
			KSA_STEP(12, key[12]); KSA_STEP(13, key[13]);
			KSA_STEP(14, key[14]); KSA_STEP(15, key[15]);
		}
	} else if (keylen == 8) {	/* MPPE-40 and -56 */
		for (i = 0; i < 256; i += 8) {
			KSA_STEP(0, key[0]); KSA_STEP(1, key[1]);
			KSA_STEP(2, key[2]); KSA_STEP(3, key[3]);
			KSA_STEP(4, key[4]); KSA_STEP(5, key[5]);
			KSA_STEP(6, key[6]); KSA_STEP(7, key[7]);
		}
	} else {
		for (i = 0, k = 0; i < 256; i++) {
			KSA_STEP(0, key[k]);
			if (++k == keylen)
				k = 0;
		}
	}
	c->i = 0;
	c->j = 0;
}

/*
 * One PRGA step with the S[i] of this step already in si:
 *   i = i + 1; j = j + S[i]; swap S[i], S[j]; K = S[S[i] + S[j]]
 * and S[i+1] fetched for the next step.  The keystream octet goes to bit
 * position `shift` of ks.
 */
#define RC4_STEP(shift) do {						\
	uint8_t i1 = (uint8_t)(i + 1);					\
	uint8_t sj, nx;							\
									\
	j = (uint8_t)(j + si);						\
	sj = S[j];							\
	nx = S[i1];							\
	S[i] = sj;							\
	S[j] = si;							\
	ks |= (uint64_t)S[(uint8_t)(si + sj)] << (shift);		\
	if (__builtin_expect(j == i1, 0))				\
		nx = rc4_keep_branch(si); /* the swap moved si there */	\
	i = i1;								\
	si = nx;							\
} while (0)

void
rc4_crypt(struct rc4 *c, const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t *S = c->S;
	uint8_t i = (uint8_t)(c->i + 1);	/* the index of this step */
	uint8_t j = c->j;
	uint8_t si = S[i];
	size_t k = 0;

	for (; k + 8 <= len; k += 8) {
		uint64_t ks = 0, w;

		RC4_STEP(KS_SHIFT(0));
		RC4_STEP(KS_SHIFT(1));
		RC4_STEP(KS_SHIFT(2));
		RC4_STEP(KS_SHIFT(3));
		RC4_STEP(KS_SHIFT(4));
		RC4_STEP(KS_SHIFT(5));
		RC4_STEP(KS_SHIFT(6));
		RC4_STEP(KS_SHIFT(7));
		memcpy(&w, in + k, 8);
		w ^= ks;
		memcpy(out + k, &w, 8);
	}
	for (; k < len; k++) {
		uint64_t ks = 0;

		RC4_STEP(0);
		out[k] = in[k] ^ (uint8_t)ks;
	}
	c->i = (uint8_t)(i - 1);
	c->j = j;
}

void
rc4_nettle_init(struct rc4_nettle *c, const uint8_t *key, size_t keylen)
{
	if (keylen < RC4_KEY_MIN)
		keylen = RC4_KEY_MIN;
	if (keylen > RC4_KEY_MAX)
		keylen = RC4_KEY_MAX;
	arcfour_set_key(&c->n, keylen, key);
}

void
rc4_nettle_crypt(struct rc4_nettle *c, const uint8_t *in, uint8_t *out,
    size_t len)
{
	arcfour_crypt(&c->n, len, out, in);
}

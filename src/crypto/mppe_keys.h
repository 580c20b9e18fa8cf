/*
 * mppe_keys.h - MPPE key derivation: RFC 3079 (start keys from MS-CHAPv1,
 * section 2, and from MS-CHAPv2, section 3) and RFC 3078 section 7.3 (the
 * initial session key and every later key change).
 *
 * Vocabulary (RFC 3079's, and the Linux kernel's in brackets):
 *   start key   [master key] the per-direction secret the session keys are
 *               derived from; fixed for the life of the CCP negotiation;
 *   session key the RC4 key of the moment; changes on every rekey;
 *   key length  8 octets for 40- and 56-bit MPPE, 16 for 128-bit; the 40-
 *               and 56-bit keys are "reduced" by overwriting their first
 *               octets with the salt D1 26 9E / D1.
 *
 * Key buffers are always 16 octets; for 8-octet keys the last 8 are zero.
 * Intermediate digests are wiped before return.
 */
#ifndef PPTPKIT_CRYPTO_MPPE_KEYS_H
#define PPTPKIT_CRYPTO_MPPE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "rc4.h"

#define MPPE_KEY_MAX		16	/* octets, 128-bit */
#define MPPE_NT_RESPONSE_LEN	24

/* 8 for 40 and 56 bits, 16 for 128 bits, 0 for anything else. */
unsigned mppe_key_len(unsigned bits);

/* --- RFC 3078 7.3 / RFC 3079 3.3: session keys --- */

/* GetNewKeyFromSHA(StartKey, SessionKey, SessionKeyLength, InterimKey):
 * SHA1(StartKey[len] || SHApad1 (40 x 00) || SessionKey[len] ||
 *      SHApad2 (40 x F2))[0..len-1].  keylen is 8 or 16. */
void mppe_get_new_key_from_sha(const uint8_t *start_key,
    const uint8_t *session_key, size_t keylen, uint8_t *interim_key);

/* Reduces a key in place (RFC 3079 2.1/3.1 and RFC 3078 7.3): 40 bits:
 * key[0..2] = D1 26 9E; 56 bits: key[0] = D1; 128 bits: nothing. */
void mppe_reduce_key(uint8_t *key, unsigned bits);

/* The first session key of a direction: GetNewKeyFromSHA(StartKey,
 * StartKey) then reduced - WITHOUT the RC4 step of a key change (as the
 * RFC 3079 examples and Linux's mppe_rekey(state, 1) do).
 * session_key[16]; 0 or ERR_INVAL for bits other than 40, 56, 128. */
int mppe_initial_session_key(const uint8_t start_key[MPPE_KEY_MAX],
    unsigned bits, uint8_t session_key[MPPE_KEY_MAX]) MUST_CHECK;

/* One key change, RFC 3078 7.3:
 *   InterimKey = GetNewKeyFromSHA(StartKey, SessionKey)
 *   rc4_key(InterimKey); SessionKey = rc4(InterimKey)
 *   reduce SessionKey (40/56 bits)
 * session_key is updated in place, and *rc4 is left keyed with the new
 * session key, ready for the next packet (it is also the scratch for the
 * interim key, so no other RC4 state holds key material afterwards).
 * 0 or ERR_INVAL for bad bits (nothing changed then). */
int mppe_change_key(const uint8_t start_key[MPPE_KEY_MAX],
    uint8_t session_key[MPPE_KEY_MAX], unsigned bits,
    struct rc4_fast *rc4) MUST_CHECK;

/* --- RFC 3079 section 2: keys from MS-CHAPv1 --- */

/* 2.4 GetStartKey for 128 bits: SHA1(NtPasswordHashHash ||
 * NtPasswordHashHash || Challenge)[0..15] (the RFC's InitialSessionKey). */
void mppe_v1_start_key_128(const uint8_t challenge[8],
    const uint8_t nt_hash_hash[16], uint8_t start_key[MPPE_KEY_MAX]);

/*
 * The start key of both directions (MS-CHAPv1 keys are the same both ways):
 * 40/56 bits: LmPasswordHash[0..7] (2.1, 2.2) - lm_hash must not be NULL,
 *             else ERR_UNSUPPORTED (a peer with no LM hash cannot do it);
 * 128 bits:   mppe_v1_start_key_128(challenge, nt_hash_hash) (2.3, 2.4).
 * challenge is the authenticator's 8-octet MS-CHAPv1 Challenge.
 * 0, ERR_INVAL for bad bits, ERR_UNSUPPORTED as above.  On error both key
 * buffers are zeroed.
 */
int mppe_keys_from_mschapv1(const uint8_t *lm_hash,
    const uint8_t nt_hash_hash[16], const uint8_t challenge[8], unsigned bits,
    uint8_t send_key[MPPE_KEY_MAX], uint8_t recv_key[MPPE_KEY_MAX]) MUST_CHECK;

/* --- RFC 3079 section 3: keys from MS-CHAPv2 --- */

/* 3.4 GetMasterKey(PasswordHashHash, NTResponse, MasterKey):
 * SHA1(PasswordHashHash || NTResponse || Magic1)[0..15].  NTResponse is the
 * peer's 24-octet NT-Response - not a challenge. */
void mppe_get_master_key(const uint8_t pw_hash_hash[16],
    const uint8_t nt_response[MPPE_NT_RESPONSE_LEN],
    uint8_t master_key[MPPE_KEY_MAX]);

/* 3.4 GetAsymmetricStartKey(MasterKey, SessionKey, SessionKeyLength,
 * IsSend, IsServer): SHA1(MasterKey || SHSpad1 || s || SHSpad2)[0..len-1]
 * with s = Magic3 for the server's send key and the client's receive key,
 * Magic2 for the client's send key and the server's receive key.
 * keylen is 8 or 16; start_key[16], the tail zeroed. */
void mppe_get_asymmetric_start_key(const uint8_t master_key[MPPE_KEY_MAX],
    uint8_t start_key[MPPE_KEY_MAX], size_t keylen, bool is_send,
    bool is_server);

/*
 * Both directions' start keys for our role: is_server is true on the
 * authenticator (the VPN server), false on the peer (the client).
 * send_key is what we encrypt with, recv_key what we decrypt with; the
 * other end derives the same two the other way round.
 * 0, or ERR_INVAL for bad bits (both keys zeroed then).
 */
int mppe_keys_from_mschapv2(const uint8_t pw_hash_hash[16],
    const uint8_t nt_response[MPPE_NT_RESPONSE_LEN], bool is_server,
    unsigned bits, uint8_t send_key[MPPE_KEY_MAX],
    uint8_t recv_key[MPPE_KEY_MAX]) MUST_CHECK;

#endif

/*
 * mschap.h - the cryptography of CHAP-MD5 (RFC 1994 section 4.1),
 * MS-CHAPv1 (RFC 2433 appendix A) and MS-CHAPv2 (RFC 2759 section 8).
 *
 * Only the computations: building and parsing the CHAP packets is the PPP
 * engine's job (src/ppp/).  Random challenges are arguments.  Every
 * intermediate secret (password in UTF-16, password hashes, digests) is
 * wiped before returning, on every path.
 *
 * Passwords are UTF-8 strings with an explicit length; RFC 2759 wants them
 * as Unicode (UTF-16LE), "0-to-256-unicode-char".  A character outside the
 * BMP counts as two (it takes a surrogate pair).
 *
 * User names: ChallengeHash (RFC 2759 8.2) hashes "the user name without any
 * domain or machine name" - the CALLER strips a leading "DOMAIN\" (pppd and
 * Windows do the same); these functions hash the bytes they are given.
 */
#ifndef PPTPKIT_CRYPTO_MSCHAP_H
#define PPTPKIT_CRYPTO_MSCHAP_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../wire/ppp_auth.h"

/* MSCHAPV1_CHALLENGE_LEN, MSCHAPV2_CHALLENGE_LEN and MSCHAPV2_AUTH_RESP_LEN
 * come with the wire layouts (../wire/ppp_auth.h). */
#define MSCHAP_HASH_LEN		16	/* NtPasswordHash, LmPasswordHash */
#define MSCHAP_RESPONSE_LEN	24	/* NT-Response, LM-Response */
#define MSCHAPV2_CHALLENGE_HASH_LEN 8	/* ChallengeHash output */
#define MSCHAPV2_AUTH_STR_LEN	42	/* "S=" and 40 upper-case hex digits */
#define MSCHAP_PASSWORD_MAX	256	/* UTF-16 code units, RFC 2759 8.3 */
#define MSCHAP_LM_PASSWORD_MAX	14	/* OEM characters, RFC 2433 A.8 */
#define CHAP_MD5_LEN		16

/* --- password hashes --- */

/* RFC 2759 8.3 NtPasswordHash: MD4 of the password in UTF-16LE.
 * 0; ERR_FORMAT if password is not valid UTF-8; ERR_LENGTH if it is longer
 * than MSCHAP_PASSWORD_MAX UTF-16 units.  On error hash is zeroed. */
int mschap_nt_password_hash(const char *password, size_t len,
    uint8_t hash[MSCHAP_HASH_LEN]) MUST_CHECK;

/* RFC 2759 8.4 HashNtPasswordHash: MD4(PasswordHash). */
void mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_HASH_LEN],
    uint8_t hash_hash[MSCHAP_HASH_LEN]);

/* RFC 2433 A.8 LmPasswordHash: the password upper-cased and zero-padded
 * to 14 octets, each half a DES key encrypting "KGS!@#$%".
 * Only ASCII passwords are taken (the OEM code page of the peer is
 * unknown): ERR_UNSUPPORTED for a non-ASCII octet; ERR_LENGTH for more
 * than 14 octets (Windows has no LM hash for those either).  On error hash
 * is zeroed. */
int mschap_lm_password_hash(const char *password, size_t len,
    uint8_t hash[MSCHAP_HASH_LEN]) MUST_CHECK;

/* --- the DES response both versions share --- */

/* RFC 2759 8.5 ChallengeResponse (= RFC 2433 A.5's core): the 16-octet hash
 * zero-padded to 21, three DES keys, each encrypting the 8-octet challenge. */
void mschap_challenge_response(const uint8_t challenge[8],
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t response[MSCHAP_RESPONSE_LEN]);

/* --- MS-CHAPv1, RFC 2433 --- */

/* A.5 NtChallengeResponse from the password.  Errors as
 * mschap_nt_password_hash; on error response is zeroed. */
int mschapv1_nt_response(const uint8_t challenge[MSCHAPV1_CHALLENGE_LEN],
    const char *password, size_t len,
    uint8_t response[MSCHAP_RESPONSE_LEN]) MUST_CHECK;

/* A.1 LmChallengeResponse from the password.  Errors as
 * mschap_lm_password_hash; on error response is zeroed. */
int mschapv1_lm_response(const uint8_t challenge[MSCHAPV1_CHALLENGE_LEN],
    const char *password, size_t len,
    uint8_t response[MSCHAP_RESPONSE_LEN]) MUST_CHECK;

/* Authenticator side: 0 if nt_response is the NT-Response for nt_hash and
 * challenge, ERR_AUTH if not; compared in constant time. */
int mschapv1_verify_response(const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t challenge[MSCHAPV1_CHALLENGE_LEN],
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN]) MUST_CHECK;

/* --- MS-CHAPv2, RFC 2759 --- */

/* 8.2 ChallengeHash: SHA1(PeerChallenge || AuthenticatorChallenge ||
 * UserName)[0..7].  username: ulen octets, domain already stripped. */
void mschapv2_challenge_hash(const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    uint8_t challenge[MSCHAPV2_CHALLENGE_HASH_LEN]);

/* 8.1 GenerateNTResponse, from the NT password hash (8.3) rather than the
 * password, so that an authenticator holding only hashes can use it. */
void mschapv2_generate_nt_response(
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen, const uint8_t nt_hash[MSCHAP_HASH_LEN],
    uint8_t response[MSCHAP_RESPONSE_LEN]);

/* Authenticator side of 8.1: 0 if nt_response is what the peer holding
 * nt_hash must have sent, ERR_AUTH if not; compared in constant time. */
int mschapv2_verify_response(const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN]) MUST_CHECK;

/* 8.7 GenerateAuthenticatorResponse: the 20 raw octets in auth_response and,
 * if text is not NULL, "S=" and 40 upper-case hex digits, NUL-terminated,
 * in text[MSCHAPV2_AUTH_STR_LEN + 1]. */
void mschapv2_generate_authenticator_response(
    const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    uint8_t auth_response[MSCHAPV2_AUTH_RESP_LEN],
    char text[MSCHAPV2_AUTH_STR_LEN + 1]);

/*
 * 8.8 CheckAuthenticatorResponse, the peer's side: msg[mlen] is the Message
 * of the Success packet, "S=<40 hex digits>" optionally followed by " M=..."
 * (RFC 2759 5; hex digits of either case).  0 if it matches what the
 * authenticator must have computed (constant-time compare); ERR_FORMAT if
 * msg does not start with a well-formed S= field; ERR_AUTH on a mismatch.
 */
int mschapv2_check_authenticator_response(const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    const char *msg, size_t mlen) MUST_CHECK;

/* --- CHAP with MD5, RFC 1994 4.1 --- */

/* Response Value = MD5(Identifier || secret || Challenge). */
void chap_md5_response(uint8_t id, const void *secret, size_t slen,
    const uint8_t *challenge, size_t clen, uint8_t response[CHAP_MD5_LEN]);

/* Authenticator side: 0 if response[rlen] is the right Response Value,
 * ERR_AUTH if not (a wrong length included); constant-time compare. */
int chap_md5_verify(uint8_t id, const void *secret, size_t slen,
    const uint8_t *challenge, size_t clen,
    const uint8_t *response, size_t rlen) MUST_CHECK;

#endif

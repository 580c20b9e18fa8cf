/*
 * mschap.c - CHAP-MD5 (RFC 1994 4.1), MS-CHAPv1 (RFC 2433 appendix A) and
 * MS-CHAPv2 (RFC 2759 section 8) computations.
 *
 * Each function follows the RFC's pseudocode step by step; the comments
 * carry the RFC's names.  Secrets are wiped on every path.
 */
#include <string.h>

#include "../base/secret.h"
#include "hash.h"
#include "mschap.h"

/* RFC 2759 8.7 */
static const char Magic1[39] = "Magic server to client signing constant";
static const char Magic2[41] = "Pad to make it do more than one iteration";
/* RFC 2433 A.8 (DesHash) */
static const uint8_t StdText[8] = "KGS!@#$%";

int
mschap_nt_password_hash(const char *password, size_t len,
    uint8_t hash[MSCHAP_HASH_LEN])
{
	uint8_t unicode[2 * MSCHAP_PASSWORD_MAX];
	size_t ulen = 0;
	int ret;

	ret = crypto_utf8_to_utf16le(password, len, unicode, sizeof(unicode),
	    &ulen);
	if (ret != 0) {
		memset(hash, 0, MSCHAP_HASH_LEN);
		return ret == ERR_NOSPACE ? ERR_LENGTH : ret;
	}
	/* PasswordHash = MD4(Password as Unicode) */
	crypto_md4(unicode, ulen, hash);
	secret_wipe(unicode, ulen);
	return 0;
}

void
mschap_hash_nt_password_hash(const uint8_t hash[MSCHAP_HASH_LEN],
    uint8_t hash_hash[MSCHAP_HASH_LEN])
{
	/* PasswordHashHash = MD4(PasswordHash) */
	crypto_md4(hash, MSCHAP_HASH_LEN, hash_hash);
}

int
mschap_lm_password_hash(const char *password, size_t len,
    uint8_t hash[MSCHAP_HASH_LEN])
{
	uint8_t ucase[MSCHAP_LM_PASSWORD_MAX];
	size_t i;

	memset(hash, 0, MSCHAP_HASH_LEN);
	if (len > MSCHAP_LM_PASSWORD_MAX)
		return ERR_LENGTH;
	/* UcasePassword = Uppercase(Password), zero-padded to 14 octets */
	memset(ucase, 0, sizeof(ucase));
	for (i = 0; i < len; i++) {
		uint8_t ch = (uint8_t)password[i];

		if (ch >= 0x80) {
			secret_wipe(ucase, sizeof(ucase));
			return ERR_UNSUPPORTED;
		}
		ucase[i] = (ch >= 'a' && ch <= 'z') ? (uint8_t)(ch - 32) : ch;
	}
	/* DesHash(UcasePassword[0..6]) || DesHash(UcasePassword[7..13]),
	 * DesHash(Clear) = DesEncrypt(StdText, Clear) */
	crypto_des_encrypt(StdText, ucase, hash);
	crypto_des_encrypt(StdText, ucase + 7, hash + 8);
	secret_wipe(ucase, sizeof(ucase));
	return 0;
}

void
mschap_challenge_response(const uint8_t challenge[8],
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t response[MSCHAP_RESPONSE_LEN])
{
	uint8_t ZPasswordHash[21];

	/* Set ZPasswordHash to PasswordHash zero-padded to 21 octets */
	memcpy(ZPasswordHash, hash, MSCHAP_HASH_LEN);
	memset(ZPasswordHash + MSCHAP_HASH_LEN, 0, 5);
	/* DesEncrypt(Challenge, 1st 7 octets of ZPasswordHash, 1st 8 of Response) */
	crypto_des_encrypt(challenge, ZPasswordHash, response);
	/* ... 2nd 7 octets, 2nd 8 octets of Response */
	crypto_des_encrypt(challenge, ZPasswordHash + 7, response + 8);
	/* ... 3rd 7 octets, 3rd 8 octets of Response */
	crypto_des_encrypt(challenge, ZPasswordHash + 14, response + 16);
	secret_wipe(ZPasswordHash, sizeof(ZPasswordHash));
}

int
mschapv1_nt_response(const uint8_t challenge[MSCHAPV1_CHALLENGE_LEN],
    const char *password, size_t len, uint8_t response[MSCHAP_RESPONSE_LEN])
{
	uint8_t PasswordHash[MSCHAP_HASH_LEN];
	int ret;

	/* NtPasswordHash(Password, PasswordHash) */
	if ((ret = mschap_nt_password_hash(password, len, PasswordHash)) != 0) {
		memset(response, 0, MSCHAP_RESPONSE_LEN);
		return ret;
	}
	/* ChallengeResponse(Challenge, PasswordHash, Response) */
	mschap_challenge_response(challenge, PasswordHash, response);
	secret_wipe(PasswordHash, sizeof(PasswordHash));
	return 0;
}

int
mschapv1_lm_response(const uint8_t challenge[MSCHAPV1_CHALLENGE_LEN],
    const char *password, size_t len, uint8_t response[MSCHAP_RESPONSE_LEN])
{
	uint8_t LmPasswordHash[MSCHAP_HASH_LEN];
	int ret;

	/* LmPasswordHash(Password, PasswordHash) */
	if ((ret = mschap_lm_password_hash(password, len, LmPasswordHash)) != 0) {
		memset(response, 0, MSCHAP_RESPONSE_LEN);
		return ret;
	}
	/* ChallengeResponse(Challenge, PasswordHash, Response) */
	mschap_challenge_response(challenge, LmPasswordHash, response);
	secret_wipe(LmPasswordHash, sizeof(LmPasswordHash));
	return 0;
}

int
mschapv1_verify_response(const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t challenge[MSCHAPV1_CHALLENGE_LEN],
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN])
{
	uint8_t expected[MSCHAP_RESPONSE_LEN];
	bool ok;

	mschap_challenge_response(challenge, nt_hash, expected);
	ok = secret_eq(expected, nt_response, MSCHAP_RESPONSE_LEN);
	secret_wipe(expected, sizeof(expected));
	return ok ? 0 : ERR_AUTH;
}

void
mschapv2_challenge_hash(const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    uint8_t challenge[MSCHAPV2_CHALLENGE_HASH_LEN])
{
	struct crypto_sha1_ctx Context;
	uint8_t Digest[CRYPTO_SHA1_LEN];

	/* SHAInit; SHAUpdate(PeerChallenge, 16);
	 * SHAUpdate(AuthenticatorChallenge, 16);
	 * SHAUpdate(UserName, strlen(Username)); SHAFinal(Digest) */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, peer_challenge, MSCHAPV2_CHALLENGE_LEN);
	crypto_sha1_update(&Context, auth_challenge, MSCHAPV2_CHALLENGE_LEN);
	crypto_sha1_update(&Context, username, ulen);
	crypto_sha1_final(&Context, Digest);
	/* memcpy(Challenge, Digest, 8) */
	memcpy(challenge, Digest, MSCHAPV2_CHALLENGE_HASH_LEN);
	secret_wipe(Digest, sizeof(Digest));
}

void
mschapv2_generate_nt_response(
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen, const uint8_t nt_hash[MSCHAP_HASH_LEN],
    uint8_t response[MSCHAP_RESPONSE_LEN])
{
	uint8_t Challenge[MSCHAPV2_CHALLENGE_HASH_LEN];

	/* ChallengeHash(PeerChallenge, AuthenticatorChallenge, UserName,
	 * Challenge); NtPasswordHash was done by the caller;
	 * ChallengeResponse(Challenge, PasswordHash, Response) */
	mschapv2_challenge_hash(peer_challenge, auth_challenge, username, ulen,
	    Challenge);
	mschap_challenge_response(Challenge, nt_hash, response);
	secret_wipe(Challenge, sizeof(Challenge));
}

int
mschapv2_verify_response(const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN])
{
	uint8_t expected[MSCHAP_RESPONSE_LEN];
	bool ok;

	mschapv2_generate_nt_response(auth_challenge, peer_challenge, username,
	    ulen, nt_hash, expected);
	ok = secret_eq(expected, nt_response, MSCHAP_RESPONSE_LEN);
	secret_wipe(expected, sizeof(expected));
	return ok ? 0 : ERR_AUTH;
}

void
mschapv2_generate_authenticator_response(
    const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen,
    uint8_t auth_response[MSCHAPV2_AUTH_RESP_LEN],
    char text[MSCHAPV2_AUTH_STR_LEN + 1])
{
	static const char hex[16] = "0123456789ABCDEF";
	struct crypto_sha1_ctx Context;
	uint8_t PasswordHashHash[MSCHAP_HASH_LEN];
	uint8_t Challenge[MSCHAPV2_CHALLENGE_HASH_LEN];
	uint8_t Digest[CRYPTO_SHA1_LEN];
	int i;

	/* HashNtPasswordHash(PasswordHash, PasswordHashHash) */
	mschap_hash_nt_password_hash(nt_hash, PasswordHashHash);
	/* SHAUpdate(PasswordHashHash, 16); SHAUpdate(NTResponse, 24);
	 * SHAUpdate(Magic1, 39); SHAFinal(Digest) */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, PasswordHashHash, sizeof(PasswordHashHash));
	crypto_sha1_update(&Context, nt_response, MSCHAP_RESPONSE_LEN);
	crypto_sha1_update(&Context, Magic1, sizeof(Magic1));
	crypto_sha1_final(&Context, Digest);
	/* ChallengeHash(PeerChallenge, AuthenticatorChallenge, UserName,
	 * Challenge) */
	mschapv2_challenge_hash(peer_challenge, auth_challenge, username, ulen,
	    Challenge);
	/* SHAUpdate(Digest, 20); SHAUpdate(Challenge, 8);
	 * SHAUpdate(Magic2, 41); SHAFinal(Digest) */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, Digest, sizeof(Digest));
	crypto_sha1_update(&Context, Challenge, sizeof(Challenge));
	crypto_sha1_update(&Context, Magic2, sizeof(Magic2));
	crypto_sha1_final(&Context, Digest);
	memcpy(auth_response, Digest, MSCHAPV2_AUTH_RESP_LEN);
	/* AuthenticatorResponse = "S=" || Digest as upper-case hex */
	if (text != NULL) {
		text[0] = 'S';
		text[1] = '=';
		for (i = 0; i < MSCHAPV2_AUTH_RESP_LEN; i++) {
			text[2 + 2 * i] = hex[Digest[i] >> 4];
			text[3 + 2 * i] = hex[Digest[i] & 0x0f];
		}
		text[MSCHAPV2_AUTH_STR_LEN] = '\0';
	}
	secret_wipe(PasswordHashHash, sizeof(PasswordHashHash));
	secret_wipe(Challenge, sizeof(Challenge));
	secret_wipe(Digest, sizeof(Digest));
}

int
mschapv2_check_authenticator_response(const uint8_t nt_hash[MSCHAP_HASH_LEN],
    const uint8_t nt_response[MSCHAP_RESPONSE_LEN],
    const uint8_t peer_challenge[MSCHAPV2_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAPV2_CHALLENGE_LEN],
    const char *username, size_t ulen, const char *msg, size_t mlen)
{
	uint8_t received[MSCHAPV2_AUTH_RESP_LEN], expected[MSCHAPV2_AUTH_RESP_LEN];
	bool ok;

	/* "S=" 40 hex digits, then the end or " M=<message>" (the wire
	 * codec's parser: one reading of the Success message) */
	if (mschapv2_success_parse((const uint8_t *)msg, mlen, received, NULL,
	    0) != 0)
		return ERR_FORMAT;
	/* GenerateAuthenticatorResponse(...); compare with what came */
	mschapv2_generate_authenticator_response(nt_hash, nt_response,
	    peer_challenge, auth_challenge, username, ulen, expected, NULL);
	ok = secret_eq(expected, received, sizeof(expected));
	secret_wipe(expected, sizeof(expected));
	return ok ? 0 : ERR_AUTH;
}

void
chap_md5_response(uint8_t id, const void *secret, size_t slen,
    const uint8_t *challenge, size_t clen, uint8_t response[CHAP_MD5_LEN])
{
	struct crypto_md5_ctx c;

	/* MD5(Identifier || secret || Challenge) */
	crypto_md5_init(&c);
	crypto_md5_update(&c, &id, 1);
	crypto_md5_update(&c, secret, slen);
	crypto_md5_update(&c, challenge, clen);
	crypto_md5_final(&c, response);
}

int
chap_md5_verify(uint8_t id, const void *secret, size_t slen,
    const uint8_t *challenge, size_t clen, const uint8_t *response, size_t rlen)
{
	uint8_t expected[CHAP_MD5_LEN];
	bool ok;

	if (rlen != CHAP_MD5_LEN)
		return ERR_AUTH;
	chap_md5_response(id, secret, slen, challenge, clen, expected);
	ok = secret_eq(expected, response, CHAP_MD5_LEN);
	secret_wipe(expected, sizeof(expected));
	return ok ? 0 : ERR_AUTH;
}

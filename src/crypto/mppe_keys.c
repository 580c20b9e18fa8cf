/*
 * mppe_keys.c - MPPE keys: RFC 3079 section 2 (from MS-CHAPv1), section 3
 * (from MS-CHAPv2), and the session keys and key changes of RFC 3078
 * section 7.3 / RFC 3079 sections 2.x and 3.3.
 *
 * Read next to RFC 3079: the function and variable names are the RFC's.
 */
#include <string.h>

#include "../base/secret.h"
#include "hash.h"
#include "mppe_keys.h"

/* RFC 3079 3.4 (and 2.x, 3.3 for the pads) */
static const uint8_t SHSpad1[40] = { 0 };
static const uint8_t SHSpad2[40] = {
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
};
static const char Magic1[27] = "This is the MPPE Master Key";
static const char Magic2[84] =
    "On the client side, this is the send key; "
    "on the server side, it is the receive key.";
static const char Magic3[84] =
    "On the client side, this is the receive key; "
    "on the server side, it is the send key.";

unsigned
mppe_key_len(unsigned bits)
{
	switch (bits) {
	case 40:
	case 56:
		return 8;
	case 128:
		return 16;
	default:
		return 0;
	}
}

void
mppe_get_new_key_from_sha(const uint8_t *start_key, const uint8_t *session_key,
    size_t keylen, uint8_t *interim_key)
{
	struct crypto_sha1_ctx Context;
	uint8_t Digest[CRYPTO_SHA1_LEN];

	/* SHAUpdate(StartKey, len); SHAUpdate(SHApad1, 40);
	 * SHAUpdate(SessionKey, len); SHAUpdate(SHApad2, 40); SHAFinal */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, start_key, keylen);
	crypto_sha1_update(&Context, SHSpad1, sizeof(SHSpad1));
	crypto_sha1_update(&Context, session_key, keylen);
	crypto_sha1_update(&Context, SHSpad2, sizeof(SHSpad2));
	crypto_sha1_final(&Context, Digest);
	/* MoveMemory(InterimKey, Digest, SessionKeyLength) */
	memcpy(interim_key, Digest, keylen);
	secret_wipe(Digest, sizeof(Digest));
}

void
mppe_reduce_key(uint8_t *key, unsigned bits)
{
	if (bits == 40) {
		/* 40-bit: the first three octets become D1 26 9E */
		key[0] = 0xd1;
		key[1] = 0x26;
		key[2] = 0x9e;
	} else if (bits == 56) {
		/* 56-bit: the first octet becomes D1 */
		key[0] = 0xd1;
	}
}

int
mppe_initial_session_key(const uint8_t start_key[MPPE_KEY_MAX], unsigned bits,
    uint8_t session_key[MPPE_KEY_MAX])
{
	unsigned keylen = mppe_key_len(bits);
	uint8_t interim[MPPE_KEY_MAX];

	if (keylen == 0)
		return ERR_INVAL;
	/* GetNewKeyFromSHA(StartKey, StartKey, len, SessionKey); no rc4 */
	mppe_get_new_key_from_sha(start_key, start_key, keylen, interim);
	memset(session_key, 0, MPPE_KEY_MAX);
	memcpy(session_key, interim, keylen);
	mppe_reduce_key(session_key, bits);
	secret_wipe(interim, sizeof(interim));
	return 0;
}

int
mppe_change_key(const uint8_t start_key[MPPE_KEY_MAX],
    uint8_t session_key[MPPE_KEY_MAX], unsigned bits, struct rc4_fast *rc4)
{
	unsigned keylen = mppe_key_len(bits);
	uint8_t InterimKey[MPPE_KEY_MAX];

	if (keylen == 0)
		return ERR_INVAL;
	/* GetNewKeyFromSHA(StartKey, SessionKey, len, InterimKey) */
	mppe_get_new_key_from_sha(start_key, session_key, keylen, InterimKey);
	/* rc4_key(RC4Key, len, InterimKey);
	 * rc4(RC4Key, len, InterimKey) -> SessionKey */
	rc4_fast_init(rc4, InterimKey, keylen);
	rc4_fast_crypt(rc4, InterimKey, session_key, keylen);
	/* 40/56-bit: reduce the effective key length */
	mppe_reduce_key(session_key, bits);
	/* the data packets use RC4 keyed with the new SessionKey */
	rc4_fast_init(rc4, session_key, keylen);
	secret_wipe(InterimKey, sizeof(InterimKey));
	return 0;
}

void
mppe_v1_start_key_128(const uint8_t challenge[8], const uint8_t nt_hash_hash[16],
    uint8_t start_key[MPPE_KEY_MAX])
{
	struct crypto_sha1_ctx Context;
	uint8_t Digest[CRYPTO_SHA1_LEN];

	/* SHAUpdate(NtPasswordHashHash, 16) twice; SHAUpdate(Challenge, 8) */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, nt_hash_hash, 16);
	crypto_sha1_update(&Context, nt_hash_hash, 16);
	crypto_sha1_update(&Context, challenge, 8);
	crypto_sha1_final(&Context, Digest);
	/* MoveMemory(InitialSessionKey, Digest, 16) */
	memcpy(start_key, Digest, MPPE_KEY_MAX);
	secret_wipe(Digest, sizeof(Digest));
}

int
mppe_keys_from_mschapv1(const uint8_t *lm_hash, const uint8_t nt_hash_hash[16],
    const uint8_t challenge[8], unsigned bits, uint8_t send_key[MPPE_KEY_MAX],
    uint8_t recv_key[MPPE_KEY_MAX])
{
	memset(send_key, 0, MPPE_KEY_MAX);
	memset(recv_key, 0, MPPE_KEY_MAX);
	switch (bits) {
	case 40:
	case 56:
		/* 2.1/2.2: the first 8 octets of LmPasswordHash */
		if (lm_hash == NULL)
			return ERR_UNSUPPORTED;
		memcpy(send_key, lm_hash, 8);
		break;
	case 128:
		/* 2.3/2.4: GetStartKey(Challenge, NtPasswordHashHash) */
		mppe_v1_start_key_128(challenge, nt_hash_hash, send_key);
		break;
	default:
		return ERR_INVAL;
	}
	/* one key for both directions */
	memcpy(recv_key, send_key, MPPE_KEY_MAX);
	return 0;
}

void
mppe_get_master_key(const uint8_t pw_hash_hash[16],
    const uint8_t nt_response[MPPE_NT_RESPONSE_LEN],
    uint8_t master_key[MPPE_KEY_MAX])
{
	struct crypto_sha1_ctx Context;
	uint8_t Digest[CRYPTO_SHA1_LEN];

	/* SHAUpdate(PasswordHashHash, 16); SHAUpdate(NTResponse, 24);
	 * SHAUpdate(Magic1, 27); SHAFinal; MoveMemory(MasterKey, Digest, 16) */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, pw_hash_hash, 16);
	crypto_sha1_update(&Context, nt_response, MPPE_NT_RESPONSE_LEN);
	crypto_sha1_update(&Context, Magic1, sizeof(Magic1));
	crypto_sha1_final(&Context, Digest);
	memcpy(master_key, Digest, MPPE_KEY_MAX);
	secret_wipe(Digest, sizeof(Digest));
}

void
mppe_get_asymmetric_start_key(const uint8_t master_key[MPPE_KEY_MAX],
    uint8_t start_key[MPPE_KEY_MAX], size_t keylen, bool is_send,
    bool is_server)
{
	struct crypto_sha1_ctx Context;
	uint8_t Digest[CRYPTO_SHA1_LEN];
	const char *s;

	if (keylen > MPPE_KEY_MAX)
		keylen = MPPE_KEY_MAX;
	/* if (IsSend) s = IsServer ? Magic3 : Magic2;
	 * else        s = IsServer ? Magic2 : Magic3; */
	if (is_send)
		s = is_server ? Magic3 : Magic2;
	else
		s = is_server ? Magic2 : Magic3;
	/* SHAUpdate(MasterKey, 16); SHAUpdate(SHSpad1, 40);
	 * SHAUpdate(s, 84); SHAUpdate(SHSpad2, 40); SHAFinal */
	crypto_sha1_init(&Context);
	crypto_sha1_update(&Context, master_key, MPPE_KEY_MAX);
	crypto_sha1_update(&Context, SHSpad1, sizeof(SHSpad1));
	crypto_sha1_update(&Context, s, sizeof(Magic2));
	crypto_sha1_update(&Context, SHSpad2, sizeof(SHSpad2));
	crypto_sha1_final(&Context, Digest);
	/* MoveMemory(SessionKey, Digest, SessionKeyLength) */
	memset(start_key, 0, MPPE_KEY_MAX);
	memcpy(start_key, Digest, keylen);
	secret_wipe(Digest, sizeof(Digest));
}

int
mppe_keys_from_mschapv2(const uint8_t pw_hash_hash[16],
    const uint8_t nt_response[MPPE_NT_RESPONSE_LEN], bool is_server,
    unsigned bits, uint8_t send_key[MPPE_KEY_MAX],
    uint8_t recv_key[MPPE_KEY_MAX])
{
	unsigned keylen = mppe_key_len(bits);
	uint8_t MasterKey[MPPE_KEY_MAX];

	if (keylen == 0) {
		memset(send_key, 0, MPPE_KEY_MAX);
		memset(recv_key, 0, MPPE_KEY_MAX);
		return ERR_INVAL;
	}
	/* GetMasterKey(PasswordHashHash, NTResponse, MasterKey) */
	mppe_get_master_key(pw_hash_hash, nt_response, MasterKey);
	/* GetAsymetricStartKey(MasterKey, MasterSendKey, len, TRUE, IsServer);
	 * GetAsymetricStartKey(MasterKey, MasterReceiveKey, len, FALSE, IsServer) */
	mppe_get_asymmetric_start_key(MasterKey, send_key, keylen, true,
	    is_server);
	mppe_get_asymmetric_start_key(MasterKey, recv_key, keylen, false,
	    is_server);
	secret_wipe(MasterKey, sizeof(MasterKey));
	return 0;
}

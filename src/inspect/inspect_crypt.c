/*
 * inspect_crypt.c - MS-CHAP verification and MPPE decryption
 * (inspect_crypt.h): the captured CHAP exchange checked against the
 * user's password (RFC 1994 4.1, RFC 2433 A, RFC 2759 8), the start keys
 * of RFC 3079 (section 2 from MS-CHAPv1, section 3 from MS-CHAPv2) for the
 * strength and mode of the CCP Configure-Acks (RFC 3078 2), and each
 * direction decrypted by the engine's own transform (src/crypto/mppe.h:
 * RFC 3078 7 key changes, 8.1 stateless and 8.2 stateful
 * synchronisation), so the capture is read the way the receiver read it.
 */
#include <string.h>

#include "../base/err.h"
#include "../base/hex.h"
#include "../base/secret.h"
#include "../crypto/mschap.h"
#include "../inspect/inspect_int.h"
#include "../wire/cursor.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "../wire/ppp_proto.h"

/* Extra key changes tried when a stateful FLUSHED packet that ends a
 * loss does not decrypt (a FLUSHED packet was lost too; see ccp.h). */
#define CRYPT_RESYNC_EXTRA	4
/* The analyzer accepts the largest jump the late window leaves. */
#define CRYPT_MAX_GAP		(MPPE_LATE_WINDOW - 1)

static void crypt_stop(struct ins_call_crypt *cc);

/* --- credentials ---------------------------------------------------- */

/* --nt-hash: 32 hex digits; out is wiped when they are not. */
static int
parse_nt_hash(const char *hex, uint8_t out[16])
{
	if (strlen(hex) != 32)
		return ERR_LENGTH;
	return hex_decode(hex, out, 16);
}

int
ins_crypt_open(struct inspect *ins, const char *user, const char *password,
    const char *nt_hash_hex, const char *decrypt_out, char *err,
    size_t errlen)
{
	struct ins_crypt *cr = &ins->crypt;
	size_t len;
	int ret;

	if ((password == NULL) == (nt_hash_hex == NULL)) {
		snprintf(err, errlen, "give a password or an NT hash");
		return ERR_INVAL;
	}
	if (user != NULL) {
		if ((len = strlen(user)) == 0 || len > INS_CRYPT_NAME_MAX) {
			snprintf(err, errlen, "--user: 1 to %d octets",
			    INS_CRYPT_NAME_MAX);
			return ERR_LENGTH;
		}
		memcpy(cr->user, user, len + 1);
		cr->user_len = len;
		cr->have_user = true;
	}
	if (password != NULL) {
		if ((len = strlen(password)) > INS_CRYPT_PW_MAX) {
			snprintf(err, errlen, "the password is longer than %d "
			    "octets", INS_CRYPT_PW_MAX);
			ret = ERR_LENGTH;
			goto fail;
		}
		if ((ret = mschap_nt_password_hash(password, len,
		    cr->nt_hash)) != 0) {
			snprintf(err, errlen, "the password is %s",
			    ret == ERR_FORMAT ? "not valid UTF-8" :
			    "longer than 256 characters (RFC 2759 8.3)");
			goto fail;
		}
		memcpy(cr->password, password, len + 1);
		cr->password_len = len;
		cr->have_password = true;
		/* only MS-CHAPv1 40/56-bit keys need it (RFC 3079 2.1) */
		cr->have_lm_hash = mschap_lm_password_hash(password, len,
		    cr->lm_hash) == 0;
	} else if ((ret = parse_nt_hash(nt_hash_hex, cr->nt_hash)) != 0) {
		snprintf(err, errlen, "--nt-hash: 32 hex digits expected");
		goto fail;
	}
	mschap_hash_nt_password_hash(cr->nt_hash, cr->nt_hash_hash);
	if (decrypt_out != NULL) {
		if (strcmp(decrypt_out, "-") == 0) {
			snprintf(err, errlen, "--decrypt-out: give a file (the "
			    "report goes to standard output)");
			ret = ERR_INVAL;
			goto fail;
		}
		if ((ret = ins_crypt_out_open(cr, decrypt_out, err,
		    errlen)) != 0)
			goto fail;
	}
	cr->enabled = true;
	return 0;
fail:
	ins_crypt_close(ins);
	return ret;
}

void
ins_crypt_close(struct inspect *ins)
{
	struct ins_crypt *cr = &ins->crypt;
	int i;

	ins_crypt_out_close(cr);
	secret_wipe(cr->password, sizeof(cr->password));
	secret_wipe(cr->nt_hash, sizeof(cr->nt_hash));
	secret_wipe(cr->nt_hash_hash, sizeof(cr->nt_hash_hash));
	secret_wipe(cr->lm_hash, sizeof(cr->lm_hash));
	secret_wipe(cr->buf, sizeof(cr->buf));
	cr->have_password = cr->have_lm_hash = false;
	cr->password_len = 0;
	cr->inner = NULL;
	cr->inner_ctx = NULL;
	/* the calls keep their counters for the reports, not their keys */
	for (i = 0; i < INS_MAX_CALLS; i++)
		crypt_stop(&ins->calls[i].crypt);
	cr->enabled = false;
}

/* --- the CHAP exchange ------------------------------------------------ */

static enum ins_crypt_method
crypt_method(const struct ins_call *call)
{
	const struct ins_call_crypt *cc = &call->crypt;
	size_t i;

	switch (call->auth.chap_alg) {
	case CHAP_ALG_MD5:	return INS_CM_MD5;
	case CHAP_ALG_MSCHAP:	return INS_CM_MSCHAPV1;
	case CHAP_ALG_MSCHAPV2:	return INS_CM_MSCHAPV2;
	}
	/* LCP not captured: the value sizes tell (RFC 2433 3, RFC 2759 4) */
	if (cc->resp_len == CHAP_MD5_RESPONSE_LEN)
		return INS_CM_MD5;
	if (cc->resp_len != MSCHAPV2_RESPONSE_LEN)
		return INS_CM_NONE;
	if (cc->have_chal)
		return cc->chal_len == MSCHAPV1_CHALLENGE_LEN ?
		    INS_CM_MSCHAPV1 : cc->chal_len == MSCHAPV2_CHALLENGE_LEN ?
		    INS_CM_MSCHAPV2 : INS_CM_NONE;
	/* v1 starts with the LM-Response, zero when unused; v2 with the
	 * random Peer-Challenge */
	for (i = 0; i < 16; i++)
		if (cc->resp[i] != 0)
			return INS_CM_MSCHAPV2;
	return INS_CM_MSCHAPV1;
}

/* The CHAP Name as ChallengeHash wants it: without "DOMAIN\". */
static void
crypt_user(const struct ins_call_crypt *cc, const char **u, size_t *ulen)
{
	mschap_split_domain(cc->name, cc->name_len, u, ulen);
}

/* Whether --user names the captured user (with or without the domain). */
static bool
crypt_user_matches(const struct ins_crypt *cr, const struct ins_call_crypt *cc)
{
	const char *u;
	size_t ulen;

	if (!cr->have_user)
		return true;
	if (cr->user_len == cc->name_len &&
	    memcmp(cr->user, cc->name, cc->name_len) == 0)
		return true;
	crypt_user(cc, &u, &ulen);
	return cr->user_len == ulen && memcmp(cr->user, u, ulen) == 0;
}

/* MS-CHAPv1 LM-Response check (flags 0: no NT-Response, RFC 2433 3). */
static int
crypt_v1_lm_verify(const struct ins_crypt *cr, const uint8_t chal[8],
    const uint8_t lm[24])
{
	uint8_t want[MSCHAP_RESPONSE_LEN];
	bool ok;

	mschap_challenge_response(chal, cr->lm_hash, want);
	ok = secret_eq(want, lm, sizeof(want));
	secret_wipe(want, sizeof(want));
	return ok ? 0 : ERR_AUTH;
}

/* Checks the Response against the credentials; sets verified. */
static void
crypt_verify(const struct ins_crypt *cr, struct ins_call_crypt *cc)
{
	struct mschapv1_response r1;
	struct mschapv2_response r2;
	const char *u;
	size_t ulen;
	int ret;

	cc->verified = 0;
	cc->not_verified = NULL;
	if (!crypt_user_matches(cr, cc)) {
		cc->user_differs = true;
		return;
	}
	cc->user_differs = false;
	if (cc->name_len > INS_CRYPT_NAME_MAX) {
		cc->not_verified = "the CHAP Name is longer than 255 octets";
		return;
	}
	if (cc->method == INS_CM_NONE) {
		cc->not_verified = "unknown CHAP algorithm";
		return;
	}
	if (!cc->have_chal || cc->chal_id != cc->resp_id) {
		cc->not_verified = "the Challenge was not captured";
		return;
	}
	switch (cc->method) {
	case INS_CM_MD5:
		if (!cr->have_password) {
			cc->not_verified = "CHAP-MD5 needs the password, not "
			    "the NT hash";
			return;
		}
		ret = chap_md5_verify(cc->resp_id, cr->password,
		    cr->password_len, cc->chal, cc->chal_len, cc->resp,
		    cc->resp_len);
		break;
	case INS_CM_MSCHAPV1:
		if (cc->chal_len != MSCHAPV1_CHALLENGE_LEN ||
		    mschapv1_response_decode(cc->resp, cc->resp_len,
		    &r1) != 0) {
			cc->not_verified = "malformed MS-CHAPv1 exchange";
			return;
		}
		if (r1.flags & MSCHAPV1_FLAG_USE_NT)
			ret = mschapv1_verify_response(cr->nt_hash, cc->chal,
			    r1.nt);
		else if (cr->have_lm_hash)
			ret = crypt_v1_lm_verify(cr, cc->chal, r1.lm);
		else {
			cc->not_verified = "LM-Response only, and no LM hash "
			    "(give an ASCII --password of up to 14 octets)";
			return;
		}
		break;
	case INS_CM_MSCHAPV2:
		if (cc->chal_len != MSCHAPV2_CHALLENGE_LEN ||
		    mschapv2_response_decode(cc->resp, cc->resp_len,
		    &r2) != 0) {
			cc->not_verified = "malformed MS-CHAPv2 exchange";
			return;
		}
		crypt_user(cc, &u, &ulen);
		ret = mschapv2_verify_response(cr->nt_hash, cc->chal,
		    r2.peer_challenge, u, ulen, r2.nt_response);
		break;
	default:
		return;
	}
	cc->verified = ret == 0 ? 1 : -1;
}

/* MS-CHAPv2 Success: the authenticator's S= (RFC 2759 8.8). */
static void
crypt_check_s(const struct ins_crypt *cr, struct ins_call_crypt *cc,
    const struct chap_msg *m, unsigned frame)
{
	struct mschapv2_response r2;
	const char *u;
	size_t ulen;
	int ret;

	if (cc->method != INS_CM_MSCHAPV2 || cc->verified != 1 ||
	    mschapv2_response_decode(cc->resp, cc->resp_len, &r2) != 0)
		return;
	crypt_user(cc, &u, &ulen);
	ret = mschapv2_check_authenticator_response(cr->nt_hash,
	    r2.nt_response, r2.peer_challenge, cc->chal, u, ulen,
	    (const char *)m->message, m->message_len);
	if (ret == ERR_FORMAT)
		return;
	cc->s_check = ret == 0 ? 1 : -1;
	cc->s_frame = frame;
}

void
ins_crypt_chap(struct inspect *ins, struct ins_call *call, int d,
    const struct chap_msg *m)
{
	struct ins_call_crypt *cc = &call->crypt;
	size_t n;

	if (!ins->crypt.enabled)
		return;
	switch (m->code) {
	case CHAP_CHALLENGE:
		cc->have_chal = m->value_len <= sizeof(cc->chal);
		cc->chal_id = m->id;
		cc->chal_len = (uint8_t)(cc->have_chal ? m->value_len : 0);
		memcpy(cc->chal, m->value, cc->chal_len);
		cc->chal_frame = ins->frames;
		cc->have_roles = true;
		cc->auth_dir = (uint8_t)d;	/* the authenticator's */
		break;
	case CHAP_RESPONSE:
		if (cc->have_roles && cc->auth_dir == d)
			return;	/* not an answer to that Challenge */
		if (m->value_len > sizeof(cc->resp))
			return;
		cc->have_resp = true;
		cc->resp_id = m->id;
		cc->resp_len = (uint8_t)m->value_len;
		memcpy(cc->resp, m->value, m->value_len);
		n = m->name_len < INS_CRYPT_NAME_MAX ? m->name_len :
		    INS_CRYPT_NAME_MAX;
		memcpy(cc->name, m->name, n);
		cc->name[n] = '\0';
		cc->name_len = m->name_len;	/* > max: not verifiable */
		cc->resp_frame = ins->frames;
		if (!cc->have_roles) {
			cc->have_roles = true;
			cc->auth_dir = (uint8_t)(1 - d);
		}
		cc->method = crypt_method(call);
		cc->s_check = 0;
		crypt_verify(&ins->crypt, cc);
		cc->need_start = true;	/* new keys */
		break;
	case CHAP_SUCCESS:
		if (cc->have_resp && cc->have_roles && cc->auth_dir == d)
			crypt_check_s(&ins->crypt, cc, m, ins->frames);
		break;
	default:
		break;
	}
}

/* --- CCP ------------------------------------------------------------ */

void
ins_crypt_cp(struct inspect *ins, struct ins_call *call, int d,
    uint16_t proto, const uint8_t *p, size_t n)
{
	struct ins_call_crypt *cc = &call->crypt;
	struct ppp_cp cp;
	struct ppp_opt o;
	struct mppe_opt mo;
	struct rd r, data;
	uint32_t bits = 0;

	if (!ins->crypt.enabled || proto != PPP_CCP)
		return;
	rd_init(&r, p, n);
	if (ppp_cp_decode(&r, &cp, &data) != 0)
		return;
	switch (cp.code) {
	case PPP_CONF_ACK:
		/* the options of the request this side acknowledges: the
		 * MPPE of the data it will send (RFC 3078 2) */
		while (ppp_opt_next(&data, &o) == 0)
			if (o.type == CCP_OPT_MPPE &&
			    ccp_opt_mppe_decode(&o, &mo) == 0)
				bits = mppe_opt_to_bits(&mo);
		cc->have_ack[d] = true;
		cc->ack_bits[d] = bits;
		cc->ack_frame[d] = ins->frames;
		cc->need_start = true;
		break;
	case PPP_RESET_REQ:
		/* the receiver of the other direction lost packets */
		cc->dir[1 - d].reset_reqs++;
		break;
	case PPP_RESET_ACK:
		cc->dir[d].reset_acks++;
		break;
	default:
		break;
	}
}

/* --- keys ----------------------------------------------------------- */

static void
crypt_unsupported(struct ins_call_crypt *cc, const char *why, unsigned frame)
{
	if (cc->unsupported == NULL) {
		cc->unsupported = why;
		cc->unsupported_frame = frame;
	}
}

static void
crypt_stop(struct ins_call_crypt *cc)
{
	int d;

	for (d = 0; d < 2; d++)
		if (cc->dir[d].active) {
			cc->dir[d].rekeys += cc->dir[d].mppe.rekeys;
			mppe_dir_fini(&cc->dir[d].mppe);
			cc->dir[d].active = false;
		}
}

/* The strength and mode of one Configure-Ack's option 18; 0 = none. */
static unsigned
crypt_ack_bits(uint32_t v)
{
	if (v & MPPE_OPT_S)
		return 128;
	if (v & MPPE_OPT_M)
		return 56;
	if (v & MPPE_OPT_L)
		return 40;
	return 0;
}

/*
 * (Re)starts both directions from the latest exchange and Configure-Acks:
 * RFC 3079 start keys, ccount 4095 before the first packet (mppe.h).
 * Leaves them inactive, with a reason for the report where the capture
 * cannot be decrypted.
 */
static void
crypt_start(struct inspect *ins, struct ins_call *call)
{
	const struct ins_crypt *cr = &ins->crypt;
	struct ins_call_crypt *cc = &call->crypt;
	uint8_t send[MPPE_KEY_MAX], recv[MPPE_KEY_MAX];
	uint32_t v;
	unsigned bits;
	int d, ret;

	cc->need_start = false;
	crypt_stop(cc);
	if (call->auth.proto == PPP_EAP) {
		crypt_unsupported(cc, "EAP authentication: MPPE keys from EAP "
		    "methods are not derived", ins->frames);
		return;
	}
	if (call->auth.proto == PPP_PAP) {
		crypt_unsupported(cc, "PAP gives no MPPE keys", ins->frames);
		return;
	}
	if (!cc->have_resp) {
		crypt_unsupported(cc, "no CHAP Response captured: the keys "
		    "come from it", ins->frames);
		return;
	}
	if (cc->user_differs || cc->verified < 0)
		return;			/* findings of their own */
	if (cc->method == INS_CM_MD5 || cc->method == INS_CM_NONE) {
		crypt_unsupported(cc, "CHAP-MD5 gives no MPPE keys",
		    ins->frames);
		return;
	}
	if (!cc->have_ack[0] && !cc->have_ack[1]) {
		crypt_unsupported(cc, "the CCP negotiation was not captured: "
		    "strength and mode unknown", ins->frames);
		return;
	}
	v = cc->have_ack[0] ? cc->ack_bits[0] : cc->ack_bits[1];
	if (cc->have_ack[0] && cc->have_ack[1] &&
	    cc->ack_bits[0] != cc->ack_bits[1])
		v = cc->ack_bits[0] | cc->ack_bits[1];	/* judged below */
	if (v & MPPE_OPT_C) {
		crypt_unsupported(cc, "MPPC compression (RFC 2118) was "
		    "negotiated: compressed packets cannot be read",
		    ins->frames);
		return;
	}
	if ((bits = crypt_ack_bits(v)) == 0)
		return;			/* CCP agreed no MPPE */
	if (cc->have_ack[0] && cc->have_ack[1] &&
	    cc->ack_bits[0] != cc->ack_bits[1]) {
		crypt_unsupported(cc, "the two directions acknowledged "
		    "different MPPE options", ins->frames);
		return;
	}
	if (cc->method == INS_CM_MSCHAPV2)
		ret = mppe_keys_from_mschapv2(cr->nt_hash_hash,
		    cc->resp + 24, true, bits, send, recv);
	else if (!cc->have_chal ||
	    cc->chal_len != MSCHAPV1_CHALLENGE_LEN)
		ret = ERR_STATE;
	else
		ret = mppe_keys_from_mschapv1(cr->have_lm_hash ? cr->lm_hash :
		    NULL, cr->nt_hash_hash, cc->chal, bits, send, recv);
	if (ret == ERR_STATE)
		crypt_unsupported(cc, "MS-CHAPv1 keys need the Challenge, "
		    "which was not captured", ins->frames);
	else if (ret == ERR_UNSUPPORTED)
		crypt_unsupported(cc, cr->have_password ? "MS-CHAPv1 40/56-bit "
		    "keys come from the LM hash, and this password has none "
		    "(non-ASCII or over 14 octets)" : "MS-CHAPv1 40/56-bit "
		    "keys come from the LM hash: give --password, not "
		    "--nt-hash", ins->frames);
	if (ret != 0)
		goto out;
	/* mppe_keys_from_mschapv2 with is_server: send is the
	 * authenticator's send key (RFC 3079 3.3), recv the peer's; v1 keys
	 * are the same both ways */
	for (d = 0; d < 2; d++) {
		struct ins_crypt_dir *cd = &cc->dir[d];

		if (mppe_dir_init(&cd->mppe, d == cc->auth_dir ? send : recv,
		    bits, (v & MPPE_OPT_H) != 0) != 0 ||
		    mppe_dir_set_max_gap(&cd->mppe, CRYPT_MAX_GAP) != 0)
			goto out;	/* not reached: bits checked */
		cd->active = true;
	}
	cc->bits = bits;
	cc->stateless = (v & MPPE_OPT_H) != 0;
	cc->starts++;
	cc->start_frame = ins->frames;
out:
	secret_wipe(send, sizeof(send));
	secret_wipe(recv, sizeof(recv));
}

/* --- data ----------------------------------------------------------- */

/*
 * Judges a decrypted inner frame (protocol field, PFC or not, then the
 * packet): 1 and *ip, *iplen for an IPv4/IPv6 packet whose header holds
 * together, 0 for another protocol MPPE carries, -1 for garbage.
 */
static int
crypt_inner(const uint8_t *p, size_t n, const uint8_t **ip, size_t *iplen)
{
	size_t hl, len, ihl;
	uint16_t proto;

	if (n < 1)
		return -1;
	hl = (p[0] & 1) ? 1 : 2;		/* RFC 1661 6.6 */
	if (n < hl)
		return -1;
	proto = hl == 1 ? p[0] : (uint16_t)(p[0] << 8 | p[1]);
	p += hl;
	n -= hl;
	switch (proto) {
	case PPP_IP:
		if (n < 20 || (p[0] >> 4) != 4)
			return -1;
		ihl = (size_t)(p[0] & 0x0f) * 4;
		len = (size_t)(p[2] << 8 | p[3]);
		if (ihl < 20 || len < ihl || len > n)
			return -1;
		break;
	case PPP_IPV6:
		if (n < 40 || (p[0] >> 4) != 6)
			return -1;
		len = 40 + (size_t)(p[4] << 8 | p[5]);
		if (len > n)
			return -1;
		break;
	case 0x0023:	/* OSI */
	case 0x0027:	/* DECnet */
	case 0x0029:	/* AppleTalk */
	case 0x002b:	/* IPX */
	case 0x002d:	/* Van Jacobson compressed TCP/IP */
	case 0x002f:	/* Van Jacobson uncompressed TCP/IP */
	case 0x0031:	/* bridging */
		return 0;
	default:
		return -1;
	}
	*ip = p;
	*iplen = len;
	return 1;
}

static bool
crypt_plausible(const uint8_t *p, size_t n)
{
	const uint8_t *ip;
	size_t len;

	return crypt_inner(p, n, &ip, &len) >= 0;
}

/*
 * Stateful, out of sync, and this packet is FLUSHED: as the engine does
 * (ccp_decrypt_resync), when the plain RFC 3078 8.2 result is garbage a
 * few more key changes are tried, for a FLUSHED packet lost meanwhile.
 */
static int
crypt_resync(struct ins_crypt_dir *cd, const uint8_t *p, size_t n,
    uint8_t *out, size_t cap, size_t *outlen)
{
	struct mppe_dir base = cd->mppe, trial;
	unsigned extra, k;
	struct rd r;
	int ret;

	memset(&trial, 0, sizeof(trial));
	rd_init(&r, p, n);
	ret = mppe_decrypt(&cd->mppe, &r, out, cap, outlen);
	if (ret != 0 || mppe_dir_is_discarding(&cd->mppe) ||
	    crypt_plausible(out, *outlen))
		goto out;
	for (extra = 1; extra <= CRYPT_RESYNC_EXTRA; extra++) {
		trial = base;
		for (k = 0; k < extra; k++)
			if (mppe_change_key(trial.start_key, trial.session_key,
			    trial.bits, &trial.rc4) != 0)
				break;
		rd_init(&r, p, n);
		if (k == extra &&
		    mppe_decrypt(&trial, &r, out, cap, outlen) == 0 &&
		    crypt_plausible(out, *outlen)) {
			trial.rekeys += extra;
			cd->mppe = trial;
			cd->extra_rekeys++;
			goto out;
		}
	}
	/* none looks right: the plain result stands */
	cd->mppe = base;
	rd_init(&r, p, n);
	ret = mppe_decrypt(&cd->mppe, &r, out, cap, outlen);
out:
	secret_wipe(&base, sizeof(base));
	secret_wipe(&trial, sizeof(trial));
	return ret;
}

void
ins_crypt_mppe(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n)
{
	struct ins_crypt *cr = &ins->crypt;
	struct ins_call_crypt *cc = &call->crypt;
	struct ins_crypt_dir *cd = &cc->dir[d];
	const uint8_t *ip;
	size_t outlen = 0, iplen;
	uint16_t before;
	unsigned dist;
	bool resync;
	struct rd r;
	int ret;

	if (!cr->enabled)
		return;
	cd->frames++;
	if (cd->first_frame == 0)
		cd->first_frame = ins->frames;
	/* keys changed, or the first MPPE frame (a capture begun mid-call
	 * gets its reason here) */
	if (cc->need_start || (cc->starts == 0 && cc->dir[0].frames +
	    cc->dir[1].frames == 1))
		crypt_start(ins, call);
	if (n >= MPPE_HDR_LEN && (p[0] & ((MPPE_BIT_MPPC_B |
	    MPPE_BIT_MPPC_C) >> 8)) != 0) {
		cd->mppc++;
		crypt_unsupported(cc, "MPPC-compressed packets (RFC 2118) "
		    "cannot be read", ins->frames);
		return;
	}
	if (!cd->active) {
		cd->skipped++;
		return;
	}
	before = cd->mppe.ccount;
	resync = !cd->mppe.stateless && mppe_dir_is_discarding(&cd->mppe) &&
	    n >= 1 && (p[0] & (MPPE_BIT_FLUSHED >> 8)) != 0;
	if (resync)
		ret = crypt_resync(cd, p, n, cr->buf, sizeof(cr->buf),
		    &outlen);
	else {
		rd_init(&r, p, n);
		ret = mppe_decrypt(&cd->mppe, &r, cr->buf, sizeof(cr->buf),
		    &outlen);
	}
	/* mppe_stateful_sync moves the count while discarding too */
	if (cd->mppe.ccount != before) {
		dist = (unsigned)(cd->mppe.ccount - before) &
		    (MPPE_CCOUNT_SPACE - 1);
		cd->lost += dist - 1;
	}
	/* Reset-Requests are the receiver's business */
	(void)mppe_dir_want_reset(&cd->mppe);
	switch (ret) {
	case 0:
		break;
	case ERR_NOKEY:
		cd->discarded++;
		return;
	case ERR_STALE:
		cd->stale++;
		return;
	default:
		cd->failed++;
		if (cd->first_fail_frame == 0)
			cd->first_fail_frame = ins->frames;
		return;
	}
	if (resync)
		cd->resyncs++;
	switch (crypt_inner(cr->buf, outlen, &ip, &iplen)) {
	case 1:
		cd->decrypted++;
		ins_inner_ip(ins, call, d, ip, iplen);
		if (cr->inner != NULL) {
			cr->inner(cr->inner_ctx, ins->last_ts, ip, iplen);
			cd->written++;
			cr->written++;
		}
		break;
	case 0:
		cd->decrypted++;
		cd->other_inner++;
		break;
	default:
		cd->garbage++;
		if (cd->ngarbage < INS_CRYPT_FRAMES)
			cd->garbage_frames[cd->ngarbage++] = ins->frames;
		break;
	}
}

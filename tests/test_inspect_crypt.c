/*
 * test_inspect_crypt.c - the analyzer's MS-CHAP verification and MPPE
 * decryption (src/inspect/inspect_crypt.c) on real conversations of our
 * own engine (tests/icap.h: client and server cores pumped in memory,
 * every frame captured as GRE v1 + IPv4):
 *   - MS-CHAPv2 and MS-CHAPv1 x MPPE 128/56/40 x stateless/stateful, with
 *     and without a control connection: "verified", and every inner
 *     packet equals byte for byte what each side sent, both directions;
 *   - a wrong password: password-mismatch naming the user and the frame,
 *     nothing decrypted or written; CHAP-MD5 verified and refused too;
 *     the NT hash instead of the password; --user for someone else;
 *   - loss: stateless capture loss (the count skips), stateful capture
 *     loss (discard until the next FLUSHED flag packet, RFC 3078 8.2),
 *     wire loss after the capture point (the receiver's Reset-Request and
 *     the sender's FLUSHED packet are followed), and a lost FLUSHED packet
 *     (extra key changes, as the engine's ccp_decrypt_resync);
 *   - wrong-but-verified keys (corrupted ciphertext, a Configure-Ack
 *     changed to another strength): mppe-keys-disagree;
 *   - a hand-built RFC 2759 9.2 exchange with a PFC-compressed inner
 *     protocol, truncated frames, cleartext and MPPC flags and huge
 *     coherency jumps: counted, never a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "icap.h"
#include "../src/crypto/mppe.h"
#include "../src/crypto/mschap.h"
#include "../src/inspect/inspect_int.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_proto.h"

/* CHECK_EQ that says whether it held. */
static bool
check_eq(long long a, long long b, const char *what, int line)
{
	return t_check(a == b, __FILE__, line, "%s (%lld != %lld)", what, a,
	    b);
}
#define CHECK_EQ_RET(a, b)						\
	check_eq((long long)(a), (long long)(b), #a " == " #b, __LINE__)

struct combo {
	unsigned	method;
	unsigned	bits;
	bool		stateless;
};

static void
configs(const struct combo *k, struct ppp_config *c, struct ppp_config *s)
{
	ppp_config_default(c, PPP_ROLE_CLIENT);
	ppp_config_default(s, PPP_ROLE_SERVER);
	c->auth_methods = s->auth_methods = k->method;
	c->mppe = s->mppe = k->bits ? PPP_MPPE_REQUIRED : PPP_MPPE_REFUSED;
	c->mppe_bits = s->mppe_bits = k->bits == 40 ? PPP_MPPE_40 :
	    k->bits == 56 ? PPP_MPPE_56 : PPP_MPPE_128;
	c->mppe_stateless = s->mppe_stateless = k->stateless;
	c->mppe_stateful = s->mppe_stateful = !k->stateless;
	c->echo_interval_ms = s->echo_interval_ms = 0;
	snprintf(c->user, sizeof(c->user), "alice");
	snprintf(c->password, sizeof(c->password), "secret");
}

static const char *
mname(unsigned m)
{
	return m == PPP_AUTH_MSCHAPV2 ? "MS-CHAPv2" : m == PPP_AUTH_MSCHAPV1 ?
	    "MS-CHAPv1" : m == PPP_AUTH_CHAP_MD5 ? "CHAP-MD5" : "?";
}

static struct ins_call *
the_call(struct icap *c)
{
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++)
		if (c->ins->calls[i].used)
			return &c->ins->calls[i];
	return NULL;
}

/* The crypt direction carrying what side (0 client, 1 server) sent. */
static struct ins_crypt_dir *
dir_of(struct ins_call *call, int side)
{
	const struct ins_call_crypt *cc = &call->crypt;
	int d = side == 1 ? cc->auth_dir : 1 - cc->auth_dir;

	return &call->crypt.dir[d];
}

/* The findings with code, counted; *first gets the first one. */
static unsigned
findings(struct icap *c, const char *code, struct ins_finding *first)
{
	struct ins_finding f[8];
	struct ins_call *call = the_call(c);
	size_t n, i;
	unsigned k = 0;

	if (call == NULL)
		return 0;
	n = ins_crypt_findings(c->ins, call, f, 8);
	for (i = 0; i < n; i++) {
		t_note("finding %s: %s", f[i].code, f[i].text);
		if (strcmp(f[i].code, code) == 0 && k++ == 0 && first != NULL)
			*first = f[i];
	}
	return k;
}

/* Starts a pair for k with credentials for the analyzer; false (with a
 * failed check) when the link does not come up. */
static bool
session(struct icap *c, const struct combo *k, uint64_t seed, bool control,
    const char *user, const char *password, const char *nt_hash)
{
	struct ppp_config cc, sc;

	configs(k, &cc, &sc);
	if (!CHECK(icap_init(c, &cc, &sc, seed, control) == 0))
		return false;
	if (!CHECK(icap_credentials(c, user, password, nt_hash) == 0)) {
		icap_fini(c);
		return false;
	}
	icap_start(c);
	if (!t_check(icap_run(c, icap_both_up, 30000), __FILE__, __LINE__,
	    "%s mppe=%u: link not up", mname(k->method), k->bits)) {
		icap_fini(c);
		return false;
	}
	return true;
}

static void
dir_note(struct ins_crypt_dir *cd, const char *what)
{
	t_note("%s: frames=%u decrypted=%u garbage=%u failed=%u stale=%u "
	    "discarded=%u lost=%u resyncs=%u extra=%u resets=%u written=%u",
	    what, cd->frames, cd->decrypted, cd->garbage, cd->failed,
	    cd->stale, cd->discarded, cd->lost, cd->resyncs,
	    cd->extra_rekeys, cd->reset_reqs, cd->written);
}

/* One combination: up, n packets each way, every one decrypted. */
static void
matrix_case(const struct combo *k, uint64_t seed, bool control)
{
	static struct icap c;
	struct ins_call *call;
	unsigned npk = k->stateless ? 80 : 300;
	int side;

	t_note("%s %u-bit %s control=%d", mname(k->method), k->bits,
	    k->stateless ? "stateless" : "stateful", control);
	if (!session(&c, k, seed, control, NULL, "secret", NULL))
		return;
	icap_exchange(&c, npk);
	call = the_call(&c);
	if (!CHECK(call != NULL))
		goto out;
	CHECK_EQ(call->kind, control ? INS_CALL_OUTGOING : INS_CALL_GRE_ONLY);
	CHECK_EQ(call->crypt.verified, 1);
	CHECK_EQ(call->crypt.bits, k->bits);
	CHECK_EQ(call->crypt.stateless, k->stateless);
	if (control)		/* PNS->PAC is the peer's */
		CHECK_EQ(call->crypt.auth_dir, 1);
	for (side = 0; side < 2; side++) {
		struct ins_crypt_dir *cd = dir_of(call, side);

		dir_note(cd, side ? "server" : "client");
		CHECK_EQ(c.nsent[side], npk);
		CHECK_EQ(cd->decrypted, npk);
		CHECK_EQ(cd->written, npk);
		CHECK_EQ(cd->garbage + cd->failed + cd->stale + cd->discarded,
		    0);
		CHECK(icap_got_matches(&c, side, true));
	}
	CHECK_EQ(c.got_stray, 0);
	CHECK(!c.got_ts_backwards);
	CHECK_EQ(findings(&c, "mppe-keys-disagree", NULL) +
	    findings(&c, "password-mismatch", NULL), 0);
out:
	icap_fini(&c);
}

TEST(crypt_engine_matrix_decrypts_both_ways)
{
	static const unsigned methods[] = { PPP_AUTH_MSCHAPV2,
	    PPP_AUTH_MSCHAPV1 };
	static const unsigned bits[] = { 128, 56, 40 };
	unsigned mi, bi, st, n = 0;

	/* MS-CHAPv2 calls with a control connection, MS-CHAPv1 as GRE
	 * only: the roles come from the CHAP packets either way */
	for (mi = 0; mi < 2; mi++)
		for (bi = 0; bi < 3; bi++)
			for (st = 0; st < 2; st++) {
				struct combo k = { methods[mi], bits[bi],
				    st == 0 };

				matrix_case(&k, 100 + n++, mi == 0);
			}
}

TEST(crypt_wrong_password_is_a_mismatch_and_nothing_is_written)
{
	static const unsigned methods[] = { PPP_AUTH_MSCHAPV2,
	    PPP_AUTH_MSCHAPV1 };
	unsigned i;

	for (i = 0; i < 2; i++) {
		struct combo k = { methods[i], 128, true };
		static struct icap c;
		struct ins_finding f;
		struct ins_call *call;
		char want[32];

		if (!session(&c, &k, 7 + i, true, NULL, "Secret", NULL))
			continue;
		icap_exchange(&c, 20);
		call = the_call(&c);
		CHECK_EQ(call->crypt.verified, -1);
		CHECK_EQ(c.ngot[0] + c.ngot[1], 0);
		CHECK_EQ(call->crypt.dir[0].decrypted +
		    call->crypt.dir[1].decrypted, 0);
		CHECK_EQ(call->crypt.dir[0].skipped +
		    call->crypt.dir[1].skipped, 40);
		if (CHECK_EQ_RET(findings(&c, "password-mismatch", &f), 1)) {
			CHECK(strstr(f.text, "\"alice\"") != NULL);
			snprintf(want, sizeof(want), "frame %u",
			    call->crypt.resp_frame);
			CHECK(strstr(f.text, want) != NULL);
			CHECK_EQ(f.nframes, 1);
			CHECK_EQ(f.frames[0], call->crypt.resp_frame);
			CHECK_EQ(f.call_id, call->id);
		}
		CHECK_EQ(findings(&c, "mppe-keys-disagree", NULL), 0);
		icap_fini(&c);
	}
}

TEST(crypt_chap_md5_is_verified_too)
{
	struct combo k = { PPP_AUTH_CHAP_MD5, 0, true };
	static struct icap c;
	const char *pw[] = { "secret", "other" };
	int i;

	for (i = 0; i < 2; i++) {
		if (!session(&c, &k, 3, false, "alice", pw[i], NULL))
			continue;
		CHECK_EQ(the_call(&c)->crypt.method, INS_CM_MD5);
		CHECK_EQ(the_call(&c)->crypt.verified, i == 0 ? 1 : -1);
		CHECK_EQ(findings(&c, "password-mismatch", NULL), i);
		icap_fini(&c);
	}
	/* an NT hash cannot check CHAP-MD5: said, not guessed */
	if (session(&c, &k, 3, false, NULL, NULL,
	    "00112233445566778899aabbccddeeff")) {
		CHECK_EQ(the_call(&c)->crypt.verified, 0);
		CHECK(the_call(&c)->crypt.not_verified != NULL);
		icap_fini(&c);
	}
}

static void
hex32(const uint8_t h[16], char out[33])
{
	static const char x[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 16; i++) {
		out[2 * i] = x[h[i] >> 4];
		out[2 * i + 1] = x[h[i] & 15];
	}
	out[32] = '\0';
}

TEST(crypt_nt_hash_and_user_names)
{
	struct combo k = { PPP_AUTH_MSCHAPV2, 128, true };
	struct combo v1_40 = { PPP_AUTH_MSCHAPV1, 40, true };
	static struct icap c;
	struct ins_finding f;
	uint8_t h[16];
	char hex[33];

	CHECK_OK(mschap_nt_password_hash("secret", 6, h));
	hex32(h, hex);
	if (session(&c, &k, 11, true, "alice", NULL, hex)) {
		icap_exchange(&c, 10);
		CHECK_EQ(the_call(&c)->crypt.verified, 1);
		CHECK_EQ(c.ngot[0], 10);
		CHECK(icap_got_matches(&c, 0, true));
		icap_fini(&c);
	}
	if (session(&c, &k, 12, true, "bob", "secret", NULL)) {
		icap_exchange(&c, 10);
		CHECK_EQ(the_call(&c)->crypt.verified, 0);
		CHECK(the_call(&c)->crypt.user_differs);
		CHECK_EQ(c.ngot[0] + c.ngot[1], 0);
		if (CHECK_EQ_RET(findings(&c, "no-credentials-for-user", &f),
		    1))
			CHECK(strstr(f.text, "\"bob\"") != NULL &&
			    strstr(f.text, "\"alice\"") != NULL);
		icap_fini(&c);
	}
	/* MS-CHAPv1 40-bit keys come from the LM hash: the NT hash cannot
	 * give them (RFC 3079 2.1), the password can */
	if (session(&c, &v1_40, 13, false, NULL, NULL, hex)) {
		icap_exchange(&c, 5);
		CHECK_EQ(the_call(&c)->crypt.verified, 1);
		CHECK_EQ(c.ngot[0] + c.ngot[1], 0);
		if (CHECK_EQ_RET(findings(&c, "decrypt-unsupported", &f), 1))
			CHECK(strstr(f.text, "LM hash") != NULL);
		icap_fini(&c);
	}
}

/* --- loss --- */

struct lossy {
	int		side;		/* whose MPPE frames */
	unsigned	every;		/* each every-th of them */
	enum icap_fate	fate;
	unsigned	seen;
	/* lose the first FLUSHED frame after a loss too */
	bool		and_flushed;
	bool		want_flushed;
	unsigned	limit;		/* most losses (0: no limit) */
	unsigned	done;
};

static enum icap_fate
lossy_fate(struct icap *c, int from, uint8_t *cap, size_t *caplen, void *ctx)
{
	struct lossy *l = ctx;
	uint16_t proto;
	size_t off;

	(void)c;
	if (from != l->side || !icap_ppp_proto(cap, *caplen, &proto, &off) ||
	    proto != PPP_COMP || *caplen < off + 3)
		return ICAP_PASS;
	l->seen++;
	if (l->want_flushed && (cap[off] & 0x80)) {
		l->want_flushed = false;
		return l->fate;
	}
	if (l->seen % l->every != 0 || (l->limit && l->done >= l->limit))
		return ICAP_PASS;
	l->done++;
	l->want_flushed = l->and_flushed;
	return l->fate;
}

TEST(crypt_stateless_capture_loss_skips_ahead)
{
	struct combo k = { PPP_AUTH_MSCHAPV2, 40, true };
	struct lossy l = { .side = 0, .every = 7, .fate = ICAP_CAPTURE_LOSS };
	static struct icap c;
	struct ins_crypt_dir *cd;

	if (!session(&c, &k, 21, true, NULL, "secret", NULL))
		return;
	c.fate = lossy_fate;
	c.fate_ctx = &l;
	icap_exchange(&c, 140);
	cd = dir_of(the_call(&c), 0);
	dir_note(cd, "client");
	CHECK_EQ(l.done, 20);
	CHECK_EQ(cd->lost, 19);	/* the 140th, last, shows no gap */
	CHECK_EQ(cd->decrypted, 120);
	CHECK_EQ(cd->garbage + cd->failed, 0);
	CHECK(icap_got_matches(&c, 0, false));
	CHECK(icap_got_matches(&c, 1, true));
	CHECK_EQ(c.delivered[1], 140);	/* the server lost nothing */
	icap_fini(&c);
}

TEST(crypt_stateful_capture_loss_waits_for_flushed)
{
	struct combo k = { PPP_AUTH_MSCHAPV2, 128, false };
	struct lossy l = { .side = 0, .every = 100, .fate = ICAP_CAPTURE_LOSS };
	static struct icap c;
	struct ins_crypt_dir *cd;

	if (!session(&c, &k, 22, true, NULL, "secret", NULL))
		return;
	c.fate = lossy_fate;
	c.fate_ctx = &l;
	icap_exchange(&c, 600);
	cd = dir_of(the_call(&c), 0);
	dir_note(cd, "client");
	/* losses at 100, 200, ... 600; the receiver had them, so no reset:
	 * the analyzer waits for the flag packets 255 and 511 (ccount & 0xFF
	 * == 0xFF carry FLUSHED, RFC 3078 7.2) like a receiver would */
	CHECK_EQ(l.done, 6);
	CHECK_EQ(cd->reset_reqs, 0);
	CHECK_EQ(cd->resyncs, 2);
	CHECK_EQ(cd->garbage + cd->failed, 0);
	CHECK(cd->discarded > 200);
	CHECK_EQ(cd->decrypted + cd->discarded, 600 - 6);
	CHECK(icap_got_matches(&c, 0, false));
	CHECK(icap_got_matches(&c, 1, true));
	CHECK_EQ(c.delivered[1], 600);
	icap_fini(&c);
}

TEST(crypt_stateful_wire_loss_follows_reset_request)
{
	struct combo k = { PPP_AUTH_MSCHAPV1, 128, false };
	struct lossy l = { .side = 0, .every = 23, .fate = ICAP_WIRE_LOSS };
	static struct icap c;
	struct ins_crypt_dir *cd;

	if (!session(&c, &k, 23, true, NULL, "secret", NULL))
		return;
	c.fate = lossy_fate;
	c.fate_ctx = &l;
	icap_exchange(&c, 300);
	cd = dir_of(the_call(&c), 0);
	dir_note(cd, "client");
	/* the server lost them and asked; the capture saw everything,
	 * including the FLUSHED answers, and stays in sync */
	CHECK(l.done >= 10);
	CHECK(c.delivered[1] < 300);
	CHECK(cd->reset_reqs >= 5);
	CHECK_EQ(cd->resyncs + cd->discarded + cd->garbage + cd->failed, 0);
	CHECK_EQ(cd->decrypted, 300);
	CHECK(icap_got_matches(&c, 0, true));
	icap_fini(&c);
}

TEST(crypt_stateful_lost_flushed_packet_costs_extra_key_changes)
{
	struct combo k = { PPP_AUTH_MSCHAPV2, 128, false };
	struct lossy l = { .side = 0, .every = 40, .fate = ICAP_BOTH_LOSS,
	    .and_flushed = true, .limit = 3 };
	static struct icap c;
	struct ins_crypt_dir *cd;

	if (!session(&c, &k, 24, true, NULL, "secret", NULL))
		return;
	c.fate = lossy_fate;
	c.fate_ctx = &l;
	icap_exchange(&c, 200);
	cd = dir_of(the_call(&c), 0);
	dir_note(cd, "client");
	t_note("server delivered %u of 200", c.delivered[1]);
	CHECK_EQ(l.done, 3);
	CHECK_EQ(cd->resyncs, 3);
	CHECK_EQ(cd->extra_rekeys, 3);
	CHECK_EQ(cd->garbage + cd->failed, 0);
	CHECK_EQ(cd->decrypted, c.delivered[1]);
	CHECK(icap_got_matches(&c, 0, false));
	icap_fini(&c);
}

/* --- keys that verify but do not decrypt --- */

static enum icap_fate
corrupt_fate(struct icap *c, int from, uint8_t *cap, size_t *caplen,
    void *ctx)
{
	uint16_t proto;
	size_t off;

	(void)c, (void)ctx;
	if (from == 0 && icap_ppp_proto(cap, *caplen, &proto, &off) &&
	    proto == PPP_COMP && *caplen >= off + 8) {
		cap[off + 2] ^= 0x5a;		/* the inner protocol */
		cap[off + 4] ^= 0xa5;		/* the IP version */
	}
	return ICAP_PASS;
}

/* The captured CCP Configure-Acks say 40-bit where 128 was agreed. */
static enum icap_fate
strength_fate(struct icap *c, int from, uint8_t *cap, size_t *caplen,
    void *ctx)
{
	uint16_t proto;
	size_t off;

	(void)c, (void)ctx, (void)from;
	if (icap_ppp_proto(cap, *caplen, &proto, &off) && proto == PPP_CCP &&
	    *caplen >= off + 10 && cap[off] == PPP_CONF_ACK &&
	    cap[off + 4] == CCP_OPT_MPPE && cap[off + 5] == 6)
		cap[off + 9] = (uint8_t)((cap[off + 9] & ~0x40) | 0x20);
	return ICAP_PASS;
}

TEST(crypt_verified_but_wrong_keys_disagree)
{
	struct combo k = { PPP_AUTH_MSCHAPV2, 128, true };
	static struct icap c;
	struct ins_finding f;
	struct ins_call *call;
	struct ins_crypt_dir *cd;

	if (session(&c, &k, 31, true, NULL, "secret", NULL)) {
		c.fate = corrupt_fate;
		icap_exchange(&c, 50);
		call = the_call(&c);
		cd = dir_of(call, 0);
		CHECK_EQ(call->crypt.verified, 1);
		CHECK_EQ(cd->garbage, 50);
		CHECK_EQ(cd->written, 0);
		CHECK_EQ(dir_of(call, 1)->decrypted, 50);
		if (CHECK_EQ_RET(findings(&c, "mppe-keys-disagree", &f), 1)) {
			CHECK(strstr(f.text, "50 of 50") != NULL);
			CHECK_EQ(f.nframes, INS_FINDING_FRAMES);
			CHECK_EQ(f.frames[0], cd->garbage_frames[0]);
		}
		icap_fini(&c);
	}
	{
		/* only the capture says 40-bit: the link runs 128 */
		struct ppp_config cc, sc;

		configs(&k, &cc, &sc);
		if (!CHECK(icap_init(&c, &cc, &sc, 33, true) == 0))
			return;
		c.fate = strength_fate;
		if (CHECK(icap_credentials(&c, NULL, "secret", NULL) == 0)) {
			icap_start(&c);
			CHECK(icap_run(&c, icap_both_up, 30000));
			icap_exchange(&c, 30);
			call = the_call(&c);
			CHECK_EQ(call->crypt.verified, 1);
			CHECK_EQ(call->crypt.bits, 40);
			CHECK_EQ(c.ngot[0] + c.ngot[1], 0);
			CHECK_EQ(findings(&c, "mppe-keys-disagree", NULL), 2);
		}
		icap_fini(&c);
	}
}

/* --- hand-built: RFC 2759 9.2, PFC, bad input --- */

static size_t
ppp_frame(uint16_t proto, const uint8_t *p, size_t n, uint8_t *out)
{
	out[0] = 0xff, out[1] = 0x03;
	out[2] = (uint8_t)(proto >> 8), out[3] = (uint8_t)proto;
	memcpy(out + 4, p, n);
	return n + 4;
}

static void
feed_ppp(struct icap *c, int from, uint16_t proto, const uint8_t *p,
    size_t n)
{
	uint8_t f[ICAP_FRAME];

	if (n + 4 <= sizeof(f))
		icap_feed_gre(c, from, f, ppp_frame(proto, p, n, f));
}

TEST(crypt_rfc2759_exchange_pfc_inner_and_bad_frames)
{
	/* RFC 2759 9.2: User "User", password "clientPass" */
	static const char *auth_chal = "5B5D7C7D7B3F2F3E3C2C602132262628";
	static const char *peer_chal = "21402324255E262A28295F2B3A337C7E";
	static const char *nt_resp =
	    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
	static const char *s_msg = "S=407A5589115FD0D6209F510FE9C04566932CDA56";
	static struct icap c;
	uint8_t pkt[1600], b[1600], send[16], recv[16], hh[16], nth[16];
	uint8_t plain[1600], seal[1700];
	struct mppe_dir tx;
	struct ins_call *call = NULL;
	struct ins_crypt_dir *cd;
	struct wr w;
	size_t n, pl;
	unsigned i;
	int ret;

	if (!CHECK(icap_init_bare(&c) == 0) ||
	    !CHECK(icap_credentials(&c, "User", "clientPass", NULL) == 0))
		goto out;
	/* the authenticator (here the 192.0.2.2 side, "1") challenges */
	pkt[0] = CHAP_CHALLENGE, pkt[1] = 7, pkt[4] = 16;
	t_unhex(auth_chal, pkt + 5, 16);
	memcpy(pkt + 21, "srv", 3);
	pkt[2] = 0, pkt[3] = 24;
	feed_ppp(&c, 1, PPP_CHAP, pkt, 24);
	pkt[0] = CHAP_RESPONSE, pkt[1] = 7, pkt[4] = 49;
	t_unhex(peer_chal, pkt + 5, 16);
	memset(pkt + 21, 0, 8);
	t_unhex(nt_resp, pkt + 29, 24);
	pkt[53] = 0;
	memcpy(pkt + 54, "User", 4);
	pkt[2] = 0, pkt[3] = 58;
	feed_ppp(&c, 0, PPP_CHAP, pkt, 58);
	pkt[0] = CHAP_SUCCESS, pkt[1] = 7, pkt[2] = 0;
	pkt[3] = (uint8_t)(4 + strlen(s_msg));
	memcpy(pkt + 4, s_msg, strlen(s_msg));
	feed_ppp(&c, 1, PPP_CHAP, pkt, pkt[3]);
	call = the_call(&c);
	if (!CHECK(call != NULL))
		goto out;
	CHECK_EQ(call->kind, INS_CALL_GRE_ONLY);
	CHECK_EQ(call->crypt.method, INS_CM_MSCHAPV2);
	CHECK_EQ(call->crypt.verified, 1);
	CHECK_EQ(call->crypt.s_check, 1);
	/* CCP: 128-bit stateless agreed both ways */
	for (i = 0; i < 2; i++) {
		static const uint8_t ack[] = { PPP_CONF_ACK, 1, 0, 10,
		    CCP_OPT_MPPE, 6, 0x01, 0, 0, 0x40 };

		feed_ppp(&c, (int)i, PPP_CCP, ack, sizeof(ack));
	}
	/* the client's send key, derived here independently */
	CHECK_OK(mschap_nt_password_hash("clientPass", 10, nth));
	mschap_hash_nt_password_hash(nth, hh);
	t_unhex(nt_resp, pkt, 24);
	CHECK_OK(mppe_keys_from_mschapv2(hh, pkt, false, 128, send, recv));
	CHECK_OK(mppe_dir_init(&tx, send, 128, true));
	/* packet 0: IPv4 behind a PFC-compressed protocol (0x21) */
	plain[0] = 0x21;
	for (i = 0; i < 60; i++)
		b[i] = (uint8_t)(i * 3);
	b[0] = 0x45, b[2] = 0, b[3] = 60;
	b[12] = 10, b[13] = 0, b[14] = 0, b[15] = 2;	/* the client */
	memcpy(plain + 1, b, 60);
	seal[0] = 0xff, seal[1] = 0x03, seal[2] = 0x00, seal[3] = 0xfd;
	wr_init(&w, seal + 4, sizeof(seal) - 4);
	CHECK_OK(mppe_encrypt(&tx, plain, 61, &w));
	icap_feed_gre(&c, 0, seal, 4 + wr_len(&w));
	cd = &call->crypt.dir[1 - call->crypt.auth_dir];
	CHECK_EQ(cd->decrypted, 1);
	if (CHECK_EQ_RET(c.ngot[0], 1))
		CHECK(c.got[0][0].len == 60 &&
		    memcmp(c.got[0][0].data, b, 60) == 0);
	/* truncated: nothing, a header alone, one octet of header */
	for (n = 0; n < 3; n++)
		feed_ppp(&c, 0, PPP_COMP, seal + 4, n);
	CHECK_EQ(cd->failed, 3);
	/* cleartext (D clear), and MPPC bits */
	pl = 4 + wr_len(&w);
	memcpy(pkt, seal, pl);
	pkt[4] = 0x00;
	icap_feed_gre(&c, 0, pkt, pl);
	CHECK_EQ(cd->failed, 4);
	pkt[4] = 0x30;
	icap_feed_gre(&c, 0, pkt, pl);
	CHECK_EQ(cd->mppc, 1);
	CHECK(call->crypt.unsupported != NULL);
	/* jumps: +2047 costs 2047 key changes, then 4000 ahead is behind */
	pkt[4] = 0x90 | (uint8_t)(2047 >> 8), pkt[5] = (uint8_t)2047;
	icap_feed_gre(&c, 0, pkt, pl);
	CHECK_EQ(cd->lost, 2046);
	pkt[4] = 0x90 | (uint8_t)(((2047 + 4000) & 0xfff) >> 8);
	pkt[5] = (uint8_t)((2047 + 4000) & 0xfff);
	icap_feed_gre(&c, 0, pkt, pl);
	CHECK_EQ(cd->stale, 1);
	/* and the sender carries on where it is: still in step */
	for (i = 1; i <= 2048; i++) {
		wr_init(&w, seal + 4, sizeof(seal) - 4);
		ret = mppe_encrypt(&tx, plain, 61, &w);
		if (ret != 0)
			break;
	}
	icap_feed_gre(&c, 0, seal, 4 + wr_len(&w));
	CHECK_EQ(cd->decrypted, 2);
	CHECK_EQ(cd->garbage, 1);	/* the corrupted +2047 one */
	CHECK_EQ(c.ngot[0], 2);
	mppe_dir_fini(&tx);
	{
		/* the report sections hold no secret */
		char *text = NULL;
		size_t tlen = 0;
		FILE *f = open_memstream(&text, &tlen);

		if (CHECK(f != NULL)) {
			ins_crypt_text(c.ins, call, f, false);
			fclose(f);
			t_note("%s", text);
			CHECK(strstr(text, "password verified") != NULL);
			CHECK(strstr(text, "clientPass") == NULL);
			free(text);
		}
	}
out:
	if (c.ins != NULL) {
		ins_crypt_close(c.ins);
		CHECK(c.ins->crypt.password[0] == '\0');
		CHECK(call == NULL || (!call->crypt.dir[0].active &&
		    !call->crypt.dir[1].active));
	}
	icap_fini(&c);
}

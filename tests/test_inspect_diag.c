/*
 * test_inspect_diag.c - the analyzer's diagnosis and security audit on
 * synthetic captures (tests/ins_build.c), one per finding and audit item:
 * the code, the severity and the exact frames that prove it; the calls'
 * end frames; no error on the healthy real captures; the JSON sections
 * parse; a PAP password never appears unmasked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "icap.h"
#include "ins_build.h"
#include "json.h"
#include "../src/inspect/inspect.h"
#include "../src/wire/ppp_auth.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_proto.h"
#include "../src/wire/pptp_msg.h"

#define A_PNS	0x0a000001u	/* 10.0.0.1 */
#define A_PAC	0x0a000002u	/* 10.0.0.2 */
#define SEC	1000000ull
#define NF	64

static struct ins_finding fbuf[NF];

static const struct ins_finding *
finding(const struct inspect *ins, const char *code)
{
	return ib_find(ins, code, false, fbuf, NF);
}

static const struct ins_finding *
audit(const struct inspect *ins, const char *code)
{
	return ib_find(ins, code, true, fbuf, NF);
}

/* f has exactly the frames want[n]. */
static bool
frames_are(const struct ins_finding *f, const unsigned *want, unsigned n)
{
	unsigned i;

	if (f == NULL || f->nframes != n)
		goto bad;
	for (i = 0; i < n; i++)
		if (f->frames[i] != want[i])
			goto bad;
	return true;
bad:
	if (f != NULL) {
		t_note("%s frames:", f->code);
		for (i = 0; i < f->nframes; i++)
			t_note("  %u", f->frames[i]);
	}
	return false;
}

#define FRAMES(f, ...) do {						\
	const unsigned _w[] = { __VA_ARGS__ };			\
	CHECK(frames_are((f), _w, sizeof(_w) / sizeof(_w[0])));		\
} while (0)

static bool
has(const struct ins_finding *f, const char *s)
{
	if (f != NULL && strstr(f->text, s) != NULL)
		return true;
	t_note("\"%s\" not in: %s", s, f != NULL ? f->text : "(none)");
	return false;
}

static struct inspect *
fresh(struct ib *b)
{
	struct inspect *ins = inspect_new();

	if (ins != NULL)
		ib_init(b, ins, A_PNS, A_PAC);
	return ins;
}

static size_t
lcp_req(uint8_t *o, uint16_t mru)
{
	size_t n = ib_opt_u32(o, LCP_OPT_MAGIC, 0x0a0b0c0du);

	if (mru != 0)
		n += ib_opt_u16(o + n, LCP_OPT_MRU, mru);
	return n;
}

/* --- GRE ------------------------------------------------------------------ */

TEST(diag_gre_one_way_and_lcp_no_answer)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o[32];
	size_t n;
	unsigned ocrp, first = 0, last = 0;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ocrp = ib_setup(&b, 7, 24);
	CHECK_EQ(ocrp, 7);
	n = lcp_req(o, 0);
	for (i = 0; i < 5; i++) {
		last = ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o, n);
		if (i == 0)
			first = last;
		ib_wait(&b, 3 * SEC);
	}
	CHECK_EQ(first, 8);
	CHECK_EQ(last, 12);
	f = finding(ins, "gre-one-way");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, 8, 12);
		CHECK(has(f, "PNS 10.0.0.1 sent 5 GRE packets"));
		CHECK(has(f, "no GRE from PAC 10.0.0.2"));
		CHECK(has(f, "expected Key 7"));
		CHECK_EQ(f->call_id, ib_ctrl_call(ins)->id);
	}
	f = finding(ins, "lcp-no-answer");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, 8, 12);
		CHECK(has(f, "GRE never arrived"));
	}
	inspect_free(ins);

	/* one packet, then the server hangs up: too early to be sure */
	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	first = ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o, n);
	last = ib_fin(&b, 1);
	f = finding(ins, "gre-one-way");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, first);
		CHECK(has(f, "too early"));
	}
	CHECK(finding(ins, "lcp-no-answer") == NULL);
	CHECK(ib_ctrl_call(ins)->ended);
	CHECK_EQ(ib_ctrl_call(ins)->end_frame, last);
	inspect_free(ins);
}

TEST(diag_gre_not_acked)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o[32];
	size_t n;
	unsigned p0 = 0, p1 = 0, p1last = 0;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	b.no_ack[1] = true;		/* the PAC never hears the PNS */
	n = lcp_req(o, 0);
	for (i = 0; i < 4; i++) {
		unsigned x = ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o, n);
		unsigned y = ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, 1, o, n);

		if (i == 0)
			p0 = x, p1 = y;
		p1last = y;
		ib_wait(&b, 3 * SEC);
	}
	f = finding(ins, "gre-not-acked");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, p0, p1, p1last);
		CHECK(has(f, "GRE from PNS 10.0.0.1 is never acknowledged"));
	}
	CHECK(finding(ins, "gre-one-way") == NULL);
	f = finding(ins, "lcp-not-converged");
	CHECK(f != NULL && f->sev == INS_SEV_WARN);
	inspect_free(ins);
}

TEST(diag_gre_ack_stuck)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned a1 = 0, a3 = 0, last0 = 0;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	b.ack_frozen[1] = true;
	b.ack_value[1] = 0;
	for (i = 0; i < 6; i++)
		last0 = ib_data(&b, 0, PPP_COMP, 40);
	for (i = 0; i < 3; i++) {
		unsigned x = ib_data(&b, 1, PPP_COMP, 40);

		if (i == 0)
			a1 = x;
		a3 = x;
	}
	f = finding(ins, "gre-ack-stuck");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, last0, a1, a3);
		CHECK(has(f, "all say 0"));
		CHECK(has(f, "up to sequence 5"));
	}
	inspect_free(ins);
}

TEST(diag_no_gre_after_answer)
{
	struct ib b, o;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned ocrp, cdn;

	if (!CHECK(ins != NULL))
		return;
	ocrp = ib_setup(&b, 7, 24);
	ib_wait(&b, 30 * SEC);
	cdn = ib_cdn(&b, PPTP_CDN_LOST_CARRIER, 0, 0);
	f = finding(ins, "no-gre");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);	/* no GRE in the capture */
		FRAMES(f, ocrp, cdn);
		CHECK(has(f, "capture filter"));
	}
	f = finding(ins, "call-disconnected");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, cdn);
		CHECK(has(f, "Lost-Carrier") || has(f, "carrier"));
	}
	CHECK(ib_ctrl_call(ins)->ended && ib_ctrl_call(ins)->end_frame == cdn);
	/* other GRE in the same capture: this call's GRE is blocked */
	ib_init(&o, ins, 0x0b000001u, 0x0b000002u);
	o.ts = b.ts;
	o.cid[0] = o.cid[1] = 5;
	ib_data(&o, 0, PPP_COMP, 20);
	f = finding(ins, "no-gre");
	CHECK(f != NULL && f->sev == INS_SEV_ERROR);
	inspect_free(ins);
}

/* --- NAT ------------------------------------------------------------------ */

TEST(diag_nat_wrong_key)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o[32];
	size_t n = lcp_req(o, 0);
	unsigned ocrp, w1 = 0, w3 = 0;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ocrp = ib_setup(&b, 7, 24);
	for (i = 0; i < 3; i++) {
		unsigned x;

		ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, 1, o, n);
		b.cid[1] = 99;		/* what the NAT put in the GRE */
		x = ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o, n);
		b.cid[1] = 24;
		if (i == 0)
			w1 = x;
		w3 = x;
		ib_wait(&b, 3 * SEC);
	}
	f = finding(ins, "nat-call-id");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, ocrp, w1, w3);
		CHECK(has(f, "carries Key 99"));
		CHECK(has(f, "Call ID 24"));
		CHECK(has(f, "Heuristic"));
	}
	CHECK(finding(ins, "gre-one-way") == NULL ||
	    finding(ins, "gre-one-way")->call_id != ib_ctrl_call(ins)->id);
	inspect_free(ins);
}

TEST(diag_nat_seen_twice)
{
	struct ib in, out;
	struct inspect *ins = fresh(&in);
	const struct ins_finding *f;
	unsigned r1, r2;

	if (!CHECK(ins != NULL))
		return;
	/* inside: 10.0.0.1 -> 10.0.0.2; outside the NAT: 192.0.2.9 ->
	 * 10.0.0.2, the PNS's Call ID rewritten from 7 to 4711 */
	ib_init(&out, ins, 0xc0000209u, A_PAC);
	ib_connect(&in);
	ib_start(&in);
	out.ts = in.ts;
	ib_connect(&out);
	ib_start(&out);
	ib_call(&in, 7, 24, PPTP_OCRP_CONNECTED);
	r1 = in.ins->frames - 1;
	out.ts = in.ts;
	ib_call(&out, 4711, 24, PPTP_OCRP_CONNECTED);
	r2 = ins->frames - 1;
	f = finding(ins, "nat-call-id");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_INFO);
		FRAMES(f, r1, r2);
		CHECK(has(f, "PNS Call ID 7"));
		CHECK(has(f, "PNS Call ID 4711"));
	}
	inspect_free(ins);

	/* the same client retrying (no address differs) is no NAT */
	ins = fresh(&in);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&in, 7, 24);
	ib_fin(&in, 0);
	in.cport++;
	ib_setup(&in, 8, 25);
	CHECK(finding(ins, "nat-call-id") == NULL);
	inspect_free(ins);
}

/* --- LCP -------------------------------------------------------------------- */

TEST(diag_lcp_option_loop)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o0[32], o1[32], nak[8];
	size_t n0 = lcp_req(o0, 0), n1, nn;
	unsigned first = 0, last = 0;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	n1 = lcp_req(o1, 0);
	n1 += ib_opt_auth(o1 + n1, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	nn = ib_opt_auth(nak, PPP_PAP, 0);
	ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, 1, o1, n1);
	ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o0, n0);
	ib_cp(&b, 1, PPP_LCP, PPP_CONF_ACK, 1, o0, n0);
	for (i = 0; i < 4; i++) {
		last = ib_cp(&b, 0, PPP_LCP, PPP_CONF_NAK, (uint8_t)(1 + i),
		    nak, nn);
		if (i == 0)
			first = last;
		ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, (uint8_t)(2 + i), o1, n1);
	}
	f = finding(ins, "lcp-option-loop");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, first, last);
		CHECK(has(f, "PNS 10.0.0.1 Nak'd, suggesting <auth pap> 4 "
		    "times"));
	}
	CHECK(finding(ins, "lcp-not-converged") == NULL);
	inspect_free(ins);
}

TEST(diag_lcp_no_answer_with_gre)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o[32];
	size_t n = lcp_req(o, 1400);
	unsigned first = 0, last = 0;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	for (i = 0; i < 4; i++) {
		last = ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, (uint8_t)i, o, n);
		if (i == 0)
			first = last;
		ib_gre_ack(&b, 1);	/* the PAC acks but never answers */
		ib_wait(&b, 3 * SEC);
	}
	f = finding(ins, "lcp-no-answer");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, first, last);
		CHECK(has(f, "PNS 10.0.0.1 sent 4 Configure-Requests"));
		CHECK(has(f, "its GRE arrives (4 packets)"));
	}
	CHECK(finding(ins, "gre-one-way") == NULL);
	inspect_free(ins);
}

TEST(diag_lcp_terminated_and_not_converged)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o[32];
	size_t n = lcp_req(o, 0);
	unsigned r1, term;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	r1 = ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o, n);
	ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, 1, o, n);
	term = ib_cp(&b, 1, PPP_LCP, PPP_TERM_REQ, 2, "go away", 7);
	f = finding(ins, "lcp-terminated");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, r1, term);
		CHECK(has(f, "PAC 10.0.0.2 sent Terminate-Request"));
		CHECK(has(f, "\"go away\""));
	}
	inspect_free(ins);

	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	for (i = 0; i < 3; i++) {
		ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, (uint8_t)i, o, n);
		ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, (uint8_t)i, o, n);
	}
	f = finding(ins, "lcp-not-converged");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, 8, 9, 12, 13);
	}
	inspect_free(ins);
}

TEST(diag_lcp_echo_timeout_and_terminate)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t magic[4] = { 1, 2, 3, 4 };
	unsigned rep = 0, first = 0, last = 0, term;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, 0, 0);
	for (i = 0; i < 2; i++) {
		ib_cp(&b, 0, PPP_LCP, PPP_ECHO_REQ, (uint8_t)i, magic, 4);
		rep = ib_cp(&b, 1, PPP_LCP, PPP_ECHO_REP, (uint8_t)i, magic, 4);
	}
	for (i = 0; i < 4; i++) {
		ib_wait(&b, 10 * SEC);
		last = ib_cp(&b, 0, PPP_LCP, PPP_ECHO_REQ, (uint8_t)(5 + i),
		    magic, 4);
		if (i == 0)
			first = last;
	}
	f = finding(ins, "lcp-echo-timeout");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);	/* the link is still up */
		FRAMES(f, rep, first, last);
		CHECK(has(f, "PAC 10.0.0.2 stopped answering LCP echoes: 4"));
	}
	term = ib_cp(&b, 0, PPP_LCP, PPP_TERM_REQ, 9, NULL, 0);
	f = finding(ins, "lcp-echo-timeout");
	CHECK(f != NULL && f->sev == INS_SEV_ERROR);
	f = finding(ins, "ppp-terminated");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_INFO);
		FRAMES(f, term);
	}
	CHECK(finding(ins, "lcp-terminated") == NULL);
	inspect_free(ins);
}

/* --- authentication ---------------------------------------------------------- */

static unsigned chal_f, resp_f;

static void
mschapv2_exchange(struct ib *b, const char *user)
{
	uint8_t chal[16], resp[49];

	memset(chal, 0x5a, sizeof(chal));
	memset(resp, 0x33, sizeof(resp));
	resp[48] = 0;
	chal_f = ib_chap(b, 1, CHAP_CHALLENGE, 1, chal, 16, "srv");
	resp_f = ib_chap(b, 0, CHAP_RESPONSE, 1, resp, 49, user);
}

TEST(diag_auth_failed_mschapv2)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned fail;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	mschapv2_exchange(&b, "ACME\\alice");
	fail = ib_chap(&b, 1, CHAP_FAILURE, 1, NULL, 0, "E=691 R=0 "
	    "C=00112233445566778899AABBCCDDEEFF V=3 M=bad password");
	f = finding(ins, "auth-failed");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, chal_f, resp_f, fail);
		CHECK(has(f, "MS-CHAPv2 of user \"ACME\\x5calice\" failed"));
		CHECK(has(f, "E=691 (authentication-failure) R=0 V=3"));
		CHECK(has(f, "wrong user name or password"));
		CHECK(has(f, "\"bad password\""));
		CHECK(has(f, "PAC 10.0.0.2 answered Failure"));
	}
	f = audit(ins, "mschapv2");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		CHECK(has(f, "2^56"));
		FRAMES(f, resp_f);
	}
	inspect_free(ins);

	/* E=648 then a retry that succeeds: a warning naming the code */
	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	mschapv2_exchange(&b, "bob");
	fail = ib_chap(&b, 1, CHAP_FAILURE, 1, NULL, 0, "E=648 R=1 V=3");
	mschapv2_exchange(&b, "bob");
	ib_chap(&b, 1, CHAP_SUCCESS, 2, NULL, 0,
	    "S=0123456789ABCDEF0123456789ABCDEF01234567");
	f = finding(ins, "auth-failed");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		CHECK(has(f, "E=648 (password-expired) R=1"));
		CHECK(has(f, "expired"));
		CHECK(has(f, "later attempt succeeded"));
	}
	inspect_free(ins);
}

TEST(diag_auth_pap_nak_and_mask)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned req, nak;
	char *text = NULL;
	size_t len = 0;
	FILE *mf;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_PAP, 0);
	req = ib_pap_req(&b, "bob", "secret");
	nak = ib_pap_answer(&b, PAP_AUTH_NAK, "Login incorrect");
	f = finding(ins, "auth-failed");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, req, nak);
		CHECK(has(f, "PAP of user \"bob\" failed"));
		CHECK(has(f, "Authenticate-Nak"));
		CHECK(has(f, "\"Login incorrect\""));
	}
	f = audit(ins, "pap-cleartext");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, req);
		CHECK(has(f, "s****t (6 chars)"));
		CHECK(strstr(f->text, "secret") == NULL);
	}
	/* neither report ever shows the password */
	if (CHECK((mf = open_memstream(&text, &len)) != NULL)) {
		inspect_report_text(ins, "t", mf);
		inspect_report_json(ins, "t", mf);
		fclose(mf);
		CHECK(strstr(text, "s****t") != NULL);
		CHECK(strstr(text, "secret") == NULL);
		free(text);
	}
	inspect_free(ins);
}

TEST(diag_auth_incomplete)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t chal[16] = { 0 };
	unsigned ch, fin;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	ch = ib_chap(&b, 1, CHAP_CHALLENGE, 1, chal, 16, "srv");
	ib_wait(&b, 30 * SEC);
	fin = ib_fin(&b, 1);
	f = finding(ins, "auth-no-response");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, ch, fin);
	}
	inspect_free(ins);
}

TEST(diag_audit_auth_methods)
{
	static const struct {
		uint16_t	proto;
		uint8_t		alg;
		const char	*code;
		enum ins_sev	sev;
	} cases[] = {
		{ PPP_CHAP, LCP_CHAP_MD5, "chap-md5", INS_SEV_WARN },
		{ PPP_CHAP, LCP_CHAP_MSCHAP, "mschapv1", INS_SEV_ERROR },
		{ PPP_CHAP, LCP_CHAP_MSCHAPV2, "mschapv2", INS_SEV_WARN },
		{ PPP_PAP, 0, "pap-cleartext", INS_SEV_ERROR },
		{ 0, 0, "no-auth", INS_SEV_WARN },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ib b;
		struct inspect *ins = fresh(&b);
		const struct ins_finding *f;
		unsigned up;

		if (!CHECK(ins != NULL))
			return;
		ib_setup(&b, 7, 24);
		up = ib_lcp_up(&b, cases[i].proto, cases[i].alg);
		f = audit(ins, cases[i].code);
		if (CHECK(f != NULL)) {
			CHECK_EQ(f->sev, cases[i].sev);
			if (cases[i].proto == 0)
				FRAMES(f, up - 1, up);
			else
				FRAMES(f, 9);	/* the PAC's request */
		} else {
			t_note("case %zu", i);
		}
		inspect_free(ins);
	}
}

TEST(diag_audit_eap_offered)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t o0[32], o1[32], nak[8];
	size_t n0 = lcp_req(o0, 0), n1, nn;
	unsigned eap;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	n1 = lcp_req(o1, 0);
	n1 += ib_opt_auth(o1 + n1, PPP_EAP, 0);
	nn = ib_opt_auth(nak, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	ib_cp(&b, 0, PPP_LCP, PPP_CONF_REQ, 1, o0, n0);
	eap = ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, 1, o1, n1);
	ib_cp(&b, 0, PPP_LCP, PPP_CONF_NAK, 1, nak, nn);
	n1 = lcp_req(o1, 0);
	n1 += ib_opt_auth(o1 + n1, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	ib_cp(&b, 1, PPP_LCP, PPP_CONF_REQ, 2, o1, n1);
	ib_cp(&b, 0, PPP_LCP, PPP_CONF_ACK, 2, o1, n1);
	ib_cp(&b, 1, PPP_LCP, PPP_CONF_ACK, 1, o0, n0);
	f = audit(ins, "eap-offered");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_INFO);
		FRAMES(f, eap);
		CHECK(has(f, "EAP offered in LCP by PAC 10.0.0.2"));
	}
	CHECK(audit(ins, "mschapv2") != NULL);
	CHECK(finding(ins, "lcp-option-loop") == NULL);
	inspect_free(ins);
}

/* --- MPPE ---------------------------------------------------------------------- */

static void
ccp_up(struct ib *b, uint32_t bits, unsigned *ack)
{
	uint8_t o[8];
	size_t n = ib_opt_mppe(o, bits);

	ib_cp(b, 0, PPP_CCP, PPP_CONF_REQ, 1, o, n);
	ib_cp(b, 1, PPP_CCP, PPP_CONF_REQ, 1, o, n);
	ib_cp(b, 0, PPP_CCP, PPP_CONF_ACK, 1, o, n);
	*ack = ib_cp(b, 1, PPP_CCP, PPP_CONF_ACK, 1, o, n);
}

TEST(diag_mppe_not_agreed)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t p40[8], p128[8];
	size_t n40 = ib_opt_mppe(p40, MPPE_OPT_L);
	size_t n128 = ib_opt_mppe(p128, MPPE_OPT_S | MPPE_OPT_H);
	unsigned r0 = 0, r1 = 0, nak = 0, term;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	for (i = 0; i < 3; i++) {
		unsigned x = ib_cp(&b, 0, PPP_CCP, PPP_CONF_REQ, (uint8_t)i,
		    p40, n40);
		unsigned y = ib_cp(&b, 1, PPP_CCP, PPP_CONF_REQ, (uint8_t)i,
		    p128, n128);

		if (i == 0)
			r0 = x, r1 = y;
		nak = ib_cp(&b, 1, PPP_CCP, PPP_CONF_NAK, (uint8_t)i, p128,
		    n128);
		ib_cp(&b, 0, PPP_CCP, PPP_CONF_NAK, (uint8_t)i, p40, n40);
	}
	term = ib_cp(&b, 1, PPP_CCP, PPP_TERM_REQ, 9, NULL, 0);
	f = finding(ins, "mppe-not-agreed");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		CHECK(has(f, "PNS 10.0.0.1 asks for MPPE-40 stateful"));
		CHECK(has(f, "PAC 10.0.0.2 asks for MPPE-128 stateless"));
		CHECK(has(f, "PAC 10.0.0.2 Nak'd 3 times suggesting MPPE-128 "
		    "stateless"));
		CHECK(has(f, "Terminate-Request at frame"));
		FRAMES(f, r0, r1, nak, nak + 1, term);
	}
	inspect_free(ins);

	/* CCP rejected altogether by LCP Protocol-Reject */
	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	r0 = ib_cp(&b, 1, PPP_CCP, PPP_CONF_REQ, 1, p128, n128);
	{
		uint8_t pr[16] = { 0x80, 0xfd, 1, 1, 0, 10 };

		memcpy(pr + 6, p128, n128);
		r1 = ib_cp(&b, 0, PPP_LCP, PPP_PROTO_REJ, 3, pr, 6 + n128);
	}
	f = finding(ins, "mppe-not-agreed");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, r0, r1);
		CHECK(has(f, "PNS 10.0.0.1 rejected CCP altogether"));
		CHECK(has(f, "PAC 10.0.0.2 asks for MPPE-128 stateless"));
		CHECK(has(f, "PNS 10.0.0.1 sent no CCP request"));
	}
	inspect_free(ins);
}

TEST(diag_audit_mppe_strengths)
{
	static const struct {
		uint32_t	bits;
		const char	*code;
		enum ins_sev	sev;
		const char	*text;
	} cases[] = {
		{ MPPE_OPT_L, "mppe-40", INS_SEV_ERROR, "MPPE-40 stateful" },
		{ MPPE_OPT_M | MPPE_OPT_H, "mppe-56", INS_SEV_WARN,
		    "MPPE-56 stateless" },
		{ MPPE_OPT_S | MPPE_OPT_H, "mppe-128", INS_SEV_INFO,
		    "MPPE-128 stateless" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ib b;
		struct inspect *ins = fresh(&b);
		const struct ins_finding *f;
		unsigned ack;

		if (!CHECK(ins != NULL))
			return;
		ib_setup(&b, 7, 24);
		ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
		ccp_up(&b, cases[i].bits, &ack);
		ib_data(&b, 0, PPP_COMP, 60);
		f = audit(ins, cases[i].code);
		if (CHECK(f != NULL)) {
			CHECK_EQ(f->sev, cases[i].sev);
			CHECK(has(f, cases[i].text));
			FRAMES(f, ack - 1);	/* the first Ack */
		}
		CHECK(finding(ins, "mppe-not-agreed") == NULL);
		CHECK(audit(ins, "mppe-stateful-lossy") == NULL);
		inspect_free(ins);
	}
}

TEST(diag_mppe_stateful_lossy)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned ack, reset;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	ccp_up(&b, MPPE_OPT_S, &ack);
	for (i = 0; i < 5; i++) {
		ib_data(&b, 1, PPP_COMP, 60);
		if (i == 2)
			b.gre_seq[1] += 3;	/* 3 packets lost */
	}
	reset = ib_cp(&b, 0, PPP_CCP, PPP_RESET_REQ, 7, NULL, 0);
	ib_cp(&b, 1, PPP_CCP, PPP_RESET_ACK, 7, NULL, 0);
	f = finding(ins, "mppe-resets");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, reset);
		CHECK(has(f, "PNS 10.0.0.1 sent 1 CCP Reset-Request (first"));
		CHECK(has(f, "3 lost"));
	}
	f = audit(ins, "mppe-stateful-lossy");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, ack - 1, reset);
		CHECK(has(f, "3 GRE packets lost, 1 CCP Reset-Requests"));
	}
	inspect_free(ins);
}

TEST(diag_audit_no_mppe)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	uint8_t a0[8], a1[8];
	size_t n0 = ib_opt_u32(a0, IPCP_OPT_ADDR, 0x0a010101u);
	size_t n1 = ib_opt_u32(a1, IPCP_OPT_ADDR, 0x0a010102u);
	unsigned k0, k1;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	ib_cp(&b, 0, PPP_IPCP, PPP_CONF_REQ, 1, a0, n0);
	ib_cp(&b, 1, PPP_IPCP, PPP_CONF_REQ, 1, a1, n1);
	k0 = ib_cp(&b, 0, PPP_IPCP, PPP_CONF_ACK, 1, a1, n1);
	k1 = ib_cp(&b, 1, PPP_IPCP, PPP_CONF_ACK, 1, a0, n0);
	ib_data(&b, 0, PPP_IP, 40);
	f = audit(ins, "no-mppe");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, k0, k1);
		CHECK(has(f, "1 unencrypted IP frames"));
	}
	inspect_free(ins);
}

/* --- control connection and call end --------------------------------------- */

TEST(diag_ctrl_endings)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned fr, rq, rp;

	if (!CHECK(ins != NULL))
		return;
	/* capture ends with everything open: info */
	fr = ib_setup(&b, 7, 24);
	f = finding(ins, "ctrl-open-at-capture-end");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_INFO);
		FRAMES(f, 1);
		CHECK_EQ(f->call_id, 0);
		CHECK_EQ(f->conn_id, 1);
	}
	CHECK(!ib_ctrl_call(ins)->ended);
	/* a FIN without Stop: a warning; the call ends there */
	fr = ib_fin(&b, 1);
	f = finding(ins, "ctrl-closed-without-stop");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_WARN);
		FRAMES(f, fr);
		CHECK(has(f, "server 10.0.0.2 closed the control connection "
		    "with a TCP FIN"));
	}
	CHECK(finding(ins, "ctrl-open-at-capture-end") == NULL);
	CHECK(ib_ctrl_call(ins)->ended && ib_ctrl_call(ins)->end_frame == fr);
	inspect_free(ins);

	/* RST */
	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	fr = ib_rst(&b, 0);
	f = finding(ins, "ctrl-closed-without-stop");
	CHECK(f != NULL && has(f, "client 10.0.0.1") && has(f, "RST"));
	CHECK(ib_ctrl_call(ins)->end_frame == fr);
	inspect_free(ins);

	/* Stop-Control-Connection: info, calls end at the reply */
	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	rq = ib_simple(&b, 0, PPTP_STOPCCRQ);
	CHECK(!ib_ctrl_call(ins)->ended);
	rp = ib_simple(&b, 1, PPTP_STOPCCRP);
	ib_fin(&b, 0);
	f = finding(ins, "ctrl-stopped");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_INFO);
		FRAMES(f, rq, rp);
		CHECK(has(f, "client 10.0.0.1 stopped"));
	}
	CHECK(finding(ins, "ctrl-closed-without-stop") == NULL);
	CHECK(ib_ctrl_call(ins)->ended && ib_ctrl_call(ins)->end_frame == rp);
	inspect_free(ins);
}

TEST(diag_ctrl_refused_and_call_refused)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	struct pptp_msg m;
	unsigned fr, rq;

	if (!CHECK(ins != NULL))
		return;
	ib_connect(&b);
	ib_simple(&b, 0, PPTP_SCCRQ);
	pptp_msg_init(&m, PPTP_SCCRP);
	m.u.sccrp.result = PPTP_SCCRP_NOT_AUTHORIZED;
	fr = ib_msg(&b, 1, &m);
	f = finding(ins, "ctrl-refused");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, fr);
		CHECK(has(f, "(4)"));
	}
	inspect_free(ins);

	ins = fresh(&b);
	if (!CHECK(ins != NULL))
		return;
	ib_connect(&b);
	ib_start(&b);
	fr = ib_call(&b, 7, 0, PPTP_OCRP_BUSY);
	rq = fr - 1;
	f = finding(ins, "call-refused");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, rq, fr);
		CHECK(has(f, "PAC 10.0.0.2 refused the outgoing call"));
		CHECK(has(f, "(4)"));
	}
	CHECK(finding(ins, "no-gre") == NULL);
	CHECK(ib_ctrl_call(ins)->ended && ib_ctrl_call(ins)->end_frame == fr);
	inspect_free(ins);
}

TEST(diag_call_cleared)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned ccrq, cdn;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, 0, 0);
	ccrq = ib_simple(&b, 0, PPTP_CCRQ);
	CHECK(!ib_ctrl_call(ins)->ended);
	cdn = ib_cdn(&b, PPTP_CDN_ADMIN_SHUTDOWN, 0, 0);
	f = finding(ins, "call-disconnected");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_INFO);
		FRAMES(f, ccrq, cdn);
		CHECK(has(f, "answering PNS 10.0.0.1's Call-Clear-Request"));
	}
	CHECK(ib_ctrl_call(ins)->ended && ib_ctrl_call(ins)->end_frame == cdn);
	inspect_free(ins);
}

TEST(diag_pptp_echo_timeout)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	const struct ins_finding *f;
	unsigned rq, fin;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_simple(&b, 0, PPTP_ECHORQ);
	ib_simple(&b, 1, PPTP_ECHORP);
	rq = ib_simple(&b, 1, PPTP_ECHORQ);
	ib_wait(&b, 30 * SEC);
	CHECK(finding(ins, "pptp-echo-timeout") == NULL);	/* < 60 s */
	ib_wait(&b, 31 * SEC);
	fin = ib_fin(&b, 1);
	f = finding(ins, "pptp-echo-timeout");
	if (CHECK(f != NULL)) {
		CHECK_EQ(f->sev, INS_SEV_ERROR);
		FRAMES(f, rq, fin);
		CHECK(has(f, "client 10.0.0.1 never answered server "
		    "10.0.0.2's Echo-Request"));
	}
	inspect_free(ins);
}

/* --- real captures, reports ------------------------------------------------- */

/* Healthy captures raise no error; each says what it should. */
TEST(diag_real_captures_no_false_errors)
{
	char path[512], err[256];
	size_t i, n, k;

	for (i = 0; i < ICAP_NFILES; i++) {
		struct inspect *ins = inspect_new();

		if (!CHECK(ins != NULL))
			return;
		icap_file_path(icap_files[i], path, sizeof(path));
		CHECK_OK(inspect_read_file(ins, path, err, sizeof(err)));
		n = ins_diagnose(ins, fbuf, NF);
		for (k = 0; k < n; k++)
			if (!CHECK(fbuf[k].sev != INS_SEV_ERROR))
				t_note("%s: %s %s", icap_files[i], fbuf[k].code,
				    fbuf[k].text);
		if (i == 0) {
			const struct ins_finding *f;

			CHECK(finding(ins, "ctrl-open-at-capture-end") != NULL);
			f = audit(ins, "pap-cleartext");
			CHECK(f != NULL && has(f, "i**a (4 chars)"));
			FRAMES(f, 17);
			CHECK(audit(ins, "no-mppe") != NULL);
			CHECK(finding(ins, "gre-one-way") == NULL);
			CHECK(finding(ins, "gre-ack-stuck") == NULL);
		}
		if (i == 1) {
			const struct ins_finding *f = finding(ins,
			    "gre-one-way");

			CHECK(f != NULL && f->sev == INS_SEV_WARN);
			FRAMES(f, 16);
			CHECK(finding(ins, "ctrl-closed-without-stop") != NULL);
		}
		if (i == 2) {
			CHECK(finding(ins, "no-gre") != NULL);
			CHECK(finding(ins, "call-disconnected") != NULL);
		}
		inspect_free(ins);
	}
}

TEST(diag_json_and_text_sections)
{
	struct ib b;
	struct inspect *ins = fresh(&b);
	struct json *j, *arr, *e, *c;
	char *text = NULL;
	size_t len = 0;
	unsigned fail;
	bool found = false;
	FILE *mf;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	ib_lcp_up(&b, PPP_CHAP, LCP_CHAP_MSCHAPV2);
	mschapv2_exchange(&b, "al\"ice");
	fail = ib_chap(&b, 1, CHAP_FAILURE, 1, NULL, 0, "E=691 R=0 V=3");
	if (!CHECK((mf = open_memstream(&text, &len)) != NULL))
		goto out;
	inspect_report_json(ins, "synthetic", mf);
	fclose(mf);
	j = json_parse(text, len);
	if (!CHECK(j != NULL)) {
		t_note("%s", text);
		free(text);
		goto out;
	}
	free(text);
	arr = json_get(j, "findings");
	CHECK(arr != NULL && arr->type == JSON_ARR);
	for (e = arr ? arr->child : NULL; e != NULL; e = e->next) {
		struct json *code = json_get(e, "code");

		if (code == NULL || strcmp(code->str, "auth-failed") != 0)
			continue;
		found = true;
		CHECK_STR(json_get(e, "severity")->str, "error");
		CHECK_EQ(json_int(json_get(e, "call")), 1);
		CHECK_EQ(json_int(json_get(e, "control_connection")), 1);
		CHECK_EQ(json_len(json_get(e, "frames")), 3);
		CHECK_EQ(json_int(json_at(json_get(e, "frames"), 2)), fail);
		CHECK(strstr(json_get(e, "text")->str, "al\\x22ice") != NULL);
	}
	CHECK(found);
	CHECK(json_int(json_get(json_get(j, "finding_counts"), "error")) >= 1);
	c = json_at(json_get(j, "calls"), 0);
	CHECK(json_len(json_get(c, "findings")) >= 1);
	CHECK_STR(json_get(json_at(json_get(c, "security"), 0), "code")->str,
	    "mschapv2");
	json_free(j);

	/* text: ANSI colours only when asked */
	text = NULL;
	if (CHECK((mf = open_memstream(&text, &len)) != NULL)) {
		ins_diag_call_text(ins, ib_ctrl_call(ins), mf, true);
		fclose(mf);
		CHECK(strstr(text, "\033[31merror\033[0m auth-failed") != NULL);
		CHECK(strstr(text, "\033[33mwarning\033[0m mschapv2") != NULL);
		free(text);
	}
	text = NULL;
	if (CHECK((mf = open_memstream(&text, &len)) != NULL)) {
		inspect_report_text(ins, "t", mf);
		fclose(mf);
		CHECK(strstr(text, "\033[") == NULL);
		CHECK(strstr(text, "    error auth-failed: ") != NULL);
		CHECK(strstr(text, "  diagnosis: 1 error") != NULL);
		free(text);
	}
out:
	inspect_free(ins);
}

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Random control packets inside a real call: the evidence collectors see
 * every code, bad lengths and option soup; the reports render, nothing
 * crashes (ASan), the findings stay within their caps. */
TEST(diag_random_control_packets)
{
	static const uint16_t protos[] = { PPP_LCP, PPP_IPCP, PPP_IPV6CP,
	    PPP_CCP, PPP_PAP, PPP_CHAP };
	struct ib b;
	struct inspect *ins = fresh(&b);
	uint8_t pkt[64];
	uint32_t seed = 0x1661u;
	FILE *devnull;
	size_t n, k;
	int i;

	if (!CHECK(ins != NULL))
		return;
	ib_setup(&b, 7, 24);
	for (i = 0; i < 3000; i++) {
		int dir = (int)(rnd(&seed) & 1);
		uint16_t proto = protos[rnd(&seed) % 6];
		size_t len = rnd(&seed) % sizeof(pkt);

		for (k = 0; k < len; k++)
			pkt[k] = (uint8_t)rnd(&seed);
		if (len >= 4 && (rnd(&seed) & 3) != 0) {
			pkt[0] = (uint8_t)(1 + rnd(&seed) % 15);
			pkt[2] = 0;
			pkt[3] = (uint8_t)len;
		}
		if (proto == PPP_PAP || proto == PPP_CHAP) {
			uint8_t f[80] = { 0xff, 0x03, (uint8_t)(proto >> 8),
			    (uint8_t)proto };

			memcpy(f + 4, pkt, len);
			ib_gre(&b, dir, f, len + 4);
		} else if (len >= 4) {
			ib_cp(&b, dir, proto, pkt[0], pkt[1], pkt + 4, len - 4);
		}
		if (i % 500 == 0)
			ib_wait(&b, 61 * SEC);
	}
	n = ins_diagnose(ins, fbuf, NF);
	CHECK(n <= NF);
	for (k = 0; k < n; k++)
		CHECK(fbuf[k].code != NULL && fbuf[k].text[0] != '\0' &&
		    fbuf[k].nframes <= INS_FINDING_FRAMES);
	if ((devnull = fopen("/dev/null", "w")) != NULL) {
		inspect_report_text(ins, "random", devnull);
		inspect_report_json(ins, "random", devnull);
		fclose(devnull);
	}
	inspect_free(ins);
}

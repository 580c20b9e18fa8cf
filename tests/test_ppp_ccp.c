/*
 * test_ppp_ccp.c - CCP with MPPE (RFC 1962, RFC 3078 2.1 and 8): the
 * negotiation table (our policy x the peer's offer -> our Ack/Nak/Reject,
 * the mode agreed or the failure text naming both offers), the peer's
 * Naks and Rejects, Protocol-Reject of CCP, the stateful Reset-Request
 * flow with real mppe_dir state on both ends, stateful preferred
 * (mppe_prefer_stateful) against a peer that takes the Nak and one that
 * insists on stateless.  A real session (ppp_tap.h) is put straight into
 * the Network phase with keys given by "RADIUS" and fed scripted frames.
 * Last, our client core against our server core (ppp_pair.h) for every
 * pairing of the mode policies: the mode both agree on, and traffic.
 * Other whole-session pairs are in test_ppp_ncp.c and test_ppp_pair.c.
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "ppp_pair.h"
#include "ppp_tap.h"
#include "../src/ppp/ppp_int.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"

#define H	MPPE_OPT_H
#define M	MPPE_OPT_M
#define S	MPPE_OPT_S
#define L	MPPE_OPT_L
#define D	MPPE_OPT_D
#define C	MPPE_OPT_C

static const uint8_t send_key[16] = "0123456789abcdef";
static const uint8_t recv_key[16] = "fedcba9876543210";

struct policy {
	enum ppp_mppe_policy	mppe;
	unsigned		bits;
	bool			sl;
	int			sf;	/* stateful: 0 no, 1 allowed, 2
					 * preferred (mppe_prefer_stateful) */
};

#define REQ128		{ PPP_MPPE_REQUIRED, PPP_MPPE_128, true, false }
#define ALLOW128	{ PPP_MPPE_ALLOWED, PPP_MPPE_128, true, false }
#define PREF128		{ PPP_MPPE_REQUIRED, PPP_MPPE_128, true, 2 }

/* A server session in the Network phase, keys given by "RADIUS" (or, with
 * method PAP / MS-CHAPv1, what those leave), CCP opened by ppp_auth_done. */
static struct tap *
ccp_tap_auth(const struct policy *p, unsigned method)
{
	struct ppp_config cfg = tap_config(PPP_ROLE_SERVER, method);
	struct tap *t;
	struct ppp *s;

	cfg.mppe = p->mppe;
	cfg.mppe_bits = p->bits;
	cfg.mppe_stateless = p->sl;
	cfg.mppe_stateful = p->sf != 0;
	cfg.mppe_prefer_stateful = p->sf == 2;
	if ((t = tap_new(&cfg, 7)) == NULL)
		return NULL;
	s = t->s;
	s->phase = PPP_PHASE_NETWORK;
	s->now = t->now;
	s->auth.done = true;
	s->auth.method = method;
	if (method == PPP_AUTH_MSCHAPV2) {
		s->auth.keys_given = true;
		memcpy(s->auth.send_key, send_key, 16);
		memcpy(s->auth.recv_key, recv_key, 16);
	} else if (method == PPP_AUTH_MSCHAPV1) {
		s->auth.have_keys = true;	/* no LM hash */
		memset(s->auth.pw_hash_hash, 0x11, 16);
		memset(s->auth.v1_challenge, 0x22, 8);
	}
	s->ipcp.local = 0x0a000001;
	s->ipcp.peer = 0x0a000002;
	ppp_auth_done(s);
	return t;
}

static struct tap *
ccp_tap(const struct policy *p)
{
	return ccp_tap_auth(p, PPP_AUTH_MSCHAPV2);
}

/* The last packet of proto the session sent whose code is in [lo, hi]. */
static const uint8_t *
last_code(const struct tap *t, uint16_t proto, uint8_t lo, uint8_t hi,
    size_t *len)
{
	unsigned i;

	for (i = t->nout; i-- > 0;)
		if (t->out[i].proto == proto && t->out[i].len >= 4 &&
		    t->out[i].b[0] >= lo && t->out[i].b[0] <= hi) {
			*len = t->out[i].len;
			return t->out[i].b;
		}
	return NULL;
}

static const uint8_t *
last_pkt(const struct tap *t, uint16_t proto, size_t *len)
{
	return last_code(t, proto, 0, 255, len);
}

static unsigned
count_code(const struct tap *t, uint16_t proto, uint8_t code)
{
	unsigned i, n = 0;

	for (i = 0; i < t->nout; i++)
		n += t->out[i].proto == proto && t->out[i].len >= 4 &&
		    t->out[i].b[0] == code;
	return n;
}

/* The option-18 value of a Configure-* packet holding only that. */
static bool
pkt_mppe(const uint8_t *p, size_t len, uint32_t *v)
{
	if (p == NULL || len != 10 || p[4] != CCP_OPT_MPPE || p[5] != 6)
		return false;
	*v = (uint32_t)p[6] << 24 | (uint32_t)p[7] << 16 | p[8] << 8 | p[9];
	return true;
}

/* Feeds the session one control packet of proto from the peer. */
static int
feed(struct tap *t, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *opts, size_t n)
{
	uint8_t pkt[PPP_FRAME_MAX] = { code, id, (uint8_t)((n + 4) >> 8),
	    (uint8_t)(n + 4) };

	if (n > 0)
		memcpy(pkt + 4, opts, n);
	return tap_in(t, proto, pkt, n + 4);
}

static int
feed_mppe(struct tap *t, uint8_t code, uint8_t id, uint32_t v)
{
	uint8_t o[6] = { CCP_OPT_MPPE, 6, (uint8_t)(v >> 24),
	    (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return feed(t, PPP_CCP, code, id, o, sizeof(o));
}

/* --- the negotiation table --- */

struct ccp_case {
	const char	*name;
	struct policy	 pol;
	uint32_t	 our;		/* our first request */
	uint32_t	 peer;		/* the peer's first request */
	uint8_t		 answer;	/* what we answer it with */
	uint32_t	 answer_val;	/* ... carrying this value */
	unsigned	 bits;		/* agreed at the end; 0: none */
	bool		 stateless;
	const char	*fail;		/* the whole failure text, or NULL */
};

static const struct ccp_case ccp_cases[] = {
	{ "windows-old +H+M+S+L", REQ128, H | S, H | M | S | L,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "+H-M+S-L acked", REQ128, H | S, H | S,
	  PPP_CONF_ACK, H | S, 128, true, NULL },
	{ "windows optional +H-M-S-L-D+C", REQ128, H | S, H | C,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "+H+S+C: C nak'd away", REQ128, H | S, H | S | C,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "all-zero, required", REQ128, H | S, 0,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "+D nak'd away", REQ128, H | S, H | S | D,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "D alone", REQ128, H | S, H | D,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "unknown bits nak'd away", REQ128, H | S, H | S | 0x00020000,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "stateful-only offer, stateless policy", REQ128, H | S, S,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "stateful-only offer, stateful policy",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_128, false, true }, S, S,
	  PPP_CONF_ACK, S, 128, false, NULL },
	{ "stateless offer, stateful policy",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_128, false, true }, S, H | S,
	  PPP_CONF_NAK, S, 128, false, NULL },
	{ "stateful offer, both modes allowed",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_128, true, true }, H | S, S,
	  PPP_CONF_ACK, S, 128, false, NULL },
	{ "stateless offer, both modes allowed",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_128, true, true }, H | S, H | S | L,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "40-only, 128 required", REQ128, H | S, H | L,
	  PPP_CONF_REJ, H | L, 0, false,
	  "MPPE not agreed: we offered <mppe +H -M +S -L -D -C>, "
	  "peer offered <mppe +H -M -S +L -D -C>: policy requires 128-bit "
	  "stateless (no common strength)" },
	{ "40-only, 40/128 required",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_40 | PPP_MPPE_128, true, false },
	  H | S | L, H | L, PPP_CONF_ACK, H | L, 40, true, NULL },
	{ "windows-old, all strengths allowed",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128,
	    true, false },
	  H | M | S | L, H | M | S | L, PPP_CONF_NAK, H | S, 128, true, NULL },
	{ "56-only, 56/128 allowed",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_56 | PPP_MPPE_128, true, false },
	  H | M | S, H | M, PPP_CONF_ACK, H | M, 56, true, NULL },
	{ "stateful-only 40 offer, 40 stateless required",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_40, true, false },
	  H | L, L | M, PPP_CONF_NAK, H | L, 40, true, NULL },
	{ "all-zero, allowed", ALLOW128, H | S, 0,
	  PPP_CONF_ACK, 0, 0, false, NULL },
	{ "40-only, 128 allowed", ALLOW128, H | S, H | L,
	  PPP_CONF_REJ, H | L, 0, false, NULL },
	{ "+H+C, allowed", ALLOW128, H | S, H | C,
	  PPP_CONF_NAK, H | S, 128, true, NULL },
	/* stateful preferred: asked for, a stateless offer Nak'd to it;
	 * the peer (pppd mppe-stateful, Windows) takes the Nak */
	{ "stateless offer, stateful preferred", PREF128, S, H | S,
	  PPP_CONF_NAK, S, 128, false, NULL },
	{ "stateful offer, stateful preferred", PREF128, S, S,
	  PPP_CONF_ACK, S, 128, false, NULL },
	{ "windows-old, stateful preferred", PREF128, S, H | M | S | L,
	  PPP_CONF_NAK, S, 128, false, NULL },
	{ "all-zero, stateful preferred", PREF128, S, 0,
	  PPP_CONF_NAK, S, 128, false, NULL },
	/* preferred stateful with stateless not allowed: stateful only */
	{ "stateless offer, stateful preferred, stateless refused",
	  { PPP_MPPE_REQUIRED, PPP_MPPE_128, false, 2 }, S, H | S,
	  PPP_CONF_NAK, S, 128, false, NULL },
};

/* One row: our first request; the peer's request, our answer (a Nak'd
 * peer then asks what we suggested); the peer (RFC 3078 2.1 compliant)
 * answers our request with the value it settled on: Ack, Nak, or a Reject
 * of option 18 for "no MPPE". */
static void
ccp_case_run(const struct ccp_case *c)
{
	struct tap *t = NULL;
	struct ppp *s = (t = ccp_tap(&c->pol))->s;
	const uint8_t *p;
	uint32_t v = 0xdeadbeef, x = c->answer_val;
	char log[64];
	size_t len = 0;

	t_note("case: %s", c->name);
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_REQ);
	CHECK(pkt_mppe(p, len, &v));
	CHECK_EQ(v, c->our);
	CHECK_EQ(s->ccp.our_offer, c->our);

	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 1, c->peer));
	p = last_code(t, PPP_CCP, PPP_CONF_ACK, PPP_CONF_REJ, &len);
	CHECK(p != NULL && p[0] == c->answer && p[1] == 1);
	v = 0xdeadbeef;
	CHECK(pkt_mppe(p, len, &v));
	CHECK_EQ(v, c->answer_val);
	CHECK_EQ(s->ccp.peer_offer, c->peer);
	if (c->answer == PPP_CONF_NAK) {
		CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 2, x));
		p = last_pkt(t, PPP_CCP, &len);
		CHECK(p != NULL && p[0] == PPP_CONF_ACK && p[1] == 2);
	}
	if (c->answer != PPP_CONF_REJ) {
		uint8_t id = s->ccp.fsm.req_id;

		if (x == 0)
			(void)feed_mppe(t, PPP_CONF_REJ, id, s->ccp.want_bits);
		else if (s->ccp.want_bits == x)
			CHECK_OK(feed_mppe(t, PPP_CONF_ACK, id, x));
		else {
			CHECK_OK(feed_mppe(t, PPP_CONF_NAK, id, x));
			p = last_pkt(t, PPP_CCP, &len);
			CHECK(p != NULL && p[0] == PPP_CONF_REQ);
			CHECK(pkt_mppe(p, len, &v));
			CHECK_EQ(v, x);
			CHECK_OK(feed_mppe(t, PPP_CONF_ACK,
			    s->ccp.fsm.req_id, x));
		}
	}
	CHECK_EQ(s->ccp.bits, c->bits);
	CHECK_EQ(ccp_is_active(s), c->bits != 0);
	if (c->bits != 0) {
		CHECK_EQ(s->ccp.fsm.state, FSM_OPENED);
		CHECK_EQ(s->ccp.stateless, c->stateless);
		snprintf(log, sizeof(log), "mppe: %u-bit %s on", c->bits,
		    c->stateless ? "stateless" : "stateful");
		CHECK(tap_logs_contain(t, log));
	}
	if (c->fail != NULL) {
		CHECK_EQ(s->down_reason, PPP_DOWN_MPPE);
		CHECK_STR(s->down_text, c->fail);
	} else
		CHECK(!s->down_set);
	/* allowed and nothing agreed: CCP closed, the link goes on */
	if (c->pol.mppe == PPP_MPPE_ALLOWED && c->bits == 0) {
		CHECK_EQ(count_code(t, PPP_CCP, PPP_TERM_REQ), 1);
		CHECK(tap_logs_contain(t, "continuing without MPPE"));
	}
	tap_free(t);
}

TEST(ccp_negotiation_table)
{
	size_t i;

	for (i = 0; i < sizeof(ccp_cases) / sizeof(ccp_cases[0]); i++)
		ccp_case_run(&ccp_cases[i]);
}

/* A peer that Acks our request but settles its own on something else. */
TEST(ccp_directions_differ)
{
	struct tap *t = NULL;
	struct policy both = { PPP_MPPE_REQUIRED, PPP_MPPE_128, true, true };
	struct policy allow = ALLOW128;
	struct ppp *s;

	s = (t = ccp_tap(&both))->s;
	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 1, S));	/* acked: stateful */
	CHECK_OK(feed_mppe(t, PPP_CONF_ACK, s->ccp.fsm.req_id, H | S));
	CHECK_STR(s->down_text, "MPPE not agreed: we offered <mppe +H -M +S -L "
	    "-D -C>, peer offered <mppe -H -M +S -L -D -C>: policy requires "
	    "128-bit (directions differ)");
	tap_free(t);

	/* allowed: the peer asks no MPPE but acks ours: CCP closes */
	s = (t = ccp_tap(&allow))->s;
	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 1, 0));
	CHECK_OK(feed_mppe(t, PPP_CONF_ACK, s->ccp.fsm.req_id, H | S));
	CHECK(!ccp_is_active(s));
	CHECK(!s->down_set);
	CHECK_EQ(s->ccp.fsm.state, FSM_CLOSING);
	CHECK(tap_logs_contain(t, "(directions differ); continuing "
	    "without MPPE"));
	tap_free(t);
}

TEST(ccp_other_options_rejected_alone)
{
	struct tap *t = NULL;
	struct policy pol = REQ128;
	struct ppp *s = (t = ccp_tap(&pol))->s;
	/* Deflate 26, BSD-Compress 21, MPPE +H+S, Stac 17 */
	static const uint8_t opts[] = { 26, 4, 0x78, 0x00, 21, 3, 0x2f,
	    18, 6, 0x01, 0, 0, 0x40, 17, 5, 0, 1, 3 };
	static const uint8_t want[] = { 26, 4, 0x78, 0x00, 21, 3, 0x2f,
	    17, 5, 0, 1, 3 };
	const uint8_t *p;
	size_t len = 0;

	CHECK_OK(feed(t, PPP_CCP, PPP_CONF_REQ, 7, opts, sizeof(opts)));
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_REJ && p[1] == 7);
	CHECK_EQ(len, 4 + sizeof(want));
	if (p != NULL && len == 4 + sizeof(want))
		CHECK_MEM(p + 4, want, sizeof(want));
	/* a malformed option 18 (length 4) is rejected too */
	static const uint8_t bad[] = { 18, 4, 0, 0x40 };
	CHECK_OK(feed(t, PPP_CCP, PPP_CONF_REQ, 8, bad, sizeof(bad)));
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_REJ && len == 8);
	/* an option list running past the packet is dropped, unanswered */
	static const uint8_t trunc[] = { 18, 9, 0, 0, 0, 0x40 };
	unsigned before = t->nout;
	CHECK(feed(t, PPP_CCP, PPP_CONF_REQ, 9, trunc, sizeof(trunc)) < 0);
	CHECK_EQ(t->nout, before);
	CHECK(!s->down_set);
	tap_free(t);
}

TEST(ccp_empty_request_prompted_when_required)
{
	struct tap *t = NULL;
	struct policy req = REQ128, allow = ALLOW128;
	struct ppp *s = (t = ccp_tap(&req))->s;
	const uint8_t *p;
	uint32_t v = 0;
	size_t len = 0;

	/* RFC 1661 5.3: a Nak may add an option the peer left out */
	CHECK_OK(feed(t, PPP_CCP, PPP_CONF_REQ, 3, NULL, 0));
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_NAK);
	CHECK(pkt_mppe(p, len, &v));
	CHECK(v == (H | S) && !s->down_set);
	tap_free(t);

	t = ccp_tap(&allow);
	CHECK_OK(feed(t, PPP_CCP, PPP_CONF_REQ, 3, NULL, 0));
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_ACK && len == 4);
	tap_free(t);
}

TEST(ccp_peer_nak_and_reject_of_our_request)
{
	struct tap *t = NULL;
	struct policy req = REQ128, allow = ALLOW128;
	struct policy wide = { PPP_MPPE_REQUIRED, PPP_MPPE_40 | PPP_MPPE_128,
	    true, true };
	struct ppp *s;
	const uint8_t *p;
	uint32_t v = 0;
	size_t len = 0;
	uint8_t id;

	/* Nak to one strength we allow, stateful: taken */
	s = (t = ccp_tap(&wide))->s;
	p = last_pkt(t, PPP_CCP, &len);
	id = p[1];
	CHECK(pkt_mppe(p, len, &v));
	CHECK_EQ(v, H | S | L);
	CHECK_OK(feed_mppe(t, PPP_CONF_NAK, id, L));
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p[0] == PPP_CONF_REQ && p[1] != id && pkt_mppe(p, len, &v));
	CHECK_EQ(v, L);
	/* the peer asks the same; both Acks: 40-bit stateful */
	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 1, L));
	CHECK_OK(feed_mppe(t, PPP_CONF_ACK, p[1], L));
	CHECK(ccp_is_active(s) && s->ccp.bits == 40 && !s->ccp.stateless);
	CHECK(tap_logs_contain(t, "mppe: 40-bit stateful on"));
	tap_free(t);

	/* Nak to a strength we do not allow: required -> fail */
	s = (t = ccp_tap(&req))->s;
	p = last_pkt(t, PPP_CCP, &len);
	CHECK_ERR(feed_mppe(t, PPP_CONF_NAK, p[1], H | L), ERR_UNSUPPORTED);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_CONF_REQ), 1);	/* no more */
	CHECK_EQ(s->down_reason, PPP_DOWN_MPPE);
	CHECK_STR(s->down_text, "MPPE not agreed: we offered <mppe +H -M +S -L "
	    "-D -C>, peer offered <mppe +H -M -S +L -D -C>: policy requires "
	    "128-bit stateless (peer Naks to 40-bit)");
	tap_free(t);

	/* Nak to stateful when only stateless is allowed: we insist on
	 * stateless (the same request) max_failure times, then fail */
	s = (t = ccp_tap(&req))->s;
	for (int i = 0; i < 5; i++) {
		p = last_pkt(t, PPP_CCP, &len);
		CHECK_EQ(p[0], PPP_CONF_REQ);
		CHECK_OK(feed_mppe(t, PPP_CONF_NAK, p[1], S));
		p = last_pkt(t, PPP_CCP, &len);
		CHECK(p[0] == PPP_CONF_REQ && pkt_mppe(p, len, &v));
		CHECK_EQ(v, H | S);
		CHECK(!s->down_set);
	}
	CHECK_ERR(feed_mppe(t, PPP_CONF_NAK, p[1], S), ERR_UNSUPPORTED);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_CONF_REQ), 6);
	CHECK(strstr(s->down_text, "(peer Naks to stateful)") != NULL);
	tap_free(t);

	/* Reject of option 18: required -> fail naming both offers */
	s = (t = ccp_tap(&req))->s;
	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 1, H | M | S | L));
	p = last_pkt(t, PPP_CCP, &len);
	CHECK_EQ(p[0], PPP_CONF_NAK);
	CHECK_ERR(feed_mppe(t, PPP_CONF_REJ, s->ccp.fsm.req_id, H | S),
	    ERR_UNSUPPORTED);
	CHECK_EQ(s->down_reason, PPP_DOWN_MPPE);
	CHECK_STR(s->down_text, "MPPE not agreed: we offered <mppe +H -M +S -L "
	    "-D -C>, peer offered <mppe +H +M +S +L -D -C>: policy requires "
	    "128-bit stateless (peer rejected MPPE)");
	tap_free(t);

	/* a Reject naming a value we did not send is discarded */
	s = (t = ccp_tap(&req))->s;
	CHECK_ERR(feed_mppe(t, PPP_CONF_REJ, s->ccp.fsm.req_id, H | L),
	    ERR_OPTION);
	CHECK(!s->down_set);
	tap_free(t);

	/* Reject under "allowed": CCP closes, no failure */
	s = (t = ccp_tap(&allow))->s;
	CHECK_ERR(feed_mppe(t, PPP_CONF_REJ, s->ccp.fsm.req_id, H | S),
	    ERR_UNSUPPORTED);
	CHECK(!s->down_set);
	CHECK_EQ(s->ccp.fsm.state, FSM_CLOSING);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_TERM_REQ), 1);
	CHECK(ipcp_is_open(s) || s->ipcp.fsm.state == FSM_REQ_SENT);
	tap_free(t);
}

/*
 * Stateful preferred against a peer that only does stateless and insists
 * (RFC 1661 5.3 lets it repeat its request): after one Nak to stateful it
 * asks stateless again; we take it, and take its Nak of our stateful
 * request too: stateless both ways.  Both orders of the two packets.
 */
TEST(ccp_prefer_stateful_peer_insists_on_stateless)
{
	struct tap *t = NULL;
	struct policy pref = PREF128;
	struct ppp *s;
	const uint8_t *p;
	uint32_t v = 0;
	size_t len = 0;
	int order;

	for (order = 0; order < 2; order++) {
		t_note("order %d", order);
		s = (t = ccp_tap(&pref))->s;
		p = last_pkt(t, PPP_CCP, &len);
		CHECK(p[0] == PPP_CONF_REQ && pkt_mppe(p, len, &v));
		CHECK_EQ(v, S);				/* stateful asked */
		CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 1, H | S));
		p = last_code(t, PPP_CCP, PPP_CONF_ACK, PPP_CONF_REJ, &len);
		CHECK(p[0] == PPP_CONF_NAK && pkt_mppe(p, len, &v));
		CHECK_EQ(v, S);				/* Nak'd to it once */
		if (order == 0) {
			/* it asks stateless again: it insists */
			CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 2, H | S));
			p = last_code(t, PPP_CCP, PPP_CONF_ACK, PPP_CONF_REJ,
			    &len);
			CHECK(p[0] == PPP_CONF_ACK && p[1] == 2);
			CHECK(tap_logs_contain(t, "insists on stateless"));
			/* and Naks our stateful request to stateless */
			CHECK_OK(feed_mppe(t, PPP_CONF_NAK, s->ccp.fsm.req_id,
			    H | S));
		} else {
			/* it Naks our request to stateless first */
			CHECK_OK(feed_mppe(t, PPP_CONF_NAK, s->ccp.fsm.req_id,
			    H | S));
			CHECK(tap_logs_contain(t, "insists on stateless"));
			CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 2, H | S));
			p = last_code(t, PPP_CCP, PPP_CONF_ACK, PPP_CONF_REJ,
			    &len);
			CHECK(p[0] == PPP_CONF_ACK && p[1] == 2);
		}
		p = last_code(t, PPP_CCP, PPP_CONF_REQ, PPP_CONF_REQ, &len);
		CHECK(p[1] == s->ccp.fsm.req_id && pkt_mppe(p, len, &v));
		CHECK_EQ(v, H | S);
		CHECK_OK(feed_mppe(t, PPP_CONF_ACK, p[1], H | S));
		CHECK(ccp_is_active(s) && s->ccp.bits == 128);
		CHECK(s->ccp.stateless);
		CHECK(!s->down_set);
		tap_free(t);
	}
}

TEST(ccp_nak_loop_bounded)
{
	struct tap *t = NULL;
	struct policy req = REQ128;
	struct ppp *s = (t = ccp_tap(&req))->s;
	int i;

	/* a peer that keeps asking 40/128 gets Nak'd max_failure times,
	 * then the judge must Reject (RFC 1661 4.6) and MPPE fails */
	for (i = 0; i < 5 && !s->down_set; i++) {
		CHECK_OK(feed_mppe(t, PPP_CONF_REQ, (uint8_t)(i + 1), S | L | H));
		CHECK_EQ(last_pkt(t, PPP_CCP, &(size_t){ 0 })[0], PPP_CONF_NAK);
	}
	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 9, S | L | H));
	CHECK_EQ(last_pkt(t, PPP_CCP, &(size_t){ 0 })[0], PPP_CONF_REJ);
	CHECK(strstr(s->down_text, "(peer keeps refusing)") != NULL);
	tap_free(t);
}

TEST(ccp_protocol_reject_and_silence)
{
	struct tap *t = NULL;
	struct policy req = REQ128, allow = ALLOW128;
	struct ppp *s;

	s = (t = ccp_tap(&allow))->s;
	ccp_protocol_rejected(s, 1100);
	CHECK(!s->down_set && !ccp_is_active(s));
	CHECK_EQ(s->ccp.fsm.state, FSM_STOPPED);
	CHECK(tap_logs_contain(t, "continuing without MPPE"));
	/* IPCP (opened at once under "allowed") goes on */
	CHECK_EQ(s->ipcp.fsm.state, FSM_REQ_SENT);
	tap_free(t);

	s = (t = ccp_tap(&req))->s;
	ccp_protocol_rejected(s, 1100);
	CHECK_EQ(s->down_reason, PPP_DOWN_MPPE);
	CHECK_STR(s->down_text, "MPPE not agreed: we offered <mppe +H -M +S -L "
	    "-D -C>, peer offered nothing: policy requires 128-bit stateless "
	    "(CCP Protocol-Rejected)");
	/* IPCP never started: it waits for MPPE */
	CHECK_EQ(s->ipcp.fsm.state, FSM_INITIAL);
	tap_free(t);

	/* a peer that never answers: required fails after Max-Configure */
	s = (t = ccp_tap(&req))->s;
	tap_advance(t, 60000);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_CONF_REQ), 10);
	CHECK_EQ(s->down_reason, PPP_DOWN_MPPE);
	CHECK(strstr(s->down_text, "peer offered nothing") != NULL);
	CHECK(strstr(s->down_text, "(CCP negotiation ended)") != NULL);
	tap_free(t);
}

TEST(ccp_impossible_without_keys)
{
	struct policy allow = ALLOW128;
	struct policy p = { PPP_MPPE_REQUIRED, PPP_MPPE_40 | PPP_MPPE_128,
	    true, false };
	struct tap *t;
	const uint8_t *pk;
	uint32_t v = 0;
	size_t len = 0;

	/* PAP: no keys.  Allowed: CCP does not run, IPCP does */
	t = ccp_tap_auth(&allow, PPP_AUTH_PAP);
	CHECK(!t->s->ccp.running && count_code(t, PPP_CCP, PPP_CONF_REQ) == 0);
	CHECK_EQ(count_code(t, PPP_IPCP, PPP_CONF_REQ), 1);
	CHECK(tap_logs_contain(t, "mppe: PAP gives no keys; continuing "
	    "without MPPE"));
	CHECK(!t->s->down_set);
	tap_free(t);
	/* MS-CHAPv1 without the LM hash: 40-bit impossible, 128 remains */
	t = ccp_tap_auth(&p, PPP_AUTH_MSCHAPV1);
	pk = last_pkt(t, PPP_CCP, &len);
	CHECK(pkt_mppe(pk, len, &v) && v == (H | S));
	CHECK_EQ(t->s->ccp.allow, S);
	tap_free(t);
	/* ... and 40-bit alone is impossible: required fails at once */
	p.bits = PPP_MPPE_40;
	t = ccp_tap_auth(&p, PPP_AUTH_MSCHAPV1);
	CHECK_EQ(t->s->down_reason, PPP_DOWN_MPPE);
	CHECK_STR(t->s->down_text, "MPPE required but impossible: MS-CHAPv1 "
	    "gives no keys for 40-bit stateless");
	tap_free(t);
}

/* --- data and the stateful Reset flow (RFC 3078 8.2, RFC 1962 5) --- */

/* Brings a session to MPPE on: the peer asks v and acks our v. */
static struct tap *
mppe_on(const struct policy *pol, uint32_t v)
{
	struct tap *t = ccp_tap(pol);

	(void)feed_mppe(t, PPP_CONF_REQ, 1, v);
	(void)feed_mppe(t, PPP_CONF_ACK, t->s->ccp.fsm.req_id, v);
	return t;
}

/* The peer's encryption of one inner frame: protocol 0x0021 and 38
 * octets of tag (an IPv4 header's first octet if ip). */
static size_t
peer_encrypt_ip(struct mppe_dir *d, uint8_t tag, bool ip, uint8_t *out,
    size_t cap)
{
	uint8_t inner[40];
	struct wr w;

	memset(inner, tag, sizeof(inner));
	inner[0] = 0x00;
	inner[1] = 0x21;
	if (ip)
		inner[2] = 0x45;
	wr_init(&w, out, cap);
	if (mppe_encrypt(d, inner, sizeof(inner), &w) != 0)
		return 0;
	return wr_len(&w);
}

static size_t
peer_encrypt(struct mppe_dir *d, uint8_t tag, uint8_t *out, size_t cap)
{
	return peer_encrypt_ip(d, tag, false, out, cap);
}

static int
our_decrypt(struct ppp *s, const uint8_t *ct, size_t n, uint8_t tag)
{
	uint8_t out[64];
	size_t outlen = 0;
	int ret = ccp_decrypt(s, s->now, ct, n, out, sizeof(out), &outlen);

	if (ret == 0) {
		CHECK_EQ(outlen, 40);
		CHECK(out[0] == 0x00 && out[1] == 0x21 && out[39] == tag);
	}
	return ret;
}

TEST(ccp_stateful_reset_request_flow)
{
	struct policy pol = { PPP_MPPE_REQUIRED, PPP_MPPE_128, false, true };
	struct tap *t = mppe_on(&pol, S);
	struct ppp *s = t->s;
	struct mppe_dir peer_tx;
	uint8_t ct[5][64];
	size_t n[5];
	const uint8_t *p;
	size_t len = 0;
	uint8_t rid;
	int i;

	CHECK(ccp_is_active(s) && !s->ccp.stateless);
	CHECK_EQ(s->ccp.reset_rtt, 1);	/* Conf-Req/-Ack, at once */
	s->ccp.reset_rtt = 0;		/* as if never measured */
	/* the peer sends with its send key = our receive key */
	CHECK_OK(mppe_dir_init(&peer_tx, recv_key, 128, false));
	for (i = 0; i < 4; i++)
		n[i] = peer_encrypt(&peer_tx, (uint8_t)(0xa0 + i), ct[i], 64);
	CHECK_OK(our_decrypt(s, ct[0], n[0], 0xa0));
	/* ct[1] is lost; ct[2] cannot be decrypted: one Reset-Request */
	CHECK_ERR(our_decrypt(s, ct[2], n[2], 0xa2), ERR_NOKEY);
	CHECK_EQ(s->stats.mppe_resets_sent, 1);
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_RESET_REQ && len == 4);
	rid = p[1];
	/* still discarding: no second Reset-Request for the same loss */
	CHECK_ERR(our_decrypt(s, ct[3], n[3], 0xa3), ERR_NOKEY);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_RESET_REQ), 1);
	/* no round trip known: the Restart interval, same Identifier */
	CHECK_EQ(ccp_deadline(s), t->now + 3000);
	tap_advance(t, 2999);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_RESET_REQ), 1);
	tap_advance(t, 1);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_RESET_REQ), 2);
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_RESET_REQ && p[1] == rid);
	/* the peer resets (one key change) and acks; a retransmitted
	 * request gives no round-trip sample (Karn) */
	mppe_dir_reset(&peer_tx);
	t->now += 30;
	CHECK_OK(feed(t, PPP_CCP, PPP_RESET_ACK, rid, NULL, 0));
	CHECK_EQ(s->ccp.reset_rtt, 0);
	n[4] = peer_encrypt(&peer_tx, 0xa4, ct[4], 64);
	CHECK(n[4] > 2 && (ct[4][0] & 0x80) != 0);	/* FLUSHED */
	CHECK_OK(our_decrypt(s, ct[4], n[4], 0xa4));
	CHECK_EQ(ccp_deadline(s), UINT64_MAX);
	/* a later loss is a new one: a new Identifier; acked in 25 ms */
	n[0] = peer_encrypt(&peer_tx, 0xb0, ct[0], 64);
	n[1] = peer_encrypt(&peer_tx, 0xb1, ct[1], 64);
	CHECK_ERR(our_decrypt(s, ct[1], n[1], 0xb1), ERR_NOKEY);
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_RESET_REQ && p[1] != rid);
	rid = p[1];
	t->now += 25;
	CHECK_OK(feed(t, PPP_CCP, PPP_RESET_ACK, rid, NULL, 0));
	CHECK_EQ(s->ccp.reset_rtt, 25);
	/* the FLUSHED answer is lost: the next packet shows it, and the
	 * request goes again at once; then every four round trips */
	mppe_dir_reset(&peer_tx);
	(void)peer_encrypt(&peer_tx, 0xb2, ct[2], 64);
	n[3] = peer_encrypt(&peer_tx, 0xb3, ct[3], 64);
	CHECK_ERR(our_decrypt(s, ct[3], n[3], 0xb3), ERR_NOKEY);
	p = last_pkt(t, PPP_CCP, &len);
	CHECK(p != NULL && p[0] == PPP_RESET_REQ && p[1] == (uint8_t)(rid + 1));
	CHECK_EQ(ccp_deadline(s), t->now + 100);
	CHECK_EQ(s->stats.mppe_resets_sent, 4);
	mppe_dir_fini(&peer_tx);
	tap_free(t);
}

/*
 * Linux and Windows change the key for every Reset-Request they act on:
 * when the FLUSHED packet answering the first one is lost, the second
 * one's FLUSHED packet is two key changes on, not one.  The receiver finds
 * the key that makes an IP packet of it.
 */
TEST(ccp_stateful_lost_flushed_packet_resync)
{
	struct policy pol = { PPP_MPPE_REQUIRED, PPP_MPPE_128, false, true };
	struct tap *t = mppe_on(&pol, S);
	struct ppp *s = t->s;
	struct mppe_dir peer_tx;
	uint8_t ct[64];
	size_t n;

	CHECK_OK(mppe_dir_init(&peer_tx, recv_key, 128, false));
	n = peer_encrypt_ip(&peer_tx, 0xd0, true, ct, 64);
	CHECK_OK(our_decrypt(s, ct, n, 0xd0));
	(void)peer_encrypt_ip(&peer_tx, 0xd1, true, ct, 64);	/* lost */
	n = peer_encrypt_ip(&peer_tx, 0xd2, true, ct, 64);
	CHECK_ERR(our_decrypt(s, ct, n, 0xd2), ERR_NOKEY);
	mppe_dir_reset(&peer_tx);
	(void)peer_encrypt_ip(&peer_tx, 0xd3, true, ct, 64);	/* FLUSHED, lost */
	n = peer_encrypt_ip(&peer_tx, 0xd4, true, ct, 64);
	CHECK_ERR(our_decrypt(s, ct, n, 0xd4), ERR_NOKEY);
	tap_advance(t, CCP_RESET_MIN_MS);	/* Reset-Request again */
	CHECK_EQ(count_code(t, PPP_CCP, PPP_RESET_REQ), 2);
	mppe_dir_reset(&peer_tx);
	n = peer_encrypt_ip(&peer_tx, 0xd5, true, ct, 64);
	CHECK((ct[0] & 0x80) != 0);
	CHECK_OK(our_decrypt(s, ct, n, 0xd5));
	CHECK(tap_logs_contain(t, "mppe: resynchronised 1 key change ahead"));
	n = peer_encrypt_ip(&peer_tx, 0xd6, true, ct, 64);
	CHECK_OK(our_decrypt(s, ct, n, 0xd6));
	CHECK_EQ(count_code(t, PPP_CCP, PPP_RESET_REQ), 2);
	mppe_dir_fini(&peer_tx);
	tap_free(t);
}

TEST(ccp_answers_reset_request_and_flushes)
{
	struct policy pol = { PPP_MPPE_REQUIRED, PPP_MPPE_128, false, true };
	struct tap *t = mppe_on(&pol, S);
	struct ppp *s = t->s;
	struct mppe_dir peer_rx;
	uint8_t inner[20], ct[4][64], out[64];
	const uint8_t *p;
	size_t len = 0, outlen;
	struct rd rd;
	struct wr w;
	int i;

	CHECK(ccp_is_active(s));
	CHECK_OK(mppe_dir_init(&peer_rx, send_key, 128, false));
	memset(inner, 0x55, sizeof(inner));
	inner[0] = 0x00;
	inner[1] = 0x21;
	for (i = 0; i < 4; i++) {
		if (i == 3) {
			/* the peer lost ct[1]: it asks for a reset */
			CHECK_OK(feed(t, PPP_CCP, PPP_RESET_REQ, 0x33,
			    (const uint8_t *)"xy", 2));
			p = last_pkt(t, PPP_CCP, &len);
			CHECK(p != NULL && p[0] == PPP_RESET_ACK &&
			    p[1] == 0x33 && len == 4);
			CHECK_EQ(s->stats.mppe_resets_rcvd, 1);
		}
		wr_init(&w, ct[i], sizeof(ct[i]));
		CHECK_OK(ccp_encrypt(s, inner, sizeof(inner), &w));
	}
	CHECK((ct[3][0] & 0x80) != 0);		/* FLUSHED after the reset */
	CHECK((ct[2][0] & 0x80) == 0);
	for (i = 0; i < 4; i++) {
		if (i == 1)
			continue;	/* lost */
		rd_init(&rd, ct[i], 22);
		CHECK_ERR(mppe_decrypt(&peer_rx, &rd, out, sizeof(out),
		    &outlen), i == 2 ? ERR_NOKEY : 0);
		CHECK(i == 2 || memcmp(out, inner, sizeof(inner)) == 0);
	}
	/* Reset-Ack alone is taken; codes beyond 15 are Code-Rejected */
	CHECK_OK(feed(t, PPP_CCP, PPP_RESET_ACK, 0x34, NULL, 0));
	CHECK_OK(feed(t, PPP_CCP, 16, 0x35, NULL, 0));
	CHECK_EQ(last_pkt(t, PPP_CCP, &len)[0], PPP_CODE_REJ);
	mppe_dir_fini(&peer_rx);
	tap_free(t);
}

/* The peer renegotiates an open CCP (Opened + RCR): MPPE goes off and
 * comes back on the same terms. */
TEST(ccp_renegotiation_keeps_the_agreement)
{
	struct policy pol = REQ128;
	struct tap *t = mppe_on(&pol, H | S);
	struct ppp *s = t->s;

	CHECK(ccp_is_active(s));
	CHECK_OK(feed_mppe(t, PPP_CONF_REQ, 7, H | S));
	CHECK(!ccp_is_active(s) && tap_logs_contain(t, "mppe: off"));
	CHECK_EQ(count_code(t, PPP_CCP, PPP_CONF_REQ), 2);
	CHECK_OK(feed_mppe(t, PPP_CONF_ACK, s->ccp.fsm.req_id, H | S));
	CHECK(ccp_is_active(s) && s->ccp.bits == 128 && !s->down_set);
	tap_free(t);
}

TEST(ccp_stateless_loss_needs_no_reset)
{
	struct policy pol = REQ128;
	struct tap *t = mppe_on(&pol, H | S);
	struct ppp *s = t->s;
	struct mppe_dir peer_tx;
	uint8_t ct[3][64];
	size_t n[3];
	int i;

	CHECK(ccp_is_active(s) && s->ccp.stateless);
	CHECK_OK(mppe_dir_init(&peer_tx, recv_key, 128, true));
	for (i = 0; i < 3; i++)
		n[i] = peer_encrypt(&peer_tx, (uint8_t)(0xc0 + i), ct[i], 64);
	CHECK_OK(our_decrypt(s, ct[0], n[0], 0xc0));
	CHECK_OK(our_decrypt(s, ct[2], n[2], 0xc2));	/* ct[1] lost */
	CHECK_ERR(our_decrypt(s, ct[1], n[1], 0xc1), ERR_STALE);
	CHECK_EQ(count_code(t, PPP_CCP, PPP_RESET_REQ), 0);
	/* MPPE off: nothing to encrypt with */
	ccp_lower_down(s, s->now);
	CHECK_ERR(our_decrypt(s, ct[2], n[2], 0xc2), ERR_STATE);
	mppe_dir_fini(&peer_tx);
	tap_free(t);
}


/* --- our client core against our server core: the mode agreed --- */

struct mode_case {
	const char	*name;
	int		 srv_sf, cli_sf;	/* 0 stateless only, 1 both
						 * allowed, 2 both + prefer
						 * stateful, 3 stateful only */
	bool		 stateless;		/* agreed */
};

static void
mode_policy(struct ppp_config *c, int sf)
{
	c->mppe_stateless = sf != 3;
	c->mppe_stateful = sf != 0;
	c->mppe_prefer_stateful = sf == 2;
}

TEST(ccp_pair_prefer_stateful_agrees_with_every_client)
{
	static const struct mode_case cases[] = {
		/* the default: stateless, whatever the client allows */
		{ "default server, default client", 0, 0, true },
		{ "default server, client allows stateful", 0, 1, true },
		{ "server allows, client allows", 1, 1, true },
		/* server prefers stateful (mppe-prefer-stateful) */
		{ "prefer, client allows stateful", 2, 1, false },
		{ "prefer, client stateful only", 2, 3, false },
		{ "prefer, client prefers too", 2, 2, false },
		/* a stateless-only client insists: stateless */
		{ "prefer, stateless-only client", 2, 0, true },
		/* the client prefers, the server allows: stateful */
		{ "server allows, client prefers", 1, 2, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct mode_case *k = &cases[i];
		struct ppp_config c, s;
		struct pair p;
		unsigned n;

		t_note("case: %s", k->name);
		ppp_config_default(&c, PPP_ROLE_CLIENT);
		ppp_config_default(&s, PPP_ROLE_SERVER);
		mode_policy(&c, k->cli_sf);
		mode_policy(&s, k->srv_sf);
		snprintf(c.user, sizeof(c.user), "alice");
		snprintf(c.password, sizeof(c.password), "secret");
		if (!CHECK(pair_init(&p, &c, &s, 4242 + i) == 0))
			continue;
		pair_start(&p);
		if (!t_check(pair_run(&p, pair_both_up, 30000), __FILE__,
		    __LINE__, "%s: not up (client: %s, server: %s)", k->name,
		    p.c.down_text, p.sv.down_text)) {
			pair_fini(&p);
			continue;
		}
		CHECK_EQ(p.c.ip_ev.u.ip.mppe_bits, 128);
		CHECK_EQ(p.sv.ip_ev.u.ip.mppe_bits, 128);
		CHECK_EQ(p.c.ip_ev.u.ip.mppe_stateless, k->stateless);
		CHECK_EQ(p.sv.ip_ev.u.ip.mppe_stateless, k->stateless);
		/* and the keys agree: packets both ways, byte-exact */
		for (n = 0; n < 50; n++) {
			(void)pair_send_ip(&p, 0, 1 + n, 100 + n * 20);
			(void)pair_send_ip(&p, 1, 0x10001 + n, 100 + n * 20);
			p.now += 2;
			(void)pair_run(&p, NULL, 1);
		}
		(void)pair_run(&p, NULL, 500);
		CHECK_EQ(p.c.delivered, 50);
		CHECK_EQ(p.sv.delivered, 50);
		CHECK_EQ(p.c.rx_bad + p.sv.rx_bad, 0);
		CHECK(!p.c.down && !p.sv.down);
		pair_fini(&p);
	}
}

/*
 * test_ppp_lcp.c - LCP (src/ppp/lcp.c, lcp_opts.c; RFC 1661 5 and 6, RFC
 * 1570) driven through the public session API with a scripted peer: the
 * Windows client and RRAS server option sets (Callback, MRRU, Endpoint and
 * Link-Discriminator rejected), pppd's request, EAP, authentication-method
 * negotiation as server (Nak, Reject, no method left), Magic-Number
 * loop-back, MRU and Max-Failure, Echo with replies cut to the peer's MRU,
 * RFC 1570 Identification, unknown codes, Protocol-Reject both ways,
 * Terminate-Request, Code-Reject, dead-peer detection, and the reasons a
 * negotiation that gives up reports.
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "../src/ppp/ppp_int.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_frame.h"
#include "../src/wire/ppp_opt.h"

#define TX_MAX		600
#define PEER_MAGIC	"11223344"
/* Windows' Endpoint-Discriminator: class 1, a 16-octet GUID and 4 more */
#define EPD_HEX		"13 17 01 a1a2a3a4a5a6a7a8a9aaabacadaeafb0 b1b2b3b4"

struct sent {
	uint64_t	at;
	uint16_t	proto;
	bool		acf;		/* FF 03 present */
	uint16_t	len;
	uint8_t		info[PPP_FRAME_MAX];
};

/* One session under test and everything it did. */
static struct {
	struct ppp		*s;
	uint64_t		 now;
	uint64_t		 rng;
	struct sent		 tx[TX_MAX];
	unsigned		 ntx, seen;
	bool			 down;
	enum ppp_down_reason	 reason;
	char			 down_text[PPP_REASON_MAX + 1];
	uint64_t		 down_at;
	char			 log[32768];
	size_t			 loglen;
} T;

static void
io_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct ppp_frame f;
	struct rd r, info;
	struct sent *x;

	(void)ctx;
	rd_init(&r, frame, len);
	if (!CHECK(ppp_frame_decode(&r, &f, &info) == 0) ||
	    !CHECK(T.ntx < TX_MAX) || !CHECK(rd_left(&info) <= PPP_FRAME_MAX))
		return;
	x = &T.tx[T.ntx++];
	x->at = T.now;
	x->proto = f.proto;
	x->acf = f.acf;
	x->len = (uint16_t)rd_left(&info);
	memcpy(x->info, rd_cur(&info), x->len);
}

static void
io_deliver(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)proto;
	(void)pkt;
	(void)len;
}

static void
io_event(void *ctx, const struct ppp_event *ev)
{
	size_t n;

	(void)ctx;
	if (ev->type == PPP_EV_DOWN) {
		CHECK(!T.down);		/* exactly once */
		T.down = true;
		T.reason = ev->u.down.reason;
		T.down_at = T.now;
		snprintf(T.down_text, sizeof(T.down_text), "%s",
		    ev->text != NULL ? ev->text : "");
	} else if (ev->type == PPP_EV_LOG && ev->text != NULL) {
		n = strlen(ev->text);
		if (T.loglen + n + 2 < sizeof(T.log)) {
			memcpy(T.log + T.loglen, ev->text, n);
			T.loglen += n;
			T.log[T.loglen++] = '\n';
			T.log[T.loglen] = '\0';
		}
	}
}

static void
io_random(void *ctx, void *buf, size_t n)
{
	uint8_t *p = buf;
	size_t i;

	(void)ctx;
	for (i = 0; i < n; i++) {
		T.rng ^= T.rng << 13;
		T.rng ^= T.rng >> 7;
		T.rng ^= T.rng << 17;
		p[i] = (uint8_t)(T.rng >> 24);
	}
}

static const struct ppp_io tio = {
	.send = io_send, .deliver = io_deliver, .event = io_event,
	.random = io_random,
};

static void
t_cfg(struct ppp_config *c, enum ppp_role role)
{
	ppp_config_default(c, role);
	c->echo_interval_ms = 0;
	c->ipv6 = false;
	if (role == PPP_ROLE_CLIENT) {
		snprintf(c->user, sizeof(c->user), "alice");
		snprintf(c->password, sizeof(c->password), "secret");
	}
}

/* A fresh session with cfg (NULL: defaults for role), started. */
static void
t_new(enum ppp_role role, const struct ppp_config *cfg)
{
	struct ppp_config c;

	ppp_free(T.s);
	memset(&T, 0, sizeof(T));
	T.rng = 0x9e3779b97f4a7c15ull;
	T.now = 1000000;
	if (cfg == NULL) {
		t_cfg(&c, role);
		cfg = &c;
	}
	CHECK_OK(ppp_new(&T.s, cfg, &tio));
	CHECK_OK(ppp_start(T.s, T.now));
}

/* Feeds one frame: FF 03, the protocol, then info. */
static int
feed(uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t frame[4 + 2048];

	if (len > sizeof(frame) - 4)
		return ERR_INVAL;
	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = (uint8_t)(proto >> 8);
	frame[3] = (uint8_t)proto;
	memcpy(frame + 4, info, len);
	return ppp_input(T.s, T.now, frame, len + 4);
}

/* Builds code, id, Length and the data given in hex into out; returns the
 * packet's length. */
static size_t
pkt(uint8_t *out, size_t cap, uint8_t code, uint8_t id, const char *hex)
{
	int n = t_unhex(hex, out + 4, cap - 4);

	CHECK(n >= 0);
	if (n < 0)
		n = 0;
	out[0] = code;
	out[1] = id;
	out[2] = (uint8_t)((n + 4) >> 8);
	out[3] = (uint8_t)(n + 4);
	return (size_t)n + 4;
}

static int
feed_lcp(uint8_t code, uint8_t id, const char *hex)
{
	uint8_t p[1600];
	size_t n = pkt(p, sizeof(p), code, id, hex);

	return feed(PPP_LCP, p, n);
}

/* The next LCP packet the session sent since the last call; NULL when
 * none is left. */
static const struct sent *
next_lcp(void)
{
	while (T.seen < T.ntx) {
		const struct sent *x = &T.tx[T.seen++];

		if (x->proto == PPP_LCP) {
			CHECK(x->acf);		/* never compressed */
			return x;
		}
	}
	return NULL;
}

/* The next LCP packet with `code`, skipping others. */
static const struct sent *
next_code(uint8_t code)
{
	const struct sent *x;

	while ((x = next_lcp()) != NULL)
		if (x->info[0] == code)
			return x;
	return NULL;
}

static unsigned
count_code(uint8_t code)
{
	unsigned i, n = 0;

	for (i = 0; i < T.ntx; i++)
		if (T.tx[i].proto == PPP_LCP && T.tx[i].info[0] == code)
			n++;
	return n;
}

/* Checks that x is the packet (code, id, data in hex). */
static void
check_pkt(const struct sent *x, uint8_t code, uint8_t id, const char *hex)
{
	uint8_t want[1600];
	size_t n = pkt(want, sizeof(want), code, id, hex);

	if (!CHECK(x != NULL))
		return;
	CHECK_EQ(x->len, n);
	if (x->len == n)
		CHECK_MEM(x->info, want, n);
}

/* The value of option `type` in a Configure-* packet, or -1. */
static long long
opt_u32(const struct sent *x, uint8_t type)
{
	struct ppp_opt o;
	struct rd r;
	uint32_t v = 0;
	uint16_t v16;

	rd_init(&r, x->info + 4, x->len - 4u);
	while (ppp_opt_next(&r, &o) == 0) {
		if (o.type != type)
			continue;
		if (ppp_opt_u32_decode(&o, &v) == 0)
			return v;
		if (ppp_opt_u16_decode(&o, &v16) == 0)
			return v16;
		return rd_left(&o.val);	/* flags: 0 */
	}
	return -1;
}

/* Answers our last Configure-Request x with code (Ack: the same options). */
static int
reply_to(const struct sent *x, uint8_t code)
{
	uint8_t p[1600];

	memcpy(p, x->info, x->len);
	p[0] = code;
	return feed(PPP_LCP, p, x->len);
}

/* Runs the timers up to `until`. */
static void
run_until(uint64_t until)
{
	uint64_t d;
	unsigned guard = 0;

	while ((d = ppp_deadline(T.s)) <= until && guard++ < 10000) {
		if (d > T.now)
			T.now = d;
		CHECK_OK(ppp_timeout(T.s, T.now));
	}
	if (until > T.now)
		T.now = until;
}

/* Opens LCP: the peer requests `opts` (hex) and Acks ours. */
static void
open_lcp(const char *opts)
{
	const struct sent *req = next_code(PPP_CONF_REQ), *ack;

	if (!CHECK(req != NULL))
		return;
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, opts));
	ack = next_code(PPP_CONF_ACK);
	check_pkt(ack, PPP_CONF_ACK, 1, opts);
	CHECK_OK(reply_to(req, PPP_CONF_ACK));
	CHECK(lcp_is_open(T.s));
}

/* Checks that x is a Terminate-Request whose text starts with prefix. */
static void
check_term_req(const struct sent *x, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!CHECK(x != NULL) || !CHECK(x->info[0] == PPP_TERM_REQ))
		return;
	if (CHECK(x->len >= 4 + n))
		CHECK_MEM(x->info + 4, prefix, n);
}

static bool
logged(const char *needle)
{
	return strstr(T.log, needle) != NULL;
}

/* --- what we ask for --- */

TEST(lcp_server_request_defaults)
{
	const struct sent *req;

	t_new(PPP_ROLE_SERVER, NULL);
	req = next_lcp();
	if (!CHECK(req != NULL))
		return;
	/* <mru 1400> <auth chap MS-v2> <magic> <pcomp> <accomp>, no ACCM */
	CHECK_EQ(req->info[0], PPP_CONF_REQ);
	CHECK_EQ(req->len, 4 + 4 + 5 + 6 + 2 + 2);
	CHECK_MEM(req->info + 4, "\x01\x04\x05\x78\x03\x05\xc2\x23\x81\x05\x06",
	    11);
	CHECK(opt_u32(req, LCP_OPT_MAGIC) > 0);
	CHECK_MEM(req->info + 19, "\x07\x02\x08\x02", 4);
	CHECK_EQ(opt_u32(req, LCP_OPT_ACCM), -1);
	CHECK(logged("lcp: sent LCP ConfReq id=1"));
}

TEST(lcp_client_request_mru_1500_no_compression)
{
	struct ppp_config c;
	const struct sent *req;

	t_cfg(&c, PPP_ROLE_CLIENT);
	c.mru = 1500;
	c.no_pfc = true;
	c.no_acfc = true;
	t_new(PPP_ROLE_CLIENT, &c);
	req = next_lcp();
	if (!CHECK(req != NULL))
		return;
	/* only the magic: MRU 1500 is the default, clients ask no auth */
	CHECK_EQ(req->len, 4 + 6);
	CHECK_EQ(req->info[4], LCP_OPT_MAGIC);
	/* and PFC/ACFC from the peer are refused */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, "05 06" PEER_MAGIC " 07 02 08 02"));
	check_pkt(next_code(PPP_CONF_REJ), PPP_CONF_REJ, 1, "07 02 08 02");
}

/* --- judging the peer's request --- */

TEST(lcp_windows_client_options_rejected)
{
	const struct sent *req, *x;

	t_new(PPP_ROLE_SERVER, NULL);
	req = next_code(PPP_CONF_REQ);
	/* <magic> <pcomp> <accomp> <callback CBCP> <mrru 1614> <endpoint> */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, "05 06" PEER_MAGIC " 07 02 08 02 "
	    "0d 03 06 11 04 06 4e " EPD_HEX));
	x = next_lcp();
	check_pkt(x, PPP_CONF_REJ, 1, "0d 03 06 11 04 06 4e " EPD_HEX);
	CHECK(next_lcp() == NULL);
	CHECK(logged("lcp: rcvd LCP ConfReq id=1"));
	CHECK(logged("<callback CBCP> <mrru 1614> <endpoint class 1 len 20>"));
	CHECK(logged("lcp: sent LCP ConfRej id=1"));

	/* the retry without them is Acked, and with our Ack LCP opens */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 2, "05 06" PEER_MAGIC " 07 02 08 02"));
	check_pkt(next_lcp(), PPP_CONF_ACK, 2,
	    "05 06" PEER_MAGIC " 07 02 08 02");
	CHECK(!lcp_is_open(T.s));
	CHECK_OK(reply_to(req, PPP_CONF_ACK));
	CHECK(lcp_is_open(T.s));
	CHECK_EQ(T.s->lcp.peer_mru, 1500);	/* no MRU: the default */
	CHECK_EQ(T.s->lcp.peer_magic, 0x11223344);
	CHECK(T.s->lcp.tx_pfc && T.s->lcp.tx_acfc);
	CHECK_EQ(ppp_phase(T.s), PPP_PHASE_AUTHENTICATE);
	CHECK(logged("lcp: opened: peer mru 1500, our mru 1400, auth "
	    "MS-CHAPv2 (we authenticate the peer)"));
}

TEST(lcp_rras_server_options_rejected_by_client)
{
	const struct sent *x;

	t_new(PPP_ROLE_CLIENT, NULL);
	(void)next_code(PPP_CONF_REQ);
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 7, "01 04 05 78 03 05 c2 23 81 05 06"
	    PEER_MAGIC " 07 02 08 02 0d 03 06 11 04 06 4e " EPD_HEX
	    " 17 04 00 01"));
	x = next_lcp();
	check_pkt(x, PPP_CONF_REJ, 7, "0d 03 06 11 04 06 4e " EPD_HEX
	    " 17 04 00 01");
}

TEST(lcp_client_acks_pppd_request)
{
	static const char pppd[] = "02 06 00000000 03 05 c2 23 81 05 06"
	    PEER_MAGIC " 07 02 08 02";

	t_new(PPP_ROLE_CLIENT, NULL);
	open_lcp(pppd);
	CHECK_EQ(T.s->lcp.peer_auth_proto, PPP_CHAP);
	CHECK_EQ(T.s->lcp.peer_auth_alg, LCP_CHAP_MSCHAPV2);
	CHECK_EQ(ppp_phase(T.s), PPP_PHASE_AUTHENTICATE);
	CHECK(logged("auth MS-CHAPv2 (the peer authenticates us)"));
}

TEST(lcp_client_naks_eap_and_disallowed_methods)
{
	struct ppp_config c;

	t_new(PPP_ROLE_CLIENT, NULL);
	(void)next_code(PPP_CONF_REQ);
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, "01 04 05 78 03 04 c2 27 05 06"
	    PEER_MAGIC " 07 02 08 02"));
	check_pkt(next_lcp(), PPP_CONF_NAK, 1, "03 05 c2 23 81");
	/* the peer comes back with MS-CHAPv2: Ack */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 2, "03 05 c2 23 81 05 06" PEER_MAGIC));
	check_pkt(next_lcp(), PPP_CONF_ACK, 2, "03 05 c2 23 81 05 06"
	    PEER_MAGIC);

	/* PAP is allowed only if policy says so */
	t_new(PPP_ROLE_CLIENT, NULL);
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 3, "03 04 c0 23"));
	check_pkt(next_code(PPP_CONF_NAK), PPP_CONF_NAK, 3, "03 05 c2 23 81");
	t_cfg(&c, PPP_ROLE_CLIENT);
	c.auth_methods = PPP_AUTH_PAP | PPP_AUTH_CHAP_MD5;
	c.mppe = PPP_MPPE_REFUSED;
	t_new(PPP_ROLE_CLIENT, &c);
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 4, "03 04 c0 23"));
	check_pkt(next_code(PPP_CONF_ACK), PPP_CONF_ACK, 4, "03 04 c0 23");
	/* MS-CHAPv2 is not allowed now: Nak with the strongest, CHAP-MD5 */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 5, "03 05 c2 23 81"));
	check_pkt(next_code(PPP_CONF_NAK), PPP_CONF_NAK, 5, "03 05 c2 23 05");
}

TEST(lcp_server_rejects_auth_request_from_client)
{
	t_new(PPP_ROLE_SERVER, NULL);
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, "03 05 c2 23 81 05 06" PEER_MAGIC));
	check_pkt(next_code(PPP_CONF_REJ), PPP_CONF_REJ, 1, "03 05 c2 23 81");
}

TEST(lcp_mru_accm_quality_and_malformed_options)
{
	struct ppp_config c;

	t_new(PPP_ROLE_SERVER, NULL);
	/* MRU below the floor: Nak with PPP_MRU_MIN; ACCM is fine */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, "01 04 00 64 02 06 ffffffff"));
	check_pkt(next_code(PPP_CONF_NAK), PPP_CONF_NAK, 1, "01 04 02 40");
	/* Reject beats Nak; Quality and unknown options are Rejected, and
	 * so is a known option with a wrong length */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 2, "01 04 00 64 04 08 c0 25 000003e8 "
	    "99 03 00 05 05 00 00 00"));
	check_pkt(next_code(PPP_CONF_REJ), PPP_CONF_REJ, 2,
	    "04 08 c0 25 000003e8 99 03 00 05 05 00 00 00");
	/* an option list that cannot be walked is discarded, unanswered */
	CHECK_ERR(feed_lcp(PPP_CONF_REQ, 3, "01 04 05 78 07 01"), ERR_OPTION);
	CHECK_ERR(feed_lcp(PPP_CONF_REQ, 4, "01 09 05 78"), ERR_OPTION);
	CHECK(next_lcp() == NULL);
	/* magic zero is illegal (RFC 1661 6.4): Nak with another */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 5, "05 06 00000000"));
	{
		const struct sent *x = next_code(PPP_CONF_NAK);

		if (CHECK(x != NULL))
			CHECK(opt_u32(x, LCP_OPT_MAGIC) > 0);
	}
	/* MRU 576 exactly is fine and becomes the largest frame we send */
	t_cfg(&c, PPP_ROLE_SERVER);
	t_new(PPP_ROLE_SERVER, &c);
	open_lcp("01 04 02 40 05 06" PEER_MAGIC);
	CHECK_EQ(T.s->lcp.peer_mru, 576);
	CHECK_EQ(ppp_peer_mru(T.s), 576);
	CHECK_EQ(T.s->lcp.fsm.cfg.max_pkt, 576);
	CHECK(!T.s->lcp.tx_pfc && !T.s->lcp.tx_acfc);
}

TEST(lcp_max_failure_turns_naks_into_rejects)
{
	unsigned i;

	t_new(PPP_ROLE_SERVER, NULL);
	for (i = 1; i <= 5; i++) {
		CHECK_OK(feed_lcp(PPP_CONF_REQ, (uint8_t)i, "01 04 00 64"));
		check_pkt(next_code(PPP_CONF_NAK), PPP_CONF_NAK, (uint8_t)i,
		    "01 04 02 40");
	}
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 6, "01 04 00 64"));
	check_pkt(next_code(PPP_CONF_REJ), PPP_CONF_REJ, 6, "01 04 00 64");
}

/* --- the peer's answers to our request --- */

TEST(lcp_peer_naks_and_rejects_our_options)
{
	const struct sent *req, *x;
	char opts[32];
	long long m1;

	t_new(PPP_ROLE_SERVER, NULL);
	req = next_code(PPP_CONF_REQ);
	if (!CHECK(req != NULL))
		return;
	m1 = opt_u32(req, LCP_OPT_MAGIC);
	/* Nak: MRU 1200 taken, a new magic */
	CHECK_OK(feed_lcp(PPP_CONF_NAK, req->info[1], "01 04 04 b0 05 06"
	    PEER_MAGIC));
	x = next_code(PPP_CONF_REQ);
	if (!CHECK(x != NULL))
		return;
	CHECK_EQ(x->info[1], req->info[1] + 1);
	CHECK_EQ(opt_u32(x, LCP_OPT_MRU), 1200);
	CHECK(opt_u32(x, LCP_OPT_MAGIC) > 0);
	CHECK(opt_u32(x, LCP_OPT_MAGIC) != m1);
	CHECK(opt_u32(x, LCP_OPT_MAGIC) != 0x11223344);
	/* a Nak with an MRU below the floor: stop asking */
	CHECK_OK(feed_lcp(PPP_CONF_NAK, x->info[1], "01 04 00 10"));
	x = next_code(PPP_CONF_REQ);
	if (!CHECK(x != NULL))
		return;
	CHECK_EQ(opt_u32(x, LCP_OPT_MRU), -1);
	/* a Reject naming something we did not send is discarded */
	CHECK_ERR(feed_lcp(PPP_CONF_REJ, x->info[1], "01 04 05 78"),
	    ERR_OPTION);
	CHECK(next_lcp() == NULL);
	/* Reject of magic, PFC and ACFC: stop asking */
	CHECK_OK(feed_lcp(PPP_CONF_REJ, x->info[1], "07 02 08 02"));
	x = next_code(PPP_CONF_REQ);
	if (!CHECK(x != NULL))
		return;
	CHECK_EQ(opt_u32(x, LCP_OPT_PFC), -1);
	CHECK_EQ(opt_u32(x, LCP_OPT_ACFC), -1);
	snprintf(opts, sizeof(opts), "05 06 %08llx 07",
	    (unsigned long long)opt_u32(x, LCP_OPT_MAGIC));
	CHECK_ERR(feed_lcp(PPP_CONF_REJ, x->info[1], opts), ERR_OPTION);
	CHECK(next_lcp() == NULL);
	opts[strlen(opts) - 3] = '\0';		/* drop the stray octet */
	CHECK_OK(feed_lcp(PPP_CONF_REJ, x->info[1], opts));
	x = next_code(PPP_CONF_REQ);
	if (!CHECK(x != NULL))
		return;
	CHECK_EQ(opt_u32(x, LCP_OPT_MAGIC), -1);
	CHECK_EQ(x->len, 4 + 5);	/* only the auth option is left */
}

TEST(lcp_server_auth_nak_switches_method)
{
	struct ppp_config c;
	const struct sent *req, *x;

	/* policy MS-CHAPv2 or PAP: the peer wants PAP, we switch */
	t_cfg(&c, PPP_ROLE_SERVER);
	c.auth_methods = PPP_AUTH_MSCHAPV2 | PPP_AUTH_PAP;
	t_new(PPP_ROLE_SERVER, &c);
	req = next_code(PPP_CONF_REQ);
	if (!CHECK(req != NULL))
		return;
	CHECK_OK(feed_lcp(PPP_CONF_NAK, req->info[1], "03 04 c0 23"));
	x = next_code(PPP_CONF_REQ);
	if (CHECK(x != NULL))
		CHECK_MEM(x->info + 8, "\x03\x04\xc0\x23\x05\x06", 6);
	CHECK(logged("peer wants PAP authentication; we now ask for PAP"));

	/* policy MS-CHAPv2 or MS-CHAPv1: the peer wants EAP; we try v1,
	 * and when it still wants EAP nothing is left */
	t_cfg(&c, PPP_ROLE_SERVER);
	c.auth_methods = PPP_AUTH_MSCHAPV2 | PPP_AUTH_MSCHAPV1;
	t_new(PPP_ROLE_SERVER, &c);
	req = next_code(PPP_CONF_REQ);
	if (!CHECK(req != NULL))
		return;
	CHECK_OK(feed_lcp(PPP_CONF_NAK, req->info[1], "03 04 c2 27"));
	x = next_code(PPP_CONF_REQ);
	if (!CHECK(x != NULL))
		return;
	CHECK_MEM(x->info + 8, "\x03\x05\xc2\x23\x80", 5);
	CHECK_ERR(feed_lcp(PPP_CONF_NAK, x->info[1], "03 04 c2 27"),
	    ERR_STATE);
	check_term_req(next_lcp(), "no common authentication method");
	run_until(T.now + 60000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_AUTH_POLICY);
	CHECK_STR(T.down_text, "no common authentication method: the peer "
	    "wants EAP, we allow MS-CHAPv2, MS-CHAPv1");
}

TEST(lcp_server_nakd_to_pap_with_mschapv2_only_goes_down)
{
	const struct sent *req;

	t_new(PPP_ROLE_SERVER, NULL);
	req = next_code(PPP_CONF_REQ);
	if (!CHECK(req != NULL))
		return;
	CHECK_ERR(feed_lcp(PPP_CONF_NAK, req->info[1], "03 04 c0 23"),
	    ERR_STATE);
	check_term_req(next_lcp(), "no common authentication method");
	CHECK(next_lcp() == NULL);	/* no new Configure-Request */
	/* the peer Acks our Terminate-Request: down at once */
	CHECK_OK(feed_lcp(PPP_TERM_ACK, req->info[1] + 1, ""));
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_AUTH_POLICY);
	CHECK(strstr(T.down_text, "wants PAP") != NULL);
	CHECK(strstr(T.down_text, "allow MS-CHAPv2") != NULL);
}

TEST(lcp_server_auth_rejected_goes_down)
{
	const struct sent *req;

	t_new(PPP_ROLE_SERVER, NULL);
	req = next_code(PPP_CONF_REQ);
	if (!CHECK(req != NULL))
		return;
	CHECK_ERR(feed_lcp(PPP_CONF_REJ, req->info[1], "03 05 c2 23 81"),
	    ERR_STATE);
	check_term_req(next_lcp(), "the peer refuses to authenticate");
	run_until(T.now + 60000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_AUTH_POLICY);
	CHECK(strstr(T.down_text, "we require MS-CHAPv2") != NULL);
}

/* --- Magic-Number loop-back (RFC 1661 6.4) --- */

TEST(lcp_looped_back_link_goes_down)
{
	const struct sent *x = NULL;
	unsigned i;

	t_new(PPP_ROLE_SERVER, NULL);
	/* everything we send comes back to us */
	for (i = 0; i < 20 && !T.down; i++) {
		x = next_lcp();
		if (x == NULL)
			break;
		if (x->info[0] == PPP_TERM_REQ)
			break;
		(void)feed(PPP_LCP, x->info, x->len);
	}
	CHECK(x != NULL);
	check_term_req(x, "the link is looped back");
	CHECK_EQ(count_code(PPP_CONF_NAK), LCP_LOOPBACK_MAX - 1);
	CHECK_EQ(count_code(PPP_CONF_REQ), LCP_LOOPBACK_MAX);
	run_until(T.now + 60000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_LOOPBACK);
}

TEST(lcp_magic_collision_once_is_not_a_loop)
{
	const struct sent *req, *nak;
	char opts[32];

	t_new(PPP_ROLE_SERVER, NULL);
	req = next_code(PPP_CONF_REQ);
	if (!CHECK(req != NULL))
		return;
	snprintf(opts, sizeof(opts), "05 06 %08llx",
	    (unsigned long long)opt_u32(req, LCP_OPT_MAGIC));
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, opts));
	nak = next_code(PPP_CONF_NAK);
	if (!CHECK(nak != NULL))
		return;
	CHECK(opt_u32(nak, LCP_OPT_MAGIC) != opt_u32(req, LCP_OPT_MAGIC));
	CHECK(opt_u32(nak, LCP_OPT_MAGIC) > 0);
	/* the peer takes another value and all is well */
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 2, "05 06" PEER_MAGIC));
	check_pkt(next_code(PPP_CONF_ACK), PPP_CONF_ACK, 2, "05 06"
	    PEER_MAGIC);
	CHECK_OK(reply_to(req, PPP_CONF_ACK));
	CHECK(lcp_is_open(T.s));
	CHECK(!T.s->down_set);
}

/* --- Echo, Discard, Identification, unknown codes --- */

TEST(lcp_echo_reply_cut_to_peer_mru)
{
	uint8_t p[1100];
	const struct sent *x;
	uint32_t ours;
	size_t n, i;

	t_new(PPP_ROLE_SERVER, NULL);
	/* before Opened an Echo-Request is not answered */
	CHECK_OK(feed_lcp(PPP_ECHO_REQ, 1, PEER_MAGIC " 616263"));
	CHECK(next_code(PPP_ECHO_REP) == NULL);
	T.seen = 0;
	open_lcp("01 04 02 58 05 06" PEER_MAGIC);	/* MRU 600 */
	ours = T.s->lcp.magic;

	/* a small one comes back whole, with our magic */
	CHECK_OK(feed_lcp(PPP_ECHO_REQ, 42, PEER_MAGIC " 616263646566"));
	x = next_lcp();
	if (CHECK(x != NULL)) {
		CHECK_EQ(x->info[0], PPP_ECHO_REP);
		CHECK_EQ(x->info[1], 42);
		CHECK_EQ(x->len, 14);
		CHECK_EQ((uint32_t)x->info[4] << 24 | x->info[5] << 16 |
		    x->info[6] << 8 | x->info[7], ours);
		CHECK_MEM(x->info + 8, "abcdef", 6);
	}
	/* 1000 octets of data: the reply is cut to 600 (accel-ppp#204) */
	n = pkt(p, sizeof(p), PPP_ECHO_REQ, 43, PEER_MAGIC);
	for (i = 0; i < 1000; i++)
		p[n + i] = (uint8_t)i;
	n += 1000;
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	CHECK_OK(feed(PPP_LCP, p, n));
	x = next_lcp();
	if (CHECK(x != NULL)) {
		CHECK_EQ(x->info[0], PPP_ECHO_REP);
		CHECK_EQ(x->len, 600);
		CHECK_EQ(x->info[2] << 8 | x->info[3], 600);
		CHECK_MEM(x->info + 8, p + 8, 592);
	}
	/* a truncated Echo-Request (no magic) is dropped */
	CHECK_ERR(feed_lcp(PPP_ECHO_REQ, 44, "1122"), ERR_TRUNCATED);
	/* Echo-Reply and Discard-Request: taken silently */
	CHECK_OK(feed_lcp(PPP_ECHO_REP, 7, PEER_MAGIC));
	CHECK_OK(feed_lcp(PPP_DISC_REQ, 8, PEER_MAGIC " 00"));
	CHECK(next_lcp() == NULL);
	CHECK_EQ(T.s->stats.echo_rcvd, 1);
}

TEST(lcp_identification_accepted_silently)
{
	t_new(PPP_ROLE_SERVER, NULL);
	(void)next_code(PPP_CONF_REQ);
	CHECK_OK(feed_lcp(PPP_IDENT, 5, "00000000 4d5352415356352e3230"));
	CHECK_OK(feed_lcp(PPP_IDENT, 6, "00000000 4d535241532d302d01ff"));
	CHECK_OK(feed_lcp(PPP_TIME_REM, 7, "00000000 00000e10 6869"));
	CHECK(next_lcp() == NULL);	/* no Code-Reject */
	CHECK(logged("lcp: peer identification \"MSRASV5.20\"\n"));
	CHECK(!logged("MSRAS-0-"));	/* logged once */
	CHECK(logged("lcp: peer time-remaining 3600 s \"hi\""));
	/* the same when Opened; a binary message is escaped */
	t_new(PPP_ROLE_SERVER, NULL);
	open_lcp("05 06" PEER_MAGIC);
	CHECK_OK(feed_lcp(PPP_IDENT, 9, "00000000 4d5352415320 0122ff"));
	CHECK(next_lcp() == NULL);
	CHECK(logged("lcp: peer identification \"MSRAS \\x01\\x22\\xff\"\n"));
	CHECK_ERR(feed_lcp(PPP_IDENT, 10, "0000"), ERR_TRUNCATED);
	CHECK(next_lcp() == NULL);
}

TEST(lcp_unknown_code_is_code_rejected)
{
	uint8_t p[1200];
	const struct sent *x;
	size_t n;

	t_new(PPP_ROLE_SERVER, NULL);
	(void)next_code(PPP_CONF_REQ);
	CHECK_OK(feed_lcp(99, 3, "deadbeef"));
	x = next_lcp();
	check_pkt(x, PPP_CODE_REJ, x != NULL ? x->info[1] : 0,
	    "63 03 00 08 deadbeef");
	/* CCP's Reset-Request is not an LCP code either */
	CHECK_OK(feed_lcp(PPP_RESET_REQ, 4, ""));
	x = next_lcp();
	check_pkt(x, PPP_CODE_REJ, x != NULL ? x->info[1] : 0, "0e 04 00 04");
	/* once the peer's MRU is known, the copy is cut to it */
	T.seen = 0;
	open_lcp("01 04 02 58 05 06" PEER_MAGIC);
	memset(p, 0x5a, sizeof(p));
	n = pkt(p, sizeof(p), 99, 5, "");
	p[2] = (uint8_t)(1100 >> 8);
	p[3] = (uint8_t)(1100 & 0xff);
	n = 1100;
	CHECK_OK(feed(PPP_LCP, p, n));
	x = next_lcp();
	if (CHECK(x != NULL)) {
		CHECK_EQ(x->info[0], PPP_CODE_REJ);
		CHECK_EQ(x->len, 600);
		CHECK_MEM(x->info + 4, p, 596);
	}
	CHECK(lcp_is_open(T.s));
}

/* --- Protocol-Reject (RFC 1661 5.7) --- */

TEST(lcp_protocol_reject_sent_once_open)
{
	uint8_t info[1200];
	const struct sent *x, *y;

	t_new(PPP_ROLE_SERVER, NULL);
	(void)next_code(PPP_CONF_REQ);
	CHECK_ERR(feed(0x8081, (const uint8_t *)"\x01\x02\x03", 3), ERR_PROTO);
	CHECK(next_code(PPP_PROTO_REJ) == NULL);	/* not Opened yet */
	T.seen = 0;
	open_lcp("01 04 02 58 05 06" PEER_MAGIC);
	CHECK_ERR(feed(0x8081, (const uint8_t *)"\x01\x02\x03", 3), ERR_PROTO);
	x = next_lcp();
	if (!CHECK(x != NULL))
		return;
	check_pkt(x, PPP_PROTO_REJ, x->info[1], "80 81 01 02 03");
	CHECK(logged("lcp: sent LCP ProtRej"));
	/* a new Identifier each time; the copy cut to the peer's MRU */
	memset(info, 0xab, sizeof(info));
	CHECK_ERR(feed(0x8081, info, sizeof(info)), ERR_PROTO);
	y = next_lcp();
	if (!CHECK(y != NULL))
		return;
	CHECK_EQ(y->info[0], PPP_PROTO_REJ);
	CHECK(y->info[1] != x->info[1]);
	CHECK_EQ(y->len, 600);
	CHECK_MEM(y->info + 4, "\x80\x81", 2);
	CHECK_MEM(y->info + 6, info, 594);
	CHECK_EQ(T.s->stats.rx_unknown_proto, 3);
}

TEST(lcp_protocol_reject_received)
{
	t_new(PPP_ROLE_SERVER, NULL);
	/* outside Opened: discarded (RFC 1661 5.7) */
	CHECK_OK(feed_lcp(PPP_PROTO_REJ, 1, "80 57 01 01 00 04"));
	CHECK(!logged("Protocol-Rejected"));
	open_lcp("05 06" PEER_MAGIC);
	CHECK_OK(feed_lcp(PPP_PROTO_REJ, 2, "80 57 01 01 00 04"));
	CHECK(logged("lcp: peer Protocol-Rejected 0x8057 IPV6CP"));
	CHECK_OK(feed_lcp(PPP_PROTO_REJ, 3, "80 fd 01 01 00 04"));
	CHECK(logged("lcp: peer Protocol-Rejected 0x80fd CCP"));
	CHECK_OK(feed_lcp(PPP_PROTO_REJ, 4, "c0 21"));
	CHECK(logged("lcp: peer Protocol-Rejected 0xc021 LCP"));
	CHECK_ERR(feed_lcp(PPP_PROTO_REJ, 5, "80"), ERR_TRUNCATED);
	CHECK(lcp_is_open(T.s));
	CHECK(next_code(PPP_CODE_REJ) == NULL);
}

/* --- Terminate, Code-Reject --- */

TEST(lcp_peer_terminate_request_when_open)
{
	t_new(PPP_ROLE_SERVER, NULL);
	open_lcp("05 06" PEER_MAGIC);
	CHECK_OK(feed_lcp(PPP_TERM_REQ, 9, "627965 01"));
	check_pkt(next_lcp(), PPP_TERM_ACK, 9, "");
	CHECK(next_lcp() == NULL);	/* no Terminate-Request of ours */
	CHECK(!lcp_is_open(T.s));
	run_until(T.now + 10000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_PEER);
	CHECK_STR(T.down_text, "the peer terminated the link: \"bye\\x01\"");
	CHECK(next_lcp() == NULL);
}

TEST(lcp_peer_terminate_request_during_negotiation)
{
	t_new(PPP_ROLE_CLIENT, NULL);
	(void)next_code(PPP_CONF_REQ);
	CHECK_OK(feed_lcp(PPP_TERM_REQ, 2, "417574686e"));
	check_pkt(next_code(PPP_TERM_ACK), PPP_TERM_ACK, 2, "");
	run_until(T.now + 60000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_PEER);
	CHECK_STR(T.down_text, "the peer terminated the link: \"Authn\"");
}

TEST(lcp_code_reject_handling)
{
	struct ppp_config c;

	/* Echo Code-Rejected: harmless, Echo stops */
	t_cfg(&c, PPP_ROLE_SERVER);
	c.echo_interval_ms = 1000;
	c.echo_failures = 3;
	t_new(PPP_ROLE_SERVER, &c);
	open_lcp("05 06" PEER_MAGIC);
	run_until(T.now + 1000);
	CHECK(next_code(PPP_ECHO_REQ) != NULL);
	CHECK_OK(feed_lcp(PPP_CODE_REJ, 1, "09 00 00 08 00000000"));
	CHECK(lcp_is_open(T.s));
	CHECK(logged("peer Code-Rejected Echo"));
	run_until(T.now + 10000);
	CHECK(next_code(PPP_ECHO_REQ) == NULL);
	CHECK(!T.s->down_set);
	/* a Configure-Request Code-Rejected: catastrophic */
	t_new(PPP_ROLE_SERVER, NULL);
	open_lcp("05 06" PEER_MAGIC);
	CHECK_OK(feed_lcp(PPP_CODE_REJ, 2, "01 01 00 04"));
	/* RXJ- in Opened: the table's own Terminate-Request (no text) */
	check_term_req(next_lcp(), "");
	CHECK(!lcp_is_open(T.s));
	run_until(T.now + 60000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_PROTOCOL);
	CHECK_STR(T.down_text, "the peer Code-Rejected LCP code 1 (ConfReq)");
}

/* --- dead-peer detection --- */

TEST(lcp_echo_silent_peer_goes_down)
{
	struct ppp_config c;
	const struct sent *x;
	uint64_t t0;
	unsigned i;

	t_cfg(&c, PPP_ROLE_SERVER);
	c.echo_interval_ms = 1000;
	c.echo_failures = 3;
	t_new(PPP_ROLE_SERVER, &c);
	/* no Echo before Opened */
	run_until(T.now + 2500);
	CHECK_EQ(count_code(PPP_ECHO_REQ), 0);
	T.seen = T.ntx;
	CHECK_OK(feed_lcp(PPP_CONF_REQ, 1, "05 06" PEER_MAGIC));
	x = next_code(PPP_CONF_REQ);	/* the retransmission after 3 s */
	if (x == NULL) {
		run_until(T.now + 1000);
		x = next_code(PPP_CONF_REQ);
	}
	if (!CHECK(x != NULL))
		return;
	CHECK_OK(reply_to(x, PPP_CONF_ACK));
	CHECK(lcp_is_open(T.s));
	t0 = T.now;
	run_until(t0 + 3999);
	CHECK_EQ(count_code(PPP_ECHO_REQ), 3);
	CHECK(!T.s->down_set);
	for (i = 0; i < 3; i++) {
		x = next_code(PPP_ECHO_REQ);
		if (!CHECK(x != NULL))
			return;
		CHECK_EQ(x->at, t0 + 1000 * (i + 1));
		CHECK_EQ(x->len, 8);
		CHECK_EQ(x->info[1], i);
		CHECK_EQ((uint32_t)x->info[4] << 24 | x->info[5] << 16 |
		    x->info[6] << 8 | x->info[7], T.s->lcp.magic);
	}
	run_until(t0 + 4000);
	x = next_lcp();
	check_term_req(x, "peer did not answer 3 LCP Echo-Requests");
	if (x != NULL)
		CHECK_EQ(x->at, t0 + 4000);
	run_until(t0 + 20000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_ECHO);
	CHECK_STR(T.down_text, "peer did not answer 3 LCP Echo-Requests");
	CHECK_EQ(T.s->stats.echo_sent, 3);
}

TEST(lcp_echo_any_frame_keeps_peer_alive)
{
	static const uint8_t ipcp[] = { 0x01, 0x01, 0x00, 0x04 };
	struct ppp_config c;
	const struct sent *x;
	uint64_t t0, t;

	t_cfg(&c, PPP_ROLE_SERVER);
	c.echo_interval_ms = 1000;
	c.echo_failures = 3;
	t_new(PPP_ROLE_SERVER, &c);
	open_lcp("05 06" PEER_MAGIC);
	t0 = T.now;
	/* a frame (any protocol) every 700 ms: never an Echo */
	for (t = t0 + 700; t < t0 + 10000; t += 700) {
		run_until(t);
		(void)feed(PPP_IPCP, ipcp, sizeof(ipcp));
	}
	CHECK_EQ(count_code(PPP_ECHO_REQ), 0);
	CHECK(!T.s->down_set);
	/* silence: Echoes; each answered by an Echo-Reply: alive */
	t0 = T.now;
	for (t = t0 + 500; t < t0 + 10000; t += 500) {
		run_until(t);
		while ((x = next_code(PPP_ECHO_REQ)) != NULL)
			CHECK_OK(feed_lcp(PPP_ECHO_REP, x->info[1],
			    PEER_MAGIC));
	}
	CHECK(count_code(PPP_ECHO_REQ) >= 8);
	CHECK(!T.s->down_set);
	CHECK(lcp_is_open(T.s));
	/* two silent intervals, then a frame: the count starts over */
	(void)feed(PPP_IPCP, ipcp, sizeof(ipcp));
	t0 = T.now;
	run_until(t0 + 2500);
	CHECK_EQ(T.s->lcp.echo_outstanding, 2);
	(void)feed(PPP_IPCP, ipcp, sizeof(ipcp));
	CHECK_EQ(T.s->lcp.echo_outstanding, 0);
	run_until(t0 + 5000);
	CHECK(!T.s->down_set);
	CHECK_EQ(lcp_deadline(T.s), T.s->lcp.echo_next);
}

/* --- negotiation that gives up --- */

TEST(lcp_no_answer_at_all)
{
	const struct sent *first, *x;

	t_new(PPP_ROLE_SERVER, NULL);
	first = next_code(PPP_CONF_REQ);
	if (!CHECK(first != NULL))
		return;
	run_until(T.now + 120000);
	CHECK_EQ(count_code(PPP_CONF_REQ), 10);	/* Max-Configure */
	while ((x = next_code(PPP_CONF_REQ)) != NULL) {
		CHECK_EQ(x->len, first->len);	/* resent as it was */
		CHECK_MEM(x->info, first->info, first->len);
	}
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_NO_ANSWER);
	CHECK_STR(T.down_text, "no LCP answer from the peer: is GRE blocked?");
	CHECK_EQ(T.down_at, 1000000 + 30000);
}

TEST(lcp_one_way_link)
{
	uint64_t t;

	t_new(PPP_ROLE_SERVER, NULL);
	/* the peer's requests arrive and are Acked; ours are never answered */
	for (t = T.now; !T.down && t < T.now + 120000; t += 4000) {
		run_until(t);
		if (!T.down)
			CHECK_OK(feed_lcp(PPP_CONF_REQ, (uint8_t)(t / 4000),
			    "05 06" PEER_MAGIC));
	}
	run_until(T.now + 60000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_NO_ANSWER);
	CHECK(strstr(T.down_text, "never answered") != NULL);
	CHECK(count_code(PPP_CONF_ACK) > 0);
}

TEST(lcp_negotiation_that_loops_names_the_option)
{
	const struct sent *x;
	unsigned i;

	t_new(PPP_ROLE_SERVER, NULL);
	x = next_code(PPP_CONF_REQ);
	if (!CHECK(x != NULL))
		return;
	CHECK_OK(feed_lcp(PPP_CONF_NAK, x->info[1], "01 04 04 b0"));
	/* the peer answers nothing more and insists on MRU 100 */
	for (i = 0; i < 40 && !T.down; i++) {
		CHECK_OK(feed_lcp(PPP_CONF_REQ, (uint8_t)(i + 1), "01 04 00 64"));
		run_until(T.now + 3000);
	}
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_NEGOTIATION);
	CHECK(strstr(T.down_text, "we refused the peer's mru") != NULL);
}

TEST(lcp_admin_close_and_lower_down)
{
	t_new(PPP_ROLE_SERVER, NULL);
	open_lcp("05 06" PEER_MAGIC);
	CHECK_OK(ppp_close(T.s, T.now, "admin says bye"));
	check_term_req(next_lcp(), "admin says bye");
	CHECK_OK(feed_lcp(PPP_TERM_ACK, 0, ""));	/* any id: RFC 1661 */
	run_until(T.now + 20000);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_ADMIN);
	/* the lower layer going away sends nothing */
	t_new(PPP_ROLE_SERVER, NULL);
	open_lcp("05 06" PEER_MAGIC);
	CHECK_OK(ppp_lower_down(T.s, T.now));
	CHECK(next_lcp() == NULL);
	CHECK(T.down);
	CHECK_EQ(T.reason, PPP_DOWN_LOWER);
	CHECK_EQ(lcp_deadline(T.s), UINT64_MAX);
	ppp_free(T.s);
	T.s = NULL;
}

/*
 * test_fsm_opened.c - a Configure-Request in Opened (RFC 1661 4.1 RCR in
 * state 9): a retransmission of the request we Acked (same Identifier, same
 * options: our Ack was lost) is Acked again and the layer stays Opened; a
 * request with a new Identifier or new options renegotiates.
 */
#include "t.h"
#include "../src/ppp/fsm.h"

struct rec {
	unsigned	sent, tld, tlu;
	uint8_t		last[64];
	size_t		last_len;
};

static void
rec_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct rec *r = f->ctx;

	r->sent++;
	r->last_len = len < sizeof(r->last) ? len : sizeof(r->last);
	memcpy(r->last, pkt, r->last_len);
}

static void rec_tlu(struct fsm *f) { ((struct rec *)f->ctx)->tlu++; }
static void rec_tld(struct fsm *f) { ((struct rec *)f->ctx)->tld++; }

/* Acks every request (options are opaque to this test). */
static int
judge_ack(struct fsm *f, struct rd *opts, struct wr *reply)
{
	(void)f;
	(void)opts;
	(void)reply;
	return PPP_CONF_ACK;
}

static const struct fsm_callbacks cbs = {
	.send = rec_send, .tlu = rec_tlu, .tld = rec_tld,
	.judge_req = judge_ack,
};

static int
feed(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *opts, size_t n)
{
	uint8_t pkt[64];

	pkt[0] = code;
	pkt[1] = id;
	pkt[2] = 0;
	pkt[3] = (uint8_t)(4 + n);
	if (n > 0)
		memcpy(pkt + 4, opts, n);
	return fsm_input(f, 1000, pkt, 4 + n);
}

/* Brings f to Opened: our request acked, the peer's request id 7 acked. */
static void
open_fsm(struct fsm *f, struct rec *r, const uint8_t *opts, size_t n)
{
	memset(r, 0, sizeof(*r));
	if (fsm_init(f, PPP_IPCP, "ipcp", &cbs, NULL, r) != 0)
		return;
	(void)fsm_up(f, 0);
	(void)fsm_open(f, 0);
	(void)feed(f, PPP_CONF_ACK, f->req_id, NULL, 0);
	(void)feed(f, PPP_CONF_REQ, 7, opts, n);
}

TEST(fsm_opened_retransmitted_request_is_reacked)
{
	static const uint8_t o[] = { 3, 6, 10, 0, 0, 2 };
	struct fsm f;
	struct rec r;
	unsigned sent;

	open_fsm(&f, &r, o, sizeof(o));
	CHECK_EQ(f.state, FSM_OPENED);
	CHECK_EQ(r.tlu, 1);
	sent = r.sent;
	CHECK_OK(feed(&f, PPP_CONF_REQ, 7, o, sizeof(o)));
	CHECK_EQ(f.state, FSM_OPENED);
	CHECK_EQ(r.tld, 0);
	CHECK_EQ(r.sent, sent + 1);		/* only the Ack */
	CHECK_EQ(r.last[0], PPP_CONF_ACK);
	CHECK_EQ(r.last[1], 7);
	CHECK_EQ(r.last_len, 4 + sizeof(o));
	CHECK_MEM(r.last + 4, o, sizeof(o));
	CHECK_EQ(f.stats.rx_req_retrans, 1);
}

TEST(fsm_opened_new_identifier_renegotiates)
{
	static const uint8_t o[] = { 3, 6, 10, 0, 0, 2 };
	struct fsm f;
	struct rec r;

	open_fsm(&f, &r, o, sizeof(o));
	CHECK_OK(feed(&f, PPP_CONF_REQ, 8, o, sizeof(o)));
	CHECK_EQ(r.tld, 1);			/* tld, scr, sca */
	CHECK_EQ(f.state, FSM_ACK_SENT);
	CHECK_EQ(f.stats.rx_req_retrans, 0);
}

TEST(fsm_opened_new_options_renegotiate)
{
	static const uint8_t o[] = { 3, 6, 10, 0, 0, 2 };
	static const uint8_t o2[] = { 3, 6, 10, 0, 0, 3 };
	struct fsm f;
	struct rec r;

	open_fsm(&f, &r, o, sizeof(o));
	CHECK_OK(feed(&f, PPP_CONF_REQ, 7, o2, sizeof(o2)));
	CHECK_EQ(r.tld, 1);
	CHECK_EQ(f.state, FSM_ACK_SENT);
}

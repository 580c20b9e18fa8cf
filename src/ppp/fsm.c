/*
 * fsm.c - the RFC 1661 option-negotiation automaton: the state transition
 * table of section 4.1 as data, the actions of 4.4, the Restart timer and
 * counters of 4.6, and the classification of received Configure, Terminate
 * and Code-Reject packets (sections 5.1-5.6) into the events of 4.3.
 *
 * The choices the RFC leaves open are listed at the top of fsm.h.
 */
#include <string.h>

#include "fsm.h"
#include "../wire/ppp_cp.h"

/* Short names for the table only. */
#define NONE	FSM_ACT_NONE
#define TLU	FSM_ACT_TLU
#define TLD	FSM_ACT_TLD
#define TLS	FSM_ACT_TLS
#define TLF	FSM_ACT_TLF
#define IRC	FSM_ACT_IRC
#define ZRC	FSM_ACT_ZRC
#define SCR	FSM_ACT_SCR
#define SCA	FSM_ACT_SCA
#define SCN	FSM_ACT_SCN
#define STR	FSM_ACT_STR
#define STA	FSM_ACT_STA
#define SCJ	FSM_ACT_SCJ
#define SER	FSM_ACT_SER

#define CELL(fl, st, ...) \
	{ .act = { __VA_ARGS__ }, .next = FSM_##st, .flags = FSM_CELL_OK | (fl) }
#define GO(st, ...)	CELL(0, st, __VA_ARGS__)
#define GO_P(st, ...)	CELL(FSM_CELL_PASSIVE, st, __VA_ARGS__)	/* [p] */
#define GO_R(st, ...)	CELL(FSM_CELL_RESTART, st, __VA_ARGS__)	/* [r] */
#define GO_X(st, ...)	CELL(FSM_CELL_CROSSED, st, __VA_ARGS__)	/* [x] */
#define NOPE		{ .act = { NONE }, .next = FSM_INITIAL, \
			  .flags = FSM_CELL_IMPOSSIBLE }		/* "-" */

/*
 * RFC 1661 section 4.1, every cell written out, "-" included.  Read a line
 * as the RFC's "actions/next-state".  An omitted cell would have neither
 * FSM_CELL_OK nor FSM_CELL_IMPOSSIBLE; fsm_run treats it as impossible and
 * the table test fails on it.
 */
static const struct fsm_cell fsm_table[FSM_NEVENTS][FSM_NSTATES] = {
	[FSM_EV_UP][FSM_INITIAL]		= GO(CLOSED, NONE),
	[FSM_EV_UP][FSM_STARTING]		= GO(REQ_SENT, IRC, SCR),
	[FSM_EV_UP][FSM_CLOSED]			= NOPE,
	[FSM_EV_UP][FSM_STOPPED]		= NOPE,
	[FSM_EV_UP][FSM_CLOSING]		= NOPE,
	[FSM_EV_UP][FSM_STOPPING]		= NOPE,
	[FSM_EV_UP][FSM_REQ_SENT]		= NOPE,
	[FSM_EV_UP][FSM_ACK_RCVD]		= NOPE,
	[FSM_EV_UP][FSM_ACK_SENT]		= NOPE,
	[FSM_EV_UP][FSM_OPENED]			= NOPE,
	[FSM_EV_DOWN][FSM_INITIAL]		= NOPE,
	[FSM_EV_DOWN][FSM_STARTING]		= NOPE,
	[FSM_EV_DOWN][FSM_CLOSED]		= GO(INITIAL, NONE),
	[FSM_EV_DOWN][FSM_STOPPED]		= GO(STARTING, TLS),
	[FSM_EV_DOWN][FSM_CLOSING]		= GO(INITIAL, NONE),
	[FSM_EV_DOWN][FSM_STOPPING]		= GO(STARTING, NONE),
	[FSM_EV_DOWN][FSM_REQ_SENT]		= GO(STARTING, NONE),
	[FSM_EV_DOWN][FSM_ACK_RCVD]		= GO(STARTING, NONE),
	[FSM_EV_DOWN][FSM_ACK_SENT]		= GO(STARTING, NONE),
	[FSM_EV_DOWN][FSM_OPENED]		= GO(STARTING, TLD),
	[FSM_EV_OPEN][FSM_INITIAL]		= GO(STARTING, TLS),
	[FSM_EV_OPEN][FSM_STARTING]		= GO(STARTING, NONE),
	[FSM_EV_OPEN][FSM_CLOSED]		= GO(REQ_SENT, IRC, SCR),
	[FSM_EV_OPEN][FSM_STOPPED]		= GO_R(STOPPED, NONE),
	[FSM_EV_OPEN][FSM_CLOSING]		= GO_R(STOPPING, NONE),
	[FSM_EV_OPEN][FSM_STOPPING]		= GO_R(STOPPING, NONE),
	[FSM_EV_OPEN][FSM_REQ_SENT]		= GO(REQ_SENT, NONE),
	[FSM_EV_OPEN][FSM_ACK_RCVD]		= GO(ACK_RCVD, NONE),
	[FSM_EV_OPEN][FSM_ACK_SENT]		= GO(ACK_SENT, NONE),
	[FSM_EV_OPEN][FSM_OPENED]		= GO_R(OPENED, NONE),
	[FSM_EV_CLOSE][FSM_INITIAL]		= GO(INITIAL, NONE),
	[FSM_EV_CLOSE][FSM_STARTING]		= GO(INITIAL, TLF),
	[FSM_EV_CLOSE][FSM_CLOSED]		= GO(CLOSED, NONE),
	[FSM_EV_CLOSE][FSM_STOPPED]		= GO(CLOSED, NONE),
	[FSM_EV_CLOSE][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_CLOSE][FSM_STOPPING]		= GO(CLOSING, NONE),
	[FSM_EV_CLOSE][FSM_REQ_SENT]		= GO(CLOSING, IRC, STR),
	[FSM_EV_CLOSE][FSM_ACK_RCVD]		= GO(CLOSING, IRC, STR),
	[FSM_EV_CLOSE][FSM_ACK_SENT]		= GO(CLOSING, IRC, STR),
	[FSM_EV_CLOSE][FSM_OPENED]		= GO(CLOSING, TLD, IRC, STR),
	[FSM_EV_TO_PLUS][FSM_INITIAL]		= NOPE,
	[FSM_EV_TO_PLUS][FSM_STARTING]		= NOPE,
	[FSM_EV_TO_PLUS][FSM_CLOSED]		= NOPE,
	[FSM_EV_TO_PLUS][FSM_STOPPED]		= NOPE,
	[FSM_EV_TO_PLUS][FSM_CLOSING]		= GO(CLOSING, STR),
	[FSM_EV_TO_PLUS][FSM_STOPPING]		= GO(STOPPING, STR),
	[FSM_EV_TO_PLUS][FSM_REQ_SENT]		= GO(REQ_SENT, SCR),
	[FSM_EV_TO_PLUS][FSM_ACK_RCVD]		= GO(REQ_SENT, SCR),
	[FSM_EV_TO_PLUS][FSM_ACK_SENT]		= GO(ACK_SENT, SCR),
	[FSM_EV_TO_PLUS][FSM_OPENED]		= NOPE,
	[FSM_EV_TO_MINUS][FSM_INITIAL]		= NOPE,
	[FSM_EV_TO_MINUS][FSM_STARTING]		= NOPE,
	[FSM_EV_TO_MINUS][FSM_CLOSED]		= NOPE,
	[FSM_EV_TO_MINUS][FSM_STOPPED]		= NOPE,
	[FSM_EV_TO_MINUS][FSM_CLOSING]		= GO(CLOSED, TLF),
	[FSM_EV_TO_MINUS][FSM_STOPPING]		= GO(STOPPED, TLF),
	[FSM_EV_TO_MINUS][FSM_REQ_SENT]		= GO_P(STOPPED, TLF),
	[FSM_EV_TO_MINUS][FSM_ACK_RCVD]		= GO_P(STOPPED, TLF),
	[FSM_EV_TO_MINUS][FSM_ACK_SENT]		= GO_P(STOPPED, TLF),
	[FSM_EV_TO_MINUS][FSM_OPENED]		= NOPE,
	[FSM_EV_RCR_PLUS][FSM_INITIAL]		= NOPE,
	[FSM_EV_RCR_PLUS][FSM_STARTING]		= NOPE,
	[FSM_EV_RCR_PLUS][FSM_CLOSED]		= GO(CLOSED, STA),
	[FSM_EV_RCR_PLUS][FSM_STOPPED]		= GO(ACK_SENT, IRC, SCR, SCA),
	[FSM_EV_RCR_PLUS][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_RCR_PLUS][FSM_STOPPING]		= GO(STOPPING, NONE),
	[FSM_EV_RCR_PLUS][FSM_REQ_SENT]		= GO(ACK_SENT, SCA),
	[FSM_EV_RCR_PLUS][FSM_ACK_RCVD]		= GO(OPENED, SCA, TLU),
	[FSM_EV_RCR_PLUS][FSM_ACK_SENT]		= GO(ACK_SENT, SCA),
	[FSM_EV_RCR_PLUS][FSM_OPENED]		= GO(ACK_SENT, TLD, SCR, SCA),
	[FSM_EV_RCR_MINUS][FSM_INITIAL]		= NOPE,
	[FSM_EV_RCR_MINUS][FSM_STARTING]	= NOPE,
	[FSM_EV_RCR_MINUS][FSM_CLOSED]		= GO(CLOSED, STA),
	[FSM_EV_RCR_MINUS][FSM_STOPPED]		= GO(REQ_SENT, IRC, SCR, SCN),
	[FSM_EV_RCR_MINUS][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_RCR_MINUS][FSM_STOPPING]	= GO(STOPPING, NONE),
	[FSM_EV_RCR_MINUS][FSM_REQ_SENT]	= GO(REQ_SENT, SCN),
	[FSM_EV_RCR_MINUS][FSM_ACK_RCVD]	= GO(ACK_RCVD, SCN),
	[FSM_EV_RCR_MINUS][FSM_ACK_SENT]	= GO(REQ_SENT, SCN),
	[FSM_EV_RCR_MINUS][FSM_OPENED]		= GO(REQ_SENT, TLD, SCR, SCN),
	[FSM_EV_RCA][FSM_INITIAL]		= NOPE,
	[FSM_EV_RCA][FSM_STARTING]		= NOPE,
	[FSM_EV_RCA][FSM_CLOSED]		= GO(CLOSED, STA),
	[FSM_EV_RCA][FSM_STOPPED]		= GO(STOPPED, STA),
	[FSM_EV_RCA][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_RCA][FSM_STOPPING]		= GO(STOPPING, NONE),
	[FSM_EV_RCA][FSM_REQ_SENT]		= GO(ACK_RCVD, IRC),
	[FSM_EV_RCA][FSM_ACK_RCVD]		= GO_X(REQ_SENT, SCR),
	[FSM_EV_RCA][FSM_ACK_SENT]		= GO(OPENED, IRC, TLU),
	[FSM_EV_RCA][FSM_OPENED]		= GO_X(REQ_SENT, TLD, SCR),
	[FSM_EV_RCN][FSM_INITIAL]		= NOPE,
	[FSM_EV_RCN][FSM_STARTING]		= NOPE,
	[FSM_EV_RCN][FSM_CLOSED]		= GO(CLOSED, STA),
	[FSM_EV_RCN][FSM_STOPPED]		= GO(STOPPED, STA),
	[FSM_EV_RCN][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_RCN][FSM_STOPPING]		= GO(STOPPING, NONE),
	[FSM_EV_RCN][FSM_REQ_SENT]		= GO(REQ_SENT, IRC, SCR),
	[FSM_EV_RCN][FSM_ACK_RCVD]		= GO_X(REQ_SENT, SCR),
	[FSM_EV_RCN][FSM_ACK_SENT]		= GO(ACK_SENT, IRC, SCR),
	[FSM_EV_RCN][FSM_OPENED]		= GO_X(REQ_SENT, TLD, SCR),
	[FSM_EV_RTR][FSM_INITIAL]		= NOPE,
	[FSM_EV_RTR][FSM_STARTING]		= NOPE,
	[FSM_EV_RTR][FSM_CLOSED]		= GO(CLOSED, STA),
	[FSM_EV_RTR][FSM_STOPPED]		= GO(STOPPED, STA),
	[FSM_EV_RTR][FSM_CLOSING]		= GO(CLOSING, STA),
	[FSM_EV_RTR][FSM_STOPPING]		= GO(STOPPING, STA),
	[FSM_EV_RTR][FSM_REQ_SENT]		= GO(REQ_SENT, STA),
	[FSM_EV_RTR][FSM_ACK_RCVD]		= GO(REQ_SENT, STA),
	[FSM_EV_RTR][FSM_ACK_SENT]		= GO(REQ_SENT, STA),
	[FSM_EV_RTR][FSM_OPENED]		= GO(STOPPING, TLD, ZRC, STA),
	[FSM_EV_RTA][FSM_INITIAL]		= NOPE,
	[FSM_EV_RTA][FSM_STARTING]		= NOPE,
	[FSM_EV_RTA][FSM_CLOSED]		= GO(CLOSED, NONE),
	[FSM_EV_RTA][FSM_STOPPED]		= GO(STOPPED, NONE),
	[FSM_EV_RTA][FSM_CLOSING]		= GO(CLOSED, TLF),
	[FSM_EV_RTA][FSM_STOPPING]		= GO(STOPPED, TLF),
	[FSM_EV_RTA][FSM_REQ_SENT]		= GO(REQ_SENT, NONE),
	[FSM_EV_RTA][FSM_ACK_RCVD]		= GO(REQ_SENT, NONE),
	[FSM_EV_RTA][FSM_ACK_SENT]		= GO(ACK_SENT, NONE),
	[FSM_EV_RTA][FSM_OPENED]		= GO(REQ_SENT, TLD, SCR),
	[FSM_EV_RUC][FSM_INITIAL]		= NOPE,
	[FSM_EV_RUC][FSM_STARTING]		= NOPE,
	[FSM_EV_RUC][FSM_CLOSED]		= GO(CLOSED, SCJ),
	[FSM_EV_RUC][FSM_STOPPED]		= GO(STOPPED, SCJ),
	[FSM_EV_RUC][FSM_CLOSING]		= GO(CLOSING, SCJ),
	[FSM_EV_RUC][FSM_STOPPING]		= GO(STOPPING, SCJ),
	[FSM_EV_RUC][FSM_REQ_SENT]		= GO(REQ_SENT, SCJ),
	[FSM_EV_RUC][FSM_ACK_RCVD]		= GO(ACK_RCVD, SCJ),
	[FSM_EV_RUC][FSM_ACK_SENT]		= GO(ACK_SENT, SCJ),
	[FSM_EV_RUC][FSM_OPENED]		= GO(OPENED, SCJ),
	[FSM_EV_RXJ_PLUS][FSM_INITIAL]		= NOPE,
	[FSM_EV_RXJ_PLUS][FSM_STARTING]		= NOPE,
	[FSM_EV_RXJ_PLUS][FSM_CLOSED]		= GO(CLOSED, NONE),
	[FSM_EV_RXJ_PLUS][FSM_STOPPED]		= GO(STOPPED, NONE),
	[FSM_EV_RXJ_PLUS][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_RXJ_PLUS][FSM_STOPPING]		= GO(STOPPING, NONE),
	[FSM_EV_RXJ_PLUS][FSM_REQ_SENT]		= GO(REQ_SENT, NONE),
	[FSM_EV_RXJ_PLUS][FSM_ACK_RCVD]		= GO(REQ_SENT, NONE),
	[FSM_EV_RXJ_PLUS][FSM_ACK_SENT]		= GO(ACK_SENT, NONE),
	[FSM_EV_RXJ_PLUS][FSM_OPENED]		= GO(OPENED, NONE),
	[FSM_EV_RXJ_MINUS][FSM_INITIAL]		= NOPE,
	[FSM_EV_RXJ_MINUS][FSM_STARTING]	= NOPE,
	[FSM_EV_RXJ_MINUS][FSM_CLOSED]		= GO(CLOSED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_STOPPED]		= GO(STOPPED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_CLOSING]		= GO(CLOSED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_STOPPING]	= GO(STOPPED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_REQ_SENT]	= GO(STOPPED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_ACK_RCVD]	= GO(STOPPED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_ACK_SENT]	= GO(STOPPED, TLF),
	[FSM_EV_RXJ_MINUS][FSM_OPENED]		= GO(STOPPING, TLD, IRC, STR),
	[FSM_EV_RXR][FSM_INITIAL]		= NOPE,
	[FSM_EV_RXR][FSM_STARTING]		= NOPE,
	[FSM_EV_RXR][FSM_CLOSED]		= GO(CLOSED, NONE),
	[FSM_EV_RXR][FSM_STOPPED]		= GO(STOPPED, NONE),
	[FSM_EV_RXR][FSM_CLOSING]		= GO(CLOSING, NONE),
	[FSM_EV_RXR][FSM_STOPPING]		= GO(STOPPING, NONE),
	[FSM_EV_RXR][FSM_REQ_SENT]		= GO(REQ_SENT, NONE),
	[FSM_EV_RXR][FSM_ACK_RCVD]		= GO(ACK_RCVD, NONE),
	[FSM_EV_RXR][FSM_ACK_SENT]		= GO(ACK_SENT, NONE),
	[FSM_EV_RXR][FSM_OPENED]		= GO(OPENED, SER),
};

/*
 * What the event carries into the actions: the Identifier of the packet
 * that caused it (sta, sca, scn answer with it), a reply already built in
 * f->tx (sca/scn: our Configure-Ack/Nak/Reject; ser: the owner's reply), and
 * the packet to Code-Reject (scj).
 */
struct fsm_in {
	enum fsm_event	 ev;
	uint8_t		 id;
	size_t		 reply_len;	/* whole packet in f->tx; 0: none */
	const uint8_t	*rej;
	size_t		 rej_len;
};

const struct fsm_cell *
fsm_cell(enum fsm_event ev, enum fsm_state st)
{
	if ((unsigned)ev >= FSM_NEVENTS || (unsigned)st >= FSM_NSTATES)
		return NULL;
	return &fsm_table[ev][st];
}

bool
fsm_state_has_timer(enum fsm_state st)
{
	return st == FSM_CLOSING || st == FSM_STOPPING ||
	    st == FSM_REQ_SENT || st == FSM_ACK_RCVD || st == FSM_ACK_SENT;
}

static bool
fsm_negotiating(enum fsm_state st)
{
	return st == FSM_REQ_SENT || st == FSM_ACK_RCVD || st == FSM_ACK_SENT;
}

static size_t
fsm_clamp_pkt(size_t n)
{
	if (n == 0 || n > FSM_PKT_MAX)
		return FSM_PKT_MAX;
	return n < FSM_PKT_MIN ? FSM_PKT_MIN : n;
}

int
fsm_init(struct fsm *f, uint16_t proto, const char *name,
    const struct fsm_callbacks *cb, const struct fsm_config *cfg, void *ctx)
{
	if (f == NULL || cb == NULL || cb->send == NULL)
		return ERR_INVAL;
	memset(f, 0, sizeof(*f));
	f->name = name != NULL ? name : "fsm";
	f->proto = proto;
	f->state = FSM_INITIAL;
	f->cb = cb;
	f->ctx = ctx;
	if (cfg != NULL)
		f->cfg = *cfg;
	/* RFC 1661 4.6 defaults */
	f->cfg.restart_ms = f->cfg.restart_ms ? f->cfg.restart_ms : 3000;
	f->cfg.max_configure = f->cfg.max_configure ? f->cfg.max_configure : 10;
	f->cfg.max_terminate = f->cfg.max_terminate ? f->cfg.max_terminate : 2;
	f->cfg.max_failure = f->cfg.max_failure ? f->cfg.max_failure : 5;
	f->cfg.max_pkt = fsm_clamp_pkt(f->cfg.max_pkt);
	f->deadline = UINT64_MAX;
	f->next_id = 1;
	return 0;
}

void
fsm_set_max_pkt(struct fsm *f, size_t max_pkt)
{
	f->cfg.max_pkt = fsm_clamp_pkt(max_pkt);
}

uint64_t
fsm_deadline(const struct fsm *f)
{
	return f->deadline;
}

bool
fsm_nak_exhausted(const struct fsm *f)
{
	return f->naks_sent >= f->cfg.max_failure;
}

/* --- actions (RFC 1661 4.4) --- */

static void
fsm_timer_start(struct fsm *f, uint64_t now)
{
	/* UINT64_MAX means "stopped", so a far future saturates below it. */
	if (now >= UINT64_MAX - 1 - f->cfg.restart_ms)
		f->deadline = UINT64_MAX - 1;
	else
		f->deadline = now + f->cfg.restart_ms;
}

/* Builds code, id, Length and data in f->tx and sends it; data is cut to
 * max_pkt (a Code-Reject's copy must fit the peer's MRU, RFC 1661 5.6). */
static void
fsm_send_pkt(struct fsm *f, uint8_t code, uint8_t id, const void *data,
    size_t n)
{
	struct wr w;

	if (n > f->cfg.max_pkt - FSM_HDR_LEN)
		n = f->cfg.max_pkt - FSM_HDR_LEN;
	wr_init(&w, f->tx, f->cfg.max_pkt);
	if (ppp_cp_encode(&w, code, id, data, n) == 0)	/* fits: n was cut */
		f->cb->send(f, f->tx, wr_len(&w));
}

/* Builds a new Configure-Request with a new Identifier into f->req. */
static void
fsm_build_req(struct fsm *f)
{
	uint8_t id = f->next_id++;
	size_t start;
	struct wr w;
	int ret = 0;

	f->req_len = 0;
	f->req_pending = false;
	wr_init(&w, f->req, f->cfg.max_pkt);
	if (ppp_cp_begin(&w, PPP_CONF_REQ, id, &start) != 0)
		return;
	if (f->cb->build_req != NULL)
		ret = f->cb->build_req(f, &w);
	if (ret < 0 || ppp_cp_finish(&w, start) != 0) {
		f->stats.tx_build_err++;
		return;
	}
	f->req_id = id;
	f->req_len = wr_len(&w);
	f->req_pending = true;
}

static void
fsm_act_scr(struct fsm *f, uint64_t now, enum fsm_state from,
    const struct fsm_in *in)
{
	if (in->ev != FSM_EV_TO_PLUS || !f->req_pending || f->req_len == 0) {
		if (!fsm_negotiating(from)) {
			if (f->cb->reset != NULL)
				f->cb->reset(f);
			f->naks_sent = 0;
		}
		fsm_build_req(f);
	}
	if (f->req_len > 0)
		f->cb->send(f, f->req, f->req_len);
	if (f->restart > 0)
		f->restart--;
	fsm_timer_start(f, now);
}

/* FNV-1a, 64-bit: identifies a request's options without keeping them. */
static uint64_t
fsm_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n-- > 0)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* sca and scn: the reply fsm_input built, or an empty one if injected. */
static void
fsm_act_conf_reply(struct fsm *f, enum fsm_action act, const struct fsm_in *in)
{
	uint8_t code;

	if (in->reply_len >= FSM_HDR_LEN) {
		code = f->tx[0];
		f->cb->send(f, f->tx, in->reply_len);
	} else {
		code = act == FSM_ACT_SCA ? PPP_CONF_ACK : PPP_CONF_NAK;
		fsm_send_pkt(f, code, in->id, NULL, 0);
	}
	if (code == PPP_CONF_ACK) {
		f->naks_sent = 0;
		f->acked_valid = in->reply_len >= FSM_HDR_LEN;
		f->acked_id = in->id;
		f->acked_len = in->reply_len >= FSM_HDR_LEN ?
		    in->reply_len - FSM_HDR_LEN : 0;
		f->acked_hash = fsm_hash(f->tx + FSM_HDR_LEN, f->acked_len);
	} else if (code == PPP_CONF_NAK)
		f->naks_sent++;
}

static void
fsm_signal(struct fsm *f, void (*fn)(struct fsm *))
{
	if (fn != NULL)
		fn(f);
}

static void
fsm_act(struct fsm *f, uint64_t now, enum fsm_state from,
    enum fsm_action act, const struct fsm_in *in)
{
	const struct fsm_callbacks *cb = f->cb;

	switch (act) {
	case FSM_ACT_TLU:
		fsm_signal(f, cb->tlu);
		break;
	case FSM_ACT_TLD:
		fsm_signal(f, cb->tld);
		break;
	case FSM_ACT_TLS:
		fsm_signal(f, cb->tls);
		break;
	case FSM_ACT_TLF:
		fsm_signal(f, cb->tlf);
		break;
	case FSM_ACT_IRC:
		/* the state is already the cell's next one */
		f->restart = (f->state == FSM_CLOSING ||
		    f->state == FSM_STOPPING) ? f->cfg.max_terminate :
		    f->cfg.max_configure;
		break;
	case FSM_ACT_ZRC:
		f->restart = 0;
		fsm_timer_start(f, now);
		break;
	case FSM_ACT_SCR:
		fsm_act_scr(f, now, from, in);
		break;
	case FSM_ACT_SCA:
	case FSM_ACT_SCN:
		fsm_act_conf_reply(f, act, in);
		break;
	case FSM_ACT_STR:
		fsm_send_pkt(f, PPP_TERM_REQ, f->next_id++, f->reason,
		    strlen(f->reason));
		if (f->restart > 0)
			f->restart--;
		fsm_timer_start(f, now);
		break;
	case FSM_ACT_STA:
		fsm_send_pkt(f, PPP_TERM_ACK, in->id, NULL, 0);
		break;
	case FSM_ACT_SCJ:
		fsm_send_pkt(f, PPP_CODE_REJ, f->next_id++, in->rej,
		    in->rej_len);
		break;
	case FSM_ACT_SER:
		if (in->reply_len > 0)
			cb->send(f, f->tx, in->reply_len);
		break;
	default:	/* FSM_ACT_NONE pads a cell */
		break;
	}
}

/* --- the engine: the only place a state changes --- */

static int
fsm_run(struct fsm *f, uint64_t now, const struct fsm_in *in)
{
	const struct fsm_cell *c = &fsm_table[in->ev][f->state];
	enum fsm_state from = f->state;
	size_t i;

	if (!(c->flags & FSM_CELL_OK))
		return ERR_STATE;
	f->state = (enum fsm_state)c->next;
	for (i = 0; i < FSM_CELL_ACTS; i++)
		fsm_act(f, now, from, (enum fsm_action)c->act[i], in);
	if (!fsm_state_has_timer(f->state))
		f->deadline = UINT64_MAX;
	if (f->cb->trace != NULL)
		f->cb->trace(f, from, in->ev, f->state);
	return 0;
}

static int
fsm_fire(struct fsm *f, uint64_t now, enum fsm_event ev)
{
	struct fsm_in in = { .ev = ev };
	int ret;

	if (f->busy)
		return ERR_STATE;
	f->busy = true;
	ret = fsm_run(f, now, &in);
	f->busy = false;
	return ret;
}

int
fsm_up(struct fsm *f, uint64_t now)
{
	return fsm_fire(f, now, FSM_EV_UP);
}

int
fsm_down(struct fsm *f, uint64_t now)
{
	return fsm_fire(f, now, FSM_EV_DOWN);
}

int
fsm_open(struct fsm *f, uint64_t now)
{
	return fsm_fire(f, now, FSM_EV_OPEN);
}

int
fsm_close(struct fsm *f, uint64_t now, const char *reason)
{
	size_t n;

	if (f->busy)
		return ERR_STATE;
	n = reason != NULL ? strnlen(reason, FSM_REASON_MAX) : 0;
	if (n > 0)
		memcpy(f->reason, reason, n);
	f->reason[n] = '\0';
	return fsm_fire(f, now, FSM_EV_CLOSE);
}

int
fsm_protocol_rejected(struct fsm *f, uint64_t now)
{
	return fsm_fire(f, now, FSM_EV_RXJ_MINUS);
}

int
fsm_event(struct fsm *f, uint64_t now, enum fsm_event ev)
{
	if ((unsigned)ev >= FSM_NEVENTS)
		return ERR_INVAL;
	return fsm_fire(f, now, ev);
}

int
fsm_timeout(struct fsm *f, uint64_t now)
{
	if (f->busy)
		return ERR_STATE;
	if (f->deadline == UINT64_MAX || now < f->deadline)
		return 0;
	f->deadline = UINT64_MAX;
	return fsm_fire(f, now,
	    f->restart > 0 ? FSM_EV_TO_PLUS : FSM_EV_TO_MINUS);
}

/* --- classifying received packets (RFC 1661 4.3, 5.1-5.6) --- */

/* Configure-Request: RCR+ or RCR-, with the reply built in f->tx. */
static int
fsm_rx_conf_req(struct fsm *f, const struct rd *opts, struct fsm_in *in)
{
	const struct fsm_cell *plus = &fsm_table[FSM_EV_RCR_PLUS][f->state];
	const struct fsm_cell *minus = &fsm_table[FSM_EV_RCR_MINUS][f->state];
	struct rd judged = *opts;
	struct wr w, reply;
	int verdict;

	in->ev = FSM_EV_RCR_PLUS;
	/* Where both cells agree the judge cannot change the outcome.  (The
	 * cell is five uint8_t, so memcmp sees no padding.) */
	if (!(plus->flags & FSM_CELL_OK) ||
	    memcmp(plus, minus, sizeof(*plus)) == 0)
		return 0;
	wr_init(&reply, f->tx + FSM_HDR_LEN, f->cfg.max_pkt - FSM_HDR_LEN);
	if (f->cb->judge_req != NULL)
		verdict = f->cb->judge_req(f, &judged, &reply);
	else if (rd_left(opts) == 0)
		verdict = PPP_CONF_ACK;
	else {
		verdict = PPP_CONF_REJ;
		wr_bytes(&reply, rd_cur(opts), rd_left(opts));
	}
	if (verdict < 0)
		return verdict;
	if (verdict == PPP_CONF_ACK) {
		wr_init(&reply, f->tx + FSM_HDR_LEN,
		    f->cfg.max_pkt - FSM_HDR_LEN);
		wr_bytes(&reply, rd_cur(opts), rd_left(opts));
	} else if (verdict != PPP_CONF_NAK && verdict != PPP_CONF_REJ)
		return ERR_RANGE;
	if (wr_error(&reply) != 0)
		return ERR_NOSPACE;
	wr_init(&w, f->tx, FSM_HDR_LEN);
	wr_u8(&w, (uint8_t)verdict);
	wr_u8(&w, in->id);
	wr_u16(&w, (uint16_t)(FSM_HDR_LEN + wr_len(&reply)));
	in->reply_len = FSM_HDR_LEN + wr_len(&reply);
	in->ev = verdict == PPP_CONF_ACK ? FSM_EV_RCR_PLUS : FSM_EV_RCR_MINUS;
	return 0;
}

/* Configure-Ack, -Nak, -Reject: RCA or RCN, if it answers our request. */
static int
fsm_rx_conf_reply(struct fsm *f, uint8_t code, struct rd *opts,
    struct fsm_in *in)
{
	const struct fsm_callbacks *cb = f->cb;
	int ret = 0;

	in->ev = code == PPP_CONF_ACK ? FSM_EV_RCA : FSM_EV_RCN;
	if (!fsm_negotiating(f->state) && f->state != FSM_OPENED)
		return 0;	/* Closed..Stopping: answered with sta or nothing */
	if (!f->req_pending || in->id != f->req_id)
		return ERR_STALE;
	switch (code) {
	case PPP_CONF_ACK:
		/* RFC 1661 5.2: the options must match exactly. */
		if (rd_left(opts) != f->req_len - FSM_HDR_LEN ||
		    memcmp(rd_cur(opts), f->req + FSM_HDR_LEN,
		    rd_left(opts)) != 0)
			return ERR_OPTION;
		if (cb->got_ack != NULL)
			ret = cb->got_ack(f, opts);
		break;
	case PPP_CONF_NAK:
		if (cb->got_nak != NULL)
			ret = cb->got_nak(f, opts);
		break;
	default:
		if (cb->got_rej != NULL)
			ret = cb->got_rej(f, opts);
		break;
	}
	if (ret < 0)
		return ret;
	f->req_pending = false;
	return 0;
}

static int
fsm_rx_code_rej(struct fsm *f, struct rd *data, struct fsm_in *in)
{
	uint8_t code;
	bool fatal;

	if (rd_u8(data, &code) != 0)
		return ERR_TRUNCATED;
	if (f->cb->code_rejected != NULL)
		fatal = f->cb->code_rejected(f, code);
	else
		fatal = code >= PPP_CONF_REQ && code <= PPP_CODE_REJ;
	in->ev = fatal ? FSM_EV_RXJ_MINUS : FSM_EV_RXJ_PLUS;
	return 0;
}

static int
fsm_rx_extra(struct fsm *f, uint8_t code, struct rd *data,
    const uint8_t *pkt, size_t len, struct fsm_in *in)
{
	enum fsm_event ev = FSM_EV_NONE;
	struct wr reply;
	int ret = ERR_CODE;

	wr_init(&reply, f->tx, f->cfg.max_pkt);
	if (f->cb->extra_code != NULL)
		ret = f->cb->extra_code(f, code, in->id, data, &ev, &reply);
	if (ret == ERR_CODE) {
		in->ev = FSM_EV_RUC;
		in->rej = pkt;
		in->rej_len = len;
		return 0;
	}
	if (ret < 0)
		return ret;
	if (wr_error(&reply) != 0)
		return ERR_NOSPACE;
	switch (ev) {
	case FSM_EV_NONE:
		if (wr_len(&reply) > 0)
			f->cb->send(f, f->tx, wr_len(&reply));
		return 0;
	case FSM_EV_RXR:
		in->reply_len = wr_len(&reply);
		/* FALLTHROUGH */
	case FSM_EV_RXJ_PLUS:
	case FSM_EV_RXJ_MINUS:
		in->ev = ev;
		return 0;
	default:
		return ERR_RANGE;
	}
}

int
fsm_input(struct fsm *f, uint64_t now, const uint8_t *pkt, size_t len)
{
	struct fsm_in in = { .ev = FSM_EV_NONE };
	struct ppp_cp hdr;
	struct rd r, data;
	int ret;

	if (f->busy)
		return ERR_STATE;
	rd_init(&r, pkt, len);
	ret = ppp_cp_decode(&r, &hdr, &data);	/* Length checked, pad cut */
	if (ret == 0 && (f->state == FSM_INITIAL || f->state == FSM_STARTING))
		ret = ERR_STATE;	/* RFC 1661 4.1: every receive event
					 * is "-" while the lower layer is down;
					 * no callback sees the packet */
	if (ret != 0)
		goto out;

	in.id = hdr.id;
	f->busy = true;
	switch (hdr.code) {
	case PPP_CONF_REQ:
		if (f->state == FSM_OPENED && f->acked_valid &&
		    hdr.id == f->acked_id && rd_left(&data) == f->acked_len &&
		    fsm_hash(rd_cur(&data), rd_left(&data)) == f->acked_hash) {
			/* A retransmission of the request we Acked: our Ack
			 * was lost.  Ack it again, stay Opened. */
			f->stats.rx_req_retrans++;
			fsm_send_pkt(f, PPP_CONF_ACK, hdr.id, rd_cur(&data),
			    rd_left(&data));
			break;
		}
		ret = fsm_rx_conf_req(f, &data, &in);
		break;
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		ret = fsm_rx_conf_reply(f, hdr.code, &data, &in);
		break;
	case PPP_TERM_REQ:
	case PPP_TERM_ACK:
		in.ev = hdr.code == PPP_TERM_REQ ? FSM_EV_RTR : FSM_EV_RTA;
		break;
	case PPP_CODE_REJ:
		ret = fsm_rx_code_rej(f, &data, &in);
		break;
	default:
		ret = fsm_rx_extra(f, hdr.code, &data, pkt, hdr.length, &in);
		break;
	}
	if (ret == 0 && in.ev != FSM_EV_NONE)
		ret = fsm_run(f, now, &in);
	f->busy = false;
out:
	if (ret == ERR_STATE)
		f->stats.rx_state++;
	else if (ret == ERR_STALE)
		f->stats.rx_stale++;
	else if (ret < 0)
		f->stats.rx_malformed++;
	return ret;
}

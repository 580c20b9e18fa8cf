/*
 * test_fsm.c - the RFC 1661 automaton (src/ppp/fsm.c): every cell of the
 * section 4.1 table driven through the public API and checked against the
 * RFC; the Restart timer and counters (4.6); Identifier and option matching
 * (5.2-5.4); Code-Reject (5.6); two FSMs negotiating back to back, in any
 * open order and through loss and duplication; Max-Failure.
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "../src/ppp/fsm.h"
#include "../src/wire/ppp_cp.h"

#define T0		1000000u	/* ms; any start time */
#define RESTART_MS	1000
#define MAXC		10
#define MAXT		3
#define MAXF		5
#define SENTINEL	7	/* restart counter loaded before a cell fires */
#define QMAX		16

static const struct fsm_config tcfg = { .restart_ms = RESTART_MS,
	.max_configure = MAXC, .max_terminate = MAXT, .max_failure = MAXF };

/* A test peer: an fsm, what its callbacks saw, the packets it sent.  It
 * knows one option: type 1, length 3, a value octet. */
struct tp {
	struct fsm	f;
	char		log[256];	/* "scr,sca,tlu": actions, in order */
	int		judge;		/* fixed verdict, or 0: judge options */
	uint8_t		want_val;	/* configured value we ask for */
	bool		ask;		/* this negotiation: ask (reset, Reject) */
	uint8_t		ask_val;	/* ... this value (reset, Nak) */
	uint8_t		accept;		/* the value we Ack from the peer */
	bool		insist;		/* ignore Naks: a stubborn peer */
	bool		fail_build;
	unsigned	n_tlu, n_tld, n_tlf, n_scr, n_nak, n_rej;
	struct fsm	*reenter;	/* send calls fsm_input on this */
	int		reenter_ret;
	uint8_t		q[QMAX][FSM_PKT_MAX];	/* packets sent, a ring */
	size_t		qlen[QMAX];
	unsigned	qhead, qn;
	uint8_t		last[FSM_PKT_MAX];
	size_t		last_len;
};

static struct tp A, B;

static void
tp_log(struct tp *p, const char *what)
{
	size_t n = strlen(p->log);

	snprintf(p->log + n, sizeof(p->log) - n, "%s%s", n ? "," : "", what);
}

static struct tp *tp_of(struct fsm *f) { return f->ctx; }
static void cb_tlu(struct fsm *f) { tp_of(f)->n_tlu++; tp_log(f->ctx, "tlu"); }
static void cb_tld(struct fsm *f) { tp_of(f)->n_tld++; tp_log(f->ctx, "tld"); }
static void cb_tls(struct fsm *f) { tp_log(f->ctx, "tls"); }
static void cb_tlf(struct fsm *f) { tp_of(f)->n_tlf++; tp_log(f->ctx, "tlf"); }

static void
cb_reset(struct fsm *f)
{
	struct tp *p = f->ctx;

	p->ask = true;
	p->ask_val = p->want_val;
}

static int
cb_build(struct fsm *f, struct wr *w)
{
	struct tp *p = f->ctx;

	return p->fail_build ? ERR_NOSPACE :
	    p->ask ? ppp_opt_put(w, 1, &p->ask_val, 1) : 0;
}

/* Acks option 1 = accept, Naks it otherwise (Rejects once Max-Failure is
 * reached), Rejects anything else.  (Our peers send one option at most, so
 * a Nak and a Reject never meet in one reply.) */
static int
cb_judge(struct fsm *f, struct rd *opts, struct wr *reply)
{
	struct tp *p = f->ctx;
	int ret, verdict = p->judge != 0 ? p->judge : PPP_CONF_ACK;
	struct ppp_opt o;
	uint8_t v;

	while (p->judge == 0 && (ret = ppp_opt_next(opts, &o)) != PPP_OPT_END) {
		if (ret != 0)
			return ret;
		if (o.type == 1 && o.len == 3 && rd_u8(&o.val, &v) == 0 &&
		    v == p->accept)
			continue;
		if (o.type != 1 || o.len != 3 || fsm_nak_exhausted(f)) {
			ppp_opt_put(reply, o.type, o.val.buf, o.val.len);
			verdict = PPP_CONF_REJ;
		} else
			verdict = PPP_CONF_NAK;
	}
	if (verdict == PPP_CONF_NAK)
		ppp_opt_put(reply, 1, &p->accept, 1);
	return verdict;
}

/* got_nak and got_rej: take the peer's value, or drop the option. */
static int
cb_got(struct fsm *f, struct rd *opts, bool rej)
{
	struct tp *p = f->ctx;
	struct ppp_opt o;
	uint8_t v8;
	int ret;

	while ((ret = ppp_opt_next(opts, &o)) != PPP_OPT_END) {
		if (ret != 0)
			return ret;
		if (o.type == 1 && rej)
			p->ask = false;
		else if (o.type == 1 && !p->insist && rd_u8(&o.val, &v8) == 0)
			p->ask_val = v8;
	}
	return 0;
}

static int cb_got_nak(struct fsm *f, struct rd *o) { return cb_got(f, o, false); }
static int cb_got_rej(struct fsm *f, struct rd *o) { return cb_got(f, o, true); }

static int
cb_extra(struct fsm *f, uint8_t code, uint8_t id, struct rd *data,
    enum fsm_event *ev, struct wr *reply)
{
	(void)f;
	(void)data;
	switch (code) {
	case PPP_ECHO_REQ:		/* ser sends this, in Opened only */
		*ev = FSM_EV_RXR;
		return ppp_cp_encode(reply, PPP_ECHO_REP, id, "\1\2\3\4", 4);
	case PPP_ECHO_REP:
		*ev = FSM_EV_RXR;
		return 0;
	case PPP_PROTO_REJ:
		*ev = FSM_EV_RXJ_MINUS;
		return 0;
	case PPP_IDENT:			/* handled, nothing to say */
		return 0;
	case PPP_RESET_REQ:		/* handled, answered at once */
		return ppp_cp_encode(reply, PPP_RESET_ACK, id, NULL, 0);
	case 0x30:
		return ERR_FORMAT;
	default:
		return ERR_CODE;
	}
}

static void
cb_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	static const char *const names[16] = {
		[1] = "scr", [2] = "sca", [3] = "scn", [4] = "scn", [5] = "str",
		[6] = "sta", [7] = "scj", [10] = "ser", [15] = "reset-ack",
	};
	struct tp *p = f->ctx;
	unsigned at = (p->qhead + p->qn) % QMAX;

	CHECK(len >= FSM_HDR_LEN && len <= f->cfg.max_pkt);
	CHECK_EQ((size_t)(pkt[2] << 8 | pkt[3]), len);
	tp_log(p, pkt[0] < 16 && names[pkt[0]] ? names[pkt[0]] : "tx?");
	p->n_scr += pkt[0] == PPP_CONF_REQ;
	p->n_nak += pkt[0] == PPP_CONF_NAK;
	p->n_rej += pkt[0] == PPP_CONF_REJ;
	memcpy(p->last, pkt, len);
	p->last_len = len;
	if (p->qn < QMAX) {
		memcpy(p->q[at], pkt, len);
		p->qlen[at] = len;
		p->qn++;
	}
	if (p->reenter != NULL)
		p->reenter_ret = fsm_input(p->reenter, 0, pkt, len);
}

static const struct fsm_callbacks tp_cb = {
	.tlu = cb_tlu, .tld = cb_tld, .tls = cb_tls, .tlf = cb_tlf,
	.reset = cb_reset, .build_req = cb_build, .judge_req = cb_judge,
	.got_nak = cb_got_nak, .got_rej = cb_got_rej,
	.extra_code = cb_extra, .send = cb_send,
};

static void
tp_init(struct tp *p, const struct fsm_config *cfg)
{
	memset(p, 0, sizeof(*p));
	p->ask = true;
	p->want_val = p->ask_val = p->accept = 9;
	CHECK_OK(fsm_init(&p->f, PPP_IPCP, "test", &tp_cb, cfg, p));
}

/* Hands p a packet: code, id, a correct Length, data. */
static int
rx_pkt(struct tp *p, uint64_t now, uint8_t code, uint8_t id,
    const void *data, size_t n)
{
	uint8_t pkt[FSM_PKT_MAX + 16] = { code, id, (uint8_t)((n + 4) >> 8),
	    (uint8_t)(n + 4) };

	if (n > 0)
		memcpy(pkt + 4, data, n);
	return fsm_input(&p->f, now, pkt, n + 4);
}

static int
rx_hex(struct tp *p, const char *hex)
{
	uint8_t pkt[256];
	int n = t_unhex(hex, pkt, sizeof(pkt));

	CHECK(n >= 0);
	return fsm_input(&p->f, T0, pkt, (size_t)n);
}

/* Acks p's outstanding Configure-Request exactly. */
static int
ack_ours(struct tp *p, uint64_t now)
{
	return rx_pkt(p, now, PPP_CONF_ACK, p->f.req_id,
	    p->f.req + FSM_HDR_LEN, p->f.req_len - FSM_HDR_LEN);
}

/* True if p's last packet is the hex given. */
static bool
sent(const struct tp *p, const char *hex)
{
	uint8_t want[64];
	int n = t_unhex(hex, want, sizeof(want));

	return n >= 0 && p->last_len == (size_t)n &&
	    memcmp(p->last, want, (size_t)n) == 0;
}

static const uint8_t good_req[] = { 1, 3, 9 };

/* Brings p from Initial to st by the public API only, then forgets what
 * the callbacks saw. */
static void
reach(struct tp *p, enum fsm_state st)
{
	struct fsm *f = &p->f;

	if (st >= FSM_CLOSED)
		fsm_up(f, T0);
	if (st != FSM_INITIAL && st != FSM_CLOSED)
		fsm_open(f, T0);
	if (st == FSM_STOPPED)
		fsm_protocol_rejected(f, T0);
	if (st == FSM_CLOSING || st == FSM_STOPPING)
		fsm_close(f, T0, "bye");
	if (st == FSM_STOPPING)
		fsm_open(f, T0);
	if (st == FSM_ACK_SENT || st == FSM_OPENED)
		CHECK_OK(rx_pkt(p, T0, PPP_CONF_REQ, 0x40, good_req, 3));
	if (st == FSM_ACK_RCVD || st == FSM_OPENED)
		CHECK_OK(ack_ours(p, T0));
	CHECK_EQ(f->state, st);
	p->log[0] = '\0';
	p->qn = p->qhead = 0;
	p->last_len = 0;
}

/* --- the table, cell by cell --- */

struct row {
	int		 n;		/* event * 10 + state + 1 */
	enum fsm_state	 st;
	enum fsm_event	 ev;
	const char	*cell;		/* as printed in RFC 1661 4.1 */
};

/* One line of one half of the RFC's table: an event and 6 or 4 cells. */
struct rfc_line {
	enum fsm_event	 ev;
	enum fsm_state	 st0;		/* the first column */
	const char	*cell[6];
};
#define L(ev, ...)	{ FSM_EV_##ev, FSM_INITIAL, { __VA_ARGS__ } }
#define H(ev, ...)	{ FSM_EV_##ev, FSM_REQ_SENT, { __VA_ARGS__ } }

/*
 * RFC 1661 section 4.1, laid out as the RFC prints it (states 0-5, then
 * 6-9) so it can be held against the RFC line by line; each cell is a row
 * of its own, numbered event * 10 + state + 1.  "actions/next"; "-" is
 * impossible; footnotes [p] passive, [r] restart, [x] crossed connection
 * (taken as printed, without the options; see fsm.h).
 */
static const struct rfc_line rfc1661_4_1[] = {
	/*          Initial  Starting     Closed       Stopped          Closing  Stopping */
	L(UP,       "2",     "irc,scr/6", "-",         "-",             "-",     "-"),
	L(DOWN,     "-",     "-",         "0",         "tls/1",         "0",     "1"),
	L(OPEN,     "tls/1", "1",         "irc,scr/6", "3r",            "5r",    "5r"),
	L(CLOSE,    "0",     "tlf/0",     "2",         "2",             "4",     "4"),
	L(TO_PLUS,  "-",     "-",         "-",         "-",             "str/4", "str/5"),
	L(TO_MINUS, "-",     "-",         "-",         "-",             "tlf/2", "tlf/3"),
	L(RCR_PLUS, "-",     "-",         "sta/2",     "irc,scr,sca/8", "4",     "5"),
	L(RCR_MINUS,"-",     "-",         "sta/2",     "irc,scr,scn/6", "4",     "5"),
	L(RCA,      "-",     "-",         "sta/2",     "sta/3",         "4",     "5"),
	L(RCN,      "-",     "-",         "sta/2",     "sta/3",         "4",     "5"),
	L(RTR,      "-",     "-",         "sta/2",     "sta/3",         "sta/4", "sta/5"),
	L(RTA,      "-",     "-",         "2",         "3",             "tlf/2", "tlf/3"),
	L(RUC,      "-",     "-",         "scj/2",     "scj/3",         "scj/4", "scj/5"),
	L(RXJ_PLUS, "-",     "-",         "2",         "3",             "4",     "5"),
	L(RXJ_MINUS,"-",     "-",         "tlf/2",     "tlf/3",         "tlf/2", "tlf/3"),
	L(RXR,      "-",     "-",         "2",         "3",             "4",     "5"),
	/*          Req-Sent     Ack-Rcvd     Ack-Sent     Opened */
	H(UP,       "-",         "-",         "-",         "-"),
	H(DOWN,     "1",         "1",         "1",         "tld/1"),
	H(OPEN,     "6",         "7",         "8",         "9r"),
	H(CLOSE,    "irc,str/4", "irc,str/4", "irc,str/4", "tld,irc,str/4"),
	H(TO_PLUS,  "scr/6",     "scr/6",     "scr/8",     "-"),
	H(TO_MINUS, "tlf/3p",    "tlf/3p",    "tlf/3p",    "-"),
	H(RCR_PLUS, "sca/8",     "sca,tlu/9", "sca/8",     "tld,scr,sca/8"),
	H(RCR_MINUS,"scn/6",     "scn/7",     "scn/6",     "tld,scr,scn/6"),
	H(RCA,      "irc/7",     "scr/6x",    "irc,tlu/9", "tld,scr/6x"),
	H(RCN,      "irc,scr/6", "scr/6x",    "irc,scr/8", "tld,scr/6x"),
	H(RTR,      "sta/6",     "sta/6",     "sta/6",     "tld,zrc,sta/5"),
	H(RTA,      "6",         "6",         "8",         "tld,scr/6"),
	H(RUC,      "scj/6",     "scj/7",     "scj/8",     "scj/9"),
	H(RXJ_PLUS, "6",         "6",         "8",         "9"),
	H(RXJ_MINUS,"tlf/3",     "tlf/3",     "tlf/3",     "tld,irc,str/5"),
	H(RXR,      "6",         "7",         "8",         "ser/9"),
};

/* The packet that makes each receive event; ids tell the replies apart. */
static const struct {
	uint8_t	code, id, n, data[4];
} ev_pkt[FSM_NEVENTS] = {
	[FSM_EV_RCR_PLUS]	= { PPP_CONF_REQ, 0x42, 3, { 1, 3, 9 } },
	[FSM_EV_RCR_MINUS]	= { PPP_CONF_REQ, 0x42, 3, { 1, 3, 9 } },
	[FSM_EV_RCA]		= { PPP_CONF_ACK, 0x42, 3, { 1, 3, 9 } },
	[FSM_EV_RCN]		= { PPP_CONF_NAK, 0x42, 3, { 1, 3, 7 } },
	[FSM_EV_RTR]		= { PPP_TERM_REQ, 0x43, 0, { 0 } },
	[FSM_EV_RTA]		= { PPP_TERM_ACK, 0x44, 0, { 0 } },
	[FSM_EV_RUC]		= { 0x20, 0x45, 2, { 0xaa, 0xbb } },
	[FSM_EV_RXJ_PLUS]	= { PPP_CODE_REJ, 0x46, 4, { 9, 1, 0, 4 } },
	[FSM_EV_RXJ_MINUS]	= { PPP_CODE_REJ, 0x47, 4, { 1, 1, 0, 4 } },
	[FSM_EV_RXR]		= { PPP_ECHO_REQ, 0x48, 4, { 0 } },
};

/* Fires ev at p the way it arrives in life: an API call, the Restart timer
 * or a packet.  Injected only: [x] RCA/RCN, which fsm_input never produces
 * (see fsm.h), and a timeout in a state without a timer. */
static int
fire(struct tp *p, enum fsm_event ev, uint64_t *now)
{
	struct fsm *f = &p->f;
	bool waiting = f->state == FSM_REQ_SENT || f->state == FSM_ACK_SENT;
	bool answered = f->state == FSM_ACK_RCVD || f->state == FSM_OPENED;

	switch (ev) {
	case FSM_EV_UP:
		return fsm_up(f, *now);
	case FSM_EV_DOWN:
		return fsm_down(f, *now);
	case FSM_EV_OPEN:
		return fsm_open(f, *now);
	case FSM_EV_CLOSE:
		return fsm_close(f, *now, "bye");
	case FSM_EV_TO_PLUS:
	case FSM_EV_TO_MINUS:
		if (fsm_deadline(f) == UINT64_MAX)
			return fsm_event(f, *now, ev);
		*now = fsm_deadline(f);
		return fsm_timeout(f, *now);
	case FSM_EV_RCA:
	case FSM_EV_RCN:
		if (answered)
			return fsm_event(f, *now, ev);
		if (waiting)
			return ev == FSM_EV_RCA ? ack_ours(p, *now) : rx_pkt(p,
			    *now, PPP_CONF_NAK, f->req_id, ev_pkt[ev].data, 3);
		break;
	default:
		p->judge = ev == FSM_EV_RCR_PLUS ? PPP_CONF_ACK : PPP_CONF_NAK;
		break;
	}
	return rx_pkt(p, *now, ev_pkt[ev].code, ev_pkt[ev].id, ev_pkt[ev].data,
	    ev_pkt[ev].n);
}

#define RCHECK(cond)							\
	t_check((cond), __FILE__, __LINE__, "row %d (%s, %s, \"%s\"): %s",	\
	    r->n, fsm_state_name(r->st), fsm_event_name(r->ev), r->cell, #cond)

/*
 * One row: the table's cell must hold the RFC's actions, next state and
 * footnote; firing the event must run exactly the visible actions in order
 * (callbacks and packets; irc and zrc show in the counter), land in the
 * next state, leave the counter as irc/zrc/scr/str make it, and run the
 * timer as scr/str/zrc and the next state say.
 */
static void
check_row(const struct row *r)
{
	const struct fsm_cell *c = fsm_cell(r->ev, r->st);
	char acts[32] = "", vis[32] = "", tab[32] = "", *tok, *save;
	const char *slash = strchr(r->cell, '/'), *tail;
	unsigned cnt = r->ev == FSM_EV_TO_MINUS ? 0 : SENTINEL;
	uint64_t now = T0 + 10, before;
	bool restarts = false;
	int next, ret;
	size_t i;

	tp_init(&A, &tcfg);
	reach(&A, r->st);
	A.f.restart = cnt;
	before = fsm_deadline(&A.f);
	ret = fire(&A, r->ev, &now);
	for (i = 0; i < FSM_CELL_ACTS && c->act[i] != FSM_ACT_NONE; i++)
		snprintf(tab + strlen(tab), sizeof(tab) - strlen(tab), "%s%s",
		    i ? "," : "", fsm_action_name((enum fsm_action)c->act[i]));
	if (strcmp(r->cell, "-") == 0) {
		RCHECK(c->flags == FSM_CELL_IMPOSSIBLE);
		RCHECK(ret == ERR_STATE && A.log[0] == '\0');
		RCHECK(A.f.state == r->st && fsm_deadline(&A.f) == before);
		return;
	}
	if (slash != NULL)
		memcpy(acts, r->cell, (size_t)(slash - r->cell));
	tail = slash != NULL ? slash + 1 : r->cell;
	next = tail[0] - '0';
	RCHECK(c->flags == (FSM_CELL_OK | (tail[1] == 'p' ? FSM_CELL_PASSIVE :
	    tail[1] == 'r' ? FSM_CELL_RESTART :
	    tail[1] == 'x' ? FSM_CELL_CROSSED : 0)));
	RCHECK(strcmp(tab, acts) == 0 && c->next == next);
	RCHECK(ret == 0 && (int)A.f.state == next);
	for (tok = strtok_r(acts, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "irc") == 0 || strcmp(tok, "zrc") == 0) {
			cnt = tok[0] == 'z' ? 0 : next == FSM_CLOSING ||
			    next == FSM_STOPPING ? MAXT : MAXC;
			restarts |= tok[0] == 'z';
			continue;
		}
		if (strcmp(tok, "scr") == 0 || strcmp(tok, "str") == 0) {
			cnt = cnt > 0 ? cnt - 1 : 0;
			restarts = true;
		}
		snprintf(vis + strlen(vis), sizeof(vis) - strlen(vis), "%s%s",
		    vis[0] ? "," : "", tok);
	}
	t_check(strcmp(A.log, vis) == 0, __FILE__, __LINE__,
	    "row %d (%s, %s): actions \"%s\", want \"%s\"", r->n,
	    fsm_state_name(r->st), fsm_event_name(r->ev), A.log, vis);
	RCHECK(A.f.restart == cnt);
	if (strstr(vis, "sta") || strstr(vis, "sca") || strstr(vis, "scn"))
		RCHECK(A.last[1] == ev_pkt[r->ev].id);	/* the answer's id */
	RCHECK(fsm_deadline(&A.f) == (!fsm_state_has_timer((enum fsm_state)next)
	    ? UINT64_MAX : restarts ? now + RESTART_MS : before));
}

TEST(fsm_table_every_cell_as_rfc1661_4_1)
{
	const struct rfc_line *l;
	int seen[FSM_NEVENTS * FSM_NSTATES] = { 0 };
	struct row r;
	size_t i, k;

	for (i = 0; i < sizeof(rfc1661_4_1) / sizeof(rfc1661_4_1[0]); i++) {
		l = &rfc1661_4_1[i];
		for (k = 0; k < (l->st0 == FSM_INITIAL ? 6u : 4u); k++) {
			r.st = (enum fsm_state)(l->st0 + (int)k);
			r.ev = l->ev;
			r.cell = l->cell[k];
			r.n = (int)r.ev * FSM_NSTATES + (int)r.st + 1;
			seen[r.n - 1]++;
			check_row(&r);
		}
	}
	for (i = 0; i < FSM_NEVENTS * FSM_NSTATES; i++)
		CHECK_EQ(seen[i], 1);		/* 160 rows, each cell once */
}

/* --- replies, identifiers, discards --- */

TEST(fsm_replies_and_extra_codes)
{
	tp_init(&A, &tcfg);
	reach(&A, FSM_REQ_SENT);	/* Ack: the options verbatim, no pad */
	CHECK_OK(rx_hex(&A, "01 51 00 07 01 03 09 ee ee"));
	CHECK(sent(&A, "02 51 00 07 01 03 09"));
	CHECK_OK(rx_hex(&A, "01 52 00 08 02 04 00 00"));	/* unknown */
	CHECK(sent(&A, "04 52 00 08 02 04 00 00"));
	CHECK_OK(rx_hex(&A, "01 53 00 07 01 03 05"));	/* not ours: Nak */
	CHECK(sent(&A, "03 53 00 07 01 03 09"));
	CHECK_EQ(A.f.state, FSM_REQ_SENT);
	CHECK_OK(fsm_close(&A.f, T0, "admin"));
	CHECK(A.last_len == 9 && A.last[0] == PPP_TERM_REQ);
	CHECK_MEM(A.last + 4, "admin", 5);
	tp_init(&A, &tcfg);		/* codes beyond 7, via extra_code */
	reach(&A, FSM_OPENED);
	CHECK_OK(rx_hex(&A, "0a 02 00 08 00 00 00 00"));	/* RXR, no reply */
	CHECK_OK(rx_hex(&A, "0c 03 00 06 4d 53"));		/* Ident */
	CHECK_STR(A.log, "");
	CHECK_OK(rx_hex(&A, "0e 04 00 04"));			/* Reset-Req */
	CHECK(sent(&A, "0f 04 00 04"));
	CHECK_ERR(rx_hex(&A, "30 05 00 04"), ERR_FORMAT);
	CHECK_EQ(A.f.stats.rx_malformed, 1);
	CHECK_OK(rx_hex(&A, "08 06 00 06 80 21"));		/* Proto-Rej */
	CHECK_STR(A.log, "reset-ack,tld,str");
	CHECK_EQ(A.f.state, FSM_STOPPING);
}

TEST(fsm_ack_must_match_id_and_options)
{
	tp_init(&A, &tcfg);
	reach(&A, FSM_REQ_SENT);		/* our request: 01 01 00 07 01 03 09 */
	CHECK_EQ(A.f.req_id, 1);
	CHECK_ERR(rx_hex(&A, "02 02 00 07 01 03 09"), ERR_STALE);
	CHECK_ERR(rx_hex(&A, "03 00 00 07 01 03 07"), ERR_STALE);
	CHECK_ERR(rx_hex(&A, "02 01 00 07 01 03 08"), ERR_OPTION);	/* 5.2 */
	CHECK_ERR(rx_hex(&A, "02 01 00 06 01 03 09"), ERR_OPTION);
	CHECK(A.f.state == FSM_REQ_SENT && A.log[0] == '\0');
	CHECK_EQ(A.f.stats.rx_stale, 2);
	CHECK_OK(rx_hex(&A, "02 01 00 07 01 03 09 00"));	/* pad ignored */
	CHECK_EQ(A.f.state, FSM_ACK_RCVD);
	/* the same Ack again (our retransmission answered twice) is not a
	 * crossed connection: discarded */
	CHECK_ERR(rx_hex(&A, "02 01 00 07 01 03 09"), ERR_STALE);
	CHECK_ERR(rx_hex(&A, "04 01 00 07 01 03 09"), ERR_STALE);
	CHECK(A.f.state == FSM_ACK_RCVD && A.log[0] == '\0');
}

TEST(fsm_code_reject_carries_the_packet_cut_to_max_pkt)
{
	uint8_t big[300];
	size_t i;

	tp_init(&A, NULL);
	reach(&A, FSM_OPENED);
	CHECK_OK(rx_hex(&A, "20 09 00 06 aa bb cc dd"));	/* 2 octets pad */
	CHECK(sent(&A, "07 02 00 0a 20 09 00 06 aa bb"));
	CHECK_EQ(A.f.state, FSM_OPENED);
	fsm_set_max_pkt(&A.f, 100);		/* the peer's MRU */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	CHECK_OK(rx_pkt(&A, T0, 0x21, 0x10, big, sizeof(big)));
	CHECK(A.last_len == 100 && (A.last[2] << 8 | A.last[3]) == 100);
	CHECK_MEM(A.last + 4, "\x21\x10\x01\x30", 4);
	CHECK_MEM(A.last + 8, big, 92);
	fsm_set_max_pkt(&A.f, 1);
	CHECK_EQ(A.f.cfg.max_pkt, FSM_PKT_MIN);
	fsm_set_max_pkt(&A.f, 100000);
	CHECK_EQ(A.f.cfg.max_pkt, FSM_PKT_MAX);
}

TEST(fsm_discards_bad_packets_and_bad_calls)
{
	tp_init(&A, &tcfg);
	CHECK_ERR(rx_hex(&A, "01 01 00 04"), ERR_STATE);	/* Initial */
	reach(&A, FSM_REQ_SENT);
	CHECK_ERR(fsm_input(&A.f, T0, NULL, 0), ERR_TRUNCATED);
	CHECK_ERR(rx_hex(&A, "01 02 00"), ERR_TRUNCATED);
	CHECK_ERR(rx_hex(&A, "01 02 00 03"), ERR_LENGTH);
	CHECK_ERR(rx_hex(&A, "01 02 00 09 01 03 09"), ERR_LENGTH);
	CHECK_ERR(rx_hex(&A, "07 02 00 04"), ERR_TRUNCATED);
	CHECK_ERR(rx_hex(&A, "01 02 00 05 01"), ERR_OPTION);	/* judge */
	A.judge = 42;
	CHECK_ERR(rx_hex(&A, "01 02 00 04"), ERR_RANGE);
	CHECK(A.f.state == FSM_REQ_SENT && A.log[0] == '\0');
	CHECK_EQ(A.f.stats.rx_malformed, 7);
	CHECK_EQ(A.f.stats.rx_state, 1);
	A.reenter = &A.f;			/* callbacks cannot re-enter */
	CHECK_OK(fsm_close(&A.f, T0, NULL));
	CHECK_ERR(A.reenter_ret, ERR_STATE);
	CHECK(A.f.state == FSM_CLOSING && !A.f.busy);
	CHECK_ERR(fsm_event(&A.f, T0, FSM_EV_NONE), ERR_INVAL);
	CHECK_ERR(fsm_init(&A.f, PPP_LCP, "x", NULL, NULL, NULL), ERR_INVAL);
	CHECK(fsm_cell(FSM_NEVENTS, 0) == NULL && fsm_cell(0, FSM_NSTATES) == NULL);
	CHECK_STR(fsm_state_name(FSM_REQ_SENT), "Req-Sent");
	CHECK_STR(fsm_event_name(FSM_EV_RXJ_MINUS), "RXJ-");
	CHECK_STR(fsm_action_name(FSM_ACT_ZRC), "zrc");
	CHECK(*fsm_state_name(FSM_NSTATES) == '?' && *fsm_event_name(FSM_EV_NONE)
	    == '?' && *fsm_action_name(FSM_NACTIONS) == '?');
}

/* --- the Restart timer and counters (RFC 1661 4.6) --- */

TEST(fsm_timer_repeats_the_identical_request_then_gives_up)
{
	uint8_t first[64];
	uint64_t now = T0;
	unsigned i;

	tp_init(&A, &tcfg);
	reach(&A, FSM_REQ_SENT);
	memcpy(first, A.f.req, A.f.req_len);
	CHECK_EQ(fsm_deadline(&A.f), T0 + RESTART_MS);
	CHECK_OK(fsm_timeout(&A.f, T0 + RESTART_MS - 1));	/* too early */
	CHECK(A.log[0] == '\0' && fsm_deadline(&A.f) == T0 + RESTART_MS);
	for (i = 2; i <= MAXC; i++) {
		now = fsm_deadline(&A.f);
		CHECK_OK(fsm_timeout(&A.f, now));
		CHECK_EQ(A.n_scr, i);
		CHECK_MEM(A.last, first, A.last_len);	/* same Identifier */
		CHECK_EQ(fsm_deadline(&A.f), now + RESTART_MS);
	}
	CHECK_EQ(A.f.restart, 0);
	CHECK_OK(fsm_timeout(&A.f, fsm_deadline(&A.f)));	/* TO- */
	CHECK(A.f.state == FSM_STOPPED && A.n_tlf == 1);
	CHECK_EQ(A.n_scr, MAXC);		/* Max-Configure in all */
	CHECK_EQ(fsm_deadline(&A.f), UINT64_MAX);
	CHECK_OK(fsm_timeout(&A.f, UINT64_MAX - 1));
	CHECK_EQ(A.n_scr, MAXC);
	tp_init(&A, &tcfg);		/* after a valid reply: a new id */
	reach(&A, FSM_ACK_RCVD);
	CHECK_OK(fsm_timeout(&A.f, fsm_deadline(&A.f)));	/* scr/6 */
	CHECK(A.f.state == FSM_REQ_SENT && A.last[1] == 2 && A.f.req_id == 2);
	tp_init(&A, &tcfg);		/* a request that could not be built */
	A.fail_build = true;
	reach(&A, FSM_REQ_SENT);
	CHECK(A.f.stats.tx_build_err == 1 && fsm_deadline(&A.f) != UINT64_MAX);
	CHECK_ERR(rx_hex(&A, "02 01 00 04"), ERR_STALE);
	A.fail_build = false;
	CHECK_OK(fsm_timeout(&A.f, fsm_deadline(&A.f)));	/* TO+ builds */
	CHECK_STR(A.log, "scr");
	CHECK_OK(ack_ours(&A, T0));
	CHECK_EQ(A.f.state, FSM_ACK_RCVD);
}

TEST(fsm_timer_terminate_request_with_defaults)
{
	unsigned n = 0;

	tp_init(&A, NULL);
	CHECK(A.f.cfg.restart_ms == 3000 && A.f.cfg.max_configure == 10 &&
	    A.f.cfg.max_terminate == 2 && A.f.cfg.max_failure == 5 &&
	    A.f.cfg.max_pkt == 1500);
	reach(&A, FSM_OPENED);
	CHECK_OK(fsm_close(&A.f, T0, "bye"));
	while (A.f.state == FSM_CLOSING && n++ < 10)
		CHECK_OK(fsm_timeout(&A.f, fsm_deadline(&A.f)));
	CHECK_STR(A.log, "tld,str,str,tlf");	/* Max-Terminate = 2 */
	CHECK_EQ(A.f.state, FSM_CLOSED);
}

/* --- two FSMs back to back --- */

static uint32_t rng_state;

static uint32_t
rng(void)				/* xorshift32 */
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	return rng_state ^= rng_state << 5;
}

struct link {
	unsigned	drop_pct, dup_pct, timeouts;
};

/* Moves the oldest packet src sent into dst, maybe dropped or doubled. */
static bool
pump_one(struct tp *src, struct tp *dst, uint64_t now, struct link *l)
{
	unsigned h = src->qhead;

	if (src->qn == 0)
		return false;
	if (rng() % 100 >= l->drop_pct)
		(void)fsm_input(&dst->f, now, src->q[h], src->qlen[h]);
	if (rng() % 100 < l->dup_pct)
		(void)fsm_input(&dst->f, now, src->q[h], src->qlen[h]);
	src->qhead = (h + 1) % QMAX;
	src->qn--;
	return true;
}

/* Runs A and B until nothing is in flight and no timer runs, or for
 * max_steps; returns the steps taken. */
static unsigned
pump(uint64_t *now, struct link *l, unsigned max_steps)
{
	unsigned steps;
	uint64_t da, db;
	bool moved;

	for (steps = 0; steps < max_steps; steps++) {
		moved = pump_one(&A, &B, *now, l);	/* A first, always */
		if (pump_one(&B, &A, *now, l) || moved)
			continue;
		da = fsm_deadline(&A.f);
		db = fsm_deadline(&B.f);
		if (da == UINT64_MAX && db == UINT64_MAX)
			break;
		*now = da < db ? da : db;
		CHECK_OK(fsm_timeout(&A.f, *now));
		CHECK_OK(fsm_timeout(&B.f, *now));
		l->timeouts++;
	}
	return steps;
}

/* Orders: 0 A opens, B a little later; 1 B first; 2 both at once; 3 B's
 * lower layer comes up only after A gave up. */
static void
pair_open(int order, uint64_t *now, struct link *l)
{
	if (order != 3)
		fsm_up(&B.f, *now);
	if (order == 1 || order == 2)
		fsm_open(&B.f, *now);
	fsm_up(&A.f, *now);
	fsm_open(&A.f, *now);
	if (order == 0)
		pump(now, l, 3);
	if (order == 3) {
		CHECK(pump(now, l, 1000) < 1000);
		CHECK(A.f.state == FSM_STOPPED && A.n_tlf == 1);
		fsm_up(&B.f, *now);
	}
	if (order == 0 || order == 3)
		fsm_open(&B.f, *now);
	CHECK(pump(now, l, 10000) < 10000);
}

TEST(fsm_pair_opens_in_any_order_and_closes_from_either_side)
{
	struct link l = { 0, 0, 0 };
	uint64_t now = T0;
	int order, side;
	struct tp *c, *o;

	for (order = 0; order < 4; order++)
		for (side = 0; side < 2; side++) {
			tp_init(&A, &tcfg);
			tp_init(&B, &tcfg);
			pair_open(order, &now, &l);
			t_note("order %d side %d", order, side);
			CHECK(A.f.state == FSM_OPENED && B.f.state == FSM_OPENED);
			CHECK(A.n_tlu == 1 && B.n_tlu == 1);
			c = side ? &B : &A;
			o = side ? &A : &B;
			CHECK_OK(fsm_close(&c->f, now, "admin"));
			CHECK(pump(&now, &l, 1000) < 1000);
			CHECK_EQ(c->f.state, FSM_CLOSED);	/* RTA: tlf/2 */
			CHECK_EQ(o->f.state, FSM_STOPPED);	/* zrc, TO- */
			CHECK(c->n_tld == 1 && o->n_tld == 1);
			CHECK_EQ(A.n_tlf, order == 3 ? 2 : 1);
			CHECK_EQ(B.n_tlf, 1);
		}
}

TEST(fsm_pair_converges_through_loss_and_duplication)
{
	struct link l = { 25, 10, 0 };
	uint64_t now = T0;
	uint32_t seed;

	for (seed = 1; seed <= 64; seed++) {
		rng_state = seed * 2654435761u;
		l.timeouts = 0;
		tp_init(&A, &tcfg);
		tp_init(&B, &tcfg);
		pair_open(2, &now, &l);
		t_note("seed %u", seed);
		CHECK(A.f.state == FSM_OPENED && B.f.state == FSM_OPENED);
		CHECK(A.n_tlu - A.n_tld == 1 && B.n_tlu - B.n_tld == 1);
		CHECK(l.timeouts <= 2 * MAXC);
		CHECK_OK(fsm_close(&A.f, now, NULL));	/* A always gets out */
		CHECK(pump(&now, &l, 10000) < 10000);
		CHECK_EQ(A.f.state, FSM_CLOSED);
		CHECK(B.f.state == FSM_STOPPED || B.f.state == FSM_OPENED);
	}
}

TEST(fsm_pair_nak_loop_turns_into_reject_after_max_failure)
{
	struct link l = { 0, 0, 0 };
	uint64_t now = T0;
	int insist;

	for (insist = 1; insist >= 0; insist--) {
		tp_init(&A, &tcfg);
		tp_init(&B, &tcfg);
		B.want_val = 5;			/* A Acks 9 only */
		B.insist = insist;		/* ... and B will not move */
		pair_open(2, &now, &l);
		CHECK(A.f.state == FSM_OPENED && B.f.state == FSM_OPENED);
		CHECK_EQ(A.n_nak, insist ? MAXF : 1);
		CHECK_EQ(A.n_rej, insist ? 1 : 0);
		CHECK_EQ(B.ask, !insist);	/* dropped after the Reject */
		CHECK_EQ(B.ask_val, insist ? 5 : 9);
		CHECK(!fsm_nak_exhausted(&A.f));	/* the Ack reset it */
	}
}

/* fuzz_fsm.c - the RFC 1661 automaton under arbitrary events, time steps and packets (an op's
 * high bits steer the callbacks): the state stays valid, the timer runs exactly in the timer
 * states and at most restart_ms ahead, every packet sent is well formed and fits max_pkt. */
#include "fuzz_common.h"
#include "../src/ppp/fsm.h"
#include "../src/wire/ppp_cp.h"

static unsigned k;	/* the current op's high bits */
static void fz_send(struct fsm *f, const uint8_t *p, size_t n)
{ FUZZ_ASSERT(n >= 4 && n <= f->cfg.max_pkt && (size_t)(p[2] << 8 | p[3]) == n); }
static int fz_judge(struct fsm *f, struct rd *o, struct wr *r)	/* 5: a bad verdict */
{ wr_bytes(r, rd_cur(o), rd_left(o)); return fsm_nak_exhausted(f) ? PPP_CONF_REJ : 2 + k % 4; }
static int fz_got(struct fsm *f, struct rd *o) { (void)f, (void)o; return k & 8 ? ERR_OPTION : 0; }
static int fz_extra(struct fsm *f, uint8_t c, uint8_t id, struct rd *d, enum fsm_event *ev,
    struct wr *r)	/* Echo-Request: RXR, reply; Reset-Request: reply; Protocol-Reject */
{
	(void)f, (void)d, *ev = c == PPP_ECHO_REQ ? FSM_EV_RXR : c == PPP_RESET_REQ ?
	    FSM_EV_NONE : k & 2 ? FSM_EV_RXJ_MINUS : FSM_EV_RXJ_PLUS;
	return c == PPP_ECHO_REQ || c == PPP_RESET_REQ ? ppp_cp_encode(r, c + 1, id, NULL, 0) :
	    c == PPP_PROTO_REJ ? 0 : ERR_CODE;
}
static const struct fsm_callbacks cb = { .judge_req = fz_judge, .got_ack = fz_got,
	.got_nak = fz_got, .got_rej = fz_got, .extra_code = fz_extra, .send = fz_send };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fsm f;
	struct fsm_config cfg = { .restart_ms = 100, .max_pkt = 64 + size % 1500 };
	size_t i = 0, n, op;
	uint64_t now = 0;

	FUZZ_ASSERT(fsm_init(&f, PPP_LCP, "fz", &cb, &cfg, NULL) == 0);
	while (i < size) {
		k = (op = data[i++]) >> 3;
		if ((op & 6) == 4)	/* a time step, or (5) straight to the deadline */
			(void)fsm_timeout(&f, now = op & 1 && fsm_deadline(&f) != UINT64_MAX ?
			    fsm_deadline(&f) : now + op);
		else if ((op & 7) == 6 && (n = i < size ? data[i++] : 0) > 0) {
			n = n < size - i ? n : size - i;	/* a length, then a packet */
			(void)fsm_input(&f, now, data + i, n), i += n;
		} else	/* 7: Close with a reason */
			(void)((op & 7) == 7 ? fsm_close(&f, now, "x") : fsm_event(&f, now, k % 16));
		FUZZ_ASSERT(f.state < FSM_NSTATES && !f.busy && f.restart <= 10 && (fsm_deadline(&f) ==
		    UINT64_MAX ? !fsm_state_has_timer(f.state) : fsm_deadline(&f) <= now + 100 &&
		    fsm_state_has_timer(f.state)));
	}
	return 0;
}

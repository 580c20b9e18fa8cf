/*
 * test_pptp_ctrl.c - the PPTP control connection core (src/pptp/ctrl.h),
 * RFC 2637 1.3, 1.4, 2 and 3.1-3.2.  A PNS core and a PAC core wired back to
 * back in memory (each one's send feeds the other's ctrl_input, with the
 * byte stream split every way), plus single cores fed the exact messages of
 * the interop peers (pptpd, pptp-linux) and hostile ones.
 */
#include <stdio.h>

#include "t.h"
#include "ctrl_pair.h"

#define PNS	CP_PNS
#define PAC	CP_PAC

/* --- the pair, every split --- */

static void
scenario_call_and_pns_teardown(int split)
{
	const struct ctrl_call *pc, *ac;
	const struct cp_rec *e;
	uint16_t id;

	cp_setup();
	cp_split = split;
	t_note("split=%d", split);
	id = cp_call_up();
	CHECK_EQ(id, 0x1700);
	CHECK(cp_find_ev(PNS, CTRL_EV_ESTABLISHED) != NULL);
	CHECK(cp_find_ev(PAC, CTRL_EV_ESTABLISHED) != NULL);
	CHECK(strstr(cp_find_ev(PNS, CTRL_EV_ESTABLISHED)->text,
	    "vendor=\"pptpkit\"") != NULL);
	CHECK(cp_find_ev(PAC, CTRL_EV_CALL_REQUEST) != NULL);
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CALL_UP), 1);
	CHECK_EQ(cp_count_ev(PAC, CTRL_EV_CALL_UP), 1);
	pc = ctrl_call_find(&PNS->c, 0x1700);
	ac = ctrl_call_find(&PAC->c, 0x4200);
	CHECK(pc != NULL && ac != NULL);
	if (pc == NULL || ac == NULL)
		return;
	/* Call IDs both ways, windows, PPD and speeds exchanged. */
	CHECK_EQ(pc->state, CTRL_CALL_ESTABLISHED);
	CHECK_EQ(ac->state, CTRL_CALL_ESTABLISHED);
	CHECK(pc->has_peer_id);
	CHECK_EQ(pc->peer_call_id, 0x4200);
	CHECK_EQ(ac->peer_call_id, 0x1700);
	CHECK_EQ(pc->peer_rwin, 32);
	CHECK_EQ(ac->peer_rwin, 64);
	CHECK_EQ(ac->peer_ppd, 3);
	CHECK_EQ(pc->peer_ppd, 0);
	CHECK_EQ(ac->max_bps, 10000000);
	CHECK_EQ(ac->connect_speed, 10000000);
	CHECK_EQ(pc->connect_speed, 10000000);
	CHECK_STR(ac->phone, "5551234");
	/* Teardown from the PNS: CCRQ, CDN, StopCCRQ, StopCCRP, close. */
	PNS->stop_on_down = true;
	CHECK_OK(ctrl_call_clear(&PNS->c, cp_now, id));
	CHECK_EQ(PNS->sent[PNS->nsent - 1].u.ccrq.call_id, 0x1700);
	cp_pump();
	CHECK_STR(cp_wire_str(0), "pns:SCCRQ,pac:SCCRP,pns:OCRQ,pac:OCRP,"
	    "pns:CCRQ,pac:CDN,pns:StopCCRQ,pac:StopCCRP");
	CHECK_EQ(PAC->sent[PAC->nsent - 2].u.cdn.call_id, 0x4200);
	CHECK_EQ(PAC->sent[PAC->nsent - 2].u.cdn.result, PPTP_CDN_REQUEST);
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_CDN && e->result == 4);
	e = cp_find_ev(PAC, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_CCRQ && e->call.call_id ==
	    0x4200);
	e = &PNS->ev[PNS->nev - 1];
	CHECK(e->type == CTRL_EV_CLOSED && e->orderly &&
	    e->close == CTRL_CLOSE_STOP_SENT);
	e = &PAC->ev[PAC->nev - 1];
	CHECK(e->type == CTRL_EV_CLOSED && e->orderly &&
	    e->close == CTRL_CLOSE_STOP_RECEIVED);
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CLOSED), 1);
	CHECK_EQ(cp_count_ev(PAC, CTRL_EV_CLOSED), 1);
	CHECK_EQ(ctrl_stats(&PAC->c)->ignored, 0);
	CHECK_EQ(ctrl_stats(&PNS->c)->ignored, 0);
	CHECK_EQ(ctrl_deadline(&PNS->c), CTRL_NEVER);
}

TEST(ctrl_pair_call_up_and_pns_teardown_every_split)
{
	static const int splits[] = { 0, -1, 1, 2, 3, 5, 7, 11, 12, 13, 16,
	    17, 31, 64, 100, 155, 156, 157, 219, 220, 221, 1000 };

	for (size_t i = 0; i < sizeof(splits) / sizeof(splits[0]); i++)
		scenario_call_and_pns_teardown(splits[i]);
}

TEST(ctrl_pns_stop_clears_calls_first)
{
	cp_setup();
	cp_call_up();
	CHECK_OK(ctrl_stop(&PNS->c, cp_now, PPTP_STOP_LOCAL_SHUTDOWN));
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_ESTABLISHED);	/* waits CDN */
	cp_pump();
	CHECK_STR(cp_wire_str(4), "pns:CCRQ,pac:CDN,pns:StopCCRQ,pac:StopCCRP");
	CHECK_EQ(PNS->sent[PNS->nsent - 1].u.stopccrq.reason, 3);
	CHECK(ctrl_is_closed(&PNS->c) && ctrl_is_closed(&PAC->c));
}

TEST(ctrl_pac_teardown_cdn_then_stop)
{
	const struct cp_rec *e;

	cp_setup();
	cp_call_up();
	CHECK_OK(ctrl_stop(&PAC->c, cp_now, PPTP_STOP_NONE));
	CHECK_EQ(ctrl_state(&PAC->c), CTRL_WAIT_STOP_REPLY);
	cp_pump();
	CHECK_STR(cp_wire_str(4), "pac:CDN,pac:StopCCRQ,pns:StopCCRP");
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_CDN &&
	    e->result == PPTP_CDN_ADMIN_SHUTDOWN);
	e = cp_find_ev(PAC, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_LOCAL);
	e = cp_find_ev(PAC, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->orderly && e->close == CTRL_CLOSE_STOP_SENT);
	e = cp_find_ev(PNS, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->orderly &&
	    e->close == CTRL_CLOSE_STOP_RECEIVED);

	/* PPP died: CDN 1 with statistics, then the stop. */
	cp_setup();
	cp_call_up();
	CHECK_OK(ctrl_call_disconnect(&PAC->c, cp_now, 0x4200,
	    PPTP_CDN_LOST_CARRIER, "rx=10 tx=12"));
	CHECK_ERR(ctrl_call_disconnect(&PAC->c, cp_now, 0x4200, 1, NULL),
	    ERR_NOTFOUND);
	cp_pump();
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->result == 1 &&
	    strstr(e->text, "stats=\"rx=10 tx=12\"") != NULL);
	CHECK_OK(ctrl_stop(&PAC->c, cp_now, PPTP_STOP_NONE));
	cp_pump();
	CHECK_STR(cp_wire_str(4), "pac:CDN,pac:StopCCRQ,pns:StopCCRP");
}

/* --- every split point of one stream into one core --- */

TEST(ctrl_pac_every_split_point)
{
	static uint8_t stream[1024], ref_out[CP_OUT_MAX];
	size_t n = 0, ref_len = 0, k;
	unsigned ref_nev = 0;

	n += cp_sccrq_pptp_linux(stream + n);
	n += cp_ocrq(stream + n, 0x77);
	n += cp_small(stream + n, PPTP_SLI, 0x4200);
	n += cp_small(stream + n, PPTP_ECHORQ, 9);
	n += cp_small(stream + n, PPTP_CCRQ, 0x77);
	for (k = 0; k <= n; k++) {
		cp_setup();
		CHECK_OK(ctrl_start(&PAC->c, 0));
		CHECK_OK(ctrl_input(&PAC->c, 0, stream, k));
		CHECK_OK(ctrl_input(&PAC->c, 0, stream + k, n - k));
		if (k == 0) {
			ref_len = PAC->outlen;
			ref_nev = PAC->nev;
			memcpy(ref_out, PAC->out, ref_len);
			CHECK_STR(cp_wire_str(0), "pac:SCCRP,pac:OCRP,pac:EchoRP,"
			    "pac:CDN");
			CHECK(cp_find_ev(PAC, CTRL_EV_SLI) != NULL);
			CHECK_EQ(PAC->sent[2].u.echorp.id, 0xabcd0009u);
		}
		CHECK_EQ(PAC->outlen, ref_len);
		CHECK_MEM(PAC->out, ref_out, ref_len);
		CHECK_EQ(PAC->nev, ref_nev);
		CHECK_EQ(ctrl_stats(&PAC->c)->ignored, 0);
	}
}

/* --- keepalive and timers --- */

TEST(ctrl_echo_keepalive)
{
	const struct cp_rec *e;

	cp_setup();
	cp_establish();
	CHECK_EQ(ctrl_deadline(&PNS->c), 60000);
	CHECK_EQ(ctrl_deadline(&PAC->c), 60000);
	cp_now = 59999;
	ctrl_timeout(&PNS->c, cp_now);
	CHECK_EQ(PNS->nsent, 1);
	cp_now = 60000;
	ctrl_timeout(&PNS->c, cp_now);
	CHECK_EQ(PNS->sent[PNS->nsent - 1].ctrl_type, PPTP_ECHORQ);
	CHECK_EQ(ctrl_deadline(&PNS->c), 120000);
	cp_pump();			/* the PAC answers; the echo is its liveness */
	CHECK_EQ(PAC->sent[PAC->nsent - 1].ctrl_type, PPTP_ECHORP);
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.echorp.id,
	    PNS->sent[PNS->nsent - 1].u.echorq.id);
	CHECK_EQ(ctrl_deadline(&PAC->c), 120000);
	CHECK_EQ(ctrl_deadline(&PNS->c), 120000);
	CHECK_EQ(ctrl_stats(&PNS->c)->echo_sent, 1);
	CHECK_EQ(ctrl_stats(&PNS->c)->echo_replies, 1);
	CHECK_EQ(ctrl_stats(&PAC->c)->echo_answered, 1);
	/* Now the PAC goes silent: echo at 120 s, close at 180 s. */
	cp_now = 120000;
	ctrl_timeout(&PNS->c, cp_now);
	CHECK_EQ(ctrl_stats(&PNS->c)->echo_sent, 2);
	CHECK_EQ(ctrl_deadline(&PNS->c), 180000);
	ctrl_timeout(&PNS->c, 179999);
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_ESTABLISHED);
	ctrl_timeout(&PNS->c, 180000);
	e = cp_find_ev(PNS, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->close == CTRL_CLOSE_TIMEOUT && !e->orderly);
	CHECK(e != NULL && strstr(e->text, "no Echo-Reply within 60000 ms"));
	CHECK_EQ(ctrl_deadline(&PNS->c), CTRL_NEVER);
}

TEST(ctrl_any_message_is_liveness)
{
	struct ctrl_config cfg;
	uint16_t id;

	cp_setup();
	cp_establish();
	cp_now = 59000;		/* an OCRQ at 59 s postpones the PAC's echo */
	CHECK_OK(ctrl_call_open(&PNS->c, cp_now, NULL, &id));
	cp_pump();
	CHECK_EQ(ctrl_deadline(&PAC->c), 119000);
	ctrl_timeout(&PAC->c, 60000);
	CHECK_EQ(ctrl_stats(&PAC->c)->echo_sent, 0);
	ctrl_timeout(&PAC->c, 119000);
	CHECK_EQ(ctrl_stats(&PAC->c)->echo_sent, 1);
	/* The PNS, which only got an OCRP at 59 s, echoes at 119 s too. */
	CHECK_EQ(ctrl_deadline(&PNS->c), 119000);
	/* echo_idle_ms 0 disables the keepalive. */
	cp_setup();
	cp_side_config(PAC, &cfg, 1);
	cfg.echo_idle_ms = 0;
	CHECK_OK(ctrl_init(&PAC->c, &cfg));
	cp_establish();
	CHECK_EQ(ctrl_deadline(&PAC->c), CTRL_NEVER);
}

TEST(ctrl_start_timeouts)
{
	struct ctrl_config cfg;
	const struct cp_rec *e;

	cp_setup();
	cp_side_config(PAC, &cfg, 1);
	cfg.start_timeout_ms = 10000;	/* pptpd's stimeout, shorter */
	CHECK_OK(ctrl_init(&PAC->c, &cfg));
	CHECK_EQ(ctrl_deadline(&PAC->c), CTRL_NEVER);
	CHECK_OK(ctrl_start(&PAC->c, 1000));
	CHECK_ERR(ctrl_start(&PAC->c, 1000), ERR_STATE);
	CHECK_EQ(ctrl_deadline(&PAC->c), 11000);
	ctrl_timeout(&PAC->c, 10999);
	CHECK_EQ(ctrl_state(&PAC->c), CTRL_WAIT_START);
	ctrl_timeout(&PAC->c, 11000);
	e = cp_find_ev(PAC, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->close == CTRL_CLOSE_TIMEOUT);
	CHECK(e != NULL && strcmp(e->text, "no SCCRQ within 10000 ms") == 0);
	CHECK_EQ(PAC->nsent, 0);
	/* The PNS gives up after 60 s without SCCRP. */
	CHECK_OK(ctrl_start(&PNS->c, 0));
	ctrl_timeout(&PNS->c, 60000);
	e = cp_find_ev(PNS, CTRL_EV_CLOSED);
	CHECK(e != NULL && strcmp(e->text, "no SCCRP within 60000 ms") == 0);
}

TEST(ctrl_call_and_stop_timeouts)
{
	const struct cp_rec *e;
	uint16_t id;

	cp_setup();
	PAC->accept = CP_ACCEPT_LATER;
	cp_establish();
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	CHECK_STR(cp_wire_str(2), "pns:OCRQ");	/* pending: no OCRP yet */
	CHECK_EQ(ctrl_call_find(&PAC->c, 0x4200)->state, CTRL_CALL_PENDING);
	CHECK_EQ(ctrl_deadline(&PAC->c), 60000);
	cp_now = 60000;
	ctrl_timeout(&PAC->c, cp_now);	/* not accepted in time */
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.result, PPTP_OCRP_TIMEOUT);
	e = cp_find_ev(PAC, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_TIMEOUT);
	PAC->outlen = PAC->nbounds = 0;		/* the OCRP gets lost */
	ctrl_timeout(&PNS->c, cp_now);	/* no OCRP within 60 s */
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_TIMEOUT &&
	    strstr(e->text, "no OCRP within 60000 ms") != NULL);
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_ESTABLISHED);
	/* StopCCRQ without StopCCRP: closed anyway after 60 s. */
	CHECK_OK(ctrl_stop(&PNS->c, cp_now, PPTP_STOP_NONE));
	CHECK_EQ(ctrl_deadline(&PNS->c), 120000);
	ctrl_timeout(&PNS->c, 120000);
	e = cp_find_ev(PNS, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->close == CTRL_CLOSE_TIMEOUT && !e->orderly &&
	    strstr(e->text, "no StopCCRP") != NULL);
}

/* --- refusals --- */

static void
feed_pns_sccrp(uint8_t result, uint8_t error)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_SCCRP);
	m.u.sccrp.result = result;
	m.u.sccrp.error = error;
	CHECK_OK(ctrl_start(&PNS->c, 0));
	(void)ctrl_input(&PNS->c, 0, b, cp_enc(&m, b));
}

TEST(ctrl_sccrp_result_0_accepted_2_refused)
{
	const struct cp_rec *e;

	cp_setup();
	feed_pns_sccrp(0, 0);
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_ESTABLISHED);
	CHECK(cp_find_ev(PNS, CTRL_EV_ESTABLISHED) != NULL);
	cp_setup();
	feed_pns_sccrp(PPTP_SCCRP_GENERAL_ERROR, PPTP_GENERR_NO_RESOURCE);
	e = cp_find_ev(PNS, CTRL_EV_REFUSED);
	CHECK(e != NULL && e->result == 2 && e->error == 4);
	CHECK(e != NULL && strcmp(e->text, "SCCRP result 2 (General-Error) "
	    "error 4 (No-Resource)") == 0);
	e = cp_find_ev(PNS, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->close == CTRL_CLOSE_REFUSED);
	CHECK_EQ(PNS->nsent, 1);
}

TEST(ctrl_ocrp_busy_and_pac_refusals)
{
	struct ctrl_config cfg;
	const struct cp_rec *e;
	uint16_t id;

	cp_setup();
	PAC->accept = CP_REJECT_BUSY;
	cp_establish();
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	e = cp_find_ev(PNS, CTRL_EV_REFUSED);
	CHECK(e != NULL && e->result == 4 &&
	    strstr(e->text, "OCRP result 4 (Busy)") != NULL);
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_REFUSED &&
	    e->call.call_id == id);
	e = cp_find_ev(PAC, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_REFUSED &&
	    e->call.call_id == 0x4200);
	CHECK_EQ(ctrl_call_count(&PNS->c), 0);
	CHECK_EQ(ctrl_call_count(&PAC->c), 0);
	/* The server is full: the allocator says so, OCRP Busy at once. */
	PAC->alloc_err = ERR_NOSPACE;
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.result, PPTP_OCRP_BUSY);
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.peer_call_id, id);
	PAC->alloc_err = ERR_SYS;	/* any other error: General-Error */
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.result, 2);
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.error, PPTP_GENERR_PAC_ERROR);
	CHECK_EQ(cp_count_ev(PAC, CTRL_EV_CALL_REQUEST), 1);
	CHECK_EQ(ctrl_stats(&PAC->c)->calls_refused, 3);

	/* A PAC limited to 2 calls per connection refuses the third. */
	cp_setup();
	cp_side_config(PAC, &cfg, 1);
	cfg.max_calls = 2;
	CHECK_OK(ctrl_init(&PAC->c, &cfg));
	cp_establish();
	for (int i = 0; i < 3; i++)
		CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	CHECK_EQ(ctrl_call_count(&PAC->c), 2);
	CHECK_EQ(ctrl_call_count(&PNS->c), 2);
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.result, PPTP_OCRP_BUSY);
	CHECK_EQ(ctrl_call_find(&PNS->c, 0x1701)->peer_call_id, 0x4201);
}

TEST(ctrl_pac_accepts_after_setup)
{
	uint16_t id;

	cp_setup();
	PAC->accept = CP_ACCEPT_LATER;
	cp_establish();
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CALL_UP), 0);
	CHECK_ERR(ctrl_call_disconnect(&PAC->c, 0, 0x4200, 3, NULL),
	    ERR_STATE);
	/* ... the glue opens its GRE socket, then: */
	CHECK_OK(ctrl_call_accept(&PAC->c, 0, 0x4200));
	CHECK_ERR(ctrl_call_accept(&PAC->c, 0, 0x4200), ERR_STATE);
	CHECK_ERR(ctrl_call_accept(&PAC->c, 0, 0x9999), ERR_NOTFOUND);
	CHECK_ERR(ctrl_call_accept(&PNS->c, 0, id), ERR_INVAL);
	cp_pump();
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CALL_UP), 1);
	CHECK_EQ(ctrl_call_find(&PNS->c, id)->peer_call_id, 0x4200);
}

/* --- wrong direction, wrong state, incoming calls, SLI, WEN --- */

TEST(ctrl_wrong_direction_and_incoming)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	const struct ctrl_call *call;
	uint16_t id;
	size_t n;

	cp_setup();
	id = cp_call_up();
	/* CCRQ (PNS->PAC only) arriving at the PNS: counted, ignored. */
	n = cp_small(b, PPTP_CCRQ, 0x4200);
	CHECK_OK(ctrl_input(&PNS->c, 0, b, n));
	n = cp_small(b, PPTP_OCRQ, 1);
	CHECK_OK(ctrl_input(&PNS->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PNS->c)->wrong_direction, 2);
	CHECK_EQ(ctrl_stats(&PNS->c)->ignored, 2);
	CHECK(cp_find_ev(PNS, CTRL_EV_LOG) != NULL &&
	    strstr(cp_find_ev(PNS, CTRL_EV_LOG)->text, "why=wrong-direction"));
	CHECK_EQ(ctrl_call_find(&PNS->c, id)->state, CTRL_CALL_ESTABLISHED);
	/* ICRQ to the PNS: ICRP 3 Do-Not-Accept. */
	pptp_msg_init(&m, PPTP_ICRQ);
	m.u.icrq.call_id = 0x55;
	CHECK_OK(ctrl_input(&PNS->c, 0, b, cp_enc(&m, b)));
	m = PNS->sent[PNS->nsent - 1];
	CHECK_EQ(m.ctrl_type, PPTP_ICRP);
	CHECK_EQ(m.u.icrp.peer_call_id, 0x55);
	CHECK_EQ(m.u.icrp.result, PPTP_ICRP_DO_NOT_ACCEPT);
	CHECK_EQ(ctrl_stats(&PNS->c)->incoming_refused, 1);
	/* ICRP and ICCN to the PAC, CDN and WEN to the PAC: ignored. */
	n = cp_small(b, PPTP_ICRP, 1);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	n = cp_small(b, PPTP_ICCN, 1);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PAC->c)->unknown_call, 2);
	n = cp_small(b, PPTP_CDN, 0x4200);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PAC->c)->wrong_direction, 1);
	n = cp_small(b, PPTP_CCRQ, 0x9999);	/* unknown call */
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PAC->c)->unknown_call, 3);
	CHECK_EQ(ctrl_call_count(&PAC->c), 1);
	/* SLI from the PNS, recorded by the PAC; WEN from the PAC. */
	CHECK_OK(ctrl_call_set_link_info(&PNS->c, 0, id, 0, 0xffffffff));
	CHECK_ERR(ctrl_call_set_link_info(&PAC->c, 0, 0x4200, 0, 0),
	    ERR_INVAL);
	memset(&m.u.wen, 0, sizeof(m.u.wen));
	m.u.wen.crc_errors = 7;
	CHECK_OK(ctrl_call_wan_error(&PAC->c, 0, 0x4200, &m.u.wen));
	CHECK_ERR(ctrl_call_wan_error(&PNS->c, 0, id, &m.u.wen), ERR_INVAL);
	cp_pump();
	call = ctrl_call_find(&PAC->c, 0x4200);
	CHECK(call != NULL && call->has_sli && call->recv_accm == 0xffffffff);
	CHECK(cp_find_ev(PAC, CTRL_EV_SLI) != NULL);
	CHECK(cp_find_ev(PNS, CTRL_EV_WAN_ERROR) != NULL &&
	    strstr(cp_find_ev(PNS, CTRL_EV_WAN_ERROR)->text, "crc=7"));
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_ESTABLISHED);
	CHECK_EQ(ctrl_state(&PAC->c), CTRL_ESTABLISHED);
}

TEST(ctrl_wrong_state_answers)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	size_t n;

	cp_setup();
	CHECK_ERR(ctrl_input(&PAC->c, 0, b, 0), ERR_STATE);	/* idle */
	CHECK_OK(ctrl_start(&PAC->c, 0));
	n = cp_ocrq(b, 0x33);		/* OCRQ before SCCRQ */
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(PAC->sent[0].u.ocrp.result, PPTP_OCRP_GENERAL_ERROR);
	CHECK_EQ(PAC->sent[0].u.ocrp.error, PPTP_GENERR_NOT_CONNECTED);
	CHECK_EQ(PAC->sent[0].u.ocrp.peer_call_id, 0x33);
	n = cp_small(b, PPTP_ECHORQ, 1);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(PAC->sent[1].u.echorp.error, PPTP_GENERR_NOT_CONNECTED);
	n = cp_small(b, PPTP_STOPCCRP, 0);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PAC->c)->wrong_state, 3);
	CHECK_EQ(ctrl_state(&PAC->c), CTRL_WAIT_START);
	/* A second SCCRQ once established is ignored. */
	n = cp_sccrq_pptp_linux(b);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PAC->c)->wrong_state, 4);
	CHECK_EQ(cp_count_ev(PAC, CTRL_EV_ESTABLISHED), 1);
}

/* --- framing: loss of synchronisation (RFC 2637 1.4) --- */

TEST(ctrl_lost_sync_closes_at_once)
{
	static const char *const bad[] = {
		"0010 0001 deadbeef 0005 0000 00000001",	/* magic */
		"0010 0002 1a2b3c4d 0005 0000 00000001",	/* mgmt type */
		"0010 0001 1a2b3c4d 0010 0000 00000001",	/* type 16 */
		"0011 0001 1a2b3c4d 0005 0000 00000001",	/* length */
	};
	const struct cp_rec *e = NULL;
	uint8_t b[64];

	for (size_t i = 0; i < 4; i++) {
		for (int chunk = 0; chunk < 2; chunk++) {
			int n = t_unhex(bad[i], b, sizeof(b));
			int ret = 0;

			cp_setup();
			cp_establish();
			for (int k = 0; k < n && ret == 0; k += chunk ? 1 : n)
				ret = ctrl_input(&PAC->c, 0, b + k,
				    chunk ? 1 : (size_t)n);
			CHECK_ERR(ret, ERR_CLOSED);
			e = cp_find_ev(PAC, CTRL_EV_CLOSED);
			CHECK(e != NULL && e->close == CTRL_CLOSE_SYNC &&
			    strncmp(e->text, "lost synchronisation", 20) == 0);
			CHECK_EQ(PAC->nsent, 1);	/* just the SCCRP */
			CHECK_ERR(ctrl_input(&PAC->c, 0, b, 4), ERR_CLOSED);
		}
	}
	CHECK(e != NULL && strstr(e->text, "length") != NULL);
}

/* --- real peers --- */

TEST(ctrl_interop_pptpd_sccrp)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	const struct ctrl_peer *p;
	int n;

	cp_setup();
	CHECK_OK(ctrl_start(&PNS->c, 0));
	CHECK_EQ(PNS->sent[0].u.sccrq.version, 0x0100);
	CHECK_STR(PNS->sent[0].u.sccrq.vendor, "pptpkit");
	CHECK_EQ(PNS->sent[0].u.sccrq.framing_caps, 3);
	n = t_unhex("009c 0001 1a2b3c4d 0002 0000 0100 01 00 00000000 "
	    "00000000 0001 0001", b, sizeof(b));
	memset(b + n, 0, 128);
	memcpy(b + n, "local", 5);
	memcpy(b + n + 64, "linux", 5);
	CHECK_OK(ctrl_input(&PNS->c, 0, b, (size_t)n + 128));
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_ESTABLISHED);
	p = ctrl_peer(&PNS->c);
	CHECK(p->known && p->version == 0x0100 && p->max_channels == 1);
	CHECK_STR(p->host_name, "local");
	CHECK_STR(p->vendor, "linux");
	CHECK(strstr(cp_find_ev(PNS, CTRL_EV_ESTABLISHED)->text,
	    "host=\"local\" vendor=\"linux\" framing=none") != NULL);
}

TEST(ctrl_interop_pptp_linux_client)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	const struct pptp_sccrp *r;
	const struct cp_rec *e;
	size_t n;

	cp_setup();
	CHECK_OK(ctrl_start(&PAC->c, 0));
	n = cp_sccrq_pptp_linux(b);
	b[14] = 0x5a;			/* junk in Reserved1 is tolerated */
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(ctrl_state(&PAC->c), CTRL_ESTABLISHED);
	CHECK_EQ(ctrl_stats(&PAC->c)->reserved_junk, 1);
	CHECK_STR(ctrl_peer(&PAC->c)->vendor, "cananian");
	CHECK_EQ(ctrl_peer(&PAC->c)->max_channels, 65535);
	r = &PAC->sent[0].u.sccrp;
	CHECK(r->version == 0x0100 && r->result == 1 && r->error == 0);
	CHECK(r->framing_caps == 3 && r->bearer_caps == 3);
	CHECK(r->max_channels == CTRL_MAX_CALLS && r->firmware_rev == 1);
	CHECK_STR(r->host_name, "pptpkit");
	CHECK_STR(r->vendor, "pptpkit");
	n = cp_ocrq(b, 0x0011);
	CHECK_OK(ctrl_input(&PAC->c, 2000, b, n));
	CHECK_EQ(PAC->sent[1].u.ocrp.connect_speed, 10000000);
	CHECK_EQ(PAC->sent[1].u.ocrp.recv_window, 32);
	/* pptp-linux hangs up: CCRQ, then TCP closes without StopCCRQ. */
	n = cp_small(b, PPTP_CCRQ, 0x0011);
	CHECK_OK(ctrl_input(&PAC->c, 9000, b, n));
	CHECK_EQ(PAC->sent[2].ctrl_type, PPTP_CDN);
	ctrl_peer_closed(&PAC->c, 9001);
	e = cp_find_ev(PAC, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->close == CTRL_CLOSE_PEER && !e->orderly &&
	    strcmp(e->text, "peer closed TCP") == 0);
	CHECK_EQ(ctrl_stats(&PAC->c)->ignored, 0);
}

TEST(ctrl_pptpd_closes_on_ccrq)
{
	const struct cp_rec *e;
	uint16_t id;

	cp_setup();
	id = cp_call_up();
	CHECK_OK(ctrl_call_clear(&PNS->c, 0, id));
	CHECK_OK(ctrl_call_clear(&PNS->c, 0, id));	/* already clearing */
	CHECK_EQ(PNS->nsent, 3);
	ctrl_peer_closed(&PNS->c, 10);	/* pptpd: no CDN, just FIN */
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_CLOSING);
	e = &PNS->ev[PNS->nev - 1];
	CHECK(e->type == CTRL_EV_CLOSED && e->close == CTRL_CLOSE_PEER);
	CHECK_ERR(ctrl_call_open(&PNS->c, 0, NULL, &id), ERR_CLOSED);
	CHECK_OK(ctrl_stop(&PNS->c, 0, PPTP_STOP_NONE));
	ctrl_peer_closed(&PNS->c, 11);
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CLOSED), 1);
}

/* --- API contract --- */

TEST(ctrl_api_errors)
{
	struct ctrl_config cfg;
	struct ctrl c;
	uint16_t id;
	char text[1024];
	struct sbuf sb;

	cp_side_config(PNS, &cfg, 0);
	cfg.send = NULL;
	CHECK_ERR(ctrl_init(&c, &cfg), ERR_INVAL);
	cp_side_config(PNS, &cfg, 0);
	cfg.max_calls = CTRL_MAX_CALLS + 1;
	CHECK_ERR(ctrl_init(&c, &cfg), ERR_RANGE);
	cfg.max_calls = 1;
	cfg.call_timeout_ms = 0;
	CHECK_ERR(ctrl_init(&c, &cfg), ERR_RANGE);
	cp_setup();
	CHECK_ERR(ctrl_call_open(&PNS->c, 0, NULL, &id), ERR_STATE);
	CHECK_ERR(ctrl_stop(&PNS->c, 0, 4), ERR_INVAL);
	cp_establish();
	CHECK_ERR(ctrl_call_open(&PAC->c, 0, NULL, &id), ERR_INVAL);
	CHECK_ERR(ctrl_call_clear(&PNS->c, 0, 5), ERR_NOTFOUND);
	CHECK_ERR(ctrl_call_reject(&PAC->c, 0, 0x4200, 1, 0, 0), ERR_INVAL);
	CHECK_ERR(ctrl_call_disconnect(&PAC->c, 0, 0x4200, 5, NULL), ERR_INVAL);
	for (int i = 0; i < CTRL_MAX_CALLS; i++)
		CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	CHECK_ERR(ctrl_call_open(&PNS->c, 0, NULL, &id), ERR_NOSPACE);
	cp_pump();
	CHECK_EQ(ctrl_call_count(&PAC->c), CTRL_MAX_CALLS);
	CHECK(ctrl_call_at(&PAC->c, 0) != NULL);
	CHECK(ctrl_call_at(&PAC->c, CTRL_MAX_CALLS) == NULL);
	sbuf_init(&sb, text, sizeof(text));
	ctrl_stats_print(ctrl_stats(&PAC->c), &sb);
	CHECK(strstr(text, "rx SCCRQ=1 OCRQ=8 ") != NULL);
	CHECK(strstr(text, "calls up=8") != NULL);
	/* A stop with 8 calls: 8 CCRQ, 8 CDN, then StopCCRQ. */
	CHECK_OK(ctrl_stop(&PNS->c, 0, PPTP_STOP_NONE));
	cp_pump();
	CHECK_EQ(ctrl_stats(&PNS->c)->tx[PPTP_CCRQ], 8);
	CHECK_EQ(ctrl_stats(&PAC->c)->tx[PPTP_CDN], 8);
	CHECK_EQ(cp_wire[cp_nwire - 2].type, PPTP_STOPCCRQ);
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CALL_DOWN), 8);
	CHECK_STR(ctrl_state_str(CTRL_WAIT_CTL_REPLY), "wait-ctl-reply");
	CHECK_STR(ctrl_close_cause_str(CTRL_CLOSE_SYNC), "lost-sync");
	CHECK_STR(ctrl_state_str(99), "?");
	/* Stop before established closes at once. */
	cp_setup();
	CHECK_OK(ctrl_start(&PNS->c, 0));
	CHECK_OK(ctrl_stop(&PNS->c, 0, PPTP_STOP_NONE));
	CHECK_EQ(cp_find_ev(PNS, CTRL_EV_CLOSED)->close, CTRL_CLOSE_LOCAL);
}

TEST(ctrl_version_mismatch)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	size_t n;

	cp_setup();
	CHECK_OK(ctrl_start(&PAC->c, 0));
	n = cp_sccrq_pptp_linux(b);
	b[13] = 0x02;			/* version 0x0102 */
	CHECK_ERR(ctrl_input(&PAC->c, 0, b, n), ERR_CLOSED);
	CHECK_EQ(PAC->sent[0].u.sccrp.result, PPTP_SCCRP_BAD_VERSION);
	CHECK_EQ(cp_find_ev(PAC, CTRL_EV_CLOSED)->close, CTRL_CLOSE_REFUSED);
	cp_setup();
	CHECK_OK(ctrl_start(&PNS->c, 0));
	pptp_msg_init(&m, PPTP_SCCRP);
	m.u.sccrp.version = 0x0200;
	m.u.sccrp.result = 1;
	CHECK_OK(ctrl_input(&PNS->c, 0, b, cp_enc(&m, b)));
	CHECK_EQ(ctrl_state(&PNS->c), CTRL_WAIT_STOP_REPLY);
	CHECK_EQ(PNS->sent[1].u.stopccrq.reason, PPTP_STOP_PROTOCOL);
	CHECK(cp_find_ev(PNS, CTRL_EV_REFUSED) != NULL);
}

/* --- crossings and callbacks that act --- */

TEST(ctrl_crossings_duplicates_and_reentry)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	const struct cp_rec *e;
	uint16_t id;
	size_t n;

	/* CCRQ crosses the OCRP: the OCRP teaches the PAC's ID, the CDN then
	 * matches it. */
	cp_setup();
	cp_establish();
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	CHECK_OK(ctrl_call_clear(&PNS->c, 0, id));
	cp_pump();
	CHECK_STR(cp_wire_str(2), "pns:OCRQ,pns:CCRQ,pac:OCRP,pac:CDN");
	e = cp_find_ev(PNS, CTRL_EV_CALL_DOWN);
	CHECK(e != NULL && e->down == CTRL_DOWN_CDN &&
	    e->call.peer_call_id == 0x4200);
	CHECK_EQ(cp_count_ev(PNS, CTRL_EV_CALL_UP), 0);
	CHECK_EQ(ctrl_stats(&PNS->c)->ignored, 0);
	/* A second OCRP for an established call, an Echo-Reply nobody asked
	 * for, and an OCRQ reusing the peer's Call ID. */
	CHECK_OK(ctrl_call_open(&PNS->c, 0, NULL, &id));
	cp_pump();
	CHECK_EQ(ctrl_call_find(&PNS->c, id)->state, CTRL_CALL_ESTABLISHED);
	CHECK_EQ(PNS->nested_ret, ERR_STATE);	/* no ctrl_input in a callback */
	n = cp_enc(&PAC->sent[PAC->nsent - 1], b);
	CHECK_OK(ctrl_input(&PNS->c, 0, b, n));
	CHECK_EQ(ctrl_stats(&PNS->c)->wrong_state, 1);
	n = cp_small(b, PPTP_ECHORP, 0);
	CHECK_OK(ctrl_input(&PNS->c, 0, b, n));
	CHECK(strstr(PNS->ev[PNS->nev - 1].text, "does not match") != NULL);
	CHECK_EQ(ctrl_stats(&PNS->c)->echo_replies, 1);
	n = cp_ocrq(b, id);
	CHECK_OK(ctrl_input(&PAC->c, 0, b, n));
	CHECK_EQ(PAC->sent[PAC->nsent - 1].u.ocrp.error,
	    PPTP_GENERR_BAD_CALL_ID);
	CHECK_EQ(ctrl_call_count(&PAC->c), 1);
	/* The glue aborts from inside a callback: one CLOSED, the rest of
	 * the stream dropped. */
	PAC->abort_on = CTRL_EV_CALL_REQUEST + 1;
	n = cp_ocrq(b, 0x99);
	n += cp_small(b + n, PPTP_ECHORQ, 1);
	CHECK_ERR(ctrl_input(&PAC->c, 0, b, n), ERR_CLOSED);
	CHECK_EQ(cp_count_ev(PAC, CTRL_EV_CLOSED), 1);
	CHECK_EQ(cp_count_ev(PAC, CTRL_EV_CALL_DOWN), 3);	/* 1 + up + 0x99 */
	e = cp_find_ev(PAC, CTRL_EV_CLOSED);
	CHECK(e != NULL && e->close == CTRL_CLOSE_LOCAL &&
	    strcmp(e->text, "glue gave up") == 0);
	CHECK_EQ(PAC->sent[PAC->nsent - 1].ctrl_type, PPTP_OCRP);
	CHECK_EQ(ctrl_deadline(&PAC->c), CTRL_NEVER);
}

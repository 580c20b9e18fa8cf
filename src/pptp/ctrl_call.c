/*
 * ctrl_call.c - the calls of a PPTP control connection, RFC 2637 3.2
 * (outgoing calls only: remote access), with their messages:
 * Outgoing-Call-Request/-Reply (2.7, 2.8), Call-Clear-Request (2.12, PNS to
 * PAC, the PNS's own Call ID), Call-Disconnect-Notify (2.13, PAC to PNS, the
 * PAC's own Call ID), WAN-Error-Notify (2.14, PAC to PNS), Set-Link-Info
 * (2.15, PNS to PAC), and Incoming-Call-Request/-Reply/-Connected (2.9-2.11),
 * decoded and refused.  The connection itself is in ctrl.c.
 *
 * Call ID matching: a message carrying "Call ID" holds its sender's ID,
 * one carrying "Peer's Call ID" the receiver's.  So the PAC finds CCRQ by
 * the PNS's ID (our peer_call_id) and SLI by its own; the PNS finds OCRP,
 * WEN by its own ID and CDN by the PAC's (our peer_call_id).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctrl.h"
#include "ctrl_int.h"

static const char *
name_or(const char *name)
{
	return name != NULL ? name : "undefined";
}

/* --- the call table --- */

static bool
call_used(const struct ctrl_call *call)
{
	return call->state != CTRL_CALL_IDLE;
}

/* By our Call ID. */
static struct ctrl_call *
call_by_id(struct ctrl *c, uint16_t id)
{
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (call_used(&c->calls[i]) && c->calls[i].call_id == id)
			return &c->calls[i];
	return NULL;
}

/* By the peer's Call ID, once known. */
static struct ctrl_call *
call_by_peer_id(struct ctrl *c, uint16_t id)
{
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (call_used(&c->calls[i]) && c->calls[i].has_peer_id &&
		    c->calls[i].peer_call_id == id)
			return &c->calls[i];
	return NULL;
}

/* A free slot set up for call id in state st, or NULL when the table (or
 * the configured limit) is full. */
static struct ctrl_call *
call_new(struct ctrl *c, uint64_t now, uint16_t id, enum ctrl_call_state st)
{
	struct ctrl_call *call;
	unsigned i;

	if (c->ncalls >= c->cfg.max_calls)
		return NULL;
	for (i = 0; i < CTRL_MAX_CALLS; i++) {
		call = &c->calls[i];
		if (call_used(call))
			continue;
		memset(call, 0, sizeof(*call));
		call->state = st;
		call->call_id = id;
		call->our_rwin = c->cfg.recv_window;
		call->our_ppd = c->cfg.ppd;
		call->created = now;
		call->deadline = ctrl_after(now, c->cfg.call_timeout_ms);
		c->ncalls++;
		return call;
	}
	return NULL;
}

/*
 * Frees call and emits CTRL_EV_CALL_DOWN for it (ev carries down, msg and
 * the codes), the text "call down call_id=.. peer_call_id=.. cause=.. " and
 * the formatted detail.  The event shows a copy: the slot is already free.
 * Then a pending ctrl_stop() may go on.
 */
static void __attribute__((format(printf, 5, 6)))
call_gone(struct ctrl *c, uint64_t now, struct ctrl_call *call,
    struct ctrl_event *ev, const char *fmt, ...)
{
	struct ctrl_call copy = *call;
	char detail[CTRL_TEXT_MAX];
	va_list ap;

	memset(call, 0, sizeof(*call));
	c->ncalls--;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	ev->type = CTRL_EV_CALL_DOWN;
	ev->call = &copy;
	ctrl_emitf(c, ev, "call down call_id=%u peer_call_id=%u cause=%s %s",
	    copy.call_id, copy.peer_call_id, ctrl_down_cause_str(ev->down),
	    detail);
	ctrl_stop_continue(c, now);
}

/* --- sending --- */

static void
ocrp_send(struct ctrl *c, uint16_t call_id, uint16_t peer_call_id,
    uint8_t result, uint8_t error, uint16_t cause, uint32_t speed)
{
	struct pptp_msg m;
	struct pptp_ocrp *p = &m.u.ocrp;

	pptp_msg_init(&m, PPTP_OCRP);
	p->call_id = call_id;
	p->peer_call_id = peer_call_id;
	p->result = result;
	p->error = error;
	p->cause = cause;
	p->connect_speed = speed;
	p->recv_window = c->cfg.recv_window;
	p->ppd = c->cfg.ppd;
	(void)ctrl_tx(c, &m);
}

/* PAC: an OCRQ refused before any call exists (no Call ID allocated). */
static void
ocrq_refuse(struct ctrl *c, const struct pptp_msg *m, uint8_t result,
    uint8_t error, const char *why)
{
	ocrp_send(c, 0, m->u.ocrq.call_id, result, error, 0, 0);
	c->stats.calls_refused++;
	ctrl_logf(c, m, "refused OCRQ peer_call_id=%u result=%u (%s) "
	    "error=%u (%s): %s", m->u.ocrq.call_id, result,
	    name_or(pptp_result_name(PPTP_OCRP, result)), error,
	    name_or(pptp_general_error_name(error)), why);
}

/* PAC: refuses a pending call (its Call ID is ours) and drops it. */
static void
call_refuse(struct ctrl *c, uint64_t now, struct ctrl_call *call,
    uint8_t result, uint8_t error, uint16_t cause, enum ctrl_down_cause down,
    const char *why)
{
	struct ctrl_event ev = { .down = down, .result = result,
	    .error = error, .cause = cause };

	ocrp_send(c, call->call_id, call->peer_call_id, result, error, cause,
	    0);
	c->stats.calls_refused++;
	call_gone(c, now, call, &ev, "%s: sent OCRP result=%u (%s) error=%u "
	    "(%s)", why, result, name_or(pptp_result_name(PPTP_OCRP, result)),
	    error, name_or(pptp_general_error_name(error)));
}

/* PAC: CDN for an established call, which goes down. */
static void
call_disconnect(struct ctrl *c, uint64_t now, struct ctrl_call *call,
    uint8_t result, const char *stats, enum ctrl_down_cause down,
    const struct pptp_msg *cause_msg)
{
	struct ctrl_event ev = { .down = down, .msg = cause_msg,
	    .result = result };
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_CDN);
	m.u.cdn.call_id = call->call_id;
	m.u.cdn.result = result;
	pptp_msg_set_str(m.u.cdn.call_stats, sizeof(m.u.cdn.call_stats),
	    stats != NULL ? stats : "");
	(void)ctrl_tx(c, &m);
	call_gone(c, now, call, &ev, "sent CDN result=%u (%s)", result,
	    name_or(pptp_result_name(PPTP_CDN, result)));
}

/* PNS: CCRQ with our own Call ID (2.12: the peer's may not be known). */
static void
call_clear(struct ctrl *c, uint64_t now, struct ctrl_call *call)
{
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_CCRQ);
	m.u.ccrq.call_id = call->call_id;
	call->state = CTRL_CALL_WAIT_DISCONNECT;
	call->deadline = ctrl_after(now, c->cfg.call_timeout_ms);
	(void)ctrl_tx(c, &m);
}

/* --- receiving --- */

void
ctrl_rx_ocrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_ocrq *q = &m->u.ocrq;
	struct ctrl_event ev = { .type = CTRL_EV_CALL_REQUEST, .msg = m };
	struct ctrl_call *call;
	char text[CTRL_TEXT_MAX];
	struct sbuf sb;
	uint16_t id;
	int ret;

	if (c->state == CTRL_WAIT_START) {
		ocrp_send(c, 0, q->call_id, PPTP_OCRP_GENERAL_ERROR,
		    PPTP_GENERR_NOT_CONNECTED, 0, 0);
		ctrl_ignored(c, m, CTRL_IGN_STATE, "answered=Not-Connected");
		return;
	}
	if (c->state != CTRL_ESTABLISHED || c->stopping) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	if (call_by_peer_id(c, q->call_id) != NULL) {
		ocrq_refuse(c, m, PPTP_OCRP_GENERAL_ERROR,
		    PPTP_GENERR_BAD_CALL_ID, "peer's Call ID already in use");
		return;
	}
	if (c->ncalls >= c->cfg.max_calls) {
		ocrq_refuse(c, m, PPTP_OCRP_BUSY, PPTP_GENERR_NONE,
		    "call table full");
		return;
	}
	if ((ret = c->cfg.call_id(c->cfg.ctx, &id)) != 0) {
		if (ret == ERR_NOSPACE)
			ocrq_refuse(c, m, PPTP_OCRP_BUSY, PPTP_GENERR_NONE,
			    "no Call ID free");
		else
			ocrq_refuse(c, m, PPTP_OCRP_GENERAL_ERROR,
			    PPTP_GENERR_PAC_ERROR, err_str(ret));
		return;
	}
	if (call_by_id(c, id) != NULL ||
	    (call = call_new(c, now, id, CTRL_CALL_PENDING)) == NULL) {
		ocrq_refuse(c, m, PPTP_OCRP_GENERAL_ERROR,
		    PPTP_GENERR_PAC_ERROR, "Call ID allocator returned an ID "
		    "in use on this connection");
		return;
	}
	call->peer_call_id = q->call_id;
	call->has_peer_id = true;
	call->serial = q->call_serial;
	call->min_bps = q->min_bps;
	call->max_bps = q->max_bps;
	call->bearer_type = q->bearer_type;
	call->framing_type = q->framing_type;
	call->peer_rwin = q->recv_window;
	call->peer_ppd = q->ppd;
	memcpy(call->phone, q->phone, sizeof(call->phone));
	ev.call = call;
	sbuf_init(&sb, text, sizeof(text));
	sbuf_printf(&sb, "call request call_id=%u peer_call_id=%u serial=%u "
	    "min_bps=%u max_bps=%u bearer=%s framing=%s peer_window=%u "
	    "peer_ppd=%u phone=\"", call->call_id, call->peer_call_id,
	    call->serial, call->min_bps, call->max_bps,
	    name_or(pptp_bearer_type_name(call->bearer_type)),
	    name_or(pptp_framing_type_name(call->framing_type)),
	    call->peer_rwin, call->peer_ppd);
	sbuf_escaped(&sb, call->phone, PPTP_PHONE_LEN);
	sbuf_printf(&sb, "\"");
	ctrl_emit(c, &ev, sbuf_str(&sb));
}

void
ctrl_rx_ocrp(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_ocrp *p = &m->u.ocrp;
	struct ctrl_event ev = { .msg = m, .result = p->result,
	    .error = p->error, .cause = p->cause };
	struct ctrl_call *call;
	char text[CTRL_TEXT_MAX];

	if (c->state != CTRL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	if ((call = call_by_id(c, p->peer_call_id)) == NULL) {
		ctrl_ignored(c, m, CTRL_IGN_CALL, "peer_call_id=%u",
		    p->peer_call_id);
		return;
	}
	if (call->has_peer_id) {	/* a second OCRP */
		ctrl_ignored(c, m, CTRL_IGN_STATE, "call_state=%s",
		    ctrl_call_state_str(call->state));
		return;
	}
	call->peer_call_id = p->call_id;
	call->has_peer_id = true;
	call->connect_speed = p->connect_speed;
	call->peer_rwin = p->recv_window;
	call->peer_ppd = p->ppd;
	call->phys_channel = p->phys_channel;
	if (p->result != PPTP_OCRP_CONNECTED) {
		snprintf(text, sizeof(text), "OCRP result %u (%s) error %u "
		    "(%s) cause %u", p->result, name_or(pptp_result_name(
		    PPTP_OCRP, p->result)), p->error,
		    name_or(pptp_general_error_name(p->error)), p->cause);
		c->stats.calls_refused++;
		ev.type = CTRL_EV_REFUSED;
		ev.call = call;
		ctrl_emitf(c, &ev, "%s call_id=%u", text, call->call_id);
		/* The callback may have closed or cleared everything. */
		if ((call = call_by_id(c, p->peer_call_id)) == NULL)
			return;
		ev.down = CTRL_DOWN_REFUSED;
		call_gone(c, now, call, &ev, "%s", text);
		return;
	}
	if (call->state == CTRL_CALL_WAIT_DISCONNECT)
		return;		/* CCRQ crossed it: now the CDN can match */
	call->state = CTRL_CALL_ESTABLISHED;
	call->deadline = CTRL_NEVER;
	c->stats.calls_up++;
	ev.type = CTRL_EV_CALL_UP;
	ev.call = call;
	ctrl_emitf(c, &ev, "call up call_id=%u peer_call_id=%u speed=%u "
	    "window=%u peer_window=%u peer_ppd=%u", call->call_id,
	    call->peer_call_id, call->connect_speed, call->our_rwin,
	    call->peer_rwin, call->peer_ppd);
}

/* PNS: incoming calls are not part of remote access: Do-Not-Accept. */
void
ctrl_rx_icrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	struct pptp_msg r;

	(void)now;
	if (c->state != CTRL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	pptp_msg_init(&r, PPTP_ICRP);
	r.u.icrp.peer_call_id = m->u.icrq.call_id;
	r.u.icrp.result = PPTP_ICRP_DO_NOT_ACCEPT;
	(void)ctrl_tx(c, &r);
	c->stats.incoming_refused++;
	ctrl_logf(c, m, "refused ICRQ peer_call_id=%u: sent ICRP result=3 "
	    "(Do-Not-Accept): incoming calls not supported",
	    m->u.icrq.call_id);
}

/* PAC: we never offer incoming calls, so no ICRP or ICCN can match. */
void
ctrl_rx_icrp_iccn(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	(void)now;
	ctrl_ignored(c, m, CTRL_IGN_CALL, "no incoming call was offered");
}

void
ctrl_rx_ccrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	struct ctrl_call *call;

	if (c->state != CTRL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	if ((call = call_by_peer_id(c, m->u.ccrq.call_id)) == NULL) {
		ctrl_ignored(c, m, CTRL_IGN_CALL, "call_id=%u",
		    m->u.ccrq.call_id);
		return;
	}
	/* 2.13: CDN result 4 "Request", pending calls included. */
	call_disconnect(c, now, call, PPTP_CDN_REQUEST, NULL, CTRL_DOWN_CCRQ,
	    m);
}

void
ctrl_rx_cdn(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_cdn *d = &m->u.cdn;
	struct ctrl_event ev = { .down = CTRL_DOWN_CDN, .msg = m,
	    .result = d->result, .error = d->error, .cause = d->cause };
	struct ctrl_call *call;
	char stats[CTRL_TEXT_MAX / 2];
	struct sbuf sb;

	if (c->state != CTRL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	if ((call = call_by_peer_id(c, d->call_id)) == NULL) {
		ctrl_ignored(c, m, CTRL_IGN_CALL, "call_id=%u", d->call_id);
		return;
	}
	sbuf_init(&sb, stats, sizeof(stats));
	sbuf_escaped(&sb, d->call_stats, PPTP_STATS_LEN);
	call_gone(c, now, call, &ev, "CDN result=%u (%s) error=%u (%s) "
	    "cause=%u stats=\"%s\"", d->result, name_or(pptp_result_name(
	    PPTP_CDN, d->result)), d->error,
	    name_or(pptp_general_error_name(d->error)), d->cause,
	    sbuf_str(&sb));
}

void
ctrl_rx_wen(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_wen *w = &m->u.wen;
	struct ctrl_event ev = { .type = CTRL_EV_WAN_ERROR, .msg = m };
	struct ctrl_call *call;

	(void)now;
	if (c->state != CTRL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	if ((call = call_by_id(c, w->peer_call_id)) == NULL) {
		ctrl_ignored(c, m, CTRL_IGN_CALL, "peer_call_id=%u",
		    w->peer_call_id);
		return;
	}
	ev.call = call;
	ctrl_emitf(c, &ev, "wan error call_id=%u crc=%u framing=%u "
	    "hw_overruns=%u buf_overruns=%u timeouts=%u alignment=%u",
	    call->call_id, w->crc_errors, w->framing_errors, w->hw_overruns,
	    w->buf_overruns, w->timeout_errors, w->align_errors);
}

void
ctrl_rx_sli(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_sli *s = &m->u.sli;
	struct ctrl_event ev = { .type = CTRL_EV_SLI, .msg = m };
	struct ctrl_call *call;

	(void)now;
	if (c->state != CTRL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	if ((call = call_by_id(c, s->peer_call_id)) == NULL) {
		ctrl_ignored(c, m, CTRL_IGN_CALL, "peer_call_id=%u",
		    s->peer_call_id);
		return;
	}
	if (call->state != CTRL_CALL_ESTABLISHED) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, "call_state=%s",
		    ctrl_call_state_str(call->state));
		return;
	}
	call->has_sli = true;
	call->send_accm = s->send_accm;
	call->recv_accm = s->recv_accm;
	ev.call = call;
	ctrl_emitf(c, &ev, "set link info call_id=%u send_accm=0x%08x "
	    "recv_accm=0x%08x", call->call_id, s->send_accm, s->recv_accm);
}

/* --- timers and teardown --- */

uint64_t
ctrl_calls_deadline(const struct ctrl *c)
{
	uint64_t d = CTRL_NEVER;
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (call_used(&c->calls[i]) && c->calls[i].deadline < d)
			d = c->calls[i].deadline;
	return d;
}

void
ctrl_calls_timeout(struct ctrl *c, uint64_t now)
{
	struct ctrl_event ev = { .down = CTRL_DOWN_TIMEOUT };
	uint32_t ms = c->cfg.call_timeout_ms;
	struct ctrl_call *call;
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS && c->state == CTRL_ESTABLISHED; i++) {
		call = &c->calls[i];
		if (!call_used(call) || now < call->deadline)
			continue;
		switch (call->state) {
		case CTRL_CALL_WAIT_REPLY:
			call_gone(c, now, call, &ev, "no OCRP within %u ms",
			    ms);
			break;
		case CTRL_CALL_WAIT_DISCONNECT:
			call_gone(c, now, call, &ev, "no CDN within %u ms",
			    ms);
			break;
		case CTRL_CALL_PENDING:
			call_refuse(c, now, call, PPTP_OCRP_TIMEOUT,
			    PPTP_GENERR_NONE, 0, CTRL_DOWN_TIMEOUT,
			    "not accepted in time");
			break;
		case CTRL_CALL_ESTABLISHED:
		case CTRL_CALL_IDLE:
			call->deadline = CTRL_NEVER;
			break;
		}
	}
}

void
ctrl_calls_stop(struct ctrl *c, uint64_t now)
{
	struct ctrl_call *call;
	unsigned i;

	/* Callbacks may stop, close or clear anything: re-check each turn. */
	for (i = 0; i < CTRL_MAX_CALLS && c->state == CTRL_ESTABLISHED; i++) {
		call = &c->calls[i];
		if (c->cfg.role == CTRL_ROLE_PNS) {
			if (call->state == CTRL_CALL_WAIT_REPLY ||
			    call->state == CTRL_CALL_ESTABLISHED)
				call_clear(c, now, call);
		} else if (call->state == CTRL_CALL_ESTABLISHED) {
			call_disconnect(c, now, call, PPTP_CDN_ADMIN_SHUTDOWN,
			    NULL, CTRL_DOWN_LOCAL, NULL);
		} else if (call->state == CTRL_CALL_PENDING) {
			call_refuse(c, now, call, PPTP_OCRP_GENERAL_ERROR,
			    PPTP_GENERR_NONE, 0, CTRL_DOWN_LOCAL,
			    "control connection stopping");
		}
	}
}

void
ctrl_calls_drop_all(struct ctrl *c, uint64_t now, const char *why)
{
	struct ctrl_event ev = { .down = CTRL_DOWN_CLOSING };
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (call_used(&c->calls[i]))
			call_gone(c, now, &c->calls[i], &ev, "%s", why);
}

/* --- the glue's call functions --- */

/* The call id of a role-restricted function, or an error in *ret. */
static struct ctrl_call *
call_for(struct ctrl *c, enum ctrl_role role, uint16_t call_id, int *ret)
{
	struct ctrl_call *call = NULL;

	if (c->cfg.role != role)
		*ret = ERR_INVAL;
	else if (c->state == CTRL_CLOSED)
		*ret = ERR_CLOSED;
	else if ((call = call_by_id(c, call_id)) == NULL)
		*ret = ERR_NOTFOUND;
	else
		*ret = 0;
	return call;
}

int
ctrl_call_open(struct ctrl *c, uint64_t now, const char *phone,
    uint16_t *call_id)
{
	struct ctrl_call *call;
	struct pptp_msg m;
	struct pptp_ocrq *q = &m.u.ocrq;
	unsigned tries;
	uint16_t id;
	int ret;

	if (c->cfg.role != CTRL_ROLE_PNS)
		return ERR_INVAL;
	if (c->state == CTRL_CLOSED)
		return ERR_CLOSED;
	if (c->state != CTRL_ESTABLISHED || c->stopping)
		return ERR_STATE;
	if (c->ncalls >= c->cfg.max_calls)
		return ERR_NOSPACE;
	for (tries = 0;; tries++) {
		if (tries == CTRL_CALL_ID_TRIES)
			return ERR_EXISTS;
		if ((ret = c->cfg.call_id(c->cfg.ctx, &id)) != 0)
			return ret;
		if (call_by_id(c, id) == NULL)
			break;
	}
	if ((call = call_new(c, now, id, CTRL_CALL_WAIT_REPLY)) == NULL)
		return ERR_NOSPACE;
	call->serial = ++c->serial;
	call->min_bps = c->cfg.min_bps;
	call->max_bps = c->cfg.max_bps;
	call->bearer_type = c->cfg.bearer_type;
	call->framing_type = c->cfg.framing_type;
	pptp_msg_set_str(call->phone, sizeof(call->phone),
	    phone != NULL ? phone : "");
	pptp_msg_init(&m, PPTP_OCRQ);
	q->call_id = call->call_id;
	q->call_serial = call->serial;
	q->min_bps = call->min_bps;
	q->max_bps = call->max_bps;
	q->bearer_type = call->bearer_type;
	q->framing_type = call->framing_type;
	q->recv_window = call->our_rwin;
	q->ppd = call->our_ppd;
	q->phone_len = (uint16_t)strlen(call->phone);
	memcpy(q->phone, call->phone, sizeof(q->phone));
	*call_id = id;
	return ctrl_tx(c, &m);
}

int
ctrl_call_accept(struct ctrl *c, uint64_t now, uint16_t call_id)
{
	struct ctrl_event ev = { .type = CTRL_EV_CALL_UP };
	struct ctrl_call *call;
	int ret;

	(void)now;
	if ((call = call_for(c, CTRL_ROLE_PAC, call_id, &ret)) == NULL)
		return ret;
	if (call->state != CTRL_CALL_PENDING)
		return ERR_STATE;
	/* Connect Speed echoes the request's Maximum BPS, as pptpd does. */
	call->connect_speed = call->max_bps;
	call->state = CTRL_CALL_ESTABLISHED;
	call->deadline = CTRL_NEVER;
	ocrp_send(c, call->call_id, call->peer_call_id, PPTP_OCRP_CONNECTED,
	    PPTP_GENERR_NONE, 0, call->connect_speed);
	c->stats.calls_up++;
	ev.call = call;
	ctrl_emitf(c, &ev, "call up call_id=%u peer_call_id=%u speed=%u "
	    "window=%u peer_window=%u peer_ppd=%u", call->call_id,
	    call->peer_call_id, call->connect_speed, call->our_rwin,
	    call->peer_rwin, call->peer_ppd);
	return 0;
}

int
ctrl_call_reject(struct ctrl *c, uint64_t now, uint16_t call_id,
    uint8_t result, uint8_t error, uint16_t cause)
{
	struct ctrl_call *call;
	int ret;

	if (result <= PPTP_OCRP_CONNECTED || result > PPTP_OCRP_DO_NOT_ACCEPT)
		return ERR_INVAL;
	if ((call = call_for(c, CTRL_ROLE_PAC, call_id, &ret)) == NULL)
		return ret;
	if (call->state != CTRL_CALL_PENDING)
		return ERR_STATE;
	call_refuse(c, now, call, result, error, cause, CTRL_DOWN_REFUSED,
	    "rejected");
	return 0;
}

int
ctrl_call_clear(struct ctrl *c, uint64_t now, uint16_t call_id)
{
	struct ctrl_call *call;
	int ret;

	if ((call = call_for(c, CTRL_ROLE_PNS, call_id, &ret)) == NULL)
		return ret;
	if (call->state != CTRL_CALL_WAIT_DISCONNECT)
		call_clear(c, now, call);
	return 0;
}

int
ctrl_call_disconnect(struct ctrl *c, uint64_t now, uint16_t call_id,
    uint8_t result, const char *stats_text)
{
	struct ctrl_call *call;
	int ret;

	if (result < PPTP_CDN_LOST_CARRIER || result > PPTP_CDN_REQUEST)
		return ERR_INVAL;
	if ((call = call_for(c, CTRL_ROLE_PAC, call_id, &ret)) == NULL)
		return ret;
	if (call->state != CTRL_CALL_ESTABLISHED)
		return ERR_STATE;
	call_disconnect(c, now, call, result, stats_text, CTRL_DOWN_LOCAL,
	    NULL);
	return 0;
}

int
ctrl_call_set_link_info(struct ctrl *c, uint64_t now, uint16_t call_id,
    uint32_t send_accm, uint32_t recv_accm)
{
	struct ctrl_call *call;
	struct pptp_msg m;
	int ret;

	(void)now;
	if ((call = call_for(c, CTRL_ROLE_PNS, call_id, &ret)) == NULL)
		return ret;
	if (call->state != CTRL_CALL_ESTABLISHED)
		return ERR_STATE;
	call->has_sli = true;
	call->send_accm = send_accm;
	call->recv_accm = recv_accm;
	pptp_msg_init(&m, PPTP_SLI);
	m.u.sli.peer_call_id = call->peer_call_id;
	m.u.sli.send_accm = send_accm;
	m.u.sli.recv_accm = recv_accm;
	return ctrl_tx(c, &m);
}

int
ctrl_call_wan_error(struct ctrl *c, uint64_t now, uint16_t call_id,
    const struct pptp_wen *counts)
{
	struct ctrl_call *call;
	struct pptp_msg m;
	int ret;

	(void)now;
	if (counts == NULL)
		return ERR_INVAL;
	if ((call = call_for(c, CTRL_ROLE_PAC, call_id, &ret)) == NULL)
		return ret;
	if (call->state != CTRL_CALL_ESTABLISHED)
		return ERR_STATE;
	pptp_msg_init(&m, PPTP_WEN);
	m.u.wen = *counts;
	m.u.wen.peer_call_id = call->peer_call_id;
	m.u.wen.reserved1 = 0;
	return ctrl_tx(c, &m);
}

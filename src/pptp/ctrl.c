/*
 * ctrl.c - the PPTP control connection, both roles: stream framing and loss
 * of synchronisation (RFC 2637 1.4), the connection messages
 * (Start-/Stop-Control-Connection-Request/-Reply, Echo-Request/-Reply,
 * 2.1-2.6), the per-type direction table (1.3, 2.12-2.15), the connection
 * states and timers (3.1.1-3.1.4) and the teardown order (3.1.2).  The calls
 * are in ctrl_call.c, accessors and names in ctrl_names.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctrl.h"
#include "ctrl_int.h"

#define TO_PAC	0x1		/* the PAC may receive it */
#define TO_PNS	0x2		/* the PNS may receive it */
#define TO_BOTH	(TO_PAC | TO_PNS)

typedef void rx_fn(struct ctrl *c, uint64_t now, const struct pptp_msg *m);

static rx_fn rx_sccrq, rx_sccrp, rx_stopccrq, rx_stopccrp, rx_echorq,
    rx_echorp;

/* Who receives what (RFC 2637 2.x "sent by the PNS/PAC to the ...") and its
 * handler; every type 1..15 has an entry. */
static const struct {
	uint8_t	 to;
	rx_fn	*fn;
} rx_table[PPTP_CTRL_TYPE_MAX + 1] = {
	/* 2.1 lets either side open; in remote access the PNS does. */
	[PPTP_SCCRQ] =		{ TO_PAC, rx_sccrq },
	[PPTP_SCCRP] =		{ TO_PNS, rx_sccrp },
	[PPTP_STOPCCRQ] =	{ TO_BOTH, rx_stopccrq },
	[PPTP_STOPCCRP] =	{ TO_BOTH, rx_stopccrp },
	[PPTP_ECHORQ] =		{ TO_BOTH, rx_echorq },
	[PPTP_ECHORP] =		{ TO_BOTH, rx_echorp },
	[PPTP_OCRQ] =		{ TO_PAC, ctrl_rx_ocrq },	/* 2.7 */
	[PPTP_OCRP] =		{ TO_PNS, ctrl_rx_ocrp },	/* 2.8 */
	[PPTP_ICRQ] =		{ TO_PNS, ctrl_rx_icrq },	/* 2.9 */
	[PPTP_ICRP] =		{ TO_PAC, ctrl_rx_icrp_iccn },	/* 2.10 */
	[PPTP_ICCN] =		{ TO_PAC, ctrl_rx_icrp_iccn },	/* 2.11 */
	[PPTP_CCRQ] =		{ TO_PAC, ctrl_rx_ccrq },	/* 2.12 */
	[PPTP_CDN] =		{ TO_PNS, ctrl_rx_cdn },	/* 2.13 */
	[PPTP_WEN] =		{ TO_PNS, ctrl_rx_wen },	/* 2.14 */
	[PPTP_SLI] =		{ TO_PAC, ctrl_rx_sli },	/* 2.15 */
};

/* --- shared helpers --- */

uint64_t
ctrl_after(uint64_t now, uint32_t ms)
{
	return now >= CTRL_NEVER - ms ? CTRL_NEVER - 1 : now + ms;
}

const char *
ctrl_role_name(const struct ctrl *c)
{
	return ctrl_role_str(c->cfg.role);
}

static const char *
name_or(const char *name)
{
	return name != NULL ? name : "undefined";
}

int
ctrl_tx(struct ctrl *c, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wr w;
	int ret;

	if (c->state == CTRL_CLOSED)
		return ERR_CLOSED;
	wr_init(&w, buf, sizeof(buf));
	if ((ret = pptp_msg_encode(&w, m)) != 0)
		return ret;
	c->stats.tx[m->ctrl_type]++;
	c->stats.tx_bytes += wr_len(&w);
	c->cfg.send(c->cfg.ctx, buf, wr_len(&w));
	return 0;
}

void
ctrl_emit(struct ctrl *c, const struct ctrl_event *ev, const char *text)
{
	struct ctrl_event e = *ev;

	e.text = text != NULL ? text : "";
	if (c->cfg.event != NULL)
		c->cfg.event(c->cfg.ctx, &e);
}

void
ctrl_emitf(struct ctrl *c, const struct ctrl_event *ev, const char *fmt, ...)
{
	char text[CTRL_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ctrl_emit(c, ev, text);
}

void
ctrl_logf(struct ctrl *c, const struct pptp_msg *m, const char *fmt, ...)
{
	struct ctrl_event ev = { .type = CTRL_EV_LOG, .msg = m };
	char text[CTRL_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ctrl_emit(c, &ev, text);
}

void
ctrl_ignored(struct ctrl *c, const struct pptp_msg *m, enum ctrl_ignore why,
    const char *fmt, ...)
{
	static const char *const whys[] = {
		[CTRL_IGN_DIRECTION] = "wrong-direction",
		[CTRL_IGN_STATE] = "wrong-state",
		[CTRL_IGN_CALL] = "unknown-call",
	};
	struct ctrl_event ev = { .type = CTRL_EV_LOG, .msg = m };
	char text[CTRL_TEXT_MAX];
	struct sbuf sb;
	va_list ap;

	c->stats.ignored++;
	switch (why) {
	case CTRL_IGN_DIRECTION:	c->stats.wrong_direction++; break;
	case CTRL_IGN_STATE:		c->stats.wrong_state++; break;
	case CTRL_IGN_CALL:		c->stats.unknown_call++; break;
	}
	sbuf_init(&sb, text, sizeof(text));
	sbuf_printf(&sb, "ignored msg=%s why=%s role=%s state=%s",
	    name_or(pptp_ctrl_type_name(m->ctrl_type)), whys[why],
	    ctrl_role_name(c), ctrl_state_str(c->state));
	if (fmt != NULL) {
		char detail[CTRL_TEXT_MAX];

		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
		sbuf_printf(&sb, " %s", detail);
	}
	ctrl_emit(c, &ev, sbuf_str(&sb));
}

void
ctrl_close(struct ctrl *c, uint64_t now, enum ctrl_close_cause cause,
    bool orderly, const char *text)
{
	struct ctrl_event ev = { .type = CTRL_EV_CLOSED, .close = cause,
	    .orderly = orderly };

	if (c->state == CTRL_CLOSED)
		return;
	/* Closed first, so that callbacks from here on find it closed. */
	c->state = CTRL_CLOSED;
	c->stopping = false;
	c->echo_out = false;
	c->inlen = 0;
	ctrl_calls_drop_all(c, now, text);
	ctrl_emit(c, &ev, text);
}

/* --- configuration and start --- */

void
ctrl_config_default(struct ctrl_config *cfg, enum ctrl_role role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	cfg->host_name = CTRL_VENDOR;
	cfg->vendor = CTRL_VENDOR;
	cfg->framing_caps = PPTP_FRAMING_CAP_ASYNC | PPTP_FRAMING_CAP_SYNC;
	cfg->bearer_caps = PPTP_BEARER_CAP_ANALOG | PPTP_BEARER_CAP_DIGITAL;
	cfg->max_channels = CTRL_MAX_CALLS;
	cfg->firmware_rev = 1;
	cfg->max_calls = CTRL_MAX_CALLS;
	cfg->start_timeout_ms = 60000;		/* RFC 2637 3.1.4 */
	cfg->echo_idle_ms = 60000;
	cfg->echo_reply_ms = 60000;
	cfg->call_timeout_ms = 60000;		/* 3.2.1: one minute */
	cfg->stop_timeout_ms = 60000;
	cfg->recv_window = 64;
	cfg->ppd = 0;
	cfg->min_bps = 300;
	cfg->max_bps = 100000000;
	cfg->bearer_type = PPTP_BEARER_ANY;
	cfg->framing_type = PPTP_FRAMING_ANY;
}

int
ctrl_init(struct ctrl *c, const struct ctrl_config *cfg)
{
	if (cfg == NULL || cfg->send == NULL || cfg->call_id == NULL ||
	    (cfg->role != CTRL_ROLE_PAC && cfg->role != CTRL_ROLE_PNS))
		return ERR_INVAL;
	if (cfg->max_calls == 0 || cfg->max_calls > CTRL_MAX_CALLS ||
	    cfg->start_timeout_ms == 0 || cfg->echo_reply_ms == 0 ||
	    cfg->call_timeout_ms == 0 || cfg->stop_timeout_ms == 0)
		return ERR_RANGE;
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	pptp_msg_set_str(c->host_name, sizeof(c->host_name),
	    cfg->host_name != NULL ? cfg->host_name : "");
	pptp_msg_set_str(c->vendor, sizeof(c->vendor),
	    cfg->vendor != NULL ? cfg->vendor : CTRL_VENDOR);
	c->cfg.host_name = c->host_name;
	c->cfg.vendor = c->vendor;
	c->state = CTRL_IDLE;
	return 0;
}

int
ctrl_start(struct ctrl *c, uint64_t now)
{
	struct pptp_msg m;
	struct pptp_sccrq *q = &m.u.sccrq;

	if (c->state != CTRL_IDLE)
		return ERR_STATE;
	c->t_state = now;
	c->last_rx = now;
	if (c->cfg.role == CTRL_ROLE_PAC) {
		c->state = CTRL_WAIT_START;
		return 0;
	}
	c->state = CTRL_WAIT_CTL_REPLY;
	pptp_msg_init(&m, PPTP_SCCRQ);
	q->framing_caps = c->cfg.framing_caps;
	q->bearer_caps = c->cfg.bearer_caps;
	q->max_channels = c->cfg.max_channels;
	q->firmware_rev = c->cfg.firmware_rev;
	pptp_msg_set_str(q->host_name, sizeof(q->host_name), c->host_name);
	pptp_msg_set_str(q->vendor, sizeof(q->vendor), c->vendor);
	return ctrl_tx(c, &m);
}

/* --- Start-Control-Connection (2.1, 2.2) --- */

static void
peer_record(struct ctrl *c, uint16_t version, uint32_t framing,
    uint32_t bearer, uint16_t max_channels, uint16_t firmware,
    const char *host, const char *vendor)
{
	struct ctrl_peer *p = &c->peer;

	p->known = true;
	p->version = version;
	p->framing_caps = framing;
	p->bearer_caps = bearer;
	p->max_channels = max_channels;
	p->firmware_rev = firmware;
	memcpy(p->host_name, host, sizeof(p->host_name));
	memcpy(p->vendor, vendor, sizeof(p->vendor));
}

/* Enters established and reports the peer. */
static void
established(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	struct ctrl_event ev = { .type = CTRL_EV_ESTABLISHED, .msg = m };
	const struct ctrl_peer *p = &c->peer;
	char text[CTRL_TEXT_MAX];
	struct sbuf sb;

	c->state = CTRL_ESTABLISHED;
	c->t_state = now;
	c->last_rx = now;
	c->echo_out = false;
	sbuf_init(&sb, text, sizeof(text));
	sbuf_printf(&sb, "established role=%s peer_version=%u.%u host=\"",
	    ctrl_role_name(c), p->version >> 8, p->version & 0xff);
	sbuf_escaped(&sb, p->host_name, PPTP_HOST_NAME_LEN);
	sbuf_printf(&sb, "\" vendor=\"");
	sbuf_escaped(&sb, p->vendor, PPTP_VENDOR_LEN);
	sbuf_printf(&sb, "\" framing=");
	pptp_framing_caps_print(p->framing_caps, &sb);
	sbuf_printf(&sb, " bearer=");
	pptp_bearer_caps_print(p->bearer_caps, &sb);
	sbuf_printf(&sb, " max_channels=%u firmware=0x%x", p->max_channels,
	    p->firmware_rev);
	ctrl_emit(c, &ev, sbuf_str(&sb));
}

static void
sccrp_send(struct ctrl *c, uint8_t result)
{
	struct pptp_msg m;
	struct pptp_sccrp *p = &m.u.sccrp;

	pptp_msg_init(&m, PPTP_SCCRP);
	p->result = result;
	p->error = PPTP_GENERR_NONE;
	p->framing_caps = c->cfg.framing_caps;
	p->bearer_caps = c->cfg.bearer_caps;
	p->max_channels = c->cfg.max_channels;
	p->firmware_rev = c->cfg.firmware_rev;
	pptp_msg_set_str(p->host_name, sizeof(p->host_name), c->host_name);
	pptp_msg_set_str(p->vendor, sizeof(p->vendor), c->vendor);
	(void)ctrl_tx(c, &m);
}

/* PAC: the PNS opens the control connection. */
static void
rx_sccrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_sccrq *q = &m->u.sccrq;
	char text[CTRL_TEXT_MAX];

	if (c->state != CTRL_WAIT_START) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	peer_record(c, q->version, q->framing_caps, q->bearer_caps,
	    q->max_channels, q->firmware_rev, q->host_name, q->vendor);
	if (q->version != PPTP_VERSION) {
		sccrp_send(c, PPTP_SCCRP_BAD_VERSION);
		snprintf(text, sizeof(text), "SCCRQ version %u.%u not "
		    "supported: answered SCCRP result 5 (%s)", q->version >> 8,
		    q->version & 0xff, name_or(pptp_result_name(PPTP_SCCRP,
		    PPTP_SCCRP_BAD_VERSION)));
		ctrl_close(c, now, CTRL_CLOSE_REFUSED, false, text);
		return;
	}
	sccrp_send(c, PPTP_SCCRP_SUCCESS);
	established(c, now, m);
}

/* PNS: the PAC answers our SCCRQ. */
static void
rx_sccrp(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_sccrp *p = &m->u.sccrp;
	struct ctrl_event ev = { .type = CTRL_EV_REFUSED, .msg = m,
	    .result = p->result, .error = p->error };
	char text[CTRL_TEXT_MAX];

	if (c->state != CTRL_WAIT_CTL_REPLY) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	peer_record(c, p->version, p->framing_caps, p->bearer_caps,
	    p->max_channels, p->firmware_rev, p->host_name, p->vendor);
	c->peer.result = p->result;
	c->peer.error = p->error;
	if (p->result != PPTP_SCCRP_SUCCESS && p->result != 0) {
		snprintf(text, sizeof(text), "SCCRP result %u (%s) error %u "
		    "(%s)", p->result, name_or(pptp_result_name(PPTP_SCCRP,
		    p->result)), p->error,
		    name_or(pptp_general_error_name(p->error)));
		ctrl_emit(c, &ev, text);
		ctrl_close(c, now, CTRL_CLOSE_REFUSED, false, text);
		return;
	}
	if (p->version != PPTP_VERSION) {
		/* RFC 2637 2.3: reason 2 "Stop-Protocol". */
		c->state = CTRL_ESTABLISHED;
		c->stopping = true;
		c->stop_reason = PPTP_STOP_PROTOCOL;
		ctrl_stop_continue(c, now);
		ctrl_emitf(c, &ev, "SCCRP version %u.%u not supported: sent "
		    "StopCCRQ reason 2 (Stop-Protocol)", p->version >> 8,
		    p->version & 0xff);
		return;
	}
	if (p->result == 0)
		ctrl_logf(c, m, "SCCRP result 0 accepted as success (as "
		    "pptp-linux does)");
	established(c, now, m);
}

/* --- Stop-Control-Connection (2.3, 2.4) --- */

/* Sends StopCCRQ; every call left is implicitly cleared (2.3). */
static void
stop_send(struct ctrl *c, uint64_t now, uint8_t reason)
{
	char text[CTRL_TEXT_MAX];
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reason = reason;
	c->state = CTRL_WAIT_STOP_REPLY;
	c->stopping = false;
	c->echo_out = false;
	c->t_state = now;
	(void)ctrl_tx(c, &m);
	snprintf(text, sizeof(text), "StopCCRQ sent reason=%u (%s)", reason,
	    name_or(pptp_stop_reason_name(reason)));
	ctrl_calls_drop_all(c, now, text);
}

void
ctrl_stop_continue(struct ctrl *c, uint64_t now)
{
	if (c->stopping && c->state == CTRL_ESTABLISHED && c->ncalls == 0)
		stop_send(c, now, c->stop_reason);
}

int
ctrl_stop(struct ctrl *c, uint64_t now, uint8_t reason)
{
	if (reason < PPTP_STOP_NONE || reason > PPTP_STOP_LOCAL_SHUTDOWN)
		return ERR_INVAL;
	switch (c->state) {
	case CTRL_CLOSED:
	case CTRL_WAIT_STOP_REPLY:
		return 0;
	case CTRL_IDLE:
	case CTRL_WAIT_START:
	case CTRL_WAIT_CTL_REPLY:
		ctrl_close(c, now, CTRL_CLOSE_LOCAL, false, "stopped before "
		    "the control connection was established");
		return 0;
	case CTRL_ESTABLISHED:
		break;
	}
	if (c->stopping)
		return 0;
	c->stopping = true;
	c->stop_reason = reason;
	ctrl_calls_stop(c, now);
	ctrl_stop_continue(c, now);
	return 0;
}

static void
rx_stopccrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	uint8_t reason = m->u.stopccrq.reason;
	char text[CTRL_TEXT_MAX];
	struct pptp_msg r;

	/* In any open state, a collision (both sent StopCCRQ) included. */
	pptp_msg_init(&r, PPTP_STOPCCRP);
	r.u.stopccrp.result = PPTP_STOPCCRP_OK;
	(void)ctrl_tx(c, &r);
	snprintf(text, sizeof(text), "peer sent StopCCRQ reason=%u (%s)",
	    reason, name_or(pptp_stop_reason_name(reason)));
	ctrl_close(c, now, CTRL_CLOSE_STOP_RECEIVED, true, text);
}

static void
rx_stopccrp(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	const struct pptp_stopccrp *p = &m->u.stopccrp;
	char text[CTRL_TEXT_MAX];

	if (c->state != CTRL_WAIT_STOP_REPLY) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	/* Result 2 "not closed" changes nothing: we asked to close. */
	snprintf(text, sizeof(text), "StopCCRP received result=%u (%s) "
	    "error=%u (%s)", p->result, name_or(pptp_result_name(
	    PPTP_STOPCCRP, p->result)), p->error,
	    name_or(pptp_general_error_name(p->error)));
	ctrl_close(c, now, CTRL_CLOSE_STOP_SENT, true, text);
}

/* --- Echo (2.5, 2.6, 3.1.4) --- */

static void
rx_echorq(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	struct pptp_msg r;

	(void)now;
	pptp_msg_init(&r, PPTP_ECHORP);
	r.u.echorp.id = m->u.echorq.id;
	r.u.echorp.result = PPTP_ECHORP_OK;
	if (c->state != CTRL_ESTABLISHED && c->state != CTRL_WAIT_STOP_REPLY) {
		r.u.echorp.result = PPTP_ECHORP_GENERAL_ERROR;
		r.u.echorp.error = PPTP_GENERR_NOT_CONNECTED;
		ctrl_ignored(c, m, CTRL_IGN_STATE, "answered=Not-Connected");
	}
	c->stats.echo_answered++;
	(void)ctrl_tx(c, &r);
}

static void
rx_echorp(struct ctrl *c, uint64_t now, const struct pptp_msg *m)
{
	(void)now;
	if (c->state != CTRL_ESTABLISHED && c->state != CTRL_WAIT_STOP_REPLY) {
		ctrl_ignored(c, m, CTRL_IGN_STATE, NULL);
		return;
	}
	c->stats.echo_replies++;
	/* Liveness was already taken from its arrival; a wrong Identifier
	 * is only worth a note. */
	if (c->echo_id == 0 || m->u.echorp.id != c->echo_id)
		ctrl_logf(c, m, "Echo-Reply id=0x%x does not match our last "
		    "Echo-Request id=0x%x (0: none sent)", m->u.echorp.id,
		    c->echo_id);
}

/* --- input --- */

static void
lost_sync(struct ctrl *c, uint64_t now, int err)
{
	char text[CTRL_TEXT_MAX];

	snprintf(text, sizeof(text), "lost synchronisation: %s",
	    err_str(err));
	ctrl_close(c, now, CTRL_CLOSE_SYNC, false, text);
}

/* One whole message, already framed. */
static void
rx_msg(struct ctrl *c, uint64_t now, const uint8_t *p, size_t n)
{
	uint8_t bit = c->cfg.role == CTRL_ROLE_PAC ? TO_PAC : TO_PNS;
	struct pptp_msg m;
	struct rd r;
	int ret;

	rd_init(&r, p, n);
	if ((ret = pptp_msg_decode(&r, &m)) != 0) {
		lost_sync(c, now, ret);
		return;
	}
	c->stats.rx[m.ctrl_type]++;
	/* Any control message proves the peer alive (3.1.4). */
	c->last_rx = now;
	c->echo_out = false;
	if (pptp_msg_check_reserved(&m) != 0) {
		c->stats.reserved_junk++;
		if (!c->junk_logged) {
			c->junk_logged = true;
			ctrl_logf(c, &m, "peer sets reserved fields "
			    "(first in msg=%s); counted, not refused",
			    name_or(pptp_ctrl_type_name(m.ctrl_type)));
		}
	}
	if ((rx_table[m.ctrl_type].to & bit) == 0) {
		ctrl_ignored(c, &m, CTRL_IGN_DIRECTION, NULL);
		return;
	}
	rx_table[m.ctrl_type].fn(c, now, &m);
}

int
ctrl_input(struct ctrl *c, uint64_t now, const uint8_t *buf, size_t len)
{
	size_t want, take;
	int ret;

	if (c->busy || c->state == CTRL_IDLE)
		return ERR_STATE;
	if (c->state == CTRL_CLOSED)
		return ERR_CLOSED;
	c->busy++;
	c->stats.rx_bytes += len;
	/* Each turn consumes at least one byte: bounded by len. */
	while (len > 0 && c->state != CTRL_CLOSED) {
		want = c->inlen < PPTP_HDR_LEN ? PPTP_HDR_LEN - c->inlen :
		    c->msglen - c->inlen;
		take = want < len ? want : len;
		memcpy(c->in + c->inlen, buf, take);
		c->inlen += take;
		buf += take;
		len -= take;
		if (c->inlen <= PPTP_HDR_LEN) {
			/* Checked from 8 bytes on: never resync (1.4). */
			ret = pptp_msg_frame(c->in, c->inlen, &c->msglen);
			if (ret == ERR_TRUNCATED)
				continue;
			if (ret != 0) {
				lost_sync(c, now, ret);
				break;
			}
		}
		if (c->inlen == c->msglen) {
			c->inlen = 0;
			rx_msg(c, now, c->in, c->msglen);
		}
	}
	c->busy--;
	return c->state == CTRL_CLOSED ? ERR_CLOSED : 0;
}

void
ctrl_peer_closed(struct ctrl *c, uint64_t now)
{
	ctrl_close(c, now, CTRL_CLOSE_PEER, false, "peer closed TCP");
}

void
ctrl_abort(struct ctrl *c, uint64_t now, const char *why)
{
	ctrl_close(c, now, CTRL_CLOSE_LOCAL, false,
	    why != NULL ? why : "aborted");
}

/* --- timers (3.1.4) --- */

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t
ctrl_deadline(const struct ctrl *c)
{
	uint64_t d = CTRL_NEVER;

	switch (c->state) {
	case CTRL_WAIT_CTL_REPLY:
	case CTRL_WAIT_START:
		return ctrl_after(c->t_state, c->cfg.start_timeout_ms);
	case CTRL_WAIT_STOP_REPLY:
		return ctrl_after(c->t_state, c->cfg.stop_timeout_ms);
	case CTRL_ESTABLISHED:
		if (c->echo_out)
			d = ctrl_after(c->echo_at, c->cfg.echo_reply_ms);
		else if (c->cfg.echo_idle_ms != 0)
			d = ctrl_after(c->last_rx, c->cfg.echo_idle_ms);
		return min64(d, ctrl_calls_deadline(c));
	case CTRL_IDLE:
	case CTRL_CLOSED:
		break;
	}
	return CTRL_NEVER;
}

static void
echo_send(struct ctrl *c, uint64_t now)
{
	struct pptp_msg m;

	c->echo_id = c->echo_id == UINT32_MAX ? 1 : c->echo_id + 1;
	c->echo_out = true;
	c->echo_at = now;
	c->stats.echo_sent++;
	pptp_msg_init(&m, PPTP_ECHORQ);
	m.u.echorq.id = c->echo_id;
	(void)ctrl_tx(c, &m);
}

void
ctrl_timeout(struct ctrl *c, uint64_t now)
{
	char text[CTRL_TEXT_MAX];

	if (c->busy)
		return;
	c->busy++;
	switch (c->state) {
	case CTRL_WAIT_CTL_REPLY:
	case CTRL_WAIT_START:
		if (now < ctrl_after(c->t_state, c->cfg.start_timeout_ms))
			break;
		snprintf(text, sizeof(text), "no %s within %u ms",
		    c->state == CTRL_WAIT_START ? "SCCRQ" : "SCCRP",
		    c->cfg.start_timeout_ms);
		ctrl_close(c, now, CTRL_CLOSE_TIMEOUT, false, text);
		break;
	case CTRL_WAIT_STOP_REPLY:
		if (now < ctrl_after(c->t_state, c->cfg.stop_timeout_ms))
			break;
		snprintf(text, sizeof(text), "no StopCCRP within %u ms",
		    c->cfg.stop_timeout_ms);
		ctrl_close(c, now, CTRL_CLOSE_TIMEOUT, false, text);
		break;
	case CTRL_ESTABLISHED:
		if (c->echo_out &&
		    now >= ctrl_after(c->echo_at, c->cfg.echo_reply_ms)) {
			snprintf(text, sizeof(text), "no Echo-Reply within "
			    "%u ms", c->cfg.echo_reply_ms);
			ctrl_close(c, now, CTRL_CLOSE_TIMEOUT, false, text);
			break;
		}
		if (!c->echo_out && c->cfg.echo_idle_ms != 0 &&
		    now >= ctrl_after(c->last_rx, c->cfg.echo_idle_ms))
			echo_send(c, now);
		ctrl_calls_timeout(c, now);
		break;
	case CTRL_IDLE:
	case CTRL_CLOSED:
		break;
	}
	c->busy--;
}

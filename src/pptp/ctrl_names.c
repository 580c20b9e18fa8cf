/*
 * ctrl_names.c - the read side of the PPTP control connection core
 * (ctrl.h): accessors for the connection, its peer and its calls, the
 * per-connection statistics printer, and the names of states, events and
 * causes used in logs (RFC 2637 3.1.1 and 3.2 state names).
 */
#include <stdio.h>

#include "ctrl.h"

const struct ctrl_call *
ctrl_call_find(const struct ctrl *c, uint16_t call_id)
{
	unsigned i;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (c->calls[i].state != CTRL_CALL_IDLE &&
		    c->calls[i].call_id == call_id)
			return &c->calls[i];
	return NULL;
}

const struct ctrl_call *
ctrl_call_at(const struct ctrl *c, unsigned i)
{
	if (i >= CTRL_MAX_CALLS || c->calls[i].state == CTRL_CALL_IDLE)
		return NULL;
	return &c->calls[i];
}

unsigned
ctrl_call_count(const struct ctrl *c)
{
	return c->ncalls;
}

enum ctrl_state
ctrl_state(const struct ctrl *c)
{
	return c->state;
}

bool
ctrl_is_closed(const struct ctrl *c)
{
	return c->state == CTRL_CLOSED;
}

const struct ctrl_peer *
ctrl_peer(const struct ctrl *c)
{
	return &c->peer;
}

const struct ctrl_stats *
ctrl_stats(const struct ctrl *c)
{
	return &c->stats;
}

static void
counts_print(struct sbuf *sb, const char *dir, const uint64_t *n)
{
	unsigned t;

	sbuf_printf(sb, "%s", dir);
	for (t = 1; t <= PPTP_CTRL_TYPE_MAX; t++)
		if (n[t] != 0)
			sbuf_printf(sb, " %s=%llu", pptp_ctrl_type_name(t),
			    (unsigned long long)n[t]);
}

void
ctrl_stats_print(const struct ctrl_stats *s, struct sbuf *sb)
{
	counts_print(sb, "rx", s->rx);
	sbuf_printf(sb, " bytes=%llu ", (unsigned long long)s->rx_bytes);
	counts_print(sb, "tx", s->tx);
	sbuf_printf(sb, " bytes=%llu ignored=%llu wrong_direction=%llu "
	    "wrong_state=%llu unknown_call=%llu reserved_junk=%llu "
	    "echo sent=%llu replies=%llu answered=%llu calls up=%llu "
	    "refused=%llu incoming_refused=%llu",
	    (unsigned long long)s->tx_bytes, (unsigned long long)s->ignored,
	    (unsigned long long)s->wrong_direction,
	    (unsigned long long)s->wrong_state,
	    (unsigned long long)s->unknown_call,
	    (unsigned long long)s->reserved_junk,
	    (unsigned long long)s->echo_sent,
	    (unsigned long long)s->echo_replies,
	    (unsigned long long)s->echo_answered,
	    (unsigned long long)s->calls_up,
	    (unsigned long long)s->calls_refused,
	    (unsigned long long)s->incoming_refused);
}

#define NAME(tab, i) ((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof((tab)[0]) \
	&& (tab)[i] != NULL ? (tab)[i] : "?")

const char *
ctrl_state_str(int state)
{
	static const char *const t[] = {
		[CTRL_IDLE] = "idle",
		[CTRL_WAIT_CTL_REPLY] = "wait-ctl-reply",
		[CTRL_WAIT_START] = "wait-start",
		[CTRL_ESTABLISHED] = "established",
		[CTRL_WAIT_STOP_REPLY] = "wait-stop-reply",
		[CTRL_CLOSED] = "closed",
	};
	return NAME(t, state);
}

const char *
ctrl_call_state_str(int state)
{
	static const char *const t[] = {
		[CTRL_CALL_IDLE] = "idle",
		[CTRL_CALL_WAIT_REPLY] = "wait-reply",
		[CTRL_CALL_PENDING] = "pending",
		[CTRL_CALL_ESTABLISHED] = "established",
		[CTRL_CALL_WAIT_DISCONNECT] = "wait-disconnect",
	};
	return NAME(t, state);
}

const char *
ctrl_event_str(int type)
{
	static const char *const t[] = {
		[CTRL_EV_ESTABLISHED] = "established",
		[CTRL_EV_CALL_REQUEST] = "call-request",
		[CTRL_EV_CALL_UP] = "call-up",
		[CTRL_EV_CALL_DOWN] = "call-down",
		[CTRL_EV_SLI] = "set-link-info",
		[CTRL_EV_WAN_ERROR] = "wan-error",
		[CTRL_EV_REFUSED] = "refused",
		[CTRL_EV_CLOSED] = "closed",
		[CTRL_EV_LOG] = "log",
	};
	return NAME(t, type);
}

const char *
ctrl_down_cause_str(int cause)
{
	static const char *const t[] = {
		[CTRL_DOWN_CDN] = "cdn",
		[CTRL_DOWN_CCRQ] = "ccrq",
		[CTRL_DOWN_LOCAL] = "local",
		[CTRL_DOWN_REFUSED] = "refused",
		[CTRL_DOWN_TIMEOUT] = "timeout",
		[CTRL_DOWN_CLOSING] = "closing",
	};
	return NAME(t, cause);
}

const char *
ctrl_close_cause_str(int cause)
{
	static const char *const t[] = {
		[CTRL_CLOSE_STOP_SENT] = "stop-sent",
		[CTRL_CLOSE_STOP_RECEIVED] = "stop-received",
		[CTRL_CLOSE_PEER] = "peer",
		[CTRL_CLOSE_LOCAL] = "local",
		[CTRL_CLOSE_TIMEOUT] = "timeout",
		[CTRL_CLOSE_REFUSED] = "refused",
		[CTRL_CLOSE_SYNC] = "lost-sync",
	};
	return NAME(t, cause);
}

const char *
ctrl_role_str(int role)
{
	static const char *const t[] = {
		[CTRL_ROLE_PAC] = "PAC",
		[CTRL_ROLE_PNS] = "PNS",
	};
	return NAME(t, role);
}

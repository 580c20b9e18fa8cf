/*
 * ctrl_int.h - what ctrl.c (the control connection, RFC 2637 3.1),
 * ctrl_call.c (its calls, RFC 2637 3.2) and ctrl_names.c share.  Not for
 * use outside src/pptp/ctrl*.c.
 */
#ifndef PPTPKIT_PPTP_CTRL_INT_H
#define PPTPKIT_PPTP_CTRL_INT_H

#include "ctrl.h"

/* Why a received message was not acted on (counted in ctrl_stats). */
enum ctrl_ignore {
	CTRL_IGN_DIRECTION,	/* not for our role */
	CTRL_IGN_STATE,		/* not in this connection or call state */
	CTRL_IGN_CALL,		/* no call with that Call ID */
};

/* now + ms, saturating below CTRL_NEVER. */
uint64_t ctrl_after(uint64_t now, uint32_t ms);

/* "PAC" or "PNS" of c. */
const char *ctrl_role_name(const struct ctrl *c);

/* Encodes m and hands it to the send callback, counting it.  Returns 0,
 * ERR_CLOSED (nothing sent once closed) or the encoder's error (a bug). */
int ctrl_tx(struct ctrl *c, const struct pptp_msg *m);

/* Emits ev with text (NULL reads as "").  No-op without an event callback. */
void ctrl_emit(struct ctrl *c, const struct ctrl_event *ev, const char *text);
/* The same with a formatted text, at most CTRL_TEXT_MAX - 1 characters. */
void ctrl_emitf(struct ctrl *c, const struct ctrl_event *ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A CTRL_EV_LOG. */
void ctrl_logf(struct ctrl *c, const struct pptp_msg *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Counts m as ignored for why and emits a CTRL_EV_LOG naming it, the state
 * and the formatted detail (fmt may be NULL). */
void ctrl_ignored(struct ctrl *c, const struct pptp_msg *m,
    enum ctrl_ignore why, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Closes the connection (no-op when closed): state closed, every call down
 * (CTRL_DOWN_CLOSING), then CTRL_EV_CLOSED with cause, orderly and text. */
void ctrl_close(struct ctrl *c, uint64_t now, enum ctrl_close_cause cause,
    bool orderly, const char *text);

/* When ctrl_stop() waits for calls to clear and none is left: StopCCRQ. */
void ctrl_stop_continue(struct ctrl *c, uint64_t now);

/* --- ctrl_call.c --- */

/* Receive handlers for the call messages; the caller has checked the
 * direction. */
void ctrl_rx_ocrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_ocrp(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_icrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_icrp_iccn(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_ccrq(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_cdn(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_wen(struct ctrl *c, uint64_t now, const struct pptp_msg *m);
void ctrl_rx_sli(struct ctrl *c, uint64_t now, const struct pptp_msg *m);

/* The earliest call deadline, CTRL_NEVER when none. */
uint64_t ctrl_calls_deadline(const struct ctrl *c);
/* Fails the calls whose transition is overdue at now. */
void ctrl_calls_timeout(struct ctrl *c, uint64_t now);
/* ctrl_stop()'s first step: PNS clears (CCRQ) every call; PAC disconnects
 * (CDN 3) established calls and refuses pending ones. */
void ctrl_calls_stop(struct ctrl *c, uint64_t now);
/* Every call down with CTRL_DOWN_CLOSING and why in the text. */
void ctrl_calls_drop_all(struct ctrl *c, uint64_t now, const char *why);

#endif

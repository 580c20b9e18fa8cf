/*
 * ctrl.h - the PPTP control connection and its calls, both roles, as a pure
 * core: RFC 2637 sections 1.3 (roles), 1.4 (framing, loss of
 * synchronisation), 2.1-2.16 (message use and direction) and 3.1-3.2
 * (control connection and call states, timers, teardown order).
 *
 * No sockets, no clock, no randomness.  Time is `now` in milliseconds on any
 * monotonic clock.  The core takes the bytes of the TCP stream
 * (ctrl_input(), any split) and gives back bytes to write (the send
 * callback), events (the event callback) and a deadline (ctrl_deadline(),
 * then ctrl_timeout()).  It never allocates: embed struct ctrl; the calls
 * live in a fixed table of CTRL_MAX_CALLS slots.
 *
 * Roles.  In remote-access PPTP the server is the PAC and the client the
 * PNS (RFC 2637 1.3).  Only outgoing calls exist: the PNS sends
 * Outgoing-Call-Request, the PAC answers Outgoing-Call-Reply.
 *
 *   connection  PNS: idle -> wait-ctl-reply (SCCRQ sent) -> established
 *               PAC: idle -> wait-start (TCP accepted) -> established
 *               both: established -> wait-stop-reply (StopCCRQ sent) -> closed
 *   call        PNS: wait-reply (OCRQ sent) -> established -> wait-disconnect
 *               (CCRQ sent) -> gone on CDN
 *               PAC: pending (OCRQ received, the glue decides) ->
 *               established (OCRP sent) -> gone (CDN sent)
 *
 * What we advertise (our SCCRQ and SCCRP): version 1.0, framing
 * capabilities async|sync (GRE carries PPP frames whatever the framing, and
 * pptp-linux claims both too), bearer capabilities analog|digital, maximum
 * channels (default CTRL_MAX_CALLS), firmware revision 1, host name and
 * vendor "pptpkit"; all from struct ctrl_config.
 *
 * Directions (RFC 2637 2.12-2.15): CCRQ and SLI only PNS->PAC, CDN and WEN
 * only PAC->PNS.  A message in the wrong direction, in the wrong state or
 * for an unknown call is counted, reported as CTRL_EV_LOG and ignored, or
 * answered with the proper error: Echo-Request or OCRQ before the control
 * connection is up get "Not-Connected"; an ICRQ to a PNS gets ICRP
 * "Do-Not-Accept".  None of that is fatal.  Only loss of synchronisation
 * (bad Magic Cookie, message type, control message type or length) closes
 * at once (RFC 2637 1.4), reason "lost synchronisation: ...".
 *
 * Tolerance of real peers: an SCCRP with Result Code 0 is success (some
 * modems send it; pptp-linux accepts it); junk in reserved fields is only
 * counted; pptp-linux closes TCP after CCRQ without StopCCRQ and pptpd
 * answers CCRQ by closing TCP: ctrl_peer_closed() ends the connection and
 * its calls as a normal end (CTRL_CLOSE_PEER), not an error.
 *
 * Timers (RFC 2637 3.1.4, 3.2): start_timeout_ms (PAC: SCCRQ after accept;
 * PNS: SCCRP after SCCRQ) closes; echo_idle_ms without any message received
 * sends an Echo-Request, and echo_reply_ms after it without any message
 * received (an Echo-Reply, or anything else: any message proves the peer
 * alive) closes; call_timeout_ms bounds every call transition (PNS: OCRP
 * after OCRQ, CDN after CCRQ; PAC: the glue's accept or reject after OCRQ,
 * refused with OCRP "Time-out") and fails the call only, not the connection
 * (the glue decides; RFC 3.2.1 would close the connection); stop_timeout_ms
 * after a StopCCRQ without StopCCRP closes anyway.
 *
 * Teardown (RFC 2637 3.1.2): ctrl_stop() on a PNS sends CCRQ (its own Call
 * ID) for every call, waits for the CDNs (or call_timeout_ms), then sends
 * StopCCRQ; on a PAC it sends CDN (3 Admin-Shutdown) for every call (and
 * refuses pending ones), then StopCCRQ.  The StopCCRP (or its time-out)
 * closes.  A StopCCRQ received is answered with StopCCRP, its calls are
 * implicitly cleared, and the connection closes.  CTRL_EV_CLOSED is always
 * the last event, emitted once, after the last bytes went to the send
 * callback: the glue then flushes what it queued and closes the socket.
 *
 * Callbacks and reentrancy.  send() must only queue the bytes; it may not
 * call back into the core.  The event callback may call the action
 * functions (ctrl_stop, ctrl_abort, ctrl_call_*) on the same connection,
 * including ctrl_call_accept/_reject on the call being requested, and
 * ctrl_peer_closed, but not ctrl_input or ctrl_timeout (they return
 * ERR_STATE or do nothing when nested).  Pointers in an event are valid
 * only during the callback.
 *
 * Calls on the PAC: an OCRQ takes a free slot, our Call ID from the
 * call_id callback (the server allocates IDs unique across the server, so
 * GRE can be matched on (peer IP, our Call ID)), and CTRL_EV_CALL_REQUEST
 * is emitted with the call pending.  The glue opens its raw GRE socket (and
 * whatever else) FIRST, then calls ctrl_call_accept() (OCRP Connected,
 * then CTRL_EV_CALL_UP) or ctrl_call_reject(), either inside the callback
 * or later (within call_timeout_ms).  A full call table or a failing
 * call_id callback refuses at once: ERR_NOSPACE from the callback or no
 * free slot -> OCRP 4 Busy; any other error -> OCRP 2 General-Error with
 * error 6 PAC-Error; an OCRQ reusing the Call ID of one of the peer's live
 * calls -> OCRP 2 General-Error with error 5 Bad-Call-ID.
 *
 * Call IDs: every Call ID the call_id callback handed out for a call comes
 * back in exactly one CTRL_EV_CALL_DOWN (whatever the call's fate), the
 * place to release it.  An ID already in use on this connection is not
 * used (PNS: asked again, up to CTRL_CALL_ID_TRIES times).
 */
#ifndef PPTPKIT_PPTP_CTRL_H
#define PPTPKIT_PPTP_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../wire/pptp_msg.h"

#ifndef CTRL_MAX_CALLS
#define CTRL_MAX_CALLS		8	/* calls per control connection */
#endif
#define CTRL_NEVER		UINT64_MAX	/* no deadline */
#define CTRL_TEXT_MAX		320	/* event text, NUL included */
#define CTRL_CALL_ID_TRIES	8	/* PNS: draws for an unused Call ID */
#define CTRL_VENDOR		"pptpkit"

enum ctrl_role {
	CTRL_ROLE_PAC,		/* answers: the server */
	CTRL_ROLE_PNS,		/* initiates: the client */
};

/* Control connection states, RFC 2637 3.1.1 and 3.1.2 */
enum ctrl_state {
	CTRL_IDLE,		/* before ctrl_start() */
	CTRL_WAIT_CTL_REPLY,	/* PNS: SCCRQ sent, waiting for SCCRP */
	CTRL_WAIT_START,	/* PAC: TCP accepted, waiting for SCCRQ */
	CTRL_ESTABLISHED,
	CTRL_WAIT_STOP_REPLY,	/* StopCCRQ sent, waiting for StopCCRP */
	CTRL_CLOSED,		/* final: close the TCP connection */
};

/* Call states, RFC 2637 3.2 (outgoing calls only) */
enum ctrl_call_state {
	CTRL_CALL_IDLE,		/* free slot */
	CTRL_CALL_WAIT_REPLY,	/* PNS: OCRQ sent */
	CTRL_CALL_PENDING,	/* PAC: OCRQ received, waiting for the glue */
	CTRL_CALL_ESTABLISHED,	/* OCRP Connected sent (PAC) or received (PNS) */
	CTRL_CALL_WAIT_DISCONNECT, /* PNS: CCRQ sent, waiting for CDN */
};

enum ctrl_event_type {
	CTRL_EV_ESTABLISHED,	/* control connection up; text: the peer */
	CTRL_EV_CALL_REQUEST,	/* PAC: OCRQ arrived, call pending: accept or
				 * reject (see above) */
	CTRL_EV_CALL_UP,	/* PNS: OCRP Connected; PAC: OCRP sent */
	CTRL_EV_CALL_DOWN,	/* a call is gone (down says why); release
				 * its Call ID */
	CTRL_EV_SLI,		/* PAC: Set-Link-Info; call has the ACCMs */
	CTRL_EV_WAN_ERROR,	/* PNS: WAN-Error-Notify; msg->u.wen */
	CTRL_EV_REFUSED,	/* PNS: SCCRP or OCRP refused (result and
				 * error named in text) */
	CTRL_EV_CLOSED,		/* last event: close the TCP connection */
	CTRL_EV_LOG,		/* something notable (ignored message ...) */
};

/* Why a call went down (CTRL_EV_CALL_DOWN) */
enum ctrl_down_cause {
	CTRL_DOWN_CDN,		/* PNS: the PAC sent CDN (result, error, cause;
				 * Call Statistics in msg) */
	CTRL_DOWN_CCRQ,		/* PAC: the PNS sent CCRQ; we answered CDN 4 */
	CTRL_DOWN_LOCAL,	/* PAC: we sent CDN (ctrl_call_disconnect,
				 * ctrl_stop) */
	CTRL_DOWN_REFUSED,	/* never up: OCRP refused (sent or received) */
	CTRL_DOWN_TIMEOUT,	/* a call transition took call_timeout_ms */
	CTRL_DOWN_CLOSING,	/* the control connection ended (StopCCRQ,
				 * TCP closed, time-out, error) */
};

/* Why the control connection closed (CTRL_EV_CLOSED) */
enum ctrl_close_cause {
	CTRL_CLOSE_STOP_SENT,	/* our StopCCRQ, their StopCCRP: orderly */
	CTRL_CLOSE_STOP_RECEIVED, /* their StopCCRQ, our StopCCRP: orderly */
	CTRL_CLOSE_PEER,	/* the peer closed TCP: a normal end */
	CTRL_CLOSE_LOCAL,	/* ctrl_abort(), or ctrl_stop() before the
				 * connection was established */
	CTRL_CLOSE_TIMEOUT,	/* SCCRQ, SCCRP, Echo or StopCCRP time-out */
	CTRL_CLOSE_REFUSED,	/* SCCRP refused (PNS), SCCRQ version
				 * refused (PAC) */
	CTRL_CLOSE_SYNC,	/* lost synchronisation: framing error */
};

/* The peer's SCCRQ (PAC) or SCCRP (PNS), as received.  Strings are raw
 * (NUL-terminated copies of the 64 wire octets): escape them to print. */
struct ctrl_peer {
	bool		known;		/* an SCCRQ/SCCRP was received */
	uint16_t	version;
	uint8_t		result, error;	/* SCCRP only */
	uint32_t	framing_caps, bearer_caps;
	uint16_t	max_channels, firmware_rev;
	char		host_name[PPTP_HOST_NAME_LEN + 1];
	char		vendor[PPTP_VENDOR_LEN + 1];
};

/* One call.  Read-only outside the core. */
struct ctrl_call {
	enum ctrl_call_state state;
	uint16_t	call_id;	/* ours: the Key of GRE sent TO us */
	uint16_t	peer_call_id;	/* theirs: the Key of GRE we send */
	bool		has_peer_id;	/* PNS: false until the OCRP */
	uint16_t	serial;		/* Call Serial Number of the OCRQ */
	uint32_t	min_bps, max_bps; /* from the OCRQ (sent or received) */
	uint32_t	bearer_type, framing_type; /* from the OCRQ */
	uint32_t	connect_speed;	/* OCRP Connect Speed (sent or rcvd) */
	uint32_t	phys_channel;	/* OCRP Physical Channel ID */
	uint16_t	our_rwin, our_ppd;   /* what we advertised */
	uint16_t	peer_rwin, peer_ppd; /* the peer's Packet Recv. Window
					 * Size and Processing Delay (1/10 s):
					 * the GRE window needs them */
	bool		has_sli;	/* a Set-Link-Info was sent (PNS) or
					 * received (PAC) */
	uint32_t	send_accm, recv_accm;
	char		phone[PPTP_PHONE_LEN + 1]; /* OCRQ Phone Number, raw */
	uint64_t	created;	/* now at OCRQ */
	uint64_t	deadline;	/* of the current transition */
};

struct ctrl_event {
	enum ctrl_event_type	 type;
	const struct ctrl_call	*call;	/* the call (CALL_*, SLI, WAN_ERROR,
					 * REFUSED of an OCRP); for CALL_DOWN a
					 * copy, the slot already free; else
					 * NULL */
	const struct pptp_msg	*msg;	/* the received message behind the
					 * event, or NULL */
	const char		*text;	/* never NULL: one line, key=value,
					 * peer strings escaped */
	enum ctrl_down_cause	 down;	/* CALL_DOWN */
	enum ctrl_close_cause	 close;	/* CLOSED */
	bool			 orderly; /* CLOSED: Stop-Control-Connection
					 * Request and Reply exchanged */
	uint8_t			 result, error;	/* CALL_DOWN by CDN or refusal,
					 * REFUSED: the codes; else 0 */
	uint16_t		 cause;	/* ditto, Cause Code */
};

typedef void ctrl_send_fn(void *ctx, const uint8_t *buf, size_t len);
typedef void ctrl_event_fn(void *ctx, const struct ctrl_event *ev);
/* Puts a fresh Call ID in *id and returns 0, or returns a negative ERR_*
 * (PAC: ERR_NOSPACE means "full", answered Busy). */
typedef int ctrl_call_id_fn(void *ctx, uint16_t *id);

struct ctrl_config {
	enum ctrl_role	 role;
	const char	*host_name;	/* copied; at most 64 octets used */
	const char	*vendor;	/* copied; default CTRL_VENDOR */
	uint32_t	 framing_caps;	/* SCCRQ/SCCRP; default async|sync */
	uint32_t	 bearer_caps;	/* default analog|digital */
	uint16_t	 max_channels;	/* default CTRL_MAX_CALLS */
	uint16_t	 firmware_rev;	/* default 1 */
	unsigned	 max_calls;	/* 1..CTRL_MAX_CALLS, default the max */
	uint32_t	 start_timeout_ms; /* default 60000; > 0 */
	uint32_t	 echo_idle_ms;	/* default 60000; 0: no keepalive */
	uint32_t	 echo_reply_ms;	/* default 60000; > 0 */
	uint32_t	 call_timeout_ms; /* default 60000; > 0 */
	uint32_t	 stop_timeout_ms; /* default 60000; > 0 */
	uint16_t	 recv_window;	/* our Packet Recv. Window Size, 64 */
	uint16_t	 ppd;		/* our Packet Processing Delay, 0 */
	uint32_t	 min_bps, max_bps; /* PNS OCRQ: 300, 100000000 */
	uint32_t	 bearer_type;	/* PNS OCRQ: PPTP_BEARER_ANY */
	uint32_t	 framing_type;	/* PNS OCRQ: PPTP_FRAMING_ANY */
	ctrl_send_fn	*send;		/* required */
	ctrl_event_fn	*event;		/* optional */
	ctrl_call_id_fn	*call_id;	/* required */
	void		*ctx;		/* passed to the three */
};

/* Per-connection counters; they only grow. */
struct ctrl_stats {
	uint64_t	rx[PPTP_CTRL_TYPE_MAX + 1]; /* received, by type */
	uint64_t	tx[PPTP_CTRL_TYPE_MAX + 1]; /* sent, by type */
	uint64_t	rx_bytes, tx_bytes;
	uint64_t	ignored;	/* = the three below */
	uint64_t	wrong_direction; /* e.g. CCRQ to a PNS */
	uint64_t	wrong_state;	/* e.g. OCRQ before SCCRQ */
	uint64_t	unknown_call;	/* no call with that Call ID */
	uint64_t	reserved_junk;	/* accepted, reserved fields not 0 */
	uint64_t	echo_sent;	/* Echo-Requests we sent */
	uint64_t	echo_replies;	/* Echo-Replies received */
	uint64_t	echo_answered;	/* Echo-Requests we answered */
	uint64_t	calls_up;
	uint64_t	calls_refused;	/* OCRP refusals sent or received */
	uint64_t	incoming_refused; /* ICRQ answered Do-Not-Accept */
};

/* The connection.  Embed it; touch fields only through the functions. */
struct ctrl {
	struct ctrl_config	cfg;
	char			host_name[PPTP_HOST_NAME_LEN + 1];
	char			vendor[PPTP_VENDOR_LEN + 1];
	enum ctrl_state		state;
	bool			stopping;	/* ctrl_stop() under way */
	uint8_t			stop_reason;
	unsigned		busy;		/* inside input/timeout */
	uint64_t		t_state;	/* entered the timed state */
	uint64_t		last_rx;	/* last message received */
	bool			echo_out;	/* Echo-Request unanswered */
	uint32_t		echo_id;
	uint64_t		echo_at;
	uint16_t		serial;		/* last Call Serial Number */
	bool			junk_logged;
	struct ctrl_peer	peer;
	struct ctrl_call	calls[CTRL_MAX_CALLS];
	unsigned		ncalls;
	uint8_t			in[PPTP_MAX_MSG_LEN];	/* partial message */
	size_t			inlen;
	size_t			msglen;		/* once the header is in */
	struct ctrl_stats	stats;
};

/* Fills cfg with the defaults above for role; callbacks NULL, host name
 * "pptpkit". */
void ctrl_config_default(struct ctrl_config *cfg, enum ctrl_role role);

/*
 * Sets up c (state idle) from cfg (copied; strings copied).  Returns 0,
 * ERR_INVAL (send or call_id NULL, unknown role), ERR_RANGE (max_calls 0 or
 * above CTRL_MAX_CALLS, a required time-out 0).
 */
int ctrl_init(struct ctrl *c, const struct ctrl_config *cfg) MUST_CHECK;

/*
 * Starts the connection once TCP is up: a PAC starts waiting for SCCRQ, a
 * PNS sends SCCRQ.  Returns 0 or ERR_STATE (not idle).
 */
int ctrl_start(struct ctrl *c, uint64_t now) MUST_CHECK;

/*
 * Bytes read from the TCP connection, any split: partial messages are kept
 * (at most one, in a 220-octet buffer), several whole ones are processed in
 * order.  Any message received counts as liveness.  Returns 0 when the
 * connection is still open afterwards, ERR_CLOSED when it is closed (by
 * these bytes or before; the bytes after the close are discarded),
 * ERR_STATE before ctrl_start() or when called from a callback.  The
 * result may be ignored: CTRL_EV_CLOSED says the same.
 */
int ctrl_input(struct ctrl *c, uint64_t now, const uint8_t *buf, size_t len);

/* The peer closed (or reset) TCP: every call goes down and the connection
 * closes, CTRL_CLOSE_PEER ("peer closed TCP").  No-op when closed. */
void ctrl_peer_closed(struct ctrl *c, uint64_t now);

/* Closes at once without a message (local error, hard shutdown):
 * CTRL_CLOSE_LOCAL with why (may be NULL).  No-op when closed. */
void ctrl_abort(struct ctrl *c, uint64_t now, const char *why);

/* When ctrl_timeout() has work next; CTRL_NEVER when none (idle, closed,
 * nothing timed).  May be <= now: call ctrl_timeout() then. */
uint64_t ctrl_deadline(const struct ctrl *c);

/* Runs the timers due at now (sends Echo-Request, fails calls, closes).
 * Harmless at any time. */
void ctrl_timeout(struct ctrl *c, uint64_t now);

/*
 * Ends the connection in the RFC's order (see above) with StopCCRQ reason
 * 1 None, 2 Stop-Protocol or 3 Stop-Local-Shutdown.  Before the connection
 * is established it closes at once (CTRL_CLOSE_LOCAL).  Returns 0 (also
 * when a stop is already under way or the connection is closed), ERR_INVAL
 * (reason not 1..3).
 */
int ctrl_stop(struct ctrl *c, uint64_t now, uint8_t reason) MUST_CHECK;

/*
 * PNS: places a call: takes a Call ID from the call_id callback and sends
 * OCRQ (window, speeds and types from the config, phone may be NULL).  The
 * answer comes as CTRL_EV_CALL_UP, or CTRL_EV_REFUSED and CTRL_EV_CALL_DOWN.
 * Returns 0 with *call_id set; ERR_INVAL (a PAC), ERR_STATE (not
 * established, or stopping), ERR_CLOSED, ERR_NOSPACE (call table full),
 * ERR_EXISTS (no unused Call ID after CTRL_CALL_ID_TRIES draws), or the
 * callback's error.
 */
int ctrl_call_open(struct ctrl *c, uint64_t now, const char *phone,
    uint16_t *call_id) MUST_CHECK;

/*
 * PAC: accepts the pending call call_id (ours): sends OCRP Connected with
 * our Call ID, the peer's, Connect Speed = the OCRQ's Maximum BPS (as
 * pptpd), our window and PPD, then emits CTRL_EV_CALL_UP.  Returns 0,
 * ERR_INVAL (a PNS), ERR_NOTFOUND, ERR_STATE (not pending), ERR_CLOSED.
 */
int ctrl_call_accept(struct ctrl *c, uint64_t now, uint16_t call_id)
    MUST_CHECK;

/*
 * PAC: refuses the pending call: OCRP with result (2..7, e.g. 4 Busy or 2
 * General-Error), error (General Error Code) and cause; the call goes down
 * (CTRL_DOWN_REFUSED).  Returns 0, ERR_INVAL (a PNS, result 0 or 1 or above
 * 7), ERR_NOTFOUND, ERR_STATE, ERR_CLOSED.
 */
int ctrl_call_reject(struct ctrl *c, uint64_t now, uint16_t call_id,
    uint8_t result, uint8_t error, uint16_t cause) MUST_CHECK;

/*
 * PNS: clears a call: sends CCRQ with OUR Call ID (RFC 2637 2.12) and waits
 * for the CDN (CTRL_EV_CALL_DOWN, CTRL_DOWN_CDN) or call_timeout_ms.
 * Returns 0 (also when already clearing), ERR_INVAL (a PAC), ERR_NOTFOUND,
 * ERR_CLOSED.
 */
int ctrl_call_clear(struct ctrl *c, uint64_t now, uint16_t call_id)
    MUST_CHECK;

/*
 * PAC: disconnects an established call: CDN with result (1 Lost-Carrier,
 * 2 General-Error, 3 Admin-Shutdown, 4 Request) and the Call Statistics
 * text (may be NULL; at most 128 octets), then CTRL_EV_CALL_DOWN
 * (CTRL_DOWN_LOCAL).  Returns 0, ERR_INVAL (a PNS, result not 1..4),
 * ERR_NOTFOUND, ERR_STATE (pending: use ctrl_call_reject), ERR_CLOSED.
 */
int ctrl_call_disconnect(struct ctrl *c, uint64_t now, uint16_t call_id,
    uint8_t result, const char *stats_text) MUST_CHECK;

/* PNS: sends Set-Link-Info for an established call and records the ACCMs.
 * Returns 0, ERR_INVAL (a PAC: it never sends SLI), ERR_NOTFOUND, ERR_STATE,
 * ERR_CLOSED. */
int ctrl_call_set_link_info(struct ctrl *c, uint64_t now, uint16_t call_id,
    uint32_t send_accm, uint32_t recv_accm) MUST_CHECK;

/* PAC: sends WAN-Error-Notify for an established call with the six counters
 * of counts (its peer_call_id is filled in).  Returns as above (ERR_INVAL
 * for a PNS). */
int ctrl_call_wan_error(struct ctrl *c, uint64_t now, uint16_t call_id,
    const struct pptp_wen *counts) MUST_CHECK;

/* The call with our Call ID call_id, or NULL. */
const struct ctrl_call *ctrl_call_find(const struct ctrl *c, uint16_t call_id);
/* Slot i (0..CTRL_MAX_CALLS-1), or NULL when free or out of range. */
const struct ctrl_call *ctrl_call_at(const struct ctrl *c, unsigned i);
/* Calls in use. */
unsigned ctrl_call_count(const struct ctrl *c);

enum ctrl_state ctrl_state(const struct ctrl *c);
bool ctrl_is_closed(const struct ctrl *c);
const struct ctrl_peer *ctrl_peer(const struct ctrl *c);
const struct ctrl_stats *ctrl_stats(const struct ctrl *c);

/* "rx SCCRQ=1 OCRQ=1 ... tx SCCRP=1 ... ignored=N wrong_direction=N
 * wrong_state=N unknown_call=N reserved_junk=N echo sent=N replies=N
 * answered=N calls up=N refused=N incoming_refused=N" */
void ctrl_stats_print(const struct ctrl_stats *s, struct sbuf *sb);

/* Names for logs: "wait-ctl-reply", "pending", "call-down", "peer",
 * "lost-sync", ...; "?" for anything else. */
const char *ctrl_state_str(int state);
const char *ctrl_call_state_str(int state);
const char *ctrl_event_str(int type);
const char *ctrl_down_cause_str(int cause);
const char *ctrl_close_cause_str(int cause);
const char *ctrl_role_str(int role);

#endif

/*
 * fsm.h - the RFC 1661 option-negotiation automaton (section 4), shared by
 * LCP, IPCP, IPV6CP and CCP.
 *
 * RFC 1661 section 4.1 is a table of [event][state] -> (actions, next state);
 * fsm.c holds it as one table and this engine is the only code that changes
 * a state.  The protocol above supplies callbacks (build our request, judge
 * the peer's, digest Ack/Nak/Reject, classify extra codes, send a packet) and
 * gets the four this-layer signals back.
 *
 * The core is pure: no clock, no sockets, no allocation.  Time is an argument
 * (`now`, milliseconds on any monotonic scale).  The FSM keeps one deadline,
 * the Restart timer of RFC 1661 4.6; the owner reads it with fsm_deadline()
 * and calls fsm_timeout() once it has passed.
 *
 * Choices where the RFC leaves a choice (documented once, here):
 *  - [p] Passive option: not taken.  TO- in Req-Sent, Ack-Rcvd and Ack-Sent
 *    runs tlf and goes to Stopped, as printed.
 *  - [r] Restart option: not taken.  Open in Stopped, Closing, Stopping and
 *    Opened has no action (Closing goes to Stopping), as printed.
 *  - [x] Crossed connection: RCA/RCN in Ack-Rcvd and Opened are in the table
 *    and run as printed when injected with fsm_event(), but fsm_input() never
 *    produces them: by then our last Configure-Request has had its valid
 *    reply, so a further Ack/Nak/Reject with that Identifier is a duplicate
 *    (a retransmitted request answered twice) and one with another
 *    Identifier is out of sequence; both are silently discarded (RFC 1661
 *    4.4 RCA, 5.2).
 *  - irc loads Max-Terminate when the cell's next state is Closing or
 *    Stopping (it precedes str or is a pause before tlf) and Max-Configure
 *    otherwise.  scr and str decrement the counter (never below 0) and start
 *    the timer; zrc zeroes it and starts the timer.  The timer runs only in
 *    Closing, Stopping, Req-Sent, Ack-Rcvd and Ack-Sent; entering any other
 *    state stops it.  A timeout is TO+ when the counter is > 0, else TO-.
 *  - Configure-Request retransmission: TO+ while our last request has had no
 *    valid reply resends the identical bytes, Identifier included (RFC 1661
 *    5.1 allows it).  Every other scr builds a new request with a new
 *    Identifier.  An scr from a state outside Req-Sent/Ack-Rcvd/Ack-Sent
 *    starts a new negotiation: cb->reset runs and the Nak count is zeroed.
 *  - Max-Failure (RFC 1661 4.6) is applied by the judge: fsm_nak_exhausted()
 *    turns true after max_failure Configure-Naks sent without a
 *    Configure-Ack, and judge_req must then answer with Configure-Reject for
 *    the options it would have Nak'd.  The engine cannot do it for the
 *    judge: a Reject carries the peer's options, a Nak our values.
 *  - A Configure-Request that arrives in Opened with the Identifier and
 *    the options of the request we last Acked is a retransmission whose Ack
 *    was lost (RFC 1661 5.1: the Identifier MUST change once a valid reply
 *    was received, so a real renegotiation carries a new one).  It is
 *    answered with the same Configure-Ack and the layer stays Opened,
 *    instead of RCR's "tld, scr, sca": on a lossy path the renegotiation
 *    would take CCP (and MPPE) down and feed on further retransmissions.
 *  - A Code-Reject for codes 1-7 is RXJ- (catastrophic), any other RXJ+,
 *    unless cb->code_rejected says otherwise.
 *  - The order of a cell's actions is the RFC's (Ack-Rcvd RCR+ is "sca,tlu":
 *    the Configure-Ack is sent before tlu runs).  The state is set to the
 *    cell's next state before the actions run, so a tlu callback already
 *    sees Opened and a tlf callback sees Closed or Stopped.
 *  - judge_req runs before the cell's actions, so in Opened RCR+/RCR- the
 *    judge runs before tld.  The judge should record the peer's proposed
 *    values as candidates, and the owner commit them in tlu.
 *
 * Callbacks must not call back into the same struct fsm (fsm_input,
 * fsm_timeout, fsm_up, ...); such a call returns ERR_STATE and does
 * nothing.  An owner that wires two FSMs back to back queues the packets.
 * Calling into another FSM (IPCP's tls opening LCP) is fine.
 */
#ifndef PPTPKIT_PPP_FSM_H
#define PPTPKIT_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../wire/cursor.h"
#include "../wire/ppp_proto.h"

#define FSM_HDR_LEN	4	/* Code, Identifier, Length (RFC 1661 5) */
#define FSM_PKT_MAX	1500	/* largest control packet built or stored */
#define FSM_PKT_MIN	64	/* smallest max_pkt accepted */
#define FSM_REASON_MAX	64	/* Terminate-Request text we keep */
#define FSM_CELL_ACTS	3	/* most actions in one cell ("tld,scr,sca") */

/* The states of RFC 1661 4.2, numbered as in the table. */
enum fsm_state {
	FSM_INITIAL,		/* 0: lower layer down, no Open */
	FSM_STARTING,		/* 1: Open, lower layer down */
	FSM_CLOSED,		/* 2: lower layer up, no Open */
	FSM_STOPPED,		/* 3: Open, negotiation gave up or peer ended */
	FSM_CLOSING,		/* 4: Terminate-Request sent, then Closed */
	FSM_STOPPING,		/* 5: Terminate sent or acked, then Stopped */
	FSM_REQ_SENT,		/* 6: Configure-Request sent */
	FSM_ACK_RCVD,		/* 7: ... and Configure-Ack received */
	FSM_ACK_SENT,		/* 8: ... and Configure-Ack sent */
	FSM_OPENED,		/* 9: both Acks exchanged */
	FSM_NSTATES
};

/* The events of RFC 1661 4.3, in the table's row order. */
enum fsm_event {
	FSM_EV_UP,		/* lower layer is Up */
	FSM_EV_DOWN,		/* lower layer is Down */
	FSM_EV_OPEN,		/* administrative Open */
	FSM_EV_CLOSE,		/* administrative Close */
	FSM_EV_TO_PLUS,		/* Timeout with counter > 0 */
	FSM_EV_TO_MINUS,	/* Timeout with counter expired */
	FSM_EV_RCR_PLUS,	/* Receive-Configure-Request (Good) */
	FSM_EV_RCR_MINUS,	/* Receive-Configure-Request (Bad) */
	FSM_EV_RCA,		/* Receive-Configure-Ack */
	FSM_EV_RCN,		/* Receive-Configure-Nak/Rej */
	FSM_EV_RTR,		/* Receive-Terminate-Request */
	FSM_EV_RTA,		/* Receive-Terminate-Ack */
	FSM_EV_RUC,		/* Receive-Unknown-Code */
	FSM_EV_RXJ_PLUS,	/* Receive-Code-Reject (permitted) or -Protocol-Reject */
	FSM_EV_RXJ_MINUS,	/* Receive-Code-Reject (catastrophic) or -Protocol-Reject */
	FSM_EV_RXR,		/* Receive-Echo-Request/-Reply or Discard-Request */
	FSM_NEVENTS,
	FSM_EV_NONE = FSM_NEVENTS	/* extra_code: handled, no event */
};

/* The actions of RFC 1661 4.4. */
enum fsm_action {
	FSM_ACT_NONE,		/* ends a cell's list */
	FSM_ACT_TLU,		/* This-Layer-Up */
	FSM_ACT_TLD,		/* This-Layer-Down */
	FSM_ACT_TLS,		/* This-Layer-Started */
	FSM_ACT_TLF,		/* This-Layer-Finished */
	FSM_ACT_IRC,		/* Initialize-Restart-Count */
	FSM_ACT_ZRC,		/* Zero-Restart-Count */
	FSM_ACT_SCR,		/* Send-Configure-Request */
	FSM_ACT_SCA,		/* Send-Configure-Ack */
	FSM_ACT_SCN,		/* Send-Configure-Nak/Rej */
	FSM_ACT_STR,		/* Send-Terminate-Request */
	FSM_ACT_STA,		/* Send-Terminate-Ack */
	FSM_ACT_SCJ,		/* Send-Code-Reject */
	FSM_ACT_SER,		/* Send-Echo-Reply */
	FSM_NACTIONS
};

/* Cell flags.  Exactly one of OK and IMPOSSIBLE is set in every cell. */
#define FSM_CELL_OK		0x01	/* a transition */
#define FSM_CELL_IMPOSSIBLE	0x02	/* "-": cannot happen; ignored */
#define FSM_CELL_PASSIVE	0x04	/* [p] footnote */
#define FSM_CELL_RESTART	0x08	/* [r] footnote */
#define FSM_CELL_CROSSED	0x10	/* [x] footnote */

struct fsm_cell {
	uint8_t	act[FSM_CELL_ACTS];	/* enum fsm_action, in order, NONE-padded */
	uint8_t	next;			/* enum fsm_state */
	uint8_t	flags;			/* FSM_CELL_* */
};

struct fsm;

/*
 * Supplied by the protocol (LCP, IPCP, IPV6CP, CCP); the struct must outlive
 * the fsm.  Only send is required; a NULL callback does what its comment
 * says.  `opts` readers cover exactly the Options (or Data) field.
 */
struct fsm_callbacks {
	/* This-Layer-Up/-Down/-Started/-Finished (RFC 1661 4.4).  NULL: none. */
	void	(*tlu)(struct fsm *f);
	void	(*tld)(struct fsm *f);
	void	(*tls)(struct fsm *f);
	void	(*tlf)(struct fsm *f);

	/* A new negotiation starts (see the top of this file): go back to the
	 * configured wishes, forget what the peer Nak'd or Rejected. */
	void	(*reset)(struct fsm *f);

	/* Appends our Configure-Request options to w, which already holds
	 * the 4-octet header (so append; do not measure with wr_len) and ends
	 * at max_pkt.  Returns 0, or a negative ERR_* to skip this
	 * transmission (also when w overflowed): the timer still runs and the
	 * next TO+ builds again.  NULL: no options. */
	int	(*build_req)(struct fsm *f, struct wr *w);

	/* Judges the peer's Configure-Request options.  Returns PPP_CONF_ACK,
	 * PPP_CONF_NAK or PPP_CONF_REJ, having written the Nak'd or Rejected
	 * options into reply; for PPP_CONF_ACK reply is ignored and the engine
	 * acks the options verbatim (RFC 1661 5.2).  A negative ERR_* discards
	 * the packet.  Must honour fsm_nak_exhausted().  NULL: Ack an empty
	 * list, Reject every option of a non-empty one. */
	int	(*judge_req)(struct fsm *f, struct rd *opts, struct wr *reply);

	/* Our last request was acked (options already checked to be byte-equal
	 * to what we sent), Nak'd or Rejected: update what we ask next time.
	 * Return 0, or a negative ERR_* if the packet is invalid (e.g. a
	 * Reject naming an option we did not send); it is then discarded.
	 * NULL: accept, change nothing. */
	int	(*got_ack)(struct fsm *f, struct rd *opts);
	int	(*got_nak)(struct fsm *f, struct rd *opts);
	int	(*got_rej)(struct fsm *f, struct rd *opts);

	/* A packet with a code outside 1-7 (LCP Protocol-Reject, Echo,
	 * Discard, Identification; CCP Reset-Request/-Ack).  *ev comes in as
	 * FSM_EV_NONE.  Return 0 with *ev set to:
	 *   FSM_EV_RXR        Echo-Request/-Reply, Discard-Request: the table
	 *                     decides; if reply holds a whole packet (code,
	 *                     id, length, data) the ser action sends it;
	 *   FSM_EV_RXJ_PLUS,
	 *   FSM_EV_RXJ_MINUS  a Protocol-Reject for this protocol;
	 *   FSM_EV_NONE       handled outside the table; a whole packet left
	 *                     in reply is sent at once.
	 * Return ERR_CODE for an unknown code (RUC: we send Code-Reject), any
	 * other negative ERR_* to discard a malformed packet.  reply's capacity
	 * is the current max_pkt.  NULL: every such code is unknown. */
	int	(*extra_code)(struct fsm *f, uint8_t code, uint8_t id,
		    struct rd *data, enum fsm_event *ev, struct wr *reply);

	/* The peer Code-Rejected `code`.  Returns true if this protocol cannot
	 * work without it (RXJ-).  NULL: codes 1-7 are catastrophic. */
	bool	(*code_rejected)(struct fsm *f, uint8_t code);

	/* Sends one whole control packet (Code, Identifier, Length, data) of
	 * this protocol; pkt is valid only during the call.  Required. */
	void	(*send)(struct fsm *f, const uint8_t *pkt, size_t len);

	/* Reports each transition after its actions ran (for logs).  NULL: none. */
	void	(*trace)(struct fsm *f, enum fsm_state from, enum fsm_event ev,
		    enum fsm_state to);
};

/* RFC 1661 4.6 counters and timer; a zero field takes the default. */
struct fsm_config {
	uint32_t	restart_ms;	/* Restart timer; default 3000 */
	unsigned	max_configure;	/* Max-Configure; default 10 */
	unsigned	max_terminate;	/* Max-Terminate; default 2 */
	unsigned	max_failure;	/* Max-Failure; default 5 */
	size_t		max_pkt;	/* largest packet sent (peer's MRU);
					 * default and cap FSM_PKT_MAX, floor
					 * FSM_PKT_MIN */
};

/* Counters of received packets the engine dropped, by reason. */
struct fsm_stats {
	uint32_t	rx_malformed;	/* header, length, callback refused it */
	uint32_t	rx_state;	/* "-" in the current state */
	uint32_t	rx_stale;	/* reply to no outstanding request */
	uint32_t	tx_build_err;	/* build_req failed; request skipped */
	uint32_t	rx_req_retrans;	/* Opened: our Ack was lost; re-acked */
};

/*
 * The fields are readable by the owner and by tests; only fsm.c writes
 * them (tests may load `restart` to set up a cell).
 */
struct fsm {
	const char			*name;	/* "lcp", "ipcp", ... for logs */
	uint16_t			 proto;	/* PPP protocol number */
	enum fsm_state			 state;
	const struct fsm_callbacks	*cb;
	struct fsm_config		 cfg;	/* defaults filled in */
	void				*ctx;	/* the owner's */

	unsigned	restart;	/* Restart counter */
	uint64_t	deadline;	/* Restart timer; UINT64_MAX if stopped */
	uint8_t		next_id;	/* Identifier of our next request */
	uint8_t		req_id;		/* Identifier of our last Configure-Request */
	bool		req_pending;	/* ... which has had no valid reply yet */
	unsigned	naks_sent;	/* Configure-Naks since our last Ack */
	/* The peer's request we last Acked (Identifier, option bytes as a
	 * length and a 64-bit FNV-1a hash), to recognise its retransmission
	 * in Opened (see fsm_input). */
	bool		acked_valid;
	uint8_t		acked_id;
	size_t		acked_len;
	uint64_t	acked_hash;
	bool		busy;		/* inside the engine (re-entry guard) */
	struct fsm_stats stats;

	char		reason[FSM_REASON_MAX + 1];	/* Terminate-Request text */
	size_t		req_len;		/* 0: none stored */
	uint8_t		req[FSM_PKT_MAX];	/* our last Configure-Request */
	uint8_t		tx[FSM_PKT_MAX];	/* reply being built */
};

/*
 * Sets f up in Initial with no timer.  cfg may be NULL (all defaults);
 * name must outlive f.  Our Identifiers start at 1 and count up mod 256
 * (Configure-Request, Terminate-Request, Code-Reject share the count); an
 * owner may set f->next_id afterwards.  Returns 0, or ERR_INVAL if cb or
 * cb->send is NULL.
 */
int fsm_init(struct fsm *f, uint16_t proto, const char *name,
    const struct fsm_callbacks *cb, const struct fsm_config *cfg, void *ctx)
    MUST_CHECK;

/*
 * The administrative and lower-layer events (RFC 1661 4.3).  fsm_close
 * copies reason (NULL: none; truncated to FSM_REASON_MAX) as the data of
 * the Terminate-Requests that follow.  Each returns 0 when the event ran,
 * ERR_STATE if the table marks it "-" in the current state (nothing
 * happens) or on re-entry.
 */
int fsm_up(struct fsm *f, uint64_t now);
int fsm_down(struct fsm *f, uint64_t now);
int fsm_open(struct fsm *f, uint64_t now);
int fsm_close(struct fsm *f, uint64_t now, const char *reason);

/*
 * Takes one control packet of this protocol (from the Code field on; the
 * PPP protocol field already stripped); pkt is only read during the call
 * and must not point into f.  Octets past the Length field are padding and
 * ignored (the header goes through ppp_cp_decode()).  Classifies it (RCR+/-, RCA, RCN, RTR, RTA, RUC,
 * RXJ+/-, RXR) with the callbacks and runs the table.  Returns 0 when an
 * event ran or extra_code handled the packet; otherwise the packet was
 * discarded and the result says why: ERR_TRUNCATED (< 4 octets, or an
 * empty Code-Reject), ERR_LENGTH (Length < 4 or past the data), ERR_STATE
 * ("-" here, e.g. in Initial, or re-entry), ERR_STALE (an Ack/Nak/Reject
 * whose Identifier is not our outstanding request's), ERR_OPTION (an Ack
 * whose options differ from what we sent), ERR_NOSPACE (the reply did not
 * fit max_pkt), or the callback's own error.
 */
int fsm_input(struct fsm *f, uint64_t now, const uint8_t *pkt, size_t len);

/*
 * Runs the Restart timer: if now >= fsm_deadline(f), fires TO+ (counter > 0)
 * or TO-.  Before the deadline, or with no timer, does nothing.  Returns 0,
 * or ERR_STATE on re-entry.
 */
int fsm_timeout(struct fsm *f, uint64_t now);

/* When fsm_timeout wants to run next; UINT64_MAX if the timer is stopped. */
uint64_t fsm_deadline(const struct fsm *f);

/* RXJ-: the peer Protocol-Rejected this protocol (LCP calls it on IPV6CP,
 * say).  Returns as fsm_up. */
int fsm_protocol_rejected(struct fsm *f, uint64_t now);

/*
 * Fires ev directly (tests, and owners that classify by themselves).  No
 * packet is attached: sca/scn send an empty option list, sta and the
 * replies use Identifier 0, scj rejects an empty packet, ser sends nothing.
 * Returns 0, ERR_INVAL for an ev out of range, ERR_STATE as fsm_up.
 */
int fsm_event(struct fsm *f, uint64_t now, enum fsm_event ev);

/* Max-Failure reached: judge_req must Reject rather than Nak. */
bool fsm_nak_exhausted(const struct fsm *f);

/* Lowers or raises max_pkt (after LCP learns the peer's MRU); clamped to
 * [FSM_PKT_MIN, FSM_PKT_MAX]. */
void fsm_set_max_pkt(struct fsm *f, size_t max_pkt);

/* True in the states where the Restart timer runs. */
bool fsm_state_has_timer(enum fsm_state st);

/* The table cell for (ev, st), or NULL if either is out of range. */
const struct fsm_cell *fsm_cell(enum fsm_event ev, enum fsm_state st);

/* RFC names: "Req-Sent", "RCR+", "scr".  "?" when out of range. */
const char *fsm_state_name(enum fsm_state st);
const char *fsm_event_name(enum fsm_event ev);
const char *fsm_action_name(enum fsm_action act);

#endif

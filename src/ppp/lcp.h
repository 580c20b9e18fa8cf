/*
 * lcp.h - the Link Control Protocol part of a session (RFC 1661 5 and 6,
 * RFC 1570 Identification/Time-Remaining), for both roles, on the FSM of
 * fsm.h: lcp.c (packets, signals, Echo, the interface below) and
 * lcp_opts.c (option negotiation).  See ppp_int.h for how the parts fit.
 *
 * What we ask for: MRU (omitted when 1500), Magic-Number, PFC and ACFC,
 * and as server the strongest allowed Authentication-Protocol.  Never ACCM
 * (RFC 2637 4: PPTP is not async HDLC).  What we accept from the peer: MRU
 * >= PPP_MRU_MIN, any ACCM (ignored), Magic-Number, PFC and ACFC (unless
 * cfg.no_pfc/no_acfc), and as client an allowed Authentication-Protocol;
 * everything else is Rejected.
 *
 * Dead-peer detection: with cfg.echo_interval_ms > 0, once LCP is Opened,
 * an interval without any received frame sends an Echo-Request; after
 * cfg.echo_failures of them went unanswered, the next silent interval
 * fails the session with PPP_DOWN_ECHO (echo_failures 0: send Echoes but
 * never fail).  Any frame counts as an answer (lcp_rx_activity).
 *
 * Failing: LCP calls ppp_fail(), which session.c turns into lcp_close()
 * once the public call returns.  An lcp_close() made while LCP's FSM is
 * busy (the FSM refuses re-entry) is remembered and run when it returns.
 */
#ifndef PPTPKIT_PPP_LCP_H
#define PPTPKIT_PPP_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

struct ppp;

/* Consecutive Configure-Requests carrying our own Magic-Number before the
 * link is declared looped back (RFC 1661 6.4). */
#define LCP_LOOPBACK_MAX	3

/* The values of the peer's Configure-Request we last Acked; committed to
 * the "agreed" fields on This-Layer-Up. */
struct lcp_peer_opts {
	bool		has_mru;
	uint16_t	mru;
	bool		has_magic;
	uint32_t	magic;
	bool		pfc, acfc;
	uint16_t	auth_proto;	/* client: what the peer requires */
	uint8_t		auth_alg;
};

struct lcp_state {
	struct fsm	fsm;
	/* what we ask for */
	uint16_t	want_mru;	/* 0: not asked (peer assumes 1500) */
	uint32_t	magic;		/* ours (nonzero) */
	bool		want_magic;	/* false once the peer Rejected it */
	bool		want_pfc, want_acfc;
	uint16_t	auth_proto;	/* server: what we require (0: none yet) */
	uint8_t		auth_alg;	/* ... CHAP algorithm */
	unsigned	auth_tried;	/* server: PPP_AUTH_* the peer refused */
	/* what was agreed */
	uint16_t	peer_mru;	/* the peer's MRU: largest frame we send */
	uint32_t	peer_magic;
	bool		magic_neg;	/* our Magic-Number was Acked */
	bool		tx_pfc, tx_acfc;	/* we may compress what we send */
	uint16_t	peer_auth_proto;	/* client: what the peer requires */
	uint8_t		peer_auth_alg;
	struct lcp_peer_opts acked;	/* candidate, committed on tlu */
	unsigned	loops;		/* ConfReqs in a row with our magic */
	/* Echo, dead-peer detection */
	uint64_t	last_rx;	/* any frame from the peer */
	uint64_t	echo_next;	/* when the next Echo-Request is due */
	unsigned	echo_outstanding;
	uint8_t		echo_id;
	bool		echo_off;	/* the peer Code-Rejected Echo */
	/* Protocol-Reject Identifiers (RFC 1661 5.7: new for each) */
	uint8_t		rej_id;
	uint16_t	rej_logged;	/* last protocol whose reject we logged */
	/* diagnosis of a negotiation that gave up */
	uint32_t	rx_pkts;	/* well-formed LCP packets received */
	uint32_t	rx_conf_reqs;	/* ... of them Configure-Requests */
	uint32_t	rx_conf_replies; /* ... Configure-Ack/Nak/Reject */
	uint8_t		nak_tx_opt;	/* last option we Nak'd/Rejected */
	unsigned	nak_tx_count;	/* ... so many times in a row */
	uint8_t		nak_rx_opt;	/* last option the peer Nak'd/Rejected */
	unsigned	nak_rx_count;
	bool		peer_term;	/* the peer sent Terminate-Request */
	uint8_t		peer_term_len;
	uint8_t		peer_term_text[FSM_REASON_MAX];
	uint8_t		rx_code;	/* code of the packet being processed */
	bool		ident_logged, time_rem_logged;
	bool		req_logged;	/* our ConfReq with id req_log_id */
	uint8_t		req_log_id;
	/* lcp_close() while the FSM was busy, run when it returns */
	uint64_t	now;
	bool		close_pending;
	char		close_reason[FSM_REASON_MAX + 1];
};

/* Sets up LCP's state and FSM from s->cfg (draws no randomness: the
 * Magic-Number is chosen when negotiation starts).  0, or ERR_INVAL from
 * fsm_init. */
int lcp_init(struct ppp *s);
/* Lower layer up + Open: the first Configure-Request goes out. */
void lcp_start(struct ppp *s, uint64_t now);
/* An LCP packet from the peer (from the Code field on).  Returns 0 when it
 * was taken, else why it was dropped (fsm_input's codes). */
int lcp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);
/* Any frame arrived: the peer is alive (resets the Echo count). */
void lcp_rx_activity(struct ppp *s, uint64_t now);
/* Timers: the FSM's restart timer and the Echo timer.  lcp_deadline():
 * the earlier of the two, UINT64_MAX if neither runs. */
uint64_t lcp_deadline(const struct ppp *s);
void lcp_timeout(struct ppp *s, uint64_t now);
/* Administrative close with a reason (Terminate-Request data, may be
 * NULL); deferred until the FSM returns when called from its callbacks. */
void lcp_close(struct ppp *s, uint64_t now, const char *reason);
/* The lower layer went down (FSM Down event); no packets are sent. */
void lcp_lower_down(struct ppp *s, uint64_t now);
/* Sends an LCP Protocol-Reject for a frame of an unknown protocol, info
 * being its Information field (cut to fit the peer's MRU); a new
 * Identifier each time.  Only in Opened (RFC 1661 5.7); else nothing. */
void lcp_send_proto_rej(struct ppp *s, uint16_t proto, const uint8_t *info,
    size_t len);
/* True once LCP is Opened. */
bool lcp_is_open(const struct ppp *s);

/*
 * Between lcp.c and lcp_opts.c only (other parts use the functions above):
 * the option callbacks of LCP's FSM (see struct fsm_callbacks), and names
 * for logs.
 */
void lcp_opts_reset(struct fsm *f);
int lcp_opts_build(struct fsm *f, struct wr *w);
int lcp_opts_judge(struct fsm *f, struct rd *opts, struct wr *reply);
int lcp_opts_got_ack(struct fsm *f, struct rd *opts);
int lcp_opts_got_nak(struct fsm *f, struct rd *opts);
int lcp_opts_got_rej(struct fsm *f, struct rd *opts);
/* "MS-CHAPv2", "MS-CHAPv1", "CHAP-MD5", "PAP"; NULL for anything else. */
const char *lcp_auth_name(uint16_t proto, uint8_t alg);
/* pppd's name of an LCP option type ("mru", "auth", ...), or "unknown". */
const char *lcp_opt_name(uint8_t type);

#endif

/*
 * lcp.h - the Link Control Protocol part of a session (RFC 1661 6, RFC 1570),
 * implemented in lcp.c.  See ppp_int.h for how the parts fit.
 */
#ifndef PPTPKIT_PPP_LCP_H
#define PPTPKIT_PPP_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

struct ppp;

struct lcp_state {
	struct fsm	fsm;
	/* what we ask for */
	uint16_t	want_mru;
	uint32_t	magic;		/* ours (nonzero) */
	bool		want_pfc, want_acfc;
	uint16_t	auth_proto;	/* server: what we require (0: none yet) */
	uint8_t		auth_alg;	/* ... CHAP algorithm */
	unsigned	auth_tried;	/* server: methods the peer refused */
	/* what was agreed */
	uint16_t	peer_mru;	/* the peer's MRU: largest frame we send */
	uint32_t	peer_magic;
	bool		tx_pfc, tx_acfc;	/* we may compress what we send */
	uint16_t	peer_auth_proto;	/* client: what the peer requires */
	uint8_t		peer_auth_alg;
	/* Echo, dead-peer detection */
	uint64_t	last_rx;	/* any frame from the peer */
	uint64_t	echo_next;	/* when the next Echo-Request is due */
	unsigned	echo_outstanding;
	uint8_t		echo_id;
};

/* Sets up LCP's state and FSM from s->cfg. */
int lcp_init(struct ppp *s);
/* Lower layer up + Open. */
void lcp_start(struct ppp *s, uint64_t now);
/* An LCP packet from the peer (from the Code field on). */
int lcp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);
/* Any frame arrived: the peer is alive. */
void lcp_rx_activity(struct ppp *s, uint64_t now);
/* Timers: the FSM's restart timer and the Echo timer. */
uint64_t lcp_deadline(const struct ppp *s);
void lcp_timeout(struct ppp *s, uint64_t now);
/* Administrative close with a reason; lower layer down. */
void lcp_close(struct ppp *s, uint64_t now, const char *reason);
void lcp_lower_down(struct ppp *s, uint64_t now);
/* Sends an LCP Protocol-Reject for a frame of an unknown protocol. */
void lcp_send_proto_rej(struct ppp *s, uint16_t proto, const uint8_t *info,
    size_t len);
/* True once LCP is Opened. */
bool lcp_is_open(const struct ppp *s);

#endif

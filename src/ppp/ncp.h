/*
 * ncp.h - the network control protocols: IPCP (RFC 1332 with RFC 1877 DNS
 * and NBNS) and IPV6CP (RFC 5072), implemented in ncp.c.  See ppp_int.h for
 * how the parts fit.
 *
 * IPCP, server role: we request IP-Address = s->ipcp.local (session.c puts
 * the auth answer's local_ip/peer_ip into s->ipcp.local/peer before
 * ncp_open; 0 = not sent).  The client's IP-Address is Nak'd with
 * s->ipcp.peer unless equal to it (0.0.0.0 included, RFC 1332 3.3), and
 * a request without one is Nak'd with it added (as pppd does); its
 * DNS and NBNS options (RFC 1877) are Nak'd with cfg.dns / cfg.nbns when
 * those are configured and differ, Acked when equal, Rejected when not
 * configured (0); IP-Compression-Protocol (VJ) and everything else is
 * Rejected.  A client that still asks another address after Max-Failure
 * Naks fails the session: "IPCP: peer keeps refusing address 10.0.0.2".
 *
 * IPCP, client role: we request IP-Address 0.0.0.0 and Primary/Secondary
 * DNS 0.0.0.0, take what a Nak gives, stop asking for what is Rejected.
 * We Ack the server's IP-Address when it is nonzero and Reject it when it
 * is 0.0.0.0 (we have no address to give it, RFC 1332 3.3; as pppd); the
 * server's other options are Rejected.  Ending up without an address of
 * our own fails the session.  Once Opened, s->ipcp.local, peer and dns[]
 * hold what was learned.
 *
 * Either role: IPCP opened -> ppp_ncp_up(s, PPP_IPCP).  IPCP finished
 * (timeouts, Protocol-Reject, the peer ending it) -> ppp_fail with
 * PPP_DOWN_NEGOTIATION and the reason.
 *
 * IPV6CP (only when cfg.ipv6): Interface-Identifier ours random, nonzero,
 * with the universal/local bit clear, distinct from the peer's; the peer's
 * zero or clashing identifier is Nak'd with a fresh random one; a Nak of
 * ours is taken unless zero or equal to the peer's.  Opened ->
 * ppp_ncp_up(s, PPP_IPV6CP); a Protocol-Reject or a failure stops IPV6CP
 * quietly and IPv4 goes on.
 *
 * A peer that Naks our requests more than Max-Failure times in a row
 * (with nothing Acked between) is not converging: IPCP fails the session
 * ("IPCP: peer keeps Nak'ing our request"), IPV6CP closes.
 *
 * Calls out of the FSM callbacks that could re-enter an NCP FSM (ppp_fail,
 * ppp_ncp_up) are deferred to the end of the public entry point.
 */
#ifndef PPTPKIT_PPP_NCP_H
#define PPTPKIT_PPP_NCP_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

struct ppp;

#define NCP_REASON_MAX	160	/* the failure text (= PPP_REASON_MAX) */

struct ipcp_state {
	struct fsm	fsm;
	uint32_t	local, peer;	/* host order; server: from the answer */
	uint32_t	dns[2], nbns[2];	/* client: what we ask / learned;
						 * server: what we give */
	bool		dns_rejected[2], nbns_rejected[2];
	bool		addr_rejected;
	uint32_t	peer_cand;	/* client: the server's address we acked */
	unsigned	addr_naks;	/* server: Naks of our own address */
	unsigned	naks_rcvd;	/* Naks of our requests, this round */
	bool		proto_rejected;
	bool		pend_up, pend_fail;
	bool		req_logged;	/* a Configure-Request was logged ... */
	uint8_t		req_log_id;	/* ... with this Identifier */
	char		fail_text[NCP_REASON_MAX + 1];
};

struct ipv6cp_state {
	struct fsm	fsm;
	uint8_t		local_id[8], peer_id[8];
	uint8_t		peer_cand[8];	/* the peer's identifier we acked */
	bool		id_rejected;	/* the peer rejected our identifier */
	bool		proto_rejected;	/* the peer Protocol-Rejected IPV6CP */
	unsigned	naks_rcvd;	/* Naks of our requests, this round */
	bool		pend_up, pend_close;
	bool		req_logged;	/* as in struct ipcp_state */
	uint8_t		req_log_id;
};

/* Sets up both FSMs (Initial) and clears the state. */
void ncp_init(struct ppp *s);

/* Network phase: Up + Open IPCP, and IPV6CP when cfg.ipv6 (and the peer
 * has not Protocol-Rejected it).  The client forgets addresses; the server
 * keeps s->ipcp.local/peer and takes dns/nbns from cfg.  A second call
 * while they run does nothing. */
void ncp_open(struct ppp *s, uint64_t now);

/* An IPCP / IPV6CP packet (from the Code field on).  0 when taken, or the
 * FSM's reason for dropping it (fsm_input in fsm.h); ipv6cp_input also
 * ERR_STATE when cfg.ipv6 is off. */
int ipcp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);
int ipv6cp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);

/* Both FSMs' Restart timers.  UINT64_MAX if none. */
uint64_t ncp_deadline(const struct ppp *s);
void ncp_timeout(struct ppp *s, uint64_t now);

/* The peer Protocol-Rejected IPCP (the session fails) or IPV6CP (it stops
 * quietly, IPv4 goes on).  Other protocols: ignored. */
void ncp_protocol_rejected(struct ppp *s, uint64_t now, uint16_t proto);

/* LCP left Opened: both NCPs down. */
void ncp_lower_down(struct ppp *s, uint64_t now);

bool ipcp_is_open(const struct ppp *s);
bool ipv6cp_is_open(const struct ppp *s);

/* Logs one Configure/Terminate/Code-Reject packet of proto (CCP, IPCP or
 * IPV6CP) pppd style, "ipcp: sent IPCP ConfReq id=1 len=10 <addr
 * 0.0.0.0>"; dir is "sent" or "rcvd".  A sent Configure-Request is logged
 * once per Identifier (*logged, *log_id remember the last; they may be
 * NULL for "rcvd").  Other codes are not logged.  Shared with ccp.c. */
void ncp_log_pkt(struct ppp *s, uint16_t proto, const char *dir,
    const uint8_t *pkt, size_t len, bool *logged, uint8_t *log_id);

#endif

/*
 * ccp.h - the Compression Control Protocol part (RFC 1962) negotiating MPPE
 * (RFC 3078 option 18) and running its two directions (src/crypto/mppe.h),
 * implemented in ccp.c.  See ppp_int.h for how the parts fit.
 *
 * Negotiation (RFC 3078 2.1): as initiator we request every strength the
 * policy allows and auth_mppe_keys() can key, plus H when stateless mode is
 * allowed; as responder we Ack a request naming exactly one strength and a
 * mode we allow, Nak anything else with the single strongest common
 * strength (S > M > L) and our mode, Nak away D, C and unknown bits, Ack an
 * all-zero value ("no MPPE", ppp#558) unless MPPE is required, and
 * Configure-Reject every other CCP option.  MPPE goes on when CCP opens
 * with the same single strength and mode agreed in both directions.
 *
 * The mode.  With both modes allowed we Ack the peer's choice and ask for
 * stateless ourselves, as pppd does with mppe-stateful; so two such peers
 * agree on stateless.  With mppe_prefer_stateful we ask for stateful (no
 * H) and Nak a stateless request to stateful once; a peer that then asks
 * for stateless again, or Naks our request to stateless, insists, and we
 * follow it in both directions for the rest of the session.  So pppd with
 * mppe-stateful (which takes a Nak to stateful) and Windows settle on
 * stateful, and a peer that only does stateless and insists settles on
 * stateless.  pppd WITHOUT mppe-stateful does not insist: it closes LCP
 * when it is asked for stateful or Nak'd to it ("MPPE required but peer
 * negotiation failed"), so preferring stateful is for deployments whose
 * pppd clients all say mppe-stateful.  When the peer Naks our request to
 * a mode we do not allow, we insist on ours (the same request again), up
 * to max_failure Naks; then MPPE is not agreed ("peer Naks to stateful").
 *
 * When MPPE is required and cannot be agreed (a Reject of option 18, a
 * request or Nak with no strength we allow, a Protocol-Reject of CCP, the
 * FSM giving up), the session fails with PPP_DOWN_MPPE and a reason naming
 * both sides' first offers in pppd's notation:
 *   "MPPE not agreed: we offered <mppe +H -M +S -L -D -C>, peer offered
 *    <mppe +H -M -S +L -D -C>: policy requires 128-bit stateless"
 * When MPPE is only allowed, CCP closes and the link goes on in the clear.
 *
 * When the policy is REFUSED (session.c does not call ccp_open), or MPPE is
 * allowed but impossible (PAP, CHAP-MD5, MS-CHAPv1 40/56-bit without the LM
 * hash), CCP is not run and a peer's CCP packets in the Network phase are
 * answered with an LCP Protocol-Reject, as pppd does with noccp.
 *
 * Lost FLUSHED packets (stateful): Linux and Windows change the key for
 * every Reset-Request they act on, so when the FLUSHED packet answering
 * one Reset-Request is lost and another Reset-Request goes out, the sender
 * ends up more key changes ahead than the coherency count tells, and plain
 * RFC 3078 8.2 decryption is garbage for ever after.  So when a FLUSHED
 * packet ends our discarding and does not decrypt to an IPv4/IPv6 packet,
 * up to CCP_RESYNC_EXTRA further key changes are tried and the first that
 * does is kept (logged "mppe: resynchronised ..."); if none does, the
 * plain result stands.
 *
 * Calls out of the FSM's callbacks that could re-enter the CCP FSM
 * (ppp_fail, ppp_ccp_up, fsm_close) are deferred to the end of the public
 * entry point that ran the FSM (ccp_open, ccp_input, ccp_timeout,
 * ccp_protocol_rejected).
 */
#ifndef PPTPKIT_PPP_CCP_H
#define PPTPKIT_PPP_CCP_H

#include <stdbool.h>
#include <stdint.h>

#include "../crypto/mppe.h"
#include "fsm.h"

struct ppp;

#define CCP_REASON_MAX	160	/* the failure text (= PPP_REASON_MAX) */
#define CCP_RESYNC_EXTRA	4	/* extra key changes tried (above) */

struct ccp_state {
	struct fsm	fsm;
	bool		running;	/* ccp_open ran the FSM */
	bool		active;		/* MPPE on in both directions */
	uint32_t	allow;		/* strengths policy and keys allow
					 * (MPPE_OPT_S/M/L of ppp_opt.h) */
	uint32_t	want_bits;	/* what we ask (option 18 value) */
	uint32_t	peer_bits;	/* the peer's request we last acked
					 * (0: none, or no option 18) */
	uint32_t	peer_offer;	/* the peer's first request, for reasons */
	uint32_t	our_offer;	/* our first request, for reasons */
	bool		has_peer_offer, has_our_offer;
	unsigned	naks_rcvd;	/* Naks of our request this negotiation */
	bool		nakd_stateful;	/* we Nak'd a stateless request to
					 * stateful (mppe_prefer_stateful) */
	bool		peer_stateless;	/* ... and the peer insisted: we
					 * ask and Ack stateless from now on */
	unsigned	bits;		/* agreed: 40, 56, 128 (0: none) */
	bool		stateless;
	struct mppe_dir	tx, rx;
	uint64_t	reset_next;	/* Reset-Request retransmission */
	uint64_t	reset_sent;	/* ... first sent (for reset_rtt) */
	uint32_t	reset_rtt;	/* round trip, ms: Configure-Request ->
					 * -Ack, then Reset-Request -> -Ack;
					 * 0: none measured yet */
	uint64_t	req_sent;	/* our Configure-Request, first sent */
	unsigned	req_sends;	/* ... times (Karn: 1 for a sample) */
	uint8_t		reset_id;	/* Identifier of our Reset-Request */
	bool		reset_retx;	/* ... was retransmitted (Karn) */
	bool		reset_acked;	/* ... and the peer acked it */
	bool		req_logged;	/* a Configure-Request was logged ... */
	uint8_t		req_log_id;	/* ... with this Identifier */
	/* deferred to the end of the entry point (see above) */
	bool		pend_fail, pend_close, pend_up;
	bool		closing;	/* we closed CCP on purpose (allowed) */
	bool		proto_rejected;	/* the peer Protocol-Rejected CCP */
	char		fail_text[CCP_REASON_MAX + 1];
};

/* Sets up the CCP FSM (Initial) and clears the state.  No keys yet. */
void ccp_init(struct ppp *s);

/* Network phase began and policy allows MPPE: works out which strengths
 * can be keyed; then Up + Open (our Configure-Request goes out).  If MPPE
 * is required but impossible the session fails (PPP_DOWN_MPPE); if only
 * allowed, CCP is not run. */
void ccp_open(struct ppp *s, uint64_t now);

/* A CCP packet from the peer (from the Code field on).  0 when taken, or
 * why it was dropped (the FSM's codes, fsm_input in fsm.h); ERR_STATE also
 * when CCP is not running (it was Protocol-Rejected in the Network phase). */
int ccp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);

/* The FSM's Restart timer and, in stateful mode while the receiver is out
 * of sync, the Reset-Request retransmission: after four round trips as
 * the last unambiguous Configure-Request/-Ack or Reset-Request/-Ack
 * exchange measured them (at least
 * CCP_RESET_MIN_MS), after the Restart interval until one was measured
 * and at most that.  UINT64_MAX if none. */
#define CCP_RESET_MIN_MS	40
uint64_t ccp_deadline(const struct ppp *s);
void ccp_timeout(struct ppp *s, uint64_t now);

/* The peer Protocol-Rejected CCP: MPPE required -> the session fails
 * (PPP_DOWN_MPPE); allowed -> CCP stops, the link goes on without MPPE. */
void ccp_protocol_rejected(struct ppp *s, uint64_t now);

/* LCP left Opened: CCP goes to Starting/Initial, MPPE off, keys wiped. */
void ccp_lower_down(struct ppp *s, uint64_t now);

/* True while MPPE is on (both directions keyed). */
bool ccp_is_active(const struct ppp *s);

/* Encrypts an inner frame (protocol field on) into out as the information
 * field of a 0x00FD frame (MPPE header + ciphertext).  0, ERR_STATE when
 * MPPE is off, or mppe_encrypt's errors. */
int ccp_encrypt(struct ppp *s, const uint8_t *inner, size_t len,
    struct wr *out);

/* Decrypts the information field of a 0x00FD frame into out[cap] (which
 * must not overlap info); on stateful loss sends the CCP Reset-Request
 * itself (once per loss, then as ccp_deadline says while still
 * discarding, and at once when a packet that is not FLUSHED comes after
 * the peer's Reset-Ack: the FLUSHED one was lost).  Stateful
 * resynchronisation also survives a lost FLUSHED packet (see
 * ccp_decrypt_resync in ccp.c).  0 with *outlen set,
 * ERR_STATE when MPPE is off, or mppe_decrypt's errors (the caller
 * counts the drop).  Reset-Requests are counted in stats.mppe_resets_sent,
 * those received in stats.mppe_resets_rcvd. */
int ccp_decrypt(struct ppp *s, uint64_t now, const uint8_t *info, size_t len,
    uint8_t *out, size_t cap, size_t *outlen);

/* Wipes the keys; MPPE off. */
void ccp_fini(struct ppp *s);

/* ccp_data.c: sends our Reset-Request, a new one (fresh: a new
 * Identifier) or a retransmission, and schedules the next. */
void ccp_send_reset_req(struct ppp *s, uint64_t now, bool fresh);

#endif

/*
 * call.h - the data plane of one PPTP call, either role: the GRE
 * sequence/ack window (RFC 2637 sections 4.2-4.4, src/pptp/gre_win.h), the
 * PPP session (src/ppp/ppp.h) and a TUN device, joined on the event loop.
 *
 *   TUN readable -> read a batch -> MSS clamp -> ppp_send_ip -> PPP frame
 *     -> gre_win_next_tx (sequence number, piggybacked ack)
 *     -> gre_mux_send (key Call ID = the PEER's) -> sendmmsg at the flush
 *   GRE from the mux -> gre_win_rx (ack, reorder, loss) -> ppp_input
 *     -> IPv4/IPv6 packet -> MSS clamp -> TUN write
 *   timer = min(ppp_deadline, gre_win_deadline rounded up to ms)
 *     -> ppp_timeout, gre_win_timeout, ack-only packets due
 *
 * The control channel (src/pptp, in the server or client glue) has already
 * agreed on the two Call IDs, the peer's receive window and its Packet
 * Processing Delay; it creates the call with them and starts it.  The call
 * never touches the control connection: it reports PPP events to its owner
 * through one callback, and the owner answers authentication requests,
 * logs, runs scripts, and clears the PPTP call when PPP goes down.
 *
 * The TUN device is created by tunnel_call_new (so its name is known from
 * the start), idle and down.  When PPP reports PPP_EV_IP_UP the call sets
 * its MTU (the event's mtu: the peer's MRU less the MPPE overhead), brings
 * it up and gives it the point-to-point address (local, peer), and only
 * then passes the event on and starts reading the device.  On
 * PPP_EV_IPV6_UP it adds fe80::<our interface identifier> with the peer's
 * fe80::<identifier> as point-to-point peer.  A configuration the kernel
 * refuses closes the call for IPv4 (the reason is in the DOWN event) and is
 * logged and not reported for IPv6 (IPv6 may be disabled on the host).
 *
 * Window full.  When the GRE send window is full (gre_win_next_tx says
 * ERR_NOSPACE; only while the window is enforced, see gre_win.h):
 *   - PPP control frames (LCP, authentication, NCPs, CCP) are never dropped
 *     for that: they wait in a FIFO of TUNNEL_CTRL_QUEUE frames and leave,
 *     in order and before any data, as soon as the window opens.  Only if
 *     the FIFO is full (the peer has acknowledged nothing for longer than
 *     its own retransmissions take) is a frame dropped and counted; PPP
 *     retransmits its requests anyway.
 *   - data is never queued beyond one frame: the call stops reading the TUN
 *     (ev_io_mod to idle) while the window is full, and the one frame that
 *     did not fit (already encrypted: MPPE needs it sent before the next)
 *     waits in a single slot.  The kernel queues behind the TUN meanwhile,
 *     and drops there, so backpressure reaches the senders as ordinary
 *     congestion.  An ack from the peer or the ack time-out (which writes
 *     off what is outstanding) opens the window; then the slot leaves and
 *     reading resumes.
 *
 * Ack-only packets (S=0, A=1) go out whenever gre_win_ack_only_due says so,
 * checked after every call into the window; the timer is re-armed after
 * every call too.
 *
 * Memory: tunnel_call_new allocates everything once (the call with its TUN
 * buffer, the control FIFO and the data slot; the window's reorder slots;
 * the PPP session).  Nothing is allocated per packet.
 *
 * Lifetime and re-entrancy.  The owner's callback runs inside the call's
 * processing, so:
 *   - tunnel_call_auth_answer may be called from the callback (the PPP
 *     engine allows an answer at once) or later;
 *   - tunnel_call_close and tunnel_call_lower_down may be called from the
 *     callback: they take effect when the call's processing unwinds;
 *   - the call is never freed from a callback: tunnel_call_free_later
 *     detaches it at once (no callback, packet or frame after it; the TUN
 *     device is closed, so the interface disappears) and frees it at the
 *     end of the loop iteration (ev_defer).  tunnel_call_free is for code
 *     that runs outside every callback of the call (tear-down, tests).
 *
 * Not thread-safe: a call belongs to the loop (and mux) it was made with.
 */
#ifndef PPTPKIT_TUNNEL_CALL_H
#define PPTPKIT_TUNNEL_CALL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../event/loop.h"
#include "../os/netcfg.h"
#include "../ppp/ppp.h"
#include "../pptp/gre_win.h"
#include "gre_mux.h"

#define TUNNEL_TUN_BATCH	32	/* TUN packets read per callback */
#define TUNNEL_TUN_BATCH_MAX	256
#define TUNNEL_CTRL_QUEUE	8	/* control frames held while full */
#define TUNNEL_PKT_MAX		2048	/* TUN read buffer: above any MTU
					 * (PPP_FRAME_MAX caps the peer MRU) */
#define TUNNEL_PREFIX_MAX	48

struct tunnel_call;

/*
 * PPP events for the owner: AUTH_REQUEST (server: answer with
 * tunnel_call_auth_answer), AUTH_OK, IP_UP (after the TUN is configured),
 * IPV6_UP (after its address is set), DOWN (the session ended: clear the
 * PPTP call, then tunnel_call_free_later), LOG.  ev is valid during the
 * call only.  See the header comment for what the callback may do.
 */
typedef void tunnel_call_event_fn(void *ctx, struct tunnel_call *call,
    const struct ppp_event *ev);

/* Random bytes for PPP (challenges, magic numbers).  NULL: getrandom(2). */
typedef void tunnel_call_random_fn(void *ctx, void *buf, size_t n);

struct tunnel_call_config {
	struct in_addr	 peer;		/* the peer's IPv4 address */
	uint16_t	 our_call_id;	/* ours: the key GRE from the peer has */
	uint16_t	 peer_call_id;	/* the peer's: the key we send */
	/* The window: peer_rwin and ppd from the peer's OCRQ/OCRP/ICRP/ICCN,
	 * our_rwin as we advertised it; the rest as gre_win.h. */
	struct gre_win_config gre;
	/* The PPP session; its role is the call's role.  Copied by
	 * tunnel_call_new, which keeps no copy of the secrets: the caller
	 * wipes its own. */
	struct ppp_config ppp;
	char		 tun_name[IFNAMSIZ]; /* name or pattern; "pptp%d" */
	bool		 mss_clamp;	/* clamp TCP MSS both ways; default on */
	unsigned	 tun_batch;	/* 1..TUNNEL_TUN_BATCH_MAX; default 32 */
	/* An rtnetlink socket to configure the TUN with, shared by the
	 * owner's calls; NULL: the call opens one when it needs it, in the
	 * network namespace current at that moment, and closes it. */
	struct netcfg	*nc;
	char		 log_prefix[TUNNEL_PREFIX_MAX]; /* "" : "call=<ours>" */
	tunnel_call_event_fn *event;	/* required */
	tunnel_call_random_fn *random;	/* NULL: getrandom */
	void		*ctx;		/* for event and random */
};

/* Counters of one call.  gre and ppp are the cores' own. */
struct tunnel_call_stats {
	uint64_t	tun_rx_packets, tun_rx_bytes;	/* read from the TUN */
	uint64_t	tun_rx_dropped;	/* refused by PPP (not up, too big) */
	uint64_t	tun_rx_errors;	/* reads failed or truncated */
	uint64_t	tun_tx_packets, tun_tx_bytes;	/* written to the TUN */
	uint64_t	tun_tx_dropped;	/* the kernel refused the write */
	uint64_t	mss_clamped_out; /* SYNs clamped toward the peer */
	uint64_t	mss_clamped_in;	/* SYNs clamped from the peer */
	uint64_t	gre_rx_packets;	/* GRE packets of this call */
	uint64_t	gre_tx_data;	/* GRE data packets queued */
	uint64_t	gre_tx_ack_only; /* GRE ack-only packets queued */
	uint64_t	gre_tx_errors;	/* refused by the mux */
	uint64_t	tx_window_full;	/* data frames held for the window */
	uint64_t	tun_paused;	/* times TUN reading stopped */
	uint64_t	ctrl_queued;	/* control frames held for the window */
	uint64_t	ctrl_dropped;	/* control FIFO full */
	struct gre_win_stats gre;
	struct ppp_stats ppp;
};

/* Fills c with the defaults for role: gre_win_config_default,
 * ppp_config_default(role), "pptp%d", MSS clamping on, batch 32, no
 * netcfg, no callbacks, Call IDs 0, peer 0.0.0.0. */
void tunnel_call_config_default(struct tunnel_call_config *c,
    enum ppp_role role);

/*
 * Creates a call: opens the TUN device (idle, down), sets up the window
 * and the PPP session (Dead phase: nothing is sent before
 * tunnel_call_start), arms nothing, and links (peer, our_call_id) in mux.
 * *out is NULL on error.  Returns 0, ERR_INVAL (NULL argument, no event
 * callback, tun_batch out of range), ERR_EXISTS / ERR_NOSPACE (from
 * gre_mux_add), errors of gre_win_init and ppp_new (ERR_RANGE, ERR_INVAL:
 * bad policy), ERR_NOMEM, ERR_SYS (tun_open, ev_io_add; errno set).
 */
int tunnel_call_new(struct tunnel_call **out, struct ev_loop *loop,
    struct gre_mux *mux, const struct tunnel_call_config *cfg) MUST_CHECK;

/* The PPTP call is connected: PPP starts (LCP Configure-Request).  Flushes
 * the mux.  ERR_STATE if started before or detached. */
int tunnel_call_start(struct tunnel_call *c) MUST_CHECK;

/* Server: the answer to the pending AUTH_REQUEST, as ppp_auth_answer.
 * ERR_STATE if none is pending (it timed out) or detached. */
int tunnel_call_auth_answer(struct tunnel_call *c,
    const struct ppp_auth_answer *a) MUST_CHECK;

/*
 * Administrative close: LCP Terminate-Request (reason in the log and the
 * DOWN text); PPP_EV_DOWN follows when the peer acknowledges or the
 * terminate retries run out.  A session never started reports DOWN at
 * once.  From a callback of this call it takes effect when the callback
 * returns.  0, or ERR_STATE when DOWN was reported already or detached.
 */
int tunnel_call_close(struct tunnel_call *c, const char *reason);

/* The PPTP call is gone (Call-Clear, Call-Disconnect-Notify, control
 * connection lost): no more frames; PPP_EV_DOWN follows at once (or when
 * the callback returns).  0, or ERR_STATE as tunnel_call_close. */
int tunnel_call_lower_down(struct tunnel_call *c);

/*
 * Detaches the call now - no more callbacks, frames or packets; the TUN
 * device, the timer and the mux entry are released - and frees it at the
 * end of the loop iteration.  Safe from any callback, the call's own
 * included.  Returns 0, or ERR_NOMEM when the deferral cannot be queued
 * (the call is detached all the same; free it with tunnel_call_free outside
 * the callbacks).  Calling it twice is harmless (0).
 */
int tunnel_call_free_later(struct tunnel_call *c) MUST_CHECK;

/* Detaches (if needed) and frees at once: never from a callback of this
 * call or while one of its packets is being dispatched.  After a
 * successful tunnel_call_free_later it only detaches (the deferred free
 * follows).  NULL is ignored. */
void tunnel_call_free(struct tunnel_call *c);

/* The TUN device's name ("pptp0") and index; "" and 0 once detached. */
const char *tunnel_call_ifname(const struct tunnel_call *c);
unsigned tunnel_call_ifindex(const struct tunnel_call *c);

/* Our and the peer's Call IDs, the peer's address. */
uint16_t tunnel_call_our_id(const struct tunnel_call *c);
uint16_t tunnel_call_peer_id(const struct tunnel_call *c);
struct in_addr tunnel_call_peer(const struct tunnel_call *c);

/* The PPP phase, and whether IPv4 / IPv6 are up (TUN configured). */
enum ppp_phase tunnel_call_phase(const struct tunnel_call *c);
bool tunnel_call_ip_up(const struct tunnel_call *c);
bool tunnel_call_ipv6_up(const struct tunnel_call *c);

/* The tunnel MTU from IP_UP (0 before). */
unsigned tunnel_call_mtu(const struct tunnel_call *c);

/* A snapshot of every counter, the window's and PPP's included. */
void tunnel_call_stats(const struct tunnel_call *c,
    struct tunnel_call_stats *out);

/* The session summary for the log line at DOWN:
 * "in=<bytes>B/<packets>p out=<bytes>B/<packets>p gre_lost=N
 * gre_reordered=N gre_dup=N rtt_us=N" (in: from the peer to the TUN). */
void tunnel_call_summary_print(const struct tunnel_call_stats *s,
    struct sbuf *sb);

/* Every counter, one line: "tun rx=... | gre ... | ppp ...". */
void tunnel_call_stats_print(const struct tunnel_call_stats *s,
    struct sbuf *sb);

#endif

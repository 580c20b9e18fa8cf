/*
 * gre_win.h - the sequence and acknowledgment window of one PPTP call's
 * enhanced GRE data channel, RFC 2637 sections 4.1 to 4.4.
 *
 * A pure core: no socket, no clock, no allocation on the packet path.  Time
 * is an argument, `now`, in MICROSECONDS on any monotonic clock (the event
 * loop's milliseconds times 1000 will do; round deadlines up when arming a
 * millisecond timer).  Microseconds because LAN round trips are far below a
 * millisecond and the ack delay is a few milliseconds.
 *
 * Send side (RFC 2637 4.2, 4.4).  Our first sequence number is 0 (4.1) and
 * grows by one per data packet; gre_win_next_tx() hands it out together with
 * the ack to piggyback, when there is something new to acknowledge.  When we
 * have received data and nothing goes out, gre_win_ack_only_due() says when an
 * ack-only packet is due: ack_delay_us after the first unacknowledged packet,
 * or at once when a quarter of our advertised receive window is waiting.
 * Acks from the peer advance the window; an ack for a packet we never sent is
 * ignored and counted.  Round-trip samples (from a ring of the last
 * GRE_WIN_RING send times, timed on the highest packet acked, 4.2.5) feed the
 * adaptive ack time-out of 4.4: alpha 1/8, beta 1/4, chi 4, delta 2, the
 * peer's Packet Processing Delay seeding the RTT.  Nothing is retransmitted.
 *
 * The send window of 4.2 starts at half the peer's receive window (rounded
 * up, at least 1), grows by one per window fully acknowledged up to the
 * peer's receive window, and halves (rounded up) on an ack time-out, which
 * also writes off every packet still awaiting an ack (they are gone: no
 * retransmission), so a stalled sender always resumes.
 *
 * Enforcing the window is the risky part.  The Linux kernel's PPTP never
 * sends an ack-only packet and acks only on its own data, so a host sending
 * one-way traffic to it would stall after every window and wait an ack
 * time-out each time.  Hence three modes (enum gre_win_enforce):
 *   OFF   never limit sending; the window is still computed and reported;
 *   AUTO  (default) limit only once the peer has sent an ack-only packet,
 *         the proof that it acknowledges on a timer rather than only on its
 *         own data (Windows, pptpd, pptp-linux, npppd do; the kernel does
 *         not), and only while its acks come in time: after late_max ack
 *         time-outs (default 2) the call stops limiting for good, as pptpd
 *         and the kernel never limit.  A peer that holds its acks back
 *         until it has traffic of its own (pptp-linux's --test-type 2 and
 *         3 hold ten packets) would otherwise cap us at one window per ack
 *         time-out, up to 2 s, and starve the TCP inside: the window is
 *         advisory flow control (RFC 2637 4.2), not what keeps data intact;
 *   ON    limit from the first packet, always (the RFC's behaviour).
 * While limiting, at most max(send window, min(window_floor, peer_rwin))
 * packets are outstanding: never more than the peer advertised, but the
 * adaptive window may not throttle us below the floor (default 64, the
 * window Windows advertises), because spurious time-outs (peers that delay
 * acks for up to 500 ms) would otherwise collapse it and starve TCP inside.
 * window_floor 0 gives the RFC's exact behaviour.  A peer receive window of
 * 0 is read as "no window stated" and never limits.  The ack time-out runs
 * only while limiting.  Refusals are counted as stalls.
 *
 * Receive side (RFC 2637 4.3).  The peer's first sequence number is taken as
 * it comes (0 from RFC peers, 1 from pptp-linux and the Linux kernel).
 * Packets are delivered in order through the callback, straight from the
 * caller's buffer.  A packet that arrives early (at most missing_window ahead)
 * is copied into one of reorder_slots fixed slots (allocated by
 * gre_win_init) and delivered when the gap fills, or when it has waited
 * reorder_timeout_us: then the gap before it is declared lost.  When every
 * slot is taken, the lowest packet held (or the new one, if lower) goes out
 * at once and the gap before it is lost.  Packets at or before the last one
 * delivered, and duplicates of held ones, are dropped.  A packet more than
 * missing_window ahead is a resynchronisation: what is held is flushed in
 * order and the window jumps to it (the numbers jumped over are not counted
 * as lost).  All comparisons are serial (RFC 1982 style), so the 32-bit wrap
 * is invisible.  We acknowledge the highest sequence number accepted,
 * delivered or held: the RFC's ack is cumulative and nothing is ever
 * retransmitted, so acking past a gap only opens the peer's window sooner.
 *
 * Defaults, and why.  Ack delay 5 ms: pptpd waits 50 ms and pptp-linux up to
 * 500 ms, but a peer that enforces a 64-packet window sends at most 64
 * packets per round trip plus our delay, so 50 ms caps a one-way flow of
 * 1400-octet packets near 14 Mbit/s and 5 ms near 140 (the quarter-window
 * rule lifts it further); the price is at most 200 ack-only packets a second
 * while receiving one-way, none when data flows back.  Reorder time-out
 * 30 ms: reordering on real paths is far shorter, and holding longer only
 * delays the TCP inside, whose own recovery must see the loss anyway.  32
 * slots; missing window 300 (pptp-linux's default).
 */
#ifndef PPTPKIT_PPTP_GRE_WIN_H
#define PPTPKIT_PPTP_GRE_WIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"

#define GRE_WIN_NEVER		UINT64_MAX	/* no deadline */
#define GRE_WIN_RING		64	/* send times kept for RTT samples */
#define GRE_WIN_SLOTS_MAX	256	/* bound on reorder_slots */
#define GRE_WIN_PACKET_MAX	65535	/* GRE Payload Length is 16 bits */
#define GRE_WIN_TRACK_MAX	65536	/* outstanding packets tracked */
#define GRE_WIN_RTT_CAP		60000000u /* RTT and samples capped at 60 s */

enum gre_win_enforce {
	GRE_WIN_ENFORCE_OFF,
	GRE_WIN_ENFORCE_AUTO,
	GRE_WIN_ENFORCE_ON,
};

struct gre_win_config {
	uint16_t	peer_rwin;	/* peer's Packet Recv. Window Size
					 * (OCRQ/OCRP/ICRP/ICCN); 0: none */
	uint16_t	our_rwin;	/* the window we advertised; 0: no
					 * quarter-window ack trigger */
	uint16_t	ppd;		/* peer's Packet Processing Delay,
					 * tenths of a second: seeds RTT */
	uint32_t	ack_delay_us;	/* ack-only packet this long after
					 * data arrived with nothing to carry
					 * the ack; default 5 ms */
	uint32_t	reorder_timeout_us; /* held packet released after
					 * this long; default 30 ms */
	unsigned	reorder_slots;	/* 0..GRE_WIN_SLOTS_MAX; 0 disables
					 * reordering (gaps lost at once) */
	size_t		max_packet;	/* slot size, 1..GRE_WIN_PACKET_MAX;
					 * larger early packets are dropped */
	uint32_t	missing_window;	/* farther ahead is a resync; < 2^31 */
	enum gre_win_enforce enforce;	/* see above; default AUTO */
	uint16_t	window_floor;	/* see above; default 64 */
	unsigned	late_max;	/* AUTO: ack time-outs after which the
					 * call stops limiting; 0: never stops;
					 * default 2 */
	uint32_t	ato_min_us;	/* 4.4 MinTimeOut, default 100 ms */
	uint32_t	ato_max_us;	/* 4.4 MaxTimeOut, default 2 s */
	uint32_t	tx_first_seq;	/* 0 per RFC 4.1; other values only for
					 * tests (the wrap) */
};

/* Counters in the style of pptp-linux's GRE statistics.  Gauges (marked
 * "now") are kept current; the rest only grow. */
struct gre_win_stats {
	uint64_t	rx_accepted;	/* data packets delivered, in order */
	uint64_t	rx_lost;	/* sequence numbers given up as lost */
	uint64_t	rx_under_win;	/* dropped: at or before the last
					 * delivered, or a duplicate of one
					 * held (duplicates, stale) */
	uint64_t	rx_over_win;	/* resyncs: beyond missing_window */
	uint64_t	rx_reordered;	/* delivered from the reorder slots */
	uint64_t	rx_too_big;	/* dropped: early, larger than a slot */
	uint64_t	rx_acks;	/* acks that acknowledged more */
	uint64_t	rx_ack_ahead;	/* acks ignored: beyond what we sent */
	uint64_t	rx_ack_only;	/* ack-only packets received */
	uint32_t	rx_buffered;	/* now: packets held for reordering */
	uint64_t	tx_packets;	/* data packets sequenced */
	uint64_t	tx_acks;	/* acks piggybacked on data */
	uint64_t	tx_ack_only;	/* ack-only packets sent */
	uint64_t	tx_stalls;	/* times sending was refused (runs of
					 * refusals count once) */
	uint64_t	tx_ack_timeouts; /* ack time-outs (window halved) */
	uint32_t	tx_outstanding;	/* now: sent, not yet acknowledged */
	uint32_t	send_window;	/* now: the RFC 4.2 send window */
	uint32_t	send_limit;	/* now: outstanding allowed; 0 when not
					 * limiting */
	uint32_t	tx_late_off;	/* now: 1 once AUTO stopped limiting
					 * (late_max ack time-outs) */
	uint64_t	rtt_us;		/* now: RTT estimate (4.4) */
	uint64_t	ato_us;		/* now: adaptive ack time-out (4.4) */
};

/*
 * Delivery callback: one in-order data packet, seq its sequence number.  p
 * is valid only during the call.  The callback may call gre_win_can_send,
 * gre_win_next_tx, gre_win_ack_only_due/_sent and gre_win_stats (a reply
 * sent from it piggybacks the ack for this packet), but never gre_win_rx,
 * gre_win_timeout or gre_win_fini on the same window.
 */
typedef void gre_win_deliver_fn(void *ctx, uint32_t seq, const uint8_t *p,
    size_t len);

enum gre_win_verdict {
	GRE_WIN_DELIVERED,	/* delivered, with held ones now in order */
	GRE_WIN_BUFFERED,	/* early: held for reordering */
	GRE_WIN_RESYNC,		/* far ahead: held flushed, window jumped, and
				 * the packet delivered */
	GRE_WIN_STALE,		/* at or before the last delivered: dropped */
	GRE_WIN_DUPLICATE,	/* already held: dropped */
	GRE_WIN_TOO_BIG,	/* early and larger than max_packet: dropped */
	GRE_WIN_NO_DATA,	/* no sequence number (ack-only or empty) */
};

struct gre_win_slot {
	bool		 used;
	uint32_t	 seq;
	uint64_t	 arrived;
	size_t		 len;
	uint8_t		*data;		/* max_packet octets of slot_mem */
};

/* One call's window.  Embed it; touch fields only through the functions. */
struct gre_win {
	struct gre_win_config	 cfg;
	gre_win_deliver_fn	*deliver;
	void			*ctx;
	/* send side */
	uint32_t		 tx_next;	/* next seq to send */
	uint32_t		 tx_una;	/* oldest unacked */
	uint64_t		 tx_una_time;	/* its send time */
	uint64_t		 sent_at[GRE_WIN_RING];
	uint32_t		 cwnd;		/* RFC 4.2 send window */
	uint32_t		 cwnd_acked;	/* acked toward the next +1 */
	bool			 tx_stalled;
	bool			 peer_acks_alone; /* an ack-only packet seen */
	bool			 late_off;	/* AUTO gave up limiting */
	int64_t			 rtt, dev, ato;	/* 4.4, microseconds */
	/* receive side */
	bool			 rx_started;
	uint32_t		 rx_next;	/* next seq to deliver */
	uint32_t		 rx_high;	/* highest seq accepted */
	bool			 ack_pending;	/* rx_high not yet acked */
	uint32_t		 ack_pending_n;	/* packets accepted since */
	uint32_t		 ack_threshold;	/* ack at once at this many */
	uint64_t		 ack_due;
	struct gre_win_slot	*slots;
	uint8_t			*slot_mem;
	unsigned		 nheld;
	struct gre_win_stats	 stats;
};

/* Fills cfg with the defaults named above (peer_rwin and our_rwin 64,
 * ppd 0, missing_window 300, 32 slots of 2048 octets, late_max 2). */
void gre_win_config_default(struct gre_win_config *cfg);

/*
 * Sets up w for a new call: copies cfg and allocates the reorder slots
 * (reorder_slots * max_packet octets), the only allocation the window ever
 * makes.  deliver (not NULL) receives every in-order packet, with ctx.
 * Returns 0; ERR_INVAL (deliver NULL), ERR_RANGE (a field outside the bounds
 * above, ato_min_us 0 or above ato_max_us), ERR_NOMEM.  On error w holds
 * nothing to free (gre_win_fini on it is harmless).
 */
int gre_win_init(struct gre_win *w, const struct gre_win_config *cfg,
    gre_win_deliver_fn *deliver, void *ctx) MUST_CHECK;

/* Frees the slots (held packets are discarded) and zeroes w.  Harmless on a
 * zeroed or already finished window. */
void gre_win_fini(struct gre_win *w);

/* True when a data packet may go out now: not limiting, or fewer packets
 * outstanding than the limit. */
bool gre_win_can_send(const struct gre_win *w);

/*
 * Call once per data packet we send.  On 0: *seq is its sequence number,
 * *has_ack says whether to carry an ack, *ack the number (the highest peer
 * sequence number accepted; the pending ack is then cleared).  Returns
 * ERR_NOSPACE when the window is full (nothing assigned; counted as a
 * stall): hold the packet source until gre_win_can_send() turns true, which
 * only gre_win_rx (an ack) or gre_win_timeout (an ack time-out) can bring.
 */
int gre_win_next_tx(struct gre_win *w, uint64_t now, uint32_t *seq,
    bool *has_ack, uint32_t *ack) MUST_CHECK;

/* True when an ack-only packet (S=0, A=1) should go out now; *ack is then
 * the number to carry.  False when nothing new awaits an ack or its time
 * has not come. */
bool gre_win_ack_only_due(const struct gre_win *w, uint64_t now,
    uint32_t *ack);

/* Records that an ack-only packet carrying ack was sent: the pending ack
 * is cleared if ack covers it.  Counts it. */
void gre_win_ack_only_sent(struct gre_win *w, uint32_t ack);

/*
 * One received GRE packet of this call, header already decoded: has_seq and
 * seq (S bit), has_ack and ack (A bit), payload[len] (len 0 for ack-only).
 * The ack, if any, is processed first; then the data, delivering through
 * the callback in sequence order every packet that is (or becomes) in
 * order, before returning.  payload is copied only when the packet is held.
 * Returns what happened to the packet; never fails.
 */
enum gre_win_verdict gre_win_rx(struct gre_win *w, uint64_t now,
    bool has_seq, uint32_t seq, bool has_ack, uint32_t ack,
    const uint8_t *payload, size_t len);

/*
 * The earliest time at which gre_win_timeout() or gre_win_ack_only_due()
 * has work: ack-only due, a held packet's release, the ack time-out (while
 * limiting).  GRE_WIN_NEVER when none.  It may be at or before the current
 * time (an ack-only due now): send it, then ask again.
 */
uint64_t gre_win_deadline(const struct gre_win *w);

/*
 * Runs the timers due at now: releases held packets that have waited
 * reorder_timeout_us (declaring the gaps before them lost, delivering in
 * order through the callback), and fires the ack time-out (RTT doubled, at
 * least to the ATO just waited and at most MaxTimeOut; window halved;
 * outstanding packets written off).  Ack-only packets are
 * not sent here: ask gre_win_ack_only_due() afterwards.
 */
void gre_win_timeout(struct gre_win *w, uint64_t now);

/* The counters, current. */
const struct gre_win_stats *gre_win_stats(const struct gre_win *w);

/* "rx accepted=N lost=N ... tx packets=N ... late_off=N rtt_us=N ato_us=N" */
void gre_win_stats_print(const struct gre_win_stats *s, struct sbuf *sb);

/* "delivered", "buffered", "resync", "stale", "duplicate", "too-big",
 * "no-data"; "?" for anything else. */
const char *gre_win_verdict_str(int v);

#endif

/*
 * gre_win.c - the enhanced GRE sequence/acknowledgment window of a PPTP
 * call, RFC 2637 4.1 (sequence and ack numbers), 4.2 (sliding window),
 * 4.3 (out-of-sequence packets) and 4.4 (adaptive ack time-out).
 * The design, its defaults and why are in gre_win.h.
 */
#include <stdlib.h>
#include <string.h>

#include "gre_win.h"
#include "../wire/gre.h"

/* RFC 2637 4.4 constants, as shifts: alpha = 1/8, beta = 1/4, chi = 4,
 * delta = 2. */
#define ATO_ALPHA_SHIFT	3
#define ATO_BETA_SHIFT	2
#define ATO_CHI		4
#define ATO_DELTA	2

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void
gre_win_config_default(struct gre_win_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->peer_rwin = 64;
	cfg->our_rwin = 64;
	cfg->ppd = 0;
	cfg->ack_delay_us = 5000;
	cfg->reorder_timeout_us = 30000;
	cfg->reorder_slots = 32;
	cfg->max_packet = 2048;
	cfg->missing_window = 300;
	cfg->enforce = GRE_WIN_ENFORCE_AUTO;
	cfg->window_floor = 64;
	cfg->late_max = 2;
	cfg->ato_min_us = 100000;
	cfg->ato_max_us = 2000000;
	cfg->tx_first_seq = 0;
}

/* --- RTT and ack time-out, RFC 2637 4.4 --- */

static void
ato_update(struct gre_win *w)
{
	int64_t ato = w->rtt + ATO_CHI * w->dev;

	if (ato < (int64_t)w->cfg.ato_min_us)
		ato = w->cfg.ato_min_us;
	if (ato > (int64_t)w->cfg.ato_max_us)
		ato = w->cfg.ato_max_us;
	w->ato = ato;
	w->stats.rtt_us = (uint64_t)w->rtt;
	w->stats.ato_us = (uint64_t)w->ato;
}

static void
rtt_sample(struct gre_win *w, uint64_t sample)
{
	int64_t diff, adiff;

	if (sample > GRE_WIN_RTT_CAP)
		sample = GRE_WIN_RTT_CAP;
	/* DIFF = SAMPLE - RTT; RTT = RTT + alpha * DIFF;
	 * DEV = DEV + beta * (|DIFF| - DEV) */
	diff = (int64_t)sample - w->rtt;
	adiff = diff < 0 ? -diff : diff;
	w->rtt += diff / (1 << ATO_ALPHA_SHIFT);
	w->dev += (adiff - w->dev) / (1 << ATO_BETA_SHIFT);
	ato_update(w);
}

/* --- send side --- */

static uint32_t
tx_outstanding(const struct gre_win *w)
{
	return w->tx_next - w->tx_una;
}

static bool
tx_limiting(const struct gre_win *w)
{
	if (w->cfg.peer_rwin == 0)
		return false;
	switch (w->cfg.enforce) {
	case GRE_WIN_ENFORCE_ON:
		return true;
	case GRE_WIN_ENFORCE_AUTO:
		return w->peer_acks_alone && !w->late_off;
	default:
		return false;
	}
}

static uint32_t
tx_limit(const struct gre_win *w)
{
	uint32_t floor = w->cfg.window_floor;

	if (floor > w->cfg.peer_rwin)
		floor = w->cfg.peer_rwin;
	return w->cwnd > floor ? w->cwnd : floor;
}

/* The send time of seq, an outstanding packet.  Past the ring, the oldest
 * time the ring still holds: later than the truth, so a time-out comes late
 * rather than early. */
static uint64_t
tx_sent_time(const struct gre_win *w, uint32_t seq)
{
	if (w->tx_next - seq > GRE_WIN_RING)
		seq = w->tx_next - GRE_WIN_RING;
	return w->sent_at[seq % GRE_WIN_RING];
}

static void
tx_gauges(struct gre_win *w)
{
	w->stats.tx_outstanding = tx_outstanding(w);
	w->stats.send_window = w->cwnd;
	w->stats.send_limit = tx_limiting(w) ? tx_limit(w) : 0;
	w->stats.tx_late_off = w->late_off;
}

/* A peer's ack: everything up to and including ack is acknowledged (4.2.5). */
static void
tx_ack(struct gre_win *w, uint64_t now, uint32_t ack)
{
	uint32_t d = ack - w->tx_una, n;
	uint64_t sent;

	if (gre_seq_before(ack, w->tx_una))
		return;				/* old news, or written off */
	if (d >= tx_outstanding(w)) {
		w->stats.rx_ack_ahead++;	/* acks what we never sent */
		return;
	}
	n = d + 1;
	w->stats.rx_acks++;
	/* 4.2.5: time on the highest packet acknowledged. */
	if (w->tx_next - ack <= GRE_WIN_RING) {
		sent = w->sent_at[ack % GRE_WIN_RING];
		rtt_sample(w, now > sent ? now - sent : 0);
	}
	w->tx_una = ack + 1;
	if (w->tx_una != w->tx_next)
		w->tx_una_time = tx_sent_time(w, w->tx_una);
	/* 4.2.3: one more packet per window fully acknowledged. */
	w->cwnd_acked += n;
	while (w->cwnd < w->cfg.peer_rwin && w->cwnd_acked >= w->cwnd) {
		w->cwnd_acked -= w->cwnd;
		w->cwnd++;
	}
	if (w->cwnd >= w->cfg.peer_rwin)
		w->cwnd_acked = 0;
	tx_gauges(w);
}

/* 4.2.2 and 4.4: no ack within the time-out for the oldest packet. */
static void
tx_ack_timeout(struct gre_win *w)
{
	int64_t rtt = ATO_DELTA * w->rtt;

	/* RTT = delta * RTT.  We waited a whole ATO for nothing, so the RTT
	 * is at least that (this also lifts an RTT of 0, PPD 0 and no sample,
	 * which doubling alone never would); and no more than MaxTimeOut, so
	 * that the estimate recovers in a few samples once acks come. */
	if (rtt < w->ato)
		rtt = w->ato;
	if (rtt > (int64_t)w->cfg.ato_max_us)
		rtt = w->cfg.ato_max_us;
	w->stats.tx_ack_timeouts++;
	w->rtt = rtt;
	ato_update(w);
	w->tx_una = w->tx_next;		/* no retransmission: written off */
	w->cwnd = (w->cwnd + 1) / 2;	/* "Fractions are rounded up" */
	if (w->cwnd == 0)
		w->cwnd = 1;
	w->cwnd_acked = 0;
	/* AUTO: the peer's acks are not timely (it holds them back, or they
	 * are lost): limiting would only cost an ack time-out per window */
	if (w->cfg.enforce == GRE_WIN_ENFORCE_AUTO && w->cfg.late_max != 0 &&
	    w->stats.tx_ack_timeouts >= w->cfg.late_max)
		w->late_off = true;
	tx_gauges(w);
}

static uint64_t
tx_ack_deadline(const struct gre_win *w)
{
	if (!tx_limiting(w) || tx_outstanding(w) == 0)
		return GRE_WIN_NEVER;
	return add_sat(w->tx_una_time, (uint64_t)w->ato);
}

bool
gre_win_can_send(const struct gre_win *w)
{
	return !tx_limiting(w) || tx_outstanding(w) < tx_limit(w);
}

int
gre_win_next_tx(struct gre_win *w, uint64_t now, uint32_t *seq,
    bool *has_ack, uint32_t *ack)
{
	if (!gre_win_can_send(w)) {
		if (!w->tx_stalled)
			w->stats.tx_stalls++;
		w->tx_stalled = true;
		return ERR_NOSPACE;
	}
	w->tx_stalled = false;
	/* Without limiting, a peer that never acks (the Linux kernel
	 * receiving one-way) would let the count pass 2^31 and break the
	 * serial comparisons: forget the oldest. */
	if (tx_outstanding(w) >= GRE_WIN_TRACK_MAX) {
		w->tx_una++;
		w->tx_una_time = tx_sent_time(w, w->tx_una);
	}
	if (tx_outstanding(w) == 0)
		w->tx_una_time = now;
	w->sent_at[w->tx_next % GRE_WIN_RING] = now;
	*seq = w->tx_next++;
	*has_ack = w->ack_pending;
	*ack = w->ack_pending ? w->rx_high : 0;
	if (w->ack_pending) {
		w->ack_pending = false;
		w->stats.tx_acks++;
	}
	w->stats.tx_packets++;
	tx_gauges(w);
	return 0;
}

bool
gre_win_ack_only_due(const struct gre_win *w, uint64_t now, uint32_t *ack)
{
	if (!w->ack_pending || now < w->ack_due)
		return false;
	*ack = w->rx_high;
	return true;
}

void
gre_win_ack_only_sent(struct gre_win *w, uint32_t ack)
{
	w->stats.tx_ack_only++;
	if (w->ack_pending && !gre_seq_before(ack, w->rx_high))
		w->ack_pending = false;
}

/* --- receive side --- */

/* A data packet was accepted (delivered now or held): it is to be acked. */
static void
rx_note(struct gre_win *w, uint64_t now, uint32_t seq)
{
	if (gre_seq_after(seq, w->rx_high))
		w->rx_high = seq;
	if (!w->ack_pending) {
		w->ack_pending = true;
		w->ack_pending_n = 0;
		w->ack_due = add_sat(now, w->cfg.ack_delay_us);
	}
	if (++w->ack_pending_n >= w->ack_threshold && w->ack_due > now)
		w->ack_due = now;
}

static void
rx_deliver(struct gre_win *w, uint32_t seq, const uint8_t *p, size_t len,
    bool held)
{
	w->rx_next = seq + 1;
	w->stats.rx_accepted++;
	if (held)
		w->stats.rx_reordered++;
	w->deliver(w->ctx, seq, p, len);
}

static struct gre_win_slot *
slot_find(struct gre_win *w, uint32_t seq)
{
	for (unsigned i = 0; i < w->cfg.reorder_slots; i++)
		if (w->slots[i].used && w->slots[i].seq == seq)
			return &w->slots[i];
	return NULL;
}

/* The held packet nearest rx_next (all held ones are after it). */
static struct gre_win_slot *
slot_lowest(struct gre_win *w)
{
	struct gre_win_slot *best = NULL;

	for (unsigned i = 0; i < w->cfg.reorder_slots; i++) {
		struct gre_win_slot *s = &w->slots[i];

		if (s->used && (best == NULL ||
		    s->seq - w->rx_next < best->seq - w->rx_next))
			best = s;
	}
	return best;
}

/* Delivers the held packets that are in order now.  A slot is freed before
 * its delivery; its octets stay put until the next gre_win_rx. */
static void
rx_drain(struct gre_win *w)
{
	struct gre_win_slot *s;

	while (w->nheld > 0 && (s = slot_find(w, w->rx_next)) != NULL) {
		s->used = false;
		w->stats.rx_buffered = --w->nheld;
		rx_deliver(w, s->seq, s->data, s->len, true);
	}
}

/* Gives up the gap before the lowest held packet and delivers from it. */
static void
rx_skip_to_lowest(struct gre_win *w)
{
	struct gre_win_slot *s = slot_lowest(w);

	if (s == NULL)
		return;
	w->stats.rx_lost += s->seq - w->rx_next;
	w->rx_next = s->seq;
	rx_drain(w);
}

static void
rx_hold(struct gre_win *w, uint64_t now, uint32_t seq, const uint8_t *p,
    size_t len)
{
	for (unsigned i = 0; i < w->cfg.reorder_slots; i++) {
		struct gre_win_slot *s = &w->slots[i];

		if (s->used)
			continue;
		s->used = true;
		s->seq = seq;
		s->arrived = now;
		s->len = len;
		if (len > 0)
			memcpy(s->data, p, len);
		w->stats.rx_buffered = ++w->nheld;
		return;
	}
}

/* A packet ahead of rx_next, within the missing window, not held yet. */
static enum gre_win_verdict
rx_early(struct gre_win *w, uint64_t now, uint32_t seq, const uint8_t *p,
    size_t len)
{
	struct gre_win_slot *low;

	if (len > w->cfg.max_packet) {
		w->stats.rx_too_big++;
		return GRE_WIN_TOO_BIG;
	}
	rx_note(w, now, seq);
	if (w->nheld == w->cfg.reorder_slots) {
		/* Full: release the lowest of the held ones and this one. */
		low = slot_lowest(w);
		if (low == NULL || gre_seq_after(low->seq, seq)) {
			w->stats.rx_lost += seq - w->rx_next;
			rx_deliver(w, seq, p, len, false);
			rx_drain(w);
			return GRE_WIN_DELIVERED;
		}
		rx_skip_to_lowest(w);
		if (seq == w->rx_next) {	/* the drain closed the gap */
			rx_deliver(w, seq, p, len, false);
			rx_drain(w);
			return GRE_WIN_DELIVERED;
		}
	}
	rx_hold(w, now, seq, p, len);
	return GRE_WIN_BUFFERED;
}

enum gre_win_verdict
gre_win_rx(struct gre_win *w, uint64_t now, bool has_seq, uint32_t seq,
    bool has_ack, uint32_t ack, const uint8_t *payload, size_t len)
{
	uint32_t d;

	if (has_ack)
		tx_ack(w, now, ack);
	if (!has_seq) {
		if (has_ack) {
			w->stats.rx_ack_only++;
			w->peer_acks_alone = true;
			tx_gauges(w);
		}
		return GRE_WIN_NO_DATA;
	}
	if (!w->rx_started) {		/* 0 or 1, or whatever: take it */
		w->rx_started = true;
		w->rx_next = seq;
		w->rx_high = seq;
	}
	d = seq - w->rx_next;
	if (d == 0) {
		rx_note(w, now, seq);
		rx_deliver(w, seq, payload, len, false);
		rx_drain(w);
		return GRE_WIN_DELIVERED;
	}
	/* Stale means "not after the last delivered" (rx_next - 1): so two
	 * deliveries are never 2^31 apart, where "after" has no meaning. */
	if (!gre_seq_after(seq, w->rx_next - 1)) {
		w->stats.rx_under_win++;
		return GRE_WIN_STALE;
	}
	if (d > w->cfg.missing_window) {
		w->stats.rx_over_win++;
		while (w->nheld > 0)
			rx_skip_to_lowest(w);
		rx_note(w, now, seq);
		rx_deliver(w, seq, payload, len, false);
		return GRE_WIN_RESYNC;
	}
	if (w->nheld > 0 && slot_find(w, seq) != NULL) {
		w->stats.rx_under_win++;
		return GRE_WIN_DUPLICATE;
	}
	return rx_early(w, now, seq, payload, len);
}

/* The earliest arrival among held packets. */
static uint64_t
rx_oldest_arrival(const struct gre_win *w)
{
	uint64_t t = GRE_WIN_NEVER;

	for (unsigned i = 0; i < w->cfg.reorder_slots; i++)
		if (w->slots[i].used && w->slots[i].arrived < t)
			t = w->slots[i].arrived;
	return t;
}

uint64_t
gre_win_deadline(const struct gre_win *w)
{
	uint64_t t = GRE_WIN_NEVER, u;

	if (w->ack_pending)
		t = w->ack_due;
	if (w->nheld > 0) {
		u = add_sat(rx_oldest_arrival(w), w->cfg.reorder_timeout_us);
		if (u < t)
			t = u;
	}
	u = tx_ack_deadline(w);
	return u < t ? u : t;
}

void
gre_win_timeout(struct gre_win *w, uint64_t now)
{
	/* A packet that waited long enough goes out with every packet
	 * before it: keep releasing from the lowest while one has. */
	while (w->nheld > 0 &&
	    add_sat(rx_oldest_arrival(w), w->cfg.reorder_timeout_us) <= now)
		rx_skip_to_lowest(w);
	if (tx_ack_deadline(w) != GRE_WIN_NEVER && tx_ack_deadline(w) <= now)
		tx_ack_timeout(w);
}

/* --- set-up, stats --- */

int
gre_win_init(struct gre_win *w, const struct gre_win_config *cfg,
    gre_win_deliver_fn *deliver, void *ctx)
{
	memset(w, 0, sizeof(*w));
	if (deliver == NULL || cfg == NULL)
		return ERR_INVAL;
	if (cfg->reorder_slots > GRE_WIN_SLOTS_MAX ||
	    cfg->max_packet == 0 || cfg->max_packet > GRE_WIN_PACKET_MAX ||
	    cfg->missing_window > INT32_MAX ||
	    cfg->ato_min_us == 0 || cfg->ato_min_us > cfg->ato_max_us ||
	    cfg->ato_max_us > GRE_WIN_RTT_CAP ||
	    (cfg->enforce != GRE_WIN_ENFORCE_OFF &&
	    cfg->enforce != GRE_WIN_ENFORCE_AUTO &&
	    cfg->enforce != GRE_WIN_ENFORCE_ON))
		return ERR_RANGE;
	if (cfg->reorder_slots > 0) {
		w->slots = calloc(cfg->reorder_slots, sizeof(*w->slots));
		w->slot_mem = malloc(cfg->reorder_slots * cfg->max_packet);
		if (w->slots == NULL || w->slot_mem == NULL) {
			free(w->slots);
			free(w->slot_mem);
			w->slots = NULL;
			w->slot_mem = NULL;
			return ERR_NOMEM;
		}
		for (unsigned i = 0; i < cfg->reorder_slots; i++)
			w->slots[i].data = w->slot_mem + i * cfg->max_packet;
	}
	w->cfg = *cfg;
	w->deliver = deliver;
	w->ctx = ctx;
	w->tx_next = w->tx_una = cfg->tx_first_seq;
	/* 4.2.1: half the peer's receive window, rounded up, at least 1. */
	w->cwnd = ((uint32_t)cfg->peer_rwin + 1) / 2;
	if (w->cwnd == 0)
		w->cwnd = 1;
	/* 4.4: the PPD (tenths of a second) seeds the RTT. */
	w->rtt = (int64_t)cfg->ppd * 100000;
	if (w->rtt > GRE_WIN_RTT_CAP)
		w->rtt = GRE_WIN_RTT_CAP;
	w->dev = 0;
	ato_update(w);
	w->ack_threshold = cfg->our_rwin == 0 ? UINT32_MAX :
	    cfg->our_rwin / 4 > 0 ? cfg->our_rwin / 4u : 1;
	tx_gauges(w);
	return 0;
}

void
gre_win_fini(struct gre_win *w)
{
	free(w->slots);
	free(w->slot_mem);
	memset(w, 0, sizeof(*w));
}

const struct gre_win_stats *
gre_win_stats(const struct gre_win *w)
{
	return &w->stats;
}

void
gre_win_stats_print(const struct gre_win_stats *s, struct sbuf *sb)
{
	sbuf_printf(sb, "rx accepted=%llu lost=%llu under_win=%llu "
	    "over_win=%llu reordered=%llu buffered=%u too_big=%llu acks=%llu "
	    "ack_ahead=%llu ack_only=%llu",
	    (unsigned long long)s->rx_accepted, (unsigned long long)s->rx_lost,
	    (unsigned long long)s->rx_under_win,
	    (unsigned long long)s->rx_over_win,
	    (unsigned long long)s->rx_reordered, s->rx_buffered,
	    (unsigned long long)s->rx_too_big, (unsigned long long)s->rx_acks,
	    (unsigned long long)s->rx_ack_ahead,
	    (unsigned long long)s->rx_ack_only);
	sbuf_printf(sb, " tx packets=%llu acks=%llu ack_only=%llu stalls=%llu "
	    "ack_timeouts=%llu outstanding=%u window=%u limit=%u "
	    "late_off=%u rtt_us=%llu ato_us=%llu",
	    (unsigned long long)s->tx_packets, (unsigned long long)s->tx_acks,
	    (unsigned long long)s->tx_ack_only,
	    (unsigned long long)s->tx_stalls,
	    (unsigned long long)s->tx_ack_timeouts, s->tx_outstanding,
	    s->send_window, s->send_limit, s->tx_late_off,
	    (unsigned long long)s->rtt_us,
	    (unsigned long long)s->ato_us);
}

const char *
gre_win_verdict_str(int v)
{
	static const char *const names[] = {
		[GRE_WIN_DELIVERED] = "delivered",
		[GRE_WIN_BUFFERED] = "buffered",
		[GRE_WIN_RESYNC] = "resync",
		[GRE_WIN_STALE] = "stale",
		[GRE_WIN_DUPLICATE] = "duplicate",
		[GRE_WIN_TOO_BIG] = "too-big",
		[GRE_WIN_NO_DATA] = "no-data",
	};

	if (v < 0 || (size_t)v >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[v];
}

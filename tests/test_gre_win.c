/*
 * test_gre_win.c - the GRE sequence/ack window of RFC 2637 4.1-4.4.
 * Receive side: numbered tables in the style of WireGuard's
 * selftest/counter.c (verdict, deliveries, running loss per packet or timer
 * tick).  Send side: piggybacked acks, ack validation, RTT and ack time-out
 * arithmetic, the window (half, growth, stall, halving, floor, enforcement
 * modes, a peer that never acks, AUTO giving up on a peer whose acks come
 * late), ack-only timing; a peer that holds its packets and acks back as
 * pptp-linux --test-type 2 does.  Last, two windows pumped through a
 * lossy, duplicating, reordering network.
 */
#include <stdio.h>

#include "t.h"
#include "../src/pptp/gre_win.h"

/* --- payloads that name their sequence number --- */

static size_t
mk_payload(uint32_t seq, uint8_t out[20])
{
	size_t len = 4 + seq % 13;

	for (size_t i = 0; i < len; i++)	/* seq, big-endian, then junk */
		out[i] = (uint8_t)(i < 4 ? seq >> (24 - 8 * i) : seq * 31 + i);
	return len;
}

static bool
payload_ok(uint32_t seq, const uint8_t *p, size_t len)
{
	uint8_t want[20];
	size_t n = mk_payload(seq, want);

	return len == n && memcmp(p, want, n) == 0;
}

struct sink {
	char	text[512];	/* "3,4,5" */
	size_t	n;
	size_t	bad;		/* payloads that did not match their seq */
};

static void
sink_deliver(void *ctx, uint32_t seq, const uint8_t *p, size_t len)
{
	struct sink *k = ctx;
	size_t l = strlen(k->text);

	if (!payload_ok(seq, p, len))
		k->bad++;
	snprintf(k->text + l, sizeof(k->text) - l, "%s%u", l ? "," : "", seq);
	k->n++;
}

/* Feeds one data packet from a buffer that is scribbled on afterwards, as
 * a receive buffer would be: held packets must have been copied. */
static int
feed(struct gre_win *w, uint64_t now, uint32_t seq)
{
	static uint8_t buf[20];
	size_t len = mk_payload(seq, buf);
	int v = (int)gre_win_rx(w, now, true, seq, false, 0, buf, len);

	memset(buf, 0xee, sizeof(buf));
	return v;
}

/* --- receive tables --- */

enum { RX, TICK };
enum {
	DLV = GRE_WIN_DELIVERED, BUF = GRE_WIN_BUFFERED, RSY = GRE_WIN_RESYNC,
	OLD = GRE_WIN_STALE, DUP = GRE_WIN_DUPLICATE,
};

struct step {
	int		 op;		/* RX seq at now, or TICK at now */
	uint64_t	 now;
	uint32_t	 seq;
	int		 verdict;	/* RX only */
	const char	*del;		/* delivered during the step */
	long long	 lost;		/* rx_lost after the step */
};

/* `slots` slots, missing window 10, 30 ms reorder time-out. */
static void
cfg_small(struct gre_win_config *c, unsigned slots)
{
	gre_win_config_default(c);
	c->reorder_slots = slots;
	c->missing_window = 10;
	c->reorder_timeout_us = 30000;
}

static void
run_table(const char *name, unsigned slots, const struct step *st, size_t n)
{
	const struct gre_win_stats *s;
	struct gre_win_config c;
	struct sink k;
	struct gre_win w;
	int v = -1;

	memset(&k, 0, sizeof(k));
	cfg_small(&c, slots);
	CHECK_OK(gre_win_init(&w, &c, sink_deliver, &k));
	s = gre_win_stats(&w);
	for (size_t i = 0; i < n; i++) {
		k.text[0] = '\0';
		if (st[i].op == RX) {
			v = feed(&w, st[i].now, st[i].seq);
			t_check(v == st[i].verdict, __FILE__, __LINE__,
			    "%s step %zu: seq %u: %s, want %s", name, i + 1,
			    st[i].seq, gre_win_verdict_str(v),
			    gre_win_verdict_str(st[i].verdict));
		} else {
			gre_win_timeout(&w, st[i].now);
		}
		t_check(strcmp(k.text, st[i].del) == 0 &&
		    s->rx_lost == (uint64_t)st[i].lost &&
		    s->rx_buffered <= slots, __FILE__, __LINE__,
		    "%s step %zu: delivered \"%s\" lost %llu held %u, want "
		    "\"%s\" lost %lld", name, i + 1, k.text,
		    (unsigned long long)s->rx_lost, s->rx_buffered,
		    st[i].del, st[i].lost);
	}
	CHECK_EQ(k.bad, 0);
	CHECK_EQ(s->rx_accepted, k.n);
	gre_win_fini(&w);
}

#define RUN(name, slots, t) run_table(name, slots, t, sizeof(t) / sizeof(t[0]))

TEST(gre_win_rx_table_first_seq_0)
{
	static const struct step t[] = {
		/* in order from 0, a duplicate, a stale packet */
		{ RX, 0, 0, DLV, "0", 0 },			/* 1 */
		{ RX, 0, 1, DLV, "1", 0 },			/* 2 */
		{ RX, 0, 1, OLD, "", 0 },			/* 3 */
		{ RX, 0, 0, OLD, "", 0 },			/* 4 */
		/* a gap filled late: delivered in order */
		{ RX, 0, 3, BUF, "", 0 },			/* 5 */
		{ RX, 0, 4, BUF, "", 0 },			/* 6 */
		{ RX, 0, 3, DUP, "", 0 },			/* 7 */
		{ RX, 0, 2, DLV, "2,3,4", 0 },			/* 8 */
		/* missing window 10: 10 ahead is held, 11 ahead resyncs
		 * (flushing the held one: 5..14 lost) */
		{ RX, 0, 15, BUF, "", 0 },			/* 9 */
		{ RX, 0, 16, RSY, "15,16", 10 },		/* 10 */
		{ RX, 0, 14, OLD, "", 10 },			/* 11 */
		{ RX, 0, 17, DLV, "17", 10 },			/* 12 */
		/* a resync flushes what is held, in order; the numbers
		 * jumped over (22..39) are not counted as lost */
		{ RX, 0, 19, BUF, "", 10 },			/* 13 */
		{ RX, 0, 21, BUF, "", 10 },			/* 14 */
		{ RX, 0, 40, RSY, "19,21,40", 12 },		/* 15 */
		/* full buffer (4 slots): the lowest goes, 41 lost */
		{ RX, 0, 42, BUF, "", 12 },			/* 16 */
		{ RX, 0, 43, BUF, "", 12 },			/* 17 */
		{ RX, 0, 45, BUF, "", 12 },			/* 18 */
		{ RX, 0, 44, BUF, "", 12 },			/* 19 */
		{ RX, 0, 46, DLV, "42,43,44,45,46", 13 },	/* 20 */
		/* full, and the newcomer is the lowest: 47 lost */
		{ RX, 0, 49, BUF, "", 13 },			/* 21 */
		{ RX, 0, 50, BUF, "", 13 },			/* 22 */
		{ RX, 0, 52, BUF, "", 13 },			/* 23 */
		{ RX, 0, 51, BUF, "", 13 },			/* 24 */
		{ RX, 0, 48, DLV, "48,49,50,51,52", 14 },	/* 25 */
	};

	RUN("first0", 4, t);
}

TEST(gre_win_rx_table_first_seq_1_and_no_buffer)
{
	/* pptp-linux and the Linux kernel start at 1; pptpd special-cases
	 * it, we just take the first number as it comes. */
	static const struct step t[] = {
		{ RX, 0, 1, DLV, "1", 0 },			/* 1 */
		{ RX, 0, 0, OLD, "", 0 },			/* 2 */
		{ RX, 0, 2, DLV, "2", 0 },			/* 3 */
		{ RX, 0, 4, BUF, "", 0 },			/* 4 */
		{ RX, 10000, 5, BUF, "", 0 },			/* 5 */
		{ TICK, 29999, 0, 0, "", 0 },			/* 6 */
		/* 4 waited 30 ms, 5 only 20: both go, since 5 follows */
		{ TICK, 30000, 0, 0, "4,5", 1 },		/* 7 */
		/* 9 has waited its 30 ms: it goes, and 7, lower but
		 * younger, goes before it */
		{ RX, 41000, 9, BUF, "", 1 },			/* 8 */
		{ RX, 50000, 7, BUF, "", 1 },			/* 9 */
		{ TICK, 70999, 0, 0, "", 1 },			/* 10 */
		{ TICK, 71000, 0, 0, "7,9", 3 },		/* 11 */
		{ RX, 71000, 1, OLD, "", 3 },			/* 12 */
	};
	/* reorder_slots 0 behaves like the kernel: gaps are lost at once */
	static const struct step t0[] = {
		{ RX, 0, 0, DLV, "0", 0 },			/* 1 */
		{ RX, 0, 2, DLV, "2", 1 },			/* 2 */
		{ RX, 0, 1, OLD, "", 1 },			/* 3 */
		{ RX, 0, 6, DLV, "6", 4 },			/* 4 */
		{ RX, 0, 100, RSY, "100", 4 },			/* 5 */
		{ TICK, 1000000, 0, 0, "", 4 },			/* 6 */
	};

	RUN("first1", 4, t);
	RUN("noreorder", 0, t0);
}

TEST(gre_win_rx_table_wrap)
{
	static const struct step t[] = {
		{ RX, 0, 0xfffffffd, DLV, "4294967293", 0 },		/* 1 */
		{ RX, 0, 0xffffffff, BUF, "", 0 },			/* 2 */
		{ RX, 0, 0, BUF, "", 0 },				/* 3 */
		{ RX, 0, 0xfffffffe, DLV, "4294967294,4294967295,0", 0 },/* 4 */
		{ RX, 0, 0xffffffff, OLD, "", 0 },			/* 5 */
		{ RX, 0, 0xfffffff0, OLD, "", 0 },			/* 6 */
		{ RX, 0, 2, BUF, "", 0 },				/* 7 */
		{ TICK, 30000, 0, 0, "2", 1 },				/* 8 */
		{ RX, 30000, 3, DLV, "3", 1 },				/* 9 */
		/* 2^31 after the last delivered (3) is not "after" */
		{ RX, 30000, 0x80000003, OLD, "", 1 },			/* 10 */
		{ RX, 30000, 0x80000002, RSY, "2147483650", 1 },	/* 11 */
		{ RX, 30000, 0x80000003, DLV, "2147483651", 1 },	/* 12 */
	};
	static const struct step t2[] = {
		{ RX, 0, 0xfffffff0, DLV, "4294967280", 0 },		/* 1 */
		/* 0x10 - 0xfffffff1 = 31 > 10 across the wrap: resync */
		{ RX, 0, 0x10, RSY, "16", 0 },				/* 2 */
		{ RX, 0, 0x13, BUF, "", 0 },				/* 3 */
		{ RX, 0, 0x12, BUF, "", 0 },				/* 4 */
		{ RX, 0, 0x15, BUF, "", 0 },				/* 5 */
		{ RX, 0, 0x16, BUF, "", 0 },				/* 6 */
		/* full, and flushing the lowest leaves a gap: 0x17 waits */
		{ RX, 0, 0x17, BUF, "18,19", 1 },			/* 7 */
		{ RX, 0, 0x11, OLD, "", 1 },				/* 8 */
		{ RX, 0, 0x14, DLV, "20,21,22,23", 1 },			/* 9 */
		{ RX, 0, 0x19, BUF, "", 1 },				/* 10 */
		{ TICK, 29999, 0, 0, "", 1 },				/* 11 */
		{ TICK, 30000, 0, 0, "25", 2 },				/* 12 */
	};

	RUN("wrap", 4, t);
	RUN("wrap2", 4, t2);
}

TEST(gre_win_rx_counters_and_too_big)
{
	struct gre_win_config c;
	const struct gre_win_stats *s;
	struct gre_win w;
	struct sink k;
	uint8_t big[40];

	memset(&k, 0, sizeof(k));
	memset(big, 0x5a, sizeof(big));
	cfg_small(&c, 4);
	c.max_packet = 16;
	CHECK_OK(gre_win_init(&w, &c, sink_deliver, &k));
	s = gre_win_stats(&w);
	CHECK_EQ(feed(&w, 0, 0), DLV);
	/* an in-order packet larger than a slot is delivered straight */
	CHECK_EQ(gre_win_rx(&w, 0, true, 1, false, 0, big, sizeof(big)),
	    GRE_WIN_DELIVERED);
	/* an early one cannot be held: dropped, counted, not acked */
	CHECK_EQ(gre_win_rx(&w, 0, true, 3, false, 0, big, sizeof(big)),
	    GRE_WIN_TOO_BIG);
	CHECK_EQ(feed(&w, 0, 3), BUF);
	CHECK_EQ(feed(&w, 0, 3), DUP);
	CHECK_EQ(feed(&w, 0, 1), OLD);
	CHECK_EQ(feed(&w, 0, 50), RSY);
	/* 0, 1, 3 (reordered) and 50 delivered; 2 lost, not the jump */
	CHECK(s->rx_accepted == 4 && s->rx_reordered == 1 && s->rx_lost == 1);
	CHECK(s->rx_under_win == 2 && s->rx_over_win == 1 &&
	    s->rx_too_big == 1);
	CHECK_EQ(k.bad, 1);			/* the 0x5a packet */
	/* no sequence number: nothing to deliver */
	CHECK_EQ(gre_win_rx(&w, 0, false, 0, false, 0, NULL, 0),
	    GRE_WIN_NO_DATA);
	CHECK_EQ(s->rx_ack_only, 0);
	gre_win_fini(&w);
}

/* --- send side --- */

static struct sink null_sink;

static void
win_open(struct gre_win *w, struct gre_win_config *c)
{
	memset(&null_sink, 0, sizeof(null_sink));
	CHECK_OK(gre_win_init(w, c, sink_deliver, &null_sink));
}

/* Sends n data packets at now; returns how many the window took. */
static unsigned
send_n(struct gre_win *w, uint64_t now, unsigned n)
{
	uint32_t seq, ack;
	bool has_ack;
	unsigned i;

	for (i = 0; i < n; i++)
		if (gre_win_next_tx(w, now, &seq, &has_ack, &ack) != 0)
			break;
	return i;
}

static void
rx_ack(struct gre_win *w, uint64_t now, uint32_t ack)
{
	CHECK_EQ(gre_win_rx(w, now, false, 0, true, ack, NULL, 0),
	    GRE_WIN_NO_DATA);
}

TEST(gre_win_tx_acks_valid_multi_ahead)
{
	struct gre_win_config c;
	const struct gre_win_stats *s;
	struct gre_win w;

	gre_win_config_default(&c);
	c.ato_min_us = 1000;
	win_open(&w, &c);
	s = gre_win_stats(&w);
	rx_ack(&w, 0, 0);			/* nothing sent: ahead */
	CHECK_EQ(s->rx_ack_ahead, 1);
	CHECK_EQ(send_n(&w, 0, 10), 10);	/* 0..9 at t=0 */
	CHECK_EQ(s->tx_outstanding, 10);
	rx_ack(&w, 10000, 3);
	CHECK_EQ(s->tx_outstanding, 6);
	CHECK_EQ(s->rx_acks, 1);
	/* RTT sample 10 ms from RTT 0: RTT = 10000/8, DEV = 10000/4,
	 * ATO = RTT + 4 DEV */
	CHECK_EQ(s->rtt_us, 1250);
	CHECK_EQ(s->ato_us, 1250 + 4 * 2500);
	rx_ack(&w, 10000, 3);			/* the same again: no news */
	rx_ack(&w, 10000, 1);			/* older: no news */
	rx_ack(&w, 10000, 10);			/* one past what we sent */
	CHECK_EQ(s->rx_acks, 1);
	CHECK_EQ(s->rx_ack_ahead, 2);
	CHECK_EQ(s->tx_outstanding, 6);
	rx_ack(&w, 20000, 9);			/* multi-packet: 4..9 */
	CHECK_EQ(s->tx_outstanding, 0);
	CHECK_EQ(s->rx_acks, 2);
	/* second sample 20 ms: DIFF = 18750, RTT += 2343, DEV += 4062 */
	CHECK_EQ(s->rtt_us, 1250 + 18750 / 8);
	CHECK_EQ(s->ato_us, (1250 + 18750 / 8) + 4 * (2500 + 16250 / 4));
	rx_ack(&w, 20000, 0xfffffff0);		/* far behind: ignored */
	CHECK_EQ(s->rx_acks, 2);
	CHECK_EQ(s->rx_ack_ahead, 2);
	CHECK_EQ(s->rx_ack_only, 7);
	gre_win_fini(&w);
}

/* Send-side tables: after each row, the packets the window took (SEND),
 * then outstanding, send window, send limit and stalls so far. */
enum { SEND, ACK, PIGGY, TOUT };

struct tx_step {
	int		op;	/* SEND arg packets, ACK arg (ack-only), PIGGY
				 * arg (on data), TOUT (at the deadline) */
	uint64_t	now;
	uint32_t	arg;
	int		taken, out, win, limit, stalls;
};

static void
run_tx(const char *name, enum gre_win_enforce mode, uint16_t rwin,
    uint16_t floor, uint32_t first, unsigned late_max,
    const struct tx_step *st, size_t n)
{
	const struct gre_win_stats *s;
	struct gre_win_config c;
	struct gre_win ww, *w = &ww;

	gre_win_config_default(&c);
	CHECK_EQ(c.late_max, 2);
	c.late_max = late_max;
	c.enforce = mode;
	c.peer_rwin = rwin;
	c.window_floor = floor;
	c.tx_first_seq = first;
	win_open(w, &c);
	s = gre_win_stats(w);
	for (size_t i = 0; i < n; i++) {
		int taken = -1;

		if (st[i].op == SEND)
			taken = (int)send_n(w, st[i].now, st[i].arg);
		else if (st[i].op == TOUT)
			gre_win_timeout(w, gre_win_deadline(w));
		else
			(void)gre_win_rx(w, st[i].now, st[i].op == PIGGY,
			    (uint32_t)i, true, st[i].arg,
			    (const uint8_t *)"x", st[i].op == PIGGY);
		t_check(taken == st[i].taken &&
		    s->tx_outstanding == (uint32_t)st[i].out &&
		    s->send_window == (uint32_t)st[i].win &&
		    s->send_limit == (uint32_t)st[i].limit &&
		    s->tx_stalls == (uint64_t)st[i].stalls, __FILE__, __LINE__,
		    "%s step %zu: %d %u %u %u %llu, want %d %d %d %d %d", name,
		    i + 1, taken, s->tx_outstanding, s->send_window,
		    s->send_limit, (unsigned long long)s->tx_stalls,
		    st[i].taken, st[i].out, st[i].win, st[i].limit,
		    st[i].stalls);
	}
	gre_win_fini(w);
}

#define RUN_TX(name, mode, rwin, floor, first, t) \
	run_tx(name, mode, rwin, floor, first, 2, t, sizeof(t) / sizeof(t[0]))
#define RUN_TX_LATE(name, mode, rwin, late, t) \
	run_tx(name, mode, rwin, 64, 0, late, t, sizeof(t) / sizeof(t[0]))

TEST(gre_win_tx_table_rfc_window)
{
	/* peer window 8, floor 0: the RFC exactly */
	static const struct tx_step t[] = {
		{ SEND, 0, 10, 4, 4, 4, 4, 1 },		/* 1: 4.2.1 half */
		{ SEND, 0, 1, 0, 4, 4, 4, 1 },		/* 2: same stall */
		{ ACK, 1000, 1, -1, 2, 4, 4, 1 },	/* 3: un-stall */
		{ SEND, 1000, 10, 2, 4, 4, 4, 2 },	/* 4 */
		{ ACK, 2000, 5, -1, 0, 5, 5, 2 },	/* 5: 6 acked: +1 */
		{ SEND, 3000, 99, 5, 5, 5, 5, 3 },	/* 6 */
		{ ACK, 3000, 10, -1, 0, 6, 6, 3 },	/* 7 */
		{ SEND, 3000, 99, 6, 6, 6, 6, 4 },	/* 8 */
		{ ACK, 3000, 16, -1, 0, 7, 7, 4 },	/* 9 */
		{ SEND, 3000, 99, 7, 7, 7, 7, 5 },	/* 10 */
		{ ACK, 3000, 23, -1, 0, 8, 8, 5 },	/* 11: the peer's */
		{ SEND, 3000, 99, 8, 8, 8, 8, 6 },	/* 12 */
		{ ACK, 3000, 31, -1, 0, 8, 8, 6 },	/* 13: no further */
		{ SEND, 100000, 3, 3, 3, 8, 8, 6 },	/* 14 */
		{ TOUT, 0, 0, -1, 0, 4, 4, 6 },		/* 15: halved, */
		{ ACK, 900000, 34, -1, 0, 4, 4, 6 },	/* 16: written off */
		{ SEND, 900000, 1, 1, 1, 4, 4, 6 },	/* 17 */
		{ TOUT, 0, 0, -1, 0, 2, 2, 6 },		/* 18 */
		{ SEND, 1900000, 1, 1, 1, 2, 2, 6 },	/* 19 */
		{ TOUT, 0, 0, -1, 0, 1, 1, 6 },		/* 20 */
		{ SEND, 3900000, 1, 1, 1, 1, 1, 6 },	/* 21 */
		{ TOUT, 0, 0, -1, 0, 1, 1, 6 },		/* 22: at least 1 */
		{ TOUT, 0, 0, -1, 0, 1, 1, 6 },		/* 23: nothing due */
	};

	RUN_TX("rfc", GRE_WIN_ENFORCE_ON, 8, 0, 0, t);
}

TEST(gre_win_tx_table_floor_modes_wrap)
{
	static const struct tx_step floor64[] = {	/* peer window 128 */
		{ SEND, 0, 200, 64, 64, 64, 64, 1 },
		{ TOUT, 0, 0, -1, 0, 32, 64, 1 },	/* the floor holds */
		{ SEND, 1, 200, 64, 64, 32, 64, 2 },
	}, small[] = {					/* peer window 16 */
		{ SEND, 0, 200, 16, 16, 8, 16, 1 },	/* floor capped */
	}, none[] = {					/* peer window 0 */
		{ SEND, 0, 999, 999, 999, 1, 0, 0 },	/* no limit */
	}, one[] = {					/* 1, floor 0 */
		{ SEND, 0, 5, 1, 1, 1, 1, 1 },		/* stop and wait */
		{ ACK, 1, 0, -1, 0, 1, 1, 1 },
		{ SEND, 1, 5, 1, 1, 1, 1, 2 },
	}, autom[] = {					/* 8, floor 0 */
		{ SEND, 0, 100, 100, 100, 4, 0, 0 },	/* kernel-like */
		{ PIGGY, 0, 49, -1, 50, 8, 0, 0 },	/* peer: no limit */
		{ ACK, 10, 59, -1, 40, 8, 8, 0 },	/* it acks alone: */
		{ SEND, 10, 1, 0, 40, 8, 8, 1 },	/* limit */
		{ ACK, 20, 99, -1, 0, 8, 8, 1 },
		{ SEND, 20, 1, 1, 1, 8, 8, 1 },
	}, off[] = {					/* 8, floor 0 */
		{ ACK, 0, 0, -1, 0, 4, 0, 0 },
		{ SEND, 0, 100, 100, 100, 4, 0, 0 },	/* still computed */
	}, wrap[] = {					/* from 0xfffffff0 */
		{ SEND, 0, 31, 31, 31, 32, 64, 0 },	/* ..0x0e */
		{ ACK, 1000, 0xfffffffe, -1, 16, 32, 64, 0 },
		{ ACK, 1000, 0x0f, -1, 16, 32, 64, 0 },	/* ahead */
		{ ACK, 2000, 0x0e, -1, 0, 32, 64, 0 },
		{ SEND, 3000, 1, 1, 1, 32, 64, 0 },	/* 0x0f, */
		{ ACK, 3000, 0x0f, -1, 0, 33, 64, 0 },	/* so this acks */
	};

	RUN_TX("floor64", GRE_WIN_ENFORCE_ON, 128, 64, 0, floor64);
	RUN_TX("small", GRE_WIN_ENFORCE_ON, 16, 64, 0, small);
	RUN_TX("none", GRE_WIN_ENFORCE_ON, 0, 64, 0, none);
	RUN_TX("one", GRE_WIN_ENFORCE_ON, 1, 0, 0, one);
	RUN_TX("auto", GRE_WIN_ENFORCE_AUTO, 8, 0, 0, autom);
	RUN_TX("off", GRE_WIN_ENFORCE_OFF, 8, 0, 0, off);
	RUN_TX("wrap", GRE_WIN_ENFORCE_ON, 64, 64, 0xfffffff0, wrap);
}

TEST(gre_win_tx_silent_peer_does_not_deadlock)
{
	/* AUTO (the default) against it: never a stall; the packets tracked
	 * stay bounded; a late piggybacked ack clears them */
	static const struct tx_step kernel[] = {
		{ SEND, 0, 70000, 70000, GRE_WIN_TRACK_MAX, 32, 0, 0 },
		{ PIGGY, 1, 69999, -1, 0, 64, 0, 0 },
	};
	struct gre_win_config c;
	const struct gre_win_stats *s;
	struct gre_win w;
	uint64_t now = 0;
	unsigned sent = 0;

	/* ON against a peer that never acks: each full window waits one
	 * ack time-out (doubling up to MaxTimeOut), then goes on */
	gre_win_config_default(&c);
	c.enforce = GRE_WIN_ENFORCE_ON;
	win_open(&w, &c);
	s = gre_win_stats(&w);
	for (int i = 0; i < 100 && sent < 1000; i++) {
		sent += send_n(&w, now, 1000 - sent);
		gre_win_timeout(&w, now = gre_win_deadline(&w));
	}
	CHECK_EQ(sent, 1000);			/* 15 full windows and 40 */
	CHECK_EQ(s->tx_stalls, 15);
	CHECK_EQ(s->tx_ack_timeouts, 16);
	CHECK_EQ(s->ato_us, c.ato_max_us);
	gre_win_fini(&w);
	RUN_TX("kernel", GRE_WIN_ENFORCE_AUTO, 64, 64, 0, kernel);
}

TEST(gre_win_tx_table_auto_stops_limiting_when_acks_are_late)
{
	/* pptp-linux offers a window of 3 (floor 64 capped to 3); the half
	 * window is 2.  Its acks stop coming (--test-type 2 holds them). */
	static const struct tx_step late[] = {
		{ SEND, 0, 1, 1, 1, 2, 0, 0 },		/* 1: not yet */
		{ ACK, 1000, 0, -1, 0, 2, 3, 0 },	/* 2: acks alone */
		{ SEND, 2000, 10, 3, 3, 2, 3, 1 },	/* 3: limited */
		{ TOUT, 0, 0, -1, 0, 1, 3, 1 },		/* 4: late once */
		{ SEND, 102000, 10, 3, 3, 1, 3, 2 },	/* 5: still */
		{ TOUT, 0, 0, -1, 0, 1, 0, 2 },		/* 6: twice: off */
		{ SEND, 500000, 1000, 1000, 1000, 1, 0, 2 }, /* 7: free */
		{ ACK, 600000, 1005, -1, 1, 3, 0, 2 },	/* 8: for good */
		{ SEND, 600000, 100, 100, 101, 3, 0, 2 },
		{ TOUT, 0, 0, -1, 101, 3, 0, 2 },	/* 10: no time-out */
	}, rfc[] = {					/* late_max 0 */
		{ SEND, 0, 1, 1, 1, 2, 0, 0 },
		{ ACK, 1000, 0, -1, 0, 2, 3, 0 },
		{ SEND, 2000, 10, 3, 3, 2, 3, 1 },
		{ TOUT, 0, 0, -1, 0, 1, 3, 1 },
		{ SEND, 102000, 10, 3, 3, 1, 3, 2 },
		{ TOUT, 0, 0, -1, 0, 1, 3, 2 },		/* limits on */
		{ SEND, 500000, 1000, 3, 3, 1, 3, 3 },
	}, on[] = {					/* ON: the RFC */
		{ SEND, 0, 10, 3, 3, 2, 3, 1 },
		{ TOUT, 0, 0, -1, 0, 1, 3, 1 },
		{ SEND, 1, 10, 3, 3, 1, 3, 2 },
		{ TOUT, 0, 0, -1, 0, 1, 3, 2 },
		{ SEND, 2, 10, 3, 3, 1, 3, 3 },
		{ TOUT, 0, 0, -1, 0, 1, 3, 3 },
		{ SEND, 3, 10, 3, 3, 1, 3, 4 },
	};
	struct gre_win_config c;
	struct gre_win w;
	struct sbuf sb;
	char buf[512];

	RUN_TX_LATE("late", GRE_WIN_ENFORCE_AUTO, 3, 2, late);
	RUN_TX_LATE("late_max 0", GRE_WIN_ENFORCE_AUTO, 3, 0, rfc);
	RUN_TX_LATE("on", GRE_WIN_ENFORCE_ON, 3, 2, on);
	/* the gauge and its print */
	gre_win_config_default(&c);
	c.peer_rwin = 3;
	c.late_max = 1;
	win_open(&w, &c);
	rx_ack(&w, 0, 0);
	CHECK_EQ(send_n(&w, 0, 5), 3);
	CHECK_EQ(gre_win_stats(&w)->tx_late_off, 0);
	gre_win_timeout(&w, gre_win_deadline(&w));
	CHECK_EQ(gre_win_stats(&w)->tx_late_off, 1);
	CHECK_EQ(gre_win_deadline(&w), GRE_WIN_NEVER);
	sbuf_init(&sb, buf, sizeof(buf));
	gre_win_stats_print(gre_win_stats(&w), &sb);
	CHECK(strstr(sbuf_str(&sb), " limit=0 late_off=1 rtt_us=") != NULL);
	gre_win_fini(&w);
}

/*
 * A peer that holds its packets back, acks and all, until ten more are
 * queued, then sends the newest and the ten in order (pptp-linux
 * --test-type 2 --test-rate 10, as captured against our server), and that
 * answers every packet (an echo): our side pings it once a millisecond as
 * far as the window lets it.  The peer sends an ack-only packet first, so
 * AUTO limits, and its first HOLD_FREE answers go out at once.  The last
 * ten answers stay held for ever.  Returns how many answers were
 * delivered within `secs` simulated seconds; *timeouts: ack time-outs.
 */
#define HOLD_N		10
#define HOLD_PINGS	2000
#define HOLD_FREE	8	/* answers sent before the test starts */

struct hold_pkt {
	uint64_t	at;
	bool		to_peer, has_seq;
	uint32_t	seq, ack;
};

static unsigned
hold_run(unsigned late_max, unsigned secs, uint64_t *timeouts)
{
	static struct hold_pkt net[4 * HOLD_PINGS];
	uint32_t held[HOLD_N + 1], peer_seq = 1, peer_high = 0, seq, ack;
	size_t nnet = 0, nheld = 0;
	unsigned sent = 0, i;
	struct gre_win_config c;
	struct sink k;
	struct gre_win w;
	uint8_t pl[20];
	uint64_t now;
	bool ha;

	memset(&k, 0, sizeof(k));
	gre_win_config_default(&c);
	c.peer_rwin = 3;			/* pptp-linux's */
	c.late_max = late_max;
	c.tx_first_seq = 0;
	CHECK_OK(gre_win_init(&w, &c, sink_deliver, &k));
	net[nnet++] = (struct hold_pkt){ 0, false, false, 0, 0 };
	for (now = 0; now < secs * 1000000ull; now += 100) {
		/* one ping a millisecond, as the window allows */
		if (now % 1000 == 500 && sent < HOLD_PINGS &&
		    gre_win_can_send(&w) &&
		    gre_win_next_tx(&w, now, &seq, &ha, &ack) == 0) {
			net[nnet++] = (struct hold_pkt){ now + 1000, true, true,
			    seq, 0 };
			sent++;
		}
		for (i = 0; i < nnet; ) {
			struct hold_pkt p = net[i];

			if (p.at > now) {
				i++;
				continue;
			}
			net[i] = net[--nnet];
			if (!p.to_peer) {
				(void)gre_win_rx(&w, now, p.has_seq, p.seq,
				    true, p.ack, pl, mk_payload(p.seq, pl));
				continue;
			}
			if (!p.has_seq)
				continue;	/* our ack-only packets */
			peer_high = p.seq;
			held[nheld++] = peer_seq++;	/* the echo */
			if (peer_seq <= HOLD_FREE + 1) {	/* not yet */
				net[nnet++] = (struct hold_pkt){ now + 1000,
				    false, true, held[--nheld], peer_high };
				continue;
			}
			if (nheld == HOLD_N + 1) {	/* newest first */
				net[nnet++] = (struct hold_pkt){ now + 1000,
				    false, true, held[HOLD_N], peer_high };
				for (size_t j = 0; j < HOLD_N; j++)
					net[nnet++] = (struct hold_pkt){
					    now + 1000 + j + 1, false, true,
					    held[j], peer_high };
				nheld = 0;
			}
		}
		if (gre_win_deadline(&w) <= now)
			gre_win_timeout(&w, now);
		if (gre_win_ack_only_due(&w, now, &ack))
			gre_win_ack_only_sent(&w, ack);
	}
	CHECK_EQ(k.bad, 0);
	*timeouts = gre_win_stats(&w)->tx_ack_timeouts;
	gre_win_fini(&w);
	return (unsigned)k.n;
}

TEST(gre_win_sim_peer_holding_acks_does_not_starve_us)
{
	uint64_t touts;
	unsigned got;

	/* default AUTO: two ack time-outs, then every answer but those the
	 * peer still holds (it sends in bursts of eleven) arrives, in order,
	 * within 5 s */
	got = hold_run(2, 5, &touts);
	CHECK_EQ(got, HOLD_PINGS - (HOLD_PINGS - HOLD_FREE) % (HOLD_N + 1));
	CHECK_EQ(touts, 2);
	/* limiting for ever (the old behaviour): one window of 3 per ack
	 * time-out, growing to 2 s: a few dozen answers in 30 s */
	got = hold_run(0, 30, &touts);
	CHECK(got < HOLD_PINGS / 10);
	CHECK(touts > 10);
}

TEST(gre_win_tx_acks_piggybacked_and_alone)
{
	struct gre_win_config c;
	struct gre_win w;
	uint32_t seq = 99, ack = 99;
	bool has_ack = true;

	gre_win_config_default(&c);
	win_open(&w, &c);
	/* piggybacked acks: only when there is something new */
	CHECK_OK(gre_win_next_tx(&w, 0, &seq, &has_ack, &ack));
	CHECK_EQ(seq, 0);			/* RFC 2637 4.1 */
	CHECK(!has_ack);			/* nothing received yet */
	CHECK_EQ(feed(&w, 10, 7), DLV);
	CHECK_EQ(feed(&w, 11, 8), DLV);
	CHECK_OK(gre_win_next_tx(&w, 12, &seq, &has_ack, &ack));
	CHECK_EQ(seq, 1);
	CHECK(has_ack && ack == 8);
	CHECK_OK(gre_win_next_tx(&w, 13, &seq, &has_ack, &ack));
	CHECK_EQ(seq, 2);
	CHECK(!has_ack);			/* nothing new */
	/* a held packet is acked too: the ack is the highest accepted */
	CHECK_EQ(feed(&w, 14, 10), BUF);
	CHECK_OK(gre_win_next_tx(&w, 15, &seq, &has_ack, &ack));
	CHECK(has_ack && ack == 10);
	/* a stale packet does not make an ack pending */
	CHECK_EQ(feed(&w, 16, 8), OLD);
	CHECK(gre_win_deadline(&w) >= 30000);	/* only the reorder timer */
	CHECK(w.stats.tx_packets == 4 && w.stats.tx_acks == 2);
	gre_win_fini(&w);
	/* ack-only: after the delay, or at once for a quarter window */
	c.our_rwin = 16;			/* a quarter: 4 packets */
	win_open(&w, &c);
	CHECK(!gre_win_ack_only_due(&w, 0, &ack));
	CHECK_EQ(feed(&w, 1000, 0), DLV);
	CHECK_EQ(gre_win_deadline(&w), 6000);	/* 5 ms default delay */
	CHECK(!gre_win_ack_only_due(&w, 5999, &ack));
	CHECK(gre_win_ack_only_due(&w, 6000, &ack) && ack == 0);
	CHECK_EQ(feed(&w, 6000, 1), DLV);	/* still due, now for 1 */
	CHECK(gre_win_ack_only_due(&w, 6000, &ack) && ack == 1);
	gre_win_ack_only_sent(&w, 0);		/* older: still pending */
	CHECK(gre_win_ack_only_due(&w, 6000, &ack));
	gre_win_ack_only_sent(&w, 1);
	CHECK(!gre_win_ack_only_due(&w, 99999, &ack));
	CHECK_EQ(gre_win_deadline(&w), GRE_WIN_NEVER);
	CHECK_EQ(gre_win_stats(&w)->tx_ack_only, 2);
	/* piggybacking cancels it */
	CHECK_EQ(feed(&w, 7000, 2), DLV);
	CHECK_OK(gre_win_next_tx(&w, 7001, &seq, &has_ack, &ack));
	CHECK(has_ack && ack == 2);
	CHECK(!gre_win_ack_only_due(&w, 99999, &ack));
	/* a quarter of our window waiting: due at once */
	for (uint32_t i = 3; i < 6; i++)
		CHECK_EQ(feed(&w, 8000, i), DLV);
	CHECK(!gre_win_ack_only_due(&w, 8000, &ack));
	CHECK_EQ(feed(&w, 8000, 6), DLV);
	CHECK(gre_win_ack_only_due(&w, 8000, &ack) && ack == 6);
	CHECK_EQ(gre_win_deadline(&w), 8000);
	gre_win_fini(&w);
	/* our_rwin 0: only the delay */
	c.our_rwin = 0;
	c.ack_delay_us = 50000;
	win_open(&w, &c);
	for (uint32_t i = 0; i < 100; i++)
		CHECK_EQ(feed(&w, 0, i), DLV);
	CHECK(!gre_win_ack_only_due(&w, 49999, &ack));
	CHECK(gre_win_ack_only_due(&w, 50000, &ack) && ack == 99);
	gre_win_fini(&w);
	/* the deadline is the earliest of ack-only, reorder, ack time-out */
	gre_win_config_default(&c);
	c.enforce = GRE_WIN_ENFORCE_ON;
	win_open(&w, &c);
	CHECK_EQ(send_n(&w, 0, 1), 1);
	CHECK_EQ(gre_win_deadline(&w), 100000);		/* ack time-out */
	CHECK_EQ(feed(&w, 500, 0), DLV);
	CHECK_EQ(gre_win_deadline(&w), 5500);		/* ack-only */
	gre_win_ack_only_sent(&w, 0);
	CHECK_EQ(feed(&w, 600, 2), BUF);
	CHECK_EQ(gre_win_deadline(&w), 5600);
	gre_win_ack_only_sent(&w, 2);
	CHECK_EQ(gre_win_deadline(&w), 30600);		/* reorder */
	gre_win_timeout(&w, 30600);
	CHECK_EQ(null_sink.n, 2);
	CHECK_EQ(gre_win_deadline(&w), 100000);
	gre_win_fini(&w);
}

TEST(gre_win_init_checks_and_print)
{
	struct gre_win_config c, bad;
	struct gre_win w;
	struct sbuf sb;
	char buf[512];

	gre_win_config_default(&c);
	CHECK_ERR(gre_win_init(&w, &c, NULL, NULL), ERR_INVAL);
	gre_win_fini(&w);			/* harmless */
#define BAD(field, v) do {						\
	bad = c;							\
	bad.field = v;							\
	CHECK_ERR(gre_win_init(&w, &bad, sink_deliver, NULL), ERR_RANGE); \
} while (0)
	BAD(reorder_slots, GRE_WIN_SLOTS_MAX + 1);
	BAD(max_packet, 0);
	BAD(max_packet, GRE_WIN_PACKET_MAX + 1);
	BAD(missing_window, 0x80000000u);
	BAD(ato_min_us, 0);
	BAD(ato_min_us, c.ato_max_us + 1);
	BAD(ato_max_us, GRE_WIN_RTT_CAP + 1);
	BAD(enforce, (enum gre_win_enforce)7);
#undef BAD

	win_open(&w, &c);
	CHECK_EQ(feed(&w, 0, 0), DLV);
	CHECK_EQ(feed(&w, 0, 2), BUF);
	CHECK_EQ(send_n(&w, 0, 3), 3);
	sbuf_init(&sb, buf, sizeof(buf));
	gre_win_stats_print(gre_win_stats(&w), &sb);
	CHECK(strstr(sbuf_str(&sb), "rx accepted=1 lost=0 ") == sbuf_str(&sb));
	CHECK(strstr(sbuf_str(&sb), " buffered=1 ") != NULL);
	CHECK(strstr(sbuf_str(&sb), " tx packets=3 acks=1 ") != NULL);
	CHECK(strstr(sbuf_str(&sb), " outstanding=3 window=32 limit=0 ")
	    != NULL);
	CHECK(!sb.truncated);
	CHECK_EQ(gre_win_stats(&w)->ato_us, c.ato_min_us);	/* PPD 0 */
	gre_win_fini(&w);				/* discards 2 */
	gre_win_fini(&w);				/* twice: harmless */
	CHECK_STR(gre_win_verdict_str(GRE_WIN_RESYNC), "resync");
	CHECK_STR(gre_win_verdict_str(GRE_WIN_NO_DATA), "no-data");
	CHECK_STR(gre_win_verdict_str(-1), "?");
	CHECK_STR(gre_win_verdict_str(99), "?");
	/* 4.4: the PPD (tenths of a second) seeds RTT; ATO is bounded */
	c.ppd = 5;
	win_open(&w, &c);
	CHECK_EQ(gre_win_stats(&w)->rtt_us, 500000);
	CHECK_EQ(gre_win_stats(&w)->ato_us, 500000);
	gre_win_fini(&w);
	c.ppd = 600;
	win_open(&w, &c);
	CHECK_EQ(gre_win_stats(&w)->ato_us, c.ato_max_us);
	gre_win_fini(&w);
}

/* --- two windows through a bad network --- */

struct sim_pkt {
	int		to;
	bool		has_seq, has_ack;
	uint32_t	seq, ack;
	uint64_t	at;
};

struct sim_end {
	struct gre_win	 w;
	unsigned	 want, sent, got, bad;
	uint32_t	 first, last;	/* our first seq; last delivered */
	struct sim_end	*peer;
};

#define SIM_NET	4096
static struct sim_pkt	sim_net[SIM_NET];
static size_t		sim_n;
static uint64_t		sim_rng;

static uint32_t
sim_rand(uint32_t n)
{
	sim_rng ^= sim_rng << 13;
	sim_rng ^= sim_rng >> 7;
	sim_rng ^= sim_rng << 17;
	return (uint32_t)(sim_rng >> 16) % n;
}

/* Once, in order, and only what the peer sent, as it sent it. */
static void
sim_deliver(void *ctx, uint32_t seq, const uint8_t *p, size_t len)
{
	struct sim_end *e = ctx;

	if ((e->got > 0 && (int32_t)(seq - e->last) <= 0) ||
	    seq - e->peer->first >= e->peer->sent || !payload_ok(seq, p, len))
		e->bad++;
	e->last = seq;
	e->got++;
}

/* 3% sent twice; each copy 5% lost, 1-2 ms late, 1 in 10 up to 25 ms more. */
static void
sim_send(int to, uint64_t now, bool has_seq, uint32_t seq, bool has_ack,
    uint32_t ack)
{
	for (int n = sim_rand(100) < 3 ? 2 : 1; n > 0 && sim_n < SIM_NET; n--)
		if (sim_rand(100) >= 5)
			sim_net[sim_n++] = (struct sim_pkt){ to, has_seq,
			    has_ack, seq, ack, now + 1000 + sim_rand(1000) +
			    (sim_rand(10) ? 0 : sim_rand(25000)) };
}

static void
sim_run(uint64_t seed, const struct gre_win_config *c, unsigned want0,
    unsigned want1, unsigned min_pct)
{
	static struct sim_end e[2];
	uint64_t now = 0;
	uint32_t seq, ack;
	uint8_t pl[20];
	bool ha;

	sim_rng = seed;
	sim_n = 0;
	memset(e, 0, sizeof(e));
	for (int i = 0; i < 2; i++) {
		struct gre_win_config ci = *c;

		e[i].want = i ? want1 : want0;
		e[i].first = ci.tx_first_seq = i ? 0xffffff00u : 0;
		e[i].peer = &e[1 - i];
		CHECK_OK(gre_win_init(&e[i].w, &ci, sim_deliver, &e[i]));
	}
	for (int step = 0; step < 2000000; step++) {
		now += 20 + sim_rand(100);
		for (int i = 0; i < 2; i++)
			if (e[i].sent < e[i].want && sim_rand(4) == 0 &&
			    !gre_win_next_tx(&e[i].w, now, &seq, &ha, &ack)) {
				e[i].sent++;
				sim_send(1 - i, now, true, seq, ha, ack);
			}
		for (size_t j = 0; j < sim_n; ) {
			struct sim_pkt p = sim_net[j];

			if (p.at > now) {
				j++;
				continue;
			}
			sim_net[j] = sim_net[--sim_n];
			(void)gre_win_rx(&e[p.to].w, now, p.has_seq, p.seq,
			    p.has_ack, p.ack, pl, mk_payload(p.seq, pl));
		}
		for (int i = 0; i < 2; i++) {
			if (gre_win_deadline(&e[i].w) <= now)
				gre_win_timeout(&e[i].w, now);
			if (gre_win_ack_only_due(&e[i].w, now, &ack)) {
				gre_win_ack_only_sent(&e[i].w, ack);
				sim_send(1 - i, now, false, 0, true, ack);
			}
			CHECK(e[i].w.stats.rx_buffered <= c->reorder_slots);
		}
		if (e[0].sent == want0 && e[1].sent == want1 && sim_n == 0 &&
		    e[0].w.nheld == 0 && e[1].w.nheld == 0)
			break;
	}
	for (int i = 0; i < 2; i++) {
		t_check(e[i].sent == e[i].want && e[i].bad == 0 &&
		    e[i].w.stats.rx_accepted == e[i].got &&
		    e[i].got * 100ull >= e[1 - i].sent * (uint64_t)min_pct,
		    __FILE__, __LINE__, "seed %llu end %d: sent %u of %u, "
		    "got %u of %u, %u bad", (unsigned long long)seed, i,
		    e[i].sent, e[i].want, e[i].got, e[1 - i].sent, e[i].bad);
		gre_win_fini(&e[i].w);
	}
}

TEST(gre_win_sim_lossy_network)
{
	struct gre_win_config c;

	gre_win_config_default(&c);
	for (uint64_t seed = 1; seed <= 4; seed++)
		sim_run(seed * 0x9e3779b97f4a7c15ull, &c, 20000, 5000, 85);
	/* strict RFC windows: stalls and ack time-outs */
	c.enforce = GRE_WIN_ENFORCE_ON;
	c.peer_rwin = 8;
	c.window_floor = 0;
	c.ato_min_us = 20000;
	for (uint64_t seed = 5; seed <= 8; seed++)
		sim_run(seed * 0x9e3779b97f4a7c15ull, &c, 5000, 5000, 85);
	/* small buffer, small missing window: overflows and resyncs */
	gre_win_config_default(&c);
	c.reorder_slots = 2;
	c.missing_window = 6;
	sim_run(77, &c, 10000, 10000, 70);
	c.reorder_slots = 0;
	sim_run(78, &c, 10000, 0, 45);
}

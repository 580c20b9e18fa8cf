/* fuzz_gre_win.c - a GRE window (src/pptp/gre_win.h) fed packets, acks, sends
 * and time, 3 octets an event, asserting the invariants named below. */
#include "fuzz_common.h"
#include "../src/pptp/gre_win.h"

static uint32_t	last, have;

static void
deliver(void *ctx, uint32_t seq, const uint8_t *p, size_t len)
{
	FUZZ_ASSERT(ctx == NULL && len == 4 + seq % 36 && p[0] == (uint8_t)seq);
	FUZZ_ASSERT(!have++ || (int32_t)(seq - last) > 0);	/* in order */
	last = seq;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	uint32_t q = 0, s, a, t0 = size > 1 ? d[0] | d[1] << 8 : 0x4400;
	struct gre_win_config c;
	struct gre_win w;
	uint8_t p[40] = { 0 };		/* p[0] and length name the seq */
	uint64_t t = 0;
	bool h;

	gre_win_config_default(&c);	/* t0: slots, enforce, window, wrap */
	c.reorder_slots = t0 % 9, c.enforce = (t0 >> 6 & 3) % 3;
	c.peer_rwin = c.our_rwin = t0 >> 12, c.tx_first_seq = 0u - (t0 & 256);
	c.missing_window = t0 >> 9 & 7 ? t0 >> 9 & 7 : 300, c.max_packet = 16;
	FUZZ_ASSERT(gre_win_init(&w, &c, deliver, NULL) == 0);
	for (size_t i = 2 + (have = 0); i + 3 <= size; i += 3) {
		uint8_t op = d[i], x = d[i + 1], y = d[i + 2];
		q = op & 4 ? (uint32_t)x << 24 | y : q + (int8_t)x, p[0] = q;
		if ((op & 3) < 2)		/* data or ack-only */
			gre_win_rx(&w, t, !(op & 1), q, op & 8,
			    w.tx_next + (int8_t)y, p, 4 + q % 36);
		else if ((op & 3) == 2)		/* time passes */
			gre_win_timeout(&w, t += (uint64_t)x << (y & 15));
		else if (op & 4 && gre_win_ack_only_due(&w, t, &a))
			gre_win_ack_only_sent(&w, a);
		else if (gre_win_next_tx(&w, t, &s, &h, &a) != 0)
			FUZZ_ASSERT(!gre_win_can_send(&w));
		FUZZ_ASSERT(w.stats.rx_buffered <= c.reorder_slots);
		FUZZ_ASSERT(op % 4 != 2 || gre_win_ack_only_due(&w, t, &a) ||
		    gre_win_deadline(&w) > t);	/* nothing left due but acks */
	}
	gre_win_fini(&w);
	return 0;
}

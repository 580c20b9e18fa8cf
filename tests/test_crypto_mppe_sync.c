/*
 * test_crypto_mppe_sync.c - MPPE synchronisation, RFC 3078 section 8:
 * loss (stateless keeps decrypting; stateful discards until a FLUSHED
 * packet after one Reset-Request, catching up the flag packets it missed),
 * Reset-Requests that make one key change, duplicates, reordering (late
 * packets dropped without rekeying), and the coherency count wrap.
 */
#include "t.h"
#include "mppe_t.h"
#include "../src/crypto/mppe.h"



/* --- (c) loss --- */

TEST(mppe_stateless_loss_every_7th)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, outlen;
	unsigned n, ok = 0, delivered = 0;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	CHECK_OK(mppe_dir_init(&rx, key, 128, true));
	for (n = 0; n < 10000; n++) {
		len = mppe_t_plain(n, plain);
		CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
		if (n % 7 == 6)
			continue;		/* lost */
		delivered++;
		if (mppe_t_open(&rx, pkt, pktlen, out, &outlen) == 0 &&
		    outlen == len && memcmp(out, plain, len) == 0)
			ok++;
	}
	CHECK_EQ(ok, delivered);
	CHECK_EQ(rx.drops, 0);
	CHECK_EQ(rx.rekeys, tx.rekeys);	/* packet 9999 arrived */
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

/*
 * Stateful with every 7th packet lost.  The receiver answers the first
 * ERR_NOKEY of each loss with a Reset-Request that reaches the sender
 * `rtt` packets later (twice, when `dup` is set: a retransmission).
 */
static void
stateful_loss(unsigned bits, unsigned rtt, bool dup)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, outlen;
	unsigned n, ok = 0, nokey = 0, other = 0, resets = 0, garbled = 0;
	long reset_at = -1;
	bool waiting = false;

	mppe_t_server_send_key(bits, key);
	CHECK_OK(mppe_dir_init(&tx, key, bits, false));
	CHECK_OK(mppe_dir_init(&rx, key, bits, false));
	for (n = 0; n < 10000; n++) {
		int ret;

		if (reset_at >= 0 && n == (unsigned)reset_at) {
			mppe_dir_reset(&tx);
			if (dup)
				mppe_dir_reset(&tx);
			reset_at = -1;
		}
		len = mppe_t_plain(n, plain);
		CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
		if (n % 7 == 6)
			continue;
		ret = mppe_t_open(&rx, pkt, pktlen, out, &outlen);
		if (ret == 0) {
			if (outlen == len && memcmp(out, plain, len) == 0)
				ok++;
			else
				garbled++;
			if (waiting && !mppe_dir_is_discarding(&rx))
				waiting = false;
		} else if (ret == ERR_NOKEY) {
			nokey++;
			CHECK(mppe_dir_is_discarding(&rx));
		} else {
			other++;
		}
		if (mppe_dir_want_reset(&rx)) {
			resets++;
			CHECK(!mppe_dir_want_reset(&rx));	/* once */
			reset_at = (long)(n + rtt);
			waiting = true;
		}
	}
	t_note("bits %u rtt %u dup %d: ok %u nokey %u resets %u", bits, rtt,
	    dup, ok, nokey, resets);
	CHECK_EQ(garbled, 0);
	CHECK_EQ(other, 0);
	CHECK(resets > 1000);
	CHECK(nokey >= resets);
	/* every delivered packet either decrypted or waited for the reset */
	CHECK_EQ(ok + nokey, 10000 - 10000 / 7);
	CHECK_EQ(rx.drops, nokey);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_stateful_loss_waits_for_flushed)
{
	stateful_loss(128, 1, false);
	stateful_loss(128, 3, false);
	stateful_loss(40, 2, true);
	stateful_loss(56, 5, false);
}

TEST(mppe_stateful_reset_requests_make_one_rekey)
{
	uint8_t key[16], plain[4] = { 0, 0x21, 1, 2 }, pkt[PKT_MAX];
	uint8_t out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t pktlen, outlen;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, false));
	CHECK_OK(mppe_dir_init(&rx, key, 128, false));
	CHECK_OK(mppe_t_seal(&tx, plain, 4, pkt, &pktlen));
	CHECK_EQ(mppe_t_hdr(pkt), 0x1000);		/* first: no FLUSHED */
	CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
	mppe_dir_reset(&tx);
	mppe_dir_reset(&tx);
	mppe_dir_reset(&tx);
	CHECK_OK(mppe_t_seal(&tx, plain, 4, pkt, &pktlen));
	CHECK_EQ(mppe_t_hdr(pkt), 0x9001);
	CHECK_EQ(tx.rekeys, 1);
	CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
	CHECK_MEM(out, plain, 4);
	CHECK_OK(mppe_t_seal(&tx, plain, 4, pkt, &pktlen));
	CHECK_EQ(mppe_t_hdr(pkt), 0x1002);
	CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
	CHECK_MEM(out, plain, 4);
	CHECK_EQ(rx.rekeys, 1);
	/* stateless: a reset changes nothing */
	mppe_dir_fini(&tx);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	mppe_dir_reset(&tx);
	CHECK(!tx.flushed_pending);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_stateful_lost_flag_packets_caught_up)
{
	/* lose 600 packets (two flag packets among them), then a reset */
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, outlen;
	unsigned n;

	mppe_t_server_send_key(56, key);
	CHECK_OK(mppe_dir_init(&tx, key, 56, false));
	CHECK_OK(mppe_dir_init(&rx, key, 56, false));
	for (n = 0; n < 700; n++) {
		int ret;

		len = mppe_t_plain(n, plain);
		if (n == 650)
			mppe_dir_reset(&tx);
		CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
		if (n >= 10 && n < 610)
			continue;
		ret = mppe_t_open(&rx, pkt, pktlen, out, &outlen);
		if (n < 10 || n >= 650) {
			CHECK_OK(ret);
			CHECK_MEM(out, plain, len);
		} else {
			CHECK_ERR(ret, ERR_NOKEY);
		}
	}
	CHECK_EQ(tx.rekeys, 3);		/* 0x0FF, 0x1FF, the reset */
	CHECK_EQ(rx.rekeys, 3);
	CHECK(mppe_dir_want_reset(&rx));
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_stateful_flag_packet_right_after_a_gap)
{
	/* 250..510 lost (flag packet 255 among them); 511 is the next flag
	 * packet, FLUSHED: two key changes at once, no Reset-Request */
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, outlen;
	unsigned n;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, false));
	CHECK_OK(mppe_dir_init(&rx, key, 128, false));
	for (n = 0; n < 600; n++) {
		len = mppe_t_plain(n, plain);
		CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
		if (n >= 250 && n <= 510)
			continue;
		CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
		CHECK_MEM(out, plain, len);
	}
	CHECK_EQ(rx.rekeys, 2);
	CHECK_EQ(rx.drops, 0);
	CHECK(!mppe_dir_want_reset(&rx));
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_stateful_duplicate_is_stale_and_stream_goes_on)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], prev[PKT_MAX];
	uint8_t out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, prevlen = 0, outlen;
	unsigned n;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, false));
	CHECK_OK(mppe_dir_init(&rx, key, 128, false));
	for (n = 0; n < 300; n++) {
		len = mppe_t_plain(n, plain);
		CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
		CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
		CHECK_MEM(out, plain, len);
		CHECK_ERR(mppe_t_open(&rx, pkt, pktlen, out, &outlen), ERR_STALE);
		if (prevlen > 0)
			CHECK_ERR(mppe_t_open(&rx, prev, prevlen, out, &outlen),
			    ERR_STALE);
		memcpy(prev, pkt, pktlen);
		prevlen = pktlen;
	}
	CHECK(!mppe_dir_is_discarding(&rx));
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

/* --- (d) reordering, (e) wrap --- */

TEST(mppe_stateless_reordering_drops_late_without_rekeying)
{
	uint8_t key[16], plain[2][PKT_MAX], pkt[2][PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len[2], pktlen[2], outlen;
	unsigned n, ok = 0, stale = 0;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	CHECK_OK(mppe_dir_init(&rx, key, 128, true));
	/* pairs swapped in flight: 1 0 3 2 5 4 ... */
	for (n = 0; n < 5000; n += 2) {
		len[0] = mppe_t_plain(n, plain[0]);
		len[1] = mppe_t_plain(n + 1, plain[1]);
		CHECK_OK(mppe_t_seal(&tx, plain[0], len[0], pkt[0], &pktlen[0]));
		CHECK_OK(mppe_t_seal(&tx, plain[1], len[1], pkt[1], &pktlen[1]));
		if (mppe_t_open(&rx, pkt[1], pktlen[1], out, &outlen) == 0 &&
		    memcmp(out, plain[1], len[1]) == 0)
			ok++;
		if (mppe_t_open(&rx, pkt[0], pktlen[0], out, &outlen) ==
		    ERR_STALE)
			stale++;
	}
	CHECK_EQ(ok, 2500);
	CHECK_EQ(stale, 2500);
	/* one key change per count, none for the late ones */
	CHECK_EQ(rx.rekeys, 5000);
	CHECK_EQ(rx.drops, 2500);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_ccount_wraps_4095_to_0)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx[2], rx[2];
	size_t len, pktlen, outlen;
	unsigned n, m;

	mppe_t_server_send_key(40, key);
	for (m = 0; m < 2; m++) {
		CHECK_OK(mppe_dir_init(&tx[m], key, 40, m == 0));
		CHECK_OK(mppe_dir_init(&rx[m], key, 40, m == 0));
	}
	for (n = 0; n < 4200; n++) {
		for (m = 0; m < 2; m++) {
			len = mppe_t_plain(n, plain);
			CHECK_OK(mppe_t_seal(&tx[m], plain, len, pkt, &pktlen));
			if (n == 4095)
				CHECK_EQ(mppe_t_hdr(pkt) & MPPE_CCOUNT_MASK, 4095);
			if (n == 4096)
				CHECK_EQ(mppe_t_hdr(pkt) & MPPE_CCOUNT_MASK, 0);
			/* stateless loses 4090..4100, across the wrap */
			if (m == 0 && n >= 4090 && n <= 4100)
				continue;
			CHECK_OK(mppe_t_open(&rx[m], pkt, pktlen, out, &outlen));
			CHECK_MEM(out, plain, len);
		}
	}
	CHECK_EQ(rx[0].ccount, 4199 % 4096);
	CHECK_EQ(rx[0].rekeys, 4200);
	CHECK_EQ(rx[1].rekeys, 4200 / 256);
	for (m = 0; m < 2; m++) {
		mppe_dir_fini(&tx[m]);
		mppe_dir_fini(&rx[m]);
	}
}

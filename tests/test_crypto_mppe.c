/*
 * test_crypto_mppe.c - the MPPE transform, RFC 3078 sections 3 and 7: a
 * known answer cross-checked step by step with nettle, round trips in all
 * six modes, in-place use, a numbered table of the stateless accept/drop
 * decision (section 8.1), the rekey bound, refusals and bit flips.
 * Loss, resets, reordering and the wrap: test_crypto_mppe_sync.c.
 */
#include <nettle/arcfour.h>
#include <nettle/sha1.h>

#include "t.h"
#include "mppe_t.h"
#include "../src/base/sbuf.h"
#include "../src/crypto/mppe.h"


static const uint8_t kat_plain[] = "\x00\x21pptpkit MPPE-128 stateless packet 0";
#define KAT_LEN		(sizeof(kat_plain) - 1)


/* --- (g) known answer, cross-checked with nettle step by step --- */

TEST(mppe_kat_128_stateless_packet0)
{
	static const uint8_t SHApad1[40];
	uint8_t SHApad2[40], start[16], sess[16], interim[20], want[64];
	uint8_t pkt[PKT_MAX], out[PKT_MAX];
	struct arcfour_ctx a;
	struct sha1_ctx s;
	struct mppe_dir tx, rx;
	size_t pktlen, outlen;

	mppe_t_server_send_key(128, start);
	memset(SHApad2, 0xf2, sizeof(SHApad2));
	/* initial session key: SHA1(start, pad1, start, pad2), no RC4 */
	sha1_init(&s);
	sha1_update(&s, 16, start);
	sha1_update(&s, 40, SHApad1);
	sha1_update(&s, 16, start);
	sha1_update(&s, 40, SHApad2);
	sha1_digest(&s, 20, interim);
	memcpy(sess, interim, 16);
	/* stateless: one key change before packet 0 */
	sha1_init(&s);
	sha1_update(&s, 16, start);
	sha1_update(&s, 40, SHApad1);
	sha1_update(&s, 16, sess);
	sha1_update(&s, 40, SHApad2);
	sha1_digest(&s, 20, interim);
	arcfour_set_key(&a, 16, interim);
	arcfour_crypt(&a, 16, sess, interim);
	arcfour_set_key(&a, 16, sess);
	want[0] = 0x90;			/* FLUSHED | ENCRYPTED, ccount 0 */
	want[1] = 0x00;
	arcfour_crypt(&a, KAT_LEN, want + 2, kat_plain);

	CHECK_OK(mppe_dir_init(&tx, start, 128, true));
	CHECK_OK(mppe_t_seal(&tx, kat_plain, KAT_LEN, pkt, &pktlen));
	CHECK_EQ(pktlen, KAT_LEN + 2);
	CHECK_MEM(pkt, want, pktlen);
	/* and the value an independent Python implementation gives */
	CHECK_EQ(t_unhex("9000 7058265b941f33d3a746c4752f11b88b5bc818a03194c05"
	    "16140ee21f7f32b2e3988ebf2f2", want, sizeof(want)), (int)KAT_LEN + 2);
	CHECK_MEM(pkt, want, pktlen);

	CHECK_OK(mppe_dir_init(&rx, start, 128, true));
	CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
	CHECK_EQ(outlen, KAT_LEN);
	CHECK_MEM(out, kat_plain, KAT_LEN);
	CHECK_EQ(tx.rekeys, 1);
	CHECK_EQ(rx.rekeys, 1);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_kat_stateful_and_40bit_packet0)
{
	uint8_t start[16], pkt[PKT_MAX], want[64];
	struct mppe_dir tx;
	size_t pktlen;

	/* stateful 128: packet 0 uses the initial key, no FLUSHED */
	mppe_t_server_send_key(128, start);
	CHECK_OK(mppe_dir_init(&tx, start, 128, false));
	CHECK_OK(mppe_t_seal(&tx, kat_plain, KAT_LEN, pkt, &pktlen));
	CHECK_EQ(t_unhex("1000 f5c080138b758a7875ba708bcf87cf89ed5310c979473b0"
	    "7d9e69abf5ddce6357ef835aea4", want, sizeof(want)), (int)KAT_LEN + 2);
	CHECK_MEM(pkt, want, pktlen);
	CHECK_EQ(tx.rekeys, 0);
	mppe_dir_fini(&tx);
	/* stateless 40: salted keys */
	mppe_t_server_send_key(40, start);
	CHECK_OK(mppe_dir_init(&tx, start, 40, true));
	CHECK_OK(mppe_t_seal(&tx, kat_plain, KAT_LEN, pkt, &pktlen));
	CHECK_EQ(t_unhex("9000 9edca116e09e2be6437e901504cd3c7425db2563a593202"
	    "e4dbbb3aa18de1df8cbd4da04e2", want, sizeof(want)), (int)KAT_LEN + 2);
	CHECK_MEM(pkt, want, pktlen);
	CHECK_MEM(tx.session_key, "\xd1\x26\x9e\xce\x4d\x98\xd1\x81", 8);
	mppe_dir_fini(&tx);
}

/* --- (b) round trips --- */

static void
round_trip(unsigned bits, bool stateless, unsigned npkts)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, outlen;
	unsigned n, bad = 0, flushed = 0, want_flushed = 0;

	mppe_t_server_send_key(bits, key);
	CHECK_OK(mppe_dir_init(&tx, key, bits, stateless));
	CHECK_OK(mppe_dir_init(&rx, key, bits, stateless));
	for (n = 0; n < npkts; n++) {
		uint16_t h;

		len = mppe_t_plain(n, plain);
		if (mppe_t_seal(&tx, plain, len, pkt, &pktlen) != 0 ||
		    pktlen != len + 2) {
			bad++;
			continue;
		}
		h = mppe_t_hdr(pkt);
		if ((h & MPPE_CCOUNT_MASK) != n % 4096 ||
		    !(h & MPPE_BIT_ENCRYPTED) || (h & 0x6000))
			bad++;
		if (h & MPPE_BIT_FLUSHED)
			flushed++;
		if (stateless || (n & 0xff) == 0xff)
			want_flushed++;
		if (len > 8 && memcmp(pkt + 2, plain, len) == 0)
			bad++;			/* not encrypted */
		if (mppe_t_open(&rx, pkt, pktlen, out, &outlen) != 0 ||
		    outlen != len || memcmp(out, plain, len) != 0)
			bad++;
	}
	t_note("bits %u %s", bits, stateless ? "stateless" : "stateful");
	CHECK_EQ(bad, 0);
	CHECK_EQ(flushed, want_flushed);
	CHECK_EQ(tx.rekeys, rx.rekeys);
	CHECK_EQ(tx.rekeys, stateless ? npkts : npkts / 256);
	CHECK_EQ(rx.drops, 0);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

TEST(mppe_round_trip_all_six_modes_10000_packets)
{
	round_trip(40, true, 10000);
	round_trip(56, true, 10000);
	round_trip(128, true, 10000);
	round_trip(40, false, 10000);
	round_trip(56, false, 10000);
	round_trip(128, false, 10000);
}

TEST(mppe_in_place_both_ways)
{
	uint8_t key[16], buf[PKT_MAX], plain[PKT_MAX];
	struct mppe_dir tx, rx;
	struct wr w;
	struct rd r;
	size_t len, outlen;
	unsigned n;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	CHECK_OK(mppe_dir_init(&rx, key, 128, true));
	for (n = 0; n < 50; n++) {
		/* plaintext already where the ciphertext goes */
		len = mppe_t_plain(n, plain);
		memcpy(buf + 2, plain, len);
		wr_init(&w, buf, sizeof(buf));
		CHECK_OK(mppe_encrypt(&tx, buf + 2, len, &w));
		CHECK_EQ(wr_len(&w), len + 2);
		rd_init(&r, buf, len + 2);
		if (n & 1) {	/* onto the header: drops it as it goes */
			CHECK_OK(mppe_decrypt(&rx, &r, buf, sizeof(buf),
			    &outlen));
			CHECK_MEM(buf, plain, len);
		} else {	/* exactly in place */
			CHECK_OK(mppe_decrypt(&rx, &r, buf + 2, sizeof(buf),
			    &outlen));
			CHECK_MEM(buf + 2, plain, len);
		}
		CHECK_EQ(outlen, len);
		CHECK_EQ(rd_left(&r), 0);
	}
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

/* --- (f) the stateless receiver's decision, as a numbered table --- */

TEST(mppe_ccount_judge_table)
{
	static const struct {
		uint16_t	last, ccount;
		unsigned	max_gap;
		int		ret;
		unsigned	rekeys;
	} t[] = {
		/*  1 */ { 4095, 0, 1024, 0, 1 },	/* the first packet */
		/*  2 */ { 0, 1, 1024, 0, 1 },
		/*  3 */ { 0, 2, 1024, 0, 2 },		/* one lost */
		/*  4 */ { 5, 5, 1024, ERR_STALE, 0 },	/* duplicate */
		/*  5 */ { 5, 4, 1024, ERR_STALE, 0 },	/* late by one */
		/*  6 */ { 4095, 0, 1, 0, 1 },
		/*  7 */ { 4090, 3, 1024, 0, 9 },	/* across the wrap */
		/*  8 */ { 3, 4090, 1024, ERR_STALE, 0 },	/* late, wrapped */
		/*  9 */ { 0, 1024, 1024, 0, 1024 },	/* at the bound */
		/* 10 */ { 0, 1025, 1024, ERR_TOO_FAR, 0 },
		/* 11 */ { 0, 2047, 1024, ERR_TOO_FAR, 0 },
		/* 12 */ { 0, 2047, 2047, 0, 2047 },	/* the widest bound */
		/* 13 */ { 0, 2048, 2047, ERR_STALE, 0 },	/* half: late */
		/* 14 */ { 0, 2049, 2047, ERR_STALE, 0 },
		/* 15 */ { 0, 4095, 2047, ERR_STALE, 0 },	/* -1 */
		/* 16 */ { 1000, 3048, 2047, ERR_STALE, 0 },
		/* 17 */ { 1000, 3047, 2047, 0, 2047 },
		/* 18 */ { 3000, 951, 2047, 0, 2047 },	/* ahead, wrapped */
		/* 19 */ { 3000, 952, 2047, ERR_STALE, 0 },
		/* 20 */ { 2048, 0, 2047, ERR_STALE, 0 },
		/* 21 */ { 2047, 0, 2047, ERR_STALE, 0 },
		/* 22 */ { 2049, 0, 2047, 0, 2047 },
		/* 23 */ { 100, 101, 1, 0, 1 },
		/* 24 */ { 100, 102, 1, ERR_TOO_FAR, 0 },
	};
	unsigned i, rekeys;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		t_note("case %u: last %u ccount %u", i + 1, t[i].last,
		    t[i].ccount);
		rekeys = 99;
		CHECK_ERR(mppe_ccount_judge(t[i].last, t[i].ccount,
		    t[i].max_gap, &rekeys), t[i].ret);
		CHECK_EQ(rekeys, t[i].rekeys);
	}
}

TEST(mppe_stateless_gap_bound_end_to_end)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], out[PKT_MAX];
	struct mppe_dir tx, rx;
	size_t len, pktlen, outlen;
	unsigned n;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	CHECK_OK(mppe_dir_init(&rx, key, 128, true));
	CHECK_ERR(mppe_dir_set_max_gap(&rx, 0), ERR_RANGE);
	CHECK_ERR(mppe_dir_set_max_gap(&rx, 2048), ERR_RANGE);
	CHECK_EQ(rx.max_gap, MPPE_MAX_GAP_DEFAULT);
	CHECK_OK(mppe_dir_set_max_gap(&rx, 100));
	for (n = 0; n < 102; n++) {
		len = mppe_t_plain(n, plain);
		CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
	}
	/* packet 101 after nothing: 102 key changes > 100 */
	CHECK_ERR(mppe_t_open(&rx, pkt, pktlen, out, &outlen), ERR_TOO_FAR);
	CHECK_EQ(rx.rekeys, 0);
	CHECK_OK(mppe_dir_set_max_gap(&rx, 102));
	CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
	CHECK_MEM(out, plain, len);
	CHECK_EQ(rx.rekeys, 102);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
}

/* --- refusals --- */

TEST(mppe_decrypt_refusals_leave_state_alone)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], bad[PKT_MAX];
	uint8_t out[PKT_MAX];
	struct mppe_dir tx, rx, sf;
	size_t len, pktlen, outlen;
	struct rd r;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	CHECK_OK(mppe_dir_init(&rx, key, 128, true));
	CHECK_OK(mppe_dir_init(&sf, key, 128, false));
	len = mppe_t_plain(3, plain) % 60 + 1;
	CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));

	CHECK_ERR(mppe_t_open(&rx, pkt, 0, out, &outlen), ERR_TRUNCATED);
	CHECK_ERR(mppe_t_open(&rx, pkt, 1, out, &outlen), ERR_TRUNCATED);
	CHECK_ERR(mppe_t_open(&rx, pkt, 2, out, &outlen), ERR_TRUNCATED);
	rd_init(&r, pkt, pktlen);
	CHECK_ERR(mppe_decrypt(&rx, &r, out, len - 1, &outlen), ERR_NOSPACE);
	CHECK_EQ(rd_offset(&r), 0);
	memcpy(bad, pkt, pktlen);
	bad[0] &= (uint8_t)~0x10;		/* D clear */
	CHECK_ERR(mppe_t_open(&rx, bad, pktlen, out, &outlen), ERR_FORMAT);
	bad[0] = pkt[0] | 0x40;			/* MPPC B */
	CHECK_ERR(mppe_t_open(&rx, bad, pktlen, out, &outlen), ERR_FLAGS);
	bad[0] = pkt[0] | 0x20;			/* MPPC C */
	CHECK_ERR(mppe_t_open(&rx, bad, pktlen, out, &outlen), ERR_FLAGS);
	bad[0] = pkt[0] & 0x7f;			/* stateless, no FLUSHED */
	CHECK_ERR(mppe_t_open(&rx, bad, pktlen, out, &outlen), ERR_FLAGS);
	/* stateful flag packet without FLUSHED */
	bad[0] = 0x10;
	bad[1] = 0xff;
	CHECK_ERR(mppe_t_open(&sf, bad, pktlen, out, &outlen), ERR_FLAGS);
	CHECK_EQ(rx.drops, 7);
	CHECK_EQ(rx.rekeys, 0);
	CHECK_EQ(rx.ccount, 4095);
	/* after all that the real packet still decrypts */
	CHECK_OK(mppe_t_open(&rx, pkt, pktlen, out, &outlen));
	CHECK_MEM(out, plain, len);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
	mppe_dir_fini(&sf);
}

TEST(mppe_encrypt_refusals_leave_state_alone)
{
	uint8_t key[16], plain[100] = { 0, 0x21 }, buf[PKT_MAX];
	struct mppe_dir tx;
	struct wr w;

	mppe_t_server_send_key(128, key);
	CHECK_ERR(mppe_dir_init(&tx, key, 64, true), ERR_INVAL);
	CHECK_ERR(mppe_encrypt(&tx, plain, 10, &w), ERR_STATE);
	CHECK_OK(mppe_dir_init(&tx, key, 128, true));
	wr_init(&w, buf, 11);
	CHECK_ERR(mppe_encrypt(&tx, plain, 10, &w), ERR_NOSPACE);
	CHECK_ERR(wr_error(&w), ERR_NOSPACE);		/* sticky */
	CHECK_EQ(wr_len(&w), 0);
	CHECK_EQ(tx.ccount, 4095);
	CHECK_EQ(tx.rekeys, 0);
	wr_init(&w, buf, 1);
	CHECK_ERR(mppe_encrypt(&tx, plain, 1, &w), ERR_NOSPACE);
	wr_init(&w, buf, 12);
	CHECK_ERR(mppe_encrypt(&tx, plain, 0, &w), ERR_INVAL);
	CHECK_OK(mppe_encrypt(&tx, plain, 10, &w));
	CHECK_EQ(wr_len(&w), 12);
	CHECK_EQ(tx.ccount, 0);
	mppe_dir_fini(&tx);
}

TEST(mppe_bit_flips_never_crash)
{
	uint8_t key[16], plain[PKT_MAX], pkt[PKT_MAX], bad[PKT_MAX];
	uint8_t out[PKT_MAX];
	struct mppe_dir tx, rx[2];
	size_t len, pktlen, outlen, bit;
	unsigned n, m;

	mppe_t_server_send_key(56, key);
	CHECK_OK(mppe_dir_init(&tx, key, 56, true));
	for (m = 0; m < 2; m++)
		CHECK_OK(mppe_dir_init(&rx[m], key, 56, m == 0));
	len = mppe_t_plain(7, plain) % 40 + 1;
	CHECK_OK(mppe_t_seal(&tx, plain, len, pkt, &pktlen));
	for (n = 0; n < 2; n++) {
		for (bit = 0; bit < pktlen * 8; bit++) {
			for (m = 0; m < 2; m++) {
				uint32_t before = rx[m].rekeys;
				int ret;

				memcpy(bad, pkt, pktlen);
				bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				ret = mppe_t_open(&rx[m], bad, pktlen - n, out,
				    &outlen);
				CHECK(ret == 0 || ret == ERR_STALE ||
				    ret == ERR_TOO_FAR || ret == ERR_FLAGS ||
				    ret == ERR_FORMAT || ret == ERR_NOKEY ||
				    ret == ERR_TRUNCATED);
				/* bounded work per packet */
				CHECK(rx[m].rekeys - before <=
				    MPPE_MAX_GAP_DEFAULT);
			}
		}
	}
	mppe_dir_fini(&tx);
	for (m = 0; m < 2; m++)
		mppe_dir_fini(&rx[m]);
}

TEST(mppe_fini_wipes_and_print_shows_no_key)
{
	static const uint8_t zero[sizeof(struct mppe_dir)];
	uint8_t key[16];
	struct mppe_dir d;
	char text[128];
	struct sbuf sb;

	mppe_t_server_send_key(128, key);
	CHECK_OK(mppe_dir_init(&d, key, 128, false));
	sbuf_init(&sb, text, sizeof(text));
	mppe_dir_print(&d, &sb);
	CHECK_STR(sbuf_str(&sb), "mppe 128-bit stateful ccount=4095 rekeys=0 "
	    "drops=0");
	mppe_dir_fini(&d);
	CHECK_MEM(&d, zero, sizeof(d));
}

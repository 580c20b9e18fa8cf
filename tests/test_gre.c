/*
 * test_gre.c - the enhanced GRE header of RFC 2637 section 4.1: scapy's and
 * Suricata's known-answer packets, the ack-only form, one distinct error
 * per violation (version, each forbidden bit, protocol, key, lengths),
 * round trips of all four S/A combinations, every truncation, every
 * single-bit flip, the printer and the wrap-safe sequence comparisons.
 */
#include <stdio.h>

#include "t.h"
#include "../src/wire/gre.h"
#include "../src/wire/ppp_frame.h"

/* secdev/scapy test/scapy/layers/pptp.uts: full IPv4 packets; the GRE
 * header starts at byte 20.  LCP Configure-Request (flags 3001) and LCP
 * Echo-Request with sequence and acknowledgment (flags 3081). */
#define V_SCAPY_CONFREQ "4500003c18324000402f0e5a0a0000020a000006" \
	"3001880b001c9bf500000000" \
	"ff03c021010100180206000000000304c2270506fbb8831007020802"
#define V_SCAPY_ECHO "4500003600010000402ff944c0a80001c0a80002" \
	"3081880b001200000000002f0000002a" \
	"ff03c021092a000e00001092616263646566"
/* OISF/suricata src/decode-gre.c DecodeGREtest03's GRE header and PPP
 * header; the 74-octet inner IPv4/UDP DNS query is built here. */
#define V_SURICATA_HDR	"3001880b004e000000184a50" "ff030021"
#define V_SURICATA_BAD	"30010b00004e000000184a50" "ff030021"
#define V_INNER_DNS	"4500004a1c3e000080110000c0a80002c0a80001" \
	"0411003500360000" \
	"00010100000100000000000010707074706b69742d746573746e616d65" \
	"076578616d706c6503636f6d0000010001"
#define V_ACK_ONLY	"2081880b00001234aaaaaaaa"

#define IPV4_HDR_LEN	20

static uint8_t pkt[256];
static size_t pktlen;

/* Loads hex into pkt, dropping the first `skip` octets. */
static void
load(const char *hex, size_t skip)
{
	uint8_t tmp[256];
	int n = t_unhex(hex, tmp, sizeof(tmp));

	CHECK(n >= (int)skip);
	if (n < (int)skip)
		n = (int)skip;
	pktlen = (size_t)n - skip;
	memcpy(pkt, tmp + skip, pktlen);
}

static void
load_suricata(const char *hdr)
{
	char hex[512];

	snprintf(hex, sizeof(hex), "%s%s", hdr, V_INNER_DNS);
	load(hex, 0);
	CHECK_EQ(pktlen, 12 + 78);
}

static int
decode(const uint8_t *buf, size_t len, struct gre_hdr *h, struct rd *payload)
{
	struct rd r;
	int ret;

	rd_init(&r, buf, len);
	ret = gre_decode(&r, h, payload);
	if (ret == 0)
		CHECK_EQ(rd_left(&r), 0);
	return ret;
}

static const char *
print(const struct gre_hdr *h)
{
	static char text[128];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	gre_print(h, &sb);
	return sbuf_str(&sb);
}

TEST(gre_scapy_lcp_confreq)
{
	struct gre_hdr h;
	struct ppp_frame f;
	struct rd payload, info;

	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	CHECK(h.has_seq);
	CHECK(!h.has_ack);
	CHECK_EQ(h.payload_len, 28);
	CHECK_EQ(h.call_id, 39925);
	CHECK_EQ(h.seq, 0);
	CHECK_EQ(h.trailing, 0);
	CHECK_EQ(gre_hdr_len(&h), 12);
	CHECK_EQ(rd_left(&payload), 28);
	CHECK(rd_cur(&payload) == pkt + 12);
	CHECK_STR(print(&h), "GRE call=39925 len=28 seq=0");

	CHECK_OK(ppp_frame_decode(&payload, &f, &info));
	CHECK(f.acf);
	CHECK(!f.pfc);
	CHECK_EQ(f.proto, PPP_LCP);
	CHECK_EQ(rd_left(&info), 24);
}

TEST(gre_scapy_echo_seq_ack)
{
	struct gre_hdr h;
	struct rd payload;

	load(V_SCAPY_ECHO, IPV4_HDR_LEN);
	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	CHECK(h.has_seq);
	CHECK(h.has_ack);
	CHECK_EQ(h.payload_len, 18);
	CHECK_EQ(h.call_id, 0);
	CHECK_EQ(h.seq, 47);
	CHECK_EQ(h.ack, 42);
	CHECK_EQ(gre_hdr_len(&h), 16);
	CHECK_EQ(rd_left(&payload), 18);
	CHECK_STR(print(&h), "GRE call=0 len=18 seq=47 ack=42");
}

TEST(gre_suricata_test03_and_wrong_protocol)
{
	struct gre_hdr h;
	struct ppp_frame f;
	struct rd payload, info;
	uint8_t b;

	load_suricata(V_SURICATA_HDR);
	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	CHECK(h.has_seq);
	CHECK(!h.has_ack);
	CHECK_EQ(h.payload_len, 78);
	CHECK_EQ(h.call_id, 0);
	CHECK_EQ(h.seq, 0x00184a50);
	CHECK_OK(ppp_frame_decode(&payload, &f, &info));
	CHECK_EQ(f.proto, PPP_IP);
	CHECK(f.acf && !f.pfc);
	CHECK_EQ(rd_left(&info), 74);
	CHECK_OK(rd_u8(&info, &b));
	CHECK_EQ(b, 0x45);

	load_suricata(V_SURICATA_BAD);
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_PROTO);
}

TEST(gre_ack_only)
{
	struct gre_hdr h;
	struct rd payload;

	load(V_ACK_ONLY, 0);
	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	CHECK(!h.has_seq);
	CHECK(h.has_ack);
	CHECK_EQ(h.payload_len, 0);
	CHECK_EQ(h.call_id, 0x1234);
	CHECK_EQ(h.ack, 0xaaaaaaaa);
	CHECK_EQ(gre_hdr_len(&h), 12);
	CHECK_EQ(rd_left(&payload), 0);
	CHECK_STR(print(&h), "GRE call=4660 ack-only ack=2863311530");

	/* An ack-only packet must not claim a payload. */
	pkt[5] = 0x01;
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_LENGTH);
}

TEST(gre_version_is_checked_first)
{
	struct gre_hdr h;
	struct rd payload;
	unsigned v;

	/* Plain GRE (version 0) with a key, carrying IPv4: not PPTP. */
	load("2000080000001234" "45000014", 0);
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_VERSION);
	/* A PPTP-looking header with version 0 (the A bit must not decide). */
	load("3080880b00001234" "00000001" "00000002", 0);
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_VERSION);
	for (v = 0; v < 8; v++) {
		load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
		pkt[1] = (uint8_t)((pkt[1] & ~GRE_VER_MASK) | v);
		if (v == GRE_VERSION_PPTP)
			CHECK_OK(decode(pkt, pktlen, &h, &payload));
		else
			CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_VERSION);
	}
	/* Two octets are enough to reject a wrong version. */
	CHECK_ERR(decode((const uint8_t *)"\x30\x00", 2, &h, &payload),
	    ERR_VERSION);
	/* ... but a forbidden flag with version 0 still reports the version. */
	CHECK_ERR(decode((const uint8_t *)"\xb0\x00\x88\x0b", 4, &h, &payload),
	    ERR_VERSION);
}

TEST(gre_each_forbidden_bit)
{
	static const struct { int byte; uint8_t bit; } forbidden[] = {
		{ 0, GRE_BIT_C }, { 0, GRE_BIT_R }, { 0, GRE_BIT_SSR },
		{ 0, 0x04 }, { 0, 0x02 }, { 0, 0x01 },		/* Recur */
		{ 1, 0x40 }, { 1, 0x20 }, { 1, 0x10 }, { 1, 0x08 }, /* Flags */
	};
	struct gre_hdr h;
	struct rd payload;
	size_t i;

	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
		load(V_SCAPY_ECHO, IPV4_HDR_LEN);
		pkt[forbidden[i].byte] |= forbidden[i].bit;
		t_note("byte %d bit 0x%02x", forbidden[i].byte, forbidden[i].bit);
		CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_FLAGS);
	}
}

TEST(gre_protocol_and_key)
{
	struct gre_hdr h;
	struct rd payload;

	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	pkt[2] = 0x08;
	pkt[3] = 0x00;				/* IPv4 over GRE */
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_PROTO);

	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	pkt[0] &= (uint8_t)~GRE_BIT_K;
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_NO_KEY);
}

TEST(gre_payload_length_rules)
{
	struct gre_hdr h;
	struct rd payload;
	uint8_t padded[256];

	/* payload_len one past the end */
	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	pkt[5] = 29;
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_LENGTH);
	pkt[4] = 0xff;
	pkt[5] = 0xff;
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_LENGTH);

	/* a shorter payload_len: the rest is padding, skipped and counted */
	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	pkt[5] = 20;
	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	CHECK_EQ(rd_left(&payload), 20);
	CHECK_EQ(h.trailing, 8);
	CHECK_STR(print(&h), "GRE call=39925 len=20 seq=0 trailing=8");

	/* link padding after an intact packet */
	load(V_SCAPY_ECHO, IPV4_HDR_LEN);
	memcpy(padded, pkt, pktlen);
	memset(padded + pktlen, 0, 6);
	CHECK_OK(decode(padded, pktlen + 6, &h, &payload));
	CHECK_EQ(h.payload_len, 18);
	CHECK_EQ(rd_left(&payload), 18);
	CHECK_EQ(h.trailing, 6);

	/* a data packet (S=1) must have a payload */
	load("3001880b00000007" "00000001", 0);
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_LENGTH);
	load("3081880b00000007" "00000001" "00000000" "ff03c021", 0);
	CHECK_ERR(decode(pkt, pktlen, &h, &payload), ERR_LENGTH);
}

TEST(gre_neither_seq_nor_ack)
{
	struct gre_hdr h;
	struct rd payload;

	load("2001880b00000007", 0);
	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	CHECK(!h.has_seq && !h.has_ack);
	CHECK_EQ(h.call_id, 7);
	CHECK_EQ(gre_hdr_len(&h), 8);
	CHECK_STR(print(&h), "GRE call=7 empty");
}

TEST(gre_round_trip_all_sa_combinations)
{
	static const struct {
		bool s, a;
		size_t len;
		const char *hex;
	} cases[] = {
		{ false, false, 8, "2001880b0000beef" },
		{ false, true, 12, "2081880b0000beef" "fffffffe" },
		{ true, false, 12, "3001880b0005beef" "80000001" },
		{ true, true, 16, "3081880b0005beef" "80000001" "fffffffe" },
	};
	static const uint8_t data[5] = { 0xff, 0x03, 0x00, 0x21, 0x45 };
	uint8_t buf[64], want[32];
	struct gre_hdr h, d;
	struct rd payload;
	struct wr w;
	size_t i;

	for (i = 0; i < 4; i++) {
		memset(&h, 0, sizeof(h));
		h.has_seq = cases[i].s;
		h.has_ack = cases[i].a;
		h.payload_len = h.has_seq ? sizeof(data) : 0;
		h.call_id = 0xbeef;
		h.seq = h.has_seq ? 0x80000001 : 0;
		h.ack = h.has_ack ? 0xfffffffe : 0;
		h.trailing = 99;		/* ignored by the encoder */
		t_note("case %zu", i);
		CHECK_EQ(gre_hdr_len(&h), cases[i].len);
		CHECK_EQ(t_unhex(cases[i].hex, want, sizeof(want)),
		    (int)cases[i].len);

		wr_init(&w, buf, sizeof(buf));
		CHECK_OK(gre_encode(&w, &h));
		CHECK_EQ(wr_len(&w), cases[i].len);
		CHECK_MEM(buf, want, cases[i].len);
		wr_bytes(&w, data, h.payload_len);
		CHECK_OK(wr_error(&w));

		CHECK_OK(decode(buf, wr_len(&w), &d, &payload));
		CHECK_EQ(d.has_seq, h.has_seq);
		CHECK_EQ(d.has_ack, h.has_ack);
		CHECK_EQ(d.payload_len, h.payload_len);
		CHECK_EQ(d.call_id, h.call_id);
		CHECK_EQ(d.seq, h.seq);
		CHECK_EQ(d.ack, h.ack);
		CHECK_EQ(d.trailing, 0);
		CHECK_EQ(rd_left(&payload), h.payload_len);
		if (h.payload_len != 0)
			CHECK_MEM(rd_cur(&payload), data, h.payload_len);

		/* no room: every shorter writer fails, sticky */
		wr_init(&w, buf, cases[i].len - 1);
		CHECK_ERR(gre_encode(&w, &h), ERR_NOSPACE);
	}
}

TEST(gre_encode_refuses_inconsistent_headers)
{
	uint8_t buf[32];
	struct gre_hdr h;
	struct wr w;

	memset(&h, 0, sizeof(h));
	h.has_seq = true;			/* data packet without data */
	wr_init(&w, buf, sizeof(buf));
	CHECK_ERR(gre_encode(&w, &h), ERR_LENGTH);
	CHECK_EQ(wr_len(&w), 0);

	h.has_seq = false;			/* ack-only with a payload */
	h.has_ack = true;
	h.payload_len = 4;
	CHECK_ERR(gre_encode(&w, &h), ERR_LENGTH);
	CHECK_EQ(wr_len(&w), 0);
}

/* Every prefix of a valid packet: ERR_TRUNCATED inside the header,
 * ERR_LENGTH inside the payload. */
static void
check_truncations(void)
{
	struct gre_hdr h;
	struct rd payload;
	size_t n, hlen;

	CHECK_OK(decode(pkt, pktlen, &h, &payload));
	hlen = gre_hdr_len(&h);
	for (n = 0; n < pktlen; n++) {
		t_note("prefix %zu of %zu", n, pktlen);
		if (n < hlen)
			CHECK_ERR(decode(pkt, n, &h, &payload), ERR_TRUNCATED);
		else
			CHECK_ERR(decode(pkt, n, &h, &payload), ERR_LENGTH);
	}
}

TEST(gre_every_truncation)
{
	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	check_truncations();
	load(V_SCAPY_ECHO, IPV4_HDR_LEN);
	check_truncations();
	load_suricata(V_SURICATA_HDR);
	check_truncations();
	load(V_ACK_ONLY, 0);
	check_truncations();
	load("2001880b00000007", 0);
	check_truncations();
}

/* Every single-bit flip: an error, or a header that re-encodes to exactly
 * the flipped header octets with a payload inside the packet. */
static void
check_bit_flips(void)
{
	uint8_t m[256], out[GRE_HDR_MAX];
	struct gre_hdr h;
	struct rd payload;
	struct wr w;
	size_t i, hlen;
	int bit, ret, ok = 0, bad = 0;

	for (i = 0; i < pktlen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, pkt, pktlen);
			m[i] ^= (uint8_t)(1u << bit);
			t_note("flip byte %zu bit %d", i, bit);
			ret = decode(m, pktlen, &h, &payload);
			if (ret != 0) {
				CHECK(ret == ERR_TRUNCATED || ret == ERR_VERSION ||
				    ret == ERR_FLAGS || ret == ERR_PROTO ||
				    ret == ERR_NO_KEY || ret == ERR_LENGTH);
				bad++;
				continue;
			}
			ok++;
			hlen = gre_hdr_len(&h);
			CHECK_EQ(hlen + h.payload_len + h.trailing, pktlen);
			CHECK(rd_cur(&payload) == m + hlen);
			wr_init(&w, out, sizeof(out));
			CHECK_OK(gre_encode(&w, &h));
			CHECK_EQ(wr_len(&w), hlen);
			CHECK_MEM(out, m, hlen);
		}
	}
	CHECK(ok > 0);
	CHECK(bad > 0);
}

TEST(gre_every_bit_flip)
{
	load(V_SCAPY_CONFREQ, IPV4_HDR_LEN);
	check_bit_flips();
	load(V_SCAPY_ECHO, IPV4_HDR_LEN);
	check_bit_flips();
	load_suricata(V_SURICATA_HDR);
	check_bit_flips();
	load(V_ACK_ONLY, 0);
	check_bit_flips();
}

TEST(gre_seq_compare_across_wrap)
{
	static const struct { uint32_t a, b; bool after; } cases[] = {
		{ 1, 0, true },
		{ 0, 1, false },
		{ 0, 0xffffffff, true },		/* wrapped forward */
		{ 0xffffffff, 0, false },
		{ 5, 0xfffffffb, true },		/* 10 past the wrap */
		{ 0xfffffffb, 5, false },
		{ 0x7fffffff, 0, true },		/* the farthest "after" */
		{ 0x80000000, 0, false },		/* 2^31: counts as before */
		{ 0x80000001, 0x00000001, false },
		{ 0x12345678, 0x12345677, true },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t_note("case %zu: %08lx vs %08lx", i, (unsigned long)cases[i].a,
		    (unsigned long)cases[i].b);
		CHECK_EQ(gre_seq_after(cases[i].a, cases[i].b), cases[i].after);
		CHECK_EQ(gre_seq_before(cases[i].a, cases[i].b), !cases[i].after);
		if (cases[i].a - cases[i].b != 0x80000000u) {
			CHECK_EQ(gre_seq_before(cases[i].b, cases[i].a),
			    cases[i].after);
			CHECK_EQ(gre_seq_after(cases[i].b, cases[i].a),
			    !cases[i].after);
		}
	}
	CHECK(!gre_seq_after(0, 0));
	CHECK(!gre_seq_before(0, 0));
	CHECK(!gre_seq_after(0xffffffff, 0xffffffff));
	CHECK(!gre_seq_before(0xffffffff, 0xffffffff));
}

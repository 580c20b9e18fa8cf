/*
 * test_ppp_frame.c - the PPP frame header (RFC 1662 3.1 Address/Control,
 * RFC 1661 2 Protocol, 6.5 PFC, 6.6 ACFC): the four forms of an IPv4
 * frame both ways, LCP never compressed on send, Protocol number rules,
 * FF without 03, truncations, single-bit flips, round trips, names and
 * the printer.
 */
#include "t.h"
#include "../src/wire/ppp_frame.h"

/* The PPP frame of scapy's LCP Configure-Request (test/scapy/layers/
 * pptp.uts), i.e. its GRE payload. */
#define V_LCP_CONFREQ "ff03c021010100180206000000000304c2270506fbb8831007020802"

static uint8_t frame[128];
static size_t framelen;

static void
load(const char *hex)
{
	int n = t_unhex(hex, frame, sizeof(frame));

	CHECK(n >= 0);
	framelen = n < 0 ? 0 : (size_t)n;
}

static int
decode(const uint8_t *buf, size_t len, struct ppp_frame *f, struct rd *info)
{
	struct rd r;
	int ret;

	rd_init(&r, buf, len);
	ret = ppp_frame_decode(&r, f, info);
	if (ret == 0 || ret == ERR_PROTO)
		CHECK_EQ(rd_left(&r), 0);
	return ret;
}

static const char *
print(const struct ppp_frame *f)
{
	static char text[128];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	ppp_frame_print(f, &sb);
	return sbuf_str(&sb);
}

TEST(ppp_frame_decode_four_ipv4_forms)
{
	static const struct {
		const char *hex;
		bool acf, pfc;
	} forms[] = {
		{ "ff030021" "4500", true, false },
		{ "ff0321" "4500", true, true },
		{ "0021" "4500", false, false },
		{ "21" "4500", false, true },
	};
	struct ppp_frame f;
	struct rd info;
	size_t i;

	for (i = 0; i < 4; i++) {
		t_note("form %zu", i);
		load(forms[i].hex);
		CHECK_OK(decode(frame, framelen, &f, &info));
		CHECK_EQ(f.proto, PPP_IP);
		CHECK_EQ(f.acf, forms[i].acf);
		CHECK_EQ(f.pfc, forms[i].pfc);
		CHECK_EQ(rd_left(&info), 2);
		CHECK(rd_cur(&info) == frame + framelen - 2);
		CHECK_EQ(rd_cur(&info)[0], 0x45);
	}
}

TEST(ppp_frame_encode_four_ipv4_forms)
{
	static const struct {
		bool acfc, pfc;
		const char *hex;
	} forms[] = {
		{ false, false, "ff030021" },
		{ false, true, "ff0321" },
		{ true, false, "0021" },
		{ true, true, "21" },
	};
	uint8_t buf[8], want[8];
	struct wr w;
	size_t i;
	int n;

	for (i = 0; i < 4; i++) {
		t_note("form %zu", i);
		n = t_unhex(forms[i].hex, want, sizeof(want));
		wr_init(&w, buf, sizeof(buf));
		CHECK_OK(ppp_frame_encode(&w, PPP_IP, forms[i].acfc, forms[i].pfc));
		CHECK_EQ(wr_len(&w), n);
		CHECK_EQ(ppp_frame_hdr_len(PPP_IP, forms[i].acfc, forms[i].pfc),
		    n);
		CHECK_MEM(buf, want, (size_t)n);

		wr_init(&w, buf, (size_t)n - 1);
		CHECK_ERR(ppp_frame_encode(&w, PPP_IP, forms[i].acfc,
		    forms[i].pfc), ERR_NOSPACE);
	}
}

TEST(ppp_frame_lcp_is_never_compressed)
{
	static const uint8_t want[] = { 0xff, 0x03, 0xc0, 0x21 };
	uint8_t buf[8];
	struct wr w;
	int acfc, pfc;

	for (acfc = 0; acfc < 2; acfc++) {
		for (pfc = 0; pfc < 2; pfc++) {
			t_note("acfc=%d pfc=%d", acfc, pfc);
			wr_init(&w, buf, sizeof(buf));
			CHECK_OK(ppp_frame_encode(&w, PPP_LCP, acfc, pfc));
			CHECK_EQ(wr_len(&w), 4);
			CHECK_MEM(buf, want, 4);
			CHECK_EQ(ppp_frame_hdr_len(PPP_LCP, acfc, pfc), 4);
		}
	}
}

TEST(ppp_frame_pfc_only_below_0x100)
{
	static const uint8_t ipcp[] = { 0x80, 0x21 };
	uint8_t buf[8];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	CHECK_OK(ppp_frame_encode(&w, PPP_IPCP, true, true));
	CHECK_EQ(wr_len(&w), 2);
	CHECK_MEM(buf, ipcp, 2);
	CHECK_EQ(ppp_frame_hdr_len(PPP_CCP, false, true), 4);
	CHECK_EQ(ppp_frame_hdr_len(PPP_COMP, false, true), 3);
	CHECK_EQ(ppp_frame_hdr_len(PPP_COMP, true, true), 1);
}

TEST(ppp_frame_lcp_received_compressed_is_accepted)
{
	struct ppp_frame f;
	struct rd info;

	/* Senders must not, receivers must accept (RFC 1661 6.6). */
	load("c0210101" "0004");
	CHECK_OK(decode(frame, framelen, &f, &info));
	CHECK(!f.acf && !f.pfc);
	CHECK_EQ(f.proto, PPP_LCP);
	CHECK_EQ(rd_left(&info), 4);
	CHECK_STR(print(&f), "PPP proto=0xc021 LCP acfc");
}

TEST(ppp_frame_invalid_protocols)
{
	struct ppp_frame f;
	struct rd info;
	uint8_t buf[8];
	struct wr w;

	/* even low octet: rejected, yet filled in for a Protocol-Reject */
	load("0020" "aabb");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_PROTO);
	CHECK_EQ(f.proto, 0x0020);
	CHECK_EQ(rd_left(&info), 2);
	load("ff03c020" "01");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_PROTO);
	CHECK_EQ(f.proto, 0xc020);
	CHECK(f.acf);
	/* 0x00FF is reserved, compressed or not */
	load("00ff" "03");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_PROTO);
	load("ff0300ff");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_PROTO);
	load("ff03ff03");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_PROTO);
	/* an odd first octet is a one-octet Protocol, not an odd high octet */
	load("0121");
	CHECK_OK(decode(frame, framelen, &f, &info));
	CHECK(f.pfc);
	CHECK_EQ(f.proto, 0x0001);
	CHECK_EQ(rd_left(&info), 1);

	/* the encoder refuses all of them */
	wr_init(&w, buf, sizeof(buf));
	CHECK_ERR(ppp_frame_encode(&w, 0x0121, false, false), ERR_PROTO);
	CHECK_ERR(ppp_frame_encode(&w, 0x0020, false, false), ERR_PROTO);
	CHECK_ERR(ppp_frame_encode(&w, 0x0000, true, true), ERR_PROTO);
	CHECK_ERR(ppp_frame_encode(&w, 0x00ff, true, true), ERR_PROTO);
	CHECK_ERR(ppp_frame_encode(&w, 0xc121, false, false), ERR_PROTO);
	CHECK_EQ(wr_len(&w), 0);

	CHECK(ppp_proto_valid(PPP_IP));
	CHECK(ppp_proto_valid(PPP_LCP));
	CHECK(ppp_proto_valid(0x0001));
	CHECK(ppp_proto_valid(0xfeff));
	CHECK(!ppp_proto_valid(0x00ff));
	CHECK(!ppp_proto_valid(0x0100));
	CHECK(!ppp_proto_valid(0x0121));
	CHECK(!ppp_proto_valid(0xffff));
	CHECK(!ppp_proto_valid(0x8020));
}

TEST(ppp_frame_address_without_control)
{
	struct ppp_frame f;
	struct rd info;

	load("ff000021" "45");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_FORMAT);
	load("ff21" "45");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_FORMAT);
	load("ff13c021");
	CHECK_ERR(decode(frame, framelen, &f, &info), ERR_FORMAT);
}

TEST(ppp_frame_truncations)
{
	static const char *const shorts[] = {
		"", "ff", "21", "00", "ff03", "ff0300", "ff03c0",
	};
	struct ppp_frame f;
	struct rd info;
	size_t i, n;

	for (i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++) {
		t_note("frame \"%s\"", shorts[i]);
		load(shorts[i]);
		CHECK_ERR(decode(frame, framelen, &f, &info), ERR_TRUNCATED);
	}
	/* every prefix of a real frame: too short, or a header and less info */
	load(V_LCP_CONFREQ);
	for (n = 0; n < framelen; n++) {
		t_note("prefix %zu", n);
		if (n < 4) {
			CHECK_ERR(decode(frame, n, &f, &info), ERR_TRUNCATED);
		} else {
			CHECK_OK(decode(frame, n, &f, &info));
			CHECK_EQ(rd_left(&info), n - 4);
		}
	}
	/* the shortest frames that are whole */
	load("2145");
	CHECK_OK(decode(frame, framelen, &f, &info));
	CHECK_EQ(rd_left(&info), 1);
	load("ff0321");
	CHECK_OK(decode(frame, framelen, &f, &info));
	CHECK_EQ(rd_left(&info), 0);
}

/* Every single-bit flip of the LCP frame: an error, or a header that the
 * encoder writes back the same way (LCP in full, whatever was received). */
TEST(ppp_frame_every_bit_flip)
{
	uint8_t m[128], out[PPP_FRAME_HDR_MAX];
	struct ppp_frame f;
	struct rd info;
	struct wr w;
	size_t i, hlen;
	int bit, ret, ok = 0, bad = 0;

	load(V_LCP_CONFREQ);
	for (i = 0; i < framelen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(m, frame, framelen);
			m[i] ^= (uint8_t)(1u << bit);
			t_note("flip byte %zu bit %d", i, bit);
			ret = decode(m, framelen, &f, &info);
			if (ret != 0) {
				CHECK(ret == ERR_FORMAT || ret == ERR_PROTO);
				bad++;
				continue;
			}
			ok++;
			hlen = (f.acf ? 2 : 0) + (f.pfc ? 1 : 2);
			CHECK_EQ(hlen + rd_left(&info), framelen);
			CHECK(rd_cur(&info) == m + hlen);
			wr_init(&w, out, sizeof(out));
			CHECK_OK(ppp_frame_encode(&w, f.proto, !f.acf, f.pfc));
			if (f.proto == PPP_LCP) {
				CHECK_EQ(wr_len(&w), 4);
				CHECK_MEM(out, "\xff\x03\xc0\x21", 4);
			} else {
				CHECK_EQ(wr_len(&w), hlen);
				CHECK_MEM(out, m, hlen);
			}
		}
	}
	CHECK(ok > 0);
	CHECK(bad > 0);
}

TEST(ppp_frame_round_trips)
{
	static const uint16_t protos[] = {
		PPP_IP, PPP_IPV6, PPP_COMP, PPP_MP, PPP_VJ_COMP, 0x0001, 0x00fd,
		0x00fb, PPP_IPCP, PPP_IPV6CP, PPP_CCP, PPP_LCP, PPP_PAP,
		PPP_CHAP, PPP_EAP, PPP_CBCP, PPP_BACP, 0xfeff, 0x3e01,
	};
	static const uint8_t data[3] = { 0x03, 0xff, 0x01 };
	uint8_t buf[16];
	struct ppp_frame f;
	struct rd info;
	struct wr w;
	size_t i;
	int acfc, pfc;
	bool lcp, want_pfc;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		for (acfc = 0; acfc < 2; acfc++) {
			for (pfc = 0; pfc < 2; pfc++) {
				t_note("proto 0x%04x acfc=%d pfc=%d", protos[i],
				    acfc, pfc);
				lcp = protos[i] == PPP_LCP;
				want_pfc = pfc && !lcp && protos[i] < 0x100;
				wr_init(&w, buf, sizeof(buf));
				CHECK_OK(ppp_frame_encode(&w, protos[i], acfc, pfc));
				CHECK_EQ(wr_len(&w),
				    ppp_frame_hdr_len(protos[i], acfc, pfc));
				wr_bytes(&w, data, sizeof(data));
				CHECK_OK(wr_error(&w));
				CHECK_OK(decode(buf, wr_len(&w), &f, &info));
				CHECK_EQ(f.proto, protos[i]);
				CHECK_EQ(f.acf, !acfc || lcp);
				CHECK_EQ(f.pfc, want_pfc);
				CHECK_EQ(rd_left(&info), sizeof(data));
				CHECK_MEM(rd_cur(&info), data, sizeof(data));
			}
		}
	}
}

TEST(ppp_proto_names)
{
	CHECK_STR(ppp_proto_name(PPP_LCP), "LCP");
	CHECK_STR(ppp_proto_name(PPP_IPCP), "IPCP");
	CHECK_STR(ppp_proto_name(PPP_IPV6CP), "IPV6CP");
	CHECK_STR(ppp_proto_name(PPP_CCP), "CCP");
	CHECK_STR(ppp_proto_name(PPP_PAP), "PAP");
	CHECK_STR(ppp_proto_name(PPP_CHAP), "CHAP");
	CHECK_STR(ppp_proto_name(PPP_EAP), "EAP");
	CHECK_STR(ppp_proto_name(PPP_IP), "IPv4");
	CHECK_STR(ppp_proto_name(PPP_IPV6), "IPv6");
	CHECK_STR(ppp_proto_name(PPP_COMP), "MPPE/compressed");
	CHECK_STR(ppp_proto_name(PPP_CBCP), "CBCP");
	CHECK_STR(ppp_proto_name(PPP_BACP), "BACP");
	CHECK_STR(ppp_proto_name(PPP_MP), "MP");
	CHECK_STR(ppp_proto_name(PPP_VJ_COMP), "VJ-compressed");
	CHECK_STR(ppp_proto_name(PPP_VJ_UNCOMP), "VJ-uncompressed");
	CHECK(ppp_proto_name(0x0000) == NULL);
	CHECK(ppp_proto_name(0x0023) == NULL);
	CHECK(ppp_proto_name(0xc025) == NULL);	/* LQR: not ours */
	CHECK(ppp_proto_name(0xffff) == NULL);
}

TEST(ppp_frame_printer)
{
	struct ppp_frame f = { .acf = true, .pfc = false, .proto = PPP_LCP };

	CHECK_STR(print(&f), "PPP proto=0xc021 LCP");
	f = (struct ppp_frame){ .acf = false, .pfc = true, .proto = PPP_IP };
	CHECK_STR(print(&f), "PPP proto=0x0021 IPv4 acfc pfc");
	f = (struct ppp_frame){ .acf = true, .pfc = false, .proto = 0x0023 };
	CHECK_STR(print(&f), "PPP proto=0x0023");
	f = (struct ppp_frame){ .acf = true, .pfc = true, .proto = PPP_COMP };
	CHECK_STR(print(&f), "PPP proto=0x00fd MPPE/compressed pfc");
}

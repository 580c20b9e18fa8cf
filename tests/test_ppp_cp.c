/*
 * test_ppp_cp.c - PPP control-protocol packets (RFC 1661 5, 6; RFC 1570):
 * the header with its Length rules and padding, back-patched encoding, the
 * option walk (Length 0, 1, past the end), the LCP packets without options
 * (scapy's Echo-Request, Protocol-Reject, Code-Reject, Identification,
 * Time-Remaining) both ways, MRU truncation of Echo-Reply, Protocol-Reject
 * and Code-Reject, code names, the packet printer, and every truncation
 * and single-bit flip of the vectors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "t.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"

/* scapy test/scapy/layers/pptp.uts: the LCP packets inside its GRE
 * vectors, after ff03 c021. */
#define V_SCAPY_CONFREQ	"010100180206000000000304c2270506fbb8831007020802"
#define V_SCAPY_ECHO	"092a000e00001092616263646566"
/* Windows RRAS Configure-Request (landscape 3.6). */
#define V_RRAS_CONFREQ	"01010039" "01040578" "0305c22381" "05060f3f117c" \
	"0702" "0802" "0d0306" "1104064e" \
	"131701" "4a5b6c7d8e9fa0b1c2d3e4f506172839" "00000005" "17040001"
/* Windows client to pptpd: no MRU (landscape 3.6). */
#define V_WINCLI_CONFREQ "0102002c" "05062d1e0f4c" "0702" "0802" "0d0306" \
	"1104064e" "131701" "00112233445566778899aabbccddeeff01020304"
#define V_IPCP_WIN	"01050022" "030600000000" "810600000000" \
	"820600000000" "830600000000" "840600000000"
#define V_CCP_MPPE	"0101000a" "1206010000e0"
#define V_CCP_ZERO	"0302000a" "120600000000"
#define V_IPV6CP	"0101000e" "010a0123456789abcdef"
#define V_LCP_IDENT	"0c030012" "0f3f117c" "4d5352415356352e3230"
#define V_LCP_TIMEREM	"0d04000f" "0f3f117c" "00000e10" "627965"
#define V_LCP_PROTREJ	"08070010" "8057" "01010123456789abcdef"
#define V_LCP_CODEREJ	"0708000a" "2a0100060102"
#define V_LCP_TERMREQ	"05090010" "557365722072657175657374"
#define V_CCP_RESETREQ	"0e0b0004"

static const struct vec {
	const char	*name;
	uint16_t	 proto;
	const char	*hex;
	const char	*text;		/* what ppp_cp_print() must say */
} vecs[] = {
	{ "scapy confreq", PPP_LCP, V_SCAPY_CONFREQ,
	  "LCP ConfReq id=1 len=24 <asyncmap 0x00000000> <auth eap> "
	  "<magic 0xfbb88310> <pcomp> <accomp>" },
	{ "scapy echo", PPP_LCP, V_SCAPY_ECHO,
	  "LCP EchoReq id=42 len=14 magic=0x00001092 data=\"abcdef\"" },
	{ "rras confreq", PPP_LCP, V_RRAS_CONFREQ,
	  "LCP ConfReq id=1 len=57 <mru 1400> <auth chap MS-v2> "
	  "<magic 0x0f3f117c> <pcomp> <accomp> <callback CBCP> <mrru 1614> "
	  "<endpoint class 1 len 20> < 17 04 00 01 >" },
	{ "windows client confreq", PPP_LCP, V_WINCLI_CONFREQ,
	  "LCP ConfReq id=2 len=44 <magic 0x2d1e0f4c> <pcomp> <accomp> "
	  "<callback CBCP> <mrru 1614> <endpoint class 1 len 20>" },
	{ "ipcp windows", PPP_IPCP, V_IPCP_WIN,
	  "IPCP ConfReq id=5 len=34 <addr 0.0.0.0> <ms-dns1 0.0.0.0> "
	  "<ms-wins 0.0.0.0> <ms-dns2 0.0.0.0> <ms-wins 0.0.0.0>" },
	{ "ccp mppe", PPP_CCP, V_CCP_MPPE,
	  "CCP ConfReq id=1 len=10 <mppe +H +M +S +L -D -C>" },
	{ "ccp zero", PPP_CCP, V_CCP_ZERO,
	  "CCP ConfNak id=2 len=10 <mppe -H -M -S -L -D -C>" },
	{ "ipv6cp", PPP_IPV6CP, V_IPV6CP,
	  "IPV6CP ConfReq id=1 len=14 <ifaceid 0123:4567:89ab:cdef>" },
	{ "ident", PPP_LCP, V_LCP_IDENT,
	  "LCP Ident id=3 len=18 magic=0x0f3f117c msg=\"MSRASV5.20\"" },
	{ "timerem", PPP_LCP, V_LCP_TIMEREM,
	  "LCP TimeRem id=4 len=15 magic=0x0f3f117c seconds=3600 "
	  "msg=\"bye\"" },
	{ "protrej", PPP_LCP, V_LCP_PROTREJ,
	  "LCP ProtRej id=7 len=16 proto=0x8057 IPV6CP "
	  "info=01010123456789abcdef" },
	{ "coderej", PPP_LCP, V_LCP_CODEREJ,
	  "LCP CodeRej id=8 len=10 rejected=code-42 rejected-id=1 "
	  "data=2a0100060102" },
	{ "termreq", PPP_LCP, V_LCP_TERMREQ,
	  "LCP TermReq id=9 len=16 reason=\"User request\"" },
	{ "resetreq", PPP_CCP, V_CCP_RESETREQ, "CCP ResetReq id=11 len=4" },
};

#define NVECS	(sizeof(vecs) / sizeof(vecs[0]))

static size_t
load(const char *hex, uint8_t *buf, size_t cap)
{
	char clean[1024];
	size_t i, j = 0;
	int n;

	/* The long vectors are split for reading; drop the spaces. */
	for (i = 0; hex[i] != '\0' && j + 1 < sizeof(clean); i++)
		if (hex[i] != ' ')
			clean[j++] = hex[i];
	clean[j] = '\0';
	n = t_unhex(clean, buf, cap);
	CHECK(n >= 0);
	return n < 0 ? 0 : (size_t)n;
}

static const char *
print(uint16_t proto, const uint8_t *pkt, size_t len)
{
	static char text[2048];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	ppp_cp_print(proto, pkt, len, &sb);
	CHECK(!sb.truncated);
	return sbuf_str(&sb);
}

/*
 * Decodes a packet the way a receiver would: header, then options (each
 * through its typed decoder, re-encoded to the same octets when valid) or
 * the LCP special layout (re-encoded to the same octets).  Returns the
 * first structural error (header, option walk, special layout), which is
 * exactly when the printer must say "(malformed: ...)".
 */
static int
walk(uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t out[2048];
	struct ppp_cp p;
	struct ppp_opt o;
	struct rd r, data, tmp;
	struct wr w;
	union {
		struct lcp_echo e;
		struct lcp_proto_rej pr;
		struct ppp_code_rej cr;
		struct lcp_ident id;
		struct lcp_time_rem tr;
	} u;
	int ret, v;

	rd_init(&r, pkt, len);
	if ((ret = ppp_cp_decode(&r, &p, &data)) != 0)
		return ret;
	CHECK_EQ(rd_left(&r), 0);
	CHECK_EQ(rd_left(&data), p.length - 4u);
	if (ppp_code_name(proto, p.code) == NULL)
		return 0;
	wr_init(&w, out, sizeof(out));
	if (ppp_code_has_opts(p.code)) {
		while ((ret = ppp_opt_next(&data, &o)) == 0) {
			wr_init(&w, out, sizeof(out));
			v = ppp_opt_validate(proto, &o, &w);
			CHECK(v == 0 || v == ERR_OPTION || v == ERR_UNSUPPORTED);
			if (v == 0) {
				CHECK_EQ(wr_len(&w), o.len);
				CHECK_MEM(out, rd_cur(&o.val) - 2, o.len);
			}
		}
		CHECK(ret == PPP_OPT_END || ret == ERR_OPTION);
		return ret == PPP_OPT_END ? 0 : ret;
	}
	tmp = data;
	ret = 0;
	if (proto == PPP_LCP && (p.code == PPP_ECHO_REQ ||
	    p.code == PPP_ECHO_REP || p.code == PPP_DISC_REQ)) {
		if ((ret = lcp_echo_decode(&data, &u.e)) == 0)
			CHECK_OK(lcp_echo_encode(&w, &u.e));
	} else if (proto == PPP_LCP && p.code == PPP_PROTO_REJ) {
		if ((ret = lcp_proto_rej_decode(&data, &u.pr)) == 0)
			CHECK_OK(lcp_proto_rej_encode(&w, &u.pr));
	} else if (proto == PPP_LCP && p.code == PPP_IDENT) {
		if ((ret = lcp_ident_decode(&data, &u.id)) == 0)
			CHECK_OK(lcp_ident_encode(&w, &u.id));
	} else if (proto == PPP_LCP && p.code == PPP_TIME_REM) {
		if ((ret = lcp_time_rem_decode(&data, &u.tr)) == 0)
			CHECK_OK(lcp_time_rem_encode(&w, &u.tr));
	} else {
		CHECK_OK(ppp_code_rej_decode(&data, &u.cr));
		CHECK_OK(ppp_code_rej_encode(&w, &u.cr));
	}
	CHECK(ret == 0 || ret == ERR_TRUNCATED);
	if (ret == 0) {
		CHECK_EQ(rd_left(&data), 0);
		CHECK_EQ(wr_len(&w), rd_left(&tmp));
		CHECK_MEM(out, rd_cur(&tmp), rd_left(&tmp));
	}
	return ret;
}

/* Decodes, prints, and checks that the printer flags exactly the packets
 * the receiver finds malformed. */
static void
walk_and_print(uint16_t proto, const uint8_t *pkt, size_t len)
{
	int ret = walk(proto, pkt, len);
	const char *text = print(proto, pkt, len);
	char want[64];

	CHECK(ret == 0 || ret == ERR_TRUNCATED || ret == ERR_LENGTH ||
	    ret == ERR_OPTION);
	if (ret == 0) {
		CHECK(strstr(text, "(malformed") == NULL);
	} else {
		snprintf(want, sizeof(want), "(malformed: %s)", err_str(ret));
		CHECK(strstr(text, want) != NULL);
		if (strstr(text, want) == NULL)
			t_note("%s", text);
	}
}

TEST(ppp_cp_vectors_decode_and_print)
{
	uint8_t pkt[256];
	size_t i, n;

	for (i = 0; i < NVECS; i++) {
		t_note("%s", vecs[i].name);
		n = load(vecs[i].hex, pkt, sizeof(pkt));
		CHECK_OK(walk(vecs[i].proto, pkt, n));
		CHECK_STR(print(vecs[i].proto, pkt, n), vecs[i].text);
	}
}

TEST(ppp_cp_header_fields_and_data)
{
	uint8_t pkt[64];
	size_t n = load(V_SCAPY_ECHO, pkt, sizeof(pkt));
	struct ppp_cp p;
	struct rd r, data;

	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_EQ(p.code, PPP_ECHO_REQ);
	CHECK_EQ(p.id, 42);
	CHECK_EQ(p.length, 14);
	CHECK_EQ(rd_left(&data), 10);
	CHECK(rd_cur(&data) == pkt + 4);
	CHECK_EQ(rd_left(&r), 0);
}

TEST(ppp_cp_length_rules)
{
	uint8_t pkt[64];
	size_t n = load(V_SCAPY_ECHO, pkt, sizeof(pkt));
	struct ppp_cp p;
	struct rd r, data;
	uint16_t bad;

	/* Fewer than 4 octets: no header at all. */
	for (size_t k = 0; k < 4; k++) {
		rd_init(&r, pkt, k);
		CHECK_ERR(ppp_cp_decode(&r, &p, &data), ERR_TRUNCATED);
	}
	/* Length below 4. */
	for (bad = 0; bad < 4; bad++) {
		pkt[2] = 0;
		pkt[3] = (uint8_t)bad;
		rd_init(&r, pkt, n);
		CHECK_ERR(ppp_cp_decode(&r, &p, &data), ERR_LENGTH);
		CHECK_EQ(p.length, bad);
	}
	/* Length past the data: the header and what arrived are kept. */
	pkt[3] = 15;
	rd_init(&r, pkt, n);
	CHECK_ERR(ppp_cp_decode(&r, &p, &data), ERR_LENGTH);
	CHECK_EQ(p.code, PPP_ECHO_REQ);
	CHECK_EQ(p.length, 15);
	CHECK_EQ(rd_left(&data), 10);
	pkt[2] = 0xff;
	rd_init(&r, pkt, n);
	CHECK_ERR(ppp_cp_decode(&r, &p, &data), ERR_LENGTH);
	/* Exactly 4: empty data. */
	pkt[2] = 0;
	pkt[3] = 4;
	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_EQ(rd_left(&data), 0);
	CHECK_EQ(rd_left(&r), 0);
	CHECK_STR(print(PPP_LCP, pkt, 3), "LCP (malformed: truncated)");
	pkt[3] = 2;
	CHECK_STR(print(PPP_LCP, pkt, n),
	    "LCP EchoReq id=42 len=2 (malformed: bad length)");
}

TEST(ppp_cp_padding_is_ignored)
{
	uint8_t pkt[128], padded[128];
	size_t n = load(V_SCAPY_CONFREQ, pkt, sizeof(pkt));
	struct ppp_cp p;
	struct rd r, data;

	memcpy(padded, pkt, n);
	memset(padded + n, 0x7e, 9);
	rd_init(&r, padded, n + 9);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_EQ(p.length, n);
	CHECK_EQ(rd_left(&data), n - 4);
	CHECK_EQ(rd_left(&r), 0);
	CHECK_OK(walk(PPP_LCP, padded, n + 9));
	CHECK_STR(print(PPP_LCP, padded, n + 9), vecs[0].text);
}

TEST(ppp_cp_encode_back_patches_length)
{
	uint8_t want[128], out[128];
	size_t n = load(V_SCAPY_CONFREQ, want, sizeof(want));
	size_t start;
	struct wr w;
	uint8_t lead[3] = { 0xff, 0x03, 0xc0 };

	/* Start mid-buffer (after a frame header) to check the offset. */
	wr_init(&w, out, sizeof(out));
	wr_bytes(&w, lead, sizeof(lead));
	CHECK_OK(ppp_cp_begin(&w, PPP_CONF_REQ, 1, &start));
	CHECK_EQ(start, 3);
	CHECK_OK(lcp_opt_accm_encode(&w, 0));
	CHECK_OK(ppp_opt_put(&w, LCP_OPT_AUTH, "\xc2\x27", 2));
	CHECK_OK(lcp_opt_magic_encode(&w, 0xfbb88310));
	CHECK_OK(lcp_opt_pfc_encode(&w));
	CHECK_OK(lcp_opt_acfc_encode(&w));
	CHECK_OK(ppp_cp_finish(&w, start));
	CHECK_EQ(wr_len(&w), n + 3);
	CHECK_MEM(out + 3, want, n);

	/* The one-call form. */
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_cp_encode(&w, PPP_CONF_REQ, 1, want + 4, n - 4));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, want, n);

	/* No room: sticky NOSPACE from begin or finish. */
	wr_init(&w, out, 3);
	CHECK_ERR(ppp_cp_begin(&w, PPP_TERM_REQ, 1, &start), ERR_NOSPACE);
	CHECK_ERR(ppp_cp_finish(&w, start), ERR_NOSPACE);
	wr_init(&w, out, 6);
	CHECK_ERR(ppp_cp_encode(&w, PPP_TERM_REQ, 1, "abc", 3), ERR_NOSPACE);
}

TEST(ppp_cp_finish_range)
{
	static uint8_t big[70000];
	size_t start;
	struct wr w;

	wr_init(&w, big, sizeof(big));
	CHECK_OK(ppp_cp_begin(&w, PPP_DISC_REQ, 1, &start));
	wr_zero(&w, 65531);
	CHECK_OK(ppp_cp_finish(&w, start));
	CHECK_EQ(big[2], 0xff);
	CHECK_EQ(big[3], 0xff);
	wr_init(&w, big, sizeof(big));
	CHECK_OK(ppp_cp_begin(&w, PPP_DISC_REQ, 1, &start));
	wr_zero(&w, 65532);
	CHECK_ERR(ppp_cp_finish(&w, start), ERR_RANGE);
	CHECK_ERR(wr_error(&w), ERR_RANGE);
}

TEST(ppp_opt_next_walks_and_ends)
{
	uint8_t pkt[128];
	size_t n = load(V_SCAPY_CONFREQ, pkt, sizeof(pkt));
	static const uint8_t types[] = { 2, 3, 5, 7, 8 };
	static const uint8_t lens[] = { 6, 4, 6, 2, 2 };
	struct ppp_opt o;
	struct rd opts;
	size_t i = 0;
	int ret;

	rd_init(&opts, pkt + 4, n - 4);
	while ((ret = ppp_opt_next(&opts, &o)) == 0) {
		CHECK(i < sizeof(types));
		if (i >= sizeof(types))
			break;
		CHECK_EQ(o.type, types[i]);
		CHECK_EQ(o.len, lens[i]);
		CHECK_EQ(rd_left(&o.val), lens[i] - 2u);
		i++;
	}
	CHECK_EQ(ret, PPP_OPT_END);
	CHECK_EQ(i, 5);
	CHECK_EQ(ppp_opt_next(&opts, &o), PPP_OPT_END);	/* stays at end */
	rd_init(&opts, NULL, 0);
	CHECK_EQ(ppp_opt_next(&opts, &o), PPP_OPT_END);
}

TEST(ppp_opt_next_rejects_bad_lengths)
{
	static const struct {
		const char *hex;
		int opts_ok;	/* good options before the bad one */
	} bad[] = {
		{ "0100", 0 },			/* Length 0: would never advance */
		{ "0101", 0 },			/* Length 1: inside its own header */
		{ "0702" "0800", 1 },
		{ "0702" "0801", 1 },
		{ "07", 0 },			/* one octet left */
		{ "0702" "05", 1 },
		{ "0506fbb883", 0 },		/* Length past the end */
		{ "0702" "0508ff" "1104064e", 1 },	/* past the end */
		{ "01ff0578", 0 },
	};
	uint8_t buf[64];
	struct ppp_opt o;
	struct rd opts;
	size_t i, n, off;
	int k, ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t_note("%s", bad[i].hex);
		n = load(bad[i].hex, buf, sizeof(buf));
		rd_init(&opts, buf, n);
		for (k = 0; (ret = ppp_opt_next(&opts, &o)) == 0; k++)
			;
		CHECK_ERR(ret, ERR_OPTION);
		CHECK_EQ(k, bad[i].opts_ok);
		off = rd_offset(&opts);
		CHECK_EQ(o.type, buf[off]);
		CHECK_EQ(rd_left(&o.val), 0);
		/* Not advanced: asking again gives the same answer. */
		CHECK_ERR(ppp_opt_next(&opts, &o), ERR_OPTION);
		CHECK_EQ(rd_offset(&opts), off);
	}
}

TEST(ppp_opt_put_limits)
{
	uint8_t val[256], out[512];
	struct wr w;

	memset(val, 0xab, sizeof(val));
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_opt_put(&w, 99, val, 253));
	CHECK_EQ(wr_len(&w), 255);
	CHECK_EQ(out[0], 99);
	CHECK_EQ(out[1], 255);
	CHECK_ERR(ppp_opt_put(&w, 99, val, 254), ERR_RANGE);
	CHECK_ERR(wr_error(&w), ERR_RANGE);		/* sticky */
	CHECK_ERR(ppp_opt_put(&w, 7, NULL, 0), ERR_RANGE);
	CHECK_EQ(wr_len(&w), 255);
	wr_init(&w, out, 3);
	CHECK_ERR(ppp_opt_put(&w, 5, val, 4), ERR_NOSPACE);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_opt_put(&w, 7, NULL, 0));
	CHECK_MEM(out, "\x07\x02", 2);
}

TEST(lcp_echo_scapy_vector)
{
	uint8_t pkt[64], out[64];
	size_t n = load(V_SCAPY_ECHO, pkt, sizeof(pkt));
	struct lcp_echo e;
	struct ppp_cp p;
	struct rd r, data;
	struct wr w;

	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_EQ(p.id, 42);
	CHECK_OK(lcp_echo_decode(&data, &e));
	CHECK_EQ(e.magic, 0x00001092);
	CHECK_EQ(e.data_len, 6);
	CHECK_MEM(e.data, "abcdef", 6);
	CHECK_EQ(rd_left(&data), 0);

	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_echo_build(&w, PPP_ECHO_REQ, 42, &e, 1500));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, pkt, n);

	/* Magic-Number is mandatory. */
	rd_init(&data, pkt + 4, 3);
	CHECK_ERR(lcp_echo_decode(&data, &e), ERR_TRUNCATED);
	CHECK_EQ(rd_left(&data), 3);
}

TEST(lcp_echo_reply_truncated_to_mru)
{
	static uint8_t data[70000], out[70000];
	struct lcp_echo e = { .magic = 0x01020304, .data = data };
	struct lcp_echo got;
	struct ppp_cp p;
	struct rd r, d;
	struct wr w;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	/* A peer's 2000-octet Echo-Request answered within MRU 1400. */
	e.data_len = 2000;
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_echo_build(&w, PPP_ECHO_REP, 9, &e, 1400));
	CHECK_EQ(wr_len(&w), 1400);
	rd_init(&r, out, wr_len(&w));
	CHECK_OK(ppp_cp_decode(&r, &p, &d));
	CHECK_EQ(p.code, PPP_ECHO_REP);
	CHECK_EQ(p.id, 9);
	CHECK_EQ(p.length, 1400);
	CHECK_OK(lcp_echo_decode(&d, &got));
	CHECK_EQ(got.magic, 0x01020304);
	CHECK_EQ(got.data_len, 1392);
	CHECK_MEM(got.data, data, 1392);

	/* Short data is not padded; the bound is a maximum. */
	e.data_len = 10;
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_echo_build(&w, PPP_ECHO_REP, 9, &e, 1400));
	CHECK_EQ(wr_len(&w), 18);
	/* Exactly the header and the magic. */
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_echo_build(&w, PPP_ECHO_REP, 9, &e, 8));
	CHECK_EQ(wr_len(&w), 8);
	CHECK_MEM(out, "\x0a\x09\x00\x08\x01\x02\x03\x04", 8);
	wr_init(&w, out, sizeof(out));
	CHECK_ERR(lcp_echo_build(&w, PPP_ECHO_REP, 9, &e, 7), ERR_INVAL);
	CHECK_EQ(wr_len(&w), 0);
	CHECK_ERR(lcp_echo_build(&w, PPP_CONF_REQ, 9, &e, 100), ERR_INVAL);
	/* More than the Length field can say: capped at 65535. */
	e.data_len = sizeof(data);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_echo_build(&w, PPP_DISC_REQ, 1, &e, SIZE_MAX));
	CHECK_EQ(wr_len(&w), 65535);
	CHECK_EQ(out[2], 0xff);
	CHECK_EQ(out[3], 0xff);
	/* Writer too short. */
	wr_init(&w, out, 100);
	CHECK_ERR(lcp_echo_build(&w, PPP_ECHO_REP, 1, &e, 1400), ERR_NOSPACE);
}

TEST(lcp_proto_rej_both_ways_and_truncated)
{
	uint8_t pkt[64], out[64];
	size_t n = load(V_LCP_PROTREJ, pkt, sizeof(pkt));
	struct lcp_proto_rej pr;
	struct ppp_cp p;
	struct rd r, data;
	struct wr w;

	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_OK(lcp_proto_rej_decode(&data, &pr));
	CHECK_EQ(pr.proto, PPP_IPV6CP);
	CHECK_EQ(pr.info_len, 10);
	CHECK_MEM(pr.info, pkt + 6, 10);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_proto_rej_build(&w, 7, &pr, 1500));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, pkt, n);
	/* Cut to 12 octets: header, protocol, 6 octets of information. */
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_proto_rej_build(&w, 7, &pr, 12));
	CHECK_EQ(wr_len(&w), 12);
	CHECK_EQ(out[3], 12);
	CHECK_MEM(out + 4, pkt + 4, 8);
	CHECK_ERR(lcp_proto_rej_build(&w, 7, &pr, 5), ERR_INVAL);
	rd_init(&data, pkt + 4, 1);
	CHECK_ERR(lcp_proto_rej_decode(&data, &pr), ERR_TRUNCATED);
}

TEST(ppp_code_rej_both_ways_and_truncated)
{
	uint8_t pkt[64], out[64];
	size_t n = load(V_LCP_CODEREJ, pkt, sizeof(pkt));
	struct ppp_code_rej cr;
	struct ppp_cp p;
	struct rd r, data;
	struct wr w;

	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_EQ(p.code, PPP_CODE_REJ);
	CHECK_OK(ppp_code_rej_decode(&data, &cr));
	CHECK_EQ(cr.pkt_len, 6);
	CHECK_EQ(cr.pkt[0], 0x2a);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_code_rej_build(&w, 8, &cr, 1500));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, pkt, n);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_code_rej_build(&w, 8, &cr, 4));
	CHECK_EQ(wr_len(&w), 4);
	CHECK_MEM(out, "\x07\x08\x00\x04", 4);
	CHECK_ERR(ppp_code_rej_build(&w, 8, &cr, 3), ERR_INVAL);
}

TEST(lcp_ident_and_time_rem_both_ways)
{
	uint8_t pkt[64], out[64];
	size_t n = load(V_LCP_IDENT, pkt, sizeof(pkt));
	struct lcp_ident id;
	struct lcp_time_rem tr;
	struct ppp_cp p;
	struct rd r, data;
	struct wr w;
	size_t start;

	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_OK(lcp_ident_decode(&data, &id));
	CHECK_EQ(id.magic, 0x0f3f117c);
	CHECK_EQ(id.msg_len, 10);
	CHECK_MEM(id.msg, "MSRASV5.20", 10);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_cp_begin(&w, PPP_IDENT, 3, &start));
	CHECK_OK(lcp_ident_encode(&w, &id));
	CHECK_OK(ppp_cp_finish(&w, start));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, pkt, n);

	n = load(V_LCP_TIMEREM, pkt, sizeof(pkt));
	rd_init(&r, pkt, n);
	CHECK_OK(ppp_cp_decode(&r, &p, &data));
	CHECK_OK(lcp_time_rem_decode(&data, &tr));
	CHECK_EQ(tr.magic, 0x0f3f117c);
	CHECK_EQ(tr.seconds, 3600);
	CHECK_EQ(tr.msg_len, 3);
	CHECK_MEM(tr.msg, "bye", 3);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_cp_begin(&w, PPP_TIME_REM, 4, &start));
	CHECK_OK(lcp_time_rem_encode(&w, &tr));
	CHECK_OK(ppp_cp_finish(&w, start));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, pkt, n);
	/* 7 octets: the magic fits, the seconds do not; nothing consumed. */
	rd_init(&data, pkt + 4, 7);
	CHECK_ERR(lcp_time_rem_decode(&data, &tr), ERR_TRUNCATED);
	CHECK_EQ(rd_left(&data), 7);
	rd_init(&data, pkt + 4, 8);
	CHECK_OK(lcp_time_rem_decode(&data, &tr));
	CHECK_EQ(tr.msg_len, 0);
}

TEST(ppp_code_names_per_protocol)
{
	unsigned c;

	CHECK_STR(ppp_code_name(PPP_LCP, 1), "ConfReq");
	CHECK_STR(ppp_code_name(PPP_LCP, 9), "EchoReq");
	CHECK_STR(ppp_code_name(PPP_LCP, 12), "Ident");
	CHECK_STR(ppp_code_name(PPP_LCP, 13), "TimeRem");
	CHECK_STR(ppp_code_name(PPP_CCP, 14), "ResetReq");
	CHECK_STR(ppp_code_name(PPP_CCP, 15), "ResetAck");
	CHECK_STR(ppp_code_name(PPP_IPCP, 7), "CodeRej");
	for (c = 0; c < 256; c++) {
		CHECK_EQ(ppp_code_name(PPP_LCP, (uint8_t)c) != NULL,
		    c >= 1 && c <= 13);
		CHECK_EQ(ppp_code_name(PPP_IPCP, (uint8_t)c) != NULL,
		    c >= 1 && c <= 7);
		CHECK_EQ(ppp_code_name(PPP_IPV6CP, (uint8_t)c) != NULL,
		    c >= 1 && c <= 7);
		CHECK_EQ(ppp_code_name(PPP_CCP, (uint8_t)c) != NULL,
		    (c >= 1 && c <= 7) || c == 14 || c == 15);
		CHECK(ppp_code_name(PPP_PAP, (uint8_t)c) == NULL);
		CHECK_EQ(ppp_code_has_opts((uint8_t)c), c >= 1 && c <= 4);
	}
}

TEST(ppp_cp_print_odd_packets)
{
	uint8_t pkt[128];
	size_t n;

	n = load("0b010008deadbeef", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_LCP, pkt, n), "LCP DiscReq id=1 len=8 "
	    "magic=0xdeadbeef");
	n = load("09010006dead", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_LCP, pkt, n), "LCP EchoReq id=1 len=6 "
	    "(malformed: truncated)");
	/* Unknown code for the protocol: shown by number. */
	n = load("0901000a0000109261ff", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_IPCP, pkt, n),
	    "IPCP code=9 id=1 len=10 data=0000109261ff");
	/* Unknown protocol. */
	CHECK_STR(print(0x8281, pkt, n),
	    "proto=0x8281 code=9 id=1 len=10 data=0000109261ff");
	/* A Length below 4 leaves nothing to show. */
	n = load("01010003", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_LCP, pkt, n),
	    "LCP ConfReq id=1 len=3 (malformed: bad length)");
	/* A Length past the data: the options that arrived, then the flag. */
	n = load("01010020" "01040578" "0702", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_LCP, pkt, n),
	    "LCP ConfReq id=1 len=32 <mru 1400> <pcomp> "
	    "(malformed: bad length)");
	/* A bad option stops the list; the good ones before it show. */
	n = load("0101000a" "01040578" "0801", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_LCP, pkt, n),
	    "LCP ConfReq id=1 len=10 <mru 1400> (malformed: malformed option)");
	/* An empty Configure-Request. */
	n = load("01020004", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_IPCP, pkt, n), "IPCP ConfReq id=2 len=4");
	/* A known option with a bad length prints raw. */
	n = load("01010009" "010305" "0702", pkt, sizeof(pkt));
	CHECK_STR(print(PPP_LCP, pkt, n),
	    "LCP ConfReq id=1 len=9 < 01 03 05 > <pcomp>");
}

/* Every prefix of every vector, and every single-bit flip, decodes to an
 * error or a valid value, and prints with the matching flag. */
TEST(ppp_cp_mutations_never_crash)
{
	uint8_t pkt[256], m[256];
	size_t i, k, n, bit;

	for (i = 0; i < NVECS; i++) {
		t_note("%s", vecs[i].name);
		n = load(vecs[i].hex, pkt, sizeof(pkt));
		for (k = 0; k <= n; k++) {
			/* A heap copy of exactly k octets, so that ASan
			 * sees any read past the end. */
			uint8_t *h = malloc(k > 0 ? k : 1);

			CHECK(h != NULL);
			if (h == NULL)
				return;
			memcpy(h, pkt, k);
			walk_and_print(vecs[i].proto, h, k);
			free(h);
		}
		for (bit = 0; bit < n * 8; bit++) {
			memcpy(m, pkt, n);
			m[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			walk_and_print(vecs[i].proto, m, n);
			/* The same flip seen under each other protocol. */
			walk_and_print(PPP_LCP, m, n);
			walk_and_print(PPP_CCP, m, n);
		}
	}
}

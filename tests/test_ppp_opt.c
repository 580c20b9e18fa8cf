/*
 * test_ppp_opt.c - typed option values (LCP: RFC 1661 6, RFC 1570, RFC
 * 1990, RFC 2125; IPCP: RFC 1332, RFC 1877; IPV6CP: RFC 5072; CCP MPPE:
 * RFC 3078 2): the Windows option sets of landscape 3.6 and scapy's
 * Configure-Request parsed into values and rebuilt with the encoders to
 * the same octets, each option's exact-length rule, type checks, encoder
 * refusals, validate's round trip, and the pppd-style printers.
 */
#include "t.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"

/* Option lists (the Data of the Configure-Requests in test_ppp_cp.c). */
#define O_SCAPY		"0206000000000304c2270506fbb8831007020802"
#define O_EPD_ADDR	"4a5b6c7d8e9fa0b1c2d3e4f50617283900000005"
#define O_RRAS		"01040578" "0305c22381" "05060f3f117c" "0702" "0802" \
	"0d0306" "1104064e" "131701" O_EPD_ADDR "17040001"
#define O_WINCLI	"05062d1e0f4c" "0702" "0802" "0d0306" "1104064e" \
	"131701" O_EPD_ADDR
#define O_IPCP_WIN	"030600000000" "810600000000" "820600000000" \
	"830600000000" "840600000000"
#define O_IPCP_VJ	"0206002d0f01" O_IPCP_WIN

static uint8_t buf[512];
static size_t buflen;

static void
load(const char *hex)
{
	int n = t_unhex(hex, buf, sizeof(buf));

	CHECK(n >= 0);
	buflen = n < 0 ? 0 : (size_t)n;
}

/* Makes an option from hex "TT LL VV..." (the whole option). */
static struct ppp_opt
opt(const char *hex)
{
	struct ppp_opt o;
	struct rd r;

	load(hex);
	rd_init(&r, buf, buflen);
	CHECK_OK(ppp_opt_next(&r, &o));
	CHECK_EQ(rd_left(&r), 0);
	return o;
}

static const char *
print_list(uint16_t proto, const char *hex, int *ret)
{
	static char text[1024];
	struct sbuf sb;
	struct rd r;

	load(hex);
	rd_init(&r, buf, buflen);
	sbuf_init(&sb, text, sizeof(text));
	*ret = ppp_opts_print(proto, &r, &sb);
	CHECK_EQ(rd_left(&r), 0);
	CHECK(!sb.truncated);
	return sbuf_str(&sb);
}

static const char *
print_one(uint16_t proto, const char *hex)
{
	int ret;
	const char *s = print_list(proto, hex, &ret);

	CHECK_OK(ret);
	return s[0] == ' ' ? s + 1 : s;
}

/* Every option of a list validates (or is unknown) and validate's
 * re-encoding reproduces the list. */
static void
check_validate_roundtrip(uint16_t proto, const char *hex, int unknown)
{
	uint8_t out[512];
	struct ppp_opt o;
	struct rd r;
	struct wr w;
	int ret, n_unknown = 0;

	load(hex);
	rd_init(&r, buf, buflen);
	wr_init(&w, out, sizeof(out));
	while ((ret = ppp_opt_next(&r, &o)) == 0) {
		ret = ppp_opt_validate(proto, &o, &w);
		if (ret == ERR_UNSUPPORTED) {
			n_unknown++;
			CHECK_OK(ppp_opt_put(&w, o.type, rd_cur(&o.val),
			    rd_left(&o.val)));
		} else {
			CHECK_OK(ret);
		}
	}
	CHECK_EQ(ret, PPP_OPT_END);
	CHECK_EQ(n_unknown, unknown);
	CHECK_EQ(wr_len(&w), buflen);
	CHECK_MEM(out, buf, buflen);
}

TEST(lcp_rras_set_parses_into_values)
{
	struct lcp_callback cb;
	struct lcp_endpoint epd;
	struct lcp_auth auth;
	struct ppp_opt o;
	struct rd r;
	uint32_t magic;
	uint16_t v;
	int n = 0;

	load(O_RRAS);
	rd_init(&r, buf, buflen);
	while (ppp_opt_next(&r, &o) == 0) {
		n++;
		switch (o.type) {
		case LCP_OPT_MRU:
			CHECK_OK(lcp_opt_mru_decode(&o, &v));
			CHECK_EQ(v, 1400);
			break;
		case LCP_OPT_AUTH:
			CHECK_OK(lcp_opt_auth_decode(&o, &auth));
			CHECK_EQ(auth.proto, PPP_CHAP);
			CHECK_EQ(auth.chap_alg, LCP_CHAP_MSCHAPV2);
			CHECK_EQ(auth.data_len, 0);
			break;
		case LCP_OPT_MAGIC:
			CHECK_OK(lcp_opt_magic_decode(&o, &magic));
			CHECK_EQ(magic, 0x0f3f117c);
			break;
		case LCP_OPT_PFC:
			CHECK_OK(lcp_opt_pfc_decode(&o));
			break;
		case LCP_OPT_ACFC:
			CHECK_OK(lcp_opt_acfc_decode(&o));
			break;
		case LCP_OPT_CALLBACK:
			CHECK_OK(lcp_opt_callback_decode(&o, &cb));
			CHECK_EQ(cb.op, LCP_CALLBACK_CBCP);
			CHECK_EQ(cb.msg_len, 0);
			break;
		case LCP_OPT_MRRU:
			CHECK_OK(lcp_opt_mrru_decode(&o, &v));
			CHECK_EQ(v, 1614);
			break;
		case LCP_OPT_ENDPOINT:
			CHECK_OK(lcp_opt_endpoint_decode(&o, &epd));
			CHECK_EQ(epd.cls, LCP_EPD_LOCAL);
			CHECK_EQ(epd.addr_len, 20);
			CHECK_MEM(epd.addr, buf + buflen - 20 - 4, 20);
			break;
		case LCP_OPT_LINK_DISC:
			CHECK_OK(lcp_opt_link_disc_decode(&o, &v));
			CHECK_EQ(v, 1);
			break;
		default:
			CHECK(!"unexpected option");
		}
	}
	CHECK_EQ(n, 9);
	check_validate_roundtrip(PPP_LCP, O_RRAS, 0);
	check_validate_roundtrip(PPP_LCP, O_WINCLI, 0);
	check_validate_roundtrip(PPP_LCP, O_SCAPY, 0);
}

TEST(lcp_rras_set_built_with_encoders)
{
	uint8_t out[128], want[128];
	struct lcp_auth auth = { .proto = PPP_CHAP,
	    .chap_alg = LCP_CHAP_MSCHAPV2 };
	struct lcp_callback cb = { .op = LCP_CALLBACK_CBCP };
	struct lcp_endpoint epd = { .cls = LCP_EPD_LOCAL, .addr_len = 20 };
	struct wr w;
	size_t n;

	load(O_RRAS);
	memcpy(want, buf, buflen);
	n = buflen;
	load(O_EPD_ADDR);
	memcpy(epd.addr, buf, 20);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(lcp_opt_mru_encode(&w, 1400));
	CHECK_OK(lcp_opt_auth_encode(&w, &auth));
	CHECK_OK(lcp_opt_magic_encode(&w, 0x0f3f117c));
	CHECK_OK(lcp_opt_pfc_encode(&w));
	CHECK_OK(lcp_opt_acfc_encode(&w));
	CHECK_OK(lcp_opt_callback_encode(&w, &cb));
	CHECK_OK(lcp_opt_mrru_encode(&w, 1614));
	CHECK_OK(lcp_opt_endpoint_encode(&w, &epd));
	CHECK_OK(lcp_opt_link_disc_encode(&w, 1));
	CHECK_EQ(wr_len(&w), n);
	CHECK_MEM(out, want, n);
}

TEST(lcp_scapy_set_values)
{
	struct lcp_auth auth;
	struct ppp_opt o;
	uint32_t v;

	o = opt("020600000000");
	CHECK_OK(lcp_opt_accm_decode(&o, &v));
	CHECK_EQ(v, 0);
	o = opt("0304c227");
	CHECK_OK(lcp_opt_auth_decode(&o, &auth));
	CHECK_EQ(auth.proto, PPP_EAP);
	o = opt("0506fbb88310");
	CHECK_OK(lcp_opt_magic_decode(&o, &v));
	CHECK_EQ(v, 0xfbb88310);
}

TEST(lcp_exact_lengths)
{
	static const char *const bad[] = {
		"0103ff", "0105057800",			/* MRU */
		"0205000000", "02070000000000",		/* ACCM */
		"0303c2",				/* Auth: no protocol */
		"0304c223", "0306c2238100",		/* CHAP: 1 algorithm */
		"0305c02300", "0305c22700",		/* PAP, EAP: none */
		"0403c0", "0406c0250000",		/* Quality; LQR = 8 */
		"0409c02500000000ff",
		"0505000000", "050700000000ff",		/* Magic */
		"070300", "080300", "120300",		/* PFC, ACFC, SSNHF */
		"0d02",					/* Callback: no op */
		"1103ff", "1105000000",		/* MRRU */
		"1302",					/* EPD: no class */
		"130400ff",				/* Null has none */
		"1305020a00",				/* IPv4: 4 */
		"13070300112233",		/* MAC: 6 */
		"131801000102030405060708090a0b0c0d0e0f1011121314",
		"13130500010203040506070809000102030405",	/* PSDN <= 15 */
		"130306",				/* class 6 reserved */
		"13037f",
		"1703ff", "1705000000",		/* Link-Discriminator */
	};
	struct ppp_opt o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t_note("%s", bad[i]);
		o = opt(bad[i]);
		CHECK_ERR(lcp_opt_validate(&o, NULL), ERR_OPTION);
		CHECK_ERR(ppp_opt_validate(PPP_LCP, &o, NULL), ERR_OPTION);
	}
}

TEST(lcp_other_values)
{
	static const char *const good[] = {
		"0304c023",				/* PAP */
		"0305c22305",				/* CHAP MD5 */
		"0305c22380",				/* MS-CHAPv1 */
		"0305c22377",				/* unknown algorithm */
		"0307c0270102ff",			/* other protocol + data */
		"0404c027",				/* quality: other proto */
		"0408c025000003e8",			/* LQR, 10 s */
		"1202",
		"0d0a0135353531323334",		/* dial string */
		"130300",				/* Null class */
		"13040100",				/* local, 1 octet */
		"13070200000001",			/* IPv4 */
		"1309030011223344ff",			/* MAC */
		"1317040000000100000002000000030000000400000005",
		"131205000102030405060708090001020304",	/* PSDN 15 */
		"2a03ff",				/* unknown type */
	};
	uint8_t out[64];
	struct ppp_opt o;
	struct wr w;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t_note("%s", good[i]);
		o = opt(good[i]);
		wr_init(&w, out, sizeof(out));
		ret = lcp_opt_validate(&o, &w);
		if (o.type == 42) {
			CHECK_ERR(ret, ERR_UNSUPPORTED);
			continue;
		}
		CHECK_OK(ret);
		CHECK_EQ(wr_len(&w), buflen);
		CHECK_MEM(out, buf, buflen);
	}
}

TEST(lcp_decoders_check_type)
{
	struct lcp_auth auth;
	struct ppp_opt o = opt("01040578");
	uint32_t u32;
	uint16_t u16;

	CHECK_ERR(lcp_opt_mrru_decode(&o, &u16), ERR_INVAL);
	CHECK_ERR(lcp_opt_auth_decode(&o, &auth), ERR_INVAL);
	CHECK_ERR(lcp_opt_magic_decode(&o, &u32), ERR_INVAL);
	CHECK_ERR(lcp_opt_pfc_decode(&o), ERR_INVAL);
	CHECK_ERR(ipcp_opt_addr_decode(&o, &u32), ERR_INVAL);
	CHECK_OK(lcp_opt_mru_decode(&o, &u16));
	/* Decoding does not consume the option. */
	CHECK_OK(lcp_opt_mru_decode(&o, &u16));
	CHECK_EQ(u16, 1400);
	CHECK_EQ(rd_left(&o.val), 2);
}

TEST(lcp_encoders_refuse_what_the_option_cannot_carry)
{
	static const uint8_t junk[300];
	struct lcp_auth auth = { .proto = PPP_CHAP, .chap_alg = 0x81,
	    .data = junk, .data_len = 1 };
	struct lcp_quality q = { .proto = LCP_QUALITY_LQR, .data = junk,
	    .data_len = 2 };
	struct lcp_callback cb = { .op = 1, .msg = junk, .msg_len = 253 };
	struct lcp_endpoint epd = { .cls = LCP_EPD_IPV4, .addr_len = 5 };
	uint8_t out[512];
	struct wr w;

	wr_init(&w, out, sizeof(out));
	CHECK_ERR(lcp_opt_auth_encode(&w, &auth), ERR_INVAL);
	auth.proto = PPP_PAP;
	CHECK_ERR(lcp_opt_auth_encode(&w, &auth), ERR_INVAL);
	auth.proto = 0xc025;
	auth.data_len = 252;
	CHECK_ERR(lcp_opt_auth_encode(&w, &auth), ERR_INVAL);
	auth.data_len = 251;
	CHECK_OK(lcp_opt_auth_encode(&w, &auth));
	CHECK_EQ(out[1], 255);
	CHECK_ERR(lcp_opt_quality_encode(&w, &q), ERR_INVAL);
	CHECK_ERR(lcp_opt_callback_encode(&w, &cb), ERR_INVAL);
	CHECK_ERR(lcp_opt_endpoint_encode(&w, &epd), ERR_INVAL);
	epd.cls = 9;
	epd.addr_len = 0;
	CHECK_ERR(lcp_opt_endpoint_encode(&w, &epd), ERR_INVAL);
	CHECK_EQ(wr_len(&w), 255);
	CHECK_OK(wr_error(&w));
	/* A writer too short keeps the sticky NOSPACE. */
	wr_init(&w, out, 3);
	CHECK_ERR(lcp_opt_mru_encode(&w, 1500), ERR_NOSPACE);
	CHECK_ERR(lcp_opt_pfc_encode(&w), ERR_NOSPACE);
}

TEST(ipcp_windows_request_values)
{
	static const uint8_t types[] = { 3, 129, 130, 131, 132 };
	struct ipcp_comp comp;
	struct ppp_opt o;
	struct rd r;
	uint32_t a;
	int n = 0;

	load(O_IPCP_WIN);
	rd_init(&r, buf, buflen);
	while (ppp_opt_next(&r, &o) == 0) {
		CHECK_EQ(o.type, types[n]);
		CHECK(ipcp_opt_is_addr(o.type));
		a = 1;
		CHECK_OK(ipcp_opt_addr_decode(&o, &a));
		CHECK_EQ(a, 0);
		n++;
	}
	CHECK_EQ(n, 5);
	check_validate_roundtrip(PPP_IPCP, O_IPCP_WIN, 0);
	check_validate_roundtrip(PPP_IPCP, O_IPCP_VJ, 0);

	o = opt("0206002d0f01");
	CHECK_OK(ipcp_opt_comp_decode(&o, &comp));
	CHECK_EQ(comp.proto, PPP_VJ_COMP);
	CHECK_EQ(comp.max_slot_id, 15);
	CHECK_EQ(comp.comp_slot_id, 1);
	o = opt("0304c0a8");
	CHECK_ERR(ipcp_opt_addr_decode(&o, &a), ERR_OPTION);
	o = opt("8107c0a8000101");
	CHECK_ERR(ipcp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("0204002d");			/* VJ needs its two slot octets */
	CHECK_ERR(ipcp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("0203ff");
	CHECK_ERR(ipcp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("02040037");			/* other protocol, no data */
	CHECK_OK(ipcp_opt_validate(&o, NULL));
	o = opt("010a0a0000010a000002");
	CHECK_OK(ipcp_opt_validate(&o, NULL));
	o = opt("01060a000001");
	CHECK_ERR(ipcp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("850600000000");		/* 133 is not an address */
	CHECK_ERR(ipcp_opt_validate(&o, NULL), ERR_UNSUPPORTED);
}

TEST(ipcp_build_assigned_address_nak)
{
	uint8_t out[64];
	struct wr w;
	size_t start;

	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_cp_begin(&w, PPP_CONF_NAK, 5, &start));
	CHECK_OK(ipcp_opt_addr_encode(&w, IPCP_OPT_ADDR, 0x0a000002));
	CHECK_OK(ipcp_opt_addr_encode(&w, IPCP_OPT_DNS1, 0x08080808));
	CHECK_OK(ppp_cp_finish(&w, start));
	load("03050010" "03060a000002" "810608080808");
	CHECK_EQ(wr_len(&w), buflen);
	CHECK_MEM(out, buf, buflen);
	CHECK_ERR(ipcp_opt_addr_encode(&w, IPCP_OPT_COMP, 0), ERR_INVAL);
	CHECK_ERR(ipcp_opt_addr_encode(&w, 133, 0), ERR_INVAL);
}

TEST(ipv6cp_interface_identifier)
{
	static const uint8_t want[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
	    0xcd, 0xef };
	struct ipv6cp_comp comp;
	uint8_t id[8], out[32];
	struct ppp_opt o;
	struct wr w;

	o = opt("010a0123456789abcdef");
	CHECK_OK(ipv6cp_opt_ifaceid_decode(&o, id));
	CHECK_MEM(id, want, 8);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ipv6cp_opt_ifaceid_encode(&w, id));
	CHECK_EQ(wr_len(&w), 10);
	CHECK_MEM(out, buf, 10);
	o = opt("01090123456789abcd");
	CHECK_ERR(ipv6cp_opt_ifaceid_decode(&o, id), ERR_OPTION);
	o = opt("010b0123456789abcdef00");
	CHECK_ERR(ipv6cp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("0204004f");
	CHECK_OK(ipv6cp_opt_comp_decode(&o, &comp));
	CHECK_EQ(comp.proto, 0x004f);
	o = opt("0203ff");
	CHECK_ERR(ipv6cp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("0302");
	CHECK_ERR(ppp_opt_validate(PPP_IPV6CP, &o, NULL), ERR_UNSUPPORTED);
	CHECK_ERR(ppp_opt_validate(PPP_PAP, &o, NULL), ERR_UNSUPPORTED);
}

TEST(ccp_mppe_bits)
{
	struct mppe_opt m;
	struct ppp_opt o;
	uint8_t out[16];
	struct wr w;

	o = opt("1206010000e0");
	CHECK_OK(ccp_opt_mppe_decode(&o, &m));
	CHECK(m.stateless && m.b56 && m.b128 && m.b40);
	CHECK(!m.d && !m.mppc);
	CHECK_EQ(m.other_bits, 0);
	CHECK_EQ(mppe_opt_to_bits(&m), 0x010000e0);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ccp_opt_mppe_encode(&w, &m));
	CHECK_EQ(wr_len(&w), 6);
	CHECK_MEM(out, buf, 6);

	/* All zero is valid: "no MPPE". */
	o = opt("120600000000");
	CHECK_OK(ccp_opt_mppe_decode(&o, &m));
	CHECK(!m.stateless && !m.b56 && !m.b128 && !m.b40 && !m.d && !m.mppc);
	CHECK_EQ(mppe_opt_to_bits(&m), 0);

	/* The strongest single choice a responder Naks with (S, stateless). */
	m = (struct mppe_opt){ .stateless = true, .b128 = true };
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ccp_opt_mppe_encode(&w, &m));
	CHECK_MEM(out, "\x12\x06\x01\x00\x00\x40", 6);

	/* Each named bit alone, and unknown bits kept. */
	mppe_opt_from_bits(MPPE_OPT_D, &m);
	CHECK(m.d && !m.b40);
	mppe_opt_from_bits(MPPE_OPT_C, &m);
	CHECK(m.mppc && !m.stateless);
	mppe_opt_from_bits(0x82000101, &m);
	CHECK(m.mppc);
	CHECK_EQ(m.other_bits, 0x82000100);
	CHECK_EQ(mppe_opt_to_bits(&m), 0x82000101);
	o = opt("12068200010f");
	CHECK_OK(ccp_opt_validate(&o, NULL));

	o = opt("12050000e0");
	CHECK_ERR(ccp_opt_mppe_decode(&o, &m), ERR_OPTION);
	o = opt("12070000e00000");
	CHECK_ERR(ccp_opt_validate(&o, NULL), ERR_OPTION);
	o = opt("1a045900");			/* Deflate: not ours */
	CHECK_ERR(ccp_opt_validate(&o, NULL), ERR_UNSUPPORTED);
}

TEST(ppp_opt_generic_shapes)
{
	struct ppp_opt o;
	uint8_t out[16];
	struct wr w;
	uint32_t u32;
	uint16_t u16;

	o = opt("ee0412ab");
	CHECK_OK(ppp_opt_u16_decode(&o, &u16));
	CHECK_EQ(u16, 0x12ab);
	CHECK_ERR(ppp_opt_u32_decode(&o, &u32), ERR_OPTION);
	CHECK_ERR(ppp_opt_flag_decode(&o), ERR_OPTION);
	o = opt("ee02");
	CHECK_OK(ppp_opt_flag_decode(&o));
	CHECK_ERR(ppp_opt_u16_decode(&o, &u16), ERR_OPTION);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ppp_opt_u16_put(&w, 0xee, 0x12ab));
	CHECK_OK(ppp_opt_u32_put(&w, 0xef, 0xdeadbeef));
	CHECK_MEM(out, "\xee\x04\x12\xab\xef\x06\xde\xad\xbe\xef", 10);
}

TEST(lcp_option_printer)
{
	int ret;

	CHECK_STR(print_list(PPP_LCP, O_RRAS, &ret),
	    " <mru 1400> <auth chap MS-v2> <magic 0x0f3f117c> <pcomp> "
	    "<accomp> <callback CBCP> <mrru 1614> <endpoint class 1 len 20> "
	    "< 17 04 00 01 >");
	CHECK_OK(ret);
	CHECK_STR(print_list(PPP_LCP, O_SCAPY, &ret),
	    " <asyncmap 0x00000000> <auth eap> <magic 0xfbb88310> <pcomp> "
	    "<accomp>");
	CHECK_STR(print_one(PPP_LCP, "0304c023"), "<auth pap>");
	CHECK_STR(print_one(PPP_LCP, "0305c22305"), "<auth chap MD5>");
	CHECK_STR(print_one(PPP_LCP, "0305c22380"), "<auth chap MS>");
	CHECK_STR(print_one(PPP_LCP, "0305c22377"), "<auth chap 0x77>");
	CHECK_STR(print_one(PPP_LCP, "0306c0270102"), "<auth 0xc027 01 02>");
	CHECK_STR(print_one(PPP_LCP, "0408c025000003e8"), "<quality lqr 1000>");
	CHECK_STR(print_one(PPP_LCP, "0405c02799"), "<quality 0xc027 99>");
	CHECK_STR(print_one(PPP_LCP, "0d0a0135353531323334"),
	    "<callback 1 \"5551234\">");
	CHECK_STR(print_one(PPP_LCP, "0d050000ff"), "<callback 0 00 ff>");
	CHECK_STR(print_one(PPP_LCP, "1202"), "<ssnhf>");
	CHECK_STR(print_one(PPP_LCP, "13070200000001"),
	    "<endpoint class 2 len 4>");
	/* Malformed and unknown options print raw. */
	CHECK_STR(print_one(PPP_LCP, "010305"), "< 01 03 05 >");
	CHECK_STR(print_one(PPP_LCP, "0702"), "<pcomp>");
	CHECK_STR(print_one(PPP_LCP, "0703aa"), "< 07 03 aa >");
	CHECK_STR(print_one(PPP_LCP, "fe02"), "< fe 02 >");
	/* The walk stops at a malformed Length; what came before stays. */
	CHECK_STR(print_list(PPP_LCP, "01040578" "0801" "0702", &ret),
	    " <mru 1400>");
	CHECK_ERR(ret, ERR_OPTION);
	CHECK_STR(print_list(PPP_LCP, "", &ret), "");
	CHECK_OK(ret);
}

TEST(ncp_option_printers)
{
	int ret;

	CHECK_STR(print_list(PPP_IPCP, O_IPCP_VJ, &ret),
	    " <compress VJ 0f 01> <addr 0.0.0.0> <ms-dns1 0.0.0.0> "
	    "<ms-wins 0.0.0.0> <ms-dns2 0.0.0.0> <ms-wins 0.0.0.0>");
	CHECK_OK(ret);
	CHECK_STR(print_one(PPP_IPCP, "03060a000001"), "<addr 10.0.0.1>");
	CHECK_STR(print_one(PPP_IPCP, "8306c0a80101"), "<ms-dns2 192.168.1.1>");
	CHECK_STR(print_one(PPP_IPCP, "010a0a0000010a000002"),
	    "<addrs 10.0.0.1 10.0.0.2>");
	CHECK_STR(print_one(PPP_IPCP, "02050037aa"), "<compress 0x0037 aa>");
	CHECK_STR(print_one(PPP_IPCP, "0305ffffff"), "< 03 05 ff ff ff >");
	CHECK_STR(print_one(PPP_IPV6CP, "010a0123456789abcdef"),
	    "<ifaceid 0123:4567:89ab:cdef>");
	CHECK_STR(print_one(PPP_IPV6CP, "0204004f"), "<compress 0x004f>");
	CHECK_STR(print_one(PPP_CCP, "1206010000e0"),
	    "<mppe +H +M +S +L -D -C>");
	CHECK_STR(print_one(PPP_CCP, "120601000040"),
	    "<mppe +H -M +S -L -D -C>");
	CHECK_STR(print_one(PPP_CCP, "120600000000"),
	    "<mppe -H -M -S -L -D -C>");
	CHECK_STR(print_one(PPP_CCP, "120680000011"),
	    "<mppe -H -M -S -L +D +C other=0x80000000>");
	CHECK_STR(print_one(PPP_CCP, "1a045900"), "< 1a 04 59 00 >");
	CHECK_STR(print_one(0x1234, "01040578"), "< 01 04 05 78 >");
}

/* Every single-bit flip of every option list: each option the walk yields
 * validates, is malformed, or is unknown; valid ones re-encode exactly. */
TEST(ppp_opt_bit_flips)
{
	static const struct {
		uint16_t proto;
		const char *hex;
	} lists[] = {
		{ PPP_LCP, O_RRAS }, { PPP_LCP, O_WINCLI }, { PPP_LCP, O_SCAPY },
		{ PPP_IPCP, O_IPCP_VJ }, { PPP_CCP, "1206010000e0" },
		{ PPP_IPV6CP, "010a0123456789abcdef" "0204004f" },
	};
	uint8_t orig[256], out[512];
	size_t i, bit, n;
	struct ppp_opt o;
	struct rd r;
	struct wr w;
	int ret;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		load(lists[i].hex);
		n = buflen;
		memcpy(orig, buf, n);
		for (bit = 0; bit < n * 8; bit++) {
			memcpy(buf, orig, n);
			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			rd_init(&r, buf, n);
			while ((ret = ppp_opt_next(&r, &o)) == 0) {
				wr_init(&w, out, sizeof(out));
				ret = ppp_opt_validate(lists[i].proto, &o, &w);
				CHECK(ret == 0 || ret == ERR_OPTION ||
				    ret == ERR_UNSUPPORTED);
				if (ret == 0) {
					CHECK_EQ(wr_len(&w), o.len);
					CHECK_MEM(out, rd_cur(&o.val) - 2,
					    o.len);
				}
			}
			CHECK(ret == PPP_OPT_END || ret == ERR_OPTION);
		}
	}
}

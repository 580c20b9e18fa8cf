/*
 * test_ppp_auth.c - PAP (RFC 1334 2) and CHAP (RFC 1994 4) packet codecs,
 * the CHAP-MD5, MS-CHAPv1 (RFC 2433 3) and MS-CHAPv2 (RFC 2759 4) Value
 * layouts with the RFC vectors of research/landscape.md 4.1 and 4.2, the
 * Change-Password layout (RFC 2759 7), the PAP exchange of a real
 * capture, and truncation and bit-flip sweeps over every packet.  The
 * S=/E= message texts are in test_mschap_msg.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "t.h"
#include "cap.h"
#include "../src/wire/gre.h"
#include "../src/wire/ppp_auth.h"
#include "../src/wire/ppp_frame.h"
#include "../src/wire/ppp_proto.h"

static const char *
pap_text(const struct pap_msg *m, char *buf, size_t cap)
{
	struct sbuf sb;

	sbuf_init(&sb, buf, cap);
	pap_msg_print(m, &sb);
	return sbuf_str(&sb);
}

static const char *
chap_text(const struct chap_msg *m, char *buf, size_t cap)
{
	struct sbuf sb;

	sbuf_init(&sb, buf, cap);
	chap_msg_print(m, &sb);
	return sbuf_str(&sb);
}

/* Decodes pkt as PAP or CHAP; when it decodes, re-encodes and checks the
 * result is the packet's first Length octets.  Returns the decoder's
 * result. */
static int
roundtrip(bool chap, const uint8_t *pkt, size_t len)
{
	uint8_t out[1024];
	struct pap_msg pm;
	struct chap_msg cm;
	struct rd r;
	struct wr w;
	char text[2048];
	size_t plen;
	int ret;

	rd_init(&r, pkt, len);
	ret = chap ? chap_msg_decode(&r, &cm) : pap_msg_decode(&r, &pm);
	if (ret != 0)
		return ret;
	CHECK_EQ(rd_left(&r), 0);
	plen = (size_t)pkt[2] << 8 | pkt[3];
	wr_init(&w, out, sizeof(out));
	CHECK_OK(chap ? chap_msg_encode(&w, &cm) : pap_msg_encode(&w, &pm));
	CHECK_EQ(wr_len(&w), plen);
	if (wr_len(&w) == plen)
		CHECK_MEM(out, pkt, plen);
	if (chap)
		chap_text(&cm, text, sizeof(text));
	else
		pap_text(&pm, text, sizeof(text));
	return 0;
}

/* Every truncation of a valid packet is refused with the right code, and
 * every single bit flip either is refused or round-trips. */
static void
sweep_packet(bool chap, const uint8_t *pkt, size_t len)
{
	uint8_t *buf = malloc(len);
	size_t n, bit;
	int ret;

	CHECK_OK(roundtrip(chap, pkt, len));
	for (n = 0; n < len; n++) {
		memcpy(buf, pkt, n);
		ret = roundtrip(chap, buf, n);
		CHECK_ERR(ret, n < 4 ? ERR_TRUNCATED : ERR_LENGTH);
	}
	for (bit = 0; bit < len * 8; bit++) {
		memcpy(buf, pkt, len);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ret = roundtrip(chap, buf, len);
		CHECK(ret == 0 || ret == ERR_LENGTH || ret == ERR_CODE ||
		    ret == ERR_TRAILING);
	}
	free(buf);
}

struct hexcase {
	const char	*hex;
	int		 want;
};

/* Decodes each hex packet as PAP or CHAP and expects its result; what
 * decodes consumes its input, padding included. */
static void
run_cases(bool chap, const struct hexcase *c, size_t n)
{
	uint8_t pkt[128];
	struct pap_msg pm;
	struct chap_msg cm;
	struct rd r;
	size_t i;
	int len, ret;

	for (i = 0; i < n; i++) {
		len = t_unhex(c[i].hex, pkt, sizeof(pkt));
		CHECK(len >= 0);
		rd_init(&r, pkt, (size_t)len);
		ret = chap ? chap_msg_decode(&r, &cm) : pap_msg_decode(&r, &pm);
		t_check(ret == c[i].want, __FILE__, __LINE__,
		    "case %zu \"%s\": got %d (%s), want %d (%s)", i, c[i].hex,
		    ret, err_str(ret), c[i].want, err_str(c[i].want));
		if (ret == 0)
			CHECK_EQ(rd_left(&r), 0);
	}
}

/* --- PAP --- */

TEST(pap_request_round_trip_and_password_masked)
{
	/* code 1, id 7, Length 19, "alice", "s3cretpw" */
	static const char hex[] = "01 07 00 13 05 616c696365 08 7333637265747077";
	uint8_t pkt[64], out[64];
	struct pap_msg m, e;
	struct rd r;
	struct wr w;
	char text[256];
	int n = t_unhex(hex, pkt, sizeof(pkt));

	CHECK_EQ(n, 19);
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(pap_msg_decode(&r, &m));
	CHECK_EQ(m.code, PAP_AUTH_REQ);
	CHECK_EQ(m.id, 7);
	CHECK_EQ(m.peer_id_len, 5);
	CHECK_MEM(m.peer_id, "alice", 5);
	CHECK(m.peer_id == pkt + 5);		/* borrowed, not copied */
	CHECK_EQ(m.passwd_len, 8);
	CHECK_MEM(m.passwd, "s3cretpw", 8);
	CHECK_STR(pap_text(&m, text, sizeof(text)),
	    "pap auth-req id=7 peer-id=\"alice\" password=<8 bytes hidden>");
	CHECK(strstr(text, "s3cret") == NULL);

	/* built from scratch, it gives the same bytes */
	memset(&e, 0, sizeof(e));
	e.code = PAP_AUTH_REQ;
	e.id = 7;
	e.peer_id = (const uint8_t *)"alice";
	e.peer_id_len = 5;
	e.passwd = (const uint8_t *)"s3cretpw";
	e.passwd_len = 8;
	wr_init(&w, out, sizeof(out));
	CHECK_OK(pap_msg_encode(&w, &e));
	CHECK_EQ(wr_len(&w), 19);
	CHECK_MEM(out, pkt, 19);
	sweep_packet(false, pkt, (size_t)n);
}

TEST(pap_ack_nak_messages)
{
	uint8_t pkt[64], out[8];
	struct pap_msg m;
	struct rd r;
	struct wr w;
	char text[256];
	int n;

	n = t_unhex("02 01 00 0d 08 4c6f67696e206f6b", pkt, sizeof(pkt));
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(pap_msg_decode(&r, &m));
	CHECK_EQ(m.code, PAP_AUTH_ACK);
	CHECK_EQ(m.message_len, 8);
	CHECK(!m.no_msg_len);
	CHECK_STR(pap_text(&m, text, sizeof(text)),
	    "pap auth-ack id=1 msg=\"Login ok\"");
	sweep_packet(false, pkt, (size_t)n);

	/* a Nak whose message needs escaping */
	n = t_unhex("03 02 00 08 03 41 0a 22", pkt, sizeof(pkt));
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(pap_msg_decode(&r, &m));
	CHECK_STR(pap_text(&m, text, sizeof(text)),
	    "pap auth-nak id=2 msg=\"A\\x0a\\x22\"");

	/* an Ack with no Msg-Length at all is tolerated and reproduced */
	n = t_unhex("02 03 00 04", pkt, sizeof(pkt));
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(pap_msg_decode(&r, &m));
	CHECK(m.no_msg_len);
	CHECK_EQ(m.message_len, 0);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(pap_msg_encode(&w, &m));
	CHECK_EQ(wr_len(&w), 4);
	CHECK_MEM(out, pkt, 4);
}

TEST(pap_header_rules)
{
	static const struct hexcase cases[] = {
		{ "02 01 00 05 00 ff ff ff", 0 },	/* padding is ignored */
		{ "02 01 00 06 00", ERR_LENGTH },	/* Length past the data */
		{ "02 01 00 03 00", ERR_LENGTH },	/* Length below 4 */
		{ "02 01 00", ERR_TRUNCATED },		/* no whole header */
		{ "", ERR_TRUNCATED },
		/* Peer-ID-Length past Length (the padding does not count) */
		{ "01 01 00 07 05 61 62 63 64 65 00", ERR_LENGTH },
		{ "01 01 00 06 01 61", ERR_LENGTH },	/* no Passwd-Length */
		{ "01 01 00 07 01 61 01", ERR_LENGTH },	/* Password cut */
		{ "01 01 00 04", ERR_LENGTH },		/* empty Request */
		{ "01 01 00 06 00 00", 0 },		/* empty peer and password */
		{ "02 01 00 06 00 99", ERR_TRAILING },	/* octets after Message */
		{ "03 01 00 06 02 99", ERR_LENGTH },	/* Msg-Length past end */
		{ "04 01 00 04", ERR_CODE },
		{ "00 01 00 04", ERR_CODE },
	};

	run_cases(false, cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(pap_encode_refuses_bad_fields)
{
	static uint8_t big[256];
	uint8_t out[600];
	struct pap_msg m;
	struct wr w;

	memset(&m, 0, sizeof(m));
	m.code = PAP_AUTH_REQ;
	m.peer_id = big;
	m.peer_id_len = 256;
	wr_init(&w, out, sizeof(out));
	CHECK_ERR(pap_msg_encode(&w, &m), ERR_RANGE);
	CHECK_EQ(wr_len(&w), 0);
	m.peer_id_len = 255;
	m.passwd_len = 3;		/* NULL passwd */
	CHECK_ERR(pap_msg_encode(&w, &m), ERR_INVAL);
	m.code = 9;
	CHECK_ERR(pap_msg_encode(&w, &m), ERR_CODE);
	m.code = PAP_AUTH_REQ;
	m.passwd_len = 0;
	wr_init(&w, out, 100);
	CHECK_ERR(pap_msg_encode(&w, &m), ERR_NOSPACE);
}

/* The PAP exchange of packetlife__PPTP_negotiation.cap (frames 17, 18):
 * TShark reads Auth-Req peer "ixia" password "ixia", then Auth-Ack. */
struct pap_walk {
	unsigned	reqs, acks, other, bad;
};

static int
pap_on_packet(const struct cap_pkt *p, void *ctx)
{
	struct pap_walk *pw = ctx;
	struct ppp_frame pf;
	struct gre_hdr h;
	struct pap_msg m;
	struct rd r, payload, info, pkt;

	if (p->proto != GRE_IP_PROTO)
		return 0;
	rd_init(&r, p->l4, p->l4len);
	if (gre_decode(&r, &h, &payload) != 0 || h.payload_len == 0 ||
	    ppp_frame_decode(&payload, &pf, &info) != 0 ||
	    pf.proto != PPP_PAP)
		return 0;
	pkt = info;
	if (roundtrip(false, rd_cur(&pkt), rd_left(&pkt)) != 0 ||
	    pap_msg_decode(&info, &m) != 0) {
		pw->bad++;
		return 0;
	}
	if (m.code == PAP_AUTH_REQ && m.id == 0 && m.peer_id_len == 4 &&
	    memcmp(m.peer_id, "ixia", 4) == 0 && m.passwd_len == 4 &&
	    memcmp(m.passwd, "ixia", 4) == 0)
		pw->reqs++;
	else if (m.code == PAP_AUTH_ACK && m.id == 0 && m.message_len == 0)
		pw->acks++;
	else
		pw->other++;
	return 0;
}

TEST(pap_capture_packetlife)
{
	struct pap_walk pw = { 0, 0, 0, 0 };
	char path[512];

	snprintf(path, sizeof(path), "%s/captures/%s", T_DATA,
	    "packetlife__PPTP_negotiation.cap");
	CHECK_OK(cap_walk(path, 1723, pap_on_packet, NULL, &pw, NULL));
	CHECK_EQ(pw.reqs, 1);
	CHECK_EQ(pw.acks, 1);
	CHECK_EQ(pw.other, 0);
	CHECK_EQ(pw.bad, 0);
}

/* --- CHAP --- */

TEST(chap_md5_challenge_response_round_trip)
{
	/* Challenge id 0x2a, 16-octet value, name "srv" */
	static const char chal_hex[] =
	    "01 2a 00 18 10 00112233445566778899aabbccddeeff 737276";
	/* Response id 0x2a, 16-octet MD5 value, name "alice" */
	static const char resp_hex[] =
	    "02 2a 00 1a 10 0f1e2d3c4b5a69788796a5b4c3d2e1f0 616c696365";
	uint8_t pkt[64], out[64], md5[16];
	struct chap_msg m, e;
	struct rd r;
	struct wr w;
	char text[256];
	int n;

	n = t_unhex(chal_hex, pkt, sizeof(pkt));
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(chap_msg_decode(&r, &m));
	CHECK_EQ(m.code, CHAP_CHALLENGE);
	CHECK_EQ(m.id, 0x2a);
	CHECK_EQ(m.value_len, 16);
	CHECK(m.value == pkt + 5);
	CHECK_EQ(m.name_len, 3);
	CHECK_MEM(m.name, "srv", 3);
	CHECK_STR(chap_text(&m, text, sizeof(text)), "chap challenge id=42 "
	    "value[16]=00112233445566778899aabbccddeeff name=\"srv\"");
	sweep_packet(true, pkt, (size_t)n);

	n = t_unhex(resp_hex, pkt, sizeof(pkt));
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(chap_msg_decode(&r, &m));
	CHECK_EQ(m.code, CHAP_RESPONSE);
	CHECK_OK(chap_md5_response_decode(m.value, m.value_len, md5));
	CHECK_MEM(md5, pkt + 5, 16);
	CHECK_ERR(chap_md5_response_decode(m.value, 15, md5), ERR_LENGTH);
	sweep_packet(true, pkt, (size_t)n);

	/* build the Response from its parts */
	uint8_t val[16];
	wr_init(&w, val, sizeof(val));
	CHECK_OK(chap_md5_response_encode(&w, md5));
	memset(&e, 0, sizeof(e));
	e.code = CHAP_RESPONSE;
	e.id = 0x2a;
	e.value = val;
	e.value_len = wr_len(&w);
	e.name = (const uint8_t *)"alice";
	e.name_len = 5;
	wr_init(&w, out, sizeof(out));
	CHECK_OK(chap_msg_encode(&w, &e));
	CHECK_EQ(wr_len(&w), (size_t)n);
	CHECK_MEM(out, pkt, (size_t)n);
}

TEST(chap_success_failure_and_errors)
{
	static const struct hexcase cases[] = {
		{ "04 06 00 04", 0 },			/* an empty Failure */
		{ "03 06 00 04 ee", 0 },		/* ... Success, padded */
		{ "01 01 00 08 05 01 02 03", ERR_LENGTH }, /* Value past end */
		/* Value-Size past Length, though the padding would cover it */
		{ "01 01 00 08 05 01 02 03 04 05", ERR_LENGTH },
		{ "01 01 00 05 00", ERR_LENGTH },	/* Value-Size 0 */
		{ "02 01 00 04", ERR_LENGTH },		/* no Value-Size */
		{ "02 01 00 05 01", ERR_LENGTH },
		{ "02 01 00 06 01 aa", 0 },		/* no Name */
		{ "07 01 00 04", 0 },	/* Change-Password: size checked later */
		/* codes 5 and 6 (MS-CHAPv1 change password) are not handled */
		{ "05 01 00 04", ERR_CODE },
		{ "06 01 00 04", ERR_CODE },
		{ "08 01 00 04", ERR_CODE },
		{ "01 01 00 03", ERR_LENGTH },
		{ "01 01 00", ERR_TRUNCATED },
	};
	uint8_t pkt[64], out[64];
	struct chap_msg m;
	struct rd r;
	struct wr w;
	char text[256];
	int n;

	n = t_unhex("03 05 00 0e 57656c636f6d6521 0a 00", pkt, sizeof(pkt));
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(chap_msg_decode(&r, &m));
	CHECK_EQ(m.code, CHAP_SUCCESS);
	CHECK_EQ(m.message_len, 10);
	CHECK_STR(chap_text(&m, text, sizeof(text)),
	    "chap success id=5 msg=\"Welcome!\\x0a\"");	/* stops at NUL */
	sweep_packet(true, pkt, (size_t)n);
	run_cases(true, cases, sizeof(cases) / sizeof(cases[0]));
	/* encoder refuses an empty Value */
	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE;
	wr_init(&w, out, sizeof(out));
	CHECK_ERR(chap_msg_encode(&w, &m), ERR_RANGE);
	CHECK_EQ(wr_len(&w), 0);
}

/* --- MS-CHAPv1, RFC 2433 --- */

TEST(mschapv1_response_landscape_4_2)
{
	static const char nt_hex[] =
	    "4E9D3C8F9CFD385D5BF4D3246791956CA4C351AB409A3D61";
	uint8_t value[MSCHAPV1_RESPONSE_LEN], nt[24], zero[24] = { 0 };
	uint8_t out[64], chal[8], chal_in[8];
	struct mschapv1_response m;
	struct wr w;
	struct sbuf sb;
	char text[256];

	memset(value, 0, 24);
	CHECK_EQ(t_unhex(nt_hex, nt, sizeof(nt)), 24);
	memcpy(value + 24, nt, 24);
	value[48] = 0x01;
	CHECK_OK(mschapv1_response_decode(value, sizeof(value), &m));
	CHECK_MEM(m.lm, zero, 24);
	CHECK_MEM(m.nt, nt, 24);
	CHECK_EQ(m.flags, MSCHAPV1_FLAG_USE_NT);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(mschapv1_response_encode(&w, &m));
	CHECK_EQ(wr_len(&w), 49);
	CHECK_MEM(out, value, 49);
	sbuf_init(&sb, text, sizeof(text));
	mschapv1_response_print(&m, &sb);
	CHECK_STR(sbuf_str(&sb), "lm=none nt=4e9d3c8f9cfd385d5bf4d3246791956c"
	    "a4c351ab409a3d61 flags=0x01");
	CHECK_ERR(mschapv1_response_decode(value, 48, &m), ERR_LENGTH);
	CHECK_ERR(mschapv1_response_decode(value, 50, &m), ERR_LENGTH);

	/* the RFC 2433 B.2 challenge */
	CHECK_EQ(t_unhex("102DB5DF085D3041", chal_in, 8), 8);
	CHECK_OK(mschapv1_challenge_decode(chal_in, 8, chal));
	CHECK_MEM(chal, chal_in, 8);
	CHECK_ERR(mschapv1_challenge_decode(chal_in, 16, chal), ERR_LENGTH);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(mschapv1_challenge_encode(&w, chal));
	CHECK_EQ(wr_len(&w), 8);
	wr_init(&w, out, 7);
	CHECK_ERR(mschapv1_challenge_encode(&w, chal), ERR_NOSPACE);
}

/* --- MS-CHAPv2, RFC 2759 --- */

TEST(mschapv2_response_rfc2759_9_2)
{
	/* The whole CHAP Response packet, laid out by hand: code 2, id 0x1f,
	 * Length 58, Value-Size 49, Peer-Challenge, 8 zero, NT-Response,
	 * Flags 0, Name "User". */
	static const char pkt_hex[] =
	    "02 1f 00 3a 31"
	    "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E"
	    "00 00 00 00 00 00 00 00"
	    "82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF"
	    "00"
	    "55 73 65 72";
	uint8_t pkt[64], val[64], out[64], auth_chal[16], chal[16];
	struct mschapv2_response v, d;
	struct chap_msg m, e;
	struct rd r;
	struct wr w;
	struct sbuf sb;
	char text[512];
	int n = t_unhex(pkt_hex, pkt, sizeof(pkt));

	CHECK_EQ(n, 58);
	memset(&v, 0, sizeof(v));
	CHECK_EQ(t_unhex("21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E",
	    v.peer_challenge, 16), 16);
	CHECK_EQ(t_unhex("82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54"
	    "42 33 11 4A 3D 85 D6 DF", v.nt_response, 24), 24);
	CHECK(mschapv2_response_reserved_ok(&v));
	wr_init(&w, val, sizeof(val));
	CHECK_OK(mschapv2_response_encode(&w, &v));
	CHECK_EQ(wr_len(&w), MSCHAPV2_RESPONSE_LEN);
	memset(&e, 0, sizeof(e));
	e.code = CHAP_RESPONSE;
	e.id = 0x1f;
	e.value = val;
	e.value_len = wr_len(&w);
	e.name = (const uint8_t *)"User";
	e.name_len = 4;
	wr_init(&w, out, sizeof(out));
	CHECK_OK(chap_msg_encode(&w, &e));
	CHECK_EQ(wr_len(&w), 58);
	CHECK_MEM(out, pkt, 58);

	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(chap_msg_decode(&r, &m));
	CHECK_EQ(m.name_len, 4);
	CHECK_MEM(m.name, "User", 4);
	CHECK_OK(mschapv2_response_decode(m.value, m.value_len, &d));
	CHECK_MEM(d.peer_challenge, v.peer_challenge, 16);
	CHECK_MEM(d.nt_response, v.nt_response, 24);
	CHECK_EQ(d.flags, 0);
	CHECK(mschapv2_response_reserved_ok(&d));
	sbuf_init(&sb, text, sizeof(text));
	mschapv2_response_print(&d, &sb);
	CHECK_STR(sbuf_str(&sb), "peer-challenge=214023242"
	    "55e262a28295f2b3a337c7e nt-response=82309ecd8d708b5ea08faa3981cd8"
	    "3544233114a3d85d6df flags=0x00");
	sweep_packet(true, pkt, (size_t)n);

	/* nonzero Reserved or Flags: kept, reported, not refused */
	pkt[5 + 16 + 3] = 0x80;
	rd_init(&r, pkt, (size_t)n);
	CHECK_OK(chap_msg_decode(&r, &m));
	CHECK_OK(mschapv2_response_decode(m.value, m.value_len, &d));
	CHECK(!mschapv2_response_reserved_ok(&d));
	CHECK_EQ(d.reserved[3], 0x80);
	CHECK_ERR(mschapv2_response_decode(m.value, 48, &d), ERR_LENGTH);

	/* the 9.2 Authenticator Challenge */
	CHECK_EQ(t_unhex("5B5D7C7D7B3F2F3E3C2C602132262628", auth_chal, 16),
	    16);
	CHECK_OK(mschapv2_challenge_decode(auth_chal, 16, chal));
	CHECK_MEM(chal, auth_chal, 16);
	CHECK_ERR(mschapv2_challenge_decode(auth_chal, 8, chal), ERR_LENGTH);
	CHECK_ERR(mschapv2_challenge_decode(NULL, 0, chal), ERR_LENGTH);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(mschapv2_challenge_encode(&w, chal));
	CHECK_EQ(wr_len(&w), 16);
	CHECK_MEM(out, auth_chal, 16);
}

TEST(mschapv2_change_password_layout)
{
	static uint8_t pkt[4 + MSCHAPV2_CHPASS_LEN];
	static uint8_t out[700], data[MSCHAPV2_CHPASS_LEN];
	struct mschapv2_chpass c;
	struct chap_msg m, e;
	struct rd r;
	struct wr w;
	struct sbuf sb;
	char text[512];
	size_t i;

	pkt[0] = 7;
	pkt[1] = 0x20;
	pkt[2] = 0x02;
	pkt[3] = 0x4a;			/* 586 */
	for (i = 4; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 7);
	pkt[4 + 516 + 16 + 16 + 3] = 0;	/* some Reserved octets */
	rd_init(&r, pkt, sizeof(pkt));
	CHECK_OK(chap_msg_decode(&r, &m));
	CHECK_EQ(m.code, CHAP_CHANGE_PASSWORD);
	CHECK_EQ(m.value_len, MSCHAPV2_CHPASS_LEN);
	CHECK_OK(mschapv2_chpass_decode(m.value, m.value_len, &c));
	CHECK_MEM(c.enc_password, pkt + 4, 516);
	CHECK_MEM(c.enc_hash, pkt + 4 + 516, 16);
	CHECK_MEM(c.peer_challenge, pkt + 4 + 532, 16);
	CHECK_MEM(c.reserved, pkt + 4 + 548, 8);
	CHECK_MEM(c.nt_response, pkt + 4 + 556, 24);
	CHECK_EQ(c.flags, (unsigned)pkt[584] << 8 | pkt[585]);
	sbuf_init(&sb, text, sizeof(text));
	mschapv2_chpass_print(&c, &sb);
	CHECK(strstr(sbuf_str(&sb), "encrypted-password=<hidden>") != NULL);
	CHECK_STR(chap_text(&m, text, sizeof(text)),
	    "chap change-password id=32 len=582");

	wr_init(&w, data, sizeof(data));
	CHECK_OK(mschapv2_chpass_encode(&w, &c));
	CHECK_EQ(wr_len(&w), MSCHAPV2_CHPASS_LEN);
	memset(&e, 0, sizeof(e));
	e.code = CHAP_CHANGE_PASSWORD;
	e.id = 0x20;
	e.value = data;
	e.value_len = wr_len(&w);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(chap_msg_encode(&w, &e));
	CHECK_EQ(wr_len(&w), sizeof(pkt));
	CHECK_MEM(out, pkt, sizeof(pkt));
	CHECK_ERR(mschapv2_chpass_decode(m.value, 581, &c), ERR_LENGTH);
	wr_init(&w, out, 581);
	CHECK_ERR(mschapv2_chpass_encode(&w, &c), ERR_NOSPACE);
	sweep_packet(true, pkt, sizeof(pkt));
}

/*
 * test_pptp_msg.c - the PPTP control message codec (RFC 2637 section 2):
 * scapy's known-answer vectors, round trips of all 15 messages, stream
 * framing on every prefix, every truncation and every single-bit flip,
 * the distinct header errors, reserved fields, the printer, and every
 * control message in the real captures re-encoded byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>

#include "t.h"
#include "cap.h"
#include "json.h"
#include "../src/wire/pptp_msg.h"

#define Z16	"00000000000000000000000000000000"	/* 16 zero octets */

/* Control messages from secdev/scapy test/scapy/layers/pptp.uts (PPTP
 * payload only).  The ICRP vector carries Length 0x0094 for a 24-octet
 * message: scapy's bug, kept here as a negative test.  Z16 abbreviates
 * runs of zero padding; the bytes are scapy's. */
#define V_SCCRQ	"009c00011a2b3c4d00010000010000000000000100000002002a002f" \
		"7465737420686f7374206e616d65" Z16 Z16 Z16 \
		"0000746573742076656e646f7220737472696e67" Z16 Z16 \
		"0000000000000000000000000000"
#define V_SCCRP	"009c00011a2b3c4d00020000010002010000000200000001ffff0100" \
		"6c696e7578" Z16 Z16 Z16 "000000000000000000000076656e646f72" \
		Z16 Z16 Z16 "00000000000000000000"
#define V_STOPCCRQ "001000011a2b3c4d0003000003000000"
#define V_STOPCCRP "001000011a2b3c4d0004000002060000"
#define V_ECHORQ "001000011a2b3c4d000500000000002a"
#define V_ECHORP "001400011a2b3c4d000600000000002a01000000"
#define V_OCRQ	"00a800011a2b3c4d000700001092002f000003e80000271000000002" \
		"000000030010000100090000313233343536373839" Z16 Z16 Z16 \
		"0000000000000074657374" Z16 Z16 Z16 "000000000000000000000000"
#define V_OCRP	"002000011a2b3c4d00080000109310920404002a00001388002000030000002a"
#define V_ICRQ	"00dc00011a2b3c4d000900001092002f000000020000000c0009000a" \
		"313233343536373839" Z16 Z16 Z16 \
		"0000000000000030313233343536373839" Z16 Z16 Z16 \
		"00000000000074657374" Z16 Z16 Z16 "000000000000000000000000"
#define V_ICRP_BAD "009400011a2b3c4d000a00001093109201000010002a0000"
#define V_ICCN	"001c00011a2b3c4d000b00001092000002d4683b0010000700000003"
#define V_CCRQ	"001000011a2b3c4d000c000010920000"
#define V_CDN	"009400011a2b3c4d000d000010920300002f0000736f6d6520646573" \
		"6372697074696f6e" Z16 Z16 Z16 Z16 Z16 Z16 Z16
#define V_WEN	"002800011a2b3c4d000e0000109200000000000100000002" \
		"00000003000000040000000500000006"
#define V_SLI	"001800011a2b3c4d000f0000109200000f0f0f0ff0f0f0f0"

static uint8_t vbuf[PPTP_MAX_MSG_LEN + 8];
static size_t vlen;

/* Decodes a hex vector into *m (zeroed first) and checks it re-encodes to
 * the same bytes.  Returns the decoder's result. */
static int
vector(const char *hex, struct pptp_msg *m)
{
	uint8_t out[PPTP_MAX_MSG_LEN];
	struct rd r;
	struct wr w;
	int n, ret;

	n = t_unhex(hex, vbuf, sizeof(vbuf));
	CHECK(n > 0);
	vlen = n > 0 ? (size_t)n : 0;
	memset(m, 0, sizeof(*m));
	rd_init(&r, vbuf, vlen);
	if ((ret = pptp_msg_decode(&r, m)) != 0)
		return ret;
	CHECK_EQ(m->length, vlen);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(pptp_msg_encode(&w, m));
	CHECK_EQ(wr_len(&w), vlen);
	CHECK_MEM(out, vbuf, vlen);
	return 0;
}

/* A fixed-width field: the string, then NULs to the end. */
static bool
padded(const char *field, size_t width, const char *s)
{
	size_t i, n = strlen(s);

	if (memcmp(field, s, n) != 0)
		return false;
	for (i = n; i <= width; i++)
		if (field[i] != '\0')
			return false;
	return true;
}

static const char *
print_msg(const struct pptp_msg *m)
{
	static char text[PPTP_MSG_PRINT_MAX];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	pptp_msg_print(m, &sb);
	CHECK(!sb.truncated);
	return sbuf_str(&sb);
}

/* Each scapy vector, its length (with the ICRP below, an independent check
 * of all 15 entries of the length table), and its decoded fields as printed
 * (every field value appears in the line, codes by name). */
static const struct {
	const char	*hex;
	size_t		 len;
	const char	*line;
} scapy[] = {
	{ V_SCCRQ, 156, "SCCRQ Start-Control-Connection-Request version=1.0 "
	    "framing=async bearer=digital max_channels=42 firmware=0x2f "
	    "host=\"test host name\" vendor=\"test vendor string\"" },
	{ V_SCCRP, 156, "SCCRP Start-Control-Connection-Reply version=1.0 "
	    "result=General-Error error=Not-Connected framing=sync "
	    "bearer=analog max_channels=65535 firmware=0x100 host=\"linux\" "
	    "vendor=\"vendor\"" },
	{ V_STOPCCRQ, 16, "StopCCRQ Stop-Control-Connection-Request "
	    "reason=Stop-Local-Shutdown" },
	{ V_STOPCCRP, 16, "StopCCRP Stop-Control-Connection-Reply "
	    "result=General-Error error=PAC-Error" },
	{ V_ECHORQ, 16, "EchoRQ Echo-Request id=0x2a" },
	{ V_ECHORP, 20, "EchoRP Echo-Reply id=0x2a result=OK error=None" },
	{ V_OCRQ, 168, "OCRQ Outgoing-Call-Request call_id=4242 serial=47 "
	    "min_bps=1000 max_bps=10000 bearer=digital framing=any window=16 "
	    "ppd=1 phone_len=9 phone=\"123456789\" subaddress=\"test\"" },
	{ V_OCRP, 32, "OCRP Outgoing-Call-Reply call_id=4243 "
	    "peer_call_id=4242 result=Busy error=No-Resource cause=42 "
	    "speed=5000 window=32 ppd=3 channel=42" },
	{ V_ICRQ, 220, "ICRQ Incoming-Call-Request call_id=4242 serial=47 "
	    "bearer=digital channel=12 dialed_len=9 dialing_len=10 "
	    "dialed=\"123456789\" dialing=\"0123456789\" subaddress=\"test\"" },
	{ V_ICCN, 28, "ICCN Incoming-Call-Connected peer_call_id=4242 "
	    "speed=47474747 window=16 ptd=7 framing=any" },
	{ V_CCRQ, 16, "CCRQ Call-Clear-Request call_id=4242" },
	{ V_CDN, 148, "CDN Call-Disconnect-Notify call_id=4242 "
	    "result=Admin-Shutdown error=None cause=47 "
	    "stats=\"some description\"" },
	{ V_WEN, 40, "WEN WAN-Error-Notify peer_call_id=4242 crc=1 framing=2 "
	    "hw_overruns=3 buf_overruns=4 timeout=5 alignment=6" },
	{ V_SLI, 24, "SLI Set-Link-Info peer_call_id=4242 "
	    "send_accm=0x0f0f0f0f recv_accm=0xf0f0f0f0" },
};

TEST(pptp_scapy_vectors_decode_and_reencode)
{
	struct pptp_msg m;
	size_t i, got;

	for (i = 0; i < sizeof(scapy) / sizeof(scapy[0]); i++) {
		t_note("vector %zu", i);
		CHECK_OK(vector(scapy[i].hex, &m));
		CHECK_EQ(vlen, scapy[i].len);
		CHECK_EQ(m.ctrl_type, vbuf[9]);
		CHECK_OK(pptp_msg_check_reserved(&m));
		CHECK_STR(print_msg(&m), scapy[i].line);
	}
	/* scapy's ICRP: Length 148 on a 24-octet message.  With the Length
	 * the RFC layout gives, the rest is a valid ICRP. */
	CHECK_ERR(vector(V_ICRP_BAD, &m), ERR_LENGTH);
	CHECK_ERR(pptp_msg_frame(vbuf, vlen, &got), ERR_LENGTH);
	vbuf[1] = 24;
	CHECK_OK(pptp_msg_frame(vbuf, vlen, &got));
	CHECK_EQ(got, 24);
}

/* The same values read straight from the structs, not via the printer. */
TEST(pptp_scapy_vectors_fields)
{
	struct pptp_msg m;

	CHECK_OK(vector(V_SCCRQ, &m));
	CHECK_EQ(m.ctrl_type, PPTP_SCCRQ);
	CHECK_EQ(m.u.sccrq.version, PPTP_VERSION);
	CHECK_EQ(m.u.sccrq.framing_caps, PPTP_FRAMING_CAP_ASYNC);
	CHECK_EQ(m.u.sccrq.bearer_caps, PPTP_BEARER_CAP_DIGITAL);
	CHECK_EQ(m.u.sccrq.max_channels, 42);
	CHECK_EQ(m.u.sccrq.firmware_rev, 47);
	CHECK(padded(m.u.sccrq.host_name, 64, "test host name"));
	CHECK(padded(m.u.sccrq.vendor, 64, "test vendor string"));

	CHECK_OK(vector(V_OCRP, &m));
	CHECK_EQ(m.ctrl_type, PPTP_OCRP);
	CHECK_EQ(m.u.ocrp.call_id, 4243);
	CHECK_EQ(m.u.ocrp.peer_call_id, 4242);
	CHECK_EQ(m.u.ocrp.result, PPTP_OCRP_BUSY);
	CHECK_EQ(m.u.ocrp.error, PPTP_GENERR_NO_RESOURCE);
	CHECK_EQ(m.u.ocrp.cause, 42);
	CHECK_EQ(m.u.ocrp.connect_speed, 5000);
	CHECK_EQ(m.u.ocrp.recv_window, 32);
	CHECK_EQ(m.u.ocrp.ppd, 3);
	CHECK_EQ(m.u.ocrp.phys_channel, 42);

	CHECK_OK(vector(V_WEN, &m));
	CHECK_EQ(m.u.wen.crc_errors, 1);
	CHECK_EQ(m.u.wen.framing_errors, 2);
	CHECK_EQ(m.u.wen.hw_overruns, 3);
	CHECK_EQ(m.u.wen.buf_overruns, 4);
	CHECK_EQ(m.u.wen.timeout_errors, 5);
	CHECK_EQ(m.u.wen.align_errors, 6);
}

/* Fills every field of a ctrl_type message with distinct values (strings
 * zero-padded by the initialiser, reserved fields zero). */
static void
build(struct pptp_msg *m, uint16_t t)
{
	pptp_msg_init(m, t);
	switch (t) {
	case PPTP_SCCRQ:
		m->u.sccrq = (struct pptp_sccrq){ .version = PPTP_VERSION,
		    .framing_caps = PPTP_FRAMING_CAP_SYNC, .bearer_caps = 3,
		    .max_channels = 0, .firmware_rev = 0x0102,
		    .host_name = "pns.example", .vendor = "pptpkit" };
		break;
	case PPTP_SCCRP:
		m->u.sccrp = (struct pptp_sccrp){ .version = PPTP_VERSION,
		    .result = PPTP_SCCRP_SUCCESS, .error = PPTP_GENERR_NONE,
		    .framing_caps = 3, .bearer_caps = 1, .max_channels = 65535,
		    .firmware_rev = 1, .host_name = "pac", .vendor =
		    "a vendor string that is exactly sixty-four characters long...." };
		break;
	case PPTP_STOPCCRQ:
		m->u.stopccrq.reason = PPTP_STOP_PROTOCOL;
		break;
	case PPTP_STOPCCRP:
		m->u.stopccrp = (struct pptp_stopccrp){
		    .result = PPTP_STOPCCRP_OK, .error = PPTP_GENERR_BAD_VALUE };
		break;
	case PPTP_ECHORQ:
		m->u.echorq.id = 0xdeadbeef;
		break;
	case PPTP_ECHORP:
		m->u.echorp = (struct pptp_echorp){ .id = 0x01020304,
		    .result = PPTP_ECHORP_GENERAL_ERROR,
		    .error = PPTP_GENERR_NOT_CONNECTED };
		break;
	case PPTP_OCRQ:
		m->u.ocrq = (struct pptp_ocrq){ .call_id = 0x1234,
		    .call_serial = 7, .min_bps = 300, .max_bps = 100000000,
		    .bearer_type = PPTP_BEARER_ANY,
		    .framing_type = PPTP_FRAMING_SYNC, .recv_window = 64,
		    .ppd = 2, .phone_len = 3, .phone = "555",
		    .subaddress = "sub" };
		break;
	case PPTP_OCRP:
		m->u.ocrp = (struct pptp_ocrp){ .call_id = 0x4321,
		    .peer_call_id = 0x1234, .result = PPTP_OCRP_CONNECTED,
		    .cause = 0x0102, .connect_speed = 64000, .recv_window = 16,
		    .ppd = 1, .phys_channel = 0x0a0b0c0d };
		break;
	case PPTP_ICRQ:
		m->u.icrq = (struct pptp_icrq){ .call_id = 9, .call_serial = 10,
		    .bearer_type = PPTP_BEARER_ANALOG, .phys_channel = 11,
		    .dialed_len = 4, .dialing_len = 5, .dialed = "1234",
		    .dialing = "56789", .subaddress = "x" };
		break;
	case PPTP_ICRP:
		m->u.icrp = (struct pptp_icrp){ .call_id = 12,
		    .peer_call_id = 9, .result = PPTP_ICRP_CONNECT,
		    .recv_window = 32, .ptd = 5 };
		break;
	case PPTP_ICCN:
		m->u.iccn = (struct pptp_iccn){ .peer_call_id = 12,
		    .connect_speed = 115200, .recv_window = 8, .ptd = 3,
		    .framing_type = PPTP_FRAMING_ASYNC };
		break;
	case PPTP_CCRQ:
		m->u.ccrq.call_id = 0xfffe;
		break;
	case PPTP_CDN:
		m->u.cdn = (struct pptp_cdn){ .call_id = 0x0101,
		    .result = PPTP_CDN_REQUEST, .error = PPTP_GENERR_BAD_CALL_ID,
		    .cause = 16, .call_stats = "rx=1 tx=2" };
		break;
	case PPTP_WEN:
		m->u.wen = (struct pptp_wen){ .peer_call_id = 77,
		    .crc_errors = 10, .framing_errors = 20, .hw_overruns = 30,
		    .buf_overruns = 40, .timeout_errors = 50,
		    .align_errors = 60 };
		break;
	case PPTP_SLI:
		m->u.sli = (struct pptp_sli){ .peer_call_id = 78,
		    .send_accm = 0xffffffff, .recv_accm = 0x000a0000 };
		break;
	}
}

/* Encodes message t as built above into buf; returns its length. */
static size_t
build_bytes(uint16_t t, uint8_t *buf, size_t cap)
{
	struct pptp_msg m;
	struct wr w;

	build(&m, t);
	wr_init(&w, buf, cap);
	CHECK_OK(pptp_msg_encode(&w, &m));
	return wr_len(&w);
}

TEST(pptp_build_encode_decode_all_15)
{
	uint8_t buf[PPTP_MAX_MSG_LEN], again[PPTP_MAX_MSG_LEN];
	char text[PPTP_MSG_PRINT_MAX];
	struct pptp_msg a, b;
	struct rd r;
	struct wr w;
	uint16_t t;

	for (t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		t_note("ctrl_type %u", t);
		build(&a, t);
		CHECK_EQ(a.length, pptp_msg_len(t));
		CHECK_OK(pptp_msg_check_reserved(&a));
		wr_init(&w, buf, sizeof(buf));
		CHECK_OK(pptp_msg_encode(&w, &a));
		CHECK_EQ(wr_len(&w), pptp_msg_len(t));
		CHECK_EQ(buf[0] << 8 | buf[1], pptp_msg_len(t));
		CHECK_EQ(buf[9], t);

		rd_init(&r, buf, wr_len(&w));
		CHECK_OK(pptp_msg_decode(&r, &b));
		CHECK_EQ(b.length, a.length);
		CHECK_EQ(b.msg_type, a.msg_type);
		CHECK_EQ(b.magic, a.magic);
		CHECK_EQ(b.ctrl_type, a.ctrl_type);
		CHECK_EQ(b.reserved0, a.reserved0);
		/* Every body field is on the wire and in the printout. */
		wr_init(&w, again, sizeof(again));
		CHECK_OK(pptp_msg_encode(&w, &b));
		CHECK_EQ(wr_len(&w), pptp_msg_len(t));
		CHECK_MEM(again, buf, pptp_msg_len(t));
		snprintf(text, sizeof(text), "%s %s", pptp_ctrl_type_name(t),
		    pptp_ctrl_type_long_name(t));
		CHECK(strncmp(print_msg(&a), text, strlen(text)) == 0);
		snprintf(text, sizeof(text), "%s", print_msg(&a));
		CHECK_STR(print_msg(&b), text);
	}
}

TEST(pptp_encode_errors)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wr w;

	build(&m, PPTP_OCRQ);
	wr_init(&w, buf, 167);
	CHECK_ERR(pptp_msg_encode(&w, &m), ERR_NOSPACE);

	pptp_msg_init(&m, 0);
	CHECK_EQ(m.length, 0);
	CHECK_EQ(pptp_msg_len(16) + pptp_msg_len(0xffff), 0);
	wr_init(&w, buf, sizeof(buf));
	CHECK_ERR(pptp_msg_encode(&w, &m), ERR_CTRL_TYPE);
	m.ctrl_type = 16;
	CHECK_ERR(pptp_msg_encode(&w, &m), ERR_CTRL_TYPE);
	CHECK_EQ(wr_len(&w), 0);

	/* Length and Magic come from the table, not from the struct. */
	build(&m, PPTP_ECHORQ);
	m.length = 99;
	m.magic = 0;
	m.msg_type = 2;
	CHECK_OK(pptp_msg_encode(&w, &m));
	CHECK_EQ(wr_len(&w), 16);
	CHECK_MEM(buf, "\x00\x10\x00\x01\x1a\x2b\x3c\x4d\x00\x05", 10);
}

/* Every prefix of every message: the framer knows the length from 12
 * bytes on, the decoder fails on every truncation. */
TEST(pptp_frame_and_decode_every_prefix)
{
	uint8_t buf[PPTP_MAX_MSG_LEN + 16];
	struct pptp_msg m;
	struct rd r;
	size_t len, n, got;
	uint16_t t;

	for (t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		t_note("ctrl_type %u", t);
		len = build_bytes(t, buf, sizeof(buf));
		for (n = 0; n <= len; n++) {
			got = 0;
			if (n < PPTP_HDR_LEN) {
				CHECK_ERR(pptp_msg_frame(buf, n, &got),
				    ERR_TRUNCATED);
			} else {
				CHECK_OK(pptp_msg_frame(buf, n, &got));
				CHECK_EQ(got, len);
			}
			rd_init(&r, buf, n);
			CHECK_ERR(pptp_msg_decode(&r, &m),
			    n < len ? ERR_TRUNCATED : 0);
		}
		/* The start of the next message does not disturb the framer,
		 * but the decoder wants exactly one message. */
		memcpy(buf + len, buf, 16);
		CHECK_OK(pptp_msg_frame(buf, len + 16, &got));
		CHECK_EQ(got, len);
		rd_init(&r, buf, len + 1);
		CHECK_ERR(pptp_msg_decode(&r, &m), ERR_TRAILING);
	}
	CHECK_ERR(pptp_msg_frame(NULL, 0, &got), ERR_TRUNCATED);
}

/*
 * Flips each bit of each message.  Flips in Length, Message Type and Magic
 * Cookie always fail with their own error; a flip in the control type fails
 * or turns it into another type of the same length (4 <-> 5, 4 <-> 12);
 * every body field is kept verbatim, so any body flip decodes and
 * re-encodes to exactly the flipped bytes.
 */
TEST(pptp_every_bit_flip)
{
	uint8_t buf[PPTP_MAX_MSG_LEN], out[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct rd r;
	struct wr w;
	size_t len, bit;
	uint16_t t;
	int ret;

	for (t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		t_note("ctrl_type %u", t);
		len = build_bytes(t, buf, sizeof(buf));
		for (bit = 0; bit < len * 8; bit++) {
			size_t at = bit / 8;

			buf[at] ^= (uint8_t)(1u << (bit % 8));
			rd_init(&r, buf, len);
			ret = pptp_msg_decode(&r, &m);
			if (at < 2)
				CHECK_ERR(ret, ERR_LENGTH);
			else if (at < 4)
				CHECK_ERR(ret, ERR_MSG_TYPE);
			else if (at < 8)
				CHECK_ERR(ret, ERR_MAGIC);
			else if (at < 10)
				CHECK(ret == 0 || ret == ERR_CTRL_TYPE ||
				    ret == ERR_LENGTH);
			else
				CHECK_OK(ret);
			if (ret == 0) {
				wr_init(&w, out, sizeof(out));
				CHECK_OK(pptp_msg_encode(&w, &m));
				CHECK_EQ(wr_len(&w), len);
				CHECK_MEM(out, buf, len);
			}
			buf[at] ^= (uint8_t)(1u << (bit % 8));
		}
	}
}

TEST(pptp_header_errors_are_distinct)
{
	uint8_t buf[32];
	struct pptp_msg m;
	struct rd r;
	size_t got;
	int n;

#define DECODE_HEX(hex, want) do {					\
	n = t_unhex((hex), buf, sizeof(buf));				\
	rd_init(&r, buf, n > 0 ? (size_t)n : 0);			\
	CHECK_ERR(pptp_msg_decode(&r, &m), (want));			\
} while (0)

	DECODE_HEX("001000011a2b3c4d000500000000002a", 0);
	DECODE_HEX("001000011a2b3c4e000500000000002a", ERR_MAGIC);
	CHECK_ERR(pptp_msg_frame(buf, (size_t)n, &got), ERR_MAGIC);
	DECODE_HEX("001000021a2b3c4d000500000000002a", ERR_MSG_TYPE);
	CHECK_ERR(pptp_msg_frame(buf, (size_t)n, &got), ERR_MSG_TYPE);
	DECODE_HEX("001000011a2b3c4d000000000000002a", ERR_CTRL_TYPE);
	CHECK_ERR(pptp_msg_frame(buf, (size_t)n, &got), ERR_CTRL_TYPE);
	DECODE_HEX("001000011a2b3c4d001000000000002a", ERR_CTRL_TYPE);
	CHECK_ERR(pptp_msg_frame(buf, (size_t)n, &got), ERR_CTRL_TYPE);
	DECODE_HEX("001000011a2b3c4d000500000000002a00", ERR_TRAILING);
	CHECK_OK(pptp_msg_frame(buf, (size_t)n, &got));
	CHECK_EQ(got, 16);
	DECODE_HEX("001400011a2b3c4d000500000000002a0000", ERR_LENGTH);
	CHECK_ERR(pptp_msg_frame(buf, (size_t)n, &got), ERR_LENGTH);
	/* Too short for its (correct) Length. */
	DECODE_HEX("001400011a2b3c4d000600000000002a010000", ERR_TRUNCATED);
#undef DECODE_HEX
	/* A stream off a message boundary (shifted by two bytes) fails as
	 * soon as the cookie's place is filled; a bad control type or
	 * length shows from 10 bytes, before the header is whole. */
	n = t_unhex("001000011a2b3c4d000500000000002a", buf, sizeof(buf));
	CHECK_ERR(pptp_msg_frame(buf + 2, 7, &got), ERR_TRUNCATED);
	CHECK_ERR(pptp_msg_frame(buf + 2, 8, &got), ERR_MAGIC);
	buf[9] = 0;
	CHECK_ERR(pptp_msg_frame(buf, 10, &got), ERR_CTRL_TYPE);
	buf[9] = PPTP_ECHORP;		/* 20 octets, Length says 16 */
	CHECK_ERR(pptp_msg_frame(buf, 10, &got), ERR_LENGTH);
}

TEST(pptp_reserved_fields_kept_and_reported)
{
	uint8_t out[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wr w;
	uint16_t t;

	for (t = 1; t <= PPTP_CTRL_TYPE_MAX; t++) {
		build(&m, t);
		CHECK_OK(pptp_msg_check_reserved(&m));
		m.reserved0 = 1;
		CHECK_ERR(pptp_msg_check_reserved(&m), ERR_RESERVED);
		build(&m, t);
		switch (t) {
		case PPTP_SCCRQ:	m.u.sccrq.reserved1 = 0x8000; break;
		case PPTP_STOPCCRQ:	m.u.stopccrq.reserved1 = 0x80; break;
		case PPTP_STOPCCRP:	m.u.stopccrp.reserved1 = 1; break;
		case PPTP_ECHORP:	m.u.echorp.reserved1 = 1; break;
		case PPTP_OCRQ:		m.u.ocrq.reserved1 = 1; break;
		case PPTP_ICRP:		m.u.icrp.reserved1 = 1; break;
		case PPTP_ICCN:		m.u.iccn.reserved1 = 1; break;
		case PPTP_CCRQ:		m.u.ccrq.reserved1 = 1; break;
		case PPTP_CDN:		m.u.cdn.reserved1 = 1; break;
		case PPTP_WEN:		m.u.wen.reserved1 = 1; break;
		case PPTP_SLI:		m.u.sli.reserved1 = 1; break;
		default:		continue;	/* none in the body */
		}
		CHECK_ERR(pptp_msg_check_reserved(&m), ERR_RESERVED);
	}
	build(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reserved2 = 1;
	CHECK_ERR(pptp_msg_check_reserved(&m), ERR_RESERVED);
	m.ctrl_type = 0;
	CHECK_ERR(pptp_msg_check_reserved(&m), ERR_CTRL_TYPE);

	/* A peer's junk in Reserved0 and Reserved1 decodes, is reported, and
	 * survives the round trip. */
	CHECK_OK(vector("001000011a2b3c4d000c5a5a1092a5a5", &m));
	CHECK_EQ(m.reserved0, 0x5a5a);
	CHECK_EQ(m.u.ccrq.reserved1, 0xa5a5);
	CHECK_ERR(pptp_msg_check_reserved(&m), ERR_RESERVED);
	wr_init(&w, out, sizeof(out));
	CHECK_OK(pptp_msg_encode(&w, &m));
	CHECK_MEM(out, vbuf, 16);
}

TEST(pptp_strings_kept_verbatim)
{
	uint8_t buf[PPTP_MAX_MSG_LEN], out[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct rd r;
	struct wr w;
	size_t len;

	/* Garbage after the NUL in a host name comes back unchanged. */
	len = build_bytes(PPTP_SCCRQ, buf, sizeof(buf));
	buf[28 + 12] = 0xff;		/* host name is at offset 28 */
	buf[28 + 63] = 'Z';
	rd_init(&r, buf, len);
	CHECK_OK(pptp_msg_decode(&r, &m));
	CHECK_STR(m.u.sccrq.host_name, "pns.example");
	CHECK_EQ((uint8_t)m.u.sccrq.host_name[12], 0xff);
	CHECK_EQ(m.u.sccrq.host_name[64], '\0');
	wr_init(&w, out, sizeof(out));
	CHECK_OK(pptp_msg_encode(&w, &m));
	CHECK_MEM(out, buf, len);

	/* set_str truncates to the width and pads with NULs. */
	memset(m.u.sccrq.vendor, 'x', sizeof(m.u.sccrq.vendor));
	pptp_msg_set_str(m.u.sccrq.vendor, sizeof(m.u.sccrq.vendor), "ab");
	CHECK(padded(m.u.sccrq.vendor, 64, "ab"));
	pptp_msg_set_str(m.u.sccrq.vendor, sizeof(m.u.sccrq.vendor),
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "overflow");
	CHECK_EQ(strlen(m.u.sccrq.vendor), 64);
	CHECK_EQ(m.u.sccrq.vendor[63], '3');
}

TEST(pptp_print_lines)
{
	struct pptp_msg m;

	/* A hostile host name is escaped; undefined codes print as numbers;
	 * reserved junk shows. */
	build(&m, PPTP_SCCRP);
	pptp_msg_set_str(m.u.sccrp.host_name, sizeof(m.u.sccrp.host_name),
	    "evil\n\x1b[31m\"\\");
	m.u.sccrp.result = 9;
	m.u.sccrp.error = 7;
	m.u.sccrp.framing_caps = 0x83;
	m.u.sccrp.bearer_caps = 0;
	m.reserved0 = 0xbeef;
	CHECK_STR(print_msg(&m), "SCCRP Start-Control-Connection-Reply "
	    "version=1.0 result=9 error=7 framing=async,sync,0x80 "
	    "bearer=none max_channels=65535 firmware=0x1 "
	    "host=\"evil\\x0a\\x1b[31m\\x22\\x5c\" vendor=\"a vendor string "
	    "that is exactly sixty-four characters long....\" "
	    "reserved0=0xbeef");

	build(&m, PPTP_OCRQ);
	m.u.ocrq.bearer_type = 0;
	m.u.ocrq.framing_type = 4;
	m.u.ocrq.reserved1 = 2;
	CHECK_STR(print_msg(&m), "OCRQ Outgoing-Call-Request call_id=4660 "
	    "serial=7 min_bps=300 max_bps=100000000 bearer=0 framing=4 "
	    "window=64 ppd=2 phone_len=3 phone=\"555\" subaddress=\"sub\" "
	    "reserved1=0x2");

	m.ctrl_type = 99;
	m.reserved0 = 0;
	CHECK_STR(print_msg(&m), "PPTP ctrl_type=99");

	/* The longest line there is fits PPTP_MSG_PRINT_MAX (print_msg checks
	 * that nothing was truncated). */
	build(&m, PPTP_ICRQ);
	memset(&m.u.icrq, 0xff, sizeof(m.u.icrq));
	m.reserved0 = 0xffff;
	CHECK(strlen(print_msg(&m)) > 900);
}

TEST(pptp_code_names)
{
	CHECK(pptp_ctrl_type_name(0) == NULL);
	CHECK(pptp_ctrl_type_name(16) == NULL);
	CHECK(pptp_ctrl_type_long_name(0xffff) == NULL);

	CHECK_STR(pptp_result_name(PPTP_SCCRP, 5), "Bad-Protocol-Version");
	CHECK(pptp_result_name(PPTP_SCCRP, 6) == NULL);
	CHECK(pptp_result_name(PPTP_STOPCCRP, 3) == NULL);
	CHECK_STR(pptp_result_name(PPTP_OCRP, 7), "Do-Not-Accept");
	CHECK(pptp_result_name(PPTP_OCRP, 8) == NULL);
	CHECK_STR(pptp_result_name(PPTP_ICRP, 3), "Do-Not-Accept");
	CHECK(pptp_result_name(PPTP_ICRP, 4) == NULL);
	CHECK_STR(pptp_result_name(PPTP_CDN, 4), "Request");
	CHECK(pptp_result_name(PPTP_CDN, 0) == NULL);
	CHECK(pptp_result_name(PPTP_SCCRQ, 1) == NULL);

	CHECK_STR(pptp_general_error_name(5), "Bad-Call-ID");
	CHECK_STR(pptp_general_error_name(6), "PAC-Error");
	CHECK(pptp_general_error_name(7) == NULL);
	CHECK_STR(pptp_stop_reason_name(3), "Stop-Local-Shutdown");
	CHECK(pptp_stop_reason_name(0) == NULL);
	CHECK_STR(pptp_bearer_type_name(3), "any");
	CHECK(pptp_bearer_type_name(0x80000001u) == NULL);
	CHECK_STR(pptp_framing_type_name(1), "async");
	CHECK(pptp_framing_type_name(4) == NULL);
}

/*
 * Every control message in the real captures: the TCP/1723 streams (from
 * tests/cap.c, retransmissions delivered once) are split with
 * pptp_msg_frame, each message decoded and re-encoded byte for byte, and
 * the list is compared with TShark's in expected/<file>.expected.json.
 */
struct cap_dir {
	uint8_t		buf[2 * PPTP_MAX_MSG_LEN];
	size_t		len;
};

struct cap_msg {
	unsigned	frame;
	uint16_t	type;
	long long	call_id;	/* -1 when the message has none */
	long long	peer_call_id;
};

struct cap_ctx {
	struct cap_dir	dir[2];		/* to port 1723, from port 1723 */
	struct cap_msg	msgs[32];
	unsigned	count;
	struct pptp_msg	last[PPTP_CTRL_TYPE_MAX + 1];	/* last of each type */
};

static void
cap_ids(const struct pptp_msg *m, struct cap_msg *c)
{
	c->call_id = c->peer_call_id = -1;
	switch (m->ctrl_type) {
	case PPTP_OCRQ:	c->call_id = m->u.ocrq.call_id; break;
	case PPTP_OCRP:	c->call_id = m->u.ocrp.call_id;
			c->peer_call_id = m->u.ocrp.peer_call_id; break;
	case PPTP_ICRQ:	c->call_id = m->u.icrq.call_id; break;
	case PPTP_ICRP:	c->call_id = m->u.icrp.call_id;
			c->peer_call_id = m->u.icrp.peer_call_id; break;
	case PPTP_ICCN:	c->peer_call_id = m->u.iccn.peer_call_id; break;
	case PPTP_CCRQ:	c->call_id = m->u.ccrq.call_id; break;
	case PPTP_CDN:	c->call_id = m->u.cdn.call_id; break;
	case PPTP_WEN:	c->peer_call_id = m->u.wen.peer_call_id; break;
	case PPTP_SLI:	c->peer_call_id = m->u.sli.peer_call_id; break;
	}
}

static int
cap_stream(const struct cap_pkt *p, uint16_t sport, uint16_t dport,
    const uint8_t *data, size_t len, void *arg)
{
	struct cap_ctx *ctx = arg;
	struct cap_dir *d = &ctx->dir[dport == PPTP_TCP_PORT ? 0 : 1];
	uint8_t out[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct rd r;
	struct wr w;
	size_t mlen, off = 0;
	int ret;

	(void)sport;
	if (!CHECK(len <= sizeof(d->buf) - d->len))
		return 1;
	memcpy(d->buf + d->len, data, len);
	d->len += len;
	while ((ret = pptp_msg_frame(d->buf + off, d->len - off, &mlen)) == 0 &&
	    mlen <= d->len - off) {
		rd_init(&r, d->buf + off, mlen);
		CHECK_OK(pptp_msg_decode(&r, &m));
		wr_init(&w, out, sizeof(out));
		CHECK_OK(pptp_msg_encode(&w, &m));
		CHECK_EQ(wr_len(&w), mlen);
		CHECK_MEM(out, d->buf + off, mlen);
		t_note("frame %u: %s", p->frame, print_msg(&m));
		if (ctx->count < sizeof(ctx->msgs) / sizeof(ctx->msgs[0])) {
			ctx->msgs[ctx->count].frame = p->frame;
			ctx->msgs[ctx->count].type = m.ctrl_type;
			cap_ids(&m, &ctx->msgs[ctx->count]);
		}
		ctx->count++;
		ctx->last[m.ctrl_type] = m;
		off += mlen;
	}
	if (ret != 0 && ret != ERR_TRUNCATED)
		CHECK_OK(ret);
	memmove(d->buf, d->buf + off, d->len - off);
	d->len -= off;
	return 0;
}

/* Walks one capture and checks it against TShark's list. */
static void
cap_check(const char *file, struct cap_ctx *ctx)
{
	char path[512];
	struct json *exp, *frames, *f;
	struct cap_stats st;
	size_t i;

	memset(ctx, 0, sizeof(*ctx));
	t_note("%s", file);
	snprintf(path, sizeof(path), "%s/captures/%s", T_DATA, file);
	CHECK_OK(cap_walk(path, PPTP_TCP_PORT, NULL, cap_stream, ctx, &st));
	CHECK_EQ(ctx->dir[0].len + ctx->dir[1].len, 0);	/* no half message */
	snprintf(path, sizeof(path), "%s/captures/expected/%s.expected.json",
	    T_DATA, file);
	exp = json_load(path);
	if (!CHECK(exp != NULL))
		return;
	frames = json_get(exp, "pptp_control_message_frames");
	CHECK_EQ(ctx->count, json_len(frames));
	for (i = 0; i < ctx->count && i < json_len(frames); i++) {
		f = json_at(frames, i);
		CHECK_EQ(ctx->msgs[i].frame, json_int(json_get(f, "frame")));
		CHECK_EQ(ctx->msgs[i].type,
		    json_int(json_at(json_get(f, "type"), 0)));
		CHECK_EQ(ctx->msgs[i].call_id,
		    json_int(json_get(f, "call_id")));
		CHECK_EQ(ctx->msgs[i].peer_call_id,
		    json_int(json_get(f, "peer_call_id")));
	}
	json_free(exp);
}

TEST(pptp_captures_round_trip)
{
	static struct cap_ctx ctx;

	cap_check("packetlife__PPTP_negotiation.cap", &ctx);
	CHECK_EQ(ctx.count, 4);
	CHECK_EQ(ctx.last[PPTP_OCRP].u.ocrp.connect_speed, 64000);
	CHECK_STR(ctx.last[PPTP_SCCRP].u.sccrp.vendor, "Cisco Systems, Inc.");
	CHECK_EQ(ctx.last[PPTP_SCCRP].u.sccrp.firmware_rev, 4608);

	cap_check("nDPI__pptp.pcap", &ctx);
	CHECK_EQ(ctx.count, 8);
	CHECK_STR(ctx.last[PPTP_SCCRQ].u.sccrq.vendor, "cananian");
	/* Microsoft's SLI carries junk in Reserved1: kept, reported. */
	CHECK_EQ(ctx.last[PPTP_SLI].u.sli.reserved1, 0xa196);
	CHECK_ERR(pptp_msg_check_reserved(&ctx.last[PPTP_SLI]), ERR_RESERVED);
	/* The CDN's Result Code is 0, which the RFC does not define. */
	CHECK_EQ(ctx.last[PPTP_CDN].u.cdn.result, 0);
	CHECK(strstr(print_msg(&ctx.last[PPTP_CDN]), " result=0 ") != NULL);

	cap_check("tcpdump__pptp.pcap", &ctx);
	CHECK_EQ(ctx.count, 5);
	CHECK_STR(ctx.last[PPTP_SCCRQ].u.sccrq.vendor, "Microsoft Windows NT");
	CHECK_EQ(ctx.last[PPTP_OCRQ].u.ocrq.call_serial, 30760);

	cap_check("zeek__gre-pptp.pcap", &ctx);
	CHECK_EQ(ctx.count, 0);
	cap_check("neg__packetlife__GRE.cap", &ctx);
	CHECK_EQ(ctx.count, 0);
}

/*
 * test_ip.c - IPv4/IPv6/TCP header codecs, the IPv4 header checksum and
 * TCP MSS clamping with the incremental checksum update (RFC 791, RFC 8200,
 * RFC 9293, RFC 1071, RFC 1624).
 *
 * Every clamped checksum is checked against a full recomputation by a
 * plain reference (pseudo-header + TCP header + data, octet by octet) that
 * shares no code with src/wire/ip.c.
 */
#include <stdlib.h>

#include "t.h"
#include "../src/wire/ip.h"

/* --- reference checksum and packet builder --- */

/*
 * One's complement sum of the TCP pseudo-header, header and data of the
 * segment pkt[l4..end), the checksum field counted as zero unless with_ck.
 */
static uint16_t
ref_tcp_sum(const uint8_t *pkt, bool v6, size_t l4, size_t end, bool with_ck)
{
	uint32_t sum = 0;
	size_t i, n = end - l4;

	for (i = v6 ? 8 : 12; i < (v6 ? 40u : 20u); i += 2)	/* addresses */
		sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
	sum += IP_PROTO_TCP + (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff);
	for (i = 0; i < n; i++) {
		if ((i == 16 || i == 17) && !with_ck)
			continue;
		sum += i % 2 == 0 ? (uint32_t)pkt[l4 + i] << 8 : pkt[l4 + i];
	}
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum the segment should carry. */
static uint16_t
ref_tcp_checksum(const uint8_t *pkt, bool v6, size_t l4, size_t end)
{
	return (uint16_t)~ref_tcp_sum(pkt, v6, l4, end, false);
}

/* True when the stored checksum verifies (the whole sum is -0). */
static bool
ref_tcp_valid(const uint8_t *pkt, bool v6, size_t l4, size_t end)
{
	return ref_tcp_sum(pkt, v6, l4, end, true) == 0xffff;
}

struct spec {
	bool		 v6;
	uint8_t		 flags;		/* TCP_FLAG_* */
	const char	*opt;		/* TCP options, hex (End-padded) */
	const char	*ipopt;		/* IPv4 options, hex, multiple of 4 */
	const char	*ext;		/* IPv6 extension headers, hex */
	uint8_t		 first_nh;	/* IPv6 Next Header when ext is set */
	size_t		 datalen;
};

struct tpkt {
	uint8_t		b[512];
	size_t		len;
	size_t		l4;		/* TCP header */
	bool		v6;
};

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
set16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
pkt_ck(const struct tpkt *p)
{
	return be16(p->b + p->l4 + 16);
}

/* Recomputes the IPv4 header checksum and the TCP checksum. */
static void
refresh(struct tpkt *p)
{
	uint16_t ck;

	if (!p->v6) {
		CHECK_OK(ipv4_hdr_checksum(p->b, p->len, &ck));
		set16(p->b + 10, ck);
	}
	set16(p->b + p->l4 + 16, ref_tcp_checksum(p->b, p->v6, p->l4, p->len));
}

/* Builds a packet through the encoders, with correct checksums. */
static void
build(struct tpkt *p, const struct spec *s)
{
	struct tcp_hdr th = { .sport = 49152, .dport = 1723,
	    .seq = 0x1b091e7e, .flags = s->flags, .window = 29200 };
	struct wr w;
	uint8_t ext[128];
	size_t extlen = 0, i, tcplen;
	int n;

	memset(p, 0, sizeof(*p));
	th.ack = s->flags & TCP_FLAG_ACK ? 0x7e50b685 : 0;
	n = s->opt ? t_unhex(s->opt, th.opt, sizeof(th.opt)) : 0;
	CHECK(n >= 0 && n <= 40);
	th.optlen = ((size_t)n + 3) / 4 * 4;	/* End padding */
	th.doff = (uint8_t)(5 + th.optlen / 4);
	n = s->ext ? t_unhex(s->ext, ext, sizeof(ext)) : 0;
	CHECK(n >= 0);
	extlen = (size_t)n;
	tcplen = TCP_HDR_MIN + th.optlen + s->datalen;
	wr_init(&w, p->b, sizeof(p->b));
	p->v6 = s->v6;
	if (!s->v6) {
		struct ipv4_hdr ih = { .version = 4, .id = 0x4aa5, .df = true,
		    .ttl = 64, .proto = IP_PROTO_TCP,
		    .src = { 192, 168, 43, 22 }, .dst = { 191, 101, 61, 1 } };

		n = s->ipopt ? t_unhex(s->ipopt, ih.opt, sizeof(ih.opt)) : 0;
		ih.optlen = (size_t)n;
		ih.ihl = (uint8_t)(5 + ih.optlen / 4);
		ih.total_len = (uint16_t)(ih.ihl * 4 + tcplen);
		CHECK_OK(ipv4_hdr_encode(&w, &ih));
	} else {
		struct ipv6_hdr ih = { .version = 6, .flow_label = 0x12345,
		    .hop_limit = 64, .src = { 0x20, 1, 0x0d, 0xb8, [15] = 1 },
		    .dst = { 0x20, 1, 0x0d, 0xb8, [15] = 2 } };

		ih.payload_len = (uint16_t)(extlen + tcplen);
		ih.next_header = s->ext ? s->first_nh : IP_PROTO_TCP;
		CHECK_OK(ipv6_hdr_encode(&w, &ih));
		wr_bytes(&w, ext, extlen);
	}
	p->l4 = wr_len(&w);
	CHECK_OK(tcp_hdr_encode(&w, &th));
	for (i = 0; i < s->datalen; i++)
		wr_u8(&w, (uint8_t)(i * 37 + 11));
	CHECK_OK(wr_error(&w));
	p->len = wr_len(&w);
	refresh(p);
	CHECK(p->v6 || ipv4_hdr_checksum_ok(p->b, p->len));
}

/* Clamps a copy of p in a buffer of exactly len octets (so ASan sees any
 * read past it) and returns whether it changed; the result is left in p.
 * Unchanged must mean byte-identical. */
static bool
clamp(struct tpkt *p, size_t len, uint16_t mss4, uint16_t mss6)
{
	uint8_t *buf = malloc(len ? len : 1);
	bool changed = true;

	if (!CHECK(buf != NULL))
		return false;
	memcpy(buf, p->b, len);
	CHECK_OK(ip_mss_clamp(buf, len, mss4, mss6, &changed));
	if (!changed)
		CHECK_MEM(buf, p->b, len);
	memcpy(p->b, buf, len);
	free(buf);
	return changed;
}

/* Clamping with small limits must leave p alone. */
static bool
untouched(struct tpkt *p)
{
	return !clamp(p, p->len, 536, 536);
}

/* Clamps p to mss (the other family's limit is 65535) and checks: changed,
 * the MSS value at offset mss_at in the TCP header is mss, the checksum
 * equals the full recomputation, and nothing else moved. */
static void
check_clamped(struct tpkt *p, size_t mss_at, uint16_t mss)
{
	struct tpkt before = *p;
	size_t i, o;

	CHECK(ref_tcp_valid(p->b, p->v6, p->l4, p->len));
	CHECK(clamp(p, p->len, p->v6 ? 65535 : mss, p->v6 ? mss : 65535));
	CHECK_EQ(be16(p->b + p->l4 + mss_at), mss);
	CHECK_EQ(pkt_ck(p), ref_tcp_checksum(p->b, p->v6, p->l4, p->len));
	CHECK(ref_tcp_valid(p->b, p->v6, p->l4, p->len));
	for (i = 0; i < p->len; i++) {
		o = i - p->l4;
		if (i >= p->l4 && (o == 16 || o == 17 || o == mss_at ||
		    o == mss_at + 1))
			continue;
		if (!CHECK(p->b[i] == before.b[i]))
			t_note("octet %zu moved", i);
	}
	CHECK(p->v6 || ipv4_hdr_checksum_ok(p->b, p->len));
}

/* --- header codecs --- */

TEST(ipv4_hdr_checksum_and_decoder_refusals)
{
	/* The classic example header (checksum 0xb861) and a real SYN's
	 * header from nDPI's pptp.pcap frame 1 (0x07f2). */
	static const char *hex[] = {
		"4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7",
		"4500 003c 4aa5 4000 4006 07f2 c0a8 2b16 bf65 3d01",
	};
	static const uint16_t want[] = { 0xb861, 0x07f2 };
	static const struct { uint8_t b0, b3; int ret; } bad[] = {
		{ 0x44, 28, ERR_LENGTH },	/* IHL 4 */
		{ 0x65, 28, ERR_VERSION },
		{ 0x45, 19, ERR_LENGTH },	/* total < header */
		{ 0x45, 29, ERR_TRUNCATED },	/* total > data */
		{ 0x4f, 60, ERR_TRUNCATED },	/* IHL 15 > data */
	};
	struct ipv4_hdr h;
	struct rd r;
	uint8_t b[64];
	uint16_t ck;
	size_t k;

	for (k = 0; k < 2; k++) {
		CHECK_EQ(t_unhex(hex[k], b, sizeof(b)), 20);
		CHECK_OK(ipv4_hdr_checksum(b, 20, &ck));
		CHECK_EQ(ck, want[k]);
		CHECK(ipv4_hdr_checksum_ok(b, 20));
		b[8] ^= 0x01;				/* TTL */
		CHECK(!ipv4_hdr_checksum_ok(b, 20));
	}
	CHECK_ERR(ipv4_hdr_checksum(b, 19, &ck), ERR_TRUNCATED);
	b[0] = 0x44;
	CHECK_ERR(ipv4_hdr_checksum(b, 20, &ck), ERR_LENGTH);
	b[0] = 0x65;
	CHECK_ERR(ipv4_hdr_checksum(b, 20, &ck), ERR_VERSION);
	CHECK(!ipv4_hdr_checksum_ok(b, 20));
	CHECK(!ipv4_hdr_checksum_ok(NULL, 0));

	/* the decoder's refusals (it consumes nothing then): every cut of
	 * a 28-octet packet, then edits of octets 0 and 3 */
	for (k = 0; k < 29 + sizeof(bad) / sizeof(bad[0]); k++) {
		CHECK_EQ(t_unhex("4500001c 00000000 40110000 01020304 05060708"
		    "0000 0000 0000 0000", b, sizeof(b)), 28);
		if (k > 28) {
			b[0] = bad[k - 29].b0;
			b[3] = bad[k - 29].b3;
		}
		rd_init(&r, b, k < 28 ? k : 28);
		CHECK_ERR(ipv4_hdr_decode(&r, &h), k < 28 ? ERR_TRUNCATED :
		    k == 28 ? 0 : bad[k - 29].ret);
		CHECK_EQ(rd_offset(&r), k == 28 ? 20 : 0);
	}
}

TEST(ipv4_tcp_hdr_decode_encode_print)
{
	/* nDPI pptp.pcap frame 2 (SYN-ACK), IP header and the TCP header;
	 * then a made-up fragment with a Router Alert option */
	static const char hex[] =
	    "4550003c436a4000fc0652dcbf653d01c0a82b16"
	    "06bba19675b630387e50b685a0120f961dd80000"
	    "020405320101080a0bb7aaf10007fc2104020000";
	static const char frag[] = "46000018 1234 20b9 0111 0000 01020304"
	    "05060708 94040000";
	uint8_t b[128], out[128];
	struct ipv4_hdr h;
	struct tcp_hdr th;
	struct rd r;
	struct wr w;
	struct sbuf sb;
	char text[256];

	CHECK_EQ(t_unhex(hex, b, sizeof(b)), 60);
	rd_init(&r, b, 60);
	CHECK_OK(ipv4_hdr_decode(&r, &h));		/* fields: see print */
	CHECK(h.ihl == 5 && !h.rf && rd_offset(&r) == 20);
	sbuf_init(&sb, text, sizeof(text));
	ipv4_hdr_print(&h, &sb);
	CHECK_STR(sbuf_str(&sb), "ipv4 191.101.61.1 > 192.168.43.22 proto=6 "
	    "len=60 hl=20 id=0x436a ttl=252 tos=0x50 df frag=0 cksum=0x52dc");
	CHECK_OK(tcp_hdr_decode(&r, &th));
	CHECK(th.optlen == 20 && rd_left(&r) == 0);
	sbuf_init(&sb, text, sizeof(text));
	tcp_hdr_print(&th, &sb);
	CHECK_STR(sbuf_str(&sb), "tcp 1723 > 41366 [S.] seq=1974874168 "
	    "ack=2119218821 win=3990 hl=40 cksum=0x1dd8 mss=1330");
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ipv4_hdr_encode(&w, &h));
	CHECK_OK(tcp_hdr_encode(&w, &th));
	CHECK_EQ(wr_len(&w), 60);
	CHECK_MEM(out, b, 60);

	CHECK_EQ(t_unhex(frag, b, sizeof(b)), 24);
	rd_init(&r, b, 24);
	CHECK_OK(ipv4_hdr_decode(&r, &h));
	CHECK(h.ihl == 6 && h.optlen == 4);
	sbuf_init(&sb, text, sizeof(text));
	ipv4_hdr_print(&h, &sb);
	CHECK_STR(sbuf_str(&sb), "ipv4 1.2.3.4 > 5.6.7.8 proto=17 len=24 hl=24 "
	    "id=0x1234 ttl=1 tos=0x00 mf frag=185 cksum=0x0000 opt=94040000");
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ipv4_hdr_encode(&w, &h));
	CHECK_EQ(wr_len(&w), 24);
	CHECK_MEM(out, b, 24);
	/* the encoder refuses inconsistent fields */
	h.ihl = 5;
	CHECK_ERR(ipv4_hdr_encode(&w, &h), ERR_RANGE);
	h.ihl = 6;
	h.frag_off = 0x2000;
	CHECK_ERR(ipv4_hdr_encode(&w, &h), ERR_RANGE);
	h.frag_off = 0;
	h.total_len = 23;
	CHECK_ERR(ipv4_hdr_encode(&w, &h), ERR_RANGE);
	h.version = 6;
	CHECK_ERR(ipv4_hdr_encode(&w, &h), ERR_VERSION);
}

TEST(ipv6_hdr_decode_encode_print)
{
	static const char hex[] = "6a3 12345 0008 3a 40"
	    "20010db8000000000000000000000001"
	    "fe800000000000000211 22ff fe33 4455 8000 0000 0000 0000";
	uint8_t b[64], out[64];
	struct ipv6_hdr h;
	struct rd r;
	struct wr w;
	struct sbuf sb;
	char text[160];
	size_t k;

	CHECK_EQ(t_unhex(hex, b, sizeof(b)), 48);
	rd_init(&r, b, 48);
	CHECK_OK(ipv6_hdr_decode(&r, &h));		/* fields: see print */
	CHECK(h.version == 6 && rd_left(&r) == 8);
	sbuf_init(&sb, text, sizeof(text));
	ipv6_hdr_print(&h, &sb);
	CHECK_STR(sbuf_str(&sb), "ipv6 2001:db8::1 > fe80::211:22ff:fe33:4455 "
	    "nh=58 plen=8 hlim=64 tc=0xa3 flow=0x12345");
	wr_init(&w, out, sizeof(out));
	CHECK_OK(ipv6_hdr_encode(&w, &h));
	CHECK_EQ(wr_len(&w), 40);
	CHECK_MEM(out, b, 40);
	for (k = 0; k < 48; k++) {
		rd_init(&r, b, k);
		CHECK_ERR(ipv6_hdr_decode(&r, &h), ERR_TRUNCATED);
		CHECK_EQ(rd_offset(&r), 0);
	}
	b[0] = 0x4a;
	rd_init(&r, b, 48);
	CHECK_ERR(ipv6_hdr_decode(&r, &h), ERR_VERSION);
	h.flow_label = 0x100000;
	CHECK_ERR(ipv6_hdr_encode(&w, &h), ERR_RANGE);
	h.version = 4;
	CHECK_ERR(ipv6_hdr_encode(&w, &h), ERR_VERSION);
}

TEST(tcp_hdr_errors_and_option_walk)
{
	static const struct {
		const char *hex;
		int ret;
		uint16_t mss;
	} ov[] = {
		{ "020405b4", 0, 1460 },
		{ "0103030702040100", 0, 256 },		/* NOP WS MSS */
		{ "01010402", ERR_NOTFOUND, 0 },	/* no MSS */
		{ "00020405", ERR_NOTFOUND, 0 },	/* after End */
		{ "", ERR_NOTFOUND, 0 },
		{ "02030500", ERR_OPTION, 0 },		/* MSS length 3 */
		{ "08000000", ERR_OPTION, 0 },		/* length 0 */
		{ "01010108", ERR_OPTION, 0 },		/* no length octet */
		{ "01010303", ERR_OPTION, 0 },		/* past the end */
	};
	uint8_t b[64], out[64], o[16];
	struct tcp_hdr h;
	struct rd r;
	struct wr w;
	uint16_t mss;
	size_t k;
	int n;

	CHECK_EQ(t_unhex("c000 06bb 00000001 00000000 6002 ffff 0000 0000"
	    "020405b4", b, sizeof(b)), 24);
	for (k = 0; k < 24; k++) {
		rd_init(&r, b, k);
		CHECK_ERR(tcp_hdr_decode(&r, &h), ERR_TRUNCATED);
		CHECK_EQ(rd_offset(&r), 0);
	}
	b[12] = 0x40;					/* Data Offset 4 */
	rd_init(&r, b, 24);
	CHECK_ERR(tcp_hdr_decode(&r, &h), ERR_LENGTH);
	b[12] = 0x60;
	rd_init(&r, b, 24);
	CHECK_OK(tcp_hdr_decode(&r, &h));
	wr_init(&w, out, sizeof(out));
	CHECK_OK(tcp_hdr_encode(&w, &h));
	CHECK_EQ(wr_len(&w), 24);
	CHECK_MEM(out, b, 24);
	h.doff = 5;
	CHECK_ERR(tcp_hdr_encode(&w, &h), ERR_RANGE);

	for (k = 0; k < sizeof(ov) / sizeof(ov[0]); k++) {
		n = t_unhex(ov[k].hex, o, sizeof(o));
		mss = 0;
		CHECK_ERR(tcp_opts_mss(o, (size_t)n, &mss), ov[k].ret);
		CHECK_EQ(mss, ov[k].mss);
	}
}

TEST(ip_mss_for_mtu_values)
{
	CHECK_EQ(ip_mss_for_mtu(1500, false), 1460);
	CHECK_EQ(ip_mss_for_mtu(1500, true), 1440);
	CHECK_EQ(ip_mss_for_mtu(1400, false), 1360);
	CHECK_EQ(ip_mss_for_mtu(1400, true), 1340);
	CHECK_EQ(ip_mss_for_mtu(576, false), 536);
	CHECK_EQ(ip_mss_for_mtu(1280, true), 1220);
	CHECK_EQ(ip_mss_for_mtu(40, false), 0);
	CHECK_EQ(ip_mss_for_mtu(60, true), 0);
	CHECK_EQ(ip_mss_for_mtu(61, true), 1);
	CHECK_EQ(ip_mss_for_mtu(200000, false), 65535);
}

/* --- clamping --- */

TEST(mss_clamp_real_syns)
{
	/* SYNs and SYN-ACKs from the captures (IP + TCP, extracted with
	 * tshark); the expected checksums were computed independently by
	 * full recomputation. */
	static const struct {
		const char *hex;
		uint16_t mss_before, limit, ck_after;
	} v[] = {
		{ "4500003c4aa54000400607f2c0a82b16bf653d01a19606bb7e50b684"
		  "00000000a002721014780000020405b40402080a0007fc2100000000"
		  "0103030a", 1460, 1360, 0x14dc },	/* nDPI frame 1 */
		{ "4550003c436a4000fc0652dcbf653d01c0a82b1606bba19675b63038"
		  "7e50b685a0120f961dd80000020405320101080a0bb7aaf10007fc21"
		  "04020000", 1330, 1300, 0x1df6 },	/* nDPI frame 2 */
		{ "4500003003b740008006e0fa0a01010b0a01010a0bd106bbd973edeb"
		  "0000000070024000531d0000020405b401010402",
		  1460, 1360, 0x5381 },		/* tcpdump frame 1 */
	};
	struct tpkt p;
	size_t k;
	int n;

	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		memset(&p, 0, sizeof(p));
		n = t_unhex(v[k].hex, p.b, sizeof(p.b));
		CHECK(n > 40);
		p.len = (size_t)n;
		p.l4 = 20;
		CHECK_EQ(be16(p.b + 42), v[k].mss_before);
		check_clamped(&p, 22, v[k].limit);
		CHECK_EQ(pkt_ck(&p), v[k].ck_after);
		/* again, or with a limit at or above the value: no change */
		CHECK(!clamp(&p, p.len, v[k].limit, 1));
		CHECK(!clamp(&p, p.len, 65535, 1));
	}
}

TEST(mss_clamp_all_positions_v4_v6_syn_synack)
{
	/* the MSS at various places; mss_at is the offset of its value in
	 * the TCP header, odd or even */
	static const struct {
		const char *opt;
		size_t mss_at;
	} l[] = {
		{ "020405b4", 22 },				/* first */
		{ "01020405b4", 23 },				/* NOP */
		{ "0101020405b4", 24 },				/* NOP NOP */
		{ "010101020405b4", 25 },			/* 3 NOP */
		{ "0101080a0007fc2100000000020405b4", 34 },	/* NOP NOP TS */
		{ "01080a0007fc2100000000020405b4", 33 },	/* NOP TS */
		{ "030307020405b40402", 25 },			/* WS */
		{ "04020101080a0007fc2100000000020405b40103030a", 36 },
		{ "01010402020405b4", 26 },			/* SACK-OK */
		{ "020405b40402080a0007fc21000000000103030a", 22 }, /* Linux */
	};
	static const size_t data[] = { 0, 1, 33 };
	struct spec s = { 0 };
	struct tpkt p;
	size_t k, d;
	int v6, fl;

	for (k = 0; k < sizeof(l) / sizeof(l[0]); k++)
	for (v6 = 0; v6 < 2; v6++)
	for (fl = 0; fl < 2; fl++)
	for (d = 0; d < 3; d++) {
		s.v6 = v6;
		s.flags = fl ? TCP_FLAG_SYN | TCP_FLAG_ACK : TCP_FLAG_SYN;
		s.opt = l[k].opt;
		s.datalen = data[d];
		build(&p, &s);
		t_note("layout %zu v6=%d synack=%d data=%zu", k, v6, fl, d);
		CHECK_EQ(be16(p.b + p.l4 + l[k].mss_at), 1460);
		check_clamped(&p, l[k].mss_at, v6 ? 1340 : 1360);
	}
}

TEST(mss_clamp_zero_limit_and_arguments)
{
	struct spec s = { .flags = TCP_FLAG_SYN, .opt = "01020405b4" };
	struct tpkt p;
	bool changed = true;

	build(&p, &s);
	CHECK(!clamp(&p, p.len, 0, 100));	/* 0 disables IPv4 */
	CHECK(!clamp(&p, p.len, 1460, 1));	/* equal: untouched */
	s.v6 = true;
	build(&p, &s);
	CHECK(!clamp(&p, p.len, 100, 0));	/* and IPv6 */
	CHECK_OK(ip_mss_clamp(NULL, 0, 536, 536, &changed));
	CHECK(!changed);
	CHECK_ERR(ip_mss_clamp(NULL, 1, 536, 536, &changed), ERR_INVAL);
	CHECK_ERR(ip_mss_clamp(p.b, p.len, 536, 536, NULL), ERR_INVAL);
}

TEST(mss_clamp_leaves_others_alone)
{
	static const uint8_t flag_sets[] = { TCP_FLAG_ACK, TCP_FLAG_ACK |
	    TCP_FLAG_PSH, TCP_FLAG_FIN | TCP_FLAG_ACK, TCP_FLAG_RST, 0 };
	/* one 16-bit word rewritten in a valid SYN (checksums fixed) */
	static const struct {
		size_t off;
		bool in_tcp, v6;
		uint16_t v;
	} edit[] = {
		{ 6, false, false, 0x0001 },	/* fragment offset 1 */
		{ 6, false, false, 0x3f00 },	/* MF, offset 0x1f00 */
		{ 8, false, false, 0x4011 },	/* UDP */
		{ 0, false, false, 0x5500 },	/* version 5 */
		{ 0, false, false, 0x4400 },	/* IHL 4 */
		{ 2, false, false, 19 },	/* Total Length < header */
		{ 2, false, false, 20 + 23 },	/* TCP segment of 23 */
		{ 12, true, false, 0x4002 },	/* Data Offset 4 */
		{ 12, true, true, 0xf002 },	/* Data Offset 15 > segment */
		{ 4, false, true, 0xffff },	/* IPv6 Payload Length > data */
		{ 4, false, true, 0 },		/* 0 (jumbogram) */
	};
	struct spec s = { .opt = "020405b4", .datalen = 100 };
	struct tpkt p;
	size_t k;

	for (k = 0; k < 2 * sizeof(flag_sets); k++) {
		s.flags = flag_sets[k / 2];
		s.v6 = k % 2;
		build(&p, &s);
		CHECK(untouched(&p));
	}
	s.flags = TCP_FLAG_SYN;
	for (k = 0; k < sizeof(edit) / sizeof(edit[0]); k++) {
		t_note("edit %zu", k);
		s.v6 = edit[k].v6;
		build(&p, &s);
		set16(p.b + (edit[k].in_tcp ? p.l4 : 0) + edit[k].off,
		    edit[k].v);
		if (edit[k].off != 0)	/* IHL intact: checksums make sense */
			refresh(&p);
		CHECK(untouched(&p));
	}
}

TEST(mss_clamp_ipv4_first_fragment_options_padding)
{
	struct spec s = { .flags = TCP_FLAG_SYN, .opt = "020405b4",
	    .datalen = 16 };
	struct tpkt p, q;

	/* first fragment (MF, offset 0): clamped */
	build(&p, &s);
	p.b[6] |= 0x20;
	refresh(&p);
	check_clamped(&p, 22, 1360);
	/* IPv4 options: TCP starts at IHL * 4 */
	s.ipopt = "94040000";
	build(&p, &s);
	CHECK_EQ(p.l4, 24);
	check_clamped(&p, 22, 1360);
	s.ipopt = NULL;
	/* link padding after Total Length is neither read nor touched */
	build(&p, &s);
	q = p;
	memset(p.b + p.len, 0xee, 6);
	p.len += 6;
	CHECK(clamp(&p, p.len, 1360, 1360));
	CHECK_EQ(be16(p.b + 42), 1360);
	CHECK_EQ(pkt_ck(&p), ref_tcp_checksum(p.b, false, 20, q.len));
	CHECK_MEM(p.b + q.len, "\xee\xee\xee\xee\xee\xee", 6);
}

TEST(mss_clamp_ipv6_extension_headers)
{
	static const struct {
		const char *ext;
		uint8_t first;
		bool clamped;
	} v[] = {
		/* Hop-by-Hop (PadN); then Destination Options; Routing */
		{ "0600010400000000", IP_PROTO_HOPOPTS, true },
		{ "3c00010400000000 0601010c000000000000000000000000",
		  IP_PROTO_HOPOPTS, true },
		{ "060200000000000020010db8000000000000000000000002",
		  IP_PROTO_ROUTING, true },
		/* Fragment, offset 0 and M (first fragment); offset 1 */
		{ "0600000112345678", IP_PROTO_FRAGMENT, true },
		{ "0600000812345678", IP_PROTO_FRAGMENT, false },
		/* Hop-by-Hop not first; AH (the MSS is under an ICV);
		 * Hdr Ext Len past the packet */
		{ "0000010400000000 0600010400000000", IP_PROTO_DSTOPTS, false },
		{ "0604000000000100000000010000000000000000 00000000",
		  IP_PROTO_AH, false },
		{ "06ff010400000000", IP_PROTO_HOPOPTS, false },
	};
	struct spec s = { .v6 = true, .flags = TCP_FLAG_SYN,
	    .opt = "0101080a0007fc2100000000020405b4", .datalen = 5 };
	struct tpkt p;
	size_t k;

	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		t_note("ext %zu", k);
		s.ext = v[k].ext;
		s.first_nh = v[k].first;
		build(&p, &s);
		if (v[k].clamped)
			check_clamped(&p, 34, 1340);
		else
			CHECK(untouched(&p));
	}
}

TEST(mss_clamp_truncated_at_every_length)
{
	struct spec s = { .flags = TCP_FLAG_SYN,
	    .opt = "01080a0007fc2100000000020405b4", .datalen = 8,
	    .first_nh = IP_PROTO_HOPOPTS };
	struct tpkt p, q;
	size_t n, tcp_end;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		s.v6 = v6;
		s.ext = v6 ? "0600010400000000" : NULL;
		build(&p, &s);
		/* the buffer is cut, the length fields still say more */
		for (n = 0; n < p.len; n++)
			CHECK(!clamp(&p, n, 536, 536));
		/* the length fields agree with the cut: the segment is
		 * clamped once the whole TCP header is in */
		tcp_end = p.l4 + TCP_HDR_MIN + 16;
		for (n = v6 ? 40 : 20; n < p.len; n++) {
			q = p;
			set16(q.b + (v6 ? 4 : 2), (unsigned)(v6 ? n - 40 : n));
			t_note("v6=%d cut at %zu", v6, n);
			CHECK_EQ(clamp(&q, n, 536, 536), n >= tcp_end);
			if (n >= tcp_end)
				CHECK_EQ(be16(q.b + p.l4 + 33), 536);
		}
	}
}

TEST(mss_clamp_malformed_options_untouched)
{
	static const char *bad[] = {
		"0200000000000000",		/* MSS, length 0 */
		"0101080000000000",		/* TS, length 0 */
		"0201000000000000",		/* length 1 */
		"020305b4",			/* MSS, length 3 */
		"020505b400000000",		/* MSS, length 5 */
		"020405b4010101ff",		/* kind without a length */
		"020405b40101080a",		/* TS past the header */
		"020405b401010304",		/* WS past the header */
		/* valid, but no MSS: the default MSS applies */
		"0101080a0007fc21000000000103030a",
		"00000000020405b4",		/* after End: padding */
	};
	struct spec s = { .flags = TCP_FLAG_SYN };
	struct tpkt p;
	size_t k;

	for (k = 0; k < 2 * sizeof(bad) / sizeof(bad[0]); k++) {
		s.opt = bad[k / 2];
		s.v6 = k % 2;
		build(&p, &s);
		t_note("options %s v6=%d", s.opt, s.v6);
		CHECK(untouched(&p));
	}
	/* two MSS options: both clamped (stacks differ on which counts) */
	s.v6 = false;
	s.opt = "020405b401020405dc";
	build(&p, &s);
	CHECK(clamp(&p, p.len, 1360, 1360));
	CHECK_EQ(be16(p.b + p.l4 + 22), 1360);
	CHECK_EQ(be16(p.b + p.l4 + 27), 1360);
	CHECK_EQ(pkt_ck(&p), ref_tcp_checksum(p.b, false, 20, p.len));
}

/* Tunes the urgent pointer (a free word) so that the full checksum of p
 * is 0x0000, and stores that checksum. */
static void
tune_checksum_to_zero(struct tpkt *p)
{
	uint16_t c = ref_tcp_checksum(p->b, p->v6, p->l4, p->len);
	uint32_t u = be16(p->b + p->l4 + 18) + (uint32_t)c;

	set16(p->b + p->l4 + 18, (u & 0xffff) + (u >> 16));
	set16(p->b + p->l4 + 16, 0);
	CHECK_EQ(ref_tcp_checksum(p->b, p->v6, p->l4, p->len), 0);
}

/*
 * RFC 1624 section 3: an update must give 0x0000, as recomputation does,
 * where the sum comes to -0, never 0xFFFF.  SYNs whose clamped form has
 * checksum 0x0000, SYNs whose original checksum is 0x0000 or its twin
 * 0xFFFF, at both MSS alignments.
 */
TEST(mss_clamp_checksum_zero_not_ffff)
{
	static const struct { const char *opt; size_t at; } l[] = {
		{ "020405b4", 22 }, { "01020405b4", 23 },
	};
	struct spec s = { .flags = TCP_FLAG_SYN };
	struct tpkt p;
	size_t k;

	for (k = 0; k < 4; k++) {
		s.opt = l[k / 2].opt;
		s.v6 = k % 2;
		/* the result must be 0x0000 */
		build(&p, &s);
		set16(p.b + p.l4 + l[k / 2].at, 1360);
		tune_checksum_to_zero(&p);
		set16(p.b + p.l4 + l[k / 2].at, 1460);
		refresh(&p);
		check_clamped(&p, l[k / 2].at, 1360);
		CHECK_EQ(pkt_ck(&p), 0x0000);
		/* the original is 0x0000 (~HC = 0xFFFF) */
		build(&p, &s);
		tune_checksum_to_zero(&p);
		CHECK_EQ(pkt_ck(&p), 0x0000);
		check_clamped(&p, l[k / 2].at, 1360);
		/* the original is 0xFFFF, the other zero, which receivers
		 * accept too: the result is the canonical value */
		build(&p, &s);
		tune_checksum_to_zero(&p);
		set16(p.b + p.l4 + 16, 0xffff);
		check_clamped(&p, l[k / 2].at, 1360);
	}
}

TEST(mss_clamp_every_bit_flip)
{
	struct spec s = { .flags = TCP_FLAG_SYN,
	    .opt = "01080a0007fc2100000000020405b4", .datalen = 3,
	    .first_nh = IP_PROTO_HOPOPTS };
	struct tpkt p, q, r;
	size_t bit, i, changes = 0;
	bool was_valid;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		s.v6 = v6;
		s.ext = v6 ? "0600010400000000" : NULL;
		build(&p, &s);
		for (bit = 0; bit < p.len * 8; bit++) {
			q = p;
			q.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			r = q;
			was_valid = ref_tcp_valid(q.b, v6, p.l4, p.len);
			if (!clamp(&q, p.len, 536, 536))
				continue;		/* byte-identical */
			changes++;
			/* only the checksum and MSS values moved ... */
			for (i = 0; i < p.len; i++)
				if (!CHECK(q.b[i] == r.b[i] || i == p.l4 + 16 ||
				    i == p.l4 + 17 ||
				    (i > 0 && be16(q.b + i - 1) == 536) ||
				    (i + 1 < p.len && be16(q.b + i) == 536)))
					t_note("bit %zu octet %zu", bit, i);
			/* ... and the checksum is right iff it was */
			CHECK_EQ(ref_tcp_valid(q.b, v6, p.l4, p.len),
			    was_valid);
		}
	}
	CHECK(changes > 100);
}

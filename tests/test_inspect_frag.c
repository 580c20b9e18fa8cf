/*
 * test_inspect_frag.c - IP fragment reassembly in the analyzer (RFC 791
 * 3.2, RFC 8200 4.5) on built frames: a GRE packet whose outer IPv4 or
 * IPv6 datagram was fragmented, delivered in order, reversed, with
 * overlapping and duplicate fragments, with the last one missing (time
 * out), more datagrams than the table holds (eviction), bad fragments
 * (too long, odd sizes, contradicting ends, cut by the snap length),
 * fragmented IP-in-IP, and a random storm that must never crash (run
 * under ASan by check-asan).
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "ins_build.h"
#include "../src/inspect/inspect.h"
#include "../src/wire/ip.h"

#define A_PNS	0x0a000001u
#define A_PAC	0x0a000002u
#define SZ	3000	/* inner IP packet: three 1000-octet fragments */

/*
 * The GRE packet (key 5, seq 0) carrying PPP (FF 03 00 21) and an inner
 * IPv4 TCP SYN of SZ octets with MSS 1460 (SYN data: a pattern).  Returns
 * the GRE length.
 */
static size_t
gre_datagram(uint8_t *b, size_t cap)
{
	struct gre_hdr h = { .has_seq = true, .payload_len = 4 + SZ,
	    .call_id = 5, .seq = 0 };
	struct ib_ip4 ip = { .src = 0xc0a80001u, .dst = 0xc0a80002u,
	    .proto = IP_PROTO_TCP };
	struct ib_tcph syn = { .sport = 1234, .dport = 80, .seq = 1,
	    .flags = TCP_FLAG_SYN, .mss = 1460 };
	struct wr w;
	size_t i;

	wr_init(&w, b, cap);
	if (gre_encode(&w, &h) != 0)
		return 0;
	wr_u8(&w, 0xff), wr_u8(&w, 0x03), wr_u16(&w, 0x0021);
	if (ib_wr_ipv4(&w, &ip, SZ - IPV4_HDR_MIN) != 0 ||
	    ib_wr_tcp(&w, &syn) != 0)
		return 0;
	for (i = 44; i < SZ; i++)
		wr_u8(&w, (uint8_t)(i * 7));
	return wr_error(&w) == 0 ? wr_len(&w) : 0;
}

/* An IPv4 fragment: data[n] at octet off of datagram id, the last cut
 * octets not captured. */
static void
frag4(struct inspect *ins, uint64_t ts, uint32_t src, uint8_t proto,
    uint16_t id, uint32_t off, bool more, const uint8_t *data, size_t n,
    size_t cut)
{
	static uint8_t f[70000];
	struct ib_ip4 h = { .src = src, .dst = A_PAC, .proto = proto,
	    .id = id, .frag = (uint16_t)((more ? IPV4_FLAG_MF : 0) |
	    ((off / 8) & IPV4_FRAG_MASK)) };
	size_t len = ib_put_ipv4(f, sizeof(f), &h, data, n);

	if (CHECK(len > cut))
		inspect_packet(ins, ts, INS_DLT_RAW, f, len - cut);
}

/* The IPv6 header (2001:db8::1 to ::2) and Fragment header (next header
 * nh) of a fragment of n octets at off of datagram id, onto w. */
static void
frag6_hdr(struct wr *w, uint8_t nh, uint32_t id, uint32_t off, bool more,
    size_t n)
{
	(void)ib_wr_ipv6(w, 1, 2, IP_PROTO_FRAGMENT, IPV6_FRAG_HDR_LEN + n);
	wr_u8(w, nh), wr_u8(w, 0);
	wr_u16(w, (uint16_t)((off & 0xfff8) | (more ? 1 : 0)));
	wr_u32(w, id);
}

/* An IPv6 fragment (Fragment header with next header nh). */
static void
frag6(struct inspect *ins, uint64_t ts, uint8_t nh, uint32_t id,
    uint32_t off, bool more, const uint8_t *data, size_t n)
{
	static uint8_t f[70000];
	struct wr w;

	wr_init(&w, f, sizeof(f));
	frag6_hdr(&w, nh, id, off, more, n);
	wr_bytes(&w, data, n);
	inspect_packet(ins, ts, INS_DLT_RAW, f, wr_len(&w));
}

/* The call got the whole GRE packet: its inner SYN was read intact. */
static void
check_delivered(const struct inspect *ins, unsigned frags)
{
	const struct ins_call *c = &ins->calls[0];

	CHECK_EQ(ins->c.gre_pptp, 1);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	CHECK_EQ(ins->c.ip_frag_pending, 0);
	CHECK(c->used);
	CHECK_EQ(c->dir[0].packets, 1);
	CHECK_EQ(c->dir[0].payload_sum, 4 + SZ);
	CHECK_EQ(c->cleartext_ip, 1);
	CHECK_EQ(c->mtu.inner_largest[0], SZ);
	CHECK_EQ(c->mtu.mss_max[0], 1460);
	CHECK_EQ(c->mtu.gre_fragments, frags);
	CHECK_EQ(c->mtu.gre_reassembled, 1);
	CHECK_EQ(c->mtu.fragment_frame, ins->frames);
}

TEST(inspect_frag_in_order_and_reversed)
{
	static uint8_t g[SZ + 64];
	size_t gl = gre_datagram(g, sizeof(g));
	struct inspect *ins;

	if (!CHECK(gl == 12 + 4 + SZ))
		return;
	ins = inspect_new();
	frag4(ins, 1, A_PNS, 47, 1, 0, true, g, 1000, 0);
	frag4(ins, 2, A_PNS, 47, 1, 1000, true, g + 1000, 1000, 0);
	CHECK_EQ(ins->c.gre_pptp, 0);
	CHECK_EQ(ins->c.ip_frag_pending, 1);
	frag4(ins, 3, A_PNS, 47, 1, 2000, false, g + 2000, gl - 2000, 0);
	CHECK_EQ(ins->c.ip_fragments, 3);
	check_delivered(ins, 3);
	/* the largest outer packet on the wire: the last fragment, 20 +
	 * 1016 octets */
	CHECK_EQ(ins->calls[0].mtu.largest_ip[0], 20 + gl - 2000);
	inspect_free(ins);

	ins = inspect_new();
	frag4(ins, 1, A_PNS, 47, 2, 2000, false, g + 2000, gl - 2000, 0);
	frag4(ins, 2, A_PNS, 47, 2, 1000, true, g + 1000, 1000, 0);
	frag4(ins, 3, A_PNS, 47, 2, 0, true, g, 1000, 0);
	check_delivered(ins, 3);
	inspect_free(ins);
}

TEST(inspect_frag_overlap_and_duplicates)
{
	static uint8_t g[SZ + 64], junk[SZ + 64];
	size_t gl = gre_datagram(g, sizeof(g));
	struct inspect *ins = inspect_new();

	memset(junk, 0xa5, sizeof(junk));
	/* the first copy of each octet wins: junk over held data is
	 * ignored, junk only fills what was missing (none here) */
	frag4(ins, 1, A_PNS, 47, 3, 0, true, g, 1000, 0);
	frag4(ins, 2, A_PNS, 47, 3, 504, true, junk, 1000, 0);	/* overlap */
	CHECK_EQ(ins->c.ip_frag_overlap, 1);
	/* the rest, then the middle again (a duplicate) */
	frag4(ins, 3, A_PNS, 47, 3, 2000, false, g + 2000, gl - 2000, 0);
	frag4(ins, 4, A_PNS, 47, 3, 2000, false, g + 2000, gl - 2000, 0);
	CHECK_EQ(ins->c.ip_frag_overlap, 2);
	CHECK_EQ(ins->c.gre_pptp, 0);
	/* 504..1504 came from junk; 1504..2000 still missing */
	frag4(ins, 5, A_PNS, 47, 3, 1000, true, g + 1000, 1000, 0);
	CHECK_EQ(ins->c.ip_frag_overlap, 3);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	/* the junk filled 1000..1504 before the real data came: the SYN's
	 * header (at the front) is intact, the pattern is not checked */
	CHECK_EQ(ins->calls[0].mtu.mss_max[0], 1460);
	CHECK_EQ(ins->calls[0].mtu.gre_fragments, 5);
	/* a late duplicate after completion opens a new datagram */
	frag4(ins, 6, A_PNS, 47, 3, 0, true, g, 1000, 0);
	CHECK_EQ(ins->c.ip_frag_pending, 1);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	inspect_free(ins);
}

TEST(inspect_frag_missing_last_times_out)
{
	static uint8_t g[SZ + 64];
	size_t gl = gre_datagram(g, sizeof(g));
	struct inspect *ins = inspect_new();
	uint64_t t0 = 1000000000;

	(void)gl;
	frag4(ins, t0, A_PNS, 47, 4, 0, true, g, 1000, 0);
	frag4(ins, t0 + 1, A_PNS, 47, 4, 1000, true, g + 1000, 1000, 0);
	CHECK_EQ(ins->c.ip_frag_pending, 1);
	/* 30 s later: not yet; 30 s and a bit: given up */
	frag4(ins, t0 + INS_FRAG_TIMEOUT_US, A_PNS, 47, 5, 0, true, g, 8, 0);
	CHECK_EQ(ins->c.ip_frag_timeout, 0);
	CHECK_EQ(ins->c.ip_frag_pending, 2);
	frag4(ins, t0 + INS_FRAG_TIMEOUT_US + 1, A_PNS, 47, 6, 0, true, g, 8,
	    0);
	CHECK_EQ(ins->c.ip_frag_timeout, 1);
	CHECK_EQ(ins->c.ip_frag_pending, 2);
	CHECK_EQ(ins->c.gre_pptp, 0);
	inspect_free(ins);
}

TEST(inspect_frag_table_bounded)
{
	static uint8_t g[SZ + 64];
	struct inspect *ins = inspect_new();
	unsigned i;

	(void)gre_datagram(g, sizeof(g));
	for (i = 0; i < INS_FRAG_SLOTS + 5; i++)
		frag4(ins, 1 + i, A_PNS, 47, (uint16_t)(100 + i), 0, true, g,
		    1000, 0);
	CHECK_EQ(ins->c.ip_frag_pending, INS_FRAG_SLOTS);
	CHECK_EQ(ins->c.ip_frag_evicted, 5);
	/* the oldest went first: completing the newest still works */
	frag4(ins, 50, A_PNS, 47, (uint16_t)(100 + INS_FRAG_SLOTS + 4), 1000,
	    false, g + 1000, 8, 0);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	CHECK_EQ(ins->c.ip_frag_pending, INS_FRAG_SLOTS - 1);
	/* the evicted one's tail alone starts over: no delivery */
	frag4(ins, 51, A_PNS, 47, 100, 1000, false, g + 1000, 8, 0);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	inspect_free(ins);
}

TEST(inspect_frag_bad_fragments)
{
	static uint8_t g[SZ + 64], big[2000];
	struct inspect *ins = inspect_new();

	(void)gre_datagram(g, sizeof(g));
	/* a non-last fragment whose size is not a multiple of 8 */
	frag4(ins, 1, A_PNS, 47, 7, 0, true, g, 1001, 0);
	CHECK_EQ(ins->c.ip_frag_bad, 1);
	CHECK_EQ(ins->c.ip_frag_pending, 0);
	/* past 64 KiB: offset 8191 * 8 + 1000 */
	frag4(ins, 2, A_PNS, 47, 8, 8191 * 8, false, big, 1000, 0);
	CHECK_EQ(ins->c.ip_frag_bad, 2);
	/* two last fragments that end in different places */
	frag4(ins, 3, A_PNS, 47, 9, 1000, false, g + 1000, 1000, 0);
	frag4(ins, 4, A_PNS, 47, 9, 1000, false, g + 1000, 800, 0);
	CHECK_EQ(ins->c.ip_frag_bad, 3);
	CHECK_EQ(ins->c.ip_frag_pending, 0);
	/* an empty fragment; data past the end a last fragment set */
	frag4(ins, 5, A_PNS, 47, 10, 8, false, g, 0, 0);	/* empty */
	CHECK_EQ(ins->c.ip_frag_bad, 4);
	frag4(ins, 6, A_PNS, 47, 11, 1000, false, g + 1000, 1000, 0);
	frag4(ins, 7, A_PNS, 47, 11, 2000, true, g + 2000, 8, 0);
	CHECK_EQ(ins->c.ip_frag_bad, 5);
	/* cut by the snap length: counted as a truncated fragment */
	frag4(ins, 8, A_PNS, 47, 12, 0, true, g, 1000, 10);
	CHECK_EQ(ins->c.truncated, 1);
	CHECK_EQ(ins->c.ip_frag_pending, 0);
	CHECK_EQ(ins->c.ip_fragments, 8);
	CHECK_EQ(ins->c.gre_pptp, 0);
	inspect_free(ins);
}

TEST(inspect_frag_ipv6)
{
	static uint8_t g[SZ + 64];
	size_t gl = gre_datagram(g, sizeof(g));
	struct inspect *ins = inspect_new();

	/* reversed; the non-first fragments name another next header:
	 * the offset-0 fragment's counts (RFC 8200 4.5) */
	frag6(ins, 1, 99, 0x11223344, 2000, false, g + 2000, gl - 2000);
	frag6(ins, 2, 99, 0x11223344, 1000, true, g + 1000, 1000);
	CHECK_EQ(ins->c.ip_frag_pending, 1);
	frag6(ins, 3, 47, 0x11223344, 0, true, g, 1000);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	CHECK_EQ(ins->c.gre_pptp, 1);
	CHECK_EQ(ins->calls[0].dir[0].src.family, 6);
	CHECK_EQ(ins->calls[0].mtu.gre_fragments, 3);
	CHECK_EQ(ins->calls[0].mtu.mss_max[0], 1460);
	/* an atomic fragment (offset 0, M clear) is a whole packet */
	{
		struct gre_hdr h = { .has_seq = true, .payload_len = 4,
		    .call_id = 6, .seq = 0 };
		static const uint8_t ppp[] = { 0xff, 0x03, 0xc0, 0x21 };
		uint8_t s[32];
		struct wr w;

		wr_init(&w, s, sizeof(s));
		if (CHECK(gre_encode(&w, &h) == 0)) {
			wr_bytes(&w, ppp, 4);
			frag6(ins, 4, 47, 5, 0, false, s, wr_len(&w));
		}
		CHECK_EQ(ins->c.gre_pptp, 2);
		CHECK_EQ(ins->c.ip_fragments, 3);
	}
	inspect_free(ins);
}

/* IP-in-IP: the outer datagram fragmented, the inner a fragment too,
 * keyed alike (IPv6 ignores the next header in the key): the slot being
 * delivered is never reused under it. */
TEST(inspect_frag_nested)
{
	static uint8_t g[SZ + 64], inner[SZ + 200];
	size_t gl = gre_datagram(g, sizeof(g)), il;
	struct inspect *ins = inspect_new();
	struct wr w;

	/* inner IPv4 datagram (whole) carrying the GRE packet, sent as
	 * three outer IPv4 fragments of protocol 4 */
	il = ib_put_ipv4(inner, sizeof(inner), &(struct ib_ip4){
	    .src = 0x0b000001u, .dst = 0x0b000002u, .proto = IP_PROTO_GRE },
	    g, gl);
	frag4(ins, 1, A_PNS, 4, 20, 0, true, inner, 1496, 0);
	frag4(ins, 2, A_PNS, 4, 20, 1496, false, inner + 1496, il - 1496, 0);
	CHECK_EQ(ins->c.ip_reassembled, 1);
	CHECK_EQ(ins->c.gre_pptp, 1);
	CHECK_EQ(ins->calls[0].mtu.gre_fragments, 2);
	/* IPv6 in IPv6, both fragments with id 7 from the same addresses */
	wr_init(&w, inner, sizeof(inner));
	frag6_hdr(&w, 47, 7, 0, true, 8);
	wr_bytes(&w, g, 8);
	il = wr_len(&w);
	frag6(ins, 3, 41, 7, 0, true, inner, 48);
	frag6(ins, 4, 41, 7, 48, false, inner + 48, il - 48);
	CHECK_EQ(ins->c.ip_reassembled, 2);
	CHECK_EQ(ins->c.ip_frag_pending, 1);	/* the inner one waits */
	inspect_free(ins);
}

/* Random fragments of random datagrams: counted, bounded, no crash. */
TEST(inspect_frag_storm)
{
	static uint8_t data[2048];
	struct inspect *ins = inspect_new();
	unsigned i, seed = 12345;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	for (i = 0; i < 20000; i++) {
		unsigned r1, r2;

		seed = seed * 1103515245u + 12345u;
		r1 = seed >> 8;
		seed = seed * 1103515245u + 12345u;
		r2 = seed >> 8;
		if (r1 & 1)
			frag4(ins, (uint64_t)i * 5000, A_PNS + (r1 >> 28),
			    (r1 & 2) ? 47 : 4, (uint16_t)((r1 >> 4) & 7),
			    (r2 & 0x1fff) * 8 % 70000, (r2 >> 14) & 1, data,
			    (r2 >> 16) % sizeof(data), (r1 >> 20) & 1);
		else
			frag6(ins, (uint64_t)i * 5000, (r1 & 2) ? 47 : 41,
			    (r1 >> 4) & 7, ((r2 & 0x1fff) * 8) & 0xfff8,
			    (r2 >> 14) & 1, data, (r2 >> 16) % sizeof(data));
		CHECK(ins->c.ip_frag_pending <= INS_FRAG_SLOTS);
	}
	CHECK(ins->c.ip_fragments > 1000);
	CHECK(ins->c.ip_frag_bad > 0 && ins->c.ip_frag_overlap > 0);
	inspect_free(ins);
}

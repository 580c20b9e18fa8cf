/*
 * test_inspect_synth.c - the capture analyzer on built frames: TCP
 * reassembly of PPTP control messages (split, coalesced, out-of-order,
 * retransmitted and overlapping segments), every supported link type and
 * IP-in-IP in both directions, GRE sequence accounting (lost, reordered,
 * duplicates), "other GRE", PFC/ACFC-compressed PPP, and the table caps
 * with eviction (memory does not grow with the capture).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "icap.h"
#include "ins_build.h"
#include "../src/base/err.h"
#include "../src/inspect/inspect.h"
#include "../src/wire/ip.h"
#include "../src/wire/pptp_msg.h"

#define A_PNS	0x0a000001u	/* 10.0.0.1 */
#define A_PAC	0x0a000002u	/* 10.0.0.2 */

/* One TCP segment of the control connection as a raw-IP frame, from the
 * client (dir 0, 10.0.0.1:40000) or the server (10.0.0.2:1723). */
static void
seg(struct inspect *ins, int dir, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t n)
{
	struct ib_ip4 ip = { .src = dir == 0 ? A_PNS : A_PAC,
	    .dst = dir == 0 ? A_PAC : A_PNS };
	struct ib_tcph t = { .sport = dir == 0 ? 40000 : PPTP_TCP_PORT,
	    .dport = dir == 0 ? PPTP_TCP_PORT : 40000, .seq = seq,
	    .flags = flags };

	ib_feed_tcp(ins, 1, &ip, &t, data, n);
}

static size_t
msg(uint16_t type, uint16_t cid, uint16_t pcid, uint8_t *out)
{
	struct pptp_msg m;
	struct wr w;

	pptp_msg_init(&m, type);
	switch (type) {
	case PPTP_OCRQ: m.u.ocrq.call_id = cid; break;
	case PPTP_OCRP: m.u.ocrp.call_id = cid;
		m.u.ocrp.peer_call_id = pcid; m.u.ocrp.result = 1; break;
	case PPTP_SLI: m.u.sli.peer_call_id = pcid; break;
	default: break;
	}
	wr_init(&w, out, PPTP_MAX_MSG_LEN);
	if (pptp_msg_encode(&w, &m) != 0)
		return 0;
	return wr_len(&w);
}

TEST(inspect_tcp_reassembly)
{
	struct inspect *ins = inspect_new();
	uint8_t sccrq[256], sccrp[256], two[512], ocrp[64];
	size_t n1, n2, n3, n4;
	uint32_t c = 1000, s = 5000;
	struct ins_conn *cn;

	if (!CHECK(ins != NULL))
		return;
	n1 = msg(PPTP_SCCRQ, 0, 0, sccrq);
	n2 = msg(PPTP_SCCRP, 0, 0, sccrp);
	n3 = msg(PPTP_OCRQ, 7, 0, two);
	n4 = msg(PPTP_SLI, 0, 99, two + n3);
	CHECK(n1 == 156 && n2 == 156 && n3 == 168 && n4 == 24);
	seg(ins, 0, c - 1, 0x02, NULL, 0);			/* SYN */
	seg(ins, 1, s - 1, 0x12, NULL, 0);			/* SYN-ACK */
	/* SCCRQ in three pieces: the 2nd and 3rd arrive first */
	seg(ins, 0, c + 50, 0x10, sccrq + 50, 60);		/* frame 3 */
	seg(ins, 0, c + 110, 0x18, sccrq + 110, n1 - 110);	/* frame 4 */
	cn = &ins->conns[0];
	CHECK_EQ(cn->nmsgs, 0);
	CHECK_EQ(cn->dir[0].out_of_order, 2);
	seg(ins, 0, c, 0x10, sccrq, 50);			/* frame 5 */
	CHECK_EQ(cn->nmsgs, 1);
	CHECK_EQ(cn->msgs[0].frame, 5);
	CHECK_EQ(cn->msgs[0].m.ctrl_type, PPTP_SCCRQ);
	c += (uint32_t)n1;
	/* the whole SCCRQ again: a retransmission, counted, not re-read */
	seg(ins, 0, c - (uint32_t)n1, 0x18, sccrq, n1);
	CHECK_EQ(cn->dir[0].retrans, 1);
	CHECK_EQ(cn->nmsgs, 1);
	/* SCCRP split 100 + rest, the rest overlapping 20 old octets */
	seg(ins, 1, s, 0x18, sccrp, 100);
	seg(ins, 1, s + 80, 0x18, sccrp + 80, n2 - 80);
	CHECK_EQ(cn->nmsgs, 2);
	CHECK_EQ(cn->type_count[PPTP_SCCRP], 1);
	s += (uint32_t)n2;
	/* OCRQ and SLI coalesced into one segment */
	seg(ins, 0, c, 0x18, two, n3 + n4);
	CHECK_EQ(cn->nmsgs, 4);
	CHECK_EQ(cn->type_count[PPTP_OCRQ], 1);
	CHECK_EQ(cn->type_count[PPTP_SLI], 1);
	/* the OCRP ties the call: PNS 10.0.0.1 id 7, PAC 10.0.0.2 id 42 */
	n1 = msg(PPTP_OCRP, 42, 7, ocrp);
	seg(ins, 1, s, 0x18, ocrp, n1);
	CHECK(ins->calls[0].used);
	CHECK_EQ(ins->calls[0].pns_call_id, 7);
	CHECK_EQ(ins->calls[0].pac_call_id, 42);
	CHECK_EQ(ins->calls[0].reply_frame, ins->frames);
	CHECK(!cn->dir[0].desync && !cn->dir[1].desync);
	/* garbage in the stream: framing lost, counted, nothing crashes */
	memset(two, 0xee, 40);
	seg(ins, 0, c + (uint32_t)(n3 + n4), 0x18, two, 40);
	CHECK(cn->dir[0].desync);
	CHECK_EQ(cn->decode_errors, 1);
	inspect_free(ins);
}

static const uint8_t lcp_req[] = {
	0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x0a,
	0x05, 0x06, 0x12, 0x34, 0x56, 0x78,
};
/* PFC + ACFC: an IPv4 packet sent as protocol 0x21 with no FF 03 */
static const uint8_t ip_pfc[] = { 0x21, 0x45, 0x00, 0x00, 0x14 };

/* The outer IPv4 header of GRE from 10.0.0.1 to 10.0.0.2. */
static const struct ib_ip4 gre4 = { .src = A_PNS, .dst = A_PAC,
    .proto = IP_PROTO_GRE };

static void
gre_pkt(struct inspect *ins, uint32_t src, uint32_t dst, uint16_t key,
    uint32_t seq, const uint8_t *ppp, size_t n)
{
	struct ib_ip4 ip = { .src = src, .dst = dst };
	struct gre_hdr h = { .has_seq = true, .call_id = key, .seq = seq };

	ib_feed_gre(ins, 1, &ip, &h, ppp, n);
}

TEST(inspect_gre_seq_accounting)
{
	struct inspect *ins = inspect_new();
	static const uint32_t seqs[] = { 0, 1, 2, 5, 4, 4, 3 };
	const struct ins_gre_dir *g;
	size_t i;

	if (!CHECK(ins != NULL))
		return;
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		gre_pkt(ins, A_PNS, A_PAC, 5, seqs[i], lcp_req,
		    sizeof(lcp_req));
	gre_pkt(ins, A_PAC, A_PNS, 9, 0, ip_pfc, sizeof(ip_pfc));
	g = &ins->calls[0].dir[0];
	CHECK_EQ(ins->calls[0].kind, INS_CALL_GRE_ONLY);
	CHECK_EQ(g->packets, 7);
	CHECK_EQ(g->lost, 0);		/* 3 and 4 arrived late */
	CHECK_EQ(g->reordered, 2);
	CHECK_EQ(g->duplicates, 1);
	CHECK_EQ(g->seq_first, 0);
	CHECK_EQ(g->seq_last, 3);
	CHECK_EQ(g->payload_sum, 7 * sizeof(lcp_req));
	CHECK_EQ(ins->calls[0].ntimeline, 7);
	/* the reverse direction paired into the same GRE-only call */
	g = &ins->calls[0].dir[1];
	CHECK(g->seen);
	CHECK_EQ(g->key, 9);
	CHECK_EQ(g->without_ff03, 1);
	CHECK_EQ(g->proto1, 1);
	CHECK_EQ(ins->calls[0].cleartext_ip, 1);
	/* a gap that is never filled is lost */
	gre_pkt(ins, A_PNS, A_PAC, 5, 10, lcp_req, sizeof(lcp_req));
	CHECK_EQ(ins->calls[0].dir[0].lost, 4);
	/* a snap length that cuts the payload: counted, PPP not read */
	{
		struct gre_hdr h = { .has_seq = true, .call_id = 5, .seq = 11 };
		uint8_t g2[64], ip[128];
		size_t gl = ib_put_gre(g2, sizeof(g2), &h, lcp_req,
		    sizeof(lcp_req));
		size_t il = ib_put_ipv4(ip, sizeof(ip), &gre4, g2, gl);

		inspect_packet(ins, 1, INS_DLT_RAW, ip, il - 4);
		CHECK_EQ(ins->calls[0].dir[0].packets, 9);
		CHECK_EQ(ins->calls[0].dir[0].cut, 1);
		CHECK_EQ(ins->calls[0].dir[0].seq_last, 11);
		CHECK_EQ(ins->calls[0].ntimeline, 8);
		CHECK_EQ(ins->c.gre_malformed, 0);
	}
	inspect_free(ins);
}

TEST(inspect_other_gre_never_pptp)
{
	struct inspect *ins = inspect_new();
	uint8_t g[64], ip[128];
	struct wr w;

	if (!CHECK(ins != NULL))
		return;
	/* version 0 with the PPP protocol type, and version 1 with IPv4 */
	wr_init(&w, g, sizeof(g));
	wr_u16(&w, 0x2000), wr_u16(&w, 0x880b), wr_u32(&w, 5);
	inspect_packet(ins, 1, INS_DLT_RAW, ip,
	    ib_put_ipv4(ip, sizeof(ip), &gre4, g, wr_len(&w)));
	wr_init(&w, g, sizeof(g));
	wr_u16(&w, 0x2001), wr_u16(&w, 0x0800), wr_u32(&w, 5);
	inspect_packet(ins, 1, INS_DLT_RAW, ip,
	    ib_put_ipv4(ip, sizeof(ip), &gre4, g, wr_len(&w)));
	CHECK_EQ(ins->c.gre_other, 2);
	CHECK_EQ(ins->c.gre_pptp, 0);
	CHECK(!ins->calls[0].used);
	CHECK(ins->other[0].used && ins->other[1].used);
	CHECK_EQ(ins->other[0].version, 0);
	CHECK_EQ(ins->other[1].proto, 0x0800);
	inspect_free(ins);
}

/* The same GRE packet behind every link type and tunnel combination. */
TEST(inspect_link_types_and_tunnels)
{
	struct inspect *ins = inspect_new();
	uint8_t g[128], ip[256], in6[512], f[600];
	size_t gl, il, n;
	struct wr w;
	unsigned want = 0;

	if (!CHECK(ins != NULL))
		return;
	gl = ib_put_gre(g, sizeof(g), &(struct gre_hdr){ .has_seq = true,
	    .call_id = 3 }, lcp_req, sizeof(lcp_req));
	il = ib_put_ipv4(ip, sizeof(ip), &gre4, g, gl);

	/* Ethernet with QinQ (88a8 + 8100) */
	wr_init(&w, f, sizeof(f));
	wr_zero(&w, 12), wr_u16(&w, 0x88a8), wr_u16(&w, 10);
	wr_u16(&w, 0x8100), wr_u16(&w, 20), wr_u16(&w, 0x0800);
	wr_bytes(&w, ip, il);
	inspect_packet(ins, 1, INS_DLT_EN10MB, f, wr_len(&w));
	CHECK_EQ(ins->c.gre_pptp, ++want);
	/* Linux cooked v1 */
	wr_init(&w, f, sizeof(f));
	wr_zero(&w, 14), wr_u16(&w, 0x0800), wr_bytes(&w, ip, il);
	inspect_packet(ins, 1, INS_DLT_LINUX_SLL, f, wr_len(&w));
	CHECK_EQ(ins->c.gre_pptp, ++want);
	/* Linux cooked v2 */
	wr_init(&w, f, sizeof(f));
	wr_u16(&w, 0x0800), wr_zero(&w, 18), wr_bytes(&w, ip, il);
	inspect_packet(ins, 1, INS_DLT_LINUX_SLL2, f, wr_len(&w));
	CHECK_EQ(ins->c.gre_pptp, ++want);
	/* BSD null (host-order family 2) and loop (network order) */
	wr_init(&w, f, sizeof(f));
	wr_bytes(&w, "\x02\x00\x00\x00", 4), wr_bytes(&w, ip, il);
	inspect_packet(ins, 1, INS_DLT_NULL, f, wr_len(&w));
	inspect_packet(ins, 1, INS_DLT_LOOP, f, wr_len(&w));
	want += 2;
	CHECK_EQ(ins->c.gre_pptp, want);
	/* IPv4 in IPv6 */
	n = ib_put_ipv6(in6, sizeof(in6), 1, 0x99, 4, ip, il);
	inspect_packet(ins, 1, INS_DLT_RAW, in6, n);
	CHECK_EQ(ins->c.gre_pptp, ++want);
	/* IPv6 GRE outer inside IPv4 (protocol 41) */
	n = ib_put_ipv6(in6, sizeof(in6), 1, 0x99, 47, g, gl);
	inspect_packet(ins, 1, INS_DLT_RAW, f, ib_put_ipv4(f, sizeof(f),
	    &(struct ib_ip4){ .src = A_PNS, .dst = A_PAC, .proto = 41 }, in6,
	    n));
	CHECK_EQ(ins->c.gre_pptp, ++want);
	/* the IPv4 flow is one call direction with all 6 IPv4 packets */
	CHECK_EQ(ins->calls[0].dir[0].packets, 6);
	CHECK(ins->calls[1].used && ins->calls[1].dir[0].src.family == 6);
	/* unknown link type and non-IP ethertype: counted, ignored */
	inspect_packet(ins, 1, 9999, f, 10);
	CHECK_EQ(ins->c.link_unsupported, 1);
	inspect_free(ins);
}

TEST(inspect_tables_bounded)
{
	struct inspect *ins = inspect_new();
	struct ib_tcph syn = { .sport = 1024, .dport = PPTP_TCP_PORT,
	    .seq = 1, .flags = TCP_FLAG_SYN };
	unsigned i, used = 0;

	if (!CHECK(ins != NULL))
		return;
	/* more GRE-only flows than the call table holds */
	for (i = 0; i < INS_MAX_CALLS + 44; i++)
		gre_pkt(ins, 0x0b000000u + i, A_PAC, (uint16_t)i, 0, lcp_req,
		    sizeof(lcp_req));
	for (i = 0; i < INS_MAX_CALLS; i++)
		used += ins->calls[i].used;
	CHECK_EQ(used, INS_MAX_CALLS);
	CHECK_EQ(ins->c.evicted_calls, 44);
	/* more control connections than the table holds */
	for (i = 0; i < INS_MAX_CONNS + 10; i++)
		ib_feed_tcp(ins, i, &(struct ib_ip4){ .src = 0x0c000000u + i,
		    .dst = A_PAC }, &syn, NULL, 0);
	CHECK_EQ(ins->c.evicted_conns, 10);
	inspect_free(ins);
}

static void
le32(uint8_t *b, size_t *n, uint32_t v)
{
	b[(*n)++] = (uint8_t)v;
	b[(*n)++] = (uint8_t)(v >> 8);
	b[(*n)++] = (uint8_t)(v >> 16);
	b[(*n)++] = (uint8_t)(v >> 24);
}

/* A pcapng file (SHB, IDB for Ethernet, one EPB) read through libpcap. */
TEST(inspect_reads_pcapng)
{
	uint8_t g[128], ip[256], eth[300], file[512];
	size_t gl, il, el = 0, n = 0, pad;
	struct inspect *ins = inspect_new();
	char tmp[64], err[256];

	if (!CHECK(ins != NULL))
		return;
	gl = ib_put_gre(g, sizeof(g), &(struct gre_hdr){ .has_seq = true,
	    .call_id = 3 }, lcp_req, sizeof(lcp_req));
	il = ib_put_ipv4(ip, sizeof(ip), &gre4, g, gl);
	memset(eth, 0, 12);
	eth[12] = 0x08, eth[13] = 0x00;
	memcpy(eth + 14, ip, il);
	el = 14 + il;
	pad = (4 - el % 4) % 4;
	le32(file, &n, 0x0a0d0d0a), le32(file, &n, 28);
	le32(file, &n, 0x1a2b3c4d), le32(file, &n, 1);	/* v1.0 */
	le32(file, &n, 0xffffffff), le32(file, &n, 0xffffffff);
	le32(file, &n, 28);
	le32(file, &n, 1), le32(file, &n, 20);
	le32(file, &n, 1);		/* LINKTYPE_ETHERNET, reserved */
	le32(file, &n, 65535), le32(file, &n, 20);
	le32(file, &n, 6), le32(file, &n, (uint32_t)(32 + el + pad));
	le32(file, &n, 0), le32(file, &n, 0), le32(file, &n, 1);
	le32(file, &n, (uint32_t)el), le32(file, &n, (uint32_t)el);
	memcpy(file + n, eth, el);
	n += el;
	memset(file + n, 0, pad);
	n += pad;
	le32(file, &n, (uint32_t)(32 + el + pad));
	if (!CHECK(icap_write_tmp(tmp, sizeof(tmp), file, n))) {
		inspect_free(ins);
		return;
	}
	CHECK_EQ(inspect_read_file(ins, tmp, err, sizeof(err)), 0);
	CHECK_EQ(ins->frames, 1);
	CHECK_EQ(ins->c.gre_pptp, 1);
	CHECK_EQ(ins->calls[0].dir[0].key, 3);
	unlink(tmp);
	inspect_free(ins);
}

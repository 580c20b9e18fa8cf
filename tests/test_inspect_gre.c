/*
 * test_inspect_gre.c - the analyzer's data-path measurements on built
 * frames: round-trip times from acknowledgments, out-of-window packets
 * against the window of the OCRP (and the default), the time series and
 * its bin merging, the GRE call cache after new calls, DF oversize,
 * inner TCP MSS against the tunnel MTU (IPv4, IPv6, MPPE), the findings
 * and JSON sections; the classic pcap reader (both byte orders, ns
 * timestamps, snap length, damaged records) against libpcap; the
 * progress line.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "icap.h"
#include "ins_build.h"
#include "json.h"
#include "../src/inspect/inspect.h"
#include "../src/inspect/inspect_diag.h"
#include "../src/wire/ip.h"
#include "../src/wire/pptp_msg.h"

#define A_PNS	0x0a000001u	/* 10.0.0.1 */
#define A_PAC	0x0a000002u	/* 10.0.0.2 */

static const uint8_t lcp_req[] = {
	0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x0a,
	0x05, 0x06, 0x12, 0x34, 0x56, 0x78,
};

/* One GRE packet at ts between src and dst (IPv4 ID 0x1234, Don't
 * Fragment when df); ppp NULL: an ack only. */
static void
gre_at(struct inspect *ins, uint64_t ts, uint32_t src, uint32_t dst,
    uint16_t key, bool has_seq, uint32_t seq, bool has_ack, uint32_t ack,
    const uint8_t *ppp, size_t n, bool df)
{
	struct ib_ip4 ip = { .src = src, .dst = dst, .id = 0x1234,
	    .frag = df ? IPV4_FLAG_DF : 0 };
	struct gre_hdr h = { .has_seq = has_seq, .has_ack = has_ack,
	    .call_id = key, .seq = seq, .ack = ack };

	ib_feed_gre(ins, ts, &ip, &h, ppp, n);
}

static void
seg(struct inspect *ins, int dir, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t n)
{
	struct ib_ip4 ip = { .src = dir == 0 ? A_PNS : A_PAC,
	    .dst = dir == 0 ? A_PAC : A_PNS, .id = 0x1234 };
	struct ib_tcph t = { .sport = dir == 0 ? 40000 : PPTP_TCP_PORT,
	    .dport = dir == 0 ? PPTP_TCP_PORT : 40000, .seq = seq,
	    .flags = flags };

	ib_feed_tcp(ins, 1, &ip, &t, data, n);
}

/* OCRQ (PNS cid, window) then OCRP (PAC cid, window) on a fresh
 * connection of its own: both call IDs known. */
static void
ocrq_ocrp(struct inspect *ins, uint16_t pns, uint16_t rwin_pns, uint16_t pac,
    uint16_t rwin_pac, uint32_t *cseq, uint32_t *sseq)
{
	struct pptp_msg m;
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wr w;

	pptp_msg_init(&m, PPTP_OCRQ);
	m.u.ocrq.call_id = pns;
	m.u.ocrq.recv_window = rwin_pns;
	wr_init(&w, buf, sizeof(buf));
	if (pptp_msg_encode(&w, &m) != 0)
		return;
	seg(ins, 0, *cseq, 0x18, buf, wr_len(&w));
	*cseq += (uint32_t)wr_len(&w);
	pptp_msg_init(&m, PPTP_OCRP);
	m.u.ocrp.call_id = pac;
	m.u.ocrp.peer_call_id = pns;
	m.u.ocrp.result = 1;
	m.u.ocrp.recv_window = rwin_pac;
	wr_init(&w, buf, sizeof(buf));
	if (pptp_msg_encode(&w, &m) != 0)
		return;
	seg(ins, 1, *sseq, 0x18, buf, wr_len(&w));
	*sseq += (uint32_t)wr_len(&w);
}

TEST(inspect_gre_rtt_from_acks)
{
	struct inspect *ins = inspect_new();
	const struct ins_gre_ext *x;
	uint32_t s;

	if (!CHECK(ins != NULL))
		return;
	/* a->b seq 0..4 at 1000, 2000, ... 5000 us */
	for (s = 0; s < 5; s++)
		gre_at(ins, 1000 * (s + 1), A_PNS, A_PAC, 5, true, s, false, 0,
		    lcp_req, sizeof(lcp_req), false);
	/* b->a acks 2 at 10000 us: 0, 1, 2 answered (9, 8, 7 ms) */
	gre_at(ins, 10000, A_PAC, A_PNS, 9, false, 0, true, 2, NULL, 0,
	    false);
	x = &ins->calls[0].dir[0].x;
	CHECK_EQ(x->rtt_samples, 3);
	CHECK_EQ(x->rtt_min_us, 7000);
	CHECK_EQ(x->rtt_max_us, 9000);
	CHECK_EQ(x->rtt_sum_us, 24000);
	/* the same ack again answers nothing more */
	gre_at(ins, 11000, A_PAC, A_PNS, 9, false, 0, true, 2, NULL, 0,
	    false);
	CHECK_EQ(x->rtt_samples, 3);
	/* a duplicate of seq 4 is not a new sample; ack 4 at 20 ms */
	gre_at(ins, 12000, A_PNS, A_PAC, 5, true, 4, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 20000, A_PAC, A_PNS, 9, false, 0, true, 4, NULL, 0,
	    false);
	CHECK_EQ(x->rtt_samples, 5);
	CHECK_EQ(x->rtt_max_us, 16000);		/* seq 3 sent at 4000 */
	CHECK_EQ(x->rtt_n, 0);
	/* the ring is bounded: 40 unanswered numbers keep 16, then one
	 * ack answers the 16 (the rest were never sampled) */
	for (s = 5; s < 45; s++)
		gre_at(ins, 30000 + s, A_PNS, A_PAC, 5, true, s, false, 0,
		    lcp_req, sizeof(lcp_req), false);
	CHECK_EQ(x->rtt_n, INS_RTT_RING);
	gre_at(ins, 40000, A_PAC, A_PNS, 9, false, 0, true, 44, NULL, 0,
	    false);
	CHECK_EQ(x->rtt_samples, 5 + INS_RTT_RING);
	CHECK_EQ(x->rtt_n, 0);
	/* the reverse direction never sent data: no samples */
	CHECK_EQ(ins->calls[0].dir[1].x.rtt_samples, 0);
	/* a first ack of 0xFFFFFFFF (nothing received yet) answers none */
	gre_at(ins, 50000, A_PNS, A_PAC, 5, true, 45, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 50001, A_PAC, A_PNS, 9, false, 0, true, 0xffffffffu, NULL,
	    0, false);
	CHECK_EQ(x->rtt_n, 1);
	inspect_free(ins);
}

TEST(inspect_gre_out_of_window)
{
	struct inspect *ins = inspect_new();
	const struct ins_call *c;
	uint32_t cs = 1000, ss = 5000;
	struct ins_finding f[8];
	size_t nf, i;
	bool found = false;

	if (!CHECK(ins != NULL))
		return;
	/* GRE-only: the default window of 64; b->a came first (dir 0) */
	gre_at(ins, 1, A_PAC, A_PNS, 9, true, 0, true, 10, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 2, A_PNS, A_PAC, 5, true, 74, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	c = &ins->calls[0];
	CHECK_EQ(c->dir[0].x.out_of_window, 0);
	CHECK_EQ(c->dir[1].x.out_of_window, 0);		/* 64 ahead: in */
	gre_at(ins, 3, A_PNS, A_PAC, 5, true, 75, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	CHECK_EQ(c->dir[1].x.out_of_window, 1);		/* 65 ahead */
	CHECK_EQ(c->dir[1].x.oow_frame, 3);
	CHECK_EQ(c->dir[1].x.window_src, INS_WIN_DEFAULT);
	CHECK_EQ(c->dir[1].x.peer_window, INS_WINDOW_DEFAULT);
	inspect_free(ins);

	/* with OCRQ (PNS window 8) and OCRP (PAC window 4) */
	if (!CHECK((ins = inspect_new()) != NULL))
		return;
	seg(ins, 0, cs - 1, 0x02, NULL, 0);
	seg(ins, 1, ss - 1, 0x12, NULL, 0);
	ocrq_ocrp(ins, 7, 8, 42, 4, &cs, &ss);
	c = &ins->calls[0];
	CHECK(c->used && c->have_pac_id && c->pac_call_id == 42);
	/* PAC->PNS acks 100; PNS->PAC may send up to 104 */
	gre_at(ins, 10, A_PAC, A_PNS, 7, true, 0, true, 100, lcp_req,
	    sizeof(lcp_req), false);
	for (i = 101; i <= 106; i++)
		gre_at(ins, 10 + i, A_PNS, A_PAC, 42, true, (uint32_t)i, false,
		    0, lcp_req, sizeof(lcp_req), false);
	CHECK_EQ(c->dir[0].x.window_src, INS_WIN_OCRP);
	CHECK_EQ(c->dir[0].x.peer_window, 4);
	CHECK_EQ(c->dir[0].x.out_of_window, 2);		/* 105 and 106 */
	CHECK_EQ(c->dir[0].x.oow_ahead_max, 6);
	/* PAC->PNS is bounded by the OCRQ's 8 */
	gre_at(ins, 200, A_PAC, A_PNS, 7, true, 3, true, 106, lcp_req,
	    sizeof(lcp_req), false);
	CHECK_EQ(c->dir[1].x.window_src, INS_WIN_OCRQ);
	CHECK_EQ(c->dir[1].x.peer_window, 8);
	CHECK_EQ(c->dir[1].x.out_of_window, 0);
	nf = ins_mtu_findings(ins, c, f, 8);
	for (i = 0; i < nf; i++)
		if (strcmp(f[i].code, "gre-out-of-window") == 0) {
			found = true;
			CHECK_EQ(f[i].call_id, c->id);
			CHECK_EQ(f[i].nframes, 1);
			CHECK(strstr(f[i].text, "OCRP") != NULL);
		}
	CHECK(found);
	inspect_free(ins);
}

TEST(inspect_series_bins_merge)
{
	static struct ins_series s;
	uint64_t t0 = 1000000000, sum;
	unsigned i;

	memset(&s, 0, sizeof(s));
	ins_series_add(&s, t0, 100, 0);
	CHECK_EQ(s.nbins, 1);
	CHECK_EQ(s.bin_us, INS_SERIES_BIN0_US);
	ins_series_add(&s, t0 + 999, 10, 1);		/* same bin */
	ins_series_add(&s, t0 + 255 * 1000, 7, 2);	/* the last bin */
	CHECK_EQ(s.nbins, 256);
	CHECK_EQ(s.bytes[0], 110);
	CHECK_EQ(s.packets[0], 2);
	CHECK_EQ(s.lost[0], 1);
	/* one past: the width doubles, bins 0+1 .. 254+255 merge */
	ins_series_add(&s, t0 + 256 * 1000, 5, 0);
	CHECK_EQ(s.bin_us, 2000);
	CHECK_EQ(s.nbins, 129);
	CHECK_EQ(s.bytes[0], 110);
	CHECK_EQ(s.bytes[127], 7);
	CHECK_EQ(s.lost[127], 2);
	CHECK_EQ(s.bytes[128], 5);
	CHECK_EQ(s.bytes[200], 0);
	/* an hour later: many doublings at once, nothing lost */
	ins_series_add(&s, t0 + 3600ull * 1000000, 1, 0);
	CHECK(s.nbins <= INS_SERIES_BINS);
	CHECK((uint64_t)s.bin_us * INS_SERIES_BINS > 3600ull * 1000000);
	for (i = 0, sum = 0; i < INS_SERIES_BINS; i++)
		sum += s.packets[i];
	CHECK_EQ(sum, 5);
	CHECK_EQ(s.packets[s.nbins - 1], 1);
	/* a clock step back lands in bin 0 */
	ins_series_add(&s, t0 - 5, 1, 0);
	CHECK_EQ(s.packets[0], 5);
	/* the extremes of the clock do not loop forever */
	ins_series_add(&s, UINT64_MAX, 1, 0);
	CHECK(s.nbins <= INS_SERIES_BINS);
}

TEST(inspect_gre_series_and_largest)
{
	struct inspect *ins = inspect_new();
	const struct ins_gre_dir *g;
	static uint8_t ppp[1400];
	uint32_t s;

	if (!CHECK(ins != NULL))
		return;
	memcpy(ppp, lcp_req, sizeof(lcp_req));
	/* seq 0..9 with 3 and 4 missing, 1 ms apart; one big packet */
	for (s = 0; s < 10; s++)
		if (s != 3 && s != 4)
			gre_at(ins, 5000000 + s * 1000, A_PNS, A_PAC, 5, true,
			    s, false, 0, ppp, s == 7 ? 1400 : 14, false);
	g = &ins->calls[0].dir[0];
	CHECK_EQ(g->series.nbins, 10);
	CHECK_EQ(g->series.packets[0], 1);
	CHECK_EQ(g->series.lost[5], 2);		/* seq 5 opened the gap */
	CHECK_EQ(g->series.bytes[7], 1400 + 12);
	CHECK_EQ(g->x.largest, 1412);
	CHECK_EQ(g->x.largest_frame, 6);
	CHECK_EQ(ins->calls[0].mtu.largest_ip[0], 1432);
	CHECK_EQ(ins->calls[0].mtu.ppp_largest[0], 1400 - 4);
	inspect_free(ins);
}

/* The cache in front of the call scan follows calls created later. */
TEST(inspect_gre_cache_follows_new_calls)
{
	struct inspect *ins = inspect_new();
	uint32_t cs = 1000, ss = 5000;
	unsigned i, first, second;

	if (!CHECK(ins != NULL))
		return;
	seg(ins, 0, cs - 1, 0x02, NULL, 0);
	seg(ins, 1, ss - 1, 0x12, NULL, 0);
	ocrq_ocrp(ins, 7, 8, 42, 8, &cs, &ss);
	for (i = 0; i < 10; i++)
		gre_at(ins, 10 + i, A_PNS, A_PAC, 42, true, i, false, 0,
		    lcp_req, sizeof(lcp_req), false);
	first = ins->calls[0].id;
	CHECK_EQ(ins->calls[0].dir[0].packets, 10);
	/* the same IDs again: a new call, the newest takes the GRE */
	ocrq_ocrp(ins, 7, 8, 42, 8, &cs, &ss);
	CHECK(ins->calls[1].used);
	second = ins->calls[1].id;
	CHECK(second > first);
	for (i = 0; i < 5; i++)
		gre_at(ins, 100 + i, A_PNS, A_PAC, 42, true, i, false, 0,
		    lcp_req, sizeof(lcp_req), false);
	CHECK_EQ(ins->calls[0].dir[0].packets, 10);
	CHECK_EQ(ins->calls[1].dir[0].packets, 5);
	/* a GRE-only flow and its reverse pair up while cached */
	gre_at(ins, 200, 0x0b000001u, A_PAC, 77, true, 0, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 201, 0x0b000001u, A_PAC, 77, true, 1, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 202, A_PAC, 0x0b000001u, 78, true, 0, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 203, 0x0b000001u, A_PAC, 77, true, 2, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	CHECK(ins->calls[2].used && ins->calls[2].kind == INS_CALL_GRE_ONLY);
	CHECK_EQ(ins->calls[2].dir[0].packets, 3);
	CHECK_EQ(ins->calls[2].dir[1].packets, 1);
	CHECK(!ins->calls[3].used);
	inspect_free(ins);
}

/* PPP carrying an IPv4 (or IPv6) TCP SYN with an MSS option, into
 * b[256]. */
static size_t
ppp_syn(uint8_t *b, bool v6, uint16_t mss)
{
	struct ib_ip4 ip = { .src = 0xc0a80001u, .dst = 0xc0a80002u,
	    .proto = IP_PROTO_TCP, .id = 0x1234, .frag = IPV4_FLAG_DF };
	struct ib_tcph syn = { .sport = 1234, .dport = 80, .seq = 1,
	    .flags = TCP_FLAG_SYN, .mss = mss };
	uint8_t t[64];
	size_t tl = ib_put_tcp(t, sizeof(t), &syn, NULL, 0);

	b[0] = 0xff, b[1] = 0x03, b[2] = 0x00, b[3] = v6 ? 0x57 : 0x21;
	if (!v6)
		return 4 + ib_put_ipv4(b + 4, 256 - 4, &ip, t, tl);
	return 4 + ib_put_ipv6(b + 4, 256 - 4, 1, 2, IP_PROTO_TCP, t, tl);
}

static bool
has_finding(const struct inspect *ins, const struct ins_call *c,
    const char *code, unsigned frame)
{
	struct ins_finding f[16];
	size_t n = ins_mtu_findings(ins, c, f, 16), i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].code, code) == 0 &&
		    (frame == 0 || (f[i].nframes > 0 &&
		    f[i].frames[0] == frame)))
			return true;
	return false;
}

TEST(inspect_mss_against_tunnel_mtu)
{
	/* LCP ConfAck id 1 <mru 1400>, CCP ConfAck <mppe 0x01000040> */
	static const uint8_t ack_mru[] = { 0xff, 0x03, 0xc0, 0x21, 0x02, 0x01,
	    0x00, 0x08, 0x01, 0x04, 0x05, 0x78 };
	static const uint8_t ccp_ack[] = { 0xff, 0x03, 0x80, 0xfd, 0x02, 0x01,
	    0x00, 0x0a, 0x12, 0x06, 0x01, 0x00, 0x00, 0x40 };
	struct inspect *ins = inspect_new();
	const struct ins_call *c;
	uint8_t p[256];
	size_t n;

	if (!CHECK(ins != NULL))
		return;
	/* no MRU negotiated: 1460 + 40 fits 1500 */
	n = ppp_syn(p, false, 1460);
	gre_at(ins, 1, A_PNS, A_PAC, 5, true, 0, false, 0, p, n, false);
	c = &ins->calls[0];
	CHECK_EQ(c->mtu.mss_syns[0], 1);
	CHECK_EQ(c->mtu.mss_max[0], 1460);
	CHECK_EQ(c->mtu.mss_over[0], 0);
	CHECK_EQ(c->mtu.inner_largest[0], 44);
	/* the b side acks a's MRU 1400: frames toward a (dir 1) <= 1400 */
	gre_at(ins, 2, A_PAC, A_PNS, 9, true, 0, false, 0, ack_mru,
	    sizeof(ack_mru), false);
	CHECK_EQ(ins_call_mru(c, 1), 1400);
	CHECK_EQ(ins_call_mru(c, 0), 1500);
	CHECK_EQ(ins_tunnel_mtu(c, 1), 1400);
	n = ppp_syn(p, false, 1460);			/* frame 3: over */
	gre_at(ins, 3, A_PNS, A_PAC, 5, true, 1, false, 0, p, n, false);
	CHECK_EQ(c->mtu.mss_over[0], 1);
	CHECK_EQ(c->mtu.mss_over_frame[0], 3);
	CHECK_EQ(c->mtu.mss_over_mtu[0], 1400);
	n = ppp_syn(p, false, 1360);			/* fits exactly */
	gre_at(ins, 4, A_PNS, A_PAC, 5, true, 2, false, 0, p, n, false);
	CHECK_EQ(c->mtu.mss_over[0], 1);
	/* IPv6 headers are 60: 1360 no longer fits */
	n = ppp_syn(p, true, 1360);
	gre_at(ins, 5, A_PNS, A_PAC, 5, true, 3, false, 0, p, n, false);
	CHECK_EQ(c->mtu.mss_over[0], 2);
	/* a SYN toward b is measured against dir 0's 1500 */
	n = ppp_syn(p, false, 1460);
	gre_at(ins, 6, A_PAC, A_PNS, 9, true, 1, false, 0, p, n, false);
	CHECK_EQ(c->mtu.mss_syns[1], 1);
	CHECK_EQ(c->mtu.mss_over[1], 0);
	/* MPPE agreed: the tunnel MTU is MRU - 4 */
	gre_at(ins, 7, A_PAC, A_PNS, 9, true, 2, false, 0, ccp_ack,
	    sizeof(ccp_ack), false);
	CHECK_EQ(ins_tunnel_mtu(c, 1), 1396);
	CHECK_EQ(ins_tunnel_mtu(c, 0), 1496);
	n = ppp_syn(p, false, 1360);
	gre_at(ins, 8, A_PNS, A_PAC, 5, true, 4, false, 0, p, n, false);
	CHECK_EQ(c->mtu.mss_over[0], 3);
	CHECK(has_finding(ins, c, "mss-exceeds-tunnel-mtu", 3));
	CHECK(!has_finding(ins, c, "df-oversize", 0));
	/* a SYN without MSS, a cut one, garbage: nothing counted */
	n = ppp_syn(p, false, 0);
	gre_at(ins, 9, A_PNS, A_PAC, 5, true, 5, false, 0, p, n, false);
	n = ppp_syn(p, false, 1460);
	gre_at(ins, 10, A_PNS, A_PAC, 5, true, 6, false, 0, p, n - 3, false);
	memset(p + 4, 0x45, 40);
	gre_at(ins, 11, A_PNS, A_PAC, 5, true, 7, false, 0, p, 44, false);
	CHECK_EQ(c->mtu.mss_syns[0], 5);	/* frames 1, 3, 4, 5, 8 */
	inspect_free(ins);
}

TEST(inspect_df_oversize)
{
	struct inspect *ins = inspect_new();
	static uint8_t ppp[2000];
	const struct ins_call *c;

	if (!CHECK(ins != NULL))
		return;
	memcpy(ppp, lcp_req, 4);
	/* 1500 with DF fits; 1600 without DF is not flagged; 1600 with */
	gre_at(ins, 1, A_PNS, A_PAC, 5, true, 0, false, 0, ppp,
	    1500 - 20 - 12, true);
	gre_at(ins, 2, A_PNS, A_PAC, 5, true, 1, false, 0, ppp, 1568, false);
	c = &ins->calls[0];
	CHECK_EQ(c->mtu.df_oversize, 0);
	CHECK_EQ(c->mtu.largest_ip[0], 1600);
	gre_at(ins, 3, A_PNS, A_PAC, 5, true, 2, false, 0, ppp, 1568, true);
	gre_at(ins, 4, A_PNS, A_PAC, 5, true, 3, false, 0, ppp, 1600, true);
	CHECK_EQ(c->mtu.df_oversize, 2);
	CHECK_EQ(c->mtu.df_oversize_frame, 3);
	CHECK_EQ(c->mtu.df_oversize_max, 1632);
	CHECK(has_finding(ins, c, "df-oversize", 3));
	/* PPP frames of 1596 octets > the default MRU */
	CHECK(has_finding(ins, c, "ppp-frame-exceeds-mru", 4));
	inspect_free(ins);
}

/* The JSON sections parse and carry the numbers. */
TEST(inspect_gre_json_sections)
{
	struct inspect *ins = inspect_new();
	char tmp[] = "/tmp/test_inspect_gre_XXXXXX";
	struct json *j, *g, *m;
	FILE *f;
	int fd;

	if (!CHECK(ins != NULL))
		return;
	gre_at(ins, 1000, A_PNS, A_PAC, 5, true, 0, false, 0, lcp_req,
	    sizeof(lcp_req), false);
	gre_at(ins, 3000, A_PAC, A_PNS, 9, true, 0, true, 0, lcp_req,
	    sizeof(lcp_req), false);
	if (!CHECK((fd = mkstemp(tmp)) >= 0) ||
	    !CHECK((f = fdopen(fd, "w")) != NULL)) {
		inspect_free(ins);
		return;
	}
	inspect_report_json(ins, "x", f);
	fclose(f);
	j = json_load(tmp);
	unlink(tmp);
	if (CHECK(j != NULL)) {
		g = json_at(json_get(json_at(json_get(j, "calls"), 0), "gre"),
		    0);
		CHECK_EQ(json_int(json_get(g, "rtt_samples")), 1);
		CHECK_EQ(json_int(json_get(g, "rtt_min_us")), 2000);
		CHECK_EQ(json_int(json_get(g, "receiver_window")), 64);
		CHECK_EQ(json_int(json_get(g, "largest_packet")), 26);
		CHECK_EQ(json_len(json_get(json_get(g, "series"), "bytes")), 1);
		m = json_get(json_at(json_get(j, "calls"), 0), "mtu");
		CHECK_EQ(json_int(json_get(m, "gre_fragments")), 0);
		CHECK_EQ(json_len(json_get(m, "dirs")), 2);
		json_free(j);
	}
	inspect_free(ins);
}

/* --- the classic pcap reader ------------------------------------------ */

static void
put32(uint8_t *b, size_t *n, uint32_t v, bool be)
{
	int i;

	for (i = 0; i < 4; i++)
		b[(*n)++] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void
put16(uint8_t *b, size_t *n, uint16_t v, bool be)
{
	b[(*n)++] = (uint8_t)(be ? v >> 8 : v);
	b[(*n)++] = (uint8_t)(be ? v : v >> 8);
}

/* A pcap file of nrec copies of frame[fl] (raw IP, linktype 101). */
static size_t
mk_pcap(uint8_t *b, bool be, bool nsec, uint32_t snap, uint32_t caplen,
    const uint8_t *frame, size_t fl, unsigned nrec)
{
	size_t n = 0;
	unsigned i;

	put32(b, &n, nsec ? 0xa1b23c4d : 0xa1b2c3d4, be);
	put16(b, &n, 2, be), put16(b, &n, 4, be);
	put32(b, &n, 0, be), put32(b, &n, 0, be);
	put32(b, &n, snap, be), put32(b, &n, 101, be);
	for (i = 0; i < nrec; i++) {
		put32(b, &n, 1700000000 + i, be);
		put32(b, &n, nsec ? 123456789 : 123456, be);
		put32(b, &n, caplen, be), put32(b, &n, (uint32_t)fl, be);
		memcpy(b + n, frame, fl);
		n += fl;
	}
	return n;
}

/* libpcap's view of the same file: frames, last caplen, last ts. */
static int
libpcap_count(const char *path, unsigned *frames, unsigned *caplen,
    uint64_t *ts, int *dlt)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;
	int r;

	*frames = 0;
	if ((pc = pcap_open_offline(path, eb)) == NULL)
		return -2;
	*dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		(*frames)++;
		*caplen = h->caplen;
		*ts = (uint64_t)h->ts.tv_sec * 1000000u +
		    (uint64_t)h->ts.tv_usec;
	}
	pcap_close(pc);
	return r;
}

TEST(inspect_reader_matches_libpcap)
{
	static uint8_t file[8192];
	uint8_t g[64], frame[128];
	char tmp[64], err[256];
	struct inspect *ins;
	size_t gl, fl, n;
	unsigned frames, caplen, k;
	uint64_t ts;
	int dlt, r;

	gl = ib_put_gre(g, sizeof(g), &(struct gre_hdr){ .has_seq = true,
	    .call_id = 3 }, lcp_req, sizeof(lcp_req));
	fl = ib_put_ipv4(frame, sizeof(frame), &(struct ib_ip4){ .src = A_PNS,
	    .dst = A_PAC, .proto = IP_PROTO_GRE, .id = 0x1234 }, g, gl);
	for (k = 0; k < 8; k++) {
		bool be = k & 1, nsec = k & 2, snapcut = k & 4;

		n = mk_pcap(file, be, nsec, snapcut ? 30 : 65535,
		    (uint32_t)fl, frame, fl, 5);
		if (!CHECK(icap_write_tmp(tmp, sizeof(tmp), file, n)))
			return;
		ins = inspect_new();
		r = inspect_read_file(ins, tmp, err, sizeof(err));
		CHECK_EQ(r, 0);
		CHECK_EQ(libpcap_count(tmp, &frames, &caplen, &ts, &dlt), -2);
		CHECK_EQ(ins->frames, frames);
		CHECK_EQ(ins->frames, 5);
		CHECK_EQ(ins->dlt, dlt);
		CHECK_EQ(ins->last_ts, ts);
		CHECK_EQ(ins->last_ts, 1700000004ull * 1000000 + 123456);
		/* cut by the snap length: the GRE header survives, PPP not */
		CHECK_EQ(ins->c.gre_pptp, snapcut ? 0 : 5);
		inspect_free(ins);
		unlink(tmp);
	}
	/* damaged files: a record cut short, a huge caplen, a header cut */
	n = mk_pcap(file, false, false, 65535, (uint32_t)fl, frame, fl, 3);
	for (k = 0; k < 3; k++) {
		size_t len = k == 0 ? n - 5 : k == 1 ? n : 24 + 16 + fl + 7;

		if (k == 1) {		/* 2nd record: caplen 1 GB */
			size_t at = 24 + 16 + fl + 8;

			file[at] = 0, file[at + 1] = 0, file[at + 2] = 0;
			file[at + 3] = 0x40;
		}
		if (!CHECK(icap_write_tmp(tmp, sizeof(tmp), file, len)))
			return;
		ins = inspect_new();
		err[0] = '\0';
		CHECK_EQ(inspect_read_file(ins, tmp, err, sizeof(err)),
		    ERR_TRUNCATED);
		CHECK(err[0] != '\0');
		CHECK_EQ(ins->frames, k == 0 ? 2 : 1);
		CHECK_EQ(libpcap_count(tmp, &frames, &caplen, &ts, &dlt), -1);
		CHECK_EQ(ins->frames, frames);
		inspect_free(ins);
		unlink(tmp);
	}
	/* a file that is no capture: libpcap's error */
	if (CHECK(icap_write_tmp(tmp, sizeof(tmp), "hello world, not a pcap "
	    "file at all", 36))) {
		ins = inspect_new();
		CHECK_EQ(inspect_read_file(ins, tmp, err, sizeof(err)),
		    ERR_SYS);
		CHECK(err[0] != '\0');
		inspect_free(ins);
		unlink(tmp);
	}
	ins = inspect_new();
	CHECK_EQ(inspect_read_file(ins, "/nonexistent/x.pcap", err,
	    sizeof(err)), ERR_SYS);
	inspect_free(ins);
}

TEST(inspect_progress_line)
{
	char buf[256];
	size_t n;

	n = ins_progress_line(buf, sizeof(buf), 50000000, 100000000, 0.5,
	    123456, 60);
	CHECK_EQ(n, strlen(buf));
	CHECK(n <= 60);
	CHECK(strncmp(buf, "[", 1) == 0);
	CHECK(strstr(buf, "  50%") != NULL);
	CHECK(strstr(buf, "100.0 MB/s") != NULL);
	CHECK(strstr(buf, "123456 packets") != NULL);
	/* half the bar is filled */
	{
		const char *end = strchr(buf, ']');
		size_t bar = end != NULL ? (size_t)(end - buf - 1) : 0, i;
		size_t fill = 0;

		for (i = 1; i <= bar; i++)
			fill += buf[i] == '#';
		CHECK(bar >= 10 && bar <= 40);
		CHECK_EQ(fill, bar / 2);
	}
	/* done past the total shows 100%, a full bar */
	ins_progress_line(buf, sizeof(buf), 200, 100, 1.0, 1, 80);
	CHECK(strstr(buf, "100%") != NULL);
	CHECK(strstr(buf, "[##########") != NULL);
	CHECK(strchr(buf, '.') > strchr(buf, ']'));	/* only the rate's */
	/* unknown size: MB read and rate, no bar */
	ins_progress_line(buf, sizeof(buf), 2500000, 0, 2.0, 7, 80);
	CHECK(strchr(buf, '[') == NULL);
	CHECK(strstr(buf, "2.5 MB") != NULL);
	CHECK(strstr(buf, "1.2 MB/s") != NULL ||
	    strstr(buf, "1.3 MB/s") != NULL);
	/* zero time, tiny buffers: no division, always NUL-terminated */
	n = ins_progress_line(buf, 8, 1, 2, 0.0, 1, 80);
	CHECK_EQ(n, 7);
	CHECK_EQ(strlen(buf), 7);
	n = ins_progress_line(buf, 5, 1, 0, 0.0, 1, 80);
	CHECK_EQ(n, 4);
	CHECK_EQ(ins_progress_line(buf, 0, 1, 2, 1.0, 1, 80), 0);
}

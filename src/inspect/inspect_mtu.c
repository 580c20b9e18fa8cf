/*
 * inspect_mtu.c - time series, MTU evidence and the inner packets' TCP MSS
 * (inspect_gre.h), and the report sections of inspect_gre.c's per-direction
 * extras.
 *
 * The MTU story of a PPTP call: the inner IP packet travels as the PPP
 * information field (RFC 1661 2), whose largest size the receiver gave as
 * its LCP Maximum-Receive-Unit (RFC 1661 6.1; 1500 when not negotiated);
 * MPPE adds 2 header octets and encrypts the PPP protocol field with the
 * packet (RFC 3078 3), so the inner packet may be MRU - 4 octets (pppd's
 * MPPE_PAD).  Around it go GRE (RFC 2637 4.1: 8 to 16 octets) and the outer
 * IP header.  A TCP SYN inside announces an MSS (RFC 9293 3.7.1); if MSS +
 * 40 (IPv4) or + 60 (IPv6) is above the tunnel MTU toward the SYN's sender
 * and nobody clamps it, full-sized segments do not fit, and where ICMP is
 * filtered the connection stalls.  Outer packets larger than the path
 * either get fragmented (slow, often dropped by firewalls) or, with DF
 * set, dropped.
 */
#include <string.h>

#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"
#include "../wire/cursor.h"
#include "../wire/ip.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"

/* --- time series ------------------------------------------------------ */

void
ins_series_add(struct ins_series *s, uint64_t ts_us, unsigned bytes,
    unsigned lost)
{
	uint64_t idx;
	unsigned i, guard;

	if (s->nbins == 0 || s->bin_us == 0) {
		s->t0_us = ts_us;
		s->bin_us = INS_SERIES_BIN0_US;
		s->nbins = 1;
	}
	idx = ts_us > s->t0_us ? (ts_us - s->t0_us) / s->bin_us : 0;
	/* past the last bin: double the width, merging pairs of bins (at
	 * most 64 doublings can be needed for a 64-bit time) */
	for (guard = 0; idx >= INS_SERIES_BINS && guard < 64; guard++) {
		for (i = 0; i < INS_SERIES_BINS / 2; i++) {
			s->bytes[i] = s->bytes[2 * i] + s->bytes[2 * i + 1];
			s->packets[i] = s->packets[2 * i] +
			    s->packets[2 * i + 1];
			s->lost[i] = s->lost[2 * i] + s->lost[2 * i + 1];
		}
		memset(s->bytes + i, 0, sizeof(s->bytes[0]) * i);
		memset(s->packets + i, 0, sizeof(s->packets[0]) * i);
		memset(s->lost + i, 0, sizeof(s->lost[0]) * i);
		s->nbins = (s->nbins + 1) / 2;
		if (s->bin_us > UINT64_MAX / 2) {
			idx = INS_SERIES_BINS - 1;
			break;
		}
		s->bin_us *= 2;
		idx = (ts_us - s->t0_us) / s->bin_us;
	}
	if (idx >= INS_SERIES_BINS)
		idx = INS_SERIES_BINS - 1;
	if (idx >= s->nbins)
		s->nbins = (unsigned)idx + 1;
	s->bytes[idx] += bytes;
	s->packets[idx]++;
	s->lost[idx] += lost;
}

/* --- negotiated sizes --------------------------------------------------- */

unsigned
ins_call_mru(const struct ins_call *c, int d)
{
	const struct ins_confack *ca = &c->confack[d][INS_CP_LCP];
	struct ppp_opt o;
	struct rd r;
	uint16_t mru;
	unsigned v = 1500;	/* RFC 1661 6.1: the default MRU */

	if (!ca->seen)
		return v;
	rd_init(&r, ca->opts, ca->len);
	while (ppp_opt_next(&r, &o) == 0)
		if (o.type == LCP_OPT_MRU && lcp_opt_mru_decode(&o, &mru) == 0)
			v = mru;
	return v;
}

static bool
ins_call_mppe(const struct ins_call *c)
{
	return c->mppe_frames > 0 || c->confack[0][INS_CP_CCP].seen ||
	    c->confack[1][INS_CP_CCP].seen;
}

unsigned
ins_tunnel_mtu(const struct ins_call *c, int d)
{
	unsigned mru = ins_call_mru(c, d);

	if (ins_call_mppe(c))
		return mru > INS_MPPE_OVERHEAD ? mru - INS_MPPE_OVERHEAD : 0;
	return mru;
}

/* --- per packet ------------------------------------------------------- */

void
ins_mtu_outer(struct inspect *ins, struct ins_call *call, int d,
    const struct ins_outer *outer, size_t ppp_info)
{
	struct ins_call_mtu *m = &call->mtu;

	if (ppp_info > m->ppp_largest[d]) {
		m->ppp_largest[d] = (unsigned)ppp_info;
		m->ppp_largest_frame[d] = ins->frames;
	}
	if (outer == NULL)
		return;
	if (outer->ip_len > m->largest_ip[d]) {
		m->largest_ip[d] = outer->ip_len;
		m->largest_ip_frame[d] = ins->frames;
	}
	if (outer->df && outer->frags == 0 && outer->ip_len > INS_PATH_MTU) {
		if (m->df_oversize++ == 0)
			m->df_oversize_frame = ins->frames;
		if (outer->ip_len > m->df_oversize_max)
			m->df_oversize_max = outer->ip_len;
	}
	if (outer->frags > 0) {
		m->gre_fragments += outer->frags;
		if (m->gre_reassembled++ == 0)
			m->fragment_frame = ins->frames;
	}
}

/* The TCP header of an inner packet, if it is TCP and the first fragment;
 * *hdrs the header octets an MSS is measured against (40 or 60 with
 * TCP's 20); *ip_len the IP packet's length when its header decoded. */
static bool
ins_inner_tcp(struct rd *r, struct tcp_hdr *th, unsigned *ip_len,
    unsigned *hdrs)
{
	struct ipv4_hdr h4;
	struct ipv6_hdr h6;
	uint8_t v, nh, len8;
	uint16_t offm;
	int hops;

	if (rd_peek_u8(r, &v) != 0)
		return false;
	if ((v >> 4) == 4) {
		if (ipv4_hdr_decode(r, &h4) != 0)
			return false;
		*ip_len = h4.total_len;
		if (h4.frag_off != 0 || h4.proto != IP_PROTO_TCP)
			return false;
		*hdrs = IPV4_HDR_MIN + TCP_HDR_MIN;
	} else if ((v >> 4) == 6) {
		if (ipv6_hdr_decode(r, &h6) != 0)
			return false;
		*ip_len = IPV6_HDR_LEN + h6.payload_len;
		*hdrs = IPV6_HDR_LEN + TCP_HDR_MIN;
		nh = h6.next_header;
		for (hops = 0; hops < 8 && nh != IP_PROTO_TCP; hops++) {
			if (nh == IP_PROTO_FRAGMENT) {
				if (rd_u8(r, &nh) != 0 || rd_skip(r, 1) != 0 ||
				    rd_u16(r, &offm) != 0 ||
				    rd_skip(r, 4) != 0 || (offm & 0xfff8) != 0)
					return false;
				continue;
			}
			if (nh != IP_PROTO_HOPOPTS && nh != IP_PROTO_ROUTING &&
			    nh != IP_PROTO_DSTOPTS)
				return false;
			if (rd_u8(r, &nh) != 0 || rd_u8(r, &len8) != 0 ||
			    rd_skip(r, (size_t)len8 * 8 + 6) != 0)
				return false;
		}
		if (nh != IP_PROTO_TCP)
			return false;
	} else {
		return false;
	}
	return tcp_hdr_decode(r, th) == 0;
}

void
ins_inner_ip(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n)
{
	struct ins_call_mtu *m = &call->mtu;
	struct tcp_hdr th;
	struct rd r;
	unsigned ip_len = 0, hdrs = 0, mtu;
	uint16_t mss;
	bool tcp;

	if (d < 0 || d > 1)
		return;
	rd_init(&r, p, n);
	tcp = ins_inner_tcp(&r, &th, &ip_len, &hdrs);
	if (ip_len > m->inner_largest[d]) {
		m->inner_largest[d] = ip_len;
		m->inner_largest_frame[d] = ins->frames;
	}
	if (!tcp || !(th.flags & TCP_FLAG_SYN) ||
	    tcp_opts_mss(th.opt, th.optlen, &mss) != 0)
		return;
	m->mss_syns[d]++;
	if (mss > m->mss_max[d]) {
		m->mss_max[d] = mss;
		m->mss_frame[d] = ins->frames;
	}
	/* the MSS tells the other side how large to send: segments of
	 * direction 1 - d must fit that direction's tunnel MTU */
	mtu = ins_tunnel_mtu(call, 1 - d);
	if ((unsigned)mss + hdrs > mtu) {
		if (m->mss_over[d]++ == 0) {
			m->mss_over_frame[d] = ins->frames;
			m->mss_over_mtu[d] = mtu;
		}
	}
}

/* --- reports ------------------------------------------------------------ */

static const char *
ins_dir_name(const struct ins_call *c, int d)
{
	if (c->kind == INS_CALL_GRE_ONLY)
		return d == 0 ? "a_to_b" : "b_to_a";
	return d == 0 ? "pns_to_pac" : "pac_to_pns";
}

static const char *
ins_dir_arrow(const struct ins_call *c, int d)
{
	if (c->kind == INS_CALL_GRE_ONLY)
		return d == 0 ? "a->b" : "b->a";
	return d == 0 ? "pns->pac" : "pac->pns";
}

static const char *
ins_win_src_name(uint8_t src)
{
	switch (src) {
	case INS_WIN_OCRQ:	return "OCRQ";
	case INS_WIN_OCRP:	return "OCRP";
	case INS_WIN_ICRP:	return "ICRP";
	case INS_WIN_ICCN:	return "ICCN";
	}
	return "default";
}

static unsigned
ins_peer_window(const struct ins_gre_ext *x)
{
	return x->peer_window != 0 ? x->peer_window : INS_WINDOW_DEFAULT;
}

void
ins_gre_ext_text(const struct ins_call *c, int d, FILE *out)
{
	const struct ins_gre_dir *g = &c->dir[d];
	const struct ins_gre_ext *x = &g->x;

	if (g->packets == 0)
		return;
	fprintf(out, "      largest=%u (frame %u)", x->largest,
	    x->largest_frame);
	if (g->with_seq > 0) {
		fprintf(out, " receiver window=%u (%s) out_of_window=%u",
		    ins_peer_window(x), ins_win_src_name(x->window_src),
		    x->out_of_window);
		if (x->out_of_window > 0)
			fprintf(out, " (first frame %u, up to %u ahead of "
			    "the ack)", x->oow_frame, x->oow_ahead_max);
	}
	fputc('\n', out);
	if (x->rtt_samples > 0)
		fprintf(out, "      rtt seq->ack: samples=%u min=%.3f "
		    "avg=%.3f max=%.3f ms\n", x->rtt_samples,
		    (double)x->rtt_min_us / 1000.0,
		    (double)x->rtt_sum_us / x->rtt_samples / 1000.0,
		    (double)x->rtt_max_us / 1000.0);
}

static void
ins_series_json(struct jw *w, const struct ins_series *s)
{
	unsigned i, n = s->nbins < INS_SERIES_BINS ? s->nbins :
	    INS_SERIES_BINS;

	jw_open(w, "series", '{');
	jw_u64(w, "t0_us", s->t0_us);
	jw_u64(w, "bin_us", s->bin_us);
	jw_open(w, "bytes", '[');
	for (i = 0; i < n; i++)
		jw_u64(w, NULL, s->bytes[i]);
	jw_close(w, ']');
	jw_open(w, "packets", '[');
	for (i = 0; i < n; i++)
		jw_u64(w, NULL, s->packets[i]);
	jw_close(w, ']');
	jw_open(w, "lost", '[');
	for (i = 0; i < n; i++)
		jw_u64(w, NULL, s->lost[i]);
	jw_close(w, ']');
	jw_close(w, '}');
}

void
ins_gre_ext_json(struct jw *w, const struct ins_call *c, int d)
{
	const struct ins_gre_dir *g = &c->dir[d];
	const struct ins_gre_ext *x = &g->x;
	bool rtt = x->rtt_samples > 0;

	jw_u64(w, "receiver_window", ins_peer_window(x));
	jw_s(w, "receiver_window_source", ins_win_src_name(x->window_src));
	jw_u64(w, "out_of_window", x->out_of_window);
	jw_opt_u64(w, "out_of_window_first_frame", x->out_of_window > 0,
	    x->oow_frame);
	jw_opt_u64(w, "out_of_window_max_ahead", x->out_of_window > 0,
	    x->oow_ahead_max);
	jw_u64(w, "largest_packet", x->largest);
	jw_opt_u64(w, "largest_packet_frame", g->packets > 0,
	    x->largest_frame);
	jw_u64(w, "rtt_samples", x->rtt_samples);
	jw_opt_u64(w, "rtt_min_us", rtt, x->rtt_min_us);
	jw_opt_u64(w, "rtt_avg_us", rtt, rtt ? x->rtt_sum_us /
	    x->rtt_samples : 0);
	jw_opt_u64(w, "rtt_max_us", rtt, x->rtt_max_us);
	ins_series_json(w, &g->series);
}

void
ins_mtu_text(const struct ins_call *c, FILE *out)
{
	const struct ins_call_mtu *m = &c->mtu;
	int d;

	if (c->dir[0].packets == 0 && c->dir[1].packets == 0)
		return;
	fprintf(out, "  mtu:");
	for (d = 0; d < 2; d++) {
		if (c->dir[d].packets == 0)
			continue;
		fprintf(out, "%s %s outer<=%u ppp<=%u", d == 1 &&
		    c->dir[0].packets > 0 ? ";" : "", ins_dir_arrow(c, d),
		    m->largest_ip[d], m->ppp_largest[d]);
		if (m->inner_largest[d] > 0)
			fprintf(out, " inner<=%u", m->inner_largest[d]);
		fprintf(out, " mru=%u tunnel_mtu=%u", ins_call_mru(c, d),
		    ins_tunnel_mtu(c, d));
	}
	fprintf(out, "%s\n", ins_call_mppe(c) ? " (MPPE: MRU - 4)" : "");
	if (m->df_oversize > 0)
		fprintf(out, "    %u outer packets with DF over %u octets "
		    "(largest %u, first frame %u)\n", m->df_oversize,
		    INS_PATH_MTU, m->df_oversize_max, m->df_oversize_frame);
	if (m->gre_fragments > 0)
		fprintf(out, "    GRE came fragmented: %u fragments made %u "
		    "datagrams (first frame %u)\n", m->gre_fragments,
		    m->gre_reassembled, m->fragment_frame);
	for (d = 0; d < 2; d++) {
		if (m->mss_syns[d] == 0)
			continue;
		fprintf(out, "    inner TCP SYN %s: %u with MSS, largest %u "
		    "(frame %u)", ins_dir_arrow(c, d), m->mss_syns[d],
		    m->mss_max[d], m->mss_frame[d]);
		if (m->mss_over[d] > 0)
			fprintf(out, ", %u over the tunnel MTU %u (first "
			    "frame %u)", m->mss_over[d], m->mss_over_mtu[d],
			    m->mss_over_frame[d]);
		fputc('\n', out);
	}
}

void
ins_mtu_json(struct jw *w, const struct ins_call *c)
{
	const struct ins_call_mtu *m = &c->mtu;
	int d;

	jw_open(w, "mtu", '{');
	jw_bool(w, "mppe", ins_call_mppe(c));
	jw_u64(w, "path_mtu_assumed", INS_PATH_MTU);
	jw_u64(w, "df_oversize", m->df_oversize);
	jw_opt_u64(w, "df_oversize_first_frame", m->df_oversize > 0,
	    m->df_oversize_frame);
	jw_opt_u64(w, "df_oversize_max", m->df_oversize > 0,
	    m->df_oversize_max);
	jw_u64(w, "gre_fragments", m->gre_fragments);
	jw_u64(w, "gre_reassembled", m->gre_reassembled);
	jw_opt_u64(w, "fragment_first_frame", m->gre_reassembled > 0,
	    m->fragment_frame);
	jw_open(w, "dirs", '[');
	for (d = 0; d < 2; d++) {
		if (c->kind == INS_CALL_GRE_ONLY && !c->dir[d].seen)
			continue;
		jw_open(w, NULL, '{');
		jw_s(w, "dir", ins_dir_name(c, d));
		jw_u64(w, "largest_outer_ip", m->largest_ip[d]);
		jw_opt_u64(w, "largest_outer_ip_frame", m->largest_ip[d] > 0,
		    m->largest_ip_frame[d]);
		jw_u64(w, "largest_ppp_info", m->ppp_largest[d]);
		jw_opt_u64(w, "largest_ppp_info_frame", m->ppp_largest[d] > 0,
		    m->ppp_largest_frame[d]);
		jw_u64(w, "largest_inner_ip", m->inner_largest[d]);
		jw_opt_u64(w, "largest_inner_ip_frame",
		    m->inner_largest[d] > 0, m->inner_largest_frame[d]);
		jw_u64(w, "lcp_mru", ins_call_mru(c, d));
		jw_u64(w, "tunnel_mtu", ins_tunnel_mtu(c, d));
		jw_u64(w, "syn_mss_count", m->mss_syns[d]);
		jw_opt_u64(w, "syn_mss_max", m->mss_syns[d] > 0,
		    m->mss_max[d]);
		jw_opt_u64(w, "syn_mss_max_frame", m->mss_syns[d] > 0,
		    m->mss_frame[d]);
		jw_u64(w, "syn_mss_over_tunnel_mtu", m->mss_over[d]);
		jw_opt_u64(w, "syn_mss_over_first_frame", m->mss_over[d] > 0,
		    m->mss_over_frame[d]);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

/* --- findings ---------------------------------------------------------- */

size_t
ins_mtu_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap)
{
	const struct ins_call_mtu *m = &c->mtu;
	struct ins_flist l = { .out = out, .cap = cap, .ins = ins, .c = c };
	struct ins_finding *f;
	unsigned mru;
	int d;

	if (m->df_oversize > 0 && (f = ins_flist_add(&l, "df-oversize",
	    INS_SEV_WARN)) != NULL) {
		ins_finding_printf(f, "%u outer packets of this call have "
		    "Don't Fragment set and are larger than a %u-octet path "
		    "(largest %u octets): a typical path drops them; lower "
		    "the tunnel MTU", m->df_oversize, INS_PATH_MTU,
		    m->df_oversize_max);
		ins_finding_frame(f, m->df_oversize_frame);
	}
	if (m->gre_fragments > 0 && (f = ins_flist_add(&l, "gre-fragmented",
	    INS_SEV_WARN)) != NULL) {
		ins_finding_printf(f, "the call's GRE came in %u IP fragments "
		    "(%u datagrams reassembled): its packets are larger than "
		    "the path MTU; fragments cost and are often dropped by "
		    "firewalls and NAT; lower the tunnel MTU",
		    m->gre_fragments, m->gre_reassembled);
		ins_finding_frame(f, m->fragment_frame);
	}
	for (d = 0; d < 2; d++) {
		if (m->mss_over[d] > 0 && (f = ins_flist_add(&l,
		    "mss-exceeds-tunnel-mtu", INS_SEV_WARN)) != NULL) {
			ins_finding_printf(f, "%u inner TCP SYNs %s announce "
			    "an MSS (up to %u) whose segments do not fit the "
			    "tunnel MTU of %u octets toward their sender (LCP "
			    "MRU %u%s): nothing clamps the MSS; expect stalls "
			    "where ICMP is filtered",
			    m->mss_over[d], ins_dir_arrow(c, d), m->mss_max[d],
			    m->mss_over_mtu[d], ins_call_mru(c, 1 - d),
			    ins_call_mppe(c) ? " less 4 for MPPE" : "");
			ins_finding_frame(f, m->mss_over_frame[d]);
		}
		mru = ins_call_mru(c, d);
		if (m->ppp_largest[d] > mru && (f = ins_flist_add(&l,
		    "ppp-frame-exceeds-mru", INS_SEV_WARN)) != NULL) {
			ins_finding_printf(f, "PPP frames %s carry up to %u "
			    "octets, more than the receiver's MRU of %u%s",
			    ins_dir_arrow(c, d), m->ppp_largest[d], mru,
			    c->confack[d][INS_CP_LCP].seen ? "" :
			    " (the default: no LCP Configure-Ack seen)");
			ins_finding_frame(f, m->ppp_largest_frame[d]);
		}
		if (c->dir[d].x.out_of_window > 0 && (f = ins_flist_add(&l,
		    "gre-out-of-window", INS_SEV_WARN)) != NULL) {
			ins_finding_printf(f, "%u GRE packets %s were sent "
			    "more than the receiver's window (%u, %s) beyond "
			    "its last acknowledgment (up to %u ahead): the "
			    "sender ignores the window (RFC 2637 4.4) and the "
			    "receiver may drop them",
			    c->dir[d].x.out_of_window, ins_dir_arrow(c, d),
			    ins_peer_window(&c->dir[d].x),
			    ins_win_src_name(c->dir[d].x.window_src),
			    c->dir[d].x.oow_ahead_max);
			ins_finding_frame(f, c->dir[d].x.oow_frame);
		}
	}
	return l.n;
}

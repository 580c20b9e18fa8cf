/*
 * inspect_gre.c - the analyzer's enhanced GRE (RFC 2637 4.1): each packet
 * is tied to its call by (source, destination, Key) -- the Key's Call ID is
 * the RECEIVER's, so GRE from the PNS to the PAC carries the PAC's Call ID --
 * and counted per direction: sequence numbers (lost, reordered,
 * duplicated), acknowledgments, ack-only packets, packets beyond the
 * receiver's window (RFC 2637 4.2, 4.4: the OCRQ/OCRP/ICRP/ICCN Packet
 * Recv. Window Size), round-trip times from acknowledgments, the largest
 * packet and a time series.  GRE that is not version 1 carrying PPP
 * (0x880B) is never taken for PPTP: it is listed as other GRE.
 *
 * Finding a packet's call is a scan of the call table; a direct-mapped
 * cache in front of it answers the steady state (one packet after another
 * of the same flows) without the scan.  A cache entry holds while no call
 * was created (ins->next_call_id), no control data arrived that could
 * change a call's IDs (ins->c.tcp_payload_segments) and no GRE-only call
 * was paired (net->gen).
 */
#include <string.h>

#include "../base/err.h"
#include "../inspect/inspect_int.h"
#include "../wire/cursor.h"
#include "../wire/gre.h"

/* --- GRE -------------------------------------------------------------- */

/* 0 or 1 when direction d of call carries GRE src->dst with this key. */
static bool
ins_call_dir_is(const struct ins_call *c, int d, const struct ins_addr *src,
    const struct ins_addr *dst, uint16_t key)
{
	if (c->kind == INS_CALL_GRE_ONLY || c->conn_id == 0) {
		const struct ins_gre_dir *g = &c->dir[d];

		return g->seen && g->key == key && ins_addr_eq(&g->src, src) &&
		    ins_addr_eq(&g->dst, dst);
	}
	if (d == 0)
		return c->have_pac_id && c->pac_call_id == key &&
		    ins_addr_eq(&c->pns, src) && ins_addr_eq(&c->pac, dst);
	return c->have_pns_id && c->pns_call_id == key &&
	    ins_addr_eq(&c->pac, src) && ins_addr_eq(&c->pns, dst);
}

static unsigned
ins_gre_hash(const struct ins_addr *src, const struct ins_addr *dst,
    uint16_t key)
{
	size_t n = src->family == 4 ? 4 : 16, i;
	uint32_t h = 2166136261u ^ key;

	for (i = 0; i < n; i++)
		h = (h ^ src->a[i]) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ dst->a[i]) * 16777619u;
	return (h ^ (h >> 15)) & (INS_GRE_CACHE - 1);
}

static struct ins_call *
ins_gre_call_scan(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint16_t key, int *dout)
{
	struct ins_call *best = NULL, *pair = NULL;
	int i, d, bd = 0;

	for (i = 0; i < INS_MAX_CALLS; i++) {
		struct ins_call *c = &ins->calls[i];

		if (!c->used)
			continue;
		for (d = 0; d < 2; d++)
			if (ins_call_dir_is(c, d, src, dst, key) &&
			    (best == NULL || c->id > best->id)) {
				best = c;
				bd = d;
			}
		/* a GRE-only call with only the reverse direction so far */
		if (c->kind == INS_CALL_GRE_ONLY && c->dir[0].seen &&
		    !c->dir[1].seen && ins_addr_eq(&c->dir[0].src, dst) &&
		    ins_addr_eq(&c->dir[0].dst, src) &&
		    (pair == NULL || c->id > pair->id))
			pair = c;
	}
	if (best != NULL) {
		*dout = bd;
		return best;
	}
	if (pair != NULL) {
		d = 1;
		INS_NET(ins)->gen++;
	} else {
		pair = ins_call_new(ins, INS_CALL_GRE_ONLY);
		d = 0;
	}
	pair->dir[d].seen = true;
	pair->dir[d].src = *src;
	pair->dir[d].dst = *dst;
	pair->dir[d].key = key;
	*dout = d;
	return pair;
}

static struct ins_call *
ins_gre_call(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint16_t key, int *dout)
{
	struct ins_net *net = INS_NET(ins);
	struct ins_gre_cache *e = &net->cache[ins_gre_hash(src, dst, key)];
	struct ins_call *c;
	int d;

	if (e->used && e->key == key && e->stamp_calls == ins->next_call_id &&
	    e->stamp_tcp == ins->c.tcp_payload_segments &&
	    e->stamp_gen == net->gen && ins_addr_eq(&e->src, src) &&
	    ins_addr_eq(&e->dst, dst)) {
		c = &ins->calls[e->idx];
		if (c->used && c->id == e->call_id) {
			*dout = e->d;
			return c;
		}
	}
	c = ins_gre_call_scan(ins, src, dst, key, &d);
	e->used = true;
	e->key = key;
	e->src = *src;
	e->dst = *dst;
	e->d = (uint8_t)d;
	e->idx = (uint16_t)(c - ins->calls);
	e->call_id = c->id;
	e->stamp_calls = ins->next_call_id;
	e->stamp_tcp = ins->c.tcp_payload_segments;
	e->stamp_gen = net->gen;
	*dout = d;
	return c;
}

/* Counts sequence number seq; returns the gap it opened (numbers skipped
 * past the highest seen), 0 for the next one, a late or a duplicate. */
static unsigned
ins_gre_seq(struct ins_gre_dir *g, uint32_t seq)
{
	int32_t diff;
	uint32_t back;

	if (!g->have_seq) {
		g->have_seq = true;
		g->seq_first = g->seq_last = g->seq_max = seq;
		g->seq_seen = 1;
		return 0;
	}
	g->seq_last = seq;
	diff = (int32_t)(seq - g->seq_max);
	if (diff > 0) {
		g->seq_seen = diff < 64 ? g->seq_seen << diff : 0;
		g->seq_seen |= 1;
		g->lost += (unsigned)diff - 1;
		g->seq_max = seq;
		return (unsigned)diff - 1;
	}
	if (diff == 0) {
		g->duplicates++;
		return 0;
	}
	back = (uint32_t)-(int64_t)diff;
	if (back < 64 && (g->seq_seen & ((uint64_t)1 << back))) {
		g->duplicates++;
		return 0;
	}
	if (back < 64)
		g->seq_seen |= (uint64_t)1 << back;
	g->reordered++;
	if (g->lost > 0)
		g->lost--;
	return 0;
}

/* --- window, round trip --------------------------------------------- */

/*
 * The receive window of direction d's receiver, from the call's messages
 * on its control connection: PNS->PAC is bounded by the PAC's window (OCRP
 * for an outgoing call, ICCN for an incoming one), PAC->PNS by the PNS's
 * (OCRQ, ICRP).  Looked up again only when new control data came.
 */
static void
ins_gre_window(struct inspect *ins, struct ins_call *c, int d)
{
	struct ins_gre_ext *x = &c->dir[d].x;
	const struct ins_conn *cn = NULL;
	unsigned stamp = ins->c.tcp_payload_segments + 1, i, n;
	uint16_t win = 0;
	uint8_t src = INS_WIN_DEFAULT;

	if (x->window_src != INS_WIN_DEFAULT || x->window_stamp == stamp)
		return;
	x->window_stamp = stamp;
	x->peer_window = INS_WINDOW_DEFAULT;
	if (c->conn_id == 0)
		return;
	for (i = 0; i < INS_MAX_CONNS; i++)
		if (ins->conns[i].used && ins->conns[i].id == c->conn_id) {
			cn = &ins->conns[i];
			break;
		}
	if (cn == NULL)
		return;
	n = cn->nmsgs < INS_MAX_MSGS ? cn->nmsgs : INS_MAX_MSGS;
	for (i = 0; i < n; i++) {
		const struct pptp_msg *m = &cn->msgs[i].m;

		switch (m->ctrl_type) {
		case PPTP_OCRQ:
			if (d == 1 && c->kind == INS_CALL_OUTGOING &&
			    c->have_pns_id && m->u.ocrq.call_id == c->pns_call_id)
				win = m->u.ocrq.recv_window, src = INS_WIN_OCRQ;
			break;
		case PPTP_OCRP:
			if (d == 0 && c->kind == INS_CALL_OUTGOING &&
			    c->have_pac_id && m->u.ocrp.call_id == c->pac_call_id &&
			    m->u.ocrp.peer_call_id == c->pns_call_id)
				win = m->u.ocrp.recv_window, src = INS_WIN_OCRP;
			break;
		case PPTP_ICRP:
			if (d == 1 && c->kind == INS_CALL_INCOMING &&
			    c->have_pns_id && m->u.icrp.call_id == c->pns_call_id &&
			    m->u.icrp.peer_call_id == c->pac_call_id)
				win = m->u.icrp.recv_window, src = INS_WIN_ICRP;
			break;
		case PPTP_ICCN:
			if (d == 0 && c->kind == INS_CALL_INCOMING &&
			    c->have_pns_id &&
			    m->u.iccn.peer_call_id == c->pns_call_id)
				win = m->u.iccn.recv_window, src = INS_WIN_ICCN;
			break;
		default:
			break;
		}
	}
	/* a window of 0 would forbid any packet: taken as not given */
	if (src != INS_WIN_DEFAULT && win != 0) {
		x->peer_window = win;
		x->window_src = src;
	}
}

/* Remembers that seq left at ts (only numbers above the last kept). */
static void
ins_rtt_push(struct ins_gre_ext *x, uint32_t seq, uint64_t ts)
{
	struct ins_rtt_sample *s;

	if (x->rtt_n > 0) {
		s = &x->rtt_ring[(x->rtt_head + x->rtt_n - 1) % INS_RTT_RING];
		if ((int32_t)(seq - s->seq) <= 0)
			return;
	}
	if (x->rtt_n == INS_RTT_RING) {
		s = &x->rtt_ring[x->rtt_head];
		if (ts < s->ts_us || ts - s->ts_us <= INS_RTT_MAX_AGE_US)
			return;
		x->rtt_head = (x->rtt_head + 1) % INS_RTT_RING;
		x->rtt_n--;
	}
	s = &x->rtt_ring[(x->rtt_head + x->rtt_n) % INS_RTT_RING];
	s->seq = seq;
	s->ts_us = ts;
	x->rtt_n++;
}

/* The other direction acknowledged up to ack at now. */
static void
ins_rtt_ack(struct ins_gre_ext *x, uint32_t ack, uint64_t now)
{
	while (x->rtt_n > 0) {
		struct ins_rtt_sample *s = &x->rtt_ring[x->rtt_head];
		uint64_t rtt;

		if ((int32_t)(s->seq - ack) > 0)
			break;
		rtt = now > s->ts_us ? now - s->ts_us : 0;
		if (x->rtt_samples == 0 || rtt < x->rtt_min_us)
			x->rtt_min_us = rtt;
		if (rtt > x->rtt_max_us)
			x->rtt_max_us = rtt;
		x->rtt_sum_us += rtt;
		x->rtt_samples++;
		x->rtt_head = (x->rtt_head + 1) % INS_RTT_RING;
		x->rtt_n--;
	}
}

/* Octets of the PPP header (Address/Control, Protocol) at p[n]. */
static size_t
ins_ppp_hdr_len(const uint8_t *p, size_t n)
{
	size_t h = 0;

	if (n >= 2 && p[0] == 0xff && p[1] == 0x03)
		h = 2;
	if (n > h && (p[h] & 1))
		return h + 1;		/* Protocol-Field-Compressed */
	return h + 2;
}

static void
ins_gre_other(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t ver, uint16_t proto, size_t n)
{
	struct ins_other_gre *o = NULL;
	int i;

	ins->c.gre_other++;
	for (i = 0; i < INS_MAX_OTHER_GRE; i++) {
		struct ins_other_gre *x = &ins->other[i];

		if (x->used && x->version == ver && x->proto == proto &&
		    ins_addr_eq(&x->src, src) && ins_addr_eq(&x->dst, dst)) {
			o = x;
			break;
		}
	}
	if (o == NULL) {
		for (i = 0; i < INS_MAX_OTHER_GRE; i++) {
			if (!ins->other[i].used) {
				o = &ins->other[i];
				break;
			}
			if (o == NULL || ins->other[i].last_ts < o->last_ts)
				o = &ins->other[i];
		}
		if (o->used)
			ins->c.evicted_other_gre++;
		memset(o, 0, sizeof(*o));
		o->used = true;
		o->src = *src, o->dst = *dst;
		o->version = ver, o->proto = proto;
		o->first_frame = ins->frames;
	}
	o->last_ts = ins->last_ts;
	o->packets++;
	o->bytes += n;
}

/* Reads the header of a GRE packet whose payload the capture cut short:
 * 0 when the header itself is whole and the only fault is a Payload
 * Length past the captured octets. */
static int
ins_gre_cut(const uint8_t *p, size_t n, struct gre_hdr *h)
{
	uint8_t f, v;
	uint16_t proto;
	struct rd r;

	rd_init(&r, p, n);
	memset(h, 0, sizeof(*h));
	if (rd_u8(&r, &f) != 0 || rd_u8(&r, &v) != 0 ||
	    rd_u16(&r, &proto) != 0 || rd_u16(&r, &h->payload_len) != 0 ||
	    rd_u16(&r, &h->call_id) != 0)
		return ERR_TRUNCATED;
	if ((f & ~(GRE_BIT_K | GRE_BIT_S)) != 0 || !(f & GRE_BIT_K) ||
	    (v & GRE_FLAGS_MASK) != 0)
		return ERR_FLAGS;
	h->has_seq = (f & GRE_BIT_S) != 0;
	h->has_ack = (v & GRE_BIT_A) != 0;
	if ((h->has_seq && rd_u32(&r, &h->seq) != 0) ||
	    (h->has_ack && rd_u32(&r, &h->ack) != 0))
		return ERR_TRUNCATED;
	return h->payload_len > rd_left(&r) ? 0 : ERR_LENGTH;
}

void
ins_gre(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, const uint8_t *p, size_t n)
{
	ins_gre_pkt(ins, src, dst, NULL, p, n);
}

void
ins_gre_pkt(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, const struct ins_outer *outer,
    const uint8_t *p, size_t n)
{
	struct gre_hdr h;
	struct ins_call *call;
	struct ins_gre_dir *g, *peer;
	struct rd r, payload;
	uint16_t flags, proto;
	unsigned gap = 0;
	size_t ppp_hdr, ppp_info, hl;
	bool cut = false;
	int d, ret;

	ins->c.gre_packets++;
	rd_init(&r, p, n);
	if (rd_u16(&r, &flags) != 0 || rd_u16(&r, &proto) != 0) {
		ins->c.truncated++;
		return;
	}
	if ((flags & GRE_VER_MASK) != GRE_VERSION_PPTP || proto != GRE_PROTO_PPP) {
		ins_gre_other(ins, src, dst, (uint8_t)(flags & GRE_VER_MASK),
		    proto, n);
		return;
	}
	rd_init(&r, p, n);
	if ((ret = gre_decode(&r, &h, &payload)) != 0) {
		/* a capture with a short snap length cuts the payload: the
		 * header still counts, the PPP inside is not read */
		if (ret != ERR_LENGTH || ins_gre_cut(p, n, &h) != 0) {
			ins->c.gre_malformed++;
			return;
		}
		cut = true;
		hl = 8 + (h.has_seq ? 4 : 0) + (h.has_ack ? 4 : 0);
		rd_init(&payload, p + hl, n - hl);	/* what was captured */
	}
	ins->c.gre_pptp++;
	call = ins_gre_call(ins, src, dst, h.call_id, &d);
	call->last_ts = ins->last_ts;
	g = &call->dir[d];
	peer = &call->dir[1 - d];
	if (!g->seen || g->packets == 0) {
		g->seen = true;
		g->src = *src, g->dst = *dst, g->key = h.call_id;
		g->first_frame = ins->frames;
	}
	g->last_frame = ins->frames;
	g->packets++;
	g->bytes += n;
	g->payload_sum += h.payload_len;
	if (n > g->x.largest) {
		g->x.largest = (unsigned)n;
		g->x.largest_frame = ins->frames;
	}
	if (h.has_seq) {
		g->with_seq++;
		gap = ins_gre_seq(g, h.seq);
		ins_gre_window(ins, call, d);
		if (peer->have_ack && (int32_t)(h.seq - peer->ack_last) >
		    (int32_t)g->x.peer_window) {
			uint32_t ahead = h.seq - peer->ack_last;

			if (g->x.out_of_window++ == 0)
				g->x.oow_frame = ins->frames;
			if (ahead > g->x.oow_ahead_max)
				g->x.oow_ahead_max = ahead;
		}
		ins_rtt_push(&g->x, h.seq, ins->last_ts);
	}
	if (h.has_ack) {
		g->with_ack++;
		if (!h.has_seq)
			g->ack_only++;
		if (!g->have_ack) {
			g->have_ack = true;
			g->ack_first = h.ack;
		}
		g->ack_last = h.ack;
		ins_rtt_ack(&peer->x, h.ack, ins->last_ts);
	}
	ins_series_add(&g->series, ins->last_ts, (unsigned)n, gap);
	/* the PPP frame is the Payload Length octets (RFC 2637 4.1) */
	ppp_hdr = ins_ppp_hdr_len(rd_cur(&payload), rd_left(&payload));
	ppp_info = h.payload_len > ppp_hdr ? h.payload_len - ppp_hdr : 0;
	ins_mtu_outer(ins, call, d, outer, h.payload_len > 0 ? ppp_info : 0);
	if (cut)
		g->cut++;
	else if (h.payload_len > 0)
		ins_ppp_frame(ins, call, d, rd_cur(&payload),
		    rd_left(&payload));
}

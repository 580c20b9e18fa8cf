/*
 * inspect_gre.c - the analyzer's enhanced GRE (RFC 2637 4.1): each packet
 * is tied to its call by (source, destination, Key) -- the Key's Call ID is
 * the RECEIVER's, so GRE from the PNS to the PAC carries the PAC's Call ID --
 * and counted per direction: sequence numbers (lost, reordered,
 * duplicated), acknowledgments, ack-only packets.  GRE that is not version 1
 * carrying PPP (0x880B) is never taken for PPTP: it is listed as other GRE.
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

static struct ins_call *
ins_gre_call(struct inspect *ins, const struct ins_addr *src,
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

static void
ins_gre_seq(struct ins_gre_dir *g, uint32_t seq)
{
	int32_t diff;
	uint32_t back;

	if (!g->have_seq) {
		g->have_seq = true;
		g->seq_first = g->seq_last = g->seq_max = seq;
		g->seq_seen = 1;
		return;
	}
	g->seq_last = seq;
	diff = (int32_t)(seq - g->seq_max);
	if (diff > 0) {
		g->seq_seen = diff < 64 ? g->seq_seen << diff : 0;
		g->seq_seen |= 1;
		g->lost += (unsigned)diff - 1;
		g->seq_max = seq;
		return;
	}
	if (diff == 0) {
		g->duplicates++;
		return;
	}
	back = (uint32_t)-(int64_t)diff;
	if (back < 64 && (g->seq_seen & ((uint64_t)1 << back))) {
		g->duplicates++;
		return;
	}
	if (back < 64)
		g->seq_seen |= (uint64_t)1 << back;
	g->reordered++;
	if (g->lost > 0)
		g->lost--;
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
	struct gre_hdr h;
	struct ins_call *call;
	struct ins_gre_dir *g;
	struct rd r, payload;
	uint16_t flags, proto;
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
	}
	ins->c.gre_pptp++;
	call = ins_gre_call(ins, src, dst, h.call_id, &d);
	call->last_ts = ins->last_ts;
	g = &call->dir[d];
	if (!g->seen || g->packets == 0) {
		g->seen = true;
		g->src = *src, g->dst = *dst, g->key = h.call_id;
		g->first_frame = ins->frames;
	}
	g->last_frame = ins->frames;
	g->packets++;
	g->bytes += n;
	g->payload_sum += h.payload_len;
	if (h.has_seq) {
		g->with_seq++;
		ins_gre_seq(g, h.seq);
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
	}
	if (cut)
		g->cut++;
	else if (h.payload_len > 0)
		ins_ppp_frame(ins, call, d, rd_cur(&payload),
		    rd_left(&payload));
}

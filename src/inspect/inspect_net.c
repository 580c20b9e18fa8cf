/*
 * inspect_net.c - the analyzer's network layers: link-layer framing
 * (Ethernet with 802.1Q/QinQ, Linux cooked v1/v2, raw IP, BSD null and
 * loopback), IPv4 (RFC 791) and IPv6 (RFC 8200, extension headers 4.3-4.6)
 * with IP-in-IP in both directions, and TCP (RFC 9293) reassembly per
 * direction for the PPTP control stream (RFC 2637 1.4).
 *
 * IP fragments (IPv4 and the IPv6 Fragment header) are reassembled in a
 * bounded table (inspect_gre.h: 16 datagrams of up to 64 KiB, 30 s of
 * capture time) and the whole datagram goes on as if it came unfragmented.
 *
 * Everything goes through struct rd cursors; a frame cut short by the
 * snap length is counted and dropped where its headers end.
 */
#include <string.h>

#include "../inspect/inspect_int.h"
#include "../wire/cursor.h"
#include "../wire/ip.h"

#define ETH_IPV4	0x0800
#define ETH_IPV6	0x86dd
#define ETH_VLAN	0x8100
#define ETH_QINQ	0x88a8
#define ETH_QINQ_OLD	0x9100

static void ins_ip(struct inspect *ins, struct rd *r, int depth,
    const struct ins_outer *up);

static void
ins_ethertype(struct inspect *ins, uint16_t et, struct rd *r)
{
	if (et == ETH_IPV4 || et == ETH_IPV6)
		ins_ip(ins, r, 0, NULL);
	else
		ins->c.not_ip++;
}

bool
ins_dlt_ok(int dlt)
{
	switch (dlt) {
	case INS_DLT_NULL:
	case INS_DLT_EN10MB:
	case INS_DLT_RAW:
	case INS_DLT_RAW_ALT:
	case INS_DLT_LOOP:
	case INS_DLT_LINUX_SLL:
	case INS_DLT_IPV4:
	case INS_DLT_IPV6:
	case INS_DLT_LINUX_SLL2:
		return true;
	}
	return false;
}

void
inspect_packet(struct inspect *ins, uint64_t ts_us, int dlt,
    const uint8_t *data, size_t len)
{
	struct rd r;
	uint16_t et;
	uint32_t fam;

	ins->frames++;
	if (ins->frames == 1)
		ins->first_ts = ts_us;
	ins->last_ts = ts_us;
	ins->dlt = dlt;
	rd_init(&r, data, len);
	switch (dlt) {
	case INS_DLT_EN10MB:
		if (rd_skip(&r, 12) != 0 || rd_u16(&r, &et) != 0)
			goto trunc;
		while (et == ETH_VLAN || et == ETH_QINQ || et == ETH_QINQ_OLD) {
			if (rd_skip(&r, 2) != 0 || rd_u16(&r, &et) != 0)
				goto trunc;
		}
		ins_ethertype(ins, et, &r);
		return;
	case INS_DLT_LINUX_SLL:
		if (rd_skip(&r, 14) != 0 || rd_u16(&r, &et) != 0)
			goto trunc;
		ins_ethertype(ins, et, &r);
		return;
	case INS_DLT_LINUX_SLL2:
		if (rd_u16(&r, &et) != 0 || rd_skip(&r, 18) != 0)
			goto trunc;
		ins_ethertype(ins, et, &r);
		return;
	case INS_DLT_RAW:
	case INS_DLT_RAW_ALT:
	case INS_DLT_IPV4:
	case INS_DLT_IPV6:
		ins_ip(ins, &r, 0, NULL);
		return;
	case INS_DLT_NULL:
	case INS_DLT_LOOP:
		/* The family word is host order for NULL and network order for
		 * LOOP; the IP version nibble tells us what follows anyway. */
		if (rd_u32(&r, &fam) != 0)
			goto trunc;
		ins_ip(ins, &r, 0, NULL);
		return;
	default:
		ins->c.link_unsupported++;
		return;
	}
trunc:
	ins->c.truncated++;
}

/* Hands an IP payload on: IP-in-IP to ins_ip, GRE with its outer
 * packet to ins_gre_pkt, the rest (TCP) to ins_l4.  outer describes the
 * outermost packet on the wire (or the reassembled datagram), which is
 * what a path MTU applies to. */
static void
ins_payload(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t proto, struct rd *r, int depth,
    const struct ins_outer *outer)
{
	if (proto == 4 || proto == 41) {	/* IPv4 / IPv6 in IP */
		ins_ip(ins, r, depth + 1, outer);
		return;
	}
	if (proto == IP_PROTO_GRE)
		ins_gre_pkt(ins, src, dst, outer, rd_cur(r), rd_left(r));
	else
		ins_l4(ins, src, dst, proto, rd_cur(r), rd_left(r));
}

/* --- IP fragment reassembly (RFC 791 3.2, RFC 8200 4.5) ------------- */

static bool
ins_frag_bit(const struct ins_frag *f, unsigned u)
{
	return (f->map[u >> 3] >> (u & 7)) & 1;
}

static void
ins_frag_free(struct inspect *ins, struct ins_frag *f)
{
	struct ins_net *net = INS_NET(ins);

	f->used = false;
	f->busy = false;
	net->frag_used--;
	ins->c.ip_frag_pending = net->frag_used;
}

/* Gives up datagrams older than the timeout; frees nothing busy. */
static void
ins_frag_expire(struct inspect *ins)
{
	struct ins_net *net = INS_NET(ins);
	int i;

	for (i = 0; i < INS_FRAG_SLOTS && net->frag_used > 0; i++) {
		struct ins_frag *f = &net->frag[i];

		if (f->used && !f->busy && ins->last_ts > f->first_ts &&
		    ins->last_ts - f->first_ts > INS_FRAG_TIMEOUT_US) {
			ins->c.ip_frag_timeout++;
			ins_frag_free(ins, f);
		}
	}
}

/* The datagram's slot, or a new one (evicting the oldest); NULL when every
 * slot is being delivered (only nested reassembly can do that). */
static struct ins_frag *
ins_frag_slot(struct inspect *ins, bool v6, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t proto, uint32_t id)
{
	struct ins_net *net = INS_NET(ins);
	struct ins_frag *f, *freeslot = NULL, *old = NULL;
	int i;

	for (i = 0; i < INS_FRAG_SLOTS; i++) {
		f = &net->frag[i];
		if (!f->used) {
			if (freeslot == NULL)
				freeslot = f;
			continue;
		}
		if (!f->busy && f->v6 == v6 && f->id == id &&
		    (v6 || f->proto == proto) &&
		    ins_addr_eq(&f->src, src) && ins_addr_eq(&f->dst, dst))
			return f;
		if (!f->busy && (old == NULL || f->first_ts < old->first_ts))
			old = f;
	}
	if ((f = freeslot) == NULL) {
		if ((f = old) == NULL)
			return NULL;
		ins->c.ip_frag_evicted++;
		ins_frag_free(ins, f);
	}
	f->used = true;
	f->busy = false;
	f->v6 = v6;
	f->have_proto = !v6;
	f->proto = proto;
	f->id = id;
	f->src = *src;
	f->dst = *dst;
	f->first_ts = ins->last_ts;
	f->nfrags = 0;
	f->largest = 0;
	f->end = 0;
	f->total = 0;
	f->have_last = false;
	f->units = 0;
	memset(f->map, 0, sizeof(f->map));
	net->frag_used++;
	ins->c.ip_frag_pending = net->frag_used;
	return f;
}

/*
 * One fragment: payload data[len] at octet off of the datagram, more the
 * MF/M flag, wire its packet's length on the wire.  Delivers the datagram
 * when it is complete.  Bad fragments are counted and drop their datagram.
 */
static void
ins_frag_add(struct inspect *ins, bool v6, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t proto, uint32_t id, uint32_t off,
    bool more, const uint8_t *data, size_t len, unsigned wire, int depth)
{
	struct ins_frag *f;
	struct ins_outer outer;
	struct rd body;
	uint32_t end = off + (uint32_t)len, u, u0, u1;
	bool overlap = false;

	ins->c.ip_fragments++;
	ins_frag_expire(ins);
	if (len == 0 || end > INS_FRAG_MAX || (more && len % 8 != 0)) {
		ins->c.ip_frag_bad++;
		return;
	}
	if ((f = ins_frag_slot(ins, v6, src, dst, proto, id)) == NULL) {
		ins->c.ip_frag_bad++;
		return;
	}
	/* the end is known once: a fragment past it, or a second last
	 * fragment that ends elsewhere, contradicts the datagram */
	if ((f->have_last && (end > f->total || (!more && end != f->total))) ||
	    (!more && end < f->end)) {
		ins->c.ip_frag_bad++;
		ins_frag_free(ins, f);
		return;
	}
	if (!more) {
		f->have_last = true;
		f->total = end;
	}
	if (v6 && off == 0) {
		f->proto = proto;
		f->have_proto = true;
	}
	f->nfrags++;
	if (wire > f->largest)
		f->largest = wire;
	if (end > f->end)
		f->end = end;
	/* copy unit by unit, keeping units already held */
	u0 = off / 8;
	u1 = (end + 7) / 8;
	for (u = u0; u < u1; u++) {
		uint32_t a = u * 8, b = a + 8 < end ? a + 8 : end;

		if (ins_frag_bit(f, u)) {
			overlap = true;
			continue;
		}
		memcpy(f->data + a, data + (a - off), b - a);
		f->map[u >> 3] |= (uint8_t)(1u << (u & 7));
		f->units++;
	}
	if (overlap)
		ins->c.ip_frag_overlap++;
	if (!f->have_last || f->units != (f->total + 7) / 8 || !f->have_proto)
		return;
	/* complete: deliver, with the slot held against eviction */
	ins->c.ip_reassembled++;
	outer.ip_len = f->largest;
	outer.df = false;
	outer.frags = f->nfrags;
	f->busy = true;
	rd_init(&body, f->data, f->total);
	ins_payload(ins, &f->src, &f->dst, f->proto, &body, depth, &outer);
	ins_frag_free(ins, f);
}

static void
ins_ipv4(struct inspect *ins, struct rd *r, int depth,
    const struct ins_outer *up)
{
	struct ins_addr src = { .family = 4 }, dst = { .family = 4 };
	struct ins_outer outer;
	uint8_t vihl, proto, ttl;
	uint16_t tot, id, frag, ck;
	size_t ihl;
	struct rd body;

	if (rd_u8(r, &vihl) != 0 || rd_skip(r, 1) != 0 ||
	    rd_u16(r, &tot) != 0 || rd_u16(r, &id) != 0 ||
	    rd_u16(r, &frag) != 0 || rd_u8(r, &ttl) != 0 ||
	    rd_u8(r, &proto) != 0 || rd_u16(r, &ck) != 0 ||
	    rd_bytes(r, src.a, 4) != 0 || rd_bytes(r, dst.a, 4) != 0)
		goto trunc;
	ihl = (size_t)(vihl & 15) * 4;
	if (ihl < IPV4_HDR_MIN || rd_skip(r, ihl - IPV4_HDR_MIN) != 0)
		goto trunc;
	if ((frag & (IPV4_FLAG_MF | IPV4_FRAG_MASK)) != 0) {
		/* a fragment must be whole to be reassembled */
		if (tot < ihl || (size_t)(tot - ihl) > rd_left(r)) {
			ins->c.ip_fragments++;
			goto trunc;
		}
		ins_frag_add(ins, false, &src, &dst, proto, id,
		    (uint32_t)(frag & IPV4_FRAG_MASK) * 8,
		    (frag & IPV4_FLAG_MF) != 0, rd_cur(r), tot - ihl, tot,
		    depth);
		return;
	}
	/* Total Length bounds the payload (Ethernet padding follows); a
	 * capture cut by the snap length leaves less, which layer 4 sees. */
	if (tot >= ihl && (size_t)(tot - ihl) < rd_left(r)) {
		if (rd_sub(r, tot - ihl, &body) != 0)
			goto trunc;
	} else {
		rd_rest(r, &body);
	}
	if (up != NULL) {
		outer = *up;
	} else {
		outer.ip_len = tot >= ihl ? tot :
		    (unsigned)(ihl + rd_left(&body));
		outer.df = (frag & IPV4_FLAG_DF) != 0;
		outer.frags = 0;
	}
	ins_payload(ins, &src, &dst, proto, &body, depth, &outer);
	return;
trunc:
	ins->c.truncated++;
}

static void
ins_ipv6(struct inspect *ins, struct rd *r, int depth,
    const struct ins_outer *up)
{
	struct ins_addr src = { .family = 6 }, dst = { .family = 6 };
	struct ins_outer outer;
	uint32_t vtf, fid;
	uint16_t plen, offm;
	uint8_t nh, hl, len8, fnh, res;
	struct rd body;
	bool cut;
	int hops;

	if (rd_u32(r, &vtf) != 0 || rd_u16(r, &plen) != 0 ||
	    rd_u8(r, &nh) != 0 || rd_u8(r, &hl) != 0 ||
	    rd_bytes(r, src.a, 16) != 0 || rd_bytes(r, dst.a, 16) != 0)
		goto trunc;
	cut = plen > rd_left(r);
	if ((size_t)plen < rd_left(r) && plen != 0) {
		if (rd_sub(r, plen, &body) != 0)
			goto trunc;
	} else {
		rd_rest(r, &body);
	}
	for (hops = 0; hops < 8; hops++) {
		if (nh == IP_PROTO_FRAGMENT) {
			if (rd_u8(&body, &fnh) != 0 || rd_u8(&body, &res) != 0 ||
			    rd_u16(&body, &offm) != 0 ||
			    rd_u32(&body, &fid) != 0)
				goto trunc;
			/* an atomic fragment (offset 0, M clear) is a
			 * whole datagram (RFC 6946) */
			if ((offm & 0xfff9) == 0) {
				nh = fnh;
				continue;
			}
			if (cut || plen == 0) {
				ins->c.ip_fragments++;
				goto trunc;
			}
			ins_frag_add(ins, true, &src, &dst, fnh, fid,
			    offm & 0xfff8, (offm & 1) != 0, rd_cur(&body),
			    rd_left(&body), IPV6_HDR_LEN + (unsigned)plen,
			    depth);
			return;
		}
		if (nh != IP_PROTO_HOPOPTS && nh != IP_PROTO_ROUTING &&
		    nh != IP_PROTO_DSTOPTS)
			break;
		if (rd_u8(&body, &nh) != 0 || rd_u8(&body, &len8) != 0 ||
		    rd_skip(&body, (size_t)len8 * 8 + 6) != 0)
			goto trunc;
	}
	if (up != NULL) {
		outer = *up;
	} else {
		outer.ip_len = IPV6_HDR_LEN + (unsigned)plen;
		outer.df = true;
		outer.frags = 0;
	}
	ins_payload(ins, &src, &dst, nh, &body, depth, &outer);
	return;
trunc:
	ins->c.truncated++;
}

static void
ins_ip(struct inspect *ins, struct rd *r, int depth,
    const struct ins_outer *up)
{
	uint8_t v;

	if (depth > INS_MAX_DEPTH)
		return;
	if (rd_peek_u8(r, &v) != 0) {
		ins->c.truncated++;
		return;
	}
	if ((v >> 4) == 4)
		ins_ipv4(ins, r, depth, up);
	else if ((v >> 4) == 6)
		ins_ipv6(ins, r, depth, up);
	else
		ins->c.not_ip++;
}

/* --- TCP reassembly ------------------------------------------------ */

/* Delivers the bytes from seq on (those before d->next are skipped). */
static void
ins_tcp_take(struct inspect *ins, struct ins_conn *cn, int dir,
    uint32_t seq, const uint8_t *data, size_t len, unsigned frame)
{
	struct ins_tcp_dir *d = &cn->dir[dir];
	uint32_t skip = d->next - seq;

	if (skip >= len)
		return;
	d->next = seq + (uint32_t)len;
	d->bytes += (unsigned)(len - skip);
	ins_ctrl_bytes(ins, cn, dir, data + skip, len - skip, frame);
}

/* Delivers any held segment that the stream has now reached. */
static void
ins_tcp_flush(struct inspect *ins, struct ins_conn *cn, int dir)
{
	struct ins_tcp_dir *d = &cn->dir[dir];
	bool progress = true;
	int i;

	while (progress) {
		progress = false;
		for (i = 0; i < INS_OOO_SLOTS; i++) {
			struct ins_ooo *o = &d->ooo[i];

			if (!o->used || (int32_t)(o->seq - d->next) > 0)
				continue;
			o->used = false;
			if ((uint32_t)(d->next - o->seq) < o->len) {
				/* completed now: tshark numbers a reassembled
				 * message by the frame that completed it */
				ins_tcp_take(ins, cn, dir, o->seq, o->data,
				    o->len, ins->frames);
				progress = true;
			}
		}
	}
}

/* A hole the buffer cannot bridge: give up on the missing bytes, restart
 * the message framing at the lowest held segment. */
static void
ins_tcp_skip_gap(struct inspect *ins, struct ins_conn *cn, int dir)
{
	struct ins_tcp_dir *d = &cn->dir[dir];
	struct ins_ooo *lo = NULL;
	int i;

	for (i = 0; i < INS_OOO_SLOTS; i++)
		if (d->ooo[i].used && (lo == NULL ||
		    (int32_t)(d->ooo[i].seq - lo->seq) < 0))
			lo = &d->ooo[i];
	if (lo == NULL)
		return;
	d->gaps++;
	d->next = lo->seq;
	d->have = 0;
	d->desync = true;	/* a lost message boundary: cannot resync */
	ins_tcp_flush(ins, cn, dir);
}

void
ins_tcp_segment(struct inspect *ins, struct ins_conn *cn, int dir,
    uint32_t seq, uint8_t flags, const uint8_t *data, size_t len)
{
	struct ins_tcp_dir *d = &cn->dir[dir];
	unsigned frame = ins->frames;
	int i;

	if (flags & TCP_FLAG_SYN) {
		d->have_seq = true;
		d->next = seq + 1;
		seq++;
	}
	if (flags & TCP_FLAG_FIN)
		cn->fin = true;
	if (flags & TCP_FLAG_RST)
		cn->rst = true;
	if (len == 0)
		return;
	ins->c.tcp_payload_segments++;
	d->segments++;
	if (!d->have_seq) {	/* capture began mid-stream */
		d->have_seq = true;
		d->next = seq;
	}
	if ((int32_t)(seq - d->next) > 0) {
		for (i = 0; i < INS_OOO_SLOTS; i++)
			if (!d->ooo[i].used)
				break;
		if (i == INS_OOO_SLOTS || len > INS_OOO_BYTES) {
			ins_tcp_skip_gap(ins, cn, dir);
			if ((int32_t)(seq - d->next) > 0) {
				d->gaps++;
				d->next = seq;
				d->have = 0;
				d->desync = true;
			}
			ins_tcp_take(ins, cn, dir, seq, data, len, frame);
			ins_tcp_flush(ins, cn, dir);
			return;
		}
		d->ooo[i].used = true;
		d->ooo[i].seq = seq;
		d->ooo[i].len = (uint16_t)len;
		memcpy(d->ooo[i].data, data, len);
		d->out_of_order++;
		return;
	}
	if ((uint32_t)(d->next - seq) >= len) {
		d->retrans++;
		ins->c.tcp_retrans++;
		return;
	}
	ins_tcp_take(ins, cn, dir, seq, data, len, frame);
	ins_tcp_flush(ins, cn, dir);
}

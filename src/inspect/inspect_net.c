/*
 * inspect_net.c - the analyzer's network layers: link-layer framing
 * (Ethernet with 802.1Q/QinQ, Linux cooked v1/v2, raw IP, BSD null and
 * loopback), IPv4 (RFC 791) and IPv6 (RFC 8200, extension headers 4.3-4.6)
 * with IP-in-IP in both directions, and TCP (RFC 9293) reassembly per
 * direction for the PPTP control stream (RFC 2637 1.4).
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

static void ins_ip(struct inspect *ins, struct rd *r, int depth);

static void
ins_ethertype(struct inspect *ins, uint16_t et, struct rd *r)
{
	if (et == ETH_IPV4 || et == ETH_IPV6)
		ins_ip(ins, r, 0);
	else
		ins->c.not_ip++;
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
		ins_ip(ins, &r, 0);
		return;
	case INS_DLT_NULL:
	case INS_DLT_LOOP:
		/* The family word is host order for NULL and network order for
		 * LOOP; the IP version nibble tells us what follows anyway. */
		if (rd_u32(&r, &fam) != 0)
			goto trunc;
		ins_ip(ins, &r, 0);
		return;
	default:
		ins->c.link_unsupported++;
		return;
	}
trunc:
	ins->c.truncated++;
}

static void
ins_payload(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t proto, struct rd *r, int depth)
{
	if (proto == 4 || proto == 41) {	/* IPv4 / IPv6 in IP */
		ins_ip(ins, r, depth + 1);
		return;
	}
	ins_l4(ins, src, dst, proto, rd_cur(r), rd_left(r));
}

static void
ins_ipv4(struct inspect *ins, struct rd *r, int depth)
{
	struct ins_addr src = { .family = 4 }, dst = { .family = 4 };
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
		ins->c.ip_fragments++;
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
	ins_payload(ins, &src, &dst, proto, &body, depth);
	return;
trunc:
	ins->c.truncated++;
}

static void
ins_ipv6(struct inspect *ins, struct rd *r, int depth)
{
	struct ins_addr src = { .family = 6 }, dst = { .family = 6 };
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh, hl, len8;
	struct rd body;
	int hops;

	if (rd_u32(r, &vtf) != 0 || rd_u16(r, &plen) != 0 ||
	    rd_u8(r, &nh) != 0 || rd_u8(r, &hl) != 0 ||
	    rd_bytes(r, src.a, 16) != 0 || rd_bytes(r, dst.a, 16) != 0)
		goto trunc;
	if ((size_t)plen < rd_left(r) && plen != 0) {
		if (rd_sub(r, plen, &body) != 0)
			goto trunc;
	} else {
		rd_rest(r, &body);
	}
	for (hops = 0; hops < 8; hops++) {
		if (nh == IP_PROTO_FRAGMENT) {
			ins->c.ip_fragments++;
			return;
		}
		if (nh != IP_PROTO_HOPOPTS && nh != IP_PROTO_ROUTING &&
		    nh != IP_PROTO_DSTOPTS)
			break;
		if (rd_u8(&body, &nh) != 0 || rd_u8(&body, &len8) != 0 ||
		    rd_skip(&body, (size_t)len8 * 8 + 6) != 0)
			goto trunc;
	}
	ins_payload(ins, &src, &dst, nh, &body, depth);
	return;
trunc:
	ins->c.truncated++;
}

static void
ins_ip(struct inspect *ins, struct rd *r, int depth)
{
	uint8_t v;

	if (depth > INS_MAX_DEPTH)
		return;
	if (rd_peek_u8(r, &v) != 0) {
		ins->c.truncated++;
		return;
	}
	if ((v >> 4) == 4)
		ins_ipv4(ins, r, depth);
	else if ((v >> 4) == 6)
		ins_ipv6(ins, r, depth);
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

/*
 * cap.c - capture walker for the tests (see cap.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap.h"

#define CAP_STREAMS	16
#define CAP_STREAM_BUF	65536

struct cap_stream {
	bool		 used;
	char		 src[48], dst[48];
	uint16_t	 sport, dport;
	bool		 have_seq;
	uint32_t	 next;		/* next expected sequence number */
};

struct cap_walk {
	uint16_t		 port;
	cap_pkt_fn		 pkt_fn;
	cap_stream_fn		 stream_fn;
	void			*ctx;
	struct cap_stats	*st;
	struct cap_stream	 streams[CAP_STREAMS];
};

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static struct cap_stream *
cap_stream_find(struct cap_walk *w, const struct cap_pkt *p, uint16_t sport,
    uint16_t dport)
{
	struct cap_stream *s;
	int i;

	for (i = 0; i < CAP_STREAMS; i++) {
		s = &w->streams[i];
		if (s->used && s->sport == sport && s->dport == dport &&
		    strcmp(s->src, p->src) == 0 && strcmp(s->dst, p->dst) == 0)
			return s;
	}
	for (i = 0; i < CAP_STREAMS; i++) {
		s = &w->streams[i];
		if (!s->used) {
			memset(s, 0, sizeof(*s));
			s->used = true;
			snprintf(s->src, sizeof(s->src), "%s", p->src);
			snprintf(s->dst, sizeof(s->dst), "%s", p->dst);
			s->sport = sport;
			s->dport = dport;
			return s;
		}
	}
	return NULL;
}

/* Delivers the new bytes of one TCP segment.  The test captures are
 * in order apart from retransmissions, so out-of-order data past a hole is
 * reported as such by the caller's checks (it never arrives). */
static int
cap_tcp(struct cap_walk *w, const struct cap_pkt *p)
{
	const uint8_t *t = p->l4, *data;
	uint16_t sport, dport;
	uint32_t seq, skip;
	size_t hlen, len;
	struct cap_stream *s;

	if (p->l4len < 20 || p->fragment)
		return 0;
	hlen = (size_t)(t[12] >> 4) * 4;
	if (hlen < 20 || hlen > p->l4len)
		return 0;
	sport = be16(t);
	dport = be16(t + 2);
	seq = be32(t + 4);
	data = t + hlen;
	len = p->l4len - hlen;
	if (len == 0 || (sport != w->port && dport != w->port))
		return 0;
	w->st->tcp_segments++;
	if ((s = cap_stream_find(w, p, sport, dport)) == NULL)
		return 0;
	if (!s->have_seq) {
		s->have_seq = true;
		s->next = seq;
	}
	if ((int32_t)(seq - s->next) > 0)
		return 0;	/* a hole: data lost from the capture */
	skip = s->next - seq;
	if (skip >= len) {
		w->st->tcp_retrans++;
		return 0;
	}
	s->next = seq + (uint32_t)len;
	if (w->stream_fn == NULL)
		return 0;
	return w->stream_fn(p, sport, dport, data + skip, len - skip, w->ctx);
}

static int cap_ip(struct cap_walk *w, struct cap_pkt *p, const uint8_t *b,
    size_t n, int depth);

static int
cap_l4(struct cap_walk *w, struct cap_pkt *p, uint8_t proto,
    const uint8_t *b, size_t n, int depth)
{
	int ret;

	if (proto == IPPROTO_IPIP || proto == IPPROTO_IPV6)
		return cap_ip(w, p, b, n, depth + 1);
	p->proto = proto;
	p->l4 = b;
	p->l4len = n;
	if (w->pkt_fn != NULL && (ret = w->pkt_fn(p, w->ctx)) != 0)
		return ret;
	if (proto == IPPROTO_TCP)
		return cap_tcp(w, p);
	return 0;
}

static int
cap_ip(struct cap_walk *w, struct cap_pkt *p, const uint8_t *b, size_t n,
    int depth)
{
	if (n < 1 || depth > 4)
		return 0;
	if ((b[0] >> 4) == 4) {
		size_t ihl = (size_t)(b[0] & 15) * 4, tot;
		uint16_t frag;

		if (n < 20 || ihl < 20 || ihl > n)
			return 0;
		tot = be16(b + 2);
		if (tot < ihl || tot > n)
			tot = n;
		frag = be16(b + 6);
		p->fragment = (frag & 0x3fff) != 0;
		inet_ntop(AF_INET, b + 12, p->src, sizeof(p->src));
		inet_ntop(AF_INET, b + 16, p->dst, sizeof(p->dst));
		return cap_l4(w, p, b[9], b + ihl, tot - ihl, depth);
	}
	if ((b[0] >> 4) == 6) {
		size_t off = 40, plen;
		uint8_t nh;

		if (n < 40)
			return 0;
		plen = be16(b + 4);
		if (40 + plen < n)
			n = 40 + plen;
		nh = b[6];
		p->fragment = false;
		inet_ntop(AF_INET6, b + 8, p->src, sizeof(p->src));
		inet_ntop(AF_INET6, b + 24, p->dst, sizeof(p->dst));
		/* hop-by-hop, routing, destination options, fragment */
		while (nh == 0 || nh == 43 || nh == 60 || nh == 44) {
			if (off + 8 > n)
				return 0;
			if (nh == 44) {
				p->fragment = true;
				nh = b[off];
				off += 8;
			} else {
				size_t l = ((size_t)b[off + 1] + 1) * 8;

				nh = b[off];
				off += l;
			}
		}
		if (off > n)
			return 0;
		return cap_l4(w, p, nh, b + off, n - off, depth);
	}
	return 0;
}

static int
cap_link(struct cap_walk *w, struct cap_pkt *p, int dlt, const uint8_t *b,
    size_t n)
{
	uint16_t et;
	size_t off;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14)
			return 0;
		et = be16(b + 12);
		off = 14;
		while ((et == 0x8100 || et == 0x88a8 || et == 0x9100) &&
		    off + 4 <= n) {
			et = be16(b + off + 2);
			off += 4;
		}
		break;
	case DLT_LINUX_SLL:
		if (n < 16)
			return 0;
		et = be16(b + 14);
		off = 16;
		break;
	case DLT_LINUX_SLL2:
		if (n < 20)
			return 0;
		et = be16(b);
		off = 20;
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return cap_ip(w, p, b, n, 0);
	case DLT_NULL:
	case DLT_LOOP:
		if (n < 4)
			return 0;
		return cap_ip(w, p, b + 4, n - 4, 0);
	default:
		return 0;
	}
	if (et != 0x0800 && et != 0x86dd)
		return 0;
	return cap_ip(w, p, b + off, n - off, 0);
}

int
cap_walk(const char *path, uint16_t port, cap_pkt_fn pkt_fn,
    cap_stream_fn stream_fn, void *ctx, struct cap_stats *st)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct cap_stats dummy;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct cap_walk *w;
	pcap_t *pc;
	int dlt, ret = 0, r;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if ((pc = pcap_open_offline(path, errbuf)) == NULL) {
		fprintf(stderr, "cap: %s: %s\n", path, errbuf);
		return -1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		pcap_close(pc);
		return -1;
	}
	w->port = port;
	w->pkt_fn = pkt_fn;
	w->stream_fn = stream_fn;
	w->ctx = ctx;
	w->st = st;
	dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		struct cap_pkt p;

		memset(&p, 0, sizeof(p));
		p.frame = ++st->packets;
		if (cap_link(w, &p, dlt, data, h->caplen) != 0)
			break;
	}
	if (r == -1)
		ret = -1;
	free(w);
	pcap_close(pc);
	return ret;
}

/*
 * ip.c - IPv4 (RFC 791 3.1), IPv6 (RFC 8200 3, 4) and TCP (RFC 9293 3.1)
 * header codecs, the Internet checksum (RFC 1071, RFC 1624) and in-place
 * TCP MSS clamping (see ip.h).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ip.h"

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* --- Internet checksum --- */

uint32_t
ip_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t
ip_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), in one's complement arithmetic
 * with end-around carry.  Unlike eqn. 2 (RFC 1141) it cannot turn a sum of
 * -0 into a checksum of 0xFFFF where recomputing would give 0x0000
 * (RFC 1624 section 3): the sum below is 0 only if all three terms are,
 * which needs m' = 0, and an MSS limit is never 0.
 */
static void
csum_replace16(uint8_t *ck, uint16_t m, uint16_t m2)
{
	uint32_t s;

	s = (uint32_t)(uint16_t)~get16(ck) + (uint16_t)~m + m2;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	put16(ck, (uint16_t)~s);
}

/* --- IPv4 --- */

int
ipv4_hdr_decode(struct rd *r, struct ipv4_hdr *h)
{
	struct rd c = *r;
	uint8_t vi;
	uint16_t fo;
	size_t hlen;
	int ret;

	if ((ret = rd_peek_u8(&c, &vi)) != 0)
		return ret;
	if (vi >> 4 != 4)
		return ERR_VERSION;
	if ((vi & 0x0f) < 5)
		return ERR_LENGTH;
	hlen = (size_t)(vi & 0x0f) * 4;
	if (rd_left(&c) < hlen)
		return ERR_TRUNCATED;
	memset(h, 0, sizeof(*h));
	h->version = 4;
	h->ihl = vi & 0x0f;
	h->optlen = hlen - IPV4_HDR_MIN;
	if ((ret = rd_skip(&c, 1)) != 0 ||
	    (ret = rd_u8(&c, &h->tos)) != 0 ||
	    (ret = rd_u16(&c, &h->total_len)) != 0 ||
	    (ret = rd_u16(&c, &h->id)) != 0 ||
	    (ret = rd_u16(&c, &fo)) != 0 ||
	    (ret = rd_u8(&c, &h->ttl)) != 0 ||
	    (ret = rd_u8(&c, &h->proto)) != 0 ||
	    (ret = rd_u16(&c, &h->checksum)) != 0 ||
	    (ret = rd_bytes(&c, h->src, 4)) != 0 ||
	    (ret = rd_bytes(&c, h->dst, 4)) != 0 ||
	    (ret = rd_bytes(&c, h->opt, h->optlen)) != 0)
		return ret;
	h->rf = (fo & IPV4_FLAG_RF) != 0;
	h->df = (fo & IPV4_FLAG_DF) != 0;
	h->mf = (fo & IPV4_FLAG_MF) != 0;
	h->frag_off = fo & IPV4_FRAG_MASK;
	if (h->total_len < hlen)
		return ERR_LENGTH;
	if (h->total_len - hlen > rd_left(&c))
		return ERR_TRUNCATED;
	*r = c;
	return 0;
}

int
ipv4_hdr_encode(struct wr *w, const struct ipv4_hdr *h)
{
	uint16_t fo;

	if (h->version != 4)
		return ERR_VERSION;
	if (h->optlen > IPV4_OPT_MAX || h->optlen % 4 != 0 ||
	    h->ihl != 5 + h->optlen / 4 || h->frag_off > IPV4_FRAG_MASK ||
	    h->total_len < (size_t)h->ihl * 4)
		return ERR_RANGE;
	fo = h->frag_off;
	if (h->rf)
		fo |= IPV4_FLAG_RF;
	if (h->df)
		fo |= IPV4_FLAG_DF;
	if (h->mf)
		fo |= IPV4_FLAG_MF;
	wr_u8(w, (uint8_t)(4 << 4 | h->ihl));
	wr_u8(w, h->tos);
	wr_u16(w, h->total_len);
	wr_u16(w, h->id);
	wr_u16(w, fo);
	wr_u8(w, h->ttl);
	wr_u8(w, h->proto);
	wr_u16(w, h->checksum);
	wr_bytes(w, h->src, 4);
	wr_bytes(w, h->dst, 4);
	wr_bytes(w, h->opt, h->optlen);
	return wr_error(w);
}

void
ipv4_hdr_print(const struct ipv4_hdr *h, struct sbuf *sb)
{
	sbuf_printf(sb, "ipv4 %u.%u.%u.%u > %u.%u.%u.%u proto=%u len=%u hl=%u"
	    " id=0x%04x ttl=%u tos=0x%02x%s%s%s frag=%u cksum=0x%04x",
	    h->src[0], h->src[1], h->src[2], h->src[3],
	    h->dst[0], h->dst[1], h->dst[2], h->dst[3],
	    h->proto, h->total_len, h->ihl * 4u, h->id, h->ttl, h->tos,
	    h->rf ? " rf" : "", h->df ? " df" : "", h->mf ? " mf" : "",
	    h->frag_off, h->checksum);
	if (h->optlen > 0) {
		sbuf_printf(sb, " opt=");
		sbuf_hex(sb, h->opt, h->optlen);
	}
}

/* Checks the start of an IPv4 header and returns its length in *hlen. */
static int
ipv4_hdr_len(const uint8_t *pkt, size_t len, size_t *hlen)
{
	if (pkt == NULL || len < 1)
		return ERR_TRUNCATED;
	if (pkt[0] >> 4 != 4)
		return ERR_VERSION;
	if ((pkt[0] & 0x0f) < 5)
		return ERR_LENGTH;
	*hlen = (size_t)(pkt[0] & 0x0f) * 4;
	return len < *hlen ? ERR_TRUNCATED : 0;
}

int
ipv4_hdr_checksum(const uint8_t *pkt, size_t len, uint16_t *ck)
{
	uint32_t sum;
	size_t hlen;
	int ret;

	if ((ret = ipv4_hdr_len(pkt, len, &hlen)) != 0)
		return ret;
	sum = ip_csum_add(0, pkt, 10);		/* up to the checksum field */
	sum = ip_csum_add(sum, pkt + 12, hlen - 12);
	*ck = ip_csum_fold(sum);
	return 0;
}

bool
ipv4_hdr_checksum_ok(const uint8_t *pkt, size_t len)
{
	size_t hlen;

	if (ipv4_hdr_len(pkt, len, &hlen) != 0)
		return false;
	return ip_csum_fold(ip_csum_add(0, pkt, hlen)) == 0;
}

/* --- IPv6 --- */

int
ipv6_hdr_decode(struct rd *r, struct ipv6_hdr *h)
{
	struct rd c = *r;
	uint32_t vtf;
	int ret;

	if ((ret = rd_u32(&c, &vtf)) != 0)
		return ret;
	if (vtf >> 28 != 6)
		return ERR_VERSION;
	memset(h, 0, sizeof(*h));
	h->version = 6;
	h->traffic_class = (uint8_t)(vtf >> 20);
	h->flow_label = vtf & 0xfffff;
	if ((ret = rd_u16(&c, &h->payload_len)) != 0 ||
	    (ret = rd_u8(&c, &h->next_header)) != 0 ||
	    (ret = rd_u8(&c, &h->hop_limit)) != 0 ||
	    (ret = rd_bytes(&c, h->src, 16)) != 0 ||
	    (ret = rd_bytes(&c, h->dst, 16)) != 0)
		return ret;
	if (h->payload_len > rd_left(&c))
		return ERR_TRUNCATED;
	*r = c;
	return 0;
}

int
ipv6_hdr_encode(struct wr *w, const struct ipv6_hdr *h)
{
	if (h->version != 6)
		return ERR_VERSION;
	if (h->flow_label > 0xfffff)
		return ERR_RANGE;
	wr_u32(w, (uint32_t)6 << 28 | (uint32_t)h->traffic_class << 20 |
	    h->flow_label);
	wr_u16(w, h->payload_len);
	wr_u8(w, h->next_header);
	wr_u8(w, h->hop_limit);
	wr_bytes(w, h->src, 16);
	wr_bytes(w, h->dst, 16);
	return wr_error(w);
}

void
ipv6_hdr_print(const struct ipv6_hdr *h, struct sbuf *sb)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, h->src, src, sizeof(src)) == NULL)
		strcpy(src, "?");
	if (inet_ntop(AF_INET6, h->dst, dst, sizeof(dst)) == NULL)
		strcpy(dst, "?");
	sbuf_printf(sb, "ipv6 %s > %s nh=%u plen=%u hlim=%u tc=0x%02x"
	    " flow=0x%05x", src, dst, h->next_header, h->payload_len,
	    h->hop_limit, h->traffic_class, (unsigned)h->flow_label);
}

/* --- TCP --- */

int
tcp_hdr_decode(struct rd *r, struct tcp_hdr *h)
{
	struct rd c = *r;
	uint16_t off_flags;
	int ret;

	memset(h, 0, sizeof(*h));
	if ((ret = rd_u16(&c, &h->sport)) != 0 ||
	    (ret = rd_u16(&c, &h->dport)) != 0 ||
	    (ret = rd_u32(&c, &h->seq)) != 0 ||
	    (ret = rd_u32(&c, &h->ack)) != 0 ||
	    (ret = rd_u16(&c, &off_flags)) != 0 ||
	    (ret = rd_u16(&c, &h->window)) != 0 ||
	    (ret = rd_u16(&c, &h->checksum)) != 0 ||
	    (ret = rd_u16(&c, &h->urgent)) != 0)
		return ret;
	h->doff = (uint8_t)(off_flags >> 12);
	h->reserved = (off_flags >> 8) & 0x0f;
	h->flags = (uint8_t)off_flags;
	if (h->doff < 5)
		return ERR_LENGTH;
	h->optlen = (size_t)h->doff * 4 - TCP_HDR_MIN;
	if ((ret = rd_bytes(&c, h->opt, h->optlen)) != 0)
		return ret;
	*r = c;
	return 0;
}

int
tcp_hdr_encode(struct wr *w, const struct tcp_hdr *h)
{
	if (h->optlen > TCP_OPT_MAX || h->optlen % 4 != 0 ||
	    h->doff != 5 + h->optlen / 4 || h->reserved > 0x0f)
		return ERR_RANGE;
	wr_u16(w, h->sport);
	wr_u16(w, h->dport);
	wr_u32(w, h->seq);
	wr_u32(w, h->ack);
	wr_u16(w, (uint16_t)(h->doff << 12 | h->reserved << 8 | h->flags));
	wr_u16(w, h->window);
	wr_u16(w, h->checksum);
	wr_u16(w, h->urgent);
	wr_bytes(w, h->opt, h->optlen);
	return wr_error(w);
}

void
tcp_hdr_print(const struct tcp_hdr *h, struct sbuf *sb)
{
	/* tcpdump's letters and order; "." is ACK */
	static const char letters[8] = { 'F', 'S', 'R', 'P', '.', 'U', 'E', 'W' };
	static const uint8_t bits[8] = { TCP_FLAG_FIN, TCP_FLAG_SYN,
	    TCP_FLAG_RST, TCP_FLAG_PSH, TCP_FLAG_ACK, TCP_FLAG_URG,
	    TCP_FLAG_ECE, TCP_FLAG_CWR };
	char fl[9];
	size_t n = 0, i;
	uint16_t mss;

	for (i = 0; i < 8; i++)
		if (h->flags & bits[i])
			fl[n++] = letters[i];
	fl[n] = '\0';
	sbuf_printf(sb, "tcp %u > %u [%s] seq=%u ack=%u win=%u hl=%u"
	    " cksum=0x%04x", h->sport, h->dport, fl, (unsigned)h->seq,
	    (unsigned)h->ack, h->window, h->doff * 4u, h->checksum);
	if (h->urgent != 0)
		sbuf_printf(sb, " urg=%u", h->urgent);
	switch (tcp_opts_mss(h->opt, h->optlen, &mss)) {
	case 0:
		sbuf_printf(sb, " mss=%u", mss);
		break;
	case ERR_OPTION:
		sbuf_printf(sb, " bad-options");
		break;
	default:
		break;
	}
}

/*
 * Walks the option list opt[0..len) (RFC 9293 3.2) and records the offset
 * (within opt) of the value of each MSS option, up to max of them, in
 * at[], their number in *n.  Returns 0 or ERR_OPTION for a malformed list.
 */
static int
tcp_opts_scan(const uint8_t *opt, size_t len, size_t *at, unsigned max,
    unsigned *n)
{
	size_t i = 0, olen;

	*n = 0;
	while (i < len) {
		if (opt[i] == TCP_OPT_EOL)
			break;
		if (opt[i] == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return ERR_OPTION;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return ERR_OPTION;
		if (opt[i] == TCP_OPT_MSS) {
			if (olen != TCP_OPT_MSS_LEN)
				return ERR_OPTION;
			if (*n < max)
				at[(*n)++] = i + 2;
		}
		i += olen;
	}
	return 0;
}

int
tcp_opts_mss(const uint8_t *opt, size_t len, uint16_t *mss)
{
	size_t at;
	unsigned n;
	int ret;

	if (opt == NULL && len > 0)
		return ERR_INVAL;
	if ((ret = tcp_opts_scan(opt, len, &at, 1, &n)) != 0)
		return ret;
	if (n == 0)
		return ERR_NOTFOUND;
	*mss = get16(opt + at);
	return 0;
}

/* --- MSS clamping --- */

uint16_t
ip_mss_for_mtu(unsigned mtu, bool ipv6)
{
	unsigned hdrs = ipv6 ? IPV6_HDR_LEN + TCP_HDR_MIN :
	    IPV4_HDR_MIN + TCP_HDR_MIN;

	if (mtu <= hdrs)
		return 0;
	return mtu - hdrs > 0xffff ? 0xffff : (uint16_t)(mtu - hdrs);
}

/*
 * Finds the TCP segment in an IPv4 packet (version already checked):
 * true with the segment at pkt[*l4 .. *end), false to leave the packet.
 */
static bool
ipv4_find_tcp(const uint8_t *pkt, size_t len, size_t *l4, size_t *end)
{
	size_t hlen, tlen;

	if (len < IPV4_HDR_MIN || pkt[9] != IP_PROTO_TCP)
		return false;
	if ((get16(pkt + 6) & IPV4_FRAG_MASK) != 0)
		return false;			/* not the first fragment */
	hlen = (size_t)(pkt[0] & 0x0f) * 4;
	tlen = get16(pkt + 2);
	if (hlen < IPV4_HDR_MIN || tlen < hlen || tlen > len)
		return false;
	*l4 = hlen;
	*end = tlen;
	return true;
}

/*
 * The same for IPv6, walking the extension headers (RFC 8200 4.1-4.6).
 * Each one is 8 octets or more, so the walk ends within len / 8 steps.
 */
static bool
ipv6_find_tcp(const uint8_t *pkt, size_t len, size_t *l4, size_t *end)
{
	size_t off = IPV6_HDR_LEN, lim, ext;
	uint8_t nh;

	if (len < IPV6_HDR_LEN)
		return false;
	lim = IPV6_HDR_LEN + (size_t)get16(pkt + 4);
	if (lim > len)
		return false;
	nh = pkt[6];
	for (;;) {
		/* Hop-by-Hop must come right after the IPv6 header, 4.1 */
		if (nh == IP_PROTO_HOPOPTS && off != IPV6_HDR_LEN)
			return false;
		switch (nh) {
		case IP_PROTO_TCP:
			*l4 = off;
			*end = lim;
			return true;
		case IP_PROTO_HOPOPTS:
		case IP_PROTO_ROUTING:
		case IP_PROTO_DSTOPTS:
			/* Next Header, Hdr Ext Len in 8-octet units
			 * not counting the first 8 */
			if (lim - off < 2)
				return false;
			ext = ((size_t)pkt[off + 1] + 1) * 8;
			if (lim - off < ext)
				return false;
			nh = pkt[off];
			off += ext;
			break;
		case IP_PROTO_FRAGMENT:
			/* Next Header, Reserved, Offset(13) Res(2) M(1), Id */
			if (lim - off < IPV6_FRAG_HDR_LEN)
				return false;
			if ((get16(pkt + off + 2) & 0xfff8) != 0)
				return false;	/* not the first fragment */
			nh = pkt[off];
			off += IPV6_FRAG_HDR_LEN;
			break;
		default:
			return false;		/* AH, ESP, UDP, ... */
		}
	}
}

/* Clamps the MSS options of the TCP segment tcp[0..len). */
static bool
tcp_mss_clamp(uint8_t *tcp, size_t len, uint16_t limit)
{
	size_t at[TCP_OPT_MAX / TCP_OPT_MSS_LEN], doff, v;
	uint16_t old;
	unsigned n, k;
	bool changed = false;

	if (len < TCP_HDR_MIN || (tcp[13] & TCP_FLAG_SYN) == 0)
		return false;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < TCP_HDR_MIN || doff > len)
		return false;
	if (tcp_opts_scan(tcp + TCP_HDR_MIN, doff - TCP_HDR_MIN, at,
	    TCP_OPT_MAX / TCP_OPT_MSS_LEN, &n) != 0)
		return false;
	/* Every MSS option, not just the first: stacks differ on which of
	 * several they honour. */
	for (k = 0; k < n; k++) {
		v = TCP_HDR_MIN + at[k];
		old = get16(tcp + v);
		if (old <= limit)
			continue;
		put16(tcp + v, limit);
		/*
		 * The checksum sums 16-bit words aligned to the start of the
		 * TCP header.  At an even offset the value is one word.  At
		 * an odd offset its high octet is the low half of one word
		 * and its low octet the high half of the next, so it adds
		 * (lo << 8 | hi): the byte-swapped value (RFC 1071 2(B)).
		 */
		if (v % 2 == 0)
			csum_replace16(tcp + 16, old, limit);
		else
			csum_replace16(tcp + 16,
			    (uint16_t)(old << 8 | old >> 8),
			    (uint16_t)(limit << 8 | limit >> 8));
		changed = true;
	}
	return changed;
}

int
ip_mss_clamp(uint8_t *pkt, size_t len, uint16_t mss4, uint16_t mss6,
    bool *changed)
{
	size_t l4, end;
	uint16_t limit;

	if (changed == NULL || (pkt == NULL && len > 0))
		return ERR_INVAL;
	*changed = false;
	if (len < 1)
		return 0;
	switch (pkt[0] >> 4) {
	case 4:
		if (mss4 == 0 || !ipv4_find_tcp(pkt, len, &l4, &end))
			return 0;
		limit = mss4;
		break;
	case 6:
		if (mss6 == 0 || !ipv6_find_tcp(pkt, len, &l4, &end))
			return 0;
		limit = mss6;
		break;
	default:
		return 0;
	}
	*changed = tcp_mss_clamp(pkt + l4, end - l4, limit);
	return 0;
}

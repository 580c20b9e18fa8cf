/*
 * ins_build.c - synthetic PPTP captures for the analyzer's tests
 * (ins_build.h).  Every header is written with the wire encoders
 * (src/wire/ip.h, gre.h, pptp_msg.h); PPP packets by hand, octet by
 * octet, so a test can also write what no encoder would.
 */
#include <string.h>

#include "ins_build.h"
#include "../src/inspect/inspect_diag.h"
#include "../src/wire/ip.h"
#include "../src/wire/ppp_auth.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_proto.h"
#include "../src/wire/pptp_msg.h"

#define IB_MAX	2048

/* --- frames ------------------------------------------------------------ */

static void
ib_addr4(uint8_t a[4], uint32_t v)
{
	a[0] = (uint8_t)(v >> 24);
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
}

int
ib_wr_ipv4(struct wr *w, const struct ib_ip4 *h, size_t plen)
{
	struct ipv4_hdr ih = { .version = 4, .ihl = 5, .ttl = 64,
	    .total_len = (uint16_t)(IPV4_HDR_MIN + plen), .id = h->id,
	    .proto = h->proto, .frag_off = h->frag & IPV4_FRAG_MASK,
	    .rf = (h->frag & IPV4_FLAG_RF) != 0,
	    .df = (h->frag & IPV4_FLAG_DF) != 0,
	    .mf = (h->frag & IPV4_FLAG_MF) != 0 };

	ib_addr4(ih.src, h->src);
	ib_addr4(ih.dst, h->dst);
	return ipv4_hdr_encode(w, &ih);
}

int
ib_wr_ipv6(struct wr *w, uint8_t src, uint8_t dst, uint8_t nh, size_t plen)
{
	struct ipv6_hdr ih = { .version = 6, .payload_len = (uint16_t)plen,
	    .next_header = nh, .hop_limit = 64,
	    .src = { 0x20, 0x01, 0x0d, 0xb8, [15] = src },
	    .dst = { 0x20, 0x01, 0x0d, 0xb8, [15] = dst } };

	return ipv6_hdr_encode(w, &ih);
}

int
ib_wr_tcp(struct wr *w, const struct ib_tcph *h)
{
	struct tcp_hdr th = { .sport = h->sport, .dport = h->dport,
	    .seq = h->seq, .ack = h->ack, .doff = 5, .flags = h->flags,
	    .window = 65535 };

	if (h->mss != 0) {
		th.opt[0] = TCP_OPT_MSS;
		th.opt[1] = TCP_OPT_MSS_LEN;
		th.opt[2] = (uint8_t)(h->mss >> 8);
		th.opt[3] = (uint8_t)h->mss;
		th.optlen = 4;
		th.doff = 6;
	}
	return tcp_hdr_encode(w, &th);
}

/* The payload after the header written by hdr_ret, into b's writer. */
static size_t
ib_put_end(struct wr *w, int hdr_ret, const void *pl, size_t n)
{
	if (hdr_ret != 0 || wr_bytes(w, pl, n) != 0)
		return 0;
	return wr_len(w);
}

size_t
ib_put_ipv4(uint8_t *b, size_t cap, const struct ib_ip4 *h, const void *pl,
    size_t n)
{
	struct wr w;

	wr_init(&w, b, cap);
	return ib_put_end(&w, ib_wr_ipv4(&w, h, n), pl, n);
}

size_t
ib_put_ipv6(uint8_t *b, size_t cap, uint8_t src, uint8_t dst, uint8_t nh,
    const void *pl, size_t n)
{
	struct wr w;

	wr_init(&w, b, cap);
	return ib_put_end(&w, ib_wr_ipv6(&w, src, dst, nh, n), pl, n);
}

size_t
ib_put_tcp(uint8_t *b, size_t cap, const struct ib_tcph *h, const void *data,
    size_t n)
{
	struct wr w;

	wr_init(&w, b, cap);
	return ib_put_end(&w, ib_wr_tcp(&w, h), data, n);
}

size_t
ib_put_gre(uint8_t *b, size_t cap, const struct gre_hdr *h, const void *ppp,
    size_t n)
{
	struct gre_hdr g = *h;
	struct wr w;

	g.payload_len = (uint16_t)n;
	wr_init(&w, b, cap);
	return ib_put_end(&w, gre_encode(&w, &g), ppp, n);
}

void
ib_ipv4_csum(uint8_t *ip, size_t len)
{
	uint16_t ck;

	if (ipv4_hdr_checksum(ip, len, &ck) == 0) {
		ip[10] = (uint8_t)(ck >> 8);
		ip[11] = (uint8_t)ck;
	}
}

/* The layer-4 part of the frame an ib_feed_* builds, and its IPv4 frame. */
static uint8_t ib_l4[IB_FRAME_MAX - IPV4_HDR_MIN], ib_frame[IB_FRAME_MAX];

/* Feeds ib_l4[n] in IPv4 header ip with protocol proto. */
static unsigned
ib_feed_ip(struct inspect *ins, uint64_t ts, const struct ib_ip4 *ip,
    uint8_t proto, size_t n)
{
	struct ib_ip4 h = *ip;
	size_t fl;

	h.proto = proto;
	if (n == 0 || (fl = ib_put_ipv4(ib_frame, sizeof(ib_frame), &h, ib_l4,
	    n)) == 0)
		return 0;
	inspect_packet(ins, ts, INS_DLT_RAW, ib_frame, fl);
	return ins->frames;
}

unsigned
ib_feed_tcp(struct inspect *ins, uint64_t ts, const struct ib_ip4 *ip,
    const struct ib_tcph *t, const void *data, size_t n)
{
	return ib_feed_ip(ins, ts, ip, IP_PROTO_TCP,
	    ib_put_tcp(ib_l4, sizeof(ib_l4), t, data, n));
}

unsigned
ib_feed_gre(struct inspect *ins, uint64_t ts, const struct ib_ip4 *ip,
    const struct gre_hdr *h, const void *ppp, size_t n)
{
	return ib_feed_ip(ins, ts, ip, IP_PROTO_GRE,
	    ib_put_gre(ib_l4, sizeof(ib_l4), h, ppp, n));
}

/* --- captures ---------------------------------------------------------- */

void
ib_init(struct ib *b, struct inspect *ins, uint32_t pns, uint32_t pac)
{
	memset(b, 0, sizeof(*b));
	b->ins = ins;
	b->addr[0] = pns;
	b->addr[1] = pac;
	b->cport = 40000;
	b->tcp_seq[0] = 1000;
	b->tcp_seq[1] = 5000;
	b->ts = 1000 * 1000000ull;
}

void
ib_wait(struct ib *b, uint64_t us)
{
	b->ts += us;
}

/* The ib_ip4 of a frame side dir sends. */
static struct ib_ip4
ib_from(const struct ib *b, int dir)
{
	return (struct ib_ip4){ .src = b->addr[dir], .dst = b->addr[1 - dir] };
}

/* Counts a frame sent: 1 ms between frames. */
static unsigned
ib_sent(struct ib *b, unsigned frame)
{
	b->ts += 1000;
	return frame;
}

unsigned
ib_tcp(struct ib *b, int dir, uint8_t flags, const void *data, size_t n)
{
	struct ib_ip4 ip = ib_from(b, dir);
	struct ib_tcph t = { .sport = dir == 0 ? b->cport : PPTP_TCP_PORT,
	    .dport = dir == 0 ? PPTP_TCP_PORT : b->cport,
	    .seq = b->tcp_seq[dir], .ack = b->tcp_seq[1 - dir],
	    .flags = flags };

	b->tcp_seq[dir] += (uint32_t)n + ((flags & 0x03) ? 1 : 0);
	return ib_sent(b, ib_feed_tcp(b->ins, b->ts, &ip, &t, data, n));
}

unsigned
ib_connect(struct ib *b)
{
	ib_tcp(b, 0, 0x02, NULL, 0);
	ib_tcp(b, 1, 0x12, NULL, 0);
	return ib_tcp(b, 0, 0x10, NULL, 0);
}

unsigned
ib_msg(struct ib *b, int dir, const struct pptp_msg *m)
{
	uint8_t buf[PPTP_MAX_MSG_LEN];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (pptp_msg_encode(&w, m) != 0)
		return 0;
	return ib_tcp(b, dir, 0x18, buf, wr_len(&w));
}

unsigned
ib_simple(struct ib *b, int dir, uint16_t type)
{
	struct pptp_msg m;

	pptp_msg_init(&m, type);
	switch (type) {
	case PPTP_SCCRP:
		m.u.sccrp.result = PPTP_SCCRP_SUCCESS;
		break;
	case PPTP_STOPCCRQ:
		m.u.stopccrq.reason = PPTP_STOP_NONE;
		break;
	case PPTP_STOPCCRP:
		m.u.stopccrp.result = PPTP_STOPCCRP_OK;
		break;
	case PPTP_ECHORP:
		m.u.echorp.result = PPTP_ECHORP_OK;
		break;
	case PPTP_CCRQ:
		m.u.ccrq.call_id = b->cid[0];
		break;
	default:
		break;
	}
	return ib_msg(b, dir, &m);
}

unsigned
ib_start(struct ib *b)
{
	ib_simple(b, 0, PPTP_SCCRQ);
	return ib_simple(b, 1, PPTP_SCCRP);
}

unsigned
ib_call(struct ib *b, uint16_t pns, uint16_t pac, uint8_t result)
{
	struct pptp_msg m;

	b->cid[0] = pns;
	b->cid[1] = pac;
	pptp_msg_init(&m, PPTP_OCRQ);
	m.u.ocrq.call_id = pns;
	m.u.ocrq.call_serial = 77;
	m.u.ocrq.max_bps = 100000000;
	m.u.ocrq.bearer_type = PPTP_BEARER_ANY;
	m.u.ocrq.framing_type = PPTP_FRAMING_ANY;
	m.u.ocrq.recv_window = 64;
	ib_msg(b, 0, &m);
	pptp_msg_init(&m, PPTP_OCRP);
	m.u.ocrp.call_id = pac;
	m.u.ocrp.peer_call_id = pns;
	m.u.ocrp.result = result;
	m.u.ocrp.recv_window = 64;
	return ib_msg(b, 1, &m);
}

unsigned
ib_setup(struct ib *b, uint16_t pns, uint16_t pac)
{
	ib_connect(b);
	ib_start(b);
	return ib_call(b, pns, pac, PPTP_OCRP_CONNECTED);
}

unsigned
ib_cdn(struct ib *b, uint8_t result, uint8_t error, uint16_t cause)
{
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_CDN);
	m.u.cdn.call_id = b->cid[1];
	m.u.cdn.result = result;
	m.u.cdn.error = error;
	m.u.cdn.cause = cause;
	return ib_msg(b, 1, &m);
}

unsigned
ib_fin(struct ib *b, int dir)
{
	return ib_tcp(b, dir, 0x11, NULL, 0);
}

unsigned
ib_rst(struct ib *b, int dir)
{
	return ib_tcp(b, dir, 0x04, NULL, 0);
}

static unsigned
ib_gre_pkt(struct ib *b, int dir, uint16_t key, const void *ppp, size_t n)
{
	struct ib_ip4 ip = ib_from(b, dir);
	struct gre_hdr h = { .call_id = key };

	if (n > 0) {
		h.has_seq = true;
		h.seq = b->gre_seq[dir]++;
	}
	if (!b->no_ack[dir] && (b->gre_rcvd[dir] || b->ack_frozen[dir])) {
		h.has_ack = true;
		h.ack = b->ack_frozen[dir] ? b->ack_value[dir] :
		    b->gre_last[dir];
	}
	if (!h.has_seq && !h.has_ack)
		return 0;
	if (h.has_seq) {
		b->gre_rcvd[1 - dir] = true;
		b->gre_last[1 - dir] = h.seq;
	}
	return ib_sent(b, ib_feed_gre(b->ins, b->ts, &ip, &h, ppp, n));
}

unsigned
ib_gre(struct ib *b, int dir, const void *ppp, size_t n)
{
	return ib_gre_pkt(b, dir, b->cid[1 - dir], ppp, n);
}

unsigned
ib_gre_key(struct ib *b, int dir, uint16_t key, const void *ppp, size_t n)
{
	return ib_gre_pkt(b, dir, key, ppp, n);
}

unsigned
ib_gre_ack(struct ib *b, int dir)
{
	return ib_gre_pkt(b, dir, b->cid[1 - dir], NULL, 0);
}

size_t
ib_opt(uint8_t *p, uint8_t type, const void *val, size_t n)
{
	p[0] = type;
	p[1] = (uint8_t)(2 + n);
	if (n > 0)
		memcpy(p + 2, val, n);
	return 2 + n;
}

size_t
ib_opt_u16(uint8_t *p, uint8_t type, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return ib_opt(p, type, x, 2);
}

size_t
ib_opt_u32(uint8_t *p, uint8_t type, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return ib_opt(p, type, x, 4);
}

size_t
ib_opt_auth(uint8_t *p, uint16_t proto, uint8_t chap_alg)
{
	uint8_t x[3] = { (uint8_t)(proto >> 8), (uint8_t)proto, chap_alg };

	return ib_opt(p, LCP_OPT_AUTH, x, proto == PPP_CHAP ? 3 : 2);
}

size_t
ib_opt_mppe(uint8_t *p, uint32_t bits)
{
	return ib_opt_u32(p, CCP_OPT_MPPE, bits);
}

unsigned
ib_cp(struct ib *b, int dir, uint16_t proto, uint8_t code, uint8_t id,
    const void *data, size_t n)
{
	uint8_t f[IB_MAX];
	struct wr w;

	wr_init(&w, f, sizeof(f));
	wr_u8(&w, 0xff);
	wr_u8(&w, 0x03);
	wr_u16(&w, proto);
	wr_u8(&w, code);
	wr_u8(&w, id);
	wr_u16(&w, (uint16_t)(4 + n));
	wr_bytes(&w, data, n);
	return ib_gre(b, dir, f, wr_len(&w));
}

unsigned
ib_lcp_up(struct ib *b, uint16_t auth, uint8_t chap_alg)
{
	uint8_t o0[16], o1[16];
	size_t n0, n1;

	n0 = ib_opt_u32(o0, LCP_OPT_MAGIC, 0x11111111u);
	n1 = ib_opt_u32(o1, LCP_OPT_MAGIC, 0x22222222u);
	if (auth != 0)
		n1 += ib_opt_auth(o1 + n1, auth, chap_alg);
	ib_cp(b, 0, PPP_LCP, PPP_CONF_REQ, 1, o0, n0);
	ib_cp(b, 1, PPP_LCP, PPP_CONF_REQ, 1, o1, n1);
	ib_cp(b, 0, PPP_LCP, PPP_CONF_ACK, 1, o1, n1);
	return ib_cp(b, 1, PPP_LCP, PPP_CONF_ACK, 1, o0, n0);
}

unsigned
ib_pap_req(struct ib *b, const char *user, const char *pass)
{
	uint8_t f[600];
	struct wr w;
	size_t ul = strlen(user), pl = strlen(pass);

	wr_init(&w, f, sizeof(f));
	wr_u8(&w, 0xff);
	wr_u8(&w, 0x03);
	wr_u16(&w, PPP_PAP);
	wr_u8(&w, PAP_AUTH_REQ);
	wr_u8(&w, 1);
	wr_u16(&w, (uint16_t)(6 + ul + pl));
	wr_u8(&w, (uint8_t)ul);
	wr_bytes(&w, user, ul);
	wr_u8(&w, (uint8_t)pl);
	wr_bytes(&w, pass, pl);
	return ib_gre(b, 0, f, wr_len(&w));
}

unsigned
ib_pap_answer(struct ib *b, uint8_t code, const char *msg)
{
	uint8_t f[300];
	struct wr w;
	size_t ml = strlen(msg);

	wr_init(&w, f, sizeof(f));
	wr_u8(&w, 0xff);
	wr_u8(&w, 0x03);
	wr_u16(&w, PPP_PAP);
	wr_u8(&w, code);
	wr_u8(&w, 1);
	wr_u16(&w, (uint16_t)(5 + ml));
	wr_u8(&w, (uint8_t)ml);
	wr_bytes(&w, msg, ml);
	return ib_gre(b, 1, f, wr_len(&w));
}

unsigned
ib_chap(struct ib *b, int dir, uint8_t code, uint8_t id, const void *value,
    size_t vn, const char *text)
{
	uint8_t f[600];
	struct wr w;
	size_t tl = text != NULL ? strlen(text) : 0;
	bool cr = code == CHAP_CHALLENGE || code == CHAP_RESPONSE;

	wr_init(&w, f, sizeof(f));
	wr_u8(&w, 0xff);
	wr_u8(&w, 0x03);
	wr_u16(&w, PPP_CHAP);
	wr_u8(&w, code);
	wr_u8(&w, id);
	wr_u16(&w, (uint16_t)(4 + (cr ? 1 + vn : 0) + tl));
	if (cr) {
		wr_u8(&w, (uint8_t)vn);
		wr_bytes(&w, value, vn);
	}
	wr_bytes(&w, text, tl);
	return ib_gre(b, dir, f, wr_len(&w));
}

unsigned
ib_data(struct ib *b, int dir, uint16_t proto, size_t n)
{
	uint8_t f[IB_MAX];

	if (n + 4 > sizeof(f))
		n = sizeof(f) - 4;
	memset(f, 0, n + 4);
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	if (proto == PPP_IP && n >= 20)
		f[4] = 0x45;
	return ib_gre(b, dir, f, n + 4);
}

const struct ins_call *
ib_ctrl_call(const struct inspect *ins)
{
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used && ins->calls[i].conn_id != 0)
			return &ins->calls[i];
	return NULL;
}

const struct ins_finding *
ib_find(const struct inspect *ins, const char *code, bool audit,
    struct ins_finding *buf, size_t cap)
{
	size_t n = 0, i;
	int k;

	if (!audit)
		n = ins_diagnose(ins, buf, cap);
	else
		for (k = 0; k < INS_MAX_CALLS && n < cap; k++)
			if (ins->calls[k].used)
				n += ins_audit_call(ins, &ins->calls[k],
				    buf + n, cap - n);
	for (i = 0; i < n; i++)
		if (strcmp(buf[i].code, code) == 0)
			return &buf[i];
	return NULL;
}

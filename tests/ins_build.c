/*
 * ins_build.c - synthetic PPTP captures for the analyzer's tests
 * (ins_build.h).  Headers are written with the wire encoders where one
 * exists (PPTP messages, GRE) and by hand for IPv4 and TCP, as in
 * test_inspect_synth.c.
 */
#include <string.h>

#include "ins_build.h"
#include "../src/inspect/inspect_diag.h"
#include "../src/wire/cursor.h"
#include "../src/wire/gre.h"
#include "../src/wire/ppp_auth.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_proto.h"
#include "../src/wire/pptp_msg.h"

#define IB_MAX	2048

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

static unsigned
ib_ip(struct ib *b, int dir, uint8_t proto, const uint8_t *pl, size_t n)
{
	uint8_t ip[IB_MAX + 40];
	struct wr w;

	wr_init(&w, ip, sizeof(ip));
	wr_u8(&w, 0x45);
	wr_u8(&w, 0);
	wr_u16(&w, (uint16_t)(20 + n));
	wr_u32(&w, 0);
	wr_u8(&w, 64);
	wr_u8(&w, proto);
	wr_u16(&w, 0);
	wr_u32(&w, b->addr[dir]);
	wr_u32(&w, b->addr[1 - dir]);
	wr_bytes(&w, pl, n);
	inspect_packet(b->ins, b->ts, INS_DLT_RAW, ip, wr_len(&w));
	b->ts += 1000;		/* 1 ms between frames */
	return b->ins->frames;
}

unsigned
ib_tcp(struct ib *b, int dir, uint8_t flags, const void *data, size_t n)
{
	uint8_t t[IB_MAX];
	struct wr w;

	wr_init(&w, t, sizeof(t));
	wr_u16(&w, dir == 0 ? b->cport : PPTP_TCP_PORT);
	wr_u16(&w, dir == 0 ? PPTP_TCP_PORT : b->cport);
	wr_u32(&w, b->tcp_seq[dir]);
	wr_u32(&w, b->tcp_seq[1 - dir]);
	wr_u8(&w, 5 << 4);
	wr_u8(&w, flags);
	wr_u16(&w, 65535);
	wr_u32(&w, 0);
	wr_bytes(&w, data, n);
	b->tcp_seq[dir] += (uint32_t)n + ((flags & 0x03) ? 1 : 0);
	return ib_ip(b, dir, 6, t, wr_len(&w));
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
	struct gre_hdr h = { .call_id = key, .payload_len = (uint16_t)n };
	uint8_t g[IB_MAX];
	struct wr w;

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
	wr_init(&w, g, sizeof(g));
	if (gre_encode(&w, &h) != 0 || wr_bytes(&w, ppp, n) != 0)
		return 0;
	if (h.has_seq) {
		b->gre_rcvd[1 - dir] = true;
		b->gre_last[1 - dir] = h.seq;
	}
	return ib_ip(b, dir, 47, g, wr_len(&w));
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

/*
 * test_ppp_ncp.c - IPCP (RFC 1332 3.2, 3.3; RFC 1877) in both roles and
 * IPV6CP (RFC 5072 4.1): the Windows request answered option by option, VJ
 * rejected, addresses and name servers learned, Max-Failure, identifiers
 * kept distinct, Protocol-Reject of IPV6CP leaving IPv4 up.  A session
 * (ppp_tap.h) is put straight into the Network phase with MPPE refused
 * and fed scripted frames.  At the end, whole client and server sessions
 * run CCP and IPCP against each other (ppp_pair.h), stateful MPPE with
 * 10% loss included.
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "ppp_pair.h"
#include "ppp_tap.h"
#include "../src/ppp/ppp_int.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"

/* What the session raised beyond what the tap keeps: the IP_UP and
 * IPV6_UP events (tests run one session at a time). */
struct rec {
	struct tap		*t;
	int			 ip_up, ipv6_up;
	struct ppp_event	 ip, ipv6;
	void			(*tap_event)(void *, const struct ppp_event *);
};
static struct rec rec_g;

static void
rec_event(void *ctx, const struct ppp_event *ev)
{
	if (ev->type == PPP_EV_IP_UP) {
		rec_g.ip_up++;
		rec_g.ip = *ev;
	} else if (ev->type == PPP_EV_IPV6_UP) {
		rec_g.ipv6_up++;
		rec_g.ipv6 = *ev;
	}
	rec_g.tap_event(ctx, ev);
}

#define A(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* A session of `role` in the Network phase, MPPE refused; the server has
 * 10.0.0.1 and assigns 10.0.0.2, serves DNS 8.8.8.8 / 8.8.4.4, no NBNS.
 * forced: that many all-zero 8-octet random draws come first. */
static struct ppp *
net_session_forced(struct rec *r, enum ppp_role role, bool ipv6,
    int forced)
{
	struct ppp_config cfg = tap_config(role, PPP_AUTH_MSCHAPV2);
	struct ppp *s;

	memset(r, 0, sizeof(*r));
	cfg.mppe = PPP_MPPE_REFUSED;
	cfg.ipv6 = ipv6;
	if (role == PPP_ROLE_SERVER) {
		cfg.dns[0] = A(8, 8, 8, 8);
		cfg.dns[1] = A(8, 8, 4, 4);
	}
	if ((r->t = tap_new(&cfg, 0x2545f4914f6cdd1dull)) == NULL)
		return NULL;
	while (forced-- > 0)
		tap_force(r->t, "0000000000000000");
	s = r->t->s;
	r->tap_event = s->io.event;
	s->io.event = rec_event;
	s->phase = PPP_PHASE_NETWORK;
	s->now = r->t->now;
	s->auth.done = true;
	s->auth.method = PPP_AUTH_MSCHAPV2;
	if (role == PPP_ROLE_SERVER) {	/* as session.c does from the answer */
		s->ipcp.local = A(10, 0, 0, 1);
		s->ipcp.peer = A(10, 0, 0, 2);
	}
	ppp_auth_done(s);
	return s;
}

static struct ppp *
net_session(struct rec *r, enum ppp_role role, bool ipv6)
{
	return net_session_forced(r, role, ipv6, 0);
}

static void
rec_free(struct rec *r)
{
	tap_free(r->t);
	r->t = NULL;
}

/* The last packet of proto sent with code (0: any). */
static const uint8_t *
last_pkt(const struct rec *r, uint16_t proto, uint8_t code, size_t *len)
{
	const struct tap *t = r->t;
	unsigned i;

	for (i = t->nout; i-- > 0;)
		if (t->out[i].proto == proto && t->out[i].len >= 4 &&
		    (code == 0 || t->out[i].b[0] == code)) {
			*len = t->out[i].len;
			return t->out[i].b;
		}
	return NULL;
}

static int
count_code(const struct rec *r, uint16_t proto, uint8_t code)
{
	const struct tap *t = r->t;
	unsigned i;
	int n = 0;

	for (i = 0; i < t->nout; i++)
		n += t->out[i].proto == proto && t->out[i].len >= 4 &&
		    t->out[i].b[0] == code;
	return n;
}

static int
feed(struct rec *r, uint16_t proto, uint8_t code, uint8_t id,
    const uint8_t *opts, size_t n)
{
	uint8_t pkt[PPP_FRAME_MAX] = { code, id, (uint8_t)((n + 4) >> 8),
	    (uint8_t)(n + 4) };

	if (n > 0)
		memcpy(pkt + 4, opts, n);
	return tap_in(r->t, proto, pkt, n + 4);
}

/* Options as text, pppd style, for comparisons. */
static const char *
opts_text(uint16_t proto, const uint8_t *pkt, size_t len, char *buf,
    size_t cap)
{
	struct sbuf sb;
	struct rd r;

	sbuf_init(&sb, buf, cap);
	if (pkt == NULL || len < 4)
		return "(none)";
	rd_init(&r, pkt + 4, len - 4);
	(void)ppp_opts_print(proto, &r, &sb);
	return sbuf_str(&sb);
}

/* Checks the last packet of proto: code, id and its options' text. */
static void
check_last(const struct rec *r, uint16_t proto, uint8_t code, int id,
    const char *want)
{
	char buf[256];
	const uint8_t *p;
	size_t len = 0;

	p = last_pkt(r, proto, 0, &len);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_EQ(p[0], code);
	if (id >= 0)
		CHECK_EQ(p[1], id);
	CHECK_STR(opts_text(proto, p, len, buf, sizeof(buf)), want);
}

/* Builds an options list of 4-octet address options: type, value, ... */
static size_t
addr_opts(uint8_t *out, int n, const uint8_t *types, const uint32_t *vals)
{
	size_t off = 0;
	int i;

	for (i = 0; i < n; i++) {
		out[off++] = types[i];
		out[off++] = 6;
		out[off++] = (uint8_t)(vals[i] >> 24);
		out[off++] = (uint8_t)(vals[i] >> 16);
		out[off++] = (uint8_t)(vals[i] >> 8);
		out[off++] = (uint8_t)vals[i];
	}
	return off;
}

/* --- IPCP, server --- */

TEST(ipcp_server_windows_request)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, false);
	static const uint8_t win_t[] = { 3, 129, 130, 131, 132 };
	static const uint32_t zero5[5];
	static const uint8_t t3[] = { 3, 129, 131 };
	const uint32_t good[] = { A(10, 0, 0, 2), A(8, 8, 8, 8),
	    A(8, 8, 4, 4) };
	uint8_t o[64];
	size_t n;

	CHECK(s != NULL);
	check_last(r, PPP_IPCP, PPP_CONF_REQ, -1, " <addr 10.0.0.1>");
	/* <addr 0> <ms-dns1 0> <ms-wins 0> <ms-dns2 0> <ms-wins 0>:
	 * NBNS is not configured -> Reject 130 and 132 only */
	n = addr_opts(o, 5, win_t, zero5);
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 1, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_REJ, 1,
	    " <ms-wins 0.0.0.0> <ms-wins 0.0.0.0>");
	/* without them: Nak 3, 129, 131 with the right values */
	n = addr_opts(o, 3, t3, zero5);
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 2, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_NAK, 2,
	    " <addr 10.0.0.2> <ms-dns1 8.8.8.8> <ms-dns2 8.8.4.4>");
	/* the values as given: Ack */
	n = addr_opts(o, 3, t3, good);
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 3, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_ACK, 3,
	    " <addr 10.0.0.2> <ms-dns1 8.8.8.8> <ms-dns2 8.8.4.4>");
	CHECK_EQ(r->ip_up, 0);
	/* the client acks our address: IPCP up */
	n = addr_opts(o, 1, t3, (const uint32_t[]){ A(10, 0, 0, 1) });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_ACK, s->ipcp.fsm.req_id, o, n));
	CHECK(ipcp_is_open(s));
	CHECK_EQ(r->ip_up, 1);
	CHECK_EQ(r->ip.u.ip.local, A(10, 0, 0, 1));
	CHECK_EQ(r->ip.u.ip.peer, A(10, 0, 0, 2));
	CHECK_EQ(r->ip.u.ip.dns[0], A(8, 8, 8, 8));
	CHECK_EQ(r->ip.u.ip.dns[1], A(8, 8, 4, 4));
	CHECK_EQ(r->ip.u.ip.mppe_bits, 0);
	CHECK(tap_logs_contain(r->t, "ipcp: up local=10.0.0.1 peer=10.0.0.2"));
	CHECK(!s->down_set);
	rec_free(r);
}

TEST(ipcp_server_vj_and_unknown_rejected)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, false);
	/* VJ (2, 0x002d, max slot 15, comp slot 1), IP-Addresses (1), an
	 * unknown 200, and IP-Address 10.0.0.2 */
	static const uint8_t o[] = { 2, 6, 0x00, 0x2d, 0x0f, 0x01,
	    1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 200, 2,
	    3, 6, 10, 0, 0, 2 };
	static const uint8_t want[] = { 2, 6, 0x00, 0x2d, 0x0f, 0x01,
	    1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 200, 2 };
	static const uint8_t shortaddr[] = { 3, 4, 10, 0 };
	const uint8_t *p;
	size_t len = 0;

	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 4, o, sizeof(o)));
	p = last_pkt(r, PPP_IPCP, 0, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_REJ && p[1] == 4);
	CHECK_EQ(len, 4 + sizeof(want));
	if (p != NULL && len == 4 + sizeof(want))
		CHECK_MEM(p + 4, want, sizeof(want));
	/* a malformed IP-Address (length 4) is rejected verbatim */
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 5, shortaddr,
	    sizeof(shortaddr)));
	p = last_pkt(r, PPP_IPCP, 0, &len);
	CHECK(p != NULL && p[0] == PPP_CONF_REJ && len == 8);
	/* NBNS configured: Nak'd with it */
	s->cfg.nbns[0] = A(10, 0, 0, 53);
	static const uint8_t nb[] = { 130, 6, 0, 0, 0, 0 };
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 6, nb, sizeof(nb)));
	check_last(r, PPP_IPCP, PPP_CONF_NAK, 6,
	    " <ms-wins 10.0.0.53> <addr 10.0.0.2>");	/* address added */
	rec_free(r);
}

TEST(ipcp_server_peer_keeps_refusing_address)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, false);
	static const uint8_t t[] = { 3 };
	uint8_t o[8];
	size_t n = addr_opts(o, 1, t, (const uint32_t[]){ A(10, 9, 9, 9) });
	int i;

	for (i = 1; i <= 5; i++) {
		CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, (uint8_t)i, o, n));
		check_last(r, PPP_IPCP, PPP_CONF_NAK, i, " <addr 10.0.0.2>");
		CHECK(!s->down_set);
	}
	/* Max-Failure (5) Naks: now Reject, and the session ends */
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 6, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_REJ, 6, " <addr 10.9.9.9>");
	CHECK_EQ(s->down_reason, PPP_DOWN_NEGOTIATION);
	CHECK_STR(s->down_text, "IPCP: peer keeps refusing address 10.0.0.2");
	rec_free(r);
}

TEST(ipcp_server_no_answer_and_protocol_reject)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, false);
	uint64_t t;
	int guard = 0;

	while ((t = ppp_deadline(s)) != UINT64_MAX && guard++ < 50 &&
	    !s->down_set)
		(void)ppp_timeout(s, t);
	CHECK_EQ(count_code(r, PPP_IPCP, PPP_CONF_REQ), 10);
	CHECK_EQ(s->down_reason, PPP_DOWN_NEGOTIATION);
	CHECK_STR(s->down_text, "IPCP: no answer to our Configure-Request");
	rec_free(r);

	s = net_session(r, PPP_ROLE_SERVER, false);
	ncp_protocol_rejected(s, s->now, PPP_IPCP);
	CHECK_STR(s->down_text, "IPCP: Protocol-Rejected by the peer");
	rec_free(r);
}

/* --- IPCP, client --- */

TEST(ipcp_client_learns_address_and_dns)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_CLIENT, false);
	static const uint8_t t3[] = { 3, 129, 131 };
	static const uint8_t t1[] = { 3 };
	const uint32_t nak[] = { A(10, 0, 0, 2), A(8, 8, 8, 8),
	    A(8, 8, 4, 4) };
	uint8_t o[64];
	size_t n;

	CHECK(s != NULL);
	check_last(r, PPP_IPCP, PPP_CONF_REQ, -1,
	    " <addr 0.0.0.0> <ms-dns1 0.0.0.0> <ms-dns2 0.0.0.0>");
	/* the server's own request: Acked */
	n = addr_opts(o, 1, t1, (const uint32_t[]){ A(10, 0, 0, 1) });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 1, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_ACK, 1, " <addr 10.0.0.1>");
	/* the server Naks ours with the values */
	n = addr_opts(o, 3, t3, nak);
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_NAK, s->ipcp.fsm.req_id, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_REQ, -1,
	    " <addr 10.0.0.2> <ms-dns1 8.8.8.8> <ms-dns2 8.8.4.4>");
	CHECK_EQ(r->ip_up, 0);
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_ACK, s->ipcp.fsm.req_id, o, n));
	CHECK(ipcp_is_open(s));
	CHECK_EQ(r->ip_up, 1);
	CHECK_EQ(r->ip.u.ip.local, A(10, 0, 0, 2));
	CHECK_EQ(r->ip.u.ip.peer, A(10, 0, 0, 1));
	CHECK_EQ(r->ip.u.ip.dns[0], A(8, 8, 8, 8));
	CHECK_EQ(r->ip.u.ip.dns[1], A(8, 8, 4, 4));
	rec_free(r);
}

/* The server renegotiates an open IPCP (Opened + RCR): what the client
 * learned survives. */
TEST(ipcp_client_renegotiation)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_CLIENT, false);
	static const uint8_t t3[] = { 3, 129, 131 };
	const uint32_t v[] = { A(10, 0, 0, 2), A(8, 8, 8, 8), A(8, 8, 4, 4) };
	uint8_t o[8], k[24];
	size_t n = addr_opts(o, 1, t3, (const uint32_t[]){ A(10, 0, 0, 1) });
	size_t kn = addr_opts(k, 3, t3, v);
	int i;

	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 1, o, n));
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_NAK, s->ipcp.fsm.req_id, k, kn));
	for (i = 1; i <= 2; i++) {
		CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_ACK, s->ipcp.fsm.req_id, k,
		    kn));
		CHECK(ipcp_is_open(s) && s->ipcp.peer == A(10, 0, 0, 1));
		CHECK_EQ(rec_g.ip_up, i);
		/* a renegotiation carries a new Identifier (RFC 1661 5.1) */
		CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, (uint8_t)(1 + i), o,
		    n));
		CHECK(!ipcp_is_open(s));
	}
	rec_free(r);
}

TEST(ipcp_client_rejects_and_is_rejected)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_CLIENT, false);
	static const uint8_t t1[] = { 3 };
	static const uint8_t dns2[] = { 131, 6, 0, 0, 0, 0 };
	static const uint8_t vj[] = { 2, 6, 0x00, 0x2d, 0x0f, 0x01 };
	uint8_t o[64];
	size_t n;

	/* a server asking 0.0.0.0 for itself: we have nothing to give */
	n = addr_opts(o, 1, t1, (const uint32_t[]){ 0 });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 1, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_REJ, 1, " <addr 0.0.0.0>");
	/* VJ from the server: Rejected */
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 2, vj, sizeof(vj)));
	CHECK_EQ(last_pkt(r, PPP_IPCP, 0, &n)[0], PPP_CONF_REJ);
	/* the server rejects Secondary-DNS: we stop asking for it */
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REJ, s->ipcp.fsm.req_id, dns2,
	    sizeof(dns2)));
	check_last(r, PPP_IPCP, PPP_CONF_REQ, -1,
	    " <addr 0.0.0.0> <ms-dns1 0.0.0.0>");
	CHECK(s->ipcp.dns_rejected[1]);
	/* a Reject of an option we never send is discarded */
	static const uint8_t nb[] = { 130, 6, 0, 0, 0, 0 };
	CHECK_ERR(feed(r, PPP_IPCP, PPP_CONF_REJ, s->ipcp.fsm.req_id, nb,
	    sizeof(nb)), ERR_OPTION);
	rec_free(r);

	/* the server rejects our IP-Address: no address, the session ends */
	s = net_session(r, PPP_ROLE_CLIENT, false);
	n = addr_opts(o, 1, t1, (const uint32_t[]){ 0 });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REJ, s->ipcp.fsm.req_id, o, n));
	check_last(r, PPP_IPCP, PPP_CONF_REQ, -1,
	    " <ms-dns1 0.0.0.0> <ms-dns2 0.0.0.0>");
	n = addr_opts(o, 1, t1, (const uint32_t[]){ A(10, 0, 0, 1) });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 3, o, n));
	static const uint8_t d[] = { 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0 };
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_ACK, s->ipcp.fsm.req_id, d,
	    sizeof(d)));
	CHECK_EQ(s->down_reason, PPP_DOWN_NEGOTIATION);
	CHECK_STR(s->down_text, "IPCP: the peer gave us no address");
	CHECK_EQ(r->ip_up, 0);
	rec_free(r);
}

/* --- IPV6CP --- */

static void
ifid_opt(uint8_t out[10], const uint8_t id[8])
{
	out[0] = 1;
	out[1] = 10;
	memcpy(out + 2, id, 8);
}

static bool
last_ifid(const struct rec *r, uint8_t code, uint8_t id[8])
{
	const uint8_t *p;
	size_t len = 0;

	p = last_pkt(r, PPP_IPV6CP, 0, &len);
	if (p == NULL || p[0] != code || len != 14 || p[4] != 1 || p[5] != 10)
		return false;
	memcpy(id, p + 6, 8);
	return true;
}

static bool
id_zero(const uint8_t id[8])
{
	static const uint8_t z[8];

	return memcmp(id, z, 8) == 0;
}

TEST(ncp_nak_ping_pong_bounded)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_CLIENT, true);
	static const uint8_t t1[] = { 3 };
	uint8_t o[16], v6[10], id[8] = { 0, 0, 0, 0, 0, 0, 0, 9 };
	size_t n = addr_opts(o, 1, t1, (const uint32_t[]){ 0 });
	int i, before;

	/* a server that Naks with 0.0.0.0 forever: no endless ping-pong */
	for (i = 0; i < 5; i++)
		CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_NAK, s->ipcp.fsm.req_id, o,
		    n));
	CHECK(!s->down_set);
	before = count_code(r, PPP_IPCP, PPP_CONF_REQ);
	CHECK_ERR(feed(r, PPP_IPCP, PPP_CONF_NAK, s->ipcp.fsm.req_id, o, n),
	    ERR_UNSUPPORTED);
	CHECK_EQ(count_code(r, PPP_IPCP, PPP_CONF_REQ), before);
	CHECK_STR(s->down_text, "IPCP: peer keeps Nak'ing our request");
	rec_free(r);

	/* IPV6CP: it closes, IPv4 is not affected */
	s = net_session(r, PPP_ROLE_CLIENT, true);
	for (i = 0; i < 6; i++) {
		id[7] = (uint8_t)(10 + i);
		ifid_opt(v6, id);
		(void)feed(r, PPP_IPV6CP, PPP_CONF_NAK, s->ipv6cp.fsm.req_id,
		    v6, sizeof(v6));
	}
	CHECK_EQ(s->ipv6cp.fsm.state, FSM_CLOSING);
	CHECK_EQ(count_code(r, PPP_IPV6CP, PPP_TERM_REQ), 1);
	CHECK(!s->down_set);
	CHECK_EQ(s->ipcp.fsm.state, FSM_REQ_SENT);
	rec_free(r);
}

TEST(ipv6cp_identifiers_distinct)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, true);
	static const uint8_t peer_id[8] = { 0x02, 0x11, 0x22, 0x33, 0x44,
	    0x55, 0x66, 0x77 };
	uint8_t ours[8], sugg[8], o[10], tmp[8];

	CHECK(s != NULL);
	CHECK(last_ifid(r, PPP_CONF_REQ, ours));
	CHECK(!id_zero(ours));
	CHECK_EQ(ours[0] & 0x02, 0);		/* universal/local bit clear */
	CHECK_MEM(ours, s->ipv6cp.local_id, 8);
	/* the peer proposes our identifier: Nak with another */
	ifid_opt(o, ours);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_REQ, 1, o, sizeof(o)));
	CHECK(last_ifid(r, PPP_CONF_NAK, sugg));
	CHECK(!id_zero(sugg));
	CHECK(memcmp(sugg, ours, 8) != 0);
	/* ... zero: Nak too */
	memset(tmp, 0, 8);
	ifid_opt(o, tmp);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_REQ, 2, o, sizeof(o)));
	CHECK(last_ifid(r, PPP_CONF_NAK, sugg));
	CHECK(!id_zero(sugg) && memcmp(sugg, ours, 8) != 0);
	/* ... compression: Rejected */
	static const uint8_t comp[] = { 2, 4, 0x00, 0x4f };
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_REQ, 3, comp, sizeof(comp)));
	CHECK_EQ(last_pkt(r, PPP_IPV6CP, 0, &(size_t){ 0 })[0], PPP_CONF_REJ);
	/* a distinct one: Acked; then the peer Naks ours with its own id:
	 * we pick a fresh one, not the peer's */
	ifid_opt(o, peer_id);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_REQ, 4, o, sizeof(o)));
	CHECK(last_ifid(r, PPP_CONF_ACK, tmp));
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_NAK, s->ipv6cp.fsm.req_id, o,
	    sizeof(o)));
	CHECK(last_ifid(r, PPP_CONF_REQ, tmp));
	CHECK(memcmp(tmp, peer_id, 8) != 0 && !id_zero(tmp));
	/* a sensible suggestion is taken */
	static const uint8_t offered[8] = { 0, 0, 0, 0, 0, 0, 0, 0x42 };
	ifid_opt(o, offered);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_NAK, s->ipv6cp.fsm.req_id, o,
	    sizeof(o)));
	CHECK(last_ifid(r, PPP_CONF_REQ, tmp));
	CHECK_MEM(tmp, offered, 8);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_ACK, s->ipv6cp.fsm.req_id, o,
	    sizeof(o)));
	CHECK(ipv6cp_is_open(s));
	CHECK_EQ(r->ipv6_up, 1);
	CHECK_MEM(r->ipv6.u.ipv6.local_id, offered, 8);
	CHECK_MEM(r->ipv6.u.ipv6.peer_id, peer_id, 8);
	CHECK(tap_logs_contain(r->t, "ipv6cp: up local=0000:0000:0000:0042 "
	    "peer=0211:2233:4455:6677"));
	rec_free(r);
}

TEST(ipv6cp_stuck_random_source_still_distinct)
{
	struct rec *r = &rec_g;
	struct ppp *s;
	uint8_t ours[8], sugg[8], o[10];

	/* every random draw is all zero: identifiers are still nonzero */
	s = net_session_forced(r, PPP_ROLE_CLIENT, true, 4);
	CHECK(last_ifid(r, PPP_CONF_REQ, ours));
	CHECK(!id_zero(ours));
	ifid_opt(o, ours);
	tap_force(r->t, "0000000000000000");
	tap_force(r->t, "0000000000000000");
	tap_force(r->t, "0000000000000000");
	tap_force(r->t, "0000000000000000");
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_REQ, 1, o, sizeof(o)));
	CHECK(last_ifid(r, PPP_CONF_NAK, sugg));
	CHECK(!id_zero(sugg) && memcmp(sugg, ours, 8) != 0);
	CHECK(s->ipv6cp.fsm.state == FSM_REQ_SENT);
	rec_free(r);
}

TEST(ipv6cp_protocol_reject_leaves_ipcp_up)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, true);
	static const uint8_t t1[] = { 3 };
	uint8_t o[16];
	size_t n;

	CHECK_EQ(count_code(r, PPP_IPV6CP, PPP_CONF_REQ), 1);
	ncp_protocol_rejected(s, s->now, PPP_IPV6CP);
	CHECK_EQ(s->ipv6cp.fsm.state, FSM_STOPPED);
	CHECK(!s->down_set);
	CHECK(tap_logs_contain(r->t, "ipv6cp: Protocol-Rejected by the peer; "
	    "IPv6 off"));
	/* no more IPV6CP requests, even after the restart interval */
	(void)ppp_timeout(s, s->now + 3000);
	CHECK_EQ(count_code(r, PPP_IPV6CP, PPP_CONF_REQ), 1);
	/* IPCP goes on to Opened */
	n = addr_opts(o, 1, t1, (const uint32_t[]){ A(10, 0, 0, 2) });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_REQ, 1, o, n));
	n = addr_opts(o, 1, t1, (const uint32_t[]){ A(10, 0, 0, 1) });
	CHECK_OK(feed(r, PPP_IPCP, PPP_CONF_ACK, s->ipcp.fsm.req_id, o, n));
	CHECK(ipcp_is_open(s));
	CHECK_EQ(r->ip_up, 1);
	CHECK(!s->down_set);
	rec_free(r);

	/* from Opened: IPV6CP stops, nothing else */
	s = net_session(r, PPP_ROLE_SERVER, true);
	uint8_t peer_id[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, v6[10];
	ifid_opt(v6, peer_id);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_REQ, 1, v6, sizeof(v6)));
	ifid_opt(v6, s->ipv6cp.local_id);
	CHECK_OK(feed(r, PPP_IPV6CP, PPP_CONF_ACK, s->ipv6cp.fsm.req_id, v6,
	    sizeof(v6)));
	CHECK(ipv6cp_is_open(s));
	ncp_protocol_rejected(s, s->now, PPP_IPV6CP);
	CHECK(!ipv6cp_is_open(s));
	CHECK(!s->down_set);
	rec_free(r);
}

TEST(ipv6cp_off_when_not_configured)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_SERVER, false);
	uint8_t o[10], id[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	CHECK(count_code(r, PPP_IPV6CP, PPP_CONF_REQ) == 0 &&
	    s->ipv6cp.fsm.state == FSM_INITIAL);
	ifid_opt(o, id);
	CHECK_ERR(ipv6cp_input(s, s->now, o, sizeof(o)), ERR_STATE);
	rec_free(r);
}

TEST(ncp_lower_down_and_reopen)
{
	struct rec *r = &rec_g;
	struct ppp *s = net_session(r, PPP_ROLE_CLIENT, false);

	CHECK_EQ(s->ipcp.fsm.state, FSM_REQ_SENT);
	ncp_open(s, s->now);			/* a second call: no-op */
	CHECK_EQ(count_code(r, PPP_IPCP, PPP_CONF_REQ), 1);
	ncp_lower_down(s, s->now);
	CHECK_EQ(s->ipcp.fsm.state, FSM_STARTING);
	CHECK_EQ(ncp_deadline(s), UINT64_MAX);
	ncp_open(s, s->now);
	CHECK_EQ(s->ipcp.fsm.state, FSM_REQ_SENT);
	CHECK_EQ(count_code(r, PPP_IPCP, PPP_CONF_REQ), 2);
	rec_free(r);
}

/* --- whole sessions: CCP, then IPCP, client and server pumped into each
 * other over ppp_pair.h's wire --- */

struct policy {
	enum ppp_mppe_policy	mppe;
	unsigned		bits;
	bool			sl, sf;
};

#define REQ128		{ PPP_MPPE_REQUIRED, PPP_MPPE_128, true, false }
#define ALLOW128	{ PPP_MPPE_ALLOWED, PPP_MPPE_128, true, false }

static void
pair_cfg(struct ppp_config *c, enum ppp_role role, const struct policy *p,
    unsigned auth)
{
	ppp_config_default(c, role);
	c->mppe = p->mppe;
	c->mppe_bits = p->bits;
	c->mppe_stateless = p->sl;
	c->mppe_stateful = p->sf;
	c->auth_methods = auth;
	c->ipv6 = false;
	c->dns[0] = role == PPP_ROLE_SERVER ? 0x08080808 : 0;
	snprintf(c->user, sizeof(c->user), "alice");
	snprintf(c->password, sizeof(c->password), "secret");
}

/* Brings a pair up (or down) under the two policies. */
static bool
pair_go(struct pair *p, const struct policy *cp, const struct policy *sp,
    unsigned auth)
{
	struct ppp_config cc, sc;

	pair_cfg(&cc, PPP_ROLE_CLIENT, cp, auth);
	pair_cfg(&sc, PPP_ROLE_SERVER, sp, auth);
	if (pair_init(p, &cc, &sc, 42) != 0)
		return false;
	pair_start(p);
	(void)pair_run(p, pair_both_up, 60000);
	(void)pair_run(p, pair_any_down, 100);	/* a late failure shows */
	return true;
}

/* Sends n packets each way; all must arrive intact. */
static void
pair_traffic(struct pair *p, unsigned n)
{
	unsigned i, c0 = p->c.delivered, s0 = p->sv.delivered;

	for (i = 0; i < n; i++) {
		CHECK_OK(pair_send_ip(p, 0, 1000 + i, 100));
		CHECK_OK(pair_send_ip(p, 1, 5000 + i, 60));
		(void)pair_run(p, NULL, 1);
	}
	(void)pair_run(p, NULL, 100);
	CHECK_EQ(p->sv.delivered - s0, n);
	CHECK_EQ(p->c.delivered - c0, n);
	CHECK_EQ(p->c.rx_bad + p->sv.rx_bad, 0);
}

TEST(ccp_pair_stateful_with_loss_resynchronises)
{
	struct pair *p = &(struct pair){ 0 };
	struct policy cpol = { PPP_MPPE_REQUIRED,
	    PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128, true, true };
	struct policy spol = { PPP_MPPE_REQUIRED, PPP_MPPE_56 | PPP_MPPE_128,
	    false, true };
	const struct ppp_stats *cs, *ss;
	unsigned i, c0, s0;

	CHECK(pair_go(p, &cpol, &spol, PPP_AUTH_MSCHAPV2));
	CHECK(pair_both_up(p));
	CHECK_EQ(p->c.ip_ev.u.ip.mppe_bits, 128);
	CHECK(!p->c.ip_ev.u.ip.mppe_stateless);
	CHECK(!p->sv.ip_ev.u.ip.mppe_stateless);
	pair_traffic(p, 10);
	/* 10% loss: each loss costs a Reset-Request round trip, and a lost
	 * Reset-Request or FLUSHED packet a restart interval of discarding
	 * (3 s: 60 packets here); every packet that arrives decrypts to the
	 * right bytes, and once the loss stops everything flows again */
	p->loss_pct = 10;
	c0 = p->c.delivered;
	s0 = p->sv.delivered;
	for (i = 0; i < 300; i++) {
		(void)pair_send_ip(p, 0, 2000 + i, 80);
		(void)pair_send_ip(p, 1, 7000 + i, 80);
		(void)pair_run(p, NULL, 50);
	}
	p->loss_pct = 0;
	(void)pair_run(p, NULL, 10000);
	cs = ppp_stats(p->c.s);
	ss = ppp_stats(p->sv.s);
	CHECK(cs->mppe_resets_sent > 0 && ss->mppe_resets_sent > 0);
	CHECK(cs->mppe_resets_rcvd > 0 && ss->mppe_resets_rcvd > 0);
	CHECK(p->sv.delivered - s0 > 50);
	CHECK(p->c.delivered - c0 > 50);
	CHECK_EQ(p->c.rx_bad + p->sv.rx_bad, 0);
	/* lossless again: everything arrives */
	pair_traffic(p, 10);
	CHECK(!pair_any_down(p));
	pair_fini(p);
}

TEST(ccp_pair_required_vs_refused_and_allowed)
{
	struct pair *p = &(struct pair){ 0 };
	struct policy req = REQ128, allow = ALLOW128;
	struct policy refused = { PPP_MPPE_REFUSED, PPP_MPPE_128, true,
	    false };
	struct policy req40 = { PPP_MPPE_REQUIRED, PPP_MPPE_40, true, false };

	/* the client refuses: it Protocol-Rejects CCP; required fails */
	CHECK(pair_go(p, &refused, &req, PPP_AUTH_MSCHAPV2));
	CHECK(!p->sv.ip_up);
	CHECK(p->sv.down);
	CHECK_EQ(p->sv.down_reason, PPP_DOWN_MPPE);
	CHECK_STR(p->sv.down_text, "MPPE not agreed: we offered <mppe +H -M "
	    "+S -L -D -C>, peer offered nothing: policy requires 128-bit "
	    "stateless (CCP Protocol-Rejected)");
	pair_fini(p);

	/* ... allowed goes on in the clear */
	CHECK(pair_go(p, &refused, &allow, PPP_AUTH_MSCHAPV2));
	CHECK(pair_both_up(p));
	CHECK_EQ(p->sv.ip_ev.u.ip.mppe_bits, 0);
	pair_traffic(p, 5);
	pair_fini(p);

	/* allowed meets required: MPPE on, addresses and DNS learned */
	CHECK(pair_go(p, &allow, &req, PPP_AUTH_MSCHAPV2));
	CHECK(pair_both_up(p));
	CHECK(p->c.ip_ev.u.ip.mppe_bits == 128 && p->c.ip_ev.u.ip.mppe_stateless);
	CHECK_EQ(p->sv.ip_ev.u.ip.mppe_bits, 128);
	CHECK_EQ(p->c.ip_ev.u.ip.local, 0x0a000002);
	CHECK_EQ(p->c.ip_ev.u.ip.peer, 0x0a000001);
	CHECK_EQ(p->c.ip_ev.u.ip.dns[0], 0x08080808);
	pair_traffic(p, 20);
	pair_fini(p);

	/* 40 against 128, both required: each reason names both offers */
	CHECK(pair_go(p, &req40, &req, PPP_AUTH_MSCHAPV2));
	CHECK(!p->c.ip_up && !p->sv.ip_up);
	CHECK(p->c.down && p->sv.down);
	CHECK_STR(p->sv.down_text, "MPPE not agreed: we offered <mppe +H -M "
	    "+S -L -D -C>, peer offered <mppe +H -M -S +L -D -C>: policy "
	    "requires 128-bit stateless (no common strength)");
	CHECK_STR(p->c.down_text, "MPPE not agreed: we offered <mppe +H -M "
	    "-S +L -D -C>, peer offered <mppe +H -M +S -L -D -C>: policy "
	    "requires 40-bit stateless (no common strength)");
	pair_fini(p);

	/* PAP with "allowed" on both sides: no keys, no CCP, IP up */
	CHECK(pair_go(p, &allow, &allow, PPP_AUTH_PAP));
	CHECK(pair_both_up(p));
	CHECK_EQ(p->sv.ip_ev.u.ip.mppe_bits, 0);
	pair_traffic(p, 5);
	pair_fini(p);
}

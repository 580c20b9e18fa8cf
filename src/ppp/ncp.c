/*
 * ncp.c - the network control protocols on the RFC 1661 FSM: IPCP (RFC
 * 1332 3.2 IP-Compression-Protocol, 3.3 IP-Address; RFC 1877 Primary and
 * Secondary DNS and NBNS addresses) in both roles, and IPV6CP (RFC 5072
 * 4.1 Interface-Identifier; 4.2 IPv6-Compression-Protocol is Rejected).
 *
 * The policies, and what each role asks, accepts and learns, are
 * described in ncp.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "ppp_int.h"

static struct ppp *
ncp_ppp(struct fsm *f)
{
	return f->ctx;
}

static bool
ncp_server(const struct ppp *s)
{
	return s->cfg.role == PPP_ROLE_SERVER;
}

/* "10.0.0.2" into buf[16]. */
static const char *
ncp_ip_str(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(a >> 24) & 0xff,
	    (unsigned)(a >> 16) & 0xff, (unsigned)(a >> 8) & 0xff,
	    (unsigned)a & 0xff);
	return buf;
}

/* "0123:4567:89ab:cdef" into buf[20]. */
static const char *
ncp_id_str(const uint8_t id[8], char buf[20])
{
	snprintf(buf, 20, "%02x%02x:%02x%02x:%02x%02x:%02x%02x", id[0], id[1],
	    id[2], id[3], id[4], id[5], id[6], id[7]);
	return buf;
}

void
ncp_log_pkt(struct ppp *s, uint16_t proto, const char *dir,
    const uint8_t *pkt, size_t len, bool *logged, uint8_t *log_id)
{
	char buf[200];
	struct sbuf sb;

	if (len < FSM_HDR_LEN || pkt[0] < PPP_CONF_REQ ||
	    pkt[0] > PPP_CODE_REJ)
		return;
	if (pkt[0] == PPP_CONF_REQ && dir[0] == 's') {
		if (*logged && *log_id == pkt[1])
			return;
		*logged = true;
		*log_id = pkt[1];
	}
	sbuf_init(&sb, buf, sizeof(buf));
	ppp_cp_print(proto, pkt, len, &sb);
	ppp_log(s, "%s: %s %s", proto == PPP_CCP ? "ccp" :
	    proto == PPP_IPCP ? "ipcp" : "ipv6cp", dir, sbuf_str(&sb));
}

/*
 * The two lists a judge builds: options to Reject (verbatim) and options
 * to Nak (our values).  A Reject, if any, is sent alone (RFC 1661 5.3/5.4:
 * Configure-Reject takes precedence).
 */
struct ncp_reply {
	struct wr	rej, nak;
	uint8_t		rbuf[FSM_PKT_MAX], nbuf[FSM_PKT_MAX];
};

static void
ncp_reply_init(struct ncp_reply *r)
{
	wr_init(&r->rej, r->rbuf, sizeof(r->rbuf));
	wr_init(&r->nak, r->nbuf, sizeof(r->nbuf));
}

static void
ncp_reject(struct ncp_reply *r, const struct ppp_opt *o)
{
	ppp_opt_put(&r->rej, o->type, rd_cur(&o->val), rd_left(&o->val));
}

static int
ncp_reply_finish(struct ncp_reply *r, struct wr *reply)
{
	if (wr_error(&r->rej) != 0 || wr_error(&r->nak) != 0)
		return ERR_NOSPACE;
	if (wr_len(&r->rej) > 0) {
		wr_bytes(reply, r->rbuf, wr_len(&r->rej));
		return PPP_CONF_REJ;
	}
	if (wr_len(&r->nak) > 0) {
		wr_bytes(reply, r->nbuf, wr_len(&r->nak));
		return PPP_CONF_NAK;
	}
	return PPP_CONF_ACK;
}

/* --- IPCP --- */

static void
ipcp_fail_text(struct ppp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ipcp_fail_text(struct ppp *s, const char *fmt, ...)
{
	struct ipcp_state *ip = &s->ipcp;
	va_list ap;

	if (ip->pend_fail)
		return;
	va_start(ap, fmt);
	vsnprintf(ip->fail_text, sizeof(ip->fail_text), fmt, ap);
	va_end(ap);
	ip->pend_fail = true;
}

static void
ipcp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct ppp *s = ncp_ppp(f);

	ncp_log_pkt(s, PPP_IPCP, "sent", pkt, len, &s->ipcp.req_logged,
	    &s->ipcp.req_log_id);
	ppp_send_proto(s, PPP_IPCP, pkt, len);
}

static void
ipcp_reset(struct fsm *f)
{
	struct ipcp_state *ip = &ncp_ppp(f)->ipcp;

	ip->addr_rejected = false;
	ip->dns_rejected[0] = ip->dns_rejected[1] = false;
	ip->nbns_rejected[0] = ip->nbns_rejected[1] = false;
	ip->addr_naks = 0;	/* (peer_cand stays: judged before reset) */
	ip->naks_rcvd = 0;
}

static int
ipcp_build_req(struct fsm *f, struct wr *w)
{
	struct ppp *s = ncp_ppp(f);
	struct ipcp_state *ip = &s->ipcp;
	int ret = 0;

	if (!ip->addr_rejected && (!ncp_server(s) || ip->local != 0))
		ret = ipcp_opt_addr_encode(w, IPCP_OPT_ADDR, ip->local);
	if (ret == 0 && !ncp_server(s) && !ip->dns_rejected[0])
		ret = ipcp_opt_addr_encode(w, IPCP_OPT_DNS1, ip->dns[0]);
	if (ret == 0 && !ncp_server(s) && !ip->dns_rejected[1])
		ret = ipcp_opt_addr_encode(w, IPCP_OPT_DNS2, ip->dns[1]);
	return ret;
}

/* Server: Nak with want unless Max-Failure says Reject (RFC 1661 4.6). */
static bool
ipcp_nak_addr(struct fsm *f, struct ncp_reply *r, const struct ppp_opt *o,
    uint32_t want)
{
	if (fsm_nak_exhausted(f)) {
		ncp_reject(r, o);
		return false;
	}
	if (ipcp_opt_addr_encode(&r->nak, o->type, want) != 0)
		return true;	/* sticky in r->nak: ncp_reply_finish sees it */
	return true;
}

/* Server: the value we give for a DNS/NBNS option (0: not offered). */
static uint32_t
ipcp_server_value(const struct ppp *s, uint8_t type)
{
	switch (type) {
	case IPCP_OPT_DNS1:
		return s->cfg.dns[0];
	case IPCP_OPT_DNS2:
		return s->cfg.dns[1];
	case IPCP_OPT_NBNS1:
		return s->cfg.nbns[0];
	default:
		return s->cfg.nbns[1];
	}
}

static int
ipcp_judge(struct fsm *f, struct rd *opts, struct wr *reply)
{
	struct ppp *s = ncp_ppp(f);
	struct ipcp_state *ip = &s->ipcp;
	struct ncp_reply r;
	struct ppp_opt o;
	uint32_t v, want;
	bool saw_addr = false;
	char a[16];
	int ret;

	ncp_reply_init(&r);
	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		saw_addr = saw_addr || o.type == IPCP_OPT_ADDR;
		/* VJ (2), IP-Addresses (1), unknown, malformed: Reject */
		if (!ipcp_opt_is_addr(o.type) ||
		    ipcp_opt_addr_decode(&o, &v) != 0) {
			ncp_reject(&r, &o);
			continue;
		}
		if (!ncp_server(s)) {
			/* the server's own address; it has no business
			 * asking us for name servers */
			if (o.type == IPCP_OPT_ADDR && v != 0)
				ip->peer_cand = v;
			else
				ncp_reject(&r, &o);
			continue;
		}
		if (o.type != IPCP_OPT_ADDR) {
			want = ipcp_server_value(s, o.type);
			if (want == 0)
				ncp_reject(&r, &o);	/* not served */
			else if (v != want)
				(void)ipcp_nak_addr(f, &r, &o, want);
			continue;
		}
		want = ip->peer;
		if (want == 0) {		/* nothing to assign */
			ncp_reject(&r, &o);
		} else if (v != want && !ipcp_nak_addr(f, &r, &o, want)) {
			ipcp_fail_text(s, "IPCP: peer keeps refusing address %s",
			    ncp_ip_str(want, a));
		}
	}
	if (ret < 0)
		return ret;
	/* server: a request without IP-Address is prompted for it, as pppd
	 * does (RFC 1661 5.3: a Nak may add options) */
	if (ncp_server(s) && !saw_addr && ip->peer != 0 &&
	    !fsm_nak_exhausted(f) &&
	    ipcp_opt_addr_encode(&r.nak, IPCP_OPT_ADDR, ip->peer) != 0)
		return ERR_NOSPACE;
	return ncp_reply_finish(&r, reply);
}

static int
ipcp_got_nak(struct fsm *f, struct rd *opts)
{
	struct ppp *s = ncp_ppp(f);
	struct ipcp_state *ip = &s->ipcp;
	struct ppp_opt o;
	uint32_t v;
	char a[16];
	int ret;

	if (++ip->naks_rcvd > f->cfg.max_failure) {
		ipcp_fail_text(s, "IPCP: peer keeps Nak'ing our request");
		return ERR_UNSUPPORTED;	/* no further request */
	}
	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		if (!ipcp_opt_is_addr(o.type))
			continue;	/* a suggestion we have no use for */
		if (ipcp_opt_addr_decode(&o, &v) != 0)
			return ERR_OPTION;
		if (ncp_server(s)) {
			/* our address is the configured one: keep it */
			if (o.type == IPCP_OPT_ADDR &&
			    ++ip->addr_naks >= f->cfg.max_failure)
				ipcp_fail_text(s, "IPCP: peer keeps refusing "
				    "address %s", ncp_ip_str(ip->local, a));
			continue;
		}
		if (o.type == IPCP_OPT_ADDR && !ip->addr_rejected)
			ip->local = v;
		else if (o.type == IPCP_OPT_DNS1 && !ip->dns_rejected[0])
			ip->dns[0] = v;
		else if (o.type == IPCP_OPT_DNS2 && !ip->dns_rejected[1])
			ip->dns[1] = v;
	}
	return ret < 0 ? ret : 0;
}

static int
ipcp_got_ack(struct fsm *f, struct rd *opts)
{
	(void)opts;
	ncp_ppp(f)->ipcp.naks_rcvd = 0;
	return 0;
}

static int
ipcp_got_rej(struct fsm *f, struct rd *opts)
{
	struct ppp *s = ncp_ppp(f);
	struct ipcp_state *ip = &s->ipcp;
	struct ppp_opt o;
	int ret;

	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		if (o.type == IPCP_OPT_ADDR)
			ip->addr_rejected = true;
		else if (!ncp_server(s) && o.type == IPCP_OPT_DNS1) {
			ip->dns_rejected[0] = true;
			ip->dns[0] = 0;
		} else if (!ncp_server(s) && o.type == IPCP_OPT_DNS2) {
			ip->dns_rejected[1] = true;
			ip->dns[1] = 0;
		} else
			return ERR_OPTION;	/* we did not send it */
	}
	return ret < 0 ? ret : 0;
}

static void
ipcp_tlu(struct fsm *f)
{
	struct ppp *s = ncp_ppp(f);
	struct ipcp_state *ip = &s->ipcp;
	char a[16], b[16], d0[16], d1[16];

	if (!ncp_server(s)) {
		ip->peer = ip->peer_cand;
		if (ip->local == 0) {
			ipcp_fail_text(s, "IPCP: the peer gave us no address");
			return;
		}
	}
	ppp_log(s, "ipcp: up local=%s peer=%s dns=%s,%s",
	    ncp_ip_str(ip->local, a), ncp_ip_str(ip->peer, b),
	    ncp_ip_str(ip->dns[0], d0), ncp_ip_str(ip->dns[1], d1));
	ip->pend_up = true;
}

static void
ipcp_tld(struct fsm *f)
{
	struct ppp *s = ncp_ppp(f);

	s->ipcp.pend_up = false;
	ppp_log(s, "ipcp: down");
}

static void
ipcp_tlf(struct fsm *f)
{
	struct ppp *s = ncp_ppp(f);

	if (s->ipcp.proto_rejected)
		ipcp_fail_text(s, "IPCP: Protocol-Rejected by the peer");
	else if (f->req_pending)
		ipcp_fail_text(s, "IPCP: no answer to our Configure-Request");
	else
		ipcp_fail_text(s, "IPCP: finished without agreement");
}

static const struct fsm_callbacks ipcp_callbacks = {
	.tlu = ipcp_tlu,
	.tld = ipcp_tld,
	.tlf = ipcp_tlf,
	.reset = ipcp_reset,
	.build_req = ipcp_build_req,
	.judge_req = ipcp_judge,
	.got_ack = ipcp_got_ack,
	.got_nak = ipcp_got_nak,
	.got_rej = ipcp_got_rej,
	.send = ipcp_send,
};

/* --- IPV6CP --- */

static bool
v6_id_zero(const uint8_t id[8])
{
	static const uint8_t zero[8];

	return memcmp(id, zero, 8) == 0;
}

/*
 * A fresh random identifier: nonzero, different from avoid, universal/
 * local bit clear (RFC 5072 4.1 and its reference to RFC 4291 modified
 * EUI-64: a random identifier is not globally unique).
 */
static void
v6_fresh_id(struct ppp *s, uint8_t id[8], const uint8_t avoid[8])
{
	int tries;

	for (tries = 0; tries < 4; tries++) {
		ppp_random(s, id, 8);
		id[0] &= (uint8_t)~0x02;
		if (!v6_id_zero(id) && memcmp(id, avoid, 8) != 0)
			return;
	}
	/* a stuck random source: derive one from avoid */
	memcpy(id, avoid, 8);
	id[7] ^= 0x01;
	if (v6_id_zero(id))
		id[7] = 0x02;
}

static void
ipv6cp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct ppp *s = ncp_ppp(f);

	ncp_log_pkt(s, PPP_IPV6CP, "sent", pkt, len, &s->ipv6cp.req_logged,
	    &s->ipv6cp.req_log_id);
	ppp_send_proto(s, PPP_IPV6CP, pkt, len);
}

static void
ipv6cp_reset(struct fsm *f)
{
	struct ipv6cp_state *v6 = &ncp_ppp(f)->ipv6cp;

	v6->id_rejected = false;	/* (peer_cand stays: judged before) */
	v6->naks_rcvd = 0;
}

static int
ipv6cp_build_req(struct fsm *f, struct wr *w)
{
	struct ipv6cp_state *v6 = &ncp_ppp(f)->ipv6cp;

	if (v6->id_rejected)
		return 0;
	return ipv6cp_opt_ifaceid_encode(w, v6->local_id);
}

static int
ipv6cp_judge(struct fsm *f, struct rd *opts, struct wr *reply)
{
	struct ppp *s = ncp_ppp(f);
	struct ipv6cp_state *v6 = &s->ipv6cp;
	uint8_t id[8], sugg[8];
	struct ncp_reply r;
	struct ppp_opt o;
	int ret;

	ncp_reply_init(&r);
	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		/* IPv6-Compression-Protocol, unknown, malformed: Reject */
		if (o.type != IPV6CP_OPT_IFACE_ID ||
		    ipv6cp_opt_ifaceid_decode(&o, id) != 0) {
			ncp_reject(&r, &o);
			continue;
		}
		if (!v6_id_zero(id) && memcmp(id, v6->local_id, 8) != 0) {
			memcpy(v6->peer_cand, id, 8);
			continue;
		}
		/* zero, or ours: suggest another (RFC 5072 4.1) */
		if (fsm_nak_exhausted(f)) {
			ncp_reject(&r, &o);
			continue;
		}
		v6_fresh_id(s, sugg, v6->local_id);
		if (ipv6cp_opt_ifaceid_encode(&r.nak, sugg) != 0)
			break;	/* sticky in r.nak: ncp_reply_finish sees it */
	}
	if (ret < 0)
		return ret;
	return ncp_reply_finish(&r, reply);
}

static int
ipv6cp_got_nak(struct fsm *f, struct rd *opts)
{
	struct ppp *s = ncp_ppp(f);
	struct ipv6cp_state *v6 = &s->ipv6cp;
	struct ppp_opt o;
	uint8_t id[8];
	int ret;

	if (++v6->naks_rcvd > f->cfg.max_failure) {
		if (!v6->pend_close)
			ppp_log(s, "ipv6cp: peer keeps Nak'ing our request");
		v6->pend_close = true;
		return ERR_UNSUPPORTED;	/* no further request */
	}
	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		if (o.type != IPV6CP_OPT_IFACE_ID)
			continue;
		if (ipv6cp_opt_ifaceid_decode(&o, id) != 0)
			return ERR_OPTION;
		if (!v6_id_zero(id) && memcmp(id, v6->peer_cand, 8) != 0)
			memcpy(v6->local_id, id, 8);
		else
			v6_fresh_id(s, v6->local_id, v6->peer_cand);
	}
	return ret < 0 ? ret : 0;
}

static int
ipv6cp_got_ack(struct fsm *f, struct rd *opts)
{
	(void)opts;
	ncp_ppp(f)->ipv6cp.naks_rcvd = 0;
	return 0;
}

static int
ipv6cp_got_rej(struct fsm *f, struct rd *opts)
{
	struct ipv6cp_state *v6 = &ncp_ppp(f)->ipv6cp;
	struct ppp_opt o;
	int ret;

	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		if (o.type != IPV6CP_OPT_IFACE_ID)
			return ERR_OPTION;	/* we did not send it */
		v6->id_rejected = true;
	}
	return ret < 0 ? ret : 0;
}

static void
ipv6cp_tlu(struct fsm *f)
{
	struct ppp *s = ncp_ppp(f);
	struct ipv6cp_state *v6 = &s->ipv6cp;
	char a[20], b[20];

	memcpy(v6->peer_id, v6->peer_cand, 8);
	ppp_log(s, "ipv6cp: up local=%s peer=%s", ncp_id_str(v6->local_id, a),
	    ncp_id_str(v6->peer_id, b));
	v6->pend_up = true;
}

static void
ipv6cp_tld(struct fsm *f)
{
	struct ppp *s = ncp_ppp(f);

	s->ipv6cp.pend_up = false;
	ppp_log(s, "ipv6cp: down");
}

static void
ipv6cp_tlf(struct fsm *f)
{
	struct ppp *s = ncp_ppp(f);

	/* IPv6 is optional: IPv4 goes on (landscape.md 3.9) */
	ppp_log(s, "ipv6cp: %s; IPv6 off", s->ipv6cp.proto_rejected ?
	    "Protocol-Rejected by the peer" : "finished without agreement");
}

static const struct fsm_callbacks ipv6cp_callbacks = {
	.tlu = ipv6cp_tlu,
	.tld = ipv6cp_tld,
	.tlf = ipv6cp_tlf,
	.reset = ipv6cp_reset,
	.build_req = ipv6cp_build_req,
	.judge_req = ipv6cp_judge,
	.got_ack = ipv6cp_got_ack,
	.got_nak = ipv6cp_got_nak,
	.got_rej = ipv6cp_got_rej,
	.send = ipv6cp_send,
};

/* --- the part's entry points --- */

/* Runs what the callbacks deferred, now that the FSMs are idle. */
static void
ncp_settle(struct ppp *s, uint64_t now)
{
	struct ipcp_state *ip = &s->ipcp;
	struct ipv6cp_state *v6 = &s->ipv6cp;

	if (ip->pend_fail) {
		ip->pend_fail = ip->pend_up = v6->pend_up = false;
		ppp_fail(s, PPP_DOWN_NEGOTIATION, 0, "%s", ip->fail_text);
		return;
	}
	if (ip->pend_up) {
		ip->pend_up = false;
		if (ipcp_is_open(s))
			ppp_ncp_up(s, PPP_IPCP);
	}
	if (v6->pend_close) {
		v6->pend_close = v6->pend_up = false;
		(void)fsm_close(&v6->fsm, now, "not converging");
	}
	if (v6->pend_up) {
		v6->pend_up = false;
		if (ipv6cp_is_open(s))
			ppp_ncp_up(s, PPP_IPV6CP);
	}
}

void
ncp_init(struct ppp *s)
{
	memset(&s->ipcp, 0, sizeof(s->ipcp));
	memset(&s->ipv6cp, 0, sizeof(s->ipv6cp));
	/* cannot fail: the callbacks and send are set */
	if (fsm_init(&s->ipcp.fsm, PPP_IPCP, "ipcp", &ipcp_callbacks,
	    &s->cfg.fsm, s) != 0 ||
	    fsm_init(&s->ipv6cp.fsm, PPP_IPV6CP, "ipv6cp", &ipv6cp_callbacks,
	    &s->cfg.fsm, s) != 0)
		return;
}

static bool
ncp_idle(const struct fsm *f)
{
	return f->state == FSM_INITIAL || f->state == FSM_STARTING;
}

void
ncp_open(struct ppp *s, uint64_t now)
{
	struct ipcp_state *ip = &s->ipcp;
	struct ipv6cp_state *v6 = &s->ipv6cp;
	static const uint8_t zero[8];

	if (ncp_idle(&ip->fsm)) {
		if (ncp_server(s)) {
			ip->dns[0] = s->cfg.dns[0];
			ip->dns[1] = s->cfg.dns[1];
			ip->nbns[0] = s->cfg.nbns[0];
			ip->nbns[1] = s->cfg.nbns[1];
		} else {
			ip->local = ip->peer = 0;
			ip->dns[0] = ip->dns[1] = 0;
			ip->nbns[0] = ip->nbns[1] = 0;
		}
		ip->peer_cand = 0;
		ip->proto_rejected = false;
		ip->pend_up = ip->pend_fail = false;
		fsm_set_max_pkt(&ip->fsm, ppp_peer_mru(s));
		(void)fsm_up(&ip->fsm, now);
		(void)fsm_open(&ip->fsm, now);
	}
	if (s->cfg.ipv6 && !v6->proto_rejected && ncp_idle(&v6->fsm)) {
		v6_fresh_id(s, v6->local_id, zero);
		memset(v6->peer_id, 0, sizeof(v6->peer_id));
		memset(v6->peer_cand, 0, sizeof(v6->peer_cand));
		v6->pend_up = v6->pend_close = false;
		fsm_set_max_pkt(&v6->fsm, ppp_peer_mru(s));
		(void)fsm_up(&v6->fsm, now);
		(void)fsm_open(&v6->fsm, now);
	}
	ncp_settle(s, now);
}

int
ipcp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	int ret;

	ncp_log_pkt(s, PPP_IPCP, "rcvd", pkt, len, NULL, NULL);
	ret = fsm_input(&s->ipcp.fsm, now, pkt, len);
	ncp_settle(s, now);
	return ret;
}

int
ipv6cp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	int ret;

	if (!s->cfg.ipv6)
		return ERR_STATE;
	ncp_log_pkt(s, PPP_IPV6CP, "rcvd", pkt, len, NULL, NULL);
	ret = fsm_input(&s->ipv6cp.fsm, now, pkt, len);
	ncp_settle(s, now);
	return ret;
}

uint64_t
ncp_deadline(const struct ppp *s)
{
	uint64_t a = fsm_deadline(&s->ipcp.fsm);
	uint64_t b = fsm_deadline(&s->ipv6cp.fsm);

	return a < b ? a : b;
}

void
ncp_timeout(struct ppp *s, uint64_t now)
{
	(void)fsm_timeout(&s->ipcp.fsm, now);
	(void)fsm_timeout(&s->ipv6cp.fsm, now);
	ncp_settle(s, now);
}

void
ncp_protocol_rejected(struct ppp *s, uint64_t now, uint16_t proto)
{
	bool opened;

	if (proto == PPP_IPV6CP) {
		if (!s->cfg.ipv6 || s->ipv6cp.proto_rejected)
			return;
		s->ipv6cp.proto_rejected = true;
		(void)fsm_protocol_rejected(&s->ipv6cp.fsm, now);
		if (s->ipv6cp.fsm.state != FSM_STOPPED)	/* from Opened */
			ppp_log(s, "ipv6cp: Protocol-Rejected by the peer");
	} else if (proto == PPP_IPCP) {
		opened = s->ipcp.fsm.state == FSM_OPENED;
		s->ipcp.proto_rejected = true;
		(void)fsm_protocol_rejected(&s->ipcp.fsm, now);
		if (opened)	/* RXJ- from Opened runs no tlf */
			ipcp_fail_text(s, "IPCP: Protocol-Rejected by the peer");
	}
	ncp_settle(s, now);
}

void
ncp_lower_down(struct ppp *s, uint64_t now)
{
	(void)fsm_down(&s->ipcp.fsm, now);
	(void)fsm_down(&s->ipv6cp.fsm, now);
	s->ipcp.pend_up = s->ipcp.pend_fail = false;
	s->ipv6cp.pend_up = s->ipv6cp.pend_close = false;
}

bool
ipcp_is_open(const struct ppp *s)
{
	return s->ipcp.fsm.state == FSM_OPENED;
}

bool
ipv6cp_is_open(const struct ppp *s)
{
	return s->ipv6cp.fsm.state == FSM_OPENED;
}

/*
 * session.c - one PPP session: the phases of RFC 1661 section 3 (Dead,
 * Establish, Authenticate, Network, Terminate), framing (RFC 1661 2 with
 * ACFC/PFC from 6.5/6.6, never for LCP), the protocol demux, the aggregated
 * deadline, events, and the IP data path with MPPE (RFC 3078).
 *
 * The parts (lcp.c, auth.c, ccp.c, ncp.c) call back into the services at the
 * bottom of this file.  Failures found inside an FSM callback cannot close
 * LCP from there (the FSM refuses re-entry), so ppp_fail only records the
 * reason and asks for a close; every public entry point runs the pending
 * close before it returns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/secret.h"
#include "../wire/ppp_frame.h"
#include "ppp_int.h"

/* Information field of an MPPE frame: header, inner protocol, packet. */
#define PPP_MPPE_OVERHEAD	(MPPE_HDR_LEN + 2)

void
ppp_config_default(struct ppp_config *c, enum ppp_role role)
{
	memset(c, 0, sizeof(*c));
	c->role = role;
	c->auth_methods = PPP_AUTH_MSCHAPV2;
	c->mppe = PPP_MPPE_REQUIRED;
	c->mppe_bits = PPP_MPPE_128;
	c->mppe_stateless = true;
	c->mppe_stateful = false;
	c->mru = PPP_MRU_DEFAULT;
	c->echo_interval_ms = 20000;
	c->echo_failures = 3;
	c->auth_timeout_ms = 30000;
	c->auth_retries = 2;
	c->ipv6 = true;
	snprintf(c->name, sizeof(c->name), "pptpkit");
}

static int
ppp_config_check(const struct ppp_config *c)
{
	if (c->role != PPP_ROLE_SERVER && c->role != PPP_ROLE_CLIENT)
		return ERR_INVAL;
	if ((c->auth_methods & ~PPP_AUTH_ALL) != 0)
		return ERR_INVAL;
	if (c->role == PPP_ROLE_SERVER && c->auth_methods == 0)
		return ERR_INVAL;
	if (c->mppe != PPP_MPPE_REFUSED) {
		if ((c->mppe_bits & (PPP_MPPE_40 | PPP_MPPE_56 |
		    PPP_MPPE_128)) == 0 ||
		    (!c->mppe_stateless && !c->mppe_stateful))
			return ERR_INVAL;
		/* MPPE keys come only from MS-CHAP (RFC 3079). */
		if (c->mppe == PPP_MPPE_REQUIRED &&
		    (c->auth_methods & (PPP_AUTH_MSCHAPV1 |
		    PPP_AUTH_MSCHAPV2)) == 0)
			return ERR_INVAL;
	}
	if (c->mru != 0 && c->mru < PPP_MRU_MIN)
		return ERR_INVAL;
	return 0;
}

int
ppp_new(struct ppp **out, const struct ppp_config *cfg,
    const struct ppp_io *io)
{
	struct ppp *s;
	int ret;

	*out = NULL;
	if (cfg == NULL || io == NULL || io->send == NULL ||
	    io->event == NULL || io->random == NULL || io->deliver == NULL)
		return ERR_INVAL;
	if ((ret = ppp_config_check(cfg)) != 0)
		return ret;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ERR_NOMEM;
	s->cfg = *cfg;
	if (s->cfg.mru == 0)
		s->cfg.mru = PPP_MRU_DEFAULT;
	s->io = *io;
	s->phase = PPP_PHASE_DEAD;
	if ((ret = lcp_init(s)) != 0) {
		ppp_free(s);
		return ret;
	}
	auth_init(s);
	ccp_init(s);
	ncp_init(s);
	*out = s;
	return 0;
}

void
ppp_free(struct ppp *s)
{
	if (s == NULL)
		return;
	auth_fini(s);
	ccp_fini(s);
	secret_wipe(s, sizeof(*s));
	free(s);
}

/* Runs the close ppp_fail asked for, outside any FSM callback. */
static void
ppp_run_pending(struct ppp *s)
{
	if (s->close_pending) {
		s->close_pending = false;
		lcp_close(s, s->now, s->down_text);
	}
}

int
ppp_start(struct ppp *s, uint64_t now)
{
	if (s->phase != PPP_PHASE_DEAD || s->down_set)
		return ERR_STATE;
	s->now = now;
	s->phase = PPP_PHASE_ESTABLISH;
	lcp_start(s, now);
	ppp_run_pending(s);
	return 0;
}

/* Holds an IPCP/IPV6CP packet until CCP opens (RFC 3078 9). */
static void
ppp_hold(struct ppp *s, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct ppp_held *slot = NULL;
	int i;

	if (len > PPP_HELD_LEN) {
		s->stats.rx_dropped++;
		return;
	}
	/* A newer packet of the same protocol supersedes the older one (a
	 * retransmitted or revised Configure-Request); else the first free
	 * slot; else the oldest. */
	for (i = 0; i < PPP_HELD_MAX && slot == NULL; i++)
		if (s->held[i].proto == proto)
			slot = &s->held[i];
	for (i = 0; i < PPP_HELD_MAX && slot == NULL; i++)
		if (s->held[i].proto == 0)
			slot = &s->held[i];
	if (slot == NULL) {
		memmove(&s->held[0], &s->held[1],
		    sizeof(s->held[0]) * (PPP_HELD_MAX - 1));
		slot = &s->held[PPP_HELD_MAX - 1];
	} else if (slot->proto == proto) {
		/* keep arrival order: move it to the end */
		size_t idx = (size_t)(slot - s->held);
		memmove(&s->held[idx], &s->held[idx + 1],
		    sizeof(s->held[0]) * (PPP_HELD_MAX - 1 - idx));
		slot = &s->held[PPP_HELD_MAX - 1];
		while (slot > s->held && (slot - 1)->proto == 0)
			slot--;
	}
	slot->proto = proto;
	slot->len = (uint16_t)len;
	memcpy(slot->pkt, pkt, len);
}

static void
ppp_release_held(struct ppp *s)
{
	struct ppp_held held[PPP_HELD_MAX];
	int i;

	memcpy(held, s->held, sizeof(held));
	memset(s->held, 0, sizeof(s->held));
	for (i = 0; i < PPP_HELD_MAX; i++) {
		if (held[i].proto == PPP_IPCP)
			(void)ipcp_input(s, s->now, held[i].pkt, held[i].len);
		else if (held[i].proto == PPP_IPV6CP)
			(void)ipv6cp_input(s, s->now, held[i].pkt, held[i].len);
	}
}

static bool
ppp_mppe_required(const struct ppp *s)
{
	return s->cfg.mppe == PPP_MPPE_REQUIRED;
}

/* An inner IPv4/IPv6 packet from the peer (decrypted or plain). */
static int
ppp_deliver_ip(struct ppp *s, uint16_t proto, const uint8_t *pkt, size_t len)
{
	if ((proto == PPP_IP && !ipcp_is_open(s)) ||
	    (proto == PPP_IPV6 && !ipv6cp_is_open(s)) ||
	    (proto != PPP_IP && proto != PPP_IPV6) || len == 0) {
		s->stats.rx_dropped++;
		return ERR_STATE;
	}
	s->stats.rx_ip_packets++;
	s->stats.rx_bytes += len;
	s->io.deliver(s->io.ctx, proto, pkt, len);
	return 0;
}

/* A 0x00FD frame: decrypt, then the inner frame's protocol field (which
 * a peer may have compressed: Linux ppp_mppe.c undoes PFC here too). */
static int
ppp_input_mppe(struct ppp *s, uint64_t now, const uint8_t *info, size_t len)
{
	size_t outlen = 0, hl;
	uint16_t proto;
	int ret;

	if (!ccp_is_active(s)) {
		s->stats.rx_dropped++;
		return ERR_STATE;
	}
	ret = ccp_decrypt(s, now, info, len, s->rx, sizeof(s->rx), &outlen);
	if (ret != 0) {
		s->stats.mppe_rx_drops++;
		s->stats.rx_dropped++;
		return ret;
	}
	if (outlen >= 1 && (s->rx[0] & 1) != 0) {
		proto = s->rx[0];
		hl = 1;
	} else if (outlen >= 2) {
		proto = (uint16_t)(s->rx[0] << 8 | s->rx[1]);
		hl = 2;
	} else {
		s->stats.rx_dropped++;
		return ERR_TRUNCATED;
	}
	return ppp_deliver_ip(s, proto, s->rx + hl, outlen - hl);
}

static int
ppp_input_frame(struct ppp *s, uint64_t now, const uint8_t *frame, size_t len)
{
	struct ppp_frame f;
	struct rd r, info;
	const uint8_t *p;
	size_t n;
	int ret;

	if (s->phase == PPP_PHASE_DEAD) {
		s->stats.rx_dropped++;
		return ERR_STATE;
	}
	rd_init(&r, frame, len);
	ret = ppp_frame_decode(&r, &f, &info);
	if (ret != 0 && ret != ERR_PROTO) {
		s->stats.rx_dropped++;
		return ret;
	}
	s->stats.rx_frames++;
	lcp_rx_activity(s, now);
	p = rd_cur(&info);
	n = rd_left(&info);
	if (ret == ERR_PROTO)
		goto reject;

	switch (f.proto) {
	case PPP_LCP:
		return lcp_input(s, now, p, n);
	case PPP_PAP:
	case PPP_CHAP:
		if (s->phase != PPP_PHASE_AUTHENTICATE &&
		    s->phase != PPP_PHASE_NETWORK)
			break;
		return auth_input(s, now, f.proto, p, n);
	case PPP_CCP:
		if (s->cfg.mppe == PPP_MPPE_REFUSED)
			goto reject;
		if (s->phase != PPP_PHASE_NETWORK)
			break;
		return ccp_input(s, now, p, n);
	case PPP_IPV6CP:
		if (!s->cfg.ipv6)
			goto reject;
		/* FALLTHROUGH */
	case PPP_IPCP:
		if (s->phase != PPP_PHASE_NETWORK)
			break;
		if (ppp_mppe_required(s) && !ccp_is_active(s)) {
			ppp_hold(s, f.proto, p, n);
			return 0;
		}
		return f.proto == PPP_IPCP ? ipcp_input(s, now, p, n) :
		    ipv6cp_input(s, now, p, n);
	case PPP_COMP:
		return ppp_input_mppe(s, now, p, n);
	case PPP_IP:
	case PPP_IPV6:
		/* Once MPPE is agreed, or when it is required, plaintext
		 * from the peer is refused (RFC 3078 9). */
		if (ppp_mppe_required(s) || ccp_is_active(s))
			break;
		return ppp_deliver_ip(s, f.proto, p, n);
	default:
		goto reject;
	}
	/* Silently discarded: not valid in this phase (RFC 1661 3.4-3.5). */
	s->stats.rx_dropped++;
	return ERR_STATE;
reject:
	s->stats.rx_unknown_proto++;
	lcp_send_proto_rej(s, f.proto, p, n);
	return ERR_PROTO;
}

int
ppp_input(struct ppp *s, uint64_t now, const uint8_t *frame, size_t len)
{
	int ret;

	s->now = now;
	ret = ppp_input_frame(s, now, frame, len);
	ppp_run_pending(s);
	return ret;
}

int
ppp_send_ip(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len)
{
	uint16_t proto;
	size_t start, ilen;
	struct wr w, mw;
	bool mppe;
	int ret;

	s->now = now;
	if (len == 0)
		return ERR_LENGTH;
	switch (pkt[0] >> 4) {
	case 4:
		proto = PPP_IP;
		if (!ipcp_is_open(s))
			return ERR_STATE;
		break;
	case 6:
		proto = PPP_IPV6;
		if (!ipv6cp_is_open(s))
			return ERR_STATE;
		break;
	default:
		return ERR_PROTO;
	}
	mppe = ccp_is_active(s);
	if (ppp_mppe_required(s) && !mppe)
		return ERR_STATE;
	if (len + (mppe ? PPP_MPPE_OVERHEAD : 0) > ppp_peer_mru(s))
		return ERR_LENGTH;

	wr_init(&w, s->tx, sizeof(s->tx));
	if ((ret = ppp_frame_encode(&w, mppe ? PPP_COMP : proto,
	    s->lcp.tx_acfc, s->lcp.tx_pfc)) != 0)
		return ret;
	start = wr_len(&w);
	if (!mppe) {
		if ((ret = wr_bytes(&w, pkt, len)) != 0)
			return ret;
	} else {
		/* Lay the inner frame where its ciphertext will go (after
		 * the 2-octet MPPE header) and encrypt it in place.  The
		 * inner protocol is sent uncompressed, as Linux does. */
		ilen = 2 + len;
		if (start + MPPE_HDR_LEN + ilen > sizeof(s->tx))
			return ERR_LENGTH;
		s->tx[start + MPPE_HDR_LEN] = (uint8_t)(proto >> 8);
		s->tx[start + MPPE_HDR_LEN + 1] = (uint8_t)proto;
		memcpy(s->tx + start + MPPE_HDR_LEN + 2, pkt, len);
		wr_init(&mw, s->tx + start, sizeof(s->tx) - start);
		if ((ret = ccp_encrypt(s, s->tx + start + MPPE_HDR_LEN, ilen,
		    &mw)) != 0)
			return ret;
		w.off = start + wr_len(&mw);
	}
	s->stats.tx_frames++;
	s->stats.tx_ip_packets++;
	s->stats.tx_bytes += len;
	s->io.send(s->io.ctx, s->tx, wr_len(&w));
	return 0;
}

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t
ppp_deadline(const struct ppp *s)
{
	if (s->phase == PPP_PHASE_DEAD)
		return UINT64_MAX;
	return min64(min64(lcp_deadline(s), auth_deadline(s)),
	    min64(ccp_deadline(s), ncp_deadline(s)));
}

int
ppp_timeout(struct ppp *s, uint64_t now)
{
	s->now = now;
	if (s->phase == PPP_PHASE_DEAD)
		return 0;
	lcp_timeout(s, now);
	if (s->phase != PPP_PHASE_DEAD)
		auth_timeout(s, now);
	if (s->phase != PPP_PHASE_DEAD)
		ccp_timeout(s, now);
	if (s->phase != PPP_PHASE_DEAD)
		ncp_timeout(s, now);
	ppp_run_pending(s);
	return 0;
}

int
ppp_close(struct ppp *s, uint64_t now, const char *reason)
{
	s->now = now;
	if (s->phase == PPP_PHASE_DEAD)
		return ERR_STATE;
	ppp_fail(s, PPP_DOWN_ADMIN, 0, "%s",
	    reason != NULL ? reason : "administrative close");
	ppp_run_pending(s);
	return 0;
}

/* Emits PPP_EV_DOWN once, with the recorded reason. */
static void
ppp_report_down(struct ppp *s, enum ppp_down_reason fallback,
    const char *fallback_text)
{
	struct ppp_event ev;

	if (s->down_reported)
		return;
	if (!s->down_set) {
		s->down_set = true;
		s->down_reason = fallback;
		snprintf(s->down_text, sizeof(s->down_text), "%s",
		    fallback_text);
	}
	s->down_reported = true;
	s->phase = PPP_PHASE_DEAD;
	memset(&ev, 0, sizeof(ev));
	ev.type = PPP_EV_DOWN;
	ev.u.down.reason = s->down_reason;
	ev.u.down.mschap_error = s->down_mschap_error;
	ev.text = s->down_text;
	ppp_emit(s, &ev);
}

int
ppp_lower_down(struct ppp *s, uint64_t now)
{
	s->now = now;
	if (s->phase == PPP_PHASE_DEAD && s->down_reported)
		return ERR_STATE;
	s->close_pending = false;
	ncp_lower_down(s, now);
	ccp_lower_down(s, now);
	lcp_lower_down(s, now);
	ppp_report_down(s, PPP_DOWN_LOWER, "the tunnel went down");
	return 0;
}

int
ppp_auth_answer(struct ppp *s, uint64_t now, const struct ppp_auth_answer *a)
{
	int ret;

	s->now = now;
	if (s->cfg.role != PPP_ROLE_SERVER || !s->auth.pending)
		return ERR_STATE;
	if (a->accept) {
		s->ipcp.local = a->local_ip;
		s->ipcp.peer = a->peer_ip;
	}
	ret = auth_answer(s, now, a);
	ppp_run_pending(s);
	return ret;
}

enum ppp_phase
ppp_phase(const struct ppp *s)
{
	return s->phase;
}

const struct ppp_stats *
ppp_stats(const struct ppp *s)
{
	return &s->stats;
}

const char *
ppp_phase_name(enum ppp_phase p)
{
	static const char *const names[] = {
		[PPP_PHASE_DEAD] = "dead",
		[PPP_PHASE_ESTABLISH] = "establish",
		[PPP_PHASE_AUTHENTICATE] = "authenticate",
		[PPP_PHASE_NETWORK] = "network",
		[PPP_PHASE_TERMINATE] = "terminate",
	};

	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

const char *
ppp_down_reason_name(enum ppp_down_reason r)
{
	static const char *const names[] = {
		[PPP_DOWN_ADMIN] = "admin",
		[PPP_DOWN_LOWER] = "lower-layer-down",
		[PPP_DOWN_PEER] = "peer-terminated",
		[PPP_DOWN_NEGOTIATION] = "negotiation-failed",
		[PPP_DOWN_NO_ANSWER] = "no-answer",
		[PPP_DOWN_AUTH_FAILED] = "auth-failed",
		[PPP_DOWN_AUTH_TIMEOUT] = "auth-timeout",
		[PPP_DOWN_AUTH_POLICY] = "auth-policy",
		[PPP_DOWN_MPPE] = "mppe-not-agreed",
		[PPP_DOWN_ECHO] = "echo-timeout",
		[PPP_DOWN_LOOPBACK] = "loopback",
		[PPP_DOWN_PROTOCOL] = "protocol-error",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

/* --- services for the parts (ppp_int.h) --- */

void
ppp_send_proto(struct ppp *s, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t buf[PPP_FRAME_MAX + PPP_FRAME_HDR_MAX];
	struct wr w;

	/* Control packets are built by the parts in their own buffers, so
	 * this frames into a local one and leaves s->tx to the data path. */
	wr_init(&w, buf, sizeof(buf));
	if (ppp_frame_encode(&w, proto, s->lcp.tx_acfc, s->lcp.tx_pfc) != 0 ||
	    wr_bytes(&w, info, len) != 0)
		return;
	s->stats.tx_frames++;
	s->io.send(s->io.ctx, buf, wr_len(&w));
}

void
ppp_emit(struct ppp *s, const struct ppp_event *ev)
{
	/* Remember who the peer said it was, for AUTH_OK and logs. */
	if (ev->type == PPP_EV_AUTH_REQUEST)
		snprintf(s->peer_name, sizeof(s->peer_name), "%s",
		    ev->u.auth.user);
	s->io.event(s->io.ctx, ev);
}

void
ppp_log(struct ppp *s, const char *fmt, ...)
{
	struct ppp_event ev;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->logbuf, sizeof(s->logbuf), fmt, ap);
	va_end(ap);
	memset(&ev, 0, sizeof(ev));
	ev.type = PPP_EV_LOG;
	ev.text = s->logbuf;
	ppp_emit(s, &ev);
}

void
ppp_fail(struct ppp *s, enum ppp_down_reason reason, uint32_t mschap_error,
    const char *fmt, ...)
{
	va_list ap;

	if (!s->down_set) {
		s->down_set = true;
		s->down_reason = reason;
		s->down_mschap_error = mschap_error;
		va_start(ap, fmt);
		vsnprintf(s->down_text, sizeof(s->down_text), fmt, ap);
		va_end(ap);
	}
	if (s->phase != PPP_PHASE_DEAD) {
		s->phase = PPP_PHASE_TERMINATE;
		s->close_pending = true;
	}
}

void
ppp_random(struct ppp *s, void *buf, size_t n)
{
	s->io.random(s->io.ctx, buf, n);
}

void
ppp_lcp_up(struct ppp *s)
{
	bool auth = s->cfg.role == PPP_ROLE_SERVER ? s->lcp.auth_proto != 0 :
	    s->lcp.peer_auth_proto != 0;

	if (s->down_set)
		return;
	if (auth) {
		s->phase = PPP_PHASE_AUTHENTICATE;
		auth_start(s, s->now);
	} else if (s->cfg.role == PPP_ROLE_SERVER) {
		/* A server never lets a peer into the network phase
		 * unauthenticated; LCP always asks for a method. */
		ppp_fail(s, PPP_DOWN_AUTH_POLICY, 0,
		    "LCP opened without an authentication protocol");
	} else {
		ppp_auth_done(s);
	}
}

void
ppp_lcp_down(struct ppp *s)
{
	ncp_lower_down(s, s->now);
	ccp_lower_down(s, s->now);
	auth_stop(s);
	memset(s->held, 0, sizeof(s->held));
	if (s->phase != PPP_PHASE_DEAD)
		s->phase = PPP_PHASE_TERMINATE;
}

void
ppp_lcp_finished(struct ppp *s)
{
	s->close_pending = false;
	ppp_report_down(s, PPP_DOWN_NEGOTIATION, "LCP negotiation ended");
}

void
ppp_auth_done(struct ppp *s)
{
	struct ppp_event ev;

	if (s->down_set)
		return;
	if (s->cfg.role == PPP_ROLE_SERVER && !s->auth.done) {
		ppp_fail(s, PPP_DOWN_AUTH_POLICY, 0,
		    "network phase refused: the peer is not authenticated");
		return;
	}
	if (s->auth.done) {
		memset(&ev, 0, sizeof(ev));
		ev.type = PPP_EV_AUTH_OK;
		ev.u.auth_ok.method = s->auth.method;
		snprintf(ev.u.auth_ok.user, sizeof(ev.u.auth_ok.user), "%s",
		    s->cfg.role == PPP_ROLE_CLIENT ? s->cfg.user :
		    s->peer_name);
		ppp_emit(s, &ev);
	}
	s->phase = PPP_PHASE_NETWORK;
	if (s->cfg.mppe != PPP_MPPE_REFUSED)
		ccp_open(s, s->now);
	if (!ppp_mppe_required(s))
		ncp_open(s, s->now);
}

void
ppp_ccp_up(struct ppp *s)
{
	if (s->down_set)
		return;
	ppp_log(s, "mppe: %u-bit %s on", s->ccp.bits,
	    s->ccp.stateless ? "stateless" : "stateful");
	if (ppp_mppe_required(s)) {
		ncp_open(s, s->now);
		ppp_release_held(s);
	}
}

void
ppp_ncp_up(struct ppp *s, uint16_t proto)
{
	struct ppp_event ev;
	bool mppe = ccp_is_active(s);
	uint16_t mtu = (uint16_t)(ppp_peer_mru(s) -
	    (mppe || ppp_mppe_required(s) ? PPP_MPPE_OVERHEAD : 0));

	memset(&ev, 0, sizeof(ev));
	if (proto == PPP_IPCP) {
		ev.type = PPP_EV_IP_UP;
		ev.u.ip.local = s->ipcp.local;
		ev.u.ip.peer = s->ipcp.peer;
		if (s->cfg.role == PPP_ROLE_CLIENT) {
			ev.u.ip.dns[0] = s->ipcp.dns[0];
			ev.u.ip.dns[1] = s->ipcp.dns[1];
		} else {
			ev.u.ip.dns[0] = s->cfg.dns[0];
			ev.u.ip.dns[1] = s->cfg.dns[1];
		}
		ev.u.ip.mppe_bits = mppe ? s->ccp.bits : 0;
		ev.u.ip.mppe_stateless = mppe && s->ccp.stateless;
		ev.u.ip.mtu = mtu;
	} else {
		ev.type = PPP_EV_IPV6_UP;
		memcpy(ev.u.ipv6.local_id, s->ipv6cp.local_id, 8);
		memcpy(ev.u.ipv6.peer_id, s->ipv6cp.peer_id, 8);
		ev.u.ipv6.mtu = mtu;
	}
	ppp_emit(s, &ev);
}

size_t
ppp_peer_mru(const struct ppp *s)
{
	size_t mru = s->lcp.peer_mru != 0 ? s->lcp.peer_mru : 1500;

	return mru < PPP_FRAME_MAX ? mru : PPP_FRAME_MAX;
}

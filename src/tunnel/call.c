/*
 * call.c - a tunnel call's life cycle (call.h): creation with its TUN
 * device, window and PPP session; start, authentication answers, close and
 * lower-down; PPP events, with the TUN configured on IPCP up (RFC 1332:
 * point-to-point IPv4 local/peer, MTU from the peer's MRU, RFC 1661 6.1)
 * and on IPV6CP up (RFC 5072 5: fe80::<interface identifier>); detaching
 * and (deferred) freeing; counters and their printers.
 *
 * The packet path is in call_io.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "../base/log.h"
#include "../base/secret.h"
#include "../wire/ip.h"
#include "../os/random.h"
#include "call_int.h"

/* The MTU used when IPV6CP opens before IPCP (IPV6_UP carries none): the
 * usual PPTP MRU less the MPPE overhead.  IP_UP sets the real one. */
#define TUNNEL_MTU_FALLBACK	(PPP_MRU_DEFAULT - 4)

void
tunnel_call_config_default(struct tunnel_call_config *c, enum ppp_role role)
{
	memset(c, 0, sizeof(*c));
	gre_win_config_default(&c->gre);
	ppp_config_default(&c->ppp, role);
	snprintf(c->tun_name, sizeof(c->tun_name), "pptp%%d");
	c->mss_clamp = true;
	c->tun_batch = TUNNEL_TUN_BATCH;
}

/* --- re-entrancy --- */

static void
call_run_close(struct tunnel_call *c)
{
	uint64_t now = ev_now(c->loop);

	if (c->lower_down_pending) {
		c->lower_down_pending = false;
		c->close_pending = false;
		(void)ppp_lower_down(c->ppp, now);
		return;
	}
	c->close_pending = false;
	/* A session never started (or already dead, DOWN unreported) has
	 * nothing to terminate: lower_down reports DOWN at once. */
	if (ppp_close(c->ppp, now, c->close_reason) == ERR_STATE)
		(void)ppp_lower_down(c->ppp, now);
}

void
tunnel_call_enter(struct tunnel_call *c)
{
	c->depth++;
}

void
tunnel_call_leave(struct tunnel_call *c)
{
	if (--c->depth > 0)
		return;
	while (!c->detached && (c->close_pending || c->lower_down_pending)) {
		c->depth++;
		call_run_close(c);
		c->depth--;
	}
	if (c->detached)
		return;
	tunnel_call_tx_resume(c);
	tunnel_call_ack_check(c);
	tunnel_call_timer_arm(c);
}

/* Flushes the mux when the API was called from outside any processing of
 * this call (else the processing's own callback flushes). */
static void
call_api_done(struct tunnel_call *c)
{
	if (c->depth == 0)
		(void)gre_mux_flush(c->mux);
}

/* --- randomness --- */

static void
random_default(void *buf, size_t n)
{
	if (!os_random(buf, n))
		log_msg(LOG_ERROR, NULL, "tunnel: no source of random bytes");
}

void
tunnel_call_ppp_random(void *ctx, void *buf, size_t n)
{
	struct tunnel_call *c = ctx;

	if (c->random != NULL)
		c->random(c->ctx, buf, n);
	else
		random_default(buf, n);
}

/* --- TUN configuration --- */

/* A host-order IPv4 address (as PPP gives it) as struct in_addr. */
static struct in_addr
in4_from_host(uint32_t v)
{
	struct in_addr a;
	uint8_t b[4] = {
		(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
		(uint8_t)v,
	};

	memcpy(&a.s_addr, b, 4);
	return a;
}

static void
in6_link_local(struct in6_addr *a, const uint8_t id[8])
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xfe;
	a->s6_addr[1] = 0x80;
	memcpy(&a->s6_addr[8], id, 8);
}

static void
call_log_sys(const struct tunnel_call *c, enum log_level lvl,
    const struct netcfg *nc, const char *what)
{
	const char *kmsg = nc != NULL ? netcfg_error(nc) : "";

	log_msg(lvl, c->prefix, "tun=%s %s failed: %s%s%s", c->tun.name, what,
	    strerror(errno), kmsg[0] != '\0' ? ": " : "", kmsg);
}

/* The owner's netcfg, or a temporary one in *tmp (closed by the caller). */
static struct netcfg *
call_netcfg(struct tunnel_call *c, struct netcfg *tmp)
{
	if (c->nc != NULL)
		return c->nc;
	if (netcfg_open(tmp) != 0) {
		call_log_sys(c, LOG_ERROR, NULL, "netlink open");
		return NULL;
	}
	return tmp;
}

/* MTU, then link up (IPv6 addresses need an up link). */
static int
call_link_up(struct tunnel_call *c, struct netcfg *nc, unsigned mtu)
{
	int ret;

	if ((ret = netcfg_link_set_mtu(nc, c->tun.ifindex, mtu)) != 0) {
		call_log_sys(c, LOG_ERROR, nc, "set mtu");
		return ret;
	}
	if (!c->link_up) {
		if ((ret = netcfg_link_set_up(nc, c->tun.ifindex, true)) != 0) {
			call_log_sys(c, LOG_ERROR, nc, "link up");
			return ret;
		}
		c->link_up = true;
	}
	return 0;
}

static void
call_set_mss(struct tunnel_call *c, unsigned mtu)
{
	c->mss4 = ip_mss_for_mtu(mtu, false);
	c->mss6 = ip_mss_for_mtu(mtu, true);
}

static int
call_config_ipv4(struct tunnel_call *c, const struct ppp_event *ev)
{
	struct netcfg tmp, *nc;
	int ret;

	if ((nc = call_netcfg(c, &tmp)) == NULL)
		return ERR_SYS;
	if ((ret = call_link_up(c, nc, ev->u.ip.mtu)) == 0 &&
	    (ret = netcfg_addr4_add_ptp(nc, c->tun.ifindex,
	    in4_from_host(ev->u.ip.local), in4_from_host(ev->u.ip.peer))) != 0) {
		if (errno == EEXIST)	/* IPCP renegotiated the same */
			ret = 0;
		else
			call_log_sys(c, LOG_ERROR, nc, "ipv4 address");
	}
	if (nc == &tmp)
		netcfg_close(&tmp);
	if (ret == 0) {
		c->mtu = ev->u.ip.mtu;
		call_set_mss(c, c->mtu);
		log_msg(LOG_DEBUG, c->prefix, "tun=%s ipv4 up mtu=%u",
		    c->tun.name, c->mtu);
	}
	return ret;
}

static int
call_config_ipv6(struct tunnel_call *c, const struct ppp_event *ev)
{
	struct netcfg tmp, *nc;
	struct in6_addr local, peer;
	unsigned mtu = c->mtu != 0 ? c->mtu : TUNNEL_MTU_FALLBACK;
	int ret = 0;

	if ((nc = call_netcfg(c, &tmp)) == NULL)
		return ERR_SYS;
	in6_link_local(&local, ev->u.ipv6.local_id);
	in6_link_local(&peer, ev->u.ipv6.peer_id);
	if (!c->link_up)
		ret = call_link_up(c, nc, mtu);
	if (ret == 0 && (ret = netcfg_addr6_add(nc, c->tun.ifindex, &local,
	    128, &peer)) != 0) {
		if (errno == EEXIST)
			ret = 0;
		else
			call_log_sys(c, LOG_WARN, nc, "ipv6 address");
	}
	if (nc == &tmp)
		netcfg_close(&tmp);
	if (ret == 0 && c->mtu == 0)
		call_set_mss(c, mtu);
	return ret;
}

/* --- PPP events --- */

void
tunnel_call_ppp_event(void *ctx, const struct ppp_event *ev)
{
	struct tunnel_call *c = ctx;

	if (c->detached)
		return;
	switch (ev->type) {
	case PPP_EV_IP_UP:
		if (call_config_ipv4(c, ev) != 0) {
			/* No usable interface: the session cannot carry
			 * anything.  The DOWN text says why. */
			snprintf(c->close_reason, sizeof(c->close_reason),
			    "tun %s: ipv4 configuration failed", c->tun.name);
			c->close_pending = true;
			return;
		}
		c->ip_up = true;
		tunnel_call_tun_apply(c);
		break;
	case PPP_EV_IPV6_UP:
		if (call_config_ipv6(c, ev) != 0)
			return;		/* logged; IPv4 may still serve */
		c->ipv6_up = true;
		tunnel_call_tun_apply(c);
		break;
	case PPP_EV_DOWN:
		c->down = true;
		c->close_pending = c->lower_down_pending = false;
		c->ip_up = c->ipv6_up = false;
		tunnel_call_tx_drop_data(c);
		tunnel_call_tun_apply(c);
		break;
	default:
		break;
	}
	c->event(c->ctx, c, ev);
}

/* --- life cycle --- */

/* Releases the loop, mux and TUN resources; the memory stays. */
static void
call_detach(struct tunnel_call *c)
{
	if (c->detached)
		return;
	c->detached = true;
	if (c->mux != NULL)
		gre_mux_del(c->mux, &c->entry);
	ev_timer_fini(&c->timer);
	if (c->tun_added) {
		(void)ev_io_del(c->loop, c->tun.fd);
		c->tun_added = false;
	}
	tun_close(&c->tun);
	c->tun.name[0] = '\0';
	c->tun.ifindex = 0;
}

int
tunnel_call_new(struct tunnel_call **out, struct ev_loop *loop,
    struct gre_mux *mux, const struct tunnel_call_config *cfg)
{
	struct tunnel_call *c;
	struct ppp_io io;
	int ret, saved;

	if (out == NULL)
		return ERR_INVAL;
	*out = NULL;
	if (loop == NULL || mux == NULL || cfg == NULL || cfg->event == NULL ||
	    cfg->tun_batch < 1 || cfg->tun_batch > TUNNEL_TUN_BATCH_MAX)
		return ERR_INVAL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ERR_NOMEM;
	c->loop = loop;
	c->tun.fd = -1;
	c->peer = cfg->peer;
	c->our_id = cfg->our_call_id;
	c->peer_id = cfg->peer_call_id;
	c->nc = cfg->nc;
	c->event = cfg->event;
	c->random = cfg->random;
	c->ctx = cfg->ctx;
	c->tun_batch = cfg->tun_batch;
	c->mss_clamp = cfg->mss_clamp;
	if (cfg->log_prefix[0] != '\0')
		snprintf(c->prefix, sizeof(c->prefix), "%s", cfg->log_prefix);
	else
		snprintf(c->prefix, sizeof(c->prefix), "call=%u",
		    (unsigned)c->our_id);

	if ((ret = tun_open(&c->tun, cfg->tun_name[0] != '\0' ?
	    cfg->tun_name : "pptp%d")) != 0)
		goto fail;
	if ((ret = ev_io_add(loop, c->tun.fd, 0, tunnel_call_on_tun, c)) != 0)
		goto fail;
	c->tun_added = true;
	if ((ret = ev_timer_init(&c->timer, loop, tunnel_call_on_timer,
	    c)) != 0)
		goto fail;
	if ((ret = gre_win_init(&c->win, &cfg->gre, tunnel_call_gre_deliver,
	    c)) != 0)
		goto fail;
	memset(&io, 0, sizeof(io));
	io.ctx = c;
	io.send = tunnel_call_ppp_send;
	io.deliver = tunnel_call_ppp_deliver;
	io.event = tunnel_call_ppp_event;
	io.random = tunnel_call_ppp_random;
	if ((ret = ppp_new(&c->ppp, &cfg->ppp, &io)) != 0)
		goto fail;
	if ((ret = gre_mux_add(mux, &c->entry, c->peer, c->our_id,
	    tunnel_call_gre_rx, c)) != 0)
		goto fail;
	c->mux = mux;
	*out = c;
	return 0;
fail:
	saved = errno;
	tunnel_call_free(c);
	errno = saved;
	return ret;
}

int
tunnel_call_start(struct tunnel_call *c)
{
	int ret;

	if (c->started || c->detached)
		return ERR_STATE;
	c->started = true;
	tunnel_call_enter(c);
	ret = ppp_start(c->ppp, ev_now(c->loop));
	tunnel_call_leave(c);
	call_api_done(c);
	return ret;
}

int
tunnel_call_auth_answer(struct tunnel_call *c, const struct ppp_auth_answer *a)
{
	int ret;

	if (c->detached)
		return ERR_STATE;
	tunnel_call_enter(c);
	ret = ppp_auth_answer(c->ppp, ev_now(c->loop), a);
	tunnel_call_leave(c);
	call_api_done(c);
	return ret;
}

int
tunnel_call_close(struct tunnel_call *c, const char *reason)
{
	if (c->detached || c->down)
		return ERR_STATE;
	if (!c->close_pending)
		snprintf(c->close_reason, sizeof(c->close_reason), "%s",
		    reason != NULL ? reason : "administrative close");
	c->close_pending = true;
	tunnel_call_enter(c);		/* the outermost leave runs it */
	tunnel_call_leave(c);
	call_api_done(c);
	return 0;
}

int
tunnel_call_lower_down(struct tunnel_call *c)
{
	if (c->detached || c->down)
		return ERR_STATE;
	c->lower_down_pending = true;
	tunnel_call_enter(c);
	tunnel_call_leave(c);
	call_api_done(c);
	return 0;
}

static void
call_free_deferred(void *ptr)
{
	struct tunnel_call *c = ptr;

	c->free_queued = false;
	tunnel_call_free(c);
}

int
tunnel_call_free_later(struct tunnel_call *c)
{
	int ret;

	call_detach(c);
	if (c->free_queued)
		return 0;
	if ((ret = ev_defer(c->loop, call_free_deferred, c)) != 0)
		return ret;
	c->free_queued = true;
	return 0;
}

void
tunnel_call_free(struct tunnel_call *c)
{
	if (c == NULL)
		return;
	call_detach(c);
	if (c->free_queued)
		return;			/* the deferred free will do it */
	ppp_free(c->ppp);
	gre_win_fini(&c->win);
	/* Frames waiting for the window were MPPE ciphertext or control;
	 * wipe the lot anyway, it costs nothing at tear-down. */
	secret_wipe(c, sizeof(*c));
	free(c);
}

/* --- accessors --- */

const char *
tunnel_call_ifname(const struct tunnel_call *c)
{
	return c->tun.name;
}

unsigned
tunnel_call_ifindex(const struct tunnel_call *c)
{
	return c->tun.ifindex;
}

uint16_t
tunnel_call_our_id(const struct tunnel_call *c)
{
	return c->our_id;
}

uint16_t
tunnel_call_peer_id(const struct tunnel_call *c)
{
	return c->peer_id;
}

struct in_addr
tunnel_call_peer(const struct tunnel_call *c)
{
	return c->peer;
}

enum ppp_phase
tunnel_call_phase(const struct tunnel_call *c)
{
	return ppp_phase(c->ppp);
}

bool
tunnel_call_ip_up(const struct tunnel_call *c)
{
	return c->ip_up;
}

bool
tunnel_call_ipv6_up(const struct tunnel_call *c)
{
	return c->ipv6_up;
}

unsigned
tunnel_call_mtu(const struct tunnel_call *c)
{
	return c->mtu;
}

/* --- counters --- */

void
tunnel_call_stats(const struct tunnel_call *c, struct tunnel_call_stats *out)
{
	*out = c->cnt;
	out->gre = *gre_win_stats(&c->win);
	out->ppp = *ppp_stats(c->ppp);
}

void
tunnel_call_summary_print(const struct tunnel_call_stats *s, struct sbuf *sb)
{
	sbuf_printf(sb, "in=%lluB/%llup out=%lluB/%llup gre_lost=%llu "
	    "gre_reordered=%llu gre_dup=%llu rtt_us=%llu",
	    (unsigned long long)s->tun_tx_bytes,
	    (unsigned long long)s->tun_tx_packets,
	    (unsigned long long)s->tun_rx_bytes,
	    (unsigned long long)s->tun_rx_packets,
	    (unsigned long long)s->gre.rx_lost,
	    (unsigned long long)s->gre.rx_reordered,
	    (unsigned long long)s->gre.rx_under_win,
	    (unsigned long long)s->gre.rtt_us);
}

void
tunnel_call_stats_print(const struct tunnel_call_stats *s, struct sbuf *sb)
{
	sbuf_printf(sb, "tun rx=%llu/%lluB dropped=%llu errors=%llu "
	    "tx=%llu/%lluB dropped=%llu mss_out=%llu mss_in=%llu | "
	    "gre rx=%llu tx_data=%llu tx_ack_only=%llu tx_errors=%llu "
	    "window_full=%llu tun_paused=%llu ctrl_queued=%llu "
	    "ctrl_dropped=%llu | ",
	    (unsigned long long)s->tun_rx_packets,
	    (unsigned long long)s->tun_rx_bytes,
	    (unsigned long long)s->tun_rx_dropped,
	    (unsigned long long)s->tun_rx_errors,
	    (unsigned long long)s->tun_tx_packets,
	    (unsigned long long)s->tun_tx_bytes,
	    (unsigned long long)s->tun_tx_dropped,
	    (unsigned long long)s->mss_clamped_out,
	    (unsigned long long)s->mss_clamped_in,
	    (unsigned long long)s->gre_rx_packets,
	    (unsigned long long)s->gre_tx_data,
	    (unsigned long long)s->gre_tx_ack_only,
	    (unsigned long long)s->gre_tx_errors,
	    (unsigned long long)s->tx_window_full,
	    (unsigned long long)s->tun_paused,
	    (unsigned long long)s->ctrl_queued,
	    (unsigned long long)s->ctrl_dropped);
	gre_win_stats_print(&s->gre, sb);
	sbuf_printf(sb, " | ppp rx=%llu/%lluB tx=%llu/%lluB dropped=%llu "
	    "unknown_proto=%llu mppe_drops=%llu resets_sent=%llu "
	    "resets_rcvd=%llu echo_sent=%llu echo_rcvd=%llu",
	    (unsigned long long)s->ppp.rx_frames,
	    (unsigned long long)s->ppp.rx_bytes,
	    (unsigned long long)s->ppp.tx_frames,
	    (unsigned long long)s->ppp.tx_bytes,
	    (unsigned long long)s->ppp.rx_dropped,
	    (unsigned long long)s->ppp.rx_unknown_proto,
	    (unsigned long long)s->ppp.mppe_rx_drops,
	    (unsigned long long)s->ppp.mppe_resets_sent,
	    (unsigned long long)s->ppp.mppe_resets_rcvd,
	    (unsigned long long)s->ppp.echo_sent,
	    (unsigned long long)s->ppp.echo_rcvd);
}

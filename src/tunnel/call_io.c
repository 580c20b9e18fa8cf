/*
 * call_io.c - the packet path of a tunnel call (call.h): PPP frames into
 * enhanced GRE with sequence and piggybacked acknowledgment numbers (RFC
 * 2637 sections 4.1-4.2), ack-only packets (4.2, 4.3), the send window and
 * what waits for it, GRE into PPP through the receive window (4.3), the TUN
 * device both ways with TCP MSS clamping, and the one timer.
 *
 * Time: PPP counts milliseconds and takes ev_now() as it is.  The window
 * counts microseconds, so that LAN round trips (far below a millisecond)
 * give real RTT samples: it reads CLOCK_MONOTONIC itself, the clock behind
 * ev_now(), a vDSO call of some tens of nanoseconds.  Its deadlines are
 * rounded up to the next millisecond for the loop's timer; ev_now() only
 * trails the clock, so when the timer fires the deadline has passed.
 */
#include <string.h>
#include <time.h>

#include "../wire/ip.h"
#include "call_int.h"

uint64_t
tunnel_call_now_us(const struct tunnel_call *c)
{
	struct timespec ts;

	(void)c;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void
tunnel_call_tun_apply(struct tunnel_call *c)
{
	unsigned want;

	if (!c->tun_added)
		return;
	want = (c->ip_up || c->ipv6_up) && !c->down && !c->tun_paused &&
	    !c->detached ? EV_READ : 0;
	if (want != c->tun_events && ev_io_mod(c->loop, c->tun.fd, want) == 0)
		c->tun_events = want;
}

static void
tun_pause(struct tunnel_call *c)
{
	if (c->tun_paused)
		return;
	c->tun_paused = true;
	c->cnt.tun_paused++;
	tunnel_call_tun_apply(c);
}

/* --- out: PPP frames into GRE --- */

/*
 * One PPP frame as a GRE data packet (S=1, A when an ack is pending, key
 * Call ID = the peer's).  ERR_NOSPACE when the window is full (nothing
 * sent); otherwise 0, the sequence number used even if the mux refused it.
 */
static int
tx_frame(struct tunnel_call *c, const uint8_t *frame, size_t len)
{
	struct gre_hdr h;
	uint32_t seq, ack;
	bool has_ack;
	int ret;

	if ((ret = gre_win_next_tx(&c->win, tunnel_call_now_us(c), &seq,
	    &has_ack, &ack)) != 0)
		return ret;
	memset(&h, 0, sizeof(h));
	h.has_seq = true;
	h.seq = seq;
	h.has_ack = has_ack;
	h.ack = ack;
	h.payload_len = (uint16_t)len;
	h.call_id = c->peer_id;
	if (gre_mux_send(c->mux, c->peer, &h, frame, len) == 0)
		c->cnt.gre_tx_data++;
	else
		c->cnt.gre_tx_errors++;
	return 0;
}

static void
ctrl_enqueue(struct tunnel_call *c, const uint8_t *frame, size_t len)
{
	unsigned i;

	if (c->ctrl_n == TUNNEL_CTRL_QUEUE) {
		c->cnt.ctrl_dropped++;
		return;
	}
	i = (c->ctrl_head + c->ctrl_n) % TUNNEL_CTRL_QUEUE;
	memcpy(c->ctrl[i], frame, len);
	c->ctrl_len[i] = (uint16_t)len;
	c->ctrl_n++;
	c->cnt.ctrl_queued++;
}

/*
 * PPP's io->send.  Frames sent while ppp_send_ip runs are data (an inner
 * IP packet, MPPE-encrypted or not); every other frame is control.  Control
 * frames keep their order behind those already waiting; data waits in the
 * one slot, and the TUN stops being read.
 */
void
tunnel_call_ppp_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct tunnel_call *c = ctx;

	if (c->detached)
		return;
	if (len == 0 || len > PPP_FRAME_MAX) {
		c->cnt.gre_tx_errors++;
		return;
	}
	if (c->in_send_ip) {
		if (c->held_len == 0 && c->ctrl_n == 0 &&
		    tx_frame(c, frame, len) == 0)
			return;
		if (c->held_len != 0) {
			/* Unreachable: reading stops while the slot is used. */
			c->cnt.tun_rx_dropped++;
			return;
		}
		memcpy(c->held, frame, len);
		c->held_len = len;
		c->cnt.tx_window_full++;
		tun_pause(c);
		return;
	}
	if (c->ctrl_n == 0 && tx_frame(c, frame, len) == 0)
		return;
	ctrl_enqueue(c, frame, len);
}

void
tunnel_call_tx_resume(struct tunnel_call *c)
{
	unsigned i;

	while (c->ctrl_n > 0 && gre_win_can_send(&c->win)) {
		i = c->ctrl_head;
		if (tx_frame(c, c->ctrl[i], c->ctrl_len[i]) != 0)
			break;
		c->ctrl_head = (i + 1) % TUNNEL_CTRL_QUEUE;
		c->ctrl_n--;
	}
	if (c->ctrl_n == 0 && c->held_len != 0 && gre_win_can_send(&c->win) &&
	    tx_frame(c, c->held, c->held_len) == 0)
		c->held_len = 0;
	if (c->tun_paused && c->ctrl_n == 0 && c->held_len == 0 &&
	    gre_win_can_send(&c->win)) {
		c->tun_paused = false;
		tunnel_call_tun_apply(c);
	}
}

void
tunnel_call_tx_drop_data(struct tunnel_call *c)
{
	c->held_len = 0;
}

void
tunnel_call_ack_check(struct tunnel_call *c)
{
	struct gre_hdr h;
	uint32_t ack;

	if (!gre_win_ack_only_due(&c->win, tunnel_call_now_us(c), &ack))
		return;
	memset(&h, 0, sizeof(h));
	h.has_ack = true;
	h.ack = ack;
	h.call_id = c->peer_id;
	if (gre_mux_send(c->mux, c->peer, &h, NULL, 0) == 0)
		c->cnt.gre_tx_ack_only++;
	else
		c->cnt.gre_tx_errors++;
	/* Recorded even when refused: a datagram lost like any other, and
	 * not retried in a loop. */
	gre_win_ack_only_sent(&c->win, ack);
}

void
tunnel_call_timer_arm(struct tunnel_call *c)
{
	uint64_t d = ppp_deadline(c->ppp), g = gre_win_deadline(&c->win), gm;

	if (g != GRE_WIN_NEVER) {
		gm = g / 1000 + (g % 1000 != 0);
		if (gm < d)
			d = gm;
	}
	/* ev_timer_set takes 0 as "disarm": a deadline of 0 is simply due. */
	ev_timer_set(&c->timer, d == UINT64_MAX ? 0 : d == 0 ? 1 : d);
}

/* --- MSS clamping --- */

/*
 * Whether pkt may be a TCP SYN that ip_mss_clamp would look at: a cheap
 * filter, so that the ordinary packet is never copied.  IPv6 extension
 * headers are left to ip_mss_clamp to walk.  Reads only within len.
 */
static bool
maybe_tcp_syn(const uint8_t *p, size_t len)
{
	size_t off;

	if (len == 0)
		return false;
	switch (p[0] >> 4) {
	case 4:
		if (len < IPV4_HDR_MIN || p[9] != IP_PROTO_TCP)
			return false;
		off = (size_t)(p[0] & 0x0f) * 4 + 13;	/* TCP flags octet */
		return off < len && (p[off] & TCP_FLAG_SYN) != 0;
	case 6:
		if (len < IPV6_HDR_LEN)
			return false;
		switch (p[6]) {
		case IP_PROTO_TCP:
			off = IPV6_HDR_LEN + 13;
			return off < len && (p[off] & TCP_FLAG_SYN) != 0;
		case IP_PROTO_HOPOPTS:
		case IP_PROTO_ROUTING:
		case IP_PROTO_FRAGMENT:
		case IP_PROTO_DSTOPTS:
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

static bool
clamp_wanted(const struct tunnel_call *c, const uint8_t *p, size_t len)
{
	return c->mss_clamp && (c->mss4 != 0 || c->mss6 != 0) &&
	    maybe_tcp_syn(p, len);
}

/* --- in: GRE into PPP into the TUN --- */

void
tunnel_call_gre_rx(void *ctx, const struct gre_hdr *h, const uint8_t *payload,
    size_t len)
{
	struct tunnel_call *c = ctx;

	if (c->detached)
		return;
	tunnel_call_enter(c);
	c->cnt.gre_rx_packets++;
	(void)gre_win_rx(&c->win, tunnel_call_now_us(c), h->has_seq, h->seq,
	    h->has_ack, h->ack, payload, len);
	tunnel_call_leave(c);
}

void
tunnel_call_gre_deliver(void *ctx, uint32_t seq, const uint8_t *p, size_t len)
{
	struct tunnel_call *c = ctx;

	(void)seq;
	if (c->detached)
		return;
	(void)ppp_input(c->ppp, ev_now(c->loop), p, len);
}

void
tunnel_call_ppp_deliver(void *ctx, uint16_t proto, const uint8_t *pkt,
    size_t len)
{
	struct tunnel_call *c = ctx;
	bool changed = false;

	(void)proto;			/* the TUN reads the version nibble */
	if (c->detached || c->down)
		return;
	if (clamp_wanted(c, pkt, len) && len <= sizeof(c->rx_copy)) {
		/* pkt is PPP's (or the socket's) buffer: clamp a copy. */
		memcpy(c->rx_copy, pkt, len);
		if (ip_mss_clamp(c->rx_copy, len, c->mss4, c->mss6,
		    &changed) == 0 && changed) {
			c->cnt.mss_clamped_in++;
			pkt = c->rx_copy;
		}
	}
	if (tun_write(&c->tun, pkt, len) == 0) {
		c->cnt.tun_tx_packets++;
		c->cnt.tun_tx_bytes += len;
	} else {
		c->cnt.tun_tx_dropped++;
	}
}

/* --- the TUN: packets toward the peer --- */

void
tunnel_call_on_tun(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct tunnel_call *c = ctx;
	struct gre_mux *mux = c->mux;
	bool changed;
	unsigned i;
	size_t n;
	int ret;

	(void)fd;
	(void)events;
	tunnel_call_enter(c);
	for (i = 0; i < c->tun_batch; i++) {
		/* A full window shows as a frame held (and reading paused)
		 * by tunnel_call_ppp_send: then stop. */
		if (c->detached || c->down || c->held_len != 0)
			break;
		ret = tun_read(&c->tun, c->tun_buf, sizeof(c->tun_buf), &n);
		if (ret == ERR_NOSPACE) {	/* truncated by the kernel */
			c->cnt.tun_rx_errors++;
			continue;
		}
		if (ret != 0) {
			c->cnt.tun_rx_errors++;
			break;
		}
		if (n == 0)
			break;
		c->cnt.tun_rx_packets++;
		c->cnt.tun_rx_bytes += n;
		if (clamp_wanted(c, c->tun_buf, n) &&
		    ip_mss_clamp(c->tun_buf, n, c->mss4, c->mss6,
		    &changed) == 0 && changed)
			c->cnt.mss_clamped_out++;
		c->in_send_ip = true;
		ret = ppp_send_ip(c->ppp, ev_now(loop), c->tun_buf, n);
		c->in_send_ip = false;
		if (ret != 0)
			c->cnt.tun_rx_dropped++;	/* not up, too big */
	}
	tunnel_call_leave(c);
	(void)gre_mux_flush(mux);
}

/* --- the timer --- */

void
tunnel_call_on_timer(struct ev_loop *loop, void *ctx)
{
	struct tunnel_call *c = ctx;
	struct gre_mux *mux = c->mux;

	tunnel_call_enter(c);
	/* Both are no-ops when nothing of theirs is due. */
	(void)ppp_timeout(c->ppp, ev_now(loop));
	if (!c->detached)
		gre_win_timeout(&c->win, tunnel_call_now_us(c));
	tunnel_call_leave(c);
	(void)gre_mux_flush(mux);
}

/*
 * call_int.h - the inside of struct tunnel_call, shared by call.c (life
 * cycle, PPP events, TUN configuration, counters) and call_io.c (the packet
 * path: GRE in and out, the window, the TUN, the timer).  Not for use
 * outside src/tunnel/.
 *
 * Re-entrancy discipline.  Every way into the call - the mux's rx, the TUN
 * and timer callbacks, the API functions - brackets its work with
 * tunnel_call_enter / tunnel_call_leave.  Closes asked for from inside
 * (depth > 0) are recorded and run by the outermost leave, which then
 * drains what waits for the window, sends a due ack-only packet and
 * re-arms the timer.  Once detached, the call does nothing but return.
 */
#ifndef PPTPKIT_TUNNEL_CALL_INT_H
#define PPTPKIT_TUNNEL_CALL_INT_H

#include "../os/tun.h"
#include "call.h"

struct tunnel_call {
	struct ev_loop		*loop;
	struct gre_mux		*mux;
	struct gre_mux_entry	 entry;
	struct in_addr		 peer;
	uint16_t		 our_id, peer_id;
	struct gre_win		 win;
	struct ppp		*ppp;
	struct tun		 tun;
	bool			 tun_added;	/* tun.fd registered on loop */
	unsigned		 tun_events;	/* what the loop watches: 0/READ */
	bool			 tun_paused;	/* stopped for the window */
	struct ev_timer		 timer;
	struct netcfg		*nc;		/* the owner's, or NULL */
	tunnel_call_event_fn	*event;
	tunnel_call_random_fn	*random;
	void			*ctx;
	unsigned		 tun_batch;
	bool			 mss_clamp;
	uint16_t		 mss4, mss6;	/* 0: not clamping yet */
	unsigned		 mtu;		/* from IP_UP; 0 before */
	/* state */
	bool			 started, ip_up, ipv6_up, link_up, down;
	bool			 detached, free_queued;
	bool			 in_send_ip;	/* frames sent now are data */
	unsigned		 depth;		/* enter/leave nesting */
	bool			 close_pending, lower_down_pending;
	char			 close_reason[PPP_REASON_MAX + 1];
	/* waiting for the window (see call.h) */
	size_t			 held_len;	/* the one data frame; 0: none */
	unsigned		 ctrl_head, ctrl_n;
	uint16_t		 ctrl_len[TUNNEL_CTRL_QUEUE];
	uint8_t			 ctrl[TUNNEL_CTRL_QUEUE][PPP_FRAME_MAX];
	uint8_t			 held[PPP_FRAME_MAX];
	/* packet buffers: a TUN read, and an inbound SYN being clamped */
	uint8_t			 tun_buf[TUNNEL_PKT_MAX];
	uint8_t			 rx_copy[TUNNEL_PKT_MAX];
	struct tunnel_call_stats cnt;		/* gre and ppp filled on read */
	char			 prefix[TUNNEL_PREFIX_MAX];
};

/* call.c */
void tunnel_call_enter(struct tunnel_call *c);
void tunnel_call_leave(struct tunnel_call *c);
void tunnel_call_ppp_event(void *ctx, const struct ppp_event *ev);
void tunnel_call_ppp_random(void *ctx, void *buf, size_t n);

/* call_io.c */
uint64_t tunnel_call_now_us(const struct tunnel_call *c);
/* Sets what the loop watches on the TUN from the state: reading while IPv4
 * or IPv6 is up, not down, not paused, not detached. */
void tunnel_call_tun_apply(struct tunnel_call *c);
/* Sends what waits for the window (control FIFO, then the data slot) and
 * resumes TUN reading once nothing waits and the window is open. */
void tunnel_call_tx_resume(struct tunnel_call *c);
/* Sends an ack-only packet if one is due. */
void tunnel_call_ack_check(struct tunnel_call *c);
/* Arms the timer for min(ppp_deadline, gre_win_deadline). */
void tunnel_call_timer_arm(struct tunnel_call *c);
/* Forgets what waits for the window: the data slot (at DOWN). */
void tunnel_call_tx_drop_data(struct tunnel_call *c);
/* The callbacks given to the mux, the window, PPP and the loop. */
void tunnel_call_gre_rx(void *ctx, const struct gre_hdr *h,
    const uint8_t *payload, size_t len);
void tunnel_call_gre_deliver(void *ctx, uint32_t seq, const uint8_t *p,
    size_t len);
void tunnel_call_ppp_send(void *ctx, const uint8_t *frame, size_t len);
void tunnel_call_ppp_deliver(void *ctx, uint16_t proto, const uint8_t *pkt,
    size_t len);
void tunnel_call_on_tun(struct ev_loop *loop, int fd, unsigned events,
    void *ctx);
void tunnel_call_on_timer(struct ev_loop *loop, void *ctx);

#endif

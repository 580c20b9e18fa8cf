/*
 * ppp_int.h - the inside of a PPP session, shared by the engine's parts:
 *
 *   session.c  phases (RFC 1661 3), framing, protocol demux, timers,
 *              events, the IP data path, holding NCP packets for CCP
 *   lcp.c      LCP options, Echo, Protocol-/Code-Reject   (lcp.h)
 *   auth.c     PAP, CHAP-MD5, MS-CHAPv1/v2, both roles     (auth.h)
 *   ccp.c      CCP option 18 and the two MPPE directions   (ccp.h)
 *   ncp.c      IPCP (RFC 1332/1877) and IPV6CP (RFC 5072)  (ncp.h)
 *
 * Each part keeps its state in its own struct inside struct ppp and talks
 * to the others only through the functions declared in these headers.
 * Every function takes `now` (ms) where time matters; none blocks or
 * allocates.  Callbacks out (io) happen synchronously inside the call.
 */
#ifndef PPTPKIT_PPP_PPP_INT_H
#define PPTPKIT_PPP_PPP_INT_H

#include <stdarg.h>

#include "../base/sbuf.h"
#include "../wire/cursor.h"
#include "../wire/ppp_proto.h"
#include "ppp.h"
#include "fsm.h"
#include "lcp.h"
#include "auth.h"
#include "ccp.h"
#include "ncp.h"

/* How many NCP packets session.c holds while CCP is still negotiating
 * (RFC 3078 9; answering them with Terminate-Ack kills Windows and MikroTik
 * links, accel-ppp#353).  Later ones replace the oldest of the same proto. */
#define PPP_HELD_MAX	4
#define PPP_HELD_LEN	256	/* NCP Configure-Requests are small */

struct ppp_held {
	uint16_t	proto;		/* 0: empty slot */
	uint16_t	len;
	uint8_t		pkt[PPP_HELD_LEN];
};

struct ppp {
	struct ppp_config	 cfg;
	struct ppp_io		 io;
	enum ppp_phase		 phase;
	struct ppp_stats	 stats;
	uint64_t		 now;	/* time of the current call */

	struct lcp_state	 lcp;
	struct auth_state	 auth;
	struct ccp_state	 ccp;
	struct ipcp_state	 ipcp;
	struct ipv6cp_state	 ipv6cp;

	struct ppp_held		 held[PPP_HELD_MAX];

	/* The reason the session is ending; the first one set wins. */
	bool			 down_set;
	bool			 down_reported;	/* PPP_EV_DOWN emitted */
	bool			 close_pending;	/* ppp_fail asked; run on exit */
	enum ppp_down_reason	 down_reason;
	uint32_t		 down_mschap_error;
	char			 down_text[PPP_REASON_MAX + 1];

	char			 peer_name[PPP_NAME_MAX + 1]; /* server: from
							* the last AUTH_REQUEST */
	uint8_t			 tx[PPP_FRAME_MAX + 64];	/* frame being built */
	uint8_t			 rx[PPP_FRAME_MAX + 64];	/* decrypted frame */
	char			 logbuf[256];
};

/* --- services of session.c for the parts --- */

/* Frames (FF 03 unless ACFC, protocol compressed only after PFC and never
 * for LCP) and sends one control packet or inner frame, unencrypted. */
void ppp_send_proto(struct ppp *s, uint16_t proto, const uint8_t *info,
    size_t len);

/* Emits an event through io->event. */
void ppp_emit(struct ppp *s, const struct ppp_event *ev);

/* Emits PPP_EV_LOG with printf-style text ("lcp: peer rejected mru"). */
void ppp_log(struct ppp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records why the session ends (first call wins) and closes LCP with that
 * text as the Terminate-Request data.  PPP_EV_DOWN is emitted once LCP has
 * finished (or at once if the lower layer is gone). */
void ppp_fail(struct ppp *s, enum ppp_down_reason reason,
    uint32_t mschap_error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Draws n random bytes from io->random. */
void ppp_random(struct ppp *s, void *buf, size_t n);

/* Phase changes, called by the parts: */
void ppp_lcp_up(struct ppp *s);		/* LCP opened: authenticate or network */
void ppp_lcp_down(struct ppp *s);	/* LCP left Opened: NCPs down */
void ppp_lcp_finished(struct ppp *s);	/* LCP finished: the session is over */
void ppp_auth_done(struct ppp *s);	/* auth succeeded: network phase */
void ppp_ccp_up(struct ppp *s);		/* MPPE on: release held NCPs, open NCPs */
void ppp_ncp_up(struct ppp *s, uint16_t proto);	/* IPCP/IPV6CP opened: event */

/* Max-size helpers. */
size_t ppp_peer_mru(const struct ppp *s);	/* what the peer accepts */

#endif

/*
 * client_int.h - the inside of the client (client.h), shared by client.c
 * (run, attempts, outcome, tear-down order, reconnection, timers and
 * signals), client_ctrl.c (TCP and the PPTP control connection, PNS role)
 * and client_link.c (the tunnel call: PPP events, routes, the GRE
 * watchdog).  Not for use outside src/client/.
 *
 * One run is a sequence of attempts; an attempt is one TCP connection, one
 * control connection and at most one call.  Everything that changes the
 * attempt ends with client_progress(), which moves the tear-down forward
 * (PPP, then the control connection, then TCP) and, once the attempt holds
 * nothing any more, decides: exit, or reconnect after the back-off.
 */
#ifndef PPTPKIT_CLIENT_CLIENT_INT_H
#define PPTPKIT_CLIENT_CLIENT_INT_H

#include <stdarg.h>

#include "../event/loop.h"
#include "../os/tcp.h"
#include "../pptp/ctrl.h"
#include "../tunnel/call.h"
#include "../tunnel/gre_mux.h"
#include "client.h"

#define CLIENT_PREFIX_MAX	64
#define CLIENT_LINGER_MS	1000	/* wait for the server's FIN */
#define CLIENT_PPP_CLOSE_MS	1500	/* LCP Terminate-Ack wait */
#define CLIENT_BACKOFF_MIN_MS	1000

enum client_state {
	CLIENT_CONNECTING,	/* TCP connect under way */
	CLIENT_CONTROL,		/* SCCRQ sent */
	CLIENT_CALLING,		/* OCRQ sent */
	CLIENT_PPP,		/* call up, PPP negotiating */
	CLIENT_UP,		/* IPCP up: the link carries traffic */
	CLIENT_CLOSING,		/* tear-down under way */
	CLIENT_WAITING,		/* back-off before the next attempt */
	CLIENT_DONE,
};

/* What the single watch timer is waiting for. */
enum client_watch {
	CLIENT_WATCH_NONE,
	CLIENT_WATCH_CONNECT,	/* TCP connect time-out */
	CLIENT_WATCH_GRE,	/* first GRE from the server */
	CLIENT_WATCH_PPP_CLOSE,	/* LCP Terminate-Ack during tear-down */
};

struct client {
	struct client_config	 cfg;		/* copy; password wiped at end */
	struct ev_loop		*loop;
	struct gre_mux		*mux;
	struct netcfg		 nc;
	bool			 nc_open;
	struct client_routes	 routes;
	struct tcp_addr		 addr;
	char			 prefix[CLIENT_PREFIX_MAX];

	struct ev_timer		 t_ctrl;	/* ctrl_deadline() */
	struct ev_timer		 t_watch;	/* see enum client_watch */
	struct ev_timer		 t_teardown;	/* bounds the whole tear-down */
	struct ev_timer		 t_retry;	/* reconnect back-off */
	struct ev_timer		 t_linger;	/* FIN from the server */
	struct ev_timer		 t_end;		/* the attempt's end, decided
						 * once every callback is out */
	enum client_watch	 watch;

	/* the attempt */
	enum client_state	 state;
	unsigned		 attempt;
	struct tcp_conn		 conn;		/* conn.fd -1: no socket */
	bool			 fd_added;
	unsigned		 fd_events;
	bool			 connected;	/* TCP handshake done */
	bool			 tcp_shut;	/* our FIN asked for */
	bool			 tcp_broken;	/* a write failed */
	struct ctrl		 ctrl;
	bool			 ctrl_started;
	bool			 ctrl_stopping;
	uint16_t		 call_id;	/* ours, once the OCRQ left */
	struct tunnel_call	*call;
	struct tunnel_call	*orphan;	/* detached, free failed to
						 * defer: freed at exit */
	bool			 ppp_closing;
	bool			 link_up;	/* IPCP up now */
	bool			 attempt_up;	/* IPCP came up this attempt */
	uint64_t		 call_up_at, up_at;
	struct tunnel_call_stats stats;		/* the last call's, at DOWN */
	bool			 has_stats;

	/* outcome of the attempt */
	int			 fail_code;	/* 0: none yet */
	bool			 fail_fatal;	/* never retried */
	char			 fail_stage[16];
	char			 fail_msg[CLIENT_MSG_MAX];
	bool			 tearing_down;

	/* the run */
	bool			 stopping;	/* SIGINT/SIGTERM */
	bool			 ever_up;
	uint32_t		 backoff_ms;	/* 0: none yet */
	bool			 in_progress, progress_again;
	int			 exit_code;
};

/* client.c */

/*
 * Records why the attempt fails (the first record wins, unless force: the
 * precise PPP causes replace a vaguer one noted while the call was
 * falling), logs it once as an error line "stage=... exit=...", and starts
 * the tear-down.  While stopping on a signal nothing is recorded.
 */
void client_fail(struct client *cl, int code, bool fatal, bool force,
    const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Starts the orderly tear-down of the attempt (idempotent). */
void client_teardown(struct client *cl, const char *why);

/* Moves the tear-down on and ends the attempt once nothing is left. */
void client_progress(struct client *cl);

/* Arms the watch timer for kind at now + ms (0 ms: stops it). */
void client_watch_set(struct client *cl, enum client_watch kind,
    uint32_t ms);

/* client_ctrl.c */

/* Opens the TCP connection of a new attempt; a failure is recorded
 * (client_fail) and starts the tear-down. */
void client_tcp_start(struct client *cl);
/* After the core was driven from outside its callbacks: a broken socket
 * closes the connection, the fd's events follow the output buffer, the
 * timer follows ctrl_deadline. */
void client_ctrl_after(struct client *cl);
/* The tear-down's control step: ctrl_stop once (CCRQ, CDN, StopCCRQ,
 * StopCCRP), or nothing when the connection is closed.  True while the
 * control connection is still open. */
bool client_ctrl_closing(struct client *cl);
/* The tear-down's TCP step: FIN once the control connection is closed,
 * then the fd closes on the server's FIN or after CLIENT_LINGER_MS.  True
 * while the socket is open. */
bool client_tcp_closing(struct client *cl);
/* Closes the socket now (no FIN wait). */
void client_tcp_close(struct client *cl);
/* Aborts the control connection (no messages). */
void client_ctrl_abort(struct client *cl, const char *why);
void client_on_ctrl_timer(struct ev_loop *loop, void *ctx);
void client_on_linger(struct ev_loop *loop, void *ctx);

/* client_link.c */

/* The call is up (OCRP Connected): creates the tunnel call with the
 * Call IDs and window of c and starts PPP.  Failures go to client_fail. */
void client_link_start(struct client *cl, const struct ctrl_call *c);
/* The tear-down's PPP step: LCP Terminate once, bounded by
 * CLIENT_PPP_CLOSE_MS.  True while the call is alive. */
bool client_link_closing(struct client *cl, const char *why);
/* The PPTP call or the control connection went away under the call. */
void client_link_lower_down(struct client *cl);
/* The watch timer fired for CLIENT_WATCH_GRE. */
void client_link_gre_check(struct client *cl);

#endif

/*
 * server.h - `pptpkit server`: the PAC of RFC 2637 (section 1.3) as one
 * process on one event loop.
 *
 *   TCP 1723 (listener) -> one struct srv_conn per control connection:
 *     the bytes feed a PAC control core (src/pptp/ctrl.h), its replies go
 *     back through a small output buffer (src/os/tcp.h)
 *   Outgoing-Call-Request -> a Call ID unique across the whole server
 *     (struct srv_callid) -> a tunnel call (src/tunnel/call.h: TUN device,
 *     GRE window, PPP server session) -> Outgoing-Call-Reply
 *   one raw GRE socket for every call (src/tunnel/gre_mux.h), opened at
 *     start-up and matched on (peer IP, our Call ID), so any number of
 *     clients may sit behind one NAT
 *   PPP authentication -> chap-secrets and the address pool
 *     (src/server/config.h, config_pool.h); IP up and down -> one log line
 *     each and pppd's ip-up / ip-down scripts, run without blocking
 *
 * Teardown follows RFC 2637 3.1.2: a session that ends gets its
 * Call-Disconnect-Notify (result 3 Admin-Shutdown when we ended it, else 1
 * Lost-Carrier); at SIGTERM every session is terminated (LCP
 * Terminate-Request), each control connection then sends its CDNs and a
 * Stop-Control-Connection-Request, the replies are awaited for a bounded
 * time, and the process exits 0.
 *
 * Files:
 *   server.c          life cycle, signals, status, shutdown
 *   server_conn.c     the listener, connection limits, control connections
 *   server_session.c  Call IDs, sessions: authentication, addresses, logs
 *   server_script.c   ip-up / ip-down with pppd's arguments, asynchronous
 *   server_priv.c     dropping to an unprivileged user with capabilities
 *   server_main.c     the command line
 *
 * Log lines are one event each, key=value, peer strings escaped:
 *   session=3 user=alice peer=192.0.2.7 call=40123 assigned=10.0.0.10
 *     event=up mppe=128-stateless iface=pptp0
 *
 * Not thread-safe: everything belongs to the loop's thread.
 */
#ifndef PPTPKIT_SERVER_SERVER_H
#define PPTPKIT_SERVER_SERVER_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../event/loop.h"
#include "../os/netcfg.h"
#include "../os/tcp.h"
#include "../pptp/ctrl.h"
#include "../tunnel/call.h"
#include "../tunnel/gre_mux.h"
#include "config.h"
#include "config_pool.h"

#define SRV_CALLID_WORDS	(65536 / 64)
#define SRV_ACCEPT_BATCH	64	/* accepts per listener wake-up */
#define SRV_READ_ROUNDS		16	/* TCP reads per wake-up */
#define SRV_DRAIN_MS		2000	/* wait for the peer's FIN after ours */
#define SRV_UNAUTH_MS		120000	/* a connection with no session
					 * authenticated by then is closed */
#define SRV_STOP_REPLY_MS	3000	/* StopCCRP awaited at shutdown */
#define SRV_SHUTDOWN_PPP_MS	2000	/* LCP Terminate phase at shutdown */
#define SRV_SHUTDOWN_MAX_MS	7000	/* then everything is cut */
#define SRV_SCRIPT_TIMEOUT_S	30	/* ip-up / ip-down run at most */
#define SRV_SCRIPT_KILL_MS	3000	/* SIGTERM to SIGKILL */
#define SRV_SCRIPT_MAX		256	/* scripts running or waiting */
#define SRV_TICK_MS		1000	/* housekeeping: idle, scripts */
#define SRV_EMFILE_PAUSE_MS	100	/* listener paused when out of fds */
#define SRV_PREFIX_MAX		96
#define SRV_DEFAULT_IP_UP	"/etc/ppp/ip-up"
#define SRV_DEFAULT_IP_DOWN	"/etc/ppp/ip-down"
#define SRV_SCRIPT_SPEED	"115200"	/* pptpd's default `speed` */

/* The command line (server_main.c fills it). */
struct srv_opts {
	const char	*config_path;
	const char	*ip_up;		/* "" : none */
	const char	*ip_down;
	const char	*user;		/* NULL: stay root (see DESIGN.md) */
	uint16_t	 port;		/* default TCP_PPTP_PORT */
	bool		 debug;
	unsigned	 script_timeout_s;
};

/*
 * Call IDs unique across the server: one bit per ID.  Allocation starts at
 * a random place and takes the next free ID, skipping 0 (some peers read
 * Call ID 0 as "none").
 */
struct srv_callid {
	uint64_t	bits[SRV_CALLID_WORDS];
	unsigned	used;
};

/* Empties m. */
void srv_callid_init(struct srv_callid *m);
/* The first free ID at or after start (wrapping, never 0) in *out.  0 or
 * ERR_NOSPACE (all 65535 taken). */
int srv_callid_alloc(struct srv_callid *m, uint16_t start, uint16_t *out)
    MUST_CHECK;
/* Frees id.  0 or ERR_NOTFOUND (not held, or 0). */
int srv_callid_release(struct srv_callid *m, uint16_t id);
bool srv_callid_held(const struct srv_callid *m, uint16_t id);

/* At most `burst` events per second get a log line; the rest are counted
 * and summed up in the next line. */
struct srv_ratelimit {
	uint64_t	window_start;	/* ms */
	unsigned	in_window;
	unsigned	burst;
	uint64_t	suppressed;
};
/* true: log this one; *suppressed (if not NULL) gets the count skipped
 * since the last line logged. */
bool srv_ratelimit_ok(struct srv_ratelimit *r, uint64_t now,
    uint64_t *suppressed);

struct srv;
struct srv_conn;

/* One PPTP call and its PPP session. */
struct srv_session {
	struct srv		*srv;
	struct srv_conn		*conn;	/* NULL once the PPTP call is gone */
	struct srv_session	*prev, *next;	/* srv->sessions */
	uint64_t		 no;		/* session=N */
	uint16_t		 call_id, peer_call_id;
	struct in_addr		 peer;
	char			 peer_str[INET_ADDRSTRLEN];
	struct tunnel_call	*call;	/* NULL after PPP DOWN */
	bool			 started;	/* tunnel_call_start done */
	bool			 ctrl_live;	/* the PPTP call exists */
	bool			 ppp_down;
	bool			 freeing;
	bool			 ip_up;		/* IP_UP reported (ip-up run) */
	bool			 admin_close;	/* we asked PPP to close */
	char			 user[PPP_NAME_MAX + 1];	/* raw */
	bool			 addr_held;
	uint32_t		 peer_ip, local_ip;	/* host order */
	unsigned		 mppe_bits;
	bool			 mppe_stateless;
	char			 ifname[IFNAMSIZ];
	const char		*ctrl_down;	/* why the PPTP call went */
	uint64_t		 bytes_in, bytes_out;	/* at DOWN */
	struct tunnel_call	*orphan;	/* detached, free it with us */
	uint64_t		 t_created, t_up;	/* ms */
	uint64_t		 idle_mark;	/* packets seen at t_active */
	uint64_t		 t_active;
	char			 prefix[SRV_PREFIX_MAX];	/* session=N */
};

/* One control connection. */
struct srv_conn {
	struct srv		*srv;
	struct srv_conn		*prev, *next;	/* srv->conns */
	uint64_t		 no;		/* ctrl=N */
	struct tcp_conn		 tcp;
	struct in_addr		 peer;
	uint16_t		 port;
	char			 peer_str[INET_ADDRSTRLEN];
	struct ctrl		 ctrl;
	struct ev_timer		 timer;
	bool			 io_added, timer_inited;
	unsigned		 io_events;
	bool			 authenticated;	/* a session passed auth */
	bool			 write_failed;	/* the output buffer overflowed */
	bool			 closing;	/* ctrl closed: draining TCP */
	bool			 stop_sent;	/* ctrl_stop at shutdown */
	bool			 freeing;
	uint64_t		 t_accept;
	uint64_t		 drain_deadline;
	struct srv_session	*sess[CTRL_MAX_CALLS];	/* live PPTP calls */
	char			 prefix[SRV_PREFIX_MAX];
};

/* An ip-up or ip-down script, running or waiting for the session's ip-up
 * to finish (pppd never runs ip-down while ip-up still runs). */
struct srv_script {
	struct srv_script	*next;
	pid_t			 pid;		/* 0: waiting */
	uint64_t		 session_no;
	bool			 is_up;
	uint64_t		 deadline;	/* ms: SIGTERM, then SIGKILL */
	int			 kill_stage;
	char			 path[CFG_PATH_MAX];
	char			 args[6][64];	/* pppd's six arguments */
	char			 env[12][PPP_NAME_MAX + 32];
	unsigned		 nenv;
};

struct srv_counters {
	uint64_t	conns_accepted, conns_refused_limit;
	uint64_t	conns_refused_unauth, conns_refused_stopping;
	uint64_t	calls_refused, sessions_total, sessions_up;
	uint64_t	auth_ok, auth_failed, auth_rejected;
	uint64_t	scripts_run, scripts_failed, scripts_killed;
};

struct srv {
	struct srv_opts		 opts;
	struct server_config	 cfg;
	bool			 cfg_loaded;
	struct pool		*pool;
	struct ev_loop		*loop;
	struct gre_mux		*mux;
	struct netcfg		 nc;
	bool			 nc_open;
	int			 listen_fd;
	bool			 listen_added;
	bool			 listen_paused;
	struct srv_conn		*conns;
	unsigned		 nconns;
	struct srv_session	*sessions;
	unsigned		 nsessions;
	struct srv_callid	 ids;
	uint64_t		 next_conn_no, next_session_no;
	struct ev_timer		 tick;
	bool			 tick_inited;
	bool			 stopping;
	bool			 ctrl_stop_all;	/* second shutdown phase */
	uint64_t		 stop_started;
	int			 exit_code;
	struct srv_script	*scripts;
	unsigned		 nscripts;
	struct srv_ratelimit	 rl_refuse, rl_auth;
	struct srv_counters	 n;
	FILE			*logfile;
};

/* --- server.c --- */

/* n unpredictable bytes (getrandom). */
void srv_random(void *buf, size_t n);

/* Sets up everything from opts: configuration (warnings logged, errors
 * returned with a message on stderr), log level and file, pool, loop,
 * netlink, raw GRE socket, listener, signals, privileges.  0 or a negative
 * ERR_*; srv_fini() either way. */
int srv_init(struct srv *s, const struct srv_opts *opts) MUST_CHECK;
/* Runs until a shutdown completes; returns the exit status (0). */
int srv_run(struct srv *s);
/* Frees whatever srv_init made. */
void srv_fini(struct srv *s);
/* SIGTERM/SIGINT: begins the orderly shutdown (a second one cuts it). */
void srv_shutdown(struct srv *s, const char *why);
/* Called when a connection or session went: ends a shutdown that is
 * complete. */
void srv_shutdown_check(struct srv *s);

/* --- server_conn.c --- */

/* The listener's callback (EV_READ on s->listen_fd). */
void srv_listen_cb(struct ev_loop *loop, int fd, unsigned events, void *ctx);
/* Control connections from addr with no authenticated session. */
unsigned srv_conn_unauth_count(const struct srv *s, struct in_addr addr);
/* After anything touched the connection: applies a failed write, starts
 * closing a closed core, updates the fd's events and the timer.  Never
 * frees: safe from any callback. */
void srv_conn_after(struct srv_conn *c);
/* Shutdown: Stop-Control-Connection (reason 3) once no call is left, or at
 * once with force (the core sends the CDNs first). */
void srv_conn_stop(struct srv_conn *c, bool force);
/* Cuts the connection now (end of the shutdown). */
void srv_conn_abort(struct srv_conn *c, const char *why);
/* Live PPTP calls with a session. */
unsigned srv_conn_ncalls(const struct srv_conn *c);

/* --- server_session.c --- */

/* The ctrl core's call_id callback. */
int srv_session_call_id(void *ctx, uint16_t *id);
/* CTRL_EV_CALL_REQUEST: creates the tunnel call and accepts, or refuses. */
void srv_session_request(struct srv_conn *c, const struct ctrl_call *call);
/* CTRL_EV_CALL_UP: starts PPP. */
void srv_session_call_up(struct srv_conn *c, const struct ctrl_call *call);
/* CTRL_EV_CALL_DOWN: releases the Call ID, takes PPP down. */
void srv_session_call_down(struct srv_conn *c, const struct ctrl_event *ev);
/* Closes PPP (LCP Terminate-Request) with reason. */
void srv_session_close(struct srv_session *ss, const char *reason);
/* One status line (SIGUSR1). */
void srv_session_status(struct srv_session *ss);
/* Closes the session if idle for the policy's `idle` seconds. */
void srv_session_idle_check(struct srv_session *ss, uint64_t now);
/* Appends "user" as a log value: escaped, quoted if it holds a space. */
void srv_print_value(struct sbuf *sb, const char *raw);

/* --- server_script.c --- */

/* Runs (or queues behind the session's ip-up) the ip-up or ip-down script
 * for ss with pppd's arguments: interface, tty (the interface again: there
 * is no tty), speed, local address, remote address, ipparam (the peer's
 * address, as pptpd passes it).  A path that is "" or not executable is
 * skipped (as pppd does). */
void srv_script_start(struct srv *s, struct srv_session *ss, bool up);
/* SIGCHLD: reaps the scripts that ended and starts those waiting. */
void srv_script_reap(struct srv *s);
/* Time-outs: SIGTERM, then SIGKILL, to the script's process group. */
void srv_script_tick(struct srv *s, uint64_t now);
/* Frees the list (running scripts are left to finish on their own). */
void srv_script_fini(struct srv *s);

/* --- server_priv.c --- */

/* Drops to user, keeping CAP_NET_ADMIN and CAP_NET_RAW (permitted,
 * effective, inheritable and ambient, so the scripts have them too).
 * 0, ERR_NOTFOUND (no such user), ERR_SYS (errno set; EACCES when
 * /dev/net/tun is not open to the user, which every new session needs). */
int srv_priv_drop(const char *user) MUST_CHECK;

#endif

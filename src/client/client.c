/*
 * client.c - the client's run (client.h): set-up (event loop, raw GRE
 * socket, netlink, the pinned host route), attempts, the record of why an
 * attempt failed, the tear-down order of RFC 2637 3.1.2 (PPP Terminate,
 * Call-Clear-Request / Call-Disconnect-Notify, Stop-Control-Connection-
 * Request / -Reply, TCP FIN) bounded in time, reconnection with
 * exponential back-off, and SIGINT/SIGTERM.
 *
 * TCP and the control connection are in client_ctrl.c, the tunnel call
 * (PPP, TUN, routes, GRE watchdog) in client_link.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "../base/secret.h"
#include "client_int.h"

void
client_config_default(struct client_config *c)
{
	memset(c, 0, sizeof(*c));
	c->port = TCP_PPTP_PORT;
	ppp_config_default(&c->ppp, PPP_ROLE_CLIENT);
	snprintf(c->tun_name, sizeof(c->tun_name), "pptp%%d");
	c->reconnect = true;
	c->mss_clamp = true;
	c->connect_timeout_ms = 10000;
	c->gre_timeout_ms = 10000;
	c->teardown_ms = 4000;
	c->backoff_max_ms = 60000;
	c->echo_idle_ms = 60000;
}

const char *
client_exit_name(int code)
{
	static const char *const names[] = {
		[CLIENT_EXIT_OK] = "ok",
		[CLIENT_EXIT_LOCAL] = "local-error",
		[CLIENT_EXIT_USAGE] = "usage",
		[CLIENT_EXIT_TCP] = "tcp",
		[CLIENT_EXIT_CONTROL] = "control",
		[CLIENT_EXIT_NO_GRE] = "no-gre",
		[CLIENT_EXIT_AUTH] = "auth-failed",
		[CLIENT_EXIT_MPPE] = "mppe-refused",
		[CLIENT_EXIT_PPP] = "ppp-failed",
		[CLIENT_EXIT_LINK_LOST] = "link-lost",
	};

	if (code < 0 || (size_t)code >= sizeof(names) / sizeof(names[0]) ||
	    names[code] == NULL)
		return "?";
	return names[code];
}

/* --- outcome --- */

void
client_fail(struct client *cl, int code, bool fatal, bool force,
    const char *stage, const char *fmt, ...)
{
	va_list ap;

	if (cl->stopping)
		return;			/* the user's stop explains it all */
	if (cl->fail_code == 0 || (force && cl->fail_code != code)) {
		cl->fail_code = code;
		cl->fail_fatal = fatal;
		snprintf(cl->fail_stage, sizeof(cl->fail_stage), "%s", stage);
		va_start(ap, fmt);
		vsnprintf(cl->fail_msg, sizeof(cl->fail_msg), fmt, ap);
		va_end(ap);
		log_msg(LOG_ERROR, cl->prefix, "failed stage=%s exit=%d (%s): %s",
		    cl->fail_stage, code, client_exit_name(code), cl->fail_msg);
	}
	client_teardown(cl, cl->fail_msg);
}

void
client_teardown(struct client *cl, const char *why)
{
	(void)why;
	if (cl->tearing_down || cl->state == CLIENT_WAITING ||
	    cl->state == CLIENT_DONE)
		return;
	cl->tearing_down = true;
	cl->state = CLIENT_CLOSING;
	ev_timer_set(&cl->t_teardown, ev_now(cl->loop) + cl->cfg.teardown_ms);
	client_progress(cl);
}

/* --- attempts --- */

static void
attempt_reset(struct client *cl)
{
	cl->state = CLIENT_CONNECTING;
	cl->attempt++;
	tcp_conn_init(&cl->conn, -1);
	cl->fd_added = false;
	cl->fd_events = 0;
	cl->connected = cl->tcp_shut = cl->tcp_broken = false;
	memset(&cl->ctrl, 0, sizeof(cl->ctrl));
	cl->ctrl_started = cl->ctrl_stopping = false;
	cl->call_id = 0;
	cl->call = NULL;
	cl->ppp_closing = cl->link_up = cl->attempt_up = false;
	cl->call_up_at = cl->up_at = 0;
	cl->has_stats = false;
	cl->fail_code = 0;
	cl->fail_fatal = false;
	cl->fail_stage[0] = cl->fail_msg[0] = '\0';
	cl->tearing_down = false;
	client_watch_set(cl, CLIENT_WATCH_NONE, 0);
	ev_timer_stop(&cl->t_ctrl);
	ev_timer_stop(&cl->t_teardown);
	ev_timer_stop(&cl->t_linger);
	ev_timer_stop(&cl->t_end);
}

static void
attempt_start(struct client *cl)
{
	attempt_reset(cl);
	if (cl->attempt > 1)
		log_msg(LOG_INFO, cl->prefix, "reconnecting attempt=%u",
		    cl->attempt);
	client_tcp_start(cl);
	client_progress(cl);
}

static void
run_finish(struct client *cl, int code)
{
	cl->state = CLIENT_DONE;
	cl->exit_code = code;
	ev_stop(cl->loop);
}

/* Nothing of the attempt is left: exit, or try again later. */
static void
attempt_end(struct client *cl)
{
	uint32_t delay;

	ev_timer_stop(&cl->t_teardown);
	client_watch_set(cl, CLIENT_WATCH_NONE, 0);
	if (cl->stopping) {
		log_msg(LOG_INFO, cl->prefix, "stopped");
		run_finish(cl, CLIENT_EXIT_OK);
		return;
	}
	if (cl->fail_code == 0)
		client_fail(cl, CLIENT_EXIT_LINK_LOST, false, false, "link",
		    "the connection ended");
	if (cl->fail_fatal || !cl->ever_up) {
		run_finish(cl, cl->fail_code);
		return;
	}
	if (!cl->cfg.reconnect) {
		log_msg(LOG_INFO, cl->prefix, "not reconnecting "
		    "(--no-reconnect)");
		run_finish(cl, cl->fail_code);
		return;
	}
	/* 1, 2, 4 ... seconds, capped; a link that came up reset it. */
	if (cl->backoff_ms == 0)
		delay = CLIENT_BACKOFF_MIN_MS;
	else
		delay = cl->backoff_ms >= cl->cfg.backoff_max_ms / 2 ?
		    cl->cfg.backoff_max_ms : cl->backoff_ms * 2;
	if (delay > cl->cfg.backoff_max_ms)
		delay = cl->cfg.backoff_max_ms;
	cl->backoff_ms = delay;
	cl->state = CLIENT_WAITING;
	log_msg(LOG_INFO, cl->prefix, "reconnecting in %u.%03u s",
	    delay / 1000, delay % 1000);
	ev_timer_set(&cl->t_retry, ev_now(cl->loop) + delay);
}

static void
progress_once(struct client *cl)
{
	if (cl->state == CLIENT_WAITING || cl->state == CLIENT_DONE)
		return;
	if (!cl->tearing_down)
		return;
	if (client_link_closing(cl, cl->stopping ? "client stopped" :
	    cl->fail_msg[0] != '\0' ? cl->fail_msg : "client closing"))
		return;
	if (client_ctrl_closing(cl))
		return;
	if (client_tcp_closing(cl))
		return;
	/* Decided from the loop, not from inside a callback whose caller
	 * may still have a cause to record. */
	if (!ev_timer_armed(&cl->t_end))
		ev_timer_set(&cl->t_end, ev_now(cl->loop));
}

void
client_progress(struct client *cl)
{
	if (cl->in_progress) {
		cl->progress_again = true;
		return;
	}
	cl->in_progress = true;
	do {
		cl->progress_again = false;
		progress_once(cl);
	} while (cl->progress_again);
	cl->in_progress = false;
}

/* --- timers and signals --- */

void
client_watch_set(struct client *cl, enum client_watch kind, uint32_t ms)
{
	cl->watch = kind;
	if (kind == CLIENT_WATCH_NONE || ms == 0)
		ev_timer_stop(&cl->t_watch);
	else
		ev_timer_set(&cl->t_watch, ev_now(cl->loop) + ms);
}

static void
on_watch(struct ev_loop *loop, void *ctx)
{
	struct client *cl = ctx;
	enum client_watch kind = cl->watch;

	(void)loop;
	cl->watch = CLIENT_WATCH_NONE;
	switch (kind) {
	case CLIENT_WATCH_CONNECT:
		client_fail(cl, CLIENT_EXIT_TCP, false, false, "tcp",
		    "connecting to %s port %u timed out after %u ms: the "
		    "server is unreachable or a firewall drops TCP port %u",
		    cl->cfg.server_name, (unsigned)cl->cfg.port,
		    cl->cfg.connect_timeout_ms, (unsigned)cl->cfg.port);
		break;
	case CLIENT_WATCH_GRE:
		client_link_gre_check(cl);
		break;
	case CLIENT_WATCH_PPP_CLOSE:
		log_msg(LOG_INFO, cl->prefix, "no LCP Terminate-Ack in %u "
		    "ms: dropping the session", CLIENT_PPP_CLOSE_MS);
		client_link_lower_down(cl);
		break;
	case CLIENT_WATCH_NONE:
		break;
	}
	client_progress(cl);
}

static void
on_teardown(struct ev_loop *loop, void *ctx)
{
	struct client *cl = ctx;

	(void)loop;
	log_msg(LOG_WARN, cl->prefix, "tear-down took more than %u ms: "
	    "closing without waiting for the server", cl->cfg.teardown_ms);
	client_link_lower_down(cl);
	client_ctrl_abort(cl, "tear-down timed out");
	client_tcp_close(cl);
	client_progress(cl);
}

static void
on_end(struct ev_loop *loop, void *ctx)
{
	struct client *cl = ctx;

	(void)loop;
	if (cl->state == CLIENT_CLOSING)
		attempt_end(cl);
}

static void
on_retry(struct ev_loop *loop, void *ctx)
{
	(void)loop;
	attempt_start(ctx);
}

static void
on_signal(struct ev_loop *loop, int signo, void *ctx)
{
	struct client *cl = ctx;

	(void)loop;
	if (cl->stopping) {
		/* A second signal: leave now. */
		log_msg(LOG_WARN, cl->prefix, "signal=%s again: leaving at "
		    "once", strsignal(signo));
		client_link_lower_down(cl);
		client_ctrl_abort(cl, "stopped twice");
		client_tcp_close(cl);
		client_progress(cl);
		if (cl->state != CLIENT_DONE)
			run_finish(cl, CLIENT_EXIT_OK);
		return;
	}
	cl->stopping = true;
	log_msg(LOG_INFO, cl->prefix, "signal=%s: closing", strsignal(signo));
	if (cl->state == CLIENT_WAITING) {
		ev_timer_stop(&cl->t_retry);
		run_finish(cl, CLIENT_EXIT_OK);
		return;
	}
	client_teardown(cl, "client stopped");
}

/* --- the run --- */

/* A set-up failure: recorded like client_fail (for the last line) and
 * returned as the exit status. */
static int setup_fail(struct client *cl, int code, const char *stage,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
setup_fail(struct client *cl, int code, const char *stage, const char *fmt,
    ...)
{
	va_list ap;

	cl->fail_code = code;
	snprintf(cl->fail_stage, sizeof(cl->fail_stage), "%s", stage);
	va_start(ap, fmt);
	vsnprintf(cl->fail_msg, sizeof(cl->fail_msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_ERROR, cl->prefix, "failed stage=%s exit=%d (%s): %s",
	    stage, code, client_exit_name(code), cl->fail_msg);
	return code;
}

static int
run_setup(struct client *cl)
{
	struct gre_mux_config mc;
	char host[64];
	struct sbuf sb;
	int ret, err;

	sbuf_init(&sb, host, sizeof(host));
	if (tcp_addr_parse(inet_ntoa(cl->cfg.server), cl->cfg.port,
	    &cl->addr) != 0)
		return CLIENT_EXIT_USAGE;
	tcp_addr_print(&cl->addr, &sb);
	snprintf(cl->prefix, sizeof(cl->prefix), "client server=%s",
	    sbuf_str(&sb));
	if ((cl->loop = ev_loop_new()) == NULL)
		return setup_fail(cl, CLIENT_EXIT_LOCAL, "local", "event loop: "
		    "%s", strerror(errno));
	if (ev_timer_init(&cl->t_ctrl, cl->loop, client_on_ctrl_timer,
	    cl) != 0 ||
	    ev_timer_init(&cl->t_watch, cl->loop, on_watch, cl) != 0 ||
	    ev_timer_init(&cl->t_teardown, cl->loop, on_teardown, cl) != 0 ||
	    ev_timer_init(&cl->t_retry, cl->loop, on_retry, cl) != 0 ||
	    ev_timer_init(&cl->t_linger, cl->loop, client_on_linger,
	    cl) != 0 ||
	    ev_timer_init(&cl->t_end, cl->loop, on_end, cl) != 0 ||
	    ev_signal_add(cl->loop, SIGINT, on_signal, cl) != 0 ||
	    ev_signal_add(cl->loop, SIGTERM, on_signal, cl) != 0)
		return setup_fail(cl, CLIENT_EXIT_LOCAL, "local", "event loop "
		    "set-up: %s", strerror(errno));
	/* The raw GRE socket is open before any call exists: the kernel
	 * would answer the server's first GRE with ICMP otherwise.  It is
	 * connected to the server, so it also says at once when there is no
	 * route at all. */
	gre_mux_config_default(&mc);
	mc.max_calls = 4;
	mc.connect_peer = true;
	mc.peer = cl->cfg.server;
	if ((ret = gre_mux_new(&cl->mux, cl->loop, &mc)) != 0) {
		err = errno;
		if (ret == ERR_SYS && (err == ENETUNREACH ||
		    err == EHOSTUNREACH))
			return setup_fail(cl, CLIENT_EXIT_TCP, "route", "no "
			    "route to %s: %s", cl->cfg.server_name,
			    strerror(err));
		return setup_fail(cl, CLIENT_EXIT_LOCAL, "local", "cannot "
		    "open the raw GRE socket: %s%s", ret == ERR_SYS ?
		    strerror(err) : err_str(ret), ret == ERR_SYS &&
		    err == EPERM ? " (needs root or CAP_NET_RAW)" : "");
	}
	if (netcfg_open(&cl->nc) != 0)
		return setup_fail(cl, CLIENT_EXIT_LOCAL, "local", "netlink: %s",
		    strerror(errno));
	cl->nc_open = true;
	if ((cl->cfg.default_route || cl->cfg.nroutes > 0) &&
	    client_routes_pin(&cl->routes, &cl->nc, cl->cfg.server) != 0) {
		err = errno;
		return setup_fail(cl, err == ENETUNREACH ||
		    err == EHOSTUNREACH ? CLIENT_EXIT_TCP : CLIENT_EXIT_LOCAL,
		    "route", "cannot keep the route to the server outside "
		    "the tunnel: %s", strerror(err));
	}
	return 0;
}

static void
run_cleanup(struct client *cl)
{
	if (cl->loop != NULL) {
		/* Whatever a hard exit left (normally nothing). */
		if (cl->call != NULL) {
			tunnel_call_free(cl->call);
			cl->call = NULL;
		}
		tunnel_call_free(cl->orphan);
		cl->orphan = NULL;
		client_tcp_close(cl);
	}
	if (cl->nc_open) {
		client_routes_del(&cl->routes, &cl->nc);
		client_routes_unpin(&cl->routes, &cl->nc);
		netcfg_close(&cl->nc);
	}
	if (cl->mux != NULL) {
		char line[400];
		struct sbuf sb;

		sbuf_init(&sb, line, sizeof(line));
		gre_mux_stats_print(gre_mux_stats(cl->mux), &sb);
		log_msg(LOG_INFO, cl->prefix, "%s", sbuf_str(&sb));
		gre_mux_free(cl->mux);
	}
	if (cl->loop != NULL) {
		ev_timer_fini(&cl->t_ctrl);
		ev_timer_fini(&cl->t_watch);
		ev_timer_fini(&cl->t_teardown);
		ev_timer_fini(&cl->t_retry);
		ev_timer_fini(&cl->t_linger);
		ev_timer_fini(&cl->t_end);
		ev_loop_free(cl->loop);
	}
}

int
client_run(const struct client_config *cfg)
{
	struct client *cl;
	int code, ret;

	if (cfg == NULL)
		return CLIENT_EXIT_USAGE;
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		log_msg(LOG_ERROR, "client", "failed stage=local: out of memory");
		return CLIENT_EXIT_LOCAL;
	}
	cl->cfg = *cfg;
	cl->cfg.ppp.role = PPP_ROLE_CLIENT;
	tcp_conn_init(&cl->conn, -1);
	if ((code = run_setup(cl)) == 0) {
		attempt_start(cl);
		if (cl->state != CLIENT_DONE &&
		    (ret = ev_run(cl->loop)) != 0) {
			log_msg(LOG_ERROR, cl->prefix, "event loop: %s",
			    ret == ERR_SYS ? strerror(errno) : err_str(ret));
			if (cl->state != CLIENT_DONE)
				cl->exit_code = CLIENT_EXIT_LOCAL;
		}
		code = cl->exit_code;
	}
	run_cleanup(cl);
	log_msg(code == 0 ? LOG_INFO : LOG_ERROR, "client", "exit code=%d "
	    "(%s)%s%s", code, client_exit_name(code),
	    cl->fail_msg[0] != '\0' && code != 0 ? ": " : "",
	    code != 0 ? cl->fail_msg : "");
	secret_wipe(cl, sizeof(*cl));
	free(cl);
	return code;
}

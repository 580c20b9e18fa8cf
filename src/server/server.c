/*
 * server.c - the server's life cycle: set-up from the configuration (the
 * raw GRE socket open before the first call, RFC 2637 4: a kernel with no
 * protocol-47 socket answers GRE with ICMP protocol-unreachable), the
 * signals (SIGTERM/SIGINT: orderly shutdown in RFC 2637 3.1.2's order;
 * SIGHUP: chap-secrets reloaded, sessions kept; SIGUSR1: a status line per
 * session; SIGCHLD: scripts reaped), housekeeping, and tear-down.
 *
 * Shutdown, bounded in time:
 *   0 s   the listener closes; every session is terminated (LCP
 *         Terminate-Request); as each PPP session ends its PPTP call gets a
 *         CDN (3 Admin-Shutdown), and a control connection left with no
 *         call sends Stop-Control-Connection-Request (3 Local-Shutdown);
 *   2 s   every control connection still open is stopped: the core sends
 *         the remaining CDNs, then StopCCRQ, and awaits StopCCRP for up to
 *         SRV_STOP_REPLY_MS;
 *   7 s   whatever is left is cut, and the process exits.
 * It ends earlier as soon as no connection, session or script is left.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "../base/log.h"
#include "../os/random.h"
#include "server.h"

/* --- small services --- */

void
srv_random(void *buf, size_t n)
{
	if (!os_random(buf, n))
		log_msg(LOG_ERROR, "server", "event=no-random-source");
}

bool
srv_ratelimit_ok(struct srv_ratelimit *r, uint64_t now, uint64_t *suppressed)
{
	if (now - r->window_start >= 1000) {
		r->window_start = now;
		r->in_window = 0;
	}
	if (r->in_window >= r->burst) {
		r->suppressed++;
		return false;
	}
	r->in_window++;
	if (suppressed != NULL)
		*suppressed = r->suppressed;
	r->suppressed = 0;
	return true;
}

static void
cfg_warn(void *ctx, const char *file, int line, const char *msg)
{
	char buf[CFG_MSG_MAX * 2];
	struct sbuf sb;

	(void)ctx;
	sbuf_init(&sb, buf, sizeof(buf));
	sbuf_printf(&sb, "event=config-warning file=");
	srv_print_value(&sb, file);
	sbuf_printf(&sb, " line=%d message=\"", line);
	sbuf_escaped(&sb, msg, strlen(msg));
	sbuf_printf(&sb, "\"");
	log_msg(LOG_WARN, "server", "%s", sbuf_str(&sb));
}

/* --- status and reload --- */

static void
srv_status(struct srv *s)
{
	struct srv_session *ss;
	struct srv_conn *c;
	char line[1024];
	struct sbuf sb;

	sbuf_init(&sb, line, sizeof(line));
	sbuf_printf(&sb, "event=status sessions=%u conns=%u call_ids=%u "
	    "pool_used=%zu pool_available=%zu accepted=%llu refused=%llu "
	    "auth_ok=%llu auth_failed=%llu ", s->nsessions, s->nconns,
	    s->ids.used, pool_used(s->pool), pool_available(s->pool),
	    (unsigned long long)s->n.conns_accepted,
	    (unsigned long long)(s->n.conns_refused_limit +
	    s->n.conns_refused_unauth + s->n.conns_refused_stopping),
	    (unsigned long long)s->n.auth_ok,
	    (unsigned long long)(s->n.auth_failed + s->n.auth_rejected));
	gre_mux_stats_print(gre_mux_stats(s->mux), &sb);
	log_msg(LOG_INFO, "server", "%s", sbuf_str(&sb));
	for (c = s->conns; c != NULL; c = c->next)
		log_msg(LOG_INFO, c->prefix, "peer=%s:%u event=status state=%s "
		    "calls=%u authenticated=%s", c->peer_str,
		    (unsigned)c->port, ctrl_state_str(ctrl_state(&c->ctrl)),
		    srv_conn_ncalls(c), c->authenticated ? "yes" : "no");
	for (ss = s->sessions; ss != NULL; ss = ss->next)
		srv_session_status(ss);
}

static void
srv_reload(struct srv *s)
{
	char file[CFG_PATH_MAX * 2];
	struct sbuf sb;
	int ret;

	sbuf_init(&sb, file, sizeof(file));
	srv_print_value(&sb, s->cfg.secrets_path);
	if ((ret = server_config_reload_secrets(&s->cfg)) != 0) {
		log_msg(LOG_ERROR, "server", "event=reload file=%s result=failed "
		    "error=\"%s\" users=%zu (kept)", file, s->cfg.diag.error,
		    s->cfg.secrets.n);
		return;
	}
	if ((ret = server_config_pool_sync(&s->cfg, s->pool)) != 0)
		log_msg(LOG_ERROR, "server", "event=reload what=pool error=%s",
		    err_str(ret));
	log_msg(LOG_INFO, "server", "event=reload file=%s result=ok users=%zu "
	    "sessions=%u (kept)", file, s->cfg.secrets.n, s->nsessions);
}

/* --- shutdown --- */

static void
srv_shutdown_final(struct srv *s, const char *why)
{
	struct srv_conn *c, *next;

	log_msg(LOG_WARN, "server", "event=shutdown-cut reason=\"%s\" "
	    "conns=%u sessions=%u scripts=%u", why, s->nconns, s->nsessions,
	    s->nscripts);
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		srv_conn_abort(c, "server shutdown");
	}
	ev_stop(s->loop);
}

void
srv_shutdown_check(struct srv *s)
{
	if (!s->stopping || s->nconns != 0 || s->nsessions != 0 ||
	    s->nscripts != 0)
		return;
	log_msg(LOG_INFO, "server", "event=stopped after=%llums",
	    (unsigned long long)(ev_now(s->loop) - s->stop_started));
	ev_stop(s->loop);
}

void
srv_shutdown(struct srv *s, const char *why)
{
	struct srv_session *ss, *snext;
	struct srv_conn *c, *cnext;

	if (s->stopping) {
		srv_shutdown_final(s, "second signal");
		return;
	}
	s->stopping = true;
	s->stop_started = ev_now(s->loop);
	log_msg(LOG_INFO, "server", "event=shutdown reason=%s sessions=%u "
	    "conns=%u", why, s->nsessions, s->nconns);
	if (s->listen_fd >= 0) {
		if (s->listen_added)
			(void)ev_io_del(s->loop, s->listen_fd);
		s->listen_added = false;
		close(s->listen_fd);
		s->listen_fd = -1;
	}
	for (ss = s->sessions; ss != NULL; ss = snext) {
		snext = ss->next;
		srv_session_close(ss, "server shutdown");
	}
	for (c = s->conns; c != NULL; c = cnext) {
		cnext = c->next;
		srv_conn_stop(c, false);
	}
	ev_timer_set(&s->tick, ev_now(s->loop) + 100);
	srv_shutdown_check(s);
}

static void
srv_tick(struct ev_loop *loop, void *ctx)
{
	struct srv *s = ctx;
	struct srv_session *ss, *next;
	struct srv_conn *c, *cnext;
	uint64_t now = ev_now(loop);

	for (ss = s->sessions; ss != NULL; ss = next) {
		next = ss->next;
		srv_session_idle_check(ss, now);
	}
	srv_script_tick(s, now);
	if (s->stopping) {
		if (!s->ctrl_stop_all &&
		    now >= s->stop_started + SRV_SHUTDOWN_PPP_MS) {
			s->ctrl_stop_all = true;
			for (c = s->conns; c != NULL; c = cnext) {
				cnext = c->next;
				srv_conn_stop(c, true);
			}
		}
		if (now >= s->stop_started + SRV_SHUTDOWN_MAX_MS) {
			srv_shutdown_final(s, "time limit");
			return;
		}
		srv_shutdown_check(s);
	}
	ev_timer_set(&s->tick, now + (s->stopping ? 100 : SRV_TICK_MS));
}

static void
srv_on_signal(struct ev_loop *loop, int signo, void *ctx)
{
	struct srv *s = ctx;

	(void)loop;
	switch (signo) {
	case SIGTERM:
		srv_shutdown(s, "SIGTERM");
		break;
	case SIGINT:
		srv_shutdown(s, "SIGINT");
		break;
	case SIGHUP:
		srv_reload(s);
		break;
	case SIGUSR1:
		srv_status(s);
		break;
	case SIGCHLD:
		srv_script_reap(s);
		break;
	default:
		break;
	}
}

/* --- set-up --- */

static int
srv_fail(const char *what, int ret, const char *detail)
{
	log_msg(LOG_ERROR, "server", "event=start-failed what=%s error=\"%s\"%s"
	    "%s%s", what, ret == ERR_SYS ? strerror(errno) : err_str(ret),
	    detail != NULL ? " hint=\"" : "", detail != NULL ? detail : "",
	    detail != NULL ? "\"" : "");
	return ret;
}

static void
srv_open_logfile(struct srv *s)
{
	const char *path = s->cfg.policy.logfile;

	if (path[0] == '\0')
		return;
	if ((s->logfile = fopen(path, "ae")) == NULL) {
		log_msg(LOG_WARN, "server", "event=logfile file=%s error=\"%s\" "
		    "(logging to stderr)", path, strerror(errno));
		return;
	}
	setvbuf(s->logfile, NULL, _IOLBF, 0);
	log_msg(LOG_INFO, "server", "event=logfile file=%s", path);
	log_set_file(s->logfile);
}

static int
srv_open_sockets(struct srv *s)
{
	struct gre_mux_config mc;
	struct tcp_addr la;
	char a[INET_ADDRSTRLEN];
	struct in_addr in;
	int ret;

	if ((ret = netcfg_open(&s->nc)) == 0)
		s->nc_open = true;
	else
		return srv_fail("netlink", ret, "needs CAP_NET_ADMIN");
	gre_mux_config_default(&mc);
	mc.max_calls = s->cfg.connections;
	if (s->cfg.listen != 0) {
		mc.bind_local = true;
		mc.local = netcfg_in4(s->cfg.listen);
	}
	if ((ret = gre_mux_new(&s->mux, s->loop, &mc)) != 0)
		return srv_fail("raw-gre-socket", ret, "needs CAP_NET_RAW; "
		    "with `listen`, the address must be on this host");
	in = netcfg_in4(s->cfg.listen);
	inet_ntop(AF_INET, &in, a, sizeof(a));
	if ((ret = tcp_addr_parse(a, s->opts.port, &la)) != 0)
		return srv_fail("listen-address", ret, NULL);
	if ((ret = tcp_listen(&la, 128, &s->listen_fd)) != 0)
		return srv_fail("listen", ret, "port 1723 needs root or "
		    "CAP_NET_BIND_SERVICE; is another PPTP server running?");
	if ((ret = ev_io_add(s->loop, s->listen_fd, EV_READ, srv_listen_cb,
	    s)) != 0)
		return srv_fail("listen", ret, NULL);
	s->listen_added = true;
	return 0;
}

int
srv_init(struct srv *s, const struct srv_opts *opts)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD };
	char line[1024];
	struct sbuf sb;
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->opts = *opts;
	s->listen_fd = -1;
	s->nc.fd = -1;
	s->rl_refuse.burst = 10;
	s->rl_auth.burst = 20;
	srv_callid_init(&s->ids);
	if (opts->debug)
		log_set_level(LOG_DEBUG);

	ret = server_config_load(&s->cfg, opts->config_path, cfg_warn, s);
	s->cfg_loaded = true;
	if (ret != 0) {
		sbuf_init(&sb, line, sizeof(line));
		sbuf_escaped(&sb, s->cfg.diag.error, strlen(s->cfg.diag.error));
		log_msg(LOG_ERROR, "server", "event=config-error message=\"%s\" "
		    "(not starting)", sbuf_str(&sb));
		return ret;
	}
	if (s->cfg.debug || s->cfg.policy.debug)
		log_set_level(LOG_DEBUG);
	if (s->cfg.log_format == CFG_LOG_JSON)
		log_set_format(LOG_FMT_JSON);
	srv_open_logfile(s);
	sbuf_init(&sb, line, sizeof(line));
	server_config_print(&s->cfg, &sb);
	log_msg(LOG_INFO, "server", "event=config %s", sbuf_str(&sb));

	if ((ret = server_config_pool_new(&s->cfg, &s->pool)) != 0)
		return srv_fail("pool", ret, NULL);
	if ((s->loop = ev_loop_new()) == NULL)
		return srv_fail("event-loop", ERR_SYS, NULL);
	if ((ret = srv_open_sockets(s)) != 0)
		return ret;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if ((ret = ev_signal_add(s->loop, sigs[i], srv_on_signal,
		    s)) != 0)
			return srv_fail("signals", ret, NULL);
	if ((ret = ev_timer_init(&s->tick, s->loop, srv_tick, s)) != 0)
		return srv_fail("timer", ret, NULL);
	s->tick_inited = true;
	ev_timer_set(&s->tick, ev_now(s->loop) + SRV_TICK_MS);
	if (opts->user != NULL) {
		if ((ret = srv_priv_drop(opts->user)) != 0)
			return srv_fail("drop-privileges", ret, ret ==
			    ERR_NOTFOUND ? "no such user" : "/dev/net/tun "
			    "must be open to the user (mode 0666)");
		log_msg(LOG_INFO, "server", "event=privileges user=%s "
		    "kept=cap_net_admin,cap_net_raw", opts->user);
	}
	log_msg(LOG_INFO, "server", "event=listening port=%u pid=%ld "
	    "users=%zu pool=%zu ip-up=%s ip-down=%s", (unsigned)opts->port,
	    (long)getpid(), s->cfg.secrets.n, pool_size(s->pool),
	    opts->ip_up[0] != '\0' ? opts->ip_up : "-",
	    opts->ip_down[0] != '\0' ? opts->ip_down : "-");
	return 0;
}

int
srv_run(struct srv *s)
{
	int ret;

	s->exit_code = 0;
	if ((ret = ev_run(s->loop)) != 0) {
		log_msg(LOG_ERROR, "server", "event=loop-failed error=%s",
		    err_str(ret));
		return 1;
	}
	return s->exit_code;
}

void
srv_fini(struct srv *s)
{
	struct srv_session *ss;
	struct srv_conn *c;

	while ((c = s->conns) != NULL) {
		s->conns = c->next;
		if (c->io_added)
			(void)ev_io_del(s->loop, c->tcp.fd);
		tcp_conn_close(&c->tcp);
		if (c->timer_inited)
			ev_timer_fini(&c->timer);
		free(c);
	}
	s->nconns = 0;
	while ((ss = s->sessions) != NULL) {
		s->sessions = ss->next;
		tunnel_call_free(ss->call);
		tunnel_call_free(ss->orphan);
		free(ss);
	}
	s->nsessions = 0;
	if (s->tick_inited)
		ev_timer_fini(&s->tick);
	s->tick_inited = false;
	if (s->listen_fd >= 0) {
		if (s->listen_added)
			(void)ev_io_del(s->loop, s->listen_fd);
		close(s->listen_fd);
		s->listen_fd = -1;
	}
	srv_script_fini(s);
	/* Deferred frees still queued (calls and sessions already detached
	 * from the mux) run in ev_loop_free, after the mux is gone. */
	gre_mux_free(s->mux);
	s->mux = NULL;
	if (s->nc_open)
		netcfg_close(&s->nc);
	s->nc_open = false;
	pool_free(s->pool);
	s->pool = NULL;
	ev_loop_free(s->loop);
	s->loop = NULL;
	if (s->cfg_loaded)
		server_config_free(&s->cfg);
	s->cfg_loaded = false;
	if (s->logfile != NULL) {
		log_set_file(NULL);
		fclose(s->logfile);
		s->logfile = NULL;
	}
}

/*
 * server_conn.c - the server's TCP side: the listener on port 1723 (RFC
 * 2637 section 2), the limits on who may connect, and one PAC control
 * connection core (src/pptp/ctrl.h) per accepted connection, fed from the
 * TCP stream and writing back through a bounded output buffer.
 *
 * Limits, checked at accept, before any byte is read:
 *   - `connections` control connections at once (pptpd.conf(5));
 *   - `max-unauth-per-ip` connections from one source address that have no
 *     authenticated session yet (landscape 6.8: pptpd's stimeout DoS);
 *   - a connection that sends no Start-Control-Connection-Request within
 *     `stimeout` seconds is closed by the core (RFC 2637 3.1.4 timer,
 *     shortened), and one with no session authenticated after
 *     SRV_UNAUTH_MS is stopped.
 *
 * Closing (RFC 2637 3.1.2, "making sure that the final TCP information has
 * been pushed"): once the core reports CTRL_EV_CLOSED, the buffered bytes
 * and our FIN go out, and the connection waits up to SRV_DRAIN_MS for the
 * peer's FIN before the socket is closed.  Garbage from a peer makes its own
 * core report lost synchronisation (RFC 2637 1.4) and closes that
 * connection only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/log.h"
#include "server.h"

/* --- the control core's callbacks --- */

static void
conn_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct srv_conn *c = ctx;

	/* Only queue: a failure is acted on in srv_conn_after(), outside the
	 * core (ctrl.h forbids calling back into it from here). */
	if (c->write_failed || c->tcp.fd < 0)
		return;
	if (tcp_conn_write(&c->tcp, buf, len) != 0)
		c->write_failed = true;
}

static void
conn_event(void *ctx, const struct ctrl_event *ev)
{
	struct srv_conn *c = ctx;

	switch (ev->type) {
	case CTRL_EV_ESTABLISHED:
		log_msg(LOG_INFO, c->prefix, "peer=%s:%u event=ctrl-up %s",
		    c->peer_str, (unsigned)c->port, ev->text);
		break;
	case CTRL_EV_CALL_REQUEST:
		srv_session_request(c, ev->call);
		break;
	case CTRL_EV_CALL_UP:
		srv_session_call_up(c, ev->call);
		break;
	case CTRL_EV_CALL_DOWN:
		srv_session_call_down(c, ev);
		break;
	case CTRL_EV_CLOSED:
		log_msg(LOG_INFO, c->prefix, "peer=%s:%u event=ctrl-down "
		    "cause=%s orderly=%s %s", c->peer_str, (unsigned)c->port,
		    ctrl_close_cause_str(ev->close),
		    ev->orderly ? "yes" : "no", ev->text);
		break;
	case CTRL_EV_SLI:
	case CTRL_EV_LOG:
	default:
		log_msg(LOG_DEBUG, c->prefix, "peer=%s event=%s %s",
		    c->peer_str, ctrl_event_str(ev->type), ev->text);
		break;
	}
}

/* --- closing --- */

static void
conn_free_deferred(void *ptr)
{
	free(ptr);
}

/* Releases the socket and the timer now, the memory at the end of the
 * iteration.  Never from inside the core's callbacks. */
static void
conn_destroy(struct srv_conn *c)
{
	struct srv *s = c->srv;
	unsigned i;

	if (c->freeing)
		return;
	c->freeing = true;
	if (c->io_added)
		(void)ev_io_del(s->loop, c->tcp.fd);
	c->io_added = false;
	tcp_conn_close(&c->tcp);
	if (c->timer_inited)
		ev_timer_fini(&c->timer);
	c->timer_inited = false;
	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (c->sess[i] != NULL)
			c->sess[i]->conn = NULL;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->nconns--;
	log_msg(LOG_DEBUG, c->prefix, "peer=%s:%u event=tcp-closed",
	    c->peer_str, (unsigned)c->port);
	if (ev_defer(s->loop, conn_free_deferred, c) != 0)
		log_msg(LOG_ERROR, c->prefix, "event=leak what=connection");
	srv_shutdown_check(s);
}

static void
conn_begin_close(struct srv_conn *c)
{
	uint64_t now = ev_now(c->srv->loop);

	c->closing = true;
	c->drain_deadline = now + SRV_DRAIN_MS;
	if (c->tcp.fd < 0 || tcp_conn_shutdown(&c->tcp) != 0)
		c->drain_deadline = now;	/* nothing to wait for */
}

unsigned
srv_conn_ncalls(const struct srv_conn *c)
{
	unsigned i, n = 0;

	for (i = 0; i < CTRL_MAX_CALLS; i++)
		if (c->sess[i] != NULL)
			n++;
	return n;
}

void
srv_conn_stop(struct srv_conn *c, bool force)
{
	int ret;

	if (c->freeing || c->closing || ctrl_is_closed(&c->ctrl))
		return;
	if (!force && (c->stop_sent || srv_conn_ncalls(c) > 0))
		return;
	c->stop_sent = true;
	/* 3 Stop-Local-Shutdown; the core sends the CDNs first. */
	if ((ret = ctrl_stop(&c->ctrl, ev_now(c->srv->loop), 3)) != 0)
		log_msg(LOG_WARN, c->prefix, "event=ctrl-stop error=%s",
		    err_str(ret));
	srv_conn_after(c);
}

void
srv_conn_abort(struct srv_conn *c, const char *why)
{
	if (c->freeing)
		return;
	ctrl_abort(&c->ctrl, ev_now(c->srv->loop), why);
	conn_destroy(c);
}

void
srv_conn_after(struct srv_conn *c)
{
	struct srv *s = c->srv;
	uint64_t now = ev_now(s->loop), d;
	unsigned events;

	if (c->freeing)
		return;
	if (c->write_failed && !ctrl_is_closed(&c->ctrl)) {
		log_msg(LOG_WARN, c->prefix, "peer=%s event=ctrl-abort "
		    "reason=output-full", c->peer_str);
		ctrl_abort(&c->ctrl, now, "peer does not read: output full");
	}
	if (s->stopping && !c->stop_sent && !ctrl_is_closed(&c->ctrl) &&
	    srv_conn_ncalls(c) == 0)
		srv_conn_stop(c, false);
	if (ctrl_is_closed(&c->ctrl) && !c->closing)
		conn_begin_close(c);
	if (c->freeing)
		return;
	events = EV_READ | (tcp_conn_pending(&c->tcp) ? EV_WRITE : 0);
	if (c->io_added && events != c->io_events &&
	    ev_io_mod(s->loop, c->tcp.fd, events) == 0)
		c->io_events = events;
	if (c->closing) {
		d = c->drain_deadline;
	} else {
		d = ctrl_deadline(&c->ctrl);
		if (!c->authenticated && !c->stop_sent &&
		    c->t_accept + SRV_UNAUTH_MS < d)
			d = c->t_accept + SRV_UNAUTH_MS;
	}
	if (c->timer_inited)
		ev_timer_set(&c->timer, d == CTRL_NEVER ? 0 : d);
}

/* --- loop callbacks --- */

static void
conn_timer_cb(struct ev_loop *loop, void *ctx)
{
	struct srv_conn *c = ctx;
	uint64_t now = ev_now(loop);

	if (c->freeing)
		return;
	if (c->closing) {
		if (now >= c->drain_deadline)
			conn_destroy(c);
		else
			srv_conn_after(c);
		return;
	}
	if (!c->authenticated && !c->stop_sent &&
	    now >= c->t_accept + SRV_UNAUTH_MS) {
		log_msg(LOG_INFO, c->prefix, "peer=%s event=unauth-timeout "
		    "after=%us", c->peer_str, SRV_UNAUTH_MS / 1000);
		c->stop_sent = true;
		if (ctrl_stop(&c->ctrl, now, 1) != 0)
			ctrl_abort(&c->ctrl, now, "no authenticated session");
	}
	ctrl_timeout(&c->ctrl, now);
	srv_conn_after(c);
}

static void
conn_io_cb(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct srv_conn *c = ctx;
	uint64_t now = ev_now(loop);
	uint8_t buf[4096];
	size_t n;
	int ret, i;

	(void)fd;
	if (c->freeing)
		return;
	if ((events & EV_WRITE) != 0 && tcp_conn_flush(&c->tcp) != 0) {
		if (c->closing) {
			conn_destroy(c);
			return;
		}
		ctrl_abort(&c->ctrl, now, "tcp write failed");
	}
	if ((events & EV_READ) != 0) {
		if (c->closing) {
			if (tcp_conn_drain(&c->tcp) != 0) {
				conn_destroy(c);	/* FIN (or error) */
				return;
			}
		} else {
			for (i = 0; i < SRV_READ_ROUNDS; i++) {
				ret = tcp_conn_read(&c->tcp, buf, sizeof(buf),
				    &n);
				if (ret != 0) {		/* FIN, reset */
					ctrl_peer_closed(&c->ctrl, now);
					break;
				}
				if (n == 0)
					break;
				if (ctrl_input(&c->ctrl, now, buf, n) ==
				    ERR_CLOSED)
					break;
			}
		}
	}
	srv_conn_after(c);
}

/* --- accepting --- */

unsigned
srv_conn_unauth_count(const struct srv *s, struct in_addr addr)
{
	const struct srv_conn *c;
	unsigned n = 0;

	for (c = s->conns; c != NULL; c = c->next)
		if (!c->closing && !c->authenticated &&
		    c->peer.s_addr == addr.s_addr)
			n++;
	return n;
}

static void
conn_refuse(struct srv *s, int fd, const char *peer, const char *why,
    uint64_t *counter)
{
	uint64_t skipped = 0;

	(*counter)++;
	close(fd);
	if (srv_ratelimit_ok(&s->rl_refuse, ev_now(s->loop), &skipped))
		log_msg(LOG_WARN, "server", "peer=%s event=refused reason=%s "
		    "suppressed=%llu", peer, why, (unsigned long long)skipped);
}

static void
conn_accept(struct srv *s, int fd, const struct tcp_addr *peer)
{
	const struct sockaddr_in *sin;
	struct ctrl_config cc;
	struct srv_conn *c;
	char who[INET_ADDRSTRLEN + 8];
	uint64_t now = ev_now(s->loop);
	int ret;

	if (peer->ss.ss_family != AF_INET) {	/* GRE here is IPv4 only */
		close(fd);
		return;
	}
	sin = (const struct sockaddr_in *)(const void *)&peer->ss;
	if (inet_ntop(AF_INET, &sin->sin_addr, who, sizeof(who)) == NULL)
		snprintf(who, sizeof(who), "?");
	if (s->stopping) {
		conn_refuse(s, fd, who, "shutting-down",
		    &s->n.conns_refused_stopping);
		return;
	}
	if (s->nconns >= s->cfg.connections) {
		conn_refuse(s, fd, who, "connections-limit",
		    &s->n.conns_refused_limit);
		return;
	}
	if (s->cfg.max_unauth_per_ip != 0 && srv_conn_unauth_count(s,
	    sin->sin_addr) >= s->cfg.max_unauth_per_ip) {
		conn_refuse(s, fd, who, "max-unauth-per-ip",
		    &s->n.conns_refused_unauth);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->srv = s;
	c->no = ++s->next_conn_no;
	c->peer = sin->sin_addr;
	c->port = netcfg_sin_port(sin);
	memcpy(c->peer_str, who, sizeof(c->peer_str));
	c->peer_str[sizeof(c->peer_str) - 1] = '\0';
	c->t_accept = now;
	snprintf(c->prefix, sizeof(c->prefix), "ctrl=%llu",
	    (unsigned long long)c->no);
	tcp_conn_init(&c->tcp, fd);

	ctrl_config_default(&cc, CTRL_ROLE_PAC);
	cc.host_name = s->cfg.policy.name;
	cc.start_timeout_ms = s->cfg.stimeout_s * 1000;
	cc.stop_timeout_ms = SRV_STOP_REPLY_MS;
	cc.send = conn_send;
	cc.event = conn_event;
	cc.call_id = srv_session_call_id;
	cc.ctx = c;
	if ((ret = ctrl_init(&c->ctrl, &cc)) != 0 ||
	    (ret = ev_timer_init(&c->timer, s->loop, conn_timer_cb, c)) != 0) {
		log_msg(LOG_ERROR, c->prefix, "event=accept error=%s",
		    err_str(ret));
		tcp_conn_close(&c->tcp);
		free(c);
		return;
	}
	c->timer_inited = true;
	if ((ret = ev_io_add(s->loop, fd, EV_READ, conn_io_cb, c)) != 0) {
		log_msg(LOG_ERROR, c->prefix, "event=accept error=%s",
		    err_str(ret));
		ev_timer_fini(&c->timer);
		tcp_conn_close(&c->tcp);
		free(c);
		return;
	}
	c->io_added = true;
	c->io_events = EV_READ;
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	s->n.conns_accepted++;
	log_msg(LOG_INFO, c->prefix, "peer=%s:%u event=accept conns=%u",
	    c->peer_str, (unsigned)c->port, s->nconns);
	if ((ret = ctrl_start(&c->ctrl, now)) != 0)
		log_msg(LOG_ERROR, c->prefix, "event=ctrl-start error=%s",
		    err_str(ret));
	srv_conn_after(c);
}

static void
listen_resume(struct ev_loop *loop, void *ctx)
{
	struct srv *s = ctx;

	(void)loop;
	if (s->listen_paused && s->listen_fd >= 0 &&
	    ev_io_mod(s->loop, s->listen_fd, EV_READ) == 0)
		s->listen_paused = false;
}

void
srv_listen_cb(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct srv *s = ctx;
	struct tcp_addr peer;
	uint64_t skipped = 0;
	int i, cfd, ret, e;

	(void)events;
	for (i = 0; i < SRV_ACCEPT_BATCH && s->listen_fd >= 0; i++) {
		if ((ret = tcp_accept(fd, &cfd, &peer)) != 0) {
			e = errno;
			if (srv_ratelimit_ok(&s->rl_refuse, ev_now(loop),
			    &skipped))
				log_msg(LOG_WARN, "server", "event=accept "
				    "error=\"%s\" suppressed=%llu", strerror(e),
				    (unsigned long long)skipped);
			/* Out of fds: the connection stays queued, and a
			 * level-triggered listener would spin. */
			if (ev_io_mod(loop, fd, 0) == 0) {
				s->listen_paused = true;
				if (ev_timer_add(loop, ev_now(loop) +
				    SRV_EMFILE_PAUSE_MS, listen_resume, s,
				    NULL) != 0)
					listen_resume(loop, s);
			}
			return;
		}
		if (cfd < 0)
			return;
		conn_accept(s, cfd, &peer);
	}
}

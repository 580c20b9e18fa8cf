/*
 * client_ctrl.c - the client's TCP connection and PPTP control connection
 * in the PNS role (RFC 2637 1.3): connect to port 1723 (section 2),
 * Start-Control-Connection-Request/-Reply (2.1, 2.2), one
 * Outgoing-Call-Request with a random Call ID (2.7) and its reply (2.8),
 * Call-Disconnect-Notify (2.13), and the end of the connection (3.1.2:
 * Stop-Control-Connection-Request/-Reply, then TCP FIN).  The protocol is
 * src/pptp/ctrl.h's; this file moves its bytes, arms its timer and turns
 * its events into the client's progress and failures.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "../os/random.h"
#include "../base/log.h"
#include "client_int.h"

#define TCP_READ_ROUNDS	16

/* --- the socket --- */

static void
fd_events_set(struct client *cl, unsigned want)
{
	if (cl->conn.fd < 0 || !cl->fd_added || want == cl->fd_events)
		return;
	if (ev_io_mod(cl->loop, cl->conn.fd, want) == 0)
		cl->fd_events = want;
}

void
client_tcp_close(struct client *cl)
{
	ev_timer_stop(&cl->t_linger);
	if (cl->conn.fd < 0)
		return;
	if (cl->fd_added)
		(void)ev_io_del(cl->loop, cl->conn.fd);
	cl->fd_added = false;
	cl->fd_events = 0;
	tcp_conn_close(&cl->conn);
}

static const char *
connect_hint(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return ": nothing listens on that port (is the server "
		    "running? is the address right?)";
	case ENETUNREACH:
	case EHOSTUNREACH:
		return ": no route to the server";
	case ETIMEDOUT:
		return ": no answer";
	default:
		return "";
	}
}

static void
tcp_failed(struct client *cl, int err)
{
	client_fail(cl, CLIENT_EXIT_TCP, false, false, "tcp",
	    "connecting to %s port %u failed: %s%s", cl->cfg.server_name,
	    (unsigned)cl->cfg.port, strerror(err), connect_hint(err));
}

/* --- the control connection's callbacks --- */

static void
ctrl_send_cb(void *ctx, const uint8_t *buf, size_t len)
{
	struct client *cl = ctx;
	int ret;

	if (cl->conn.fd < 0 || cl->tcp_broken)
		return;
	if ((ret = tcp_conn_write(&cl->conn, buf, len)) != 0) {
		log_msg(LOG_WARN, cl->prefix, "control write failed: %s",
		    ret == ERR_SYS ? strerror(errno) : err_str(ret));
		cl->tcp_broken = true;
	}
}

static int
ctrl_call_id_cb(void *ctx, uint16_t *id)
{
	uint8_t b[2];

	(void)ctx;
	do {
		if (!os_random(b, sizeof(b)))
			return ERR_SYS;
		*id = (uint16_t)(b[0] << 8 | b[1]);
	} while (*id == 0);
	return 0;
}

static void
call_placed(struct client *cl)
{
	uint16_t id;
	int ret;

	if ((ret = ctrl_call_open(&cl->ctrl, ev_now(cl->loop), NULL,
	    &id)) != 0) {
		client_fail(cl, CLIENT_EXIT_LOCAL, true, false, "call",
		    "cannot place the call: %s", err_str(ret));
		return;
	}
	cl->call_id = id;
	cl->state = CLIENT_CALLING;
	log_msg(LOG_DEBUG, cl->prefix, "Outgoing-Call-Request call_id=%u",
	    (unsigned)id);
}

/* A call or the connection went away under a live tunnel call: what the
 * server did, in words, with the exit status it means.  The call is
 * dropped first, so that a precise cause PPP already knows (an MS-CHAP
 * Failure read before the Call-Disconnect-Notify) is the one recorded;
 * the attempt's end waits for the loop (client_progress), not for us. */
static void
link_lost(struct client *cl, const char *what, const char *text)
{
	struct tunnel_call_stats st;

	tunnel_call_stats(cl->call, &st);
	client_link_lower_down(cl);
	if (cl->attempt_up)
		client_fail(cl, CLIENT_EXIT_LINK_LOST, false, false, "link",
		    "%s: %s", what, text);
	else if (st.gre_rx_packets == 0)
		client_fail(cl, CLIENT_EXIT_NO_GRE, false, false, "gre",
		    "%s before any GRE arrived (GRE blocked on the path?): "
		    "%s", what, text);
	else
		client_fail(cl, CLIENT_EXIT_PPP, false, false, "ppp",
		    "%s during PPP negotiation: %s", what, text);
}

static void
ctrl_event_cb(void *ctx, const struct ctrl_event *ev)
{
	struct client *cl = ctx;

	switch (ev->type) {
	case CTRL_EV_ESTABLISHED:
		log_msg(LOG_INFO, cl->prefix, "control connection up %s",
		    ev->text);
		if (!cl->tearing_down)
			call_placed(cl);
		break;
	case CTRL_EV_CALL_UP:
		log_msg(LOG_INFO, cl->prefix, "%s", ev->text);
		if (!cl->tearing_down && ev->call != NULL)
			client_link_start(cl, ev->call);
		break;
	case CTRL_EV_REFUSED:
		client_fail(cl, CLIENT_EXIT_CONTROL, false, false,
		    ev->call != NULL ? "call" : "control",
		    "the server refused the %s: %s", ev->call != NULL ?
		    "call (Outgoing-Call-Reply)" :
		    "control connection (Start-Control-Connection-Reply)",
		    ev->text);
		break;
	case CTRL_EV_CALL_DOWN:
		log_msg(LOG_INFO, cl->prefix, "%s", ev->text);
		if (ev->down == CTRL_DOWN_CLOSING)
			break;		/* CTRL_EV_CLOSED follows and says why */
		if (cl->call != NULL)
			link_lost(cl, ev->down == CTRL_DOWN_CDN ?
			    "the server disconnected the call" :
			    "the call ended", ev->text);
		else if (ev->down == CTRL_DOWN_TIMEOUT)
			client_fail(cl, CLIENT_EXIT_CONTROL, false, false,
			    "call", "no Outgoing-Call-Reply within %u ms",
			    cl->cfg.connect_timeout_ms);
		else if (ev->down == CTRL_DOWN_CDN && !cl->tearing_down)
			client_fail(cl, CLIENT_EXIT_CONTROL, false, false,
			    "call", "the server disconnected the call "
			    "before it was up: %s", ev->text);
		client_teardown(cl, "call down");
		break;
	case CTRL_EV_CLOSED:
		log_msg(LOG_INFO, cl->prefix, "control connection closed "
		    "cause=%s orderly=%s: %s", ctrl_close_cause_str(ev->close),
		    ev->orderly ? "yes" : "no", ev->text);
		if (cl->call != NULL)
			link_lost(cl, "the server closed the control "
			    "connection", ev->text);
		else if (ev->close == CTRL_CLOSE_TIMEOUT &&
		    cl->state == CLIENT_CONTROL)
			client_fail(cl, CLIENT_EXIT_CONTROL, false, false,
			    "control", "no Start-Control-Connection-Reply "
			    "within %u ms: %s", cl->cfg.connect_timeout_ms,
			    ev->text);
		else if (!cl->tearing_down)
			client_fail(cl, CLIENT_EXIT_CONTROL, false, false,
			    "control", "the control connection ended before "
			    "the call was up: %s", ev->text);
		client_teardown(cl, "control connection closed");
		break;
	case CTRL_EV_WAN_ERROR:
		log_msg(LOG_WARN, cl->prefix, "%s", ev->text);
		break;
	case CTRL_EV_SLI:
	case CTRL_EV_LOG:
	case CTRL_EV_CALL_REQUEST:
		log_msg(LOG_DEBUG, cl->prefix, "control %s", ev->text);
		break;
	}
	client_progress(cl);
}

/* --- driving the core --- */

void
client_ctrl_after(struct client *cl)
{
	uint64_t d;

	if (cl->tcp_broken && cl->ctrl_started &&
	    !ctrl_is_closed(&cl->ctrl))
		ctrl_peer_closed(&cl->ctrl, ev_now(cl->loop));
	if (cl->connected)
		fd_events_set(cl, EV_READ |
		    (tcp_conn_pending(&cl->conn) ? EV_WRITE : 0));
	d = cl->ctrl_started && !ctrl_is_closed(&cl->ctrl) ?
	    ctrl_deadline(&cl->ctrl) : CTRL_NEVER;
	if (d == CTRL_NEVER)
		ev_timer_stop(&cl->t_ctrl);
	else
		ev_timer_set(&cl->t_ctrl, d > 0 ? d : 1);
	client_progress(cl);
}

void
client_on_ctrl_timer(struct ev_loop *loop, void *ctx)
{
	struct client *cl = ctx;

	ctrl_timeout(&cl->ctrl, ev_now(loop));
	client_ctrl_after(cl);
}

static void
ctrl_begin(struct client *cl)
{
	struct ctrl_config cc;
	int ret;

	ctrl_config_default(&cc, CTRL_ROLE_PNS);
	cc.max_calls = 1;
	cc.start_timeout_ms = cl->cfg.connect_timeout_ms;
	cc.call_timeout_ms = cl->cfg.connect_timeout_ms;
	cc.stop_timeout_ms = cl->cfg.teardown_ms;
	cc.echo_idle_ms = cl->cfg.echo_idle_ms;
	cc.send = ctrl_send_cb;
	cc.event = ctrl_event_cb;
	cc.call_id = ctrl_call_id_cb;
	cc.ctx = cl;
	if ((ret = ctrl_init(&cl->ctrl, &cc)) != 0) {
		client_fail(cl, CLIENT_EXIT_LOCAL, true, false, "control",
		    "control connection set-up: %s", err_str(ret));
		return;
	}
	cl->ctrl_started = true;
	cl->state = CLIENT_CONTROL;
	ret = ctrl_start(&cl->ctrl, ev_now(cl->loop));
	if (ret != 0)
		client_fail(cl, CLIENT_EXIT_LOCAL, true, false, "control",
		    "control connection start: %s", err_str(ret));
}

static void
on_tcp(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct client *cl = ctx;
	uint8_t buf[1024];
	bool eof = false;
	size_t n;
	int ret, i;

	(void)fd;
	if (!cl->connected) {
		if ((ret = tcp_connect_result(cl->conn.fd)) == ERR_STATE)
			return;
		if (ret != 0) {
			tcp_failed(cl, errno);
			client_progress(cl);
			return;
		}
		cl->connected = true;
		client_watch_set(cl, CLIENT_WATCH_NONE, 0);
		log_msg(LOG_INFO, cl->prefix, "tcp connected");
		if (!cl->tearing_down)
			ctrl_begin(cl);
		client_ctrl_after(cl);
		return;
	}
	if ((events & EV_WRITE) != 0 && tcp_conn_flush(&cl->conn) != 0)
		cl->tcp_broken = true;
	for (i = 0; (events & EV_READ) != 0 && i < TCP_READ_ROUNDS &&
	    cl->conn.fd >= 0; i++) {
		ret = tcp_conn_read(&cl->conn, buf, sizeof(buf), &n);
		if (ret == 0 && n == 0)
			break;
		if (ret != 0) {
			if (ret == ERR_SYS)
				log_msg(LOG_INFO, cl->prefix, "control "
				    "connection read: %s", strerror(errno));
			eof = true;
			break;
		}
		if (cl->ctrl_started && !ctrl_is_closed(&cl->ctrl)) {
			(void)ctrl_input(&cl->ctrl, ev_now(loop), buf, n);
		}
	}
	if (eof) {
		/* The server is gone; nothing more can be said to it. */
		client_tcp_close(cl);
		if (cl->ctrl_started && !ctrl_is_closed(&cl->ctrl))
			ctrl_peer_closed(&cl->ctrl, ev_now(loop));
	}
	client_ctrl_after(cl);
}

void
client_tcp_start(struct client *cl)
{
	int fd, ret;

	if ((ret = tcp_connect(&cl->addr, &fd)) != 0) {
		tcp_failed(cl, ret == ERR_SYS ? errno : EINVAL);
		return;
	}
	tcp_conn_init(&cl->conn, fd);
	if (ev_io_add(cl->loop, fd, EV_WRITE, on_tcp, cl) != 0) {
		client_fail(cl, CLIENT_EXIT_LOCAL, true, false, "local",
		    "event loop: %s", strerror(errno));
		return;
	}
	cl->fd_added = true;
	cl->fd_events = EV_WRITE;
	client_watch_set(cl, CLIENT_WATCH_CONNECT, cl->cfg.connect_timeout_ms);
	log_msg(LOG_DEBUG, cl->prefix, "tcp connecting");
}

/* --- tear-down steps --- */

bool
client_ctrl_closing(struct client *cl)
{
	int ret;

	if (!cl->ctrl_started || ctrl_is_closed(&cl->ctrl))
		return false;
	if (!cl->ctrl_stopping) {
		cl->ctrl_stopping = true;
		/* CCRQ for the call, CDN, then StopCCRQ and StopCCRP. */
		ret = ctrl_stop(&cl->ctrl, ev_now(cl->loop), cl->stopping ?
		    PPTP_STOP_LOCAL_SHUTDOWN : PPTP_STOP_NONE);
		if (ret != 0)
			ctrl_abort(&cl->ctrl, ev_now(cl->loop), err_str(ret));
		client_ctrl_after(cl);
	}
	return cl->ctrl_started && !ctrl_is_closed(&cl->ctrl);
}

void
client_ctrl_abort(struct client *cl, const char *why)
{
	if (cl->ctrl_started && !ctrl_is_closed(&cl->ctrl))
		ctrl_abort(&cl->ctrl, ev_now(cl->loop), why);
}

bool
client_tcp_closing(struct client *cl)
{
	if (cl->conn.fd < 0)
		return false;
	if (!cl->connected || cl->tcp_broken) {
		client_tcp_close(cl);
		return false;
	}
	if (!cl->tcp_shut) {
		/* RFC 2637 3.1.2: push the last message, then FIN; the
		 * server's FIN (or the linger time) ends it. */
		cl->tcp_shut = true;
		if (tcp_conn_shutdown(&cl->conn) != 0) {
			client_tcp_close(cl);
			return false;
		}
		fd_events_set(cl, EV_READ |
		    (tcp_conn_pending(&cl->conn) ? EV_WRITE : 0));
		ev_timer_set(&cl->t_linger, ev_now(cl->loop) +
		    CLIENT_LINGER_MS);
	}
	return true;
}

void
client_on_linger(struct ev_loop *loop, void *ctx)
{
	struct client *cl = ctx;

	(void)loop;
	log_msg(LOG_DEBUG, cl->prefix, "no FIN from the server in %u ms",
	    CLIENT_LINGER_MS);
	client_tcp_close(cl);
	client_progress(cl);
}

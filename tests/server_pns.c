/*
 * server_pns.c - the minimal PPTP client of server_pns.h: RFC 2637 PNS
 * control connection (SCCRQ, OCRQ; StopCCRQ at hang-up) through the
 * control core, PPP client over a tunnel call once the Outgoing-Call-Reply
 * names the server's Call ID.  Test support.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "server_pns.h"

static void
cl_seq(struct pns_client *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
cl_seq(struct pns_client *c, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	pthread_mutex_lock(&c->mu);
	n = strlen(c->seq);
	if (n + 2 < sizeof(c->seq)) {
		if (n != 0)
			c->seq[n++] = ',';
		va_start(ap, fmt);
		vsnprintf(c->seq + n, sizeof(c->seq) - n, fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&c->mu);
}

static void
cl_after(struct pns_client *c)
{
	struct ev_loop *loop = c->pns->loop;
	uint64_t d;
	unsigned ev;

	if (c->done || !c->io_added)
		return;
	if (ctrl_is_closed(&c->ctrl)) {
		(void)!tcp_conn_flush(&c->tcp);
		(void)ev_io_del(loop, c->tcp.fd);
		tcp_conn_close(&c->tcp);
		ev_timer_stop(&c->timer);
		c->done = true;
		atomic_store(&c->closed, true);
		return;
	}
	ev = !c->connected ? EV_READ | EV_WRITE : EV_READ |
	    (tcp_conn_pending(&c->tcp) ? EV_WRITE : 0);
	if (ev != c->io_events && ev_io_mod(loop, c->tcp.fd, ev) == 0)
		c->io_events = ev;
	d = ctrl_deadline(&c->ctrl);
	if (c->connected)
		ev_timer_set(&c->timer, d == CTRL_NEVER ? 0 : d);
}

static void
cl_tun_event(void *ctx, struct tunnel_call *call, const struct ppp_event *ev)
{
	struct pns_client *c = ctx;

	switch (ev->type) {
	case PPP_EV_AUTH_OK:
		cl_seq(c, "auth-ok");
		break;
	case PPP_EV_IP_UP:
		c->local = ev->u.ip.local;
		c->peer = ev->u.ip.peer;
		c->mppe_bits = ev->u.ip.mppe_bits;
		c->stateless = ev->u.ip.mppe_stateless;
		snprintf(c->ifname, sizeof(c->ifname), "%s",
		    tunnel_call_ifname(call));
		cl_seq(c, "ip-up");
		atomic_store(&c->ip_up, true);
		break;
	case PPP_EV_DOWN:
		c->reason = (int)ev->u.down.reason;
		cl_seq(c, "ppp-down:%s",
		    ppp_down_reason_name(ev->u.down.reason));
		(void)!tunnel_call_free_later(call);
		c->call = NULL;
		atomic_store(&c->ppp_down, true);
		if (c->hangup)
			(void)!ctrl_stop(&c->ctrl, ev_now(c->pns->loop), 1);
		cl_after(c);
		break;
	default:
		break;
	}
}

static void
cl_call_up(struct pns_client *c, const struct ctrl_call *k)
{
	struct tunnel_call_config tc;
	int ret;

	tunnel_call_config_default(&tc, PPP_ROLE_CLIENT);
	tc.peer = c->pns->server;
	tc.our_call_id = k->call_id;
	tc.peer_call_id = k->peer_call_id;
	tc.gre.peer_rwin = k->peer_rwin;
	tc.gre.our_rwin = k->our_rwin;
	tc.gre.ppd = k->peer_ppd;
	snprintf(tc.ppp.user, sizeof(tc.ppp.user), "%s", c->user);
	snprintf(tc.ppp.password, sizeof(tc.ppp.password), "%s", c->pass);
	snprintf(tc.tun_name, sizeof(tc.tun_name), "pkc%%d");
	tc.event = cl_tun_event;
	tc.ctx = c;
	ret = tunnel_call_new(&c->call, c->pns->loop, c->pns->mux, &tc);
	memset(tc.ppp.password, 0, sizeof(tc.ppp.password));
	if (ret != 0 || tunnel_call_start(c->call) != 0)
		cl_seq(c, "tunnel-failed:%s", err_str(ret));
}

static void
cl_event(void *ctx, const struct ctrl_event *ev)
{
	struct pns_client *c = ctx;
	uint16_t id;

	switch (ev->type) {
	case CTRL_EV_ESTABLISHED:
		cl_seq(c, "established");
		if (ctrl_call_open(&c->ctrl, ev_now(c->pns->loop), NULL,
		    &id) != 0)
			cl_seq(c, "call-open-failed");
		break;
	case CTRL_EV_CALL_UP:
		c->server_call_id = ev->call->peer_call_id;
		cl_seq(c, "call-up");
		cl_call_up(c, ev->call);
		break;
	case CTRL_EV_CALL_DOWN:
		c->cdn_result = ev->result;
		cl_seq(c, "call-down:%s/%u", ctrl_down_cause_str(ev->down),
		    (unsigned)ev->result);
		atomic_store(&c->call_down, true);
		if (c->call != NULL)
			(void)!tunnel_call_lower_down(c->call);
		break;
	case CTRL_EV_CLOSED:
		c->close_cause = (int)ev->close;
		c->orderly = ev->orderly;
		cl_seq(c, "closed:%s", ctrl_close_cause_str(ev->close));
		break;
	case CTRL_EV_REFUSED:
		cl_seq(c, "refused");
		break;
	default:
		break;
	}
}

static void
cl_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct pns_client *c = ctx;

	if (tcp_conn_write(&c->tcp, buf, len) != 0)
		cl_seq(c, "write-failed");
}

static int
cl_call_id(void *ctx, uint16_t *id)
{
	(void)ctx;
	do {
		if (getrandom(id, sizeof(*id), 0) != (ssize_t)sizeof(*id))
			return ERR_SYS;
	} while (*id == 0);
	return 0;
}

static void
cl_io(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct pns_client *c = ctx;
	uint8_t buf[2048];
	size_t n;
	int i, ret;

	(void)fd;
	if (c->done)
		return;
	if (!c->connected) {
		if ((ret = tcp_connect_result(c->tcp.fd)) == ERR_STATE)
			return;
		c->connected = true;
		if (ret != 0 || ctrl_start(&c->ctrl, ev_now(loop)) != 0) {
			cl_seq(c, "connect-failed");
			ctrl_abort(&c->ctrl, ev_now(loop), "connect");
		}
		cl_after(c);
		return;
	}
	if ((events & EV_WRITE) != 0)
		(void)!tcp_conn_flush(&c->tcp);
	for (i = 0; (events & EV_READ) != 0 && i < 16; i++) {
		if (tcp_conn_read(&c->tcp, buf, sizeof(buf), &n) != 0) {
			ctrl_peer_closed(&c->ctrl, ev_now(loop));
			break;
		}
		if (n == 0 || ctrl_input(&c->ctrl, ev_now(loop), buf, n) != 0)
			break;
	}
	cl_after(c);
}

static void
cl_timer(struct ev_loop *loop, void *ctx)
{
	struct pns_client *c = ctx;

	ctrl_timeout(&c->ctrl, ev_now(loop));
	cl_after(c);
}

static void
cl_connect(struct pns_client *c)
{
	struct ctrl_config cc;
	struct tcp_addr a;
	char ip[INET_ADDRSTRLEN];
	int fd;

	ctrl_config_default(&cc, CTRL_ROLE_PNS);
	cc.host_name = "test-pns";
	cc.send = cl_send;
	cc.event = cl_event;
	cc.call_id = cl_call_id;
	cc.ctx = c;
	inet_ntop(AF_INET, &c->pns->server, ip, sizeof(ip));
	if (tcp_addr_parse(ip, TCP_PPTP_PORT, &a) != 0 ||
	    ctrl_init(&c->ctrl, &cc) != 0 ||
	    ev_timer_init(&c->timer, c->pns->loop, cl_timer, c) != 0) {
		cl_seq(c, "setup-failed");
		atomic_store(&c->closed, true);
		return;
	}
	c->started = true;
	if (tcp_connect(&a, &fd) != 0) {
		cl_seq(c, "connect-failed");
		atomic_store(&c->closed, true);
		c->done = true;
		return;
	}
	tcp_conn_init(&c->tcp, fd);
	if (ev_io_add(c->pns->loop, fd, EV_READ | EV_WRITE, cl_io, c) == 0) {
		c->io_added = true;
		c->io_events = EV_READ | EV_WRITE;
	}
}

static void
pns_tick(struct ev_loop *loop, void *ctx)
{
	struct pns *p = ctx;
	struct pns_client *c;
	unsigned i;
	int cmd;

	if (atomic_load(&p->stop)) {
		ev_stop(loop);
		return;
	}
	for (i = 0; i < p->n; i++) {
		c = &p->cl[i];
		cmd = atomic_exchange(&c->cmd, 0);
		if (cmd == 1 && !c->started)
			cl_connect(c);
		if (cmd == 2 && c->started && !c->done) {
			c->hangup = true;
			if (c->call != NULL)
				(void)tunnel_call_close(c->call, "test hangup");
			else
				(void)!ctrl_stop(&c->ctrl, ev_now(loop), 1);
			cl_after(c);
		}
	}
	ev_timer_set(&p->tick, ev_now(loop) + 10);
}

static void *
pns_main(void *arg)
{
	struct pns *p = arg;
	struct gre_mux_config mc;
	char path[64];
	unsigned i;
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", p->ns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    setns(fd, CLONE_NEWNET) != 0 || (p->loop = ev_loop_new()) == NULL) {
		atomic_store(&p->state, -1);
		return NULL;
	}
	close(fd);
	gre_mux_config_default(&mc);
	mc.max_calls = 16;
	if (gre_mux_new(&p->mux, p->loop, &mc) != 0 ||
	    ev_timer_init(&p->tick, p->loop, pns_tick, p) != 0) {
		atomic_store(&p->state, -1);
		return NULL;
	}
	ev_timer_set(&p->tick, ev_now(p->loop) + 10);
	atomic_store(&p->state, 1);
	(void)ev_run(p->loop);
	for (i = 0; i < p->n; i++) {
		tunnel_call_free(p->cl[i].call);
		p->cl[i].call = NULL;
		if (p->cl[i].io_added && !p->cl[i].done) {
			(void)ev_io_del(p->loop, p->cl[i].tcp.fd);
			tcp_conn_close(&p->cl[i].tcp);
		}
		if (p->cl[i].started)
			ev_timer_fini(&p->cl[i].timer);
	}
	ev_timer_fini(&p->tick);
	gre_mux_free(p->mux);
	ev_loop_free(p->loop);
	atomic_store(&p->state, 2);
	return NULL;
}

bool
pns_wait(atomic_bool *flag, int ms)
{
	struct timespec ts = { 0, 10 * 1000000 };
	int i;

	for (i = 0; i <= ms / 10 && !atomic_load(flag); i++)
		nanosleep(&ts, NULL);
	return atomic_load(flag);
}

bool
pns_start(struct pns *p, const char *ns, const char *server,
    const char *const *users, const char *const *passwords, unsigned n)
{
	struct timespec ts = { 0, 10 * 1000000 };
	unsigned i;

	memset(p, 0, sizeof(*p));
	if (n > PNS_MAX || inet_pton(AF_INET, server, &p->server) != 1)
		return false;
	snprintf(p->ns, sizeof(p->ns), "%s", ns);
	p->n = n;
	for (i = 0; i < n; i++) {
		p->cl[i].pns = p;
		snprintf(p->cl[i].user, sizeof(p->cl[i].user), "%s", users[i]);
		snprintf(p->cl[i].pass, sizeof(p->cl[i].pass), "%s",
		    passwords[i]);
		pthread_mutex_init(&p->cl[i].mu, NULL);
	}
	if (pthread_create(&p->th, NULL, pns_main, p) != 0)
		return false;
	for (i = 0; i < 500 && atomic_load(&p->state) == 0; i++)
		nanosleep(&ts, NULL);
	if (atomic_load(&p->state) != 1) {
		atomic_store(&p->stop, true);
		pthread_join(p->th, NULL);
		return false;
	}
	return true;
}

void
pns_connect(struct pns *p, unsigned i)
{
	atomic_store(&p->cl[i].cmd, 1);
}

void
pns_hangup(struct pns *p, unsigned i)
{
	atomic_store(&p->cl[i].cmd, 2);
}

void
pns_stop(struct pns *p)
{
	atomic_store(&p->stop, true);
	pthread_join(p->th, NULL);
}

bool
pns_seq_order(struct pns_client *c, const char *a, const char *b)
{
	const char *pa, *pb;
	bool ok;

	pthread_mutex_lock(&c->mu);
	pa = strstr(c->seq, a);
	pb = strstr(c->seq, b);
	ok = pa != NULL && pb != NULL && pa < pb;
	pthread_mutex_unlock(&c->mu);
	return ok;
}

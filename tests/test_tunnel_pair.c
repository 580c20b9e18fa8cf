/*
 * test_tunnel_pair.c - a real tunnel between two network namespaces: a
 * PAC-role (server) and a PNS-role (client) tunnel_call, each side with its
 * own gre_mux and event loop in a thread of its own, joined by a veth pair
 * (10.99.0.1/24 in "a", 10.99.0.2/24 in "b", inside namespaces this test
 * creates and deletes).  The control channel is not involved: both sides
 * are given the Call IDs, windows and peer address it would have agreed.
 *
 * Two call pairs share the two muxes:
 *   pair 0: 10.98.0.2 (client, in a) <-> 10.98.0.1 (server, in b),
 *           MS-CHAPv2, MPPE-128 stateless, IPv6 too, window AUTO;
 *   pair 1: 10.98.1.2 <-> 10.98.1.1, the same, but the GRE window enforced
 *           from the first packet at 4 packets (floor 0), so the sender
 *           meets a full window and must hold and pause.
 * Checked: both pairs reach IP_UP (and IPV6_UP, with the fe80:: address on
 * the interface); ICMP echo through each tunnel; a few MB each way over TCP
 * through pair 0 (with a route that advertises MSS 1460, so the SYN must be
 * clamped) and 1 MB through pair 1, byte-exact; GRE from strangers (an
 * unknown Call ID, a known one from another source address, version 0)
 * counted and dropped while the tunnel keeps working; the client hangs up,
 * both sides report DOWN and the TUN devices are gone.
 *
 * Runs as root.  Every wait is bounded in time and count; the namespaces
 * are deleted at the end and at exit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "../src/event/loop.h"
#include "../src/os/gre_sock.h"
#include "../src/tunnel/call.h"
#include "../src/tunnel/gre_mux.h"
#include "../src/wire/gre.h"
#include "net_probe.h"

#define NPAIR		2
#define CMD_NONE	0
#define CMD_CLOSE	1
#define CMD_STOP	2

struct side;

struct tcall {
	struct side		*side;
	int			 idx;
	struct tunnel_call	*c;		/* the side thread's */
	char			 ifname[IFNAMSIZ];
	uint8_t			 v6_id[8];
	uint16_t		 mtu;
	atomic_bool		 ip_up, ipv6_up, down;
	enum ppp_down_reason	 reason;
	unsigned		 auth_requests, answer_errors;
	int			 free_ret;
	struct tunnel_call_stats stats;		/* at DOWN */
};

struct side {
	char			 ns[32];
	bool			 server;
	struct in_addr		 peer;		/* the other side's veth */
	struct tcall		 calls[NPAIR];
	pthread_t		 th;
	atomic_int		 cmd;
	atomic_int		 state;		/* 0 starting, 1 running,
						 * -1 failed, 2 done */
	int			 fail_ret;
	char			 fail_what[64];
	struct ev_loop		*loop;
	struct gre_mux		*mux;
	struct ev_timer		 tick;
	pthread_mutex_t		 mu;
	struct gre_mux_stats	 mux_snap;	/* under mu */
};

static char ns_a[32], ns_b[32];

/* --- namespaces --- */

static int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void
ns_cleanup(void)
{
	if (ns_a[0] != '\0')
		(void)sh("ip netns del %s 2>/dev/null", ns_a);
	if (ns_b[0] != '\0')
		(void)sh("ip netns del %s 2>/dev/null", ns_b);
	ns_a[0] = ns_b[0] = '\0';
}

static bool
ns_setup(void)
{
	static bool registered;

	snprintf(ns_a, sizeof(ns_a), "pk-dp-a-%d", (int)getpid());
	snprintf(ns_b, sizeof(ns_b), "pk-dp-b-%d", (int)getpid());
	if (!registered && atexit(ns_cleanup) == 0)
		registered = true;
	return sh("ip netns add %s", ns_a) == 0 &&
	    sh("ip netns add %s", ns_b) == 0 &&
	    sh("ip -n %s link add va type veth peer name vb netns %s",
	    ns_a, ns_b) == 0 &&
	    sh("ip -n %s addr add 10.99.0.1/24 dev va", ns_a) == 0 &&
	    sh("ip -n %s addr add 10.99.0.2/24 dev vb", ns_b) == 0 &&
	    sh("ip -n %s link set va up && ip -n %s link set lo up", ns_a,
	    ns_a) == 0 &&
	    sh("ip -n %s link set vb up && ip -n %s link set lo up", ns_b,
	    ns_b) == 0;
}

/* Switches this thread into ns; *saved (if not NULL) is the way back. */
static bool
ns_enter(const char *ns, int *saved)
{
	char path[96];
	int fd, ok;

	if (saved != NULL && (*saved = open("/proc/thread-self/ns/net",
	    O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	ok = setns(fd, CLONE_NEWNET) == 0;
	close(fd);
	return ok;
}

static void
ns_back(int saved)
{
	CHECK_OK(setns(saved, CLONE_NEWNET));
	close(saved);
}

/* A socket made in ns (it stays there, whatever this thread does next). */
static int
ns_socket(const char *ns, int domain, int type, int proto)
{
	int saved, fd;

	if (!ns_enter(ns, &saved))
		return -1;
	fd = socket(domain, type | SOCK_CLOEXEC, proto);
	ns_back(saved);
	return fd;
}

static unsigned
ns_ifindex(const char *ns, const char *ifname)
{
	unsigned idx;
	int saved;

	if (!ns_enter(ns, &saved))
		return 0;
	idx = if_nametoindex(ifname);
	ns_back(saved);
	return idx;
}

/* Whether ifname in ns has fe80::<id>. */
static bool
ns_has_ll(const char *ns, const char *ifname, const uint8_t id[8])
{
	struct ifaddrs *ifa, *i;
	struct sockaddr_in6 *sin6;
	bool found = false;
	int saved;

	if (!ns_enter(ns, &saved))
		return false;
	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i != NULL; i = i->ifa_next) {
			if (i->ifa_addr == NULL ||
			    i->ifa_addr->sa_family != AF_INET6 ||
			    strcmp(i->ifa_name, ifname) != 0)
				continue;
			sin6 = (struct sockaddr_in6 *)(void *)i->ifa_addr;
			if (sin6->sin6_addr.s6_addr[0] == 0xfe &&
			    sin6->sin6_addr.s6_addr[1] == 0x80 &&
			    memcmp(&sin6->sin6_addr.s6_addr[8], id, 8) == 0)
				found = true;
		}
		freeifaddrs(ifa);
	}
	ns_back(saved);
	return found;
}

/* --- one side: a thread with its loop, mux and calls --- */

static void
side_event(void *ctx, struct tunnel_call *call, const struct ppp_event *ev)
{
	struct tcall *tc = ctx;
	struct ppp_auth_answer a;

	switch (ev->type) {
	case PPP_EV_AUTH_REQUEST:
		tc->auth_requests++;
		memset(&a, 0, sizeof(a));
		a.accept = strcmp(ev->u.auth.user_nodomain, "alice") == 0;
		a.mschap_error = 691;
		a.password = "secret";
		a.local_ip = 0x0a620001u | (uint32_t)tc->idx << 8;
		a.peer_ip = 0x0a620002u | (uint32_t)tc->idx << 8;
		if (tunnel_call_auth_answer(call, &a) != 0)
			tc->answer_errors++;
		break;
	case PPP_EV_IP_UP:
		tc->mtu = ev->u.ip.mtu;
		atomic_store(&tc->ip_up, true);
		break;
	case PPP_EV_IPV6_UP:
		memcpy(tc->v6_id, ev->u.ipv6.local_id, 8);
		atomic_store(&tc->ipv6_up, true);
		break;
	case PPP_EV_DOWN:
		tc->reason = ev->u.down.reason;
		tunnel_call_stats(call, &tc->stats);
		tc->free_ret = tunnel_call_free_later(call);
		tc->c = NULL;
		atomic_store(&tc->down, true);
		break;
	default:
		break;
	}
}

static void
side_tick(struct ev_loop *loop, void *ctx)
{
	struct side *s = ctx;
	int i, cmd = atomic_exchange(&s->cmd, CMD_NONE);

	if (cmd == CMD_CLOSE)
		for (i = 0; i < NPAIR; i++)
			if (s->calls[i].c != NULL)
				(void)tunnel_call_close(s->calls[i].c,
				    "test: the client hangs up");
	if (cmd == CMD_STOP) {
		ev_stop(loop);
		return;
	}
	pthread_mutex_lock(&s->mu);
	s->mux_snap = *gre_mux_stats(s->mux);
	pthread_mutex_unlock(&s->mu);
	ev_timer_set(&s->tick, ev_now(loop) + 10);
}

static void
side_config(struct side *s, int i, struct tunnel_call_config *cfg)
{
	tunnel_call_config_default(cfg, s->server ? PPP_ROLE_SERVER :
	    PPP_ROLE_CLIENT);
	cfg->peer = s->peer;
	/* Server Call IDs 100+i, client 200+i. */
	cfg->our_call_id = (uint16_t)((s->server ? 100 : 200) + i);
	cfg->peer_call_id = (uint16_t)((s->server ? 200 : 100) + i);
	cfg->event = side_event;
	cfg->ctx = &s->calls[i];
	cfg->ppp.ipv6 = true;
	if (s->server) {
		snprintf(cfg->ppp.name, sizeof(cfg->ppp.name), "pptpkit");
	} else {
		snprintf(cfg->ppp.user, sizeof(cfg->ppp.user), "alice");
		snprintf(cfg->ppp.password, sizeof(cfg->ppp.password),
		    "secret");
	}
	if (i == 1) {
		cfg->gre.enforce = GRE_WIN_ENFORCE_ON;
		cfg->gre.peer_rwin = 4;
		cfg->gre.our_rwin = 4;
		cfg->gre.window_floor = 0;
	}
}

static int
side_fail(struct side *s, int ret, const char *what)
{
	s->fail_ret = ret;
	snprintf(s->fail_what, sizeof(s->fail_what), "%s", what);
	atomic_store(&s->state, -1);
	return ret;
}

static int
side_setup(struct side *s)
{
	struct tunnel_call_config cfg;
	struct gre_mux_config mc;
	int i, ret;

	if (!ns_enter(s->ns, NULL))
		return side_fail(s, ERR_SYS, "setns");
	if ((s->loop = ev_loop_new()) == NULL)
		return side_fail(s, ERR_NOMEM, "ev_loop_new");
	gre_mux_config_default(&mc);
	mc.max_calls = 16;
	if ((ret = gre_mux_new(&s->mux, s->loop, &mc)) != 0)
		return side_fail(s, ret, "gre_mux_new");
	for (i = 0; i < NPAIR; i++) {
		side_config(s, i, &cfg);
		ret = tunnel_call_new(&s->calls[i].c, s->loop, s->mux, &cfg);
		memset(cfg.ppp.password, 0, sizeof(cfg.ppp.password));
		if (ret != 0)
			return side_fail(s, ret, "tunnel_call_new");
		snprintf(s->calls[i].ifname, sizeof(s->calls[i].ifname), "%s",
		    tunnel_call_ifname(s->calls[i].c));
	}
	if ((ret = ev_timer_init(&s->tick, s->loop, side_tick, s)) != 0)
		return side_fail(s, ret, "ev_timer_init");
	ev_timer_set(&s->tick, ev_now(s->loop) + 10);
	for (i = 0; i < NPAIR; i++)
		if ((ret = tunnel_call_start(s->calls[i].c)) != 0)
			return side_fail(s, ret, "tunnel_call_start");
	return 0;
}

static void *
side_main(void *arg)
{
	struct side *s = arg;
	int i;

	if (side_setup(s) == 0) {
		atomic_store(&s->state, 1);
		(void)ev_run(s->loop);
	}
	for (i = 0; i < NPAIR; i++) {
		if (s->calls[i].c != NULL) {
			tunnel_call_stats(s->calls[i].c, &s->calls[i].stats);
			tunnel_call_free(s->calls[i].c);
			s->calls[i].c = NULL;
		}
	}
	if (s->loop != NULL) {
		ev_timer_fini(&s->tick);
		(void)ev_run_once(s->loop, 0);	/* deferred frees */
		if (s->mux != NULL) {
			pthread_mutex_lock(&s->mu);
			s->mux_snap = *gre_mux_stats(s->mux);
			pthread_mutex_unlock(&s->mu);
		}
		gre_mux_free(s->mux);
		ev_loop_free(s->loop);
	}
	if (atomic_load(&s->state) != -1)
		atomic_store(&s->state, 2);
	return NULL;
}

static void
side_init(struct side *s, const char *ns, bool server, const char *peer)
{
	int i;

	memset(s, 0, sizeof(*s));
	snprintf(s->ns, sizeof(s->ns), "%s", ns);
	s->server = server;
	inet_pton(AF_INET, peer, &s->peer);
	pthread_mutex_init(&s->mu, NULL);
	for (i = 0; i < NPAIR; i++) {
		s->calls[i].side = s;
		s->calls[i].idx = i;
	}
}

static struct gre_mux_stats
side_mux_stats(struct side *s)
{
	struct gre_mux_stats st;

	pthread_mutex_lock(&s->mu);
	st = s->mux_snap;
	pthread_mutex_unlock(&s->mu);
	return st;
}

/* --- waiting --- */

static void
sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
	    .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static bool
all_flag(struct side *sa, struct side *sb, size_t off)
{
	int i;

	for (i = 0; i < NPAIR; i++)
		if (!atomic_load((atomic_bool *)((char *)&sa->calls[i] + off)) ||
		    !atomic_load((atomic_bool *)((char *)&sb->calls[i] + off)))
			return false;
	return true;
}

static bool
wait_all(struct side *sa, struct side *sb, size_t off, int ms)
{
	int i;

	for (i = 0; i < ms / 10; i++) {
		if (all_flag(sa, sb, off))
			return true;
		if (atomic_load(&sa->state) < 0 || atomic_load(&sb->state) < 0)
			return false;
		sleep_ms(10);
	}
	return all_flag(sa, sb, off);
}

static int
ping_from(const char *ns, const char *dst, int count)
{
	struct in_addr d;
	int fd, ok;

	inet_pton(AF_INET, dst, &d);
	if ((fd = ns_socket(ns, AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0)
		return -1;
	ok = probe_ping(fd, d, count, 2000);
	close(fd);
	return ok;
}

/* a2b octets from ns_a to dst:port-in-ns_b and b2a back, through TCP. */
static bool
tcp_through(const char *dst, size_t a2b, size_t b2a)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct probe_xfer x;
	int lfd, cfd = -1;
	bool ok = false;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, dst, &sin.sin_addr);
	if ((lfd = ns_socket(ns_b, AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) < 0 ||
	    (cfd = ns_socket(ns_a, AF_INET, SOCK_STREAM, 0)) < 0) {
		t_check(false, __FILE__, __LINE__, "tcp set-up: %s",
		    strerror(errno));
		goto out;
	}
	memset(&x, 0, sizeof(x));
	x.a2b = a2b;
	x.b2a = b2a;
	ok = probe_tcp(lfd, cfd, &sin, &x, 60000);
	t_note("tcp to %s: %zu/%zu octets a->b, %zu/%zu b->a in %u ms%s%s",
	    dst, x.got_b, a2b, x.got_a, b2a, x.ms, x.error ? ": " : "",
	    x.error ? x.error : "");
	if (!ok)
		t_check(false, __FILE__, __LINE__, "tcp through %s failed "
		    "(%s; hashes a->b %s, b->a %s)", dst,
		    x.error ? x.error : "short or corrupt",
		    x.hash_b == x.sent_a ? "equal" : "differ",
		    x.hash_a == x.sent_b ? "equal" : "differ");
out:
	if (cfd >= 0)
		close(cfd);
	if (lfd >= 0)
		close(lfd);
	return ok;
}

/* GRE from strangers, sent from ns_a to the server side's veth address. */
static void
send_strangers(void)
{
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 4 };
	struct in_addr from, to;
	struct gre_sock *gs = NULL;
	struct gre_hdr h;
	uint8_t pkt[64];
	struct wr w;
	int saved, raw;

	inet_pton(AF_INET, "10.99.0.2", &to);
	inet_pton(AF_INET, "10.99.0.3", &from);	/* nobody's */
	if (!ns_enter(ns_a, &saved))
		return;
	CHECK_OK(gre_sock_open(&gs, NULL));
	ns_back(saved);
	if (gs == NULL)
		return;
	memset(&h, 0, sizeof(h));
	h.has_seq = true;
	h.seq = 12345;
	h.payload_len = sizeof(lcp);
	/* 1: an unknown Call ID from the real peer. */
	h.call_id = 4242;
	wr_init(&w, pkt, sizeof(pkt));
	CHECK_OK(gre_encode(&w, &h));
	(void)wr_bytes(&w, lcp, sizeof(lcp));
	CHECK_OK(gre_sock_send(gs, to, pkt, wr_len(&w)));
	/* 2: version 0 with the server's real Call ID. */
	pkt[6] = 0;
	pkt[7] = 100;
	pkt[1] &= (uint8_t)~GRE_VER_MASK;
	CHECK_OK(gre_sock_send(gs, to, pkt, wr_len(&w)));
	CHECK_OK(gre_sock_flush(gs));
	/* 3: the server's real Call ID (100) from another address. */
	pkt[1] |= GRE_VERSION_PPTP;
	raw = ns_socket(ns_a, AF_INET, SOCK_RAW, IPPROTO_RAW);
	CHECK(raw >= 0);
	if (raw >= 0) {
		CHECK(probe_send_ipv4(raw, from, to, GRE_IP_PROTO, pkt,
		    wr_len(&w)));
		close(raw);
	}
	gre_sock_close(gs);
}

static bool
stranger_counted(struct side *sb, const struct gre_mux_stats *before)
{
	struct gre_mux_stats now;
	int i;

	for (i = 0; i < 200; i++) {
		now = side_mux_stats(sb);
		if (now.rx_stranger >= before->rx_stranger + 2 &&
		    now.rx_not_v1 >= before->rx_not_v1 + 1)
			return true;
		sleep_ms(10);
	}
	return false;
}

static void
note_call(const char *who, const struct tcall *tc)
{
	char line[1024];
	struct sbuf sb;

	sbuf_init(&sb, line, sizeof(line));
	tunnel_call_summary_print(&tc->stats, &sb);
	t_note("%s call %d: %s", who, tc->idx, sbuf_str(&sb));
	sbuf_init(&sb, line, sizeof(line));
	tunnel_call_stats_print(&tc->stats, &sb);
	t_note("  %s", sbuf_str(&sb));
}

TEST(tunnel_pair_over_veth_carries_traffic)
{
	static struct side sa, sb;
	struct gre_mux_stats before;
	bool threads = false;
	int i;

	if (geteuid() != 0) {
		t_check(false, __FILE__, __LINE__, "this test needs root "
		    "(network namespaces, veth, raw sockets, TUN)");
		return;
	}
	if (!ns_setup()) {
		t_check(false, __FILE__, __LINE__, "cannot set up the "
		    "namespaces and the veth pair (ip netns, ip link)");
		goto out;
	}
	side_init(&sa, ns_a, false, "10.99.0.2");	/* client, PNS */
	side_init(&sb, ns_b, true, "10.99.0.1");	/* server, PAC */
	if (pthread_create(&sb.th, NULL, side_main, &sb) != 0)
		goto out;
	if (pthread_create(&sa.th, NULL, side_main, &sa) != 0) {
		atomic_store(&sb.cmd, CMD_STOP);
		pthread_join(sb.th, NULL);
		goto out;
	}
	threads = true;

	/* Both pairs up, with MPPE (the event's MTU is the MRU less 4). */
	CHECK(wait_all(&sa, &sb, offsetof(struct tcall, ip_up), 20000));
	CHECK(wait_all(&sa, &sb, offsetof(struct tcall, ipv6_up), 5000));
	if (atomic_load(&sa.state) < 0 || atomic_load(&sb.state) < 0) {
		t_check(false, __FILE__, __LINE__, "side set-up failed: "
		    "a: %s %d, b: %s %d", sa.fail_what, sa.fail_ret,
		    sb.fail_what, sb.fail_ret);
		goto stop;
	}
	if (!all_flag(&sa, &sb, offsetof(struct tcall, ip_up)))
		goto stop;
	for (i = 0; i < NPAIR; i++) {
		CHECK_EQ(sa.calls[i].mtu, PPP_MRU_DEFAULT - 4);
		CHECK_EQ(sb.calls[i].auth_requests, 1);
		CHECK_EQ(sb.calls[i].answer_errors, 0);
		CHECK(ns_ifindex(ns_a, sa.calls[i].ifname) != 0);
		CHECK(ns_has_ll(ns_a, sa.calls[i].ifname, sa.calls[i].v6_id));
		CHECK(ns_has_ll(ns_b, sb.calls[i].ifname, sb.calls[i].v6_id));
	}

	/* ICMP echo through each tunnel, client to server. */
	CHECK_EQ(ping_from(ns_a, "10.98.0.1", 3), 3);
	CHECK_EQ(ping_from(ns_a, "10.98.1.1", 3), 3);

	/* TCP: the route to the server advertises MSS 1460, above what the
	 * tunnel carries, so the client's call must clamp the SYN. */
	CHECK_EQ(sh("ip -n %s route replace 10.98.0.1/32 dev %s src "
	    "10.98.0.2 advmss 1460", ns_a, sa.calls[0].ifname), 0);
	CHECK(tcp_through("10.98.0.1", 4u << 20, 1u << 20));
	/* Pair 1's window of 4 packets makes the sender wait. */
	CHECK(tcp_through("10.98.1.1", 1u << 20, 64u << 10));

	/* Strangers are counted and dropped; the tunnel carries on. */
	before = side_mux_stats(&sb);
	send_strangers();
	CHECK(stranger_counted(&sb, &before));
	CHECK_EQ(ping_from(ns_a, "10.98.0.1", 2), 2);
	CHECK_EQ(ping_from(ns_a, "10.98.1.1", 2), 2);
	before = side_mux_stats(&sb);
	t_note("server mux: stranger=%llu not_v1=%llu dispatched=%llu",
	    (unsigned long long)before.rx_stranger,
	    (unsigned long long)before.rx_not_v1,
	    (unsigned long long)before.rx_dispatched);

	/* The client hangs up both calls: DOWN on both sides, the
	 * interfaces gone. */
	atomic_store(&sa.cmd, CMD_CLOSE);
	CHECK(wait_all(&sa, &sb, offsetof(struct tcall, down), 15000));
	for (i = 0; i < NPAIR; i++) {
		if (!atomic_load(&sa.calls[i].down) ||
		    !atomic_load(&sb.calls[i].down))
			continue;
		CHECK_EQ(sa.calls[i].reason, PPP_DOWN_ADMIN);
		CHECK_EQ(sb.calls[i].reason, PPP_DOWN_PEER);
		CHECK_OK(sa.calls[i].free_ret);
		CHECK_OK(sb.calls[i].free_ret);
		CHECK_EQ(ns_ifindex(ns_a, sa.calls[i].ifname), 0);
		CHECK_EQ(ns_ifindex(ns_b, sb.calls[i].ifname), 0);
	}
stop:
	atomic_store(&sa.cmd, CMD_STOP);
	atomic_store(&sb.cmd, CMD_STOP);
	pthread_join(sa.th, NULL);
	pthread_join(sb.th, NULL);
	threads = false;

	/* What the counters say. */
	for (i = 0; i < NPAIR; i++) {
		note_call("client", &sa.calls[i]);
		note_call("server", &sb.calls[i]);
	}
	/* Pair 0: 4 MB out of the client's TUN, 1 MB into it, the SYN
	 * clamped on the way out. */
	CHECK(sa.calls[0].stats.tun_rx_bytes > 4u << 20);
	CHECK(sa.calls[0].stats.tun_tx_bytes > 1u << 20);
	CHECK(sa.calls[0].stats.mss_clamped_out >= 1);
	CHECK(sa.calls[0].stats.gre.rx_accepted > 700);
	CHECK(sb.calls[0].stats.gre.rx_accepted > 3000);
	CHECK(sb.calls[0].stats.gre_tx_ack_only +
	    sb.calls[0].stats.gre.tx_acks > 0);
	CHECK_EQ(sa.calls[0].stats.ctrl_dropped, 0);
	/* Pair 1: the window filled; a frame was held, reading paused, and
	 * everything still arrived (checked by the transfer). */
	CHECK(sa.calls[1].stats.tx_window_full > 0);
	CHECK(sa.calls[1].stats.tun_paused > 0);
	CHECK(sa.calls[1].stats.gre.tx_stalls > 0);
	CHECK(sa.calls[1].stats.gre.send_limit <= 4);
	t_note("server mux at the end: stranger=%llu",
	    (unsigned long long)side_mux_stats(&sb).rx_stranger);
out:
	if (threads) {
		atomic_store(&sa.cmd, CMD_STOP);
		atomic_store(&sb.cmd, CMD_STOP);
		pthread_join(sa.th, NULL);
		pthread_join(sb.th, NULL);
	}
	ns_cleanup();
}

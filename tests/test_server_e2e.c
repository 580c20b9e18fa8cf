/*
 * test_server_e2e.c - `pptpkit server` end to end: the real binary, started
 * with fork/exec in a network namespace, against PPTP clients in another
 * (a veth pair: 10.99.0.1 client side, 10.99.0.2 server side; namespaces
 * made and deleted here).
 *
 * The clients are minimal PNSes built in this file from the cores and the
 * data plane: the control connection core (src/pptp/ctrl.h, PNS role) over
 * a TCP socket, and a tunnel call (src/tunnel/call.h: PPP client role, GRE
 * window, TUN) over one raw GRE socket - so the test sees every control
 * event in order.  One scenario also runs `pptpkit client`.
 *
 * Checked: start-up from pptpd.conf/options/chap-secrets written here;
 * MS-CHAPv2 + MPPE-128 stateless, addresses from the pool and a static one,
 * ping through each tunnel, all clients behind one source address; the log
 * line per session event; ip-up/ip-down with pppd's arguments; a wrong
 * password logged; the per-IP unauthenticated limit and stimeout; garbage
 * on TCP 1723 closing only its own connection; SIGHUP adding a user without
 * dropping sessions; SIGUSR1 status lines; SIGTERM: CDN (Admin-Shutdown)
 * then StopCCRQ seen by each client, exit status 0.  Also, without root:
 * the server's Call ID bitmap, value escaping, rate limit, command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "../src/server/server.h"
#include "net_probe.h"
#include "server_pns.h"

/* --- without root: the pieces --- */

TEST(server_callid_bitmap)
{
	static struct srv_callid m;
	uint16_t id = 0;
	unsigned i, n = 0;
	bool ok = true;

	srv_callid_init(&m);
	CHECK_OK(srv_callid_alloc(&m, 0, &id));
	CHECK_EQ(id, 1);			/* 0 is never handed out */
	CHECK_OK(srv_callid_alloc(&m, 1, &id));
	CHECK_EQ(id, 2);			/* the next free one */
	CHECK_OK(srv_callid_alloc(&m, 65535, &id));
	CHECK_EQ(id, 65535);
	CHECK_OK(srv_callid_alloc(&m, 65535, &id));
	CHECK_EQ(id, 3);			/* wrapped past 0, 1, 2 */
	CHECK(srv_callid_held(&m, 3));
	CHECK_EQ(m.used, 4);
	CHECK_OK(srv_callid_release(&m, 2));
	CHECK_ERR(srv_callid_release(&m, 2), ERR_NOTFOUND);
	CHECK_ERR(srv_callid_release(&m, 0), ERR_NOTFOUND);
	CHECK_OK(srv_callid_alloc(&m, 1, &id));
	CHECK_EQ(id, 2);
	for (i = 0; i < 70000; i++) {
		if (srv_callid_alloc(&m, (uint16_t)(i * 7919u), &id) != 0)
			break;
		n++;
	}
	CHECK_EQ(n, 65535 - 4);
	CHECK_EQ(m.used, 65535);
	CHECK(!srv_callid_held(&m, 0));
	CHECK_ERR(srv_callid_alloc(&m, 5, &id), ERR_NOSPACE);
	/* One free ID below the start in the start's own word: found on the
	 * last round. */
	CHECK_OK(srv_callid_release(&m, 130));
	CHECK_OK(srv_callid_alloc(&m, 131, &id));
	CHECK_EQ(id, 130);
	for (i = 1; i <= 65535; i++)
		ok = ok && srv_callid_release(&m, (uint16_t)i) == 0;
	CHECK(ok);
	CHECK_EQ(m.used, 0);
}

static const char *
value_of(const char *raw)
{
	static char buf[256];
	struct sbuf sb;

	sbuf_init(&sb, buf, sizeof(buf));
	srv_print_value(&sb, raw);
	return sbuf_str(&sb);
}

TEST(server_log_values_escaped)
{
	CHECK_STR(value_of("alice"), "alice");
	CHECK_STR(value_of("CORP\\bob"), "CORP\\x5cbob");
	CHECK_STR(value_of("carol smith"), "\"carol smith\"");
	CHECK_STR(value_of("a=b"), "\"a=b\"");
	CHECK_STR(value_of(""), "\"\"");
	CHECK_STR(value_of("x\ny\"z"), "x\\x0ay\\x22z");
}

TEST(server_ratelimit)
{
	struct srv_ratelimit r = { .burst = 2 };
	uint64_t skipped = 99;

	CHECK(srv_ratelimit_ok(&r, 5000, &skipped));
	CHECK_EQ(skipped, 0);
	CHECK(srv_ratelimit_ok(&r, 5100, NULL));
	CHECK(!srv_ratelimit_ok(&r, 5200, NULL));
	CHECK(!srv_ratelimit_ok(&r, 5999, NULL));
	CHECK(srv_ratelimit_ok(&r, 6000, &skipped));
	CHECK_EQ(skipped, 2);
}

/* --- running the binary --- */

static const char *
pptpkit_bin(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX], *p;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int i;

	if (n > 0) {		/* BUILD/tests/test_server_e2e -> BUILD/pptpkit */
		exe[n] = '\0';
		for (i = 0; i < 2 && (p = strrchr(exe, '/')) != NULL; i++)
			*p = '\0';
		snprintf(path, sizeof(path), "%.*s/pptpkit", PATH_MAX - 16, exe);
		if (access(path, X_OK) == 0)
			return path;
	}
	return getenv("PPTPKIT_BIN") != NULL ? getenv("PPTPKIT_BIN") :
	    "./pptpkit";
}

static char tmpdir[64];

static void
put_file(const char *name, mode_t mode, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
put_file(const char *name, mode_t mode, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	chmod(path, mode);
}

static char *
read_text(const char *name)
{
	char path[256];
	uint8_t *d;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if ((d = t_read_file(path, &n)) == NULL)
		return NULL;
	d = realloc(d, n + 1);
	if (d != NULL)
		d[n] = 0;
	return (char *)d;
}

/* Whether file holds every needle (NULL-terminated list), in one line. */
static bool
line_has(const char *name, const char *const *needles)
{
	char *text = read_text(name), *line, *save = NULL;
	bool found = false;
	size_t i;

	for (line = text ? strtok_r(text, "\n", &save) : NULL;
	    line != NULL && !found; line = strtok_r(NULL, "\n", &save)) {
		found = true;
		for (i = 0; needles[i] != NULL && found; i++)
			found = strstr(line, needles[i]) != NULL;
	}
	free(text);
	return found;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

#define WAIT_LINE(file, ms, ...) wait_line(file, ms, __LINE__,		\
	(const char *const[]){ __VA_ARGS__, NULL })

static bool
wait_line(const char *file, int ms, int at, const char *const *needles)
{
	int i;

	for (i = 0; i <= ms / 20; i++) {
		if (line_has(file, needles))
			return true;
		sleep_ms(20);
	}
	t_check(false, __FILE__, at, "no line in %s with \"%s\"%s%s", file,
	    needles[0], needles[1] ? " and \"" : "", needles[1] ? needles[1] :
	    "");
	return false;
}

/* Runs pptpkit with args (in netns ns if not NULL), output to out_name;
 * returns the pid, or -1. */
static pid_t
spawn(const char *ns, const char *out_name, char *const *args)
{
	char path[256];
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, out_name);
	if ((pid = fork()) != 0)
		return pid;
	if (ns != NULL) {
		snprintf(path + 128, 128, "/run/netns/%s", ns);
		if ((fd = open(path + 128, O_RDONLY)) < 0 ||
		    setns(fd, CLONE_NEWNET) != 0)
			_exit(126);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	execv(pptpkit_bin(), args);
	_exit(127);
}

/* Waits up to ms for pid; its exit status, or -1 (then it is killed). */
static int
reap(pid_t pid, int ms)
{
	int st, i;

	for (i = 0; i <= ms / 10; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st);
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

TEST(server_command_line)
{
	char conf[128], *help[] = { "pptpkit", "server", "--help", NULL };
	char *none[] = { "pptpkit", "server", NULL };
	char *bad[] = { "pptpkit", "server", "--config", conf, NULL };

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pk-srv-cli-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return;
	snprintf(conf, sizeof(conf), "%s/pptpd.conf", tmpdir);
	CHECK_EQ(reap(spawn(NULL, "help.out", help), 5000), 0);
	CHECK(WAIT_LINE("help.out", 0, "--config FILE"));
	CHECK_EQ(reap(spawn(NULL, "none.out", none), 5000), 2);
	CHECK(WAIT_LINE("none.out", 0, "--config FILE is required"));
	/* A configuration error: refused, with file and line. */
	put_file("pptpd.conf", 0600, "localip 10.0.0.1\nconnections ten\n");
	CHECK_EQ(reap(spawn(NULL, "bad.out", bad), 5000), 1);
	CHECK(WAIT_LINE("bad.out", 0, "event=config-error", "pptpd.conf:2:"));
	/* A missing file. */
	unlink(conf);
	CHECK_EQ(reap(spawn(NULL, "gone.out", bad), 5000), 1);
	CHECK(WAIT_LINE("gone.out", 0, "event=config-error"));
	(void)!system("rm -rf /tmp/pk-srv-cli-*");
}

/* --- the namespaces, the files, the probes --- */

#define SERVER_IP	"10.99.0.2"
static char ns_c[32], ns_s[32];

static int
ping_via(uint32_t dst_host, int count)
{
	struct in_addr d = { htonl(dst_host) };
	char path[64];
	int saved, nsfd, fd, ok = -1;

	snprintf(path, sizeof(path), "/run/netns/%s", ns_c);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (saved >= 0 && nsfd >= 0 && setns(nsfd, CLONE_NEWNET) == 0) {
		fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
		(void)!setns(saved, CLONE_NEWNET);
		if (fd >= 0) {
			ok = probe_ping(fd, d, count, 2000);
			close(fd);
		}
	}
	if (saved >= 0)
		close(saved);
	if (nsfd >= 0)
		close(nsfd);
	return ok;
}

/* A TCP connection from ns_c to the server (blocking connect). */
static int
tcp_to_server(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(TCP_PPTP_PORT) };
	char path[64];
	int saved, nsfd, fd = -1;

	inet_pton(AF_INET, SERVER_IP, &sin.sin_addr);
	snprintf(path, sizeof(path), "/run/netns/%s", ns_c);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (saved >= 0 && nsfd >= 0 && setns(nsfd, CLONE_NEWNET) == 0) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		(void)!setns(saved, CLONE_NEWNET);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sin,
		    sizeof(sin)) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (saved >= 0)
		close(saved);
	if (nsfd >= 0)
		close(nsfd);
	return fd;
}

/* true when the server closed fd (EOF or reset) within ms. */
static bool
closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[256];
	int i;

	for (i = 0; i < 64; i++) {
		if (poll(&p, 1, ms) != 1)
			return false;
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			return true;
	}
	return false;
}

static void
ns_cleanup(void)
{
	char cmd[128];

	if (ns_c[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", ns_c);
		(void)!system(cmd);
	}
	if (ns_s[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", ns_s);
		(void)!system(cmd);
	}
	ns_c[0] = ns_s[0] = '\0';
}

static bool
ns_setup(void)
{
	char cmd[1024];

	snprintf(ns_c, sizeof(ns_c), "pk-srv-c-%d", (int)getpid());
	snprintf(ns_s, sizeof(ns_s), "pk-srv-s-%d", (int)getpid());
	atexit(ns_cleanup);
	snprintf(cmd, sizeof(cmd), "ip netns add %s && ip netns add %s && "
	    "ip -n %s link add va type veth peer name vb netns %s && "
	    "ip -n %s addr add 10.99.0.1/24 dev va && "
	    "ip -n %s addr add 10.99.0.2/24 dev vb && "
	    "ip -n %s link set va up && ip -n %s link set lo up && "
	    "ip -n %s link set vb up && ip -n %s link set lo up", ns_c, ns_s,
	    ns_c, ns_s, ns_c, ns_s, ns_c, ns_c, ns_s, ns_s);
	return system(cmd) == 0;
}

static void
write_secrets(bool with_carol)
{
	put_file("chap-secrets", 0600,
	    "# client\tserver\tsecret\taddresses\n"
	    "alice\tpptpkit-test\t\"alice pass\"\t*\n"
	    "dave\t*\tdavesecret\t10.98.0.15\n"
	    "bob\tpptpkit-test\tbobsecret\t*\n"
	    "erin\tpptpkit-test\terinsecret\t10.98.0.14\n"
	    "%s", with_carol ? "carol\t*\tcarolsecret\t*\n" : "");
}


static pid_t server_pid = -1;

static void
server_kill(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
	server_pid = -1;
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
write_files(void)
{
	put_file("pptpd.conf", 0644,
	    "# written by test_server_e2e\n"
	    "option pptpd-options\n"
	    "localip 10.98.1.1-6\n"
	    "remoteip 10.98.0.10-15\n"
	    "stimeout 2\n"
	    "connections 20\n"
	    "max-unauth-per-ip 3\n"
	    "chap-secrets chap-secrets\n"
	    "tun-prefix pks\n");
	put_file("pptpd-options", 0644,
	    "name pptpkit-test\n"
	    "refuse-pap refuse-chap refuse-mschap\n"
	    "require-mschap-v2\n"
	    "require-mppe-128\n"
	    "ms-dns 10.98.1.1\n"
	    "lcp-echo-interval 10\n");
	write_secrets(false);
	put_file("ip-up", 0755, "#!/bin/sh\nprintf '%%s\\n' \"$* $PEERNAME\" "
	    ">> %s/ip-up.log\n", tmpdir);
	put_file("ip-down", 0755, "#!/bin/sh\nprintf '%%s\\n' \"$* $PEERNAME "
	    "$BYTES_RCVD\" >> %s/ip-down.log\n", tmpdir);
	put_file("erin.pass", 0600, "erinsecret\n");
}

/* `pptpkit client` as erin (static 10.98.0.14, paired with 10.98.1.5). */
static void
real_client(void)
{
	char pass[128], *argv[] = { "pptpkit", "client", SERVER_IP, "--user",
	    "erin", "--password-file", pass, "--no-reconnect", "--no-ipv6",
	    "--ifname", "pkr%d", NULL };
	pid_t pid;

	snprintf(pass, sizeof(pass), "%s/erin.pass", tmpdir);
	if ((pid = spawn(ns_c, "client.log", argv)) < 0)
		return;
	if (WAIT_LINE("server.log", 20000, "user=erin ",
	    "assigned=10.98.0.14 event=up mppe=128-stateless"))
		CHECK_EQ(ping_via(0x0a620105, 2), 2);
	kill(pid, SIGTERM);
	CHECK_EQ(reap(pid, 10000), 0);
	CHECK(WAIT_LINE("server.log", 5000, "user=erin ", "event=down"));
}

static void
check_closed_in_order(struct pns_client *c, const char *cdn)
{
	CHECK(pns_wait(&c->closed, 5000));
	if (!pns_seq_order(c, cdn, "closed:stop-received")) {
		t_check(false, __FILE__, __LINE__, "%s: want %s then "
		    "closed:stop-received; events: %s", c->user, cdn, c->seq);
		return;
	}
	CHECK(c->orderly);
}

TEST(server_e2e_sessions_in_namespaces)
{
	static struct pns p;
	static const char *const users[] = { "alice", "dave", "bob",
	    "CORP\\carol", "alice", "alice", "alice", "mallory" };
	static const char *const pass[] = { "alice pass", "davesecret",
	    "not bob's", "carolsecret", "alice pass", "alice pass",
	    "alice pass", "whatever" };
	struct pns_client *alice = &p.cl[0], *dave = &p.cl[1], *bob = &p.cl[2],
	    *carol = &p.cl[3];
	char conf[128], up[128], down[128], want[256];
	char *argv[] = { "pptpkit", "server", "--config", conf, "--debug",
	    "--ip-up", up, "--ip-down", down, NULL };
	static const char garbage[] = "GET / HTTP/1.1\r\nHost: vpn\r\n\r\n";
	int idle[3] = { -1, -1, -1 }, fd, i;
	uint64_t t0;

	if (geteuid() != 0) {
		t_check(false, __FILE__, __LINE__, "this test needs root "
		    "(network namespaces, veth, raw sockets, TUN)");
		return;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pk-srv-XXXXXX");
	if (mkdtemp(tmpdir) == NULL || !ns_setup()) {
		t_check(false, __FILE__, __LINE__, "cannot set up %s and the "
		    "namespaces", tmpdir);
		goto out;
	}
	write_files();
	snprintf(conf, sizeof(conf), "%s/pptpd.conf", tmpdir);
	snprintf(up, sizeof(up), "%s/ip-up", tmpdir);
	snprintf(down, sizeof(down), "%s/ip-down", tmpdir);
	t_note("server log: %s/server.log", tmpdir);
	server_pid = spawn(ns_s, "server.log", argv);
	if (!WAIT_LINE("server.log", 5000, "event=listening"))
		goto out;
	if (!pns_start(&p, ns_c, SERVER_IP, users, pass, 8)) {
		t_check(false, __FILE__, __LINE__, "test client thread");
		goto out;
	}

	/* Alice (pool) and dave (static): two control connections from one
	 * address, GRE told apart by the server's Call IDs. */
	t0 = mono_ms();
	pns_connect(&p, 0);
	pns_connect(&p, 1);
	CHECK(pns_wait(&alice->ip_up, 20000));
	CHECK(pns_wait(&dave->ip_up, 20000));
	t_note("two sessions up in %llu ms", (unsigned long long)(mono_ms() -
	    t0));
	if (!atomic_load(&alice->ip_up) || !atomic_load(&dave->ip_up))
		goto stop;
	CHECK_EQ(alice->local, 0x0a62000a);	/* 10.98.0.10: pool's first */
	CHECK_EQ(alice->peer, 0x0a620101);	/* paired with 10.98.1.1 */
	CHECK_EQ(dave->local, 0x0a62000f);	/* static 10.98.0.15 */
	CHECK_EQ(dave->peer, 0x0a620106);
	CHECK_EQ(alice->mppe_bits, 128);
	CHECK(alice->stateless);
	CHECK(alice->server_call_id != 0 && dave->server_call_id != 0 &&
	    alice->server_call_id != dave->server_call_id);
	snprintf(want, sizeof(want), "user=alice peer=10.99.0.1 "
	    "call=%u assigned=10.98.0.10 event=up mppe=128-stateless",
	    (unsigned)alice->server_call_id);
	CHECK(WAIT_LINE("server.log", 2000, " info session=", want));
	CHECK(WAIT_LINE("server.log", 2000, "user=dave ",
	    "assigned=10.98.0.15 event=up mppe=128-stateless"));
	CHECK_EQ(ping_via(alice->peer, 3), 3);
	CHECK_EQ(ping_via(dave->peer, 3), 3);
	CHECK(WAIT_LINE("ip-up.log", 3000, "pks",
	    " 115200 10.98.1.1 10.98.0.10 10.99.0.1 alice"));

	/* Bob's password is wrong: refused, logged, his call disconnected. */
	pns_connect(&p, 2);
	CHECK(pns_wait(&bob->ppp_down, 20000));
	CHECK_EQ(bob->reason, PPP_DOWN_AUTH_FAILED);
	CHECK(WAIT_LINE("server.log", 3000, "user=bob ",
	    "event=auth-failed error=691"));
	CHECK(WAIT_LINE("server.log", 3000, "user=bob ",
	    "event=down reason=auth-failed"));
	CHECK(pns_wait(&bob->call_down, 5000));

	/* Bob's connection and two idle ones make max-unauth-per-ip (3): a
	 * third idle one is refused; stimeout (2 s) closes the idle ones. */
	for (i = 0; i < 3; i++) {
		idle[i] = tcp_to_server();
		sleep_ms(100);
	}
	CHECK(idle[0] >= 0 && idle[1] >= 0 && idle[2] >= 0);
	if (idle[2] >= 0)
		CHECK(closed_within(idle[2], 1000));
	CHECK(WAIT_LINE("server.log", 2000, "peer=10.99.0.1 event=refused "
	    "reason=max-unauth-per-ip"));
	if (idle[0] >= 0 && idle[1] >= 0) {
		CHECK(!closed_within(idle[0], 300));
		CHECK(closed_within(idle[0], 4000));
		CHECK(closed_within(idle[1], 4000));
	}
	for (i = 0; i < 3; i++) {
		if (idle[i] >= 0)
			close(idle[i]);
		idle[i] = -1;
	}
	CHECK(WAIT_LINE("server.log", 2000, "event=ctrl-down cause=timeout"));

	/* Garbage on TCP 1723: that connection closes, nothing else does. */
	CHECK((fd = tcp_to_server()) >= 0);
	if (fd >= 0) {
		CHECK(send(fd, garbage, sizeof(garbage) - 1, 0) > 0);
		CHECK(closed_within(fd, 3000));
		close(fd);
	}
	CHECK(WAIT_LINE("server.log", 2000, "event=ctrl-down cause=lost-sync"));
	CHECK_EQ(ping_via(alice->peer, 2), 2);
	CHECK_EQ(ping_via(dave->peer, 2), 2);

	/* SIGHUP adds carol; she logs in as CORP\carol; nobody drops. */
	write_secrets(true);
	kill(server_pid, SIGHUP);
	CHECK(WAIT_LINE("server.log", 3000, "event=reload", "result=ok users=5"));
	pns_connect(&p, 3);
	CHECK(pns_wait(&carol->ip_up, 20000));
	CHECK(WAIT_LINE("server.log", 2000, "user=CORP\\x5ccarol ", "event=up"));
	if (atomic_load(&carol->ip_up))
		CHECK_EQ(ping_via(carol->peer, 2), 2);
	CHECK_EQ(ping_via(alice->peer, 2), 2);

	/* Our own client binary, as one more user behind the same address. */
	real_client();

	/* SIGUSR1: a status line per session. */
	kill(server_pid, SIGUSR1);
	CHECK(WAIT_LINE("server.log", 2000, "event=status sessions=3"));
	CHECK(WAIT_LINE("server.log", 2000, "user=alice ",
	    "event=status phase=network"));

	/* Two more sessions take the last two dynamic addresses (two are
	 * reserved for dave and erin); a third finds the pool empty; an
	 * unknown user is refused. */
	pns_connect(&p, 4);
	pns_connect(&p, 5);
	CHECK(pns_wait(&p.cl[4].ip_up, 20000));
	CHECK(pns_wait(&p.cl[5].ip_up, 20000));
	pns_connect(&p, 6);
	CHECK(pns_wait(&p.cl[6].ppp_down, 20000));
	CHECK_EQ(p.cl[6].reason, PPP_DOWN_AUTH_FAILED);
	CHECK(WAIT_LINE("server.log", 2000, "user=alice ",
	    "event=auth-reject method=mschap-v2 reason=pool-exhausted"));
	pns_connect(&p, 7);
	CHECK(pns_wait(&p.cl[7].ppp_down, 20000));
	CHECK(WAIT_LINE("server.log", 2000, "user=mallory ",
	    "event=auth-reject method=mschap-v2 reason=unknown-user"));
	CHECK_EQ(ping_via(p.cl[5].peer, 2), 2);

	/* SIGTERM: every client sees CDN (3 Admin-Shutdown), then
	 * StopCCRQ; the server exits 0. */
	t0 = mono_ms();
	kill(server_pid, SIGTERM);
	CHECK_EQ(reap(server_pid, 15000), 0);
	server_pid = -1;
	t_note("shutdown took %llu ms", (unsigned long long)(mono_ms() - t0));
	check_closed_in_order(alice, "call-down:cdn/3");
	check_closed_in_order(dave, "call-down:cdn/3");
	check_closed_in_order(carol, "call-down:cdn/3");
	check_closed_in_order(bob, "call-down:cdn/1");
	check_closed_in_order(&p.cl[4], "call-down:cdn/3");
	check_closed_in_order(&p.cl[5], "call-down:cdn/3");
	CHECK(WAIT_LINE("server.log", 0, "user=alice ", "event=down reason=admin"));
	CHECK(WAIT_LINE("server.log", 0, "event=stopped"));
	CHECK(WAIT_LINE("ip-down.log", 0, " 10.98.1.1 10.98.0.10 10.99.0.1 "
	    "alice "));
	CHECK(WAIT_LINE("ip-up.log", 0, " 10.98.0.11 10.99.0.1 CORP\\carol"));
	for (i = 0; i < 8; i++)
		t_note("%s: %s", p.cl[i].user, p.cl[i].seq);
stop:
	pns_stop(&p);
out:
	for (i = 0; i < 3; i++)
		if (idle[i] >= 0)
			close(idle[i]);
	server_kill();
	ns_cleanup();
	if (getenv("PK_KEEP") == NULL && tmpdir[0] != '\0') {
		snprintf(want, sizeof(want), "rm -rf %s", tmpdir);
		(void)!system(want);
	}
}

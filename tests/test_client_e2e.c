/*
 * test_client_e2e.c - `pptpkit client` end to end (src/client) against
 * `pptpkit server` (src/server), in network namespaces the test makes and
 * the kernel removes: a server namespace and a client namespace joined by
 * a veth pair (192.0.2.1/24 and 192.0.2.2/24, TEST-NET-1).  The server runs
 * as server_main() from PoPToP files written here (MS-CHAPv2 and MPPE-128
 * required, two ms-dns), the client as client_main(), each in a forked
 * child in its namespace, so that both are this build (sanitizers
 * included).  Scenarios:
 *
 *   link up, the DNS line, routes (host route to the server pinned,
 *     --default-route, --route), ping and a 2 MB transfer with a SHA-1
 *     check through the tunnel, SIGTERM -> exit 0 after the RFC 2637 3.1.2
 *     tear-down, every route we added gone;
 *   the server killed -> the client reconnects after 1 s; with
 *     --no-reconnect it exits 9 instead;
 *   TCP refused (nothing listens) -> exit 3 naming the refusal;
 *   wrong password -> exit 6 with E=691;
 *   the server's GRE dropped by nftables -> exit 5, "GRE blocked".
 *
 * Needs root (namespaces, TUN, raw GRE), iproute2 and nftables.  Every wait
 * is bounded; children are killed if they overstay.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "../src/base/sbuf.h"
#include "../src/client/client.h"
#include "../src/commands.h"
#include "../src/crypto/hash.h"

#define SRV_IP		"192.0.2.1"
#define TUN_SRV		0x0a000001u	/* 10.0.0.1: the server's end */
#define SINK_PORT	5001
#define XFER_BYTES	(2u << 20)

/* --- namespaces and children --- */

struct world {
	int	saved, srv, cli;	/* namespace fds */
	char	dir[64];		/* logs and the password file */
};

static bool
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool
sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		t_note("command failed: %s", cmd);
		return false;
	}
	return true;
}

static bool
world_make(struct world *w)
{
	bool ok;

	w->saved = w->srv = w->cli = -1;
	if (geteuid() != 0) {
		t_check(false, __FILE__, __LINE__, "this test needs root "
		    "(network namespaces, TUN, raw GRE); run it as root, as "
		    "CI does");
		return false;
	}
	snprintf(w->dir, sizeof(w->dir), "/tmp/pptpkit-cli-e2e.XXXXXX");
	if (mkdtemp(w->dir) == NULL ||
	    (w->saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0 ||
	    unshare(CLONE_NEWNET) != 0 ||
	    (w->cli = open("/proc/self/ns/net", O_RDONLY)) < 0 ||
	    setns(w->saved, CLONE_NEWNET) != 0 ||
	    unshare(CLONE_NEWNET) != 0 ||
	    (w->srv = open("/proc/self/ns/net", O_RDONLY)) < 0) {
		t_check(false, __FILE__, __LINE__, "namespaces: %s",
		    strerror(errno));
		if (w->saved >= 0)
			(void)setns(w->saved, CLONE_NEWNET);
		return false;
	}
	/* In the server namespace now; the veth's far end goes straight
	 * into the client's. */
	ok = sh("ip link set lo up && ip link add pkcs type veth peer name "
	    "pkcc netns /proc/self/fd/%d && ip addr add " SRV_IP "/24 dev "
	    "pkcs && ip link set pkcs up", w->cli);
	ok = ok && setns(w->cli, CLONE_NEWNET) == 0 &&
	    sh("ip link set lo up && ip addr add 192.0.2.2/24 dev pkcc && "
	    "ip link set pkcc up");
	CHECK_OK(setns(w->saved, CLONE_NEWNET));
	CHECK(ok);
	return ok;
}

static void
world_free(struct world *w)
{
	if (w->saved >= 0)
		(void)setns(w->saved, CLONE_NEWNET);
	if (w->srv >= 0)
		close(w->srv);
	if (w->cli >= 0)
		close(w->cli);
	if (w->saved >= 0)
		close(w->saved);
	if (w->dir[0] != '\0')
		(void)sh("rm -rf %s", w->dir);
}

/* Runs `cmd` (a shell line) in namespace ns. */
static bool
sh_in(struct world *w, int ns, const char *cmd)
{
	bool ok;

	if (setns(ns, CLONE_NEWNET) != 0)
		return false;
	ok = sh("%s", cmd);
	CHECK_OK(setns(w->saved, CLONE_NEWNET));
	return ok;
}

/* Forks a child in namespace ns with stderr to dir/name.log.  Children
 * end with exit(), so that under SAN=1 LeakSanitizer checks them too (a
 * leak changes the exit status the test checks). */
static pid_t
child_start(struct world *w, int ns, const char *name)
{
	char path[128];
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.log", w->dir, name);
	fflush(NULL);
	if ((pid = fork()) != 0)
		return pid;
	if (setns(ns, CLONE_NEWNET) != 0 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND,
	    0600)) < 0)
		_exit(99);
	dup2(fd, 2);
	close(fd);
	return 0;
}

/* Starts client_main in the client namespace with the password in a
 * file, fast time-outs, and the extra arguments (NULL-terminated). */
static pid_t
client_start(struct world *w, const char *password, const char *const *extra)
{
	char pwfile[128];
	char *argv[32] = { "client", SRV_IP, "--user", "demo",
	    "--password-file", pwfile, "--connect-timeout", "5" };
	int argc = 8;
	FILE *f;
	pid_t pid;

	snprintf(pwfile, sizeof(pwfile), "%s/password", w->dir);
	while (extra != NULL && *extra != NULL && argc < 31)
		argv[argc++] = (char *)*extra++;
	argv[argc] = NULL;
	if ((f = fopen(pwfile, "w")) != NULL) {
		fprintf(f, "%s\n", password);
		fclose(f);
	}
	chmod(pwfile, 0600);
	if ((pid = child_start(w, w->cli, "client")) == 0)
		exit(client_main(argc, argv));
	return pid;
}

/* Waits up to ms for pid; kills it past that.  The exit status, or -1. */
static int
child_wait(pid_t pid, int ms)
{
	int st, i;

	for (i = 0; i < ms / 20; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		usleep(20000);
	}
	t_note("child %d still running after %d ms: killed", (int)pid, ms);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* true once dir/name.log contains text (polled up to ms). */
static bool
log_has(struct world *w, const char *name, const char *text, int ms)
{
	char path[128];
	uint8_t *buf;
	size_t len;
	bool found;
	int i;

	snprintf(path, sizeof(path), "%s/%s.log", w->dir, name);
	for (i = 0; i <= ms / 50; i++) {
		found = false;
		if ((buf = t_read_file(path, &len)) != NULL) {
			found = memmem(buf, len, text, strlen(text)) != NULL;
			free(buf);
		}
		if (found)
			return true;
		if (i < ms / 50)
			usleep(50000);
	}
	return false;
}

static void
log_show(struct world *w, const char *name)
{
	char path[128];
	uint8_t *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s.log", w->dir, name);
	if ((buf = t_read_file(path, &len)) != NULL) {
		t_note("--- %s.log ---\n%.*s", name, (int)len, (char *)buf);
		free(buf);
	}
}

/* Writes the PoPToP files (chap-secrets with password) and starts
 * server_main in the server namespace; waits until it listens. */
static pid_t
server_start(struct world *w, const char *password)
{
	char conf[128], path[128];
	char *argv[] = { "server", "--config", conf, "--no-scripts", NULL };
	FILE *f;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s/pptpd.conf", w->dir);
	if ((f = fopen(conf, "w")) != NULL) {
		fprintf(f, "option %s/options\nlisten " SRV_IP "\n"
		    "localip 10.0.0.1\nremoteip 10.0.0.2-9\n"
		    "chap-secrets %s/chap-secrets\n", w->dir, w->dir);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/options", w->dir);
	if ((f = fopen(path, "w")) != NULL) {
		fprintf(f, "name pptpd\nrequire-mschap-v2\nrequire-mppe-128\n"
		    "ms-dns 10.0.0.53\nms-dns 10.0.0.54\n");
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/chap-secrets", w->dir);
	if ((f = fopen(path, "w")) != NULL) {
		fprintf(f, "demo pptpd \"%s\" *\n", password);
		fclose(f);
	}
	chmod(path, 0600);
	if ((pid = child_start(w, w->srv, "server")) == 0)
		exit(server_main(4, argv));	/* exit: LeakSanitizer looks */
	if (!log_has(w, "server", "event=listening", 5000)) {
		t_note("the server does not listen");
		log_show(w, "server");
	}
	return pid;
}

/* A child in the server namespace that reads one TCP connection on
 * SINK_PORT and answers the SHA-1 of what it read and the count. */
static pid_t
sink_start(struct world *w)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(SINK_PORT) };
	struct crypto_sha1_ctx sha;
	uint8_t buf[16384], out[CRYPTO_SHA1_LEN + 8];
	uint64_t count = 0;
	int lfd, fd, one = 1, i;
	ssize_t n;
	pid_t pid;

	if ((pid = child_start(w, w->srv, "sink")) != 0)
		return pid;
	alarm(20);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(lfd, 1) != 0)
		exit(1);
	kill(getppid(), SIGUSR1);
	if ((fd = accept(lfd, NULL, NULL)) < 0)
		exit(2);
	crypto_sha1_init(&sha);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		crypto_sha1_update(&sha, buf, (size_t)n);
		count += (uint64_t)n;
	}
	crypto_sha1_final(&sha, out);
	for (i = 0; i < 8; i++)
		out[CRYPTO_SHA1_LEN + i] = (uint8_t)(count >> (56 - 8 * i));
	exit(write(fd, out, sizeof(out)) == (ssize_t)sizeof(out) ? 0 : 3);
}

static const char *const once[] = { "--no-reconnect", NULL };
static const char *const gre2[] = { "--no-reconnect", "--gre-timeout", "2",
    NULL };

/* Sends XFER_BYTES through the tunnel to a sink behind the server's end
 * and compares the SHA-1 it sends back with ours. */
static bool
transfer(struct world *w)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(SINK_PORT) };
	struct timeval tv = { .tv_sec = 10 };
	struct crypto_sha1_ctx sha;
	uint8_t buf[8192], want[CRYPTO_SHA1_LEN], got[CRYPTO_SHA1_LEN + 8];
	uint32_t x = 12345, sent = 0;
	size_t have = 0;
	ssize_t n;
	int fd, i;

	sigset_t ready;
	pid_t sink;
	int sig;

	sigemptyset(&ready);
	sigaddset(&ready, SIGUSR1);
	sigprocmask(SIG_BLOCK, &ready, NULL);
	sink = sink_start(w);
	sig = sigtimedwait(&ready, NULL, &(struct timespec){ .tv_sec = 5 });
	sigprocmask(SIG_UNBLOCK, &ready, NULL);
	CHECK_EQ(sig, SIGUSR1);
	sin.sin_addr.s_addr = htonl(TUN_SRV);
	if (setns(w->cli, CLONE_NEWNET) != 0)
		return false;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK_OK(setns(w->saved, CLONE_NEWNET));
	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		t_note("connect to the sink: %s", strerror(errno));
		close(fd);
		kill(sink, SIGKILL);
		child_wait(sink, 1000);
		return false;
	}
	crypto_sha1_init(&sha);
	while (sent < XFER_BYTES) {
		for (i = 0; i < (int)sizeof(buf); i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (uint8_t)(x >> 16);
		}
		crypto_sha1_update(&sha, buf, sizeof(buf));
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
		sent += sizeof(buf);
	}
	shutdown(fd, SHUT_WR);
	crypto_sha1_final(&sha, want);
	while (have < sizeof(got) &&
	    (n = read(fd, got + have, sizeof(got) - have)) > 0)
		have += (size_t)n;
	close(fd);
	CHECK_EQ(child_wait(sink, 5000), 0);
	CHECK_EQ(sent, XFER_BYTES);
	CHECK_EQ(have, sizeof(got));
	CHECK_MEM(got, want, CRYPTO_SHA1_LEN);
	CHECK_EQ(((uint64_t)got[24] << 24 | (uint64_t)got[25] << 16 |
	    (uint64_t)got[26] << 8 | got[27]), XFER_BYTES);
	return sent == XFER_BYTES && have == sizeof(got) &&
	    memcmp(got, want, sizeof(want)) == 0;
}

/* --- the scenarios --- */

TEST(client_e2e_link_up_ping_transfer_routes_and_orderly_stop)
{
	static const char *const args[] = { "--no-reconnect",
	    "--default-route", "--route", "198.51.100.0/24", NULL };
	struct world w;
	pid_t srv, cli;
	int code;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	srv = server_start(&w, "s3cret pass");
	cli = client_start(&w, "s3cret pass", args);
	CHECK(log_has(&w, "client", "link up", 10000));
	CHECK(log_has(&w, "client", "local=10.0.0.2 peer=10.0.0.1 "
	    "dns=10.0.0.53,10.0.0.54 mppe=128-stateless", 0));
	/* The server stays outside, everything else goes in. */
	CHECK(sh_in(&w, w.cli, "ip -4 route show | grep -q "
	    "'^192.0.2.1 dev pkcc' && ip -4 route show | grep -q "
	    "'^0.0.0.0/1 dev pptp0' && ip -4 route show | grep -q "
	    "'^128.0.0.0/1 dev pptp0' && ip -4 route show | grep -q "
	    "'^198.51.100.0/24 dev pptp0' && ip -4 route get 203.0.113.9 | "
	    "grep -q 'dev pptp0' && ip -4 route get 192.0.2.1 | grep -q "
	    "'dev pkcc'"));
	CHECK(sh_in(&w, w.cli, "ping -c 2 -i 0.2 -W 2 -q 10.0.0.1 "
	    ">/dev/null"));
	CHECK(transfer(&w));
	kill(cli, SIGTERM);
	code = child_wait(cli, 6000);
	CHECK_EQ(code, CLIENT_EXIT_OK);
	CHECK(log_has(&w, "server", "pptp=ccrq", 0));	/* CCRQ came */
	kill(srv, SIGTERM);
	CHECK_EQ(child_wait(srv, 8000), 0);
	CHECK(log_has(&w, "client", "orderly=yes", 0));
	CHECK(log_has(&w, "client", "exit code=0", 0));
	/* Everything we added is gone, the veth's own route stays. */
	CHECK(sh_in(&w, w.cli, "test \"$(ip -4 route show)\" = "
	    "\"192.0.2.0/24 dev pkcc proto kernel scope link src 192.0.2.2 \""));
	log_show(&w, "client");		/* shown with -v or on failure */
	log_show(&w, "server");
	world_free(&w);
}

/* How many times text occurs in dir/name.log. */
static int
log_count(struct world *w, const char *name, const char *text)
{
	char path[128];
	uint8_t *buf, *at;
	size_t len, n = strlen(text);
	int count = 0;

	snprintf(path, sizeof(path), "%s/%s.log", w->dir, name);
	if ((buf = t_read_file(path, &len)) == NULL)
		return 0;
	for (at = buf; (at = memmem(at, len - (size_t)(at - buf), text,
	    n)) != NULL; at += n)
		count++;
	free(buf);
	return count;
}

TEST(client_e2e_reconnects_after_the_server_dies)
{
	static const char *const args[] = { NULL };
	struct world w;
	pid_t srv, cli;
	int i;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	srv = server_start(&w, "s3cret pass");
	cli = client_start(&w, "s3cret pass", args);
	CHECK(log_has(&w, "client", "link up", 10000));
	kill(srv, SIGKILL);		/* the kernel closes its TCP */
	child_wait(srv, 2000);
	CHECK(log_has(&w, "client", "reconnecting in 1.000 s", 3000));
	CHECK(log_has(&w, "client", "stage=link", 0));
	srv = server_start(&w, "s3cret pass");
	for (i = 0; i < 100 && log_count(&w, "client", "link up") < 2; i++)
		usleep(100000);
	CHECK_EQ(log_count(&w, "client", "link up"), 2);
	CHECK(log_has(&w, "client", "reconnecting attempt=2", 0));
	CHECK(sh_in(&w, w.cli, "ping -c 1 -W 2 -q 10.0.0.1 >/dev/null"));
	kill(cli, SIGTERM);
	CHECK_EQ(child_wait(cli, 6000), CLIENT_EXIT_OK);
	kill(srv, SIGTERM);
	CHECK_EQ(child_wait(srv, 8000), 0);
	log_show(&w, "client");
	world_free(&w);
}

TEST(client_e2e_link_lost_without_reconnect_exits_9)
{
	struct world w;
	pid_t srv, cli;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	srv = server_start(&w, "s3cret pass");
	cli = client_start(&w, "s3cret pass", once);
	CHECK(log_has(&w, "client", "link up", 10000));
	kill(srv, SIGKILL);
	child_wait(srv, 2000);
	CHECK_EQ(child_wait(cli, 6000), CLIENT_EXIT_LINK_LOST);
	CHECK(log_has(&w, "client", "stage=link", 0));
	CHECK(log_has(&w, "client", "the server closed the control "
	    "connection", 0));
	log_show(&w, "client");
	world_free(&w);
}

TEST(client_e2e_stop_is_bounded_when_the_server_freezes)
{
	struct world w;
	struct timespec t0, t1;
	pid_t srv, cli;
	long ms;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	srv = server_start(&w, "s3cret pass");
	cli = client_start(&w, "s3cret pass", once);
	CHECK(log_has(&w, "client", "link up", 10000));
	kill(srv, SIGSTOP);		/* answers nothing from now on */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill(cli, SIGTERM);
	CHECK_EQ(child_wait(cli, 8000), CLIENT_EXIT_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	t_note("stopped in %ld ms", ms);
	CHECK(ms >= 3500 && ms < 6000);	/* teardown_ms is 4000 */
	CHECK(log_has(&w, "client", "no LCP Terminate-Ack", 0));
	CHECK(log_has(&w, "client", "tear-down took more than 4000 ms", 0));
	kill(srv, SIGKILL);
	child_wait(srv, 2000);
	log_show(&w, "client");
	world_free(&w);
}

TEST(client_e2e_tcp_refused_exits_3)
{
	struct world w;
	pid_t cli;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	cli = client_start(&w, "whatever", once);
	CHECK_EQ(child_wait(cli, 5000), CLIENT_EXIT_TCP);
	CHECK(log_has(&w, "client", "stage=tcp", 0));
	CHECK(log_has(&w, "client", "Connection refused", 0));
	world_free(&w);
}

TEST(client_e2e_wrong_password_exits_6_with_e691)
{
	struct world w;
	pid_t srv, cli;
	int code;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	srv = server_start(&w, "right password");
	cli = client_start(&w, "wrong password", once);
	code = child_wait(cli, 15000);
	CHECK_EQ(code, CLIENT_EXIT_AUTH);
	CHECK(log_has(&w, "client", "stage=auth", 0));
	CHECK(log_has(&w, "client", "E=691", 0));
	kill(srv, SIGTERM);
	CHECK_EQ(child_wait(srv, 8000), 0);
	log_show(&w, "client");
	log_show(&w, "server");
	world_free(&w);
}

TEST(client_e2e_gre_blocked_exits_5)
{
	struct world w;
	pid_t srv, cli;
	int code;

	if (!world_make(&w)) {
		world_free(&w);
		return;
	}
	CHECK(sh_in(&w, w.srv, "nft add table inet pkc && nft add chain inet "
	    "pkc out '{ type filter hook output priority 0; }' && nft add rule "
	    "inet pkc out ip protocol gre drop"));
	srv = server_start(&w, "s3cret pass");
	cli = client_start(&w, "s3cret pass", gre2);
	code = child_wait(cli, 12000);
	CHECK_EQ(code, CLIENT_EXIT_NO_GRE);
	CHECK(log_has(&w, "client", "stage=gre", 0));
	CHECK(log_has(&w, "client", "GRE blocked on the path?", 0));
	kill(srv, SIGTERM);
	CHECK_EQ(child_wait(srv, 8000), 0);
	log_show(&w, "client");
	log_show(&w, "server");
	world_free(&w);
}

/* --- pure parts --- */

TEST(client_route_parse_prefixes)
{
	struct client_route r;
	char text[64];
	struct sbuf sb;

	CHECK_OK(client_route_parse("10.0.0.0/8", &r));
	CHECK_EQ(r.len, 8);
	sbuf_init(&sb, text, sizeof(text));
	client_route_print(&r, &sb);
	CHECK_STR(sbuf_str(&sb), "10.0.0.0/8");
	CHECK_OK(client_route_parse("192.0.2.7", &r));
	CHECK_EQ(r.len, 32);
	CHECK_OK(client_route_parse("2001:db8::/32", &r));
	CHECK_EQ(r.len, 32);
	CHECK_OK(client_route_parse("0.0.0.0/0", &r));
	CHECK_OK(client_route_parse("10.1.2.128/25", &r));
	CHECK_ERR(client_route_parse("10.1.2.129/25", &r), ERR_RANGE);
	CHECK_ERR(client_route_parse("10.0.0.0/33", &r), ERR_RANGE);
	CHECK_ERR(client_route_parse("10.0.0.0/", &r), ERR_FORMAT);
	CHECK_ERR(client_route_parse("10.0.0.0/8x", &r), ERR_FORMAT);
	CHECK_ERR(client_route_parse("/8", &r), ERR_FORMAT);
	CHECK_ERR(client_route_parse("example.org/8", &r), ERR_FORMAT);
	CHECK_ERR(client_route_parse("2001:db8::1/32", &r), ERR_RANGE);
}

TEST(client_exit_names_are_distinct)
{
	int i, j;

	for (i = 0; i <= CLIENT_EXIT_LINK_LOST; i++) {
		CHECK(strcmp(client_exit_name(i), "?") != 0);
		for (j = 0; j < i; j++)
			CHECK(strcmp(client_exit_name(i),
			    client_exit_name(j)) != 0);
	}
	CHECK_STR(client_exit_name(42), "?");
	CHECK_STR(client_exit_name(-1), "?");
}

/*
 * vpn_world.c - test support for whole-VPN scenarios: namespaces named
 * after the test process, children forked into them, log polling and
 * traffic probes (see vpn_world.h).  Not a protocol module: no RFC here.
 */
#include "vpn_world.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"

/* Worlds still open, closed at exit by the process that opened them. */
static struct vpn_world *open_worlds[8];
static pid_t owner_pid;
static unsigned world_seq;

static void
vpn_atexit(void)
{
	size_t i;

	if (getpid() != owner_pid)	/* a child's exit(): not ours */
		return;
	for (i = 0; i < sizeof(open_worlds) / sizeof(open_worlds[0]); i++)
		if (open_worlds[i] != NULL)
			vpn_world_close(open_worlds[i]);
}

uint64_t
vpn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

bool
vpn_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		t_note("command too long: %.60s...", cmd);
		return false;
	}
	fflush(NULL);
	if (system(cmd) != 0) {
		t_note("command failed: %s", cmd);
		return false;
	}
	return true;
}

bool
vpn_world_open(struct vpn_world *w)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->saved = -1;
	if (owner_pid == 0) {
		owner_pid = getpid();
		atexit(vpn_atexit);
		/* Namespaces and directories left by a run that was killed
		 * (its pid gone); its children died with it. */
		(void)vpn_sh("for n in $(ip netns list | awk '{ print $1 }' | "
		    "grep '^pkvpn-[0-9]*-'); do p=${n#pkvpn-}; p=${p%%%%-*}; "
		    "[ -d /proc/$p ] || ip netns del $n; done; "
		    "for d in /tmp/pkvpn-[0-9]*-*; do [ -d \"$d\" ] || "
		    "continue; p=${d#/tmp/pkvpn-}; p=${p%%%%-*}; "
		    "[ -d /proc/$p ] || rm -rf \"$d\"; done");
	}
	snprintf(w->tag, sizeof(w->tag), "pkvpn-%d-%u", (int)getpid(),
	    world_seq++);
	snprintf(w->dir, sizeof(w->dir), "/tmp/pkvpn-%d-XXXXXX", (int)getpid());
	if (mkdtemp(w->dir) == NULL) {
		t_note("mkdtemp: %s", strerror(errno));
		w->dir[0] = '\0';
		return false;
	}
	w->saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (w->saved < 0) {
		t_note("our network namespace: %s", strerror(errno));
		return false;
	}
	w->open = true;
	for (i = 0; i < sizeof(open_worlds) / sizeof(open_worlds[0]); i++)
		if (open_worlds[i] == NULL) {
			open_worlds[i] = w;
			break;
		}
	return true;
}

void
vpn_world_close(struct vpn_world *w)
{
	size_t i;
	int k;

	for (k = 0; k < w->nkids; k++)
		if (w->kids[k] > 0) {
			kill(w->kids[k], SIGKILL);
			waitpid(w->kids[k], NULL, 0);
			w->kids[k] = 0;
		}
	w->nkids = 0;
	if (w->tag[0] != '\0')
		(void)vpn_sh("for n in $(ip netns list | awk '{ print $1 }' | "
		    "grep '^%s-'); do ip netns del $n; done", w->tag);
	if (w->dir[0] != '\0' && getenv("PK_KEEP") == NULL)
		(void)vpn_sh("rm -rf %s", w->dir);
	else if (w->dir[0] != '\0')
		t_note("kept %s", w->dir);
	if (w->saved >= 0)
		close(w->saved);
	w->saved = -1;
	w->dir[0] = w->tag[0] = '\0';
	w->open = false;
	for (i = 0; i < sizeof(open_worlds) / sizeof(open_worlds[0]); i++)
		if (open_worlds[i] == w)
			open_worlds[i] = NULL;
}

void
vpn_ns_name(const struct vpn_world *w, const char *role, char *buf,
    size_t cap)
{
	snprintf(buf, cap, "%s-%s", w->tag, role);
}

bool
vpn_ns_add(struct vpn_world *w, const char *role)
{
	char ns[64];

	vpn_ns_name(w, role, ns, sizeof(ns));
	return vpn_sh("ip netns add %s && ip -n %s link set lo up", ns, ns);
}

/* Enters namespace role on this thread; false on failure. */
static bool
enter_ns(const struct vpn_world *w, const char *role)
{
	char ns[64], path[96];
	bool ok;
	int fd;

	vpn_ns_name(w, role, ns, sizeof(ns));
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	ok = setns(fd, CLONE_NEWNET) == 0;
	close(fd);
	return ok;
}

int
vpn_ns_socket(struct vpn_world *w, const char *role, int domain, int type,
    int proto)
{
	int fd;

	if (!enter_ns(w, role))
		return -1;
	fd = socket(domain, type | SOCK_CLOEXEC, proto);
	if (setns(w->saved, CLONE_NEWNET) != 0) {
		t_note("cannot return to our namespace: %s", strerror(errno));
		abort();	/* the rest would run in the wrong one */
	}
	return fd;
}

bool
vpn_put(struct vpn_world *w, const char *name, unsigned mode, char *path,
    size_t cap, const char *fmt, ...)
{
	char p[192];
	va_list ap;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", w->dir, name);
	if (path != NULL)
		snprintf(path, cap, "%s", p);
	if ((f = fopen(p, "w")) == NULL)
		return false;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0)
		return false;
	return chmod(p, (mode_t)mode) == 0;
}

pid_t
vpn_spawn(struct vpn_world *w, const char *role, const char *log,
    vpn_main_fn fn, int argc, char **argv)
{
	char path[192];
	pid_t pid, parent = getpid();
	int fd;

	if (w->nkids >= VPN_MAX_KIDS)
		return -1;
	snprintf(path, sizeof(path), "%s/%s.log", w->dir, log);
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		w->kids[w->nkids++] = pid;
		return pid;
	}
	/* Killed with the test, whatever way it ends. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(98);
	if (!enter_ns(w, role) || (fd = open(path, O_WRONLY | O_CREAT |
	    O_APPEND, 0600)) < 0)
		_exit(99);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	exit(fn(argc, argv));	/* exit: LeakSanitizer looks under SAN=1 */
}

int
vpn_reap(struct vpn_world *w, pid_t pid, int ms)
{
	int st = 0, i, k, ret = -1;
	bool done = false;

	for (i = 0; i <= ms / 10 && !done; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			done = true;
		else
			sleep_ms(10);
	}
	if (done)
		ret = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	else {
		t_note("pid %d still running after %d ms: killed", (int)pid,
		    ms);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (k = 0; k < w->nkids; k++)
		if (w->kids[k] == pid) {
			w->kids[k] = w->kids[--w->nkids];
			break;
		}
	return ret;
}

char *
vpn_log_read(const struct vpn_world *w, const char *log)
{
	char path[192];
	uint8_t *d, *t;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.log", w->dir, log);
	if ((d = t_read_file(path, &n)) == NULL)
		return NULL;
	if ((t = realloc(d, n + 1)) == NULL) {
		free(d);
		return NULL;
	}
	t[n] = '\0';
	return (char *)t;
}

int
vpn_log_count(const struct vpn_world *w, const char *log, const char *a,
    const char *b)
{
	char *text = vpn_log_read(w, log), *line, *save = NULL;
	int n = 0;

	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL;
	    line != NULL; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, a) != NULL && (b == NULL ||
		    strstr(line, b) != NULL))
			n++;
	free(text);
	return n;
}

bool
vpn_log_wait(const struct vpn_world *w, const char *log, const char *a,
    const char *b, int n, int ms)
{
	uint64_t end = vpn_now_ms() + (uint64_t)ms;

	for (;;) {
		if (vpn_log_count(w, log, a, b) >= n)
			return true;
		if (vpn_now_ms() >= end)
			return false;
		sleep_ms(50);
	}
}

void
vpn_log_show(const struct vpn_world *w, const char *log, size_t max_chars)
{
	char *text = vpn_log_read(w, log);
	size_t n;

	if (text == NULL) {
		t_note("--- %s.log: none", log);
		return;
	}
	n = strlen(text);
	t_note("--- %s.log (last %zu of %zu chars) ---\n%s", log,
	    n > max_chars ? max_chars : n, n, text + (n > max_chars ?
	    n - max_chars : 0));
	free(text);
}

int
vpn_ping(struct vpn_world *w, const char *role, const char *dst, int count)
{
	struct in_addr d;
	int fd, n;

	if (inet_pton(AF_INET, dst, &d) != 1)
		return -1;
	if ((fd = vpn_ns_socket(w, role, AF_INET, SOCK_RAW, IPPROTO_ICMP)) < 0)
		return -1;
	n = probe_ping(fd, d, count, 2000);
	close(fd);
	return n;
}

int
vpn_listen(struct vpn_world *w, const char *role, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(port) };
	int fd, one = 1;

	if ((fd = vpn_ns_socket(w, role, AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 8) != 0) {
		t_note("listen on %u: %s", (unsigned)port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

bool
vpn_xfer(struct vpn_world *w, int lfd, const char *cli_role,
    const char *dst, uint16_t port, struct probe_xfer *x, int timeout_ms)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(port) };
	bool ok;
	int cfd;

	if (inet_pton(AF_INET, dst, &sin.sin_addr) != 1)
		return false;
	if ((cfd = vpn_ns_socket(w, cli_role, AF_INET, SOCK_STREAM, 0)) < 0)
		return false;
	ok = probe_tcp(lfd, cfd, &sin, x, timeout_ms);
	close(cfd);
	return ok;
}

/*
 * server_script.c - pppd's ip-up and ip-down scripts (pppd(8), "SCRIPTS"),
 * run the way pppd runs them but without ever blocking the event loop.
 *
 * Arguments, pppd's convention:
 *   ip-up   interface-name tty-device speed local-IP remote-IP ipparam
 * There is no tty: the interface name stands in for it.  The speed is
 * pptpd's default 115200 and ipparam the client's address, as pptpd passes
 * it to pppd.  The environment is pppd's, rebuilt from nothing (no
 * variable of ours leaks): PATH, IFNAME, DEVICE, SPEED, IPLOCAL, IPREMOTE,
 * PEERNAME, IPPARAM, LINKNAME, and for ip-down CONNECT_TIME, BYTES_SENT,
 * BYTES_RCVD.
 *
 * Each script is a fork and an execve, in a process group of its own with
 * the default signal mask and dispositions, stdin/stdout/stderr on
 * /dev/null and every other descriptor closed.  It has --script-timeout
 * seconds; then its group gets SIGTERM and, SRV_SCRIPT_KILL_MS later,
 * SIGKILL.  Children are reaped on SIGCHLD (a signalfd on the loop).  As in
 * pppd, a session's ip-down waits for its ip-up to finish.  A script path
 * that is empty or not executable is skipped, as pppd skips a missing
 * script.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/log.h"
#include "server.h"

#define SCRIPT_PATH_ENV	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:" \
			"/usr/bin:/sbin:/bin"

static void
script_env(struct srv_script *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
script_env(struct srv_script *j, const char *fmt, ...)
{
	va_list ap;

	if (j->nenv >= sizeof(j->env) / sizeof(j->env[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(j->env[j->nenv++], sizeof(j->env[0]), fmt, ap);
	va_end(ap);
}

static void
ip4_fmt(char *buf, size_t cap, uint32_t a)
{
	snprintf(buf, cap, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

/* In the child, between fork and execve: async-signal-safe calls only. */
static void __attribute__((noreturn))
script_child(const struct srv_script *j)
{
	char *argv[8], *envp[sizeof(j->env) / sizeof(j->env[0]) + 1];
	sigset_t none;
	unsigned i;
	int fd, sig;

	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)signal(sig, SIG_DFL);
	(void)setpgid(0, 0);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
	}
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
#endif
		for (fd = 3; fd < 4096; fd++)
			(void)close(fd);
	argv[0] = (char *)j->path;
	for (i = 0; i < 6; i++)
		argv[i + 1] = (char *)j->args[i];
	argv[7] = NULL;
	for (i = 0; i < j->nenv; i++)
		envp[i] = (char *)j->env[i];
	envp[j->nenv] = NULL;
	execve(j->path, argv, envp);
	_exit(127);
}

static const char *
script_name(const struct srv_script *j)
{
	return j->is_up ? "ip-up" : "ip-down";
}

static int
script_spawn(struct srv *s, struct srv_script *j)
{
	char prefix[64];
	pid_t pid;

	snprintf(prefix, sizeof(prefix), "session=%llu",
	    (unsigned long long)j->session_no);
	if ((pid = fork()) < 0) {
		log_msg(LOG_ERROR, prefix, "event=script script=%s error=\"%s\"",
		    script_name(j), strerror(errno));
		s->n.scripts_failed++;
		return ERR_SYS;
	}
	if (pid == 0)
		script_child(j);
	(void)setpgid(pid, pid);	/* either side may win the race */
	j->pid = pid;
	j->deadline = ev_now(s->loop) + (uint64_t)(s->opts.script_timeout_s ?
	    s->opts.script_timeout_s : SRV_SCRIPT_TIMEOUT_S) * 1000;
	s->n.scripts_run++;
	log_msg(LOG_INFO, prefix, "event=script script=%s pid=%ld args=\"%s %s "
	    "%s %s %s %s\"", script_name(j), (long)pid, j->args[0],
	    j->args[1], j->args[2], j->args[3], j->args[4], j->args[5]);
	return 0;
}

static void
script_unlink(struct srv *s, struct srv_script *j)
{
	struct srv_script **pp;

	for (pp = &s->scripts; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			s->nscripts--;
			free(j);
			return;
		}
}

static bool
script_up_pending(const struct srv *s, uint64_t session_no)
{
	const struct srv_script *j;

	for (j = s->scripts; j != NULL; j = j->next)
		if (j->is_up && j->session_no == session_no)
			return true;
	return false;
}

void
srv_script_start(struct srv *s, struct srv_session *ss, bool up)
{
	const char *path = up ? s->opts.ip_up : s->opts.ip_down;
	struct srv_script *j;
	uint64_t now = ev_now(s->loop);

	if (path == NULL || path[0] == '\0')
		return;
	if (access(path, X_OK) != 0) {
		log_msg(LOG_DEBUG, ss->prefix, "event=script script=%s "
		    "skipped=\"%s\"", up ? "ip-up" : "ip-down",
		    strerror(errno));
		return;
	}
	if (s->nscripts >= SRV_SCRIPT_MAX || (j = calloc(1,
	    sizeof(*j))) == NULL) {
		log_msg(LOG_WARN, ss->prefix, "event=script script=%s "
		    "error=too-many-scripts running=%u", up ? "ip-up" :
		    "ip-down", s->nscripts);
		return;
	}
	j->session_no = ss->no;
	j->is_up = up;
	snprintf(j->path, sizeof(j->path), "%s", path);
	snprintf(j->args[0], sizeof(j->args[0]), "%s", ss->ifname);
	snprintf(j->args[1], sizeof(j->args[1]), "%s", ss->ifname);
	snprintf(j->args[2], sizeof(j->args[2]), "%s", SRV_SCRIPT_SPEED);
	ip4_fmt(j->args[3], sizeof(j->args[3]), ss->local_ip);
	ip4_fmt(j->args[4], sizeof(j->args[4]), ss->peer_ip);
	snprintf(j->args[5], sizeof(j->args[5]), "%s", ss->peer_str);
	script_env(j, "%s", SCRIPT_PATH_ENV);
	script_env(j, "IFNAME=%s", ss->ifname);
	script_env(j, "DEVICE=%s", ss->ifname);
	script_env(j, "SPEED=%s", SRV_SCRIPT_SPEED);
	script_env(j, "IPLOCAL=%s", j->args[3]);
	script_env(j, "IPREMOTE=%s", j->args[4]);
	script_env(j, "PEERNAME=%s", ss->user);
	script_env(j, "IPPARAM=%s", ss->peer_str);
	script_env(j, "LINKNAME=%s", ss->prefix);
	if (!up) {
		script_env(j, "CONNECT_TIME=%llu", (unsigned long long)((now -
		    ss->t_up) / 1000));
		script_env(j, "BYTES_SENT=%llu",
		    (unsigned long long)ss->bytes_out);
		script_env(j, "BYTES_RCVD=%llu",
		    (unsigned long long)ss->bytes_in);
	}
	j->next = s->scripts;
	s->scripts = j;
	s->nscripts++;
	if (!up && script_up_pending(s, ss->no)) {
		log_msg(LOG_DEBUG, ss->prefix, "event=script script=ip-down "
		    "waiting=ip-up");
		return;		/* started when ip-up ends */
	}
	if (script_spawn(s, j) != 0)
		script_unlink(s, j);
}

void
srv_script_reap(struct srv *s)
{
	struct srv_script *j, *w, *wnext;
	uint64_t session_no;
	char prefix[64];
	bool was_up;
	pid_t pid;
	int st, n;

	for (n = 0; n < 4 * SRV_SCRIPT_MAX; n++) {
		if ((pid = waitpid(-1, &st, WNOHANG)) <= 0)
			break;
		for (j = s->scripts; j != NULL && j->pid != pid; j = j->next)
			;
		if (j == NULL)
			continue;
		snprintf(prefix, sizeof(prefix), "session=%llu",
		    (unsigned long long)j->session_no);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			log_msg(LOG_DEBUG, prefix, "event=script-done script=%s "
			    "pid=%ld exit=0", script_name(j), (long)pid);
		} else {
			s->n.scripts_failed++;
			if (WIFEXITED(st))
				log_msg(LOG_WARN, prefix, "event=script-done "
				    "script=%s pid=%ld exit=%d", script_name(j),
				    (long)pid, WEXITSTATUS(st));
			else
				log_msg(LOG_WARN, prefix, "event=script-done "
				    "script=%s pid=%ld signal=%d",
				    script_name(j), (long)pid,
				    WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		}
		session_no = j->session_no;
		was_up = j->is_up;
		script_unlink(s, j);
		if (!was_up || script_up_pending(s, session_no))
			continue;
		for (w = s->scripts; w != NULL; w = wnext) {
			wnext = w->next;
			if (w->pid == 0 && w->session_no == session_no &&
			    script_spawn(s, w) != 0)
				script_unlink(s, w);
		}
	}
	srv_shutdown_check(s);
}

void
srv_script_tick(struct srv *s, uint64_t now)
{
	struct srv_script *j;
	char prefix[64];

	for (j = s->scripts; j != NULL; j = j->next) {
		if (j->pid <= 0 || now < j->deadline || j->kill_stage >= 2)
			continue;
		snprintf(prefix, sizeof(prefix), "session=%llu",
		    (unsigned long long)j->session_no);
		j->kill_stage++;
		log_msg(LOG_WARN, prefix, "event=script-timeout script=%s "
		    "pid=%ld signal=%s", script_name(j), (long)j->pid,
		    j->kill_stage == 1 ? "TERM" : "KILL");
		(void)kill(-j->pid, j->kill_stage == 1 ? SIGTERM : SIGKILL);
		if (j->kill_stage == 2)
			s->n.scripts_killed++;
		j->deadline = now + SRV_SCRIPT_KILL_MS;
	}
}

void
srv_script_fini(struct srv *s)
{
	struct srv_script *j;

	while ((j = s->scripts) != NULL) {
		s->scripts = j->next;
		if (j->pid > 0)
			log_msg(LOG_WARN, "server", "event=script-left script=%s "
			    "pid=%ld", script_name(j), (long)j->pid);
		free(j);
	}
	s->nscripts = 0;
}

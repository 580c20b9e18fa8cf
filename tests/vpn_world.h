/*
 * vpn_world.h - test support for whole-VPN scenarios: network namespaces
 * named after the test process (made here, removed on close and at exit,
 * failure included; ones left by a killed run are swept), children forked
 * into them running an entry function such as server_main or client_main
 * with output to a log file (killed with the test: PR_SET_PDEATHSIG), log
 * polling, and traffic through a tunnel with net_probe.h (ICMP echo, a
 * bulk TCP exchange with FNV-1a hashes on both ends).  Not a protocol
 * module: no RFC here.  Every wait is bounded in count and time.
 */
#ifndef PPTPKIT_TESTS_VPN_WORLD_H
#define PPTPKIT_TESTS_VPN_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "net_probe.h"

#define VPN_MAX_KIDS	64

struct vpn_world {
	char	tag[32];		/* namespace prefix: pkvpn-<pid>-<n> */
	char	dir[64];		/* files and logs */
	int	saved;			/* our own network namespace */
	pid_t	kids[VPN_MAX_KIDS];	/* children still to reap */
	int	nkids;
	bool	open;
};

/* Entry point run in a child: server_main, client_main, ... */
typedef int (*vpn_main_fn)(int argc, char **argv);

/* Makes a temporary directory and the namespace prefix.  Registers the
 * world for clean-up at exit.  Returns false (with a note) on failure. */
bool vpn_world_open(struct vpn_world *w);

/* Kills the children still running, deletes every namespace with the
 * world's prefix and (unless $PK_KEEP is set) the directory. */
void vpn_world_close(struct vpn_world *w);

/* Runs a shell line (printf format); false with a note when it fails. */
bool vpn_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The full namespace name for role ("srv", "c3") into buf. */
void vpn_ns_name(const struct vpn_world *w, const char *role, char *buf,
    size_t cap);

/* Creates namespace role with lo up. */
bool vpn_ns_add(struct vpn_world *w, const char *role);

/* A socket made inside namespace role; -1 on failure. */
int vpn_ns_socket(struct vpn_world *w, const char *role, int domain,
    int type, int proto);

/* Writes dir/name (printf format) with mode; the full path into path
 * (cap bytes) when path is not NULL. */
bool vpn_put(struct vpn_world *w, const char *name, unsigned mode,
    char *path, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Forks a child that enters namespace role, sends stdout and stderr to
 * dir/<log>.log and calls exit(fn(argc, argv)).  Returns the pid or -1. */
pid_t vpn_spawn(struct vpn_world *w, const char *role, const char *log,
    vpn_main_fn fn, int argc, char **argv);

/* Waits up to ms for pid; kills it past that.  Its exit status, 128 +
 * signal, or -1 when it had to be killed. */
int vpn_reap(struct vpn_world *w, pid_t pid, int ms);

/* The log's text (malloc'd, NUL-terminated) or NULL. */
char *vpn_log_read(const struct vpn_world *w, const char *log);

/* Number of lines of the log holding both a and b (b may be NULL). */
int vpn_log_count(const struct vpn_world *w, const char *log, const char *a,
    const char *b);

/* Polls up to ms until vpn_log_count(a, b) >= n. */
bool vpn_log_wait(const struct vpn_world *w, const char *log, const char *a,
    const char *b, int n, int ms);

/* Shows the last max_chars of a log as a test note. */
void vpn_log_show(const struct vpn_world *w, const char *log,
    size_t max_chars);

/* ICMP echo from namespace role to dst (dotted quad): replies received. */
int vpn_ping(struct vpn_world *w, const char *role, const char *dst,
    int count);

/* A TCP listener on port (any address) in namespace role; -1 on failure. */
int vpn_listen(struct vpn_world *w, const char *role, uint16_t port);

/* Moves x->a2b octets from namespace cli_role to dst:port, where lfd
 * listens, and x->b2a back (probe_tcp); true when both arrived whole with
 * equal hashes within timeout_ms.  Closes nothing of the caller's. */
bool vpn_xfer(struct vpn_world *w, int lfd, const char *cli_role,
    const char *dst, uint16_t port, struct probe_xfer *x, int timeout_ms);

/* Milliseconds on the monotonic clock. */
uint64_t vpn_now_ms(void);

#endif

/*
 * vpn_setup.h - the set-up the whole-VPN tests share, on top of
 * vpn_world.h: the root and command checks, a server namespace and a
 * client namespace joined by one veth pair, `pptpkit server` (server_main
 * in a child) from PoPToP files, a client allowing stateful MPPE only,
 * tcpdump in a child, and stopping a child.  Not a protocol module: no
 * RFC here.  Every wait is bounded in count and time.
 */
#ifndef PPTPKIT_TESTS_VPN_SETUP_H
#define PPTPKIT_TESTS_VPN_SETUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "vpn_world.h"

/* True when running as root; otherwise a failed check saying "this test
 * needs root (why)". */
bool vpn_need_root(const char *why);

/* True when every command of the space-separated list cmds is on the
 * PATH; otherwise a failed check naming them. */
bool vpn_need_cmds(const char *cmds);

/* Namespace "srv" with interface srv_if (srv_ip/24) and namespace
 * cli_role with its veth peer "v" (cli_ip/24), both up. */
bool vpn_net_pair(struct vpn_world *w, const char *cli_role,
    const char *srv_if, const char *srv_ip, const char *cli_ip);

/* What `pptpkit server` is given, as PoPToP files in the world's
 * directory. */
struct vpn_server {
	const char	*secrets;	/* chap-secrets */
	const char	*options;	/* the ppp options file */
	const char	*addrs;		/* pptpd.conf lines: localip, remoteip
					 * and the like */
	const char	*tun_prefix;
};

/* Writes chap-secrets, options and pptpd.conf (option, s->addrs,
 * chap-secrets, tun-prefix) and runs server_main in "srv" with output to
 * log; waits (5 s) until it listens, a failed check and the log shown
 * when it does not.  Its pid, or -1 when it could not be started. */
pid_t vpn_server_start(struct vpn_world *w, const char *log,
    const struct vpn_server *s);

/* A client allowing stateful MPPE only (no command-line option says that:
 * --mppe-stateful merely allows it, and with both modes allowed on both
 * ends RFC 3078 9's stateless wins), run through client_run() with the
 * defaults otherwise, IPv6 off, no reconnecting.  argv: entry, server,
 * user, password.  For vpn_spawn. */
int vpn_stateful_client_main(int argc, char **argv);

/* tcpdump with argv, exec'd in the child vpn_spawn made. */
int vpn_tcpdump_main(int argc, char **argv);

/* Waits (at most 10 s) until the file at path stops growing: tcpdump has
 * written what it received (a SIGTERM drops what it has not read yet). */
void vpn_wait_quiet(const char *path);

/* SIGTERM to pid, then vpn_reap for up to ms; true when it exited 0.
 * False at once for a pid <= 0. */
bool vpn_stop(struct vpn_world *w, pid_t pid, int ms);

#endif

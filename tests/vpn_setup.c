/*
 * vpn_setup.c - the set-up the whole-VPN tests share (vpn_setup.h).
 */
#include "vpn_setup.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "../src/base/secret.h"
#include "../src/client/client.h"
#include "../src/commands.h"

bool
vpn_need_root(const char *why)
{
	if (geteuid() == 0)
		return true;
	t_check(false, __FILE__, __LINE__, "this test needs root (%s)", why);
	return false;
}

bool
vpn_need_cmds(const char *cmds)
{
	return t_check(vpn_sh("for c in %s; do command -v \"$c\" >/dev/null "
	    "|| exit 1; done", cmds), __FILE__, __LINE__, "these commands "
	    "are needed: %s (scripts/deps.sh net)", cmds);
}

bool
vpn_net_pair(struct vpn_world *w, const char *cli_role, const char *srv_if,
    const char *srv_ip, const char *cli_ip)
{
	char s[64], c[64];

	vpn_ns_name(w, "srv", s, sizeof(s));
	vpn_ns_name(w, cli_role, c, sizeof(c));
	return vpn_ns_add(w, "srv") && vpn_ns_add(w, cli_role) &&
	    vpn_sh("ip -n %s link add %s type veth peer name v netns %s && "
	    "ip -n %s addr add %s/24 dev %s && ip -n %s link set %s up && "
	    "ip -n %s addr add %s/24 dev v && ip -n %s link set v up",
	    s, srv_if, c, s, srv_ip, srv_if, s, srv_if, c, cli_ip, c);
}

pid_t
vpn_server_start(struct vpn_world *w, const char *log,
    const struct vpn_server *s)
{
	char conf[192];
	char *argv[] = { "server", "--config", conf, "--no-scripts", NULL };
	pid_t pid;

	if (!vpn_put(w, "chap-secrets", 0600, NULL, 0, "%s", s->secrets) ||
	    !vpn_put(w, "options", 0644, NULL, 0, "%s", s->options) ||
	    !vpn_put(w, "pptpd.conf", 0644, conf, sizeof(conf),
	    "option %s/options\n%schap-secrets %s/chap-secrets\n"
	    "tun-prefix %s\n", w->dir, s->addrs, w->dir, s->tun_prefix))
		return -1;
	if ((pid = vpn_spawn(w, "srv", log, server_main, 4, argv)) < 0)
		return -1;
	if (!vpn_log_wait(w, log, "event=listening", NULL, 1, 5000)) {
		t_check(false, __FILE__, __LINE__, "server: not listening");
		vpn_log_show(w, log, 3000);
	}
	return pid;
}

int
vpn_stateful_client_main(int argc, char **argv)
{
	struct client_config cfg;
	int ret;

	if (argc != 4)
		return CLIENT_EXIT_USAGE;
	client_config_default(&cfg);
	inet_pton(AF_INET, argv[1], &cfg.server);
	snprintf(cfg.server_name, sizeof(cfg.server_name), "%s", argv[1]);
	snprintf(cfg.ppp.user, sizeof(cfg.ppp.user), "%s", argv[2]);
	snprintf(cfg.ppp.password, sizeof(cfg.ppp.password), "%s", argv[3]);
	cfg.ppp.mppe_stateless = false;
	cfg.ppp.mppe_stateful = true;
	cfg.ppp.ipv6 = false;
	cfg.reconnect = false;
	ret = client_run(&cfg);
	secret_wipe(&cfg, sizeof(cfg));
	return ret;
}

int
vpn_tcpdump_main(int argc, char **argv)
{
	(void)argc;
	execvp("tcpdump", argv);
	perror("tcpdump");
	return 127;
}

void
vpn_wait_quiet(const char *path)
{
	struct stat st;
	off_t last = -1;
	int i, same = 0;

	for (i = 0; i < 100 && same < 4; i++) {
		usleep(100000);
		if (stat(path, &st) != 0)
			continue;
		same = st.st_size == last ? same + 1 : 0;
		last = st.st_size;
	}
}

bool
vpn_stop(struct vpn_world *w, pid_t pid, int ms)
{
	if (pid <= 0)
		return false;
	kill(pid, SIGTERM);
	return vpn_reap(w, pid, ms) == 0;
}

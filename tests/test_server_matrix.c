/*
 * test_server_matrix.c - `pptpkit server` and `pptpkit client` together in
 * network namespaces made and removed here (vpn_world.h): the server in
 * one namespace behind a bridge (192.0.2.1/24, TEST-NET-1), each client in
 * its own; both run as server_main() and client_main() in forked children,
 * so that they are this build (sanitizers included).  The tunnel uses
 * 10.98.1.1 (server side) and 10.98.0.10-99 (the pool).
 *
 *   modes: MS-CHAPv2 + MPPE-128 stateless, MS-CHAPv2 + MPPE-128 stateful,
 *     MS-CHAPv2 + MPPE-40 and PAP without MPPE (RFC 1334, RFC 2759,
 *     RFC 3078, RFC 3079): link up with the expected mode and method on
 *     both ends, ping, 20 MB over TCP through the tunnel with FNV-1a
 *     hashes compared (the stateful client is client_run() with stateless
 *     MPPE off: no command-line option asks for stateful only);
 *   5% of GRE dropped by nftables both ways: the 20 MB still arrive whole
 *     (stateless MPPE rekeys per packet, TCP retransmits), the server
 *     counts the gaps, pings still answer;
 *   20 clients at once, each in its own namespace: all up in bounded time,
 *     each pings, 20 distinct Call IDs and addresses in the server's log;
 *     GRE from a stranger (a random Call ID, RFC 2637 4.1) is counted by
 *     the server and the sessions keep passing pings; orderly tear-down;
 *   3 clients behind one NAT namespace (nftables masquerade and the
 *     kernel's PPTP conntrack helper): all three up and passing traffic
 *     at the same time, the server sees one source address and three Call
 *     IDs.
 *
 * Needs root, iproute2 and nftables (scripts/deps.sh net).  Every wait is
 * bounded; children are killed if they overstay; the namespaces go on
 * any exit.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "t.h"
#include "../src/commands.h"
#include "../src/wire/cursor.h"
#include "../src/wire/gre.h"
#include "vpn_srvlog.h"
#include "vpn_setup.h"

#define SRV_IP		"192.0.2.1"
#define NAT_IP		"192.0.2.200"
#define TUN_SRV		"10.98.1.1"
#define SINK_PORT	5001
#define XFER_BYTES	(20u << 20)
#define MANY		20
#define BEHIND_NAT	3

static const char opt_mschap128[] = "require-mschap-v2\nrequire-mppe-128\n";

static bool
need_root(void)
{
	return vpn_need_root("network namespaces, veth, nftables, raw "
	    "sockets, TUN");
}

/* The server's namespace: bridge br0 with 192.0.2.1/24. */
static bool
net_server(struct vpn_world *w)
{
	char s[64];

	vpn_ns_name(w, "srv", s, sizeof(s));
	return vpn_ns_add(w, "srv") && vpn_sh("ip -n %s link add br0 type "
	    "bridge && ip -n %s addr add " SRV_IP "/24 dev br0 && "
	    "ip -n %s link set br0 up", s, s, s);
}

/* Namespace role joined by a veth to bridge br in namespace hub (port
 * name port there), with addr/24 and, if gw, a default route. */
static bool
net_leaf(struct vpn_world *w, const char *role, const char *hub,
    const char *br, const char *port, const char *addr, const char *gw)
{
	char c[64], h[64], route[160] = "";

	vpn_ns_name(w, role, c, sizeof(c));
	vpn_ns_name(w, hub, h, sizeof(h));
	if (gw != NULL)
		snprintf(route, sizeof(route), " && ip -n %s route add default "
		    "via %s", c, gw);
	return vpn_ns_add(w, role) && vpn_sh("ip -n %s link add v type veth "
	    "peer name %s netns %s && ip -n %s addr add %s/24 dev v && "
	    "ip -n %s link set v up && ip -n %s link set %s master %s up%s",
	    c, port, h, c, addr, c, h, port, br, route);
}

/* PoPToP files (users u0..u<nusers-1>, password files uN.pass) and
 * server_main in "srv", output to log; waits until it listens. */
static pid_t
server_start(struct vpn_world *w, const char *log, const char *options,
    int nusers)
{
	char name[32], secrets[4096], opts[256];
	struct vpn_server srv = { .secrets = secrets, .options = opts,
	    .addrs = "localip " TUN_SRV "\nremoteip 10.98.0.10-99\n"
	    "connections 40\n", .tun_prefix = "pks" };
	size_t len = 0;
	int i;

	secrets[0] = '\0';
	for (i = 0; i < nusers && len < sizeof(secrets) - 64; i++) {
		len += (size_t)snprintf(secrets + len, sizeof(secrets) - len,
		    "u%d\tpptpd\t\"pass %d-%d\"\t*\n", i, i, (int)getpid());
		snprintf(name, sizeof(name), "u%d.pass", i);
		if (!vpn_put(w, name, 0600, NULL, 0, "pass %d-%d\n", i,
		    (int)getpid()))
			return -1;
	}
	snprintf(opts, sizeof(opts), "name pptpd\n%sms-dns 10.98.1.1\n",
	    options);
	return vpn_server_start(w, log, &srv);
}

/* client_main in namespace role as user u<user>, output to log. */
static pid_t
client_start(struct vpn_world *w, const char *role, const char *log,
    int user, const char *const *extra)
{
	char uname[16], pw[192], pwname[32];
	char *argv[24] = { "client", SRV_IP, "--user", uname,
	    "--password-file", pw, "--no-reconnect", "--no-ipv6",
	    "--connect-timeout", "10" };
	int argc = 10;

	snprintf(uname, sizeof(uname), "u%d", user);
	snprintf(pwname, sizeof(pwname), "u%d.pass", user);
	snprintf(pw, sizeof(pw), "%s/%s", w->dir, pwname);
	while (extra != NULL && *extra != NULL && argc < 23)
		argv[argc++] = (char *)*extra++;
	argv[argc] = NULL;
	return vpn_spawn(w, role, log, client_main, argc, argv);
}

/* 20 MB (and 64 KiB back) from namespace role to the server's tunnel
 * address through lfd; notes the rate. */
static bool
bulk(struct vpn_world *w, int lfd, const char *role, const char *what,
    int timeout_ms)
{
	struct probe_xfer x = { .a2b = XFER_BYTES, .b2a = 64 << 10 };
	bool ok = vpn_xfer(w, lfd, role, TUN_SRV, SINK_PORT, &x, timeout_ms);

	t_note("%s: %zu+%zu octets in %u ms (%.1f MB/s), hashes %016llx/"
	    "%016llx%s%s", what, x.got_b, x.got_a, x.ms, x.ms ?
	    (double)x.got_b / 1048.576 / x.ms : 0.0,
	    (unsigned long long)x.sent_a, (unsigned long long)x.hash_b,
	    x.error ? " error: " : "", x.error ? x.error : "");
	if (!ok)
		return false;
	return x.got_b == XFER_BYTES && x.hash_b == x.sent_a &&
	    x.got_a == x.b2a && x.hash_a == x.sent_b;
}

/* --- 1. the four modes --- */

struct mode {
	const char	*name;
	const char	*options;		/* pptpd-options lines */
	const char	*extra[6];		/* client arguments */
	const char	*want;			/* in both link-up lines */
	const char	*method;		/* in the server's auth-ok */
};

static const struct mode modes[] = {
	{ "mschapv2-mppe128-stateless", opt_mschap128, { NULL },
	    "mppe=128-stateless", "method=mschap-v2" },
	{ "mschapv2-mppe128-stateful", "require-mschap-v2\nrequire-mppe-128\n"
	    "mppe-stateful\n", { "stateful-only", NULL },
	    "mppe=128-stateful", "method=mschap-v2" },
	{ "mschapv2-mppe40", "require-mschap-v2\nrequire-mppe-40\n",
	    { "--mppe-bits", "40", NULL }, "mppe=40-stateless",
	    "method=mschap-v2" },
	{ "pap-nomppe", "refuse-mschap-v2\nrequire-pap\nnomppe\n",
	    { "--auth", "pap", "--mppe", "refused", NULL }, "mppe=none",
	    "method=pap" },
};

static void
mode_run(struct vpn_world *w, int lfd, const struct mode *m)
{
	char ls[64], lc[64], pass[64];
	char *sf_argv[] = { "client", SRV_IP, "u0", pass, NULL };
	pid_t srv, cli;
	bool good;

	snprintf(pass, sizeof(pass), "pass 0-%d", (int)getpid());

	snprintf(ls, sizeof(ls), "server-%s", m->name);
	snprintf(lc, sizeof(lc), "client-%s", m->name);
	if ((srv = server_start(w, ls, m->options, 1)) < 0)
		return;
	if (m->extra[0] != NULL && strcmp(m->extra[0], "stateful-only") == 0)
		cli = vpn_spawn(w, "c0", lc, vpn_stateful_client_main, 4,
		    sf_argv);
	else
		cli = client_start(w, "c0", lc, 0, m->extra);
	good = t_check(vpn_log_wait(w, lc, "link up", NULL, 1, 15000),
	    __FILE__, __LINE__, "%s: no link up", m->name);
	if (good) {
		good = t_check(vpn_log_count(w, lc, "link up", m->want) == 1,
		    __FILE__, __LINE__, "%s: client not %s", m->name, m->want);
		good &= t_check(vpn_log_wait(w, ls, " event=up ", m->want, 1,
		    3000), __FILE__, __LINE__, "%s: server not %s", m->name,
		    m->want);
		good &= t_check(vpn_log_count(w, ls, " event=auth-ok ",
		    m->method) == 1, __FILE__, __LINE__, "%s: server not %s",
		    m->name, m->method);
		good &= t_check(vpn_ping(w, "c0", TUN_SRV, 3) == 3, __FILE__,
		    __LINE__, "%s: ping through the tunnel", m->name);
		good &= t_check(bulk(w, lfd, "c0", m->name, 60000), __FILE__,
		    __LINE__, "%s: 20 MB through the tunnel", m->name);
	}
	good &= t_check(vpn_stop(w, cli, 10000), __FILE__, __LINE__,
	    "%s: client exit status", m->name);
	good &= t_check(vpn_log_wait(w, ls, " event=down", NULL, 1, 5000),
	    __FILE__, __LINE__, "%s: no session down line", m->name);
	good &= t_check(vpn_stop(w, srv, 10000), __FILE__, __LINE__,
	    "%s: server exit status", m->name);
	if (!good) {
		vpn_log_show(w, lc, 3000);
		vpn_log_show(w, ls, 3000);
	}
}

TEST(server_matrix_modes)
{
	static struct vpn_world w;
	uint64_t t0 = vpn_now_ms();
	size_t i;
	int lfd = -1;

	if (!need_root() || !vpn_world_open(&w))
		return;
	if (!net_server(&w) || !net_leaf(&w, "c0", "srv", "br0", "p0",
	    "192.0.2.10", NULL) || (lfd = vpn_listen(&w, "srv",
	    SINK_PORT)) < 0) {
		t_check(false, __FILE__, __LINE__, "network set-up");
		goto out;
	}
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		mode_run(&w, lfd, &modes[i]);
	t_note("four modes in %llu ms", (unsigned long long)(vpn_now_ms() -
	    t0));
out:
	if (lfd >= 0)
		close(lfd);
	vpn_world_close(&w);
}

/* --- 4. GRE loss --- */

/* Packets counted by the rules of nftables table (e.g. "inet pkloss")
 * in namespace role. */
static unsigned long long
nft_counted(struct vpn_world *w, const char *role, const char *table)
{
	char ns[64], cmd[160], line[256], *p;
	unsigned long long n = 0;
	FILE *f;

	vpn_ns_name(w, role, ns, sizeof(ns));
	snprintf(cmd, sizeof(cmd), "ip netns exec %s nft list table %s "
	    "2>/dev/null", ns, table);
	if ((f = popen(cmd, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if ((p = strstr(line, "packets ")) != NULL)
			n += strtoull(p + 8, NULL, 10);
	pclose(f);
	return n;
}

TEST(server_matrix_gre_loss)
{
	static struct vpn_world w;
	char s[64];
	pid_t srv = -1, cli = -1;
	int lfd = -1;
	bool up = false;
	unsigned long long dropped;
	long long lost;
	int pings;

	if (!need_root() || !vpn_world_open(&w))
		return;
	if (!net_server(&w) || !net_leaf(&w, "c0", "srv", "br0", "p0",
	    "192.0.2.10", NULL) || (lfd = vpn_listen(&w, "srv",
	    SINK_PORT)) < 0) {
		t_check(false, __FILE__, __LINE__, "network set-up");
		goto out;
	}
	if ((srv = server_start(&w, "server", opt_mschap128, 1)) < 0)
		goto out;
	cli = client_start(&w, "c0", "client", 0, NULL);
	CHECK(up = vpn_log_wait(&w, "client", "link up", "mppe=128-stateless",
	    1, 15000));
	vpn_ns_name(&w, "srv", s, sizeof(s));
	if (!up || !vpn_sh("ip netns exec %s nft -f - <<'EOF'\n"
	    "table inet pkloss {\n"
	    " chain in { type filter hook input priority 0; policy accept;\n"
	    "  ip protocol gre numgen random mod 100 < 5 counter drop; }\n"
	    " chain out { type filter hook output priority 0; policy accept;\n"
	    "  ip protocol gre numgen random mod 100 < 5 counter drop; }\n"
	    "}\nEOF", s)) {
		CHECK(false);
		goto out;
	}
	CHECK(bulk(&w, lfd, "c0", "5% GRE loss", 100000));
	dropped = nft_counted(&w, "srv", "inet pkloss");
	t_note("GRE packets dropped by nftables: %llu", dropped);
	CHECK(dropped > 100);		/* ~5% of some 16000 each way */
	/* Each echo crosses two 5% drops: 10 of them, 5 at least back
	 * (below that: about once in 7000 runs).  Without the loss, all. */
	pings = vpn_ping(&w, "c0", TUN_SRV, 10);
	t_note("pings with 5%% loss each way: %d of 10", pings);
	CHECK(pings >= 5);
	CHECK(vpn_sh("ip netns exec %s nft delete table inet pkloss", s));
	CHECK_EQ(vpn_ping(&w, "c0", TUN_SRV, 3), 3);
	CHECK(vpn_stop(&w, cli, 10000));
	cli = -1;
	CHECK(vpn_stop(&w, srv, 10000));
	srv = -1;
	/* The loss reached the tunnel: the GRE sequence numbers had gaps. */
	lost = vpn_log_value(&w, "server", " event=down ", " gre_lost=",
	    false);
	t_note("server's gre_lost at the end: %lld", lost);
	CHECK(lost > 0);
out:
	if (lfd >= 0)
		close(lfd);
	if (srv > 0 || cli > 0 || !up) {
		vpn_log_show(&w, "client", 3000);
		vpn_log_show(&w, "server", 3000);
	}
	vpn_world_close(&w);
}

/* --- 2 and 5: twenty clients, and a stranger --- */

/* SIGUSR1; the stranger count from the status line it brings (the
 * count-th such line), or -1. */
static long long
status_poll(struct vpn_world *w, pid_t srv, int count, const char *want)
{
	kill(srv, SIGUSR1);
	if (!vpn_log_wait(w, "server", "event=status sessions=", want, count,
	    3000))
		return -1;
	return vpn_log_value(w, "server", "event=status sessions=",
	    " stranger=", true);
}

/* n GRE packets (RFC 2637 4.1: version 1, key and sequence present) to
 * the server from namespace role, with a Call ID none of u[0..nu) has. */
static bool
gre_stranger(struct vpn_world *w, const char *role,
    const struct vpn_up *u, int nu, int n)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	static const uint8_t lcp_echo[12] = { 0xff, 0x03, 0xc0, 0x21, 0x09,
	    0x01, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78 };
	struct gre_hdr h = { .has_seq = true,
	    .payload_len = sizeof(lcp_echo) };
	uint8_t pkt[64];
	struct wr wr;
	uint16_t id = 0;
	int fd, i, tries, sent = 0;
	bool clash = true;

	for (tries = 0; tries < 100 && clash; tries++) {
		if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			return false;
		clash = id == 0;
		for (i = 0; i < nu; i++)
			clash = clash || u[i].call == id;
	}
	inet_pton(AF_INET, SRV_IP, &dst.sin_addr);
	h.call_id = id;
	if ((fd = vpn_ns_socket(w, role, AF_INET, SOCK_RAW, IPPROTO_GRE)) < 0)
		return false;
	for (i = 0; i < n; i++) {
		h.seq = (uint32_t)i;
		wr_init(&wr, pkt, sizeof(pkt));
		if (gre_encode(&wr, &h) != 0)
			break;
		wr_bytes(&wr, lcp_echo, sizeof(lcp_echo));
		if (wr_error(&wr) == 0 && sendto(fd, pkt, wr_len(&wr), 0,
		    (struct sockaddr *)&dst, sizeof(dst)) ==
		    (ssize_t)wr_len(&wr))
			sent++;
	}
	close(fd);
	t_note("sent %d GRE packets with stranger Call ID %u", sent,
	    (unsigned)id);
	return sent == n;
}

static int
ping_all(struct vpn_world *w, int n, int count)
{
	char role[16];
	int i, ok = 0;

	for (i = 0; i < n; i++) {
		snprintf(role, sizeof(role), "c%d", i);
		if (vpn_ping(w, role, TUN_SRV, count) == count)
			ok++;
		else
			t_note("%s: ping through the tunnel failed", role);
	}
	return ok;
}

TEST(server_matrix_twenty_clients)
{
	static struct vpn_world w;
	static struct vpn_up u[MANY + 4];
	char role[16], port[16], addr[20], want[48];
	pid_t srv = -1, cli[MANY];
	long long s0, s1;
	uint64_t t0, left;
	int i, nup = 0, nu, stopped = 0;

	for (i = 0; i < MANY; i++)
		cli[i] = -1;
	if (!need_root() || !vpn_world_open(&w))
		return;
	if (!net_server(&w))
		goto out;
	for (i = 0; i < MANY; i++) {
		snprintf(role, sizeof(role), "c%d", i);
		snprintf(port, sizeof(port), "p%d", i);
		snprintf(addr, sizeof(addr), "192.0.2.%d", 10 + i);
		if (!net_leaf(&w, role, "srv", "br0", port, addr, NULL)) {
			CHECK(false);
			goto out;
		}
	}
	if ((srv = server_start(&w, "server", opt_mschap128, MANY)) < 0)
		goto out;
	t0 = vpn_now_ms();
	for (i = 0; i < MANY; i++) {
		snprintf(role, sizeof(role), "c%d", i);
		cli[i] = client_start(&w, role, role, i, NULL);
	}
	for (i = 0; i < MANY; i++) {
		snprintf(role, sizeof(role), "c%d", i);
		left = vpn_now_ms() - t0 < 40000 ? 40000 - (vpn_now_ms() - t0) :
		    0;
		if (vpn_log_wait(&w, role, "link up", NULL, 1, (int)left))
			nup++;
		else
			vpn_log_show(&w, role, 1500);
	}
	t_note("%d of %d links up in %llu ms", nup, MANY,
	    (unsigned long long)(vpn_now_ms() - t0));
	CHECK_EQ(nup, MANY);
	CHECK(vpn_log_wait(&w, "server", " event=up ", NULL, MANY, 5000));
	nu = vpn_ups_read(&w, "server", u, MANY + 4);
	CHECK_EQ(nu, MANY);
	CHECK(vpn_ups_distinct(u, nu, true));
	CHECK_EQ(ping_all(&w, MANY, 2), MANY);

	/* GRE from a stranger: counted, dropped, nobody disturbed. */
	snprintf(want, sizeof(want), "event=status sessions=%d ", MANY);
	s0 = status_poll(&w, srv, 1, want);
	CHECK(s0 >= 0);
	CHECK(vpn_log_wait(&w, "server", " event=status phase=network",
	    NULL, MANY, 3000));
	CHECK(gre_stranger(&w, "c3", u, nu, 5));
	s1 = status_poll(&w, srv, 2, want);
	t_note("server's stranger count: %lld before, %lld after", s0, s1);
	CHECK(s1 >= s0 + 5);
	CHECK_EQ(ping_all(&w, MANY, 1), MANY);
	CHECK_EQ(vpn_log_count(&w, "server", " event=down", NULL), 0);

	/* Everybody leaves in order. */
	for (i = 0; i < MANY; i++)
		if (cli[i] > 0)
			kill(cli[i], SIGTERM);
	for (i = 0; i < MANY; i++) {
		if (cli[i] > 0 && vpn_reap(&w, cli[i], 10000) == 0)
			stopped++;
		cli[i] = -1;
	}
	CHECK_EQ(stopped, MANY);
	CHECK(vpn_log_wait(&w, "server", " event=down", NULL, MANY, 10000));
	CHECK(vpn_stop(&w, srv, 10000));
	srv = -1;
out:
	if (srv > 0 || nup != MANY)
		vpn_log_show(&w, "server", 6000);
	vpn_world_close(&w);
}

/* --- 3. three clients behind one NAT --- */

struct flow {
	int			lfd, cfd, icmp;
	struct sockaddr_in	dst;
	struct probe_xfer	x;
	bool			ok;
	int			pings;
};

static void *
flow_run(void *arg)
{
	struct flow *f = arg;

	f->ok = probe_tcp(f->lfd, f->cfd, &f->dst, &f->x, 30000);
	f->pings = probe_ping(f->icmp, f->dst.sin_addr, 3, 2000);
	return NULL;
}

static bool
net_nat(struct vpn_world *w)
{
	char n[64], rules[192];
	bool ok;

	vpn_ns_name(w, "nat", n, sizeof(n));
	ok = net_leaf(w, "nat", "srv", "br0", "nat0", NAT_IP, NULL) &&
	    vpn_sh("ip -n %s link add lan type bridge && ip -n %s addr add "
	    "10.77.0.1/24 dev lan && ip -n %s link set lan up && "
	    "ip netns exec %s sysctl -qw net.ipv4.ip_forward=1", n, n, n, n) &&
	    vpn_put(w, "nat.nft", 0644, rules, sizeof(rules),
	    "table ip pknat {\n"
	    " ct helper pptp { type \"pptp\" protocol tcp; }\n"
	    " chain pre { type filter hook prerouting priority -100;\n"
	    "  tcp dport 1723 counter ct helper set \"pptp\"; }\n"
	    " chain post { type nat hook postrouting priority 100;\n"
	    "  oifname \"v\" masquerade; }\n"
	    "}\n");
	if (ok && !vpn_sh("ip netns exec %s nft -f %s > %s/nft.log 2>&1", n,
	    rules, w->dir)) {
		vpn_log_show(w, "nft", 2000);
		ok = false;
	}
	return ok;
}

TEST(server_matrix_nat_three)
{
	static struct vpn_world w;
	static struct flow fl[BEHIND_NAT];
	static struct vpn_up u[BEHIND_NAT + 2];
	pthread_t th[BEHIND_NAT];
	char role[16], port[16], addr[20];
	bool started[BEHIND_NAT] = { false };
	pid_t srv = -1, cli[BEHIND_NAT] = { -1, -1, -1 };
	int i, nup = 0, nu = 0, stopped = 0;
	unsigned long long helped;

	for (i = 0; i < BEHIND_NAT; i++)
		fl[i].lfd = fl[i].cfd = fl[i].icmp = -1;
	if (!need_root() || !vpn_world_open(&w))
		return;
	if (!net_server(&w) || !net_nat(&w)) {
		CHECK(false);
		goto out;
	}
	for (i = 0; i < BEHIND_NAT; i++) {
		snprintf(role, sizeof(role), "pc%d", i);
		snprintf(port, sizeof(port), "q%d", i);
		snprintf(addr, sizeof(addr), "10.77.0.%d", 10 + i);
		if (!net_leaf(&w, role, "nat", "lan", port, addr,
		    "10.77.0.1")) {
			CHECK(false);
			goto out;
		}
	}
	if ((srv = server_start(&w, "server", opt_mschap128, BEHIND_NAT)) < 0)
		goto out;
	for (i = 0; i < BEHIND_NAT; i++) {
		snprintf(role, sizeof(role), "pc%d", i);
		cli[i] = client_start(&w, role, role, i, NULL);
	}
	for (i = 0; i < BEHIND_NAT; i++) {
		snprintf(role, sizeof(role), "pc%d", i);
		if (vpn_log_wait(&w, role, "link up", NULL, 1, 20000))
			nup++;
		else
			vpn_log_show(&w, role, 2000);
	}
	CHECK_EQ(nup, BEHIND_NAT);
	CHECK(vpn_log_wait(&w, "server", " event=up ", NULL, BEHIND_NAT,
	    3000));
	nu = vpn_ups_read(&w, "server", u, BEHIND_NAT + 2);
	CHECK_EQ(nu, BEHIND_NAT);
	CHECK(vpn_ups_distinct(u, nu, true));
	for (i = 0; i < nu; i++)
		t_check(strcmp(u[i].peer, NAT_IP) == 0, __FILE__, __LINE__,
		    "session %d from %s, not the NAT's " NAT_IP, i, u[i].peer);
	if (nup != BEHIND_NAT)
		goto stop;

	/* All three at once: 2 MB each way and pings, in parallel. */
	for (i = 0; i < BEHIND_NAT; i++) {
		snprintf(role, sizeof(role), "pc%d", i);
		fl[i].dst.sin_family = AF_INET;
		fl[i].dst.sin_port = htons((uint16_t)(SINK_PORT + 1 + i));
		inet_pton(AF_INET, TUN_SRV, &fl[i].dst.sin_addr);
		fl[i].x.a2b = fl[i].x.b2a = 2u << 20;
		fl[i].lfd = vpn_listen(&w, "srv", (uint16_t)(SINK_PORT + 1 +
		    i));
		fl[i].cfd = vpn_ns_socket(&w, role, AF_INET, SOCK_STREAM, 0);
		fl[i].icmp = vpn_ns_socket(&w, role, AF_INET, SOCK_RAW,
		    IPPROTO_ICMP);
		CHECK(fl[i].lfd >= 0 && fl[i].cfd >= 0 && fl[i].icmp >= 0);
	}
	for (i = 0; i < BEHIND_NAT; i++)
		started[i] = fl[i].lfd >= 0 && fl[i].cfd >= 0 &&
		    fl[i].icmp >= 0 && pthread_create(&th[i], NULL, flow_run,
		    &fl[i]) == 0;
	for (i = 0; i < BEHIND_NAT; i++) {
		if (!started[i])
			continue;
		pthread_join(th[i], NULL);
		t_note("pc%d: %zu/%zu octets in %u ms%s%s, %d/3 pings", i,
		    fl[i].x.got_b, fl[i].x.got_a, fl[i].x.ms, fl[i].x.error ?
		    ", error: " : "", fl[i].x.error ? fl[i].x.error : "",
		    fl[i].pings);
		t_check(fl[i].ok && fl[i].x.hash_b == fl[i].x.sent_a &&
		    fl[i].x.hash_a == fl[i].x.sent_b, __FILE__, __LINE__,
		    "pc%d: traffic through the NAT", i);
		/* While the others still move bulk data an echo may be
		 * dropped by a full queue: one answer is enough here. */
		CHECK(fl[i].pings >= 1);
	}
	/* Then, quiet, each one answers every echo. */
	for (i = 0; i < BEHIND_NAT; i++) {
		snprintf(role, sizeof(role), "pc%d", i);
		t_check(vpn_ping(&w, role, TUN_SRV, 3) == 3, __FILE__,
		    __LINE__, "pc%d: ping after the transfers", i);
	}
	/* The control connections went through the PPTP helper rule. */
	helped = nft_counted(&w, "nat", "ip pknat");
	t_note("TCP 1723 packets given the pptp helper: %llu", helped);
	CHECK(helped >= 3 * 4);
stop:
	for (i = 0; i < BEHIND_NAT; i++)
		if (cli[i] > 0)
			kill(cli[i], SIGTERM);
	for (i = 0; i < BEHIND_NAT; i++) {
		if (cli[i] > 0 && vpn_reap(&w, cli[i], 10000) == 0)
			stopped++;
		cli[i] = -1;
	}
	CHECK_EQ(stopped, BEHIND_NAT);
	CHECK(vpn_stop(&w, srv, 10000));
	srv = -1;
out:
	for (i = 0; i < BEHIND_NAT; i++) {
		if (fl[i].lfd >= 0)
			close(fl[i].lfd);
		if (fl[i].cfd >= 0)
			close(fl[i].cfd);
		if (fl[i].icmp >= 0)
			close(fl[i].icmp);
	}
	if (nup != BEHIND_NAT || nu != BEHIND_NAT || srv > 0)
		vpn_log_show(&w, "server", 4000);
	vpn_world_close(&w);
}

/*
 * test_inspect_tunnel.c - `pptpkit inspect` decrypting captures of our own
 * tunnels: `pptpkit server` and `pptpkit client` (server_main() and
 * client_main() in forked children, so this build) in network namespaces
 * made and removed here (vpn_world.h), tcpdump -w on the client's veth,
 * ping and a TCP exchange through the tunnel, then the analyzer on the
 * capture with the known password and --decrypt-out:
 *   - the MS-CHAPv2 response verifies, the negotiated strength and mode
 *     are found, every MPPE frame of both directions decrypts (no failure,
 *     no garbage, nothing discarded);
 *   - the inner pcap is LINKTYPE_RAW (101) and tshark reads it with no
 *     malformed packet and no expert error, showing the ICMP echo
 *     requests and replies and the TCP segments between the tunnel's
 *     inner addresses, with the octets of the transfer;
 *   - the same through the command line (inspect_main): "password
 *     verified" in the report.
 * For MPPE-128 stateless (RFC 3078 7.1), MPPE-128 stateful (7.2, 8.2) and
 * MPPE-40 stateless.  Needs root, iproute2, tcpdump and tshark; every
 * wait is bounded and the namespaces go on any exit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "../src/commands.h"
#include "../src/inspect/inspect.h"
#include "ins_build.h"
#include "vpn_setup.h"

#define SRV_IP		"192.0.2.1"
#define CLI_IP		"192.0.2.10"
#define TUN_SRV		"10.98.1.1"
#define TUN_CLI		"10.98.0.10"	/* the pool's first address */
#define SINK_PORT	5001

/* `pptpkit server` in "srv": user u0 with password, the options lines
 * given. */
static pid_t
server_start(struct vpn_world *w, const char *log, const char *options,
    const char *password)
{
	char secrets[128], opts[256];
	struct vpn_server srv = { .secrets = secrets, .options = opts,
	    .addrs = "localip " TUN_SRV "\nremoteip 10.98.0.10-19\n",
	    .tun_prefix = "pki" };

	snprintf(secrets, sizeof(secrets), "u0\tpptpd\t\"%s\"\t*\n",
	    password);
	snprintf(opts, sizeof(opts), "name pptpd\n%sms-dns 10.98.1.1\n",
	    options);
	return vpn_server_start(w, log, &srv);
}

/* Runs a shell line and returns its output (malloc'd) or NULL. */
static char *
run_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
run_out(const char *fmt, ...)
{
	char cmd[1024], *buf = NULL;
	size_t cap = 0, len = 0, n;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((f = popen(cmd, "r")) == NULL)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = len + 65536);

			if (nb == NULL)
				break;
			buf = nb;
		}
		if ((n = fread(buf + len, 1, cap - len - 1, f)) == 0)
			break;
		len += n;
	}
	pclose(f);
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

/* Lines of text holding a (and b, if not NULL). */
static unsigned
count_lines(const char *text, const char *a, const char *b)
{
	const char *p = text, *nl;
	unsigned n = 0;
	char line[512];
	size_t l;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		l = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (l >= sizeof(line))
			l = sizeof(line) - 1;
		memcpy(line, p, l);
		line[l] = '\0';
		if (strstr(line, a) != NULL && (b == NULL ||
		    strstr(line, b) != NULL))
			n++;
		p = nl != NULL ? nl + 1 : NULL;
	}
	return n;
}

/* The link type in a pcap file's header (either byte order), or -1. */
static long
pcap_linktype(const char *path)
{
	uint8_t h[24];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(h, 1, sizeof(h), f);
	fclose(f);
	if (n != sizeof(h))
		return -1;
	if (h[0] == 0xd4 && h[1] == 0xc3)	/* little-endian magic */
		return (long)(h[20] | h[21] << 8 | h[22] << 16 |
		    (uint32_t)h[23] << 24);
	return (long)((uint32_t)h[20] << 24 | h[21] << 16 | h[22] << 8 |
	    h[23]);
}

struct mode {
	const char	*name;
	const char	*options;	/* pptpd options lines */
	bool		stateful_client;
	const char	*extra[4];	/* client arguments */
	unsigned	bits;
	bool		stateless;
	size_t		xfer;		/* octets client -> server */
};

static const struct mode modes[] = {
	{ "mppe128-stateless", "require-mschap-v2\nrequire-mppe-128\n", false,
	    { NULL }, 128, true, 8u << 20 },
	{ "mppe128-stateful", "require-mschap-v2\nrequire-mppe-128\n"
	    "mppe-stateful\n", true, { NULL }, 128, false, 1u << 20 },
	{ "mppe40-stateless", "require-mschap-v2\nrequire-mppe-40\n", false,
	    { "--mppe-bits", "40", NULL }, 40, true, 1u << 20 },
};

/* The analyzer through the API on cap: checks the decryption. */
static void
analyze(const struct mode *m, const char *cap, const char *dec,
    const char *password, const struct probe_xfer *x)
{
	struct inspect *ins = inspect_new();
	const struct ins_call *call;
	char err[512];
	uint64_t t0, ms;
	uint64_t mppe_bytes;
	int d;

	if (!CHECK(ins != NULL))
		return;
	if (!t_check(ins_crypt_open(ins, "u0", password, NULL, dec, err,
	    sizeof(err)) == 0, __FILE__, __LINE__, "ins_crypt_open: %s", err))
		goto out;
	t0 = vpn_now_ms();
	CHECK_OK(inspect_read_file(ins, cap, err, sizeof(err)));
	ms = vpn_now_ms() - t0;
	ins_crypt_close(ins);
	if (!CHECK((call = ib_ctrl_call(ins)) != NULL))
		goto out;
	mppe_bytes = call->dir[0].payload_sum + call->dir[1].payload_sum;
	t_note("%s: %u frames, %llu GRE payload octets analysed and "
	    "decrypted in %llu ms (%.1f MB/s)", m->name, ins->frames,
	    (unsigned long long)mppe_bytes, (unsigned long long)ms,
	    ms ? (double)mppe_bytes / 1000.0 / (double)ms : 0.0);
	CHECK_EQ(call->crypt.verified, 1);
	CHECK_EQ(call->crypt.s_check, 1);
	CHECK_EQ(call->crypt.method, INS_CM_MSCHAPV2);
	CHECK_EQ(call->crypt.bits, m->bits);
	CHECK_EQ(call->crypt.stateless, m->stateless);
	CHECK(call->crypt.unsupported == NULL);
	for (d = 0; d < 2; d++) {
		const struct ins_crypt_dir *cd = &call->crypt.dir[d];

		t_note("  dir %d: frames=%u decrypted=%u written=%u garbage=%u "
		    "failed=%u stale=%u discarded=%u lost=%u resyncs=%u", d,
		    cd->frames, cd->decrypted, cd->written, cd->garbage,
		    cd->failed, cd->stale, cd->discarded, cd->lost,
		    cd->resyncs);
		CHECK(cd->frames > 20);
		CHECK_EQ(cd->decrypted, cd->frames);
		CHECK_EQ(cd->written, cd->frames);
		CHECK_EQ(cd->garbage + cd->failed + cd->stale + cd->discarded +
		    cd->skipped, 0);
	}
	/* the bulk went PNS -> PAC: its octets are all there */
	CHECK(call->dir[0].payload_sum > x->a2b);
out:
	inspect_free(ins);
}

/* tshark on the inner pcap. */
static void
tshark_check(const struct mode *m, const char *dec, const struct probe_xfer *x,
    int pings)
{
	char *out;
	unsigned long long tcp_c2s = 0, tcp_s2c = 0;
	const char *p;
	char src[64], dst[64];
	unsigned long len;
	int nf;

	CHECK_EQ(pcap_linktype(dec), 101);
	out = run_out("timeout 120 tshark -n -r %s -q -z expert 2>&1", dec);
	if (CHECK(out != NULL)) {
		if (!t_check(strstr(out, "Malformed") == NULL &&
		    count_lines(out, "Error", NULL) == 0, __FILE__, __LINE__,
		    "%s: tshark finds errors in the inner packets", m->name))
			t_note("%.3000s", out);
		free(out);
	}
	out = run_out("timeout 120 tshark -n -r %s -Y icmp -T fields "
	    "-e ip.src -e ip.dst -e icmp.type 2>/dev/null", dec);
	if (CHECK(out != NULL)) {
		CHECK(count_lines(out, TUN_CLI "\t" TUN_SRV "\t8", NULL) >=
		    (unsigned)pings);
		CHECK(count_lines(out, TUN_SRV "\t" TUN_CLI "\t0", NULL) >=
		    (unsigned)pings);
		free(out);
	}
	out = run_out("timeout 120 tshark -n -r %s -Y 'tcp.port == %d' "
	    "-T fields -e ip.src -e ip.dst -e tcp.len 2>/dev/null", dec,
	    SINK_PORT);
	if (CHECK(out != NULL)) {
		for (p = out; p != NULL && *p != '\0';) {
			nf = sscanf(p, "%63s %63s %lu", src, dst, &len);
			if (nf == 3 && strcmp(src, TUN_CLI) == 0 &&
			    strcmp(dst, TUN_SRV) == 0)
				tcp_c2s += len;
			else if (nf == 3 && strcmp(src, TUN_SRV) == 0 &&
			    strcmp(dst, TUN_CLI) == 0)
				tcp_s2c += len;
			p = strchr(p, '\n');
			p = p != NULL ? p + 1 : NULL;
		}
		t_note("%s: tshark TCP payload %llu octets client->server, "
		    "%llu back", m->name, tcp_c2s, tcp_s2c);
		CHECK(tcp_c2s >= x->a2b);
		CHECK(tcp_s2c >= x->b2a);
		free(out);
	}
}

/* `pptpkit inspect` itself, in a child, its report into path. */
static void
cli_check(const struct mode *m, const char *cap, const char *password,
    const char *report)
{
	char *argv[] = { "inspect", "--user", "u0", "--no-progress",
	    "--decrypt-out", NULL, (char *)cap, NULL };
	char dec2[256], *text;
	int st = -1;
	pid_t pid;

	snprintf(dec2, sizeof(dec2), "%s.cli.pcap", report);
	argv[5] = dec2;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if (freopen(report, "w", stdout) == NULL)
			_exit(99);
		setenv("PPTPKIT_PASSWORD", password, 1);
		exit(inspect_main(7, argv));
	}
	if (!CHECK(pid > 0))
		return;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	text = run_out("cat %s", report);
	if (CHECK(text != NULL)) {
		if (!t_check(strstr(text, "password verified") != NULL &&
		    strstr(text, password) == NULL, __FILE__, __LINE__,
		    "%s: the report", m->name))
			t_note("%.3000s", text);
		free(text);
	}
	CHECK_EQ(pcap_linktype(dec2), 101);
}

static void
mode_run(struct vpn_world *w, int lfd, const struct mode *m)
{
	char ls[64], lc[64], lt[64], cap[192], dec[192], rep[192], pass[64];
	char *sf_argv[] = { "client", SRV_IP, "u0", pass, NULL };
	char *cargv[16] = { "client", SRV_IP, "--user", "u0", "--password-file",
	    NULL, "--no-reconnect", "--no-ipv6", "--connect-timeout", "10" };
	/* immediate mode and a 64 MB buffer: no packet waits in a ring
	 * block nor is dropped in the burst */
	char *targv[] = { "tcpdump", "-U", "--immediate-mode", "-B", "65536",
	    "-Z", "root", "-s", "0", "-n", "-i", "v", "-w", cap,
	    "tcp port 1723 or ip proto 47", NULL };
	char pwfile[192];
	struct probe_xfer x = { .a2b = m->xfer, .b2a = 256 << 10 };
	pid_t srv = -1, cli = -1, dump = -1;
	int argc = 10, i, pings = 0;
	bool good = false;
	char *log;

	snprintf(pass, sizeof(pass), "tunnel %d pass", (int)getpid());
	snprintf(ls, sizeof(ls), "server-%s", m->name);
	snprintf(lc, sizeof(lc), "client-%s", m->name);
	snprintf(lt, sizeof(lt), "tcpdump-%s", m->name);
	snprintf(cap, sizeof(cap), "%s/%s.pcap", w->dir, m->name);
	snprintf(dec, sizeof(dec), "%s/%s-inner.pcap", w->dir, m->name);
	snprintf(rep, sizeof(rep), "%s/%s-report.txt", w->dir, m->name);
	if (!vpn_put(w, "u0.pass", 0600, pwfile, sizeof(pwfile), "%s\n", pass))
		return;
	cargv[5] = pwfile;
	for (i = 0; m->extra[i] != NULL; i++)
		cargv[argc++] = (char *)m->extra[i];
	cargv[argc] = NULL;
	if ((srv = server_start(w, ls, m->options, pass)) < 0)
		return;
	/* the capture starts before the call: the whole negotiation */
	dump = vpn_spawn(w, "c0", lt, vpn_tcpdump_main, 15, targv);
	if (!t_check(dump > 0 && vpn_log_wait(w, lt, "listening on", NULL, 1,
	    10000), __FILE__, __LINE__, "%s: tcpdump did not start", m->name))
		goto out;
	cli = m->stateful_client ? vpn_spawn(w, "c0", lc,
	    vpn_stateful_client_main, 4, sf_argv) : vpn_spawn(w, "c0", lc,
	    client_main, argc, cargv);
	if (!t_check(vpn_log_wait(w, lc, "link up", NULL, 1, 15000), __FILE__,
	    __LINE__, "%s: no link up", m->name))
		goto out;
	pings = vpn_ping(w, "c0", TUN_SRV, 4);
	CHECK_EQ(pings, 4);
	CHECK(vpn_xfer(w, lfd, "c0", TUN_SRV, SINK_PORT, &x, 60000));
	t_note("%s: %zu+%zu octets through the tunnel in %u ms", m->name,
	    x.got_b, x.got_a, x.ms);
	good = CHECK(vpn_stop(w, cli, 10000));
	cli = -1;
	CHECK(vpn_log_wait(w, ls, " event=down", NULL, 1, 5000));
out:
	if (cli > 0)
		(void)vpn_stop(w, cli, 5000);
	/* tcpdump -U writes each packet as it reads it; SIGTERM once it
	 * has read them all */
	if (dump > 0) {
		vpn_wait_quiet(cap);
		CHECK(vpn_stop(w, dump, 10000));
	}
	if (srv > 0)
		CHECK(vpn_stop(w, srv, 10000));
	if (good && (log = vpn_log_read(w, lt)) != NULL) {
		/* the decryption is checked on a whole capture */
		good = t_check(strstr(log, "\n0 packets dropped by kernel") !=
		    NULL, __FILE__, __LINE__, "%s: tcpdump lost packets: %s",
		    m->name, log);
		free(log);
	}
	if (good) {
		analyze(m, cap, dec, pass, &x);
		tshark_check(m, dec, &x, pings);
		cli_check(m, cap, pass, rep);
	} else {
		vpn_log_show(w, lc, 3000);
		vpn_log_show(w, ls, 3000);
		vpn_log_show(w, lt, 1000);
	}
}

TEST(inspect_decrypts_captures_of_our_tunnels)
{
	static struct vpn_world w;
	size_t i;
	int lfd = -1;

	if (!vpn_need_root("network namespaces, veth, TUN, raw GRE, "
	    "tcpdump") || !vpn_need_cmds("tcpdump tshark") ||
	    !vpn_world_open(&w))
		return;
	if (!vpn_net_pair(&w, "c0", "v", SRV_IP, CLI_IP) ||
	    (lfd = vpn_listen(&w, "srv", SINK_PORT)) < 0) {
		t_check(false, __FILE__, __LINE__, "network set-up");
		goto out;
	}
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		mode_run(&w, lfd, &modes[i]);
out:
	if (lfd >= 0)
		close(lfd);
	vpn_world_close(&w);
}

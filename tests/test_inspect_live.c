/*
 * test_inspect_live.c - `pptpkit inspect --live IFACE` (inspect_live.c)
 * against a real tunnel: network namespaces made and removed here
 * (vpn_world.h), `pptpkit server` in one (192.0.2.1/24, TEST-NET-1) and
 * `pptpkit client` in the other (192.0.2.10/24), joined by a veth pair;
 * all three run as inspect_main(), server_main() and client_main() in
 * forked children, so they are this build (sanitizers included).
 *
 *   two inspectors on the server's veth (text, and --json) before the
 *   client starts; MS-CHAPv2 + MPPE-128 up, three pings, the client
 *   stopped: both print the call's report while still running (Call IDs
 *   as the server logged them, the user, MS-CHAPv2 success, MPPE frames
 *   and the CCP Configure-Ack), then SIGTERM: exit 0 with the summary
 *   (text) or the whole report document (JSON) last;
 *   an interface that does not exist: exit 1, "no such interface";
 *   no permission (an unprivileged user): exit 1, "permission denied".
 *
 * Needs root, iproute2 (scripts/deps.sh net).  Every wait is bounded;
 * children are killed if they overstay; the namespaces go on any exit.
 */
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "json.h"
#include "../src/commands.h"
#include "vpn_setup.h"

#define SRV_IP		"192.0.2.1"
#define CLI_IP		"192.0.2.10"
#define TUN_SRV		"10.97.1.1"
#define VETH		"pkov0"

/* The root check of these tests. */
static bool
need_root(void)
{
	return vpn_need_root("network namespaces, veth, packet capture, TUN");
}

/* server_main in "srv": MS-CHAPv2 and MPPE-128 required, user u0 (whose
 * password file the client reads). */
static pid_t
server_start(struct vpn_world *w)
{
	char secrets[64];
	struct vpn_server srv = { .secrets = secrets,
	    .options = "name pptpd\nrequire-mschap-v2\nrequire-mppe-128\n",
	    .addrs = "localip " TUN_SRV "\nremoteip 10.97.0.10-20\n",
	    .tun_prefix = "pko" };

	snprintf(secrets, sizeof(secrets), "u0\tpptpd\t\"live %d\"\t*\n",
	    (int)getpid());
	if (!vpn_put(w, "u0.pass", 0600, NULL, 0, "live %d\n", (int)getpid()))
		return -1;
	return vpn_server_start(w, "server", &srv);
}

static pid_t
client_start(struct vpn_world *w)
{
	static char pw[192];
	char *argv[] = { "client", SRV_IP, "--user", "u0", "--password-file",
	    pw, "--no-reconnect", "--no-ipv6", "--connect-timeout", "10",
	    NULL };

	snprintf(pw, sizeof(pw), "%s/u0.pass", w->dir);
	return vpn_spawn(w, "cli", "client", client_main, 10, argv);
}

/* inspect_main --live VETH in "srv", JSON or text, output to log; waits
 * until it captures. */
static pid_t
inspector_start(struct vpn_world *w, const char *log, bool json)
{
	static char html[192];
	static char *text_argv[] = { "inspect", "--live", VETH, "--color",
	    "never", "--no-progress", "--html", html, NULL };
	static char *json_argv[] = { "inspect", "--live", VETH, "--json",
	    "--no-progress", NULL };
	pid_t pid;

	snprintf(html, sizeof(html), "%s/live.html", w->dir);
	pid = json ? vpn_spawn(w, "srv", log, inspect_main, 5, json_argv) :
	    vpn_spawn(w, "srv", log, inspect_main, 8, text_argv);
	if (pid > 0 && !vpn_log_wait(w, log, "listening on " VETH, NULL, 1,
	    5000)) {
		t_check(false, __FILE__, __LINE__, "%s: not capturing", log);
		vpn_log_show(w, log, 2000);
	}
	return pid;
}

/* The Call IDs from the server's "event=call" line: its own (the PAC's)
 * and the client's (the PNS's). */
static bool
call_ids(const struct vpn_world *w, unsigned *pac, unsigned *pns)
{
	char *log = vpn_log_read(w, "server"), *p;
	bool ok = false;

	if (log != NULL && (p = strstr(log, " event=call ")) != NULL) {
		while (p > log && p[-1] != '\n')
			p--;
		if ((p = strstr(p, " call=")) != NULL)
			ok = sscanf(p, " call=%u peer_call=%u", pac, pns) == 2;
	}
	free(log);
	return ok;
}

/* The number after key in s ("mppe_frames=12"), or -1. */
static long
num_after(const char *s, const char *key)
{
	const char *p = s != NULL ? strstr(s, key) : NULL;

	return p != NULL ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void
check_text(const char *log, unsigned pac, unsigned pns)
{
	char want[160];
	const char *call, *sum;

	if (!CHECK(log != NULL))
		return;
	call = strstr(log, "--- call 1 ended (frame ");
	sum = strstr(log, "--- summary ---");
	CHECK(call != NULL);
	if (call == NULL)
		return;
	snprintf(want, sizeof(want), "call 1 (outgoing) on control "
	    "connection 1: PNS " CLI_IP " call_id=%u <-> PAC " SRV_IP
	    " call_id=%u result=1", pns, pac);
	CHECK(strstr(call, want) != NULL);
	CHECK(strstr(call, "auth: MS-CHAPv2 user=\"u0\" result=success") !=
	    NULL);
	CHECK(num_after(call, "mppe_frames=") > 0);
	CHECK(strstr(call, "ConfAck from") != NULL && strstr(call,
	    "<mppe") != NULL);
	/* the call came before the summary, once */
	CHECK(sum != NULL && sum > call);
	CHECK(strstr(call + 1, "--- call 1 ") == NULL);
	CHECK(sum != NULL && strstr(sum, "1 control connection(s), 1 call(s)")
	    != NULL);
	CHECK(strchr(log, '\033') == NULL);
}

static void
check_json(const char *log, unsigned pac, unsigned pns)
{
	const char *line = log, *nl;
	int calls = 0, docs = 0, lines = 0;

	while (line != NULL && *line != '\0' && lines < 100) {
		struct json *j, *c;

		nl = strchr(line, '\n');
		lines++;
		if (*line != '{') {	/* the status lines on stderr */
			line = nl ? nl + 1 : NULL;
			continue;
		}
		j = json_parse(line, nl ? (size_t)(nl - line) : strlen(line));
		if (!CHECK(j != NULL)) {
			t_note("not JSON: %.200s", line);
			break;
		}
		CHECK_STR(json_get(j, "schema")->str, "pptpkit-inspect/1");
		if (json_get(j, "event") != NULL) {
			CHECK_EQ(docs, 0);	/* calls come first */
			CHECK_STR(json_get(j, "event")->str, "call");
			c = json_get(j, "call");
			CHECK_EQ(json_int(json_get(c, "pns_call_id")), pns);
			CHECK_EQ(json_int(json_get(c, "pac_call_id")), pac);
			CHECK_STR(json_get(json_get(c, "auth"), "user")->str,
			    "u0");
			CHECK_STR(json_get(json_get(c, "auth"), "method")->str,
			    "MS-CHAPv2");
			CHECK(json_int(json_get(c, "mppe_frames")) > 0);
			CHECK(!json_is_null(json_get(c, "end_frame")));
			calls++;
		} else {
			CHECK_EQ(json_len(json_get(j, "calls")), 1);
			docs++;
		}
		json_free(j);
		line = nl ? nl + 1 : NULL;
	}
	CHECK_EQ(calls, 1);
	CHECK_EQ(docs, 1);
}

/* The --html page the text inspector wrote. */
static char *
html_read(const struct vpn_world *w)
{
	char path[192];
	uint8_t *b;
	size_t n;

	snprintf(path, sizeof(path), "%s/live.html", w->dir);
	if (!t_check((b = t_read_file(path, &n)) != NULL, __FILE__, __LINE__,
	    "no %s", path))
		return NULL;
	b[n] = '\0';
	if (getenv("PK_KEEP") != NULL)
		t_note("page: %s", path);
	return (char *)b;
}

TEST(inspect_live_reports_each_call_as_it_ends)
{
	static struct vpn_world w;
	unsigned pac = 0, pns = 0;
	pid_t srv = -1, cli = -1, txt = -1, js = -1;
	char *log;
	bool up;

	if (!need_root() || !vpn_world_open(&w))
		return;
	if (!CHECK(vpn_net_pair(&w, "cli", VETH, SRV_IP, CLI_IP)))
		goto out;
	if ((srv = server_start(&w)) < 0 ||
	    (txt = inspector_start(&w, "live", false)) < 0 ||
	    (js = inspector_start(&w, "livejson", true)) < 0 ||
	    (cli = client_start(&w)) < 0) {
		t_check(false, __FILE__, __LINE__, "start");
		goto out;
	}
	up = CHECK(vpn_log_wait(&w, "client", "link up", "mppe=128", 1,
	    15000));
	if (up) {
		CHECK_EQ(vpn_ping(&w, "cli", TUN_SRV, 3), 3);
		CHECK(call_ids(&w, &pac, &pns));
	}
	/* the client leaves: CCRQ/CDN, then Stop-Control-Connection */
	kill(cli, SIGTERM);
	CHECK_EQ(vpn_reap(&w, cli, 10000), 0);
	cli = -1;
	/* both inspectors report the call while still capturing */
	CHECK(vpn_log_wait(&w, "live", "--- call 1 ended", NULL, 1, 10000));
	CHECK(vpn_log_wait(&w, "livejson", "\"event\":\"call\"", NULL, 1,
	    10000));
	CHECK_EQ(vpn_log_count(&w, "live", "--- summary ---", NULL), 0);
	kill(txt, SIGTERM);
	kill(js, SIGTERM);
	CHECK_EQ(vpn_reap(&w, txt, 10000), 0);
	CHECK_EQ(vpn_reap(&w, js, 10000), 0);
	txt = js = -1;
	log = vpn_log_read(&w, "live");
	check_text(log, pac, pns);
	free(log);
	log = vpn_log_read(&w, "livejson");
	check_json(log, pac, pns);
	free(log);
	/* --html with --live: the page is written when the capture stops */
	if ((log = html_read(&w)) != NULL) {
		CHECK(strstr(log, "id=\"call-1\"") != NULL);
		CHECK(strstr(log, "MS-CHAPv2") != NULL);
		CHECK(strstr(log, "</html>") != NULL);
		free(log);
	}
	kill(srv, SIGTERM);
	CHECK_EQ(vpn_reap(&w, srv, 10000), 0);
	srv = -1;
out:
	if (pac == 0 && pns == 0) {
		vpn_log_show(&w, "client", 3000);
		vpn_log_show(&w, "server", 3000);
		vpn_log_show(&w, "live", 3000);
	}
	vpn_world_close(&w);
}

/* inspect_main(argv) in a child (as uid/gid 65534 when drop), its exit
 * status and stderr. */
static int
run_inspect(char **argv, int argc, bool drop, char *errtext, size_t cap)
{
	char path[64] = "/tmp/pk-out-live-XXXXXX";
	int fd, st = 0, i;
	size_t n;
	uint8_t *b;
	pid_t pid;

	if ((fd = mkstemp(path)) < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (drop && (setgroups(0, NULL) != 0 || setgid(65534) != 0 ||
		    setuid(65534) != 0))
			_exit(97);
		exit(inspect_main(argc, argv));
	}
	close(fd);
	for (i = 0; pid > 0 && i < 500; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		usleep(20000);
	}
	if (pid > 0 && i == 500) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		st = -1;
	}
	errtext[0] = '\0';
	if ((b = t_read_file(path, &n)) != NULL) {
		snprintf(errtext, cap, "%.*s", (int)n, (char *)b);
		free(b);
	}
	unlink(path);
	if (pid <= 0 || st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

TEST(inspect_live_bad_interface)
{
	char *argv[] = { "inspect", "--live", "pk-no-such-if0", NULL };
	char err[1024];

	CHECK_EQ(run_inspect(argv, 3, false, err, sizeof(err)), 1);
	CHECK(strstr(err, "pptpkit inspect: --live pk-no-such-if0: no such "
	    "interface") != NULL);
	t_note("%s", err);
}

TEST(inspect_live_no_permission)
{
	char *argv[] = { "inspect", "--live", "lo", NULL };
	char err[1024];

	if (!need_root())
		return;
	CHECK_EQ(run_inspect(argv, 3, true, err, sizeof(err)), 1);
	CHECK(strstr(err, "pptpkit inspect: --live lo: permission denied") !=
	    NULL);
	t_note("%s", err);
}

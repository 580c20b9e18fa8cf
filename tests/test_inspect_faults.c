/*
 * test_inspect_faults.c - `pptpkit inspect` names real failures of our own
 * tunnels: `pptpkit server` and `pptpkit client` (server_main() and
 * client_main() in forked children) in network namespaces made and
 * removed here (vpn_world.h), tcpdump -w on the client's veth, then the
 * analyzer's diagnosis of the capture:
 *   - a wrong password: auth-failed (error) with E=691 and the user name,
 *     at the frames of the Response and the Failure; the MS-CHAPv2 audit;
 *   - the server's GRE dropped by nftables: gre-one-way (error) naming the
 *     client (PNS) as the only sender and the server (PAC) as silent, and
 *     the LCP that got no answer.
 * Needs root, iproute2, nftables and tcpdump; every wait is bounded and
 * the namespaces go on any exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "../src/commands.h"
#include "../src/inspect/inspect.h"
#include "icap.h"
#include "ins_build.h"
#include "vpn_setup.h"

#define SRV_IP		"192.0.2.1"
#define CLI_IP		"192.0.2.10"

/* `pptpkit server` in "srv": user u0 with password, MS-CHAPv2 and
 * MPPE-128 required. */
static pid_t
server_start(struct vpn_world *w, const char *log, const char *password)
{
	char secrets[128];
	struct vpn_server srv = { .secrets = secrets,
	    .options = "name pptpd\nrequire-mschap-v2\nrequire-mppe-128\n",
	    .addrs = "localip 10.97.1.1\nremoteip 10.97.0.10-19\n",
	    .tun_prefix = "pkf" };

	snprintf(secrets, sizeof(secrets), "u0\tpptpd\t\"%s\"\t*\n",
	    password);
	return vpn_server_start(w, log, &srv);
}

/*
 * One failing session: the server with password spw, the client with cpw
 * (and a GRE timeout of gre_timeout seconds), captured on the client's
 * veth into cap.  Returns the client's exit code or -1.
 */
static int
session(struct vpn_world *w, const char *name, const char *spw,
    const char *cpw, const char *gre_timeout, char *cap, size_t capsz)
{
	char ls[64], lc[64], lt[64], pwfile[192];
	char *cargv[] = { "client", SRV_IP, "--user", "u0", "--password-file",
	    pwfile, "--no-reconnect", "--no-ipv6", "--connect-timeout", "10",
	    "--gre-timeout", (char *)gre_timeout, NULL };
	char *targv[] = { "tcpdump", "-U", "--immediate-mode", "-Z", "root",
	    "-s", "0", "-n", "-i", "v", "-w", cap,
	    "tcp port 1723 or ip proto 47", NULL };
	pid_t srv, cli = -1, dump;
	int code = -1;

	snprintf(ls, sizeof(ls), "server-%s", name);
	snprintf(lc, sizeof(lc), "client-%s", name);
	snprintf(lt, sizeof(lt), "tcpdump-%s", name);
	snprintf(cap, capsz, "%s/%s.pcap", w->dir, name);
	if (!vpn_put(w, "u0.pass", 0600, pwfile, sizeof(pwfile), "%s\n", cpw))
		return -1;
	if ((srv = server_start(w, ls, spw)) < 0)
		return -1;
	dump = vpn_spawn(w, "c0", lt, vpn_tcpdump_main, 13, targv);
	if (t_check(dump > 0 && vpn_log_wait(w, lt, "listening on", NULL, 1,
	    10000), __FILE__, __LINE__, "%s: tcpdump did not start", name)) {
		cli = vpn_spawn(w, "c0", lc, client_main, 12, cargv);
		code = cli > 0 ? vpn_reap(w, cli, 40000) : -1;
	}
	if (dump > 0) {
		vpn_wait_quiet(cap);
		(void)vpn_stop(w, dump, 10000);
	}
	(void)vpn_stop(w, srv, 10000);
	t_note("%s: client exit %d", name, code);
	return code;
}

static const struct ins_finding *
find(const struct ins_finding *f, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].code, code) == 0)
			return &f[i];
	return NULL;
}

static void
show(const struct ins_finding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		t_note("  %s %s: %s", ins_sev_name(f[i].sev), f[i].code,
		    f[i].text);
}

static void
wrong_password(struct vpn_world *w)
{
	struct ins_finding f[64];
	const struct ins_finding *x;
	const struct ins_call *c;
	struct inspect *ins;
	char cap[192];
	size_t n;
	int code;

	code = session(w, "wrongpw", "right pass 1", "wrong pass 2", "10", cap,
	    sizeof(cap));
	CHECK(code > 0);
	if (!CHECK((ins = icap_read(cap)) != NULL))
		return;
	n = ins_diagnose(ins, f, 64);
	show(f, n);
	x = find(f, n, "auth-failed");
	c = ib_ctrl_call(ins);
	if (CHECK(x != NULL) && CHECK(c != NULL)) {
		CHECK_EQ(x->sev, INS_SEV_ERROR);
		CHECK(strstr(x->text, "E=691 (authentication-failure)") != NULL);
		CHECK(strstr(x->text, "user \"u0\"") != NULL);
		CHECK(strstr(x->text, "PAC " SRV_IP " answered Failure") !=
		    NULL);
		/* the Challenge, the Response that failed, the first and
		 * the last Failure (the client retries: R=1) */
		CHECK(x->nframes >= 3);
		CHECK_EQ(x->frames[0], c->diag.challenge_frame);
		CHECK_EQ(x->frames[1], c->diag.auth_fail_req);
		CHECK_EQ(x->frames[2], c->diag.auth_fail_frame);
		CHECK_EQ(x->frames[x->nframes - 1], c->diag.auth_fail_last);
		CHECK(c->diag.challenge_frame < c->diag.auth_fail_req &&
		    c->diag.auth_fail_req < c->diag.auth_fail_frame);
		CHECK(c->auth.result < 0);
	}
	CHECK(find(f, n, "gre-one-way") == NULL);
	n = c != NULL ? ins_audit_call(ins, c, f, 64) : 0;
	CHECK(find(f, n, "mschapv2") != NULL);
	inspect_free(ins);
}

static void
gre_dropped(struct vpn_world *w)
{
	struct ins_finding f[64];
	const struct ins_finding *x;
	const struct ins_call *c;
	struct inspect *ins;
	char s[64], cap[192];
	size_t n;

	vpn_ns_name(w, "srv", s, sizeof(s));
	if (!CHECK(vpn_sh("ip netns exec %s nft add table inet pkdiag && "
	    "ip netns exec %s nft add chain inet pkdiag out '{ type filter "
	    "hook output priority 0; }' && ip netns exec %s nft add rule inet "
	    "pkdiag out ip protocol gre drop", s, s, s)))
		return;
	CHECK(session(w, "gredrop", "same pass", "same pass", "10", cap,
	    sizeof(cap)) > 0);
	(void)vpn_sh("ip netns exec %s nft delete table inet pkdiag", s);
	if (!CHECK((ins = icap_read(cap)) != NULL))
		return;
	n = ins_diagnose(ins, f, 64);
	show(f, n);
	x = find(f, n, "gre-one-way");
	c = ib_ctrl_call(ins);
	if (CHECK(x != NULL) && CHECK(c != NULL)) {
		CHECK_EQ(x->sev, INS_SEV_ERROR);
		CHECK(strstr(x->text, "PNS " CLI_IP " sent") != NULL);
		CHECK(strstr(x->text, "no GRE from PAC " SRV_IP) != NULL);
		CHECK_EQ(c->dir[1].packets, 0);
		CHECK(c->dir[0].packets >= 3);
		CHECK(x->nframes == 2);
		CHECK_EQ(x->frames[0], c->dir[0].first_frame);
		CHECK_EQ(x->frames[1], c->dir[0].last_frame);
	}
	x = find(f, n, "lcp-no-answer");
	CHECK(x != NULL && x->sev == INS_SEV_ERROR);
	inspect_free(ins);
}

TEST(inspect_names_real_failures)
{
	static struct vpn_world w;

	if (!vpn_need_root("network namespaces, veth, TUN, raw GRE, "
	    "tcpdump") || !vpn_need_cmds("tcpdump nft") ||
	    !vpn_world_open(&w))
		return;
	if (!t_check(vpn_net_pair(&w, "c0", "v", SRV_IP, CLI_IP), __FILE__,
	    __LINE__, "network set-up"))
		goto out;
	wrong_password(&w);
	gre_dropped(&w);
out:
	vpn_world_close(&w);
}

/*
 * test_server_config.c - the server configuration reader, pptpd.conf and
 * the pppd options file: PoPToP's stock Debian files give the expected
 * policy and warnings; pppd's rules for auth and MPPE options; every weak
 * option warns; unknown options warn and bad values fail, both with
 * file:line; pppd's word syntax; pptpd.conf(5)'s address examples expand
 * as pptpd expands them.  chap-secrets, loading, reloading and mutations
 * are in test_server_config_secrets.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "cfg_t.h"
#include "../src/server/config.h"

#define DIR	T_DATA "/config"
#define RANGES(s, ...)	cfg_parse_ranges(s, strlen(s), __VA_ARGS__)

/* --- collecting warnings --- */


/* Parses options text (after a pptpd.conf with a small pool, so that the
 * pool makes no warnings) and finishes, with warnings in w. */
static int
parse_opts(struct server_config *c, struct wlog *w, const char *text)
{
	static const char conf[] = "localip 10.0.0.1\nremoteip 10.0.0.2-3\n";
	int ret;

	memset(w, 0, sizeof(*w));
	server_config_init(c, wlog_cb, w);
	if ((ret = server_config_parse_pptpd(c, "pptpd.conf", conf,
	    sizeof(conf) - 1)) != 0 ||
	    (ret = server_config_parse_options(c, "opts", text,
	    strlen(text))) != 0)
		return ret;
	return server_config_finish(c);
}

/* --- the Debian package's files --- */

TEST(debian_stock_files_give_mschapv2_and_mppe128)
{
	struct server_config c;
	struct wlog w = { 0 };
	char *conf, *opts;
	size_t clen, olen;

	conf = slurp(DIR "/debian/pptpd.conf", &clen);
	opts = slurp(DIR "/debian/pptpd-options", &olen);
	if (conf == NULL || opts == NULL)
		goto out;
	server_config_init(&c, wlog_cb, &w);
	CHECK_OK(server_config_parse_pptpd(&c, "pptpd.conf", conf, clen));
	CHECK_STR(c.option_path, "/etc/ppp/pptpd-options");
	CHECK_EQ(c.connections, 100);
	CHECK_EQ(c.stimeout_s, 10);
	CHECK_EQ(c.nlocal, 0);
	CHECK_EQ(c.nremote, 0);
	CHECK(!c.debug);
	CHECK(wlog_has(&w, 39, "logwtmp ignored"));
	CHECK_EQ(w.n, 1);

	CHECK_OK(server_config_parse_options(&c, "pptpd-options", opts, olen));
	CHECK(wlog_has(&w, 69, "proxyarp ignored"));
	CHECK_EQ(w.n, 2);
	CHECK_OK(server_config_finish(&c));
	CHECK_STR(c.policy.name, "pptpd");
	CHECK_EQ(c.policy.auth_methods, PPP_AUTH_MSCHAPV2);
	CHECK_EQ(c.policy.mppe, PPP_MPPE_REQUIRED);
	CHECK_EQ(c.policy.mppe_bits, PPP_MPPE_128);
	CHECK(c.policy.mppe_stateless);
	CHECK(!c.policy.mppe_stateful);
	CHECK(c.policy.proxyarp);
	CHECK(!c.policy.ipv6);
	CHECK_EQ(c.policy.dns[0], 0);
	/* the stock file leaves localip/remoteip commented out */
	CHECK(wlog_has(&w, -1, "no remoteip"));
	CHECK(wlog_has(&w, -1, "no localip"));
	CHECK_EQ(c.pool_n, 0);
	/* no weak choice, so no WARNING */
	for (int i = 0; i < w.n; i++)
		CHECK(strstr(w.msg[i], "WARNING") == NULL);
	server_config_free(&c);
out:
	free(conf);
	free(opts);
}

TEST(debian_policy_maps_onto_the_ppp_engine)
{
	struct server_config c;
	struct ppp_config pc;
	struct wlog w;

	CHECK_OK(parse_opts(&c, &w, "name pptpd\nrefuse-pap\nrefuse-chap\n"
	    "refuse-mschap\nrequire-mschap-v2\nrequire-mppe-128\n"
	    "ms-dns 10.0.0.1\nms-dns 10.0.0.2\nms-wins 10.0.0.3\n"
	    "lcp-echo-interval 30\nlcp-echo-failure 4\nmru 1400\n"
	    "lcp-restart 2\nnopcomp\n"));
	server_config_ppp(&c, &pc);
	CHECK_EQ(pc.role, PPP_ROLE_SERVER);
	CHECK_EQ(pc.auth_methods, PPP_AUTH_MSCHAPV2);
	CHECK_EQ(pc.mppe, PPP_MPPE_REQUIRED);
	CHECK_EQ(pc.mppe_bits, PPP_MPPE_128);
	CHECK(pc.mppe_stateless && !pc.mppe_stateful);
	CHECK_STR(pc.name, "pptpd");
	CHECK_EQ(pc.dns[0], 0x0a000001);
	CHECK_EQ(pc.dns[1], 0x0a000002);
	CHECK_EQ(pc.nbns[0], 0x0a000003);
	CHECK_EQ(pc.nbns[1], 0);
	CHECK_EQ(pc.echo_interval_ms, 30000);
	CHECK_EQ(pc.echo_failures, 4);
	CHECK_EQ(pc.mru, 1400);
	CHECK_EQ(pc.fsm.restart_ms, 2000);
	CHECK(pc.no_pfc && !pc.no_acfc);
	CHECK(!pc.ipv6);
	server_config_free(&c);
}

TEST(defaults_when_nothing_is_said)
{
	struct server_config c;
	struct ppp_config d;
	struct wlog w;

	CHECK_OK(parse_opts(&c, &w, ""));
	ppp_config_default(&d, PPP_ROLE_SERVER);
	CHECK_EQ(c.policy.auth_methods, PPP_AUTH_MSCHAPV2);
	CHECK_EQ(c.policy.mppe, PPP_MPPE_REQUIRED);
	CHECK_EQ(c.policy.mppe_bits, PPP_MPPE_128);
	CHECK_EQ(c.policy.mru, d.mru);
	CHECK_EQ(c.policy.echo_interval_s * 1000, d.echo_interval_ms);
	CHECK_EQ(w.n, 0);
	CHECK(c.mss_clamp);
	CHECK_EQ(c.max_unauth_per_ip, CFG_DEFAULT_MAX_UNAUTH_PER_IP);
	CHECK_STR(c.secrets_path, "/etc/ppp/chap-secrets");
	CHECK_STR(c.tun_prefix, "pptp");
	CHECK_EQ(c.log_format, CFG_LOG_TEXT);
	server_config_free(&c);
}

/* --- pppd's auth and MPPE rules --- */

TEST(auth_sets_follow_pppd)
{
	static const struct {
		const char	*text;
		unsigned	 want;
	} v[] = {
		{ "require-mschap-v2\n", PPP_AUTH_MSCHAPV2 },
		{ "require-mschap-v2 require-mschap\n",
		    PPP_AUTH_MSCHAPV2 | PPP_AUTH_MSCHAPV1 },
		{ "+mschap-v2 +chap\nnomppe\n",
		    PPP_AUTH_MSCHAPV2 | PPP_AUTH_CHAP_MD5 },
		{ "refuse-pap\n", PPP_AUTH_MSCHAPV2 },
		{ "auth\n", PPP_AUTH_MSCHAPV2 },
		{ "require-mschap-v2 require-mschap refuse-mschap\n",
		    PPP_AUTH_MSCHAPV2 },
		{ "refuse-mschap require-mschap-v2 require-mschap\n",
		    PPP_AUTH_MSCHAPV2 | PPP_AUTH_MSCHAPV1 },
		{ "require-pap require-mschap-v2\n",
		    PPP_AUTH_PAP | PPP_AUTH_MSCHAPV2 },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct server_config c;
		struct wlog w;

		t_note("case %zu: %s", i, v[i].text);
		CHECK_OK(parse_opts(&c, &w, v[i].text));
		CHECK_EQ(c.policy.auth_methods, v[i].want);
		server_config_free(&c);
	}
}

TEST(mppe_options_follow_pppd)
{
	static const struct {
		const char		*text;
		enum ppp_mppe_policy	 mode;
		unsigned		 bits;
		bool			 stateful;
	} v[] = {
		{ "require-mppe-128\n", PPP_MPPE_REQUIRED, PPP_MPPE_128, false },
		{ "require-mppe\n", PPP_MPPE_REQUIRED,
		    PPP_MPPE_40 | PPP_MPPE_128, false },
		{ "require-mppe nomppe-40\n", PPP_MPPE_REQUIRED, PPP_MPPE_128,
		    false },
		{ "require-mppe-40\n", PPP_MPPE_REQUIRED, PPP_MPPE_40, false },
		{ "require-mppe-128 mppe-stateful\n", PPP_MPPE_REQUIRED,
		    PPP_MPPE_128, true },
		{ "mppe-stateful nomppe-stateful\n", PPP_MPPE_REQUIRED,
		    PPP_MPPE_128, false },
		{ "mppe required,no40,no56,stateless\n", PPP_MPPE_REQUIRED,
		    PPP_MPPE_128, false },
		{ "mppe required,no40,no56\n", PPP_MPPE_REQUIRED, PPP_MPPE_128,
		    true },
		{ "mppe no40,stateless\n", PPP_MPPE_ALLOWED,
		    PPP_MPPE_56 | PPP_MPPE_128, false },
		{ "mppe\nname x\n", PPP_MPPE_ALLOWED,
		    PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128, true },
		{ "mppe nobsdcomp\n", PPP_MPPE_ALLOWED,
		    PPP_MPPE_40 | PPP_MPPE_56 | PPP_MPPE_128, true },
		{ "nomppe\n", PPP_MPPE_REFUSED, PPP_MPPE_128, false },
		{ "noccp\n", PPP_MPPE_REFUSED, PPP_MPPE_128, false },
		{ "nomppe require-mppe-128\n", PPP_MPPE_REQUIRED,
		    PPP_MPPE_128, false },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct server_config c;
		struct wlog w;

		t_note("case %zu: %s", i, v[i].text);
		CHECK_OK(parse_opts(&c, &w, v[i].text));
		CHECK_EQ(c.policy.mppe, v[i].mode);
		if (v[i].mode != PPP_MPPE_REFUSED) {
			CHECK_EQ(c.policy.mppe_bits, v[i].bits);
			CHECK(c.policy.mppe_stateless);
			CHECK_EQ(c.policy.mppe_stateful, v[i].stateful);
		}
		server_config_free(&c);
	}
}

/*
 * pptpkit's own mppe-prefer-stateful: stateful allowed and asked for first
 * (pppd's mppe-stateful only allows it: two pppds settle on stateless);
 * the later of it, mppe-stateful and nomppe-stateful wins; it reaches the
 * engine and the status line, with its own loud warning.
 */
TEST(mppe_prefer_stateful_is_ours_and_reaches_the_engine)
{
	static const struct {
		const char	*text;
		bool		 stateful, prefer;
	} v[] = {
		{ "require-mppe-128\n", false, false },		/* default */
		{ "require-mppe-128 mppe-stateful\n", true, false },
		{ "require-mppe-128 mppe-prefer-stateful\n", true, true },
		{ "mppe-prefer-stateful\nmppe-stateful\n", true, false },
		{ "mppe-prefer-stateful nomppe-stateful\n", false, false },
		{ "nomppe-stateful mppe-prefer-stateful\n", true, true },
		{ "mppe-prefer-stateful\nmppe required,no40,no56,stateless\n",
		    false, false },
		{ "mppe required,no40,no56\nmppe-prefer-stateful\n", true,
		    true },
	};
	struct server_config c;
	struct ppp_config pc;
	struct wlog w;
	struct sbuf sb;
	char text[512];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		t_note("case %zu: %s", i, v[i].text);
		CHECK_OK(parse_opts(&c, &w, v[i].text));
		CHECK(c.policy.mppe_stateless);
		CHECK_EQ(c.policy.mppe_stateful, v[i].stateful);
		CHECK_EQ(c.policy.mppe_prefer_stateful, v[i].prefer);
		server_config_ppp(&c, &pc);
		CHECK(pc.mppe_stateless);
		CHECK_EQ(pc.mppe_stateful, v[i].stateful);
		CHECK_EQ(pc.mppe_prefer_stateful, v[i].prefer);
		CHECK_EQ(wlog_has(&w, -1, "stateful MPPE preferred"),
		    v[i].prefer);
		CHECK_EQ(wlog_has(&w, -1, "stateful MPPE allowed"),
		    v[i].stateful && !v[i].prefer);
		CHECK(!wlog_has(&w, -1, "unknown option"));
		server_config_free(&c);
	}
	/* where it was said, and what the status line shows */
	CHECK_OK(parse_opts(&c, &w, "require-mschap-v2\n\nmppe-prefer-stateful"
	    "\n"));
	CHECK(wlog_has(&w, 3, "WARNING: stateful MPPE preferred"));
	CHECK(wlog_has(&w, 3, "without mppe-stateful hang up"));
	sbuf_init(&sb, text, sizeof(text));
	server_config_print(&c, &sb);
	CHECK(strstr(text, " mppe=required/128,stateless,stateful(preferred) ")
	    != NULL);
	server_config_free(&c);
}

TEST(every_weak_option_warns_loudly)
{
	static const struct {
		const char	*text;
		int		 line;
		const char	*warning;
	} v[] = {
		{ "require-pap\nrequire-mschap-v2\n", 1, "PAP sends passwords" },
		{ "+pap +mschap-v2\n", 1, "PAP sends passwords" },
		{ "require-mschap-v2\nrequire-chap\n", 2, "CHAP-MD5" },
		{ "require-mschap\n", 1, "MS-CHAPv1 is broken" },
		{ "\nnomppe\n", 2, "MPPE is off" },
		{ "noccp\n", 1, "MPPE is off" },
		{ "mppe no40,no56,stateless\n", 1, "MPPE is optional" },
		{ "require-mppe-40\n", 1, "40-bit" },
		{ "require-mppe\n", 1, "40-bit" },
		{ "mppe required,no40,no128,stateless\n", 1, "56-bit" },
		{ "\n\nmppe-stateful\n", 3, "stateful MPPE" },
		{ "mppe required,no40,no56\n", 1, "stateful MPPE" },
		{ "noauth\n", 1, "noauth refused" },
		{ "require-eap\n", 1, "EAP is off" },
		{ "require-chap nomppe\n", 1, "CHAP-MD5" },
		{ "require-pap require-chap mppe\n", 1,
		    "MPPE cannot start without MS-CHAP" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct server_config c;
		struct wlog w;

		t_note("case %zu: %s", i, v[i].text);
		CHECK_OK(parse_opts(&c, &w, v[i].text));
		CHECK(wlog_has(&w, v[i].line, v[i].warning));
		server_config_free(&c);
	}
}

TEST(impossible_policies_are_errors)
{
	static const char *const v[] = {
		"refuse-mschap-v2\n",			/* nothing left */
		"require-pap\n",			/* MPPE needs MS-CHAP */
		"require-chap require-mppe-128\n",
		"require-mppe-128 nomppe-128\n",	/* no key length */
		"nomppe-128\n",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct server_config c;
		struct wlog w;

		t_note("case %zu: %s", i, v[i]);
		CHECK_ERR(parse_opts(&c, &w, v[i]), ERR_INVAL);
		CHECK(strncmp(c.diag.error, "opts", 4) == 0);
		server_config_free(&c);
	}
}

/* --- unknown options, bad values --- */

TEST(unknown_options_warn_with_file_and_line)
{
	struct server_config c;
	struct wlog w;
	const char *text;

	CHECK_OK(parse_opts(&c, &w, "frobnicate\nname gw\n"
	    "foo-bar /some/file\n10.8.0.100:\n115200 /dev/ttyS0\n"
	    "plugin radius.so\nplugin /usr/lib/pppd/2.4.9/radattr.so\n"
	    "radius-config-file /etc/radiusclient/radiusclient.conf\n"
	    "defaultroute\npassword hunter2\ndump\n"));
	CHECK(wlog_has(&w, 1, "opts:1: unknown option frobnicate ignored"));
	CHECK(wlog_has(&w, 3, "unknown option foo-bar (with argument "
	    "/some/file)"));
	CHECK(wlog_has(&w, 4, "address option 10.8.0.100: ignored"));
	CHECK(wlog_has(&w, 5, "speed 115200 ignored"));
	CHECK(wlog_has(&w, 5, "device /dev/ttyS0 ignored"));
	CHECK(wlog_has(&w, 6, "RADIUS is configured with pptpkit's own"));
	CHECK(wlog_has(&w, 7, "radattr.so ignored"));
	CHECK(wlog_has(&w, 8, "radius-config-file ignored"));
	CHECK(wlog_has(&w, 9, "defaultroute ignored"));
	CHECK(wlog_has(&w, 10, "password ignored"));
	CHECK(wlog_has(&w, 11, "dump ignored"));
	for (int i = 0; i < w.n; i++)
		CHECK(strstr(w.msg[i], "hunter2") == NULL);
	CHECK_EQ(w.n, 11);
	CHECK_STR(c.policy.name, "gw");
	server_config_free(&c);

	/* and in pptpd.conf */
	memset(&w, 0, sizeof(w));
	server_config_init(&c, wlog_cb, &w);
	text = "# x\n\nfrob 1\nbcrelay eth1\nvrf x\nppp /usr/sbin/pppd\n"
	    "delegate\nspeed 9600\nnoipparam\ndebug extra\n"
	    "remoteip 10.0.0.1 10.0.0.2\n";
	CHECK_OK(server_config_parse_pptpd(&c, "p.conf", text, strlen(text)));
	CHECK(wlog_has(&w, 3, "p.conf:3: unknown keyword \"frob\""));
	CHECK(wlog_has(&w, 4, "bcrelay ignored"));
	CHECK(wlog_has(&w, 5, "vrf ignored"));
	CHECK(wlog_has(&w, 6, "ppp ignored"));
	CHECK(wlog_has(&w, 7, "delegate ignored"));
	CHECK(wlog_has(&w, 8, "speed ignored"));
	CHECK(wlog_has(&w, 9, "noipparam ignored"));
	CHECK(wlog_has(&w, 10, "debug: extra words ignored"));
	CHECK(wlog_has(&w, 11, "no spaces are allowed"));
	CHECK(c.debug);
	CHECK_EQ(c.nremote, 1);
	server_config_free(&c);
}

TEST(bad_values_fail_with_file_and_line)
{
	static const struct {
		const char	*text;
		int		 err;
		const char	*where;
	} opts[] = {
		{ "name x\nmtu abc\n", ERR_FORMAT, "opts:2: mtu" },
		{ "ms-dns 10.0.0\n", ERR_FORMAT, "opts:1: ms-dns" },
		{ "ms-dns example.com\n", ERR_FORMAT, "opts:1:" },
		{ "\n\nlcp-echo-interval 99999999999\n", ERR_RANGE, "opts:3:" },
		{ "lcp-echo-failure -1\n", ERR_FORMAT, "opts:1:" },
		{ "idle 1e3\n", ERR_FORMAT, "opts:1:" },
		{ "mru 64\n", ERR_RANGE, "opts:1:" },
		{ "lcp-restart 0\n", ERR_RANGE, "opts:1:" },
		{ "novj\nname\n", ERR_FORMAT, "opts:2: name needs a value" },
		{ "mppe required,bogus\n", ERR_FORMAT, "opts:1: mppe" },
		{ "name \"unterminated\n", ERR_FORMAT, "opts:" },
		{ "debug\nname abc\\", ERR_FORMAT, "opts:2:" },
	};
	static const struct {
		const char	*text;
		int		 err;
		const char	*where;
	} conf[] = {
		{ "connections 0\n", ERR_RANGE, "c:1: connections" },
		{ "\nconnections 70000\n", ERR_RANGE, "c:2:" },
		{ "connections ten\n", ERR_FORMAT, "c:1:" },
		{ "stimeout\n", ERR_FORMAT, "c:1: stimeout needs a value" },
		{ "listen eth0\n", ERR_FORMAT, "c:1: listen" },
		{ "localip 192.168.0.234-8\n", ERR_RANGE, "c:1: localip" },
		{ "remoteip 192.168.0.256\n", ERR_FORMAT, "c:1: remoteip" },
		{ "remoteip 10.0.0.1,,10.0.0.2\n", ERR_FORMAT, "c:1:" },
		{ "remoteip 10.0.0.1-\n", ERR_FORMAT, "c:1:" },
		{ "remoteip 10.0.0.1-2-3\n", ERR_FORMAT, "c:1:" },
		{ "remoteip 10.0.0.9-10.0.0.1\n", ERR_RANGE, "c:1:" },
		{ "mss-clamp maybe\n", ERR_FORMAT, "c:1: mss-clamp" },
		{ "log-format xml\n", ERR_FORMAT, "c:1: log-format" },
		{ "tun-prefix much-too-long\n", ERR_LENGTH, "c:1: tun-prefix" },
		{ "tun-prefix a/b\n", ERR_FORMAT, "c:1: tun-prefix" },
		{ "max-unauth-per-ip x\n", ERR_FORMAT, "c:1:" },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		struct server_config c;
		struct wlog w;

		t_note("options case %zu: %s", i, opts[i].text);
		CHECK_ERR(parse_opts(&c, &w, opts[i].text), opts[i].err);
		CHECK(strncmp(c.diag.error, opts[i].where,
		    strlen(opts[i].where)) == 0);
		t_note("error: %s", c.diag.error);
		server_config_free(&c);
	}
	for (i = 0; i < sizeof(conf) / sizeof(conf[0]); i++) {
		struct server_config c;

		t_note("pptpd.conf case %zu: %s", i, conf[i].text);
		server_config_init(&c, NULL, NULL);
		CHECK_ERR(server_config_parse_pptpd(&c, "c", conf[i].text,
		    strlen(conf[i].text)), conf[i].err);
		CHECK(strncmp(c.diag.error, conf[i].where,
		    strlen(conf[i].where)) == 0);
		t_note("error: %s", c.diag.error);
		server_config_free(&c);
	}
}

TEST(mtu_and_mru_are_clamped_to_what_the_engine_handles)
{
	struct server_config c;
	struct wlog w;

	CHECK_OK(parse_opts(&c, &w, "mtu 296\nmru 9000\nms-dns 1.1.1.1\n"
	    "ms-dns 1.0.0.1\nms-dns 8.8.8.8\n"));
	CHECK_EQ(c.policy.mtu, PPP_MRU_MIN);
	CHECK_EQ(c.policy.mru, PPP_FRAME_MAX - 4);
	CHECK(wlog_has(&w, 1, "raised"));
	CHECK(wlog_has(&w, 2, "lowered"));
	CHECK(wlog_has(&w, 5, "only two"));
	CHECK_EQ(c.policy.dns[1], 0x01000001);
	server_config_free(&c);
}

/* --- pppd's word syntax --- */

TEST(pppd_words_quotes_escapes_comments)
{
	static const char in[] = "one \"two words\" th'r'ee # comment\n"
	    "a#b \\x41\\101\\s\\t\\^a \"q\\\"q\" con\\\ntinued\n"
	    "'' \"multi\nline\" last";
	static const struct {
		const char	*word;
		int		 len, line;
		bool		 nl;
	} want[] = {
		{ "one", 3, 1, true }, { "two words", 9, 1, false },
		{ "three", 5, 1, false }, { "a#b", 3, 2, true },
		{ "AA \t\x01", 5, 2, false }, { "q\"q", 3, 2, false },
		{ "continued", 9, 2, false }, { "", 0, 4, true },
		{ "multi\nline", 10, 4, false }, { "last", 4, 5, false },
	};
	struct server_config c;
	struct wlog w;
	size_t i;

	/* through the public parser: `name` takes each word in turn */
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char text[256];

		snprintf(text, sizeof(text), "name %s", i == 0 ? "one" :
		    i == 1 ? "\"two words\"" : i == 2 ? "th'r'ee" :
		    i == 3 ? "a#b" : i == 4 ? "\\x41\\101\\s\\t\\^a" :
		    i == 5 ? "\"q\\\"q\"" : i == 6 ? "con\\\ntinued" :
		    i == 7 ? "''" : i == 8 ? "\"multi\nline\"" : "last");
		CHECK_OK(parse_opts(&c, &w, text));
		CHECK_EQ(strlen(c.policy.name), want[i].len);
		CHECK_MEM(c.policy.name, want[i].word, (size_t)want[i].len);
		server_config_free(&c);
	}
	/* the whole text as a stream of unknown options: line numbers */
	CHECK_OK(parse_opts(&c, &w, in));
	CHECK(wlog_has(&w, 1, "unknown option one (with argument two words)"));
	CHECK(wlog_has(&w, 5, "unknown option last"));
	server_config_free(&c);
	/* a NUL byte, a word over 1023 characters */
	CHECK_ERR(server_config_parse_options(&c, "o", "name a\0b", 8),
	    ERR_FORMAT);
	{
		static char big[1100];

		memset(big, 'x', sizeof(big) - 1);
		CHECK_ERR(parse_opts(&c, &w, big), ERR_LENGTH);
		memcpy(big, "name ", 5);
		big[5 + 300] = '\0';
		CHECK_ERR(parse_opts(&c, &w, big), ERR_LENGTH);	/* > 255 */
		server_config_free(&c);
	}
}

/* --- pptpd.conf address lists and the pool --- */

TEST(pptpd_conf_range_examples_expand)
{
	struct cfg_range r[8];
	size_t n;

	CHECK_OK(RANGES("192.168.0.234,192.168.0.245-249,"
	    "192.168.0.254", r, 8, &n));
	CHECK_EQ(n, 3);
	CHECK_EQ(r[0].first, 0xc0a800ea);
	CHECK_EQ(r[0].last, 0xc0a800ea);
	CHECK_EQ(r[1].first, 0xc0a800f5);
	CHECK_EQ(r[1].last, 0xc0a800f9);
	CHECK_EQ(r[2].first, 0xc0a800fe);
	CHECK_OK(RANGES("192.168.0.1-20", r, 8, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(r[0].last - r[0].first + 1, 20);
	CHECK_OK(RANGES("10.0.0.250-10.0.1.5", r, 8, &n));
	CHECK_EQ(r[0].last - r[0].first + 1, 12);
	CHECK_ERR(RANGES("192.168.0.234-8", r, 8, &n), ERR_RANGE);
	CHECK_ERR(RANGES("1.2.3.4,1.2.3.5", r, 1, &n),
	    ERR_NOSPACE);
	CHECK_ERR(RANGES("", r, 8, &n), ERR_FORMAT);
	CHECK_ERR(RANGES("1.2.3.4-256", r, 8, &n), ERR_FORMAT);
	CHECK_ERR(RANGES("1.2.3.04444", r, 8, &n), ERR_FORMAT);
	CHECK_ERR(RANGES("1.2.3.4,", r, 8, &n), ERR_FORMAT);
}

/* pptpd.conf text -> finish -> pool arrays. */
static int
conf_pool(struct server_config *c, struct wlog *w, const char *text)
{
	int ret;

	memset(w, 0, sizeof(*w));
	server_config_init(c, wlog_cb, w);
	if ((ret = server_config_parse_pptpd(c, "pptpd.conf", text,
	    strlen(text))) != 0)
		return ret;
	return server_config_finish(c);
}

TEST(localip_single_or_paired_as_pptpd_does)
{
	struct server_config c;
	struct wlog w;
	size_t i;

	/* (Recommended) one local address for every session */
	CHECK_OK(conf_pool(&c, &w, "localip 192.168.0.1\n"
	    "remoteip 192.168.0.234-238,192.168.0.245\n"));
	CHECK_EQ(c.pool_n, 6);
	for (i = 0; i < c.pool_n; i++)
		CHECK_EQ(c.pool_local[i], 0xc0a80001);
	CHECK_EQ(c.pool_peer[0], 0xc0a800ea);
	CHECK_EQ(c.pool_peer[4], 0xc0a800ee);
	CHECK_EQ(c.pool_peer[5], 0xc0a800f5);
	CHECK_EQ(w.n, 0);
	server_config_free(&c);

	/* or: paired one by one */
	CHECK_OK(conf_pool(&c, &w, "localip 192.168.0.234-238,192.168.0.245\n"
	    "remoteip 192.168.1.234-238,192.168.1.245\n"));
	CHECK_EQ(c.pool_n, 6);
	for (i = 0; i < c.pool_n; i++)
		CHECK_EQ(c.pool_local[i], c.pool_peer[i] - 0x100);
	CHECK_EQ(c.pool_local[5], 0xc0a800f5);
	server_config_free(&c);

	/* fewer locals than remotes: the extra remotes go unused */
	CHECK_OK(conf_pool(&c, &w, "localip 10.0.0.1-3\n"
	    "remoteip 10.0.1.1-5\n"));
	CHECK_EQ(c.pool_n, 3);
	CHECK(wlog_has(&w, 1, "only the first 3 remote"));
	server_config_free(&c);

	/* more than `connections`: the first ones only */
	CHECK_OK(conf_pool(&c, &w, "connections 5\nlocalip 10.0.0.1\n"
	    "remoteip 10.0.1.0-255,10.0.2.0-10.255.255.255\n"));
	CHECK_EQ(c.pool_n, 5);
	CHECK_EQ(c.pool_peer[4], 0x0a000104);
	CHECK(wlog_has(&w, 3, "more than connections (5)"));
	server_config_free(&c);

	/* the local address inside the remote range, repeats */
	CHECK_OK(conf_pool(&c, &w, "localip 10.0.0.5\n"
	    "remoteip 10.0.0.1-10,10.0.0.2\n"));
	CHECK_EQ(c.pool_n, 9);
	CHECK(wlog_has(&w, 2, "10.0.0.5 is also a local address"));
	CHECK(wlog_has(&w, 2, "more than once"));
	server_config_free(&c);

	CHECK_ERR(conf_pool(&c, &w, "remoteip 10.0.0.2-9\n"), ERR_INVAL);
	CHECK(strstr(c.diag.error, "pptpd.conf:1: remoteip needs localip"));
	server_config_free(&c);
	CHECK_ERR(conf_pool(&c, &w, "localip 10.0.0.1\nremoteip 127.0.0.1\n"),
	    ERR_INVAL);
	server_config_free(&c);
	CHECK_ERR(conf_pool(&c, &w, "localip 224.0.0.1\nremoteip 10.0.0.2\n"),
	    ERR_INVAL);
	server_config_free(&c);
}

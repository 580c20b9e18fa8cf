/*
 * test_server_config_secrets.c - chap-secrets (pppd's word syntax, quoted
 * secrets with spaces and #, wildcards, static addresses, pppd's best
 * match), loading the whole configuration from files with relative paths,
 * reloading the secrets (SIGHUP), and every truncation and byte mutation
 * of the sample files: each parses or fails cleanly (run it under ASan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "cfg_t.h"
#include "../src/server/config.h"
#include "../src/server/config_pool.h"

#define DIR	T_DATA "/config"

/* --- collecting warnings --- */


/* --- chap-secrets --- */

TEST(chap_secrets_fields_quotes_and_addresses)
{
	struct server_secrets s = { 0 };
	struct cfg_diag d = { .warn = wlog_cb };
	struct wlog w = { 0 };
	char *buf;
	size_t len;

	d.ctx = &w;
	if ((buf = slurp(DIR "/site/chap-secrets", &len)) == NULL)
		return;
	CHECK_OK(server_secrets_parse(&s, &d, "chap-secrets", buf, len));
	CHECK_EQ(s.n, 7);
	if (s.n == 7) {
		CHECK_STR(s.v[0].client, "alice");
		CHECK_STR(s.v[0].server, "vpn gateway");
		CHECK_STR(s.v[0].secret, "correct horse # battery");
		CHECK_EQ(s.v[0].addr_mode, CFG_ADDR_ANY);
		CHECK_EQ(s.v[0].line, 3);
		CHECK_STR(s.v[1].secret, "b0b\"s secret");
		CHECK_STR(s.v[1].server, "*");
		CHECK_EQ(s.v[1].addr_mode, CFG_ADDR_STATIC);
		CHECK_EQ(s.v[1].addr, 0x0a090014);
		CHECK_STR(s.v[2].client, "carol smith");
		CHECK_STR(s.v[2].secret, "carols pass");
		CHECK_EQ(s.v[2].addr, 0x0a090105);
		CHECK_EQ(s.v[3].addr_mode, CFG_ADDR_NONE);	/* "-" */
		CHECK_EQ(s.v[4].addr_mode, CFG_ADDR_NONE);	/* 3 words */
		CHECK_STR(s.v[5].client, "*");
		CHECK_EQ(s.v[6].line, 9);
	}
	CHECK(wlog_has(&w, 7, "no address field"));
	CHECK_EQ(w.n, 1);
	server_secrets_free(&s);
	CHECK(s.v == NULL && s.n == 0);
	free(buf);
}

TEST(chap_secrets_lookup_exact_beats_wildcard)
{
	static const struct {
		const char	*user, *server;
		int		 line;		/* 0: no match */
	} v[] = {
		{ "alice", "vpn gateway", 3 },
		{ "alice", "elsewhere", 9 },	/* * server */
		{ "CORP\\alice", "vpn gateway", 3 },	/* domain stripped */
		{ "bob", "vpn gateway", 4 },	/* exact client, * server */
		{ "carol smith", "vpn gateway", 5 },
		{ "mallory", "vpn gateway", 8 },	/* * client */
		{ "CORP\\mallory", "vpn gateway", 8 },
		{ "mallory", "elsewhere", 0 },
		{ "Alice", "elsewhere", 0 },		/* case counts */
		{ "a\\b", "s", 11 },		/* as given wins a tie */
		{ "x\\b", "s", 12 },
	};
	static const char extra[] = "\"a\\\\b\" s one *\nb s two *\n";
	struct server_secrets s = { 0 };
	struct cfg_diag d = { 0 };
	char *buf, *all;
	size_t len, i;

	if ((buf = slurp(DIR "/site/chap-secrets", &len)) == NULL)
		return;
	all = malloc(len + sizeof(extra) + 1);
	memcpy(all, buf, len);
	all[len] = '\n';				/* line 10 is empty */
	memcpy(all + len + 1, extra, sizeof(extra));
	CHECK_OK(server_secrets_parse(&s, &d, "cs", all, strlen(all)));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct chap_secret *e;

		e = server_secrets_lookup(&s, v[i].user, v[i].server);
		t_note("case %zu: %s @ %s", i, v[i].user, v[i].server);
		if (v[i].line == 0)
			CHECK(e == NULL);
		else
			CHECK(e != NULL && e->line == v[i].line);
	}
	server_secrets_free(&s);
	free(all);
	free(buf);
}

TEST(chap_secrets_odd_lines)
{
	static const char in[] =
	    "solo\n"					/* 1: incomplete */
	    "u1 * @/etc/ppp/u1.secret *\n"		/* 2: @file */
	    "u2 * s2 10.0.0.0/24 !10.0.0.9 gw.example 10.0.0.7 10.0.0.8\n"
	    "u3 * s3 * -- mru 1400\n"			/* 4 */
	    "u4 * \"\" *\n"				/* 5: empty secret */
	    "u5 * s5 127.0.0.1\n"			/* 6 */
	    "u6 * s6 \\\n 10.0.0.6\n";			/* 7-8: continued */
	struct server_secrets s = { 0 };
	struct cfg_diag d = { .warn = wlog_cb };
	struct wlog w = { 0 };

	d.ctx = &w;
	CHECK_OK(server_secrets_parse(&s, &d, "cs", in, sizeof(in) - 1));
	CHECK(wlog_has(&w, 1, "incomplete entry"));
	CHECK(wlog_has(&w, 2, "(@path) are not supported"));
	CHECK(wlog_has(&w, 3, "10.0.0.0/24 ignored"));
	CHECK(wlog_has(&w, 3, "!10.0.0.9 ignored"));
	CHECK(wlog_has(&w, 3, "gw.example ignored"));
	CHECK(wlog_has(&w, 3, "only the first address"));
	CHECK(wlog_has(&w, 4, "after -- are ignored"));
	CHECK(wlog_has(&w, 5, "empty secret"));
	CHECK(wlog_has(&w, 6, "127.0.0.1 is not usable"));
	CHECK_EQ(s.n, 5);
	if (s.n == 5) {
		CHECK_STR(s.v[0].client, "u2");
		CHECK_EQ(s.v[0].addr, 0x0a000007);
		CHECK_EQ(s.v[1].addr_mode, CFG_ADDR_ANY);
		CHECK_EQ(s.v[3].addr_mode, CFG_ADDR_NONE);
		CHECK_EQ(s.v[4].addr, 0x0a000006);
	}
	server_secrets_free(&s);

	/* errors leave nothing behind, and never show the secret */
	CHECK_ERR(server_secrets_parse(&s, &d, "cs", "a * \"topsecret *\n",
	    17), ERR_FORMAT);
	CHECK(s.v == NULL);
	CHECK(strstr(d.error, "topsecret") == NULL);
	CHECK(strncmp(d.error, "cs:", 3) == 0);
	{
		static char big[400];

		memset(big, 'x', sizeof(big) - 1);
		memcpy(big, "a * ", 4);
		big[4 + 257] = '\0';
		CHECK_ERR(server_secrets_parse(&s, &d, "cs", big, strlen(big)),
		    ERR_LENGTH);
		CHECK(strstr(d.error, "cs:1: secret longer") != NULL);
	}
}

/* --- the whole thing from files, and SIGHUP --- */

TEST(load_site_files_with_relative_paths)
{
	struct server_config c;
	struct wlog w = { 0 };
	struct pool *p = NULL;
	struct sbuf sb;
	char text[1024];
	const struct chap_secret *e;

	CHECK_OK(server_config_load(&c, DIR "/site/pptpd.conf", wlog_cb, &w));
	t_note("%s", c.diag.error);
	CHECK(strstr(c.option_path, "/site/pptpd-options") != NULL);
	CHECK(strstr(c.secrets_path, "/site/chap-secrets") != NULL);
	CHECK_EQ(c.connections, 40);
	CHECK_EQ(c.stimeout_s, 5);
	CHECK_EQ(c.listen, 0xcb00710a);
	CHECK(!c.mss_clamp);
	CHECK_EQ(c.max_unauth_per_ip, 4);
	CHECK_EQ(c.log_format, CFG_LOG_JSON);
	CHECK_STR(c.tun_prefix, "vpn");
	CHECK_STR(c.policy.name, "vpn gateway");
	CHECK_EQ(c.policy.auth_methods, PPP_AUTH_MSCHAPV2);
	CHECK_EQ(c.policy.dns[1], 0xc0000235);
	CHECK_EQ(c.policy.wins[0], 0x0a090002);
	CHECK_EQ(c.policy.mtu, 1400);
	CHECK_EQ(c.policy.echo_interval_s, 30);
	CHECK_EQ(c.policy.echo_failures, 4);
	CHECK_EQ(c.policy.idle_s, 1800);
	CHECK(c.policy.ipv6);
	CHECK_EQ(c.pool_n, 31);
	CHECK_EQ(c.secrets.n, 7);
	CHECK(wlog_has(&w, 8, "logwtmp ignored"));
	CHECK(wlog_has(&w, 7, "no address field"));
	e = server_secrets_lookup(&c.secrets, "CORP\\bob", c.policy.name);
	CHECK(e != NULL && e->addr_mode == CFG_ADDR_STATIC);

	CHECK_OK(server_config_pool_new(&c, &p));
	if (p != NULL) {
		CHECK_EQ(pool_size(p), 31);
		CHECK_EQ(pool_available(p), 30);	/* bob's is reserved */
		pool_free(p);
	}
	sbuf_init(&sb, text, sizeof(text));
	server_config_print(&c, &sb);
	t_note("%s", text);
	CHECK(strstr(text, "auth=mschap-v2 mppe=required/128,stateless") !=
	    NULL);
	CHECK(strstr(text, "pool=31") != NULL);
	CHECK(strstr(text, "users=7") != NULL);
	CHECK(strstr(text, "correct horse") == NULL);
	server_config_free(&c);

	CHECK_ERR(server_config_load(&c, DIR "/nonexistent.conf", NULL, NULL),
	    ERR_SYS);
	CHECK(strstr(c.diag.error, "nonexistent.conf: cannot open") != NULL);
	server_config_free(&c);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

TEST(reload_replaces_secrets_or_keeps_the_old_ones)
{
	char dir[] = "/tmp/pptpkit-cfg-XXXXXX", path[256], conf[256];
	struct server_config c;
	struct wlog w = { 0 };
	struct pool *p = NULL;
	uint32_t peer, local;
	int nwarn;

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(conf, sizeof(conf), "%s/pptpd.conf", dir);
	snprintf(path, sizeof(path), "%s/secrets", dir);
	CHECK_EQ(write_file(conf, "option opts\nchap-secrets secrets\n"
	    "localip 10.1.0.1\nremoteip 10.1.0.2-4\n"), 0);
	snprintf(path, sizeof(path), "%s/opts", dir);
	CHECK_EQ(write_file(path, "name gw\n"), 0);
	snprintf(path, sizeof(path), "%s/secrets", dir);
	CHECK_EQ(write_file(path, "old gw oldpw 10.1.0.2\n"), 0);
	CHECK_EQ(chmod(path, 0644), 0);
	CHECK_OK(server_config_load(&c, conf, wlog_cb, &w));
	CHECK(wlog_has(&w, 0, "group and/or world access"));
	CHECK_EQ(chmod(path, 0600), 0);
	nwarn = w.n;
	CHECK(server_secrets_lookup(&c.secrets, "old", "gw") != NULL);
	CHECK_OK(server_config_pool_new(&c, &p));
	CHECK(p != NULL);
	if (p == NULL)
		goto out;
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, 0x0a010003);		/* .2 is old's */

	/* SIGHUP with new users: the static address moves */
	CHECK_EQ(write_file(path, "new gw \"new pw\" 10.1.0.4\n"
	    "# the static address is also the local one:\n"
	    "bad gw x 10.1.0.1\n"), 0);
	CHECK_OK(server_config_reload_secrets(&c));
	CHECK_EQ(w.n, nwarn + 1);		/* only the local address */
	CHECK(server_secrets_lookup(&c.secrets, "old", "gw") == NULL);
	CHECK(server_secrets_lookup(&c.secrets, "new", "gw") != NULL);
	CHECK(wlog_has(&w, 3, "is a local address"));
	CHECK_EQ(c.secrets.v[1].addr_mode, CFG_ADDR_NONE);
	CHECK_OK(server_config_pool_sync(&c, p));
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, 0x0a010002);		/* free again */
	CHECK_ERR(pool_alloc(p, &peer, &local), ERR_NOSPACE);

	/* a broken file keeps the old secrets */
	CHECK_EQ(write_file(path, "x gw \"open\n"), 0);
	CHECK_ERR(server_config_reload_secrets(&c), ERR_FORMAT);
	CHECK(strstr(c.diag.error, "/secrets:1:") != NULL);
	CHECK(server_secrets_lookup(&c.secrets, "new", "gw") != NULL);
	unlink(path);
	CHECK_ERR(server_config_reload_secrets(&c), ERR_SYS);
	CHECK(server_secrets_lookup(&c.secrets, "new", "gw") != NULL);
out:
	pool_free(p);
	server_config_free(&c);
	snprintf(path, sizeof(path), "%s/opts", dir);
	unlink(path);
	unlink(conf);
	rmdir(dir);
}

/* --- truncations and mutations: parse or fail, never crash --- */

static void
mutate_all(const char *path, int kind)
{
	static const char subst[] = { '"', '\'', '\\', '#', '\n', '\0', ' ',
	    ',', '-', '*', '.', '9', (char)0xff };
	struct server_config c;
	char *buf, *m;
	size_t len, i, k;
	uint64_t x = 12345;
	int ret, ok = 0, bad = 0;

	if ((buf = slurp(path, &len)) == NULL)
		return;
	/* every cut, every byte replaced by each of subst[], then 3000
	 * random three-byte mutations */
	for (i = 0; i <= len * (1 + sizeof(subst)) + 3000; i++) {
		size_t cut = i <= len ? i : len;

		/* exactly cut bytes, so ASan sees any read past the end */
		m = malloc(cut > 0 ? cut : 1);
		memcpy(m, buf, cut);
		if (i > len * (1 + sizeof(subst))) {
			for (k = 0; k < 3; k++) {
				x = x * 6364136223846793005ull + 1;
				m[(x >> 33) % len] = (char)(x >> 24);
			}
		} else if (i > len) {
			k = (i - len - 1) % len;
			m[k] = subst[(i - len - 1) / len];
		}
		server_config_init(&c, NULL, NULL);
		if (kind == 0)
			ret = server_config_parse_pptpd(&c, "f", m, cut);
		else if (kind == 1)
			ret = server_config_parse_options(&c, "f", m, cut);
		else
			ret = server_config_finish(&c) ? -1 :
			    server_config_set_secrets(&c, "f", m, cut);
		if (ret == 0 && kind != 2)
			ret = server_config_finish(&c);
		if (ret == 0) {
			ok++;
		} else {
			bad++;
			CHECK(ret < 0);
			CHECK(c.diag.error[0] == 'f' || c.diag.error[0] == 'p' ||
			    c.diag.error[0] == 'o');
		}
		server_config_free(&c);
		free(m);
	}
	t_note("%s: %d parsed, %d refused", path, ok, bad);
	CHECK(ok > 0);
	free(buf);
}

TEST(every_truncation_and_mutation_parses_or_fails_cleanly)
{
	mutate_all(DIR "/debian/pptpd.conf", 0);
	mutate_all(DIR "/site/pptpd.conf", 0);
	mutate_all(DIR "/debian/pptpd-options", 1);
	mutate_all(DIR "/site/pptpd-options", 1);
	mutate_all(DIR "/debian/chap-secrets", 2);
	mutate_all(DIR "/site/chap-secrets", 2);
}

/*
 * config.c - the server configuration's frame: defaults, diagnostics, the
 * mapping onto the PPP engine's config, the summary line, and the thin
 * file-reading layer (load; reload of chap-secrets on SIGHUP).  The words,
 * numbers and addresses are read in config_lex.c; the parsers proper are
 * config_pptpd.c, config_options.c and config_secrets.c, and the pool is
 * config_pool.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/secret.h"
#include "config_int.h"

#define CFG_FILE_MAX	(16u << 20)	/* no configuration file is this big */

/* --- diagnostics --- */

void
cfg_warnf(struct cfg_diag *d, const char *file, int line, const char *fmt,
    ...)
{
	char msg[CFG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->nwarn++;
	if (d->warn != NULL)
		d->warn(d->ctx, file != NULL ? file : "", line, msg);
}

int
cfg_errf(struct cfg_diag *d, int code, const char *file, int line,
    const char *fmt, ...)
{
	struct sbuf sb;
	char msg[CFG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sbuf_init(&sb, d->error, sizeof(d->error));
	if (line > 0)
		sbuf_printf(&sb, "%s:%d: %s", file != NULL ? file : "", line,
		    msg);
	else
		sbuf_printf(&sb, "%s: %s", file != NULL ? file : "", msg);
	return code;
}

const char *
cfg_quote(char *buf, size_t cap, const char *s)
{
	struct sbuf sb;
	size_t n = strlen(s);

	sbuf_init(&sb, buf, cap);
	sbuf_escaped(&sb, s, n > 64 ? 64 : n);
	if (n > 64)
		sbuf_printf(&sb, "...");
	return sbuf_str(&sb);
}

int
cfg_copy(char *out, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap) {
		out[0] = '\0';
		return ERR_LENGTH;
	}
	memcpy(out, s, n + 1);
	return 0;
}

/* --- the whole configuration --- */

void
server_config_init(struct server_config *c,
    void (*warn)(void *ctx, const char *file, int line, const char *msg),
    void *ctx)
{
	struct ppp_config d;

	memset(c, 0, sizeof(*c));
	c->connections = CFG_DEFAULT_CONNECTIONS;
	c->stimeout_s = CFG_DEFAULT_STIMEOUT;
	c->mss_clamp = true;
	c->max_unauth_per_ip = CFG_DEFAULT_MAX_UNAUTH_PER_IP;
	c->log_format = CFG_LOG_TEXT;
	snprintf(c->secrets_path, sizeof(c->secrets_path), "%s",
	    CFG_DEFAULT_SECRETS);
	snprintf(c->tun_prefix, sizeof(c->tun_prefix), "%s",
	    CFG_DEFAULT_TUN_PREFIX);

	/* The engine's defaults are the policy's, except IPv6: pppd runs
	 * IPV6CP only with +ipv6, and we read pppd's files as pppd does. */
	ppp_config_default(&d, PPP_ROLE_SERVER);
	c->policy.auth_methods = d.auth_methods;
	c->policy.mppe = d.mppe;
	c->policy.mppe_bits = d.mppe_bits;
	c->policy.mppe_stateless = d.mppe_stateless;
	c->policy.mppe_stateful = d.mppe_stateful;
	c->policy.mppe_prefer_stateful = d.mppe_prefer_stateful;
	c->policy.mru = d.mru;
	c->policy.echo_interval_s = d.echo_interval_ms / 1000;
	c->policy.echo_failures = d.echo_failures;
	c->policy.ipv6 = false;

	c->opt.mppe_mode = -1;
	c->opt.stateful = -1;
	c->diag.warn = warn;
	c->diag.ctx = ctx;
}

void
server_config_free(struct server_config *c)
{
	if (c == NULL)
		return;
	server_secrets_free(&c->secrets);
	free(c->pool_peer);
	free(c->pool_local);
	free(c->local_sorted);
	c->pool_peer = c->pool_local = c->local_sorted = NULL;
	c->pool_n = c->nlocal_sorted = 0;
}

int
server_config_finish(struct server_config *c)
{
	int ret;

	if ((ret = cfg_options_finish(c)) != 0)
		return ret;
	return cfg_pool_expand(c);
}

/* --- the policy the options add up to: pppd's rules, then a warning
 * for every choice weaker than the default (MS-CHAPv2 only, MPPE-128
 * required, stateless) --- */

int
cfg_options_finish(struct server_config *c)
{
	struct server_policy *p = &c->policy;
	struct cfg_optstate *o = &c->opt;
	struct cfg_diag *d = &c->diag;
	const char *f = o->file[0] != '\0' ? o->file : "options";
	unsigned allowed, bits;
	int mode;

	/* pppd: with require-* options the peer may use any of the named
	 * methods; with none, our default (MS-CHAPv2).  refuse-* removes,
	 * and the later of require-X and refuse-X wins. */
	allowed = (o->auth_req != 0 ? o->auth_req : p->auth_methods) &
	    ~o->auth_ref;
	if (allowed == 0)
		return cfg_errf(d, ERR_INVAL, f, 0, "no authentication method "
		    "left: the refuse-* options remove every method the "
		    "require-* options (or the default, MS-CHAPv2) allow%s",
		    o->eap_required ? ", and EAP is off" : "");
	p->auth_methods = allowed;
	if (allowed & PPP_AUTH_PAP)
		cfg_warnf(d, f, o->auth_line[0], "WARNING: PAP sends passwords "
		    "in the clear");
	if (allowed & PPP_AUTH_CHAP_MD5)
		cfg_warnf(d, f, o->auth_line[1], "WARNING: CHAP-MD5 gives no "
		    "MPPE keys, and a captured exchange lets anyone test "
		    "password guesses offline");
	if (allowed & PPP_AUTH_MSCHAPV1)
		cfg_warnf(d, f, o->auth_line[2], "WARNING: MS-CHAPv1 is "
		    "broken (its responses yield the password hash); use "
		    "MS-CHAPv2");

	mode = o->mppe_mode >= 0 ? o->mppe_mode : (int)p->mppe;
	p->mppe = (enum ppp_mppe_policy)mode;
	if (mode == PPP_MPPE_REFUSED) {
		cfg_warnf(d, f, o->mppe_line, "WARNING: MPPE is off: traffic "
		    "travels unencrypted");
		return 0;
	}
	bits = (o->mppe_req_bits != 0 ? o->mppe_req_bits : p->mppe_bits) &
	    ~o->mppe_ref_bits;
	if (bits == 0)
		return cfg_errf(d, ERR_INVAL, f, o->mppe_bits_line, "no MPPE "
		    "key length left (name one with require-mppe-128, or turn "
		    "MPPE off with nomppe)");
	p->mppe_bits = bits;
	if (o->stateful >= 0) {
		p->mppe_stateful = o->stateful >= 1;
		p->mppe_prefer_stateful = o->stateful == 2;
	}
	if (mode == PPP_MPPE_ALLOWED)
		cfg_warnf(d, f, o->mppe_line, "WARNING: MPPE is optional: a "
		    "peer may connect unencrypted");
	if (bits & PPP_MPPE_40)
		cfg_warnf(d, f, o->mppe_bits_line, "WARNING: 40-bit MPPE keys "
		    "can be found by brute force");
	if (bits & PPP_MPPE_56)
		cfg_warnf(d, f, o->mppe_bits_line, "WARNING: 56-bit MPPE keys "
		    "can be found by brute force");
	if (p->mppe_prefer_stateful)
		cfg_warnf(d, f, o->stateful_line, "WARNING: stateful MPPE "
		    "preferred: one lost packet costs a resynchronisation, "
		    "keys change only every 256 packets (RFC 3078), and pppd "
		    "clients without mppe-stateful hang up when asked for it "
		    "(a peer that insists on stateless gets stateless)");
	else if (p->mppe_stateful)
		cfg_warnf(d, f, o->stateful_line, "WARNING: stateful MPPE "
		    "allowed: one lost packet costs a resynchronisation, and "
		    "keys change only every 256 packets (RFC 3078)");
	if ((allowed & (PPP_AUTH_MSCHAPV1 | PPP_AUTH_MSCHAPV2)) == 0) {
		if (mode == PPP_MPPE_REQUIRED)
			return cfg_errf(d, ERR_INVAL, f, o->mppe_line, "MPPE is "
			    "required%s but no MS-CHAP method is allowed: MPPE "
			    "keys come from MS-CHAP (RFC 3079)", o->mppe_line == 0 ?
			    " (the default; nomppe turns it off)" : "");
		cfg_warnf(d, f, o->mppe_line, "MPPE cannot start without "
		    "MS-CHAP: sessions will be unencrypted");
	}
	return 0;
}

void
server_config_ppp(const struct server_config *c, struct ppp_config *pc)
{
	const struct server_policy *p = &c->policy;

	ppp_config_default(pc, PPP_ROLE_SERVER);
	pc->auth_methods = p->auth_methods;
	pc->mppe = p->mppe;
	pc->mppe_bits = p->mppe_bits;
	pc->mppe_stateless = p->mppe_stateless;
	pc->mppe_stateful = p->mppe_stateful;
	pc->mppe_prefer_stateful = p->mppe_prefer_stateful;
	if (p->mru != 0)
		pc->mru = p->mru;
	pc->no_pfc = p->no_pfc;
	pc->no_acfc = p->no_acfc;
	pc->echo_interval_ms = p->echo_interval_s * 1000;
	pc->echo_failures = p->echo_failures;
	pc->ipv6 = p->ipv6;
	pc->fsm.restart_ms = p->restart_ms;
	pc->fsm.max_configure = p->max_configure;
	pc->fsm.max_terminate = p->max_terminate;
	pc->fsm.max_failure = p->max_failure;
	if (p->name[0] != '\0')
		snprintf(pc->name, sizeof(pc->name), "%s", p->name);
	pc->dns[0] = p->dns[0];
	pc->dns[1] = p->dns[1];
	pc->nbns[0] = p->wins[0];
	pc->nbns[1] = p->wins[1];
}

void
server_config_print(const struct server_config *c, struct sbuf *sb)
{
	static const char *const mppe[] = {
		[PPP_MPPE_REQUIRED] = "required", [PPP_MPPE_ALLOWED] = "allowed",
		[PPP_MPPE_REFUSED] = "refused",
	};
	const struct server_policy *p = &c->policy;
	char a[16], b[16];

	sbuf_printf(sb, "listen=%s connections=%u stimeout=%u",
	    c->listen != 0 ? cfg_ipv4_str(c->listen, a) : "any",
	    c->connections, c->stimeout_s);
	sbuf_printf(sb, " pool=%zu", c->pool_n);
	if (c->pool_n > 0)
		sbuf_printf(sb, " first=%s/%s",
		    cfg_ipv4_str(c->pool_peer[0], a),
		    cfg_ipv4_str(c->pool_local[0], b));
	sbuf_printf(sb, " auth=%s%s%s%s", p->auth_methods & PPP_AUTH_PAP ?
	    "pap," : "", p->auth_methods & PPP_AUTH_CHAP_MD5 ? "chap," : "",
	    p->auth_methods & PPP_AUTH_MSCHAPV1 ? "mschap," : "",
	    p->auth_methods & PPP_AUTH_MSCHAPV2 ? "mschap-v2" : "");
	sbuf_printf(sb, " mppe=%s", mppe[p->mppe]);
	if (p->mppe != PPP_MPPE_REFUSED)
		sbuf_printf(sb, "/%s%s%s%s%s%s", p->mppe_bits & PPP_MPPE_40 ?
		    "40," : "", p->mppe_bits & PPP_MPPE_56 ? "56," : "",
		    p->mppe_bits & PPP_MPPE_128 ? "128" : "",
		    p->mppe_stateless ? ",stateless" : "",
		    p->mppe_stateful ? ",stateful" : "",
		    p->mppe_prefer_stateful ? "(preferred)" : "");
	if (p->dns[0] != 0)
		sbuf_printf(sb, " dns=%s", cfg_ipv4_str(p->dns[0], a));
	if (p->dns[1] != 0)
		sbuf_printf(sb, ",%s", cfg_ipv4_str(p->dns[1], a));
	sbuf_printf(sb, " mru=%u mtu=%u echo=%us/%u idle=%u ipv6=%s",
	    p->mru, p->mtu, (unsigned)p->echo_interval_s, p->echo_failures,
	    (unsigned)p->idle_s, p->ipv6 ? "on" : "off");
	sbuf_printf(sb, " users=%zu mss-clamp=%s tun-prefix=", c->secrets.n,
	    c->mss_clamp ? "on" : "off");
	sbuf_escaped(sb, c->tun_prefix, strlen(c->tun_prefix));
	sbuf_printf(sb, " name=");
	sbuf_escaped(sb, p->name, strlen(p->name));
}

/* --- files --- */

int
cfg_read_file(const char *path, char **buf, size_t *len, struct cfg_diag *d)
{
	char *b = NULL, *nb;
	size_t n = 0, cap = 0;
	ssize_t got;
	int fd, e;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		e = errno;
		return cfg_errf(d, ERR_SYS, path, 0, "cannot open: %s",
		    strerror(e));
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= CFG_FILE_MAX) {
				close(fd);
				free(b);
				return cfg_errf(d, ERR_LENGTH, path, 0,
				    "file larger than %u bytes", CFG_FILE_MAX);
			}
			cap = cap == 0 ? 4096 : cap * 2;
			if ((nb = realloc(b, cap)) == NULL) {
				close(fd);
				free(b);
				return cfg_errf(d, ERR_NOMEM, path, 0,
				    "out of memory");
			}
			b = nb;
		}
		got = read(fd, b + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			close(fd);
			free(b);
			return cfg_errf(d, ERR_SYS, path, 0, "cannot read: %s",
			    strerror(e));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* A relative path in a file is taken from that file's directory. */
static int
cfg_resolve(const char *base, const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(base, '/');
	int n;

	if (path[0] == '/' || slash == NULL)
		n = snprintf(out, cap, "%s", path);
	else
		n = snprintf(out, cap, "%.*s/%s", (int)(slash - base), base,
		    path);
	return n < 0 || (size_t)n >= cap ? ERR_LENGTH : 0;
}

/* Reads path and hands it to parse(). */
static int
cfg_load_file(struct server_config *c, const char *path,
    int (*parse)(struct server_config *, const char *, const char *, size_t))
{
	char *buf;
	size_t len;
	int ret;

	if ((ret = cfg_read_file(path, &buf, &len, &c->diag)) != 0)
		return ret;
	ret = parse(c, path, buf, len);
	secret_wipe(buf, len);	/* chap-secrets passes through here */
	free(buf);
	return ret;
}

int
server_config_load(struct server_config *c, const char *path,
    void (*warn)(void *ctx, const char *file, int line, const char *msg),
    void *ctx)
{
	char resolved[CFG_PATH_MAX];
	int ret;

	server_config_init(c, warn, ctx);
	if (cfg_copy(c->conf_path, sizeof(c->conf_path), path) != 0)
		return cfg_errf(&c->diag, ERR_LENGTH, "config", 0,
		    "path too long");
	if ((ret = cfg_load_file(c, c->conf_path,
	    server_config_parse_pptpd)) != 0)
		return ret;
	if (c->option_path[0] != '\0') {
		if (cfg_resolve(c->conf_path, c->option_path, resolved,
		    sizeof(resolved)) != 0)
			return cfg_errf(&c->diag, ERR_LENGTH, c->conf_path, 0,
			    "option path too long");
		memcpy(c->option_path, resolved, sizeof(resolved));
		if ((ret = cfg_load_file(c, c->option_path,
		    server_config_parse_options)) != 0)
			return ret;
	} else {
		cfg_warnf(&c->diag, c->conf_path, 0, "no `option` line: no "
		    "pppd options file, pptpkit's defaults apply (MS-CHAPv2 "
		    "only, MPPE-128 required)");
	}
	if (c->policy.name[0] == '\0' &&
	    (gethostname(c->policy.name, sizeof(c->policy.name) - 1) != 0 ||
	    c->policy.name[0] == '\0'))
		snprintf(c->policy.name, sizeof(c->policy.name), "pptpkit");
	if ((ret = server_config_finish(c)) != 0)
		return ret;
	if (cfg_resolve(c->conf_path, c->secrets_path, resolved,
	    sizeof(resolved)) != 0)
		return cfg_errf(&c->diag, ERR_LENGTH, c->conf_path, 0,
		    "chap-secrets path too long");
	memcpy(c->secrets_path, resolved, sizeof(resolved));
	return server_config_reload_secrets(c);
}

int
server_config_reload_secrets(struct server_config *c)
{
	struct stat st;

	/* pppd's check_access(): the same warning, for the same reason */
	if (stat(c->secrets_path, &st) == 0 &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		cfg_warnf(&c->diag, c->secrets_path, 0, "secrets file has "
		    "group and/or world access (chmod 600 it)");
	return cfg_load_file(c, c->secrets_path, server_config_set_secrets);
}

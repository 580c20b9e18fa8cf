/*
 * config.h - the server's configuration, read from PoPToP's own files:
 * pptpd.conf(5), the pppd(8) options file it names with `option`, and
 * pppd's chap-secrets (pppd(8), "AUTHENTICATION"), plus pptpkit's few own
 * keys in pptpd.conf (docs/CONFIG.md lists them all).
 *
 * Parsing is pure: each parser takes the file's contents as a buffer and a
 * name for messages, and only server_config_load() and
 * server_config_reload_secrets() read files.  Nothing here exits, logs or
 * keeps global state.  Every keyword or option we do not implement gives a
 * warning through the caller's callback (never silence); every bad value
 * gives an error "file:line: message" in c->diag.error and a negative ERR_*.
 *
 * Order of use:
 *   server_config_init(c, warn, ctx);
 *   server_config_parse_pptpd(c, "pptpd.conf", buf, len);
 *   server_config_parse_options(c, "pptpd-options", buf, len);
 *   server_config_finish(c);                  policy, pool, cross-checks
 *   server_config_set_secrets(c, "chap-secrets", buf, len);
 *   ...
 *   server_config_free(c);
 * or simply server_config_load(c, "/etc/pptpd.conf", warn, ctx), which does
 * all of that with the files.
 */
#ifndef PPTPKIT_SERVER_CONFIG_H
#define PPTPKIT_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../ppp/ppp.h"

#define CFG_PATH_MAX		1024	/* longest path we keep */
#define CFG_MSG_MAX		(CFG_PATH_MAX + 256)	/* one diagnostic */
#define CFG_RANGES_MAX		64	/* items in localip / remoteip */
#define CFG_TUN_PREFIX_MAX	10	/* leaves room for digits in IFNAMSIZ */
#define CFG_CONNECTIONS_MAX	65535	/* Call IDs are 16 bits */

#define CFG_DEFAULT_CONNECTIONS		100	/* pptpd.conf(5) */
#define CFG_DEFAULT_STIMEOUT		10	/* pptpd.conf(5), seconds */
#define CFG_DEFAULT_MAX_UNAUTH_PER_IP	8
#define CFG_DEFAULT_SECRETS		"/etc/ppp/chap-secrets"
#define CFG_DEFAULT_TUN_PREFIX		"pptp"

/* Where messages go.  warn() gets one warning per call: the file, the line
 * (0 when it concerns the whole file), and the text (no "warning:" prefix,
 * no newline).  warn may be NULL.  error holds the last error, formatted
 * "file:line: message". */
struct cfg_diag {
	void		(*warn)(void *ctx, const char *file, int line,
			    const char *msg);
	void		*ctx;
	unsigned	 nwarn;		/* warnings given so far */
	char		 error[CFG_MSG_MAX];
};

/* An inclusive range of IPv4 addresses, host order. */
struct cfg_range {
	uint32_t	first, last;
};

/* What a chap-secrets entry says about the peer's address. */
enum cfg_addr_mode {
	CFG_ADDR_NONE,		/* no address allowed (3 words, or "-") */
	CFG_ADDR_ANY,		/* "*": any address from the pool */
	CFG_ADDR_STATIC,	/* this address and no other */
};

/* One chap-secrets line.  "*" in client or server is a wildcard. */
struct chap_secret {
	char		 client[PPP_NAME_MAX + 1];
	char		 server[PPP_NAME_MAX + 1];
	char		 secret[PPP_SECRET_MAX + 1];	/* wiped on free */
	enum cfg_addr_mode addr_mode;
	uint32_t	 addr;		/* CFG_ADDR_STATIC: host order */
	int		 line;
};

struct server_secrets {
	struct chap_secret	*v;
	size_t			 n, cap;
};

enum cfg_log_format { CFG_LOG_TEXT, CFG_LOG_JSON };

/* The PPP side, from the pppd options file; defaults are the engine's
 * (ppp_config_default): MS-CHAPv2 only, MPPE-128 required and stateless. */
struct server_policy {
	char		 name[PPP_NAME_MAX + 1];	/* `name`; "" = unset */
	unsigned	 auth_methods;	/* PPP_AUTH_* the peer may use */
	enum ppp_mppe_policy mppe;
	unsigned	 mppe_bits;	/* PPP_MPPE_* */
	bool		 mppe_stateless, mppe_stateful;	/* modes allowed */
	bool		 mppe_prefer_stateful;	/* mppe-prefer-stateful */
	uint32_t	 dns[2], wins[2];	/* host order; 0 = none */
	uint16_t	 mtu;		/* 0 = from the peer's MRU */
	uint16_t	 mru;
	uint32_t	 echo_interval_s;	/* 0 = no LCP Echo */
	unsigned	 echo_failures;
	uint32_t	 idle_s;		/* 0 = no idle timeout */
	uint32_t	 restart_ms;		/* lcp-restart */
	unsigned	 max_configure, max_terminate, max_failure;
	bool		 debug;
	bool		 ipv6;		/* +ipv6 (pppd: off by default) */
	bool		 proxyarp;	/* asked for; not implemented */
	bool		 no_pfc, no_acfc;
	char		 logfile[CFG_PATH_MAX];	/* "" = none */
};

/* What the options parser saw, kept for server_config_finish(). */
struct cfg_optstate {
	char		 file[CFG_PATH_MAX];	/* for messages */
	unsigned	 auth_req, auth_ref;	/* PPP_AUTH_* sets, in order */
	int		 auth_line[4];		/* line that allowed each */
	bool		 eap_required;
	int		 mppe_mode;		/* -1 unset, else ppp_mppe_policy */
	int		 mppe_line;
	unsigned	 mppe_req_bits, mppe_ref_bits;
	int		 mppe_bits_line;
	int		 stateful;		/* -1 unset, 0 no, 1 allowed,
						 * 2 preferred */
	int		 stateful_line;
	unsigned	 ndns, nwins;
};

struct server_config {
	/* pptpd.conf */
	char		 conf_path[CFG_PATH_MAX];	/* as given; "" if none */
	char		 option_path[CFG_PATH_MAX];	/* "" = no `option` */
	uint32_t	 listen;		/* host order; 0 = any */
	unsigned	 connections;
	unsigned	 stimeout_s;
	bool		 debug;
	struct cfg_range local[CFG_RANGES_MAX], remote[CFG_RANGES_MAX];
	size_t		 nlocal, nremote;
	int		 local_line, remote_line;
	/* pptpkit's own keys */
	bool		 mss_clamp;
	unsigned	 max_unauth_per_ip;	/* 0 = no limit */
	enum cfg_log_format log_format;
	char		 secrets_path[CFG_PATH_MAX];
	char		 tun_prefix[CFG_TUN_PREFIX_MAX + 1];
	/* the pppd options file */
	struct server_policy policy;
	/* chap-secrets */
	struct server_secrets secrets;
	/* the address pool, as server_config_finish() expanded it: entry i
	 * gives pool_peer[i] with pool_local[i] (host order) */
	uint32_t	*pool_peer, *pool_local;
	size_t		 pool_n;
	uint32_t	 local_default;	/* for static peers outside the pool;
					 * 0 = no localip */
	uint32_t	*local_sorted;	/* distinct local addresses, sorted */
	size_t		 nlocal_sorted;
	struct cfg_diag	 diag;
	struct cfg_optstate opt;
};

/* Sets every default (pptpd.conf(5)'s, then ours) and the callback.  Owns
 * nothing yet; server_config_free() is safe right after. */
void server_config_init(struct server_config *c,
    void (*warn)(void *ctx, const char *file, int line, const char *msg),
    void *ctx);

/* Releases the secrets (wiped) and the pool arrays; c may be reused after
 * another server_config_init().  NULL is fine. */
void server_config_free(struct server_config *c);

/*
 * Parses pptpd.conf(5) text buf[len] (need not be NUL-terminated), named
 * file in messages.  Later keywords override earlier ones.  Returns 0,
 * ERR_FORMAT (bad number, address or value), ERR_RANGE (a number out of
 * range), ERR_LENGTH (a path or name too long), with c->diag.error set.
 */
int server_config_parse_pptpd(struct server_config *c, const char *file,
    const char *buf, size_t len) MUST_CHECK;

/*
 * Parses a pppd(8) options file buf[len] (pppd's word syntax: quotes,
 * backslash escapes, # comments) into c->policy and c->opt.  Returns 0,
 * ERR_FORMAT (bad value, missing argument, unterminated quote, NUL byte),
 * ERR_RANGE, ERR_LENGTH (word or name too long), with c->diag.error set.
 */
int server_config_parse_options(struct server_config *c, const char *file,
    const char *buf, size_t len) MUST_CHECK;

/*
 * After the two parsers: settles the auth and MPPE policy (pppd's rules, see
 * docs/CONFIG.md), warns about every choice weaker than the default, and
 * expands localip/remoteip into the pool arrays (pairing them as pptpd
 * does, at most `connections`, repeats and local addresses left out with
 * a warning).  Returns 0, ERR_INVAL (no auth method left, MPPE required
 * without MS-CHAP, no key length left, remoteip without localip, an
 * unusable address such as 127.0.0.1), ERR_NOMEM.  Call once.
 */
int server_config_finish(struct server_config *c) MUST_CHECK;

/*
 * Parses chap-secrets text buf[len] into s (which must be empty: {0}),
 * warnings and errors going to d.  Returns 0, ERR_FORMAT (unterminated
 * quote, NUL byte), ERR_LENGTH (a field too long), ERR_NOMEM.  On error s
 * is left empty.
 */
int server_secrets_parse(struct server_secrets *s, struct cfg_diag *d,
    const char *file, const char *buf, size_t len) MUST_CHECK;

/* Wipes every secret and frees; s is empty after. */
void server_secrets_free(struct server_secrets *s);

/*
 * The best entry for peer name `user` and our name `server` (pppd's rule:
 * an exact client beats a wildcard client, then an exact server beats a
 * wildcard server; among equals the first line wins).  user is tried as
 * given and, if it has a DOMAIN\ prefix, without it; the better match wins,
 * the name as given on a tie.  NULL if nothing matches.  The entry stays
 * valid until the secrets are replaced or freed.
 */
const struct chap_secret *server_secrets_lookup(
    const struct server_secrets *s, const char *user, const char *server);

/*
 * Parses buf[len] as chap-secrets, checks the static addresses against the
 * local addresses (warns, refuses such entries any address), and on
 * success replaces c->secrets (the old ones wiped).  On error c->secrets is
 * untouched.  Needs server_config_finish() first.  Returns as
 * server_secrets_parse().
 */
int server_config_set_secrets(struct server_config *c, const char *file,
    const char *buf, size_t len) MUST_CHECK;

/*
 * Reads the whole file at path into a malloc'd, NUL-terminated buffer
 * (*len excludes the NUL).  0, ERR_SYS (d->error says why, with errno's
 * text), ERR_LENGTH (over 16 MiB), ERR_NOMEM.
 */
int cfg_read_file(const char *path, char **buf, size_t *len,
    struct cfg_diag *d) MUST_CHECK;

/*
 * Reads pptpd.conf at path, the option file it names (a relative path is
 * taken from pptpd.conf's directory), finishes, then reads chap-secrets.
 * An unset `name` becomes the host name.  c is initialised here.  Returns 0
 * or the first error (c->diag.error says where); call server_config_free()
 * either way.
 */
int server_config_load(struct server_config *c, const char *path,
    void (*warn)(void *ctx, const char *file, int line, const char *msg),
    void *ctx) MUST_CHECK;

/* SIGHUP: reads c->secrets_path again and replaces the secrets if it
 * parses; on error the old secrets stay.  Warns, as pppd does, when the
 * file is open to group or others.  Sessions are not touched; call
 * server_config_pool_sync() (config_pool.h) after a success.  Returns as
 * server_config_set_secrets() or cfg_read_file(). */
int server_config_reload_secrets(struct server_config *c) MUST_CHECK;

/* Fills pc for a server session: ppp_config_default(), then the policy. */
void server_config_ppp(const struct server_config *c, struct ppp_config *pc);

/* Writes the static addresses of c->secrets (at most cap) to out; returns
 * how many there are (may exceed cap). */
size_t server_config_statics(const struct server_config *c, uint32_t *out,
    size_t cap);

/* One line summing up the effective settings (no secrets). */
void server_config_print(const struct server_config *c, struct sbuf *sb);

/* --- helpers shared by the parsers, exposed for tests --- */

/* Strict dotted quad "a.b.c.d" (each 0-255, 1-3 digits) in s[n]; host
 * order.  0 or ERR_FORMAT. */
int cfg_parse_ipv4(const char *s, size_t n, uint32_t *out) MUST_CHECK;

/* pptpd.conf address list: "a.b.c.d", "a.b.c.d-e" (last octet), or
 * "a.b.c.d-a.b.c.e", comma-separated, no spaces.  0, ERR_FORMAT, ERR_RANGE
 * (range end below start), ERR_NOSPACE (more than cap items). */
int cfg_parse_ranges(const char *s, size_t n, struct cfg_range *out,
    size_t cap, size_t *count) MUST_CHECK;

#endif

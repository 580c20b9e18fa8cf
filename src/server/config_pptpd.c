/*
 * config_pptpd.c - pptpd.conf(5): `keyword [value]` lines with # comments,
 * PoPToP's keywords (option, localip, remoteip, listen, connections,
 * stimeout, debug; the rest warned about and ignored) and pptpkit's own
 * (mss-clamp, max-unauth-per-ip, log-format, chap-secrets, tun-prefix);
 * then the address pool expanded from localip/remoteip the way pptpd pairs
 * them.
 */
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

enum pptpd_kind {
	PK_OPTION, PK_LOCALIP, PK_REMOTEIP, PK_LISTEN, PK_CONNECTIONS,
	PK_STIMEOUT, PK_DEBUG, PK_IGNORED,
	PK_MSS_CLAMP, PK_MAX_UNAUTH, PK_LOG_FORMAT, PK_SECRETS, PK_TUN_PREFIX,
};

struct pptpd_kw {
	const char	*name;
	enum pptpd_kind	 kind;
	bool		 value;		/* takes one value */
	const char	*why;		/* PK_IGNORED: what we do instead */
};

static const struct pptpd_kw pptpd_kws[] = {
	{ "option", PK_OPTION, true, NULL },
	{ "localip", PK_LOCALIP, true, NULL },
	{ "remoteip", PK_REMOTEIP, true, NULL },
	{ "listen", PK_LISTEN, true, NULL },
	{ "connections", PK_CONNECTIONS, true, NULL },
	{ "stimeout", PK_STIMEOUT, true, NULL },
	{ "debug", PK_DEBUG, false, NULL },
	{ "logwtmp", PK_IGNORED, false, "pptpkit does not write wtmp; it "
	    "logs one line per session up and down" },
	{ "delegate", PK_IGNORED, false, "pptpkit gives addresses itself, "
	    "from remoteip and the static addresses in chap-secrets" },
	{ "noipparam", PK_IGNORED, false, "pptpkit runs no pppd, so there "
	    "is no ipparam to suppress" },
	{ "speed", PK_IGNORED, true, "there is no serial line" },
	{ "bcrelay", PK_IGNORED, true, "pptpkit does not relay broadcasts" },
	{ "ppp", PK_IGNORED, true, "pptpkit has its own PPP engine and runs "
	    "no pppd" },
	{ "vrf", PK_IGNORED, true, "pptpkit does not bind to a VRF" },
	{ "mss-clamp", PK_MSS_CLAMP, true, NULL },
	{ "max-unauth-per-ip", PK_MAX_UNAUTH, true, NULL },
	{ "log-format", PK_LOG_FORMAT, true, NULL },
	{ "chap-secrets", PK_SECRETS, true, NULL },
	{ "tun-prefix", PK_TUN_PREFIX, true, NULL },
};

#define PPTPD_NKWS	(sizeof(pptpd_kws) / sizeof(pptpd_kws[0]))

struct pword {
	const char	*s;
	size_t		 n;
};

/* Splits line [p, e) into up to 3 words (more are counted, not kept);
 * a word starting with # ends the line. */
static size_t
pptpd_split(const char *p, const char *e, struct pword *w)
{
	size_t k = 0;

	for (;;) {
		const char *s;

		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\v' || *p == '\f'))
			p++;
		if (p == e || *p == '#')
			return k;
		s = p;
		while (p < e && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\v' && *p != '\f')
			p++;
		if (k < 3) {
			w[k].s = s;
			w[k].n = (size_t)(p - s);
		}
		k++;
	}
}

static bool
pptpd_word_is(const struct pword *w, const char *s)
{
	return strlen(s) == w->n && memcmp(w->s, s, w->n) == 0;
}

static int
pptpd_bool(const char *v, bool *out)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "yes") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(v, "off") == 0 || strcmp(v, "no") == 0) {
		*out = false;
		return 0;
	}
	return ERR_FORMAT;
}

/* One keyword with its value v (NUL-terminated; "" when it takes none). */
static int
pptpd_apply(struct server_config *c, const char *file, int line,
    const struct pptpd_kw *kw, const char *v)
{
	struct cfg_diag *d = &c->diag;
	unsigned long n;
	char q[CFG_WORD_MAX];
	size_t i;
	int ret;

	switch (kw->kind) {
	case PK_OPTION:
		if (cfg_copy(c->option_path, sizeof(c->option_path), v) != 0)
			return cfg_errf(d, ERR_LENGTH, file, line,
			    "option: path too long");
		return 0;
	case PK_LOCALIP:
	case PK_REMOTEIP: {
		bool local = kw->kind == PK_LOCALIP;

		ret = cfg_parse_ranges(v, strlen(v), local ? c->local :
		    c->remote, CFG_RANGES_MAX, local ? &c->nlocal : &c->nremote);
		if (ret == ERR_RANGE)
			return cfg_errf(d, ret, file, line, "%s: a range ends "
			    "below its start in \"%s\" (234-8 does not mean "
			    "234-238)", kw->name, cfg_quote(q, sizeof(q), v));
		if (ret == ERR_NOSPACE)
			return cfg_errf(d, ERR_RANGE, file, line, "%s: more "
			    "than %d items", kw->name, CFG_RANGES_MAX);
		if (ret != 0)
			return cfg_errf(d, ERR_FORMAT, file, line, "%s: bad "
			    "address list \"%s\" (want a.b.c.d, a.b.c.d-e, "
			    "comma-separated, no spaces)", kw->name,
			    cfg_quote(q, sizeof(q), v));
		*(local ? &c->local_line : &c->remote_line) = line;
		return 0;
	}
	case PK_LISTEN:
		if (cfg_parse_ipv4(v, strlen(v), &c->listen) != 0)
			return cfg_errf(d, ERR_FORMAT, file, line, "listen: "
			    "\"%s\" is not an IPv4 address",
			    cfg_quote(q, sizeof(q), v));
		return 0;
	case PK_CONNECTIONS:
	case PK_STIMEOUT:
	case PK_MAX_UNAUTH: {
		unsigned long min = kw->kind == PK_MAX_UNAUTH ? 0 : 1;
		unsigned long max = kw->kind == PK_STIMEOUT ? 86400 :
		    CFG_CONNECTIONS_MAX;

		ret = cfg_parse_uint(v, min, max, &n);
		if (ret != 0)
			return cfg_errf(d, ret, file, line, "%s: \"%s\" is not "
			    "a number from %lu to %lu", kw->name,
			    cfg_quote(q, sizeof(q), v), min, max);
		if (kw->kind == PK_CONNECTIONS)
			c->connections = (unsigned)n;
		else if (kw->kind == PK_STIMEOUT)
			c->stimeout_s = (unsigned)n;
		else
			c->max_unauth_per_ip = (unsigned)n;
		return 0;
	}
	case PK_DEBUG:
		c->debug = true;
		return 0;
	case PK_IGNORED:
		cfg_warnf(d, file, line, "%s ignored: %s", kw->name, kw->why);
		return 0;
	case PK_MSS_CLAMP:
		if (pptpd_bool(v, &c->mss_clamp) != 0)
			return cfg_errf(d, ERR_FORMAT, file, line, "mss-clamp: "
			    "want on or off, not \"%s\"",
			    cfg_quote(q, sizeof(q), v));
		return 0;
	case PK_LOG_FORMAT:
		if (strcmp(v, "text") == 0)
			c->log_format = CFG_LOG_TEXT;
		else if (strcmp(v, "json") == 0)
			c->log_format = CFG_LOG_JSON;
		else
			return cfg_errf(d, ERR_FORMAT, file, line, "log-format: "
			    "want text or json, not \"%s\"",
			    cfg_quote(q, sizeof(q), v));
		return 0;
	case PK_SECRETS:
		if (cfg_copy(c->secrets_path, sizeof(c->secrets_path), v) != 0)
			return cfg_errf(d, ERR_LENGTH, file, line,
			    "chap-secrets: path too long");
		return 0;
	case PK_TUN_PREFIX:
		for (i = 0; v[i] != '\0'; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') ||
			    (v[i] >= 'A' && v[i] <= 'Z') ||
			    (v[i] >= '0' && v[i] <= '9') || v[i] == '_' ||
			    v[i] == '-'))
				return cfg_errf(d, ERR_FORMAT, file, line,
				    "tun-prefix: only letters, digits, _ and -");
		if (cfg_copy(c->tun_prefix, sizeof(c->tun_prefix), v) != 0)
			return cfg_errf(d, ERR_LENGTH, file, line, "tun-prefix: "
			    "at most %d characters", CFG_TUN_PREFIX_MAX);
		return 0;
	}
	return 0;
}

int
server_config_parse_pptpd(struct server_config *c, const char *file,
    const char *buf, size_t len)
{
	const char *p = buf, *end = buf + (buf != NULL ? len : 0);
	struct cfg_diag *d = &c->diag;
	char v[CFG_WORD_MAX], q[CFG_WORD_MAX];
	int line = 0, ret;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const struct pptpd_kw *kw = NULL;
		struct pword w[3];
		size_t nw, i;

		if (e == NULL)
			e = end;
		line++;
		if (memchr(p, '\0', (size_t)(e - p)) != NULL)
			return cfg_errf(d, ERR_FORMAT, file, line, "NUL byte");
		nw = pptpd_split(p, e, w);
		p = e < end ? e + 1 : end;
		if (nw == 0)
			continue;
		for (i = 0; i < PPTPD_NKWS; i++)
			if (pptpd_word_is(&w[0], pptpd_kws[i].name))
				kw = &pptpd_kws[i];
		if (kw == NULL) {
			memcpy(v, w[0].s, w[0].n < 64 ? w[0].n : 64);
			v[w[0].n < 64 ? w[0].n : 64] = '\0';
			cfg_warnf(d, file, line, "unknown keyword \"%s\" "
			    "ignored", cfg_quote(q, sizeof(q), v));
			continue;
		}
		v[0] = '\0';
		if (kw->value) {
			if (nw < 2)
				return cfg_errf(d, ERR_FORMAT, file, line,
				    "%s needs a value", kw->name);
			if (w[1].n >= sizeof(v))
				return cfg_errf(d, ERR_LENGTH, file, line,
				    "%s: value too long", kw->name);
			memcpy(v, w[1].s, w[1].n);
			v[w[1].n] = '\0';
		}
		if (nw > (kw->value ? 2u : 1u))
			cfg_warnf(d, file, line, "%s: extra words ignored%s",
			    kw->name, kw->kind == PK_LOCALIP ||
			    kw->kind == PK_REMOTEIP ? " (no spaces are allowed "
			    "in address lists)" : "");
		if ((ret = pptpd_apply(c, file, line, kw, v)) != 0)
			return ret;
	}
	return 0;
}

/* --- the address pool --- */

/* Expands ranges into out[cap]; *total gets the full count. */
static size_t
pool_expand_list(const struct cfg_range *r, size_t nr, uint32_t *out,
    size_t cap, uint64_t *total)
{
	size_t i, k = 0;
	uint64_t a;

	*total = 0;
	for (i = 0; i < nr; i++) {
		*total += (uint64_t)r[i].last - r[i].first + 1;
		for (a = r[i].first; a <= r[i].last && k < cap; a++)
			out[k++] = (uint32_t)a;
	}
	return k;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool
sorted_has(const uint32_t *v, size_t n, uint32_t a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] == a)
			return true;
		if (v[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Sorts v[n] and drops repeats; returns the new count. */
static size_t
sort_unique(uint32_t *v, size_t n)
{
	size_t i, k = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

int
cfg_pool_expand(struct server_config *c)
{
	struct cfg_diag *d = &c->diag;
	const char *f = c->conf_path[0] != '\0' ? c->conf_path : "pptpd.conf";
	uint32_t *peer = NULL, *local = NULL, *seen = NULL;
	uint64_t nr_total, nl_total, *keys = NULL;
	size_t cap = c->connections, nr, nl, nlu, i, k, ndup;
	bool shared;
	char a[16];
	int ret = ERR_NOMEM;

	if (c->nremote == 0)
		cfg_warnf(d, f, c->local_line, "no remoteip: no address pool, "
		    "only users with a static address in chap-secrets get "
		    "one");
	if (c->nlocal == 0) {
		if (c->nremote > 0)
			return cfg_errf(d, ERR_INVAL, f, c->remote_line,
			    "remoteip needs localip: pptpkit needs a local "
			    "address for its end of the tunnels");
		cfg_warnf(d, f, 0, "no localip: sessions have no local "
		    "address and cannot come up");
		return 0;
	}
	shared = c->nlocal == 1 && c->local[0].first == c->local[0].last;
	c->local_default = c->local[0].first;
	if ((peer = calloc(cap, sizeof(*peer))) == NULL ||
	    (local = calloc(cap, sizeof(*local))) == NULL ||
	    (seen = calloc(cap, sizeof(*seen))) == NULL)
		goto out;
	nr = pool_expand_list(c->remote, c->nremote, peer, cap, &nr_total);
	if (nr_total > nr)
		cfg_warnf(d, f, c->remote_line, "remoteip lists %llu addresses, "
		    "more than connections (%u): only the first %zu are used",
		    (unsigned long long)nr_total, c->connections, nr);
	local[0] = c->local_default;
	if (shared) {
		for (i = 0; i < nr; i++)
			local[i] = c->local_default;
	} else {
		/* pptpd pairs the n-th local with the n-th remote address. */
		nl = pool_expand_list(c->local, c->nlocal, local, cap,
		    &nl_total);
		if (nl < nr) {
			cfg_warnf(d, f, c->local_line, "localip has %zu "
			    "addresses for %zu remote ones: only the first "
			    "%zu remote addresses are used", nl, nr, nl);
			nr = nl;
		}
	}
	nlu = shared || nr == 0 ? 1 : nr;	/* local addresses in use */
	for (i = 0; i < nlu; i++)
		if (!cfg_ipv4_usable(local[i])) {
			ret = cfg_errf(d, ERR_INVAL, f, c->local_line, "localip: "
			    "%s is not a usable address",
			    cfg_ipv4_str(local[i], a));
			goto out;
		}
	memcpy(seen, local, nlu * sizeof(*seen));
	c->nlocal_sorted = sort_unique(seen, nlu);
	c->local_sorted = seen;
	seen = NULL;
	for (i = k = 0; i < nr; i++) {
		if (!cfg_ipv4_usable(peer[i])) {
			ret = cfg_errf(d, ERR_INVAL, f, c->remote_line,
			    "remoteip: %s is not a usable address",
			    cfg_ipv4_str(peer[i], a));
			goto out;
		}
		if (sorted_has(c->local_sorted, c->nlocal_sorted, peer[i])) {
			cfg_warnf(d, f, c->remote_line, "remoteip: %s is also "
			    "a local address; left out of the pool",
			    cfg_ipv4_str(peer[i], a));
			continue;
		}
		peer[k] = peer[i];
		local[k] = local[i];
		k++;
	}
	nr = k;
	/* A repeated remote address would be handed to two peers: keep the
	 * first of each, found by sorting (address, position) keys. */
	if ((keys = calloc(nr + 1, sizeof(*keys))) == NULL)
		goto out;
	for (i = 0; i < nr; i++)
		keys[i] = (uint64_t)peer[i] << 32 | i;
	qsort(keys, nr, sizeof(*keys), cmp_u64);
	for (i = 1, ndup = 0; i < nr; i++)
		if (keys[i] >> 32 == keys[i - 1] >> 32) {
			peer[(uint32_t)keys[i]] = 0;	/* 0 is never usable */
			ndup++;
		}
	if (ndup > 0) {
		cfg_warnf(d, f, c->remote_line, "remoteip lists %zu addresses "
		    "more than once; each is used once", ndup);
		for (i = k = 0; i < nr; i++)
			if (peer[i] != 0) {
				peer[k] = peer[i];
				local[k] = local[i];
				k++;
			}
		nr = k;
	}
	c->pool_peer = peer;
	c->pool_local = local;
	c->pool_n = nr;
	peer = local = NULL;
	ret = 0;
out:
	if (ret == ERR_NOMEM)
		cfg_errf(d, ret, f, 0, "out of memory");
	free(peer);
	free(local);
	free(seen);
	free(keys);
	return ret;
}

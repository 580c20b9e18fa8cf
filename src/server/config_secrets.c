/*
 * config_secrets.c - pppd's chap-secrets (pppd(8), "AUTHENTICATION"):
 * `client server secret [address...]` per line in pppd's word syntax, `*`
 * wildcards for client and server, and pppd's best-match rule for lookups.
 * Of the address list pptpkit takes `*` (any pool address), `-` or nothing
 * (no address: pppd refuses such users an address, and so do we) and one
 * IPv4 address (the user's static address); the rest is warned about.
 * Secrets never appear in messages, and are wiped when dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/secret.h"
#include "config_int.h"

void
server_secrets_free(struct server_secrets *s)
{
	if (s->v != NULL) {
		secret_wipe(s->v, s->cap * sizeof(*s->v));
		free(s->v);
	}
	s->v = NULL;
	s->n = s->cap = 0;
}

/* Room for one more entry; the old array is wiped, never left behind by
 * realloc. */
static int
secrets_grow(struct server_secrets *s)
{
	struct chap_secret *nv;
	size_t ncap;

	if (s->n < s->cap)
		return 0;
	ncap = s->cap == 0 ? 16 : s->cap * 2;
	if ((nv = calloc(ncap, sizeof(*nv))) == NULL)
		return ERR_NOMEM;
	if (s->v != NULL) {
		memcpy(nv, s->v, s->n * sizeof(*nv));
		secret_wipe(s->v, s->cap * sizeof(*s->v));
		free(s->v);
	}
	s->v = nv;
	s->cap = ncap;
	return 0;
}

/* Parse state of the entry being read. */
struct sec_entry {
	struct chap_secret	 e;
	unsigned		 words;		/* fields seen */
	bool			 addr_done;	/* an address word decided */
	bool			 skip;		/* entry unusable; drop */
	bool			 rest_ignored;	/* after `--` */
	bool			 extra_warned;
};

/* One address word of the entry's list. */
static void
sec_addr_word(struct sec_entry *se, struct cfg_diag *d, const char *file,
    int line, const char *w)
{
	char q[CFG_WORD_MAX];
	uint32_t a;

	if (se->rest_ignored)
		return;
	if (strcmp(w, "--") == 0) {
		cfg_warnf(d, file, line, "per-user pppd options after -- are "
		    "ignored");
		se->rest_ignored = true;
		return;
	}
	if (se->addr_done) {
		if (!se->extra_warned)
			cfg_warnf(d, file, line, "only the first address of a "
			    "list is used; the rest is ignored");
		se->extra_warned = true;
		return;
	}
	if (strcmp(w, "*") == 0) {
		se->e.addr_mode = CFG_ADDR_ANY;
		se->addr_done = true;
	} else if (strcmp(w, "-") == 0) {
		se->e.addr_mode = CFG_ADDR_NONE;
		se->addr_done = true;
	} else if (cfg_parse_ipv4(w, strlen(w), &a) == 0) {
		if (!cfg_ipv4_usable(a)) {
			cfg_warnf(d, file, line, "address %s is not usable; "
			    "ignored", cfg_quote(q, sizeof(q), w));
			return;
		}
		se->e.addr_mode = CFG_ADDR_STATIC;
		se->e.addr = a;
		se->addr_done = true;
	} else {
		cfg_warnf(d, file, line, "address %s ignored: pptpkit takes "
		    "*, - or one IPv4 address (no !, subnets or host names)",
		    cfg_quote(q, sizeof(q), w));
	}
}

/* One word of the entry: client, server, secret, then addresses. */
static int
sec_word(struct sec_entry *se, struct cfg_diag *d, const char *file,
    int line, const char *w)
{
	static const char *const field[] = { "client", "server" };
	size_t n = strlen(w);

	if (se->skip)
		return 0;
	switch (se->words++) {
	case 0:
	case 1:
		if (cfg_copy(se->words == 1 ? se->e.client : se->e.server,
		    PPP_NAME_MAX + 1, w) != 0)
			return cfg_errf(d, ERR_LENGTH, file, line, "%s name "
			    "longer than %d characters", field[se->words - 1],
			    PPP_NAME_MAX);
		return 0;
	case 2:
		if (n > PPP_SECRET_MAX)
			return cfg_errf(d, ERR_LENGTH, file, line, "secret "
			    "longer than %d characters", PPP_SECRET_MAX);
		if (w[0] == '@') {
			cfg_warnf(d, file, line, "secrets read from a file "
			    "(@path) are not supported; entry ignored");
			se->skip = true;
			return 0;
		}
		memcpy(se->e.secret, w, n + 1);
		return 0;
	default:
		sec_addr_word(se, d, file, line, w);
		return 0;
	}
}

/* The entry is complete (a new line started, or the end came). */
static int
sec_end(struct sec_entry *se, struct server_secrets *s, struct cfg_diag *d,
    const char *file)
{
	int ret = 0;

	if (se->words == 0)
		return 0;
	if (se->skip)
		goto out;
	if (se->words < 3) {
		cfg_warnf(d, file, se->e.line, "incomplete entry (want client "
		    "server secret [address]); ignored");
		goto out;
	}
	if (se->words == 3)
		cfg_warnf(d, file, se->e.line, "no address field: pppd refuses "
		    "this user any address, and so does pptpkit (write * for "
		    "any address from the pool)");
	if (se->e.secret[0] == '\0')
		cfg_warnf(d, file, se->e.line, "empty secret");
	if ((ret = secrets_grow(s)) != 0) {
		ret = cfg_errf(d, ret, file, se->e.line, "out of memory");
		goto out;
	}
	s->v[s->n++] = se->e;
out:
	secret_wipe(se, sizeof(*se));
	return ret;
}

int
server_secrets_parse(struct server_secrets *s, struct cfg_diag *d,
    const char *file, const char *buf, size_t len)
{
	struct sec_entry se;
	struct cfg_lex lx;
	char w[CFG_WORD_MAX];
	int line, ret;
	bool nl;

	memset(&se, 0, sizeof(se));
	cfg_lex_init(&lx, buf, len);
	for (;;) {
		ret = cfg_lex_word(&lx, w, sizeof(w), &line, &nl);
		if (ret < 0) {
			ret = cfg_errf(d, ret, file, line, ret == ERR_LENGTH ?
			    "word too long" : "unterminated quote, NUL byte or "
			    "backslash at the end");
			break;
		}
		if (ret == 0) {
			ret = sec_end(&se, s, d, file);
			break;
		}
		if (nl) {		/* a new line: a new entry */
			if ((ret = sec_end(&se, s, d, file)) != 0)
				break;
			se.e.line = line;
		}
		if ((ret = sec_word(&se, d, file, line, w)) != 0)
			break;
	}
	secret_wipe(w, sizeof(w));
	secret_wipe(&se, sizeof(se));
	if (ret != 0)
		server_secrets_free(s);
	return ret;
}

/* pppd's score: an exact client beats an exact server; 0 = no match. */
static int
sec_score(const struct chap_secret *e, const char *user, const char *server)
{
	int score = 1;

	if (strcmp(e->client, user) == 0)
		score += 2;
	else if (strcmp(e->client, "*") != 0)
		return 0;
	if (strcmp(e->server, server) == 0)
		score += 1;
	else if (strcmp(e->server, "*") != 0)
		return 0;
	return score;
}

const struct chap_secret *
server_secrets_lookup(const struct server_secrets *s, const char *user,
    const char *server)
{
	const struct chap_secret *best = NULL;
	const char *names[2] = { user, NULL };
	int best_score = 0, k;
	size_t i;

	names[1] = strchr(user, '\\');
	if (names[1] != NULL)
		names[1]++;
	for (k = 0; k < 2 && names[k] != NULL; k++)
		for (i = 0; i < s->n; i++) {
			int sc = sec_score(&s->v[i], names[k], server);

			if (sc > best_score) {
				best_score = sc;
				best = &s->v[i];
			}
		}
	return best;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool
is_local(const struct server_config *c, uint32_t a)
{
	size_t lo = 0, hi = c->nlocal_sorted;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->local_sorted[mid] == a)
			return true;
		if (c->local_sorted[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int
server_config_set_secrets(struct server_config *c, const char *file,
    const char *buf, size_t len)
{
	struct server_secrets s = { 0 };
	uint32_t *addrs;
	size_t i, n;
	char a[16];
	int ret;

	if ((ret = server_secrets_parse(&s, &c->diag, file, buf, len)) != 0)
		return ret;
	for (i = 0; i < s.n; i++)
		if (s.v[i].addr_mode == CFG_ADDR_STATIC &&
		    is_local(c, s.v[i].addr)) {
			cfg_warnf(&c->diag, file, s.v[i].line, "static address "
			    "%s is a local address of the server; this user "
			    "gets no address", cfg_ipv4_str(s.v[i].addr, a));
			s.v[i].addr_mode = CFG_ADDR_NONE;
		}
	/* Two users with one static address cannot be on at once. */
	for (i = n = 0; i < s.n; i++)
		n += s.v[i].addr_mode == CFG_ADDR_STATIC;
	if (n > 1 && (addrs = calloc(n, sizeof(*addrs))) != NULL) {
		for (i = n = 0; i < s.n; i++)
			if (s.v[i].addr_mode == CFG_ADDR_STATIC)
				addrs[n++] = s.v[i].addr;
		qsort(addrs, n, sizeof(*addrs), cmp_u32);
		for (i = 1; i < n; i++)
			if (addrs[i] == addrs[i - 1] &&
			    (i == 1 || addrs[i - 2] != addrs[i]))
				cfg_warnf(&c->diag, file, 0, "static address %s "
				    "belongs to more than one entry; only one "
				    "of them can be connected at a time",
				    cfg_ipv4_str(addrs[i], a));
		free(addrs);
	}
	server_secrets_free(&c->secrets);
	c->secrets = s;
	return 0;
}

size_t
server_config_statics(const struct server_config *c, uint32_t *out,
    size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < c->secrets.n; i++)
		if (c->secrets.v[i].addr_mode == CFG_ADDR_STATIC) {
			if (n < cap)
				out[n] = c->secrets.v[i].addr;
			n++;
		}
	return n;
}

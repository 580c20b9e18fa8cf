/*
 * config_pool.c - the IPv4 address pool (see config_pool.h): entries in
 * remoteip order, an index sorted by address for O(log n) lookups, a ring
 * of free entries (first in, first out) with lazy removal of entries that
 * were taken or reserved while queued, and an open-addressing set for the
 * static addresses held outside the pool.
 */
#include <stdlib.h>
#include <string.h>

#include "config_pool.h"

#define E_USED		0x01	/* held by a session */
#define E_RESERVED	0x02	/* a chap-secrets static address */
#define E_QUEUED	0x04	/* in the free ring */

struct pool {
	size_t		 n;
	uint32_t	*peer, *local;
	uint8_t		*flags;
	uint32_t	*by_addr;	/* entry indices sorted by peer */
	uint32_t	*ring;		/* free entries, capacity n */
	size_t		 head, count;
	size_t		 avail;		/* entries neither used nor reserved */
	size_t		 used;		/* entries used */
	uint32_t	 default_local;
	uint32_t	*outside;	/* held static addresses; 0 = empty */
	size_t		 outside_cap;	/* power of two */
	size_t		 outside_n, outside_max;
};

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Entry index of addr, or -1. */
static long
pool_find(const struct pool *p, uint32_t addr)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t a = p->peer[p->by_addr[mid]];

		if (a == addr)
			return (long)p->by_addr[mid];
		if (a < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void
ring_push(struct pool *p, size_t i)
{
	p->ring[(p->head + p->count) % p->n] = (uint32_t)i;
	p->count++;
	p->flags[i] |= E_QUEUED;
}

/* --- static addresses outside the pool: linear probing --- */

static size_t
out_slot(const struct pool *p, uint32_t a)
{
	return (size_t)((a * 2654435761u) & (p->outside_cap - 1));
}

static bool
out_has(const struct pool *p, uint32_t a)
{
	size_t i;

	for (i = out_slot(p, a); p->outside[i] != 0;
	    i = (i + 1) & (p->outside_cap - 1))
		if (p->outside[i] == a)
			return true;
	return false;
}

static void
out_add(struct pool *p, uint32_t a)
{
	size_t i;

	for (i = out_slot(p, a); p->outside[i] != 0;
	    i = (i + 1) & (p->outside_cap - 1))
		;
	p->outside[i] = a;
	p->outside_n++;
}

/* Removes a, shifting later members of its cluster back (no tombstones). */
static bool
out_del(struct pool *p, uint32_t a)
{
	size_t mask = p->outside_cap - 1, i, j, k;

	for (i = out_slot(p, a); p->outside[i] != a; i = (i + 1) & mask)
		if (p->outside[i] == 0)
			return false;
	p->outside[i] = 0;
	p->outside_n--;
	for (j = (i + 1) & mask; p->outside[j] != 0; j = (j + 1) & mask) {
		k = out_slot(p, p->outside[j]);
		/* move j into the hole at i unless its home k lies in the
		 * cyclic interval (i, j] */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		p->outside[i] = p->outside[j];
		p->outside[j] = 0;
		i = j;
	}
	return true;
}

/* --- the pool --- */

int
pool_new(struct pool **out, const uint32_t *peer, const uint32_t *local,
    size_t n, uint32_t default_local, size_t max_outside)
{
	struct pool *p;
	uint64_t *keys;
	size_t i;

	*out = NULL;
	if ((n == 0 && max_outside == 0) || n > UINT32_MAX)
		return ERR_INVAL;
	for (i = 0; i < n; i++)
		if (peer[i] == 0 || local[i] == 0)
			return ERR_INVAL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ERR_NOMEM;
	p->n = n;
	p->default_local = default_local;
	p->outside_max = max_outside;
	for (p->outside_cap = 8; p->outside_cap < 2 * max_outside;
	    p->outside_cap *= 2)
		;
	if ((p->peer = calloc(n + 1, sizeof(*p->peer))) == NULL ||
	    (p->local = calloc(n + 1, sizeof(*p->local))) == NULL ||
	    (p->flags = calloc(n + 1, 1)) == NULL ||
	    (p->by_addr = calloc(n + 1, sizeof(*p->by_addr))) == NULL ||
	    (p->ring = calloc(n + 1, sizeof(*p->ring))) == NULL ||
	    (p->outside = calloc(p->outside_cap, sizeof(*p->outside)))
	    == NULL) {
		pool_free(p);
		return ERR_NOMEM;
	}
	if (n > 0) {
		memcpy(p->peer, peer, n * sizeof(*peer));
		memcpy(p->local, local, n * sizeof(*local));
	}
	/* the index: (address, entry) keys sorted */
	if ((keys = calloc(n + 1, sizeof(*keys))) == NULL) {
		pool_free(p);
		return ERR_NOMEM;
	}
	for (i = 0; i < n; i++)
		keys[i] = (uint64_t)peer[i] << 32 | i;
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (i = 0; i < n; i++) {
		p->by_addr[i] = (uint32_t)keys[i];
		if (i > 0 && keys[i] >> 32 == keys[i - 1] >> 32) {
			free(keys);
			pool_free(p);
			return ERR_EXISTS;
		}
	}
	free(keys);
	for (i = 0; i < n; i++)
		ring_push(p, i);
	p->avail = n;
	*out = p;
	return 0;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	free(p->peer);
	free(p->local);
	free(p->flags);
	free(p->by_addr);
	free(p->ring);
	free(p->outside);
	free(p);
}

int
pool_alloc(struct pool *p, uint32_t *peer, uint32_t *local)
{
	while (p->count > 0) {
		size_t i = p->ring[p->head];

		p->head = (p->head + 1) % p->n;
		p->count--;
		p->flags[i] &= (uint8_t)~E_QUEUED;
		if (p->flags[i] & (E_USED | E_RESERVED))
			continue;	/* taken or reserved while queued */
		p->flags[i] |= E_USED;
		p->avail--;
		p->used++;
		*peer = p->peer[i];
		*local = p->local[i];
		return 0;
	}
	return ERR_NOSPACE;
}

int
pool_alloc_static(struct pool *p, uint32_t addr, uint32_t *local)
{
	long i;

	if (addr == 0)
		return ERR_INVAL;
	if ((i = pool_find(p, addr)) >= 0) {
		if (p->flags[i] & E_USED)
			return ERR_EXISTS;
		if (!(p->flags[i] & E_RESERVED))
			p->avail--;
		p->flags[i] |= E_USED;	/* if queued, skipped later */
		p->used++;
		*local = p->local[i];
		return 0;
	}
	if (out_has(p, addr))
		return ERR_EXISTS;
	if (p->outside_n >= p->outside_max)
		return ERR_NOSPACE;
	out_add(p, addr);
	*local = p->default_local;
	return 0;
}

int
pool_release(struct pool *p, uint32_t addr)
{
	long i;

	if (addr == 0)
		return ERR_NOTFOUND;
	if ((i = pool_find(p, addr)) >= 0) {
		if (!(p->flags[i] & E_USED))
			return ERR_NOTFOUND;
		p->flags[i] &= (uint8_t)~E_USED;
		p->used--;
		if (!(p->flags[i] & E_RESERVED)) {
			p->avail++;
			if (!(p->flags[i] & E_QUEUED))
				ring_push(p, (size_t)i);
		}
		return 0;
	}
	return out_del(p, addr) ? 0 : ERR_NOTFOUND;
}

int
pool_set_reserved(struct pool *p, const uint32_t *addrs, size_t n)
{
	size_t i;
	long k;

	for (i = 0; i < p->n; i++)
		p->flags[i] &= (uint8_t)~E_RESERVED;
	for (i = 0; i < n; i++)
		if ((k = pool_find(p, addrs[i])) >= 0)
			p->flags[k] |= E_RESERVED;
	p->avail = 0;
	for (i = 0; i < p->n; i++) {
		if (p->flags[i] & (E_USED | E_RESERVED))
			continue;
		p->avail++;
		if (!(p->flags[i] & E_QUEUED))
			ring_push(p, i);
	}
	return 0;
}

bool
pool_contains(const struct pool *p, uint32_t addr)
{
	return pool_find(p, addr) >= 0;
}

bool
pool_held(const struct pool *p, uint32_t addr)
{
	long i = pool_find(p, addr);

	if (i >= 0)
		return (p->flags[i] & E_USED) != 0;
	return addr != 0 && out_has(p, addr);
}

size_t
pool_size(const struct pool *p)
{
	return p->n;
}

size_t
pool_available(const struct pool *p)
{
	return p->avail;
}

size_t
pool_used(const struct pool *p)
{
	return p->used + p->outside_n;
}

/* --- from the configuration --- */

int
server_config_pool_sync(const struct server_config *c, struct pool *p)
{
	size_t n = server_config_statics(c, NULL, 0);
	uint32_t *addrs;
	int ret;

	if ((addrs = calloc(n + 1, sizeof(*addrs))) == NULL)
		return ERR_NOMEM;
	(void)server_config_statics(c, addrs, n);
	ret = pool_set_reserved(p, addrs, n);
	free(addrs);
	return ret;
}

int
server_config_pool_new(const struct server_config *c, struct pool **out)
{
	int ret;

	if ((ret = pool_new(out, c->pool_peer, c->pool_local, c->pool_n,
	    c->local_default, c->connections)) != 0)
		return ret;
	if ((ret = server_config_pool_sync(c, *out)) != 0) {
		pool_free(*out);
		*out = NULL;
	}
	return ret;
}

/*
 * test_server_config_pool.c - the address pool: first-in first-out order,
 * exhaustion, pairs of local and peer addresses, static addresses inside
 * and outside the pool, reservations changing under live sessions, and a
 * long random run checked against a plain model.
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "../src/server/config_pool.h"

#define A(x)	(0x0a000000u | (x))		/* 10.0.x.y */

static struct pool *
mkpool(size_t n, uint32_t first, bool paired, size_t max_outside)
{
	uint32_t peer[64], local[64];
	struct pool *p = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		peer[i] = first + (uint32_t)i;
		local[i] = paired ? A(0x1000) + (uint32_t)i : A(1);
	}
	CHECK_OK(pool_new(&p, peer, local, n, A(1), max_outside));
	return p;
}

TEST(pool_hands_out_in_order_and_reuses_last)
{
	struct pool *p = mkpool(4, A(10), false, 0);
	uint32_t peer, local;

	if (p == NULL)
		return;
	CHECK_EQ(pool_size(p), 4);
	CHECK_EQ(pool_available(p), 4);
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(10));
	CHECK_EQ(local, A(1));
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(11));
	CHECK_OK(pool_release(p, A(10)));
	CHECK_ERR(pool_release(p, A(10)), ERR_NOTFOUND);
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(12));		/* A(10) went to the back */
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(13));
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(10));
	CHECK_ERR(pool_alloc(p, &peer, &local), ERR_NOSPACE);
	CHECK_EQ(pool_available(p), 0);
	CHECK_EQ(pool_used(p), 4);
	CHECK(pool_held(p, A(12)));
	CHECK(pool_contains(p, A(13)));
	CHECK(!pool_contains(p, A(14)));
	CHECK_ERR(pool_release(p, A(99)), ERR_NOTFOUND);
	CHECK_ERR(pool_release(p, 0), ERR_NOTFOUND);
	pool_free(p);
	pool_free(NULL);
}

TEST(pool_pairs_local_with_peer)
{
	struct pool *p = mkpool(3, A(20), true, 2);
	uint32_t peer, local;

	if (p == NULL)
		return;
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(20));
	CHECK_EQ(local, A(0x1000));
	CHECK_OK(pool_alloc_static(p, A(22), &local));
	CHECK_EQ(local, A(0x1002));
	CHECK_OK(pool_alloc_static(p, A(500), &local));	/* outside */
	CHECK_EQ(local, A(1));				/* default_local */
	pool_free(p);
}

TEST(pool_static_addresses_inside_and_outside)
{
	struct pool *p = mkpool(4, A(10), false, 2);
	uint32_t reserved[] = { A(11), A(600) };
	uint32_t peer, local;

	if (p == NULL)
		return;
	CHECK_OK(pool_set_reserved(p, reserved, 2));
	CHECK_EQ(pool_available(p), 3);
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(10));
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(12));		/* A(11) is reserved */
	CHECK_OK(pool_alloc_static(p, A(11), &local));
	CHECK_ERR(pool_alloc_static(p, A(11), &local), ERR_EXISTS);
	CHECK_ERR(pool_alloc_static(p, A(12), &local), ERR_EXISTS);
	CHECK_EQ(pool_available(p), 1);
	CHECK_OK(pool_release(p, A(11)));
	CHECK_EQ(pool_available(p), 1);	/* reserved: not for pool_alloc */
	/* outside the pool: tracked, bounded by max_outside */
	CHECK_OK(pool_alloc_static(p, A(600), &local));
	CHECK_ERR(pool_alloc_static(p, A(600), &local), ERR_EXISTS);
	CHECK_OK(pool_alloc_static(p, A(601), &local));
	CHECK_ERR(pool_alloc_static(p, A(602), &local), ERR_NOSPACE);
	CHECK(pool_held(p, A(601)));
	CHECK_EQ(pool_used(p), 4);
	CHECK_OK(pool_release(p, A(600)));
	CHECK_OK(pool_alloc_static(p, A(602), &local));
	CHECK_ERR(pool_alloc_static(p, 0, &local), ERR_INVAL);
	pool_free(p);
}

TEST(pool_reservations_change_under_live_sessions)
{
	struct pool *p = mkpool(3, A(10), false, 0);
	uint32_t r1[] = { A(10) }, r2[] = { A(12) };
	uint32_t peer, local;

	if (p == NULL)
		return;
	CHECK_OK(pool_alloc(p, &peer, &local));		/* A(10) */
	CHECK_OK(pool_set_reserved(p, r1, 1));		/* in use: stays */
	CHECK(pool_held(p, A(10)));
	CHECK_EQ(pool_available(p), 2);
	CHECK_OK(pool_release(p, A(10)));
	CHECK_EQ(pool_available(p), 2);
	CHECK_OK(pool_set_reserved(p, r2, 1));		/* A(12) queued */
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(11));
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(10));
	CHECK_ERR(pool_alloc(p, &peer, &local), ERR_NOSPACE);
	CHECK_OK(pool_set_reserved(p, NULL, 0));
	CHECK_OK(pool_alloc(p, &peer, &local));
	CHECK_EQ(peer, A(12));
	pool_free(p);
}

TEST(pool_new_refuses_bad_input)
{
	uint32_t peer[] = { A(1), A(2), A(1) }, local[] = { A(9), A(9), A(9) };
	uint32_t zero[] = { A(1), 0 };
	struct pool *p = NULL;
	uint32_t l;

	CHECK_ERR(pool_new(&p, peer, local, 3, A(9), 0), ERR_EXISTS);
	CHECK(p == NULL);
	CHECK_ERR(pool_new(&p, zero, local, 2, A(9), 0), ERR_INVAL);
	CHECK_ERR(pool_new(&p, peer, zero + 1, 1, A(9), 0), ERR_INVAL);
	CHECK_ERR(pool_new(&p, NULL, NULL, 0, 0, 0), ERR_INVAL);
	/* statics only: no range, outside addresses still tracked */
	CHECK_OK(pool_new(&p, NULL, NULL, 0, 0, 1));
	if (p != NULL) {
		uint32_t a, b;

		CHECK_ERR(pool_alloc(p, &a, &b), ERR_NOSPACE);
		CHECK_OK(pool_alloc_static(p, A(5), &l));
		CHECK_EQ(l, 0);
		CHECK(!pool_contains(p, A(5)));
		CHECK_OK(pool_release(p, A(5)));
		CHECK_EQ(pool_used(p), 0);
		pool_free(p);
	}
}

/* A long random run against a model: no address is ever held twice, the
 * allocators fail exactly when the model says they must, the counts
 * agree.  Outside addresses churn through the hash set's deletions. */
TEST(pool_random_run_matches_model)
{
	enum { N = 40, OUT = 300, MAXOUT = 25 };
	uint32_t peer[N], local[N], res[N];
	bool held[N + OUT] = { false }, reserved[N] = { false };
	struct pool *p = NULL;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t i, nres, nout = 0, nheld = 0;
	int step, failures = 0, allocs = 0, statics_out = 0, full = 0;

	for (i = 0; i < N; i++) {
		peer[i] = A(100 + (uint32_t)i);
		local[i] = A(1);
	}
	CHECK_OK(pool_new(&p, peer, local, N, A(1), MAXOUT));
	if (p == NULL)
		return;
	for (step = 0; step < 200000 && failures < 5; step++) {
		uint32_t op, k, a, l, got;
		size_t avail = 0;
		int ret;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		op = (uint32_t)(x % 100);
		k = (uint32_t)((x >> 20) % (N + OUT));
		a = k < N ? peer[k] : A(1000 + k * 7919);	/* scattered */
		for (i = 0; i < N; i++)
			avail += !held[i] && !reserved[i];
		if (op < 35) {
			ret = pool_alloc(p, &got, &l);
			if (avail == 0) {
				failures += ret != ERR_NOSPACE;
				continue;
			}
			k = got - A(100);
			if (ret != 0 || k >= N || held[k] || reserved[k]) {
				failures++;
				continue;
			}
			held[k] = true;
			nheld++;
			allocs++;
		} else if (op < 55) {
			ret = pool_alloc_static(p, a, &l);
			if (held[k])
				failures += ret != ERR_EXISTS;
			else if (k >= N && nout == MAXOUT) {
				failures += ret != ERR_NOSPACE;
				full++;
			}
			else if (ret != 0)
				failures++;
			else {
				held[k] = true;
				nheld++;
				nout += k >= N;
				statics_out += k >= N;
			}
		} else if (op < 98) {
			ret = pool_release(p, a);
			if (!held[k]) {
				failures += ret != ERR_NOTFOUND;
			} else if (ret != 0) {
				failures++;
			} else {
				held[k] = false;
				nheld--;
				nout -= k >= N;
			}
		} else {
			for (i = nres = 0; i < N; i++) {
				reserved[i] = ((x >> (i % 60)) & 7) == 0;
				if (reserved[i])
					res[nres++] = peer[i];
			}
			CHECK_OK(pool_set_reserved(p, res, nres));
		}
		if (pool_used(p) != nheld)
			failures++;
		for (i = avail = 0; i < N; i++)
			avail += !held[i] && !reserved[i];
		if (pool_available(p) != avail)
			failures++;
		if (failures > 0)
			t_note("step %d op %u addr %08x", step, op, a);
	}
	CHECK_EQ(failures, 0);
	t_note("%d allocs, %d outside statics, %d refused as full", allocs,
	    statics_out, full);
	CHECK(allocs > 1000 && statics_out > 1000 && full > 100);
	for (i = 0; i < N + OUT; i++)
		CHECK_EQ(pool_held(p, i < N ? peer[i] : A(1000 + (uint32_t)i *
		    7919)), held[i]);
	pool_free(p);
}

TEST(pool_of_65535_is_fast_both_ways)
{
	enum { N = 65535 };
	uint32_t *peer = malloc(N * sizeof(*peer));
	uint32_t *local = malloc(N * sizeof(*local));
	struct pool *p = NULL;
	uint32_t a, l;
	size_t i;

	for (i = 0; i < N; i++) {
		peer[i] = 0x0b000000u + (uint32_t)(N - i);	/* unsorted */
		local[i] = 0x0a000001u;
	}
	CHECK_OK(pool_new(&p, peer, local, N, 0x0a000001u, N));
	if (p != NULL) {
		for (i = 0; i < N; i++)
			if (pool_alloc(p, &a, &l) != 0 || a != peer[i])
				break;
		CHECK_EQ(i, N);
		for (i = 0; i < N; i++)
			if (pool_release(p, peer[N - 1 - i]) != 0)
				break;
		CHECK_EQ(i, N);
		CHECK_OK(pool_alloc(p, &a, &l));
		CHECK_EQ(a, peer[N - 1]);
		pool_free(p);
	}
	free(peer);
	free(local);
}

/*
 * crypto.c - benchmark of the MPPE data path (RFC 3078/3079) and its
 * primitives: RC4 (ours and nettle's, same run, so the ratio is fair),
 * the RC4 key schedule, GetNewKeyFromSHA (SHA-1 over 112 octets), one MPPE
 * key change, and whole MPPE-128 packets of 1400 octets, stateless (a key
 * change per packet) and stateful, encrypt and decrypt.
 *
 *   make BUILD=build-crypto build-crypto/bench/crypto && build-crypto/bench/crypto
 *
 * Fixed iteration counts (about three seconds in all).  Each test runs
 * REPS times and the best repetition counts; time is the thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), so a shared machine that takes the CPU away
 * now and then does not show up as slowness.  The two RC4s run in
 * alternate repetitions for the same reason.  MB = 10^6 octets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/crypto/mppe.h"
#include "../src/crypto/mppe_keys.h"
#include "../src/crypto/rc4.h"

#define PKT	1400
#define REPS	7

static uint8_t		 buf_in[PKT + 16], buf_out[PKT + 16];
static struct rc4	 own;
static struct rc4_nettle nettle;
static uint8_t		 start_key[16], session_key[16];
static struct mppe_dir	 tx, rx;
static uint8_t		 pkt[PKT + 16];
static size_t		 pktlen;
static volatile unsigned sink;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
t_rc4_own(void)
{
	rc4_crypt(&own, buf_in, buf_out, PKT);
}

static void
t_rc4_nettle(void)
{
	rc4_nettle_crypt(&nettle, buf_in, buf_out, PKT);
}

static void
t_ksa_own(void)
{
	rc4_init(&own, start_key, 16);
	start_key[0] ^= own.S[7];
}

static void
t_ksa_nettle(void)
{
	rc4_nettle_init(&nettle, start_key, 16);
	start_key[0] ^= nettle.n.S[7];
}

static void
t_sha(void)
{
	mppe_get_new_key_from_sha(start_key, session_key, 16, session_key);
}

static void
t_rekey(void)
{
	struct rc4_fast r;

	if (mppe_change_key(start_key, session_key, 128, &r) != 0)
		abort();
	sink += r.S[3];
}

static void
t_encrypt(void)
{
	struct wr w;

	wr_init(&w, buf_out, sizeof(buf_out));
	if (mppe_encrypt(&tx, buf_in, PKT, &w) != 0)
		abort();
}

/* The same packet with the next coherency count each time: the receiver
 * does the work of a real one (key change, RC4) on garbage plaintext. */
static void
t_decrypt(void)
{
	size_t outlen;
	struct rd r;
	unsigned c = (rx.ccount + 1) & 0x0fff;

	pkt[0] = (uint8_t)((pkt[0] & 0xf0) | (c >> 8));
	pkt[1] = (uint8_t)c;
	if (!rx.stateless && (c & 0xff) == 0xff)
		pkt[0] |= 0x80;
	else if (!rx.stateless)
		pkt[0] &= 0x7f;
	rd_init(&r, pkt, pktlen);
	if (mppe_decrypt(&rx, &r, buf_out, sizeof(buf_out), &outlen) != 0)
		abort();
}

/* One repetition of n calls; keeps the best ns per call in *best. */
static void
run_once(void (*fn)(void), unsigned n, double *best)
{
	double t0 = now(), dt;
	unsigned k;

	for (k = 0; k < n; k++)
		fn();
	dt = (now() - t0) * 1e9 / n;
	if (dt < *best)
		*best = dt;
	sink += buf_out[5];
}

/* Best of REPS repetitions of n calls, after a warm-up; ns per call. */
static double
run(void (*fn)(void), unsigned n)
{
	double best = 1e30, warm = 1e30;
	unsigned rep;

	run_once(fn, n / 10 + 1, &warm);
	for (rep = 0; rep < REPS; rep++)
		run_once(fn, n, &best);
	return best;
}

/* Two tests in alternate repetitions, for a fair ratio. */
static void
run_pair(void (*a)(void), void (*b)(void), unsigned n, double *ta, double *tb)
{
	double warm = 1e30;
	unsigned rep;

	*ta = *tb = 1e30;
	run_once(a, n / 10 + 1, &warm);
	run_once(b, n / 10 + 1, &warm);
	for (rep = 0; rep < REPS; rep++) {
		run_once(a, n, ta);
		run_once(b, n, tb);
	}
}

static void
report(const char *name, double ns, unsigned octets)
{
	if (octets > 0)
		printf("%-34s %9.1f ns/op %9.1f MB/s\n", name, ns,
		    octets / ns * 1e3);
	else
		printf("%-34s %9.1f ns/op\n", name, ns);
}

static void
mppe_pair(bool stateless)
{
	struct wr w;

	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
	if (mppe_dir_init(&tx, start_key, 128, stateless) != 0 ||
	    mppe_dir_init(&rx, start_key, 128, stateless) != 0)
		abort();
	wr_init(&w, pkt, sizeof(pkt));
	if (mppe_encrypt(&tx, buf_in, PKT, &w) != 0)
		abort();
	pktlen = wr_len(&w);
	rx.ccount = tx.ccount;			/* as if packet 0 had come */
}

int
main(void)
{
	double ours, theirs, ksa_ours, ksa_theirs, sha, rekey;
	double enc_sl, dec_sl, enc_sf, dec_sf;
	unsigned i;

	for (i = 0; i < sizeof(buf_in); i++)
		buf_in[i] = (uint8_t)(i * 7 + 3);
	memcpy(start_key, "0123456789abcdef", 16);
	memcpy(session_key, "fedcba9876543210", 16);
	rc4_init(&own, start_key, 16);
	rc4_nettle_init(&nettle, start_key, 16);

	run_pair(t_rc4_own, t_rc4_nettle, 30000, &ours, &theirs);
	run_pair(t_ksa_own, t_ksa_nettle, 100000, &ksa_ours, &ksa_theirs);
	sha = run(t_sha, 300000);
	rekey = run(t_rekey, 50000);
	mppe_pair(true);
	enc_sl = run(t_encrypt, 20000);
	dec_sl = run(t_decrypt, 20000);
	mppe_pair(false);
	enc_sf = run(t_encrypt, 30000);
	dec_sf = run(t_decrypt, 30000);

	printf("pptpkit crypto bench (best of %d; RC4 used by MPPE: %s)\n",
	    REPS, RC4_FAST_NAME);
	report("rc4 ours 1400 B", ours, PKT);
	report("rc4 nettle 1400 B", theirs, PKT);
	printf("%-34s %9.2f\n", "rc4 speed ratio ours/nettle", theirs / ours);
	report("rc4 key setup 16 B, ours", ksa_ours, 0);
	report("rc4 key setup 16 B, nettle", ksa_theirs, 0);
	report("GetNewKeyFromSHA (SHA-1, 112 B)", sha, 0);
	report("MPPE key change, 128-bit", rekey, 0);
	report("MPPE-128 stateless encrypt 1400 B", enc_sl, PKT);
	report("MPPE-128 stateless decrypt 1400 B", dec_sl, PKT);
	report("MPPE-128 stateful encrypt 1400 B", enc_sf, PKT);
	report("MPPE-128 stateful decrypt 1400 B", dec_sf, PKT);
	mppe_dir_fini(&tx);
	mppe_dir_fini(&rx);
	return sink == 0x12345678 ? 1 : 0;
}

/*
 * mss.c - benchmark of TCP MSS clamping (src/wire/ip.h, RFC 9293 3.7.1,
 * RFC 1624) as the data path runs it: on every packet.  A stream of
 * 1400-octet non-SYN TCP segments (IPv4 and IPv6; the common case, which
 * must cost a few header checks), and SYNs that are clamped each time
 * (IPv4 and IPv6 with the Linux option layout, and IPv6 behind a Hop-by-Hop
 * header).  Each is timed against a plain memcpy of the same packets in
 * the same run, in alternate repetitions, and the ratio clamp/memcpy is
 * printed.
 *
 *   make BUILD=build-mss build-mss/bench/mss && build-mss/bench/mss
 *
 * Best of REPS repetitions; time is the thread's CPU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/wire/ip.h"

#define PKT	1400
#define NPKT	64		/* packets in a stream, cycled */
#define REPS	7

static uint8_t		 stream[NPKT][PKT];
static size_t		 stream_len[NPKT];
static size_t		 mss_at[NPKT];	/* SYN streams: MSS value offset */
static uint8_t		 saved[NPKT][4];	/* SYN streams: MSS + checksum */
static size_t		 ck_at[NPKT];
static uint8_t		 dst[PKT];
static unsigned		 next;
static bool		 restore;
static volatile unsigned sink;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Builds packet k of a stream: IPv4 or IPv6 (with a Hop-by-Hop header if
 * hbh), TCP with the given flags and options, padded with data to total
 * octets.  Checksums are left as they fall: the clamp does not check them
 * and updates them incrementally all the same.
 */
static void
build(unsigned k, bool v6, bool hbh, uint8_t flags, const uint8_t *opt,
    size_t optlen, size_t total)
{
	uint8_t *p = stream[k];
	size_t l4 = v6 ? IPV6_HDR_LEN + (hbh ? 8 : 0) : IPV4_HDR_MIN, i;

	memset(p, 0, PKT);
	for (i = 0; i < total; i++)
		p[i] = (uint8_t)(i * 31 + k);
	if (!v6) {
		p[0] = 0x45;
		p[1] = 0;
		put16(p + 2, (unsigned)total);
		put16(p + 6, 0x4000);		/* DF */
		p[8] = 64;
		p[9] = IP_PROTO_TCP;
	} else {
		p[0] = 0x60;
		put16(p + 4, (unsigned)(total - IPV6_HDR_LEN));
		p[6] = hbh ? IP_PROTO_HOPOPTS : IP_PROTO_TCP;
		p[7] = 64;
		if (hbh)
			memcpy(p + IPV6_HDR_LEN, "\x06\x00\x01\x04\0\0\0\0", 8);
	}
	p[l4 + 12] = (uint8_t)((5 + optlen / 4) << 4);
	p[l4 + 13] = flags;
	memcpy(p + l4 + TCP_HDR_MIN, opt, optlen);
	stream_len[k] = total;
	ck_at[k] = l4 + 16;
	mss_at[k] = l4 + TCP_HDR_MIN + 2;	/* MSS first */
	memcpy(saved[k], p + mss_at[k], 2);
	memcpy(saved[k] + 2, p + ck_at[k], 2);
}

static void
t_clamp(void)
{
	unsigned k = next++ % NPKT;
	bool changed;

	if (restore) {			/* put the MSS back: 2 x 2 octets */
		memcpy(stream[k] + mss_at[k], saved[k], 2);
		memcpy(stream[k] + ck_at[k], saved[k] + 2, 2);
	}
	if (ip_mss_clamp(stream[k], stream_len[k], 1360, 1340, &changed) != 0)
		abort();
	sink += changed;
}

static void
t_memcpy(void)
{
	unsigned k = next++ % NPKT;

	memcpy(dst, stream[k], stream_len[k]);
	sink += dst[k];
}

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
}

/* The clamp and memcpy in alternate repetitions, for a fair ratio. */
static void
run_pair(const char *name, unsigned n, unsigned expect_changed)
{
	double tc = 1e30, tm = 1e30, warm = 1e30;
	unsigned rep, before;

	next = 0;
	before = sink;
	t_clamp();
	if (sink - before != expect_changed)	/* the stream is what we say */
		abort();
	run_once(t_clamp, n / 10 + 1, &warm);
	run_once(t_memcpy, n / 10 + 1, &warm);
	for (rep = 0; rep < REPS; rep++) {
		run_once(t_clamp, n, &tc);
		run_once(t_memcpy, n, &tm);
	}
	printf("%-36s %7.2f ns/pkt  memcpy %7.2f ns/pkt  ratio %.3f\n",
	    name, tc, tm, tc / tm);
}

int
main(void)
{
	static const uint8_t ts[] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0 };
	static const uint8_t syn[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 7,
	    0xfc, 0x21, 0, 0, 0, 0, 1, 3, 3, 10 };	/* Linux's SYN options */
	unsigned k;

	printf("pptpkit MSS clamp bench (best of %d; limits 1360/1340)\n",
	    REPS);
	restore = false;
	for (k = 0; k < NPKT; k++)
		build(k, false, false, k % 3 ? TCP_FLAG_ACK :
		    TCP_FLAG_ACK | TCP_FLAG_PSH, ts, sizeof(ts), PKT);
	run_pair("ipv4 tcp non-SYN 1400 B", 2000000, 0);
	for (k = 0; k < NPKT; k++)
		build(k, true, false, TCP_FLAG_ACK, ts, sizeof(ts), PKT);
	run_pair("ipv6 tcp non-SYN 1400 B", 2000000, 0);

	restore = true;
	for (k = 0; k < NPKT; k++)
		build(k, false, false, k % 2 ? TCP_FLAG_SYN :
		    TCP_FLAG_SYN | TCP_FLAG_ACK, syn, sizeof(syn), 60);
	run_pair("ipv4 SYN 60 B (clamped)", 2000000, 1);
	for (k = 0; k < NPKT; k++)
		build(k, true, false, TCP_FLAG_SYN, syn, sizeof(syn), 80);
	run_pair("ipv6 SYN 80 B (clamped)", 2000000, 1);
	for (k = 0; k < NPKT; k++)
		build(k, true, true, TCP_FLAG_SYN, syn, sizeof(syn), 88);
	run_pair("ipv6 hop-by-hop SYN 88 B (clamped)", 2000000, 1);
	return sink == 0x12345678 ? 1 : 0;
}

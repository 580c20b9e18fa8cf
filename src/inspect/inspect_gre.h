/*
 * inspect_gre.h - the analyzer's data-path measurements: per-direction GRE
 * extras (out of window, round-trip time from acks, largest packets, DF),
 * a bounded time series per direction for plots, the call's MTU findings
 * (inner TCP MSS against the tunnel MTU), and IP fragment reassembly.
 * Included by inspect.h: data types and prototypes only.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_GRE_H
#define PPTPKIT_INSPECT_INSPECT_GRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct inspect;
struct ins_call;
struct ins_finding;
struct jw;

/*
 * A time series with a bounded number of bins: when a sample falls past the
 * last bin, the bin width doubles and neighbouring bins merge, so a call
 * of any length fits in INS_SERIES_BINS bins.
 */
#define INS_SERIES_BINS	256

struct ins_series {
	uint64_t	t0_us;		/* start of bin 0; 0 = no sample yet */
	uint64_t	bin_us;		/* width of one bin */
	unsigned	nbins;		/* bins in use */
	uint64_t	bytes[INS_SERIES_BINS];
	uint32_t	packets[INS_SERIES_BINS];
	uint32_t	lost[INS_SERIES_BINS];	/* sequence gaps opened */
};

/* Extra GRE statistics of one direction (filled by inspect_gre.c). */
struct ins_gre_ext {
	unsigned	out_of_window;	/* seq beyond the peer's last ack + window */
	unsigned	largest;	/* largest GRE packet, octets */
	unsigned	largest_frame;
	unsigned	rtt_samples;
	uint64_t	rtt_min_us, rtt_sum_us, rtt_max_us;
};

/* MTU evidence of one call. */
struct ins_call_mtu {
	unsigned	largest_ip[2];		/* largest outer IP packet per dir */
	unsigned	df_oversize;		/* DF set and larger than ... */
	unsigned	df_oversize_frame;
	unsigned	gre_fragments;		/* outer fragments of this call */
	unsigned	gre_reassembled;
	unsigned	fragment_frame;
	unsigned	mss_max[2];		/* inner SYN MSS per direction */
	unsigned	mss_frame[2];
};

/* Adds one sample at ts_us to s. */
void ins_series_add(struct ins_series *s, uint64_t ts_us, unsigned bytes,
    unsigned lost);

/* inner IP packet (cleartext or decrypted) of call direction d. */
void ins_inner_ip(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n);

/* Report sections (text lines are indented two or four spaces). */
void ins_gre_ext_text(const struct ins_call *c, int d, FILE *out);
void ins_gre_ext_json(struct jw *w, const struct ins_call *c, int d);
void ins_mtu_text(const struct ins_call *c, FILE *out);
void ins_mtu_json(struct jw *w, const struct ins_call *c);
/* MTU findings of call c appended to out[cap]; returns how many. */
size_t ins_mtu_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap);

#endif

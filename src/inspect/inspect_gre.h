/*
 * inspect_gre.h - the analyzer's data-path measurements: per-direction GRE
 * extras (out of window, round-trip time from acks, largest packets), a
 * bounded time series per direction for plots, the call's MTU findings
 * (outer packet sizes, DF, fragmented GRE, inner TCP MSS against the
 * tunnel MTU), IP fragment reassembly (RFC 791 3.2, RFC 8200 4.5), the
 * GRE call lookup cache, and the reader's progress line.
 * Included by inspect.h: data types and prototypes only.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_GRE_H
#define PPTPKIT_INSPECT_INSPECT_GRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Included by inspect.h after struct ins_addr. */
struct inspect;
struct ins_addr;
struct ins_call;
struct ins_finding;
struct jw;

/*
 * A time series with a bounded number of bins: when a sample falls past the
 * last bin, the bin width doubles and neighbouring bins merge, so a call
 * of any length fits in INS_SERIES_BINS bins.  Bin i covers
 * [t0_us + i * bin_us, t0_us + (i + 1) * bin_us); a sample earlier than t0_us
 * (a clock step back in the capture) is counted in bin 0.
 */
#define INS_SERIES_BINS		256
#define INS_SERIES_BIN0_US	1000	/* first bin width: 1 ms */

struct ins_series {
	uint64_t	t0_us;		/* start of bin 0 (the first sample) */
	uint64_t	bin_us;		/* width of one bin; 0 = no sample yet */
	unsigned	nbins;		/* bins in use; 0 = no sample yet */
	uint64_t	bytes[INS_SERIES_BINS];	/* GRE octets */
	uint32_t	packets[INS_SERIES_BINS];
	uint32_t	lost[INS_SERIES_BINS];	/* sequence gaps opened */
};

/*
 * Round-trip time from acknowledgments: a sent sequence number and its time
 * wait in a small ring until the other direction acknowledges it (first
 * Acknowledgment Number >= seq).  A full ring skips new numbers until acks
 * drain it; a sample older than INS_RTT_MAX_AGE_US is given up.
 */
#define INS_RTT_RING		16
#define INS_RTT_MAX_AGE_US	60000000u	/* 60 s */
/* RFC 2637 gives no default receive window; when the call's
 * OCRQ/OCRP/ICRP/ICCN is not in the capture, this one is assumed. */
#define INS_WINDOW_DEFAULT	64

enum ins_win_src {
	INS_WIN_DEFAULT = 0,	/* INS_WINDOW_DEFAULT assumed */
	INS_WIN_OCRQ, INS_WIN_OCRP, INS_WIN_ICRP, INS_WIN_ICCN,
};

struct ins_rtt_sample {
	uint32_t	seq;
	uint64_t	ts_us;
};

/* Extra GRE statistics of one direction (filled by inspect_gre.c). */
struct ins_gre_ext {
	/* sequence numbers beyond the receiver's last ack + its window */
	unsigned	out_of_window;
	unsigned	oow_frame;	/* the first such packet */
	uint32_t	oow_ahead_max;	/* largest seq - ack seen beyond it */
	uint16_t	peer_window;	/* the receiver's Packet Recv. Window */
	uint8_t		window_src;	/* enum ins_win_src */
	unsigned	window_stamp;	/* lookup state (inspect_gre.c) */
	unsigned	largest;	/* largest GRE packet, octets */
	unsigned	largest_frame;
	/* round trip: this direction's seq to the other direction's ack */
	unsigned	rtt_samples;
	uint64_t	rtt_min_us, rtt_sum_us, rtt_max_us;
	unsigned	rtt_head, rtt_n;	/* ring of pending samples */
	struct ins_rtt_sample rtt_ring[INS_RTT_RING];
};

/*
 * MTU evidence of one call.  Direction d is as in struct ins_gre_dir.
 * "Tunnel MTU" of direction d: the MRU the receiver of d asked for in LCP
 * (the MRU option in the Configure-Ack sent by d's sender, default 1500,
 * RFC 1661 6.1) less 4 when MPPE is in use (2 MPPE header + 2 protocol
 * octets, as pppd's MPPE_PAD).
 */
#define INS_PATH_MTU		1500	/* a typical path MTU */
#define INS_MPPE_OVERHEAD	4

struct ins_call_mtu {
	unsigned	largest_ip[2];		/* largest outer IP packet per dir */
	unsigned	largest_ip_frame[2];
	unsigned	df_oversize;		/* DF (or IPv6) and > INS_PATH_MTU */
	unsigned	df_oversize_frame;	/* the first */
	unsigned	df_oversize_max;	/* the largest such packet */
	unsigned	gre_fragments;		/* outer fragments of this call */
	unsigned	gre_reassembled;	/* datagrams they made */
	unsigned	fragment_frame;		/* the first completing frame */
	unsigned	ppp_largest[2];		/* PPP information field, octets */
	unsigned	ppp_largest_frame[2];
	unsigned	inner_largest[2];	/* inner IP packets (clear/decrypted) */
	unsigned	inner_largest_frame[2];
	unsigned	mss_syns[2];		/* inner TCP SYNs with an MSS option */
	unsigned	mss_max[2];		/* largest inner SYN MSS per dir */
	unsigned	mss_frame[2];
	unsigned	mss_over[2];		/* SYNs whose MSS + headers exceed
						 * the tunnel MTU toward them */
	unsigned	mss_over_frame[2];
	unsigned	mss_over_mtu[2];	/* that tunnel MTU, at the first */
};

/* The outer IP packet a GRE packet came in (inspect_net.c). */
struct ins_outer {
	unsigned	ip_len;		/* octets on the wire: the IP total
					 * length; for a reassembled datagram
					 * its largest fragment */
	bool		df;		/* IPv4 DF set, or IPv6 (routers never
					 * fragment it) */
	unsigned	frags;		/* fragments reassembled; 0 = whole */
};

/*
 * IP fragment reassembly: at most INS_FRAG_SLOTS datagrams in flight, each
 * up to INS_FRAG_MAX payload octets, given up INS_FRAG_TIMEOUT_US of capture
 * time after its first fragment (RFC 791's 15 s upper bound doubled), the
 * oldest evicted when the table is full.  Held data is tracked in 8-octet
 * units (the fragment offset's unit); a unit already held is kept (first
 * copy wins) and the overlap counted.
 */
#define INS_FRAG_SLOTS		16
#define INS_FRAG_MAX		65536
#define INS_FRAG_UNITS		(INS_FRAG_MAX / 8)
#define INS_FRAG_TIMEOUT_US	30000000u

struct ins_frag {
	bool		used;
	bool		busy;		/* being delivered: not to be evicted */
	bool		v6;
	bool		have_proto;	/* IPv6: the offset-0 fragment came */
	uint8_t		proto;
	uint32_t	id;
	struct ins_addr	src, dst;
	uint64_t	first_ts;
	unsigned	nfrags;
	unsigned	largest;	/* largest fragment on the wire */
	uint32_t	end;		/* highest payload octet + 1 held */
	uint32_t	total;		/* payload length once the last came */
	bool		have_last;
	unsigned	units;		/* 8-octet units held */
	uint8_t		map[INS_FRAG_UNITS / 8];
	uint8_t		data[INS_FRAG_MAX];
};

/* A direct-mapped cache (src, dst, key) -> call and direction, valid while
 * no call was created or changed since it was filled. */
#define INS_GRE_CACHE		64

struct ins_gre_cache {
	bool		used;
	uint8_t		d;
	uint16_t	key;
	uint16_t	idx;		/* into ins->calls */
	unsigned	call_id;
	unsigned	stamp_calls, stamp_tcp, stamp_gen;
	struct ins_addr	src, dst;
};

/* The network layer's state (fragments, cache): see INS_NET(). */
struct ins_net {
	unsigned	frag_used;
	unsigned	gen;		/* bumped when ins_gre pairs a call */
	struct ins_gre_cache cache[INS_GRE_CACHE];
	struct ins_frag	frag[INS_FRAG_SLOTS];
};

/* Where struct inspect keeps its struct ins_net (one place to change). */
#define INS_NET(ins)	(&(ins)->net)

/* Adds one sample at ts_us to s. */
void ins_series_add(struct ins_series *s, uint64_t ts_us, unsigned bytes,
    unsigned lost);

/* One GRE packet from src to dst that came in outer (NULL: unknown);
 * ins_gre() is this with NULL. */
void ins_gre_pkt(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, const struct ins_outer *outer,
    const uint8_t *p, size_t n);

/* inspect_mtu.c: the outer packet and the PPP frame of a GRE packet of
 * call direction d (ppp_info: the PPP information field's octets). */
void ins_mtu_outer(struct inspect *ins, struct ins_call *call, int d,
    const struct ins_outer *outer, size_t ppp_info);

/* inner IP packet (cleartext or decrypted) of call direction d. */
void ins_inner_ip(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n);

/* The tunnel MTU of direction d as negotiated so far (see above). */
unsigned ins_tunnel_mtu(const struct ins_call *c, int d);
/* The LCP MRU for frames of direction d (1500 when none was agreed). */
unsigned ins_call_mru(const struct ins_call *c, int d);

/* Report sections (text lines are indented two or four spaces). */
void ins_gre_ext_text(const struct ins_call *c, int d, FILE *out);
void ins_gre_ext_json(struct jw *w, const struct ins_call *c, int d);
void ins_mtu_text(const struct ins_call *c, FILE *out);
void ins_mtu_json(struct jw *w, const struct ins_call *c);
/* MTU findings of call c appended to out[cap]; returns how many. */
size_t ins_mtu_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap);

/*
 * inspect_read.c: the progress line for done of total octets (total 0:
 * unknown) read in secs seconds, packets frames, at most width columns:
 * "[#######.............]  35%  412.3 MB/s  1234567 packets".  Writes a
 * NUL-terminated line (no CR, no newline) into buf[cap] and returns its
 * length (as snprintf, cut to cap - 1).
 */
size_t ins_progress_line(char *buf, size_t cap, uint64_t done,
    uint64_t total, double secs, uint64_t packets, unsigned width);

#endif

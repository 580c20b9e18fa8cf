/*
 * cap.h - walks a pcap/pcapng file for the tests: strips the link layer
 * (Ethernet with 802.1Q/QinQ, Linux cooked v1/v2, raw IP, BSD loopback),
 * follows IPv4/IPv6 and IP-in-IP tunnels to the innermost IP header that
 * carries TCP or GRE, and reassembles TCP streams per direction so PPTP
 * control messages come out whole, with retransmitted bytes delivered once.
 *
 * This is test support; the product's capture reader lives in src/inspect.
 */
#ifndef PPTPKIT_TESTS_CAP_H
#define PPTPKIT_TESTS_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cap_pkt {
	unsigned	 frame;		/* 1-based, as tshark numbers them */
	char		 src[48];	/* innermost IP addresses, text */
	char		 dst[48];
	uint8_t		 proto;		/* IPPROTO_TCP, IPPROTO_GRE, ... */
	const uint8_t	*l4;		/* the IP payload (GRE packet, TCP segment) */
	size_t		 l4len;
	bool		 fragment;	/* a non-first or incomplete IP fragment */
};

/* Called for each IP packet; return nonzero to stop. */
typedef int (*cap_pkt_fn)(const struct cap_pkt *p, void *ctx);

/*
 * Called with each newly in-order chunk of a TCP stream (retransmitted or
 * duplicated bytes are not delivered twice).  `frame` is the frame whose
 * segment completed the chunk; src/dst/sport/dport name the direction.
 */
typedef int (*cap_stream_fn)(const struct cap_pkt *p, uint16_t sport,
    uint16_t dport, const uint8_t *data, size_t len, void *ctx);

struct cap_stats {
	unsigned	packets;	/* frames in the file */
	unsigned	tcp_segments;	/* TCP segments with payload */
	unsigned	tcp_retrans;	/* of those, fully duplicate */
};

/* Walks path.  pkt_fn and stream_fn may be NULL.  stream_fn sees only TCP
 * port `port` (either side).  Returns 0 or -1 if the file cannot be read. */
int cap_walk(const char *path, uint16_t port, cap_pkt_fn pkt_fn,
    cap_stream_fn stream_fn, void *ctx, struct cap_stats *st);

#endif

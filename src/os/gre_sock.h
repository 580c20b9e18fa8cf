/*
 * gre_sock.h - the raw IPv4 socket for protocol 47 that carries PPTP's
 * enhanced GRE (RFC 2637 section 4.1) between us and the peers.
 *
 * One socket serves every call: the kernel hands it every GRE packet
 * addressed to this host (to its bound address, if bound), and the glue
 * finds the call by the Call ID in the GRE key.  What the socket reads is
 * the whole IPv4 packet; gre_sock_recv checks the IPv4 header (version, IHL,
 * total length, protocol, all through a bounds-checked cursor, never trusted)
 * and returns the source address and the GRE part after the header.  What
 * it sends is the GRE header and payload; the kernel adds the IPv4 header.
 *
 * Open it before answering the call.  While no socket of protocol 47 is
 * open and no GRE module handles the packet, the kernel answers each GRE
 * packet with ICMP protocol-unreachable (RFC 1122 3.2.2.1), and a peer that
 * gets one for its first data packet may drop the call.  So: the server opens
 * the socket at start-up, the client before it sends Outgoing-Call-Request.
 *
 * Batches both ways, with no allocation per packet: gre_sock_open allocates
 * GRE_SOCK_BATCH receive and GRE_SOCK_BATCH send buffers of GRE_SOCK_PKT_MAX
 * bytes once.  recvmmsg fills up to a batch per call; outgoing packets are
 * built in place in a send slot (or copied into one) and leave in one
 * sendmmsg at gre_sock_flush.  GRE is a datagram service: a packet the kernel
 * will not take is dropped and counted, as a router would.
 *
 * Functions return 0 or a negative ERR_* of err.h; ERR_SYS leaves errno as
 * the system call set it.  Needs CAP_NET_RAW.
 */
#ifndef PPTPKIT_OS_GRE_SOCK_H
#define PPTPKIT_OS_GRE_SOCK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

#define GRE_SOCK_BATCH		32	/* packets per recvmmsg / sendmmsg */
#define GRE_SOCK_PKT_MAX	4096	/* IPv4 packet in, GRE packet out */
#define GRE_SOCK_IPPROTO	47	/* IPPROTO_GRE, RFC 2784 */

struct gre_sock;

/* A received GRE packet. */
struct gre_pkt {
	struct in_addr	 src;		/* IPv4 source: the peer */
	struct in_addr	 dst;		/* IPv4 destination: us */
	const uint8_t	*gre;		/* GRE header and payload */
	size_t		 len;		/* bytes at gre */
};

struct gre_sock_stats {
	uint64_t	rx_packets;	/* returned by gre_sock_recv */
	uint64_t	rx_bad_ip;	/* IPv4 header failed the checks */
	uint64_t	rx_truncated;	/* longer than GRE_SOCK_PKT_MAX */
	uint64_t	tx_packets;	/* taken by the kernel */
	uint64_t	tx_dropped;	/* refused by the kernel */
	int		tx_last_errno;	/* errno of the last refusal */
};

/*
 * Opens the raw socket (non-blocking, close-on-exec) and its buffers; with
 * local not NULL, binds it to that address so only GRE sent to it arrives.
 * *out is NULL on error.  ERR_NOMEM, ERR_SYS (EPERM without CAP_NET_RAW,
 * EADDRNOTAVAIL for a local address not on this host).
 */
int gre_sock_open(struct gre_sock **out, const struct in_addr *local) MUST_CHECK;

/* Closes the socket and frees the buffers; queued packets are dropped.
 * NULL is ignored. */
void gre_sock_close(struct gre_sock *s);

/* The fd, to watch with the event loop for EV_READ. */
int gre_sock_fd(const struct gre_sock *s);

/* Accepts GRE from `peer` only (the client's one server).  ERR_SYS. */
int gre_sock_connect(struct gre_sock *s, struct in_addr peer) MUST_CHECK;

/*
 * Receives up to max packets (max is capped at GRE_SOCK_BATCH) into out[];
 * *out_n is the count, 0 when nothing valid was waiting.  out[i].gre points
 * into the socket's buffers and stays valid until the next gre_sock_recv or
 * gre_sock_close.  Packets with a bad IPv4 header or too long are counted in
 * the stats and skipped.  ERR_INVAL for max 0; ERR_SYS if recvmmsg fails
 * other than with EAGAIN.
 */
int gre_sock_recv(struct gre_sock *s, struct gre_pkt *out, size_t max,
    size_t *out_n) MUST_CHECK;

/*
 * The next send slot, GRE_SOCK_PKT_MAX bytes in *cap: build a GRE packet
 * in place, then gre_sock_tx_commit it.  If every slot is queued, flushes
 * first (refusals are counted in the stats).  Never NULL.
 */
uint8_t *gre_sock_tx_buf(struct gre_sock *s, size_t *cap);

/* Queues the slot of the last gre_sock_tx_buf, len bytes to dst.
 * ERR_INVAL for len 0 or above GRE_SOCK_PKT_MAX (nothing queued). */
int gre_sock_tx_commit(struct gre_sock *s, struct in_addr dst,
    size_t len) MUST_CHECK;

/* Copies pkt into a send slot and queues it: tx_buf + memcpy + tx_commit. */
int gre_sock_send(struct gre_sock *s, struct in_addr dst, const void *pkt,
    size_t len) MUST_CHECK;

/* Packets queued and not flushed yet. */
size_t gre_sock_tx_pending(const struct gre_sock *s);

/*
 * Sends every queued packet with sendmmsg and empties the queue.  Returns 0
 * when the kernel took all of them, else ERR_SYS with errno of the first
 * refusal (EAGAIN: socket buffer full, EMSGSIZE, EHOSTUNREACH...); refused
 * packets are dropped and counted.  Call it once per batch of output, e.g.
 * at the end of the callback that produced it.
 */
int gre_sock_flush(struct gre_sock *s);

/* Counters since open. */
const struct gre_sock_stats *gre_sock_stats(const struct gre_sock *s);

/*
 * The check gre_sock_recv applies to each packet, exposed for tests: pkt is a
 * whole IPv4 packet as a raw socket delivers it.  Checks version 4, IHL at
 * least 5 and within len, total length at least the header and at most len
 * (bytes past it are link padding and ignored), protocol 47.  Fills out (gre
 * points into pkt).  ERR_TRUNCATED, ERR_VERSION, ERR_LENGTH, ERR_PROTO.
 */
int gre_sock_parse_ipv4(const uint8_t *pkt, size_t len,
    struct gre_pkt *out) MUST_CHECK;

#endif

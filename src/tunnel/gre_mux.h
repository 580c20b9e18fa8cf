/*
 * gre_mux.h - one raw GRE socket shared by every call of a process, with
 * the demultiplexer that hands each received packet to its call (RFC 2637
 * section 4.1: the Key's low half is the receiver's Call ID).
 *
 * A call is known by (peer IPv4 address, our Call ID): the Call ID alone is
 * not enough when several clients hide behind one NAT or when two peers
 * picked the same number, and the peer address alone is not enough when one
 * peer runs several calls.  The table is open addressing with linear
 * probing, sized once at gre_mux_new for cfg.max_calls calls (a power of two
 * at least twice that, so a probe run stays short), holding pointers to
 * struct gre_mux_entry nodes that the calls embed: nothing is allocated per
 * packet or per call.  The hash is keyed with a random seed drawn at
 * gre_mux_new, so a peer cannot choose addresses and IDs that collide.
 * Deletion shifts the probe run back (no tombstones), so the table never
 * degrades.
 *
 * Receive: the socket is watched for EV_READ; each callback reads up to
 * GRE_MUX_RX_ROUNDS batches of GRE_SOCK_BATCH packets (recvmmsg), decodes
 * each with gre_decode and calls the entry's rx function with the decoded
 * header and payload.  What is not enhanced GRE version 1 (plain GRE,
 * version 0, is a different protocol), what does not decode, and what comes
 * from an unknown (peer, Call ID) - GRE from a stranger - is counted and
 * dropped and never reaches a call.  After each batch the transmit queue is
 * flushed, so the acks and replies the batch provoked leave in one sendmmsg.
 *
 * Send: gre_mux_send encodes the header and copies the payload straight
 * into the socket's next send slot; the slots leave at gre_mux_flush (one
 * sendmmsg), or earlier when all GRE_SOCK_BATCH slots are taken.  Whoever
 * produced packets outside the mux's own read callback (a TUN callback, a
 * timer, an API call) calls gre_mux_flush at its end.
 *
 * The socket is opened by gre_mux_new, before any call can be answered:
 * while no protocol-47 socket is open, the kernel answers a peer's first GRE
 * packet with ICMP protocol-unreachable and the peer may drop the call
 * (pptpd does).
 *
 * Not thread-safe: one mux per event loop.  Needs CAP_NET_RAW.
 */
#ifndef PPTPKIT_TUNNEL_GRE_MUX_H
#define PPTPKIT_TUNNEL_GRE_MUX_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../event/loop.h"
#include "../os/gre_sock.h"
#include "../wire/gre.h"

#define GRE_MUX_RX_ROUNDS	4	/* recvmmsg batches per read callback */
#define GRE_MUX_CALLS_DEFAULT	1024
#define GRE_MUX_CALLS_MAX	(1u << 20)

struct gre_mux;

/*
 * A received packet of one call: h decoded (h->call_id is ours), payload
 * h->payload_len octets (len; 0 for an ack-only packet), valid only during
 * the call.  The function may send (gre_mux_send), and may remove its own
 * or any other entry (gre_mux_del); it must not free the mux.
 */
typedef void gre_mux_rx_fn(void *ctx, const struct gre_hdr *h,
    const uint8_t *payload, size_t len);

/*
 * A call's node in the table; embed it in the call.  Fields are the mux's:
 * read them, never write them.  An entry is in at most one mux at a time.
 */
struct gre_mux_entry {
	struct in_addr	 peer;		/* the peer's IPv4 address */
	uint16_t	 call_id;	/* our Call ID: the key the peer sends */
	gre_mux_rx_fn	*rx;
	void		*ctx;
	bool		 linked;	/* in the table now */
};

struct gre_mux_config {
	unsigned	max_calls;	/* table capacity, 1..GRE_MUX_CALLS_MAX;
					 * default GRE_MUX_CALLS_DEFAULT */
	bool		bind_local;	/* bind the socket to `local` */
	struct in_addr	local;
	bool		connect_peer;	/* accept GRE from `peer` only (a
					 * client and its one server) */
	struct in_addr	peer;
};

struct gre_mux_stats {
	uint64_t	rx_packets;	/* GRE packets handed over by the socket */
	uint64_t	rx_dispatched;	/* given to a call */
	uint64_t	rx_not_v1;	/* version other than 1: not PPTP */
	uint64_t	rx_malformed;	/* version 1 that failed gre_decode */
	uint64_t	rx_empty;	/* neither S nor A: carries nothing */
	uint64_t	rx_stranger;	/* unknown (peer, Call ID) */
	uint64_t	rx_errors;	/* recvmmsg failures */
	uint64_t	tx_packets;	/* queued for sending */
	uint64_t	tx_errors;	/* refused before queueing (encoding) */
	uint64_t	tx_flush_errors; /* flushes the kernel refused a packet of */
	uint32_t	calls;		/* now: entries in the table */
};

/* Fills c with the defaults: GRE_MUX_CALLS_DEFAULT calls, unbound,
 * unconnected. */
void gre_mux_config_default(struct gre_mux_config *c);

/*
 * Opens the raw GRE socket (bound and connected as cfg says), allocates the
 * table and registers the socket on loop for EV_READ.  *out is NULL on
 * error.  Returns 0, ERR_INVAL (loop or cfg NULL), ERR_RANGE (max_calls
 * outside 1..GRE_MUX_CALLS_MAX), ERR_NOMEM, or ERR_SYS from the socket
 * calls or ev_io_add (errno set: EPERM without CAP_NET_RAW, EADDRNOTAVAIL
 * for a local address not on this host).
 */
int gre_mux_new(struct gre_mux **out, struct ev_loop *loop,
    const struct gre_mux_config *cfg) MUST_CHECK;

/*
 * Flushes what is queued, unregisters and closes the socket and frees the
 * table.  Free the calls first: entries still linked are marked unlinked
 * and forgotten, and the mux pointer their owners hold is dangling.  NULL
 * is ignored.
 */
void gre_mux_free(struct gre_mux *m);

/*
 * Links e for (peer, call_id): packets from peer carrying call_id in the
 * key go to rx(ctx, ...).  Returns 0, ERR_INVAL (e or rx NULL, e already
 * linked), ERR_EXISTS (the pair is taken), ERR_NOSPACE (max_calls entries
 * already).  Never allocates.
 */
int gre_mux_add(struct gre_mux *m, struct gre_mux_entry *e,
    struct in_addr peer, uint16_t call_id, gre_mux_rx_fn *rx,
    void *ctx) MUST_CHECK;

/* Unlinks e; packets for its pair are strangers from now on, even later in
 * the batch being dispatched.  An entry not linked is ignored. */
void gre_mux_del(struct gre_mux *m, struct gre_mux_entry *e);

/* The entry for (peer, call_id), or NULL.  A server allocating Call IDs
 * uses it to skip the pairs in use. */
struct gre_mux_entry *gre_mux_find(const struct gre_mux *m,
    struct in_addr peer, uint16_t call_id);

/*
 * Demultiplexes one GRE packet from src (gre[0..len), everything after the
 * IPv4 header), as the read callback does for each packet; exposed so that
 * tests and a capture replayer can feed packets without a peer.  Returns 0
 * when an entry took it, or why it was dropped (and counted): ERR_VERSION
 * (not version 1: rx_not_v1), any other gre_decode error (ERR_TRUNCATED,
 * ERR_FLAGS, ERR_PROTO, ERR_NO_KEY, ERR_LENGTH: rx_malformed), ERR_STATE
 * for a packet with neither S nor A (rx_empty), ERR_NOTFOUND for a
 * stranger (rx_stranger).
 */
int gre_mux_input(struct gre_mux *m, struct in_addr src, const uint8_t *gre,
    size_t len);

/*
 * Queues one GRE packet to peer: the header h (encoded here; h->payload_len
 * must equal len) and payload[0..len), built directly in the socket's next
 * send slot.  It leaves at the next gre_mux_flush (or when the slots run
 * out).  Returns 0, ERR_LENGTH (payload_len != len, or S and A disagree
 * with the length as gre_encode requires), ERR_NOSPACE (larger than a send
 * slot); nothing is queued then and tx_errors counts it.
 */
int gre_mux_send(struct gre_mux *m, struct in_addr peer,
    const struct gre_hdr *h, const uint8_t *payload, size_t len) MUST_CHECK;

/*
 * Sends everything queued (sendmmsg).  Returns 0, or ERR_SYS (errno of the
 * first refusal) when the kernel refused some packets: they are dropped and
 * counted, as a router would.  Cheap when nothing is queued.
 */
int gre_mux_flush(struct gre_mux *m);

/* Packets queued and not flushed yet. */
size_t gre_mux_pending(const struct gre_mux *m);

/* The counters since gre_mux_new, and those of the socket below. */
const struct gre_mux_stats *gre_mux_stats(const struct gre_mux *m);
const struct gre_sock_stats *gre_mux_sock_stats(const struct gre_mux *m);

/* "gre-mux calls=N rx=N dispatched=N not_v1=N malformed=N empty=N
 * stranger=N rx_errors=N tx=N tx_errors=N flush_errors=N" */
void gre_mux_stats_print(const struct gre_mux_stats *s, struct sbuf *sb);

#endif

/*
 * net_probe.h - traffic for end-to-end tests through a tunnel: ICMP echo
 * over a raw socket (RFC 792), a bulk TCP exchange with content hashes,
 * and a hand-built IPv4 packet (RFC 791 3.1) from any source address.
 * Test support; the sockets are the caller's (made in whatever network
 * namespace the test wants).  Every wait is bounded.
 */
#ifndef PPTPKIT_TESTS_NET_PROBE_H
#define PPTPKIT_TESTS_NET_PROBE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Sends count ICMP echo requests (56 octets of data) to dst through fd, a
 * raw IPPROTO_ICMP socket, and waits up to timeout_ms for each reply (type
 * 0 from dst with our identifier and the sequence number).  Returns the
 * number of replies received.
 */
int probe_ping(int fd, struct in_addr dst, int count, int timeout_ms);

/* A bulk exchange: a2b octets from the connecting side, b2a back. */
struct probe_xfer {
	size_t		a2b, b2a;	/* asked */
	size_t		got_b, got_a;	/* received by b (from a), by a */
	uint64_t	sent_a, sent_b;	/* FNV-1a of what each side sent */
	uint64_t	hash_b, hash_a;	/* of what each side received */
	unsigned	ms;		/* time taken */
	const char	*error;		/* NULL, or what went wrong */
};

/*
 * Connects cfd (a TCP socket, not connected) to dst, where lfd listens,
 * accepts, and moves x->a2b octets from the connecting side and x->b2a
 * octets the other way at the same time (non-blocking, poll), each side
 * closing its sending half when done; both read until end of stream.  The
 * content is a pattern that differs per octet and direction.  Fills the
 * rest of *x.  Returns true when both directions arrived complete with
 * equal hashes within timeout_ms.  Closes the sockets it accepted, not
 * lfd or cfd.
 */
bool probe_tcp(int lfd, int cfd, const struct sockaddr_in *dst,
    struct probe_xfer *x, int timeout_ms);

/* Sends an IPv4 packet (20-octet header, TTL 64, checksum computed) from
 * src to dst with protocol proto around payload[0..n), through fd, a raw
 * socket with IP_HDRINCL (IPPROTO_RAW).  Returns true when sent. */
bool probe_send_ipv4(int fd, struct in_addr src, struct in_addr dst,
    uint8_t proto, const void *payload, size_t n);

#endif

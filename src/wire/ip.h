/*
 * ip.h - minimal IPv4, IPv6 and TCP header codecs, the Internet checksum,
 * and in-place TCP MSS clamping for the tunnel data path.
 *
 * Implements: IPv4 header, RFC 791 section 3.1; IPv6 header and extension
 * header chain, RFC 8200 sections 3, 4 and 4.5; TCP header and options,
 * RFC 9293 section 3.1 (MSS option, 3.7.1); the Internet checksum, RFC 1071;
 * incremental checksum update, RFC 1624 section 3 (eqn. 3).
 *
 * Why clamp: pptpkit carries IP packets through PPP/MPPE/GRE, so the tunnel
 * MTU is below 1500.  A TCP SYN that advertises an MSS larger than the
 * tunnel allows leads to full-sized segments that do not fit, and when
 * ICMP "fragmentation needed" is filtered somewhere the connection stalls
 * ("some websites don't load").  ip_mss_clamp() lowers the MSS option of
 * every SYN and SYN-ACK crossing the tunnel, in both directions.
 *
 * The codecs decode into host-order structs through a struct rd; nothing
 * here casts a packet to a struct.  ip_mss_clamp() works on the raw bytes
 * with explicit bounds checks (it runs on every packet and must cost a few
 * comparisons for the ones it does not touch); it trusts no length in the
 * packet and allocates nothing.
 */
#ifndef PPTPKIT_WIRE_IP_H
#define PPTPKIT_WIRE_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "../base/sbuf.h"

/* IP protocol / IPv6 Next Header numbers (IANA "Assigned Internet Protocol
 * Numbers"). */
#define IP_PROTO_HOPOPTS	0	/* IPv6 Hop-by-Hop Options, RFC 8200 4.3 */
#define IP_PROTO_ICMP		1
#define IP_PROTO_TCP		6
#define IP_PROTO_UDP		17
#define IP_PROTO_ROUTING	43	/* IPv6 Routing header, RFC 8200 4.4 */
#define IP_PROTO_FRAGMENT	44	/* IPv6 Fragment header, RFC 8200 4.5 */
#define IP_PROTO_GRE		47
#define IP_PROTO_ESP		50
#define IP_PROTO_AH		51
#define IP_PROTO_ICMPV6		58
#define IP_PROTO_NONE		59	/* IPv6 No Next Header */
#define IP_PROTO_DSTOPTS	60	/* IPv6 Destination Options, RFC 8200 4.6 */

#define IPV4_HDR_MIN		20	/* IHL = 5 */
#define IPV4_HDR_MAX		60	/* IHL = 15 */
#define IPV4_OPT_MAX		40
#define IPV6_HDR_LEN		40
#define IPV6_FRAG_HDR_LEN	8
#define TCP_HDR_MIN		20	/* Data Offset = 5 */
#define TCP_HDR_MAX		60	/* Data Offset = 15 */
#define TCP_OPT_MAX		40

/* IPv4 Flags + Fragment Offset word, RFC 791 3.1 */
#define IPV4_FLAG_RF		0x8000	/* reserved, must be zero */
#define IPV4_FLAG_DF		0x4000	/* Don't Fragment */
#define IPV4_FLAG_MF		0x2000	/* More Fragments */
#define IPV4_FRAG_MASK		0x1fff	/* Fragment Offset, 8-octet units */

/* TCP control bits, RFC 9293 3.1 (plus ECE/CWR, RFC 3168) */
#define TCP_FLAG_FIN		0x01
#define TCP_FLAG_SYN		0x02
#define TCP_FLAG_RST		0x04
#define TCP_FLAG_PSH		0x08
#define TCP_FLAG_ACK		0x10
#define TCP_FLAG_URG		0x20
#define TCP_FLAG_ECE		0x40
#define TCP_FLAG_CWR		0x80

/* TCP option kinds, RFC 9293 3.2 */
#define TCP_OPT_EOL		0	/* End of Option List */
#define TCP_OPT_NOP		1	/* No-Operation */
#define TCP_OPT_MSS		2	/* Maximum Segment Size */
#define TCP_OPT_MSS_LEN		4

/*
 * The MSS a host assumes when a SYN carries no MSS option: 536 for IPv4
 * (RFC 9293 3.7.1, RFC 1122 4.2.2.6) and 1220 for IPv6 (RFC 8200 8.3:
 * 1280 - 60).  ip_mss_clamp() cannot add a missing option (that would grow
 * the packet), so such a SYN passes unchanged and these defaults apply;
 * both fit any sane tunnel MTU.
 */
#define TCP_MSS_DEFAULT_IPV4	536
#define TCP_MSS_DEFAULT_IPV6	1220

/* --- IPv4 header, RFC 791 3.1 --- */

struct ipv4_hdr {
	uint8_t		version;	/* 4 */
	uint8_t		ihl;		/* header length in 32-bit words, 5..15 */
	uint8_t		tos;		/* DSCP + ECN */
	uint16_t	total_len;	/* header + payload, octets */
	uint16_t	id;
	bool		rf;		/* reserved flag (kept for round trips) */
	bool		df;
	bool		mf;
	uint16_t	frag_off;	/* Fragment Offset, 8-octet units, 0..8191 */
	uint8_t		ttl;
	uint8_t		proto;
	uint16_t	checksum;	/* as on the wire; not verified by decode */
	uint8_t		src[4];
	uint8_t		dst[4];
	uint8_t		opt[IPV4_OPT_MAX];	/* options, verbatim */
	size_t		optlen;		/* = ihl * 4 - 20 */
};

/*
 * Reads an IPv4 header (options included) from r, which must start at the
 * header; on success r is left at the payload, whose length is
 * total_len - ihl * 4 (bytes after it, such as link padding, stay in r).
 * The header checksum is stored, not checked (see ipv4_hdr_checksum_ok).
 * Returns 0, ERR_TRUNCATED (r ends inside the header, or before
 * total_len), ERR_VERSION (version is not 4), ERR_LENGTH (IHL < 5, or
 * total_len shorter than the header).
 */
int ipv4_hdr_decode(struct rd *r, struct ipv4_hdr *h) MUST_CHECK;

/*
 * Writes the header with the fields as given (checksum included, verbatim;
 * compute it with ipv4_hdr_checksum over the written bytes and patch it).
 * Returns 0, ERR_VERSION (version is not 4), ERR_RANGE (ihl is not
 * 5 + optlen / 4, optlen not a multiple of 4 or above 40, frag_off above
 * 8191, total_len below the header length) or ERR_NOSPACE.
 */
int ipv4_hdr_encode(struct wr *w, const struct ipv4_hdr *h) MUST_CHECK;

/* "ipv4 10.0.0.1 > 10.0.0.2 proto=6 len=60 hl=20 id=0x4aa5 ttl=64 tos=0x00
 * df frag=0 cksum=0x07f2" */
void ipv4_hdr_print(const struct ipv4_hdr *h, struct sbuf *sb);

/*
 * The header checksum the IPv4 header at pkt[0..len) should carry: the
 * one's complement of the one's complement sum of its IHL * 4 octets, the
 * checksum field counted as zero (RFC 791 3.1, RFC 1071).  Returns 0 and
 * sets *ck, ERR_VERSION, ERR_LENGTH (IHL < 5) or ERR_TRUNCATED (len is
 * shorter than the header).
 */
int ipv4_hdr_checksum(const uint8_t *pkt, size_t len, uint16_t *ck) MUST_CHECK;

/* True when the IPv4 header at pkt[0..len) is complete and its checksum
 * verifies (the sum over the header, checksum included, is 0xFFFF). */
bool ipv4_hdr_checksum_ok(const uint8_t *pkt, size_t len);

/* --- IPv6 header, RFC 8200 3 --- */

struct ipv6_hdr {
	uint8_t		version;	/* 6 */
	uint8_t		traffic_class;
	uint32_t	flow_label;	/* 20 bits */
	uint16_t	payload_len;	/* octets after this header */
	uint8_t		next_header;
	uint8_t		hop_limit;
	uint8_t		src[16];
	uint8_t		dst[16];
};

/*
 * Reads the fixed 40-octet IPv6 header from r; on success r is left at the
 * payload (extension headers included), payload_len octets long.
 * Returns 0, ERR_TRUNCATED (r ends inside the header or before
 * payload_len), ERR_VERSION (version is not 6).  A payload_len of 0 (no
 * payload, or a jumbogram, RFC 2675) is accepted as it stands.
 */
int ipv6_hdr_decode(struct rd *r, struct ipv6_hdr *h) MUST_CHECK;

/* Writes the 40-octet header.  Returns 0, ERR_VERSION, ERR_RANGE
 * (flow_label above 20 bits) or ERR_NOSPACE. */
int ipv6_hdr_encode(struct wr *w, const struct ipv6_hdr *h) MUST_CHECK;

/* "ipv6 2001:db8::1 > 2001:db8::2 nh=6 plen=40 hlim=64 tc=0x00
 * flow=0x00000" */
void ipv6_hdr_print(const struct ipv6_hdr *h, struct sbuf *sb);

/* --- TCP header, RFC 9293 3.1 --- */

struct tcp_hdr {
	uint16_t	sport;
	uint16_t	dport;
	uint32_t	seq;
	uint32_t	ack;
	uint8_t		doff;		/* Data Offset, 32-bit words, 5..15 */
	uint8_t		reserved;	/* 4 bits (kept for round trips) */
	uint8_t		flags;		/* TCP_FLAG_* */
	uint16_t	window;
	uint16_t	checksum;	/* as on the wire */
	uint16_t	urgent;
	uint8_t		opt[TCP_OPT_MAX];	/* options, verbatim */
	size_t		optlen;		/* = doff * 4 - 20 */
};

/*
 * Reads a TCP header (options included, verbatim) from r; on success r is
 * left at the segment data.  The checksum is stored, not checked (it needs
 * the IP pseudo-header).  Returns 0, ERR_TRUNCATED or ERR_LENGTH (Data
 * Offset < 5).  The option list itself is not judged here; see
 * tcp_opts_mss().
 */
int tcp_hdr_decode(struct rd *r, struct tcp_hdr *h) MUST_CHECK;

/* Writes the header as given (checksum verbatim).  Returns 0, ERR_RANGE
 * (doff is not 5 + optlen / 4, optlen not a multiple of 4 or above 40,
 * reserved above 15) or ERR_NOSPACE. */
int tcp_hdr_encode(struct wr *w, const struct tcp_hdr *h) MUST_CHECK;

/* "tcp 41366 > 1723 [S.] seq=... ack=... win=29200 hl=40 cksum=0x1478
 * mss=1460" (mss only when the option list is valid and has one) */
void tcp_hdr_print(const struct tcp_hdr *h, struct sbuf *sb);

/*
 * Walks a TCP option list opt[0..len) (the octets between the fixed header
 * and the data): End (0) stops the walk, NOP (1) is one octet, every other
 * kind has a length octet >= 2 that keeps it inside the list.  An MSS
 * option must have length 4.  Returns 0 and the value of the first MSS
 * option in *mss, ERR_NOTFOUND (valid list without MSS) or ERR_OPTION
 * (malformed list).
 */
int tcp_opts_mss(const uint8_t *opt, size_t len, uint16_t *mss) MUST_CHECK;

/* --- Internet checksum, RFC 1071 --- */

/*
 * Adds the octets p[0..n) to a running one's complement sum as big-endian
 * 16-bit words (an odd last octet is padded with zero on the right).  Start
 * with sum 0; the sum of consecutive calls equals one call over the
 * concatenation only when every call but the last has an even n.  The
 * result is partially folded and can be fed back in.
 */
uint32_t ip_csum_add(uint32_t sum, const uint8_t *p, size_t n);

/* Folds a running sum to 16 bits and complements it: the checksum value. */
uint16_t ip_csum_fold(uint32_t sum);

/* --- MSS clamping --- */

/*
 * The largest MSS that fits a tunnel MTU: mtu - 40 for IPv4 (20 IP + 20
 * TCP), mtu - 60 for IPv6 (40 + 20).  Returns 0 when mtu is no larger than
 * the headers (0 disables clamping in ip_mss_clamp), 65535 at most.
 */
uint16_t ip_mss_for_mtu(unsigned mtu, bool ipv6);

/*
 * Lowers the TCP MSS option of a SYN or SYN-ACK in place.
 *
 * pkt[0..len) is one IP packet as read from or written to the TUN device.
 * If it is IPv4 (or IPv6) carrying TCP with SYN set, and it is not a
 * non-first fragment (IPv4 fragment offset != 0; IPv6 Fragment header
 * with an offset != 0), every MSS option (kind 2, length 4) whose value
 * exceeds mss4 (IPv4) or mss6 (IPv6) is set to that limit and the TCP
 * checksum is updated incrementally (RFC 1624 eqn. 3), so a checksum that
 * was correct stays correct and one that was wrong stays wrong.  IPv6
 * extension headers Hop-by-Hop (first only), Routing, Destination Options
 * and Fragment are walked; any other (AH, ESP, ...) leaves the packet
 * alone.
 *
 * Nothing in the packet is trusted: a truncated header, a length field
 * that disagrees with len, an IHL or Data Offset out of range, a malformed
 * option list (an option with length < 2 or running past the TCP header,
 * an MSS option whose length is not 4) leave the packet untouched and are
 * reported as not changed: the packet still goes through, we are a tunnel,
 * not a firewall.  A SYN without an MSS option is left alone (the default
 * MSS, TCP_MSS_DEFAULT_IPV4/IPV6, applies).  Octets past the IP total
 * length / payload length are ignored.  A limit of 0 disables clamping
 * for that family.
 *
 * Sets *changed to true when the packet was modified, false otherwise.
 * Returns 0 in every case above, or ERR_INVAL (changed is NULL, or pkt is
 * NULL with len > 0) and then touches nothing.
 */
int ip_mss_clamp(uint8_t *pkt, size_t len, uint16_t mss4, uint16_t mss6,
    bool *changed) MUST_CHECK;

#endif

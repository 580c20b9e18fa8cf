/*
 * ins_build.h - synthetic PPTP captures for the analyzer's tests, built
 * frame by frame and fed straight to inspect_packet() as raw IP: the one
 * place the analyzer's tests build frames.
 *
 * Frames: IPv4 (RFC 791 3.1), IPv6 (RFC 8200 3), TCP (RFC 9293 3.1) and
 * enhanced GRE (RFC 2637 4.1) headers written with the src/wire encoders
 * into a buffer (ib_put_*) or onto a struct wr (ib_wr_*), and one-call
 * feeds of a TCP segment or a GRE packet in IPv4 (ib_feed_*).
 *
 * Captures (struct ib): a TCP 1723 control connection (handshake,
 * messages, FIN/RST), its call's enhanced GRE in both directions
 * (sequence numbers, acks, Keys), and the PPP inside (control packets,
 * PAP, CHAP, data).
 *
 * Direction 0 is PNS -> PAC (the PNS is the TCP client), 1 is PAC -> PNS,
 * as in struct ins_call.  Every ib_* that sends returns the frame number
 * it produced (frames count from 1), so a test can assert the exact
 * frames a finding cites.  The clock starts at 1000 s and moves only with
 * ib_wait().
 */
#ifndef PPTPKIT_TESTS_INS_BUILD_H
#define PPTPKIT_TESTS_INS_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/inspect/inspect.h"
#include "../src/wire/cursor.h"
#include "../src/wire/gre.h"
#include "../src/wire/ip.h"

/* --- frames ------------------------------------------------------------ */

#define IB_FRAME_MAX	65535	/* the largest frame an ib_feed_* sends */

/* The IPv4 header fields a test picks; the others are IHL 5, TOS 0,
 * TTL 64 and a zero checksum (see ib_ipv4_csum). */
struct ib_ip4 {
	uint32_t	src, dst;	/* host order */
	uint8_t		proto;
	uint16_t	id;
	uint16_t	frag;		/* flags and offset word: IPV4_FLAG_DF,
					 * IPV4_FLAG_MF | offset / 8 */
};

/* The TCP header fields a test picks; the others are window 65535, zero
 * checksum and urgent pointer, data offset 5 (6 with an MSS option). */
struct ib_tcph {
	uint16_t	sport, dport;
	uint32_t	seq, ack;
	uint8_t		flags;		/* TCP_FLAG_* */
	uint16_t	mss;		/* 0: no MSS option */
};

/* Headers onto w for a payload of plen octets (IPv6: 2001:db8::<src> to
 * 2001:db8::<dst>, hop limit 64).  0, or the encoder's error. */
int ib_wr_ipv4(struct wr *w, const struct ib_ip4 *h, size_t plen);
int ib_wr_ipv6(struct wr *w, uint8_t src, uint8_t dst, uint8_t nh,
    size_t plen);
int ib_wr_tcp(struct wr *w, const struct ib_tcph *h);

/* A header then pl[n] into b[cap]: the length, 0 when it does not fit
 * (or a field is out of range).  ib_put_gre sets h's Payload Length to
 * n. */
size_t ib_put_ipv4(uint8_t *b, size_t cap, const struct ib_ip4 *h,
    const void *pl, size_t n);
size_t ib_put_ipv6(uint8_t *b, size_t cap, uint8_t src, uint8_t dst,
    uint8_t nh, const void *pl, size_t n);
size_t ib_put_tcp(uint8_t *b, size_t cap, const struct ib_tcph *h,
    const void *data, size_t n);
size_t ib_put_gre(uint8_t *b, size_t cap, const struct gre_hdr *h,
    const void *ppp, size_t n);
/* Fills in the header checksum of the IPv4 packet ip[len]. */
void ib_ipv4_csum(uint8_t *ip, size_t len);

/* Feeds ins one raw-IP frame at ts (microseconds): IPv4 header ip (its
 * protocol set here) around TCP header t and data[n], or around GRE
 * header h and ppp[n].  Returns the frame number, 0 when nothing was sent
 * (the frame would exceed IB_FRAME_MAX).  The frame is built in static
 * buffers: one thread at a time. */
unsigned ib_feed_tcp(struct inspect *ins, uint64_t ts, const struct ib_ip4 *ip,
    const struct ib_tcph *t, const void *data, size_t n);
unsigned ib_feed_gre(struct inspect *ins, uint64_t ts, const struct ib_ip4 *ip,
    const struct gre_hdr *h, const void *ppp, size_t n);

/* --- captures ---------------------------------------------------------- */

struct ib {
	struct inspect	*ins;
	uint32_t	 addr[2];	/* [0] PNS, [1] PAC; IPv4, host order */
	uint16_t	 cport;		/* the PNS's TCP port */
	uint32_t	 tcp_seq[2];	/* next TCP sequence by sender */
	uint32_t	 gre_seq[2];	/* next GRE sequence by sender */
	bool		 gre_rcvd[2];	/* side d has received sequenced GRE */
	uint32_t	 gre_last[2];	/* the last sequence side d received */
	bool		 no_ack[2];	/* side d never sends an Ack field */
	bool		 ack_frozen[2];	/* side d always acks ack_value[d] */
	uint32_t	 ack_value[2];
	uint16_t	 cid[2];	/* [0] PNS Call ID, [1] PAC Call ID */
	uint64_t	 ts;		/* microseconds */
};

/* Starts a capture between pns and pac (10.0.0.1 style host-order). */
void ib_init(struct ib *b, struct inspect *ins, uint32_t pns, uint32_t pac);
/* Moves the clock. */
void ib_wait(struct ib *b, uint64_t us);

/* One TCP segment of the control connection from side dir. */
unsigned ib_tcp(struct ib *b, int dir, uint8_t flags, const void *data,
    size_t n);
/* SYN, SYN-ACK, ACK. */
unsigned ib_connect(struct ib *b);
/* One control message from side dir, encoded from m. */
unsigned ib_msg(struct ib *b, int dir, const struct pptp_msg *m);
/* A message of type with its defaults (pptp_msg_init). */
unsigned ib_simple(struct ib *b, int dir, uint16_t type);
/* SCCRQ then SCCRP (result Success); returns the SCCRP's frame. */
unsigned ib_start(struct ib *b);
/* OCRQ (the PNS's Call ID pns) then OCRP (the PAC's pac, result);
 * returns the OCRP's frame and sets b->cid. */
unsigned ib_call(struct ib *b, uint16_t pns, uint16_t pac, uint8_t result);
/* ib_connect, ib_start, ib_call(pns, pac, Connected): the OCRP's frame. */
unsigned ib_setup(struct ib *b, uint16_t pns, uint16_t pac);
/* Call-Disconnect-Notify from the PAC for its call. */
unsigned ib_cdn(struct ib *b, uint8_t result, uint8_t error, uint16_t cause);
/* FIN (or RST) from side dir. */
unsigned ib_fin(struct ib *b, int dir);
unsigned ib_rst(struct ib *b, int dir);

/* A GRE data packet carrying ppp[n] from side dir with the Key the
 * receiver announced (b->cid[1 - dir]), or with key. */
unsigned ib_gre(struct ib *b, int dir, const void *ppp, size_t n);
unsigned ib_gre_key(struct ib *b, int dir, uint16_t key, const void *ppp,
    size_t n);
/* An ack-only GRE packet from side dir. */
unsigned ib_gre_ack(struct ib *b, int dir);

/* Writes one option (Type, Length, value) at p; returns its length. */
size_t ib_opt(uint8_t *p, uint8_t type, const void *val, size_t n);
size_t ib_opt_auth(uint8_t *p, uint16_t proto, uint8_t chap_alg);
size_t ib_opt_mppe(uint8_t *p, uint32_t bits);
size_t ib_opt_u16(uint8_t *p, uint8_t type, uint16_t v);
size_t ib_opt_u32(uint8_t *p, uint8_t type, uint32_t v);

/* A PPP control packet (FF 03, proto, Code, Identifier, Length, data). */
unsigned ib_cp(struct ib *b, int dir, uint16_t proto, uint8_t code,
    uint8_t id, const void *data, size_t n);
/* LCP up: each side requests (the PAC asks for auth when auth != 0),
 * the other acks; returns the last frame. */
unsigned ib_lcp_up(struct ib *b, uint16_t auth, uint8_t chap_alg);
/* PAP Authenticate-Request from the PNS; Ack or Nak (with msg) from the
 * PAC. */
unsigned ib_pap_req(struct ib *b, const char *user, const char *pass);
unsigned ib_pap_answer(struct ib *b, uint8_t code, const char *msg);
/* CHAP packets: Challenge (PAC, value[vn], name), Response (PNS, value,
 * name), Success/Failure (PAC, text). */
unsigned ib_chap(struct ib *b, int dir, uint8_t code, uint8_t id,
    const void *value, size_t vn, const char *text);
/* A data frame of protocol proto (PPP_COMP or PPP_IP) of n octets. */
unsigned ib_data(struct ib *b, int dir, uint16_t proto, size_t n);

/* The first call in ins's table with a control connection (conn_id not
 * 0); NULL when there is none. */
const struct ins_call *ib_ctrl_call(const struct inspect *ins);

/* Finds the finding code of call/connection (0: any) in ins's diagnosis
 * (ins_diagnose), or the audit item when audit; NULL when absent. */
const struct ins_finding *ib_find(const struct inspect *ins, const char *code,
    bool audit, struct ins_finding *buf, size_t cap);

#endif

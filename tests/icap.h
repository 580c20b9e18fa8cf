/*
 * icap.h - captures for the analyzer's tests.
 *
 * Capture files: the real captures in tests/data/captures by name, read
 * into a new analysis, and bytes written to a temporary file (a capture
 * made by hand, cut or mutated).
 *
 * Our own PPP engine's conversations, for the decryption tests: a
 * client and a server session (src/ppp) pumped against each other in
 * memory with a simulated clock, every frame either sends wrapped in
 * GRE v1 + IPv4 (RFC 2637 4.1: the Key is the receiver's Call ID) and fed
 * to inspect_packet() the moment it is sent, as a capture next to the
 * sender sees it; optionally after a PPTP control connection (SCCRQ,
 * SCCRP, OCRQ, OCRP on TCP 1723) so the call has one.
 *
 * A fate hook decides, frame by frame, whether the wire loses it (the
 * capture has it, the receiver does not), the capture loses it (the
 * receiver has it), both do, and may change the captured copy.  The IP
 * packets each side sent are kept, and so are the inner packets the
 * analyzer hands out, so a test compares them byte for byte.  Every loop
 * is bounded in steps and simulated time.
 */
#ifndef PPTPKIT_TESTS_ICAP_H
#define PPTPKIT_TESTS_ICAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/inspect/inspect.h"
#include "../src/ppp/ppp.h"

/* --- capture files --- */

/* The captures in tests/data/captures every analyzer test reads: PPTP
 * conversations (PAP, MS-CHAPv2, call refused, no GRE), and last, GRE
 * that is not PPTP. */
#define ICAP_NFILES	5
extern const char *const icap_files[ICAP_NFILES];

/* The path of capture name in tests/data/captures, into buf[cap]; buf. */
const char *icap_file_path(const char *name, char *buf, size_t cap);

/* A new analysis of the capture file at path (inspect_read_file); NULL,
 * with a note saying why, when it cannot be made or read whole. */
struct inspect *icap_read(const char *path);

/* Writes b[n] to a new temporary file; its path into path[cap] (32 is
 * enough).  False when it cannot (nothing is left behind then). */
bool icap_write_tmp(char *path, size_t cap, const void *b, size_t n);

/* --- our engine's conversations --- */

#define ICAP_QUEUE	256
#define ICAP_FRAME	1700
#define ICAP_PKTS	1024	/* IP packets kept per side */
#define ICAP_PKT	1500

#define ICAP_PNS_ADDR	0xc0000201u	/* 192.0.2.1, the client */
#define ICAP_PAC_ADDR	0xc0000202u	/* 192.0.2.2, the server */
#define ICAP_PNS_CALL	0x1111
#define ICAP_PAC_CALL	0x2222
#define ICAP_CLI_TUN	0x0a000002u	/* 10.0.0.2, the client's inner */
#define ICAP_SRV_TUN	0x0a000001u	/* 10.0.0.1 */

enum icap_fate {
	ICAP_PASS,		/* delivered and captured */
	ICAP_WIRE_LOSS,		/* captured, then lost on the way */
	ICAP_CAPTURE_LOSS,	/* delivered, missing from the capture */
	ICAP_BOTH_LOSS,		/* lost before the capture point */
};

struct icap;

/* Decides one frame's fate: from is the sender (0 client, 1 server),
 * cap[*caplen] the copy the capture will hold (changeable in place, up to
 * ICAP_FRAME octets). */
typedef enum icap_fate (*icap_fate_fn)(struct icap *c, int from,
    uint8_t *cap, size_t *caplen, void *ctx);

struct icap_pkt {
	uint16_t	len;
	uint8_t		data[ICAP_PKT];
};

struct icap_q {
	uint64_t	at;
	int		to;
	uint16_t	len;
	uint8_t		data[ICAP_FRAME];
};

/* A session's io ctx. */
struct icap_side {
	struct icap	*c;
	int		idx;
};

struct icap {
	struct ppp	*s[2];		/* 0 client (PNS), 1 server (PAC) */
	struct icap_side side[2];
	struct inspect	*ins;
	uint64_t	now;		/* ms */
	uint64_t	feed_ts;	/* the last frame's timestamp, us */
	uint64_t	rng[2];
	struct icap_q	*q;
	unsigned	qn;
	uint32_t	gre_seq[2];
	unsigned	frames_sent[2];	/* PPP frames each side sent */
	icap_fate_fn	fate;
	void		*fate_ctx;
	unsigned	wire_lost, capture_lost;
	/* the server's credential table: one user */
	char		srv_user[PPP_NAME_MAX + 1];
	char		srv_password[PPP_SECRET_MAX + 1];
	bool		answer_due;
	char		auth_user[PPP_NAME_MAX + 1];
	/* events */
	bool		up[2], down[2];
	unsigned	delivered[2];	/* IP packets received by side i */
	/* IP packets side i sent, and the analyzer's inner packets by the
	 * side that sent them (told by the inner source address) */
	struct icap_pkt	*sent[2], *got[2];
	unsigned	nsent[2], ngot[2];
	unsigned	got_stray;	/* inner packets from neither side */
	uint64_t	got_ts_last;
	bool		got_ts_backwards;
};

/* Sessions from the configs (copied; the client's user and password are
 * the ones the server table holds unless changed after), the analyzer,
 * and, when control, the control connection already in the capture.
 * 0 or an error. */
int icap_init(struct icap *c, const struct ppp_config *ccfg,
    const struct ppp_config *scfg, uint64_t seed, bool control);
void icap_fini(struct icap *c);
/* Only the analyzer and the packet lists: for hand-built captures. */
int icap_init_bare(struct icap *c);

/* The analyzer's credentials (user may be NULL; exactly one of password
 * and nt_hash_hex) with the inner packets collected into c->got. */
int icap_credentials(struct icap *c, const char *user, const char *password,
    const char *nt_hash_hex);

/* Starts both sessions; runs until cond(c) or limit_ms of simulated time.
 * True if cond held. */
void icap_start(struct icap *c);
bool icap_run(struct icap *c, bool (*cond)(const struct icap *),
    uint64_t limit_ms);
bool icap_both_up(const struct icap *c);
bool icap_both_down(const struct icap *c);

/* Sends n packets from each side (sizes varying from 40 to ~1300 octets,
 * 1 ms apart), lets them arrive.  The packets are IPv4/UDP with valid
 * header checksums between the tunnel addresses. */
void icap_exchange(struct icap *c, unsigned n);

/* Every packet in got[side] is, byte for byte and in order, one of
 * sent[side] (all of them when all is true).  A note says what differs. */
bool icap_got_matches(const struct icap *c, int side, bool all);

/* The protocol of a PPP frame (FF 03 and PFC handled) and the offset of
 * its information field; false for a frame too short. */
bool icap_ppp_proto(const uint8_t *f, size_t n, uint16_t *proto,
    size_t *off);

/* Builds a raw-IP frame of GRE v1 from side `from` carrying ppp[n] with
 * the next sequence number, and feeds it to the analyzer at c->now. */
void icap_feed_gre(struct icap *c, int from, const uint8_t *ppp, size_t n);

#endif

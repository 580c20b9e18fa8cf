/*
 * ppp_pair.h - a client PPP session and a server PPP session pumped against
 * each other in memory, with a simulated clock and a lossy "wire" that can
 * drop, duplicate and reorder frames from a seeded PRNG.  Test support for
 * test_ppp_pair.c and the fuzz harnesses.
 *
 * The server's credential check is asynchronous as in the product: an
 * AUTH_REQUEST is answered by the pump loop on its next step, from the
 * pair's user table.
 */
#ifndef PPTPKIT_TESTS_PPP_PAIR_H
#define PPTPKIT_TESTS_PPP_PAIR_H

#include <stdbool.h>
#include <stdint.h>

#include "../src/ppp/ppp.h"

#define PAIR_QUEUE	512
#define PAIR_FRAME	1700
#define PAIR_RX_MAX	256	/* delivered packets remembered per side */

struct pair_frame {
	uint64_t	at;		/* delivery time */
	int		to;		/* 0: client, 1: server */
	uint16_t	len;
	uint8_t		data[PAIR_FRAME];
};

struct pair_side {
	struct ppp		*s;
	int			 idx;		/* 0 client, 1 server */
	struct pair		*pair;
	uint64_t		 rng;
	/* what happened */
	bool			 ip_up, ipv6_up, down, auth_ok;
	struct ppp_event	 ip_ev;		/* the IP_UP event */
	enum ppp_down_reason	 down_reason;
	uint32_t		 down_mschap;
	char			 down_text[PPP_REASON_MAX + 1];
	unsigned		 delivered;	/* IP packets received */
	uint32_t		 rx_ids[PAIR_RX_MAX];	/* first 4 bytes of payload */
	unsigned		 rx_bad;	/* packets not byte-exact */
	unsigned		 auth_requests;
	bool			 answer_due;
	unsigned		 answered_method;
	char			 auth_user[PPP_NAME_MAX + 1];
	unsigned		 sent_frames;
	unsigned		 log_lines;
};

struct pair {
	struct pair_side	 c, sv;
	uint64_t		 now;
	uint64_t		 rng;		/* the wire's PRNG */
	unsigned		 loss_pct, dup_pct, reorder_pct;
	uint32_t		 latency_ms;
	struct pair_frame	*q;		/* PAIR_QUEUE frames */
	unsigned		 qn;
	unsigned		 dropped, duplicated, reordered;
	const char		*server_password;	/* the user table: one user */
	const char		*server_user;
	uint32_t		 server_reject_error;	/* answer with this, if set */
	bool			 wire_cut[2];	/* drop everything to side i */
	bool			 verbose;
};

/* Creates both sessions from the configs (copied) and the wire setup.
 * 0 or an error. */
int pair_init(struct pair *p, const struct ppp_config *ccfg,
    const struct ppp_config *scfg, uint64_t seed);
void pair_fini(struct pair *p);

/* Starts both sessions (server first). */
void pair_start(struct pair *p);

/* Runs the simulation until cond(p) holds or until `limit_ms` of simulated
 * time passed (bounded in steps too).  Returns true if cond held. */
bool pair_run(struct pair *p, bool (*cond)(const struct pair *), uint64_t limit_ms);

/* Both sides have IP up (and IPV6 when both sides enable it). */
bool pair_both_up(const struct pair *p);
/* Both sides reported DOWN. */
bool pair_both_down(const struct pair *p);
/* Either side reported DOWN. */
bool pair_any_down(const struct pair *p);

/* Builds a test IPv4 packet of len bytes (>= 24) carrying id, and sends it
 * from side (0 client, 1 server).  Returns ppp_send_ip's result. */
int pair_send_ip(struct pair *p, int side, uint32_t id, size_t len);

/* Whether a test packet (as built by pair_send_ip) is intact. */
bool pair_packet_ok(const uint8_t *pkt, size_t len, uint32_t *id);

#endif

/*
 * ppp_tap.h - one PPP session under test with a scripted peer, for tests
 * that drive a session through the public API (ppp.h) and play the other
 * side by hand: what the session sends is recorded frame by frame (the
 * FF 03 and protocol stripped), its events are counted and kept, io->random
 * is a seeded PRNG whose next answer for a given size can be forced, and
 * the peer's LCP can ack whatever the session asks so a test reaches the
 * Authenticate phase in two calls.  Two taps can also be relayed into each
 * other (no loss; see ppp_pair.h for a lossy wire).
 */
#ifndef PPTPKIT_TESTS_PPP_TAP_H
#define PPTPKIT_TESTS_PPP_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/ppp/ppp.h"
#include "../src/wire/ppp_auth.h"

#define TAP_T0		1000000u	/* ms; the clock a tap starts at */
#define TAP_FRAMES	128		/* frames recorded (then dropped) */
#define TAP_LOGS	128		/* log lines kept */

struct tap_frame {
	uint16_t	proto;
	bool		used;		/* taken by tap_take or the pump */
	size_t		len;		/* of b: the information field */
	uint8_t		b[PPP_FRAME_MAX];
};

struct tap {
	struct ppp		*s;
	uint64_t		 now;
	struct tap_frame	 out[TAP_FRAMES];	/* the session sent */
	unsigned		 nout;
	/* events */
	unsigned		 n_req, n_ok, n_down;
	unsigned		 req_method, ok_method;
	char			 req_user[PPP_NAME_MAX + 1];
	char			 req_nodomain[PPP_NAME_MAX + 1];
	enum ppp_down_reason	 down_reason;
	uint32_t		 down_err;
	char			 down_text[PPP_REASON_MAX + 1];
	char			 logs[TAP_LOGS][256];
	unsigned		 nlogs;
	/* io->random: forced answers for requests of one size, else PRNG */
	uint8_t			 forced[4][16];
	size_t			 forced_n[4];
	unsigned		 nforced;
	uint64_t		 rng;
	/* answer AUTH_REQUEST from inside the event with `answer` */
	bool			 auto_answer;
	struct ppp_auth_answer	 answer;
	int			 answer_ret;
	bool			 lcp_auto;	/* ack Conf-Req, Term-Req */
};

/* A quiet config for tests: ppp_config_default for role, these auth
 * methods, MPPE allowed with MS-CHAP (else refused), no Echo, no IPv6,
 * name "srv", user "User", password "clientPass" (RFC 2759 9.2). */
struct ppp_config tap_config(enum ppp_role role, unsigned methods);

/* A session from c (copied) with a PRNG seeded by seed, clock at TAP_T0,
 * lcp_auto on.  NULL if ppp_new refused c.  tap_free(NULL) is fine. */
struct tap *tap_new(const struct ppp_config *c, uint64_t seed);
void tap_free(struct tap *t);

/* The next io->random request of exactly as many octets as hex holds
 * (up to 16; at most 4 queued) gets them. */
void tap_force(struct tap *t, const char *hex);

/* Feeds one packet of proto (framed FF 03 proto) at t->now; ppp_input's
 * result. */
int tap_in(struct tap *t, uint16_t proto, const uint8_t *pkt, size_t len);

/* The oldest frame of proto not taken yet (now taken), or NULL; and how
 * many are waiting. */
struct tap_frame *tap_take(struct tap *t, uint16_t proto);
unsigned tap_count(const struct tap *t, uint16_t proto);

/* With lcp_auto: acks every LCP Configure-Request and Terminate-Request
 * the session sent (other LCP packets are taken and dropped). */
void tap_pump(struct tap *t);

/* ppp_start, then the peer's Configure-Request with opts (e.g. the
 * Authentication-Protocol option for a client under test), pumped. */
void tap_up(struct tap *t, const uint8_t *opts, size_t olen);

/* Moves the clock by ms, running every deadline on the way (pumped). */
void tap_advance(struct tap *t, uint64_t ms);

/* Some log line contains needle. */
bool tap_logs_contain(const struct tap *t, const char *needle);

/* Decodes a recorded frame (NULL: ERR_STATE). */
int tap_chap_of(const struct tap_frame *f, struct chap_msg *m);
int tap_pap_of(const struct tap_frame *f, struct pap_msg *m);

/* Builds a CHAP packet in buf[PPP_FRAME_MAX]: text is the Name of a
 * Challenge/Response or the Message of a Success/Failure.  Its length,
 * 0 if the encoder refused. */
size_t tap_chap_pkt(uint8_t *buf, uint8_t code, uint8_t id,
    const uint8_t *val, size_t vlen, const char *text);

/* Delivers every frame each session sends to the other until both are
 * quiet (the clock does not move). */
void tap_relay(struct tap *a, struct tap *b);

#endif

/*
 * auth.h - the authentication phase (RFC 1661 3.5) for both roles: PAP
 * (RFC 1334), CHAP-MD5 (RFC 1994), MS-CHAPv1 (RFC 2433), MS-CHAPv2
 * (RFC 2759), implemented in auth.c.  See ppp_int.h for how the parts fit.
 */
#ifndef PPTPKIT_PPP_AUTH_H
#define PPTPKIT_PPP_AUTH_H

#include <stdbool.h>
#include <stdint.h>

struct ppp;
struct ppp_auth_answer;

struct auth_state {
	unsigned	method;		/* PPP_AUTH_* in use; 0 = none */
	bool		done;		/* succeeded */
	bool		pending;	/* server: waiting for ppp_auth_answer */
	uint64_t	deadline;	/* UINT64_MAX if none */
	/* inputs the MPPE keys are derived from (RFC 3079), wiped at free */
	bool		have_keys;
	uint8_t		send_key[16], recv_key[16];	/* given (RADIUS) */
	bool		keys_given;
	uint8_t		pw_hash_hash[16];
	uint8_t		nt_response[24];
	uint8_t		lm_hash[16];
	bool		have_lm_hash;
	uint8_t		v1_challenge[8];
};

void auth_init(struct ppp *s);
/* LCP opened with an authentication protocol agreed: start. */
void auth_start(struct ppp *s, uint64_t now);
/* A PAP (0xC023) or CHAP (0xC223) packet from the peer. */
int auth_input(struct ppp *s, uint64_t now, uint16_t proto,
    const uint8_t *pkt, size_t len);
uint64_t auth_deadline(const struct ppp *s);
void auth_timeout(struct ppp *s, uint64_t now);
/* Server: the caller's verdict (see ppp_auth_answer in ppp.h). */
int auth_answer(struct ppp *s, uint64_t now, const struct ppp_auth_answer *a);
/* The MPPE start keys for this role and strength, from what the MS-CHAP
 * exchange left (RFC 3079): send = ours to the peer.  0, or ERR_STATE when
 * the method gives no keys (PAP, CHAP-MD5) or 40/56-bit MS-CHAPv1 without
 * the LM hash. */
int auth_mppe_keys(struct ppp *s, unsigned bits, uint8_t send[16],
    uint8_t recv[16]);
/* Wipes every secret. */
void auth_fini(struct ppp *s);

#endif

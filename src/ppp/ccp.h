/*
 * ccp.h - the Compression Control Protocol part (RFC 1962) negotiating MPPE
 * (RFC 3078 option 18) and running its two directions (src/crypto/mppe.h),
 * implemented in ccp.c.  See ppp_int.h for how the parts fit.
 */
#ifndef PPTPKIT_PPP_CCP_H
#define PPTPKIT_PPP_CCP_H

#include <stdbool.h>
#include <stdint.h>

#include "../crypto/mppe.h"
#include "fsm.h"

struct ppp;

struct ccp_state {
	struct fsm	fsm;
	bool		active;		/* MPPE on in both directions */
	uint32_t	want_bits;	/* what we ask (option 18 value) */
	uint32_t	peer_offer;	/* the peer's first request, for reasons */
	uint32_t	our_offer;	/* our first request, for reasons */
	unsigned	bits;		/* agreed: 40, 56, 128 */
	bool		stateless;
	struct mppe_dir	tx, rx;
	uint64_t	reset_next;	/* Reset-Request retransmission */
	uint8_t		reset_id;
};

void ccp_init(struct ppp *s);
/* Network phase began and policy allows MPPE: Up + Open. */
void ccp_open(struct ppp *s, uint64_t now);
int ccp_input(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);
uint64_t ccp_deadline(const struct ppp *s);
void ccp_timeout(struct ppp *s, uint64_t now);
/* The peer Protocol-Rejected CCP. */
void ccp_protocol_rejected(struct ppp *s, uint64_t now);
void ccp_lower_down(struct ppp *s, uint64_t now);
bool ccp_is_active(const struct ppp *s);
/* Encrypts an inner frame (protocol field on) into out as the information
 * field of a 0x00FD frame (MPPE header + ciphertext). */
int ccp_encrypt(struct ppp *s, const uint8_t *inner, size_t len,
    struct wr *out);
/* Decrypts the information field of a 0x00FD frame into out[cap]; on
 * stateful loss sends the CCP Reset-Request itself. */
int ccp_decrypt(struct ppp *s, uint64_t now, const uint8_t *info, size_t len,
    uint8_t *out, size_t cap, size_t *outlen);
/* Wipes the keys. */
void ccp_fini(struct ppp *s);

#endif

/*
 * mppe_t.h - helpers shared by test_crypto_mppe.c and
 * test_crypto_mppe_sync.c: the RFC 2759 9.2 user's server send key, one
 * packet sealed or opened, and deterministic plaintexts.
 */
#ifndef PPTPKIT_TESTS_MPPE_T_H
#define PPTPKIT_TESTS_MPPE_T_H

#include <stddef.h>
#include <stdint.h>

#include "../src/crypto/mppe.h"

#define PW_HASH_HASH	"41C00C584BD2D91C4017A2A12FA59F3F"
#define NT_RESPONSE	"82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define PKT_MAX		1600

/* The server's send key (Magic3) for bits, from the RFC 2759 9.2 inputs. */
void mppe_t_server_send_key(unsigned bits, uint8_t key[16]);
/* mppe_encrypt of in[len] into pkt[PKT_MAX]; *pktlen gets its length. */
int mppe_t_seal(struct mppe_dir *d, const uint8_t *in, size_t len,
    uint8_t *pkt, size_t *pktlen);
/* mppe_decrypt of pkt[pktlen] into out[PKT_MAX]. */
int mppe_t_open(struct mppe_dir *d, const uint8_t *pkt, size_t pktlen,
    uint8_t *out, size_t *outlen);
/* Packet n's plaintext (a protocol field and n-dependent bytes); its length. */
size_t mppe_t_plain(unsigned n, uint8_t *p);
/* The 16-bit MPPE header of a sealed packet. */
uint16_t mppe_t_hdr(const uint8_t *pkt);

#endif

/*
 * mppe.h - the MPPE data transform, RFC 3078 sections 3 (packet format),
 * 7 (key changes) and 8 (synchronisation), for 40-, 56- and 128-bit keys,
 * stateless and stateful, one struct mppe_dir per direction.
 *
 * Behaviour matches the peers that matter (Linux ppp_mppe.c, which
 * interoperates with Windows):
 *  - the coherency count of the first packet is 0;
 *  - the session key starts as GetNewKeyFromSHA(StartKey, StartKey)
 *    (mppe_initial_session_key) and RC4 is keyed with it;
 *  - STATELESS: the key changes before EVERY packet, the first included
 *    (packet 0 is encrypted with the key after one change), and every
 *    packet carries FLUSHED;
 *  - STATEFUL: one RC4 stream runs across packets; the key changes before
 *    the "flag" packets (ccount & 0xFF == 0xFF) and before the first packet
 *    after a CCP Reset-Request, and those packets, only those, carry
 *    FLUSHED; the first packet goes without FLUSHED.  A receiver changes its
 *    key on each FLUSHED packet, after catching up the flag packets it
 *    missed.  (RFC 3078 8.2 has a Reset-Request only restart RC4 with the
 *    current key; Linux and Windows change the key, and so do we.)
 *  - a key change re-keys RC4 with the new session key (RFC 3078 7.3).
 *
 * What is encrypted is the inner PPP frame from its protocol field on; the
 * PPP engine decides which protocols go through MPPE (RFC 3078 3: 0x0021 to
 * 0x00FA) and wraps the result as protocol 0x00FD.
 *
 * Pure: the packet path neither allocates nor fails for lack of resources;
 * all key material lives in the struct and is wiped by mppe_dir_fini.
 */
#ifndef PPTPKIT_CRYPTO_MPPE_H
#define PPTPKIT_CRYPTO_MPPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../wire/cursor.h"
#include "../wire/mppe_hdr.h"
#include "mppe_keys.h"
#include "rc4.h"

#define MPPE_CCOUNT_SPACE	4096
/* A coherency count at most this far behind the last one seen counts as
 * late; more than that is taken as ahead (mod 4096).  The back half of the
 * circle, as Linux (commit 03654763, "discard late packet"). */
#define MPPE_LATE_WINDOW	2048
/*
 * The default bound on the key changes one received packet may cost.  A
 * stateless gap of N packets costs N key changes (about 0.5 us each, see
 * docs/PERFORMANCE.md); since MPPE has no integrity check, one forged
 * ccount could otherwise buy 2047 of them (~1 ms of CPU) and a receiver
 * that has lost more than ~1000 packets in a row is already on its way to
 * losing the count altogether.  Settable per direction, 1..2047.
 */
#define MPPE_MAX_GAP_DEFAULT	1024

struct mppe_dir {
	uint8_t		start_key[MPPE_KEY_MAX];	/* RFC 3079 StartKey */
	uint8_t		session_key[MPPE_KEY_MAX];	/* the current key */
	unsigned	keylen;		/* 8 or 16 */
	unsigned	bits;		/* 40, 56 or 128 */
	bool		stateless;	/* RFC 3078 H bit negotiated */
	struct rc4_fast	rc4;		/* keyed with session_key */
	uint16_t	ccount;		/* sender: last sent; receiver: last
					 * seen; 4095 before the first */
	bool		flushed_pending; /* sender: a Reset-Request came */
	bool		discarding;	/* receiver, stateful: out of sync,
					 * waiting for a FLUSHED packet */
	bool		reset_wanted;	/* receiver: a Reset-Request is due */
	uint32_t	missed_rekeys;	/* receiver, discarding: flag packets
					 * the sender passed meanwhile */
	unsigned	max_gap;	/* key changes one packet may cost */
	uint32_t	rekeys;		/* key changes done (statistics) */
	uint32_t	drops;		/* packets refused by mppe_decrypt */
};

/*
 * Sets up one direction: start_key[16] (its first 8 or 16 octets used) as
 * derived by mppe_keys.h for this direction, bits 40/56/128, stateless or
 * stateful.  Computes the initial session key and keys RC4 with it.
 * 0, or ERR_INVAL for other bits (d is then zeroed).
 */
int mppe_dir_init(struct mppe_dir *d, const uint8_t start_key[MPPE_KEY_MAX],
    unsigned bits, bool stateless) MUST_CHECK;

/* Wipes everything, key material first. */
void mppe_dir_fini(struct mppe_dir *d);

/* Bounds the key changes one received packet may cost (see
 * MPPE_MAX_GAP_DEFAULT).  0, or ERR_RANGE unless 1 <= max_gap <= 2047. */
int mppe_dir_set_max_gap(struct mppe_dir *d, unsigned max_gap) MUST_CHECK;

/*
 * Sender.  Appends to out the 2-octet MPPE header (src/wire/mppe_hdr.h:
 * ENCRYPTED, FLUSHED as described above, the coherency count) and then
 * len octets of ciphertext of in - the inner frame from its protocol field
 * on, so len >= 1.  in may be exactly the place the ciphertext will go
 * (out's position + 2) for in-place encryption, otherwise it must not
 * overlap out.
 * 0; ERR_INVAL if len is 0; ERR_NOSPACE (sticky in out, as every wr_*
 * call) if out cannot take 2 + len octets, or out's earlier error;
 * ERR_STATE if d is not initialised.  On error neither d nor out's content
 * changes.
 */
int mppe_encrypt(struct mppe_dir *d, const uint8_t *in, size_t len,
    struct wr *out) MUST_CHECK;

/*
 * Sender: the peer sent a CCP Reset-Request (RFC 1962, RFC 3078 8.2).  In
 * stateful mode the next packet changes the key, restarts RC4 and carries
 * FLUSHED; however many Reset-Requests come before that packet, it is one
 * key change.  In stateless mode every packet is flushed already: no-op.
 * The caller answers with a Reset-Ack (RFC 1962 wants one).
 */
void mppe_dir_reset(struct mppe_dir *d);

/*
 * Receiver.  *in holds one MPPE packet (the PPP payload of protocol
 * 0x00FD: header and ciphertext).  On success the plaintext - the inner
 * frame from its protocol field on - is written to out[cap], *outlen set,
 * and *in fully consumed.  out may be exactly the ciphertext's address
 * (rd_cur(in) + 2: in place) or anywhere before it in the same buffer
 * (e.g. the header's address, to drop the header as it decrypts); other
 * overlaps are not allowed.
 *
 * Returns 0 or, leaving d's keys, *in and out untouched:
 *  ERR_STATE      d is not initialised;
 *  ERR_TRUNCATED  fewer than 3 octets (a header and at least one octet);
 *  ERR_NOSPACE    the ciphertext is longer than cap;
 *  ERR_FORMAT     D (ENCRYPTED) is clear: plaintext where MPPE was agreed;
 *  ERR_FLAGS      the MPPC bits B or C set (MPPC was not negotiated), or
 *                 FLUSHED missing where it must be (every stateless
 *                 packet; a stateful flag packet);
 *  ERR_STALE      late or duplicate: with L the last count seen, the
 *                 distance (ccount - L) mod 4096 is 0 (a duplicate) or at
 *                 least MPPE_LATE_WINDOW (behind L): dropped, no key change;
 *  ERR_TOO_FAR    accepting would take more than max_gap key changes.
 *                 If the peer really is that far ahead, every later packet
 *                 will say so too: the caller should count these and, when
 *                 they persist, renegotiate CCP (a new mppe_dir_init on
 *                 both ends) or close the link;
 *  ERR_NOKEY      stateful only: a packet was lost and this one is not
 *                 FLUSHED, so it cannot be decrypted; the direction stays
 *                 in the discarding state until a FLUSHED packet comes.
 *                 mppe_dir_want_reset() says when to send the Reset-Request.
 * Every refused packet adds one to d->drops (but not ERR_NOSPACE and
 * ERR_STATE, which are the caller's).
 *
 * A stateful receiver cannot tell a lost FLUSHED packet from one it never
 * asked for: if the packet that answers a Reset-Request is itself lost,
 * the sender has changed its key once more than the receiver will, and
 * what follows decrypts to garbage (Linux behaves the same).  The PPP
 * engine sees it as nonsense protocol numbers; renegotiating CCP is the
 * cure.  Stateless mode has no such failure, which is one more reason
 * RFC 3078 9 advises it on lossy links.
 */
int mppe_decrypt(struct mppe_dir *d, struct rd *in, uint8_t *out, size_t cap,
    size_t *outlen) MUST_CHECK;

/* Receiver, stateful: true once per loss - the first call after
 * mppe_decrypt has entered the discarding state - so the caller sends one
 * CCP Reset-Request; false otherwise.  The caller may retransmit it on its
 * own timer while mppe_dir_is_discarding() stays true. */
bool mppe_dir_want_reset(struct mppe_dir *d);

/* Receiver, stateful: waiting for a FLUSHED packet. */
bool mppe_dir_is_discarding(const struct mppe_dir *d);

/*
 * The stateless receiver's decision, alone (mppe_decrypt uses it; exposed
 * for the table test).  last: the last count seen; ccount: the packet's.
 * 0 with *rekeys = the key changes needed ((ccount - last) mod 4096);
 * ERR_STALE for a duplicate or a late packet; ERR_TOO_FAR beyond max_gap.
 */
int mppe_ccount_judge(uint16_t last, uint16_t ccount, unsigned max_gap,
    unsigned *rekeys) MUST_CHECK;

/* "mppe 128-bit stateless ccount=12 rekeys=13 drops=0" - never a key. */
void mppe_dir_print(const struct mppe_dir *d, struct sbuf *sb);

#endif

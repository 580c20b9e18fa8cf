/*
 * inspect_crypt.h - the analyzer's MS-CHAP verification and MPPE
 * decryption: with the user's password (or NT hash) it checks the captured
 * exchange, derives the RFC 3079 keys, decrypts each direction's MPPE
 * frames (stateless and stateful) and hands the inner IP packets, with
 * their original timestamps, to a writer.  Included by inspect.h.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_CRYPT_H
#define PPTPKIT_INSPECT_INSPECT_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../wire/ppp_auth.h"

struct inspect;
struct ins_call;
struct ins_finding;
struct jw;

/* Credentials and output, set once before reading. */
struct ins_crypt {
	bool		enabled;
	/* inner packets: ts in microseconds, p[n] an IPv4 or IPv6 packet */
	void		(*inner)(void *ctx, uint64_t ts_us, const uint8_t *p,
			    size_t n);
	void		*inner_ctx;
};

/*
 * Sets the credentials (password, or nt_hash_hex: 32 hex digits) for user
 * (NULL: any user) and, when decrypt_out is not NULL, opens that pcap file
 * for the inner packets.  0, or ERR_* with err saying why.
 */
int ins_crypt_open(struct inspect *ins, const char *user,
    const char *password, const char *nt_hash_hex, const char *decrypt_out,
    char *err, size_t errlen);
/* Flushes and closes the inner pcap and wipes the secrets. */
void ins_crypt_close(struct inspect *ins);

/* Per call: the captured exchange and the decryption state. */
struct ins_call_crypt {
	int		verified;	/* 0 not tried, 1 match, -1 mismatch */
};

/* Hooks from inspect_ppp.c. */
void ins_crypt_chap(struct inspect *ins, struct ins_call *call, int d,
    const struct chap_msg *m);
void ins_crypt_cp(struct inspect *ins, struct ins_call *call, int d,
    uint16_t proto, const uint8_t *p, size_t n);
void ins_crypt_mppe(struct inspect *ins, struct ins_call *call, int d,
    const uint8_t *p, size_t n);

/* Report sections and findings ("mppe-keys-disagree", ...). */
void ins_crypt_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out, bool color);
void ins_crypt_json(struct jw *w, const struct inspect *ins,
    const struct ins_call *c);
size_t ins_crypt_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap);

#endif

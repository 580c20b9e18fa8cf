/*
 * inspect_crypt.h - the analyzer's MS-CHAP verification and MPPE
 * decryption: with the user's password (or NT hash) it checks the captured
 * exchange (CHAP-MD5 RFC 1994 4.1, MS-CHAPv1 RFC 2433, MS-CHAPv2 RFC 2759
 * including the authenticator's S= answer), derives the RFC 3079 keys for
 * the strength and mode the CCP Configure-Acks agreed (RFC 3078 2),
 * decrypts each direction's MPPE frames (stateless and stateful, RFC 3078
 * 7 and 8, with src/crypto/mppe.h, so a loss in the capture resyncs the
 * way a real receiver does) and hands the inner IP packets, with their
 * original timestamps, to a writer.  Included by inspect.h.
 *
 * Key roles (RFC 3079 3): the MS-CHAP peer (the PNS, the client) sends
 * with its "send" key and the authenticator (the PAC, the server) with
 * the other.  Which direction of a call is which is taken from the CHAP
 * packets themselves: the Challenge comes from the authenticator, the
 * Response from the peer; this also serves calls seen only as GRE.
 *
 * Nothing secret is printed.  The password, hashes and keys live in the
 * fixed arrays below and are wiped by ins_crypt_close.  The packet path
 * allocates nothing: it decrypts into ins_crypt.buf.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_CRYPT_H
#define PPTPKIT_INSPECT_INSPECT_CRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../crypto/mppe.h"
#include "../wire/ppp_auth.h"

struct inspect;
struct ins_call;
struct ins_finding;
struct jw;

#define INS_CRYPT_PW_MAX	1024	/* password octets (UTF-8) */
#define INS_CRYPT_NAME_MAX	255	/* CHAP Name octets kept */
#define INS_CRYPT_BUF		65536	/* one decrypted PPP payload */
#define INS_CRYPT_FRAMES	8	/* first frames kept per symptom */

/* Credentials and output, set once before reading. */
struct ins_crypt {
	bool		enabled;
	bool		have_user;
	char		user[INS_CRYPT_NAME_MAX + 1];	/* --user */
	size_t		user_len;
	bool		have_password;	/* else only the NT hash was given */
	char		password[INS_CRYPT_PW_MAX + 1];	/* secret */
	size_t		password_len;
	uint8_t		nt_hash[16];		/* secret */
	uint8_t		nt_hash_hash[16];	/* secret */
	bool		have_lm_hash;
	uint8_t		lm_hash[16];		/* secret */
	/* inner packets: ts in microseconds, p[n] an IPv4 or IPv6 packet */
	void		(*inner)(void *ctx, uint64_t ts_us, const uint8_t *p,
			    size_t n);
	void		*inner_ctx;
	/* the --decrypt-out writer (inspect_crypt_out.c): pcap_t and
	 * pcap_dumper_t, opaque to the pure core */
	void		*pcap, *dumper;
	uint64_t	written;	/* packets handed to the writer */
	uint8_t		buf[INS_CRYPT_BUF];	/* plaintext scratch */
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

/* inspect_crypt_out.c: opens path as a LINKTYPE_RAW (101) pcap and points
 * ins->crypt.inner at its writer; 0 or ERR_SYS with err saying why.  The
 * close flushes and closes it (nothing when none is open). */
int ins_crypt_out_open(struct ins_crypt *cr, const char *path, char *err,
    size_t errlen);
void ins_crypt_out_close(struct ins_crypt *cr);

/* Authentication methods the exchange below can be. */
enum ins_crypt_method {
	INS_CM_NONE, INS_CM_MD5, INS_CM_MSCHAPV1, INS_CM_MSCHAPV2
};

/* One direction of a call's MPPE. */
struct ins_crypt_dir {
	struct mppe_dir	mppe;		/* keyed when active */
	bool		active;
	unsigned	frames;		/* MPPE frames seen */
	unsigned	decrypted;	/* to a valid inner frame */
	unsigned	garbage;	/* to an invalid protocol / IP header */
	unsigned	failed;		/* refused: truncated, too far, flags,
					 * not encrypted */
	unsigned	stale;		/* late or duplicate: dropped */
	unsigned	discarded;	/* stateful, out of sync: waiting for
					 * a FLUSHED packet (RFC 3078 8.2) */
	unsigned	mppc;		/* MPPC-compressed: not readable */
	unsigned	skipped;	/* no keys for them */
	unsigned	lost;		/* coherency counts never seen */
	unsigned	resyncs;	/* back in sync at a FLUSHED packet */
	unsigned	extra_rekeys;	/* ... that needed extra key changes
					 * (a FLUSHED packet lost too) */
	unsigned	reset_reqs;	/* CCP Reset-Requests about this
					 * direction (sent by its receiver) */
	unsigned	reset_acks;
	unsigned	written;	/* inner IP packets handed out */
	unsigned	other_inner;	/* valid inner frames not IP */
	uint32_t	rekeys;		/* key changes done */
	unsigned	ngarbage;	/* first garbage frames kept */
	unsigned	garbage_frames[INS_CRYPT_FRAMES];
	unsigned	first_fail_frame;
	unsigned	first_frame;
};

/* Per call: the captured exchange and the decryption state. */
struct ins_call_crypt {
	int		verified;	/* 0 not tried, 1 match, -1 mismatch */
	bool		user_differs;	/* --user names someone else */
	const char	*not_verified;	/* why verified is 0, or NULL */
	enum ins_crypt_method method;
	/* the exchange (the latest Challenge and the Response to it) */
	bool		have_roles;
	uint8_t		auth_dir;	/* direction the authenticator sends */
	bool		have_chal;
	uint8_t		chal_id, chal_len;
	uint8_t		chal[64];
	unsigned	chal_frame;
	bool		have_resp;
	uint8_t		resp_id, resp_len;
	uint8_t		resp[MSCHAPV2_RESPONSE_LEN];
	unsigned	resp_frame;
	char		name[INS_CRYPT_NAME_MAX + 1];	/* CHAP Name */
	size_t		name_len;
	int		s_check;	/* MS-CHAPv2 S=: 0 unseen, 1, -1 */
	unsigned	s_frame;
	/* CCP: the last Configure-Ack option 18 sent in each direction */
	bool		have_ack[2];
	uint32_t	ack_bits[2];
	unsigned	ack_frame[2];
	bool		need_start;	/* keys or options changed */
	unsigned	starts;		/* MPPE (re)started */
	unsigned	start_frame;	/* the frame of the last start */
	unsigned	bits;		/* 40, 56, 128; 0 none yet */
	bool		stateless;
	const char	*unsupported;	/* why it cannot decrypt, or NULL */
	unsigned	unsupported_frame;
	struct ins_crypt_dir dir[2];
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

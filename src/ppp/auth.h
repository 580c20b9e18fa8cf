/*
 * auth.h - the authentication phase (RFC 1661 3.5) for both roles: PAP
 * (RFC 1334), CHAP-MD5 (RFC 1994), MS-CHAPv1 (RFC 2433), MS-CHAPv2
 * (RFC 2759), implemented in auth.c (shared entry points, MPPE keys),
 * auth_server.c and auth_client.c.  See ppp_int.h for how the parts fit.
 *
 * One direction only, as PPTP uses it: the server (authenticator) checks
 * the client (peer); the role in s->cfg decides which side we play.
 *
 * Server.  CHAP family: a Challenge (16 random octets for CHAP-MD5 and
 * MS-CHAPv2, 8 for MS-CHAPv1; Name = cfg.name) is resent every
 * cfg.fsm.restart_ms (default 3000) until a Response comes, at most
 * cfg.fsm.max_configure (default 10) times; then the phase fails with
 * PPP_DOWN_AUTH_TIMEOUT.  A Response with the Challenge's Identifier
 * raises PPP_EV_AUTH_REQUEST; further copies are ignored while the answer
 * is pending; a Name longer than 255 octets or holding a NUL is refused.
 * PAP: an Authenticate-Request raises it (later retransmissions, which
 * RFC 1334 gives new Identifiers, only update the Identifier the verdict
 * answers).  The verdict (auth_answer) is verified here when it carries
 * the secret, or taken as is when it says verified (RADIUS).  MS-CHAPv1
 * checks the NT-Response only (Flags must say "use NT"; the LM-Response
 * is ignored, as Windows sends it zeroed).
 *   - MS-CHAPv1/v2 failure with E=691: Failure "E=691 R=1 C=<new> V=3
 *     M=..." (MS-CHAPv1: "E=691 R=1 C=<8 octets>") and a retry is
 *     accepted: a Response to the C= challenge with the Failure's
 *     Identifier + 1 (RFC 2759 6), up to AUTH_SERVER_ATTEMPTS attempts;
 *     the last Failure says R=0.  Other E= codes (648, 649, ...) are
 *     final at once.
 *   - CHAP-MD5 and PAP failures are final at once (RFC 1994 4.2 and
 *     RFC 1334 2.2.2: "SHOULD take action to terminate the link").
 *   - A final failure sends Failure / Authenticate-Nak, then
 *     ppp_fail(PPP_DOWN_AUTH_FAILED, E, ...) with E = the answer's
 *     mschap_error or 691 for every method.
 *   - After a result, a Response repeating its Identifier (the peer lost
 *     the result) gets the same Success or Failure again (RFC 1994 4.2);
 *     after a PAP Ack, any Authenticate-Request gets an Ack.
 *
 * Client.  CHAP family: each Challenge is answered with cfg.user /
 * cfg.password (a repeated Challenge Identifier gets the same Response
 * again).  MS-CHAPv1 sends a zero LM-Response and Flags 1, as Windows
 * does.  MS-CHAPv2 hashes the user name without "DOMAIN\" (RFC 2759 8.2)
 * but sends it whole, and checks the server's S= in constant time:
 * missing or wrong fails the link (RFC 2759 9.1.2).  A MS-CHAP Failure
 * with R=1 and C= is retried (up to cfg.auth_retries times) with a new
 * Response to C= carrying the Failure's Identifier + 1 (RFC 2759 6); not
 * for E=648 (it would need Change-Password, which pptpkit does not do)
 * nor without a C= of the right size (RFC 2433's "previous challenge +
 * 23" is not implemented).  Any other Failure, or a PAP
 * Authenticate-Nak, fails the link with PPP_DOWN_AUTH_FAILED and the E=
 * code (0 for PAP/CHAP-MD5, 691 for an unparsable MS-CHAP Failure).
 * Every Response is resent each restart interval (at most max_configure
 * times, then PPP_DOWN_AUTH_TIMEOUT) until a result comes: the
 * authenticator stops resending its Challenge once it has a Response and
 * must take repeated ones (RFC 1994 4.2), so without this a lost Success
 * would hang the link, and a retry has no Challenge to prompt it.  A new
 * Challenge after success (RFC 1994 periodic re-challenge) is not
 * answered.  PAP: an Authenticate-Request with a new Identifier on each
 * of at most max_configure transmissions, one per restart interval.
 *
 * Either role: the whole phase is bounded by cfg.auth_timeout_ms (default
 * 30000): PPP_DOWN_AUTH_TIMEOUT; the timers run only while the session is
 * in the Authenticate phase.  Log lines (ppp_log, "auth: ...") name the
 * method, the escaped user and the result; never a password, hash or key.
 *
 * Secrets: every password copy, NT hash and key lives in a fixed array of
 * struct auth_state and is wiped as soon as it is not needed and in
 * auth_fini().
 */
#ifndef PPTPKIT_PPP_AUTH_H
#define PPTPKIT_PPP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp.h"

struct ppp;
struct ppp_auth_answer;

#define AUTH_SERVER_ATTEMPTS	3	/* MS-CHAP Responses judged per link */
#define AUTH_PKT_MAX		520	/* largest auth packet we build (PAP:
					 * 4 + 1 + 255 + 1 + 255) */
#define AUTH_PEER_CHALLENGE_MAX	255	/* a CHAP-MD5 server's may be any */

/* What the phase is doing (both roles). */
enum auth_step {
	AUTH_IDLE,		/* not started */
	AUTH_WAIT,		/* server: Challenge out / waiting for the
				 * PAP request; client: waiting for a
				 * Challenge or the result */
	AUTH_PENDING,		/* server: PPP_EV_AUTH_REQUEST raised */
	AUTH_RETRY,		/* server: MS-CHAP Failure R=1 sent, waiting
				 * for the Response with Identifier + 1 */
	AUTH_DONE,		/* succeeded */
	AUTH_FAILED,		/* gave up; ppp_fail() was called */
};

struct auth_state {
	unsigned	method;		/* PPP_AUTH_* in use; 0 = none */
	bool		done;		/* succeeded */
	bool		pending;	/* server: ppp_auth_answer awaited */
	uint64_t	deadline;	/* whole phase; UINT64_MAX if none */
	/* inputs the MPPE keys are derived from (RFC 3079), wiped at free */
	bool		have_keys;	/* pw_hash_hash and nt_response set */
	uint8_t		send_key[16], recv_key[16];	/* given (RADIUS) */
	bool		keys_given;
	uint8_t		pw_hash_hash[16];
	uint8_t		nt_response[24];
	uint8_t		lm_hash[16];
	bool		have_lm_hash;
	uint8_t		v1_challenge[8];

	enum auth_step	step;
	bool		server;		/* our role is the authenticator */
	/* The peer's name (server) or ours (client), as sent: for logs and
	 * PPP_EV_AUTH_OK.  user_len excludes the NUL. */
	char		user[PPP_NAME_MAX + 1];
	size_t		user_len;

	/* Identifier of the Challenge / Response / Authenticate-Request in
	 * play; the packet last sent for retransmission and its timer. */
	uint8_t		id;
	uint16_t	tx_proto;	/* PPP_PAP or PPP_CHAP; 0: none */
	size_t		tx_len;		/* 0: nothing to resend */
	uint8_t		tx_pkt[AUTH_PKT_MAX];	/* may hold a PAP password */
	unsigned	tx_count;	/* transmissions of it so far */
	uint64_t	resend_at;	/* UINT64_MAX if no resend is due */

	/* Server: the last Success/Failure (or PAP Ack), resent when the
	 * peer repeats the Response it answers. */
	uint8_t		res_id;
	size_t		res_len;
	uint8_t		res_pkt[AUTH_PKT_MAX];
	unsigned	attempts;	/* server: Responses judged;
					 * client: MS-CHAP retries made */

	/* The authenticator's challenge (ours as server, the peer's as
	 * client) and, for MS-CHAPv2, the peer challenge. */
	uint8_t		challenge[AUTH_PEER_CHALLENGE_MAX];
	size_t		challenge_len;
	uint8_t		peer_challenge[16];

	/* Server: the Response being judged. */
	uint8_t		md5_response[16];
	uint8_t		v1_flags;
	size_t		pap_pw_len;
	uint8_t		pap_pw[256];	/* PAP password until the verdict */
};

/* Empties (wipes) the state for s->cfg.role: no method, no timers. */
void auth_init(struct ppp *s);
/* LCP opened with an authentication protocol agreed: start (server: with
 * s->lcp.auth_proto / auth_alg, client: s->lcp.peer_auth_proto /
 * peer_auth_alg).  An unknown protocol or algorithm fails the link with
 * PPP_DOWN_AUTH_POLICY. */
void auth_start(struct ppp *s, uint64_t now);
/* A PAP (0xC023) or CHAP (0xC223) packet from the peer (from the Code
 * field on).  0 when taken (a repeated packet answered again counts as
 * taken); otherwise it was dropped and the result says why: ERR_STATE
 * before auth_start, after a failure, or for a code this role does not
 * take or a protocol other than the agreed one; ERR_STALE for a wrong
 * Identifier or a copy arriving while the answer is pending;
 * ERR_UNSUPPORTED for a MS-CHAPv2 Change-Password; a codec error
 * (ERR_LENGTH, ERR_CODE, ERR_FORMAT, ...) for a malformed one.  Never
 * fatal by itself. */
int auth_input(struct ppp *s, uint64_t now, uint16_t proto,
    const uint8_t *pkt, size_t len);
/* The earliest of the phase deadline and a due retransmission;
 * UINT64_MAX once the phase is over. */
uint64_t auth_deadline(const struct ppp *s);
void auth_timeout(struct ppp *s, uint64_t now);
/* Server: the caller's verdict (see ppp_auth_answer in ppp.h).  0 when it
 * was applied (success or failure sent); ERR_STATE if no request is
 * pending; ERR_INVAL for an accept that carries neither a secret nor
 * verified=true, or a CHAP-MD5 accept with only an NT hash (the Response
 * cannot be checked): the attempt then counts as failed. */
int auth_answer(struct ppp *s, uint64_t now, const struct ppp_auth_answer *a);
/* The MPPE start keys for this role and strength, from what the MS-CHAP
 * exchange left (RFC 3079): send = ours to the peer.  bits is 40, 56 or
 * 128 (else ERR_INVAL).  0, or ERR_STATE when authentication has not
 * succeeded or its method gives no keys: PAP, CHAP-MD5, a RADIUS verdict
 * without keys, or 40/56-bit MS-CHAPv1 without the LM hash (RFC 3079
 * 2.1: the keys come from LmPasswordHash, which exists only for an ASCII
 * password of at most 14 characters known here - pppd: "MS-CHAP LM not
 * supported").  Keys given by the verdict (RADIUS MS-MPPE-Send/Recv-Key)
 * are copied as they came. */
int auth_mppe_keys(struct ppp *s, unsigned bits, uint8_t send[16],
    uint8_t recv[16]);
/* LCP left Opened: stops the timers, forgets a pending request (a later
 * ppp_auth_answer gets ERR_STATE) and wipes everything, the MPPE key
 * inputs and the method included (method = 0, done = false): a new LCP
 * Opened authenticates again from the start (RFC 1661 3.5), and one that
 * agrees no authentication must not find the last one's result. */
void auth_stop(struct ppp *s);
/* Wipes every secret. */
void auth_fini(struct ppp *s);

/*
 * --- inside the auth part only (auth.c, auth_server.c, auth_client.c) ---
 */
struct chap_msg;
struct pap_msg;

#define AUTH_ESC_MAX	(4 * PPP_NAME_MAX + 1)	/* a name escaped (\xNN) */

/* Role entry points; auth.c has decoded the packet and checked that the
 * protocol is the agreed one.  Returns as auth_input. */
void auth_srv_start(struct ppp *s, uint64_t now);
int auth_srv_pap_input(struct ppp *s, const struct pap_msg *m);
int auth_srv_chap_input(struct ppp *s, const struct chap_msg *m);
void auth_cli_start(struct ppp *s, uint64_t now);
int auth_cli_pap_input(struct ppp *s, const struct pap_msg *m);
int auth_cli_chap_input(struct ppp *s, uint64_t now,
    const struct chap_msg *m);
/* Client PAP: (re)transmits the Authenticate-Request, new Identifier. */
void auth_cli_pap_send(struct ppp *s, uint64_t now);

/* Shared helpers (auth.c). */
uint32_t auth_restart_ms(const struct ppp *s);	/* cfg or 3000 */
const char *auth_method_name(unsigned method);	/* "mschapv2" */
bool auth_is_mschap(unsigned method);
/* The authenticator's challenge length: 8 for MS-CHAPv1, else 16. */
size_t auth_challenge_len(unsigned method);
/* The E= code in words ("password expired"), into buf. */
const char *auth_error_text(uint32_t error, char *buf, size_t cap);
/* a->user escaped for a log line, into buf[AUTH_ESC_MAX]. */
const char *auth_user_esc(const struct auth_state *a, char *buf,
    size_t cap);
/* a->user past any "DOMAIN\" (RFC 2759 8.2 ChallengeHash). */
void auth_user_nodomain(const struct auth_state *a, const char **u,
    size_t *ulen);
/* Copies len (cut to PPP_NAME_MAX) octets into a->user, NUL-terminated. */
void auth_set_user(struct auth_state *a, const void *name, size_t len);
/* Wipes the PAP password copy; forgets (and wipes) the packet being
 * retransmitted and stops its timer. */
void auth_wipe_pap(struct auth_state *a);
void auth_stop_tx(struct auth_state *a);
/* Sends a->tx_pkt, counts it and arms the restart timer. */
void auth_tx_send(struct ppp *s, uint64_t now);
/* Encode one whole packet into buf[cap]: 0 with *len, or the codec's
 * error. */
int auth_chap_build(uint8_t *buf, size_t cap, size_t *len,
    const struct chap_msg *m);
int auth_pap_build(uint8_t *buf, size_t cap, size_t *len,
    const struct pap_msg *m);
/* Ends the phase as failed (the caller then calls ppp_fail). */
void auth_give_up(struct auth_state *a);

#endif

/*
 * ppp.h - pptpkit's PPP engine: one session of PPP over a PPTP call, in
 * either role, as a pure core (RFC 1661 phases, LCP, PAP/CHAP/MS-CHAP,
 * IPCP with RFC 1877 DNS, IPV6CP, CCP with MPPE per RFC 3078/3079).
 *
 * The session takes frames and the time, and gives back frames to send, the
 * next deadline and events, through the callbacks of struct ppp_io.  It owns
 * no socket, reads no clock and draws no randomness: time is an argument
 * (milliseconds on any monotonic scale), random bytes come from io->random,
 * and the credential check is the caller's, asynchronous: the server session
 * raises PPP_EV_AUTH_REQUEST and waits (bounded by auth_timeout_ms) for
 * ppp_auth_answer(), so a RADIUS answer may come later.
 *
 * Frames handed to io->send and taken by ppp_input() are PPP frames as they
 * travel in GRE: optional FF 03 (Address and Control; omitted only after
 * ACFC was negotiated, never for LCP), then the protocol field (1 octet only
 * after PFC), then the information field.  No HDLC, no FCS (RFC 2637 4).
 *
 * Memory: ppp_new() allocates the whole session once; nothing on the packet
 * path allocates.  Secrets (passwords, NT hashes, MPPE keys) are wiped when
 * no longer needed and in ppp_free().
 */
#ifndef PPTPKIT_PPP_PPP_H
#define PPTPKIT_PPP_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "fsm.h"

#define PPP_NAME_MAX		255	/* user and host names we keep */
#define PPP_SECRET_MAX		256	/* passwords (MS-CHAP: 256 characters) */
#define PPP_MRU_DEFAULT		1400	/* PPTP peers' usual MRU (RRAS, npppd) */
#define PPP_MRU_MIN		576	/* we Nak a smaller MRU up to this */
#define PPP_FRAME_MAX		1600	/* largest frame built or accepted */
#define PPP_REASON_MAX		160	/* down-reason text */

enum ppp_role {
	PPP_ROLE_SERVER,	/* authenticator; assigns addresses (the PAC side) */
	PPP_ROLE_CLIENT,	/* authenticatee; learns addresses (the PNS side) */
};

/* Authentication methods, as a bit set for policy. */
#define PPP_AUTH_PAP		0x01	/* RFC 1334: password in the clear */
#define PPP_AUTH_CHAP_MD5	0x02	/* RFC 1994 */
#define PPP_AUTH_MSCHAPV1	0x04	/* RFC 2433 */
#define PPP_AUTH_MSCHAPV2	0x08	/* RFC 2759 (the default, alone) */
#define PPP_AUTH_ALL		0x0f

enum ppp_mppe_policy {
	PPP_MPPE_REQUIRED,	/* the default: no MPPE, no link */
	PPP_MPPE_ALLOWED,	/* use it if the peer agrees */
	PPP_MPPE_REFUSED,	/* never */
};

/* MPPE key strengths, as a bit set for policy (RFC 3078 2: L, M, S). */
#define PPP_MPPE_40		0x01
#define PPP_MPPE_56		0x02
#define PPP_MPPE_128		0x04

/* Phases, RFC 1661 3.2. */
enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

struct ppp_config {
	enum ppp_role	 role;
	unsigned	 auth_methods;	/* PPP_AUTH_*; default MSCHAPV2 */
	enum ppp_mppe_policy mppe;	/* default REQUIRED */
	unsigned	 mppe_bits;	/* PPP_MPPE_*; default 128 */
	bool		 mppe_stateless; /* allowed; default true */
	bool		 mppe_stateful;	/* allowed; default false (RFC 3078 9) */
	bool		 mppe_prefer_stateful; /* with both modes allowed, ask
					 * for stateful first (ccp.h);
					 * default false */
	uint16_t	 mru;		/* we ask for; default 1400 */
	bool		 no_pfc, no_acfc; /* neither ask nor accept them */
	uint32_t	 echo_interval_ms; /* LCP Echo when idle; 0 = off */
	unsigned	 echo_failures;	/* unanswered Echoes before down */
	uint32_t	 auth_timeout_ms; /* whole auth phase; default 30000 */
	unsigned	 auth_retries;	/* client: MS-CHAPv2 retries; default 2 */
	bool		 ipv6;		/* run IPV6CP (else Protocol-Reject it) */
	struct fsm_config fsm;		/* restart timer and counters */
	char		 name[PPP_NAME_MAX + 1]; /* server: CHAP Name we send */
	/* server: offered to the peer (RFC 1877); 0 = not offered (Reject) */
	uint32_t	 dns[2];	/* host order */
	uint32_t	 nbns[2];
	/* client: credentials */
	char		 user[PPP_NAME_MAX + 1];
	char		 password[PPP_SECRET_MAX + 1];
};

/* Fills c with the defaults above for role (names and secrets empty). */
void ppp_config_default(struct ppp_config *c, enum ppp_role role);

enum ppp_event_type {
	PPP_EV_AUTH_REQUEST,	/* server: check ev->auth, then ppp_auth_answer() */
	PPP_EV_AUTH_OK,		/* authentication succeeded (either role) */
	PPP_EV_IP_UP,		/* IPCP opened (and MPPE too when required) */
	PPP_EV_IPV6_UP,		/* IPV6CP opened */
	PPP_EV_DOWN,		/* the session ended; ev->down says why */
	PPP_EV_LOG,		/* a protocol event worth a log line (ev->text) */
};

/* Why a session ended. */
enum ppp_down_reason {
	PPP_DOWN_ADMIN,		/* ppp_close() */
	PPP_DOWN_LOWER,		/* ppp_lower_down(): the tunnel went */
	PPP_DOWN_PEER,		/* the peer sent LCP Terminate-Request */
	PPP_DOWN_NEGOTIATION,	/* LCP (or a required NCP) never converged */
	PPP_DOWN_NO_ANSWER,	/* our Configure-Requests were never answered */
	PPP_DOWN_AUTH_FAILED,	/* wrong credentials (ev->down.mschap_error) */
	PPP_DOWN_AUTH_TIMEOUT,	/* no auth result in time */
	PPP_DOWN_AUTH_POLICY,	/* no common auth method */
	PPP_DOWN_MPPE,		/* MPPE required but not agreed (text: offers) */
	PPP_DOWN_ECHO,		/* LCP Echo-Requests unanswered */
	PPP_DOWN_LOOPBACK,	/* looped-back link (magic numbers) */
	PPP_DOWN_PROTOCOL,	/* fatal protocol error (text) */
};

struct ppp_auth_request {
	unsigned	method;		/* one PPP_AUTH_* */
	char		user[PPP_NAME_MAX + 1];	/* as sent, escaped by the logger */
	const char	*user_nodomain;	/* points into user past any DOMAIN\ */
};

struct ppp_event {
	enum ppp_event_type	type;
	union {
		struct ppp_auth_request	auth;	/* AUTH_REQUEST */
		struct {			/* AUTH_OK */
			unsigned	method;
			char		user[PPP_NAME_MAX + 1];
		} auth_ok;
		struct {			/* IP_UP */
			uint32_t	local, peer;	/* host order */
			uint32_t	dns[2];		/* learned (client) or given */
			unsigned	mppe_bits;	/* 0 (none), 40, 56, 128 */
			bool		mppe_stateless;
			uint16_t	mtu;		/* peer's MRU less MPPE overhead */
		} ip;
		struct {			/* IPV6_UP */
			uint8_t		local_id[8], peer_id[8];
			uint16_t	mtu;		/* as in IP_UP */
		} ipv6;
		struct {			/* DOWN */
			enum ppp_down_reason	reason;
			uint32_t		mschap_error;	/* 691, 648, 649 or 0 */
		} down;
	} u;
	const char		*text;	/* DOWN and LOG: a one-line explanation */
};

/*
 * The server's answer to PPP_EV_AUTH_REQUEST.  Either the secret, so the
 * engine verifies the response and derives the MPPE keys itself (local
 * chap-secrets), or a verdict made elsewhere (RADIUS: MS-CHAP2-Success and
 * MS-MPPE keys).  Addresses are the ones IPCP will give (host order).
 */
struct ppp_auth_answer {
	bool		 accept;	/* false: reject (use error below) */
	uint32_t	 mschap_error;	/* when rejecting: 691 default, 648, 649 */
	/* local verification: exactly one of password / nt_hash */
	const char	*password;	/* NUL-terminated, or NULL */
	bool		 has_nt_hash;
	uint8_t		 nt_hash[16];
	/* verdict from elsewhere (RADIUS): verified = true */
	bool		 verified;
	uint8_t		 auth_response[20];	/* MS-CHAPv2 S= value */
	bool		 has_mppe_keys;
	uint8_t		 mppe_send_key[16];	/* server -> client */
	uint8_t		 mppe_recv_key[16];	/* client -> server */
	/* IPCP */
	uint32_t	 local_ip;
	uint32_t	 peer_ip;
};

struct ppp_io {
	void	*ctx;
	/* One PPP frame to send to the peer (valid during the call). */
	void	(*send)(void *ctx, const uint8_t *frame, size_t len);
	/* An IPv4 (PPP_IP) or IPv6 (PPP_IPV6) packet from the peer. */
	void	(*deliver)(void *ctx, uint16_t proto, const uint8_t *pkt,
		    size_t len);
	/* An event (valid during the call). */
	void	(*event)(void *ctx, const struct ppp_event *ev);
	/* Fills buf with n unpredictable bytes (challenges, magic, ids). */
	void	(*random)(void *ctx, void *buf, size_t n);
};

struct ppp_stats {
	uint64_t	rx_frames, tx_frames;
	uint64_t	rx_bytes, tx_bytes;		/* inner IP bytes */
	uint64_t	rx_ip_packets, tx_ip_packets;
	uint64_t	rx_dropped;	/* malformed, unexpected, undecryptable */
	uint64_t	rx_unknown_proto;	/* Protocol-Rejected */
	uint64_t	mppe_rx_drops, mppe_resets_sent, mppe_resets_rcvd;
	uint64_t	echo_sent, echo_rcvd;
};

struct ppp;

/* Allocates and sets up a session in the Dead phase.  cfg and io are
 * copied.  0, ERR_INVAL (no send/event/random callback, bad policy: e.g. no
 * auth method, MPPE required with PAP/CHAP-MD5 only), or ERR_NOMEM. */
int ppp_new(struct ppp **out, const struct ppp_config *cfg,
    const struct ppp_io *io) MUST_CHECK;

/* Wipes and frees; NULL is fine. */
void ppp_free(struct ppp *s);

/* The lower layer (the PPTP call) is up: LCP starts negotiating. */
int ppp_start(struct ppp *s, uint64_t now);

/* One frame from the peer.  Returns 0 when it was taken, or the reason it
 * was dropped (counted in stats; never fatal). */
int ppp_input(struct ppp *s, uint64_t now, const uint8_t *frame, size_t len);

/* Sends one IPv4 or IPv6 packet (the version nibble decides) to the peer,
 * encrypted if MPPE is on.  0, ERR_STATE if that protocol is not up yet,
 * ERR_LENGTH if it exceeds the peer's MRU. */
int ppp_send_ip(struct ppp *s, uint64_t now, const uint8_t *pkt, size_t len);

/* Runs whatever timers are due.  ppp_deadline(): the earliest; UINT64_MAX
 * if none. */
int ppp_timeout(struct ppp *s, uint64_t now);
uint64_t ppp_deadline(const struct ppp *s);

/* Administrative close: LCP Terminate-Request; PPP_EV_DOWN follows. */
int ppp_close(struct ppp *s, uint64_t now, const char *reason);

/* The lower layer went away: no more frames; PPP_EV_DOWN follows at once. */
int ppp_lower_down(struct ppp *s, uint64_t now);

/* Server: the answer to the pending PPP_EV_AUTH_REQUEST.  ERR_STATE if none
 * is pending (e.g. it timed out). */
int ppp_auth_answer(struct ppp *s, uint64_t now,
    const struct ppp_auth_answer *a);

enum ppp_phase ppp_phase(const struct ppp *s);
const struct ppp_stats *ppp_stats(const struct ppp *s);
const char *ppp_phase_name(enum ppp_phase p);
const char *ppp_down_reason_name(enum ppp_down_reason r);

#endif

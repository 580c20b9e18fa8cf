/*
 * inspect_diag.h - the analyzer's diagnosis: the evidence collected while
 * reading (echoes, rejects, naks, auth failure codes, CCP offers, control
 * teardown) and the named findings and security audit computed from it.
 * Included by inspect.h: data types and prototypes only.
 *
 * Evidence is gathered by inspect_ppp.c (PPP control packets of a call)
 * and inspect_pptp.c (control messages, TCP close) at the cost of a few
 * counters per control packet; data frames cost nothing here.  Findings
 * are computed only when a report is written (inspect_diag.c), the audit
 * in inspect_audit.c.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_DIAG_H
#define PPTPKIT_INSPECT_INSPECT_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct inspect;
struct ins_call;
struct ins_conn;
struct jw;

enum ins_sev { INS_SEV_INFO, INS_SEV_WARN, INS_SEV_ERROR };

#define INS_FINDING_FRAMES	8
#define INS_FINDING_TEXT	512

/* One named finding (or audit item) with the frames that prove it. */
struct ins_finding {
	const char	*code;		/* stable name: "gre-one-way", ... */
	enum ins_sev	sev;
	unsigned	conn_id;	/* 0 when not tied to a connection */
	unsigned	call_id;	/* 0 when not tied to a call */
	char		text[INS_FINDING_TEXT];
	unsigned	nframes;
	unsigned	frames[INS_FINDING_FRAMES];
};

#define INS_DIAG_TRIES		3	/* requests or packets before "no
					 * answer" or "one way" is sure */
#define INS_DIAG_OPTS		6	/* distinct options kept per side */
#define INS_DIAG_OPT_TEXT	48
#define INS_DIAG_MSG		96	/* peer text kept (raw octets) */
#define INS_DIAG_MASK		24	/* masked PAP password */

/* An option one side answered with Configure-Nak or -Reject. */
struct ins_diag_opt {
	uint8_t		type;
	uint8_t		code;		/* PPP_CONF_NAK or PPP_CONF_REJ */
	unsigned	count;
	unsigned	first_frame, last_frame;
	char		text[INS_DIAG_OPT_TEXT];	/* last value, printed */
};

/* One control protocol (LCP, IPCP, IPV6CP, CCP) as sent by one side. */
struct ins_cp_side {
	unsigned	req, ack, nak, rej, term_req, term_ack;
	unsigned	first_req_frame, last_req_frame;
	unsigned	first_ack_frame, last_ack_frame;
	unsigned	first_nakrej_frame, last_nakrej_frame;
	unsigned	term_frame;	/* first Terminate-Request */
	bool		term_before_open;	/* sent before both sides acked */
	unsigned	nopts;
	struct ins_diag_opt opts[INS_DIAG_OPTS];
};

/* MPPE Supported-Bits (RFC 3078 2) one side sent in one CCP code. */
struct ins_mppe_bits {
	bool		have;
	uint32_t	bits;
	unsigned	frame;
};

/* Evidence per call (filled by inspect_ppp.c / inspect_pptp.c).  Arrays
 * of 2 are by sender direction (ins_call.dir). */
struct ins_call_diag {
	struct ins_cp_side cp[4][2];	/* [INS_CP_*][sender] */
	uint64_t	first_ts[2];	/* first PPP frame of each direction */
	/* LCP keepalives (RFC 1661 5.8) */
	unsigned	echo_req[2], echo_rep[2];
	unsigned	echo_unans[2];	/* requests since the peer's last reply */
	unsigned	echo_unans_first[2];
	unsigned	echo_last_req[2], echo_last_rep[2];
	/* LCP odds and ends */
	unsigned	protrej_ccp[2];	/* frame: Protocol-Reject of CCP */
	unsigned	eap_frame[2];	/* frame: EAP offered (ConfReq) or
					 * suggested (ConfNak) by the sender */
	uint16_t	auth_asked[2];	/* auth protocol in the sender's first
					 * ConfReq with one (0 = none) */
	uint8_t		auth_alg_asked[2];
	char		term_msg[2][INS_DIAG_MSG];	/* first LCP Terminate-
							 * Request's data */
	size_t		term_msg_len[2];
	bool		term_msg_cut[2];	/* longer than kept */
	/* authentication (RFC 1334, RFC 1994, RFC 2433, RFC 2759) */
	unsigned	challenge_frame;	/* first CHAP Challenge */
	unsigned	auth_fail, auth_fail_frame;	/* first failure */
	unsigned	auth_fail_last;		/* last failure's frame */
	unsigned	auth_fail_req;	/* the request/response it answered */
	int		auth_fail_dir;
	bool		have_mserr;	/* a Failure message with E= */
	uint32_t	mserr;
	bool		msretry;
	bool		have_msver;
	uint32_t	msver;
	char		fail_msg[INS_DIAG_MSG];	/* M= / PAP message / CHAP text */
	size_t		fail_msg_len;
	char		pap_mask[INS_DIAG_MASK];	/* "s****t"; never the
							 * password itself */
	/* CCP / MPPE (RFC 1962, RFC 3078) */
	struct ins_mppe_bits ccp_first_req[2], ccp_req[2], ccp_nak[2],
			ccp_ack[2];
	unsigned	ccp_rej_mppe[2];	/* frame: Reject of option 18 */
	unsigned	ccp_reset_req[2], ccp_reset_first[2], ccp_reset_ack[2];
	/* control connection (RFC 2637 2.7 - 2.13) */
	uint64_t	req_ts, end_ts;
	bool		have_req_fp;
	uint32_t	req_fp;		/* OCRQ/ICRQ body less the call ID */
	uint8_t		reply_error;
	uint16_t	reply_cause;
	bool		have_cdn;
	uint8_t		cdn_result, cdn_error;
	uint16_t	cdn_cause;
};

/* Evidence per control connection. */
struct ins_conn_diag {
	unsigned	stop_rq_frame, stop_rp_frame;
	uint8_t		stop_rq_dir, stop_reason;
	uint8_t		stop_rp_result, stop_rp_error;
	unsigned	echo_rq, echo_rp;
	unsigned	echo_unans[2];	/* Echo-Requests by sender since the
					 * peer's last Echo-Reply */
	unsigned	echo_unans_first[2], echo_unans_last[2];
	uint64_t	echo_unans_ts[2];
	unsigned	sccrp_frame;
	uint8_t		sccrp_result, sccrp_error;
	bool		have_sccrq_fp;
	uint32_t	sccrq_fp;	/* SCCRQ body: host, vendor, caps */
	unsigned	fin_frame, rst_frame;	/* first of each */
	uint8_t		fin_dir, rst_dir;
	uint64_t	close_ts;
};

/* All findings of the capture (per call and not), in report order;
 * returns how many were written to out[cap]. */
size_t ins_diagnose(const struct inspect *ins, struct ins_finding *out,
    size_t cap);

/* Report sections: findings and the security audit of call c, and the
 * findings tied to no call. */
void ins_diag_call_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out, bool color);
void ins_diag_call_json(struct jw *w, const struct inspect *ins,
    const struct ins_call *c);
void ins_diag_global_text(const struct inspect *ins, FILE *out, bool color);
void ins_diag_global_json(struct jw *w, const struct inspect *ins);

/* --- finer entry points (inspect_diag.c, inspect_audit.c,
 * inspect_diag_report.c) --- */

/* The findings of call c alone (its GRE, PPP, control, NAT, MTU and
 * decryption findings), appended to out[cap]; returns how many. */
size_t ins_diag_call(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap);
/* The findings of control connection cn (teardown, echoes, refusals). */
size_t ins_diag_conn(const struct inspect *ins, const struct ins_conn *cn,
    struct ins_finding *out, size_t cap);
/* The security audit of call c (items with code, severity, text). */
size_t ins_audit_call(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap);

/* "error", "warning", "info". */
const char *ins_sev_name(enum ins_sev s);

/* Describes MPPE Supported-Bits for a person: "MPPE-128 stateless",
 * "MPPE-40/128 stateful", "no MPPE" (bits 0), "+MPPC" appended when C is
 * set.  Writes into buf[cap]; returns buf. */
const char *ins_mppe_desc(uint32_t bits, char *buf, size_t cap);

/* --- shared by inspect_diag.c, inspect_audit.c and inspect_diag_report.c
 * (not an API) --- */

/* Appends a finding to out[cap] (*n counts them); NULL when full. */
struct ins_finding *ins_finding_add(struct ins_finding *out, size_t cap,
    size_t *n, const char *code, enum ins_sev sev, unsigned conn_id,
    unsigned call_id);
/* Appends printf text to f's text (cut at INS_FINDING_TEXT). */
void ins_finding_printf(struct ins_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Adds a proving frame (0 and repeats are ignored; kept sorted). */
void ins_finding_frame(struct ins_finding *f, unsigned frame);
/* The findings of one call being built (ins_flist_add appends). */
struct ins_flist {
	struct ins_finding	*out;
	size_t			 cap, n;
	const struct inspect	*ins;
	const struct ins_call	*c;
};
struct ins_finding *ins_flist_add(struct ins_flist *l, const char *code,
    enum ins_sev sev);
/* inspect_audit.c: LCP, IPCP, authentication, MPPE and keepalive findings
 * of l->c, appended to l. */
void ins_diag_ppp(struct ins_flist *l);
/* "" or "s" for n. */
const char *ins_pl(unsigned n);
/* s[n] escaped (sbuf_escaped) into buf[cap]; returns buf. */
const char *ins_esc(char *buf, size_t cap, const void *s, size_t n);
/* "PNS 10.0.0.1" / "PAC 10.0.0.2" (or the bare address of a GRE-only
 * call's side) of the side that sends direction d of c, into buf[cap]. */
const char *ins_side_name(const struct ins_call *c, int d, char *buf,
    size_t cap);
/* The authenticated user name, escaped and quoted, or "(unknown)". */
const char *ins_user_str(const struct ins_call *c, char *buf, size_t cap);

/* Call c ends at frame (CDN, Stop-Control-Connection-Reply, TCP close):
 * sets ended/end_frame the first time. */
void ins_call_end(struct inspect *ins, struct ins_call *c, unsigned frame);

#endif

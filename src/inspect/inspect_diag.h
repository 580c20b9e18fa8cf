/*
 * inspect_diag.h - the analyzer's diagnosis: the evidence collected while
 * reading (echoes, rejects, naks, auth failure codes, CCP offers, control
 * teardown) and the named findings and security audit computed from it.
 * Included by inspect.h: data types and prototypes only.
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
#define INS_FINDING_TEXT	256

/* One named finding with the frames that prove it. */
struct ins_finding {
	const char	*code;		/* stable name: "gre-one-way", ... */
	enum ins_sev	sev;
	unsigned	conn_id;	/* 0 when not tied to a connection */
	unsigned	call_id;	/* 0 when not tied to a call */
	char		text[INS_FINDING_TEXT];
	unsigned	nframes;
	unsigned	frames[INS_FINDING_FRAMES];
};

/* Evidence per call (filled by inspect_ppp.c / inspect_pptp.c). */
struct ins_call_diag {
	unsigned	lcp_confreq[2];		/* by sender direction */
	unsigned	lcp_first_req_frame[2];
};

/* Evidence per control connection. */
struct ins_conn_diag {
	unsigned	stop_rq_frame, stop_rp_frame;
	unsigned	echo_rq, echo_rp;
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

#endif

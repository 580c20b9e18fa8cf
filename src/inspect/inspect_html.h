/*
 * inspect_html.h - internals of the HTML report (not an API): the escaper
 * every capture-supplied string goes through, and the sections written by
 * inspect_html_ladder.c (sequence diagrams) and inspect_html_plot.c
 * (throughput and loss charts).  All output is inline: no file, script,
 * style sheet or font is ever referenced, so the page works offline.
 */
#ifndef PPTPKIT_INSPECT_INSPECT_HTML_H
#define PPTPKIT_INSPECT_INSPECT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../inspect/inspect.h"

/* Writes s[n] HTML-escaped (& < > " ' as entities; control octets and
 * octets >= 0x80 as the text \xNN, so the page stays valid UTF-8 whatever
 * the capture holds).  Safe inside element text and quoted attributes. */
void hx_esc(FILE *f, const char *s, size_t n);
/* The same for a NUL-terminated string (NULL writes nothing). */
void hx_s(FILE *f, const char *s);
/* The same for at most max octets of s, with "..." when cut. */
void hx_cut(FILE *f, const char *s, size_t max);

#define HX_AUDIT	32	/* audit items of one call */

/* The findings of the capture and a scratch array for one call's audit. */
struct hx_findings {
	struct ins_finding	*v;	/* every finding, ins_diagnose() */
	size_t			n;
	struct ins_finding	*audit;	/* one call's audit, HX_AUDIT */
};

/* The inline style sheet and script (inspect_html_style.c). */
extern const char hx_css[];
extern const char hx_js[];

/* An address, or "?" when unset. */
void hx_addr(FILE *f, const struct ins_addr *a);
/* The badge class of a severity. */
const char *hx_sev_class(enum ins_sev s);
/* A table of the items v[nv] of (conn_id, call_id), or of all of them
 * with a "where" column when all; returns how many it showed. */
size_t hx_findings_table(FILE *f, const struct ins_finding *v, size_t nv,
    bool all, unsigned conn_id, unsigned call_id);

/* The section of call c (inspect_html_call.c), unfolded when open. */
void hx_call(FILE *f, const struct inspect *ins, const struct ins_call *c,
    const struct hx_findings *fd, bool open);

/* A sequence diagram of control connection cn: every kept message
 * between the TCP client and the server (port 1723). */
void hx_ladder_conn(FILE *f, const struct inspect *ins,
    const struct ins_conn *cn);
/* A sequence diagram of call c between the PNS and the PAC: the control
 * messages of its connection that concern it, merged by frame with its
 * PPP negotiation timeline; returns its rows (0: a "none seen" line). */
unsigned hx_ladder_call(FILE *f, const struct inspect *ins,
    const struct ins_call *c);

/* Throughput (bit/s) and loss (sequence gaps per bin) charts of both
 * directions of call c, from dir[d].series; "no data" when empty. */
void hx_plots(FILE *f, const struct inspect *ins, const struct ins_call *c);

#endif

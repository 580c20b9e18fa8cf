/*
 * inspect_diag.c - named findings (inspect_diag.h): what went wrong in a
 * capture, who is at fault and the frames that prove it.  Computed from
 * the evidence inspect_ppp.c and inspect_pptp.c gather while reading, only
 * when a report is written.  Here: GRE one way or absent (RFC 2637 4.1,
 * 4.4), call IDs rewritten by a NAT, refused and disconnected calls (2.8,
 * 2.10, 2.13), control connections that end without Stop-Control-
 * Connection (2.3) or whose echoes time out (2.5).  The PPP findings and
 * the security audit are in inspect_audit.c; building a finding and the
 * report sections that print them, in inspect_diag_report.c.
 */
#include <string.h>

#include "../inspect/inspect_int.h"

#define US		1000000ull
#define WEAK_SPAN_US	(10 * US)	/* less GRE than this proves little */
#define ECHO_TIMEOUT_US	(60 * US)	/* RFC 2637 2.5 */
#define NAT_DUP_US	(2 * US)	/* one message seen twice */

static double
secs(uint64_t us)
{
	return (double)us / 1e6;
}

/* When the call stopped being observable: its end, or the capture's. */
static uint64_t
call_end_ts(const struct inspect *ins, const struct ins_call *c)
{
	return c->ended ? c->diag.end_ts : ins->last_ts;
}

/* --- GRE (RFC 2637 4.1, 4.4) -------------------------------------------- */

static bool
call_answered(const struct ins_call *c)
{
	if (c->reply_frame == 0)
		return false;
	return c->kind == INS_CALL_INCOMING ? c->result == PPTP_ICRP_CONNECT :
	    c->result == PPTP_OCRP_CONNECTED;
}

/* The Key direction d of c must carry (the receiver's Call ID). */
static bool
want_key(const struct ins_call *c, int d, uint16_t *key)
{
	if (c->kind == INS_CALL_GRE_ONLY)
		return false;
	*key = d == 0 ? c->pac_call_id : c->pns_call_id;
	return d == 0 ? c->have_pac_id : c->have_pns_id;
}

/*
 * NAT heuristic 1: GRE between the control connection's two addresses, in
 * direction d of c, whose Key is not the Call ID the control messages
 * announced, while direction d itself saw nothing.  Such GRE lands in a
 * GRE-only call.  Returns it (and its direction in *e) or NULL.
 */
static const struct ins_call *
nat_wrong_key(const struct inspect *ins, const struct ins_call *c, int d,
    int *e)
{
	const struct ins_addr *src = ins_call_src(c, d);
	const struct ins_addr *dst = ins_call_src(c, 1 - d);
	uint16_t key;
	int i, k;

	if (!want_key(c, d, &key))
		return NULL;
	for (i = 0; i < INS_MAX_CALLS; i++) {
		const struct ins_call *g = &ins->calls[i];

		if (!g->used || g->kind != INS_CALL_GRE_ONLY)
			continue;
		for (k = 0; k < 2; k++) {
			const struct ins_gre_dir *x = &g->dir[k];

			if (x->packets == 0 || x->key == key ||
			    !ins_addr_eq(&x->src, src) ||
			    !ins_addr_eq(&x->dst, dst) ||
			    x->last_frame < c->request_frame ||
			    (c->ended && x->first_frame > c->end_frame))
				continue;
			*e = k;
			return g;
		}
	}
	return NULL;
}

static bool
nat_finding(struct ins_flist *l, int d)
{
	const struct ins_call *c = l->c, *g;
	struct ins_finding *f;
	char a[64], b[64];
	uint16_t key = 0;
	unsigned ann;
	int e = 0;

	if ((g = nat_wrong_key(l->ins, c, d, &e)) == NULL)
		return false;
	(void)want_key(c, d, &key);
	/* the message that announced the Key's Call ID: the PAC's in the
	 * OCRP or ICRQ, the PNS's in the OCRQ or ICRP */
	ann = (d == 0) == (c->kind == INS_CALL_INCOMING) ? c->request_frame :
	    c->reply_frame;
	if ((f = ins_flist_add(l, "nat-call-id", INS_SEV_ERROR)) == NULL)
		return true;
	ins_finding_printf(f, "call IDs rewritten by a NAT: GRE from %s to %s "
	    "carries Key %u (%u packets, frames %u-%u, listed as call %u) "
	    "but the %s at frame %u announced %s Call ID %u, and no GRE with "
	    "Key %u was seen. Heuristic: GRE between the control connection's "
	    "two addresses with an unannounced Key while the expected "
	    "direction is silent means a NAT or PPTP helper rewrote the Call "
	    "ID in the control messages but not in the GRE (or the reverse); "
	    "the receiver drops this GRE",
	    ins_side_name(c, d, a, sizeof(a)),
	    ins_side_name(c, 1 - d, b, sizeof(b)), g->dir[e].key,
	    g->dir[e].packets, g->dir[e].first_frame, g->dir[e].last_frame,
	    g->id, c->kind == INS_CALL_INCOMING ?
	    (d == 0 ? "ICRQ" : "ICRP") : (d == 0 ? "OCRP" : "OCRQ"), ann,
	    d == 0 ? "the PAC's" : "the PNS's", key, key);
	ins_finding_frame(f, ann);
	ins_finding_frame(f, g->dir[e].first_frame);
	ins_finding_frame(f, g->dir[e].last_frame);
	return true;
}

/* Did side d ever answer an LCP request of the other side? */
static bool
lcp_answered_by(const struct ins_call *c, int d)
{
	const struct ins_cp_side *s = &c->diag.cp[INS_CP_LCP][d];

	return s->ack + s->nak + s->rej > 0;
}

static void
gre_one_way(struct ins_flist *l, int s)
{
	const struct ins_call *c = l->c;
	const struct ins_gre_dir *g = &c->dir[s];
	struct ins_finding *f;
	uint64_t first = c->diag.first_ts[s], end = call_end_ts(l->ins, c);
	uint64_t span = first != 0 && end > first ? end - first : 0;
	bool strong = g->packets >= INS_DIAG_TRIES || span >= WEAK_SPAN_US;
	char a[64], b[64];
	uint16_t key;

	if (c->kind == INS_CALL_GRE_ONLY && strong)
		f = ins_flist_add(l, "gre-one-way", INS_SEV_WARN);
	else
		f = ins_flist_add(l, "gre-one-way", strong ? INS_SEV_ERROR :
		    c->kind == INS_CALL_GRE_ONLY ? INS_SEV_INFO : INS_SEV_WARN);
	if (f == NULL)
		return;
	ins_finding_printf(f, "GRE one way only: %s sent %u GRE packet%s to %s "
	    "(Key %u, frames %u-%u) but no GRE from %s was ever seen",
	    ins_side_name(c, s, a, sizeof(a)), g->packets, ins_pl(g->packets),
	    ins_side_name(c, 1 - s, b, sizeof(b)), g->key, g->first_frame,
	    g->last_frame, b);
	if (want_key(c, 1 - s, &key))
		ins_finding_printf(f, " (expected Key %u)", key);
	if (span > 0)
		ins_finding_printf(f, " in %.1f s", secs(span));
	if (c->kind == INS_CALL_GRE_ONLY)
		ins_finding_printf(f, ". No control connection was captured: "
		    "the reverse GRE may take another path");
	else
		ins_finding_printf(f, ": GRE (IP protocol 47) from %s is "
		    "blocked before the capture point (a firewall, or a NAT "
		    "without a PPTP helper), or %s never started PPP", b, b);
	if (!strong)
		ins_finding_printf(f, "; only %u packet%s before the %s "
		    "ended, too early to be sure", g->packets, ins_pl(g->packets),
		    c->ended ? "call" : "capture");
	ins_finding_frame(f, g->first_frame);
	ins_finding_frame(f, g->last_frame);
}

/* Direction s sends sequenced GRE; does the other side acknowledge it? */
static void
gre_acks(struct ins_flist *l, int s)
{
	const struct ins_call *c = l->c;
	const struct ins_gre_dir *g = &c->dir[s], *r = &c->dir[1 - s];
	struct ins_finding *f;
	char a[64], b[64];

	if (g->with_seq < INS_DIAG_TRIES || r->packets < INS_DIAG_TRIES)
		return;
	ins_side_name(c, s, a, sizeof(a));
	ins_side_name(c, 1 - s, b, sizeof(b));
	if (r->with_ack == 0 && !lcp_answered_by(c, 1 - s)) {
		if ((f = ins_flist_add(l, "gre-not-acked", INS_SEV_ERROR)) == NULL)
			return;
		ins_finding_printf(f, "GRE from %s is never acknowledged: %s "
		    "sent %u GRE packets (frames %u-%u), none with an "
		    "Acknowledgment Number and no answer to LCP, while %s sent "
		    "%u sequenced packets (frames %u-%u): %s does not receive "
		    "%s's GRE (dropped between the capture point and %s)",
		    a, b, r->packets, r->first_frame, r->last_frame, a,
		    g->with_seq, g->first_frame, g->last_frame, b, a, b);
		ins_finding_frame(f, g->first_frame);
		ins_finding_frame(f, r->first_frame);
		ins_finding_frame(f, r->last_frame);
		return;
	}
	if (r->with_ack >= INS_DIAG_TRIES && r->ack_first == r->ack_last &&
	    g->have_seq && (int32_t)(g->seq_max - r->ack_last) >= INS_DIAG_TRIES) {
		if ((f = ins_flist_add(l, "gre-ack-stuck", INS_SEV_WARN)) == NULL)
			return;
		ins_finding_printf(f, "%s's acknowledgments never move: %u acks "
		    "from %s all say %u while %s sent up to sequence %u: %s "
		    "stopped receiving %s's GRE after the first packets",
		    b, r->with_ack, b, r->ack_last, a, g->seq_max, b, a);
		ins_finding_frame(f, r->first_frame);
		ins_finding_frame(f, r->last_frame);
		ins_finding_frame(f, g->last_frame);
	}
}

static void
diag_gre(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	unsigned p0 = c->dir[0].packets, p1 = c->dir[1].packets;
	struct ins_finding *f;
	char a[64], b[64];
	bool nat0, nat1;

	if (c->kind == INS_CALL_GRE_ONLY) {
		if (p0 > 0 && p1 == 0)
			gre_one_way(l, 0);
		if (p0 > 0 && p1 > 0) {
			gre_acks(l, 0);
			gre_acks(l, 1);
		}
		return;
	}
	nat0 = p0 == 0 && nat_finding(l, 0);
	nat1 = p1 == 0 && nat_finding(l, 1);
	if (nat0 || nat1)
		return;
	if (p0 == 0 && p1 == 0) {
		if (!call_answered(c))
			return;
		f = ins_flist_add(l, "no-gre", l->ins->c.gre_packets > 0 ?
		    INS_SEV_ERROR : INS_SEV_WARN);
		if (f == NULL)
			return;
		ins_finding_printf(f, "no GRE at all after the call was "
		    "answered (%s, frame %u): neither %s nor %s sent GRE",
		    c->kind == INS_CALL_INCOMING ? "ICRP" : "OCRP",
		    c->reply_frame, ins_side_name(c, 0, a, sizeof(a)),
		    ins_side_name(c, 1, b, sizeof(b)));
		if (l->ins->c.gre_packets == 0)
			ins_finding_printf(f, "; the capture holds no GRE at "
			    "all: IP protocol 47 is blocked on both sides, or "
			    "the capture filter left it out (use \"tcp port "
			    "1723 or ip proto 47\")");
		else
			ins_finding_printf(f, " though the capture holds other "
			    "GRE: this call's GRE is blocked");
		ins_finding_frame(f, c->reply_frame);
		ins_finding_frame(f, c->ended ? c->end_frame : 0);
		return;
	}
	if (p0 > 0 && p1 == 0)
		gre_one_way(l, 0);
	else if (p1 > 0 && p0 == 0)
		gre_one_way(l, 1);
	else {
		gre_acks(l, 0);
		gre_acks(l, 1);
	}
}

/* --- the call's end (RFC 2637 2.8, 2.10, 2.12, 2.13) -------------------- */

static void
diag_refused(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	const struct ins_call_diag *x = &c->diag;
	struct ins_finding *f;
	uint16_t type = c->kind == INS_CALL_INCOMING ? PPTP_ICRP : PPTP_OCRP;
	const char *rn, *en;
	char a[64];

	if (c->reply_frame != 0 && !call_answered(c)) {
		if ((f = ins_flist_add(l, "call-refused", INS_SEV_ERROR)) == NULL)
			return;
		rn = pptp_result_name(type, c->result);
		en = pptp_general_error_name(x->reply_error);
		ins_finding_printf(f, "%s refused the %s call: %s result %s "
		    "(%u), error %s (%u)", ins_side_name(c, type == PPTP_OCRP ?
		    1 : 0, a, sizeof(a)), type == PPTP_OCRP ? "outgoing" :
		    "incoming", type == PPTP_OCRP ? "OCRP" : "ICRP",
		    rn ? rn : "undefined", c->result, en ? en : "undefined",
		    x->reply_error);
		if (type == PPTP_OCRP)
			ins_finding_printf(f, ", cause %u", x->reply_cause);
		ins_finding_frame(f, c->request_frame);
		ins_finding_frame(f, c->reply_frame);
	}
}

static void
diag_cdn(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	const struct ins_call_diag *x = &c->diag;
	struct ins_finding *f;
	const char *rn, *en;
	char a[64];
	enum ins_sev sev;

	if (!x->have_cdn)
		return;
	/* an answer to the PNS's Call-Clear-Request is an orderly end,
	 * whatever result code the PAC chose for it */
	switch (x->cdn_result) {
	case PPTP_CDN_LOST_CARRIER:
	case PPTP_CDN_GENERAL_ERROR:
	case PPTP_CDN_ADMIN_SHUTDOWN:
		sev = c->clear_frame != 0 && c->clear_frame <= c->cdn_frame ?
		    INS_SEV_INFO : INS_SEV_WARN;
		break;
	default:
		sev = INS_SEV_INFO;
	}
	if ((f = ins_flist_add(l, "call-disconnected", sev)) == NULL)
		return;
	rn = pptp_result_name(PPTP_CDN, x->cdn_result);
	en = pptp_general_error_name(x->cdn_error);
	ins_finding_printf(f, "%s disconnected the call (Call-Disconnect-Notify"
	    ", frame %u): result %s (%u), error %s (%u), cause %u",
	    ins_side_name(c, 1, a, sizeof(a)), c->cdn_frame,
	    rn ? rn : "undefined", x->cdn_result, en ? en : "undefined",
	    x->cdn_error, x->cdn_cause);
	if (c->clear_frame != 0 && c->clear_frame <= c->cdn_frame)
		ins_finding_printf(f, ", answering %s's Call-Clear-Request "
		    "at frame %u", ins_side_name(c, 0, a, sizeof(a)),
		    c->clear_frame);
	ins_finding_frame(f, c->clear_frame);
	ins_finding_frame(f, c->cdn_frame);
}

/*
 * NAT heuristic 2: the same Outgoing/Incoming-Call-Request seen twice, on
 * two control connections that started alike (same SCCRQ) and differ in
 * one address only, within 2 s, but with different Call IDs: the capture
 * sees both sides of a NAT that rewrote the Call ID.  Reported on the
 * later call.
 */
static void
diag_nat_dup(struct ins_flist *l)
{
	const struct inspect *ins = l->ins;
	const struct ins_call *c = l->c, *o;
	const struct ins_conn *cc = NULL, *oc;
	struct ins_finding *f;
	char a[48], b[48], p[48], q[48];
	uint64_t dt;
	int i;

	if (!c->diag.have_req_fp)
		return;
	for (i = 0; i < INS_MAX_CONNS && cc == NULL; i++)
		if (ins->conns[i].used && ins->conns[i].id == c->conn_id)
			cc = &ins->conns[i];
	if (cc == NULL || !cc->diag.have_sccrq_fp)
		return;
	for (i = 0; i < INS_MAX_CALLS; i++) {
		int k;

		o = &ins->calls[i];
		if (!o->used || o->id >= c->id || o->conn_id == c->conn_id ||
		    o->kind != c->kind || !o->diag.have_req_fp ||
		    o->diag.req_fp != c->diag.req_fp)
			continue;
		dt = o->diag.req_ts > c->diag.req_ts ? o->diag.req_ts -
		    c->diag.req_ts : c->diag.req_ts - o->diag.req_ts;
		if (dt > NAT_DUP_US)
			continue;
		for (oc = NULL, k = 0; k < INS_MAX_CONNS && oc == NULL; k++)
			if (ins->conns[k].used &&
			    ins->conns[k].id == o->conn_id)
				oc = &ins->conns[k];
		if (oc == NULL || !oc->diag.have_sccrq_fp ||
		    oc->diag.sccrq_fp != cc->diag.sccrq_fp ||
		    ins_addr_eq(&oc->cli, &cc->cli) ==
		    ins_addr_eq(&oc->srv, &cc->srv))
			continue;
		if (o->pns_call_id == c->pns_call_id &&
		    (!o->have_pac_id || !c->have_pac_id ||
		    o->pac_call_id == c->pac_call_id))
			continue;
		if ((f = ins_flist_add(l, "nat-call-id", INS_SEV_INFO)) == NULL)
			return;
		ins_finding_printf(f, "call IDs rewritten by a NAT: the same "
		    "%s appears at frame %u (call %u, %s -> %s, PNS Call ID "
		    "%u, PAC Call ID %u) and at frame %u (this call, %s -> %s, "
		    "PNS Call ID %u, PAC Call ID %u). Heuristic: two control "
		    "connections that start with the same SCCRQ, differ in one "
		    "address only and carry the same request within %.1f s "
		    "with other Call IDs are one call seen on both sides of a "
		    "NAT; its GRE Keys must be rewritten to match",
		    c->kind == INS_CALL_INCOMING ? "Incoming-Call-Request" :
		    "Outgoing-Call-Request", o->request_frame, o->id,
		    ins_addr_str(&oc->cli, a, sizeof(a)),
		    ins_addr_str(&oc->srv, b, sizeof(b)), o->pns_call_id,
		    o->pac_call_id, c->request_frame,
		    ins_addr_str(&cc->cli, p, sizeof(p)),
		    ins_addr_str(&cc->srv, q, sizeof(q)), c->pns_call_id,
		    c->pac_call_id, secs(dt));
		ins_finding_frame(f, o->request_frame);
		ins_finding_frame(f, c->request_frame);
		return;
	}
}

/* --- per call, per connection, all ----------------------------------------- */

size_t
ins_diag_call(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap)
{
	struct ins_flist l = { .out = out, .cap = cap, .n = 0, .ins = ins,
	    .c = c };
	size_t i, n0;

	/* causes first, their consequences (a hang-up) last */
	diag_refused(&l);
	if (c->reply_frame == 0 || call_answered(c))
		diag_gre(&l);
	ins_diag_ppp(&l);
	diag_cdn(&l);
	diag_nat_dup(&l);
	n0 = l.n;
	l.n += ins_mtu_findings(ins, c, out + l.n, cap - l.n);
	l.n += ins_crypt_findings(ins, c, out + l.n, cap - l.n);
	for (i = n0; i < l.n && i < cap; i++) {
		if (out[i].call_id == 0)
			out[i].call_id = c->id;
		if (out[i].conn_id == 0)
			out[i].conn_id = c->conn_id;
	}
	return l.n < cap ? l.n : cap;
}

static unsigned
conn_calls(const struct inspect *ins, const struct ins_conn *cn)
{
	unsigned n = 0;
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++)
		n += ins->calls[i].used && ins->calls[i].conn_id == cn->id;
	return n;
}

static const char *
conn_side(const struct ins_conn *cn, int dir, char *buf, size_t cap)
{
	char a[48];

	snprintf(buf, cap, "%s %s", dir == 0 ? "client" : "server",
	    ins_addr_str(dir == 0 ? &cn->cli : &cn->srv, a, sizeof(a)));
	return buf;
}

static void
diag_echo(const struct inspect *ins, const struct ins_conn *cn,
    struct ins_finding *out, size_t cap, size_t *n)
{
	const struct ins_conn_diag *x = &cn->diag;
	struct ins_finding *f;
	bool closed = x->fin_frame || x->rst_frame || x->stop_rq_frame;
	unsigned close_frame = x->stop_rq_frame ? x->stop_rq_frame :
	    x->fin_frame && (x->fin_frame < x->rst_frame || !x->rst_frame) ?
	    x->fin_frame : x->rst_frame;
	uint64_t end = closed && x->close_ts ? x->close_ts : ins->last_ts;
	char a[64], b[64];
	int d;

	for (d = 0; d < 2; d++) {
		if (x->echo_unans[d] == 0 || end < x->echo_unans_ts[d] ||
		    end - x->echo_unans_ts[d] < ECHO_TIMEOUT_US)
			continue;
		f = ins_finding_add(out, cap, n, "pptp-echo-timeout",
		    closed ? INS_SEV_ERROR : INS_SEV_WARN, cn->id, 0);
		if (f == NULL)
			return;
		ins_finding_printf(f, "%s never answered %s's "
		    "Echo-Request (frame %u; %u unanswered, the last at frame "
		    "%u) within %.0f s: RFC 2637 2.5 closes the control "
		    "connection then", conn_side(cn, 1 - d, b, sizeof(b)),
		    conn_side(cn, d, a, sizeof(a)), x->echo_unans_first[d],
		    x->echo_unans[d], x->echo_unans_last[d],
		    secs(end - x->echo_unans_ts[d]));
		if (closed)
			ins_finding_printf(f, "; it was closed at frame %u",
			    close_frame);
		ins_finding_frame(f, x->echo_unans_first[d]);
		ins_finding_frame(f, x->echo_unans_last[d]);
		ins_finding_frame(f, closed ? close_frame : 0);
	}
}

size_t
ins_diag_conn(const struct inspect *ins, const struct ins_conn *cn,
    struct ins_finding *out, size_t cap)
{
	const struct ins_conn_diag *x = &cn->diag;
	struct ins_finding *f;
	unsigned ncalls = conn_calls(ins, cn);
	const char *rn, *en;
	char a[64];
	size_t n = 0;

	if (x->sccrp_frame != 0 && x->sccrp_result != PPTP_SCCRP_SUCCESS &&
	    (f = ins_finding_add(out, cap, &n, "ctrl-refused", INS_SEV_ERROR,
	    cn->id, 0)) != NULL) {
		rn = pptp_result_name(PPTP_SCCRP, x->sccrp_result);
		en = pptp_general_error_name(x->sccrp_error);
		ins_finding_printf(f, "%s refused the control connection: "
		    "Start-Control-Connection-Reply result %s (%u), error %s "
		    "(%u)", conn_side(cn, 1, a, sizeof(a)),
		    rn ? rn : "undefined", x->sccrp_result,
		    en ? en : "undefined", x->sccrp_error);
		ins_finding_frame(f, x->sccrp_frame);
	}
	diag_echo(ins, cn, out, cap, &n);
	if (x->stop_rq_frame != 0 || x->stop_rp_frame != 0) {
		bool bad = x->stop_rp_frame != 0 &&
		    x->stop_rp_result != PPTP_STOPCCRP_OK;

		f = ins_finding_add(out, cap, &n, "ctrl-stopped", bad ||
		    x->stop_reason == PPTP_STOP_PROTOCOL ? INS_SEV_WARN :
		    INS_SEV_INFO, cn->id, 0);
		if (f == NULL)
			return n;
		if (x->stop_rq_frame != 0) {
			rn = pptp_stop_reason_name(x->stop_reason);
			ins_finding_printf(f, "%s stopped the control connection "
			    "(Stop-Control-Connection-Request, frame %u, reason "
			    "%s (%u))", conn_side(cn, x->stop_rq_dir, a,
			    sizeof(a)), x->stop_rq_frame, rn ? rn : "undefined",
			    x->stop_reason);
		} else {
			ins_finding_printf(f, "the control connection was "
			    "stopped (request not captured)");
		}
		if (x->stop_rp_frame != 0) {
			rn = pptp_result_name(PPTP_STOPCCRP, x->stop_rp_result);
			ins_finding_printf(f, "; reply at frame %u: %s (%u)",
			    x->stop_rp_frame, rn ? rn : "undefined",
			    x->stop_rp_result);
		} else {
			ins_finding_printf(f, "; no reply seen");
		}
		ins_finding_frame(f, x->stop_rq_frame);
		ins_finding_frame(f, x->stop_rp_frame);
		return n;
	}
	if (x->fin_frame != 0 || x->rst_frame != 0) {
		bool rst = x->rst_frame != 0 && (x->fin_frame == 0 ||
		    x->rst_frame < x->fin_frame);
		unsigned fr = rst ? x->rst_frame : x->fin_frame;

		f = ins_finding_add(out, cap, &n, "ctrl-closed-without-stop",
		    ncalls > 0 ? INS_SEV_WARN : INS_SEV_INFO, cn->id, 0);
		if (f == NULL)
			return n;
		ins_finding_printf(f, "%s closed the control connection with a "
		    "TCP %s at frame %u without Stop-Control-Connection-Request"
		    "/Reply (RFC 2637 2.3)", conn_side(cn, rst ? x->rst_dir :
		    x->fin_dir, a, sizeof(a)), rst ? "RST" : "FIN", fr);
		if (ncalls > 0)
			ins_finding_printf(f, ", with %u call%s on it: %s ended "
			    "abruptly", ncalls, ncalls == 1 ? "" : "s",
			    ncalls == 1 ? "it" : "they");
		ins_finding_frame(f, fr);
		return n;
	}
	if (ncalls > 0 && (f = ins_finding_add(out, cap, &n,
	    "ctrl-open-at-capture-end", INS_SEV_INFO, cn->id, 0)) != NULL) {
		ins_finding_printf(f, "the capture ended with the control "
		    "connection still open (no Stop-Control-Connection, no TCP "
		    "FIN or RST) and %u call%s on it", ncalls,
		    ncalls == 1 ? "" : "s");
		ins_finding_frame(f, cn->first_frame);
	}
	return n;
}

/* Findings of every connection, then of every call, in table order. */
size_t
ins_diagnose(const struct inspect *ins, struct ins_finding *out, size_t cap)
{
	size_t n = 0;
	int i;

	for (i = 0; i < INS_MAX_CONNS && n < cap; i++)
		if (ins->conns[i].used)
			n += ins_diag_conn(ins, &ins->conns[i], out + n,
			    cap - n);
	for (i = 0; i < INS_MAX_CALLS && n < cap; i++)
		if (ins->calls[i].used)
			n += ins_diag_call(ins, &ins->calls[i], out + n,
			    cap - n);
	return n;
}

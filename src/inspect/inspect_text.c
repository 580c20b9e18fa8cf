/*
 * inspect_text.c - the analyzer's readable report: a summary, one block
 * per control connection (its RFC 2637 section 2 messages with frame
 * numbers) and one per call (GRE statistics per direction, RFC 2637 4.1,
 * PPP framing and protocols, the negotiation timeline, the last
 * Configure-Acks, the authentication exchange).  Peer strings are printed
 * escaped (the wire printers escape theirs; the user name goes through
 * sbuf_escaped).  Control messages and timeline entries carry their time
 * since the capture's first frame ("+12.345 s").  With ins->color, ANSI
 * colour marks headings (bold), failures (red) and successes (green);
 * without it the text is the same, octet for octet, with no escape
 * sequence.
 */
#include <string.h>

#include "../base/sbuf.h"
#include "../inspect/inspect_int.h"
#include "../wire/cursor.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "../wire/ppp_proto.h"

#define C_BOLD	"\033[1m"
#define C_RED	"\033[31m"
#define C_GREEN	"\033[32m"
#define C_OFF	"\033[0m"

/* The escape sequence code when colour is on, else nothing. */
static const char *
tc(bool color, const char *code)
{
	return color ? code : "";
}

static void
text_conn(const struct inspect *ins, const struct ins_conn *cn, FILE *out,
    bool color)
{
	char a[48], b[48], line[PPTP_MSG_PRINT_MAX], when[32];
	unsigned i, n = cn->nmsgs < INS_MAX_MSGS ? cn->nmsgs : INS_MAX_MSGS;
	struct sbuf sb;
	int d;

	fprintf(out, "%scontrol connection %u:%s %s:%u -> %s:%u (first frame "
	    "%u)%s%s\n", tc(color, C_BOLD), cn->id, tc(color, C_OFF),
	    ins_addr_str(&cn->cli, a, sizeof(a)), cn->cport,
	    ins_addr_str(&cn->srv, b, sizeof(b)), cn->sport, cn->first_frame,
	    cn->fin ? " fin" : "", cn->rst ? " rst" : "");
	for (i = 0; i < n; i++) {
		const struct ins_msg *im = &cn->msgs[i];

		sbuf_init(&sb, line, sizeof(line));
		pptp_msg_print(&im->m, &sb);
		fprintf(out, "  frame %-6u %10s %s %s\n", im->frame,
		    ins_ts_rel(ins, im->ts_us, when, sizeof(when)),
		    im->dir == 0 ? "->" : "<-", line);
	}
	if (cn->nmsgs > n)
		fprintf(out, "  ... %u more messages not kept\n", cn->nmsgs - n);
	for (d = 0; d < 2; d++) {
		const struct ins_tcp_dir *t = &cn->dir[d];

		fprintf(out, "  tcp %s: segments=%u retransmitted=%u "
		    "out_of_order=%u gaps=%u bytes=%u%s%s%s\n",
		    d == 0 ? "client->server" : "server->client", t->segments,
		    t->retrans, t->out_of_order, t->gaps, t->bytes,
		    tc(color && t->desync, C_RED),
		    t->desync ? " DESYNC (framing lost)" : "",
		    tc(color && t->desync, C_OFF));
	}
	if (cn->decode_errors)
		fprintf(out, "  decode errors: %u\n", cn->decode_errors);
}

static void
text_gre(const struct ins_call *c, int d, FILE *out, bool color)
{
	const struct ins_gre_dir *g = &c->dir[d];
	const struct ins_addr *src = ins_call_src(c, d);
	const struct ins_addr *dst = ins_call_src(c, 1 - d);
	char a[48], b[48], name[16];
	unsigned i;

	fprintf(out, "  gre %s -> %s key=", ins_addr_str(src, a, sizeof(a)),
	    ins_addr_str(dst, b, sizeof(b)));
	if (c->kind == INS_CALL_GRE_ONLY)
		fprintf(out, "%u", g->key);
	else if (d == 0 ? c->have_pac_id : c->have_pns_id)
		fprintf(out, "%u", d == 0 ? c->pac_call_id : c->pns_call_id);
	else
		fprintf(out, "?");
	fprintf(out, ": packets=%u bytes=%llu payload=%llu with_seq=%u "
	    "with_ack=%u ack_only=%u\n", g->packets,
	    (unsigned long long)g->bytes, (unsigned long long)g->payload_sum,
	    g->with_seq, g->with_ack, g->ack_only);
	if (g->packets == 0) {
		fprintf(out, "      %s(no GRE seen in this direction)%s\n",
		    tc(color, C_RED), tc(color, C_OFF));
		return;
	}
	if (g->have_seq)
		fprintf(out, "      seq first=%u last=%u %slost=%u%s reordered=%u "
		    "duplicates=%u\n", g->seq_first, g->seq_last,
		    tc(color && g->lost, C_RED), g->lost,
		    tc(color && g->lost, C_OFF), g->reordered, g->duplicates);
	if (g->cut)
		fprintf(out, "      %u packets cut by the snap length (PPP "
		    "not read)\n", g->cut);
	if (g->have_ack)
		fprintf(out, "      ack first=%u last=%u\n", g->ack_first,
		    g->ack_last);
	fprintf(out, "      ppp frames=%u with_FF03=%u without_FF03=%u "
	    "2-byte-proto=%u 1-byte-proto=%u errors=%u\n", g->ppp_frames,
	    g->with_ff03, g->without_ff03, g->proto2, g->proto1,
	    g->ppp_errors);
	if (g->nprotos > 0) {
		fprintf(out, "      ppp protocols:");
		for (i = 0; i < g->nprotos; i++)
			fprintf(out, " %s=%u", ins_proto_label(g->proto_num[i],
			    name, sizeof(name)), g->proto_count[i]);
		fputc('\n', out);
	}
}

/* The colour of a call's reply Result Code: green when connected. */
static const char *
text_result_color(const struct ins_call *c, bool color)
{
	bool ok = c->kind == INS_CALL_INCOMING ? c->result == PPTP_ICRP_CONNECT :
	    c->result == PPTP_OCRP_CONNECTED;

	return tc(color, ok ? C_GREEN : C_RED);
}

void
inspect_call_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out)
{
	const struct ins_auth *au = &c->auth;
	bool color = ins->color;
	char a[48], b[48], text[512], user[4 * INS_USER_MAX + 8], when[32];
	struct sbuf sb;
	struct rd r;
	unsigned i;
	int d, k;

	fprintf(out, "%scall %u%s (%s)", tc(color, C_BOLD), c->id,
	    tc(color, C_OFF), ins_call_kind_name(c->kind));
	if (c->conn_id != 0) {
		fprintf(out, " on control connection %u: PNS %s call_id=",
		    c->conn_id, ins_addr_str(&c->pns, a, sizeof(a)));
		if (c->have_pns_id)
			fprintf(out, "%u", c->pns_call_id);
		else
			fprintf(out, "?");
		fprintf(out, " <-> PAC %s call_id=",
		    ins_addr_str(&c->pac, b, sizeof(b)));
		if (c->have_pac_id)
			fprintf(out, "%u", c->pac_call_id);
		else
			fprintf(out, "?");
		if (c->reply_frame)
			fprintf(out, " result=%s%u%s",
			    text_result_color(c, color), c->result,
			    tc(color, C_OFF));
	} else {
		fprintf(out, ": seen only as GRE (capture began mid-call "
		    "or the control connection is elsewhere)");
	}
	fputc('\n', out);
	if (c->request_frame || c->reply_frame || c->clear_frame ||
	    c->cdn_frame)
		fprintf(out, "  frames: request=%u reply=%u clear=%u "
		    "disconnect=%u\n", c->request_frame, c->reply_frame,
		    c->clear_frame, c->cdn_frame);
	for (d = 0; d < 2; d++)
		if (c->kind != INS_CALL_GRE_ONLY || c->dir[d].seen) {
			text_gre(c, d, out, color);
			ins_gre_ext_text(c, d, out);
		}
	if (c->ntimeline > 0)
		fprintf(out, "  negotiation:\n");
	for (i = 0; i < c->ntimeline; i++) {
		const struct ins_timeline *t = &c->timeline[i];

		fprintf(out, "    frame %-6u %10s %-15s %s\n", t->frame,
		    ins_ts_rel(ins, t->ts_us, when, sizeof(when)),
		    ins_addr_str(ins_call_src(c, t->dir), a, sizeof(a)),
		    t->text);
	}
	for (k = 0; k < INS_CP_N; k++)
		for (d = 0; d < 2; d++) {
			const struct ins_confack *ca = &c->confack[d][k];

			if (!ca->seen)
				continue;
			sbuf_init(&sb, text, sizeof(text));
			rd_init(&r, ca->opts, ca->len);
			(void)ppp_opts_print(ca->proto, &r, &sb);
			fprintf(out, "  last %s ConfAck from %s (frame %u id=%u):%s\n",
			    ins_proto_name(ca->proto),
			    ins_addr_str(ins_call_src(c, d), a, sizeof(a)),
			    ca->frame, ca->id, text);
		}
	if (au->proto != 0) {
		sbuf_init(&sb, user, sizeof(user));
		sbuf_escaped(&sb, au->user, au->user_len);
		fprintf(out, "  auth: %s", ins_auth_method(au));
		if (au->req_frame)
			fprintf(out, " user=\"%s\"", user);
		if (au->proto == PPP_PAP && au->req_frame)
			fprintf(out, " password=<%zu bytes hidden>",
			    au->passwd_len);
		fprintf(out, " result=%s%s%s\n", tc(color && au->result != 0,
		    au->result > 0 ? C_GREEN : C_RED), au->result > 0 ?
		    "success" : au->result < 0 ? "failure" : "none seen",
		    tc(color && au->result != 0, C_OFF));
	}
	if (c->mppe_frames || c->cleartext_ip)
		fprintf(out, "  data: mppe_frames=%u cleartext_ip_frames=%u\n",
		    c->mppe_frames, c->cleartext_ip);
	ins_mtu_text(c, out);
	ins_crypt_text(ins, c, out, color);
	ins_diag_call_text(ins, c, out, color);
}

/* The summary lines and the findings tied to no call. */
static void
text_summary(const struct inspect *ins, const char *file, FILE *out)
{
	const struct ins_counters *k = &ins->c;
	bool color = ins->color;
	int i, nconn = 0, ncall = 0;

	for (i = 0; i < INS_MAX_CONNS; i++)
		nconn += ins->conns[i].used;
	for (i = 0; i < INS_MAX_CALLS; i++)
		ncall += ins->calls[i].used;
	fprintf(out, "%s%s: %u frames, link type %d, %d control connection(s), "
	    "%d call(s)%s\n", tc(color, C_BOLD), file, ins->frames, ins->dlt,
	    nconn, ncall, tc(color, C_OFF));
	fprintf(out, "  tcp/1723 segments=%u with payload=%u retransmitted=%u; "
	    "gre packets=%u pptp=%u other=%u malformed=%u\n",
	    k->tcp_segments, k->tcp_payload_segments, k->tcp_retrans,
	    k->gre_packets, k->gre_pptp, k->gre_other, k->gre_malformed);
	if (k->truncated || k->ip_fragments || k->link_unsupported)
		fprintf(out, "  truncated=%u ip_fragments=%u reassembled=%u "
		    "unsupported_link=%u\n", k->truncated, k->ip_fragments,
		    k->ip_reassembled,
		    k->link_unsupported);
	if (k->evicted_conns || k->evicted_calls || k->evicted_other_gre ||
	    k->dropped_msgs || k->dropped_timeline)
		fprintf(out, "  limits hit: evicted connections=%u calls=%u "
		    "other_gre=%u; dropped messages=%u timeline=%u\n",
		    k->evicted_conns, k->evicted_calls, k->evicted_other_gre,
		    k->dropped_msgs, k->dropped_timeline);
	ins_diag_global_text(ins, out, color);
}

static void
text_conns(const struct inspect *ins, FILE *out)
{
	int i;

	for (i = 0; i < INS_MAX_CONNS; i++)
		if (ins->conns[i].used) {
			fputc('\n', out);
			text_conn(ins, &ins->conns[i], out, ins->color);
		}
}

static void
text_other(const struct inspect *ins, FILE *out)
{
	char a[48], b[48];
	int i;

	for (i = 0; i < INS_MAX_OTHER_GRE; i++) {
		const struct ins_other_gre *o = &ins->other[i];

		if (!o->used)
			continue;
		fprintf(out, "\nother GRE (not PPTP): %s -> %s version=%u "
		    "proto=0x%04x packets=%u bytes=%llu\n",
		    ins_addr_str(&o->src, a, sizeof(a)),
		    ins_addr_str(&o->dst, b, sizeof(b)), o->version,
		    (unsigned)o->proto, o->packets,
		    (unsigned long long)o->bytes);
	}
}

void
inspect_report_text(const struct inspect *ins, const char *file, FILE *out)
{
	int i;

	text_summary(ins, file, out);
	text_conns(ins, out);
	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used) {
			fputc('\n', out);
			inspect_call_text(ins, &ins->calls[i], out);
		}
	text_other(ins, out);
}

void
inspect_summary_text(const struct inspect *ins, const char *name, FILE *out)
{
	text_summary(ins, name, out);
	text_conns(ins, out);
	text_other(ins, out);
}

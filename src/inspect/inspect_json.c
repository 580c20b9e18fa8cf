/*
 * inspect_json.c - the analyzer's JSON report, schema "pptpkit-inspect/1"
 * (docs/inspect-json.md).  A small streaming emitter: every string goes
 * through one escaper, so peer-supplied names cannot break the document.
 */
#include <string.h>

#include "../base/sbuf.h"
#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"
#include "../wire/cursor.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "../wire/ppp_proto.h"

/* --- sections --------------------------------------------------------- */

static void
json_msg(struct jw *w, const struct ins_conn *cn, const struct ins_msg *im)
{
	const struct pptp_msg *m = &im->m;
	char line[PPTP_MSG_PRINT_MAX];
	struct sbuf sb;
	bool have_cid = false, have_pcid = false;
	uint16_t cid = 0, pcid = 0;
	const char *name = pptp_ctrl_type_name(m->ctrl_type);

	ins_msg_call_ids(m, &have_cid, &cid, &have_pcid, &pcid);
	sbuf_init(&sb, line, sizeof(line));
	pptp_msg_print(m, &sb);
	jw_open(w, NULL, '{');
	jw_u64(w, "frame", im->frame);
	jw_u64(w, "ts_us", im->ts_us);
	jw_s(w, "dir", im->dir == 0 ? "client_to_server" : "server_to_client");
	jw_addr(w, "src", im->dir == 0 ? &cn->cli : &cn->srv);
	jw_addr(w, "dst", im->dir == 0 ? &cn->srv : &cn->cli);
	jw_u64(w, "type", m->ctrl_type);
	jw_s(w, "name", name);
	jw_opt_u64(w, "call_id", have_cid, cid);
	jw_opt_u64(w, "peer_call_id", have_pcid, pcid);
	jw_s(w, "text", line);
	jw_close(w, '}');
}

static void
json_conn(struct jw *w, const struct ins_conn *cn)
{
	unsigned i, n = cn->nmsgs < INS_MAX_MSGS ? cn->nmsgs : INS_MAX_MSGS;

	jw_open(w, NULL, '{');
	jw_u64(w, "id", cn->id);
	jw_addr(w, "client", &cn->cli);
	jw_u64(w, "client_port", cn->cport);
	jw_addr(w, "server", &cn->srv);
	jw_u64(w, "server_port", cn->sport);
	jw_u64(w, "first_frame", cn->first_frame);
	jw_u64(w, "message_count", cn->nmsgs);
	jw_bool(w, "messages_truncated", cn->nmsgs > INS_MAX_MSGS);
	jw_open(w, "message_counts", '{');
	for (i = 1; i <= PPTP_CTRL_TYPE_MAX; i++)
		if (cn->type_count[i] > 0)
			jw_u64(w, pptp_ctrl_type_name((uint16_t)i),
			    cn->type_count[i]);
	jw_close(w, '}');
	jw_open(w, "messages", '[');
	for (i = 0; i < n; i++)
		json_msg(w, cn, &cn->msgs[i]);
	jw_close(w, ']');
	jw_open(w, "tcp", '[');
	for (i = 0; i < 2; i++) {
		const struct ins_tcp_dir *d = &cn->dir[i];

		jw_open(w, NULL, '{');
		jw_s(w, "dir", i == 0 ? "client_to_server" : "server_to_client");
		jw_u64(w, "payload_segments", d->segments);
		jw_u64(w, "retransmitted_segments", d->retrans);
		jw_u64(w, "out_of_order_segments", d->out_of_order);
		jw_u64(w, "gaps", d->gaps);
		jw_u64(w, "bytes", d->bytes);
		jw_bool(w, "desync", d->desync);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_u64(w, "decode_errors", cn->decode_errors);
	jw_bool(w, "fin", cn->fin);
	jw_bool(w, "rst", cn->rst);
	jw_close(w, '}');
}

static void
json_gre_dir(struct jw *w, const struct ins_call *c, int d)
{
	const struct ins_gre_dir *g = &c->dir[d];
	const char *dn;
	char name[16];
	unsigned i;

	if (c->kind == INS_CALL_GRE_ONLY)
		dn = d == 0 ? "a_to_b" : "b_to_a";
	else
		dn = d == 0 ? "pns_to_pac" : "pac_to_pns";
	jw_open(w, NULL, '{');
	jw_s(w, "dir", dn);
	if (c->kind == INS_CALL_GRE_ONLY) {
		jw_addr(w, "src", &g->src);
		jw_addr(w, "dst", &g->dst);
		jw_opt_u64(w, "key_call_id", g->seen, g->key);
	} else {
		jw_addr(w, "src", d == 0 ? &c->pns : &c->pac);
		jw_addr(w, "dst", d == 0 ? &c->pac : &c->pns);
		jw_opt_u64(w, "key_call_id", d == 0 ? c->have_pac_id :
		    c->have_pns_id, d == 0 ? c->pac_call_id : c->pns_call_id);
	}
	jw_u64(w, "packets", g->packets);
	jw_u64(w, "bytes", g->bytes);
	jw_u64(w, "payload_length_sum", g->payload_sum);
	jw_u64(w, "with_seq", g->with_seq);
	jw_u64(w, "with_ack", g->with_ack);
	jw_u64(w, "ack_only", g->ack_only);
	jw_opt_u64(w, "seq_first", g->have_seq, g->seq_first);
	jw_opt_u64(w, "seq_last", g->have_seq, g->seq_last);
	jw_opt_u64(w, "ack_first", g->have_ack, g->ack_first);
	jw_opt_u64(w, "ack_last", g->have_ack, g->ack_last);
	jw_u64(w, "lost", g->lost);
	jw_u64(w, "reordered", g->reordered);
	jw_u64(w, "duplicates", g->duplicates);
	jw_u64(w, "payload_cut", g->cut);
	jw_opt_u64(w, "first_frame", g->packets > 0, g->first_frame);
	jw_opt_u64(w, "last_frame", g->packets > 0, g->last_frame);
	jw_open(w, "ppp_protocols", '{');
	for (i = 0; i < g->nprotos; i++)
		jw_u64(w, ins_proto_label(g->proto_num[i], name,
		    sizeof(name)), g->proto_count[i]);
	jw_close(w, '}');
	jw_open(w, "ppp_framing", '{');
	jw_u64(w, "ppp_frames", g->ppp_frames);
	jw_u64(w, "with_FF03", g->with_ff03);
	jw_u64(w, "without_FF03", g->without_ff03);
	jw_u64(w, "2-byte protocol", g->proto2);
	jw_u64(w, "1-byte protocol", g->proto1);
	jw_u64(w, "errors", g->ppp_errors);
	jw_close(w, '}');
	ins_gre_ext_json(w, c, d);
	jw_close(w, '}');
}

/* The endpoint that sent direction d of call c. */
const struct ins_addr *
ins_call_src(const struct ins_call *c, int d)
{
	if (c->kind == INS_CALL_GRE_ONLY)
		return d == 0 ? (c->dir[0].seen ? &c->dir[0].src :
		    &c->dir[1].dst) : (c->dir[1].seen ? &c->dir[1].src :
		    &c->dir[0].dst);
	return d == 0 ? &c->pns : &c->pac;
}

static void
json_confacks(struct jw *w, const struct ins_call *c)
{
	char text[512], ip[48];
	struct sbuf sb;
	struct ppp_opt o;
	struct rd r;
	uint32_t addr;
	int d, k;

	jw_open(w, "last_conf_ack", '[');
	for (k = 0; k < INS_CP_N; k++)
		for (d = 0; d < 2; d++) {
			const struct ins_confack *ca = &c->confack[d][k];

			if (!ca->seen)
				continue;
			jw_open(w, NULL, '{');
			jw_u64(w, "frame", ca->frame);
			jw_addr(w, "ack_sender", ins_call_src(c, d));
			jw_addr(w, "ack_receiver", ins_call_src(c, 1 - d));
			jw_s(w, "protocol", ins_proto_name(ca->proto));
			jw_u64(w, "identifier", ca->id);
			sbuf_init(&sb, text, sizeof(text));
			rd_init(&r, ca->opts, ca->len);
			(void)ppp_opts_print(ca->proto, &r, &sb);
			jw_s(w, "options", text[0] == ' ' ? text + 1 : text);
			if (ca->proto == PPP_IPCP) {
				rd_init(&r, ca->opts, ca->len);
				while (ppp_opt_next(&r, &o) == 0)
					if (o.type == IPCP_OPT_ADDR &&
					    ipcp_opt_addr_decode(&o, &addr) == 0) {
						struct ins_addr a = { .family = 4 };

						a.a[0] = (uint8_t)(addr >> 24);
						a.a[1] = (uint8_t)(addr >> 16);
						a.a[2] = (uint8_t)(addr >> 8);
						a.a[3] = (uint8_t)addr;
						jw_s(w, "ip_address",
						    ins_addr_str(&a, ip,
						    sizeof(ip)));
					}
			}
			jw_close(w, '}');
		}
	jw_close(w, ']');
}

const char *
ins_auth_method(const struct ins_auth *a)
{
	if (a->proto == PPP_PAP)
		return "PAP";
	if (a->proto == PPP_EAP)
		return "EAP";
	if (a->proto != PPP_CHAP)
		return NULL;
	switch (a->chap_alg) {
	case LCP_CHAP_MSCHAP:	return "MS-CHAPv1";
	case LCP_CHAP_MSCHAPV2:	return "MS-CHAPv2";
	case LCP_CHAP_MD5:	return "CHAP-MD5";
	}
	return "CHAP";
}

/* The call object; key NULL inside the "calls" array. */
static void
json_call(struct jw *w, const char *key, const struct inspect *ins,
    const struct ins_call *c)
{
	const struct ins_auth *a = &c->auth;
	unsigned i;
	int d;

	jw_open(w, key, '{');
	jw_u64(w, "id", c->id);
	jw_s(w, "kind", ins_call_kind_name(c->kind));
	jw_opt_u64(w, "control_connection", c->conn_id != 0, c->conn_id);
	jw_addr(w, "pns", &c->pns);
	jw_addr(w, "pac", &c->pac);
	jw_opt_u64(w, "pns_call_id", c->have_pns_id, c->pns_call_id);
	jw_opt_u64(w, "pac_call_id", c->have_pac_id, c->pac_call_id);
	jw_opt_u64(w, "request_frame", c->request_frame != 0, c->request_frame);
	jw_opt_u64(w, "reply_frame", c->reply_frame != 0, c->reply_frame);
	jw_opt_u64(w, "result", c->reply_frame != 0, c->result);
	jw_opt_u64(w, "clear_frame", c->clear_frame != 0, c->clear_frame);
	jw_opt_u64(w, "disconnect_frame", c->cdn_frame != 0, c->cdn_frame);
	jw_open(w, "gre", '[');
	for (d = 0; d < 2; d++)
		if (c->kind != INS_CALL_GRE_ONLY || c->dir[d].seen)
			json_gre_dir(w, c, d);
	jw_close(w, ']');
	jw_open(w, "timeline", '[');
	for (i = 0; i < c->ntimeline; i++) {
		const struct ins_timeline *t = &c->timeline[i];

		jw_open(w, NULL, '{');
		jw_u64(w, "frame", t->frame);
		jw_u64(w, "ts_us", t->ts_us);
		jw_addr(w, "src", ins_call_src(c, t->dir));
		jw_s(w, "protocol", ins_proto_name(t->proto));
		jw_u64(w, "code", t->code);
		jw_s(w, "text", t->text);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	json_confacks(w, c);
	jw_open(w, "auth", '{');
	jw_s(w, "method", ins_auth_method(a));
	jw_key(w, "user");
	if (a->req_frame != 0)
		jw_str(w, a->user, a->user_len);
	else
		fputs("null", w->f);
	if (a->proto == PPP_PAP && a->req_frame != 0)
		jw_s(w, "password", "<hidden>");
	jw_s(w, "result", a->result > 0 ? "success" : a->result < 0 ?
	    "failure" : NULL);
	jw_opt_u64(w, "request_frame", a->req_frame != 0, a->req_frame);
	jw_opt_u64(w, "result_frame", a->result_frame != 0, a->result_frame);
	jw_close(w, '}');
	jw_u64(w, "mppe_frames", c->mppe_frames);
	jw_u64(w, "cleartext_ip_frames", c->cleartext_ip);
	jw_opt_u64(w, "end_frame", c->ended, c->end_frame);
	ins_mtu_json(w, c);
	ins_crypt_json(w, ins, c);
	ins_diag_call_json(w, ins, c);
	jw_close(w, '}');
}

void
inspect_report_json(const struct inspect *ins, const char *file, FILE *out)
{
	const struct ins_counters *k = &ins->c;
	struct jw w = { .f = out, .depth = 0, .first = { true } };
	char name[16];
	int i;

	jw_open(&w, NULL, '{');
	jw_s(&w, "schema", INS_JSON_SCHEMA);
	jw_s(&w, "file", file);
	jw_u64(&w, "packets", ins->frames);
	jw_u64(&w, "link_type", (uint64_t)(unsigned)ins->dlt);
	jw_u64(&w, "first_ts_us", ins->first_ts);
	jw_u64(&w, "last_ts_us", ins->last_ts);
	jw_open(&w, "counters", '{');
	jw_u64(&w, "tcp1723_segments", k->tcp_segments);
	jw_u64(&w, "tcp1723_payload_segments", k->tcp_payload_segments);
	jw_u64(&w, "tcp1723_retransmitted_segments", k->tcp_retrans);
	jw_u64(&w, "gre_packets", k->gre_packets);
	jw_u64(&w, "gre_pptp", k->gre_pptp);
	jw_u64(&w, "gre_other", k->gre_other);
	jw_u64(&w, "gre_malformed", k->gre_malformed);
	jw_u64(&w, "truncated", k->truncated);
	jw_u64(&w, "ip_fragments", k->ip_fragments);
	jw_u64(&w, "ip_datagrams_reassembled", k->ip_reassembled);
	jw_u64(&w, "ip_datagrams_timed_out", k->ip_frag_timeout);
	jw_u64(&w, "ip_datagrams_evicted", k->ip_frag_evicted);
	jw_u64(&w, "ip_datagrams_pending", k->ip_frag_pending);
	jw_u64(&w, "ip_fragments_bad", k->ip_frag_bad);
	jw_u64(&w, "ip_fragments_overlapping", k->ip_frag_overlap);
	jw_u64(&w, "not_ip", k->not_ip);
	jw_u64(&w, "link_unsupported", k->link_unsupported);
	jw_u64(&w, "evicted_connections", k->evicted_conns);
	jw_u64(&w, "evicted_calls", k->evicted_calls);
	jw_u64(&w, "evicted_other_gre", k->evicted_other_gre);
	jw_u64(&w, "dropped_messages", k->dropped_msgs);
	jw_u64(&w, "dropped_timeline", k->dropped_timeline);
	jw_close(&w, '}');
	jw_open(&w, "control_connections", '[');
	for (i = 0; i < INS_MAX_CONNS; i++)
		if (ins->conns[i].used)
			json_conn(&w, &ins->conns[i]);
	jw_close(&w, ']');
	jw_open(&w, "calls", '[');
	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used)
			json_call(&w, NULL, ins, &ins->calls[i]);
	jw_close(&w, ']');
	jw_open(&w, "other_gre", '[');
	for (i = 0; i < INS_MAX_OTHER_GRE; i++) {
		const struct ins_other_gre *o = &ins->other[i];

		if (!o->used)
			continue;
		jw_open(&w, NULL, '{');
		jw_addr(&w, "src", &o->src);
		jw_addr(&w, "dst", &o->dst);
		jw_u64(&w, "gre_version", o->version);
		snprintf(name, sizeof(name), "0x%04x", (unsigned)o->proto);
		jw_s(&w, "gre_proto", name);
		jw_u64(&w, "packets", o->packets);
		jw_u64(&w, "bytes", o->bytes);
		jw_u64(&w, "first_frame", o->first_frame);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	ins_diag_global_json(&w, ins);
	jw_close(&w, '}');
	fputc('\n', out);
}

void
inspect_call_json(const struct inspect *ins, const struct ins_call *c,
    const char *name, FILE *out)
{
	struct jw w = { .f = out, .depth = 0, .first = { true } };

	jw_open(&w, NULL, '{');
	jw_s(&w, "schema", INS_JSON_SCHEMA);
	jw_s(&w, "event", "call");
	jw_s(&w, "source", name);
	json_call(&w, "call", ins, c);
	jw_close(&w, '}');
	fputc('\n', out);
}

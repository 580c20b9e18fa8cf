/*
 * inspect_pptp.c - the analyzer's PPTP correlation: control connections
 * on TCP 1723 (RFC 2637 1.4) and their messages (section 2), calls from
 * OCRQ/OCRP (2.7, 2.8) and ICRQ/ICRP (2.9, 2.10), and each call's enhanced
 * GRE flow per direction (4.1: the Key's Call ID is the RECEIVER's, so GRE
 * from the PNS to the PAC carries the PAC's Call ID).  GRE that is not
 * version 1 carrying PPP (0x880B) is never taken for PPTP.  It also keeps
 * the diagnosis's control evidence (struct ins_conn_diag, the control half
 * of struct ins_call_diag): Start/Stop-Control-Connection results (2.2 -
 * 2.4), unanswered Echo-Requests (2.5), reply and disconnect codes (2.8,
 * 2.10, 2.13), request fingerprints for the NAT heuristic, and when each
 * call ends (CDN, Stop-Control-Connection-Reply, TCP FIN or RST).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../inspect/inspect_int.h"
#include "../base/err.h"
#include "../wire/cursor.h"
#include "../wire/gre.h"
#include "../wire/ip.h"

struct inspect *
inspect_new(void)
{
	return calloc(1, sizeof(struct inspect));
}

void
inspect_free(struct inspect *ins)
{
	if (ins == NULL)
		return;
	ins_crypt_close(ins);	/* wipes any secret still held */
	free(ins);
}

const char *
ins_ts_rel(const struct inspect *ins, uint64_t ts, char *buf, size_t cap)
{
	bool neg = ts < ins->first_ts;
	uint64_t ms = ((neg ? ins->first_ts - ts : ts - ins->first_ts) + 500) /
	    1000;

	snprintf(buf, cap, "%c%llu.%03u s", neg ? '-' : '+',
	    (unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
	return buf;
}

bool
ins_addr_eq(const struct ins_addr *a, const struct ins_addr *b)
{
	return a->family == b->family &&
	    memcmp(a->a, b->a, a->family == 4 ? 4 : 16) == 0;
}

const char *
ins_addr_str(const struct ins_addr *a, char *buf, size_t cap)
{
	if (a->family == 4)
		inet_ntop(AF_INET, a->a, buf, (socklen_t)cap);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->a, buf, (socklen_t)cap);
	else
		snprintf(buf, cap, "-");
	return buf;
}

const char *
ins_call_kind_name(enum ins_call_kind k)
{
	switch (k) {
	case INS_CALL_OUTGOING:	return "outgoing";
	case INS_CALL_INCOMING:	return "incoming";
	case INS_CALL_GRE_ONLY:	return "gre-only";
	}
	return "?";
}

/* --- tables with least-recently-seen eviction ----------------------- */

static struct ins_conn *
ins_conn_new(struct inspect *ins)
{
	struct ins_conn *cn = NULL;
	int i;

	for (i = 0; i < INS_MAX_CONNS; i++) {
		if (!ins->conns[i].used) {
			cn = &ins->conns[i];
			break;
		}
		if (cn == NULL || ins->conns[i].last_ts < cn->last_ts)
			cn = &ins->conns[i];
	}
	if (cn->used)
		ins->c.evicted_conns++;
	memset(cn, 0, sizeof(*cn));
	cn->used = true;
	cn->id = ++ins->next_conn_id;
	cn->first_frame = ins->frames;
	return cn;
}

struct ins_call *
ins_call_new(struct inspect *ins, enum ins_call_kind kind)
{
	struct ins_call *call = NULL;
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++) {
		if (!ins->calls[i].used) {
			call = &ins->calls[i];
			break;
		}
		if (call == NULL || ins->calls[i].last_ts < call->last_ts)
			call = &ins->calls[i];
	}
	if (call->used)
		ins->c.evicted_calls++;
	memset(call, 0, sizeof(*call));
	call->used = true;
	call->id = ++ins->next_call_id;
	call->kind = kind;
	call->last_ts = ins->last_ts;
	return call;
}

/* --- calls ending ------------------------------------------------------ */

void
ins_call_end(struct inspect *ins, struct ins_call *c, unsigned frame)
{
	if (c->ended)
		return;
	c->ended = true;
	c->end_frame = frame;
	c->diag.end_ts = ins->last_ts;
}

/* Every call of control connection cn ends: RFC 2637 2.3 (Stop-Control-
 * Connection) and 1.4 (the calls do not outlive their control). */
static void
ins_conn_end_calls(struct inspect *ins, const struct ins_conn *cn,
    unsigned frame)
{
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used && ins->calls[i].conn_id == cn->id)
			ins_call_end(ins, &ins->calls[i], frame);
}

/* A FIN or RST on the control connection, sent by side dir. */
static void
ins_conn_close(struct inspect *ins, struct ins_conn *cn, int dir,
    uint8_t flags)
{
	struct ins_conn_diag *x = &cn->diag;
	bool first = x->fin_frame == 0 && x->rst_frame == 0;

	if ((flags & TCP_FLAG_FIN) && x->fin_frame == 0) {
		x->fin_frame = ins->frames;
		x->fin_dir = (uint8_t)dir;
	}
	if ((flags & TCP_FLAG_RST) && x->rst_frame == 0) {
		x->rst_frame = ins->frames;
		x->rst_dir = (uint8_t)dir;
	}
	if (first) {
		x->close_ts = ins->last_ts;
		ins_conn_end_calls(ins, cn, ins->frames);
	}
}

/* FNV-1a over a message's identifying fields: two copies of one message
 * seen on both sides of a NAT hash alike whatever the NAT changed. */
static uint32_t
ins_fp(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

#define INS_FP_INIT	2166136261u
#define INS_FP_FIELD(h, f)	((h) = ins_fp((h), &(f), sizeof(f)))
#define INS_FP_STR(h, s)	((h) = ins_fp((h), (s), strlen(s)))

/* An OCRQ's or ICRQ's fields other than its Call ID (which a NAT may
 * rewrite): serial number, speeds, bearer, framing, numbers. */
static uint32_t
ins_req_fp(const struct pptp_msg *m)
{
	uint32_t h = INS_FP_INIT;

	INS_FP_FIELD(h, m->ctrl_type);
	if (m->ctrl_type == PPTP_OCRQ) {
		const struct pptp_ocrq *q = &m->u.ocrq;

		INS_FP_FIELD(h, q->call_serial);
		INS_FP_FIELD(h, q->min_bps);
		INS_FP_FIELD(h, q->max_bps);
		INS_FP_FIELD(h, q->bearer_type);
		INS_FP_FIELD(h, q->framing_type);
		INS_FP_FIELD(h, q->recv_window);
		INS_FP_FIELD(h, q->ppd);
		INS_FP_STR(h, q->phone);
		INS_FP_STR(h, q->subaddress);
	} else {
		const struct pptp_icrq *q = &m->u.icrq;

		INS_FP_FIELD(h, q->call_serial);
		INS_FP_FIELD(h, q->bearer_type);
		INS_FP_FIELD(h, q->phys_channel);
		INS_FP_STR(h, q->dialed);
		INS_FP_STR(h, q->dialing);
		INS_FP_STR(h, q->subaddress);
	}
	return h;
}

static uint32_t
ins_sccrq_fp(const struct pptp_sccrq *q)
{
	uint32_t h = INS_FP_INIT;

	INS_FP_FIELD(h, q->version);
	INS_FP_FIELD(h, q->framing_caps);
	INS_FP_FIELD(h, q->bearer_caps);
	INS_FP_FIELD(h, q->max_channels);
	INS_FP_FIELD(h, q->firmware_rev);
	INS_FP_STR(h, q->host_name);
	INS_FP_STR(h, q->vendor);
	return h;
}

/* Connection-wide evidence: Start/Stop-Control-Connection and echoes
 * (RFC 2637 2.1 - 2.6).  dir is the sender. */
static void
ins_ctrl_diag(struct inspect *ins, struct ins_conn *cn, int dir,
    const struct pptp_msg *m, unsigned frame)
{
	struct ins_conn_diag *x = &cn->diag;

	switch (m->ctrl_type) {
	case PPTP_SCCRQ:
		if (!x->have_sccrq_fp) {
			x->have_sccrq_fp = true;
			x->sccrq_fp = ins_sccrq_fp(&m->u.sccrq);
		}
		break;
	case PPTP_SCCRP:
		if (x->sccrp_frame == 0) {
			x->sccrp_frame = frame;
			x->sccrp_result = m->u.sccrp.result;
			x->sccrp_error = m->u.sccrp.error;
		}
		break;
	case PPTP_STOPCCRQ:
		if (x->stop_rq_frame == 0) {
			x->stop_rq_frame = frame;
			x->stop_rq_dir = (uint8_t)dir;
			x->stop_reason = m->u.stopccrq.reason;
		}
		break;
	case PPTP_STOPCCRP:
		if (x->stop_rp_frame == 0) {
			x->stop_rp_frame = frame;
			x->stop_rp_result = m->u.stopccrp.result;
			x->stop_rp_error = m->u.stopccrp.error;
			ins_conn_end_calls(ins, cn, frame);
		}
		break;
	case PPTP_ECHORQ:
		x->echo_rq++;
		if (x->echo_unans[dir]++ == 0) {
			x->echo_unans_first[dir] = frame;
			x->echo_unans_ts[dir] = ins->last_ts;
		}
		x->echo_unans_last[dir] = frame;
		break;
	case PPTP_ECHORP:
		x->echo_rp++;
		x->echo_unans[1 - dir] = 0;
		break;
	default:
		break;
	}
}

/* --- control connections -------------------------------------------- */

static void
ins_tcp(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, const uint8_t *p, size_t n)
{
	struct tcp_hdr th;
	struct ins_conn *cn = NULL;
	struct rd r;
	int i, dir = 0;

	rd_init(&r, p, n);
	if (tcp_hdr_decode(&r, &th) != 0) {
		ins->c.truncated++;
		return;
	}
	if (th.sport != PPTP_TCP_PORT && th.dport != PPTP_TCP_PORT)
		return;
	ins->c.tcp_segments++;
	for (i = 0; i < INS_MAX_CONNS; i++) {
		struct ins_conn *c = &ins->conns[i];

		if (!c->used)
			continue;
		if (c->cport == th.sport && c->sport == th.dport &&
		    ins_addr_eq(&c->cli, src) && ins_addr_eq(&c->srv, dst)) {
			cn = c;
			dir = 0;
			break;
		}
		if (c->sport == th.sport && c->cport == th.dport &&
		    ins_addr_eq(&c->srv, src) && ins_addr_eq(&c->cli, dst)) {
			cn = c;
			dir = 1;
			break;
		}
	}
	/* a fresh SYN on a 4-tuple whose connection ended: a new connection */
	if (cn != NULL && (th.flags & TCP_FLAG_SYN) &&
	    !(th.flags & TCP_FLAG_ACK) && (cn->fin || cn->rst))
		cn = NULL;
	if (cn == NULL) {
		cn = ins_conn_new(ins);
		if (th.dport == PPTP_TCP_PORT) {
			cn->cli = *src, cn->srv = *dst;
			cn->cport = th.sport, cn->sport = th.dport;
			dir = 0;
		} else {
			cn->cli = *dst, cn->srv = *src;
			cn->cport = th.dport, cn->sport = th.sport;
			dir = 1;
		}
	}
	cn->last_ts = ins->last_ts;
	ins_tcp_segment(ins, cn, dir, th.seq, th.flags, rd_cur(&r),
	    rd_left(&r));
	if (th.flags & (TCP_FLAG_FIN | TCP_FLAG_RST))
		ins_conn_close(ins, cn, dir, th.flags);
}

static struct ins_call *
ins_call_find(struct inspect *ins, unsigned conn_id, bool by_pns,
    uint16_t id, bool want_unpaired)
{
	struct ins_call *best = NULL;
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++) {
		struct ins_call *c = &ins->calls[i];

		if (!c->used || c->conn_id != conn_id)
			continue;
		if (by_pns ? !(c->have_pns_id && c->pns_call_id == id) :
		    !(c->have_pac_id && c->pac_call_id == id))
			continue;
		if (want_unpaired && (by_pns ? c->have_pac_id : c->have_pns_id))
			continue;
		if (best == NULL || c->id > best->id)
			best = c;
	}
	return best;
}

/* Ties a control message to its call.  sender is the message's source. */
static void
ins_ctrl_call(struct inspect *ins, struct ins_conn *cn, int dir,
    const struct pptp_msg *m, unsigned frame)
{
	const struct ins_addr *from = dir == 0 ? &cn->cli : &cn->srv;
	const struct ins_addr *to = dir == 0 ? &cn->srv : &cn->cli;
	struct ins_call *call;

	switch (m->ctrl_type) {
	case PPTP_OCRQ:
		call = ins_call_new(ins, INS_CALL_OUTGOING);
		call->conn_id = cn->id;
		call->pns = *from, call->pac = *to;
		call->have_pns_id = true;
		call->pns_call_id = m->u.ocrq.call_id;
		call->request_frame = frame;
		call->diag.req_ts = ins->last_ts;
		call->diag.have_req_fp = true;
		call->diag.req_fp = ins_req_fp(m);
		break;
	case PPTP_OCRP:
		call = ins_call_find(ins, cn->id, true, m->u.ocrp.peer_call_id,
		    true);
		if (call == NULL) {
			call = ins_call_new(ins, INS_CALL_OUTGOING);
			call->conn_id = cn->id;
			call->pns = *to, call->pac = *from;
			call->have_pns_id = true;
			call->pns_call_id = m->u.ocrp.peer_call_id;
		}
		call->have_pac_id = true;
		call->pac_call_id = m->u.ocrp.call_id;
		call->reply_frame = frame;
		call->result = m->u.ocrp.result;
		call->diag.reply_error = m->u.ocrp.error;
		call->diag.reply_cause = m->u.ocrp.cause;
		if (call->result != PPTP_OCRP_CONNECTED)
			ins_call_end(ins, call, frame);
		break;
	case PPTP_ICRQ:
		call = ins_call_new(ins, INS_CALL_INCOMING);
		call->conn_id = cn->id;
		call->pac = *from, call->pns = *to;
		call->have_pac_id = true;
		call->pac_call_id = m->u.icrq.call_id;
		call->request_frame = frame;
		call->diag.req_ts = ins->last_ts;
		call->diag.have_req_fp = true;
		call->diag.req_fp = ins_req_fp(m);
		break;
	case PPTP_ICRP:
		call = ins_call_find(ins, cn->id, false, m->u.icrp.peer_call_id,
		    true);
		if (call == NULL) {
			call = ins_call_new(ins, INS_CALL_INCOMING);
			call->conn_id = cn->id;
			call->pac = *to, call->pns = *from;
			call->have_pac_id = true;
			call->pac_call_id = m->u.icrp.peer_call_id;
		}
		call->have_pns_id = true;
		call->pns_call_id = m->u.icrp.call_id;
		call->reply_frame = frame;
		call->result = m->u.icrp.result;
		call->diag.reply_error = m->u.icrp.error;
		if (call->result != PPTP_ICRP_CONNECT)
			ins_call_end(ins, call, frame);
		break;
	case PPTP_CCRQ:
		if ((call = ins_call_find(ins, cn->id, true, m->u.ccrq.call_id,
		    false)) != NULL)
			call->clear_frame = frame;
		break;
	case PPTP_CDN:
		/* the PAC's Call ID; some PACs send the PNS's (nDPI's capture
		 * carries 0, the PNS's), so fall back to that */
		if ((call = ins_call_find(ins, cn->id, false, m->u.cdn.call_id,
		    false)) != NULL ||
		    (call = ins_call_find(ins, cn->id, true, m->u.cdn.call_id,
		    false)) != NULL) {
			call->cdn_frame = frame;
			call->diag.have_cdn = true;
			call->diag.cdn_result = m->u.cdn.result;
			call->diag.cdn_error = m->u.cdn.error;
			call->diag.cdn_cause = m->u.cdn.cause;
			ins_call_end(ins, call, frame);
		}
		break;
	default:
		break;
	}
}

void
ins_msg_call_ids(const struct pptp_msg *m, bool *have_cid, uint16_t *cid,
    bool *have_pcid, uint16_t *pcid)
{
	*have_cid = *have_pcid = false;
	*cid = *pcid = 0;
	switch (m->ctrl_type) {
	case PPTP_OCRQ: *have_cid = true, *cid = m->u.ocrq.call_id; break;
	case PPTP_OCRP: *have_cid = *have_pcid = true;
		*cid = m->u.ocrp.call_id, *pcid = m->u.ocrp.peer_call_id; break;
	case PPTP_ICRQ: *have_cid = true, *cid = m->u.icrq.call_id; break;
	case PPTP_ICRP: *have_cid = *have_pcid = true;
		*cid = m->u.icrp.call_id, *pcid = m->u.icrp.peer_call_id; break;
	case PPTP_ICCN: *have_pcid = true, *pcid = m->u.iccn.peer_call_id; break;
	case PPTP_CCRQ: *have_cid = true, *cid = m->u.ccrq.call_id; break;
	case PPTP_CDN: *have_cid = true, *cid = m->u.cdn.call_id; break;
	case PPTP_WEN: *have_pcid = true, *pcid = m->u.wen.peer_call_id; break;
	case PPTP_SLI: *have_pcid = true, *pcid = m->u.sli.peer_call_id; break;
	default: break;
	}
}

static void
ins_ctrl_msg(struct inspect *ins, struct ins_conn *cn, int dir,
    const uint8_t *buf, size_t len, unsigned frame)
{
	struct pptp_msg m;
	struct rd r;

	rd_init(&r, buf, len);
	if (pptp_msg_decode(&r, &m) != 0) {
		cn->decode_errors++;
		return;
	}
	if (m.ctrl_type <= PPTP_CTRL_TYPE_MAX)
		cn->type_count[m.ctrl_type]++;
	if (cn->nmsgs < INS_MAX_MSGS) {
		struct ins_msg *im = &cn->msgs[cn->nmsgs];

		im->frame = frame;
		im->ts_us = ins->last_ts;
		im->dir = (uint8_t)dir;
		im->m = m;
	} else {
		ins->c.dropped_msgs++;
	}
	cn->nmsgs++;
	ins_ctrl_diag(ins, cn, dir, &m, frame);
	ins_ctrl_call(ins, cn, dir, &m, frame);
}

void
ins_ctrl_bytes(struct inspect *ins, struct ins_conn *cn, int dir,
    const uint8_t *data, size_t len, unsigned frame)
{
	struct ins_tcp_dir *d = &cn->dir[dir];
	size_t msglen, want, take;
	int ret;

	while (len > 0 && !d->desync) {
		want = PPTP_HDR_LEN;
		if (d->have >= PPTP_HDR_LEN) {
			ret = pptp_msg_frame(d->msg, d->have, &msglen);
			if (ret != 0) {
				d->desync = true;
				cn->decode_errors++;
				return;
			}
			want = msglen;
		}
		take = want - d->have;
		if (take > len)
			take = len;
		memcpy(d->msg + d->have, data, take);
		d->have += take;
		data += take;
		len -= take;
		if (d->have < want)
			continue;
		if (want == PPTP_HDR_LEN) {
			if ((ret = pptp_msg_frame(d->msg, d->have, &msglen)) != 0) {
				d->desync = true;
				cn->decode_errors++;
				return;
			}
			if (msglen > PPTP_HDR_LEN)
				continue;
		}
		ins_ctrl_msg(ins, cn, dir, d->msg, d->have, frame);
		d->have = 0;
	}
}

void
ins_l4(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t proto, const uint8_t *p, size_t n)
{
	if (proto == IP_PROTO_TCP)
		ins_tcp(ins, src, dst, p, n);
	else if (proto == IP_PROTO_GRE)
		ins_gre(ins, src, dst, p, n);
}

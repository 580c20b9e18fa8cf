/*
 * ppp_cp.c - PPP control-protocol packets (RFC 1661 5, 6; RFC 1570 2.1,
 * 2.2; RFC 1962 for the CCP codes): header, option iteration, the LCP
 * packets that carry no options, code names and the packet printer.  See
 * ppp_cp.h for the contract.
 */
#include "ppp_cp.h"
#include "ppp_frame.h"
#include "ppp_opt.h"

/* --- header --- */

int
ppp_cp_decode(struct rd *r, struct ppp_cp *p, struct rd *data)
{
	size_t avail;
	int ret;

	if (rd_left(r) < PPP_CP_HDR_LEN)
		return ERR_TRUNCATED;
	if ((ret = rd_u8(r, &p->code)) != 0 ||
	    (ret = rd_u8(r, &p->id)) != 0 ||
	    (ret = rd_u16(r, &p->length)) != 0)
		return ret;
	avail = rd_left(r);
	if (p->length < PPP_CP_HDR_LEN ||
	    (size_t)p->length - PPP_CP_HDR_LEN > avail) {
		rd_rest(r, data);
		return ERR_LENGTH;
	}
	if ((ret = rd_sub(r, (size_t)p->length - PPP_CP_HDR_LEN, data)) != 0)
		return ret;
	/* RFC 1661 5: octets past Length are padding, ignored on receipt. */
	return rd_skip(r, rd_left(r));
}

int
ppp_cp_begin(struct wr *w, uint8_t code, uint8_t id, size_t *start)
{
	size_t at;

	*start = wr_len(w);
	wr_u8(w, code);
	wr_u8(w, id);
	wr_reserve_u16(w, &at);
	return wr_error(w);
}

int
ppp_cp_finish(struct wr *w, size_t start)
{
	return wr_patch_len16(w, start + 2, start);
}

int
ppp_cp_encode(struct wr *w, uint8_t code, uint8_t id, const void *data,
    size_t n)
{
	size_t start;
	int ret;

	if ((ret = ppp_cp_begin(w, code, id, &start)) != 0)
		return ret;
	wr_bytes(w, data, n);
	return ppp_cp_finish(w, start);
}

/* --- options --- */

int
ppp_opt_next(struct rd *opts, struct ppp_opt *o)
{
	const uint8_t *p;

	rd_init(&o->val, NULL, 0);
	o->len = 0;
	if (rd_left(opts) == 0)
		return PPP_OPT_END;
	p = rd_cur(opts);
	o->type = p[0];
	if (rd_left(opts) < PPP_OPT_HDR_LEN)
		return ERR_OPTION;
	o->len = p[1];
	/* RFC 1661 6: Length counts Type and Length; below 2 the walk
	 * could not advance (pppd CVE-2020-8597 territory), past the end
	 * it would read outside the packet. */
	if (o->len < PPP_OPT_HDR_LEN || o->len > rd_left(opts))
		return ERR_OPTION;
	rd_init(&o->val, p + PPP_OPT_HDR_LEN, o->len - PPP_OPT_HDR_LEN);
	return rd_skip(opts, o->len);
}

int
ppp_opt_put(struct wr *w, uint8_t type, const void *val, size_t n)
{
	if (n > PPP_OPT_VAL_MAX) {
		if (w->err == 0)
			w->err = ERR_RANGE;
		return w->err;
	}
	wr_u8(w, type);
	wr_u8(w, (uint8_t)(n + PPP_OPT_HDR_LEN));
	if (n > 0)
		wr_bytes(w, val, n);
	return wr_error(w);
}

/* --- LCP special packets --- */

int
lcp_echo_decode(struct rd *data, struct lcp_echo *e)
{
	int ret;

	if ((ret = rd_u32(data, &e->magic)) != 0)
		return ret;
	e->data_len = rd_left(data);
	return rd_ptr(data, &e->data, e->data_len);
}

int
lcp_echo_encode(struct wr *w, const struct lcp_echo *e)
{
	wr_u32(w, e->magic);
	wr_bytes(w, e->data, e->data_len);
	return wr_error(w);
}

int
lcp_proto_rej_decode(struct rd *data, struct lcp_proto_rej *p)
{
	int ret;

	if ((ret = rd_u16(data, &p->proto)) != 0)
		return ret;
	p->info_len = rd_left(data);
	return rd_ptr(data, &p->info, p->info_len);
}

int
lcp_proto_rej_encode(struct wr *w, const struct lcp_proto_rej *p)
{
	wr_u16(w, p->proto);
	wr_bytes(w, p->info, p->info_len);
	return wr_error(w);
}

int
ppp_code_rej_decode(struct rd *data, struct ppp_code_rej *c)
{
	c->pkt_len = rd_left(data);
	return rd_ptr(data, &c->pkt, c->pkt_len);
}

int
ppp_code_rej_encode(struct wr *w, const struct ppp_code_rej *c)
{
	wr_bytes(w, c->pkt, c->pkt_len);
	return wr_error(w);
}

int
lcp_ident_decode(struct rd *data, struct lcp_ident *i)
{
	int ret;

	if ((ret = rd_u32(data, &i->magic)) != 0)
		return ret;
	i->msg_len = rd_left(data);
	return rd_ptr(data, &i->msg, i->msg_len);
}

int
lcp_ident_encode(struct wr *w, const struct lcp_ident *i)
{
	wr_u32(w, i->magic);
	wr_bytes(w, i->msg, i->msg_len);
	return wr_error(w);
}

int
lcp_time_rem_decode(struct rd *data, struct lcp_time_rem *t)
{
	int ret;

	if (rd_left(data) < LCP_TIME_REM_FIXED)
		return ERR_TRUNCATED;
	if ((ret = rd_u32(data, &t->magic)) != 0 ||
	    (ret = rd_u32(data, &t->seconds)) != 0)
		return ret;
	t->msg_len = rd_left(data);
	return rd_ptr(data, &t->msg, t->msg_len);
}

int
lcp_time_rem_encode(struct wr *w, const struct lcp_time_rem *t)
{
	wr_u32(w, t->magic);
	wr_u32(w, t->seconds);
	wr_bytes(w, t->msg, t->msg_len);
	return wr_error(w);
}

/* How many of n variable octets fit after hdr + fixed octets in a packet
 * of at most max_len; *room is set, false if not even the fixed part fits. */
static bool
ppp_cp_fit(size_t max_len, size_t fixed, size_t n, size_t *room)
{
	if (max_len > 0xffff)
		max_len = 0xffff;
	if (max_len < PPP_CP_HDR_LEN + fixed)
		return false;
	max_len -= PPP_CP_HDR_LEN + fixed;
	*room = n < max_len ? n : max_len;
	return true;
}

int
lcp_echo_build(struct wr *w, uint8_t code, uint8_t id,
    const struct lcp_echo *e, size_t max_len)
{
	struct lcp_echo cut = *e;
	size_t start;
	int ret;

	if (code != PPP_ECHO_REQ && code != PPP_ECHO_REP &&
	    code != PPP_DISC_REQ)
		return ERR_INVAL;
	if (!ppp_cp_fit(max_len, LCP_ECHO_FIXED, e->data_len, &cut.data_len))
		return ERR_INVAL;
	if ((ret = ppp_cp_begin(w, code, id, &start)) != 0 ||
	    (ret = lcp_echo_encode(w, &cut)) != 0)
		return ret;
	return ppp_cp_finish(w, start);
}

int
lcp_proto_rej_build(struct wr *w, uint8_t id, const struct lcp_proto_rej *p,
    size_t max_len)
{
	struct lcp_proto_rej cut = *p;
	size_t start;
	int ret;

	if (!ppp_cp_fit(max_len, LCP_PROTO_REJ_FIXED, p->info_len,
	    &cut.info_len))
		return ERR_INVAL;
	if ((ret = ppp_cp_begin(w, PPP_PROTO_REJ, id, &start)) != 0 ||
	    (ret = lcp_proto_rej_encode(w, &cut)) != 0)
		return ret;
	return ppp_cp_finish(w, start);
}

int
ppp_code_rej_build(struct wr *w, uint8_t id, const struct ppp_code_rej *c,
    size_t max_len)
{
	struct ppp_code_rej cut = *c;
	size_t start;
	int ret;

	if (!ppp_cp_fit(max_len, 0, c->pkt_len, &cut.pkt_len))
		return ERR_INVAL;
	if ((ret = ppp_cp_begin(w, PPP_CODE_REJ, id, &start)) != 0 ||
	    (ret = ppp_code_rej_encode(w, &cut)) != 0)
		return ret;
	return ppp_cp_finish(w, start);
}

/* --- names --- */

static const char *const ppp_code_names[] = {
	[PPP_CONF_REQ]	= "ConfReq",
	[PPP_CONF_ACK]	= "ConfAck",
	[PPP_CONF_NAK]	= "ConfNak",
	[PPP_CONF_REJ]	= "ConfRej",
	[PPP_TERM_REQ]	= "TermReq",
	[PPP_TERM_ACK]	= "TermAck",
	[PPP_CODE_REJ]	= "CodeRej",
	[PPP_PROTO_REJ]	= "ProtRej",
	[PPP_ECHO_REQ]	= "EchoReq",
	[PPP_ECHO_REP]	= "EchoRep",
	[PPP_DISC_REQ]	= "DiscReq",
	[PPP_IDENT]	= "Ident",
	[PPP_TIME_REM]	= "TimeRem",
	[PPP_RESET_REQ]	= "ResetReq",
	[PPP_RESET_ACK]	= "ResetAck",
};

const char *
ppp_code_name(uint16_t proto, uint8_t code)
{
	bool known;

	switch (proto) {
	case PPP_LCP:
		known = code >= PPP_CONF_REQ && code <= PPP_TIME_REM;
		break;
	case PPP_IPCP:
	case PPP_IPV6CP:
		known = code >= PPP_CONF_REQ && code <= PPP_CODE_REJ;
		break;
	case PPP_CCP:
		known = (code >= PPP_CONF_REQ && code <= PPP_CODE_REJ) ||
		    code == PPP_RESET_REQ || code == PPP_RESET_ACK;
		break;
	default:
		known = false;
	}
	return known ? ppp_code_names[code] : NULL;
}

bool
ppp_code_has_opts(uint8_t code)
{
	return code >= PPP_CONF_REQ && code <= PPP_CONF_REJ;
}

/* --- printer --- */

#define PPP_CP_PRINT_DATA_MAX	64	/* octets of opaque data shown */

/* Opaque data: as quoted text when it is printable ASCII, else as hex;
 * at most PPP_CP_PRINT_DATA_MAX octets, then "...". */
static void
ppp_cp_print_data(const char *key, const uint8_t *p, size_t n,
    struct sbuf *sb)
{
	size_t i, shown = n < PPP_CP_PRINT_DATA_MAX ? n : PPP_CP_PRINT_DATA_MAX;
	bool text = n > 0;

	if (n == 0)
		return;
	for (i = 0; i < shown; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			text = false;
	sbuf_printf(sb, " %s=", key);
	if (text) {
		sbuf_printf(sb, "\"");
		sbuf_escaped(sb, p, shown);
		sbuf_printf(sb, "\"");
	} else {
		sbuf_hex(sb, p, shown);
	}
	if (shown < n)
		sbuf_printf(sb, "...");
}

/* The Data of a packet that is not a Configure-*; returns 0 or the
 * decoder's error. */
static int
ppp_cp_print_body(uint16_t proto, uint8_t code, struct rd *data,
    struct sbuf *sb)
{
	struct lcp_echo e;
	struct lcp_proto_rej pr;
	struct lcp_ident id;
	struct lcp_time_rem tr;
	const char *name;
	int ret;

	if (proto == PPP_LCP) {
		switch (code) {
		case PPP_ECHO_REQ:
		case PPP_ECHO_REP:
		case PPP_DISC_REQ:
			if ((ret = lcp_echo_decode(data, &e)) != 0)
				return ret;
			sbuf_printf(sb, " magic=0x%08x", (unsigned)e.magic);
			ppp_cp_print_data("data", e.data, e.data_len, sb);
			return 0;
		case PPP_PROTO_REJ:
			if ((ret = lcp_proto_rej_decode(data, &pr)) != 0)
				return ret;
			sbuf_printf(sb, " proto=0x%04x", (unsigned)pr.proto);
			if ((name = ppp_proto_name(pr.proto)) != NULL)
				sbuf_printf(sb, " %s", name);
			ppp_cp_print_data("info", pr.info, pr.info_len, sb);
			return 0;
		case PPP_IDENT:
			if ((ret = lcp_ident_decode(data, &id)) != 0)
				return ret;
			sbuf_printf(sb, " magic=0x%08x", (unsigned)id.magic);
			ppp_cp_print_data("msg", id.msg, id.msg_len, sb);
			return 0;
		case PPP_TIME_REM:
			if ((ret = lcp_time_rem_decode(data, &tr)) != 0)
				return ret;
			sbuf_printf(sb, " magic=0x%08x seconds=%lu",
			    (unsigned)tr.magic, (unsigned long)tr.seconds);
			ppp_cp_print_data("msg", tr.msg, tr.msg_len, sb);
			return 0;
		}
	}
	if (code == PPP_CODE_REJ && ppp_code_name(proto, code) != NULL &&
	    rd_left(data) >= PPP_CP_HDR_LEN) {
		/* Show which of our packets the peer refused. */
		const uint8_t *p = rd_cur(data);

		name = ppp_code_name(proto, p[0]);
		if (name != NULL)
			sbuf_printf(sb, " rejected=%s", name);
		else
			sbuf_printf(sb, " rejected=code-%u", (unsigned)p[0]);
		sbuf_printf(sb, " rejected-id=%u", (unsigned)p[1]);
	}
	ppp_cp_print_data(code == PPP_TERM_REQ || code == PPP_TERM_ACK ?
	    "reason" : "data", rd_cur(data), rd_left(data), sb);
	return 0;
}

void
ppp_cp_print(uint16_t proto, const uint8_t *pkt, size_t len, struct sbuf *sb)
{
	const char *pname, *cname;
	struct ppp_cp p;
	struct rd r, data;
	int err, ret;

	pname = ppp_proto_name(proto);
	if (proto == PPP_LCP || proto == PPP_IPCP || proto == PPP_IPV6CP ||
	    proto == PPP_CCP)
		sbuf_printf(sb, "%s", pname);
	else
		sbuf_printf(sb, "proto=0x%04x", (unsigned)proto);
	rd_init(&r, pkt, len);
	err = ppp_cp_decode(&r, &p, &data);
	if (err == ERR_TRUNCATED) {
		sbuf_printf(sb, " (malformed: %s)", err_str(err));
		return;
	}
	if ((cname = ppp_code_name(proto, p.code)) != NULL)
		sbuf_printf(sb, " %s", cname);
	else
		sbuf_printf(sb, " code=%u", (unsigned)p.code);
	sbuf_printf(sb, " id=%u len=%u", (unsigned)p.id, (unsigned)p.length);
	/* A Length past the data still shows what did arrive; one below 4
	 * leaves nothing to interpret. */
	if (err == 0 || p.length >= PPP_CP_HDR_LEN) {
		if (ppp_code_has_opts(p.code) && cname != NULL) {
			ret = ppp_opts_print(proto, &data, sb);
		} else if (cname != NULL) {
			ret = ppp_cp_print_body(proto, p.code, &data, sb);
		} else {
			ppp_cp_print_data("data", rd_cur(&data),
			    rd_left(&data), sb);
			ret = 0;
		}
		if (err == 0)
			err = ret;
	}
	if (err != 0)
		sbuf_printf(sb, " (malformed: %s)", err_str(err));
}

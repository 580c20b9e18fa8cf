/*
 * ctrl_pair.c - two PPTP control connection cores (RFC 2637 3.1-3.2) back to
 * back in memory, with recording callbacks; see ctrl_pair.h.
 */
#include <stdio.h>

#include "ctrl_pair.h"
#include "t.h"

struct cp_side cp_side[2];
struct cp_wire cp_wire[CP_WIRE_MAX];
unsigned cp_nwire;
uint64_t cp_now;
int cp_split;

static void
on_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct cp_side *s = ctx;
	struct rd r;

	CHECK(s->outlen + len <= CP_OUT_MAX && s->nsent < CP_LOG_MAX);
	if (s->outlen + len > CP_OUT_MAX || s->nsent >= CP_LOG_MAX)
		return;
	rd_init(&r, buf, len);
	CHECK_OK(pptp_msg_decode(&r, &s->sent[s->nsent]));
	if (cp_nwire < CP_WIRE_MAX) {
		cp_wire[cp_nwire].from = s->idx;
		cp_wire[cp_nwire++].type = s->sent[s->nsent].ctrl_type;
	}
	s->nsent++;
	memcpy(s->out + s->outlen, buf, len);
	s->outlen += len;
	s->bounds[s->nbounds++] = s->outlen;
}

static void
on_event(void *ctx, const struct ctrl_event *ev)
{
	struct cp_side *s = ctx;
	struct cp_rec *e;

	CHECK(ev->text != NULL);
	t_note("%s %s: %s", s->idx ? "PAC" : "PNS", ctrl_event_str(ev->type),
	    ev->text);
	s->nested_ret = ctrl_input(&s->c, cp_now, NULL, 0);
	if (s->nev >= CP_LOG_MAX)
		return;
	e = &s->ev[s->nev++];
	memset(e, 0, sizeof(*e));
	e->type = ev->type;
	if (ev->call != NULL)
		e->call = *ev->call;
	e->down = ev->down;
	e->close = ev->close;
	e->orderly = ev->orderly;
	e->result = ev->result;
	e->error = ev->error;
	snprintf(e->text, sizeof(e->text), "%s", ev->text);
	if (ev->type == CTRL_EV_CALL_REQUEST && s->accept == CP_ACCEPT_NOW)
		CHECK_OK(ctrl_call_accept(&s->c, cp_now, ev->call->call_id));
	if (ev->type == CTRL_EV_CALL_REQUEST && s->accept == CP_REJECT_BUSY)
		CHECK_OK(ctrl_call_reject(&s->c, cp_now, ev->call->call_id,
		    PPTP_OCRP_BUSY, 0, 0));
	if (ev->type == CTRL_EV_CALL_DOWN && s->stop_on_down)
		CHECK_OK(ctrl_stop(&s->c, cp_now, PPTP_STOP_NONE));
	if (s->abort_on == (int)ev->type + 1)
		ctrl_abort(&s->c, cp_now, "glue gave up");
}

static int
on_call_id(void *ctx, uint16_t *id)
{
	struct cp_side *s = ctx;

	if (s->alloc_err != 0)
		return s->alloc_err;
	*id = s->next_id++;
	return 0;
}

void
cp_side_config(struct cp_side *s, struct ctrl_config *cfg, int idx)
{
	memset(s, 0, sizeof(*s));
	s->idx = idx;
	s->next_id = idx ? 0x4200 : 0x1700;
	ctrl_config_default(cfg, idx ? CTRL_ROLE_PAC : CTRL_ROLE_PNS);
	cfg->send = on_send;
	cfg->event = on_event;
	cfg->call_id = on_call_id;
	cfg->ctx = s;
	cfg->recv_window = idx ? 32 : 64;	/* tell the windows apart */
	cfg->ppd = idx ? 0 : 3;
	cfg->max_bps = 10000000;
}

void
cp_setup(void)
{
	struct ctrl_config cfg;

	cp_nwire = 0;
	cp_now = 0;
	cp_split = 0;
	cp_side_config(CP_PNS, &cfg, 0);
	CHECK_OK(ctrl_init(&CP_PNS->c, &cfg));
	cp_side_config(CP_PAC, &cfg, 1);
	CHECK_OK(ctrl_init(&CP_PAC->c, &cfg));
}

/* Gives to the bytes p[n] (message ends in bounds), split by cp_split. */
static void
feed(struct cp_side *to, const uint8_t *p, size_t n, const size_t *bounds,
    unsigned nb)
{
	size_t off = 0, k;
	unsigned i;

	if (cp_split == 0) {
		for (i = 0; i < nb; off = bounds[i++])
			(void)ctrl_input(&to->c, cp_now, p + off,
			    bounds[i] - off);
		return;
	}
	k = cp_split < 0 ? n : (size_t)cp_split;
	for (; off < n; off += k)
		if (ctrl_input(&to->c, cp_now, p + off,
		    n - off < k ? n - off : k) == ERR_CLOSED)
			break;
}

void
cp_pump(void)
{
	static uint8_t buf[CP_OUT_MAX];
	size_t bounds[CP_WIRE_MAX], n;
	unsigned i, nb, turn;

	for (turn = 0; turn < 64; turn++) {
		if (CP_PNS->outlen == 0 && CP_PAC->outlen == 0)
			break;
		for (i = 0; i < 2; i++) {
			struct cp_side *from = &cp_side[i];
			struct cp_side *to = &cp_side[!i];

			n = from->outlen;
			nb = from->nbounds;
			memcpy(buf, from->out, n);
			memcpy(bounds, from->bounds, nb * sizeof(bounds[0]));
			from->outlen = 0;
			from->nbounds = 0;
			if (!ctrl_is_closed(&to->c))
				feed(to, buf, n, bounds, nb);
		}
	}
	CHECK(turn < 64);
	for (i = 0; i < 2; i++)
		if (ctrl_is_closed(&cp_side[i].c))
			ctrl_peer_closed(&cp_side[!i].c, cp_now);
}

void
cp_establish(void)
{
	CHECK_OK(ctrl_start(&CP_PAC->c, cp_now));
	CHECK_OK(ctrl_start(&CP_PNS->c, cp_now));
	cp_pump();
	CHECK_EQ(ctrl_state(&CP_PNS->c), CTRL_ESTABLISHED);
	CHECK_EQ(ctrl_state(&CP_PAC->c), CTRL_ESTABLISHED);
}

uint16_t
cp_call_up(void)
{
	uint16_t id = 0;

	cp_establish();
	CHECK_OK(ctrl_call_open(&CP_PNS->c, cp_now, "5551234", &id));
	cp_pump();
	return id;
}

const struct cp_rec *
cp_find_ev(const struct cp_side *s, enum ctrl_event_type type)
{
	for (unsigned i = 0; i < s->nev; i++)
		if (s->ev[i].type == type)
			return &s->ev[i];
	return NULL;
}

unsigned
cp_count_ev(const struct cp_side *s, enum ctrl_event_type type)
{
	unsigned i, n = 0;

	for (i = 0; i < s->nev; i++)
		n += s->ev[i].type == type;
	return n;
}

const char *
cp_wire_str(unsigned start)
{
	static char s[512];
	size_t l = 0;

	s[0] = 0;
	for (unsigned i = start; i < cp_nwire && l < sizeof(s) - 32; i++)
		l += (size_t)snprintf(s + l, sizeof(s) - l, "%s%s%s",
		    i > start ? "," : "", cp_wire[i].from ? "pac:" : "pns:",
		    pptp_ctrl_type_name(cp_wire[i].type));
	return s;
}

size_t
cp_enc(const struct pptp_msg *m, uint8_t *out)
{
	struct wr w;

	wr_init(&w, out, PPTP_MAX_MSG_LEN);
	CHECK_OK(pptp_msg_encode(&w, m));
	return wr_len(&w);
}

size_t
cp_sccrq_pptp_linux(uint8_t *out)
{
	int n = t_unhex("009c 0001 1a2b3c4d 0001 0000 0100 0000 00000003 "
	    "00000003 ffff 0001", out, PPTP_MAX_MSG_LEN);

	memset(out + n, 0, 128);
	memcpy(out + n, "local", 5);
	memcpy(out + n + 64, "cananian", 8);
	return (size_t)n + 128;
}

size_t
cp_ocrq(uint8_t *out, uint16_t call_id)
{
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_OCRQ);
	m.u.ocrq.call_id = call_id;
	m.u.ocrq.call_serial = 1;
	m.u.ocrq.min_bps = 2400;
	m.u.ocrq.max_bps = 10000000;
	m.u.ocrq.bearer_type = PPTP_BEARER_ANY;
	m.u.ocrq.framing_type = PPTP_FRAMING_ANY;
	m.u.ocrq.recv_window = 64;
	return cp_enc(&m, out);
}

size_t
cp_small(uint8_t *out, uint16_t type, uint16_t id16)
{
	struct pptp_msg m;

	pptp_msg_init(&m, type);
	m.u.ccrq.call_id = id16;	/* the first field of each body */
	if (type == PPTP_SLI) {
		m.u.sli.peer_call_id = id16;
		m.u.sli.send_accm = 0xffffffff;
	}
	if (type == PPTP_ECHORQ)
		m.u.echorq.id = 0xabcd0000u | id16;
	return cp_enc(&m, out);
}

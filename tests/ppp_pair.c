/*
 * ppp_pair.c - two PPP sessions in memory with a lossy wire (see ppp_pair.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp_pair.h"

#define PAIR_MAX_STEPS	200000

static uint64_t
rng_next(uint64_t *x)
{
	/* xorshift64*: deterministic, seeded per test */
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
}

static unsigned
rng_pct(uint64_t *x)
{
	return (unsigned)(rng_next(x) % 100);
}

static void
pair_enqueue(struct pair *p, int to, const uint8_t *frame, size_t len,
    uint64_t at)
{
	struct pair_frame *f;

	if (p->qn == PAIR_QUEUE || len > PAIR_FRAME) {
		p->dropped++;
		return;
	}
	f = &p->q[p->qn++];
	f->at = at;
	f->to = to;
	f->len = (uint16_t)len;
	memcpy(f->data, frame, len);
}

static void
io_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct pair_side *side = ctx;
	struct pair *p = side->pair;
	int to = 1 - side->idx;
	uint64_t at = p->now + p->latency_ms;

	side->sent_frames++;
	if (p->wire_cut[to] || (p->loss_pct && rng_pct(&p->rng) < p->loss_pct)) {
		p->dropped++;
		return;
	}
	if (p->reorder_pct && rng_pct(&p->rng) < p->reorder_pct) {
		at += 1 + rng_next(&p->rng) % 20;	/* overtaken by later ones */
		p->reordered++;
	}
	pair_enqueue(p, to, frame, len, at);
	if (p->dup_pct && rng_pct(&p->rng) < p->dup_pct) {
		pair_enqueue(p, to, frame, len, at + rng_next(&p->rng) % 5);
		p->duplicated++;
	}
}

bool
pair_packet_ok(const uint8_t *pkt, size_t len, uint32_t *id)
{
	size_t i;

	if (len < 24 || (pkt[0] >> 4) != 4 || (size_t)(pkt[2] << 8 | pkt[3]) != len)
		return false;
	*id = (uint32_t)pkt[20] << 24 | (uint32_t)pkt[21] << 16 |
	    (uint32_t)pkt[22] << 8 | pkt[23];
	for (i = 24; i < len; i++)
		if (pkt[i] != (uint8_t)(*id * 31 + i))
			return false;
	return true;
}

static void
io_deliver(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct pair_side *side = ctx;
	uint32_t id;

	if (proto != 0x0021 || !pair_packet_ok(pkt, len, &id)) {
		side->rx_bad++;
		return;
	}
	if (side->delivered < PAIR_RX_MAX)
		side->rx_ids[side->delivered] = id;
	side->delivered++;
}

static void
io_event(void *ctx, const struct ppp_event *ev)
{
	struct pair_side *side = ctx;

	switch (ev->type) {
	case PPP_EV_AUTH_REQUEST:
		side->auth_requests++;
		side->answer_due = true;
		side->answered_method = ev->u.auth.method;
		snprintf(side->auth_user, sizeof(side->auth_user), "%s",
		    ev->u.auth.user_nodomain);
		break;
	case PPP_EV_AUTH_OK:
		side->auth_ok = true;
		break;
	case PPP_EV_IP_UP:
		side->ip_up = true;
		side->ip_ev = *ev;
		break;
	case PPP_EV_IPV6_UP:
		side->ipv6_up = true;
		break;
	case PPP_EV_DOWN:
		side->down = true;
		side->down_reason = ev->u.down.reason;
		side->down_mschap = ev->u.down.mschap_error;
		snprintf(side->down_text, sizeof(side->down_text), "%s",
		    ev->text != NULL ? ev->text : "");
		break;
	case PPP_EV_LOG:
		side->log_lines++;
		break;
	}
	if (side->pair->verbose)
		printf("      [%s t=%llu] ev %d %s\n",
		    side->idx ? "server" : "client",
		    (unsigned long long)side->pair->now, ev->type,
		    ev->text != NULL ? ev->text : "");
}

static void
io_random(void *ctx, void *buf, size_t n)
{
	struct pair_side *side = ctx;
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(rng_next(&side->rng) >> 32);
}

static int
side_init(struct pair *p, struct pair_side *side, int idx,
    const struct ppp_config *cfg, uint64_t seed)
{
	struct ppp_io io = {
		.ctx = side, .send = io_send, .deliver = io_deliver,
		.event = io_event, .random = io_random,
	};

	memset(side, 0, sizeof(*side));
	side->idx = idx;
	side->pair = p;
	side->rng = seed * 2 + (uint64_t)idx + 0x9e3779b97f4a7c15ull;
	return ppp_new(&side->s, cfg, &io);
}

int
pair_init(struct pair *p, const struct ppp_config *ccfg,
    const struct ppp_config *scfg, uint64_t seed)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->rng = seed | 1;
	p->latency_ms = 10;
	p->now = 1000;
	p->server_user = "alice";
	p->server_password = "secret";
	if ((p->q = calloc(PAIR_QUEUE, sizeof(*p->q))) == NULL)
		return ERR_NOMEM;
	if ((ret = side_init(p, &p->c, 0, ccfg, seed)) != 0 ||
	    (ret = side_init(p, &p->sv, 1, scfg, seed)) != 0) {
		pair_fini(p);
		return ret;
	}
	return 0;
}

void
pair_fini(struct pair *p)
{
	ppp_free(p->c.s);
	ppp_free(p->sv.s);
	p->c.s = p->sv.s = NULL;
	free(p->q);
	p->q = NULL;
}

void
pair_start(struct pair *p)
{
	(void)ppp_start(p->sv.s, p->now);
	(void)ppp_start(p->c.s, p->now);
}

/* The server's asynchronous credential check. */
static void
pair_answer(struct pair *p)
{
	struct ppp_auth_answer a;

	if (!p->sv.answer_due)
		return;
	p->sv.answer_due = false;
	memset(&a, 0, sizeof(a));
	a.local_ip = 0x0a000001;	/* 10.0.0.1 */
	a.peer_ip = 0x0a000002;		/* 10.0.0.2 */
	if (p->server_reject_error != 0) {
		a.accept = false;
		a.mschap_error = p->server_reject_error;
	} else if (strcmp(p->sv.auth_user, p->server_user) == 0) {
		a.accept = true;
		a.password = p->server_password;
	} else {
		a.accept = false;
		a.mschap_error = 691;
	}
	(void)ppp_auth_answer(p->sv.s, p->now, &a);
}

static uint64_t
pair_next_time(const struct pair *p)
{
	uint64_t t = ppp_deadline(p->c.s), d = ppp_deadline(p->sv.s);
	unsigned i;

	if (d < t)
		t = d;
	for (i = 0; i < p->qn; i++)
		if (p->q[i].at < t)
			t = p->q[i].at;
	return t;
}

bool
pair_run(struct pair *p, bool (*cond)(const struct pair *), uint64_t limit_ms)
{
	uint64_t end = p->now + limit_ms, t;
	unsigned steps, i;

	for (steps = 0; steps < PAIR_MAX_STEPS; steps++) {
		if (cond != NULL && cond(p))
			return true;
		pair_answer(p);
		t = pair_next_time(p);
		if (t > end || t == UINT64_MAX)
			break;
		if (t > p->now)
			p->now = t;
		/* Deliver every frame due now, in queue order. */
		for (i = 0; i < p->qn;) {
			if (p->q[i].at <= p->now) {
				struct pair_frame f = p->q[i];

				memmove(&p->q[i], &p->q[i + 1],
				    sizeof(p->q[0]) * (p->qn - i - 1));
				p->qn--;
				(void)ppp_input(f.to == 0 ? p->c.s : p->sv.s,
				    p->now, f.data, f.len);
			} else {
				i++;
			}
		}
		if (ppp_deadline(p->c.s) <= p->now)
			(void)ppp_timeout(p->c.s, p->now);
		if (ppp_deadline(p->sv.s) <= p->now)
			(void)ppp_timeout(p->sv.s, p->now);
	}
	if (p->now < end && (cond == NULL || !cond(p)))
		p->now = end;
	return cond != NULL && cond(p);
}

bool
pair_both_up(const struct pair *p)
{
	return p->c.ip_up && p->sv.ip_up && !p->c.down && !p->sv.down;
}

bool
pair_both_down(const struct pair *p)
{
	return p->c.down && p->sv.down;
}

bool
pair_any_down(const struct pair *p)
{
	return p->c.down || p->sv.down;
}

int
pair_send_ip(struct pair *p, int side, uint32_t id, size_t len)
{
	uint8_t pkt[PAIR_FRAME];
	size_t i;

	if (len < 24 || len > sizeof(pkt))
		return ERR_INVAL;
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	pkt[8] = 64;
	pkt[9] = 17;
	pkt[20] = (uint8_t)(id >> 24);
	pkt[21] = (uint8_t)(id >> 16);
	pkt[22] = (uint8_t)(id >> 8);
	pkt[23] = (uint8_t)id;
	for (i = 24; i < len; i++)
		pkt[i] = (uint8_t)(id * 31 + i);
	return ppp_send_ip(side == 0 ? p->c.s : p->sv.s, p->now, pkt, len);
}

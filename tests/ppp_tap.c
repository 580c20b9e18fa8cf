/*
 * ppp_tap.c - one PPP session under test with a scripted peer: records
 * what the session sends and the events it raises, draws its random bytes
 * from a seeded PRNG (or forced values), brings LCP up by acking whatever
 * the session asks, and relays two sessions into each other.  Test support
 * (see ppp_tap.h); used by test_ppp_authphase*.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "ppp_tap.h"
#include "../src/wire/ppp_proto.h"

static void
tap_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct tap *t = ctx;
	struct tap_frame *f;

	if (t->nout == TAP_FRAMES || len < 4)
		return;
	f = &t->out[t->nout++];
	if (frame[0] == 0xff && frame[1] == 0x03) {
		frame += 2;
		len -= 2;
	}
	f->proto = (uint16_t)(frame[0] << 8 | frame[1]);
	f->len = len - 2;
	memcpy(f->b, frame + 2, f->len);
	f->used = false;
}

static void
tap_deliver(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)ctx; (void)proto; (void)pkt; (void)len;
}

static void
tap_event(void *ctx, const struct ppp_event *ev)
{
	struct tap *t = ctx;

	switch (ev->type) {
	case PPP_EV_AUTH_REQUEST:
		t->n_req++;
		t->req_method = ev->u.auth.method;
		snprintf(t->req_user, sizeof(t->req_user), "%s",
		    ev->u.auth.user);
		snprintf(t->req_nodomain, sizeof(t->req_nodomain), "%s",
		    ev->u.auth.user_nodomain);
		if (t->auto_answer)
			t->answer_ret = ppp_auth_answer(t->s, t->now,
			    &t->answer);
		break;
	case PPP_EV_AUTH_OK:
		t->n_ok++;
		t->ok_method = ev->u.auth_ok.method;
		break;
	case PPP_EV_DOWN:
		t->n_down++;
		t->down_reason = ev->u.down.reason;
		t->down_err = ev->u.down.mschap_error;
		snprintf(t->down_text, sizeof(t->down_text), "%s",
		    ev->text ? ev->text : "");
		break;
	case PPP_EV_LOG:
		if (t->nlogs < TAP_LOGS)
			snprintf(t->logs[t->nlogs++], sizeof(t->logs[0]), "%s",
			    ev->text);
		break;
	default:
		break;
	}
}

static void
tap_random(void *ctx, void *buf, size_t n)
{
	struct tap *t = ctx;
	uint8_t *p = buf;
	unsigned i;

	for (i = 0; i < t->nforced; i++) {
		if (t->forced_n[i] != n)
			continue;
		memcpy(buf, t->forced[i], n);
		memmove(&t->forced[i], &t->forced[i + 1],
		    (t->nforced - i - 1) * sizeof(t->forced[0]));
		memmove(&t->forced_n[i], &t->forced_n[i + 1],
		    (t->nforced - i - 1) * sizeof(t->forced_n[0]));
		t->nforced--;
		return;
	}
	while (n--) {
		t->rng = t->rng * 6364136223846793005ull +
		    1442695040888963407ull;
		*p++ = (uint8_t)(t->rng >> 56);
	}
}

/* The next request for n random octets gets hex. */
void
tap_force(struct tap *t, const char *hex)
{
	t->forced_n[t->nforced] = (size_t)t_unhex(hex, t->forced[t->nforced],
	    16);
	t->nforced++;
}

struct ppp_config
tap_config(enum ppp_role role, unsigned methods)
{
	struct ppp_config c;

	ppp_config_default(&c, role);
	c.auth_methods = methods;
	c.mppe = (methods & (PPP_AUTH_MSCHAPV1 | PPP_AUTH_MSCHAPV2)) ?
	    PPP_MPPE_ALLOWED : PPP_MPPE_REFUSED;
	c.echo_interval_ms = 0;
	c.ipv6 = false;
	snprintf(c.name, sizeof(c.name), "srv");
	snprintf(c.user, sizeof(c.user), "User");
	snprintf(c.password, sizeof(c.password), "clientPass");
	return c;
}

struct tap *
tap_new(const struct ppp_config *c, uint64_t seed)
{
	struct tap *t = calloc(1, sizeof(*t));
	struct ppp_io io = {
		.send = tap_send, .deliver = tap_deliver, .event = tap_event,
		.random = tap_random,
	};

	if (t == NULL)
		return NULL;
	t->now = TAP_T0;
	t->rng = seed;
	t->lcp_auto = true;
	io.ctx = t;
	if (ppp_new(&t->s, c, &io) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
tap_free(struct tap *t)
{
	if (t == NULL)
		return;
	ppp_free(t->s);
	free(t);
}

/* Feeds one packet of proto to the session, framed FF 03 proto. */
int
tap_in(struct tap *t, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t f[PPP_FRAME_MAX + 4];

	if (len > PPP_FRAME_MAX)
		return ERR_LENGTH;
	f[0] = 0xff; f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8); f[3] = (uint8_t)proto;
	if (len != 0)
		memcpy(f + 4, pkt, len);
	return ppp_input(t->s, t->now, f, len + 4);
}

/* The oldest frame of proto not looked at yet, or NULL. */
struct tap_frame *
tap_take(struct tap *t, uint16_t proto)
{
	unsigned i;

	for (i = 0; i < t->nout; i++)
		if (!t->out[i].used && t->out[i].proto == proto) {
			t->out[i].used = true;
			return &t->out[i];
		}
	return NULL;
}

unsigned
tap_count(const struct tap *t, uint16_t proto)
{
	unsigned i, n = 0;

	for (i = 0; i < t->nout; i++)
		n += !t->out[i].used && t->out[i].proto == proto;
	return n;
}

/* The scripted peer's LCP: acks every Configure-Request, answers every
 * Terminate-Request; other LCP packets are dropped. */
void
tap_pump(struct tap *t)
{
	struct tap_frame *f;
	uint8_t r[PPP_FRAME_MAX];

	while (t->lcp_auto && (f = tap_take(t, PPP_LCP)) != NULL) {
		memcpy(r, f->b, f->len);
		if (r[0] == PPP_CONF_REQ)
			r[0] = PPP_CONF_ACK;
		else if (r[0] == PPP_TERM_REQ)
			r[0] = PPP_TERM_ACK;
		else
			continue;
		(void)tap_in(t, PPP_LCP, r, f->len);
	}
}

/* Brings LCP up; the peer's Configure-Request carries opts. */
void
tap_up(struct tap *t, const uint8_t *opts, size_t olen)
{
	uint8_t req[64] = { PPP_CONF_REQ, 1, 0, (uint8_t)(4 + olen) };

	if (olen != 0)
		memcpy(req + 4, opts, olen);
	(void)ppp_start(t->s, t->now);
	tap_pump(t);
	(void)tap_in(t, PPP_LCP, req, 4 + olen);
	tap_pump(t);
}

void
tap_advance(struct tap *t, uint64_t ms)
{
	uint64_t end = t->now + ms, d;

	while ((d = ppp_deadline(t->s)) <= end) {
		t->now = d > t->now ? d : t->now;
		(void)ppp_timeout(t->s, t->now);
		tap_pump(t);
	}
	t->now = end;
}

bool
tap_logs_contain(const struct tap *t, const char *needle)
{
	unsigned i;

	for (i = 0; i < t->nlogs; i++)
		if (strstr(t->logs[i], needle) != NULL)
			return true;
	return false;
}

int
tap_chap_of(const struct tap_frame *f, struct chap_msg *m)
{
	struct rd r;

	if (f == NULL)
		return ERR_STATE;
	rd_init(&r, f->b, f->len);
	return chap_msg_decode(&r, m);
}

int
tap_pap_of(const struct tap_frame *f, struct pap_msg *m)
{
	struct rd r;

	if (f == NULL)
		return ERR_STATE;
	rd_init(&r, f->b, f->len);
	return pap_msg_decode(&r, m);
}

size_t
tap_chap_pkt(uint8_t *buf, uint8_t code, uint8_t id, const uint8_t *val,
    size_t vlen, const char *text)
{
	struct chap_msg m = { .code = code, .id = id, .value = val,
	    .value_len = vlen };
	struct wr w;

	if (code == CHAP_SUCCESS || code == CHAP_FAILURE) {
		m.message = (const uint8_t *)text;
		m.message_len = strlen(text);
	} else {
		m.name = (const uint8_t *)text;
		m.name_len = strlen(text);
	}
	wr_init(&w, buf, PPP_FRAME_MAX);
	return chap_msg_encode(&w, &m) == 0 ? wr_len(&w) : 0;
}


/* Two sessions pumped into each other until both are quiet. */
void
tap_relay(struct tap *a, struct tap *b)
{
	struct tap *from[2] = { a, b }, *to[2] = { b, a };
	bool moved = true;
	unsigned i, k;

	while (moved) {
		moved = false;
		for (k = 0; k < 2; k++)
			for (i = 0; i < from[k]->nout; i++) {
				struct tap_frame *f = &from[k]->out[i];

				if (f->used)
					continue;
				f->used = moved = true;
				(void)tap_in(to[k], f->proto, f->b, f->len);
			}
		for (k = 0; k < 2; k++) {
			for (i = 0; i < from[k]->nout; i++)
				if (!from[k]->out[i].used)
					break;
			if (i == from[k]->nout)
				from[k]->nout = 0;	/* all used: recycle */
		}
	}
}


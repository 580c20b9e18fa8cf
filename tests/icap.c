/*
 * icap.c - captures for the analyzer's tests (icap.h): capture files, and
 * our PPP engine's conversations captured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "icap.h"
#include "ins_build.h"
#include "../src/wire/cursor.h"
#include "../src/wire/gre.h"
#include "../src/wire/ip.h"
#include "../src/wire/pptp_msg.h"

#define ICAP_MAX_STEPS	400000

/* --- capture files ------------------------------------------------------ */

const char *const icap_files[ICAP_NFILES] = {
	"packetlife__PPTP_negotiation.cap",
	"tcpdump__pptp.pcap",
	"nDPI__pptp.pcap",
	"zeek__gre-pptp.pcap",
	"neg__packetlife__GRE.cap",
};

const char *
icap_file_path(const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/captures/%s", T_DATA, name);
	return buf;
}

struct inspect *
icap_read(const char *path)
{
	struct inspect *ins = inspect_new();
	char err[512];

	if (ins == NULL) {
		t_note("%s: out of memory", path);
		return NULL;
	}
	if (inspect_read_file(ins, path, err, sizeof(err)) != 0) {
		t_note("%s: %s", path, err);
		inspect_free(ins);
		return NULL;
	}
	return ins;
}

bool
icap_write_tmp(char *path, size_t cap, const void *b, size_t n)
{
	FILE *f;
	int fd;

	if (snprintf(path, cap, "/tmp/pk-icap-XXXXXX") >= (int)cap ||
	    (fd = mkstemp(path)) < 0)
		return false;
	if ((f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(path);
		return false;
	}
	if (fwrite(b, 1, n, f) != n) {
		fclose(f);
		unlink(path);
		return false;
	}
	if (fclose(f) != 0) {
		unlink(path);
		return false;
	}
	return true;
}

/* --- our engine's conversations ------------------------------------------ */

static uint64_t
icap_rng(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
}

/* The analyzer sees one frame now; timestamps move 1 us per frame within
 * a millisecond so they never go backwards. */
static void
icap_feed(struct icap *c, const uint8_t *ip, size_t n)
{
	uint64_t ts = c->now * 1000;

	if (ts <= c->feed_ts)
		ts = c->feed_ts + 1;
	c->feed_ts = ts;
	inspect_packet(c->ins, ts, INS_DLT_RAW, ip, n);
}

/* A raw-IPv4 frame from side from (0: the PNS) carrying l4[n], with a
 * valid header checksum, fed at c->now. */
static void
icap_feed_ip(struct icap *c, int from, uint8_t proto, const uint8_t *l4,
    size_t n)
{
	struct ib_ip4 h = { .src = from == 0 ? ICAP_PNS_ADDR : ICAP_PAC_ADDR,
	    .dst = from == 0 ? ICAP_PAC_ADDR : ICAP_PNS_ADDR, .proto = proto };
	uint8_t ip[IPV4_HDR_MIN + GRE_HDR_MAX + ICAP_FRAME];
	size_t il;

	if ((il = ib_put_ipv4(ip, sizeof(ip), &h, l4, n)) == 0)
		return;
	ib_ipv4_csum(ip, il);
	icap_feed(c, ip, il);
}

void
icap_feed_gre(struct icap *c, int from, const uint8_t *ppp, size_t n)
{
	struct gre_hdr h = { .has_seq = true,
	    .call_id = from == 0 ? ICAP_PAC_CALL : ICAP_PNS_CALL,
	    .seq = c->gre_seq[from]++ };
	uint8_t g[GRE_HDR_MAX + ICAP_FRAME];
	size_t gl;

	if (n <= ICAP_FRAME && (gl = ib_put_gre(g, sizeof(g), &h, ppp, n)) > 0)
		icap_feed_ip(c, from, IP_PROTO_GRE, g, gl);
}

/* One TCP segment of the control connection (from 0: the PNS). */
static void
icap_tcp(struct icap *c, int from, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t n)
{
	struct ib_tcph h = { .sport = from == 0 ? 40000 : PPTP_TCP_PORT,
	    .dport = from == 0 ? PPTP_TCP_PORT : 40000, .seq = seq,
	    .flags = flags };
	uint8_t t[TCP_HDR_MIN + PPTP_MAX_MSG_LEN];
	size_t tl;

	if ((tl = ib_put_tcp(t, sizeof(t), &h, data, n)) > 0)
		icap_feed_ip(c, from, IP_PROTO_TCP, t, tl);
}

static void
icap_control(struct icap *c)
{
	static const uint16_t types[] = { PPTP_SCCRQ, PPTP_SCCRP, PPTP_OCRQ,
	    PPTP_OCRP };
	uint32_t seq[2] = { 1000, 5000 };
	uint8_t b[PPTP_MAX_MSG_LEN];
	struct pptp_msg m;
	struct wr w;
	size_t i;
	int from;

	icap_tcp(c, 0, seq[0] - 1, 0x02, NULL, 0);
	icap_tcp(c, 1, seq[1] - 1, 0x12, NULL, 0);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		pptp_msg_init(&m, types[i]);
		from = types[i] == PPTP_SCCRP || types[i] == PPTP_OCRP;
		if (types[i] == PPTP_OCRQ)
			m.u.ocrq.call_id = ICAP_PNS_CALL;
		if (types[i] == PPTP_OCRP) {
			m.u.ocrp.call_id = ICAP_PAC_CALL;
			m.u.ocrp.peer_call_id = ICAP_PNS_CALL;
			m.u.ocrp.result = 1;
		}
		wr_init(&w, b, sizeof(b));
		if (pptp_msg_encode(&w, &m) != 0)
			continue;
		icap_tcp(c, from, seq[from], 0x18, b, wr_len(&w));
		seq[from] += (uint32_t)wr_len(&w);
	}
}

static void
icap_enqueue(struct icap *c, int to, const uint8_t *f, size_t n)
{
	struct icap_q *q;

	if (c->qn == ICAP_QUEUE || n > ICAP_FRAME)
		return;
	q = &c->q[c->qn++];
	q->at = c->now + 5;
	q->to = to;
	q->len = (uint16_t)n;
	memcpy(q->data, f, n);
}

static int
icap_side(void *ctx, struct icap **c)
{
	struct icap_side *x = ctx;

	*c = x->c;
	return x->idx;
}

static void
io_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct icap *c;
	int from = icap_side(ctx, &c);
	uint8_t cap[ICAP_FRAME];
	enum icap_fate fate = ICAP_PASS;
	size_t caplen = len;

	c->frames_sent[from]++;
	if (len > sizeof(cap))
		return;
	memcpy(cap, frame, len);
	if (c->fate != NULL)
		fate = c->fate(c, from, cap, &caplen, c->fate_ctx);
	if (fate == ICAP_PASS || fate == ICAP_WIRE_LOSS)
		icap_feed_gre(c, from, cap, caplen);
	else {
		c->capture_lost++;
		c->gre_seq[from]++;	/* the GRE numbers show the gap */
	}
	if (fate == ICAP_PASS || fate == ICAP_CAPTURE_LOSS)
		icap_enqueue(c, 1 - from, frame, len);
	else
		c->wire_lost++;
}

static void
io_deliver(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct icap *c;
	int side = icap_side(ctx, &c);

	(void)proto, (void)pkt, (void)len;
	c->delivered[side]++;
}

static void
io_event(void *ctx, const struct ppp_event *ev)
{
	struct icap *c;
	int side = icap_side(ctx, &c);

	switch (ev->type) {
	case PPP_EV_AUTH_REQUEST:
		c->answer_due = true;
		snprintf(c->auth_user, sizeof(c->auth_user), "%s",
		    ev->u.auth.user_nodomain);
		break;
	case PPP_EV_IP_UP:
		c->up[side] = true;
		break;
	case PPP_EV_DOWN:
		c->down[side] = true;
		break;
	default:
		break;
	}
}

static void
io_random(void *ctx, void *buf, size_t n)
{
	struct icap *c;
	int side = icap_side(ctx, &c);
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(icap_rng(&c->rng[side]) >> 32);
}

static void
icap_inner(void *ctx, uint64_t ts_us, const uint8_t *p, size_t n)
{
	struct icap *c = ctx;
	uint32_t src;
	int side;

	if (ts_us < c->got_ts_last)
		c->got_ts_backwards = true;
	c->got_ts_last = ts_us;
	src = n >= 20 ? (uint32_t)p[12] << 24 | (uint32_t)p[13] << 16 |
	    (uint32_t)p[14] << 8 | p[15] : 0;
	side = src == ICAP_CLI_TUN ? 0 : src == ICAP_SRV_TUN ? 1 : -1;
	if (side < 0 || n > ICAP_PKT || c->ngot[side] >= ICAP_PKTS) {
		c->got_stray++;
		return;
	}
	c->got[side][c->ngot[side]].len = (uint16_t)n;
	memcpy(c->got[side][c->ngot[side]++].data, p, n);
}

int
icap_init_bare(struct icap *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->now = 1000;
	if ((c->q = calloc(ICAP_QUEUE, sizeof(*c->q))) == NULL ||
	    (c->ins = inspect_new()) == NULL)
		goto nomem;
	for (i = 0; i < 2; i++)
		if ((c->sent[i] = calloc(ICAP_PKTS, sizeof(*c->sent[i]))) ==
		    NULL || (c->got[i] = calloc(ICAP_PKTS,
		    sizeof(*c->got[i]))) == NULL)
			goto nomem;
	return 0;
nomem:
	icap_fini(c);
	return ERR_NOMEM;
}

int
icap_init(struct icap *c, const struct ppp_config *ccfg,
    const struct ppp_config *scfg, uint64_t seed, bool control)
{
	struct ppp_io io = { .send = io_send, .deliver = io_deliver,
	    .event = io_event, .random = io_random };
	int i, ret;

	if ((ret = icap_init_bare(c)) != 0)
		return ret;
	snprintf(c->srv_user, sizeof(c->srv_user), "%s", ccfg->user);
	snprintf(c->srv_password, sizeof(c->srv_password), "%s",
	    ccfg->password);
	for (i = 0; i < 2; i++) {
		c->rng[i] = seed * 2 + (uint64_t)i + 0x9e3779b97f4a7c15ull;
		c->side[i].c = c;
		c->side[i].idx = i;
		io.ctx = &c->side[i];
		if ((ret = ppp_new(&c->s[i], i == 0 ? ccfg : scfg,
		    &io)) != 0) {
			icap_fini(c);
			return ret;
		}
	}
	if (control)
		icap_control(c);
	return 0;
}

void
icap_fini(struct icap *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		ppp_free(c->s[i]);
		free(c->sent[i]);
		free(c->got[i]);
		c->s[i] = NULL;
		c->sent[i] = c->got[i] = NULL;
	}
	if (c->ins != NULL) {
		ins_crypt_close(c->ins);
		inspect_free(c->ins);
	}
	c->ins = NULL;
	free(c->q);
	c->q = NULL;
}

int
icap_credentials(struct icap *c, const char *user, const char *password,
    const char *nt_hash_hex)
{
	char err[256];
	int ret;

	if ((ret = ins_crypt_open(c->ins, user, password, nt_hash_hex, NULL,
	    err, sizeof(err))) != 0) {
		t_note("ins_crypt_open: %s", err);
		return ret;
	}
	c->ins->crypt.inner = icap_inner;
	c->ins->crypt.inner_ctx = c;
	return 0;
}

void
icap_start(struct icap *c)
{
	(void)ppp_start(c->s[1], c->now);
	(void)ppp_start(c->s[0], c->now);
}

static void
icap_answer(struct icap *c)
{
	struct ppp_auth_answer a;

	if (!c->answer_due)
		return;
	c->answer_due = false;
	memset(&a, 0, sizeof(a));
	a.local_ip = ICAP_SRV_TUN;
	a.peer_ip = ICAP_CLI_TUN;
	if (strcmp(c->auth_user, c->srv_user) == 0) {
		a.accept = true;
		a.password = c->srv_password;
	} else {
		a.mschap_error = 691;
	}
	(void)ppp_auth_answer(c->s[1], c->now, &a);
}

bool
icap_run(struct icap *c, bool (*cond)(const struct icap *), uint64_t limit_ms)
{
	uint64_t end = c->now + limit_ms, t, d;
	unsigned steps, i;

	for (steps = 0; steps < ICAP_MAX_STEPS; steps++) {
		if (cond != NULL && cond(c))
			return true;
		icap_answer(c);
		t = ppp_deadline(c->s[0]);
		if ((d = ppp_deadline(c->s[1])) < t)
			t = d;
		for (i = 0; i < c->qn; i++)
			if (c->q[i].at < t)
				t = c->q[i].at;
		if (t > end || t == UINT64_MAX)
			break;
		if (t > c->now)
			c->now = t;
		for (i = 0; i < c->qn;) {
			if (c->q[i].at <= c->now) {
				struct icap_q f = c->q[i];

				memmove(&c->q[i], &c->q[i + 1],
				    sizeof(c->q[0]) * (c->qn - i - 1));
				c->qn--;
				(void)ppp_input(c->s[f.to], c->now, f.data,
				    f.len);
			} else
				i++;
		}
		for (i = 0; i < 2; i++)
			if (ppp_deadline(c->s[i]) <= c->now)
				(void)ppp_timeout(c->s[i], c->now);
	}
	if (c->now < end)
		c->now = end;
	return cond != NULL && cond(c);
}

bool
icap_both_up(const struct icap *c)
{
	return c->up[0] && c->up[1] && !c->down[0] && !c->down[1];
}

bool
icap_both_down(const struct icap *c)
{
	return c->down[0] && c->down[1];
}

/* One test packet: IPv4/UDP between the tunnel addresses, len octets,
 * with a valid header checksum. */
static size_t
icap_packet(int side, uint32_t id, size_t len, uint8_t *b)
{
	struct ib_ip4 h = { .src = side == 0 ? ICAP_CLI_TUN : ICAP_SRV_TUN,
	    .dst = side == 0 ? ICAP_SRV_TUN : ICAP_CLI_TUN,
	    .proto = IP_PROTO_UDP };
	uint8_t pl[ICAP_PKT];
	size_t i, n = len - 20, il;

	memset(pl, 0, 8);
	pl[0] = 0x30, pl[1] = 0x39;		/* ports 12345 -> 9 */
	pl[3] = 9;
	pl[4] = (uint8_t)(n >> 8), pl[5] = (uint8_t)n;
	for (i = 8; i < n; i++)
		pl[i] = (uint8_t)(id * 131 + i * 7 + (unsigned)side);
	if (n >= 12)
		pl[8] = (uint8_t)(id >> 24), pl[9] = (uint8_t)(id >> 16),
		pl[10] = (uint8_t)(id >> 8), pl[11] = (uint8_t)id;
	if ((il = ib_put_ipv4(b, ICAP_PKT, &h, pl, n)) > 0)
		ib_ipv4_csum(b, il);
	return il;
}

void
icap_exchange(struct icap *c, unsigned n)
{
	struct icap_pkt *p;
	unsigned i;
	int side;

	for (i = 0; i < n; i++) {
		for (side = 0; side < 2; side++) {
			if (c->nsent[side] >= ICAP_PKTS)
				continue;
			p = &c->sent[side][c->nsent[side]];
			p->len = (uint16_t)icap_packet(side, i, 40 +
			    (i * 211 + (unsigned)side * 37) % 1260, p->data);
			if (ppp_send_ip(c->s[side], c->now, p->data,
			    p->len) == 0)
				c->nsent[side]++;
		}
		(void)icap_run(c, NULL, 1);
	}
	(void)icap_run(c, NULL, 200);
}

bool
icap_got_matches(const struct icap *c, int side, bool all)
{
	unsigned i, j = 0;

	for (i = 0; i < c->ngot[side]; i++) {
		const struct icap_pkt *g = &c->got[side][i];

		while (j < c->nsent[side] && (c->sent[side][j].len != g->len ||
		    memcmp(c->sent[side][j].data, g->data, g->len) != 0)) {
			if (all) {
				t_note("side %d: inner packet %u differs from "
				    "sent packet %u", side, i, j);
				return false;
			}
			j++;
		}
		if (j == c->nsent[side]) {
			t_note("side %d: inner packet %u (%u octets) was never "
			    "sent (or out of order)", side, i, g->len);
			return false;
		}
		j++;
	}
	if (all && c->ngot[side] != c->nsent[side]) {
		t_note("side %d: %u inner packets, %u sent", side,
		    c->ngot[side], c->nsent[side]);
		return false;
	}
	return true;
}

bool
icap_ppp_proto(const uint8_t *f, size_t n, uint16_t *proto, size_t *off)
{
	size_t o = 0;

	if (n >= 2 && f[0] == 0xff && f[1] == 0x03)
		o = 2;
	if (n <= o)
		return false;
	if (f[o] & 1) {
		*proto = f[o];
		*off = o + 1;
		return true;
	}
	if (n < o + 2)
		return false;
	*proto = (uint16_t)(f[o] << 8 | f[o + 1]);
	*off = o + 2;
	return true;
}

/*
 * test_tunnel.c - the data plane of src/tunnel: the GRE demultiplexer
 * (gre_mux.h) and a tunnel call's life cycle (call.h), in one process.
 * The two-namespace tunnel with real traffic is in test_tunnel_pair.c.
 *
 * Everything here opens raw GRE sockets and TUN devices, so it needs root:
 * each test moves into a network namespace of its own (unshare), works with
 * loopback and made-up addresses, frees everything and returns, and the
 * kernel destroys the namespace.  Every wait is bounded in time and count.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "../src/event/loop.h"
#include "../src/os/gre_sock.h"
#include "../src/os/netcfg.h"
#include "../src/tunnel/call.h"
#include "../src/tunnel/gre_mux.h"
#include "../src/wire/gre.h"

/* --- helpers --- */

static bool
netns_enter(int *saved)
{
	*saved = -1;
	if (geteuid() != 0) {
		t_check(false, __FILE__, __LINE__, "this test needs root "
		    "(network namespace, raw GRE socket, TUN); run it as root");
		return false;
	}
	if ((*saved = open("/proc/thread-self/ns/net", O_RDONLY |
	    O_CLOEXEC)) < 0 || unshare(CLONE_NEWNET) < 0) {
		t_check(false, __FILE__, __LINE__, "cannot make a network "
		    "namespace: %s", strerror(errno));
		if (*saved >= 0)
			close(*saved);
		return false;
	}
	return true;
}

static void
netns_leave(int saved)
{
	CHECK_OK(setns(saved, CLONE_NEWNET));
	close(saved);
}

/* Brings lo up in the new namespace. */
static void
lo_up(void)
{
	struct netcfg nc;

	CHECK_OK(netcfg_open(&nc));
	CHECK_OK(netcfg_link_set_up(&nc, if_nametoindex("lo"), true));
	netcfg_close(&nc);
}

static struct in_addr
ip4(const char *s)
{
	struct in_addr a = { 0 };

	CHECK_EQ(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* A GRE packet: header h, then payload; returns its length. */
static size_t
build_gre(uint8_t *out, size_t cap, const struct gre_hdr *h,
    const void *payload)
{
	struct wr w;

	wr_init(&w, out, cap);
	CHECK_OK(gre_encode(&w, h));
	if (h->payload_len > 0)
		(void)wr_bytes(&w, payload, h->payload_len);
	CHECK_OK(wr_error(&w));
	return wr_len(&w);
}

static struct gre_hdr
data_hdr(uint16_t call_id, uint32_t seq, size_t len)
{
	struct gre_hdr h;

	memset(&h, 0, sizeof(h));
	h.has_seq = true;
	h.seq = seq;
	h.payload_len = (uint16_t)len;
	h.call_id = call_id;
	return h;
}

/* What an entry received. */
struct rx_rec {
	unsigned	n;
	struct gre_hdr	h;
	uint8_t		payload[64];
	size_t		len;
};

static void
rx_record(void *ctx, const struct gre_hdr *h, const uint8_t *p, size_t len)
{
	struct rx_rec *r = ctx;

	r->n++;
	r->h = *h;
	r->len = len;
	memcpy(r->payload, p, len < sizeof(r->payload) ? len : 64);
}

static struct gre_mux *
mux_open(struct ev_loop *loop, unsigned max_calls)
{
	struct gre_mux_config mc;
	struct gre_mux *m = NULL;

	gre_mux_config_default(&mc);
	mc.max_calls = max_calls;
	CHECK_OK(gre_mux_new(&m, loop, &mc));
	return m;
}

/* --- the demultiplexer --- */

TEST(tunnel_mux_demuxes_on_peer_and_call_id)
{
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
	struct gre_mux_entry e1 = { 0 }, e2 = { 0 }, e3 = { 0 }, extra = { 0 };
	struct rx_rec r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	struct in_addr a = ip4("192.0.2.1"), b = ip4("192.0.2.2");
	struct ev_loop *loop;
	struct gre_mux *m;
	struct gre_hdr h;
	uint8_t pkt[128];
	size_t n;
	int saved;

	if (!netns_enter(&saved))
		return;
	CHECK((loop = ev_loop_new()) != NULL);
	if (loop == NULL || (m = mux_open(loop, 8)) == NULL)
		goto out;
	/* Same Call ID from two peers, two Call IDs from one peer. */
	CHECK_OK(gre_mux_add(m, &e1, a, 7, rx_record, &r1));
	CHECK_OK(gre_mux_add(m, &e2, b, 7, rx_record, &r2));
	CHECK_OK(gre_mux_add(m, &e3, a, 8, rx_record, &r3));
	CHECK_ERR(gre_mux_add(m, &extra, a, 7, rx_record, &r1), ERR_EXISTS);
	CHECK_ERR(gre_mux_add(m, &e1, a, 9, rx_record, &r1), ERR_INVAL);
	CHECK_ERR(gre_mux_add(m, &extra, a, 9, NULL, NULL), ERR_INVAL);
	CHECK(gre_mux_find(m, b, 7) == &e2);
	CHECK(gre_mux_find(m, b, 8) == NULL);
	CHECK_EQ(gre_mux_stats(m)->calls, 3);

	h = data_hdr(7, 41, sizeof(lcp));
	h.has_ack = true;
	h.ack = 17;
	n = build_gre(pkt, sizeof(pkt), &h, lcp);
	CHECK_OK(gre_mux_input(m, b, pkt, n));
	CHECK_EQ(r2.n, 1);
	CHECK_EQ(r1.n + r3.n, 0);
	CHECK(r2.h.has_seq && r2.h.has_ack);
	CHECK_EQ(r2.h.seq, 41);
	CHECK_EQ(r2.h.ack, 17);
	CHECK_EQ(r2.len, sizeof(lcp));
	CHECK_MEM(r2.payload, lcp, sizeof(lcp));

	/* An ack-only packet reaches its call with no payload. */
	memset(&h, 0, sizeof(h));
	h.has_ack = true;
	h.ack = 99;
	h.call_id = 8;
	n = build_gre(pkt, sizeof(pkt), &h, NULL);
	CHECK_OK(gre_mux_input(m, a, pkt, n));
	CHECK_EQ(r3.n, 1);
	CHECK_EQ(r3.len, 0);
	CHECK(!r3.h.has_seq && r3.h.ack == 99);

	/* Strangers: known Call ID from another peer, unknown Call ID. */
	h = data_hdr(7, 0, sizeof(lcp));
	n = build_gre(pkt, sizeof(pkt), &h, lcp);
	CHECK_ERR(gre_mux_input(m, ip4("192.0.2.3"), pkt, n), ERR_NOTFOUND);
	h = data_hdr(4242, 0, sizeof(lcp));
	n = build_gre(pkt, sizeof(pkt), &h, lcp);
	CHECK_ERR(gre_mux_input(m, a, pkt, n), ERR_NOTFOUND);
	CHECK_EQ(gre_mux_stats(m)->rx_stranger, 2);

	/* Version 0 (plain GRE, RFC 2784) is not PPTP, whatever follows. */
	n = build_gre(pkt, sizeof(pkt), &(struct gre_hdr){ .has_seq = true,
	    .payload_len = 4, .call_id = 7 }, lcp);
	pkt[1] &= (uint8_t)~GRE_VER_MASK;
	CHECK_ERR(gre_mux_input(m, a, pkt, n), ERR_VERSION);
	CHECK_EQ(gre_mux_stats(m)->rx_not_v1, 1);
	/* Malformed version 1: truncated payload, a flag set. */
	h = data_hdr(7, 1, sizeof(lcp));
	n = build_gre(pkt, sizeof(pkt), &h, lcp);
	CHECK_ERR(gre_mux_input(m, a, pkt, n - 1), ERR_LENGTH);
	pkt[0] |= GRE_BIT_C;
	CHECK_ERR(gre_mux_input(m, a, pkt, n), ERR_FLAGS);
	CHECK_ERR(gre_mux_input(m, a, pkt, 3), ERR_FLAGS);
	CHECK_EQ(gre_mux_stats(m)->rx_malformed, 3);
	/* Neither S nor A: well formed, carries nothing. */
	n = build_gre(pkt, sizeof(pkt), &(struct gre_hdr){ .call_id = 7 },
	    NULL);
	CHECK_ERR(gre_mux_input(m, a, pkt, n), ERR_STATE);
	CHECK_EQ(gre_mux_stats(m)->rx_empty, 1);
	CHECK_EQ(r1.n, 0);

	/* Once removed, the pair is a stranger; the others stay. */
	gre_mux_del(m, &e2);
	CHECK(!e2.linked);
	gre_mux_del(m, &e2);			/* harmless */
	h = data_hdr(7, 42, sizeof(lcp));
	n = build_gre(pkt, sizeof(pkt), &h, lcp);
	CHECK_ERR(gre_mux_input(m, b, pkt, n), ERR_NOTFOUND);
	CHECK_OK(gre_mux_input(m, a, pkt, n));
	CHECK_EQ(r1.n, 1);
	CHECK_EQ(r2.n, 1);
	CHECK_EQ(gre_mux_stats(m)->calls, 2);
	CHECK_EQ(gre_mux_stats(m)->rx_dispatched, 3);
	{
		char line[256];
		struct sbuf sb;

		sbuf_init(&sb, line, sizeof(line));
		gre_mux_stats_print(gre_mux_stats(m), &sb);
		CHECK_STR(sbuf_str(&sb), "gre-mux calls=2 rx=0 dispatched=3 "
		    "not_v1=1 malformed=3 empty=1 stranger=3 rx_errors=0 "
		    "tx=0 tx_errors=0 flush_errors=0");
	}
	gre_mux_del(m, &e1);
	gre_mux_del(m, &e3);
	gre_mux_free(m);
out:
	ev_loop_free(loop);
	netns_leave(saved);
}

static uint64_t
rng_next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 2685821657736338717ull;
}

TEST(tunnel_mux_table_survives_churn)
{
	enum { N = 300 };
	static struct gre_mux_entry e[N];
	struct rx_rec r = { 0 };
	struct ev_loop *loop;
	struct gre_mux *m;
	struct gre_mux_entry spare = { 0 };
	struct in_addr peer[N];
	uint16_t id[N];
	bool in[N];
	uint64_t x = 0x1234567;
	unsigned i, round, bad = 0;
	uint8_t b[4];
	int saved;

	if (!netns_enter(&saved))
		return;
	memset(e, 0, sizeof(e));
	CHECK((loop = ev_loop_new()) != NULL);
	if (loop == NULL || (m = mux_open(loop, N)) == NULL)
		goto out;
	/* Few peers, many Call IDs each, and IDs shared across peers: the
	 * shape of a server with clients behind a few NATs. */
	for (i = 0; i < N; i++) {
		b[0] = 198;
		b[1] = 51;
		b[2] = 100;
		b[3] = (uint8_t)(i % 5);
		memcpy(&peer[i].s_addr, b, 4);
		id[i] = (uint16_t)(i / 5 * 3 + (i % 2));
		CHECK_OK(gre_mux_add(m, &e[i], peer[i], id[i], rx_record, &r));
		in[i] = true;
	}
	CHECK_ERR(gre_mux_add(m, &spare, peer[0], 60000, rx_record, &r),
	    ERR_NOSPACE);
	/* Remove and re-add at random; every lookup must stay exact. */
	for (round = 0; round < 4000; round++) {
		i = (unsigned)(rng_next(&x) % N);
		if (in[i]) {
			gre_mux_del(m, &e[i]);
			in[i] = false;
		} else {
			CHECK_OK(gre_mux_add(m, &e[i], peer[i], id[i],
			    rx_record, &r));
			in[i] = true;
		}
		if (round % 97 != 0)
			continue;
		for (i = 0; i < N; i++)
			if (gre_mux_find(m, peer[i], id[i]) !=
			    (in[i] ? &e[i] : NULL))
				bad++;
	}
	CHECK_EQ(bad, 0);
	for (i = 0, round = 0; i < N; i++)
		round += in[i];
	CHECK_EQ(gre_mux_stats(m)->calls, round);
	for (i = 0; i < N; i++)
		gre_mux_del(m, &e[i]);
	CHECK_EQ(gre_mux_stats(m)->calls, 0);
	gre_mux_free(m);
out:
	ev_loop_free(loop);
	netns_leave(saved);
}

/* Runs the loop until cond or ms pass (bounded in iterations too). */
static bool
loop_until(struct ev_loop *loop, bool (*cond)(void *), void *arg, int ms)
{
	int i;

	for (i = 0; i < ms / 5 + 1 && !cond(arg); i++)
		(void)ev_run_once(loop, 5);
	return cond(arg);
}

static bool
rec_has_one(void *arg)
{
	return ((struct rx_rec *)arg)->n >= 1;
}

TEST(tunnel_mux_sends_and_reads_gre_on_the_wire)
{
	static const uint8_t frame[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20 };
	struct in_addr lo = ip4("127.0.0.1");
	struct rx_rec r = { 0 };
	struct gre_mux_entry e = { 0 };
	struct ev_loop *loop;
	struct gre_mux *m;
	struct gre_sock *tap = NULL;
	struct gre_pkt got[4];
	struct gre_hdr h, dh;
	struct rd rd, pl;
	struct pollfd pfd;
	size_t n = 0;
	int saved;

	if (!netns_enter(&saved))
		return;
	lo_up();
	CHECK((loop = ev_loop_new()) != NULL);
	if (loop == NULL || (m = mux_open(loop, 4)) == NULL)
		goto out;
	CHECK_OK(gre_sock_open(&tap, NULL));
	CHECK_OK(gre_mux_add(m, &e, lo, 33, rx_record, &r));

	/* Queued in a send slot, on the wire only at the flush. */
	h = data_hdr(33, 5, sizeof(frame));
	h.has_ack = true;
	h.ack = 3;
	CHECK_ERR(gre_mux_send(m, lo, &h, frame, sizeof(frame) - 1),
	    ERR_LENGTH);
	CHECK_OK(gre_mux_send(m, lo, &h, frame, sizeof(frame)));
	CHECK_EQ(gre_mux_pending(m), 1);
	CHECK_OK(gre_mux_flush(m));
	CHECK_EQ(gre_mux_pending(m), 0);
	CHECK_OK(gre_mux_flush(m));		/* nothing queued: no-op */

	/* Another raw socket sees exactly what we built... */
	pfd.fd = gre_sock_fd(tap);
	pfd.events = POLLIN;
	CHECK_EQ(poll(&pfd, 1, 1000), 1);
	CHECK_OK(gre_sock_recv(tap, got, 4, &n));
	CHECK_EQ(n, 1);
	if (n == 1) {
		CHECK_EQ(got[0].len, 16 + sizeof(frame));
		rd_init(&rd, got[0].gre, got[0].len);
		CHECK_OK(gre_decode(&rd, &dh, &pl));
		CHECK_EQ(dh.call_id, 33);
		CHECK_EQ(dh.seq, 5);
		CHECK(dh.has_ack && dh.ack == 3);
		CHECK_MEM(rd_cur(&pl), frame, sizeof(frame));
	}
	/* ... and the mux's own read callback dispatches it (loopback:
	 * from 127.0.0.1, to our own Call ID 33). */
	CHECK(loop_until(loop, rec_has_one, &r, 2000));
	CHECK_EQ(r.h.seq, 5);
	CHECK_MEM(r.payload, frame, sizeof(frame));
	CHECK(gre_mux_stats(m)->rx_packets >= 1);
	CHECK_EQ(gre_mux_stats(m)->tx_packets, 1);
	CHECK_EQ(gre_mux_stats(m)->tx_errors, 1);
	gre_mux_del(m, &e);
	gre_sock_close(tap);
	gre_mux_free(m);
out:
	ev_loop_free(loop);
	netns_leave(saved);
}

/* --- a call's life cycle --- */

struct owner {
	unsigned	down, ip_up, auth, other;
	enum ppp_down_reason reason;
	char		text[PPP_REASON_MAX + 1];
	bool		free_in_cb;	/* tunnel_call_free_later at DOWN */
	bool		close_on_up;	/* tunnel_call_close at IP_UP */
	int		free_ret;
	/* server: the answer */
	uint32_t	local_ip, peer_ip;
};

static void
owner_event(void *ctx, struct tunnel_call *call, const struct ppp_event *ev)
{
	struct owner *o = ctx;
	struct ppp_auth_answer a;

	switch (ev->type) {
	case PPP_EV_DOWN:
		o->down++;
		o->reason = ev->u.down.reason;
		snprintf(o->text, sizeof(o->text), "%s",
		    ev->text != NULL ? ev->text : "");
		if (o->free_in_cb)
			o->free_ret = tunnel_call_free_later(call);
		break;
	case PPP_EV_IP_UP:
		o->ip_up++;
		/* Closing from inside the callback: runs when it returns. */
		if (o->close_on_up)
			CHECK_OK(tunnel_call_close(call,
			    "test: closed from the callback"));
		break;
	case PPP_EV_AUTH_REQUEST:
		o->auth++;
		memset(&a, 0, sizeof(a));
		a.accept = strcmp(ev->u.auth.user_nodomain, "alice") == 0;
		a.mschap_error = 691;
		a.password = "secret";
		a.local_ip = o->local_ip;
		a.peer_ip = o->peer_ip;
		/* Answering from inside the callback is allowed. */
		CHECK_OK(tunnel_call_auth_answer(call, &a));
		break;
	default:
		o->other++;
		break;
	}
}

static void
call_cfg(struct tunnel_call_config *cfg, enum ppp_role role,
    struct in_addr peer, uint16_t ours, uint16_t theirs, struct owner *o)
{
	tunnel_call_config_default(cfg, role);
	cfg->peer = peer;
	cfg->our_call_id = ours;
	cfg->peer_call_id = theirs;
	cfg->event = owner_event;
	cfg->ctx = o;
	if (role == PPP_ROLE_CLIENT) {
		snprintf(cfg->ppp.user, sizeof(cfg->ppp.user), "alice");
		snprintf(cfg->ppp.password, sizeof(cfg->ppp.password),
		    "secret");
	} else {
		snprintf(cfg->ppp.name, sizeof(cfg->ppp.name), "pptpkit");
	}
}

TEST(tunnel_call_new_checks_and_cleans_up)
{
	struct tunnel_call_config cfg;
	struct tunnel_call *c = NULL, *dup = (void *)1;
	struct owner o = { 0 };
	struct ev_loop *loop;
	struct gre_mux *m;
	char name[IFNAMSIZ];
	int saved;

	if (!netns_enter(&saved))
		return;
	CHECK((loop = ev_loop_new()) != NULL);
	if (loop == NULL || (m = mux_open(loop, 4)) == NULL)
		goto out;
	call_cfg(&cfg, PPP_ROLE_SERVER, ip4("192.0.2.9"), 5, 6, &o);
	cfg.event = NULL;
	CHECK_ERR(tunnel_call_new(&c, loop, m, &cfg), ERR_INVAL);
	CHECK(c == NULL);
	cfg.event = owner_event;
	cfg.tun_batch = 0;
	CHECK_ERR(tunnel_call_new(&c, loop, m, &cfg), ERR_INVAL);
	cfg.tun_batch = TUNNEL_TUN_BATCH;
	cfg.ppp.auth_methods = 0;			/* bad PPP policy */
	CHECK_ERR(tunnel_call_new(&c, loop, m, &cfg), ERR_INVAL);
	CHECK_EQ(if_nametoindex("pptp0"), 0);	/* its TUN went with it */
	call_cfg(&cfg, PPP_ROLE_SERVER, ip4("192.0.2.9"), 5, 6, &o);
	snprintf(cfg.tun_name, sizeof(cfg.tun_name), "dp%%d");
	CHECK_OK(tunnel_call_new(&c, loop, m, &cfg));
	if (c == NULL)
		goto out_mux;
	snprintf(name, sizeof(name), "%s", tunnel_call_ifname(c));
	CHECK_STR(name, "dp0");
	CHECK(if_nametoindex(name) == tunnel_call_ifindex(c));
	CHECK_EQ(tunnel_call_our_id(c), 5);
	CHECK_EQ(tunnel_call_peer_id(c), 6);
	CHECK(!tunnel_call_ip_up(c));
	CHECK_EQ(tunnel_call_mtu(c), 0);
	CHECK_EQ(tunnel_call_phase(c), PPP_PHASE_DEAD);
	CHECK(gre_mux_find(m, ip4("192.0.2.9"), 5) != NULL);
	/* The same (peer, Call ID) twice: refused, nothing left over. */
	CHECK_ERR(tunnel_call_new(&dup, loop, m, &cfg), ERR_EXISTS);
	CHECK(dup == NULL);
	CHECK_EQ(if_nametoindex("dp1"), 0);

	/* Closing a call never started: DOWN at once. */
	CHECK_OK(tunnel_call_close(c, "test: never mind"));
	CHECK_EQ(o.down, 1);
	CHECK_ERR(tunnel_call_close(c, "again"), ERR_STATE);
	CHECK_ERR(tunnel_call_lower_down(c), ERR_STATE);
	CHECK_OK(tunnel_call_free_later(c));
	/* Detached at once: the interface and the mux entry are gone... */
	CHECK_EQ(if_nametoindex(name), 0);
	CHECK(gre_mux_find(m, ip4("192.0.2.9"), 5) == NULL);
	CHECK_OK(tunnel_call_free_later(c));	/* twice: harmless */
	CHECK_ERR(tunnel_call_start(c), ERR_STATE);
	/* ... and the memory at the end of the iteration. */
	(void)ev_run_once(loop, 0);
out_mux:
	gre_mux_free(m);
out:
	ev_loop_free(loop);
	netns_leave(saved);
}

/* Two calls, server and client, on one mux over loopback: every GRE packet
 * goes to 127.0.0.1 and the Call ID picks the call. */
struct lo_pair {
	struct owner	 so, co;
};

static bool
lo_both_up(void *arg)
{
	struct lo_pair *p = arg;

	return p->so.ip_up == 1 && p->co.ip_up == 1;
}

static bool
lo_both_down(void *arg)
{
	struct lo_pair *p = arg;

	return p->so.down == 1 && p->co.down == 1;
}

TEST(tunnel_call_pair_on_one_mux_comes_up_and_down)
{
	struct tunnel_call_config cfg;
	struct tunnel_call *sc = NULL, *cc = NULL;
	struct tunnel_call_stats st;
	struct lo_pair p;
	struct in_addr lo = ip4("127.0.0.1");
	struct ev_loop *loop;
	struct gre_mux *m;
	char sname[IFNAMSIZ], cname[IFNAMSIZ], line[512];
	struct sbuf sb;
	int saved;

	if (!netns_enter(&saved))
		return;
	lo_up();
	memset(&p, 0, sizeof(p));
	p.so.local_ip = 0x0a610001;		/* 10.97.0.1 */
	p.so.peer_ip = 0x0a610002;
	p.so.free_in_cb = p.co.free_in_cb = true;
	CHECK((loop = ev_loop_new()) != NULL);
	if (loop == NULL || (m = mux_open(loop, 4)) == NULL)
		goto out;
	call_cfg(&cfg, PPP_ROLE_SERVER, lo, 100, 200, &p.so);
	CHECK_OK(tunnel_call_new(&sc, loop, m, &cfg));
	call_cfg(&cfg, PPP_ROLE_CLIENT, lo, 200, 100, &p.co);
	CHECK_OK(tunnel_call_new(&cc, loop, m, &cfg));
	memset(cfg.ppp.password, 0, sizeof(cfg.ppp.password));
	if (sc == NULL || cc == NULL)
		goto out_calls;
	snprintf(sname, sizeof(sname), "%s", tunnel_call_ifname(sc));
	snprintf(cname, sizeof(cname), "%s", tunnel_call_ifname(cc));
	CHECK_OK(tunnel_call_start(sc));
	CHECK_OK(tunnel_call_start(cc));
	CHECK_ERR(tunnel_call_start(cc), ERR_STATE);
	CHECK(loop_until(loop, lo_both_up, &p, 10000));
	CHECK_EQ(p.so.auth, 1);
	CHECK(tunnel_call_ip_up(sc) && tunnel_call_ip_up(cc));
	CHECK_EQ(tunnel_call_mtu(cc), PPP_MRU_DEFAULT - 4);
	CHECK_EQ(tunnel_call_phase(cc), PPP_PHASE_NETWORK);
	tunnel_call_stats(cc, &st);
	CHECK(st.gre_tx_data > 0 && st.gre_rx_packets > 0);
	CHECK(st.gre.rx_accepted > 0);
	CHECK_EQ(st.ppp.rx_dropped, 0);
	sbuf_init(&sb, line, sizeof(line));
	tunnel_call_stats_print(&st, &sb);
	t_note("client: %s", sbuf_str(&sb));

	/* The client hangs up: both report DOWN and free themselves from
	 * the callback; the interfaces go at once. */
	CHECK_OK(tunnel_call_close(cc, "test: hang up"));
	CHECK(loop_until(loop, lo_both_down, &p, 15000));
	CHECK_EQ(p.co.reason, PPP_DOWN_ADMIN);
	CHECK_STR(p.co.text, "test: hang up");
	CHECK_EQ(p.so.reason, PPP_DOWN_PEER);
	CHECK_OK(p.so.free_ret);
	CHECK_OK(p.co.free_ret);
	CHECK_EQ(if_nametoindex(sname), 0);
	CHECK_EQ(if_nametoindex(cname), 0);
	CHECK_EQ(gre_mux_stats(m)->calls, 0);
	(void)ev_run_once(loop, 0);		/* the deferred frees */
	sc = cc = NULL;
out_calls:
	if (p.so.down == 0)
		tunnel_call_free(sc);
	if (p.co.down == 0)
		tunnel_call_free(cc);
	gre_mux_free(m);
out:
	ev_loop_free(loop);
	netns_leave(saved);
}

TEST(tunnel_call_close_from_the_callback_takes_effect_after_it)
{
	struct tunnel_call_config cfg;
	struct tunnel_call *sc = NULL, *cc = NULL;
	struct lo_pair p;
	struct in_addr lo = ip4("127.0.0.1");
	struct ev_loop *loop;
	struct gre_mux *m;
	int saved;

	if (!netns_enter(&saved))
		return;
	lo_up();
	memset(&p, 0, sizeof(p));
	p.so.local_ip = 0x0a610001;
	p.so.peer_ip = 0x0a610002;
	p.so.free_in_cb = p.co.free_in_cb = true;
	p.co.close_on_up = true;
	CHECK((loop = ev_loop_new()) != NULL);
	if (loop == NULL || (m = mux_open(loop, 4)) == NULL)
		goto out;
	call_cfg(&cfg, PPP_ROLE_SERVER, lo, 300, 301, &p.so);
	CHECK_OK(tunnel_call_new(&sc, loop, m, &cfg));
	call_cfg(&cfg, PPP_ROLE_CLIENT, lo, 301, 300, &p.co);
	CHECK_OK(tunnel_call_new(&cc, loop, m, &cfg));
	memset(cfg.ppp.password, 0, sizeof(cfg.ppp.password));
	if (sc == NULL || cc == NULL)
		goto out_calls;
	CHECK_OK(tunnel_call_start(sc));
	CHECK_OK(tunnel_call_start(cc));
	CHECK(loop_until(loop, lo_both_down, &p, 15000));
	CHECK_EQ(p.co.ip_up, 1);
	CHECK_EQ(p.co.reason, PPP_DOWN_ADMIN);
	CHECK_STR(p.co.text, "test: closed from the callback");
	CHECK_EQ(gre_mux_stats(m)->calls, 0);
	(void)ev_run_once(loop, 0);
out_calls:
	if (p.so.down == 0)
		tunnel_call_free(sc);
	if (p.co.down == 0)
		tunnel_call_free(cc);
	gre_mux_free(m);
out:
	ev_loop_free(loop);
	netns_leave(saved);
}

/* --- printers --- */

TEST(tunnel_call_summary_prints_the_session_counters)
{
	struct tunnel_call_stats s;
	char buf[256];
	struct sbuf sb;

	memset(&s, 0, sizeof(s));
	s.tun_tx_bytes = 5000;
	s.tun_tx_packets = 10;
	s.tun_rx_bytes = 300;
	s.tun_rx_packets = 3;
	s.gre.rx_lost = 2;
	s.gre.rx_reordered = 1;
	s.gre.rx_under_win = 4;
	s.gre.rtt_us = 1234;
	sbuf_init(&sb, buf, sizeof(buf));
	tunnel_call_summary_print(&s, &sb);
	CHECK_STR(sbuf_str(&sb), "in=5000B/10p out=300B/3p gre_lost=2 "
	    "gre_reordered=1 gre_dup=4 rtt_us=1234");
}

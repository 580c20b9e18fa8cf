/*
 * gre_mux.c - the process-wide raw GRE socket and the (peer, Call ID)
 * demultiplexer of gre_mux.h (RFC 2637 section 4.1: the Key field's low
 * half carries the receiver's Call ID).
 *
 * The table is an array of pointers to entries embedded in the calls,
 * linear probing, a power-of-two size at least twice max_calls.  Removal
 * uses backward-shift deletion (Knuth 6.4 Algorithm R): the entries after
 * the hole that would no longer be reachable are moved into it, so there
 * are no tombstones and a lookup stops at the first empty slot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "gre_mux.h"

struct gre_mux {
	struct ev_loop		*loop;
	struct gre_sock		*sock;
	int			 fd;		/* registered on loop, or -1 */
	struct gre_mux_entry	**slots;
	size_t			 mask;		/* slots - 1 */
	unsigned		 max_calls;
	uint64_t		 seed;		/* hash key */
	struct gre_mux_stats	 stats;
	struct gre_pkt		 rx[GRE_SOCK_BATCH];
};

void
gre_mux_config_default(struct gre_mux_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_calls = GRE_MUX_CALLS_DEFAULT;
}

/* --- the table --- */

/* The address as a number, whatever its byte order: only equality and
 * hashing use it. */
static uint32_t
addr_key(struct in_addr a)
{
	uint32_t v;

	memcpy(&v, &a.s_addr, sizeof(v));
	return v;
}

/* A keyed mix of (peer, call ID): SplitMix64's finaliser over both. */
static size_t
mux_hash(const struct gre_mux *m, struct in_addr peer, uint16_t call_id)
{
	uint64_t x = m->seed ^ ((uint64_t)addr_key(peer) << 16 | call_id);

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (size_t)x & m->mask;
}

static bool
entry_is(const struct gre_mux_entry *e, struct in_addr peer, uint16_t call_id)
{
	return e->call_id == call_id && addr_key(e->peer) == addr_key(peer);
}

/* The slot holding (peer, call_id), or the empty slot ending its probe run. */
static size_t
mux_probe(const struct gre_mux *m, struct in_addr peer, uint16_t call_id)
{
	size_t i = mux_hash(m, peer, call_id);

	while (m->slots[i] != NULL && !entry_is(m->slots[i], peer, call_id))
		i = (i + 1) & m->mask;
	return i;
}

struct gre_mux_entry *
gre_mux_find(const struct gre_mux *m, struct in_addr peer, uint16_t call_id)
{
	return m->slots[mux_probe(m, peer, call_id)];
}

int
gre_mux_add(struct gre_mux *m, struct gre_mux_entry *e, struct in_addr peer,
    uint16_t call_id, gre_mux_rx_fn *rx, void *ctx)
{
	size_t i;

	if (e == NULL || rx == NULL || e->linked)
		return ERR_INVAL;
	i = mux_probe(m, peer, call_id);
	if (m->slots[i] != NULL)
		return ERR_EXISTS;
	if (m->stats.calls >= m->max_calls)
		return ERR_NOSPACE;
	e->peer = peer;
	e->call_id = call_id;
	e->rx = rx;
	e->ctx = ctx;
	e->linked = true;
	m->slots[i] = e;
	m->stats.calls++;
	return 0;
}

void
gre_mux_del(struct gre_mux *m, struct gre_mux_entry *e)
{
	size_t hole, j, home;

	if (e == NULL || !e->linked)
		return;
	hole = mux_probe(m, e->peer, e->call_id);
	e->linked = false;
	if (m->slots[hole] != e)
		return;			/* not ours: cannot happen */
	m->slots[hole] = NULL;
	m->stats.calls--;
	/* Backward shift: an entry after the hole whose home slot is not
	 * cyclically in (hole, j] would become unreachable: move it down. */
	for (j = (hole + 1) & m->mask; m->slots[j] != NULL;
	    j = (j + 1) & m->mask) {
		home = mux_hash(m, m->slots[j]->peer, m->slots[j]->call_id);
		if (((j - home) & m->mask) >= ((j - hole) & m->mask)) {
			m->slots[hole] = m->slots[j];
			m->slots[j] = NULL;
			hole = j;
		}
	}
}

/* --- receive --- */

int
gre_mux_input(struct gre_mux *m, struct in_addr src, const uint8_t *gre,
    size_t len)
{
	struct gre_mux_entry *e;
	struct gre_hdr h;
	struct rd r, payload;
	int ret;

	rd_init(&r, gre, len);
	if ((ret = gre_decode(&r, &h, &payload)) != 0) {
		if (ret == ERR_VERSION)
			m->stats.rx_not_v1++;
		else
			m->stats.rx_malformed++;
		return ret;
	}
	if (!h.has_seq && !h.has_ack) {
		m->stats.rx_empty++;
		return ERR_STATE;
	}
	if ((e = gre_mux_find(m, src, h.call_id)) == NULL) {
		m->stats.rx_stranger++;
		return ERR_NOTFOUND;
	}
	m->stats.rx_dispatched++;
	e->rx(e->ctx, &h, rd_cur(&payload), rd_left(&payload));
	return 0;
}

static void
mux_on_read(struct ev_loop *loop, int fd, unsigned events, void *ctx)
{
	struct gre_mux *m = ctx;
	size_t n, i;
	unsigned round;

	(void)loop;
	(void)fd;
	(void)events;
	for (round = 0; round < GRE_MUX_RX_ROUNDS; round++) {
		if (gre_sock_recv(m->sock, m->rx, GRE_SOCK_BATCH, &n) != 0) {
			m->stats.rx_errors++;
			break;
		}
		m->stats.rx_packets += n;
		for (i = 0; i < n; i++)
			(void)gre_mux_input(m, m->rx[i].src, m->rx[i].gre,
			    m->rx[i].len);
		(void)gre_mux_flush(m);
		if (n < GRE_SOCK_BATCH)
			break;
	}
}

/* --- send --- */

int
gre_mux_send(struct gre_mux *m, struct in_addr peer, const struct gre_hdr *h,
    const uint8_t *payload, size_t len)
{
	uint8_t *buf;
	size_t cap;
	struct wr w;
	int ret;

	if (h->payload_len != len) {
		m->stats.tx_errors++;
		return ERR_LENGTH;
	}
	buf = gre_sock_tx_buf(m->sock, &cap);
	wr_init(&w, buf, cap);
	if ((ret = gre_encode(&w, h)) != 0 ||
	    (len > 0 && (ret = wr_bytes(&w, payload, len)) != 0) ||
	    (ret = gre_sock_tx_commit(m->sock, peer, wr_len(&w))) != 0) {
		m->stats.tx_errors++;
		return ret == ERR_INVAL ? ERR_NOSPACE : ret;
	}
	m->stats.tx_packets++;
	return 0;
}

int
gre_mux_flush(struct gre_mux *m)
{
	int ret;

	if (gre_sock_tx_pending(m->sock) == 0)
		return 0;
	if ((ret = gre_sock_flush(m->sock)) != 0)
		m->stats.tx_flush_errors++;
	return ret;
}

size_t
gre_mux_pending(const struct gre_mux *m)
{
	return gre_sock_tx_pending(m->sock);
}

/* --- set-up --- */

/* The hash key: getrandom, or (without entropy yet) the clock and pid,
 * which still differ per process; the key hardens, it does not secure. */
static uint64_t
mux_seed(void)
{
	struct timespec ts;
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^
	    (uint64_t)ts.tv_sec << 20 ^ (uint64_t)getpid();
}

int
gre_mux_new(struct gre_mux **out, struct ev_loop *loop,
    const struct gre_mux_config *cfg)
{
	struct gre_mux *m;
	size_t size;
	int ret, saved;

	*out = NULL;
	if (loop == NULL || cfg == NULL)
		return ERR_INVAL;
	if (cfg->max_calls < 1 || cfg->max_calls > GRE_MUX_CALLS_MAX)
		return ERR_RANGE;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return ERR_NOMEM;
	m->loop = loop;
	m->fd = -1;
	m->max_calls = cfg->max_calls;
	m->seed = mux_seed();
	for (size = 2; size < 2 * (size_t)cfg->max_calls; size *= 2)
		;
	m->mask = size - 1;
	if ((m->slots = calloc(size, sizeof(*m->slots))) == NULL) {
		ret = ERR_NOMEM;
		goto fail;
	}
	if ((ret = gre_sock_open(&m->sock,
	    cfg->bind_local ? &cfg->local : NULL)) != 0)
		goto fail;
	if (cfg->connect_peer &&
	    (ret = gre_sock_connect(m->sock, cfg->peer)) != 0)
		goto fail;
	if ((ret = ev_io_add(loop, gre_sock_fd(m->sock), EV_READ, mux_on_read,
	    m)) != 0)
		goto fail;
	m->fd = gre_sock_fd(m->sock);
	*out = m;
	return 0;
fail:
	saved = errno;
	gre_sock_close(m->sock);
	free(m->slots);
	free(m);
	errno = saved;
	return ret;
}

void
gre_mux_free(struct gre_mux *m)
{
	size_t i;

	if (m == NULL)
		return;
	(void)gre_mux_flush(m);
	if (m->fd >= 0)
		(void)ev_io_del(m->loop, m->fd);
	gre_sock_close(m->sock);
	for (i = 0; i <= m->mask; i++)
		if (m->slots[i] != NULL)
			m->slots[i]->linked = false;
	free(m->slots);
	free(m);
}

/* --- counters --- */

const struct gre_mux_stats *
gre_mux_stats(const struct gre_mux *m)
{
	return &m->stats;
}

const struct gre_sock_stats *
gre_mux_sock_stats(const struct gre_mux *m)
{
	return gre_sock_stats(m->sock);
}

void
gre_mux_stats_print(const struct gre_mux_stats *s, struct sbuf *sb)
{
	sbuf_printf(sb, "gre-mux calls=%u rx=%llu dispatched=%llu not_v1=%llu "
	    "malformed=%llu empty=%llu stranger=%llu rx_errors=%llu tx=%llu "
	    "tx_errors=%llu flush_errors=%llu", (unsigned)s->calls,
	    (unsigned long long)s->rx_packets,
	    (unsigned long long)s->rx_dispatched,
	    (unsigned long long)s->rx_not_v1,
	    (unsigned long long)s->rx_malformed,
	    (unsigned long long)s->rx_empty,
	    (unsigned long long)s->rx_stranger,
	    (unsigned long long)s->rx_errors,
	    (unsigned long long)s->tx_packets,
	    (unsigned long long)s->tx_errors,
	    (unsigned long long)s->tx_flush_errors);
}

/*
 * net_probe.c - ICMP echo, bulk TCP and raw IPv4 for end-to-end tests (see
 * net_probe.h).  ICMP echo is RFC 792; the checksum RFC 1071.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net_probe.h"
#include "../src/wire/ip.h"

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* --- ICMP echo --- */

/* Waits for the echo reply (id, seq) from dst; true if it came. */
static bool
ping_wait(int fd, struct in_addr dst, unsigned id, unsigned seq,
    int timeout_ms)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms, t;
	struct sockaddr_in from;
	socklen_t flen;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t buf[1500];
	ssize_t n;
	size_t ihl;
	int i;

	for (i = 0; i < 1000 && (t = now_ms()) < end; i++) {
		if (poll(&p, 1, (int)(end - t)) != 1)
			return false;
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &flen);
		if (n < 20)
			continue;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < ihl + 8 || from.sin_addr.s_addr != dst.s_addr)
			continue;
		if (buf[ihl] == 0 && (unsigned)(buf[ihl + 4] << 8 |
		    buf[ihl + 5]) == id && (unsigned)(buf[ihl + 6] << 8 |
		    buf[ihl + 7]) == seq)
			return true;
	}
	return false;
}

int
probe_ping(int fd, struct in_addr dst, int count, int timeout_ms)
{
	struct sockaddr_in to;
	uint8_t req[8 + 56];
	unsigned id = (unsigned)getpid() & 0xffff;
	int seq, ok = 0;
	size_t i;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = dst;
	for (seq = 1; seq <= count; seq++) {
		memset(req, 0, sizeof(req));
		req[0] = 8;				/* Echo */
		put16(req + 4, id);
		put16(req + 6, (unsigned)seq);
		for (i = 8; i < sizeof(req); i++)
			req[i] = (uint8_t)(i + (size_t)seq);
		put16(req + 2, ip_csum_fold(ip_csum_add(0, req, sizeof(req))));
		if (sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&to,
		    sizeof(to)) != (ssize_t)sizeof(req))
			continue;
		if (ping_wait(fd, dst, id, (unsigned)seq, timeout_ms))
			ok++;
	}
	return ok;
}

/* --- bulk TCP --- */

#define FNV_OFFSET	0xcbf29ce484222325ull
#define FNV_PRIME	0x100000001b3ull

/* The pattern: octet i of direction d. */
static uint8_t
pattern(size_t i, int d)
{
	return (uint8_t)(i * 131 + (i >> 9) * 7 + (size_t)d * 89);
}

struct flow {
	int		 fd;
	size_t		 to_send, sent, got;
	uint64_t	 hash_sent, hash_got;
	bool		 shut, eof;
	int		 dir;		/* direction this end sends */
};

static bool
flow_send(struct flow *f)
{
	uint8_t buf[16384];
	size_t n, i;
	ssize_t w;

	while (f->sent < f->to_send) {
		n = f->to_send - f->sent;
		if (n > sizeof(buf))
			n = sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = pattern(f->sent + i, f->dir);
		if ((w = send(f->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL)) < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK;
		for (i = 0; i < (size_t)w; i++)
			f->hash_sent = (f->hash_sent ^ buf[i]) * FNV_PRIME;
		f->sent += (size_t)w;
	}
	if (!f->shut) {
		f->shut = true;
		(void)shutdown(f->fd, SHUT_WR);
	}
	return true;
}

static bool
flow_recv(struct flow *f)
{
	uint8_t buf[16384];
	ssize_t r, i;

	for (;;) {
		r = recv(f->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r == 0) {
			f->eof = true;
			return true;
		}
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK;
		for (i = 0; i < r; i++)
			f->hash_got = (f->hash_got ^ buf[i]) * FNV_PRIME;
		f->got += (size_t)r;
	}
}

static void
flow_events(const struct flow *f, struct pollfd *p)
{
	p->fd = f->fd;
	p->events = (short)((f->eof ? 0 : POLLIN) |
	    (f->sent < f->to_send ? POLLOUT : 0));
}

bool
probe_tcp(int lfd, int cfd, const struct sockaddr_in *dst,
    struct probe_xfer *x, int timeout_ms)
{
	uint64_t start = now_ms(), end = start + (uint64_t)timeout_ms, t;
	struct flow a = { .fd = cfd, .dir = 0 }, b = { .fd = -1, .dir = 1 };
	struct pollfd p[2];
	unsigned iter;
	bool ok = false;

	x->error = NULL;
	a.to_send = x->a2b;
	b.to_send = x->b2a;
	a.hash_sent = a.hash_got = b.hash_sent = b.hash_got = FNV_OFFSET;
	(void)fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK);
	if (connect(cfd, (const struct sockaddr *)dst, sizeof(*dst)) < 0 &&
	    errno != EINPROGRESS) {
		x->error = "connect";
		return false;
	}
	p[0].fd = lfd;
	p[0].events = POLLIN;
	if (poll(p, 1, timeout_ms) != 1 ||
	    (b.fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0) {
		x->error = "accept";
		return false;
	}
	for (iter = 0; iter < 10000000 && (t = now_ms()) < end; iter++) {
		if (a.eof && b.eof && a.sent == a.to_send &&
		    b.sent == b.to_send) {
			ok = true;
			break;
		}
		flow_events(&a, &p[0]);
		flow_events(&b, &p[1]);
		if (poll(p, 2, (int)(end - t)) < 0 && errno != EINTR) {
			x->error = "poll";
			break;
		}
		if ((p[0].revents && (!flow_send(&a) || !flow_recv(&a))) ||
		    (p[1].revents && (!flow_send(&b) || !flow_recv(&b)))) {
			x->error = "socket error";
			break;
		}
	}
	if (!ok && x->error == NULL)
		x->error = "timeout";
	x->ms = (unsigned)(now_ms() - start);
	x->got_b = b.got;
	x->got_a = a.got;
	x->sent_a = a.hash_sent;
	x->sent_b = b.hash_sent;
	x->hash_b = b.hash_got;
	x->hash_a = a.hash_got;
	close(b.fd);
	return ok && x->got_b == x->a2b && x->got_a == x->b2a &&
	    x->hash_b == x->sent_a && x->hash_a == x->sent_b;
}

/* --- raw IPv4 --- */

bool
probe_send_ipv4(int fd, struct in_addr src, struct in_addr dst, uint8_t proto,
    const void *payload, size_t n)
{
	struct sockaddr_in to;
	uint8_t pkt[1500];

	if (n > sizeof(pkt) - 20)
		return false;
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	put16(pkt + 2, (unsigned)(20 + n));
	pkt[8] = 64;
	pkt[9] = proto;
	memcpy(pkt + 12, &src.s_addr, 4);
	memcpy(pkt + 16, &dst.s_addr, 4);
	put16(pkt + 10, ip_csum_fold(ip_csum_add(0, pkt, 20)));
	memcpy(pkt + 20, payload, n);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = dst;
	return sendto(fd, pkt, 20 + n, 0, (struct sockaddr *)&to,
	    sizeof(to)) == (ssize_t)(20 + n);
}

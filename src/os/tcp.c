/*
 * tcp.c - listener, connector and buffered connection of tcp.h, for the
 * PPTP control connection (RFC 2637 section 2; graceful close, 3.1.2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "tcp.h"

#define DRAIN_READS	8	/* reads per tcp_conn_drain call */

/* --- addresses --- */

int
tcp_addr_parse(const char *host, uint16_t port, struct tcp_addr *out)
{
	struct addrinfo hints, *res = NULL;

	memset(out, 0, sizeof(*out));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;	/* never DNS */
	if (host == NULL || getaddrinfo(host, NULL, &hints, &res) != 0)
		return ERR_FORMAT;
	if (res == NULL || res->ai_addrlen > sizeof(out->ss) ||
	    (res->ai_family != AF_INET && res->ai_family != AF_INET6)) {
		freeaddrinfo(res);
		return ERR_FORMAT;
	}
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	if (out->ss.ss_family == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, &out->ss, sizeof(sin));
		sin.sin_port = htons(port);
		memcpy(&out->ss, &sin, sizeof(sin));
	} else {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, &out->ss, sizeof(sin6));
		sin6.sin6_port = htons(port);
		memcpy(&out->ss, &sin6, sizeof(sin6));
	}
	return 0;
}

void
tcp_addr_print(const struct tcp_addr *a, struct sbuf *sb)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (a->len == 0 || getnameinfo((const struct sockaddr *)&a->ss, a->len,
	    host, sizeof(host), serv, sizeof(serv),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		sbuf_printf(sb, "-");
		return;
	}
	if (a->ss.ss_family == AF_INET6)
		sbuf_printf(sb, "[%s]:%s", host, serv);
	else
		sbuf_printf(sb, "%s:%s", host, serv);
}

int
tcp_local_addr(int fd, struct tcp_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->len = sizeof(out->ss);
	if (getsockname(fd, (struct sockaddr *)&out->ss, &out->len) < 0) {
		out->len = 0;
		return ERR_SYS;
	}
	return 0;
}

/* --- listener and connector --- */

static int
tcp_close_keep_errno(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
	return ERR_SYS;
}

int
tcp_listen(const struct tcp_addr *addr, int backlog, int *out_fd)
{
	int fd, one = 1;

	*out_fd = -1;
	if (addr->len == 0)
		return ERR_INVAL;
	fd = socket(addr->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return ERR_SYS;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (const struct sockaddr *)&addr->ss, addr->len) < 0 ||
	    listen(fd, backlog > 0 ? backlog : SOMAXCONN) < 0)
		return tcp_close_keep_errno(fd);
	*out_fd = fd;
	return 0;
}

int
tcp_accept(int listen_fd, int *out_fd, struct tcp_addr *peer)
{
	struct tcp_addr tmp;
	int fd, one = 1, tries;

	*out_fd = -1;
	if (peer == NULL)
		peer = &tmp;
	/* Bounded: a burst of aborted connections cannot hold us here. */
	for (tries = 0; tries < 16; tries++) {
		memset(peer, 0, sizeof(*peer));
		peer->len = sizeof(peer->ss);
		fd = accept4(listen_fd, (struct sockaddr *)&peer->ss,
		    &peer->len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		peer->len = 0;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR && errno != ECONNABORTED &&
		    errno != EPROTO)
			return ERR_SYS;
	}
	if (fd < 0)
		return 0;
	/* Best effort: a control connection works without it, only slower. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*out_fd = fd;
	return 0;
}

int
tcp_connect(const struct tcp_addr *addr, int *out_fd)
{
	int fd, one = 1;

	*out_fd = -1;
	if (addr->len == 0)
		return ERR_INVAL;
	fd = socket(addr->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return ERR_SYS;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)&addr->ss, addr->len) < 0 &&
	    errno != EINPROGRESS && errno != EINTR)
		return tcp_close_keep_errno(fd);
	*out_fd = fd;
	return 0;
}

int
tcp_connect_result(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(int), slen = sizeof(ss);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return ERR_SYS;
	if (err != 0) {
		errno = err;
		return err == EINPROGRESS || err == EALREADY ? ERR_STATE :
		    ERR_SYS;
	}
	/* No error and no peer yet: still connecting. */
	if (getpeername(fd, (struct sockaddr *)&ss, &slen) < 0)
		return errno == ENOTCONN ? ERR_STATE : ERR_SYS;
	return 0;
}

/* --- connection --- */

void
tcp_conn_init(struct tcp_conn *c, int fd)
{
	c->fd = fd;
	c->wr_shut = false;
	c->shut_wanted = false;
	c->out_off = 0;
	c->out_len = 0;
}

int
tcp_conn_read(struct tcp_conn *c, void *buf, size_t cap, size_t *out_len)
{
	ssize_t n;

	*out_len = 0;
	if (cap == 0)
		return ERR_INVAL;
	do
		n = recv(c->fd, buf, cap, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : ERR_SYS;
	if (n == 0)
		return ERR_CLOSED;
	*out_len = (size_t)n;
	return 0;
}

/* Sends from p[len] what the kernel takes; *sent is how much.  0, ERR_SYS. */
static int
tcp_send_some(int fd, const uint8_t *p, size_t len, size_t *sent)
{
	ssize_t n;

	*sent = 0;
	while (*sent < len) {
		n = send(fd, p + *sent, len - *sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return ERR_SYS;
		}
		*sent += (size_t)n;
	}
	return 0;
}

int
tcp_conn_write(struct tcp_conn *c, const void *data, size_t len)
{
	size_t sent = 0;
	int ret;

	if (c->wr_shut || c->shut_wanted)
		return ERR_STATE;
	if (len == 0)
		return 0;
	/* Checked first, so that the rest always fits: all or nothing. */
	if (len > TCP_OUTBUF_SIZE - c->out_len)
		return ERR_NOSPACE;
	if (c->out_len == 0 &&
	    (ret = tcp_send_some(c->fd, data, len, &sent)) != 0)
		return ret;
	if (sent == len)
		return 0;
	if (c->out_off + c->out_len + (len - sent) > TCP_OUTBUF_SIZE) {
		memmove(c->out, c->out + c->out_off, c->out_len);
		c->out_off = 0;
	}
	memcpy(c->out + c->out_off + c->out_len, (const uint8_t *)data + sent,
	    len - sent);
	c->out_len += len - sent;
	return 0;
}

int
tcp_conn_flush(struct tcp_conn *c)
{
	size_t sent;
	int ret;

	if (c->out_len > 0) {
		if ((ret = tcp_send_some(c->fd, c->out + c->out_off,
		    c->out_len, &sent)) != 0)
			return ret;
		c->out_off += sent;
		c->out_len -= sent;
		if (c->out_len == 0)
			c->out_off = 0;
	}
	if (c->out_len == 0 && c->shut_wanted && !c->wr_shut) {
		if (shutdown(c->fd, SHUT_WR) < 0 && errno != ENOTCONN)
			return ERR_SYS;
		c->wr_shut = true;
	}
	return 0;
}

bool
tcp_conn_pending(const struct tcp_conn *c)
{
	return c->out_len > 0 || (c->shut_wanted && !c->wr_shut);
}

int
tcp_conn_shutdown(struct tcp_conn *c)
{
	c->shut_wanted = true;
	return tcp_conn_flush(c);
}

int
tcp_conn_drain(struct tcp_conn *c)
{
	uint8_t sink[512];
	size_t n;
	int i, ret;

	for (i = 0; i < DRAIN_READS; i++) {
		if ((ret = tcp_conn_read(c, sink, sizeof(sink), &n)) != 0)
			return ret;
		if (n == 0)
			return 0;
	}
	return 0;
}

void
tcp_conn_close(struct tcp_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->out_off = 0;
	c->out_len = 0;
}

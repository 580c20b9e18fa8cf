/*
 * tcp.h - the TCP edge of the PPTP control connection (RFC 2637 section 2):
 * a non-blocking listener (server, port 1723), a non-blocking connector
 * (client), reads, writes through a small per-connection output buffer, and
 * a graceful close.
 *
 * Control messages are small (at most 220 bytes: Incoming-Call-Request, RFC
 * 2637 2.8) and rare, so each connection has a fixed output buffer:
 * what the kernel does not take at once waits there until the fd is writable
 * (watch EV_WRITE while tcp_conn_pending() says so).  A write is all or
 * nothing: a message that does not fit is refused whole (ERR_NOSPACE), never
 * cut, so a peer that stops reading cannot make us send half a message.
 *
 * Closing follows RFC 2637 3.1.2 ("making sure that the final TCP
 * information has been pushed"): tcp_conn_shutdown sends what is buffered,
 * then shuts the write side (FIN); the caller keeps reading with
 * tcp_conn_drain until the peer closes too (ERR_CLOSED) or a timer of its own
 * expires, then calls tcp_conn_close.
 *
 * Addresses are struct sockaddr_storage, IPv4 or IPv6.  All fds are
 * non-blocking and close-on-exec; accepted and connecting sockets get
 * TCP_NODELAY (a control message should leave now, not wait for an ACK).
 * Functions return 0 or a negative ERR_* of err.h; ERR_SYS leaves errno as
 * the system call set it.  Nothing here blocks.
 */
#ifndef PPTPKIT_OS_TCP_H
#define PPTPKIT_OS_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../base/err.h"
#include "../base/sbuf.h"

#define TCP_OUTBUF_SIZE	4096
#define TCP_PPTP_PORT	1723		/* RFC 2637 section 2 */

struct tcp_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;	/* 0: none */
};

/* One control connection: the fd and what the kernel has not taken yet. */
struct tcp_conn {
	int		fd;		/* -1 when closed */
	bool		wr_shut;	/* FIN sent */
	bool		shut_wanted;	/* FIN to send once out is empty */
	size_t		out_off;	/* first unsent byte in out */
	size_t		out_len;	/* bytes in out from out_off */
	uint8_t		out[TCP_OUTBUF_SIZE];
};

/* --- addresses --- */

/*
 * Fills *out from a numeric IPv4 or IPv6 address ("192.0.2.1", "::1",
 * "fe80::1%eth0" with a scope) and a port.  No DNS.  ERR_FORMAT.
 */
int tcp_addr_parse(const char *host, uint16_t port, struct tcp_addr *out) MUST_CHECK;

/* Prints "192.0.2.1:1723" or "[2001:db8::1]:1723" ("-" for none). */
void tcp_addr_print(const struct tcp_addr *a, struct sbuf *sb);

/* The address fd is bound to (e.g. the port the kernel picked). ERR_SYS. */
int tcp_local_addr(int fd, struct tcp_addr *out) MUST_CHECK;

/* --- listener --- */

/*
 * Opens a listening socket on addr (SO_REUSEADDR, so a restarted server does
 * not wait out TIME_WAIT) and returns its fd in *out_fd.  ERR_INVAL (no
 * address), ERR_SYS (EADDRINUSE, EACCES for port 1723 without privilege).
 */
int tcp_listen(const struct tcp_addr *addr, int backlog, int *out_fd) MUST_CHECK;

/*
 * Accepts one pending connection: *out_fd is the new non-blocking socket
 * (TCP_NODELAY set) and *peer (if not NULL) its address; or *out_fd is -1
 * when no connection is waiting.  Call it in a loop until *out_fd is -1.
 * Errors of the aborted connection itself (ECONNABORTED) are skipped.
 * ERR_SYS (EMFILE: out of fds; the connection stays queued).
 */
int tcp_accept(int listen_fd, int *out_fd, struct tcp_addr *peer) MUST_CHECK;

/* --- connector --- */

/*
 * Starts connecting to addr; *out_fd is the socket.  Returns 0 when the
 * connection is under way (or, on loopback, already made): watch *out_fd
 * for EV_WRITE, then ask tcp_connect_result.  ERR_INVAL, ERR_SYS (e.g.
 * ENETUNREACH, or ECONNREFUSED when the refusal is immediate); *out_fd is
 * -1 on error.
 */
int tcp_connect(const struct tcp_addr *addr, int *out_fd) MUST_CHECK;

/*
 * Once fd is writable: 0 if the connection is made, ERR_SYS with errno the
 * failure (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH), ERR_STATE if it is still
 * in progress (EINPROGRESS, a spurious wake-up).
 */
int tcp_connect_result(int fd) MUST_CHECK;

/* --- connection --- */

/* Takes ownership of fd (connected, non-blocking) with an empty buffer. */
void tcp_conn_init(struct tcp_conn *c, int fd);

/*
 * Reads what is there into buf[cap]: 0 with *out_len > 0 bytes, 0 with
 * *out_len == 0 when nothing is waiting, ERR_CLOSED when the peer closed
 * (end of stream), ERR_SYS (ECONNRESET...).  ERR_INVAL for cap 0.
 */
int tcp_conn_read(struct tcp_conn *c, void *buf, size_t cap,
    size_t *out_len) MUST_CHECK;

/*
 * Sends len bytes: what the kernel takes now goes, the rest waits in the
 * buffer (kept in order behind what is already there).  All or nothing:
 * ERR_NOSPACE (nothing sent, nothing queued) if the rest could not fit;
 * ERR_STATE after a shutdown; ERR_SYS (EPIPE, ECONNRESET: the connection is
 * dead).  Never raises SIGPIPE.
 */
int tcp_conn_write(struct tcp_conn *c, const void *data, size_t len) MUST_CHECK;

/*
 * Sends buffered bytes (call when fd is writable), then the FIN if a
 * shutdown waits for them.  0 (check tcp_conn_pending for what remains),
 * ERR_SYS.
 */
int tcp_conn_flush(struct tcp_conn *c) MUST_CHECK;

/* true while bytes (or a FIN) wait to be sent: keep EV_WRITE on. */
bool tcp_conn_pending(const struct tcp_conn *c);

/*
 * Graceful close, first half: sends the FIN now if nothing is buffered,
 * else after the buffer drains (tcp_conn_flush).  Further writes are
 * ERR_STATE.  ERR_SYS.
 */
int tcp_conn_shutdown(struct tcp_conn *c) MUST_CHECK;

/*
 * Reads and discards what the peer still sends after our shutdown: 0 when
 * nothing more is waiting, ERR_CLOSED once the peer has closed (now call
 * tcp_conn_close), ERR_SYS.  Bounded: at most a few reads per call.
 */
int tcp_conn_drain(struct tcp_conn *c) MUST_CHECK;

/* Closes fd (unsent bytes are lost) and sets it to -1; idempotent.  The
 * caller removes the fd from its event loop first. */
void tcp_conn_close(struct tcp_conn *c);

#endif

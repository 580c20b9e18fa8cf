/*
 * test_os_tcp.c - the TCP edge of src/os/tcp.h for the PPTP control
 * connection: listener and connector, exchange, the output buffer that keeps
 * what the kernel did not take, graceful shutdown (RFC 2637 3.1.2), refused
 * connections, addresses.
 *
 * The IPv4 tests use 127.0.0.1 of the host and need no privilege.  The IPv6
 * test needs ::1, so it moves into a network namespace of its own (root,
 * as CI runs) with lo up, and returns; without root it fails and says why.
 * Every wait is a poll() with a timeout and every loop has a count bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "t.h"
#include "../src/os/netcfg.h"
#include "../src/os/tcp.h"

#define WAIT_MS		1000

static bool
wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, ms) == 1 && (p.revents & (events | POLLERR |
	    POLLHUP)) != 0;
}

/* The printed form, for CHECK_STR (a static buffer: one use per check). */
static const char *
tcp_text(const struct tcp_addr *a)
{
	static char text[80];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	tcp_addr_print(a, &sb);
	return sbuf_str(&sb);
}

/* Listener on host:0 and a connected pair (client c, server s). */
static bool
tcp_pair(const char *host, struct tcp_conn *c, struct tcp_conn *s,
    struct tcp_addr *server_addr)
{
	struct tcp_addr any, peer, caddr;
	int lfd = -1, cfd = -1, sfd = -1, none = 0, ret = ERR_STATE, i;

	tcp_conn_init(c, -1);
	tcp_conn_init(s, -1);
	CHECK_OK(tcp_addr_parse(host, 0, &any));
	CHECK_OK(tcp_listen(&any, 8, &lfd));
	CHECK_OK(tcp_local_addr(lfd, server_addr));
	CHECK_OK(tcp_connect(server_addr, &cfd));
	if (lfd < 0 || cfd < 0)
		goto fail;
	for (i = 0; i < 10 && ret == ERR_STATE; i++) {
		if (!wait_fd(cfd, POLLOUT, WAIT_MS))
			break;
		ret = tcp_connect_result(cfd);
	}
	CHECK_OK(ret);
	CHECK(wait_fd(lfd, POLLIN, WAIT_MS));
	CHECK_OK(tcp_accept(lfd, &sfd, &peer));
	CHECK(sfd >= 0);
	CHECK_OK(tcp_accept(lfd, &none, NULL));		/* only one waited */
	CHECK_EQ(none, -1);
	CHECK_OK(tcp_local_addr(cfd, &caddr));
	CHECK_EQ(peer.len, caddr.len);
	CHECK_MEM(&peer.ss, &caddr.ss, caddr.len);
	close(lfd);
	if (sfd < 0)
		goto fail;
	tcp_conn_init(c, cfd);
	tcp_conn_init(s, sfd);
	return true;
fail:
	if (lfd >= 0)
		close(lfd);
	if (cfd >= 0)
		close(cfd);
	return false;
}

static size_t
read_some(struct tcp_conn *c, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	if (wait_fd(c->fd, POLLIN, WAIT_MS))
		CHECK_OK(tcp_conn_read(c, buf, cap, &n));
	return n;
}

TEST(tcp_listen_connect_and_exchange_on_loopback)
{
	struct tcp_conn c, s;
	struct tcp_addr sa;
	uint8_t buf[64];
	size_t n;

	if (!tcp_pair("127.0.0.1", &c, &s, &sa))
		return;
	CHECK(strncmp(tcp_text(&sa), "127.0.0.1:", 10) == 0);
	CHECK(strcmp(tcp_text(&sa), "127.0.0.1:0") != 0);

	CHECK_OK(tcp_conn_write(&c, "SCCRQ", 5));
	CHECK(!tcp_conn_pending(&c));
	n = read_some(&s, buf, sizeof(buf));
	CHECK_EQ(n, 5);
	CHECK_MEM(buf, "SCCRQ", 5);
	CHECK_OK(tcp_conn_write(&s, "SCCRP", 5));
	n = read_some(&c, buf, sizeof(buf));
	CHECK_EQ(n, 5);
	CHECK_MEM(buf, "SCCRP", 5);
	/* Nothing more: 0 bytes, no error. */
	CHECK_OK(tcp_conn_read(&c, buf, sizeof(buf), &n));
	CHECK_EQ(n, 0);
	CHECK_ERR(tcp_conn_read(&c, buf, 0, &n), ERR_INVAL);
	CHECK_OK(tcp_conn_write(&c, "", 0));
	tcp_conn_close(&c);
	tcp_conn_close(&c);
	/* The peer sees the close. */
	CHECK(wait_fd(s.fd, POLLIN, WAIT_MS));
	CHECK_ERR(tcp_conn_read(&s, buf, sizeof(buf), &n), ERR_CLOSED);
	tcp_conn_close(&s);
}

TEST(tcp_output_buffer_keeps_what_the_kernel_did_not_take)
{
	struct tcp_conn c, s;
	struct tcp_addr sa;
	uint8_t msg[200], buf[4096];
	uint32_t next_in = 0, next_out = 0, sent_msgs = 0;
	int small = 4096, i, ret = 0, bad = 0;
	size_t n, j;

	if (!tcp_pair("127.0.0.1", &c, &s, &sa))
		return;
	CHECK_OK(setsockopt(c.fd, SOL_SOCKET, SO_SNDBUF, &small,
	    sizeof(small)));
	CHECK_OK(setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &small,
	    sizeof(small)));
	/* Fill until the buffer refuses a whole message: bytes are a
	 * running counter so that order and completeness can be checked. */
	for (i = 0; i < 5000; i++) {
		for (j = 0; j < sizeof(msg); j++)
			msg[j] = (uint8_t)(next_out + j);
		ret = tcp_conn_write(&c, msg, sizeof(msg));
		if (ret != 0)
			break;
		next_out += sizeof(msg);
		sent_msgs++;
	}
	CHECK_ERR(ret, ERR_NOSPACE);
	CHECK(tcp_conn_pending(&c));
	CHECK(c.out_len > TCP_OUTBUF_SIZE - sizeof(msg));
	/* Drain the server while flushing the client; bounded. */
	for (i = 0; i < 2000 && next_in < next_out; i++) {
		if (tcp_conn_pending(&c) && wait_fd(c.fd, POLLOUT, 0))
			CHECK_OK(tcp_conn_flush(&c));
		if (!wait_fd(s.fd, POLLIN, WAIT_MS))
			break;
		CHECK_OK(tcp_conn_read(&s, buf, sizeof(buf), &n));
		for (j = 0; j < n; j++)
			if (buf[j] != (uint8_t)(next_in + j))
				bad++;
		next_in += (uint32_t)n;
	}
	CHECK_EQ(next_in, next_out);
	CHECK_EQ(bad, 0);
	CHECK(!tcp_conn_pending(&c));
	t_note("%u messages, %u bytes", sent_msgs, next_out);
	CHECK_ERR(tcp_conn_write(&c, buf, TCP_OUTBUF_SIZE + 1), ERR_NOSPACE);
	tcp_conn_close(&c);
	tcp_conn_close(&s);
}

TEST(tcp_graceful_shutdown_pushes_the_last_bytes)
{
	struct tcp_conn c, s;
	struct tcp_addr sa;
	uint8_t buf[64];
	size_t n;
	int i, ret = 0;

	if (!tcp_pair("127.0.0.1", &c, &s, &sa))
		return;
	/* Stop-Control-Connection-Reply, then FIN (RFC 2637 3.1.2). */
	CHECK_OK(tcp_conn_write(&s, "StopCCRP", 8));
	CHECK_OK(tcp_conn_shutdown(&s));
	CHECK(!tcp_conn_pending(&s));
	CHECK_ERR(tcp_conn_write(&s, "x", 1), ERR_STATE);
	n = read_some(&c, buf, sizeof(buf));
	CHECK_EQ(n, 8);
	CHECK_MEM(buf, "StopCCRP", 8);
	CHECK(wait_fd(c.fd, POLLIN, WAIT_MS));
	CHECK_ERR(tcp_conn_read(&c, buf, sizeof(buf), &n), ERR_CLOSED);
	/* The server waits for the peer's close, draining what comes. */
	CHECK_OK(tcp_conn_write(&c, "late", 4));
	tcp_conn_close(&c);
	for (i = 0; i < 10; i++) {
		if (!wait_fd(s.fd, POLLIN, WAIT_MS))
			break;
		if ((ret = tcp_conn_drain(&s)) != 0)
			break;
	}
	CHECK_ERR(ret, ERR_CLOSED);
	tcp_conn_close(&s);
	CHECK_EQ(s.fd, -1);
}

TEST(tcp_connect_refused_is_an_error)
{
	struct tcp_addr any, sa;
	int lfd = -1, fd = -1, ret;

	/* A port that was free a moment ago and has no listener now. */
	CHECK_OK(tcp_addr_parse("127.0.0.1", 0, &any));
	CHECK_OK(tcp_listen(&any, 1, &lfd));
	CHECK_OK(tcp_local_addr(lfd, &sa));
	close(lfd);
	ret = tcp_connect(&sa, &fd);
	if (ret == 0) {
		CHECK(wait_fd(fd, POLLOUT, WAIT_MS));
		ret = tcp_connect_result(fd);
		close(fd);
	} else {
		CHECK_EQ(fd, -1);
	}
	CHECK_ERR(ret, ERR_SYS);
	CHECK_EQ(errno, ECONNREFUSED);
}

TEST(tcp_addresses_parse_print_and_bind_errors)
{
	struct tcp_addr a, b;
	int fd = -1, fd2 = -1;

	CHECK_OK(tcp_addr_parse("192.0.2.1", TCP_PPTP_PORT, &a));
	CHECK_STR(tcp_text(&a), "192.0.2.1:1723");
	CHECK_OK(tcp_addr_parse("2001:db8::7", 1723, &a));
	CHECK_STR(tcp_text(&a), "[2001:db8::7]:1723");
	CHECK_ERR(tcp_addr_parse("vpn.example.com", 1723, &a), ERR_FORMAT);
	CHECK_ERR(tcp_addr_parse("300.1.1.1", 1723, &a), ERR_FORMAT);
	CHECK_ERR(tcp_addr_parse(NULL, 1723, &a), ERR_FORMAT);
	CHECK_EQ(a.len, 0);
	CHECK_STR(tcp_text(&a), "-");
	CHECK_ERR(tcp_listen(&a, 1, &fd), ERR_INVAL);
	CHECK_ERR(tcp_connect(&a, &fd), ERR_INVAL);
	/* Two listeners on one port: the second is refused. */
	CHECK_OK(tcp_addr_parse("127.0.0.1", 0, &a));
	CHECK_OK(tcp_listen(&a, 1, &fd));
	CHECK_OK(tcp_local_addr(fd, &b));
	CHECK_ERR(tcp_listen(&b, 1, &fd2), ERR_SYS);
	CHECK_EQ(errno, EADDRINUSE);
	CHECK_EQ(fd2, -1);
	if (fd >= 0)
		close(fd);
}

/* Runs fn in a fresh network namespace with lo up, then comes back. */
static void
in_netns(void (*fn)(void))
{
	struct netcfg nc;
	int saved;

	if (geteuid() != 0) {
		t_check(false, __FILE__, __LINE__, "this test needs root "
		    "(CAP_SYS_ADMIN for a network namespace); run it as root, "
		    "as CI does");
		return;
	}
	if ((saved = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0 ||
	    unshare(CLONE_NEWNET) < 0) {
		t_check(false, __FILE__, __LINE__, "cannot make a network "
		    "namespace: %s", strerror(errno));
		if (saved >= 0)
			close(saved);
		return;
	}
	if (netcfg_open(&nc) == 0) {
		CHECK_OK(netcfg_link_set_up(&nc, if_nametoindex("lo"), true));
		fn();
		netcfg_close(&nc);
	} else {
		CHECK(false);
	}
	CHECK_OK(setns(saved, CLONE_NEWNET));
	close(saved);
}

static void
ipv6_exchange(void)
{
	struct tcp_conn c, s;
	struct tcp_addr sa;
	uint8_t buf[16];

	if (!tcp_pair("::1", &c, &s, &sa))
		return;
	CHECK(strncmp(tcp_text(&sa), "[::1]:", 6) == 0);
	CHECK_OK(tcp_conn_write(&c, "v6", 2));
	CHECK_EQ(read_some(&s, buf, sizeof(buf)), 2);
	CHECK_MEM(buf, "v6", 2);
	tcp_conn_close(&c);
	tcp_conn_close(&s);
}

TEST(tcp_over_ipv6_loopback)
{
	in_netns(ipv6_exchange);
}

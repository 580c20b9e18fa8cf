/*
 * gre_sock.c - the raw GRE socket of gre_sock.h: batched receive with an
 * IPv4 header check (RFC 791 section 3.1), batched send.  The GRE header
 * itself (RFC 2637 section 4.1) is for src/wire to decode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../wire/cursor.h"
#include "gre_sock.h"

#define IPV4_MIN_HDR	20
#define RX_ROUNDS	4	/* recvmmsg calls while a batch is all invalid */

struct gre_sock {
	int			 fd;
	size_t			 tx_len;	/* queued slots */
	struct gre_sock_stats	 stats;
	struct mmsghdr		 rx_msg[GRE_SOCK_BATCH];
	struct iovec		 rx_iov[GRE_SOCK_BATCH];
	struct mmsghdr		 tx_msg[GRE_SOCK_BATCH];
	struct iovec		 tx_iov[GRE_SOCK_BATCH];
	struct sockaddr_in	 tx_addr[GRE_SOCK_BATCH];
	uint8_t			 rx_buf[GRE_SOCK_BATCH][GRE_SOCK_PKT_MAX];
	uint8_t			 tx_buf[GRE_SOCK_BATCH][GRE_SOCK_PKT_MAX];
};

int
gre_sock_open(struct gre_sock **out, const struct in_addr *local)
{
	struct gre_sock *s;
	int saved, rcvbuf = 4 << 20;
	size_t i;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ERR_NOMEM;
	s->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    GRE_SOCK_IPPROTO);
	if (s->fd < 0)
		goto fail;
	/*
	 * A raw socket whose receive queue is full counts as no socket at
	 * all since Linux 6.9: the kernel answers the peer's GRE with ICMP
	 * protocol-unreachable, and pptp-linux and pptpd hang up.  A pause
	 * of ~40 ms in a 5 MB transfer filled the default 208 KiB; 4 MiB
	 * rides out such pauses.  SO_RCVBUFFORCE passes rmem_max as root.
	 */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) < 0)
		(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	if (local != NULL) {
		struct sockaddr_in sin = { .sin_family = AF_INET,
		    .sin_addr = *local };

		if (bind(s->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			goto fail;
	}
	/* The message headers point into this struct, which never moves. */
	for (i = 0; i < GRE_SOCK_BATCH; i++) {
		s->rx_iov[i].iov_base = s->rx_buf[i];
		s->rx_iov[i].iov_len = GRE_SOCK_PKT_MAX;
		s->tx_iov[i].iov_base = s->tx_buf[i];
		s->tx_addr[i].sin_family = AF_INET;
	}
	*out = s;
	return 0;
fail:
	saved = errno;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	errno = saved;
	return ERR_SYS;
}

void
gre_sock_close(struct gre_sock *s)
{
	if (s == NULL)
		return;
	close(s->fd);
	free(s);
}

int
gre_sock_fd(const struct gre_sock *s)
{
	return s->fd;
}

int
gre_sock_connect(struct gre_sock *s, struct in_addr peer)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = peer };

	return connect(s->fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 ?
	    0 : ERR_SYS;
}

const struct gre_sock_stats *
gre_sock_stats(const struct gre_sock *s)
{
	return &s->stats;
}

/* --- receive --- */

int
gre_sock_parse_ipv4(const uint8_t *pkt, size_t len, struct gre_pkt *out)
{
	struct rd r, hdr;
	uint8_t vihl, tos, ttl, proto;
	uint16_t tot_len, id, frag, csum;
	size_t ihl;
	int ret;

	memset(out, 0, sizeof(*out));
	rd_init(&r, pkt, len);
	if ((ret = rd_peek_u8(&r, &vihl)) != 0)
		return ret;
	if (vihl >> 4 != 4)
		return ERR_VERSION;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < IPV4_MIN_HDR)
		return ERR_LENGTH;
	/* The header, options included, as a sub-cursor of exactly IHL. */
	if ((ret = rd_sub(&r, ihl, &hdr)) != 0)
		return ret;
	if ((ret = rd_u8(&hdr, &vihl)) != 0 ||
	    (ret = rd_u8(&hdr, &tos)) != 0 ||
	    (ret = rd_u16(&hdr, &tot_len)) != 0 ||
	    (ret = rd_u16(&hdr, &id)) != 0 ||
	    (ret = rd_u16(&hdr, &frag)) != 0 ||
	    (ret = rd_u8(&hdr, &ttl)) != 0 ||
	    (ret = rd_u8(&hdr, &proto)) != 0 ||
	    (ret = rd_u16(&hdr, &csum)) != 0 ||
	    (ret = rd_bytes(&hdr, &out->src, sizeof(out->src))) != 0 ||
	    (ret = rd_bytes(&hdr, &out->dst, sizeof(out->dst))) != 0)
		return ret;
	/* Options are left unread in hdr; the kernel has processed them. */
	if (tot_len < ihl)
		return ERR_LENGTH;
	if (tot_len > len)
		return ERR_TRUNCATED;
	if (proto != GRE_SOCK_IPPROTO)
		return ERR_PROTO;
	/* Payload: from the header's end to tot_len; any padding after it
	 * is not ours. */
	if ((ret = rd_ptr(&r, &out->gre, tot_len - ihl)) != 0)
		return ret;
	out->len = tot_len - ihl;
	return 0;
}

int
gre_sock_recv(struct gre_sock *s, struct gre_pkt *out, size_t max,
    size_t *out_n)
{
	size_t n = 0, round;
	int got, i;

	*out_n = 0;
	if (max == 0)
		return ERR_INVAL;
	if (max > GRE_SOCK_BATCH)
		max = GRE_SOCK_BATCH;
	for (round = 0; round < RX_ROUNDS && n == 0; round++) {
		for (i = 0; i < (int)max; i++) {
			memset(&s->rx_msg[i], 0, sizeof(s->rx_msg[i]));
			s->rx_msg[i].msg_hdr.msg_iov = &s->rx_iov[i];
			s->rx_msg[i].msg_hdr.msg_iovlen = 1;
		}
		do
			got = recvmmsg(s->fd, s->rx_msg, (unsigned)max,
			    MSG_DONTWAIT, NULL);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return (errno == EAGAIN || errno == EWOULDBLOCK) ?
			    0 : ERR_SYS;
		if (got == 0)
			break;
		for (i = 0; i < got; i++) {
			const struct msghdr *m = &s->rx_msg[i].msg_hdr;

			if (m->msg_flags & MSG_TRUNC) {
				s->stats.rx_truncated++;
				continue;
			}
			if (gre_sock_parse_ipv4(s->rx_buf[i],
			    s->rx_msg[i].msg_len, &out[n]) != 0) {
				s->stats.rx_bad_ip++;
				continue;
			}
			n++;
		}
		if ((size_t)got < max)
			break;		/* the queue is empty */
	}
	s->stats.rx_packets += n;
	*out_n = n;
	return 0;
}

/* --- send --- */

uint8_t *
gre_sock_tx_buf(struct gre_sock *s, size_t *cap)
{
	if (s->tx_len == GRE_SOCK_BATCH)
		(void)gre_sock_flush(s);	/* refusals are in the stats */
	*cap = GRE_SOCK_PKT_MAX;
	return s->tx_buf[s->tx_len];
}

int
gre_sock_tx_commit(struct gre_sock *s, struct in_addr dst, size_t len)
{
	struct msghdr *m;
	size_t i = s->tx_len;

	if (len == 0 || len > GRE_SOCK_PKT_MAX || i == GRE_SOCK_BATCH)
		return ERR_INVAL;
	s->tx_addr[i].sin_addr = dst;
	s->tx_iov[i].iov_len = len;
	memset(&s->tx_msg[i], 0, sizeof(s->tx_msg[i]));
	m = &s->tx_msg[i].msg_hdr;
	m->msg_name = &s->tx_addr[i];
	m->msg_namelen = sizeof(s->tx_addr[i]);
	m->msg_iov = &s->tx_iov[i];
	m->msg_iovlen = 1;
	s->tx_len++;
	return 0;
}

int
gre_sock_send(struct gre_sock *s, struct in_addr dst, const void *pkt,
    size_t len)
{
	size_t cap;
	uint8_t *buf;

	if (len == 0 || len > GRE_SOCK_PKT_MAX)
		return ERR_INVAL;
	buf = gre_sock_tx_buf(s, &cap);
	memcpy(buf, pkt, len);
	return gre_sock_tx_commit(s, dst, len);
}

size_t
gre_sock_tx_pending(const struct gre_sock *s)
{
	return s->tx_len;
}

int
gre_sock_flush(struct gre_sock *s)
{
	size_t i = 0;
	int first_errno = 0, sent;

	/* Each pass sends at least one packet or drops one: bounded. */
	while (i < s->tx_len) {
		sent = sendmmsg(s->fd, &s->tx_msg[i], (unsigned)(s->tx_len - i),
		    MSG_DONTWAIT);
		if (sent > 0) {
			i += (size_t)sent;
			s->stats.tx_packets += (uint64_t)sent;
			continue;
		}
		if (sent < 0 && errno == EINTR)
			continue;
		if (first_errno == 0)
			first_errno = sent < 0 ? errno : EIO;
		s->stats.tx_last_errno = sent < 0 ? errno : EIO;
		s->stats.tx_dropped++;
		i++;
	}
	s->tx_len = 0;
	if (first_errno != 0) {
		errno = first_errno;
		return ERR_SYS;
	}
	return 0;
}

/*
 * tun.c - open, read and write a Linux TUN device (tun.h).  No RFC; the
 * interface is the kernel's Documentation/networking/tuntap.rst.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tun.h"

#define TUN_DEV		"/dev/net/tun"
/*
 * The transmit queue the kernel keeps in front of our reads.  Its default
 * of 500 overflows when a TCP flow bursts into the tunnel faster than one
 * thread encrypts (bench/throughput.sh saw thousands of tx_dropped and TCP
 * retransmits per 5 s); 2000 removed both at no cost in throughput.
 */
#define TUN_TXQLEN	2000

/* Best effort: a failure leaves the kernel's default queue. */
static void
tun_set_txqlen(const char *name)
{
	struct ifreq ifr;
	int s;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, sizeof(ifr.ifr_name) - 1));
	ifr.ifr_qlen = TUN_TXQLEN;
	(void)ioctl(s, SIOCSIFTXQLEN, &ifr);
	close(s);
}

int
tun_open(struct tun *tun, const char *name)
{
	struct ifreq ifr;
	int fd, saved;

	tun->fd = -1;
	tun->ifindex = 0;
	tun->name[0] = '\0';
	memset(&ifr, 0, sizeof(ifr));
	if (name != NULL && name[0] != '\0') {
		if (strlen(name) >= sizeof(ifr.ifr_name))
			return ERR_INVAL;
		memcpy(ifr.ifr_name, name, strlen(name));
	}
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if ((fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return ERR_SYS;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		goto fail;
	/* The kernel wrote the name it chose back into ifr_name. */
	ifr.ifr_name[sizeof(ifr.ifr_name) - 1] = '\0';
	memcpy(tun->name, ifr.ifr_name, sizeof(tun->name));
	if ((tun->ifindex = if_nametoindex(tun->name)) == 0)
		goto fail;
	tun_set_txqlen(tun->name);
	tun->fd = fd;
	return 0;
fail:
	saved = errno;
	close(fd);
	tun->name[0] = '\0';
	tun->ifindex = 0;
	errno = saved;
	return ERR_SYS;
}

void
tun_close(struct tun *tun)
{
	if (tun->fd >= 0)
		close(tun->fd);
	tun->fd = -1;
}

int
tun_read(struct tun *tun, void *buf, size_t cap, size_t *out_len)
{
	ssize_t n;

	*out_len = 0;
	do
		n = read(tun->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : ERR_SYS;
	/* A TUN read truncates silently; a full buffer may mean it did. */
	if ((size_t)n == cap && cap > 0) {
		*out_len = 0;
		return ERR_NOSPACE;
	}
	*out_len = (size_t)n;
	return 0;
}

int
tun_write(struct tun *tun, const void *pkt, size_t len)
{
	ssize_t n;

	if (len == 0)
		return ERR_INVAL;
	do
		n = write(tun->fd, pkt, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ERR_SYS;
	if ((size_t)n != len) {
		errno = EIO;
		return ERR_SYS;
	}
	return 0;
}

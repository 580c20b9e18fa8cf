/*
 * tun.h - a Linux TUN device: layer-3 packets between the kernel and us.
 *
 * The server and the client move the IP packets a PPP session carries
 * through one TUN device per session: what the kernel routes into the device
 * we read and send to the peer inside PPP; what the peer sends we write into
 * the device and the kernel delivers or forwards it.
 *
 * The device is opened with IFF_TUN | IFF_NO_PI: each read() returns exactly
 * one IPv4 or IPv6 packet with no header in front, each write() takes one,
 * and the kernel tells the family from the version nibble.  (No vnet header,
 * no multi-queue, no IFF_NAPI: one queue is plenty for one PPP session.)  The
 * fd is non-blocking and close-on-exec; watch it with the event loop.
 *
 * Addresses, MTU and link state are set with netcfg.h.  Functions return 0 or
 * a negative ERR_* of err.h; ERR_SYS leaves errno as the system call set it.
 */
#ifndef PPTPKIT_OS_TUN_H
#define PPTPKIT_OS_TUN_H

#include <net/if.h>
#include <stddef.h>

#include "../base/err.h"

struct tun {
	int		fd;			/* -1 when closed */
	unsigned	ifindex;		/* kernel interface index */
	char		name[IFNAMSIZ];		/* actual name, e.g. "pptp0" */
};

/*
 * Creates a TUN device and fills *tun.  `name` is the wanted interface name
 * or a pattern with one "%d" ("pptp%d": the kernel picks the lowest free
 * number); NULL or "" lets the kernel choose ("tun%d").  The device exists
 * while the fd is open and disappears when it is closed.
 * Returns ERR_INVAL (name too long for IFNAMSIZ), or ERR_SYS (no
 * /dev/net/tun: ENOENT; not allowed: EPERM; name taken by another kind of
 * device: EINVAL or EBUSY).  On error tun->fd is -1.
 */
int tun_open(struct tun *tun, const char *name) MUST_CHECK;

/* Closes the fd (destroying the device) and sets fd to -1.  Closing a closed
 * tun is a no-op. */
void tun_close(struct tun *tun);

/*
 * Reads one packet into buf[cap].  Returns 0 with *out_len the packet length,
 * or 0 with *out_len == 0 when no packet is waiting (EAGAIN); ERR_SYS
 * otherwise.  The kernel truncates a packet longer than cap without saying
 * so, so a read that fills all of buf is reported as ERR_NOSPACE (the packet
 * is gone): make cap larger than the MTU, e.g. MTU + 1 or a round 2048.
 */
int tun_read(struct tun *tun, void *buf, size_t cap, size_t *out_len) MUST_CHECK;

/*
 * Writes one packet (an IPv4 or IPv6 packet, nothing in front).  Returns 0
 * when the kernel took it whole, ERR_INVAL for len 0, ERR_SYS otherwise:
 * EAGAIN when the queue is full, EINVAL for a packet the kernel rejects.  A
 * packet that cannot be written is dropped by the caller, as a router would.
 */
int tun_write(struct tun *tun, const void *pkt, size_t len) MUST_CHECK;

#endif

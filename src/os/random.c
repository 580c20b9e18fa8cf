/*
 * random.c - os_random (random.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

#include "random.h"

bool
os_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	ssize_t got;
	int fd;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		p += got;
		n -= (size_t)got;
	}
	if (n > 0 && (fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		while (n > 0 && (got = read(fd, p, n)) > 0) {
			p += got;
			n -= (size_t)got;
		}
		close(fd);
	}
	return n == 0;
}

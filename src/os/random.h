/*
 * random.h - unpredictable bytes for the I/O edge (the pure cores take
 * theirs as arguments): challenges, magic numbers, call IDs, hash seeds.
 */
#ifndef PPTPKIT_OS_RANDOM_H
#define PPTPKIT_OS_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Fills buf[n] from getrandom(2), falling back to /dev/urandom where the
 * system call is missing.  Returns false (buf partly filled) only when
 * neither source gives bytes; callers refuse to go on with weak ones.
 */
bool os_random(void *buf, size_t n);

#endif

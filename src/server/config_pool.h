/*
 * config_pool.h - the server's IPv4 address pool: the peer addresses from
 * pptpd.conf's remoteip, each with its local address (localip: one for all,
 * or paired one by one as pptpd does), less the static addresses that
 * chap-secrets gives to particular users.
 *
 * Dynamic allocation is first-in first-out: a fresh pool hands out the
 * addresses in the order remoteip lists them, and an address given back
 * goes to the end of the line, so a peer that reconnects at once rarely
 * gets its predecessor's address.  Every operation is O(1) amortised, or
 * O(log n) where it looks an address up.  Static addresses outside the
 * pool are tracked too (up to max_outside at once), so that no address is
 * ever held twice.  Addresses are host order throughout.
 */
#ifndef PPTPKIT_SERVER_CONFIG_POOL_H
#define PPTPKIT_SERVER_CONFIG_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"
#include "config.h"

struct pool;

/*
 * Builds a pool of n entries: peer[i] with local[i].  default_local is the
 * local address for static peers outside the pool (0: none configured).
 * max_outside bounds the static addresses outside the pool held at once.
 * Returns 0, ERR_INVAL (an address is 0, or n is 0 with max_outside 0),
 * ERR_EXISTS (a peer address twice), ERR_NOMEM.
 */
int pool_new(struct pool **out, const uint32_t *peer, const uint32_t *local,
    size_t n, uint32_t default_local, size_t max_outside) MUST_CHECK;

/* Frees the pool; NULL is fine. */
void pool_free(struct pool *p);

/* The next free address that is not reserved, with its local address.
 * 0 or ERR_NOSPACE (none left). */
int pool_alloc(struct pool *p, uint32_t *peer, uint32_t *local) MUST_CHECK;

/* Takes addr for a user whose chap-secrets entry names it, in the pool or
 * not; *local gets its pair (in the pool) or default_local (outside; may be
 * 0).  0, ERR_INVAL (addr 0), ERR_EXISTS (held already), ERR_NOSPACE (too
 * many outside addresses held). */
int pool_alloc_static(struct pool *p, uint32_t addr, uint32_t *local)
    MUST_CHECK;

/* Gives addr back (from either allocator).  0 or ERR_NOTFOUND (not held). */
int pool_release(struct pool *p, uint32_t addr);

/* Replaces the set of reserved addresses (those chap-secrets gives to
 * users): pool_alloc() skips them.  Addresses outside the pool are ignored.
 * A reserved address already in use stays so until released.  0 always. */
int pool_set_reserved(struct pool *p, const uint32_t *addrs, size_t n);

bool pool_contains(const struct pool *p, uint32_t addr);	/* in range */
bool pool_held(const struct pool *p, uint32_t addr);		/* in use */
size_t pool_size(const struct pool *p);	/* entries */
size_t pool_available(const struct pool *p);	/* pool_alloc()-able now */
size_t pool_used(const struct pool *p);		/* held, outside ones too */

/* The pool server_config_finish() expanded, with the static addresses of
 * c->secrets reserved; max_outside is c->connections.  As pool_new(). */
int server_config_pool_new(const struct server_config *c, struct pool **out)
    MUST_CHECK;

/* After server_config_reload_secrets(): reserves the new static set.
 * 0 or ERR_NOMEM. */
int server_config_pool_sync(const struct server_config *c, struct pool *p)
    MUST_CHECK;

#endif

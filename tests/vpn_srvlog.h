/*
 * vpn_srvlog.h - test support: reading `pptpkit server`'s log lines
 * (key=value words, one line per event; see docs and src/server) out of a
 * vpn_world log file: the session-up lines with their Call IDs and
 * addresses, and any one field of the first or last line of a kind.  Not
 * a protocol module: no RFC here.
 */
#ifndef PPTPKIT_TESTS_VPN_SRVLOG_H
#define PPTPKIT_TESTS_VPN_SRVLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "vpn_world.h"

/* One " event=up " line: the server's Call ID, the client's address on
 * the outside (peer=) and in the tunnel (assigned=). */
struct vpn_up {
	unsigned	call;
	char		peer[20], assigned[20];
};

/* The value of key (with its '=' and a leading space, e.g. " call=") in
 * line, up to the next space, into out (cap bytes); "" when absent. */
void vpn_field(const char *line, const char *key, char *out, size_t cap);

/* The session-up lines of log, at most max of them; their number. */
int vpn_ups_read(const struct vpn_world *w, const char *log,
    struct vpn_up *u, int max);

/* Whether the n lines have nonzero, pairwise distinct Call IDs and, when
 * addrs, an assigned address each, pairwise distinct. */
bool vpn_ups_distinct(const struct vpn_up *u, int n, bool addrs);

/* The number in field key of the first (or, if last, the last) line of
 * log holding kind; -1 when there is none or it has no such field. */
long long vpn_log_value(const struct vpn_world *w, const char *log,
    const char *kind, const char *key, bool last);

#endif

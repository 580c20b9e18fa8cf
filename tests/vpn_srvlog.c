/*
 * vpn_srvlog.c - test support: reading `pptpkit server`'s log lines out
 * of a vpn_world log file (see vpn_srvlog.h).  Not a protocol module: no
 * RFC here.
 */
#include "vpn_srvlog.h"

#include <stdlib.h>
#include <string.h>

void
vpn_field(const char *line, const char *key, char *out, size_t cap)
{
	const char *p = strstr(line, key);
	size_t n = 0;

	if (cap == 0)
		return;
	if (p != NULL)
		for (p += strlen(key); p[n] != '\0' && p[n] != ' ' &&
		    p[n] != '\n' && n + 1 < cap; n++)
			out[n] = p[n];
	out[n] = '\0';
}

int
vpn_ups_read(const struct vpn_world *w, const char *log, struct vpn_up *u,
    int max)
{
	char *text = vpn_log_read(w, log), *line, *save = NULL, v[20];
	int n = 0;

	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL;
	    line != NULL && n < max; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, " event=up ") == NULL)
			continue;
		vpn_field(line, " call=", v, sizeof(v));
		u[n].call = (unsigned)strtoul(v, NULL, 10);
		vpn_field(line, " peer=", u[n].peer, sizeof(u[n].peer));
		vpn_field(line, " assigned=", u[n].assigned,
		    sizeof(u[n].assigned));
		n++;
	}
	free(text);
	return n;
}

bool
vpn_ups_distinct(const struct vpn_up *u, int n, bool addrs)
{
	int i, j;

	for (i = 0; i < n; i++) {
		if (u[i].call == 0 || (addrs && u[i].assigned[0] == '\0'))
			return false;
		for (j = 0; j < i; j++)
			if (u[i].call == u[j].call || (addrs &&
			    strcmp(u[i].assigned, u[j].assigned) == 0))
				return false;
	}
	return true;
}

long long
vpn_log_value(const struct vpn_world *w, const char *log, const char *kind,
    const char *key, bool last)
{
	char *text = vpn_log_read(w, log), *line, *save = NULL, v[24];
	long long n = -1;
	bool seen = false;

	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL;
	    line != NULL && (last || !seen);
	    line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, kind) == NULL)
			continue;
		seen = true;
		vpn_field(line, key, v, sizeof(v));
		n = v[0] >= '0' && v[0] <= '9' ? strtoll(v, NULL, 10) : -1;
	}
	free(text);
	return n;
}

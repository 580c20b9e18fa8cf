/*
 * cfg_t.h - helpers shared by test_server_config.c and
 * test_server_config_secrets.c: a warning collector for the config
 * module's warn callback, and reading a sample file.
 */
#ifndef PPTPKIT_TESTS_CFG_T_H
#define PPTPKIT_TESTS_CFG_T_H

#include <stdbool.h>
#include <stddef.h>

#include "../src/server/config.h"

#define WMAX	64

struct wlog {
	int	n;
	int	line[WMAX];
	char	msg[WMAX][CFG_MSG_MAX + 16];
};

/* The warn callback: records "file:line: msg" in the struct wlog ctx. */
void wlog_cb(void *ctx, const char *file, int line, const char *msg);
/* A recorded warning containing sub on `line` (-1: any); notes the rest. */
bool wlog_has(const struct wlog *w, int line, const char *sub);
/* The file at path (malloc'd, caller frees), or NULL with a note. */
char *slurp(const char *path, size_t *len);

#endif

/*
 * log.h - one event per line, key=value fields, a per-object prefix.
 *
 *   log_msg(LOG_INFO, "ctrl=12 call=7", "call up peer=%s", ip);
 *   -> "2026-11-24T09:30:01Z info ctrl=12 call=7 call up peer=10.0.0.2"
 *
 * Output goes to stderr by default.  Callers escape peer strings with
 * sbuf_escaped() before logging them.  The pure cores do not log; they return
 * events, and the glue logs them.
 */
#ifndef PPTPKIT_BASE_LOG_H
#define PPTPKIT_BASE_LOG_H

#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Lines above `level` are dropped.  Default LOG_INFO. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/*
 * LOG_FMT_JSON writes each line as one JSON object instead:
 *   {"time":"...","level":"info","session":"1","event":"up","msg":"..."}
 * Every key=value token of the prefix and the message becomes a field
 * (a value may be double-quoted with \xNN escapes, as sbuf_escaped writes
 * them); the other words are kept, in order, in "msg".
 */
enum log_format { LOG_FMT_TEXT, LOG_FMT_JSON };
void log_set_format(enum log_format fmt);

/* Sends lines to f (default stderr).  f stays owned by the caller. */
void log_set_file(FILE *f);

/* Writes one line: timestamp, level, prefix (may be NULL or ""), message. */
void log_msg(enum log_level level, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

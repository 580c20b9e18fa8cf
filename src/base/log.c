/*
 * log.c - line logger (see log.h).  Not used by the pure cores.
 */
#include <stdarg.h>
#include <time.h>

#include "log.h"

static enum log_level	log_level = LOG_INFO;
static FILE		*log_file;

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_set_file(FILE *f)
{
	log_file = f;
}

void
log_msg(enum log_level level, const char *prefix, const char *fmt, ...)
{
	static const char *const names[] = {
		[LOG_ERROR] = "error", [LOG_WARN] = "warn",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};
	FILE *f = log_file != NULL ? log_file : stderr;
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	if (level > log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%03ldZ %s ", when, ts.tv_nsec / 1000000, names[level]);
	if (prefix != NULL && prefix[0] != '\0')
		fprintf(f, "%s ", prefix);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

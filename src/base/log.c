/*
 * log.c - line logger (see log.h).  Not used by the pure cores.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "log.h"

static enum log_level	log_level = LOG_INFO;
static enum log_format	log_format = LOG_FMT_TEXT;
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
log_set_format(enum log_format fmt)
{
	log_format = fmt;
}

/* Writes s[0..n) as the inside of a JSON string, undoing the \xNN escapes
 * sbuf_escaped() made so that peer text appears as it was sent. */
static void
log_json_str(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned v;

		if (c == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    isxdigit((unsigned char)s[i + 2]) &&
		    isxdigit((unsigned char)s[i + 3]) &&
		    sscanf(s + i + 2, "%2x", &v) == 1) {
			c = (unsigned char)v;
			i += 3;
		}
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

/* Splits "k=v k2=\"a b\" words" into JSON fields and a "msg" of the rest. */
static void
log_json_line(FILE *f, const char *when, const char *level, const char *text)
{
	char msg[1024];
	size_t mlen = 0;
	const char *p = text;

	fprintf(f, "{\"time\":\"%s\",\"level\":\"%s\"", when, level);
	while (*p != '\0') {
		const char *start, *eq = NULL, *end;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '=')
			p++;
		if (*p == '=' && p > start)
			eq = p;
		if (eq != NULL && eq[1] == '"') {
			/* quoted value: up to the closing unescaped quote */
			for (end = eq + 2; *end != '\0' && *end != '"'; end++)
				if (*end == '\\' && end[1] != '\0')
					end++;
			fputs(",\"", f);
			log_json_str(f, start, (size_t)(eq - start));
			fputs("\":\"", f);
			log_json_str(f, eq + 2, (size_t)(end - eq - 2));
			fputc('"', f);
			p = *end == '"' ? end + 1 : end;
			continue;
		}
		while (*p != '\0' && *p != ' ')
			p++;
		if (eq != NULL) {
			fputs(",\"", f);
			log_json_str(f, start, (size_t)(eq - start));
			fputs("\":\"", f);
			log_json_str(f, eq + 1, (size_t)(p - eq - 1));
			fputc('"', f);
		} else if (mlen + (size_t)(p - start) + 2 < sizeof(msg)) {
			if (mlen > 0)
				msg[mlen++] = ' ';
			memcpy(msg + mlen, start, (size_t)(p - start));
			mlen += (size_t)(p - start);
		}
	}
	if (mlen > 0) {
		fputs(",\"msg\":\"", f);
		log_json_str(f, msg, mlen);
		fputc('"', f);
	}
	fputs("}\n", f);
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
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%03ldZ",
	    ts.tv_nsec / 1000000);
	if (log_format == LOG_FMT_JSON) {
		char text[2048];
		int n = 0;

		if (prefix != NULL && prefix[0] != '\0')
			n = snprintf(text, sizeof(text), "%s ", prefix);
		va_start(ap, fmt);
		vsnprintf(text + n, sizeof(text) - (size_t)n, fmt, ap);
		va_end(ap);
		log_json_line(f, when, names[level], text);
		fflush(f);
		return;
	}
	fprintf(f, "%s %s ", when, names[level]);
	if (prefix != NULL && prefix[0] != '\0')
		fprintf(f, "%s ", prefix);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

/*
 * test_log.c - the line logger: text lines keep key=value order; JSON lines
 * are valid JSON whose fields are the key=value tokens (quoted values with
 * sbuf_escaped's \xNN escapes restored) and whose "msg" keeps the rest.
 */
#include <stdio.h>
#include <stdlib.h>

#include "t.h"
#include "json.h"
#include "../src/base/log.h"
#include "../src/base/sbuf.h"

static char *
capture(enum log_format fmt, const char *prefix, const char *msg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	log_set_file(f);
	log_set_format(fmt);
	log_msg(LOG_INFO, prefix, "%s", msg);
	log_set_file(NULL);
	log_set_format(LOG_FMT_TEXT);
	fclose(f);
	return buf;
}

TEST(log_text_line)
{
	char *line = capture(LOG_FMT_TEXT, "session=7", "event=up peer=10.0.0.2");

	if (!CHECK(line != NULL))
		return;
	CHECK(strstr(line, " info session=7 event=up peer=10.0.0.2\n") != NULL);
	free(line);
}

TEST(log_json_line_fields)
{
	char esc[64];
	char msg[256];
	struct sbuf sb;
	struct json *j;
	char *line;

	/* a peer-supplied user name with a quote and a control character */
	sbuf_init(&sb, esc, sizeof(esc));
	sbuf_escaped(&sb, "al\"ice\x01", 7);
	snprintf(msg, sizeof(msg), "event=down user=\"%s\" reason=admin "
	    "the peer went away", esc);
	line = capture(LOG_FMT_JSON, "session=7 ctrl=3", msg);
	if (!CHECK(line != NULL))
		return;
	j = json_parse(line, strlen(line));
	if (!t_check(j != NULL, __FILE__, __LINE__, "not JSON: %s", line)) {
		free(line);
		return;
	}
	CHECK_STR(json_get(j, "level")->str, "info");
	CHECK(json_get(j, "time") != NULL);
	CHECK_STR(json_get(j, "session")->str, "7");
	CHECK_STR(json_get(j, "ctrl")->str, "3");
	CHECK_STR(json_get(j, "event")->str, "down");
	CHECK_STR(json_get(j, "user")->str, "al\"ice\x01");
	CHECK_STR(json_get(j, "reason")->str, "admin");
	CHECK_STR(json_get(j, "msg")->str, "the peer went away");
	json_free(j);
	free(line);
}

TEST(log_json_survives_odd_text)
{
	static const char *const msgs[] = {
		"", "=", "k=", "=v", "k=\"unterminated", "a b c", "k=\"x\\\"y\"",
		"\\x", "k=\"\\x4\"", "x=1 x=2",
	};

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		char *line = capture(LOG_FMT_JSON, NULL, msgs[i]);
		struct json *j = line ? json_parse(line, strlen(line)) : NULL;

		t_check(j != NULL, __FILE__, __LINE__, "%s -> not JSON: %s",
		    msgs[i], line ? line : "(null)");
		json_free(j);
		free(line);
	}
}

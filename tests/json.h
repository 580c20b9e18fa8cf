/*
 * json.h - a small JSON reader for test fixtures (tests/data/.../expected).
 *
 * Parses a whole document into a tree of nodes in one allocation-per-node
 * pass; json_free releases it.  Enough for the fixtures: objects, arrays,
 * strings (with \u escapes of the BMP), numbers, true/false/null.
 */
#ifndef PPTPKIT_TESTS_JSON_H
#define PPTPKIT_TESTS_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type	 type;
	double		 num;		/* JSON_NUM, JSON_BOOL (0/1) */
	char		*str;		/* JSON_STR; the key's value for members */
	char		*key;		/* set when this node is an object member */
	struct json	*child;		/* first element / member */
	struct json	*next;		/* next sibling */
};

/* Parses text; NULL on a syntax error. */
struct json *json_parse(const char *text, size_t len);
/* Reads and parses a file; NULL on error. */
struct json *json_load(const char *path);
void json_free(struct json *j);

/* Member of an object by key, or NULL. */
struct json *json_get(const struct json *obj, const char *key);
/* Element i of an array, or NULL. */
struct json *json_at(const struct json *arr, size_t i);
size_t json_len(const struct json *arr_or_obj);
/* Number as long long (-1 for null/missing, so compare with care). */
long long json_int(const struct json *j);
bool json_is_null(const struct json *j);

#endif

/*
 * json.c - small recursive-descent JSON reader for test fixtures.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "t.h"

struct jp {
	const char	*s;
	size_t		 n, i;
	int		 depth;
};

static struct json *jp_value(struct jp *p);

static void
jp_ws(struct jp *p)
{
	while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) != NULL)
		p->i++;
}

static struct json *
jnew(enum json_type t)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j != NULL)
		j->type = t;
	return j;
}

static char *
jp_string(struct jp *p)
{
	char *out;
	size_t o = 0;

	if (p->i >= p->n || p->s[p->i] != '"')
		return NULL;
	p->i++;
	if ((out = malloc(p->n - p->i + 1)) == NULL)
		return NULL;
	while (p->i < p->n && p->s[p->i] != '"') {
		char c = p->s[p->i++];

		if (c == '\\' && p->i < p->n) {
			c = p->s[p->i++];
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned v = 0;
				for (int k = 0; k < 4 && p->i < p->n; k++) {
					char h = p->s[p->i++];
					v = v * 16 + (unsigned)(h <= '9' ? h - '0' :
					    (h | 0x20) - 'a' + 10);
				}
				if (v < 0x80) {
					out[o++] = (char)v;
				} else if (v < 0x800) {
					out[o++] = (char)(0xc0 | v >> 6);
					out[o++] = (char)(0x80 | (v & 0x3f));
				} else {
					out[o++] = (char)(0xe0 | v >> 12);
					out[o++] = (char)(0x80 | (v >> 6 & 0x3f));
					out[o++] = (char)(0x80 | (v & 0x3f));
				}
				continue;
			}
			default: break;
			}
		}
		out[o++] = c;
	}
	if (p->i >= p->n) {
		free(out);
		return NULL;
	}
	p->i++;
	out[o] = '\0';
	return out;
}

static struct json *
jp_container(struct jp *p, bool obj)
{
	struct json *j = jnew(obj ? JSON_OBJ : JSON_ARR), **tail;
	char close = obj ? '}' : ']';

	if (j == NULL || ++p->depth > 64)
		goto fail;
	tail = &j->child;
	p->i++;
	jp_ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		p->depth--;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		jp_ws(p);
		if (obj) {
			if ((key = jp_string(p)) == NULL)
				goto fail;
			jp_ws(p);
			if (p->i >= p->n || p->s[p->i] != ':') {
				free(key);
				goto fail;
			}
			p->i++;
		}
		if ((v = jp_value(p)) == NULL) {
			free(key);
			goto fail;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		jp_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			p->depth--;
			return j;
		}
		goto fail;
	}
fail:
	json_free(j);
	return NULL;
}

static struct json *
jp_value(struct jp *p)
{
	struct json *j;

	jp_ws(p);
	if (p->i >= p->n)
		return NULL;
	switch (p->s[p->i]) {
	case '{':
		return jp_container(p, true);
	case '[':
		return jp_container(p, false);
	case '"':
		if ((j = jnew(JSON_STR)) == NULL)
			return NULL;
		if ((j->str = jp_string(p)) == NULL) {
			free(j);
			return NULL;
		}
		return j;
	}
	if (p->n - p->i >= 4 && memcmp(p->s + p->i, "null", 4) == 0) {
		p->i += 4;
		return jnew(JSON_NULL);
	}
	if (p->n - p->i >= 4 && memcmp(p->s + p->i, "true", 4) == 0) {
		p->i += 4;
		if ((j = jnew(JSON_BOOL)) != NULL)
			j->num = 1;
		return j;
	}
	if (p->n - p->i >= 5 && memcmp(p->s + p->i, "false", 5) == 0) {
		p->i += 5;
		return jnew(JSON_BOOL);
	}
	{
		char buf[64], *end;
		size_t k = 0;

		while (p->i < p->n && k < sizeof(buf) - 1 &&
		    strchr("+-0123456789.eE", p->s[p->i]) != NULL)
			buf[k++] = p->s[p->i++];
		buf[k] = '\0';
		if (k == 0 || (j = jnew(JSON_NUM)) == NULL)
			return NULL;
		j->num = strtod(buf, &end);
		if (*end != '\0') {
			free(j);
			return NULL;
		}
		return j;
	}
}

struct json *
json_parse(const char *text, size_t len)
{
	struct jp p = { text, len, 0, 0 };
	struct json *j = jp_value(&p);

	jp_ws(&p);
	if (j != NULL && p.i != p.n) {
		json_free(j);
		return NULL;
	}
	return j;
}

struct json *
json_load(const char *path)
{
	size_t len;
	uint8_t *buf = t_read_file(path, &len);
	struct json *j;

	if (buf == NULL)
		return NULL;
	j = json_parse((const char *)buf, len);
	free(buf);
	return j;
}

void
json_free(struct json *j)
{
	while (j != NULL) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->str);
		free(j->key);
		free(j);
		j = next;
	}
}

struct json *
json_get(const struct json *obj, const char *key)
{
	struct json *c;

	if (obj == NULL || obj->type != JSON_OBJ)
		return NULL;
	for (c = obj->child; c != NULL; c = c->next)
		if (strcmp(c->key, key) == 0)
			return c;
	return NULL;
}

struct json *
json_at(const struct json *arr, size_t i)
{
	struct json *c;

	if (arr == NULL || (arr->type != JSON_ARR && arr->type != JSON_OBJ))
		return NULL;
	for (c = arr->child; c != NULL && i > 0; c = c->next)
		i--;
	return c;
}

size_t
json_len(const struct json *j)
{
	size_t n = 0;

	if (j == NULL)
		return 0;
	for (struct json *c = j->child; c != NULL; c = c->next)
		n++;
	return n;
}

long long
json_int(const struct json *j)
{
	if (j == NULL || (j->type != JSON_NUM && j->type != JSON_BOOL))
		return -1;
	return (long long)j->num;
}

bool
json_is_null(const struct json *j)
{
	return j == NULL || j->type == JSON_NULL;
}

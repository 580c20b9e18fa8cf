/*
 * t_main.c - runner for the harness of t.h: registers, runs, reports.
 *
 * Usage: test_x [-v] [substring]   runs the tests whose names contain it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "../src/base/hex.h"

#define T_MAX	1024

struct t_case {
	const char	*name;
	void		(*fn)(void);
};

static struct t_case	t_cases[T_MAX];
static int		t_ncases;
static int		t_failed_checks;	/* in the current test */
static const char	*t_current;
static int		t_verbose;

void
t_register(const char *name, void (*fn)(void))
{
	if (t_ncases == T_MAX) {
		fprintf(stderr, "t: too many tests (max %d)\n", T_MAX);
		abort();
	}
	t_cases[t_ncases].name = name;
	t_cases[t_ncases].fn = fn;
	t_ncases++;
}

bool
t_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	t_failed_checks++;
	printf("    %s:%d: %s: check failed: ", file, line, t_current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

bool
t_check_mem(const void *got, const void *want, size_t n, const char *file,
    int line, const char *what)
{
	const unsigned char *g = got, *w = want;
	size_t i;

	if (memcmp(got, want, n) == 0)
		return true;
	for (i = 0; i < n && g[i] == w[i]; i++)
		;
	t_check(false, file, line, "%s differs at byte %zu of %zu", what, i, n);
	printf("      got: ");
	for (size_t j = 0; j < n && j < 64; j++)
		printf("%02x", g[j]);
	printf("\n     want: ");
	for (size_t j = 0; j < n && j < 64; j++)
		printf("%02x", w[j]);
	printf("\n");
	return false;
}

void
t_note(const char *fmt, ...)
{
	va_list ap;

	if (!t_verbose)
		return;
	printf("      note: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int
t_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *hex != '\0'; hex++) {
		if (*hex == ' ' || *hex == '\n' || *hex == ':' || *hex == '\t')
			continue;
		if ((v = hex_digit(*hex)) < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

uint8_t *
t_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	if ((buf = malloc((size_t)n + 1)) == NULL)
		goto out;
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
		goto out;
	}
	*len = (size_t)n;
out:
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	const char *filter = NULL, *prog = strrchr(argv[0], '/');
	int passed = 0, failed = 0, i;

	prog = prog != NULL ? prog + 1 : argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			t_verbose = 1;
		else
			filter = argv[i];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < t_ncases; i++) {
		if (filter != NULL && strstr(t_cases[i].name, filter) == NULL)
			continue;
		t_current = t_cases[i].name;
		t_failed_checks = 0;
		t_cases[i].fn();
		if (t_failed_checks == 0) {
			passed++;
			if (t_verbose)
				printf("  ok   %s\n", t_current);
		} else {
			failed++;
			printf("  FAIL %s (%d checks)\n", t_current,
			    t_failed_checks);
		}
	}
	printf("%s: %d passed, %d failed\n", prog, passed, failed);
	return failed == 0 ? 0 : 1;
}

/*
 * t.h - the tiny test harness every tests/test_*.c uses.
 *
 *   TEST(rd_reads_big_endian) {
 *           CHECK_EQ(x, 0x1234);
 *           CHECK_MEM(out, expected, 16);
 *           CHECK_OK(pptp_ctrl_decode(&r, &m));
 *   }
 *
 * Each test file is its own binary (its main() is in t_main.c).  A test
 * passes when none of its checks failed; a failed check prints file:line and
 * the values, and the test goes on so one run shows every failure.  The last
 * line is "<binary>: N passed, N failed"; `make check` adds them up.
 *
 * Test data: T_SHARED is ../shared (the captures and research), T_DATA is
 * tests/data in this tree.
 */
#ifndef PPTPKIT_TESTS_T_H
#define PPTPKIT_TESTS_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../src/base/err.h"

#ifndef T_DATA
#define T_DATA "tests/data"
#endif

void t_register(const char *name, void (*fn)(void));
bool t_check(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool t_check_mem(const void *got, const void *want, size_t n,
    const char *file, int line, const char *what);
/* Prints a note under the current test (shown on failure or with -v). */
void t_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses hex ("00 1a 2b", "001a2b", "0x..."-free) into out; returns length
 * or -1 on bad input / no room. */
int t_unhex(const char *hex, uint8_t *out, size_t cap);
/* Reads a whole file into a malloc'd buffer; NULL on error.  Caller frees. */
uint8_t *t_read_file(const char *path, size_t *len);

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void name##_register(void)	\
	{ t_register(#name, name); }					\
	static void name(void)

#define CHECK(cond)							\
	t_check((cond), __FILE__, __LINE__, "%s", #cond)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	t_check(_a == _b, __FILE__, __LINE__, "%s == %s (%lld != %lld)",	\
	    #a, #b, _a, _b);						\
} while (0)

#define CHECK_OK(expr) do {						\
	int _r = (expr);						\
	t_check(_r == 0, __FILE__, __LINE__, "%s returned %d (%s)",	\
	    #expr, _r, err_str(_r));					\
} while (0)

#define CHECK_ERR(expr, want) do {					\
	int _r = (expr), _w = (want);					\
	t_check(_r == _w, __FILE__, __LINE__,				\
	    "%s returned %d (%s), want %d (%s)", #expr, _r, err_str(_r),	\
	    _w, err_str(_w));						\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	t_check(_a != NULL && _b != NULL && strcmp(_a, _b) == 0,	\
	    __FILE__, __LINE__, "%s == %s (\"%s\" != \"%s\")", #a, #b,	\
	    _a ? _a : "(null)", _b ? _b : "(null)");			\
} while (0)

#define CHECK_MEM(got, want, n)						\
	t_check_mem((got), (want), (n), __FILE__, __LINE__, #got)

#endif

/*
 * hex.c - hexadecimal digits and strings of them (hex.h).
 */
#include "hex.h"
#include "secret.h"

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
hex_decode(const void *s, uint8_t *out, size_t n)
{
	const unsigned char *p = s;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hex_digit(p[2 * i])) < 0 ||
		    (lo = hex_digit(p[2 * i + 1])) < 0) {
			secret_wipe(out, n);
			return ERR_FORMAT;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

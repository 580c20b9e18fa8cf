/*
 * test_hex.c - hex digits and hex strings (src/base/hex.h): every digit
 * of both cases and every other octet value, an NT hash decoded, odd
 * characters anywhere in the string refused with the output wiped, a
 * string that is not NUL-terminated read no further than 2 * n.
 */
#include <string.h>

#include "t.h"
#include "../src/base/hex.h"

TEST(hex_digit_every_octet)
{
	static const char digits[] = "0123456789abcdef";
	int c, ok = 0;

	for (c = 0; c < 16; c++) {
		CHECK_EQ(hex_digit(digits[c]), c);
		if (c >= 10)
			CHECK_EQ(hex_digit(digits[c] - 'a' + 'A'), c);
	}
	for (c = -1; c < 256; c++)
		if (hex_digit(c) >= 0)
			ok++;
	CHECK_EQ(ok, 22);	/* 10 digits and 6 letters of each case */
	CHECK_EQ(hex_digit('g'), -1);
	CHECK_EQ(hex_digit('G'), -1);
	CHECK_EQ(hex_digit('/'), -1);	/* '0' - 1 */
	CHECK_EQ(hex_digit(':'), -1);	/* '9' + 1 */
	CHECK_EQ(hex_digit('@'), -1);	/* 'A' - 1 */
	CHECK_EQ(hex_digit('`'), -1);	/* 'a' - 1 */
	CHECK_EQ(hex_digit(0xe0), -1);
	CHECK_EQ(hex_digit(-1), -1);
}

/* RFC 2759 8.7's PasswordHash of "clientPass", in mixed case. */
TEST(hex_decode_nt_hash)
{
	static const uint8_t want[16] = { 0x44, 0xeb, 0xba, 0x8d, 0x53,
	    0x12, 0xb8, 0xd6, 0x11, 0x47, 0x44, 0x11, 0xf5, 0x69, 0x89,
	    0xae };
	uint8_t out[16];

	CHECK_OK(hex_decode("44EBBA8D5312b8d611474411f56989ae", out, 16));
	CHECK_MEM(out, want, 16);
	CHECK_OK(hex_decode("", out, 0));
}

TEST(hex_decode_refuses_and_wipes)
{
	static const uint8_t zero[4] = { 0 };
	static const char *const bad[] = {
		"x0112233",	/* first digit */
		"0x112233",	/* "0x" is not hex */
		"0011223g",	/* last digit */
		"00 11 22",	/* no spaces */
		"001122",	/* too short: the NUL is not a digit */
	};
	uint8_t out[4];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 0xaa, sizeof(out));
		CHECK_ERR(hex_decode(bad[i], out, 4), ERR_FORMAT);
		CHECK_MEM(out, zero, 4);
	}
}

TEST(hex_decode_reads_no_further)
{
	const char s[4] = { 'a', 'B', 'c', 'D' };	/* no NUL */
	uint8_t out[3] = { 0, 0, 0x77 };

	CHECK_OK(hex_decode(s, out, 2));
	CHECK_EQ(out[0], 0xab);
	CHECK_EQ(out[1], 0xcd);
	CHECK_EQ(out[2], 0x77);		/* only out[n] is written */
}

/*
 * test_cursor.c - the rd/wr cursors: every read bounded, every write bounded,
 * big-endian order, sub-cursors, fixed strings, back-patched lengths.
 */
#include "t.h"
#include "../src/wire/cursor.h"

TEST(rd_reads_big_endian_integers)
{
	static const uint8_t in[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	struct rd r;
	uint8_t a;
	uint16_t b;
	uint32_t c;

	rd_init(&r, in, sizeof(in));
	CHECK_OK(rd_u8(&r, &a));
	CHECK_OK(rd_u16(&r, &b));
	CHECK_OK(rd_u32(&r, &c));
	CHECK_EQ(a, 0x01);
	CHECK_EQ(b, 0x0203);
	CHECK_EQ(c, 0x04050607);
	CHECK_EQ(rd_left(&r), 0);
	CHECK_OK(rd_end(&r));
}

TEST(rd_short_read_consumes_nothing)
{
	static const uint8_t in[] = { 0xaa, 0xbb, 0xcc };
	struct rd r;
	uint32_t v = 0x11111111;
	uint16_t h;

	rd_init(&r, in, sizeof(in));
	CHECK_ERR(rd_u32(&r, &v), ERR_TRUNCATED);
	CHECK_EQ(v, 0x11111111);
	CHECK_EQ(rd_offset(&r), 0);
	CHECK_OK(rd_u16(&r, &h));
	CHECK_ERR(rd_u16(&r, &h), ERR_TRUNCATED);
	CHECK_EQ(rd_left(&r), 1);
	CHECK_ERR(rd_end(&r), ERR_TRAILING);
	CHECK_ERR(rd_skip(&r, 2), ERR_TRUNCATED);
	CHECK_OK(rd_skip(&r, 1));
	CHECK_OK(rd_end(&r));
}

TEST(rd_empty_and_null)
{
	struct rd r;
	uint8_t b;

	rd_init(&r, NULL, 100);
	CHECK_EQ(rd_left(&r), 0);
	CHECK_ERR(rd_u8(&r, &b), ERR_TRUNCATED);
	CHECK_ERR(rd_peek_u8(&r, &b), ERR_TRUNCATED);
	CHECK_OK(rd_end(&r));
}

TEST(rd_sub_cursor_is_fenced)
{
	static const uint8_t in[] = { 1, 2, 3, 4, 5, 6 };
	struct rd r, sub;
	uint16_t v;
	uint8_t b;

	rd_init(&r, in, sizeof(in));
	CHECK_OK(rd_skip(&r, 1));
	CHECK_OK(rd_sub(&r, 3, &sub));
	CHECK_EQ(rd_left(&sub), 3);
	CHECK_OK(rd_u16(&sub, &v));
	CHECK_EQ(v, 0x0203);
	CHECK_ERR(rd_u16(&sub, &v), ERR_TRUNCATED);	/* byte 5 is outside */
	CHECK_OK(rd_u8(&sub, &b));
	CHECK_EQ(b, 4);
	CHECK_OK(rd_u8(&r, &b));			/* parent moved on */
	CHECK_EQ(b, 5);
	CHECK_ERR(rd_sub(&r, 2, &sub), ERR_TRUNCATED);
	rd_rest(&r, &sub);
	CHECK_EQ(rd_left(&sub), 1);
	CHECK_EQ(rd_left(&r), 0);
}

TEST(rd_bytes_ptr_peek)
{
	static const uint8_t in[] = { 9, 8, 7, 6 };
	const uint8_t *p;
	uint8_t out[2], b;
	uint16_t h;
	struct rd r;

	rd_init(&r, in, sizeof(in));
	CHECK_OK(rd_peek_u16(&r, &h));
	CHECK_EQ(h, 0x0908);
	CHECK_OK(rd_peek_u8(&r, &b));
	CHECK_EQ(b, 9);
	CHECK_EQ(rd_offset(&r), 0);
	CHECK_OK(rd_bytes(&r, out, 2));
	CHECK_MEM(out, in, 2);
	CHECK(rd_cur(&r) == in + 2);
	CHECK_ERR(rd_ptr(&r, &p, 3), ERR_TRUNCATED);
	CHECK_OK(rd_ptr(&r, &p, 2));
	CHECK(p == in + 2);
	CHECK_OK(rd_bytes(&r, out, 0));
}

TEST(rd_fixed_str_keeps_every_byte)
{
	uint8_t in[8] = { 'a', 'b', 0, 'x', 'y', 0, 0, 0 };
	char s[9], small[8];
	struct rd r;

	rd_init(&r, in, sizeof(in));
	CHECK_ERR(rd_fixed_str(&r, 8, small, sizeof(small)), ERR_INVAL);
	CHECK_EQ(rd_offset(&r), 0);
	CHECK_OK(rd_fixed_str(&r, 8, s, sizeof(s)));
	CHECK_STR(s, "ab");
	CHECK_MEM(s, in, 8);		/* garbage after the NUL kept */
	CHECK_EQ(s[8], 0);
	rd_init(&r, in, 4);
	CHECK_ERR(rd_fixed_str(&r, 8, s, sizeof(s)), ERR_TRUNCATED);
}

TEST(wr_writes_big_endian_and_stops_at_capacity)
{
	static const uint8_t want[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	uint8_t buf[8];
	struct wr w;

	memset(buf, 0xee, sizeof(buf));
	wr_init(&w, buf, 7);
	CHECK_OK(wr_u8(&w, 0x01));
	CHECK_OK(wr_u16(&w, 0x0203));
	CHECK_OK(wr_u32(&w, 0x04050607));
	CHECK_MEM(buf, want, 7);
	CHECK_EQ(wr_len(&w), 7);
	CHECK_OK(wr_error(&w));
	CHECK_ERR(wr_u8(&w, 0x99), ERR_NOSPACE);
	CHECK_EQ(buf[7], 0xee);			/* nothing past capacity */
	CHECK_ERR(wr_error(&w), ERR_NOSPACE);	/* sticky */
	CHECK_ERR(wr_bytes(&w, want, 0), ERR_NOSPACE);
	CHECK_EQ(wr_len(&w), 7);
}

TEST(wr_partial_field_is_not_written)
{
	uint8_t buf[3] = { 0xee, 0xee, 0xee };
	struct wr w;

	wr_init(&w, buf, 3);
	CHECK_OK(wr_u16(&w, 0x1234));
	CHECK_ERR(wr_u16(&w, 0x5678), ERR_NOSPACE);
	CHECK_EQ(buf[2], 0xee);
	CHECK_EQ(wr_len(&w), 2);
}

TEST(wr_fixed_str_pads_and_truncates)
{
	uint8_t buf[16];
	struct wr w;

	memset(buf, 0xee, sizeof(buf));
	wr_init(&w, buf, sizeof(buf));
	CHECK_OK(wr_fixed_str(&w, "abc", 6));
	CHECK_OK(wr_fixed_str(&w, "toolongname", 4));
	CHECK_MEM(buf, "abc\0\0\0tool", 10);
	CHECK_EQ(wr_len(&w), 10);
	CHECK_OK(wr_zero(&w, 2));
	CHECK_EQ(buf[10], 0);
	CHECK_EQ(buf[11], 0);
}

TEST(wr_back_patched_lengths)
{
	uint8_t buf[300];
	size_t at16, at8, start;
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	CHECK_OK(wr_reserve_u16(&w, &at16));
	CHECK_OK(wr_u16(&w, 0xc021));
	start = wr_len(&w);
	CHECK_OK(wr_u8(&w, 1));
	CHECK_OK(wr_reserve_u8(&w, &at8));
	CHECK_OK(wr_u32(&w, 0xdeadbeef));
	CHECK_OK(wr_patch_len8(&w, at8, start));
	CHECK_OK(wr_patch_len16(&w, at16, 0));
	CHECK_EQ(buf[0] << 8 | buf[1], 10);
	CHECK_EQ(buf[5], 6);
	CHECK_OK(wr_zero(&w, 260));
	CHECK_ERR(wr_patch_len8(&w, at8, start), ERR_RANGE);
	CHECK_ERR(wr_error(&w), ERR_RANGE);
}

TEST(wr_patch_out_of_range_is_refused)
{
	uint8_t buf[4];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	CHECK_OK(wr_u8(&w, 0));
	CHECK_ERR(wr_patch_u16(&w, 0, 5), ERR_INVAL);	/* only 1 byte written */
}

TEST(rd_wr_round_trip_all_values)
{
	uint8_t buf[6];
	struct wr w;
	struct rd r;
	uint32_t i, v32;
	uint16_t v16;
	int bad = 0;

	for (i = 0; i < 70000; i += 7) {
		wr_init(&w, buf, sizeof(buf));
		(void)wr_u16(&w, (uint16_t)i);
		(void)wr_u32(&w, i * 2654435761u);
		rd_init(&r, buf, wr_len(&w));
		if (rd_u16(&r, &v16) != 0 || rd_u32(&r, &v32) != 0 ||
		    v16 != (uint16_t)i || v32 != i * 2654435761u)
			bad++;
	}
	CHECK_EQ(bad, 0);
}

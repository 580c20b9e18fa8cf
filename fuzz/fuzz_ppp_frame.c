/*
 * fuzz_ppp_frame.c - the PPP frame header, RFC 1661 2, 6.5, 6.6 and RFC
 * 1662 3.1: a decoded header re-encodes with the decoded ACFC/PFC choices
 * to exactly the input's header octets (LCP always to FF 03 C0 21, which
 * the encoder never compresses), the information field is the rest, and
 * the header prints.
 */
#include <string.h>

#include "fuzz_common.h"
#include "../src/wire/ppp_frame.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[PPP_FRAME_HDR_MAX];
	char text[128];
	struct ppp_frame f;
	struct rd r, info;
	struct sbuf sb;
	struct wr w;
	size_t hlen;
	int ret;

	rd_init(&r, data, size);
	ret = ppp_frame_decode(&r, &f, &info);
	if (ret != 0) {
		FUZZ_ASSERT(ret != ERR_PROTO || !ppp_proto_valid(f.proto));
		return 0;
	}
	FUZZ_ASSERT(ppp_proto_valid(f.proto) && rd_left(&r) == 0);
	hlen = (f.acf ? 2 : 0) + (f.pfc ? 1 : 2);
	FUZZ_ASSERT(hlen + rd_left(&info) == size);
	wr_init(&w, out, sizeof(out));
	FUZZ_ASSERT(ppp_frame_encode(&w, f.proto, !f.acf, f.pfc) == 0);
	if (f.proto == PPP_LCP)
		FUZZ_ASSERT(wr_len(&w) == 4 && memcmp(out, "\xff\x03\xc0\x21", 4) == 0);
	else
		FUZZ_ASSERT(wr_len(&w) == hlen && memcmp(out, data, hlen) == 0);
	sbuf_init(&sb, text, sizeof(text));
	ppp_frame_print(&f, &sb);
	FUZZ_ASSERT(!sb.truncated);
	return 0;
}

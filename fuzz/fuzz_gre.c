/*
 * fuzz_gre.c - the enhanced GRE header, RFC 2637 section 4.1: a decoded
 * header re-encodes to exactly the input's header octets, the payload lies
 * inside the input, the header prints, and the payload goes on to the PPP
 * frame decoder (RFC 1661 2) as it would in the data path.
 */
#include <string.h>

#include "fuzz_common.h"
#include "../src/wire/gre.h"
#include "../src/wire/ppp_frame.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[GRE_HDR_MAX];
	char text[256];
	struct gre_hdr h;
	struct ppp_frame f;
	struct rd r, payload, info;
	struct sbuf sb;
	struct wr w;
	size_t hlen;

	rd_init(&r, data, size);
	if (gre_decode(&r, &h, &payload) != 0)
		return 0;
	hlen = gre_hdr_len(&h);
	FUZZ_ASSERT(rd_left(&r) == 0);
	FUZZ_ASSERT(hlen + h.payload_len + h.trailing == size);
	FUZZ_ASSERT(rd_cur(&payload) == data + hlen);
	FUZZ_ASSERT(rd_left(&payload) == h.payload_len);
	wr_init(&w, out, sizeof(out));
	FUZZ_ASSERT(gre_encode(&w, &h) == 0);
	FUZZ_ASSERT(wr_len(&w) == hlen && memcmp(out, data, hlen) == 0);
	sbuf_init(&sb, text, sizeof(text));
	gre_print(&h, &sb);
	if (h.payload_len != 0 && ppp_frame_decode(&payload, &f, &info) == 0)
		ppp_frame_print(&f, &sb);
	FUZZ_ASSERT(!sb.truncated);
	return 0;
}

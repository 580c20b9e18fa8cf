/*
 * fuzz_pptp_ctrl.c - PPTP control messages, RFC 2637 section 2: the stream
 * framer and the decoder must agree, a framed message must decode, re-encode
 * to exactly its input bytes, and print.
 */
#include <string.h>

#include "fuzz_common.h"
#include "../src/wire/pptp_msg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[PPTP_MAX_MSG_LEN];
	char text[PPTP_MSG_PRINT_MAX];
	struct pptp_msg m;
	struct sbuf sb;
	struct rd r;
	struct wr w;
	size_t len = 0;
	int fret, dret;

	fret = pptp_msg_frame(data, size, &len);
	rd_init(&r, data, size);
	dret = pptp_msg_decode(&r, &m);
	if (fret != 0) {
		FUZZ_ASSERT(dret == fret);
		return 0;
	}
	FUZZ_ASSERT(len >= PPTP_HDR_LEN && len <= PPTP_MAX_MSG_LEN);
	FUZZ_ASSERT(dret == (len > size ? ERR_TRUNCATED :
	    len < size ? ERR_TRAILING : 0));
	if (len > size)
		return 0;
	rd_init(&r, data, len);			/* the first message alone */
	FUZZ_ASSERT(pptp_msg_decode(&r, &m) == 0);
	wr_init(&w, out, sizeof(out));
	FUZZ_ASSERT(pptp_msg_encode(&w, &m) == 0);
	FUZZ_ASSERT(wr_len(&w) == len && memcmp(out, data, len) == 0);
	(void)pptp_msg_check_reserved(&m);
	sbuf_init(&sb, text, sizeof(text));
	pptp_msg_print(&m, &sb);
	FUZZ_ASSERT(!sb.truncated);
	return 0;
}

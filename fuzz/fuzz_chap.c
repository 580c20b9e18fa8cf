/*
 * fuzz_chap.c - PAP (RFC 1334 2) or CHAP (RFC 1994 4), picked by the first byte: a decoded packet
 * re-encodes to its first Length octets and prints; CHAP Values go through the MD5, MS-CHAPv1/v2 and
 * Change-Password layouts (RFC 2433 3, RFC 2759 4, 7), messages through the S=/E= parsers (RFC 2759
 * 5, 6), whose output formats and parses again to the same fields.
 */
#include <string.h>

#include "fuzz_common.h"
#include "../src/wire/ppp_auth.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65536], txt[1024];
	char text[4096], mt[300], mt2[300];
	uint8_t ar[20], ar2[20], v[16];
	struct pap_msg p; struct chap_msg c; struct mschap_failure f, g;
	struct mschapv1_response v1; struct mschapv2_response v2;
	struct mschapv2_chpass cp; struct rd r; struct wr w, t; struct sbuf sb;
	const char *user; size_t ulen; bool chap = size > 0 && (data[0] & 1);

	rd_init(&r, data + (size > 0), size - (size > 0));
	sbuf_init(&sb, text, sizeof(text)); wr_init(&w, out, sizeof(out)); wr_init(&t, txt, sizeof(txt));
	if (size < 1 || (chap ? chap_msg_decode(&r, &c) : pap_msg_decode(&r, &p)) != 0)
		return 0;
	FUZZ_ASSERT((chap ? chap_msg_encode(&w, &c) : pap_msg_encode(&w, &p)) == 0);
	FUZZ_ASSERT(wr_len(&w) == ((size_t)data[3] << 8 | data[4]) && memcmp(out, data + 1, wr_len(&w)) == 0);
	if (!chap) return pap_msg_print(&p, &sb), 0;
	chap_msg_print(&c, &sb);
	FUZZ_ASSERT(chap_md5_response_decode(c.value, c.value_len, v) != 0 || c.value_len == 16);
	FUZZ_ASSERT(mschapv1_challenge_decode(c.value, c.value_len, v) != 0 || c.value_len == 8);
	if (mschapv1_response_decode(c.value, c.value_len, &v1) == 0) mschapv1_response_print(&v1, &sb);
	if (mschapv2_response_decode(c.value, c.value_len, &v2) == 0) mschapv2_response_print(&v2, &sb);
	if (mschapv2_chpass_decode(c.value, c.value_len, &cp) == 0) mschapv2_chpass_print(&cp, &sb);
	mschap_split_domain((const char *)c.name, c.name_len, &user, &ulen); FUZZ_ASSERT(ulen <= c.name_len);
	if (mschapv2_success_parse(c.message, c.message_len, ar, mt, sizeof(mt)) == 0) {
		FUZZ_ASSERT(mschapv2_success_format(&t, ar, mt) == 0 &&
		    mschapv2_success_parse(txt, wr_len(&t), ar2, mt2, sizeof(mt2)) == 0 &&
		    memcmp(ar, ar2, 20) == 0 && strcmp(mt, mt2) == 0);
	} else if (mschap_failure_parse(c.message, c.message_len, &f) == 0) {
		mschap_failure_print(&f, &sb);
		FUZZ_ASSERT(mschap_failure_format(&t, &f) == 0 && mschap_failure_parse(txt, wr_len(&t), &g) == 0);
		FUZZ_ASSERT(f.error == g.error && f.retry == g.retry && f.version == g.version &&
		    f.challenge_len == g.challenge_len && memcmp(f.challenge, g.challenge, 16) == 0 &&
		    f.has_message == g.has_message && strcmp(f.message, g.message) == 0);
	}
	return 0;
}

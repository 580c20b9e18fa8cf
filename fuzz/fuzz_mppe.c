/* fuzz_mppe.c - the MPPE receiver, RFC 3078 sections 3, 7, 8.  Byte 0: bits,
 * stateless/stateful, rekey bound; then packets (a length octet, the octets)
 * decrypted in place: no crash, bounded rekeys, what decrypts re-encrypts. */
#include <string.h>

#include "fuzz_common.h"
#include "../src/crypto/mppe.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bits[4] = { 40, 56, 128, 128 };
	uint8_t key[MPPE_KEY_MAX], pkt[256], sealed[260];
	struct mppe_dir rx, tx;
	size_t off = 1, len, outlen;
	struct rd r;
	struct wr w;

	if (size < 1)
		return 0;
	memset(key, 0xa5, sizeof(key));	/* a fixed key for every input */
	FUZZ_ASSERT(mppe_dir_init(&rx, key, bits[data[0] & 3], data[0] & 4) == 0);
	FUZZ_ASSERT(mppe_dir_init(&tx, key, bits[data[0] & 3], data[0] & 4) == 0);
	if (data[0] >> 3)
		FUZZ_ASSERT(mppe_dir_set_max_gap(&rx, (data[0] >> 3) * 64u) == 0);
	for (; off < size; off += len) {
		uint32_t before = rx.rekeys;

		len = data[off++];
		if (len > size - off)
			len = size - off;
		memcpy(pkt, data + off, len);
		rd_init(&r, pkt, len);
		if (mppe_decrypt(&rx, &r, pkt, sizeof(pkt), &outlen) != 0) {
			FUZZ_ASSERT(outlen == 0 && rd_offset(&r) == 0);
			if (mppe_dir_want_reset(&rx))
				mppe_dir_reset(&tx);
		} else {
			FUZZ_ASSERT(outlen + 2 == len && rd_left(&r) == 0);
			wr_init(&w, sealed, sizeof(sealed));
			FUZZ_ASSERT(mppe_encrypt(&tx, pkt, outlen, &w) == 0);
			FUZZ_ASSERT(wr_len(&w) == len);
		}
		FUZZ_ASSERT(rx.rekeys - before <= rx.max_gap);
	}
	mppe_dir_fini(&rx);
	mppe_dir_fini(&tx);
	return 0;
}

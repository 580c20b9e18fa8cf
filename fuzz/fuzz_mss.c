/* fuzz_mss.c - TCP MSS clamping (RFC 9293 3.7.1, RFC 1624 3) on any input:
 * no read past it; if changed, the TCP checksum (a reference for IPv4 and
 * plain IPv6, the whole-packet one's complement sum for all) is right iff it
 * was, and a second clamp is a no-op. */
#include <string.h>
#include "fuzz_common.h"
#include "../src/wire/ip.h"

static uint64_t
sum16(const uint8_t *p, size_t n, uint64_t s)
{
	for (size_t i = 0; i < n; i++)
		s += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (s > 0xffff)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* 1 if the TCP checksum verifies, 0 if not, -1 if not placed here. */
static int
ref_ok(const uint8_t *p, size_t len)
{
	bool v4 = len >= 20 && p[0] >> 4 == 4 && p[9] == IP_PROTO_TCP;
	bool v6 = len >= 40 && p[0] >> 4 == 6 && p[6] == IP_PROTO_TCP;
	size_t l4 = v4 ? (p[0] & 15) * 4u : 40, end = !v4 && !v6 ? 0 : v4 ?
	    (size_t)(p[2] << 8 | p[3]) : 40 + (size_t)(p[4] << 8 | p[5]);

	if ((!v4 && !v6) || l4 < 20 || end < l4 || end > len)
		return -1;
	return sum16(p + l4, end - l4, sum16(v4 ? p + 12 : p + 8, v4 ? 8 : 32,
	    IP_PROTO_TCP + (uint32_t)(end - l4))) == 0xffff;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);
	bool changed, again;
	int before = ref_ok(data, size);

	FUZZ_ASSERT(p != NULL);
	memcpy(p, data, size);
	FUZZ_ASSERT(ip_mss_clamp(p, size, 1360, 1220, &changed) == 0);
	FUZZ_ASSERT(changed ? ref_ok(p, size) == before &&
	    sum16(p, size, 0) == sum16(data, size, 0) : !memcmp(p, data, size));
	FUZZ_ASSERT(ip_mss_clamp(p, size, 1360, 1220, &again) == 0 && !again);
	free(p);
	return 0;
}

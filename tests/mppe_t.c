/*
 * mppe_t.c - helpers shared by the MPPE transform tests (mppe_t.h).
 */
#include "t.h"
#include "mppe_t.h"

/* The RFC 2759 9.2 user's keys: the server's send key (Magic3). */
void
mppe_t_server_send_key(unsigned bits, uint8_t key[16])
{
	uint8_t hh[16], ntr[24], recv[16];

	CHECK_EQ(t_unhex(PW_HASH_HASH, hh, 16), 16);
	CHECK_EQ(t_unhex(NT_RESPONSE, ntr, 24), 24);
	CHECK_OK(mppe_keys_from_mschapv2(hh, ntr, true, bits, key, recv));
}

int
mppe_t_seal(struct mppe_dir *d, const uint8_t *in, size_t len, uint8_t *pkt,
    size_t *pktlen)
{
	struct wr w;
	int ret;

	wr_init(&w, pkt, PKT_MAX);
	ret = mppe_encrypt(d, in, len, &w);
	*pktlen = wr_len(&w);
	return ret;
}

int
mppe_t_open(struct mppe_dir *d, const uint8_t *pkt, size_t pktlen, uint8_t *out,
    size_t *outlen)
{
	struct rd r;

	rd_init(&r, pkt, pktlen);
	return mppe_decrypt(d, &r, out, PKT_MAX, outlen);
}

/* Packet n's plaintext: a protocol field and n-dependent bytes. */
size_t
mppe_t_plain(unsigned n, uint8_t *p)
{
	size_t len = 2 + (n * 37u) % 1450, i;
	uint32_t x = n * 2654435761u + 1;

	p[0] = 0x00;
	p[1] = (n & 1) ? 0x57 : 0x21;
	for (i = 2; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
	return len;
}

uint16_t
mppe_t_hdr(const uint8_t *pkt)
{
	return (uint16_t)(pkt[0] << 8 | pkt[1]);
}

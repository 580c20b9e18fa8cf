/*
 * mppe_hdr.c - MPPE data packet header, RFC 3078 section 3.
 */
#include "mppe_hdr.h"

int
mppe_hdr_decode(struct rd *r, struct mppe_hdr *h)
{
	uint16_t v;
	int ret;

	if ((ret = rd_u16(r, &v)) != 0)
		return ret;
	h->flushed = (v & MPPE_BIT_FLUSHED) != 0;
	h->mppc_b = (v & MPPE_BIT_MPPC_B) != 0;
	h->mppc_c = (v & MPPE_BIT_MPPC_C) != 0;
	h->encrypted = (v & MPPE_BIT_ENCRYPTED) != 0;
	h->ccount = v & MPPE_CCOUNT_MASK;
	return 0;
}

int
mppe_hdr_encode(struct wr *w, const struct mppe_hdr *h)
{
	uint16_t v;

	if (h->ccount > MPPE_CCOUNT_MASK)
		return ERR_RANGE;
	v = h->ccount;
	if (h->flushed)
		v |= MPPE_BIT_FLUSHED;
	if (h->mppc_b)
		v |= MPPE_BIT_MPPC_B;
	if (h->mppc_c)
		v |= MPPE_BIT_MPPC_C;
	if (h->encrypted)
		v |= MPPE_BIT_ENCRYPTED;
	return wr_u16(w, v);
}

void
mppe_hdr_print(const struct mppe_hdr *h, struct sbuf *sb)
{
	sbuf_printf(sb, "mppe ccount=%u%s%s%s%s", h->ccount,
	    h->flushed ? " flushed" : "", h->encrypted ? " encrypted" : "",
	    h->mppc_b ? " mppc-b" : "", h->mppc_c ? " mppc-c" : "");
}

/*
 * gre.c - the enhanced GRE header of PPTP, RFC 2637 section 4.1: decode,
 * encode, print.  See gre.h for the layout and the contract.
 */
#include "gre.h"

size_t
gre_hdr_len(const struct gre_hdr *h)
{
	return GRE_HDR_MIN + (h->has_seq ? 4 : 0) + (h->has_ack ? 4 : 0);
}

/*
 * The first two octets decide everything else, so they are judged before
 * anything that depends on them: version first (a version 0 packet's other
 * bits mean something else entirely), then the bits PPTP forbids.
 */
static int
gre_check_flags(uint8_t b0, uint8_t b1)
{
	if ((b1 & GRE_VER_MASK) != GRE_VERSION_PPTP)
		return ERR_VERSION;
	if ((b0 & (GRE_BIT_C | GRE_BIT_R | GRE_BIT_SSR | GRE_RECUR_MASK)) != 0 ||
	    (b1 & GRE_FLAGS_MASK) != 0)
		return ERR_FLAGS;
	return 0;
}

int
gre_decode(struct rd *r, struct gre_hdr *h, struct rd *payload)
{
	uint8_t b0, b1;
	uint16_t proto;
	int ret;

	if ((ret = rd_u8(r, &b0)) != 0 || (ret = rd_u8(r, &b1)) != 0)
		return ret;
	if ((ret = gre_check_flags(b0, b1)) != 0)
		return ret;
	if ((ret = rd_u16(r, &proto)) != 0)
		return ret;
	if (proto != GRE_PROTO_PPP)
		return ERR_PROTO;
	if ((b0 & GRE_BIT_K) == 0)
		return ERR_NO_KEY;

	h->has_seq = (b0 & GRE_BIT_S) != 0;
	h->has_ack = (b1 & GRE_BIT_A) != 0;
	h->seq = 0;
	h->ack = 0;
	h->trailing = 0;
	if ((ret = rd_u16(r, &h->payload_len)) != 0 ||
	    (ret = rd_u16(r, &h->call_id)) != 0)
		return ret;
	if (h->has_seq && (ret = rd_u32(r, &h->seq)) != 0)
		return ret;
	if (h->has_ack && (ret = rd_u32(r, &h->ack)) != 0)
		return ret;

	/* RFC 2637 4.1: S=1 "if a payload (data) packet is present", S=0 if
	 * the packet "is an Acknowledgment only": the two must agree with the
	 * payload length, or the window code would count phantom packets. */
	if (h->has_seq != (h->payload_len != 0))
		return ERR_LENGTH;
	if (h->payload_len > rd_left(r))
		return ERR_LENGTH;
	if ((ret = rd_sub(r, h->payload_len, payload)) != 0)
		return ret;
	h->trailing = rd_left(r);
	return rd_skip(r, h->trailing);
}

int
gre_encode(struct wr *w, const struct gre_hdr *h)
{
	if (h->has_seq != (h->payload_len != 0))
		return ERR_LENGTH;
	wr_u8(w, GRE_BIT_K | (h->has_seq ? GRE_BIT_S : 0));
	wr_u8(w, (h->has_ack ? GRE_BIT_A : 0) | GRE_VERSION_PPTP);
	wr_u16(w, GRE_PROTO_PPP);
	wr_u16(w, h->payload_len);
	wr_u16(w, h->call_id);
	if (h->has_seq)
		wr_u32(w, h->seq);
	if (h->has_ack)
		wr_u32(w, h->ack);
	return wr_error(w);
}

void
gre_print(const struct gre_hdr *h, struct sbuf *sb)
{
	sbuf_printf(sb, "GRE call=%u", (unsigned)h->call_id);
	if (h->has_seq)
		sbuf_printf(sb, " len=%u seq=%lu", (unsigned)h->payload_len,
		    (unsigned long)h->seq);
	else if (h->has_ack)
		sbuf_printf(sb, " ack-only");
	else
		sbuf_printf(sb, " empty");
	if (h->has_ack)
		sbuf_printf(sb, " ack=%lu", (unsigned long)h->ack);
	if (h->trailing != 0)
		sbuf_printf(sb, " trailing=%zu", h->trailing);
}

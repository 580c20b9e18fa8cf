/*
 * ppp_frame.c - PPP frame header: Address/Control (RFC 1662 3.1, ACFC RFC
 * 1661 6.6) and Protocol (RFC 1661 2, PFC RFC 1661 6.5); protocol names.
 * See ppp_frame.h for the contract.
 */
#include "ppp_frame.h"

bool
ppp_proto_valid(uint16_t proto)
{
	/* RFC 1661 6.6: 0x00FF "is not allowed (reserved) to avoid
	 * ambiguity" with a compressed Protocol after compressed FF 03. */
	return (proto & 0x0001) != 0 && (proto & 0x0100) == 0 &&
	    proto != 0x00ff;
}

int
ppp_frame_decode(struct rd *r, struct ppp_frame *f, struct rd *info)
{
	uint8_t b, lo;
	int ret;

	if (rd_left(r) < 2)
		return ERR_TRUNCATED;
	f->acf = false;
	f->pfc = false;
	if ((ret = rd_peek_u8(r, &b)) != 0)
		return ret;
	if (b == PPP_ADDRESS) {
		if ((ret = rd_skip(r, 1)) != 0 || (ret = rd_u8(r, &b)) != 0)
			return ret;
		if (b != PPP_CONTROL)
			return ERR_FORMAT;
		f->acf = true;
	}
	if ((ret = rd_u8(r, &b)) != 0)
		return ret;
	if ((b & 1) != 0) {
		/* An odd first octet ends the field: a compressed Protocol. */
		f->pfc = true;
		f->proto = b;
	} else {
		if ((ret = rd_u8(r, &lo)) != 0)
			return ret;
		f->proto = (uint16_t)(b << 8 | lo);
	}
	rd_rest(r, info);
	return ppp_proto_valid(f->proto) ? 0 : ERR_PROTO;
}

/* LCP must reach a peer that has not (or no longer has) agreed to any
 * compression, so it always goes out in full (RFC 1661 6.5, 6.6). */
static void
ppp_frame_effective(uint16_t proto, bool *acfc, bool *pfc)
{
	if (proto == PPP_LCP) {
		*acfc = false;
		*pfc = false;
	}
	if (proto >= 0x100)
		*pfc = false;
}

size_t
ppp_frame_hdr_len(uint16_t proto, bool acfc, bool pfc)
{
	ppp_frame_effective(proto, &acfc, &pfc);
	return (acfc ? 0 : 2) + (pfc ? 1 : 2);
}

int
ppp_frame_encode(struct wr *w, uint16_t proto, bool acfc, bool pfc)
{
	if (!ppp_proto_valid(proto))
		return ERR_PROTO;
	ppp_frame_effective(proto, &acfc, &pfc);
	if (!acfc) {
		wr_u8(w, PPP_ADDRESS);
		wr_u8(w, PPP_CONTROL);
	}
	if (pfc)
		wr_u8(w, (uint8_t)proto);
	else
		wr_u16(w, proto);
	return wr_error(w);
}

const char *
ppp_proto_name(uint16_t proto)
{
	switch (proto) {
	case PPP_IP:		return "IPv4";
	case PPP_VJ_COMP:	return "VJ-compressed";
	case PPP_VJ_UNCOMP:	return "VJ-uncompressed";
	case PPP_IPV6:		return "IPv6";
	case PPP_COMP:		return "MPPE/compressed";
	case PPP_MP:		return "MP";
	case PPP_IPCP:		return "IPCP";
	case PPP_IPV6CP:	return "IPV6CP";
	case PPP_CCP:		return "CCP";
	case PPP_LCP:		return "LCP";
	case PPP_PAP:		return "PAP";
	case PPP_CHAP:		return "CHAP";
	case PPP_EAP:		return "EAP";
	case PPP_CBCP:		return "CBCP";
	case PPP_BACP:		return "BACP";
	}
	return NULL;
}

void
ppp_frame_print(const struct ppp_frame *f, struct sbuf *sb)
{
	const char *name = ppp_proto_name(f->proto);

	sbuf_printf(sb, "PPP proto=0x%04x", (unsigned)f->proto);
	if (name != NULL)
		sbuf_printf(sb, " %s", name);
	if (!f->acf)
		sbuf_printf(sb, " acfc");
	if (f->pfc)
		sbuf_printf(sb, " pfc");
}

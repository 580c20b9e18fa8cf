/*
 * ppp_opt.c - the option shapes shared by every control protocol (RFC 1661
 * 6: no value, 16-bit, 32-bit), the raw hex printer, and the dispatchers
 * that pick a protocol's validator or printer.  The per-protocol typed
 * values live in ppp_opt_lcp.c (LCP) and ppp_opt_ncp.c (IPCP, IPV6CP,
 * CCP).  See ppp_opt.h for the contract.
 */
#include "ppp_opt.h"

int
ppp_opt_flag_decode(const struct ppp_opt *o)
{
	return rd_left(&o->val) == 0 ? 0 : ERR_OPTION;
}

int
ppp_opt_u16_decode(const struct ppp_opt *o, uint16_t *v)
{
	struct rd r = o->val;

	if (rd_left(&r) != 2)
		return ERR_OPTION;
	return rd_u16(&r, v);
}

int
ppp_opt_u32_decode(const struct ppp_opt *o, uint32_t *v)
{
	struct rd r = o->val;

	if (rd_left(&r) != 4)
		return ERR_OPTION;
	return rd_u32(&r, v);
}

int
ppp_opt_u16_put(struct wr *w, uint8_t type, uint16_t v)
{
	wr_u8(w, type);
	wr_u8(w, PPP_OPT_HDR_LEN + 2);
	wr_u16(w, v);
	return wr_error(w);
}

int
ppp_opt_u32_put(struct wr *w, uint8_t type, uint32_t v)
{
	wr_u8(w, type);
	wr_u8(w, PPP_OPT_HDR_LEN + 4);
	wr_u32(w, v);
	return wr_error(w);
}

int
ppp_opt_validate(uint16_t proto, const struct ppp_opt *o, struct wr *w)
{
	switch (proto) {
	case PPP_LCP:
		return lcp_opt_validate(o, w);
	case PPP_IPCP:
		return ipcp_opt_validate(o, w);
	case PPP_IPV6CP:
		return ipv6cp_opt_validate(o, w);
	case PPP_CCP:
		return ccp_opt_validate(o, w);
	}
	return ERR_UNSUPPORTED;
}

void
ppp_opt_print_raw(const struct ppp_opt *o, struct sbuf *sb)
{
	const uint8_t *p = rd_cur(&o->val);
	size_t i, n = rd_left(&o->val);

	/* pppd prints options it does not know as their octets. */
	sbuf_printf(sb, "< %02x %02x", (unsigned)o->type, (unsigned)o->len);
	for (i = 0; i < n; i++)
		sbuf_printf(sb, " %02x", (unsigned)p[i]);
	sbuf_printf(sb, " >");
}

int
ppp_opts_print(uint16_t proto, struct rd *opts, struct sbuf *sb)
{
	struct ppp_opt o;
	struct rd rest;
	int ret;

	while ((ret = ppp_opt_next(opts, &o)) == 0) {
		sbuf_printf(sb, " ");
		switch (proto) {
		case PPP_LCP:
			lcp_opt_print(&o, sb);
			break;
		case PPP_IPCP:
			ipcp_opt_print(&o, sb);
			break;
		case PPP_IPV6CP:
			ipv6cp_opt_print(&o, sb);
			break;
		case PPP_CCP:
			ccp_opt_print(&o, sb);
			break;
		default:
			ppp_opt_print_raw(&o, sb);
		}
	}
	rd_rest(opts, &rest);
	return ret == PPP_OPT_END ? 0 : ret;
}

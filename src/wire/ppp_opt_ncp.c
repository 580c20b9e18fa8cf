/*
 * ppp_opt_ncp.c - typed option values and printers for the network- and
 * compression-layer control protocols: IPCP (RFC 1332 3.2, 3.3, Appendix
 * A.1; RFC 1877 1.1-1.4), IPV6CP (RFC 5072 4.1, 4.2) and the CCP MPPE/MPPC
 * option (RFC 3078 2, RFC 2118).  See ppp_opt.h for the contract.
 */
#include "ppp_opt.h"

static int
ncp_opt_want(const struct ppp_opt *o, uint8_t type)
{
	return o->type == type ? 0 : ERR_INVAL;
}

static void
ncp_print_octets(const uint8_t *p, size_t n, struct sbuf *sb)
{
	size_t i;

	for (i = 0; i < n; i++)
		sbuf_printf(sb, " %02x", (unsigned)p[i]);
}

static void
ncp_print_ipv4(uint32_t a, struct sbuf *sb)
{
	sbuf_printf(sb, "%u.%u.%u.%u", (unsigned)(a >> 24),
	    (unsigned)(a >> 16 & 0xff), (unsigned)(a >> 8 & 0xff),
	    (unsigned)(a & 0xff));
}

/* --- IPCP addresses (RFC 1332 3.3, RFC 1877) --- */

bool
ipcp_opt_is_addr(uint8_t type)
{
	return type == IPCP_OPT_ADDR ||
	    (type >= IPCP_OPT_DNS1 && type <= IPCP_OPT_NBNS2);
}

int
ipcp_opt_addr_decode(const struct ppp_opt *o, uint32_t *addr)
{
	if (!ipcp_opt_is_addr(o->type))
		return ERR_INVAL;
	return ppp_opt_u32_decode(o, addr);
}

int
ipcp_opt_addr_encode(struct wr *w, uint8_t type, uint32_t addr)
{
	if (!ipcp_opt_is_addr(type))
		return ERR_INVAL;
	return ppp_opt_u32_put(w, type, addr);
}

int
ipcp_opt_addrs_decode(const struct ppp_opt *o, uint32_t *src, uint32_t *dst)
{
	struct rd r = o->val;
	int ret;

	if ((ret = ncp_opt_want(o, IPCP_OPT_ADDRS)) != 0)
		return ret;
	if (rd_left(&r) != 8)
		return ERR_OPTION;
	if ((ret = rd_u32(&r, src)) != 0)
		return ret;
	return rd_u32(&r, dst);
}

int
ipcp_opt_addrs_encode(struct wr *w, uint32_t src, uint32_t dst)
{
	wr_u8(w, IPCP_OPT_ADDRS);
	wr_u8(w, PPP_OPT_HDR_LEN + 8);
	wr_u32(w, src);
	wr_u32(w, dst);
	return wr_error(w);
}

/* --- IP-Compression-Protocol (RFC 1332 3.2, 4) --- */

int
ipcp_opt_comp_decode(const struct ppp_opt *o, struct ipcp_comp *c)
{
	struct rd r = o->val;
	int ret;

	if ((ret = ncp_opt_want(o, IPCP_OPT_COMP)) != 0)
		return ret;
	if (rd_u16(&r, &c->proto) != 0)
		return ERR_OPTION;
	c->max_slot_id = 0;
	c->comp_slot_id = 0;
	c->data = NULL;
	c->data_len = 0;
	if (c->proto == PPP_VJ_COMP) {
		if (rd_left(&r) != 2)
			return ERR_OPTION;
		if ((ret = rd_u8(&r, &c->max_slot_id)) != 0)
			return ret;
		return rd_u8(&r, &c->comp_slot_id);
	}
	c->data_len = rd_left(&r);
	return rd_ptr(&r, &c->data, c->data_len);
}

int
ipcp_opt_comp_encode(struct wr *w, const struct ipcp_comp *c)
{
	bool vj = c->proto == PPP_VJ_COMP;
	size_t n = vj ? 2 : c->data_len;

	if ((vj && c->data_len != 0) || n > PPP_OPT_VAL_MAX - 2)
		return ERR_INVAL;
	wr_u8(w, IPCP_OPT_COMP);
	wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + n));
	wr_u16(w, c->proto);
	if (vj) {
		wr_u8(w, c->max_slot_id);
		wr_u8(w, c->comp_slot_id);
	} else {
		wr_bytes(w, c->data, c->data_len);
	}
	return wr_error(w);
}

int
ipcp_opt_validate(const struct ppp_opt *o, struct wr *w)
{
	struct ipcp_comp comp;
	uint32_t a, b;
	int ret;

	if (ipcp_opt_is_addr(o->type)) {
		if ((ret = ipcp_opt_addr_decode(o, &a)) == 0 && w != NULL)
			ret = ipcp_opt_addr_encode(w, o->type, a);
		return ret;
	}
	switch (o->type) {
	case IPCP_OPT_ADDRS:
		if ((ret = ipcp_opt_addrs_decode(o, &a, &b)) == 0 && w != NULL)
			ret = ipcp_opt_addrs_encode(w, a, b);
		return ret;
	case IPCP_OPT_COMP:
		if ((ret = ipcp_opt_comp_decode(o, &comp)) == 0 && w != NULL)
			ret = ipcp_opt_comp_encode(w, &comp);
		return ret;
	}
	return ERR_UNSUPPORTED;
}

void
ipcp_opt_print(const struct ppp_opt *o, struct sbuf *sb)
{
	/* pppd's words; both NBNS options print as "ms-wins". */
	static const char *const addr_names[] = {
		[IPCP_OPT_DNS1 - IPCP_OPT_DNS1] = "ms-dns1",
		[IPCP_OPT_NBNS1 - IPCP_OPT_DNS1] = "ms-wins",
		[IPCP_OPT_DNS2 - IPCP_OPT_DNS1] = "ms-dns2",
		[IPCP_OPT_NBNS2 - IPCP_OPT_DNS1] = "ms-wins",
	};
	struct ipcp_comp comp;
	uint32_t a, b;

	if (ipcp_opt_is_addr(o->type) && ipcp_opt_addr_decode(o, &a) == 0) {
		sbuf_printf(sb, "<%s ", o->type == IPCP_OPT_ADDR ? "addr" :
		    addr_names[o->type - IPCP_OPT_DNS1]);
		ncp_print_ipv4(a, sb);
		sbuf_printf(sb, ">");
		return;
	}
	if (o->type == IPCP_OPT_ADDRS &&
	    ipcp_opt_addrs_decode(o, &a, &b) == 0) {
		sbuf_printf(sb, "<addrs ");
		ncp_print_ipv4(a, sb);
		sbuf_printf(sb, " ");
		ncp_print_ipv4(b, sb);
		sbuf_printf(sb, ">");
		return;
	}
	if (o->type == IPCP_OPT_COMP && ipcp_opt_comp_decode(o, &comp) == 0) {
		if (comp.proto == PPP_VJ_COMP) {
			sbuf_printf(sb, "<compress VJ %02x %02x>",
			    (unsigned)comp.max_slot_id,
			    (unsigned)comp.comp_slot_id);
		} else {
			sbuf_printf(sb, "<compress 0x%04x",
			    (unsigned)comp.proto);
			ncp_print_octets(comp.data, comp.data_len, sb);
			sbuf_printf(sb, ">");
		}
		return;
	}
	ppp_opt_print_raw(o, sb);
}

/* --- IPV6CP (RFC 5072 4) --- */

int
ipv6cp_opt_ifaceid_decode(const struct ppp_opt *o,
    uint8_t id[IPV6CP_IFACE_ID_LEN])
{
	struct rd r = o->val;
	int ret;

	if ((ret = ncp_opt_want(o, IPV6CP_OPT_IFACE_ID)) != 0)
		return ret;
	if (rd_left(&r) != IPV6CP_IFACE_ID_LEN)
		return ERR_OPTION;
	return rd_bytes(&r, id, IPV6CP_IFACE_ID_LEN);
}

int
ipv6cp_opt_ifaceid_encode(struct wr *w, const uint8_t id[IPV6CP_IFACE_ID_LEN])
{
	return ppp_opt_put(w, IPV6CP_OPT_IFACE_ID, id, IPV6CP_IFACE_ID_LEN);
}

int
ipv6cp_opt_comp_decode(const struct ppp_opt *o, struct ipv6cp_comp *c)
{
	struct rd r = o->val;
	int ret;

	if ((ret = ncp_opt_want(o, IPV6CP_OPT_COMP)) != 0)
		return ret;
	if (rd_u16(&r, &c->proto) != 0)
		return ERR_OPTION;
	c->data_len = rd_left(&r);
	return rd_ptr(&r, &c->data, c->data_len);
}

int
ipv6cp_opt_comp_encode(struct wr *w, const struct ipv6cp_comp *c)
{
	if (c->data_len > PPP_OPT_VAL_MAX - 2)
		return ERR_INVAL;
	wr_u8(w, IPV6CP_OPT_COMP);
	wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + c->data_len));
	wr_u16(w, c->proto);
	wr_bytes(w, c->data, c->data_len);
	return wr_error(w);
}

int
ipv6cp_opt_validate(const struct ppp_opt *o, struct wr *w)
{
	uint8_t id[IPV6CP_IFACE_ID_LEN];
	struct ipv6cp_comp comp;
	int ret;

	switch (o->type) {
	case IPV6CP_OPT_IFACE_ID:
		if ((ret = ipv6cp_opt_ifaceid_decode(o, id)) == 0 && w != NULL)
			ret = ipv6cp_opt_ifaceid_encode(w, id);
		return ret;
	case IPV6CP_OPT_COMP:
		if ((ret = ipv6cp_opt_comp_decode(o, &comp)) == 0 && w != NULL)
			ret = ipv6cp_opt_comp_encode(w, &comp);
		return ret;
	}
	return ERR_UNSUPPORTED;
}

void
ipv6cp_opt_print(const struct ppp_opt *o, struct sbuf *sb)
{
	uint8_t id[IPV6CP_IFACE_ID_LEN];
	struct ipv6cp_comp comp;

	if (o->type == IPV6CP_OPT_IFACE_ID &&
	    ipv6cp_opt_ifaceid_decode(o, id) == 0) {
		sbuf_printf(sb, "<ifaceid %02x%02x:%02x%02x:%02x%02x:%02x%02x>",
		    id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]);
		return;
	}
	if (o->type == IPV6CP_OPT_COMP &&
	    ipv6cp_opt_comp_decode(o, &comp) == 0) {
		sbuf_printf(sb, "<compress 0x%04x", (unsigned)comp.proto);
		ncp_print_octets(comp.data, comp.data_len, sb);
		sbuf_printf(sb, ">");
		return;
	}
	ppp_opt_print_raw(o, sb);
}

/* --- CCP MPPE/MPPC (RFC 3078 2) --- */

void
mppe_opt_from_bits(uint32_t bits, struct mppe_opt *m)
{
	m->stateless = (bits & MPPE_OPT_H) != 0;
	m->b56 = (bits & MPPE_OPT_M) != 0;
	m->b128 = (bits & MPPE_OPT_S) != 0;
	m->b40 = (bits & MPPE_OPT_L) != 0;
	m->d = (bits & MPPE_OPT_D) != 0;
	m->mppc = (bits & MPPE_OPT_C) != 0;
	m->other_bits = bits & ~MPPE_OPT_KNOWN;
}

uint32_t
mppe_opt_to_bits(const struct mppe_opt *m)
{
	return (m->stateless ? MPPE_OPT_H : 0) | (m->b56 ? MPPE_OPT_M : 0) |
	    (m->b128 ? MPPE_OPT_S : 0) | (m->b40 ? MPPE_OPT_L : 0) |
	    (m->d ? MPPE_OPT_D : 0) | (m->mppc ? MPPE_OPT_C : 0) |
	    (m->other_bits & ~MPPE_OPT_KNOWN);
}

int
ccp_opt_mppe_decode(const struct ppp_opt *o, struct mppe_opt *m)
{
	uint32_t bits;
	int ret;

	if ((ret = ncp_opt_want(o, CCP_OPT_MPPE)) != 0 ||
	    (ret = ppp_opt_u32_decode(o, &bits)) != 0)
		return ret;
	mppe_opt_from_bits(bits, m);
	return 0;
}

int
ccp_opt_mppe_encode(struct wr *w, const struct mppe_opt *m)
{
	return ppp_opt_u32_put(w, CCP_OPT_MPPE, mppe_opt_to_bits(m));
}

void
mppe_opt_print(const struct mppe_opt *m, struct sbuf *sb)
{
	sbuf_printf(sb, "%cH %cM %cS %cL %cD %cC",
	    m->stateless ? '+' : '-', m->b56 ? '+' : '-',
	    m->b128 ? '+' : '-', m->b40 ? '+' : '-', m->d ? '+' : '-',
	    m->mppc ? '+' : '-');
	if (m->other_bits != 0)
		sbuf_printf(sb, " other=0x%08x", (unsigned)m->other_bits);
}

int
ccp_opt_validate(const struct ppp_opt *o, struct wr *w)
{
	struct mppe_opt m;
	int ret;

	if (o->type != CCP_OPT_MPPE)
		return ERR_UNSUPPORTED;
	if ((ret = ccp_opt_mppe_decode(o, &m)) == 0 && w != NULL)
		ret = ccp_opt_mppe_encode(w, &m);
	return ret;
}

void
ccp_opt_print(const struct ppp_opt *o, struct sbuf *sb)
{
	struct mppe_opt m;

	if (o->type == CCP_OPT_MPPE && ccp_opt_mppe_decode(o, &m) == 0) {
		sbuf_printf(sb, "<mppe ");
		mppe_opt_print(&m, sb);
		sbuf_printf(sb, ">");
		return;
	}
	ppp_opt_print_raw(o, sb);
}

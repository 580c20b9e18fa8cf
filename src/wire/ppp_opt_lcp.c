/*
 * ppp_opt_lcp.c - typed LCP option values and the LCP option printer:
 * RFC 1661 6.1-6.6 (MRU, Authentication-Protocol, Quality-Protocol,
 * Magic-Number, PFC, ACFC), RFC 1662 7.1 (ACCM), RFC 1570 2.3 (Callback),
 * RFC 1990 5.1 (MRRU, SSNHF, Endpoint-Discriminator), RFC 2125 5.1
 * (Link-Discriminator).  See ppp_opt.h for the contract.
 */
#include "ppp_opt.h"

/* Every typed decoder first checks that it was handed its own type. */
static int
lcp_opt_want(const struct ppp_opt *o, uint8_t type)
{
	return o->type == type ? 0 : ERR_INVAL;
}

/* --- scalar and empty options --- */

int
lcp_opt_mru_decode(const struct ppp_opt *o, uint16_t *mru)
{
	int ret = lcp_opt_want(o, LCP_OPT_MRU);

	return ret != 0 ? ret : ppp_opt_u16_decode(o, mru);
}

int
lcp_opt_mru_encode(struct wr *w, uint16_t mru)
{
	return ppp_opt_u16_put(w, LCP_OPT_MRU, mru);
}

int
lcp_opt_accm_decode(const struct ppp_opt *o, uint32_t *accm)
{
	int ret = lcp_opt_want(o, LCP_OPT_ACCM);

	return ret != 0 ? ret : ppp_opt_u32_decode(o, accm);
}

int
lcp_opt_accm_encode(struct wr *w, uint32_t accm)
{
	return ppp_opt_u32_put(w, LCP_OPT_ACCM, accm);
}

int
lcp_opt_magic_decode(const struct ppp_opt *o, uint32_t *magic)
{
	int ret = lcp_opt_want(o, LCP_OPT_MAGIC);

	return ret != 0 ? ret : ppp_opt_u32_decode(o, magic);
}

int
lcp_opt_magic_encode(struct wr *w, uint32_t magic)
{
	return ppp_opt_u32_put(w, LCP_OPT_MAGIC, magic);
}

int
lcp_opt_mrru_decode(const struct ppp_opt *o, uint16_t *mrru)
{
	int ret = lcp_opt_want(o, LCP_OPT_MRRU);

	return ret != 0 ? ret : ppp_opt_u16_decode(o, mrru);
}

int
lcp_opt_mrru_encode(struct wr *w, uint16_t mrru)
{
	return ppp_opt_u16_put(w, LCP_OPT_MRRU, mrru);
}

int
lcp_opt_link_disc_decode(const struct ppp_opt *o, uint16_t *disc)
{
	int ret = lcp_opt_want(o, LCP_OPT_LINK_DISC);

	return ret != 0 ? ret : ppp_opt_u16_decode(o, disc);
}

int
lcp_opt_link_disc_encode(struct wr *w, uint16_t disc)
{
	return ppp_opt_u16_put(w, LCP_OPT_LINK_DISC, disc);
}

int
lcp_opt_pfc_decode(const struct ppp_opt *o)
{
	int ret = lcp_opt_want(o, LCP_OPT_PFC);

	return ret != 0 ? ret : ppp_opt_flag_decode(o);
}

int
lcp_opt_pfc_encode(struct wr *w)
{
	return ppp_opt_put(w, LCP_OPT_PFC, NULL, 0);
}

int
lcp_opt_acfc_decode(const struct ppp_opt *o)
{
	int ret = lcp_opt_want(o, LCP_OPT_ACFC);

	return ret != 0 ? ret : ppp_opt_flag_decode(o);
}

int
lcp_opt_acfc_encode(struct wr *w)
{
	return ppp_opt_put(w, LCP_OPT_ACFC, NULL, 0);
}

int
lcp_opt_ssnhf_decode(const struct ppp_opt *o)
{
	int ret = lcp_opt_want(o, LCP_OPT_SSNHF);

	return ret != 0 ? ret : ppp_opt_flag_decode(o);
}

int
lcp_opt_ssnhf_encode(struct wr *w)
{
	return ppp_opt_put(w, LCP_OPT_SSNHF, NULL, 0);
}

/* --- Authentication-Protocol (RFC 1661 6.2, RFC 1994 3) --- */

int
lcp_opt_auth_decode(const struct ppp_opt *o, struct lcp_auth *a)
{
	struct rd r = o->val;
	int ret;

	if ((ret = lcp_opt_want(o, LCP_OPT_AUTH)) != 0)
		return ret;
	if (rd_u16(&r, &a->proto) != 0)
		return ERR_OPTION;
	a->chap_alg = 0;
	a->data = NULL;
	a->data_len = 0;
	switch (a->proto) {
	case PPP_PAP:
	case PPP_EAP:
		return rd_left(&r) == 0 ? 0 : ERR_OPTION;
	case PPP_CHAP:
		/* RFC 1994 3: exactly one Algorithm octet. */
		if (rd_left(&r) != 1)
			return ERR_OPTION;
		return rd_u8(&r, &a->chap_alg);
	}
	a->data_len = rd_left(&r);
	return rd_ptr(&r, &a->data, a->data_len);
}

int
lcp_opt_auth_encode(struct wr *w, const struct lcp_auth *a)
{
	size_t n = a->proto == PPP_CHAP ? 1 : a->data_len;

	if ((a->proto == PPP_PAP || a->proto == PPP_EAP ||
	    a->proto == PPP_CHAP) && a->data_len != 0)
		return ERR_INVAL;
	if (n > PPP_OPT_VAL_MAX - 2)
		return ERR_INVAL;
	wr_u8(w, LCP_OPT_AUTH);
	wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + n));
	wr_u16(w, a->proto);
	if (a->proto == PPP_CHAP)
		wr_u8(w, a->chap_alg);
	else
		wr_bytes(w, a->data, a->data_len);
	return wr_error(w);
}

/* --- Quality-Protocol (RFC 1661 6.3, RFC 1989 2.5) --- */

int
lcp_opt_quality_decode(const struct ppp_opt *o, struct lcp_quality *q)
{
	struct rd r = o->val;
	int ret;

	if ((ret = lcp_opt_want(o, LCP_OPT_QUALITY)) != 0)
		return ret;
	if (rd_u16(&r, &q->proto) != 0)
		return ERR_OPTION;
	q->period = 0;
	q->data = NULL;
	q->data_len = 0;
	if (q->proto == LCP_QUALITY_LQR) {
		if (rd_left(&r) != 4)
			return ERR_OPTION;
		return rd_u32(&r, &q->period);
	}
	q->data_len = rd_left(&r);
	return rd_ptr(&r, &q->data, q->data_len);
}

int
lcp_opt_quality_encode(struct wr *w, const struct lcp_quality *q)
{
	size_t n = q->proto == LCP_QUALITY_LQR ? 4 : q->data_len;

	if ((q->proto == LCP_QUALITY_LQR && q->data_len != 0) ||
	    n > PPP_OPT_VAL_MAX - 2)
		return ERR_INVAL;
	wr_u8(w, LCP_OPT_QUALITY);
	wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 2 + n));
	wr_u16(w, q->proto);
	if (q->proto == LCP_QUALITY_LQR)
		wr_u32(w, q->period);
	else
		wr_bytes(w, q->data, q->data_len);
	return wr_error(w);
}

/* --- Callback (RFC 1570 2.3) --- */

int
lcp_opt_callback_decode(const struct ppp_opt *o, struct lcp_callback *c)
{
	struct rd r = o->val;
	int ret;

	if ((ret = lcp_opt_want(o, LCP_OPT_CALLBACK)) != 0)
		return ret;
	if (rd_u8(&r, &c->op) != 0)
		return ERR_OPTION;
	c->msg_len = rd_left(&r);
	return rd_ptr(&r, &c->msg, c->msg_len);
}

int
lcp_opt_callback_encode(struct wr *w, const struct lcp_callback *c)
{
	if (c->msg_len > PPP_OPT_VAL_MAX - 1)
		return ERR_INVAL;
	wr_u8(w, LCP_OPT_CALLBACK);
	wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 1 + c->msg_len));
	wr_u8(w, c->op);
	wr_bytes(w, c->msg, c->msg_len);
	return wr_error(w);
}

/* --- Endpoint-Discriminator (RFC 1990 5.1.3) --- */

/* The address size a class allows: exactly *min == *max, or a range. */
static bool
lcp_epd_sizes(uint8_t cls, size_t *min, size_t *max)
{
	static const uint8_t lo[] = { 0, 0, 4, 6, 0, 0 };
	static const uint8_t hi[] = { 0, 20, 4, 6, 20, 15 };

	if (cls > LCP_EPD_PSDN)
		return false;
	*min = lo[cls];
	*max = hi[cls];
	return true;
}

int
lcp_opt_endpoint_decode(const struct ppp_opt *o, struct lcp_endpoint *e)
{
	struct rd r = o->val;
	size_t min, max;
	int ret;

	if ((ret = lcp_opt_want(o, LCP_OPT_ENDPOINT)) != 0)
		return ret;
	if (rd_u8(&r, &e->cls) != 0 || !lcp_epd_sizes(e->cls, &min, &max))
		return ERR_OPTION;
	e->addr_len = rd_left(&r);
	if (e->addr_len < min || e->addr_len > max)
		return ERR_OPTION;
	return rd_bytes(&r, e->addr, e->addr_len);
}

int
lcp_opt_endpoint_encode(struct wr *w, const struct lcp_endpoint *e)
{
	size_t min, max;

	if (!lcp_epd_sizes(e->cls, &min, &max) || e->addr_len < min ||
	    e->addr_len > max)
		return ERR_INVAL;
	wr_u8(w, LCP_OPT_ENDPOINT);
	wr_u8(w, (uint8_t)(PPP_OPT_HDR_LEN + 1 + e->addr_len));
	wr_u8(w, e->cls);
	wr_bytes(w, e->addr, e->addr_len);
	return wr_error(w);
}

/* --- any LCP option --- */

int
lcp_opt_validate(const struct ppp_opt *o, struct wr *w)
{
	struct lcp_auth auth;
	struct lcp_quality qual;
	struct lcp_callback cb;
	struct lcp_endpoint epd;
	uint32_t u32;
	uint16_t u16;
	int ret;

	switch (o->type) {
	case LCP_OPT_MRU:
		if ((ret = lcp_opt_mru_decode(o, &u16)) == 0 && w != NULL)
			ret = lcp_opt_mru_encode(w, u16);
		return ret;
	case LCP_OPT_ACCM:
		if ((ret = lcp_opt_accm_decode(o, &u32)) == 0 && w != NULL)
			ret = lcp_opt_accm_encode(w, u32);
		return ret;
	case LCP_OPT_AUTH:
		if ((ret = lcp_opt_auth_decode(o, &auth)) == 0 && w != NULL)
			ret = lcp_opt_auth_encode(w, &auth);
		return ret;
	case LCP_OPT_QUALITY:
		if ((ret = lcp_opt_quality_decode(o, &qual)) == 0 && w != NULL)
			ret = lcp_opt_quality_encode(w, &qual);
		return ret;
	case LCP_OPT_MAGIC:
		if ((ret = lcp_opt_magic_decode(o, &u32)) == 0 && w != NULL)
			ret = lcp_opt_magic_encode(w, u32);
		return ret;
	case LCP_OPT_PFC:
		if ((ret = lcp_opt_pfc_decode(o)) == 0 && w != NULL)
			ret = lcp_opt_pfc_encode(w);
		return ret;
	case LCP_OPT_ACFC:
		if ((ret = lcp_opt_acfc_decode(o)) == 0 && w != NULL)
			ret = lcp_opt_acfc_encode(w);
		return ret;
	case LCP_OPT_CALLBACK:
		if ((ret = lcp_opt_callback_decode(o, &cb)) == 0 && w != NULL)
			ret = lcp_opt_callback_encode(w, &cb);
		return ret;
	case LCP_OPT_MRRU:
		if ((ret = lcp_opt_mrru_decode(o, &u16)) == 0 && w != NULL)
			ret = lcp_opt_mrru_encode(w, u16);
		return ret;
	case LCP_OPT_SSNHF:
		if ((ret = lcp_opt_ssnhf_decode(o)) == 0 && w != NULL)
			ret = lcp_opt_ssnhf_encode(w);
		return ret;
	case LCP_OPT_ENDPOINT:
		if ((ret = lcp_opt_endpoint_decode(o, &epd)) == 0 && w != NULL)
			ret = lcp_opt_endpoint_encode(w, &epd);
		return ret;
	case LCP_OPT_LINK_DISC:
		if ((ret = lcp_opt_link_disc_decode(o, &u16)) == 0 &&
		    w != NULL)
			ret = lcp_opt_link_disc_encode(w, u16);
		return ret;
	}
	return ERR_UNSUPPORTED;
}

/* --- printer --- */

static void
lcp_print_octets(const uint8_t *p, size_t n, struct sbuf *sb)
{
	size_t i;

	for (i = 0; i < n; i++)
		sbuf_printf(sb, " %02x", (unsigned)p[i]);
}

static void
lcp_print_auth(const struct lcp_auth *a, struct sbuf *sb)
{
	static const char *const alg[] = {
		[LCP_CHAP_MD5] = "MD5",
		[LCP_CHAP_MSCHAP] = "MS",
		[LCP_CHAP_MSCHAPV2] = "MS-v2",
	};

	switch (a->proto) {
	case PPP_PAP:
		sbuf_printf(sb, "<auth pap>");
		return;
	case PPP_EAP:
		sbuf_printf(sb, "<auth eap>");
		return;
	case PPP_CHAP:
		if (a->chap_alg < sizeof(alg) / sizeof(alg[0]) &&
		    alg[a->chap_alg] != NULL)
			sbuf_printf(sb, "<auth chap %s>", alg[a->chap_alg]);
		else
			sbuf_printf(sb, "<auth chap 0x%02x>",
			    (unsigned)a->chap_alg);
		return;
	}
	sbuf_printf(sb, "<auth 0x%04x", (unsigned)a->proto);
	lcp_print_octets(a->data, a->data_len, sb);
	sbuf_printf(sb, ">");
}

static void
lcp_print_callback(const struct lcp_callback *c, struct sbuf *sb)
{
	bool text = c->msg_len > 0;
	size_t i;

	if (c->op == LCP_CALLBACK_CBCP)
		sbuf_printf(sb, "<callback CBCP");
	else
		sbuf_printf(sb, "<callback %u", (unsigned)c->op);
	for (i = 0; i < c->msg_len; i++)
		if (c->msg[i] < 0x20 || c->msg[i] >= 0x7f)
			text = false;
	if (text) {
		sbuf_printf(sb, " \"");
		sbuf_escaped(sb, c->msg, c->msg_len);
		sbuf_printf(sb, "\"");
	} else {
		lcp_print_octets(c->msg, c->msg_len, sb);
	}
	sbuf_printf(sb, ">");
}

void
lcp_opt_print(const struct ppp_opt *o, struct sbuf *sb)
{
	struct lcp_auth auth;
	struct lcp_quality qual;
	struct lcp_callback cb;
	struct lcp_endpoint epd;
	uint32_t u32;
	uint16_t u16;

	switch (o->type) {
	case LCP_OPT_MRU:
		if (lcp_opt_mru_decode(o, &u16) != 0)
			break;
		sbuf_printf(sb, "<mru %u>", (unsigned)u16);
		return;
	case LCP_OPT_ACCM:
		if (lcp_opt_accm_decode(o, &u32) != 0)
			break;
		sbuf_printf(sb, "<asyncmap 0x%08x>", (unsigned)u32);
		return;
	case LCP_OPT_AUTH:
		if (lcp_opt_auth_decode(o, &auth) != 0)
			break;
		lcp_print_auth(&auth, sb);
		return;
	case LCP_OPT_QUALITY:
		if (lcp_opt_quality_decode(o, &qual) != 0)
			break;
		if (qual.proto == LCP_QUALITY_LQR) {
			sbuf_printf(sb, "<quality lqr %lu>",
			    (unsigned long)qual.period);
		} else {
			sbuf_printf(sb, "<quality 0x%04x",
			    (unsigned)qual.proto);
			lcp_print_octets(qual.data, qual.data_len, sb);
			sbuf_printf(sb, ">");
		}
		return;
	case LCP_OPT_MAGIC:
		if (lcp_opt_magic_decode(o, &u32) != 0)
			break;
		sbuf_printf(sb, "<magic 0x%08x>", (unsigned)u32);
		return;
	case LCP_OPT_PFC:
		if (lcp_opt_pfc_decode(o) != 0)
			break;
		sbuf_printf(sb, "<pcomp>");
		return;
	case LCP_OPT_ACFC:
		if (lcp_opt_acfc_decode(o) != 0)
			break;
		sbuf_printf(sb, "<accomp>");
		return;
	case LCP_OPT_CALLBACK:
		if (lcp_opt_callback_decode(o, &cb) != 0)
			break;
		lcp_print_callback(&cb, sb);
		return;
	case LCP_OPT_MRRU:
		if (lcp_opt_mrru_decode(o, &u16) != 0)
			break;
		sbuf_printf(sb, "<mrru %u>", (unsigned)u16);
		return;
	case LCP_OPT_SSNHF:
		if (lcp_opt_ssnhf_decode(o) != 0)
			break;
		sbuf_printf(sb, "<ssnhf>");
		return;
	case LCP_OPT_ENDPOINT:
		if (lcp_opt_endpoint_decode(o, &epd) != 0)
			break;
		sbuf_printf(sb, "<endpoint class %u len %zu>",
		    (unsigned)epd.cls, epd.addr_len);
		return;
	}
	/* Unknown, malformed, and Link-Discriminator (as pppd shows it). */
	ppp_opt_print_raw(o, sb);
}

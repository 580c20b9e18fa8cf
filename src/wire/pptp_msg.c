/*
 * pptp_msg.c - PPTP control message codec, RFC 2637 section 2 (header and
 * the 15 message layouts 2.1-2.15), with the stream framing the control
 * connection needs (RFC 2637 1.4: one fixed length per type; a bad Magic
 * Cookie means loss of synchronisation and closes the connection).
 *
 * The lengths below are derived from the section 2 layouts: 12 octets of
 * header plus the body fields.  They are checked once, at the choke point
 * (pptp_msg_frame), so every body decoder can read its fields in order.
 */
#include <string.h>

#include "pptp_msg.h"

/* Exact length of each message, header included (RFC 2637 2.1-2.15). */
static const uint16_t pptp_len_table[PPTP_CTRL_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = 156,	/* 12 + 2+2+4+4+2+2 + 64 + 64 */
	[PPTP_SCCRP] = 156,	/* 12 + 2+1+1+4+4+2+2 + 64 + 64 */
	[PPTP_STOPCCRQ] = 16,	/* 12 + 1+1+2 */
	[PPTP_STOPCCRP] = 16,	/* 12 + 1+1+2 */
	[PPTP_ECHORQ] = 16,	/* 12 + 4 */
	[PPTP_ECHORP] = 20,	/* 12 + 4+1+1+2 */
	[PPTP_OCRQ] = 168,	/* 12 + 2+2+4+4+4+4+2+2+2+2 + 64 + 64 */
	[PPTP_OCRP] = 32,	/* 12 + 2+2+1+1+2+4+2+2+4 */
	[PPTP_ICRQ] = 220,	/* 12 + 2+2+4+4+2+2 + 64 + 64 + 64 */
	[PPTP_ICRP] = 24,	/* 12 + 2+2+1+1+2+2+2 */
	[PPTP_ICCN] = 28,	/* 12 + 2+2+4+2+2+4 */
	[PPTP_CCRQ] = 16,	/* 12 + 2+2 */
	[PPTP_CDN] = 148,	/* 12 + 2+1+1+2+2 + 128 */
	[PPTP_WEN] = 40,	/* 12 + 2+2 + 6*4 */
	[PPTP_SLI] = 24,	/* 12 + 2+2+4+4 */
};

size_t
pptp_msg_len(uint16_t ctrl_type)
{
	if (ctrl_type == 0 || ctrl_type > PPTP_CTRL_TYPE_MAX)
		return 0;
	return pptp_len_table[ctrl_type];
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

/*
 * Checks what of the header is present as soon as it is present, so a
 * desynchronised stream is reported without waiting for 12 bytes: the
 * cookie and message type need 8, the control type and length 10.
 */
int
pptp_msg_frame(const uint8_t *buf, size_t n, size_t *msglen)
{
	size_t want;

	if (n < 8)
		return ERR_TRUNCATED;
	if (be32(buf + 4) != PPTP_MAGIC)
		return ERR_MAGIC;
	if (be16(buf + 2) != PPTP_MSG_CONTROL)
		return ERR_MSG_TYPE;
	if (n < 10)
		return ERR_TRUNCATED;
	if ((want = pptp_msg_len(be16(buf + 8))) == 0)
		return ERR_CTRL_TYPE;
	if (be16(buf) != want)
		return ERR_LENGTH;
	if (n < PPTP_HDR_LEN)
		return ERR_TRUNCATED;
	*msglen = want;
	return 0;
}

/* --- body decoders: r is positioned after the header --- */

static int
sccrq_decode(struct rd *r, struct pptp_sccrq *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->version)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0 ||
	    (ret = rd_u32(r, &b->framing_caps)) != 0 ||
	    (ret = rd_u32(r, &b->bearer_caps)) != 0 ||
	    (ret = rd_u16(r, &b->max_channels)) != 0 ||
	    (ret = rd_u16(r, &b->firmware_rev)) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_HOST_NAME_LEN, b->host_name,
	    sizeof(b->host_name))) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_VENDOR_LEN, b->vendor,
	    sizeof(b->vendor))) != 0)
		return ret;
	return 0;
}

static int
sccrp_decode(struct rd *r, struct pptp_sccrp *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->version)) != 0 ||
	    (ret = rd_u8(r, &b->result)) != 0 ||
	    (ret = rd_u8(r, &b->error)) != 0 ||
	    (ret = rd_u32(r, &b->framing_caps)) != 0 ||
	    (ret = rd_u32(r, &b->bearer_caps)) != 0 ||
	    (ret = rd_u16(r, &b->max_channels)) != 0 ||
	    (ret = rd_u16(r, &b->firmware_rev)) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_HOST_NAME_LEN, b->host_name,
	    sizeof(b->host_name))) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_VENDOR_LEN, b->vendor,
	    sizeof(b->vendor))) != 0)
		return ret;
	return 0;
}

static int
stopccrq_decode(struct rd *r, struct pptp_stopccrq *b)
{
	int ret;

	if ((ret = rd_u8(r, &b->reason)) != 0 ||
	    (ret = rd_u8(r, &b->reserved1)) != 0 ||
	    (ret = rd_u16(r, &b->reserved2)) != 0)
		return ret;
	return 0;
}

static int
stopccrp_decode(struct rd *r, struct pptp_stopccrp *b)
{
	int ret;

	if ((ret = rd_u8(r, &b->result)) != 0 ||
	    (ret = rd_u8(r, &b->error)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0)
		return ret;
	return 0;
}

static int
echorp_decode(struct rd *r, struct pptp_echorp *b)
{
	int ret;

	if ((ret = rd_u32(r, &b->id)) != 0 ||
	    (ret = rd_u8(r, &b->result)) != 0 ||
	    (ret = rd_u8(r, &b->error)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0)
		return ret;
	return 0;
}

static int
ocrq_decode(struct rd *r, struct pptp_ocrq *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->call_id)) != 0 ||
	    (ret = rd_u16(r, &b->call_serial)) != 0 ||
	    (ret = rd_u32(r, &b->min_bps)) != 0 ||
	    (ret = rd_u32(r, &b->max_bps)) != 0 ||
	    (ret = rd_u32(r, &b->bearer_type)) != 0 ||
	    (ret = rd_u32(r, &b->framing_type)) != 0 ||
	    (ret = rd_u16(r, &b->recv_window)) != 0 ||
	    (ret = rd_u16(r, &b->ppd)) != 0 ||
	    (ret = rd_u16(r, &b->phone_len)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_PHONE_LEN, b->phone,
	    sizeof(b->phone))) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_SUBADDR_LEN, b->subaddress,
	    sizeof(b->subaddress))) != 0)
		return ret;
	return 0;
}

static int
ocrp_decode(struct rd *r, struct pptp_ocrp *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->call_id)) != 0 ||
	    (ret = rd_u16(r, &b->peer_call_id)) != 0 ||
	    (ret = rd_u8(r, &b->result)) != 0 ||
	    (ret = rd_u8(r, &b->error)) != 0 ||
	    (ret = rd_u16(r, &b->cause)) != 0 ||
	    (ret = rd_u32(r, &b->connect_speed)) != 0 ||
	    (ret = rd_u16(r, &b->recv_window)) != 0 ||
	    (ret = rd_u16(r, &b->ppd)) != 0 ||
	    (ret = rd_u32(r, &b->phys_channel)) != 0)
		return ret;
	return 0;
}

static int
icrq_decode(struct rd *r, struct pptp_icrq *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->call_id)) != 0 ||
	    (ret = rd_u16(r, &b->call_serial)) != 0 ||
	    (ret = rd_u32(r, &b->bearer_type)) != 0 ||
	    (ret = rd_u32(r, &b->phys_channel)) != 0 ||
	    (ret = rd_u16(r, &b->dialed_len)) != 0 ||
	    (ret = rd_u16(r, &b->dialing_len)) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_PHONE_LEN, b->dialed,
	    sizeof(b->dialed))) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_PHONE_LEN, b->dialing,
	    sizeof(b->dialing))) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_SUBADDR_LEN, b->subaddress,
	    sizeof(b->subaddress))) != 0)
		return ret;
	return 0;
}

static int
icrp_decode(struct rd *r, struct pptp_icrp *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->call_id)) != 0 ||
	    (ret = rd_u16(r, &b->peer_call_id)) != 0 ||
	    (ret = rd_u8(r, &b->result)) != 0 ||
	    (ret = rd_u8(r, &b->error)) != 0 ||
	    (ret = rd_u16(r, &b->recv_window)) != 0 ||
	    (ret = rd_u16(r, &b->ptd)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0)
		return ret;
	return 0;
}

static int
iccn_decode(struct rd *r, struct pptp_iccn *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->peer_call_id)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0 ||
	    (ret = rd_u32(r, &b->connect_speed)) != 0 ||
	    (ret = rd_u16(r, &b->recv_window)) != 0 ||
	    (ret = rd_u16(r, &b->ptd)) != 0 ||
	    (ret = rd_u32(r, &b->framing_type)) != 0)
		return ret;
	return 0;
}

static int
cdn_decode(struct rd *r, struct pptp_cdn *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->call_id)) != 0 ||
	    (ret = rd_u8(r, &b->result)) != 0 ||
	    (ret = rd_u8(r, &b->error)) != 0 ||
	    (ret = rd_u16(r, &b->cause)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0 ||
	    (ret = rd_fixed_str(r, PPTP_STATS_LEN, b->call_stats,
	    sizeof(b->call_stats))) != 0)
		return ret;
	return 0;
}

static int
wen_decode(struct rd *r, struct pptp_wen *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->peer_call_id)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0 ||
	    (ret = rd_u32(r, &b->crc_errors)) != 0 ||
	    (ret = rd_u32(r, &b->framing_errors)) != 0 ||
	    (ret = rd_u32(r, &b->hw_overruns)) != 0 ||
	    (ret = rd_u32(r, &b->buf_overruns)) != 0 ||
	    (ret = rd_u32(r, &b->timeout_errors)) != 0 ||
	    (ret = rd_u32(r, &b->align_errors)) != 0)
		return ret;
	return 0;
}

static int
sli_decode(struct rd *r, struct pptp_sli *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->peer_call_id)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0 ||
	    (ret = rd_u32(r, &b->send_accm)) != 0 ||
	    (ret = rd_u32(r, &b->recv_accm)) != 0)
		return ret;
	return 0;
}

static int
ccrq_decode(struct rd *r, struct pptp_ccrq *b)
{
	int ret;

	if ((ret = rd_u16(r, &b->call_id)) != 0 ||
	    (ret = rd_u16(r, &b->reserved1)) != 0)
		return ret;
	return 0;
}

static int
body_decode(struct rd *r, struct pptp_msg *m)
{
	switch (m->ctrl_type) {
	case PPTP_SCCRQ:	return sccrq_decode(r, &m->u.sccrq);
	case PPTP_SCCRP:	return sccrp_decode(r, &m->u.sccrp);
	case PPTP_STOPCCRQ:	return stopccrq_decode(r, &m->u.stopccrq);
	case PPTP_STOPCCRP:	return stopccrp_decode(r, &m->u.stopccrp);
	case PPTP_ECHORQ:	return rd_u32(r, &m->u.echorq.id);
	case PPTP_ECHORP:	return echorp_decode(r, &m->u.echorp);
	case PPTP_OCRQ:		return ocrq_decode(r, &m->u.ocrq);
	case PPTP_OCRP:		return ocrp_decode(r, &m->u.ocrp);
	case PPTP_ICRQ:		return icrq_decode(r, &m->u.icrq);
	case PPTP_ICRP:		return icrp_decode(r, &m->u.icrp);
	case PPTP_ICCN:		return iccn_decode(r, &m->u.iccn);
	case PPTP_CCRQ:		return ccrq_decode(r, &m->u.ccrq);
	case PPTP_CDN:		return cdn_decode(r, &m->u.cdn);
	case PPTP_WEN:		return wen_decode(r, &m->u.wen);
	case PPTP_SLI:		return sli_decode(r, &m->u.sli);
	}
	return ERR_CTRL_TYPE;
}

int
pptp_msg_decode(struct rd *r, struct pptp_msg *m)
{
	size_t len;
	int ret;

	/* One validation path for the stream and the decoder. */
	if ((ret = pptp_msg_frame(rd_cur(r), rd_left(r), &len)) != 0)
		return ret;
	if ((ret = rd_u16(r, &m->length)) != 0 ||
	    (ret = rd_u16(r, &m->msg_type)) != 0 ||
	    (ret = rd_u32(r, &m->magic)) != 0 ||
	    (ret = rd_u16(r, &m->ctrl_type)) != 0 ||
	    (ret = rd_u16(r, &m->reserved0)) != 0 ||
	    (ret = body_decode(r, m)) != 0)
		return ret;
	return rd_end(r);
}

/* --- body encoders --- */

/* The tail SCCRQ and SCCRP share after their first four octets. */
static void
caps_encode(struct wr *w, uint32_t framing, uint32_t bearer,
    uint16_t max_channels, uint16_t firmware, const char *host,
    const char *vendor)
{
	wr_u32(w, framing);
	wr_u32(w, bearer);
	wr_u16(w, max_channels);
	wr_u16(w, firmware);
	wr_bytes(w, host, PPTP_HOST_NAME_LEN);
	wr_bytes(w, vendor, PPTP_VENDOR_LEN);
}

static void
body_encode(struct wr *w, const struct pptp_msg *m)
{
	const struct pptp_sccrq *scq = &m->u.sccrq;
	const struct pptp_sccrp *scp = &m->u.sccrp;
	const struct pptp_ocrq *ocq = &m->u.ocrq;
	const struct pptp_ocrp *ocp = &m->u.ocrp;
	const struct pptp_icrq *icq = &m->u.icrq;
	const struct pptp_icrp *icp = &m->u.icrp;
	const struct pptp_iccn *icc = &m->u.iccn;
	const struct pptp_cdn *cdn = &m->u.cdn;
	const struct pptp_wen *wen = &m->u.wen;

	switch (m->ctrl_type) {
	case PPTP_SCCRQ:
		wr_u16(w, scq->version);
		wr_u16(w, scq->reserved1);
		caps_encode(w, scq->framing_caps,
		    scq->bearer_caps, scq->max_channels, scq->firmware_rev,
		    scq->host_name, scq->vendor);
		break;
	case PPTP_SCCRP:
		wr_u16(w, scp->version);
		wr_u8(w, scp->result);
		wr_u8(w, scp->error);
		caps_encode(w, scp->framing_caps,
		    scp->bearer_caps, scp->max_channels, scp->firmware_rev,
		    scp->host_name, scp->vendor);
		break;
	case PPTP_STOPCCRQ:
		wr_u8(w, m->u.stopccrq.reason);
		wr_u8(w, m->u.stopccrq.reserved1);
		wr_u16(w, m->u.stopccrq.reserved2);
		break;
	case PPTP_STOPCCRP:
		wr_u8(w, m->u.stopccrp.result);
		wr_u8(w, m->u.stopccrp.error);
		wr_u16(w, m->u.stopccrp.reserved1);
		break;
	case PPTP_ECHORQ:
		wr_u32(w, m->u.echorq.id);
		break;
	case PPTP_ECHORP:
		wr_u32(w, m->u.echorp.id);
		wr_u8(w, m->u.echorp.result);
		wr_u8(w, m->u.echorp.error);
		wr_u16(w, m->u.echorp.reserved1);
		break;
	case PPTP_OCRQ:
		wr_u16(w, ocq->call_id);
		wr_u16(w, ocq->call_serial);
		wr_u32(w, ocq->min_bps);
		wr_u32(w, ocq->max_bps);
		wr_u32(w, ocq->bearer_type);
		wr_u32(w, ocq->framing_type);
		wr_u16(w, ocq->recv_window);
		wr_u16(w, ocq->ppd);
		wr_u16(w, ocq->phone_len);
		wr_u16(w, ocq->reserved1);
		wr_bytes(w, ocq->phone, PPTP_PHONE_LEN);
		wr_bytes(w, ocq->subaddress, PPTP_SUBADDR_LEN);
		break;
	case PPTP_OCRP:
		wr_u16(w, ocp->call_id);
		wr_u16(w, ocp->peer_call_id);
		wr_u8(w, ocp->result);
		wr_u8(w, ocp->error);
		wr_u16(w, ocp->cause);
		wr_u32(w, ocp->connect_speed);
		wr_u16(w, ocp->recv_window);
		wr_u16(w, ocp->ppd);
		wr_u32(w, ocp->phys_channel);
		break;
	case PPTP_ICRQ:
		wr_u16(w, icq->call_id);
		wr_u16(w, icq->call_serial);
		wr_u32(w, icq->bearer_type);
		wr_u32(w, icq->phys_channel);
		wr_u16(w, icq->dialed_len);
		wr_u16(w, icq->dialing_len);
		wr_bytes(w, icq->dialed, PPTP_PHONE_LEN);
		wr_bytes(w, icq->dialing, PPTP_PHONE_LEN);
		wr_bytes(w, icq->subaddress, PPTP_SUBADDR_LEN);
		break;
	case PPTP_ICRP:
		wr_u16(w, icp->call_id);
		wr_u16(w, icp->peer_call_id);
		wr_u8(w, icp->result);
		wr_u8(w, icp->error);
		wr_u16(w, icp->recv_window);
		wr_u16(w, icp->ptd);
		wr_u16(w, icp->reserved1);
		break;
	case PPTP_ICCN:
		wr_u16(w, icc->peer_call_id);
		wr_u16(w, icc->reserved1);
		wr_u32(w, icc->connect_speed);
		wr_u16(w, icc->recv_window);
		wr_u16(w, icc->ptd);
		wr_u32(w, icc->framing_type);
		break;
	case PPTP_CCRQ:
		wr_u16(w, m->u.ccrq.call_id);
		wr_u16(w, m->u.ccrq.reserved1);
		break;
	case PPTP_CDN:
		wr_u16(w, cdn->call_id);
		wr_u8(w, cdn->result);
		wr_u8(w, cdn->error);
		wr_u16(w, cdn->cause);
		wr_u16(w, cdn->reserved1);
		wr_bytes(w, cdn->call_stats, PPTP_STATS_LEN);
		break;
	case PPTP_WEN:
		wr_u16(w, wen->peer_call_id);
		wr_u16(w, wen->reserved1);
		wr_u32(w, wen->crc_errors);
		wr_u32(w, wen->framing_errors);
		wr_u32(w, wen->hw_overruns);
		wr_u32(w, wen->buf_overruns);
		wr_u32(w, wen->timeout_errors);
		wr_u32(w, wen->align_errors);
		break;
	case PPTP_SLI:
		wr_u16(w, m->u.sli.peer_call_id);
		wr_u16(w, m->u.sli.reserved1);
		wr_u32(w, m->u.sli.send_accm);
		wr_u32(w, m->u.sli.recv_accm);
		break;
	}
}

int
pptp_msg_encode(struct wr *w, const struct pptp_msg *m)
{
	size_t len = pptp_msg_len(m->ctrl_type);
	size_t start = wr_len(w);
	int ret;

	if (len == 0)
		return ERR_CTRL_TYPE;
	wr_u16(w, (uint16_t)len);
	wr_u16(w, PPTP_MSG_CONTROL);
	wr_u32(w, PPTP_MAGIC);
	wr_u16(w, m->ctrl_type);
	wr_u16(w, m->reserved0);
	body_encode(w, m);
	if ((ret = wr_error(w)) != 0)
		return ret;
	/* The table and the layouts above must agree; tests pin this. */
	return wr_len(w) - start == len ? 0 : ERR_LENGTH;
}

int
pptp_msg_check_reserved(const struct pptp_msg *m)
{
	uint32_t junk = m->reserved0;

	switch (m->ctrl_type) {
	case PPTP_SCCRQ:	junk |= m->u.sccrq.reserved1; break;
	case PPTP_STOPCCRQ:	junk |= m->u.stopccrq.reserved1 |
				    m->u.stopccrq.reserved2; break;
	case PPTP_STOPCCRP:	junk |= m->u.stopccrp.reserved1; break;
	case PPTP_ECHORP:	junk |= m->u.echorp.reserved1; break;
	case PPTP_OCRQ:		junk |= m->u.ocrq.reserved1; break;
	case PPTP_ICRP:		junk |= m->u.icrp.reserved1; break;
	case PPTP_ICCN:		junk |= m->u.iccn.reserved1; break;
	case PPTP_CCRQ:		junk |= m->u.ccrq.reserved1; break;
	case PPTP_CDN:		junk |= m->u.cdn.reserved1; break;
	case PPTP_WEN:		junk |= m->u.wen.reserved1; break;
	case PPTP_SLI:		junk |= m->u.sli.reserved1; break;
	case PPTP_SCCRP:	/* no reserved field in these bodies */
	case PPTP_ECHORQ:
	case PPTP_OCRP:
	case PPTP_ICRQ:
		break;
	default:
		return ERR_CTRL_TYPE;
	}
	return junk != 0 ? ERR_RESERVED : 0;
}

void
pptp_msg_init(struct pptp_msg *m, uint16_t ctrl_type)
{
	memset(m, 0, sizeof(*m));
	m->length = (uint16_t)pptp_msg_len(ctrl_type);
	m->msg_type = PPTP_MSG_CONTROL;
	m->magic = PPTP_MAGIC;
	m->ctrl_type = ctrl_type;
	if (ctrl_type == PPTP_SCCRQ)
		m->u.sccrq.version = PPTP_VERSION;
	else if (ctrl_type == PPTP_SCCRP)
		m->u.sccrp.version = PPTP_VERSION;
}

void
pptp_msg_set_str(char *field, size_t fieldsz, const char *s)
{
	size_t n;

	if (fieldsz == 0)
		return;
	n = strnlen(s, fieldsz - 1);
	memcpy(field, s, n);
	memset(field + n, 0, fieldsz - n);
}

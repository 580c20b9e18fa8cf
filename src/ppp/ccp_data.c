/*
 * ccp_data.c - the MPPE data path of the CCP part (ccp.h): encrypting and
 * decrypting through the two directions of src/crypto/mppe.h, resyncing a
 * stateful receiver that lost a FLUSHED packet, and the Reset-Requests
 * (RFC 1962 5.1, RFC 3078 8.2) that ask the peer to flush.
 */
#include "../base/secret.h"
#include "../wire/ppp_cp.h"
#include "../wire/ppp_opt.h"
#include "ppp_int.h"

/*
 * Sends our Reset-Request: a new one (new Identifier) or a retransmission,
 * and schedules the next (see ccp_deadline in ccp.h).
 */
void
ccp_send_reset_req(struct ppp *s, uint64_t now, bool fresh)
{
	struct ccp_state *c = &s->ccp;
	uint64_t rto = c->fsm.cfg.restart_ms;
	uint8_t pkt[FSM_HDR_LEN];
	struct wr w;

	c->reset_id += fresh;
	c->reset_sent = fresh ? now : c->reset_sent;
	c->reset_retx = !fresh;
	c->reset_acked = false;
	if (c->reset_rtt != 0 && 4 * (uint64_t)c->reset_rtt < rto)
		rto = 4 * (uint64_t)c->reset_rtt;
	c->reset_next = now + (rto < CCP_RESET_MIN_MS ? CCP_RESET_MIN_MS : rto);
	wr_init(&w, pkt, sizeof(pkt));
	if (ppp_cp_encode(&w, PPP_RESET_REQ, c->reset_id, NULL, 0) != 0)
		return;
	ppp_send_proto(s, PPP_CCP, pkt, wr_len(&w));
	s->stats.mppe_resets_sent++;
}

bool
ccp_is_active(const struct ppp *s)
{
	return s->ccp.active;
}

int
ccp_encrypt(struct ppp *s, const uint8_t *inner, size_t len, struct wr *out)
{
	return s->ccp.active ? mppe_encrypt(&s->ccp.tx, inner, len, out) :
	    ERR_STATE;
}

/*
 * What MPPE carries here: an IPv4 or IPv6 packet behind its protocol field,
 * compressed (PFC) or not.  Random bytes pass for about 1 in 2000.
 */
static bool
ccp_inner_plausible(const uint8_t *p, size_t n)
{
	size_t hl = (n >= 1 && (p[0] & 1) != 0) ? 1 : 2;	/* PFC or not */
	uint16_t proto;

	if (n <= hl)
		return false;
	proto = hl == 1 ? p[0] : (uint16_t)(p[0] << 8 | p[1]);
	return (proto == PPP_IP && (p[hl] >> 4) == 4) ||
	    (proto == PPP_IPV6 && (p[hl] >> 4) == 6);
}

/* Stateful, out of sync, and this packet is FLUSHED: see "Lost FLUSHED
 * packets" in ccp.h. */
static int
ccp_decrypt_resync(struct ppp *s, const uint8_t *info, size_t len,
    uint8_t *out, size_t cap, size_t *outlen)
{
	struct ccp_state *c = &s->ccp;
	struct mppe_dir base = c->rx, trial;
	unsigned extra, k;
	struct rd r;
	int ret;

	rd_init(&r, info, len);
	ret = mppe_decrypt(&c->rx, &r, out, cap, outlen);
	if (ret != 0 || mppe_dir_is_discarding(&c->rx) ||
	    ccp_inner_plausible(out, *outlen))
		goto out;
	for (extra = 1; extra <= CCP_RESYNC_EXTRA; extra++) {
		trial = base;
		for (k = 0; k < extra; k++)
			if (mppe_change_key(trial.start_key, trial.session_key,
			    trial.bits, &trial.rc4) != 0)
				break;
		rd_init(&r, info, len);
		if (k == extra &&
		    mppe_decrypt(&trial, &r, out, cap, outlen) == 0 &&
		    ccp_inner_plausible(out, *outlen)) {
			c->rx = trial;
			ppp_log(s, "mppe: resynchronised %u key change%s ahead "
			    "(a FLUSHED packet was lost)", extra,
			    extra > 1 ? "s" : "");
			goto out;
		}
	}
	/* none looks right: the plain result stands */
	c->rx = base;
	rd_init(&r, info, len);
	ret = mppe_decrypt(&c->rx, &r, out, cap, outlen);
out:
	secret_wipe(&base, sizeof(base));
	secret_wipe(&trial, sizeof(trial));
	return ret;
}

int
ccp_decrypt(struct ppp *s, uint64_t now, const uint8_t *info, size_t len,
    uint8_t *out, size_t cap, size_t *outlen)
{
	struct ccp_state *c = &s->ccp;
	struct rd r;
	int ret;

	if (!c->active)
		return ERR_STATE;
	rd_init(&r, info, len);
	if (!c->stateless && mppe_dir_is_discarding(&c->rx) && len >= 1 &&
	    (info[0] & (MPPE_BIT_FLUSHED >> 8)) != 0)
		ret = ccp_decrypt_resync(s, info, len, out, cap, outlen);
	else
		ret = mppe_decrypt(&c->rx, &r, out, cap, outlen);
	/*
	 * RFC 3078 8.2: one Reset-Request per loss, with a new Identifier.
	 * The peer sends its Reset-Ack before the FLUSHED packet, so a packet
	 * without FLUSHED after the Reset-Ack means that one was lost: ask
	 * again now rather than a Restart interval later.
	 */
	if (!c->stateless && (mppe_dir_want_reset(&c->rx) ||
	    (ret == ERR_NOKEY && c->reset_acked)))
		ccp_send_reset_req(s, now, true);
	return ret;
}

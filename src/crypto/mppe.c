/*
 * mppe.c - the MPPE data transform: RFC 3078 section 3 (the header and what
 * is encrypted), 7.1/7.2 (when the key changes), 7.3 (how, via
 * mppe_change_key), 8.1 (stateless synchronisation: N key changes for a
 * coherency count N ahead, late packets dropped) and 8.2 (stateful: on
 * loss, discard until FLUSHED; the sender flushes on a Reset-Request).
 *
 * See mppe.h for the behaviour matched against Linux and Windows.
 */
#include <string.h>

#include "../base/secret.h"
#include "mppe.h"

#define CCOUNT_MASK	(MPPE_CCOUNT_SPACE - 1)

int
mppe_dir_init(struct mppe_dir *d, const uint8_t start_key[MPPE_KEY_MAX],
    unsigned bits, bool stateless)
{
	unsigned keylen = mppe_key_len(bits);
	int ret;

	memset(d, 0, sizeof(*d));
	if (keylen == 0)
		return ERR_INVAL;
	d->keylen = keylen;
	d->bits = bits;
	d->stateless = stateless;
	memcpy(d->start_key, start_key, keylen);
	/* SessionKey = GetNewKeyFromSHA(StartKey, StartKey), reduced */
	if ((ret = mppe_initial_session_key(d->start_key, bits,
	    d->session_key)) != 0) {
		mppe_dir_fini(d);
		return ret;
	}
	rc4_fast_init(&d->rc4, d->session_key, keylen);
	/* the first packet is ccount 0: "one before" it is 4095 */
	d->ccount = CCOUNT_MASK;
	d->max_gap = MPPE_MAX_GAP_DEFAULT;
	return 0;
}

void
mppe_dir_fini(struct mppe_dir *d)
{
	secret_wipe(d, sizeof(*d));
}

int
mppe_dir_set_max_gap(struct mppe_dir *d, unsigned max_gap)
{
	if (max_gap < 1 || max_gap >= MPPE_LATE_WINDOW)
		return ERR_RANGE;
	d->max_gap = max_gap;
	return 0;
}

/* One key change (RFC 3078 7.3); RC4 is re-keyed with the new key. */
static void
mppe_dir_rekey(struct mppe_dir *d)
{
	/* cannot fail: d->bits was checked by mppe_dir_init */
	int ret = mppe_change_key(d->start_key, d->session_key, d->bits,
	    &d->rc4);

	(void)ret;
	d->rekeys++;
}

int
mppe_encrypt(struct mppe_dir *d, const uint8_t *in, size_t len, struct wr *out)
{
	struct mppe_hdr h;
	uint8_t *dst;
	int ret;

	if (d->keylen == 0)
		return ERR_STATE;
	if (len == 0)
		return ERR_INVAL;
	if ((ret = wr_error(out)) != 0)
		return ret;
	if (out->cap - out->off < MPPE_HDR_LEN ||
	    out->cap - out->off - MPPE_HDR_LEN < len)
		return wr_zero(out, out->cap - out->off + 1); /* sticky NOSPACE */

	d->ccount = (d->ccount + 1) & CCOUNT_MASK;
	memset(&h, 0, sizeof(h));
	h.encrypted = true;
	h.ccount = d->ccount;
	/*
	 * 7.1: stateless - change the key before every packet.
	 * 7.2: stateful - before each flag packet (ccount & 0xFF == 0xFF).
	 * 8.2: stateful - the first packet after a Reset-Request.
	 * Each of these restarts RC4 and so carries FLUSHED.
	 */
	if (d->stateless || (d->ccount & 0xff) == 0xff || d->flushed_pending) {
		mppe_dir_rekey(d);
		h.flushed = true;
	}
	d->flushed_pending = false;
	if ((ret = mppe_hdr_encode(out, &h)) != 0)
		return ret;		/* not reached: room checked above */
	dst = out->buf + out->off;
	rc4_fast_crypt(&d->rc4, in, dst, len);
	out->off += len;
	return 0;
}

void
mppe_dir_reset(struct mppe_dir *d)
{
	/* several Reset-Requests before the next packet: one key change */
	if (!d->stateless)
		d->flushed_pending = true;
}

int
mppe_ccount_judge(uint16_t last, uint16_t ccount, unsigned max_gap,
    unsigned *rekeys)
{
	unsigned dist = (unsigned)(ccount - last) & CCOUNT_MASK;

	*rekeys = 0;
	if (dist == 0 || dist >= MPPE_LATE_WINDOW)
		return ERR_STALE;	/* a duplicate, or behind */
	if (dist > max_gap)
		return ERR_TOO_FAR;
	*rekeys = dist;
	return 0;
}

/* Flag packets (ccount & 0xFF == 0xFF) strictly between last and last +
 * dist, counting on the unwrapped line (4096 is a multiple of 256). */
static unsigned
flags_between(unsigned last, unsigned dist)
{
	return ((last + dist) >> 8) - ((last + 1) >> 8);
}

/* Stateful receive, RFC 3078 8.2 as Linux and Windows do it. */
static int
mppe_stateful_sync(struct mppe_dir *d, const struct mppe_hdr *h)
{
	unsigned dist = (unsigned)(h->ccount - d->ccount) & CCOUNT_MASK;
	unsigned flags, need, k;

	if (dist == 0 || dist >= MPPE_LATE_WINDOW)
		return ERR_STALE;
	flags = flags_between(d->ccount, dist);
	if (h->flushed) {
		/*
		 * The sender changed its key at every flag packet we missed
		 * (counted now and while discarding) and once for this one.
		 */
		need = d->missed_rekeys + flags + 1;
		if (need > d->max_gap)
			return ERR_TOO_FAR;
		for (k = 0; k < need; k++)
			mppe_dir_rekey(d);
		d->discarding = false;
		d->missed_rekeys = 0;
		d->ccount = h->ccount;
		return 0;
	}
	if (!d->discarding && dist == 1) {
		d->ccount = h->ccount;	/* in order: the RC4 stream goes on */
		return 0;
	}
	/* a packet was lost: discard until FLUSHED, ask for a reset once
	 * (the count saturates: past max_gap it can only mean ERR_TOO_FAR) */
	if (d->missed_rekeys < MPPE_LATE_WINDOW)
		d->missed_rekeys += flags;
	d->ccount = h->ccount;
	if (!d->discarding) {
		d->discarding = true;
		d->reset_wanted = true;
	}
	return ERR_NOKEY;
}

/* Stateless receive, RFC 3078 8.1: as many key changes as the count moved. */
static int
mppe_stateless_sync(struct mppe_dir *d, const struct mppe_hdr *h)
{
	unsigned need, k;
	int ret;

	if ((ret = mppe_ccount_judge(d->ccount, h->ccount, d->max_gap,
	    &need)) != 0)
		return ret;
	for (k = 0; k < need; k++)
		mppe_dir_rekey(d);
	d->ccount = h->ccount;
	return 0;
}

int
mppe_decrypt(struct mppe_dir *d, struct rd *in, uint8_t *out, size_t cap,
    size_t *outlen)
{
	struct rd r = *in;
	struct mppe_hdr h;
	const uint8_t *ct;
	size_t n;
	int ret;

	*outlen = 0;
	if (d->keylen == 0)
		return ERR_STATE;
	if ((ret = mppe_hdr_decode(&r, &h)) != 0 ||
	    (n = rd_left(&r)) == 0) {
		d->drops++;
		return ERR_TRUNCATED;
	}
	if (n > cap)
		return ERR_NOSPACE;
	if (!h.encrypted)
		ret = ERR_FORMAT;
	else if (h.mppc_b || h.mppc_c)
		ret = ERR_FLAGS;
	else if (!h.flushed &&
	    (d->stateless || (h.ccount & 0xff) == 0xff))
		ret = ERR_FLAGS;
	else if (d->stateless)
		ret = mppe_stateless_sync(d, &h);
	else
		ret = mppe_stateful_sync(d, &h);
	if (ret != 0) {
		d->drops++;
		return ret;
	}
	ct = rd_cur(&r);
	if ((ret = rd_skip(&r, n)) != 0)
		return ret;		/* not reached: n is what is left */
	rc4_fast_crypt(&d->rc4, ct, out, n);
	*outlen = n;
	*in = r;
	return 0;
}

bool
mppe_dir_want_reset(struct mppe_dir *d)
{
	bool want = d->reset_wanted;

	d->reset_wanted = false;
	return want;
}

bool
mppe_dir_is_discarding(const struct mppe_dir *d)
{
	return d->discarding;
}

void
mppe_dir_print(const struct mppe_dir *d, struct sbuf *sb)
{
	sbuf_printf(sb, "mppe %u-bit %s ccount=%u rekeys=%u drops=%u%s", d->bits,
	    d->stateless ? "stateless" : "stateful", d->ccount, d->rekeys,
	    d->drops, d->discarding ? " discarding" : "");
}

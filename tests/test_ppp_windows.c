/*
 * test_ppp_windows.c - the Windows PPTP client, scripted byte by byte,
 * against the server core with its default policy (MS-CHAPv2 only,
 * MPPE-128 stateless required), through ppp.h.  The script does what
 * Windows does (research/landscape.md 1.7, 3.6, 3.8, 3.9; 2, items 4, 9):
 * LCP with Callback (CBCP), MRRU and Endpoint-Discriminator, which must be
 * Rejected exactly (RFC 1661 5.4); Identification packets, never
 * Code-Rejected (RFC 1570 2.1); a real MS-CHAPv2 Response for
 * "DOMAIN\alice" and the check of the server's S= (RFC 2759 8); IPCP with
 * the RFC 1877 options and IPV6CP in parallel with CCP, held and never
 * Terminate-Acked (accel-ppp#353, RFC 3078 9); the CCP offers Windows
 * versions make (all, 128-bit stateless, MPPC only, all zero, 40-bit only)
 * Nak'd to the one strongest strength plus stateless (RFC 3078 2.1) or
 * ended with a reason naming both offers; then keys derived on Windows'
 * side (RFC 3079 3) and IPv4 and IPv6 through MPPE both ways, byte-exact.
 * Every frame the server sends is decoded with the src/wire codecs and
 * accounted for: a step that expects nothing checks that nothing came.
 * Run the binary with -v to see the conversation (the session's logs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "../src/base/secret.h"
#include "../src/crypto/mppe.h"
#include "../src/crypto/mppe_keys.h"
#include "../src/crypto/mschap.h"
#include "../src/ppp/ppp.h"
#include "../src/wire/mppe_hdr.h"
#include "../src/wire/ppp_auth.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_frame.h"
#include "../src/wire/ppp_opt.h"

#define WIN_FRAMES	128
#define WIN_T0		5000000u	/* ms */

#define SRV_IP		0x0a000001u	/* 10.0.0.1: the server's end */
#define PEER_IP		0x0a000002u	/* 10.0.0.2: given to Windows */
#define DNS_1		0xc0000235u	/* 192.0.2.53 */
#define DNS_2		0xc0000236u	/* 192.0.2.54 */

#define H		MPPE_OPT_H
#define S		MPPE_OPT_S

static const char win_user[] = "DOMAIN\\alice";
static const char win_password[] = "secret";
static const uint8_t win_peer_chal[16] = { 0x3c, 0x5e, 0x01, 0x99, 0xa7,
    0x42, 0x6d, 0x10, 0xfe, 0x83, 0x27, 0xb4, 0x0c, 0x61, 0xd8, 0x5a };
static const uint8_t win_ifid[8] = { 0x5d, 0x2f, 0x91, 0x0c, 0x7a, 0x44,
    0x13, 0xe8 };

struct win_frame {
	uint16_t	proto;
	bool		acf, pfc;	/* FF 03 present; one-octet protocol */
	bool		used;		/* the script took it */
	size_t		len;		/* of b: the Information field */
	uint8_t		b[PPP_FRAME_MAX];
};

/* The server session and the scripted Windows client facing it. */
struct win {
	struct ppp		*s;
	struct ppp_config	 cfg;
	uint64_t		 now, rng;
	/* what the server sent */
	struct win_frame	 out[WIN_FRAMES];
	unsigned		 nout, bad_frames;	/* bad: LCP compressed */
	/* the server's events: how many of each type, the last one */
	unsigned		 n[PPP_EV_LOG + 1];
	struct ppp_event	 ev[PPP_EV_LOG + 1];
	char			 nodomain[PPP_NAME_MAX + 1];	/* AUTH_REQ */
	char			 down_text[PPP_REASON_MAX + 1];
	int			 answer_ret;
	/* IP packets the server delivered: how many, the last one */
	unsigned		 n_rx;
	uint16_t		 rx_proto;
	size_t			 rx_len;
	uint8_t			 rx[PPP_FRAME_MAX];
	/* Windows' side */
	bool			 comp;	/* ACFC and PFC agreed: used */
	uint8_t			 ipcp_id, ccp_id;
	uint16_t		 srv_mru;	/* what the server asked */
	uint8_t			 auth_chal[16], nt_hash[16], nt_resp[24];
	struct win_frame	*srv_ccp_req;	/* to Ack later */
	struct mppe_dir		 tx, rx_dir;
};

/* --- the server's io --- */

static void
win_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct win *w = ctx;
	struct win_frame *f;
	struct ppp_frame h;
	struct rd r, info;

	rd_init(&r, frame, len);
	if (w->nout == WIN_FRAMES || ppp_frame_decode(&r, &h, &info) != 0 ||
	    rd_left(&info) > sizeof(f->b) ||
	    (h.proto == PPP_LCP && (!h.acf || h.pfc))) {	/* RFC 1661 6.5 */
		w->bad_frames++;
		return;
	}
	f = &w->out[w->nout++];
	*f = (struct win_frame){ .proto = h.proto, .acf = h.acf, .pfc = h.pfc,
	    .len = rd_left(&info) };
	memcpy(f->b, rd_cur(&info), f->len);
}

static void
win_deliver(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct win *w = ctx;

	w->n_rx++;
	w->rx_proto = proto;
	w->rx_len = len <= sizeof(w->rx) ? len : 0;
	memcpy(w->rx, pkt, w->rx_len);
}

static void
win_event(void *ctx, const struct ppp_event *ev)
{
	struct win *w = ctx;

	if ((unsigned)ev->type > PPP_EV_LOG)
		return;
	w->n[ev->type]++;
	w->ev[ev->type] = *ev;		/* its pointers are not kept */
	if (ev->type == PPP_EV_LOG)
		t_note("log: %s", ev->text);
	if (ev->type == PPP_EV_DOWN)
		snprintf(w->down_text, sizeof(w->down_text), "%s",
		    ev->text != NULL ? ev->text : "");
	if (ev->type != PPP_EV_AUTH_REQUEST)
		return;
	/* a user table of one, answered at once */
	snprintf(w->nodomain, sizeof(w->nodomain), "%s",
	    ev->u.auth.user_nodomain);
	w->answer_ret = ppp_auth_answer(w->s, w->now,
	    &(struct ppp_auth_answer){ .accept = true,
	    .password = win_password, .local_ip = SRV_IP, .peer_ip = PEER_IP });
}

static void
win_random(void *ctx, void *buf, size_t n)
{
	struct win *w = ctx;
	uint8_t *p = buf;

	while (n--)	/* Knuth's MMIX LCG, the top octet */
		*p++ = (uint8_t)((w->rng = w->rng * 6364136223846793005ull +
		    1442695040888963407ull) >> 56);
}

/* A server with the default policy; dns: offer DNS_1/DNS_2 (RFC 1877). */
static struct win *
win_new(bool dns)
{
	struct win *w = calloc(1, sizeof(*w));
	struct ppp_io io = { .send = win_send, .deliver = win_deliver,
	    .event = win_event, .random = win_random, .ctx = w };

	if (w == NULL)
		return NULL;
	ppp_config_default(&w->cfg, PPP_ROLE_SERVER);
	w->cfg.dns[0] = dns ? DNS_1 : 0;
	w->cfg.dns[1] = dns ? DNS_2 : 0;
	w->now = WIN_T0;
	w->rng = 0x9e3779b97f4a7c15ull;
	w->ipcp_id = w->ccp_id = 1;
	if (ppp_new(&w->s, &w->cfg, &io) != 0) {
		free(w);
		return NULL;
	}
	return w;
}

static void
win_free(struct win *w)
{
	mppe_dir_fini(&w->tx);
	mppe_dir_fini(&w->rx_dir);
	ppp_free(w->s);
	free(w);
}

/* --- reading what the server sent --- */

/* Frames of proto (0: any) the script has not looked at. */
static unsigned
win_left(const struct win *w, uint16_t proto)
{
	unsigned i, n = 0;

	for (i = 0; i < w->nout; i++)
		n += !w->out[i].used && (proto == 0 || w->out[i].proto == proto);
	return n;
}

/* The oldest unread frame of proto whose first octet (the Code of a
 * control packet) is code (-1: any); now read.  NULL if none. */
static struct win_frame *
win_take(struct win *w, uint16_t proto, int code)
{
	struct win_frame *f;
	unsigned i;

	for (i = 0, f = w->out; i < w->nout; i++, f++)
		if (!f->used && f->proto == proto &&
		    (code < 0 || (f->len > 0 && f->b[0] == code)))
			return f->used = true, f;
	return NULL;
}

/* The server must have sent a control packet of proto with this code and
 * Identifier (id < 0: any): it is taken and decoded (ppp_cp_decode), *d
 * gets its data (the options).  False, with a failed check, if not. */
static bool
win_expect(struct win *w, uint16_t proto, uint8_t code, int id,
    struct rd *d, struct win_frame **fp)
{
	struct win_frame *f = win_take(w, proto, code);
	struct ppp_cp h;
	struct rd r;

	if (f != NULL)
		rd_init(&r, f->b, f->len);
	if (!CHECK(f != NULL && ppp_cp_decode(&r, &h, d) == 0)) {
		t_note("expected from the server: %s %s",
		    ppp_proto_name(proto), ppp_code_name(proto, code));
		return false;
	}
	if (fp != NULL)
		*fp = f;
	return id < 0 || CHECK(h.id == id);
}

/* The option types of a Configure-* data part are exactly want[n]. */
static bool
opts_are(struct rd data, const uint8_t *want, size_t n)
{
	struct ppp_opt o;
	uint8_t got[32];
	size_t k = 0;
	int ret;

	while ((ret = ppp_opt_next(&data, &o)) == 0)
		if (k < sizeof(got))
			got[k++] = o.type;
	return ret == PPP_OPT_END && k == n && memcmp(got, want, n) == 0;
}

static bool
opt_find(struct rd data, uint8_t type, struct ppp_opt *o)
{
	while (ppp_opt_next(&data, o) == 0)
		if (o->type == type)
			return true;
	return false;
}

/* The MPPE option of a CCP packet holding only that; ~0 otherwise. */
static uint32_t
ccp_val(struct rd data)
{
	struct ppp_opt o;
	struct mppe_opt m;

	if (!opts_are(data, (const uint8_t[]){ CCP_OPT_MPPE }, 1) ||
	    !opt_find(data, CCP_OPT_MPPE, &o) ||
	    ccp_opt_mppe_decode(&o, &m) != 0)
		return 0xffffffffu;
	return mppe_opt_to_bits(&m);
}

static bool
data_is(struct rd data, const uint8_t *want, size_t n)
{
	return rd_left(&data) == n && memcmp(rd_cur(&data), want, n) == 0;
}

/* IPCP address options types[n] = vals (NULL: 0.0.0.0) into p[64]. */
static size_t
ipcp_opts(uint8_t *p, const uint8_t *types, size_t n, const uint32_t *vals)
{
	struct wr wr;
	size_t i;

	wr_init(&wr, p, 64);
	for (i = 0; i < n; i++)
		if (ipcp_opt_addr_encode(&wr, types[i], vals ? vals[i] : 0) != 0)
			return 0;
	return wr_len(&wr);
}

/* --- what Windows sends --- */

/* One frame: FF 03 and a two-octet protocol until LCP agreed ACFC and
 * PFC, then compressed as Windows does (never LCP: ppp_frame_encode). */
static int
win_in(struct win *w, uint16_t proto, const uint8_t *pkt, size_t len)
{
	uint8_t f[PPP_FRAME_HDR_MAX + PPP_FRAME_MAX];
	struct wr wr;

	w->now += 5;
	wr_init(&wr, f, sizeof(f));
	if (ppp_frame_encode(&wr, proto, w->comp, w->comp) != 0 ||
	    wr_bytes(&wr, pkt, len) != 0)
		return ERR_NOSPACE;
	return ppp_input(w->s, w->now, f, wr_len(&wr));
}

static int
win_cp(struct win *w, uint16_t proto, uint8_t code, uint8_t id,
    const void *data, size_t n)
{
	uint8_t p[PPP_FRAME_MAX];
	struct wr wr;

	wr_init(&wr, p, sizeof(p));
	if (ppp_cp_encode(&wr, code, id, data, n) != 0)
		return ERR_NOSPACE;
	return win_in(w, proto, p, wr_len(&wr));
}

/* Answers a request of the server with its Identifier: a Configure-Ack
 * repeats its options (RFC 1661 5.2), a Terminate-Ack carries nothing. */
static int
win_ack(struct win *w, uint16_t proto, const struct win_frame *req,
    uint8_t code)
{
	struct ppp_cp h;
	struct rd r, d;

	rd_init(&r, req->b, req->len);
	if (ppp_cp_decode(&r, &h, &d) != 0)
		return ERR_FORMAT;
	return win_cp(w, proto, code, h.id, rd_cur(&d),
	    code == PPP_CONF_ACK ? rd_left(&d) : 0);
}

/* --- the script, step by step --- */

/* LCP as Windows runs it, then its Identification packets. */
static bool
win_lcp(struct win *w)
{
	static const uint8_t srv_types[] = { LCP_OPT_MRU, LCP_OPT_AUTH,
	    LCP_OPT_MAGIC, LCP_OPT_PFC, LCP_OPT_ACFC };
	static const char *const idents[] = { "MSRASV5.20",
	    "MSRAS-0-HOSTNAME" };
	struct lcp_ident id = { .magic = 0x5c3a11e7 };
	struct lcp_callback cb = { .op = LCP_CALLBACK_CBCP };
	struct lcp_endpoint ep = { .cls = LCP_EPD_LOCAL,
	    .addr_len = LCP_EPD_ADDR_MAX };
	struct win_frame *sreq;
	struct rd d, sd, walk;
	struct ppp_opt o;
	struct lcp_auth a;
	uint8_t opts[96];
	uint16_t mru;
	size_t base, i;
	unsigned before;
	struct wr wr;

	CHECK_OK(ppp_start(w->s, w->now));
	if (!win_expect(w, PPP_LCP, PPP_CONF_REQ, -1, &sd, &sreq))
		return false;
	/* auth chap MS-v2; nothing Windows would have to reject; no ACCM */
	CHECK(opt_find(sd, LCP_OPT_AUTH, &o) &&
	    lcp_opt_auth_decode(&o, &a) == 0 && a.proto == PPP_CHAP &&
	    a.chap_alg == LCP_CHAP_MSCHAPV2);
	CHECK(!opt_find(sd, LCP_OPT_ACCM, &o));
	walk = sd;
	while (ppp_opt_next(&walk, &o) == 0)
		CHECK(memchr(srv_types, o.type, sizeof(srv_types)) != NULL);
	w->srv_mru = 1500;			/* RFC 1661 6.1 default */
	if (opt_find(sd, LCP_OPT_MRU, &o) &&
	    CHECK(lcp_opt_mru_decode(&o, &mru) == 0 && mru >= PPP_MRU_MIN))
		w->srv_mru = mru;

	/* <magic> <pcomp> <accomp> <callback CBCP> <mrru 1614> <endpoint> */
	memset(ep.addr, 0xa5, sizeof(ep.addr));	/* a GUID and 4 octets */
	wr_init(&wr, opts, sizeof(opts));
	CHECK(lcp_opt_magic_encode(&wr, id.magic) == 0 &&
	    lcp_opt_pfc_encode(&wr) == 0 && lcp_opt_acfc_encode(&wr) == 0);
	base = wr_len(&wr);
	CHECK(lcp_opt_callback_encode(&wr, &cb) == 0 &&
	    lcp_opt_mrru_encode(&wr, 1614) == 0 &&
	    lcp_opt_endpoint_encode(&wr, &ep) == 0);
	CHECK_OK(win_cp(w, PPP_LCP, PPP_CONF_REQ, 0, opts, wr_len(&wr)));
	if (!win_expect(w, PPP_LCP, PPP_CONF_REJ, 0, &d, NULL))
		return false;
	CHECK(opts_are(d, (const uint8_t[]){ 13, 17, 19 }, 3));
	CHECK(data_is(d, opts + base, wr_len(&wr) - base));	/* verbatim */
	CHECK_EQ(win_left(w, 0), 0);

	/* the same without them: Acked as sent */
	CHECK_OK(win_cp(w, PPP_LCP, PPP_CONF_REQ, 1, opts, base));
	if (!win_expect(w, PPP_LCP, PPP_CONF_ACK, 1, &d, NULL))
		return false;
	CHECK(data_is(d, opts, base));
	CHECK_EQ(win_left(w, 0), 0);
	CHECK_EQ(ppp_phase(w->s), PPP_PHASE_ESTABLISH);

	CHECK_OK(win_ack(w, PPP_LCP, sreq, PPP_CONF_ACK));
	if (!CHECK(ppp_phase(w->s) == PPP_PHASE_AUTHENTICATE))
		return false;
	w->comp = true;		/* both sides Acked pcomp and accomp */
	CHECK(win_left(w, PPP_CHAP) == 1 && win_left(w, 0) == 1); /* Challenge */

	/* RFC 1570 Identification: no Code-Reject, no effect */
	before = w->nout;
	for (i = 0; i < 2; i++) {
		id.msg = (const uint8_t *)idents[i];
		id.msg_len = strlen(idents[i]);
		wr_init(&wr, opts, sizeof(opts));
		CHECK(ppp_cp_begin(&wr, PPP_IDENT, (uint8_t)(2 + i), &base) ==
		    0 && lcp_ident_encode(&wr, &id) == 0 &&
		    ppp_cp_finish(&wr, base) == 0);
		CHECK_OK(win_in(w, PPP_LCP, opts, wr_len(&wr)));
	}
	CHECK_EQ(w->nout, before);
	CHECK_EQ(ppp_phase(w->s), PPP_PHASE_AUTHENTICATE);
	CHECK_EQ(ppp_stats(w->s)->rx_dropped, 0);
	return true;
}

/* MS-CHAPv2 with a real Response; the server's S= checked; then IPCP
 * and IPV6CP before CCP, as Windows does. */
static bool
win_auth(struct win *w)
{
	static const uint8_t t5[] = { IPCP_OPT_ADDR, IPCP_OPT_DNS1,
	    IPCP_OPT_NBNS1, IPCP_OPT_DNS2, IPCP_OPT_NBNS2 };
	uint8_t val[MSCHAPV2_RESPONSE_LEN], pkt[128], id;
	struct mschapv2_response resp;
	struct chap_msg m, rm;
	struct win_frame *f;
	const char *u;
	size_t ulen;
	struct wr vw, pw;
	struct rd d;

	if ((f = win_take(w, PPP_CHAP, CHAP_CHALLENGE)) != NULL)
		rd_init(&d, f->b, f->len);
	if (!CHECK(f != NULL && chap_msg_decode(&d, &m) == 0))
		return false;
	CHECK_OK(mschapv2_challenge_decode(m.value, m.value_len,
	    w->auth_chal));
	CHECK(m.name_len == strlen(w->cfg.name) &&
	    memcmp(m.name, w->cfg.name, m.name_len) == 0);
	id = m.id;

	/* RFC 2759 8.2 hashes the user name without DOMAIN\ */
	mschap_split_domain(win_user, strlen(win_user), &u, &ulen);
	CHECK_OK(mschap_nt_password_hash(win_password, strlen(win_password),
	    w->nt_hash));
	mschapv2_generate_nt_response(w->auth_chal, win_peer_chal, u, ulen,
	    w->nt_hash, w->nt_resp);
	memset(&resp, 0, sizeof(resp));
	memcpy(resp.peer_challenge, win_peer_chal, 16);
	memcpy(resp.nt_response, w->nt_resp, 24);
	wr_init(&vw, val, sizeof(val));
	CHECK_OK(mschapv2_response_encode(&vw, &resp));
	rm = (struct chap_msg){ .code = CHAP_RESPONSE, .id = id, .value = val,
	    .value_len = sizeof(val), .name = (const uint8_t *)win_user,
	    .name_len = strlen(win_user) };
	wr_init(&pw, pkt, sizeof(pkt));
	CHECK_OK(chap_msg_encode(&pw, &rm));
	CHECK_OK(win_in(w, PPP_CHAP, pkt, wr_len(&pw)));

	CHECK_EQ(w->n[PPP_EV_AUTH_REQUEST], 1);
	CHECK_EQ(w->ev[PPP_EV_AUTH_REQUEST].u.auth.method, PPP_AUTH_MSCHAPV2);
	CHECK_STR(w->ev[PPP_EV_AUTH_REQUEST].u.auth.user, "DOMAIN\\alice");
	CHECK_STR(w->nodomain, "alice");
	CHECK_OK(w->answer_ret);
	CHECK_EQ(w->n[PPP_EV_AUTH_OK], 1);
	CHECK_EQ(w->ev[PPP_EV_AUTH_OK].u.auth_ok.method, PPP_AUTH_MSCHAPV2);
	CHECK_STR(w->ev[PPP_EV_AUTH_OK].u.auth_ok.user, "DOMAIN\\alice");

	if ((f = win_take(w, PPP_CHAP, CHAP_SUCCESS)) != NULL)
		rd_init(&d, f->b, f->len);
	if (!CHECK(f != NULL && chap_msg_decode(&d, &m) == 0))
		return false;
	CHECK_EQ(m.id, id);
	CHECK_OK(mschapv2_check_authenticator_response(w->nt_hash, w->nt_resp,
	    win_peer_chal, w->auth_chal, u, ulen, (const char *)m.message,
	    m.message_len));
	if (!CHECK(ppp_phase(w->s) == PPP_PHASE_NETWORK))
		return false;

	/* CCP starts at once; IPCP waits for MPPE (it is required) */
	if (!win_expect(w, PPP_CCP, PPP_CONF_REQ, -1, &d, &w->srv_ccp_req))
		return false;
	CHECK_EQ(ccp_val(d), H | S);
	CHECK_EQ(win_left(w, 0), 0);

	/* Windows starts IPCP and IPV6CP right away, in parallel with CCP:
	 * the server must hold them, not Terminate-Ack them */
	CHECK_OK(win_cp(w, PPP_IPCP, PPP_CONF_REQ, w->ipcp_id, pkt,
	    ipcp_opts(pkt, t5, 5, NULL)));
	wr_init(&pw, pkt, sizeof(pkt));
	CHECK_OK(ipv6cp_opt_ifaceid_encode(&pw, win_ifid));
	CHECK_OK(win_cp(w, PPP_IPV6CP, PPP_CONF_REQ, 1, pkt, wr_len(&pw)));
	CHECK_EQ(win_left(w, 0), 0);	/* no Terminate-Ack, nothing */
	CHECK_EQ(ppp_stats(w->s)->rx_unknown_proto, 0);
	return true;
}

/* Windows' CCP Configure-Request: option 18 = v. */
static int
win_ccp_req(struct win *w, uint32_t v)
{
	uint8_t p[8];
	struct wr wr;

	wr_init(&wr, p, sizeof(p));
	return ppp_opt_u32_put(&wr, CCP_OPT_MPPE, v) != 0 ? ERR_NOSPACE :
	    win_cp(w, PPP_CCP, PPP_CONF_REQ, w->ccp_id, p, wr_len(&wr));
}

/* CCP: the first offer, the server's Nak (or Ack), Windows taking it. */
static bool
win_ccp(struct win *w, uint32_t offer, bool nak)
{
	uint32_t v = offer;
	struct rd d;

	CHECK_OK(win_ccp_req(w, v));
	if (nak) {
		if (!win_expect(w, PPP_CCP, PPP_CONF_NAK, w->ccp_id, &d, NULL))
			return false;
		v = ccp_val(d);
		CHECK_EQ(v, H | S);	/* one strength, the strongest, +H */
		CHECK_EQ(win_left(w, 0), 0);	/* no IPCP/IPV6CP Term-Ack */
		w->ccp_id++;
		CHECK_OK(win_ccp_req(w, v));	/* Windows takes it */
	}
	if (!win_expect(w, PPP_CCP, PPP_CONF_ACK, w->ccp_id, &d, NULL))
		return false;
	CHECK_EQ(ccp_val(d), v);
	CHECK_EQ(win_left(w, 0), 0);
	CHECK_EQ(w->n[PPP_EV_IP_UP], 0);
	/* Windows Acks the server's request: MPPE is on */
	CHECK_OK(win_ack(w, PPP_CCP, w->srv_ccp_req, PPP_CONF_ACK));
	return true;
}

/* After CCP opened: the held requests answered, IPCP and IPV6CP opened. */
static bool
win_ncp(struct win *w, bool dns)
{
	static const uint8_t t3[] = { IPCP_OPT_ADDR, IPCP_OPT_DNS1,
	    IPCP_OPT_DNS2 };
	static const uint8_t nbns[] = { IPCP_OPT_NBNS1, IPCP_OPT_NBNS2 };
	static const uint8_t all4[] = { IPCP_OPT_DNS1, IPCP_OPT_NBNS1,
	    IPCP_OPT_DNS2, IPCP_OPT_NBNS2 };
	static const uint32_t given[] = { PEER_IP, DNS_1, DNS_2 };
	const struct ppp_event *ip = &w->ev[PPP_EV_IP_UP];
	struct win_frame *ipreq, *v6req;
	uint8_t p[64], want[64], srv_id[8];
	size_t wn, nt = dns ? 3 : 1;
	struct ppp_opt o;
	struct rd d;

	if (!win_expect(w, PPP_IPCP, PPP_CONF_REQ, -1, &d, &ipreq))
		return false;
	CHECK(data_is(d, want, ipcp_opts(want, t3, 1,
	    (const uint32_t[]){ SRV_IP })));
	if (!win_expect(w, PPP_IPV6CP, PPP_CONF_REQ, -1, &d, &v6req))
		return false;
	CHECK(opts_are(d, (const uint8_t[]){ IPV6CP_OPT_IFACE_ID }, 1) &&
	    opt_find(d, IPV6CP_OPT_IFACE_ID, &o) &&
	    ipv6cp_opt_ifaceid_decode(&o, srv_id) == 0 &&
	    memcmp(srv_id, win_ifid, 8) != 0 &&
	    memcmp(srv_id, (const uint8_t[8]){ 0 }, 8) != 0);

	/* the held IPCP request: what is not served is Rejected first */
	if (!win_expect(w, PPP_IPCP, PPP_CONF_REJ, w->ipcp_id, &d, NULL))
		return false;
	CHECK(data_is(d, want, ipcp_opts(want, dns ? nbns : all4,
	    dns ? 2 : 4, NULL)));
	/* the held IPV6CP request: Acked as sent */
	if (!win_expect(w, PPP_IPV6CP, PPP_CONF_ACK, 1, &d, NULL))
		return false;
	CHECK(rd_left(&d) == 10 && memcmp(rd_cur(&d) + 2, win_ifid, 8) == 0);
	CHECK_EQ(win_left(w, 0), 0);

	/* Windows drops what was Rejected ... */
	w->ipcp_id++;
	CHECK_OK(win_cp(w, PPP_IPCP, PPP_CONF_REQ, w->ipcp_id, p,
	    ipcp_opts(p, t3, nt, NULL)));
	if (!win_expect(w, PPP_IPCP, PPP_CONF_NAK, w->ipcp_id, &d, NULL))
		return false;
	wn = ipcp_opts(want, t3, nt, given);
	CHECK(data_is(d, want, wn));	/* address, and the DNS if served */
	CHECK_EQ(win_left(w, 0), 0);
	/* ... and takes what was Nak'd */
	w->ipcp_id++;
	CHECK_OK(win_cp(w, PPP_IPCP, PPP_CONF_REQ, w->ipcp_id, want, wn));
	if (!win_expect(w, PPP_IPCP, PPP_CONF_ACK, w->ipcp_id, &d, NULL))
		return false;
	CHECK(data_is(d, want, wn));
	CHECK_EQ(w->n[PPP_EV_IP_UP], 0);

	CHECK_OK(win_ack(w, PPP_IPCP, ipreq, PPP_CONF_ACK));
	CHECK_OK(win_ack(w, PPP_IPV6CP, v6req, PPP_CONF_ACK));
	CHECK_EQ(win_left(w, 0), 0);
	if (!CHECK(w->n[PPP_EV_IP_UP] == 1 && w->n[PPP_EV_IPV6_UP] == 1))
		return false;
	CHECK_EQ(ip->u.ip.local, SRV_IP);
	CHECK_EQ(ip->u.ip.peer, PEER_IP);
	CHECK_EQ(ip->u.ip.dns[0], dns ? DNS_1 : 0);
	CHECK_EQ(ip->u.ip.dns[1], dns ? DNS_2 : 0);
	CHECK_EQ(ip->u.ip.mppe_bits, 128);
	CHECK(ip->u.ip.mppe_stateless);
	/* no MRU from Windows: 1500 (RFC 1661 6.1) less the MPPE header
	 * and inner protocol (RFC 3078 3) */
	CHECK_EQ(ip->u.ip.mtu, 1500 - 4);
	CHECK_MEM(w->ev[PPP_EV_IPV6_UP].u.ipv6.local_id, srv_id, 8);
	CHECK_MEM(w->ev[PPP_EV_IPV6_UP].u.ipv6.peer_id, win_ifid, 8);
	CHECK_EQ(w->n[PPP_EV_DOWN], 0);
	return true;
}

/* An IPv4 or IPv6 packet of len octets (version and length fields set),
 * the rest derived from seq. */
static void
ip_pkt(uint8_t *p, size_t len, int version, unsigned seq)
{
	size_t i, plen = version == 4 ? len : len - 40;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seq * 31 + i * 7);
	p[0] = version == 4 ? 0x45 : 0x60;
	p[version == 4 ? 2 : 4] = (uint8_t)(plen >> 8);
	p[version == 4 ? 3 : 5] = (uint8_t)plen;
}

/* Windows encrypts an inner frame (protocol field compressed or not). */
static int
win_send_ip(struct win *w, uint16_t proto, const uint8_t *pkt, size_t len,
    bool pfc_inner)
{
	uint8_t inner[PPP_FRAME_MAX + 2], enc[PPP_FRAME_MAX];
	size_t hl = 0;
	struct wr wr;

	if (!pfc_inner)
		inner[hl++] = (uint8_t)(proto >> 8);
	inner[hl++] = (uint8_t)proto;
	memcpy(inner + hl, pkt, len);
	wr_init(&wr, enc, sizeof(enc));
	return mppe_encrypt(&w->tx, inner, hl + len, &wr) != 0 ? ERR_NOSPACE :
	    win_in(w, PPP_COMP, enc, wr_len(&wr));
}

/* Windows decrypts the next frame the server sent: proto, pkt, ccount. */
static void
win_recv_ip(struct win *w, uint16_t proto, const uint8_t *pkt, size_t len,
    uint16_t ccount)
{
	struct win_frame *f = win_take(w, PPP_COMP, -1);
	uint8_t out[PPP_FRAME_MAX];
	struct mppe_hdr mh;
	struct rd r;
	size_t n, hl;

	if (!CHECK(f != NULL))
		return;
	CHECK(f->pfc && !f->acf);	/* as Windows asked in LCP */
	rd_init(&r, f->b, f->len);
	CHECK_OK(mppe_hdr_decode(&r, &mh));
	CHECK(mh.encrypted && mh.flushed && !mh.mppc_b && !mh.mppc_c);
	CHECK_EQ(mh.ccount, ccount);
	rd_init(&r, f->b, f->len);
	if (!CHECK(mppe_decrypt(&w->rx_dir, &r, out, sizeof(out), &n) == 0))
		return;
	hl = (out[0] & 1) ? 1 : 2;	/* RFC 1661 6.5: either form */
	CHECK_EQ(hl == 1 ? out[0] : (out[0] << 8 | out[1]), proto);
	CHECK(n == hl + len && memcmp(out + hl, pkt, len) == 0);
}

/* Encrypted IP both ways with keys derived on Windows' side. */
static void
win_data(struct win *w)
{
	static const size_t sizes[] = { 20, 64, 577, 1400, 1496 };
	uint8_t send[16], recv[16], hh[16], pkt[PPP_FRAME_MAX];
	uint16_t ccount = 0;
	unsigned i;
	size_t n;

	mschap_hash_nt_password_hash(w->nt_hash, hh);
	CHECK_OK(mppe_keys_from_mschapv2(hh, w->nt_resp, false, 128, send,
	    recv));
	CHECK_OK(mppe_dir_init(&w->tx, send, 128, true));
	CHECK_OK(mppe_dir_init(&w->rx_dir, recv, 128, true));
	secret_wipe(send, sizeof(send));
	secret_wipe(recv, sizeof(recv));

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ip_pkt(pkt, sizes[i], 4, i);
		CHECK_OK(ppp_send_ip(w->s, w->now, pkt, sizes[i]));
		win_recv_ip(w, PPP_IP, pkt, sizes[i], ccount++);
		/* Windows keeps to the server's MRU (MPPE header, protocol) */
		n = sizes[i] + 4 <= w->srv_mru ? sizes[i] : w->srv_mru - 4u;
		ip_pkt(pkt, n, 4, 100 + i);
		CHECK_OK(win_send_ip(w, PPP_IP, pkt, n, i & 1));
		CHECK_EQ(w->n_rx, i + 1);
		CHECK_EQ(w->rx_proto, PPP_IP);
		CHECK(w->rx_len == n && memcmp(w->rx, pkt, n) == 0);
	}
	ip_pkt(pkt, 120, 6, 7);
	CHECK_OK(ppp_send_ip(w->s, w->now, pkt, 120));
	win_recv_ip(w, PPP_IPV6, pkt, 120, ccount++);
	ip_pkt(pkt, 120, 6, 8);
	CHECK_OK(win_send_ip(w, PPP_IPV6, pkt, 120, true));
	CHECK_EQ(w->rx_proto, PPP_IPV6);
	CHECK(w->rx_len == 120 && memcmp(w->rx, pkt, 120) == 0);

	/* past the MTU of the IP_UP event; plaintext IP refused */
	ip_pkt(pkt, 1497, 4, 9);
	CHECK_ERR(ppp_send_ip(w->s, w->now, pkt, 1497), ERR_LENGTH);
	CHECK_EQ(ppp_stats(w->s)->rx_dropped, 0);
	CHECK(win_in(w, PPP_IP, pkt, 100) != 0);
	CHECK_EQ(w->n_rx, 6);
	CHECK_EQ(win_left(w, 0), 0);
	CHECK_EQ(w->n[PPP_EV_DOWN], 0);
	CHECK_EQ(ppp_stats(w->s)->rx_unknown_proto, 0);
}

struct win_case {
	uint32_t	offer;	/* Windows' first CCP option-18 value */
	bool		nak;	/* the server must Nak it (to +H +S) */
	bool		dns;	/* the server offers DNS (RFC 1877) */
};

static void
win_run(const struct win_case *c)
{
	struct win *w = win_new(c->dns);

	if (!CHECK(w != NULL))
		return;
	if (win_lcp(w) && win_auth(w) && win_ccp(w, c->offer, c->nak) &&
	    win_ncp(w, c->dns))
		win_data(w);
	CHECK_EQ(w->bad_frames, 0);
	win_free(w);
}

#define WIN_CASE(name, offer, nak, dns)					\
	TEST(name) { win_run(&(struct win_case){ offer, nak, dns }); }

/* <mppe +H +M +S +L -D -C> from old clients; DNS served, NBNS not */
WIN_CASE(windows_old_client_offering_everything_gets_128_stateless,
    H | MPPE_OPT_M | S | MPPE_OPT_L, true, true)
/* <mppe +H -M +S -L -D -C>: one strength and stateless already */
WIN_CASE(windows_client_offering_128_stateless_is_acked, H | S, false, false)
/* <mppe +H -M -S -L -D +C>: MPPC only (encryption optional on Windows) */
WIN_CASE(windows_mppc_only_offer_is_nakd_to_128_stateless, H | MPPE_OPT_C,
    true, false)
/* every bit clear means "no MPPE" (ppp#558): refused by a Nak */
WIN_CASE(windows_all_zero_mppe_is_nakd_when_required, 0, true, true)

TEST(windows_40bit_only_offer_ends_with_mppe_down)
{
	struct win *w = win_new(false);
	struct win_frame *f;
	struct rd d;

	if (!CHECK(w != NULL))
		return;
	if (win_lcp(w) && win_auth(w)) {
		CHECK_OK(win_ccp_req(w, H | MPPE_OPT_L));
		CHECK(win_take(w, PPP_CCP, PPP_CONF_ACK) == NULL);
		CHECK(win_take(w, PPP_CCP, PPP_CONF_NAK) == NULL);
		CHECK_EQ(win_left(w, PPP_IPCP) + win_left(w, PPP_IPV6CP), 0);
		/* LCP Terminate-Request; Windows answers it */
		if (win_expect(w, PPP_LCP, PPP_TERM_REQ, -1, &d, &f))
			CHECK_OK(win_ack(w, PPP_LCP, f, PPP_TERM_ACK));
		CHECK_EQ(w->n[PPP_EV_DOWN], 1);
		CHECK_EQ(w->ev[PPP_EV_DOWN].u.down.reason, PPP_DOWN_MPPE);
		CHECK(strstr(w->down_text, "<mppe +H -M +S -L -D -C>") != NULL);
		CHECK(strstr(w->down_text, "<mppe +H -M -S +L -D -C>") != NULL);
		CHECK_EQ(w->n[PPP_EV_IP_UP], 0);
	}
	CHECK_EQ(w->bad_frames, 0);
	win_free(w);
}

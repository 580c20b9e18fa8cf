/*
 * test_captures.c - every GRE header and PPP frame in the shared captures
 * (tests/data/captures, real traffic from public projects) decodes, agrees
 * with what TShark decoded (expected/NAME.expected.json), and re-encodes to the same
 * bytes.  Control messages are covered by test_pptp_msg.c; the PPP control
 * packets (LCP, IPCP, PAP, CHAP, CCP) inside the GRE are decoded option by
 * option, re-encoded from their decoded values, and their Configure-Acks
 * and authentication compared with TShark's reading.
 */
#include <stdio.h>
#include <stdlib.h>

#include "t.h"
#include "cap.h"
#include "json.h"
#include "../src/wire/gre.h"
#include "../src/wire/ppp_frame.h"
#include "../src/wire/ppp_proto.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_auth.h"

#define MAX_FLOWS	8
#define MAX_PROTOS	8

static const char *const cap_files[] = {
	"packetlife__PPTP_negotiation.cap",
	"tcpdump__pptp.pcap",
	"nDPI__pptp.pcap",
	"zeek__gre-pptp.pcap",
	"neg__packetlife__GRE.cap",
};

struct flow {
	char		 src[48], dst[48];
	int		 version;		/* 1, or 0 for not-PPTP GRE */
	unsigned	 call_id;
	unsigned	 packets, with_seq, with_ack, ack_only;
	unsigned long	 payload_sum;
	long long	 seq_first, seq_last, ack_first, ack_last;
	unsigned	 frames, with_ff03, proto2, proto1;
	struct { const char *name; unsigned n; } protos[MAX_PROTOS];
};

struct walk {
	struct flow	 flows[MAX_FLOWS];
	unsigned	 nflows;
	unsigned	 reencode_mismatch;
	unsigned	 decode_errors;		/* on PPTP (version 1) GRE */
	unsigned	 cleartext_ip;
	unsigned	 control_packets;
	struct confack {
		unsigned	 frame;
		char		 sender[48];
		uint16_t	 proto;
		uint8_t		 id;
		char		 types[32];	/* "3,5" */
		uint32_t	 magic, addr;
		uint16_t	 auth_proto;
	}		 acks[8];
	unsigned	 nacks;
	struct {
		unsigned	 frame;
		uint8_t		 code;
		char		 name[64];
	}		 auth[8];
	unsigned	 nauth;
};

static struct flow *
flow_get(struct walk *w, const struct cap_pkt *p)
{
	unsigned i;

	for (i = 0; i < w->nflows; i++)
		if (strcmp(w->flows[i].src, p->src) == 0 &&
		    strcmp(w->flows[i].dst, p->dst) == 0)
			return &w->flows[i];
	if (w->nflows == MAX_FLOWS)
		return NULL;
	struct flow *f = &w->flows[w->nflows++];
	memset(f, 0, sizeof(*f));
	snprintf(f->src, sizeof(f->src), "%s", p->src);
	snprintf(f->dst, sizeof(f->dst), "%s", p->dst);
	f->seq_first = f->seq_last = f->ack_first = f->ack_last = -1;
	return f;
}

static void
flow_count_proto(struct flow *f, const char *name)
{
	unsigned i;

	for (i = 0; i < MAX_PROTOS && f->protos[i].name != NULL; i++)
		if (strcmp(f->protos[i].name, name) == 0)
			break;
	if (i == MAX_PROTOS)
		return;
	f->protos[i].name = name;
	f->protos[i].n++;
}

/* Re-encodes the GRE header and PPP frame header and compares them with the
 * captured bytes. */
static bool
reencode_same(const struct gre_hdr *h, const struct ppp_frame *pf,
    const uint8_t *pkt, size_t hdrlen)
{
	uint8_t buf[GRE_HDR_MAX + PPP_FRAME_HDR_MAX];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (gre_encode(&w, h) != 0)
		return false;
	if (pf != NULL &&
	    ppp_frame_encode(&w, pf->proto, !pf->acf, pf->pfc) != 0)
		return false;
	return wr_len(&w) == hdrlen && memcmp(buf, pkt, hdrlen) == 0;
}

/* Records a Configure-Ack's options the way TShark lists them. */
static void
record_confack(struct walk *w, const struct cap_pkt *p, uint16_t proto,
    uint8_t id, struct rd opts)
{
	struct confack *a;
	struct ppp_opt o;
	struct lcp_auth au;
	size_t tl = 0;

	if (w->nacks == 8)
		return;
	a = &w->acks[w->nacks++];
	memset(a, 0, sizeof(*a));
	a->frame = p->frame;
	snprintf(a->sender, sizeof(a->sender), "%s", p->src);
	a->proto = proto;
	a->id = id;
	while (ppp_opt_next(&opts, &o) == 0) {
		tl += (size_t)snprintf(a->types + tl, sizeof(a->types) - tl,
		    "%s%u", tl ? "," : "", o.type);
		if (tl >= sizeof(a->types))
			tl = sizeof(a->types) - 1;
		if (proto == PPP_LCP && o.type == 5 &&
		    lcp_opt_magic_decode(&o, &a->magic) != 0)
			a->magic = 0;
		if (proto == PPP_LCP && o.type == 3 &&
		    lcp_opt_auth_decode(&o, &au) == 0)
			a->auth_proto = au.proto;
		if (proto == PPP_IPCP && o.type == 3 &&
		    ipcp_opt_addr_decode(&o, &a->addr) != 0)
			a->addr = 0;
	}
}

/*
 * Decodes one PPP control packet and re-encodes it from the decoded
 * values; returns 1 if the bytes differ (or it does not decode), else 0.
 */
static unsigned
check_control(struct walk *w, const struct cap_pkt *p, uint16_t proto,
    const uint8_t *pkt, size_t len)
{
	uint8_t out[1600];
	struct ppp_cp h;
	struct rd r, data, opts;
	struct wr wo;
	size_t start;
	struct ppp_opt o;
	int ret;

	rd_init(&r, pkt, len);
	wr_init(&wo, out, sizeof(out));
	if (proto == PPP_PAP || proto == PPP_CHAP) {
		struct pap_msg pm;
		struct chap_msg cm;

		if (proto == PPP_PAP) {
			if (pap_msg_decode(&r, &pm) != 0 ||
			    pap_msg_encode(&wo, &pm) != 0)
				return 1;
			if (w->nauth < 8) {
				w->auth[w->nauth].frame = p->frame;
				w->auth[w->nauth].code = pm.code;
				snprintf(w->auth[w->nauth].name, 64, "%.*s",
				    (int)pm.peer_id_len, pm.peer_id);
				w->nauth++;
			}
		} else if (chap_msg_decode(&r, &cm) != 0 ||
		    chap_msg_encode(&wo, &cm) != 0) {
			return 1;
		}
		return wr_len(&wo) <= len && memcmp(out, pkt, wr_len(&wo)) == 0 ?
		    0 : 1;
	}
	if (ppp_cp_decode(&r, &h, &data) != 0)
		return 1;
	if (!ppp_code_has_opts(h.code)) {
		if (ppp_cp_encode(&wo, h.code, h.id, rd_cur(&data),
		    rd_left(&data)) != 0)
			return 1;
	} else {
		opts = data;
		if (ppp_cp_begin(&wo, h.code, h.id, &start) != 0)
			return 1;
		while ((ret = ppp_opt_next(&opts, &o)) == 0)
			if (ppp_opt_validate(proto, &o, &wo) != 0)
				return 1;
		if (ret != PPP_OPT_END || ppp_cp_finish(&wo, start) != 0)
			return 1;
		if (h.code == PPP_CONF_ACK)
			record_confack(w, p, proto, h.id, data);
	}
	return wr_len(&wo) == h.length && memcmp(out, pkt, h.length) == 0 ?
	    0 : 1;
}

static int
on_packet(const struct cap_pkt *p, void *ctx)
{
	struct walk *w = ctx;
	struct ppp_frame pf;
	struct gre_hdr h;
	struct rd r, payload, info;
	struct flow *f;
	int ret;

	if (p->proto != GRE_IP_PROTO || (f = flow_get(w, p)) == NULL)
		return 0;
	f->packets++;
	rd_init(&r, p->l4, p->l4len);
	if ((ret = gre_decode(&r, &h, &payload)) != 0) {
		/* Plain GRE (version 0) must never be taken for PPTP. */
		if (ret == ERR_VERSION && (p->l4[1] & 7) == 0)
			f->version = 0;
		else
			w->decode_errors++;
		return 0;
	}
	f->version = 1;
	f->call_id = h.call_id;
	f->with_seq += h.has_seq;
	f->with_ack += h.has_ack;
	f->ack_only += !h.has_seq && h.has_ack;
	f->payload_sum += h.payload_len;
	if (h.has_seq) {
		if (f->seq_first < 0)
			f->seq_first = h.seq;
		f->seq_last = h.seq;
	}
	if (h.has_ack) {
		if (f->ack_first < 0)
			f->ack_first = h.ack;
		f->ack_last = h.ack;
	}
	if (!h.has_seq) {
		if (!reencode_same(&h, NULL, p->l4, gre_hdr_len(&h)))
			w->reencode_mismatch++;
		return 0;
	}
	if (ppp_frame_decode(&payload, &pf, &info) != 0) {
		w->decode_errors++;
		return 0;
	}
	f->frames++;
	f->with_ff03 += pf.acf;
	f->proto1 += pf.pfc;
	f->proto2 += !pf.pfc;
	flow_count_proto(f, ppp_proto_name(pf.proto) != NULL ?
	    ppp_proto_name(pf.proto) : "unknown");
	if (!reencode_same(&h, &pf, p->l4,
	    gre_hdr_len(&h) + ppp_frame_hdr_len(pf.proto, !pf.acf, pf.pfc)))
		w->reencode_mismatch++;
	if (pf.proto == PPP_IP || pf.proto == PPP_IPV6)
		w->cleartext_ip++;
	if (pf.proto >= 0x8000) {
		w->control_packets++;
		w->reencode_mismatch += check_control(w, p, pf.proto,
		    rd_cur(&info), rd_left(&info));
	}
	return 0;
}

static long long
jint_or_neg(const struct json *j)
{
	return json_is_null(j) ? -1 : json_int(j);
}

static void
check_flow(const struct flow *f, const struct json *e, const char *file)
{
	const struct json *protos = json_get(e, "ppp_protocols");
	const struct json *fr = json_get(e, "ppp_framing");

	t_note("%s: flow %s -> %s", file, f->src, f->dst);
	CHECK_EQ(f->version, json_int(json_get(e, "gre_version")));
	CHECK_EQ(f->packets, json_int(json_get(e, "packets")));
	CHECK_EQ(f->with_seq, json_int(json_get(e, "with_seq")));
	CHECK_EQ(f->with_ack, json_int(json_get(e, "with_ack")));
	CHECK_EQ(f->ack_only, json_int(json_get(e, "ack_only")));
	if (f->version == 0) {
		CHECK(json_is_null(json_get(e, "key_call_id")));
		return;
	}
	CHECK_EQ(f->call_id, json_int(json_get(e, "key_call_id")));
	CHECK_EQ(f->payload_sum, json_int(json_get(e, "payload_length_sum")));
	CHECK_EQ(f->seq_first, jint_or_neg(json_get(e, "seq_first")));
	CHECK_EQ(f->seq_last, jint_or_neg(json_get(e, "seq_last")));
	CHECK_EQ(f->ack_first, jint_or_neg(json_get(e, "ack_first")));
	CHECK_EQ(f->ack_last, jint_or_neg(json_get(e, "ack_last")));
	CHECK_EQ(f->frames, json_int(json_get(fr, "ppp_frames")));
	CHECK_EQ(f->with_ff03, json_int(json_get(fr, "with_FF03")));
	CHECK_EQ(f->proto2, json_int(json_get(fr, "2-byte protocol")));
	CHECK_EQ(f->proto1, jint_or_neg(json_get(fr, "1-byte protocol")) < 0 ?
	    0 : json_int(json_get(fr, "1-byte protocol")));
	{
		unsigned nours = 0;

		while (nours < MAX_PROTOS && f->protos[nours].name != NULL)
			nours++;
		CHECK_EQ(nours, json_len(protos));
	}
	for (struct json *c = protos != NULL ? protos->child : NULL; c != NULL;
	    c = c->next) {
		unsigned got = 0;

		for (unsigned i = 0; i < MAX_PROTOS && f->protos[i].name; i++)
			if (strcmp(f->protos[i].name, c->key) == 0)
				got = f->protos[i].n;
		t_check(got == (unsigned)json_int(c), __FILE__, __LINE__,
		    "%s %s->%s: %s frames %u, tshark %lld", file, f->src,
		    f->dst, c->key, got, json_int(c));
	}
}

static void
run_capture(const char *file, struct walk *w, struct json **expp)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/captures/%s", T_DATA, file);
	CHECK_OK(cap_walk(path, 1723, on_packet, NULL, w, NULL));
	snprintf(path, sizeof(path), "%s/captures/expected/%s.expected.json",
	    T_DATA, file);
	*expp = json_load(path);
	CHECK(*expp != NULL);
}

TEST(captures_gre_flows_agree_with_tshark)
{
	for (size_t i = 0; i < sizeof(cap_files) / sizeof(cap_files[0]); i++) {
		struct walk *w = calloc(1, sizeof(*w));
		struct json *exp = NULL, *flows;

		run_capture(cap_files[i], w, &exp);
		flows = json_get(exp, "gre_flows");
		CHECK_EQ(w->nflows, json_len(flows));
		for (size_t k = 0; k < json_len(flows); k++) {
			struct json *e = json_at(flows, k);
			const char *src = json_get(e, "src")->str;
			const char *dst = json_get(e, "dst")->str;
			unsigned j;

			for (j = 0; j < w->nflows; j++)
				if (strcmp(w->flows[j].src, src) == 0 &&
				    strcmp(w->flows[j].dst, dst) == 0)
					break;
			if (!t_check(j < w->nflows, __FILE__, __LINE__,
			    "%s: no flow %s -> %s", cap_files[i], src, dst))
				continue;
			check_flow(&w->flows[j], e, cap_files[i]);
		}
		CHECK_EQ(w->decode_errors, 0);
		CHECK_EQ(w->reencode_mismatch, 0);
		CHECK_EQ(w->cleartext_ip,
		    json_int(json_get(exp, "cleartext_ip_in_ppp_frames")));
		CHECK_EQ(w->control_packets,
		    json_int(json_get(exp, "ppp_control_packets")));
		json_free(exp);
		free(w);
	}
}

static const char *
proto_label(uint16_t proto)
{
	return proto == PPP_LCP ? "LCP" : proto == PPP_IPCP ? "IPCP" :
	    proto == PPP_IPV6CP ? "IPV6CP" : proto == PPP_CCP ? "CCP" : "?";
}

TEST(captures_configure_acks_and_auth_agree_with_tshark)
{
	for (size_t i = 0; i < sizeof(cap_files) / sizeof(cap_files[0]); i++) {
		struct walk *w = calloc(1, sizeof(*w));
		struct json *exp = NULL, *acks, *auth;

		run_capture(cap_files[i], w, &exp);
		acks = json_get(exp, "last_conf_ack");
		auth = json_get(exp, "auth");
		CHECK_EQ(w->nacks, json_len(acks));
		for (size_t k = 0; k < json_len(acks) && k < w->nacks; k++) {
			struct json *e = json_at(acks, k), *opts;
			const struct confack *a = &w->acks[k];
			const char *label = proto_label(a->proto);
			char key[64], hex[16];

			CHECK_EQ(a->frame, json_int(json_get(e, "frame")));
			CHECK_STR(a->sender, json_get(e, "ack_sender")->str);
			CHECK_STR(label, json_get(e, "protocol")->str);
			CHECK_EQ(a->id, json_int(json_get(e, "identifier")));
			opts = json_get(e, "options");
			snprintf(key, sizeof(key), "%s.opt.type",
			    a->proto == PPP_LCP ? "lcp" : "ipcp");
			CHECK_STR(a->types, json_get(opts, key)->str);
			if (json_get(opts, "lcp.opt.magic_number") != NULL) {
				snprintf(hex, sizeof(hex), "0x%08x", a->magic);
				CHECK_STR(hex, json_get(opts,
				    "lcp.opt.magic_number")->str);
			}
			if (json_get(opts, "lcp.opt.auth_protocol") != NULL) {
				snprintf(hex, sizeof(hex), "0x%04x", a->auth_proto);
				CHECK_STR(hex, json_get(opts,
				    "lcp.opt.auth_protocol")->str);
			}
			if (json_get(opts, "ipcp.opt.ip_address") != NULL) {
				char ip[20];

				snprintf(ip, sizeof(ip), "%u.%u.%u.%u",
				    a->addr >> 24, a->addr >> 16 & 255,
				    a->addr >> 8 & 255, a->addr & 255);
				CHECK_STR(ip, json_get(opts,
				    "ipcp.opt.ip_address")->str);
			}
		}
		CHECK_EQ(w->nauth, json_len(auth));
		for (size_t k = 0; k < json_len(auth) && k < w->nauth; k++) {
			struct json *e = json_at(auth, k);
			const char *code = w->auth[k].code == PAP_AUTH_REQ ?
			    "Auth-Req" : w->auth[k].code == PAP_AUTH_ACK ?
			    "Auth-Ack" : "Auth-Nak";

			CHECK_EQ(w->auth[k].frame, json_int(json_get(e, "frame")));
			CHECK_STR(code, json_get(e, "code")->str);
			CHECK_STR(w->auth[k].name, json_get(e, "name")->str);
		}
		json_free(exp);
		free(w);
	}
}

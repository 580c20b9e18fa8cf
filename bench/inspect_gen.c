/*
 * inspect_gen.c - writes a large synthetic PPTP capture for the analyzer's
 * benchmark (bench/inspect.sh): classic pcap, Ethernet, microsecond
 * timestamps, built with pptpkit's own codecs and crypto (core archives
 * only) so that every layer is what a real tunnel puts on the wire.
 *
 *   inspect_gen OUT.pcap [MB] [USER PASSWORD]
 *
 * MB: the file size to reach (default 520, 10^6 octets).  USER/PASSWORD
 * (default "bench" / "pptpkit-bench-1723") are the MS-CHAPv2 credentials,
 * so the capture can be verified and decrypted with them.
 *
 * Contents, in capture order:
 *  - a TCP/1723 control connection PNS 10.201.0.1 -> PAC 10.201.0.2:
 *    handshake, SCCRQ/SCCRP, OCRQ/OCRP (Call IDs 0x4001/0x8002, receive
 *    windows 64), SLI (RFC 2637 2.1, 2.2, 2.7, 2.8, 2.15);
 *  - the call's PPP negotiation in enhanced GRE (RFC 2637 4.1): LCP with
 *    MRU 1400 both ways and MS-CHAPv2 asked by the PAC (RFC 1661, RFC
 *    2759), the CHAP Challenge / Response / Success computed from the
 *    password, CCP asking MPPE-128 stateless (RFC 3078 2: H and S), IPCP;
 *  - data: one inner TCP connection (a clamped SYN / SYN-ACK with MSS
 *    1356, then full 1396-octet segments PNS->PAC and an ACK PAC->PNS
 *    every second segment), each PPP frame MPPE-128 stateless encrypted
 *    (RFC 3078/3079 keys from the MS-CHAPv2 exchange), with GRE sequence
 *    numbers and piggybacked acknowledgments that lag by about 0.5 ms;
 *  - the end: LCP Terminate, CCRQ/CDN, StopCCRQ/StopCCRP, FIN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/crypto/mppe.h"
#include "../src/crypto/mppe_keys.h"
#include "../src/crypto/mschap.h"
#include "../src/wire/cursor.h"
#include "../src/wire/gre.h"
#include "../src/wire/ip.h"
#include "../src/wire/ppp_auth.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_frame.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_proto.h"
#include "../src/wire/pptp_msg.h"

#define IP_PNS		0x0ac90001u	/* 10.201.0.1 */
#define IP_PAC		0x0ac90002u	/* 10.201.0.2 */
#define IN_PNS		0xc0a86402u	/* 192.168.100.2, inside */
#define IN_PAC		0xc0a86401u	/* 192.168.100.1 */
#define CID_PNS		0x4001
#define CID_PAC		0x8002
#define MRU		1400
#define INNER		(MRU - 4)	/* MPPE: MRU - 4 */
#define MSS		(INNER - 40)
#define T0		1700000000ull
#define DATA_GAP_US	24		/* between PNS->PAC data packets */
#define ACK_LAG		20		/* packets the acks lag (~0.5 ms) */

static FILE	*out;
static uint64_t	 now_us = T0 * 1000000;
static uint64_t	 written, frames;
static uint16_t	 ip_id;
static uint32_t	 gre_seq[2], gre_rcvd[2];	/* [dir]: next, last got */
static bool	 gre_have[2];
static uint32_t	 tcp_seq[2] = { 1000, 5000 };	/* control connection */

static void
die(const char *what)
{
	fprintf(stderr, "inspect_gen: %s\n", what);
	exit(1);
}

static void
put_le32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v, b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16), b[3] = (uint8_t)(v >> 24);
}

static void
record(const uint8_t *f, size_t n)
{
	uint8_t h[16];

	put_le32(h, (uint32_t)(now_us / 1000000));
	put_le32(h + 4, (uint32_t)(now_us % 1000000));
	put_le32(h + 8, (uint32_t)n);
	put_le32(h + 12, (uint32_t)n);
	if (fwrite(h, 1, 16, out) != 16 || fwrite(f, 1, n, out) != n)
		die("write failed");
	written += 16 + n;
	frames++;
}

/* Ethernet + IPv4 (dir 0: PNS -> PAC) around payload pl[n]. */
static void
frame_ip(int dir, uint8_t proto, const uint8_t *pl, size_t n)
{
	static uint8_t f[2048];
	static const uint8_t mac[2][6] = {
		{ 0x02, 0, 0, 0xc9, 0, 1 }, { 0x02, 0, 0, 0xc9, 0, 2 } };
	struct wr w;
	uint16_t ck;

	wr_init(&w, f, sizeof(f));
	wr_bytes(&w, mac[1 - dir], 6);
	wr_bytes(&w, mac[dir], 6);
	wr_u16(&w, 0x0800);
	wr_u8(&w, 0x45), wr_u8(&w, 0), wr_u16(&w, (uint16_t)(20 + n));
	wr_u16(&w, ++ip_id), wr_u16(&w, 0x4000);	/* DF */
	wr_u8(&w, 64), wr_u8(&w, proto), wr_u16(&w, 0);
	wr_u32(&w, dir == 0 ? IP_PNS : IP_PAC);
	wr_u32(&w, dir == 0 ? IP_PAC : IP_PNS);
	wr_bytes(&w, pl, n);
	if (wr_error(&w) != 0 || ipv4_hdr_checksum(f + 14, 20, &ck) != 0)
		die("frame too long");
	f[24] = (uint8_t)(ck >> 8), f[25] = (uint8_t)ck;
	record(f, wr_len(&w));
}

/* --- control connection ----------------------------------------------- */

static void
tcp(int dir, uint8_t flags, const uint8_t *data, size_t n)
{
	uint8_t t[512];
	struct wr w;

	wr_init(&w, t, sizeof(t));
	wr_u16(&w, dir == 0 ? 40001 : PPTP_TCP_PORT);
	wr_u16(&w, dir == 0 ? PPTP_TCP_PORT : 40001);
	wr_u32(&w, tcp_seq[dir]);
	wr_u32(&w, (flags & TCP_FLAG_ACK) ? tcp_seq[1 - dir] : 0);
	wr_u8(&w, 5 << 4), wr_u8(&w, flags), wr_u16(&w, 65535);
	wr_u32(&w, 0);
	wr_bytes(&w, data, n);
	if (wr_error(&w) != 0)
		die("tcp segment too long");
	tcp_seq[dir] += (uint32_t)n + ((flags & (TCP_FLAG_SYN |
	    TCP_FLAG_FIN)) ? 1 : 0);
	now_us += 150;
	frame_ip(dir, 6, t, wr_len(&w));
}

static void
ctrl(int dir, const struct pptp_msg *m)
{
	uint8_t b[PPTP_MAX_MSG_LEN];
	struct wr w;

	wr_init(&w, b, sizeof(b));
	if (pptp_msg_encode(&w, m) != 0)
		die("pptp_msg_encode");
	tcp(dir, TCP_FLAG_PSH | TCP_FLAG_ACK, b, wr_len(&w));
	tcp(1 - dir, TCP_FLAG_ACK, NULL, 0);
}

static void
control_start(void)
{
	struct pptp_msg m;

	tcp(0, TCP_FLAG_SYN, NULL, 0);
	tcp(1, TCP_FLAG_SYN | TCP_FLAG_ACK, NULL, 0);
	tcp(0, TCP_FLAG_ACK, NULL, 0);
	pptp_msg_init(&m, PPTP_SCCRQ);
	m.u.sccrq.framing_caps = PPTP_FRAMING_CAP_SYNC;
	m.u.sccrq.bearer_caps = PPTP_BEARER_CAP_DIGITAL;
	m.u.sccrq.max_channels = 1;
	pptp_msg_set_str(m.u.sccrq.host_name, sizeof(m.u.sccrq.host_name),
	    "pns.bench");
	pptp_msg_set_str(m.u.sccrq.vendor, sizeof(m.u.sccrq.vendor),
	    "pptpkit inspect_gen");
	ctrl(0, &m);
	pptp_msg_init(&m, PPTP_SCCRP);
	m.u.sccrp.result = 1;
	m.u.sccrp.framing_caps = PPTP_FRAMING_CAP_SYNC;
	m.u.sccrp.bearer_caps = PPTP_BEARER_CAP_DIGITAL;
	m.u.sccrp.max_channels = 1;
	pptp_msg_set_str(m.u.sccrp.host_name, sizeof(m.u.sccrp.host_name),
	    "pac.bench");
	pptp_msg_set_str(m.u.sccrp.vendor, sizeof(m.u.sccrp.vendor),
	    "pptpkit inspect_gen");
	ctrl(1, &m);
	pptp_msg_init(&m, PPTP_OCRQ);
	m.u.ocrq.call_id = CID_PNS;
	m.u.ocrq.call_serial = 1;
	m.u.ocrq.min_bps = 300;
	m.u.ocrq.max_bps = 100000000;
	m.u.ocrq.bearer_type = PPTP_BEARER_ANY;
	m.u.ocrq.framing_type = PPTP_FRAMING_ANY;
	m.u.ocrq.recv_window = 64;
	ctrl(0, &m);
	pptp_msg_init(&m, PPTP_OCRP);
	m.u.ocrp.call_id = CID_PAC;
	m.u.ocrp.peer_call_id = CID_PNS;
	m.u.ocrp.result = 1;
	m.u.ocrp.connect_speed = 100000000;
	m.u.ocrp.recv_window = 64;
	ctrl(1, &m);
	pptp_msg_init(&m, PPTP_SLI);
	m.u.sli.peer_call_id = CID_PAC;
	m.u.sli.send_accm = 0xffffffffu;
	m.u.sli.recv_accm = 0xffffffffu;
	ctrl(0, &m);
}

static void
control_end(void)
{
	struct pptp_msg m;

	pptp_msg_init(&m, PPTP_CCRQ);
	m.u.ccrq.call_id = CID_PNS;
	ctrl(0, &m);
	pptp_msg_init(&m, PPTP_CDN);
	m.u.cdn.call_id = CID_PAC;
	m.u.cdn.result = 3;		/* Call-Clear-Request */
	ctrl(1, &m);
	pptp_msg_init(&m, PPTP_STOPCCRQ);
	m.u.stopccrq.reason = 1;
	ctrl(0, &m);
	pptp_msg_init(&m, PPTP_STOPCCRP);
	m.u.stopccrp.result = 1;
	ctrl(1, &m);
	tcp(0, TCP_FLAG_FIN | TCP_FLAG_ACK, NULL, 0);
	tcp(1, TCP_FLAG_FIN | TCP_FLAG_ACK, NULL, 0);
	tcp(0, TCP_FLAG_ACK, NULL, 0);
}

/* --- GRE and PPP --------------------------------------------------------- */

/* One GRE packet in dir with ppp[n] (n 0: ack only), acking what the
 * peer's direction sent up to ack_upto (or the last one seen). */
static void
gre(int dir, const uint8_t *ppp, size_t n)
{
	static uint8_t g[2048];
	struct gre_hdr h = { .has_seq = n > 0, .payload_len = (uint16_t)n,
	    .call_id = dir == 0 ? CID_PAC : CID_PNS };
	struct wr w;

	if (n > 0)
		h.seq = gre_seq[dir]++;
	if (gre_have[dir]) {
		h.has_ack = true;
		h.ack = gre_rcvd[dir];
	}
	wr_init(&w, g, sizeof(g));
	if (gre_encode(&w, &h) != 0 || wr_bytes(&w, ppp, n) != 0)
		die("gre_encode");
	frame_ip(dir, 47, g, wr_len(&w));
}

/* The peer of dir has now received everything dir sent. */
static void
gre_deliver(int dir)
{
	if (gre_seq[dir] == 0)
		return;
	gre_have[1 - dir] = true;
	gre_rcvd[1 - dir] = gre_seq[dir] - 1;
}

/* A control packet: proto, code, id, data[n]; delivered right away. */
static void
cp(int dir, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data,
    size_t n)
{
	uint8_t b[600];
	struct wr w;

	wr_init(&w, b, sizeof(b));
	if (ppp_frame_encode(&w, proto, false, false) != 0 ||
	    ppp_cp_encode(&w, code, id, data, n) != 0)
		die("ppp_cp_encode");
	now_us += 300;
	gre(dir, b, wr_len(&w));
	gre_deliver(dir);
}

static void
chap(int dir, const struct chap_msg *m)
{
	uint8_t b[600];
	struct wr w;

	wr_init(&w, b, sizeof(b));
	if (ppp_frame_encode(&w, PPP_CHAP, false, false) != 0 ||
	    chap_msg_encode(&w, m) != 0)
		die("chap_msg_encode");
	now_us += 300;
	gre(dir, b, wr_len(&w));
	gre_deliver(dir);
}

/* LCP, MS-CHAPv2, CCP and IPCP; the MPPE keys of both directions. */
static void
negotiate(const char *user, const char *password, struct mppe_dir mppe[2])
{
	static const uint8_t auth_chal[16] = { 0x5b, 0x5d, 0x7c, 0x7d, 0x7b,
	    0x3f, 0x2f, 0x3e, 0x3c, 0x2c, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28 };
	static const uint8_t peer_chal[16] = { 0x21, 0x40, 0x23, 0x24, 0x25,
	    0x5e, 0x26, 0x2a, 0x28, 0x29, 0x5f, 0x2b, 0x3a, 0x33, 0x7c, 0x7e };
	uint8_t o[64], v[64], msg[64], nt_hash[16], hh[16];
	uint8_t auth_resp[MSCHAPV2_AUTH_RESP_LEN], keys[2][MPPE_KEY_MAX];
	char text[MSCHAPV2_AUTH_STR_LEN + 1];
	struct mschapv2_response resp;
	struct lcp_auth la = { .proto = PPP_CHAP,
	    .chap_alg = LCP_CHAP_MSCHAPV2 };
	struct chap_msg m;
	struct wr w;
	size_t ln, lp, ulen = strlen(user);
	int d;

	/* LCP: the PNS asks MRU 1400; the PAC MRU 1400 and MS-CHAPv2 */
	wr_init(&w, o, sizeof(o));
	if (lcp_opt_mru_encode(&w, MRU) != 0 ||
	    lcp_opt_magic_encode(&w, 0x1a2b3c4d) != 0)
		die("lcp");
	ln = wr_len(&w);
	cp(0, PPP_LCP, PPP_CONF_REQ, 1, o, ln);
	wr_init(&w, v, sizeof(v));
	if (lcp_opt_mru_encode(&w, MRU) != 0 ||
	    lcp_opt_auth_encode(&w, &la) != 0 ||
	    lcp_opt_magic_encode(&w, 0x5e6f7081) != 0)
		die("lcp");
	lp = wr_len(&w);
	cp(1, PPP_LCP, PPP_CONF_REQ, 1, v, lp);
	cp(0, PPP_LCP, PPP_CONF_ACK, 1, v, lp);
	cp(1, PPP_LCP, PPP_CONF_ACK, 1, o, ln);
	/* MS-CHAPv2, RFC 2759 */
	if (mschap_nt_password_hash(password, strlen(password), nt_hash) != 0)
		die("password");
	mschap_hash_nt_password_hash(nt_hash, hh);
	memset(&m, 0, sizeof(m));
	m.code = CHAP_CHALLENGE, m.id = 1;
	m.value = auth_chal, m.value_len = 16;
	m.name = (const uint8_t *)"pac.bench", m.name_len = 9;
	chap(1, &m);
	memset(&resp, 0, sizeof(resp));
	memcpy(resp.peer_challenge, peer_chal, 16);
	mschapv2_generate_nt_response(auth_chal, peer_chal, user, ulen,
	    nt_hash, resp.nt_response);
	wr_init(&w, v, sizeof(v));
	if (mschapv2_response_encode(&w, &resp) != 0)
		die("response");
	memset(&m, 0, sizeof(m));
	m.code = CHAP_RESPONSE, m.id = 1;
	m.value = v, m.value_len = wr_len(&w);
	m.name = (const uint8_t *)user, m.name_len = ulen;
	chap(0, &m);
	mschapv2_generate_authenticator_response(nt_hash, resp.nt_response,
	    peer_chal, auth_chal, user, ulen, auth_resp, text);
	wr_init(&w, msg, sizeof(msg));
	if (mschapv2_success_format(&w, auth_resp, NULL) != 0)
		die("success");
	memset(&m, 0, sizeof(m));
	m.code = CHAP_SUCCESS, m.id = 1;
	m.message = msg, m.message_len = wr_len(&w);
	chap(1, &m);
	/* CCP: MPPE-128 stateless both ways (RFC 3078 2) */
	wr_init(&w, o, sizeof(o));
	if (ppp_opt_u32_put(&w, CCP_OPT_MPPE, MPPE_OPT_H | MPPE_OPT_S) != 0)
		die("ccp");
	ln = wr_len(&w);
	for (d = 0; d < 2; d++)
		cp(d, PPP_CCP, PPP_CONF_REQ, 1, o, ln);
	for (d = 0; d < 2; d++)
		cp(d, PPP_CCP, PPP_CONF_ACK, 1, o, ln);
	/* IPCP: each side's address */
	for (d = 0; d < 2; d++) {
		wr_init(&w, o, sizeof(o));
		if (ppp_opt_u32_put(&w, IPCP_OPT_ADDR, d == 0 ? IN_PNS :
		    IN_PAC) != 0)
			die("ipcp");
		cp(d, PPP_IPCP, PPP_CONF_REQ, 1, o, wr_len(&w));
		cp(1 - d, PPP_IPCP, PPP_CONF_ACK, 1, o, wr_len(&w));
	}
	/* RFC 3079 3: the PNS is the client; keys[0] its send key */
	if (mppe_keys_from_mschapv2(hh, resp.nt_response, false, 128,
	    keys[0], keys[1]) != 0 ||
	    mppe_dir_init(&mppe[0], keys[0], 128, true) != 0 ||
	    mppe_dir_init(&mppe[1], keys[1], 128, true) != 0)
		die("mppe keys");
}

/* One inner IPv4 TCP segment of the tunnelled connection, encrypted. */
static void
data(int dir, struct mppe_dir *mppe, uint8_t flags, size_t payload,
    uint32_t seq, uint32_t ack, uint16_t mss)
{
	static uint8_t in[2048], ppp[2048];
	static uint32_t fill;
	struct wr w, p;
	size_t ipl = 20 + 20 + (mss ? 4 : 0) + payload, i;

	wr_init(&w, in, sizeof(in));
	wr_u16(&w, PPP_IP);		/* encrypted with the packet */
	wr_u8(&w, 0x45), wr_u8(&w, 0), wr_u16(&w, (uint16_t)ipl);
	wr_u16(&w, (uint16_t)seq), wr_u16(&w, 0x4000);
	wr_u8(&w, 64), wr_u8(&w, 6), wr_u16(&w, 0);
	wr_u32(&w, dir == 0 ? IN_PNS : IN_PAC);
	wr_u32(&w, dir == 0 ? IN_PAC : IN_PNS);
	wr_u16(&w, dir == 0 ? 50000 : 5201), wr_u16(&w, dir == 0 ? 5201 :
	    50000);
	wr_u32(&w, seq), wr_u32(&w, ack);
	wr_u8(&w, (uint8_t)((mss ? 6 : 5) << 4)), wr_u8(&w, flags);
	wr_u16(&w, 64240), wr_u32(&w, 0);
	if (mss)
		wr_u8(&w, 2), wr_u8(&w, 4), wr_u16(&w, mss);
	for (i = 0; i < payload; i += 4)
		wr_u32(&w, fill += 0x9e3779b9u);
	if (wr_error(&w) != 0)
		die("inner packet");
	wr_init(&p, ppp, sizeof(ppp));
	if (ppp_frame_encode(&p, PPP_COMP, false, false) != 0 ||
	    mppe_encrypt(mppe, in, 2 + ipl, &p) != 0)
		die("mppe_encrypt");
	gre(dir, ppp, wr_len(&p));
}

int
main(int argc, char **argv)
{
	static char obuf[1 << 22];
	const char *user = "bench", *password = "pptpkit-bench-1723";
	uint64_t target = 520ull * 1000000;
	struct mppe_dir mppe[2];
	uint32_t s0 = 1, s1 = 1, n = 0;

	if (argc < 2 || argc == 4 || argc > 5) {
		fprintf(stderr, "usage: inspect_gen OUT.pcap [MB] [USER "
		    "PASSWORD]\n");
		return 2;
	}
	if (argc >= 3 && (target = strtoull(argv[2], NULL, 10) * 1000000) ==
	    0)
		die("MB must be a positive number");
	if (argc == 5)
		user = argv[3], password = argv[4];
	if ((out = fopen(argv[1], "wb")) == NULL)
		die("cannot create the output file");
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	{
		uint8_t h[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };

		put_le32(h + 16, 65535);
		put_le32(h + 20, 1);	/* LINKTYPE_ETHERNET */
		if (fwrite(h, 1, 24, out) != 24)
			die("write failed");
		written = 24;
	}
	control_start();
	negotiate(user, password, mppe);
	/* the inner connection: SYN, SYN-ACK (MSS clamped to the tunnel) */
	now_us += 1000;
	data(0, &mppe[0], TCP_FLAG_SYN, 0, 0, 0, MSS);
	gre_deliver(0);
	now_us += 500;
	data(1, &mppe[1], TCP_FLAG_SYN | TCP_FLAG_ACK, 0, 0, 1, MSS);
	gre_deliver(1);
	now_us += 500;
	data(0, &mppe[0], TCP_FLAG_ACK, 0, 1, 1, 0);
	/* bulk PNS -> PAC; an ACK back every second segment, acking (in
	 * GRE and TCP) what arrived ACK_LAG packets ago */
	while (written < target - 4096) {
		now_us += DATA_GAP_US;
		data(0, &mppe[0], TCP_FLAG_ACK, MSS, s0, s1, 0);
		s0 += MSS;
		if (++n % 2 == 0) {
			if (gre_seq[0] > ACK_LAG) {
				gre_have[1] = true;
				gre_rcvd[1] = gre_seq[0] - 1 - ACK_LAG;
			}
			data(1, &mppe[1], TCP_FLAG_ACK, 0, s1,
			    s0 - ACK_LAG * MSS, 0);
			gre_deliver(1);
		}
	}
	gre_deliver(0);
	now_us += 1000;
	gre(1, NULL, 0);		/* an ack-only packet */
	cp(0, PPP_LCP, PPP_TERM_REQ, 2, NULL, 0);
	cp(1, PPP_LCP, PPP_TERM_ACK, 2, NULL, 0);
	control_end();
	if (fclose(out) != 0)
		die("write failed");
	mppe_dir_fini(&mppe[0]);
	mppe_dir_fini(&mppe[1]);
	fprintf(stderr, "wrote %s: %llu frames, %llu octets; MS-CHAPv2 user "
	    "\"%s\" password \"%s\"\n", argv[1], (unsigned long long)frames,
	    (unsigned long long)written, user, password);
	return 0;
}

/*
 * inspect.h - the PPTP capture analyzer's state and its pure entry points.
 *
 * The analysis never touches a file or the clock: inspect_packet() takes
 * one captured frame (timestamp, link type, bytes) and updates the state;
 * the reader (inspect_main.c) is the only code that calls libpcap.  All
 * state is bounded: fixed tables of control connections, calls and other
 * GRE flows, each with a cap and least-recently-seen eviction, per-message
 * and per-timeline caps, and a bounded out-of-order buffer per TCP
 * direction.  So memory does not grow with the capture.
 *
 * It correlates what RFC 2637 ties together: control connections on TCP
 * 1723 (section 1.4, messages of section 2), their calls (OCRQ/OCRP 2.7/2.8,
 * ICRQ/ICRP 2.9/2.10 call ID pairs) and each call's enhanced GRE flow per
 * direction (section 4.1: the Key's Call ID is the RECEIVER's), then the
 * PPP inside (RFC 1661 LCP, RFC 1332 IPCP, RFC 5072 IPV6CP, RFC 1962 CCP,
 * RFC 1334 PAP, RFC 1994 CHAP).
 */
#ifndef PPTPKIT_INSPECT_INSPECT_H
#define PPTPKIT_INSPECT_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../wire/pptp_msg.h"

/* Link types, numbered as libpcap's DLT_* values (the pure core does not
 * include pcap.h). */
#define INS_DLT_NULL		0	/* BSD loopback, host-order family */
#define INS_DLT_EN10MB		1	/* Ethernet */
#define INS_DLT_RAW		12	/* raw IP (some systems: 14) */
#define INS_DLT_RAW_ALT		14
#define INS_DLT_LOOP		108	/* OpenBSD loopback, network order */
#define INS_DLT_LINUX_SLL	113	/* Linux cooked v1 */
#define INS_DLT_IPV4		228
#define INS_DLT_IPV6		229
#define INS_DLT_LINUX_SLL2	276	/* Linux cooked v2 */

/* Caps: each bounds one table; see docs/inspect-json.md. */
#define INS_MAX_CONNS		128	/* control connections */
#define INS_MAX_CALLS		256	/* calls (with or without control) */
#define INS_MAX_OTHER_GRE	64	/* non-PPTP GRE flows */
#define INS_MAX_MSGS		64	/* control messages kept per connection */
#define INS_MAX_TIMELINE	96	/* PPP negotiation entries per call */
#define INS_TIMELINE_TEXT	200	/* printed text per entry */
#define INS_OOO_SLOTS		8	/* held out-of-order segments per direction */
#define INS_OOO_BYTES		1600	/* largest segment a slot holds */
#define INS_USER_MAX		64	/* auth user name octets kept */
#define INS_CONFACK_MAX		255	/* Configure-Ack option octets kept */
#define INS_MAX_DEPTH		4	/* nested IP-in-IP headers followed */

struct ins_addr {
	uint8_t		family;		/* 4 or 6; 0 = unset */
	uint8_t		a[16];		/* 4 or 16 octets, network order */
};

/* Each analysis module's own state (embedded below) and entry points. */
#include "../inspect/inspect_crypt.h"
#include "../inspect/inspect_diag.h"
#include "../inspect/inspect_gre.h"

/* One direction of a TCP stream: reassembly and PPTP message framing. */
struct ins_ooo {
	bool		used;
	uint32_t	seq;
	uint16_t	len;
	uint8_t		data[INS_OOO_BYTES];
};

struct ins_tcp_dir {
	bool		have_seq;
	uint32_t	next;		/* next expected sequence number */
	bool		desync;		/* framing error: rest ignored */
	size_t		have;		/* octets of the message in msg[] */
	uint8_t		msg[PPTP_MAX_MSG_LEN + 4];
	struct ins_ooo	ooo[INS_OOO_SLOTS];
	unsigned	segments;	/* segments with payload */
	unsigned	retrans;	/* entirely already-seen segments */
	unsigned	out_of_order;	/* held and delivered later */
	unsigned	gaps;		/* holes skipped (buffer overflow) */
	unsigned	bytes;		/* in-order payload bytes delivered */
};

/* One control message as seen on the stream. */
struct ins_msg {
	unsigned	frame;		/* frame completing the message */
	uint64_t	ts_us;		/* that frame's timestamp, microseconds */
	uint8_t		dir;		/* 0 client->server, 1 server->client */
	struct pptp_msg	m;
};

struct ins_conn {
	bool		used;
	unsigned	id;		/* 1-based, in order of appearance */
	uint64_t	last_ts;
	unsigned	first_frame;
	struct ins_addr	cli, srv;	/* TCP client / server (port 1723) */
	uint16_t	cport, sport;
	bool		fin, rst;
	struct ins_tcp_dir dir[2];	/* 0 client->server, 1 server->client */
	unsigned	nmsgs;		/* messages seen (may exceed the cap) */
	struct ins_msg	msgs[INS_MAX_MSGS];
	unsigned	type_count[PPTP_CTRL_TYPE_MAX + 1];
	unsigned	decode_errors;
	struct ins_conn_diag diag;
};

/* GRE statistics of one direction of a call (RFC 2637 4.1, 4.4). */
struct ins_gre_dir {
	bool		seen;
	struct ins_addr	src, dst;
	uint16_t	key;		/* Call ID in the Key: the receiver's */
	unsigned	first_frame, last_frame;
	unsigned	packets;
	uint64_t	bytes;		/* GRE octets (header + payload) */
	uint64_t	payload_sum;	/* sum of Payload Length */
	unsigned	with_seq, with_ack, ack_only;
	bool		have_seq, have_ack;
	uint32_t	seq_first, seq_last, seq_max;
	uint64_t	seq_seen;	/* bit i: seq_max - i was seen */
	uint32_t	ack_first, ack_last;
	unsigned	lost;		/* missing sequence numbers (net) */
	unsigned	reordered;	/* arrived below the highest seen */
	unsigned	duplicates;	/* a sequence number seen twice */
	unsigned	cut;		/* payload cut by the snap length */
	/* PPP */
	unsigned	ppp_frames, with_ff03, without_ff03, proto2, proto1;
	unsigned	ppp_errors;
	unsigned	proto_count[16];	/* by ins_proto_slot() */
	uint16_t	proto_num[16];
	unsigned	nprotos;
	struct ins_gre_ext x;
	struct ins_series series;
};

struct ins_timeline {
	unsigned	frame;
	uint64_t	ts_us;		/* the frame's timestamp, microseconds */
	uint8_t		dir;
	uint16_t	proto;
	uint8_t		code;
	char		text[INS_TIMELINE_TEXT];
};

/* The last Configure-Ack sent in one direction for one protocol. */
struct ins_confack {
	bool		seen;
	unsigned	frame;
	uint8_t		id;
	uint16_t	proto;
	uint16_t	len;		/* option octets kept */
	uint8_t		opts[INS_CONFACK_MAX];
};

#define INS_CP_LCP	0
#define INS_CP_IPCP	1
#define INS_CP_IPV6CP	2
#define INS_CP_CCP	3
#define INS_CP_N	4

struct ins_auth {
	uint16_t	proto;		/* PPP_PAP, PPP_CHAP or 0 */
	uint8_t		chap_alg;	/* from the LCP auth option, or 0 */
	char		user[INS_USER_MAX + 1];	/* raw peer octets, NUL-ended */
	size_t		user_len;
	size_t		passwd_len;	/* PAP: length only, never the value */
	unsigned	req_frame, result_frame;
	int		result;		/* 0 none, 1 success, -1 failure */
};

enum ins_call_kind { INS_CALL_OUTGOING, INS_CALL_INCOMING, INS_CALL_GRE_ONLY };

/*
 * A call.  With a control connection, dir[0] is PNS->PAC (Key = the PAC's
 * call ID) and dir[1] is PAC->PNS (Key = the PNS's call ID).  Seen only as
 * GRE, dir[0] is the first direction seen and dir[1] the reverse.
 */
struct ins_call {
	bool		used;
	unsigned	id;
	uint64_t	last_ts;
	enum ins_call_kind kind;
	unsigned	conn_id;	/* 0 when seen only as GRE */
	struct ins_addr	pns, pac;	/* unset for GRE-only calls */
	bool		have_pns_id, have_pac_id;
	uint16_t	pns_call_id, pac_call_id;
	unsigned	request_frame, reply_frame, clear_frame, cdn_frame;
	uint8_t		result;
	struct ins_gre_dir dir[2];
	unsigned	ntimeline;
	struct ins_timeline timeline[INS_MAX_TIMELINE];
	struct ins_confack confack[2][INS_CP_N];	/* by sender direction */
	struct ins_auth	auth;
	unsigned	mppe_frames;
	unsigned	cleartext_ip;
	bool		ended;		/* CDN, Stop-Control or TCP close seen */
	unsigned	end_frame;
	bool		reported;	/* --live: already printed */
	struct ins_call_diag diag;
	struct ins_call_mtu mtu;
	struct ins_call_crypt crypt;
};

struct ins_other_gre {
	bool		used;
	uint64_t	last_ts;
	struct ins_addr	src, dst;
	uint8_t		version;
	uint16_t	proto;
	bool		have_key;
	uint32_t	key;
	unsigned	packets;
	uint64_t	bytes;
	unsigned	first_frame;
};

struct ins_counters {
	unsigned	link_unsupported;	/* frames of an unknown link/ethertype */
	unsigned	truncated;		/* frames cut inside a header */
	unsigned	ip_fragments;		/* IP fragments seen */
	unsigned	not_ip;			/* frames with no IP inside */
	unsigned	tcp_segments;		/* TCP/1723 segments */
	unsigned	tcp_payload_segments;
	unsigned	tcp_retrans;
	unsigned	gre_packets;
	unsigned	gre_pptp;		/* GRE v1 carrying PPP */
	unsigned	gre_other;
	unsigned	gre_malformed;
	unsigned	evicted_conns, evicted_calls, evicted_other_gre;
	unsigned	dropped_msgs, dropped_timeline;
	/* IP reassembly (inspect_net.c): datagrams completed, given up
	 * after INS_FRAG_TIMEOUT_US, pushed out of a full table, still
	 * incomplete now; fragments dropped as bad (too long, a non-last
	 * one not a multiple of 8 octets, contradicting the datagram's
	 * end) and fragments overlapping held data (duplicates too) */
	unsigned	ip_reassembled, ip_frag_timeout, ip_frag_evicted;
	unsigned	ip_frag_pending, ip_frag_bad, ip_frag_overlap;
};

struct inspect {
	unsigned	frames;
	uint64_t	first_ts, last_ts;	/* microseconds */
	int		dlt;
	struct ins_counters c;
	struct ins_net	net;		/* fragment table, GRE lookup cache */
	unsigned	next_conn_id, next_call_id;
	struct ins_conn	conns[INS_MAX_CONNS];
	struct ins_call	calls[INS_MAX_CALLS];
	struct ins_other_gre other[INS_MAX_OTHER_GRE];
	struct ins_crypt crypt;		/* credentials and inner writer */
	/* options set by the caller before reading */
	bool		progress;	/* progress bar on stderr while reading */
	bool		color;		/* ANSI colour in the text report */
};

/* Allocates a zeroed analysis state; NULL when out of memory. */
struct inspect *inspect_new(void);
/* Frees it (NULL is fine). */
void inspect_free(struct inspect *ins);

/*
 * Feeds one captured frame: ts_us its timestamp in microseconds, dlt the
 * file's link type (INS_DLT_*), data[len] the captured octets (len may be
 * less than the original length: every header is bounds-checked and a cut
 * packet is counted, never a crash).  Frames are numbered from 1 in call
 * order, as tshark numbers them.  Never fails: bad input is counted.
 */
void inspect_packet(struct inspect *ins, uint64_t ts_us, int dlt,
    const uint8_t *data, size_t len);

/* --- reader (inspect_read.c, libpcap) --- */

/*
 * Streams the capture at path (pcap or pcapng; "-" = stdin) into ins.
 * Returns 0 when the whole file was read; ERR_TRUNCATED when reading
 * stopped at a damaged or cut record (the frames before it were analysed;
 * err holds libpcap's message); ERR_SYS when the file cannot be opened or
 * is not a capture (err says why).
 */
int inspect_read_file(struct inspect *ins, const char *path, char *err,
    size_t errlen);

/* --- internal steps, exposed for the tests --- */

/* Handles one IP packet's layer-4 payload (TCP segment or GRE packet). */
void ins_l4(struct inspect *ins, const struct ins_addr *src,
    const struct ins_addr *dst, uint8_t proto, const uint8_t *p, size_t n);

/* The Call ID fields of m as tshark names them: call_id is the sender's
 * own (OCRQ, OCRP, ICRQ, ICRP, CCRQ, CDN), peer_call_id the other side's
 * (OCRP, ICRP, ICCN, WEN, SLI); *have_* false where a type has none. */
void ins_msg_call_ids(const struct pptp_msg *m, bool *have_cid,
    uint16_t *cid, bool *have_pcid, uint16_t *pcid);

/* The name tshark uses for a PPP protocol ("LCP", "IPv4", "MPPE", ...) or
 * NULL for one without a name here. */
const char *ins_proto_name(uint16_t proto);

/* Formats an address into buf[48]; returns buf. */
const char *ins_addr_str(const struct ins_addr *a, char *buf, size_t cap);
/* True if a and b are the same address. */
bool ins_addr_eq(const struct ins_addr *a, const struct ins_addr *b);

/* "outgoing", "incoming", "gre-only". */
const char *ins_call_kind_name(enum ins_call_kind k);

/* The address that sends direction d of call c. */
const struct ins_addr *ins_call_src(const struct ins_call *c, int d);
/* "PAP", "CHAP-MD5", "MS-CHAPv1", "MS-CHAPv2", "CHAP", "EAP" or NULL. */
const char *ins_auth_method(const struct ins_auth *a);

/* --- reports (inspect_text.c, inspect_json.c) --- */

/* Writes the readable report; file is the name shown in the header. */
void inspect_report_text(const struct inspect *ins, const char *file,
    FILE *out);
/* Writes the text block of one call (as in the report), in colour when
 * ins->color: for --live, as each call ends. */
void inspect_call_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out);
/* Writes the report without the call blocks (the summary lines, the
 * control connections, other GRE): --live's closing summary. */
void inspect_summary_text(const struct inspect *ins, const char *name,
    FILE *out);
/* Writes the JSON document of docs/inspect-json.md. */
void inspect_report_json(const struct inspect *ins, const char *file,
    FILE *out);
/* Writes one line: {"schema":..., "event":"call", "source":name,
 * "call":{...}} with the call object of the document (--live --json). */
void inspect_call_json(const struct inspect *ins, const struct ins_call *c,
    const char *name, FILE *out);

/* --- HTML report (inspect_html.c) --- */

/* Writes one self-contained HTML page (ladder diagram, throughput and loss
 * plots) to path; 0, or ERR_SYS with err saying why. */
int inspect_report_html(const struct inspect *ins, const char *file,
    const char *path, char *err, size_t errlen);

/* --- live capture (inspect_live.c) --- */

/*
 * Captures on iface with the filter "tcp port 1723 or ip proto 47" and
 * prints each call's report (text, or one JSON document per call when
 * json) as the call ends, and the rest when stopped by SIGINT/SIGTERM.
 * Returns 0, or ERR_SYS with err saying why (no such interface, no
 * permission).
 */
int inspect_live(struct inspect *ins, const char *iface, bool json,
    FILE *out, char *err, size_t errlen);

#define INS_JSON_SCHEMA	"pptpkit-inspect/1"

#endif

/*
 * test_inspect.c - the capture analyzer (src/inspect) against the real
 * captures in tests/data/captures and their TShark ground truth in
 * expected/<file>.expected.json: control messages (type, Call IDs, frames),
 * calls, GRE flows per direction, PPP protocols and framing, the last
 * Configure-Acks, PAP; then truncated and bit-flipped copies of every
 * capture (no crash, ASan), and the JSON report parsed back.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "icap.h"
#include "json.h"
#include "../src/commands.h"
#include "../src/inspect/inspect.h"
#include "../src/wire/cursor.h"
#include "../src/wire/ppp_cp.h"
#include "../src/wire/ppp_opt.h"
#include "../src/wire/ppp_proto.h"

static bool
addr_is(const struct ins_addr *a, const char *s)
{
	char buf[48];

	return s != NULL && strcmp(ins_addr_str(a, buf, sizeof(buf)), s) == 0;
}

static const char *
jstr(const struct json *o, const char *key)
{
	const struct json *j = json_get(o, key);

	return j != NULL && j->type == JSON_STR ? j->str : NULL;
}

/* expected null <-> !have; else the numbers agree */
static bool
opt_eq(const struct json *j, bool have, uint64_t v)
{
	if (j == NULL || json_is_null(j))
		return !have;
	return have && (uint64_t)json_int(j) == v;
}

static const struct ins_msg *
find_msg(const struct inspect *ins, unsigned frame, const struct ins_conn **cnp)
{
	int i;
	unsigned k;

	for (i = 0; i < INS_MAX_CONNS; i++) {
		const struct ins_conn *cn = &ins->conns[i];

		for (k = 0; cn->used && k < cn->nmsgs && k < INS_MAX_MSGS; k++)
			if (cn->msgs[k].frame == frame) {
				*cnp = cn;
				return &cn->msgs[k];
			}
	}
	return NULL;
}

static void
check_msgs(const struct inspect *ins, const struct json *exp, const char *f)
{
	const struct json *frames = json_get(exp, "pptp_control_message_frames");
	const struct json *e;
	unsigned total = 0;
	int i;

	for (i = 0; i < INS_MAX_CONNS; i++)
		if (ins->conns[i].used)
			total += ins->conns[i].nmsgs;
	if (!CHECK(total == json_len(frames)))
		t_note("%s: control message count", f);
	for (e = frames ? frames->child : NULL; e != NULL; e = e->next) {
		const struct ins_conn *cn = NULL;
		unsigned frame = (unsigned)json_int(json_get(e, "frame"));
		const struct ins_msg *im = find_msg(ins, frame, &cn);
		bool hc, hp;
		uint16_t cid, pcid;

		if (!CHECK(im != NULL)) {
			t_note("%s: no message at frame %u", f, frame);
			continue;
		}
		CHECK_EQ(im->m.ctrl_type,
		    json_int(json_at(json_get(e, "type"), 0)));
		ins_msg_call_ids(&im->m, &hc, &cid, &hp, &pcid);
		if (!CHECK(opt_eq(json_get(e, "call_id"), hc, cid)) ||
		    !CHECK(opt_eq(json_get(e, "peer_call_id"), hp, pcid)))
			t_note("%s: frame %u call ids", f, frame);
		CHECK(addr_is(im->dir == 0 ? &cn->cli : &cn->srv,
		    jstr(e, "src")));
		CHECK(addr_is(im->dir == 0 ? &cn->srv : &cn->cli,
		    jstr(e, "dst")));
	}
	/* every payload segment counted, each retransmission once */
	CHECK_EQ(ins->c.tcp_payload_segments,
	    json_int(json_get(exp, "tcp1723_payload_segments")));
	CHECK_EQ(ins->c.tcp_retrans,
	    json_len(json_get(exp, "tcp1723_retransmitted_segments")));
}

static void
check_calls(const struct inspect *ins, const struct json *exp, const char *f)
{
	const struct json *e;
	int i;

	for (e = json_get(exp, "calls")->child; e != NULL; e = e->next) {
		const struct ins_call *found = NULL;

		for (i = 0; i < INS_MAX_CALLS; i++) {
			const struct ins_call *c = &ins->calls[i];

			if (c->used && c->conn_id != 0 &&
			    c->reply_frame == json_int(json_get(e, "reply_frame")))
				found = c;
		}
		if (!CHECK(found != NULL)) {
			t_note("%s: call not found", f);
			continue;
		}
		CHECK_STR(ins_call_kind_name(found->kind), jstr(e, "kind"));
		CHECK(addr_is(&found->pns, jstr(e, "requester_ip")));
		CHECK(addr_is(&found->pac, jstr(e, "responder_ip")));
		CHECK(found->have_pns_id && found->have_pac_id);
		CHECK_EQ(found->pns_call_id,
		    json_int(json_get(e, "requester_call_id")));
		CHECK_EQ(found->pac_call_id,
		    json_int(json_get(e, "responder_call_id")));
	}
}

static const struct ins_gre_dir *
find_gre(const struct inspect *ins, const char *src, const char *dst,
    long long key)
{
	int i, d;

	for (i = 0; i < INS_MAX_CALLS; i++)
		for (d = 0; d < 2 && ins->calls[i].used; d++) {
			const struct ins_gre_dir *g = &ins->calls[i].dir[d];

			if (g->packets > 0 && g->key == key &&
			    addr_is(&g->src, src) && addr_is(&g->dst, dst))
				return g;
		}
	return NULL;
}

static unsigned
proto_count(const struct ins_gre_dir *g, const char *name)
{
	unsigned i;

	for (i = 0; i < g->nprotos; i++) {
		const char *n = ins_proto_name(g->proto_num[i]);

		if (n != NULL && strcmp(n, name) == 0)
			return g->proto_count[i];
	}
	return 0;
}

static void
check_gre_flow(const struct inspect *ins, const struct json *e, const char *f)
{
	const struct ins_gre_dir *g = find_gre(ins, jstr(e, "src"),
	    jstr(e, "dst"), json_int(json_get(e, "key_call_id")));
	const struct json *fr = json_get(e, "ppp_framing"), *p;

	if (!CHECK(g != NULL)) {
		t_note("%s: GRE %s -> %s not found", f, jstr(e, "src"),
		    jstr(e, "dst"));
		return;
	}
	CHECK_EQ(g->packets, json_int(json_get(e, "packets")));
	CHECK_EQ(g->with_seq, json_int(json_get(e, "with_seq")));
	CHECK_EQ(g->with_ack, json_int(json_get(e, "with_ack")));
	CHECK_EQ(g->ack_only, json_int(json_get(e, "ack_only")));
	CHECK_EQ(g->payload_sum, json_int(json_get(e, "payload_length_sum")));
	CHECK(opt_eq(json_get(e, "seq_first"), g->have_seq, g->seq_first));
	CHECK(opt_eq(json_get(e, "seq_last"), g->have_seq, g->seq_last));
	CHECK(opt_eq(json_get(e, "ack_first"), g->have_ack, g->ack_first));
	CHECK(opt_eq(json_get(e, "ack_last"), g->have_ack, g->ack_last));
	for (p = json_get(e, "ppp_protocols")->child; p != NULL; p = p->next)
		if (!CHECK(proto_count(g, p->key) == json_int(p)))
			t_note("%s: ppp protocol %s", f, p->key);
	CHECK_EQ(g->ppp_frames, json_int(json_get(fr, "ppp_frames")));
	CHECK_EQ(g->with_ff03, json_int(json_get(fr, "with_FF03")));
	CHECK_EQ(g->proto2, json_int(json_get(fr, "2-byte protocol")));
}

static void
check_gre(const struct inspect *ins, const struct json *exp, const char *f)
{
	const struct json *e;
	unsigned want_pptp = 0, have_pptp = 0;
	int i, d;

	for (e = json_get(exp, "gre_flows")->child; e != NULL; e = e->next) {
		if (json_int(json_get(e, "gre_version")) == 1 &&
		    strcmp(jstr(e, "gre_proto"), "0x880b") == 0) {
			want_pptp++;
			check_gre_flow(ins, e, f);
			continue;
		}
		/* anything else is "other GRE", never a call */
		for (i = 0; i < INS_MAX_OTHER_GRE; i++) {
			const struct ins_other_gre *o = &ins->other[i];

			if (o->used && addr_is(&o->src, jstr(e, "src")) &&
			    addr_is(&o->dst, jstr(e, "dst")))
				break;
		}
		if (CHECK(i < INS_MAX_OTHER_GRE)) {
			CHECK_EQ(ins->other[i].packets,
			    json_int(json_get(e, "packets")));
			CHECK_EQ(ins->other[i].version,
			    json_int(json_get(e, "gre_version")));
		}
	}
	for (i = 0; i < INS_MAX_CALLS; i++)
		for (d = 0; d < 2 && ins->calls[i].used; d++)
			have_pptp += ins->calls[i].dir[d].packets > 0;
	CHECK_EQ(have_pptp, want_pptp);
}

static const struct ins_call *
first_call(const struct inspect *ins)
{
	int i;

	for (i = 0; i < INS_MAX_CALLS; i++)
		if (ins->calls[i].used)
			return &ins->calls[i];
	return NULL;
}

static void
check_ppp(const struct inspect *ins, const struct json *exp, const char *f)
{
	const struct json *e;
	const struct ins_call *c = first_call(ins);
	int d, k;

	for (e = json_get(exp, "last_conf_ack")->child; e != NULL; e = e->next) {
		const struct ins_confack *ca = NULL;
		const char *ip = jstr(json_get(e, "options"),
		    "ipcp.opt.ip_address");

		for (k = 0; c != NULL && k < INS_CP_N; k++)
			for (d = 0; d < 2; d++)
				if (c->confack[d][k].seen &&
				    c->confack[d][k].frame ==
				    json_int(json_get(e, "frame")) &&
				    addr_is(ins_call_src(c, d),
				    jstr(e, "ack_sender")))
					ca = &c->confack[d][k];
		if (!CHECK(ca != NULL)) {
			t_note("%s: conf-ack frame %lld", f,
			    json_int(json_get(e, "frame")));
			continue;
		}
		CHECK_STR(ins_proto_name(ca->proto), jstr(e, "protocol"));
		CHECK_EQ(ca->id, json_int(json_get(e, "identifier")));
		if (ip != NULL) {
			struct ppp_opt o;
			struct rd r;
			uint32_t a = 0;
			char got[20];

			rd_init(&r, ca->opts, ca->len);
			while (ppp_opt_next(&r, &o) == 0)
				if (o.type == IPCP_OPT_ADDR)
					CHECK_OK(ipcp_opt_addr_decode(&o, &a));
			snprintf(got, sizeof(got), "%u.%u.%u.%u", a >> 24,
			    (a >> 16) & 255, (a >> 8) & 255, a & 255);
			CHECK_STR(got, ip);
		}
	}
	for (e = json_get(exp, "auth")->child; e != NULL; e = e->next) {
		if (strcmp(jstr(e, "code"), "Auth-Req") == 0) {
			if (!CHECK(c != NULL))
				continue;
			CHECK_EQ(c->auth.proto, PPP_PAP);
			CHECK_STR(c->auth.user, jstr(e, "name"));
			CHECK_EQ(c->auth.req_frame,
			    json_int(json_get(e, "frame")));
		} else if (strcmp(jstr(e, "code"), "Auth-Ack") == 0 &&
		    CHECK(c != NULL)) {
			CHECK_EQ(c->auth.result, 1);
			CHECK_EQ(c->auth.result_frame,
			    json_int(json_get(e, "frame")));
		}
	}
}

TEST(inspect_captures_match_tshark)
{
	char path[512];
	size_t i;

	for (i = 0; i < ICAP_NFILES; i++) {
		struct inspect *ins;
		struct json *exp;

		snprintf(path, sizeof(path), "%s/captures/expected/%s.expected.json",
		    T_DATA, icap_files[i]);
		exp = json_load(path);
		if (!CHECK(exp != NULL))
			continue;
		ins = icap_read(icap_file_path(icap_files[i], path,
		    sizeof(path)));
		if (CHECK(ins != NULL)) {
			CHECK_EQ(ins->frames, json_int(json_get(exp, "packets")));
			check_msgs(ins, exp, icap_files[i]);
			check_calls(ins, exp, icap_files[i]);
			check_gre(ins, exp, icap_files[i]);
			check_ppp(ins, exp, icap_files[i]);
		}
		inspect_free(ins);
		json_free(exp);
	}
}

TEST(inspect_negative_gre_is_not_pptp)
{
	struct inspect *ins = icap_read(T_DATA
	    "/captures/neg__packetlife__GRE.cap");
	int i;

	if (!CHECK(ins != NULL))
		return;
	for (i = 0; i < INS_MAX_CALLS; i++)
		CHECK(!ins->calls[i].used);
	CHECK_EQ(ins->c.gre_pptp, 0);
	CHECK_EQ(ins->c.gre_other, 10);
	inspect_free(ins);
}

TEST(inspect_retransmissions_counted_once)
{
	struct inspect *ins = icap_read(T_DATA "/captures/tcpdump__pptp.pcap");
	int i, n = 0;

	if (!CHECK(ins != NULL))
		return;
	/* every server segment appears twice; 5 messages, not 7 */
	CHECK_EQ(ins->conns[0].nmsgs, 5);
	CHECK_EQ(ins->conns[0].type_count[PPTP_SCCRP], 1);
	CHECK_EQ(ins->conns[0].dir[1].retrans, 2);
	CHECK(!ins->conns[0].dir[0].desync && !ins->conns[0].dir[1].desync);
	for (i = 0; i < INS_MAX_CALLS; i++)
		n += ins->calls[i].used;
	CHECK_EQ(n, 1);
	inspect_free(ins);

	ins = icap_read(T_DATA "/captures/nDPI__pptp.pcap");
	if (!CHECK(ins != NULL))
		return;
	CHECK_EQ(ins->conns[0].nmsgs, 8);
	CHECK_EQ(ins->c.tcp_retrans, 1);
	CHECK_EQ(ins->conns[0].type_count[PPTP_SLI], 2);
	/* the CDN carries 0 (the PNS's ID): still tied to the call */
	CHECK_EQ(ins->calls[0].cdn_frame, 23);
	CHECK_EQ(ins->calls[0].clear_frame, 16);
	inspect_free(ins);
}

TEST(inspect_gre_only_call_paired)
{
	struct inspect *ins = icap_read(T_DATA "/captures/zeek__gre-pptp.pcap");
	const struct ins_call *c;

	if (!CHECK(ins != NULL))
		return;
	c = first_call(ins);
	if (CHECK(c != NULL)) {
		CHECK_EQ(c->kind, INS_CALL_GRE_ONLY);
		CHECK(c->dir[0].seen && c->dir[1].seen);
		CHECK_EQ(c->dir[0].key, 6016);
		CHECK_EQ(c->dir[1].key, 17);
		CHECK_EQ(c->cleartext_ip, 2);
	}
	inspect_free(ins);
}

/* Analyses the bytes as a capture file and renders both reports. */
static void
analyse_bytes(const uint8_t *buf, size_t n)
{
	struct inspect *ins = inspect_new();
	char tmp[64], err[512];
	FILE *devnull;

	if (!CHECK(ins != NULL) ||
	    !CHECK(icap_write_tmp(tmp, sizeof(tmp), buf, n))) {
		inspect_free(ins);
		return;
	}
	(void)inspect_read_file(ins, tmp, err, sizeof(err));
	if ((devnull = fopen("/dev/null", "w")) != NULL) {
		inspect_report_text(ins, "cut", devnull);
		inspect_report_json(ins, "cut", devnull);
		fclose(devnull);
	}
	unlink(tmp);
	inspect_free(ins);
}

TEST(inspect_truncated_and_mutated_captures)
{
	char path[512];
	size_t i, off, len;
	uint8_t *buf, *mut;

	for (i = 0; i < ICAP_NFILES; i++) {
		icap_file_path(icap_files[i], path, sizeof(path));
		if (!CHECK((buf = t_read_file(path, &len)) != NULL))
			continue;
		/* cut inside the file header, inside records, one short */
		for (off = 0; off < len; off += off < 200 ? 13 : 97)
			analyse_bytes(buf, off);
		analyse_bytes(buf, len - 1);
		/* bit flips past the file header: bad lengths, flags, IDs */
		if ((mut = malloc(len)) != NULL) {
			for (off = 24; off < len; off += 7) {
				memcpy(mut, buf, len);
				mut[off] ^= (uint8_t)(1u << (off % 8));
				analyse_bytes(mut, len);
			}
			free(mut);
		}
		free(buf);
	}
}

/* Runs `pptpkit inspect --json path` through inspect_main() with stdout
 * sent to a file, and parses what it printed. */
static struct json *
run_main_json(const char *path)
{
	char tmp[64] = "/tmp/test_inspect_out_XXXXXX";
	char *argv[] = { "inspect", "--json", (char *)path, NULL };
	struct json *j = NULL;
	int fd, saved, rc;

	if ((fd = mkstemp(tmp)) < 0)
		return NULL;
	fflush(stdout);
	saved = dup(1);
	dup2(fd, 1);
	rc = inspect_main(3, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(fd);
	if (CHECK(rc == 0))
		j = json_load(tmp);
	unlink(tmp);
	return j;
}

TEST(inspect_json_output_parses)
{
	char path[512];
	size_t i;

	for (i = 0; i < ICAP_NFILES; i++) {
		struct json *j, *calls, *c;

		icap_file_path(icap_files[i], path, sizeof(path));
		j = run_main_json(path);
		if (!CHECK(j != NULL)) {
			t_note("%s: JSON did not parse", icap_files[i]);
			continue;
		}
		CHECK_STR(jstr(j, "schema"), INS_JSON_SCHEMA);
		calls = json_get(j, "calls");
		CHECK(calls != NULL && calls->type == JSON_ARR);
		if (strcmp(icap_files[i],
		    "packetlife__PPTP_negotiation.cap") == 0 &&
		    CHECK(json_len(calls) == 1)) {
			c = json_at(calls, 0);
			CHECK_EQ(json_int(json_get(c, "pns_call_id")), 1);
			CHECK_EQ(json_int(json_get(c, "pac_call_id")), 24);
			CHECK_STR(jstr(json_get(c, "auth"), "user"), "ixia");
			CHECK_STR(jstr(json_get(c, "auth"), "password"),
			    "<hidden>");
			CHECK_EQ(json_int(json_get(json_at(json_get(c, "gre"),
			    0), "packets")), 10);
		}
		if (strcmp(icap_files[i], "neg__packetlife__GRE.cap") == 0) {
			CHECK_EQ(json_len(calls), 0);
			CHECK_EQ(json_len(json_get(j, "other_gre")), 2);
		}
		json_free(j);
	}
}

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Every frame of every capture, cut short and bit-flipped, straight into
 * inspect_packet(): each header is bounds-checked, nothing crashes. */
TEST(inspect_mutated_frames)
{
	char path[512], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint8_t buf[2048];
	uint32_t seed = 0x2637u;
	size_t i;
	int k;

	for (i = 0; i < ICAP_NFILES; i++) {
		struct inspect *ins = inspect_new();
		pcap_t *pc;
		FILE *devnull;

		icap_file_path(icap_files[i], path, sizeof(path));
		if (!CHECK(ins != NULL) ||
		    !CHECK((pc = pcap_open_offline(path, errbuf)) != NULL)) {
			inspect_free(ins);
			continue;
		}
		while (pcap_next_ex(pc, &h, &data) == 1) {
			size_t n = h->caplen < sizeof(buf) ? h->caplen :
			    sizeof(buf);

			for (k = 0; k < 40; k++) {
				size_t cut = n, flips = rnd(&seed) % 4, f;

				memcpy(buf, data, n);
				for (f = 0; f < flips && n > 0; f++)
					buf[rnd(&seed) % n] ^=
					    (uint8_t)(1u << (rnd(&seed) % 8));
				if (k % 2 == 1 && n > 0)
					cut = rnd(&seed) % n;
				inspect_packet(ins, k, pcap_datalink(pc), buf,
				    cut);
			}
		}
		pcap_close(pc);
		if ((devnull = fopen("/dev/null", "w")) != NULL) {
			inspect_report_text(ins, "mutated", devnull);
			inspect_report_json(ins, "mutated", devnull);
			fclose(devnull);
		}
		inspect_free(ins);
	}
}

/*
 * inspect_crypt_out.c - what the decryption puts out (inspect_crypt.h):
 *
 * `--decrypt-out FILE`: the decrypted inner IPv4 and IPv6 packets, with
 * the timestamps of the frames that carried them, written with libpcap as
 * a pcap of LINKTYPE_RAW (101: each record is one IP packet, the version
 * nibble tells which).  libpcap's DLT_RAW is 12 on Linux (14 on OpenBSD)
 * and pcap_open_dead maps it to LINKTYPE_RAW in the file header, which is
 * what tshark and tcpdump read as "Raw IP".  This is the only place
 * decryption touches a file; the analysis calls ins_crypt.inner and knows
 * nothing of libpcap.
 *
 * The report sections (text, JSON of docs/inspect-json.md "Decryption")
 * and the findings: never a password, hash or key; peer names escaped.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "../base/err.h"
#include "../base/sbuf.h"
#include "../inspect/inspect_int.h"
#include "../inspect/inspect_jw.h"

#define OUT_SNAPLEN	65535

static void
out_write(void *ctx, uint64_t ts_us, const uint8_t *p, size_t n)
{
	struct ins_crypt *cr = ctx;
	struct pcap_pkthdr h;

	if (cr->dumper == NULL || n > OUT_SNAPLEN)
		return;
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	h.caplen = h.len = (bpf_u_int32)n;
	pcap_dump((u_char *)cr->dumper, &h, p);
}

int
ins_crypt_out_open(struct ins_crypt *cr, const char *path, char *err,
    size_t errlen)
{
	pcap_t *pd;
	pcap_dumper_t *dp;

	if ((pd = pcap_open_dead(DLT_RAW, OUT_SNAPLEN)) == NULL) {
		snprintf(err, errlen, "--decrypt-out: out of memory");
		return ERR_SYS;
	}
	if ((dp = pcap_dump_open(pd, path)) == NULL) {
		snprintf(err, errlen, "--decrypt-out %s: %s", path,
		    pcap_geterr(pd));
		pcap_close(pd);
		return ERR_SYS;
	}
	cr->pcap = pd;
	cr->dumper = dp;
	cr->inner = out_write;
	cr->inner_ctx = cr;
	return 0;
}

void
ins_crypt_out_close(struct ins_crypt *cr)
{
	if (cr->dumper != NULL) {
		if (pcap_dump_flush(cr->dumper) != 0)
			fprintf(stderr, "pptpkit inspect: --decrypt-out: "
			    "write error; the file is incomplete\n");
		pcap_dump_close(cr->dumper);
	}
	if (cr->pcap != NULL)
		pcap_close(cr->pcap);
	cr->dumper = cr->pcap = NULL;
	if (cr->inner == out_write)
		cr->inner = NULL;
}

/* --- reports -------------------------------------------------------- */

static const char *
crypt_method_name(enum ins_crypt_method m)
{
	switch (m) {
	case INS_CM_MD5:	return "CHAP-MD5";
	case INS_CM_MSCHAPV1:	return "MS-CHAPv1";
	case INS_CM_MSCHAPV2:	return "MS-CHAPv2";
	default:		return NULL;
	}
}

/* "verified", "mismatch", "user-differs", "not-verifiable", "no-exchange" */
static const char *
crypt_verdict(const struct ins_call_crypt *cc)
{
	if (!cc->have_resp)
		return "no-exchange";
	if (cc->user_differs)
		return "user-differs";
	return cc->verified > 0 ? "verified" : cc->verified < 0 ?
	    "mismatch" : "not-verifiable";
}

/* Most decrypted frames of direction d are not valid inner packets. */
static bool
crypt_dir_garbage(const struct ins_crypt_dir *cd)
{
	return cd->garbage > 0 && cd->garbage >= cd->decrypted;
}

/* Direction d's "src -> dst" into buf[112]. */
static const char *
crypt_dir_name(const struct ins_call *c, int d, char *buf, size_t cap)
{
	char a[48], b[48];

	snprintf(buf, cap, "%s -> %s",
	    ins_addr_str(ins_call_src(c, d), a, sizeof(a)),
	    ins_addr_str(ins_call_src(c, 1 - d), b, sizeof(b)));
	return buf;
}

static bool
crypt_has_data(const struct ins_call *c)
{
	const struct ins_call_crypt *cc = &c->crypt;

	return cc->have_resp || cc->have_chal || cc->dir[0].frames != 0 ||
	    cc->dir[1].frames != 0;
}

void
ins_crypt_text(const struct inspect *ins, const struct ins_call *c,
    FILE *out, bool color)
{
	const struct ins_call_crypt *cc = &c->crypt;
	const char *verdict = crypt_verdict(cc);
	char user[4 * INS_CRYPT_NAME_MAX + 8], dn[112];
	struct sbuf sb;
	int d;

	(void)ins, (void)color;
	if (!crypt_has_data(c))
		return;
	sbuf_init(&sb, user, sizeof(user));
	sbuf_escaped(&sb, cc->name, cc->name_len < INS_CRYPT_NAME_MAX ?
	    cc->name_len : INS_CRYPT_NAME_MAX);
	fprintf(out, "  decryption: ");
	if (strcmp(verdict, "verified") == 0)
		fprintf(out, "%s user \"%s\": password verified (response "
		    "frame %u)", crypt_method_name(cc->method), user,
		    cc->resp_frame);
	else if (strcmp(verdict, "mismatch") == 0)
		fprintf(out, "%s user \"%s\": the password does not match "
		    "(response frame %u)", crypt_method_name(cc->method), user,
		    cc->resp_frame);
	else if (strcmp(verdict, "user-differs") == 0)
		fprintf(out, "the capture authenticates \"%s\" (frame %u), "
		    "not the --user given: not decrypted", user,
		    cc->resp_frame);
	else if (strcmp(verdict, "no-exchange") == 0)
		fprintf(out, "no CHAP response captured");
	else
		fprintf(out, "%s user \"%s\": not verified (%s)",
		    crypt_method_name(cc->method) != NULL ?
		    crypt_method_name(cc->method) : "CHAP", user,
		    cc->not_verified ? cc->not_verified : "?");
	if (cc->s_check != 0)
		fprintf(out, "; authenticator response (S=) %s in frame %u",
		    cc->s_check > 0 ? "verified" : "DOES NOT MATCH",
		    cc->s_frame);
	fputc('\n', out);
	if (cc->starts > 0)
		fprintf(out, "    mppe %u-bit %s, keys from %s (RFC 3079), "
		    "started at frame %u%s\n", cc->bits, cc->stateless ?
		    "stateless" : "stateful", crypt_method_name(cc->method),
		    cc->start_frame, cc->starts > 1 ? " (restarted by CCP)" :
		    "");
	if (cc->unsupported != NULL)
		fprintf(out, "    not decrypted: %s (frame %u)\n",
		    cc->unsupported, cc->unsupported_frame);
	for (d = 0; d < 2; d++) {
		const struct ins_crypt_dir *cd = &cc->dir[d];

		if (cd->frames == 0)
			continue;
		fprintf(out, "    %s: mppe frames=%u decrypted=%u garbage=%u "
		    "failed=%u stale=%u discarded=%u lost=%u resyncs=%u "
		    "reset_requests=%u inner_ip_written=%u",
		    crypt_dir_name(c, d, dn, sizeof(dn)), cd->frames,
		    cd->decrypted, cd->garbage, cd->failed, cd->stale,
		    cd->discarded, cd->lost, cd->resyncs, cd->reset_reqs,
		    cd->written);
		if (cd->other_inner)
			fprintf(out, " other_inner=%u", cd->other_inner);
		if (cd->extra_rekeys)
			fprintf(out, " extra_rekey_resyncs=%u",
			    cd->extra_rekeys);
		if (cd->skipped)
			fprintf(out, " not_decrypted=%u", cd->skipped);
		if (cd->mppc)
			fprintf(out, " mppc=%u", cd->mppc);
		fputc('\n', out);
	}
}

void
ins_crypt_json(struct jw *w, const struct inspect *ins,
    const struct ins_call *c)
{
	const struct ins_call_crypt *cc = &c->crypt;
	bool gre_only = c->kind == INS_CALL_GRE_ONLY;
	int d;

	(void)ins;
	if (!crypt_has_data(c)) {
		jw_key(w, "decryption");
		fputs("null", w->f);
		return;
	}
	jw_open(w, "decryption", '{');
	jw_key(w, "user");
	if (cc->have_resp)
		jw_str(w, cc->name, cc->name_len < INS_CRYPT_NAME_MAX ?
		    cc->name_len : INS_CRYPT_NAME_MAX);
	else
		fputs("null", w->f);
	jw_s(w, "method", crypt_method_name(cc->method));
	jw_s(w, "verification", crypt_verdict(cc));
	jw_s(w, "not_verified_because", cc->verified == 0 &&
	    !cc->user_differs ? cc->not_verified : NULL);
	jw_opt_u64(w, "response_frame", cc->have_resp, cc->resp_frame);
	jw_s(w, "authenticator_response", cc->s_check > 0 ? "verified" :
	    cc->s_check < 0 ? "mismatch" : NULL);
	jw_opt_u64(w, "key_bits", cc->starts > 0, cc->bits);
	jw_s(w, "mode", cc->starts == 0 ? NULL : cc->stateless ?
	    "stateless" : "stateful");
	jw_u64(w, "mppe_starts", cc->starts);
	jw_opt_u64(w, "start_frame", cc->starts > 0, cc->start_frame);
	jw_s(w, "unsupported", cc->unsupported);
	jw_open(w, "directions", '[');
	for (d = 0; d < 2; d++) {
		const struct ins_crypt_dir *cd = &cc->dir[d];

		jw_open(w, NULL, '{');
		jw_s(w, "dir", gre_only ? (d == 0 ? "a_to_b" : "b_to_a") :
		    (d == 0 ? "pns_to_pac" : "pac_to_pns"));
		jw_u64(w, "mppe_frames", cd->frames);
		jw_u64(w, "decrypted", cd->decrypted);
		jw_u64(w, "garbage", cd->garbage);
		jw_u64(w, "failed", cd->failed);
		jw_u64(w, "stale", cd->stale);
		jw_u64(w, "discarded", cd->discarded);
		jw_u64(w, "not_decrypted", cd->skipped);
		jw_u64(w, "mppc", cd->mppc);
		jw_u64(w, "lost", cd->lost);
		jw_u64(w, "resyncs", cd->resyncs);
		jw_u64(w, "extra_rekey_resyncs", cd->extra_rekeys);
		jw_u64(w, "reset_requests", cd->reset_reqs);
		jw_u64(w, "reset_acks", cd->reset_acks);
		jw_u64(w, "rekeys", cd->active ? cd->rekeys + cd->mppe.rekeys :
		    cd->rekeys);
		jw_u64(w, "inner_ip_written", cd->written);
		jw_u64(w, "inner_other", cd->other_inner);
		jw_opt_u64(w, "first_failed_frame", cd->first_fail_frame != 0,
		    cd->first_fail_frame);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

size_t
ins_crypt_findings(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap)
{
	const struct ins_call_crypt *cc = &c->crypt;
	const struct ins_crypt *cr = &ins->crypt;
	struct ins_flist l = { .out = out, .cap = cap, .ins = ins, .c = c };
	char user[64], given[64], dn[112];	/* names cut to fit */
	struct ins_finding *f;
	struct sbuf sb;
	unsigned i;
	int d;

	if (!crypt_has_data(c))
		return 0;
	sbuf_init(&sb, user, sizeof(user));
	sbuf_escaped(&sb, cc->name, cc->name_len < INS_CRYPT_NAME_MAX ?
	    cc->name_len : INS_CRYPT_NAME_MAX);
	if (cc->have_resp && cc->user_differs && (f = ins_flist_add(&l,
	    "no-credentials-for-user", INS_SEV_WARN)) != NULL) {
		sbuf_init(&sb, given, sizeof(given));
		sbuf_escaped(&sb, cr->user, cr->user_len);
		ins_finding_printf(f, "credentials were given for \"%.60s\" "
		    "but the call authenticates \"%.60s\" (frame %u): not "
		    "verified, not decrypted", given, user, cc->resp_frame);
		ins_finding_frame(f, cc->resp_frame);
	}
	if (cc->verified < 0 && (f = ins_flist_add(&l, "password-mismatch",
	    INS_SEV_ERROR)) != NULL) {
		ins_finding_printf(f, "the password given for \"%.60s\" does "
		    "not produce the %s response of frame %u (the call's "
		    "result: %s); nothing was decrypted", user,
		    crypt_method_name(cc->method), cc->resp_frame,
		    c->auth.result > 0 ? "success" : c->auth.result < 0 ?
		    "failure" : "none seen");
		ins_finding_frame(f, cc->resp_frame);
	}
	if (cc->s_check < 0 && (f = ins_flist_add(&l, "password-mismatch",
	    INS_SEV_ERROR)) != NULL) {
		ins_finding_printf(f, "the response of \"%.60s\" verifies but "
		    "the authenticator's S= answer in frame %u does not: the "
		    "server does not know this password", user, cc->s_frame);
		ins_finding_frame(f, cc->s_frame);
	}
	for (d = 0; d < 2; d++) {
		const struct ins_crypt_dir *cd = &cc->dir[d];

		if (!crypt_dir_garbage(cd) || (f = ins_flist_add(&l,
		    "mppe-keys-disagree", INS_SEV_ERROR)) == NULL)
			continue;
		ins_finding_printf(f, "%s: %u of %u decrypted MPPE frames hold "
		    "no valid protocol/IP header (%s): the keys, strength or "
		    "mode do not match the data",
		    crypt_dir_name(c, d, dn, sizeof(dn)), cd->garbage,
		    cd->garbage + cd->decrypted, cc->verified > 0 ?
		    "the password verified" : "password not verified");
		for (i = 0; i < cd->ngarbage; i++)
			ins_finding_frame(f, cd->garbage_frames[i]);
	}
	if (cc->unsupported != NULL && (f = ins_flist_add(&l,
	    "decrypt-unsupported", INS_SEV_WARN)) != NULL) {
		ins_finding_printf(f, "%s", cc->unsupported);
		ins_finding_frame(f, cc->unsupported_frame);
	}
	return l.n;
}

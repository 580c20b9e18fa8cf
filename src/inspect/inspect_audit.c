/*
 * inspect_audit.c - the PPP side of the diagnosis (inspect_diag.h): the
 * findings of the negotiation (RFC 1661 4 and 5: LCP or IPCP never
 * converging and why, keepalives, hang-ups), of authentication (RFC 1334
 * PAP Nak, RFC 1994 CHAP, RFC 2433/2759 MS-CHAP failure codes) and of MPPE
 * (RFC 3078 / RFC 1962: not agreed, the offers of both sides, resets), and
 * the security audit of each call: how the user authenticated (PAP,
 * CHAP-MD5, MS-CHAPv1, MS-CHAPv2, EAP offered in LCP) and how the data was
 * protected (no MPPE, 40, 56 or 128 bits, stateful on a lossy path).  A PAP
 * password appears only masked ("s****t (6 chars)"); the mask is all the
 * analyzer ever keeps of it.
 */
#include <string.h>

#include "../inspect/inspect_int.h"
#include "../wire/ppp_auth.h"
#include "../wire/ppp_opt.h"
#include "../wire/ppp_proto.h"

#define MPPE_KEY_BITS	(MPPE_OPT_S | MPPE_OPT_M | MPPE_OPT_L)

const char *
ins_mppe_desc(uint32_t bits, char *buf, size_t cap)
{
	const char *sep = "";
	size_t n;

	if ((bits & MPPE_KEY_BITS) == 0) {
		snprintf(buf, cap, "%s", bits & MPPE_OPT_C ?
		    "MPPC compression only, no MPPE" : "no MPPE");
		return buf;
	}
	snprintf(buf, cap, "MPPE-");
	if (bits & MPPE_OPT_L) {
		n = strlen(buf);
		snprintf(buf + n, cap - n, "40");
		sep = "/";
	}
	if (bits & MPPE_OPT_M) {
		n = strlen(buf);
		snprintf(buf + n, cap - n, "%s56", sep);
		sep = "/";
	}
	if (bits & MPPE_OPT_S) {
		n = strlen(buf);
		snprintf(buf + n, cap - n, "%s128", sep);
	}
	n = strlen(buf);
	snprintf(buf + n, cap - n, " %s%s", bits & MPPE_OPT_H ? "stateless" :
	    "stateful", bits & MPPE_OPT_C ? " +MPPC" : "");
	return buf;
}

/* The authentication method of c: agreed in LCP or seen, else asked. */
static const char *
audit_method(const struct ins_call *c, unsigned *frame)
{
	struct ins_auth a = c->auth;
	int d;

	*frame = c->auth.req_frame;
	for (d = 0; d < 2 && *frame == 0; d++)
		if (c->diag.auth_asked[d] != 0)
			*frame = c->diag.cp[INS_CP_LCP][d].first_req_frame;
	if (a.proto != 0)
		return ins_auth_method(&a);
	for (d = 0; d < 2; d++)
		if (c->diag.auth_asked[d] != 0) {
			a.proto = c->diag.auth_asked[d];
			a.chap_alg = c->diag.auth_alg_asked[d];
			*frame = c->diag.cp[INS_CP_LCP][d].first_req_frame;
			return ins_auth_method(&a);
		}
	return NULL;
}

static void
audit_auth(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap, size_t *n)
{
	const struct ins_call_diag *x = &c->diag;
	struct ins_finding *f;
	char user[4 * INS_USER_MAX + 8], a[64];
	unsigned frame;
	const char *m = audit_method(c, &frame);
	int d;

	(void)ins;
	if (m == NULL) {
		/* LCP came up (both sides acknowledged) with no auth */
		if (x->cp[INS_CP_LCP][0].ack == 0 ||
		    x->cp[INS_CP_LCP][1].ack == 0 || (f = ins_finding_add(out,
		    cap, n, "no-auth", INS_SEV_WARN, c->conn_id, c->id)) == NULL)
			return;
		ins_finding_printf(f, "no authentication: LCP came up without "
		    "an Authentication-Protocol option, so anyone who reaches "
		    "the server gets a link");
		ins_finding_frame(f, x->cp[INS_CP_LCP][0].last_ack_frame);
		ins_finding_frame(f, x->cp[INS_CP_LCP][1].last_ack_frame);
	} else if (strcmp(m, "PAP") == 0) {
		f = ins_finding_add(out, cap, n, "pap-cleartext", INS_SEV_ERROR,
		    c->conn_id, c->id);
		if (f == NULL)
			return;
		if (c->auth.req_frame != 0)
			ins_finding_printf(f, "PAP sends the password in the "
			    "clear: user %s, password %s (%zu chars), readable "
			    "by anyone on the path", ins_user_str(c, user,
			    sizeof(user)), x->pap_mask, c->auth.passwd_len);
		else
			ins_finding_printf(f, "PAP was negotiated: the password "
			    "crosses the network in the clear");
		ins_finding_frame(f, frame);
	} else if (strcmp(m, "CHAP-MD5") == 0) {
		if ((f = ins_finding_add(out, cap, n, "chap-md5", INS_SEV_WARN,
		    c->conn_id, c->id)) == NULL)
			return;
		ins_finding_printf(f, "CHAP-MD5 (user %s): the captured "
		    "challenge and response allow an offline dictionary attack "
		    "on the password, and CHAP-MD5 yields no MPPE keys",
		    ins_user_str(c, user, sizeof(user)));
		ins_finding_frame(f, frame);
	} else if (strcmp(m, "MS-CHAPv1") == 0) {
		if ((f = ins_finding_add(out, cap, n, "mschapv1", INS_SEV_ERROR,
		    c->conn_id, c->id)) == NULL)
			return;
		ins_finding_printf(f, "MS-CHAPv1 (user %s) is weak: the LM "
		    "response (when sent) falls to a dictionary at once, the NT "
		    "response to one DES key search, and the MPPE keys derive "
		    "from the password hash alone; use MS-CHAPv2 at least",
		    ins_user_str(c, user, sizeof(user)));
		ins_finding_frame(f, frame);
	} else if (strcmp(m, "MS-CHAPv2") == 0) {
		if ((f = ins_finding_add(out, cap, n, "mschapv2", INS_SEV_WARN,
		    c->conn_id, c->id)) == NULL)
			return;
		ins_finding_printf(f, "MS-CHAPv2 (user %s): the captured "
		    "challenges and NT-Response can be cracked offline by one "
		    "DES key search (2^56) whatever the password, giving the NT "
		    "hash, which logs in as the user and decrypts the MPPE of "
		    "this capture", ins_user_str(c, user, sizeof(user)));
		ins_finding_frame(f, frame);
	} else if ((f = ins_finding_add(out, cap, n, "auth-method",
	    INS_SEV_INFO, c->conn_id, c->id)) != NULL) {
		ins_finding_printf(f, "authentication by %s", m);
		ins_finding_frame(f, frame);
	}
	for (d = 0; d < 2; d++) {
		if (x->eap_frame[d] == 0 || (f = ins_finding_add(out, cap, n,
		    "eap-offered", INS_SEV_INFO, c->conn_id, c->id)) == NULL)
			continue;
		ins_finding_printf(f, "EAP offered in LCP by %s (frame %u)%s",
		    ins_side_name(c, d, a, sizeof(a)), x->eap_frame[d],
		    c->auth.proto == PPP_EAP ? "" :
		    "; it was not what the link used");
		ins_finding_frame(f, x->eap_frame[d]);
	}
}

/* The MPPE bits both sides agreed to (a CCP Configure-Ack), if any. */
static bool
audit_agreed(const struct ins_call *c, struct ins_mppe_bits *b)
{
	const struct ins_call_diag *x = &c->diag;
	int d;

	for (d = 0; d < 2; d++)
		if (x->ccp_ack[d].have && (x->ccp_ack[d].bits & MPPE_KEY_BITS)) {
			*b = x->ccp_ack[d];
			return true;
		}
	return false;
}

static void
audit_mppe(const struct ins_call *c, struct ins_finding *out, size_t cap,
    size_t *n)
{
	const struct ins_call_diag *x = &c->diag;
	const struct ins_cp_side *ipcp = x->cp[INS_CP_IPCP];
	struct ins_mppe_bits b;
	struct ins_finding *f;
	char desc[64];
	unsigned lost = c->dir[0].lost + c->dir[1].lost;
	unsigned resets = x->ccp_reset_req[0] + x->ccp_reset_req[1];

	if (!audit_agreed(c, &b)) {
		if (c->mppe_frames > 0) {
			if ((f = ins_finding_add(out, cap, n, "mppe-unknown",
			    INS_SEV_INFO, c->conn_id, c->id)) != NULL)
				ins_finding_printf(f, "%u MPPE frames, but the "
				    "CCP negotiation was not captured: the key "
				    "length is unknown", c->mppe_frames);
			return;
		}
		if (c->cleartext_ip == 0 && (ipcp[0].ack == 0 ||
		    ipcp[1].ack == 0))
			return;		/* no data, no network layer yet */
		if ((f = ins_finding_add(out, cap, n, "no-mppe", INS_SEV_ERROR,
		    c->conn_id, c->id)) == NULL)
			return;
		ins_finding_printf(f, "no MPPE: the data is in the clear (%u "
		    "unencrypted IP frames)", c->cleartext_ip);
		ins_finding_frame(f, ipcp[0].last_ack_frame);
		ins_finding_frame(f, ipcp[1].last_ack_frame);
		return;
	}
	ins_mppe_desc(b.bits, desc, sizeof(desc));
	if (b.bits & MPPE_OPT_L)
		f = ins_finding_add(out, cap, n, "mppe-40", INS_SEV_ERROR,
		    c->conn_id, c->id);
	else if (b.bits & MPPE_OPT_M)
		f = ins_finding_add(out, cap, n, "mppe-56", INS_SEV_WARN,
		    c->conn_id, c->id);
	else
		f = ins_finding_add(out, cap, n, "mppe-128", INS_SEV_INFO,
		    c->conn_id, c->id);
	if (f != NULL) {
		ins_finding_printf(f, "%s agreed (frame %u)", desc, b.frame);
		if (b.bits & MPPE_OPT_L)
			ins_finding_printf(f, ": a 40-bit RC4 key falls to "
			    "brute force in hours");
		else if (b.bits & MPPE_OPT_M)
			ins_finding_printf(f, ": a 56-bit RC4 key is within "
			    "reach of a modest brute force");
		else
			ins_finding_printf(f, ": RC4 with 128-bit keys derived "
			    "from the authentication, only as strong as the "
			    "password and MS-CHAP behind it");
		ins_finding_frame(f, b.frame);
	}
	if ((b.bits & MPPE_OPT_H) || (lost == 0 && resets == 0))
		return;
	if ((f = ins_finding_add(out, cap, n, "mppe-stateful-lossy",
	    INS_SEV_WARN, c->conn_id, c->id)) == NULL)
		return;
	ins_finding_printf(f, "stateful MPPE on a lossy path: %u GRE packets "
	    "lost, %u CCP Reset-Requests; each loss desynchronises the RC4 "
	    "state until a reset round trip (stateless mode, the H bit, "
	    "avoids it)", lost, resets);
	ins_finding_frame(f, b.frame);
	ins_finding_frame(f, x->ccp_reset_first[0]);
	ins_finding_frame(f, x->ccp_reset_first[1]);
}

size_t
ins_audit_call(const struct inspect *ins, const struct ins_call *c,
    struct ins_finding *out, size_t cap)
{
	size_t n = 0;

	audit_auth(ins, c, out, cap, &n);
	audit_mppe(c, out, cap, &n);
	return n;
}

/* --- PPP negotiation (RFC 1661 4 and 5) ---------------------------------- */

static const char *
cp_name(int idx)
{
	static const char *const n[INS_CP_N] = { "LCP", "IPCP", "IPV6CP",
	    "CCP" };

	return n[idx];
}

static bool
cp_converged(const struct ins_call *c, int idx)
{
	return c->diag.cp[idx][0].ack > 0 && c->diag.cp[idx][1].ack > 0;
}

/* "X Nak'd <mru 1400> 4 times (frames 20-40)" for the options side d
 * answered most often, up to max of them. */
static void
cp_opts_text(struct ins_finding *f, const struct ins_call *c, int idx,
    int d, const char *who)
{
	const struct ins_cp_side *s = &c->diag.cp[idx][d];
	unsigned i;

	for (i = 0; i < s->nopts; i++) {
		const struct ins_diag_opt *o = &s->opts[i];

		ins_finding_printf(f, "; %s %s %s %u time%s (frames %u-%u)",
		    who, o->code == PPP_CONF_NAK ? "Nak'd, suggesting" :
		    "Rejected", o->text, o->count, o->count == 1 ? "" : "s",
		    o->first_frame, o->last_frame);
		ins_finding_frame(f, o->first_frame);
		ins_finding_frame(f, o->last_frame);
	}
}

/* The stable codes of diag_cp, by protocol. */
static const char *const cp_codes[INS_CP_N][4] = {
	[INS_CP_LCP] = { "lcp-no-answer", "lcp-option-loop",
	    "lcp-terminated", "lcp-not-converged" },
	[INS_CP_IPCP] = { "ipcp-no-answer", "ipcp-option-loop",
	    "ipcp-terminated", "ipcp-not-converged" },
	[INS_CP_IPV6CP] = { "ipv6cp-no-answer", "ipv6cp-option-loop",
	    "ipv6cp-terminated", "ipv6cp-not-converged" },
	[INS_CP_CCP] = { "ccp-no-answer", "ccp-option-loop",
	    "ccp-terminated", "ccp-not-converged" },
};

/* "; then X sent Terminate-Request at frame F, saying "..."" */
static void
cp_term_text(struct ins_finding *f, const struct ins_call *c, int idx,
    int d)
{
	const struct ins_call_diag *x = &c->diag;
	char a[64], msg[4 * INS_DIAG_MSG + 1];

	ins_finding_printf(f, "; %s sent Terminate-Request at frame %u",
	    ins_side_name(c, d, a, sizeof(a)), x->cp[idx][d].term_frame);
	if (idx == INS_CP_LCP && x->term_msg_len[d] > 0)
		ins_finding_printf(f, ", saying \"%s%s\"", ins_esc(msg,
		    sizeof(msg), x->term_msg[d], x->term_msg_len[d]),
		    x->term_msg_cut[d] ? "..." : "");
	ins_finding_frame(f, x->cp[idx][d].term_frame);
}

/*
 * A control protocol that never converged, and why, cause first: the
 * other side never answered, an option loop (Naks/Rejects going round),
 * a Terminate-Request before both sides acknowledged, or no agreement
 * after several requests.  Returns true when it reported something.
 */
static bool
diag_cp(struct ins_flist *l, int idx)
{
	const struct ins_call *c = l->c;
	const struct ins_cp_side *s = c->diag.cp[idx];
	const char *name = cp_name(idx);
	struct ins_finding *f;
	char a[64], b[64];
	unsigned nakrej = s[0].nak + s[0].rej + s[1].nak + s[1].rej;
	enum ins_sev sev = idx == INS_CP_IPV6CP ? INS_SEV_INFO : INS_SEV_ERROR;
	int d, td;

	if (s[0].req + s[1].req == 0 || cp_converged(c, idx))
		return false;
	for (td = 0; td < 2; td++)
		if (s[td].term_req > 0 && s[td].term_before_open)
			break;
	ins_side_name(c, 0, a, sizeof(a));
	ins_side_name(c, 1, b, sizeof(b));
	for (d = 0; d < 2; d++) {
		const struct ins_cp_side *o = &s[1 - d];

		if (s[d].req < INS_DIAG_TRIES || o->req + o->ack + o->nak +
		    o->rej + o->term_req > 0)
			continue;
		if ((f = ins_flist_add(l, cp_codes[idx][0], sev)) == NULL)
			return true;
		ins_finding_printf(f, "%s never converged: %s sent %u "
		    "Configure-Requests (frames %u-%u) and %s never answered",
		    name, d == 0 ? a : b, s[d].req, s[d].first_req_frame,
		    s[d].last_req_frame, d == 0 ? b : a);
		if (c->dir[1 - d].packets == 0)
			ins_finding_printf(f, ": its GRE never arrived");
		else
			ins_finding_printf(f, " though its GRE arrives (%u "
			    "packets): it does not get %s's GRE, or ignores %s",
			    c->dir[1 - d].packets, d == 0 ? a : b, name);
		ins_finding_frame(f, s[d].first_req_frame);
		ins_finding_frame(f, s[d].last_req_frame);
		if (td < 2)
			cp_term_text(f, c, idx, td);
		return true;
	}
	if (nakrej >= INS_DIAG_TRIES) {
		if ((f = ins_flist_add(l, cp_codes[idx][1], sev)) == NULL)
			return true;
		ins_finding_printf(f, "%s never converged: an option loop, %u "
		    "Configure-Naks/Rejects and no agreement (%u requests from "
		    "%s, %u from %s)", name, nakrej, s[0].req, a, s[1].req, b);
		cp_opts_text(f, c, idx, 0, a);
		cp_opts_text(f, c, idx, 1, b);
		if (td < 2)
			cp_term_text(f, c, idx, td);
		return true;
	}
	if (td < 2) {
		if ((f = ins_flist_add(l, cp_codes[idx][2], sev)) == NULL)
			return true;
		ins_finding_printf(f, "%s never converged: a Terminate-Request "
		    "came before both sides had acknowledged (%u requests from "
		    "%s, %u from %s)", name, s[0].req, a, s[1].req, b);
		cp_term_text(f, c, idx, td);
		cp_opts_text(f, c, idx, 0, a);
		cp_opts_text(f, c, idx, 1, b);
		ins_finding_frame(f, s[1 - td].first_req_frame);
		return true;
	}
	if (s[0].req >= INS_DIAG_TRIES || s[1].req >= INS_DIAG_TRIES) {
		if ((f = ins_flist_add(l, cp_codes[idx][3], INS_SEV_WARN)) ==
		    NULL)
			return true;
		ins_finding_printf(f, "%s did not converge: %u requests and %u "
		    "acks from %s, %u requests and %u acks from %s", name,
		    s[0].req, s[0].ack, a, s[1].req, s[1].ack, b);
		ins_finding_frame(f, s[0].first_req_frame);
		ins_finding_frame(f, s[1].first_req_frame);
		ins_finding_frame(f, s[0].last_req_frame);
		ins_finding_frame(f, s[1].last_req_frame);
		return true;
	}
	return false;
}

static void
diag_lcp_end(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	const struct ins_call_diag *x = &c->diag;
	struct ins_finding *f;
	char a[64], b[64], msg[4 * INS_DIAG_MSG + 1];
	int d;

	for (d = 0; d < 2; d++) {
		const struct ins_cp_side *s = &x->cp[INS_CP_LCP][d];
		bool ended;

		if (x->echo_unans[d] >= INS_DIAG_TRIES) {
			ended = c->ended || x->cp[INS_CP_LCP][d].term_req > 0;
			f = ins_flist_add(l, "lcp-echo-timeout", ended ? INS_SEV_ERROR :
			    INS_SEV_WARN);
			if (f == NULL)
				return;
			ins_finding_printf(f, "%s stopped answering LCP "
			    "echoes: %u Echo-Requests from %s got no reply "
			    "(frames %u-%u)",
			    ins_side_name(c, 1 - d, b, sizeof(b)),
			    x->echo_unans[d], ins_side_name(c, d, a, sizeof(a)),
			    x->echo_unans_first[d], x->echo_last_req[d]);
			if (x->echo_last_rep[1 - d] != 0)
				ins_finding_printf(f, "; its last Echo-Reply "
				    "was at frame %u", x->echo_last_rep[1 - d]);
			if (ended)
				ins_finding_printf(f, "; then the link went "
				    "down");
			ins_finding_frame(f, x->echo_last_rep[1 - d]);
			ins_finding_frame(f, x->echo_unans_first[d]);
			ins_finding_frame(f, x->echo_last_req[d]);
		}
		if (s->term_req > 0 && !s->term_before_open) {
			if ((f = ins_flist_add(l, "ppp-terminated", INS_SEV_INFO)) ==
			    NULL)
				return;
			ins_finding_printf(f, "%s ended the PPP link "
			    "(LCP Terminate-Request, frame %u)",
			    ins_side_name(c, d, a, sizeof(a)), s->term_frame);
			if (x->term_msg_len[d] > 0)
				ins_finding_printf(f, ": \"%s%s\"", ins_esc(msg,
				    sizeof(msg), x->term_msg[d],
				    x->term_msg_len[d]),
				    x->term_msg_cut[d] ? "..." : "");
			ins_finding_frame(f, s->term_frame);
		}
	}
}

/* --- authentication (RFC 1334, RFC 1994, RFC 2433/2759) ------------------ */

static const char *
mserr_meaning(uint32_t e)
{
	switch (e) {
	case MSCHAP_ERROR_RESTRICTED_LOGON_HOURS:
		return "logon outside the account's allowed hours";
	case MSCHAP_ERROR_ACCT_DISABLED:
		return "the account is disabled";
	case MSCHAP_ERROR_PASSWD_EXPIRED:
		return "the password has expired and must be changed";
	case MSCHAP_ERROR_NO_DIALIN_PERMISSION:
		return "the account has no dial-in permission";
	case MSCHAP_ERROR_AUTHENTICATION_FAILURE:
		return "wrong user name or password (or the server has no "
		    "secret for this user)";
	case MSCHAP_ERROR_CHANGING_PASSWORD:
		return "error changing the password";
	}
	return "an error code RFC 2759 does not name";
}

static void
diag_auth(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	const struct ins_call_diag *x = &c->diag;
	const struct ins_auth *au = &c->auth;
	const char *method = ins_auth_method(au);
	struct ins_finding *f;
	char a[64], b[64], user[4 * INS_USER_MAX + 8];
	char msg[4 * INS_DIAG_MSG + 1];
	int ad = x->auth_fail_dir;

	if (method == NULL)
		method = "authentication";
	if (x->auth_fail > 0) {
		f = ins_flist_add(l, "auth-failed", au->result > 0 ? INS_SEV_WARN :
		    INS_SEV_ERROR);
		if (f == NULL)
			return;
		ins_finding_printf(f, "%s of user %s failed: %s answered %s at "
		    "frame %u", method, ins_user_str(c, user, sizeof(user)),
		    ins_side_name(c, ad, a, sizeof(a)), au->proto == PPP_PAP ?
		    "Authenticate-Nak" : "Failure", x->auth_fail_frame);
		if (x->have_mserr) {
			const char *n = mschap_error_name(x->mserr);

			ins_finding_printf(f, ": E=%u", x->mserr);
			if (n != NULL)
				ins_finding_printf(f, " (%s)", n);
			ins_finding_printf(f, " R=%d", x->msretry ? 1 : 0);
			if (x->have_msver)
				ins_finding_printf(f, " V=%u", x->msver);
			ins_finding_printf(f, ", %s", mserr_meaning(x->mserr));
		}
		if (x->fail_msg_len > 0)
			ins_finding_printf(f, "; message \"%s\"", ins_esc(msg,
			    sizeof(msg), x->fail_msg, x->fail_msg_len));
		if (x->auth_fail > 1)
			ins_finding_printf(f, "; %u failures in all, the last "
			    "at frame %u", x->auth_fail, x->auth_fail_last);
		if (au->result > 0)
			ins_finding_printf(f, "; a later attempt succeeded "
			    "(frame %u)", au->result_frame);
		ins_finding_frame(f, x->challenge_frame);
		ins_finding_frame(f, x->auth_fail_req);
		ins_finding_frame(f, x->auth_fail_frame);
		ins_finding_frame(f, x->auth_fail_last);
		return;
	}
	if (au->result != 0 || !(c->ended ||
	    x->cp[INS_CP_LCP][0].term_req + x->cp[INS_CP_LCP][1].term_req > 0))
		return;
	if (x->challenge_frame != 0 && au->req_frame == 0) {
		if ((f = ins_flist_add(l, "auth-no-response", INS_SEV_ERROR)) == NULL)
			return;
		ins_finding_printf(f, "%s never finished: the authenticator "
		    "challenged at frame %u, no Response came before the "
		    "link ended", method, x->challenge_frame);
		ins_finding_frame(f, x->challenge_frame);
		ins_finding_frame(f, c->end_frame);
	} else if (au->req_frame != 0) {
		if ((f = ins_flist_add(l, "auth-no-result", INS_SEV_ERROR)) == NULL)
			return;
		ins_finding_printf(f, "%s never finished: user %s sent "
		    "credentials at frame %u, no Success or Failure came "
		    "before the link ended", method,
		    ins_user_str(c, user, sizeof(user)), au->req_frame);
		ins_finding_frame(f, au->req_frame);
		ins_finding_frame(f, c->end_frame);
	}
	(void)b;
}

/* --- MPPE (RFC 3078, RFC 1962) ------------------------------------------- */

static void
mppe_offers(struct ins_finding *f, const struct ins_call *c)
{
	const struct ins_call_diag *x = &c->diag;
	char a[64], desc[64];
	int d;

	for (d = 0; d < 2; d++) {
		ins_side_name(c, d, a, sizeof(a));
		if (x->ccp_first_req[d].have) {
			ins_finding_printf(f, "; %s asks for %s (frame %u)", a,
			    ins_mppe_desc(x->ccp_first_req[d].bits, desc,
			    sizeof(desc)), x->ccp_first_req[d].frame);
			ins_finding_frame(f, x->ccp_first_req[d].frame);
			if (x->ccp_req[d].have && x->ccp_req[d].bits !=
			    x->ccp_first_req[d].bits)
				ins_finding_printf(f, ", last %s (frame %u)",
				    ins_mppe_desc(x->ccp_req[d].bits, desc,
				    sizeof(desc)), x->ccp_req[d].frame);
		} else if (x->cp[INS_CP_CCP][d].req == 0) {
			ins_finding_printf(f, "; %s sent no CCP request", a);
		}
		if (x->ccp_nak[d].have) {
			ins_finding_printf(f, "; %s Nak'd %u time%s suggesting "
			    "%s (last frame %u)", a, x->cp[INS_CP_CCP][d].nak,
			    x->cp[INS_CP_CCP][d].nak == 1 ? "" : "s",
			    ins_mppe_desc(x->ccp_nak[d].bits, desc,
			    sizeof(desc)), x->ccp_nak[d].frame);
			ins_finding_frame(f, x->ccp_nak[d].frame);
		}
	}
}

static void
diag_mppe(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	const struct ins_call_diag *x = &c->diag;
	const struct ins_cp_side *s = x->cp[INS_CP_CCP];
	struct ins_finding *f;
	char a[64], b[64];
	uint32_t mask = MPPE_OPT_S | MPPE_OPT_M | MPPE_OPT_L;
	int d;

	for (d = 0; d < 2; d++) {
		if (x->protrej_ccp[d] == 0 && x->ccp_rej_mppe[d] == 0)
			continue;
		if ((f = ins_flist_add(l, "mppe-not-agreed", INS_SEV_ERROR)) == NULL)
			return;
		if (x->protrej_ccp[d] != 0)
			ins_finding_printf(f, "MPPE not agreed: %s rejected CCP "
			    "altogether (LCP Protocol-Reject, frame %u): the "
			    "data goes unencrypted or the link is dropped",
			    ins_side_name(c, d, a, sizeof(a)),
			    x->protrej_ccp[d]);
		else
			ins_finding_printf(f, "MPPE not agreed: %s rejected "
			    "the MPPE option (CCP Configure-Reject, frame %u)",
			    ins_side_name(c, d, a, sizeof(a)),
			    x->ccp_rej_mppe[d]);
		ins_finding_frame(f, x->protrej_ccp[d]);
		ins_finding_frame(f, x->ccp_rej_mppe[d]);
		mppe_offers(f, c);
		return;
	}
	if (s[0].req + s[1].req == 0)
		return;
	if (cp_converged(c, INS_CP_CCP)) {
		for (d = 0; d < 2; d++) {
			if (!x->ccp_ack[d].have || (x->ccp_ack[d].bits & mask))
				continue;
			if ((f = ins_flist_add(l, "mppe-not-agreed", INS_SEV_ERROR)) ==
			    NULL)
				return;
			ins_finding_printf(f, "MPPE not agreed: CCP converged "
			    "with no encryption bit set (%s's Configure-Ack, "
			    "frame %u)", ins_side_name(c, d, a, sizeof(a)),
			    x->ccp_ack[d].frame);
			ins_finding_frame(f, x->ccp_ack[d].frame);
			mppe_offers(f, c);
			return;
		}
		return;
	}
	for (d = 0; d < 2; d++)
		if (s[d].term_req > 0)
			break;
	if (d == 2 && s[0].nak + s[1].nak + s[0].rej + s[1].rej < 2 &&
	    s[0].req < INS_DIAG_TRIES && s[1].req < INS_DIAG_TRIES)
		return;		/* still negotiating when the capture ended */
	if ((f = ins_flist_add(l, "mppe-not-agreed", INS_SEV_ERROR)) == NULL)
		return;
	ins_finding_printf(f, "MPPE not agreed: CCP never converged (%u "
	    "requests from %s, %u from %s", s[0].req,
	    ins_side_name(c, 0, a, sizeof(a)), s[1].req,
	    ins_side_name(c, 1, b, sizeof(b)));
	if (d < 2)
		ins_finding_printf(f, "; %s sent Terminate-Request at frame %u",
		    ins_side_name(c, d, a, sizeof(a)), s[d].term_frame);
	ins_finding_printf(f, ")");
	ins_finding_frame(f, d < 2 ? s[d].term_frame : 0);
	mppe_offers(f, c);
}

static void
diag_mppe_resets(struct ins_flist *l)
{
	const struct ins_call *c = l->c;
	const struct ins_call_diag *x = &c->diag;
	struct ins_finding *f;
	char a[64];
	int d;

	for (d = 0; d < 2; d++) {
		if (x->ccp_reset_req[d] == 0)
			continue;
		if ((f = ins_flist_add(l, "mppe-resets", INS_SEV_WARN)) == NULL)
			return;
		ins_finding_printf(f, "%s sent %u CCP Reset-Request%s (first "
		    "at frame %u, %u Reset-Ack%s back): stateful MPPE lost its "
		    "RC4 state after lost or reordered GRE (%u lost, %u "
		    "reordered towards it), and every loss costs a round trip",
		    ins_side_name(c, d, a, sizeof(a)), x->ccp_reset_req[d],
		    ins_pl(x->ccp_reset_req[d]), x->ccp_reset_first[d],
		    x->ccp_reset_ack[1 - d], ins_pl(x->ccp_reset_ack[1 - d]),
		    c->dir[1 - d].lost, c->dir[1 - d].reordered);
		ins_finding_frame(f, x->ccp_reset_first[d]);
	}
}

/* The PPP findings of one call, causes first: LCP, then authentication,
 * MPPE and IPCP once LCP is up, then keepalives and hang-ups. */
void
ins_diag_ppp(struct ins_flist *l)
{
	const struct ins_call *c = l->c;

	if (!diag_cp(l, INS_CP_LCP)) {
		diag_auth(l);
		if (c->auth.result >= 0 || c->auth.proto == 0) {
			diag_mppe(l);
			(void)diag_cp(l, INS_CP_IPCP);
		}
	}
	diag_mppe_resets(l);
	diag_lcp_end(l);
}

/*
 * config_options.c - the pppd(8) options file named by pptpd.conf's
 * `option`: pppd's word syntax, the options that matter to a PPTP server
 * (authentication, MPPE as in pppd 2.4.2+ and the older `mppe a,b,c`
 * form, RFC 1877 DNS/NBNS, MTU/MRU, LCP echo, idle, IPv6), plus one of
 * pptpkit's own: mppe-prefer-stateful (ask for stateful MPPE first, where
 * pppd's mppe-stateful only allows it; src/ppp/ccp.h).  What they add up
 * to (and the warnings for weak choices) is settled in config.c.
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"

enum opt_kind {
	OK_NAME, OK_AUTH, OK_NOAUTH, OK_REQUIRE, OK_REFUSE, OK_REQ_EAP,
	OK_MPPE_REQ, OK_MPPE_NO, OK_MPPE_OFF, OK_STATEFUL, OK_NOSTATEFUL,
	OK_PREFER_STATEFUL,
	OK_MPPE, OK_DNS, OK_WINS, OK_MTU, OK_MRU, OK_ECHO_INT, OK_ECHO_FAIL,
	OK_RESTART, OK_MAXCONF, OK_MAXTERM, OK_MAXFAIL, OK_IDLE, OK_DEBUG,
	OK_IPV6_ON, OK_IPV6_OFF, OK_PROXYARP, OK_NOPFC, OK_NOACFC, OK_LOGFILE,
	OK_PLUGIN, OK_NOOP, OK_IGNORED, OK_IGNORED_SECRET,
};

struct opt_def {
	const char	*name;
	enum opt_kind	 kind;
	unsigned	 nargs;		/* 0 or 1 */
	unsigned	 arg;		/* PPP_AUTH_* or PPP_MPPE_* bits */
	const char	*why;		/* OK_IGNORED: what we do instead */
};

#define A_PAP	PPP_AUTH_PAP
#define A_CHAP	PPP_AUTH_CHAP_MD5
#define A_MS1	PPP_AUTH_MSCHAPV1
#define A_MS2	PPP_AUTH_MSCHAPV2
#define M_40	PPP_MPPE_40
#define M_56	PPP_MPPE_56
#define M_128	PPP_MPPE_128

static const char why_client[] = "it concerns the dialling side, not a "
    "PPTP server";
static const char why_tty[] = "there is no serial line";
static const char why_addr[] = "addresses come from localip/remoteip in "
    "pptpd.conf and from chap-secrets";
static const char why_plugin_opt[] = "it belongs to a pppd plugin, and "
    "pptpkit loads none";
static const char why_comp[] = "pptpkit does no PPP compression";
static const char why_script[] = "pptpkit runs no ip-up/ip-down scripts";
static const char why_timer[] = "pptpkit uses the lcp-restart and "
    "lcp-max-* values for every control protocol";

static const struct opt_def opt_defs[] = {
	{ "name", OK_NAME, 1, 0, NULL },
	{ "auth", OK_AUTH, 0, 0, NULL },
	{ "noauth", OK_NOAUTH, 0, 0, NULL },
	{ "require-pap", OK_REQUIRE, 0, A_PAP, NULL },
	{ "+pap", OK_REQUIRE, 0, A_PAP, NULL },
	{ "require-chap", OK_REQUIRE, 0, A_CHAP, NULL },
	{ "+chap", OK_REQUIRE, 0, A_CHAP, NULL },
	{ "require-mschap", OK_REQUIRE, 0, A_MS1, NULL },
	{ "+mschap", OK_REQUIRE, 0, A_MS1, NULL },
	{ "require-mschap-v2", OK_REQUIRE, 0, A_MS2, NULL },
	{ "+mschap-v2", OK_REQUIRE, 0, A_MS2, NULL },
	{ "refuse-pap", OK_REFUSE, 0, A_PAP, NULL },
	{ "-pap", OK_REFUSE, 0, A_PAP, NULL },
	{ "refuse-chap", OK_REFUSE, 0, A_CHAP, NULL },
	{ "-chap", OK_REFUSE, 0, A_CHAP, NULL },
	{ "refuse-mschap", OK_REFUSE, 0, A_MS1, NULL },
	{ "-mschap", OK_REFUSE, 0, A_MS1, NULL },
	{ "refuse-mschap-v2", OK_REFUSE, 0, A_MS2, NULL },
	{ "-mschap-v2", OK_REFUSE, 0, A_MS2, NULL },
	{ "require-eap", OK_REQ_EAP, 0, 0, NULL },
	{ "+eap", OK_REQ_EAP, 0, 0, NULL },
	{ "refuse-eap", OK_NOOP, 0, 0, NULL },
	{ "-eap", OK_NOOP, 0, 0, NULL },
	{ "require-mppe", OK_MPPE_REQ, 0, M_40 | M_128, NULL },
	{ "+mppe", OK_MPPE_REQ, 0, M_40 | M_128, NULL },
	{ "require-mppe-40", OK_MPPE_REQ, 0, M_40, NULL },
	{ "+mppe-40", OK_MPPE_REQ, 0, M_40, NULL },
	{ "require-mppe-128", OK_MPPE_REQ, 0, M_128, NULL },
	{ "+mppe-128", OK_MPPE_REQ, 0, M_128, NULL },
	{ "nomppe-40", OK_MPPE_NO, 0, M_40, NULL },
	{ "-mppe-40", OK_MPPE_NO, 0, M_40, NULL },
	{ "nomppe-128", OK_MPPE_NO, 0, M_128, NULL },
	{ "-mppe-128", OK_MPPE_NO, 0, M_128, NULL },
	{ "nomppe", OK_MPPE_OFF, 0, 0, NULL },
	{ "-mppe", OK_MPPE_OFF, 0, 0, NULL },
	{ "noccp", OK_MPPE_OFF, 0, 0, NULL },
	{ "-ccp", OK_MPPE_OFF, 0, 0, NULL },
	{ "mppe-stateful", OK_STATEFUL, 0, 0, NULL },
	{ "nomppe-stateful", OK_NOSTATEFUL, 0, 0, NULL },
	{ "mppe-prefer-stateful", OK_PREFER_STATEFUL, 0, 0, NULL },
	{ "mppe", OK_MPPE, 0, 0, NULL },	/* its argument is optional */
	{ "ms-dns", OK_DNS, 1, 0, NULL },
	{ "ms-wins", OK_WINS, 1, 0, NULL },
	{ "mtu", OK_MTU, 1, 0, NULL },
	{ "mru", OK_MRU, 1, 0, NULL },
	{ "lcp-echo-interval", OK_ECHO_INT, 1, 0, NULL },
	{ "lcp-echo-failure", OK_ECHO_FAIL, 1, 0, NULL },
	{ "lcp-restart", OK_RESTART, 1, 0, NULL },
	{ "lcp-max-configure", OK_MAXCONF, 1, 0, NULL },
	{ "lcp-max-terminate", OK_MAXTERM, 1, 0, NULL },
	{ "lcp-max-failure", OK_MAXFAIL, 1, 0, NULL },
	{ "idle", OK_IDLE, 1, 0, NULL },
	{ "debug", OK_DEBUG, 0, 0, NULL },
	{ "+ipv6", OK_IPV6_ON, 0, 0, NULL },
	{ "-ipv6", OK_IPV6_OFF, 0, 0, NULL },
	{ "noipv6", OK_IPV6_OFF, 0, 0, NULL },
	{ "proxyarp", OK_PROXYARP, 0, 0, NULL },
	{ "nopcomp", OK_NOPFC, 0, 0, NULL },
	{ "-pc", OK_NOPFC, 0, 0, NULL },
	{ "noaccomp", OK_NOACFC, 0, 0, NULL },
	{ "-ac", OK_NOACFC, 0, 0, NULL },
	{ "logfile", OK_LOGFILE, 1, 0, NULL },
	{ "plugin", OK_PLUGIN, 1, 0, NULL },
	/* what pptpkit does anyway */
	{ "chapms-strip-domain", OK_NOOP, 0, 0, NULL },
	{ "noproxyarp", OK_NOOP, 0, 0, NULL },
	{ "nodefaultroute", OK_NOOP, 0, 0, NULL },
	{ "-defaultroute", OK_NOOP, 0, 0, NULL },
	{ "lock", OK_NOOP, 0, 0, NULL },
	{ "nolock", OK_NOOP, 0, 0, NULL },
	{ "nobsdcomp", OK_NOOP, 0, 0, NULL },
	{ "-bsdcomp", OK_NOOP, 0, 0, NULL },
	{ "nodeflate", OK_NOOP, 0, 0, NULL },
	{ "-deflate", OK_NOOP, 0, 0, NULL },
	{ "nopredictor1", OK_NOOP, 0, 0, NULL },
	{ "novj", OK_NOOP, 0, 0, NULL },
	{ "-vj", OK_NOOP, 0, 0, NULL },
	{ "novjccomp", OK_NOOP, 0, 0, NULL },
	{ "-vjccomp", OK_NOOP, 0, 0, NULL },
	{ "nologfd", OK_NOOP, 0, 0, NULL },
	{ "nomultilink", OK_NOOP, 0, 0, NULL },
	{ "nomp", OK_NOOP, 0, 0, NULL },
	{ "noendpoint", OK_NOOP, 0, 0, NULL },
	{ "nodetach", OK_NOOP, 0, 0, NULL },
	{ "noipdefault", OK_NOOP, 0, 0, NULL },
	{ "noipx", OK_NOOP, 0, 0, NULL },
	{ "-ipx", OK_NOOP, 0, 0, NULL },
	{ "hide-password", OK_NOOP, 0, 0, NULL },
	/* what pptpkit does not do; each warns */
	{ "defaultroute", OK_IGNORED, 0, 0, "pptpkit never changes the "
	    "default route" },
	{ "replacedefaultroute", OK_IGNORED, 0, 0, "pptpkit never changes "
	    "the default route" },
	{ "bsdcomp", OK_IGNORED, 1, 0, why_comp },
	{ "deflate", OK_IGNORED, 1, 0, why_comp },
	{ "predictor1", OK_IGNORED, 0, 0, why_comp },
	{ "vj-max-slots", OK_IGNORED, 1, 0, "pptpkit does no Van Jacobson "
	    "compression" },
	{ "multilink", OK_IGNORED, 0, 0, "pptpkit does no multilink" },
	{ "mp", OK_IGNORED, 0, 0, "pptpkit does no multilink" },
	{ "lcp-echo-adaptive", OK_IGNORED, 0, 0, "LCP Echo-Requests go out "
	    "every lcp-echo-interval" },
	{ "maxconnect", OK_IGNORED, 1, 0, "sessions have no time limit; "
	    "use idle" },
	{ "dump", OK_IGNORED, 0, 0, "pptpkit server --check-config prints "
	    "the effective settings" },
	{ "dryrun", OK_IGNORED, 0, 0, "pptpkit server --check-config checks "
	    "a configuration" },
	{ "kdebug", OK_IGNORED, 1, 0, "there is no kernel PPP driver" },
	{ "ktune", OK_IGNORED, 0, 0, "pptpkit changes no kernel settings" },
	{ "ipparam", OK_IGNORED, 1, 0, why_script },
	{ "ip-up-script", OK_IGNORED, 1, 0, why_script },
	{ "ip-down-script", OK_IGNORED, 1, 0, why_script },
	{ "ipv6-up-script", OK_IGNORED, 1, 0, why_script },
	{ "ipv6-down-script", OK_IGNORED, 1, 0, why_script },
	{ "linkname", OK_IGNORED, 1, 0, "interfaces are named by tun-prefix "
	    "in pptpd.conf" },
	{ "ifname", OK_IGNORED, 1, 0, "interfaces are named by tun-prefix "
	    "in pptpd.conf" },
	{ "unit", OK_IGNORED, 1, 0, "interfaces are named by tun-prefix in "
	    "pptpd.conf" },
	{ "netmask", OK_IGNORED, 1, 0, "tunnels are point-to-point" },
	{ "ipv6", OK_IGNORED, 1, 0, "IPV6CP picks random interface "
	    "identifiers" },
	{ "ipcp-accept-local", OK_IGNORED, 0, 0, why_addr },
	{ "ipcp-accept-remote", OK_IGNORED, 0, 0, why_addr },
	{ "noip", OK_IGNORED, 0, 0, "IPCP always runs" },
	{ "usepeerdns", OK_IGNORED, 0, 0, why_client },
	{ "persist", OK_IGNORED, 0, 0, why_client },
	{ "demand", OK_IGNORED, 0, 0, why_client },
	{ "holdoff", OK_IGNORED, 1, 0, why_client },
	{ "maxfail", OK_IGNORED, 1, 0, why_client },
	{ "user", OK_IGNORED, 1, 0, why_client },
	{ "remotename", OK_IGNORED, 1, 0, why_client },
	{ "password", OK_IGNORED_SECRET, 1, 0, why_client },
	{ "call", OK_IGNORED, 1, 0, "pptpkit reads no further options files" },
	{ "file", OK_IGNORED, 1, 0, "pptpkit reads no further options files" },
	{ "domain", OK_IGNORED, 1, 0, "the name option is used as given" },
	{ "passive", OK_IGNORED, 0, 0, "the server starts LCP at once" },
	{ "silent", OK_IGNORED, 0, 0, "the server starts LCP at once" },
	{ "nomagic", OK_IGNORED, 0, 0, "magic numbers detect looped links" },
	{ "login", OK_IGNORED, 0, 0, "users come from chap-secrets" },
	{ "papcrypt", OK_IGNORED, 0, 0, "chap-secrets holds clear secrets" },
	{ "allow-ip", OK_IGNORED, 1, 0, why_addr },
	{ "allow-number", OK_IGNORED, 1, 0, why_tty },
	{ "crtscts", OK_IGNORED, 0, 0, why_tty },
	{ "nocrtscts", OK_IGNORED, 0, 0, why_tty },
	{ "modem", OK_IGNORED, 0, 0, why_tty },
	{ "local", OK_IGNORED, 0, 0, why_tty },
	{ "asyncmap", OK_IGNORED, 1, 0, why_tty },
	{ "default-asyncmap", OK_IGNORED, 0, 0, why_tty },
	{ "escape", OK_IGNORED, 1, 0, why_tty },
	{ "connect", OK_IGNORED, 1, 0, why_tty },
	{ "disconnect", OK_IGNORED, 1, 0, why_tty },
	{ "init", OK_IGNORED, 1, 0, why_tty },
	{ "welcome", OK_IGNORED, 1, 0, why_tty },
	{ "connect-delay", OK_IGNORED, 1, 0, why_tty },
	{ "pty", OK_IGNORED, 1, 0, why_tty },
	{ "record", OK_IGNORED, 1, 0, "pptpkit inspect reads captures" },
	{ "default-mru", OK_IGNORED, 0, 0, "use mru" },
	{ "ipcp-restart", OK_IGNORED, 1, 0, why_timer },
	{ "ipcp-max-configure", OK_IGNORED, 1, 0, why_timer },
	{ "ipcp-max-terminate", OK_IGNORED, 1, 0, why_timer },
	{ "ipcp-max-failure", OK_IGNORED, 1, 0, why_timer },
	{ "chap-restart", OK_IGNORED, 1, 0, why_timer },
	{ "chap-max-challenge", OK_IGNORED, 1, 0, why_timer },
	{ "chap-interval", OK_IGNORED, 1, 0, "peers are not re-challenged" },
	{ "pap-restart", OK_IGNORED, 1, 0, why_timer },
	{ "pap-max-authreq", OK_IGNORED, 1, 0, why_timer },
	{ "pap-timeout", OK_IGNORED, 1, 0, why_timer },
	{ "radius-config-file", OK_IGNORED, 1, 0, why_plugin_opt },
	{ "avpair", OK_IGNORED, 1, 0, why_plugin_opt },
	{ "ntlm_auth-helper", OK_IGNORED, 1, 0, why_plugin_opt },
};

#define OPT_NDEFS	(sizeof(opt_defs) / sizeof(opt_defs[0]))

static const struct opt_def *
opt_find(const char *w)
{
	size_t i;

	for (i = 0; i < OPT_NDEFS; i++)
		if (strcmp(opt_defs[i].name, w) == 0)
			return &opt_defs[i];
	return NULL;
}

/* Index 0..3 of a single PPP_AUTH_* bit, for auth_line[]. */
static int
auth_index(unsigned bit)
{
	return bit == A_PAP ? 0 : bit == A_CHAP ? 1 : bit == A_MS1 ? 2 : 3;
}

/* The older MPPE patch's `mppe required,stateless,no40,no56,no128`. */
static int
opt_mppe_list(struct server_config *c, const char *file, int line,
    const char *arg)
{
	struct cfg_optstate *o = &c->opt;
	unsigned bits = M_40 | M_56 | M_128, no = 0;
	bool required = false, stateless = false;
	const char *p = arg;
	char q[CFG_WORD_MAX];

	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		if (n == 8 && memcmp(p, "required", 8) == 0)
			required = true;
		else if (n == 9 && memcmp(p, "stateless", 9) == 0)
			stateless = true;
		else if (n == 4 && memcmp(p, "no40", 4) == 0)
			no |= M_40;
		else if (n == 4 && memcmp(p, "no56", 4) == 0)
			no |= M_56;
		else if (n == 5 && memcmp(p, "no128", 5) == 0)
			no |= M_128;
		else
			return cfg_errf(&c->diag, ERR_FORMAT, file, line, "mppe: "
			    "unknown word in \"%s\" (want required, stateless, "
			    "no40, no56, no128)", cfg_quote(q, sizeof(q), arg));
		p += n;
		if (*p == ',')
			p++;
	}
	o->mppe_mode = required ? PPP_MPPE_REQUIRED : PPP_MPPE_ALLOWED;
	o->mppe_req_bits = bits & ~no;
	o->mppe_ref_bits = no;
	o->stateful = stateless ? 0 : 1;
	o->mppe_line = o->mppe_bits_line = o->stateful_line = line;
	return 0;
}

/* An address option: a third ms-dns or ms-wins is dropped. */
static int
opt_addr(struct server_config *c, const char *file, int line,
    const struct opt_def *def, const char *arg, uint32_t *slot,
    unsigned *count)
{
	char q[CFG_WORD_MAX];
	uint32_t a;

	if (cfg_parse_ipv4(arg, strlen(arg), &a) != 0)
		return cfg_errf(&c->diag, ERR_FORMAT, file, line, "%s: \"%s\" is "
		    "not an IPv4 address (host names are not resolved)",
		    def->name, cfg_quote(q, sizeof(q), arg));
	if (*count >= 2) {
		cfg_warnf(&c->diag, file, line, "%s: only two are sent to "
		    "clients; this one is ignored", def->name);
		return 0;
	}
	slot[(*count)++] = a;
	return 0;
}

static int
opt_number(struct server_config *c, const char *file, int line,
    const struct opt_def *def, const char *arg, unsigned long min,
    unsigned long max, unsigned long *v)
{
	char q[CFG_WORD_MAX];
	int ret;

	if ((ret = cfg_parse_uint(arg, min, max, v)) != 0)
		return cfg_errf(&c->diag, ret, file, line, "%s: \"%s\" is not a "
		    "number from %lu to %lu", def->name,
		    cfg_quote(q, sizeof(q), arg), min, max);
	return 0;
}

/* mtu and mru: pppd's limits are errors; ours only warn and clamp. */
static uint16_t
opt_clamp_mru(struct server_config *c, const char *file, int line,
    const char *name, unsigned long v)
{
	unsigned long max = PPP_FRAME_MAX - 4;

	if (v < PPP_MRU_MIN) {
		cfg_warnf(&c->diag, file, line, "%s %lu raised to %d, the "
		    "smallest pptpkit uses", name, v, PPP_MRU_MIN);
		return PPP_MRU_MIN;
	}
	if (v > max) {
		cfg_warnf(&c->diag, file, line, "%s %lu lowered to %lu, the "
		    "largest frame pptpkit handles", name, v, max);
		return (uint16_t)max;
	}
	return (uint16_t)v;
}

static void
opt_plugin(struct server_config *c, const char *file, int line,
    const char *arg)
{
	const char *base = strrchr(arg, '/');
	char q[CFG_WORD_MAX];

	base = base != NULL ? base + 1 : arg;
	cfg_quote(q, sizeof(q), arg);
	if (strcmp(base, "radius.so") == 0)
		cfg_warnf(&c->diag, file, line, "plugin %s ignored: pptpkit "
		    "loads no pppd plugins; RADIUS is configured with "
		    "pptpkit's own keys in pptpd.conf (docs/CONFIG.md), and "
		    "until then users come from chap-secrets", q);
	else
		cfg_warnf(&c->diag, file, line, "plugin %s ignored: pptpkit "
		    "loads no pppd plugins", q);
}

static int
opt_apply(struct server_config *c, const char *file, int line,
    const struct opt_def *def, const char *arg)
{
	struct server_policy *p = &c->policy;
	struct cfg_optstate *o = &c->opt;
	unsigned long v = 0;
	int ret = 0;

	switch (def->kind) {
	case OK_NAME:
		if (cfg_copy(p->name, sizeof(p->name), arg) != 0)
			return cfg_errf(&c->diag, ERR_LENGTH, file, line, "name: "
			    "longer than %d characters", PPP_NAME_MAX);
		break;
	case OK_AUTH:
	case OK_NOOP:
		break;
	case OK_NOAUTH:
		cfg_warnf(&c->diag, file, line, "WARNING: noauth refused: a "
		    "PPTP server must authenticate its peers, or anyone "
		    "reaching port 1723 gets an address on your network; "
		    "authentication stays on");
		break;
	case OK_REQUIRE:
		o->auth_req |= def->arg;
		o->auth_ref &= ~def->arg;
		o->auth_line[auth_index(def->arg)] = line;
		break;
	case OK_REFUSE:
		o->auth_ref |= def->arg;
		o->auth_req &= ~def->arg;
		break;
	case OK_REQ_EAP:
		o->eap_required = true;
		cfg_warnf(&c->diag, file, line, "%s refused: EAP is off in "
		    "pptpkit; the other methods named here apply (MS-CHAPv2 "
		    "if none)", def->name);
		break;
	case OK_MPPE_REQ:
		o->mppe_mode = PPP_MPPE_REQUIRED;
		o->mppe_req_bits |= def->arg;
		o->mppe_ref_bits &= ~def->arg;
		o->mppe_line = o->mppe_bits_line = line;
		break;
	case OK_MPPE_NO:
		o->mppe_ref_bits |= def->arg;
		o->mppe_req_bits &= ~def->arg;
		o->mppe_bits_line = line;
		break;
	case OK_MPPE_OFF:
		o->mppe_mode = PPP_MPPE_REFUSED;
		o->mppe_line = line;
		break;
	case OK_STATEFUL:
	case OK_NOSTATEFUL:
	case OK_PREFER_STATEFUL:
		o->stateful = def->kind == OK_PREFER_STATEFUL ? 2 :
		    def->kind == OK_STATEFUL;
		o->stateful_line = line;
		break;
	case OK_MPPE:
		/* bare `mppe`: an empty list (allowed, any size, stateful) */
		return opt_mppe_list(c, file, line, arg != NULL ? arg : "");
	case OK_DNS:
		return opt_addr(c, file, line, def, arg, p->dns, &o->ndns);
	case OK_WINS:
		return opt_addr(c, file, line, def, arg, p->wins, &o->nwins);
	case OK_MTU:
	case OK_MRU:
		if ((ret = opt_number(c, file, line, def, arg, 128, 65535,
		    &v)) != 0)
			return ret;
		*(def->kind == OK_MTU ? &p->mtu : &p->mru) =
		    opt_clamp_mru(c, file, line, def->name, v);
		break;
	case OK_ECHO_INT:
		ret = opt_number(c, file, line, def, arg, 0, 86400, &v);
		p->echo_interval_s = (uint32_t)v;
		break;
	case OK_ECHO_FAIL:
		ret = opt_number(c, file, line, def, arg, 0, 255, &v);
		p->echo_failures = (unsigned)v;
		break;
	case OK_RESTART:
		ret = opt_number(c, file, line, def, arg, 1, 3600, &v);
		p->restart_ms = (uint32_t)v * 1000;
		break;
	case OK_MAXCONF:
	case OK_MAXTERM:
	case OK_MAXFAIL:
		ret = opt_number(c, file, line, def, arg, 1, 255, &v);
		*(def->kind == OK_MAXCONF ? &p->max_configure :
		    def->kind == OK_MAXTERM ? &p->max_terminate :
		    &p->max_failure) = (unsigned)v;
		break;
	case OK_IDLE:
		ret = opt_number(c, file, line, def, arg, 0, 31536000, &v);
		p->idle_s = (uint32_t)v;
		break;
	case OK_DEBUG:
		p->debug = true;
		break;
	case OK_IPV6_ON:
	case OK_IPV6_OFF:
		p->ipv6 = def->kind == OK_IPV6_ON;
		break;
	case OK_PROXYARP:
		p->proxyarp = true;
		cfg_warnf(&c->diag, file, line, "proxyarp ignored: pptpkit "
		    "does not answer ARP for its peers yet; route the pool's "
		    "addresses to this host, or masquerade them");
		break;
	case OK_NOPFC:
		p->no_pfc = true;
		break;
	case OK_NOACFC:
		p->no_acfc = true;
		break;
	case OK_LOGFILE:
		if (cfg_copy(p->logfile, sizeof(p->logfile), arg) != 0)
			return cfg_errf(&c->diag, ERR_LENGTH, file, line,
			    "logfile: path too long");
		break;
	case OK_PLUGIN:
		opt_plugin(c, file, line, arg);
		break;
	case OK_IGNORED:
	case OK_IGNORED_SECRET:
		cfg_warnf(&c->diag, file, line, "%s ignored: %s", def->name,
		    def->why);
		break;
	}
	return ret;
}

enum word_class { WC_ADDR, WC_SPEED, WC_DEVICE, WC_OTHER };

/* What pppd would make of a word that names no option: an address pair
 * "local:remote", a line speed, a device path, or nothing (an error). */
static enum word_class
opt_word_class(const char *w)
{
	size_t n = strlen(w);

	if (strchr(w, ':') != NULL && strspn(w, "0123456789.:") == n)
		return WC_ADDR;
	if (n > 0 && strspn(w, "0123456789") == n)
		return WC_SPEED;
	if (w[0] == '/')
		return WC_DEVICE;
	return WC_OTHER;
}

/* Warns about a word that is no option we know (next: the word taken as
 * its argument, or NULL). */
static void
opt_unknown(struct server_config *c, const char *file, int line,
    const char *w, const char *next)
{
	char q[CFG_WORD_MAX], qn[CFG_WORD_MAX];

	cfg_quote(q, sizeof(q), w);
	switch (opt_word_class(w)) {
	case WC_ADDR:
		cfg_warnf(&c->diag, file, line, "address option %s ignored: "
		    "%s", q, why_addr);
		break;
	case WC_SPEED:
		cfg_warnf(&c->diag, file, line, "speed %s ignored: %s", q,
		    why_tty);
		break;
	case WC_DEVICE:
		cfg_warnf(&c->diag, file, line, "device %s ignored: %s", q,
		    why_tty);
		break;
	case WC_OTHER:
		if (next != NULL)
			cfg_warnf(&c->diag, file, line, "unknown option %s "
			    "(with argument %s) ignored", q,
			    cfg_quote(qn, sizeof(qn), next));
		else
			cfg_warnf(&c->diag, file, line, "unknown option %s "
			    "ignored", q);
		break;
	}
}

/* `mppe` takes the next word as its list only if it is on the same line
 * and names no option itself. */
static bool
opt_mppe_has_arg(const struct cfg_lex *lx)
{
	struct cfg_lex peek = *lx;
	char w[CFG_WORD_MAX];
	int line;
	bool nl;

	if (!cfg_lex_more_on_line(lx))
		return false;
	return cfg_lex_word(&peek, w, sizeof(w), &line, &nl) != 1 ||
	    opt_find(w) == NULL;
}

static int
opt_lex_error(struct server_config *c, const char *file, int line, int ret)
{
	return cfg_errf(&c->diag, ret, file, line, ret == ERR_LENGTH ?
	    "word longer than %d characters" : "unterminated quote, NUL byte "
	    "or backslash at the end", CFG_WORD_MAX - 1);
}

int
server_config_parse_options(struct server_config *c, const char *file,
    const char *buf, size_t len)
{
	char word[CFG_WORD_MAX], arg[CFG_WORD_MAX];
	struct cfg_lex lx;
	int line, aline, ret;
	bool nl;

	snprintf(c->opt.file, sizeof(c->opt.file), "%s", file);
	cfg_lex_init(&lx, buf, len);
	for (;;) {
		const struct opt_def *def;
		const char *a = NULL;

		ret = cfg_lex_word(&lx, word, sizeof(word), &line, &nl);
		if (ret == 0)
			return 0;
		if (ret < 0)
			return opt_lex_error(c, file, line, ret);
		def = opt_find(word);
		if (def == NULL) {
			/* An unknown option's argument, if it has one, is on
			 * its line and is no option itself. */
			if (opt_word_class(word) == WC_OTHER &&
			    cfg_lex_more_on_line(&lx)) {
				struct cfg_lex peek = lx;

				ret = cfg_lex_word(&peek, arg, sizeof(arg),
				    &aline, &nl);
				if (ret < 0)
					return opt_lex_error(c, file, aline,
					    ret);
				if (ret == 1 && opt_find(arg) == NULL) {
					lx = peek;
					a = arg;
				}
			}
			opt_unknown(c, file, line, word, a);
			continue;
		}
		if (def->nargs == 1 || (def->kind == OK_MPPE &&
		    opt_mppe_has_arg(&lx))) {
			ret = cfg_lex_word(&lx, arg, sizeof(arg), &aline, &nl);
			if (ret < 0)
				return opt_lex_error(c, file, aline, ret);
			if (ret == 0)
				return cfg_errf(&c->diag, ERR_FORMAT, file, line,
				    "%s needs a value", def->name);
			a = arg;
		}
		if ((ret = opt_apply(c, file, line, def, a)) != 0)
			return ret;
	}
}

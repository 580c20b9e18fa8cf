/*
 * client_main.c - `pptpkit client SERVER --user NAME [options]`: the
 * command line of the PPTP client (client.h).  Parses the options into a
 * struct client_config, takes the password from a file, the environment or
 * the terminal (never from the command line, where `ps` would show it),
 * warns loudly about any policy weaker than the default (MS-CHAPv2 with
 * MPPE-128 required), and runs the client.  The exit statuses are listed
 * in the help text.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "../base/log.h"
#include "../base/secret.h"
#include "../commands.h"
#include "client.h"

#define ENV_PASSWORD	"PPTPKIT_PASSWORD"

static const char usage_text[] =
"usage: pptpkit client SERVER --user NAME [options]\n"
"\n"
"Connects to the PPTP server SERVER (IPv4 address or host name) as a PNS\n"
"(RFC 2637), runs PPP with MS-CHAPv2 and MPPE over it, and brings up a TUN\n"
"device with the address the server gives.  Needs root (CAP_NET_ADMIN and\n"
"CAP_NET_RAW).  SIGINT or SIGTERM tears the session down in order.\n"
"\n"
"credentials (the password is never read from the command line):\n"
"  --user NAME            user name (DOMAIN\\\\user is passed as is)\n"
"  --password-file FILE   password from the first line of FILE ('-': stdin);\n"
"                         else $" ENV_PASSWORD ", else a prompt on the terminal\n"
"policy (the defaults are the strongest; anything weaker is warned about):\n"
"  --auth LIST            methods allowed: mschapv2,mschapv1,chap,pap\n"
"                         (default mschapv2)\n"
"  --mppe MODE            required (default), allowed or refused\n"
"  --mppe-bits LIST       key lengths allowed: 40,56,128 (default 128)\n"
"  --mppe-stateful        allow stateful MPPE (default: stateless only)\n"
"  --mppe-stateful-only   insist on stateful MPPE (for servers that only\n"
"                         offer it; stateless is the better choice)\n"
"link:\n"
"  --mtu N                MRU we ask the server for, 576..1500 (default 1400);\n"
"                         the TUN MTU is the server's MRU less MPPE's 4 octets\n"
"  --no-ipv6              no IPV6CP (no fe80:: address on the tunnel)\n"
"  --ifname NAME          TUN device name or pattern (default pptp%d)\n"
"  --no-mss-clamp         do not clamp the TCP MSS of SYNs to the tunnel MTU\n"
"routes (a host route to SERVER through today's path is pinned first, so\n"
"the tunnel never carries itself; everything added is removed at exit):\n"
"  --default-route        all IPv4 traffic into the tunnel (0.0.0.0/1 and\n"
"                         128.0.0.0/1; the default route itself stays)\n"
"  --route PREFIX         PREFIX into the tunnel (repeatable)\n"
"behaviour:\n"
"  --no-reconnect         exit when the link drops (default: reconnect\n"
"                         after 1, 2, 4 ... 60 s; a first connection that\n"
"                         fails always exits)\n"
"  --port N               server TCP port (default 1723)\n"
"  --connect-timeout S    TCP connect, control and call replies (default 10)\n"
"  --gre-timeout S        time for the first GRE packet (default 10)\n"
"  --debug                log PPP negotiation and control messages\n"
"  -h, --help             this text\n"
"\n"
"exit status:\n"
"  0  stopped by SIGINT or SIGTERM\n"
"  1  local fault (raw socket, TUN device, netlink, memory)\n"
"  2  usage or configuration error\n"
"  3  TCP connection refused, unreachable or timed out\n"
"  4  control connection or call refused by the server (result code named)\n"
"  5  call accepted but no GRE arrived (GRE blocked on the path?)\n"
"  6  authentication failed (the MS-CHAP error, e.g. E=691, is named)\n"
"  7  MPPE refused (both sides' offers named)\n"
"  8  other PPP negotiation failure\n"
"  9  the link was up and dropped, with --no-reconnect\n";

enum {
	OPT_USER = 256, OPT_PASSWORD_FILE, OPT_AUTH, OPT_MPPE, OPT_MPPE_BITS,
	OPT_MPPE_STATEFUL, OPT_MPPE_STATEFUL_ONLY, OPT_MTU, OPT_NO_IPV6, OPT_IFNAME, OPT_NO_MSS,
	OPT_DEFAULT_ROUTE, OPT_ROUTE, OPT_NO_RECONNECT, OPT_PORT,
	OPT_CONNECT_TIMEOUT, OPT_GRE_TIMEOUT, OPT_DEBUG,
};

static const struct option long_opts[] = {
	{ "user", required_argument, NULL, OPT_USER },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "mppe", required_argument, NULL, OPT_MPPE },
	{ "mppe-bits", required_argument, NULL, OPT_MPPE_BITS },
	{ "mppe-stateful", no_argument, NULL, OPT_MPPE_STATEFUL },
	{ "mppe-stateful-only", no_argument, NULL, OPT_MPPE_STATEFUL_ONLY },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "no-ipv6", no_argument, NULL, OPT_NO_IPV6 },
	{ "ifname", required_argument, NULL, OPT_IFNAME },
	{ "no-mss-clamp", no_argument, NULL, OPT_NO_MSS },
	{ "default-route", no_argument, NULL, OPT_DEFAULT_ROUTE },
	{ "route", required_argument, NULL, OPT_ROUTE },
	{ "no-reconnect", no_argument, NULL, OPT_NO_RECONNECT },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "gre-timeout", required_argument, NULL, OPT_GRE_TIMEOUT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pptpkit client: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(pptpkit client --help for the options)\n");
	return CLIENT_EXIT_USAGE;
}

static int
parse_uint(const char *s, unsigned long lo, unsigned long hi,
    unsigned long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return ERR_FORMAT;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || *out < lo || *out > hi)
		return ERR_RANGE;
	return 0;
}

/* Comma-separated words mapped to bits; 0 on an unknown word. */
static unsigned
parse_set(const char *s, const char *const *names, const unsigned *bits,
    size_t n)
{
	char word[32];
	unsigned set = 0;
	size_t i, len;

	while (*s != '\0') {
		len = strcspn(s, ",");
		if (len == 0 || len >= sizeof(word))
			return 0;
		memcpy(word, s, len);
		word[len] = '\0';
		for (i = 0; i < n && strcmp(word, names[i]) != 0; i++)
			;
		if (i == n)
			return 0;
		set |= bits[i];
		s += len;
		if (*s == ',')
			s++;
	}
	return set;
}

static unsigned
parse_auth(const char *s)
{
	static const char *const names[] = { "mschapv2", "mschap-v2",
	    "mschapv1", "mschap", "chap", "chap-md5", "pap" };
	static const unsigned bits[] = { PPP_AUTH_MSCHAPV2, PPP_AUTH_MSCHAPV2,
	    PPP_AUTH_MSCHAPV1, PPP_AUTH_MSCHAPV1, PPP_AUTH_CHAP_MD5,
	    PPP_AUTH_CHAP_MD5, PPP_AUTH_PAP };

	return parse_set(s, names, bits, sizeof(bits) / sizeof(bits[0]));
}

static unsigned
parse_bits(const char *s)
{
	static const char *const names[] = { "40", "56", "128" };
	static const unsigned bits[] = { PPP_MPPE_40, PPP_MPPE_56,
	    PPP_MPPE_128 };

	return parse_set(s, names, bits, 3);
}

/* Strips a trailing "\n" or "\r\n". */
static void
chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int
password_from_file(const char *path, char *out, size_t cap)
{
	struct stat st;
	FILE *f;
	int ok;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "re")) == NULL) {
		fprintf(stderr, "pptpkit client: password file %s: %s\n", path,
		    strerror(errno));
		return CLIENT_EXIT_USAGE;
	}
	if (f != stdin && fstat(fileno(f), &st) == 0 &&
	    S_ISREG(st.st_mode) && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		log_msg(LOG_WARN, "client", "password file %s is readable by "
		    "others (chmod 600 it)", path);
	ok = fgets(out, (int)cap, f) != NULL;
	if (f != stdin)
		fclose(f);
	if (!ok) {
		fprintf(stderr, "pptpkit client: password file %s is empty\n",
		    path);
		return CLIENT_EXIT_USAGE;
	}
	chomp(out);
	return 0;
}

static volatile sig_atomic_t prompt_interrupted;

static void
on_prompt_signal(int signo)
{
	(void)signo;
	prompt_interrupted = 1;
}

/* Reads a line from the terminal with echo off; Ctrl-C gives up. */
static int
password_prompt(const char *user, const char *server, char *out, size_t cap)
{
	struct sigaction sa, old_int, old_term;
	struct termios t, saved;
	size_t n = 0;
	char c = 0;
	int fd;
	ssize_t got;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0) {
		fprintf(stderr, "pptpkit client: no password: give "
		    "--password-file FILE or $%s, or run on a terminal\n",
		    ENV_PASSWORD);
		return CLIENT_EXIT_USAGE;
	}
	dprintf(fd, "Password for %s at %s: ", user, server);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_prompt_signal;	/* no SA_RESTART: read stops */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	prompt_interrupted = 0;
	if (tcgetattr(fd, &saved) == 0) {
		t = saved;
		t.c_lflag &= ~(tcflag_t)ECHO;
		t.c_lflag |= ECHONL;
		(void)tcsetattr(fd, TCSAFLUSH, &t);
	}
	for (;;) {
		got = read(fd, &c, 1);
		if (got < 0 && errno == EINTR && !prompt_interrupted)
			continue;
		if (got <= 0 || prompt_interrupted || c == '\n')
			break;
		if (n + 1 < cap)
			out[n++] = c;
	}
	out[n] = '\0';
	secret_wipe(&c, sizeof(c));
	(void)tcsetattr(fd, TCSAFLUSH, &saved);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (prompt_interrupted) {
		dprintf(fd, "\n");
		secret_wipe(out, cap);
		close(fd);
		return -1;
	}
	close(fd);
	chomp(out);
	return 0;
}

static int
resolve_server(const char *name, struct in_addr *out)
{
	struct addrinfo hints, *res = NULL;
	int ret;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;		/* GRE here is IPv4 */
	hints.ai_socktype = SOCK_STREAM;
	if ((ret = getaddrinfo(name, NULL, &hints, &res)) != 0 || res == NULL) {
		fprintf(stderr, "pptpkit client: cannot resolve %s to an IPv4 "
		    "address: %s\n", name, ret != 0 ? gai_strerror(ret) :
		    "no address");
		return CLIENT_EXIT_USAGE;
	}
	memcpy(out, &((const struct sockaddr_in *)(const void *)
	    res->ai_addr)->sin_addr, sizeof(*out));
	freeaddrinfo(res);
	return 0;
}

/* Says loudly what is weaker than MS-CHAPv2 with MPPE-128 required. */
static void
warn_weak(const struct ppp_config *p)
{
	if (p->auth_methods & PPP_AUTH_PAP)
		log_msg(LOG_WARN, "client", "WARNING: --auth allows PAP: the "
		    "password crosses the network in the clear");
	if (p->auth_methods & PPP_AUTH_CHAP_MD5)
		log_msg(LOG_WARN, "client", "WARNING: --auth allows CHAP-MD5: "
		    "no mutual authentication, no MPPE keys, offline "
		    "dictionary attacks");
	if (p->auth_methods & PPP_AUTH_MSCHAPV1)
		log_msg(LOG_WARN, "client", "WARNING: --auth allows MS-CHAPv1: "
		    "no mutual authentication and a LAN Manager-era design "
		    "broken long ago");
	if (p->mppe == PPP_MPPE_REFUSED)
		log_msg(LOG_WARN, "client", "WARNING: --mppe refused: all "
		    "traffic in the tunnel is unencrypted");
	else if (p->mppe == PPP_MPPE_ALLOWED)
		log_msg(LOG_WARN, "client", "WARNING: --mppe allowed: the "
		    "tunnel runs unencrypted if the server declines MPPE");
	if (p->mppe != PPP_MPPE_REFUSED &&
	    (p->mppe_bits & (PPP_MPPE_40 | PPP_MPPE_56)) != 0)
		log_msg(LOG_WARN, "client", "WARNING: --mppe-bits allows 40 or "
		    "56-bit keys: trivially brute-forced");
	if (p->mppe != PPP_MPPE_REFUSED && p->mppe_stateful)
		log_msg(LOG_WARN, "client", "WARNING: --mppe-stateful: one lost "
		    "packet stalls the link until a rekey (RFC 3078 9)");
}

static int
parse_args(int argc, char **argv, struct client_config *c,
    const char **pwfile)
{
	struct client_route r;
	unsigned long v;
	unsigned set;
	int opt;

	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case OPT_USER:
			if (strlen(optarg) == 0 || strlen(optarg) > PPP_NAME_MAX)
				return usage_error("--user: 1 to 255 "
				    "characters, not '%s'", optarg);
			snprintf(c->ppp.user, sizeof(c->ppp.user), "%s", optarg);
			break;
		case OPT_PASSWORD_FILE:
			*pwfile = optarg;
			break;
		case OPT_AUTH:
			if ((set = parse_auth(optarg)) == 0)
				return usage_error("--auth: a list of mschapv2,"
				    "mschapv1,chap,pap, not '%s'", optarg);
			c->ppp.auth_methods = set;
			break;
		case OPT_MPPE:
			if (strcmp(optarg, "required") == 0)
				c->ppp.mppe = PPP_MPPE_REQUIRED;
			else if (strcmp(optarg, "allowed") == 0)
				c->ppp.mppe = PPP_MPPE_ALLOWED;
			else if (strcmp(optarg, "refused") == 0)
				c->ppp.mppe = PPP_MPPE_REFUSED;
			else
				return usage_error("--mppe: required, allowed "
				    "or refused, not '%s'", optarg);
			break;
		case OPT_MPPE_BITS:
			if ((set = parse_bits(optarg)) == 0)
				return usage_error("--mppe-bits: a list of 40,"
				    "56,128, not '%s'", optarg);
			c->ppp.mppe_bits = set;
			break;
		case OPT_MPPE_STATEFUL:
			c->ppp.mppe_stateful = true;
			break;
		case OPT_MPPE_STATEFUL_ONLY:
			c->ppp.mppe_stateful = true;
			c->ppp.mppe_stateless = false;
			break;
		case OPT_MTU:
			if (parse_uint(optarg, PPP_MRU_MIN, 1500, &v) != 0)
				return usage_error("--mtu: 576..1500, not '%s'",
				    optarg);
			c->ppp.mru = (uint16_t)v;
			break;
		case OPT_NO_IPV6:
			c->ppp.ipv6 = false;
			break;
		case OPT_IFNAME:
			if (strlen(optarg) == 0 || strlen(optarg) >= IFNAMSIZ)
				return usage_error("--ifname: 1 to 15 "
				    "characters, not '%s'", optarg);
			snprintf(c->tun_name, sizeof(c->tun_name), "%s", optarg);
			break;
		case OPT_NO_MSS:
			c->mss_clamp = false;
			break;
		case OPT_DEFAULT_ROUTE:
			c->default_route = true;
			break;
		case OPT_ROUTE:
			if (client_route_parse(optarg, &r) != 0)
				return usage_error("--route: a prefix such as "
				    "10.0.0.0/8 (no host bits), not '%s'",
				    optarg);
			if (c->nroutes >= CLIENT_ROUTES_MAX)
				return usage_error("--route: at most 32, '%s' "
				    "is one too many", optarg);
			c->routes[c->nroutes++] = r;
			break;
		case OPT_NO_RECONNECT:
			c->reconnect = false;
			break;
		case OPT_PORT:
			if (parse_uint(optarg, 1, 65535, &v) != 0)
				return usage_error("--port: 1..65535, not '%s'",
				    optarg);
			c->port = (uint16_t)v;
			break;
		case OPT_CONNECT_TIMEOUT:
		case OPT_GRE_TIMEOUT:
			if (parse_uint(optarg, 1, 600, &v) != 0)
				return usage_error("timeouts are 1..600 "
				    "seconds, not '%s'", optarg);
			if (opt == OPT_GRE_TIMEOUT)
				c->gre_timeout_ms = (uint32_t)v * 1000;
			else
				c->connect_timeout_ms = (uint32_t)v * 1000;
			break;
		case OPT_DEBUG:
			log_set_level(LOG_DEBUG);
			break;
		default:
			return usage_error("%s", "bad option");
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "SERVER is missing" :
		    "one SERVER only");
	if (c->ppp.user[0] == '\0')
		return usage_error("%s", "--user NAME is required");
	if (c->ppp.mppe == PPP_MPPE_REQUIRED &&
	    (c->ppp.auth_methods & (PPP_AUTH_MSCHAPV1 |
	    PPP_AUTH_MSCHAPV2)) == 0)
		return usage_error("%s", "--mppe required needs mschapv2 or "
		    "mschapv1 in --auth: MPPE keys come from MS-CHAP");
	snprintf(c->server_name, sizeof(c->server_name), "%s", argv[optind]);
	return 0;
}

int
client_main(int argc, char **argv)
{
	struct client_config cfg;
	const char *pwfile = NULL, *env;
	int ret;

	client_config_default(&cfg);
	if ((ret = parse_args(argc, argv, &cfg, &pwfile)) != 0)
		return ret < 0 ? 0 : ret;
	if ((ret = resolve_server(cfg.server_name, &cfg.server)) != 0)
		return ret;
	if (pwfile != NULL)
		ret = password_from_file(pwfile, cfg.ppp.password,
		    sizeof(cfg.ppp.password));
	else if ((env = getenv(ENV_PASSWORD)) != NULL)
		snprintf(cfg.ppp.password, sizeof(cfg.ppp.password), "%s", env);
	else
		ret = password_prompt(cfg.ppp.user, cfg.server_name,
		    cfg.ppp.password, sizeof(cfg.ppp.password));
	if (ret < 0)
		ret = CLIENT_EXIT_OK;		/* Ctrl-C at the prompt */
	else if (ret == 0 && cfg.ppp.password[0] == '\0') {
		fprintf(stderr, "pptpkit client: the password is empty\n");
		ret = CLIENT_EXIT_USAGE;
	}
	if (ret == 0) {
		warn_weak(&cfg.ppp);
		ret = client_run(&cfg);
	}
	secret_wipe(&cfg, sizeof(cfg));
	return ret;
}

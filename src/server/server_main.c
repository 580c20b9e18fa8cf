/*
 * server_main.c - `pptpkit server`: the command line of the PPTP server
 * (the PAC of RFC 2637 1.3).  It stays in the foreground, systemd style:
 * no fork, no PID file; log lines go to stderr (or to the options file's
 * `logfile`), and the service manager restarts and stops it.
 *
 * Exit status: 0 after an orderly shutdown (SIGTERM, SIGINT), 1 when the
 * configuration is refused or set-up fails, 2 for bad arguments.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/log.h"
#include "../commands.h"
#include "server.h"

static void
server_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit server --config FILE [options]\n"
	    "\n"
	    "Runs a PPTP server (RFC 2637 PAC) from PoPToP's configuration:\n"
	    "pptpd.conf, the pppd options file it names with `option`, and\n"
	    "chap-secrets (see docs/CONFIG.md).  One process serves every\n"
	    "client: one TUN device per session, one raw GRE socket.\n"
	    "\n"
	    "options:\n"
	    "  -c, --config FILE     pptpd.conf to read (required)\n"
	    "  -f, --foreground      accepted for pptpd compatibility: the\n"
	    "                        server always stays in the foreground\n"
	    "  -d, --debug           debug log lines\n"
	    "      --ip-up PATH      script run when a session's IP is up,\n"
	    "                        pppd's arguments: iface tty speed local\n"
	    "                        remote ipparam (default " SRV_DEFAULT_IP_UP ")\n"
	    "      --ip-down PATH    script run when it goes down\n"
	    "                        (default " SRV_DEFAULT_IP_DOWN ")\n"
	    "      --no-scripts      run neither script\n"
	    "      --script-timeout S  a script is killed after S seconds\n"
	    "                        (default %d)\n"
	    "      --user NAME       after set-up, run as NAME keeping only\n"
	    "                        CAP_NET_ADMIN and CAP_NET_RAW\n"
	    "      --port N          TCP port (default 1723; for tests)\n"
	    "  -h, --help            this text\n"
	    "\n"
	    "signals: SIGTERM/SIGINT end every session in RFC 2637 order\n"
	    "(Call-Disconnect-Notify, then Stop-Control-Connection-Request) and\n"
	    "exit 0; SIGHUP reloads chap-secrets, keeping the sessions; SIGUSR1\n"
	    "logs one status line per session.\n"
	    "\n"
	    "exit status: 0 after a shutdown, 1 configuration or set-up\n"
	    "refused, 2 usage.\n", SRV_SCRIPT_TIMEOUT_S);
}

static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return ERR_FORMAT;
	*out = strtoul(s, &end, 10);
	if (*end != '\0' || *out > max)
		return ERR_RANGE;
	return 0;
}

int
server_main(int argc, char **argv)
{
	enum { OPT_IP_UP = 256, OPT_IP_DOWN, OPT_NO_SCRIPTS, OPT_TIMEOUT,
	    OPT_USER, OPT_PORT };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "ip-up", required_argument, NULL, OPT_IP_UP },
		{ "ip-down", required_argument, NULL, OPT_IP_DOWN },
		{ "no-scripts", no_argument, NULL, OPT_NO_SCRIPTS },
		{ "script-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "user", required_argument, NULL, OPT_USER },
		{ "port", required_argument, NULL, OPT_PORT },
		{ NULL, 0, NULL, 0 },
	};
	static struct srv s;		/* large: not on the stack */
	struct srv_opts o;
	unsigned long v;
	int ch, ret;

	memset(&o, 0, sizeof(o));
	o.ip_up = SRV_DEFAULT_IP_UP;
	o.ip_down = SRV_DEFAULT_IP_DOWN;
	o.port = TCP_PPTP_PORT;
	o.script_timeout_s = SRV_SCRIPT_TIMEOUT_S;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:fdh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'f':
			break;
		case 'd':
			o.debug = true;
			break;
		case 'h':
			server_usage(stdout);
			return 0;
		case OPT_IP_UP:
			o.ip_up = optarg;
			break;
		case OPT_IP_DOWN:
			o.ip_down = optarg;
			break;
		case OPT_NO_SCRIPTS:
			o.ip_up = o.ip_down = "";
			break;
		case OPT_TIMEOUT:
			if (parse_uint(optarg, 86400, &v) != 0 || v == 0) {
				fprintf(stderr, "pptpkit server: "
				    "--script-timeout: 1 to 86400 seconds\n");
				return 2;
			}
			o.script_timeout_s = (unsigned)v;
			break;
		case OPT_USER:
			o.user = optarg;
			break;
		case OPT_PORT:
			if (parse_uint(optarg, 65535, &v) != 0 || v == 0) {
				fprintf(stderr, "pptpkit server: --port: 1 to "
				    "65535\n");
				return 2;
			}
			o.port = (uint16_t)v;
			break;
		default:
			server_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "pptpkit server: unexpected argument '%s'\n",
		    argv[optind]);
		server_usage(stderr);
		return 2;
	}
	if (o.config_path == NULL) {
		fprintf(stderr, "pptpkit server: --config FILE is required "
		    "(e.g. /etc/pptpd.conf)\n");
		server_usage(stderr);
		return 2;
	}
	if ((ret = srv_init(&s, &o)) != 0) {
		srv_fini(&s);
		return 1;
	}
	ret = srv_run(&s);
	srv_fini(&s);
	return ret;
}

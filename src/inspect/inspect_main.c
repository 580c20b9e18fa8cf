/*
 * inspect_main.c - `pptpkit inspect`: reads a pcap or pcapng capture with
 * libpcap (a file, or `-` for stdin) through inspect_read_file(), or
 * captures live, feeds each frame to the pure analysis, and prints the
 * text, JSON or HTML report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/err.h"
#include "../commands.h"
#include "../inspect/inspect.h"

static void
inspect_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit inspect [options] FILE\n"
	    "       pptpkit inspect [options] --live IFACE\n"
	    "  Analyses a pcap/pcapng capture (FILE `-` reads stdin): PPTP\n"
	    "  control connections, calls, GRE per direction, PPP negotiation,\n"
	    "  findings and a security audit.\n"
	    "  --json              print the JSON report (schema "
	    INS_JSON_SCHEMA ")\n"
	    "  --html OUT.html     also write a self-contained HTML report\n"
	    "  --live IFACE        capture on IFACE; report each call as it ends\n"
	    "  --user U            the MS-CHAP user whose password is given\n"
	    "  --password P        verify MS-CHAP and decrypt MPPE with P\n"
	    "                      (or the PPTPKIT_PASSWORD environment variable)\n"
	    "  --nt-hash H         the same with the NT hash (32 hex digits)\n"
	    "  --decrypt-out F     write the decrypted inner packets to pcap F\n"
	    "  --color WHEN        auto (default: on a terminal), always, never\n"
	    "  --no-progress       no progress bar on stderr\n"
	    "  -h, --help          this text\n");
}

int
inspect_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "live", required_argument, NULL, 'l' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "nt-hash", required_argument, NULL, 'n' },
		{ "decrypt-out", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, 'c' },
		{ "no-progress", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inspect *ins;
	char err[512];	/* holds a libpcap message (PCAP_ERRBUF_SIZE 256) */
	const char *html = NULL, *live = NULL, *user = NULL, *password = NULL;
	const char *nt_hash = NULL, *decrypt_out = NULL, *color = "auto";
	const char *name;
	bool json = false, progress = true;
	int c, r, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'H':
			html = optarg;
			break;
		case 'l':
			live = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'p':
			password = optarg;
			break;
		case 'n':
			nt_hash = optarg;
			break;
		case 'o':
			decrypt_out = optarg;
			break;
		case 'c':
			color = optarg;
			break;
		case 'P':
			progress = false;
			break;
		case 'h':
			inspect_usage(stdout);
			return 0;
		default:
			inspect_usage(stderr);
			return 2;
		}
	}
	if ((live == NULL && optind + 1 != argc) ||
	    (live != NULL && optind != argc)) {
		inspect_usage(stderr);
		return 2;
	}
	if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 &&
	    strcmp(color, "never") != 0) {
		fprintf(stderr, "pptpkit inspect: --color takes auto, always "
		    "or never, not \"%s\"\n", color);
		return 2;
	}
	if (password == NULL && nt_hash == NULL && (user != NULL ||
	    decrypt_out != NULL))
		password = getenv("PPTPKIT_PASSWORD");
	if (password != NULL && nt_hash != NULL) {
		fprintf(stderr, "pptpkit inspect: give --password or --nt-hash, "
		    "not both\n");
		return 2;
	}
	if (decrypt_out != NULL && password == NULL && nt_hash == NULL) {
		fprintf(stderr, "pptpkit inspect: --decrypt-out needs "
		    "--password or --nt-hash\n");
		return 2;
	}
	if ((ins = inspect_new()) == NULL) {
		fprintf(stderr, "pptpkit inspect: out of memory\n");
		return 1;
	}
	ins->color = strcmp(color, "always") == 0 ||
	    (strcmp(color, "auto") == 0 && !json && isatty(STDOUT_FILENO));
	ins->progress = progress && isatty(STDERR_FILENO);
	if ((password != NULL || nt_hash != NULL) &&
	    ins_crypt_open(ins, user, password, nt_hash, decrypt_out, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit inspect: %s\n", err);
		inspect_free(ins);
		return 2;
	}
	name = live != NULL ? live : argv[optind];
	if (live != NULL) {
		if (inspect_live(ins, live, json, stdout, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "pptpkit inspect: --live %s: %s\n",
			    live, err);
			rc = 1;
		}
	} else {
		r = inspect_read_file(ins, name, err, sizeof(err));
		if (r != 0 && r != ERR_TRUNCATED) {
			fprintf(stderr, "pptpkit inspect: %s: %s\n", name, err);
			ins_crypt_close(ins);
			inspect_free(ins);
			return 1;
		}
		if (r == ERR_TRUNCATED)
			fprintf(stderr, "pptpkit inspect: %s: read error after "
			    "frame %u (%s); reporting what was read\n", name,
			    ins->frames, err);
		if (json)
			inspect_report_json(ins, name, stdout);
		else
			inspect_report_text(ins, name, stdout);
	}
	ins_crypt_close(ins);
	if (html != NULL && rc == 0 &&
	    inspect_report_html(ins, name, html, err, sizeof(err)) != 0) {
		fprintf(stderr, "pptpkit inspect: --html %s: %s\n", html, err);
		rc = 1;
	}
	inspect_free(ins);
	return rc;
}

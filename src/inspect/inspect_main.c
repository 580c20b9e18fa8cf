/*
 * inspect_main.c - `pptpkit inspect`: reads a pcap or pcapng capture with
 * libpcap (a file, or `-` for stdin) through inspect_read_file(), which
 * feeds each frame to the pure analysis, and prints the text or JSON
 * report.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../base/err.h"
#include "../commands.h"
#include "../inspect/inspect.h"

static void
inspect_usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit inspect [--json] FILE\n"
	    "  Analyses a pcap/pcapng capture (FILE `-` reads stdin): PPTP\n"
	    "  control connections, calls, GRE per direction, PPP negotiation.\n"
	    "  --json     print the JSON report (schema " INS_JSON_SCHEMA ")\n"
	    "  -h, --help this text\n");
}

int
inspect_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inspect *ins;
	char err[512];	/* holds a libpcap message (PCAP_ERRBUF_SIZE 256) */
	bool json = false;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			inspect_usage(stdout);
			return 0;
		default:
			inspect_usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		inspect_usage(stderr);
		return 2;
	}
	if ((ins = inspect_new()) == NULL) {
		fprintf(stderr, "pptpkit inspect: out of memory\n");
		return 1;
	}
	r = inspect_read_file(ins, argv[optind], err, sizeof(err));
	if (r != 0 && r != ERR_TRUNCATED) {
		fprintf(stderr, "pptpkit inspect: %s: %s\n", argv[optind], err);
		inspect_free(ins);
		return 1;
	}
	if (r == ERR_TRUNCATED)
		fprintf(stderr, "pptpkit inspect: %s: read error after frame "
		    "%u (%s); reporting what was read\n", argv[optind],
		    ins->frames, err);
	if (json)
		inspect_report_json(ins, argv[optind], stdout);
	else
		inspect_report_text(ins, argv[optind], stdout);
	inspect_free(ins);
	return 0;
}

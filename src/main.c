/*
 * main.c - the pptpkit program: one binary, one subcommand per face.
 */
#include <stdio.h>
#include <string.h>

#define PPTPKIT_VERSION "0.1.0"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: pptpkit <command> [options]\n"
	    "\n"
	    "pptpkit is an implementation of PPTP (RFC 2637) with its own PPP engine.\n"
	    "\n"
	    "commands:\n"
	    "  help          show this text\n"
	    "  version       print the version\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "version") == 0 ||
	    strcmp(argv[1], "--version") == 0) {
		printf("pptpkit %s\n", PPTPKIT_VERSION);
		return 0;
	}
	fprintf(stderr, "pptpkit: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

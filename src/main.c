/*
 * main.c - the pptpkit program: one binary, one subcommand per face.
 * A command is listed in --help only once it exists in this build.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#define PPTPKIT_VERSION "0.1.0"

struct command {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);
};

static const struct command commands[] = {
#ifdef PPTPKIT_HAVE_SERVER
	{ "server", "run a PPTP server (PAC) from a PoPToP configuration",
	    server_main },
#endif
#ifdef PPTPKIT_HAVE_CLIENT
	{ "client", "connect to a PPTP server (PNS) and bring up a tunnel",
	    client_main },
#endif
#ifdef PPTPKIT_HAVE_INSPECT
	{ "inspect", "analyze a capture of PPTP: calls, PPP, GRE, findings",
	    inspect_main },
#endif
	{ NULL, NULL, NULL },
};

static void
usage(FILE *f)
{
	const struct command *c;

	fprintf(f,
	    "usage: pptpkit <command> [options]\n"
	    "\n"
	    "pptpkit is an implementation of PPTP (RFC 2637) with its own PPP engine.\n"
	    "\n"
	    "commands:\n");
	for (c = commands; c->name != NULL; c++)
		fprintf(f, "  %-12s  %s\n", c->name, c->summary);
	fprintf(f,
	    "  help          show this text (pptpkit <command> --help for a command)\n"
	    "  version       print the version\n");
}

int
main(int argc, char **argv)
{
	const struct command *c;

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
	for (c = commands; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "pptpkit: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

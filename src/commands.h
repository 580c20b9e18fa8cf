/*
 * commands.h - entry points of pptpkit's subcommands, one per face.  Each
 * takes argv with argv[0] = the command name and returns the exit status.
 * A face defines PPTPKIT_HAVE_<NAME> in the Makefile once it exists.
 */
#ifndef PPTPKIT_COMMANDS_H
#define PPTPKIT_COMMANDS_H

int server_main(int argc, char **argv);	/* src/server/server_main.c */
int client_main(int argc, char **argv);	/* src/client/client_main.c */
int inspect_main(int argc, char **argv);	/* src/inspect/inspect_main.c */

#endif

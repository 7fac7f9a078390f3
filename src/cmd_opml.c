/*
 * cmd_opml.c - `deskwire opml` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_opml_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire opml: not implemented yet\n");
	return CMD_FAIL;
}

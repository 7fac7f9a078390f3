/*
 * cmd_fetch.c - `deskwire fetch` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_fetch_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire fetch: not implemented yet\n");
	return CMD_FAIL;
}

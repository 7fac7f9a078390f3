/*
 * cmd_analyze.c - `deskwire analyze` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_analyze_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire analyze: not implemented yet\n");
	return CMD_FAIL;
}

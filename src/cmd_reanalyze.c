/*
 * cmd_reanalyze.c - `deskwire reanalyze` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_reanalyze_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire reanalyze: not implemented yet\n");
	return CMD_FAIL;
}

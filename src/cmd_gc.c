/*
 * cmd_gc.c - `deskwire gc` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_gc_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire gc: not implemented yet\n");
	return CMD_FAIL;
}

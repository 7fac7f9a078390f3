/*
 * cmd_list.c - `deskwire list` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_list_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire list: not implemented yet\n");
	return CMD_FAIL;
}

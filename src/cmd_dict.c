/*
 * cmd_dict.c - `deskwire dict` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_dict_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire dict: not implemented yet\n");
	return CMD_FAIL;
}

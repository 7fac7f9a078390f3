/*
 * cmd_ui.c - `deskwire ui` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_ui_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire ui: not implemented yet\n");
	return CMD_FAIL;
}

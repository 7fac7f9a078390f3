/*
 * cmd_feeds.c - `deskwire feeds` (not implemented yet).
 */
#include <stdio.h>

#include "cmd.h"

int
cmd_feeds_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	fprintf(stderr, "deskwire feeds: not implemented yet\n");
	return CMD_FAIL;
}

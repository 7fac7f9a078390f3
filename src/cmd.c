/*
 * cmd.c - what the subcommands share: database path resolution, opening
 * the store and the analyzer with errors printed, option helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

char *
cmd_db_path(const struct cmd_ctx *ctx)
{
	if (ctx->opt_db != NULL)
		return xstrdup(ctx->opt_db);
	if (ctx->conf.db_path != NULL)
		return xstrdup(ctx->conf.db_path);
	return conf_default_db_path();
}

struct store *
cmd_open_store(const struct cmd_ctx *ctx, int flags)
{
	char err[1024], *path = cmd_db_path(ctx);
	struct store *s;

	if (path == NULL) {
		fprintf(stderr, "deskwire: no database path: set HOME, "
		    "XDG_DATA_HOME, --db or `database` in feeds.conf\n");
		return NULL;
	}
	s = store_open(path, flags, err, sizeof(err));
	if (s == NULL)
		fprintf(stderr, "deskwire: %s\n", err);
	free(path);
	return s;
}

struct analyze_ctx *
cmd_analyzer(const struct cmd_ctx *ctx)
{
	char err[1024];
	struct analyze_ctx *a;

	a = analyze_new(&ctx->conf, getenv("DESKWIRE_DATA"), err, sizeof(err));
	if (a == NULL)
		fprintf(stderr, "deskwire: %s\n", err);
	return a;
}

int
cmd_opt_value(int argc, char **argv, int *i, const char *name,
    const char *alias, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (strcmp(a, name) != 0 && (alias == NULL || strcmp(a, alias) != 0))
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "deskwire: option %s needs a value\n", a);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

int
cmd_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int
cmd_parse_format(const char *v, int allow_text)
{
	if (strcmp(v, "json") == 0)
		return CMD_FMT_JSON;
	if (strcmp(v, "tsv") == 0)
		return CMD_FMT_TSV;
	if (allow_text && strcmp(v, "text") == 0)
		return CMD_FMT_TEXT;
	fprintf(stderr, "deskwire: --format: expected json, tsv%s, got "
	    "'%s'\n", allow_text ? " or text" : "", v);
	return -1;
}

int
cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "deskwire %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'deskwire %s --help')\n", cmd);
	return CMD_USAGE;
}

/*
 * cmd.h - the subcommands (one src/cmd_NAME.c each) and what they share:
 * the parsed common options, the loaded configuration, option helpers.
 *
 * Every cmd_*_main() returns the process exit status: 0 ok, 1 runtime
 * failure, 2 usage or configuration error.  argv[0] is the subcommand
 * name; the common options (-c, --db, -v, --demo) are already removed.
 */
#ifndef DESKWIRE_CMD_H
#define DESKWIRE_CMD_H

#include <stdio.h>

#include "analyze.h"
#include "conf.h"
#include "store.h"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2 };

struct cmd_ctx {
	const char *opt_config;	/* -c/--config, or NULL */
	const char *opt_db;	/* --db, or NULL */
	int verbose;		/* -v count */
	int demo;		/* --demo */
	char *conf_path;	/* the file actually used (heap) */
	int conf_found;		/* 0: no file, defaults only */
	struct conf conf;
};

/* The database path: --db, else `database` in feeds.conf, else the XDG
 * default.  Heap string owned by the caller. */
char *cmd_db_path(const struct cmd_ctx *ctx);
/* Open the store (printing the error to stderr on failure: NULL). */
struct store *cmd_open_store(const struct cmd_ctx *ctx, int flags);
/* Build the analyzer from data/ and the config (error printed: NULL). */
struct analyze_ctx *cmd_analyzer(const struct cmd_ctx *ctx);

/*
 * Option helpers for argv loops.  cmd_opt_value() matches "--name VALUE"
 * and "--name=VALUE" (also a short alias like "-f", may be NULL) at
 * argv[*i]; on a match it sets *val, advances *i past the value and
 * returns 1; a missing value prints a usage error and returns -1; no match
 * returns 0.
 */
int cmd_opt_value(int argc, char **argv, int *i, const char *name,
    const char *alias, const char **val);
int cmd_is_help(const char *arg);
/* "--format json|tsv": returns 0 text, 1 json, 2 tsv; -1 (printed) bad. */
int cmd_parse_format(const char *v, int allow_text);
/* Print "deskwire CMD: MSG\n" to stderr and return CMD_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

enum { CMD_FMT_TEXT = 0, CMD_FMT_JSON = 1, CMD_FMT_TSV = 2 };

int cmd_ui_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_fetch_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_analyze_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_list_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_feeds_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_opml_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_dict_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_gc_main(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_reanalyze_main(struct cmd_ctx *ctx, int argc, char **argv);

#endif

/*
 * cmd_gc.c - `deskwire gc`: apply the retention rules now (older than N
 * days, beyond N per feed, starred items kept), optionally compacting
 * the file.  The dashboard's poller runs the same rules once a day.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

int
cmd_gc_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store *s;
	const char *v;
	char err[1024];
	long days = ctx->conf.retention_days;
	long per_feed = ctx->conf.retention_items, removed = 0;
	long long before, after;
	int i, r, vacuum = 0, rc = CMD_OK;

	for (i = 1; i < argc; i++) {
		if ((r = cmd_opt_value(argc, argv, &i, "--days", NULL,
		    &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (util_parse_long(v, 0, 1000000L, &days) < 0)
				return cmd_usage_error("gc", "--days: expected "
				    "a whole number of days (0 keeps all), "
				    "got '%s'", v);
		} else if ((r = cmd_opt_value(argc, argv, &i, "--per-feed",
		    NULL, &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (util_parse_long(v, 0, 100000000L, &per_feed) < 0)
				return cmd_usage_error("gc", "--per-feed: "
				    "expected a whole number of items (0: no "
				    "cap), got '%s'", v);
		} else if (strcmp(argv[i], "--vacuum") == 0)
			vacuum = 1;
		else if (argv[i][0] == '-')
			return cmd_usage_error("gc", "unknown option '%s'",
			    argv[i]);
		else
			return cmd_usage_error("gc", "unexpected argument "
			    "'%s'", argv[i]);
	}

	if ((s = cmd_open_store(ctx, 0)) == NULL)
		return CMD_FAIL;
	if (store_is_readonly(s)) {
		fprintf(stderr, "deskwire gc: %s: the database is read-only; "
		    "nothing removed\n", store_path(s));
		store_close(s);
		return CMD_FAIL;
	}
	if (store_gc(s, days, per_feed, &removed, err, sizeof(err)) < 0) {
		fprintf(stderr, "deskwire gc: %s\n", err);
		store_close(s);
		return CMD_FAIL;
	}
	printf("removed %ld item%s", removed, removed == 1 ? "" : "s");
	if (days > 0)
		printf(" (older than %ld day%s", days, days == 1 ? "" : "s");
	else
		printf(" (no age limit");
	if (per_feed > 0)
		printf(", beyond %ld per feed", per_feed);
	printf("; starred items kept)\n");
	if (vacuum) {
		before = file_size(store_path(s));
		if (store_vacuum(s, err, sizeof(err)) < 0) {
			fprintf(stderr, "deskwire gc: %s\n", err);
			rc = CMD_FAIL;
		} else {
			after = file_size(store_path(s));
			printf("compacted %s: %lld KiB -> %lld KiB\n",
			    store_path(s), before / 1024, after / 1024);
		}
	}
	store_close(s);
	return rc;
}

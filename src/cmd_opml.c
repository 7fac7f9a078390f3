/*
 * cmd_opml.c - `deskwire opml import FILE` appends the file's feeds to the
 * active feeds.conf (skipping URLs already there); `deskwire opml export`
 * prints the configured feeds as OPML 2.0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "opml.h"
#include "util.h"

#define OPML_FILE_MAX (16L << 20)

static int
do_import(struct cmd_ctx *ctx, const char *file)
{
	struct opml_feed *feeds = NULL;
	size_t n = 0, i, j, added = 0, skipped = 0;
	char err[1024], *buf = NULL;
	size_t len;
	int rc = CMD_FAIL;

	if (util_read_file(file, OPML_FILE_MAX, &buf, &len, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "deskwire opml: %s\n", err);
		rc = CMD_USAGE;
		goto out;
	}
	if (opml_parse(buf, len, &feeds, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "deskwire opml: %s: %s\n", file, err);
		rc = CMD_USAGE;
		goto out;
	}
	for (i = 0; i < n; i++) {
		int dup = 0;

		for (j = 0; j < ctx->conf.n_feeds && !dup; j++)
			dup = strcmp(ctx->conf.feeds[j].url, feeds[i].url) == 0;
		for (j = 0; j < i && !dup; j++)
			dup = strcmp(feeds[j].url, feeds[i].url) == 0;
		if (dup) {
			skipped++;
			continue;
		}
		if (conf_append_feed(ctx->conf_path, feeds[i].url,
		    feeds[i].title, &feeds[i].tags, err, sizeof(err)) < 0) {
			/* An unusable URL is reported, the rest go on. */
			fprintf(stderr, "deskwire opml: skipped %s: %s\n",
			    feeds[i].url, err);
			skipped++;
			continue;
		}
		added++;
	}
	printf("imported %zu feed%s into %s (%zu skipped)\n", added,
	    added == 1 ? "" : "s", ctx->conf_path, skipped);
	rc = CMD_OK;
out:
	opml_feeds_free(feeds, n);
	free(buf);
	return rc;
}

int
cmd_opml_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct strbuf sb;

	if (argc < 2)
		return cmd_usage_error("opml", "expected 'import FILE' or "
		    "'export'");
	if (strcmp(argv[1], "import") == 0) {
		if (argc != 3)
			return cmd_usage_error("opml", "import: expected one "
			    "FILE");
		return do_import(ctx, argv[2]);
	}
	if (strcmp(argv[1], "export") == 0) {
		if (argc != 2)
			return cmd_usage_error("opml", "export takes no "
			    "arguments");
		strbuf_init(&sb);
		opml_export(&ctx->conf, util_now(), &sb);
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_done(&sb);
		return fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
	}
	return cmd_usage_error("opml", "unknown action '%s'; expected import "
	    "or export", argv[1]);
}

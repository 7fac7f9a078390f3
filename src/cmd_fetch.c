/*
 * cmd_fetch.c - `deskwire fetch --once`: start the poller in once mode,
 * print the new and updated items as they arrive through the queue, then
 * report every feed that failed and exit 1 if any did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "itemq.h"
#include "poller.h"
#include "strbuf.h"
#include "util.h"

#define QUEUE_CAP 1024

/* Append s without control characters (C0, DEL, C1): network text must
 * not drive the terminal. */
static void
add_clean(struct strbuf *sb, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");

	for (; *u; u++) {
		if (*u < 0x20 || *u == 0x7f)
			strbuf_addc(sb, ' ');
		else if (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
			strbuf_addc(sb, ' ');
			u++;
		} else
			strbuf_addc(sb, (char)*u);
	}
}

static void
item_to_text(const struct item *it, struct strbuf *sb)
{
	const char *tk = item_primary_ticker(it);
	char when[32] = "";
	struct tm tm;

	if (it->published > 0 && localtime_r(&it->published, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	strbuf_addf(sb, "%-16s ", when);
	if (it->ann.valid)
		strbuf_addf(sb, "%.2f ", it->ann.impact);
	else
		strbuf_adds(sb, "   - ");
	strbuf_addf(sb, "%-6s ", tk != NULL ? tk : "-");
	add_clean(sb, it->feed);
	strbuf_adds(sb, ": ");
	add_clean(sb, it->title);
	if (it->is_update)
		strbuf_adds(sb, " (updated)");
	strbuf_addc(sb, '\n');
}

static void
print_items(struct item *list, int fmt, struct strbuf *sb)
{
	struct item *it, *next;

	strbuf_reset(sb);
	for (it = list; it != NULL; it = next) {
		next = it->next;
		if (fmt == CMD_FMT_JSON) {
			item_to_json(it, 0, sb);
			strbuf_addc(sb, '\n');
		} else if (fmt == CMD_FMT_TSV) {
			item_to_tsv(it, sb);
			strbuf_addc(sb, '\n');
		} else
			item_to_text(it, sb);
		item_free(it);
	}
	if (sb->len > 0)
		fwrite(sb->buf, 1, sb->len, stdout);
}

/* Report the feeds that failed; returns how many did. */
static size_t
report_failures(struct poller *p)
{
	struct poller_feed *v;
	struct strbuf sb;
	size_t n, i, bad = 0;

	strbuf_init(&sb);
	n = poller_feeds(p, &v);
	for (i = 0; i < n; i++) {
		const struct store_feed *st = &v[i].st;
		char when[32];
		struct tm tm;

		if (v[i].ok)
			continue;
		bad++;
		strbuf_reset(&sb);
		add_clean(&sb, st->name != NULL ? st->name : st->url);
		strbuf_adds(&sb, ": ");
		if (!v[i].polled)
			strbuf_adds(&sb, "not polled");
		else
			add_clean(&sb, st->last_error != NULL ?
			    st->last_error : "failed");
		if (v[i].skipped && localtime_r(&st->next_due, &tm) != NULL) {
			strftime(when, sizeof(when), "%H:%M", &tm);
			strbuf_addf(&sb, " (backing off until %s; --force "
			    "polls it now)", when);
		}
		fprintf(stderr, "deskwire: %s\n", sb.buf);
	}
	poller_feeds_free(v, n);
	strbuf_done(&sb);
	return bad;
}

int
cmd_fetch_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct itemq *q = NULL;
	struct poller *p = NULL;
	struct strbuf sb;
	char err[1024], *db = NULL;
	const char *v;
	int i, r, once = 0, force = 0, fmt = CMD_FMT_TEXT, rc = CMD_FAIL;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if ((r = cmd_opt_value(argc, argv, &i, "--format", "-f",
		    &v)) != 0) {
			if (r < 0 || (fmt = cmd_parse_format(v, 1)) < 0)
				return CMD_USAGE;
		} else
			return cmd_usage_error("fetch", "unknown argument '%s'",
			    argv[i]);
	}
	if (!once)
		return cmd_usage_error("fetch", "--once is required (the "
		    "dashboard polls continuously)");
	/* One burst of allocation, then exit: fewer page faults. */
	util_malloc_tune();
	if (ctx->conf.n_feeds == 0) {
		fprintf(stderr, "deskwire: no feeds configured%s%s; add feed "
		    "URLs to feeds.conf, one per line\n",
		    ctx->conf_found ? " in " : "",
		    ctx->conf_found ? ctx->conf_path : "");
		return CMD_USAGE;
	}
	strbuf_init(&sb);
	if ((db = cmd_db_path(ctx)) == NULL) {
		fprintf(stderr, "deskwire: no database path: set HOME, "
		    "XDG_DATA_HOME, --db or `database` in feeds.conf\n");
		goto out;
	}
	if ((q = itemq_new(QUEUE_CAP, err, sizeof(err))) == NULL) {
		fprintf(stderr, "deskwire: %s\n", err);
		goto out;
	}
	p = poller_start_lazy(&ctx->conf, db, getenv("DESKWIRE_DATA"), q,
	    POLLER_ONCE | (force ? POLLER_FORCE : 0), err, sizeof(err));
	if (p == NULL) {
		fprintf(stderr, "deskwire: %s\n", err);
		goto out;
	}
	for (;;) {
		struct item *list;

		itemq_wait(q, -1);
		list = itemq_drain(q, NULL);
		print_items(list, fmt, &sb);
		if (itemq_finished(q))
			break;
	}
	fflush(stdout);
	if (poller_error(p, err, sizeof(err))) {
		fprintf(stderr, "deskwire: %s\n", err);
		goto out;
	}
	rc = report_failures(p) > 0 ? CMD_FAIL : CMD_OK;
	if (ferror(stdout)) {
		fprintf(stderr, "deskwire: writing the items failed\n");
		rc = CMD_FAIL;
	}
out:
	poller_stop(p);
	itemq_free(q);
	free(db);
	strbuf_done(&sb);
	return rc;
}

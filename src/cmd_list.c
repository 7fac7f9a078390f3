/*
 * cmd_list.c - `deskwire list`: stored items matching filters, streamed
 * from the store newest first as JSON Lines (item_to_json, the pinned
 * fields), TSV or a readable line per item for the terminal.
 *
 * Text from feeds is untrusted: the text format drops control characters
 * (C0, DEL, C1) so a title cannot move the cursor or retitle the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "util.h"

struct list_out {
	int format;
	struct strbuf sb;
	int write_error;
};

/* Append s without terminal controls; newlines and tabs become spaces. */
static void
add_clean(struct strbuf *sb, const char *s, size_t max_bytes)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t start = sb->len;

	for (; *p; p++) {
		if (sb->len - start >= max_bytes) {
			/* Cut at a UTF-8 boundary. */
			while (sb->len > start &&
			    ((unsigned char)sb->buf[sb->len - 1] & 0xc0) == 0x80)
				sb->len--;
			if (sb->len > start &&
			    (unsigned char)sb->buf[sb->len - 1] >= 0xc0)
				sb->len--;
			sb->buf[sb->len] = '\0';
			strbuf_adds(sb, "...");
			return;
		}
		if (*p == '\t' || *p == '\n' || *p == '\r') {
			strbuf_addc(sb, ' ');
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			continue;
		/* C1 controls are U+0080..U+009F: 0xc2 0x80..0x9f. */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			p++;
			continue;
		}
		strbuf_addc(sb, (char)*p);
	}
}

static void
text_line(const struct item *it, struct strbuf *sb)
{
	char ts[32] = "                ";
	struct tm tm;
	size_t i, start;
	int n = 0;

	if (it->published > 0 && localtime_r(&it->published, &tm) != NULL)
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M", &tm);
	strbuf_addf(sb, "%s %c ", ts, it->starred ? '*' : it->read ? ' ' :
	    '+');
	if (it->ann.valid)
		strbuf_addf(sb, "%.2f  ", it->ann.impact);
	else
		strbuf_adds(sb, " --   ");
	start = sb->len;
	for (i = 0; it->ann.valid && i < it->ann.n_entities && n < 3; i++) {
		if (!it->ann.entities[i].ticker[0])
			continue;
		if (n++)
			strbuf_addc(sb, ',');
		add_clean(sb, it->ann.entities[i].ticker, ITEM_TICKER_LEN);
	}
	while (sb->len - start < 12)
		strbuf_addc(sb, ' ');
	strbuf_addc(sb, ' ');
	start = sb->len;
	add_clean(sb, it->feed, 18);
	while (sb->len - start < 18)
		strbuf_addc(sb, ' ');
	strbuf_adds(sb, "  ");
	add_clean(sb, it->title, 400);
	if (it->n_sources > 1)
		strbuf_addf(sb, "  [%d sources]", it->n_sources);
}

static int
print_item(void *arg, struct item *it)
{
	struct list_out *o = arg;

	strbuf_reset(&o->sb);
	if (o->format == CMD_FMT_JSON)
		item_to_json(it, 0, &o->sb);
	else if (o->format == CMD_FMT_TSV)
		item_to_tsv(it, &o->sb);
	else
		text_line(it, &o->sb);
	strbuf_addc(&o->sb, '\n');
	item_free(it);
	if (fwrite(o->sb.buf, 1, o->sb.len, stdout) != o->sb.len) {
		o->write_error = 1;
		return 1;	/* e.g. the reader of a pipe went away */
	}
	return 0;
}

int
cmd_list_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_query q;
	struct list_out o;
	struct store *s;
	const char *v;
	char err[1024];
	long n;
	double d;
	int i, r, rc = CMD_OK;

	memset(&q, 0, sizeof(q));
	memset(&o, 0, sizeof(o));
	o.format = CMD_FMT_TEXT;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((r = cmd_opt_value(argc, argv, &i, "--ticker", NULL,
		    &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (*v == '\0' || strlen(v) >= ITEM_TICKER_LEN)
				return cmd_usage_error("list", "--ticker: "
				    "expected a ticker symbol, got '%s'", v);
			q.ticker = v;
		} else if ((r = cmd_opt_value(argc, argv, &i, "--min-impact",
		    NULL, &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (util_parse_double(v, 0, 1, &d) < 0)
				return cmd_usage_error("list", "--min-impact: "
				    "expected a number from 0 to 1, got '%s'",
				    v);
			q.min_impact = d;
		} else if ((r = cmd_opt_value(argc, argv, &i, "--since", NULL,
		    &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (util_parse_duration(v, &n) < 0 || n <= 0)
				return cmd_usage_error("list", "--since: "
				    "expected a duration like 90s, 15m, 2h, 3d "
				    "or 1w, got '%s'", v);
			q.since = util_now() - (time_t)n;
			if (q.since <= 0)
				q.since = 1;
		} else if ((r = cmd_opt_value(argc, argv, &i, "--search", NULL,
		    &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			q.search = v;
		} else if ((r = cmd_opt_value(argc, argv, &i, "--category",
		    NULL, &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (*v == '\0')
				return cmd_usage_error("list", "--category: "
				    "expected a category name");
			q.category = v;
		} else if ((r = cmd_opt_value(argc, argv, &i, "--limit", NULL,
		    &v)) != 0) {
			if (r < 0)
				return CMD_USAGE;
			if (util_parse_long(v, 1, 100000000L, &n) < 0)
				return cmd_usage_error("list", "--limit: "
				    "expected a positive whole number, got "
				    "'%s'", v);
			q.limit = n;
		} else if ((r = cmd_opt_value(argc, argv, &i, "--format",
		    "-f", &v)) != 0) {
			if (r < 0 || (o.format = cmd_parse_format(v, 1)) < 0)
				return CMD_USAGE;
		} else if (strcmp(a, "--unread") == 0)
			q.unread_only = 1;
		else if (strcmp(a, "--starred") == 0)
			q.starred_only = 1;
		else if (strcmp(a, "--by-impact") == 0)
			q.by_impact = 1;
		else if (a[0] == '-')
			return cmd_usage_error("list", "unknown option '%s'", a);
		else
			return cmd_usage_error("list", "unexpected argument "
			    "'%s'", a);
	}

	if ((s = cmd_open_store(ctx, 0)) == NULL)
		return CMD_FAIL;
	strbuf_init(&o.sb);
	if (store_query_each(s, &q, print_item, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "deskwire list: %s\n", err);
		rc = CMD_FAIL;
	}
	if (fflush(stdout) != 0)
		o.write_error = 1;
	if (o.write_error && rc == CMD_OK)
		rc = CMD_FAIL;
	strbuf_done(&o.sb);
	store_close(s);
	return rc;
}

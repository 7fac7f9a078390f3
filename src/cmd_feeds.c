/*
 * cmd_feeds.c - `deskwire feeds`: each configured feed's polling state as
 * the store keeps it (last success, last error, HTTP status, items
 * stored, next poll).  The configured feeds are synced into the store
 * first, so a feed shows up (as "never polled") before its first poll.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "util.h"

/* "3h ago" / "in 12m" / "now". */
static void
rel_time(time_t t, time_t now, char *buf, size_t len)
{
	long d = (long)(t - now), a = d < 0 ? -d : d;
	const char *unit = "s";
	long v = a;

	if (a < 60) {
		snprintf(buf, len, "%s", d <= 0 ? "now" : "in <1m");
		return;
	}
	if (a >= 86400) {
		v = a / 86400;
		unit = "d";
	} else if (a >= 3600) {
		v = a / 3600;
		unit = "h";
	} else {
		v = a / 60;
		unit = "m";
	}
	if (d < 0)
		snprintf(buf, len, "%ld%s ago", v, unit);
	else
		snprintf(buf, len, "in %ld%s", v, unit);
}

static void
iso_or_empty(time_t t, char *buf, size_t len)
{
	if (t > 0)
		util_iso8601(t, buf, len);
	else
		buf[0] = '\0';
}

/* Untrusted text (feed names, server error strings) on one line. */
static void
add_clean(struct strbuf *sb, const char *s)
{
	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\t' || c == '\n' || c == '\r')
			strbuf_addc(sb, ' ');
		else if (c >= 0x20 && c != 0x7f)
			strbuf_addc(sb, (char)c);
	}
}

static void
print_feed(const struct conf_feed *cf, const struct store_feed *f,
    int format, time_t now, struct strbuf *sb)
{
	char ls[32], la[32], nd[32], rel[32];
	const char *name = cf->name ? cf->name : f->name ? f->name : cf->url;

	strbuf_reset(sb);
	iso_or_empty(f->last_success, ls, sizeof(ls));
	iso_or_empty(f->last_attempt, la, sizeof(la));
	iso_or_empty(f->next_due, nd, sizeof(nd));
	if (format == CMD_FMT_JSON) {
		strbuf_adds(sb, "{\"name\":");
		strbuf_add_json_str(sb, name);
		strbuf_adds(sb, ",\"url\":");
		strbuf_add_json_str(sb, cf->url);
		strbuf_adds(sb, ",\"last_success\":");
		strbuf_add_json_str(sb, ls[0] ? ls : NULL);
		strbuf_adds(sb, ",\"last_attempt\":");
		strbuf_add_json_str(sb, la[0] ? la : NULL);
		strbuf_adds(sb, ",\"last_error\":");
		strbuf_add_json_str(sb, f->last_error);
		strbuf_adds(sb, ",\"warning\":");
		strbuf_add_json_str(sb, f->warning);
		strbuf_addf(sb, ",\"http_status\":%d,\"failures\":%d,"
		    "\"items\":%ld,\"items_seen\":%ld,\"next_poll\":",
		    f->http_status, f->failures, f->n_items, f->items_seen);
		strbuf_add_json_str(sb, nd[0] ? nd : NULL);
		strbuf_adds(sb, "}\n");
		return;
	}
	if (format == CMD_FMT_TSV) {
		add_clean(sb, name);
		strbuf_addf(sb, "\t%s\t%s\t%d\t%ld\t%s\t", cf->url, ls,
		    f->http_status, f->n_items, nd);
		add_clean(sb, f->last_error);
		strbuf_addc(sb, '\n');
		return;
	}
	add_clean(sb, name);
	strbuf_adds(sb, "  ");
	strbuf_adds(sb, cf->url);
	strbuf_adds(sb, "\n  ");
	if (f->last_attempt == 0)
		strbuf_adds(sb, "never polled");
	else if (f->last_success > 0) {
		rel_time(f->last_success, now, rel, sizeof(rel));
		strbuf_addf(sb, "last success %s (%s)", ls, rel);
	} else
		strbuf_adds(sb, "never succeeded");
	if (f->http_status > 0)
		strbuf_addf(sb, ", HTTP %d", f->http_status);
	strbuf_addf(sb, ", %ld item%s stored", f->n_items,
	    f->n_items == 1 ? "" : "s");
	if (f->next_due > 0) {
		rel_time(f->next_due, now, rel, sizeof(rel));
		strbuf_addf(sb, ", next poll %s", rel);
	} else
		strbuf_adds(sb, ", next poll: at start");
	strbuf_addc(sb, '\n');
	if (f->last_error != NULL) {
		strbuf_adds(sb, "  last error: ");
		add_clean(sb, f->last_error);
		if (f->failures > 1)
			strbuf_addf(sb, " (%d failures in a row)",
			    f->failures);
		strbuf_addc(sb, '\n');
	}
	if (f->warning != NULL) {
		strbuf_adds(sb, "  read with repairs: ");
		add_clean(sb, f->warning);
		strbuf_addc(sb, '\n');
	}
}

int
cmd_feeds_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store_feed f;
	struct strbuf sb;
	struct store *s;
	const char *v;
	char err[1024];
	time_t now = util_now();
	size_t k;
	int i, r, format = CMD_FMT_TEXT, rc = CMD_OK;

	for (i = 1; i < argc; i++) {
		if ((r = cmd_opt_value(argc, argv, &i, "--format", "-f",
		    &v)) != 0) {
			if (r < 0 || (format = cmd_parse_format(v, 1)) < 0)
				return CMD_USAGE;
		} else if (argv[i][0] == '-')
			return cmd_usage_error("feeds", "unknown option '%s'",
			    argv[i]);
		else
			return cmd_usage_error("feeds", "unexpected argument "
			    "'%s'", argv[i]);
	}
	if ((s = cmd_open_store(ctx, 0)) == NULL)
		return CMD_FAIL;
	if (store_sync_feeds(s, &ctx->conf, err, sizeof(err)) < 0)
		fprintf(stderr, "deskwire feeds: %s\n", err);
	if (ctx->conf.n_feeds == 0)
		fprintf(stderr, "deskwire feeds: no feeds configured in %s\n",
		    ctx->conf_path ? ctx->conf_path : "feeds.conf");
	strbuf_init(&sb);
	for (k = 0; k < ctx->conf.n_feeds; k++) {
		const struct conf_feed *cf = &ctx->conf.feeds[k];

		/* Unknown (read-only store never synced): never polled. */
		if (store_feed_get(s, cf->url, &f, err, sizeof(err)) < 0)
			memset(&f, 0, sizeof(f));
		print_feed(cf, &f, format, now, &sb);
		fwrite(sb.buf, 1, sb.len, stdout);
		store_feed_clear(&f);
	}
	strbuf_done(&sb);
	if (fflush(stdout) != 0)
		rc = CMD_FAIL;
	store_close(s);
	return rc;
}

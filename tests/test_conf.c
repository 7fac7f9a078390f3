/*
 * test_conf.c - feeds.conf: every global setting, the defaults, feed lines,
 * directives, quoting, comments, CRLF and BOM, plain URL lists, every
 * error message word for word, the config file lookup order and appending
 * feeds (what `opml import` writes must load again).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "strbuf.h"
#include "util.h"

#define DATA "tests/data/conf/"

/* Parse text as "t.conf"; the test fails if it does not parse. */
static void
parse_ok(struct conf *c, const char *text)
{
	char err[1024] = "";

	conf_init(c);
	if (conf_parse(c, "t.conf", text, strlen(text), err,
	    sizeof(err)) != 0)
		fail_msg("unexpected error: %s", err);
}

/* Parse text as "t.conf"; it must fail with exactly want. */
static void
parse_err(const char *text, const char *want)
{
	struct conf c;
	char err[1024] = "";

	conf_init(&c);
	assert_int_equal(conf_parse(&c, "t.conf", text, strlen(text), err,
	    sizeof(err)), -1);
	assert_string_equal(err, want);
	conf_free(&c);
}

static void
assert_strv(const struct conf_strv *v, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < v->n);
		assert_string_equal(v->v[i], want[i]);
	}
	assert_int_equal(v->n, i);
	assert_null(v->v == NULL ? NULL : v->v[v->n]);
}

static void
load_ok(struct conf *c, const char *path)
{
	char err[1024] = "";

	if (conf_load(c, path, err, sizeof(err)) != 0)
		fail_msg("unexpected error: %s", err);
}

/* ---- defaults and every setting ---------------------------------------- */

static void
test_defaults(void **state)
{
	struct conf c;

	(void)state;
	conf_init(&c);
	assert_null(c.path);
	assert_int_equal(c.refresh, 15 * 60);
	assert_int_equal(c.max_connections, 16);
	assert_int_equal(c.max_per_host, 4);
	assert_int_equal(c.connect_timeout, 10);
	assert_int_equal(c.timeout, 30);
	assert_int_equal(c.max_body, 8L << 20);
	assert_int_equal(c.max_items, 500);
	assert_null(c.db_path);
	assert_int_equal(c.retention_days, 30);
	assert_int_equal(c.retention_items, 0);
	assert_string_equal(c.theme, "default");
	assert_string_equal(c.time_format, "%H:%M:%S");
	assert_int_equal(c.watchlist.n, 0);
	assert_true(c.alert_threshold > 0.599 && c.alert_threshold < 0.601);
	assert_string_equal(c.alert_style, "flash");
	assert_int_equal(c.alert_cmd.n, 0);
	assert_int_equal(c.alert_timeout, 10);
	assert_int_equal(c.browser.n, 0);
	assert_int_equal(c.analysis_cmd.n, 0);
	assert_true(c.analysis_threshold > 0.599 &&
	    c.analysis_threshold < 0.601);
	assert_int_equal(c.analysis_jobs, 2);
	assert_int_equal(c.analysis_timeout, 60);
	assert_int_equal(c.analysis_max_output, 64L << 10);
	assert_int_equal(c.n_feeds, 0);
	assert_int_equal(c.n_tickers, 0);
	assert_int_equal(c.n_categories, 0);
	assert_int_equal(c.n_alerts, 0);
	assert_int_equal(c.n_binds, 0);
	conf_free(&c);
	/* conf_free leaves it ready for conf_init again. */
	conf_init(&c);
	assert_string_equal(c.theme, "default");
	conf_free(&c);
}

static void
test_every_setting(void **state)
{
	static const char *const wl[] = { "AMZN", "NVDA", "BRK.B", "TSLA",
		NULL };
	static const char *const acmd[] = { "notify-send", "deskwire alert",
		"--urgency=critical", NULL };
	static const char *const br[] = { "firefox", "--new-tab", "%u",
		NULL };
	static const char *const ancmd[] = { "/usr/local/bin/deep analysis",
		"--json", NULL };
	const char *home = getenv("HOME");
	char *db;
	struct conf c;

	(void)state;
	assert_non_null(home);
	load_ok(&c, DATA "full.conf");
	assert_string_equal(c.path, DATA "full.conf");
	assert_int_equal(c.refresh, 300);
	assert_int_equal(c.max_connections, 32);
	assert_int_equal(c.max_per_host, 2);
	assert_int_equal(c.connect_timeout, 5);
	assert_int_equal(c.timeout, 120);
	assert_int_equal(c.max_body, 512 * 1024);
	assert_int_equal(c.max_items, 200);
	db = xasprintf("%s/data/deskwire.db", home);
	assert_string_equal(c.db_path, db);
	free(db);
	assert_int_equal(c.retention_days, 7);
	assert_int_equal(c.retention_items, 1000);
	assert_string_equal(c.theme, "solarized-dark");
	assert_string_equal(c.time_format, "%d %b %H:%M");
	assert_strv(&c.watchlist, wl);
	assert_true(c.alert_threshold > 0.749 && c.alert_threshold < 0.751);
	assert_string_equal(c.alert_style, "both");
	assert_strv(&c.alert_cmd, acmd);
	assert_int_equal(c.alert_timeout, 20);
	assert_strv(&c.browser, br);
	assert_strv(&c.analysis_cmd, ancmd);
	assert_true(c.analysis_threshold > 0.799 &&
	    c.analysis_threshold < 0.801);
	assert_int_equal(c.analysis_jobs, 4);
	assert_int_equal(c.analysis_timeout, 120);
	assert_int_equal(c.analysis_max_output, 128 * 1024);
	assert_int_equal(c.n_feeds, 3);
	assert_int_equal(c.n_tickers, 3);
	assert_int_equal(c.n_categories, 1);
	assert_int_equal(c.n_alerts, 1);
	assert_int_equal(c.n_binds, 2);
	assert_true(conf_on_watchlist(&c, "brk.b"));
	assert_true(conf_on_watchlist(&c, "NVDA"));
	assert_false(conf_on_watchlist(&c, "AAPL"));
	conf_free(&c);
}

static void
test_setting_forms(void **state)
{
	struct conf c;

	(void)state;
	/* Units, bounds, spacing, quoting and later lines winning. */
	parse_ok(&c, "refresh=90\nrefresh = 2h\n"
	    "connect_timeout = 600\ntimeout\t=\t1h\n"
	    "max_body = 1G\nanalysis_max_output = 256\n"
	    "max_items = 100000\nretention_days = 0\n"
	    "alert_threshold = 0\nanalysis_threshold = 1\n"
	    "alert_style = none\nalert_cmd =\nbrowser = ''\n"
	    "database = /var/lib/deskwire.db\n"
	    "theme = 'high-contrast'\n");
	assert_int_equal(c.refresh, 7200);
	assert_int_equal(c.connect_timeout, 600);
	assert_int_equal(c.timeout, 3600);
	assert_int_equal(c.max_body, 1L << 30);
	assert_int_equal(c.analysis_max_output, 256);
	assert_int_equal(c.max_items, 100000);
	assert_int_equal(c.retention_days, 0);
	assert_true(c.alert_threshold == 0.0);
	assert_true(c.analysis_threshold == 1.0);
	assert_string_equal(c.alert_style, "none");
	assert_int_equal(c.alert_cmd.n, 0);
	assert_int_equal(c.browser.n, 1);
	assert_string_equal(c.db_path, "/var/lib/deskwire.db");
	assert_string_equal(c.theme, "high-contrast");
	conf_free(&c);

	/* Sizes: suffixes in either case, with or without B / iB. */
	parse_ok(&c, "max_body = 2mb\nanalysis_max_output = 1KiB\n");
	assert_int_equal(c.max_body, 2L << 20);
	assert_int_equal(c.analysis_max_output, 1024);
	conf_free(&c);
	parse_ok(&c, "max_body = 1.5M\n");
	assert_int_equal(c.max_body, 3L << 19);
	conf_free(&c);

	/* ~ expands to $HOME only as a whole first component. */
	parse_ok(&c, "database = ~\n");
	assert_string_equal(c.db_path, getenv("HOME"));
	conf_free(&c);
	parse_ok(&c, "database = ~other/x.db\n");
	assert_string_equal(c.db_path, "~other/x.db");
	conf_free(&c);
	parse_ok(&c, "database = \"~/My Data/news.db\"\n");
	assert_true(strncmp(c.db_path, getenv("HOME"),
	    strlen(getenv("HOME"))) == 0);
	assert_string_equal(c.db_path + strlen(getenv("HOME")),
	    "/My Data/news.db");
	conf_free(&c);
}

static void
test_watchlist(void **state)
{
	static const char *const want[] = { "AMZN", "NVDA", "BRK.B", "RDS-A",
		"AAPL", NULL };
	static const char *const one[] = { "META", NULL };
	struct conf c;

	(void)state;
	/* Spaces, commas, $ prefixes, lower case, repeats. */
	parse_ok(&c, "watchlist = amzn,$nvda  brk.b, rds-a,,AAPL $amzn\n");
	assert_strv(&c.watchlist, want);
	assert_true(conf_on_watchlist(&c, "Amzn"));
	assert_false(conf_on_watchlist(&c, "$AMZN"));
	conf_free(&c);
	/* A later watchlist line replaces the earlier one. */
	parse_ok(&c, "watchlist = AMZN NVDA\nwatchlist = meta\n");
	assert_strv(&c.watchlist, one);
	conf_free(&c);
	parse_ok(&c, "watchlist =\n");
	assert_int_equal(c.watchlist.n, 0);
	conf_free(&c);
}

/* ---- feeds ------------------------------------------------------------- */

static void
test_feed_lines(void **state)
{
	static const char *const tags[] = { "macro", "fed", "rates", NULL };
	static const char *const spaced[] = { "central banks", "Europe",
		NULL };
	struct conf c;
	const struct conf_feed *f;

	(void)state;
	parse_ok(&c,
	    "https://www.federalreserve.gov/feeds/press_all.xml\n"
	    "feed https://www.ecb.europa.eu/rss/press.html\n"
	    "https://x.example.com/a.xml name=\"Fed Monetary\" refresh=5m "
	    "weight=1.0 tags=macro,fed,rates\n"
	    "feed https://b.example.com/r name='Wire \"One\"' weight=0 "
	    "tags=\"central banks, Europe\"\n"
	    "https://c.example.com/r name=\"Say \\\"hi\\\" \\\\o/\"\n"
	    "https://d.example.com/r name=Plain\\ Name refresh=90\n");
	assert_int_equal(c.n_feeds, 6);

	f = &c.feeds[0];
	assert_string_equal(f->url,
	    "https://www.federalreserve.gov/feeds/press_all.xml");
	assert_string_equal(f->name, "federalreserve.gov");
	assert_int_equal(f->refresh, 0);
	assert_true(f->weight > 0.499 && f->weight < 0.501);
	assert_int_equal(f->tags.n, 0);
	assert_int_equal(f->line, 1);

	f = &c.feeds[1];
	assert_string_equal(f->url, "https://www.ecb.europa.eu/rss/press.html");
	assert_string_equal(f->name, "ecb.europa.eu");
	assert_int_equal(f->line, 2);

	f = &c.feeds[2];
	assert_string_equal(f->name, "Fed Monetary");
	assert_int_equal(f->refresh, 300);
	assert_true(f->weight > 0.999);
	assert_strv(&f->tags, tags);

	f = &c.feeds[3];
	assert_string_equal(f->name, "Wire \"One\"");
	assert_true(f->weight == 0.0);
	assert_strv(&f->tags, spaced);

	assert_string_equal(c.feeds[4].name, "Say \"hi\" \\o/");
	assert_string_equal(c.feeds[5].name, "Plain Name");
	assert_int_equal(c.feeds[5].refresh, 90);
	conf_free(&c);
}

static void
test_feed_urls(void **state)
{
	struct conf c;

	(void)state;
	parse_ok(&c,
	    /* '#' inside a word is a fragment, not a comment */
	    "https://example.com/feed.xml#latest\n"
	    /* quoted: & and # and = stay */
	    "\"https://search.cnbc.com/rs/view.xml?partnerId=wrss01&id=10\""
	    " name=CNBC # a comment\n"
	    /* unquoted query string with & and = */
	    "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&"
	    "type=8-K&output=atom\n"
	    "'https://www.ft.com/markets?format=rss#top'\n"
	    "file:///var/lib/feeds/local.xml\n"
	    "http://127.0.0.1:8080/feed.xml\n"
	    "http://user:secret@news.example.org:8443/rss\n"
	    "http://[::1]:8080/feed\n"
	    "https://www.example.com # trailing comment\n");
	assert_int_equal(c.n_feeds, 9);
	assert_string_equal(c.feeds[0].url,
	    "https://example.com/feed.xml#latest");
	assert_string_equal(c.feeds[0].name, "example.com");
	assert_string_equal(c.feeds[1].url,
	    "https://search.cnbc.com/rs/view.xml?partnerId=wrss01&id=10");
	assert_string_equal(c.feeds[1].name, "CNBC");
	assert_string_equal(c.feeds[2].url,
	    "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&"
	    "type=8-K&output=atom");
	assert_string_equal(c.feeds[2].name, "sec.gov");
	assert_string_equal(c.feeds[3].url,
	    "https://www.ft.com/markets?format=rss#top");
	assert_string_equal(c.feeds[3].name, "ft.com");
	assert_string_equal(c.feeds[4].url, "file:///var/lib/feeds/local.xml");
	assert_string_equal(c.feeds[5].name, "127.0.0.1");
	assert_string_equal(c.feeds[6].name, "news.example.org");
	assert_string_equal(c.feeds[7].name, "::1");
	assert_string_equal(c.feeds[8].url, "https://www.example.com");
	assert_string_equal(c.feeds[8].name, "example.com");
	conf_free(&c);
}

static void
test_plain_url_list(void **state)
{
	struct conf c;

	(void)state;
	/* A newsboat-style urls file is a valid feeds.conf as it is. */
	load_ok(&c, DATA "urls.conf");
	assert_int_equal(c.n_feeds, 6);
	assert_string_equal(c.feeds[0].url,
	    "https://www.federalreserve.gov/feeds/press_all.xml");
	assert_int_equal(c.feeds[2].line, 4);
	assert_string_equal(c.feeds[4].url,
	    "https://feeds.finance.yahoo.com/rss/2.0/headline?s=AMZN,NVDA&"
	    "region=US&lang=en-US");
	assert_string_equal(c.feeds[5].url,
	    "http://127.0.0.1:8080/feed.xml#latest");
	assert_int_equal(c.refresh, 15 * 60);
	conf_free(&c);
}

static void
test_newsboat_urls_with_tags(void **state)
{
	struct conf c;
	static const char *const tags0[] = { "macro", "fed", NULL };
	static const char *const none[] = { NULL };

	(void)state;
	/* newsboat's urls file: "tag" words, "~Title", "!" and query feeds. */
	parse_ok(&c,
	    "https://www.federalreserve.gov/feeds/press_all.xml macro \"fed\"\n"
	    "https://example.com/a.xml \"~Example Wire\" !\n"
	    "\"query:Unread:unread = \\\"yes\\\"\"\n");
	assert_int_equal(c.n_feeds, 2);
	assert_strv(&c.feeds[0].tags, tags0);
	assert_string_equal(c.feeds[0].name, "federalreserve.gov");
	assert_string_equal(c.feeds[1].name, "Example Wire");
	assert_strv(&c.feeds[1].tags, none);
	conf_free(&c);
}

static void
test_shipped_conf(void **state)
{
	struct conf c;
	size_t i;

	(void)state;
	/* The example shipped with the program must load. */
	load_ok(&c, "feeds.conf");
	assert_true(c.n_feeds >= 20);
	assert_true(c.watchlist.n > 0);
	for (i = 0; i < c.n_feeds; i++) {
		assert_true(strncmp(c.feeds[i].url, "https://", 8) == 0);
		assert_non_null(c.feeds[i].name);
	}
	conf_free(&c);
}

/* ---- directives -------------------------------------------------------- */

static void
test_directives(void **state)
{
	static const char *const amzn[] = { "Amazon Web Services", "AWS",
		"Amazon.com", NULL };
	static const char *const xyz[] = { "Xyz Holdings", "Xyz", NULL };
	static const char *const mistral[] = { "Mistral", NULL };
	static const char *const space[] = { "rocket", "launch",
		"low earth orbit", NULL };
	static const char *const at[] = { "AMZN", "NVDA", NULL };
	static const char *const ac[] = { "Regulation & Legal", NULL };
	static const char *const ak[] = { "recall", "cuts guidance", NULL };
	struct conf c;

	(void)state;
	parse_ok(&c,
	    "alias AMZN \"Amazon Web Services\" AWS\n"
	    "alias $amzn Amazon.com\n"
	    "ticker xyz \"Xyz Holdings\" \"Xyz\"\n"
	    "private \"Mistral AI\" Mistral\n"
	    "category \"Space\" rocket launch \"low earth orbit\"\n"
	    "alert ticker=AMZN,nvda category=\"Regulation & Legal\" "
	    "keyword=\"recall,cuts guidance\" min_impact=0.4\n"
	    "alert keyword=bankruptcy\n"
	    "bind J next\n"
	    "bind ^D page_down\n"
	    "bind Space star\n");
	/* Two alias lines for one ticker make one entry. */
	assert_int_equal(c.n_tickers, 3);
	assert_string_equal(c.tickers[0].ticker, "AMZN");
	assert_null(c.tickers[0].name);
	assert_strv(&c.tickers[0].aliases, amzn);
	assert_string_equal(c.tickers[1].ticker, "XYZ");
	assert_string_equal(c.tickers[1].name, "Xyz Holdings");
	assert_strv(&c.tickers[1].aliases, xyz);
	assert_null(c.tickers[2].ticker);
	assert_string_equal(c.tickers[2].name, "Mistral AI");
	assert_strv(&c.tickers[2].aliases, mistral);

	assert_int_equal(c.n_categories, 1);
	assert_string_equal(c.categories[0].name, "Space");
	assert_strv(&c.categories[0].keywords, space);

	assert_int_equal(c.n_alerts, 2);
	assert_strv(&c.alerts[0].tickers, at);
	assert_strv(&c.alerts[0].categories, ac);
	assert_strv(&c.alerts[0].keywords, ak);
	assert_true(c.alerts[0].min_impact > 0.399 &&
	    c.alerts[0].min_impact < 0.401);
	assert_int_equal(c.alerts[1].tickers.n, 0);
	assert_true(c.alerts[1].min_impact < 0);

	assert_int_equal(c.n_binds, 3);
	assert_string_equal(c.binds[0].key, "J");
	assert_string_equal(c.binds[0].action, "next");
	assert_string_equal(c.binds[1].key, "^D");
	assert_string_equal(c.binds[1].action, "page_down");
	assert_string_equal(c.binds[2].key, "Space");
	conf_free(&c);
}

static void
test_bind_actions(void **state)
{
	struct conf c;
	size_t i;
	char line[128];

	(void)state;
	/* Every documented action is accepted. */
	for (i = 0; conf_bind_actions[i] != NULL; i++) {
		snprintf(line, sizeof(line), "bind x %s\n",
		    conf_bind_actions[i]);
		parse_ok(&c, line);
		assert_int_equal(c.n_binds, 1);
		assert_string_equal(c.binds[0].action, conf_bind_actions[i]);
		conf_free(&c);
	}
	assert_true(i >= 20);
}

/* ---- quoting, comments, line endings ----------------------------------- */

static void
test_quoting_and_comments(void **state)
{
	struct conf c;

	(void)state;
	parse_ok(&c,
	    "# a comment line\n"
	    "   # an indented comment\n"
	    "\n"
	    "   \t \n"
	    "time_format = \"%H:%M # not a comment\"\n"
	    "theme = 'it''s'\n"
	    "https://a.example.com/r name=\"a # b\" # this is one\n"
	    "https://b.example.com/r name='back\\slash \"dq\"'\n"
	    "https://c.example.com/r name=\"tab\\there\"\n");
	assert_string_equal(c.time_format, "%H:%M # not a comment");
	/* Adjacent quoted parts join into one word, like a shell. */
	assert_string_equal(c.theme, "its");
	assert_string_equal(c.feeds[0].name, "a # b");
	/* No escapes inside single quotes. */
	assert_string_equal(c.feeds[1].name, "back\\slash \"dq\"");
	/* Only \" and \\ escape inside double quotes. */
	assert_string_equal(c.feeds[2].name, "tab\\there");
	conf_free(&c);
}

static void
test_crlf_and_bom(void **state)
{
	static const char *const wl[] = { "AMZN", "NVDA", NULL };
	static const char text[] =
	    "\xef\xbb\xbf# saved by a Windows editor\r\n"
	    "refresh = 5m\r\n"
	    "\r\n"
	    "watchlist = AMZN NVDA\r\n"
	    "time_format = \"%H:%M\"\r\n"
	    "https://www.sec.gov/news/pressreleases.rss name=\"SEC\"\r\n"
	    "https://www.ecb.europa.eu/rss/press.html\r\n";
	struct conf c;

	(void)state;
	parse_ok(&c, text);
	assert_int_equal(c.refresh, 300);
	assert_strv(&c.watchlist, wl);
	assert_string_equal(c.time_format, "%H:%M");
	assert_int_equal(c.n_feeds, 2);
	assert_string_equal(c.feeds[0].name, "SEC");
	assert_string_equal(c.feeds[1].url,
	    "https://www.ecb.europa.eu/rss/press.html");
	assert_int_equal(c.feeds[1].line, 7);
	conf_free(&c);
	/* Errors count lines the same way under CRLF and a BOM. */
	parse_err("\xef\xbb\xbfrefresh = 5m\r\n\r\nrefresh = soon\r\n",
	    "t.conf:3: refresh: expected a duration like 90s, 15m, 2h "
	    "(10s to 604800s), got 'soon'");
	/* A BOM before a URL on the first line. */
	parse_ok(&c, "\xef\xbb\xbfhttps://example.com/rss\n");
	assert_int_equal(c.n_feeds, 1);
	assert_string_equal(c.feeds[0].url, "https://example.com/rss");
	conf_free(&c);
	/* No newline at the end of the file. */
	parse_ok(&c, "https://example.com/rss");
	assert_int_equal(c.n_feeds, 1);
	conf_free(&c);
}

/* ---- every error message ----------------------------------------------- */

static void
test_errors_settings(void **state)
{
	(void)state;
	parse_err("# comment\n\nrefesh = 10m\n",
	    "t.conf:3: unknown setting 'refesh' (did you mean 'refresh'?)");
	parse_err("max_conections = 4\n",
	    "t.conf:1: unknown setting 'max_conections' (did you mean "
	    "'max_connections'?)");
	parse_err("colour = red\n", "t.conf:1: unknown setting 'colour'");
	parse_err("refresh = 10x\n",
	    "t.conf:1: refresh: expected a duration like 90s, 15m, 2h "
	    "(10s to 604800s), got '10x'");
	parse_err("refresh = 5\n",
	    "t.conf:1: refresh: expected a duration like 90s, 15m, 2h "
	    "(10s to 604800s), got '5'");
	parse_err("timeout = 2h\n",
	    "t.conf:1: timeout: expected a duration like 90s, 15m, 2h "
	    "(1s to 3600s), got '2h'");
	parse_err("max_connections = 0\n",
	    "t.conf:1: max_connections: expected a whole number from 1 to "
	    "256, got '0'");
	parse_err("max_per_host = 4.5\n",
	    "t.conf:1: max_per_host: expected a whole number from 1 to 64, "
	    "got '4.5'");
	parse_err("analysis_jobs = 17\n",
	    "t.conf:1: analysis_jobs: expected a whole number from 1 to 16, "
	    "got '17'");
	parse_err("retention_days = -1\n",
	    "t.conf:1: retention_days: expected a whole number from 0 to "
	    "36500, got '-1'");
	parse_err("max_body = 10Q\n",
	    "t.conf:1: max_body: expected a size like 512K, 8M, 1G (1024 to "
	    "1073741824 bytes), got '10Q'");
	parse_err("max_body = 2G\n",
	    "t.conf:1: max_body: expected a size like 512K, 8M, 1G (1024 to "
	    "1073741824 bytes), got '2G'");
	parse_err("analysis_max_output = 100\n",
	    "t.conf:1: analysis_max_output: expected a size like 512K, 8M, "
	    "1G (256 to 16777216 bytes), got '100'");
	parse_err("alert_threshold = 1.5\n",
	    "t.conf:1: alert_threshold: expected a number from 0 to 1, "
	    "got '1.5'");
	parse_err("analysis_threshold = high\n",
	    "t.conf:1: analysis_threshold: expected a number from 0 to 1, "
	    "got 'high'");
	parse_err("alert_style = flsh\n",
	    "t.conf:1: alert_style: expected flash, beep, both or none, "
	    "got 'flsh' (did you mean 'flash'?)");
	parse_err("alert_style = loud\n",
	    "t.conf:1: alert_style: expected flash, beep, both or none, "
	    "got 'loud'");
	parse_err("theme = \"solarized dark\n",
	    "t.conf:1: theme: expected a closing \"");
	parse_err("theme = solarized dark\n",
	    "t.conf:1: theme: expected one value (quote values with "
	    "spaces)");
	parse_err("refresh =\n", "t.conf:1: refresh: expected one value");
	parse_err("theme = \"\"\n", "t.conf:1: theme: expected a value");
	parse_err("watchlist = AMZN N@VDA\n",
	    "t.conf:1: watchlist: expected ticker symbols like AMZN BRK.B "
	    "separated by spaces or commas");
	parse_err("watchlist = AMZN $\n",
	    "t.conf:1: watchlist: expected ticker symbols like AMZN BRK.B "
	    "separated by spaces or commas");
	parse_err("alert_cmd = notify-send 'unterminated\n",
	    "t.conf:1: alert_cmd: expected a closing '");
}

static void
test_errors_feeds(void **state)
{
	(void)state;
	parse_err("https://example.com/rss name=\"Wire\n",
	    "t.conf:1: expected a closing \"");
	parse_err("https://example.com/rss name='Wire\n",
	    "t.conf:1: expected a closing '");
	parse_err("https://example.com/rss nmae=Wire\n",
	    "t.conf:1: unknown feed option 'nmae' (did you mean 'name'?); "
	    "expected name=, refresh=, weight= or tags=");
	parse_err("https://example.com/rss tag=macro\n",
	    "t.conf:1: unknown feed option 'tag' (did you mean 'tags'?); "
	    "expected name=, refresh=, weight= or tags=");
	parse_err("https://example.com/rss colour=red\n",
	    "t.conf:1: unknown feed option 'colour'; expected name=, "
	    "refresh=, weight= or tags=");
	parse_err("https://example.com/rss =Wire\n",
	    "t.conf:1: expected key=value after the URL (name=, refresh=, "
	    "weight=, tags=), got '=Wire'");
	parse_err("ftp://example.com/rss\n",
	    "t.conf:1: expected an http://, https:// or file:/// URL, got "
	    "'ftp://example.com/rss'");
	parse_err("feed example.com/rss\n",
	    "t.conf:1: expected an http://, https:// or file:/// URL, got "
	    "'example.com/rss'");
	parse_err("file://host/x.xml\n",
	    "t.conf:1: expected an http://, https:// or file:/// URL, got "
	    "'file://host/x.xml'");
	parse_err("https://\n",
	    "t.conf:1: expected an http://, https:// or file:/// URL, got "
	    "'https://'");
	parse_err("feed\n", "t.conf:1: feed: expected a URL after 'feed'");
	parse_err("https://example.com/rss\n# x\n"
	    "feed https://example.com/rss name=Again\n",
	    "t.conf:3: duplicate feed https://example.com/rss (first on "
	    "line 1)");
	/* Past the first sizes of the table of URLs seen. */
	{
		struct strbuf sb;
		struct conf c;
		char err[1024] = "";
		int i;

		strbuf_init(&sb);
		for (i = 0; i < 300; i++)
			strbuf_addf(&sb, "https://example.com/%d\n", i);
		conf_init(&c);
		assert_int_equal(conf_parse(&c, "t.conf", sb.buf, sb.len, err,
		    sizeof(err)), 0);
		assert_int_equal(c.n_feeds, 300);
		conf_free(&c);
		strbuf_addf(&sb, "feed https://example.com/%d\n", 200);
		parse_err(sb.buf, "t.conf:301: duplicate feed "
		    "https://example.com/200 (first on line 201)");
		strbuf_done(&sb);
	}
	parse_err("https://example.com/rss name=\n",
	    "t.conf:1: name: expected a name");
	parse_err("https://example.com/rss refresh=5s\n",
	    "t.conf:1: refresh: expected a duration like 90s, 15m, 2h (at "
	    "least 10s), got '5s'");
	parse_err("https://example.com/rss weight=2\n",
	    "t.conf:1: weight: expected a number from 0 to 1, got '2'");
}

static void
test_errors_directives(void **state)
{
	(void)state;
	parse_err("bind J nxt\n",
	    "t.conf:1: bind: unknown action 'nxt' (did you mean 'next'?)");
	parse_err("bind J teleport\n",
	    "t.conf:1: bind: unknown action 'teleport'");
	parse_err("bind J\n",
	    "t.conf:1: bind: expected a key and an action, e.g. bind J next");
	parse_err("alias AM@ZN \"Amazon\"\n",
	    "t.conf:1: alias: expected a ticker symbol like AMZN or BRK.B, "
	    "got 'AM@ZN'");
	parse_err("alias WAYTOOLONGTICKERSYMBOL Name\n",
	    "t.conf:1: alias: expected a ticker symbol like AMZN or BRK.B, "
	    "got 'WAYTOOLONGTICKERSYMBOL'");
	parse_err("alias AMZN\n",
	    "t.conf:1: alias: expected a ticker and at least one name, e.g. "
	    "alias AMZN \"Amazon Web Services\"");
	parse_err("ticker XYZ\n",
	    "t.conf:1: ticker: expected a ticker and at least one name, e.g. "
	    "ticker AMZN \"Amazon Web Services\"");
	parse_err("private\n",
	    "t.conf:1: private: expected a company name, e.g. private "
	    "\"Mistral AI\"");
	parse_err("category \"Space\"\n",
	    "t.conf:1: category: expected a name and keywords, e.g. category "
	    "\"Space\" rocket \"low earth orbit\"");
	parse_err("category \"Space\" \"\"\n",
	    "t.conf:1: category: expected a name and keywords, e.g. category "
	    "\"Space\" rocket \"low earth orbit\"");
	parse_err("category \"A category name far longer than forty-seven "
	    "bytes\" kw\n",
	    "t.conf:1: category: name longer than 47 bytes");
	parse_err("alert tikcer=AMZN\n",
	    "t.conf:1: alert: unknown rule 'tikcer' (did you mean "
	    "'ticker'?); expected ticker=, category=, keyword= or "
	    "min_impact=");
	parse_err("alert colour=red\n",
	    "t.conf:1: alert: unknown rule 'colour'; expected ticker=, "
	    "category=, keyword= or min_impact=");
	parse_err("alert\n",
	    "t.conf:1: alert: expected rules like ticker=AMZN "
	    "category=\"Regulation & Legal\" keyword=recall min_impact=0.4");
	parse_err("alert AMZN\n",
	    "t.conf:1: alert: expected key=value, got 'AMZN'");
	parse_err("alert min_impact=2\n",
	    "t.conf:1: alert: min_impact: bad value '2'");
	parse_err("alert ticker=AM@ZN\n",
	    "t.conf:1: alert: ticker: bad value 'AM@ZN'");
	/* An empty rule would match everything: refused. */
	parse_err("alert ticker= keyword=recall\n",
	    "t.conf:1: alert: ticker: bad value ''");
	parse_err("alert keyword=\n",
	    "t.conf:1: alert: keyword: bad value ''");
	parse_err("alert category=\"\"\n",
	    "t.conf:1: alert: category: bad value ''");
}

static void
test_errors_other(void **state)
{
	static const char nul[] = "refresh = 10m\nwatch\0list = AMZN\n";
	struct conf c;
	char err[256] = "";

	(void)state;
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "t.conf", nul, sizeof(nul) - 1, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "t.conf:2: expected text, found a NUL byte");
	/* What came before the bad line was applied. */
	assert_int_equal(c.refresh, 600);
	conf_free(&c);

	/* Latin-1 bytes: the file must be converted, not guessed at. */
	parse_err("# ok\nhttps://fin\xa4nce.example.com/rss name=Caf\xe9\n",
	    "t.conf:2: expected UTF-8 text (convert the file with iconv)");
	parse_err("private \"\xed\xa0\x80\"\n",
	    "t.conf:1: expected UTF-8 text (convert the file with iconv)");
	parse_ok(&c, "private \"Soci\xc3\xa9t\xc3\xa9 \xe2\x82\xac\"\n");
	assert_string_equal(c.tickers[0].name,
	    "Soci\xc3\xa9t\xc3\xa9 \xe2\x82\xac");
	conf_free(&c);

	parse_err("hello world\n",
	    "t.conf:1: expected a feed URL, 'key = value' or a directive "
	    "(feed, alias, ticker, private, category, alert, bind), got "
	    "'hello'");
	parse_err("catgory Space rocket\n",
	    "t.conf:1: expected a feed URL, 'key = value' or a directive "
	    "(feed, alias, ticker, private, category, alert, bind), got "
	    "'catgory' (did you mean 'category'?)");
	parse_err("www.example.com/rss\n",
	    "t.conf:1: expected a feed URL, 'key = value' or a directive "
	    "(feed, alias, ticker, private, category, alert, bind), got "
	    "'www.example.com/rss'");
	parse_err("\"unterminated\n", "t.conf:1: expected a closing \"");

	/* The file name given is the one reported. */
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "/home/a/feeds.conf", "x\n", 2, err,
	    sizeof(err)), -1);
	assert_true(strncmp(err, "/home/a/feeds.conf:1: ", 22) == 0);
	conf_free(&c);

	/* A small error buffer is truncated, never overrun. */
	conf_init(&c);
	memset(err, 'z', sizeof(err));
	assert_int_equal(conf_parse(&c, "t.conf", "refesh = 1\n", 11, err,
	    16), -1);
	assert_string_equal(err, "t.conf:1: unkno");
	conf_free(&c);
}

static void
test_load_errors(void **state)
{
	struct conf c;
	char err[512] = "";

	(void)state;
	assert_int_equal(conf_load(&c, DATA "bad-line.conf", err,
	    sizeof(err)), -1);
	assert_string_equal(err, DATA "bad-line.conf:3: unknown setting "
	    "'refesh' (did you mean 'refresh'?)");
	assert_null(c.path);
	conf_free(&c);
	assert_int_equal(conf_load(&c, DATA "no-such.conf", err,
	    sizeof(err)), -1);
	assert_string_equal(err, DATA "no-such.conf: No such file or "
	    "directory");
	conf_free(&c);
}

/* ---- lookup order ------------------------------------------------------ */

struct envsave {
	const char *name;
	char *value;
};

static const char *const env_names[] = { "DESKWIRE_CONFIG",
	"XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME", NULL };

static void
env_save(struct envsave *s)
{
	size_t i;

	for (i = 0; env_names[i] != NULL; i++) {
		const char *v = getenv(env_names[i]);

		s[i].name = env_names[i];
		s[i].value = v != NULL ? xstrdup(v) : NULL;
	}
}

static void
env_restore(struct envsave *s)
{
	size_t i;

	for (i = 0; env_names[i] != NULL; i++) {
		if (s[i].value != NULL)
			setenv(s[i].name, s[i].value, 1);
		else
			unsetenv(s[i].name);
		free(s[i].value);
	}
}

static void
touch(const char *path)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs("refresh = 10m\n", fp);
	fclose(fp);
}

static void
test_find_path(void **state)
{
	struct envsave saved[5];
	char tmpl[] = "/tmp/deskwire-conf-XXXXXX", *dir, *p, *want;
	char *home, *xdg, *homeconf, *xdgconf;

	(void)state;
	env_save(saved);
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	home = xasprintf("%s/home", dir);
	xdg = xasprintf("%s/xdg", dir);
	assert_int_equal(util_mkdirs(home, 0700), 0);
	assert_int_equal(util_mkdirs(xdg, 0700), 0);
	setenv("HOME", home, 1);
	unsetenv("DESKWIRE_CONFIG");
	unsetenv("XDG_CONFIG_HOME");

	/* Nothing anywhere: ./feeds.conf. */
	p = conf_find_path(NULL);
	assert_string_equal(p, "./feeds.conf");
	free(p);

	/* ~/.config/deskwire/feeds.conf when XDG_CONFIG_HOME is unset. */
	homeconf = xasprintf("%s/.config/deskwire", home);
	assert_int_equal(util_mkdirs(homeconf, 0700), 0);
	free(homeconf);
	homeconf = xasprintf("%s/.config/deskwire/feeds.conf", home);
	p = conf_find_path(NULL);
	assert_string_equal(p, "./feeds.conf");	/* the dir alone: no */
	free(p);
	touch(homeconf);
	p = conf_find_path(NULL);
	assert_string_equal(p, homeconf);
	free(p);

	/* XDG_CONFIG_HOME replaces ~/.config: its file, else ./feeds.conf. */
	setenv("XDG_CONFIG_HOME", xdg, 1);
	p = conf_find_path(NULL);
	assert_string_equal(p, "./feeds.conf");
	free(p);
	want = xasprintf("%s/deskwire", xdg);
	assert_int_equal(util_mkdirs(want, 0700), 0);
	free(want);
	xdgconf = xasprintf("%s/deskwire/feeds.conf", xdg);
	touch(xdgconf);
	p = conf_find_path(NULL);
	assert_string_equal(p, xdgconf);
	free(p);

	/* A relative XDG_CONFIG_HOME is ignored (XDG spec): ~/.config. */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	p = conf_find_path(NULL);
	assert_string_equal(p, homeconf);
	free(p);
	setenv("XDG_CONFIG_HOME", xdg, 1);

	/* $DESKWIRE_CONFIG beats the XDG file, even when missing. */
	setenv("DESKWIRE_CONFIG", "/nonexistent/env.conf", 1);
	p = conf_find_path(NULL);
	assert_string_equal(p, "/nonexistent/env.conf");
	free(p);
	/* An empty $DESKWIRE_CONFIG counts as unset. */
	setenv("DESKWIRE_CONFIG", "", 1);
	p = conf_find_path(NULL);
	assert_string_equal(p, xdgconf);
	free(p);

	/* -c beats everything. */
	setenv("DESKWIRE_CONFIG", "/nonexistent/env.conf", 1);
	p = conf_find_path("my.conf");
	assert_string_equal(p, "my.conf");
	free(p);

	/* Without HOME and XDG_CONFIG_HOME: ./feeds.conf. */
	unsetenv("DESKWIRE_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	p = conf_find_path(NULL);
	assert_string_equal(p, "./feeds.conf");
	free(p);

	/* The database default follows XDG_DATA_HOME, then HOME. */
	setenv("XDG_DATA_HOME", "/srv/data", 1);
	p = conf_default_db_path();
	assert_string_equal(p, "/srv/data/deskwire/deskwire.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	assert_null(conf_default_db_path());
	setenv("HOME", home, 1);
	p = conf_default_db_path();
	want = xasprintf("%s/.local/share/deskwire/deskwire.db", home);
	assert_string_equal(p, want);
	free(want);
	free(p);

	unlink(xdgconf);
	unlink(homeconf);
	free(xdgconf);
	free(homeconf);
	p = xasprintf("%s/deskwire", xdg);
	rmdir(p);
	free(p);
	p = xasprintf("%s/.config/deskwire", home);
	rmdir(p);
	free(p);
	p = xasprintf("%s/.config", home);
	rmdir(p);
	free(p);
	rmdir(xdg);
	rmdir(home);
	rmdir(dir);
	free(xdg);
	free(home);
	env_restore(saved);
}

/* ---- words and appending ----------------------------------------------- */

static void
test_split_words(void **state)
{
	static const char *const w1[] = { "a b", "c d", "e f", "g", NULL };
	static const char *const w2[] = { "x#y", NULL };
	struct conf_strv v;

	(void)state;
	assert_int_equal(conf_split_words("\"a b\" 'c d' e\\ f  g", &v), 0);
	assert_strv(&v, w1);
	conf_strv_free(&v);
	assert_int_equal(conf_split_words("x#y #rest", &v), 0);
	assert_strv(&v, w2);
	conf_strv_free(&v);
	assert_int_equal(conf_split_words("   ", &v), 0);
	assert_int_equal(v.n, 0);
	conf_strv_free(&v);
	assert_int_equal(conf_split_words("a 'b", &v), -1);
	assert_int_equal(v.n, 0);
	assert_null(v.v);
}

static void
test_append_feed_round_trip(void **state)
{
	static const char *const t1[] = { "Central Banks", "Europe", NULL };
	static const char *const t2[] = { "a=b", "q\"t", NULL };
	char tmpl[] = "/tmp/deskwire-append-XXXXXX", *dir, *path, err[512];
	struct conf_strv tags = { 0 }, tags2 = { 0 };
	struct conf c;
	FILE *fp;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	path = xasprintf("%s/feeds.conf", dir);
	/* An existing file without a final newline. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("refresh = 10m", fp);
	fclose(fp);

	conf_strv_push(&tags, "Central Banks");
	conf_strv_push(&tags, "Europe");
	conf_strv_push(&tags2, "a=b");
	conf_strv_push(&tags2, "q\"t");
	assert_int_equal(conf_append_feed(path,
	    "https://www.ecb.europa.eu/rss/press.html", "ECB \"Press\" # \\",
	    &tags, err, sizeof(err)), 0);
	assert_int_equal(conf_append_feed(path,
	    "https://example.com/it's?q=\"x\"&y=#frag", "Line\nBreak",
	    &tags2, err, sizeof(err)), 0);
	assert_int_equal(conf_append_feed(path, "file:///srv/local.xml",
	    NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(conf_append_feed(path, "javascript:alert(1)", "x",
	    NULL, err, sizeof(err)), -1);
	assert_true(strstr(err, "javascript:alert(1)") != NULL);

	load_ok(&c, path);
	assert_int_equal(c.refresh, 600);
	assert_int_equal(c.n_feeds, 3);
	assert_string_equal(c.feeds[0].url,
	    "https://www.ecb.europa.eu/rss/press.html");
	assert_string_equal(c.feeds[0].name, "ECB \"Press\" # \\");
	assert_strv(&c.feeds[0].tags, t1);
	assert_string_equal(c.feeds[1].url,
	    "https://example.com/it's?q=\"x\"&y=#frag");
	assert_string_equal(c.feeds[1].name, "Line Break");
	assert_strv(&c.feeds[1].tags, t2);
	assert_string_equal(c.feeds[2].url, "file:///srv/local.xml");
	conf_free(&c);

	/* Appending into a directory that does not exist fails cleanly. */
	free(path);
	path = xasprintf("%s/missing/feeds.conf", dir);
	assert_int_equal(conf_append_feed(path, "https://example.com/rss",
	    NULL, NULL, err, sizeof(err)), -1);
	assert_true(strstr(err, "No such file or directory") != NULL);

	conf_strv_free(&tags);
	conf_strv_free(&tags2);
	free(path);
	path = xasprintf("%s/feeds.conf", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_setting),
		cmocka_unit_test(test_setting_forms),
		cmocka_unit_test(test_watchlist),
		cmocka_unit_test(test_feed_lines),
		cmocka_unit_test(test_feed_urls),
		cmocka_unit_test(test_plain_url_list),
		cmocka_unit_test(test_newsboat_urls_with_tags),
		cmocka_unit_test(test_shipped_conf),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_bind_actions),
		cmocka_unit_test(test_quoting_and_comments),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_errors_settings),
		cmocka_unit_test(test_errors_feeds),
		cmocka_unit_test(test_errors_directives),
		cmocka_unit_test(test_errors_other),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_find_path),
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_append_feed_round_trip),
	};

	/* ~ expansion needs a HOME; tests must not depend on the caller's. */
	if (getenv("HOME") == NULL)
		setenv("HOME", "/nonexistent-home", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_model.c - the dashboard model: filters (ticker, category, minimum
 * impact, unread, search), sorting, the selection staying on its item when
 * headlines arrive, sparkline buckets, width-aware truncation and the
 * sanitising of feed text before it reaches the screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "text.h"
#include "util.h"

static const time_t NOW = 1795000000;	/* a fixed "now" */

static struct item *
mk(long long rowid, time_t age, const char *title, const char *ticker,
    double impact, const char *cat)
{
	struct item *it = item_new();

	it->rowid = rowid;
	it->published = NOW - age;
	item_set(&it->title, title);
	item_set(&it->feed, "Reuters");
	it->ann.valid = 1;
	it->ann.impact = impact;
	it->ann.sentiment = impact > 0.5 ? 0.4 : -0.2;
	if (ticker != NULL) {
		util_strlcpy(it->ann.entities[0].ticker, ticker,
		    sizeof(it->ann.entities[0].ticker));
		it->ann.n_entities = 1;
	}
	if (cat != NULL) {
		util_strlcpy(it->ann.categories[0], cat,
		    sizeof(it->ann.categories[0]));
		it->ann.n_categories = 1;
	}
	return it;
}

static void
add(struct model *m, long long rowid, time_t age, const char *title,
    const char *ticker, double impact, const char *cat)
{
	struct item *it = mk(rowid, age, title, ticker, impact, cat);

	assert_non_null(model_add(m, it, 0));
	item_free(it);
}

/* A small realistic set: newest first is 5, 4, 3, 2, 1. */
static struct model *
sample(void)
{
	struct model *m = model_new();

	add(m, 1, 5000, "Nvidia export curbs widen to more chips", "NVDA",
	    0.31, "Regulation & Legal");
	add(m, 2, 4000, "Amazon commits up to $25bn investment in Anthropic",
	    "AMZN", 0.56, "Artificial Intelligence");
	add(m, 3, 3000, "Apple supplier warns on iPhone demand", "AAPL",
	    0.22, "Company Fundamentals");
	add(m, 4, 2000, "AWS outage hits retailers on Black Friday", "AMZN",
	    0.41, "Technology & Innovation");
	add(m, 5, 1000, "Fed minutes show split on December cut", NULL,
	    0.12, "Macro & Central Banks");
	return m;
}

static long long
view_rowid(struct model *m, size_t i)
{
	const struct model_item *mi = model_view_item(m, i);

	return mi ? mi->rowid : -1;
}

static void
test_newest_first_and_impact_sort(void **state)
{
	struct model *m = sample();

	(void)state;
	assert_int_equal(model_view_count(m), 5);
	assert_int_equal(view_rowid(m, 0), 5);
	assert_int_equal(view_rowid(m, 4), 1);
	model_set_sort(m, MODEL_SORT_IMPACT);
	assert_int_equal(view_rowid(m, 0), 2);	/* 0.56 */
	assert_int_equal(view_rowid(m, 1), 4);	/* 0.41 */
	assert_int_equal(view_rowid(m, 4), 5);	/* 0.12 */
	model_set_sort(m, MODEL_SORT_TIME);
	assert_int_equal(view_rowid(m, 0), 5);
	model_free(m);
}

static void
test_filters(void **state)
{
	struct model *m = sample();
	struct model_filter f;

	(void)state;
	memset(&f, 0, sizeof(f));
	util_strlcpy(f.ticker, "amzn", sizeof(f.ticker));
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 2);
	assert_int_equal(view_rowid(m, 0), 4);
	assert_int_equal(view_rowid(m, 1), 2);
	assert_true(model_filtered(m));

	f.min_impact = 0.5;
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 1);
	assert_int_equal(view_rowid(m, 0), 2);

	memset(&f, 0, sizeof(f));
	util_strlcpy(f.category, "regulation & legal", sizeof(f.category));
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 1);
	assert_int_equal(view_rowid(m, 0), 1);

	memset(&f, 0, sizeof(f));
	util_strlcpy(f.ticker, "TSLA", sizeof(f.ticker));
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 0);
	assert_null(model_sel_item(m));
	/* A TSLA headline arriving later shows up in the filtered view. */
	add(m, 6, 10, "Tesla recalls 200,000 vehicles", "TSLA", 0.48, NULL);
	assert_int_equal(model_view_count(m), 1);
	assert_int_equal(model_sel_item(m)->rowid, 6);

	memset(&f, 0, sizeof(f));
	model_set_filter(m, &f);
	assert_false(model_filtered(m));
	assert_int_equal(model_view_count(m), 6);
	model_free(m);
}

static void
test_unread_and_search(void **state)
{
	struct model *m = sample();
	struct model_filter f;
	long long hits[] = { 3 };

	(void)state;
	model_set_read(m, 5, 1);
	model_set_read(m, 4, 1);
	assert_int_equal(model_unread(m), 3);
	memset(&f, 0, sizeof(f));
	f.unread_only = 1;
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 3);
	assert_int_equal(view_rowid(m, 0), 3);

	memset(&f, 0, sizeof(f));
	util_strlcpy(f.search, "ANTHROPIC", sizeof(f.search));
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 1);
	assert_int_equal(view_rowid(m, 0), 2);

	/* Full-text hits from the store (a summary match) also count. */
	model_set_search_hits(m, hits, 1);
	model_set_filter(m, &f);
	assert_int_equal(model_view_count(m), 2);
	model_set_search_hits(m, NULL, 0);
	model_free(m);
}

static void
test_selection_stays_on_item_when_items_arrive(void **state)
{
	struct model *m = model_new();
	long i, row;

	(void)state;
	for (i = 1; i <= 50; i++) {
		struct item *it = mk(i, 100000 - i * 60, "Headline", "AMZN",
		    0.3, NULL);

		model_add(m, it, 0);
		item_free(it);
	}
	model_set_rows(m, 10);
	model_select(m, 0);		/* the newest, rowid 50 */
	model_move(m, 25);		/* mid-list, scrolled */
	assert_int_equal(model_sel_item(m)->rowid, 25);
	row = model_sel(m) - model_top(m);
	for (i = 51; i <= 60; i++)
		add(m, i, 10, "Breaking headline", "NVDA", 0.7, NULL);
	/* Same item, same screen row: nothing jumped. */
	assert_int_equal(model_sel_item(m)->rowid, 25);
	assert_int_equal(model_sel(m) - model_top(m), row);
	assert_int_equal(model_unseen(m), 10);

	/* At the head the newest stay in sight. */
	model_select(m, 0);
	assert_int_equal(model_unseen(m), 0);
	assert_int_equal(model_sel_item(m)->rowid, 60);
	add(m, 61, 5, "Even newer", NULL, 0.1, NULL);
	assert_int_equal(model_top(m), 0);
	assert_int_equal(model_view_item(m, 0)->rowid, 61);
	assert_int_equal(model_sel_item(m)->rowid, 60);

	/* An older item arriving below does not move anything either. */
	add(m, 62, 900000, "Old backfill", NULL, 0.1, NULL);
	assert_int_equal(model_sel_item(m)->rowid, 60);
	model_free(m);
}

static void
test_update_keeps_selection(void **state)
{
	struct model *m = sample();
	struct item *it;

	(void)state;
	model_select_rowid(m, 3);
	it = mk(3, 3000, "Apple supplier warns on iPhone demand (updated)",
	    "AAPL", 0.44, "Company Fundamentals");
	it->n_sources = 3;
	model_add(m, it, 0);
	item_free(it);
	assert_int_equal(model_count(m), 5);
	assert_int_equal(model_sel_item(m)->rowid, 3);
	assert_int_equal(model_sel_item(m)->n_sources, 3);
	assert_non_null(strstr(model_sel_item(m)->title, "(updated)"));
	model_free(m);
}

static void
test_filter_change_keeps_selection(void **state)
{
	struct model *m = sample();
	struct model_filter f;

	(void)state;
	model_select_rowid(m, 2);
	memset(&f, 0, sizeof(f));
	util_strlcpy(f.ticker, "AMZN", sizeof(f.ticker));
	model_set_filter(m, &f);
	assert_int_equal(model_sel_item(m)->rowid, 2);
	memset(&f, 0, sizeof(f));
	model_set_filter(m, &f);
	assert_int_equal(model_sel_item(m)->rowid, 2);
	model_free(m);
}

static void
test_ticker_stats_and_sparkline(void **state)
{
	struct model *m = model_new();
	struct model_stat st[2];
	const char *t[] = { "amzn", "MSFT" };
	char spark[64];

	(void)state;
	add(m, 1, 30, "a", "AMZN", 0.2, NULL);		/* current hour */
	add(m, 2, 60, "b", "AMZN", 0.6, NULL);		/* current hour */
	add(m, 3, 3600 * 5 + 10, "c", "AMZN", 0.3, NULL);
	add(m, 4, 3600 * 30, "d", "AMZN", 0.9, NULL);	/* outside 24h */
	model_ticker_stats(m, t, 2, NOW, st);
	assert_string_equal(st[0].ticker, "AMZN");
	assert_int_equal(st[0].count, 3);
	assert_int_equal(st[0].hourly[23], 2);
	assert_int_equal(st[0].hourly[18], 1);
	assert_true(st[0].max_impact > 0.59 && st[0].max_impact < 0.61);
	assert_int_equal(st[0].latest, NOW - 30);
	assert_int_equal(st[1].count, 0);
	assert_int_equal(st[1].latest, 0);

	/* 24 buckets in 4 columns: 6 hours each, newest last. */
	model_sparkline(st[0].hourly, 24, 4, spark, sizeof(spark));
	assert_string_equal(spark, "\u2581\u2581\u2581\u2588");
	{
		int b[4] = { 0, 1, 4, 8 };

		model_sparkline(b, 4, 4, spark, sizeof(spark));
		assert_string_equal(spark,
		    "\u2581\u2582\u2585\u2588");
	}
	model_sparkline(st[1].hourly, 24, 6, spark, sizeof(spark));
	assert_string_equal(spark, "\u2581\u2581\u2581\u2581\u2581\u2581");
	model_free(m);
}

static void
test_completion(void **state)
{
	struct model *m = sample();
	char out[64];

	(void)state;
	add(m, 9, 10, "AMD wins contract", "AMD", 0.3, NULL);
	assert_int_equal(model_complete(m, 0, "am", out, sizeof(out)), 2);
	assert_string_equal(out, "AM");
	assert_int_equal(model_complete(m, 0, "AMZ", out, sizeof(out)), 1);
	assert_string_equal(out, "AMZN");
	assert_int_equal(model_complete(m, 1, "tech", out, sizeof(out)), 1);
	assert_string_equal(out, "Technology & Innovation");
	assert_int_equal(model_complete(m, 0, "ZZ", out, sizeof(out)), 0);
	model_free(m);
}

static void
test_width_aware_fit(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(text_width("abc"), 3);
	/* CJK and emoji take two columns each. */
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	assert_int_equal(model_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
	    "abc", 5, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	assert_int_equal(model_fit("Amazon commits", 8, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "Amazon \xe2\x80\xa6");
	assert_int_equal(model_fit("short", 10, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "short");
	/* Never wider than asked, even when a wide char would straddle. */
	assert_true(model_fit("a\xe6\x97\xa5\xe6\x9c\xac", 3, buf,
	    sizeof(buf)) <= 3);
	assert_true(text_width(buf) <= 3);
}

static void
test_titles_sanitised(void **state)
{
	struct model *m = model_new();
	struct item *it = mk(1, 10, "Stocks \x1b[31mrally\x1b[0m\a\r\n on "
	    "\x1b]0;pwned\x07" "Fed\x9b hopes \xff", "SPY", 0.3, NULL);
	const struct model_item *mi;

	(void)state;
	mi = model_add(m, it, 0);
	assert_non_null(mi);
	assert_null(strchr(mi->title, '\x1b'));
	assert_null(strchr(mi->title, '\a'));
	assert_null(strchr(mi->title, '\n'));
	assert_non_null(strstr(mi->title, "Stocks rally on"));
	assert_null(strstr(mi->title, "pwned"));
	/* A stray byte becomes U+FFFD, not raw bytes. */
	assert_non_null(strstr(mi->title, "\xef\xbf\xbd"));
	item_free(it);
	model_free(m);
}

static void
test_many_items(void **state)
{
	struct model *m = model_new();
	struct model_filter f;
	long i;

	(void)state;
	for (i = 1; i <= 20000; i++) {
		struct item *it = mk(i, (i * 7919) % 86400, "Headline",
		    i % 3 ? "AMZN" : "NVDA", (double)(i % 100) / 100, NULL);

		model_add(m, it, 0);
		item_free(it);
	}
	assert_int_equal(model_count(m), 20000);
	memset(&f, 0, sizeof(f));
	util_strlcpy(f.ticker, "NVDA", sizeof(f.ticker));
	f.min_impact = 0.9;
	model_set_filter(m, &f);
	for (i = 0; i < (long)model_view_count(m); i++) {
		const struct model_item *mi = model_view_item(m, (size_t)i);

		assert_true(mi->impact >= 0.9f - 1e-6f);
		assert_true(model_item_has_ticker(m, mi, "nvda"));
		if (i > 0)
			assert_true(model_view_item(m, (size_t)i - 1)->
			    published >= mi->published);
	}
	assert_true(model_view_count(m) > 0);
	model_free(m);
}

static void
test_deferred_batch(void **state)
{
	struct model *m = sample();
	long i;

	(void)state;
	model_select_rowid(m, 3);
	/* A backlog, oldest first, added in one go. */
	for (i = 100; i < 400; i++) {
		struct item *it = mk(i, 400 - i, "Backlog", "MSFT", 0.2, NULL);

		model_add(m, it, MODEL_DEFER);
		item_free(it);
	}
	assert_int_equal(model_view_count(m), 5);
	model_refresh(m);
	assert_int_equal(model_view_count(m), 305);
	assert_int_equal(view_rowid(m, 0), 399);
	assert_int_equal(model_sel_item(m)->rowid, 3);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newest_first_and_impact_sort),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_unread_and_search),
		cmocka_unit_test(test_selection_stays_on_item_when_items_arrive),
		cmocka_unit_test(test_update_keeps_selection),
		cmocka_unit_test(test_filter_change_keeps_selection),
		cmocka_unit_test(test_ticker_stats_and_sparkline),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_width_aware_fit),
		cmocka_unit_test(test_titles_sanitised),
		cmocka_unit_test(test_many_items),
		cmocka_unit_test(test_deferred_batch),
	};

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

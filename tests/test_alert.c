/*
 * test_alert.c - which new headlines raise an alert: watchlist tickers at
 * the threshold, and `alert` rules from feeds.conf naming tickers,
 * categories, keywords and their own minimum impact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "alert.h"
#include "conf.h"
#include "item.h"
#include "util.h"

static struct item *
headline(const char *title, const char *ticker, double impact,
    const char *category)
{
	struct item *it = item_new();

	item_set(&it->title, title);
	it->ann.valid = 1;
	it->ann.impact = impact;
	if (ticker != NULL) {
		util_strlcpy(it->ann.entities[0].ticker, ticker,
		    sizeof(it->ann.entities[0].ticker));
		it->ann.n_entities = 1;
	}
	if (category != NULL) {
		util_strlcpy(it->ann.categories[0], category,
		    sizeof(it->ann.categories[0]));
		it->ann.n_categories = 1;
	}
	return it;
}

static void
load(struct conf *c, const char *text)
{
	char err[256] = "";

	conf_init(c);
	if (conf_parse(c, "t.conf", text, strlen(text), err, sizeof(err)))
		fail_msg("%s", err);
}

static void
test_watchlist_threshold(void **state)
{
	struct conf c;
	struct conf_strv extra = { 0 };
	struct item *hi = headline("Amazon commits $25bn", "AMZN", 0.61, NULL);
	struct item *lo = headline("Amazon opens office", "AMZN", 0.20, NULL);
	struct item *other = headline("Ford recalls SUVs", "F", 0.90, NULL);
	char why[32] = "";

	(void)state;
	load(&c, "watchlist = AMZN\nalert_threshold = 0.6\n");
	assert_int_equal(alert_match(&c, NULL, hi, why, sizeof(why)), 1);
	assert_string_equal(why, "AMZN");
	assert_int_equal(alert_match(&c, NULL, lo, why, sizeof(why)), 0);
	assert_int_equal(alert_match(&c, NULL, other, why, sizeof(why)), 0);
	/* A ticker added from the dashboard counts like the config's. */
	conf_strv_push(&extra, "F");
	assert_int_equal(alert_match(&c, &extra, other, why, sizeof(why)), 1);
	assert_string_equal(why, "F");
	/* Not annotated yet: never. */
	hi->ann.valid = 0;
	assert_int_equal(alert_match(&c, NULL, hi, why, sizeof(why)), 0);
	conf_strv_free(&extra);
	item_free(hi);
	item_free(lo);
	item_free(other);
	conf_free(&c);
}

static void
test_rules(void **state)
{
	struct conf c;
	struct item *fda = headline("Regulator approves obesity drug", NULL,
	    0.45, "Healthcare & Biotech");
	struct item *recall = headline("Automaker announces recall of 1m cars",
	    NULL, 0.55, "Consumer & Retail");
	struct item *nvda = headline("Nvidia faces export probe", "NVDA",
	    0.35, "Regulation & Legal");
	struct item *dull = headline("Company to present at conference", NULL,
	    0.10, "Healthcare & Biotech");
	char why[32] = "x";

	(void)state;
	load(&c, "watchlist = AMZN\n"
	    "alert category=\"Healthcare & Biotech\" min_impact=0.4\n"
	    "alert keyword=recall,bankruptcy min_impact=0.5\n"
	    "alert ticker=NVDA category=\"Regulation & Legal\" "
	    "min_impact=0.3\n");
	assert_int_equal(alert_match(&c, NULL, fda, why, sizeof(why)), 1);
	assert_string_equal(why, "");
	assert_int_equal(alert_match(&c, NULL, recall, why, sizeof(why)), 1);
	assert_int_equal(alert_match(&c, NULL, nvda, why, sizeof(why)), 1);
	assert_string_equal(why, "NVDA");
	/* Below every rule's minimum impact. */
	assert_int_equal(alert_match(&c, NULL, dull, why, sizeof(why)), 0);
	/* A ticker rule needs that ticker. */
	util_strlcpy(nvda->ann.entities[0].ticker, "AMD",
	    sizeof(nvda->ann.entities[0].ticker));
	assert_int_equal(alert_match(&c, NULL, nvda, why, sizeof(why)), 0);
	/* A keyword rule with the keyword only in the summary. */
	item_set(&recall->title, "Automaker update");
	item_set(&recall->summary, "The RECALL covers 1m cars.");
	assert_int_equal(alert_match(&c, NULL, recall, why, sizeof(why)), 1);
	item_free(fda);
	item_free(recall);
	item_free(nvda);
	item_free(dull);
	conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watchlist_threshold),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

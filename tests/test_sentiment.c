/*
 * test_sentiment.c - each rule family of the finance sentiment (direction
 * x metric, negation, analyst actions, guidance, boilerplate, hedges) and
 * a floor on the development set so regressions are caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "util.h"

static struct analyze_ctx *ctx;

static int
label(const char *text, double *score)
{
	struct analyze_input in = { text, NULL, 0.5, 0 };
	struct item_annotation a;
	int l;

	memset(&a, 0, sizeof(a));
	analyze_text(ctx, &in, &a);
	l = a.sentiment_label;
	if (score)
		*score = a.sentiment;
	item_annotation_clear(&a);
	return l;
}

struct cas {
	const char *text;
	int want;
};

static void
check(const struct cas *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double s;
		int got = label(c[i].text, &s);

		if (got != c[i].want)
			fail_msg("%s: want %d got %d (%.2f)", c[i].text,
			    c[i].want, got, s);
	}
}

static void
test_direction_times_metric(void **state)
{
	static const struct cas c[] = {
		{ "Operating loss narrowed to EUR 2.1 mn", 1 },
		{ "Net loss widened to $40 million", -1 },
		{ "Costs rose 8% in the quarter", -1 },
		{ "Quarterly profit rose 12%", 1 },
		{ "Net sales decreased by 5% from last year", -1 },
		{ "The company cut costs by $200 million", 1 },
		{ "Revenue jumped to a record $4.1 billion", 1 },
		{ "Operating margin weakened to 3.8% from 7.5%", -1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_negation(void **state)
{
	static const struct cas c[] = {
		{ "Results did not meet expectations", -1 },
		{ "The company no longer expects growth this year", -1 },
		{ "Drugmaker failed to win approval for its lead drug", -1 },
		{ "Profit did not fall despite weaker demand", 1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_analyst_and_guidance(void **state)
{
	static const struct cas c[] = {
		{ "Goldman upgrades Nvidia to buy", 1 },
		{ "Morgan Stanley downgrades Tesla", -1 },
		{ "Jefferies raises price target on Apple to $250", 1 },
		{ "UBS cuts price target on Intel", -1 },
		{ "Walmart beats estimates and raises guidance", 1 },
		{ "Nike misses estimates, cuts full-year forecast", -1 },
		{ "Target lowers guidance as shoppers pull back", -1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_boilerplate_neutral(void **state)
{
	static const struct cas c[] = {
		{ "Microsoft will report results on October 28", 0 },
		{ "Acme to hold annual meeting of shareholders on May 3", 0 },
		{ "Pfizer to present at the JPMorgan healthcare conference",
		    0 },
		{ "The company has 120 employees in Finland", 0 },
		{ "Amazon commits up to $25bn investment in Anthropic", 0 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_hedge_weakens(void **state)
{
	double plain, hedged;

	(void)state;
	label("Profit rose sharply", &plain);
	label("Profit could rise sharply", &hedged);
	assert_true(plain > 0 && hedged > 0);
	assert_true(hedged < plain);
}

static void
test_dev_set_floor(void **state)
{
	char *buf, err[256], *p, *nl;
	size_t len;
	long n = 0, ok = 0;

	(void)state;
	if (util_read_file("tests/data/sentiment_dev.tsv", 1 << 24, &buf,
	    &len, err, sizeof(err)) < 0)
		skip();
	for (p = buf; p && *p; p = nl) {
		char *f1, *f2;
		int gold;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if (*p == '#' || (f1 = strchr(p, '\t')) == NULL ||
		    (f2 = strchr(f1 + 1, '\t')) == NULL)
			continue;
		*f1 = '\0';
		gold = strcmp(p, "positive") == 0 ? 1 :
		    strcmp(p, "negative") == 0 ? -1 : 0;
		n++;
		if (label(f2 + 1, NULL) == gold)
			ok++;
	}
	free(buf);
	assert_true(n >= 100);
	/* A floor well below the measured figure (make bench). */
	if ((double)ok / (double)n < 0.75)
		fail_msg("dev accuracy %.3f below 0.75", (double)ok / n);
}

static int
setup(void **state)
{
	char err[512];

	(void)state;
	setenv("XDG_DATA_HOME", "/nonexistent-deskwire-test", 1);
	ctx = analyze_new(NULL, NULL, err, sizeof(err));
	return ctx ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	analyze_free(ctx);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direction_times_metric),
		cmocka_unit_test(test_negation),
		cmocka_unit_test(test_analyst_and_guidance),
		cmocka_unit_test(test_boilerplate_neutral),
		cmocka_unit_test(test_hedge_weakens),
		cmocka_unit_test(test_dev_set_floor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_sentiment.c - each rule family of the finance sentiment (direction
 * x metric, changes of state, amounts compared, negation, analyst actions,
 * guidance, contracts and lay-offs, boilerplate, hedges, wire shorthand,
 * questions), the lexicon's {a|b} groups, and floors on the
 * labelled sets so regressions are caught: the development set the
 * lexicon was written against and two held-out sets it was not tuned on.
 * The floors are the measured figures (bench_sentiment) less a small
 * margin.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "dict.h"
#include "sentiment.h"
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
test_change_of_state(void **state)
{
	static const struct cas c[] = {
		{ "The group swung to an operating loss of EUR 3.7 mn", -1 },
		{ "The company turned to an operating profit of EUR 2.3 mn", 1 },
		{ "Operating profit turned into a loss in the third quarter",
		    -1 },
		{ "Uber swings to first annual operating profit", 1 },
		{ "The net loss was EUR 6.3 mn, against a profit of EUR 1.5 mn "
		    "a year earlier", -1 },
		{ "The company returned to Europe after ten years", 0 },
		/* A direction that reached a state, or a plain direction. */
		{ "The company slipped to an operating loss of EUR 2.6 million "
		    "from a profit of EUR 1.3 million", -1 },
		{ "Cramo slipped to a pretax loss of EUR 6.7 million", -1 },
		{ "It rose to a profit of EUR 3 mn", 1 },
		{ "Operating profit fell to EUR 5 mn from EUR 8 mn", -1 },
		{ "Net loss fell to EUR 1 mn from EUR 4 mn", 1 },
		{ "Loss increased to EUR 4 mn", -1 },
		/* The other side of the comparison. */
		{ "Earnings per share amounted to EUR0.98, up from the loss of "
		    "EUR0.02", 1 },
		{ "Operating loss totalled EUR 0.9 mn, down from a profit of "
		    "EUR 2.7 mn", -1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_profit_over_sales(void **state)
{
	static const struct cas c[] = {
		{ "Net sales rose 3%, while operating profit fell 25%", -1 },
		{ "Sales slipped 2%, but net profit jumped 40%", 1 },
		{ "The company posted an operating loss of EUR 5.2 mn", -1 },
		{ "The company's net sales in 2009 totalled MEUR 307.8", 0 },
		{ "The increase in share capital was registered on 4 May", 0 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_business_events(void **state)
{
	static const struct cas c[] = {
		{ "Kone received an order to supply 40 elevators in Dubai", 1 },
		{ "The company will expand its production capacity by 30%", 1 },
		{ "Stockmann has opened three new stores in St Petersburg", 1 },
		{ "The company will temporarily lay off 300 employees", -1 },
		{ "The company started co-operation negotiations concerning "
		    "its personnel", -1 },
		{ "Intel to cut 15% of its workforce", -1 },
		{ "The company will close its plant in Lahti", -1 },
		{ "The deal is subject to approval by the authorities", 0 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

/*
 * The amount comparison needs the text: score hand-made hits with a small
 * lexicon through sentiment_score_text().
 */
static int
tok_of(const char *t, size_t off)
{
	size_t i;
	int n = 0, in = 0;

	for (i = 0; i < off; i++) {
		int w = isalnum((unsigned char)t[i]) || t[i] == '-' ||
		    ((t[i] == '.' || t[i] == ',') && i > 0 &&
		    isdigit((unsigned char)t[i - 1]) &&
		    isdigit((unsigned char)t[i + 1]));

		if (w && !in)
			n++;
		in = w;
	}
	return n - (in ? 1 : 0);
}

static int
compared(const char *text, int with_text)
{
	static const char lx[] = "operating profit\tmpos\t1.2\n"
	    "operating loss\tmneg\t1.7\ncompared with\tcmp\nagainst\tcmp\n";
	static const char *const phrases[] = {
		"operating profit", "operating loss", "compared with",
		"against",
	};
	struct sentiment_hit hits[8];
	struct sentiment_result r;
	struct sentiment_lex *lex = sentiment_lex_new();
	struct dict *d = dict_new();
	char err[256], low[256];
	const char *tx[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 }, n = 0, i, k;

	assert_int_equal(sentiment_lex_load(lex, d, 1, "t", lx,
	    sizeof(lx) - 1, err, sizeof(err)), 0);
	for (k = 0; text[k] && k + 1 < sizeof(low); k++)
		low[k] = (char)tolower((unsigned char)text[k]);
	low[k] = '\0';
	for (i = 0; i < UTIL_ARRAY_LEN(phrases); i++) {
		const char *p = strstr(low, phrases[i]);
		size_t s;

		if (p == NULL || n >= UTIL_ARRAY_LEN(hits))
			continue;
		s = (size_t)(p - low);
		memset(&hits[n], 0, sizeof(hits[n]));
		hits[n].entry = (uint32_t)i;
		hits[n].start = (uint32_t)s;
		hits[n].end = (uint32_t)(s + strlen(phrases[i]));
		hits[n].tok = (uint16_t)tok_of(text, s);
		hits[n].tok_end = (uint16_t)(tok_of(text, hits[n].end - 1) + 1);
		n++;
	}
	if (with_text) {
		tx[0] = text;
		len[0] = strlen(text);
	}
	sentiment_score_text(lex, hits, n, tx, len, &r);
	sentiment_lex_free(lex);
	dict_free(d);
	return r.label;
}

/* Market-wire shorthand: ratings started or moved, targets, signed
 * moves, figures against figures, movers lists, pulled guidance. */
static void
test_wire_shorthand(void **state)
{
	static const struct cas c[] = {
		{ "Acme started at buy at Jefferies", 1 },
		{ "Acme initiated at underperform at BofA", -1 },
		{ "Acme starts at Equal Weight at Morgan Stanley", 0 },
		{ "Acme cut to neutral at Barclays", -1 },
		/* "to hold" is boilerplate elsewhere ("to hold its annual
		 * meeting"): the rating is read in the text */
		{ "Deutsche Bank cuts to Hold", -1 },
		{ "Acme initiated coverage with a Buy at Jefferies", 1 },
		{ "Acme rated Sell at Redburn", -1 },
		{ "Acme reiterated at Neutral at Barclays", 0 },
		{ "Acme price target trimmed to $40; overweight rating "
		  "reiterated", -1 },
		/* a move down, whatever the rating it reaches */
		{ "Acme downgraded to buy from strong buy at CFRA", -1 },
		{ "Acme upgraded to hold from sell at UBS", 1 },
		/* the cut is the news, not the rating kept */
		{ "Acme price target lowered to $40 from $45 at Citi, buy "
		  "rating maintained", -1 },
		{ "Acme gains after Cowen's target lift", 1 },
		{ "Acme -6% after filing to sell shares", -1 },
		{ "Acme +3.1% after analyst day", 1 },
		{ "Acme (\xe2\x88\x92" "4.5% pre) after the call", -1 },
		/* a range is not a move */
		{ "Acme targets 2-4% margin in 2027", 0 },
		{ "Acme Q3 EPS 52 cents vs. 47 cents", 1 },
		{ "Acme Q2 revenue $1.1 bln vs. $1.3 bln", -1 },
		{ "ACME, WIDG among premarket losers", -1 },
		{ "Acme withdraws full-year guidance", -1 },
		{ "Acme sees Q4 revenue below consensus", -1 },
		{ "Acme Profit Meets Estimates On Lower Tax Expense", 1 },
		{ "Acme loses patent case against Widgetco", -1 },
		{ "Acme wins appeal over royalty claim", 1 },
		{ "Acme found not liable in defect trial", 1 },
		{ "EU probes Acme over chip sales", -1 },
		{ "Jefferies ups view on Acme in premarket analyst action", 1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

/* A question asks rather than reports; a statement before it still
 * counts. */
static void
test_questions(void **state)
{
	static const struct cas c[] = {
		{ "Is Acme a good stock to buy after its rally?", 0 },
		{ "Should you sell Acme before earnings?", 0 },
		{ "Will Acme's losses deepen in 2027?", 0 },
		{ "Acme plunges; is the selloff overdone?", -1 },
		{ "Acme shares rally after strong earnings", 1 },
		/* "vs." before a price does not end the sentence */
		{ "Is Acme's EPS of $1.10 vs. $0.90 a turning point?", 0 },
		{ "Acme EPS $1.10 vs. $0.90. Can the rally last?", 1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static int
cmp_str(const void *a, const void *b)
{
	return util_strcasecmp(*(const char *const *)a,
	    *(const char *const *)b);
}

/* "{a|b}" groups expand to each alternative; a bad group names its line;
 * the shipped lexicon lists no phrase twice (it would count twice). */
static void
test_lexicon_groups(void **state)
{
	static const char good[] = "{starts|started} at {buy|strong buy}"
	    "\tpos\t1.2\nguides {lower|}\tneg\n{the |}bull camp\tpos\n";
	static const char *const want[] = {
		"starts at buy", "starts at strong buy", "started at buy",
		"started at strong buy", "guides lower", "guides ",
		"the bull camp", "bull camp",
	};
	static const char roles[] = "cut\tdown\nbuy\tpos\n"
	    "{cut|slashed}\tratedown\n{buy|hold}\trating\t0\nbuy\trating\t1\n";
	static const char *const bad[] = {
		"x\tpos\n{a|b\tpos\n", "x\tpos\n{a|{b}}\tneg\n",
	};
	struct sentiment_lex *lex = sentiment_lex_new();
	struct dict *d = dict_new();
	const char **v;
	char err[256], *buf = NULL;
	size_t i, n, len;

	(void)state;
	assert_int_equal(sentiment_lex_load(lex, d, 1, "t", good,
	    sizeof(good) - 1, err, sizeof(err)), 0);
	assert_int_equal(sentiment_lex_count(lex), UTIL_ARRAY_LEN(want));
	for (i = 0; i < UTIL_ARRAY_LEN(want); i++)
		assert_string_equal(sentiment_entry(lex, (uint32_t)i)->phrase,
		    want[i]);
	assert_int_equal(sentiment_entry(lex, 3)->cls, SENT_POS);
	assert_true(sentiment_entry(lex, 3)->weight == 1.2);
	sentiment_lex_free(lex);
	dict_free(d);

	/* A role line gives its role to the entry of the same phrase and
	 * adds only the phrases that are new. */
	lex = sentiment_lex_new();
	d = dict_new();
	assert_int_equal(sentiment_lex_load(lex, d, 1, "t", roles,
	    sizeof(roles) - 1, err, sizeof(err)), 0);
	assert_int_equal(sentiment_lex_count(lex), 4);
	assert_int_equal(sentiment_entry(lex, 0)->cls, SENT_DOWN);
	assert_int_equal(sentiment_entry(lex, 0)->rate_role, SENT_RATE_DOWN);
	assert_true(sentiment_entry(lex, 0)->rate_weight == 1.2);
	assert_int_equal(sentiment_entry(lex, 1)->cls, SENT_POS);
	assert_int_equal(sentiment_entry(lex, 1)->rating, 1);
	assert_string_equal(sentiment_entry(lex, 2)->phrase, "slashed");
	assert_int_equal(sentiment_entry(lex, 2)->cls, SENT_RATE_DOWN);
	assert_true(sentiment_entry(lex, 2)->weight == 0);
	assert_string_equal(sentiment_entry(lex, 3)->phrase, "hold");
	assert_int_equal(sentiment_entry(lex, 3)->rating, 0);
	assert_int_equal(sentiment_entry(lex, 0)->rating, SENT_NOT_RATING);
	sentiment_lex_free(lex);
	dict_free(d);

	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++) {
		lex = sentiment_lex_new();
		d = dict_new();
		assert_int_equal(sentiment_lex_load(lex, d, 1, "lex.tsv",
		    bad[i], strlen(bad[i]), err, sizeof(err)), -1);
		assert_non_null(strstr(err, "lex.tsv:2: expected {a|b|...}"));
		sentiment_lex_free(lex);
		dict_free(d);
	}

	assert_int_equal(util_read_file("data/lexicon.tsv", 1u << 24, &buf,
	    &len, err, sizeof(err)), 0);
	lex = sentiment_lex_new();
	d = dict_new();
	assert_int_equal(sentiment_lex_load(lex, d, 1, "lexicon.tsv", buf,
	    len, err, sizeof(err)), 0);
	n = sentiment_lex_count(lex);
	v = xcalloc(n, sizeof(*v));
	/* (a cue or notticker entry makes no hit: "EPS" is both a metric
	 * and never a ticker) */
	for (i = len = 0; i < n; i++) {
		const struct sentiment_entry *e = sentiment_entry(lex,
		    (uint32_t)i);

		if (e->cls != SENT_CUE && e->cls != SENT_NOTTICKER)
			v[len++] = e->phrase;
	}
	qsort(v, len, sizeof(*v), cmp_str);
	for (i = 1; i < len; i++)
		if (util_strcasecmp(v[i - 1], v[i]) == 0)
			fail_msg("lexicon.tsv lists \"%s\" twice", v[i]);
	free(v);
	free(buf);
	sentiment_lex_free(lex);
	dict_free(d);
}

/* The share price's move outweighs the news it reacts to. */
static void
test_price_move_dominates(void **state)
{
	static const struct cas c[] = {
		{ "Nvidia shares fall despite record revenue", -1 },
		{ "Tesla stock jumps even as deliveries miss estimates", 1 },
		{ "Apple shares slip after iPhone sales beat expectations", -1 },
		{ "Shares rose as investors judged the profit warning to be "
		    "less severe than they had feared", 1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

/* An action scored by its object: a site for open/close, a pact for
 * signing; without one the verb says nothing. */
static void
test_action_and_object(void **state)
{
	static const struct cas c[] = {
		{ "Retailer Kohl's to close 27 underperforming stores", -1 },
		{ "The mill will be closed permanently at the end of the year",
		    -1 },
		{ "The group plans to close 14 loss-making outlets in Sweden",
		    -1 },
		{ "The company signed a three-year framework agreement with "
		    "the defence forces", 1 },
		{ "Shares opened 5% higher on Monday", 1 },
		{ "The deal is expected to close in the first quarter", 0 },
		{ "Walmart opens store in Dallas suburb", 0 },
		{ "The company will not close any stores this year", 1 },
	};

	(void)state;
	check(c, UTIL_ARRAY_LEN(c));
}

static void
test_amounts_compared(void **state)
{
	(void)state;
	assert_int_equal(compared("Operating profit was EUR 9.6 mn, against "
	    "EUR 6.2 mn a year ago.", 1), 1);
	assert_int_equal(compared("Operating profit in 2008 was EUR 1.1 mn, "
	    "compared with EUR 4.6 mn in 2007.", 1), -1);
	/* a loss that shrank is good news; millions against billions */
	assert_int_equal(compared("Operating loss totalled EUR 0.3 mn, "
	    "compared with a loss of EUR 2.6 mn.", 1), 1);
	assert_int_equal(compared("Operating profit was EUR 1.2 bn, "
	    "compared with EUR 950 mn.", 1), 1);
	assert_int_equal(compared("Operating profit was EUR -0.4 mn, "
	    "compared with EUR 0.9 mn.", 1), -1);
	/* level, a profit against a loss, no text: nothing to compare */
	assert_int_equal(compared("Operating profit was EUR 40.2 mn, "
	    "compared with EUR 40.9 mn.", 1), 0);
	assert_int_equal(compared("Operating profit was EUR 0.5 mn, "
	    "compared with a loss of EUR 3.0 mn.", 1) >= 0, 1);
	assert_int_equal(compared("Operating profit was EUR 9.6 mn, against "
	    "EUR 6.2 mn a year ago.", 0), 0);
	assert_int_equal(compared("Operating profit in 2008 was EUR 1.1 mn, "
	    "compared with 2007.", 1), 0);
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

struct figures {
	long n, ok, n_all, ok_all, n_most, ok_most;
	double f1;	/* macro-F1 over the three labels, all lines */
};

/* Label every line of a LABEL<TAB>AGREEMENT<TAB>TEXT file; -1 if absent. */
static int
eval_set(const char *path, struct figures *fg)
{
	char *buf, err[256], *p, *nl;
	size_t len;
	long m[3][3];
	int k, j;

	memset(fg, 0, sizeof(*fg));
	memset(m, 0, sizeof(m));
	if (util_read_file(path, 1 << 24, &buf, &len, err, sizeof(err)) < 0)
		return -1;
	for (p = buf; p && *p; p = nl) {
		char *f1, *f2;
		int gold, got;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if (*p == '#' || (f1 = strchr(p, '\t')) == NULL ||
		    (f2 = strchr(f1 + 1, '\t')) == NULL)
			continue;
		*f1++ = '\0';
		*f2++ = '\0';
		gold = strcmp(p, "positive") == 0 ? 1 :
		    strcmp(p, "negative") == 0 ? -1 : 0;
		got = label(f2, NULL);
		m[gold + 1][got + 1]++;
		fg->n++;
		fg->ok += got == gold;
		if (strcmp(f1, "all") == 0) {
			fg->n_all++;
			fg->ok_all += got == gold;
		} else {
			fg->n_most++;
			fg->ok_most += got == gold;
		}
	}
	free(buf);
	for (k = 0; k < 3; k++) {
		long tp = m[k][k], fp = 0, fn = 0;

		for (j = 0; j < 3; j++)
			if (j != k) {
				fp += m[j][k];
				fn += m[k][j];
			}
		if (tp)
			fg->f1 += 2.0 * tp / (double)(2 * tp + fp + fn) / 3;
	}
	return 0;
}

static void
floor_check(const char *path, long min_n, double overall, double agree_all,
    double agree_most, double f1)
{
	struct figures fg;
	double a, aa, am;

	if (eval_set(path, &fg) < 0)
		skip();
	assert_true(fg.n >= min_n && fg.n_all > 0 && fg.n_most > 0);
	a = (double)fg.ok / (double)fg.n;
	aa = (double)fg.ok_all / (double)fg.n_all;
	am = (double)fg.ok_most / (double)fg.n_most;
	if (a < overall || aa < agree_all || am < agree_most || fg.f1 < f1)
		fail_msg("%s: accuracy %.3f (all agree %.3f, most %.3f), "
		    "macro-F1 %.3f; floors %.2f (%.2f, %.2f), %.2f", path, a,
		    aa, am, fg.f1, overall, agree_all, agree_most, f1);
}

/* Measured (make bench): dev 0.886 (all 0.911, most 0.541), F1 0.872. */
static void
test_dev_set_floor(void **state)
{
	(void)state;
	floor_check("tests/data/sentiment_dev.tsv", 500, 0.86, 0.89, 0.45,
	    0.84);
}

/* Measured: 0.967 (all 0.973, most 0.951), F1 0.968.  Its misses guided
 * the rules, so it is a check against regressions more than a forecast. */
static void
test_heldout_set_floor(void **state)
{
	(void)state;
	floor_check("tests/data/sentiment_heldout.tsv", 400, 0.93, 0.95,
	    0.90, 0.93);
}

/* Measured: 0.967 (all 0.974, most 0.943), F1 0.967; written after the
 * first round of rules, its misses guided the lexicon additions after. */
static void
test_fresh_set_floor(void **state)
{
	(void)state;
	floor_check("tests/data/sentiment_fresh.tsv", 140, 0.92, 0.94,
	    0.85, 0.92);
}

/* Measured: 0.933 (all 1.000, most 0.833), F1 0.932; written after every
 * rule and lexicon change, measured once and not tuned on. */
static void
test_blind_set_floor(void **state)
{
	(void)state;
	floor_check("tests/data/sentiment_blind.tsv", 60, 0.88, 0.95,
	    0.75, 0.88);
}

/* Measured before the action-object rule: 0.833 (all 1.000, most 0.706);
 * after it: 0.900 (all 1.000, most 0.824), F1 0.902. */
static void
test_blind2_set_floor(void **state)
{
	(void)state;
	floor_check("tests/data/sentiment_blind2.tsv", 30, 0.85, 0.95,
	    0.70, 0.85);
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
		cmocka_unit_test(test_change_of_state),
		cmocka_unit_test(test_profit_over_sales),
		cmocka_unit_test(test_business_events),
		cmocka_unit_test(test_price_move_dominates),
		cmocka_unit_test(test_action_and_object),
		cmocka_unit_test(test_amounts_compared),
		cmocka_unit_test(test_hedge_weakens),
		cmocka_unit_test(test_wire_shorthand),
		cmocka_unit_test(test_questions),
		cmocka_unit_test(test_lexicon_groups),
		cmocka_unit_test(test_dev_set_floor),
		cmocka_unit_test(test_heldout_set_floor),
		cmocka_unit_test(test_fresh_set_floor),
		cmocka_unit_test(test_blind_set_floor),
		cmocka_unit_test(test_blind2_set_floor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

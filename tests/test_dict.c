/*
 * test_dict.c - the automaton (every occurrence, overlaps, case folding,
 * whole words),
 * the company table (merge, lookups, ordinary-word aliases), short names
 * and the company_tickers.json importer with a real-looking fixture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "dict.h"
#include "strbuf.h"
#include "util.h"

struct seen {
	char got[16][32];
	size_t n;
	const char *text;
};

static int
collect(void *arg, const struct dict_match *m)
{
	struct seen *s = arg;

	if (s->n < 16)
		snprintf(s->got[s->n++], 32, "%u:%.*s", m->payload,
		    (int)m->len, s->text + m->start);
	return 0;
}

static void
test_automaton(void **state)
{
	struct dict *d = dict_new();
	struct seen s;
	const char *t = "The NET LOSS narrowed; he said she sells";

	(void)state;
	dict_add(d, "net loss", 8, 1);
	dict_add(d, "loss", 4, 2);
	dict_add(d, "he", 2, 3);
	dict_add(d, "she", 3, 4);
	dict_add(d, "narrowed", 8, 5);
	dict_build(d);
	memset(&s, 0, sizeof(s));
	s.text = t;
	dict_scan(d, t, strlen(t), collect, &s);
	/* in order of their end; overlapping matches all reported */
	assert_int_equal(s.n, 7);
	assert_string_equal(s.got[0], "3:he");
	assert_string_equal(s.got[1], "1:NET LOSS");
	assert_string_equal(s.got[2], "2:LOSS");
	assert_string_equal(s.got[3], "5:narrowed");
	assert_string_equal(s.got[4], "3:he");
	assert_string_equal(s.got[5], "4:she");
	assert_string_equal(s.got[6], "3:he");
	{
		size_t len;

		assert_string_equal(dict_pattern(d, 0, &len), "net loss");
		assert_int_equal(len, 8);
	}
	assert_true(dict_memory(d) > 0);
	dict_free(d);
}

/*
 * Whole words: a name inside a longer word is no match, a prefix pattern
 * may go on ("upgrad*"), typographic dashes separate words like ASCII
 * ones, letters of other scripts do not, and a pattern that starts or
 * ends with punctuation needs no boundary on that side.
 */
static void
test_whole_words(void **state)
{
	struct dict *d = dict_new();
	struct seen s;
	const char *t = "Rates: pirate rate, RATE\xe2\x80\x94rate \xc3\xa9rate "
	    "upgraded upgrade Microsoft-backed S&P500 S&P";
	uint32_t up = DICT_PAYLOAD(2, 1, 0);
	char want[32];

	(void)state;
	dict_add(d, "rate", 4, 1);
	dict_add(d, "upgrad", 6, up);
	dict_add(d, "s&p", 3, 3);
	dict_add(d, "-backed", 7, 4);
	dict_build(d);
	memset(&s, 0, sizeof(s));
	s.text = t;
	dict_scan_words(d, t, strlen(t), collect, &s);
	assert_int_equal(s.n, 7);
	assert_string_equal(s.got[0], "1:rate");
	assert_string_equal(s.got[1], "1:RATE");
	assert_string_equal(s.got[2], "1:rate");
	snprintf(want, sizeof(want), "%u:upgrad", up);
	assert_string_equal(s.got[3], want);
	assert_string_equal(s.got[4], want);
	assert_string_equal(s.got[5], "4:-backed");
	assert_string_equal(s.got[6], "3:S&P");
	/* the plain scan reports the pieces of words as well */
	memset(&s, 0, sizeof(s));
	s.text = t;
	dict_scan(d, t, strlen(t), collect, &s);
	assert_int_equal(s.n, 11);
	assert_string_equal(s.got[0], "1:Rate");
	assert_string_equal(s.got[1], "1:rate");
	dict_free(d);
}

struct all {
	uint32_t end[6000], pat[6000];
	size_t n;
};

static int
collect_all(void *arg, const struct dict_match *m)
{
	struct all *a = arg;

	if (a->n < 6000) {
		a->end[a->n] = m->start + m->len;
		a->pat[a->n] = m->pattern;
	}
	a->n++;
	return 0;
}

/*
 * Long texts are scanned in two halves at once; the matches must be what
 * a plain search finds, in order of their end (longer first at the same
 * end), with many matches (more than are held back) and with few.
 */
static void
test_long_text(void **state)
{
	static const char *const pats[] = { "ab", "b a", "aba", "bab",
	    "abab a", "c", "a c b" };
	static const char alpha[2][4] = { "ab ", "xyzb" };
	struct dict *d = dict_new();
	static struct all got, want;
	static char t[3001];
	size_t k, e, i, len = sizeof(t) - 1;
	unsigned x = 12345;

	(void)state;
	for (i = 0; i < UTIL_ARRAY_LEN(pats); i++)
		dict_add(d, pats[i], strlen(pats[i]), (uint32_t)i);
	dict_build(d);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			t[i] = alpha[k][(x >> 16) % (k ? 4 : 3)];
			if (k && (x >> 8) % 29 == 0)
				t[i] = "ac "[(x >> 4) % 3];
		}
		t[len] = '\0';
		memset(&got, 0, sizeof(got));
		memset(&want, 0, sizeof(want));
		dict_scan(d, t, len, collect_all, &got);
		/* every pattern ending at e, the longest first */
		for (e = 1; e <= len; e++) {
			size_t l;

			for (l = 7; l > 0; l--)
				for (i = 0; i < UTIL_ARRAY_LEN(pats); i++)
					if (strlen(pats[i]) == l && l <= e &&
					    memcmp(t + e - l, pats[i], l) == 0)
						collect_all(&want,
						    &(struct dict_match){
						    (uint32_t)i, (uint32_t)i,
						    (uint32_t)(e - l),
						    (uint32_t)l });
		}
		/* the first text has more matches in its second half than
		 * are held back, the second fewer */
		assert_true(k ? want.n > 10 && want.n < 200 : want.n > 400);
		assert_int_equal(got.n, want.n);
		for (i = 0; i < got.n && i < 6000; i++) {
			assert_int_equal(got.end[i], want.end[i]);
			assert_int_equal(got.pat[i], want.pat[i]);
		}
	}
	dict_free(d);
}

static void
test_companies(void **state)
{
	struct dict_companies *dc = dict_companies_new();
	const char tsv[] = "# c\nAAPL\tNASDAQ\tApple Inc.\tApple|iPhone\tc\t"
	    "Information Technology\t3800\nIBM\tNYSE\tIBM\t-\t-\t-\t200\n";
	const char priv[] = "OpenAI\tChatGPT\tInformation Technology\tAI lab\n";
	const char more[] = "AAPL\t-\tApple\tApple Computer\ti\t-\t-\n";
	char err[256];
	long k;
	const struct dict_company *co;

	(void)state;
	assert_int_equal(dict_load_tickers(dc, "t", tsv, strlen(tsv), err,
	    sizeof(err)), 0);
	assert_int_equal(dict_load_private(dc, "p", priv, strlen(priv), err,
	    sizeof(err)), 0);
	assert_int_equal(dict_load_tickers(dc, "u", more, strlen(more), err,
	    sizeof(err)), 0);
	assert_int_equal(dict_companies_count(dc), 3);
	k = dict_find_ticker(dc, "aapl", 4);
	assert_true(k >= 0);
	co = dict_company(dc, (size_t)k);
	assert_string_equal(co->name, "Apple Inc.");
	assert_true(co->mcap > 3000);
	/* the later file added an alias, not its flags */
	assert_int_equal(co->flags & DICT_F_IMPORTED, 0);
	assert_true(co->n_aliases == 4);
	assert_true(dict_alias_is_common(co, "Apple"));
	assert_false(dict_alias_is_common(co, "Apple Inc."));
	assert_false(dict_alias_is_common(co, "iPhone"));
	assert_int_equal(dict_find_ticker(dc, "IB", 2), -1);
	co = dict_company(dc, 2);
	assert_null(co->ticker);
	assert_string_equal(co->name, "OpenAI");
	{
		const char bad[] = "ZZZ\tNYSE\tZed\t-\tq\t-\t-\n";

		assert_int_equal(dict_load_tickers(dc, "bad.tsv", bad,
		    strlen(bad), err, sizeof(err)), -1);
		assert_non_null(strstr(err, "bad.tsv:1"));
	}
	dict_companies_free(dc);
}

static void
test_short_names(void **state)
{
	static const char *const cases[][2] = {
		{ "Apple Inc.", "Apple" },
		{ "NVIDIA CORP", "Nvidia" },
		{ "AMAZON COM INC", "Amazon" },
		{ "Keysight Technologies, Inc.", "Keysight" },
		{ "The Walt Disney Company", "Walt Disney" },
		{ "BERKSHIRE HATHAWAY INC", "Berkshire Hathaway" },
		{ "Block, Inc.", "Block" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		dict_short_name(cases[i][0], buf, sizeof(buf));
		assert_string_equal(buf, cases[i][1]);
	}
}

/* SEC's company_tickers_exchange.json: a table with a field list. */
static void
test_import_exchange_table(void **state)
{
	char *json, err[256];
	const char *t;
	size_t len, n_out, n_skip;
	struct strbuf out;
	struct dict_companies *dc;
	long k;

	(void)state;
	assert_int_equal(util_read_file("tests/data/company_tickers_exchange_"
	    "sample.json", 1 << 20, &json, &len, err, sizeof(err)), 0);
	strbuf_init(&out);
	assert_int_equal(dict_import_sec_json(json, len, &out, &n_out,
	    &n_skip, err, sizeof(err)), 0);
	assert_int_equal(n_out, 5);
	assert_int_equal(n_skip, 2);	/* empty ticker, tab in ticker */
	assert_non_null(strstr(out.buf, "AAPL\tNasdaq\tApple\tApple Inc.\t"));
	assert_non_null(strstr(out.buf, "TGT\tNYSE\tTarget\tTARGET CORP\tic"));
	assert_non_null(strstr(out.buf, "SCFV\t-\t"));
	assert_non_null(strstr(out.buf, "Soci\xc3\xa9t\xc3\xa9"));
	dc = dict_companies_new();
	assert_int_equal(dict_load_tickers(dc, "user", out.buf, out.len, err,
	    sizeof(err)), 0);
	k = dict_find_ticker(dc, "ZRBQ", 4);
	assert_true(k >= 0);
	assert_string_equal(dict_company(dc, (size_t)k)->exchange, "OTC");
	dict_companies_free(dc);
	strbuf_done(&out);
	free(json);

	/* fields in another order, and a bad table */
	strbuf_init(&out);
	t = "{\"fields\":[\"ticker\",\"exchange\",\"name\"],"
	    "\"data\":[[\"MSFT\",\"Nasdaq\",\"MICROSOFT CORP\"]]}";
	assert_int_equal(dict_import_sec_json(t, strlen(t), &out, &n_out, &n_skip, err,
	    sizeof(err)), 0);
	assert_int_equal(n_out, 1);
	assert_non_null(strstr(out.buf, "MSFT\tNasdaq\tMicrosoft\t"));
	strbuf_reset(&out);
	t = "{\"fields\":[\"cik\"],\"data\":[]}";
	assert_int_equal(dict_import_sec_json(t, strlen(t), &out, &n_out, &n_skip, err, sizeof(err)), -1);
	strbuf_done(&out);
}

static void
test_import_fixture(void **state)
{
	char *json, err[256];
	size_t len, n_out, n_skip;
	struct strbuf out;
	struct dict_companies *dc;
	long k;

	(void)state;
	assert_int_equal(util_read_file("tests/data/company_tickers_sample."
	    "json", 1 << 20, &json, &len, err, sizeof(err)), 0);
	strbuf_init(&out);
	assert_int_equal(dict_import_sec_json(json, len, &out, &n_out,
	    &n_skip, err, sizeof(err)), 0);
	assert_int_equal(n_out, 29);
	assert_int_equal(n_skip, 2);	/* empty ticker, tab in ticker */
	/* Names that are one ordinary word keep only the official title. */
	assert_non_null(strstr(out.buf, "TGT\t-\tTarget\tTARGET CORP\tic\t"));
	assert_null(strstr(out.buf, "|Target"));
	assert_non_null(strstr(out.buf, "|Keysight\t"));
	/* \u escapes decode to UTF-8 */
	assert_non_null(strstr(out.buf, "Soci\xc3\xa9t\xc3\xa9"));
	assert_non_null(strstr(out.buf, "Snowy River Holdings & Co"));
	/* and the output loads back */
	dc = dict_companies_new();
	assert_int_equal(dict_load_tickers(dc, "user", out.buf, out.len, err,
	    sizeof(err)), 0);
	k = dict_find_ticker(dc, "XYZQ", 4);
	assert_true(k >= 0);
	assert_true(dict_company(dc, (size_t)k)->flags & DICT_F_IMPORTED);
	dict_companies_free(dc);
	strbuf_done(&out);
	free(json);
}

static void
test_import_garbage(void **state)
{
	static const char *const bad[] = {
		"", "[", "{\"0\":{\"ticker\":\"A\"", "nonsense",
		"{\"0\":{\"ticker\":\"\\u12\"}}", "{\"0\" {}}",
	};
	struct strbuf out;
	size_t i, n, s;
	char err[256];

	(void)state;
	strbuf_init(&out);
	for (i = 0; i < UTIL_ARRAY_LEN(bad); i++)
		assert_int_equal(dict_import_sec_json(bad[i], strlen(bad[i]),
		    &out, &n, &s, err, sizeof(err)), -1);
	/* an array of objects is accepted too */
	{
		const char ok[] = "[{\"ticker\":\"ABCD\",\"title\":"
		    "\"Abcd Widgets Inc\"}]";

		strbuf_reset(&out);
		assert_int_equal(dict_import_sec_json(ok, strlen(ok), &out,
		    &n, &s, err, sizeof(err)), 0);
		assert_int_equal(n, 1);
	}
	strbuf_done(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_automaton),
		cmocka_unit_test(test_whole_words),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_companies),
		cmocka_unit_test(test_short_names),
		cmocka_unit_test(test_import_fixture),
		cmocka_unit_test(test_import_exchange_table),
		cmocka_unit_test(test_import_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

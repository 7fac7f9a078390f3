/*
 * bench_analyze.c - analyzer figures: build time and dictionary memory,
 * throughput on one core (title + ~400-byte summary of varied financial
 * text, analysis text included; per CPU second of the thread, so that
 * other load on the machine does not count, and per wall-clock second),
 * and ticker precision / recall on tests/data/tickers_dev.tsv.  Sentiment
 * quality has its own benchmark, bench_sentiment.c.  Prints, never
 * asserts.
 *
 * Usage: bench_analyze [DEV_DIR]   (default tests/data)
 * BENCH_ITEMS=N analyses exactly N items once (for instruction counts
 * under valgrind --tool=callgrind --toggle-collect=analyze_text).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "strbuf.h"
#include "util.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* This thread's CPU time: items per CPU second is the per-core figure
 * even when other work shares the machine. */
static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const companies[] = {
	"Amazon", "Nvidia", "Apple", "Microsoft", "Tesla", "Alphabet", "Meta",
	"JPMorgan", "Exxon Mobil", "Pfizer", "Boeing", "Intel", "Walmart",
	"Netflix", "Oracle", "Salesforce", "AMD", "Broadcom", "Target",
	"Ford", "Eli Lilly", "Goldman Sachs", "Chevron", "Costco", "Visa",
};
static const char *const events[] = {
	"beats estimates as revenue rises %d%%",
	"cuts full-year guidance after weak quarter",
	"agrees to buy rival in $%dbn all-cash deal",
	"shares fall %d%% after downgrade at Morgan Stanley",
	"to present at investor conference next week",
	"commits up to $%dbn investment in AI data centers",
	"files for Chapter 11 bankruptcy protection",
	"CEO steps down; CFO named interim chief",
	"wins FDA approval for obesity drug",
	"to cut %d00 jobs in restructuring",
	"raises price target to $%d on strong demand",
	"net loss narrowed to $%d million in the third quarter",
	"opens new office in Austin",
	"faces antitrust probe over cloud contracts",
};
static const char *const summaries[] = {
	"The company said operating profit rose to $%d million from a year "
	"earlier, helped by higher prices and lower costs, while analysts "
	"had expected a smaller gain. Management reaffirmed its outlook for "
	"the fiscal year and said demand from enterprise customers remained "
	"strong across North America and Europe, although currency moves "
	"weighed on reported sales in Asia. Shares were little changed in "
	"premarket trading on the Nasdaq.",
	"Regulators in Brussels and Washington are examining the agreement, "
	"people familiar with the matter said, and a decision is not "
	"expected before the end of the year. The deal would be the largest "
	"in the sector since 2019 and values the target at about $%d "
	"billion including debt. Both boards have approved the terms and "
	"the companies expect annual cost savings of roughly $500 million.",
	"Investors have grown cautious about spending on data centres and "
	"chips as the company ramps up capital expenditure to $%d billion "
	"this year. The firm said inference demand for its cloud platform "
	"doubled, and it plans to hire engineers in London and Singapore. "
	"It did not change its forecast for free cash flow, which it sees "
	"recovering in the second half as new capacity comes online.",
};

static char *
make_item(unsigned i, char **summary)
{
	struct strbuf t, s;
	char ev[160], sm[800];
	unsigned n = 3 + (i * 7) % 40;

	strbuf_init(&t);
	strbuf_init(&s);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* the templates above are constant and take one int each */
	snprintf(ev, sizeof(ev), events[(i / 3) % UTIL_ARRAY_LEN(events)], n);
	strbuf_addf(&t, "%s %s", companies[i % UTIL_ARRAY_LEN(companies)], ev);
	snprintf(sm, sizeof(sm),
	    summaries[(i / 5) % UTIL_ARRAY_LEN(summaries)], n * 11);
#pragma GCC diagnostic pop
	strbuf_adds(&s, sm);
	*summary = strbuf_detach(&s, NULL);
	return strbuf_detach(&t, NULL);
}

static void
eval_tickers(const struct analyze_ctx *a, const char *dir, int verbose)
{
	char path[4096], *buf, err[256], *p, *nl;
	size_t len, i;
	long tp = 0, fp = 0, fn = 0, prim_ok = 0, prim_n = 0;

	snprintf(path, sizeof(path), "%s/tickers_dev.tsv", dir);
	if (util_read_file(path, 1 << 24, &buf, &len, err, sizeof(err)) < 0) {
		printf("tickers: %s\n", err);
		return;
	}
	for (p = buf; p && *p; p = nl) {
		char *text, *exp, *save, *t;
		char gold[16][16];
		size_t ng = 0;
		struct analyze_input in = { 0 };
		struct item_annotation ann = { 0 };
		int bad = 0;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if (*p == '#' || (text = strchr(p, '\t')) == NULL)
			continue;
		*text++ = '\0';
		exp = p;
		if (strcmp(exp, "-") != 0)
			for (t = exp; t && ng < 16; t = save) {
				save = strchr(t, ',');
				if (save)
					*save++ = '\0';
				util_strlcpy(gold[ng++], util_trim(t), 16);
			}
		in.title = text;
		in.source_weight = 0.5;
		analyze_text(a, &in, &ann);
		for (i = 0; i < ann.n_entities; i++) {
			size_t k;
			int hit = 0;

			if (!ann.entities[i].ticker[0])
				continue;
			for (k = 0; k < ng; k++)
				if (strcmp(gold[k], ann.entities[i].ticker) == 0)
					hit = 1;
			hit ? tp++ : (fp++, bad = 1);
		}
		for (i = 0; i < ng; i++) {
			size_t k;
			int hit = 0;

			for (k = 0; k < ann.n_entities; k++)
				if (strcmp(gold[i], ann.entities[k].ticker) == 0)
					hit = 1;
			if (!hit) {
				fn++;
				bad = 1;
			}
		}
		if (ng) {
			const char *pt = NULL;

			prim_n++;
			for (i = 0; i < ann.n_entities && !pt; i++)
				if (ann.entities[i].ticker[0])
					pt = ann.entities[i].ticker;
			if (pt && strcmp(pt, gold[0]) == 0)
				prim_ok++;
			else
				bad = 1;
		}
		if (verbose && bad) {
			printf("  want %s got", ng ? gold[0] : "-");
			for (i = 0; i < ann.n_entities; i++)
				printf(" %s", ann.entities[i].ticker[0] ?
				    ann.entities[i].ticker : "(private)");
			printf("  | %s\n", text);
		}
		item_annotation_clear(&ann);
	}
	printf("tickers   precision %.3f  recall %.3f  primary %.3f "
	    "(tp %ld fp %ld fn %ld)\n", tp + fp ? (double)tp / (double)(tp + fp)
	    : 0, tp + fn ? (double)tp / (double)(tp + fn) : 0,
	    prim_n ? (double)prim_ok / (double)prim_n : 0, tp, fp, fn);
	free(buf);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/data";
	int verbose = getenv("BENCH_VERBOSE") != NULL;
	struct analyze_ctx *a = NULL;
	struct analyze_stats st;
	struct mallinfo2 m0, m1;
	char err[512], **titles, **sums;
	double best = 1e9, t0, t1, c0, c1, total_bytes = 0;
	unsigned i, n = 4096, done = 0, once = 0;
	int r;

	for (r = 0; r < 5; r++) {
		if (a)
			analyze_free(a);
		m0 = mallinfo2();
		t0 = now_s();
		a = analyze_new(NULL, NULL, err, sizeof(err));
		t1 = now_s();
		m1 = mallinfo2();
		if (a == NULL) {
			fprintf(stderr, "analyze_new: %s\n", err);
			return 1;
		}
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	analyze_stats(a, &st);
	printf("build     %.2f ms (best of 5)  %zu tickers, %zu private, "
	    "%zu patterns, %zu states\n", best * 1e3, st.tickers,
	    st.private_companies, st.patterns, st.states);
	printf("dictionary memory %.2f MiB counted, %.2f MiB malloc delta\n",
	    (double)st.memory / 1048576.0,
	    ((double)m1.uordblks - (double)m0.uordblks) / 1048576.0);

	if (getenv("BENCH_ITEMS") != NULL) {
		long v;

		if (util_parse_long(getenv("BENCH_ITEMS"), 1, 1 << 20, &v) == 0) {
			n = (unsigned)v;
			once = 1;
		}
	}
	titles = xcalloc(n, sizeof(*titles));
	sums = xcalloc(n, sizeof(*sums));
	for (i = 0; i < n; i++) {
		titles[i] = make_item(i, &sums[i]);
		total_bytes += (double)(strlen(titles[i]) + strlen(sums[i]));
	}
	c0 = cpu_s();
	t0 = now_s();
	do {
		for (i = 0; i < n; i++) {
			struct analyze_input in;
			struct item_annotation ann = { 0 };

			in.title = titles[i];
			in.summary = sums[i];
			in.source_weight = 0.5;
			in.repeat = (int)(i & 1);
			analyze_text(a, &in, &ann);
			item_annotation_clear(&ann);
		}
		done += n;
		t1 = now_s();
	} while (!once && t1 - t0 < 2.0);
	c1 = cpu_s();
	printf("throughput %.0f items/s per core (%.2f us/item of CPU time, "
	    "%.0f bytes/item); %.0f items/s wall clock\n", done / (c1 - c0),
	    (c1 - c0) / done * 1e6, total_bytes / n, done / (t1 - t0));
	for (i = 0; i < n; i++) {
		free(titles[i]);
		free(sums[i]);
	}
	free(titles);
	free(sums);
	if (!once) {
		eval_tickers(a, dir, verbose);
	}
	analyze_free(a);
	return 0;
}

/*
 * bench_ui.c - the dashboard model with 100,000 headlines: how long
 * filters take, what a keypress costs before curses (move, then format
 * the visible rows with width-aware fitting), the watchlist statistics,
 * and the memory the model holds per item.  Figures only.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "embed.h"
#include "model.h"
#include "text.h"
#include "util.h"

enum { N = 100000, ROWS = 40, REPS = 20 };

static long
rss_kib(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	fclose(fp);
	return kib;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
time_filter(struct model *m, const struct model_filter *f)
{
	struct model_filter none;
	double t0, total = 0;
	int r;

	memset(&none, 0, sizeof(none));
	for (r = 0; r < REPS; r++) {
		t0 = now_ms();
		model_set_filter(m, f);
		total += now_ms() - t0;
		model_set_filter(m, &none);
	}
	return total / REPS;
}

int
main(void)
{
	static const char *const tick[] = {
		"AMZN", "NVDA", "AAPL", "MSFT", "GOOGL", "META", "TSLA", "AMD",
		"JPM", "XOM", "BA", "INTC", "NFLX", "WMT", "LLY", "PFE"
	};
	size_t nlines, i;
	struct item *list = demo_parse(embed_get("data/demo_headlines.tsv",
	    NULL), &nlines), **lines, *it;
	struct model *m;
	struct model_filter f;
	long rss0, rss1;
	double t0, t, worst = 0, sum = 0;
	time_t now = time(NULL);
	char buf[1024];
	int k, r;

	setlocale(LC_ALL, "C.UTF-8");
	lines = xcalloc(nlines, sizeof(*lines));
	for (i = 0, it = list; it; it = it->next)
		lines[i++] = it;
	rss0 = rss_kib();
	m = model_new();
	t0 = now_ms();
	for (i = 0; i < N; i++) {
		struct item *x = lines[i % nlines];
		char *title = x->title;

		x->rowid = (long long)i + 1;
		x->published = now - (time_t)(N - i) * 30;
		x->ann.valid = 1;
		x->ann.impact = (double)((i * 7919) % 100) / 100;
		x->ann.sentiment = (double)((long)(i % 7) - 3) / 3;
		x->ann.n_entities = 2;
		util_strlcpy(x->ann.entities[0].ticker, tick[i % 16],
		    ITEM_TICKER_LEN);
		util_strlcpy(x->ann.entities[1].ticker, tick[(i * 3 + 1) % 16],
		    ITEM_TICKER_LEN);
		x->ann.n_categories = 1;
		util_strlcpy(x->ann.categories[0], i % 3 ? "Technology" :
		    "Macro", ITEM_CATEGORY_LEN);
		model_add(m, x, MODEL_DEFER);
		x->title = title;
	}
	model_refresh(m);
	t = now_ms() - t0;
	rss1 = rss_kib();
	printf("model: %d items added in %.0f ms; RSS +%.1f MiB "
	    "(%.0f bytes/item)\n", N, t, (double)(rss1 - rss0) / 1024,
	    (double)(rss1 - rss0) * 1024 / N);

	memset(&f, 0, sizeof(f));
	util_strlcpy(f.ticker, "NVDA", sizeof(f.ticker));
	printf("filter ticker NVDA:        %.2f ms\n", time_filter(m, &f));
	memset(&f, 0, sizeof(f));
	f.min_impact = 0.5;
	printf("filter impact >= 0.5:      %.2f ms\n", time_filter(m, &f));
	memset(&f, 0, sizeof(f));
	util_strlcpy(f.search, "nvidia", sizeof(f.search));
	printf("filter search 'nvidia':    %.2f ms\n", time_filter(m, &f));
	memset(&f, 0, sizeof(f));
	util_strlcpy(f.ticker, "AMZN", sizeof(f.ticker));
	f.min_impact = 0.3;
	f.unread_only = 1;
	printf("filter AMZN+0.3+unread:    %.2f ms\n", time_filter(m, &f));
	t0 = now_ms();
	for (r = 0; r < REPS; r++) {
		model_set_sort(m, MODEL_SORT_IMPACT);
		model_set_sort(m, MODEL_SORT_TIME);
	}
	printf("sort toggle (re-sort):     %.2f ms\n",
	    (now_ms() - t0) / (2 * REPS));

	/* A keypress: move, then lay out a screenful of rows. */
	model_set_rows(m, ROWS);
	model_select(m, 0);
	for (r = 0; r < 1000; r++) {
		t0 = now_ms();
		model_move(m, r % 50 == 49 ? -(ROWS * 3) : 1);
		for (k = 0; k < ROWS; k++) {
			const struct model_item *mi = model_view_item(m,
			    (size_t)(model_top(m) + k));

			if (mi != NULL)
				text_fit(mi->title, 90, buf, sizeof(buf));
		}
		t = now_ms() - t0;
		sum += t;
		if (t > worst)
			worst = t;
	}
	printf("keypress model+layout:     %.3f ms mean, %.3f ms worst "
	    "(curses output not included)\n", sum / 1000, worst);
	{
		struct model_stat st[16];

		t0 = now_ms();
		for (r = 0; r < REPS; r++)
			model_ticker_stats(m, tick, 16, now, st);
		printf("watchlist stats, 16 tickers: %.2f ms\n",
		    (now_ms() - t0) / REPS);
	}
	model_free(m);
	for (i = 0; i < nlines; i++)
		lines[i]->next = NULL;
	for (i = 0; i < nlines; i++)
		item_free(lines[i]);
	free(lines);
	return 0;
}

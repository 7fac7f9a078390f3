/*
 * bench_store.c - the store at dashboard scale: insert throughput
 * (fetches of 50 annotated items, 40 fetches per batch transaction as the
 * poller groups them, or one transaction each with BENCH_BATCH=1), the warm
 * re-fetch path, time to the first screenful (open + newest 200) with
 * 200,000 items stored, UI query latencies, and the file size per
 * 100,000 items.  Prints figures, asserts nothing.  The database lives in
 * a temporary directory removed at the end.
 *
 *   build/bench/bench_store [ITEMS]      (default 200000)
 *   BENCH_KEEP=1 keeps the database (its path is printed).
 */
#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

enum { PER_FETCH = 50, FEEDS = 200, SCREEN = 200, RUNS = 21 };

static long batch_fetches = 40;

static const char *const words[] = {
	"shares", "rally", "slump", "earnings", "guidance", "chip", "cloud",
	"merger", "deal", "lawsuit", "recall", "tariff", "rates", "inflation",
	"oil", "output", "dividend", "buyback", "layoffs", "outlook", "record",
	"profit", "loss", "forecast", "antitrust", "probe", "launch", "AI",
	"datacenter", "supply", "shortage", "export", "curbs", "bond", "yields",
	"central", "bank", "growth", "jobs", "report", "stake", "acquire",
	"investment", "billion", "quarter", "revenue", "beats", "misses",
};
static const char *const tickers[] = {
	"AMZN", "NVDA", "AAPL", "MSFT", "GOOGL", "META", "TSLA", "JPM", "XOM",
	"CVX", "BAC", "WMT", "AMD", "INTC", "NFLX", "DIS", "BA", "PFE", "KO",
	"PEP", "ORCL", "CRM", "ADBE", "AVGO", "QCOM", "GS", "MS", "UNH", "V",
	"MA", "T", "VZ",
};
static const char *const cats[] = {
	"Artificial Intelligence", "Technology & Innovation", "Earnings",
	"Monetary Policy", "Energy & Commodities", "Regulation & Legal",
	"Mergers & Acquisitions", "Private Markets & Venture", "Labor",
	"Trade & Tariffs", "Corporate Guidance & Outlook",
};

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Headline words follow a Zipf-like law over a 5,000-word vocabulary (the
 * real words above are the most frequent ranks, the rest synthetic), so
 * the full-text index sees realistic doclists: a few words everywhere,
 * most words rare.  The words and the rank of each draw are tabulated
 * once, so that making the data costs little next to storing it.
 */
enum { VOCAB = 5000, DRAWS = 1000000 };

static char vocab[VOCAB][16];
static size_t vocab_len[VOCAB];
static unsigned short *rank_of;	/* draw (0..DRAWS-1) -> rank */

static void
vocab_init(void)
{
	size_t r, u;

	for (r = 0; r < VOCAB; r++) {
		if (r < UTIL_ARRAY_LEN(words))
			snprintf(vocab[r], sizeof(vocab[r]), "%s", words[r]);
		else
			snprintf(vocab[r], sizeof(vocab[r]), "%c%c%c%zu",
			    'b' + (int)(r % 19), 'a' + (int)(r / 19 % 5) * 4,
			    'k' + (int)(r % 7), r);
		vocab_len[r] = strlen(vocab[r]);
	}
	rank_of = xcalloc(DRAWS, sizeof(*rank_of));
	for (u = 0; u < DRAWS; u++)
		rank_of[u] = (unsigned short)((size_t)exp((double)u / DRAWS *
		    log((double)VOCAB)) - 1);
}

static void
words_into(struct strbuf *sb, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t r = rank_of[next_rand() % DRAWS];

		if (i)
			strbuf_addc(sb, ' ');
		strbuf_add(sb, vocab[r], vocab_len[r]);
	}
}

static void
annotate(void *arg, struct item *it, int repeat)
{
	struct item_annotation *a = &it->ann;
	size_t i, n;

	(void)arg;
	item_annotation_clear(a);
	a->valid = 1;
	a->version = 1;
	a->impact = (double)(next_rand() % 100) / 100.0;
	a->sentiment = (double)((int)(next_rand() % 201) - 100) / 100.0;
	a->sentiment_label = a->sentiment > 0.1 ? 1 : a->sentiment < -0.1 ?
	    -1 : 0;
	util_strlcpy(a->event, repeat ? "follow-up" : "earnings",
	    sizeof(a->event));
	n = 1 + next_rand() % 3;
	for (i = 0; i < n; i++) {
		const char *t = tickers[next_rand() % UTIL_ARRAY_LEN(tickers)];

		util_strlcpy(a->entities[i].ticker, t, ITEM_TICKER_LEN);
		snprintf(a->entities[i].name, ITEM_NAME_LEN, "%s Inc.", t);
		a->entities[i].role = i ? ITEM_ROLE_MENTIONED :
		    ITEM_ROLE_PRIMARY;
	}
	a->n_entities = n;
	for (i = 0; i < 5; i++) {
		static const char *const pn[] = { "event", "magnitude",
		    "source", "novelty", "sentiment" };

		util_strlcpy(a->parts[i].name, pn[i], ITEM_PART_LEN);
		a->parts[i].value = (double)(next_rand() % 1000) / 1000.0;
	}
	a->n_parts = 5;
	n = 1 + next_rand() % 3;
	for (i = 0; i < n; i++)
		util_strlcpy(a->categories[i], cats[next_rand() %
		    UTIL_ARRAY_LEN(cats)], ITEM_CATEGORY_LEN);
	a->n_categories = n;
	a->analysis = xstrdup("The second-order effect matters more than the "
	    "headline: capacity commitments shift bargaining power, margins "
	    "and the competitive position over the next several quarters, "
	    "while the main risk is execution and demand visibility.");
}

static struct item *
make_fetch(long feed, long fetch, time_t now, long total)
{
	struct item *list = NULL, *it;
	struct strbuf sb;
	long i;

	strbuf_init(&sb);
	for (i = PER_FETCH - 1; i >= 0; i--) {
		it = item_new();
		strbuf_reset(&sb);
		strbuf_addf(&sb, "tag:feed%ld.example,2026:%ld-%ld", feed,
		    fetch, i);
		item_set(&it->id, sb.buf);
		strbuf_reset(&sb);
		words_into(&sb, 9);
		strbuf_addf(&sb, " %ld", fetch * PER_FETCH + i);
		item_set(&it->title, sb.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "https://www.feed%ld.example/news/%ld/%ld"
		    "?utm_source=rss", feed, fetch, i);
		item_set(&it->link, sb.buf);
		strbuf_reset(&sb);
		words_into(&sb, 45);
		item_set(&it->summary, sb.buf);
		/* Spread over 30 days, newest last. */
		it->published = now - (time_t)((total - (fetch * FEEDS + feed)
		    * PER_FETCH - i) * (30L * 86400) / total);
		it->next = list;
		list = it;
	}
	strbuf_done(&sb);
	return list;
}

/* Wall and CPU time spent in the store (ingest, batch begin and commit),
 * apart from making the test data. */
static double store_wall_ms, store_cpu_ms, store_thr_ms;

static double
ts_ms(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void
store_timer(int start)
{
	static double w, c, t;

	if (start) {
		w = ts_ms(CLOCK_MONOTONIC);
		c = ts_ms(CLOCK_PROCESS_CPUTIME_ID);
		t = ts_ms(CLOCK_THREAD_CPUTIME_ID);
		return;
	}
	store_wall_ms += ts_ms(CLOCK_MONOTONIC) - w;
	store_cpu_ms += ts_ms(CLOCK_PROCESS_CPUTIME_ID) - c;
	store_thr_ms += ts_ms(CLOCK_THREAD_CPUTIME_ID) - t;
}

/* Bytes this process has handed to write() so far (Linux), or -1. */
static long long
bytes_written(void)
{
	char line[128];
	long long v = -1;
	FILE *fp = fopen("/proc/self/io", "r");

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "wchar: ", 7) == 0)
			v = strtoll(line + 7, NULL, 10);
	fclose(fp);
	return v;
}

static double
ms_since(int64_t t0)
{
	return (double)(util_mono_ms() - t0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median wall time of a query in ms (microsecond clock). */
static double
time_query(struct store *s, const struct store_query *q, size_t *n_out)
{
	double t[RUNS];
	struct timespec a, b;
	struct item *list;
	char err[512];
	size_t n = 0;
	int r;

	for (r = 0; r < RUNS; r++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (store_query(s, q, &list, &n, err, sizeof(err)) < 0) {
			fprintf(stderr, "query: %s\n", err);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		item_free_list(list);
		t[r] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	*n_out = n;
	return t[RUNS / 2];
}

static double
time_stats(struct store *s, const char *const *tk, size_t ntk, time_t now,
    size_t *n_out)
{
	double t[RUNS];
	struct timespec a, b;
	struct store_ticker_stat *st;
	char err[512];
	int r;

	for (r = 0; r < RUNS; r++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (store_ticker_stats(s, now - 86400, now, tk, ntk, &st,
		    n_out, err, sizeof(err)) < 0) {
			fprintf(stderr, "stats: %s\n", err);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		free(st);
		t[r] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static long long
file_size(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? (long long)sb.st_size : 0;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/deskwire-bench-XXXXXX", path[128], p2[160];
	char err[1024], url[64], name[32];
	struct store *s;
	struct store_query q;
	long total = 200000, fetches, f, k, written = 0;
	time_t now = util_now();
	int64_t t0;
	clock_t c0;
	long long w0, w1;
	double ms, first, cpu;
	size_t n;
	const char *watch[] = { "AMZN", "NVDA", "AAPL", "MSFT", "GOOGL",
	    "META", "TSLA", "JPM" };

	if (argc > 1 && util_parse_long(argv[1], 10000, 10000000, &total) < 0)
		total = 200000;
	if (getenv("BENCH_BATCH") != NULL && util_parse_long(
	    getenv("BENCH_BATCH"), 1, 1000, &batch_fetches) < 0)
		batch_fetches = 40;
	vocab_init();
	fetches = total / (FEEDS * PER_FETCH);
	total = fetches * FEEDS * PER_FETCH;
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/deskwire.db", dir);
	if ((s = store_open(path, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}

	/* Insert: FEEDS feeds polled `fetches` times, 50 new items each.
	 * CPU time is printed too: wall time on a busy machine is noisy. */
	t0 = util_mono_ms();
	c0 = clock();
	w0 = bytes_written();
	for (k = 0; k < fetches; k++) {
		for (f = 0; f < FEEDS; f++) {
			struct store_feed sf;
			struct item *list = make_fetch(f, k, now, total);
			struct item *fresh = NULL, *it;

			memset(&sf, 0, sizeof(sf));
			snprintf(url, sizeof(url),
			    "https://feed%ld.example/rss", f);
			snprintf(name, sizeof(name), "Feed %ld", f);
			sf.url = url;
			sf.name = name;
			sf.last_attempt = sf.last_success = now;
			sf.http_status = 200;
			store_timer(1);
			if (batch_fetches > 1 && !store_batch_active(s) &&
			    store_batch_begin(s, err, sizeof(err)) < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			if (store_ingest(s, &sf, &list, annotate, NULL, &fresh,
			    err, sizeof(err)) < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			if (store_batch_active(s) && ((k * FEEDS + f + 1) %
			    batch_fetches == 0 || (k == fetches - 1 &&
			    f == FEEDS - 1)) &&
			    store_batch_commit(s, err, sizeof(err)) < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			store_timer(0);
			for (it = fresh; it != NULL; it = it->next)
				written++;
			item_free_list(fresh);
			item_free_list(list);
		}
	}
	ms = ms_since(t0);
	cpu = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
	printf("insert: %ld items in %.0f ms = %.0f items/s (fetches of %d, "
	    "%ld per transaction, annotated; indexed for search below); "
	    "CPU %.0f ms = "
	    "%.0f items/CPU-s\n", written, ms, written / (ms / 1000.0),
	    PER_FETCH, batch_fetches, cpu, written / (cpu / 1000.0));
	printf("insert, time in the store only (without making the data): "
	    "%.0f ms = %.0f items/s; CPU %.0f ms = %.0f items/CPU-s, of "
	    "which the writing thread %.0f ms (the rest: checkpoints)\n",
	    store_wall_ms, written / (store_wall_ms / 1000.0), store_cpu_ms,
	    written / (store_cpu_ms / 1000.0), store_thr_ms);
	printf("background checkpoints: %lld\n", store_checkpoints(s));
	/* The full-text index follows the items (store_fts_catch_up()), as
	 * a dashboard's poller builds it between polls. */
	{
		double ims;
		size_t done, indexed = 0;
		int64_t i0 = util_mono_ms();

		do {
			if (store_fts_catch_up(s, 2000, &done, err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			indexed += done;
		} while (done == 2000);
		ims = ms_since(i0);
		printf("search index: %zu items in %.0f ms = %.0f items/s; "
		    "store-only insert and index together: %.0f items/s\n",
		    indexed, ims, indexed / (ims / 1000.0),
		    written / ((store_wall_ms + ims) / 1000.0));
	}
	if (w0 >= 0 && (w1 = bytes_written()) >= 0)
		printf("insert wrote %.1f MiB (WAL and checkpoints) = %.1f KiB "
		    "per item\n", (double)(w1 - w0) / 1048576.0,
		    (double)(w1 - w0) / 1024.0 / (double)written);

	/* Warm path: the last fetch of every feed again, unchanged (after
	 * the write-back of the inserts, see below). */
	sync();
	t0 = util_mono_ms();
	for (f = 0; f < FEEDS; f++) {
		struct store_feed sf;
		struct item *list = make_fetch(f, fetches - 1, now, total);
		struct item *fresh = NULL;

		memset(&sf, 0, sizeof(sf));
		snprintf(url, sizeof(url), "https://feed%ld.example/rss", f);
		sf.url = url;
		/* Same titles need the same random words: regenerate them
		 * from the stored row instead. */
		item_free_list(list);
		{
			struct store_query fq;
			struct item *got;

			memset(&fq, 0, sizeof(fq));
			fq.feed_url = url;
			fq.limit = PER_FETCH;
			if (store_query(s, &fq, &got, &n, err,
			    sizeof(err)) < 0)
				return 1;
			list = got;
		}
		if (store_ingest(s, &sf, &list, annotate, NULL, &fresh, err,
		    sizeof(err)) < 0)
			return 1;
		if (fresh != NULL)
			printf("warm path wrote items (unexpected)\n");
		item_free_list(fresh);
		item_free_list(list);
	}
	ms = ms_since(t0);
	printf("warm re-fetch (unchanged, incl. reading them back): %d items "
	    "in %.0f ms = %.0f items/s\n", FEEDS * PER_FETCH, ms,
	    FEEDS * PER_FETCH / (ms / 1000.0));
	store_close(s);
	/* Let the system write back what the inserts left dirty, so that
	 * the reads below do not compete with it. */
	sync();

	/* First screenful: open + newest 200, cold connection. */
	t0 = util_mono_ms();
	{
		struct timespec a, b;
		struct item *list;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if ((s = store_open(path, 0, err, sizeof(err))) == NULL)
			return 1;
		memset(&q, 0, sizeof(q));
		q.limit = SCREEN;
		if (store_query(s, &q, &list, &n, err, sizeof(err)) < 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		item_free_list(list);
		first = (double)(b.tv_sec - a.tv_sec) * 1e3 +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	printf("first screenful (open + newest %d of %ld): %.1f ms\n", SCREEN,
	    total, first);

	memset(&q, 0, sizeof(q));
	q.limit = SCREEN;
	ms = time_query(s, &q, &n);
	printf("query newest %d: %.2f ms (%zu rows)\n", SCREEN, ms, n);
	q.ticker = "NVDA";
	ms = time_query(s, &q, &n);
	printf("query ticker NVDA newest %d: %.2f ms (%zu rows)\n", SCREEN,
	    ms, n);
	q.ticker = NULL;
	/* The most frequent word (in ~1 item of 10), a mid-frequency pair,
	 * a rare word, a prefix. */
	q.search = "shares";
	ms = time_query(s, &q, &n);
	printf("query FTS \"shares\" (most common word) newest %d: %.2f ms "
	    "(%zu rows)\n", SCREEN, ms, n);
	q.search = "chip earnings";
	ms = time_query(s, &q, &n);
	printf("query FTS \"chip earnings\" newest %d: %.2f ms (%zu rows)\n",
	    SCREEN, ms, n);
	q.search = "antitrust";
	ms = time_query(s, &q, &n);
	printf("query FTS \"antitrust\" newest %d: %.2f ms (%zu rows)\n",
	    SCREEN, ms, n);
	q.search = "buy*";
	ms = time_query(s, &q, &n);
	printf("query FTS \"buy*\" newest %d: %.2f ms (%zu rows)\n", SCREEN,
	    ms, n);
	q.search = NULL;
	q.min_impact = 0.7;
	ms = time_query(s, &q, &n);
	printf("query min-impact 0.7 newest %d: %.2f ms (%zu rows)\n",
	    SCREEN, ms, n);
	q.min_impact = 0.97;
	ms = time_query(s, &q, &n);
	printf("query min-impact 0.97 newest %d: %.2f ms (%zu rows)\n",
	    SCREEN, ms, n);
	q.min_impact = 0;
	q.by_impact = 1;
	q.since = now - 86400;
	ms = time_query(s, &q, &n);
	printf("query last 24h by impact, top %d: %.2f ms (%zu rows)\n",
	    SCREEN, ms, n);
	memset(&q, 0, sizeof(q));
	q.limit = SCREEN;
	q.unread_only = 1;
	ms = time_query(s, &q, &n);
	printf("query unread newest %d: %.2f ms (%zu rows)\n", SCREEN, ms, n);
	q.unread_only = 0;
	q.category = "Labor";
	ms = time_query(s, &q, &n);
	printf("query category newest %d: %.2f ms (%zu rows)\n", SCREEN, ms,
	    n);
	q.category = NULL;
	q.ticker = "AMZN";
	q.min_impact = 0.5;
	q.since = now - 7 * 86400;
	ms = time_query(s, &q, &n);
	printf("query ticker+min-impact+7d: %.2f ms (%zu rows)\n", ms, n);
	ms = time_stats(s, watch, UTIL_ARRAY_LEN(watch), now, &n);
	printf("ticker stats, 8 watchlist tickers, 24h + hourly: %.2f ms\n",
	    ms);
	ms = time_stats(s, NULL, 0, now, &n);
	printf("ticker stats, every ticker, 24h + hourly: %.2f ms (%zu "
	    "tickers)\n", ms, n);
	store_close(s);

	/* Size after a checkpoint (store_close checkpoints the WAL). */
	snprintf(p2, sizeof(p2), "%s-wal", path);
	printf("database size: %.1f MiB for %ld items = %.1f MiB per 100,000 "
	    "items\n", (file_size(path) + file_size(p2)) / 1048576.0, total,
	    (file_size(path) + file_size(p2)) / 1048576.0 * 100000.0 /
	    (double)total);

	/* BENCH_KEEP=1: leave the database for inspection. */
	if (getenv("BENCH_KEEP") != NULL) {
		printf("database kept: %s\n", path);
		free(rank_of);
		return 0;
	}
	unlink(path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s.lock", path);
	unlink(p2);
	rmdir(dir);
	free(rank_of);
	return 0;
}

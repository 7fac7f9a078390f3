/*
 * helper_ingest.c - a store writer for the end-to-end tests: ingests
 * FEEDS synthetic feeds of ITEMS items each into DB, in batches of BATCH
 * feeds (one transaction each, as the poller groups them), and prints
 * "committed FEED_URL ITEMS" (flushed) for each feed of a batch once it
 * is committed, so a test can kill it at any point and know what must be
 * stored.
 *
 *   helper_ingest DB FEEDS ITEMS [ROUNDS]     (env BATCH, default 3)
 *
 * ROUNDS > 1 re-ingests with changed titles (updates) to keep writing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "util.h"

static void
annotate(void *arg, struct item *it, int repeat)
{
	static const char *const tick[] = { "AMZN", "NVDA", "AAPL", "MSFT",
	    "TSLA", "XOM", "JPM", "META" };
	struct item_annotation *a = &it->ann;
	uint64_t h = util_hash64(it->id, strlen(it->id));

	(void)arg;
	item_annotation_clear(a);
	a->valid = 1;
	a->version = 1;
	a->impact = (double)(h % 100) / 100.0;
	a->sentiment = repeat ? 0 : (double)((int)(h % 21) - 10) / 10.0;
	util_strlcpy(a->entities[0].ticker, tick[h % 8], ITEM_TICKER_LEN);
	util_strlcpy(a->entities[0].name, tick[h % 8], ITEM_NAME_LEN);
	a->n_entities = 1;
	util_strlcpy(a->categories[0], "Markets", ITEM_CATEGORY_LEN);
	a->n_categories = 1;
	a->analysis = xstrdup("Synthetic analysis text for the store test.");
}

int
main(int argc, char **argv)
{
	struct store *s;
	char err[1024], url[128], name[64], buf[256];
	long feeds, items, rounds = 1, batch = 3, r, f, i, k;
	time_t now = util_now();

	if (argc < 4 || util_parse_long(argv[2], 1, 100000, &feeds) < 0 ||
	    util_parse_long(argv[3], 1, 100000, &items) < 0 ||
	    (argc > 4 && util_parse_long(argv[4], 1, 1000, &rounds) < 0)) {
		fprintf(stderr, "usage: helper_ingest DB FEEDS ITEMS "
		    "[ROUNDS]\n");
		return 2;
	}
	if (getenv("BATCH") != NULL && util_parse_long(getenv("BATCH"), 1,
	    1000, &batch) < 0)
		batch = 3;
	if ((s = store_open(argv[1], 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "helper_ingest: %s\n", err);
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		for (f = 0; f < feeds; f++) {
			struct store_feed sf;
			struct item *list = NULL, *fresh = NULL, *it;

			snprintf(url, sizeof(url),
			    "http://127.0.0.1/feed-%ld.xml", f);
			snprintf(name, sizeof(name), "Feed %ld", f);
			memset(&sf, 0, sizeof(sf));
			sf.url = url;
			sf.name = name;
			sf.last_attempt = sf.last_success = now;
			sf.http_status = 200;
			sf.items_seen = items;
			for (i = items - 1; i >= 0; i--) {
				it = item_new();
				snprintf(buf, sizeof(buf), "f%ld-i%ld", f, i);
				item_set(&it->id, buf);
				snprintf(buf, sizeof(buf), "Company %ld reports "
				    "item %ld of feed %ld round %ld", (f * 7 +
				    i) % 500, i, f, r);
				item_set(&it->title, buf);
				snprintf(buf, sizeof(buf),
				    "https://news%ld.example/story/%ld", f, i);
				item_set(&it->link, buf);
				item_set(&it->summary, "Shares moved after the "
				    "announcement; analysts weighed guidance.");
				it->published = now - (f * items + i) * 7;
				it->next = list;
				list = it;
			}
			if (!store_batch_active(s) && store_batch_begin(s, err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "helper_ingest: %s\n", err);
				item_free_list(list);
				store_close(s);
				return 1;
			}
			if (store_ingest(s, &sf, &list, annotate, NULL, &fresh,
			    err, sizeof(err)) < 0) {
				fprintf(stderr, "helper_ingest: %s\n", err);
				item_free_list(list);
				store_close(s);
				return 1;
			}
			item_free_list(list);
			item_free_list(fresh);
			if ((f + 1) % batch != 0 && f + 1 < feeds)
				continue;
			if (store_batch_commit(s, err, sizeof(err)) < 0) {
				fprintf(stderr, "helper_ingest: %s\n", err);
				store_close(s);
				return 1;
			}
			for (k = f - (f % batch); k <= f; k++)
				printf("committed http://127.0.0.1/feed-%ld.xml "
				    "%ld\n", k, items);
			fflush(stdout);
		}
	}
	store_close(s);
	return 0;
}

/*
 * test_store.c - the SQLite store on real files in a temporary directory:
 * every field round-trips, migration from the pre-release layout, refusal
 * of a newer schema, dedupe and updates, story clustering, retention,
 * full-text search with hostile input, ticker statistics, the watchlist,
 * read-only and corrupt files, the poll lock and reanalysis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
/* The connection itself, to simulate a full disk (test_disk_full). */
#include "../src/store_int.h"
#include "util.h"

static char tmpdir[256];
static char dbpath[512];
static char err[1024];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/deskwire-store-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	/* A directory that does not exist yet: store_open creates it. */
	snprintf(dbpath, sizeof(dbpath), "%s/data/deskwire.db", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	/* Only our own mkdtemp directory; the name has no quotes. */
	snprintf(cmd, sizeof(cmd), "%s", tmpdir);
	if (strncmp(cmd, "/tmp/deskwire-store-", 20) == 0) {
		const char *names[] = { "data/deskwire.db",
		    "data/deskwire.db-wal", "data/deskwire.db-shm",
		    "data/deskwire.db.lock", "data/deskwire.db.bad",
		    "data" };
		char p[700];
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(p, sizeof(p), "%s/%s", tmpdir, names[i]);
			chmod(p, 0600);
			if (i + 1 < sizeof(names) / sizeof(names[0]))
				unlink(p);
			else
				rmdir(p);
		}
		rmdir(tmpdir);
	}
	return 0;
}

static struct store *
open_ok(void)
{
	struct store *s = store_open(dbpath, 0, err, sizeof(err));

	if (s == NULL)
		fail_msg("store_open: %s", err);
	return s;
}

static struct item *
mk(const char *id, const char *title, const char *link, time_t pub)
{
	struct item *it = item_new();

	item_set(&it->id, id);
	item_set(&it->title, title);
	item_set(&it->link, link);
	item_set(&it->summary, "A summary.");
	it->published = pub;
	return it;
}

static void
annotate_as(struct item *it, const char *ticker, double impact,
    double sentiment, const char *category)
{
	struct item_annotation *a = &it->ann;

	item_annotation_clear(a);
	a->valid = 1;
	a->version = 1;
	a->impact = impact;
	a->sentiment = sentiment;
	a->sentiment_label = sentiment > 0.1 ? 1 : sentiment < -0.1 ? -1 : 0;
	if (ticker != NULL) {
		util_strlcpy(a->entities[0].ticker, ticker,
		    sizeof(a->entities[0].ticker));
		util_strlcpy(a->entities[0].name, ticker,
		    sizeof(a->entities[0].name));
		a->n_entities = 1;
	}
	if (category != NULL) {
		util_strlcpy(a->categories[0], category,
		    sizeof(a->categories[0]));
		a->n_categories = 1;
	}
}

struct calls {
	int n;
	int repeats;
};

static void
count_annotate(void *arg, struct item *it, int repeat)
{
	struct calls *c = arg;

	(void)it;
	c->n++;
	c->repeats += repeat;
}

static void
feed_init(struct store_feed *f, const char *url, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->url = (char *)url;
	f->name = (char *)name;
}

/* Ingest a list (consumed) for one feed; returns how many were written. */
static int
ingest(struct store *s, const char *url, const char *name,
    struct item *list, struct calls *c)
{
	struct store_feed f;
	struct item *fresh = NULL, *it;
	int n = 0;

	feed_init(&f, url, name);
	if (store_ingest(s, &f, &list, c ? count_annotate : NULL, c, &fresh,
	    err, sizeof(err)) < 0)
		fail_msg("store_ingest: %s", err);
	for (it = fresh; it != NULL; it = it->next)
		n++;
	item_free_list(fresh);
	item_free_list(list);
	return n;
}

/* store_ingest's return for one item (consumed). */
static int
ingest_fails(struct store *s, struct item *list)
{
	struct store_feed f;
	struct item *fresh = NULL;
	int rc;

	feed_init(&f, "https://a.example/rss", "A");
	rc = store_ingest(s, &f, &list, NULL, NULL, &fresh, err, sizeof(err));
	item_free_list(fresh);
	item_free_list(list);
	return rc;
}

static size_t
count_query(struct store *s, const struct store_query *q)
{
	struct item *list;
	size_t n;

	if (store_query(s, q, &list, &n, err, sizeof(err)) < 0)
		fail_msg("store_query: %s", err);
	item_free_list(list);
	return n;
}

static long long
rowid_of(struct store *s, const char *search)
{
	struct store_query q;
	struct item *list;
	size_t n;
	long long id;

	memset(&q, 0, sizeof(q));
	q.search = search;
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	id = list->rowid;
	item_free_list(list);
	return id;
}

static void
exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sql: %s", msg);
	sqlite3_close(db);
}

/* The integer a one-value query gives, read on a connection of its own. */
static long long
sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("sql: %s", sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
test_roundtrip(void **state)
{
	struct store *s;
	struct store_feed f, g;
	struct item *it = item_new(), *fresh = NULL, *got;
	struct item_annotation *a = &it->ann;
	time_t pub = 1795692127;
	struct stat sb;
	char dir[600], *v;

	(void)state;
	s = open_ok();
	snprintf(dir, sizeof(dir), "%s/data", tmpdir);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);

	item_set(&it->id, "urn:uuid:1b4e28ba");
	item_set(&it->title, "Amazon commits up to $25bn investment in "
	    "Anthropic");
	item_set(&it->link, "https://wire.example.com/a/amazon-anthropic");
	item_set(&it->summary, "Amazon will invest $5bn in Anthropic.");
	item_set(&it->content, "Full text\twith a tab\nand lines.");
	item_set(&it->author, "Jane Roe");
	item_set(&it->tags, "Technology\nDeals");
	it->published = pub;
	it->source_weight = 0.8;
	a->valid = 1;
	a->version = 3;
	a->impact = 0.56;
	a->sentiment = 0.42;
	a->sentiment_label = 1;
	util_strlcpy(a->event, "investment", sizeof(a->event));
	util_strlcpy(a->entities[0].name, "Amazon.com", ITEM_NAME_LEN);
	util_strlcpy(a->entities[0].ticker, "AMZN", ITEM_TICKER_LEN);
	a->entities[0].role = ITEM_ROLE_PRIMARY;
	util_strlcpy(a->entities[1].name, "Anthropic", ITEM_NAME_LEN);
	a->entities[1].role = ITEM_ROLE_MENTIONED;
	util_strlcpy(a->entities[2].name, "NVIDIA", ITEM_NAME_LEN);
	util_strlcpy(a->entities[2].ticker, "NVDA", ITEM_TICKER_LEN);
	a->entities[2].role = ITEM_ROLE_MENTIONED;
	a->n_entities = 3;
	util_strlcpy(a->parts[0].name, "event", ITEM_PART_LEN);
	a->parts[0].value = 0.3;
	util_strlcpy(a->parts[1].name, "magnitude", ITEM_PART_LEN);
	a->parts[1].value = 0.125;
	a->n_parts = 2;
	util_strlcpy(a->categories[0], "Artificial Intelligence",
	    ITEM_CATEGORY_LEN);
	util_strlcpy(a->categories[1], "Private Markets & Venture",
	    ITEM_CATEGORY_LEN);
	a->n_categories = 2;
	a->analysis = xstrdup("Less about a funding headline than a stack.");

	feed_init(&f, "https://wire.example.com/rss", "Example Wire");
	f.etag = (char *)"\"5f2a-9c\"";
	f.last_modified = (char *)"Thu, 26 Nov 2026 11:40:00 GMT";
	f.last_attempt = pub + 60;
	f.last_success = pub + 60;
	f.next_due = pub + 960;
	f.http_status = 200;
	f.items_seen = 1;
	assert_int_equal(store_ingest(s, &f, &it, NULL, NULL, &fresh, err,
	    sizeof(err)), 0);
	assert_null(it);
	assert_non_null(fresh);
	assert_true(fresh->rowid > 0);
	assert_true(fresh->story_id > 0);
	assert_int_equal(fresh->n_sources, 1);
	assert_true(fresh->first_seen > 0);
	assert_int_equal(fresh->is_update, 0);

	/* User state. */
	assert_int_equal(store_set_read(s, fresh->rowid, 1, err,
	    sizeof(err)), 0);
	assert_int_equal(store_set_starred(s, fresh->rowid, 1, err,
	    sizeof(err)), 0);
	assert_int_equal(store_set_note(s, fresh->rowid, "watch Q4 capex",
	    err, sizeof(err)), 0);
	assert_int_equal(store_meta_set(s, "ui.pane", "detail", err,
	    sizeof(err)), 0);
	store_close(s);

	/* Everything survives a reopen. */
	s = open_ok();
	assert_int_equal(store_get(s, fresh->rowid, &got, err, sizeof(err)),
	    0);
	assert_string_equal(got->feed, "Example Wire");
	assert_string_equal(got->feed_url, "https://wire.example.com/rss");
	assert_string_equal(got->id, "urn:uuid:1b4e28ba");
	assert_string_equal(got->title, fresh->title);
	assert_string_equal(got->link, fresh->link);
	assert_string_equal(got->summary, fresh->summary);
	assert_string_equal(got->content, "Full text\twith a tab\nand lines.");
	assert_string_equal(got->author, "Jane Roe");
	assert_string_equal(got->tags, "Technology\nDeals");
	assert_int_equal(got->published, pub);
	assert_int_equal(got->published_guessed, 0);
	assert_int_equal(got->first_seen, fresh->first_seen);
	assert_int_equal(got->updated, 0);
	assert_int_equal(got->story_id, fresh->story_id);
	assert_int_equal(got->n_sources, 1);
	assert_true(got->source_weight > 0.79 && got->source_weight < 0.81);
	assert_int_equal(got->read, 1);
	assert_int_equal(got->starred, 1);
	assert_string_equal(got->note, "watch Q4 capex");
	a = &got->ann;
	assert_int_equal(a->valid, 1);
	assert_int_equal(a->version, 3);
	assert_true(a->impact > 0.559 && a->impact < 0.561);
	assert_true(a->sentiment > 0.419 && a->sentiment < 0.421);
	assert_int_equal(a->sentiment_label, 1);
	assert_string_equal(a->event, "investment");
	assert_int_equal(a->n_entities, 3);
	assert_string_equal(a->entities[0].name, "Amazon.com");
	assert_string_equal(a->entities[0].ticker, "AMZN");
	assert_int_equal(a->entities[0].role, ITEM_ROLE_PRIMARY);
	assert_string_equal(a->entities[1].name, "Anthropic");
	assert_string_equal(a->entities[1].ticker, "");
	assert_int_equal(a->entities[1].role, ITEM_ROLE_MENTIONED);
	assert_string_equal(a->entities[2].ticker, "NVDA");
	assert_int_equal(a->n_parts, 2);
	assert_string_equal(a->parts[1].name, "magnitude");
	assert_true(a->parts[1].value == 0.125);
	assert_int_equal(a->n_categories, 2);
	assert_string_equal(a->categories[1], "Private Markets & Venture");
	assert_string_equal(a->analysis, fresh->ann.analysis);
	item_free(got);

	/* Feed polling state. */
	assert_int_equal(store_feed_get(s, f.url, &g, err, sizeof(err)), 0);
	assert_string_equal(g.name, "Example Wire");
	assert_string_equal(g.etag, "\"5f2a-9c\"");
	assert_string_equal(g.last_modified, f.last_modified);
	assert_int_equal(g.last_attempt, f.last_attempt);
	assert_int_equal(g.last_success, f.last_success);
	assert_int_equal(g.next_due, f.next_due);
	assert_int_equal(g.http_status, 200);
	assert_null(g.last_error);
	assert_int_equal(g.n_items, 1);
	store_feed_clear(&g);
	/* Every feed: with the count of stored items, or (the poller's
	 * start) the same state without it. */
	{
		struct store_feed *all, *states;
		size_t n_all, n_states;

		assert_int_equal(store_feeds(s, &all, &n_all, err,
		    sizeof(err)), 0);
		assert_int_equal(store_feed_states(s, &states, &n_states, err,
		    sizeof(err)), 0);
		assert_int_equal(n_all, 1);
		assert_int_equal(n_states, 1);
		assert_string_equal(all[0].url, f.url);
		assert_string_equal(states[0].url, f.url);
		assert_string_equal(states[0].etag, "\"5f2a-9c\"");
		assert_int_equal(states[0].id, all[0].id);
		assert_int_equal(states[0].last_success, f.last_success);
		assert_int_equal(all[0].n_items, 1);
		assert_int_equal(states[0].n_items, 0);
		store_feed_clear(&all[0]);
		store_feed_clear(&states[0]);
		free(all);
		free(states);
	}
	/* An error is remembered, the validators kept. */
	f.http_status = 503;
	f.last_error = (char *)"HTTP 503 Service Unavailable";
	f.failures = 2;
	f.last_attempt = pub + 2000;
	assert_int_equal(store_feed_save(s, &f, err, sizeof(err)), 0);
	store_close(s);
	s = open_ok();
	assert_int_equal(store_feed_get(s, f.url, &g, err, sizeof(err)), 0);
	assert_string_equal(g.last_error, "HTTP 503 Service Unavailable");
	assert_int_equal(g.failures, 2);
	assert_int_equal(g.http_status, 503);
	assert_int_equal(g.last_success, pub + 60);
	assert_string_equal(g.etag, "\"5f2a-9c\"");
	store_feed_clear(&g);
	assert_int_equal(store_feed_get(s, "https://unknown.example/",
	    &g, err, sizeof(err)), -1);
	assert_int_equal(store_meta_get(s, "ui.pane", &v, err, sizeof(err)),
	    0);
	assert_string_equal(v, "detail");
	free(v);

	/* A replaced annotation is what the ticker filter sees. */
	item_annotation_clear(&fresh->ann);
	annotate_as(fresh, "MSFT", 0.3, -0.2, "Cloud");
	assert_int_equal(store_set_annotation(s, fresh->rowid, &fresh->ann,
	    err, sizeof(err)), 0);
	{
		struct store_query q;

		memset(&q, 0, sizeof(q));
		q.ticker = "amzn";
		assert_int_equal(count_query(s, &q), 0);
		q.ticker = "msft";
		assert_int_equal(count_query(s, &q), 1);
		q.ticker = NULL;
		q.category = "cloud";
		assert_int_equal(count_query(s, &q), 1);
	}
	item_free_list(fresh);
	store_close(s);
}

static void
test_dedupe_and_update(void **state)
{
	struct store *s;
	struct store_query q;
	struct calls c = { 0, 0 };
	struct item *list, *fresh = NULL, *got;
	struct store_feed f;
	long long id;
	time_t now = util_now();
	int i;

	(void)state;
	s = open_ok();
	list = NULL;
	for (i = 4; i >= 0; i--) {
		char id_[16], title[80];
		struct item *it;

		snprintf(id_, sizeof(id_), "g%d", i);
		snprintf(title, sizeof(title), "Headline number %d about "
		    "markets today", i);
		it = mk(id_, title, NULL, now - i * 60);
		it->next = list;
		list = it;
	}
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, &c), 5);
	assert_int_equal(c.n, 5);

	/* The same five again: no analysis, nothing written. */
	c.n = 0;
	list = NULL;
	for (i = 4; i >= 0; i--) {
		char id_[16], title[80];
		struct item *it;

		snprintf(id_, sizeof(id_), "g%d", i);
		snprintf(title, sizeof(title), "Headline number %d about "
		    "markets today", i);
		it = mk(id_, title, NULL, now - i * 60);
		it->next = list;
		list = it;
	}
	feed_init(&f, "https://a.example/rss", "A");
	assert_int_equal(store_ingest(s, &f, &list, count_annotate, &c,
	    &fresh, err, sizeof(err)), 0);
	assert_int_equal(c.n, 0);
	assert_null(fresh);
	/* The unchanged items stay with the caller, in order. */
	assert_non_null(list);
	assert_string_equal(list->id, "g0");
	assert_int_equal(list->rowid, 0);
	item_free_list(list);

	id = rowid_of(s, "number 2");
	assert_int_equal(store_set_read(s, id, 1, err, sizeof(err)), 0);

	/* g2 changed upstream: updated in place, re-analyzed, still read. */
	c.n = 0;
	list = mk("g2", "Headline number 2 corrected about markets today",
	    NULL, now - 120);
	feed_init(&f, "https://a.example/rss", "A");
	assert_int_equal(store_ingest(s, &f, &list, count_annotate, &c,
	    &fresh, err, sizeof(err)), 0);
	assert_int_equal(c.n, 1);
	assert_null(list);
	assert_non_null(fresh);
	assert_int_equal(fresh->rowid, id);
	assert_int_equal(fresh->is_update, 1);
	assert_true(fresh->updated >= now);
	item_free_list(fresh);
	assert_int_equal(store_get(s, id, &got, err, sizeof(err)), 0);
	assert_string_equal(got->title, "Headline number 2 corrected about "
	    "markets today");
	assert_int_equal(got->is_update, 1);
	assert_int_equal(got->read, 1);
	item_free(got);

	memset(&q, 0, sizeof(q));
	assert_int_equal(count_query(s, &q), 5);
	/* The full-text index follows the update. */
	q.search = "corrected";
	assert_int_equal(count_query(s, &q), 1);

	/* A feed listing one guid twice with different text: the later copy
	 * wins, and search knows only its words. */
	list = mk("g9", "Refinery outage lifts diesel prices", NULL, now);
	list->next = mk("g9", "Refinery restart eases diesel prices", NULL,
	    now);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    2);
	q.search = "outage";
	assert_int_equal(count_query(s, &q), 0);
	q.search = "restart";
	assert_int_equal(count_query(s, &q), 1);
	q.search = "diesel";
	assert_int_equal(count_query(s, &q), 1);
	q.search = NULL;
	assert_int_equal(count_query(s, &q), 6);
	store_close(s);
	/* The index matches the table (an error fails the test). */
	exec_sql(dbpath, "INSERT INTO items_fts(items_fts)"
	    " VALUES('integrity-check')");
}

static void
test_clustering(void **state)
{
	struct store *s;
	struct calls c = { 0, 0 };
	struct conf_strv src;
	struct item *a, *b, *got;
	long long ida, idb;
	time_t now = util_now();

	(void)state;
	s = open_ok();
	a = mk("a1", "Fed holds rates steady, signals two cuts",
	    "https://www.Example.com/markets/fed-holds/?utm_source=rss"
	    "&utm_medium=feed&id=7#comments", now - 3600);
	assert_int_equal(ingest(s, "https://wire-a.example/rss", "Wire A", a,
	    &c), 1);
	assert_int_equal(c.repeats, 0);
	/* Same link, other feed: scheme, host case, tracking params,
	 * fragment and trailing slash differ. */
	b = mk("b1", "Federal Reserve leaves rates unchanged",
	    "http://example.com/markets/fed-holds?id=7&fbclid=XYZ&gclid=1",
	    now - 1800);
	assert_int_equal(ingest(s, "https://wire-b.example/rss", "Wire B", b,
	    &c), 1);
	assert_int_equal(c.repeats, 1);
	ida = rowid_of(s, "signals two cuts");
	idb = rowid_of(s, "leaves unchanged");
	assert_int_equal(store_get(s, idb, &got, err, sizeof(err)), 0);
	assert_int_equal(got->n_sources, 2);
	{
		struct item *ga;
		long long story = got->story_id;

		assert_int_equal(store_get(s, ida, &ga, err, sizeof(err)), 0);
		assert_int_equal(ga->story_id, story);
		assert_int_equal(ga->n_sources, 2);
		item_free(ga);
		assert_int_equal(store_story_sources(s, story, &src, err,
		    sizeof(err)), 0);
		assert_int_equal(src.n, 2);
		assert_string_equal(src.v[0], "Wire A");
		assert_string_equal(src.v[1], "Wire B");
		conf_strv_free(&src);
	}
	item_free(got);

	/* Same title (case and punctuation aside), other link, in 48 h. */
	c.repeats = 0;
	a = mk("c1", "Oil jumps as OPEC+ extends output cuts",
	    "https://wire-c.example/oil-1", now - 7200);
	assert_int_equal(ingest(s, "https://wire-c.example/rss", "Wire C", a,
	    &c), 1);
	b = mk("d1", "OIL JUMPS AS OPEC+ EXTENDS OUTPUT CUTS!",
	    "https://wire-d.example/2026/oil", now - 3600);
	assert_int_equal(ingest(s, "https://wire-d.example/rss", "Wire D", b,
	    &c), 1);
	assert_int_equal(c.repeats, 1);
	{
		struct store_query q;
		struct item *list;
		size_t n;

		memset(&q, 0, sizeof(q));
		q.search = "opec extends";
		assert_int_equal(store_query(s, &q, &list, &n, err,
		    sizeof(err)), 0);
		assert_int_equal(n, 2);
		assert_int_equal(list->story_id, list->next->story_id);
		assert_int_equal(list->n_sources, 2);
		item_free_list(list);
	}

	/* The same title a week later is a new story. */
	a = mk("e1", "Fed holds rates steady, signals two cuts",
	    "https://wire-e.example/fed", now - 3600 - 7 * 86400);
	assert_int_equal(ingest(s, "https://wire-e.example/rss", "Wire E", a,
	    NULL), 1);
	{
		struct store_query q;
		struct item *list, *it;
		size_t n;
		int stories = 0;
		long long first = 0;

		memset(&q, 0, sizeof(q));
		q.search = "fed holds steady";
		assert_int_equal(store_query(s, &q, &list, &n, err,
		    sizeof(err)), 0);
		assert_int_equal(n, 2);
		for (it = list; it != NULL; it = it->next)
			if (first != it->story_id) {
				stories++;
				first = it->story_id;
			}
		assert_int_equal(stories, 2);
		item_free_list(list);
	}

	/* Short generic titles and home-page links do not cluster. */
	a = mk("f1", "Markets wrap", "https://wire-f.example/", now - 600);
	assert_int_equal(ingest(s, "https://wire-f.example/rss", "Wire F", a,
	    NULL), 1);
	b = mk("g1", "Markets Wrap", "https://wire-f.example", now - 300);
	assert_int_equal(ingest(s, "https://wire-g.example/rss", "Wire G", b,
	    NULL), 1);
	{
		struct store_query q;
		struct item *list;
		size_t n;

		memset(&q, 0, sizeof(q));
		q.search = "markets wrap";
		assert_int_equal(store_query(s, &q, &list, &n, err,
		    sizeof(err)), 0);
		assert_int_equal(n, 2);
		assert_true(list->story_id != list->next->story_id);
		assert_int_equal(list->n_sources, 1);
		item_free_list(list);
	}
	store_close(s);
}

static void
test_link_key(void **state)
{
	char *k;

	(void)state;
	k = store_link_key("HTTPS://WWW.Example.COM:443/a/b/?utm_campaign=x&"
	    "q=1&mc_cid=2&mc_eid=3#frag");
	assert_string_equal(k, "example.com/a/b?q=1");
	free(k);
	k = store_link_key("http://example.com/a/b");
	assert_string_equal(k, "example.com/a/b");
	free(k);
	assert_null(store_link_key("https://example.com/"));
	assert_null(store_link_key("https://example.com/?utm_source=x"));
	assert_null(store_link_key("not a url"));
	assert_null(store_link_key(NULL));
	k = store_title_key("  \"Apple's\" iPhone — sales   SURGE 9%!");
	assert_string_equal(k, "apple s iphone sales surge 9");
	free(k);
	assert_null(store_title_key("Markets wrap"));
}

/* Links cluster within four days of publication: the same link from
 * another feed three days on joins the story, five days on does not. */
static void
test_link_window(void **state)
{
	struct store *s;
	struct calls c = { 0, 0 };
	time_t now = util_now();

	(void)state;
	s = open_ok();
	assert_int_equal(ingest(s, "https://wire-a.example/rss", "Wire A",
	    mk("a1", "Chipmaker books record quarter on AI demand",
	    "https://news.example/chips/record?utm_source=a", now - 8 * 86400),
	    &c), 1);
	assert_int_equal(ingest(s, "https://wire-b.example/rss", "Wire B",
	    mk("b1", "Record quarter for the chipmaker",
	    "https://news.example/chips/record?utm_source=b", now - 5 * 86400),
	    &c), 1);
	assert_int_equal(c.repeats, 1);
	assert_int_equal(ingest(s, "https://wire-c.example/rss", "Wire C",
	    mk("c1", "The chipmaker's quarter, looked at again",
	    "https://news.example/chips/record", now), &c), 1);
	assert_int_equal(c.repeats, 1);
	store_close(s);
	/* The same from a fresh connection, whose map is loaded from the
	 * table (the first item's link is past every window). */
	s = open_ok();
	c.repeats = 0;
	assert_int_equal(ingest(s, "https://wire-d.example/rss", "Wire D",
	    mk("d1", "Chip stocks after the record quarter",
	    "https://news.example/chips/record/", now - 4 * 86400), &c), 1);
	assert_int_equal(c.repeats, 1);
	store_close(s);
}

static long long
file_bytes(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

/* Past 16 MiB of WAL the store's own thread copies it into the database
 * file while the writer goes on; nothing is lost and the WAL does not
 * keep growing. */
static void
test_background_checkpoint(void **state)
{
	struct store *s;
	struct store_query q;
	char *body, wal[700];
	time_t now = util_now();
	int64_t t0;
	long k, i;
	size_t n;

	(void)state;
	snprintf(wal, sizeof(wal), "%s-wal", dbpath);
	body = xmalloc(8001);
	memset(body, 'x', 8000);
	for (i = 0; i < 8000; i += 9)
		body[i] = ' ';
	body[8000] = '\0';
	s = open_ok();
	assert_int_equal(store_checkpoints(s), 0);
	for (k = 0; k < 160; k++) {
		struct item *list = NULL, *it;

		for (i = 0; i < 100; i++) {
			char id[32];

			snprintf(id, sizeof(id), "%ld-%ld", k, i);
			it = mk(id, id, NULL, now - 86400 + k * 100 + i);
			item_set(&it->content, body);
			it->next = list;
			list = it;
		}
		assert_int_equal(ingest(s, "https://a.example/rss", "A", list,
		    NULL), 100);
	}
	t0 = util_mono_ms();
	while (store_checkpoints(s) == 0 && util_mono_ms() - t0 < 30000)
		usleep(10000);
	assert_true(store_checkpoints(s) > 0);
	/* 16,000 items of 8 KB (130 MB): much of it copied into the file
	 * already, and the WAL started over instead of holding it all (it
	 * stays near the 64 MiB in-line limit). */
	assert_true(file_bytes(dbpath) > 16LL * 1024 * 1024);
	assert_true(file_bytes(wal) < 96LL * 1024 * 1024);
	memset(&q, 0, sizeof(q));
	assert_int_equal(count_query(s, &q), 16000);
	store_close(s);
	free(body);
	s = open_ok();
	n = count_query(s, &q);
	assert_int_equal(n, 16000);
	store_close(s);
	assert_int_equal(sql_int(dbpath, "SELECT count(*) FROM"
	    " pragma_integrity_check WHERE integrity_check<>'ok'"), 0);
}

static void
test_search_hostile(void **state)
{
	static const char *hostile[] = {
		"\"", "AND(", "NEAR(a b", ")", "*", "title:", "-foo", "a OR",
		"\"unterminated", "^x", "NOT", "{a b}", "'; DROP TABLE items;--",
		"col:val*", "\\", "AND AND AND", "+", "a\"b\"c", "(((", "x*y*",
	};
	struct store *s;
	struct store_query q;
	struct item *list;
	time_t now = util_now();
	size_t i, n;
	char *fq, *ph;

	(void)state;
	s = open_ok();
	list = mk("1", "Apple unveils AI chips for data centres", NULL,
	    now - 100);
	list->next = mk("2", "Nvidia (NVDA) AND AMD rally on \"AI\" demand",
	    NULL, now - 50);
	list->next->next = mk("3", "Électricité de France raises outlook",
	    NULL, now - 10);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    3);
	memset(&q, 0, sizeof(q));
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		q.search = hostile[i];
		if (store_query(s, &q, &list, &n, err, sizeof(err)) < 0)
			fail_msg("search '%s': %s", hostile[i], err);
		item_free_list(list);
	}
	q.search = "AND(";
	assert_int_equal(count_query(s, &q), 1);	/* the word "and" */
	q.search = "ai";
	assert_int_equal(count_query(s, &q), 2);
	q.search = "ai nvidia";
	assert_int_equal(count_query(s, &q), 1);
	q.search = "chi*";
	assert_int_equal(count_query(s, &q), 1);
	q.search = "\"AI\" demand";
	assert_int_equal(count_query(s, &q), 1);
	q.search = "electricite";	/* diacritics folded */
	assert_int_equal(count_query(s, &q), 1);
	q.search = "!!!";
	assert_int_equal(count_query(s, &q), 0);
	fq = store_fts_query(s, "a\"b NEAR( x* S&P*", &ph);
	assert_string_equal(fq, "\"a\" \"b\" \"near\" \"x\"* \"s\" \"p\"*");
	assert_string_equal(ph, "a b\ns p*");
	free(fq);
	free(ph);
	assert_null(store_fts_query(s, " \" ( ) ", &ph));
	assert_null(ph);
	store_close(s);
}

/* The index keeps no positions: a word of several tokens matches only
 * where its tokens follow each other, in the title or the summary. */
/* Close s, make the file read-only and open it again (read-only). */
static struct store *
reopen_readonly(struct store *s)
{
	store_close(s);
	assert_int_equal(chmod(dbpath, 0444), 0);
	s = store_open(dbpath, 0, err, sizeof(err));
	if (s == NULL)
		fail_msg("read-only open: %s", err);
	assert_int_equal(store_is_readonly(s), 1);
	return s;
}

/* Four items whose words test phrases and punctuation in search. */
static void
ingest_phrase_items(struct store *s, time_t now)
{
	struct item *list;

	list = mk("1", "S&P 500 closes at a record", NULL, now - 100);
	list->next = mk("2", "P and S: a primer on letters", NULL, now - 50);
	list->next->next = mk("3", "Futures slip", NULL, now - 10);
	item_set(&list->next->next->summary, "U.S. stocks and the "
	    "S&P-linked funds drift");
	list->next->next->next = mk("4", "Apple\u2019s iPhone sales", NULL,
	    now - 5);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    4);
}

/* How many items a search finds. */
static size_t
found(struct store *s, const char *search)
{
	struct store_query q;

	memset(&q, 0, sizeof(q));
	q.search = search;
	return count_query(s, &q);
}

/*
 * The full-text index follows the items: ingest leaves new items out,
 * store_fts_catch_up() adds them oldest first, updates and deletions of
 * indexed and unindexed rows keep it right, and a search sees everything.
 */
static void
test_search_index_follows(void **state)
{
	struct store *s;
	struct item *list;
	size_t done;
	time_t now = util_now();

	(void)state;
	s = open_ok();
	list = mk("a", "Alpha merger talks", NULL, now - 50);
	list->next = mk("b", "Bravo earnings beat", NULL, now - 40);
	list->next->next = mk("c", "Charlie recall widens", NULL, now - 30);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    3);
	assert_int_equal(sql_int(dbpath, "SELECT value FROM meta"
	    " WHERE key='fts_upto'"), 0);
	assert_int_equal(store_fts_catch_up(s, 2, &done, err, sizeof(err)),
	    0);
	assert_int_equal(done, 2);
	assert_int_equal(sql_int(dbpath, "SELECT value FROM meta"
	    " WHERE key='fts_upto'"), 2);
	assert_int_equal(store_fts_catch_up(s, 10, &done, err, sizeof(err)),
	    0);
	assert_int_equal(done, 1);
	assert_int_equal(store_fts_catch_up(s, 10, &done, err, sizeof(err)),
	    0);
	assert_int_equal(done, 0);

	/* Two more (not indexed), an update of an indexed row and one of
	 * an unindexed row. */
	list = mk("d", "Delta outage grounds flights", NULL, now - 20);
	list->next = mk("e", "Echo dividend raised", NULL, now - 10);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    2);
	list = mk("b", "Bravo guidance cut", NULL, now - 40);
	list->next = mk("e", "Echo dividend suspended", NULL, now - 10);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    2);
	store_close(s);
	/* Deleting an indexed row (a) and an unindexed one (d). */
	exec_sql(dbpath, "DELETE FROM items WHERE guid IN ('a', 'd')");
	s = open_ok();
	assert_int_equal(found(s, "bravo"), 1);
	assert_int_equal(found(s, "guidance"), 1);
	assert_int_equal(found(s, "earnings"), 0);
	assert_int_equal(found(s, "suspended"), 1);
	assert_int_equal(found(s, "raised"), 0);
	assert_int_equal(found(s, "alpha"), 0);
	assert_int_equal(found(s, "outage"), 0);
	assert_int_equal(found(s, "charlie"), 1);
	assert_int_equal(sql_int(dbpath, "SELECT value FROM meta"
	    " WHERE key='fts_upto'"), 5);
	store_close(s);
	/* The index matches the table (an error fails the test). */
	exec_sql(dbpath, "INSERT INTO items_fts(items_fts)"
	    " VALUES('integrity-check')");
}

/* Where the index cannot be brought up to date (a read-only file), the
 * items outside it are matched word by word: the same results as the
 * index gives once it has them. */
static void
test_search_unindexed_same(void **state)
{
	static const char *const queries[] = {
		"S&P", "s&p 500", "u.s.", "S&P-lin*", "p&s", "apple's", "s",
		"futures", "fut*", "stocks funds", "record closes", "primer x",
	};
	size_t want[UTIL_ARRAY_LEN(queries)], i;
	struct store *s;
	time_t now = util_now();

	(void)state;
	s = open_ok();
	ingest_phrase_items(s, now);
	s = reopen_readonly(s);
	for (i = 0; i < UTIL_ARRAY_LEN(queries); i++)
		want[i] = found(s, queries[i]);
	store_close(s);
	assert_int_equal(chmod(dbpath, 0600), 0);
	assert_int_equal(sql_int(dbpath, "SELECT value FROM meta"
	    " WHERE key='fts_upto'"), 0);
	s = open_ok();
	for (i = 0; i < UTIL_ARRAY_LEN(queries); i++)
		if (found(s, queries[i]) != want[i])
			fail_msg("\"%s\": %zu unindexed, %zu indexed",
			    queries[i], want[i], found(s, queries[i]));
	assert_int_equal(want[0], 2);
	assert_int_equal(want[5], 1);
	assert_int_equal(want[8], 1);
	store_close(s);
}

static void
test_search_phrase(void **state)
{
	struct store *s;
	struct store_query q;
	time_t now = util_now();

	(void)state;
	s = open_ok();
	ingest_phrase_items(s, now);
	assert_int_equal(found(s, "S&P"), 2);
	assert_int_equal(rowid_of(s, "s&p 500"), 1);
	assert_int_equal(found(s, "u.s."), 1);
	assert_int_equal(found(s, "S&P-lin*"), 1);
	assert_int_equal(found(s, "p&s"), 0);
	/* an ASCII quote for the typographic one */
	assert_int_equal(found(s, "apple's"), 1);
	assert_int_equal(found(s, "s"), 4);
	memset(&q, 0, sizeof(q));
	q.search = "S&P";
	q.limit = 1;
	assert_int_equal(count_query(s, &q), 1);
	store_close(s);
}

static void
test_filters(void **state)
{
	struct store *s;
	struct store_query q;
	struct item *list = NULL, *it, *got;
	time_t now = util_now();
	size_t n;
	int i;

	(void)state;
	s = open_ok();
	for (i = 0; i < 10; i++) {
		char id[8], title[64];

		snprintf(id, sizeof(id), "%d", i);
		snprintf(title, sizeof(title), "Item %d headline", i);
		it = mk(id, title, NULL, now - i * 3600);
		annotate_as(it, i % 2 ? "AMZN" : "NVDA", i / 10.0, 0,
		    i < 3 ? "Earnings" : NULL);
		it->next = list;
		list = it;
	}
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    10);
	memset(&q, 0, sizeof(q));
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 10);
	for (it = list; it->next != NULL; it = it->next)
		assert_true(it->published >= it->next->published);
	item_free_list(list);
	q.ticker = "AMZN";
	assert_int_equal(count_query(s, &q), 5);
	q.min_impact = 0.5;
	assert_int_equal(count_query(s, &q), 3);	/* 5, 7, 9 */
	q.ticker = NULL;
	assert_int_equal(count_query(s, &q), 5);
	q.since = now - 5 * 3600 - 10;
	assert_int_equal(count_query(s, &q), 1);	/* i = 5 */
	memset(&q, 0, sizeof(q));
	q.category = "earnings";
	assert_int_equal(count_query(s, &q), 3);
	q.ticker = "NVDA";
	assert_int_equal(count_query(s, &q), 2);	/* 0, 2 */
	memset(&q, 0, sizeof(q));
	q.by_impact = 1;
	q.limit = 3;
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list->id, "9");
	assert_string_equal(list->next->id, "8");
	item_free_list(list);
	memset(&q, 0, sizeof(q));
	q.limit = 2;
	q.offset = 2;
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_string_equal(list->id, "2");
	item_free_list(list);

	/* Read state. */
	memset(&q, 0, sizeof(q));
	q.unread_only = 1;
	assert_int_equal(count_query(s, &q), 10);
	assert_int_equal(store_get(s, rowid_of(s, "\"item 3\""), &got, err,
	    sizeof(err)), 0);
	assert_int_equal(store_set_read(s, got->rowid, 1, err, sizeof(err)),
	    0);
	assert_int_equal(store_set_starred(s, got->rowid, 1, err,
	    sizeof(err)), 0);
	item_free(got);
	assert_int_equal(count_query(s, &q), 9);
	q.unread_only = 0;
	q.starred_only = 1;
	assert_int_equal(count_query(s, &q), 1);
	q.starred_only = 0;
	q.feed_url = "https://a.example/rss";
	assert_int_equal(count_query(s, &q), 10);
	assert_int_equal(store_mark_all_read(s, "https://other.example/", err,
	    sizeof(err)), 0);
	q.feed_url = NULL;
	q.unread_only = 1;
	assert_int_equal(count_query(s, &q), 9);
	assert_int_equal(store_mark_all_read(s, NULL, err, sizeof(err)), 0);
	assert_int_equal(count_query(s, &q), 0);
	store_close(s);
}

static void
test_ticker_stats(void **state)
{
	struct store *s;
	struct store_ticker_stat *st;
	struct item *list = NULL, *it;
	const char *want[] = { "nvda", "TSLA" };
	time_t now = 1795700000;
	size_t n;

	(void)state;
	s = open_ok();
	/* NVDA: 30 min ago (0.8, +0.5), 2.5 h ago (0.4, -0.1), 30 h ago. */
	it = mk("1", "NVDA one", NULL, now - 1800);
	annotate_as(it, "NVDA", 0.8, 0.5, NULL);
	it->next = list;
	list = it;
	it = mk("2", "NVDA two", NULL, now - 9000);
	annotate_as(it, "NVDA", 0.4, -0.1, NULL);
	it->next = list;
	list = it;
	it = mk("3", "NVDA old", NULL, now - 30 * 3600);
	annotate_as(it, "NVDA", 0.9, -0.9, NULL);
	it->next = list;
	list = it;
	it = mk("4", "AMZN one", NULL, now - 600);
	annotate_as(it, "AMZN", 0.3, 0.2, NULL);
	it->next = list;
	list = it;
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    4);

	assert_int_equal(store_ticker_stats(s, now - 86400, now, want, 2, &st,
	    &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(st[0].ticker, "NVDA");
	assert_int_equal(st[0].count, 2);
	assert_true(st[0].max_impact > 0.79 && st[0].max_impact < 0.81);
	assert_true(st[0].net_sentiment > 0.19 && st[0].net_sentiment < 0.21);
	assert_int_equal(st[0].latest, now - 1800);
	assert_int_equal(st[0].hourly[23], 1);
	assert_int_equal(st[0].hourly[21], 1);
	assert_int_equal(st[0].hourly[22], 0);
	assert_string_equal(st[1].ticker, "TSLA");
	assert_int_equal(st[1].count, 0);
	free(st);

	/* Every ticker seen, busiest first; a 48 h window takes the old
	 * NVDA item into the count but not into the hourly buckets. */
	assert_int_equal(store_ticker_stats(s, now - 2 * 86400, now, NULL, 0,
	    &st, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(st[0].ticker, "NVDA");
	assert_int_equal(st[0].count, 3);
	assert_true(st[0].max_impact > 0.89);
	assert_int_equal(st[0].hourly[23] + st[0].hourly[22] +
	    st[0].hourly[21], 2);
	assert_string_equal(st[1].ticker, "AMZN");
	assert_int_equal(st[1].count, 1);
	free(st);
	store_close(s);
}

static void
test_retention(void **state)
{
	struct store *s;
	struct store_query q;
	struct item *list = NULL, *it;
	time_t now = util_now();
	long removed;
	int i;

	(void)state;
	s = open_ok();
	assert_int_equal(store_last_gc(s), 0);
	assert_int_equal(store_gc_due(s, now), 1);
	/* 20 items, one a day back. */
	for (i = 0; i < 20; i++) {
		char id[8], title[64];

		snprintf(id, sizeof(id), "%d", i);
		snprintf(title, sizeof(title), "Day %d story", i);
		it = mk(id, title, NULL, now - i * 86400 - 60);
		annotate_as(it, "IBM", 0.5, 0, "Tech");
		it->next = list;
		list = it;
	}
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    20);
	assert_int_equal(store_set_starred(s, rowid_of(s, "\"day 15\""), 1,
	    err, sizeof(err)), 0);

	assert_int_equal(store_gc(s, 10, 0, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 9);	/* 11..19 minus the starred 15 */
	memset(&q, 0, sizeof(q));
	assert_int_equal(count_query(s, &q), 11);
	q.search = "day 15";
	assert_int_equal(count_query(s, &q), 1);
	q.search = NULL;
	q.ticker = "IBM";
	assert_int_equal(count_query(s, &q), 11);	/* tickers follow */
	assert_true(store_last_gc(s) >= now);
	assert_int_equal(store_gc_due(s, util_now()), 0);
	assert_int_equal(store_gc_due(s, util_now() + 25 * 3600), 1);

	/* At most 4 per feed: the 4 newest plus the starred one. */
	assert_int_equal(store_gc(s, 0, 4, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 6);
	q.ticker = NULL;
	assert_int_equal(count_query(s, &q), 5);
	q.search = "day 15";
	assert_int_equal(count_query(s, &q), 1);
	q.search = "day 0";
	assert_int_equal(count_query(s, &q), 1);
	assert_int_equal(store_gc_auto(s, 1, 1, &removed, err, sizeof(err)),
	    0);
	assert_int_equal(removed, 0);	/* not due again today */
	assert_int_equal(store_vacuum(s, err, sizeof(err)), 0);
	q.search = NULL;
	assert_int_equal(count_query(s, &q), 5);
	store_close(s);
}

static void
test_watchlist(void **state)
{
	struct store *s;
	struct conf_strv w;

	(void)state;
	s = open_ok();
	assert_int_equal(store_watchlist_add(s, "amzn", err, sizeof(err)), 0);
	assert_int_equal(store_watchlist_add(s, "NVDA", err, sizeof(err)), 0);
	assert_int_equal(store_watchlist_add(s, "brk.b", err, sizeof(err)), 0);
	assert_int_equal(store_watchlist_add(s, "AMZN", err, sizeof(err)), 0);
	assert_int_equal(store_watchlist_add(s, "not a ticker", err,
	    sizeof(err)), -1);
	assert_int_equal(store_watchlist_add(s, "", err, sizeof(err)), -1);
	assert_int_equal(store_watchlist_remove(s, "nvda", err, sizeof(err)),
	    0);
	store_close(s);
	s = open_ok();
	assert_int_equal(store_watchlist(s, &w, err, sizeof(err)), 0);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.v[0], "AMZN");
	assert_string_equal(w.v[1], "BRK.B");
	assert_null(w.v[2]);
	conf_strv_free(&w);
	store_close(s);
}

/* The migration fixtures' Nvidia item, fetched again unchanged: not
 * written (its stored hash matches). */
static void
refetch_nvidia(struct store *s, const char *guid, long long published)
{
	struct item *list;

	list = mk(guid, "Nvidia shares slip as export curbs widen",
	    "https://wire.example.com/2026/11/26/nvidia-export-curbs",
	    published);
	item_set(&list->summary, "Chipmaker falls 3% in early trade after "
	    "new licensing rules.");
	assert_int_equal(ingest(s, "https://wire.example.com/markets.rss",
	    NULL, list, NULL), 0);
}

static void
test_migrate_v0(void **state)
{
	struct store *s;
	struct store_query q;
	struct store_feed f;
	struct item *list, *it;
	char *sql, dir[600];
	size_t len, n;
	long done;
	struct calls c = { 0, 0 };

	(void)state;
	if (util_read_file("tests/data/store_schema_v0.sql", 1 << 20, &sql,
	    &len, err, sizeof(err)) < 0)
		fail_msg("fixture: %s", err);
	snprintf(dir, sizeof(dir), "%s/data", tmpdir);
	mkdir(dir, 0700);
	exec_sql(dbpath, sql);
	free(sql);

	s = open_ok();
	memset(&q, 0, sizeof(q));
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	/* Newest first; read, starred, dates kept; no annotation yet. */
	assert_string_equal(list->id, "tag:news.example.org,2026:77");
	assert_string_equal(list->feed, "Example News");
	assert_int_equal(list->published, 1795692500);
	it = list->next;
	assert_string_equal(it->id, "wire-1001");
	assert_int_equal(it->read, 1);
	assert_int_equal(it->ann.valid, 0);
	/* The two Amazon items are one story from two feeds. */
	assert_int_equal(it->story_id, list->story_id);
	assert_int_equal(it->n_sources, 2);
	assert_int_equal(it->next->starred, 1);
	/* The item without guid got one, and a date from its fetch time. */
	assert_non_null(it->next->next->id);
	assert_int_equal(it->next->next->published, 1795680000);
	item_free_list(list);
	q.search = "anthropic";
	assert_int_equal(count_query(s, &q), 2);
	assert_int_equal(store_feed_get(s, "https://wire.example.com/"
	    "markets.rss", &f, err, sizeof(err)), 0);
	assert_string_equal(f.etag, "\"5f2a-9c\"");
	assert_int_equal(f.last_success, 1795693200);
	assert_int_equal(f.n_items, 2);
	store_feed_clear(&f);
	assert_int_equal(store_feed_get(s, "https://news.example.org/feed",
	    &f, err, sizeof(err)), 0);
	assert_string_equal(f.last_error, "HTTP 503 Service Unavailable");
	store_feed_clear(&f);
	/* The lazy reanalysis picks every migrated item up. */
	assert_int_equal(store_reanalyze(s, 1, 0, count_annotate, &c, NULL,
	    &done, err, sizeof(err)), 0);
	assert_int_equal(done, 4);
	assert_int_equal(c.repeats, 1);	/* the second Amazon report */
	store_close(s);

	/* Re-fetching a migrated item unchanged is not an update. */
	s = open_ok();
	refetch_nvidia(s, "wire-1002", 1795690000);
	store_close(s);
}

static void
test_newer_schema_refused(void **state)
{
	struct store *s;
	char want[128];

	(void)state;
	s = open_ok();
	store_close(s);
	exec_sql(dbpath, "PRAGMA user_version = 9");
	s = store_open(dbpath, 0, err, sizeof(err));
	assert_null(s);
	assert_non_null(strstr(err, dbpath));
	snprintf(want, sizeof(want), "database schema version 9 is newer "
	    "than this deskwire (%d); upgrade deskwire or use another --db",
	    STORE_SCHEMA_VERSION);
	assert_non_null(strstr(err, want));
	s = store_open(dbpath, STORE_READONLY, err, sizeof(err));
	assert_null(s);
}

static void
test_readonly_file(void **state)
{
	struct store *s;
	struct store_query q;
	struct item *it;
	long long id;

	(void)state;
	s = open_ok();
	it = mk("1", "A headline stored before the file went read-only",
	    NULL, util_now());
	assert_int_equal(ingest(s, "https://a.example/rss", "A", it, NULL),
	    1);
	s = reopen_readonly(s);
	memset(&q, 0, sizeof(q));
	assert_int_equal(count_query(s, &q), 1);
	id = rowid_of(s, "read-only");
	assert_int_equal(store_set_read(s, id, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, dbpath));
	assert_non_null(strstr(err, "read-only"));
	it = mk("2", "Another", NULL, util_now());
	assert_int_equal(ingest_fails(s, it), -1);
	assert_int_equal(store_poll_lock(s), 0);
	store_close(s);
	chmod(dbpath, 0600);
}

static void
test_corrupt_file(void **state)
{
	static const char junk[] = "this is not an SQLite database, it is "
	    "a text file that happens to sit where the database should be. "
	    "0123456789abcdef0123456789abcdef0123456789abcdef";
	struct store *s;
	char dir[600], *back;
	size_t len;
	FILE *fp;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/data", tmpdir);
	mkdir(dir, 0700);
	fp = fopen(dbpath, "w");
	assert_non_null(fp);
	fwrite(junk, 1, sizeof(junk) - 1, fp);
	fclose(fp);
	s = store_open(dbpath, 0, err, sizeof(err));
	assert_null(s);
	assert_non_null(strstr(err, dbpath));
	assert_non_null(strstr(err, "corrupt or not a deskwire database"));
	assert_non_null(strstr(err, "mv "));
	/* Nothing was overwritten. */
	assert_int_equal(util_read_file(dbpath, 4096, &back, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, sizeof(junk) - 1);
	assert_memory_equal(back, junk, len);
	free(back);
}

static void
test_poll_lock(void **state)
{
	struct store *a, *b;

	(void)state;
	a = open_ok();
	b = open_ok();
	assert_int_equal(store_poll_lock(a), 1);
	assert_int_equal(store_poll_lock(a), 1);
	assert_int_equal(store_poll_lock(b), 0);
	store_close(a);
	assert_int_equal(store_poll_lock(b), 1);
	store_close(b);
}

static void
set_version_annotate(void *arg, struct item *it, int repeat)
{
	struct calls *c = arg;

	c->n++;
	c->repeats += repeat;
	annotate_as(it, "XOM", 0.7, 0.1, NULL);
	it->ann.version = 2;
}

static void
cancel_after_first(void *arg, struct item *it, int repeat)
{
	int *flag = arg;

	(void)it;
	(void)repeat;
	*flag = 1;
}

static void
test_reanalyze(void **state)
{
	struct store *s;
	struct store_query q;
	struct calls c = { 0, 0 };
	struct item *list = NULL, *it;
	long done;
	int i;
	volatile int cancel = 0;

	(void)state;
	s = open_ok();
	for (i = 0; i < 600; i++) {
		char id[16], title[64];

		snprintf(id, sizeof(id), "%d", i);
		snprintf(title, sizeof(title), "Refinery update %d", i);
		it = mk(id, title, NULL, util_now() - i);
		annotate_as(it, "CVX", 0.2, 0, NULL);	/* version 1 */
		it->next = list;
		list = it;
	}
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    600);
	assert_int_equal(store_reanalyze(s, 2, 0, set_version_annotate, &c,
	    NULL, &done, err, sizeof(err)), 0);
	assert_int_equal(done, 600);
	assert_int_equal(c.n, 600);
	memset(&q, 0, sizeof(q));
	q.ticker = "XOM";
	assert_int_equal(count_query(s, &q), 600);
	q.ticker = "CVX";
	assert_int_equal(count_query(s, &q), 0);
	/* Up to date: nothing to do; --all redoes everything. */
	c.n = 0;
	assert_int_equal(store_reanalyze(s, 2, 0, set_version_annotate, &c,
	    NULL, &done, err, sizeof(err)), 0);
	assert_int_equal(done, 0);
	assert_int_equal(store_reanalyze(s, 2, 1, set_version_annotate, &c,
	    NULL, &done, err, sizeof(err)), 0);
	assert_int_equal(done, 600);
	/* Cancelled during the first batch: it finishes, no more. */
	assert_int_equal(store_reanalyze(s, 3, 0, cancel_after_first,
	    (void *)&cancel, &cancel, &done, err, sizeof(err)), 0);
	assert_true(done > 0 && done < 600);
	store_close(s);
	/* The stale items come from a partial index made for version 3:
	 * only the items not yet at version 3 are in it, and the query
	 * reads it. */
	assert_int_equal(sql_int(dbpath, "SELECT count(*) FROM sqlite_master"
	    " WHERE name='items_stale' AND sql LIKE '%ann_version<>3'"), 1);
	assert_int_equal(sql_int(dbpath, "SELECT count(*) FROM items"
	    " INDEXED BY items_stale WHERE id>0 AND ann_version<>3"),
	    sql_int(dbpath, "SELECT count(*) FROM items NOT INDEXED"
	    " WHERE ann_version<>3"));
	assert_int_equal(sql_int(dbpath, "SELECT count(*) FROM"
	    " (SELECT name FROM pragma_index_list('items')"
	    " WHERE name='items_version')"), 0);
}

/* Count the items of one ticker (or category) as the filters see them. */
static size_t
count_tagged(struct store *s, const char *ticker, const char *category)
{
	struct store_query q;

	memset(&q, 0, sizeof(q));
	q.ticker = ticker;
	q.category = category;
	return count_query(s, &q);
}

static void
tag_annotate(void *arg, struct item *it, int repeat)
{
	(void)repeat;
	annotate_as(it, arg, 0.5, 0.1, arg);
}

/* store_ingest() of one item (freed after); returns its result. */
static int
ingest_item(struct store *s, const struct store_feed *f, const char *id,
    const char *title, const char *link, time_t pub, struct item **fresh)
{
	struct item *list = mk(id, title, link, pub);
	int rc = store_ingest(s, f, &list, NULL, NULL, fresh, err,
	    sizeof(err));

	item_free_list(list);
	return rc;
}

/*
 * A batch: two feeds in one transaction; a feed that fails is undone
 * alone and its items handed back; nothing is visible to another
 * connection before the commit, everything after; a rolled-back batch
 * leaves nothing.
 */
/* A writer with a batch begun, a second connection to read, a blank
 * query. */
static void
batch_pair(struct store **s, struct store **r, struct store_query *q)
{
	*s = open_ok();
	*r = open_ok();
	memset(q, 0, sizeof(*q));
	assert_int_equal(store_batch_begin(*s, err, sizeof(err)), 0);
}

static void
test_batch(void **state)
{
	struct store *s, *r;
	struct store_feed f, bad;
	struct item *list, *fresh = NULL;
	struct store_query q;
	time_t now = util_now();

	(void)state;
	batch_pair(&s, &r, &q);
	assert_true(store_batch_active(s));

	feed_init(&f, "https://a.example/rss", "A");
	list = mk("a1", "Chipmaker lifts its annual revenue outlook",
	    "https://a.example/1", now - 60);
	list->next = mk("a2", "Oil major trims output after the storm",
	    "https://a.example/2", now - 50);
	assert_int_equal(store_ingest(s, &f, &list, NULL, NULL, &fresh, err,
	    sizeof(err)), 0);
	assert_null(list);
	assert_int_equal(store_batch_items(s), 2);

	/* No URL: this feed fails and is undone, the batch goes on. */
	feed_init(&bad, NULL, "Broken");
	list = mk("b1", "Regulator opens a probe into the merger",
	    "https://b.example/1", now - 40);
	assert_int_equal(store_ingest(s, &bad, &list, NULL, NULL, &fresh, err,
	    sizeof(err)), -1);
	assert_non_null(list);
	assert_int_equal(list->rowid, 0);
	item_free_list(list);
	assert_true(store_batch_active(s));

	feed_init(&f, "https://c.example/rss", "C");
	assert_int_equal(ingest_item(s, &f, "c1", "Central bank signals a "
	    "pause in rate hikes", "https://c.example/1", now - 30, &fresh), 0);
	assert_int_equal(store_batch_items(s), 3);
	/* Another connection sees nothing yet. */
	assert_int_equal(count_query(r, &q), 0);
	assert_int_equal(store_batch_commit(s, err, sizeof(err)), 0);
	assert_false(store_batch_active(s));
	assert_int_equal(count_query(r, &q), 3);
	q.search = "probe";
	assert_int_equal(count_query(r, &q), 0);
	q.search = "pause";
	assert_int_equal(count_query(r, &q), 1);
	item_free_list(fresh);
	fresh = NULL;

	/* Rolled back: nothing, not even in the full-text index. */
	assert_int_equal(store_batch_begin(s, err, sizeof(err)), 0);
	assert_int_equal(ingest_item(s, &f, "c2", "Automaker recalls sedans "
	    "over faulty airbags", "https://c.example/2", now - 20, &fresh), 0);
	store_batch_rollback(s);
	item_free_list(fresh);
	memset(&q, 0, sizeof(q));
	assert_int_equal(count_query(r, &q), 3);
	q.search = "airbags";
	assert_int_equal(count_query(r, &q), 0);
	/* And the store carries on. */
	assert_int_equal(ingest(s, "https://c.example/rss", "C",
	    mk("c3", "Retailer beats holiday sales forecasts",
	    "https://c.example/3", now - 10), NULL), 1);
	store_close(r);
	store_close(s);
}

/*
 * A feed that fails after it wrote (its state, then an item whose row is
 * over the connection's length limit) undoes the whole batch at once: later writes in it
 * fail, the commit reports it, nothing of the batch is stored, not even
 * the first feed's state; the next batch works.
 */
static void
test_batch_lost(void **state)
{
	struct store *s, *r;
	struct store_feed f, g, *feeds = NULL;
	struct item *list, *fresh = NULL;
	struct store_query q;
	size_t nfeeds = 0;
	char longtitle[900];
	static const char a1[] = "Chipmaker lifts its annual revenue outlook";
	int old_limit;
	time_t now = util_now();

	(void)state;
	batch_pair(&s, &r, &q);
	feed_init(&f, "https://a.example/rss", "A");
	assert_int_equal(ingest_item(s, &f, "a1", a1, "https://a.example/1",
	    now - 60, &fresh), 0);
	assert_int_equal(store_batch_items(s), 1);

	/* Feed B's row is written, then its item's row is too long. */
	feed_init(&g, "https://b.example/rss", "B");
	memset(longtitle, 'x', sizeof(longtitle) - 1);
	longtitle[sizeof(longtitle) - 1] = '\0';
	list = mk("b1", longtitle, "https://b.example/1", now - 40);
	item_set(&list->summary, longtitle);
	old_limit = sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, 1000);
	assert_int_equal(store_ingest(s, &g, &list, NULL, NULL, &fresh, err,
	    sizeof(err)), -1);
	sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, old_limit);
	assert_non_null(list);
	assert_int_equal(list->rowid, 0);
	item_free_list(list);

	/* The batch is gone: later writes fail, and so does the commit. */
	assert_int_equal(ingest_item(s, &f, "a2", "Oil major trims output "
	    "after the storm", "https://a.example/2", now - 50, &fresh), -1);
	assert_non_null(strstr(err, "undid"));
	assert_true(store_batch_active(s));
	assert_int_equal(store_batch_commit(s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nothing of them was saved"));
	assert_false(store_batch_active(s));
	assert_int_equal(count_query(r, &q), 0);
	assert_int_equal(count_query(s, &q), 0);
	assert_int_equal(store_feeds(r, &feeds, &nfeeds, err, sizeof(err)),
	    0);
	assert_int_equal(nfeeds, 0);
	free(feeds);
	item_free_list(fresh);
	fresh = NULL;

	/* The next batch works. */
	assert_int_equal(store_batch_begin(s, err, sizeof(err)), 0);
	assert_int_equal(ingest_item(s, &f, "a1", a1, "https://a.example/1",
	    now - 60, &fresh), 0);
	assert_int_equal(store_batch_commit(s, err, sizeof(err)), 0);
	assert_int_equal(count_query(r, &q), 1);
	item_free_list(fresh);
	store_close(r);
	store_close(s);
}

/* An item hashed beforehand (store_item_prehash(), as the poller's parse
 * thread does) is deduped and clustered exactly like one the store
 * hashes itself. */
static void
test_prehashed_items(void **state)
{
	static const char title[] = "Chipmaker lifts its annual revenue outlook";
	struct store *s;
	struct strbuf scratch;
	struct item *it;
	struct store_query q;
	time_t now = util_now();

	(void)state;
	s = open_ok();
	strbuf_init(&scratch);
	assert_int_equal(ingest(s, "https://a.example/rss", "A",
	    mk("a1", title, "https://a.example/1?utm_source=rss", now - 60),
	    NULL), 1);
	/* The same text, hashed beforehand: unchanged, not written. */
	it = mk("a1", title, "https://a.example/1?utm_source=rss", now - 60);
	store_item_prehash(it, &scratch);
	assert_int_equal(it->hashes.valid, 1);
	assert_true(it->hashes.content == store_content_hash(it));
	assert_int_equal(ingest(s, "https://a.example/rss", "A", it, NULL), 0);
	/* A changed summary, hashed beforehand: an update. */
	it = mk("a1", title, "https://a.example/1?utm_source=rss", now - 60);
	item_set(&it->summary, "A longer summary.");
	store_item_prehash(it, &scratch);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", it, NULL), 1);
	/* The same story from another feed (link without its tracking
	 * parameter), hashed beforehand: it joins the story. */
	it = mk("b1", title, "https://a.example/1", now - 30);
	store_item_prehash(it, &scratch);
	assert_true(it->hashes.link != 0 && it->hashes.title != 0);
	assert_int_equal(ingest(s, "https://b.example/rss", "B", it, NULL), 1);
	memset(&q, 0, sizeof(q));
	q.search = "chipmaker";
	{
		struct item *list, *x;
		size_t n;

		assert_int_equal(store_query(s, &q, &list, &n, err,
		    sizeof(err)), 0);
		assert_int_equal(n, 2);
		for (x = list; x != NULL; x = x->next)
			assert_int_equal(x->n_sources, 2);
		item_free_list(list);
	}
	strbuf_done(&scratch);
	store_close(s);
}

/* An update in place moves the item between ticker and category
 * filters: the old rows go, the new ones come. */
static void
test_update_moves_tags(void **state)
{
	struct store *s;
	struct store_feed f;
	struct item *list, *fresh = NULL;
	char nvda[] = "NVDA", amd[] = "AMD";
	time_t now = util_now();

	(void)state;
	s = open_ok();
	feed_init(&f, "https://a.example/rss", "A");
	list = mk("g1", "Chipmaker lifts its annual revenue outlook",
	    "https://a.example/1", now - 60);
	assert_int_equal(store_ingest(s, &f, &list, tag_annotate, nvda,
	    &fresh, err, sizeof(err)), 0);
	item_free_list(fresh);
	fresh = NULL;
	assert_int_equal(count_tagged(s, "NVDA", NULL), 1);
	assert_int_equal(count_tagged(s, NULL, "NVDA"), 1);

	/* Changed upstream, re-annotated with another ticker. */
	list = mk("g1", "Chipmaker lifts its annual revenue outlook again",
	    "https://a.example/1", now - 30);
	assert_int_equal(store_ingest(s, &f, &list, tag_annotate, amd,
	    &fresh, err, sizeof(err)), 0);
	assert_non_null(fresh);
	assert_int_equal(fresh->is_update, 1);
	item_free_list(fresh);
	fresh = NULL;
	assert_int_equal(count_tagged(s, "NVDA", NULL), 0);
	assert_int_equal(count_tagged(s, NULL, "NVDA"), 0);
	assert_int_equal(count_tagged(s, "AMD", NULL), 1);
	assert_int_equal(count_tagged(s, "AMD", "amd"), 1);

	/* Retention takes the rows along with the item. */
	{
		long removed;

		exec_sql(dbpath, "UPDATE items SET published=1000");
		assert_int_equal(store_gc(s, 1, 0, &removed, err,
		    sizeof(err)), 0);
		assert_int_equal(removed, 1);
	}
	assert_int_equal(sql_int(dbpath, "SELECT (SELECT COUNT(*) FROM "
	    "item_tickers) + (SELECT COUNT(*) FROM item_categories)"), 0);
	store_close(s);
}

/*
 * Clustering by title from memory stays right when another connection
 * writes: an item it stored is found, and after its gc an item whose
 * twin was removed starts a story of its own.
 */
static void
test_clustering_other_writer(void **state)
{
	struct store *s, *w;
	struct calls c = { 0, 0 };
	time_t now = util_now();
	long removed;

	(void)state;
	s = open_ok();
	w = open_ok();
	/* s loads its title map. */
	assert_int_equal(ingest(s, "https://a.example/rss", "A",
	    mk("a1", "Shipping giant warns of a weaker second half",
	    "https://a.example/1", now - 600), &c), 1);
	/* The other connection stores a headline... */
	assert_int_equal(ingest(w, "https://b.example/rss", "B",
	    mk("b1", "Airline orders fifty new jets from Boeing",
	    "https://b.example/1", now - 500), NULL), 1);
	/* ...which s clusters with. */
	c.repeats = 0;
	assert_int_equal(ingest(s, "https://c.example/rss", "C",
	    mk("c1", "Airline orders fifty new jets from Boeing",
	    "https://c.example/1", now - 400), &c), 1);
	assert_int_equal(c.repeats, 1);

	/* The other connection removes everything but a1. */
	exec_sql(dbpath, "UPDATE items SET published=1000 WHERE guid<>'a1'");
	assert_int_equal(store_gc(w, 1, 0, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 2);
	c.repeats = 0;
	assert_int_equal(ingest(s, "https://d.example/rss", "D",
	    mk("d1", "Airline orders fifty new jets from Boeing",
	    "https://d.example/1", now - 300), &c), 1);
	assert_int_equal(c.repeats, 0);
	/* A twin of a1 still joins a1's story. */
	assert_int_equal(ingest(s, "https://e.example/rss", "E",
	    mk("e1", "Shipping giant warns of a weaker second half",
	    "https://e.example/1", now - 200), &c), 1);
	assert_int_equal(c.repeats, 1);
	store_close(w);
	store_close(s);
}

/* The stat of ticker t in v (n entries), or NULL. */
static const struct store_ticker_stat *
stat_of(const struct store_ticker_stat *v, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].ticker, t) == 0)
			return &v[i];
	return NULL;
}

/*
 * A version-1 database (tests/data/store_schema_v1.sql, written by the
 * store of that version) upgrades with nothing lost: items, read, star
 * and note, the story two feeds reported (one story, two sources, both
 * names), ticker and category filters, per-ticker statistics, search,
 * the watchlist; and it keeps working: a new report of a stored story
 * joins it.
 */
static void
test_migrate_v1(void **state)
{
	struct store *s;
	struct store_query q;
	struct store_ticker_stat *st;
	struct conf_strv names, watch;
	struct item *list, *it, *amzn, *nvda;
	char *sql, dir[600];
	size_t len, n;

	(void)state;
	if (util_read_file("tests/data/store_schema_v1.sql", 1 << 20, &sql,
	    &len, err, sizeof(err)) < 0)
		fail_msg("fixture: %s", err);
	snprintf(dir, sizeof(dir), "%s/data", tmpdir);
	mkdir(dir, 0700);
	exec_sql(dbpath, sql);
	free(sql);

	s = open_ok();
	memset(&q, 0, sizeof(q));
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	/* Newest first: the Fed item, starred with its note. */
	assert_string_equal(list->title, "Fed holds rates steady and signals "
	    "patience on cuts");
	assert_int_equal(list->starred, 1);
	assert_string_equal(list->note, "check the dot plot");
	assert_int_equal(list->n_sources, 1);
	assert_string_equal(list->ann.categories[0], "Monetary Policy");
	nvda = list->next;
	assert_string_equal(nvda->id, "wire-2002");
	assert_int_equal(nvda->read, 1);
	assert_int_equal(nvda->n_sources, 1);
	assert_true(nvda->story_id != list->story_id);
	amzn = nvda->next;
	/* The Amazon story: one story, two sources. */
	assert_int_equal(amzn->story_id, amzn->next->story_id);
	assert_int_equal(amzn->n_sources, 2);
	assert_int_equal(amzn->next->n_sources, 2);
	assert_true(amzn->story_id != nvda->story_id);
	assert_int_equal(store_story_sources(s, amzn->story_id, &names, err,
	    sizeof(err)), 0);
	assert_int_equal(names.n, 2);
	assert_string_equal(names.v[0], "Example Wire");
	assert_string_equal(names.v[1], "Example News");
	conf_strv_free(&names);
	assert_int_equal(store_story_sources(s, nvda->story_id, &names, err,
	    sizeof(err)), 0);
	assert_int_equal(names.n, 1);
	conf_strv_free(&names);
	/* Annotations read back whole. */
	assert_string_equal(amzn->ann.entities[0].ticker, "AMZN");
	assert_string_equal(amzn->ann.entities[1].ticker, "GOOGL");
	assert_int_equal(amzn->ann.n_categories, 2);
	assert_non_null(amzn->ann.analysis);
	item_free_list(list);

	/* Filters by ticker and category (any case), alone and together. */
	assert_int_equal(count_tagged(s, "AMZN", NULL), 2);
	assert_int_equal(count_tagged(s, "googl", NULL), 1);
	assert_int_equal(count_tagged(s, NULL, "artificial intelligence"), 2);
	assert_int_equal(count_tagged(s, NULL, "Monetary Policy"), 1);
	assert_int_equal(count_tagged(s, NULL, "Private Markets & Venture"),
	    1);
	assert_int_equal(count_tagged(s, "NVDA", "Trade & Tariffs"), 1);
	assert_int_equal(count_tagged(s, "NVDA", "Monetary Policy"), 0);
	assert_int_equal(count_tagged(s, NULL, "No Such Category"), 0);
	memset(&q, 0, sizeof(q));
	q.search = "anthropic";
	assert_int_equal(count_query(s, &q), 2);
	q.search = NULL;
	q.unread_only = 1;
	assert_int_equal(count_query(s, &q), 3);
	q.unread_only = 0;
	q.starred_only = 1;
	assert_int_equal(count_query(s, &q), 1);

	/* Per-ticker statistics over the fixture's morning. */
	assert_int_equal(store_ticker_stats(s, 1795680000, 1795693200, NULL,
	    0, &st, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_string_equal(st[0].ticker, "AMZN");
	assert_int_equal(st[0].count, 2);
	assert_int_equal(stat_of(st, n, "GOOGL")->count, 1);
	assert_true(stat_of(st, n, "NVDA")->max_impact > 0.6);
	free(st);

	assert_int_equal(store_watchlist(s, &watch, err, sizeof(err)), 0);
	assert_int_equal(watch.n, 1);
	assert_string_equal(watch.v[0], "NVDA");
	conf_strv_free(&watch);

	/* Re-fetched unchanged, a stored item is no update (its hash was
	 * computed again for version 5). */
	refetch_nvidia(s, "wire-2002", 1795691000);

	/* A second feed reports the Nvidia story: it joins, two sources. */
	list = mk("tag:news.example.org,2026:90", "Nvidia shares slip as "
	    "export curbs widen", "https://news.example.org/nvidia-curbs",
	    1795691500);
	annotate_as(list, "NVDA", 0.6, -0.3, "Trade & Tariffs");
	assert_int_equal(ingest(s, "https://news.example.org/feed", NULL,
	    list, NULL), 1);
	memset(&q, 0, sizeof(q));
	q.ticker = "NVDA";
	assert_int_equal(store_query(s, &q, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list->story_id, list->next->story_id);
	for (it = list; it != NULL; it = it->next)
		assert_int_equal(it->n_sources, 2);
	assert_int_equal(store_story_sources(s, list->story_id, &names, err,
	    sizeof(err)), 0);
	assert_int_equal(names.n, 2);
	assert_string_equal(names.v[0], "Example Wire");
	conf_strv_free(&names);
	item_free_list(list);
	assert_int_equal(count_tagged(s, NULL, "trade & tariffs"), 2);

	/* Version 6: a feed keeps what its last document needed repaired,
	 * and loses it with a clean one. */
	{
		struct store_feed f, g;
		long long id;

		feed_init(&f, "https://news.example.org/feed", NULL);
		f.last_success = 1795691500;
		f.warning = (char *)"XML error at line 3: unescaped '&'";
		assert_int_equal(store_feed_upsert(s, &f, &id, err,
		    sizeof(err)), 0);
		assert_int_equal(store_feed_get(s, f.url, &g, err,
		    sizeof(err)), 0);
		assert_string_equal(g.warning, f.warning);
		assert_null(g.last_error);
		store_feed_clear(&g);
		f.warning = NULL;
		assert_int_equal(store_feed_upsert(s, &f, &id, err,
		    sizeof(err)), 0);
		assert_int_equal(store_feed_get(s, f.url, &g, err,
		    sizeof(err)), 0);
		assert_null(g.warning);
		store_feed_clear(&g);
	}
	store_close(s);
}

/*
 * More categories than items.cats has bits (user categories from
 * feeds.conf on top of the built-in ones): each still filters exactly,
 * also after an item changes category, and retention removes their
 * rows with the items.
 */
static void
test_many_categories(void **state)
{
	struct store *s;
	struct item *list;
	char name[ITEM_CATEGORY_LEN], guid[32], title[96];
	time_t now = util_now();
	long removed;
	int i;

	(void)state;
	s = open_ok();
	for (i = 0; i < 70; i++) {
		snprintf(guid, sizeof(guid), "g%d", i);
		snprintf(title, sizeof(title), "Headline number %d about "
		    "something else entirely", i);
		snprintf(name, sizeof(name), "Sector %d", i);
		list = mk(guid, title, NULL, now - 3600 + i);
		annotate_as(list, "XOM", 0.4, 0.0, name);
		/* Every item is in "Energy" too. */
		util_strlcpy(list->ann.categories[1], "Energy",
		    sizeof(list->ann.categories[1]));
		list->ann.n_categories = 2;
		assert_int_equal(ingest(s, "https://a.example/rss", "A", list,
		    NULL), 1);
	}
	assert_int_equal(count_tagged(s, NULL, "energy"), 70);
	assert_int_equal(count_tagged(s, NULL, "Sector 3"), 1);
	assert_int_equal(count_tagged(s, NULL, "sector 68"), 1);
	assert_int_equal(count_tagged(s, "XOM", "Sector 68"), 1);
	assert_int_equal(count_tagged(s, "XOM", "Energy"), 70);

	/* g68 changes upstream and moves to another category. */
	list = mk("g68", "Headline number 68 about something else, revised",
	    NULL, now - 3600 + 68);
	annotate_as(list, "XOM", 0.4, 0.0, "Sector 69");
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    1);
	assert_int_equal(count_tagged(s, NULL, "Sector 68"), 0);
	assert_int_equal(count_tagged(s, NULL, "Sector 69"), 2);
	assert_int_equal(count_tagged(s, NULL, "Energy"), 69);

	exec_sql(dbpath, "UPDATE items SET published=1000");
	assert_int_equal(store_gc(s, 1, 0, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 70);
	assert_int_equal(count_tagged(s, NULL, "Sector 69"), 0);
	assert_int_equal(sql_int(dbpath,
	    "SELECT COUNT(*) FROM item_categories"), 0);
	store_close(s);
}

/*
 * A full disk (simulated with max_page_count on the store's own
 * connection, which is what SQLite reports when the file cannot grow):
 * the message names the file, says the disk is full and what to do;
 * what was stored before is all there, and the store still reads.
 */
static void
test_disk_full(void **state)
{
	struct store *s;
	struct store_query q;
	struct item *list, *fresh = NULL;
	struct store_feed f;
	char title[128], guid[32], *big;
	time_t now = util_now();
	int i, rc = 0;

	(void)state;
	s = open_ok();
	list = mk("keep", "Stored before the disk filled up", NULL,
	    now - 7200);
	assert_int_equal(ingest(s, "https://a.example/rss", "A", list, NULL),
	    1);
	/* The file may not grow any more. */
	assert_int_equal(sqlite3_exec(s->db, "PRAGMA max_page_count = 1",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_batch_begin(s, err, sizeof(err)), 0);
	big = xcalloc(1, 4000);
	memset(big, 'x', 3999);
	feed_init(&f, "https://a.example/rss", "A");
	for (i = 0; i < 400 && rc == 0; i++) {
		snprintf(guid, sizeof(guid), "full%d", i);
		snprintf(title, sizeof(title), "Item %d written while the disk "
		    "fills", i);
		list = mk(guid, title, NULL, now - 60);
		item_set(&list->summary, big);
		rc = store_ingest(s, &f, &list, NULL, NULL, &fresh, err,
		    sizeof(err));
		item_free_list(list);
		item_free_list(fresh);
		fresh = NULL;
	}
	if (rc == 0)
		rc = store_batch_commit(s, err, sizeof(err));
	else
		store_batch_rollback(s);
	free(big);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, dbpath));
	assert_non_null(strstr(err, "the disk is full"));
	assert_non_null(strstr(err, "free some space"));
	assert_non_null(strstr(err, "nothing already stored was lost"));
	/* Reads go on; the earlier item is there. */
	memset(&q, 0, sizeof(q));
	q.search = "stored before";
	assert_int_equal(count_query(s, &q), 1);
	store_close(s);
}

/* The feed list in the table follows feeds.conf: new feeds are added, a
 * new name replaces the old (an unnamed entry is named after its host).  A state saved by id for
 * a row removed meanwhile inserts the row again. */
static void
test_sync_feeds(void **state)
{
	static const char conf1[] =
	    "https://c.example/rss name=\"Gamma\"\n"
	    "https://a.example/rss\n"
	    "https://b.example/rss name=\"Beta\"\n";
	static const char conf2[] =
	    "https://b.example/rss name=\"Beta Wire\"\n"
	    "https://a.example/rss name=\"Alpha\"\n"
	    "https://c.example/rss\n"
	    "https://0.example/rss\n"
	    "https://d.example/rss name=\"Delta\"\n";
	struct store *s;
	struct store_feed *v, g;
	struct conf c;
	size_t n, i;

	(void)state;
	s = open_ok();
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "feeds.conf", conf1, strlen(conf1),
	    err, sizeof(err)), 0);
	assert_int_equal(store_sync_feeds(s, &c, err, sizeof(err)), 0);
	assert_int_equal(sql_int(dbpath, "SELECT COUNT(*) FROM feeds"), 3);
	/* Again: nothing changes, nothing is written. */
	assert_int_equal(store_sync_feeds(s, &c, err, sizeof(err)), 0);
	assert_int_equal(sql_int(dbpath, "SELECT COUNT(*) FROM feeds"), 3);
	conf_free(&c);
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "feeds.conf", conf2, strlen(conf2),
	    err, sizeof(err)), 0);
	assert_int_equal(store_sync_feeds(s, &c, err, sizeof(err)), 0);
	assert_int_equal(sql_int(dbpath, "SELECT COUNT(*) FROM feeds"), 5);
	assert_int_equal(store_feed_states(s, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		const char *want = NULL;

		if (strcmp(v[i].url, "https://a.example/rss") == 0)
			want = "Alpha";
		else if (strcmp(v[i].url, "https://b.example/rss") == 0)
			want = "Beta Wire";
		else if (strcmp(v[i].url, "https://c.example/rss") == 0)
			want = "c.example";	/* unnamed: the host */
		else if (strcmp(v[i].url, "https://d.example/rss") == 0)
			want = "Delta";
		if (want != NULL)
			assert_string_equal(v[i].name, want);
		else
			assert_string_equal(v[i].url, "https://0.example/rss");
	}
	/* Saved by id: the row changes, no second row appears. */
	v[0].etag = xstrdup("\"e1\"");
	v[0].http_status = 304;
	assert_int_equal(store_feed_save(s, &v[0], err, sizeof(err)), 0);
	assert_int_equal(store_feed_get(s, v[0].url, &g, err, sizeof(err)),
	    0);
	assert_string_equal(g.etag, "\"e1\"");
	assert_int_equal(g.id, v[0].id);
	store_feed_clear(&g);
	/* The row removed by another connection: saved again as new. */
	exec_sql(dbpath, "DELETE FROM feeds WHERE url='https://a.example/rss'"
	    " OR url='https://b.example/rss' OR url='https://c.example/rss'"
	    " OR url='https://d.example/rss' OR url='https://0.example/rss'");
	v[0].http_status = 200;
	assert_int_equal(store_feed_save(s, &v[0], err, sizeof(err)), 0);
	assert_int_equal(sql_int(dbpath, "SELECT COUNT(*) FROM feeds"), 1);
	assert_int_equal(store_feed_get(s, v[0].url, &g, err, sizeof(err)),
	    0);
	assert_int_equal(g.http_status, 200);
	assert_string_equal(g.etag, "\"e1\"");
	store_feed_clear(&g);
	for (i = 0; i < n; i++)
		store_feed_clear(&v[i]);
	free(v);
	conf_free(&c);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_key),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dedupe_and_update, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clustering, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search_hostile, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_search_index_follows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_unindexed_same,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_phrase, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_link_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_background_checkpoint,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticker_stats, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_retention, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_watchlist, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v0, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_v1, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_many_categories, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disk_full, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_poll_lock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_feeds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_batch_lost, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prehashed_items, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_update_moves_tags, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clustering_other_writer,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reanalyze, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

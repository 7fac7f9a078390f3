/*
 * test_poller.c - the ingest thread in continuous (dashboard) mode against
 * tests/fixture_server.py: items arrive through the queue, a refresh
 * request re-polls at once with a conditional GET, failures keep their
 * words and back off (Retry-After honoured), stop is prompt even with a
 * stalled transfer, and a second poller on the same database stays
 * passive.  In once mode with its own (lazily built) analyzer, every item
 * of several feeds arrives annotated through the parse thread, an
 * analyzer that cannot be built stops the poll with the reason, and so
 * does a new database that cannot be created while its first transfers
 * are already under way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fixture_server.h"
#include "itemq.h"
#include "poller.h"
#include "store.h"
#include "util.h"

static char tmpdir[] = "/tmp/deskwire-test-poller-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL || fixture_start() < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	xmlInitParser();
	return 0;
}

static int
teardown(void **state)
{
	DIR *d;
	struct dirent *e;

	(void)state;
	fixture_stop();
	curl_global_cleanup();
	if ((d = opendir(tmpdir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *path;

			if (e->d_name[0] == '.')
				continue;
			path = xasprintf("%s/%s", tmpdir, e->d_name);
			unlink(path);
			free(path);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	return 0;
}

static void
load_conf(struct conf *c, const char *extra, const char *const *paths,
    size_t n)
{
	struct strbuf sb;
	char err[512];
	size_t i;

	strbuf_init(&sb);
	strbuf_addf(&sb, "refresh = 1h\ntimeout = 20\nretention_days = 0\n%s",
	    extra);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "http://127.0.0.1:%d%s name=f%zu\n",
		    fixture_port, paths[i], i);
	conf_init(c);
	if (conf_parse(c, "test.conf", sb.buf, sb.len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	strbuf_done(&sb);
}

static char *
db_path(const char *name)
{
	return xasprintf("%s/%s.db", tmpdir, name);
}

/* Wait until pred(feeds) holds, up to 20 s. */
typedef int (*pred_fn)(const struct poller_feed *v, size_t n);

static void
wait_for(struct poller *p, struct itemq *q, pred_fn pred, long *n_items)
{
	int64_t t0 = util_mono_ms();

	for (;;) {
		struct poller_feed *v;
		struct item *list, *it;
		size_t n;
		int ok;

		n = poller_feeds(p, &v);
		ok = pred(v, n);
		poller_feeds_free(v, n);
		if (ok)
			return;
		if (util_mono_ms() - t0 > 20000)
			fail_msg("the poller did not get there");
		itemq_wait(q, 200);
		list = itemq_drain(q, NULL);
		for (it = list; it != NULL; it = it->next)
			if (n_items != NULL)
				(*n_items)++;
		item_free_list(list);
	}
}

static int
all_polled(const struct poller_feed *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!v[i].polled || v[i].busy)
			return 0;
	return 1;
}

static int
got_304(const struct poller_feed *v, size_t n)
{
	return n == 1 && v[0].st.http_status == 304 && !v[0].busy;
}

static void
test_items_then_refresh_is_conditional(void **state)
{
	static const char *const paths[] = { "/feeds/markets.xml" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	struct poller_feed *v;
	char err[512], *db = db_path("refresh");
	long n_items = 0;
	size_t n;

	(void)state;
	load_conf(&c, "", paths, 1);
	q = itemq_new(64, err, sizeof(err));
	assert_non_null(q);
	p = poller_start(&c, db, NULL, q, 0, err, sizeof(err));
	assert_non_null(p);
	wait_for(p, q, all_polled, &n_items);
	assert_int_equal(n_items, 3);
	n = poller_feeds(p, &v);
	assert_int_equal(n, 1);
	assert_true(v[0].ok);
	assert_int_equal(v[0].st.http_status, 200);
	assert_null(v[0].st.last_error);
	assert_int_equal(v[0].st.items_seen, 3);
	assert_non_null(v[0].st.etag);
	/* Next poll an hour away (+/- 10% jitter). */
	assert_true(v[0].st.next_due >= v[0].st.last_attempt + 3240);
	assert_true(v[0].st.next_due <= v[0].st.last_attempt + 3960);
	poller_feeds_free(v, n);
	assert_false(poller_is_passive(p));

	/* A refresh polls now, conditionally: 304, nothing new. */
	poller_refresh(p, NULL);
	n_items = 0;
	wait_for(p, q, got_304, &n_items);
	assert_int_equal(n_items, 0);
	poller_stop(p);
	itemq_free(q);
	conf_free(&c);
	free(db);
}

static void
test_failures_back_off(void **state)
{
	static const char *const paths[] = { "/status/500", "/retry/120",
	    "/html", "/feeds/tech.atom" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	struct poller_feed *v;
	char err[512], *db = db_path("failures");
	long n_items = 0;
	size_t n;

	(void)state;
	load_conf(&c, "", paths, 4);
	q = itemq_new(64, err, sizeof(err));
	p = poller_start(&c, db, NULL, q, 0, err, sizeof(err));
	assert_non_null(p);
	wait_for(p, q, all_polled, &n_items);
	assert_int_equal(n_items, 2);	/* the good feed is not held up */
	n = poller_feeds(p, &v);
	assert_int_equal(n, 4);
	assert_false(v[0].ok);
	assert_string_equal(v[0].st.last_error, "HTTP 500");
	assert_int_equal(v[0].st.failures, 1);
	assert_true(v[0].st.next_due > v[0].st.last_attempt);
	assert_string_equal(v[1].st.last_error, "HTTP 429");
	/* Retry-After: 120 is the next due time. */
	assert_int_equal(v[1].st.next_due, v[1].st.last_attempt + 120);
	assert_false(v[2].ok);
	assert_non_null(v[2].st.last_error);
	assert_int_equal(v[2].st.http_status, 200);
	assert_true(v[3].ok);
	poller_feeds_free(v, n);
	poller_stop(p);
	itemq_free(q);
	conf_free(&c);
	free(db);
}

static int
first_busy(const struct poller_feed *v, size_t n)
{
	return n >= 1 && v[0].busy;
}

/* Quitting the dashboard does not wait for a hung server. */
static void
test_stop_with_stalled_transfer(void **state)
{
	static const char *const paths[] = { "/stall" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	char err[512], *db = db_path("stall");
	int64_t t0;

	(void)state;
	load_conf(&c, "timeout = 300\n", paths, 1);
	q = itemq_new(64, err, sizeof(err));
	p = poller_start(&c, db, NULL, q, 0, err, sizeof(err));
	assert_non_null(p);
	wait_for(p, q, first_busy, NULL);
	t0 = util_mono_ms();
	poller_stop(p);
	/* Far below the 300 s the transfer could still take. */
	assert_true(util_mono_ms() - t0 < 60000);
	itemq_free(q);
	conf_free(&c);
	free(db);
}

static void
test_second_poller_is_passive(void **state)
{
	static const char *const paths[] = { "/feeds/energy.xml" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	struct store *other;
	char err[512], *db = db_path("passive");
	int64_t t0;

	(void)state;
	load_conf(&c, "", paths, 1);
	other = store_open(db, 0, err, sizeof(err));
	assert_non_null(other);
	assert_int_equal(store_poll_lock(other), 1);
	q = itemq_new(64, err, sizeof(err));
	p = poller_start(&c, db, NULL, q, 0, err, sizeof(err));
	assert_non_null(p);
	t0 = util_mono_ms();
	while (!poller_is_passive(p)) {
		if (util_mono_ms() - t0 > 20000)
			fail_msg("never became passive");
		itemq_wait(q, 100);
		item_free_list(itemq_drain(q, NULL));
	}
	/* It fetched nothing: the other process polls. */
	assert_null(itemq_drain(q, NULL));
	poller_stop(p);
	store_close(other);

	/* With once mode, the same situation is an error, not a wait. */
	other = store_open(db, 0, err, sizeof(err));
	assert_non_null(other);
	assert_int_equal(store_poll_lock(other), 1);
	itemq_free(q);
	q = itemq_new(64, err, sizeof(err));
	p = poller_start(&c, db, NULL, q, POLLER_ONCE, err, sizeof(err));
	assert_non_null(p);
	while (!itemq_finished(q)) {
		itemq_wait(q, 1000);
		item_free_list(itemq_drain(q, NULL));
	}
	assert_true(poller_error(p, err, sizeof(err)));
	assert_non_null(strstr(err, "another deskwire"));
	poller_stop(p);
	store_close(other);
	itemq_free(q);
	conf_free(&c);
	free(db);
}

static void
test_lazy_analyzer_annotates_every_feed(void **state)
{
	static const char *const paths[] = { "/feeds/markets.xml",
	    "/feeds/tech.atom", "/feeds/energy.xml",
	    "/redirect/2/markets.xml" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	struct poller_feed *v;
	struct item *list, *it;
	char err[512], *db = db_path("lazy");
	long n_items = 0, n_valid = 0, n_feed[4] = { 0, 0, 0, 0 };
	size_t n, i;

	(void)state;
	load_conf(&c, "", paths, 4);
	q = itemq_new(4, err, sizeof(err));	/* small: backpressure */
	assert_non_null(q);
	p = poller_start_lazy(&c, db, NULL, q, POLLER_ONCE, err, sizeof(err));
	assert_non_null(p);
	while (!itemq_finished(q)) {
		itemq_wait(q, 1000);
		list = itemq_drain(q, NULL);
		for (it = list; it != NULL; it = it->next) {
			n_items++;
			n_valid += it->ann.valid && it->ann.version > 0;
			for (i = 0; i < 4; i++)
				if (strcmp(it->feed_url, c.feeds[i].url) == 0)
					n_feed[i]++;
		}
		item_free_list(list);
	}
	assert_false(poller_error(p, err, sizeof(err)));
	n = poller_feeds(p, &v);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		assert_true(v[i].ok);
		assert_int_equal(v[i].st.http_status, 200);
		/* Items carry their configured feed, not the redirect. */
		assert_int_equal(n_feed[i], v[i].n_new);
	}
	poller_feeds_free(v, n);
	assert_true(n_items > 3);
	assert_int_equal(n_valid, n_items);
	poller_stop(p);
	itemq_free(q);
	conf_free(&c);
	free(db);
}

static void
test_lazy_analyzer_failure_stops(void **state)
{
	static const char *const paths[] = { "/feeds/markets.xml" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	char err[512], *db = db_path("lazybad"), *dir, *file;
	FILE *f;

	(void)state;
	/* A ticker file the dictionary cannot read. */
	dir = xasprintf("%s/data", tmpdir);
	assert_int_equal(util_mkdirs(dir, 0700), 0);
	file = xasprintf("%s/tickers.tsv", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("AAPL\n", f);
	fclose(f);
	load_conf(&c, "", paths, 1);
	q = itemq_new(64, err, sizeof(err));
	assert_non_null(q);
	p = poller_start_lazy(&c, db, dir, q, POLLER_ONCE, err, sizeof(err));
	assert_non_null(p);
	while (!itemq_finished(q)) {
		itemq_wait(q, 1000);
		item_free_list(itemq_drain(q, NULL));
	}
	assert_true(poller_error(p, err, sizeof(err)));
	assert_non_null(strstr(err, "analyzer"));
	assert_non_null(strstr(err, "tickers.tsv"));
	poller_stop(p);
	itemq_free(q);
	conf_free(&c);
	unlink(file);
	rmdir(dir);
	free(file);
	free(dir);
	free(db);
}

/*
 * On a new database the transfers and the parse thread start before the
 * store is created; a store that cannot be created still ends the poll
 * with its reason, and stopping drops the transfers already made.
 */
static void
test_new_database_cannot_be_created(void **state)
{
	static const char *const paths[] = { "/feeds/markets.xml",
	    "/feeds/tech.atom", "/stall" };
	struct conf c;
	struct itemq *q;
	struct poller *p;
	char err[512], *db = db_path("nowal"), *wal;

	(void)state;
	/* The WAL file's name is taken by a directory. */
	wal = xasprintf("%s-wal", db);
	assert_int_equal(util_mkdirs(wal, 0700), 0);
	load_conf(&c, "", paths, 3);
	q = itemq_new(64, err, sizeof(err));
	assert_non_null(q);
	p = poller_start_lazy(&c, db, NULL, q, POLLER_ONCE, err, sizeof(err));
	assert_non_null(p);
	while (!itemq_finished(q)) {
		itemq_wait(q, 1000);
		assert_null(itemq_drain(q, NULL));
	}
	assert_true(poller_error(p, err, sizeof(err)));
	assert_non_null(strstr(err, "nowal.db"));
	poller_stop(p);
	itemq_free(q);
	conf_free(&c);
	rmdir(wal);
	free(wal);
	free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items_then_refresh_is_conditional),
		cmocka_unit_test(test_failures_back_off),
		cmocka_unit_test(test_stop_with_stalled_transfer),
		cmocka_unit_test(test_second_poller_is_passive),
		cmocka_unit_test(test_lazy_analyzer_annotates_every_feed),
		cmocka_unit_test(test_lazy_analyzer_failure_stops),
		cmocka_unit_test(test_new_database_cannot_be_created),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_fetch.c - the libcurl layer against tests/fixture_server.py on
 * 127.0.0.1: conditional GET, gzip, redirects, error statuses and
 * Retry-After, and every limit (stall, slow trickle, truncation, oversized
 * bodies, a gzip bomb, disallowed protocols), all transfers in one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fetch.h"
#include "fixture_server.h"
#include "util.h"

static int
start_server(void **state)
{
	(void)state;
	if (fixture_start() < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

static int
stop_server(void **state)
{
	(void)state;
	fixture_stop();
	curl_global_cleanup();
	return 0;
}

/* What one transfer produced, copied out of the callback. */
struct got {
	int calls;
	enum fetch_outcome outcome;
	long status;
	char *body;
	size_t len;
	char *etag, *last_modified, *error, *effective_url;
	long retry_after;
};

static void
got_clear(struct got *g)
{
	free(g->body);
	free(g->etag);
	free(g->last_modified);
	free(g->error);
	free(g->effective_url);
	memset(g, 0, sizeof(*g));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
on_done(void *arg, const struct fetch_result *r)
{
	struct got *g = r->user;

	(void)arg;
	g->calls++;
	g->outcome = r->outcome;
	g->status = r->http_status;
	g->body = xstrndup(r->body, r->len);
	g->len = r->len;
	g->etag = dup_or_null(r->etag);
	g->last_modified = dup_or_null(r->last_modified);
	g->error = xstrdup(r->error);
	g->effective_url = xstrdup(r->effective_url);
	g->retry_after = r->retry_after;
}

static char *
url(const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", fixture_port, path);
}

static void
add(struct fetch *f, const char *path, struct got *g, const char *etag,
    const char *lm)
{
	char *u = url(path);
	struct fetch_req r = { .url = u, .etag = etag, .last_modified = lm,
	    .user = g };

	fetch_add(f, &r);
	free(u);
}

static void
run_all(struct fetch *f)
{
	int64_t start = util_mono_ms();

	while (fetch_pending(f) > 0) {
		fetch_run(f, 1000, on_done, NULL);
		if (util_mono_ms() - start > 60000)
			fail_msg("transfers did not finish");
	}
}

static char *
read_file(const char *path, size_t *len)
{
	char err[256], *buf = NULL;

	if (util_read_file(path, 1 << 20, &buf, len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return buf;
}

static int
count_in(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_conditional_get(void **state)
{
	struct fetch *f;
	struct got a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, log = { 0 };
	char err[256], *want;
	size_t wantlen;

	(void)state;
	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	want = read_file("tests/data/http/markets.xml", &wantlen);
	add(f, "/__reset", &log, NULL, NULL);
	run_all(f);
	got_clear(&log);

	add(f, "/feeds/markets.xml", &a, NULL, NULL);
	run_all(f);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.outcome, FETCH_OK);
	assert_int_equal(a.status, 200);
	/* Sent gzip (Accept-Encoding ""), decoded transparently. */
	assert_int_equal(a.len, wantlen);
	assert_memory_equal(a.body, want, wantlen);
	assert_non_null(a.etag);
	assert_string_equal(a.last_modified, "Wed, 26 Nov 2025 12:00:00 GMT");
	assert_string_equal(a.error, "");

	/* The validators make the next request conditional: 304, no body. */
	add(f, "/feeds/markets.xml", &b, a.etag, a.last_modified);
	add(f, "/lm-only/markets.xml", &c, NULL, a.last_modified);
	add(f, "/etag-only/markets.xml", &d, "\"stale\"", NULL);
	run_all(f);
	assert_int_equal(b.outcome, FETCH_NOT_MODIFIED);
	assert_int_equal(b.status, 304);
	assert_int_equal(b.len, 0);
	assert_int_equal(c.outcome, FETCH_NOT_MODIFIED);
	/* A stale ETag gets the full document again. */
	assert_int_equal(d.outcome, FETCH_OK);
	assert_int_equal(d.len, wantlen);

	add(f, "/__log", &log, NULL, NULL);
	run_all(f);
	assert_int_equal(log.outcome, FETCH_OK);
	assert_int_equal(count_in(log.body, "\"if_none_match\": null"), 2);
	assert_non_null(strstr(log.body, "\"user_agent\": \"deskwire/"
	    DESKWIRE_VERSION "\""));
	assert_non_null(strstr(log.body, "\"if_modified_since\": "
	    "\"Wed, 26 Nov 2025 12:00:00 GMT\""));
	assert_non_null(strstr(log.body, "gzip"));
	assert_int_equal(count_in(log.body, "\"status\": 304"), 2);
	got_clear(&a);
	got_clear(&b);
	got_clear(&c);
	got_clear(&d);
	got_clear(&log);
	free(want);
	fetch_free(f);
}

struct case_ {
	const char *path;
	enum fetch_outcome outcome;
	long status;
	const char *error;	/* prefix of the expected words */
};

/* Everything at once: one broken feed never holds back the others. */
static void
test_failures_in_words(void **state)
{
	static const struct case_ cases[] = {
		{ "/gzip/tech.atom", FETCH_OK, 200, "" },
		{ "/redirect/3/energy.xml", FETCH_OK, 200, "" },
		{ "/redirect/7/energy.xml", FETCH_FAILED, 301,
		    "too many redirects" },
		{ "/loop", FETCH_FAILED, 302, "too many redirects" },
		{ "/to-file", FETCH_FAILED, 302, "protocol not allowed" },
		{ "/status/404", FETCH_HTTP_ERROR, 404, "HTTP 404" },
		{ "/status/500", FETCH_HTTP_ERROR, 500, "HTTP 500" },
		{ "/truncated", FETCH_FAILED, 200, "truncated body" },
		{ "/oversized", FETCH_FAILED, 200, "body over 8 MiB" },
		{ "/oversized-chunked", FETCH_FAILED, 200, "body over 8 MiB" },
		{ "/bomb", FETCH_FAILED, 200, "body over 8 MiB" },
		{ "/html", FETCH_OK, 200, "" },
		{ "/feeds/markets.xml", FETCH_OK, 200, "" },
	};
	struct got g[UTIL_ARRAY_LEN(cases)];
	struct fetch *f;
	char err[256];
	size_t i;

	(void)state;
	memset(g, 0, sizeof(g));
	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++)
		add(f, cases[i].path, &g[i], NULL, NULL);
	run_all(f);
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		if (g[i].calls != 1 || g[i].outcome != cases[i].outcome ||
		    g[i].status != cases[i].status ||
		    strncmp(g[i].error, cases[i].error,
		    strlen(cases[i].error)) != 0)
			fail_msg("%s: calls %d outcome %d status %ld error '%s'",
			    cases[i].path, g[i].calls, (int)g[i].outcome,
			    g[i].status, g[i].error);
	}
	assert_non_null(strstr(g[0].body, "Apple to buy back"));
	assert_non_null(strstr(g[1].effective_url, "/feeds/energy.xml"));
	assert_non_null(strstr(g[1].body, "Exxon to cut"));
	/* The parser, not the fetcher, decides an HTML page is no feed. */
	assert_non_null(strstr(g[11].body, "<html>"));
	for (i = 0; i < UTIL_ARRAY_LEN(cases); i++)
		got_clear(&g[i]);
	fetch_free(f);
}

static void
test_retry_after(void **state)
{
	struct got secs = { 0 }, date = { 0 }, plain = { 0 };
	struct fetch *f;
	char err[256];

	(void)state;
	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	add(f, "/retry/120", &secs, NULL, NULL);
	add(f, "/retry-date", &date, NULL, NULL);
	add(f, "/status/503", &plain, NULL, NULL);
	run_all(f);
	assert_int_equal(secs.status, 429);
	assert_string_equal(secs.error, "HTTP 429");
	assert_int_equal(secs.retry_after, 120);
	assert_int_equal(date.status, 503);
	/* An HTTP date 300 s ahead (allowing for a slow machine). */
	assert_true(date.retry_after > 200 && date.retry_after <= 301);
	assert_int_equal(plain.retry_after, -1);
	got_clear(&secs);
	got_clear(&date);
	got_clear(&plain);
	fetch_free(f);
}

/* Both limits on time, with short values so the test stays quick. */
static void
test_stall_and_trickle(void **state)
{
	struct fetch_opts total = { .timeout = 2, .low_speed_time = 30 };
	struct fetch_opts slow = { .timeout = 20, .low_speed_limit = 100,
	    .low_speed_time = 2 };
	struct got a = { 0 }, b = { 0 }, c = { 0 };
	struct fetch *f1, *f2;
	char err[256];

	(void)state;
	f1 = fetch_new(&total, err, sizeof(err));
	f2 = fetch_new(&slow, err, sizeof(err));
	assert_non_null(f1);
	assert_non_null(f2);
	add(f1, "/stall", &a, NULL, NULL);
	add(f2, "/trickle", &b, NULL, NULL);
	add(f2, "/stall", &c, NULL, NULL);
	while (fetch_pending(f1) + fetch_pending(f2) > 0) {
		fetch_run(f1, 50, on_done, NULL);
		fetch_run(f2, 50, on_done, NULL);
	}
	assert_int_equal(a.outcome, FETCH_FAILED);
	assert_string_equal(a.error, "timed out after 2 s");
	assert_int_equal(b.outcome, FETCH_FAILED);
	assert_string_equal(b.error, "too slow: under 100 bytes/s for 2 s");
	assert_string_equal(c.error, "stalled: nothing received for 2 s");
	got_clear(&a);
	got_clear(&b);
	got_clear(&c);
	fetch_free(f1);
	fetch_free(f2);
}

static void
test_connection_refused(void **state)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct got g = { 0 };
	struct fetch *f;
	struct fetch_req r;
	char err[256], *u;
	int s;

	(void)state;
	/* A port that was just free: nobody listens there. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
	close(s);
	u = xasprintf("http://127.0.0.1:%d/feed", ntohs(sa.sin_port));
	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	r = (struct fetch_req){ .url = u, .user = &g };
	fetch_add(f, &r);
	run_all(f);
	assert_int_equal(g.outcome, FETCH_FAILED);
	assert_int_equal(g.status, 0);
	assert_string_equal(g.error, "connection refused");
	got_clear(&g);
	free(u);
	fetch_free(f);
}

static void
test_file_url(void **state)
{
	char cwd[PATH_MAX], err[256], *u, *want;
	struct got g = { 0 }, bad = { 0 };
	struct fetch *f;
	struct fetch_req r;
	size_t wantlen;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	u = xasprintf("file://%s/tests/data/http/tech.atom", cwd);
	want = read_file("tests/data/http/tech.atom", &wantlen);
	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	r = (struct fetch_req){ .url = u, .user = &g };
	fetch_add(f, &r);
	r = (struct fetch_req){ .url = "gopher://127.0.0.1/1", .user = &bad };
	fetch_add(f, &r);
	run_all(f);
	assert_int_equal(g.outcome, FETCH_OK);
	assert_int_equal(g.len, wantlen);
	assert_memory_equal(g.body, want, wantlen);
	assert_int_equal(bad.outcome, FETCH_FAILED);
	assert_string_equal(bad.error, "protocol not allowed");
	got_clear(&g);
	got_clear(&bad);
	free(u);
	free(want);
	fetch_free(f);
}

/* fetch_wakeup() from another thread ends a wait at once. */
static void *
waker(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	fetch_wakeup(arg);
	return NULL;
}

static void
test_wakeup(void **state)
{
	struct fetch *f;
	pthread_t thr;
	char err[256];
	int64_t t0;

	(void)state;
	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	assert_int_equal(pthread_create(&thr, NULL, waker, f), 0);
	t0 = util_mono_ms();
	/* Would wait a minute without the wake-up. */
	assert_int_equal(fetch_run(f, 60000, on_done, NULL), 0);
	assert_true(util_mono_ms() - t0 < 30000);
	pthread_join(thr, NULL);
	fetch_free(f);
}

/* The order transfers finished in, for test_per_host_turns(). */
static int finished[16], n_finished;

static void
on_turn(void *arg, const struct fetch_result *r)
{
	(void)arg;
	if (n_finished < 16)
		finished[n_finished++] = (int)(intptr_t)r->user;
}

static void
add_turn(struct fetch *f, const char *host, const char *path, int id)
{
	char *u = xasprintf("http://%s:%d%s", host, fixture_port, path);
	struct fetch_req r = { .url = u, .user = (void *)(intptr_t)id };

	fetch_add(f, &r);
	free(u);
}

/*
 * One connection a host, two in all: a host's later requests wait for
 * its first (the host counts by lower-case name and port, user
 * information aside), and however many wait, another host's request
 * starts at once.  Request 1 stalls until its one-second timeout, so
 * 2 to 8 (the same host in other letters) finish after it and 9 (another
 * host) before all of them.
 */
static void
test_per_host_turns(void **state)
{
	struct fetch_opts o = { .max_connections = 2, .max_per_host = 1,
	    .timeout = 1, .low_speed_time = 30 };
	struct fetch *f;
	char err[256];
	int64_t start = util_mono_ms();
	int i;

	(void)state;
	n_finished = 0;
	f = fetch_new(&o, err, sizeof(err));
	assert_non_null(f);
	add_turn(f, "LocalHost", "/stall", 1);
	for (i = 2; i <= 8; i++)
		add_turn(f, "reader@localhost", "/feeds/markets.xml", i);
	add_turn(f, "127.0.0.1", "/feeds/markets.xml", 9);
	while (fetch_pending(f) > 0) {
		fetch_run(f, 1000, on_turn, NULL);
		if (util_mono_ms() - start > 60000)
			fail_msg("transfers did not finish");
	}
	assert_int_equal(n_finished, 9);
	assert_int_equal(finished[0], 9);
	assert_int_equal(finished[1], 1);
	for (i = 2; i < 9; i++)
		assert_int_equal(finished[i], i);
	fetch_free(f);
}

/* Fetch path from the fixture server on a fetcher of its own. */
static void
fetch_one(const char *path, struct got *g)
{
	struct fetch *f;
	char err[256];

	f = fetch_new(NULL, err, sizeof(err));
	assert_non_null(f);
	add(f, path, g, NULL, NULL);
	run_all(f);
	fetch_free(f);
	assert_int_equal(g->outcome, FETCH_OK);
}

/* How many connections the requests logged since the last /__reset came
 * on: their distinct client ports. */
static int
logged_connections(void)
{
	struct got log = { 0 };
	long ports[16];
	const char *p;
	char *end;
	int n = 0, i;

	fetch_one("/__log", &log);
	for (p = log.body; (p = strstr(p, "\"client_port\": ")) != NULL;
	    p = end) {
		long port = strtol(p + 15, &end, 10);

		for (i = 0; i < n && ports[i] != port; i++)
			;
		if (i == n && n < 16)
			ports[n++] = port;
	}
	got_clear(&log);
	return n;
}

/*
 * A host that answers quickly is served on one kept-alive connection,
 * though four are allowed; a host whose transfer has run for grow_ms gets
 * another connection, so the feed behind a stalled one is not held up
 * until the stalled one times out.
 */
static void
test_connections_grow_when_slow(void **state)
{
	struct fetch_opts quick = { .max_per_host = 4, .grow_ms = 5000 };
	struct fetch_opts slow = { .max_per_host = 4, .grow_ms = 50,
	    .timeout = 1, .low_speed_time = 30 };
	struct got g[6], reset = { 0 };
	struct fetch *f;
	char err[256];
	int64_t start = util_mono_ms();
	int i;

	(void)state;
	memset(g, 0, sizeof(g));
	fetch_one("/__reset", &reset);
	got_clear(&reset);
	f = fetch_new(&quick, err, sizeof(err));
	assert_non_null(f);
	for (i = 0; i < 6; i++)
		add(f, "/feeds/markets.xml", &g[i], NULL, NULL);
	run_all(f);
	fetch_free(f);
	for (i = 0; i < 6; i++) {
		assert_int_equal(g[i].outcome, FETCH_OK);
		got_clear(&g[i]);
	}
	assert_int_equal(logged_connections(), 1);

	fetch_one("/__reset", &reset);
	got_clear(&reset);
	n_finished = 0;
	f = fetch_new(&slow, err, sizeof(err));
	assert_non_null(f);
	add_turn(f, "127.0.0.1", "/stall", 1);
	add_turn(f, "127.0.0.1", "/feeds/markets.xml", 2);
	while (fetch_pending(f) > 0) {
		fetch_run(f, 1000, on_turn, NULL);
		if (util_mono_ms() - start > 60000)
			fail_msg("transfers did not finish");
	}
	fetch_free(f);
	assert_int_equal(n_finished, 2);
	assert_int_equal(finished[0], 2);
	assert_int_equal(finished[1], 1);
	assert_int_equal(logged_connections(), 2);
}

static void
test_format_size(void **state)
{
	char buf[32];

	(void)state;
	fetch_format_size(8L * 1024 * 1024, buf, sizeof(buf));
	assert_string_equal(buf, "8 MiB");
	fetch_format_size(512L * 1024, buf, sizeof(buf));
	assert_string_equal(buf, "512 KiB");
	fetch_format_size(1000, buf, sizeof(buf));
	assert_string_equal(buf, "1000 bytes");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_conditional_get),
		cmocka_unit_test(test_failures_in_words),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_stall_and_trickle),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_file_url),
		cmocka_unit_test(test_wakeup),
		cmocka_unit_test(test_per_host_turns),
		cmocka_unit_test(test_connections_grow_when_slow),
	};

	return cmocka_run_group_tests(tests, start_server, stop_server);
}

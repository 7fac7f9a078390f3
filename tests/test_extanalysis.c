/*
 * test_extanalysis.c - analysis_cmd runs with a stub program: its output
 * becomes the analysis, a slow one is killed at the timeout, a chatty one
 * is cut at the cap, failures come back as messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "extanalysis.h"
#include "item.h"
#include "util.h"

static char stub[] = "tests/data/stub_analysis.sh";

static void
run_mode(const char *mode, long timeout, long cap, char **out, int *rc,
    char *err, size_t errlen)
{
	struct conf c;
	struct item *it = item_new();
	char m[16], *argv[3];

	util_strlcpy(m, mode, sizeof(m));
	argv[0] = stub;
	argv[1] = m;
	argv[2] = NULL;
	memset(&c, 0, sizeof(c));
	c.analysis_cmd.v = argv;
	c.analysis_cmd.n = 2;
	c.analysis_timeout = timeout;
	c.analysis_max_output = cap;
	c.analysis_jobs = 1;
	item_set(&it->title, "Amazon commits up to $25bn");
	*rc = extanalysis_run(&c, it, out, err, errlen);
	item_free(it);
}

static void
test_echo(void **state)
{
	char *out, err[256];
	int rc;

	(void)state;
	run_mode("echo", 10, 65536, &out, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Deeper view: Amazon commits up to $25bn"));
	assert_non_null(strstr(out, "Second paragraph."));
	free(out);
}

/*
 * Two threads starting commands that read their stdin to the end: neither
 * child may inherit the other's stdin pipe, or that child never sees
 * end-of-file and runs into the timeout.
 */
static void *
run_many(void *arg)
{
	int *failures = arg, i, rc;
	char *out, err[256];

	for (i = 0; i < 20; i++) {
		run_mode("echo", 20, 65536, &out, &rc, err, sizeof(err));
		if (rc != 0 || out == NULL ||
		    strstr(out, "Deeper view:") == NULL)
			(*failures)++;
		if (rc == 0)
			free(out);
	}
	return NULL;
}

static void
test_concurrent_runs_do_not_share_pipes(void **state)
{
	pthread_t t[2];
	int failures[2] = { 0, 0 }, i;

	(void)state;
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, run_many,
		    &failures[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(failures[0] + failures[1], 0);
}

static void
test_timeout(void **state)
{
	char *out, err[256];
	int rc;

	(void)state;
	run_mode("sleep", 1, 65536, &out, &rc, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_null(out);
	assert_non_null(strstr(err, "timed out"));
}

static void
test_output_cap(void **state)
{
	char *out, err[256];
	int rc;

	(void)state;
	run_mode("flood", 10, 1000, &out, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_true(strlen(out) <= 1000);
	assert_non_null(strstr(out, "lots of analysis text"));
	free(out);
}

static void
test_failures(void **state)
{
	char *out, err[256];
	int rc;
	struct conf c;
	struct item *it = item_new();
	char nx[] = "/nonexistent/analysis-program", *argv[] = { nx, NULL };

	(void)state;
	run_mode("fail", 10, 1000, &out, &rc, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "status 3"));
	memset(&c, 0, sizeof(c));
	assert_int_equal(extanalysis_run(&c, it, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no analysis_cmd"));
	c.analysis_cmd.v = argv;
	c.analysis_cmd.n = 1;
	c.analysis_timeout = 5;
	assert_int_equal(extanalysis_run(&c, it, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot run"));
	item_free(it);
}

static void
test_wanted_and_limit(void **state)
{
	struct conf c;
	struct item *it = item_new();
	char prog[] = "x", *argv[] = { prog, NULL };

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_false(extanalysis_wanted(&c, it, 1));
	c.analysis_cmd.v = argv;
	c.analysis_cmd.n = 1;
	c.analysis_threshold = 0.6;
	it->ann.valid = 1;
	it->ann.impact = 0.5;
	assert_false(extanalysis_wanted(&c, it, 0));
	assert_true(extanalysis_wanted(&c, it, 1));
	it->ann.impact = 0.7;
	assert_true(extanalysis_wanted(&c, it, 0));
	c.analysis_jobs = 2;
	assert_true(extanalysis_try_acquire(&c));
	assert_true(extanalysis_try_acquire(&c));
	assert_false(extanalysis_try_acquire(&c));
	extanalysis_release();
	assert_true(extanalysis_try_acquire(&c));
	extanalysis_release();
	extanalysis_release();
	item_free(it);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_concurrent_runs_do_not_share_pipes),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_wanted_and_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_util.c - allocation helpers, strict number and duration parsing,
 * strbuf and JSON string escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"

static void
test_parse_long(void **state)
{
	long v = 7;

	(void)state;
	assert_int_equal(util_parse_long("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(util_parse_long("42x", 0, 100, &v), -1);
	assert_int_equal(util_parse_long("", 0, 100, &v), -1);
	assert_int_equal(util_parse_long(" 4", 0, 100, &v), -1);
	assert_int_equal(util_parse_long("101", 0, 100, &v), -1);
	assert_int_equal(v, 42);
}

static void
test_parse_double(void **state)
{
	double d = 0;

	(void)state;
	assert_int_equal(util_parse_double("0.56", 0, 1, &d), 0);
	assert_true(d > 0.559 && d < 0.561);
	assert_int_equal(util_parse_double("1.5", 0, 1, &d), -1);
	assert_int_equal(util_parse_double("nan", 0, 1, &d), -1);
	assert_int_equal(util_parse_double("0.5abc", 0, 1, &d), -1);
}

static void
test_duration(void **state)
{
	long s = 0;

	(void)state;
	assert_int_equal(util_parse_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(util_parse_duration("15m", &s), 0);
	assert_int_equal(s, 900);
	assert_int_equal(util_parse_duration("2h", &s), 0);
	assert_int_equal(s, 7200);
	assert_int_equal(util_parse_duration("3d", &s), 0);
	assert_int_equal(s, 259200);
	assert_int_equal(util_parse_duration("1w", &s), 0);
	assert_int_equal(s, 604800);
	assert_int_equal(util_parse_duration("2x", &s), -1);
	assert_int_equal(util_parse_duration("h", &s), -1);
	assert_int_equal(util_parse_duration("-5m", &s), -1);
	assert_int_equal(util_parse_duration("5mm", &s), -1);
}

static void
test_strbuf_json(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb);
	strbuf_add_json_str(&sb, "a\"b\\c\nd\x01\xe2\x82\xac");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\nd\\u0001\xe2\x82\xac\"");
	strbuf_reset(&sb);
	strbuf_add_json_str(&sb, NULL);
	assert_string_equal(sb.buf, "null");
	/* Stops at every position of an eight-byte word, and after it. */
	for (int at = 0; at < 19; at++) {
		static const char stops[] = "\"\\\x7f\x1f";
		static const char *const want[] = { "\\\"", "\\\\",
		    "\\u007f", "\\u001f" };

		for (int k = 0; k < 4; k++) {
			char in[32], exp[48];

			memset(in, 'x', sizeof(in));
			in[at] = stops[k];
			in[20] = '\0';
			snprintf(exp, sizeof(exp), "\"%.*s%s%.*s\"", at, in,
			    want[k], 19 - at, in + at + 1);
			strbuf_reset(&sb);
			strbuf_add_json_str(&sb, in);
			assert_string_equal(sb.buf, exp);
		}
	}
	strbuf_reset(&sb);
	strbuf_add_json_str(&sb, "\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\x88 plain ascii");
	assert_string_equal(sb.buf, "\"\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\x88 plain ascii\"");
	strbuf_reset(&sb);
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_memory_equal(sb.buf + sb.len - 4, "999,", 4);
	strbuf_done(&sb);
}

static void
test_iso8601_and_case(void **state)
{
	char buf[32];

	(void)state;
	static const time_t at[] = { 0, 59, 86399, 951782400, 1795952527,
	    253402300799LL, 253402300800LL, -62135596800LL, -30610224001LL,
	    4102444800LL };
	char want[64];
	struct tm tm;
	size_t i;

	util_iso8601(1795952527, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-29T11:42:07Z");
	/* strftime's output, years 1 to 10000 included; cut when short. */
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		assert_non_null(gmtime_r(&at[i], &tm));
		assert_true(strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ",
		    &tm) > 0);
		util_iso8601(at[i], buf, sizeof(buf));
		assert_string_equal(buf, want);
	}
	util_iso8601(1795952527, buf, 11);
	assert_string_equal(buf, "2026-11-29");
	assert_int_equal(util_strcasecmp("NasDaq", "NASDAQ"), 0);
	assert_non_null(util_strcasestr("Shares of Amazon.com", "AMAZON"));
	assert_null(util_strcasestr("abc", "abd"));
}

static void
test_lines_and_tsv(void **state)
{
	static const char text[] = "# comment\r\nAAPL\t NASDAQ \tApple\r\n"
	    "\n  \t\nx\ty\tz\tdropped\nlast";
	char long_text[] = "# a comment that is too long\nok\n";
	struct util_lines r;
	char *line, *f[3];

	(void)state;
	util_lines_init(&r, text, sizeof(text) - 1);
	line = util_lines_next(&r);
	assert_non_null(line);
	assert_int_equal(r.lineno, 2);
	assert_int_equal(util_tsv_split(line, f, 3, 1), 3);
	assert_string_equal(f[1], "NASDAQ");
	assert_string_equal(f[2], "Apple");
	line = util_lines_next(&r);
	assert_non_null(line);
	assert_int_equal(r.lineno, 5);
	assert_int_equal(util_tsv_split(line, f, 3, 0), 3);
	assert_string_equal(f[2], "z");
	line = util_lines_next(&r);
	assert_string_equal(line, "last");
	assert_int_equal(r.lineno, 6);
	assert_null(util_lines_next(&r));
	assert_int_equal(r.too_long, 0);
	util_lines_free(&r);

	/* Untrimmed fields keep their spaces. */
	util_lines_init(&r, text, sizeof(text) - 1);
	line = util_lines_next(&r);
	assert_int_equal(util_tsv_split(line, f, 2, 0), 2);
	assert_string_equal(f[1], " NASDAQ ");
	util_lines_free(&r);

	/* A length cap stops at a long line, even a comment. */
	util_lines_init(&r, long_text, sizeof(long_text) - 1);
	r.maxlen = 10;
	assert_null(util_lines_next(&r));
	assert_int_equal(r.too_long, 1);
	assert_int_equal(r.lineno, 1);
	util_lines_free(&r);
}

static void
test_big_blocks(void **state)
{
	static const size_t sizes[] = { 100, ((size_t)2 << 20) - 1,
	    (size_t)5 << 20, ((size_t)5 << 20) + 123, (size_t)8 << 20 };
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = xcalloc_big(sizes[i]);

		assert_non_null(p);
		/* Large blocks start on a huge-page boundary. */
		if (sizes[i] >= ((size_t)2 << 20))
			assert_int_equal((uintptr_t)p % ((size_t)2 << 20), 0);
		for (k = 0; k < sizes[i]; k += 4096)
			assert_int_equal(p[k], 0);
		assert_int_equal(p[sizes[i] - 1], 0);
		memset(p, 0xa5, sizes[i]);
		assert_int_equal(p[sizes[i] - 1], 0xa5);
		xfree_big(p, sizes[i]);
	}
	xfree_big(NULL, 123);
}

/* The VmFlags of the mapping holding p in /proc/self/smaps contain flag;
 * -1 when smaps cannot be read. */
static int
mapping_has_flag(const void *p, const char *flag)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, found = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			char want[8];

			snprintf(want, sizeof(want), " %s", flag);
			found = strstr(line, want) != NULL;
			break;
		}
	}
	fclose(f);
	return found;
}

struct heap_probe {
	int advised;
	int flagged;
	int sum;
};

static void *
heap_probe_main(void *arg)
{
	struct heap_probe *hp = arg;
	unsigned char *a;
	size_t i;

	hp->advised = util_thread_heap_huge();
	a = xmalloc(3 << 20);	/* below the 4 MiB mmap threshold: heap */
	memset(a, 1, 3 << 20);
	for (i = 0; i < (3 << 20); i += 4096)
		hp->sum += a[i];
	hp->flagged = mapping_has_flag(a, "hg");
	free(a);
	return NULL;
}

static void
test_thread_heap_huge(void **state)
{
	struct heap_probe hp = { -1, -1, 0 };
	pthread_t t;

	(void)state;
	/* Not a burst (no util_malloc_tune() yet): no advice. */
	assert_int_equal(pthread_create(&t, NULL, heap_probe_main, &hp), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(hp.advised, 0);
	hp.sum = 0;
	util_malloc_tune();
	assert_int_equal(pthread_create(&t, NULL, heap_probe_main, &hp), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* The memory works either way. */
	assert_int_equal(hp.sum, 3 << 20 >> 12);
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__) && UINTPTR_MAX > 0xffffffffu
	/* With glibc's own malloc the thread's heap is advised, and the
	 * block it returned lies in the advised mapping (on a kernel built
	 * with transparent huge pages). */
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) ==
	    0) {
		assert_int_equal(hp.advised, 1);
		if (hp.flagged != -1)
			assert_int_equal(hp.flagged, 1);
	}
#else
	assert_int_equal(hp.advised, 0);
#endif
	/* The main thread's heap is brk memory: nothing to advise. */
	assert_int_equal(util_thread_heap_huge(), 0);
}

/* util_fmt_fixed writes what snprintf("%.*f") writes, ties included. */
static void
test_fmt_fixed(void **state)
{
	static const double fixed[] = { 0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375,
	    -0.125, 0.005, 0.015, 0.045, 1.005, 0.56, 0.995, 0.9999999, -1,
	    -0.001, 99999999.5, 1e8, 1e12, -3.75e15, 1e300, 4.35, 2.675 };
	char want[400], got[400], small[4];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i, n;
	int d;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		for (d = 0; d <= 7; d++) {
			snprintf(want, sizeof(want), "%.*f", d, fixed[i]);
			n = util_fmt_fixed(fixed[i], d, got, sizeof(got));
			assert_string_equal(got, want);
			assert_int_equal(n, strlen(want));
		}
	/* Scores as the analyzer makes them, and arbitrary doubles. */
	for (i = 0; i < 200000; i++) {
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (i % 3 == 0)
			v = (double)(x % 2001) / 1000.0 - 1.0;
		else if (i % 3 == 1)
			v = ((double)(x >> 11) / 9007199254740992.0 - 0.5) *
			    2e4;
		else
			v = (double)(int64_t)(x >> 20) / 1e6;
		d = (int)(x % 7);
		snprintf(want, sizeof(want), "%.*f", d, v);
		util_fmt_fixed(v, d, got, sizeof(got));
		assert_string_equal(got, want);
	}
	/* NaN and infinities go the slow way; a short buffer is cut. */
	snprintf(want, sizeof(want), "%.2f", NAN);
	util_fmt_fixed(NAN, 2, got, sizeof(got));
	assert_string_equal(got, want);
	util_fmt_fixed(-INFINITY, 2, got, sizeof(got));
	assert_string_equal(got, "-inf");
	assert_int_equal(util_fmt_fixed(123.456, 2, small, sizeof(small)), 3);
	assert_string_equal(small, "123");
	assert_int_equal(util_fmt_fixed(1e20, 2, small, sizeof(small)), 3);
	assert_string_equal(small, "100");
}

/* The host and port of a URL's authority, user information aside. */
static void
test_url_host(void **state)
{
	const char *end = NULL, *h;

	(void)state;
	h = util_url_host("https://user:pw@Example.com:8443/a?b#c", &end);
	assert_non_null(h);
	assert_int_equal(end - h, 16);
	assert_memory_equal(h, "Example.com:8443", 16);
	h = util_url_host("http://[::1]:8080?x", &end);
	assert_non_null(h);
	assert_int_equal(end - h, 10);
	assert_memory_equal(h, "[::1]:8080", 10);
	assert_int_equal(*end, '?');
	h = util_url_host("http://a@b@host", &end);
	assert_string_equal(h, "host");
	assert_string_equal(end, "");
	assert_null(util_url_host("mailto:someone@example.com", &end));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_strbuf_json),
		cmocka_unit_test(test_iso8601_and_case),
		cmocka_unit_test(test_fmt_fixed),
		cmocka_unit_test(test_lines_and_tsv),
		cmocka_unit_test(test_big_blocks),
		cmocka_unit_test(test_thread_heap_huge),
		cmocka_unit_test(test_url_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

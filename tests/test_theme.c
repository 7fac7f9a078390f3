/*
 * test_theme.c - theme files: parsing, errors reported as file:line with
 * the built-in theme kept, the bundled themes all loading, 16/8-colour
 * fallbacks and NO_COLOR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "theme.h"
#include "util.h"

static void
test_parse_line_forms(void **state)
{
	struct theme t;
	char err[256] = "";

	(void)state;
	assert_int_equal(theme_parse(
	    "# comment\n"
	    "\n"
	    "normal = 252 default\n"
	    "selected = 255 24 bold reverse | bright-white blue\n"
	    "link = blue - underline   # trailing comment\n"
	    "alert = 231 124 bold\n", "x.theme", &t, err, sizeof(err)), 0);
	assert_int_equal(t.s[THEME_NORMAL].fg, 252);
	assert_int_equal(t.s[THEME_NORMAL].bg, THEME_DEFAULT_COLOR);
	assert_int_equal(t.s[THEME_SELECTED].fg, 255);
	assert_int_equal(t.s[THEME_SELECTED].bg, 24);
	assert_int_equal(t.s[THEME_SELECTED].attrs, THEME_BOLD | THEME_REVERSE);
	assert_int_equal(t.s[THEME_SELECTED].fg8, 15);
	assert_int_equal(t.s[THEME_SELECTED].bg8, 4);
	assert_int_equal(t.s[THEME_LINK].fg, 4);
	assert_int_equal(t.s[THEME_LINK].attrs, THEME_UNDERLINE);
	assert_int_equal(t.s[THEME_ALERT].fg8, THEME_UNSET);
	assert_false(t.s[THEME_TIME].set);
}

static void
test_errors_name_file_and_line(void **state)
{
	struct theme t;
	char err[256] = "";

	(void)state;
	assert_int_equal(theme_parse("normal = 1 2\nbogus_elem = red blue\n",
	    "my.theme", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "my.theme:2:"));
	assert_non_null(strstr(err, "bogus_elem"));
	/* The good line still parsed. */
	assert_int_equal(t.s[THEME_NORMAL].fg, 1);

	assert_int_equal(theme_parse("normal = 1 2\n\ntime = 300 0\n",
	    "c.theme", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "c.theme:3:"));
	assert_non_null(strstr(err, "300"));

	assert_int_equal(theme_parse("time red\n", "d.theme", &t, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "d.theme:1:"));

	assert_int_equal(theme_parse("time = red blue bold sparkly\n",
	    "e.theme", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "sparkly"));

	/* Fallbacks must be basic colours. */
	assert_int_equal(theme_parse("time = 100 0 | 200 0\n", "f.theme", &t,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "f.theme:1:"));
}

static void
test_bundled_themes_load(void **state)
{
	const char *name = "default";
	char err[256];
	struct theme t;
	int i;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/nonexistent-deskwire-test", 1);
	/* Cycling visits all five and comes back. */
	for (i = 0; i < 5; i++) {
		err[0] = '\0';
		assert_int_equal(theme_load(name, &t, err, sizeof(err)), 0);
		assert_string_equal(t.name, name);
		assert_true(t.s[THEME_SELECTED].set);
		name = theme_next(name);
	}
	assert_string_equal(name, "default");
	assert_int_equal(theme_load("no-such-theme", &t, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no-such-theme"));
	assert_string_equal(t.name, "builtin");
	assert_int_equal(theme_load("../etc/passwd", &t, err, sizeof(err)),
	    -1);
}

static void
test_user_theme_overrides_and_bad_file(void **state)
{
	char dir[] = "/tmp/deskwire-theme-XXXXXX", path[256], err[512];
	struct theme t;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/deskwire", dir);
	assert_int_equal(util_mkdirs(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/deskwire/themes", dir);
	assert_int_equal(util_mkdirs(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/deskwire/themes/default.theme", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("normal = 33 default\nselected = 16 226 bold\n", fp);
	fclose(fp);
	assert_int_equal(theme_load("default", &t, err, sizeof(err)), 0);
	assert_int_equal(t.s[THEME_NORMAL].fg, 33);
	assert_int_equal(t.s[THEME_SELECTED].bg, 226);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("normal = 33 default\n# ok\nselected = 16 nocolour\n", fp);
	fclose(fp);
	assert_int_equal(theme_load("default", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "default.theme:3:"));
	assert_non_null(strstr(err, path));
	/* The caller gets a usable theme anyway. */
	assert_true(t.s[THEME_SELECTED].set);
	unlink(path);
	snprintf(path, sizeof(path), "%s/deskwire/themes", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/deskwire", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_resolve_fallbacks(void **state)
{
	struct theme t;
	struct theme_final f[THEME_N];
	char err[128];

	(void)state;
	assert_int_equal(theme_parse(
	    "normal = 252 default\n"
	    "selected = 255 24 bold | bright-white blue\n"
	    "time = 196 default\n"
	    "link = bright-cyan 16\n", "t", &t, err, sizeof(err)), 0);
	theme_resolve(&t, 256, 0, f);
	assert_int_equal(f[THEME_SELECTED].fg, 255);
	assert_int_equal(f[THEME_TIME].fg, 196);
	/* Unnamed elements take "normal". */
	assert_int_equal(f[THEME_SOURCE].fg, 252);

	theme_resolve(&t, 16, 0, f);
	assert_int_equal(f[THEME_SELECTED].fg, 15);	/* the fallback */
	assert_int_equal(f[THEME_SELECTED].bg, 4);
	assert_int_equal(f[THEME_TIME].fg, 9);		/* nearest: red */
	assert_int_equal(f[THEME_LINK].bg, 0);		/* 16 is black */

	theme_resolve(&t, 8, 0, f);
	assert_int_equal(f[THEME_SELECTED].fg, 7);	/* bright -> bold */
	assert_true(f[THEME_SELECTED].attrs & THEME_BOLD);
	assert_int_equal(f[THEME_LINK].fg, 6);
	assert_true(f[THEME_LINK].attrs & THEME_BOLD);
	assert_true(f[THEME_TIME].fg < 8);
}

static void
test_no_color(void **state)
{
	struct theme t;
	struct theme_final f[THEME_N];
	char err[128];
	int e;

	(void)state;
	setenv("NO_COLOR", "1", 1);
	assert_true(theme_no_color());
	setenv("NO_COLOR", "", 1);
	assert_false(theme_no_color());
	unsetenv("NO_COLOR");
	assert_false(theme_no_color());

	assert_int_equal(theme_parse("normal = 252 17\nselected = 255 24\n",
	    "t", &t, err, sizeof(err)), 0);
	theme_resolve(&t, 256, 1, f);
	for (e = 0; e < THEME_N; e++) {
		assert_int_equal(f[e].fg, THEME_DEFAULT_COLOR);
		assert_int_equal(f[e].bg, THEME_DEFAULT_COLOR);
	}
	/* The selection stays visible without colour. */
	assert_true(f[THEME_SELECTED].attrs & THEME_REVERSE);
	/* A monochrome terminal is the same. */
	theme_resolve(&t, 2, 0, f);
	assert_true(f[THEME_SELECTED].attrs & THEME_REVERSE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line_forms),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_bundled_themes_load),
		cmocka_unit_test(test_user_theme_overrides_and_bad_file),
		cmocka_unit_test(test_resolve_fallbacks),
		cmocka_unit_test(test_no_color),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

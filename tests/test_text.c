/*
 * test_text.c - HTML to text, entity decoding, terminal escape and
 * control stripping, UTF-8 repair, display width and fitting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "text.h"

static void
check_html(const char *html, int keep_paras, const char *want)
{
	char *got = text_html_to_plain(html, strlen(html), 0, keep_paras);

	assert_string_equal(got, want);
	free(got);
}

static void
check_clean(const char *s, size_t len, size_t max, int nl, const char *want)
{
	char *got = text_clean(s, len, max, nl);

	assert_string_equal(got, want);
	free(got);
}

static void
test_html_strip(void **state)
{
	(void)state;
	check_html("<p>Amazon <b>commits</b> up to <a href=\"/x\">$25bn</a>"
	    "</p>", 0, "Amazon commits up to $25bn");
	check_html("<p>First</p><p>Second</p>", 1, "First\n\nSecond");
	check_html("<p>First</p><p>Second</p>", 0, "First Second");
	check_html("line one<br>line two<br/>three", 1,
	    "line one\nline two\nthree");
	check_html("<ul><li>AAPL</li><li>MSFT</li></ul>", 1, "AAPL\nMSFT");
	check_html("<b>Apple</b> <i>rises</i>", 0, "Apple rises");
	check_html("Hi<script>alert('x')</script><style>p{}</style> there",
	    0, "Hi there");
	check_html("<div>  lots \n\t of   space  </div>", 0, "lots of space");
	check_html("<img src=\"x.png\" alt=\"chart\">Chart below", 0,
	    "Chart below");
	check_html("<!-- tracking --><p>Body</p>", 0, "Body");
	/* Unclosed and stray tags still give the text. */
	check_html("<p>Unclosed <b>bold <i>italic", 0, "Unclosed bold italic");
	check_html("</div>Stray end</span>", 0, "Stray end");
	/* A <meta charset> inside a fragment must not change decoding. */
	check_html("<meta charset=\"iso-8859-1\"><p>Caf\xc3\xa9</p>", 0,
	    "Caf\xc3\xa9");
}

static void
test_html_entities(void **state)
{
	(void)state;
	check_html("AT&amp;T &amp; S&amp;P 500", 0, "AT&T & S&P 500");
	check_html("Caf&eacute; cr&egrave;me &mdash; 5&nbsp;%", 0,
	    "Caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x94 5 %");
	check_html("&#8217;quoted&#x2019; &#169;", 0,
	    "\xe2\x80\x99quoted\xe2\x80\x99 \xc2\xa9");
	check_html("&lt;b&gt;not a tag&lt;/b&gt;", 0, "<b>not a tag</b>");
	/* Double-escaped: one level is decoded, not two. */
	check_html("&amp;nbsp; and &amp;lt;", 0, "&nbsp; and &lt;");
	/* Plain text with a bare '&' passes unchanged. */
	check_html("Procter & Gamble", 0, "Procter & Gamble");
	check_html("no markup at all", 0, "no markup at all");
	assert_int_equal(text_html_entity("eacute", 6), 0xE9);
	assert_int_equal(text_html_entity("hellip", 6), 0x2026);
	assert_int_equal(text_html_entity("nosuch", 6), 0);
}

static void
test_html_limit(void **state)
{
	char *big = malloc(100001), *got;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		big[i] = i % 10 == 9 ? ' ' : 'x';
	big[0] = '<';
	big[1] = 'b';
	big[2] = '>';
	big[100000] = '\0';
	got = text_html_to_plain(big, 100000, 1000, 0);
	assert_true(strlen(got) <= 1000);
	assert_true(strlen(got) > 900);
	free(got);
	free(big);
	/* The cut never splits a character. */
	got = text_html_to_plain("<p>\xe6\x97\xa5\xe6\x9c\xac</p>", 13, 4, 0);
	assert_string_equal(got, "\xe6\x97\xa5");
	free(got);
}

static void
test_clean_escapes(void **state)
{
	const char *s;

	(void)state;
	s = "red \x1b[31mALERT\x1b[0m done";
	check_clean(s, strlen(s), 0, 0, "red ALERT done");
	/* OSC 8 hyperlink and a title-setting OSC, BEL and ST ended. */
	s = "\x1b]8;;http://evil.example/\x07" "click\x1b]8;;\x07 "
	    "\x1b]0;pwned\x1b\\ok";
	check_clean(s, strlen(s), 0, 0, "click ok");
	/* DCS, charset selection, cursor save, C1 CSI (U+009B). */
	s = "a\x1bP1$r0m\x1b\\b\x1b(Bc\x1b" "7d\xc2\x9b" "2Je";
	check_clean(s, strlen(s), 0, 0, "abcde");
	/* C0 controls, DEL, C1 controls. */
	s = "x\x01\x02y\x7fz\xc2\x85w\xc2\x80v";
	check_clean(s, strlen(s), 0, 0, "xyz wv");
	/* Bidi overrides and isolates, BOM. */
	s = "\xe2\x80\xaegnp.exe\xe2\x80\xac \xe2\x81\xa6x\xe2\x81\xa9 "
	    "\xef\xbb\xbfok";
	check_clean(s, strlen(s), 0, 0, "gnp.exe x ok");
}

static void
test_clean_utf8(void **state)
{
	const char *s;

	(void)state;
	/* Each invalid byte / maximal truncated sequence: one U+FFFD. */
	s = "a\xff" "b\xe2\x82" "c\xc0\xaf" "d";
	check_clean(s, strlen(s), 0, 0,
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd" "d");
	/* Surrogates encoded in UTF-8 (CESU) are not characters. */
	s = "\xed\xa0\x80x";
	check_clean(s, strlen(s), 0, 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
	/* Valid multi-byte text is untouched. */
	s = "Soci\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x88";
	check_clean(s, strlen(s), 0, 0, s);
	/* Embedded NUL bytes are dropped, not a terminator. */
	check_clean("ab\0cd", 5, 0, 0, "abcd");
}

static void
test_clean_space(void **state)
{
	const char *s;

	(void)state;
	s = "  lots \t of\r\n   space \xc2\xa0 here  ";
	check_clean(s, strlen(s), 0, 0, "lots of space here");
	s = "para one\r\n\r\n\r\n\r\npara two\nline";
	check_clean(s, strlen(s), 0, 1, "para one\n\npara two\nline");
	check_clean(s, strlen(s), 0, 0, "para one para two line");
	check_clean("", 0, 0, 0, "");
	check_clean(NULL, 0, 0, 0, "");
	/* Cut at max bytes on a character boundary. */
	s = "\xc3\xa9\xc3\xa9\xc3\xa9";
	check_clean(s, strlen(s), 5, 0, "\xc3\xa9\xc3\xa9");
	check_clean("abc def", 7, 4, 0, "abc");
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("AMZN"), 4);
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width(NULL), 0);
	/* CJK and emoji take two columns, combining marks none. */
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"),
	    6);
	assert_int_equal(text_width("\xf0\x9f\x93\x88"), 2);
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width("\xea\xb0\x80"), 2);	/* Hangul */
	/* An invalid byte counts one column. */
	assert_int_equal(text_width("a\xffz"), 3);
}

static void
test_fit(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(text_fit("Apple", 10, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "Apple");
	assert_int_equal(text_fit("Amazon commits", 8, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "Amazon \xe2\x80\xa6");
	/* Wide characters are not split: 日本語 in 5 columns. */
	assert_int_equal(text_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5,
	    buf, sizeof(buf)), 5);
	assert_string_equal(buf, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	assert_int_equal(text_fit("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4,
	    buf, sizeof(buf)), 3);
	assert_string_equal(buf, "\xe6\x97\xa5\xe2\x80\xa6");
	/* Exactly fitting text gets no ellipsis. */
	assert_int_equal(text_fit("abcd", 4, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "abcd");
	assert_int_equal(text_fit("abcde", 1, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "\xe2\x80\xa6");
	assert_int_equal(text_fit("abc", 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* A small buffer bounds the copy too. */
	assert_int_equal(text_fit("abcdefghij", 20, buf, 6), 3);
	assert_string_equal(buf, "ab\xe2\x80\xa6");
	/* A combining mark stays with its letter. */
	assert_int_equal(text_fit("e\xcc\x81" "abc", 2, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "e\xcc\x81\xe2\x80\xa6");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_strip),
		cmocka_unit_test(test_html_entities),
		cmocka_unit_test(test_html_limit),
		cmocka_unit_test(test_clean_escapes),
		cmocka_unit_test(test_clean_utf8),
		cmocka_unit_test(test_clean_space),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
	};

	/* The UI runs in the user's (UTF-8) locale; widths must hold in
	 * the C locale too, which this test does not change. */
	xmlInitParser();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

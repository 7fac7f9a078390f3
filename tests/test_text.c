/*
 * test_text.c - HTML to text, entity decoding, terminal escape and
 * control stripping, UTF-8 repair, display width and fitting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "text.h"
#include "util.h"

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
	/* Every entity libxml2 knows, found by name, whatever its value. */
	{
		unsigned v, n = 0;

		for (v = 1; v < 0x110000; v++) {
			const htmlEntityDesc *e = htmlEntityValueLookup(v);

			if (e == NULL || e->value != v)
				continue;
			assert_int_equal(text_html_entity(e->name,
			    strlen(e->name)), v);
			n++;
		}
		assert_int_equal(n, 253);
	}
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

/*
 * The fast HTML path must give exactly what libxml2 gives for every
 * fragment it takes.  Returns 1 when the fast path took f.
 */
static struct text_html *h_fast, *h_lib;

static int
same_as_libxml(const char *f, size_t len, size_t max, int keep_paras)
{
	char *got, *want;

	got = text_html_convert(h_fast, f, len, max, keep_paras);
	if (got == NULL)
		return 0;
	want = text_html_convert(h_lib, f, len, max, keep_paras);
	if (strcmp(got, want) != 0)
		fail_msg("fast path differs from libxml2 (keep_paras %d, "
		    "max %zu)\n  html: %.*s\n  fast: %s\n  libxml2: %s",
		    keep_paras, max, (int)len, f, got, want);
	free(got);
	free(want);
	return 1;
}

static int
same_all_modes(const char *f, size_t len)
{
	int n = same_as_libxml(f, len, 0, 0);

	n += same_as_libxml(f, len, 0, 1);
	n += same_as_libxml(f, len, 40, 0);
	return n > 0;
}

static int
paths_setup(void **state)
{
	(void)state;
	h_fast = text_html_new();
	h_lib = text_html_new();
	text_html_set_path(h_fast, TEXT_HTML_FAST);
	text_html_set_path(h_lib, TEXT_HTML_LIBXML);
	return 0;
}

static int
paths_teardown(void **state)
{
	(void)state;
	text_html_free(h_fast);
	text_html_free(h_lib);
	return 0;
}

/* Every element's text in a fixture is a fragment (escaped HTML
 * summaries come out as markup). */
static void
fixture_nodes(xmlNode *n, size_t *tried, size_t *taken)
{
	for (; n != NULL; n = n->next) {
		xmlChar *c;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		c = xmlNodeGetContent(n);
		if (c != NULL) {
			(*tried)++;
			*taken += (size_t)same_all_modes((const char *)c,
			    strlen((const char *)c));
			xmlFree(c);
		}
		fixture_nodes(n->children, tried, taken);
	}
}

static void
test_fast_fixtures(void **state)
{
	const char *dir = getenv("DESKWIRE_TESTDATA");
	size_t tried = 0, taken = 0, files = 0;
	struct dirent *e;
	DIR *d;

	(void)state;
	if (dir == NULL)
		dir = "tests/data";
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[512], *buf, *line, *end;
		size_t len;
		FILE *fp;
		xmlDoc *doc;
		long sz;

		len = strlen(e->d_name);
		if (len < 5 || (strcmp(e->d_name + len - 4, ".xml") != 0 &&
		    strcmp(e->d_name + len - 5, ".html") != 0 &&
		    strcmp(e->d_name + len - 5, ".opml") != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		sz = ftell(fp);
		rewind(fp);
		buf = malloc((size_t)sz + 1);
		assert_int_equal(fread(buf, 1, (size_t)sz, fp), (size_t)sz);
		buf[sz] = '\0';
		fclose(fp);
		files++;
		/* The whole file, each line, each element's text. */
		tried++;
		taken += (size_t)same_all_modes(buf, (size_t)sz);
		for (line = buf; line < buf + sz; line = end + 1) {
			end = memchr(line, '\n', (size_t)(buf + sz - line));
			if (end == NULL)
				end = buf + sz;
			tried++;
			taken += (size_t)same_all_modes(line,
			    (size_t)(end - line));
		}
		doc = xmlReadMemory(buf, (int)sz, NULL, NULL, XML_PARSE_RECOVER |
		    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		if (doc != NULL) {
			fixture_nodes(xmlDocGetRootElement(doc), &tried,
			    &taken);
			xmlFreeDoc(doc);
		}
		free(buf);
	}
	closedir(d);
	assert_true(files >= 10);
	/* Most pieces are plain markup: the fast path must take them. */
	assert_true(taken * 2 > tried);
}

static void
test_fast_tricky(void **state)
{
	static const char *const taken[] = {
		"<p><b>Amazon</b> said on Mon that revenue rose 11% to "
		    "$158.9bn, while analysts at <a href=\"https://example.com"
		    "/a/1\">Example Research</a> expect AI demand surges; the "
		    "stock closed up 3.2% &mdash; the most since 2019.</p>"
		    "<p>Read more&hellip;</p>",
		"Plain lead<p>then a paragraph", "lead<li>item<li>two",
		"<P CLASS=lead>Upper <B>case</B> tags</P>",
		"<p>one<p>two<p>three", "<b>x</p>y", "</b>x</br>y</p>z",
		"<div>a</p>b</div>c", "<div><b>x</div>y</b>z",
		"<ul><li>a<li>b</ul>c<ol><li>d</ol>e", "x<ul>y<ol>z</ul>w",
		"<h2>Title<p>text</h2>after", "<i>a<p>b</i>c",
		"<table><tr><td>1<td>2<tr><th>3</table>after",
		"<table><tbody><tr><td>a</td></tr></tbody></table>b",
		"<td>x</tr>y</td>z", "<span>a<td>b</span>c",
		"<dl><dt>term<dd>def<dt>t2</dl>", "<a>1<a>2</a>3</a>4",
		"<br/>a<p/>b<hr>c<img src=x.png alt=\"chart\">d<hr/>e",
		"<a href=\"x\"title='y'data-x = \"1\" hidden>z</a>",
		"<a href=\"a > b\">gt in a value</a>",
		"<img src=\"x?a=1&amp;b=2&c\" alt=\"&quot;q&quot;\">t",
		"AT&T &amp; S&P 500 &lt;b&gt; &#8217;q&#x2019; &nbsp;x",
		"&foo; &T; &#38;amp; & ; &nbsp.x; &ampx; &Amp;",
		"&#10;&#13;&#9;tab &#160;nb &#x1F4C8; &#155;2J",
		"Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\x88 "
		    "\xc2\x9b" "31m \xc2\x9d" "0;x",
		"  <b>lead</b> and trail  ", "\r\n<p>\r\nCRLF\r\n</p>\r\n",
		"<section>HTML5<article>tags</article></section><mark>m</mark>",
		"<figure><img src=a><figcaption>Cap</figcaption></figure>x",
		"<blockquote>q</blockquote><small>s</small><sup>1</sup>",
		"</o:p>Office</o:p> stray",
	};
	static const char *const left[] = {
		"Hi<script>alert(1)</script>there", "<style>p{}</style>x",
		"<!-- c --><p>x</p>", "<![CDATA[x]]>", "<?php x ?>",
		"<!DOCTYPE html><p>x", "a < b", "a <3 b", "<textarea>x",
		"<title>t</title>x", "<noscript>n</noscript>", "<iframe>",
		"<object>o</object>", "<custom>x</custom>", "<pre>x</pre>",
		"<a href=\"unterminated>x", "<a href='x>y", "<b x=\"1\"",
		"<b", "<b/x>y", "<a href=x\"y>z</a>", "</html>x", "</body>y",
		"<b>x\x1b[31mred</b>", "<b>x\x01y", "\xef\xbb\xbf<p>bom",
		"<b>bad\xff</b>",
		"&#0;x", "&#x110000;", "&#12", "&#xZ;", "&#27;esc",
		"</ b>", "</>", "< b>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < UTIL_ARRAY_LEN(taken); i++)
		assert_true(same_all_modes(taken[i], strlen(taken[i])));
	for (i = 0; i < UTIL_ARRAY_LEN(left); i++) {
		char *r = text_html_convert(h_fast, left[i], strlen(left[i]),
		    0, 0);

		if (r != NULL)
			fail_msg("fast path took \"%s\" -> \"%s\"", left[i],
			    r);
	}
	/* The automatic path gives libxml2's text for those too. */
	for (i = 0; i < UTIL_ARRAY_LEN(left); i++) {
		char *a = text_html_to_plain(left[i], strlen(left[i]), 0, 1);
		char *b = text_html_convert(h_lib, left[i], strlen(left[i]),
		    0, 1);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/* Every pair of the elements the fast path knows, nested and crossed,
 * then random sequences of them. */
static void
test_fast_elements(void **state)
{
	static const char *const names[] = { "a", "abbr", "article", "aside",
	    "b", "big", "blockquote", "br", "cite", "code", "dd", "del",
	    "div", "dl", "dt", "em", "figcaption", "figure", "font",
	    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
	    "img", "ins", "li", "main", "mark", "nav", "ol", "p", "q", "s",
	    "section", "small", "span", "strike", "strong", "sub", "sup",
	    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
	    "tt", "u", "ul" };
	const size_t nn = UTIL_ARRAY_LEN(names);
	unsigned long rng = 42;
	char buf[512];
	size_t i, j, k, taken = 0;

	(void)state;
	for (i = 0; i < nn; i++) {
		for (j = 0; j < nn; j++) {
			const char *x = names[i], *y = names[j];

			/* crossed, nested, in a row */
			snprintf(buf, sizeof(buf), "a<%s>b<%s>c</%s>d</%s>e",
			    x, y, x, y);
			taken += (size_t)same_all_modes(buf, strlen(buf));
			snprintf(buf, sizeof(buf), "<%s>a<%s>b</%s>c</%s>d",
			    x, y, y, x);
			taken += (size_t)same_all_modes(buf, strlen(buf));
			snprintf(buf, sizeof(buf), "<%s>b</%s>c<%s>d</%s>e",
			    x, x, y, y);
			taken += (size_t)same_all_modes(buf, strlen(buf));
		}
	}
	assert_int_equal(taken, nn * nn * 3);
	for (k = 0; k < 3000; k++) {
		size_t o = 0, t;

		for (t = 0; t < 10; t++) {
			unsigned r;
			const char *nm;

			rng = rng * 6364136223846793005UL + 1442695040888963407UL;
			r = (unsigned)(rng >> 33);
			nm = names[r % nn];
			switch ((r >> 8) % 5) {
			case 0:
			case 1:
				o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				    "<%s>", nm);
				break;
			case 2:
				o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				    "</%s>", nm);
				break;
			case 3:
				o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				    "w%u ", r % 97);
				break;
			default:
				o += (size_t)snprintf(buf + o, sizeof(buf) - o,
				    "<%s/>&amp;", nm);
				break;
			}
		}
		assert_true(same_all_modes(buf, o));
	}
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
		cmocka_unit_test_setup_teardown(test_fast_fixtures,
		    paths_setup, paths_teardown),
		cmocka_unit_test_setup_teardown(test_fast_tricky,
		    paths_setup, paths_teardown),
		cmocka_unit_test_setup_teardown(test_fast_elements,
		    paths_setup, paths_teardown),
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

/*
 * test_parse.c - feeds to items: every format, the namespaces feeds use,
 * encodings, hostile documents (entity bombs, XXE, HTML error pages),
 * recovery, limits and id stability.  Fixtures are in tests/data/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "parse.h"
#include "strbuf.h"
#include "util.h"

#define FETCH_TIME ((time_t)1700000000)

static struct parse_opts
opts(void)
{
	struct parse_opts o;

	memset(&o, 0, sizeof(o));
	o.feed_url = "http://feeds.example.com/markets.xml";
	o.feed_name = "Markets";
	o.fetch_time = FETCH_TIME;
	return o;
}

static char *
fixture(const char *name, size_t *len)
{
	const char *dir = getenv("DESKWIRE_TESTDATA");
	char path[512], err[256];
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	if (util_read_file(path, 8 << 20, &buf, len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return buf;
}

/* Parse a fixture; asserts success. */
static void
parse_fixture(const char *name, const struct parse_opts *o,
    struct parse_result *r)
{
	size_t len;
	char *buf = fixture(name, &len);
	char err[256] = "";

	if (parse_feed(buf, len, o, r, err, sizeof(err)) != 0)
		fail_msg("%s: %s", name, err);
	free(buf);
}

/* Parse a fixture that must fail; returns the message. */
static void
parse_fixture_fails(const char *name, const char *want_err)
{
	struct parse_opts o = opts();
	struct parse_result r;
	size_t len;
	char *buf = fixture(name, &len);
	char err[256] = "";

	assert_int_equal(parse_feed(buf, len, &o, &r, err, sizeof(err)), -1);
	assert_string_equal(err, want_err);
	assert_null(r.items);
	assert_int_equal(r.n_items, 0);
	parse_result_free(&r);
	free(buf);
}

static const struct item *
nth(const struct parse_result *r, size_t n)
{
	const struct item *it = r->items;

	while (it != NULL && n-- > 0)
		it = it->next;
	assert_non_null(it);
	return it;
}

static void
test_rss20_content_encoded(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_content_encoded.xml", &o, &r);
	assert_string_equal(r.format, "rss2.0");
	assert_string_equal(r.feed_title, "Market Wire & Co");
	assert_string_equal(r.feed_link, "https://news.example.com/");
	assert_int_equal(r.recovered, 0);
	assert_null(r.warning);
	assert_int_equal(r.n_items, 2);

	it = nth(&r, 0);
	assert_string_equal(it->title,
	    "Amazon commits up to $25bn investment in Anthropic");
	assert_string_equal(it->link,
	    "https://news.example.com/2024/amazon-anthropic");
	assert_string_equal(it->id, "urn:news:example:1001");
	assert_int_equal(it->published, 1732621327);
	assert_int_equal(it->published_guessed, 0);
	assert_string_equal(it->author, "Jane Doe");
	assert_string_equal(it->tags, "Technology\nArtificial Intelligence");
	assert_string_equal(it->summary,
	    "Amazon deepens its AI bet. Shares rose 2% in early "
	    "trading.");
	assert_string_equal(it->content,
	    "Amazon said on Tuesday it would invest up to $25bn.\n\n"
	    "The deal values Anthropic at $60bn \xe2\x80\x94 analysts said.");
	assert_string_equal(it->feed, "Markets");
	assert_string_equal(it->feed_url,
	    "http://feeds.example.com/markets.xml");

	/* A relative link resolves against the feed URL; the author's
	 * e-mail form gives the name. */
	it = nth(&r, 1);
	assert_string_equal(it->link, "http://feeds.example.com/2024/fed-holds");
	assert_string_equal(it->id, "https://news.example.com/2024/fed-holds");
	assert_int_equal(it->published, 1734548400);
	assert_string_equal(it->author, "Markets Desk");
	assert_null(it->content);
	assert_null(it->next);
	parse_result_free(&r);
}

static void
test_rss091(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss091.xml", &o, &r);
	assert_string_equal(r.format, "rss0.91");
	assert_string_equal(r.feed_title, "Old Ticker News");
	assert_int_equal(r.n_items, 2);
	it = nth(&r, 0);
	/* &nbsp; comes from the Netscape DTD, which is never loaded;
	 * no-break spaces fold into plain ones. */
	assert_string_equal(it->title,
	    "Dow closes above 40,000 for the first time");
	assert_string_equal(it->link, "http://oldnews.example.com/dow-40000");
	assert_string_equal(it->id, "http://oldnews.example.com/dow-40000");
	assert_string_equal(it->summary,
	    "Blue chips rallied & the Dow hit a record.");
	/* No date: the fetch time, flagged as a guess. */
	assert_int_equal(it->published, FETCH_TIME);
	assert_int_equal(it->published_guessed, 1);
	parse_result_free(&r);
}

static void
test_rss10_rdf(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss10_rdf.xml", &o, &r);
	assert_string_equal(r.format, "rss1.0");
	assert_string_equal(r.feed_title, "RDF Markets");
	assert_string_equal(r.feed_link, "https://rdf.example.org/");
	assert_int_equal(r.n_items, 2);
	it = nth(&r, 0);
	assert_string_equal(it->title,
	    "Nvidia tops estimates as data-center sales soar");
	assert_string_equal(it->id, "https://rdf.example.org/story/1");
	assert_int_equal(it->published, 1724889900);
	assert_string_equal(it->author, "Tech Desk");
	assert_string_equal(it->tags, "Semiconductors");
	assert_string_equal(it->summary,
	    "Revenue doubled from a year earlier.");
	it = nth(&r, 1);
	assert_int_equal(it->published, 1725494400);
	parse_result_free(&r);
}

static void
test_atom10_xhtml_base(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("atom10_xhtml_base.xml", &o, &r);
	assert_string_equal(r.format, "atom1.0");
	assert_string_equal(r.feed_title, "Deal Flow");
	assert_string_equal(r.feed_link, "https://atom.example.net/blog/");
	assert_int_equal(r.n_items, 2);

	it = nth(&r, 0);
	assert_string_equal(it->title, "Microsoft to buy Activision stake");
	/* rel=alternate wins over rel=edit; xml:base of the feed. */
	assert_string_equal(it->link,
	    "https://atom.example.net/blog/2024/11/msft-deal.html");
	assert_string_equal(it->id, "tag:atom.example.net,2024:42");
	/* published is preferred over updated. */
	assert_int_equal(it->published, 1732523400);
	/* The entry has no author: the feed's applies. */
	assert_string_equal(it->author, "Deal Desk");
	assert_string_equal(it->tags, "M&A\nTechnology");
	/* type="text" is literal text, not HTML. */
	assert_string_equal(it->summary,
	    "Microsoft agreed to buy a stake; terms <undisclosed>.");
	assert_string_equal(it->content,
	    "First paragraph with a chart.\n\nSecond paragraph.");

	it = nth(&r, 1);
	/* type="html" is decoded once: "&amp;amp;" is a literal "&". */
	assert_string_equal(it->title,
	    "Goldman & Morgan Stanley lift targets");
	/* The entry's own xml:base. */
	assert_string_equal(it->link,
	    "https://other.example.net/news/gs-ms-targets");
	assert_int_equal(it->published, 1732608900);
	assert_string_equal(it->author, "Jane Roe");
	assert_string_equal(it->content,
	    "Banks raised their S&P 500 targets.");
	/* No summary: the content stands in. */
	assert_string_equal(it->summary,
	    "Banks raised their S&P 500 targets.");
	parse_result_free(&r);
}

static void
test_atom03(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("atom03.xml", &o, &r);
	assert_string_equal(r.format, "atom0.3");
	assert_string_equal(r.feed_title, "Legacy <Atom> Feed");
	assert_string_equal(r.feed_link, "http://legacy.example.com/");
	assert_int_equal(r.n_items, 2);
	it = nth(&r, 0);
	assert_string_equal(it->title, "Tesla recalls 2 million vehicles");
	assert_string_equal(it->link, "http://legacy.example.com/tesla-recall");
	assert_int_equal(it->published, 1122812969);
	assert_string_equal(it->summary, "Autopilot software update ordered.");
	assert_string_equal(it->content, "The recall covers 2 million cars.");
	it = nth(&r, 1);
	assert_int_equal(it->published, 1122854400);
	/* base64 text/html content is decoded and shown as text. */
	assert_string_equal(it->content, "hello");
	parse_result_free(&r);
}

static void
test_odd_dates(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_odd_dates.xml", &o, &r);
	assert_int_equal(r.n_items, 8);
	for (it = r.items; it != NULL; it = it->next) {
		if (strcmp(it->id, "d7") == 0) {
			assert_int_equal(it->published, FETCH_TIME);
			assert_int_equal(it->published_guessed, 1);
		} else {
			if (it->published != 1733149800)
				fail_msg("%s: %lld", it->title,
				    (long long)it->published);
			assert_int_equal(it->published_guessed, 0);
		}
		/* A guid that is not a URL never becomes the link. */
		assert_null(it->link);
	}
	parse_result_free(&r);
}

static void
test_windows1252_as_latin1(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_windows1252_as_latin1.xml", &o, &r);
	assert_string_equal(r.feed_title, "Caf\xc3\xa9 Bourse");
	it = nth(&r, 0);
	/* 0x93/0x94 quotes, 0x80 euro, 0x96 dash, 0x85 ellipsis. */
	assert_string_equal(it->title,
	    "\xe2\x80\x9cSoci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale\xe2\x80"
	    "\x9d gagne 3\xe2\x82\xac \xe2\x80\x93 r\xc3\xa9sultats");
	assert_string_equal(it->summary, "Le titre \xc3\xa0 Paris\xe2\x80\xa6");
	assert_int_equal(it->published, 1733209200);
	parse_result_free(&r);
}

static void
test_utf16_bom(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_utf16le_bom.xml", &o, &r);
	assert_string_equal(r.feed_title,
	    "\xe6\x9d\xb1\xe4\xba\xac\xe5\xb8\x82\xe5\xa0\xb4\xe3\x83\x8b"
	    "\xe3\x83\xa5\xe3\x83\xbc\xe3\x82\xb9");
	it = nth(&r, 0);
	assert_string_equal(it->title,
	    "\xe3\x83\x88\xe3\x83\xa8\xe3\x82\xbf\xe3\x80\x81\xe7\xb4\x94"
	    "\xe5\x88\xa9\xe7\x9b\x8a\xe3\x81\x8c\xe9\x81\x8e\xe5\x8e\xbb"
	    "\xe6\x9c\x80\xe9\xab\x98 \xe2\x80\x94 Toyota profit record "
	    "\xf0\x9f\x93\x88");
	assert_string_equal(it->link, "https://jp.example.jp/toyota");
	assert_int_equal(it->published, 1733292000);
	parse_result_free(&r);
}

static void
test_cdata_entities(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_cdata_entities.xml", &o, &r);
	assert_string_equal(r.feed_title, "Entities & CDATA");
	it = nth(&r, 0);
	/* No known HTML tag or entity: the title is kept as written. */
	assert_string_equal(it->title, "AT&T <AAPL.O> & S&P 500: \"quotes\"");
	assert_string_equal(it->link, "http://ent.example.com/a?x=1&y=2");
	assert_string_equal(it->summary,
	    "Caf\xc3\xa9 & cr\xc3\xa8me \xe2\x80\x94 5 % <tag>");
	it = nth(&r, 1);
	/* Numeric and named references, HTML entity-encoded once more. */
	assert_string_equal(it->title,
	    "Caf\xc3\xa9 \xe2\x80\x94 Nestl\xc3\xa9 & L\xe2\x80\x99Or\xc3\xa9"
	    "al");
	assert_string_equal(it->summary, "Price < $100 & rising");
	parse_result_free(&r);
}

static void
test_billion_laughs(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("billion_laughs.xml", &o, &r);
	/* Nothing expands: the references are reported, the rest read. */
	assert_int_equal(r.recovered, 1);
	assert_non_null(r.warning);
	assert_non_null(strstr(r.warning, "lol"));
	assert_int_equal(r.n_items, 1);
	it = nth(&r, 0);
	assert_string_equal(it->title, "Bomb here");
	assert_null(it->summary);
	parse_result_free(&r);
}

static void
test_xxe(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("xxe_file.xml", &o, &r);
	assert_int_equal(r.n_items, 1);
	assert_string_equal(r.feed_title, "XXE");
	it = nth(&r, 0);
	assert_string_equal(it->title, "Leak:");
	assert_null(it->summary);
	assert_null(strstr(it->title, "root:"));
	parse_result_free(&r);
}

static void
test_not_a_feed(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	char err[256];
	const char *doc;

	(void)state;
	parse_fixture_fails("html_error_page.html", "not a feed: HTML page");
	parse_fixture_fails("empty.xml", "empty body");
	/* XHTML served with an XML declaration. */
	doc = "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/"
	    "xhtml\"><body><p>Moved</p></body></html>";
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "not a feed: HTML page");
	parse_result_free(&r);
	doc = "<?xml version=\"1.0\"?><opml version=\"2.0\"/>";
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "not a feed: root element <opml>");
	parse_result_free(&r);
	doc = "Service temporarily unavailable";
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "XML error at line 1"));
	parse_result_free(&r);
	assert_int_equal(parse_feed(" \r\n\t", 4, &o, &r, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "empty body");
	parse_result_free(&r);
}

static void
test_illformed_recover(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_illformed_recover.xml", &o, &r);
	assert_int_equal(r.recovered, 1);
	assert_non_null(r.warning);
	assert_non_null(strstr(r.warning, "line 3"));
	assert_int_equal(r.n_items, 3);
	it = nth(&r, 0);
	assert_string_equal(it->title, "Procter & Gamble beats estimates");
	assert_string_equal(it->link, "http://sloppy.example.com/pg?a=1&b=2");
	it = nth(&r, 1);
	assert_string_equal(it->title, "Johnson & Johnson settles talc suits");
	/* Entities after the mismatched tags still decode. */
	it = nth(&r, 2);
	assert_string_equal(it->title, "Pfizer & BioNTech update");
	assert_string_equal(it->id, "s3");
	parse_result_free(&r);
}

static void
test_missing_fields_stable_ids(void **state)
{
	struct parse_opts o = opts();
	struct parse_result a, b;
	const struct item *x, *y;

	(void)state;
	parse_fixture("rss20_missing_fields.xml", &o, &a);
	o.fetch_time = FETCH_TIME + 3600;
	parse_fixture("rss20_missing_fields.xml", &o, &b);
	assert_int_equal(a.n_items, 4);
	assert_int_equal(b.n_items, 4);
	for (x = a.items, y = b.items; x != NULL; x = x->next, y = y->next) {
		assert_non_null(x->id);
		assert_string_equal(x->id, y->id);
	}
	/* Distinct items, distinct ids. */
	assert_string_not_equal(nth(&a, 0)->id, nth(&a, 1)->id);
	assert_string_not_equal(nth(&a, 1)->id, nth(&a, 2)->id);
	assert_int_equal(strncmp(nth(&a, 0)->id, "hash:", 5), 0);
	assert_int_equal(nth(&a, 1)->published, 1733392800);
	assert_int_equal(nth(&b, 0)->published, FETCH_TIME + 3600);
	assert_string_equal(nth(&a, 2)->summary,
	    "Only a summary, no title, no link.");
	/* A permalink guid serves as the link. */
	assert_string_equal(nth(&a, 3)->link,
	    "http://bare.example.com/permalink-guid");
	parse_result_free(&a);
	parse_result_free(&b);
}

static void
test_media_dc_atomlink(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	const struct item *it;

	(void)state;
	parse_fixture("rss20_media_dc_atomlink.xml", &o, &r);
	assert_string_equal(r.feed_link, "https://video.example.com/");
	assert_int_equal(r.n_items, 2);
	it = nth(&r, 0);
	assert_string_equal(it->title, "Bitcoin jumps past $100,000");
	assert_string_equal(it->summary, "Crypto rally extends.");
	assert_string_equal(it->link, "https://video.example.com/btc-100k");
	assert_string_equal(it->id, "vid-1");
	assert_string_equal(it->author, "Crypto Desk, Jane Doe");
	assert_string_equal(it->tags, "Crypto\nMarkets");
	assert_int_equal(it->published, 1733364900);
	it = nth(&r, 1);
	/* <title> beats media:title; rel=self is not the page. */
	assert_string_equal(it->title, "Gold steadies");
	assert_string_equal(it->link, "https://video.example.com/gold");
	assert_string_equal(it->summary, "Media group description.");
	assert_int_equal(it->published, 1733367600);
	parse_result_free(&r);
}

static void
test_huge_title(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	struct strbuf sb;
	char err[256];
	size_t i, n;

	(void)state;
	strbuf_init(&sb);
	strbuf_adds(&sb, "<rss version=\"2.0\"><channel><title>Big</title>"
	    "<item><title>");
	/* 1 MB of a 3-byte character, so a byte cut would split one. */
	for (i = 0; i < 350000; i++)
		strbuf_add(&sb, "\xe2\x82\xac", 3);
	strbuf_adds(&sb, "</title><guid>big-1</guid></item></channel></rss>");
	assert_int_equal(parse_feed(sb.buf, sb.len, &o, &r, err, sizeof(err)),
	    0);
	assert_int_equal(r.n_items, 1);
	n = strlen(r.items->title);
	assert_true(n <= 64 * 1024);
	assert_true(n > 60 * 1024);
	assert_int_equal(n % 3, 0);
	assert_string_equal(r.items->id, "big-1");
	parse_result_free(&r);

	o.max_field = 100;
	assert_int_equal(parse_feed(sb.buf, sb.len, &o, &r, err, sizeof(err)),
	    0);
	assert_int_equal(strlen(r.items->title), 99);
	parse_result_free(&r);
	strbuf_done(&sb);
}

static void
test_max_items(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	struct strbuf sb;
	char err[256];
	int i;

	(void)state;
	strbuf_init(&sb);
	strbuf_adds(&sb, "<rss version=\"2.0\"><channel><title>Many</title>");
	for (i = 0; i < 620; i++)
		strbuf_addf(&sb, "<item><title>Headline %d</title><guid>g%d"
		    "</guid></item>", i, i);
	strbuf_adds(&sb, "</channel></rss>");
	assert_int_equal(parse_feed(sb.buf, sb.len, &o, &r, err, sizeof(err)),
	    0);
	assert_int_equal(r.n_items, 500);
	assert_int_equal(r.truncated, 120);
	assert_string_equal(nth(&r, 499)->title, "Headline 499");
	parse_result_free(&r);
	o.max_items = 3;
	assert_int_equal(parse_feed(sb.buf, sb.len, &o, &r, err, sizeof(err)),
	    0);
	assert_int_equal(r.n_items, 3);
	assert_int_equal(r.truncated, 617);
	assert_string_equal(nth(&r, 2)->id, "g2");
	parse_result_free(&r);
	strbuf_done(&sb);
}

static void
test_hostile_text(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	char err[256];
	const char *doc =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">"
	    "<channel><title>T\x1b[2J\x1b]0;owned\x07itle</title><item>"
	    "<title>Bad \xff byte \xe2\x80\xae" "and bidi\x01</title>"
	    "<guid>h1</guid><description>ok\x0b text</description></item>"
	    "</channel></rss>";

	(void)state;
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), 0);
	assert_string_equal(r.feed_title, "Title");
	assert_int_equal(r.n_items, 1);
	assert_string_equal(r.items->title, "Bad \xef\xbf\xbd byte and bidi");
	assert_string_equal(r.items->summary, "ok text");
	parse_result_free(&r);
}

static void
test_http_charset(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	char err[256];
	const char *doc = "<rss version=\"2.0\"><channel><title>Z\xfcrich "
	    "\x80</title></channel></rss>";

	(void)state;
	/* No declaration: the HTTP header's charset applies. */
	o.content_type = "application/rss+xml; charset=\"ISO-8859-1\"";
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), 0);
	assert_string_equal(r.feed_title, "Z\xc3\xbcrich \xe2\x82\xac");
	parse_result_free(&r);
	/*
	 * Without it the bytes are taken as UTF-8, which they are not: no
	 * multi-byte sequence at all, so they are read as windows-1252.
	 */
	o.content_type = "application/rss+xml";
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), 0);
	assert_string_equal(r.feed_title, "Z\xc3\xbcrich \xe2\x82\xac");
	parse_result_free(&r);
}

static void
test_truncated_document(void **state)
{
	struct parse_opts o = opts();
	struct parse_result r;
	char err[256];
	const char *doc = "<rss version=\"2.0\"><channel><title>Cut</title>"
	    "<item><title>Complete one</title><guid>c1</guid></item>"
	    "<item><title>Half";

	(void)state;
	assert_int_equal(parse_feed(doc, strlen(doc), &o, &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.recovered, 1);
	assert_true(r.n_items >= 1);
	assert_string_equal(r.items->title, "Complete one");
	parse_result_free(&r);
}

/* Parse an inline document; asserts success. */
static void
parse_doc(const char *doc, struct parse_result *r)
{
	struct parse_opts o = opts();
	char err[256] = "";

	if (parse_feed(doc, strlen(doc), &o, r, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/*
 * '&' is plain text in comments and processing instructions: a feed that
 * says "Q&A" in a comment is well-formed and must not be flagged.
 */
static void
test_amp_in_comment_not_flagged(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<?xml version=\"1.0\"?>\n"
	    "<?xml-stylesheet href=\"s.xsl?a=1&b=2\"?>\n"
	    "<!-- Markets Q&A feed -->\n"
	    "<rss version=\"2.0\"><channel><title>Desk</title>\n"
	    "<item><title>Fed &amp; ECB hold rates</title></item>\n"
	    "<!-- end & done --></channel></rss>\n", &r);
	assert_int_equal(r.recovered, 0);
	assert_null(r.warning);
	assert_string_equal(nth(&r, 0)->title, "Fed & ECB hold rates");
	parse_result_free(&r);

	/* A bare '&' after a comment is still repaired and reported. */
	parse_doc("<rss version=\"2.0\"><channel><!-- x&y -->\n"
	    "<item><title>AT&T beats</title></item></channel></rss>", &r);
	assert_int_equal(r.recovered, 1);
	assert_non_null(strstr(r.warning, "line 2"));
	assert_string_equal(nth(&r, 0)->title, "AT&T beats");
	parse_result_free(&r);
}

/*
 * Numeric references libxml2 refuses would lose their character: emoji
 * written as UTF-16 surrogate pairs, "&#X..;", out-of-range values.
 */
static void
test_bad_char_references(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<rss version=\"2.0\"><channel><item>"
	    "<title>Stocks &#55357;&#56960; on &#X41;I deal</title>"
	    "<description>a &#1114112; b &#xD800; c &#x1;d</description>"
	    "</item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->title,
	    "Stocks \xF0\x9F\x9A\x80 on AI deal");
	assert_string_equal(nth(&r, 0)->summary,
	    "a \xEF\xBF\xBD b \xEF\xBF\xBD c d");
	assert_int_equal(r.recovered, 1);
	assert_non_null(strstr(r.warning, "character reference"));
	parse_result_free(&r);
}

/*
 * A document whose bytes do not match its label, or whose label nobody
 * knows, is read anyway, and the result says how (the feed keeps it).
 */
static void
test_encoding_repairs_reported(void **state)
{
	static const struct {
		const char *doc, *title, *warning;
	} cases[] = {
		{ "<?xml version=\"1.0\" encoding=\"x-bogus\"?><rss><channel>"
		  "<item><title>Caf\xc3\xa9 opens</title></item></channel></rss>",
		  "Caf\xc3\xa9 opens",
		  "unknown encoding \"x-bogus\": read as UTF-8" },
		{ "<?xml version=\"1.0\" encoding=\"x-bogus\"?><rss><channel>"
		  "<item><title>Caf\xe9 opens</title></item></channel></rss>",
		  "Caf\xc3\xa9 opens",
		  "unknown encoding \"x-bogus\": read as windows-1252" },
		{ "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel>"
		  "<item><title>Caf\xe9 \x93opens\x94</title></item></channel>"
		  "</rss>", "Caf\xc3\xa9 \xe2\x80\x9copens\xe2\x80\x9d",
		  "labelled \"UTF-8\" but not UTF-8: read as windows-1252" },
		{ "<rss><channel><item><title>Caf\xe9 opens</title></item>"
		  "</channel></rss>", "Caf\xc3\xa9 opens",
		  "not UTF-8: read as windows-1252" },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel>"
		  "<item><title>Caf\xc3\xa9 opens</title></item></channel></rss>",
		  "Caf\xc3\xa9 opens", "labelled \"ISO-8859-1\" but the text is "
		  "UTF-8: read as UTF-8" },
		{ "<rss><channel><item><title>Caf\xc3\xa9 \xff opens \xe9"
		  "</title></item></channel></rss>",
		  "Caf\xc3\xa9 \xef\xbf\xbd opens \xef\xbf\xbd",
		  "invalid UTF-8: 2 byte sequences replaced" },
		/* What libxml2 decodes itself needs no word. */
		{ "<?xml version=\"1.0\" encoding=\"koi8-r\"?><rss><channel>"
		  "<item><title>\xf0\xd2\xc9\xd7\xc5\xd4</title></item>"
		  "</channel></rss>",
		  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", NULL },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel>"
		  "<item><title>Caf\xe9 opens</title></item></channel></rss>",
		  "Caf\xc3\xa9 opens", NULL },
	};
	struct parse_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_doc(cases[i].doc, &r);
		assert_int_equal(r.n_items, 1);
		assert_string_equal(nth(&r, 0)->title, cases[i].title);
		if (cases[i].warning == NULL) {
			assert_int_equal(r.recovered, 0);
			assert_null(r.warning);
		} else {
			assert_int_equal(r.recovered, 1);
			assert_string_equal(r.warning, cases[i].warning);
		}
		parse_result_free(&r);
	}
}

/*
 * Names feedparser's test suite expects: plain-text entities of the
 * document's own DTD subset, iTunes item fields, a channel dc:title.
 */
static void
test_declared_entities_and_itunes(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<!DOCTYPE rss [\n"
	    "  <!ENTITY path \"C:\\data\\1\\new\">\n"
	    "  <!ENTITY co \"Example &#38; Co\">\n"
	    "  <!ENTITY lol \"lol\">\n"
	    "  <!ENTITY lol2 \"&lol;&lol;\">\n"
	    "  <!ENTITY nbsp \"&#160;\">\n"
	    "  <!ENTITY path \"again\">\n"
	    "]>\n<rss version=\"2.0\"><channel><item>"
	    "<guid isPermaLink=\"false\">&path;</guid>"
	    "<title>&lol; from &co;</title></item>"
	    "<item><guid>2</guid><title>[&lol2;]</title></item>"
	    "</channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->id, "C:\\data\\1\\new");
	/* "&#38;" is '&' once declared: its text has a reference. */
	assert_string_equal(nth(&r, 0)->title, "lol from");
	/* An entity made of entities is never expanded. */
	assert_string_equal(nth(&r, 1)->title, "[]");
	assert_int_equal(r.recovered, 1);
	parse_result_free(&r);

	parse_doc("<rss xmlns:itunes=\"http://www.itunes.com/DTDs/"
	    "Podcast-1.0.dtd\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	    "<channel><dc:title>Earnings Calls</dc:title><item>"
	    "<title>Q3 call</title><itunes:author>Jane Roe</itunes:author>"
	    "<itunes:summary>Margins up.</itunes:summary>"
	    "<itunes:category text=\"Business\"/></item>"
	    "<item><title>Q4</title><author>desk@example.com (Desk)</author>"
	    "<itunes:author>Jane Roe</itunes:author>"
	    "<description>From the description.</description>"
	    "<itunes:summary>From iTunes.</itunes:summary></item>"
	    "</channel></rss>", &r);
	assert_string_equal(r.feed_title, "Earnings Calls");
	assert_string_equal(nth(&r, 0)->author, "Jane Roe");
	assert_string_equal(nth(&r, 0)->summary, "Margins up.");
	assert_string_equal(nth(&r, 0)->tags, "Business");
	/* The RSS fields win over the iTunes ones. */
	assert_string_equal(nth(&r, 1)->author, "Desk");
	assert_string_equal(nth(&r, 1)->summary, "From the description.");
	parse_result_free(&r);

	/* Text inside (or after an unclosed) object or iframe is kept. */
	parse_doc("<rss><channel><item><title>t</title><description>"
	    "safe&lt;object classid=\"x\"&gt; &lt;b&gt;description&lt;/b&gt;"
	    "</description></item><item><title>u</title><description>"
	    "safe&lt;iframe src=\"http://example.com/\"&gt; description"
	    "&lt;/iframe&gt;</description></item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->summary, "safe description");
	assert_string_equal(nth(&r, 1)->summary, "safe description");
	parse_result_free(&r);

	/* A category is named by its own text, not what it holds. */
	parse_doc("<rss><channel><item><title>t</title><category>Example "
	    "category\n  <image><url>http://x.example/a.jpg</url>"
	    "<title><![CDATA[Savage Love]]></title></image>\n</category>"
	    "<category>Second</category></item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->tags, "Example category\nSecond");
	parse_result_free(&r);
}

/*
 * From gofeed's translator tests: Atom's elements inside RSS items, the
 * forms an author with an address takes, prefixes never declared.
 */
static void
test_rss_items_with_atom_and_authors(void **state)
{
	static const struct {
		const char *author, *want;
	} authors[] = {
		{ "jane@example.com (Jane Doe)", "Jane Doe" },
		{ "Jane Doe (jane@example.com)", "Jane Doe" },
		{ "Jane Doe &lt;jane@example.com&gt;", "Jane Doe" },
		{ "\"Doe, John\" &lt;john@example.com&gt;", "Doe, John" },
		{ "&lt;john@example.com&gt;", "john@example.com" },
		{ "Jane Doe (@jane)", "Jane Doe (@jane)" },
		{ "Desk (markets)", "Desk (markets)" },
	};
	struct parse_result r;
	char doc[512];
	size_t i;

	(void)state;
	parse_doc("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/"
	    "Atom\"><channel><title>T</title><item><title>a</title>"
	    "<guid>1</guid><atom:author><atom:name>Ann Atom</atom:name>"
	    "<atom:email>ann@example.org</atom:email></atom:author>"
	    "<atom:updated>2026-11-27T10:00:00Z</atom:updated>"
	    "<atom:published>2026-11-26T10:00:00Z</atom:published>"
	    "<atom:summary type=\"html\">&lt;b&gt;Sum&lt;/b&gt; up"
	    "</atom:summary><atom:content type=\"html\">&lt;p&gt;Body"
	    "&lt;/p&gt;</atom:content><atom:category term=\"rates\"/>"
	    "<category>Plain</category></item>"
	    "<item><title>b</title><guid>2</guid><pubDate>Wed, 25 Nov 2026 "
	    "10:00:00 GMT</pubDate><atom:updated>2026-11-27T10:00:00Z"
	    "</atom:updated><description>Desc</description><atom:summary>"
	    "Atom</atom:summary></item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->author, "Ann Atom");
	assert_int_equal(nth(&r, 0)->published, 1795687200);
	assert_string_equal(nth(&r, 0)->summary, "Sum up");
	assert_string_equal(nth(&r, 0)->content, "Body");
	assert_string_equal(nth(&r, 0)->tags, "rates\nPlain");
	/* RSS's own elements come first. */
	assert_int_equal(nth(&r, 1)->published, 1795600800);
	assert_string_equal(nth(&r, 1)->summary, "Desc");
	parse_result_free(&r);

	for (i = 0; i < sizeof(authors) / sizeof(authors[0]); i++) {
		snprintf(doc, sizeof(doc), "<rss><channel><item><title>t"
		    "</title><author>%s</author></item></channel></rss>",
		    authors[i].author);
		parse_doc(doc, &r);
		assert_string_equal(nth(&r, 0)->author, authors[i].want);
		parse_result_free(&r);
	}

	/* Prefixes used without xmlns: what feeds mean by them. */
	parse_doc("<rss version=\"2.0\"><channel><title>T</title>"
	    "<atom:link rel=\"alternate\" href=\"http://example.org/\"/>"
	    "<item><title>x</title><dc:author>Dee Cee</dc:author>"
	    "<content:encoded>&lt;p&gt;Full text&lt;/p&gt;</content:encoded>"
	    "</item></channel></rss>", &r);
	assert_string_equal(r.feed_link, "http://example.org/");
	assert_string_equal(nth(&r, 0)->author, "Dee Cee");
	assert_string_equal(nth(&r, 0)->content, "Full text");
	assert_int_equal(r.recovered, 1);
	parse_result_free(&r);
}

/* An undeclared entity that is no HTML entity stays as written. */
static void
test_unknown_entity_kept(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<rss version=\"2.0\"><channel><title>Desk</title><item>"
	    "<title>Merger &unknownco; talks &eacute;tude</title>"
	    "</item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->title,
	    "Merger &unknownco; talks \xC3\xA9tude");
	parse_result_free(&r);
}

/* Authors written "Name (address)" show the name, like "address (Name)". */
static void
test_author_name_before_address(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<rss version=\"2.0\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>"
	    "<item><title>a</title><author>Jane Doe (jdoe@example.com)"
	    "</author></item>"
	    "<item><title>b</title><dc:creator>desk@example.com (Desk)"
	    "</dc:creator></item>"
	    "<item><title>c</title><author>Jane Doe (Reuters)</author></item>"
	    /* A ')' before the '(' (fuzz_parse found a read past it). */
	    "<item><title>d</title><author>m@examp) e.com (Ma</author></item>"
	    "</channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->author, "Jane Doe");
	assert_string_equal(nth(&r, 1)->author, "Desk");
	assert_string_equal(nth(&r, 2)->author, "Jane Doe (Reuters)");
	assert_string_equal(nth(&r, 3)->author, "m@examp) e.com (Ma");
	parse_result_free(&r);
}

/*
 * Atom base64 text (mode="base64" in 0.3, a non-text media type in 1.0)
 * is decoded; binary media stays hidden.
 */
static void
test_atom_base64_text(void **state)
{
	struct parse_result r;

	(void)state;
	/* "<b>Base64</b> &amp; more", "Plain ECB text" */
	parse_doc("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
	    "<entry><title type=\"text/html\" mode=\"base64\">"
	    "PGI+QmFzZTY0PC9iPiAm\nYW1wOyBtb3Jl</title>"
	    "<summary type=\"image/png\" mode=\"base64\">iVBORw0KGgo="
	    "</summary></entry>"
	    /* No type: "<p>Gold &lt;b&gt;up&lt;/b&gt;</p>", read as HTML. */
	    "<entry><title>t</title><summary mode=\"base64\">"
	    "PHA+R29sZCAmbHQ7YiZndDt1cCZsdDsvYiZndDs8L3A+</summary></entry>"
	    "</feed>", &r);
	assert_string_equal(nth(&r, 0)->title, "Base64 & more");
	assert_null(nth(&r, 0)->summary);
	assert_non_null(nth(&r, 1)->summary);
	assert_string_equal(nth(&r, 1)->summary, "Gold <b>up</b>");
	parse_result_free(&r);

	parse_doc("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<title type=\"application/octet-stream\">UGxhaW4gRUNCIHRleHQ="
	    "</title><summary type=\"application/octet-stream\">"
	    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB</summary></entry></feed>", &r);
	assert_string_equal(nth(&r, 0)->title, "Plain ECB text");
	assert_null(nth(&r, 0)->summary);
	parse_result_free(&r);
}

/* Script and style inside inline XHTML or naked markup are not text. */
static void
test_inline_script_hidden(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	    "Rates<script>location.href='x';</script> <b>held</b>"
	    "<style>b{color:red}</style></div></title></entry></feed>", &r);
	assert_string_equal(nth(&r, 0)->title, "Rates held");
	parse_result_free(&r);

	parse_doc("<rss version=\"2.0\"><channel><item><title>t</title>"
	    "<description><p>Oil <script>alert(1)</script>rises</p>"
	    "</description></item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->summary, "Oil rises");
	parse_result_free(&r);
}

/* An Atom link written RSS-style, with the address as its text. */
static void
test_atom_link_text(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<link>http://desk.example.com/</link><entry><title>a</title>"
	    "<link rel=\"enclosure\">http://desk.example.com/a.mp3</link>"
	    "<link rel=\"alternate\">/news/a</link></entry></feed>", &r);
	assert_non_null(r.feed_link);
	assert_string_equal(r.feed_link, "http://desk.example.com/");
	assert_non_null(nth(&r, 0)->link);
	assert_string_equal(nth(&r, 0)->link,
	    "http://feeds.example.com/news/a");
	parse_result_free(&r);
}

/* RSS items may carry their full text as an xhtml:body element. */
static void
test_rss_xhtml_body(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<rss version=\"2.0\"><channel><item><title>a</title>"
	    "<body xmlns=\"http://www.w3.org/1999/xhtml\"><p>Bank of Japan "
	    "<b>raises</b> rates.</p></body></item></channel></rss>", &r);
	assert_non_null(nth(&r, 0)->content);
	assert_string_equal(nth(&r, 0)->content,
	    "Bank of Japan raises rates.");
	parse_result_free(&r);
}

/*
 * Texts outside RSS that feeds carry beside the description: <summary>
 * and <fullitem> are content (below content:encoded, whichever comes
 * first); escaped HTML inside a <div> of an Atom type="html" content is
 * HTML, not text with tags in it.
 */
static void
test_rss_summary_fullitem_and_typepad(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<rss version=\"2.0\"><channel>"
	    "<item><title>a</title><description>Short.</description>"
	    "<summary>The longer text.</summary></item>"
	    "<item><title>b</title><fullitem>&lt;p&gt;Full &lt;b&gt;text"
	    "&lt;/b&gt;&lt;/p&gt;</fullitem></item>"
	    "<item><title>c</title><summary>Beside.</summary>"
	    "<content:encoded xmlns:content=\"http://purl.org/rss/1.0/"
	    "modules/content/\">Encoded wins.</content:encoded></item>"
	    "</channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->summary, "Short.");
	assert_string_equal(nth(&r, 0)->content, "The longer text.");
	assert_string_equal(nth(&r, 1)->content, "Full text");
	assert_string_equal(nth(&r, 1)->summary, "Full text");
	assert_string_equal(nth(&r, 2)->content, "Encoded wins.");
	parse_result_free(&r);

	parse_doc("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>"
	    "<title>t</title><content type=\"html\"><div xmlns=\""
	    "http://www.w3.org/1999/xhtml\">Example &lt;b&gt;Atom&lt;/b&gt;"
	    "</div></content></entry></feed>", &r);
	assert_string_equal(nth(&r, 0)->content, "Example Atom");
	parse_result_free(&r);
}

/*
 * Labels that lie: "UTF-8" on windows-1252 text, "ISO-8859-1" on UTF-8
 * text.  A document with real UTF-8 in it keeps U+FFFD for a stray byte.
 */
static void
test_mislabelled_encoding(void **state)
{
	struct parse_result r;

	(void)state;
	parse_doc("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<rss version=\"2.0\"><channel><title>x</title><item><title>"
	    "Caf\xe9 owner\x92s \x93news\x94</title></item></channel></rss>",
	    &r);
	assert_string_equal(nth(&r, 0)->title, "Caf\xc3\xa9 owner"
	    "\xe2\x80\x99s \xe2\x80\x9cnews\xe2\x80\x9d");
	parse_result_free(&r);

	parse_doc("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	    "<rss version=\"2.0\"><channel><title>x</title><item><title>"
	    "Caf\xc3\xa9 \xe2\x82\xac" "5</title></item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->title, "Caf\xc3\xa9 \xe2\x82\xac" "5");
	parse_result_free(&r);

	parse_doc("<rss version=\"2.0\"><channel><title>x</title><item><title>"
	    "Caf\xc3\xa9 \xff</title></item></channel></rss>", &r);
	assert_string_equal(nth(&r, 0)->title, "Caf\xc3\xa9 \xef\xbf\xbd");
	parse_result_free(&r);
}

/* Two results are the same, field by field. */
static void
assert_same_result(const char *what, int rc1, const char *err1,
    const struct parse_result *a, int rc2, const char *err2,
    const struct parse_result *b)
{
	const struct item *x, *y;

#define SAME_STR(u, v) do {						\
	if (((u) == NULL) != ((v) == NULL) ||				\
	    ((u) != NULL && strcmp((u), (v)) != 0))			\
		fail_msg("%s: \"%s\" != \"%s\"", what, (u) ? (u) : "(null)", \
		    (v) ? (v) : "(null)");				\
} while (0)
	if (rc1 != rc2)
		fail_msg("%s: rc %d != %d", what, rc1, rc2);
	SAME_STR(err1, err2);
	assert_int_equal(a->n_items, b->n_items);
	SAME_STR(a->feed_title, b->feed_title);
	SAME_STR(a->feed_link, b->feed_link);
	SAME_STR(a->format, b->format);
	assert_int_equal(a->recovered, b->recovered);
	SAME_STR(a->warning, b->warning);
	assert_int_equal(a->truncated, b->truncated);
	for (x = a->items, y = b->items; x != NULL && y != NULL;
	    x = x->next, y = y->next) {
		SAME_STR(x->id, y->id);
		SAME_STR(x->title, y->title);
		SAME_STR(x->link, y->link);
		SAME_STR(x->summary, y->summary);
		SAME_STR(x->content, y->content);
		SAME_STR(x->author, y->author);
		SAME_STR(x->tags, y->tags);
		assert_int_equal(x->published, y->published);
		assert_int_equal(x->published_guessed, y->published_guessed);
	}
	assert_true(x == NULL && y == NULL);
#undef SAME_STR
}

/*
 * Parse buf both ways: text and CDATA lifted out of libxml2's way, and
 * not.  Returns how many texts were lifted.
 */
static size_t
check_lift(const char *what, const char *buf, size_t len)
{
	struct parse_opts o1 = opts(), o2 = opts();
	struct parse_result r1, r2;
	char e1[256] = "", e2[256] = "";
	int rc1, rc2;
	size_t n;

	o2.no_lift = 1;
	rc1 = parse_feed(buf, len, &o1, &r1, e1, sizeof(e1));
	rc2 = parse_feed(buf, len, &o2, &r2, e2, sizeof(e2));
	assert_same_result(what, rc1, e1, &r1, rc2, e2, &r2);
	assert_int_equal(r2.n_lifted, 0);
	n = r1.n_lifted;
	parse_result_free(&r1);
	parse_result_free(&r2);
	return n;
}

#define RSS_ITEM(x) "<rss version=\"2.0\"><channel><item>" x \
    "</item></channel></rss>"

/*
 * Element text lifted too: references read as libxml2 reads them (its
 * five names, character references, sax_get_entity's HTML names and
 * unknown names), and everything it would reject left to it.  lift: 1
 * when the document must have lifted text, 0 when it must not (an error
 * makes the whole document be read again without lifting).
 */
static void
test_text_lifted_same(void **state)
{
	static const struct {
		int lift;
		const char *doc;
	} docs[] = {
		/* Escaped HTML over lines, then an error: the same line. */
		{ 0, RSS_ITEM("<title>A &amp; B</title><description>&lt;p&gt;"
		    "x\ny\n&lt;/p&gt;</description></item>\n<item><title>"
		    "t</titel>") },
		{ 1, RSS_ITEM("<title>A &amp; B &lt;&gt; &quot;q&quot; "
		    "&apos;a&apos;</title><description>&lt;p&gt;x\ny\n"
		    "&lt;/p&gt;</description>") },
		/* Character references, valid and not (the prescan repairs
		 * most bad ones before the lifting sees them; &#0; errs). */
		{ 1, RSS_ITEM("<title>&#38; &#x26; &#x41;&#97; &#233;&#x20AC;"
		    "&#x1F600; &#13;&#9;&#10; &#0000065;</title>") },
		{ 1, RSS_ITEM("<title>a &#X26; b</title>") },
		{ 0, RSS_ITEM("<title>a &#0; b</title>") },
		{ 1, RSS_ITEM("<title>a &#xD800; b</title>") },
		{ 1, RSS_ITEM("<title>a &#xFFFE; b</title>") },
		{ 1, RSS_ITEM("<title>a &#1114112; b</title>") },
		{ 1, RSS_ITEM("<title>a &#x10FFFF; &#1114111; b</title>") },
		{ 1, RSS_ITEM("<title>a &#; b &#x; c</title>") },
		/* HTML names, unknown names, odd name characters. */
		{ 1, RSS_ITEM("<title>&nbsp;x&mdash;y &eacute;&hellip; "
		    "&foo; &a.b-c:d_e; &_x;</title>") },
		{ 1, RSS_ITEM("<title>&abcdefghijabcdefghijabcdefghijabcdefghij"
		    "abcdefghijabcdefghijabcdefghijabcdefghij; x</title>") },
		{ 1, RSS_ITEM("<title>&a b; x</title>") },
		/* After a DOCTYPE, only the predefined names are read here. */
		{ 1, "<!DOCTYPE rss SYSTEM \"rss.dtd\">" RSS_ITEM("<title>x "
		    "&amp; &#233;</title><description>&nbsp;y</description>") },
		/* What libxml2 rejects or changes stays with it. */
		{ 0, RSS_ITEM("<title>a ]]> &amp; b</title>") },
		{ 1, RSS_ITEM("<title>a\tb &amp; c</title><description>"
		    "x\r\ny &amp; z\rw</description>") },
		{ 1, RSS_ITEM("<title>a \x01 &amp; b</title><description>"
		    "\xEF\xBF\xBE &amp;</description><link>\xC3\xA9</link>") },
		/* Multi-byte text without references; a marker look-alike. */
		{ 1, RSS_ITEM("<title>Caf\xC3\xA9 \xE2\x80\x94 r\xC3\xA9sum"
		    "\xC3\xA9</title>") },
		{ 1, RSS_ITEM("<title>\xEE\x80\x80" "0 &amp; x</title>"
		    "<description><![CDATA[\xEE\x80\x80" "1]]></description>") },
		{ 1, RSS_ITEM("<title> &amp; </title><description>&amp;"
		    "</description>") },
		/* Text after end tags and empty elements is left alone. */
		{ 1, RSS_ITEM("<title>x</title>tail &amp; more<category/>"
		    "\xC3\xA9<description>a&amp;b</description>") },
		/* Attributes with references and '>' inside quotes. */
		{ 1, RSS_ITEM("<link href=\"a?b=1&amp;c=2\" t=\"x>y\">"
		    "http://x.example/?a=1&amp;b=2</link><title t='&lt;'>"
		    "&lt;b&gt;</title>") },
		/* An XML declaration left open: libxml2 resumes elsewhere. */
		{ 0, "<?xml version=\"1.0\" encodin=\"1.0\"\n" RSS_ITEM(
		    "<title><![CDATA[x <y> ?> ]]></title><description>t&amp;u"
		    "</description>") },
		/* Atom xhtml and html content. */
		{ 1, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1"
		    "</id><title type=\"html\">&lt;b&gt;B&lt;/b&gt; &amp;amp; "
		    "c</title><content type=\"xhtml\"><div xmlns=\"http://www."
		    "w3.org/1999/xhtml\"><p>Para &amp; <b>bold \xC3\xA9</b> "
		    "tail &lt;</p></div></content></entry></feed>" },
	};
	struct strbuf many;
	size_t i;
	char what[64];

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		size_t n;

		snprintf(what, sizeof(what), "text document %zu", i);
		n = check_lift(what, docs[i].doc, strlen(docs[i].doc));
		if ((n > 0) != docs[i].lift)
			fail_msg("%s: %zu texts lifted", what, n);
	}
	/* Long escaped text: libxml2 hands it over in many pieces. */
	strbuf_init(&many);
	strbuf_adds(&many, "<rss version=\"2.0\"><channel><item><description>");
	for (i = 0; i < 300; i++)
		strbuf_addf(&many, "&lt;p&gt;Line %zu &amp;amp; \xC3\xA9&#x2014;"
		    "&lt;/p&gt;\n", i);
	strbuf_adds(&many, "</description></item></channel></rss>");
	assert_true(check_lift("long text", many.buf, many.len) > 0);
	strbuf_done(&many);
	/* NULs before a Latin-1 declaration, and UTF-8 as well as Latin-1
	 * bytes: the prescan drops the NULs and libxml2 reads the rest as
	 * Latin-1, so nothing is lifted. */
	{
		static const char nul[] = "<\0\0\0?xml version=\"1.0\" "
		    "encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel>"
		    "<title>Caf\xc3\xa9 &amp; x</title><item><title>\x93Soci"
		    "\xe9t\xe9\x94</title></item></channel></rss>";

		assert_int_equal(check_lift("NULs, then Latin-1", nul,
		    sizeof(nul) - 1), 0);
	}
}

static void
test_cdata_lifted_same(void **state)
{
	static const char *const files[] = {
		"atom03.xml", "atom10_xhtml_base.xml", "billion_laughs.xml",
		"empty.xml", "html_error_page.html", "rss091.xml",
		"rss10_rdf.xml", "rss20_cdata_entities.xml",
		"rss20_content_encoded.xml", "rss20_illformed_recover.xml",
		"rss20_media_dc_atomlink.xml", "rss20_missing_fields.xml",
		"rss20_odd_dates.xml", "rss20_utf16le_bom.xml",
		"rss20_windows1252_as_latin1.xml", "xxe_file.xml",
		"http/energy.xml", "http/markets.xml", "http/tech.atom",
	};
	static const char *const docs[] = {
		/* Newlines in a lifted section, then an error: same line. */
		"<rss version=\"2.0\"><channel><item><title><![CDATA[a\nb\n\nc]]>"
		"</title><description><![CDATA[<p>x &amp; y</p>\n]]></description>"
		"</item>\n<item><title>bad & worse</title></item></channel></rss>",
		/* Carriage returns are read as newlines: kept for libxml2. */
		"<rss version=\"2.0\"><channel><item><title><![CDATA[a\r\nb\rc]]>"
		"</title></item></channel></rss>",
		/* A CDATA opener inside a comment is no section. */
		"<rss version=\"2.0\"><channel><!-- <![CDATA[ --><item><title>"
		"<![CDATA[one]]></title></item><!-- ]]> --><item><title>two"
		"</title></item></channel></rss>",
		/* Text that starts like a marker. */
		"<rss version=\"2.0\"><channel><item><title><![CDATA[\xEE\x80\x80"
		"0]]></title><description><![CDATA[plain]]></description></item>"
		"</channel></rss>",
		"<rss version=\"2.0\"><channel><item><title><![CDATA[x\xEE\x80\x80"
		"0]]></title><description><![CDATA[\xEE\x80\x80]]></description>"
		"</item></channel></rss>",
		/* Brackets, empty sections, several sections in one field. */
		"<rss version=\"2.0\"><channel><item><title>a <![CDATA[]]]]>"
		"<![CDATA[>b]] ]]><![CDATA[]]> c</title><link><![CDATA["
		"http://x.example/a?b=1&c=2]]></link></item></channel></rss>",
		/* U+FFFE and a control character: libxml2's own handling. */
		"<rss version=\"2.0\"><channel><item><title><![CDATA[a\xEF\xBF\xBE"
		"b]]></title><description><![CDATA[c\x01d]]></description>"
		"</item></channel></rss>",
		/* A section that never ends. */
		"<rss version=\"2.0\"><channel><item><title><![CDATA[open]]></title>"
		"<description><![CDATA[never closed</description></item>"
		"</channel></rss>",
		/* Openers inside a processing instruction and an attribute,
		 * '>' in a quoted attribute, a DOCTYPE with a subset. */
		"<?xml version=\"1.0\"?><?pi <![CDATA[ ?><rss version=\"2.0\">"
		"<channel><item><title a=\"x>y\" b='<![CDATA['><![CDATA[t]]>"
		"</title><description><![CDATA[d ]]]]></description></item>"
		"</channel></rss>",
		"<rss version=\"2.0\"><channel><item><title a=\"1>2\">"
		"<![CDATA[t]]></title><guid isPermaLink='false'><![CDATA[g]]>"
		"</guid></item></channel></rss>",
		"<!DOCTYPE rss [ <!ENTITY e \"<![CDATA[\"> ]><rss version=\"2.0\">"
		"<channel><item><title><![CDATA[t]]></title></item></channel>"
		"</rss>",
		/* Atom: CDATA in html and text constructs, in a category. */
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>1</id>"
		"<title type=\"html\"><![CDATA[<b>Bold</b> &amp; more]]></title>"
		"<content type=\"html\"><![CDATA[<script>x()</script><p>Body</p>]]>"
		"</content><category term=\"t\"/></entry></feed>",
	};
	struct strbuf many;
	size_t i, len;
	char what[64];

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *buf = fixture(files[i], &len);

		(void)check_lift(files[i], buf, len);
		free(buf);
	}
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		snprintf(what, sizeof(what), "document %zu", i);
		(void)check_lift(what, docs[i], strlen(docs[i]));
	}
	/* A character libxml2 must see at every place of a word. */
	for (i = 0; i < 20; i++) {
		static const char *const odd[] = { "\x01", "\xEF\xBF\xBE",
		    "\xEF\xBF\xBF", "\r", "\xEF\xBC\x81" };
		size_t k;

		for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
			strbuf_init(&many);
			strbuf_addf(&many, "<rss version=\"2.0\"><channel><item>"
			    "<title><![CDATA[%.*s%s%.*s]]></title></item>"
			    "</channel></rss>", (int)i,
			    "abcdefghijklmnopqrstuvwxyz", odd[k], (int)(20 - i),
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
			snprintf(what, sizeof(what), "odd %zu at %zu", k, i);
			(void)check_lift(what, many.buf, many.len);
			strbuf_done(&many);
		}
	}
	/* Markers of more than one digit. */
	strbuf_init(&many);
	strbuf_adds(&many, "<rss version=\"2.0\"><channel>");
	for (i = 0; i < 40; i++)
		strbuf_addf(&many, "<item><guid><![CDATA[id-%zu]]></guid><title>"
		    "<![CDATA[Title %zu\nline]]></title><description><![CDATA["
		    "<p>Text %zu &eacute;</p>]]></description></item>", i, i, i);
	strbuf_adds(&many, "</channel></rss>");
	assert_true(check_lift("forty items", many.buf, many.len) >= 120);
	strbuf_done(&many);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amp_in_comment_not_flagged),
		cmocka_unit_test(test_bad_char_references),
		cmocka_unit_test(test_encoding_repairs_reported),
		cmocka_unit_test(test_declared_entities_and_itunes),
		cmocka_unit_test(test_rss_items_with_atom_and_authors),
		cmocka_unit_test(test_unknown_entity_kept),
		cmocka_unit_test(test_author_name_before_address),
		cmocka_unit_test(test_atom_base64_text),
		cmocka_unit_test(test_inline_script_hidden),
		cmocka_unit_test(test_atom_link_text),
		cmocka_unit_test(test_rss_xhtml_body),
		cmocka_unit_test(test_rss_summary_fullitem_and_typepad),
		cmocka_unit_test(test_mislabelled_encoding),
		cmocka_unit_test(test_rss20_content_encoded),
		cmocka_unit_test(test_rss091),
		cmocka_unit_test(test_rss10_rdf),
		cmocka_unit_test(test_atom10_xhtml_base),
		cmocka_unit_test(test_atom03),
		cmocka_unit_test(test_odd_dates),
		cmocka_unit_test(test_windows1252_as_latin1),
		cmocka_unit_test(test_utf16_bom),
		cmocka_unit_test(test_cdata_entities),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_xxe),
		cmocka_unit_test(test_not_a_feed),
		cmocka_unit_test(test_illformed_recover),
		cmocka_unit_test(test_missing_fields_stable_ids),
		cmocka_unit_test(test_media_dc_atomlink),
		cmocka_unit_test(test_huge_title),
		cmocka_unit_test(test_max_items),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_http_charset),
		cmocka_unit_test(test_truncated_document),
		cmocka_unit_test(test_cdata_lifted_same),
		cmocka_unit_test(test_text_lifted_same),
	};

	xmlInitParser();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

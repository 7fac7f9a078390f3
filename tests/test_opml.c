/*
 * test_opml.c - OPML import from a feed reader's export (folders, title vs
 * text, category paths, entities, repeats, non-feed outlines), rejection of
 * broken and hostile XML (external entities, entity bombs), and export that
 * parses back to the same URLs, names and tags.
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

#include "conf.h"
#include "opml.h"
#include "strbuf.h"
#include "util.h"

static char *
read_data(const char *path, size_t *len)
{
	char *buf = NULL, err[256];

	if (util_read_file(path, 1 << 20, &buf, len, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return buf;
}

static void
assert_tags(const struct conf_strv *v, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= v->n)
			fail_msg("missing tag '%s'", want[i]);
		assert_string_equal(v->v[i], want[i]);
	}
	assert_int_equal(v->n, i);
}

static int
parse_str(const char *s, struct opml_feed **f, size_t *n, char *err,
    size_t errlen)
{
	return opml_parse(s, strlen(s), f, n, err, errlen);
}

static void
test_reader_export(void **state)
{
	static const char *const fed[] = { "Central Banks", NULL };
	static const char *const ecb[] = { "Central Banks", "Europe",
		"Rates", NULL };
	static const char *const yahoo[] = { "Markets", "US Equities",
		"watchlist", "tech", NULL };
	static const char *const nasdaq[] = { "Markets", "US Equities",
		NULL };
	static const char *const mw[] = { "Markets", "News", "Wires",
		"Breaking", NULL };
	static const char *const again[] = { "Markets", NULL };
	static const char *const none[] = { NULL };
	struct opml_feed *f = NULL;
	size_t n = 0, len;
	char err[256] = "", *buf;

	(void)state;
	buf = read_data("tests/data/subscriptions.opml", &len);
	assert_int_equal(opml_parse(buf, len, &f, &n, err, sizeof(err)), 0);
	free(buf);
	/* Every outline with an xmlUrl, the repeat included; the link and
	 * the empty folder are not feeds. */
	assert_int_equal(n, 8);

	/* title wins over text. */
	assert_string_equal(f[0].url,
	    "https://www.federalreserve.gov/feeds/press_monetary.xml");
	assert_string_equal(f[0].title, "Fed Monetary");
	assert_tags(&f[0].tags, fed);

	/* text when there is no title; "/Europe/Rates" is a folder path. */
	assert_string_equal(f[1].url, "https://www.ecb.europa.eu/rss/press.html");
	assert_string_equal(f[1].title, "ECB Press Releases");
	assert_tags(&f[1].tags, ecb);

	/* Nested folders, entities in title and URL, comma categories. */
	assert_string_equal(f[2].url,
	    "https://feeds.finance.yahoo.com/rss/2.0/headline?s=AMZN,NVDA&"
	    "region=US&lang=en-US");
	assert_string_equal(f[2].title, "Yahoo AMZN & NVDA");
	assert_tags(&f[2].tags, yahoo);

	assert_string_equal(f[3].title, "Nasdaq \"AMZN\" news");
	assert_tags(&f[3].tags, nasdaq);

	/* "/News/Wires, Breaking": a path and a list together. */
	assert_string_equal(f[4].title, "MarketWatch Real-time");
	assert_tags(&f[4].tags, mw);

	assert_string_equal(f[5].url, f[0].url);
	assert_tags(&f[5].tags, again);

	assert_string_equal(f[6].title, "M&A Wire");
	assert_tags(&f[6].tags, none);

	/* No title and no text. */
	assert_string_equal(f[7].url, "https://techcrunch.com/feed/");
	assert_null(f[7].title);
	opml_feeds_free(f, n);
}

static void
test_variants(void **state)
{
	struct opml_feed *f = NULL;
	size_t n = 0;
	char err[256] = "";

	(void)state;
	/* OPML 1.0 as older readers write it: lower-case xmlurl, blank
	 * title falling back to text, white space around values, a folder
	 * without any name. */
	assert_int_equal(parse_str(
	    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    "<opml version=\"1.0\"><head><title>mySubscriptions</title>"
	    "</head><body>\n"
	    "<outline>\n"
	    "  <outline text=\"Caf\xe9 Finance\" title=\"  \" "
	    "xmlurl=\"  https://cafe.example.com/rss  \"/>\n"
	    "</outline>\n"
	    "<outline text=\"A\nB\" xmlUrl=\"https://b.example.com/rss\"/>\n"
	    "</body></opml>\n", &f, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(f[0].url, "https://cafe.example.com/rss");
	/* Latin-1 decoded to UTF-8. */
	assert_string_equal(f[0].title, "Caf\xc3\xa9 Finance");
	assert_int_equal(f[0].tags.n, 0);
	/* A newline in an attribute stays on one line. */
	assert_string_equal(f[1].title, "A B");
	opml_feeds_free(f, n);

	/* An empty body is an empty list, not an error. */
	assert_int_equal(parse_str("<opml version=\"2.0\"><head/><body/>"
	    "</opml>", &f, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	opml_feeds_free(f, n);
}

static void
test_bad_documents(void **state)
{
	struct opml_feed *f = (struct opml_feed *)1;
	size_t n = 7, len;
	char err[256] = "", *buf;

	(void)state;
	buf = read_data("tests/data/broken.opml", &len);
	assert_int_equal(opml_parse(buf, len, &f, &n, err, sizeof(err)), -1);
	free(buf);
	assert_null(f);
	assert_int_equal(n, 0);
	assert_true(strncmp(err, "not valid XML (line ", 20) == 0);
	assert_null(strchr(err, '\n'));

	assert_int_equal(parse_str("", &f, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "not valid XML (line 1: Document is empty)");
	assert_int_equal(parse_str("<rss version=\"2.0\"><channel/></rss>",
	    &f, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "not an OPML document (the root element is "
	    "not <opml>)");
	assert_int_equal(parse_str("<opml version=\"2.0\"><head/></opml>",
	    &f, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "OPML document has no <body>");
}

static void
test_no_external_entities(void **state)
{
	char tmpl[] = "/tmp/deskwire-xxe-XXXXXX", *dir, *secret, *doc, *buf;
	struct opml_feed *f = NULL;
	size_t n = 0, i, len;
	char err[256] = "";
	FILE *fp;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	secret = xasprintf("%s/secret.txt", dir);
	fp = fopen(secret, "w");
	assert_non_null(fp);
	fputs("TOPSECRET", fp);
	fclose(fp);

	/* An external entity in an attribute: refused, never read. */
	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE opml [ <!ENTITY s SYSTEM \"file://%s\"> ]>\n"
	    "<opml version=\"2.0\"><body>\n"
	    "<outline text=\"x &s;\" xmlUrl=\"https://a.example.com/&s;\"/>"
	    "</body></opml>\n", secret);
	assert_int_equal(parse_str(doc, &f, &n, err, sizeof(err)), -1);
	assert_null(strstr(err, "TOPSECRET"));
	assert_non_null(strstr(err, "external entity"));
	free(doc);

	/* In element content and through a parameter entity: the feeds
	 * load, the file's text appears nowhere. */
	doc = xasprintf("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE opml [ <!ENTITY s SYSTEM \"file://%s\">\n"
	    "  <!ENTITY %% p SYSTEM \"file://%s\"> %%p; ]>\n"
	    "<opml version=\"2.0\"><head><title>&s;</title></head><body>\n"
	    "<outline text=\"Wire\" xmlUrl=\"https://a.example.com/rss\">&s;"
	    "<outline text=\"Inner\" xmlUrl=\"https://b.example.com/rss\"/>"
	    "</outline></body></opml>\n", secret, secret);
	if (parse_str(doc, &f, &n, err, sizeof(err)) == 0) {
		assert_int_equal(n, 1);
		for (i = 0; i < n; i++) {
			assert_null(strstr(f[i].url, "TOPSECRET"));
			assert_null(f[i].title == NULL ? NULL :
			    strstr(f[i].title, "TOPSECRET"));
		}
		opml_feeds_free(f, n);
	} else
		assert_null(strstr(err, "TOPSECRET"));
	free(doc);

	/* The fixture pointing at /etc/passwd. */
	buf = read_data("tests/data/xxe.opml", &len);
	if (opml_parse(buf, len, &f, &n, err, sizeof(err)) == 0) {
		for (i = 0; i < n; i++)
			assert_null(f[i].title == NULL ? NULL :
			    strstr(f[i].title, "root:"));
		opml_feeds_free(f, n);
	} else
		assert_null(strstr(err, "root:"));
	free(buf);

	unlink(secret);
	free(secret);
	rmdir(dir);
}

static void
test_entity_bomb(void **state)
{
	struct strbuf sb;
	struct opml_feed *f = NULL;
	size_t n = 0;
	char err[256] = "";
	int i, j;

	(void)state;
	/* "Billion laughs": must be refused, not expanded. */
	strbuf_init(&sb);
	strbuf_adds(&sb, "<?xml version=\"1.0\"?>\n<!DOCTYPE opml [\n"
	    "<!ENTITY l0 \"laughlaughlaughlaugh\">\n");
	for (i = 1; i <= 9; i++) {
		strbuf_addf(&sb, "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			strbuf_addf(&sb, "&l%d;", i - 1);
		strbuf_adds(&sb, "\">\n");
	}
	strbuf_adds(&sb, "]>\n<opml version=\"2.0\"><body>"
	    "<outline text=\"&l9;\" xmlUrl=\"https://a.example.com/rss\"/>"
	    "</body></opml>\n");
	assert_int_equal(opml_parse(sb.buf, sb.len, &f, &n, err,
	    sizeof(err)), -1);
	assert_true(strncmp(err, "not valid XML", 13) == 0);
	strbuf_done(&sb);
}

static void
test_export_round_trip(void **state)
{
	static const char text[] =
	    "https://www.federalreserve.gov/feeds/press_monetary.xml "
	    "name=\"Fed <Monetary> & 'Co'\" tags=macro,fed\n"
	    "\"https://search.cnbc.com/rs/view.xml?partnerId=wrss01&id=10\" "
	    "name=\"CNBC \\\"Top\\\"\" tags=\"US Markets\"\n"
	    "https://techcrunch.com/feed/\n";
	struct conf c;
	struct strbuf sb;
	struct opml_feed *f = NULL;
	size_t n = 0, i;
	char err[256] = "";

	(void)state;
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "t.conf", text, strlen(text), err,
	    sizeof(err)), 0);
	strbuf_init(&sb);
	opml_export(&c, 0, &sb);
	assert_non_null(strstr(sb.buf, "<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
	assert_non_null(strstr(sb.buf, "<dateCreated>Thu, 01 Jan 1970 "
	    "00:00:00 GMT</dateCreated>"));
	/* Escaped, never raw. */
	assert_non_null(strstr(sb.buf, "text=\"Fed &lt;Monetary&gt; &amp; "
	    "&apos;Co&apos;\""));
	assert_non_null(strstr(sb.buf, "xmlUrl=\"https://search.cnbc.com/rs/"
	    "view.xml?partnerId=wrss01&amp;id=10\""));
	assert_non_null(strstr(sb.buf, "category=\"macro,fed\""));

	assert_int_equal(opml_parse(sb.buf, sb.len, &f, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, c.n_feeds);
	for (i = 0; i < n; i++) {
		size_t j;

		assert_string_equal(f[i].url, c.feeds[i].url);
		assert_string_equal(f[i].title, c.feeds[i].name);
		assert_int_equal(f[i].tags.n, c.feeds[i].tags.n);
		for (j = 0; j < f[i].tags.n; j++)
			assert_string_equal(f[i].tags.v[j],
			    c.feeds[i].tags.v[j]);
	}
	opml_feeds_free(f, n);
	strbuf_done(&sb);
	conf_free(&c);

	/* No feeds: still a valid, empty document. */
	conf_init(&c);
	strbuf_init(&sb);
	opml_export(&c, 0, &sb);
	assert_int_equal(opml_parse(sb.buf, sb.len, &f, &n, err,
	    sizeof(err)), 0);
	assert_int_equal(n, 0);
	opml_feeds_free(f, n);
	strbuf_done(&sb);
	conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_export),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_no_external_entities),
		cmocka_unit_test(test_entity_bomb),
		cmocka_unit_test(test_export_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

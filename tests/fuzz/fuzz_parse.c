/*
 * fuzz_parse.c - libFuzzer target for the feed parser and the text
 * helpers it feeds.  The first byte picks options (a Content-Type charset,
 * small limits) so those paths are reached too.  Every document is
 * parsed a second time with libxml2 reading all text and CDATA sections
 * itself: both results (or both errors) must be the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "parse.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0);
}

/* Parse again with all text left to libxml2; abort on a change. */
static void
same_without_lifting(const uint8_t *data, size_t size,
    const struct parse_opts *o, int rc, const char *err1,
    const struct parse_result *r)
{
	struct parse_opts k = *o;
	struct parse_result r2;
	const struct item *a, *b;
	char err[256];

	k.no_lift = 1;
	if (parse_feed((const char *)data, size, &k, &r2, err,
	    sizeof(err)) != rc)
		abort();
	if (rc != 0) {
		if (strcmp(err, err1) != 0)
			abort();
		parse_result_free(&r2);
		return;
	}
	if (r2.n_items != r->n_items || r2.recovered != r->recovered ||
	    differ(r2.feed_title, r->feed_title) ||
	    differ(r2.feed_link, r->feed_link) ||
	    differ(r2.format, r->format) || differ(r2.warning, r->warning))
		abort();
	for (a = r->items, b = r2.items; a != NULL && b != NULL;
	    a = a->next, b = b->next)
		if (differ(a->id, b->id) || differ(a->title, b->title) ||
		    differ(a->link, b->link) ||
		    differ(a->summary, b->summary) ||
		    differ(a->content, b->content) ||
		    differ(a->author, b->author) ||
		    differ(a->tags, b->tags) ||
		    a->published != b->published)
			abort();
	if (a != NULL || b != NULL)
		abort();
	parse_result_free(&r2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct parse_opts o;
	struct parse_result r;
	const struct item *it;
	char err[256], fit[64];
	unsigned sel;
	int rc;

	if (!init) {
		xmlInitParser();
		init = 1;
	}
	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	memset(&o, 0, sizeof(o));
	o.feed_url = sel & 1 ? "http://example.com/dir/feed.xml" : NULL;
	o.feed_name = "fuzz";
	o.fetch_time = 1700000000;
	o.content_type = sel & 2 ? "text/xml; charset=iso-8859-1" :
	    sel & 4 ? "application/rss+xml; charset=koi8-r" : NULL;
	o.max_items = sel & 8 ? 3 : 0;
	o.max_field = sel & 16 ? 50 : 0;
	rc = parse_feed((const char *)data, size, &o, &r, err, sizeof(err));
	same_without_lifting(data, size, &o, rc, err, &r);
	if (rc == 0) {
		for (it = r.items; it != NULL; it = it->next) {
			if (it->id == NULL)
				abort();	/* every item has an id */
			if (it->title != NULL) {
				if (o.max_field && strlen(it->title) >
				    o.max_field)
					abort();
				text_width(it->title);
				text_fit(it->title, 20, fit, sizeof(fit));
			}
		}
	}
	parse_result_free(&r);
	return 0;
}

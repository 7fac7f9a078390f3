/*
 * fuzz_parse.c - libFuzzer target for the feed parser and the text
 * helpers it feeds.  The first byte picks options (a Content-Type charset,
 * small limits) so those paths are reached too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "parse.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct parse_opts o;
	struct parse_result r;
	const struct item *it;
	char err[256], fit[64];
	unsigned sel;

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
	if (parse_feed((const char *)data, size, &o, &r, err,
	    sizeof(err)) == 0) {
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

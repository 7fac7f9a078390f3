/*
 * parse.h - RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 bytes -> items.  Pure: no
 * network, no files, no global state beyond libxml2's (call xmlInitParser()
 * once in main before threads start).
 */
#ifndef DESKWIRE_PARSE_H
#define DESKWIRE_PARSE_H

#include <stddef.h>
#include <time.h>

#include "item.h"

struct parse_opts {
	const char *feed_url;	/* base for relative links; may be NULL */
	const char *feed_name;	/* copied into item->feed; may be NULL */
	const char *content_type; /* HTTP Content-Type (charset); may be NULL */
	time_t fetch_time;	/* used when an item has no date */
	size_t max_items;	/* 0: 500 */
	size_t max_field;	/* bytes per text field; 0: 64 KiB */
	int no_lift;		/* 1: libxml2 reads all text and CDATA
				 * itself (slower, same result; for tests) */
};

struct parse_result {
	struct item *items;	/* next-linked list in document order; owned */
	size_t n_items;
	char *feed_title;	/* channel/feed title, plain text, or NULL */
	char *feed_link;
	char *format;		/* "rss2.0", "rss1.0", "rss0.91", "atom1.0", ... */
	int recovered;		/* 1: ill-formed XML read in recover mode */
	char *warning;		/* first XML error when recovered, or NULL */
	size_t truncated;	/* items dropped past max_items */
	size_t n_lifted;	/* texts read around libxml2 (faster, same
				 * result; for tests and benchmarks) */
};

/*
 * Parse len bytes (opts may be NULL: defaults).  Returns 0 with res filled
 * (items may be empty), or -1 with a message in err ("XML error at line
 * 1: ...", "not a feed: HTML page", "not a feed: root element <opml>",
 * "empty body") and res holding nothing.  The caller releases res with
 * parse_result_free() in both cases.
 *
 * Every item has an id (guid/id/rdf:about, else the link, else
 * "hash:<hex>" of title and date text, stable across fetches) and
 * published (the feed's date in UTC, else opts->fetch_time with
 * published_guessed set).  Every string is UTF-8 cleaned by text_clean()
 * and at most max_field bytes.  format is one of "rss0.90", "rss0.91",
 * "rss0.92", "rss2.0" (or "rss<version>", "rss" without one), "rss1.0",
 * "atom0.3", "atom1.0".  An ill-formed document that could still be read
 * gives 0 with recovered = 1 and the first error in warning.
 * Thread-safe: no global state is touched besides libxml2's own.
 */
int parse_feed(const char *buf, size_t len, const struct parse_opts *opts,
    struct parse_result *res, char *err, size_t errlen);
void parse_result_free(struct parse_result *res);

#endif

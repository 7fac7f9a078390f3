/*
 * opml.h - OPML 2.0 subscription lists in and out.  Pure: bytes in, feeds
 * out; a conf in, text out.
 */
#ifndef DESKWIRE_OPML_H
#define DESKWIRE_OPML_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "strbuf.h"

struct opml_feed {
	char *url;		/* xmlUrl */
	char *title;		/* title, else text; may be NULL */
	struct conf_strv tags;	/* category attribute parts + folders */
};

/*
 * Parse an OPML document (1.0 or 2.0): every outline with an xmlUrl is a
 * feed; the titles of enclosing outlines (folders) and the parts of its
 * category attribute ("/Markets/Rates,Fed") become tags.  Returns 0 with
 * an array owned by the caller (free with opml_feeds_free), or -1 with a
 * message (and nothing to free).  Never loads external entities or DTDs.
 */
int opml_parse(const char *buf, size_t len, struct opml_feed **out,
    size_t *n, char *err, size_t errlen);
void opml_feeds_free(struct opml_feed *feeds, size_t n);

/* Append c's feeds as an OPML 2.0 document to out. */
void opml_export(const struct conf *c, time_t now, struct strbuf *out);

#endif

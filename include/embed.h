/*
 * embed.h - files from data/ and themes/ compiled into the binary, so the
 * program runs standalone; the on-disk copies take precedence where a
 * module looks for them first.
 */
#ifndef DESKWIRE_EMBED_H
#define DESKWIRE_EMBED_H

#include <stddef.h>

/*
 * The embedded copy of a source-tree file, by its path relative to the
 * checkout ("data/tickers.tsv", "themes/default.theme").  Returns static,
 * NUL-terminated bytes (len set when non-NULL), or NULL if not embedded.
 */
const char *embed_get(const char *path, size_t *len);
/* The i-th embedded path (for listing themes), or NULL past the end. */
const char *embed_name(size_t i);

#endif

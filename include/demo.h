/*
 * demo.h - `deskwire --demo`: replays the bundled headlines
 * (data/demo_headlines.tsv) as a live stream, with no network.  A thread
 * backfills the last day's worth once, then "publishes" a few headlines
 * per second: each is analyzed, stored in the database (when one could be
 * opened) and pushed through the item queue like the poller's items.
 *
 * Environment (read at start):
 *   DESKWIRE_DEMO_RATE      headlines per second (default 1; 0: none)
 *   DESKWIRE_DEMO_LIMIT     stop after this many live headlines (0: never)
 *   DESKWIRE_DEMO_BACKFILL  headlines dated over the past day (default 40)
 */
#ifndef DESKWIRE_DEMO_H
#define DESKWIRE_DEMO_H

#include <stddef.h>

#include "analyze.h"
#include "itemq.h"

struct demo;

/*
 * Start the demo thread.  db_path (may be NULL: items get row ids of
 * their own and live in memory only), ctx (may be NULL: no annotation)
 * and q are borrowed and must outlive the demo.  Returns NULL with a
 * message if the bundled data is missing or the thread cannot start.
 */
struct demo *demo_start(const char *db_path, const struct analyze_ctx *ctx,
    struct itemq *q, char *err, size_t errlen);
/* Stop and join the thread; NULL is fine. */
void demo_stop(struct demo *d);

/* Parse the TSV (source, title, summary, link per line; '#' comments)
 * into a next-linked list of items (owned by the caller; *n set). */
struct item *demo_parse(const char *tsv, size_t *n);

#endif

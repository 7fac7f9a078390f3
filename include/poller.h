/*
 * poller.h - the ingest thread: due feeds -> fetch (libcurl multi) ->
 * parse -> dedupe -> analyze -> store (one transaction per feed) -> itemq.
 *
 * The poller owns its CURL handles and its own sqlite3 connection; the
 * only things shared with other threads are the itemq and the request
 * flags set by poller_refresh()/poller_stop().
 */
#ifndef DESKWIRE_POLLER_H
#define DESKWIRE_POLLER_H

#include "analyze.h"
#include "conf.h"
#include "itemq.h"

struct poller;

enum {
	POLLER_ONCE = 1 << 0,	/* poll every feed once, then finish */
	POLLER_FORCE = 1 << 1	/* ignore next-due times and backoff */
};

/*
 * Start the thread.  c, ctx and q are borrowed and must outlive the
 * poller.  New and updated items are pushed to q (the consumer owns
 * them); after every finished feed itemq_notify() is called.  With
 * POLLER_ONCE, itemq_close(q) is called when every feed is done.
 * If another process is polling this database, the poller stays idle and
 * poller_status() says so.  Returns NULL with a message on failure.
 */
struct poller *poller_start(const struct conf *c, const char *db_path,
    const struct analyze_ctx *ctx, struct itemq *q, int flags,
    char *err, size_t errlen);

/* Ask for an immediate poll of one feed (url) or of all (NULL).
 * Thread-safe; returns at once. */
void poller_refresh(struct poller *p, const char *url);

/* 1 if another instance holds the polling lock (we only read). */
int poller_is_passive(struct poller *p);

/* Stop and join the thread, free everything.  NULL is fine. */
void poller_stop(struct poller *p);

#endif

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
#include "store.h"

struct poller;

enum {
	POLLER_ONCE = 1 << 0,	/* poll every feed once, then finish */
	POLLER_FORCE = 1 << 1	/* ignore next-due times and backoff */
};

/*
 * Start the thread.  c, ctx and q are borrowed and must outlive the
 * poller; ctx may be NULL (items are then stored unannotated).  New and
 * updated items are pushed to q (the consumer owns them; a full queue
 * makes the poller wait, nothing is dropped); after every finished feed
 * itemq_notify() is called.  With POLLER_ONCE, itemq_close(q) is called
 * when every feed is done (or the poller could not start: see
 * poller_error()); without POLLER_FORCE a feed backing off after failures
 * or a Retry-After is then not polled but reported with its last error.
 * If another process is polling this database, the poller stays passive
 * (poller_is_passive()) and retries the lock every 30 s; with
 * POLLER_ONCE that is an error instead.  Returns NULL with a message if
 * the thread cannot be started.
 */
struct poller *poller_start(const struct conf *c, const char *db_path,
    const struct analyze_ctx *ctx, struct itemq *q, int flags,
    char *err, size_t errlen);

/*
 * Like poller_start(), but the poller builds its own analyzer with
 * analyze_new(c, data_dir) when the first item needs one (data_dir is
 * copied; NULL for the bundled data), and frees it in poller_stop(), so a
 * poll that only gets 304s never loads the dictionary.  If it cannot be
 * built, the poller stops and poller_error() says why.
 */
struct poller *poller_start_lazy(const struct conf *c, const char *db_path,
    const char *data_dir, struct itemq *q, int flags, char *err,
    size_t errlen);

/* Ask for an immediate poll of one feed (url) or of all (NULL).
 * Thread-safe; returns at once. */
void poller_refresh(struct poller *p, const char *url);

/*
 * Ask for a deeper analysis of the stored item rowid by conf->analysis_cmd
 * (on demand: whatever its impact).  Thread-safe; returns at once.  The
 * updated item is pushed to the queue when the command is done.  Returns
 * -1 when no analysis_cmd is configured.
 */
int poller_analyze(struct poller *p, long long rowid);

/* 1 if another instance holds the polling lock (we only read). */
int poller_is_passive(struct poller *p);

/* One configured feed as the poller sees it (poller_feeds()). */
struct poller_feed {
	struct store_feed st;	/* polling state, as saved in the store */
	int polled;		/* attempted (or skipped) since the start */
	int skipped;		/* POLLER_ONCE: held off by backoff */
	int ok;			/* the last attempt succeeded */
	int busy;		/* a transfer is running */
	long n_new;		/* new or updated items from the last poll */
};

/*
 * A snapshot of every configured feed, in feeds.conf order: an array
 * owned by the caller (release with poller_feeds_free()).  Thread-safe.
 */
size_t poller_feeds(struct poller *p, struct poller_feed **out);
void poller_feeds_free(struct poller_feed *v, size_t n);

/* Copy a fatal error of the thread (e.g. the store could not be
 * opened) into buf and return 1, or return 0 if there is none. */
int poller_error(struct poller *p, char *buf, size_t len);

/*
 * Stop and join the thread, free everything.  NULL is fine.  Closes q
 * first so that a poller waiting on a full queue is released; q itself
 * stays the caller's.
 */
void poller_stop(struct poller *p);

#endif

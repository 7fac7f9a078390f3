/*
 * store.h - SQLite history: feeds and their polling state, items with
 * their annotations, user state (read, starred, note), the watchlist.
 *
 * One struct store per thread (each has its own sqlite3 connection, WAL
 * mode, busy timeout), never shared.  Every call returns 0 or -1 with a
 * message for the user in err; a failed call leaves the database as it was
 * (each write is one transaction).  Several processes may open the same
 * file: readers never wait, writers wait for each other (a minute at
 * most) instead of failing with "database is locked".
 *
 * Messages name the file and what to do: a full disk, a read-only or
 * corrupt file, a schema from a newer deskwire.  A file the user cannot
 * write (or made read-only) opens read-only: reads work, writes fail
 * with a message, store_is_readonly() says so.
 *
 * Retention is not automatic inside the store: the poller calls
 * store_gc_auto() (a no-op unless the last gc is a day old) from its
 * thread, `deskwire gc` calls store_gc() directly.
 */
#ifndef DESKWIRE_STORE_H
#define DESKWIRE_STORE_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "item.h"

#define STORE_SCHEMA_VERSION 6

struct store;

enum {
	STORE_READONLY = 1 << 0	/* open read-only (no migration) */
};

/*
 * Open (creating the file and its directory 0700 if needed) and migrate.
 * A database from a newer schema, a corrupt file or an unwritable one is
 * refused with a message naming the file and what to do.
 */
struct store *store_open(const char *path, int flags, char *err,
    size_t errlen);
/* Closes the connection and releases the poll lock; NULL is fine. */
void store_close(struct store *s);
/* 1 if the store could only be opened read-only. */
int store_is_readonly(const struct store *s);
/* Checkpoints the store's background thread has run (0 before it was
 * needed): the WAL is copied into the database file off the writer's
 * thread once it passes 16 MiB. */
long long store_checkpoints(struct store *s);
/* The database file (borrowed, valid until store_close). */
const char *store_path(const struct store *s);

/* The meta table: *out is a heap copy (NULL if unset). */
int store_meta_get(struct store *s, const char *key, char **out, char *err,
    size_t errlen);
int store_meta_set(struct store *s, const char *key, const char *value,
    char *err, size_t errlen);

/*
 * The full-text index follows the items instead of being written with
 * them: ingest leaves new items out of it, so that a fetch pays only for
 * storing them.  Indexes up to max of the items not in the index yet
 * (oldest first) in a transaction of its own; *done is how many, and
 * fewer than max means none is left.  A search (store_query_each()) first
 * indexes all that are left; the poller of a long-running process does it
 * in the background.  Not inside a batch.  A read-only store indexes
 * nothing (returns 0): its searches see the items indexed so far.
 * Failure leaves the index as it was.
 */
int store_fts_catch_up(struct store *s, size_t max, size_t *done, char *err,
    size_t errlen);

/* Feed polling state, as the poller keeps it and `deskwire feeds` shows. */
struct store_feed {
	long long id;
	char *url;
	char *name;
	char *etag;
	char *last_modified;
	time_t last_attempt;
	time_t last_success;
	time_t next_due;
	int http_status;
	char *last_error;	/* NULL when the last attempt succeeded */
	char *warning;		/* what the last document read needed
				 * repaired ("XML error at line 12: ...",
				 * a wrong encoding), or NULL */
	int failures;		/* consecutive */
	long items_seen;	/* in the last successful fetch */
	long n_items;		/* stored (filled by store_feeds()) */
};
void store_feed_clear(struct store_feed *f);

/* Insert missing feeds from c (by URL) and update their names. */
int store_sync_feeds(struct store *s, const struct conf *c, char *err,
    size_t errlen);
/* Polling state of the feed with this url; -1 if unknown. */
int store_feed_get(struct store *s, const char *url, struct store_feed *out,
    char *err, size_t errlen);
/* Every feed (array owned by the caller; free each with
 * store_feed_clear() then the array). */
int store_feeds(struct store *s, struct store_feed **out, size_t *n,
    char *err, size_t errlen);
/* The same with n_items left 0: reads no item, so that a poll whose
 * feeds all answer 304 touches no item page (the poller's start). */
int store_feed_states(struct store *s, struct store_feed **out, size_t *n,
    char *err, size_t errlen);
/* Save polling state only (e.g. a 304 or an error); by f->url. */
int store_feed_save(struct store *s, const struct store_feed *f, char *err,
    size_t errlen);

/*
 * Called for every new or changed item before it is written, so that only
 * those are analyzed.  repeat is 1 when the same story is already stored
 * from another feed.
 */
typedef void (*store_annotate_fn)(void *arg, struct item *it, int repeat);

/*
 * annotate runs inside the write transaction: keep it quick (no network,
 * no external command).
 *
 * All or nothing: save f's polling state and upsert the items (a
 * next-linked list, borrowed).  Items already stored unchanged are skipped
 * (no analysis, no write); new ones are inserted, changed ones updated in
 * place (is_update = 1).  Each written item gets rowid, story_id,
 * n_sources and first_seen set, then is moved onto *fresh (owned by the
 * caller) in feed order; the rest stay in items for the caller to free.
 * On error nothing of this feed is written and every item is handed back
 * in *items.
 *
 * Outside a batch this is one transaction.  Inside one (see below) what
 * it wrote is saved by store_batch_commit(), not before; a failure
 * before its first write (a feed without a URL, say) leaves the batch
 * as it was, one after it undoes the whole batch.
 */
int store_ingest(struct store *s, const struct store_feed *f,
    struct item **items, store_annotate_fn annotate, void *arg,
    struct item **fresh, char *err, size_t errlen);

/*
 * Compute it->hashes (any thread, no store needed; scratch is a work
 * buffer of the caller's): the hashes store_ingest() dedupes and clusters
 * by, from the item's title, summary, content and link, which must not
 * change afterwards.  store_ingest() computes them for an item without.
 */
void store_item_prehash(struct item *it, struct strbuf *scratch);

/*
 * A batch: one write transaction around several store_ingest() calls
 * (and any other writes), so that a burst of feeds costs one commit
 * instead of one per feed.  begin takes the write lock (other writers
 * wait until commit: keep a batch short, ~200 ms); commit saves
 * everything written since begin, or on failure (returns -1) nothing:
 * then every feed ingested in the batch must be treated as failed and
 * its fresh items as not stored.  rollback drops the batch.  A batch
 * survives a feed's failure only when the feed had written nothing yet;
 * otherwise (and when SQLite itself rolled the transaction back: a full
 * disk, an I/O error) the batch is undone at once, later writes in it
 * fail, and commit reports it.
 * store_batch_items() counts the items written in the open batch.
 */
int store_batch_begin(struct store *s, char *err, size_t errlen);
int store_batch_commit(struct store *s, char *err, size_t errlen);
void store_batch_rollback(struct store *s);
int store_batch_active(const struct store *s);
size_t store_batch_items(const struct store *s);

struct store_query {
	const char *ticker;	/* NULL: any */
	const char *category;	/* NULL: any */
	const char *search;	/* FTS5 over title+summary; NULL: none */
	const char *feed_url;	/* NULL: any */
	double min_impact;	/* 0: any */
	time_t since;		/* 0: any (by published) */
	int unread_only;
	int starred_only;
	int by_impact;		/* order by impact desc, else newest first */
	long limit;		/* 0: unlimited */
	long offset;
};

/* Matching items, newest (or highest impact) first, as a next-linked list
 * owned by the caller; *n is its length.  q->search is user text: any
 * input is safe (words are quoted), all words must match, "word*" is a
 * prefix; text without a letter or digit matches nothing.  With a limit,
 * a search ranks only the 1,000 (or 5 x limit) most recently stored
 * matches by date, which keeps a common word fast; without a limit it is
 * exact. */
int store_query(struct store *s, const struct store_query *q,
    struct item **out, size_t *n, char *err, size_t errlen);
/* The same, streamed: fn gets each item (owned by fn) in order and
 * returns non-zero to stop early. */
typedef int (*store_item_fn)(void *arg, struct item *it);
int store_query_each(struct store *s, const struct store_query *q,
    store_item_fn fn, void *arg, char *err, size_t errlen);
/*
 * Story clustering keys (heap, NULL when too generic to cluster on):
 * the link without scheme, "www.", tracking parameters (utm_*, fbclid,
 * gclid, mc_cid, ...), fragment and trailing slash, host lower-cased;
 * the title lower-cased with punctuation as spaces (at least 4 words).
 */
char *store_link_key(const char *link);
char *store_title_key(const char *title);
/*
 * User search text as a safe FTS5 query (heap), NULL if no words.  Each
 * word is cut into tokens by the index's own tokenizer; the words of
 * several tokens ("S&P") are also put in *phrases (heap, '\n'-separated
 * token sequences, a trailing '*' for a prefix; NULL if none), which
 * the query checks against the item's text.  phrases may be NULL.
 */
char *store_fts_query(struct store *s, const char *text, char **phrases);
/* One item by row id (owned by the caller), or -1. */
int store_get(struct store *s, long long rowid, struct item **out,
    char *err, size_t errlen);
/* Names of the feeds carrying story_id, first reporter first (caller
 * frees with conf_strv_free). */
int store_story_sources(struct store *s, long long story_id,
    struct conf_strv *out, char *err, size_t errlen);

int store_set_read(struct store *s, long long rowid, int read, char *err,
    size_t errlen);
/* Mark every item (or, with feed_url, that feed's) read. */
int store_mark_all_read(struct store *s, const char *feed_url, char *err,
    size_t errlen);
int store_set_starred(struct store *s, long long rowid, int starred,
    char *err, size_t errlen);
int store_set_note(struct store *s, long long rowid, const char *note,
    char *err, size_t errlen);
/* Replace the stored annotation of rowid. */
int store_set_annotation(struct store *s, long long rowid,
    const struct item_annotation *ann, char *err, size_t errlen);

/* The watchlist as edited from the UI (upper-case tickers, in the order
 * added; caller frees with conf_strv_free).  add/remove take any case and
 * refuse what is not a ticker symbol; adding twice keeps one entry. */
int store_watchlist(struct store *s, struct conf_strv *out, char *err,
    size_t errlen);
int store_watchlist_add(struct store *s, const char *ticker, char *err,
    size_t errlen);
int store_watchlist_remove(struct store *s, const char *ticker, char *err,
    size_t errlen);

struct store_ticker_stat {
	char ticker[ITEM_TICKER_LEN];
	long count;		/* items since the window start */
	double max_impact;
	double net_sentiment;	/* mean sentiment */
	time_t latest;		/* published of the newest item */
	int hourly[24];		/* items per hour, [23] = the latest hour */
};
/* Per-ticker counts and max impact since `since` (now - 24h typically),
 * for the given tickers (NULL, 0: every ticker seen). */
int store_ticker_stats(struct store *s, time_t since, time_t now,
    const char *const *tickers, size_t n_tickers,
    struct store_ticker_stat **out, size_t *n, char *err, size_t errlen);

/* Retention: drop items older than days (0: keep) and beyond per_feed
 * per feed (0: no cap); starred items are kept and do not count against
 * the cap.  Records the time (store_last_gc).  *removed is set. */
int store_gc(struct store *s, long days, long per_feed, long *removed,
    char *err, size_t errlen);
/* Time of the last gc (0 if never). */
time_t store_last_gc(struct store *s);
/* 1 when a gc is due (none in the last 24 hours) and the store is
 * writable. */
int store_gc_due(struct store *s, time_t now);
/* store_gc() if due, else nothing (*removed = 0). */
int store_gc_auto(struct store *s, long days, long per_feed, long *removed,
    char *err, size_t errlen);
/* Compact the file (VACUUM); only on request, it rewrites everything. */
int store_vacuum(struct store *s, char *err, size_t errlen);

/*
 * Re-annotate every item whose analyzer version differs from version
 * (all items when force), in batches of 256 (one transaction each);
 * annotate is called for each, with repeat as at ingest.  *done is set to
 * the count.  Stops between batches and returns 0 when *cancel becomes
 * non-zero (may be NULL; it is read atomically, so another thread may set
 * it with __atomic_store_n, or a signal handler); finished batches stay
 * saved.
 */
int store_reanalyze(struct store *s, int version, int force,
    store_annotate_fn annotate, void *arg, const volatile int *cancel,
    long *done, char *err, size_t errlen);

/*
 * The polling lock: one process polls a database at a time.  Returns 1 if
 * this store now holds it (until store_close), 0 if another process does.
 */
int store_poll_lock(struct store *s);

#endif

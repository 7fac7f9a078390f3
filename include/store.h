/*
 * store.h - SQLite history: feeds and their polling state, items with
 * their annotations, user state (read, starred, note), the watchlist.
 *
 * One struct store per thread (each has its own sqlite3 connection, WAL
 * mode, busy timeout), never shared.  Every call returns 0 or -1 with a
 * message for the user in err; a failed call leaves the database as it was
 * (each write is one transaction).
 */
#ifndef DESKWIRE_STORE_H
#define DESKWIRE_STORE_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "item.h"

#define STORE_SCHEMA_VERSION 1

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
void store_close(struct store *s);
/* 1 if the store could only be opened read-only. */
int store_is_readonly(const struct store *s);

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
 * In one transaction: save f's polling state and upsert the items (a
 * next-linked list, borrowed).  Items already stored unchanged are skipped
 * (no analysis, no write); new ones are inserted, changed ones updated in
 * place (is_update = 1).  Each written item gets rowid, story_id,
 * n_sources and first_seen set, then is moved onto *fresh (owned by the
 * caller) in feed order; the rest stay in items for the caller to free.
 * On error nothing is written.
 */
int store_ingest(struct store *s, const struct store_feed *f,
    struct item **items, store_annotate_fn annotate, void *arg,
    struct item **fresh, char *err, size_t errlen);

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
 * owned by the caller; *n is its length. */
int store_query(struct store *s, const struct store_query *q,
    struct item **out, size_t *n, char *err, size_t errlen);
/* One item by row id (owned by the caller), or -1. */
int store_get(struct store *s, long long rowid, struct item **out,
    char *err, size_t errlen);
/* Names of the feeds carrying story_id (caller frees with
 * conf_strv_free). */
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

/* The watchlist as edited from the UI (upper-case tickers, in order). */
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
 * per feed (0: no cap); starred items are kept.  *removed is set. */
int store_gc(struct store *s, long days, long per_feed, long *removed,
    char *err, size_t errlen);
/* Time of the last gc (0 if never) / record one now. */
time_t store_last_gc(struct store *s);
int store_vacuum(struct store *s, char *err, size_t errlen);

/*
 * Re-annotate every item whose analyzer version differs from version
 * (all items when force), in batches; annotate is called for each.
 * *done is set to the count.  Stops early and returns 0 when *cancel
 * becomes non-zero (may be NULL).
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

/*
 * store_int.h - what the store_*.c files share: the connection, the cache
 * of prepared statements, stepping with retry and error messages.  Not a
 * public header: only src/store*.c include it.
 */
#ifndef DESKWIRE_STORE_INT_H
#define DESKWIRE_STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "store.h"

/* Named statements, prepared once on first use and kept until close. */
enum store_stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_META_GET,
	ST_META_SET,
	ST_FEED_UPSERT,
	ST_FEED_SYNC,
	ST_FEED_GET,
	ST_FEED_ALL,
	ST_ITEM_LOOKUP,
	ST_ITEM_UPSERT,
	ST_STORY_BY_LINK,
	ST_STORY_BY_TITLE,
	ST_STORY_NEW,
	ST_STORY_OTHER_FEED,
	ST_STORY_UPDATE,
	ST_TICKERS_DEL,
	ST_TICKER_ADD,
	ST_CATS_DEL,
	ST_CAT_ADD,
	ST_ANN_SET,
	ST_FTS_ADD,
	ST_FTS_DEL,
	ST_ITEM_GET,
	ST_ITEM_PUBLISHED,
	ST_SET_READ,
	ST_SET_STARRED,
	ST_SET_NOTE,
	ST_READ_ALL,
	ST_READ_FEED,
	ST_STORY_SOURCES,
	ST_WATCH_LIST,
	ST_WATCH_ADD,
	ST_WATCH_DEL,
	ST_STATS_ALL,
	ST_STATS_ONE,
	ST_REANALYZE_BATCH,
	ST_REANALYZE_ALL,
	ST__COUNT
};

/* Query shapes for store_query(): one bit per filter present. */
enum {
	QF_TICKER = 1 << 0,
	QF_CATEGORY = 1 << 1,
	QF_SEARCH = 1 << 2,
	QF_FEED = 1 << 3,
	QF_IMPACT = 1 << 4,
	QF_SINCE = 1 << 5,
	QF_UNREAD = 1 << 6,
	QF_STARRED = 1 << 7,
	QF_BY_IMPACT = 1 << 8,
	QF__COUNT = 1 << 9
};

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int lock_fd;			/* poll lock file, -1 if not held */
	sqlite3_stmt *st[ST__COUNT];
	sqlite3_stmt *q[QF__COUNT];	/* store_query shapes */
};

/* The cached statement id, reset and with bindings cleared; NULL (and a
 * message in err) if it cannot be prepared. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id, char *err,
    size_t errlen);
/* Prepare sql with the persistent flag; NULL and a message on error. */
sqlite3_stmt *store_prepare(struct store *s, const char *sql, char *err,
    size_t errlen);
/* sqlite3_step() that waits out SQLITE_BUSY beyond the busy timeout. */
int store_step(sqlite3_stmt *st);
/* Run a statement that returns no rows (reset afterwards); SQLite rc. */
int store_run(sqlite3_stmt *st);
/* Execute SQL text (schema, pragmas) with busy retries; SQLite rc. */
int store_exec(struct store *s, const char *sql);
/* Write a user-facing message for SQLite result rc while doing `what`;
 * returns -1. */
int store_fail(struct store *s, int rc, const char *what, char *err,
    size_t errlen);
/* BEGIN IMMEDIATE (waiting for another writer) / COMMIT / ROLLBACK. */
int store_begin(struct store *s, char *err, size_t errlen);
int store_commit(struct store *s, char *err, size_t errlen);
void store_rollback(struct store *s);

/* Bind a C string or NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Bind the 64-bit hash of a clustering key, or NULL for none. */
void store_bind_key(sqlite3_stmt *st, int i, const char *key);
/* A heap copy of column i or NULL. */
char *store_col_strdup(sqlite3_stmt *st, int i);

/* Schema (store_schema.c): bring the database to STORE_SCHEMA_VERSION. */
int store_migrate(struct store *s, char *err, size_t errlen);
/* Current user_version, or -1 with a message. */
int store_schema_version(struct store *s, char *err, size_t errlen);

/* Ingest helpers (store_ingest.c), also used by the migration. */
uint64_t store_content_hash(const struct item *it);
/* Find the story an item with these keys joins, 0 if none. */
int store_find_story(struct store *s, const char *link_key,
    const char *title_key, time_t published, long long *story_id,
    char *err, size_t errlen);
/* Write the annotation of rowid: the item row's columns when row is set
 * (ingest writes them with the row itself), then the ticker and category
 * index rows (is_new: none exist yet). */
int store_write_annotation(struct store *s, long long rowid,
    time_t published, const struct item_annotation *ann, int row,
    int is_new, char *err, size_t errlen);
/* Upsert f's polling state by URL and return its row id in *id. */
int store_feed_upsert(struct store *s, const struct store_feed *f,
    long long *id, char *err, size_t errlen);

/* The item columns every reader selects (the last is i.feed_id), the
 * FROM clause they need, and their decoder. */
extern const char store_item_cols[];
extern const char store_item_from[];
struct item *store_item_from_row(sqlite3_stmt *st);

#endif

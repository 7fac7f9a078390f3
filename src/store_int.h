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

/* Story clustering: items with the same title published this close
 * (seconds), with the same link this close. */
#define STORE_TITLE_WINDOW (48 * 3600)
#define STORE_LINK_WINDOW (4 * 86400)

/* Named statements, prepared once on first use and kept until close. */
enum store_stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_DATA_VERSION,
	ST_MAX_ITEM,
	ST_META_GET,
	ST_META_SET,
	ST_FEED_UPSERT,
	ST_FEED_UPDATE,
	ST_FEED_SYNC,
	ST_FEED_NAMES,
	ST_FEED_GET,
	ST_FEED_ALL,
	ST_FEED_STATES,
	ST_ITEM_LOOKUP,
	ST_ITEM_INSERT,
	ST_ITEM_UPDATE,
	ST_ITEM_OLD_ANN,
	ST_TITLES_LOAD,
	ST_STORY_FOUNDER,
	ST_STORY_OTHER_FEED,
	ST_STORY_FEEDS,
	ST_STORY_UPDATE,
	ST_TICKER_DEL,
	ST_CAT_DEL,
	ST_CAT_NEW,
	ST_CAT_ID,
	ST_ANN_SET,
	ST_FTS_ADD,
	ST_FTS_DEL,
	ST_FTS_PENDING,
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
	QF_CATBIT = 1 << 9,	/* the category is a bit of items.cats */
	QF_PHRASE = 1 << 10,	/* search words of several tokens */
	QF_TAIL = 1 << 11,	/* also items not in the full-text index */
	QF__COUNT = 1 << 12
};

/* Categories with ids 1..STORE_CAT_BITS are bits 0..62 of items.cats;
 * later ones have item_categories rows (see store_schema.c). */
#define STORE_CAT_BITS 63
#define STORE_CAT_CACHE 128

struct cat_ent {
	char name[ITEM_CATEGORY_LEN];
	size_t len;
	long long id;
};

/*
 * Full-text changes queued until the batch commits (see store_ingest.c):
 * the texts live in one arena (offsets, SIZE_MAX for NULL), so queueing
 * costs no allocation per item and a rolled-back feed truncates both.
 */
struct fts_op {
	long long rowid;
	int del;
	size_t title, summary;
};

struct fts_queue {
	struct fts_op *v;
	size_t n, cap;
	struct strbuf text;
};

/*
 * Story clustering by title (store_titles.c): the title hashes of every
 * stored item published at or after lo, with their date and story, in an
 * open-addressing table (hash 0 marks a free slot).  Valid while `loaded`;
 * dropped when another connection inserted or deleted items (checked
 * through PRAGMA data_version at each batch) and after a rollback.
 */
struct title_ent {
	uint64_t hash;
	long long published;
	long long story;
};

struct title_map {
	struct title_ent *v;
	size_t cap, n;		/* cap: a power of two, or 0 */
	int loaded;
	long long lo;
	long long max_id;	/* newest items.id this map has seen */
	long long last_gc;	/* meta last_gc when loaded */
	long long data_version;
};

/* The full-text index's tokenizer, as written in its CREATE statement. */
#define STORE_FTS_TOKENIZER "unicode61 remove_diacritics 2"

struct fts_tok;
struct ckpt;

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int lock_fd;			/* poll lock file, -1 if not held */
	long page_size;			/* bytes, read once opened */
	int batch;			/* a batch transaction is open */
	long long fts_upto;		/* meta fts_upto, read at batch start */
	int batch_lost;			/* ...and it was rolled back */
	sqlite3_int64 unit_changes;	/* sqlite3_total_changes64() when the
					 * batch's current unit began */
	size_t batch_items;		/* items written in the batch */
	sqlite3_stmt *st[ST__COUNT];
	sqlite3_stmt *q[QF__COUNT];	/* store_query shapes */
	/* Multi-row inserts of an item's ticker and category rows, by row
	 * count (index 0 unused). */
	sqlite3_stmt *tk_ins[ITEM_MAX_ENTITIES + 1];
	sqlite3_stmt *cat_ins[ITEM_MAX_CATEGORIES + 1];
	struct fts_queue fq;
	struct title_map titles;
	/* Category ids met so far: an id never changes once committed;
	 * emptied at rollback (an id just taken may be undone). */
	struct cat_ent cats_seen[STORE_CAT_CACHE];
	size_t n_cats_seen;
	long long cat_mask;		/* of the item being written */
	/* Scratch for one item at a time: clustering keys and the flat
	 * annotation lists, reused so that ingest allocates nothing per
	 * item once warm. */
	struct strbuf key, ents, parts, cats, tks;
	/* FTS5's tokenizer for search words and phrase checks; owned by
	 * the connection (freed when it closes). */
	struct fts_tok *tok;
	struct ckpt *ckpt;	/* the checkpoint thread (store.c), or NULL */
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
/* The integer the named statement (without parameters) gives, 0 if no
 * row; -1 with "<what>: ..." in err on an error. */
int store_scalar(struct store *s, enum store_stmt_id id, long long *out,
    const char *what, char *err, size_t errlen);
/* Execute SQL text (schema, pragmas) with busy retries; SQLite rc. */
int store_exec(struct store *s, const char *sql);
/* Write a user-facing message for SQLite result rc while doing `what`;
 * returns -1. */
int store_fail(struct store *s, int rc, const char *what, char *err,
    size_t errlen);
/* BEGIN IMMEDIATE (waiting for another writer) / COMMIT / ROLLBACK.
 * Inside a batch they delimit a unit of it instead: begin notes the
 * connection's change count, commit does nothing (the batch's commit
 * saves the unit), and rollback undoes nothing when the unit wrote
 * nothing, else rolls the whole batch back (batch_lost). */
int store_begin(struct store *s, char *err, size_t errlen);
int store_commit(struct store *s, char *err, size_t errlen);
void store_rollback(struct store *s);

/* Bind a C string or NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* A heap copy of column i or NULL. */
char *store_col_strdup(sqlite3_stmt *st, int i);

/* Full text (store_query.c): the search tokenizer and the dw_phrase()
 * SQL function on s->db; -1 with a message if FTS5 is missing. */
int store_fts_init(struct store *s, char *err, size_t errlen);

/* Schema (store_schema.c): bring the database to STORE_SCHEMA_VERSION. */
int store_migrate(struct store *s, char *err, size_t errlen);
/* Current user_version, or -1 with a message. */
int store_schema_version(struct store *s, char *err, size_t errlen);

/* Ingest helpers (store_ingest.c), also used by the migration. */
uint64_t store_content_hash(const struct item *it);
/* The clustering keys into sb (reset first); 0 when too generic. */
int store_link_key_buf(const char *link, struct strbuf *sb);
int store_title_key_buf(const char *title, struct strbuf *sb);
/* Find the story an item with these key hashes (0: none) joins, 0 if
 * none. */
int store_find_story(struct store *s, uint64_t link_hash,
    uint64_t title_hash, time_t published, long long *story_id,
    char *err, size_t errlen);
/* Write the annotation of rowid: the item row's columns when row is set
 * (ingest writes them with the row itself), then the ticker and category
 * index rows (is_new: none exist yet, else the old ones are removed). */
int store_write_annotation(struct store *s, long long rowid,
    time_t published, const struct item_annotation *ann, int row,
    int is_new, char *err, size_t errlen);
/* The id of category name (len bytes, compared without case) in *id;
 * unknown: 0, or with create a new id (inside a write transaction). */
int store_cat_id(struct store *s, const char *name, size_t len, int create,
    long long *id, char *err, size_t errlen);
/* Forget the cached category ids (store_rollback). */
void store_cats_reset(struct store *s);
/* Write the queued full-text changes (at batch commit) / drop those
 * queued from index `from` on (a rolled-back feed; 0: all). */
int store_fts_flush(struct store *s, char *err, size_t errlen);
void store_fts_clear(struct store *s, size_t from);
/* The meta fts_upto: every item with an id up to it is in the full-text
 * index, none above (0 when unset). */
int store_fts_upto(struct store *s, long long *upto, char *err,
    size_t errlen);
/* Free the ingest scratch and queues (store_close). */
void store_ingest_done(struct store *s);

/* The clustering map (store_titles.c).  find: the story of the earliest
 * item with this key published within `window` seconds of published (0
 * if none), loading what the map lacks.  Keys are title hashes, and link
 * hashes through store_link_map_key(). */
int store_titles_find(struct store *s, uint64_t key, time_t published,
    long window, long long *story, char *err, size_t errlen);
uint64_t store_link_map_key(uint64_t link_hash);
/* Record a written item's title and link hashes (0: none), if published
 * at or after the map's reach. */
void store_titles_add(struct store *s, uint64_t title_hash,
    uint64_t link_hash, time_t published, long long story,
    long long rowid);
/* Forget everything (reloaded on the next find). */
void store_titles_reset(struct store *s);
/* At the start of a write transaction: drop the map if another
 * connection added or removed items since it was loaded. */
int store_titles_check(struct store *s, char *err, size_t errlen);
/* Upsert f's polling state by URL and return its row id in *id. */
int store_feed_upsert(struct store *s, const struct store_feed *f,
    long long *id, char *err, size_t errlen);

/* The item columns every reader selects (the last is i.feed_id), the
 * FROM clause they need, and their decoder. */
extern const char store_item_cols[];
extern const char store_item_from[];
struct item *store_item_from_row(sqlite3_stmt *st);
/* The entities and categories texts into a (appended to what it has). */
void store_decode_entities(struct item_annotation *a, const char *p);
void store_decode_categories(struct item_annotation *a, const char *p);

#endif

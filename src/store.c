/*
 * store.c - the SQLite store: opening (directory, pragmas, read-only
 * fallback, migration), errors a user can act on, the statement cache,
 * feed polling state, per-item user state, the watchlist, the meta table,
 * retention and the polling lock.  Ingest and clustering live in
 * store_ingest.c, reads in store_query.c, the schema in store_schema.c.
 *
 * Concurrency: WAL mode, so readers never wait for the writer; writers
 * take the lock up front (BEGIN IMMEDIATE) and wait for each other through
 * the busy timeout plus a retry loop, so "database is locked" never
 * reaches the user unless another process holds the write lock for more
 * than a minute.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"
#include "util.h"

enum {
	BUSY_TIMEOUT_MS = 5000,
	BUSY_RETRIES = 12	/* on top of the busy timeout: ~1 minute */
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_MAX_ITEM] = "SELECT max(id) FROM items",
	[ST_META_GET] = "SELECT value FROM meta WHERE key=?",
	[ST_META_SET] = "INSERT INTO meta(key, value) VALUES(?, ?)"
	    " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
	[ST_FEED_UPSERT] = "INSERT INTO feeds(url, name, etag, last_modified,"
	    " last_attempt, last_success, next_due, http_status, last_error,"
	    " failures, items_seen, warning) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12) ON CONFLICT(url) DO UPDATE SET"
	    " name=COALESCE(excluded.name, name), etag=excluded.etag,"
	    " last_modified=excluded.last_modified,"
	    " last_attempt=excluded.last_attempt,"
	    " last_success=excluded.last_success,"
	    " next_due=excluded.next_due, http_status=excluded.http_status,"
	    " last_error=excluded.last_error, failures=excluded.failures,"
	    " items_seen=excluded.items_seen, warning=excluded.warning"
	    " RETURNING id",
	/* The same by id, for a feed read back from the table: no lookup of
	 * the URL in its unique index, no conflict handling. */
	[ST_FEED_UPDATE] = "UPDATE feeds SET name=COALESCE(?2, name),"
	    " etag=?3, last_modified=?4, last_attempt=?5, last_success=?6,"
	    " next_due=?7, http_status=?8, last_error=?9, failures=?10,"
	    " items_seen=?11, warning=?12 WHERE id=?1",
	[ST_FEED_NAMES] = "SELECT url, name FROM feeds ORDER BY url",
	[ST_FEED_SYNC] = "INSERT INTO feeds(url, name) VALUES(?, ?)"
	    " ON CONFLICT(url) DO UPDATE SET"
	    " name=COALESCE(excluded.name, name)",
	[ST_FEED_GET] = "SELECT id, url, name, etag, last_modified,"
	    " last_attempt, last_success, next_due, http_status, last_error,"
	    " failures, items_seen,"
	    " (SELECT COUNT(*) FROM items WHERE feed_id=feeds.id), warning"
	    " FROM feeds WHERE url=?",
	[ST_FEED_ALL] = "SELECT id, url, name, etag, last_modified,"
	    " last_attempt, last_success, next_due, http_status, last_error,"
	    " failures, items_seen,"
	    " (SELECT COUNT(*) FROM items WHERE feed_id=feeds.id), warning"
	    " FROM feeds ORDER BY id",
	/* The same without the count, which reads every item's key. */
	[ST_FEED_STATES] = "SELECT id, url, name, etag, last_modified,"
	    " last_attempt, last_success, next_due, http_status, last_error,"
	    " failures, items_seen, 0, warning"
	    " FROM feeds ORDER BY id",
	[ST_ITEM_LOOKUP] = "SELECT id, hash, story_id, title, summary,"
	    " published, published_guessed, first_seen"
	    " FROM items WHERE feed_id=? AND guid=?",
	/* Insert and update share their parameters: ?1 feed, ?2 guid, ?12
	 * the time (first_seen, or updated), ?29 the row to update. */
	[ST_ITEM_INSERT] = "INSERT INTO items(feed_id, guid, hash, link,"
	    " title, summary, content, author, tags, published,"
	    " published_guessed, first_seen, story_id, link_hash, title_hash,"
	    " source_weight, ann_valid, ann_version, impact, sentiment,"
	    " sentiment_label, event, entities, parts, categories, analysis,"
	    " tickers, cats) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
	    " ?24, ?25, ?26, ?27, ?28)",
	[ST_ITEM_UPDATE] = "UPDATE items SET hash=?3, link=?4, title=?5,"
	    " summary=?6, content=?7, author=?8, tags=?9, published=?10,"
	    " published_guessed=?11, updated=?12, story_id=?13,"
	    " link_hash=?14, title_hash=?15, source_weight=?16,"
	    " ann_valid=?17, ann_version=?18, impact=?19, sentiment=?20,"
	    " sentiment_label=?21, event=?22, entities=?23, parts=?24,"
	    " categories=?25, analysis=?26, tickers=?27, cats=?28, is_update=1"
	    " WHERE id=?29",
	[ST_ITEM_OLD_ANN] = "SELECT published, entities, categories"
	    " FROM items WHERE id=?",
	/* From the covering items_published index.  An item alone is its
	 * own story (story_id NULL, see store_schema.c); the story's id is
	 * its founder's. */
	[ST_TITLES_LOAD] = "SELECT title_hash, published,"
	    " COALESCE(story_id, id), id, link_hash"
	    " FROM items WHERE published>=?1 AND published<?2"
	    " AND (title_hash IS NOT NULL OR link_hash IS NOT NULL)",
	/* A second item joins story ?1: its founder gets the story id. */
	[ST_STORY_FOUNDER] = "UPDATE items SET story_id=?1 WHERE id=?1"
	    " AND story_id IS NULL",
	[ST_STORY_OTHER_FEED] = "SELECT 1 FROM items WHERE"
	    " (story_id=?1 OR id=?1) AND feed_id<>?2 AND id<?3 LIMIT 1",
	/* The feeds of story ?1, counted in the order of the items_story
	 * index (COUNT(DISTINCT) would build a temporary table each time). */
	[ST_STORY_FEEDS] = "SELECT COUNT(*) FROM (SELECT feed_id FROM items"
	    " WHERE story_id=?1 GROUP BY feed_id)",
	[ST_STORY_UPDATE] = "INSERT INTO stories(id, published, n_sources)"
	    " VALUES(?1, MIN(?2, COALESCE((SELECT published FROM items"
	    "  WHERE id=?1), ?2)), ?3) ON CONFLICT(id) DO UPDATE SET"
	    " published=MIN(published, ?2), n_sources=?3",
	[ST_TICKER_DEL] = "DELETE FROM item_tickers WHERE ticker=?"
	    " AND published=? AND item_id=?",
	[ST_CAT_DEL] = "DELETE FROM item_categories WHERE category=?"
	    " AND published=? AND item_id=?",
	[ST_CAT_NEW] = "INSERT INTO categories(name) VALUES(?)"
	    " ON CONFLICT DO NOTHING",
	[ST_CAT_ID] = "SELECT id FROM categories WHERE name=?",
	[ST_ANN_SET] = "UPDATE items SET ann_valid=?2, ann_version=?3,"
	    " impact=?4, sentiment=?5, sentiment_label=?6, event=?7,"
	    " entities=?8, parts=?9, categories=?10, analysis=?11,"
	    " tickers=?12, cats=?13 WHERE id=?1",
	[ST_FTS_ADD] = "INSERT INTO items_fts(rowid, title, summary)"
	    " VALUES(?, ?, ?)",
	[ST_FTS_DEL] = "INSERT INTO items_fts(items_fts, rowid, title, summary)"
	    " VALUES('delete', ?, ?, ?)",
	[ST_FTS_PENDING] = "SELECT id, title, summary FROM items WHERE id>?1"
	    " ORDER BY id LIMIT ?2",
	[ST_ITEM_GET] = NULL,	/* built from store_item_cols */
	[ST_ITEM_PUBLISHED] = "SELECT published FROM items WHERE id=?",
	[ST_SET_READ] = "UPDATE items SET read=? WHERE id=?",
	[ST_SET_STARRED] = "UPDATE items SET starred=? WHERE id=?",
	[ST_SET_NOTE] = "UPDATE items SET note=? WHERE id=?",
	[ST_READ_ALL] = "UPDATE items SET read=1 WHERE read=0",
	[ST_READ_FEED] = "UPDATE items SET read=1 WHERE read=0 AND feed_id="
	    "(SELECT id FROM feeds WHERE url=?)",
	[ST_STORY_SOURCES] = "SELECT COALESCE(f.name, f.url), MIN(i.id)"
	    " FROM items i JOIN feeds f ON f.id=i.feed_id"
	    " WHERE i.story_id=?1 OR i.id=?1 GROUP BY f.id ORDER BY MIN(i.id)",
	[ST_WATCH_LIST] = "SELECT ticker FROM watchlist ORDER BY pos",
	[ST_WATCH_ADD] = "INSERT OR IGNORE INTO watchlist(ticker, pos)"
	    " VALUES(?, (SELECT COALESCE(MAX(pos), 0) + 1 FROM watchlist))",
	[ST_WATCH_DEL] = "DELETE FROM watchlist WHERE ticker=?",
	/* Read from the covering items_published index, a day of items in
	 * index order, each with its tickers; grouped in C (a hash by
	 * ticker) rather than by an SQL sorter. */
	[ST_STATS_ALL] = "SELECT tickers, published, impact, sentiment"
	    " FROM items WHERE published>=? AND tickers IS NOT NULL",
	[ST_STATS_ONE] = "SELECT ticker, published, impact, sentiment"
	    " FROM item_tickers WHERE ticker=? AND published>=?",
	[ST_REANALYZE_ALL] = NULL,	/* built from store_item_cols */
};

/* ---- plumbing ---------------------------------------------------------- */

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int
is_busy(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

int
store_step(sqlite3_stmt *st)
{
	int rc, tries = 0;

	/* The busy handler already waited BUSY_TIMEOUT_MS; waiting again
	 * covers a long checkpoint or gc in another process.  BUSY comes
	 * before the first row, so resetting and stepping again is safe. */
	while (is_busy(rc = sqlite3_step(st)) && tries++ < BUSY_RETRIES) {
		sqlite3_reset(st);
		nap_ms(100 + tries * 50);
	}
	return rc;
}

int
store_scalar(struct store *s, enum store_stmt_id id, long long *out,
    const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, id, err, errlen)) == NULL)
		return -1;
	rc = store_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, what, err, errlen);
	return 0;
}

int
store_run(sqlite3_stmt *st)
{
	int rc = store_step(st);

	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	/* A reset after an error returns that error again: ignore it.  The
	 * bindings stay until store_stmt() clears them for the next use. */
	sqlite3_reset(st);
	return rc;
}

int
store_exec(struct store *s, const char *sql)
{
	int rc, tries = 0;

	while (is_busy(rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL)) &&
	    tries++ < BUSY_RETRIES)
		nap_ms(100 + tries * 50);
	return rc;
}

sqlite3_stmt *
store_prepare(struct store *s, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "preparing a query", err, errlen);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt_id id, char *err, size_t errlen)
{
	char *sql = NULL;

	if (s->st[id] != NULL) {
		sqlite3_reset(s->st[id]);
		sqlite3_clear_bindings(s->st[id]);
		return s->st[id];
	}
	if (id == ST_ITEM_GET)
		sql = xasprintf("SELECT %s%s WHERE i.id=?", store_item_cols,
		    store_item_from);
	else if (id == ST_REANALYZE_ALL)
		sql = xasprintf("SELECT %s%s WHERE i.id>?1 ORDER BY i.id"
		    " LIMIT ?4", store_item_cols, store_item_from);
	s->st[id] = store_prepare(s, sql ? sql : stmt_sql[id], err, errlen);
	free(sql);
	return s->st[id];
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

char *
store_col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

int
store_fail(struct store *s, int rc, const char *what, char *err,
    size_t errlen)
{
	const char *p = s->path;
	const char *detail = sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_FULL:
		util_seterr(err, errlen, "%s: the disk is full (while %s); "
		    "free some space and try again - nothing already stored "
		    "was lost", p, what);
		break;
	case SQLITE_READONLY:
		util_seterr(err, errlen, "%s: the database is read-only (while "
		    "%s); check the permissions of the file and its directory, "
		    "or use another --db", p, what);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		util_seterr(err, errlen, "%s: the file is corrupt or not a "
		    "deskwire database (%s, while %s); move it aside (mv %s "
		    "%s.bad) to start a new one, or use another --db", p,
		    detail, what, p, p);
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		util_seterr(err, errlen, "%s: another deskwire kept the "
		    "database busy for over a minute (while %s); try again",
		    p, what);
		break;
	case SQLITE_CANTOPEN:
		util_seterr(err, errlen, "%s: cannot open the database (while "
		    "%s): check that the path and its directory exist and are "
		    "accessible", p, what);
		break;
	case SQLITE_IOERR:
		util_seterr(err, errlen, "%s: I/O error (while %s: %s); check "
		    "the disk - nothing already committed was lost", p, what,
		    s->db ? sqlite3_errmsg(s->db) : detail);
		break;
	default:
		util_seterr(err, errlen, "%s: database error while %s: %s", p,
		    what, s->db ? sqlite3_errmsg(s->db) : detail);
		break;
	}
	return -1;
}

int
store_begin(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (s->readonly) {
		util_seterr(err, errlen, "%s: the database is open read-only",
		    s->path);
		return -1;
	}
	if (s->batch && s->batch_lost) {
		util_seterr(err, errlen, "%s: an error undid the open batch",
		    s->path);
		return -1;
	}
	if (s->batch) {
		/* A unit of the batch: see store_rollback(). */
		s->unit_changes = sqlite3_total_changes64(s->db);
		return 0;
	}
	if ((st = store_stmt(s, ST_BEGIN, err, errlen)) == NULL)
		return -1;
	if ((rc = store_run(st)) != SQLITE_DONE)
		return store_fail(s, rc, "starting a transaction", err, errlen);
	return 0;
}

int
store_commit(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (s->batch)
		return 0;	/* the batch's commit saves the unit */
	if ((st = store_stmt(s, ST_COMMIT, err, errlen)) == NULL) {
		store_rollback(s);
		return -1;
	}
	if ((rc = store_run(st)) != SQLITE_DONE) {
		store_fail(s, rc, "saving", err, errlen);
		store_rollback(s);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *s)
{
	/* What the title map learnt may be undone: reload it; the same for
	 * category ids just taken. */
	store_titles_reset(s);
	store_cats_reset(s);
	if (sqlite3_get_autocommit(s->db)) {
		/* SQLite already rolled back (a full disk, an I/O error):
		 * inside a batch, the whole batch is gone. */
		if (s->batch)
			s->batch_lost = 1;
		return;
	}
	if (s->batch) {
		/* A unit that wrote nothing leaves nothing to undo (a failed
		 * statement undoes itself).  One that wrote takes the whole
		 * batch with it: undoing a part would need a savepoint per
		 * unit, whose journal copied every page a unit touched (7%
		 * of the time of a first fetch). */
		if (sqlite3_total_changes64(s->db) == s->unit_changes)
			return;
		s->batch_lost = 1;
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_batch_begin(struct store *s, char *err, size_t errlen)
{
	if (s->batch) {
		util_seterr(err, errlen, "%s: a batch is already open",
		    s->path);
		return -1;
	}
	if (store_begin(s, err, errlen) < 0)
		return -1;
	if (store_titles_check(s, err, errlen) < 0 ||
	    store_fts_upto(s, &s->fts_upto, err, errlen) < 0) {
		store_rollback(s);
		return -1;
	}
	s->batch = 1;
	s->batch_lost = 0;
	s->batch_items = 0;
	return 0;
}

int
store_batch_commit(struct store *s, char *err, size_t errlen)
{
	int ret;

	if (!s->batch) {
		util_seterr(err, errlen, "%s: no batch is open", s->path);
		return -1;
	}
	if (s->batch_lost || sqlite3_get_autocommit(s->db)) {
		util_seterr(err, errlen, "%s: an error undid the last writes; "
		    "nothing of them was saved", s->path);
		store_batch_rollback(s);
		return -1;
	}
	if (store_fts_flush(s, err, errlen) < 0) {
		store_batch_rollback(s);
		return -1;
	}
	s->batch = 0;
	ret = store_commit(s, err, errlen);
	s->batch_items = 0;
	return ret;
}

void
store_batch_rollback(struct store *s)
{
	if (!s->batch)
		return;
	store_fts_clear(s, 0);
	s->batch = 0;
	s->batch_lost = 0;
	s->batch_items = 0;
	store_rollback(s);
}

int
store_batch_active(const struct store *s)
{
	return s->batch;
}

size_t
store_batch_items(const struct store *s)
{
	return s->batch_items;
}

/* ---- open / close ------------------------------------------------------- */

/* The user made the file read-only (no write bit at all): respect it even
 * when running as root, who could write anyway. */
static int
file_is_readonly(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		return 0;
	return (sb.st_mode & 0222) == 0 || access(path, W_OK) < 0;
}

/*
 * Before SQLite initialises (only the store uses it, and every use starts
 * with store_open): no memory statistics, which cost a global mutex on
 * every allocation.
 */
static void
sqlite_global_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
open_db(struct store *s, int readonly, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int rc, fl;

	pthread_once(&once, sqlite_global_init);

	fl = (readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
	    SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(s->path, &s->db, fl, NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "opening", err, errlen);
		sqlite3_close(s->db);
		s->db = NULL;
		return -1;
	}
	s->readonly = readonly;
	sqlite3_extended_result_codes(s->db, 1);
	/* More small allocations served without malloc (500 slots of 1200
	 * bytes rather than 100). */
	(void)sqlite3_db_config(s->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 1200,
	    500);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (store_fts_init(s, err, errlen) < 0) {
		sqlite3_close(s->db);
		s->db = NULL;
		return -1;
	}
	return 0;
}

/*
 * Checkpoints off the writer's thread.  A checkpoint copies the WAL into
 * the database file and syncs it: tens of megabytes of writes that, left
 * to SQLite's automatic checkpoint, stall whichever commit crosses the
 * threshold.  Here the writer's commit only wakes a thread of the store's
 * own (started on first need, with its own connection), which runs a
 * PASSIVE checkpoint: it never blocks the writer or readers, and the WAL
 * starts over at the next write once all of it is copied.  A writer that
 * never pauses keeps the WAL from starting over (its next transaction
 * begins before the copy ends), so past CKPT_INLINE_PAGES the writer
 * checkpoints in line, as SQLite would: the thread has copied most frames
 * by then, the writer copies the rest and the WAL starts over
 * (journal_size_limit trims the file back).  The thread is woken from 2
 * MiB of WAL on: it copies a commit's frames in a few tens of
 * milliseconds, and whatever it has not copied when the store closes is
 * copied then, while the process waits (from 16 MiB on, a first fetch
 * of 20,000 items left up to 16 MiB to its close).  The writer steps in
 * at 16 MiB: the WAL file then stays near that size, and deleting it at
 * close takes 12 ms where a 62.5 MiB one took 33 ms (the kernel frees
 * its cached pages one by one).  Both sizes are in bytes, whatever the
 * file's page size.
 */
#define CKPT_BYTES (2LL << 20)
#define CKPT_INLINE_BYTES (16LL << 20)

struct ckpt {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	char *path;
	int running;		/* the thread was started */
	int stop, want;		/* under lock */
	long long runs;		/* checkpoints done, under lock */
};

static void *
ckpt_main(void *arg)
{
	struct ckpt *c = arg;
	sqlite3 *db = NULL;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->stop && !c->want)
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->stop)
			break;
		c->want = 0;
		pthread_mutex_unlock(&c->lock);
		/* A new connection learns that the file is in WAL mode on
		 * its first read; until then it has no WAL to checkpoint.
		 * Checkpoints copy frames without the page cache: the
		 * connection is kept small. */
		if (db == NULL && (sqlite3_open_v2(c->path, &db,
		    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK || sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE,
		    NULL, 0, 0) != SQLITE_OK || sqlite3_exec(db,
		    "PRAGMA cache_size=16; PRAGMA schema_version", NULL, NULL,
		    NULL) != SQLITE_OK)) {
			sqlite3_close(db);
			db = NULL;
		}
		/* A failure leaves the WAL to the next wake-up, or to the
		 * writer's in-line checkpoint. */
		if (db != NULL)
			(void)sqlite3_wal_checkpoint_v2(db, NULL,
			    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
		c->runs++;
	}
	pthread_mutex_unlock(&c->lock);
	sqlite3_close(db);
	return NULL;
}

static void
ckpt_kick(struct store *s)
{
	struct ckpt *c = s->ckpt;

	if (c == NULL) {
		c = s->ckpt = xcalloc(1, sizeof(*c));
		pthread_mutex_init(&c->lock, NULL);
		pthread_cond_init(&c->cond, NULL);
		c->path = xstrdup(s->path);
		c->running = pthread_create(&c->thread, NULL, ckpt_main, c) ==
		    0;
	}
	if (!c->running) {
		(void)sqlite3_wal_checkpoint_v2(s->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return;
	}
	pthread_mutex_lock(&c->lock);
	c->want = 1;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

/* Join the thread (its checkpoint in progress finishes first). */
static void
ckpt_stop(struct store *s)
{
	struct ckpt *c = s->ckpt;

	if (c == NULL)
		return;
	if (c->running) {
		pthread_mutex_lock(&c->lock);
		c->stop = 1;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
		pthread_join(c->thread, NULL);
	}
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c->path);
	free(c);
	s->ckpt = NULL;
}

/* After every commit of this connection, with the WAL's size in pages. */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct store *s = arg;

	(void)name;
	if (pages * (long long)s->page_size >= CKPT_INLINE_BYTES)
		(void)sqlite3_wal_checkpoint_v2(db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	else if (pages * (long long)s->page_size >= CKPT_BYTES)
		ckpt_kick(s);
	return SQLITE_OK;
}

long long
store_checkpoints(struct store *s)
{
	long long n;

	if (s->ckpt == NULL || !s->ckpt->running)
		return 0;
	pthread_mutex_lock(&s->ckpt->lock);
	n = s->ckpt->runs;
	pthread_mutex_unlock(&s->ckpt->lock);
	return n;
}

static int
setup(struct store *s, char *err, size_t errlen)
{
	int rc;

	/* Reading the header first tells a corrupt file from the rest. */
	if (store_schema_version(s, err, errlen) < 0)
		return -1;
	if (!s->readonly) {
		/*
		 * Larger pages for a new file (ignored for an existing one):
		 * fewer, fuller pages per commit, a shallower tree.  A commit
		 * writes each page it changed to the WAL as a frame, with a
		 * system call for its header and one for the page: 16 KiB
		 * pages halve those calls and the checkpoint's reads.  A
		 * first fetch of 20,000 items: 16,000 writes instead of
		 * 30,000, 5% less CPU, a 5% smaller file.
		 */
		rc = store_exec(s, "PRAGMA page_size=16384;"
		    "PRAGMA journal_mode=WAL");
		if (rc != SQLITE_OK)
			return store_fail(s, rc, "switching to WAL mode", err,
			    errlen);
	}
	/* Checkpoints: see ckpt_main.  Foreign keys
	 * are not enforced: nothing deletes a feed, a story row goes only
	 * when no item refers to it, and an item alone refers to a story
	 * that has no row (store_schema.c, version 2); checking them cost
	 * two lookups per insert.  An 8 MiB page cache per connection: 16
	 * MiB made no difference to ingest or query times at 200,000 items
	 * (the OS caches the file too) and cost 8 MiB of resident memory. */
	rc = store_exec(s, "PRAGMA synchronous=NORMAL;"
	    "PRAGMA foreign_keys=OFF;"
	    "PRAGMA temp_store=MEMORY;"
	    "PRAGMA cache_size=-8192;"
	    "PRAGMA journal_size_limit=67108864;");
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "configuring the connection", err,
		    errlen);
	if (!s->readonly) {
		sqlite3_stmt *st;

		/* In bytes for the checkpoint thresholds (wal_hook). */
		s->page_size = 8192;
		if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st,
		    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_int64(st, 0) > 0)
			s->page_size = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_wal_hook(s->db, wal_hook, s);
	}
	return store_migrate(s, err, errlen);
}

static void
close_db(struct store *s)
{
	size_t i;

	ckpt_stop(s);
	for (i = 0; i < ST__COUNT; i++) {
		sqlite3_finalize(s->st[i]);
		s->st[i] = NULL;
	}
	for (i = 0; i < QF__COUNT; i++) {
		sqlite3_finalize(s->q[i]);
		s->q[i] = NULL;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(s->tk_ins); i++) {
		sqlite3_finalize(s->tk_ins[i]);
		s->tk_ins[i] = NULL;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(s->cat_ins); i++) {
		sqlite3_finalize(s->cat_ins[i]);
		s->cat_ins[i] = NULL;
	}
	sqlite3_close(s->db);
	s->db = NULL;
	s->tok = NULL;	/* freed with the connection */
}

struct store *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	struct store *s;
	char *dir, *slash;
	int ro = (flags & STORE_READONLY) != 0;
	int exists = access(path, F_OK) == 0;

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->lock_fd = -1;
	strbuf_init(&s->key);
	strbuf_init(&s->ents);
	strbuf_init(&s->parts);
	strbuf_init(&s->cats);
	strbuf_init(&s->tks);
	strbuf_init(&s->fq.text);

	if (!exists && ro) {
		util_seterr(err, errlen, "%s: no database there yet; run "
		    "deskwire once (or `deskwire fetch --once`) to create it",
		    path);
		goto fail;
	}
	if (!exists) {
		dir = xstrdup(path);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			if (util_mkdirs(dir, 0700) < 0) {
				util_seterr(err, errlen, "%s: cannot create the "
				    "directory %s: %s", path, dir,
				    strerror(errno));
				free(dir);
				goto fail;
			}
		}
		free(dir);
	}
	if (!ro && exists && file_is_readonly(path))
		ro = 1;
	if (open_db(s, ro, err, errlen) < 0)
		goto fail;
	if (setup(s, err, errlen) == 0)
		return s;
	/* A write refused by the file system: carry on read-only. */
	if (!ro && exists && (sqlite3_errcode(s->db) & 0xff) ==
	    SQLITE_READONLY) {
		close_db(s);
		if (open_db(s, 1, err, errlen) == 0 &&
		    setup(s, err, errlen) == 0)
			return s;
	}
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	close_db(s);
	store_ingest_done(s);
	if (s->lock_fd >= 0)
		close(s->lock_fd);	/* releases the poll lock */
	free(s->path);
	free(s);
}

int
store_is_readonly(const struct store *s)
{
	return s->readonly;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

int
store_poll_lock(struct store *s)
{
	char *lp;
	int fd;

	if (s->lock_fd >= 0)
		return 1;
	if (s->readonly)
		return 0;
	lp = xasprintf("%s.lock", s->path);
	fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lp);
	if (fd < 0)
		return 0;
	/* flock: held per open file, so two stores in one process exclude
	 * each other too; released by the kernel if the process dies. */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return 0;
	}
	s->lock_fd = fd;
	return 1;
}

/* ---- meta ---------------------------------------------------------------- */

int
store_meta_get(struct store *s, const char *key, char **out, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((st = store_stmt(s, ST_META_GET, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = store_step(st);
	if (rc == SQLITE_ROW)
		*out = store_col_strdup(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "reading settings", err, errlen);
	return 0;
}

int
store_meta_set(struct store *s, const char *key, const char *value,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (s->readonly)
		return store_fail(s, SQLITE_READONLY, "saving settings", err,
		    errlen);
	if ((st = store_stmt(s, ST_META_SET, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	store_bind_text(st, 2, value);
	if ((rc = store_run(st)) != SQLITE_DONE)
		return store_fail(s, rc, "saving settings", err, errlen);
	return 0;
}

/* ---- feeds --------------------------------------------------------------- */

void
store_feed_clear(struct store_feed *f)
{
	free(f->url);
	free(f->name);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	free(f->warning);
	memset(f, 0, sizeof(*f));
}

static void
feed_from_row(sqlite3_stmt *st, struct store_feed *f)
{
	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	f->url = store_col_strdup(st, 1);
	f->name = store_col_strdup(st, 2);
	f->etag = store_col_strdup(st, 3);
	f->last_modified = store_col_strdup(st, 4);
	f->last_attempt = (time_t)sqlite3_column_int64(st, 5);
	f->last_success = (time_t)sqlite3_column_int64(st, 6);
	f->next_due = (time_t)sqlite3_column_int64(st, 7);
	f->http_status = sqlite3_column_int(st, 8);
	f->last_error = store_col_strdup(st, 9);
	f->failures = sqlite3_column_int(st, 10);
	f->items_seen = (long)sqlite3_column_int64(st, 11);
	f->n_items = (long)sqlite3_column_int64(st, 12);
	f->warning = store_col_strdup(st, 13);
}

static int
cmp_feed_url(const void *a, const void *b)
{
	const struct conf_feed *const *x = a, *const *y = b;

	return strcmp((*x)->url, (*y)->url);
}

/*
 * Which configured feeds are missing from the table or carry a new name:
 * both lists walked in URL order (the table's through its unique index).
 * Sets want[i] for those; returns how many, or -1.
 */
static long
feeds_to_sync(struct store *s, const struct conf *c, unsigned char *want,
    char *err, size_t errlen)
{
	const struct conf_feed **v;
	sqlite3_stmt *st;
	size_t i = 0, n = c->n_feeds;
	long todo = 0;
	int rc;

	if ((st = store_stmt(s, ST_FEED_NAMES, err, errlen)) == NULL)
		return -1;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &c->feeds[i];
	qsort(v, n, sizeof(*v), cmp_feed_url);
	i = 0;
	while ((rc = store_step(st)) == SQLITE_ROW && i < n) {
		const char *url = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (url == NULL)
			continue;
		/* Configured feeds before this row are not in the table. */
		while (i < n && strcmp(v[i]->url, url) < 0) {
			want[v[i] - c->feeds] = 1;
			todo++;
			i++;
		}
		/* The same URL twice in feeds.conf: each is compared. */
		while (i < n && strcmp(v[i]->url, url) == 0) {
			if (v[i]->name != NULL && (name == NULL ||
			    strcmp(v[i]->name, name) != 0)) {
				want[v[i] - c->feeds] = 1;
				todo++;
			}
			i++;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(v);
		return store_fail(s, rc, "reading the feed list", err, errlen);
	}
	for (; i < n; i++) {
		want[v[i] - c->feeds] = 1;
		todo++;
	}
	free(v);
	return todo;
}

int
store_sync_feeds(struct store *s, const struct conf *c, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	unsigned char *want = NULL;
	size_t i;
	long todo;
	int rc, ret = -1;

	if (s->readonly || c->n_feeds == 0)
		return 0;
	want = xcalloc(c->n_feeds, 1);
	/* Most starts change nothing: then nothing is written. */
	if ((todo = feeds_to_sync(s, c, want, err, errlen)) <= 0) {
		ret = (int)todo;
		goto out;
	}
	if (store_begin(s, err, errlen) < 0)
		goto out;
	for (i = 0; i < c->n_feeds; i++) {
		if (!want[i])
			continue;
		if ((st = store_stmt(s, ST_FEED_SYNC, err, errlen)) == NULL)
			goto fail;
		store_bind_text(st, 1, c->feeds[i].url);
		store_bind_text(st, 2, c->feeds[i].name);
		if ((rc = store_run(st)) != SQLITE_DONE) {
			store_fail(s, rc, "saving the feed list", err, errlen);
			goto fail;
		}
	}
	ret = store_commit(s, err, errlen);
	goto out;
fail:
	store_rollback(s);
out:
	free(want);
	return ret;
}

int
store_feed_get(struct store *s, const char *url, struct store_feed *out,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, ST_FEED_GET, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	rc = store_step(st);
	if (rc == SQLITE_ROW)
		feed_from_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		util_seterr(err, errlen, "%s: unknown feed", url);
		return -1;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "reading feed state", err, errlen);
	return 0;
}

static int
feeds_of(struct store *s, enum store_stmt_id id, struct store_feed **out,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	struct store_feed *v = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = store_stmt(s, id, err, errlen)) == NULL)
		return -1;
	while ((rc = store_step(st)) == SQLITE_ROW) {
		v = xreallocarray_grow(v, &cap, *n + 1, sizeof(*v));
		feed_from_row(st, &v[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		while (*n > 0)
			store_feed_clear(&v[--*n]);
		free(v);
		return store_fail(s, rc, "reading feeds", err, errlen);
	}
	*out = v;
	return 0;
}

int
store_feeds(struct store *s, struct store_feed **out, size_t *n, char *err,
    size_t errlen)
{
	return feeds_of(s, ST_FEED_ALL, out, n, err, errlen);
}

int
store_feed_states(struct store *s, struct store_feed **out, size_t *n,
    char *err, size_t errlen)
{
	return feeds_of(s, ST_FEED_STATES, out, n, err, errlen);
}

/* Bind ?2..?12 of ST_FEED_UPDATE and ST_FEED_UPSERT, which share them. */
static void
bind_feed_state(sqlite3_stmt *st, const struct store_feed *f)
{
	store_bind_text(st, 2, f->name);
	store_bind_text(st, 3, f->etag);
	store_bind_text(st, 4, f->last_modified);
	sqlite3_bind_int64(st, 5, f->last_attempt);
	sqlite3_bind_int64(st, 6, f->last_success);
	sqlite3_bind_int64(st, 7, f->next_due);
	sqlite3_bind_int(st, 8, f->http_status);
	store_bind_text(st, 9, f->last_error);
	sqlite3_bind_int(st, 10, f->failures);
	sqlite3_bind_int64(st, 11, f->items_seen);
	store_bind_text(st, 12, f->warning);
}

/* Save f's polling state in its row f->id: 1 if done, 0 if there is no
 * such row, -1 on error. */
static int
feed_update(struct store *s, const struct store_feed *f, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, ST_FEED_UPDATE, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, f->id);
	bind_feed_state(st, f);
	if ((rc = store_run(st)) != SQLITE_DONE)
		return store_fail(s, rc, "saving feed state", err, errlen);
	return sqlite3_changes(s->db) > 0;
}

/* Upsert f's polling state; sets *id.  Inside or outside a transaction.
 * A feed read back from the table (f->id set) is updated by its id. */
int
store_feed_upsert(struct store *s, const struct store_feed *f,
    long long *id, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (f->url == NULL) {
		util_seterr(err, errlen, "%s: a feed without a URL", s->path);
		return -1;
	}
	if (f->id > 0) {
		switch (feed_update(s, f, err, errlen)) {
		case 1:
			*id = f->id;
			return 0;
		case -1:
			return -1;
		}
		/* The row is gone (removed meanwhile): insert it again. */
	}
	if ((st = store_stmt(s, ST_FEED_UPSERT, err, errlen)) == NULL)
		return -1;
	store_bind_text(st, 1, f->url);
	bind_feed_state(st, f);
	rc = store_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = store_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "saving feed state", err, errlen);
	return 0;
}

int
store_feed_save(struct store *s, const struct store_feed *f, char *err,
    size_t errlen)
{
	long long id;

	if (s->readonly)
		return store_fail(s, SQLITE_READONLY, "saving feed state", err,
		    errlen);
	return store_feed_upsert(s, f, &id, err, errlen);
}

/* ---- user state ---------------------------------------------------------- */

static int
run_write(struct store *s, sqlite3_stmt *st, const char *what, char *err,
    size_t errlen)
{
	int rc;

	if ((rc = store_run(st)) != SQLITE_DONE)
		return store_fail(s, rc, what, err, errlen);
	return 0;
}

static sqlite3_stmt *
write_stmt(struct store *s, enum store_stmt_id id, char *err, size_t errlen)
{
	if (s->readonly) {
		store_fail(s, SQLITE_READONLY, "saving", err, errlen);
		return NULL;
	}
	return store_stmt(s, id, err, errlen);
}

int
store_set_read(struct store *s, long long rowid, int read, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = write_stmt(s, ST_SET_READ, err, errlen);

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, read != 0);
	sqlite3_bind_int64(st, 2, rowid);
	return run_write(s, st, "saving read state", err, errlen);
}

int
store_set_starred(struct store *s, long long rowid, int starred,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = write_stmt(s, ST_SET_STARRED, err, errlen);

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, starred != 0);
	sqlite3_bind_int64(st, 2, rowid);
	return run_write(s, st, "saving the star", err, errlen);
}

int
store_set_note(struct store *s, long long rowid, const char *note,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = write_stmt(s, ST_SET_NOTE, err, errlen);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, note != NULL && *note ? note : NULL);
	sqlite3_bind_int64(st, 2, rowid);
	return run_write(s, st, "saving the note", err, errlen);
}

int
store_mark_all_read(struct store *s, const char *feed_url, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = write_stmt(s, feed_url ? ST_READ_FEED :
	    ST_READ_ALL, err, errlen);

	if (st == NULL)
		return -1;
	if (feed_url != NULL)
		sqlite3_bind_text(st, 1, feed_url, -1, SQLITE_STATIC);
	return run_write(s, st, "marking items read", err, errlen);
}

int
store_story_sources(struct store *s, long long story_id,
    struct conf_strv *out, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, ST_STORY_SOURCES, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, story_id);
	while ((rc = store_step(st)) == SQLITE_ROW)
		conf_strv_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		conf_strv_free(out);
		return store_fail(s, rc, "reading story sources", err, errlen);
	}
	return 0;
}

/* ---- watchlist ----------------------------------------------------------- */

/* Upper-case a ticker into buf; -1 if it is not a plausible symbol. */
static int
norm_ticker(const char *t, char *buf, size_t len, char *err, size_t errlen)
{
	size_t i, n = t ? strlen(t) : 0;

	if (n == 0 || n >= len || n >= ITEM_TICKER_LEN) {
		util_seterr(err, errlen, "'%s': a ticker has 1 to %d "
		    "characters", t ? t : "", ITEM_TICKER_LEN - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(".-:^=_/", c) != NULL)) {
			util_seterr(err, errlen, "'%s': not a ticker symbol",
			    t);
			return -1;
		}
		buf[i] = (char)c;
	}
	buf[n] = '\0';
	return 0;
}

int
store_watchlist(struct store *s, struct conf_strv *out, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((st = store_stmt(s, ST_WATCH_LIST, err, errlen)) == NULL)
		return -1;
	while ((rc = store_step(st)) == SQLITE_ROW)
		conf_strv_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		conf_strv_free(out);
		return store_fail(s, rc, "reading the watchlist", err, errlen);
	}
	return 0;
}

int
store_watchlist_add(struct store *s, const char *ticker, char *err,
    size_t errlen)
{
	char t[ITEM_TICKER_LEN];
	sqlite3_stmt *st;

	if (norm_ticker(ticker, t, sizeof(t), err, errlen) < 0)
		return -1;
	if ((st = write_stmt(s, ST_WATCH_ADD, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	return run_write(s, st, "saving the watchlist", err, errlen);
}

int
store_watchlist_remove(struct store *s, const char *ticker, char *err,
    size_t errlen)
{
	char t[ITEM_TICKER_LEN];
	sqlite3_stmt *st;

	if (norm_ticker(ticker, t, sizeof(t), err, errlen) < 0)
		return -1;
	if ((st = write_stmt(s, ST_WATCH_DEL, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	return run_write(s, st, "saving the watchlist", err, errlen);
}

/* ---- retention ----------------------------------------------------------- */

time_t
store_last_gc(struct store *s)
{
	char *v = NULL, err[256];
	long t = 0;

	if (store_meta_get(s, "last_gc", &v, err, sizeof(err)) == 0 &&
	    v != NULL)
		(void)util_parse_long(v, 0, LONG_MAX, &t);
	free(v);
	return (time_t)t;
}

int
store_gc_due(struct store *s, time_t now)
{
	time_t last = store_last_gc(s);

	return !s->readonly && (last == 0 || now - last >= 24 * 3600 ||
	    last > now + 3600);
}

int
store_gc(struct store *s, long days, long per_feed, long *removed,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char buf[32];
	time_t now = util_now();
	long n = 0;
	int rc;

	*removed = 0;
	if (store_begin(s, err, errlen) < 0)
		return -1;
	if (days > 0) {
		st = store_prepare(s, "DELETE FROM items WHERE starred=0 AND"
		    " published<?", err, errlen);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)now -
		    (sqlite3_int64)days * 86400);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
		n += sqlite3_changes(s->db);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (per_feed > 0) {
		/* Starred items neither go nor count against the cap. */
		st = store_prepare(s, "DELETE FROM items WHERE id IN"
		    " (SELECT id FROM (SELECT id, ROW_NUMBER() OVER"
		    "  (PARTITION BY feed_id ORDER BY published DESC, id DESC)"
		    "  AS rn FROM items WHERE starred=0) WHERE rn>?)",
		    err, errlen);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, per_feed);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
		n += sqlite3_changes(s->db);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (n > 0) {
		/* A story keeps the source count it reached: history.  The
		 * ticker and category rows have no index by item to cascade
		 * through: one sweep each. */
		rc = store_exec(s, "DELETE FROM stories WHERE NOT EXISTS"
		    " (SELECT 1 FROM items WHERE story_id=stories.id);"
		    "DELETE FROM item_tickers WHERE NOT EXISTS"
		    " (SELECT 1 FROM items WHERE id=item_tickers.item_id);"
		    "DELETE FROM item_categories WHERE NOT EXISTS"
		    " (SELECT 1 FROM items WHERE id=item_categories.item_id);");
		if (rc != SQLITE_OK)
			goto dberr;
		store_titles_reset(s);
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)now);
	if (store_meta_set(s, "last_gc", buf, err, errlen) < 0)
		goto fail;
	if (store_commit(s, err, errlen) < 0)
		return -1;
	*removed = n;
	/* Daily is a good rhythm to refresh the planner's statistics; not at
	 * close, where it could wait for another process's write lock.  The
	 * planner needs their shape, not exact counts: analysis_limit samples
	 * about 400 rows an index (SQLite's advice), where a full ANALYZE
	 * after a first fetch of 20,000 items read every index whole (15 ms,
	 * while a `fetch --once` waited to exit). */
	(void)store_exec(s, "PRAGMA analysis_limit=400; PRAGMA optimize");
	return 0;
dberr:
	store_fail(s, rc, "removing old items", err, errlen);
fail:
	sqlite3_finalize(st);
	store_rollback(s);
	return -1;
}

int
store_gc_auto(struct store *s, long days, long per_feed, long *removed,
    char *err, size_t errlen)
{
	*removed = 0;
	if (!store_gc_due(s, util_now()))
		return 0;
	return store_gc(s, days, per_feed, removed, err, errlen);
}

int
store_vacuum(struct store *s, char *err, size_t errlen)
{
	int rc;

	if (s->readonly)
		return store_fail(s, SQLITE_READONLY, "compacting", err,
		    errlen);
	rc = store_exec(s, "VACUUM");
	if (rc == SQLITE_OK)
		rc = store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)");
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "compacting", err, errlen);
	return 0;
}

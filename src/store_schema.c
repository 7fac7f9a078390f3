/*
 * store_schema.c - the database schema and its forward migrations.
 *
 * The schema version lives in PRAGMA user_version.  steps[k] brings a
 * database from version k to k + 1, inside the same transaction as the
 * user_version bump, so an interrupted migration leaves the old version
 * intact.  A new database runs every step from 0.  Version 0 is either an
 * empty file or the pre-release layout (a `items` table keyed by feed URL
 * and guid), which step 0 converts.  To change the schema: add a step,
 * bump STORE_SCHEMA_VERSION in store.h, add a fixture of the old layout to
 * the migration test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

/*
 * Version 1.
 *
 * items: one row per (feed, guid).  hash is the 64-bit hash of title,
 * summary, content and link: an unchanged re-fetch compares equal and is
 * skipped.  link_hash/title_hash are 64-bit hashes of the normalised link
 * and title used to cluster stories (hashes keep those indexes small);
 * titles are matched in memory (store_titles.c), loaded from the covering
 * items_published index, so only links have an index of their own.  The
 * annotation is stored flat: entities as "role\tticker\tname" lines,
 * parts as "name\tvalue" lines, categories '\n'-separated.
 *
 * item_tickers and item_categories repeat published/impact/sentiment so
 * that per-ticker filters and aggregates read one index only.  They have
 * no index by item (nor a foreign key, which would need one): ingest
 * removes an item's rows by their exact keys, read back from the item's
 * entities and categories, and gc sweeps the rows of deleted items.
 */

/* The trigger's statement: a deleted row's words leave the index. */
#define FTS_DELETE_OLD \
    " INSERT INTO items_fts(items_fts, rowid, title, summary)" \
    "  VALUES('delete', old.id, old.title, old.summary);"

static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE feeds("
    " id INTEGER PRIMARY KEY,"
    " url TEXT NOT NULL UNIQUE,"
    " name TEXT,"
    " etag TEXT,"
    " last_modified TEXT,"
    " last_attempt INTEGER NOT NULL DEFAULT 0,"
    " last_success INTEGER NOT NULL DEFAULT 0,"
    " next_due INTEGER NOT NULL DEFAULT 0,"
    " http_status INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " items_seen INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE stories("
    " id INTEGER PRIMARY KEY,"
    " published INTEGER NOT NULL,"
    " n_sources INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE items("
    " id INTEGER PRIMARY KEY,"
    " feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
    " guid TEXT NOT NULL,"
    " hash INTEGER NOT NULL,"
    " link TEXT, title TEXT, summary TEXT, content TEXT, author TEXT,"
    " tags TEXT,"
    " published INTEGER NOT NULL,"
    " published_guessed INTEGER NOT NULL DEFAULT 0,"
    " first_seen INTEGER NOT NULL,"
    " updated INTEGER NOT NULL DEFAULT 0,"
    " is_update INTEGER NOT NULL DEFAULT 0,"
    " story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
    " link_hash INTEGER, title_hash INTEGER,"
    " source_weight REAL NOT NULL DEFAULT 0.5,"
    " read INTEGER NOT NULL DEFAULT 0,"
    " starred INTEGER NOT NULL DEFAULT 0,"
    " note TEXT,"
    " ann_valid INTEGER NOT NULL DEFAULT 0,"
    " ann_version INTEGER NOT NULL DEFAULT 0,"
    " impact REAL NOT NULL DEFAULT 0,"
    " sentiment REAL NOT NULL DEFAULT 0,"
    " sentiment_label INTEGER NOT NULL DEFAULT 0,"
    " event TEXT, entities TEXT, parts TEXT, categories TEXT,"
    " analysis TEXT);"
    "CREATE UNIQUE INDEX items_feed_guid ON items(feed_id, guid);"
    "CREATE INDEX items_published ON items(published, id, impact,"
    " title_hash, story_id);"
    "CREATE INDEX items_story ON items(story_id);"
    "CREATE INDEX items_unread ON items(published) WHERE read=0;"
    "CREATE INDEX items_starred ON items(starred) WHERE starred;"
    "CREATE INDEX items_version ON items(ann_version, id);"
    "CREATE INDEX items_link_hash ON items(link_hash)"
    " WHERE link_hash IS NOT NULL;"
    "CREATE TABLE item_tickers("
    " ticker TEXT NOT NULL,"
    " published INTEGER NOT NULL,"
    " item_id INTEGER NOT NULL,"
    " role INTEGER NOT NULL,"
    " impact REAL NOT NULL,"
    " sentiment REAL NOT NULL,"
    " PRIMARY KEY(ticker, published, item_id)) WITHOUT ROWID;"
    "CREATE INDEX item_tickers_published ON item_tickers(published, ticker,"
    " impact, sentiment);"
    "CREATE TABLE item_categories("
    " category TEXT NOT NULL COLLATE NOCASE,"
    " published INTEGER NOT NULL,"
    " item_id INTEGER NOT NULL,"
    " PRIMARY KEY(category, published, item_id)) WITHOUT ROWID;"
    "CREATE TABLE watchlist("
    " ticker TEXT PRIMARY KEY,"
    " pos INTEGER NOT NULL);"
    /*
     * Full-text index over title and summary.  Ingest writes it itself,
     * after the item rows of a fetch (see store_ingest.c: a trigger per
     * row would flush FTS5's pending terms into a new segment at every
     * statement); only deletions (retention, cascades) go by trigger.
     */
    "CREATE VIRTUAL TABLE items_fts USING fts5(title, summary,"
    " content='items', content_rowid='id',"
    " tokenize='" STORE_FTS_TOKENIZER "');"
    "CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN"
    FTS_DELETE_OLD
    " END;";

static int
has_table(struct store *s, const char *name)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master "
	    "WHERE type='table' AND name=?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = store_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/*
 * The pre-release layout (version 0 with tables):
 *   feeds(url PRIMARY KEY, title, etag, last_modified, last_fetch, error)
 *   items(feed_url, guid, title, link, summary, published, fetched,
 *         is_read, starred, tickers, impact)
 * Its tickers and impact came from a throw-away scorer, so the items are
 * carried over unannotated (the lazy reanalysis fills them); read and
 * starred state, dates and polling state are kept.
 */
static int
migrate_prerelease(struct store *s, char *err, size_t errlen)
{
	static const char copy[] =
	    "INSERT INTO feeds(url, name, etag, last_modified, last_attempt,"
	    " last_success, last_error)"
	    " SELECT url, title, etag, last_modified, COALESCE(last_fetch, 0),"
	    "  CASE WHEN error IS NULL THEN COALESCE(last_fetch, 0) ELSE 0 END,"
	    "  error FROM v0_feeds;"
	    "INSERT OR IGNORE INTO feeds(url) SELECT DISTINCT feed_url"
	    " FROM v0_items WHERE feed_url IS NOT NULL;"
	    "INSERT OR IGNORE INTO items(feed_id, guid, hash, link, title,"
	    " summary, published, first_seen, read, starred)"
	    " SELECT f.id, COALESCE(i.guid, i.link, i.title, ''), 0, i.link,"
	    "  i.title, i.summary, COALESCE(i.published, i.fetched, 0),"
	    "  COALESCE(i.fetched, i.published, 0), COALESCE(i.is_read, 0),"
	    "  COALESCE(i.starred, 0)"
	    " FROM v0_items i JOIN feeds f ON f.url = i.feed_url"
	    " ORDER BY COALESCE(i.published, i.fetched, 0);"
	    "DROP TABLE v0_items; DROP TABLE v0_feeds;";
	sqlite3_stmt *sel = NULL, *upd = NULL, *story = NULL;
	int rc, ret = -1;

	rc = store_exec(s, "ALTER TABLE feeds RENAME TO v0_feeds;"
	    "ALTER TABLE items RENAME TO v0_items;");
	if (rc == SQLITE_OK)
		rc = store_exec(s, schema_v1);
	if (rc == SQLITE_OK)
		rc = store_exec(s, copy);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "upgrading the database", err, errlen);

	/* Hashes and clustering keys are computed here, as ingest does. */
	sel = store_prepare(s, "SELECT id, title, link, summary, published"
	    " FROM items ORDER BY published, id", err, errlen);
	upd = store_prepare(s, "UPDATE items SET hash=?, link_hash=?,"
	    " title_hash=?, story_id=? WHERE id=?", err, errlen);
	story = store_prepare(s, "INSERT INTO stories(published, n_sources)"
	    " VALUES(?, 1)", err, errlen);
	if (sel == NULL || upd == NULL || story == NULL)
		goto out;
	while ((rc = store_step(sel)) == SQLITE_ROW) {
		struct item it;
		long long id = sqlite3_column_int64(sel, 0), sid = 0;
		time_t pub = (time_t)sqlite3_column_int64(sel, 4);
		uint64_t lh = 0, th = 0;

		memset(&it, 0, sizeof(it));
		it.title = (char *)sqlite3_column_text(sel, 1);
		it.link = (char *)sqlite3_column_text(sel, 2);
		it.summary = (char *)sqlite3_column_text(sel, 3);
		if (store_link_key_buf(it.link, &s->key))
			lh = util_hash64(s->key.buf, s->key.len);
		if (store_title_key_buf(it.title, &s->key))
			th = util_hash64(s->key.buf, s->key.len);
		if (store_find_story(s, lh, th, pub, &sid, err, errlen) < 0)
			goto out;
		if (sid == 0) {
			sqlite3_bind_int64(story, 1, pub);
			if ((rc = store_run(story)) != SQLITE_DONE) {
				store_fail(s, rc, "upgrading the database", err,
				    errlen);
				goto out;
			}
			sid = sqlite3_last_insert_rowid(s->db);
		}
		sqlite3_bind_int64(upd, 1, (sqlite3_int64)
		    store_content_hash(&it));
		if (lh != 0)
			sqlite3_bind_int64(upd, 2, (sqlite3_int64)lh);
		else
			sqlite3_bind_null(upd, 2);
		if (th != 0)
			sqlite3_bind_int64(upd, 3, (sqlite3_int64)th);
		else
			sqlite3_bind_null(upd, 3);
		sqlite3_bind_int64(upd, 4, sid);
		sqlite3_bind_int64(upd, 5, id);
		rc = store_run(upd);
		store_titles_add(s, th, lh, pub, sid, id);
		if (rc != SQLITE_DONE) {
			store_fail(s, rc, "upgrading the database", err, errlen);
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, rc, "upgrading the database", err, errlen);
		goto out;
	}
	rc = store_exec(s, "UPDATE stories SET n_sources ="
	    " (SELECT COUNT(DISTINCT feed_id) FROM items"
	    "  WHERE story_id = stories.id);"
	    "INSERT INTO items_fts(items_fts) VALUES('rebuild');");
	if (rc != SQLITE_OK) {
		store_fail(s, rc, "upgrading the database", err, errlen);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sqlite3_finalize(story);
	return ret;
}

static int
step_0_to_1(struct store *s, char *err, size_t errlen)
{
	int rc;

	if (has_table(s, "items"))
		return migrate_prerelease(s, err, errlen);
	rc = store_exec(s, schema_v1);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "creating the database", err, errlen);
	return 0;
}

/*
 * Version 2: fewer index writes per stored item (ingest writes each index
 * entry of every new item; see store_ingest.c).
 *
 * Stories: a story gets its row, and its items their story_id, only when
 * a second item joins it; an item alone has story_id NULL and is its own
 * story (readers use COALESCE(story_id, id)).  A story's id is the id of
 * the item that founded it, so a founder never needs a lookup to know its
 * story; the step renumbers the version-1 stories that way (the lowest
 * item id of each) and drops the rows of single-item stories.  The
 * story_id index only holds non-NULL values, with feed_id, so that
 * counting a story's feeds when an item joins it reads the index alone:
 * without feed_id, a story of 1,600 items cost 1,600 table lookups per
 * join.
 *
 * items.tickers: the item's tickers, upper case, '\n'-separated (NULL if
 * none), in the covering items_published index with sentiment, so that
 * the every-ticker statistics read one range of that index; the
 * item_tickers (published, ...) index goes.  item_tickers keeps its
 * (ticker, published, item_id) key for the per-ticker queries.

 *
 * Categories: each name gets an id in `categories` (never reused); the
 * first 63 (the most frequent ones at the upgrade, then in order of
 * appearance) are bits of items.cats, also in items_published, so an
 * item's categories cost no index row; item_categories keeps rows only
 * for the names past those 63 (user categories beyond the built-in
 * ones).
 *
 * Full text: larger FTS5 leaf pages (the database page is 8 KiB) and
 * merges of 8 segments instead of 4: fewer pages rewritten per batch.
 */
static int
step_1_to_2(struct store *s, char *err, size_t errlen)
{
	/* The new values of every item are gathered first (keyed by
	 * item), then written in one pass over items with the indexes
	 * that change dropped: each row is rewritten once. */
	static const char pre[] =
	    "ALTER TABLE items ADD COLUMN tickers TEXT;"
	    "ALTER TABLE items ADD COLUMN cats INTEGER NOT NULL DEFAULT 0;"
	    "CREATE TABLE categories(id INTEGER PRIMARY KEY,"
	    " name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	    "INSERT INTO categories(name) SELECT category FROM item_categories"
	    " GROUP BY category ORDER BY COUNT(*) DESC, category;"
	    "CREATE TEMP TABLE v2_cats(item_id INTEGER PRIMARY KEY,"
	    " mask INTEGER);"
	    "INSERT INTO v2_cats SELECT c.item_id, SUM(1 << (k.id - 1))"
	    " FROM item_categories c JOIN categories k ON k.name=c.category"
	    " WHERE k.id<=63 GROUP BY c.item_id;"
	    "DELETE FROM item_categories WHERE category IN"
	    " (SELECT name FROM categories WHERE id<=63);"
	    "CREATE TEMP TABLE v2_tickers(item_id INTEGER PRIMARY KEY,"
	    " list TEXT);"
	    "INSERT INTO v2_tickers SELECT item_id,"
	    " group_concat(ticker, char(10)) FROM item_tickers"
	    " GROUP BY item_id;"
	    "CREATE TEMP TABLE v2_story(old INTEGER PRIMARY KEY, new INTEGER,"
	    " n INTEGER);"
	    "INSERT INTO v2_story SELECT story_id, MIN(id), COUNT(*)"
	    " FROM items WHERE story_id IS NOT NULL GROUP BY story_id;"
	    "CREATE TEMP TABLE v2_stories AS SELECT m.new AS id,"
	    " s.published AS published, s.n_sources AS n_sources"
	    " FROM v2_story m JOIN stories s ON s.id=m.old WHERE m.n>1;"
	    "DROP INDEX items_story;"
	    "DROP INDEX items_published;"
	    "DROP INDEX item_tickers_published;";
	/* In slices of ids: a statement keeps a copy of every page it
	 * changes until it ends (held in memory), so one statement over
	 * the whole table would hold the whole table. */
	static const char upd[] =
	    "UPDATE items SET"
	    " tickers=(SELECT list FROM v2_tickers WHERE item_id=items.id),"
	    " cats=COALESCE((SELECT mask FROM v2_cats"
	    "  WHERE item_id=items.id), 0),"
	    " story_id=(SELECT CASE WHEN m.n>1 THEN m.new END"
	    "  FROM v2_story m WHERE m.old=items.story_id)"
	    " WHERE id>?1 AND id<=?1 + 2000";
	static const char post[] =
	    "DELETE FROM stories;"
	    "INSERT INTO stories(id, published, n_sources)"
	    " SELECT id, published, n_sources FROM v2_stories;"
	    "DROP TABLE v2_cats;"
	    "DROP TABLE v2_tickers;"
	    "DROP TABLE v2_story;"
	    "DROP TABLE v2_stories;"
	    "CREATE INDEX items_story ON items(story_id, feed_id)"
	    " WHERE story_id IS NOT NULL;"
	    "CREATE INDEX items_published ON items(published, id, impact,"
	    " title_hash, story_id, sentiment, tickers, cats);"
	    "INSERT INTO items_fts(items_fts, rank) VALUES('pgsz', 8000);"
	    "INSERT INTO items_fts(items_fts, rank) VALUES('automerge', 8);";
	sqlite3_stmt *st = NULL;
	long long lo, max = 0;
	int rc;

	if ((rc = store_exec(s, pre)) != SQLITE_OK)
		goto out;
	st = store_prepare(s, "SELECT max(id) FROM items", err, errlen);
	if (st == NULL)
		return -1;
	if ((rc = store_step(st)) == SQLITE_ROW) {
		max = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_OK)
		goto out;
	if ((st = store_prepare(s, upd, err, errlen)) == NULL)
		return -1;
	for (lo = 0; lo < max; lo += 2000) {
		sqlite3_bind_int64(st, 1, lo);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto out;
	}
	rc = store_exec(s, post);
out:
	sqlite3_finalize(st);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return store_fail(s, rc, "upgrading the database", err,
		    errlen);
	return 0;
}

/*
 * Version 3, two fewer sources of index writes per stored item:
 *
 * The full-text index keeps which items hold a term, not where
 * (detail=none, columnsize=0): it cost about as much as the rest of an
 * insert together.  Results are ordered by date, never by relevance, so
 * nothing used the positions but phrases; a search word of several
 * tokens ("S&P", "U.S.") is now matched as its tokens, then checked in
 * the item's text (store_query.c).  Segments merge 16 at a time, not 8:
 * fewer rewrites per stored item, and queries at 200,000 items read no
 * slower.
 *
 * Link clustering reads the in-memory map that title clustering uses
 * (store_titles.c), loaded from items_published, which now carries
 * link_hash; the items_link_hash index, a random page per item, goes.
 * A link now clusters within four days of publication, not forever.
 *
 * The (ann_version, id) index goes too: every item had an entry, while
 * only items annotated by another analyzer version (or not at all) are
 * ever looked up.  store_reanalyze() keeps a partial index of exactly
 * those, items_stale, made for the version it runs with.
 */
static int
step_2_to_3(struct store *s, char *err, size_t errlen)
{
	static const char sql[] =
	    "DROP INDEX items_version;"
	    "DROP INDEX items_link_hash;"
	    "DROP INDEX items_published;"
	    "CREATE INDEX items_published ON items(published, id, impact,"
	    " title_hash, story_id, sentiment, tickers, cats, link_hash);"
	    "DROP TRIGGER items_fts_ad;"
	    "DROP TABLE items_fts;"
	    "CREATE VIRTUAL TABLE items_fts USING fts5(title, summary,"
	    " content='items', content_rowid='id', detail=none, columnsize=0,"
	    " tokenize='" STORE_FTS_TOKENIZER "');"
	    "INSERT INTO items_fts(items_fts, rank) VALUES('pgsz', 8000);"
	    "INSERT INTO items_fts(items_fts, rank) VALUES('automerge', 16);"
	    "INSERT INTO items_fts(items_fts) VALUES('rebuild');"
	    "CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN"
	    FTS_DELETE_OLD
	    " END;";
	int rc;

	if ((rc = store_exec(s, sql)) != SQLITE_OK)
		return store_fail(s, rc, "upgrading the database", err,
		    errlen);
	return 0;
}

/*
 * Version 4: the full-text index follows the items (store_fts_catch_up())
 * instead of being written with them, which cost a fetch about a tenth of
 * its time.  meta fts_upto is the highest id indexed: every item up to it
 * is in the index (all of them, after version 3), none above.  A deleted
 * row leaves the index only if it was in it.
 */
static int
step_3_to_4(struct store *s, char *err, size_t errlen)
{
	static const char sql[] =
	    "DROP TRIGGER items_fts_ad;"
	    "CREATE TRIGGER items_fts_ad AFTER DELETE ON items"
	    " WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta"
	    "  WHERE key='fts_upto') BEGIN"
	    FTS_DELETE_OLD
	    " END;"
	    "INSERT OR REPLACE INTO meta(key, value) VALUES('fts_upto',"
	    " (SELECT COALESCE(MAX(id), 0) FROM items));";
	int rc;

	if ((rc = store_exec(s, sql)) != SQLITE_OK)
		return store_fail(s, rc, "upgrading the database", err,
		    errlen);
	return 0;
}

/* deskwire_content_hash(title, summary, content, link), for step 4 -> 5. */
static void
sql_content_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct item it;

	(void)argc;
	memset(&it, 0, sizeof(it));
	it.title = (char *)sqlite3_value_text(argv[0]);
	it.summary = (char *)sqlite3_value_text(argv[1]);
	it.content = (char *)sqlite3_value_text(argv[2]);
	it.link = (char *)sqlite3_value_text(argv[3]);
	sqlite3_result_int64(ctx, (sqlite3_int64)store_content_hash(&it));
}

/*
 * Version 5: the content hash reads eight bytes at a time
 * (store_content_hash()).  Every stored hash is computed again, or each
 * item's next unchanged fetch would read as an update.
 */
static int
step_4_to_5(struct store *s, char *err, size_t errlen)
{
	int rc;

	rc = sqlite3_create_function(s->db, "deskwire_content_hash", 4,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_content_hash, NULL,
	    NULL);
	if (rc == SQLITE_OK)
		rc = store_exec(s, "UPDATE items SET hash ="
		    " deskwire_content_hash(title, summary, content, link)");
	(void)sqlite3_create_function(s->db, "deskwire_content_hash", 4,
	    SQLITE_UTF8, NULL, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "upgrading the database", err,
		    errlen);
	return 0;
}

/*
 * Version 6: feeds.warning keeps what the last document read needed
 * repaired (recover mode, a wrong encoding): the feed worked, yet
 * `deskwire feeds` and the UI say what was wrong with it.
 */
static int
step_5_to_6(struct store *s, char *err, size_t errlen)
{
	int rc;

	rc = store_exec(s, "ALTER TABLE feeds ADD COLUMN warning TEXT");
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "upgrading the database", err,
		    errlen);
	return 0;
}

typedef int (*migrate_fn)(struct store *, char *, size_t);

/* steps[k]: version k -> k + 1.  Append, never edit a shipped step. */
static const migrate_fn steps[] = {
	step_0_to_1,
	step_1_to_2,
	step_2_to_3,
	step_3_to_4,
	step_4_to_5,
	step_5_to_6,
};

_Static_assert(sizeof(steps) / sizeof(steps[0]) == STORE_SCHEMA_VERSION,
    "one migration step per schema version");

int
store_schema_version(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, v = -1;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(s, rc, "reading the schema version", err,
		    errlen);
	rc = store_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "reading the schema version", err,
		    errlen);
	return v;
}

int
store_migrate(struct store *s, char *err, size_t errlen)
{
	char sql[64];
	int v, rc;

	if ((v = store_schema_version(s, err, errlen)) < 0)
		return -1;
	if (v > STORE_SCHEMA_VERSION) {
		util_seterr(err, errlen, "%s: database schema version %d is "
		    "newer than this deskwire (%d); upgrade deskwire or use "
		    "another --db", s->path, v, STORE_SCHEMA_VERSION);
		return -1;
	}
	if (v == STORE_SCHEMA_VERSION)
		return 0;
	if (s->readonly) {
		util_seterr(err, errlen, "%s: database schema version %d needs "
		    "an upgrade to %d, which a read-only database cannot get; "
		    "open it once with write access", s->path, v,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	if (store_begin(s, err, errlen) < 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if ((v = store_schema_version(s, err, errlen)) < 0)
		goto fail;
	for (; v < STORE_SCHEMA_VERSION; v++) {
		if (steps[v](s, err, errlen) < 0)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	if ((rc = store_exec(s, sql)) != SQLITE_OK) {
		store_fail(s, rc, "upgrading the database", err, errlen);
		goto fail;
	}
	/* The title map saw the table being built: start afresh. */
	store_titles_reset(s);
	return store_commit(s, err, errlen);
fail:
	store_rollback(s);
	return -1;
}

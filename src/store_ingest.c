/*
 * store_ingest.c - writing fetched items: dedupe by (feed, guid) with a
 * content hash, story clustering across feeds, the flat annotation
 * encoding, and re-annotation of history in batches.
 *
 * The warm path (a re-fetch where nothing changed) costs one indexed
 * lookup per item and no write: the (feed_id, guid) index returns the
 * stored hash, equal hashes skip the item before any analysis.  A lookup
 * per fetched item beats loading the feed's whole (guid, hash) set, which
 * grows with the retention while a fetch stays ~50 items.
 *
 * Full-text indexing is deferred to the end of the fetch's transaction:
 * the (rowid, old title, old summary) to remove and the rows to add are
 * queued, then written with single-row statements.  FTS5 keeps the terms
 * of a transaction in memory and flushes them into one new segment at
 * commit, but also at every statement savepoint, and any statement that
 * may abort after a partial write (the upsert, foreign-keyed inserts)
 * opens one.  Written row by row inside the transaction, every item made
 * its own one-document segment, and merging those rewrote hundreds of
 * pages per fetch.  Queued, a fetch adds one segment.
 *
 * Clustering: an item joins the story of any stored item with the same
 * normalised link (host lower-cased, "www." and the scheme dropped,
 * tracking parameters, fragment and trailing slash removed), or else with
 * the same normalised title (lower-case, punctuation as spaces, at least
 * four words) published within 48 hours.  Links to a site's home page and
 * short titles ("Markets wrap") are too generic to cluster on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

enum {
	TITLE_WINDOW = 48 * 3600,
	TITLE_MIN_WORDS = 4,
	KEY_MAX = 2048,
	REANALYZE_BATCH = 256
};

uint64_t
store_content_hash(const struct item *it)
{
	const char *f[4] = { it->title, it->summary, it->content, it->link };
	struct strbuf sb;
	uint64_t h;
	size_t i;

	strbuf_init(&sb);
	for (i = 0; i < 4; i++) {
		/* 0x1e marks NULL, 0x1f separates: "" and NULL differ. */
		if (f[i] == NULL)
			strbuf_addc(&sb, 0x1e);
		else
			strbuf_adds(&sb, f[i]);
		strbuf_addc(&sb, 0x1f);
	}
	h = util_hash64(sb.buf, sb.len);
	strbuf_done(&sb);
	return h;
}

static int
is_tracking_param(const char *name, size_t n)
{
	static const char *const drop[] = {
		"fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid",
		"twclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
		"mkt_tok", "ref_src", "ncid", "smid", "cmpid", "s_cid",
		"guccounter", "__twitter_impression", "ocid", "taid",
		"rss", "feed"
	};
	size_t i;

	if (n >= 4 && util_strncasecmp(name, "utm_", 4) == 0)
		return 1;
	for (i = 0; i < UTIL_ARRAY_LEN(drop); i++)
		if (strlen(drop[i]) == n &&
		    util_strncasecmp(name, drop[i], n) == 0)
			return 1;
	return 0;
}

char *
store_link_key(const char *link)
{
	const char *p, *host, *hend, *path, *pend, *q, *qend;
	struct strbuf sb;
	size_t nq = 0;

	if (link == NULL || (p = strstr(link, "://")) == NULL ||
	    strlen(link) > KEY_MAX)
		return NULL;
	host = p + 3;
	hend = host + strcspn(host, "/?#");
	/* Drop user info. */
	for (p = host; p < hend; p++)
		if (*p == '@')
			host = p + 1;
	if (hend - host >= 4 && util_strncasecmp(host, "www.", 4) == 0)
		host += 4;
	if (hend == host)
		return NULL;
	path = hend;
	pend = path + strcspn(path, "?#");
	q = *pend == '?' ? pend + 1 : pend;
	qend = q + strcspn(q, "#");
	while (pend > path && pend[-1] == '/')
		pend--;

	strbuf_init(&sb);
	for (p = host; p < hend; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		strbuf_addc(&sb, c);
	}
	/* Default ports. */
	if (sb.len > 3 && strcmp(sb.buf + sb.len - 3, ":80") == 0)
		sb.buf[sb.len -= 3] = '\0';
	else if (sb.len > 4 && strcmp(sb.buf + sb.len - 4, ":443") == 0)
		sb.buf[sb.len -= 4] = '\0';
	strbuf_add(&sb, path, (size_t)(pend - path));
	while (q < qend) {
		const char *amp = q + strcspn(q, "&#");
		size_t nlen = strcspn(q, "=&#");

		if (amp > qend)
			amp = qend;
		if (nlen > (size_t)(amp - q))
			nlen = (size_t)(amp - q);
		if (amp > q && !is_tracking_param(q, nlen)) {
			strbuf_addc(&sb, nq++ ? '&' : '?');
			strbuf_add(&sb, q, (size_t)(amp - q));
		}
		q = *amp == '&' ? amp + 1 : amp;
	}
	/* A bare host is a home page: every item of some feeds links
	 * there. */
	if (pend == path && nq == 0) {
		strbuf_done(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

char *
store_title_key(const char *title)
{
	struct strbuf sb;
	const unsigned char *p;
	int words = 0, space = 1;

	if (title == NULL || strlen(title) > KEY_MAX)
		return NULL;
	strbuf_init(&sb);
	for (p = (const unsigned char *)title; *p; p++) {
		unsigned char c = *p;

		/* UTF-8 punctuation separates too: U+2000..U+206F (dashes,
		 * curly quotes, ellipsis) and U+00A0..U+00BF (no-break space,
		 * guillemets, middle dot). */
		if ((c == 0xe2 && (p[1] == 0x80 || p[1] == 0x81) && p[2]) ||
		    (c == 0xc2 && p[1] >= 0xa0 && p[1] <= 0xbf)) {
			p += c == 0xe2 ? 2 : 1;
			space = 1;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		/* ASCII letters, digits and any UTF-8 byte are word bytes;
		 * the rest (punctuation, quotes, dashes) separates. */
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c >= 0x80) {
			if (space && sb.len > 0)
				strbuf_addc(&sb, ' ');
			if (space)
				words++;
			strbuf_addc(&sb, (char)c);
			space = 0;
		} else
			space = 1;
	}
	if (words < TITLE_MIN_WORDS) {
		strbuf_done(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

int
store_find_story(struct store *s, const char *link_key,
    const char *title_key, time_t published, long long *story_id,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*story_id = 0;
	if (link_key != NULL) {
		if ((st = store_stmt(s, ST_STORY_BY_LINK, err, errlen)) == NULL)
			return -1;
		store_bind_key(st, 1, link_key);
		rc = store_step(st);
		if (rc == SQLITE_ROW)
			*story_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, rc, "clustering stories", err,
			    errlen);
		if (*story_id != 0)
			return 0;
	}
	if (title_key != NULL) {
		if ((st = store_stmt(s, ST_STORY_BY_TITLE, err, errlen)) ==
		    NULL)
			return -1;
		store_bind_key(st, 1, title_key);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)published -
		    TITLE_WINDOW);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)published +
		    TITLE_WINDOW);
		rc = store_step(st);
		if (rc == SQLITE_ROW)
			*story_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(s, rc, "clustering stories", err,
			    errlen);
	}
	return 0;
}

/* 1 if story_id has an item from a feed other than feed_id stored before
 * rowid (a repeat of a story reported elsewhere), 0 if not, -1. */
static int
story_elsewhere(struct store *s, long long story_id, long long feed_id,
    long long rowid, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (story_id == 0)
		return 0;
	if ((st = store_stmt(s, ST_STORY_OTHER_FEED, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, story_id);
	sqlite3_bind_int64(st, 2, feed_id);
	sqlite3_bind_int64(st, 3, rowid);
	rc = store_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "clustering stories", err, errlen);
	return rc == SQLITE_ROW;
}

/* Append s with tabs and newlines (the encoding's separators) as spaces. */
static void
add_field(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		strbuf_addc(sb, (*s == '\t' || *s == '\n' || *s == '\r') ?
		    ' ' : *s);
}

static void
upper_ticker(const char *t, char *buf)
{
	size_t i;

	for (i = 0; t[i] && i + 1 < ITEM_TICKER_LEN; i++)
		buf[i] = (t[i] >= 'a' && t[i] <= 'z') ?
		    (char)(t[i] - 'a' + 'A') : t[i];
	buf[i] = '\0';
}

/* The flat text forms of an annotation's lists. */
struct ann_text {
	struct strbuf ents, parts, cats;
};

static void
ann_encode(const struct item_annotation *ann, struct ann_text *t)
{
	size_t i;

	strbuf_init(&t->ents);
	strbuf_init(&t->parts);
	strbuf_init(&t->cats);
	for (i = 0; ann->valid && i < ann->n_entities &&
	    i < ITEM_MAX_ENTITIES; i++) {
		strbuf_addf(&t->ents, "%d\t", ann->entities[i].role);
		add_field(&t->ents, ann->entities[i].ticker);
		strbuf_addc(&t->ents, '\t');
		add_field(&t->ents, ann->entities[i].name);
		strbuf_addc(&t->ents, '\n');
	}
	for (i = 0; ann->valid && i < ann->n_parts && i < ITEM_MAX_PARTS;
	    i++) {
		add_field(&t->parts, ann->parts[i].name);
		strbuf_addf(&t->parts, "\t%.17g\n", ann->parts[i].value);
	}
	for (i = 0; ann->valid && i < ann->n_categories &&
	    i < ITEM_MAX_CATEGORIES; i++) {
		if (i)
			strbuf_addc(&t->cats, '\n');
		add_field(&t->cats, ann->categories[i]);
	}
}

static void
ann_text_done(struct ann_text *t)
{
	strbuf_done(&t->ents);
	strbuf_done(&t->parts);
	strbuf_done(&t->cats);
}

/* Bind the ten annotation columns (valid, version, impact, sentiment,
 * label, event, entities, parts, categories, analysis) from index i. */
static void
ann_bind(sqlite3_stmt *st, int i, const struct item_annotation *ann,
    const struct ann_text *t)
{
	int v = ann->valid != 0;

	sqlite3_bind_int(st, i, v);
	/* Version 0 marks "to analyze" for store_reanalyze(). */
	sqlite3_bind_int(st, i + 1, v ? ann->version : 0);
	sqlite3_bind_double(st, i + 2, v ? ann->impact : 0);
	sqlite3_bind_double(st, i + 3, v ? ann->sentiment : 0);
	sqlite3_bind_int(st, i + 4, v ? ann->sentiment_label : 0);
	store_bind_text(st, i + 5, v && ann->event[0] ? ann->event : NULL);
	store_bind_text(st, i + 6, v ? t->ents.buf : NULL);
	store_bind_text(st, i + 7, v ? t->parts.buf : NULL);
	store_bind_text(st, i + 8, v ? t->cats.buf : NULL);
	store_bind_text(st, i + 9, v ? ann->analysis : NULL);
}

int
store_write_annotation(struct store *s, long long rowid, time_t published,
    const struct item_annotation *ann, int row, int is_new, char *err,
    size_t errlen)
{
	struct ann_text t;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (row) {
		if ((st = store_stmt(s, ST_ANN_SET, err, errlen)) == NULL)
			return -1;
		ann_encode(ann, &t);
		sqlite3_bind_int64(st, 1, rowid);
		ann_bind(st, 2, ann, &t);
		rc = store_run(st);
		ann_text_done(&t);
		if (rc != SQLITE_DONE)
			goto dberr;
	}
	if (!is_new) {
		if ((st = store_stmt(s, ST_TICKERS_DEL, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, rowid);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
		if ((st = store_stmt(s, ST_CATS_DEL, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, rowid);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
	}
	for (i = 0; ann->valid && i < ann->n_entities &&
	    i < ITEM_MAX_ENTITIES; i++) {
		char tk[ITEM_TICKER_LEN];

		if (!ann->entities[i].ticker[0])
			continue;
		upper_ticker(ann->entities[i].ticker, tk);
		if ((st = store_stmt(s, ST_TICKER_ADD, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, tk, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, published);
		sqlite3_bind_int64(st, 3, rowid);
		sqlite3_bind_int(st, 4, ann->entities[i].role);
		sqlite3_bind_double(st, 5, ann->impact);
		sqlite3_bind_double(st, 6, ann->sentiment);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
	}
	for (i = 0; ann->valid && i < ann->n_categories &&
	    i < ITEM_MAX_CATEGORIES; i++) {
		if (!ann->categories[i][0])
			continue;
		if ((st = store_stmt(s, ST_CAT_ADD, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, ann->categories[i], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, published);
		sqlite3_bind_int64(st, 3, rowid);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
	}
	return 0;
dberr:
	return store_fail(s, rc, "saving an annotation", err, errlen);
}

int
store_set_annotation(struct store *s, long long rowid,
    const struct item_annotation *ann, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	time_t pub = 0;
	int rc;

	if (store_begin(s, err, errlen) < 0)
		return -1;
	if ((st = store_stmt(s, ST_ITEM_PUBLISHED, err, errlen)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, rowid);
	rc = store_step(st);
	if (rc == SQLITE_ROW)
		pub = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		util_seterr(err, errlen, "%s: no item %lld", s->path, rowid);
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		store_fail(s, rc, "saving an annotation", err, errlen);
		goto fail;
	}
	if (store_write_annotation(s, rowid, pub, ann, 1, 0, err, errlen) < 0)
		goto fail;
	return store_commit(s, err, errlen);
fail:
	store_rollback(s);
	return -1;
}

/* The item's guid: its id, else its link, else a hash of its title. */
static void
ensure_guid(struct item *it)
{
	char buf[40];

	if (it->id != NULL && it->id[0])
		return;
	if (it->link != NULL && it->link[0]) {
		item_set(&it->id, it->link);
		return;
	}
	snprintf(buf, sizeof(buf), "title:%016llx", (unsigned long long)
	    util_hash64(it->title ? it->title : "", it->title ?
	    strlen(it->title) : 0));
	item_set(&it->id, buf);
}

/* A queued full-text change: remove (owned copies of the indexed
 * values) or add (borrowed from the item, alive until the commit). */
struct fts_op {
	long long rowid;
	int del;
	char *title, *summary;
};

struct fts_queue {
	struct fts_op *v;
	size_t n, cap;
};

static void
fts_push(struct fts_queue *q, long long rowid, int del, char *title,
    char *summary)
{
	q->v = xreallocarray_grow(q->v, &q->cap, q->n + 1, sizeof(*q->v));
	q->v[q->n].rowid = rowid;
	q->v[q->n].del = del;
	q->v[q->n].title = title;
	q->v[q->n++].summary = summary;
}

static void
fts_queue_done(struct fts_queue *q)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		if (q->v[i].del) {
			free(q->v[i].title);
			free(q->v[i].summary);
		}
	free(q->v);
	memset(q, 0, sizeof(*q));
}

/* Write the queued changes in order: a guid twice in one fetch is added,
 * removed and added again. */
static int
fts_flush(struct store *s, struct fts_queue *q, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < q->n; i++) {
		st = store_stmt(s, q->v[i].del ? ST_FTS_DEL : ST_FTS_ADD, err,
		    errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, q->v[i].rowid);
		store_bind_text(st, 2, q->v[i].title);
		store_bind_text(st, 3, q->v[i].summary);
		if ((rc = store_run(st)) != SQLITE_DONE)
			return store_fail(s, rc, "indexing items for search",
			    err, errlen);
	}
	return 0;
}

/* Store one item: 1 written, 0 unchanged (skipped), -1 error. */
static int
ingest_one(struct store *s, long long feed_id, const struct store_feed *f,
    struct item *it, time_t now, store_annotate_fn annotate, void *arg,
    struct fts_queue *fq, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	struct ann_text at;
	long long rowid = 0, sid = 0;
	uint64_t h;
	char *lk = NULL, *tk = NULL;
	int rc, found = 0, repeat, ret = -1, nsrc = 1, new_story = 0;

	ensure_guid(it);
	h = store_content_hash(it);
	if ((st = store_stmt(s, ST_ITEM_LOOKUP, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
	rc = store_step(st);
	if (rc == SQLITE_ROW) {
		found = 1;
		rowid = sqlite3_column_int64(st, 0);
		if ((uint64_t)sqlite3_column_int64(st, 1) == h) {
			sqlite3_reset(st);
			return 0;
		}
		sid = sqlite3_column_int64(st, 2);
		/* The values the index holds for the row, to remove. */
		fts_push(fq, rowid, 1, store_col_strdup(st, 3),
		    store_col_strdup(st, 4));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "looking up items", err, errlen);

	if (it->published <= 0) {
		it->published = now;
		it->published_guessed = 1;
	}
	lk = store_link_key(it->link);
	tk = store_title_key(it->title);
	if (sid == 0 && store_find_story(s, lk, tk, it->published, &sid, err,
	    errlen) < 0)
		goto out;
	repeat = story_elsewhere(s, sid, feed_id, found ? rowid : INT64_MAX,
	    err, errlen);
	if (repeat < 0)
		goto out;
	if (annotate != NULL)
		annotate(arg, it, repeat);
	if (sid == 0) {
		if ((st = store_stmt(s, ST_STORY_NEW, err, errlen)) == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, it->published);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
		sid = sqlite3_last_insert_rowid(s->db);
		new_story = 1;
	}

	if ((st = store_stmt(s, ST_ITEM_UPSERT, err, errlen)) == NULL)
		goto out;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)h);
	store_bind_text(st, 4, it->link);
	store_bind_text(st, 5, it->title);
	store_bind_text(st, 6, it->summary);
	store_bind_text(st, 7, it->content);
	store_bind_text(st, 8, it->author);
	store_bind_text(st, 9, it->tags);
	sqlite3_bind_int64(st, 10, it->published);
	sqlite3_bind_int(st, 11, it->published_guessed != 0);
	sqlite3_bind_int64(st, 12, now);
	sqlite3_bind_int64(st, 13, sid);
	store_bind_key(st, 14, lk);
	store_bind_key(st, 15, tk);
	sqlite3_bind_double(st, 16, it->source_weight);
	ann_encode(&it->ann, &at);
	ann_bind(st, 17, &it->ann, &at);
	rc = store_step(st);
	ann_text_done(&at);
	if (rc == SQLITE_ROW) {
		it->rowid = sqlite3_column_int64(st, 0);
		it->first_seen = (time_t)sqlite3_column_int64(st, 1);
		it->published = (time_t)sqlite3_column_int64(st, 2);
		it->updated = (time_t)sqlite3_column_int64(st, 3);
		rc = store_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto dberr;
	it->is_update = found;
	fts_push(fq, it->rowid, 0, it->title, it->summary);
	if (store_write_annotation(s, it->rowid, it->published, &it->ann,
	    0, !found, err, errlen) < 0)
		goto out;

	if (!new_story) {
		if ((st = store_stmt(s, ST_STORY_UPDATE, err, errlen)) == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, sid);
		sqlite3_bind_int64(st, 2, it->published);
		rc = store_step(st);
		if (rc == SQLITE_ROW) {
			nsrc = sqlite3_column_int(st, 0);
			rc = store_step(st);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto dberr;
	}
	it->story_id = sid;
	it->n_sources = nsrc > 0 ? nsrc : 1;
	if (it->feed == NULL)
		item_set(&it->feed, f->name ? f->name : f->url);
	if (it->feed_url == NULL || strcmp(it->feed_url, f->url) != 0)
		item_set(&it->feed_url, f->url);
	ret = 1;
	goto out;
dberr:
	store_fail(s, rc, "saving items", err, errlen);
out:
	free(lk);
	free(tk);
	return ret;
}

int
store_ingest(struct store *s, const struct store_feed *f,
    struct item **items, store_annotate_fn annotate, void *arg,
    struct item **fresh, char *err, size_t errlen)
{
	struct item *keep = NULL, **ktail = &keep, *done = NULL;
	struct item **dtail = &done, *it, *next, **p;
	struct fts_queue fq = { NULL, 0, 0 };
	long long feed_id;
	time_t now = util_now();
	int r;

	if (store_begin(s, err, errlen) < 0)
		return -1;
	if (store_feed_upsert(s, f, &feed_id, err, errlen) < 0) {
		store_rollback(s);
		return -1;
	}
	for (it = *items; it != NULL; it = next) {
		next = it->next;
		it->next = NULL;
		r = ingest_one(s, feed_id, f, it, now, annotate, arg, &fq,
		    err, errlen);
		if (r < 0) {
			it->next = next;
			*ktail = it;
			goto fail;
		}
		if (r > 0) {
			*dtail = it;
			dtail = &it->next;
		} else {
			*ktail = it;
			ktail = &it->next;
		}
	}
	if (fts_flush(s, &fq, err, errlen) < 0 ||
	    store_commit(s, err, errlen) < 0)
		goto fail;
	fts_queue_done(&fq);
	*items = keep;
	for (p = fresh; *p != NULL; p = &(*p)->next)
		;
	*p = done;
	return 0;
fail:
	fts_queue_done(&fq);
	store_rollback(s);
	/* Nothing was written: hand every item back, unstored. */
	for (it = done; it != NULL; it = it->next) {
		it->rowid = 0;
		it->story_id = 0;
		it->is_update = 0;
	}
	for (p = &keep; *p != NULL; p = &(*p)->next)
		;
	*p = done;
	*items = keep;
	return -1;
}

int
store_reanalyze(struct store *s, int version, int force,
    store_annotate_fn annotate, void *arg, const volatile int *cancel,
    long *done, char *err, size_t errlen)
{
	struct item *batch[REANALYZE_BATCH];
	long long feeds[REANALYZE_BATCH];
	long long last = 0;
	sqlite3_stmt *st;
	size_t n, i;
	int rc, repeat;

	*done = 0;
	for (;;) {
		/* An atomic read: another thread may set the flag. */
		if (cancel != NULL && __atomic_load_n(cancel,
		    __ATOMIC_RELAXED))
			return 0;
		if (store_begin(s, err, errlen) < 0)
			return -1;
		st = store_stmt(s, force ? ST_REANALYZE_ALL :
		    ST_REANALYZE_BATCH, err, errlen);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, last);
		sqlite3_bind_int(st, 3, version);
		sqlite3_bind_int(st, 4, REANALYZE_BATCH);
		n = 0;
		while (n < REANALYZE_BATCH &&
		    (rc = store_step(st)) == SQLITE_ROW) {
			feeds[n] = sqlite3_column_int64(st,
			    sqlite3_column_count(st) - 1);
			batch[n++] = store_item_from_row(st);
		}
		sqlite3_reset(st);
		if (n < REANALYZE_BATCH && rc != SQLITE_DONE) {
			store_fail(s, rc, "reading items", err, errlen);
			goto fail_free;
		}
		if (n == 0)
			return store_commit(s, err, errlen);
		for (i = 0; i < n; i++) {
			struct item *it = batch[i];

			repeat = story_elsewhere(s, it->story_id, feeds[i],
			    it->rowid, err, errlen);
			if (repeat < 0)
				goto fail_free;
			annotate(arg, it, repeat);
			if (it->ann.valid && it->ann.version == 0)
				it->ann.version = version;
			if (store_write_annotation(s, it->rowid,
			    it->published, &it->ann, 1, 0, err, errlen) < 0)
				goto fail_free;
			last = it->rowid;
		}
		if (store_commit(s, err, errlen) < 0) {
			for (i = 0; i < n; i++)
				item_free(batch[i]);
			return -1;
		}
		for (i = 0; i < n; i++)
			item_free(batch[i]);
		*done += (long)n;
	}
fail_free:
	for (i = 0; i < n; i++)
		item_free(batch[i]);
fail:
	store_rollback(s);
	return -1;
}

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
 * The cold path is one INSERT per new item and one multi-row INSERT for
 * its ticker rows; categories are bits of the item
 * row (items.cats) and an item alone needs no story row (see
 * store_schema.c, version 2).  What it costs is index entries and pages:
 * each commit rewrites every page it touched, so whatever spreads writes
 * over the file (a hash index, a per-name index) costs a page per row.
 * Hence the batch (store_batch_begin): many feeds in one transaction, so
 * that each touched page is written once per batch.  Not in a savepoint
 * each: SQLite copies every page a savepoint changes that existed when
 * it began into its sub-journal (70 pages of 8 KiB per feed of 20 items,
 * 570 MB for a first fetch of 1,000 feeds, 7% of its time), so a feed
 * that fails after it wrote takes the batch with it (see store_batch_*);
 * the title clustering from memory (store_titles.c) instead of a
 * hash index; ticker rows keyed by name first and removed by their exact
 * key (no index by item).  Per item, nothing is allocated once the
 * scratch buffers of struct store are warm: keys and the annotation
 * lists are built there, texts are bound in place (SQLITE_STATIC), the
 * content hash is computed field by field.
 *
 * New items stay out of the full-text index (schema version 4): they
 * are added later, oldest first, by store_fts_catch_up(), which a search
 * calls first and the dashboard's poller calls between polls; meta
 * fts_upto says how far it got.  Only rows the index already holds are
 * changed here: an update of one (its old text removed, the new added)
 * or an id reused after the newest item was deleted.  Those changes are
 * deferred to the end of the batch: the (rowid, old title, old summary)
 * to remove and the rows to add are queued, then written with
 * single-row statements just before COMMIT.  FTS5 keeps the
 * terms of a transaction in memory and flushes them into one new segment
 * at commit, but also at every savepoint: those of any statement that
 * may abort after a partial write.
 * Written row by row among the other writes, every item made its own
 * one-document segment, and merging those rewrote hundreds of pages per
 * fetch.  Queued, a batch adds one segment.
 *
 * Clustering: an item joins the story of a stored item with the same
 * normalised link (host lower-cased, "www." and the scheme dropped,
 * tracking parameters, fragment and trailing slash removed) published
 * within four days, or else with
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
	TITLE_MIN_WORDS = 4,
	KEY_MAX = 2048,
	REANALYZE_BATCH = 256
};

#define CH_MUL 0x9E3779B97F4A7C15ULL	/* 2^64 / golden ratio */

/* One 64-bit word into the content hash. */
static uint64_t
ch_word(uint64_t h, uint64_t w)
{
	h = (h ^ w) * CH_MUL;
	return h ^ (h >> 29);
}

/* n <= 8 bytes at p as a little-endian word, zero-padded. */
static uint64_t
ch_load(const char *p, size_t n)
{
	uint64_t w = 0;

	memcpy(&w, p, n);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * The hash of title, summary, content and link (schema version 5): each
 * field's length + 1 (0 for NULL, so "" and NULL differ), then its bytes
 * eight at a time, the last word zero-padded; murmur3's finaliser at the
 * end.  An item of 1.5 KB hashed byte by byte (FNV-1a, a multiply per
 * byte) cost a twentieth of the parse thread's time.
 */
uint64_t
store_content_hash(const struct item *it)
{
	const char *f[4] = { it->title, it->summary, it->content, it->link };
	uint64_t h = 1469598103934665603ULL;
	size_t i, n, k;

	for (i = 0; i < 4; i++) {
		n = f[i] == NULL ? 0 : strlen(f[i]);
		h = ch_word(h, f[i] == NULL ? 0 : (uint64_t)n + 1);
		for (k = 0; k + 8 <= n; k += 8)
			h = ch_word(h, ch_load(f[i] + k, 8));
		if (k < n)
			h = ch_word(h, ch_load(f[i] + k, n - k));
	}
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	return h ^ (h >> 33);
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

int
store_link_key_buf(const char *link, struct strbuf *sb)
{
	const char *p, *host, *hend, *path, *pend, *q, *qend;
	size_t nq = 0;

	strbuf_reset(sb);
	if (link == NULL || strlen(link) > KEY_MAX ||
	    (host = util_url_host(link, &hend)) == NULL)
		return 0;
	if (hend - host >= 4 && util_strncasecmp(host, "www.", 4) == 0)
		host += 4;
	if (hend == host)
		return 0;
	path = hend;
	pend = path + strcspn(path, "?#");
	q = *pend == '?' ? pend + 1 : pend;
	qend = q + strcspn(q, "#");
	while (pend > path && pend[-1] == '/')
		pend--;

	strbuf_grow(sb, (size_t)(qend - host) + 2);
	for (p = host; p < hend; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		sb->buf[sb->len++] = c;
	}
	sb->buf[sb->len] = '\0';
	/* Default ports. */
	if (sb->len > 3 && strcmp(sb->buf + sb->len - 3, ":80") == 0)
		sb->buf[sb->len -= 3] = '\0';
	else if (sb->len > 4 && strcmp(sb->buf + sb->len - 4, ":443") == 0)
		sb->buf[sb->len -= 4] = '\0';
	strbuf_add(sb, path, (size_t)(pend - path));
	while (q < qend) {
		const char *amp = q + strcspn(q, "&#");
		size_t nlen = strcspn(q, "=&#");

		if (amp > qend)
			amp = qend;
		if (nlen > (size_t)(amp - q))
			nlen = (size_t)(amp - q);
		if (amp > q && !is_tracking_param(q, nlen)) {
			strbuf_addc(sb, nq++ ? '&' : '?');
			strbuf_add(sb, q, (size_t)(amp - q));
		}
		q = *amp == '&' ? amp + 1 : amp;
	}
	/* A bare host is a home page: every item of some feeds links
	 * there. */
	if (pend == path && nq == 0) {
		strbuf_reset(sb);
		return 0;
	}
	return 1;
}

char *
store_link_key(const char *link)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (store_link_key_buf(link, &sb))
		return strbuf_detach(&sb, NULL);
	strbuf_done(&sb);
	return NULL;
}

int
store_title_key_buf(const char *title, struct strbuf *sb)
{
	const unsigned char *p;
	char *out;
	size_t n;
	int words = 0, space = 1;

	strbuf_reset(sb);
	if (title == NULL || (n = strlen(title)) > KEY_MAX)
		return 0;
	/* The key is never longer than the title: written in place. */
	strbuf_grow(sb, n);
	out = sb->buf;
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
			if (space && out > sb->buf)
				*out++ = ' ';
			if (space)
				words++;
			*out++ = (char)c;
			space = 0;
		} else
			space = 1;
	}
	*out = '\0';
	sb->len = (size_t)(out - sb->buf);
	if (words < TITLE_MIN_WORDS) {
		strbuf_reset(sb);
		return 0;
	}
	return 1;
}

char *
store_title_key(const char *title)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (store_title_key_buf(title, &sb))
		return strbuf_detach(&sb, NULL);
	strbuf_done(&sb);
	return NULL;
}

/* The hashes of an item's clustering keys (0: none). */
static void
key_hashes(struct strbuf *scratch, const struct item *it, uint64_t *link,
    uint64_t *title)
{
	*link = *title = 0;
	if (store_link_key_buf(it->link, scratch))
		*link = util_hash64(scratch->buf, scratch->len);
	if (store_title_key_buf(it->title, scratch))
		*title = util_hash64(scratch->buf, scratch->len);
}

void
store_item_prehash(struct item *it, struct strbuf *scratch)
{
	it->hashes.content = store_content_hash(it);
	key_hashes(scratch, it, &it->hashes.link, &it->hashes.title);
	it->hashes.valid = 1;
}

static void
bind_hash(sqlite3_stmt *st, int i, uint64_t h)
{
	if (h == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, (sqlite3_int64)h);
}

int
store_find_story(struct store *s, uint64_t link_hash, uint64_t title_hash,
    time_t published, long long *story_id, char *err, size_t errlen)
{
	*story_id = 0;
	if (link_hash != 0) {
		if (store_titles_find(s, store_link_map_key(link_hash),
		    published, STORE_LINK_WINDOW, story_id, err, errlen) < 0)
			return -1;
		if (*story_id != 0)
			return 0;
	}
	if (title_hash != 0)
		return store_titles_find(s, title_hash, published,
		    STORE_TITLE_WINDOW, story_id, err, errlen);
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

/* Append s with tabs and newlines (the encoding's separators) as spaces;
 * returns where it starts in sb. */
static size_t
add_field(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s), i, at = sb->len;
	char *o;

	strbuf_grow(sb, n);
	o = sb->buf + sb->len;
	for (i = 0; i < n; i++) {
		char c = s[i];

		o[i] = (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
	}
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return at;
}

/* The ticker as stored in item_tickers: upper case, separators as
 * spaces (as the entities text has it). */
static void
upper_ticker(const char *t, char *buf)
{
	size_t i;

	for (i = 0; t[i] && i + 1 < ITEM_TICKER_LEN; i++) {
		char c = t[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (c == '\t' || c == '\n' || c == '\r')
			c = ' ';
		buf[i] = c;
	}
	buf[i] = '\0';
}

/*
 * A part's value: exact decimals when six places hold it (what the
 * analyzer produces: strtod reads back the same double, both being
 * correctly rounded), else %.17g.  Formatted by hand: printf's floating
 * point was the costliest thing ingest did per item.
 */
static void
add_value(struct strbuf *sb, double v)
{
	char buf[48], *p = buf + 24, frac[7];
	long long k, ip;
	int i, nf;

	if (!(v > -1e12 && v < 1e12) ||
	    (k = (long long)(v * 1e6 + (v < 0 ? -0.5 : 0.5)),
	    (double)k / 1e6 != v)) {
		strbuf_addf(sb, "%.17g", v);
		return;
	}
	if (k < 0) {
		strbuf_addc(sb, '-');
		k = -k;
	}
	ip = k / 1000000;
	k %= 1000000;
	for (i = 5; i >= 0; i--, k /= 10)
		frac[i] = (char)('0' + k % 10);
	for (nf = 6; nf > 0 && frac[nf - 1] == '0'; nf--)
		;
	*p = '\0';
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	strbuf_add(sb, p, (size_t)(buf + 24 - p));
	if (nf > 0) {
		strbuf_addc(sb, '.');
		strbuf_add(sb, frac, (size_t)nf);
	}
}

/* Append ticker t (upper case) to the '\n'-separated list in sb unless
 * empty or already there. */
static void
add_ticker(struct strbuf *sb, const char *t)
{
	char tk[ITEM_TICKER_LEN];
	const char *p;
	size_t n;

	if (!t[0])
		return;
	upper_ticker(t, tk);
	n = strlen(tk);
	for (p = sb->buf; p < sb->buf + sb->len; p += strcspn(p, "\n") + 1)
		if (strncmp(p, tk, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return;
	if (sb->len)
		strbuf_addc(sb, '\n');
	strbuf_add(sb, tk, n);
}

void
store_cats_reset(struct store *s)
{
	s->n_cats_seen = 0;
}

int
store_cat_id(struct store *s, const char *name, size_t len, int create,
    long long *id, char *err, size_t errlen)
{
	struct cat_ent *c;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	*id = 0;
	/* SQLite's NOCASE folds ASCII only, as util_strncasecmp does. */
	for (i = 0; i < s->n_cats_seen; i++) {
		c = &s->cats_seen[i];
		if (c->len == len &&
		    util_strncasecmp(c->name, name, len) == 0) {
			*id = c->id;
			return 0;
		}
	}
	if (create) {
		if ((st = store_stmt(s, ST_CAT_NEW, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_text(st, 1, name, (int)len, SQLITE_STATIC);
		if ((rc = store_run(st)) != SQLITE_DONE)
			return store_fail(s, rc, "saving a category", err,
			    errlen);
	}
	if ((st = store_stmt(s, ST_CAT_ID, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, (int)len, SQLITE_STATIC);
	rc = store_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "reading categories", err, errlen);
	if (*id != 0 && s->n_cats_seen < STORE_CAT_CACHE &&
	    len < ITEM_CATEGORY_LEN) {
		c = &s->cats_seen[s->n_cats_seen++];
		memcpy(c->name, name, len);
		c->name[len] = '\0';
		c->len = len;
		c->id = *id;
	}
	return 0;
}

/* The next name of a '\n'-separated list at *p (advanced past it), its
 * length in *len; 0 at the end. */
static int
next_name(const char **p, const char **name, size_t *len)
{
	while (**p == '\n')
		(*p)++;
	if (**p == '\0')
		return 0;
	*name = *p;
	*len = strcspn(*p, "\n");
	*p += *len;
	return 1;
}

/*
 * The flat text forms of an annotation's lists into s->ents, s->parts,
 * s->cats, s->tks: "role\tticker\tname\n" lines, "name\tvalue\n" lines,
 * categories '\n'-separated, and the distinct tickers as item_tickers
 * has them, '\n'-separated; the categories' bits into s->cat_mask
 * (taking ids for new names: inside a write transaction).
 */
static int
ann_encode(struct store *s, const struct item_annotation *ann, char *err,
    size_t errlen)
{
	const char *p, *name;
	long long id;
	size_t i, len;

	s->cat_mask = 0;
	strbuf_reset(&s->ents);
	strbuf_reset(&s->parts);
	strbuf_reset(&s->cats);
	strbuf_reset(&s->tks);
	if (!ann->valid)
		return 0;
	for (i = 0; i < ann->n_entities && i < ITEM_MAX_ENTITIES; i++) {
		int role = ann->entities[i].role;

		strbuf_addc(&s->ents, (char)('0' + (role >= 0 && role <= 9 ?
		    role : 0)));
		strbuf_addc(&s->ents, '\t');
		add_field(&s->ents, ann->entities[i].ticker);
		strbuf_addc(&s->ents, '\t');
		add_field(&s->ents, ann->entities[i].name);
		strbuf_addc(&s->ents, '\n');
		add_ticker(&s->tks, ann->entities[i].ticker);
	}
	for (i = 0; i < ann->n_parts && i < ITEM_MAX_PARTS; i++) {
		add_field(&s->parts, ann->parts[i].name);
		strbuf_addc(&s->parts, '\t');
		add_value(&s->parts, ann->parts[i].value);
		strbuf_addc(&s->parts, '\n');
	}
	for (i = 0; i < ann->n_categories && i < ITEM_MAX_CATEGORIES; i++) {
		if (i)
			strbuf_addc(&s->cats, '\n');
		add_field(&s->cats, ann->categories[i]);
	}
	for (p = s->cats.buf; next_name(&p, &name, &len);) {
		if (store_cat_id(s, name, len, 1, &id, err, errlen) < 0)
			return -1;
		if (id >= 1 && id <= STORE_CAT_BITS)
			s->cat_mask |= (long long)(1ULL << (id - 1));
	}
	return 0;
}

static void
bind_static(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Bind the twelve annotation columns (valid, version, impact, sentiment,
 * label, event, entities, parts, categories, analysis, tickers, cats)
 * from index i, the
 * lists as ann_encode() left them in s (alive until the step). */
static void
ann_bind(struct store *s, sqlite3_stmt *st, int i,
    const struct item_annotation *ann)
{
	int v = ann->valid != 0;

	sqlite3_bind_int(st, i, v);
	/* Version 0 marks "to analyze" for store_reanalyze(). */
	sqlite3_bind_int(st, i + 1, v ? ann->version : 0);
	sqlite3_bind_double(st, i + 2, v ? ann->impact : 0);
	sqlite3_bind_double(st, i + 3, v ? ann->sentiment : 0);
	sqlite3_bind_int(st, i + 4, v ? ann->sentiment_label : 0);
	bind_static(st, i + 5, v && ann->event[0] ? ann->event : NULL);
	bind_static(st, i + 6, v ? s->ents.buf : NULL);
	bind_static(st, i + 7, v ? s->parts.buf : NULL);
	bind_static(st, i + 8, v ? s->cats.buf : NULL);
	bind_static(st, i + 9, v ? ann->analysis : NULL);
	bind_static(st, i + 10, v && s->tks.len ? s->tks.buf : NULL);
	sqlite3_bind_int64(st, i + 11, v ? s->cat_mask : 0);
}

/* Remove a ticker or category row by its key. */
static int
run_row(struct store *s, enum store_stmt_id id, const char *name,
    long long published, long long rowid, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, id, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, published);
	sqlite3_bind_int64(st, 3, rowid);
	if ((rc = store_run(st)) != SQLITE_DONE)
		return store_fail(s, rc, "saving an annotation", err, errlen);
	return 0;
}

/*
 * Remove the ticker and category rows of rowid as its stored row lists
 * them (entities and categories text, published): by their exact keys,
 * so those tables need no index by item.
 */
static int
drop_index_rows(struct store *s, long long rowid, char *err, size_t errlen)
{
	struct item_annotation *old = NULL;
	sqlite3_stmt *st;
	long long pub = 0;
	size_t i;
	int rc, ret = -1;

	if ((st = store_stmt(s, ST_ITEM_OLD_ANN, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	rc = store_step(st);
	if (rc == SQLITE_ROW) {
		old = xcalloc(1, sizeof(*old));
		pub = sqlite3_column_int64(st, 0);
		store_decode_entities(old, (const char *)
		    sqlite3_column_text(st, 1));
		store_decode_categories(old, (const char *)
		    sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "saving an annotation", err, errlen);
	if (old == NULL)
		return 0;
	for (i = 0; i < old->n_entities; i++) {
		char tk[ITEM_TICKER_LEN];

		if (!old->entities[i].ticker[0])
			continue;
		upper_ticker(old->entities[i].ticker, tk);
		if (run_row(s, ST_TICKER_DEL, tk, pub, rowid, err, errlen) < 0)
			goto out;
	}
	for (i = 0; i < old->n_categories; i++) {
		long long id;

		/* Only categories past the bits of items.cats have rows. */
		if (!old->categories[i][0])
			continue;
		if (store_cat_id(s, old->categories[i],
		    strlen(old->categories[i]), 0, &id, err, errlen) < 0)
			goto out;
		if (id > STORE_CAT_BITS && run_row(s, ST_CAT_DEL,
		    old->categories[i], pub, rowid, err, errlen) < 0)
			goto out;
	}
	ret = 0;
out:
	free(old);
	return ret;
}

/*
 * The cached INSERT of n rows into table (n >= 1) with `cols` columns,
 * in *slot: one statement per item and table rather than one per row
 * (a statement's start and finish cost more than the row it writes).
 */
static sqlite3_stmt *
multi_insert(struct store *s, sqlite3_stmt **slot, const char *head,
    int cols, size_t n, char *err, size_t errlen)
{
	struct strbuf sb;
	size_t i;
	int c;

	if (*slot != NULL) {
		sqlite3_reset(*slot);
		return *slot;
	}
	strbuf_init(&sb);
	strbuf_adds(&sb, head);
	for (i = 0; i < n; i++) {
		strbuf_adds(&sb, i ? ",(" : " VALUES(");
		for (c = 0; c < cols; c++)
			strbuf_adds(&sb, c ? ",?" : "?");
		strbuf_addc(&sb, ')');
	}
	*slot = store_prepare(s, sb.buf, err, errlen);
	strbuf_done(&sb);
	return *slot;
}

/* The ticker and category rows of a written annotation; the category
 * texts as ann_encode() left them in s->cats (bound in place). */
static int
add_index_rows(struct store *s, long long rowid, time_t published,
    const struct item_annotation *ann, char *err, size_t errlen)
{
	char tk[ITEM_MAX_ENTITIES][ITEM_TICKER_LEN];
	const struct item_entity *e[ITEM_MAX_ENTITIES];
	const char *cat[ITEM_MAX_CATEGORIES];
	size_t lens[ITEM_MAX_CATEGORIES];
	sqlite3_stmt *st;
	size_t i, n = 0;
	const char *p;
	int rc, b;

	if (!ann->valid)
		return 0;
	/* A ticker or category listed twice: OR IGNORE keeps the first. */
	for (i = 0; i < ann->n_entities && i < ITEM_MAX_ENTITIES; i++)
		if (ann->entities[i].ticker[0]) {
			e[n] = &ann->entities[i];
			upper_ticker(e[n]->ticker, tk[n]);
			n++;
		}
	if (n > 0) {
		st = multi_insert(s, &s->tk_ins[n], "INSERT OR IGNORE INTO"
		    " item_tickers(ticker, published, item_id, role, impact,"
		    " sentiment)", 6, n, err, errlen);
		if (st == NULL)
			return -1;
		for (i = 0, b = 1; i < n; i++, b += 6) {
			sqlite3_bind_text(st, b, tk[i], -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, b + 1, published);
			sqlite3_bind_int64(st, b + 2, rowid);
			sqlite3_bind_int(st, b + 3, e[i]->role);
			sqlite3_bind_double(st, b + 4, ann->impact);
			sqlite3_bind_double(st, b + 5, ann->sentiment);
		}
		if ((rc = store_run(st)) != SQLITE_DONE)
			return store_fail(s, rc, "saving an annotation", err,
			    errlen);
	}
	/* s->cats holds the names '\n'-separated: bound by length.  Only
	 * categories past the bits of items.cats get rows. */
	n = 0;
	for (p = s->cats.buf; n < ITEM_MAX_CATEGORIES &&
	    next_name(&p, &cat[n], &lens[n]);) {
		long long id;

		if (store_cat_id(s, cat[n], lens[n], 0, &id, err, errlen) < 0)
			return -1;
		if (id > STORE_CAT_BITS)
			n++;
	}
	if (n == 0)
		return 0;
	st = multi_insert(s, &s->cat_ins[n], "INSERT OR IGNORE INTO"
	    " item_categories(category, published, item_id)", 3, n, err,
	    errlen);
	if (st == NULL)
		return -1;
	for (i = 0, b = 1; i < n; i++, b += 3) {
		sqlite3_bind_text(st, b, cat[i], (int)lens[i], SQLITE_STATIC);
		sqlite3_bind_int64(st, b + 1, published);
		sqlite3_bind_int64(st, b + 2, rowid);
	}
	if ((rc = store_run(st)) != SQLITE_DONE)
		return store_fail(s, rc, "saving an annotation", err, errlen);
	return 0;
}

int
store_write_annotation(struct store *s, long long rowid, time_t published,
    const struct item_annotation *ann, int row, int is_new, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if (!is_new && drop_index_rows(s, rowid, err, errlen) < 0)
		return -1;
	if (ann_encode(s, ann, err, errlen) < 0)
		return -1;
	if (row) {
		if ((st = store_stmt(s, ST_ANN_SET, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, rowid);
		ann_bind(s, st, 2, ann);
		if ((rc = store_run(st)) != SQLITE_DONE)
			return store_fail(s, rc, "saving an annotation", err,
			    errlen);
	}
	return add_index_rows(s, rowid, published, ann, err, errlen);
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

/* Copy v (NULL: SIZE_MAX) into the queue's arena. */
static size_t
fts_text(struct fts_queue *q, const char *v)
{
	size_t at = q->text.len;

	if (v == NULL)
		return SIZE_MAX;
	strbuf_add(&q->text, v, strlen(v) + 1);
	return at;
}

static void
fts_push(struct store *s, long long rowid, int del, const char *title,
    const char *summary)
{
	struct fts_queue *q = &s->fq;
	struct fts_op *op;

	q->v = xreallocarray_grow(q->v, &q->cap, q->n + 1, sizeof(*q->v));
	op = &q->v[q->n++];
	op->rowid = rowid;
	op->del = del;
	op->title = fts_text(q, title);
	op->summary = fts_text(q, summary);
}

void
store_fts_clear(struct store *s, size_t from)
{
	struct fts_queue *q = &s->fq;
	size_t len = 0;

	if (from >= q->n)
		return;
	if (from > 0) {
		/* The arena up to where the first dropped op's text began
		 * (ops store their texts in order). */
		const struct fts_op *op = &q->v[from];

		len = op->title != SIZE_MAX ? op->title : op->summary !=
		    SIZE_MAX ? op->summary : SIZE_MAX;
		if (len == SIZE_MAX) {
			size_t k;

			len = 0;
			for (k = from; k-- > 0;) {
				const struct fts_op *o = &q->v[k];

				if (o->summary != SIZE_MAX) {
					len = o->summary + strlen(q->text.buf +
					    o->summary) + 1;
					break;
				}
				if (o->title != SIZE_MAX) {
					len = o->title + strlen(q->text.buf +
					    o->title) + 1;
					break;
				}
			}
		}
	}
	q->n = from;
	q->text.len = len;
	q->text.buf[len] = '\0';
}

static const char *
fts_at(const struct fts_queue *q, size_t off)
{
	return off == SIZE_MAX ? NULL : q->text.buf + off;
}

/* Write the queued changes in order: a guid twice in one batch is added,
 * removed and added again. */
int
store_fts_flush(struct store *s, char *err, size_t errlen)
{
	struct fts_queue *q = &s->fq;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	for (i = 0; i < q->n; i++) {
		st = store_stmt(s, q->v[i].del ? ST_FTS_DEL : ST_FTS_ADD, err,
		    errlen);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, q->v[i].rowid);
		bind_static(st, 2, fts_at(q, q->v[i].title));
		bind_static(st, 3, fts_at(q, q->v[i].summary));
		if ((rc = store_run(st)) != SQLITE_DONE)
			return store_fail(s, rc, "indexing items for search",
			    err, errlen);
	}
	store_fts_clear(s, 0);
	/* A burst may have grown the arena a lot: give it back. */
	if (q->text.cap > (4u << 20)) {
		strbuf_done(&q->text);
		strbuf_init(&q->text);
	}
	return 0;
}

int
store_fts_upto(struct store *s, long long *upto, char *err, size_t errlen)
{
	char *v = NULL;

	*upto = 0;
	if (store_meta_get(s, "fts_upto", &v, err, errlen) < 0)
		return -1;
	if (v != NULL)
		*upto = strtoll(v, NULL, 10);
	free(v);
	return 0;
}

int
store_fts_catch_up(struct store *s, size_t max, size_t *done, char *err,
    size_t errlen)
{
	sqlite3_stmt *st, *add;
	long long upto, last = 0;
	char buf[32];
	size_t n = 0;
	int rc;

	*done = 0;
	if (s->readonly || max == 0)
		return 0;
	if (s->batch) {
		util_seterr(err, errlen, "%s: indexing inside a batch",
		    s->path);
		return -1;
	}
	if (store_begin(s, err, errlen) < 0)
		return -1;
	if (store_fts_upto(s, &upto, err, errlen) < 0 ||
	    (st = store_stmt(s, ST_FTS_PENDING, err, errlen)) == NULL ||
	    (add = store_stmt(s, ST_FTS_ADD, err, errlen)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, upto);
	sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX :
	    (sqlite3_int64)max);
	while ((rc = store_step(st)) == SQLITE_ROW) {
		last = sqlite3_column_int64(st, 0);
		sqlite3_bind_int64(add, 1, last);
		sqlite3_bind_value(add, 2, sqlite3_column_value(st, 1));
		sqlite3_bind_value(add, 3, sqlite3_column_value(st, 2));
		if ((rc = store_run(add)) != SQLITE_DONE)
			break;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, rc, "indexing items for search", err, errlen);
		goto fail;
	}
	if (n > 0) {
		snprintf(buf, sizeof(buf), "%lld", last);
		if (store_meta_set(s, "fts_upto", buf, err, errlen) < 0)
			goto fail;
	}
	if (store_commit(s, err, errlen) < 0)
		return -1;
	*done = n;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

void
store_ingest_done(struct store *s)
{
	free(s->fq.v);
	s->fq.v = NULL;
	s->fq.n = s->fq.cap = 0;
	strbuf_done(&s->fq.text);
	strbuf_done(&s->key);
	strbuf_done(&s->ents);
	strbuf_done(&s->parts);
	strbuf_done(&s->cats);
	strbuf_done(&s->tks);
	store_titles_reset(s);
}

/* Bind the item columns shared by insert and update (see store.c). */
static void
item_bind(struct store *s, sqlite3_stmt *st, long long feed_id,
    const struct item *it, uint64_t h, time_t now, long long sid,
    uint64_t lh, uint64_t th)
{
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)h);
	bind_static(st, 4, it->link);
	bind_static(st, 5, it->title);
	bind_static(st, 6, it->summary);
	bind_static(st, 7, it->content);
	bind_static(st, 8, it->author);
	bind_static(st, 9, it->tags);
	sqlite3_bind_int64(st, 10, it->published);
	sqlite3_bind_int(st, 11, it->published_guessed != 0);
	sqlite3_bind_int64(st, 12, now);
	bind_hash(st, 13, (uint64_t)sid);
	bind_hash(st, 14, lh);
	bind_hash(st, 15, th);
	sqlite3_bind_double(st, 16, it->source_weight);
	ann_bind(s, st, 17, &it->ann);
}

/* What the lookup found of a stored item. */
struct stored {
	long long rowid, story, published, first_seen;
	int guessed;
};

/* Store one item: 1 written, 0 unchanged (skipped), -1 error. */
static int
ingest_one(struct store *s, long long feed_id, const struct store_feed *f,
    struct item *it, time_t now, store_annotate_fn annotate, void *arg,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	struct stored old;
	long long sid = 0;
	uint64_t h, lh, th;
	int rc, found = 0, repeat, nsrc = 1, joined;

	ensure_guid(it);
	if (!it->hashes.valid)
		store_item_prehash(it, &s->key);
	h = it->hashes.content;
	memset(&old, 0, sizeof(old));
	if ((st = store_stmt(s, ST_ITEM_LOOKUP, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, feed_id);
	sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
	rc = store_step(st);
	if (rc == SQLITE_ROW) {
		found = 1;
		old.rowid = sqlite3_column_int64(st, 0);
		if ((uint64_t)sqlite3_column_int64(st, 1) == h) {
			sqlite3_reset(st);
			return 0;
		}
		old.story = sqlite3_column_int64(st, 2);
		old.published = sqlite3_column_int64(st, 5);
		old.guessed = sqlite3_column_int(st, 6);
		old.first_seen = sqlite3_column_int64(st, 7);
		/* The values the index holds for the row, to remove. */
		if (old.rowid <= s->fts_upto)
			fts_push(s, old.rowid, 1, (const char *)
			    sqlite3_column_text(st, 3), (const char *)
			    sqlite3_column_text(st, 4));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, rc, "looking up items", err, errlen);

	if (it->published <= 0) {
		it->published = now;
		it->published_guessed = 1;
	}
	lh = it->hashes.link;
	th = it->hashes.title;
	/* A stored item keeps its story (alone: itself, story_id NULL);
	 * a new one joins a story, or stays alone without a story row. */
	if (found)
		sid = old.story != 0 ? old.story : old.rowid;
	else if (store_find_story(s, lh, th, it->published, &sid, err,
	    errlen) < 0)
		return -1;
	joined = found ? old.story != 0 : sid != 0;
	repeat = story_elsewhere(s, sid, feed_id, found ? old.rowid :
	    INT64_MAX, err, errlen);
	if (repeat < 0)
		return -1;
	if (annotate != NULL)
		annotate(arg, it, repeat);

	if (found) {
		/* An update keeps a real date over a guessed one. */
		if (it->published_guessed) {
			it->published = (time_t)old.published;
			it->published_guessed = old.guessed;
		}
		if (drop_index_rows(s, old.rowid, err, errlen) < 0)
			return -1;
	}
	if (ann_encode(s, &it->ann, err, errlen) < 0)
		return -1;
	st = store_stmt(s, found ? ST_ITEM_UPDATE : ST_ITEM_INSERT, err,
	    errlen);
	if (st == NULL)
		return -1;
	item_bind(s, st, feed_id, it, h, now, joined ? sid : 0, lh, th);
	if (found)
		sqlite3_bind_int64(st, 29, old.rowid);
	if ((rc = store_run(st)) != SQLITE_DONE)
		goto dberr;
	if (found) {
		it->rowid = old.rowid;
		it->first_seen = (time_t)old.first_seen;
		it->updated = now;
	} else {
		it->rowid = sqlite3_last_insert_rowid(s->db);
		it->first_seen = now;
		it->updated = 0;
	}
	it->is_update = found;
	/* Only a row the index already covers (an update, or an id reused
	 * after the newest item went) is indexed now; the rest waits for
	 * store_fts_catch_up(). */
	if (it->rowid <= s->fts_upto)
		fts_push(s, it->rowid, 0, it->title, it->summary);
	if (add_index_rows(s, it->rowid, it->published, &it->ann, err,
	    errlen) < 0)
		return -1;
	if (!joined)
		sid = it->rowid;
	store_titles_add(s, th, lh, it->published, sid, it->rowid);

	if (joined && !found) {
		/* The second item of a story: the founder joins it too. */
		if ((st = store_stmt(s, ST_STORY_FOUNDER, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, sid);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
	}
	if (joined) {
		if ((st = store_stmt(s, ST_STORY_FEEDS, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, sid);
		rc = store_step(st);
		nsrc = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			goto dberr;
		if ((st = store_stmt(s, ST_STORY_UPDATE, err, errlen)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, sid);
		sqlite3_bind_int64(st, 2, it->published);
		sqlite3_bind_int(st, 3, nsrc);
		if ((rc = store_run(st)) != SQLITE_DONE)
			goto dberr;
	}
	it->story_id = sid;
	it->n_sources = nsrc > 0 ? nsrc : 1;
	if (it->feed == NULL)
		item_set(&it->feed, f->name ? f->name : f->url);
	if (it->feed_url == NULL || strcmp(it->feed_url, f->url) != 0)
		item_set(&it->feed_url, f->url);
	return 1;
dberr:
	return store_fail(s, rc, "saving items", err, errlen);
}

/* Hand every item back unstored: written ones (done) after the rest. */
static void
hand_back(struct item **items, struct item *keep, struct item *done)
{
	struct item *it, **p;

	for (it = done; it != NULL; it = it->next) {
		it->rowid = 0;
		it->story_id = 0;
		it->is_update = 0;
	}
	for (p = &keep; *p != NULL; p = &(*p)->next)
		;
	*p = done;
	*items = keep;
}

int
store_ingest(struct store *s, const struct store_feed *f,
    struct item **items, store_annotate_fn annotate, void *arg,
    struct item **fresh, char *err, size_t errlen)
{
	struct item *keep = NULL, **ktail = &keep, *done = NULL;
	struct item **dtail = &done, *it, *next, **p;
	long long feed_id;
	time_t now = util_now();
	size_t mark, n = 0;
	int own = !s->batch, r;

	if (own && store_batch_begin(s, err, errlen) < 0)
		return -1;
	mark = s->fq.n;
	if (store_begin(s, err, errlen) < 0) {
		if (own)
			store_batch_rollback(s);
		return -1;
	}
	if (store_feed_upsert(s, f, &feed_id, err, errlen) < 0) {
		/* Nothing taken off *items yet. */
		store_rollback(s);
		if (own)
			store_batch_rollback(s);
		return -1;
	}
	for (it = *items; it != NULL; it = next) {
		next = it->next;
		it->next = NULL;
		r = ingest_one(s, feed_id, f, it, now, annotate, arg, err,
		    errlen);
		if (r < 0) {
			it->next = next;
			*ktail = it;
			ktail = NULL;
			goto fail;
		}
		if (r > 0) {
			*dtail = it;
			dtail = &it->next;
			n++;
		} else {
			*ktail = it;
			ktail = &it->next;
		}
	}
	if (store_commit(s, err, errlen) < 0)
		goto fail_released;
	s->batch_items += n;
	if (own && store_batch_commit(s, err, errlen) < 0) {
		hand_back(items, keep, done);
		return -1;
	}
	*items = keep;
	for (p = fresh; *p != NULL; p = &(*p)->next)
		;
	*p = done;
	return 0;
fail:
	store_rollback(s);
fail_released:
	store_fts_clear(s, mark);
	if (own)
		store_batch_rollback(s);
	hand_back(items, keep, done);
	return -1;
}

/*
 * The items an analyzer of `version` has to annotate again: a partial
 * index of the rows whose ann_version differs (0: never annotated), made
 * for that version the first time it runs (one pass over the table per
 * analyzer upgrade) and named in meta.  New items are written with the
 * current version, so they cost it no entry.  The statement that reads
 * it must repeat the index's condition with the same literal.
 */
static sqlite3_stmt *
stale_stmt(struct store *s, int version, char *err, size_t errlen)
{
	char *have = NULL, *sql, want[24];
	sqlite3_stmt *st = NULL;
	int rc;

	snprintf(want, sizeof(want), "%d", version);
	if (store_meta_get(s, "stale_index", &have, err, errlen) < 0)
		return NULL;
	if (have == NULL || strcmp(have, want) != 0) {
		if (store_begin(s, err, errlen) < 0)
			goto out;
		sql = xasprintf("DROP INDEX IF EXISTS items_stale;"
		    "CREATE INDEX items_stale ON items(id)"
		    " WHERE ann_version<>%d", version);
		rc = store_exec(s, sql);
		free(sql);
		if (rc != SQLITE_OK)
			store_fail(s, rc, "indexing items to re-analyze", err,
			    errlen);
		if (rc != SQLITE_OK || store_meta_set(s, "stale_index", want,
		    err, errlen) < 0 || store_commit(s, err, errlen) < 0) {
			store_rollback(s);
			goto out;
		}
	}
	sql = xasprintf("SELECT %s%s WHERE i.id>?1 AND i.ann_version<>%d"
	    " ORDER BY i.id LIMIT ?4", store_item_cols, store_item_from,
	    version);
	st = store_prepare(s, sql, err, errlen);
	free(sql);
out:
	free(have);
	return st;
}

int
store_reanalyze(struct store *s, int version, int force,
    store_annotate_fn annotate, void *arg, const volatile int *cancel,
    long *done, char *err, size_t errlen)
{
	struct item *batch[REANALYZE_BATCH];
	long long feeds[REANALYZE_BATCH];
	long long last = 0;
	sqlite3_stmt *st, *stale = NULL;
	size_t n, i;
	int rc, repeat, ret = -1;

	*done = 0;
	if (!force && (stale = stale_stmt(s, version, err, errlen)) == NULL)
		return -1;
	for (;;) {
		/* An atomic read: another thread may set the flag. */
		if (cancel != NULL && __atomic_load_n(cancel,
		    __ATOMIC_RELAXED))
			goto done;
		if (store_begin(s, err, errlen) < 0)
			goto out;
		st = stale;
		if (force && (st = store_stmt(s, ST_REANALYZE_ALL, err,
		    errlen)) == NULL)
			goto fail;
		sqlite3_reset(st);
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
		if (n == 0) {
			if (store_commit(s, err, errlen) < 0)
				goto out;
			goto done;
		}
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
			goto out;
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
	goto out;
done:
	ret = 0;
out:
	sqlite3_finalize(stale);
	return ret;
}

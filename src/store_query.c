/*
 * store_query.c - reading items back: the filtered listing behind the UI
 * and `deskwire list`, single items, per-ticker statistics.
 *
 * store_query() has one SQL shape per combination of filters (a bit mask),
 * prepared on first use and cached in struct store.  A ticker filter
 * drives the query from its (ticker, published) key, so "newest 200 AMZN
 * items" reads 200 index entries whatever the history size; the other
 * filters, and a category (a bit of items.cats), walk the covering
 * items_published index newest first: a category in one item of 100
 * reads 20,000 entries for a screenful.  A category past the 63 bits has
 * rows in item_categories, used like the ticker key.
 * Search text never reaches FTS5 syntax: each word is cut into tokens by
 * the index's tokenizer and each token quoted, so quotes, parentheses or
 * AND/NEAR in user text are just words.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

enum {
	SEARCH_WINDOW = 1000,
	FTS_CHUNK = 5000	/* items indexed per transaction */
};

const char store_item_cols[] =
    "i.id, COALESCE(i.story_id, i.id), COALESCE(s.n_sources, 1),"
    " COALESCE(f.name, f.url),"
    " f.url, i.guid, i.title, i.link, i.summary, i.content, i.author,"
    " i.tags, i.published, i.published_guessed, i.first_seen, i.updated,"
    " i.is_update, i.source_weight, i.read, i.starred, i.note, i.ann_valid,"
    " i.ann_version, i.impact, i.sentiment, i.sentiment_label, i.event,"
    " i.entities, i.parts, i.categories, i.analysis, i.feed_id";
const char store_item_from[] =
    " FROM items i JOIN feeds f ON f.id=i.feed_id"
    " LEFT JOIN stories s ON s.id=i.story_id";

static void
copy_text(char *dst, size_t len, const char *s, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* "role\tticker\tname\n" lines. */
void
store_decode_entities(struct item_annotation *a, const char *p)
{
	while (p != NULL && *p && a->n_entities < ITEM_MAX_ENTITIES) {
		struct item_entity *e = &a->entities[a->n_entities];
		const char *t1 = strchr(p, '\t'), *t2, *nl;

		nl = p + strcspn(p, "\n");
		if (t1 == NULL || t1 > nl ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL || t2 > nl)
			break;
		e->role = *p == '1' ? ITEM_ROLE_MENTIONED : ITEM_ROLE_PRIMARY;
		copy_text(e->ticker, sizeof(e->ticker), t1 + 1,
		    (size_t)(t2 - t1 - 1));
		copy_text(e->name, sizeof(e->name), t2 + 1,
		    (size_t)(nl - t2 - 1));
		a->n_entities++;
		p = *nl ? nl + 1 : nl;
	}
}

/* "name\tvalue\n" lines. */
static void
decode_parts(struct item_annotation *a, const char *p)
{
	while (p != NULL && *p && a->n_parts < ITEM_MAX_PARTS) {
		struct item_part *pt = &a->parts[a->n_parts];
		const char *tab = strchr(p, '\t'), *nl;
		char num[64];

		nl = p + strcspn(p, "\n");
		if (tab == NULL || tab > nl)
			break;
		copy_text(pt->name, sizeof(pt->name), p, (size_t)(tab - p));
		copy_text(num, sizeof(num), tab + 1, (size_t)(nl - tab - 1));
		pt->value = strtod(num, NULL);
		a->n_parts++;
		p = *nl ? nl + 1 : nl;
	}
}

void
store_decode_categories(struct item_annotation *a, const char *p)
{
	while (p != NULL && *p && a->n_categories < ITEM_MAX_CATEGORIES) {
		size_t n = strcspn(p, "\n");

		copy_text(a->categories[a->n_categories++],
		    ITEM_CATEGORY_LEN, p, n);
		p += n;
		if (*p)
			p++;
	}
}

struct item *
store_item_from_row(sqlite3_stmt *st)
{
	struct item *it = item_new();
	struct item_annotation *a = &it->ann;
	const char *ev;

	it->rowid = sqlite3_column_int64(st, 0);
	it->story_id = sqlite3_column_int64(st, 1);
	it->n_sources = sqlite3_column_int(st, 2);
	it->feed = store_col_strdup(st, 3);
	it->feed_url = store_col_strdup(st, 4);
	it->id = store_col_strdup(st, 5);
	it->title = store_col_strdup(st, 6);
	it->link = store_col_strdup(st, 7);
	it->summary = store_col_strdup(st, 8);
	it->content = store_col_strdup(st, 9);
	it->author = store_col_strdup(st, 10);
	it->tags = store_col_strdup(st, 11);
	it->published = (time_t)sqlite3_column_int64(st, 12);
	it->published_guessed = sqlite3_column_int(st, 13);
	it->first_seen = (time_t)sqlite3_column_int64(st, 14);
	it->updated = (time_t)sqlite3_column_int64(st, 15);
	it->is_update = sqlite3_column_int(st, 16);
	it->source_weight = sqlite3_column_double(st, 17);
	it->read = sqlite3_column_int(st, 18);
	it->starred = sqlite3_column_int(st, 19);
	it->note = store_col_strdup(st, 20);
	a->valid = sqlite3_column_int(st, 21);
	if (!a->valid)
		return it;
	a->version = sqlite3_column_int(st, 22);
	a->impact = sqlite3_column_double(st, 23);
	a->sentiment = sqlite3_column_double(st, 24);
	a->sentiment_label = sqlite3_column_int(st, 25);
	if ((ev = (const char *)sqlite3_column_text(st, 26)) != NULL)
		util_strlcpy(a->event, ev, sizeof(a->event));
	store_decode_entities(a, (const char *)sqlite3_column_text(st, 27));
	decode_parts(a, (const char *)sqlite3_column_text(st, 28));
	store_decode_categories(a, (const char *)sqlite3_column_text(st, 29));
	a->analysis = store_col_strdup(st, 30);
	return it;
}

/* FTS5's tokenizer API comes with sqlite3.h (its fts5.h part). */
struct fts_tok {
	fts5_tokenizer api;
	Fts5Tokenizer *t;
	struct strbuf a, b;	/* dw_phrase's token lists */
};

/* Where tok_split's callback appends. */
struct tok_sink {
	struct strbuf *out;
	size_t n;
};

static int
tok_one(void *ctx, int tflags, const char *tok, int len, int start, int end)
{
	struct tok_sink *k = ctx;

	(void)tflags;
	(void)start;
	(void)end;
	if (len <= 0)
		return SQLITE_OK;
	strbuf_add(k->out, tok, (size_t)len);
	strbuf_addc(k->out, ' ');
	k->n++;
	return SQLITE_OK;
}

/* Append each token of text[0..len) to out, each followed by a space;
 * returns the number of tokens. */
static size_t
tok_split(struct fts_tok *ft, int flags, const char *text, size_t len,
    struct strbuf *out)
{
	struct tok_sink k = { out, 0 };

	if (text == NULL || len == 0 || len > INT_MAX)
		return 0;
	(void)ft->api.xTokenize(ft->t, &k, flags, text, (int)len, tok_one);
	return k.n;
}

/* Does the token list " t1 t2 ... " hold the sequence "p1 p2 ... pn " (a
 * trailing "* " makes the last token a prefix)? */
static int
has_sequence(const char *list, const char *seq, size_t n)
{
	char buf[1024];
	int prefix = n >= 2 && seq[n - 2] == '*';

	if (n + 2 > sizeof(buf))
		return 0;
	buf[0] = ' ';
	memcpy(buf + 1, seq, n);
	if (prefix)
		n -= 2;		/* drop "* ": the last token may go on */
	buf[n + 1] = '\0';
	return strstr(list, buf) != NULL;
}

/*
 * dw_phrase(title, summary, phrases): 1 if every '\n'-separated token
 * sequence of phrases (store_fts_query) is in the title or the summary,
 * as consecutive tokens of the index's tokenizer.
 */
static void
sql_phrase(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct fts_tok *ft = sqlite3_user_data(cx);
	const char *ph = (const char *)sqlite3_value_text(argv[2]);
	int i, ok = 1;

	(void)argc;
	if (ph == NULL) {
		sqlite3_result_int(cx, 1);
		return;
	}
	for (i = 0; i < 2; i++) {
		struct strbuf *sb = i == 0 ? &ft->a : &ft->b;
		const char *v = (const char *)sqlite3_value_text(argv[i]);

		strbuf_reset(sb);
		strbuf_addc(sb, ' ');
		if (v != NULL)
			tok_split(ft, FTS5_TOKENIZE_DOCUMENT, v,
			    (size_t)sqlite3_value_bytes(argv[i]), sb);
	}
	while (ok && *ph) {
		size_t n = strcspn(ph, "\n");
		char seq[1024];

		if (n + 1 < sizeof(seq)) {
			memcpy(seq, ph, n);
			seq[n] = ' ';
			ok = has_sequence(ft->a.buf, seq, n + 1) ||
			    has_sequence(ft->b.buf, seq, n + 1);
		} else
			ok = 0;
		ph += n;
		if (*ph == '\n')
			ph++;
	}
	sqlite3_result_int(cx, ok);
}

static void
tok_free(void *arg)
{
	struct fts_tok *ft = arg;

	if (ft == NULL)
		return;
	if (ft->t != NULL)
		ft->api.xDelete(ft->t);
	strbuf_done(&ft->a);
	strbuf_done(&ft->b);
	free(ft);
}

int
store_fts_init(struct store *s, char *err, size_t errlen)
{
	static const char *const args[] = { "remove_diacritics", "2" };
	sqlite3_stmt *st = NULL;
	fts5_api *api = NULL;
	struct fts_tok *ft;
	void *ctx = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
		(void)sqlite3_step(st);
	}
	sqlite3_finalize(st);
	ft = xcalloc(1, sizeof(*ft));
	strbuf_init(&ft->a);
	strbuf_init(&ft->b);
	if (api == NULL || api->iVersion < 2 || api->xFindTokenizer(api,
	    "unicode61", &ctx, &ft->api) != SQLITE_OK ||
	    ft->api.xCreate(ctx, (const char **)args, 2, &ft->t) !=
	    SQLITE_OK) {
		ft->t = NULL;
		tok_free(ft);
		util_seterr(err, errlen, "%s: this SQLite has no full-text "
		    "search (FTS5); install a build with it", s->path);
		return -1;
	}
	/* The connection owns ft from here, and frees it when it closes. */
	if (sqlite3_create_function_v2(s->db, "dw_phrase", 3, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, ft, sql_phrase, NULL, NULL, tok_free) !=
	    SQLITE_OK) {
		util_seterr(err, errlen, "%s: %s", s->path,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	s->tok = ft;
	return 0;
}

/*
 * User words -> an FTS5 query: each word is cut into tokens by the
 * index's tokenizer, every token a quoted string, all required; a
 * trailing '*' keeps prefix search on the word's last token.  Words of
 * several tokens also go to *phrases, checked in the text afterwards
 * (the index keeps no positions).  NULL when no word has a token.
 */
static char *
fts_words(struct store *s, const char *text, char **phrases, char **words)
{
	struct strbuf sb, ph, all, toks;
	const char *p = text;

	if (phrases != NULL)
		*phrases = NULL;
	if (words != NULL)
		*words = NULL;
	strbuf_init(&sb);
	strbuf_init(&ph);
	strbuf_init(&all);
	strbuf_init(&toks);
	while (p != NULL && *p) {
		const char *w, *e, *t;
		size_t n;
		int prefix = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
		    *p != '\r')
			p++;
		e = p;
		if (e > w && e[-1] == '*') {
			prefix = 1;
			while (e > w && e[-1] == '*')
				e--;
		}
		strbuf_reset(&toks);
		if ((n = tok_split(s->tok, FTS5_TOKENIZE_QUERY, w,
		    (size_t)(e - w), &toks)) == 0)
			continue;
		/* toks: "t1 t2 ... tn " */
		for (t = toks.buf; *t; ) {
			size_t k = strcspn(t, " ");

			if (sb.len > 0)
				strbuf_addc(&sb, ' ');
			strbuf_addc(&sb, '"');
			for (size_t i = 0; i < k; i++) {
				if (t[i] == '"')
					strbuf_addc(&sb, '"');
				strbuf_addc(&sb, t[i]);
			}
			strbuf_addc(&sb, '"');
			t += k + 1;
			if (prefix && *t == '\0')
				strbuf_addc(&sb, '*');
		}
		if (n > 1) {
			if (ph.len > 0)
				strbuf_addc(&ph, '\n');
			strbuf_add(&ph, toks.buf, toks.len - 1);
			if (prefix)
				strbuf_addc(&ph, '*');
		}
		if (all.len > 0)
			strbuf_addc(&all, '\n');
		strbuf_add(&all, toks.buf, toks.len - 1);
		if (prefix)
			strbuf_addc(&all, '*');
	}
	strbuf_done(&toks);
	if (sb.len == 0) {
		strbuf_done(&sb);
		strbuf_done(&ph);
		strbuf_done(&all);
		return NULL;
	}
	if (phrases != NULL && ph.len > 0)
		*phrases = strbuf_detach(&ph, NULL);
	else
		strbuf_done(&ph);
	if (words != NULL)
		*words = strbuf_detach(&all, NULL);
	else
		strbuf_done(&all);
	return strbuf_detach(&sb, NULL);
}

char *
store_fts_query(struct store *s, const char *text, char **phrases)
{
	return fts_words(s, text, phrases, NULL);
}

/*
 * The inner query picks and orders row ids only (narrow rows, so sorting
 * many full-text matches stays cheap); the outer one fetches the columns
 * of those few rows.
 */
static char *
query_sql(unsigned mask)
{
	struct strbuf sb;
	const char *pub = "i.published", *id = "i.id";

	strbuf_init(&sb);
	strbuf_addf(&sb, "SELECT %s FROM (SELECT i.id AS kid, i.published"
	    " AS kpub, i.impact AS kimp", store_item_cols);
	if (mask & QF_TICKER) {
		/* CROSS JOIN pins the order: the ticker index first. */
		strbuf_adds(&sb, " FROM item_tickers t CROSS JOIN items i"
		    " ON i.id=t.item_id");
		pub = "t.published";
		id = "t.item_id";
	} else if (mask & QF_CATEGORY) {
		strbuf_adds(&sb, " FROM item_categories c CROSS JOIN items i"
		    " ON i.id=c.item_id");
		pub = "c.published";
		id = "c.item_id";
	} else
		strbuf_adds(&sb, " FROM items i");
	if (mask & QF_FEED)
		strbuf_adds(&sb, " JOIN feeds f ON f.id=i.feed_id");
	strbuf_adds(&sb, " WHERE 1");
	if (mask & QF_TICKER)
		strbuf_adds(&sb, " AND t.ticker=?1");
	if (mask & QF_CATEGORY) {
		if (mask & QF_TICKER)
			/* The whole key: a point lookup (there is no
			 * index by item). */
			strbuf_adds(&sb, " AND EXISTS(SELECT 1 FROM"
			    " item_categories c WHERE c.category=?2 AND"
			    " c.published=i.published AND c.item_id=i.id)");
		else
			strbuf_adds(&sb, " AND c.category=?2");
	}
	if (mask & QF_CATBIT)
		/* From the covering items_published index. */
		strbuf_adds(&sb, " AND (i.cats & ?2)<>0");
	if (mask & QF_TAIL)
		strbuf_adds(&sb, " AND (i.id>?12 AND dw_phrase(i.title,"
		    " i.summary, ?11) OR");
	else if (mask & QF_SEARCH)
		strbuf_adds(&sb, " AND");
	if ((mask & QF_SEARCH) && (mask & QF_PHRASE))
		/* The window counts checked matches only. */
		strbuf_adds(&sb, " i.id IN (SELECT items_fts.rowid"
		    " FROM items_fts JOIN items x ON x.id=items_fts.rowid"
		    " WHERE items_fts MATCH ?3 AND dw_phrase(x.title,"
		    " x.summary, ?10) ORDER BY items_fts.rowid DESC LIMIT ?9)");
	else if (mask & QF_SEARCH)
		strbuf_adds(&sb, " i.id IN (SELECT rowid FROM items_fts"
		    " WHERE items_fts MATCH ?3 ORDER BY rowid DESC LIMIT ?9)");
	if (mask & QF_TAIL)
		strbuf_adds(&sb, ")");
	if (mask & QF_FEED)
		strbuf_adds(&sb, " AND f.url=?4");
	if (mask & QF_IMPACT)
		/* An item without annotation has impact 0. */
		strbuf_adds(&sb, " AND i.impact>=?5");
	if (mask & QF_SINCE)
		strbuf_addf(&sb, " AND %s>=?6", pub);
	if (mask & QF_UNREAD)
		strbuf_adds(&sb, " AND i.read=0");
	if (mask & QF_STARRED)
		strbuf_adds(&sb, " AND i.starred=1");
	if (mask & QF_BY_IMPACT)
		strbuf_addf(&sb, " ORDER BY i.impact DESC, %s DESC, %s DESC",
		    pub, id);
	else
		strbuf_addf(&sb, " ORDER BY %s DESC, %s DESC", pub, id);
	strbuf_adds(&sb, " LIMIT ?7 OFFSET ?8) k CROSS JOIN items i"
	    " ON i.id=k.kid JOIN feeds f ON f.id=i.feed_id"
	    " LEFT JOIN stories s ON s.id=i.story_id");
	if (mask & QF_BY_IMPACT)
		strbuf_adds(&sb, " ORDER BY k.kimp DESC, k.kpub DESC,"
		    " k.kid DESC");
	else
		strbuf_adds(&sb, " ORDER BY k.kpub DESC, k.kid DESC");
	return strbuf_detach(&sb, NULL);
}

/* 1 with *upto set if some items are not in the full-text index, 0 if
 * none, -1 on error (*upto -1). */
static int
unindexed(struct store *s, long long *upto, char *err, size_t errlen)
{
	long long max;

	if (store_fts_upto(s, upto, err, errlen) < 0 ||
	    store_scalar(s, ST_MAX_ITEM, &max, "reading items", err,
	    errlen) < 0) {
		*upto = -1;
		return -1;
	}
	return max > *upto;
}

/* Index every item not in the full-text index yet. */
static int
catch_up_all(struct store *s, char *err, size_t errlen)
{
	size_t done;

	do {
		if (store_fts_catch_up(s, FTS_CHUNK, &done, err, errlen) < 0)
			return -1;
	} while (done == FTS_CHUNK);
	return 0;
}

int
store_query_each(struct store *s, const struct store_query *q,
    store_item_fn fn, void *arg, char *err, size_t errlen)
{
	char t[ITEM_TICKER_LEN], *fts = NULL, *phrases = NULL, *sql;
	char *words = NULL;
	long long cat = 0, upto = 0;
	unsigned mask = 0;
	sqlite3_stmt *st;
	size_t i;
	int rc, ret = -1;

	if (q->ticker != NULL && *q->ticker) {
		for (i = 0; q->ticker[i] && i + 1 < sizeof(t); i++)
			t[i] = (q->ticker[i] >= 'a' && q->ticker[i] <= 'z') ?
			    (char)(q->ticker[i] - 'a' + 'A') : q->ticker[i];
		t[i] = '\0';
		mask |= QF_TICKER;
	}
	if (q->category != NULL && *q->category) {
		if (store_cat_id(s, q->category, strlen(q->category), 0, &cat,
		    err, errlen) < 0)
			return -1;
		/* A category no item ever had: nothing matches. */
		if (cat == 0)
			return 0;
		if (cat <= STORE_CAT_BITS) {
			mask |= QF_CATBIT;
			cat = (long long)(1ULL << (cat - 1));
		} else
			mask |= QF_CATEGORY;
	}
	if (q->search != NULL) {
		/* Nothing searchable in the text: nothing matches. */
		if ((fts = fts_words(s, q->search, &phrases, &words)) == NULL)
			return 0;
		mask |= QF_SEARCH;
		if (phrases != NULL)
			mask |= QF_PHRASE;
		/* Everything stored is searched: the items not indexed yet
		 * are indexed first (store_fts_catch_up()), or, where that
		 * cannot be done (a read-only file, an open transaction),
		 * their text is checked word by word. */
		if (!s->readonly && !s->batch && sqlite3_get_autocommit(s->db)) {
			if (catch_up_all(s, err, errlen) < 0)
				goto out;
		} else if (unindexed(s, &upto, err, errlen) != 0) {
			if (upto < 0)
				goto out;
			mask |= QF_TAIL;
		}
	}
	if (q->feed_url != NULL)
		mask |= QF_FEED;
	if (q->min_impact > 0)
		mask |= QF_IMPACT;
	if (q->since > 0)
		mask |= QF_SINCE;
	if (q->unread_only)
		mask |= QF_UNREAD;
	if (q->starred_only)
		mask |= QF_STARRED;
	if (q->by_impact)
		mask |= QF_BY_IMPACT;

	if ((st = s->q[mask]) == NULL) {
		sql = query_sql(mask);
		st = s->q[mask] = store_prepare(s, sql, err, errlen);
		free(sql);
		if (st == NULL)
			goto out;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	/* Binding a number the shape does not use is harmless. */
	if (mask & QF_TICKER)
		sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	if (mask & QF_CATEGORY)
		sqlite3_bind_text(st, 2, q->category, -1, SQLITE_TRANSIENT);
	if (mask & QF_CATBIT)
		sqlite3_bind_int64(st, 2, cat);
	if (mask & QF_SEARCH)
		sqlite3_bind_text(st, 3, fts, -1, SQLITE_TRANSIENT);
	if (mask & QF_PHRASE)
		sqlite3_bind_text(st, 10, phrases, -1, SQLITE_TRANSIENT);
	if (mask & QF_TAIL) {
		sqlite3_bind_text(st, 11, words, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 12, upto);
	}
	if (mask & QF_FEED)
		sqlite3_bind_text(st, 4, q->feed_url, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, 5, q->min_impact);
	sqlite3_bind_int64(st, 6, q->since);
	sqlite3_bind_int64(st, 7, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(st, 8, q->offset > 0 ? q->offset : 0);
	/* A word in every other headline matches 100,000 rows: sorting them
	 * all by date for one screenful is too slow for the UI.  With a
	 * limit, only the most recently stored matches (FTS5 walks row ids
	 * backwards cheaply) are ordered by date: SEARCH_WINDOW, or five
	 * times the rows asked for.  Stored order follows publication
	 * closely, so the top of the list is the same. */
	if (mask & QF_SEARCH)
		sqlite3_bind_int64(st, 9, q->limit <= 0 ? -1 :
		    (q->limit + q->offset) * 5 > SEARCH_WINDOW ?
		    (q->limit + q->offset) * 5 : SEARCH_WINDOW);
	while ((rc = store_step(st)) == SQLITE_ROW) {
		if (fn(arg, store_item_from_row(st)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, rc, "reading items", err, errlen);
		goto out;
	}
	ret = 0;
out:
	free(fts);
	free(phrases);
	free(words);
	return ret;
}

struct collect {
	struct item *head, **tail;
	size_t n;
};

static int
collect_item(void *arg, struct item *it)
{
	struct collect *c = arg;

	*c->tail = it;
	c->tail = &it->next;
	c->n++;
	return 0;
}

int
store_query(struct store *s, const struct store_query *q,
    struct item **out, size_t *n, char *err, size_t errlen)
{
	struct collect c = { NULL, NULL, 0 };

	c.tail = &c.head;
	if (store_query_each(s, q, collect_item, &c, err, errlen) < 0) {
		item_free_list(c.head);
		*out = NULL;
		*n = 0;
		return -1;
	}
	*out = c.head;
	*n = c.n;
	return 0;
}

int
store_get(struct store *s, long long rowid, struct item **out, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if ((st = store_stmt(s, ST_ITEM_GET, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	rc = store_step(st);
	if (rc == SQLITE_ROW)
		*out = store_item_from_row(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		util_seterr(err, errlen, "%s: no item %lld", s->path, rowid);
		return -1;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, rc, "reading an item", err, errlen);
	return 0;
}

/* ---- per-ticker statistics ---------------------------------------------- */

static void
stat_add(struct store_ticker_stat *t, time_t pub, double impact,
    double sent, time_t since, time_t now, double *sum)
{
	time_t age = now - pub;

	if (pub >= since) {
		t->count++;
		if (impact > t->max_impact)
			t->max_impact = impact;
		*sum += sent;
	}
	if (pub > t->latest)
		t->latest = pub;
	if (age < 0)
		age = 0;
	if (age < 24 * 3600)
		t->hourly[23 - age / 3600]++;
}

static int
cmp_stat(const void *a, const void *b)
{
	const struct store_ticker_stat *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->ticker, y->ticker);
}

/* A table twice the size of *nslot holding v[0..nv). */
static size_t *
rehash(size_t *slot, size_t *nslot, const struct store_ticker_stat *v,
    size_t nv)
{
	size_t i, h;

	free(slot);
	*nslot *= 2;
	slot = xcalloc(*nslot, sizeof(*slot));
	for (i = 0; i < nv; i++) {
		h = (size_t)util_hash64(v[i].ticker, strlen(v[i].ticker)) &
		    (*nslot - 1);
		while (slot[h] != 0)
			h = (h + 1) & (*nslot - 1);
		slot[h] = i + 1;
	}
	return slot;
}

/*
 * Every ticker with rows since `from`: one pass over the rows, grouped by
 * an open-addressing hash of the ticker (power-of-two table, at most half
 * full) into *out and *sums, *n entries.
 */
static int
all_tickers(struct store *s, time_t since, time_t now, time_t from,
    struct store_ticker_stat **out, double **sums, size_t *n, char *err,
    size_t errlen)
{
	struct store_ticker_stat *v = NULL;
	double *sum = NULL;
	size_t *slot = NULL, nslot = 64, cap = 0, nv = 0, i, h;
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, ST_STATS_ALL, err, errlen)) == NULL)
		return -1;
	slot = xcalloc(nslot, sizeof(*slot));	/* index + 1, 0: empty */
	sqlite3_bind_int64(st, 1, from);
	while ((rc = store_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		time_t pub = (time_t)sqlite3_column_int64(st, 1);
		double impact = sqlite3_column_double(st, 2);
		double sent = sqlite3_column_double(st, 3);
		size_t len, tl;

		/* The item's distinct tickers, '\n'-separated. */
		for (; t != NULL && *t; t += tl + (t[tl] != '\0')) {
			tl = strcspn(t, "\n");
			if ((len = tl) == 0)
				continue;
			if (len >= ITEM_TICKER_LEN)
				len = ITEM_TICKER_LEN - 1;
			h = (size_t)util_hash64(t, len) & (nslot - 1);
			while (slot[h] != 0 && (strncmp(v[slot[h] - 1].ticker,
			    t, len) != 0 || v[slot[h] - 1].ticker[len] != '\0'))
				h = (h + 1) & (nslot - 1);
			if (slot[h] != 0)
				i = slot[h] - 1;
			else {
				v = xreallocarray_grow(v, &cap, nv + 1,
				    sizeof(*v));
				sum = xrealloc(sum, cap * sizeof(*sum));
				memset(&v[nv], 0, sizeof(v[nv]));
				memcpy(v[nv].ticker, t, len);
				sum[nv] = 0;
				i = nv++;
				slot[h] = nv;
				if (nv * 2 > nslot)
					slot = rehash(slot, &nslot, v, nv);
			}
			stat_add(&v[i], pub, impact, sent, since, now, &sum[i]);
		}
	}
	sqlite3_reset(st);
	free(slot);
	if (rc != SQLITE_DONE) {
		free(v);
		free(sum);
		return store_fail(s, rc, "computing ticker statistics", err,
		    errlen);
	}
	*out = v;
	*sums = sum;
	*n = nv;
	return 0;
}

int
store_ticker_stats(struct store *s, time_t since, time_t now,
    const char *const *tickers, size_t n_tickers,
    struct store_ticker_stat **out, size_t *n, char *err, size_t errlen)
{
	struct store_ticker_stat *v = NULL;
	sqlite3_stmt *st;
	time_t from = since < now - 24 * 3600 ? since : now - 24 * 3600;
	size_t i, k, nv = 0;
	double *sums = NULL;
	int rc = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	if (tickers != NULL) {
		v = xcalloc(n_tickers ? n_tickers : 1, sizeof(*v));
		sums = xcalloc(n_tickers ? n_tickers : 1, sizeof(*sums));
		for (k = 0; k < n_tickers; k++) {
			for (i = 0; tickers[k][i] && i + 1 < ITEM_TICKER_LEN;
			    i++)
				v[k].ticker[i] = (tickers[k][i] >= 'a' &&
				    tickers[k][i] <= 'z') ? (char)(tickers[k][i]
				    - 'a' + 'A') : tickers[k][i];
			st = store_stmt(s, ST_STATS_ONE, err, errlen);
			if (st == NULL)
				goto fail;
			sqlite3_bind_text(st, 1, v[k].ticker, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, from);
			while ((rc = store_step(st)) == SQLITE_ROW)
				stat_add(&v[k], (time_t)sqlite3_column_int64(st,
				    1), sqlite3_column_double(st, 2),
				    sqlite3_column_double(st, 3), since, now,
				    &sums[k]);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				goto dberr;
		}
		nv = n_tickers;
	} else {
		if (all_tickers(s, since, now, from, &v, &sums, &nv, err,
		    errlen) < 0)
			return -1;
	}
	for (k = 0; k < nv; k++)
		v[k].net_sentiment = v[k].count ? sums[k] / v[k].count : 0;
	if (tickers == NULL) {
		/* Only tickers with items in the window, busiest first. */
		for (i = k = 0; k < nv; k++)
			if (v[k].count > 0)
				v[i++] = v[k];
		nv = i;
		if (nv > 1)
			qsort(v, nv, sizeof(*v), cmp_stat);
	}
	free(sums);
	*out = v;
	*n = nv;
	return 0;
dberr:
	store_fail(s, rc, "computing ticker statistics", err, errlen);
fail:
	free(sums);
	free(v);
	return -1;
}

/*
 * model.c - the dashboard's data model, free of curses so it can be unit
 * tested and benchmarked.
 *
 * Items live in fixed-size chunks (their addresses never change) and are
 * found by row id through an open-addressing hash.  Tickers, feed names and
 * categories are interned: an item carries small ids, so filtering 100,000
 * items compares integers, and per-item memory stays near 100 bytes plus
 * the title.  The view is an array of item indices in sort order; a new
 * item is binary-searched into it, and the selection and the top row are
 * indices that are shifted when rows are inserted above them, which is
 * what keeps them on the same item (anchored by row id in effect).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "text.h"
#include "util.h"

enum {
	CHUNK_SHIFT = 12,
	CHUNK = 1 << CHUNK_SHIFT,
	MAX_CATS = 64,
	TITLE_MAX = 1024,
	NONE = 0xffffffffu
};

struct intern {
	char **names;		/* by id */
	size_t n, cap;
	uint32_t *slots;	/* hash -> id + 1; 0 = empty */
	size_t nslots;
};

struct model {
	struct model_item **chunks;
	size_t nchunks;
	size_t n;			/* items */
	uint32_t *map;			/* rowid hash -> index + 1 */
	size_t nmap;
	struct intern tickers, feeds, cats;
	uint32_t *view;
	size_t nview, capview;
	struct model_filter filter;
	uint32_t f_ticker;		/* interned filter ticker or NONE */
	int f_cat;			/* category bit or -1 */
	char f_search[MODEL_SEARCH_LEN];	/* lower-cased */
	const long long *hits;
	size_t nhits;
	enum model_sort sort;
	long sel, top, rows, unseen;
};

static struct model_item *
item_at(const struct model *m, size_t i)
{
	return &m->chunks[i >> CHUNK_SHIFT][i & (CHUNK - 1)];
}

static uint64_t
hash_str_ci(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)toupper((unsigned char)*s);
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t
hash_ll(long long v)
{
	uint64_t x = (uint64_t)v;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* Case-insensitive lookup; returns the id or NONE. */
static uint32_t
intern_find(const struct intern *t, const char *s)
{
	size_t mask, i;

	if (t->nslots == 0 || s == NULL)
		return NONE;
	mask = t->nslots - 1;
	for (i = hash_str_ci(s) & mask; t->slots[i]; i = (i + 1) & mask)
		if (util_strcasecmp(t->names[t->slots[i] - 1], s) == 0)
			return t->slots[i] - 1;
	return NONE;
}

static void
intern_rehash(struct intern *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 64, i, j;

	free(t->slots);
	t->slots = xcalloc(ns, sizeof(*t->slots));
	t->nslots = ns;
	for (i = 0; i < t->n; i++) {
		j = hash_str_ci(t->names[i]) & (ns - 1);
		while (t->slots[j])
			j = (j + 1) & (ns - 1);
		t->slots[j] = (uint32_t)i + 1;
	}
}

/* The id of s, adding it (max ids: limit) if new; NONE when full. */
static uint32_t
intern_add(struct intern *t, const char *s, size_t limit)
{
	uint32_t id = intern_find(t, s);
	size_t j;

	if (id != NONE)
		return id;
	if (t->n >= limit)
		return NONE;
	if ((t->n + 1) * 2 > t->nslots)
		intern_rehash(t);
	t->names = xreallocarray_grow(t->names, &t->cap, t->n + 1,
	    sizeof(*t->names));
	t->names[t->n] = xstrdup(s);
	j = hash_str_ci(s) & (t->nslots - 1);
	while (t->slots[j])
		j = (j + 1) & (t->nslots - 1);
	t->slots[j] = (uint32_t)t->n + 1;
	return (uint32_t)t->n++;
}

static void
intern_free(struct intern *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

struct model *
model_new(void)
{
	struct model *m = xcalloc(1, sizeof(*m));

	m->f_ticker = NONE;
	m->f_cat = -1;
	m->sel = -1;
	m->rows = 1;
	/* Feed id 0 is the unknown feed. */
	intern_add(&m->feeds, "?", 1);
	return m;
}

void
model_free(struct model *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(item_at(m, i)->title);
	for (i = 0; i < m->nchunks; i++)
		free(m->chunks[i]);
	free(m->chunks);
	free(m->map);
	free(m->view);
	intern_free(&m->tickers);
	intern_free(&m->feeds);
	intern_free(&m->cats);
	free(m);
}

static long
map_find(const struct model *m, long long rowid)
{
	size_t mask, i;

	if (m->nmap == 0)
		return -1;
	mask = m->nmap - 1;
	for (i = hash_ll(rowid) & mask; m->map[i]; i = (i + 1) & mask)
		if (item_at(m, m->map[i] - 1)->rowid == rowid)
			return (long)m->map[i] - 1;
	return -1;
}

static void
map_put(struct model *m, size_t idx)
{
	size_t mask, i;

	if ((m->n + 1) * 2 > m->nmap) {
		size_t k, ns = m->nmap ? m->nmap * 2 : 1024;

		free(m->map);
		m->map = xcalloc(ns, sizeof(*m->map));
		m->nmap = ns;
		for (k = 0; k < m->n; k++)
			if (k != idx)
				map_put(m, k);
	}
	mask = m->nmap - 1;
	i = hash_ll(item_at(m, idx)->rowid) & mask;
	while (m->map[i])
		i = (i + 1) & mask;
	m->map[i] = (uint32_t)idx + 1;
}

/* Negative when a sorts before b. */
static int
cmp_items(const struct model *m, const struct model_item *a,
    const struct model_item *b)
{
	if (m->sort == MODEL_SORT_IMPACT && a->impact != b->impact)
		return a->impact > b->impact ? -1 : 1;
	if (a->published != b->published)
		return a->published > b->published ? -1 : 1;
	if (a->rowid != b->rowid)
		return a->rowid > b->rowid ? -1 : 1;
	return 0;
}

/* First view position whose item does not sort before mi. */
static size_t
view_lower_bound(const struct model *m, const struct model_item *mi)
{
	size_t lo = 0, hi = m->nview;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_items(m, item_at(m, m->view[mid]), mi) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
hit_has(const struct model *m, long long rowid)
{
	size_t lo = 0, hi = m->nhits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->hits[mid] == rowid)
			return 1;
		if (m->hits[mid] < rowid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ASCII case-insensitive substring; needle already lower-case.  The
 * first byte is found with strchr() (fast) in both cases. */
static int
contains_lower(const char *hay, const char *needle)
{
	char c0 = needle[0], u0 = (char)toupper((unsigned char)c0);
	const char *p = hay, *a = NULL, *b = NULL, *cand, *q, *n;
	int a_end = 0, b_end = u0 == c0;

	for (;;) {
		/* Each strchr() result is reused until p passes it, so a
		 * title is scanned about once for each case of c0. */
		if (!a_end && (a == NULL || a < p) &&
		    (a = strchr(p, c0)) == NULL)
			a_end = 1;
		if (!b_end && (b == NULL || b < p) &&
		    (b = strchr(p, u0)) == NULL)
			b_end = 1;
		cand = a_end ? NULL : a;
		if (!b_end && (cand == NULL || b < cand))
			cand = b;
		if (cand == NULL)
			return 0;
		for (q = cand + 1, n = needle + 1; *n && *q &&
		    tolower((unsigned char)*q) == *n; q++, n++)
			;
		if (*n == '\0')
			return 1;
		p = cand + 1;
	}
}

int
model_match(const struct model *m, const struct model_item *mi)
{
	const struct model_filter *f = &m->filter;
	int i;

	if (f->unread_only && (mi->flags & MODEL_READ))
		return 0;
	if (f->starred_only && !(mi->flags & MODEL_STARRED))
		return 0;
	if (f->min_impact > 0 && mi->impact + 1e-6 < f->min_impact)
		return 0;
	if (f->ticker[0]) {
		if (m->f_ticker == NONE)
			return 0;
		for (i = 0; i < mi->n_tickers; i++)
			if (mi->tickers[i] == m->f_ticker)
				break;
		if (i == mi->n_tickers)
			return 0;
	}
	if (f->category[0] && (m->f_cat < 0 ||
	    !(mi->cats & ((uint64_t)1 << m->f_cat))))
		return 0;
	if (m->f_search[0] && !contains_lower(mi->title, m->f_search) &&
	    !hit_has(m, mi->rowid))
		return 0;
	return 1;
}

static void
clamp_view(struct model *m)
{
	long n = (long)m->nview, rows = m->rows > 0 ? m->rows : 1;

	if (n == 0) {
		m->sel = -1;
		m->top = 0;
		return;
	}
	if (m->sel < 0)
		m->sel = 0;
	if (m->sel >= n)
		m->sel = n - 1;
	if (m->top > m->sel)
		m->top = m->sel;
	if (m->sel >= m->top + rows)
		m->top = m->sel - rows + 1;
	if (m->top > n - rows)
		m->top = n - rows > 0 ? n - rows : 0;
	if (m->top < 0)
		m->top = 0;
	if (m->top == 0)
		m->unseen = 0;
}

static void
view_insert(struct model *m, size_t idx)
{
	size_t pos = view_lower_bound(m, item_at(m, idx));

	m->view = xreallocarray_grow(m->view, &m->capview, m->nview + 1,
	    sizeof(*m->view));
	memmove(m->view + pos + 1, m->view + pos,
	    (m->nview - pos) * sizeof(*m->view));
	m->view[pos] = (uint32_t)idx;
	m->nview++;
	if (m->sel < 0) {
		m->sel = 0;
	} else if ((long)pos <= m->sel)
		m->sel++;
	/* Rows above the viewport shift it down; at the head it stays. */
	if (m->top > 0 && (long)pos <= m->top) {
		m->top++;
		m->unseen++;
	}
	clamp_view(m);
}

static long
view_find(const struct model *m, size_t idx)
{
	size_t pos = view_lower_bound(m, item_at(m, idx));

	if (pos < m->nview && m->view[pos] == idx)
		return (long)pos;
	return -1;
}

static void
view_remove_at(struct model *m, size_t pos)
{
	memmove(m->view + pos, m->view + pos + 1,
	    (m->nview - pos - 1) * sizeof(*m->view));
	m->nview--;
	if ((long)pos < m->sel || (m->sel == (long)m->nview && m->sel > 0))
		m->sel--;
	if ((long)pos < m->top)
		m->top--;
	clamp_view(m);
}

static char *
clean_title(const char *s)
{
	if (s == NULL || *s == '\0')
		return xstrdup("(no title)");
	return text_clean(s, strlen(s), TITLE_MAX, 0);
}

static void
fill_item(struct model *m, struct model_item *mi, const struct item *it)
{
	const struct item_annotation *a = &it->ann;
	size_t i, pass;
	uint32_t id;

	free(mi->title);
	mi->title = clean_title(it->title);
	mi->story_id = it->story_id;
	mi->published = it->published;
	mi->n_sources = (uint8_t)(it->n_sources < 1 ? 1 :
	    it->n_sources > 255 ? 255 : it->n_sources);
	id = intern_add(&m->feeds, it->feed ? it->feed : "?", 65535);
	mi->feed = (uint16_t)(id == NONE ? 0 : id);
	mi->valid = (uint8_t)(a->valid != 0);
	mi->impact = (float)(a->impact < 0 ? 0 : a->impact > 1 ? 1 :
	    a->impact);
	mi->sentiment = (float)a->sentiment;
	mi->sentiment_label = (int8_t)(a->sentiment_label < 0 ? -1 :
	    a->sentiment_label > 0 ? 1 : 0);
	mi->n_tickers = mi->n_primary = 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < a->n_entities && i < ITEM_MAX_ENTITIES; i++) {
			const struct item_entity *e = &a->entities[i];
			int k, dup = 0;

			if (!e->ticker[0] || (pass == 0) !=
			    (e->role == ITEM_ROLE_PRIMARY))
				continue;
			if (mi->n_tickers >= MODEL_MAX_TICKERS)
				break;
			id = intern_add(&m->tickers, e->ticker, 1u << 30);
			for (k = 0; k < mi->n_tickers; k++)
				if (mi->tickers[k] == id)
					dup = 1;
			if (dup)
				continue;
			mi->tickers[mi->n_tickers++] = id;
			if (pass == 0)
				mi->n_primary++;
		}
	}
	mi->cats = 0;
	for (i = 0; i < a->n_categories && i < ITEM_MAX_CATEGORIES; i++) {
		if (!a->categories[i][0])
			continue;
		id = intern_add(&m->cats, a->categories[i], MAX_CATS);
		if (id != NONE)
			mi->cats |= (uint64_t)1 << id;
	}
	mi->flags &= (uint8_t)~(MODEL_READ | MODEL_STARRED);
	if (it->read)
		mi->flags |= MODEL_READ;
	if (it->starred)
		mi->flags |= MODEL_STARRED;
}

/* The filter refers to names by id; refresh after interning new ones. */
static void
resolve_filter(struct model *m)
{
	uint32_t c;

	m->f_ticker = m->filter.ticker[0] ?
	    intern_find(&m->tickers, m->filter.ticker) : NONE;
	c = m->filter.category[0] ? intern_find(&m->cats,
	    m->filter.category) : NONE;
	m->f_cat = c == NONE ? -1 : (int)c;
}

const struct model_item *
model_add(struct model *m, const struct item *it, unsigned flags)
{
	struct model_item *mi;
	long idx, pos;

	if (it == NULL || it->rowid == 0)
		return NULL;
	idx = map_find(m, it->rowid);
	if (idx >= 0) {
		/* An update: out of the view while its sort key changes,
		 * then back in, keeping the selection on it if it had it. */
		int was_sel;

		mi = item_at(m, (size_t)idx);
		was_sel = model_sel_item(m) == mi;
		pos = view_find(m, (size_t)idx);
		if (pos >= 0)
			view_remove_at(m, (size_t)pos);
		fill_item(m, mi, it);
		mi->flags |= (uint8_t)(flags | MODEL_UPDATED);
		resolve_filter(m);
		if (model_match(m, mi)) {
			long top = m->top;

			view_insert(m, (size_t)idx);
			if (was_sel) {
				m->sel = view_find(m, (size_t)idx);
				m->top = top;
				clamp_view(m);
			}
		}
		return mi;
	}
	if ((m->n >> CHUNK_SHIFT) >= m->nchunks) {
		m->chunks = xrealloc(m->chunks, (m->nchunks + 1) *
		    sizeof(*m->chunks));
		m->chunks[m->nchunks++] = xcalloc(CHUNK, sizeof(**m->chunks));
	}
	mi = item_at(m, m->n);
	memset(mi, 0, sizeof(*mi));
	mi->rowid = it->rowid;
	map_put(m, m->n);
	m->n++;
	fill_item(m, mi, it);
	mi->flags |= (uint8_t)(flags & ~MODEL_DEFER);
	if (it->is_update)
		mi->flags |= MODEL_UPDATED;
	if (flags & MODEL_DEFER)
		return mi;
	resolve_filter(m);
	if (model_match(m, mi))
		view_insert(m, m->n - 1);
	return mi;
}

size_t
model_count(const struct model *m)
{
	return m->n;
}

size_t
model_view_count(const struct model *m)
{
	return m->nview;
}

const struct model_item *
model_view_item(const struct model *m, size_t i)
{
	return i < m->nview ? item_at(m, m->view[i]) : NULL;
}

const struct model_item *
model_find(const struct model *m, long long rowid)
{
	long i = map_find(m, rowid);

	return i < 0 ? NULL : item_at(m, (size_t)i);
}

const char *
model_ticker_name(const struct model *m, uint32_t id)
{
	return id < m->tickers.n ? m->tickers.names[id] : "?";
}

const char *
model_feed_name(const struct model *m, uint16_t id)
{
	return id < m->feeds.n ? m->feeds.names[id] : "?";
}

const char *
model_category_name(const struct model *m, size_t i)
{
	return i < m->cats.n ? m->cats.names[i] : NULL;
}

int
model_item_has_ticker(const struct model *m, const struct model_item *mi,
    const char *ticker)
{
	uint32_t id = intern_find(&m->tickers, ticker);
	int i;

	for (i = 0; id != NONE && i < mi->n_tickers; i++)
		if (mi->tickers[i] == id)
			return 1;
	return 0;
}

static void
rebuild(struct model *m)
{
	long long sel_rowid = 0;
	const struct model_item *old = model_sel_item(m);
	struct model_item key;
	long offset = m->sel - m->top;
	size_t i;

	if (old != NULL) {
		sel_rowid = old->rowid;
		key = *old;
	}
	resolve_filter(m);
	m->nview = 0;
	for (i = 0; i < m->n; i++)
		if (model_match(m, item_at(m, i))) {
			m->view = xreallocarray_grow(m->view, &m->capview,
			    m->nview + 1, sizeof(*m->view));
			m->view[m->nview++] = (uint32_t)i;
		}
	/* Items usually come in order (newest first from the store, or
	 * oldest first from a backlog): check before sorting. */
	if (m->nview > 1) {
		size_t k, n = m->nview;
		int fwd = 1, rev = 1;

		for (k = 1; k < n && (fwd || rev); k++) {
			int c = cmp_items(m, item_at(m, m->view[k - 1]),
			    item_at(m, m->view[k]));

			if (c > 0)
				fwd = 0;
			if (c < 0)
				rev = 0;
		}
		if (!fwd && rev)
			for (k = 0; k < n / 2; k++) {
				uint32_t t = m->view[k];

				m->view[k] = m->view[n - 1 - k];
				m->view[n - 1 - k] = t;
			}
		if (fwd || rev)
			goto sorted;
	}
	if (m->nview > 1) {
		/* qsort has no context argument: a simple merge sort. */
		uint32_t *tmp = xmalloc(m->nview * sizeof(*tmp));
		size_t w, lo, n = m->nview;

		for (w = 1; w < n; w *= 2) {
			for (lo = 0; lo < n; lo += 2 * w) {
				size_t mid = lo + w < n ? lo + w : n;
				size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
				size_t a = lo, b = mid, k = lo;

				while (a < mid && b < hi)
					tmp[k++] = cmp_items(m,
					    item_at(m, m->view[b]),
					    item_at(m, m->view[a])) < 0 ?
					    m->view[b++] : m->view[a++];
				while (a < mid)
					tmp[k++] = m->view[a++];
				while (b < hi)
					tmp[k++] = m->view[b++];
			}
			memcpy(m->view, tmp, n * sizeof(*tmp));
		}
		free(tmp);
	}
sorted:
	if (m->nview == 0) {
		m->sel = -1;
		m->top = 0;
		return;
	}
	if (old == NULL) {
		m->sel = 0;
		m->top = 0;
	} else {
		long p = (long)view_lower_bound(m, &key);

		(void)sel_rowid;
		m->sel = p < (long)m->nview ? p : (long)m->nview - 1;
		m->top = m->sel - (offset >= 0 ? offset : 0);
		if (m->top < 0)
			m->top = 0;
	}
	clamp_view(m);
}

void
model_refresh(struct model *m)
{
	rebuild(m);
}

void
model_set_filter(struct model *m, const struct model_filter *f)
{
	size_t i;

	m->filter = *f;
	m->filter.ticker[sizeof(m->filter.ticker) - 1] = '\0';
	m->filter.category[sizeof(m->filter.category) - 1] = '\0';
	m->filter.search[sizeof(m->filter.search) - 1] = '\0';
	for (i = 0; m->filter.search[i]; i++)
		m->f_search[i] = (char)tolower(
		    (unsigned char)m->filter.search[i]);
	m->f_search[i] = '\0';
	rebuild(m);
}

void
model_set_search_hits(struct model *m, const long long *rowids, size_t n)
{
	m->hits = rowids;
	m->nhits = rowids ? n : 0;
}

const struct model_filter *
model_filter(const struct model *m)
{
	return &m->filter;
}

int
model_filtered(const struct model *m)
{
	const struct model_filter *f = &m->filter;

	return f->ticker[0] || f->category[0] || f->search[0] ||
	    f->min_impact > 0 || f->unread_only || f->starred_only;
}

void
model_set_sort(struct model *m, enum model_sort s)
{
	if (m->sort == s)
		return;
	m->sort = s;
	rebuild(m);
}

enum model_sort
model_sort(const struct model *m)
{
	return m->sort;
}

void
model_set_rows(struct model *m, int rows)
{
	m->rows = rows > 0 ? rows : 1;
	clamp_view(m);
}

long
model_sel(const struct model *m)
{
	return m->sel;
}

long
model_top(const struct model *m)
{
	return m->top;
}

const struct model_item *
model_sel_item(const struct model *m)
{
	if (m->sel < 0 || (size_t)m->sel >= m->nview)
		return NULL;
	return item_at(m, m->view[m->sel]);
}

void
model_move(struct model *m, long delta)
{
	if (m->nview == 0)
		return;
	m->sel += delta;
	if (m->sel < 0)
		m->sel = 0;
	if (m->sel >= (long)m->nview)
		m->sel = (long)m->nview - 1;
	if (m->sel < m->top)
		m->top = m->sel;
	clamp_view(m);
}

void
model_select(struct model *m, long i)
{
	if (m->nview == 0)
		return;
	m->sel = i;
	if (i <= 0)
		m->top = 0;
	if (m->sel < m->top)
		m->top = m->sel;
	clamp_view(m);
}

int
model_select_rowid(struct model *m, long long rowid)
{
	long idx = map_find(m, rowid), pos;

	if (idx < 0 || (pos = view_find(m, (size_t)idx)) < 0)
		return -1;
	model_select(m, pos);
	return 0;
}

void
model_scroll(struct model *m, long delta)
{
	long n = (long)m->nview;

	if (n == 0)
		return;
	m->top += delta;
	if (m->top > n - m->rows)
		m->top = n - m->rows;
	if (m->top < 0)
		m->top = 0;
	if (m->sel < m->top)
		m->sel = m->top;
	if (m->sel >= m->top + m->rows)
		m->sel = m->top + m->rows - 1;
	clamp_view(m);
}

long
model_unseen(const struct model *m)
{
	return m->unseen;
}

static void
set_flag(struct model *m, long long rowid, unsigned flag, int on)
{
	long idx = map_find(m, rowid), pos;
	struct model_item *mi;
	int was;

	if (idx < 0)
		return;
	mi = item_at(m, (size_t)idx);
	was = model_match(m, mi);
	if (on)
		mi->flags |= (uint8_t)flag;
	else
		mi->flags &= (uint8_t)~flag;
	/* The unread-only view keeps an item the user just read until the
	 * filter is set again, so the cursor does not jump. */
	if (was && !model_match(m, mi) && flag != MODEL_READ &&
	    (pos = view_find(m, (size_t)idx)) >= 0)
		view_remove_at(m, (size_t)pos);
}

void
model_set_read(struct model *m, long long rowid, int read)
{
	set_flag(m, rowid, MODEL_READ, read);
}

void
model_set_starred(struct model *m, long long rowid, int starred)
{
	set_flag(m, rowid, MODEL_STARRED, starred);
}

void
model_clear_flag(struct model *m, long long rowid, unsigned flag)
{
	set_flag(m, rowid, flag, 0);
}

void
model_mark_all_read(struct model *m, int view_only)
{
	size_t i;

	if (view_only) {
		for (i = 0; i < m->nview; i++)
			item_at(m, m->view[i])->flags |= MODEL_READ;
		return;
	}
	for (i = 0; i < m->n; i++)
		item_at(m, i)->flags |= MODEL_READ;
}

long
model_unread(const struct model *m)
{
	long n = 0;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!(item_at(m, i)->flags & MODEL_READ))
			n++;
	return n;
}

void
model_ticker_stats(const struct model *m, const char *const *tickers,
    size_t n, time_t now, struct model_stat *out)
{
	uint32_t ids[64];
	double sent[64];
	size_t i, k;
	time_t since = now - MODEL_SPARK_HOURS * 3600;

	if (n > UTIL_ARRAY_LEN(ids))
		n = UTIL_ARRAY_LEN(ids);
	for (k = 0; k < n; k++) {
		size_t j;

		memset(&out[k], 0, sizeof(out[k]));
		util_strlcpy(out[k].ticker, tickers[k], sizeof(out[k].ticker));
		for (j = 0; out[k].ticker[j]; j++)
			out[k].ticker[j] = (char)toupper(
			    (unsigned char)out[k].ticker[j]);
		ids[k] = intern_find(&m->tickers, tickers[k]);
		sent[k] = 0;
	}
	for (i = 0; i < m->n; i++) {
		const struct model_item *mi = item_at(m, i);
		int t;

		for (t = 0; t < mi->n_tickers; t++) {
			for (k = 0; k < n; k++) {
				struct model_stat *s = &out[k];
				long h;

				if (ids[k] != mi->tickers[t])
					continue;
				if (mi->published > s->latest)
					s->latest = mi->published;
				if (mi->published <= since)
					continue;
				s->count++;
				if (mi->impact > s->max_impact)
					s->max_impact = mi->impact;
				sent[k] += mi->sentiment;
				h = mi->published >= now ? 0 :
				    (long)((now - mi->published) / 3600);
				if (h >= MODEL_SPARK_HOURS)
					h = MODEL_SPARK_HOURS - 1;
				s->hourly[MODEL_SPARK_HOURS - 1 - h]++;
			}
		}
	}
	for (k = 0; k < n; k++)
		if (out[k].count > 0)
			out[k].net_sentiment = sent[k] / (double)out[k].count;
}

void
model_sparkline(const int *b, size_t n, int width, char *out, size_t outlen)
{
	static const char *const blocks[8] = {
		"\u2581", "\u2582", "\u2583", "\u2584",
		"\u2585", "\u2586", "\u2587", "\u2588"
	};
	long groups[256], max = 0;
	size_t used = 0;
	int g;

	if (outlen == 0)
		return;
	out[0] = '\0';
	if (width <= 0 || n == 0)
		return;
	if (width > 256)
		width = 256;
	for (g = 0; g < width; g++) {
		/* Bucket range [lo, hi) for group g; the last group ends at
		 * the newest bucket. */
		size_t lo = (size_t)g * n / (size_t)width;
		size_t hi = (size_t)(g + 1) * n / (size_t)width, i;

		if (hi <= lo)
			hi = lo + 1;
		groups[g] = 0;
		for (i = lo; i < hi && i < n; i++)
			groups[g] += b[i] > 0 ? b[i] : 0;
		if (groups[g] > max)
			max = groups[g];
	}
	for (g = 0; g < width; g++) {
		int lvl = 0;

		if (groups[g] > 0 && max > 0) {
			lvl = (int)((groups[g] * 7 + max - 1) / max);
			if (lvl < 1)
				lvl = 1;
		}
		if (used + 4 > outlen)
			break;
		memcpy(out + used, blocks[lvl], 3);
		used += 3;
		out[used] = '\0';
	}
}

size_t
model_complete(const struct model *m, int kind, const char *prefix,
    char *out, size_t outlen)
{
	const struct intern *t = kind ? &m->cats : &m->tickers;
	size_t i, pl = strlen(prefix), count = 0, common = 0;
	const char *first = NULL;

	for (i = 0; i < t->n; i++) {
		const char *s = t->names[i];
		size_t c;

		if (util_strncasecmp(s, prefix, pl) != 0)
			continue;
		if (count++ == 0) {
			first = s;
			common = strlen(s);
			continue;
		}
		for (c = 0; c < common && s[c] &&
		    tolower((unsigned char)s[c]) ==
		    tolower((unsigned char)first[c]); c++)
			;
		common = c;
	}
	if (outlen > 0) {
		if (first == NULL)
			util_strlcpy(out, prefix, outlen);
		else {
			size_t len = common < outlen - 1 ? common : outlen - 1;

			memcpy(out, first, len);
			out[len] = '\0';
		}
	}
	return count;
}

int
model_fit(const char *s, int cols, char *buf, size_t bufsize)
{
	return text_fit(s, cols, buf, bufsize);
}

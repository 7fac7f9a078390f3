/*
 * store_titles.c - the map behind story clustering by link and title.
 *
 * An item joins the story of an item with the same normalised link
 * published within four days of it, or else with the same normalised
 * title within 48 hours.  Answering that from an index on the hashes cost
 * a random index page per stored item (the hashes are uniformly spread),
 * the largest share of the pages each commit wrote.  The map answers it
 * from memory instead: the title and link hashes (links in a key space of
 * their own), date and story of every stored item published at or after
 * `lo`, in an
 * open-addressing table (linear probing, at most half full; several
 * entries may share a hash: the same headline a week apart is two
 * stories).
 *
 * It is loaded lazily on the first lookup, from the covering
 * items_published index, with lo two days before the item looked up (or
 * before now, whichever is earlier); a lookup reaching below lo loads the
 * older rows and lowers lo, so an old item arriving late still finds its
 * neighbours.  Items written through this connection are added as they
 * are written.  Entries older than eight days are pruned when the table
 * grows, raising lo, so memory follows the rate of news, not the history.
 *
 * The map is only right while nobody else changes items: every write
 * transaction of an ingest starts with store_titles_check(), which asks
 * PRAGMA data_version whether another connection committed, and if so
 * drops the map when items were added (a larger max(id)) or removed (a
 * new last_gc).  The readers' writes (read, starred) keep it.  A rollback
 * or a gc through this connection drops it too.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

enum {
	MIN_CAP = 1024,
	PRUNE_AT = 1 << 16	/* entries before pruning is considered */
};

static size_t
slot_of(uint64_t h, size_t cap)
{
	return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

static void
put(struct title_map *m, uint64_t h, long long pub, long long story)
{
	size_t i = slot_of(h, m->cap);

	while (m->v[i].hash != 0)
		i = (i + 1) & (m->cap - 1);
	m->v[i].hash = h;
	m->v[i].published = pub;
	m->v[i].story = story;
	m->n++;
}

/* Move the entries published at or after keep_from to a table of cap
 * slots. */
static void
rebuild(struct title_map *m, size_t cap, long long keep_from)
{
	struct title_ent *old = m->v;
	size_t i, oldcap = m->cap;

	m->v = xcalloc(cap, sizeof(*m->v));
	m->cap = cap;
	m->n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].hash != 0 && old[i].published >= keep_from)
			put(m, old[i].hash, old[i].published, old[i].story);
	free(old);
}

static void
add_entry(struct title_map *m, uint64_t h, long long pub, long long story)
{
	size_t cap;

	if (h == 0)
		h = 1;		/* 0 marks a free slot */
	if ((m->n + 1) * 2 > m->cap) {
		cap = m->cap ? m->cap : MIN_CAP;
		while ((m->n + 1) * 2 > cap)
			cap *= 2;
		rebuild(m, cap, LLONG_MIN);
	}
	put(m, h, pub, story);
}

/* An item's entries: its title hash and its link hash (0: none). */
static void
add_item(struct title_map *m, uint64_t title_hash, uint64_t link_hash,
    long long pub, long long story)
{
	if (title_hash != 0)
		add_entry(m, title_hash, pub, story);
	if (link_hash != 0)
		add_entry(m, store_link_map_key(link_hash), pub, story);
}

void
store_titles_reset(struct store *s)
{
	struct title_map *m = &s->titles;

	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* store_scalar() with this file's words for an error. */
static int
scalar(struct store *s, enum store_stmt_id id, long long *out, char *err,
    size_t errlen)
{
	return store_scalar(s, id, out, "clustering stories", err, errlen);
}

/* Add the rows published in [from, to). */
static int
load(struct store *s, long long from, long long to, char *err,
    size_t errlen)
{
	struct title_map *m = &s->titles;
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, ST_TITLES_LOAD, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = store_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 3);

		/* NULL reads as 0: no hash. */
		add_item(m, (uint64_t)sqlite3_column_int64(st, 0),
		    (uint64_t)sqlite3_column_int64(st, 4),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2));
		if (id > m->max_id)
			m->max_id = id;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc, "clustering stories", err, errlen);
	return 0;
}

int
store_titles_check(struct store *s, char *err, size_t errlen)
{
	struct title_map *m = &s->titles;
	long long dv, max_id;

	if (!m->loaded)
		return 0;
	if (scalar(s, ST_DATA_VERSION, &dv, err, errlen) < 0)
		return -1;
	if (dv == m->data_version)
		return 0;
	if (scalar(s, ST_MAX_ITEM, &max_id, err, errlen) < 0)
		return -1;
	if (max_id > m->max_id || (long long)store_last_gc(s) != m->last_gc)
		store_titles_reset(s);
	else
		m->data_version = dv;
	return 0;
}

int
store_titles_find(struct store *s, uint64_t hash, time_t published,
    long window, long long *story, char *err, size_t errlen)
{
	struct title_map *m = &s->titles;
	long long p = (long long)published, from = p - window, best = 0;
	long long best_pub = LLONG_MAX, now = (long long)util_now();
	size_t i;

	*story = 0;
	if (!m->loaded) {
		store_titles_reset(s);
		if (scalar(s, ST_DATA_VERSION, &m->data_version, err,
		    errlen) < 0 ||
		    scalar(s, ST_MAX_ITEM, &m->max_id, err, errlen) < 0)
			return -1;
		m->last_gc = (long long)store_last_gc(s);
		m->lo = (p < now ? p : now) - window;
		m->loaded = 1;
		if (load(s, m->lo, LLONG_MAX, err, errlen) < 0) {
			store_titles_reset(s);
			return -1;
		}
	} else if (from < m->lo) {
		if (load(s, from, m->lo, err, errlen) < 0) {
			store_titles_reset(s);
			return -1;
		}
		m->lo = from;
	}
	if (hash == 0)
		hash = 1;
	if (m->cap == 0)
		return 0;
	for (i = slot_of(hash, m->cap); m->v[i].hash != 0;
	    i = (i + 1) & (m->cap - 1)) {
		const struct title_ent *e = &m->v[i];

		/* The earliest match, as the old (hash, published) index
		 * walk returned. */
		if (e->hash == hash && e->published >= from &&
		    e->published <= p + window && e->published < best_pub) {
			best = e->story;
			best_pub = e->published;
		}
	}
	*story = best;
	return 0;
}

/* Link hashes share the map with title hashes, in their own key space
 * (a title and a link hashing alike would need a 2^-64 chance). */
uint64_t
store_link_map_key(uint64_t link_hash)
{
	return link_hash ^ 0x9e3779b97f4a7c15ULL;
}

void
store_titles_add(struct store *s, uint64_t title_hash, uint64_t link_hash,
    time_t published, long long story, long long rowid)
{
	struct title_map *m = &s->titles;
	long long cutoff;

	if (!m->loaded)
		return;		/* the load will read it from the table */
	if (rowid > m->max_id)
		m->max_id = rowid;
	if ((title_hash == 0 && link_hash == 0) ||
	    (long long)published < m->lo)
		return;
	if (m->n + 1 >= PRUNE_AT && (m->n + 1) * 2 > m->cap) {
		/* About to grow: first drop what no recent item can reach
		 * (an older one reloads it). */
		cutoff = (long long)util_now() - 2 * (long long)
		    STORE_LINK_WINDOW;
		if (cutoff > m->lo) {
			m->lo = cutoff;
			rebuild(m, m->cap, cutoff);
		}
	}
	add_item(m, title_hash, link_hash, (long long)published, story);
}

/*
 * model.h - what the dashboard shows, without curses: the items in
 * memory (compact: title, source, tickers, impact, sentiment, flags; the
 * long text stays in the store and is fetched for the selected item only),
 * the filtered and sorted view over them, the selection and scroll
 * position anchored by row id, per-ticker statistics and sparklines.
 *
 * One model per UI thread; not thread-safe.  Strings handed in are copied
 * and sanitised for the terminal.
 */
#ifndef DESKWIRE_MODEL_H
#define DESKWIRE_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "item.h"

enum {
	MODEL_READ = 1 << 0,
	MODEL_STARRED = 1 << 1,
	MODEL_NEW = 1 << 2,	/* arrived while the UI was running */
	MODEL_ALERT = 1 << 3,	/* matched an alert rule */
	MODEL_UPDATED = 1 << 4,	/* changed upstream after first seen */
	MODEL_MAX_TICKERS = 8,	/* kept per item (primary first) */
	MODEL_SEARCH_LEN = 128,
	MODEL_SPARK_HOURS = 24
};

enum model_sort {
	MODEL_SORT_TIME = 0,	/* newest first */
	MODEL_SORT_IMPACT = 1	/* highest impact first, then newest */
};

/* One headline as the list needs it (about 80 bytes plus the title). */
struct model_item {
	long long rowid;
	long long story_id;
	time_t published;
	char *title;		/* sanitised, owned by the model */
	uint64_t cats;		/* bit i: model category i */
	float impact;		/* [0,1] */
	float sentiment;	/* [-1,1] */
	uint32_t tickers[MODEL_MAX_TICKERS];	/* interned ids */
	uint16_t feed;		/* interned feed name id */
	uint8_t n_tickers;
	uint8_t n_primary;	/* the first n_primary tickers are primary */
	uint8_t n_sources;	/* capped at 255 */
	uint8_t flags;		/* MODEL_* */
	int8_t sentiment_label;	/* -1, 0, 1 */
	uint8_t valid;		/* annotation computed */
};

struct model_filter {
	char ticker[ITEM_TICKER_LEN];		/* "" = any */
	char category[ITEM_CATEGORY_LEN];	/* "" = any */
	char search[MODEL_SEARCH_LEN];		/* "" = none */
	double min_impact;			/* 0 = any */
	int unread_only;
	int starred_only;
};

struct model_stat {
	char ticker[ITEM_TICKER_LEN];
	long count;			/* items within the window */
	double max_impact;		/* within the window */
	double net_sentiment;		/* mean sentiment within the window */
	time_t latest;			/* newest published, 0 = none seen */
	int hourly[MODEL_SPARK_HOURS];	/* [23] = the current hour */
};

struct model;

struct model *model_new(void);
void model_free(struct model *m);

/*
 * Add it (borrowed; the fields the list needs are copied and sanitised)
 * or, when an item with the same rowid is there, update it in place.
 * flags are MODEL_* bits to set (e.g. MODEL_NEW); read/starred come from
 * it.  The view is updated incrementally: the selected item and the top
 * row stay where they are; when the viewport is at the head of the list
 * it stays there (new rows push the selection down) until the selection
 * would leave the viewport.  Returns the item (owned by the model, valid
 * until model_free), or NULL if it has no row id.
 */
const struct model_item *model_add(struct model *m, const struct item *it,
    unsigned flags);

/*
 * For large batches: model_add() with MODEL_DEFER only stores the item;
 * model_refresh() then rebuilds the view once (selection kept on its
 * item, at the same screen row).
 */
enum { MODEL_DEFER = 1 << 7 };
void model_refresh(struct model *m);

/* Total items held / items in the filtered view. */
size_t model_count(const struct model *m);
size_t model_view_count(const struct model *m);
/* The i-th item of the view (NULL past the end). */
const struct model_item *model_view_item(const struct model *m, size_t i);
/* The item with this row id, or NULL. */
const struct model_item *model_find(const struct model *m, long long rowid);

/* Interned names: a ticker or feed name by id. */
const char *model_ticker_name(const struct model *m, uint32_t id);
const char *model_feed_name(const struct model *m, uint16_t id);
/* The i-th known category name (NULL past the end). */
const char *model_category_name(const struct model *m, size_t i);
/* 1 if the item names ticker (case-insensitive). */
int model_item_has_ticker(const struct model *m, const struct model_item *mi,
    const char *ticker);

/*
 * Replace the filter (copied) and rebuild the view; the selection stays on
 * the same item if it still matches, else on the nearest row.  With
 * extra_rowids (sorted ascending, borrowed only for this call and the
 * next model_add()s: pass NULL to drop), an item also matches the search
 * when its rowid is in the set (full-text hits from the store).
 */
void model_set_filter(struct model *m, const struct model_filter *f);
void model_set_search_hits(struct model *m, const long long *rowids,
    size_t n);
const struct model_filter *model_filter(const struct model *m);
/* 1 if any filter is active. */
int model_filtered(const struct model *m);
void model_set_sort(struct model *m, enum model_sort s);
enum model_sort model_sort(const struct model *m);
/* 1 if mi passes the current filter. */
int model_match(const struct model *m, const struct model_item *mi);

/*
 * Selection and scrolling.  rows is the height of the list viewport; the
 * model keeps the selection visible in it.  Selection index is -1 when
 * the view is empty.
 */
void model_set_rows(struct model *m, int rows);
long model_sel(const struct model *m);
long model_top(const struct model *m);
const struct model_item *model_sel_item(const struct model *m);
/* Move by delta rows (clamped). */
void model_move(struct model *m, long delta);
/* Select view index i (clamped); 0 also scrolls to the head. */
void model_select(struct model *m, long i);
/* Select by row id; returns 0, or -1 if not in the view. */
int model_select_rowid(struct model *m, long long rowid);
/* Scroll the viewport by delta rows, dragging the selection along. */
void model_scroll(struct model *m, long delta);
/* Items above the viewport that arrived since the user last saw the
 * head (the "N new" marker); reset by model_select(m, 0). */
long model_unseen(const struct model *m);

/* User state; they only change the model (the caller writes the store). */
void model_set_read(struct model *m, long long rowid, int read);
void model_set_starred(struct model *m, long long rowid, int starred);
/* Every item (or those in the view only when view_only) read. */
void model_mark_all_read(struct model *m, int view_only);
void model_clear_flag(struct model *m, long long rowid, unsigned flag);
long model_unread(const struct model *m);

/*
 * Statistics of each of tickers[0..n) over [now - 24h, now] in one pass
 * over the items: count, hourly buckets ([23] is the hour ending at now),
 * mean sentiment, max impact, and the newest item at any time.  out has n
 * entries (filled, ticker copied upper-case).
 */
void model_ticker_stats(const struct model *m, const char *const *tickers,
    size_t n, time_t now, struct model_stat *out);

/*
 * Draw buckets b[0..n) as a sparkline of width characters (▁..█) into out
 * (UTF-8, NUL-terminated; needs 3 * width + 1 bytes): buckets are grouped
 * evenly, the tallest group is █, an empty group is ▁ and any non-empty
 * one is at least ▂.
 */
void model_sparkline(const int *b, size_t n, int width, char *out,
    size_t outlen);

/*
 * Complete prefix (case-insensitive) from the known tickers (kind 0) or
 * categories (kind 1): the longest common completion goes into out.
 * Returns the number of candidates.
 */
size_t model_complete(const struct model *m, int kind, const char *prefix,
    char *out, size_t outlen);

/* Cut s to cols terminal columns into buf with "…" (width-aware). */
int model_fit(const char *s, int cols, char *buf, size_t bufsize);

#endif

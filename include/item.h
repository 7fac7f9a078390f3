/*
 * item.h - the headline value type handed from the parser to the analyzer,
 * the store, the queue and the UI, and its annotation.
 *
 * struct item is a plain heap value: every char * field is owned by the
 * item (NULL when absent) and freed by item_free().  The annotation is
 * embedded; its only heap field is `analysis`.
 */
#ifndef DESKWIRE_ITEM_H
#define DESKWIRE_ITEM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "strbuf.h"

enum {
	ITEM_MAX_ENTITIES = 16,
	ITEM_MAX_CATEGORIES = 12,
	ITEM_MAX_PARTS = 10,
	ITEM_NAME_LEN = 64,
	ITEM_TICKER_LEN = 16,
	ITEM_CATEGORY_LEN = 48,
	ITEM_PART_LEN = 24,
	ITEM_EVENT_LEN = 32
};

enum item_role {
	ITEM_ROLE_PRIMARY = 0,
	ITEM_ROLE_MENTIONED = 1
};

/* A company or organisation the item concerns. */
struct item_entity {
	char name[ITEM_NAME_LEN];	/* "Amazon.com", "Anthropic" */
	char ticker[ITEM_TICKER_LEN];	/* "AMZN"; "" for a private company */
	int role;			/* enum item_role */
};

/* One component of the impact score and what it contributed. */
struct item_part {
	char name[ITEM_PART_LEN];	/* "event", "magnitude", ... */
	double value;
};

struct item_annotation {
	int valid;			/* 0: not computed yet (JSON null) */
	int version;			/* analyzer version that made it */
	double impact;			/* [0,1], two decimals */
	double sentiment;		/* [-1,1] */
	int sentiment_label;		/* -1 negative, 0 neutral, 1 positive */
	char event[ITEM_EVENT_LEN];	/* event class, "" when none */
	size_t n_entities;		/* primary entities first */
	struct item_entity entities[ITEM_MAX_ENTITIES];
	size_t n_parts;
	struct item_part parts[ITEM_MAX_PARTS];
	size_t n_categories;
	char categories[ITEM_MAX_CATEGORIES][ITEM_CATEGORY_LEN];
	char *analysis;			/* heap, owned; NULL if none */
	/* Where the sentence on the score ("Impact 0.42 ...") lies in
	 * analysis, as byte offsets; set by the analyzer, 0 and 0 when not
	 * known (an annotation read back from the store). */
	size_t why_at, why_end;
};

struct item {
	long long rowid;	/* store row id; 0 when not stored */
	long long story_id;	/* cluster of the same story; 0 = none */
	int n_sources;		/* feeds carrying the story (>= 1) */
	char *feed;		/* feed display name */
	char *feed_url;		/* feed URL: with id, the identity */
	char *id;		/* stable id within the feed */
	char *title;		/* plain text */
	char *link;		/* absolute URL */
	char *summary;		/* plain text */
	char *content;		/* plain text of the full content */
	char *author;
	char *tags;		/* source categories, '\n'-separated */
	time_t published;	/* UTC */
	int published_guessed;	/* 1: no date in the feed, fetch time used */
	time_t first_seen;
	time_t updated;		/* 0 unless changed upstream */
	int is_update;		/* set by the store when an upsert changed it */
	double source_weight;	/* from feeds.conf, [0,1] */
	int read;
	int starred;
	char *note;
	struct item_annotation ann;
	/* The store's hashes of the text (see store_item_prehash()): of
	 * title, summary, content and link together, and of the link and
	 * title keys that cluster stories; valid 0: not computed. */
	struct {
		uint64_t content, link, title;
		int valid;
	} hashes;
	struct item *next;	/* for lists and the queue; not owned */
};

/* A zeroed item (n_sources 1, source_weight 0.5); owned by the caller. */
struct item *item_new(void);
/* Frees it and every owned field; NULL is fine.  Does not follow next. */
void item_free(struct item *it);
/* Frees a whole next-linked list. */
void item_free_list(struct item *head);
/* A deep copy (next is NULL); owned by the caller. */
struct item *item_dup(const struct item *it);
/* Replace *field with a copy of s (NULL clears).  The old value is freed. */
void item_set(char **field, const char *s);
/* Release the annotation's heap fields and zero it. */
void item_annotation_clear(struct item_annotation *ann);
/* Deep copy of an annotation into dst (dst is cleared first). */
void item_annotation_copy(struct item_annotation *dst,
    const struct item_annotation *src);
/* The first ticker of a primary entity, else of any entity, else NULL. */
const char *item_primary_ticker(const struct item *it);
/* 1 if the item names ticker (case-insensitive), else 0. */
int item_has_ticker(const struct item *it, const char *ticker);

/*
 * Output formats shared by fetch, list and analyze.  JSON is one object
 * per line with the pinned field names (feed, id, published, title, link,
 * summary, tickers, impact, sentiment, categories, analysis, ...);
 * extended adds sentiment_label, impact_parts, entities, event and
 * sources.  TSV is published, impact, sentiment, tickers, feed, title,
 * link with tabs/newlines in fields turned into spaces.
 */
void item_to_json(const struct item *it, int extended, struct strbuf *out);
void item_to_tsv(const struct item *it, struct strbuf *out);
/* JSON of the annotation fields only, as analyze prints them. */
void item_annotation_to_json(const struct item_annotation *ann,
    struct strbuf *out);

#endif

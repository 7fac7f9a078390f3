/*
 * analyze.h - the headline analyzer: tickers and entities, sentiment,
 * categories, an explainable market-impact score and the analysis text.
 * Pure: text in, annotation out; the context is read-only after
 * analyze_new(), so one context may serve several threads at once.
 */
#ifndef DESKWIRE_ANALYZE_H
#define DESKWIRE_ANALYZE_H

#include <stddef.h>

#include "conf.h"
#include "item.h"

/* Bumped whenever the output for the same input may change. */
#define ANALYZE_VERSION 3

struct analyze_ctx;

/*
 * Build the analyzer from the data files (data_dir if non-NULL and the
 * files exist there, else the copies embedded in the binary) plus the
 * user's extra tickers, aliases and categories from c (may be NULL).
 * Returns NULL with a message in err on a bad data line (file:line).
 */
struct analyze_ctx *analyze_new(const struct conf *c, const char *data_dir,
    char *err, size_t errlen);
void analyze_free(struct analyze_ctx *ctx);

struct analyze_input {
	const char *title;	/* plain text; required */
	const char *summary;	/* plain text; may be NULL */
	double source_weight;	/* [0,1]; 0.5 when unknown */
	int repeat;		/* 1: a story already reported elsewhere */
};

/*
 * Annotate one headline.  out is cleared first and owned by the caller
 * (release with item_annotation_clear()).  Never fails.
 */
void analyze_text(const struct analyze_ctx *ctx,
    const struct analyze_input *in, struct item_annotation *out);

/* Convenience: analyze it->title/summary/source_weight into it->ann. */
void analyze_item(const struct analyze_ctx *ctx, struct item *it, int repeat);

/*
 * The annotation analyze_item(ctx, it, 1) would make, from the one
 * analyze_item(ctx, it, 0) made in this process: only the score and its
 * sentence change, so nothing is analyzed again.  An annotation that did
 * not come from this analyzer (read back from the store, another version)
 * is made again in full.  Never fails.
 */
void analyze_item_repeat(const struct analyze_ctx *ctx, struct item *it);

/* What the analyzer knows, for `deskwire dict stats` and the benchmark. */
struct analyze_stats {
	size_t tickers;			/* companies with a symbol */
	size_t private_companies;
	size_t imported;		/* from the user's import */
	size_t aliases;
	size_t patterns;		/* automaton patterns, all families */
	size_t states;
	size_t lexicon;			/* sentiment entries */
	size_t events;
	size_t categories;
	size_t category_rules;
	size_t memory;			/* bytes: automaton + tables */
	double build_ms;		/* analyze_new() time */
};

void analyze_stats(const struct analyze_ctx *ctx, struct analyze_stats *st);

/* The user's dictionary file ($XDG_DATA_HOME/deskwire/tickers-user.tsv),
 * heap, or NULL when HOME is unset. */
char *analyze_user_dict_path(void);

#endif

/*
 * impact.h - the market-impact score: event classes (data/events.tsv),
 * amounts parsed from the text, and the additive, explainable model that
 * turns them into a score in [0,1] with its breakdown.
 *
 * The model (every part lands in item_annotation.parts, and the parts sum
 * to the score before rounding to two decimals):
 *
 *   base        0.05  any item
 *   event       the event class's weight (0 .. 0.35), x0.7 when the event
 *               is only in the summary; "none" 0.02
 *   magnitude   0 .. 0.22 from the largest amount: 60% from its absolute
 *               size on a log scale ($10m -> 0, $100bn -> 1) and 40% from
 *               its size relative to the primary company's market cap
 *               (0.01% -> 0, 10% -> 1); or from the largest percentage
 *               (1% -> small, 30%+ -> full) when there is no amount
 *   size        0 .. 0.08 how big the company is (log of market cap:
 *               $1bn -> 0, $1tn+ -> full); a private company counts 0.02
 *   centrality  0.07 a company named in the headline, 0.03 only in the
 *               summary, 0 none
 *   source      (source_weight - 0.5) x 0.12
 *   sentiment   |sentiment| x 0.10
 *   novelty     -0.12 when the story was already reported (repeat)
 *   clamp       whatever keeps the sum inside [0,1] (usually absent)
 */
#ifndef DESKWIRE_IMPACT_H
#define DESKWIRE_IMPACT_H

#include <stddef.h>
#include <stdint.h>

#include "dict.h"
#include "item.h"
#include "util.h"

/* ---- amounts ---- */

enum { IMPACT_MAX_AMOUNTS = 6, IMPACT_AMOUNT_TEXT = 24 };

struct impact_amounts {
	size_t n;			/* money amounts, text order */
	struct {
		double usd;		/* converted roughly to US dollars */
		char text[IMPACT_AMOUNT_TEXT];	/* as written: "$25bn" */
		int up_to;		/* "up to $20 billion" */
		uint8_t seg;
	} v[IMPACT_MAX_AMOUNTS];
	double max_usd;			/* the largest (title ones count) */
	double max_pct;			/* the largest percentage, 0 none */
	char pct_text[IMPACT_AMOUNT_TEXT];
};

/*
 * Append the money amounts and percentages found in text (len bytes) to a
 * ("$25bn", "$5 billion", "€3.2bn", "US$1.2 million", "EUR 5 mn",
 * "12%", "12 percent").  seg tags where they came from.
 */
void impact_find_amounts(const char *text, size_t len, int seg,
    struct impact_amounts *a);
/*
 * The same scanner started at byte pos, for a tokenizer that drives it:
 * it stops at the first byte after pos that it would only step over (an
 * ASCII byte that is neither alphanumeric nor '$', or a UTF-8 byte below
 * 0xc2) and returns that offset (len at the end).  Running it at every
 * offset where the text can start an amount and that a previous call has
 * not passed -- a '$', a byte >= 0xc2, the first byte of a run of ASCII
 * letters and digits when it is an upper-case letter, or a digit not
 * preceded by a letter, digit or UTF-8 byte -- finds exactly what
 * impact_find_amounts() finds.
 */
size_t impact_amounts_at(const char *text, size_t len, size_t pos, int seg,
    struct impact_amounts *a);
/*
 * A shortcut for such a tokenizer at an ASCII upper-case letter followed
 * by a lower-case one ("The", "Nasdaq"; "Rs" excepted): no currency marker
 * starts there, the scanner steps over the rest of the word and stops at
 * the byte after it unless that byte can start an amount.  Returns that
 * offset (what impact_amounts_at() would return, having found nothing),
 * or 0 when impact_amounts_at() must be called.
 */
static inline size_t
impact_amounts_skip(const char *text, size_t len, size_t pos)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = pos + 1;

	if (i >= len || util_ascii_class[p[i]] != UTIL_CC_LOWER ||
	    (p[pos] == 'R' && p[i] == 's'))
		return 0;
	while (i < len && p[i] < 0x80 && util_ascii_class[p[i]] != 0)
		i++;
	if (i < len && (p[i] == '$' || p[i] >= 0xc2))
		return 0;
	return i;
}

/* ---- events ---- */

struct impact_event {
	char *name;		/* "M&A" (fits ITEM_EVENT_LEN) */
	char *desc;		/* "an acquisition or merger" */
	double weight;		/* 0 .. 0.35 */
};

struct impact_events;

struct impact_events *impact_events_new(void);
void impact_events_free(struct impact_events *ev);
/*
 * Parse events.tsv (EVENT<TAB>WEIGHT<TAB>DESCRIPTION<TAB>PHRASE|PHRASE...;
 * repeated EVENT lines add phrases) and add every phrase to d with
 * DICT_PAYLOAD(kind, prefix, event index).  0, or -1 "name:line: ...".
 */
int impact_events_load(struct impact_events *ev, struct dict *d,
    unsigned kind, const char *name, const char *text, size_t len,
    char *err, size_t errlen);
const struct impact_event *impact_event(const struct impact_events *ev,
    size_t i);
size_t impact_events_count(const struct impact_events *ev);
/* The index of the event named name, or -1. */
long impact_event_find(const struct impact_events *ev, const char *name);

/* ---- the score ---- */

struct impact_input {
	double event_weight;	/* < 0: no event */
	int event_in_title;
	const struct impact_amounts *amounts;
	double mcap;		/* primary company, $bn; 0 unknown */
	int has_private;	/* a private company is involved */
	int centrality;		/* 2 headline, 1 summary only, 0 none */
	double source_weight;	/* [0,1] */
	double sentiment;	/* [-1,1] */
	int repeat;
};

/* Fill ann->impact (two decimals) and ann->parts from in. */
void impact_score(const struct impact_input *in,
    struct item_annotation *ann);

/*
 * Turn a score impact_score() made with repeat 0 into the one it makes
 * with repeat 1 (the "novelty" part added, the clamp and the rounding done
 * again), without the text.  A score that has "novelty" already is left
 * as it is.
 */
void impact_mark_repeat(struct item_annotation *ann);

#endif

/*
 * sentiment.h - finance-specific sentiment from a lexicon of words and
 * phrases (data/lexicon.tsv) found by the analyzer's automaton: polarity
 * cues, direction x metric pairs ("net loss narrowed"), changes of state
 * ("swung to a loss"), negation, hedges, intensifiers and neutral
 * boilerplate.
 */
#ifndef DESKWIRE_SENTIMENT_H
#define DESKWIRE_SENTIMENT_H

#include <stddef.h>
#include <stdint.h>

#include "dict.h"

enum sentiment_class {
	SENT_POS,	/* good news as such: "beats estimates", "upgrade" */
	SENT_NEG,	/* bad news as such: "bankruptcy", "misses" */
	SENT_UP,	/* direction: "rose", "widened", "higher" */
	SENT_DOWN,	/* direction: "fell", "narrowed", "lower" */
	SENT_MPOS,	/* a metric where more is better: "profit" */
	SENT_MNEG,	/* a metric where more is worse: "net loss", "costs" */
	SENT_NEGATE,	/* "not", "no longer", "failed to" */
	SENT_HEDGE,	/* "may", "could", "reportedly" */
	SENT_INTENS,	/* "sharply", "record" */
	SENT_NEUTRAL,	/* boilerplate: "will report results on" */
	SENT_CUE,	/* company context (not scored): "shares", "CEO" */
	SENT_NOTTICKER,	/* abbreviations never taken as bare tickers */
	SENT_TURN,	/* change of state: "swung to", "turned into"; takes
			 * the polarity of the metric after it */
	SENT_CMP,	/* comparison of two figures: "compared with",
			 * "against"; needs the text (sentiment_score_text) */
	SENT_OPEN,	/* an action on a site: "open", "opened"; good news
			 * with a SENT_SITE near it ("open 12 new stores") */
	SENT_SHUT,	/* "close", "shut": bad news with a site near it
			 * ("close 27 stores", "the mill will be closed") */
	SENT_SIGN,	/* "signed", "concluded": good news with a SENT_PACT
			 * after it ("signed a framework agreement") */
	SENT_SITE,	/* stores, plants, mills, offices (also a company
			 * cue); scored only through OPEN or SHUT */
	SENT_PACT,	/* agreement, contract, partnership (also a company
			 * cue); scored only through SIGN */
	SENT_TURN_UP,	/* "rose to", "improved to": a TURN when a metric
			 * follows ("rose to a profit"), else an UP */
	SENT_TURN_DOWN,	/* "fell to", "slipped to": a TURN when a metric
			 * follows ("slipped to a loss"), else a DOWN */
	/*
	 * Analyst actions.  These four classes name a role: a lexicon line
	 * of one of them gives that role to the entry of the same phrase
	 * when there is one ("cut" stays a DOWN and also moves ratings),
	 * else adds an entry that scores only in the role.
	 */
	SENT_RATING,	/* a rating; WEIGHT its polarity when a company is
			 * started or kept at it: "buy" 1, "hold" 0 */
	SENT_RATE_IS,	/* "started at", "rated", "maintains": the rating
			 * after it says how good (WEIGHT: how much) */
	SENT_RATE_UP,	/* "upgraded to", "ups to": good, whatever the
			 * rating it reaches ("upgraded to sell from strong
			 * sell") */
	SENT_RATE_DOWN,	/* "cut to", "downgraded to": bad, whatever it
			 * reaches */
	SENT_N_CLASSES
};

#define SENT_NOT_RATING (-128)	/* sentiment_entry.rating of a non-rating */
#define SENT_RATE_HIDDEN 2	/* sentiment_hit.rate: counts nothing */

struct sentiment_entry {
	char *phrase;
	int cls;		/* enum sentiment_class */
	double weight;		/* for a metric: how much it counts (0: a
				 * figure whose change is not news, such as
				 * "share capital") */
	int rating;		/* as a rating: -1, 0, 1; else SENT_NOT_RATING */
	int rate_role;		/* 0, SENT_RATE_IS, _UP or _DOWN */
	double rate_weight;	/* what an action on a rating counts */
};

struct sentiment_lex;

struct sentiment_lex *sentiment_lex_new(void);
void sentiment_lex_free(struct sentiment_lex *lex);
/*
 * Parse a lexicon (PHRASE<TAB>CLASS[<TAB>WEIGHT] lines; a trailing '*'
 * makes the phrase a prefix; "{a|b|c}" groups, not nested, stand for each
 * alternative, so that "{starts|started} at {buy|outperform}" is four
 * entries) named name and add every new phrase to d with
 * DICT_PAYLOAD(kind, prefix, entry index).  A line of a role class
 * (rating, rateis, rateup, ratedown) gives the role to an earlier entry
 * of the same phrase instead of adding one.  0, or -1 with
 * "name:line: ...".
 */
int sentiment_lex_load(struct sentiment_lex *lex, struct dict *d,
    unsigned kind, const char *name, const char *text, size_t len,
    char *err, size_t errlen);
const struct sentiment_entry *sentiment_entry(const struct sentiment_lex *,
    uint32_t idx);
size_t sentiment_lex_count(const struct sentiment_lex *lex);

/* One lexicon match in a text, positioned in tokens and clauses. */
struct sentiment_hit {
	uint32_t entry;
	uint32_t start, end;	/* bytes, end exclusive */
	uint16_t tok, tok_end;	/* first token, one past the last */
	uint16_t clause;
	uint8_t seg;		/* 0 title, 1 summary */
	uint8_t background;	/* "The lawsuit was filed...": a known event
				 * named as the subject, not news about it */
	uint8_t question;	/* in a sentence that ends in '?' (set by
				 * sentiment_score_text()) */
	int8_t rate;		/* set by sentiment_score_text(): an analyst
				 * action's polarity (-1, 1) on its verb;
				 * SENT_RATE_HIDDEN on the rating it names, on a
				 * rating it came from ("from outperform") or
				 * one kept in passing ("overweight rating
				 * maintained") */
	uint32_t rate_end;	/* with rate -1 or 1: where the rating ends */
};

enum { SENTIMENT_MAX_CUES = 4 };

struct sentiment_result {
	double score;		/* [-1,1] */
	int label;		/* -1, 0, 1 */
	double raw;		/* the sum before squashing */
	size_t n_cues;		/* strongest contributions first */
	struct {
		uint32_t entry;	/* the main phrase */
		uint32_t other;	/* its metric, or UINT32_MAX */
		int negated;
		double value;
		/* an analyst action: the text it spans ("cut to
		 * neutral"), in segment seg; end 0 for other cues */
		uint32_t start, end;
		int seg;
	} cues[SENTIMENT_MAX_CUES];
	int hedged;
	int boilerplate;
};

/*
 * Score the hits (in text order, may overlap: contained shorter hits are
 * dropped).  has_summary weighs the summary below the title.  hits is
 * reordered/modified.
 */
void sentiment_score(const struct sentiment_lex *lex,
    struct sentiment_hit *hits, size_t n, struct sentiment_result *r);
/*
 * The same with the text the hits were found in, for the rules that read
 * figures: "Profit was EUR 9.6 mn, against EUR 6.2 mn a year ago" compares
 * the two amounts after a metric (the larger first is a rise).  text[k] and
 * len[k] are segment k (0 title, 1 summary): the bytes the hits' offsets
 * refer to, borrowed; a NULL text skips those rules for that segment.
 */
void sentiment_score_text(const struct sentiment_lex *lex,
    struct sentiment_hit *hits, size_t n, const char *const text[2],
    const size_t len[2], struct sentiment_result *r);

#endif

/*
 * sentiment.c - lexicon and phrase-rule sentiment for financial text.
 *
 * The analyzer hands over every lexicon match with its token and clause
 * position.  Scoring, per segment (title, summary):
 *
 *   1. Overlaps: a match inside a longer one is dropped ("cuts price
 *      target" wins over "cuts" and "price target").
 *   2. Direction x metric: each direction word (UP/DOWN) pairs with the
 *      nearest unused metric in the same clause (6 tokens before, 3
 *      after); the value is direction x metric polarity x weight, so
 *      "net loss narrowed" is positive and "costs rose" negative.  An
 *      unpaired direction counts 0.6 of its own sign ("shares fell"); an
 *      unpaired bad metric ("a net loss of") 0.3 of its weight.  Profit
 *      weighs more than sales, a loss more than costs, and a metric of
 *      weight 0 ("share capital increased") takes its direction away.
 *      A change of state (TURN: "swung to", "turned into") takes the
 *      polarity of the metric at most 3 tokens after it.
 *   3. Polarity phrases (POS/NEG) count their weight.
 *   4. A negator ending at most 3 tokens before a cue, in its clause,
 *      flips it (x -0.8): "did not meet", "failed to win approval".  A
 *      negator that flips nothing counts its own weight ("failed to").
 *   5. An intensifier within 2 tokens multiplies by 1.5.
 *   6. Hedges scale the segment by 0.75 (once, 0.6 for two or more).
 *   7. Boilerplate ("to hold annual meeting") with weak cues (|sum| < 1.2)
 *      scales the segment by 0.25.
 *   8. An event named as the subject with a definite article at the start
 *      of a sentence ("The lawsuit was filed in Delaware", "The layoffs
 *      announced last year have been completed") is background, not news:
 *      it counts a quarter.
 *   9. A cue in a question ("Is Tesla's rally over?", "Should You Buy
 *      Netgear on This Guidance Miss?") asks rather than reports: it
 *      counts 0.15.
 *
 * The summary counts half as much as the title.  score = raw / (|raw| +
 * 1.2), a squash into (-1,1); |score| >= 0.2 gives a label.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sentiment.h"
#include "util.h"

/* What a cue in a question counts (rule 9 above). */
#define QUESTION_WEIGHT 0.15

/* Phrases one lexicon line may expand into ("{a|b} {c|d}" is four). */
#define LEX_MAX_EXPANSIONS 4096

struct sentiment_lex {
	struct sentiment_entry *v;
	size_t n, cap;
	struct rating_ref {	/* the entries that are ratings */
		uint32_t entry;
		uint32_t len;	/* of the phrase */
		unsigned char c0;	/* its first byte, lower case */
	} *ratings;
	size_t n_ratings, cap_ratings;
};

static const char *const class_names[SENT_N_CLASSES] = {
	"pos", "neg", "up", "down", "mpos", "mneg", "negate", "hedge",
	"intens", "neutral", "cue", "notticker", "turn", "cmp", "open",
	"shut", "sign", "site", "pact", "turnup", "turndown", "rating",
	"rateis", "rateup", "ratedown"
};

struct sentiment_lex *
sentiment_lex_new(void)
{
	return xcalloc(1, sizeof(struct sentiment_lex));
}

void
sentiment_lex_free(struct sentiment_lex *lex)
{
	size_t i;

	if (lex == NULL)
		return;
	for (i = 0; i < lex->n; i++)
		free(lex->v[i].phrase);
	free(lex->v);
	free(lex->ratings);
	free(lex);
}

const struct sentiment_entry *
sentiment_entry(const struct sentiment_lex *lex, uint32_t idx)
{
	return idx < lex->n ? &lex->v[idx] : NULL;
}

size_t
sentiment_lex_count(const struct sentiment_lex *lex)
{
	return lex->n;
}

static double
default_weight(int cls)
{
	switch (cls) {
	case SENT_NEGATE:
	case SENT_HEDGE:
	case SENT_NEUTRAL:
	case SENT_CUE:
	case SENT_NOTTICKER:
	case SENT_CMP:
		return 0;
	case SENT_RATE_IS:
	case SENT_RATE_UP:
	case SENT_RATE_DOWN:
		return 1.2;
	default:
		return 1;
	}
}

/* Give entry e the role of class cls (a rating, or a verb of analyst
 * action) with weight w. */
static void
set_role(struct sentiment_lex *lex, struct sentiment_entry *e, int cls,
    double w)
{
	if (cls == SENT_RATING) {
		if (e->rating == SENT_NOT_RATING) {
			lex->ratings = xreallocarray_grow(lex->ratings,
			    &lex->cap_ratings, lex->n_ratings + 1,
			    sizeof(*lex->ratings));
			lex->ratings[lex->n_ratings].entry =
			    (uint32_t)(e - lex->v);
			lex->ratings[lex->n_ratings].len =
			    (uint32_t)strlen(e->phrase);
			lex->ratings[lex->n_ratings].c0 = (unsigned char)
			    tolower((unsigned char)e->phrase[0]);
			lex->n_ratings++;
		}
		e->rating = w > 0 ? 1 : w < 0 ? -1 : 0;
	} else {
		e->rate_role = cls;
		e->rate_weight = w;
	}
}

/* One phrase: an entry, and its dict key (twice when it has an
 * apostrophe, which is also written typographically: "don't"). */
static void
add_phrase(struct sentiment_lex *lex, struct dict *d, unsigned kind,
    const char *phrase, size_t plen, int cls, double w, int prefix)
{
	struct sentiment_entry *e;
	char alt[1024];
	size_t k = 0;
	const char *s;
	int role = cls >= SENT_RATING;

	/* A role goes to the entry of the same phrase, if any. */
	for (k = 0; role && k < lex->n; k++)
		if (util_strncasecmp(lex->v[k].phrase, phrase, plen) == 0 &&
		    lex->v[k].phrase[plen] == '\0') {
			set_role(lex, &lex->v[k], cls, w);
			return;
		}
	k = 0;
	lex->v = xreallocarray_grow(lex->v, &lex->cap, lex->n + 1,
	    sizeof(*lex->v));
	e = &lex->v[lex->n];
	e->phrase = xstrndup(phrase, plen);
	e->cls = cls;
	e->weight = role ? 0 : w;
	e->rating = SENT_NOT_RATING;
	e->rate_role = 0;
	e->rate_weight = 0;
	if (role)
		set_role(lex, e, cls, w);
	dict_add(d, phrase, plen, DICT_PAYLOAD(kind, prefix, lex->n));
	if (memchr(phrase, '\'', plen) != NULL) {
		for (s = phrase; s < phrase + plen && k + 4 < sizeof(alt); s++) {
			if (*s == '\'') {
				alt[k++] = (char)0xe2;
				alt[k++] = (char)0x80;
				alt[k++] = (char)0x99;
			} else
				alt[k++] = *s;
		}
		dict_add(d, alt, k, DICT_PAYLOAD(kind, prefix, lex->n));
	}
	lex->n++;
}

/*
 * Expand the first {a|b|c} of pat (the text before it already in buf, at
 * buf[0..blen)) into each alternative and go on with the rest, adding
 * every finished phrase.  *count caps the expansions of one line.
 * Returns -1 on an unclosed or nested brace.
 */
static int
expand(struct sentiment_lex *lex, struct dict *d, unsigned kind,
    const char *pat, char *buf, size_t blen, size_t cap, int cls, double w,
    int prefix, size_t *count)
{
	const char *open = strchr(pat, '{'), *close, *a;
	size_t pre;

	if (open == NULL) {
		size_t l = strlen(pat);

		if (blen + l >= cap || ++*count > LEX_MAX_EXPANSIONS)
			return -1;
		memcpy(buf + blen, pat, l);
		add_phrase(lex, d, kind, buf, blen + l, cls, w, prefix);
		return 0;
	}
	pre = (size_t)(open - pat);
	close = strchr(open, '}');
	if (close == NULL || memchr(open + 1, '{', (size_t)(close - open))
	    != NULL || blen + pre >= cap)
		return -1;
	memcpy(buf + blen, pat, pre);
	for (a = open + 1; a <= close; ) {
		const char *e = a;
		size_t l;

		while (e < close && *e != '|')
			e++;
		l = (size_t)(e - a);
		if (blen + pre + l >= cap)
			return -1;
		memcpy(buf + blen + pre, a, l);
		if (expand(lex, d, kind, close + 1, buf, blen + pre + l, cap,
		    cls, w, prefix, count) < 0)
			return -1;
		a = e + 1;
	}
	return 0;
}

int
sentiment_lex_load(struct sentiment_lex *lex, struct dict *d, unsigned kind,
    const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct util_lines r;
	char *line, buf[1024];
	int rc = -1;

	util_lines_init(&r, text, len);
	r.maxlen = 4096;
	while ((line = util_lines_next(&r)) != NULL) {
		char *f[3] = { NULL, NULL, NULL };
		size_t i, nf = util_tsv_split(line, f, 3, 1), plen, count = 0;
		int cls = -1, prefix = 0;
		double w;

		for (i = 0; nf >= 2 && i < SENT_N_CLASSES; i++)
			if (strcmp(f[1], class_names[i]) == 0)
				cls = (int)i;
		if (cls < 0 || f[0][0] == '\0') {
			util_seterr(err, errlen, "%s:%zu: expected PHRASE<TAB>"
			    "CLASS[<TAB>WEIGHT] (pos, neg, up, down, mpos, "
			    "mneg, negate, hedge, intens, neutral, cue, "
			    "notticker, turn, cmp)", name, r.lineno);
			goto out;
		}
		w = default_weight(cls);
		if (nf == 3 && f[2][0] &&
		    util_parse_double(f[2], -10, 10, &w) < 0) {
			util_seterr(err, errlen, "%s:%zu: bad weight '%s'",
			    name, r.lineno, f[2]);
			goto out;
		}
		plen = strlen(f[0]);
		if (plen > 1 && f[0][plen - 1] == '*') {
			prefix = 1;
			f[0][--plen] = '\0';
		}
		if (expand(lex, d, kind, f[0], buf, 0, sizeof(buf), cls, w,
		    prefix, &count) < 0) {
			util_seterr(err, errlen, "%s:%zu: expected {a|b|...} "
			    "groups, not nested, closed, at most %d phrases of "
			    "%zu bytes", name, r.lineno, LEX_MAX_EXPANSIONS,
			    sizeof(buf) - 1);
			goto out;
		}
	}
	if (r.too_long) {
		util_seterr(err, errlen, "%s:%zu: line too long", name,
		    r.lineno);
		goto out;
	}
	rc = 0;
out:
	util_lines_free(&r);
	return rc;
}

static int
is_metric(int cls)
{
	return cls == SENT_MPOS || cls == SENT_MNEG;
}

static void
add_cue(struct sentiment_result *r, uint32_t entry, uint32_t other,
    int negated, double v, const struct sentiment_hit *action)
{
	size_t i, at;

	if (v == 0)
		return;
	/* Keep the strongest few, strongest first. */
	if (r->n_cues == SENTIMENT_MAX_CUES &&
	    !(fabs(v) > fabs(r->cues[SENTIMENT_MAX_CUES - 1].value)))
		return;
	for (at = 0; at < r->n_cues; at++)
		if (fabs(v) > fabs(r->cues[at].value))
			break;
	if (at >= SENTIMENT_MAX_CUES)
		return;
	if (r->n_cues < SENTIMENT_MAX_CUES)
		r->n_cues++;
	for (i = r->n_cues - 1; i > at; i--)
		r->cues[i] = r->cues[i - 1];
	r->cues[at].entry = entry;
	r->cues[at].other = other;
	r->cues[at].negated = negated;
	r->cues[at].value = v;
	r->cues[at].start = r->cues[at].end = 0;
	r->cues[at].seg = 0;
	if (action != NULL) {
		r->cues[at].start = action->start;
		r->cues[at].end = action->rate_end;
		r->cues[at].seg = action->seg;
	}
}

/*
 * The hits of one segment, by class: score_segment() looks for the
 * negator, intensifier or metric near a cue among these short lists
 * instead of rescanning every hit of the segment for each cue.  Indices
 * are relative to the segment's first hit (a segment holds at most 256).
 */
struct seg_index {
	unsigned char cls[256];
	unsigned char metric[256], neg[256], intens[256];
	unsigned char cue[256];		/* the classes scored on their own */
	unsigned char late[256];	/* metrics and negators, in order */
	unsigned char obj[256];		/* sites and pacts */
	size_t nmetric, nneg, nintens, ncue, nlate, ncmp, nobj;
};

static int
is_action(int cls)
{
	return cls == SENT_OPEN || cls == SENT_SHUT || cls == SENT_SIGN;
}

/*
 * The value of an action by its object: the nearest site (OPEN, SHUT) or
 * pact (SIGN) in the clause, up to 5 tokens after the verb ("close 14
 * loss-making outlets", "signed a three-year framework agreement") or,
 * for a site, up to 3 before it ("the mill will be closed").  0 without
 * one: "opened 5% higher", "the deal is expected to close".
 */
static double
action_value(const struct sentiment_lex *lex, const struct seg_index *x,
    const struct sentiment_hit *hs, size_t i, uint32_t *other)
{
	const struct sentiment_hit *h = &hs[i];
	int cls = x->cls[i], want = cls == SENT_SIGN ? SENT_PACT : SENT_SITE;
	long best = -1;
	int bestd = 99;
	size_t k;

	for (k = 0; k < x->nobj; k++) {
		const struct sentiment_hit *o = &hs[x->obj[k]];
		int d;

		if (x->cls[x->obj[k]] != want || o->clause != h->clause)
			continue;
		if (o->tok >= h->tok_end)
			d = o->tok - h->tok_end;
		else if (o->tok_end <= h->tok && want == SENT_SITE)
			d = h->tok - o->tok_end + 2;
		else
			continue;
		if (d <= 5 && d < bestd) {
			bestd = d;
			best = (long)x->obj[k];
		}
	}
	if (best < 0)
		return 0;
	*other = hs[best].entry;
	return (cls == SENT_SHUT ? -1 : 1) * lex->v[h->entry].weight *
	    lex->v[hs[best].entry].weight;
}

/* The first negator before hit i that governs it (relative), or -1. */
static long
negator_for(const struct seg_index *x, const struct sentiment_hit *hs,
    size_t i)
{
	const struct sentiment_hit *h = &hs[i];
	size_t k;

	for (k = 0; k < x->nneg && x->neg[k] < i; k++) {
		const struct sentiment_hit *g = &hs[x->neg[k]];

		if (g->clause != h->clause || g->tok_end > h->tok ||
		    h->tok - g->tok_end > 3)
			continue;
		return (long)x->neg[k];
	}
	return -1;
}

static double
intensity(const struct sentiment_lex *lex, const struct seg_index *x,
    const struct sentiment_hit *hs, const struct sentiment_hit *h)
{
	size_t k;

	for (k = 0; k < x->nintens; k++) {
		const struct sentiment_hit *g = &hs[x->intens[k]];
		int d;

		if (g->clause != h->clause)
			continue;
		d = g->tok < h->tok ? h->tok - g->tok_end :
		    g->tok - h->tok_end;
		if (d >= 0 && d <= 2)
			return lex->v[g->entry].weight > 0 ?
			    lex->v[g->entry].weight : 1.5;
	}
	return 1;
}

/* A word of up to 4 letters, all capitals: a currency code ("EUR"). */
static int
caps_word(const char *t, size_t s, size_t e)
{
	size_t i;

	if (e - s < 2 || e - s > 4)
		return 0;
	for (i = s; i < e; i++)
		if (util_ascii_class[(unsigned char)t[i]] != UTIL_CC_UPPER)
			return 0;
	return 1;
}

static int
word_is(const char *t, size_t s, size_t e, const char *w)
{
	size_t n = strlen(w);

	return e - s == n && util_strncasecmp(t + s, w, n) == 0;
}

struct amount {
	double v;
	int pct;	/* a percentage */
};

/*
 * Parse the number at t[i] (a digit) into a, in common units ("EUR 1.2
 * bn" = 1200 "mn"); *next is the byte after it and its unit.  "1,020" is
 * a thousand and twenty, "20,5" twenty and a half.  0 for a year ("in
 * 2007": four digits 1900-2099 with nothing attached that makes them
 * money), 1 for an amount.
 */
static int
parse_amount(const char *t, size_t i, size_t len, struct amount *a,
    size_t *next)
{
	double v = 0, frac = 0, scale = 1;
	size_t s = i, k, ndig = 0, ws, we;
	int sep = 0, money = 0;

	for (; i < len; i++) {
		unsigned char c = (unsigned char)t[i];

		if (util_ascii_class[c] == UTIL_CC_DIGIT) {
			if (frac > 0) {
				v += (c - '0') * frac;
				frac /= 10;
			} else
				v = v * 10 + (c - '0');
			ndig++;
		} else if ((c == ',' || c == '.') && frac == 0 &&
		    i + 1 < len && util_ascii_class[(unsigned char)t[i +
		    1]] == UTIL_CC_DIGIT) {
			/* ",ddd" then no digit: thousands */
			for (k = i + 1; k < len && k < i + 5 &&
			    util_ascii_class[(unsigned char)t[k]] ==
			    UTIL_CC_DIGIT; k++)
				;
			sep = 1;
			if (c == ',' && k == i + 4)
				continue;
			frac = 0.1;
		} else
			break;
	}
	/* A sign right before: "EUR -0.14" (also U+2212). */
	if (s >= 1 && t[s - 1] == '-' && (s < 2 || t[s - 2] == ' '))
		v = -v;
	else if (s >= 3 && memcmp(t + s - 3, "\xe2\x88\x92", 3) == 0)
		v = -v;
	/* What precedes: "$", "EUR ", "MEUR " */
	for (k = s; k > 0 && (t[k - 1] == ' ' || t[k - 1] == '-'); k--)
		;
	if (k > 0 && (t[k - 1] == '$' || (unsigned char)t[k - 1] >= 0x80))
		money = 1;
	for (ws = k; ws > 0 && util_ascii_class[(unsigned char)t[ws - 1]] ==
	    UTIL_CC_UPPER; ws--)
		;
	if (caps_word(t, ws, k))
		money = 1;
	/* What follows: "%", "mn", "million", "bn", ... */
	a->pct = 0;
	for (k = i; k < len && t[k] == ' '; k++)
		;
	for (we = k; we < len && (util_ascii_class[(unsigned char)t[we]] &
	    (UTIL_CC_UPPER | UTIL_CC_LOWER)); we++)
		;
	if (k < len && t[k] == '%') {
		a->pct = 1;
		we = k + 1;
	} else if (word_is(t, k, we, "percent") || word_is(t, k, we, "pct"))
		a->pct = 1;
	else if (word_is(t, k, we, "mn") || word_is(t, k, we, "million") ||
	    word_is(t, k, we, "m") || word_is(t, k, we, "mln"))
		scale = 1;
	else if (word_is(t, k, we, "bn") || word_is(t, k, we, "billion") ||
	    word_is(t, k, we, "b") || word_is(t, k, we, "bln"))
		scale = 1000;
	else if (word_is(t, k, we, "thousand") || word_is(t, k, we, "k"))
		scale = 0.001;
	else if (word_is(t, k, we, "cents") || word_is(t, k, we, "cent"))
		scale = 0.01;
	else
		we = i;		/* no unit: the number alone */
	if (i > len || (*next = we) == s)
		return 0;
	if (!sep && !money && !a->pct && we == i && ndig == 4 &&
	    v >= 1900 && v < 2100)
		return 0;
	a->v = v * scale;
	return 1;
}

/* The first amount in t[s, e) that is not a year; 0 if none. */
static int
first_amount(const char *t, size_t s, size_t e, struct amount *a)
{
	size_t i, next;

	for (i = s; i < e; i++) {
		if (util_ascii_class[(unsigned char)t[i]] != UTIL_CC_DIGIT ||
		    (i > s && (util_ascii_class[(unsigned char)t[i - 1]] &
		    (UTIL_CC_ALNUM | UTIL_CC_UTF8)) && t[i - 1] != '$' &&
		    (unsigned char)t[i - 1] < 0x80))
			continue;
		if (parse_amount(t, i, e, a, &next))
			return 1;
		i = next > i ? next - 1 : i;
	}
	return 0;
}

/*
 * The amount a comparison ends with, right after it: "compared with EUR
 * 7.4 mn", "against a loss of EUR 2.6 mn".  Only currency codes and a few
 * small words may come first; *kind is -1 when "loss" is among them, 1
 * for "profit", 0 otherwise.  0 if no amount follows at once.
 */
static int
next_amount(const char *t, size_t s, size_t len, struct amount *a,
    int *kind)
{
	static const char *const skip[] = {
		"a", "an", "the", "of", "net", "operating", "pretax",
		"pre-tax", "just", "about", "approximately", "some", "US",
	};
	size_t i = s, e, k, words = 0, next;

	*kind = 0;
	/* the stop of an abbreviation: "vs. $4.01 bln" */
	if (i < len && t[i] == '.')
		i++;
	while (i < len && words < 6) {
		unsigned char c = (unsigned char)t[i];

		if (c == ' ' || c == '$' || c >= 0x80) {
			i++;
			continue;
		}
		if (util_ascii_class[c] == UTIL_CC_DIGIT)
			return parse_amount(t, i, len, a, &next);
		for (e = i; e < len && (util_ascii_class[(unsigned char)t[e]] &
		    (UTIL_CC_ALNUM)) && util_ascii_class[(unsigned char)
		    t[e]] != UTIL_CC_DIGIT; e++)
			;
		if (e < len && t[e] == '-' && e + 1 < len &&
		    util_ascii_class[(unsigned char)t[e + 1]] == UTIL_CC_LOWER)
			for (e++; e < len && util_ascii_class[(unsigned char)
			    t[e]] == UTIL_CC_LOWER; e++)
				;
		if (e == i)
			return 0;
		if (word_is(t, i, e, "loss"))
			*kind = -1;
		else if (word_is(t, i, e, "profit"))
			*kind = 1;
		else if (!caps_word(t, i, e)) {
			for (k = 0; k < UTIL_ARRAY_LEN(skip); k++)
				if (word_is(t, i, e, skip[k]))
					break;
			if (k == UTIL_ARRAY_LEN(skip))
				return 0;
		}
		words++;
		i = e;
	}
	return 0;
}

/*
 * A comparison hit c (SENT_CMP) after metric m, with no direction of its
 * own: +1 when the first amount after the metric is the larger ("EUR 9.6
 * mn, against EUR 6.2 mn"), -1 when the smaller, 0 when it cannot tell.
 */
static int
compare_amounts(const struct sentiment_lex *lex, const char *t, size_t len,
    const struct sentiment_hit *m, const struct sentiment_hit *c)
{
	struct amount x, y;
	int kind;

	if (!first_amount(t, m->end, c->start, &x) ||
	    !next_amount(t, c->end, len, &y, &kind) || x.pct != y.pct)
		return 0;
	/* "a loss of EUR 2 mn" against a profit: the prior-period phrases
	 * count that, the magnitudes say nothing. */
	if (kind && kind != (lex->v[m->entry].cls == SENT_MPOS ? 1 : -1))
		return 0;
	/* Within 2.5% is level ("EUR 40.2 mn, compared with EUR 40.9
	 * mn"): a reader calls that unchanged, not a fall. */
	if (x.v - y.v > 0.025 * fabs(y.v) && x.v - y.v > 1e-9)
		return 1;
	if (y.v - x.v > 0.025 * fabs(y.v) && y.v - x.v > 1e-9)
		return -1;
	return 0;
}

/* The unused metric right after the cue hs[i] (same clause, within
 * three tokens): its index, or -1. */
static long
metric_after(const struct seg_index *x, const struct sentiment_hit *hs,
    const unsigned char *used, size_t n, size_t i)
{
	const struct sentiment_hit *h = &hs[i];
	size_t j;

	for (j = i + 1; j < n; j++) {
		const struct sentiment_hit *m = &hs[j];

		if (m->clause != h->clause || m->tok < h->tok_end ||
		    m->tok - h->tok_end > 3)
			return -1;
		if (!used[j] && is_metric(x->cls[j]))
			return (long)j;
	}
	return -1;
}

static double
score_segment(const struct sentiment_lex *lex, struct sentiment_hit *hits,
    size_t from, size_t to, const char *text, size_t len,
    struct sentiment_result *r, double segw)
{
	unsigned char used[256], negused[256];
	struct seg_index x;
	const struct sentiment_hit *hs = hits + from;
	size_t i, j, k, n = to - from;
	int hedges = 0, neutral = 0;
	double sum = 0;

	if (n > sizeof(used))
		n = sizeof(used);
	memset(used, 0, n);
	memset(negused, 0, n);
	x.nmetric = x.nneg = x.nintens = x.ncue = x.nlate = x.ncmp = 0;
	x.nobj = 0;
	for (i = 0; i < n; i++) {
		int cls = lex->v[hs[i].entry].cls;

		/* A rating named by an analyst action, or in passing:
		 * nothing of its own. */
		if (hs[i].rate == SENT_RATE_HIDDEN)
			cls = SENT_CUE;
		x.cls[i] = (unsigned char)cls;
		if (hs[i].rate == 1 || hs[i].rate == -1)
			x.cue[x.ncue++] = (unsigned char)i;
		else if (cls == SENT_UP || cls == SENT_DOWN || cls == SENT_TURN ||
		    cls == SENT_TURN_UP || cls == SENT_TURN_DOWN ||
		    cls == SENT_POS || cls == SENT_NEG || is_action(cls))
			x.cue[x.ncue++] = (unsigned char)i;
		else if (cls == SENT_SITE || cls == SENT_PACT)
			x.obj[x.nobj++] = (unsigned char)i;
		else if (is_metric(cls)) {
			x.metric[x.nmetric++] = (unsigned char)i;
			if (cls == SENT_MNEG)
				x.late[x.nlate++] = (unsigned char)i;
		} else if (cls == SENT_NEGATE) {
			x.neg[x.nneg++] = (unsigned char)i;
			x.late[x.nlate++] = (unsigned char)i;
		} else if (cls == SENT_CMP)
			x.ncmp++;
		else if (cls == SENT_INTENS)
			x.intens[x.nintens++] = (unsigned char)i;
		else if (cls == SENT_HEDGE)
			hedges++;
		else if (cls == SENT_NEUTRAL)
			neutral++;
	}
	for (k = 0; k < x.ncue; k++) {
		const struct sentiment_hit *h = &hs[x.cue[k]];
		const struct sentiment_entry *e = &lex->v[h->entry];
		int cls = x.cls[x.cue[k]], action;
		uint32_t other = UINT32_MAX;
		double v = 0;
		size_t km;
		long ng;

		i = x.cue[k];

		/* An analyst action on a rating: its own value. */
		action = h->rate == 1 || h->rate == -1;
		if (action)
			v = h->rate * e->rate_weight;
		/* A directional turn is a turn with a metric right after
		 * it, a direction without. */
		else if (cls == SENT_TURN_UP || cls == SENT_TURN_DOWN)
			cls = metric_after(&x, hs, used, n, i) >= 0 ?
			    SENT_TURN : cls == SENT_TURN_UP ? SENT_UP :
			    SENT_DOWN;
		if (action)
			;
		else if (cls == SENT_UP || cls == SENT_DOWN) {
			long best = -1;
			int bestd = 99;
			double dir = cls == SENT_UP ? 1 : -1;

			for (km = 0; km < x.nmetric; km++) {
				const struct sentiment_hit *m;
				int d;

				j = x.metric[km];
				m = &hs[j];
				if (used[j] || m->clause != h->clause)
					continue;
				if (m->tok_end <= h->tok) {
					d = h->tok - m->tok_end;
					if (d > 6)
						continue;
				} else if (m->tok >= h->tok_end) {
					d = m->tok - h->tok_end + 1;
					if (d > 3)
						continue;
				} else
					continue;
				if (d < bestd) {
					bestd = d;
					best = (long)j;
				}
			}
			if (best >= 0) {
				const struct sentiment_entry *m =
				    &lex->v[hs[best].entry];

				used[best] = 1;
				v = dir * (m->cls == SENT_MPOS ? 1 : -1) *
				    e->weight * m->weight;
				other = hs[best].entry;
			} else
				v = dir * e->weight * 0.6;
		} else if (cls == SENT_TURN) {
			/* The metric right after: "swung to an operating
			 * loss", "turned to a profit"; alone it says
			 * nothing ("returned to Europe"). */
			long mj = metric_after(&x, hs, used, n, i);

			if (mj < 0)
				continue;
			j = (size_t)mj;
			used[j] = 1;
			v = (x.cls[j] == SENT_MPOS ? 1 : -1) * e->weight *
			    lex->v[hs[j].entry].weight;
			other = hs[j].entry;
		} else if (cls == SENT_POS)
			v = e->weight;
		else if (cls == SENT_NEG)
			v = -e->weight;
		else if (is_action(cls)) {
			if ((v = action_value(lex, &x, hs, i, &other)) == 0)
				continue;
		} else
			continue;
		if (h->background && (cls == SENT_POS || cls == SENT_NEG))
			v *= 0.25;
		if (h->question)
			v *= QUESTION_WEIGHT;
		used[i] = 1;
		ng = negator_for(&x, hs, i);
		if (ng >= 0) {
			v *= -0.8;
			negused[ng] = 1;
		}
		if (x.nintens)
			v *= intensity(lex, &x, hs, h);
		sum += v;
		add_cue(r, h->entry, other, ng >= 0, v * segw,
		    action ? h : NULL);
	}
	/* Two amounts compared after a metric no direction claimed. */
	for (i = 0; text && x.ncmp && i < n; i++) {
		const struct sentiment_hit *c = &hs[i];
		long m = -1;
		double v;
		int d;

		if (x.cls[i] != SENT_CMP)
			continue;
		for (j = i; j-- > 0;)
			if (hs[j].clause != c->clause)
				break;
			else if (is_metric(x.cls[j])) {
				m = (long)j;
				break;
			}
		if (m < 0 || used[m] || c->tok - hs[m].tok_end > 14 ||
		    (d = compare_amounts(lex, text, len, &hs[m], c)) == 0)
			continue;
		used[m] = 1;
		v = d * (x.cls[m] == SENT_MPOS ? 1 : -1) *
		    lex->v[hs[m].entry].weight *
		    (c->question ? QUESTION_WEIGHT : 1);
		sum += v;
		add_cue(r, c->entry, hs[m].entry, 0, v * segw, NULL);
	}
	/* Metrics no direction claimed, negators that flipped nothing. */
	for (k = 0; k < x.nlate; k++) {
		double v = 0;

		i = x.late[k];
		if (x.cls[i] == SENT_MNEG && !used[i])
			v = -0.3 * lex->v[hs[i].entry].weight;
		else if (x.cls[i] == SENT_NEGATE && !negused[i])
			v = lex->v[hs[i].entry].weight;
		else
			continue;
		if (negator_for(&x, hs, i) >= 0)
			v = -v * 0.8;
		if (hs[i].question)
			v *= QUESTION_WEIGHT;
		sum += v;
		add_cue(r, hs[i].entry, UINT32_MAX, 0, v * segw, NULL);
	}
	if (hedges) {
		sum *= hedges > 1 ? 0.6 : 0.75;
		r->hedged = 1;
	}
	if (neutral && fabs(sum) < 1.2) {
		sum *= 0.25;
		r->boilerplate = 1;
	}
	return sum;
}

/*
 * Whether the sentence around byte offset at of t ends in a question
 * mark.  The sentence ends at the first '!', '?' or ';' followed by a
 * space or the end of the text, or at a '.' followed by the end or by a
 * space and a capital or a quote (so that "vs. $0.90", "$4.5" and
 * "Inc. (TSE:X)" go on).  A closing quote or bracket may come before the
 * space.
 */
static int
in_question(const char *t, size_t len, size_t at)
{
	size_t i;

	for (i = at; i < len; i++) {
		size_t j = i + 1;

		if (t[i] != '.' && t[i] != '!' && t[i] != '?' && t[i] != ';')
			continue;
		while (j < len && (t[j] == '"' || t[j] == '\'' ||
		    t[j] == ')'))
			j++;
		if (j < len && t[j] != ' ')
			continue;
		if (t[i] == '.' && j + 1 < len && !(util_ascii_class[
		    (unsigned char)t[j + 1]] == UTIL_CC_UPPER ||
		    t[j + 1] == '"' || t[j + 1] == '\''))
			continue;
		return t[i] == '?';
	}
	return 0;
}

/* Whether t[s..e) is a word of the list (any case). */
static int
word_in(const char *t, size_t s, size_t e, const char *const *list,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word_is(t, s, e, list[i]))
			return 1;
	return 0;
}

/* The end of the word that starts at i (letters only). */
static size_t
word_end(const char *t, size_t i, size_t len)
{
	while (i < len && (util_ascii_class[(unsigned char)t[i]] &
	    (UTIL_CC_UPPER | UTIL_CC_LOWER)))
		i++;
	return i;
}

/*
 * The longest rating written at byte p of t, as whole words: the one that
 * starts there, or with before set the one that ends there.  NULL when
 * none does.
 */
static const struct sentiment_entry *
rating_at(const struct sentiment_lex *lex, const char *t, size_t len,
    size_t p, int before)
{
	const struct sentiment_entry *r = NULL;
	size_t j, best = 0;

	for (j = 0; j < lex->n_ratings; j++) {
		const struct rating_ref *c = &lex->ratings[j];
		size_t l = c->len, s = before ? p - l : p;

		if (l <= best || (before && l > p) || s + l > len ||
		    (t[s] | 0x20) != c->c0 || util_strncasecmp(t + s,
		    lex->v[c->entry].phrase, l) != 0 ||
		    (s > 0 && (util_ascii_class[(unsigned char)t[s - 1]] &
		    UTIL_CC_ALNUM)) || (s + l < len &&
		    (util_ascii_class[(unsigned char)t[s + l]] &
		    UTIL_CC_ALNUM)))
			continue;
		r = &lex->v[c->entry];
		best = l;
	}
	return r;
}

/*
 * A rating kept in passing, in segment seg of the hits: "..., overweight
 * rating maintained" after a target cut.  The cut is the news: the
 * rating, "rating" (a metric) and "maintained" (a verb of action) count
 * nothing.
 */
static void
hide_kept_ratings(const struct sentiment_lex *lex, struct sentiment_hit *hits,
    size_t n, const char *const text[2], const size_t len[2])
{
	static const char *const kept[] = { "maintained", "reiterated",
	    "kept", "affirmed", "unchanged", "reaffirmed" };
	const struct sentiment_entry *r;
	size_t i, j, p, q;

	/* "rating" is a lexicon word: a hit ends with it */
	for (i = 0; i < n; i++) {
		const char *t = text[hits[i].seg & 1];
		size_t l = len[hits[i].seg & 1];

		p = hits[i].end;
		if (t == NULL || p < 6 || p + 1 >= l || t[p] != ' ' ||
		    (t[p - 1] | 0x20) != 'g' ||
		    util_strncasecmp(t + p - 6, "rating", 6) != 0)
			continue;
		q = word_end(t, p + 1, l);
		p -= 6;
		if (p == 0 || t[p - 1] != ' ' || !word_in(t, p + 7, q, kept,
		    UTIL_ARRAY_LEN(kept)) || (r = rating_at(lex, t, l, p - 1,
		    1)) == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (hits[j].seg == hits[i].seg && hits[j].start < q &&
			    hits[j].end > p - 1 - strlen(r->phrase))
				hits[j].rate = SENT_RATE_HIDDEN;
	}
}

/*
 * Analyst actions (hits in text order, overlaps gone).  A rating right
 * after a verb of action, with at most three small words between ("cut to
 * Neutral", "started at buy", "initiated coverage with a buy", "rated
 * Outperform"), makes the verb an action: good or bad by the verb
 * (SENT_RATE_UP/_DOWN) or by the rating (SENT_RATE_IS; a neutral rating
 * makes it nothing), and the rating itself counts nothing.  A rating a
 * change came from ("from outperform") or kept in passing ("overweight
 * rating maintained", after a target cut) counts nothing either.
 */
static void
pair_rating(const struct sentiment_lex *lex, struct sentiment_hit *hits,
    size_t n, size_t i, const char *t, size_t len)
{
	static const char *const glue[] = { "to", "at", "as", "with", "a",
	    "an", "coverage", "on" };
	const struct sentiment_entry *e = &lex->v[hits[i].entry], *r;
	struct sentiment_hit *h = &hits[i];
	size_t j, p, q, words = 0;

	if (e->rating != SENT_NOT_RATING && h->rate == 0) {
		/* "from outperform" */
		p = h->start;
		if (p >= 5 && t[p - 1] == ' ' && util_strncasecmp(t + p - 5,
		    "from", 4) == 0 && (p == 5 || !(util_ascii_class[
		    (unsigned char)t[p - 6]] & UTIL_CC_ALNUM)))
			h->rate = SENT_RATE_HIDDEN;
	}
	if (e->rate_role == 0 || h->rate != 0)
		return;
	/* the glue: spaces and at most three small words */
	p = h->end;
	for (;;) {
		while (p < len && t[p] == ' ')
			p++;
		q = word_end(t, p, len);
		if (q == p || words == 3 || !word_in(t, p, q, glue,
		    UTIL_ARRAY_LEN(glue)))
			break;
		p = q;
		words++;
	}
	if (p == h->end || p >= len)
		return;		/* no space: "cut-to" is not glue */
	/* The rating at p, read in the text: a longer phrase may hold it
	 * ("to hold" is boilerplate elsewhere). */
	if ((r = rating_at(lex, t, len, p, 0)) == NULL)
		return;
	q = p + strlen(r->phrase);
	/* what the glue and the rating hold counts nothing */
	for (j = i + 1; j < n && hits[j].seg == h->seg && hits[j].start < q;
	    j++)
		hits[j].rate = SENT_RATE_HIDDEN;
	if (e->rate_role == SENT_RATE_UP)
		h->rate = 1;
	else if (e->rate_role == SENT_RATE_DOWN)
		h->rate = -1;
	else
		h->rate = r->rating == 0 ? SENT_RATE_HIDDEN :
		    (int8_t)r->rating;
	h->rate_end = (uint32_t)q;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct sentiment_hit *x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg - y->seg;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;	/* longer first */
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

void
sentiment_score(const struct sentiment_lex *lex, struct sentiment_hit *hits,
    size_t n, struct sentiment_result *r)
{
	static const char *const none[2] = { NULL, NULL };
	static const size_t zero[2] = { 0, 0 };

	sentiment_score_text(lex, hits, n, none, zero, r);
}

void
sentiment_score_text(const struct sentiment_lex *lex,
    struct sentiment_hit *hits, size_t n, const char *const text[2],
    const size_t len[2], struct sentiment_result *r)
{
	size_t i, k = 0, from;
	uint32_t reach = 0;
	int seg = -1, has_q[2];
	double raw = 0;

	memset(r, 0, sizeof(*r));
	/* Few and nearly in order (by end offset): insertion sort. */
	for (i = 1; i < n; i++) {
		struct sentiment_hit t;

		if (hit_cmp(&hits[i - 1], &hits[i]) <= 0)
			continue;
		t = hits[i];
		for (k = i; k > 0 && hit_cmp(&hits[k - 1], &t) > 0; k--)
			hits[k] = hits[k - 1];
		hits[k] = t;
	}
	k = 0;
	/* Drop matches contained in an earlier (longer) one. */
	for (i = 0; i < n; i++) {
		if (hits[i].seg != seg) {
			seg = hits[i].seg;
			reach = 0;
		} else if (hits[i].end <= reach)
			continue;
		if (hits[i].end > reach)
			reach = hits[i].end;
		if (k != i)
			hits[k] = hits[i];
		k++;
	}
	n = k;
	for (i = 0; i < n; i++) {
		hits[i].rate = 0;
		hits[i].rate_end = 0;
	}
	hide_kept_ratings(lex, hits, n, text, len);
	for (i = 0; i < n; i++)
		if (text[hits[i].seg & 1] != NULL)
			pair_rating(lex, hits, n, i, text[hits[i].seg & 1],
			    len[hits[i].seg & 1]);
	has_q[0] = text[0] != NULL && memchr(text[0], '?', len[0]) != NULL;
	has_q[1] = text[1] != NULL && memchr(text[1], '?', len[1]) != NULL;
	for (i = 0; i < n; i++)
		hits[i].question = has_q[hits[i].seg & 1] &&
		    in_question(text[hits[i].seg & 1], len[hits[i].seg & 1],
		    hits[i].end);
	for (i = 0; i < n; i = from) {
		double w;

		from = i;
		while (from < n && hits[from].seg == hits[i].seg)
			from++;
		w = hits[i].seg == 0 ? 1.0 : 0.5;
		raw += w * score_segment(lex, hits, i, from,
		    text[hits[i].seg & 1], len[hits[i].seg & 1], r, w);
	}
	r->raw = raw;
	r->score = raw / (fabs(raw) + 1.2);
	r->label = r->score >= 0.2 ? 1 : r->score <= -0.2 ? -1 : 0;
}

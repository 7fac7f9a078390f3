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
 *
 * The summary counts half as much as the title.  score = raw / (|raw| +
 * 1.2), a squash into (-1,1); |score| >= 0.2 gives a label.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sentiment.h"
#include "util.h"

struct sentiment_lex {
	struct sentiment_entry *v;
	size_t n, cap;
};

static const char *const class_names[SENT_N_CLASSES] = {
	"pos", "neg", "up", "down", "mpos", "mneg", "negate", "hedge",
	"intens", "neutral", "cue", "notticker", "turn"
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
		return 0;
	default:
		return 1;
	}
}

int
sentiment_lex_load(struct sentiment_lex *lex, struct dict *d, unsigned kind,
    const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct util_lines r;
	char *line;
	int rc = -1;

	util_lines_init(&r, text, len);
	r.maxlen = 512;
	while ((line = util_lines_next(&r)) != NULL) {
		char *f[3] = { NULL, NULL, NULL }, *s;
		size_t i, nf = util_tsv_split(line, f, 3, 1), plen;
		int cls = -1, prefix = 0;
		double w;

		for (i = 0; nf >= 2 && i < SENT_N_CLASSES; i++)
			if (strcmp(f[1], class_names[i]) == 0)
				cls = (int)i;
		if (cls < 0 || f[0][0] == '\0') {
			util_seterr(err, errlen, "%s:%zu: expected PHRASE<TAB>"
			    "CLASS[<TAB>WEIGHT] (pos, neg, up, down, mpos, "
			    "mneg, negate, hedge, intens, neutral, cue, "
			    "notticker, turn)", name, r.lineno);
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
		lex->v = xreallocarray_grow(lex->v, &lex->cap, lex->n + 1,
		    sizeof(*lex->v));
		lex->v[lex->n].phrase = xstrdup(f[0]);
		lex->v[lex->n].cls = cls;
		lex->v[lex->n].weight = w;
		dict_add(d, f[0], plen, DICT_PAYLOAD(kind, prefix, lex->n));
		/* "don't" is also written with a typographic apostrophe. */
		if (strchr(f[0], '\'')) {
			char alt[1024];
			size_t k = 0;

			for (s = f[0]; *s && k + 4 < sizeof(alt); s++) {
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
    int negated, double v)
{
	size_t i, at;

	if (v == 0)
		return;
	/* Keep the strongest few, strongest first. */
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
}

/* Index of a negator that governs hit h, or -1. */
static long
negator_for(const struct sentiment_lex *lex, const struct sentiment_hit *h,
    size_t from, size_t to, const struct sentiment_hit *hits)
{
	size_t i;

	for (i = from; i < to; i++) {
		const struct sentiment_hit *g = &hits[i];

		if (lex->v[g->entry].cls != SENT_NEGATE ||
		    g->clause != h->clause || g->tok_end > h->tok ||
		    h->tok - g->tok_end > 3)
			continue;
		return (long)i;
	}
	return -1;
}

static double
intensity(const struct sentiment_lex *lex, const struct sentiment_hit *h,
    size_t from, size_t to, const struct sentiment_hit *hits)
{
	size_t i;

	for (i = from; i < to; i++) {
		const struct sentiment_hit *g = &hits[i];
		int d;

		if (lex->v[g->entry].cls != SENT_INTENS || g->clause !=
		    h->clause)
			continue;
		d = g->tok < h->tok ? h->tok - g->tok_end :
		    g->tok - h->tok_end;
		if (d >= 0 && d <= 2)
			return lex->v[g->entry].weight > 0 ?
			    lex->v[g->entry].weight : 1.5;
	}
	return 1;
}

static double
score_segment(const struct sentiment_lex *lex, struct sentiment_hit *hits,
    size_t from, size_t to, struct sentiment_result *r, double segw)
{
	unsigned char used[256], negused[256];
	size_t i, j, n = to - from;
	int hedges = 0, neutral = 0;
	double sum = 0;

	if (n > sizeof(used))
		to = from + sizeof(used), n = sizeof(used);
	memset(used, 0, n);
	memset(negused, 0, n);
	for (i = from; i < to; i++) {
		int cls = lex->v[hits[i].entry].cls;

		if (cls == SENT_HEDGE)
			hedges++;
		else if (cls == SENT_NEUTRAL)
			neutral++;
	}
	for (i = from; i < to; i++) {
		const struct sentiment_hit *h = &hits[i];
		const struct sentiment_entry *e = &lex->v[h->entry];
		uint32_t other = UINT32_MAX;
		double v = 0;
		long ng;

		if (e->cls == SENT_UP || e->cls == SENT_DOWN) {
			long best = -1;
			int bestd = 99;
			double dir = e->cls == SENT_UP ? 1 : -1;

			for (j = from; j < to; j++) {
				const struct sentiment_hit *m = &hits[j];
				int d;

				if (used[j - from] ||
				    !is_metric(lex->v[m->entry].cls) ||
				    m->clause != h->clause)
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
				    &lex->v[hits[best].entry];

				used[best - (long)from] = 1;
				v = dir * (m->cls == SENT_MPOS ? 1 : -1) *
				    e->weight * m->weight;
				other = hits[best].entry;
			} else
				v = dir * e->weight * 0.6;
		} else if (e->cls == SENT_TURN) {
			/* The metric right after: "swung to an operating
			 * loss", "turned to a profit"; alone it says
			 * nothing ("returned to Europe"). */
			for (j = i + 1; j < to; j++) {
				const struct sentiment_hit *m = &hits[j];

				if (m->clause != h->clause ||
				    m->tok < h->tok_end ||
				    m->tok - h->tok_end > 3)
					break;
				if (!used[j - from] &&
				    is_metric(lex->v[m->entry].cls))
					break;
			}
			if (j >= to || !is_metric(lex->v[hits[j].entry].cls) ||
			    used[j - from] || hits[j].clause != h->clause ||
			    hits[j].tok < h->tok_end ||
			    hits[j].tok - h->tok_end > 3)
				continue;
			used[j - from] = 1;
			v = (lex->v[hits[j].entry].cls == SENT_MPOS ? 1 : -1) *
			    e->weight * lex->v[hits[j].entry].weight;
			other = hits[j].entry;
		} else if (e->cls == SENT_POS)
			v = e->weight;
		else if (e->cls == SENT_NEG)
			v = -e->weight;
		else
			continue;
		if (h->background && (e->cls == SENT_POS || e->cls == SENT_NEG))
			v *= 0.25;
		used[i - from] = 1;
		ng = negator_for(lex, h, from, i, hits);
		if (ng >= 0) {
			v *= -0.8;
			negused[ng - (long)from] = 1;
		}
		v *= intensity(lex, h, from, to, hits);
		sum += v;
		add_cue(r, h->entry, other, ng >= 0, v * segw);
	}
	/* Metrics no direction claimed, negators that flipped nothing. */
	for (i = from; i < to; i++) {
		const struct sentiment_entry *e = &lex->v[hits[i].entry];
		double v = 0;

		if (e->cls == SENT_MNEG && !used[i - from])
			v = -0.3 * e->weight;
		else if (e->cls == SENT_NEGATE && !negused[i - from])
			v = e->weight;
		else
			continue;
		if (negator_for(lex, &hits[i], from, i, hits) >= 0)
			v = -v * 0.8;
		sum += v;
		add_cue(r, hits[i].entry, UINT32_MAX, 0, v * segw);
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
	size_t i, k = 0, from;
	uint32_t reach = 0;
	int seg = -1;
	double raw = 0;

	memset(r, 0, sizeof(*r));
	/* Few and nearly in order (by end offset): insertion sort. */
	for (i = 1; i < n; i++) {
		struct sentiment_hit t = hits[i];

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
		hits[k++] = hits[i];
	}
	n = k;
	for (i = 0; i < n; i = from) {
		double w;

		from = i;
		while (from < n && hits[from].seg == hits[i].seg)
			from++;
		w = hits[i].seg == 0 ? 1.0 : 0.5;
		raw += w * score_segment(lex, hits, i, from, r, w);
	}
	r->raw = raw;
	r->score = raw / (fabs(raw) + 1.2);
	r->label = r->score >= 0.2 ? 1 : r->score <= -0.2 ? -1 : 0;
}

/*
 * impact.c - amounts, event classes and the market-impact model.
 *
 * The model is documented in include/impact.h and data/README: an
 * additive sum of a few named parts, each small and explainable, clamped
 * to [0,1].  Amounts are parsed with a hand-written scanner (currency
 * marker, number, multiplier) so no regular expression runs per item.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impact.h"
#include "util.h"

/* ---- amounts ---- */

struct currency {
	const char *mark;	/* as written before the number */
	size_t len;		/* of mark */
	double usd;		/* rough rate; only orders of magnitude matter */
	int word;		/* a code: needs a word boundary before */
};

#define CUR(m, usd, word)	{ m, sizeof(m) - 1, usd, word }
static const struct currency currencies[] = {
	CUR("US$", 1, 0), CUR("C$", 0.73, 0), CUR("A$", 0.66, 0),
	CUR("HK$", 0.13, 0), CUR("S$", 0.74, 0), CUR("NZ$", 0.6, 0),
	CUR("R$", 0.18, 0), CUR("$", 1, 0),
	CUR("\xe2\x82\xac", 1.08, 0),	/* euro */
	CUR("\xc2\xa3", 1.27, 0),	/* pound */
	CUR("\xc2\xa5", 0.0067, 0),	/* yen */
	CUR("\xe2\x82\xb9", 0.012, 0),	/* rupee */
	CUR("USD", 1, 1), CUR("EUR", 1.08, 1), CUR("GBP", 1.27, 1),
	CUR("JPY", 0.0067, 1), CUR("CHF", 1.13, 1), CUR("CAD", 0.73, 1),
	CUR("AUD", 0.66, 1), CUR("SEK", 0.095, 1), CUR("NOK", 0.093, 1),
	CUR("DKK", 0.145, 1), CUR("CNY", 0.14, 1), CUR("RMB", 0.14, 1),
	CUR("INR", 0.012, 1), CUR("Rs", 0.012, 1), CUR("Rs.", 0.012, 1),
};
#undef CUR

struct mult {
	const char *word;	/* lower case */
	size_t len;
	double v;
};

#define MULT(w, v)	{ w, sizeof(w) - 1, v }
static const struct mult mults[] = {
	MULT("trillion", 1e12), MULT("tn", 1e12), MULT("tr", 1e12),
	MULT("billion", 1e9), MULT("bln", 1e9), MULT("bn", 1e9),
	MULT("b", 1e9), MULT("million", 1e6), MULT("mln", 1e6),
	MULT("mio", 1e6), MULT("mn", 1e6), MULT("m", 1e6),
	MULT("thousand", 1e3), MULT("k", 1e3),
};
#undef MULT

static inline int
isword(unsigned char c)
{
	return util_ascii_class[c] != 0;
}

/* memcmp(a, b, n) == 0 for the few bytes of a currency marker. */
static inline int
same(const char *a, const char *b, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (a[k] != b[k])
			return 0;
	return 1;
}

/* An ASCII digit (what isdigit() accepts in every locale). */
static inline int
digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

/*
 * s[0..n) is lit, ignoring the case of ASCII letters: lit is lower case
 * (what util_strncasecmp() == 0 says, without the call).
 */
static inline int
ieq_lit(const char *s, const char *lit, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		unsigned char l = (unsigned char)lit[k];

		if (c != l && !(l >= 'a' && l <= 'z' && (c | 0x20) == l))
			return 0;
	}
	return 1;
}

/*
 * The value of a string of digits with at most one dot, as strtod()
 * would give it: with up to 15 digits and 22 decimals both the digits and
 * the power of ten are exact doubles, so one division rounds correctly.
 */
static double
decimal_value(const char *b, size_t k)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	unsigned long long m = 0;
	size_t i, digits = 0, dec = 0;
	int dot = 0;

	for (i = 0; i < k; i++) {
		if (b[i] == '.') {
			dot = 1;
			continue;
		}
		if (digits >= 15)
			return strtod(b, NULL);
		m = m * 10 + (unsigned)(b[i] - '0');
		if (m)
			digits++;
		dec += (size_t)dot;
	}
	if (dec > 22)
		return strtod(b, NULL);
	return (double)m / pow10[dec];
}

/* Parse a number at p ("1,234.5"); returns bytes used, 0 if none. */
static size_t
parse_number(const char *p, const char *end, double *out)
{
	char buf[48];
	size_t n = 0, k = 0;
	int seen_dot = 0;

	if (p >= end || !digit((unsigned char)*p))
		return 0;
	while (p + n < end && k + 1 < sizeof(buf)) {
		char c = p[n];

		if (digit((unsigned char)c))
			buf[k++] = c;
		else if (c == ',' && p + n + 3 < end + 0 &&
		    digit((unsigned char)p[n + 1]) &&
		    digit((unsigned char)p[n + 2]) &&
		    digit((unsigned char)p[n + 3]))
			;	/* thousands separator */
		else if (c == '.' && !seen_dot && p + n + 1 < end &&
		    digit((unsigned char)p[n + 1])) {
			seen_dot = 1;
			buf[k++] = c;
		} else
			break;
		n++;
	}
	buf[k] = '\0';
	*out = decimal_value(buf, k);
	return n;
}

/* A multiplier word at p; returns bytes used (with one space before). */
static size_t
parse_mult(const char *p, const char *end, double *m)
{
	size_t sp = 0, i;

	if (p < end && *p == ' ')
		sp = 1;
	for (i = 0; i < UTIL_ARRAY_LEN(mults); i++) {
		size_t l;

		if (p + sp >= end || (p[sp] | 0x20) != mults[i].word[0])
			continue;
		l = mults[i].len;
		if ((size_t)(end - p) < sp + l ||
		    !ieq_lit(p + sp, mults[i].word, l))
			continue;
		if (p + sp + l < end && isword((unsigned char)p[sp + l]))
			continue;
		/* A lone "b"/"m"/"k" must stick to the number. */
		if (l == 1 && sp)
			continue;
		*m = mults[i].v;
		return sp + l;
	}
	*m = 1;
	return 0;
}

static void
add_amount(struct impact_amounts *a, const char *s, size_t n, double usd,
    int up_to, int seg)
{
	size_t k;

	if (usd > a->max_usd)
		a->max_usd = usd;
	if (a->n >= IMPACT_MAX_AMOUNTS)
		return;
	for (k = 0; k < a->n; k++)
		if (fabs(a->v[k].usd - usd) < 1e-6 * usd)
			return;	/* the same figure again */
	if (n >= IMPACT_AMOUNT_TEXT)
		n = IMPACT_AMOUNT_TEXT - 1;
	memcpy(a->v[a->n].text, s, n);
	a->v[a->n].text[n] = '\0';
	a->v[a->n].usd = usd;
	a->v[a->n].up_to = up_to;
	a->v[a->n].seg = (uint8_t)seg;
	a->n++;
}

static int
preceded_by_up_to(const char *text, const char *p)
{
	return p - text >= 6 && ieq_lit(p - 6, "up to ", 6);
}

/* The currencies (index + 1, in table order) whose marker starts with a
 * byte. */
static const uint8_t by_first[256][4] = {
	['U'] = { 1, 13 }, ['C'] = { 2, 17, 18, 23 }, ['A'] = { 3, 19 },
	['H'] = { 4 }, ['S'] = { 5, 20 }, ['N'] = { 6, 21 },
	['R'] = { 7, 24, 26, 27 }, ['$'] = { 8 }, [0xe2] = { 9, 12 },
	[0xc2] = { 10, 11 }, ['E'] = { 14 }, ['G'] = { 15 }, ['J'] = { 16 },
	['D'] = { 22 }, ['I'] = { 25 },
};

/* Can this byte start a currency marker? */
static inline int
currency_start(unsigned char c)
{
	switch (c) {
	case '$': case 'U': case 'C': case 'A': case 'H': case 'S': case 'N':
	case 'R': case 'E': case 'G': case 'J': case 'D': case 'I':
	case 0xe2: case 0xc2:
		return 1;
	default:
		return 0;
	}
}

/* A byte where the scanner below does nothing but step over it. */
static inline int
quiet(unsigned char c)
{
	if (c >= 0x80)
		return c < 0xc2;
	return !(util_ascii_class[c] & UTIL_CC_ALNUM) && c != '$';
}

/*
 * The amount scanner from p; with until_quiet it returns at the first
 * quiet byte after p (see impact_amounts_at()).
 */
static const char *
scan_amounts(const char *text, const char *end, const char *p, int seg,
    struct impact_amounts *a, int until_quiet)
{
	const char *start = p;

	while (p < end) {
		const struct currency *cur = NULL;
		size_t i, k, ml = 0, nl, xl;
		double num, mult;

		unsigned char c = (unsigned char)*p;
		uint8_t cc = util_ascii_class[c];

		if (until_quiet && p > start && quiet(c))
			break;

		/* Nothing starts inside a word or at a lower-case letter:
		 * skip the run ("US$" and "12%" start at a word start). */
		if (cc & (UTIL_CC_DIGIT | UTIL_CC_LOWER)) {
			if (cc == UTIL_CC_LOWER || (p > text &&
			    isword((unsigned char)p[-1]))) {
				while (p < end && (unsigned char)*p < 0x80 &&
				    isword((unsigned char)*p))
					p++;
				continue;
			}
		} else if (c < 0x80 && c != '$' && cc != UTIL_CC_UPPER) {
			p++;
			continue;
		}
		if ((unsigned)(c - '0') < 10) {
			/* A percentage: "12%", "12.5 percent". */
			nl = parse_number(p, end, &num);
			xl = 0;
			if (p + nl < end && p[nl] == '%')
				xl = 1;
			else if ((size_t)(end - p - nl) < 8 || p[nl] != ' ' ||
			    (p[nl + 1] | 0x20) != 'p')
				;	/* neither word below */
			else if (ieq_lit(p + nl, " percent", 8))
				xl = 8;
			else if ((size_t)(end - p - nl) >= 9 &&
			    ieq_lit(p + nl, " per cent", 9))
				xl = 9;
			if (xl && num > 0 && num < 10000) {
				if (num > a->max_pct) {
					size_t n = nl + xl;

					a->max_pct = num;
					if (n >= IMPACT_AMOUNT_TEXT)
						n = IMPACT_AMOUNT_TEXT - 1;
					memcpy(a->pct_text, p, n);
					a->pct_text[n] = '\0';
				}
			}
			p += nl ? nl : 1;
			continue;
		}
		/* Most bytes cannot start a currency marker. */
		if (!currency_start(c)) {
			p++;
			continue;
		}
		for (k = 0; k < 4 && by_first[c][k]; k++) {
			size_t l;

			i = (size_t)by_first[c][k] - 1;
			l = currencies[i].len;

			if ((size_t)(end - p) < l || !same(p, currencies[i].mark,
			    l))
				continue;
			if (currencies[i].word && p > text &&
			    isword((unsigned char)p[-1]))
				continue;
			/* "US$" is tried before "$" but "S$" must not
			 * swallow the S of "US$". */
			cur = &currencies[i];
			ml = l;
			break;
		}
		if (cur == NULL) {
			p++;
			continue;
		}
		/* (reached only from a byte that can start a marker) */
		{
			const char *q = p + ml;

			if (q < end && *q == ' ')
				q++;
			nl = parse_number(q, end, &num);
			if (nl == 0) {
				p += ml;
				continue;
			}
			xl = parse_mult(q + nl, end, &mult);
			if (q + nl + xl < end &&
			    isalpha((unsigned char)q[nl + xl]) && xl == 0) {
				p = q + nl;
				continue;	/* "$5x" */
			}
			add_amount(a, p, (size_t)(q + nl + xl - p),
			    num * mult * cur->usd, preceded_by_up_to(text, p),
			    seg);
			p = q + nl + xl;
		}
	}
	return p;
}

void
impact_find_amounts(const char *text, size_t len, int seg,
    struct impact_amounts *a)
{
	scan_amounts(text, text + len, text, seg, a, 0);
}

size_t
impact_amounts_at(const char *text, size_t len, size_t pos, int seg,
    struct impact_amounts *a)
{
	return (size_t)(scan_amounts(text, text + len, text + pos, seg, a,
	    1) - text);
}

/* ---- events ---- */

struct impact_events {
	struct impact_event *v;
	size_t n, cap;
};

struct impact_events *
impact_events_new(void)
{
	return xcalloc(1, sizeof(struct impact_events));
}

void
impact_events_free(struct impact_events *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n; i++) {
		free(ev->v[i].name);
		free(ev->v[i].desc);
	}
	free(ev->v);
	free(ev);
}

const struct impact_event *
impact_event(const struct impact_events *ev, size_t i)
{
	return i < ev->n ? &ev->v[i] : NULL;
}

size_t
impact_events_count(const struct impact_events *ev)
{
	return ev->n;
}

long
impact_event_find(const struct impact_events *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

int
impact_events_load(struct impact_events *ev, struct dict *d, unsigned kind,
    const char *name, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct util_lines r;
	char *line;
	int rc = -1;

	util_lines_init(&r, text, len);
	while ((line = util_lines_next(&r)) != NULL) {
		char *f[4] = { 0 }, *s, *t;
		size_t nf = util_tsv_split(line, f, 4, 1);
		double w;
		long idx;

		if (nf < 4 || f[0][0] == '\0' ||
		    strlen(f[0]) >= ITEM_EVENT_LEN ||
		    util_parse_double(f[1], 0, 1, &w) < 0) {
			util_seterr(err, errlen, "%s:%zu: expected EVENT<TAB>"
			    "WEIGHT(0..1)<TAB>DESCRIPTION<TAB>PHRASE|...",
			    name, r.lineno);
			goto out;
		}
		idx = impact_event_find(ev, f[0]);
		if (idx < 0) {
			ev->v = xreallocarray_grow(ev->v, &ev->cap, ev->n + 1,
			    sizeof(*ev->v));
			idx = (long)ev->n++;
			ev->v[idx].name = xstrdup(f[0]);
			ev->v[idx].desc = xstrdup(f[2]);
			ev->v[idx].weight = w;
		}
		for (s = f[3]; s; s = t) {
			size_t l;
			int prefix = 0;

			t = strchr(s, '|');
			if (t)
				*t++ = '\0';
			s = util_trim(s);
			l = strlen(s);
			if (l > 1 && s[l - 1] == '*') {
				prefix = 1;
				s[--l] = '\0';
			}
			if (l)
				dict_add(d, s, l, DICT_PAYLOAD(kind, prefix,
				    idx));
		}
	}
	rc = 0;
out:
	util_lines_free(&r);
	return rc;
}

/* ---- the score ---- */

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

#define ADD_PART(ann, lit, v)	add_part((ann), "" lit, sizeof(lit) - 1, (v))

static void
add_part(struct item_annotation *ann, const char *name, size_t len,
    double v)
{
	if (ann->n_parts >= ITEM_MAX_PARTS)
		return;
	/* the names are the literals below, shorter than the field */
	memcpy(ann->parts[ann->n_parts].name, name, len + 1);
	/* Six decimals, which the store writes exactly without printf. */
	ann->parts[ann->n_parts].value = round(v * 1e6) / 1e6;
	ann->n_parts++;
}

/*
 * The score is the sum of the parts in the order they were added, so that
 * a part added later (impact_mark_repeat()) gives exactly the figure the
 * whole computation would have: "novelty" for a repeat, then "clamp" when
 * the sum leaves [0,1], rounded to two decimals.
 */
static void
settle(struct item_annotation *ann, int repeat)
{
	double sum = 0;
	size_t i;

	if (repeat)
		ADD_PART(ann, "novelty", -0.12);
	for (i = 0; i < ann->n_parts; i++)
		sum += ann->parts[i].value;
	if (sum < 0 || sum > 1) {
		ADD_PART(ann, "clamp", clamp01(sum) - sum);
		sum = clamp01(sum);
	}
	ann->impact = round(sum * 100) / 100;
}

void
impact_score(const struct impact_input *in, struct item_annotation *ann)
{
	const struct impact_amounts *a = in->amounts;
	double v, sw;
	size_t i;

	ann->n_parts = 0;
	ADD_PART(ann, "base", 0.05);

	v = in->event_weight < 0 ? 0.02 :
	    in->event_weight * (in->event_in_title ? 1 : 0.7);
	ADD_PART(ann, "event", v);

	v = 0;
	if (a != NULL && a->max_usd > 0) {
		double usd = 0, absv, rel;

		/* The headline's own figure is what the story is about. */
		for (i = 0; i < a->n; i++)
			if (a->v[i].seg == 0 && a->v[i].usd > usd)
				usd = a->v[i].usd;
		if (usd == 0)
			usd = a->max_usd;
		absv = clamp01((log10(usd) - 7) / 4);
		rel = in->mcap > 0 ?
		    clamp01((log10(usd / (in->mcap * 1e9)) + 4) / 3) : absv;
		v = 0.22 * (0.6 * absv + 0.4 * rel);
	} else if (a != NULL && a->max_pct >= 1)
		v = 0.15 * clamp01(log10(a->max_pct) / log10(30));
	ADD_PART(ann, "magnitude", v);

	v = in->mcap > 0 ? 0.08 * clamp01(log10(in->mcap) / 3) :
	    in->has_private ? 0.02 : 0;
	ADD_PART(ann, "size", v);

	v = in->centrality >= 2 ? 0.07 : in->centrality == 1 ? 0.03 : 0;
	ADD_PART(ann, "centrality", v);

	sw = in->source_weight;
	if (!(sw >= 0 && sw <= 1))
		sw = 0.5;
	v = (sw - 0.5) * 0.12;
	ADD_PART(ann, "source", v);

	v = fabs(in->sentiment) * 0.10;
	if (!(v <= 0.1))
		v = 0;
	ADD_PART(ann, "sentiment", v);
	settle(ann, in->repeat);
}

void
impact_mark_repeat(struct item_annotation *ann)
{
	size_t i;

	for (i = 0; i < ann->n_parts; i++)
		if (strcmp(ann->parts[i].name, "novelty") == 0)
			return;
	if (ann->n_parts > 0 &&
	    strcmp(ann->parts[ann->n_parts - 1].name, "clamp") == 0)
		ann->n_parts--;
	settle(ann, 1);
}

/*
 * dict.c - the company dictionary and the Aho-Corasick automaton.
 *
 * The automaton: patterns are inserted into a byte trie over ASCII-folded
 * bytes (children kept as sibling lists while building), then a BFS sets
 * the failure links and "dictionary suffix" links (the nearest state down
 * the failure chain that ends a pattern), and the children are packed into
 * one sorted edge array per state.
 *
 * For the scan the trie becomes a DFA over byte classes: bytes that occur
 * in no pattern share one class, every other folded byte has its own (so
 * 'A' and 'a' are one class), and each state gets a dense row of
 * next-state entries with the failure transitions already resolved.  Rows
 * are padded to a power of two and an entry holds the next state's row
 * offset, so a scan step is one load (state = dense[state + class]); the
 * top bit of an entry says "this state ends a pattern", the next one "this
 * state has no row".  Rows are given in breadth-first order up to a
 * memory budget (DENSE_MAX_BYTES); should a huge user dictionary exceed
 * it, the deeper states (rarely reached) fall back to the sparse edges and
 * failure links.  The letters and the space get the first classes, so a
 * row's entries for ordinary text sit in one or two cache lines, and the
 * scan loop takes four bytes per turn.
 *
 * Each state's output (its patterns and those down its dictionary-suffix
 * chain) is flattened into one run of (pattern, payload, length, edges)
 * records.  dict_scan_words() checks word boundaries there, from flags
 * computed when a pattern is added, so its caller sees whole words only;
 * a state whose patterns all end in a letter or digit costs one look at
 * the next byte when a word goes on.
 *
 * A scan step is one dependent load after another, so a long text is
 * scanned in two halves at once (see scan2()): the processor overlaps the
 * two chains.
 *
 * The company table: an array of companies with their aliases and a hash
 * from symbol to index.  It is filled from data/tickers.tsv,
 * data/private.tsv, the user's imported file and feeds.conf; the analyzer
 * adds every alias to its automaton.
 *
 * The SEC importer reads company_tickers.json with a small JSON reader
 * (objects, arrays, strings with escapes, numbers, literals) bounded in
 * depth, and writes tickers.tsv lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "strbuf.h"
#include "util.h"

#define NONE UINT32_MAX
#define OUTBIT 0x80000000U	/* the state ends a pattern */
#define SPARSEBIT 0x40000000U	/* the state has no dense row */
#define ENTRY_FLAGS (OUTBIT | SPARSEBIT)
/* overridable so that the sparse fallback can be exercised */
#ifndef DENSE_MAX_BYTES
#define DENSE_MAX_BYTES (24u << 20)
#endif

struct pattern {
	uint32_t off;		/* into the string pool */
	uint32_t len;
	uint32_t payload;
	uint32_t next;		/* next pattern ending in the same state */
	uint8_t edges;		/* PAT_* (for dict_scan_words()) */
};

/* One pattern ending in a state, as the scan reports it. */
struct out_ent {
	uint32_t pattern;
	uint32_t payload;
	uint16_t len;
	uint8_t edges;		/* PAT_* */
};

/* Which ends of a pattern are word characters that need a boundary. */
#define PAT_LEFT	1	/* first byte an ASCII letter or digit */
#define PAT_RIGHT	2	/* last byte one, and not a prefix pattern */

struct dict {
	/* building */
	uint32_t *child;	/* first child */
	uint32_t *sibling;
	uint8_t *label;
	size_t cap_states;
	/* both */
	size_t n_states;
	uint32_t *fail;
	uint32_t *out;		/* first pattern ending here, or NONE */
	uint32_t *link;		/* next state with output on the fail chain */
	/* built */
	int built;
	uint8_t cls[256];	/* byte -> class */
	uint32_t ncls;
	uint32_t shift;		/* row stride: 1 << shift >= ncls */
	uint32_t *dense;	/* n_rows rows: next entry (see enc()) */
	size_t n_rows;		/* states 0 .. n_rows-1 have a row */
	uint32_t *estart;	/* n_states + 1 */
	uint8_t *elabel;
	uint32_t *etarget;
	uint32_t *ostart;	/* n_states + 1: each state's run in olist */
	uint8_t *oright;	/* per state: 1 if every pattern in its run
				 * needs a boundary after it (PAT_RIGHT) */
	struct out_ent *olist;	/* the patterns ending in each state, the
				 * suffix chain resolved, longest first */
	size_t n_olist;
	size_t maxlen;		/* the longest pattern: the deepest state */
	/* patterns */
	struct pattern *pats;
	size_t n_pats, cap_pats;
	char *pool;
	size_t pool_len, pool_cap;
};

static inline unsigned char
fold(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c + 32);
	if (c == '\t' || c == '\n' || c == '\r')
		return ' ';
	return c;
}

static uint32_t
new_state(struct dict *d)
{
	size_t cap = d->cap_states;

	if (d->n_states == cap) {
		d->child = xreallocarray_grow(d->child, &cap, d->n_states + 1,
		    sizeof(*d->child));
		cap = d->cap_states;
		d->sibling = xreallocarray_grow(d->sibling, &cap,
		    d->n_states + 1, sizeof(*d->sibling));
		cap = d->cap_states;
		d->label = xreallocarray_grow(d->label, &cap,
		    d->n_states + 1, 1);
		cap = d->cap_states;
		d->out = xreallocarray_grow(d->out, &cap, d->n_states + 1,
		    sizeof(*d->out));
		d->cap_states = cap;
	}
	d->child[d->n_states] = NONE;
	d->sibling[d->n_states] = NONE;
	d->label[d->n_states] = 0;
	d->out[d->n_states] = NONE;
	return (uint32_t)d->n_states++;
}

struct dict *
dict_new(void)
{
	struct dict *d = xcalloc(1, sizeof(*d));

	new_state(d);
	return d;
}

void
dict_free(struct dict *d)
{
	if (d == NULL)
		return;
	free(d->child);
	free(d->sibling);
	free(d->label);
	free(d->fail);
	free(d->out);
	free(d->link);
	xfree_big(d->dense, (d->n_rows << d->shift) * sizeof(*d->dense));
	free(d->estart);
	free(d->elabel);
	free(d->etarget);
	free(d->ostart);
	free(d->oright);
	free(d->olist);
	free(d->pats);
	free(d->pool);
	free(d);
}

static uint32_t
build_child(const struct dict *d, uint32_t s, unsigned char c)
{
	uint32_t t;

	for (t = d->child[s]; t != NONE; t = d->sibling[t])
		if (d->label[t] == c)
			return t;
	return NONE;
}

uint32_t
dict_add(struct dict *d, const char *pat, size_t len, uint32_t payload)
{
	uint32_t s = 0, t, id;
	size_t i;

	if (d->built)
		fatal("dict_add after dict_build");
	if (len == 0 || len > 1024)
		return NONE;
	for (i = 0; i < len; i++) {
		unsigned char c = fold((unsigned char)pat[i]);

		t = build_child(d, s, c);
		if (t == NONE) {
			t = new_state(d);
			d->label[t] = c;
			d->sibling[t] = d->child[s];
			d->child[s] = t;
		}
		s = t;
	}
	d->pats = xreallocarray_grow(d->pats, &d->cap_pats, d->n_pats + 1,
	    sizeof(*d->pats));
	d->pool = xreallocarray_grow(d->pool, &d->pool_cap,
	    d->pool_len + len + 1, 1);
	memcpy(d->pool + d->pool_len, pat, len);
	d->pool[d->pool_len + len] = '\0';
	id = (uint32_t)d->n_pats++;
	d->pats[id].off = (uint32_t)d->pool_len;
	d->pats[id].len = (uint32_t)len;
	d->pats[id].payload = payload;
	d->pats[id].next = d->out[s];
	if (len > d->maxlen)
		d->maxlen = len;
	d->pats[id].edges = (uint8_t)(
	    ((util_ascii_class[(unsigned char)pat[0]] & UTIL_CC_ALNUM) ?
	    PAT_LEFT : 0) |
	    ((util_ascii_class[(unsigned char)pat[len - 1]] & UTIL_CC_ALNUM) &&
	    !DICT_PREFIX(payload) ? PAT_RIGHT : 0));
	d->out[s] = id;
	d->pool_len += len + 1;
	return id;
}

static inline uint32_t
edge(const struct dict *d, uint32_t s, unsigned char c)
{
	uint32_t i = d->estart[s], end = d->estart[s + 1];

	for (; i < end; i++) {
		if (d->elabel[i] == c)
			return d->etarget[i];
		if (d->elabel[i] > c)
			break;
	}
	return NONE;
}

static inline int
has_out(const struct dict *d, uint32_t t)
{
	return d->out[t] != NONE || (d->link[t] != NONE && d->link[t] != 0);
}

/*
 * A dense entry: a state with a row is stored as the offset of its row
 * (state << shift) so that the scan needs no multiplication, with OUTBIT
 * when it ends a pattern; a state without a row (a huge dictionary's deep
 * states) as SPARSEBIT | state.
 */
static inline uint32_t
enc(const struct dict *d, uint32_t t)
{
	if (t >= d->n_rows)
		return SPARSEBIT | t;
	return (t << d->shift) | (has_out(d, t) ? OUTBIT : 0);
}

/* The state an entry stands for. */
static inline uint32_t
dec(const struct dict *d, uint32_t e)
{
	if (e & SPARSEBIT)
		return e & ~ENTRY_FLAGS;
	return (e & ~ENTRY_FLAGS) >> d->shift;
}

/*
 * Number the states in breadth-first order (queue: every state but the
 * root, in that order), so that the dense rows are simply the first
 * states and a state's failure target (shallower) comes before it.
 */
static void
renumber(struct dict *d, const uint32_t *queue, size_t nq)
{
	size_t n = d->n_states, i, e = 0;
	uint32_t *perm = xmalloc(n * sizeof(*perm));
	uint32_t *inv = xmalloc(n * sizeof(*inv));
	uint32_t *fail = xmalloc(n * sizeof(*fail));
	uint32_t *out = xmalloc(n * sizeof(*out));
	uint32_t *link = xmalloc(n * sizeof(*link));
	uint32_t *estart = xmalloc((n + 1) * sizeof(*estart));
	uint8_t *elabel = xmalloc(d->estart[n] ? d->estart[n] : 1);
	uint32_t *etarget = xmalloc((d->estart[n] ? d->estart[n] : 1) *
	    sizeof(*etarget));
	uint8_t *label = xmalloc(n);

	perm[0] = 0;
	inv[0] = 0;
	for (i = 0; i < nq; i++) {
		perm[queue[i]] = (uint32_t)(i + 1);
		inv[i + 1] = queue[i];
	}
	for (i = 0; i < n; i++) {
		uint32_t o = inv[i], k;

		fail[i] = perm[d->fail[o]];
		out[i] = d->out[o];
		link[i] = d->link[o] == NONE ? NONE : perm[d->link[o]];
		label[i] = d->label[o];
		estart[i] = (uint32_t)e;
		for (k = d->estart[o]; k < d->estart[o + 1]; k++, e++) {
			elabel[e] = d->elabel[k];
			etarget[e] = perm[d->etarget[k]];
		}
	}
	estart[n] = (uint32_t)e;
	free(d->fail);
	free(d->out);
	free(d->link);
	free(d->estart);
	free(d->elabel);
	free(d->etarget);
	free(d->label);
	d->fail = fail;
	d->out = out;
	d->link = link;
	d->estart = estart;
	d->elabel = elabel;
	d->etarget = etarget;
	d->label = label;
	free(perm);
	free(inv);
}

/*
 * The byte classes and the dense rows of the first states (all of them
 * unless the dictionary is huge).
 */
static void
build_dense(struct dict *d)
{
	size_t i, k, rows, budget;
	uint32_t s, c;
	int used[256] = { 0 };

	for (s = 1; s < d->n_states; s++)
		used[d->label[s]] = 1;
	/* Class 0: bytes in no pattern; folded bytes share a class.  The
	 * letters and the space come first, so that a row's entries for
	 * ordinary text share a cache line or two. */
	d->ncls = 1;
	memset(d->cls, 0, sizeof(d->cls));
	for (i = 0; i < 256 + 27; i++) {
		c = i < 26 ? 'a' + (uint32_t)i : i == 26 ? ' ' :
		    (uint32_t)(i - 27);
		if (i >= 27 && ((c >= 'a' && c <= 'z') || c == ' '))
			continue;	/* done first */
		if (!used[c] || fold((unsigned char)c) != c)
			continue;	/* set below from its folded form */
		d->cls[c] = (uint8_t)d->ncls++;
	}
	for (c = 0; c < 256; c++)
		if (used[fold((unsigned char)c)])
			d->cls[c] = d->cls[fold((unsigned char)c)];
	/* Rows padded to a power of two: an entry is a row offset and
	 * the state is that offset shifted down. */
	for (d->shift = 0; (1U << d->shift) < d->ncls; d->shift++)
		;
	budget = DENSE_MAX_BYTES / ((sizeof(uint32_t)) << d->shift);
	rows = d->n_states < budget ? d->n_states : budget;
	if (rows < 1)
		rows = 1;
	d->dense = xcalloc_big((rows << d->shift) * sizeof(*d->dense));
	d->n_rows = rows;
	/* A row is its failure state's row (shallower, so done already;
	 * the root's is the root itself, entry 0) with the state's own
	 * edges over it: each edge label is a folded byte, its class's
	 * only one. */
	for (i = 0; i < rows; i++) {
		uint32_t *r;

		s = (uint32_t)i;
		r = d->dense + ((size_t)s << d->shift);
		if (s > 0)
			memcpy(r, d->dense + ((size_t)d->fail[s] << d->shift),
			    d->ncls * sizeof(*r));
		for (k = d->estart[s]; k < d->estart[s + 1]; k++)
			r[d->cls[d->elabel[k]]] = enc(d, d->etarget[k]);
	}
}

/*
 * Every state's output, flattened: the patterns ending in it and down its
 * dictionary-suffix chain, in the order the chain gives them, so that a
 * match is reported from one contiguous run.
 */
static void
build_outputs(struct dict *d)
{
	size_t n = d->n_states, i, k = 0, cap = 0;
	uint32_t u, pid;

	d->ostart = xmalloc((n + 1) * sizeof(*d->ostart));
	d->oright = xmalloc(n ? n : 1);
	d->olist = NULL;
	for (i = 0; i < n; i++) {
		size_t k0 = k;

		d->ostart[i] = (uint32_t)k;
		u = d->out[i] != NONE ? (uint32_t)i : d->link[i];
		for (; u != NONE && u != 0; u = d->link[u])
			for (pid = d->out[u]; pid != NONE;
			    pid = d->pats[pid].next) {
				const struct pattern *pt = &d->pats[pid];

				d->olist = xreallocarray_grow(d->olist, &cap,
				    k + 1, sizeof(*d->olist));
				d->olist[k].pattern = pid;
				d->olist[k].payload = pt->payload;
				d->olist[k].len = (uint16_t)pt->len;
				d->olist[k].edges = pt->edges;
				k++;
			}
		d->oright[i] = k > k0;
		for (; k0 < k; k0++)
			if (!(d->olist[k0].edges & PAT_RIGHT))
				d->oright[i] = 0;
	}
	d->ostart[n] = (uint32_t)k;
	d->n_olist = k;
}

void
dict_build(struct dict *d)
{
	size_t n = d->n_states, head = 0, tail = 0, e = 0, i;
	uint32_t *queue, s, t, f, c;

	if (d->built)
		return;
	d->fail = xcalloc(n, sizeof(*d->fail));
	d->link = xcalloc(n, sizeof(*d->link));
	queue = xmalloc(n * sizeof(*queue));
	for (t = d->child[0]; t != NONE; t = d->sibling[t]) {
		d->fail[t] = 0;
		d->link[t] = NONE;
		queue[tail++] = t;
	}
	d->link[0] = NONE;
	while (head < tail) {
		s = queue[head++];
		for (t = d->child[s]; t != NONE; t = d->sibling[t]) {
			unsigned char b = d->label[t];

			f = d->fail[s];
			for (;;) {
				c = build_child(d, f, b);
				if (c != NONE || f == 0)
					break;
				f = d->fail[f];
			}
			d->fail[t] = (c != NONE && c != t) ? c : 0;
			f = d->fail[t];
			d->link[t] = d->out[f] != NONE ? f : d->link[f];
			queue[tail++] = t;
		}
	}

	/* Pack the edges: sorted by label, one run per state. */
	d->estart = xmalloc((n + 1) * sizeof(*d->estart));
	d->elabel = xmalloc(n ? n : 1);
	d->etarget = xmalloc((n ? n : 1) * sizeof(*d->etarget));
	for (i = 0; i < n; i++) {
		size_t k = 0, j;

		d->estart[i] = (uint32_t)e;
		for (t = d->child[i]; t != NONE; t = d->sibling[t])
			k++;
		if (k > 1) {
			uint32_t lab[256], tgt[256];

			for (j = 0, t = d->child[i]; t != NONE;
			    t = d->sibling[t], j++) {
				lab[j] = d->label[t];
				tgt[j] = t;
			}
			/* insertion sort by label: fan-out is small */
			for (j = 1; j < k; j++) {
				uint32_t l = lab[j], g = tgt[j];
				size_t m = j;

				while (m > 0 && lab[m - 1] > l) {
					lab[m] = lab[m - 1];
					tgt[m] = tgt[m - 1];
					m--;
				}
				lab[m] = l;
				tgt[m] = g;
			}
			for (j = 0; j < k; j++) {
				d->elabel[e + j] = (uint8_t)lab[j];
				d->etarget[e + j] = tgt[j];
			}
		} else if (k == 1) {
			d->elabel[e] = d->label[d->child[i]];
			d->etarget[e] = d->child[i];
		}
		e += k;
	}
	d->estart[n] = (uint32_t)e;
	renumber(d, queue, tail);
	build_dense(d);
	build_outputs(d);
	free(queue);
	free(d->child);
	free(d->sibling);
	free(d->label);
	d->child = d->sibling = NULL;
	d->label = NULL;
	d->built = 1;
}

/*
 * The next state of a state without a dense row: its sparse edges, then
 * down the failure chain until a state with a row answers.
 */
static uint32_t
sparse_next(const struct dict *d, uint32_t s, unsigned char c)
{
	unsigned char f = fold(c);
	uint32_t t;

	while (s >= d->n_rows) {
		t = edge(d, s, f);
		if (t != NONE)
			return t;
		s = d->fail[s];
	}
	return dec(d, d->dense[((size_t)s << d->shift) + d->cls[c]]);
}

/*
 * Word characters for dict_scan_words(): ASCII letters and digits, and
 * UTF-8 bytes except those of typographic punctuation (U+2013..U+201F
 * dashes and quotes, U+00A0), which separate words like their ASCII forms.
 */
static inline int
punct_seq(const unsigned char *p, size_t i, size_t len)
{
	if (i + 2 < len && p[i] == 0xe2 && p[i + 1] == 0x80 &&
	    p[i + 2] >= 0x93 && p[i + 2] <= 0x9f)
		return 3;
	if (i + 1 < len && p[i] == 0xc2 && p[i + 1] == 0xa0)
		return 2;
	return 0;
}

/* Is there a word character at byte i (i < len)? */
static inline int
word_at(const unsigned char *p, size_t i, size_t len)
{
	if (p[i] < 0x80)
		return (util_ascii_class[p[i]] & UTIL_CC_ALNUM) != 0;
	return !punct_seq(p, i, len);
}

/* Does a word character end right before byte s? */
static inline int
word_ends_before(const unsigned char *p, size_t s)
{
	if (s == 0)
		return 0;
	if (p[s - 1] < 0x80)
		return (util_ascii_class[p[s - 1]] & UTIL_CC_ALNUM) != 0;
	if (s >= 3 && punct_seq(p, s - 3, s))
		return 0;
	if (s >= 2 && p[s - 2] == 0xc2 && p[s - 1] == 0xa0)
		return 0;
	return 1;
}

/*
 * Report every pattern ending in state s at byte i (whole words only
 * when words is set); non-zero: stop.
 */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

static ALWAYS_INLINE int
report(const struct dict *d, uint32_t s, const unsigned char *p, size_t i,
    size_t len, int words, dict_match_fn fn, void *arg)
{
	const struct out_ent *o = d->olist + d->ostart[s];
	const struct out_ent *oe = d->olist + d->ostart[s + 1];
	struct dict_match m;
	int right = -1;

	/* most states end words that a word character must not follow:
	 * one look at the next byte for all of them */
	if (words && d->oright[s]) {
		if (i + 1 < len && word_at(p, i + 1, len))
			return 0;
		right = 0;
	}
	for (; o < oe; o++) {
		m.start = (uint32_t)(i + 1 - o->len);
		if (words) {
			/* the same last byte for every pattern here: the
			 * byte after it is looked at once */
			if (o->edges & PAT_RIGHT) {
				if (right < 0)
					right = i + 1 < len &&
					    word_at(p, i + 1, len);
				if (right)
					continue;
			}
			if ((o->edges & PAT_LEFT) &&
			    word_ends_before(p, m.start))
				continue;
		}
		m.pattern = o->pattern;
		m.payload = o->payload;
		m.len = o->len;
		if (fn(arg, &m))
			return 1;
	}
	return 0;
}

/*
 * The scan from byte `from` in dense entry s (a row offset; 0 at the
 * start of the text).
 */
static ALWAYS_INLINE void
scan_from(const struct dict *d, const char *text, size_t len, size_t from,
    size_t s, int words, dict_match_fn fn, void *arg)
{
	const unsigned char *p = (const unsigned char *)text;
	const unsigned char *q = p + from, *end = p + len;
	const uint32_t *dense = d->dense;
	const uint8_t *cls = d->cls;
	size_t i;
	uint32_t t, id;

	while (q < end) {
		/* the whole step for most bytes: one load, four at a time */
		while (end - q >= 4) {
			if ((t = dense[s + cls[q[0]]]) >= SPARSEBIT)
				goto special;
			s = t;
			if ((t = dense[s + cls[q[1]]]) >= SPARSEBIT) {
				q += 1;
				goto special;
			}
			s = t;
			if ((t = dense[s + cls[q[2]]]) >= SPARSEBIT) {
				q += 2;
				goto special;
			}
			s = t;
			if ((t = dense[s + cls[q[3]]]) >= SPARSEBIT) {
				q += 3;
				goto special;
			}
			s = t;
			q += 4;
		}
		if (q == end)
			break;
		if ((t = dense[s + cls[*q]]) < SPARSEBIT) {
			s = t;
			q++;
			continue;
		}
special:
		i = (size_t)(q - p);
		if (!(t & SPARSEBIT)) {
			s = t & ~OUTBIT;
			if (report(d, (uint32_t)(s >> d->shift), p, i, len,
			    words, fn, arg))
				return;
			q++;
			continue;
		}
		/* beyond the dense budget: the sparse way until a state
		 * with a row comes back */
		id = t & ~ENTRY_FLAGS;
		for (;;) {
			if (has_out(d, id) && report(d, id, p, i, len, words,
			    fn, arg))
				return;
			if (id < d->n_rows || ++i >= len)
				break;
			id = sparse_next(d, id, p[i]);
		}
		if (i >= len)
			return;
		s = (size_t)id << d->shift;
		q = p + i + 1;
	}
}

/* Matches of the second half, held until the first half is done. */
enum { LATER_MAX = 128 };

struct later {
	struct dict_match m[LATER_MAX];
	size_t n;
	int over;		/* more than LATER_MAX: dropped */
};

static int
keep_later(void *arg, const struct dict_match *m)
{
	struct later *l = arg;

	if (l->n == LATER_MAX) {
		l->over = 1;
		return 1;
	}
	l->m[l->n++] = *m;
	return 0;
}

/*
 * A long text in two halves at once, for the processor to overlap the
 * two chains of dependent loads.  The second scan starts maxlen bytes
 * before the middle: from there on it is in the state a whole scan would
 * be in (no state is deeper than the longest pattern), so its matches
 * that end in the second half are exactly the whole scan's.  They are
 * held back and reported after the first half's, in order; if there are
 * too many, the first scan simply goes on alone.  Every state has a row.
 */
static ALWAYS_INLINE void
scan2(const struct dict *d, const char *text, size_t len, int words,
    dict_match_fn fn, void *arg)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t mid = len / 2;
	const unsigned char *qa = p, *ea = p + mid, *pm = p + mid;
	const unsigned char *qb = p + (mid - d->maxlen);
	const uint32_t *dense = d->dense;
	const uint8_t *cls = d->cls;
	size_t sa = 0, sb = 0, i;
	uint32_t ta, tb;
	struct later lb;

	lb.n = 0;
	lb.over = 0;
	/* the first half is the shorter one: it ends first */
	while (qa < ea) {
		ta = dense[sa + cls[*qa]];
		tb = dense[sb + cls[*qb]];
		if ((ta | tb) >= OUTBIT) {
			if (ta >= OUTBIT) {
				ta &= ~OUTBIT;
				if (report(d, (uint32_t)(ta >> d->shift), p,
				    (size_t)(qa - p), len, words, fn, arg))
					return;
			}
			if (tb >= OUTBIT) {
				tb &= ~OUTBIT;
				if (qb >= pm && !lb.over)
					(void)report(d, (uint32_t)(tb >>
					    d->shift), p, (size_t)(qb - p), len,
					    words, keep_later, &lb);
			}
		}
		sa = ta;
		sb = tb;
		qa++;
		qb++;
	}
	if (lb.over) {
		scan_from(d, text, len, mid, sa, words, fn, arg);
		return;
	}
	for (i = 0; i < lb.n; i++)
		if (fn(arg, &lb.m[i]))
			return;
	scan_from(d, text, len, (size_t)(qb - p), sb, words, fn, arg);
}

/* Texts this long (beyond twice the longest pattern) are split. */
#define SPLIT_MIN 64

static ALWAYS_INLINE void
scan(const struct dict *d, const char *text, size_t len, int words,
    dict_match_fn fn, void *arg)
{
	if (!d->built || d->n_pats == 0)
		return;
	if (d->n_rows == d->n_states && len >= 2 * d->maxlen + SPLIT_MIN)
		scan2(d, text, len, words, fn, arg);
	else
		scan_from(d, text, len, 0, 0, words, fn, arg);
}

void
dict_scan(const struct dict *d, const char *text, size_t len,
    dict_match_fn fn, void *arg)
{
	scan(d, text, len, 0, fn, arg);
}

void
dict_scan_words(const struct dict *d, const char *text, size_t len,
    dict_match_fn fn, void *arg)
{
	scan(d, text, len, 1, fn, arg);
}

const char *
dict_pattern(const struct dict *d, uint32_t id, size_t *len)
{
	if (id >= d->n_pats) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = d->pats[id].len;
	return d->pool + d->pats[id].off;
}

size_t
dict_n_patterns(const struct dict *d)
{
	return d->n_pats;
}

size_t
dict_n_states(const struct dict *d)
{
	return d->n_states;
}

size_t
dict_memory(const struct dict *d)
{
	size_t n = d->n_states;
	size_t m = sizeof(*d) + d->pool_cap + d->cap_pats * sizeof(*d->pats);

	if (d->built)
		m += n * (3 * sizeof(uint32_t) + 1) + (n + 1) * sizeof(uint32_t) +
		    n * (1 + sizeof(uint32_t)) +
		    (d->n_rows << d->shift) * sizeof(uint32_t) +
		    (n + 1) * sizeof(uint32_t) + n +
		    d->n_olist * sizeof(struct out_ent);
	else
		m += d->cap_states * (3 * sizeof(uint32_t) + 1);
	return m;
}

/* ---- company table ---- */

struct dict_companies {
	struct dict_company *v;
	size_t n, cap;
	uint32_t *hash;		/* index + 1; 0 empty */
	size_t hcap;
	size_t bytes;		/* strings and alias vectors */
};

static uint64_t
sym_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)toupper((unsigned char)s[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

static char *
dc_strdup(struct dict_companies *dc, const char *s)
{
	if (s == NULL)
		return NULL;
	dc->bytes += strlen(s) + 1;
	return xstrdup(s);
}

struct dict_companies *
dict_companies_new(void)
{
	struct dict_companies *dc = xcalloc(1, sizeof(*dc));

	dc->hcap = 1024;
	dc->hash = xcalloc(dc->hcap, sizeof(*dc->hash));
	return dc;
}

void
dict_companies_free(struct dict_companies *dc)
{
	size_t i, j;

	if (dc == NULL)
		return;
	for (i = 0; i < dc->n; i++) {
		struct dict_company *co = &dc->v[i];

		free(co->ticker);
		free(co->exchange);
		free(co->name);
		free(co->sector);
		for (j = 0; j < co->n_aliases; j++)
			free(co->aliases[j]);
		free(co->aliases);
	}
	free(dc->v);
	free(dc->hash);
	free(dc);
}

static void
hash_insert(struct dict_companies *dc, const char *sym, uint32_t idx)
{
	size_t mask = dc->hcap - 1, h = sym_hash(sym, strlen(sym)) & mask;

	while (dc->hash[h] != 0)
		h = (h + 1) & mask;
	dc->hash[h] = idx + 1;
}

static void
hash_grow(struct dict_companies *dc)
{
	size_t i;

	if ((dc->n + 1) * 2 < dc->hcap)
		return;
	free(dc->hash);
	dc->hcap *= 2;
	dc->hash = xcalloc(dc->hcap, sizeof(*dc->hash));
	for (i = 0; i < dc->n; i++)
		if (dc->v[i].ticker)
			hash_insert(dc, dc->v[i].ticker, (uint32_t)i);
}

long
dict_find_ticker(const struct dict_companies *dc, const char *sym,
    size_t len)
{
	size_t mask = dc->hcap - 1, h = sym_hash(sym, len) & mask;
	uint32_t v;

	while ((v = dc->hash[h]) != 0) {
		const char *t = dc->v[v - 1].ticker;

		if (util_strncasecmp(t, sym, len) == 0 && t[len] == '\0')
			return (long)(v - 1);
		h = (h + 1) & mask;
	}
	return -1;
}

static long
find_private(const struct dict_companies *dc, const char *name)
{
	size_t i;

	/* Private companies are few (hundreds); a scan at load is fine. */
	for (i = 0; i < dc->n; i++)
		if (dc->v[i].ticker == NULL &&
		    util_strcasecmp(dc->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void
add_alias(struct dict_companies *dc, struct dict_company *co, const char *a)
{
	size_t j, cap = co->n_aliases;

	while (*a == ' ')
		a++;
	if (*a == '\0' || strlen(a) > 200)
		return;
	for (j = 0; j < co->n_aliases; j++)
		if (strcmp(co->aliases[j], a) == 0)
			return;
	/* grow by one: alias lists are short */
	co->aliases = xreallocarray_grow(co->aliases, &cap, co->n_aliases + 1,
	    sizeof(*co->aliases));
	dc->bytes += sizeof(char *);
	co->aliases[co->n_aliases++] = dc_strdup(dc, a);
}

size_t
dict_add_company(struct dict_companies *dc, const char *ticker,
    const char *name, const char *const *aliases, size_t n_aliases,
    unsigned flags)
{
	struct dict_company *co;
	long idx;
	size_t i;

	if (ticker != NULL && *ticker == '\0')
		ticker = NULL;
	idx = ticker ? dict_find_ticker(dc, ticker, strlen(ticker)) :
	    (name ? find_private(dc, name) : -1);
	if (idx < 0) {
		hash_grow(dc);
		dc->v = xreallocarray_grow(dc->v, &dc->cap, dc->n + 1,
		    sizeof(*dc->v));
		idx = (long)dc->n++;
		co = &dc->v[idx];
		memset(co, 0, sizeof(*co));
		if (ticker) {
			char *t = dc_strdup(dc, ticker), *p;

			for (p = t; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			co->ticker = t;
			hash_insert(dc, t, (uint32_t)idx);
		} else
			flags |= DICT_F_PRIVATE;
		co->name = dc_strdup(dc, name ? name : ticker);
		co->flags = flags;
		if (name)
			add_alias(dc, co, name);
	} else
		co = &dc->v[idx];
	for (i = 0; i < n_aliases; i++)
		if (aliases[i])
			add_alias(dc, co, aliases[i]);
	return (size_t)idx;
}

size_t
dict_companies_count(const struct dict_companies *dc)
{
	return dc->n;
}

const struct dict_company *
dict_company(const struct dict_companies *dc, size_t i)
{
	return i < dc->n ? &dc->v[i] : NULL;
}

size_t
dict_companies_memory(const struct dict_companies *dc)
{
	return sizeof(*dc) + dc->cap * sizeof(*dc->v) +
	    dc->hcap * sizeof(*dc->hash) + dc->bytes;
}

/* Words that make a two-word name a company name: "Carrier Global". */
static const char *const corp_words[] = {
	"Air", "Airlines", "Bancorp", "Bank", "Brands", "Communications",
	"Companies", "Corp", "Corporation", "Electric", "Energy",
	"Entertainment", "Financial", "Foods", "Global", "Group", "Health",
	"Healthcare", "Holdings", "Inc", "Industries", "Insurance",
	"International", "Laboratories", "Labs", "Motor", "Motors",
	"Networks", "Pharma", "Pharmaceuticals", "Resources", "Semiconductor",
	"Systems", "Technologies", "Therapeutics", "Worldwide",
};

int
dict_alias_is_common(const struct dict_company *co, const char *alias)
{
	const unsigned char *p = (const unsigned char *)alias, *w = p;
	int words = 1, at_start = 1;
	size_t i;

	if (!(co->flags & DICT_F_COMMON))
		return 0;
	/* One or two plain capitalised words: "Apple", "Best Buy"; a
	 * corporate second word makes it a name ("Southwest Airlines"). */
	for (; *p; p++) {
		if (*p == ' ') {
			if (++words > 2)
				return 0;
			at_start = 1;
			w = p + 1;
			continue;
		}
		if (at_start) {
			if (!isupper(*p))
				return 0;
			at_start = 0;
		} else if (!islower(*p))
			return 0;
	}
	if (words == 2)
		for (i = 0; i < sizeof(corp_words) / sizeof(corp_words[0]);
		    i++)
			if (strcmp((const char *)w, corp_words[i]) == 0)
				return 0;
	return 1;
}

static int
valid_ticker(const char *t)
{
	size_t n = 0;

	for (; *t; t++, n++)
		if (!isalnum((unsigned char)*t) && *t != '.' && *t != '-' &&
		    *t != '/' && *t != '^' && *t != '=')
			return 0;
	return n > 0 && n < 16;
}

static const char *
dash_null(const char *s)
{
	return (s == NULL || *s == '\0' || strcmp(s, "-") == 0) ? NULL : s;
}

/* Iterate the lines of a TSV text; calls fn with a writable copy. */
typedef int (*line_fn)(struct dict_companies *, char **f, size_t nf,
    char *err, size_t errlen);

static int
each_line(struct dict_companies *dc, const char *name, const char *text,
    size_t len, size_t maxf, line_fn fn, char *err, size_t errlen)
{
	struct util_lines r;
	char *line, *f[16], msg[256];
	int rc = 0;

	util_lines_init(&r, text, len);
	while ((line = util_lines_next(&r)) != NULL) {
		if (fn(dc, f, util_tsv_split(line, f, maxf, 0), msg,
		    sizeof(msg)) < 0) {
			util_seterr(err, errlen, "%s:%zu: %s", name, r.lineno,
			    msg);
			rc = -1;
			break;
		}
	}
	util_lines_free(&r);
	return rc;
}

static void
split_aliases(char *s, const char **v, size_t *n, size_t max)
{
	char *p;

	*n = 0;
	if (s == NULL)
		return;
	while (s && *n < max) {
		p = strchr(s, '|');
		if (p)
			*p++ = '\0';
		s = util_trim(s);
		if (*s && strcmp(s, "-") != 0)
			v[(*n)++] = s;
		s = p;
	}
}

static int
ticker_line(struct dict_companies *dc, char **f, size_t nf, char *err,
    size_t errlen)
{
	const char *al[64];
	size_t nal = 0, idx;
	unsigned flags = 0;
	const char *fl;
	struct dict_company *co;
	int existed;

	if (nf < 3 || !valid_ticker(util_trim(f[0])) ||
	    dash_null(util_trim(f[2])) == NULL) {
		util_seterr(err, errlen, "expected TICKER<TAB>EXCHANGE<TAB>"
		    "NAME[<TAB>ALIASES<TAB>FLAGS<TAB>SECTOR<TAB>MCAP]");
		return -1;
	}
	if (nf > 3)
		split_aliases(f[3], al, &nal, UTIL_ARRAY_LEN(al));
	fl = nf > 4 ? dash_null(util_trim(f[4])) : NULL;
	for (; fl && *fl; fl++) {
		switch (*fl) {
		case 'w': flags |= DICT_F_WORD; break;
		case 'c': flags |= DICT_F_COMMON; break;
		case 'i': flags |= DICT_F_IMPORTED | DICT_F_WORD; break;
		case '-': case ' ': break;
		default:
			util_seterr(err, errlen, "unknown flag '%c' (w, c, i)",
			    *fl);
			return -1;
		}
	}
	existed = dict_find_ticker(dc, f[0], strlen(f[0])) >= 0;
	idx = dict_add_company(dc, f[0], f[2], al, nal, flags);
	co = &dc->v[idx];
	if (existed)
		return 0;	/* a later file only adds aliases */
	co->exchange = dc_strdup(dc, dash_null(util_trim(f[1])));
	if (nf > 5)
		co->sector = dc_strdup(dc, dash_null(util_trim(f[5])));
	if (nf > 6 && dash_null(util_trim(f[6]))) {
		double m;

		if (util_parse_double(f[6], 0, 1e6, &m) < 0) {
			util_seterr(err, errlen, "bad market cap '%s'", f[6]);
			return -1;
		}
		co->mcap = m;
	}
	return 0;
}

int
dict_load_tickers(struct dict_companies *dc, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	return each_line(dc, name, text, len, 8, ticker_line, err, errlen);
}

static int
private_line(struct dict_companies *dc, char **f, size_t nf, char *err,
    size_t errlen)
{
	const char *al[64];
	size_t nal = 0, idx;
	const char *name = util_trim(f[0]);

	if (dash_null(name) == NULL) {
		util_seterr(err, errlen,
		    "expected NAME<TAB>ALIASES<TAB>SECTOR<TAB>NOTE");
		return -1;
	}
	if (nf > 1)
		split_aliases(f[1], al, &nal, UTIL_ARRAY_LEN(al));
	idx = dict_add_company(dc, NULL, name, al, nal, DICT_F_PRIVATE);
	if (nf > 2 && dc->v[idx].sector == NULL)
		dc->v[idx].sector = dc_strdup(dc, dash_null(util_trim(f[2])));
	return 0;
}

int
dict_load_private(struct dict_companies *dc, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	return each_line(dc, name, text, len, 5, private_line, err, errlen);
}

/* ---- short names ---- */

static const char *const legal_suffixes[] = {
	"inc", "incorporated", "corp", "corporation", "co", "company", "cos",
	"ltd", "limited", "plc", "llc", "lp", "l.p", "nv", "n.v", "sa", "s.a",
	"ag", "se", "spa", "s.p.a", "ab", "asa", "oyj", "as", "a/s", "kk",
	"holdings", "holding", "group", "trust", "bancorp", "de", "/de",
	"/de/", "/md/", "/new/", "new", "the", "class", "a", "b", "c",
	"ordinary", "shares", "adr", "ads", "reit", "&", "and", "etf", "fund",
	"com",
	"technologies", "international", "intl", "industries",
};

static int
is_suffix_word(const char *w, size_t n)
{
	size_t i;
	char buf[32];

	while (n > 0 && (w[n - 1] == '.' || w[n - 1] == ','))
		n--;
	if (n == 0)
		return 1;
	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, w, n);
	buf[n] = '\0';
	for (i = 0; i < UTIL_ARRAY_LEN(legal_suffixes); i++)
		if (util_strcasecmp(buf, legal_suffixes[i]) == 0)
			return 1;
	return 0;
}

size_t
dict_short_name(const char *title, char *buf, size_t bufsize)
{
	const char *w[32];
	size_t wl[32], nw = 0, i, len = 0, keep;
	const char *p = title;
	int allcaps = 1, has_lower = 0;

	if (bufsize == 0)
		return 0;
	buf[0] = '\0';
	while (*p && nw < UTIL_ARRAY_LEN(w)) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		w[nw] = p;
		while (*p && *p != ' ' && *p != ',')
			p++;
		wl[nw] = (size_t)(p - w[nw]);
		nw++;
	}
	/* Drop a leading "The" and trailing legal words; keep one word. */
	i = 0;
	if (nw > 1 && wl[0] == 3 && util_strncasecmp(w[0], "the", 3) == 0)
		i = 1;
	keep = nw;
	while (keep > i + 1 && is_suffix_word(w[keep - 1], wl[keep - 1]))
		keep--;
	for (p = title; *p; p++) {
		if (islower((unsigned char)*p))
			has_lower = 1;
	}
	allcaps = !has_lower;
	for (; i < keep; i++) {
		size_t n = wl[i], k;

		while (n > 0 && (w[i][n - 1] == ',' ))
			n--;
		if (len + n + 2 >= bufsize)
			break;
		if (len)
			buf[len++] = ' ';
		for (k = 0; k < n; k++) {
			char c = w[i][k];

			/* ALL-CAPS titles become "Title Case". */
			if (allcaps && k > 0 && isalpha((unsigned char)c) &&
			    isalpha((unsigned char)w[i][k - 1]))
				c = (char)tolower((unsigned char)c);
			buf[len++] = c;
		}
	}
	while (len > 0 && (buf[len - 1] == '.' || buf[len - 1] == ',' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '/'))
		len--;
	buf[len] = '\0';
	return len;
}

/* ---- company_tickers.json ---- */

struct jr {
	const char *p, *end;
	int depth;
};

static void
jr_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static void
put_utf8(struct strbuf *sb, unsigned long c)
{
	if (c < 0x80)
		strbuf_addc(sb, (char)c);
	else if (c < 0x800) {
		strbuf_addc(sb, (char)(0xc0 | (c >> 6)));
		strbuf_addc(sb, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		strbuf_addc(sb, (char)(0xe0 | (c >> 12)));
		strbuf_addc(sb, (char)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_addc(sb, (char)(0x80 | (c & 0x3f)));
	} else {
		strbuf_addc(sb, (char)(0xf0 | (c >> 18)));
		strbuf_addc(sb, (char)(0x80 | ((c >> 12) & 0x3f)));
		strbuf_addc(sb, (char)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_addc(sb, (char)(0x80 | (c & 0x3f)));
	}
}

static int
jr_hex4(struct jr *j, unsigned long *out)
{
	unsigned long v = 0;
	int i;

	if (j->end - j->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = *j->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned long)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A string at j->p (the opening quote) into sb (may be NULL: skip). */
static int
jr_string(struct jr *j, struct strbuf *sb)
{
	unsigned long c, lo;

	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end) {
		char ch = *j->p++;

		if (ch == '"')
			return 0;
		if (ch != '\\') {
			if ((unsigned char)ch < 0x20)
				continue;	/* control chars dropped */
			if (sb)
				strbuf_addc(sb, ch);
			continue;
		}
		if (j->p >= j->end)
			return -1;
		ch = *j->p++;
		switch (ch) {
		case 'n': case 't': case 'r': case 'b': case 'f':
			c = ' ';
			break;
		case 'u':
			if (jr_hex4(j, &c) < 0)
				return -1;
			if (c >= 0xd800 && c < 0xdc00 && j->end - j->p >= 6 &&
			    j->p[0] == '\\' && j->p[1] == 'u') {
				j->p += 2;
				if (jr_hex4(j, &lo) < 0)
					return -1;
				if (lo >= 0xdc00 && lo < 0xe000)
					c = 0x10000 + ((c - 0xd800) << 10) +
					    (lo - 0xdc00);
				else
					c = 0xfffd;
			} else if (c >= 0xd800 && c < 0xe000)
				c = 0xfffd;
			if (c < 0x20)
				c = ' ';
			break;
		default:
			c = (unsigned char)ch;
		}
		if (sb)
			put_utf8(sb, c);
	}
	return -1;
}

static int jr_value(struct jr *j, struct strbuf *sb);

/* A scalar (number or literal) into sb as its text. */
static int
jr_scalar(struct jr *j, struct strbuf *sb)
{
	const char *s = j->p;

	while (j->p < j->end && (isalnum((unsigned char)*j->p) ||
	    *j->p == '-' || *j->p == '+' || *j->p == '.'))
		j->p++;
	if (j->p == s)
		return -1;
	if (sb)
		strbuf_add(sb, s, (size_t)(j->p - s));
	return 0;
}

static int
jr_skip_container(struct jr *j)
{
	char close = *j->p == '{' ? '}' : ']';
	int obj = close == '}';

	if (++j->depth > 64)
		return -1;
	j->p++;
	jr_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;;) {
		jr_ws(j);
		if (obj) {
			if (jr_string(j, NULL) < 0)
				return -1;
			jr_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return -1;
			jr_ws(j);
		}
		if (jr_value(j, NULL) < 0)
			return -1;
		jr_ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p++ != close)
			return -1;
		j->depth--;
		return 0;
	}
}

static int
jr_value(struct jr *j, struct strbuf *sb)
{
	jr_ws(j);
	if (j->p >= j->end)
		return -1;
	if (*j->p == '"')
		return jr_string(j, sb);
	if (*j->p == '{' || *j->p == '[')
		return jr_skip_container(j);
	return jr_scalar(j, sb);
}

static int
all_lower_word(const char *s)
{
	for (; *s; s++)
		if (!isalpha((unsigned char)*s))
			return 0;
	return 1;
}

/* Words that are also company short names and raise false alarms. */
static const char *const common_words[] = {
	"about", "above", "access", "act", "action", "active", "advance",
	"agree", "air", "alpha", "amber", "anchor", "apple", "arch", "arrow",
	"art", "ascent", "atlas", "avid", "axis", "bank", "beacon", "best",
	"big", "block", "bloom", "blue", "boot", "box", "bright", "build",
	"cable", "calm", "camp", "capital", "care", "carbon", "carter",
	"cash", "central", "century", "chase", "choice", "circle", "city",
	"civic", "clean", "clear", "cloud", "coast", "code", "compass",
	"core", "crown", "cube", "data", "delta", "digital", "direct",
	"domain", "dream", "eagle", "echo", "edge", "element", "energy",
	"enterprise", "equity", "evolve", "express", "factor", "fidelity",
	"first", "flex", "focus", "ford", "forward", "frontier", "fusion",
	"gap", "general", "genius", "global", "gold", "good", "green",
	"grid", "growth", "guard", "harbor", "harmony", "health", "heritage",
	"home", "horizon", "hub", "icon", "impact", "independence",
	"infinity", "insight", "inspire", "integrity", "kind", "legacy",
	"liberty", "life", "light", "link", "live", "lumen", "magic",
	"main", "matrix", "merit", "meta", "motion", "national", "nature",
	"navigator", "network", "new", "next", "noble", "north", "nova",
	"oak", "ocean", "omega", "one", "open", "optimum", "oracle", "orbit",
	"origin", "pacific", "park", "peak", "people", "pilgrim", "pioneer",
	"pinnacle", "planet", "play", "point", "power", "premier", "prime",
	"progressive", "prospect", "pulse", "pure", "quest", "radius",
	"range", "rapid", "reliance", "republic", "rise", "river", "rock",
	"root", "royal", "safe", "select", "sentinel", "shift", "signal",
	"simple", "smart", "snap", "solar", "sonic", "southern", "spark",
	"sphere", "spirit", "square", "standard", "star", "state", "steel",
	"sterling", "stride", "summit", "sun", "superior", "target", "titan",
	"total", "tower", "trade", "travel", "trust", "union", "unity",
	"united", "universal", "urban", "value", "vector", "venture",
	"vertex", "victory", "vision", "visa", "vista", "vital", "wave",
	"west", "western", "wing", "wise", "world", "zoom",
};

static int
is_common_word(const char *w)
{
	size_t i;

	if (!all_lower_word(w))
		return 0;
	for (i = 0; i < UTIL_ARRAY_LEN(common_words); i++)
		if (util_strcasecmp(w, common_words[i]) == 0)
			return 1;
	return 0;
}

/* Write one imported company; returns 0 written, -1 skipped. */
static int
emit_import(struct strbuf *out, const char *ticker, const char *title,
    const char *exchange)
{
	char shortn[128], *sp;
	size_t i, words = 1, common = 0, n;
	const char *flags = "i";

	if (!valid_ticker(ticker) || *title == '\0' || strlen(title) > 120)
		return -1;
	for (i = 0; title[i]; i++)
		if (title[i] == '\t' || title[i] == '|' || title[i] == '\n')
			return -1;
	n = dict_short_name(title, shortn, sizeof(shortn));
	/* How many of the short name's words are ordinary words? */
	if (n > 0) {
		char tmp[128];
		char *w, *save;

		util_strlcpy(tmp, shortn, sizeof(tmp));
		words = 0;
		for (w = tmp; w && *w; w = save) {
			save = strchr(w, ' ');
			if (save)
				*save++ = '\0';
			words++;
			if (is_common_word(w))
				common++;
		}
	}
	strbuf_adds(out, ticker);
	strbuf_addc(out, '\t');
	if (exchange != NULL && *exchange && strlen(exchange) < 32 &&
	    strpbrk(exchange, "\t\n|") == NULL)
		strbuf_adds(out, exchange);
	else
		strbuf_addc(out, '-');
	strbuf_addc(out, '\t');
	strbuf_adds(out, n > 0 ? shortn : title);
	strbuf_addc(out, '\t');
	strbuf_adds(out, title);
	sp = shortn;
	if (n >= 3 && strcmp(shortn, title) != 0 &&
	    !(words == 1 && common == 1)) {
		strbuf_addc(out, '|');
		strbuf_adds(out, sp);
	}
	if (n > 0 && common == words)
		flags = "ic";
	strbuf_addf(out, "\t%s\t-\t-\n", flags);
	return 0;
}

/* The "fields" array: which columns hold name, ticker and exchange. */
static int
table_fields(struct jr *j, int col[3])
{
	struct strbuf f;
	int i = 0, rc = -1;

	strbuf_init(&f);
	col[0] = col[1] = col[2] = -1;
	j->p++;
	for (;;) {
		jr_ws(j);
		if (j->p < j->end && *j->p == ']' && i == 0) {
			j->p++;
			break;
		}
		strbuf_reset(&f);
		if (jr_value(j, &f) < 0)
			goto out;
		if (f.len && (strcmp(f.buf, "name") == 0 ||
		    strcmp(f.buf, "title") == 0))
			col[0] = i;
		else if (f.len && strcmp(f.buf, "ticker") == 0)
			col[1] = i;
		else if (f.len && strcmp(f.buf, "exchange") == 0)
			col[2] = i;
		i++;
		jr_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p >= j->end || *j->p++ != ']')
			goto out;
		break;
	}
	rc = col[0] >= 0 && col[1] >= 0 ? 0 : -1;
out:
	strbuf_done(&f);
	return rc;
}

/* The "data" array of rows; writes each company like emit_import(). */
static int
table_rows(struct jr *j, const int col[3], struct strbuf *out,
    size_t *n_out, size_t *n_skipped)
{
	struct strbuf v[3], tmp;
	int rc = -1, i, k;

	for (k = 0; k < 3; k++)
		strbuf_init(&v[k]);
	strbuf_init(&tmp);
	j->p++;
	jr_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		rc = 0;
		goto out;
	}
	for (;;) {
		jr_ws(j);
		if (j->p >= j->end)
			goto out;
		if (*j->p != '[') {
			if (jr_value(j, NULL) < 0)
				goto out;
			(*n_skipped)++;
		} else {
			for (k = 0; k < 3; k++)
				strbuf_reset(&v[k]);
			j->p++;
			for (i = 0;; i++) {
				struct strbuf *dst = &tmp;

				jr_ws(j);
				if (i == 0 && j->p < j->end && *j->p == ']')
					break;
				for (k = 0; k < 3; k++)
					if (col[k] == i)
						dst = &v[k];
				strbuf_reset(&tmp);
				if (jr_value(j, dst) < 0)
					goto out;
				jr_ws(j);
				if (j->p < j->end && *j->p == ',') {
					j->p++;
					continue;
				}
				if (j->p >= j->end || *j->p != ']')
					goto out;
				break;
			}
			j->p++;
			if (v[0].len && v[1].len) {
				util_trim(v[0].buf);
				util_trim(v[1].buf);
			}
			if (v[0].len && v[1].len && emit_import(out, v[1].buf,
			    v[0].buf, v[2].len && strcmp(v[2].buf, "null") != 0 ?
			    v[2].buf : NULL) == 0)
				(*n_out)++;
			else
				(*n_skipped)++;
		}
		jr_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p >= j->end || *j->p++ != ']')
			goto out;
		break;
	}
	rc = 0;
out:
	for (k = 0; k < 3; k++)
		strbuf_done(&v[k]);
	strbuf_done(&tmp);
	return rc;
}

int
dict_import_sec_json(const char *json, size_t len, struct strbuf *out,
    size_t *n_out, size_t *n_skipped, char *err, size_t errlen)
{
	struct jr j = { json, json + len, 0 };
	struct strbuf key, val, ticker, title;
	/* columns of name, ticker, exchange in the table shape */
	int col[3] = { 1, 2, 3 };
	char close;
	int rc = -1;

	*n_out = *n_skipped = 0;
	strbuf_init(&key);
	strbuf_init(&val);
	strbuf_init(&ticker);
	strbuf_init(&title);
	jr_ws(&j);
	if (j.p >= j.end || (*j.p != '{' && *j.p != '[')) {
		util_seterr(err, errlen, "expected a JSON object of companies");
		goto out;
	}
	close = *j.p == '{' ? '}' : ']';
	j.p++;
	for (;;) {
		jr_ws(&j);
		if (j.p < j.end && *j.p == close)
			break;
		if (close == '}') {
			strbuf_reset(&key);
			if (jr_string(&j, &key) < 0)
				goto bad;
			jr_ws(&j);
			if (j.p >= j.end || *j.p++ != ':')
				goto bad;
			jr_ws(&j);
		}
		if (close == '}' && j.p < j.end && *j.p == '[' &&
		    (strcmp(key.buf, "fields") == 0 ||
		    strcmp(key.buf, "data") == 0)) {
			/* company_tickers_exchange.json: {"fields": [...],
			 * "data": [[cik, name, ticker, exchange], ...]} */
			if (strcmp(key.buf, "fields") == 0) {
				if (table_fields(&j, col) < 0)
					goto bad;
			} else if (table_rows(&j, col, out, n_out,
			    n_skipped) < 0)
				goto bad;
		} else if (j.p < j.end && *j.p == '{') {
			/* One company: pick ticker and title. */
			strbuf_reset(&ticker);
			strbuf_reset(&title);
			j.p++;
			for (;;) {
				jr_ws(&j);
				if (j.p < j.end && *j.p == '}') {
					j.p++;
					break;
				}
				strbuf_reset(&key);
				strbuf_reset(&val);
				if (jr_string(&j, &key) < 0)
					goto bad;
				jr_ws(&j);
				if (j.p >= j.end || *j.p++ != ':')
					goto bad;
				if (jr_value(&j, &val) < 0)
					goto bad;
				if (strcmp(key.buf, "ticker") == 0)
					strbuf_add(&ticker, val.buf, val.len);
				else if (strcmp(key.buf, "title") == 0 ||
				    strcmp(key.buf, "name") == 0)
					strbuf_add(&title, val.buf, val.len);
				jr_ws(&j);
				if (j.p < j.end && *j.p == ',')
					j.p++;
				else if (j.p >= j.end || *j.p != '}')
					goto bad;
			}
			util_trim(ticker.buf);
			util_trim(title.buf);
			if (emit_import(out, ticker.buf, title.buf, NULL) == 0)
				(*n_out)++;
			else
				(*n_skipped)++;
		} else {
			if (jr_value(&j, NULL) < 0)
				goto bad;
			(*n_skipped)++;
		}
		jr_ws(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p < j.end && *j.p == close)
			break;
		goto bad;
	}
	rc = 0;
	goto out;
bad:
	util_seterr(err, errlen, "malformed JSON near byte %zu",
	    (size_t)(j.p - json));
out:
	strbuf_done(&key);
	strbuf_done(&val);
	strbuf_done(&ticker);
	strbuf_done(&title);
	return rc;
}

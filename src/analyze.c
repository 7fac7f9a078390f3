/*
 * analyze.c - the headline analyzer: entities and tickers, sentiment,
 * event, categories, impact and the analysis text.
 *
 * analyze_new() loads the rule data (data/tickers.tsv, private.tsv,
 * lexicon.tsv, events.tsv, taxonomy.tsv from data_dir when present, else
 * the embedded copies; the user's imported tickers-user.tsv; feeds.conf
 * tickers and categories) and puts every company alias, lexicon phrase,
 * event phrase and category keyword into ONE Aho-Corasick automaton
 * (dict.c) whose payloads say which family a pattern belongs to.
 *
 * analyze_text() then works on at most two segments, the title and the
 * summary (each capped and copied, NUL-terminated and padded, into a work
 * area on the stack), and for each:
 *   1. tokenises once (where tokens end and clauses start, for
 *      proximity), driving the amount scanner only where an amount can
 *      start (see impact_amounts_at()); plain lower-case and capitalised
 *      words take a fast path that reads eight bytes at a time;
 *   2. scans the automaton once; dict_scan_words() drops the matches
 *      that are not whole words, and the rest are sorted into name,
 *      lexicon, event and category hits;
 *   3. scans for symbols: cashtags ($AMZN, $BRK.B), exchange-qualified
 *      symbols (NASDAQ: AMZN, (NYSE:IBM)) and bare upper-case symbols of
 *      companies whose symbol is not an ordinary word.
 * Then it resolves entities (case and context rules for names that are
 * ordinary words, roles, dedupe), scores sentiment (sentiment.c), picks the
 * event, scores categories, computes the impact (impact.c) and writes the
 * analysis text with plain appends into one strbuf.  Nothing allocates
 * per item except the analysis string, and the context words of the
 * ordinary-word rules are looked up in one hash table.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "dict.h"
#include "embed.h"
#include "impact.h"
#include "sentiment.h"
#include "strbuf.h"
#include "util.h"

#define CUE_METRIC 0x80000000U

enum { K_NAME = 1, K_LEX = 2, K_EVENT = 3, K_CAT = 4 };

/* The lexicon phrases a signed percentage after a name stands for. */
#define MOVE_UP		"share price up"
#define MOVE_DOWN	"share price down"

enum {
	TITLE_MAX = 1024,	/* bytes of the title analysed */
	SUMMARY_MAX = 4096,	/* bytes of the summary analysed */
	MAX_OCC = 96,		/* entity occurrences per item */
	MAX_LEX = 192,		/* lexicon hits per item */
	MAX_EVHITS = 32,
	MAX_CATHITS = 96,
	CAT_THRESHOLD_X2 = 4	/* category score >= 2.0 (kept doubled) */
};

enum {
	COMMON_NO,		/* a name: counts as written */
	COMMON_WORD,		/* an ordinary word: needs company context */
	COMMON_ACRONYM		/* "BP", "GM": counts unless the context
				 * says it is something else */
};

struct alias {
	uint32_t company;
	uint8_t common;		/* COMMON_* */
};

enum { CR_KW, CR_SECTOR, CR_EVENT, CR_PRIVATE };

struct catrule {
	uint16_t cat;
	uint8_t kind;
	uint8_t weight2;	/* weight x 2 */
	char *value;		/* sector or event name for non-keyword rules */
	long event;		/* CR_EVENT: the event's index, or -1 */
	int sector;		/* CR_SECTOR: the sector number, or -1 */
};

/*
 * The rules that are not keywords, filed by what they need: an event's
 * rules under its index, a sector's under its number, so that an item
 * looks only at the rules its event and sectors name.
 */
struct hint {
	uint16_t cat;
	uint8_t weight2;
};

struct hint_index {
	uint32_t *at;		/* key k: hints at[k] .. at[k + 1] - 1 */
	struct hint *v;
	size_t nkeys;
};

/* One word of the context lists (block_before[] and others below). */
struct listword {
	const char *w;		/* NULL: empty slot */
	uint8_t len;
	uint16_t sets;		/* WL_* */
};

enum {
	WL_BLOCK_BEFORE = 1, WL_BLOCK_AFTER = 2, WL_CORP_AFTER = 4,
	WL_CORP_VERBS = 8, WL_CORP_VERBS_PLURAL = 16, WL_US_STATES = 32,
	WL_RATING = 64, WL_RATING_ACTION = 128, WL_RATING_WEAK = 256,
	WL_ANALYST_VERB = 512, WL_RATING_PART = 1024
};

struct analyze_ctx {
	struct dict *ac;
	struct dict_companies *co;
	struct sentiment_lex *lex;
	struct impact_events *ev;
	struct alias *aliases;
	size_t n_aliases, cap_aliases;
	char (*cats)[ITEM_CATEGORY_LEN];
	size_t n_cats, cap_cats;
	struct catrule *rules;
	size_t n_rules, cap_rules;
	uint32_t *hints;	/* the rules that are not keywords */
	size_t n_hints, cap_hints;
	struct hint_index ev_hints;	/* CR_EVENT rules by event */
	struct hint_index sec_hints;	/* CR_SECTOR rules by sector */
	struct hint_index priv_hints;	/* CR_PRIVATE rules, one key */
	unsigned char *bare_ok;		/* per company: bare symbol allowed */
	uint8_t *lex_cls;		/* per lexicon entry: its class */
	struct listword *wl;		/* context words: hash of WL_* sets */
	size_t wl_mask;
	size_t n_lex_cls;
	int16_t *co_sector;		/* per company: sector number, -1 */
	long ev_routine;		/* the "routine" event, or -1 */
	long ev_opinion;		/* the "opinion" event, or -1 */
	long ev_analyst;		/* the "analyst" event, or -1 */
	/* The lexicon entries a signed move ("AMD +1.3%") counts as, or
	 * UINT32_MAX when the lexicon has no such phrase. */
	uint32_t lex_move_up, lex_move_down;
	double build_ms;
};

/* ---- loading ---- */

static int
load_file(const char *data_dir, const char *file, char **buf, size_t *len,
    char *err, size_t errlen)
{
	char path[4096];
	const char *e;

	*buf = NULL;
	if (data_dir != NULL && *data_dir) {
		snprintf(path, sizeof(path), "%s/%s", data_dir, file);
		if (util_read_file(path, 64u << 20, buf, len, err, errlen) == 0)
			return 0;
	}
	snprintf(path, sizeof(path), "data/%s", file);
	e = embed_get(path, len);
	if (e == NULL) {
		static const char empty[] = "";

		*len = 0;
		*buf = xstrdup(empty);
		return 0;
	}
	*buf = xstrndup(e, *len);
	return 0;
}

static size_t
add_category(struct analyze_ctx *ctx, const char *name)
{
	size_t i;

	for (i = 0; i < ctx->n_cats; i++)
		if (util_strcasecmp(ctx->cats[i], name) == 0)
			return i;
	ctx->cats = xreallocarray_grow(ctx->cats, &ctx->cap_cats,
	    ctx->n_cats + 1, sizeof(*ctx->cats));
	/* zero-padded: score_categories() copies the whole array */
	memset(ctx->cats[ctx->n_cats], 0, sizeof(*ctx->cats));
	util_strlcpy(ctx->cats[ctx->n_cats], name, ITEM_CATEGORY_LEN);
	return ctx->n_cats++;
}

static void
add_rule(struct analyze_ctx *ctx, size_t cat, int kind, double weight,
    const char *value)
{
	struct catrule *r;

	ctx->rules = xreallocarray_grow(ctx->rules, &ctx->cap_rules,
	    ctx->n_rules + 1, sizeof(*ctx->rules));
	r = &ctx->rules[ctx->n_rules];
	r->cat = (uint16_t)cat;
	r->kind = (uint8_t)kind;
	weight *= 2;
	r->weight2 = (uint8_t)(weight < 0 ? 0 : weight > 20 ? 20 : weight);
	r->value = value ? xstrdup(value) : NULL;
	r->event = kind == CR_EVENT && value ?
	    impact_event_find(ctx->ev, value) : -1;
	if (kind != CR_KW) {
		ctx->hints = xreallocarray_grow(ctx->hints, &ctx->cap_hints,
		    ctx->n_hints + 1, sizeof(*ctx->hints));
		ctx->hints[ctx->n_hints++] = (uint32_t)ctx->n_rules;
	}
	if (kind == CR_KW && value != NULL) {
		size_t l = strlen(value);
		int prefix = 0;

		if (l > 1 && value[l - 1] == '*') {
			prefix = 1;
			l--;
		}
		dict_add(ctx->ac, value, l, DICT_PAYLOAD(K_CAT, prefix,
		    ctx->n_rules));
	}
	ctx->n_rules++;
}

static int
load_taxonomy(struct analyze_ctx *ctx, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct util_lines r;
	char *line;
	int rc = -1;

	util_lines_init(&r, text, len);
	while ((line = util_lines_next(&r)) != NULL) {
		char *f[4] = { 0 }, *s, *t;
		size_t nf = util_tsv_split(line, f, 4, 1);
		double w = 1;
		size_t cat;
		int kind;

		kind = nf < 3 ? -1 : strcmp(f[1], "kw") == 0 ? CR_KW :
		    strcmp(f[1], "sector") == 0 ? CR_SECTOR :
		    strcmp(f[1], "event") == 0 ? CR_EVENT :
		    strcmp(f[1], "private") == 0 ? CR_PRIVATE : -1;
		if (kind < 0 || f[0][0] == '\0' ||
		    strlen(f[0]) >= ITEM_CATEGORY_LEN ||
		    (nf == 4 && util_parse_double(f[3], 0, 10, &w) < 0)) {
			util_seterr(err, errlen, "%s:%zu: expected CATEGORY"
			    "<TAB>kw|sector|event|private<TAB>VALUE[|VALUE...]"
			    "[<TAB>WEIGHT]", name, r.lineno);
			goto out;
		}
		cat = add_category(ctx, f[0]);
		for (s = f[2]; s; s = t) {
			t = strchr(s, '|');
			if (t)
				*t++ = '\0';
			s = util_trim(s);
			if (*s)
				add_rule(ctx, cat, kind, w, s);
		}
	}
	rc = 0;
out:
	util_lines_free(&r);
	return rc;
}

static void
add_alias_pattern(struct analyze_ctx *ctx, const char *a, uint32_t company,
    int common, unsigned co_flags)
{
	size_t l = strlen(a);
	const char *q;

	if (l < 2)
		return;
	if (common == COMMON_NO && (co_flags & DICT_F_COMMON) && l <= 3 &&
	    isupper((unsigned char)a[0]) && isupper((unsigned char)a[1]) &&
	    (l == 2 || isupper((unsigned char)a[2])))
		common = COMMON_ACRONYM;
	ctx->aliases = xreallocarray_grow(ctx->aliases, &ctx->cap_aliases,
	    ctx->n_aliases + 1, sizeof(*ctx->aliases));
	ctx->aliases[ctx->n_aliases].company = company;
	ctx->aliases[ctx->n_aliases].common = (uint8_t)common;
	dict_add(ctx->ac, a, l, DICT_PAYLOAD(K_NAME, 0, ctx->n_aliases));
	/* "McDonald's" is also written with a typographic apostrophe. */
	if ((q = strchr(a, '\'')) != NULL && l < 200) {
		char alt[256];
		size_t k = 0;

		for (q = a; *q; q++) {
			if (*q == '\'') {
				alt[k++] = (char)0xe2;
				alt[k++] = (char)0x80;
				alt[k++] = (char)0x99;
			} else
				alt[k++] = *q;
		}
		dict_add(ctx->ac, alt, k, DICT_PAYLOAD(K_NAME, 0,
		    ctx->n_aliases));
	}
	/*
	 * "AbbVie", "PayPal", "FedEx", "eBay" are often written "Abbvie",
	 * "Paypal", "Fedex", "Ebay": one word whose inner capitals are
	 * its own also counts with a capital first letter only.  Not for
	 * names that are ordinary words, which need their exact case.
	 */
	if (common == COMMON_NO && l >= 4 && l < 64) {
		char alt[64];
		size_t k, inner = 0;

		for (k = 0; k < l && isalpha((unsigned char)a[k]); k++)
			if (k > 0 && isupper((unsigned char)a[k]) &&
			    islower((unsigned char)a[k - 1]))
				inner++;
		if (k == l && inner > 0) {
			alt[0] = (char)toupper((unsigned char)a[0]);
			for (k = 1; k < l; k++)
				alt[k] = (char)tolower((unsigned char)a[k]);
			dict_add(ctx->ac, alt, l, DICT_PAYLOAD(K_NAME, 0,
			    ctx->n_aliases));
		}
	}
	ctx->n_aliases++;
}

/*
 * Sectors as numbers (case-insensitive names), so that the per-item
 * category rules compare integers.
 */
static void
number_sectors(struct analyze_ctx *ctx)
{
	size_t n = dict_companies_count(ctx->co), i, k, nnames = 0, cap = 0;
	const char **names = NULL;

	ctx->co_sector = xcalloc(n ? n : 1, sizeof(*ctx->co_sector));
	for (i = 0; i < n + ctx->n_rules; i++) {
		const char *sec;
		int id = -1;

		if (i < n)
			sec = dict_company(ctx->co, i)->sector;
		else
			sec = ctx->rules[i - n].kind == CR_SECTOR ?
			    ctx->rules[i - n].value : NULL;
		if (sec != NULL) {
			for (k = 0; k < nnames; k++)
				if (util_strcasecmp(names[k], sec) == 0)
					break;
			if (k == nnames) {
				names = xreallocarray_grow(names, &cap,
				    nnames + 1, sizeof(*names));
				names[nnames++] = sec;
			}
			id = (int)k;
		}
		if (i < n)
			ctx->co_sector[i] = (int16_t)(id > INT16_MAX ? -1 : id);
		else
			ctx->rules[i - n].sector = id;
	}
	free(names);
}

/* The key of hint rule r in the index of its kind, or -1 for none. */
static long
hint_key(const struct catrule *r, int kind)
{
	if (r->kind != kind)
		return -1;
	return kind == CR_EVENT ? r->event : kind == CR_SECTOR ?
	    (long)r->sector : 0;
}

/*
 * File the hint rules of one kind by key (counting, then placing), in
 * rule order within a key.  Rules of categories beyond the 64 that
 * score_categories() counts are left out, as it would skip them.
 */
static void
index_hints(struct analyze_ctx *ctx, int kind, struct hint_index *x)
{
	size_t i, nh = 0, ncat = ctx->n_cats < 64 ? ctx->n_cats : 64;
	long k;

	x->nkeys = 0;
	for (i = 0; i < ctx->n_hints; i++) {
		const struct catrule *r = &ctx->rules[ctx->hints[i]];

		if ((k = hint_key(r, kind)) >= 0 && r->cat < ncat) {
			if ((size_t)k + 1 > x->nkeys)
				x->nkeys = (size_t)k + 1;
			nh++;
		}
	}
	x->at = xcalloc(x->nkeys + 2, sizeof(*x->at));
	x->v = xcalloc(nh ? nh : 1, sizeof(*x->v));
	for (i = 0; i < ctx->n_hints; i++) {
		const struct catrule *r = &ctx->rules[ctx->hints[i]];

		if ((k = hint_key(r, kind)) >= 0 && r->cat < ncat)
			x->at[k + 2]++;
	}
	for (i = 2; i < x->nkeys + 2; i++)
		x->at[i] += x->at[i - 1];
	/* at[k + 1] is now where key k starts: place, moving it on */
	for (i = 0; i < ctx->n_hints; i++) {
		const struct catrule *r = &ctx->rules[ctx->hints[i]];

		if ((k = hint_key(r, kind)) >= 0 && r->cat < ncat) {
			struct hint *h = &x->v[x->at[k + 1]++];

			h->cat = r->cat;
			h->weight2 = r->weight2;
		}
	}
}

static void
hint_index_free(struct hint_index *x)
{
	free(x->at);
	free(x->v);
}

static void build_word_lists(struct analyze_ctx *ctx);

char *
analyze_user_dict_path(void)
{
	char *dir = util_xdg_dir("XDG_DATA_HOME", ".local/share"), *p;

	if (dir == NULL)
		return NULL;
	p = xasprintf("%s/deskwire/tickers-user.tsv", dir);
	free(dir);
	return p;
}

struct analyze_ctx *
analyze_new(const struct conf *c, const char *data_dir, char *err,
    size_t errlen)
{
	struct analyze_ctx *ctx = xcalloc(1, sizeof(*ctx));
	char *buf = NULL, *upath = NULL;
	size_t len, i, j, n;
	struct timespec ts0, ts1;

	clock_gettime(CLOCK_MONOTONIC, &ts0);
	ctx->ac = dict_new();
	ctx->co = dict_companies_new();
	ctx->lex = sentiment_lex_new();
	ctx->ev = impact_events_new();

	if (load_file(data_dir, "tickers.tsv", &buf, &len, err, errlen) < 0 ||
	    dict_load_tickers(ctx->co, "tickers.tsv", buf, len, err,
	    errlen) < 0)
		goto fail;
	free(buf);
	buf = NULL;
	if (load_file(data_dir, "private.tsv", &buf, &len, err, errlen) < 0 ||
	    dict_load_private(ctx->co, "private.tsv", buf, len, err,
	    errlen) < 0)
		goto fail;
	free(buf);
	buf = NULL;
	/* The user's imported dictionary: only adds, never fails hard. */
	upath = analyze_user_dict_path();
	if (upath != NULL && util_read_file(upath, 64u << 20, &buf, &len,
	    NULL, 0) == 0) {
		if (dict_load_tickers(ctx->co, upath, buf, len, err,
		    errlen) < 0)
			goto fail;
	}
	free(buf);
	buf = NULL;
	for (i = 0; c != NULL && i < c->n_tickers; i++) {
		const struct conf_ticker *t = &c->tickers[i];
		const char *nm = t->name ? t->name : t->ticker;

		if (nm == NULL)
			continue;
		dict_add_company(ctx->co, t->ticker, nm,
		    (const char *const *)t->aliases.v, t->aliases.n, 0);
	}

	if (load_file(data_dir, "lexicon.tsv", &buf, &len, err, errlen) < 0 ||
	    sentiment_lex_load(ctx->lex, ctx->ac, K_LEX, "lexicon.tsv", buf,
	    len, err, errlen) < 0)
		goto fail;
	free(buf);
	buf = NULL;
	if (load_file(data_dir, "events.tsv", &buf, &len, err, errlen) < 0 ||
	    impact_events_load(ctx->ev, ctx->ac, K_EVENT, "events.tsv", buf,
	    len, err, errlen) < 0)
		goto fail;
	free(buf);
	buf = NULL;
	ctx->ev_routine = impact_event_find(ctx->ev, "routine");
	ctx->ev_opinion = impact_event_find(ctx->ev, "opinion");
	ctx->ev_analyst = impact_event_find(ctx->ev, "analyst");
	if (load_file(data_dir, "taxonomy.tsv", &buf, &len, err, errlen) < 0 ||
	    load_taxonomy(ctx, "taxonomy.tsv", buf, len, err, errlen) < 0)
		goto fail;
	free(buf);
	buf = NULL;
	for (i = 0; c != NULL && i < c->n_categories; i++) {
		const struct conf_category *cc = &c->categories[i];
		size_t cat;

		if (cc->name == NULL || *cc->name == '\0')
			continue;
		cat = add_category(ctx, cc->name);
		for (j = 0; j < cc->keywords.n; j++)
			if (cc->keywords.v[j] && *cc->keywords.v[j])
				add_rule(ctx, cat, CR_KW, 1.0,
				    cc->keywords.v[j]);
	}

	/* Every alias of every company into the automaton. */
	n = dict_companies_count(ctx->co);
	ctx->bare_ok = xcalloc(n ? n : 1, 1);
	for (i = 0; i < n; i++) {
		const struct dict_company *co = dict_company(ctx->co, i);

		for (j = 0; j < co->n_aliases; j++)
			add_alias_pattern(ctx, co->aliases[j], (uint32_t)i,
			    dict_alias_is_common(co, co->aliases[j]) ?
			    COMMON_WORD : COMMON_NO, co->flags);
		ctx->bare_ok[i] = co->ticker != NULL &&
		    !(co->flags & (DICT_F_WORD | DICT_F_IMPORTED)) &&
		    strlen(co->ticker) >= 2;
	}
	/* Abbreviations that are never bare tickers ("AI", "CEO"). */
	for (i = 0; i < sentiment_lex_count(ctx->lex); i++) {
		const struct sentiment_entry *e =
		    sentiment_entry(ctx->lex, (uint32_t)i);
		long k;

		if (e->cls != SENT_NOTTICKER)
			continue;
		k = dict_find_ticker(ctx->co, e->phrase, strlen(e->phrase));
		if (k >= 0)
			ctx->bare_ok[k] = 0;
	}
	/* The class of each lexicon entry at hand for the scan. */
	ctx->n_lex_cls = sentiment_lex_count(ctx->lex);
	ctx->lex_cls = xcalloc(ctx->n_lex_cls ? ctx->n_lex_cls : 1, 1);
	ctx->lex_move_up = ctx->lex_move_down = UINT32_MAX;
	for (i = 0; i < ctx->n_lex_cls; i++) {
		const struct sentiment_entry *e = sentiment_entry(ctx->lex,
		    (uint32_t)i);

		ctx->lex_cls[i] = (uint8_t)e->cls;
		if (strcmp(e->phrase, MOVE_UP) == 0)
			ctx->lex_move_up = (uint32_t)i;
		else if (strcmp(e->phrase, MOVE_DOWN) == 0)
			ctx->lex_move_down = (uint32_t)i;
	}
	number_sectors(ctx);
	index_hints(ctx, CR_EVENT, &ctx->ev_hints);
	index_hints(ctx, CR_SECTOR, &ctx->sec_hints);
	index_hints(ctx, CR_PRIVATE, &ctx->priv_hints);
	build_word_lists(ctx);
	dict_build(ctx->ac);
	free(upath);
	clock_gettime(CLOCK_MONOTONIC, &ts1);
	ctx->build_ms = (double)(ts1.tv_sec - ts0.tv_sec) * 1e3 +
	    (double)(ts1.tv_nsec - ts0.tv_nsec) / 1e6;
	return ctx;
fail:
	free(buf);
	free(upath);
	analyze_free(ctx);
	return NULL;
}

void
analyze_free(struct analyze_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	dict_free(ctx->ac);
	dict_companies_free(ctx->co);
	sentiment_lex_free(ctx->lex);
	impact_events_free(ctx->ev);
	for (i = 0; i < ctx->n_rules; i++)
		free(ctx->rules[i].value);
	free(ctx->rules);
	free(ctx->hints);
	hint_index_free(&ctx->ev_hints);
	hint_index_free(&ctx->sec_hints);
	hint_index_free(&ctx->priv_hints);
	free(ctx->aliases);
	free(ctx->cats);
	free(ctx->bare_ok);
	free(ctx->lex_cls);
	free(ctx->wl);
	free(ctx->co_sector);
	free(ctx);
}

void
analyze_stats(const struct analyze_ctx *ctx, struct analyze_stats *st)
{
	size_t i, n = dict_companies_count(ctx->co);

	memset(st, 0, sizeof(*st));
	for (i = 0; i < n; i++) {
		const struct dict_company *co = dict_company(ctx->co, i);

		if (co->ticker == NULL)
			st->private_companies++;
		else
			st->tickers++;
		if (co->flags & DICT_F_IMPORTED)
			st->imported++;
		st->aliases += co->n_aliases;
	}
	st->patterns = dict_n_patterns(ctx->ac);
	st->states = dict_n_states(ctx->ac);
	st->lexicon = sentiment_lex_count(ctx->lex);
	st->events = impact_events_count(ctx->ev);
	st->categories = ctx->n_cats;
	st->category_rules = ctx->n_rules;
	st->memory = dict_memory(ctx->ac) + dict_companies_memory(ctx->co) +
	    ctx->cap_aliases * sizeof(*ctx->aliases) + n +
	    ctx->cap_rules * sizeof(*ctx->rules) + ctx->n_lex_cls +
	    (ctx->wl_mask + 1) * sizeof(*ctx->wl) +
	    n * sizeof(*ctx->co_sector);
	st->build_ms = ctx->build_ms;
}

/* ---- per item ---- */

struct occ {
	uint32_t company;
	uint32_t start, end;
	uint8_t seg;
	uint8_t explicit_sym;	/* cashtag, exchange-qualified, bare symbol */
	uint8_t common;		/* COMMON_* of the alias */
	uint8_t dead;
	uint8_t backer;		/* "Microsoft-backed": not the subject */
	int8_t ctx;		/* context verdict: -1 not it, 0 none, 1 it */
};

struct catrule_hit {
	uint32_t rule;
	uint32_t start;		/* byte offset in its segment */
	uint8_t seg;
};

struct evhit {
	uint32_t event;
	uint32_t start, end;
	uint8_t seg;
};

struct seg {
	const char *s;
	size_t len;
	int allcaps;
	int titlecase;
	uint16_t *tokend;	/* where each token ends (exclusive) */
	size_t ntok;
	uint16_t *clev;		/* where a new clause starts */
	size_t ncl;
};

struct work {
	const struct analyze_ctx *ctx;
	struct seg seg[2];
	size_t cur;		/* segment being scanned */
	size_t tok_hint, cl_hint;	/* for count_near() */
	struct occ occ[MAX_OCC];
	size_t n_occ;
	struct sentiment_hit lex[MAX_LEX];
	size_t n_lex;
	struct evhit ev[MAX_EVHITS];
	size_t n_ev;
	struct catrule_hit cat[MAX_CATHITS];
	size_t n_cat;
	uint32_t cuepos[2][16];	/* where company-context cue words start,
				 * | CUE_METRIC for metrics ("shares") */
	uint8_t n_cue[2];
	struct impact_amounts amounts;
	uint32_t ent_co[ITEM_MAX_ENTITIES];	/* company of each entity,
						 * UINT32_MAX for a cashtag
						 * not in the dictionary */
	struct {			/* symbols the dictionary does not know:
					 * cashtags (without '$') and "(NASDAQ:
					 * ACMR)", with the name before that */
		uint32_t start, end;
		uint32_t name_start, name_end;	/* equal: no name */
		uint8_t seg;
		uint8_t exchange;	/* 1: exchange-qualified */
	} unk[4];
	size_t n_unk;
	/* at most one token end and one clause start per byte */
	uint16_t tok_title[TITLE_MAX + 1], tok_summary[SUMMARY_MAX + 1];
	uint16_t cl_title[TITLE_MAX + 1], cl_summary[SUMMARY_MAX + 1];
	/* the segments' text, NUL-terminated at their capped length and
	 * padded with eight NULs, so that the tokenizer's inner loops need
	 * no bounds test and may read a word at a time */
	char title[TITLE_MAX + 9];
	char summary[SUMMARY_MAX + 9];
};

static inline int
upperc(unsigned char c)
{
	return util_ascii_class[c] == UTIL_CC_UPPER;
}

static inline int
lowerc(unsigned char c)
{
	return util_ascii_class[c] == UTIL_CC_LOWER;
}

static inline int
digitc(unsigned char c)
{
	return util_ascii_class[c] == UTIL_CC_DIGIT;
}

static inline int
alnumc(unsigned char c)
{
	return (util_ascii_class[c] & UTIL_CC_ALNUM) != 0;
}

static inline int
wordc(unsigned char c)
{
	return util_ascii_class[c] != 0;
}

/* How many of the n sorted offsets v[] are <= x. */
static inline size_t
count_le(const uint16_t *v, size_t n, size_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The same from the answer for a nearby offset (*hint): the scan reports
 * its matches in text order, so this is a step or two.
 */
static inline size_t
count_near(const uint16_t *v, size_t n, size_t x, size_t *hint)
{
	size_t j = *hint;

	while (j < n && v[j] <= x)
		j++;
	while (j > 0 && v[j - 1] > x)
		j--;
	*hint = j;
	return j;
}

/* The token number of byte x: the tokens that end at or before it (a
 * byte between words belongs to the next word). */
static inline unsigned
tok_at(const struct seg *sg, size_t x)
{
	return (unsigned)count_le(sg->tokend, sg->ntok, x);
}

/* The clause number of byte x. */
static inline unsigned
clause_at(const struct seg *sg, size_t x)
{
	return (unsigned)count_le(sg->clev, sg->ncl, x);
}

/* Is the word before byte s a sentence-initial "The"? */
static int
sentence_the(const struct seg *sg, size_t s)
{
	const char *p = sg->s;

	if (s < 4 || memcmp(p + s - 4, "The ", 4) != 0)
		return 0;
	s -= 4;
	while (s > 0 && p[s - 1] == ' ')
		s--;
	return s == 0 || p[s - 1] == '.' || p[s - 1] == ':' ||
	    p[s - 1] == '"';
}

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* A company name found by the scan (the rare kind: kept out of the
 * way of the frequent ones in on_match()). */
static NOINLINE void
on_name(struct work *w, const struct dict_match *m, uint32_t idx)
{
	const struct seg *sg = &w->seg[w->cur];
	const unsigned char *p = (const unsigned char *)sg->s;
	size_t s = m->start, e = m->start + m->len;
	const struct alias *al = &w->ctx->aliases[idx];
	size_t plen, k;
	const char *pat = dict_pattern(w->ctx->ac, m->pattern, &plen);
	int exact = memcmp(pat, p + s, plen) == 0, haslower = 0;

	if (!exact) {
		/* Case-insensitive only for all-caps text, and never for
		 * names that are ordinary words. */
		for (k = s; k < e; k++)
			if (islower(p[k]))
				haslower = 1;
		if (al->common || haslower || plen < 4)
			return;
		if (!sg->allcaps) {
			/* "NVIDIA" for "Nvidia" in normal text */
			int letters = 0;

			for (k = 0; k < plen; k++)
				if (isalpha((unsigned char)pat[k]))
					letters++;
			if (letters < 4)
				return;
		}
	}
	if (w->n_occ >= MAX_OCC)
		return;
	w->occ[w->n_occ].company = al->company;
	w->occ[w->n_occ].start = (uint32_t)s;
	w->occ[w->n_occ].end = (uint32_t)e;
	w->occ[w->n_occ].seg = (uint8_t)w->cur;
	w->occ[w->n_occ].explicit_sym = 0;
	w->occ[w->n_occ].common = al->common;
	w->occ[w->n_occ].dead = 0;
	w->occ[w->n_occ].backer = 0;
	w->occ[w->n_occ].ctx = 0;
	w->n_occ++;
}

/* A lexicon phrase found by the scan, placed in tokens and clauses. */
static inline void
on_lex(struct work *w, const struct dict_match *m, uint32_t idx)
{
	const struct seg *sg;
	struct sentiment_hit *h;
	size_t s = m->start, e = m->start + m->len, j, cur = w->cur;
	int cls;

	if (idx >= w->ctx->n_lex_cls)
		return;
	cls = w->ctx->lex_cls[idx];
	/* Company words near a name that is an ordinary word are context
	 * for it ("shares of Target"). */
	if ((cls == SENT_CUE || cls == SENT_SITE || cls == SENT_PACT ||
	    cls == SENT_MPOS || cls == SENT_MNEG) && w->n_cue[cur] < 16)
		w->cuepos[cur][w->n_cue[cur]++] = (uint32_t)s |
		    (cls == SENT_MPOS || cls == SENT_MNEG ? CUE_METRIC : 0);
	if (cls == SENT_CUE || cls == SENT_NOTTICKER || w->n_lex >= MAX_LEX)
		return;
	sg = &w->seg[cur];
	h = &w->lex[w->n_lex++];
	h->entry = idx;
	h->start = (uint32_t)s;
	h->end = (uint32_t)e;
	j = count_near(sg->tokend, sg->ntok, s, &w->tok_hint);
	h->tok = (uint16_t)j;
	/* e - 1 >= s: the count goes on from there */
	while (j < sg->ntok && sg->tokend[j] <= e - 1)
		j++;
	h->tok_end = (uint16_t)(j + 1);
	h->clause = (uint16_t)count_near(sg->clev, sg->ncl, s, &w->cl_hint);
	h->seg = (uint8_t)cur;
	h->background = sentence_the(sg, s);
}

static int
on_match(void *arg, const struct dict_match *m)
{
	struct work *w = arg;
	uint32_t idx = DICT_INDEX(m->payload);

	/* (dict_scan_words() checked the word boundaries) */
	switch (DICT_KIND(m->payload)) {
	case K_LEX:
		on_lex(w, m, idx);
		break;
	case K_CAT:
		if (w->n_cat < MAX_CATHITS) {
			w->cat[w->n_cat].rule = idx;
			w->cat[w->n_cat].start = m->start;
			w->cat[w->n_cat].seg = (uint8_t)w->cur;
			w->n_cat++;
		}
		break;
	case K_EVENT:
		if (w->n_ev < MAX_EVHITS) {
			w->ev[w->n_ev].event = idx;
			w->ev[w->n_ev].start = m->start;
			w->ev[w->n_ev].end = m->start + m->len;
			w->ev[w->n_ev].seg = (uint8_t)w->cur;
			w->n_ev++;
		}
		break;
	case K_NAME:
		on_name(w, m, idx);
		break;
	}
	return 0;
}

/*
 * Market-wire shorthand for a price move: "AMD +1.3% after Cowen's target
 * lift", "Roku -5.1% after filing to offer shares", "(-1.8% pre)".  A
 * sign right before a percentage, at the start of a word, is a move of
 * the share price; a hyphen between figures ("3-5%") or a dash before a
 * word is not.  The minus may be U+2212.
 */
static void
scan_signed_moves(struct work *w, const struct seg *sg)
{
	const char *p = sg->s, *q;
	size_t j, k, n = sg->len;

	/* from each '%' back over the figure to its sign */
	for (q = memchr(p, '%', n); q != NULL; q = j + 1 < n ?
	    memchr(q + 1, '%', n - j - 1) : NULL) {
		struct dict_match m;
		uint32_t idx;
		size_t sign;

		j = (size_t)(q - p);
		if (j + 1 < n && alnumc((unsigned char)p[j + 1]))
			continue;
		for (k = j; k > 0 && (digitc((unsigned char)p[k - 1]) ||
		    p[k - 1] == '.'); k--)
			;
		if (k == j || !digitc((unsigned char)p[k]))
			continue;
		if (k >= 1 && (p[k - 1] == '+' || p[k - 1] == '-')) {
			sign = k - 1;
			idx = p[k - 1] == '+' ? w->ctx->lex_move_up :
			    w->ctx->lex_move_down;
		} else if (k >= 3 && (unsigned char)p[k - 3] == 0xe2 &&
		    (unsigned char)p[k - 2] == 0x88 &&
		    (unsigned char)p[k - 1] == 0x92) {
			sign = k - 3;
			idx = w->ctx->lex_move_down;
		} else
			continue;
		if (idx == UINT32_MAX || (sign > 0 && p[sign - 1] != ' ' &&
		    p[sign - 1] != '('))
			continue;
		memset(&m, 0, sizeof(m));
		m.start = (uint32_t)sign;
		m.len = (uint32_t)(j + 1 - sign);
		on_lex(w, &m, idx);
	}
}

static void
add_sym_occ(struct work *w, long company, size_t s, size_t e)
{
	if (company < 0 || w->n_occ >= MAX_OCC)
		return;
	w->occ[w->n_occ].company = (uint32_t)company;
	w->occ[w->n_occ].start = (uint32_t)s;
	w->occ[w->n_occ].end = (uint32_t)e;
	w->occ[w->n_occ].seg = (uint8_t)w->cur;
	w->occ[w->n_occ].explicit_sym = 1;
	w->occ[w->n_occ].common = 0;
	w->occ[w->n_occ].dead = 0;
	w->occ[w->n_occ].backer = 0;
	w->occ[w->n_occ].ctx = 0;
	w->n_occ++;
}

static const char *const exchanges[] = {
	"NYSE American", "NYSE Arca", "NYSE MKT", "NYSEArca", "NYSEAmerican",
	"NasdaqGS", "NasdaqGM", "NasdaqCM", "Nasdaq Stockholm", "NASDAQ",
	"NYSE", "AMEX", "TSXV", "TSX-V", "TSX", "CSE", "NEO", "LSE", "LON",
	"AIM", "ASX", "NZX", "HKEX", "HKSE", "HKG", "SGX", "NSE", "BSE",
	"TYO", "TSE", "JPX", "KRX", "TWSE", "SSE", "SZSE", "FRA", "ETR",
	"XETRA", "Xetra", "FWB", "EPA", "AMS", "BIT", "BME", "SIX", "SWX",
	"STO", "OMX", "HEL", "CPH", "OSL", "WSE", "JSE", "BMV", "B3",
	"BVMF", "TASE", "Euronext", "OTCQX", "OTCQB", "OTC Pink", "OTC Markets",
	"OTCMKTS", "OTC", "CBOE", "Cboe", "BATS", "IEX", "NYSE National",
};

static int is_currency_code(const char *s, size_t n);

/* Note a symbol the dictionary does not know, at s..e of the segment being
 * scanned, with its name at ns..ne (equal: none); exchange 1 for a
 * bracketed listing, 0 for a cashtag.  Past the first few: dropped. */
static void
add_unknown(struct work *w, size_t s, size_t e, size_t ns, size_t ne,
    int exchange)
{
	if (w->n_unk >= UTIL_ARRAY_LEN(w->unk))
		return;
	w->unk[w->n_unk].start = (uint32_t)s;
	w->unk[w->n_unk].end = (uint32_t)e;
	w->unk[w->n_unk].name_start = (uint32_t)ns;
	w->unk[w->n_unk].name_end = (uint32_t)ne;
	w->unk[w->n_unk].seg = (uint8_t)w->cur;
	w->unk[w->n_unk].exchange = (uint8_t)exchange;
	w->n_unk++;
}

/* A symbol right after an exchange prefix and colon, e.g. "NYSE: IBM". */
static void unknown_listed(struct work *w, const char *p, size_t len,
    size_t exch, size_t s, size_t e);

static void
scan_exchange(struct work *w, const char *p, size_t len, size_t colon)
{
	size_t i, s, e;
	long k;

	for (i = 0; i < UTIL_ARRAY_LEN(exchanges); i++) {
		size_t l = strlen(exchanges[i]), end = colon;

		while (end > 0 && p[end - 1] == ' ')
			end--;
		if (end < l || util_strncasecmp(p + end - l, exchanges[i],
		    l) != 0)
			continue;
		if (end > l && wordc((unsigned char)p[end - l - 1]))
			continue;
		s = colon + 1;
		while (s < len && p[s] == ' ')
			s++;
		e = s;
		while (e < len && e - s < 12 && (isupper((unsigned char)p[e]) ||
		    isdigit((unsigned char)p[e]) || ((p[e] == '.' ||
		    p[e] == '-') && e + 1 < len &&
		    isupper((unsigned char)p[e + 1]))))
			e++;
		if (e == s || (e < len && wordc((unsigned char)p[e])))
			return;
		k = dict_find_ticker(w->ctx->co, p + s, e - s);
		if (k >= 0)
			add_sym_occ(w, k, s, e);
		else
			unknown_listed(w, p, len, end - l, s, e);
		return;
	}
}

/*
 * A listing the dictionary does not know, in a press release's form:
 * "Acme Robotics Co., Ltd. (NASDAQ: ACMR) announced ...".  Only inside
 * brackets, the exchange right after '(' and the symbol followed by ')',
 * ',' or ';'; the name is the capitalised words before the bracket.
 */
static void
unknown_listed(struct work *w, const char *p, size_t len, size_t exch,
    size_t s, size_t e)
{
	static const char *const joins[] = { "&", "and", "of", "de", "du",
	    "la", "le", "der", "des", "y", "und", "the" };
	size_t b = exch, ns, ne, i, words = 0;

	while (b > 0 && p[b - 1] == ' ')
		b--;
	if (b == 0 || p[b - 1] != '(' || (e < len && p[e] != ')' &&
	    p[e] != ',' && p[e] != ';') || is_currency_code(p + s, e - s))
		return;
	/* the name: back from the bracket over capitalised words */
	ne = b - 1;
	while (ne > 0 && p[ne - 1] == ' ')
		ne--;
	ns = ne;
	while (ns > 0 && words < 8) {
		size_t ws = ns;

		while (ws > 0 && p[ws - 1] == ' ')
			ws--;
		i = ws;
		while (i > 0 && p[i - 1] != ' ')
			i--;
		if (i == ws)
			break;
		if (!upperc((unsigned char)p[i]) &&
		    !digitc((unsigned char)p[i])) {
			size_t k;

			for (k = 0; k < UTIL_ARRAY_LEN(joins); k++)
				if (strlen(joins[k]) == ws - i &&
				    memcmp(p + i, joins[k], ws - i) == 0)
					break;
			if (k == UTIL_ARRAY_LEN(joins))
				break;
		} else if (p[ws - 1] == ':' || memchr(p + i, '/', ws - i))
			break;	/* "NEW YORK, Nov. 27 /PRNewswire/ --" */
		ns = i;
		words++;
	}
	/* not from a join word */
	while (ns < ne && !upperc((unsigned char)p[ns]) &&
	    !digitc((unsigned char)p[ns])) {
		while (ns < ne && p[ns] != ' ')
			ns++;
		while (ns < ne && p[ns] == ' ')
			ns++;
	}
	/* a trailing comma before the bracket: "Acme Inc., (NYSE: X)" */
	while (ne > ns && (p[ne - 1] == ',' || p[ne - 1] == ' '))
		ne--;
	add_unknown(w, s, e, ns, ne, 1);
}

static int unknown_symbol(const char *p, size_t n);

/* A cashtag at byte i ('$'): "$AMZN", "$BRK.B". */
static void
scan_cashtag(struct work *w, const struct seg *sg, size_t i)
{
	const char *p = sg->s;
	size_t len = sg->len, s = i + 1, e = s;

	while (e < len && e - s < 6 && (upperc((unsigned char)p[e]) ||
	    lowerc((unsigned char)p[e])))
		e++;
	if (e + 1 < len && (p[e] == '.' || p[e] == '-') &&
	    (upperc((unsigned char)p[e + 1]) ||
	    lowerc((unsigned char)p[e + 1])) &&
	    (e + 2 >= len || !wordc((unsigned char)p[e + 2])))
		e += 2;
	if (e >= len || !wordc((unsigned char)p[e])) {
		long k = dict_find_ticker(w->ctx->co, p + s, e - s);

		if (k >= 0)
			add_sym_occ(w, k, s, e);
		else if (!is_currency_code(p + s, e - s) &&
		    unknown_symbol(p + s, e - s))
			add_unknown(w, s, e, 0, 0, 0);
	}
}

/* A cashtag the dictionary does not know may still be a listed symbol
 * when it looks like one: 1-5 capitals, maybe a class (".B"). */
static int
unknown_symbol(const char *p, size_t n)
{
	size_t i, letters = n;

	if (n >= 3 && (p[n - 2] == '.' || p[n - 2] == '-'))
		letters = n - 2;
	if (letters == 0 || letters > 5)
		return 0;
	for (i = 0; i < n; i++)
		if (i != letters && !upperc((unsigned char)p[i]))
			return 0;
	return 1;
}

static int
is_currency_code(const char *s, size_t n)
{
	static const char *const codes[] = { "US", "USD", "CAD", "AUD",
	    "HKD", "NZD", "SGD", "EUR", "GBP", "CNY", "JPY", "MXN", "BRL" };
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(codes); i++)
		if (strlen(codes[i]) == n && memcmp(codes[i], s, n) == 0)
			return 1;
	return 0;
}

/* w (n bytes) is the lower-case word lit, ignoring ASCII case. */
static inline int
word_is(const unsigned char *w, const char *lit, size_t n)
{
	size_t k;

	/* lit is lower-case letters: only they and their capitals
	 * match with the 0x20 bit set */
	for (k = 0; k < n; k++)
		if ((w[k] | 0x20) != (unsigned char)lit[k])
			return 0;
	return 1;
}

/* A clause word: "but", "while", "though", "whereas", "however",
 * "although", "meantime". */
static inline int
maybe_clause_word(const unsigned char *w, size_t n)
{
	/* by first letter, the lengths of the clause words it starts */
	static const uint16_t lens[256] = {
		['b'] = 1 << 3, ['B'] = 1 << 3,
		['w'] = 1 << 5 | 1 << 7, ['W'] = 1 << 5 | 1 << 7,
		['t'] = 1 << 6, ['T'] = 1 << 6,
		['h'] = 1 << 7, ['H'] = 1 << 7,
		['a'] = 1 << 8, ['A'] = 1 << 8,
		['m'] = 1 << 8, ['M'] = 1 << 8,
	};

	if (n > 8 || !((lens[w[0]] >> n) & 1))
		return 0;
	switch (n) {
	case 3:
		return word_is(w, "but", 3);
	case 5:
		return word_is(w, "while", 5);
	case 6:
		return word_is(w, "though", 6);
	case 7:
		return word_is(w, "whereas", 7) || word_is(w, "however", 7);
	case 8:
		return word_is(w, "although", 8) ||
		    word_is(w, "meantime", 8);
	default:
		return 0;
	}
}

/*
 * The end of a run of ASCII lower-case letters from i: eight bytes at a
 * time where the byte order allows (the text is NUL-terminated and padded
 * with eight more NULs, see analyze_text(), so reading ahead is safe and
 * the terminator ends every run).
 */
static inline size_t
lower_run(const unsigned char *p, size_t i)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;

	for (;;) {
		uint64_t x, m;

		memcpy(&x, p + i, 8);
		/* high bit of each byte below 'a' or above 'z'; the lowest
		 * one flagged is exact (borrows and carries only move up) */
		m = (((x - ones * 'a') & ~x) | ((x + ones * (127 - 'z')) | x)) &
		    high;
		if (m)
			return i + ((size_t)__builtin_ctzll(m) >> 3);
		i += 8;
	}
#else
	while (util_ascii_class[p[i]] == UTIL_CC_LOWER)
		i++;
	return i;
#endif
}

/*
 * One pass over a segment: where the tokens end and where clauses change
 * (for the proximity rules), the case profile (all caps, Title Case), the
 * symbols: cashtags ($AMZN, $BRK.B), exchange-qualified symbols (NASDAQ:
 * AMZN) and bare upper-case symbols of companies whose symbol is not an
 * ordinary word (kept only when the text is not all caps), and the
 * amounts: the amount scanner runs only where an amount can start (see
 * impact_amounts_at()), so runs of lower-case words cost it nothing.
 */
static void
tokenize(struct work *w, struct seg *sg)
{
	const unsigned char *p = (const unsigned char *)sg->s;
	size_t i = 0, n = sg->len, nbare = 0, k, amt = 0;
	size_t upper = 0, lower = 0, ntok = 0, ncl = 0;
	int words = 0, capwords = 0;
	int seg = (int)w->cur;
	struct {
		uint32_t s, e;
		long company;
	} bare[16];

	while (i < n) {
		unsigned char c = p[i];
		size_t s, upre = 0, up = 0;
		int stretch = 1;

		if (c == ' ') {
			i++;
			continue;
		}
		/* The common word: lower-case letters up to a byte that
		 * ends it (what the general loop below does for it). */
		if (util_ascii_class[c] == UTIL_CC_LOWER) {
			size_t e = lower_run(p, i + 1);
			unsigned char d = p[e];

			if (util_ascii_class[d] == 0 && (d != '\'' ||
			    !alnumc(p[e + 1]))) {
				lower += e - i;
				if (maybe_clause_word(p + i, e - i))
					sg->clev[ncl++] = (uint16_t)i;
				if (e - i >= 4)
					words++;
				sg->tokend[ntok++] = (uint16_t)e;
				i = d == ' ' ? e + 1 : e;
				continue;
			}
		}
		/* The same for a capitalised word ("Shares", "However"). */
		if (util_ascii_class[c] == UTIL_CC_UPPER &&
		    util_ascii_class[p[i + 1]] == UTIL_CC_LOWER) {
			size_t e = lower_run(p, i + 2);
			unsigned char d = p[e];

			if (util_ascii_class[d] == 0 && (d != '\'' ||
			    !alnumc(p[e + 1]))) {
				/* impact_amounts_skip() would return e */
				if (i >= amt)
					amt = d != '$' && (c != 'R' ||
					    p[i + 1] != 's') ? e :
					    impact_amounts_at(sg->s, n, i, seg,
					    &w->amounts);
				upper++;
				lower += e - i - 1;
				if (maybe_clause_word(p + i, e - i))
					sg->clev[ncl++] = (uint16_t)i;
				if (e - i >= 4) {
					words++;
					capwords++;
				}
				sg->tokend[ntok++] = (uint16_t)e;
				i = d == ' ' ? e + 1 : e;
				continue;
			}
		}
		if (!alnumc(c) && c < 0x80) {
			if (c == ':')
				scan_exchange(w, sg->s, n, i);
			else if (c == '$') {
				if (i >= amt)
					amt = impact_amounts_at(sg->s, n, i, seg,
					    &w->amounts);
				if (i + 1 < n && (upperc(p[i + 1]) ||
				    lowerc(p[i + 1])) && (i == 0 ||
				    !wordc(p[i - 1])))
					scan_cashtag(w, sg, i);
			} else if ((c == '.' || c == ';' || c == '!' ||
			    c == '?') && (i + 1 >= n || p[i + 1] == ' ' ||
			    p[i + 1] == '\n'))
				sg->clev[ncl++] = (uint16_t)(i + 1);
			i++;
			continue;
		}
		/* A word: letters, digits, UTF-8, inner apostrophes and
		 * digit separators.  "stretch": the next ASCII letter or
		 * digit starts a run of them (for the amount scanner). */
		s = i;
		for (;;) {
			uint8_t t;

			/* p[n] is NUL (see analyze_text()): it ends the word
			 * below */

			c = p[i];
			t = util_ascii_class[c];
			if (t == UTIL_CC_LOWER) {
				size_t j = i;

				i = lower_run(p, i + 1);
				lower += i - j;
				stretch = 0;
				continue;
			}
			if (t == UTIL_CC_UPPER) {
				if (stretch && i >= amt) {
					k = impact_amounts_skip(sg->s, n, i);
					amt = k ? k : impact_amounts_at(sg->s,
					    n, i, seg, &w->amounts);
				}
				if (up == i - s)
					upre = up + 1;
				up++;
				stretch = 0;
			} else if (t == UTIL_CC_DIGIT) {
				if (stretch && i >= amt && (i == 0 ||
				    !wordc(p[i - 1])))
					amt = impact_amounts_at(sg->s, n, i, seg,
					    &w->amounts);
				stretch = 0;
			} else if (c >= 0x80) {
				if (c >= 0xc2 && i >= amt)
					amt = impact_amounts_at(sg->s, n, i, seg,
					    &w->amounts);
				stretch = 1;
			} else if ((c == '\'' && alnumc(p[i + 1])) ||
			    ((c == '.' || c == ',') && digitc(p[i + 1]) &&
			    i > s && digitc(p[i - 1])))
				stretch = 1;
			else
				break;
			i++;
		}
		upper += up;
		if (maybe_clause_word(p + s, i - s))
			sg->clev[ncl++] = (uint16_t)s;
		if (i - s >= 4 && (upperc(p[s]) || lowerc(p[s]))) {
			words++;
			if (upperc(p[s]))
				capwords++;
		}
		/* A bare symbol: 2-5 capitals, a whole word or before a
		 * possessive ("AMD's"); not a drug code ("ABT-199"). */
		if (upre >= 2 && upre <= 5 && (upre == i - s ||
		    p[s + upre] == '\'') && (s == 0 || p[s - 1] != '$') &&
		    !(s + upre + 1 < n && p[s + upre] == '-' &&
		    digitc(p[s + upre + 1])) && nbare < 16) {
			long co = dict_find_ticker(w->ctx->co,
			    (const char *)p + s, upre);

			if (co >= 0 && w->ctx->bare_ok[co]) {
				bare[nbare].s = (uint32_t)s;
				bare[nbare].e = (uint32_t)(s + upre);
				bare[nbare++].company = co;
			}
		}
		sg->tokend[ntok++] = (uint16_t)i;
	}
	sg->ntok = ntok;
	sg->ncl = ncl;
	sg->allcaps = upper >= 6 && lower * 10 < upper;
	sg->titlecase = words >= 3 && capwords * 10 >= words * 7;
	if (!sg->allcaps)
		for (k = 0; k < nbare; k++)
			add_sym_occ(w, bare[k].company, bare[k].s, bare[k].e);
}

/* The word before byte s (skipping spaces), as a pointer and length. */
static size_t
word_before(const struct seg *sg, size_t s, const char **w)
{
	size_t e = s, b;

	while (e > 0 && sg->s[e - 1] == ' ')
		e--;
	b = e;
	while (b > 0 && wordc((unsigned char)sg->s[b - 1]))
		b--;
	*w = sg->s + b;
	return e - b;
}

static size_t
word_after(const struct seg *sg, size_t e, const char **w)
{
	size_t b = e, f;

	while (b < sg->len && sg->s[b] == ' ')
		b++;
	f = b;
	while (f < sg->len && wordc((unsigned char)sg->s[f]))
		f++;
	*w = sg->s + b;
	return f - b;
}

/*
 * Names that are ordinary words ("Apple", "Target", "Block") count only
 * with company context; the verdict comes from the words around them:
 *
 *   against  a word before that makes it a thing or a person ("price
 *            target", "Harrison Ford", "the Amazon"), a word after that
 *            makes it a thing or a place ("Apple orchards", "visa rules",
 *            "Ford Foundation", "Corning, N.Y."), an adjective compound
 *            ("Uber-wealthy"), a number next to an acronym ("40 HP",
 *            "RTX 5090");
 *   for      a possessive ("Ford's"), a corporate word or business noun
 *            after ("Carrier Global", "Snap shares", "Ozempic maker"), a
 *            company verb right after ("Target cuts", "Intel to cut"), a
 *            company word within three tokens ("shares of Apple"), its
 *            symbol anywhere, or another company accepted in the same
 *            segment ("Visa and Mastercard").
 *
 * A word name without evidence either way is dropped; an acronym name
 * ("BP", "UPS") is kept.  Lower case never matches (see on_match).
 */
static const char *const block_before[] = {
	"price", "prices", "inflation", "sales", "earnings", "revenue",
	"profit", "margin", "growth", "rate", "return", "returns", "key",
	"main", "primary", "easy", "soft", "prime", "takeover", "bullseye",
	"student", "tourist", "work", "travel", "golden", "h-1b", "entry",
	"harrison", "gerald", "betty", "henry", "edsel", "tom", "john",
	"mr", "mrs", "ms", "dr", "sir", "president", "senator", "sen", "rep",
	"governor", "gov", "mayor", "judge", "justice", "general",
	"big", "red", "green", "adam's", "crab", "mind", "wealth", "pay",
	"gender", "trade", "funding", "skills", "generation", "wage",
	"widening", "output", "widens", "narrows", "the", "high", "low",
	"blood", "port", "lake", "mount", "cape", "fort", "saint", "st",
};

/* Words after it that make it a thing, a place or an institution. */
static const char *const block_after[] = {
	"rules", "rule", "applications", "application", "applicants",
	"requirements", "holders", "holder", "waiver", "waivers",
	"restrictions", "program", "programme", "policy", "policies",
	"processing", "backlog", "sponsorship", "bulletin", "lottery",
	"overstay", "fees", "fee", "ban", "bans", "interview", "range",
	"date", "dates", "audience", "audiences", "market", "markets",
	"zone", "rate", "rates", "juice", "orchard", "orchards", "cider",
	"pie", "pies", "tree", "trees", "growers", "harvest", "crop",
	"crops", "year", "years", "between", "widens", "narrows", "remains",
	"filler", "practice", "inflation", "level", "levels", "price",
	"prices", "of", "for", "shooting", "practise", "food", "foods",
	"seeds", "rainforest", "basin", "river", "valley", "county", "city",
	"island", "islands", "street", "square", "park", "mountains",
	"foundation", "institute", "university", "college", "museum",
	"school", "hospital", "church", "democrats", "republicans", "party",
	"season", "festival", "parade", "strike", "group's", "shocked",
};

/* Words right after it that make it the company. */
static const char *const corp_after[] = {
	"Inc", "Corp", "Corporation", "Co", "Company", "Companies", "Motor",
	"Motors", "Stores", "Holdings", "Group", "Ltd", "plc", "PLC", "Global",
	"Airlines", "Labs", "Laboratories", "International", "Technologies",
	"shares", "share", "stock", "stocks", "CEO", "CFO", "executives",
	"chief", "boss", "chairman", "founder", "profit", "profits",
	"revenue", "revenues", "sales", "earnings", "results", "outlook",
	"forecast", "guidance", "dividend", "buyback", "investors",
	"shareholders", "analysts", "board", "unit", "subsidiary", "parent",
	"owner", "maker", "stake", "deal", "bid", "IPO", "stores", "store",
	"employees", "workers", "staff", "customers", "users", "app",
	"outage", "quarterly", "margins", "bonds", "debt", "valuation",
	"logo", "brand", "headquarters", "HQ", "spokesperson", "spokesman",
	"spokeswoman", "supplier", "suppliers", "option", "calls",
	"puts", "TV", "Watch", "Music", "Pay", "Card", "Devices", "Services",
};

/* Verbs right after it that make it the company ("Target cuts"). */
static const char *const corp_verbs[] = {
	"reports", "reported", "posts", "posted", "beats", "misses", "tops",
	"topped", "cuts", "raises", "raised", "lowers", "lowered", "trims",
	"trimmed", "boosts", "lifts", "names", "appoints", "hires", "recalls",
	"recalled", "unveils", "unveiled", "launches", "launched",
	"announces", "announced", "introduces", "sues", "sued", "acquires",
	"acquired", "buys", "bought", "sells", "sold", "completes",
	"completed", "agrees", "agreed", "plans", "says", "said", "warns",
	"warned", "settles", "settled", "wins", "won", "expects", "sees",
	"reaffirms", "reiterates", "files", "filed", "invests", "commits",
	"scraps", "closes", "signs", "inks", "partners", "teams", "slashes",
	"halts", "suspends", "pauses", "shuts", "exits", "expands",
	"enters", "faces", "targets", "offers", "prices", "issues", "debuts",
	"opens", "hikes", "doubles", "loses", "lost", "swings", "returns",
	"confirms", "denies", "drops", "ditches", "axes", "lays", "rolls",
	"seeks", "nears", "weighs", "considers", "explores", "rejects",
	"backs", "joins", "tumbles", "slumps", "sinks", "soars", "surges",
	"jumps", "rallies", "climbs", "slides", "plunges", "falls", "rises",
	"gains", "dips", "slips", "extends", "delivers", "builds", "makes",
	"ships", "releases", "defends", "overhauls", "restructures",
	"gets", "pays", "paid", "grows", "encourages", "capitalizes",
	"seeking", "aims", "looks", "looking", "mulls", "eyes", "taps",
	"bets", "readies", "tests", "asks", "tells", "pushes", "shifts",
	"moves", "patents", "licenses", "reorganizes",
};

/* The same for a joined subject: "Lilly and Novo cut prices". */
static const char *const corp_verbs_plural[] = {
	"report", "post", "beat", "miss", "top", "cut", "raise", "lower",
	"trim", "boost", "name", "unveil", "launch", "announce", "sue",
	"acquire", "buy", "sell", "complete", "agree", "plan", "say", "warn",
	"settle", "win", "expect", "see", "file", "invest", "sign", "ink",
	"partner", "team", "slash", "halt", "expand", "face", "offer",
	"extend", "join", "merge", "strike", "unite", "end", "form",
};

static const char *const us_states[] = {
	"Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.",
	"Ga.", "Ill.", "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.",
	"Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.",
	"N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Okla.", "Ore.", "Pa.",
	"R.I.", "S.C.", "S.D.", "Tenn.", "Tex.", "Vt.", "Va.", "Wash.",
	"W.Va.", "Wis.", "Wyo.", "Alabama", "Alaska", "Arizona", "Arkansas",
	"California", "Colorado", "Connecticut", "Delaware", "Florida",
	"Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
	"Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
	"Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
	"Montana", "Nebraska", "Nevada", "New", "North", "South", "Ohio",
	"Oklahoma", "Oregon", "Pennsylvania", "Rhode", "Tennessee", "Texas",
	"Utah", "Vermont", "Virginia", "Washington", "West", "Wisconsin",
	"Wyoming", "England", "Ontario", "Quebec",
};

/* Analysts' ratings: "Outperform on Apple", "Coverage on Target" name
 * a company... */
static const char *const ratings[] = {
	"outperform", "underperform", "overweight", "underweight",
	"equal-weight", "in-line", "coverage", "strong-buy",
};

/* ...and so do these after an analyst's verb: "Maintains Buy on Apple"
 * (not "buy on Apple day"). */
static const char *const ratings_weak[] = {
	"buy", "sell", "hold", "neutral", "perform", "accumulate", "reduce",
	"positive", "negative", "peer",
};

/* Words that only complete a rating: "Market Perform", "a Buy Rating". */
static const char *const rating_parts[] = {
	"market", "sector", "strong", "conviction", "rating", "equal",
	"weight", "a", "an",
};

static const char *const analyst_verbs[] = {
	"maintains", "reiterates", "initiates", "assumes", "resumes",
	"reinstates", "rates", "starts", "upgrades", "downgrades",
};

/* ...and what they do to one: "Upgrades Apple", "Downgrades Target". */
static const char *const rating_actions[] = {
	"upgrades", "downgrades", "upgrade", "downgrade", "upgraded",
	"downgraded",
};

/*
 * The lists above in one hash table keyed by the ASCII-folded word, so
 * that a word is looked up once for all of them.
 */
static inline unsigned char
fold_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint32_t
word_hash(const char *w, size_t n)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ fold_ascii((unsigned char)w[i])) * 16777619U;
	return h;
}

static void
add_list(struct analyze_ctx *ctx, const char *const *list, size_t ln,
    unsigned set)
{
	size_t i;

	for (i = 0; i < ln; i++) {
		size_t n = strlen(list[i]), k;

		k = word_hash(list[i], n) & ctx->wl_mask;
		while (ctx->wl[k].w != NULL && (ctx->wl[k].len != n ||
		    util_strncasecmp(ctx->wl[k].w, list[i], n) != 0))
			k = (k + 1) & ctx->wl_mask;
		ctx->wl[k].w = list[i];
		ctx->wl[k].len = (uint8_t)n;
		ctx->wl[k].sets |= (uint16_t)set;
	}
}

static void
build_word_lists(struct analyze_ctx *ctx)
{
	ctx->wl_mask = 2047;	/* about 640 words */
	ctx->wl = xcalloc(ctx->wl_mask + 1, sizeof(*ctx->wl));
	add_list(ctx, block_before, UTIL_ARRAY_LEN(block_before),
	    WL_BLOCK_BEFORE);
	add_list(ctx, block_after, UTIL_ARRAY_LEN(block_after),
	    WL_BLOCK_AFTER);
	add_list(ctx, corp_after, UTIL_ARRAY_LEN(corp_after), WL_CORP_AFTER);
	add_list(ctx, corp_verbs, UTIL_ARRAY_LEN(corp_verbs), WL_CORP_VERBS);
	add_list(ctx, corp_verbs_plural, UTIL_ARRAY_LEN(corp_verbs_plural),
	    WL_CORP_VERBS_PLURAL);
	add_list(ctx, us_states, UTIL_ARRAY_LEN(us_states), WL_US_STATES);
	add_list(ctx, ratings, UTIL_ARRAY_LEN(ratings), WL_RATING);
	add_list(ctx, ratings_weak, UTIL_ARRAY_LEN(ratings_weak),
	    WL_RATING_WEAK);
	add_list(ctx, rating_parts, UTIL_ARRAY_LEN(rating_parts),
	    WL_RATING_PART);
	add_list(ctx, analyst_verbs, UTIL_ARRAY_LEN(analyst_verbs),
	    WL_ANALYST_VERB);
	add_list(ctx, rating_actions, UTIL_ARRAY_LEN(rating_actions),
	    WL_RATING_ACTION);
}

/* The lists (WL_*) that hold the word w (n bytes), ignoring ASCII case. */
static unsigned
word_sets(const struct analyze_ctx *ctx, const char *w, size_t n)
{
	size_t k;

	if (n == 0 || n > 32)
		return 0;
	for (k = word_hash(w, n) & ctx->wl_mask; ctx->wl[k].w != NULL;
	    k = (k + 1) & ctx->wl_mask)
		if (ctx->wl[k].len == n &&
		    util_strncasecmp(ctx->wl[k].w, w, n) == 0)
			return ctx->wl[k].sets;
	return 0;
}

/* Compounds that keep the company: "Microsoft-backed", "Apple-made". */
static int
backer_word(const char *w, size_t n)
{
	return n > 2 && w[n - 2] == 'e' && w[n - 1] == 'd';
}

static int
possessive_after(const struct seg *sg, size_t e)
{
	const char *p = sg->s + e;
	size_t left = sg->len - e;

	return (left >= 2 && p[0] == '\'' && (p[1] == 's' || p[1] == 'S')) ||
	    (left >= 4 && (unsigned char)p[0] == 0xe2 &&
	    (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x99 &&
	    (p[3] == 's' || p[3] == 'S'));
}

/*
 * "Uber-wealthy" is an adjective, "Microsoft-backed" a company in a
 * supporting role.  Returns -1 for the first, 1 for the second, else 0.
 */
static int
hyphen_compound(const struct seg *sg, const struct occ *o)
{
	const char *p = sg->s;
	size_t e = o->end, f;

	if (e + 1 >= sg->len || p[e] != '-' ||
	    !islower((unsigned char)p[e + 1]))
		return 0;
	for (f = e + 1; f < sg->len && wordc((unsigned char)p[f]); f++)
		;
	return backer_word(p + e + 1, f - e - 1) ? 1 : -1;
}

/* Is the word starting at w numeric ("40", "5090", "2.1")? */
static int
numeric_word(const char *w, size_t n)
{
	return n > 0 && isdigit((unsigned char)w[0]);
}

/* The context verdict for a name that is an ordinary word: -1 it is
 * something else, 1 it is the company, 0 no evidence. */
static int
common_verdict(const struct work *w, const struct occ *o)
{
	const struct seg *sg = &w->seg[o->seg];
	const char *wb, *wa, *w2;
	size_t nb = word_before(sg, o->start, &wb);
	size_t na = word_after(sg, o->end, &wa), n2;
	size_t i;
	uint16_t tok;

	const struct analyze_ctx *ctx = w->ctx;
	unsigned sa = word_sets(ctx, wa, na);

	if (word_sets(ctx, wb, nb) & WL_BLOCK_BEFORE)
		return -1;
	/* An analyst's call on it: "Upgrades Apple", "Outperform on
	 * Apple". */
	if (nb && (word_sets(ctx, wb, nb) & WL_RATING_ACTION))
		return 1;
	if (nb == 2 && util_strncasecmp(wb, "on", 2) == 0) {
		const char *w0, *wv;
		size_t n0 = word_before(sg, (size_t)(wb - sg->s), &w0), nv;
		unsigned s0 = n0 ? word_sets(ctx, w0, n0) : 0;

		if (s0 & WL_RATING)
			return 1;
		if (s0 & WL_RATING_WEAK) {
			nv = word_before(sg, (size_t)(w0 - sg->s), &wv);
			if (nv && (word_sets(ctx, wv, nv) & WL_ANALYST_VERB))
				return 1;
		}
	}
	if (possessive_after(sg, o->end))
		return 1;
	/* "Corning, N.Y.", "Dover, Delaware": a place. */
	if (o->end + 2 < sg->len && sg->s[o->end] == ',' &&
	    sg->s[o->end + 1] == ' ') {
		size_t f = o->end + 2;

		while (f < sg->len && (wordc((unsigned char)sg->s[f]) ||
		    sg->s[f] == '.'))
			f++;
		if (word_sets(ctx, sg->s + o->end + 2, f - o->end - 2) &
		    WL_US_STATES)
			return -1;
	}
	if (o->common == COMMON_ACRONYM && ((nb && numeric_word(wb, nb)) ||
	    (na && numeric_word(wa, na))))
		return -1;
	if (na && wa == sg->s + o->end + 1 &&
	    (sa & WL_BLOCK_AFTER))
		return -1;
	/* "Harrison Ford": a capitalised word glued before it in running
	 * (not Title Case) text is another proper noun. */
	if (nb && !sg->titlecase && !sg->allcaps &&
	    isupper((unsigned char)wb[0]) && wb + nb == sg->s + o->start - 1 &&
	    !(wb > sg->s && (wb[-1] == '.' || wb[-1] == ':')))
		return -1;
	if (na && wa == sg->s + o->end + 1) {
		if (sa & (WL_CORP_AFTER | WL_CORP_VERBS))
			return 1;
		if (((nb == 3 && util_strncasecmp(wb, "and", 3) == 0) ||
		    (o->start >= 2 && sg->s[o->start - 2] == '&')) &&
		    (sa & WL_CORP_VERBS_PLURAL))
			return 1;
		/* "Intel to cut", "Visa will buy" */
		if ((na == 2 && util_strncasecmp(wa, "to", 2) == 0) ||
		    (na == 4 && util_strncasecmp(wa, "will", 4) == 0)) {
			n2 = word_after(sg, (size_t)(wa - sg->s) + na, &w2);
			if (n2 >= 2 && isalpha((unsigned char)w2[0]) &&
			    (islower((unsigned char)w2[0]) || sg->titlecase ||
			    sg->allcaps))
				return 1;
		}
	}
	/* A company word within three tokens in the same clause; a
	 * metric before it ("shares of Target", "revenue at Apple"). */
	tok = (uint16_t)tok_at(sg, o->start);
	for (i = 0; i < w->n_cue[o->seg]; i++) {
		uint32_t c = w->cuepos[o->seg][i] & ~CUE_METRIC;
		int d = (int)tok_at(sg, c) - (int)tok;

		/* A metric counts only before the name: "shares of Target",
		 * not "Chipotle mayo sales". */
		if ((w->cuepos[o->seg][i] & CUE_METRIC) ? d >= -3 && d < 0 :
		    d >= -3 && d <= 3)
			if (clause_at(sg, c) == clause_at(sg, o->start))
				return 1;
	}
	return 0;
}

static int
has_symbol(const struct work *w, uint32_t company)
{
	size_t i;

	for (i = 0; i < w->n_occ; i++)
		if (w->occ[i].company == company && w->occ[i].explicit_sym)
			return 1;
	return 0;
}

static int
occ_cmp(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg - y->seg;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

/* Only connectors between two headline names: "Apple, Nvidia and AMD". */
static int
only_connectors(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == ' ' || s[i] == ',' || s[i] == '&' || s[i] == '/' ||
		    s[i] == '+' || s[i] == '(' || s[i] == ')' || s[i] == ':') {
			i++;
			continue;
		}
		if (n - i >= 3 && util_strncasecmp(s + i, "and", 3) == 0 &&
		    (n - i == 3 || !wordc((unsigned char)s[i + 3]))) {
			i += 3;
			continue;
		}
		if (n - i >= 2 && (util_strncasecmp(s + i, "or", 2) == 0 ||
		    util_strncasecmp(s + i, "vs", 2) == 0) &&
		    (n - i == 2 || !wordc((unsigned char)s[i + 2]) ||
		    s[i + 2] == '.')) {
			i += 2;
			if (i < n && s[i] == '.')
				i++;
			continue;
		}
		/* a symbol in parentheses after the name: "(NASDAQ: AMZN)" */
		if (isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i])
		    || s[i] == '.' || s[i] == '$') {
			size_t j = i;

			while (j < n && (isupper((unsigned char)s[j]) ||
			    isdigit((unsigned char)s[j]) || s[j] == '.' ||
			    s[j] == '$'))
				j++;
			if (j < n && s[j] != ')' && s[j] != ':' && s[j] != ',')
				return 0;
			i = j;
			continue;
		}
		return 0;
	}
	return 1;
}

/* Is the text between two names "'s " or an analyst verb? */
static int
acts_on(const struct analyze_ctx *ctx, const char *s, size_t n)
{
	static const char *const verbs[] = {
		" upgrades ", " downgrades ", " upgraded ", " downgraded ",
		" initiates ", " reiterates ", " resumes ", " starts ",
		" cuts ", " raises ", " lifts ", " lowers ", " rates ",
		" initiates coverage of ", " initiates coverage on ",
		" starts coverage of ", " starts coverage on ",
		" resumes coverage of ", " upgrades shares of ",
		" downgrades shares of ",
	};
	size_t i, k, nw;

	if ((n == 3 && memcmp(s, "'s ", 3) == 0) ||
	    (n == 5 && memcmp(s, "\xe2\x80\x99s ", 5) == 0))
		return 1;
	for (i = 0; i < UTIL_ARRAY_LEN(verbs); i++)
		if (strlen(verbs[i]) == n && util_strncasecmp(s, verbs[i],
		    n) == 0)
			return 1;
	/* " Maintains Neutral on ", " Reiterates Market Perform on ": a
	 * verb, a rating of up to three words, "on". */
	if (n < 8 || n > 60 || s[0] != ' ' ||
	    util_strncasecmp(s + n - 4, " on ", 4) != 0)
		return 0;
	for (k = 1; k < n - 4 && s[k] != ' '; k++)
		;
	if (k >= n - 4 || !(word_sets(ctx, s + 1, k - 1) & WL_ANALYST_VERB))
		return 0;
	/* Each word after the verb must be part of a rating. */
	for (nw = 0, k++; k < n - 3; nw++) {
		size_t e = k;

		while (e < n - 3 && s[e] != ' ')
			e++;
		if (!(word_sets(ctx, s + k, e - k) & (WL_RATING |
		    WL_RATING_WEAK | WL_RATING_PART)))
			return 0;
		k = e + 1;
	}
	return nw >= 1 && nw <= 3;
}

static void
resolve_entities(struct work *w, struct item_annotation *ann,
    int *centrality, double *mcap, int *has_private)
{
	const struct analyze_ctx *ctx = w->ctx;
	size_t i, k, n = w->n_occ;
	uint32_t reach = 0;
	int seg = -1, changed;
	long prev_primary_end = -1;
	int8_t role[MAX_OCC];

	/* Few and nearly in order: insertion sort. */
	for (i = 1; i < n; i++) {
		struct occ t = w->occ[i];

		for (k = i; k > 0 && occ_cmp(&w->occ[k - 1], &t) > 0; k--)
			w->occ[k] = w->occ[k - 1];
		w->occ[k] = t;
	}
	/* A name inside a longer name (another company) loses. */
	for (i = 0; i < n; i++) {
		struct occ *o = &w->occ[i];

		if (o->seg != seg) {
			seg = o->seg;
			reach = 0;
		} else if (o->end <= reach && !o->explicit_sym) {
			o->dead = 1;
			continue;
		}
		if (o->end > reach)
			reach = o->end;
	}
	/* Context verdicts, then names that are ordinary words without
	 * evidence borrow it from an accepted company in the same segment
	 * ("Visa and Mastercard settle") or from their own accepted
	 * mention elsewhere; the rest are dropped. */
	for (i = 0; i < n; i++) {
		struct occ *o = &w->occ[i];
		int h;

		if (o->dead || o->explicit_sym)
			continue;
		h = hyphen_compound(&w->seg[o->seg], o);
		if (h < 0) {
			o->dead = 1;
			continue;
		}
		o->backer = h > 0;
		if (o->common == COMMON_NO)
			continue;
		o->ctx = (int8_t)common_verdict(w, o);
		if (o->ctx < 0)
			o->dead = 1;
		else if (o->ctx == 0 && (o->common == COMMON_ACRONYM ||
		    has_symbol(w, o->company)))
			o->ctx = 1;
	}
	for (changed = 1; changed;) {
		changed = 0;
		for (i = 0; i < n; i++) {
			struct occ *o = &w->occ[i];

			if (o->dead || o->common == COMMON_NO || o->ctx != 0)
				continue;
			for (k = 0; k < n; k++) {
				const struct occ *q = &w->occ[k];

				if (k == i || q->dead || (q->common !=
				    COMMON_NO && q->ctx <= 0))
					continue;
				if (q->company == o->company ||
				    q->seg == o->seg) {
					o->ctx = 1;
					changed = 1;
					break;
				}
			}
		}
	}
	for (i = 0; i < n; i++)
		if (w->occ[i].common != COMMON_NO && w->occ[i].ctx <= 0)
			w->occ[i].dead = 1;
	/* A broker acting on a company ("Goldman upgrades Caterpillar",
	 * "J.P. Morgan cuts Tesla") and a parent before its product
	 * ("BlackRock's iShares Bitcoin Trust") are not the subject. */
	for (i = 0; i < n; i++) {
		struct occ *o = &w->occ[i];

		if (o->dead || o->seg != 0)
			continue;
		for (k = i + 1; k < n && w->occ[k].dead; k++)
			;
		if (k < n && w->occ[k].seg == 0 &&
		    w->occ[k].company != o->company &&
		    acts_on(ctx, w->seg[0].s + o->end,
		    w->occ[k].start - o->end))
			o->backer = 1;
	}
	/* Roles: in the headline, the first name and names joined to it by
	 * connectors are the subject; later ones are objects. */
	for (i = 0; i < n; i++) {
		const struct occ *o = &w->occ[i];

		role[i] = ITEM_ROLE_MENTIONED;
		if (o->dead || o->seg != 0 || o->backer)
			continue;
		if (prev_primary_end < 0 ||
		    only_connectors(w->seg[0].s + prev_primary_end,
		    o->start > (uint32_t)prev_primary_end ?
		    o->start - (size_t)prev_primary_end : 0)) {
			role[i] = ITEM_ROLE_PRIMARY;
			prev_primary_end = o->end;
		}
	}
	*centrality = 0;
	*mcap = 0;
	*has_private = 0;
	ann->n_entities = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			const struct occ *o = &w->occ[i];
			const struct dict_company *co;
			struct item_entity *e;
			int dup = 0;

			if (o->dead || (pass == 0) !=
			    (role[i] == ITEM_ROLE_PRIMARY))
				continue;
			co = dict_company(ctx->co, o->company);
			for (k = 0; k < ann->n_entities; k++) {
				const struct item_entity *x =
				    &ann->entities[k];

				if (co->ticker ? strcmp(x->ticker,
				    co->ticker) == 0 : (x->ticker[0] == 0 &&
				    strcmp(x->name, co->name) == 0))
					dup = 1;
			}
			if (dup || ann->n_entities >= ITEM_MAX_ENTITIES)
				continue;
			w->ent_co[ann->n_entities] = o->company;
			e = &ann->entities[ann->n_entities++];
			util_strlcpy(e->name, co->name, sizeof(e->name));
			if (co->ticker)
				util_strlcpy(e->ticker, co->ticker,
				    sizeof(e->ticker));
			else
				e->ticker[0] = '\0';
			e->role = role[i];
			if (co->ticker == NULL)
				*has_private = 1;
			if (o->seg == 0 && *centrality < 2)
				*centrality = 2;
			else if (*centrality < 1)
				*centrality = 1;
			if (*mcap == 0 && co->mcap > 0)
				*mcap = co->mcap;
		}
	}
}

/* Whether "$" ticker stands in t[0..lead) as a whole symbol. */
static int
has_lead_cashtag(const char *t, size_t lead, const char *ticker)
{
	size_t n = strlen(ticker), i;

	if (n == 0)
		return 0;
	for (i = 0; i + n < lead; i++)
		if (t[i] == '$' && memcmp(t + i + 1, ticker, n) == 0 &&
		    (i + 1 + n >= lead || !wordc((unsigned char)t[i + 1 + n])))
			return 1;
	return 0;
}

/* The end of the title's leading block of cashtags ("$DELL $HPE - ...",
 * "$SITC: ..."): the offset after its last symbol, or 0 without one. */
static size_t
lead_cashtags_end(const char *t, size_t len)
{
	size_t i = 0, end = 0;

	for (;;) {
		while (i < len && (t[i] == ' ' || t[i] == ','))
			i++;
		if (i >= len || t[i] != '$' || i + 1 >= len ||
		    !upperc((unsigned char)t[i + 1]))
			return end;
		for (i++; i < len && (wordc((unsigned char)t[i]) ||
		    t[i] == '.' || t[i] == '-'); i++)
			;
		end = i;
	}
}

/* Where the first title mention of a primary entity starts (the
 * dictionary's), or SIZE_MAX. */
static size_t
first_primary_at(const struct work *w, const struct item_annotation *ann)
{
	size_t i, k, at = SIZE_MAX;

	for (i = 0; i < w->n_occ; i++) {
		const struct occ *o = &w->occ[i];

		if (o->dead || o->seg != 0 || o->start >= at)
			continue;
		for (k = 0; k < ann->n_entities; k++)
			if (w->ent_co[k] == o->company &&
			    ann->entities[k].role == ITEM_ROLE_PRIMARY)
				at = o->start;
	}
	return at;
}

/*
 * Symbols the dictionary does not know become entities: a cashtag
 * ("$SITC: Compass Point cuts to Sell") named by its symbol, a listing
 * in brackets ("Acme Robotics (NASDAQ: ACMR) announces ...") by the name
 * before it.  A cashtag in the title's leading block of cashtags is the
 * subject: primary, first, and a company named later in the headline
 * without a cashtag of its own is only mentioned ("$PRTY - Moody's turns
 * negative on Party City").  A listing in the title before any company
 * the dictionary knows is the subject the same way.
 */
static void
add_unknown_symbols(struct work *w, struct item_annotation *ann,
    int *centrality)
{
	size_t i, k, lead, first;
	int demoted = 0;

	if (w->n_unk == 0)
		return;
	lead = lead_cashtags_end(w->seg[0].s, w->seg[0].len);
	first = first_primary_at(w, ann);

	for (i = 0; i < w->n_unk; i++) {
		struct item_entity e;
		const char *t = w->seg[w->unk[i].seg].s;
		const char *sym = t + w->unk[i].start;
		size_t n = w->unk[i].end - w->unk[i].start, at;
		size_t nl = w->unk[i].name_end - w->unk[i].name_start;
		int dup = 0, subject;

		memset(&e, 0, sizeof(e));
		if (n >= sizeof(e.ticker))
			continue;
		memcpy(e.ticker, sym, n);
		if (nl > 0) {
			if (nl >= sizeof(e.name))
				nl = sizeof(e.name) - 1;
			/* do not cut a UTF-8 sequence */
			while (nl > 0 && ((unsigned char)t[w->unk[i].name_start +
			    nl] & 0xc0) == 0x80)
				nl--;
			memcpy(e.name, t + w->unk[i].name_start, nl);
		} else
			memcpy(e.name, sym, n);
		for (k = 0; k < ann->n_entities; k++)
			if (strcmp(ann->entities[k].ticker, e.ticker) == 0)
				dup = 1;
		/* a company the dictionary knows under another symbol
		 * ("Unilever (LSE: ULVR)" is UL) */
		for (k = 0; nl > 0 && k < w->n_occ; k++)
			if (!w->occ[k].dead && w->occ[k].seg == w->unk[i].seg &&
			    w->occ[k].start < w->unk[i].name_end &&
			    w->occ[k].end > w->unk[i].name_start)
				dup = 1;
		if (dup || ann->n_entities >= ITEM_MAX_ENTITIES)
			continue;
		e.role = ITEM_ROLE_MENTIONED;
		at = ann->n_entities;
		subject = w->unk[i].seg == 0 && (w->unk[i].exchange ?
		    (nl > 0 ? w->unk[i].name_start : w->unk[i].start) < first :
		    w->unk[i].end <= lead);
		if (subject) {
			e.role = ITEM_ROLE_PRIMARY;
			/* after the primaries that are cashtags too */
			for (at = 0; at < ann->n_entities &&
			    ann->entities[at].role == ITEM_ROLE_PRIMARY &&
			    has_lead_cashtag(w->seg[0].s, lead,
			    ann->entities[at].ticker); at++)
				;
			if (!demoted) {
				for (k = at; k < ann->n_entities; k++)
					ann->entities[k].role =
					    ITEM_ROLE_MENTIONED;
				demoted = 1;
			}
		}
		memmove(&ann->entities[at + 1], &ann->entities[at],
		    (ann->n_entities - at) * sizeof(ann->entities[0]));
		memmove(&w->ent_co[at + 1], &w->ent_co[at],
		    (ann->n_entities - at) * sizeof(w->ent_co[0]));
		ann->entities[at] = e;
		w->ent_co[at] = UINT32_MAX;
		ann->n_entities++;
		if (w->unk[i].seg == 0 && *centrality < 2)
			*centrality = 2;
		else if (*centrality < 1)
			*centrality = 1;
	}
}

static void
score_categories(struct work *w, struct item_annotation *ann,
    long event, const int *sectors, const int *sector_primary,
    size_t n_sectors, int has_private)
{
	const struct analyze_ctx *ctx = w->ctx;
	unsigned score[64];
	size_t i, j, k, ncat = ctx->n_cats < 64 ? ctx->n_cats : 64;
	uint32_t seen[MAX_CATHITS];
	size_t n_seen = 0, ncand = 0;
	uint64_t bloom = 0;	/* keys seen, by their low six bits */
	uint8_t cand[64];

	memset(score, 0, sizeof(score));
	for (i = 0; i < w->n_cat; i++) {
		const struct catrule_hit *h = &w->cat[i];
		const struct catrule *r = &ctx->rules[h->rule];
		uint32_t key = (h->rule << 1) | h->seg;
		uint64_t bit = (uint64_t)1 << (key & 63);
		int dup = 0;

		if (bloom & bit) {
			for (j = 0; j < n_seen; j++)
				if (seen[j] == key)
					dup = 1;
		}
		bloom |= bit;
		if (dup || r->cat >= ncat)
			continue;
		seen[n_seen++] = key;
		score[r->cat] += (unsigned)r->weight2 * (h->seg == 0 ? 2 : 1);
	}
	if (event >= 0 && (size_t)event < ctx->ev_hints.nkeys)
		for (k = ctx->ev_hints.at[event]; k <
		    ctx->ev_hints.at[event + 1]; k++)
			score[ctx->ev_hints.v[k].cat] +=
			    ctx->ev_hints.v[k].weight2;
	if (has_private && ctx->priv_hints.nkeys)
		for (k = ctx->priv_hints.at[0]; k < ctx->priv_hints.at[1];
		    k++)
			score[ctx->priv_hints.v[k].cat] +=
			    ctx->priv_hints.v[k].weight2;
	for (j = 0; j < n_sectors; j++) {
		size_t sec = (size_t)sectors[j];

		if (sectors[j] < 0 || sec >= ctx->sec_hints.nkeys)
			continue;
		for (k = ctx->sec_hints.at[sec]; k <
		    ctx->sec_hints.at[sec + 1]; k++) {
			const struct hint *h = &ctx->sec_hints.v[k];

			score[h->cat] += sector_primary[j] ? h->weight2 :
			    h->weight2 / 2;
		}
	}
	/* Highest score first, the first category on a tie; only those
	 * over the threshold can be picked. */
	for (i = 0; i < ncat; i++)
		if (score[i] >= CAT_THRESHOLD_X2)
			cand[ncand++] = (uint8_t)i;
	ann->n_categories = 0;
	while (ann->n_categories < ITEM_MAX_CATEGORIES) {
		unsigned best = 0;
		size_t bi = 0;

		for (j = 0; j < ncand; j++)
			if (score[cand[j]] > best) {
				best = score[cand[j]];
				bi = cand[j];
			}
		if (best < CAT_THRESHOLD_X2)
			break;
		/* both NUL-padded arrays of ITEM_CATEGORY_LEN */
		memcpy(ann->categories[ann->n_categories++], ctx->cats[bi],
		    ITEM_CATEGORY_LEN);
		score[bi] = 0;
	}
}

/* ---- the analysis text ---- */

/*
 * Appends for the analysis text: the buffer is terminated once, in
 * analyze_segments(), and literals are copied with their known length.
 */
static inline void
put(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
}

#define PUTL(sb, lit)	put((sb), "" lit, sizeof(lit) - 1)

static inline void
puts_(struct strbuf *sb, const char *s)
{
	put(sb, s, strlen(s));
}

static inline void
putc_(struct strbuf *sb, char c)
{
	put(sb, &c, 1);
}

/* Room for n more bytes (and the terminator); where they go. */
static inline char *
room(struct strbuf *sb, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		strbuf_grow(sb, n);
	return sb->buf + sb->len;
}

static void
add_fixed(struct strbuf *sb, double v, int sign)
{
	char *b = room(sb, 5);
	int neg = v < 0, i = 0, n;

	if (!isfinite(v))
		v = 0;
	n = (int)(fabs(v) * 100 + 0.5);
	if (neg && n == 0)
		neg = 0;
	if (neg)
		b[i++] = '-';
	else if (sign)
		b[i++] = '+';
	b[i++] = (char)('0' + (n / 100) % 10);
	b[i++] = '.';
	b[i++] = (char)('0' + (n / 10) % 10);
	b[i++] = (char)('0' + n % 10);
	sb->len += (size_t)i;
}

/* v >= 0 with one decimal when dec: "3.4", "250". */
static void
add_num(struct strbuf *sb, double v, int dec)
{
	char b[24];
	unsigned long long n;
	int i = (int)sizeof(b);

	if (!isfinite(v) || v < 0)
		v = 0;
	if (v > 1e15)
		v = 1e15;
	n = (unsigned long long)(v * (dec ? 10 : 1) + 0.5);
	if (dec) {
		b[--i] = (char)('0' + n % 10);
		b[--i] = '.';
		n /= 10;
	}
	do {
		b[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	put(sb, b + i, sizeof(b) - (size_t)i);
}

static void
add_mcap(struct strbuf *sb, double bn)
{
	putc_(sb, '$');
	if (bn >= 1000) {
		add_num(sb, bn / 1000, 1);
		PUTL(sb, "tn");
	} else {
		add_num(sb, bn, bn < 10);
		PUTL(sb, "bn");
	}
}

static void
add_list_sep(struct strbuf *sb, size_t i, size_t n)
{
	if (i == 0)
		return;
	if (i + 1 == n)
		PUTL(sb, " and ");
	else
		PUTL(sb, ", ");
}

static const char *
part_words(const char *name)
{
	static const struct {
		const char *part, *words;
	} w[] = {
		{ "event", "the event class" },
		{ "magnitude", "the size of the figures" },
		{ "size", "the company's size" },
		{ "centrality", "a company named in the headline" },
		{ "source", "the source's weight" },
		{ "sentiment", "the strength of the tone" },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(w); i++)
		if (w[i].part[0] == name[0] && strcmp(w[i].part, name) == 0)
			return w[i].words;
	return name;
}

/* The parts the explanation leaves out: the constant and the
 * adjustments. */
static int
quiet_part(const char *nm)
{
	switch (nm[0]) {
	case 'b':
		return strcmp(nm, "base") == 0;
	case 'n':
		return strcmp(nm, "novelty") == 0;
	case 'c':
		return strcmp(nm, "clamp") == 0;
	default:
		return 0;
	}
}

/* The sentence on the score: its figure, its three largest parts and the
 * repeat penalty. */
static void
write_why(struct strbuf *sb, const struct item_annotation *ann, int repeat)
{
	size_t i, n;
	int order[ITEM_MAX_PARTS];

	PUTL(sb, "Impact ");
	add_fixed(sb, ann->impact, 0);
	puts_(sb, ann->impact >= 0.6 ? " (high)" : ann->impact >= 0.35 ?
	    " (moderate)" : " (low)");
	n = 0;
	for (i = 0; i < ann->n_parts; i++) {
		const char *nm = ann->parts[i].name;

		if (quiet_part(nm) || ann->parts[i].value < 0.02)
			continue;
		order[n++] = (int)i;
	}
	/* strongest first */
	for (i = 1; i < n; i++) {
		int t = order[i];
		size_t m = i;

		while (m > 0 && ann->parts[order[m - 1]].value <
		    ann->parts[t].value) {
			order[m] = order[m - 1];
			m--;
		}
		order[m] = t;
	}
	if (n > 3)
		n = 3;
	if (n) {
		PUTL(sb, " comes mainly from ");
		for (i = 0; i < n; i++) {
			add_list_sep(sb, i, n);
			puts_(sb, part_words(ann->parts[order[i]].name));
			PUTL(sb, " (");
			add_fixed(sb, ann->parts[order[i]].value, 1);
			putc_(sb, ')');
		}
	} else
		PUTL(sb, ": nothing in the text points to a market move");
	if (repeat)
		PUTL(sb, "; it repeats an earlier report (-0.12)");
	PUTL(sb, ". ");
}

static void
write_analysis(const struct work *w, struct item_annotation *ann,
    long event, const struct sentiment_result *sr, int repeat,
    struct strbuf *sb)
{
	const struct analyze_ctx *ctx = w->ctx;
	const struct impact_event *ev = event >= 0 ?
	    impact_event(ctx->ev, (size_t)event) : NULL;
	const struct item_entity *pe = ann->n_entities ? &ann->entities[0] :
	    NULL;
	const struct impact_amounts *a = &w->amounts;
	size_t i, n, others = 0;

	/* 1. What happened. */
	if (pe != NULL) {
		puts_(sb, pe->name);
		/* (a cashtag the dictionary does not know is its own name) */
		if (pe->ticker[0] && strcmp(pe->ticker, pe->name) != 0) {
			PUTL(sb, " (");
			puts_(sb, pe->ticker);
			putc_(sb, ')');
		}
		puts_(sb, ev ? " is at the centre of " :
		    " is in the news");
	} else
		puts_(sb, ev ? "The item reports " : "The item names "
		    "no listed company and");
	if (ev)
		puts_(sb, ev->desc);
	else
		puts_(sb, pe ? " without a clear market-moving event" :
		    " has no clear market-moving event");
	for (i = 1; i < ann->n_entities; i++)
		if (ann->entities[i].role == ITEM_ROLE_MENTIONED)
			others++;
	if (others && pe) {
		size_t k = 0;

		PUTL(sb, ", involving ");
		for (i = 1; i < ann->n_entities && k < 3; i++) {
			const struct item_entity *e = &ann->entities[i];

			if (e->role != ITEM_ROLE_MENTIONED)
				continue;
			add_list_sep(sb, k, others < 3 ? others : 3);
			puts_(sb, e->name);
			if (!e->ticker[0])
				PUTL(sb, " (private)");
			k++;
		}
	}
	if (a->n) {
		n = a->n < 4 ? a->n : 4;
		PUTL(sb, "; figures cited: ");
		for (i = 0; i < n; i++) {
			add_list_sep(sb, i, n);
			if (a->v[i].up_to)
				PUTL(sb, "up to ");
			puts_(sb, a->v[i].text);
		}
	} else if (a->pct_text[0]) {
		PUTL(sb, "; the key figure is ");
		puts_(sb, a->pct_text);
	}
	PUTL(sb, ". ");

	/* 2. Who is affected. */
	if (pe != NULL) {
		size_t k = 0;

		PUTL(sb, "Affected: ");
		for (i = 0; i < ann->n_entities && i < 4; i++) {
			const struct item_entity *e = &ann->entities[i];
			const struct dict_company *co = dict_company(ctx->co,
			    w->ent_co[i]);

			if (k++)
				PUTL(sb, "; ");
			puts_(sb, e->ticker[0] ? e->ticker : e->name);
			puts_(sb, e->role == ITEM_ROLE_PRIMARY ?
			    " (primary" : " (mentioned");
			if (co && co->sector) {
				PUTL(sb, ", ");
				puts_(sb, co->sector);
			}
			if (co && co->mcap > 0) {
				PUTL(sb, ", ");
				add_mcap(sb, co->mcap);
				PUTL(sb, " market cap");
			}
			if (!e->ticker[0])
				PUTL(sb, ", private");
			putc_(sb, ')');
		}
		if (ann->n_entities > 4)
			PUTL(sb, " and others");
		PUTL(sb, ". ");
	}

	/* 3. Why the score. */
	ann->why_at = sb->len;
	write_why(sb, ann, repeat);
	ann->why_end = sb->len;

	/* 4. Sentiment and its cues. */
	PUTL(sb, "Tone is ");
	puts_(sb, ann->sentiment_label > 0 ? "positive" :
	    ann->sentiment_label < 0 ? "negative" : "neutral");
	PUTL(sb, " (");
	add_fixed(sb, ann->sentiment, 1);
	putc_(sb, ')');
	if (sr->n_cues) {
		n = sr->n_cues < 3 ? sr->n_cues : 3;
		PUTL(sb, " on ");
		for (i = 0; i < n; i++) {
			const struct sentiment_entry *e =
			    sentiment_entry(ctx->lex, sr->cues[i].entry);
			const struct sentiment_entry *m =
			    sr->cues[i].other != UINT32_MAX ?
			    sentiment_entry(ctx->lex, sr->cues[i].other) :
			    NULL;

			add_list_sep(sb, i, n);
			putc_(sb, '"');
			if (sr->cues[i].negated)
				PUTL(sb, "not ");
			if (sr->cues[i].end > sr->cues[i].start &&
			    sr->cues[i].end - sr->cues[i].start < 64 &&
			    sr->cues[i].end <= w->seg[sr->cues[i].seg & 1].len) {
				/* an analyst action, as written: "cut to
				 * Neutral" */
				strbuf_add(sb, w->seg[sr->cues[i].seg & 1].s +
				    sr->cues[i].start, sr->cues[i].end -
				    sr->cues[i].start);
			} else {
				if (m) {
					puts_(sb, m->phrase);
					putc_(sb, ' ');
				}
				puts_(sb, e->phrase);
			}
			putc_(sb, '"');
		}
	} else
		PUTL(sb, ", with no strong cue words");
	if (sr->hedged)
		PUTL(sb, "; the wording is hedged");
	if (sr->boilerplate)
		PUTL(sb, "; routine announcement language");
	PUTL(sb, ".");

	/* 5. Themes. */
	if (ann->n_categories) {
		PUTL(sb, " Themes: ");
		for (i = 0; i < ann->n_categories; i++) {
			add_list_sep(sb, i, ann->n_categories);
			puts_(sb, ann->categories[i]);
		}
		putc_(sb, '.');
	}
}

/* Events a routine or opinion headline phrase does not hide
 * (bankruptcy, M&A, drug decisions: "to present Phase 3 results" is
 * still news; "3 dividend stocks to buy" is no capital return). */
#define ROUTINE_KEEPS 0.27

/* Whether byte start of segment seg is inside an analyst action, after
 * its verb's first byte (the verb, "downgraded", is news of its own). */
static int
in_action(const struct sentiment_result *sr, int seg, uint32_t start)
{
	size_t i;

	for (i = 0; i < sr->n_cues; i++)
		if (sr->cues[i].end > sr->cues[i].start &&
		    sr->cues[i].seg == seg && start > sr->cues[i].start &&
		    start < sr->cues[i].end)
			return 1;
	return 0;
}

/*
 * The words of an analyst action are no other event: "downgraded to buy
 * from strong buy" is no acquisition ("to buy").  Its rating may still
 * say it is an analyst action ("cut to Market Perform").
 */
static void
drop_in_actions(struct work *w, const struct sentiment_result *sr)
{
	size_t i, k;

	for (i = 0; i < sr->n_cues; i++)
		if (sr->cues[i].end > sr->cues[i].start)
			break;
	if (i == sr->n_cues)
		return;
	for (i = k = 0; i < w->n_ev; i++)
		if ((long)w->ev[i].event == w->ctx->ev_analyst ||
		    !in_action(sr, w->ev[i].seg, w->ev[i].start))
			w->ev[k++] = w->ev[i];
	w->n_ev = k;
}

/* Whether event hit i lies inside a longer one of another event: "to
 * buy" (M&A) in "stocks to buy" (opinion). */
static int
ev_inside(const struct work *w, size_t i)
{
	const struct evhit *a = &w->ev[i];
	size_t j;

	for (j = 0; j < w->n_ev; j++) {
		const struct evhit *b = &w->ev[j];

		if (j != i && b->seg == a->seg && b->event != a->event &&
		    b->start <= a->start && b->end >= a->end &&
		    b->end - b->start > a->end - a->start)
			return 1;
	}
	return 0;
}

static long
pick_event(const struct work *w, int *in_title)
{
	double best = -1;
	long bi = -1, quiet = -1, routine = w->ctx->ev_routine;
	size_t i;

	*in_title = 0;
	/* a routine or opinion headline (routine first) */
	for (i = 0; i < w->n_ev; i++)
		if (w->ev[i].seg == 0 && ((long)w->ev[i].event == routine ||
		    (long)w->ev[i].event == w->ctx->ev_opinion) &&
		    quiet != routine && !ev_inside(w, i))
			quiet = (long)w->ev[i].event;
	for (i = 0; i < w->n_ev; i++) {
		const struct impact_event *e = impact_event(w->ctx->ev,
		    w->ev[i].event);
		double s = e->weight * (w->ev[i].seg == 0 ? 1 : 0.7);

		if ((quiet >= 0 && e->weight < ROUTINE_KEEPS) ||
		    ev_inside(w, i))
			continue;
		if (s > best) {
			best = s;
			bi = (long)w->ev[i].event;
			*in_title = w->ev[i].seg == 0;
		}
	}
	if (bi < 0 && quiet >= 0) {
		bi = quiet;
		*in_title = 1;
	}
	return bi;
}

static void
analyze_segments(const struct analyze_ctx *ctx, struct work *w,
    const struct analyze_input *in, struct item_annotation *out)
{
	struct sentiment_result sr;
	struct impact_input ii;
	struct strbuf sb;
	int sectors[ITEM_MAX_ENTITIES];
	int sector_primary[ITEM_MAX_ENTITIES];
	size_t i, ns = 0;
	long event;
	int event_in_title, centrality, has_private;
	double mcap;

	for (w->cur = 0; w->cur < 2; w->cur++) {
		struct seg *sg = &w->seg[w->cur];

		if (sg->len == 0)
			continue;
		tokenize(w, sg);
		w->tok_hint = w->cl_hint = 0;
		dict_scan_words(ctx->ac, sg->s, sg->len, on_match, w);
		scan_signed_moves(w, sg);
	}
	resolve_entities(w, out, &centrality, &mcap, &has_private);
	add_unknown_symbols(w, out, &centrality);
	{
		const char *const st[2] = { w->seg[0].s, w->seg[1].s };
		const size_t sl[2] = { w->seg[0].len, w->seg[1].len };

		sentiment_score_text(ctx->lex, w->lex, w->n_lex, st, sl, &sr);
	}
	out->sentiment = round(sr.score * 100) / 100;
	out->sentiment_label = sr.label;
	drop_in_actions(w, &sr);
	event = pick_event(w, &event_in_title);
	if (event >= 0)
		util_strlcpy(out->event, impact_event(ctx->ev,
		    (size_t)event)->name, sizeof(out->event));
	for (i = 0; i < out->n_entities; i++) {
		int sec = w->ent_co[i] == UINT32_MAX ? -1 :
		    ctx->co_sector[w->ent_co[i]];

		if (sec >= 0) {
			sectors[ns] = sec;
			sector_primary[ns++] =
			    out->entities[i].role == ITEM_ROLE_PRIMARY;
		}
	}
	score_categories(w, out, event, sectors, sector_primary, ns,
	    has_private);
	memset(&ii, 0, sizeof(ii));
	ii.event_weight = event >= 0 ?
	    impact_event(ctx->ev, (size_t)event)->weight : -1;
	ii.event_in_title = event_in_title;
	ii.amounts = &w->amounts;
	ii.mcap = mcap;
	ii.has_private = has_private;
	ii.centrality = centrality;
	ii.source_weight = in->source_weight;
	ii.sentiment = out->sentiment;
	ii.repeat = in->repeat;
	impact_score(&ii, out);
	strbuf_init(&sb);
	strbuf_grow(&sb, 640);
	write_analysis(w, out, event, &sr, in->repeat, &sb);
	sb.buf[sb.len] = '\0';
	out->analysis = strbuf_detach(&sb, NULL);
}

static size_t
cap_len(const char *s, size_t max)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	n = strnlen(s, max);
	/* do not cut a UTF-8 sequence */
	if (n == max)
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	return n;
}

void
analyze_text(const struct analyze_ctx *ctx, const struct analyze_input *in,
    struct item_annotation *out)
{
	struct work work, *w = &work;	/* about 32 KiB, not cleared */
	size_t tl = cap_len(in->title, TITLE_MAX);
	size_t sl = cap_len(in->summary, SUMMARY_MAX);

	item_annotation_clear(out);
	w->ctx = ctx;
	w->n_occ = w->n_lex = w->n_ev = w->n_cat = w->n_unk = 0;
	w->n_cue[0] = w->n_cue[1] = 0;
	memset(&w->amounts, 0, sizeof(w->amounts));
	if (tl)
		memcpy(w->title, in->title, tl);
	memset(w->title + tl, 0, 9);
	if (sl)
		memcpy(w->summary, in->summary, sl);
	memset(w->summary + sl, 0, 9);
	w->seg[0].s = w->title;
	w->seg[0].len = tl;
	w->seg[1].s = w->summary;
	w->seg[1].len = sl;
	w->seg[0].tokend = w->tok_title;
	w->seg[0].clev = w->cl_title;
	w->seg[1].tokend = w->tok_summary;
	w->seg[1].clev = w->cl_summary;
	w->seg[0].ntok = w->seg[1].ntok = w->seg[0].ncl = w->seg[1].ncl = 0;
	analyze_segments(ctx, w, in, out);
	out->valid = 1;
	out->version = ANALYZE_VERSION;
}

void
analyze_item(const struct analyze_ctx *ctx, struct item *it, int repeat)
{
	struct analyze_input in;

	in.title = it->title ? it->title : "";
	in.summary = it->summary;
	in.source_weight = it->source_weight;
	in.repeat = repeat;
	analyze_text(ctx, &in, &it->ann);
}

void
analyze_item_repeat(const struct analyze_ctx *ctx, struct item *it)
{
	struct item_annotation *ann = &it->ann;
	struct strbuf sb;
	size_t len;

	len = ann->analysis != NULL ? strlen(ann->analysis) : 0;
	if (!ann->valid || ann->version != ANALYZE_VERSION ||
	    ann->why_end <= ann->why_at || ann->why_end > len ||
	    strncmp(ann->analysis + ann->why_at, "Impact ", 7) != 0) {
		analyze_item(ctx, it, 1);
		return;
	}
	impact_mark_repeat(ann);
	strbuf_init(&sb);
	strbuf_grow(&sb, len + 64);
	put(&sb, ann->analysis, ann->why_at);
	write_why(&sb, ann, 1);
	put(&sb, ann->analysis + ann->why_end, len - ann->why_end);
	ann->why_end += sb.len - len;
	sb.buf[sb.len] = '\0';
	free(ann->analysis);
	ann->analysis = strbuf_detach(&sb, NULL);
}

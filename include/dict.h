/*
 * dict.h - the company dictionary (tickers, names, aliases, private
 * companies) and the Aho-Corasick automaton that finds every name, alias
 * and rule phrase of the analyzer in one pass over a text.
 *
 * The automaton is case-folded (ASCII) and byte based: a match reports the
 * pattern's id and byte span; dict_scan_words() keeps whole words only,
 * and the caller checks case against the original pattern text
 * (dict_pattern()).  Both objects are built once and are read-only
 * afterwards (safe to share across threads).
 */
#ifndef DESKWIRE_DICT_H
#define DESKWIRE_DICT_H

#include <stddef.h>
#include <stdint.h>

/* ---- the automaton ---- */

/*
 * Payload convention of the analyzer's rule families: a kind in the top
 * four bits, a "prefix" bit (the pattern may be followed by more letters:
 * "upgrad*"), and an index into the family's table.
 */
#define DICT_PAYLOAD(kind, prefix, idx) \
	(((uint32_t)(kind) << 28) | ((uint32_t)((prefix) != 0) << 27) | \
	((uint32_t)(idx) & 0x7ffffffU))
#define DICT_KIND(p)	((unsigned)((p) >> 28))
#define DICT_PREFIX(p)	((unsigned)(((p) >> 27) & 1U))
#define DICT_INDEX(p)	((uint32_t)((p) & 0x7ffffffU))

struct dict;

struct dict *dict_new(void);
void dict_free(struct dict *d);
/*
 * Add a pattern of len bytes (copied) with a caller payload.  Returns the
 * pattern id.  Only before dict_build().  Empty patterns are ignored
 * (returns UINT32_MAX).
 */
uint32_t dict_add(struct dict *d, const char *pat, size_t len,
    uint32_t payload);
/* Compute failure links; after this only the lookups below are allowed. */
void dict_build(struct dict *d);

struct dict_match {
	uint32_t pattern;	/* id from dict_add() */
	uint32_t payload;
	uint32_t start;		/* byte offset of the first byte */
	uint32_t len;		/* bytes */
};

/*
 * Every occurrence of every pattern in text (ASCII case-insensitive,
 * tab/CR/LF match a space), in order of their end offset.  Calls fn for
 * each; fn returns 0 to go on, non-zero to stop.
 */
typedef int (*dict_match_fn)(void *arg, const struct dict_match *m);
void dict_scan(const struct dict *d, const char *text, size_t len,
    dict_match_fn fn, void *arg);
/*
 * The same, keeping only whole words: a pattern whose first byte is an
 * ASCII letter or digit matches only where no word character ends right
 * before it, and one whose last byte is one only where no word character
 * follows, unless its payload has the prefix bit (DICT_PREFIX).  Word
 * characters: ASCII letters and digits, and UTF-8 bytes except those of
 * typographic dashes, quotes (U+2013..U+201F) and U+00A0.
 */
void dict_scan_words(const struct dict *d, const char *text, size_t len,
    dict_match_fn fn, void *arg);
/* The pattern as added (not folded); len set. */
const char *dict_pattern(const struct dict *d, uint32_t id, size_t *len);
size_t dict_n_patterns(const struct dict *d);
size_t dict_n_states(const struct dict *d);
/* Bytes the automaton holds on the heap. */
size_t dict_memory(const struct dict *d);

/* ---- the company table ---- */

enum {
	DICT_F_WORD = 1,	/* w: the symbol is an ordinary word */
	DICT_F_COMMON = 2,	/* c: some alias is an ordinary word */
	DICT_F_PRIVATE = 4,	/* no ticker */
	DICT_F_IMPORTED = 8	/* from a company_tickers.json import */
};

struct dict_company {
	char *ticker;		/* upper case; NULL for a private company */
	char *exchange;		/* "NASDAQ"; NULL when unknown */
	char *name;		/* display name */
	char *sector;		/* GICS sector, "ETF", or NULL */
	double mcap;		/* market cap, $bn; 0 when unknown */
	unsigned flags;		/* DICT_F_* */
	char **aliases;		/* names people write (includes name) */
	size_t n_aliases;
};

struct dict_companies;

struct dict_companies *dict_companies_new(void);
void dict_companies_free(struct dict_companies *dc);

/*
 * Parse a tickers.tsv text (TICKER EXCHANGE NAME ALIASES FLAGS SECTOR
 * MCAP) named name; a ticker already known gets the aliases added.
 * Returns 0, or -1 with "name:line: ..." in err (entries before the bad
 * line are kept).
 */
int dict_load_tickers(struct dict_companies *dc, const char *name,
    const char *text, size_t len, char *err, size_t errlen);
/* The same for private.tsv (NAME ALIASES SECTOR NOTE). */
int dict_load_private(struct dict_companies *dc, const char *name,
    const char *text, size_t len, char *err, size_t errlen);
/*
 * Add or extend one company (ticker NULL: private).  aliases may be NULL.
 * Returns its index.
 */
size_t dict_add_company(struct dict_companies *dc, const char *ticker,
    const char *name, const char *const *aliases, size_t n_aliases,
    unsigned flags);

size_t dict_companies_count(const struct dict_companies *dc);
const struct dict_company *dict_company(const struct dict_companies *dc,
    size_t i);
/* The company with this symbol (case-insensitive), or -1. */
long dict_find_ticker(const struct dict_companies *dc, const char *sym,
    size_t len);
/* Bytes held by the table. */
size_t dict_companies_memory(const struct dict_companies *dc);

/*
 * Is this alias of a company an ordinary word that needs capitalisation
 * and context?  (A c-flagged company's plain one- or two-word alias.)
 */
int dict_alias_is_common(const struct dict_company *co, const char *alias);

/*
 * "Apple Inc." -> "Apple", "ALPHABET INC." -> "Alphabet": the name people
 * write, without the legal suffix, case restored when all-caps.  Writes
 * into buf (size bufsize).  Returns the length (0 if nothing useful).
 */
size_t dict_short_name(const char *title, char *buf, size_t bufsize);

/*
 * Read a SEC company_tickers.json-style document ({"0": {"cik_str": ..,
 * "ticker": .., "title": ..}, ...}) or company_tickers_exchange.json
 * ({"fields": ["cik", "name", "ticker", "exchange"], "data": [[...], ...]})
 * and append one TSV line per company (tickers.tsv format, i flag, the
 * exchange when given) to out, skipping entries whose names would raise
 * false alarms.  *n_out counts the lines, *n_skipped the
 * dropped entries.  Returns 0, or -1 with a message when the text is not
 * that shape.
 */
struct strbuf;
int dict_import_sec_json(const char *json, size_t len, struct strbuf *out,
    size_t *n_out, size_t *n_skipped, char *err, size_t errlen);

#endif

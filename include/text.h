/*
 * text.h - text hygiene shared by the parser, the analyzer and the UI:
 * HTML to plain text, UTF-8 repair, control/escape stripping, display width.
 */
#ifndef DESKWIRE_TEXT_H
#define DESKWIRE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * HTML fragment -> plain text as libxml2's HTML parser reads it: entities
 * decoded, script/style dropped, block elements become line breaks, white
 * space collapsed (paragraph breaks kept as "\n\n" when keep_paras).  At most max
 * bytes of output (cut on a character boundary).  Heap result.
 */
char *text_html_to_plain(const char *html, size_t len, size_t max,
    int keep_paras);

/*
 * The same conversion with a reusable HTML parser context, for callers
 * that convert many fragments in a row (one per thread; not shared).
 * text_html_convert() returns a heap string like text_html_to_plain().
 */
struct text_html;
struct text_html *text_html_new(void);
void text_html_free(struct text_html *h);
char *text_html_convert(struct text_html *h, const char *html, size_t len,
    size_t max, int keep_paras);

/*
 * Which converter h uses.  AUTO (the default): the single-pass fast path
 * for the plain markup most feeds send, libxml2 for everything else; the
 * two give the same text.  LIBXML: always libxml2.  FAST: only the fast
 * path; text_html_convert() then returns NULL for fragments it leaves to
 * libxml2.  The last two exist so tests can compare the paths.
 */
enum { TEXT_HTML_AUTO, TEXT_HTML_FAST, TEXT_HTML_LIBXML };
void text_html_set_path(struct text_html *h, int path);

/*
 * Make s (len bytes, NUL not needed) safe to show and store: invalid UTF-8
 * sequences become U+FFFD, C0/C1 controls and DEL removed, terminal escape
 * sequences (CSI, OSC, DCS, ... in 7-bit and C1 form) removed whole, bidi
 * overrides/isolates (U+202A-U+202E, U+2066-U+2069) and BOMs removed,
 * white space runs collapsed to one space (with keep_newlines, line breaks
 * survive, at most two in a row), ends trimmed; cut at max bytes (0: no
 * cap) on a character boundary.  Heap result, never NULL.
 */
char *text_clean(const char *s, size_t len, size_t max, int keep_newlines);

/*
 * The code point of the HTML 4 named entity name[0..len) ("eacute" ->
 * 0xE9), or 0 when there is none.  Thread-safe.
 */
unsigned text_html_entity(const char *name, size_t len);

/* Is s (len bytes) well-formed UTF-8: no overlong forms, surrogates or
 * code points past U+10FFFF? */
int text_utf8_valid(const char *s, size_t len);

/* Code point cp (below 0x110000) in UTF-8 at o, which has room for 4
 * bytes; returns the number of bytes written. */
size_t text_utf8_put(unsigned char *o, uint32_t cp);

/*
 * Terminal columns s takes: UTF-8 decoded here, wcwidth() per code point,
 * a built-in table when the locale cannot tell (combining 0, East Asian
 * wide and emoji 2); an invalid byte counts 1.
 */
int text_width(const char *s);

/*
 * Copy as much of s as fits in cols columns into buf (bufsize bytes,
 * always terminated), ending with "…" when cut (the ellipsis takes one of
 * the cols).  Returns the columns used.
 */
int text_fit(const char *s, int cols, char *buf, size_t bufsize);

#endif

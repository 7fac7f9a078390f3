/*
 * text.h - text hygiene shared by the parser, the analyzer and the UI:
 * HTML to plain text, UTF-8 repair, control/escape stripping, display width.
 */
#ifndef DESKWIRE_TEXT_H
#define DESKWIRE_TEXT_H

#include <stddef.h>

/*
 * HTML fragment -> plain text with libxml2's HTML parser: entities decoded,
 * script/style dropped, block elements become line breaks, white space
 * collapsed (paragraph breaks kept as "\n\n" when keep_paras).  At most max
 * bytes of output (cut on a character boundary).  Heap result.
 */
char *text_html_to_plain(const char *html, size_t len, size_t max,
    int keep_paras);

/*
 * Make s safe to show and store: invalid UTF-8 sequences become U+FFFD,
 * C0/C1 controls and DEL removed (tab/newline become a space unless
 * keep_newlines), terminal escape sequences removed, white space runs
 * collapsed, ends trimmed; cut at max bytes on a character boundary.
 * Heap result.
 */
char *text_clean(const char *s, size_t len, size_t max, int keep_newlines);

/* Terminal columns s takes (wcwidth per character; invalid = 1). */
int text_width(const char *s);

/*
 * Copy as much of s as fits in cols columns into buf (bufsize bytes),
 * adding "…" when cut.  Returns the columns used.
 */
int text_fit(const char *s, int cols, char *buf, size_t bufsize);

#endif

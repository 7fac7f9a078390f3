/*
 * theme.h - colour themes for the dashboard: themes/NAME.theme files map
 * UI elements to colours and attributes, with fallbacks for 16- and
 * 8-colour terminals and a monochrome mode (NO_COLOR).
 *
 * File format, one element per line ('#' starts a comment):
 *
 *   element = FG BG [bold] [underline] [reverse] [dim] [| FG8 BG8]
 *
 * Colours are names (default, black, red, green, yellow, blue, magenta,
 * cyan, white, bright-black .. bright-white; grey = bright-black) or
 * numbers 0-255; "default" (or "-") is the terminal's own colour.  The
 * part after '|' is used on terminals with fewer than 256 colours (if
 * absent, the nearest basic colour is computed).  Elements not named take
 * the "normal" element's colours.
 */
#ifndef DESKWIRE_THEME_H
#define DESKWIRE_THEME_H

#include <stddef.h>

enum theme_elem {
	THEME_NORMAL,
	THEME_BORDER,
	THEME_PANE_TITLE,
	THEME_PANE_FOCUS,	/* title of the focused pane */
	THEME_TIME,
	THEME_SOURCE,
	THEME_IMPACT_HIGH,	/* >= 0.6 */
	THEME_IMPACT_MID,	/* >= 0.3 */
	THEME_IMPACT_LOW,
	THEME_UP,		/* positive sentiment */
	THEME_DOWN,
	THEME_FLAT,
	THEME_TICKER,
	THEME_TICKER_WATCH,	/* a watchlist ticker */
	THEME_UNREAD,
	THEME_READ,
	THEME_SELECTED,
	THEME_NEW,		/* arrived since start */
	THEME_ALERT,
	THEME_STAR,
	THEME_STATUS,
	THEME_STATUS_WARN,
	THEME_STATUS_ERROR,
	THEME_KEY,		/* key names in the status line and help */
	THEME_DETAIL_TITLE,
	THEME_LABEL,		/* "Summary", "Analysis", ... */
	THEME_LINK,
	THEME_SPARK,
	THEME_PROMPT,
	THEME_N
};

enum {
	THEME_BOLD = 1 << 0,
	THEME_UNDERLINE = 1 << 1,
	THEME_REVERSE = 1 << 2,
	THEME_DIM = 1 << 3,
	THEME_DEFAULT_COLOR = -1,	/* the terminal's colour */
	THEME_UNSET = -2		/* no 8/16-colour fallback given */
};

struct theme_style {
	short fg, bg;		/* 0-255 or THEME_DEFAULT_COLOR */
	short fg8, bg8;		/* fallback, or THEME_UNSET */
	int attrs;		/* THEME_* bits */
	int set;		/* named in the file */
};

struct theme {
	char name[64];
	struct theme_style s[THEME_N];
};

/* A style resolved for one terminal. */
struct theme_final {
	short fg, bg;		/* colour numbers valid for the terminal, or
				 * THEME_DEFAULT_COLOR */
	int attrs;
};

/* The element's name in theme files ("impact_high"), or NULL. */
const char *theme_elem_name(int elem);

/*
 * Parse a theme file's text (file names it in messages).  On a bad line
 * returns -1 with "file:line: message" in err; out then holds the lines
 * that parsed.  Otherwise 0.  out->name is left alone.
 */
int theme_parse(const char *text, const char *file, struct theme *out,
    char *err, size_t errlen);

/* The built-in fallback: plain colours that work everywhere. */
void theme_builtin(struct theme *out);

/*
 * Load theme name: $XDG_CONFIG_HOME/deskwire/themes/NAME.theme (or
 * ~/.config/...), else the embedded themes/NAME.theme.  On an unknown name
 * or a bad line returns -1 with the message (file:line) in err and out
 * holds the built-in theme; the caller keeps running with it.
 */
int theme_load(const char *name, struct theme *out, char *err,
    size_t errlen);

/* The names `T` cycles through (static). */
const char *theme_next(const char *name);

/*
 * Resolve every element for a terminal with ncolors colours (COLORS) and
 * no_color set when colour must not be used (NO_COLOR or a mono
 * terminal): out has THEME_N entries.
 */
void theme_resolve(const struct theme *t, int ncolors, int no_color,
    struct theme_final *out);

/* 1 if the NO_COLOR environment variable asks for no colour. */
int theme_no_color(void);

#endif

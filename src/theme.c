/*
 * theme.c - theme files -> per-element colours and attributes.
 *
 * Parsing and resolution are pure (no curses) so they can be tested; the
 * UI turns the resolved styles into colour pairs.  Resolution picks the
 * 256-colour value on 256-colour terminals, the file's fallback (or the
 * nearest of the 16 basic colours) on smaller ones, folds bright colours
 * into bold on 8-colour terminals, and drops colour entirely for
 * NO_COLOR, keeping the attributes (the mono theme leans on those).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "theme.h"
#include "util.h"

static const char *const elem_names[THEME_N] = {
	[THEME_NORMAL] = "normal",
	[THEME_BORDER] = "border",
	[THEME_PANE_TITLE] = "pane_title",
	[THEME_PANE_FOCUS] = "pane_focus",
	[THEME_TIME] = "time",
	[THEME_SOURCE] = "source",
	[THEME_IMPACT_HIGH] = "impact_high",
	[THEME_IMPACT_MID] = "impact_mid",
	[THEME_IMPACT_LOW] = "impact_low",
	[THEME_UP] = "up",
	[THEME_DOWN] = "down",
	[THEME_FLAT] = "flat",
	[THEME_TICKER] = "ticker",
	[THEME_TICKER_WATCH] = "ticker_watch",
	[THEME_UNREAD] = "unread",
	[THEME_READ] = "read",
	[THEME_SELECTED] = "selected",
	[THEME_NEW] = "new",
	[THEME_ALERT] = "alert",
	[THEME_STAR] = "star",
	[THEME_STATUS] = "status",
	[THEME_STATUS_WARN] = "status_warn",
	[THEME_STATUS_ERROR] = "status_error",
	[THEME_KEY] = "key",
	[THEME_DETAIL_TITLE] = "detail_title",
	[THEME_LABEL] = "label",
	[THEME_LINK] = "link",
	[THEME_SPARK] = "spark",
	[THEME_PROMPT] = "prompt",
};

static const char *const cycle[] = {
	"default", "light", "solarized-dark", "high-contrast", "mono"
};

/* xterm's 16 basic colours, for mapping 256-colour values down. */
static const unsigned char basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 }
};

const char *
theme_elem_name(int elem)
{
	return elem >= 0 && elem < THEME_N ? elem_names[elem] : NULL;
}

const char *
theme_next(const char *name)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(cycle); i++)
		if (name != NULL && strcmp(name, cycle[i]) == 0)
			return cycle[(i + 1) % UTIL_ARRAY_LEN(cycle)];
	return cycle[0];
}

static int
parse_color(const char *w, short *out)
{
	static const char *const names[8] = {
		"black", "red", "green", "yellow", "blue", "magenta", "cyan",
		"white"
	};
	long v;
	int i;

	if (strcmp(w, "default") == 0 || strcmp(w, "-") == 0 ||
	    strcmp(w, "none") == 0) {
		*out = THEME_DEFAULT_COLOR;
		return 0;
	}
	if (strcmp(w, "grey") == 0 || strcmp(w, "gray") == 0) {
		*out = 8;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (strcmp(w, names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
		if (strncmp(w, "bright-", 7) == 0 &&
		    strcmp(w + 7, names[i]) == 0) {
			*out = (short)(i + 8);
			return 0;
		}
	}
	if (util_parse_long(w, 0, 255, &v) == 0) {
		*out = (short)v;
		return 0;
	}
	return -1;
}

static void
style_init(struct theme_style *s)
{
	s->fg = s->bg = THEME_DEFAULT_COLOR;
	s->fg8 = s->bg8 = THEME_UNSET;
	s->attrs = 0;
	s->set = 0;
}

static void
theme_clear(struct theme *t)
{
	int i;

	for (i = 0; i < THEME_N; i++)
		style_init(&t->s[i]);
}

/* Parse the words of one "element = ..." right-hand side. */
static int
parse_style(char *rhs, struct theme_style *st, char *msg, size_t msglen)
{
	char *w, *save = NULL, *words[16];
	int n = 0, i, ncol = 0, after_bar = 0, nfall = 0;

	for (w = rhs; n < 16; ) {
		while (*w == ' ' || *w == '\t')
			w++;
		if (*w == '\0')
			break;
		words[n++] = w;
		while (*w && *w != ' ' && *w != '\t')
			w++;
		if (*w)
			*w++ = '\0';
	}
	(void)save;
	if (n == 0) {
		util_seterr(msg, msglen, "no colours given");
		return -1;
	}
	for (i = 0; i < n; i++) {
		short c;

		if (strcmp(words[i], "|") == 0) {
			if (after_bar) {
				util_seterr(msg, msglen, "two '|'");
				return -1;
			}
			after_bar = 1;
			continue;
		}
		if (strcmp(words[i], "bold") == 0)
			st->attrs |= THEME_BOLD;
		else if (strcmp(words[i], "underline") == 0)
			st->attrs |= THEME_UNDERLINE;
		else if (strcmp(words[i], "reverse") == 0)
			st->attrs |= THEME_REVERSE;
		else if (strcmp(words[i], "dim") == 0)
			st->attrs |= THEME_DIM;
		else if (parse_color(words[i], &c) == 0) {
			if (after_bar) {
				if (nfall >= 2 || (c > 15)) {
					util_seterr(msg, msglen, "fallback "
					    "'%s': expected two basic colours "
					    "(0-15)", words[i]);
					return -1;
				}
				if (nfall++ == 0)
					st->fg8 = c;
				else
					st->bg8 = c;
			} else {
				if (ncol >= 2) {
					util_seterr(msg, msglen, "more than "
					    "two colours ('%s')", words[i]);
					return -1;
				}
				if (ncol++ == 0)
					st->fg = c;
				else
					st->bg = c;
			}
		} else {
			util_seterr(msg, msglen, "unknown colour or "
			    "attribute '%s'", words[i]);
			return -1;
		}
	}
	if (after_bar && nfall == 1)
		st->bg8 = THEME_DEFAULT_COLOR;
	return 0;
}

int
theme_parse(const char *text, const char *file, struct theme *out,
    char *err, size_t errlen)
{
	const char *p = text, *nl;
	int lineno = 0, rc = 0;

	theme_clear(out);
	while (*p) {
		char line[512], msg[200], *eq, *key, *hash;
		size_t len;
		int e;
		struct theme_style st;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len >= sizeof(line)) {
			if (rc == 0)
				util_seterr(err, errlen, "%s:%d: line too "
				    "long", file, lineno);
			rc = -1;
			goto next;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		util_trim(line);
		if (line[0] == '\0')
			goto next;
		eq = strchr(line, '=');
		if (eq == NULL) {
			if (rc == 0)
				util_seterr(err, errlen, "%s:%d: expected "
				    "'element = fg bg [attributes]'", file,
				    lineno);
			rc = -1;
			goto next;
		}
		*eq = '\0';
		key = util_trim(line);
		for (e = 0; e < THEME_N; e++)
			if (strcmp(key, elem_names[e]) == 0)
				break;
		if (e == THEME_N) {
			if (rc == 0)
				util_seterr(err, errlen, "%s:%d: unknown "
				    "element '%s'", file, lineno, key);
			rc = -1;
			goto next;
		}
		style_init(&st);
		if (parse_style(eq + 1, &st, msg, sizeof(msg)) < 0) {
			if (rc == 0)
				util_seterr(err, errlen, "%s:%d: %s: %s", file,
				    lineno, key, msg);
			rc = -1;
			goto next;
		}
		st.set = 1;
		out->s[e] = st;
next:
		p += len;
		if (*p == '\n')
			p++;
	}
	return rc;
}

void
theme_builtin(struct theme *out)
{
	char err[64];
	static const char builtin[] =
	    "normal = default default\n"
	    "border = blue default\n"
	    "pane_focus = cyan default bold\n"
	    "pane_title = default default bold\n"
	    "time = cyan default\n"
	    "source = yellow default\n"
	    "impact_high = red default bold\n"
	    "impact_mid = yellow default\n"
	    "impact_low = default default dim\n"
	    "up = green default\n"
	    "down = red default\n"
	    "ticker = cyan default\n"
	    "ticker_watch = magenta default bold\n"
	    "unread = default default bold\n"
	    "selected = default default reverse\n"
	    "new = green default bold\n"
	    "alert = red default bold reverse\n"
	    "star = yellow default bold\n"
	    "status = default default reverse\n"
	    "status_warn = yellow default reverse\n"
	    "status_error = red default reverse\n"
	    "key = default default bold reverse\n"
	    "detail_title = default default bold\n"
	    "label = cyan default bold\n"
	    "link = blue default underline\n"
	    "spark = green default\n"
	    "prompt = default default bold\n";

	theme_parse(builtin, "builtin", out, err, sizeof(err));
	util_strlcpy(out->name, "builtin", sizeof(out->name));
}

int
theme_load(const char *name, struct theme *out, char *err, size_t errlen)
{
	char *dir = NULL, *path = NULL, *text = NULL, ename[128];
	const char *emb;
	size_t len;
	int rc = -1;

	if (name == NULL || *name == '\0')
		name = "default";
	/* A name is a file name, never a path. */
	if (strchr(name, '/') != NULL || name[0] == '.') {
		util_seterr(err, errlen, "theme '%s': bad name", name);
		goto fail;
	}
	dir = util_xdg_dir("XDG_CONFIG_HOME", ".config");
	if (dir != NULL) {
		char rerr[256];

		path = xasprintf("%s/deskwire/themes/%s.theme", dir, name);
		if (util_read_file(path, 256 * 1024, &text, &len, rerr,
		    sizeof(rerr)) == 0) {
			rc = theme_parse(text, path, out, err, errlen);
			goto done;
		}
	}
	snprintf(ename, sizeof(ename), "themes/%s.theme", name);
	emb = embed_get(ename, &len);
	if (emb == NULL) {
		util_seterr(err, errlen, "theme '%s' not found (looked in "
		    "%s and the built-in themes)", name,
		    path ? path : "~/.config/deskwire/themes");
		goto fail;
	}
	rc = theme_parse(emb, ename, out, err, errlen);
done:
	if (rc < 0)
		goto fail;
	util_strlcpy(out->name, name, sizeof(out->name));
	free(text);
	free(path);
	free(dir);
	return 0;
fail:
	theme_builtin(out);
	free(text);
	free(path);
	free(dir);
	return -1;
}

static void
rgb_of(int c, int rgb[3])
{
	static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		rgb[0] = basic_rgb[c][0];
		rgb[1] = basic_rgb[c][1];
		rgb[2] = basic_rgb[c][2];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = steps[c / 36];
		rgb[1] = steps[(c / 6) % 6];
		rgb[2] = steps[c % 6];
	} else
		rgb[0] = rgb[1] = rgb[2] = 8 + (c - 232) * 10;
}

/* Nearest of the first n basic colours. */
static short
nearest_basic(int c, int n)
{
	int rgb[3], best = 0, i;
	long bestd = -1;

	if (c < n)
		return (short)c;
	rgb_of(c, rgb);
	for (i = 0; i < n; i++) {
		long dr = rgb[0] - basic_rgb[i][0], dg = rgb[1] -
		    basic_rgb[i][1], db = rgb[2] - basic_rgb[i][2];
		long d = dr * dr * 3 + dg * dg * 4 + db * db * 2;

		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (short)best;
}

void
theme_resolve(const struct theme *t, int ncolors, int no_color,
    struct theme_final *out)
{
	const struct theme_style *norm = &t->s[THEME_NORMAL];
	int e;

	for (e = 0; e < THEME_N; e++) {
		const struct theme_style *s = t->s[e].set ? &t->s[e] : norm;
		short fg = s->fg, bg = s->bg;

		out[e].attrs = s->attrs;
		if (no_color || ncolors < 8) {
			out[e].fg = out[e].bg = THEME_DEFAULT_COLOR;
			continue;
		}
		if (ncolors < 256) {
			if (s->fg8 != THEME_UNSET) {
				fg = s->fg8;
				bg = s->bg8 == THEME_UNSET ?
				    THEME_DEFAULT_COLOR : s->bg8;
			} else {
				if (fg >= 16)
					fg = nearest_basic(fg, 16);
				if (bg >= 16)
					bg = nearest_basic(bg, 16);
			}
			if (ncolors < 16) {
				/* Bright foregrounds become bold. */
				if (fg >= 8) {
					fg = (short)(fg - 8);
					out[e].attrs |= THEME_BOLD;
				}
				if (bg >= 8)
					bg = (short)(bg - 8);
			}
		}
		out[e].fg = fg;
		out[e].bg = bg;
	}
	/* Without colour, the selection must still show. */
	if ((no_color || ncolors < 8) &&
	    !(out[THEME_SELECTED].attrs & (THEME_REVERSE | THEME_UNDERLINE)))
		out[THEME_SELECTED].attrs |= THEME_REVERSE;
}

int
theme_no_color(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && *v != '\0';
}

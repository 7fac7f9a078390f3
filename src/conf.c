/*
 * conf.c - feeds.conf parser.
 *
 * The file is read line by line.  Each line is split into words with
 * shell-like quoting (no expansion); '#' starts a comment when it begins a
 * word, so URL fragments survive.  The first word decides what the line
 * is: a URL (or "feed URL") is a feed with optional key=value options, a
 * directive word (alias, ticker, private, category, alert, bind) takes its
 * own arguments, anything else must be "key = value" for a global setting.
 * Every error names file:line and what was expected; unknown names get a
 * "did you mean" hint when one is close.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "item.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#define CONF_MAX_SIZE (4L << 20)

const char *const conf_bind_actions[] = {
	"next", "prev", "page_down", "page_up", "top", "bottom", "focus",
	"zoom", "search", "filter_ticker", "filter_category", "min_impact",
	"unread_only", "sort", "clear_filters", "open", "copy_link",
	"mark_read", "mark_all_read", "star", "watch_add", "watch_remove",
	"refresh", "refresh_all", "feed_status", "theme", "help", "quit",
	"starred_only", "redraw", "analyze",
	NULL
};

/* ---- string vectors ---------------------------------------------------- */

void
conf_strv_push(struct conf_strv *v, const char *s)
{
	v->v = xrealloc(v->v, (v->n + 2) * sizeof(*v->v));
	v->v[v->n++] = xstrdup(s);
	v->v[v->n] = NULL;
}

void
conf_strv_free(struct conf_strv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/*
 * Split s into words.  Quotes group, backslash escapes inside "..." and
 * outside quotes; an unquoted '#' at the start of a word ends the line.
 * Returns 0, or -1 with *bad set to a description.
 */
static int
split_words(const char *s, struct conf_strv *out, const char **bad)
{
	struct strbuf w;
	int in_word = 0, rc = -1;

	strbuf_init(&w);
	for (;;) {
		char c = *s;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\r' ||
		    c == '\n') {
			if (in_word) {
				conf_strv_push(out, w.buf);
				strbuf_reset(&w);
				in_word = 0;
			}
			if (c == '\0')
				break;
			s++;
			continue;
		}
		if (c == '#' && !in_word)
			break;
		in_word = 1;
		if (c == '"' || c == '\'') {
			char q = c;

			for (s++; *s != q; s++) {
				if (*s == '\0') {
					*bad = q == '"' ? "a closing \"" :
					    "a closing '";
					goto out;
				}
				if (q == '"' && *s == '\\' &&
				    (s[1] == '"' || s[1] == '\\'))
					s++;
				strbuf_addc(&w, *s);
			}
			s++;
			continue;
		}
		if (c == '\\' && s[1] != '\0')
			s++;
		strbuf_addc(&w, *s);
		s++;
	}
	rc = 0;
out:
	strbuf_done(&w);
	return rc;
}

int
conf_split_words(const char *s, struct conf_strv *out)
{
	const char *bad = NULL;

	memset(out, 0, sizeof(*out));
	if (split_words(s, out, &bad) < 0) {
		conf_strv_free(out);
		return -1;
	}
	return 0;
}

/* ---- init / free ------------------------------------------------------- */

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->refresh = 15 * 60;
	c->max_connections = 16;
	c->max_per_host = 4;
	c->connect_timeout = 10;
	c->timeout = 30;
	c->max_body = 8L << 20;
	c->max_items = 500;
	c->retention_days = 30;
	c->retention_items = 0;
	c->theme = xstrdup("default");
	c->time_format = xstrdup("%H:%M:%S");
	c->alert_threshold = 0.6;
	c->alert_style = xstrdup("flash");
	c->alert_timeout = 10;
	c->analysis_threshold = 0.6;
	c->analysis_jobs = 2;
	c->analysis_timeout = 60;
	c->analysis_max_output = 64L << 10;
}

void
conf_free(struct conf *c)
{
	size_t i;

	free(c->path);
	free(c->db_path);
	free(c->theme);
	free(c->time_format);
	free(c->alert_style);
	conf_strv_free(&c->watchlist);
	conf_strv_free(&c->alert_cmd);
	conf_strv_free(&c->browser);
	conf_strv_free(&c->analysis_cmd);
	for (i = 0; i < c->n_feeds; i++) {
		free(c->feeds[i].url);
		free(c->feeds[i].name);
		conf_strv_free(&c->feeds[i].tags);
	}
	free(c->feeds);
	for (i = 0; i < c->n_tickers; i++) {
		free(c->tickers[i].ticker);
		free(c->tickers[i].name);
		conf_strv_free(&c->tickers[i].aliases);
	}
	free(c->tickers);
	for (i = 0; i < c->n_categories; i++) {
		free(c->categories[i].name);
		conf_strv_free(&c->categories[i].keywords);
	}
	free(c->categories);
	for (i = 0; i < c->n_alerts; i++) {
		conf_strv_free(&c->alerts[i].tickers);
		conf_strv_free(&c->alerts[i].categories);
		conf_strv_free(&c->alerts[i].keywords);
	}
	free(c->alerts);
	for (i = 0; i < c->n_binds; i++) {
		free(c->binds[i].key);
		free(c->binds[i].action);
	}
	free(c->binds);
	memset(c, 0, sizeof(*c));
}

/* ---- helpers ----------------------------------------------------------- */

/*
 * Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment), so "nmae" is one typo away from "name".  Small
 * strings only.
 */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t rows[3][64], *pp, *prev, *row;

	if (la >= 63 || lb >= 63)
		return 99;
	pp = rows[0];
	prev = rows[1];
	row = rows[2];
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t *t = pp;

		pp = prev;
		prev = row;
		row = t;
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t best = prev[j - 1] + (ca == cb ? 0 : 1);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && ca ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The closest of names to s, if close enough to be a likely typo. */
static const char *
closest(const char *s, const char *const *names)
{
	const char *best = NULL;
	size_t bestd = 99, i, d, limit;

	for (i = 0; names[i] != NULL; i++) {
		d = edit_distance(s, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	limit = strlen(s) <= 4 ? 1 : strlen(s) <= 8 ? 2 : 3;
	return bestd <= limit ? best : NULL;
}

static void
hint(char *buf, size_t len, const char *s, const char *const *names)
{
	const char *c = closest(s, names);

	if (c != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", c);
	else
		buf[0] = '\0';
}

static int
parse_size(const char *s, long *out)
{
	char *end;
	double v;
	long mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0 || !isfinite(v))
		return -1;
	if (util_strcasecmp(end, "") == 0 || util_strcasecmp(end, "b") == 0)
		mul = 1;
	else if (util_strcasecmp(end, "k") == 0 ||
	    util_strcasecmp(end, "kb") == 0 ||
	    util_strcasecmp(end, "kib") == 0)
		mul = 1L << 10;
	else if (util_strcasecmp(end, "m") == 0 ||
	    util_strcasecmp(end, "mb") == 0 ||
	    util_strcasecmp(end, "mib") == 0)
		mul = 1L << 20;
	else if (util_strcasecmp(end, "g") == 0 ||
	    util_strcasecmp(end, "gb") == 0 ||
	    util_strcasecmp(end, "gib") == 0)
		mul = 1L << 30;
	else
		return -1;
	if (v * (double)mul > 1e15)
		return -1;
	*out = (long)(v * (double)mul);
	return 0;
}

static char *
expand_home(const char *p)
{
	const char *home = getenv("HOME");

	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') && home != NULL)
		return xasprintf("%s%s", home, p + 1);
	return xstrdup(p);
}

static void
upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

static int
valid_ticker(const char *s)
{
	size_t n = 0;

	if (*s == '$')
		s++;
	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-')
			return 0;
	return n >= 1 && n < ITEM_TICKER_LEN;
}

static int
strv_has(const struct conf_strv *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * Split a list value: words, each further split at commas; parts are
 * trimmed ("macro, fed" is two tags), empty parts and repeats dropped.
 */
static int
push_list(struct conf_strv *v, const struct conf_strv *words, size_t from,
    int tickers)
{
	size_t i;

	for (i = from; i < words->n; i++) {
		char *w = xstrdup(words->v[i]), *p = w, *comma;

		for (;;) {
			comma = strchr(p, ',');
			if (comma != NULL)
				*comma = '\0';
			p = util_trim(p);
			if (*p != '\0') {
				if (tickers) {
					if (!valid_ticker(p)) {
						free(w);
						return -1;
					}
					if (*p == '$')
						p++;
					upcase(p);
				}
				if (!strv_has(v, p))
					conf_strv_push(v, p);
			}
			if (comma == NULL)
				break;
			p = comma + 1;
		}
		free(w);
	}
	return 0;
}

/* ---- the parser -------------------------------------------------------- */

struct parser {
	struct conf *c;
	const char *name;
	int line;
	char *err;
	size_t errlen;
	/* Feed URLs seen, for duplicates: an open-addressing table of
	 * feed index + 1 (0: empty) over c->feeds[0..n_indexed). */
	size_t *urls, n_slots, n_indexed;
};

static void
index_url(struct parser *p, size_t i)
{
	size_t h = (size_t)util_hash64(p->c->feeds[i].url,
	    strlen(p->c->feeds[i].url));

	while (p->urls[h & (p->n_slots - 1)] != 0)
		h++;
	p->urls[h & (p->n_slots - 1)] = i + 1;
}

/* The feed already configured with this URL, or NULL. */
static const struct conf_feed *
find_feed(struct parser *p, const char *url)
{
	struct conf *c = p->c;
	size_t h, i, k;

	if (c->n_feeds * 2 >= p->n_slots) {
		/* Rebuilt at twice the size: at most half full. */
		free(p->urls);
		p->n_slots = p->n_slots ? p->n_slots * 2 : 64;
		while (c->n_feeds * 2 >= p->n_slots)
			p->n_slots *= 2;
		p->urls = xcalloc(p->n_slots, sizeof(*p->urls));
		p->n_indexed = 0;
	}
	for (; p->n_indexed < c->n_feeds; p->n_indexed++)
		index_url(p, p->n_indexed);
	h = (size_t)util_hash64(url, strlen(url));
	for (;; h++) {
		k = p->urls[h & (p->n_slots - 1)];
		if (k == 0)
			return NULL;
		i = k - 1;
		if (strcmp(c->feeds[i].url, url) == 0)
			return &c->feeds[i];
	}
}

static int
perr(struct parser *p, const char *fmt, ...) UTIL_PRINTF(2, 3);

static int
perr(struct parser *p, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	util_seterr(p->err, p->errlen, "%s:%d: %s", p->name, p->line, msg);
	return -1;
}

enum kind { K_DURATION, K_INT, K_DOUBLE01, K_SIZE, K_STRING, K_PATH,
	K_TICKERS, K_ARGV, K_STYLE };

struct setting {
	const char *key;
	enum kind kind;
	size_t off;
	long min, max;
};

#define OFF(f) offsetof(struct conf, f)
static const struct setting settings[] = {
	{ "refresh", K_DURATION, OFF(refresh), 10, 7 * 86400 },
	{ "max_connections", K_INT, OFF(max_connections), 1, 256 },
	{ "max_per_host", K_INT, OFF(max_per_host), 1, 64 },
	{ "connect_timeout", K_DURATION, OFF(connect_timeout), 1, 600 },
	{ "timeout", K_DURATION, OFF(timeout), 1, 3600 },
	{ "max_body", K_SIZE, OFF(max_body), 1024, 1L << 30 },
	{ "max_items", K_INT, OFF(max_items), 1, 100000 },
	{ "database", K_PATH, OFF(db_path), 0, 0 },
	{ "retention_days", K_INT, OFF(retention_days), 0, 36500 },
	{ "retention_items", K_INT, OFF(retention_items), 0, 10000000 },
	{ "theme", K_STRING, OFF(theme), 0, 0 },
	{ "time_format", K_STRING, OFF(time_format), 0, 0 },
	{ "watchlist", K_TICKERS, OFF(watchlist), 0, 0 },
	{ "alert_threshold", K_DOUBLE01, OFF(alert_threshold), 0, 0 },
	{ "alert_style", K_STYLE, OFF(alert_style), 0, 0 },
	{ "alert_cmd", K_ARGV, OFF(alert_cmd), 0, 0 },
	{ "alert_timeout", K_DURATION, OFF(alert_timeout), 1, 3600 },
	{ "browser", K_ARGV, OFF(browser), 0, 0 },
	{ "analysis_cmd", K_ARGV, OFF(analysis_cmd), 0, 0 },
	{ "analysis_threshold", K_DOUBLE01, OFF(analysis_threshold), 0, 0 },
	{ "analysis_jobs", K_INT, OFF(analysis_jobs), 1, 16 },
	{ "analysis_timeout", K_DURATION, OFF(analysis_timeout), 1, 3600 },
	{ "analysis_max_output", K_SIZE, OFF(analysis_max_output), 256,
	  16L << 20 },
};
#undef OFF

static const char *const setting_names[] = {
	"refresh", "max_connections", "max_per_host", "connect_timeout",
	"timeout", "max_body", "max_items", "database", "retention_days",
	"retention_items", "theme", "time_format", "watchlist",
	"alert_threshold", "alert_style", "alert_cmd", "alert_timeout",
	"browser", "analysis_cmd", "analysis_threshold", "analysis_jobs",
	"analysis_timeout", "analysis_max_output",
	/* directives, for hints on a misspelt first word */
	"feed", "alias", "ticker", "private", "category", "alert", "bind",
	NULL
};

static const char *const alert_styles[] = { "flash", "beep", "both",
	"none", NULL };

/* "key = value" (value may be empty for argv/list kinds). */
static int
parse_setting(struct parser *p, const char *key, const char *value)
{
	const struct setting *s = NULL;
	char *base = (char *)p->c, h[96];
	struct conf_strv words = { 0 };
	const char *bad = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < UTIL_ARRAY_LEN(settings); i++)
		if (strcmp(settings[i].key, key) == 0)
			s = &settings[i];
	if (s == NULL) {
		hint(h, sizeof(h), key, setting_names);
		return perr(p, "unknown setting '%s'%s", key, h);
	}
	if (split_words(value, &words, &bad) < 0) {
		perr(p, "%s: expected %s", key, bad);
		goto out;
	}
	switch (s->kind) {
	case K_DURATION:
	case K_INT:
	case K_SIZE:
	case K_DOUBLE01:
	case K_STRING:
	case K_PATH:
	case K_STYLE:
		if (words.n != 1) {
			perr(p, "%s: expected one value%s", key, words.n ?
			    " (quote values with spaces)" : "");
			goto out;
		}
		break;
	default:
		break;
	}
	switch (s->kind) {
	case K_DURATION: {
		long v;

		if (util_parse_duration(words.v[0], &v) < 0 || v < s->min ||
		    v > s->max) {
			perr(p, "%s: expected a duration like 90s, 15m, 2h "
			    "(%lds to %lds), got '%s'", key, s->min, s->max,
			    words.v[0]);
			goto out;
		}
		*(long *)(base + s->off) = v;
		break;
	}
	case K_INT: {
		long v;

		if (util_parse_long(words.v[0], s->min, s->max, &v) < 0) {
			perr(p, "%s: expected a whole number from %ld to %ld, "
			    "got '%s'", key, s->min, s->max, words.v[0]);
			goto out;
		}
		*(long *)(base + s->off) = v;
		break;
	}
	case K_SIZE: {
		long v;

		if (parse_size(words.v[0], &v) < 0 || v < s->min ||
		    v > s->max) {
			perr(p, "%s: expected a size like 512K, 8M, 1G "
			    "(%ld to %ld bytes), got '%s'", key, s->min,
			    s->max, words.v[0]);
			goto out;
		}
		*(long *)(base + s->off) = v;
		break;
	}
	case K_DOUBLE01: {
		double v;

		if (util_parse_double(words.v[0], 0, 1, &v) < 0) {
			perr(p, "%s: expected a number from 0 to 1, got '%s'",
			    key, words.v[0]);
			goto out;
		}
		*(double *)(base + s->off) = v;
		break;
	}
	case K_STYLE: {
		char **dst = (char **)(base + s->off);

		for (i = 0; alert_styles[i] != NULL; i++)
			if (strcmp(alert_styles[i], words.v[0]) == 0)
				break;
		if (alert_styles[i] == NULL) {
			hint(h, sizeof(h), words.v[0], alert_styles);
			perr(p, "%s: expected flash, beep, both or none, got "
			    "'%s'%s", key, words.v[0], h);
			goto out;
		}
		item_set(dst, words.v[0]);
		break;
	}
	case K_STRING:
	case K_PATH: {
		char **dst = (char **)(base + s->off);

		if (words.v[0][0] == '\0') {
			perr(p, "%s: expected a value", key);
			goto out;
		}
		free(*dst);
		*dst = s->kind == K_PATH ? expand_home(words.v[0]) :
		    xstrdup(words.v[0]);
		break;
	}
	case K_TICKERS: {
		struct conf_strv *dst = (struct conf_strv *)(base + s->off);

		conf_strv_free(dst);
		if (push_list(dst, &words, 0, 1) < 0) {
			perr(p, "%s: expected ticker symbols like AMZN BRK.B "
			    "separated by spaces or commas", key);
			goto out;
		}
		break;
	}
	case K_ARGV: {
		struct conf_strv *dst = (struct conf_strv *)(base + s->off);

		conf_strv_free(dst);
		*dst = words;
		memset(&words, 0, sizeof(words));
		break;
	}
	}
	rc = 0;
out:
	conf_strv_free(&words);
	return rc;
}

static const char *const feed_opts[] = { "name", "refresh", "weight", "tags",
	NULL };

/* The host of url without "www." (user:password@ and [IPv6] handled). */
static char *
url_host(const char *url)
{
	const char *e, *h = util_url_host(url, &e);

	if (h == NULL)
		return xstrdup(url);
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));

		if (rb != NULL && rb > h + 1)
			return xstrndup(h + 1, (size_t)(rb - h - 1));
	}
	e = h + strcspn(h, "/?#:");
	if (e == h)
		return xstrdup(url);
	if (util_strncasecmp(h, "www.", 4) == 0 && e - h > 4)
		h += 4;
	return xstrndup(h, (size_t)(e - h));
}

static int
url_ok(const char *u)
{
	const char *rest;

	if (strncmp(u, "http://", 7) == 0)
		rest = u + 7;
	else if (strncmp(u, "https://", 8) == 0)
		rest = u + 8;
	else if (strncmp(u, "file://", 7) == 0)
		return u[7] == '/';
	else
		return 0;
	if (*rest == '\0' || *rest == '/')
		return 0;
	for (; *rest; rest++)
		if ((unsigned char)*rest <= ' ' || *rest == 0x7f)
			return 0;
	return 1;
}

static int
parse_feed(struct parser *p, const struct conf_strv *w, size_t from)
{
	struct conf_feed f;
	const struct conf_feed *dup;
	struct conf *c = p->c;
	char h[96];
	size_t i;

	if (from >= w->n)
		return perr(p, "feed: expected a URL after 'feed'");
	if (!url_ok(w->v[from]))
		return perr(p, "expected an http://, https:// or file:/// URL,"
		    " got '%s'", w->v[from]);
	if ((dup = find_feed(p, w->v[from])) != NULL)
		return perr(p, "duplicate feed %s (first on line %d)",
		    w->v[from], dup->line);
	memset(&f, 0, sizeof(f));
	f.url = xstrdup(w->v[from]);
	f.weight = 0.5;
	f.line = p->line;
	for (i = from + 1; i < w->n; i++) {
		char *eq = strchr(w->v[i], '='), *k, *v;

		/*
		 * newsboat's urls file: "tag" words, "~Title" and "!"
		 * (hidden) after the URL.  Accept them so such a file works
		 * as it is; a bare '=' word is still an error below.
		 */
		if (eq == NULL && w->v[i][0] == '~' && w->v[i][1] != '\0') {
			item_set(&f.name, w->v[i] + 1);
			continue;
		}
		if (eq == NULL && w->v[i][0] == '!' && w->v[i][1] == '\0')
			continue;
		if (eq == NULL && w->v[i][0] != '\0') {
			struct conf_strv one = { 0 };

			conf_strv_push(&one, w->v[i]);
			push_list(&f.tags, &one, 0, 0);
			conf_strv_free(&one);
			continue;
		}
		if (eq == NULL || eq == w->v[i]) {
			perr(p, "expected key=value after the URL (name=, "
			    "refresh=, weight=, tags=), got '%s'", w->v[i]);
			goto fail;
		}
		k = xstrndup(w->v[i], (size_t)(eq - w->v[i]));
		v = eq + 1;
		if (strcmp(k, "name") == 0) {
			if (*v == '\0') {
				perr(p, "name: expected a name");
				free(k);
				goto fail;
			}
			item_set(&f.name, v);
		} else if (strcmp(k, "refresh") == 0) {
			if (util_parse_duration(v, &f.refresh) < 0 ||
			    f.refresh < 10) {
				perr(p, "refresh: expected a duration like "
				    "90s, 15m, 2h (at least 10s), got '%s'", v);
				free(k);
				goto fail;
			}
		} else if (strcmp(k, "weight") == 0) {
			if (util_parse_double(v, 0, 1, &f.weight) < 0) {
				perr(p, "weight: expected a number from 0 to "
				    "1, got '%s'", v);
				free(k);
				goto fail;
			}
		} else if (strcmp(k, "tags") == 0) {
			struct conf_strv one = { 0 };

			conf_strv_push(&one, v);
			push_list(&f.tags, &one, 0, 0);
			conf_strv_free(&one);
		} else {
			hint(h, sizeof(h), k, feed_opts);
			perr(p, "unknown feed option '%s'%s; expected name=, "
			    "refresh=, weight= or tags=", k, h);
			free(k);
			goto fail;
		}
		free(k);
	}
	if (f.name == NULL)
		f.name = url_host(f.url);
	c->feeds = xrealloc(c->feeds, (c->n_feeds + 1) * sizeof(*c->feeds));
	c->feeds[c->n_feeds++] = f;
	return 0;
fail:
	free(f.url);
	free(f.name);
	conf_strv_free(&f.tags);
	return -1;
}

static struct conf_ticker *
find_ticker(struct conf *c, const char *ticker)
{
	size_t i;

	for (i = 0; i < c->n_tickers; i++)
		if (c->tickers[i].ticker != NULL &&
		    strcmp(c->tickers[i].ticker, ticker) == 0)
			return &c->tickers[i];
	return NULL;
}

static struct conf_ticker *
new_ticker(struct conf *c)
{
	c->tickers = xrealloc(c->tickers,
	    (c->n_tickers + 1) * sizeof(*c->tickers));
	memset(&c->tickers[c->n_tickers], 0, sizeof(c->tickers[0]));
	return &c->tickers[c->n_tickers++];
}

/* alias TICKER "Name" ...  |  ticker SYM "Name" [alias ...]  |
 * private "Name" [alias ...] */
static int
parse_entity(struct parser *p, const struct conf_strv *w)
{
	const char *d = w->v[0];
	struct conf_ticker *t;
	char sym[ITEM_TICKER_LEN + 2];
	size_t i, first;

	if (strcmp(d, "private") == 0) {
		if (w->n < 2 || w->v[1][0] == '\0')
			return perr(p, "private: expected a company name, "
			    "e.g. private \"Mistral AI\"");
		t = new_ticker(p->c);
		t->name = xstrdup(w->v[1]);
		for (i = 2; i < w->n; i++)
			conf_strv_push(&t->aliases, w->v[i]);
		return 0;
	}
	if (w->n < 3)
		return perr(p, "%s: expected a ticker and at least one name, "
		    "e.g. %s AMZN \"Amazon Web Services\"", d, d);
	if (!valid_ticker(w->v[1]))
		return perr(p, "%s: expected a ticker symbol like AMZN or "
		    "BRK.B, got '%s'", d, w->v[1]);
	util_strlcpy(sym, w->v[1][0] == '$' ? w->v[1] + 1 : w->v[1],
	    sizeof(sym));
	upcase(sym);
	t = find_ticker(p->c, sym);
	if (t == NULL) {
		t = new_ticker(p->c);
		t->ticker = xstrdup(sym);
	}
	first = 2;
	if (strcmp(d, "ticker") == 0) {
		item_set(&t->name, w->v[2]);
		first = 2;	/* the name is also an alias */
	}
	for (i = first; i < w->n; i++)
		if (w->v[i][0] != '\0')
			conf_strv_push(&t->aliases, w->v[i]);
	return 0;
}

static int
parse_category(struct parser *p, const struct conf_strv *w)
{
	struct conf *c = p->c;
	struct conf_category *cat;
	size_t i;

	for (i = 2; i < w->n; i++)
		if (w->v[i][0] != '\0')
			break;
	if (i >= w->n || w->v[1][0] == '\0')
		return perr(p, "category: expected a name and keywords, e.g. "
		    "category \"Space\" rocket \"low earth orbit\"");
	if (strlen(w->v[1]) >= ITEM_CATEGORY_LEN)
		return perr(p, "category: name longer than %d bytes",
		    ITEM_CATEGORY_LEN - 1);
	c->categories = xrealloc(c->categories,
	    (c->n_categories + 1) * sizeof(*c->categories));
	cat = &c->categories[c->n_categories++];
	memset(cat, 0, sizeof(*cat));
	cat->name = xstrdup(w->v[1]);
	for (i = 2; i < w->n; i++)
		if (w->v[i][0] != '\0')
			conf_strv_push(&cat->keywords, w->v[i]);
	return 0;
}

static const char *const alert_opts[] = { "ticker", "category", "keyword",
	"min_impact", NULL };

static int
parse_alert(struct parser *p, const struct conf_strv *w)
{
	struct conf_alert a;
	char h[96];
	size_t i;

	memset(&a, 0, sizeof(a));
	a.min_impact = -1;
	if (w->n < 2) {
		return perr(p, "alert: expected rules like ticker=AMZN "
		    "category=\"Regulation & Legal\" keyword=recall "
		    "min_impact=0.4");
	}
	for (i = 1; i < w->n; i++) {
		char *eq = strchr(w->v[i], '='), *k;
		const char *v;
		struct conf_strv one = { 0 };
		int bad = 0;

		if (eq == NULL) {
			perr(p, "alert: expected key=value, got '%s'",
			    w->v[i]);
			goto fail;
		}
		k = xstrndup(w->v[i], (size_t)(eq - w->v[i]));
		v = eq + 1;
		conf_strv_push(&one, v);
		/* An empty value (ticker=) would silently widen the rule. */
		if (strcmp(k, "ticker") == 0) {
			size_t had = a.tickers.n;

			bad = push_list(&a.tickers, &one, 0, 1) < 0 ||
			    (had == 0 && a.tickers.n == 0) ||
			    *util_trim(one.v[0]) == '\0';
		} else if (strcmp(k, "category") == 0) {
			char *t = util_trim(one.v[0]);

			bad = *t == '\0';
			if (!bad && !strv_has(&a.categories, t))
				conf_strv_push(&a.categories, t);
		} else if (strcmp(k, "keyword") == 0) {
			push_list(&a.keywords, &one, 0, 0);
			bad = a.keywords.n == 0 ||
			    *util_trim(one.v[0]) == '\0';
		} else if (strcmp(k, "min_impact") == 0)
			bad = util_parse_double(v, 0, 1, &a.min_impact);
		else {
			hint(h, sizeof(h), k, alert_opts);
			perr(p, "alert: unknown rule '%s'%s; expected "
			    "ticker=, category=, keyword= or min_impact=",
			    k, h);
			free(k);
			conf_strv_free(&one);
			goto fail;
		}
		conf_strv_free(&one);
		if (bad) {
			perr(p, "alert: %s: bad value '%s'", k, v);
			free(k);
			goto fail;
		}
		free(k);
	}
	p->c->alerts = xrealloc(p->c->alerts,
	    (p->c->n_alerts + 1) * sizeof(*p->c->alerts));
	p->c->alerts[p->c->n_alerts++] = a;
	return 0;
fail:
	conf_strv_free(&a.tickers);
	conf_strv_free(&a.categories);
	conf_strv_free(&a.keywords);
	return -1;
}

static int
parse_bind(struct parser *p, const struct conf_strv *w)
{
	struct conf_bind *b;
	char h[96];
	size_t i;

	if (w->n != 3)
		return perr(p, "bind: expected a key and an action, e.g. "
		    "bind J next");
	for (i = 0; conf_bind_actions[i] != NULL; i++)
		if (strcmp(conf_bind_actions[i], w->v[2]) == 0)
			break;
	if (conf_bind_actions[i] == NULL) {
		hint(h, sizeof(h), w->v[2], conf_bind_actions);
		return perr(p, "bind: unknown action '%s'%s", w->v[2], h);
	}
	p->c->binds = xrealloc(p->c->binds,
	    (p->c->n_binds + 1) * sizeof(*p->c->binds));
	b = &p->c->binds[p->c->n_binds++];
	b->key = xstrdup(w->v[1]);
	b->action = xstrdup(w->v[2]);
	return 0;
}

static int
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
parse_line(struct parser *p, char *line)
{
	struct conf_strv w = { 0 };
	const char *bad = NULL, *d;
	char *s = line, *k, h[96];
	int rc = -1;

	while (*s == ' ' || *s == '\t')
		s++;
	/* A global setting: key = value (the key is a bare word). */
	k = s;
	while (is_key_char(*s))
		s++;
	if (s > k) {
		char *e = s;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '=') {
			char key[64];

			util_strlcpy(key, k, (size_t)(e - k) + 1 <
			    sizeof(key) ? (size_t)(e - k) + 1 : sizeof(key));
			return parse_setting(p, key, s + 1);
		}
	}
	if (split_words(line, &w, &bad) < 0) {
		perr(p, "expected %s", bad);
		goto out;
	}
	if (w.n == 0) {
		rc = 0;
		goto out;
	}
	d = w.v[0];
	if (strncmp(d, "query:", 6) == 0) {
		/* A newsboat query feed: nothing to poll. */
		rc = 0;
		goto out;
	}
	if (strstr(d, "://") != NULL)
		rc = parse_feed(p, &w, 0);
	else if (strcmp(d, "feed") == 0)
		rc = parse_feed(p, &w, 1);
	else if (strcmp(d, "alias") == 0 || strcmp(d, "ticker") == 0 ||
	    strcmp(d, "private") == 0)
		rc = parse_entity(p, &w);
	else if (strcmp(d, "category") == 0)
		rc = parse_category(p, &w);
	else if (strcmp(d, "alert") == 0)
		rc = parse_alert(p, &w);
	else if (strcmp(d, "bind") == 0)
		rc = parse_bind(p, &w);
	else {
		hint(h, sizeof(h), d, setting_names);
		perr(p, "expected a feed URL, 'key = value' or a directive "
		    "(feed, alias, ticker, private, category, alert, bind), "
		    "got '%s'%s", d, h);
	}
out:
	conf_strv_free(&w);
	return rc;
}

int
conf_parse(struct conf *c, const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	struct parser p = { c, name, 0, err, errlen, NULL, 0, 0 };
	const char *s = text, *end = text + len;
	char *line = NULL;
	int rc = 0;

	/* A UTF-8 byte-order mark from some editors. */
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		p.line++;
		if (memchr(s, '\0', n) != NULL) {
			rc = perr(&p, "expected text, found a NUL byte");
			break;
		}
		if (!text_utf8_valid(s, n)) {
			rc = perr(&p, "expected UTF-8 text (convert the file "
			    "with iconv)");
			break;
		}
		line = xstrndup(s, n);
		rc = parse_line(&p, line);
		free(line);
		if (rc < 0)
			break;
		s += n + (nl ? 1 : 0);
	}
	free(p.urls);
	return rc;
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len;
	int rc;

	conf_init(c);
	if (util_read_file(path, CONF_MAX_SIZE, &text, &len, err,
	    errlen) < 0)
		return -1;
	rc = conf_parse(c, path, text, len, err, errlen);
	free(text);
	if (rc == 0)
		c->path = xstrdup(path);
	return rc;
}

char *
conf_find_path(const char *explicit_path)
{
	const char *env = getenv("DESKWIRE_CONFIG");
	char *dir, *p;

	if (explicit_path != NULL)
		return xstrdup(explicit_path);
	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	dir = util_xdg_dir("XDG_CONFIG_HOME", ".config");
	if (dir != NULL) {
		p = xasprintf("%s/deskwire/feeds.conf", dir);
		free(dir);
		if (access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return xstrdup("./feeds.conf");
}

char *
conf_default_db_path(void)
{
	char *dir = util_xdg_dir("XDG_DATA_HOME", ".local/share"), *p;

	if (dir == NULL)
		return NULL;
	p = xasprintf("%s/deskwire/deskwire.db", dir);
	free(dir);
	return p;
}

int
conf_on_watchlist(const struct conf *c, const char *ticker)
{
	size_t i;

	for (i = 0; i < c->watchlist.n; i++)
		if (util_strcasecmp(c->watchlist.v[i], ticker) == 0)
			return 1;
	return 0;
}

/* Quote s for a feeds.conf line when it needs it. */
static void
add_quoted(struct strbuf *sb, const char *s)
{
	const char *q;
	int plain = *s != '\0';

	for (q = s; *q && plain; q++)
		if ((unsigned char)*q <= ' ' || strchr("\"'\\#=", *q) != NULL)
			plain = 0;
	if (plain) {
		strbuf_adds(sb, s);
		return;
	}
	strbuf_addc(sb, '"');
	for (q = s; *q; q++) {
		/* A control character could end the line: blank it. */
		if ((unsigned char)*q < ' ' || *q == 0x7f) {
			strbuf_addc(sb, ' ');
			continue;
		}
		if (*q == '"' || *q == '\\')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *q);
	}
	strbuf_addc(sb, '"');
}

int
conf_append_feed(const char *path, const char *url, const char *name,
    const struct conf_strv *tags, char *err, size_t errlen)
{
	struct strbuf sb;
	struct stat st;
	int fd = -1, rc = -1, need_nl = 0;
	size_t i;
	ssize_t n;

	strbuf_init(&sb);
	if (!url_ok(url)) {
		util_seterr(err, errlen, "not an http(s) URL: %s", url);
		goto out;
	}
	fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		util_seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* Start on a new line if the file does not end with one. */
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		char last;

		if (pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
			need_nl = 1;
	}
	if (need_nl)
		strbuf_addc(&sb, '\n');
	/* Quote a URL holding quotes or backslashes, which the parser
	 * would otherwise take as quoting. */
	if (strpbrk(url, "\"'\\") != NULL)
		add_quoted(&sb, url);
	else
		strbuf_adds(&sb, url);
	if (name != NULL && *name != '\0') {
		strbuf_adds(&sb, " name=");
		add_quoted(&sb, name);
	}
	if (tags != NULL && tags->n > 0) {
		struct strbuf t;

		strbuf_init(&t);
		for (i = 0; i < tags->n; i++) {
			if (i)
				strbuf_addc(&t, ',');
			strbuf_adds(&t, tags->v[i]);
		}
		strbuf_adds(&sb, " tags=");
		add_quoted(&sb, t.buf);
		strbuf_done(&t);
	}
	strbuf_addc(&sb, '\n');
	n = write(fd, sb.buf, sb.len);
	if (n < 0 || (size_t)n != sb.len) {
		util_seterr(err, errlen, "%s: %s", path,
		    n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	strbuf_done(&sb);
	return rc;
}

/*
 * conf.h - feeds.conf: global settings, feeds, ticker aliases, categories,
 * alert rules and key bindings.
 *
 * Format (one directive per line, '#' starts a comment outside quotes,
 * values may be "double" or 'single' quoted, \" and \\ escape in "..."):
 *
 *   refresh = 10m                    global setting: key = value
 *   watchlist = AMZN NVDA AAPL
 *   https://example.com/rss          a feed with default settings
 *   https://example.com/a.xml name="Wire" refresh=5m weight=0.8 tags=macro,fed
 *   feed https://...  (the same; the word "feed" is optional)
 *   alias AMZN "Amazon Web Services"          extra name for a ticker
 *   ticker XYZ "Xyz Holdings" [alias...]     extra ticker for the analyzer
 *   private "Mistral AI"                     private company, no ticker
 *   category "Space" rocket launch "low earth orbit"
 *   alert ticker=AMZN category="Regulation & Legal" keyword=recall min_impact=0.4
 *   bind J next                             key binding
 *
 * struct conf owns everything it points to; conf_free() releases it.
 */
#ifndef DESKWIRE_CONF_H
#define DESKWIRE_CONF_H

#include <stddef.h>

struct conf_strv {		/* a NULL-terminated vector of strings */
	char **v;
	size_t n;
};

struct conf_feed {
	char *url;		/* http(s):// or file:// */
	char *name;		/* display name; defaults to the host */
	long refresh;		/* seconds; 0 = global default */
	double weight;		/* source weight [0,1] */
	struct conf_strv tags;
	int line;		/* where it was defined (0 if not from a file) */
};

struct conf_ticker {		/* "ticker" and "alias" and "private" lines */
	char *ticker;		/* NULL for a private company */
	char *name;		/* display name */
	struct conf_strv aliases;
};

struct conf_category {
	char *name;
	struct conf_strv keywords;
};

struct conf_alert {
	struct conf_strv tickers;	/* empty = any watchlist ticker */
	struct conf_strv categories;
	struct conf_strv keywords;
	double min_impact;		/* < 0: the global alert_threshold */
};

struct conf_bind {
	char *key;		/* "j", "^D", "F5", "Space", "Enter", "Up" */
	char *action;		/* one of conf_bind_actions[] */
};

/* The action names a `bind` line may use (NULL-terminated). */
extern const char *const conf_bind_actions[];

struct conf {
	char *path;			/* the file it came from, or NULL */
	/* polling */
	long refresh;			/* default refresh, seconds (15m) */
	long max_connections;		/* 16 */
	long max_per_host;		/* 4 */
	long connect_timeout;		/* seconds, 10 */
	long timeout;			/* total, seconds, 30 */
	long max_body;			/* bytes, 8 MiB */
	long max_items;			/* per feed, 500 */
	/* store */
	char *db_path;			/* NULL: $XDG_DATA_HOME/deskwire/... */
	long retention_days;		/* 30; 0 = forever */
	long retention_items;		/* per feed; 0 = unlimited */
	/* UI */
	char *theme;			/* "default" */
	char *time_format;		/* strftime, "%H:%M:%S" */
	struct conf_strv watchlist;	/* upper-case tickers */
	double alert_threshold;		/* 0.6 */
	char *alert_style;		/* "flash", "beep", "both", "none" */
	struct conf_strv alert_cmd;	/* argv; empty = none */
	long alert_timeout;		/* seconds, 10 */
	struct conf_strv browser;	/* argv; empty = $BROWSER; %u = URL */
	/* analyzer */
	struct conf_strv analysis_cmd;	/* argv; empty = none */
	double analysis_threshold;	/* run analysis_cmd at impact >= */
	long analysis_jobs;		/* at once, 2 */
	long analysis_timeout;		/* seconds, 60 */
	long analysis_max_output;	/* bytes, 64 KiB */
	/* lists */
	struct conf_feed *feeds;
	size_t n_feeds;
	struct conf_ticker *tickers;
	size_t n_tickers;
	struct conf_category *categories;
	size_t n_categories;
	struct conf_alert *alerts;
	size_t n_alerts;
	struct conf_bind *binds;
	size_t n_binds;
};

/* Fill c with the defaults (no feeds).  c is owned by the caller. */
void conf_init(struct conf *c);
/* Release everything c owns; c may be conf_init()ed again. */
void conf_free(struct conf *c);

/*
 * Parse text (len bytes) as if read from name.  On error returns -1 with
 * "name:line: what was expected" in err; c is then left as after conf_init()
 * plus whatever came before the bad line (callers exit 2 without using it).
 */
int conf_parse(struct conf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen);
/* conf_init() + read and parse the file at path. 0 / -1 + message. */
int conf_load(struct conf *c, const char *path, char *err, size_t errlen);

/*
 * The config path to use: explicit (-c) if non-NULL, else
 * $DESKWIRE_CONFIG, else $XDG_CONFIG_HOME/deskwire/feeds.conf (or
 * ~/.config/deskwire/feeds.conf) if it exists, else ./feeds.conf.
 * Returns a heap string owned by the caller.
 */
char *conf_find_path(const char *explicit_path);

/* The default database path ($XDG_DATA_HOME/deskwire/deskwire.db); heap. */
char *conf_default_db_path(void);

/* Is ticker (case-insensitive) on the watchlist? */
int conf_on_watchlist(const struct conf *c, const char *ticker);

/*
 * Split s into words like a shell would for quoting only ("a b" 'c d' e\ f),
 * without any expansion.  Returns 0 and fills out (caller frees with
 * conf_strv_free), or -1 on an unterminated quote.
 */
int conf_split_words(const char *s, struct conf_strv *out);
void conf_strv_push(struct conf_strv *v, const char *s);
void conf_strv_free(struct conf_strv *v);

/* Append a feed line for url (quoted name/tags) to the file at path.
 * 0, or -1 with a message. */
int conf_append_feed(const char *path, const char *url, const char *name,
    const struct conf_strv *tags, char *err, size_t errlen);

#endif

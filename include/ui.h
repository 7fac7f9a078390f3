/*
 * ui.h - the dashboard: an ncursesw screen with the headline, watchlist
 * and detail panes and a status line, driven by one poll() loop over the
 * terminal, the item queue's wake fd and child-process pipes.
 *
 * ui_run() is the public entry.  The rest of this header is shared by the
 * pane files (src/ui_*.c), which only the UI thread ever calls: struct ui
 * is the screen's state and struct pane_ops the per-pane vtable.
 */
#ifndef DESKWIRE_UI_H
#define DESKWIRE_UI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alert.h"
#include "conf.h"
#include "itemq.h"
#include "model.h"
#include "poller.h"
#include "store.h"
#include "theme.h"

struct ui_opts {
	struct conf *conf;	/* borrowed */
	struct store *store;	/* the UI's own connection; NULL: memory */
	struct itemq *q;	/* new items from the poller or the demo */
	struct poller *poller;	/* NULL when not polling */
	const char *notice;	/* shown in the status line at start */
	int demo;
};

/*
 * Run the dashboard until the user quits (or SIGINT/SIGTERM/SIGHUP).
 * Everything is borrowed.  Returns 0, or -1 with a message in err when the
 * terminal cannot be used (not a tty, too small a terminfo).
 */
int ui_run(const struct ui_opts *o, char *err, size_t errlen);

/* ---- shared by the pane files ---- */

struct ui;
struct pane;

struct pane_ops {
	const char *name;
	/* Draw the pane's interior (p->y, p->x, p->h, p->w). */
	void (*draw)(struct ui *u, struct pane *p);
	/* Handle an action (enum ui_action) while focused: 1 if used. */
	int (*key)(struct ui *u, struct pane *p, int action);
	/* A mouse event at screen row/col inside the pane: button 1 click,
	 * 4 wheel up, 5 wheel down. */
	void (*mouse)(struct ui *u, struct pane *p, int y, int x, int button);
};

struct pane {
	const struct pane_ops *ops;
	int y, x, h, w;		/* interior rectangle */
	int visible;
	int dirty;
	long scroll;		/* pane-private scroll/cursor position */
};

enum ui_pane_id { UI_FEED, UI_WATCH, UI_DETAIL, UI_NPANES };

enum ui_action {
	UA_NONE, UA_DOWN, UA_UP, UA_PGDN, UA_PGUP, UA_TOP, UA_BOTTOM,
	UA_FOCUS, UA_ZOOM, UA_SEARCH, UA_TICKER, UA_CATEGORY, UA_IMPACT,
	UA_UNREAD, UA_STARRED, UA_SORT, UA_CLEAR, UA_OPEN, UA_COPY, UA_READ,
	UA_ALLREAD, UA_STAR, UA_WATCH_ADD, UA_WATCH_DEL, UA_REFRESH,
	UA_REFRESH_ALL, UA_FEEDS, UA_THEME, UA_HELP, UA_QUIT, UA_REDRAW,
	UA_ANALYZE, UA_ENTER, UA_N
};

/* The detail of the selected item, fetched lazily and word-wrapped. */
struct ui_line {
	char *text;
	int elem;		/* enum theme_elem */
};

struct ui_watch {
	struct model_stat *stats;	/* one per watched ticker */
	char **tickers;			/* upper-case, owned */
	size_t n;
	time_t computed;		/* when stats were computed */
};

struct ui {
	const struct ui_opts *o;
	struct conf *conf;
	struct store *st;
	struct model *m;
	struct alert_procs *procs;
	struct pane panes[UI_NPANES];
	int focus;			/* enum ui_pane_id */
	int zoom;			/* detail full-screen */
	int overlay;			/* 0, 'h' help, 'F' feeds */
	long overlay_scroll;
	int rows, cols;
	int wide;			/* side-by-side layout */
	int frame_dirty;
	int status_dirty;
	int stats_dirty;
	int attr[THEME_N];		/* curses attributes per element */
	struct theme theme;
	char theme_name[64];
	/* status line */
	char msg[256];
	int msg_elem;
	time_t msg_until;
	/* prompt */
	int prompt;			/* 0 or the action being prompted */
	char prompt_buf[128];
	/* detail cache */
	long long detail_rowid;
	int detail_width;
	struct ui_line *lines;
	size_t nlines;
	char *detail_link;
	/* watchlist */
	struct ui_watch watch;
	/* feed states */
	struct store_feed *feeds;
	size_t nfeeds;
	time_t feeds_at;
	/* memory-only store (no database) */
	struct item **mem;
	size_t nmem, capmem;
	long long *hits;
	size_t nhits;
	time_t started;
	long arrived;			/* items received since start */
	long alerts;
	int user_moved;			/* the user has navigated */
};

/* Panes (one file each). */
extern const struct pane_ops ui_feed_ops;
extern const struct pane_ops ui_watch_ops;
extern const struct pane_ops ui_detail_ops;

/* Helpers from ui.c used by the panes. */
/* Put s at (y, x) in elem's style, cut to w columns; returns columns. */
int ui_put(struct ui *u, int y, int x, int w, int elem, const char *s);
/* Fill w columns at (y, x) with blanks in elem's style. */
void ui_blank(struct ui *u, int y, int x, int w, int elem);
/* The full item for rowid (owned by the caller), or NULL. */
struct item *ui_get_item(struct ui *u, long long rowid);
/* A message in the status line for a few seconds. */
/* The action bound to a name from feeds.conf's `bind`, or -1. */
int ui_action_from_name(const char *name);
void ui_message(struct ui *u, int elem, const char *fmt, ...)
    UTIL_PRINTF(3, 4);
/* The selected item changed (by the user): detail and read state. */
void ui_selection_changed(struct ui *u, int by_user);
/* Set the ticker filter (NULL/"" clears it) and refresh the panes. */
void ui_filter_ticker(struct ui *u, const char *ticker);
/* 1 if ticker is watched. */
int ui_watched(const struct ui *u, const char *ticker);
/* Theme element for an impact value. */
int ui_impact_elem(double impact);
/* Recompute the watchlist stats if stale. */
void ui_watch_update(struct ui *u, time_t now);

/* Detail text (ui_detail.c): build u->lines for the selected item. */
void ui_detail_build(struct ui *u, int width);
void ui_detail_clear(struct ui *u);

/* Redraw the headline pane's title (counts, filters) on its border. */
void ui_feed_title(struct ui *u);

/* Word-wrap s into lines of at most width columns (width-aware);
 * calls emit for each line.  Exposed for tests. */
void ui_wrap(const char *s, int width,
    void (*emit)(void *arg, const char *line, size_t len), void *arg);

#endif

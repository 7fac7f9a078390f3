/*
 * ui.c - the dashboard's screen, layout, main loop and key dispatch.
 *
 * One thread (this one) calls curses.  The loop poll()s the terminal, the
 * item queue's wake fd and the stdin pipes of alert commands, with a
 * timeout that ends at the next second (the clock and the poll countdown)
 * or the next child deadline; signal handlers only set flags.  Each pane
 * keeps a dirty flag and draws only its own rectangle; everything dirty is
 * drawn once per turn and sent with wnoutrefresh() + doupdate().  Data
 * comes from the UI's own store connection: the newest items at start (in
 * batches, only the list fields are kept by the model), the selected
 * item's full text on demand, small writes for read/star/watchlist.
 * Without a database (a demo with no store) items are kept in memory.
 */
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "log.h"
#include "text.h"
#include "ui.h"
#include "util.h"

enum {
	LOAD_BATCH = 5000,
	LOAD_MAX = 200000,
	MEM_MAX = 2000,
	MSG_SECONDS = 8,
	WIDE_COLS = 110,
	WATCH_W = 36
};

static volatile sig_atomic_t got_quit, got_winch, got_chld;

static void
on_quit(int sig)
{
	(void)sig;
	got_quit = 1;
}

static void
on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void
on_chld(int sig)
{
	(void)sig;
	got_chld = 1;
}

/* ---- key bindings ---- */

static const struct {
	const char *name;
	int action;
} action_names[] = {
	/* The names feeds.conf accepts (conf_bind_actions), then aliases. */
	{ "next", UA_DOWN }, { "prev", UA_UP }, { "page_down", UA_PGDN },
	{ "page_up", UA_PGUP }, { "top", UA_TOP }, { "bottom", UA_BOTTOM },
	{ "focus", UA_FOCUS }, { "zoom", UA_ZOOM }, { "search", UA_SEARCH },
	{ "filter_ticker", UA_TICKER }, { "filter_category", UA_CATEGORY },
	{ "min_impact", UA_IMPACT }, { "unread_only", UA_UNREAD },
	{ "starred_only", UA_STARRED }, { "sort", UA_SORT },
	{ "clear_filters", UA_CLEAR }, { "open", UA_OPEN },
	{ "copy_link", UA_COPY }, { "mark_read", UA_READ },
	{ "mark_all_read", UA_ALLREAD }, { "star", UA_STAR },
	{ "watch_add", UA_WATCH_ADD }, { "watch_remove", UA_WATCH_DEL },
	{ "refresh", UA_REFRESH }, { "refresh_all", UA_REFRESH_ALL },
	{ "feed_status", UA_FEEDS }, { "theme", UA_THEME },
	{ "help", UA_HELP }, { "quit", UA_QUIT }, { "redraw", UA_REDRAW },
	{ "analyze", UA_ANALYZE }, { "enter", UA_ENTER }, { "none", UA_NONE },
	{ "down", UA_DOWN }, { "up", UA_UP },
};

struct binding {
	int key;
	int action;
};

static const struct binding default_binds[] = {
	{ 'j', UA_DOWN }, { KEY_DOWN, UA_DOWN }, { 'k', UA_UP },
	{ KEY_UP, UA_UP }, { KEY_NPAGE, UA_PGDN }, { KEY_PPAGE, UA_PGUP },
	{ ' ', UA_PGDN }, { 'b', UA_PGUP }, { 4, UA_PGDN }, { 21, UA_PGUP },
	{ 'g', UA_TOP }, { KEY_HOME, UA_TOP }, { 'G', UA_BOTTOM },
	{ KEY_END, UA_BOTTOM }, { '\t', UA_FOCUS }, { KEY_BTAB, UA_FOCUS },
	{ '\n', UA_ENTER }, { '\r', UA_ENTER }, { KEY_ENTER, UA_ENTER },
	{ 'z', UA_ZOOM }, { '/', UA_SEARCH }, { 'f', UA_TICKER },
	{ 'c', UA_CATEGORY }, { 'i', UA_IMPACT }, { 'u', UA_UNREAD },
	{ 'S', UA_STARRED }, { 's', UA_SORT }, { 27, UA_CLEAR },
	{ 'o', UA_OPEN }, { 'y', UA_COPY }, { 'm', UA_READ },
	{ 'M', UA_ALLREAD }, { '*', UA_STAR }, { 'a', UA_WATCH_ADD },
	{ 'd', UA_WATCH_DEL }, { 'r', UA_REFRESH }, { 'R', UA_REFRESH_ALL },
	{ 'F', UA_FEEDS }, { 'T', UA_THEME }, { '?', UA_HELP },
	{ 'q', UA_QUIT }, { 12, UA_REDRAW }, { 'A', UA_ANALYZE },
};

static struct binding binds[128];
static size_t nbinds;

static const char *const help_lines[] = {
	"Navigation",
	"  j / k, Down / Up     next / previous headline (or line, row)",
	"  PgDn / PgUp, Space   page down / up",
	"  g / G, Home / End    first / last",
	"  Tab                  focus the next pane",
	"  Enter                zoom the detail full-screen (Esc returns)",
	"Filters",
	"  /                    search titles and summaries",
	"  f                    filter by ticker (Tab completes)",
	"  c                    filter by category (Tab completes)",
	"  i                    minimum impact (0-1)",
	"  u / S                unread only / starred only",
	"  s                    sort by time or impact",
	"  Esc                  clear every filter",
	"Items",
	"  o / y                open the link / copy it (OSC 52)",
	"  m / M                toggle read / mark all read",
	"  *                    star",
	"  A                    deeper analysis by analysis_cmd",
	"Watchlist",
	"  a / d                add / remove a ticker (saved)",
	"  Enter (in the pane)  show that ticker's headlines",
	"Feeds and screen",
	"  r / R                refresh the selected item's feed / all",
	"  F                    feed status",
	"  T                    next theme",
	"  ^L                   redraw",
	"  ? / q                this help / quit",
	"",
	"Mouse: click selects, the wheel scrolls.  Keys can be rebound in",
	"feeds.conf: bind KEY ACTION (e.g. bind J next).",
};

static int
key_code(const char *name)
{
	static const struct {
		const char *n;
		int k;
	} named[] = {
		{ "Space", ' ' }, { "Enter", '\n' }, { "Return", '\n' },
		{ "Tab", '\t' }, { "Esc", 27 }, { "Escape", 27 },
		{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT },
		{ "Right", KEY_RIGHT }, { "PgUp", KEY_PPAGE },
		{ "PageUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
		{ "PageDown", KEY_NPAGE }, { "Home", KEY_HOME },
		{ "End", KEY_END }, { "Backspace", KEY_BACKSPACE },
		{ "Delete", KEY_DC }, { "Insert", KEY_IC },
		{ "KEY_UP", KEY_UP }, { "KEY_DOWN", KEY_DOWN },
		{ "KEY_NPAGE", KEY_NPAGE }, { "KEY_PPAGE", KEY_PPAGE },
		{ "KEY_HOME", KEY_HOME }, { "KEY_END", KEY_END },
	};
	size_t i;
	long f;

	if (name == NULL || *name == '\0')
		return -1;
	if (name[1] == '\0')
		return (unsigned char)name[0];
	if (name[0] == '^' && name[2] == '\0') {
		if (name[1] == '?')
			return 127;
		return name[1] & 0x1f;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(named); i++)
		if (util_strcasecmp(name, named[i].n) == 0)
			return named[i].k;
	if ((strncmp(name, "KEY_F(", 6) == 0)) {
		char num[8];
		size_t l = strlen(name + 6);

		if (l > 1 && l < sizeof(num) && name[6 + l - 1] == ')') {
			memcpy(num, name + 6, l - 1);
			num[l - 1] = '\0';
			if (util_parse_long(num, 1, 63, &f) == 0)
				return KEY_F(f);
		}
	}
	if ((name[0] == 'F' || name[0] == 'f') &&
	    util_parse_long(name + 1, 1, 63, &f) == 0)
		return KEY_F(f);
	return -1;
}

int
ui_action_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(action_names); i++)
		if (name && util_strcasecmp(name, action_names[i].name) == 0)
			return action_names[i].action;
	return -1;
}

static void
bind_set(int key, int action)
{
	size_t i;

	for (i = 0; i < nbinds; i++)
		if (binds[i].key == key) {
			binds[i].action = action;
			return;
		}
	if (nbinds < UTIL_ARRAY_LEN(binds))
		binds[nbinds++] = (struct binding){ key, action };
}

static void
binds_init(struct ui *u)
{
	size_t i;

	nbinds = 0;
	for (i = 0; i < UTIL_ARRAY_LEN(default_binds); i++)
		bind_set(default_binds[i].key, default_binds[i].action);
	for (i = 0; i < u->conf->n_binds; i++) {
		int k = key_code(u->conf->binds[i].key);
		int a = ui_action_from_name(u->conf->binds[i].action);

		if (k < 0 || a < 0) {
			log_warn("bind %s %s: unknown %s",
			    u->conf->binds[i].key ? u->conf->binds[i].key : "",
			    u->conf->binds[i].action ?
			    u->conf->binds[i].action : "",
			    k < 0 ? "key" : "action");
			ui_message(u, THEME_STATUS_WARN, "bind %s: unknown %s",
			    u->conf->binds[i].key ? u->conf->binds[i].key :
			    "", k < 0 ? "key" : "action");
			continue;
		}
		bind_set(k, a);
	}
}

static int
key_action(int key)
{
	size_t i;

	for (i = 0; i < nbinds; i++)
		if (binds[i].key == key)
			return binds[i].action;
	return UA_NONE;
}

/* ---- drawing helpers ---- */

int
ui_put(struct ui *u, int y, int x, int w, int elem, const char *s)
{
	char buf[1024];
	int used;

	if (w <= 0 || y < 0 || y >= u->rows)
		return 0;
	used = text_fit(s ? s : "", w, buf, sizeof(buf));
	attrset(u->attr[elem]);
	mvaddstr(y, x, buf);
	return used;
}

void
ui_blank(struct ui *u, int y, int x, int w, int elem)
{
	if (w <= 0 || y < 0 || y >= u->rows)
		return;
	attrset(u->attr[elem]);
	mvhline(y, x, ' ', w);
}

void
ui_message(struct ui *u, int elem, const char *fmt, ...)
{
	va_list ap;
	char raw[512], *clean;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	clean = text_clean(raw, strlen(raw), sizeof(u->msg) - 1, 0);
	util_strlcpy(u->msg, clean, sizeof(u->msg));
	free(clean);
	u->msg_elem = elem;
	u->msg_until = util_now() + MSG_SECONDS;
	u->status_dirty = 1;
}

int
ui_impact_elem(double impact)
{
	if (impact >= 0.6)
		return THEME_IMPACT_HIGH;
	if (impact >= 0.3)
		return THEME_IMPACT_MID;
	return THEME_IMPACT_LOW;
}

int
ui_watched(const struct ui *u, const char *ticker)
{
	size_t i;

	for (i = 0; i < u->watch.n; i++)
		if (util_strcasecmp(u->watch.tickers[i], ticker) == 0)
			return 1;
	return 0;
}

static void
dirty_all(struct ui *u)
{
	int i;

	for (i = 0; i < UI_NPANES; i++)
		u->panes[i].dirty = 1;
	u->frame_dirty = 1;
	u->status_dirty = 1;
}

/* ---- theme ---- */

static int
curses_attrs(int a)
{
	int r = 0;

	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_DIM)
		r |= A_DIM;
	return r;
}

static void
theme_use(struct ui *u, const char *name)
{
	struct theme_final f[THEME_N];
	char err[512];
	int no_color = theme_no_color() || !has_colors();
	int e;

	if (theme_no_color() && (name == NULL || strcmp(name, "mono") != 0) &&
	    u->theme_name[0] == '\0')
		name = "mono";
	if (theme_load(name, &u->theme, err, sizeof(err)) < 0) {
		log_warn("%s", err);
		ui_message(u, THEME_STATUS_ERROR, "%s", err);
		/* The default theme, else the built-in one. */
		if (theme_load("default", &u->theme, err, sizeof(err)) == 0)
			name = "default";
		else
			name = "builtin";
	}
	util_strlcpy(u->theme_name, name ? name : "default",
	    sizeof(u->theme_name));
	theme_resolve(&u->theme, has_colors() ? COLORS : 0, no_color, f);
	for (e = 0; e < THEME_N; e++) {
		u->attr[e] = curses_attrs(f[e].attrs);
		if (!no_color && e + 1 < COLOR_PAIRS) {
			init_pair((short)(e + 1), f[e].fg, f[e].bg);
			u->attr[e] |= (int)COLOR_PAIR(e + 1);
		}
	}
	bkgdset((chtype)' ' | (chtype)u->attr[THEME_NORMAL]);
	dirty_all(u);
}

/* ---- data ---- */

static void
mem_add(struct ui *u, const struct item *it)
{
	size_t lo = 0, hi = u->nmem;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (u->mem[mid]->rowid < it->rowid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < u->nmem && u->mem[lo]->rowid == it->rowid) {
		item_free(u->mem[lo]);
		u->mem[lo] = item_dup(it);
		return;
	}
	if (u->nmem >= MEM_MAX) {
		/* The oldest row goes; its list entry stays in the model. */
		item_free(u->mem[0]);
		memmove(u->mem, u->mem + 1, --u->nmem * sizeof(*u->mem));
		if (lo > 0)
			lo--;
	}
	u->mem = xreallocarray_grow(u->mem, &u->capmem, u->nmem + 1,
	    sizeof(*u->mem));
	memmove(u->mem + lo + 1, u->mem + lo, (u->nmem - lo) *
	    sizeof(*u->mem));
	u->mem[lo] = item_dup(it);
	u->nmem++;
}

struct item *
ui_get_item(struct ui *u, long long rowid)
{
	struct item *it = NULL;
	char err[256];
	size_t lo = 0, hi = u->nmem;

	if (u->st != NULL) {
		if (store_get(u->st, rowid, &it, err, sizeof(err)) == 0)
			return it;
		log_warn("store_get %lld: %s", rowid, err);
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (u->mem[mid]->rowid == rowid)
			return item_dup(u->mem[mid]);
		if (u->mem[mid]->rowid < rowid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
watch_free(struct ui_watch *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->tickers[i]);
	free(w->tickers);
	free(w->stats);
	memset(w, 0, sizeof(*w));
}

static void
watch_push(struct ui_watch *w, const char *t)
{
	size_t i;
	char *up;

	for (i = 0; i < w->n; i++)
		if (util_strcasecmp(w->tickers[i], t) == 0)
			return;
	up = xstrdup(t);
	for (i = 0; up[i]; i++)
		if (up[i] >= 'a' && up[i] <= 'z')
			up[i] = (char)(up[i] - 'a' + 'A');
	w->tickers = xrealloc(w->tickers, (w->n + 1) * sizeof(*w->tickers));
	w->tickers[w->n++] = up;
	w->stats = xrealloc(w->stats, w->n * sizeof(*w->stats));
	memset(&w->stats[w->n - 1], 0, sizeof(*w->stats));
	w->computed = 0;
}

static void
watch_load(struct ui *u)
{
	struct conf_strv v;
	char err[256];
	size_t i;

	watch_free(&u->watch);
	for (i = 0; i < u->conf->watchlist.n; i++)
		watch_push(&u->watch, u->conf->watchlist.v[i]);
	memset(&v, 0, sizeof(v));
	if (u->st != NULL && store_watchlist(u->st, &v, err,
	    sizeof(err)) == 0) {
		for (i = 0; i < v.n; i++)
			watch_push(&u->watch, v.v[i]);
		conf_strv_free(&v);
	}
	u->stats_dirty = 1;
}

void
ui_watch_update(struct ui *u, time_t now)
{
	if (!u->stats_dirty && now - u->watch.computed < 60)
		return;
	if (u->watch.n > 0)
		model_ticker_stats(u->m, (const char *const *)u->watch.tickers,
		    u->watch.n, now, u->watch.stats);
	u->watch.computed = now;
	u->stats_dirty = 0;
	u->panes[UI_WATCH].dirty = 1;
}

static void
feeds_refresh(struct ui *u)
{
	char err[256];
	size_t i;

	if (u->st == NULL)
		return;
	for (i = 0; i < u->nfeeds; i++)
		store_feed_clear(&u->feeds[i]);
	free(u->feeds);
	u->feeds = NULL;
	u->nfeeds = 0;
	if (store_feeds(u->st, &u->feeds, &u->nfeeds, err, sizeof(err)) < 0)
		log_warn("feeds: %s", err);
	u->feeds_at = util_now();
	u->status_dirty = 1;
}

static void
initial_load(struct ui *u)
{
	struct store_query q;
	char err[256];
	long loaded = 0;

	if (u->st == NULL)
		return;
	memset(&q, 0, sizeof(q));
	q.limit = LOAD_BATCH;
	while (loaded < LOAD_MAX) {
		struct item *list = NULL, *it;
		size_t n = 0;

		q.offset = loaded;
		if (store_query(u->st, &q, &list, &n, err, sizeof(err)) < 0) {
			ui_message(u, THEME_STATUS_ERROR, "loading: %s", err);
			break;
		}
		for (it = list; it != NULL; it = it->next)
			model_add(u->m, it, 0);
		item_free_list(list);
		loaded += (long)n;
		if (n < (size_t)LOAD_BATCH)
			break;
	}
	model_select(u->m, 0);
}

/* ---- alerts and new items ---- */

static void
run_alert(struct ui *u, const struct item *it, const char *why)
{
	const char *style = u->conf->alert_style ? u->conf->alert_style :
	    "flash";
	char err[256];

	u->alerts++;
	ui_message(u, THEME_ALERT, "ALERT %s %.2f %s", why[0] ? why : "",
	    it->ann.impact, it->title ? it->title : "");
	if (strcmp(style, "beep") == 0 || strcmp(style, "both") == 0)
		beep();
	if (strcmp(style, "flash") == 0 || strcmp(style, "both") == 0)
		flash();
	if (u->conf->alert_cmd.n > 0) {
		struct strbuf sb;

		strbuf_init(&sb);
		item_to_json(it, 1, &sb);
		strbuf_addc(&sb, '\n');
		if (alert_spawn(u->procs, u->conf->alert_cmd.v, sb.buf,
		    sb.len, u->conf->alert_timeout > 0 ?
		    u->conf->alert_timeout : 10, err, sizeof(err)) < 0) {
			log_warn("alert command: %s", err);
			ui_message(u, THEME_STATUS_ERROR, "alert command: %s",
			    err);
		}
		strbuf_done(&sb);
	}
}

static void
take_items(struct ui *u)
{
	struct item *list, *it;
	int notified = 0;
	struct conf_strv extra;
	char why[ITEM_TICKER_LEN];
	long long sel = model_sel_item(u->m) ?
	    model_sel_item(u->m)->rowid : 0;

	size_t count = 0;
	int bulk;

	list = itemq_drain(u->o->q, &notified);
	for (it = list; it != NULL && count <= 512; it = it->next)
		count++;
	/* A big batch (a backlog) is added and sorted in one go. */
	bulk = count > 512;
	extra.v = u->watch.tickers;
	extra.n = u->watch.n;
	for (it = list; it != NULL; it = it->next) {
		unsigned flags = MODEL_NEW | (bulk ? MODEL_DEFER : 0);
		const struct model_item *mi;

		if (it->rowid == 0)
			continue;
		if (u->st == NULL)
			mem_add(u, it);
		if (!it->is_update && alert_match(u->conf, &extra, it, why,
		    sizeof(why))) {
			flags |= MODEL_ALERT;
			run_alert(u, it, why);
		}
		mi = model_add(u->m, it, flags);
		(void)mi;
		u->arrived++;
		if (it->rowid == u->detail_rowid)
			u->detail_rowid = 0;	/* updated upstream */
	}
	if (bulk)
		model_refresh(u->m);
	if (list != NULL) {
		u->panes[UI_FEED].dirty = 1;
		u->stats_dirty = 1;
		u->status_dirty = 1;
		/* Until the user navigates, the newest is selected. */
		if (!u->user_moved && model_view_count(u->m) > 0) {
			model_select(u->m, 0);
			ui_selection_changed(u, 0);
		} else if (sel == 0)
			ui_selection_changed(u, 0);
		else if (model_sel_item(u->m) == NULL ||
		    model_sel_item(u->m)->rowid != sel)
			ui_selection_changed(u, 0);
	}
	item_free_list(list);
	if (notified)
		feeds_refresh(u);
}

/* ---- selection, filters ---- */

void
ui_selection_changed(struct ui *u, int by_user)
{
	const struct model_item *mi = model_sel_item(u->m);
	char err[256];

	u->panes[UI_FEED].dirty = 1;
	u->panes[UI_DETAIL].dirty = 1;
	u->panes[UI_DETAIL].scroll = 0;
	if (mi == NULL || !by_user)
		return;
	u->user_moved = 1;
	if (!(mi->flags & MODEL_READ)) {
		long long id = mi->rowid;

		model_set_read(u->m, id, 1);
		if (u->st != NULL && store_set_read(u->st, id, 1, err,
		    sizeof(err)) < 0)
			log_warn("set read: %s", err);
		u->status_dirty = 1;
	}
}

static void
apply_filter(struct ui *u, const struct model_filter *f)
{
	model_set_filter(u->m, f);
	u->panes[UI_FEED].dirty = 1;
	u->panes[UI_WATCH].dirty = 1;
	u->status_dirty = 1;
	ui_selection_changed(u, 0);
}

void
ui_filter_ticker(struct ui *u, const char *ticker)
{
	struct model_filter f = *model_filter(u->m);

	util_strlcpy(f.ticker, ticker ? ticker : "", sizeof(f.ticker));
	apply_filter(u, &f);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void
set_search(struct ui *u, const char *text)
{
	struct model_filter f = *model_filter(u->m);

	free(u->hits);
	u->hits = NULL;
	u->nhits = 0;
	model_set_search_hits(u->m, NULL, 0);
	if (u->st != NULL && text[0]) {
		struct store_query q;
		struct item *list = NULL, *it;
		size_t n = 0;
		char err[256];

		/* Full-text hits from the summaries too (FTS); a query
		 * FTS cannot parse just leaves the title match. */
		memset(&q, 0, sizeof(q));
		q.search = text;
		q.limit = 20000;
		if (store_query(u->st, &q, &list, &n, err, sizeof(err)) == 0) {
			u->hits = xcalloc(n ? n : 1, sizeof(*u->hits));
			for (it = list; it != NULL; it = it->next)
				u->hits[u->nhits++] = it->rowid;
			qsort(u->hits, u->nhits, sizeof(*u->hits), cmp_ll);
			model_set_search_hits(u->m, u->hits, u->nhits);
		}
		item_free_list(list);
	}
	util_strlcpy(f.search, text, sizeof(f.search));
	apply_filter(u, &f);
}

/* ---- actions ---- */

static void
copy_link(struct ui *u, const char *url)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct strbuf sb;
	size_t i, n = strlen(url);

	strbuf_init(&sb);
	strbuf_adds(&sb, "\033]52;c;");
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)url[i] << 16;

		if (i + 1 < n)
			v |= (unsigned char)url[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)url[i + 2];
		strbuf_addc(&sb, b64[(v >> 18) & 63]);
		strbuf_addc(&sb, b64[(v >> 12) & 63]);
		strbuf_addc(&sb, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		strbuf_addc(&sb, i + 2 < n ? b64[v & 63] : '=');
	}
	strbuf_addc(&sb, '\a');
	/* Straight to the terminal, after curses' own output. */
	fflush(stdout);
	if (write(STDOUT_FILENO, sb.buf, sb.len) < 0)
		log_warn("copy: %s", strerror(errno));
	strbuf_done(&sb);
	ui_message(u, THEME_STATUS, "copied %s", url);
}

static const char *
selected_link(struct ui *u)
{
	const struct model_item *mi = model_sel_item(u->m);

	if (mi == NULL)
		return NULL;
	if (u->detail_rowid != mi->rowid || u->detail_link == NULL) {
		struct item *it = ui_get_item(u, mi->rowid);

		free(u->detail_link);
		u->detail_link = it && it->link ? xstrdup(it->link) : NULL;
		item_free(it);
	}
	return u->detail_link;
}

static void
watch_add(struct ui *u, const char *t)
{
	char err[256], up[ITEM_TICKER_LEN];
	size_t i;

	util_strlcpy(up, t, sizeof(up));
	for (i = 0; up[i]; i++) {
		if (up[i] >= 'a' && up[i] <= 'z')
			up[i] = (char)(up[i] - 'a' + 'A');
		if (!((up[i] >= 'A' && up[i] <= 'Z') || (up[i] >= '0' &&
		    up[i] <= '9') || up[i] == '.' || up[i] == '-' ||
		    up[i] == ':')) {
			ui_message(u, THEME_STATUS_ERROR, "'%s' is not a "
			    "ticker", t);
			return;
		}
	}
	if (up[0] == '\0')
		return;
	if (ui_watched(u, up)) {
		ui_message(u, THEME_STATUS, "%s is already watched", up);
		return;
	}
	if (u->st != NULL && store_watchlist_add(u->st, up, err,
	    sizeof(err)) < 0) {
		ui_message(u, THEME_STATUS_ERROR, "watchlist: %s", err);
		log_warn("watchlist add %s: %s", up, err);
	} else
		ui_message(u, THEME_STATUS, "watching %s", up);
	watch_push(&u->watch, up);
	u->stats_dirty = 1;
	u->frame_dirty = 1;
	dirty_all(u);
}

static void
watch_del(struct ui *u, const char *t)
{
	char err[256];
	size_t i;

	for (i = 0; i < u->watch.n; i++)
		if (util_strcasecmp(u->watch.tickers[i], t) == 0)
			break;
	if (i == u->watch.n) {
		ui_message(u, THEME_STATUS_WARN, "%s is not watched", t);
		return;
	}
	if (conf_on_watchlist(u->conf, t)) {
		ui_message(u, THEME_STATUS_WARN, "%s is in feeds.conf's "
		    "watchlist; remove it there", u->watch.tickers[i]);
		return;
	}
	if (u->st != NULL && store_watchlist_remove(u->st,
	    u->watch.tickers[i], err, sizeof(err)) < 0)
		ui_message(u, THEME_STATUS_ERROR, "watchlist: %s", err);
	else
		ui_message(u, THEME_STATUS, "no longer watching %s",
		    u->watch.tickers[i]);
	free(u->watch.tickers[i]);
	memmove(u->watch.tickers + i, u->watch.tickers + i + 1,
	    (u->watch.n - i - 1) * sizeof(*u->watch.tickers));
	u->watch.n--;
	if (u->panes[UI_WATCH].scroll >= (long)u->watch.n &&
	    u->panes[UI_WATCH].scroll > 0)
		u->panes[UI_WATCH].scroll--;
	u->stats_dirty = 1;
	dirty_all(u);
}

/* The ticker the user means: the watchlist row in focus, else the
 * selected headline's primary ticker. */
static const char *
current_ticker(struct ui *u)
{
	const struct model_item *mi;

	if (u->focus == UI_WATCH && u->watch.n > 0)
		return u->watch.tickers[u->panes[UI_WATCH].scroll];
	mi = model_sel_item(u->m);
	if (mi != NULL && mi->n_tickers > 0)
		return model_ticker_name(u->m, mi->tickers[0]);
	return NULL;
}

static void
prompt_start(struct ui *u, int action, const char *init)
{
	u->prompt = action;
	util_strlcpy(u->prompt_buf, init ? init : "", sizeof(u->prompt_buf));
	u->status_dirty = 1;
	curs_set(1);
}

static void
prompt_done(struct ui *u, int accept)
{
	struct model_filter f = *model_filter(u->m);
	char *s = util_trim(u->prompt_buf);
	int action = u->prompt;
	double d;

	u->prompt = 0;
	curs_set(0);
	u->status_dirty = 1;
	if (!accept)
		return;
	switch (action) {
	case UA_SEARCH:
		set_search(u, s);
		break;
	case UA_TICKER:
		ui_filter_ticker(u, s);
		break;
	case UA_CATEGORY:
		if (*s) {
			/* Accept a unique prefix. */
			char full[ITEM_CATEGORY_LEN];

			if (model_complete(u->m, 1, s, full,
			    sizeof(full)) == 1)
				s = full;
			util_strlcpy(f.category, s, sizeof(f.category));
		} else
			f.category[0] = '\0';
		apply_filter(u, &f);
		break;
	case UA_IMPACT:
		if (*s == '\0')
			d = 0;
		else if (util_parse_double(s, 0, 1, &d) < 0) {
			ui_message(u, THEME_STATUS_ERROR, "impact: expected a "
			    "number from 0 to 1, got '%s'", s);
			return;
		}
		f.min_impact = d;
		apply_filter(u, &f);
		break;
	case UA_WATCH_ADD:
		if (*s)
			watch_add(u, s);
		break;
	case UA_WATCH_DEL:
		if (*s)
			watch_del(u, s);
		break;
	}
}

static void
prompt_key(struct ui *u, wint_t ch, int is_key)
{
	size_t len = strlen(u->prompt_buf);

	u->status_dirty = 1;
	if (is_key) {
		if (ch == KEY_BACKSPACE || ch == KEY_DC)
			goto backspace;
		if (ch == KEY_ENTER)
			prompt_done(u, 1);
		return;
	}
	if (ch == 27) {
		prompt_done(u, 0);
		return;
	}
	if (ch == '\n' || ch == '\r') {
		prompt_done(u, 1);
		return;
	}
	if (ch == 127 || ch == 8) {
backspace:
		/* Drop one UTF-8 character. */
		while (len > 0 && ((unsigned char)u->prompt_buf[len - 1] &
		    0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		u->prompt_buf[len] = '\0';
		return;
	}
	if (ch == 21) {		/* ^U */
		u->prompt_buf[0] = '\0';
		return;
	}
	if (ch == '\t' && (u->prompt == UA_TICKER ||
	    u->prompt == UA_CATEGORY || u->prompt == UA_WATCH_ADD ||
	    u->prompt == UA_WATCH_DEL)) {
		char out[sizeof(u->prompt_buf)];
		size_t n = model_complete(u->m, u->prompt == UA_CATEGORY,
		    u->prompt_buf, out, sizeof(out));

		if (n > 0)
			util_strlcpy(u->prompt_buf, out,
			    sizeof(u->prompt_buf));
		if (n > 1)
			ui_message(u, THEME_STATUS, "%zu matches", n);
		return;
	}
	if (ch >= 32 && ch != 127) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n != (size_t)-1 && len + n < sizeof(u->prompt_buf)) {
			memcpy(u->prompt_buf + len, mb, n);
			u->prompt_buf[len + n] = '\0';
		}
	}
}

static void
clear_filters(struct ui *u)
{
	struct model_filter f;

	memset(&f, 0, sizeof(f));
	free(u->hits);
	u->hits = NULL;
	u->nhits = 0;
	model_set_search_hits(u->m, NULL, 0);
	apply_filter(u, &f);
}

static void
do_action(struct ui *u, int a)
{
	struct pane *fp = &u->panes[u->focus];
	const struct model_item *mi = model_sel_item(u->m);
	struct model_filter f = *model_filter(u->m);
	char err[256];
	const char *s;

	/* Overlays take movement keys for themselves. */
	if (u->overlay) {
		switch (a) {
		case UA_DOWN: u->overlay_scroll++; break;
		case UA_UP: u->overlay_scroll--; break;
		case UA_PGDN: u->overlay_scroll += u->rows / 2; break;
		case UA_PGUP: u->overlay_scroll -= u->rows / 2; break;
		case UA_TOP: u->overlay_scroll = 0; break;
		case UA_QUIT: got_quit = 1; break;
		case UA_FEEDS:
		case UA_HELP:
			if ((a == UA_FEEDS) != (u->overlay == 'F')) {
				u->overlay = a == UA_FEEDS ? 'F' : 'h';
				u->overlay_scroll = 0;
				break;
			}
			/* FALLTHROUGH */
		default:
			u->overlay = 0;
		}
		if (u->overlay_scroll < 0)
			u->overlay_scroll = 0;
		dirty_all(u);
		return;
	}
	if (u->zoom) {
		if (a == UA_CLEAR || a == UA_ZOOM || a == UA_ENTER) {
			u->zoom = 0;
			dirty_all(u);
			return;
		}
		if (a == UA_DOWN || a == UA_UP || a == UA_PGDN ||
		    a == UA_PGUP || a == UA_TOP || a == UA_BOTTOM) {
			u->panes[UI_DETAIL].ops->key(u, &u->panes[UI_DETAIL],
			    a);
			return;
		}
	}
	if (fp->ops->key != NULL && fp->ops->key(u, fp, a))
		return;
	switch (a) {
	case UA_FOCUS:
		do
			u->focus = (u->focus + 1) % UI_NPANES;
		while (!u->panes[u->focus].visible);
		dirty_all(u);
		break;
	case UA_ZOOM:
	case UA_ENTER:
		u->zoom = !u->zoom;
		dirty_all(u);
		break;
	case UA_SEARCH:
		prompt_start(u, a, f.search);
		break;
	case UA_TICKER:
		prompt_start(u, a, f.ticker);
		break;
	case UA_CATEGORY:
		prompt_start(u, a, f.category);
		break;
	case UA_IMPACT:
		prompt_start(u, a, NULL);
		break;
	case UA_WATCH_ADD:
		prompt_start(u, a, NULL);
		break;
	case UA_WATCH_DEL:
		prompt_start(u, a, current_ticker(u));
		break;
	case UA_UNREAD:
		f.unread_only = !f.unread_only;
		apply_filter(u, &f);
		break;
	case UA_STARRED:
		f.starred_only = !f.starred_only;
		apply_filter(u, &f);
		break;
	case UA_SORT:
		model_set_sort(u->m, model_sort(u->m) == MODEL_SORT_TIME ?
		    MODEL_SORT_IMPACT : MODEL_SORT_TIME);
		ui_selection_changed(u, 0);
		break;
	case UA_CLEAR:
		clear_filters(u);
		break;
	case UA_OPEN:
		s = selected_link(u);
		if (s == NULL)
			ui_message(u, THEME_STATUS_WARN, "no link");
		else if (alert_open_url(u->procs, &u->conf->browser, s, err,
		    sizeof(err)) < 0)
			ui_message(u, THEME_STATUS_ERROR, "open: %s", err);
		else
			ui_message(u, THEME_STATUS, "opening %s", s);
		break;
	case UA_COPY:
		s = selected_link(u);
		if (s == NULL)
			ui_message(u, THEME_STATUS_WARN, "no link");
		else
			copy_link(u, s);
		break;
	case UA_READ:
		if (mi == NULL)
			break;
		{
			long long id = mi->rowid;
			int r = !(mi->flags & MODEL_READ);

			model_set_read(u->m, id, r);
			if (u->st && store_set_read(u->st, id, r, err,
			    sizeof(err)) < 0)
				ui_message(u, THEME_STATUS_ERROR, "%s", err);
		}
		u->panes[UI_FEED].dirty = 1;
		u->status_dirty = 1;
		break;
	case UA_ALLREAD:
		model_mark_all_read(u->m, 0);
		if (u->st && store_mark_all_read(u->st, NULL, err,
		    sizeof(err)) < 0)
			ui_message(u, THEME_STATUS_ERROR, "%s", err);
		else
			ui_message(u, THEME_STATUS, "all marked read");
		u->panes[UI_FEED].dirty = 1;
		break;
	case UA_STAR:
		if (mi == NULL)
			break;
		{
			long long id = mi->rowid;
			int on = !(mi->flags & MODEL_STARRED);

			model_set_starred(u->m, id, on);
			if (u->st && store_set_starred(u->st, id, on, err,
			    sizeof(err)) < 0)
				ui_message(u, THEME_STATUS_ERROR, "%s", err);
		}
		u->panes[UI_FEED].dirty = 1;
		u->panes[UI_DETAIL].dirty = 1;
		break;
	case UA_REFRESH:
	case UA_REFRESH_ALL:
		if (u->o->poller == NULL) {
			ui_message(u, THEME_STATUS_WARN, "not polling%s",
			    u->o->demo ? " (demo)" : "");
			break;
		}
		if (a == UA_REFRESH && mi != NULL) {
			struct item *it = ui_get_item(u, mi->rowid);

			if (it != NULL && it->feed_url != NULL) {
				poller_refresh(u->o->poller, it->feed_url);
				ui_message(u, THEME_STATUS, "refreshing %s",
				    it->feed ? it->feed : it->feed_url);
			}
			item_free(it);
		} else {
			poller_refresh(u->o->poller, NULL);
			ui_message(u, THEME_STATUS, "refreshing all feeds");
		}
		break;
	case UA_FEEDS:
		feeds_refresh(u);
		u->overlay = 'F';
		u->overlay_scroll = 0;
		dirty_all(u);
		break;
	case UA_HELP:
		u->overlay = 'h';
		u->overlay_scroll = 0;
		dirty_all(u);
		break;
	case UA_THEME:
		theme_use(u, theme_next(u->theme_name));
		ui_message(u, THEME_STATUS, "theme %s", u->theme_name);
		break;
	case UA_QUIT:
		got_quit = 1;
		break;
	case UA_REDRAW:
		clearok(curscr, TRUE);
		dirty_all(u);
		break;
	case UA_ANALYZE:
		if (mi == NULL)
			break;
		if (u->conf->analysis_cmd.n == 0)
			ui_message(u, THEME_STATUS_WARN, "no analysis_cmd in "
			    "feeds.conf");
		else if (u->o->poller == NULL ||
		    poller_analyze(u->o->poller, mi->rowid) < 0)
			ui_message(u, THEME_STATUS_WARN, "deeper analysis is "
			    "not available here%s", u->o->demo ? " (demo)" :
			    "");
		else
			ui_message(u, THEME_STATUS, "deeper analysis "
			    "requested; the detail updates when it is done");
		break;
	default:
		break;
	}
}

/* ---- layout and frame ---- */

static void
layout(struct ui *u)
{
	struct pane *fd = &u->panes[UI_FEED], *wa = &u->panes[UI_WATCH];
	struct pane *de = &u->panes[UI_DETAIL];
	int inner = u->rows - 2;	/* minus top border and status */
	int top;

	getmaxyx(stdscr, u->rows, u->cols);
	inner = u->rows - 2;
	u->wide = u->cols >= WIDE_COLS;
	fd->visible = wa->visible = de->visible = 1;
	if (u->zoom) {
		fd->visible = wa->visible = 0;
		*de = (struct pane){ de->ops, 1, 1, inner, u->cols - 2, 1, 1,
		    de->scroll };
		return;
	}
	if (u->wide) {
		int ww = WATCH_W;

		top = (inner - 1) * 11 / 20;
		if (top < 3)
			top = 3;
		fd->y = wa->y = 1;
		fd->x = 1;
		fd->h = wa->h = top;
		fd->w = u->cols - ww - 3;
		wa->x = fd->x + fd->w + 1;
		wa->w = ww;
		de->y = top + 2;
		de->x = 1;
		de->w = u->cols - 2;
		de->h = inner - top - 1;
	} else {
		/* Stacked: headlines, a few watchlist rows, detail. */
		int wh = (int)u->watch.n;
		int avail = inner - 2;

		if (wh < 1)
			wh = 1;
		if (wh > avail / 6 + 1)
			wh = avail / 6 + 1;
		if (wh > 4)
			wh = 4;
		top = (avail - wh) * 11 / 20;
		if (top < 2)
			top = 2;
		fd->y = 1;
		fd->x = 1;
		fd->h = top;
		fd->w = u->cols - 2;
		wa->y = top + 2;
		wa->x = 1;
		wa->h = wh;
		wa->w = u->cols - 2;
		de->y = wa->y + wh + 1;
		de->x = 1;
		de->w = u->cols - 2;
		de->h = u->rows - 1 - de->y;
	}
	if (de->h < 1)
		de->visible = 0;
	if (wa->h < 1)
		wa->visible = 0;
	model_set_rows(u->m, fd->h > 0 ? fd->h : 1);
}

/* A horizontal border row from x0 to x1 (inclusive) with a title. */
static void
hborder(struct ui *u, int y, int x0, int x1, const char *left,
    const char *right, const char *title, int focused)
{
	int x;

	attrset(u->attr[THEME_BORDER]);
	mvaddstr(y, x0, left);
	for (x = x0 + 1; x < x1; x++)
		mvaddstr(y, x, "\u2500");
	mvaddstr(y, x1, right);
	if (title != NULL && x1 - x0 > 6) {
		attrset(u->attr[THEME_BORDER]);
		mvaddstr(y, x0 + 1, " ");
		x = x0 + 2 + ui_put(u, y, x0 + 2, x1 - x0 - 4,
		    focused ? THEME_PANE_FOCUS : THEME_PANE_TITLE, title);
		attrset(u->attr[THEME_BORDER]);
		mvaddstr(y, x, " ");
	}
}

static void
vborders(struct ui *u, int y0, int y1, int x)
{
	int y;

	attrset(u->attr[THEME_BORDER]);
	for (y = y0; y <= y1; y++)
		mvaddstr(y, x, "\u2502");
}

static void
fmt_count(long n, char *buf, size_t len)
{
	if (n >= 1000000)
		snprintf(buf, len, "%ld,%03ld,%03ld", n / 1000000,
		    n / 1000 % 1000, n % 1000);
	else if (n >= 1000)
		snprintf(buf, len, "%ld,%03ld", n / 1000, n % 1000);
	else
		snprintf(buf, len, "%ld", n);
}

static void
feed_title(struct ui *u, char *buf, size_t len)
{
	const struct model_filter *f = model_filter(u->m);
	struct strbuf sb;
	char n[32];

	strbuf_init(&sb);
	fmt_count((long)model_view_count(u->m), n, sizeof(n));
	strbuf_addf(&sb, "Headlines \u00b7 %s", n);
	if (f->ticker[0])
		strbuf_addf(&sb, " \u00b7 $%s", f->ticker);
	if (f->category[0])
		strbuf_addf(&sb, " \u00b7 %s", f->category);
	if (f->min_impact > 0)
		strbuf_addf(&sb, " \u00b7 impact \u2265 %.2f", f->min_impact);
	if (f->search[0])
		strbuf_addf(&sb, " \u00b7 \"%s\"", f->search);
	if (f->unread_only)
		strbuf_adds(&sb, " \u00b7 unread");
	if (f->starred_only)
		strbuf_adds(&sb, " \u00b7 starred");
	if (model_sort(u->m) == MODEL_SORT_IMPACT)
		strbuf_adds(&sb, " \u00b7 by impact");
	if (model_unseen(u->m) > 0)
		strbuf_addf(&sb, " \u00b7 \u2191%ld new", model_unseen(u->m));
	util_strlcpy(buf, sb.buf, len);
	strbuf_done(&sb);
}

void
ui_feed_title(struct ui *u)
{
	struct pane *wa = &u->panes[UI_WATCH];
	char title[512];
	int r;

	if (u->zoom)
		return;
	r = u->wide ? wa->x - 1 : u->cols - 1;
	feed_title(u, title, sizeof(title));
	hborder(u, 0, 0, r, "\u250c", u->wide ? "\u252c" : "\u2510", title,
	    u->focus == UI_FEED);
}

static void
draw_frame(struct ui *u)
{
	struct pane *fd = &u->panes[UI_FEED], *wa = &u->panes[UI_WATCH];
	struct pane *de = &u->panes[UI_DETAIL];
	char title[512];
	int r = u->cols - 1;

	feed_title(u, title, sizeof(title));
	if (u->zoom) {
		hborder(u, 0, 0, r, "\u250c", "\u2510", "Detail", 1);
		vborders(u, 1, u->rows - 2, 0);
		vborders(u, 1, u->rows - 2, r);
		return;
	}
	if (u->wide) {
		int sx = wa->x - 1;

		hborder(u, 0, 0, sx, "\u250c", "\u252c", title,
		    u->focus == UI_FEED);
		hborder(u, 0, sx, r, "\u252c", "\u2510", "Watchlist",
		    u->focus == UI_WATCH);
		vborders(u, 1, fd->h, 0);
		vborders(u, 1, fd->h, sx);
		vborders(u, 1, fd->h, r);
		hborder(u, de->y - 1, 0, r, "\u251c", "\u2524", "Detail",
		    u->focus == UI_DETAIL);
		attrset(u->attr[THEME_BORDER]);
		mvaddstr(de->y - 1, sx, "\u2534");
	} else {
		hborder(u, 0, 0, r, "\u250c", "\u2510", title,
		    u->focus == UI_FEED);
		vborders(u, 1, fd->h, 0);
		vborders(u, 1, fd->h, r);
		hborder(u, wa->y - 1, 0, r, "\u251c", "\u2524", "Watchlist",
		    u->focus == UI_WATCH);
		vborders(u, wa->y, wa->y + wa->h - 1, 0);
		vborders(u, wa->y, wa->y + wa->h - 1, r);
		if (de->visible)
			hborder(u, de->y - 1, 0, r, "\u251c", "\u2524",
			    "Detail", u->focus == UI_DETAIL);
	}
	if (de->visible) {
		vborders(u, de->y, de->y + de->h - 1, 0);
		vborders(u, de->y, de->y + de->h - 1, r);
	}
}

/* ---- status line ---- */

static void
status_right(struct ui *u, char *buf, size_t len)
{
	struct strbuf sb;
	time_t now = util_now(), next = 0;
	char clock[32], n[32];
	struct tm tm;
	size_t i, ok = 0;

	strbuf_init(&sb);
	if (u->o->demo)
		strbuf_adds(&sb, "demo");
	else if (u->o->poller == NULL)
		strbuf_adds(&sb, "not polling");
	else if (poller_is_passive(u->o->poller))
		strbuf_adds(&sb, "another deskwire polls");
	if (!u->o->demo && u->nfeeds > 0) {
		for (i = 0; i < u->nfeeds; i++) {
			if (u->feeds[i].last_error == NULL)
				ok++;
			if (u->feeds[i].next_due > 0 && (next == 0 ||
			    u->feeds[i].next_due < next))
				next = u->feeds[i].next_due;
		}
		if (sb.len)
			strbuf_adds(&sb, " \u00b7 ");
		strbuf_addf(&sb, "%zu/%zu feeds ok", ok, u->nfeeds);
		if (next > 0 && u->o->poller != NULL) {
			long d = next > now ? (long)(next - now) : 0;

			strbuf_addf(&sb, " \u00b7 next poll %ld:%02ld",
			    d / 60, d % 60);
		}
	}
	if (sb.len)
		strbuf_adds(&sb, " \u00b7 ");
	fmt_count((long)model_count(u->m), n, sizeof(n));
	strbuf_addf(&sb, "%s items \u00b7 %ld unread", n, model_unread(u->m));
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	strbuf_addf(&sb, " \u00b7 %s", clock);
	util_strlcpy(buf, sb.buf, len);
	strbuf_done(&sb);
}

static void
draw_status(struct ui *u)
{
	static const char *const prompts[UA_N] = {
		[UA_SEARCH] = "/ search: ", [UA_TICKER] = "ticker: ",
		[UA_CATEGORY] = "category: ", [UA_IMPACT] = "min impact: ",
		[UA_WATCH_ADD] = "watch ticker: ",
		[UA_WATCH_DEL] = "unwatch ticker: ",
	};
	char right[256];
	int y = u->rows - 1, x, rw, w = u->cols;

	attrset(u->attr[THEME_BORDER]);
	mvaddstr(y, 0, "\u2514");
	mvaddstr(y, w - 1, "\u2518");
	ui_blank(u, y, 1, w - 2, THEME_STATUS);
	if (u->prompt) {
		x = 2 + ui_put(u, y, 2, w - 4, THEME_PROMPT,
		    prompts[u->prompt] ? prompts[u->prompt] : "> ");
		x += ui_put(u, y, x, w - 2 - x, THEME_PROMPT, u->prompt_buf);
		move(y, x < w - 2 ? x : w - 2);
		return;
	}
	status_right(u, right, sizeof(right));
	rw = text_width(right);
	if (rw > w - 4)
		rw = 0;
	if (rw)
		ui_put(u, y, w - 2 - rw, rw, THEME_STATUS, right);
	x = 2;
	if (u->msg[0] && util_now() < u->msg_until) {
		ui_put(u, y, x, w - 5 - rw - x, u->msg_elem, u->msg);
	} else {
		static const char *const keys[][2] = {
			{ "?", "help" }, { "/", "search" }, { "f", "ticker" },
			{ "i", "impact" }, { "o", "open" }, { "q", "quit" },
		};
		size_t i;
		int lim = w - 4 - rw;

		u->msg[0] = '\0';
		for (i = 0; i < UTIL_ARRAY_LEN(keys) && x < lim; i++) {
			x += ui_put(u, y, x, lim - x, THEME_KEY, keys[i][0]);
			x += ui_put(u, y, x, lim - x, THEME_STATUS, " ");
			x += ui_put(u, y, x, lim - x, THEME_STATUS,
			    keys[i][1]);
			x += ui_put(u, y, x, lim - x, THEME_STATUS, "  ");
		}
	}
}

/* ---- overlays ---- */

static void
overlay_box(struct ui *u, const char *title, int *y0, int *x0, int *h,
    int *w)
{
	int y;

	*w = u->cols - 8 > 90 ? 90 : u->cols - 8;
	*h = u->rows - 4;
	if (*w < 20)
		*w = u->cols;
	*x0 = (u->cols - *w) / 2;
	*y0 = 1;
	hborder(u, *y0, *x0, *x0 + *w - 1, "\u250c", "\u2510", title, 1);
	for (y = *y0 + 1; y < *y0 + *h - 1; y++) {
		vborders(u, y, y, *x0);
		ui_blank(u, y, *x0 + 1, *w - 2, THEME_NORMAL);
		vborders(u, y, y, *x0 + *w - 1);
	}
	hborder(u, *y0 + *h - 1, *x0, *x0 + *w - 1, "\u2514", "\u2518",
	    "Esc closes", 0);
}

static void
age_str(time_t t, time_t now, char *buf, size_t len)
{
	long d = (long)(now - t);

	if (t <= 0)
		snprintf(buf, len, "never");
	else if (d < 0)
		snprintf(buf, len, "in %lds", -d);
	else if (d < 60)
		snprintf(buf, len, "%lds ago", d);
	else if (d < 3600)
		snprintf(buf, len, "%ldm ago", d / 60);
	else if (d < 86400 * 2)
		snprintf(buf, len, "%ldh ago", d / 3600);
	else
		snprintf(buf, len, "%ldd ago", d / 86400);
}

static void
draw_overlay(struct ui *u)
{
	int y0, x0, h, w, y;
	long i, n;

	if (u->overlay == 'h') {
		overlay_box(u, "Keys", &y0, &x0, &h, &w);
		n = (long)UTIL_ARRAY_LEN(help_lines);
		if (u->overlay_scroll > n - 1)
			u->overlay_scroll = n - 1;
		for (i = u->overlay_scroll, y = y0 + 1; i < n &&
		    y < y0 + h - 1; i++, y++)
			ui_put(u, y, x0 + 2, w - 4, help_lines[i][0] == ' ' ||
			    help_lines[i][0] == '\0' ? THEME_NORMAL :
			    THEME_LABEL, help_lines[i]);
		return;
	}
	overlay_box(u, "Feeds", &y0, &x0, &h, &w);
	y = y0 + 1;
	if (u->nfeeds == 0) {
		ui_put(u, y, x0 + 2, w - 4, THEME_NORMAL, u->st == NULL ?
		    "no database: feed states are not available" :
		    "no feeds configured (add URLs to feeds.conf)");
		return;
	}
	n = (long)u->nfeeds;
	if (u->overlay_scroll > n - 1)
		u->overlay_scroll = n - 1;
	for (i = u->overlay_scroll; i < n && y < y0 + h - 2; i++) {
		const struct store_feed *f = &u->feeds[i];
		char ok[32], next[32], line[512], *name;
		const char *note;
		time_t now = util_now();

		age_str(f->last_success, now, ok, sizeof(ok));
		name = text_clean(f->name ? f->name : f->url ? f->url : "?",
		    strlen(f->name ? f->name : f->url ? f->url : "?"), 200,
		    0);
		age_str(f->next_due, now, next, sizeof(next));
		snprintf(line, sizeof(line), "%s %-28.28s last ok %-9s "
		    "next poll %-9s %6ld items",
		    f->last_error ? "\u2717" : "\u2713", name, ok,
		    f->next_due > 0 ? next : "now", f->n_items);
		free(name);
		ui_put(u, y++, x0 + 2, w - 4, f->last_error ?
		    THEME_STATUS_ERROR : THEME_NORMAL, line);
		/* The last error, else what the last document needed
		 * repaired. */
		note = f->last_error != NULL ? f->last_error : f->warning;
		if (note != NULL && y < y0 + h - 1) {
			char *e = text_clean(note, strlen(note), 300, 0);

			if (f->last_error != NULL)
				snprintf(line, sizeof(line),
				    "    %s (%d in a row)", e, f->failures);
			else
				snprintf(line, sizeof(line),
				    "    read with repairs: %s", e);
			free(e);
			ui_put(u, y++, x0 + 2, w - 4, THEME_STATUS_WARN, line);
		}
	}
}

/* ---- the loop ---- */

static void
draw(struct ui *u)
{
	int i, any = u->frame_dirty || u->status_dirty;

	for (i = 0; i < UI_NPANES; i++)
		any |= u->panes[i].visible && u->panes[i].dirty;
	if (!any)
		return;
	if (u->rows < 8 || u->cols < 30) {
		erase();
		ui_put(u, 0, 0, u->cols, THEME_NORMAL, "terminal too small");
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	ui_watch_update(u, util_now());
	if (u->frame_dirty) {
		/* Layout, zoom, focus, theme or overlay changed: all. */
		erase();
		layout(u);
		for (i = 0; i < UI_NPANES; i++)
			u->panes[i].dirty = 1;
		draw_frame(u);
	}
	for (i = 0; i < UI_NPANES; i++) {
		struct pane *p = &u->panes[i];

		if (p->visible && p->dirty && p->h > 0 && p->w > 0)
			p->ops->draw(u, p);
		p->dirty = 0;
	}
	if (u->overlay)
		draw_overlay(u);
	draw_status(u);
	u->frame_dirty = 0;
	u->status_dirty = 0;
	wnoutrefresh(stdscr);
	doupdate();
}

static void
resize(struct ui *u)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	/* The terminal rewrapped or cut what it showed: repaint it all. */
	clearok(curscr, TRUE);
	erase();
	layout(u);
	dirty_all(u);
}

static void
handle_mouse(struct ui *u)
{
	MEVENT ev;
	int i, button = 0;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED |
	    BUTTON1_RELEASED))
		button = 1;
	else if (ev.bstate & BUTTON4_PRESSED)
		button = 4;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		button = 5;
#endif
	if (button == 0 || u->overlay)
		return;
	for (i = 0; i < UI_NPANES; i++) {
		struct pane *p = &u->panes[i];

		if (!p->visible || ev.y < p->y || ev.y >= p->y + p->h ||
		    ev.x < p->x || ev.x >= p->x + p->w)
			continue;
		if (button == 1 && u->focus != i) {
			u->focus = i;
			dirty_all(u);
		}
		if (p->ops->mouse != NULL)
			p->ops->mouse(u, p, ev.y, ev.x, button);
		return;
	}
}

static void
read_input(struct ui *u)
{
	wint_t ch;
	int r;

	while ((r = get_wch(&ch)) != ERR) {
		if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
			got_winch = 1;
			continue;
		}
		if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
			handle_mouse(u);
			continue;
		}
		if (u->prompt) {
			prompt_key(u, ch, r == KEY_CODE_YES);
			continue;
		}
		if (r == OK && ch > 127)
			continue;
		do_action(u, key_action((int)ch));
		if (got_quit)
			return;
	}
}

static double
mono_ms_f(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
next_timeout(struct ui *u)
{
	int64_t ms = util_mono_ms();
	struct timespec ts;
	int t, c;

	(void)ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* Wake at the next second: the clock and the poll countdown. */
	t = 1000 - (int)(ts.tv_nsec / 1000000) + 2;
	c = alert_next_ms(u->procs);
	if (c >= 0 && c < t)
		t = c;
	return t;
}

static void
ui_init_struct(struct ui *u, const struct ui_opts *o)
{
	memset(u, 0, sizeof(*u));
	u->o = o;
	u->conf = o->conf;
	u->st = o->store;
	u->m = model_new();
	u->procs = alert_procs_new();
	u->panes[UI_FEED].ops = &ui_feed_ops;
	u->panes[UI_WATCH].ops = &ui_watch_ops;
	u->panes[UI_DETAIL].ops = &ui_detail_ops;
	u->focus = UI_FEED;
	u->started = util_now();
}

static void
ui_done_struct(struct ui *u)
{
	size_t i;

	ui_detail_clear(u);
	free(u->detail_link);
	watch_free(&u->watch);
	for (i = 0; i < u->nfeeds; i++)
		store_feed_clear(&u->feeds[i]);
	free(u->feeds);
	for (i = 0; i < u->nmem; i++)
		item_free(u->mem[i]);
	free(u->mem);
	free(u->hits);
	alert_procs_free(u->procs);
	model_free(u->m);
}

int
ui_run(const struct ui_opts *o, char *err, size_t errlen)
{
	struct ui u;
	struct sigaction sa;
	struct pollfd fds[34];
	SCREEN *scr;
	int nfd, qfd = itemq_fd(o->q);

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		util_seterr(err, errlen, "the dashboard needs a terminal "
		    "(try `deskwire list` or `deskwire fetch --once`)");
		return -1;
	}
	ui_init_struct(&u, o);
	log_quiet_stderr(1);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	/* Ours, installed before newterm(), so ncurses leaves SIGWINCH to
	 * us: the handler sets a flag, the loop asks the size. */
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	got_quit = got_winch = 0;

	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		log_quiet_stderr(0);
		util_seterr(err, errlen, "cannot use the terminal (TERM=%s)",
		    getenv("TERM") ? getenv("TERM") : "");
		ui_done_struct(&u);
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	    | BUTTON5_PRESSED
#endif
	    , NULL);
	mouseinterval(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	theme_use(&u, u.conf->theme);
	binds_init(&u);
	watch_load(&u);
	layout(&u);
	initial_load(&u);
	feeds_refresh(&u);
	if (o->notice != NULL)
		ui_message(&u, THEME_STATUS_WARN, "%s", o->notice);
	ui_selection_changed(&u, 0);
	dirty_all(&u);

	/* Keypress-to-screen times, logged at exit for the benchmark. */
	double key_t0 = 0, key_sum = 0, key_max = 0;
	long key_n = 0;

	while (!got_quit) {
		int n, i;

		if (got_winch) {
			got_winch = 0;
			resize(&u);
		}
		if (got_chld) {
			got_chld = 0;
		}
		alert_service(u.procs, NULL);
		if (u.st != NULL && util_now() - u.feeds_at >= 30)
			feeds_refresh(&u);
		draw(&u);
		if (key_t0 > 0) {
			double d = mono_ms_f() - key_t0;

			key_sum += d;
			if (d > key_max)
				key_max = d;
			key_n++;
			key_t0 = 0;
		}
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = qfd;
		fds[1].events = POLLIN;
		nfd = 2 + alert_pollfds(u.procs, fds + 2, 32);
		n = poll(fds, (nfds_t)nfd, next_timeout(&u));
		if (n < 0 && errno != EINTR)
			break;
		/* Once per second: the clock; per minute: the ages. */
		u.status_dirty = 1;
		if (util_now() - u.watch.computed >= 60)
			u.stats_dirty = 1;
		if (n <= 0)
			continue;
		for (i = 0; i < nfd; i++)
			fds[i].revents &= (short)(fds[i].events | POLLHUP |
			    POLLERR);
		if (fds[1].revents)
			take_items(&u);
		if (fds[0].revents & (POLLHUP | POLLERR))
			break;
		if (fds[0].revents) {
			key_t0 = mono_ms_f();
			read_input(&u);
		}
	}
	if (key_n > 0)
		log_info("ui: %ld inputs, key to screen update %.3f ms mean, "
		    "%.3f ms max", key_n, key_sum / (double)key_n, key_max);

	endwin();
	delscreen(scr);
	log_quiet_stderr(0);
	ui_done_struct(&u);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	return 0;
}

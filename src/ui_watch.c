/*
 * ui_watch.c - the watchlist pane: per watched ticker, items in the last
 * day, a sparkline of items per hour, net sentiment, maximum impact and
 * the age of the newest item.  The statistics come from the model (one
 * pass over the items, recomputed when items arrive or a minute passes).
 * Enter or a click on a row shows that ticker's headlines (again: all).
 */
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "util.h"

static void
age(time_t t, time_t now, char *buf, size_t len)
{
	long d = (long)(now - t);

	if (t <= 0)
		snprintf(buf, len, "-");
	else if (d < 60)
		snprintf(buf, len, "%lds", d < 0 ? 0 : d);
	else if (d < 3600)
		snprintf(buf, len, "%ldm", d / 60);
	else if (d < 86400 * 2)
		snprintf(buf, len, "%ldh", d / 3600);
	else
		snprintf(buf, len, "%ldd", d / 86400);
}

/* First row shown, so the cursor stays visible. */
static long
first_row(const struct pane *p)
{
	return p->scroll >= p->h ? p->scroll - p->h + 1 : 0;
}

static void
watch_draw(struct ui *u, struct pane *p)
{
	time_t now = util_now();
	const char *filt = model_filter(u->m)->ticker;
	long first = first_row(p), i;
	int y, focused = u->focus == UI_WATCH;

	for (y = 0; y < p->h; y++)
		ui_blank(u, p->y + y, p->x, p->w, THEME_NORMAL);
	if (u->watch.n == 0) {
		ui_put(u, p->y, p->x + 1, p->w - 1, THEME_READ,
		    "no tickers: press a to add one");
		return;
	}
	for (y = 0, i = first; y < p->h && i < (long)u->watch.n; y++, i++) {
		const struct model_stat *s = &u->watch.stats[i];
		int cur = focused && i == p->scroll;
		int sel = cur || (filt[0] && util_strcasecmp(filt,
		    u->watch.tickers[i]) == 0);
		int x = p->x + 1, sw, yy = p->y + y;
		char buf[160];

#define E(e) (cur ? THEME_SELECTED : (e))
		if (sel)
			ui_blank(u, yy, p->x, p->w, E(THEME_NORMAL));
		if (sel && !cur)
			ui_put(u, yy, p->x, 1, THEME_PANE_FOCUS, "\u25b8");
		x += ui_put(u, yy, x, 6, E(THEME_TICKER_WATCH),
		    u->watch.tickers[i]);
		x = p->x + 7;
		snprintf(buf, sizeof(buf), "%3ld", s->count);
		x += ui_put(u, yy, x, 4, E(THEME_NORMAL), buf) + 1;
		/* What is left after the fixed columns goes to the line. */
		sw = p->w - (x - p->x) - 15;
		if (sw > 24)
			sw = 24;
		if (sw >= 2) {
			model_sparkline(s->hourly, MODEL_SPARK_HOURS, sw, buf,
			    sizeof(buf));
			x += ui_put(u, yy, x, sw, E(THEME_SPARK), buf) + 1;
		}
		if (s->count == 0)
			ui_put(u, yy, x, 1, E(THEME_FLAT), "\u00b7");
		else if (s->net_sentiment > 0.05)
			ui_put(u, yy, x, 1, E(THEME_UP), "\u25b2");
		else if (s->net_sentiment < -0.05)
			ui_put(u, yy, x, 1, E(THEME_DOWN), "\u25bc");
		else
			ui_put(u, yy, x, 1, E(THEME_FLAT), "\u00b7");
		x += 2;
		snprintf(buf, sizeof(buf), "%.2f", s->max_impact);
		x += ui_put(u, yy, x, 4, E(s->count ?
		    ui_impact_elem(s->max_impact) : THEME_READ), buf) + 1;
		age(s->latest, now, buf, sizeof(buf));
		ui_put(u, yy, x, p->x + p->w - x, E(THEME_TIME), buf);
#undef E
	}
}

static int
watch_key(struct ui *u, struct pane *p, int action)
{
	long n = (long)u->watch.n;

	switch (action) {
	case UA_DOWN:
		p->scroll++;
		break;
	case UA_UP:
		p->scroll--;
		break;
	case UA_TOP:
		p->scroll = 0;
		break;
	case UA_BOTTOM:
		p->scroll = n - 1;
		break;
	case UA_ENTER:
		if (n == 0)
			return 1;
		if (util_strcasecmp(model_filter(u->m)->ticker,
		    u->watch.tickers[p->scroll]) == 0)
			ui_filter_ticker(u, NULL);
		else
			ui_filter_ticker(u, u->watch.tickers[p->scroll]);
		break;
	default:
		return 0;
	}
	if (p->scroll >= n)
		p->scroll = n - 1;
	if (p->scroll < 0)
		p->scroll = 0;
	p->dirty = 1;
	return 1;
}

static void
watch_mouse(struct ui *u, struct pane *p, int y, int x, int button)
{
	long row = first_row(p) + (y - p->y);

	(void)x;
	if (button == 4 || button == 5) {
		watch_key(u, p, button == 4 ? UA_UP : UA_DOWN);
		return;
	}
	if (row < 0 || row >= (long)u->watch.n)
		return;
	p->scroll = row;
	watch_key(u, p, UA_ENTER);
}

const struct pane_ops ui_watch_ops = {
	.name = "watchlist",
	.draw = watch_draw,
	.key = watch_key,
	.mouse = watch_mouse,
};

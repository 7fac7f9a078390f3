/*
 * ui_feed.c - the headline pane: one row per item of the model's view,
 * from the model's top row down.  Columns shrink on narrow screens: flag,
 * time, source (×N when several feeds carry the story), impact in its
 * band's colour, sentiment arrow, tickers (watched ones highlighted) and
 * the title (bold while unread).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "util.h"

static void
draw_row(struct ui *u, struct pane *p, int y, const struct model_item *mi,
    int selected)
{
	const char *fmt = u->conf->time_format && *u->conf->time_format ?
	    u->conf->time_format : "%H:%M:%S";
	int x = p->x, end = p->x + p->w, tw, sw, kw, i;
	int sel = selected ? THEME_SELECTED : -1;
	char buf[128];
	struct tm tm;
	const char *flag = " ";
	int flag_elem = THEME_NORMAL;

#define E(e) (sel >= 0 ? sel : (e))
	ui_blank(u, y, p->x, p->w, E(THEME_NORMAL));
	if (mi->flags & MODEL_ALERT) {
		flag = "!";
		flag_elem = THEME_ALERT;
	} else if (mi->flags & MODEL_STARRED) {
		flag = "*";
		flag_elem = THEME_STAR;
	} else if ((mi->flags & MODEL_NEW) && !(mi->flags & MODEL_READ)) {
		flag = "+";
		flag_elem = THEME_NEW;
	}
	x += ui_put(u, y, x, 1, E(flag_elem), flag);
	/* Time. */
	localtime_r(&mi->published, &tm);
	/* The user's time_format from feeds.conf. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, sizeof(buf), fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	tw = p->w >= 70 ? 10 : 6;
	if (p->w < 70)
		strftime(buf, sizeof(buf), "%H:%M", &tm);
	ui_put(u, y, x, tw - 1, E(THEME_TIME), buf);
	x += tw;
	/* Source. */
	sw = p->w >= 110 ? 14 : p->w >= 70 ? 10 : 0;
	if (sw > 0) {
		char src[64];

		if (mi->n_sources > 1) {
			snprintf(src, sizeof(src), "\u00d7%d", mi->n_sources);
			i = (int)strlen(src) - 1;	/* × is one column */
			ui_put(u, y, x, sw - i - 2, E(THEME_SOURCE),
			    model_feed_name(u->m, mi->feed));
			ui_put(u, y, x + sw - i - 1, i + 1, E(THEME_SOURCE),
			    src);
		} else
			ui_put(u, y, x, sw - 1, E(THEME_SOURCE),
			    model_feed_name(u->m, mi->feed));
		x += sw;
	}
	/* Impact and sentiment. */
	if (mi->valid)
		snprintf(buf, sizeof(buf), "%.2f", (double)mi->impact);
	else
		util_strlcpy(buf, " -- ", sizeof(buf));
	x += ui_put(u, y, x, 4, E(ui_impact_elem(mi->impact)), buf) + 1;
	if (mi->sentiment_label > 0)
		ui_put(u, y, x, 1, E(THEME_UP), "\u25b2");
	else if (mi->sentiment_label < 0)
		ui_put(u, y, x, 1, E(THEME_DOWN), "\u25bc");
	else
		ui_put(u, y, x, 1, E(THEME_FLAT), "\u00b7");
	x += 2;
	/* Tickers. */
	kw = p->w >= 110 ? 16 : p->w >= 70 ? 11 : 6;
	{
		int kx = x;

		for (i = 0; i < mi->n_tickers && kx < x + kw - 1; i++) {
			const char *t = model_ticker_name(u->m,
			    mi->tickers[i]);
			int need = (int)strlen(t);

			if (i > 0 && kx + need > x + kw - 1)
				break;
			kx += ui_put(u, y, kx, x + kw - 1 - kx,
			    E(ui_watched(u, t) ? THEME_TICKER_WATCH :
			    THEME_TICKER), t) + 1;
		}
	}
	x += kw;
	/* Title. */
	if (x < end)
		ui_put(u, y, x, end - x, E(mi->flags & MODEL_READ ?
		    THEME_READ : THEME_UNREAD), mi->title);
#undef E
}

static void
feed_draw(struct ui *u, struct pane *p)
{
	long top = model_top(u->m), sel = model_sel(u->m), i;
	int y;

	ui_feed_title(u);
	for (y = 0; y < p->h; y++) {
		const struct model_item *mi;

		i = top + y;
		mi = model_view_item(u->m, (size_t)i);
		if (mi == NULL) {
			ui_blank(u, p->y + y, p->x, p->w, THEME_NORMAL);
			if (y == 0 && model_view_count(u->m) == 0)
				ui_put(u, p->y, p->x + 1, p->w - 1,
				    THEME_READ, model_count(u->m) == 0 ?
				    "waiting for headlines..." :
				    "no headline matches the filters "
				    "(Esc clears them)");
			continue;
		}
		draw_row(u, p, p->y + y, mi, i == sel);
	}
}

static int
feed_key(struct ui *u, struct pane *p, int action)
{
	long before = model_sel(u->m);

	switch (action) {
	case UA_DOWN:
		model_move(u->m, 1);
		break;
	case UA_UP:
		model_move(u->m, -1);
		break;
	case UA_PGDN:
		model_move(u->m, p->h > 1 ? p->h - 1 : 1);
		break;
	case UA_PGUP:
		model_move(u->m, p->h > 1 ? -(p->h - 1) : -1);
		break;
	case UA_TOP:
		model_select(u->m, 0);
		break;
	case UA_BOTTOM:
		model_select(u->m, (long)model_view_count(u->m) - 1);
		break;
	default:
		return 0;
	}
	p->dirty = 1;
	if (model_sel(u->m) != before)
		ui_selection_changed(u, 1);
	return 1;
}

static void
feed_mouse(struct ui *u, struct pane *p, int y, int x, int button)
{
	long before = model_sel(u->m);

	(void)x;
	if (button == 1)
		model_select(u->m, model_top(u->m) + (y - p->y));
	else
		model_scroll(u->m, button == 4 ? -3 : 3);
	p->dirty = 1;
	if (model_sel(u->m) != before)
		ui_selection_changed(u, 1);
}

const struct pane_ops ui_feed_ops = {
	.name = "headlines",
	.draw = feed_draw,
	.key = feed_key,
	.mouse = feed_mouse,
};

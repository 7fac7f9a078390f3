/*
 * ui_detail.c - the detail pane: the selected item's title, impact with
 * its breakdown, tickers with their roles, sources, time, link,
 * categories, summary and analysis.  The full item is read from the store
 * only when the selection changes; the text is sanitised and word-wrapped
 * (by display width, so CJK and emoji keep the columns) into lines kept
 * until the selection or the width changes, then scrolled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "ui.h"
#include "util.h"

enum { DETAIL_TEXT_MAX = 64 * 1024 };

static void
add_line(struct ui *u, const char *s, size_t len, int elem)
{
	struct ui_line *l;

	u->lines = xrealloc(u->lines, (u->nlines + 1) * sizeof(*u->lines));
	l = &u->lines[u->nlines++];
	l->text = xstrndup(s, len);
	l->elem = elem;
}

struct emit_arg {
	struct ui *u;
	int elem;
};

static void
emit(void *arg, const char *line, size_t len)
{
	struct emit_arg *a = arg;

	add_line(a->u, line, len, a->elem);
}

/* Byte length of the UTF-8 character at s. */
static size_t
char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
	    c >= 0xc0 ? 2 : 1, i;

	for (i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

static int
span_width(const char *s, size_t len)
{
	char buf[512];
	char *tmp = len < sizeof(buf) ? buf : xmalloc(len + 1);
	int w;

	memcpy(tmp, s, len);
	tmp[len] = '\0';
	w = text_width(tmp);
	if (tmp != buf)
		free(tmp);
	return w;
}

void
ui_wrap(const char *s, int width,
    void (*fn)(void *arg, const char *line, size_t len), void *arg)
{
	if (width < 1)
		width = 1;
	while (*s) {
		const char *para_end = strchr(s, '\n');
		const char *end = para_end ? para_end : s + strlen(s);
		const char *line = s, *p = s, *brk = NULL;
		int w = 0;

		if (end == s) {
			fn(arg, "", 0);
			s = end + 1;
			continue;
		}
		while (p < end) {
			size_t cl = char_len(p);
			int cw = span_width(p, cl);

			if (*p == ' ')
				brk = p;
			if (w + cw > width) {
				if (brk != NULL && brk > line) {
					fn(arg, line, (size_t)(brk - line));
					p = brk + 1;
				} else {
					/* A word longer than the line. */
					fn(arg, line, (size_t)(p - line));
				}
				while (p < end && *p == ' ')
					p++;
				line = p;
				brk = NULL;
				w = 0;
				continue;
			}
			w += cw;
			p += cl;
		}
		if (p > line)
			fn(arg, line, (size_t)(p - line));
		s = para_end ? end + 1 : end;
	}
}

static void
wrap(struct ui *u, const char *s, int width, int elem)
{
	struct emit_arg a = { u, elem };
	char *clean;

	if (s == NULL || *s == '\0')
		return;
	clean = text_clean(s, strlen(s), DETAIL_TEXT_MAX, 1);
	ui_wrap(clean, width, emit, &a);
	free(clean);
}

void
ui_detail_clear(struct ui *u)
{
	size_t i;

	for (i = 0; i < u->nlines; i++)
		free(u->lines[i].text);
	free(u->lines);
	u->lines = NULL;
	u->nlines = 0;
}

static const char *
role_name(int role)
{
	return role == ITEM_ROLE_PRIMARY ? "primary" : "mentioned";
}

void
ui_detail_build(struct ui *u, int width)
{
	const struct model_item *mi = model_sel_item(u->m);
	struct item *it;
	struct strbuf sb;
	struct tm tm;
	char tbuf[64], err[256];
	size_t i;

	ui_detail_clear(u);
	u->detail_rowid = mi ? mi->rowid : 0;
	u->detail_width = width;
	free(u->detail_link);
	u->detail_link = NULL;
	if (mi == NULL)
		return;
	it = ui_get_item(u, mi->rowid);
	if (it == NULL) {
		/* Only the list fields are known. */
		wrap(u, mi->title, width, THEME_DETAIL_TITLE);
		add_line(u, "(details unavailable)", 21, THEME_READ);
		return;
	}
	if (it->link)
		u->detail_link = xstrdup(it->link);
	strbuf_init(&sb);
	wrap(u, it->title ? it->title : "(no title)", width,
	    THEME_DETAIL_TITLE);

	/* Impact · tickers · source · time · also: */
	if (it->ann.valid)
		strbuf_addf(&sb, "Market Impact %.2f", it->ann.impact);
	else
		strbuf_adds(&sb, "Market Impact n/a");
	{
		const char *t = item_primary_ticker(it);

		if (t != NULL)
			strbuf_addf(&sb, " \u00b7 %s", t);
	}
	if (it->feed)
		strbuf_addf(&sb, " \u00b7 %s", it->feed);
	gmtime_r(&it->published, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	strbuf_addf(&sb, " \u00b7 %s%s", tbuf, it->published_guessed ?
	    " (seen)" : "");
	if (u->st != NULL && it->story_id != 0 && it->n_sources > 1) {
		struct conf_strv src;
		int n = 0;

		memset(&src, 0, sizeof(src));
		if (store_story_sources(u->st, it->story_id, &src, err,
		    sizeof(err)) == 0) {
			for (i = 0; i < src.n; i++) {
				if (it->feed && strcmp(src.v[i], it->feed) == 0)
					continue;
				strbuf_addf(&sb, "%s%s", n++ ? ", " :
				    " \u00b7 also: ", src.v[i]);
			}
			conf_strv_free(&src);
		}
	}
	wrap(u, sb.buf, width, ui_impact_elem(it->ann.impact));
	strbuf_reset(&sb);

	/* Breakdown and sentiment. */
	if (it->ann.valid) {
		strbuf_addf(&sb, "Sentiment %+.2f %s", it->ann.sentiment,
		    it->ann.sentiment_label > 0 ? "positive" :
		    it->ann.sentiment_label < 0 ? "negative" : "neutral");
		if (it->ann.event[0])
			strbuf_addf(&sb, " \u00b7 event: %s", it->ann.event);
		for (i = 0; i < it->ann.n_parts && i < ITEM_MAX_PARTS; i++)
			strbuf_addf(&sb, "%s%s %.2f", i ? ", " :
			    " \u00b7 impact = ", it->ann.parts[i].name,
			    it->ann.parts[i].value);
		wrap(u, sb.buf, width, THEME_NORMAL);
		strbuf_reset(&sb);
	}
	/* Entities with roles. */
	for (i = 0; i < it->ann.n_entities && i < ITEM_MAX_ENTITIES; i++) {
		const struct item_entity *e = &it->ann.entities[i];

		strbuf_addf(&sb, "%s%s%s%s (%s)", i ? " \u00b7 " : "",
		    e->ticker[0] ? e->ticker : "", e->ticker[0] && e->name[0] ?
		    " " : "", e->name[0] ? e->name : "", e->ticker[0] ?
		    role_name(e->role) : "private");
	}
	if (sb.len)
		wrap(u, sb.buf, width, THEME_TICKER);
	strbuf_reset(&sb);
	for (i = 0; i < it->ann.n_categories && i < ITEM_MAX_CATEGORIES; i++)
		strbuf_addf(&sb, "%s%s", i ? " \u00b7 " : "",
		    it->ann.categories[i]);
	if (sb.len)
		wrap(u, sb.buf, width, THEME_LABEL);
	strbuf_reset(&sb);
	if (it->link)
		wrap(u, it->link, width, THEME_LINK);
	if (it->starred || it->is_update || it->updated) {
		strbuf_addf(&sb, "%s%s", it->starred ? "* starred  " : "",
		    it->updated ? "updated upstream" : "");
		wrap(u, sb.buf, width, THEME_STAR);
		strbuf_reset(&sb);
	}
	if (it->summary && *it->summary) {
		add_line(u, "", 0, THEME_NORMAL);
		add_line(u, "Summary", 7, THEME_LABEL);
		wrap(u, it->summary, width, THEME_NORMAL);
	}
	if (it->ann.analysis && *it->ann.analysis) {
		add_line(u, "", 0, THEME_NORMAL);
		add_line(u, "Analysis", 8, THEME_LABEL);
		wrap(u, it->ann.analysis, width, THEME_NORMAL);
	}
	if ((it->summary == NULL || *it->summary == '\0') && it->content &&
	    *it->content) {
		add_line(u, "", 0, THEME_NORMAL);
		wrap(u, it->content, width, THEME_NORMAL);
	}
	strbuf_done(&sb);
	item_free(it);
}

static void
detail_draw(struct ui *u, struct pane *p)
{
	const struct model_item *mi = model_sel_item(u->m);
	long y, i;

	if (mi == NULL || mi->rowid != u->detail_rowid ||
	    u->detail_width != p->w - 1)
		ui_detail_build(u, p->w - 1);
	if (p->scroll > (long)u->nlines - p->h)
		p->scroll = (long)u->nlines - p->h;
	if (p->scroll < 0)
		p->scroll = 0;
	for (y = 0; y < p->h; y++) {
		i = p->scroll + y;
		ui_blank(u, p->y + (int)y, p->x, p->w, THEME_NORMAL);
		if (i < (long)u->nlines)
			ui_put(u, p->y + (int)y, p->x + 1, p->w - 1,
			    u->lines[i].elem, u->lines[i].text);
	}
	if (u->nlines > (size_t)p->h && p->w > 8) {
		char pos[32];

		snprintf(pos, sizeof(pos), " %ld%% ", (p->scroll + p->h) *
		    100 / (long)u->nlines);
		ui_put(u, p->y + p->h - 1, p->x + p->w - 6, 6, THEME_BORDER,
		    pos);
	}
}

static int
detail_key(struct ui *u, struct pane *p, int action)
{
	(void)u;
	switch (action) {
	case UA_DOWN:
		p->scroll++;
		break;
	case UA_UP:
		p->scroll--;
		break;
	case UA_PGDN:
		p->scroll += p->h > 2 ? p->h - 1 : 1;
		break;
	case UA_PGUP:
		p->scroll -= p->h > 2 ? p->h - 1 : 1;
		break;
	case UA_TOP:
		p->scroll = 0;
		break;
	case UA_BOTTOM:
		p->scroll = (long)u->nlines;
		break;
	default:
		return 0;
	}
	if (p->scroll < 0)
		p->scroll = 0;
	p->dirty = 1;
	return 1;
}

static void
detail_mouse(struct ui *u, struct pane *p, int y, int x, int button)
{
	(void)y;
	(void)x;
	if (button == 4 || button == 5) {
		p->scroll += button == 4 ? -3 : 3;
		if (p->scroll < 0)
			p->scroll = 0;
		p->dirty = 1;
	}
	(void)u;
}

const struct pane_ops ui_detail_ops = {
	.name = "detail",
	.draw = detail_draw,
	.key = detail_key,
	.mouse = detail_mouse,
};

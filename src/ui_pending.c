/*
 * ui_pending.c - weak stand-ins for the parts of other modules the
 * dashboard calls (text hygiene, store, poller, analyzer, config helpers)
 * while those modules are still placeholders.  Every definition here is
 * weak: the real module's strong definition wins at link time, so this
 * file is harmless once they exist and is deleted when they all do.
 *
 * The text functions are small but real (the model's tests rely on them);
 * the store and poller ones report "not available", which the dashboard
 * handles by running on memory only.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "analyze.h"
#include "conf.h"
#include "poller.h"
#include "store.h"
#include "text.h"
#include "util.h"

#define WEAK __attribute__((weak))

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) are dropped like C0. */
	if (cp >= 0x80 && cp <= 0x9f)
		return (size_t)-1;
	return len;
}

WEAK char *
text_clean(const char *s, size_t len, size_t max, int keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb;
	size_t i = 0, l;
	int space = 0;

	strbuf_init(&sb);
	while (i < len && p[i]) {
		if (p[i] == 0x1b) {
			/* ESC [ params final / ESC ] ... BEL|ST / ESC x. */
			i++;
			if (i < len && p[i] == '[') {
				for (i++; i < len && p[i] &&
				    !(p[i] >= 0x40 && p[i] <= 0x7e); i++)
					;
				i++;
			} else if (i < len && (p[i] == ']' || p[i] == 'P' ||
			    p[i] == '_' || p[i] == '^')) {
				for (i++; i < len && p[i] && p[i] != 0x07 &&
				    !(p[i] == 0x1b && i + 1 < len &&
				    p[i + 1] == '\\'); i++)
					;
				i += p[i] == 0x1b ? 2 : 1;
			} else
				i++;
			continue;
		}
		if (p[i] == '\n' && keep_newlines) {
			while (sb.len && sb.buf[sb.len - 1] == ' ')
				sb.buf[--sb.len] = '\0';
			if (sb.len + 1 > max)
				break;
			strbuf_addc(&sb, '\n');
			space = 1;
			i++;
			continue;
		}
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
		    p[i] == '\r') {
			if (!space && sb.len)
				strbuf_addc(&sb, ' ');
			space = 1;
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			i++;
			continue;
		}
		l = utf8_len(p + i, len - i);
		if (l == (size_t)-1) {
			i += 2;
			continue;
		}
		if (sb.len + (l ? l : 3) > max)
			break;
		if (l == 0) {
			strbuf_adds(&sb, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(&sb, p + i, l);
			i += l;
		}
		space = 0;
	}
	while (sb.len && (sb.buf[sb.len - 1] == ' ' ||
	    sb.buf[sb.len - 1] == '\n'))
		sb.buf[--sb.len] = '\0';
	return strbuf_detach(&sb, NULL);
}

/* Columns of the character at s; *adv gets its byte length. */
static int
char_width(const char *s, size_t *adv)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_CUR_MAX > 4 ? MB_CUR_MAX : 4, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*adv = 1;
		return 1;
	}
	*adv = n;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

WEAK int
text_width(const char *s)
{
	int w = 0;
	size_t adv;

	while (*s) {
		w += char_width(s, &adv);
		s += adv;
	}
	return w;
}

WEAK int
text_fit(const char *s, int cols, char *buf, size_t bufsize)
{
	static const char ell[] = "\xe2\x80\xa6";
	size_t used = 0, adv;
	int w = 0, cw;

	if (bufsize == 0)
		return 0;
	buf[0] = '\0';
	if (cols <= 0)
		return 0;
	if (text_width(s) <= cols && strlen(s) < bufsize) {
		memcpy(buf, s, strlen(s) + 1);
		return text_width(s);
	}
	/* Leave a column (and 3 bytes) for the ellipsis. */
	while (*s) {
		cw = char_width(s, &adv);
		if (w + cw > cols - 1 || used + adv + sizeof(ell) > bufsize)
			break;
		memcpy(buf + used, s, adv);
		used += adv;
		w += cw;
		s += adv;
	}
	memcpy(buf + used, ell, sizeof(ell));
	return w + 1;
}

WEAK int
conf_on_watchlist(const struct conf *c, const char *ticker)
{
	size_t i;

	for (i = 0; i < c->watchlist.n; i++)
		if (util_strcasecmp(c->watchlist.v[i], ticker) == 0)
			return 1;
	return 0;
}

WEAK void
conf_strv_push(struct conf_strv *v, const char *s)
{
	v->v = xrealloc(v->v, (v->n + 2) * sizeof(*v->v));
	v->v[v->n++] = xstrdup(s);
	v->v[v->n] = NULL;
}

WEAK void
conf_strv_free(struct conf_strv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

WEAK int
conf_split_words(const char *s, struct conf_strv *out)
{
	struct strbuf w;
	int in = 0;
	char q = 0;

	memset(out, 0, sizeof(*out));
	strbuf_init(&w);
	for (; *s; s++) {
		if (q) {
			if (*s == q)
				q = 0;
			else if (q == '"' && *s == '\\' && s[1])
				strbuf_addc(&w, *++s);
			else
				strbuf_addc(&w, *s);
		} else if (*s == '"' || *s == '\'') {
			q = *s;
			in = 1;
		} else if (*s == '\\' && s[1]) {
			strbuf_addc(&w, *++s);
			in = 1;
		} else if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (in)
				conf_strv_push(out, w.buf);
			strbuf_reset(&w);
			in = 0;
		} else {
			strbuf_addc(&w, *s);
			in = 1;
		}
	}
	if (in && !q)
		conf_strv_push(out, w.buf);
	strbuf_done(&w);
	if (q) {
		conf_strv_free(out);
		return -1;
	}
	return 0;
}

WEAK void
store_close(struct store *s)
{
	(void)s;
}

WEAK void
store_feed_clear(struct store_feed *f)
{
	free(f->url);
	free(f->name);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	memset(f, 0, sizeof(*f));
}

#define NOSTORE(err, errlen) \
	do { util_seterr(err, errlen, "store not available"); return -1; } \
	while (0)

WEAK int
store_sync_feeds(struct store *s, const struct conf *c, char *err,
    size_t errlen)
{
	(void)s, (void)c;
	NOSTORE(err, errlen);
}

WEAK int
store_feeds(struct store *s, struct store_feed **out, size_t *n, char *err,
    size_t errlen)
{
	(void)s, (void)out, (void)n;
	NOSTORE(err, errlen);
}

WEAK int
store_ingest(struct store *s, const struct store_feed *f,
    struct item **items, store_annotate_fn annotate, void *arg,
    struct item **fresh, char *err, size_t errlen)
{
	(void)s, (void)f, (void)items, (void)annotate, (void)arg, (void)fresh;
	NOSTORE(err, errlen);
}

WEAK int
store_query(struct store *s, const struct store_query *q,
    struct item **out, size_t *n, char *err, size_t errlen)
{
	(void)s, (void)q, (void)out, (void)n;
	NOSTORE(err, errlen);
}

WEAK int
store_get(struct store *s, long long rowid, struct item **out, char *err,
    size_t errlen)
{
	(void)s, (void)rowid, (void)out;
	NOSTORE(err, errlen);
}

WEAK int
store_story_sources(struct store *s, long long story_id,
    struct conf_strv *out, char *err, size_t errlen)
{
	(void)s, (void)story_id, (void)out;
	NOSTORE(err, errlen);
}

WEAK int
store_set_read(struct store *s, long long rowid, int read, char *err,
    size_t errlen)
{
	(void)s, (void)rowid, (void)read;
	NOSTORE(err, errlen);
}

WEAK int
store_mark_all_read(struct store *s, const char *feed_url, char *err,
    size_t errlen)
{
	(void)s, (void)feed_url;
	NOSTORE(err, errlen);
}

WEAK int
store_set_starred(struct store *s, long long rowid, int starred, char *err,
    size_t errlen)
{
	(void)s, (void)rowid, (void)starred;
	NOSTORE(err, errlen);
}

WEAK int
store_watchlist(struct store *s, struct conf_strv *out, char *err,
    size_t errlen)
{
	(void)s, (void)out;
	NOSTORE(err, errlen);
}

WEAK int
store_watchlist_add(struct store *s, const char *ticker, char *err,
    size_t errlen)
{
	(void)s, (void)ticker;
	NOSTORE(err, errlen);
}

WEAK int
store_watchlist_remove(struct store *s, const char *ticker, char *err,
    size_t errlen)
{
	(void)s, (void)ticker;
	NOSTORE(err, errlen);
}

WEAK struct poller *
poller_start(const struct conf *c, const char *db_path,
    const struct analyze_ctx *ctx, struct itemq *q, int flags, char *err,
    size_t errlen)
{
	(void)c, (void)db_path, (void)ctx, (void)q, (void)flags;
	util_seterr(err, errlen, "poller not available");
	return NULL;
}

WEAK void
poller_refresh(struct poller *p, const char *url)
{
	(void)p, (void)url;
}

WEAK int
poller_is_passive(struct poller *p)
{
	(void)p;
	return 0;
}

WEAK void
poller_stop(struct poller *p)
{
	(void)p;
}

WEAK void
analyze_free(struct analyze_ctx *ctx)
{
	(void)ctx;
}

WEAK void
analyze_item(const struct analyze_ctx *ctx, struct item *it, int repeat)
{
	(void)ctx, (void)it, (void)repeat;
}

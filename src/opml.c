/*
 * opml.c - OPML import (libxml2, no network, no entity substitution) and
 * export (hand-written, escaped XML).
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "opml.h"
#include "util.h"

#define OPML_MAX_FEEDS 100000
#define OPML_MAX_DEPTH 32

struct walk {
	struct opml_feed *v;
	size_t n, cap;
	const char *folders[OPML_MAX_DEPTH];
	int depth;
};

static char *
attr(xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	char *s = NULL;

	if (v != NULL) {
		/* Attribute text is plain; keep it on one line. */
		char *p;

		s = xstrdup((const char *)v);
		xmlFree(v);
		for (p = s; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		if (*util_trim(s) == '\0') {
			free(s);
			s = NULL;
		} else
			memmove(s, util_trim(s), strlen(util_trim(s)) + 1);
	}
	return s;
}

static void
add_tag(struct conf_strv *tags, const char *t)
{
	size_t i;

	for (i = 0; i < tags->n; i++)
		if (strcmp(tags->v[i], t) == 0)
			return;
	conf_strv_push(tags, t);
}

static void
add_categories(struct conf_strv *tags, const char *cat)
{
	char *copy = xstrdup(cat), *p = copy, *e;

	/* "a,b" lists; "/a/b" paths name nested folders. */
	for (;;) {
		e = p + strcspn(p, ",/");
		if (e > p) {
			char c = *e;
			*e = '\0';
			if (*util_trim(p) != '\0')
				add_tag(tags, util_trim(p));
			*e = c;
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
	free(copy);
}

static void
walk(struct walk *w, xmlNode *node)
{
	for (; node != NULL; node = node->next) {
		char *url, *title, *cat;

		if (node->type != XML_ELEMENT_NODE ||
		    !xmlStrEqual(node->name, (const xmlChar *)"outline"))
			continue;
		url = attr(node, "xmlUrl");
		if (url == NULL)
			url = attr(node, "xmlurl");
		title = attr(node, "title");
		if (title == NULL)
			title = attr(node, "text");
		if (url != NULL && w->n < OPML_MAX_FEEDS) {
			struct opml_feed *f;
			int i;

			w->v = xreallocarray_grow(w->v, &w->cap, w->n + 1,
			    sizeof(*w->v));
			f = &w->v[w->n++];
			memset(f, 0, sizeof(*f));
			f->url = url;
			f->title = title;
			title = NULL;
			url = NULL;
			for (i = 0; i < w->depth; i++)
				if (w->folders[i] != NULL)
					add_tag(&f->tags, w->folders[i]);
			cat = attr(node, "category");
			if (cat != NULL) {
				add_categories(&f->tags, cat);
				free(cat);
			}
		} else if (w->depth < OPML_MAX_DEPTH) {
			w->folders[w->depth++] = title;
			walk(w, node->children);
			w->depth--;
		}
		free(url);
		free(title);
	}
}

int
opml_parse(const char *buf, size_t len, struct opml_feed **out, size_t *n,
    char *err, size_t errlen)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNode *root, *body = NULL, *c;
	struct walk w;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	*out = NULL;
	*n = 0;
	if (len > (size_t)INT32_MAX) {
		util_seterr(err, errlen, "OPML file too large");
		goto out;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		fatal("out of memory");
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);

		util_seterr(err, errlen, "not valid XML (line %d: %s)",
		    e ? e->line : 0,
		    e && e->message ? e->message : "unreadable");
		/* libxml2 messages end with a newline. */
		if (err != NULL && *err != '\0') {
			char *nl = strchr(err, '\n');
			if (nl != NULL)
				memmove(nl, nl + 1, strlen(nl));
		}
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, (const xmlChar *)"opml")) {
		util_seterr(err, errlen, "not an OPML document (the root "
		    "element is not <opml>)");
		goto out;
	}
	for (c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(c->name, (const xmlChar *)"body"))
			body = c;
	if (body == NULL) {
		util_seterr(err, errlen, "OPML document has no <body>");
		goto out;
	}
	walk(&w, body->children);
	*out = w.v;
	*n = w.n;
	w.v = NULL;
	rc = 0;
out:
	if (w.v != NULL)
		opml_feeds_free(w.v, w.n);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

void
opml_feeds_free(struct opml_feed *feeds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(feeds[i].url);
		free(feeds[i].title);
		conf_strv_free(&feeds[i].tags);
	}
	free(feeds);
}

static void
add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		case '\'': strbuf_adds(sb, "&apos;"); break;
		default:
			if ((unsigned char)*s < 0x20)
				strbuf_addc(sb, ' ');
			else
				strbuf_addc(sb, *s);
		}
	}
}

void
opml_export(const struct conf *c, time_t now, struct strbuf *out)
{
	char date[64];
	struct tm tm;
	size_t i, j;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\">\n  <head>\n"
	    "    <title>deskwire feeds</title>\n    <dateCreated>");
	strbuf_adds(out, date);
	strbuf_adds(out, "</dateCreated>\n  </head>\n  <body>\n");
	for (i = 0; i < c->n_feeds; i++) {
		const struct conf_feed *f = &c->feeds[i];

		strbuf_adds(out, "    <outline type=\"rss\" text=\"");
		add_escaped(out, f->name ? f->name : f->url);
		strbuf_adds(out, "\" title=\"");
		add_escaped(out, f->name ? f->name : f->url);
		strbuf_adds(out, "\" xmlUrl=\"");
		add_escaped(out, f->url);
		strbuf_addc(out, '"');
		if (f->tags.n > 0) {
			strbuf_adds(out, " category=\"");
			for (j = 0; j < f->tags.n; j++) {
				if (j)
					strbuf_addc(out, ',');
				add_escaped(out, f->tags.v[j]);
			}
			strbuf_addc(out, '"');
		}
		strbuf_adds(out, "/>\n");
	}
	strbuf_adds(out, "  </body>\n</opml>\n");
}

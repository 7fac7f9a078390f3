/*
 * parse.c - RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents to items.
 *
 * The document is read with libxml2's SAX2 interface: no tree is built.
 * A small state machine follows the element path (with a per-depth record
 * of element kinds and xml:base), starts a capture when an interesting
 * element opens (item title, link, guid, dates, description, ...), and
 * converts the captured text when it closes: HTML to plain text where the
 * format says the text is HTML, U+FFFD repair and control/escape removal
 * everywhere (text_clean).  Links are resolved against xml:base or the
 * feed URL with xmlBuildURI.
 *
 * Before libxml2 sees the bytes, a prescan puts them into a form it reads
 * without giving up: UTF-16, ISO-8859-1 (read as windows-1252, as browsers
 * do) and mislabelled input are transcoded to UTF-8 here; invalid UTF-8
 * becomes U+FFFD; control characters and terminal escapes (not allowed in
 * XML, and fatal to libxml2's recovery) are dropped; a bare '&' becomes
 * "&amp;" and is reported as a recovered error.  Clean UTF-8 input is not
 * copied.
 *
 * Safety: no XML_PARSE_NOENT, no DTD loading, no network, libxml2's
 * default limits.  The SAX handler keeps only internal entities whose
 * text holds no reference and no markup: using one inserts its characters
 * and nothing else, so nested entities (billion laughs) and external ones
 * (XXE) stay undefined references: nothing expands, nothing is read.  HTML named
 * entities (&nbsp;, &eacute;, ...) that feeds use without declaring are
 * resolved from libxml2's HTML table.  Errors go to the context's own
 * structured handler: the parser holds no global state and can run in the
 * poller thread while the UI thread converts HTML.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>

#include "date.h"
#include "parse.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

enum {
	PARSE_MAX_ITEMS = 500,
	PARSE_MAX_FIELD = 64 * 1024,
	MAX_DEPTH = 300,
	MAX_TAGS = 32
};

enum ns {
	NS_NONE, NS_RSS10, NS_RSS090, NS_ATOM10, NS_ATOM03, NS_RDF, NS_DC,
	NS_DCTERMS, NS_CONTENT, NS_MEDIA, NS_XHTML, NS_ITUNES, NS_OTHER
};

/* Element kinds kept on the path stack. */
enum kind {
	K_OTHER, K_ROOT, K_CHANNEL, K_ITEM, K_AUTHOR, K_MEDIA_GROUP,
	K_CAPTURE
};

/* Local names the state machine asks about, interned by pointer. */
enum name {
	N_OTHER, N_TITLE, N_LINK, N_DESCRIPTION, N_CHANNEL, N_AUTHOR,
	N_ISSUED, N_DATE, N_CONTENT, N_CATEGORY, N_UPDATED, N_SUMMARY,
	N_SUBJECT, N_PUBDATE, N_NAME, N_MODIFIED, N_ITEM, N_ID, N_GUID,
	N_GROUP, N_ENTRY, N_ENCODED, N_EMAIL, N_CREATOR, N_CREATED,
	N_PUBLISHED, N_BODY, N_FULLITEM, N_COUNT
};

static const char *const name_str[N_COUNT] = {
	NULL, "title", "link", "description", "channel", "author", "issued",
	"date", "content", "category", "updated", "summary", "subject",
	"pubDate", "name", "modified", "item", "id", "guid", "group",
	"entry", "encoded", "email", "creator", "created", "published",
	"body", "fullitem"
};

/* What a capture fills. */
enum field {
	F_NONE,
	F_TITLE, F_LINK, F_ID, F_DATE, F_AUTHOR, F_AUTHOR_EMAIL,
	F_CATEGORY, F_SUMMARY, F_CONTENT,
	F_FEED_TITLE, F_FEED_LINK, F_FEED_AUTHOR
};

/* How captured text becomes plain text. */
enum mode {
	M_TEXT, M_HTML, M_MAYBE_HTML, M_XHTML, M_SKIP,
	M_B64_TEXT, M_B64_HTML,	/* base64 of text or of HTML (Atom) */
	M_B64_MAYBE		/* base64, no type: text or HTML */
};

enum fmt { FMT_NONE, FMT_RSS, FMT_RDF, FMT_ATOM10, FMT_ATOM03 };

struct frame {
	unsigned char kind;
	unsigned char base_owned;
	char *base;		/* xml:base in effect (owned or inherited) */
};

/* The item being read and what is known about its fields' sources. */
struct cur {
	struct item *it;
	int skip;		/* past max_items: read but not kept */
	int title_prio, summary_prio, link_prio, date_prio, content_prio;
	int guid_permalink;
	char *guid_link;	/* guid that may serve as the link */
	char *date_raw;		/* the date text, for the id hash */
	size_t n_tags;		/* in pstate.tags */
};

#define LIFT_MARK "\xEE\x80\x80"	/* U+E000, private use */

struct lifted {
	const char *text;	/* into the document; not owned */
	size_t len;
	size_t dec;		/* SIZE_MAX, or the text with its references
				 * read: at this offset of the decoded texts */
};

/* Plain-text entities kept from a DTD subset: how many, how long, and
 * how many bytes their uses may insert in all (a megabyte of "&a;"
 * must not become a gigabyte of text). */
#define MAX_DECL_ENTITIES 32
#define MAX_DECL_ENTITY_LEN 256
#define MAX_DECL_INSERTED (256 * 1024)

struct pstate {
	xmlParserCtxtPtr ctxt;
	const struct parse_opts *opts;
	struct parse_result *res;
	size_t max_field, max_items, raw_cap;
	enum fmt fmt;
	const xmlChar *root_uri;	/* namespace of the root element */
	int root_seen;
	int not_feed;			/* 1: HTML, 2: other root */
	char root_name[64];
	int depth;
	struct frame stack[MAX_DEPTH];

	/* The capture in progress. */
	enum field cap_field;
	enum mode cap_mode;
	int cap_depth;
	int cap_prio;
	int cap_nested;
	int cap_hide;		/* depth of a <script>/<style> being read */
	struct strbuf cap;

	struct cur cur;
	int in_item;
	struct item *tail;
	char *feed_author;
	char *feed_name;	/* opts->feed_name, cleaned once */
	int feed_link_prio;
	struct strbuf tags;	/* the current item's tags */

	struct text_html *html;
	int nerrors;
	int xml_errors;		/* those libxml2 reported */
	char *first_error;
	int err_line;

	/* The entity handed back for an undeclared HTML entity. */
	xmlEntity ent;
	xmlChar ent_buf[80];
	int has_subset;		/* the document declares a DTD subset */
	/* Internal entities the subset declares as plain text. */
	struct {
		char *name, *text;
	} decl[MAX_DECL_ENTITIES];
	size_t n_decl;
	size_t decl_inserted;	/* bytes inserted by their uses so far */

	/* Text lifted out of the document (see lift_text). */
	const struct lifted *lifted;
	size_t n_lifted;
	const char *decoded;	/* lifted texts with references read */

	/* Local name -> enum name, by interned pointer (sax_start sets nm). */
	const xmlChar *nm_ptr[64];	/* 2^6: see name_of */
	unsigned char nm_val[64];
	int nm;

	/* Namespace URI -> enum ns, by interned pointer. */
	const xmlChar *ns_uri[8];
	unsigned char ns_val[8];
	unsigned ns_next;
};

/* ---- small helpers ---------------------------------------------------- */

static int
classify_ns(const char *u)
{
	static const struct {
		const char *uri;
		int ns;
	} tab[] = {
		{ "http://www.w3.org/2005/Atom", NS_ATOM10 },
		{ "http://purl.org/atom/ns#", NS_ATOM03 },
		{ "http://purl.org/rss/1.0/", NS_RSS10 },
		{ "http://my.netscape.com/rdf/simple/0.9/", NS_RSS090 },
		{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
		{ "http://purl.org/dc/elements/1.1/", NS_DC },
		{ "http://purl.org/dc/terms/", NS_DCTERMS },
		{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
		{ "http://search.yahoo.com/mrss/", NS_MEDIA },
		{ "http://search.yahoo.com/mrss", NS_MEDIA },
		{ "http://www.w3.org/1999/xhtml", NS_XHTML },
		{ "http://backend.userland.com/rss2", NS_NONE },
		{ "http://backend.userland.com/rss", NS_NONE },
		{ "http://purl.org/net/rss1.1#", NS_RSS10 },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(tab); i++)
		if (strcmp(u, tab[i].uri) == 0)
			return tab[i].ns;
	/* Apple's own documents spell it ".../DTDs/Podcast-1.0.dtd". */
	if (util_strcasecmp(u, "http://www.itunes.com/dtds/podcast-1.0.dtd") ==
	    0)
		return NS_ITUNES;
	return NS_OTHER;
}

static int
ns_of(struct pstate *st, const xmlChar *uri)
{
	unsigned i;
	int ns;

	if (uri == NULL || uri[0] == '\0')
		return NS_NONE;
	for (i = 0; i < UTIL_ARRAY_LEN(st->ns_uri); i++)
		if (st->ns_uri[i] == uri)
			return st->ns_val[i];
	ns = classify_ns((const char *)uri);
	if (ns == NS_OTHER && st->root_uri != NULL &&
	    strcmp((const char *)uri, (const char *)st->root_uri) == 0)
		ns = st->fmt == FMT_ATOM10 || st->fmt == FMT_ATOM03 ?
		    NS_ATOM10 : NS_NONE;
	i = st->ns_next++ % UTIL_ARRAY_LEN(st->ns_uri);
	st->ns_uri[i] = uri;
	st->ns_val[i] = (unsigned char)ns;
	return ns;
}

/*
 * A prefix the document uses without declaring it ("<dc:creator>" with no
 * xmlns:dc, an error libxml2 recovers from): the namespace feeds mean by
 * it, or NS_OTHER.
 */
static int
ns_of_prefix(const xmlChar *prefix)
{
	static const struct {
		const char *prefix;
		int ns;
	} tab[] = {
		{ "dc", NS_DC }, { "dcterms", NS_DCTERMS },
		{ "content", NS_CONTENT }, { "atom", NS_ATOM10 },
		{ "media", NS_MEDIA }, { "itunes", NS_ITUNES },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(tab); i++)
		if (strcmp((const char *)prefix, tab[i].prefix) == 0)
			return tab[i].ns;
	return NS_OTHER;
}

/*
 * The parser interns element names in its dictionary: the same name is
 * the same pointer, so each distinct name is compared with the list once.
 */
static int
name_of(struct pstate *st, const xmlChar *local)
{
	/* Dictionary strings sit close together: mix the address. */
	unsigned h = (unsigned)(((uint64_t)(uintptr_t)local *
	    0x9E3779B97F4A7C15ULL) >> 58);
	int i;

	if (st->nm_ptr[h] != local) {
		st->nm_ptr[h] = local;
		st->nm_val[h] = N_OTHER;
		for (i = 1; i < N_COUNT; i++)
			if (local[0] == (xmlChar)name_str[i][0] &&
			    strcmp((const char *)local, name_str[i]) == 0) {
				st->nm_val[h] = (unsigned char)i;
				break;
			}
	}
	return st->nm_val[h];
}

static int
is_atom(const struct pstate *st)
{
	return st->fmt == FMT_ATOM10 || st->fmt == FMT_ATOM03;
}

/* The feed format's own elements: no namespace for RSS 0.9x/2.0. */
static int
core_ns(const struct pstate *st, int ns)
{
	if (is_atom(st))
		return ns == NS_ATOM10 || ns == NS_ATOM03 ||
		    (ns == NS_NONE && st->root_uri == NULL);
	return ns == NS_NONE || ns == NS_RSS10 || ns == NS_RSS090;
}

/* Attribute value from a SAX2 attribute tuple (see xmlSAX2StartElementNs:
 * values are not terminated, and a literal '&' arrives as "&#38;"). */
static char *
attr_dup(const xmlChar *v, const xmlChar *end)
{
	size_t n = (size_t)(end - v), i, o = 0;
	char *r = xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		if (v[i] == '&' && i + 4 < n && memcmp(v + i, "&#38;", 5) == 0) {
			r[o++] = '&';
			i += 4;
		} else
			r[o++] = (char)v[i];
	}
	r[o] = '\0';
	return r;
}

/* Find attribute local name (in no namespace, or in ns_uri when given). */
static char *
attr_get(int nb, const xmlChar **attrs, const char *name, const char *ns_uri)
{
	int i;

	for (i = 0; i < nb; i++) {
		const xmlChar **a = attrs + i * 5;

		if (strcmp((const char *)a[0], name) != 0)
			continue;
		if (ns_uri == NULL ? a[2] != NULL :
		    (a[2] == NULL || strcmp((const char *)a[2], ns_uri) != 0))
			continue;
		return attr_dup(a[3], a[4]);
	}
	return NULL;
}

/*
 * The raw value of an attribute in no namespace, not copied (a '&' in it
 * reads "&#38;"): enough to compare with a keyword.  NULL when absent.
 */
static const char *
attr_raw(int nb, const xmlChar **attrs, const char *name, size_t *len)
{
	int i;

	for (i = 0; i < nb; i++) {
		const xmlChar **a = attrs + i * 5;

		if (a[2] == NULL && strcmp((const char *)a[0], name) == 0) {
			*len = (size_t)(a[4] - a[3]);
			return (const char *)a[3];
		}
	}
	return NULL;
}

/* Does the raw value v[0..len) equal word, ignoring ASCII case? */
static int
raw_ieq(const char *v, size_t len, const char *word)
{
	return len == strlen(word) && util_strncasecmp(v, word, len) == 0;
}

static void
trim_bounds(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* A URI scheme ("http:", "mailto:") makes a link absolute. */
static int
has_scheme_n(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+' ||
	    s[i] == '-' || s[i] == '.'))
		i++;
	return i < len && s[i] == ':' && i >= 2;
}

static int
has_scheme(const char *s)
{
	return has_scheme_n(s, strlen(s));
}

/* Resolve link against base; returns a clean heap string or NULL. */
static char *
resolve_link(struct pstate *st, const char *link, size_t len,
    const char *base)
{
	char *raw, *r;

	trim_bounds(&link, &len);
	if (len == 0)
		return NULL;
	if (base == NULL || has_scheme_n(link, len))
		/* Absolute already (the common case): no copy. */
		r = text_clean(link, len, st->max_field, 0);
	else {
		xmlChar *u;

		raw = xstrndup(link, len);
		u = xmlBuildURI((const xmlChar *)raw, (const xmlChar *)base);
		if (u != NULL) {
			free(raw);
			raw = xstrdup((const char *)u);
			xmlFree(u);
		}
		r = text_clean(raw, strlen(raw), st->max_field, 0);
		free(raw);
	}
	if (r[0] == '\0') {
		free(r);
		return NULL;
	}
	return r;
}

static const char *
cur_base(const struct pstate *st, int depth)
{
	if (depth < 0)
		return st->opts->feed_url;
	if (depth >= MAX_DEPTH)
		depth = MAX_DEPTH - 1;
	return st->stack[depth].base;
}

/*
 * Does plain-looking text carry HTML?  Only markup with a known HTML tag
 * name or an entity reference counts, so "Apple <AAPL.O> rises" and
 * "S&P 500" stay as they are.
 */
static int
looks_like_html(const char *s, size_t len)
{
	static const char *const tags[] = { "a", "abbr", "b", "big",
	    "blockquote", "br", "center", "cite", "code", "dd", "del", "div",
	    "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
	    "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s",
	    "small", "span", "strike", "strong", "sub", "sup", "table", "td",
	    "th", "tr", "tt", "u", "ul", "script", "style", "iframe" };
	size_t i, j;

	for (i = 0; i < len; i++) {
		if (s[i] == '&') {
			j = i + 1;
			if (j < len && s[j] == '#')
				j++;
			while (j < len && j - i < 12 && isalnum((unsigned char)s[j]))
				j++;
			if (j < len && s[j] == ';' && j > i + 1)
				return 1;
		} else if (s[i] == '<') {
			size_t k, n;

			j = i + 1;
			if (j < len && s[j] == '/')
				j++;
			for (n = 0; j + n < len &&
			    isalnum((unsigned char)s[j + n]); n++)
				;
			if (n == 0 || j + n >= len || !(s[j + n] == '>' ||
			    s[j + n] == ' ' || s[j + n] == '/' ||
			    s[j + n] == '\t' || s[j + n] == '\n'))
				continue;
			for (k = 0; k < UTIL_ARRAY_LEN(tags); k++)
				if (strlen(tags[k]) == n &&
				    util_strncasecmp(tags[k], s + j, n) == 0)
					return 1;
		}
	}
	return 0;
}

/* Captured text -> plain text by mode; NULL when empty. */
/*
 * Decode base64 in place (white space skipped, '=' ends it).  Returns the
 * decoded length, or SIZE_MAX when a byte is not base64.
 */
static size_t
base64_decode(char *s, size_t len)
{
	size_t i, o = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=')
			break;
		else if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		else
			return SIZE_MAX;
		acc = (acc << 6 | (unsigned)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			s[o++] = (char)((acc >> bits) & 0xFF);
		}
	}
	return o;
}

static char *
to_plain(struct pstate *st, enum mode mode, int nested, int keep_paras)
{
	const char *s = st->cap.buf;
	size_t len = st->cap.len;
	char *r;

	if (mode == M_B64_TEXT || mode == M_B64_HTML ||
	    mode == M_B64_MAYBE) {
		/*
		 * Decoding shrinks the text, so it is done in the capture
		 * buffer.  Binary that is no UTF-8 text is not shown.
		 */
		if (len == 0 || nested)
			return NULL;
		len = base64_decode(st->cap.buf, len);
		if (len == SIZE_MAX || memchr(s, '\0', len) != NULL ||
		    !text_utf8_valid(s, len))
			return NULL;
		st->cap.len = len;
		st->cap.buf[len] = '\0';
		mode = mode == M_B64_HTML ? M_HTML :
		    mode == M_B64_MAYBE ? M_MAYBE_HTML : M_TEXT;
		nested = 0;
	}
	if (mode == M_SKIP)
		return NULL;
	/* Child elements: their text is already text, unless the element
	 * was declared to hold escaped HTML (Typepad's type="html" around
	 * a <div> of escaped markup): then that text is HTML source. */
	if (nested && mode != M_TEXT && mode != M_HTML)
		mode = M_XHTML;
	if (mode == M_MAYBE_HTML)
		mode = looks_like_html(s, len) ? M_HTML : M_TEXT;
	if (mode == M_HTML) {
		if (st->html == NULL && (memchr(s, '<', len) ||
		    memchr(s, '&', len)))
			st->html = text_html_new();
		r = st->html ? text_html_convert(st->html, s, len,
		    st->max_field, keep_paras) :
		    text_clean(s, len, st->max_field, keep_paras);
	} else
		r = text_clean(s, len, st->max_field, keep_paras);
	if (r[0] == '\0') {
		free(r);
		return NULL;
	}
	return r;
}

/* Atom text constructs: type="text|html|xhtml" (1.0) or a MIME type and
 * mode="escaped|base64|xml" (0.3). */
static enum mode
atom_mode(int nb, const xmlChar **attrs, enum mode dflt)
{
	char *type = attr_get(nb, attrs, "type", NULL);
	char *mode = attr_get(nb, attrs, "mode", NULL);
	enum mode m = dflt;

	if (type != NULL && (util_strncasecmp(type, "image/", 6) == 0 ||
	    util_strncasecmp(type, "audio/", 6) == 0 ||
	    util_strncasecmp(type, "video/", 6) == 0))
		m = M_SKIP;	/* media we do not show */
	else if (mode != NULL && util_strcasecmp(mode, "base64") == 0)
		m = type == NULL ? M_B64_MAYBE :
		    util_strcasecmp(type, "html") == 0 ||
		    util_strcasecmp(type, "text/html") == 0 ||
		    util_strcasecmp(type, "xhtml") == 0 ||
		    util_strcasecmp(type, "application/xhtml+xml") == 0 ?
		    M_B64_HTML : M_B64_TEXT;
	else if (type == NULL)
		m = dflt;
	else if (util_strcasecmp(type, "text") == 0 ||
	    util_strcasecmp(type, "text/plain") == 0)
		m = mode != NULL && util_strcasecmp(mode, "escaped") == 0 ?
		    M_TEXT : M_TEXT;
	else if (util_strcasecmp(type, "html") == 0 ||
	    util_strcasecmp(type, "text/html") == 0)
		m = M_HTML;
	else if (util_strcasecmp(type, "xhtml") == 0 ||
	    util_strcasecmp(type, "application/xhtml+xml") == 0)
		m = mode != NULL && util_strcasecmp(mode, "escaped") == 0 ?
		    M_HTML : M_XHTML;
	else if (util_strncasecmp(type, "text/", 5) == 0)
		m = M_TEXT;
	else if (strstr(type, "xml") != NULL)
		m = M_SKIP;	/* inline XML we do not show */
	else
		m = M_B64_TEXT;	/* RFC 4287 4.1.3.3: other types are base64 */
	free(type);
	free(mode);
	return m;
}

/* ---- items ------------------------------------------------------------ */

static void
item_begin(struct pstate *st)
{
	struct cur *c = &st->cur;

	memset(c, 0, sizeof(*c));
	c->guid_permalink = -1;
	strbuf_reset(&st->tags);
	if (st->res->n_items >= st->max_items) {
		c->skip = 1;
		st->res->truncated++;
	} else
		c->it = item_new();
	st->in_item = 1;
}

static void
add_tag(struct pstate *st, const char *tag)
{
	struct cur *c = &st->cur;
	struct strbuf *tags = &st->tags;
	const char *p = tags->buf;
	size_t n = strlen(tag);

	if (n == 0 || c->n_tags >= MAX_TAGS)
		return;
	/* Drop exact duplicates ("Markets" from category and dc:subject). */
	while (p != NULL && *p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && memcmp(p, tag, n) == 0)
			return;
		p = e ? e + 1 : NULL;
	}
	if (tags->len)
		strbuf_addc(tags, '\n');
	strbuf_adds(tags, tag);
	c->n_tags++;
}

/* [s, e) is an e-mail address: "local@domain.tld", nothing else. */
static int
is_email(const char *s, const char *e)
{
	const char *at = memchr(s, '@', (size_t)(e - s));
	const char *p;

	if (at == NULL || at == s || memchr(at + 1, '.', (size_t)(e - at -
	    1)) == NULL)
		return 0;
	for (p = s; p < e; p++)
		if (*p == ' ' || *p == '(' || *p == ')' || *p == '<' ||
		    *p == '>' || *p == '"')
			return 0;
	return 1;
}

/*
 * The name in an author field that also gives an address: RSS's
 * "jdoe@example.com (Jane Doe)", the reverse "Jane Doe
 * (jdoe@example.com)" and mail's "Jane Doe <jdoe@example.com>" (the name
 * may be quoted) all give "Jane Doe"; "<jdoe@example.com>" alone gives
 * the address.  Anything else ("Jane Doe (@jane)") stays as written.
 */
static char *
author_name(char *a)
{
	char *open = strchr(a, '(');
	char *close = strrchr(a, ')');
	char *lt = strchr(a, '<'), *gt = strrchr(a, '>');
	char *n = NULL;

	if (open != NULL && close != NULL && close > open + 1 && open > a &&
	    is_email(a, open - (open[-1] == ' ')))
		n = xstrndup(open + 1, (size_t)(close - open - 1));
	else if (open != NULL && close != NULL && open > a && close > open &&
	    is_email(open + 1, close))
		n = xstrndup(a, (size_t)(open - a));
	else if (lt != NULL && gt != NULL && gt > lt + 1 &&
	    is_email(lt + 1, gt)) {
		char *b = a, *e = lt;

		while (b < e && (*b == ' ' || *b == '"'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '"'))
			e--;
		n = e > b ? xstrndup(b, (size_t)(e - b)) :
		    xstrndup(lt + 1, (size_t)(gt - lt - 1));
	}
	if (n != NULL) {
		char *r = text_clean(n, strlen(n), 0, 0);

		free(n);
		if (r[0]) {
			free(a);
			return r;
		}
		free(r);
	}
	return a;
}

static void
add_author(struct pstate *st, char **dst, char *a)
{
	char *j;

	if (*dst == NULL) {
		*dst = a;
		return;
	}
	if (strstr(*dst, a) != NULL || strlen(*dst) + strlen(a) + 2 >
	    st->max_field) {
		free(a);
		return;
	}
	j = xasprintf("%s, %s", *dst, a);
	free(*dst);
	free(a);
	*dst = j;
}

static void
item_end(struct pstate *st)
{
	struct cur *c = &st->cur;
	struct item *it = c->it;
	const struct parse_opts *o = st->opts;

	st->in_item = 0;
	if (c->skip || it == NULL)
		goto out;
	if (it->link == NULL && c->guid_link != NULL) {
		it->link = c->guid_link;
		c->guid_link = NULL;
	}
	if (it->id == NULL && it->link != NULL)
		it->id = xstrdup(it->link);
	if (it->id == NULL) {
		/* No guid, no link: the id must not depend on the fetch. */
		struct strbuf h;

		strbuf_init(&h);
		strbuf_adds(&h, it->title ? it->title : "");
		strbuf_addc(&h, '\n');
		strbuf_adds(&h, c->date_raw ? c->date_raw : "");
		if (it->title == NULL) {
			strbuf_addc(&h, '\n');
			strbuf_adds(&h, it->summary ? it->summary :
			    it->content ? it->content : "");
		}
		it->id = xasprintf("hash:%016llx",
		    (unsigned long long)util_hash64(h.buf, h.len));
		strbuf_done(&h);
	}
	if (c->date_prio == 0) {
		it->published = o->fetch_time;
		it->published_guessed = 1;
	}
	if (it->summary == NULL && it->content != NULL)
		it->summary = text_clean(it->content, strlen(it->content),
		    st->max_field, 0);
	if (it->author == NULL && st->feed_author != NULL)
		it->author = xstrdup(st->feed_author);
	if (st->tags.len)
		it->tags = xstrndup(st->tags.buf, st->tags.len);
	if (o->feed_name != NULL) {
		if (st->feed_name == NULL)
			st->feed_name = text_clean(o->feed_name,
			    strlen(o->feed_name), st->max_field, 0);
		it->feed = xstrdup(st->feed_name);
	}
	if (o->feed_url != NULL)
		it->feed_url = xstrdup(o->feed_url);
	if (st->tail == NULL)
		st->res->items = it;
	else
		st->tail->next = it;
	st->tail = it;
	st->res->n_items++;
	c->it = NULL;
out:
	item_free(c->it);
	free(c->guid_link);
	free(c->date_raw);
	memset(c, 0, sizeof(*c));
}

/* A capture ended: store its text where it belongs. */
static void
capture_done(struct pstate *st)
{
	struct cur *c = &st->cur;
	struct item *it = c->it;
	enum field f = st->cap_field;
	int prio = st->cap_prio;
	char *v;

	st->cap_field = F_NONE;
	if (f >= F_FEED_TITLE) {
		struct parse_result *r = st->res;

		if (f == F_FEED_TITLE && r->feed_title == NULL)
			r->feed_title = to_plain(st, st->cap_mode,
			    st->cap_nested, 0);
		else if (f == F_FEED_LINK && st->feed_link_prio < prio) {
			v = resolve_link(st, st->cap.buf, st->cap.len,
			    cur_base(st, st->cap_depth));
			if (v != NULL) {
				free(r->feed_link);
				r->feed_link = v;
				st->feed_link_prio = prio;
			}
		} else if (f == F_FEED_AUTHOR) {
			v = to_plain(st, M_TEXT, 0, 0);
			if (v != NULL)
				add_author(st, &st->feed_author, v);
		}
		return;
	}
	if (it == NULL)
		return;
	switch (f) {
	case F_TITLE:
		if (prio <= c->title_prio)
			break;
		v = to_plain(st, st->cap_mode, st->cap_nested, 0);
		if (v != NULL) {
			free(it->title);
			it->title = v;
			c->title_prio = prio;
		}
		break;
	case F_LINK:
		if (prio <= c->link_prio)
			break;
		v = resolve_link(st, st->cap.buf, st->cap.len,
		    cur_base(st, st->cap_depth));
		if (v != NULL) {
			free(it->link);
			it->link = v;
			c->link_prio = prio;
		}
		break;
	case F_ID:
		if (it->id != NULL)
			break;
		it->id = to_plain(st, M_TEXT, 0, 0);
		/* A permalink guid can stand in for a missing link. */
		if (it->id != NULL && c->guid_permalink != -2 &&
		    (util_strncasecmp(it->id, "http://", 7) == 0 ||
		    util_strncasecmp(it->id, "https://", 8) == 0)) {
			free(c->guid_link);
			c->guid_link = resolve_link(st, it->id, strlen(it->id),
			    cur_base(st, st->cap_depth));
		}
		break;
	case F_DATE: {
		time_t t;

		if (prio <= c->date_prio)
			break;
		v = to_plain(st, M_TEXT, 0, 0);
		if (v != NULL && date_parse(v, &t) == 0) {
			it->published = t;
			c->date_prio = prio;
			free(c->date_raw);
			c->date_raw = v;
			v = NULL;
		} else if (v != NULL && c->date_raw == NULL) {
			c->date_raw = v;	/* still good for the id hash */
			v = NULL;
		}
		free(v);
		break;
	}
	case F_AUTHOR:
	case F_AUTHOR_EMAIL:
		v = to_plain(st, M_TEXT, 0, 0);
		if (v == NULL)
			break;
		if (f == F_AUTHOR && !is_atom(st))
			v = author_name(v);
		if (f == F_AUTHOR_EMAIL && it->author != NULL) {
			free(v);
			break;
		}
		add_author(st, &it->author, v);
		break;
	case F_CATEGORY:
		v = to_plain(st, M_TEXT, 0, 0);
		if (v != NULL)
			add_tag(st, v);
		free(v);
		break;
	case F_SUMMARY:
		if (prio <= c->summary_prio)
			break;
		v = to_plain(st, st->cap_mode, st->cap_nested, 0);
		if (v != NULL) {
			free(it->summary);
			it->summary = v;
			c->summary_prio = prio;
		}
		break;
	case F_CONTENT:
		if (prio <= c->content_prio)
			break;
		v = to_plain(st, st->cap_mode, st->cap_nested, 1);
		if (v != NULL) {
			free(it->content);
			it->content = v;
			c->content_prio = prio;
		}
		break;
	default:
		break;
	}
}

static void
capture_begin(struct pstate *st, enum field f, enum mode m, int prio)
{
	st->cap_field = f;
	st->cap_mode = m;
	st->cap_prio = prio;
	st->cap_depth = st->depth;
	st->cap_nested = 0;
	st->cap_hide = 0;
	strbuf_reset(&st->cap);
}

/* ---- SAX handlers ----------------------------------------------------- */

static void
root_element(struct pstate *st, const xmlChar *local, const xmlChar *uri,
    int nb, const xmlChar **attrs)
{
	const char *l = (const char *)local;
	int ns = uri ? classify_ns((const char *)uri) : NS_NONE;
	char *v;

	st->root_seen = 1;
	util_strlcpy(st->root_name, l, sizeof(st->root_name));
	if (strcmp(l, "rss") == 0 || (strcmp(l, "channel") == 0 &&
	    ns != NS_ATOM10)) {
		st->fmt = FMT_RSS;
		st->root_uri = uri;
		v = attr_get(nb, attrs, "version", NULL);
		if (v != NULL && strlen(v) <= 5 &&
		    strspn(v, "0123456789.") == strlen(v) && v[0])
			st->res->format = xasprintf("rss%s", v);
		else
			st->res->format = xstrdup("rss");
		free(v);
	} else if (strcmp(l, "RDF") == 0 && ns == NS_RDF) {
		st->fmt = FMT_RDF;
		st->res->format = xstrdup("rss1.0");
	} else if (strcmp(l, "feed") == 0 && (ns == NS_ATOM10 ||
	    ns == NS_ATOM03 || uri == NULL || ns == NS_OTHER)) {
		v = attr_get(nb, attrs, "version", NULL);
		if (ns == NS_ATOM03 || (ns != NS_ATOM10 && v != NULL &&
		    strncmp(v, "0.", 2) == 0)) {
			st->fmt = FMT_ATOM03;
			st->res->format = xstrdup("atom0.3");
		} else {
			st->fmt = FMT_ATOM10;
			st->res->format = xstrdup("atom1.0");
		}
		free(v);
		if (ns != NS_ATOM10 && ns != NS_ATOM03)
			st->root_uri = uri;
	} else {
		st->not_feed = (util_strcasecmp(l, "html") == 0 ||
		    util_strcasecmp(l, "body") == 0 ||
		    util_strcasecmp(l, "head") == 0) ? 1 : 2;
		xmlStopParser(st->ctxt);
	}
}

static int
is_block_name(const char *l)
{
	static const char *const b[] = { "p", "div", "br", "li", "tr", "h1",
	    "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre",
	    "table", "dd", "dt", "hr" };
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(b); i++)
		if (strcmp(l, b[i]) == 0)
			return 1;
	return 0;
}

/* Atom <link>: rel alternate (or none) is the item's page. */
static void
atom_link(struct pstate *st, int nb, const xmlChar **attrs, int feed_level)
{
	static const char iana[] =
	    "http://www.iana.org/assignments/relation/alternate";
	const char *rel, *type;
	size_t rlen, tlen;
	char *href;
	int prio;

	rel = attr_raw(nb, attrs, "rel", &rlen);
	if (rel != NULL && !raw_ieq(rel, rlen, "alternate") &&
	    !(rlen == sizeof(iana) - 1 && memcmp(rel, iana, rlen) == 0))
		return;
	type = attr_raw(nb, attrs, "type", &tlen);
	prio = type == NULL || (tlen >= 9 &&
	    util_strncasecmp(type, "text/html", 9) == 0) ||
	    raw_ieq(type, tlen, "application/xhtml+xml") ? 3 : 2;
	href = attr_get(nb, attrs, "href", NULL);
	if (href == NULL) {
		/*
		 * <link>http://...</link>: the RSS habit in an Atom feed.
		 * The text is the address, under the same priorities.
		 */
		if (feed_level || st->cur.it != NULL)
			capture_begin(st, feed_level ? F_FEED_LINK : F_LINK,
			    M_TEXT, prio);
		return;
	}
	if (feed_level) {
		if (prio > st->feed_link_prio) {
			char *v = resolve_link(st, href, strlen(href),
			    cur_base(st, st->depth));

			if (v != NULL) {
				free(st->res->feed_link);
				st->res->feed_link = v;
				st->feed_link_prio = prio;
			}
		}
	} else if (st->cur.it != NULL && prio > st->cur.link_prio) {
		char *v = resolve_link(st, href, strlen(href),
		    cur_base(st, st->depth));

		if (v != NULL) {
			free(st->cur.it->link);
			st->cur.it->link = v;
			st->cur.link_prio = prio;
		}
	}
	free(href);
}

/* A category named by an attribute (attr_get()'s copy, taken; may be
 * NULL). */
static void
add_tag_attr(struct pstate *st, char *t)
{
	char *v;

	if (t == NULL)
		return;
	v = text_clean(t, strlen(t), st->max_field, 0);
	add_tag(st, v);
	free(v);
	free(t);
}

/*
 * Podcast feeds: itunes:summary and itunes:author stand in for what the
 * item lacks; itunes:category names are categories.
 */
static void
itunes_child(struct pstate *st, int nb, const xmlChar **attrs)
{
	if (st->nm == N_SUMMARY)
		capture_begin(st, F_SUMMARY, M_MAYBE_HTML, 1);
	else if (st->nm == N_AUTHOR)
		capture_begin(st, F_AUTHOR_EMAIL, M_TEXT, 1);
	else if (st->nm == N_CATEGORY)
		add_tag_attr(st, attr_get(nb, attrs, "text", NULL));
}

/* An element directly inside an item/entry. */
static void
item_child(struct pstate *st, int ns, int nb,
    const xmlChar **attrs)
{
	struct cur *c = &st->cur;
	int core = core_ns(st, ns), atom = is_atom(st);
	/* Atom's own elements, in an Atom entry or in an RSS item. */
	int atomish = atom ? core : ns == NS_ATOM10;

	if (c->skip)
		return;
	if (core && st->nm == N_TITLE)
		capture_begin(st, F_TITLE, atom ? atom_mode(nb, attrs,
		    M_TEXT) : M_MAYBE_HTML, 3);
	else if (core && !atom && st->nm == N_LINK)
		capture_begin(st, F_LINK, M_TEXT, 4);
	else if ((ns == NS_ATOM10 || ns == NS_ATOM03 || (atom && core)) &&
	    st->nm == N_LINK)
		atom_link(st, nb, attrs, 0);
	else if (core && !atom && st->nm == N_GUID) {
		char *p = attr_get(nb, attrs, "isPermaLink", NULL);

		c->guid_permalink = p == NULL ? -1 :
		    util_strcasecmp(p, "false") == 0 ? -2 : 1;
		free(p);
		capture_begin(st, F_ID, M_TEXT, 1);
	} else if (core && atom && st->nm == N_ID) {
		c->guid_permalink = -2;
		capture_begin(st, F_ID, M_TEXT, 1);
	} else if ((core && (st->nm == N_PUBDATE ||
	    st->nm == N_PUBLISHED || st->nm == N_ISSUED)) ||
	    (atomish && st->nm == N_PUBLISHED))
		capture_begin(st, F_DATE, M_TEXT, 4);
	else if ((core && (st->nm == N_UPDATED ||
	    st->nm == N_MODIFIED || st->nm == N_CREATED)) ||
	    (atomish && st->nm == N_UPDATED))
		capture_begin(st, F_DATE, M_TEXT, 2);
	else if (ns == NS_DC && st->nm == N_DATE)
		capture_begin(st, F_DATE, M_TEXT, 3);
	else if (ns == NS_DCTERMS && (st->nm == N_ISSUED ||
	    st->nm == N_CREATED || st->nm == N_DATE))
		capture_begin(st, F_DATE, M_TEXT, 3);
	else if (ns == NS_DCTERMS && st->nm == N_MODIFIED)
		capture_begin(st, F_DATE, M_TEXT, 1);
	else if (core && st->nm == N_DESCRIPTION)
		capture_begin(st, F_SUMMARY, M_HTML, 3);
	else if (atomish && st->nm == N_SUMMARY)
		capture_begin(st, F_SUMMARY, atom_mode(nb, attrs, M_TEXT),
		    atom ? 3 : 2);
	else if (atomish && st->nm == N_CONTENT) {
		char *src = attr_get(nb, attrs, "src", NULL);

		capture_begin(st, F_CONTENT, src ? M_SKIP :
		    atom_mode(nb, attrs, M_TEXT), 2);
		free(src);
	} else if (ns == NS_CONTENT && st->nm == N_ENCODED)
		capture_begin(st, F_CONTENT, M_HTML, 2);
	else if (ns == NS_XHTML && !atom && st->nm == N_BODY)
		capture_begin(st, F_CONTENT, M_XHTML, 2);	/* xhtml:body */
	else if (core && !atom && (st->nm == N_SUMMARY ||
	    st->nm == N_FULLITEM))
		/* Not RSS, yet seen: a longer text beside the description
		 * (feedparser reads both as content). */
		capture_begin(st, F_CONTENT, M_MAYBE_HTML, 1);
	else if (core && !atom && st->nm == N_AUTHOR)
		capture_begin(st, F_AUTHOR, M_TEXT, 1);
	else if (ns == NS_DC && (st->nm == N_CREATOR ||
	    st->nm == N_AUTHOR))	/* dc:author: not DC, yet seen */
		capture_begin(st, F_AUTHOR, M_TEXT, 1);
	else if (core && !atom && st->nm == N_CATEGORY)
		capture_begin(st, F_CATEGORY, M_TEXT, 1);
	else if (atomish && st->nm == N_CATEGORY) {
		char *t = attr_get(nb, attrs, "term", NULL);

		add_tag_attr(st, t != NULL ? t : attr_get(nb, attrs, "label",
		    NULL));
	} else if (ns == NS_DC && st->nm == N_SUBJECT)
		capture_begin(st, F_CATEGORY, M_TEXT, 1);
	else if (ns == NS_DC && st->nm == N_TITLE)
		capture_begin(st, F_TITLE, M_MAYBE_HTML, 2);
	else if (ns == NS_DC && st->nm == N_DESCRIPTION)
		capture_begin(st, F_SUMMARY, M_HTML, 2);
	else if (ns == NS_ITUNES)
		itunes_child(st, nb, attrs);
}

/* media:title / media:description, also inside media:group/content. */
static void
media_child(struct pstate *st, int nb, const xmlChar **attrs)
{
	char *type;
	enum mode m;

	if (st->cur.skip)
		return;
	type = attr_get(nb, attrs, "type", NULL);
	m = type != NULL && util_strcasecmp(type, "html") == 0 ? M_HTML :
	    M_TEXT;
	free(type);
	if (st->nm == N_TITLE)
		capture_begin(st, F_TITLE, m, 1);
	else if (st->nm == N_DESCRIPTION)
		capture_begin(st, F_SUMMARY, m, 1);
}

static void
feed_child(struct pstate *st, int ns, int nb,
    const xmlChar **attrs)
{
	int core = core_ns(st, ns), atom = is_atom(st);

	if (core && st->nm == N_TITLE)
		capture_begin(st, F_FEED_TITLE, atom ? atom_mode(nb, attrs,
		    M_TEXT) : M_MAYBE_HTML, 1);
	else if (ns == NS_DC && st->nm == N_TITLE)
		capture_begin(st, F_FEED_TITLE, M_MAYBE_HTML, 1);
	else if (core && !atom && st->nm == N_LINK)
		capture_begin(st, F_FEED_LINK, M_TEXT, 4);
	else if ((ns == NS_ATOM10 || ns == NS_ATOM03 || (atom && core)) &&
	    st->nm == N_LINK)
		atom_link(st, nb, attrs, 1);
}

static void
sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nb_ns, const xmlChar **namespaces,
    int nb_attrs, int nb_defaulted, const xmlChar **attrs)
{
	struct pstate *st = ctx;
	const char *l = (const char *)local;
	struct frame *fr, *parent;
	enum kind kind = K_OTHER;
	int d, ns, i;

	(void)nb_ns;
	(void)namespaces;
	(void)nb_defaulted;
	/* Keep entity references working after a recovered error. */
	st->ctxt->wellFormed = 1;
	d = ++st->depth;
	if (d == 1) {
		root_element(st, local, uri, nb_attrs, attrs);
		if (st->not_feed)
			return;
	}
	if (d >= MAX_DEPTH) {
		if (st->cap_field != F_NONE)
			st->cap_nested = 1;
		return;
	}
	fr = &st->stack[d];
	parent = &st->stack[d - 1];
	fr->base = parent->base;
	fr->base_owned = 0;
	for (i = 0; i < nb_attrs; i++) {
		const xmlChar **a = attrs + i * 5;

		if (a[2] != NULL && strcmp((const char *)a[0], "base") == 0 &&
		    strcmp((const char *)a[2],
		    (const char *)XML_XML_NAMESPACE) == 0) {
			char *b = attr_dup(a[3], a[4]);
			xmlChar *u = NULL;

			if (fr->base_owned)	/* a repeated attribute */
				free(fr->base);

			if (parent->base != NULL && !has_scheme(b))
				u = xmlBuildURI((const xmlChar *)b,
				    (const xmlChar *)parent->base);
			if (u != NULL) {
				fr->base = xstrdup((const char *)u);
				xmlFree(u);
				free(b);
			} else
				fr->base = b;
			fr->base_owned = 1;
		}
	}
	if (st->cap_field != F_NONE) {
		/* Markup inside a captured element: XHTML or raw HTML. */
		st->cap_nested = 1;
		/* Program text is not text to show, as in the HTML path;
		 * a category's name is its own text, not that of what it
		 * holds (an <image>, seen in the wild). */
		if (st->cap_hide == 0 && (util_strcasecmp(l, "script") == 0 ||
		    util_strcasecmp(l, "style") == 0 ||
		    st->cap_field == F_CATEGORY))
			st->cap_hide = d;
		if (is_block_name(l))
			strbuf_addc(&st->cap, '\n');
		fr->kind = K_CAPTURE;
		return;
	}
	ns = uri == NULL && prefix != NULL ? ns_of_prefix(prefix) :
	    ns_of(st, uri);
	st->nm = name_of(st, local);
	if (d == 1) {
		kind = K_ROOT;
		if (st->fmt == FMT_RSS && st->nm == N_CHANNEL)
			kind = K_CHANNEL;
	} else if (!st->in_item && ((core_ns(st, ns) && !is_atom(st) &&
	    st->nm == N_ITEM && (parent->kind == K_CHANNEL ||
	    parent->kind == K_ROOT)) || (is_atom(st) && core_ns(st, ns) &&
	    st->nm == N_ENTRY && parent->kind == K_ROOT))) {
		kind = K_ITEM;
		if (ns == NS_RSS090 && st->fmt == FMT_RDF) {
			free(st->res->format);
			st->res->format = xstrdup("rss0.90");
		}
		item_begin(st);
		if (st->fmt == FMT_RDF && st->cur.it != NULL) {
			char *about = attr_get(nb_attrs, attrs, "about",
			    "http://www.w3.org/1999/02/22-rdf-syntax-ns#");

			if (about != NULL) {
				st->cur.it->id = text_clean(about,
				    strlen(about), st->max_field, 0);
				if (st->cur.it->id[0] == '\0') {
					free(st->cur.it->id);
					st->cur.it->id = NULL;
				}
				free(about);
			}
		}
	} else if (!st->in_item && d == 2 && core_ns(st, ns) &&
	    st->nm == N_CHANNEL && parent->kind == K_ROOT) {
		kind = K_CHANNEL;
	} else if (parent->kind == K_ITEM) {
		if (ns == NS_MEDIA && (st->nm == N_GROUP ||
		    st->nm == N_CONTENT))
			kind = K_MEDIA_GROUP;
		else if (ns == NS_MEDIA)
			media_child(st, nb_attrs, attrs);
		else if (((is_atom(st) && core_ns(st, ns)) ||
		    ns == NS_ATOM10) && st->nm == N_AUTHOR)
			kind = K_AUTHOR;
		else
			item_child(st, ns, nb_attrs, attrs);
	} else if (parent->kind == K_MEDIA_GROUP && ns == NS_MEDIA) {
		media_child(st, nb_attrs, attrs);
	} else if (parent->kind == K_AUTHOR && (core_ns(st, ns) ||
	    ns == NS_ATOM10)) {
		int feed_level = d >= 2 && st->stack[d - 2].kind != K_ITEM;

		if (st->nm == N_NAME)
			capture_begin(st, feed_level ? F_FEED_AUTHOR : F_AUTHOR,
			    M_TEXT, 1);
		else if (st->nm == N_EMAIL && !feed_level)
			capture_begin(st, F_AUTHOR_EMAIL, M_TEXT, 1);
	} else if ((parent->kind == K_CHANNEL || (parent->kind == K_ROOT &&
	    is_atom(st))) && !st->in_item) {
		if (is_atom(st) && core_ns(st, ns) && st->nm == N_AUTHOR)
			kind = K_AUTHOR;
		else
			feed_child(st, ns, nb_attrs, attrs);
	}
	fr->kind = st->cap_field != F_NONE && st->cap_depth == d ?
	    K_CAPTURE : kind;
}

static void
sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct pstate *st = ctx;
	int d = st->depth;

	(void)prefix;
	(void)uri;
	st->ctxt->wellFormed = 1;
	if (d <= 0)
		return;
	if (st->cap_hide == d)
		st->cap_hide = 0;
	if (st->cap_field != F_NONE && d == st->cap_depth)
		capture_done(st);
	else if (st->cap_field != F_NONE && d > st->cap_depth &&
	    is_block_name((const char *)local))
		strbuf_addc(&st->cap, '\n');
	if (d < MAX_DEPTH) {
		struct frame *fr = &st->stack[d];

		if (fr->kind == K_ITEM && st->in_item)
			item_end(st);
		if (fr->base_owned)
			free(fr->base);
		fr->base = NULL;
		fr->base_owned = 0;
		fr->kind = K_OTHER;
	}
	st->depth--;
}

static int
is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(unsigned c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
is_xdigit(unsigned c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Index past the ASCII XML name at s[j], at most max bytes of it; j when
 * no name starts there. */
static size_t
name_end(const unsigned char *s, size_t len, size_t j, size_t max)
{
	size_t k = j;

	if (k >= len || !(is_alpha(s[k]) || s[k] == '_' || s[k] == ':'))
		return j;
	while (k < len && k - j < max && (is_alpha(s[k]) || is_digit(s[k]) ||
	    s[k] == '_' || s[k] == ':' || s[k] == '-' || s[k] == '.'))
		k++;
	return k;
}

/*
 * The reference at s[i] ('&') in element text, read as libxml2 and
 * sax_get_entity() read it: returns its length and puts its text in
 * out[REF_OUT] (*outlen bytes), or returns 0 where libxml2 would report
 * an error or the answer could differ.  Character references must name
 * an XML character (a hexadecimal one with a lowercase 'x', as libxml2
 * wants); names are ASCII.  named: 0 takes only the five predefined
 * names (a document with a DTD, whose entities are not ours to read).
 */
#define REF_OUT 80			/* as pstate.ent_buf */
static size_t
ref_at(const unsigned char *s, size_t len, size_t i, int named,
    unsigned char *out, size_t *outlen)
{
	static const struct {
		const char *name;
		size_t n;
		char c;
	} pre[] = {
		{ "lt", 2, '<' }, { "gt", 2, '>' }, { "amp", 3, '&' },
		{ "quot", 4, '"' }, { "apos", 4, '\'' },
	};
	size_t j = i + 1, k, n;
	unsigned long v = 0;
	unsigned e;

	if (j < len && s[j] == '#') {
		int hex = ++j < len && s[j] == 'x';

		if (hex)
			j++;
		for (k = j; j < len && (hex ? is_xdigit(s[j]) :
		    is_digit(s[j])); j++) {
			v = v * (hex ? 16 : 10) + (is_digit(s[j]) ?
			    s[j] - '0' : (s[j] | 0x20) - 'a' + 10);
			if (v > 0x10FFFF)
				return 0;
		}
		if (j == k || j >= len || s[j] != ';')
			return 0;
		if (!(v == 0x9 || v == 0xA || v == 0xD ||
		    (v >= 0x20 && v <= 0xD7FF) ||
		    (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000))
			return 0;
		*outlen = text_utf8_put(out, (uint32_t)v);
		return j + 1 - i;
	}
	if ((j = name_end(s, len, i + 1, SIZE_MAX)) == i + 1 || j >= len ||
	    s[j] != ';')
		return 0;
	n = j - i - 1;
	for (k = 0; k < UTIL_ARRAY_LEN(pre); k++)
		if (n == pre[k].n && s[i + 1] == (unsigned char)pre[k].name[0] &&
		    memcmp(s + i + 1, pre[k].name, n) == 0) {
			out[0] = (unsigned char)pre[k].c;
			*outlen = 1;
			return n + 2;
		}
	if (!named)
		return 0;
	if ((e = text_html_entity((const char *)s + i + 1, n)) != 0)
		*outlen = text_utf8_put(out, e);
	else {
		/* Kept as written (sax_get_entity), if it fits. */
		if (n + 3 > REF_OUT)
			return 0;
		memcpy(out, s + i, n + 2);
		*outlen = n + 2;
	}
	return n + 2;
}

static void
sax_chars(void *ctx, const xmlChar *ch, int len)
{
	struct pstate *st = ctx;
	size_t n = (size_t)len, room;

	st->ctxt->wellFormed = 1;
	if (st->cap_field == F_NONE || st->cap_hide || len <= 0)
		return;
	if (st->cap.len >= st->raw_cap)
		return;
	room = st->raw_cap - st->cap.len;
	if (n > room) {
		/* Cut on a UTF-8 character boundary. */
		n = room;
		while (n > 0 && (ch[n] & 0xC0) == 0x80)
			n--;
	}
	/* libxml2 hands over text in small pieces ("<" for each "&lt;"). */
	if (st->cap.len + n + 1 <= st->cap.cap) {
		char *d = st->cap.buf + st->cap.len;

		if (n == 1)
			*d = (char)ch[0];
		else
			memcpy(d, ch, n);
		st->cap.len += n;
		st->cap.buf[st->cap.len] = '\0';
	} else
		strbuf_add(&st->cap, ch, n);
}

/* A CDATA section: a lifted one's marker brings its text back. */
static void
sax_cdata(void *ctx, const xmlChar *ch, int len)
{
	struct pstate *st = ctx;
	size_t k = 0;
	int i = 3;

	if (st->n_lifted == 0 || len < 4 || memcmp(ch, LIFT_MARK, 3) != 0) {
		sax_chars(ctx, ch, len);
		return;
	}
	for (; i < len && ch[i] >= '0' && ch[i] <= '9' && k < st->n_lifted;
	    i++)
		k = k * 10 + (size_t)(ch[i] - '0');
	if (k >= st->n_lifted) {
		sax_chars(ctx, ch, len);
		return;
	}
	sax_chars(ctx, (const xmlChar *)(st->lifted[k].dec != SIZE_MAX ?
	    st->decoded + st->lifted[k].dec : st->lifted[k].text),
	    (int)st->lifted[k].len);
}

/*
 * <!ENTITY name "text"> in the document's own DTD subset: kept when the
 * text holds no reference and no markup, so that using it only inserts
 * those characters (no expansion to bomb with, nothing to parse).  The
 * first declaration of a name counts, as in XML; the others, parameter
 * and external entities are never stored and stay unresolved.
 */
static void
sax_entity_decl(void *ctx, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	struct pstate *st = ctx;
	size_t i, len;

	(void)public_id;
	(void)system_id;
	if (type != XML_INTERNAL_GENERAL_ENTITY || content == NULL ||
	    st->n_decl >= MAX_DECL_ENTITIES)
		return;
	len = strlen((const char *)content);
	if (len > MAX_DECL_ENTITY_LEN || strpbrk((const char *)content,
	    "&<%") != NULL)
		return;
	for (i = 0; i < st->n_decl; i++)
		if (strcmp(st->decl[i].name, (const char *)name) == 0)
			return;
	st->decl[st->n_decl].name = xstrdup((const char *)name);
	st->decl[st->n_decl].text = xstrndup((const char *)content, len);
	st->n_decl++;
}

/*
 * Feeds use HTML entities (&nbsp;, &mdash;, &eacute;) without declaring
 * them.  Hand back a predefined-style entity with the character so the
 * parser inlines it; the same for the plain-text entities the document
 * declares (sax_entity_decl).  Nothing else resolves.
 */
/* The entity st hands libxml2: len bytes of text to insert as they are. */
static xmlEntityPtr
hand_entity(struct pstate *st, const xmlChar *name, xmlChar *text, int len)
{
	memset(&st->ent, 0, sizeof(st->ent));
	st->ent.type = XML_ENTITY_DECL;
	st->ent.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	st->ent.name = name;
	st->ent.content = text;
	st->ent.length = len;
	return &st->ent;
}

static xmlEntityPtr
sax_get_entity(void *ctx, const xmlChar *name)
{
	struct pstate *st = ctx;
	unsigned v;
	xmlChar *b = st->ent_buf;
	size_t i;
	int n;

	/*
	 * In the DTD libxml2 asks whether a name is declared already, and
	 * hands a found entity the original text of the new declaration
	 * (it would be ours to free): nothing is, for it.
	 */
	if (st->ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE ||
	    st->ctxt->inSubset != 0)
		return NULL;
	for (i = 0; i < st->n_decl; i++)
		if (strcmp(st->decl[i].name, (const char *)name) == 0) {
			size_t len = strlen(st->decl[i].text);

			/* Past the budget the name reads as undefined. */
			if (st->decl_inserted + len > MAX_DECL_INSERTED)
				return NULL;
			st->decl_inserted += len;
			return hand_entity(st, name,
			    (xmlChar *)st->decl[i].text, (int)len);
		}
	n = (int)strlen((const char *)name);
	v = text_html_entity((const char *)name, (size_t)n);
	if (v == 0) {
		/*
		 * A name no DTD declares: keep the reference as the text it
		 * is ("&doesnotexist;"), as browsers show it, rather than
		 * losing it.  With a DTD subset the name may be one of its
		 * (unstored) entities: drop it and let the error report it.
		 */
		if (st->has_subset || (size_t)n + 3 > sizeof(st->ent_buf))
			return NULL;
		b[0] = '&';
		memcpy(b + 1, name, (size_t)n);
		b[n + 1] = ';';
		n += 2;
	} else
		n = (int)text_utf8_put(b, v);
	b[n] = '\0';
	return hand_entity(st, name, b, n);
}

static void
sax_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext_id,
    const xmlChar *sys_id)
{
	struct pstate *st = ctx;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	st->has_subset = 1;
}

static void
sax_error(void *ctx, xmlErrorPtr e)
{
	struct pstate *st = ctx;
	char msg[200];
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	st->nerrors++;
	st->xml_errors++;
	if (st->first_error != NULL)
		return;
	util_strlcpy(msg, e->message ? e->message : "error", sizeof(msg));
	n = strlen(msg);
	while (n > 0 && isspace((unsigned char)msg[n - 1]))
		msg[--n] = '\0';
	st->err_line = e->line;
	/* Messages quote names from the document: clean them too. */
	{
		char *raw = xasprintf("XML error at line %d: %s", e->line, msg);

		st->first_error = text_clean(raw, strlen(raw), 0, 0);
		free(raw);
	}
}

/* ---- bytes to clean UTF-8 ---------------------------------------------- */

/* windows-1252 0x80-0x9F; 0 marks the five unassigned bytes. */
static const unsigned short cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

enum enc { ENC_UTF8, ENC_CP1252, ENC_UTF16LE, ENC_UTF16BE, ENC_LIBXML };

static void
put_utf8(struct strbuf *sb, uint32_t cp)
{
	unsigned char b[4];

	strbuf_add(sb, b, text_utf8_put(b, cp));
}

static void
transcode_cp1252(const unsigned char *s, size_t len, struct strbuf *out)
{
	size_t i;

	strbuf_grow(out, len + len / 4);
	for (i = 0; i < len; i++) {
		unsigned c = s[i];

		if (c < 0x80)
			strbuf_addc(out, (char)c);
		else if (c < 0xA0)
			put_utf8(out, cp1252[c - 0x80] ? cp1252[c - 0x80] :
			    0xFFFD);
		else
			put_utf8(out, c);
	}
}

static void
transcode_utf16(const unsigned char *s, size_t len, int be,
    struct strbuf *out)
{
	size_t i;

	strbuf_grow(out, len / 2 + len / 8);
	for (i = 0; i + 1 < len; i += 2) {
		uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) :
		    (uint32_t)(s[i + 1] << 8 | s[i]);

		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			uint32_t lo = be ? (uint32_t)(s[i + 2] << 8 |
			    s[i + 3]) : (uint32_t)(s[i + 3] << 8 | s[i + 2]);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) +
				    (lo - 0xDC00);
				i += 2;
			} else
				u = 0xFFFD;
		} else if (u >= 0xD800 && u <= 0xDFFF)
			u = 0xFFFD;
		put_utf8(out, u);
	}
}

/*
 * Byte classes for the UTF-8 prescan: outside CDATA sections, and inside
 * them (where '&' is plain text).
 */
enum { C_OK, C_AMP, C_CTRL, C_HIGH };
static unsigned char prescan_class[2][256];
static pthread_once_t prescan_once = PTHREAD_ONCE_INIT;

static void
prescan_init(void)
{
	int c, t;

	for (t = 0; t < 2; t++) {
		unsigned char *k = prescan_class[t];

		for (c = 0; c < 256; c++)
			k[c] = c >= 0x80 ? C_HIGH : c < 0x20 ? C_CTRL : C_OK;
		k['\t'] = k['\n'] = k['\r'] = C_OK;
		if (t == 0)
			k['&'] = C_AMP;
	}
}

static int
valid_reference(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	if (j < len && s[j] == '#') {
		j++;
		if (j < len && (s[j] == 'x' || s[j] == 'X')) {
			j++;
			while (j < len && is_xdigit(s[j]))
				j++;
			return j > i + 3 && j < len && s[j] == ';';
		}
		while (j < len && is_digit(s[j]))
			j++;
		return j > i + 2 && j < len && s[j] == ';';
	}
	if ((j = name_end(s, len, i + 1, 63)) == i + 1)
		return 0;
	return j < len && s[j] == ';';
}

/* Index just past the first pat (n bytes) in [p, end), or SIZE_MAX. */
static size_t
find_seq(const unsigned char *s, size_t p, size_t end, const char *pat,
    size_t n)
{
	const unsigned char *q;

	while (p + n <= end) {
		q = memchr(s + p, pat[0], end - p - n + 1);
		if (q == NULL)
			break;
		p = (size_t)(q - s);
		if (memcmp(q, pat, n) == 0)
			return p + n;
		p++;
	}
	return SIZE_MAX;
}

/* Where a '&' stands: markup in which it is plain text, or not. */
enum { MS_TEXT, MS_COMMENT, MS_PI, MS_CDATA };

/*
 * Advance the markup state from *pos to i (s[i] is a '&').  Comments,
 * processing instructions and CDATA sections may hold a bare '&'; it must
 * not be escaped there nor reported.  Called only at a '&' that needs a
 * decision, and each call resumes where the last stopped, so the whole
 * document is scanned at most once.  No opener or closer can straddle i:
 * none of them contains '&'.
 */
static int
markup_state(const unsigned char *s, size_t i, size_t *pos, int *state)
{
	static const char *const close[] = { "<", "-->", "?>", "]]>" };
	size_t p = *pos, q;

	while (p < i) {
		q = find_seq(s, p, i, close[*state], strlen(close[*state]));
		if (q == SIZE_MAX) {
			p = i;
			break;
		}
		p = q;
		if (*state != MS_TEXT)
			*state = MS_TEXT;
		else if (i - p >= 3 && memcmp(s + p, "!--", 3) == 0) {
			*state = MS_COMMENT;
			p += 3;
		} else if (p < i && s[p] == '?') {
			*state = MS_PI;
			p++;
		} else if (i - p >= 8 && memcmp(s + p, "![CDATA[", 8) == 0) {
			*state = MS_CDATA;
			p += 8;
		}
	}
	*pos = p;
	return *state;
}

/*
 * A numeric character reference at s[i] that libxml2 would refuse and
 * drop: "&#X41;" (XML wants a lower-case x), a UTF-16 surrogate pair
 * written as two references (how some publishing systems write emoji), a
 * lone surrogate, a code point past U+10FFFF, U+FFFE/U+FFFF or a control
 * character.  Returns the bytes it spans, with the replacement in buf (*n
 * bytes: a well-formed reference, U+FFFD, or nothing for a control), or 0
 * when the reference is fine as it is or is no reference at all.
 */
static size_t
charref_fix(const unsigned char *s, size_t len, size_t i, char *buf,
    size_t bufsize, size_t *n)
{
	uint32_t cp[2];
	size_t j = i, end[2];
	int k, upper = 0;

	for (k = 0; k < 2;) {
		int hex;
		size_t d;

		if (j + 3 > len || s[j] != '&' || s[j + 1] != '#')
			break;
		j += 2;
		hex = s[j] == 'x' || s[j] == 'X';
		if (s[j] == 'X')
			upper = 1;
		j += (size_t)hex;
		cp[k] = 0;
		for (d = 0; j < len && (hex ? is_xdigit(s[j]) :
		    is_digit(s[j])); j++, d++) {
			unsigned v = is_digit(s[j]) ? (unsigned)(s[j] - '0') :
			    (s[j] | 0x20u) - 'a' + 10;

			if (cp[k] <= 0x10FFFF)
				cp[k] = cp[k] * (hex ? 16 : 10) + v;
		}
		if (d == 0 || j >= len || s[j] != ';')
			break;
		end[k] = ++j;
		/* A second reference matters only after a high surrogate. */
		if (cp[k++] < 0xD800 || cp[0] > 0xDBFF)
			break;
	}
	if (k == 0)
		return 0;
	if (k == 2 && cp[1] >= 0xDC00 && cp[1] <= 0xDFFF) {
		cp[0] = 0x10000 + ((cp[0] - 0xD800) << 10) + (cp[1] - 0xDC00);
		*n = (size_t)snprintf(buf, bufsize, "&#x%X;", (unsigned)cp[0]);
		return end[1] - i;
	}
	if (cp[0] < 0x20 && cp[0] != 0x9 && cp[0] != 0xA && cp[0] != 0xD) {
		*n = 0;
		return end[0] - i;
	}
	if ((cp[0] >= 0xD800 && cp[0] <= 0xDFFF) || cp[0] == 0xFFFE ||
	    cp[0] == 0xFFFF || cp[0] > 0x10FFFF) {
		*n = 3;
		memcpy(buf, "\xEF\xBF\xBD", 3);
		return end[0] - i;
	}
	if (!upper)
		return 0;
	*n = (size_t)snprintf(buf, bufsize, "&#x%X;", (unsigned)cp[0]);
	return end[0] - i;
}

/* 1-based line number of s[i]. */
static int
line_at(const unsigned char *s, size_t i)
{
	size_t k;
	int line = 1;

	for (k = 0; k < i; k++)
		line += s[k] == '\n';
	return line;
}

/*
 * Index of the first "<![CDATA[" from s[i] on, or len: found by its last
 * '[', a byte rare outside CDATA openers (tags are everywhere).
 */
static size_t
cdata_open(const unsigned char *s, size_t len, size_t i)
{
	const unsigned char *p, *end = s + len;

	if (len - i < 9)
		return len;
	for (p = s + i + 8; (p = memchr(p, '[', (size_t)(end - p))) != NULL;
	    p++)
		if (memcmp(p - 8, "<![CDATA", 8) == 0)
			return (size_t)(p - 8 - s);
	return len;
}

/* Where the stretch of the prescan from s[i] on ends: inside a CDATA
 * section, at its "]]>"; outside, at the next opener; len for none. */
static size_t
cdata_edge(const unsigned char *s, size_t len, size_t i, int in_cdata)
{
	size_t e;

	if (!in_cdata)
		return cdata_open(s, len, i);
	e = find_seq(s, i, len, "]]>", 3);
	return e == SIZE_MAX ? len : e - 3;
}

/*
 * Index of the first byte from s[i] on that is not C_OK in cls, the table
 * where '&' stops when amp is set.  Eight bytes at a time: a word is
 * skipped when no byte is a control or >= 0x80, nor '&' with amp (tab
 * and newlines stop the word test but are passed one by one).
 */
static size_t
skip_plain(const unsigned char *s, size_t len, size_t i,
    const unsigned char *cls, int amp)
{
#ifdef UTIL_WORDS
	while (i + 8 <= len) {
		uint64_t x, m;

		memcpy(&x, s + i, 8);
		m = util_word_ctrl(x) | (x & UTIL_WORD_HIGH);
		if (amp)
			m |= util_word_eq(x, '&');
		if (m == 0) {
			i += 8;
			continue;
		}
		/* The lowest flagged byte is a real stop candidate. */
		i += (size_t)__builtin_ctzll(m) / 8;
		if (cls[s[i]] != C_OK)
			return i;
		i++;
	}
#endif
	while (i < len && cls[s[i]] == C_OK)
		i++;
	return i;
}

/* Length of an escape sequence starting at s[i] == ESC. */
static size_t
escape_len(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	if (j >= len)
		return 1;
	if (s[j] == '[') {
		j++;
		while (j < len && s[j] >= 0x20 && s[j] <= 0x3F)
			j++;
		if (j < len && s[j] >= 0x40 && s[j] <= 0x7E)
			j++;
	} else if (s[j] == ']' || s[j] == 'P' || s[j] == '_' || s[j] == '^' ||
	    s[j] == 'X') {
		j++;
		while (j < len && s[j] != 0x07 && s[j] != 0x1B && s[j] != '<' &&
		    s[j] >= 0x20)
			j++;
		if (j < len && s[j] == 0x07)
			j++;
		else if (j + 1 < len && s[j] == 0x1B && s[j + 1] == '\\')
			j += 2;
	} else if (s[j] >= 0x20 && s[j] <= 0x7E)
		j++;
	return j - i;
}

/*
 * CDATA sections, lifted.  libxml2 2.9 reads a CDATA section one
 * character at a time (a call to decode each one, line and column kept):
 * on the benchmark corpus of a first fetch, a tenth of all instructions,
 * for text it hands over unchanged.  So the section's text is taken out
 * beforehand and replaced by a marker, U+E000 and the section's number,
 * followed by as many newlines as the text held (error line numbers stay
 * right); sax_cdata() puts the text back.  A section keeps its text, and
 * goes through libxml2, when the text holds something libxml2 would
 * change or reject: a carriage return (read as a newline), a control
 * character other than tab and newline, U+FFFE or U+FFFF.  When a kept
 * section starts like a marker, nothing is lifted.
 *
 * Element text is lifted the same way (lift_text), in a CDATA section
 * made for its marker: libxml2 hands text over in pieces, one between
 * two references and one for each reference, and reads anything past
 * ASCII a character at a time; escaped HTML summaries are mostly
 * references.  Lifted and not, the items are the same: test_parse and
 * fuzz_parse compare both ways.
 */
/* Can s[0..len) go around libxml2 unchanged? */
static int
liftable(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
#ifdef UTIL_WORDS
		/* Eight bytes at a time while none is a control or 0xEF. */
		uint64_t x;

		if (i + 8 <= len) {
			memcpy(&x, s + i, 8);
			if ((util_word_ctrl(x) | util_word_eq(x, 0xEF)) == 0) {
				i += 8;
				continue;
			}
		}
#endif
		if ((s[i] >= 0x20 && s[i] != 0xEF) || s[i] == '\t' ||
		    s[i] == '\n') {
			i++;
			continue;
		}
		if (s[i] < 0x20)
			return 0;
		/* 0xEF: U+FFFE and U+FFFF are not XML characters. */
		if (i + 2 < len && s[i + 1] == 0xBF &&
		    (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
			return 0;
		i++;
	}
	return 1;
}

/*
 * Index just past the tag or declaration starting at s[i] ('<'): its '>'
 * outside quotes.  SIZE_MAX when it never ends or holds what libxml2
 * would have to recover from ('<' before the end) or what this scan does
 * not follow (a DOCTYPE's internal subset): lifting stops there.
 */
static size_t
skip_markup(const unsigned char *s, size_t len, size_t i)
{
	/* The bytes that matter; names and plain values go by. */
	static const unsigned char stop[256] = {
		['<'] = 1, ['['] = 1, ['"'] = 1, ['\''] = 1, ['>'] = 1,
	};
	unsigned char q = 0;

	for (i++; i < len; i++) {
		unsigned char c = s[i];

		if (!stop[c])
			continue;
		if (c == '<' || (c == '[' && q == 0))
			return SIZE_MAX;
		if (q != 0) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'')
			q = c;
		else if (c == '>')
			return i + 1;
	}
	return SIZE_MAX;
}

/*
 * Is element text s[0..len) worth lifting, and can it be?  Worth it when
 * it holds a reference (libxml2 hands over the text between two
 * references, and each reference's text, in calls of their own) or a
 * multi-byte character (which sends the rest of the text through
 * libxml2's character-at-a-time path).  It can be when it holds what
 * liftable() allows, no "]]>" (an error in text, and the end of the
 * section it becomes), and only references ref_at() reads.  With
 * references, the text as read is added to dec and *at set to where it
 * starts (else SIZE_MAX); *len_out is the length to hand over, *nl the
 * newlines in s.  One pass, eight bytes at a time between stops.
 */
static int
text_liftable(const unsigned char *s, size_t len, int named,
    struct strbuf *dec, size_t *at, size_t *len_out, size_t *nl)
{
	unsigned char rb[REF_OUT];
	size_t i = 0, done = 0, dec0 = dec->len, k, n;
	int high = 0, refs = 0;

	*nl = 0;
	while (i < len) {
		unsigned c;
#ifdef UTIL_WORDS
		uint64_t x, m;

		if (i + 8 <= len) {
			memcpy(&x, s + i, 8);
			m = util_word_ctrl(x) | util_word_eq(x, '&') |
			    util_word_eq(x, ']') | util_word_eq(x, 0xEF);
			high |= (x & UTIL_WORD_HIGH) != 0;
			if (m == 0) {
				i += 8;
				continue;
			}
			i += (size_t)__builtin_ctzll(m) / 8;
		}
#endif
		c = s[i];
		if (c == '&') {
			if ((k = ref_at(s, len, i, named, rb, &n)) == 0)
				goto no;
			if (!refs)
				strbuf_grow(dec, len);
			refs = 1;
			strbuf_add(dec, s + done, i - done);
			strbuf_add(dec, rb, n);
			i += k;
			done = i;
			continue;
		}
		if (c == ']' && i + 2 < len && s[i + 1] == ']' &&
		    s[i + 2] == '>')
			goto no;
		if (c >= 0x80) {
			high = 1;
			/* U+FFFE and U+FFFF are not XML characters. */
			if (c == 0xEF && i + 2 < len && s[i + 1] == 0xBF &&
			    (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
				goto no;
		} else if (c == '\n')
			(*nl)++;
		else if (c < 0x20 && c != '\t')
			goto no;
		i++;
	}
	if (!refs && !high)
		goto no;
	if (refs) {
		strbuf_add(dec, s + done, len - done);
		*at = dec0;
		*len_out = dec->len - dec0;
	} else {
		*at = SIZE_MAX;
		*len_out = len;
	}
	return 1;
no:
	dec->len = dec0;
	return 0;
}

/* Put the marker of lifted text number idx, and nl newlines. */
static void
add_marker(struct strbuf *out, size_t idx, size_t nl)
{
	char d[24];
	size_t n = 0;

	strbuf_adds(out, LIFT_MARK);
	do
		d[n++] = (char)('0' + idx % 10);
	while ((idx /= 10) > 0);
	while (n > 0)
		strbuf_addc(out, d[--n]);
	while (nl-- > 0)
		strbuf_addc(out, '\n');
}

/* Add lifted text number *n (its text and where it is handed over from). */
static void
add_lifted(struct lifted **v, size_t *cap, size_t *n, const char *text,
    size_t len, size_t dec)
{
	*v = xreallocarray_grow(*v, cap, *n + 1, sizeof(**v));
	(*v)[*n].text = text;
	(*v)[*n].len = len;
	(*v)[*n].dec = dec;
	(*n)++;
}

/*
 * Copy doc to out with the liftable text replaced by markers, and list
 * the texts in *tab (the caller frees it).  A CDATA section keeps its
 * delimiters around the marker.  Element text right after a start tag
 * becomes a CDATA section holding the marker; if it has references, the
 * text they stand for (ref_at(): what libxml2 would have handed over) is
 * added to dec.  Only element content counts: the scan steps over tags
 * (quoted attribute values included), comments, processing instructions
 * and a DOCTYPE without internal subset, and stops at the first thing it
 * cannot follow, leaving the rest to libxml2.  After a DOCTYPE only the
 * five predefined entity names are read here.  Returns the number of
 * texts lifted; 0 leaves out, dec and *tab alone.
 *
 * The scan follows well-formed markup only.  Where libxml2 recovers from
 * an error, it may see as markup what the scan took for text, or the
 * other way round (an XML declaration left open, say), and a marker would
 * show or a section end early: so parse_feed() reads a document in which
 * libxml2 reports any error again, with nothing lifted.
 */
static size_t
lift_text(const char *doc, size_t len, struct strbuf *out,
    struct strbuf *dec, struct lifted **tab)
{
	const unsigned char *u = (const unsigned char *)doc;
	const char *p = doc, *end = doc + len, *copied = doc;
	struct lifted *v = NULL;
	size_t n = 0, cap = 0, k, nl;
	int named = 1;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		size_t at = (size_t)(p - doc), left = len - at, tlen, dat;
		const char *text, *close, *q;

		if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			text = p + 9;
			k = find_seq(u, at + 9, len, "]]>", 3);
			if (k == SIZE_MAX)
				break;	/* libxml2 reports it */
			close = doc + k - 3;
			tlen = (size_t)(close - text);
			p = doc + k;
			if (tlen == 0 || !liftable((const unsigned char *)text,
			    tlen)) {
				if (tlen >= 3 && memcmp(text, LIFT_MARK, 3) == 0)
					goto none;
				continue;
			}
			if (n == 0)
				strbuf_grow(out, len);
			strbuf_add(out, copied, (size_t)(text - copied));
			for (nl = 0, q = text; (q = memchr(q, '\n',
			    (size_t)(close - q))) != NULL; q++)
				nl++;
			add_marker(out, n, nl);
			copied = close;
			add_lifted(&v, &cap, &n, text, tlen, SIZE_MAX);
			continue;
		}
		if (left >= 4 && memcmp(p, "<!--", 4) == 0)
			k = find_seq(u, at + 4, len, "-->", 3);
		else if (left >= 2 && p[1] == '?')
			k = find_seq(u, at + 2, len, "?>", 2);
		else {
			k = skip_markup(u, len, at);
			if (k != SIZE_MAX && p[1] == '!')
				named = 0;	/* a DOCTYPE */
		}
		if (k == SIZE_MAX)
			break;
		p = doc + k;
		if (u[at + 1] == '/' || u[at + 1] == '!' || u[at + 1] == '?' ||
		    u[k - 2] == '/')
			continue;
		/* Element text after a start tag. */
		text = p;
		close = memchr(text, '<', (size_t)(end - text));
		if (close == NULL)
			break;
		if (close == text || !text_liftable((const unsigned char *)text,
		    (size_t)(close - text), named, dec, &dat, &tlen, &nl))
			continue;
		if (n == 0)
			strbuf_grow(out, len);
		strbuf_add(out, copied, (size_t)(text - copied));
		strbuf_adds(out, "<![CDATA[");
		add_marker(out, n, nl);
		strbuf_adds(out, "]]>");
		copied = close;
		add_lifted(&v, &cap, &n, text, tlen, dat);
		p = close;
	}
	if (n == 0) {
		strbuf_reset(dec);
		return 0;
	}
	/* A later section kept may start like a marker. */
	for (; p != NULL && (p = memchr(p, '<', (size_t)(end - p))) != NULL;
	    p++)
		if ((size_t)(end - p) >= 12 &&
		    memcmp(p, "<![CDATA[" LIFT_MARK, 12) == 0)
			goto none;
	strbuf_add(out, copied, (size_t)(end - copied));
	*tab = v;
	return n;
none:
	free(v);
	strbuf_reset(out);
	strbuf_reset(dec);
	return 0;
}

/*
 * Make UTF-8 input safe for libxml2 (see the top of the file).  Returns 0
 * when s needs no change; otherwise fills out and returns 1.  *fix_line
 * receives the line of the first markup error repaired (0: none) and
 * *fix_what what it was; *n_multi counts the well-formed multi-byte
 * sequences and *n_bad the invalid ones.
 */
static int
prescan_utf8(const unsigned char *s, size_t len, struct strbuf *out,
    int *fix_line, const char **fix_what, size_t *n_multi, size_t *n_bad)
{
	size_t i = 0, done = 0, mpos = 0, edge;
	int copied = 0, in_cdata = 0, mstate = MS_TEXT;
	const unsigned char *cls;
	char refbuf[16];

	pthread_once(&prescan_once, prescan_init);
	*fix_line = 0;
	*fix_what = NULL;
	*n_multi = *n_bad = 0;
	edge = cdata_edge(s, len, 0, 0);
	while (i < len) {
		const char *rep = NULL;
		size_t skip = 1, replen = 0;

		if (i > edge)	/* an escape sequence took the edge in */
			edge = cdata_edge(s, len, i, in_cdata);
		cls = prescan_class[in_cdata];
		i = skip_plain(s, edge, i, cls, !in_cdata);
		if (i >= edge) {
			if (edge >= len)
				break;
			in_cdata = !in_cdata;
			i = edge + (in_cdata ? 9 : 3);
			edge = cdata_edge(s, len, i, in_cdata);
			continue;
		}
		switch (cls[s[i]]) {
		case C_AMP: {
			const char *what;

			skip = charref_fix(s, len, i, refbuf, sizeof(refbuf),
			    &replen);
			if (skip != 0) {
				rep = refbuf;
				what = "invalid character reference";
			} else if (valid_reference(s, len, i)) {
				i++;
				continue;
			} else {
				rep = "&amp;";
				replen = 5;
				skip = 1;
				what = "unescaped '&' (read as \"&amp;\")";
			}
			if (markup_state(s, i, &mpos, &mstate) != MS_TEXT) {
				i++;
				continue;
			}
			if (*fix_line == 0) {
				*fix_line = line_at(s, i);
				*fix_what = what;
			}
			break;
		}
		case C_CTRL:
			skip = s[i] == 0x1B ? escape_len(s, len, i) : 1;
			break;
		case C_HIGH: {
			/* Validate one sequence; on error emit U+FFFD. */
			unsigned c = s[i];
			size_t need, k;
			unsigned lo = 0x80, hi = 0xBF;

			if (c >= 0xC2 && c <= 0xDF)
				need = 1;
			else if (c >= 0xE0 && c <= 0xEF) {
				need = 2;
				lo = c == 0xE0 ? 0xA0 : 0x80;
				hi = c == 0xED ? 0x9F : 0xBF;
			} else if (c >= 0xF0 && c <= 0xF4) {
				need = 3;
				lo = c == 0xF0 ? 0x90 : 0x80;
				hi = c == 0xF4 ? 0x8F : 0xBF;
			} else
				need = 0;
			for (k = 1; need && k <= need; k++) {
				if (i + k >= len || s[i + k] < lo ||
				    s[i + k] > hi)
					break;
				lo = 0x80;
				hi = 0xBF;
			}
			if (need && k > need) {
				/* U+FFFE and U+FFFF are not XML characters. */
				if (c == 0xEF && s[i + 1] == 0xBF &&
				    s[i + 2] >= 0xBE) {
					rep = "\xEF\xBF\xBD";
					replen = 3;
					skip = 3;
					break;
				}
				(*n_multi)++;
				i += need + 1;
				continue;
			}
			(*n_bad)++;
			rep = "\xEF\xBF\xBD";
			replen = 3;
			skip = need ? k : 1;
			break;
		}
		default:
			i++;
			continue;
		}
		if (!copied) {
			strbuf_grow(out, len + 64);
			copied = 1;
		}
		strbuf_add(out, s + done, i - done);
		if (rep != NULL)
			strbuf_add(out, rep, replen);
		i += skip;
		done = i;
	}
	if (!copied)
		return 0;
	strbuf_add(out, s + done, len - done);
	return 1;
}

/* The encoding named in the XML declaration, copied into enc. */
static int
xml_decl_encoding(const unsigned char *s, size_t len, char *enc,
    size_t enclen)
{
	size_t n = len < 512 ? len : 512, i, j;
	const char *p;
	char head[513];
	char q;

	memcpy(head, s, n);
	head[n] = '\0';
	for (i = 0; i < n; i++)
		if (head[i] == '\0')
			head[i] = ' ';
	if (strncmp(head, "<?xml", 5) != 0)
		return 0;
	p = strstr(head, "?>");
	if (p != NULL)
		head[p - head] = '\0';
	p = strstr(head, "encoding");
	if (p == NULL)
		return 0;
	p += 8;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p++ != '=')
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	q = *p++;
	if (q != '"' && q != '\'')
		return 0;
	for (j = 0; p[j] && p[j] != q && j + 1 < enclen; j++)
		enc[j] = p[j];
	enc[j] = '\0';
	return j > 0;
}

/* charset=... from a Content-Type header value. */
static int
http_charset(const char *ct, char *enc, size_t enclen)
{
	const char *p;
	size_t j = 0;

	if (ct == NULL || (p = util_strcasestr(ct, "charset")) == NULL)
		return 0;
	p += 7;
	while (*p == ' ')
		p++;
	if (*p++ != '=')
		return 0;
	while (*p == ' ' || *p == '"' || *p == '\'')
		p++;
	while (*p && *p != '"' && *p != '\'' && *p != ';' && *p != ' ' &&
	    j + 1 < enclen)
		enc[j++] = *p++;
	enc[j] = '\0';
	return j > 0;
}

/* Is s well-formed UTF-8 with at least one multi-byte sequence? */
static int
utf8_multibyte(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] < 0x80; i++)
		;
	return i < len && text_utf8_valid((const char *)s + i, len - i);
}

static enum enc
encoding_kind(const char *name)
{
	static const char *const latin[] = { "iso-8859-1", "iso8859-1",
	    "iso_8859-1", "latin1", "latin-1", "l1", "windows-1252",
	    "cp1252", "x-cp1252", "us-ascii", "ascii", "iso-ir-100",
	    "csisolatin1", "ibm819", "cp819", "ansi_x3.4-1968" };
	size_t i;

	if (util_strcasecmp(name, "utf-8") == 0 ||
	    util_strcasecmp(name, "utf8") == 0 ||
	    util_strncasecmp(name, "utf-16", 6) == 0 ||
	    util_strcasecmp(name, "unicode") == 0)
		return ENC_UTF8;	/* UTF-16 without a BOM: it is not */
	for (i = 0; i < UTIL_ARRAY_LEN(latin); i++)
		if (util_strcasecmp(name, latin[i]) == 0)
			return ENC_CP1252;
	return ENC_LIBXML;
}

/* Whether libxml2 (with iconv or ICU) can decode the encoding name. */
static int
encoding_supported(const char *name)
{
	xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);

	if (h == NULL)
		return 0;
	xmlCharEncCloseFunc(h);
	return 1;
}

/* An HTML page rather than a feed, judged from its first bytes. */
static int
looks_like_html_page(const unsigned char *s, size_t len)
{
	size_t i = 0;

	for (;;) {
		while (i < len && isspace(s[i]))
			i++;
		if (i + 4 <= len && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = NULL;
			size_t k;

			for (k = i + 4; k + 3 <= len; k++)
				if (memcmp(s + k, "-->", 3) == 0) {
					e = (const char *)s + k;
					break;
				}
			if (e == NULL)
				return 0;
			i = (size_t)(e - (const char *)s) + 3;
			continue;
		}
		break;
	}
	if (len - i >= 14 && util_strncasecmp((const char *)s + i,
	    "<!doctype html", 14) == 0)
		return 1;
	if (len - i >= 5 && util_strncasecmp((const char *)s + i,
	    "<html", 5) == 0 && (len - i == 5 || s[i + 5] == '>' ||
	    isspace(s[i + 5])))
		return 1;
	return 0;
}

/* ---- the entry point ---------------------------------------------------- */

int
parse_feed(const char *buf, size_t len, const struct parse_opts *opts,
    struct parse_result *res, char *err, size_t errlen)
{
	static const struct parse_opts no_opts;
	const unsigned char *s = (const unsigned char *)buf;
	struct strbuf conv, clean, lift, decoded;
	struct pstate *st = NULL;
	struct lifted *lifted = NULL;
	size_t n_lifted = 0;
	xmlSAXHandler sax;
	const char *doc;
	size_t doclen, i;
	enum enc enc = ENC_UTF8;
	char encname[64] = "", declared[64];
	int xopts, ignore_enc = 0, fix_line = 0, ret = -1;
	const char *fix_what = NULL;
	char enc_note[160] = "";	/* what the decoding had to guess */
	size_t n_multi = 0, n_bad = 0, len0 = len;
	int relift = 0;

	memset(res, 0, sizeof(*res));
	if (opts == NULL)
		opts = &no_opts;
	strbuf_init(&conv);
	strbuf_init(&clean);
	strbuf_init(&lift);
	strbuf_init(&decoded);
	for (i = 0; i < len && (isspace(s[i]) || s[i] == 0); i++)
		;
	if (buf == NULL || i == len) {
		util_seterr(err, errlen, "empty body");
		goto out;
	}
	if (len > INT32_MAX) {
		util_seterr(err, errlen, "document too large");
		goto out;
	}

	/* Choose the decoding: BOM, UTF-16 pattern, declaration, HTTP. */
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		transcode_utf16(s + 2, len - 2, 0, &conv);
		ignore_enc = 1;
	} else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		transcode_utf16(s + 2, len - 2, 1, &conv);
		ignore_enc = 1;
	} else if (len >= 4 && s[0] == '<' && s[1] == 0 && s[2] != 0) {
		transcode_utf16(s, len, 0, &conv);
		ignore_enc = 1;
	} else if (len >= 4 && s[0] == 0 && s[1] == '<') {
		transcode_utf16(s, len, 1, &conv);
		ignore_enc = 1;
	} else if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		s += 3;
		len -= 3;
		ignore_enc = 1;
	} else if (xml_decl_encoding(s, len, encname, sizeof(encname)) ||
	    http_charset(opts->content_type, encname, sizeof(encname))) {
		enc = encoding_kind(encname);
		if (enc == ENC_LIBXML && !encoding_supported(encname)) {
			/* A label nobody knows: the bytes decide, as for
			 * a document without one. */
			snprintf(enc_note, sizeof(enc_note), "unknown "
			    "encoding \"%.60s\": read as UTF-8", encname);
			enc = ENC_UTF8;
		}
		/*
		 * "ISO-8859-1" on bytes that are UTF-8 (PHP's default label
		 * on UTF-8 output): read as Latin-1 they become "CafÃ©".
		 * Multi-byte UTF-8 throughout is no accident in Latin-1.
		 */
		if (enc == ENC_CP1252 && !utf8_multibyte(s, len))
			transcode_cp1252(s, len, &conv);
		else if (enc == ENC_CP1252)
			snprintf(enc_note, sizeof(enc_note), "labelled "
			    "\"%.60s\" but the text is UTF-8: read as UTF-8",
			    encname);
		if (enc == ENC_CP1252)
			enc = ENC_UTF8;
		ignore_enc = enc == ENC_UTF8;
	}
	doc = conv.len ? conv.buf : (const char *)s;
	doclen = conv.len ? conv.len : len;
	if (looks_like_html_page((const unsigned char *)doc, doclen)) {
		util_seterr(err, errlen, "not a feed: HTML page");
		goto out;
	}
	if (enc == ENC_UTF8 && prescan_utf8((const unsigned char *)doc,
	    doclen, &clean, &fix_line, &fix_what, &n_multi, &n_bad)) {
		doc = clean.buf;
		doclen = clean.len;
	}
	if (n_bad > 0 && n_multi == 0 && conv.len == 0) {
		/*
		 * Said (or taken) to be UTF-8, yet not one multi-byte
		 * sequence is: a single-byte encoding, most likely
		 * windows-1252 ("Caf\xe9", smart quotes).  Read it as that
		 * rather than turn every accent into U+FFFD.
		 */
		transcode_cp1252(s, len, &conv);
		strbuf_reset(&clean);
		doc = conv.buf;
		doclen = conv.len;
		ignore_enc = 1;
		if (enc_note[0] != '\0')	/* an unknown label */
			snprintf(enc_note, sizeof(enc_note), "unknown "
			    "encoding \"%.60s\": read as windows-1252",
			    encname);
		else if (encname[0] != '\0')
			snprintf(enc_note, sizeof(enc_note), "labelled "
			    "\"%.60s\" but not UTF-8: read as windows-1252",
			    encname);
		else
			snprintf(enc_note, sizeof(enc_note), "not UTF-8: "
			    "read as windows-1252");
		if (prescan_utf8((const unsigned char *)doc, doclen, &clean,
		    &fix_line, &fix_what, &n_multi, &n_bad)) {
			doc = clean.buf;
			doclen = clean.len;
		}
	}

	/* The markers are UTF-8: only for a document libxml2 reads so. */
	if (enc == ENC_UTF8 && !opts->no_lift && (ignore_enc ||
	    !xml_decl_encoding((const unsigned char *)doc, doclen, declared,
	    sizeof(declared)) || util_strcasecmp(declared, "utf-8") == 0 ||
	    util_strcasecmp(declared, "utf8") == 0))
		n_lifted = lift_text(doc, doclen, &lift, &decoded, &lifted);
	if (n_lifted > 0) {
		doc = lift.buf;
		doclen = lift.len;
	}

	st = xcalloc(1, sizeof(*st));
	st->opts = opts;
	st->lifted = lifted;
	st->n_lifted = n_lifted;
	st->decoded = decoded.buf;
	st->res = res;
	st->max_items = opts->max_items ? opts->max_items : PARSE_MAX_ITEMS;
	st->max_field = opts->max_field ? opts->max_field : PARSE_MAX_FIELD;
	st->raw_cap = st->max_field < SIZE_MAX / 8 ? st->max_field * 8 :
	    st->max_field;
	if (st->raw_cap < 4096)
		st->raw_cap = 4096;
	st->stack[0].base = (char *)opts->feed_url;
	strbuf_init(&st->cap);
	strbuf_init(&st->tags);
	if (enc_note[0] == '\0' && n_bad > 0)
		snprintf(enc_note, sizeof(enc_note), "invalid UTF-8: %zu "
		    "byte sequence%s replaced", n_bad, n_bad == 1 ? "" : "s");
	if (enc_note[0] != '\0') {
		/* The encoding comes first: what follows was read through
		 * it. */
		st->nerrors++;
		st->first_error = xstrdup(enc_note);
	} else if (fix_line) {
		st->nerrors++;
		st->first_error = xasprintf("XML error at line %d: %s",
		    fix_line, fix_what);
	}

	xmlInitParser();
	st->ctxt = xmlCreateMemoryParserCtxt(doc, (int)doclen);
	if (st->ctxt == NULL) {
		util_seterr(err, errlen, "cannot create an XML parser");
		goto out;
	}
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_chars;
	sax.cdataBlock = sax_cdata;
	sax.getEntity = sax_get_entity;
	sax.entityDecl = sax_entity_decl;
	sax.internalSubset = sax_internal_subset;
	sax.serror = sax_error;
	memcpy(st->ctxt->sax, &sax, sizeof(sax));
	st->ctxt->userData = st;
	/* Errors reach sax_error (the context's own handler), not stderr. */
	xopts = XML_PARSE_NONET | XML_PARSE_RECOVER;
	if (ignore_enc)
		xopts |= XML_PARSE_IGNORE_ENC;
	xmlCtxtUseOptions(st->ctxt, xopts);
	if (enc == ENC_LIBXML && encname[0] && !xml_decl_encoding(s, len,
	    encname, sizeof(encname))) {
		/* Only the HTTP header named it: tell libxml2. */
		xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(
		    encname);

		if (h != NULL)
			xmlSwitchToEncoding(st->ctxt, h);
	}
	xmlParseDocument(st->ctxt);
	/*
	 * In SAX mode libxml2 keeps declared entities in a scratch document
	 * ("expat compatibility"); it is freed only when the parse runs to
	 * its end, not when it was stopped.
	 */
	if (st->ctxt->myDoc != NULL) {
		xmlFreeDoc(st->ctxt->myDoc);
		st->ctxt->myDoc = NULL;
	}
	if (st->in_item)
		item_end(st);	/* truncated document: keep what we have */

	if (st->not_feed == 1) {
		util_seterr(err, errlen, "not a feed: HTML page");
		goto out;
	}
	if (st->not_feed) {
		util_seterr(err, errlen, "not a feed: root element <%s>",
		    st->root_name);
		goto out;
	}
	if (!st->root_seen) {
		if (st->first_error != NULL)
			util_seterr(err, errlen, "%s", st->first_error);
		else
			util_seterr(err, errlen, "not a feed: no XML element");
		goto out;
	}
	if (st->nerrors > 0) {
		res->recovered = 1;
		res->warning = st->first_error;
		st->first_error = NULL;
	}
	res->n_lifted = n_lifted;
	ret = 0;
out:
	if (st != NULL) {
		int d;

		/* Lifted text of an ill-formed document: see lift_text. */
		relift = n_lifted > 0 && st->xml_errors > 0;
		if (st->in_item)
			item_end(st);
		for (d = 1; d < MAX_DEPTH; d++)
			if (st->stack[d].base_owned)
				free(st->stack[d].base);
		if (st->ctxt != NULL)
			xmlFreeParserCtxt(st->ctxt);
		text_html_free(st->html);
		strbuf_done(&st->cap);
		for (d = 0; d < (int)st->n_decl; d++) {
			free(st->decl[d].name);
			free(st->decl[d].text);
		}
		free(st->first_error);
		free(st->feed_author);
		free(st->feed_name);
		strbuf_done(&st->tags);
		free(st);
	}
	strbuf_done(&conv);
	strbuf_done(&clean);
	strbuf_done(&lift);
	strbuf_done(&decoded);
	free(lifted);
	if (ret < 0 || relift)
		parse_result_free(res);
	if (relift) {
		struct parse_opts again = *opts;

		again.no_lift = 1;
		return parse_feed(buf, len0, &again, res, err, errlen);
	}
	return ret;
}

void
parse_result_free(struct parse_result *res)
{
	if (res == NULL)
		return;
	item_free_list(res->items);
	free(res->feed_title);
	free(res->feed_link);
	free(res->format);
	free(res->warning);
	memset(res, 0, sizeof(*res));
}

/*
 * item.c - life cycle of the item value type and its JSON/TSV encodings.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "util.h"

struct item *
item_new(void)
{
	struct item *it = xcalloc(1, sizeof(*it));

	it->n_sources = 1;
	it->source_weight = 0.5;
	return it;
}

void
item_annotation_clear(struct item_annotation *ann)
{
	free(ann->analysis);
	memset(ann, 0, sizeof(*ann));
}

void
item_annotation_copy(struct item_annotation *dst,
    const struct item_annotation *src)
{
	if (dst == src)
		return;
	item_annotation_clear(dst);
	*dst = *src;
	dst->analysis = src->analysis ? xstrdup(src->analysis) : NULL;
}

void
item_free(struct item *it)
{
	if (it == NULL)
		return;
	free(it->feed);
	free(it->feed_url);
	free(it->id);
	free(it->title);
	free(it->link);
	free(it->summary);
	free(it->content);
	free(it->author);
	free(it->tags);
	free(it->note);
	item_annotation_clear(&it->ann);
	free(it);
}

void
item_free_list(struct item *head)
{
	while (head != NULL) {
		struct item *n = head->next;
		item_free(head);
		head = n;
	}
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct item *
item_dup(const struct item *it)
{
	struct item *c = xmalloc(sizeof(*c));

	*c = *it;
	c->feed = dup_or_null(it->feed);
	c->feed_url = dup_or_null(it->feed_url);
	c->id = dup_or_null(it->id);
	c->title = dup_or_null(it->title);
	c->link = dup_or_null(it->link);
	c->summary = dup_or_null(it->summary);
	c->content = dup_or_null(it->content);
	c->author = dup_or_null(it->author);
	c->tags = dup_or_null(it->tags);
	c->note = dup_or_null(it->note);
	c->ann.analysis = dup_or_null(it->ann.analysis);
	c->next = NULL;
	return c;
}

void
item_set(char **field, const char *s)
{
	char *n = s ? xstrdup(s) : NULL;

	free(*field);
	*field = n;
}

const char *
item_primary_ticker(const struct item *it)
{
	size_t i;

	for (i = 0; i < it->ann.n_entities; i++)
		if (it->ann.entities[i].role == ITEM_ROLE_PRIMARY &&
		    it->ann.entities[i].ticker[0])
			return it->ann.entities[i].ticker;
	for (i = 0; i < it->ann.n_entities; i++)
		if (it->ann.entities[i].ticker[0])
			return it->ann.entities[i].ticker;
	return NULL;
}

int
item_has_ticker(const struct item *it, const char *ticker)
{
	size_t i;

	for (i = 0; i < it->ann.n_entities; i++)
		if (it->ann.entities[i].ticker[0] &&
		    util_strcasecmp(it->ann.entities[i].ticker, ticker) == 0)
			return 1;
	return 0;
}

static void
add_num(struct strbuf *out, double v, int decimals)
{
	char b[40];
	size_t n;

	if (!isfinite(v))
		v = 0;
	/* Avoid "-0.00". */
	if (fabs(v) < 0.5 * pow(10, -decimals))
		v = 0;
	n = util_fmt_fixed(v, decimals, b, sizeof(b));
	strbuf_add(out, b, n);
}

static void
add_tickers(const struct item_annotation *ann, struct strbuf *out)
{
	size_t i, j, n = 0;

	strbuf_addc(out, '[');
	/* Primary entities first, each symbol once. */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < ann->n_entities; i++) {
			const struct item_entity *e = &ann->entities[i];
			int dup = 0;

			if (!e->ticker[0] || (pass == 0) !=
			    (e->role == ITEM_ROLE_PRIMARY))
				continue;
			for (j = 0; j < i; j++)
				if (strcmp(ann->entities[j].ticker,
				    e->ticker) == 0)
					dup = 1;
			if (dup)
				continue;
			if (n++)
				strbuf_addc(out, ',');
			strbuf_add_json_str(out, e->ticker);
		}
	}
	strbuf_addc(out, ']');
}

static void
add_ann_fields(const struct item_annotation *ann, int extended,
    struct strbuf *out)
{
	size_t i;

	if (!ann->valid) {
		strbuf_adds(out, ",\"tickers\":null,\"impact\":null,"
		    "\"sentiment\":null,\"categories\":null,\"analysis\":null");
		if (extended)
			strbuf_adds(out, ",\"sentiment_label\":null,"
			    "\"impact_parts\":null,\"entities\":null,"
			    "\"event\":null");
		return;
	}
	strbuf_adds(out, ",\"tickers\":");
	add_tickers(ann, out);
	strbuf_adds(out, ",\"impact\":");
	add_num(out, ann->impact, 2);
	strbuf_adds(out, ",\"sentiment\":");
	add_num(out, ann->sentiment, 2);
	strbuf_adds(out, ",\"categories\":[");
	for (i = 0; i < ann->n_categories; i++) {
		if (i)
			strbuf_addc(out, ',');
		strbuf_add_json_str(out, ann->categories[i]);
	}
	strbuf_adds(out, "],\"analysis\":");
	strbuf_add_json_str(out, ann->analysis);
	if (!extended)
		return;
	strbuf_adds(out, ",\"sentiment_label\":");
	strbuf_add_json_str(out, ann->sentiment_label > 0 ? "positive" :
	    ann->sentiment_label < 0 ? "negative" : "neutral");
	strbuf_adds(out, ",\"impact_parts\":{");
	for (i = 0; i < ann->n_parts; i++) {
		if (i)
			strbuf_addc(out, ',');
		strbuf_add_json_str(out, ann->parts[i].name);
		strbuf_addc(out, ':');
		add_num(out, ann->parts[i].value, 3);
	}
	strbuf_adds(out, "},\"entities\":[");
	for (i = 0; i < ann->n_entities; i++) {
		const struct item_entity *e = &ann->entities[i];

		if (i)
			strbuf_addc(out, ',');
		strbuf_adds(out, "{\"name\":");
		strbuf_add_json_str(out, e->name);
		strbuf_adds(out, ",\"ticker\":");
		strbuf_add_json_str(out, e->ticker[0] ? e->ticker : NULL);
		strbuf_adds(out, ",\"role\":");
		strbuf_add_json_str(out, e->role == ITEM_ROLE_PRIMARY ?
		    "primary" : "mentioned");
		strbuf_addc(out, '}');
	}
	strbuf_adds(out, "],\"event\":");
	strbuf_add_json_str(out, ann->event[0] ? ann->event : NULL);
}

void
item_annotation_to_json(const struct item_annotation *ann,
    struct strbuf *out)
{
	strbuf_adds(out, "{\"feed\":null,\"id\":null,\"published\":null,"
	    "\"title\":null,\"link\":null,\"summary\":null");
	add_ann_fields(ann, 1, out);
	strbuf_addc(out, '}');
}

void
item_to_json(const struct item *it, int extended, struct strbuf *out)
{
	char ts[32];

	strbuf_adds(out, "{\"feed\":");
	strbuf_add_json_str(out, it->feed);
	strbuf_adds(out, ",\"id\":");
	strbuf_add_json_str(out, it->id);
	strbuf_adds(out, ",\"published\":");
	if (it->published > 0) {
		util_iso8601(it->published, ts, sizeof(ts));
		strbuf_add_json_str(out, ts);
	} else
		strbuf_adds(out, "null");
	strbuf_adds(out, ",\"title\":");
	strbuf_add_json_str(out, it->title);
	strbuf_adds(out, ",\"link\":");
	strbuf_add_json_str(out, it->link);
	strbuf_adds(out, ",\"summary\":");
	strbuf_add_json_str(out, it->summary);
	add_ann_fields(&it->ann, extended, out);
	if (extended) {
		strbuf_addf(out, ",\"sources\":%d,\"read\":%s,\"starred\":%s",
		    it->n_sources > 0 ? it->n_sources : 1,
		    it->read ? "true" : "false",
		    it->starred ? "true" : "false");
	}
	strbuf_addc(out, '}');
}

static void
add_tsv_field(struct strbuf *out, const char *s)
{
	if (s == NULL)
		return;
	for (; *s; s++)
		strbuf_addc(out, (*s == '\t' || *s == '\n' || *s == '\r') ?
		    ' ' : *s);
}

void
item_to_tsv(const struct item *it, struct strbuf *out)
{
	char ts[32] = "";
	size_t i;
	int n = 0;

	if (it->published > 0)
		util_iso8601(it->published, ts, sizeof(ts));
	strbuf_adds(out, ts);
	strbuf_addc(out, '\t');
	if (it->ann.valid) {
		add_num(out, it->ann.impact, 2);
		strbuf_addc(out, '\t');
		add_num(out, it->ann.sentiment, 2);
	} else
		strbuf_adds(out, "\t");
	strbuf_addc(out, '\t');
	for (i = 0; i < it->ann.n_entities; i++) {
		if (!it->ann.entities[i].ticker[0])
			continue;
		if (n++)
			strbuf_addc(out, ',');
		strbuf_adds(out, it->ann.entities[i].ticker);
	}
	strbuf_addc(out, '\t');
	add_tsv_field(out, it->feed);
	strbuf_addc(out, '\t');
	add_tsv_field(out, it->title);
	strbuf_addc(out, '\t');
	add_tsv_field(out, it->link);
}

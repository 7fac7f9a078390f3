/*
 * fuzz_analyze.c - libFuzzer target: the input is split at the first tab
 * into title and summary and analysed; the annotation must stay in range,
 * and a repeat made from a first report (analyze_item_repeat()) must be
 * exactly the repeat analysed in full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "strbuf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_repeat(const struct analyze_ctx *ctx, const struct analyze_input *in)
{
	struct item first, full;
	size_t i;

	memset(&first, 0, sizeof(first));
	memset(&full, 0, sizeof(full));
	first.title = full.title = (char *)in->title;
	first.summary = full.summary = (char *)in->summary;
	first.source_weight = full.source_weight = in->source_weight;
	analyze_item(ctx, &first, 0);
	analyze_item(ctx, &full, 1);
	analyze_item_repeat(ctx, &first);
	if (first.ann.impact != full.ann.impact ||
	    first.ann.n_parts != full.ann.n_parts ||
	    strcmp(first.ann.analysis, full.ann.analysis) != 0)
		abort();
	for (i = 0; i < first.ann.n_parts; i++)
		if (first.ann.parts[i].value != full.ann.parts[i].value ||
		    strcmp(first.ann.parts[i].name,
		    full.ann.parts[i].name) != 0)
			abort();
	item_annotation_clear(&first.ann);
	item_annotation_clear(&full.ann);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct analyze_ctx *ctx;
	struct analyze_input in;
	struct item_annotation ann;
	struct strbuf sb;
	char *buf, *tab;
	char err[256];

	if (ctx == NULL) {
		setenv("XDG_DATA_HOME", "/nonexistent-deskwire-fuzz", 1);
		ctx = analyze_new(NULL, NULL, err, sizeof(err));
		if (ctx == NULL)
			abort();
	}
	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	tab = memchr(buf, '\t', size);
	if (tab)
		*tab = '\0';
	in.title = buf;
	in.summary = tab ? tab + 1 : NULL;
	in.source_weight = size ? (double)data[0] / 255.0 : 0.5;
	in.repeat = size > 1 ? data[1] & 1 : 0;
	memset(&ann, 0, sizeof(ann));
	analyze_text(ctx, &in, &ann);
	if (!(ann.impact >= 0 && ann.impact <= 1) ||
	    !(ann.sentiment >= -1 && ann.sentiment <= 1) ||
	    ann.n_entities > ITEM_MAX_ENTITIES || ann.analysis == NULL)
		abort();
	strbuf_init(&sb);
	item_annotation_to_json(&ann, &sb);
	strbuf_done(&sb);
	item_annotation_clear(&ann);
	check_repeat(ctx, &in);
	free(buf);
	return 0;
}

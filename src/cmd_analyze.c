/*
 * cmd_analyze.c - `deskwire analyze`: annotate headlines read from stdin.
 *
 * Each input line is `title` or `title<TAB>summary`; exactly one output
 * line is written per input line, in order, also for empty lines.  Lines
 * are read in chunks and cut at LINE_MAX_BYTES (the rest of an over-long
 * line is skipped), invalid UTF-8 becomes U+FFFD and control characters
 * are dropped before the analyzer sees the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "cmd.h"
#include "item.h"
#include "strbuf.h"
#include "util.h"

#define LINE_MAX_BYTES (1u << 20)

/*
 * Read one line (without the newline) into sb, keeping at most max bytes.
 * Returns 0 at end of input with nothing read, 1 otherwise.
 */
static int
read_line(FILE *fp, struct strbuf *sb, size_t max)
{
	char chunk[65536];
	int any = 0;

	strbuf_reset(sb);
	while (fgets(chunk, sizeof(chunk), fp) != NULL) {
		size_t n = strlen(chunk);
		int eol = n > 0 && chunk[n - 1] == '\n';

		any = 1;
		if (eol)
			n--;
		/* fgets stops at NUL bytes too: they are dropped below. */
		if (sb->len < max)
			strbuf_add(sb, chunk, sb->len + n > max ?
			    max - sb->len : n);
		if (eol)
			return 1;
	}
	return any;
}

/* Length of a valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t need, i;
	unsigned long c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((need == 3 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) ||
	    (need == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	/* C1 controls */
	if (need == 2 && c >= 0x80 && c < 0xa0)
		return 0;
	return need;
}

/* Clean s (len bytes) into out: valid UTF-8, no controls, one space. */
static void
clean_text(const char *s, size_t len, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int space = 1;

	strbuf_reset(out);
	while (i < len) {
		size_t l;

		if (p[i] == 0x1b) {
			/* a terminal escape: ESC [ ... final byte */
			i++;
			if (i < len && p[i] == '[') {
				i++;
				while (i < len && !(p[i] >= 0x40 &&
				    p[i] <= 0x7e))
					i++;
			}
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (!space)
				strbuf_addc(out, ' ');
			space = 1;
			i++;
			continue;
		}
		if (p[i] == ' ') {
			if (!space)
				strbuf_addc(out, ' ');
			space = 1;
			i++;
			continue;
		}
		l = utf8_len(p + i, len - i);
		if (l == 0) {
			strbuf_adds(out, "\xef\xbf\xbd");
			i++;
		} else {
			strbuf_add(out, p + i, l);
			i += l;
		}
		space = 0;
	}
	while (out->len > 0 && out->buf[out->len - 1] == ' ')
		out->buf[--out->len] = '\0';
}

static void
text_line(const struct item *it, struct strbuf *out)
{
	size_t i, n = 0;

	strbuf_addf(out, "%.2f\t%+.2f\t%s\t", it->ann.impact,
	    it->ann.sentiment, it->ann.sentiment_label > 0 ? "positive" :
	    it->ann.sentiment_label < 0 ? "negative" : "neutral");
	for (i = 0; i < it->ann.n_entities; i++) {
		if (!it->ann.entities[i].ticker[0])
			continue;
		if (n++)
			strbuf_addc(out, ',');
		strbuf_adds(out, it->ann.entities[i].ticker);
	}
	if (n == 0)
		strbuf_addc(out, '-');
	strbuf_addc(out, '\t');
	strbuf_adds(out, it->title ? it->title : "");
	strbuf_adds(out, "\t[");
	for (i = 0; i < it->ann.n_categories; i++) {
		if (i)
			strbuf_adds(out, "; ");
		strbuf_adds(out, it->ann.categories[i]);
	}
	strbuf_adds(out, "]\t");
	strbuf_adds(out, it->ann.analysis ? it->ann.analysis : "");
}

int
cmd_analyze_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct analyze_ctx *a;
	struct strbuf line, title, summary, out;
	const char *v;
	int i, fmt = CMD_FMT_JSON, r;

	for (i = 1; i < argc; i++) {
		if (cmd_is_help(argv[i])) {
			printf("usage: deskwire analyze [--format json|tsv|"
			    "text]\n\nRead `title` or `title<TAB>summary` "
			    "lines from stdin and print one annotation per "
			    "line, in order.\n");
			return CMD_OK;
		}
		r = cmd_opt_value(argc, argv, &i, "--format", "-f", &v);
		if (r < 0)
			return CMD_USAGE;
		if (r > 0) {
			fmt = cmd_parse_format(v, 1);
			if (fmt < 0)
				return CMD_USAGE;
			continue;
		}
		return cmd_usage_error("analyze", "unknown argument '%s'",
		    argv[i]);
	}
	a = cmd_analyzer(ctx);
	if (a == NULL)
		return CMD_FAIL;
	strbuf_init(&line);
	strbuf_init(&title);
	strbuf_init(&summary);
	strbuf_init(&out);
	while (read_line(stdin, &line, LINE_MAX_BYTES)) {
		struct item it;
		char *tab = memchr(line.buf, '\t', line.len);
		size_t tl = tab ? (size_t)(tab - line.buf) : line.len;

		if (tl > 0 && line.buf[tl - 1] == '\r')
			tl--;
		clean_text(line.buf, tl, &title);
		if (tab)
			clean_text(tab + 1, line.len -
			    (size_t)(tab - line.buf) - 1, &summary);
		memset(&it, 0, sizeof(it));
		it.n_sources = 1;
		it.source_weight = 0.5;
		it.title = title.buf;
		it.summary = tab && summary.len ? summary.buf : NULL;
		analyze_item(a, &it, 0);
		strbuf_reset(&out);
		if (fmt == CMD_FMT_JSON)
			item_to_json(&it, 1, &out);
		else if (fmt == CMD_FMT_TSV)
			item_to_tsv(&it, &out);
		else
			text_line(&it, &out);
		strbuf_addc(&out, '\n');
		fwrite(out.buf, 1, out.len, stdout);
		item_annotation_clear(&it.ann);
	}
	fflush(stdout);
	strbuf_done(&line);
	strbuf_done(&title);
	strbuf_done(&summary);
	strbuf_done(&out);
	analyze_free(a);
	return ferror(stdout) ? CMD_FAIL : CMD_OK;
}

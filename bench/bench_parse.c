/*
 * bench_parse.c - feed parser throughput on an in-memory corpus.
 *
 * Builds 200 feeds x 50 items (RSS 2.0 and Atom 1.0 alternating, plus an
 * RSS 1.0 share) of financial headlines with ~400-byte HTML summaries,
 * then parses the whole corpus several times and prints MiB/s and
 * items/s for each format and overall, for the same corpus and for RSS
 * with CDATA summaries with their text lifted out of libxml2's way and
 * read by libxml2, for the HTML-to-text step
 * alone, and parse + annotate (every item through the analyzer, as the
 * poller does), in MiB of XML per second.  Nothing is asserted: the figures are for comparison within a
 * run; time is process CPU time, which a busy machine disturbs less than
 * the wall clock.  Usage: bench_parse [feeds] [items] [rounds]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>

#include "analyze.h"
#include "parse.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

static const char *const companies[] = { "Amazon", "Apple", "Microsoft",
    "Nvidia", "Tesla", "JPMorgan Chase", "Goldman Sachs", "Exxon Mobil",
    "Pfizer", "AT&T", "Procter & Gamble", "Berkshire Hathaway" };
static const char *const verbs[] = { "beats estimates as", "cuts guidance after",
    "shares jump after", "to acquire rival as", "faces probe over",
    "raises dividend amid" };
static const char *const topics[] = { "AI demand surges",
    "margins shrink", "regulators circle", "cloud sales soar",
    "costs mount", "buyback expands" };
static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
    "Sat", "Sun" };
static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static unsigned long rng = 12345;

static unsigned
rnd(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng >> 33) % n);
}

static void
xml_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			strbuf_adds(sb, "&amp;");
		else if (*s == '<')
			strbuf_adds(sb, "&lt;");
		else if (*s == '>')
			strbuf_adds(sb, "&gt;");
		else
			strbuf_addc(sb, *s);
	}
}

/* An escaped HTML summary of about 400 bytes. */
static void
summary(struct strbuf *sb, const char *co)
{
	struct strbuf h;
	int i;

	strbuf_init(&h);
	strbuf_addf(&h, "<p><b>%s</b> said on %s that quarterly revenue rose "
	    "%u%% to $%u.%ubn, ", co, wd[rnd(7)], 2 + rnd(30), 1 + rnd(90),
	    rnd(10));
	for (i = 0; i < 2; i++)
		strbuf_addf(&h, "while analysts at <a href=\"https://example."
		    "com/a/%u\">Example Research</a> expect %s; ", rnd(9999),
		    topics[rnd(6)]);
	strbuf_addf(&h, "the stock closed %s %u.%u%% &mdash; the most since "
	    "%u.</p><p>Read more&hellip;</p>", rnd(2) ? "up" : "down",
	    rnd(9), rnd(10), 2000 + rnd(24));
	xml_escaped(sb, h.buf);
	strbuf_done(&h);
}

static void
gen_feed(struct strbuf *sb, int fmt, int f, int items)
{
	int i;

	if (fmt == 0)
		strbuf_addf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/"
		    "elements/1.1/\"><channel><title>Wire %d</title><link>"
		    "https://wire%d.example.com/</link><description>Markets"
		    "</description>\n", f, f);
	else if (fmt == 1)
		strbuf_addf(sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Desk %d"
		    "</title><link href=\"https://desk%d.example.com/\"/><id>"
		    "tag:desk%d</id><updated>2024-11-26T12:00:00Z</updated>\n",
		    f, f, f);
	else
		strbuf_addf(sb, "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf="
		    "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns="
		    "\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/"
		    "dc/elements/1.1/\"><channel rdf:about=\"https://rdf%d."
		    "example.org/\"><title>RDF %d</title><link>https://rdf%d."
		    "example.org/</link></channel>\n", f, f, f);
	for (i = 0; i < items; i++) {
		const char *co = companies[rnd(12)];
		struct strbuf t;

		strbuf_init(&t);
		strbuf_addf(&t, "%s %s %s", co, verbs[rnd(6)], topics[rnd(6)]);
		if (fmt == 0) {
			strbuf_adds(sb, "<item><title>");
			xml_escaped(sb, t.buf);
			strbuf_addf(sb, "</title><link>https://wire%d.example."
			    "com/story/%d</link><guid isPermaLink=\"false\">"
			    "wire%d-%d</guid><pubDate>%s, %02u %s 2024 %02u:%02u:"
			    "%02u GMT</pubDate><dc:creator>Markets Desk"
			    "</dc:creator><category>Markets</category>"
			    "<description>", f, i, f, i, wd[rnd(7)],
			    1 + rnd(28), mon[rnd(12)], rnd(24), rnd(60),
			    rnd(60));
			summary(sb, co);
			strbuf_adds(sb, "</description></item>\n");
		} else if (fmt == 1) {
			strbuf_adds(sb, "<entry><title>");
			xml_escaped(sb, t.buf);
			strbuf_addf(sb, "</title><link rel=\"alternate\" type="
			    "\"text/html\" href=\"https://desk%d.example.com/"
			    "s/%d\"/><id>tag:desk%d,2024:%d</id><published>"
			    "2024-%02u-%02uT%02u:%02u:00Z</published><updated>"
			    "2024-11-26T12:00:00Z</updated><author><name>Desk"
			    "</name></author><summary type=\"html\">", f, i, f,
			    i, 1 + rnd(12), 1 + rnd(28), rnd(24), rnd(60));
			summary(sb, co);
			strbuf_adds(sb, "</summary></entry>\n");
		} else {
			strbuf_addf(sb, "<item rdf:about=\"https://rdf%d.example."
			    "org/%d\"><title>", f, i);
			xml_escaped(sb, t.buf);
			strbuf_addf(sb, "</title><link>https://rdf%d.example.org/"
			    "%d</link><dc:date>2024-10-%02uT10:00:00+02:00"
			    "</dc:date><description>", f, i, 1 + rnd(28));
			summary(sb, co);
			strbuf_adds(sb, "</description></item>\n");
		}
		strbuf_done(&t);
	}
	strbuf_adds(sb, fmt == 0 ? "</channel></rss>\n" : fmt == 1 ?
	    "</feed>\n" : "</rdf:RDF>\n");
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const char *const names[3] = { "rss2.0", "atom1.0", "rss1.0" };
	long nfeeds = 200, nitems = 50, rounds = 5;
	struct strbuf *docs;
	size_t bytes[3] = { 0, 0, 0 }, items[3] = { 0, 0, 0 };
	double secs[3] = { 0, 0, 0 }, tb = 0, ts = 0, ti = 0;
	struct parse_opts o;
	struct text_html *h;
	long f, r;
	int k;

	if (argc > 1)
		util_parse_long(argv[1], 1, 100000, &nfeeds);
	if (argc > 2)
		util_parse_long(argv[2], 1, 10000, &nitems);
	if (argc > 3)
		util_parse_long(argv[3], 1, 1000, &rounds);
	xmlInitParser();
	docs = xcalloc((size_t)nfeeds, sizeof(*docs));
	for (f = 0; f < nfeeds; f++) {
		strbuf_init(&docs[f]);
		/* 45% RSS 2.0, 40% Atom, 15% RSS 1.0. */
		gen_feed(&docs[f], f % 20 < 9 ? 0 : f % 20 < 17 ? 1 : 2,
		    (int)f, (int)nitems);
	}
	memset(&o, 0, sizeof(o));
	o.feed_name = "bench";
	o.feed_url = "https://example.com/feed";
	o.fetch_time = 1732600000;
	for (r = 0; r < rounds; r++) {
		for (f = 0; f < nfeeds; f++) {
			struct parse_result res;
			char err[256];
			int fmt = f % 20 < 9 ? 0 : f % 20 < 17 ? 1 : 2;
			double t0 = now_s();

			if (parse_feed(docs[f].buf, docs[f].len, &o, &res, err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "bench_parse: %s\n", err);
				return 1;
			}
			secs[fmt] += now_s() - t0;
			bytes[fmt] += docs[f].len;
			items[fmt] += res.n_items;
			parse_result_free(&res);
		}
	}
	printf("bench_parse: %ld feeds x %ld items, %ld rounds\n", nfeeds,
	    nitems, rounds);
	for (k = 0; k < 3; k++) {
		if (secs[k] <= 0)
			continue;
		printf("  %-8s %8.1f MiB/s %10.0f items/s\n", names[k],
		    (double)bytes[k] / secs[k] / 1048576.0,
		    (double)items[k] / secs[k]);
		tb += (double)bytes[k];
		ti += (double)items[k];
		ts += secs[k];
	}
	printf("  %-8s %8.1f MiB/s %10.0f items/s\n", "overall",
	    tb / ts / 1048576.0, ti / ts);

	/*
	 * The same corpus (escaped HTML summaries, as most feeds write them)
	 * with its text lifted out of libxml2's way, and read by libxml2.
	 */
	{
		double sec[2] = { 0, 0 }, total = 0;
		int keep;

		for (r = 0; r < rounds; r++)
			for (f = 0; f < nfeeds; f++)
				for (keep = 0; keep < 2; keep++) {
					struct parse_result res;
					char err[256];
					double t0;

					o.no_lift = keep;
					t0 = now_s();
					if (parse_feed(docs[f].buf, docs[f].len,
					    &o, &res, err, sizeof(err)) < 0) {
						fprintf(stderr, "bench_parse: "
						    "%s\n", err);
						return 1;
					}
					sec[keep] += now_s() - t0;
					parse_result_free(&res);
					if (keep == 0)
						total += (double)docs[f].len;
				}
		o.no_lift = 0;
		printf("  escaped summaries: %.1f MiB/s lifted, %.1f MiB/s read "
		    "by libxml2 (%.2fx)\n", total / sec[0] / 1048576.0,
		    total / sec[1] / 1048576.0, sec[1] / sec[0]);
	}

	/*
	 * RSS 2.0 with the summaries in CDATA sections (unescaped HTML with
	 * a few non-ASCII characters, as many feeds write them), parsed with
	 * the sections lifted out of libxml2's way and read by libxml2.
	 */
	{
		struct strbuf cd;
		double t0, sec[2] = { 0, 0 };
		long i;
		int keep;

		strbuf_init(&cd);
		strbuf_adds(&cd, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<rss version=\"2.0\"><channel><title>CDATA</title>\n");
		for (i = 0; i < nitems; i++)
			strbuf_addf(&cd, "<item><title><![CDATA[%s \xe2\x80\x94 "
			    "%s]]></title><guid>cd-%ld</guid><description>"
			    "<![CDATA[<p><b>%s</b> said revenue rose %u%% to "
			    "\xe2\x82\xac%u.%ubn; analysts at <a href=\"https://"
			    "example.com/a/%u\">Example</a> expect %s.</p>\n<p>"
			    "The stock closed %s %u.%u%% \xe2\x80\x94 the most "
			    "since %u, after the company said it would %s.</p>"
			    "]]></description></item>\n", companies[rnd(12)],
			    topics[rnd(6)], i, companies[rnd(12)], 2 + rnd(30),
			    1 + rnd(90), rnd(10), rnd(9999), topics[rnd(6)],
			    rnd(2) ? "up" : "down", rnd(9), rnd(10),
			    2000 + rnd(24), verbs[rnd(6)]);
		strbuf_adds(&cd, "</channel></rss>\n");
		for (r = 0; r < rounds * 20; r++)
			for (keep = 0; keep < 2; keep++) {
				struct parse_result res;
				char err[256];

				o.no_lift = keep;
				t0 = now_s();
				if (parse_feed(cd.buf, cd.len, &o, &res, err,
				    sizeof(err)) < 0) {
					fprintf(stderr, "bench_parse: %s\n",
					    err);
					return 1;
				}
				sec[keep] += now_s() - t0;
				parse_result_free(&res);
			}
		o.no_lift = 0;
		printf("  CDATA summaries: %.1f MiB/s lifted, %.1f MiB/s read "
		    "by libxml2 (%.2fx)\n", (double)cd.len * (double)rounds *
		    20 / sec[0] / 1048576.0, (double)cd.len * (double)rounds *
		    20 / sec[1] / 1048576.0, sec[1] / sec[0]);
		strbuf_done(&cd);
	}

	/* The HTML-to-text step alone, on one summary. */
	{
		struct strbuf sb;
		double t0;
		size_t n = 20000, i, total = 0;
		char *s;

		strbuf_init(&sb);
		summary(&sb, "Amazon");
		s = text_clean(sb.buf, sb.len, 0, 0);
		/* Undo the XML escaping: the converter sees HTML. */
		strbuf_reset(&sb);
		{
			struct strbuf raw;

			strbuf_init(&raw);
			summary(&raw, "Amazon");
			for (i = 0; i < raw.len; i++) {
				if (strncmp(raw.buf + i, "&lt;", 4) == 0) {
					strbuf_addc(&sb, '<');
					i += 3;
				} else if (strncmp(raw.buf + i, "&gt;", 4) == 0) {
					strbuf_addc(&sb, '>');
					i += 3;
				} else if (strncmp(raw.buf + i, "&amp;", 5) == 0) {
					strbuf_addc(&sb, '&');
					i += 4;
				} else
					strbuf_addc(&sb, raw.buf[i]);
			}
			strbuf_done(&raw);
		}
		free(s);
		h = text_html_new();
		t0 = now_s();
		for (i = 0; i < n; i++) {
			s = text_html_convert(h, sb.buf, sb.len, 65536, 0);
			total += strlen(s);
			free(s);
		}
		printf("  html->text: %.0f fragments/s (%zu bytes each, "
		    "%zu out)\n", (double)n / (now_s() - t0), sb.len,
		    total / n);
		text_html_free(h);
		strbuf_done(&sb);
	}

	/* Parse + annotate: what the poller's parse thread does. */
	{
		struct analyze_ctx *a;
		struct item *it;
		char err[512];
		double t0, sec, best = 0, total = 0;
		size_t nb = 0, ni = 0;

		if ((a = analyze_new(NULL, NULL, err, sizeof(err))) == NULL) {
			fprintf(stderr, "bench_parse: %s\n", err);
			return 1;
		}
		/* Each round alone: the best is the code's speed, the mean
		 * what the machine allowed. */
		for (r = 0; r < rounds; r++) {
			nb = ni = 0;
			t0 = now_s();
			for (f = 0; f < nfeeds; f++) {
				struct parse_result res;

				if (parse_feed(docs[f].buf, docs[f].len, &o,
				    &res, err, sizeof(err)) < 0) {
					fprintf(stderr, "bench_parse: %s\n",
					    err);
					return 1;
				}
				for (it = res.items; it != NULL; it = it->next)
					analyze_item(a, it, 0);
				nb += docs[f].len;
				ni += res.n_items;
				parse_result_free(&res);
			}
			sec = now_s() - t0;
			total += sec;
			if (best == 0 || sec < best)
				best = sec;
		}
		printf("  parse+annotate %.1f MiB/s of XML, %.0f items/s "
		    "(best of %ld rounds; mean %.1f MiB/s)\n",
		    (double)nb / best / 1048576.0, (double)ni / best, rounds,
		    (double)nb * (double)rounds / total / 1048576.0);
		analyze_free(a);
	}
	for (f = 0; f < nfeeds; f++)
		strbuf_done(&docs[f]);
	free(docs);
	return 0;
}

/*
 * bench_sentiment.c - sentiment quality on the labelled sets: accuracy and
 * macro-F1 (positive / negative / neutral) overall and by annotator
 * agreement, for the development set (tests/data/sentiment_dev.tsv, the
 * one the lexicon was written against) and the held-out sets (heldout and
 * fresh, whose misses later guided rule changes, blind and blind2; see
 * data/README.md).  Prints, never asserts;
 * tests/test_sentiment.c holds the floors.
 *
 * Usage: bench_sentiment [FILE.tsv ...]   (default: all five sets)
 * BENCH_VERBOSE=1 also lists every miss with its score.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "util.h"

struct conf3 {
	long m[3][3];	/* gold x predicted, index label + 1 */
};

static int
label_of(const char *s)
{
	return strcmp(s, "positive") == 0 ? 1 : strcmp(s, "negative") == 0 ?
	    -1 : 0;
}

static void
report(const char *set, const char *name, const struct conf3 *c)
{
	long tot = 0, ok = 0;
	double f1 = 0;
	int k, j;

	for (k = 0; k < 3; k++)
		for (j = 0; j < 3; j++) {
			tot += c->m[k][j];
			if (k == j)
				ok += c->m[k][j];
		}
	for (k = 0; k < 3; k++) {
		long tp = c->m[k][k], fp = 0, fn = 0;
		double p, r;

		for (j = 0; j < 3; j++)
			if (j != k) {
				fp += c->m[j][k];
				fn += c->m[k][j];
			}
		p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
		r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
		f1 += p + r > 0 ? 2 * p * r / (p + r) : 0;
	}
	printf("%-9s %-8s n=%-4ld accuracy %.3f  macro-F1 %.3f\n", set, name,
	    tot, tot ? (double)ok / (double)tot : 0, f1 / 3);
}

static int
eval(const struct analyze_ctx *a, const char *path, int verbose)
{
	char *buf, err[256], *p, *nl, set[32];
	const char *base;
	size_t len;
	struct conf3 all, agree_all, agree_most;

	if (util_read_file(path, 1 << 24, &buf, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_sentiment: %s\n", err);
		return -1;
	}
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strncmp(base, "sentiment_", 10) == 0)
		base += 10;
	util_strlcpy(set, base, sizeof(set));
	if ((p = strchr(set, '.')) != NULL)
		*p = '\0';
	memset(&all, 0, sizeof(all));
	agree_all = agree_most = all;
	for (p = buf; p && *p; p = nl) {
		char *f1, *f2;
		struct analyze_input in = { 0 };
		struct item_annotation ann = { 0 };
		int gold, pred;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if (*p == '#' || (f1 = strchr(p, '\t')) == NULL ||
		    (f2 = strchr(f1 + 1, '\t')) == NULL)
			continue;
		*f1++ = '\0';
		*f2++ = '\0';
		gold = label_of(p);
		in.title = f2;
		in.source_weight = 0.5;
		analyze_text(a, &in, &ann);
		pred = ann.sentiment_label;
		if (verbose && pred != gold)
			printf("  %s gold %+d got %+d (%+.2f) %s\n", f1, gold,
			    pred, ann.sentiment, f2);
		all.m[gold + 1][pred + 1]++;
		if (strcmp(f1, "all") == 0)
			agree_all.m[gold + 1][pred + 1]++;
		else
			agree_most.m[gold + 1][pred + 1]++;
		item_annotation_clear(&ann);
	}
	report(set, "overall", &all);
	report(set, "a=all", &agree_all);
	report(set, "a=most", &agree_most);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const def[] = {
		"tests/data/sentiment_dev.tsv",
		"tests/data/sentiment_heldout.tsv",
		"tests/data/sentiment_fresh.tsv",
		"tests/data/sentiment_blind.tsv",
		"tests/data/sentiment_blind2.tsv",
	};
	int verbose = getenv("BENCH_VERBOSE") != NULL, rc = 0, i;
	struct analyze_ctx *a;
	char err[512];

	/* the built-in lexicon only, not one the user installed */
	setenv("XDG_DATA_HOME", "/nonexistent-deskwire-bench", 1);
	a = analyze_new(NULL, NULL, err, sizeof(err));
	if (a == NULL) {
		fprintf(stderr, "analyze_new: %s\n", err);
		return 1;
	}
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (eval(a, argv[i], verbose) < 0)
				rc = 1;
	} else {
		for (i = 0; i < (int)UTIL_ARRAY_LEN(def); i++)
			if (eval(a, def[i], verbose) < 0)
				rc = 1;
	}
	analyze_free(a);
	return rc;
}

/*
 * cmd_reanalyze.c - `deskwire reanalyze [--all]`: re-run the analyzer over
 * stored items made by an older analyzer version (or every item), in
 * batches, each batch one transaction: an interrupted run keeps what it
 * finished and the next run continues from there.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

/* sig_atomic_t is int on the platforms we build for; store_reanalyze()
 * takes an int flag so that a thread can cancel it too. */
_Static_assert(sizeof(sig_atomic_t) == sizeof(int), "int signal flag");
static volatile int stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
annotate(void *arg, struct item *it, int repeat)
{
	analyze_item(arg, it, repeat);
}

int
cmd_reanalyze_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct analyze_ctx *a;
	struct sigaction sa, old_int, old_term;
	struct store *s;
	char err[1024];
	long done = 0;
	int i, all = 0, rc = CMD_OK;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (argv[i][0] == '-')
			return cmd_usage_error("reanalyze", "unknown option "
			    "'%s'", argv[i]);
		else
			return cmd_usage_error("reanalyze", "unexpected "
			    "argument '%s'", argv[i]);
	}
	if ((a = cmd_analyzer(ctx)) == NULL)
		return CMD_FAIL;
	if ((s = cmd_open_store(ctx, 0)) == NULL) {
		analyze_free(a);
		return CMD_FAIL;
	}
	if (store_is_readonly(s)) {
		fprintf(stderr, "deskwire reanalyze: %s: the database is "
		    "read-only\n", store_path(s));
		store_close(s);
		analyze_free(a);
		return CMD_FAIL;
	}

	/* Ctrl-C stops between batches; finished batches stay saved. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (store_reanalyze(s, ANALYZE_VERSION, all, annotate, a, &stop,
	    &done, err, sizeof(err)) < 0) {
		fprintf(stderr, "deskwire reanalyze: %s\n", err);
		rc = CMD_FAIL;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	printf("reanalyzed %ld item%s%s\n", done, done == 1 ? "" : "s",
	    stop ? " (interrupted; run again to continue)" : "");
	if (stop && rc == CMD_OK)
		rc = CMD_FAIL;
	store_close(s);
	analyze_free(a);
	return rc;
}

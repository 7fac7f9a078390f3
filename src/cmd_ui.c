/*
 * cmd_ui.c - `deskwire [ui] [--demo]`: open the UI's store connection,
 * start the poller (or, with --demo, the demo stream) on a thread of its
 * own feeding an item queue, run the dashboard, then shut down in order:
 * close the queue (a producer blocked on it returns), stop the producer,
 * free the rest.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "demo.h"
#include "itemq.h"
#include "log.h"
#include "poller.h"
#include "ui.h"
#include "util.h"

int
cmd_ui_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ui_opts o;
	struct itemq *q = NULL;
	struct analyze_ctx *an = NULL;
	struct demo *demo = NULL;
	char err[512], notice[1024] = "", *db = NULL;
	sigset_t all, old;
	int i, rc = CMD_FAIL;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			ctx->demo = 1;
		else
			return cmd_usage_error("ui", "unknown argument '%s'",
			    argv[i]);
	}
	memset(&o, 0, sizeof(o));
	o.conf = &ctx->conf;
	o.demo = ctx->demo;
	db = cmd_db_path(ctx);
	if (db == NULL) {
		fprintf(stderr, "deskwire: no database path: set HOME, "
		    "XDG_DATA_HOME, --db or `database` in feeds.conf\n");
		goto out;
	}
	o.store = store_open(db, 0, err, sizeof(err));
	if (o.store == NULL) {
		if (!ctx->demo) {
			fprintf(stderr, "deskwire: %s\n", err);
			goto out;
		}
		log_warn("%s", err);
		snprintf(notice, sizeof(notice), "no database (%s): the demo "
		    "runs in memory", err);
	}
	an = analyze_new(&ctx->conf, getenv("DESKWIRE_DATA"), err,
	    sizeof(err));
	if (an == NULL) {
		log_warn("analyzer: %s", err);
		snprintf(notice, sizeof(notice), "analyzer unavailable: %s",
		    err);
	}
	q = itemq_new(4096, err, sizeof(err));
	if (q == NULL) {
		fprintf(stderr, "deskwire: %s\n", err);
		goto out;
	}
	o.q = q;

	/* Producer threads must not take the UI's signals. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (ctx->demo) {
		demo = demo_start(o.store ? db : NULL, an, q, err,
		    sizeof(err));
		if (demo == NULL)
			snprintf(notice, sizeof(notice), "demo: %s", err);
	} else if (an == NULL) {
		/* Already noted: nothing to poll with. */
	} else if (ctx->conf.n_feeds == 0) {
		snprintf(notice, sizeof(notice), "no feeds configured: add "
		    "feed URLs to %s, or try `deskwire --demo`",
		    ctx->conf_path ? ctx->conf_path : "feeds.conf");
	} else {
		if (store_sync_feeds(o.store, &ctx->conf, err,
		    sizeof(err)) < 0)
			log_warn("%s", err);
		o.poller = poller_start(&ctx->conf, db, an, q, 0, err,
		    sizeof(err));
		if (o.poller == NULL)
			snprintf(notice, sizeof(notice), "not polling: %s",
			    err);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	o.notice = notice[0] ? notice : NULL;

	if (ui_run(&o, err, sizeof(err)) < 0) {
		fprintf(stderr, "deskwire: %s\n", err);
		goto out;
	}
	rc = CMD_OK;
out:
	if (q != NULL)
		itemq_close(q);
	demo_stop(demo);
	poller_stop(o.poller);
	itemq_free(q);
	analyze_free(an);
	if (o.store != NULL)
		store_close(o.store);
	free(db);
	return rc;
}

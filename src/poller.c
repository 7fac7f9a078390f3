/*
 * poller.c - the ingest thread.
 *
 * One thread owns a struct fetch (whose network thread runs the libcurl
 * transfers), its own store connection and the polling state of every
 * configured feed.  Each turn of its loop queues the transfers of the
 * feeds that are due, then waits in fetch_run() until a transfer
 * finishes, the next feed falls due, or another thread calls
 * poller_refresh()/poller_stop() (which wake it).  A finished transfer
 * is handled right there: a 304 only saves the polling state; a 200 is
 * parsed, and store_ingest() dedupes, has the analyzer annotate only new
 * or changed items, and writes the feed, all or nothing.  Failures are
 * kept in words, and the feed backs off exponentially (or as Retry-After
 * says) without touching the others.  On a new database, whose feeds are
 * all due and have no validators, the transfers and the parse thread
 * start first and the store creates its tables meanwhile.
 *
 * Writes are grouped: the feeds that finish close together share one
 * store batch (one transaction), committed when
 * nothing else is in flight, at BATCH_ITEMS items or BATCH_MS after it
 * began, whichever comes first; a commit per feed cost more than the
 * feed's whole ingest.  A finished feed is only published (its state,
 * its fresh items to the itemq, whose blocking push is the backpressure)
 * once its batch is committed, so what the UI or `fetch --once` gets is
 * stored; if the commit fails, every feed of the batch is reported as
 * failed and polled again.
 *
 * Parsing and analysis run on a second thread, so that they overlap with
 * the transfers and the store writes of other feeds: a finished 200 is
 * copied into a parse job; the parse worker turns it into annotated items
 * and wakes the multi handle; the poller thread collects the job and
 * ingests it.  Bodies waiting or parsed but not yet stored are capped at
 * PARSE_QUEUE_BYTES (one job always fits): over the cap, the poller thread
 * waits for the worker, which keeps memory flat on a cold start.  The
 * worker annotates as if the item were a first report; the store callback
 * annotates again only an item that repeats a stored story.  The worker
 * cannot see the store, so an item already stored unchanged is annotated
 * too and the result dropped (about 3 us an item, off the poller thread).
 * If the worker cannot be started, jobs are done in line.
 *
 * Other threads see the feeds through poller_feeds(): the thread builds
 * each new state in a local struct and swaps it in under the lock.
 *
 * With analysis_cmd set, fresh items at or above analysis_threshold also
 * go to a small pool of analysis_jobs worker threads (at most XJOBS_MAX
 * waiting; beyond that they are skipped), because one run may take up to
 * analysis_timeout and must not hold up the feeds.  Results come back to
 * the poller thread, which owns the store: it saves the annotation and
 * pushes the item again as an update.  In once mode an item waits for
 * its analysis instead, so what is printed is complete.  The pool has its
 * own copy of the settings and is freed by its last user, so stopping the
 * poller never waits for a slow analysis program.
 */
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extanalysis.h"
#include "fetch.h"
#include "log.h"
#include "parse.h"
#include "poller.h"
#include "store.h"
#include "strbuf.h"
#include "util.h"

#define PASSIVE_RETRY 30		/* seconds between lock attempts */
#define MAX_BACKOFF (6 * 3600)		/* seconds */
#define MAX_BACKOFF_SHIFT 3		/* at most 8x the refresh */
#define GC_EVERY (24 * 3600)
#define XJOBS_MAX 256			/* analyses waiting or running */
/* Written items per commit, at most.  They wait in memory until it (an
 * item with its annotation is about 4 KiB): 1000 keeps the peak of a
 * first fetch of 20,000 items near 57 MiB, where 2000 took 61 MiB for no
 * measurable gain in time. */
#define BATCH_ITEMS 1000
#define BATCH_MS 200			/* the oldest uncommitted write's age */
#define INDEX_CHUNK 2000		/* items put in the search index per
					 * transaction between polls */
#define PARSE_QUEUE_BYTES (1L << 20)	/* bodies waiting or unstored */

struct xjob {
	struct item *it;	/* owned */
	char *out;		/* the analysis, or NULL */
	char err[256];
	struct xjob *next;
};

/* The analysis workers' shared state (see the top of the file). */
struct xpool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct conf c;		/* analysis settings only */
	struct fetch *wake;	/* NULL once the poller has gone */
	struct xjob *todo, **todo_tail, *done, **done_tail;
	size_t n_out;		/* submitted and not yet collected */
	int stop;
	int refs;		/* workers + the poller */
};

struct pfeed {
	const struct conf_feed *cf;
	struct poller_feed pub;	/* written under p->lock */
	int want;		/* poller_refresh() asked for it */
};

/* A finished feed waiting for its batch to commit. */
struct pending {
	struct pfeed *pf;
	struct store_feed st;	/* its new state */
	int ok;
	int wrote;		/* items ingested in the batch (ok 200) */
	long n_new;
	struct item *fresh;	/* to hand on after the commit */
	struct pending *next;
};

/* A 200 on its way through the parse worker. */
struct pjob {
	struct pending *pd;	/* owned until collected */
	char *body;		/* owned; NULL once parsed */
	size_t len;
	char *effective_url, *content_type, *etag, *last_modified;
	time_t now;
	struct parse_result pr;	/* the worker's result */
	int rc;			/* 0, or -1 with msg */
	char msg[512];
	struct pjob *next;
};

/* The parse worker's queues (see the top of the file). */
struct pwork {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* todo grew, stop set, or bytes fell */
	pthread_t thread;
	int running;		/* the thread was started */
	int stop;
	int warm;		/* build the analyzer first (set before start) */
	struct pjob *todo, **todo_tail, *done, **done_tail;
	size_t n_out;		/* submitted and not yet collected */
	long bytes;		/* their body bytes */
};

struct poller {
	const struct conf *c;
	char *db_path;
	const struct analyze_ctx *actx;	/* via analyzer() */
	struct analyze_ctx *own_actx;	/* built here (poller_start_lazy) */
	char *data_dir;			/* for it */
	int lazy;			/* 1 until it is built or failed */
	pthread_mutex_t alock;		/* guards the three above */
	struct itemq *q;
	int flags;
	pthread_t thread;
	struct fetch *fetch;
	struct store *store;
	struct pfeed *feeds;
	size_t n_feeds;
	unsigned int seed;	/* jitter; poller thread only */
	time_t next_gc;
	int cancel;		/* store_reanalyze(); poller thread only */
	struct xpool *xp;	/* NULL without analysis_cmd */
	struct pending *pend, **pend_tail;	/* poller thread only */
	struct pwork pw;
	int64_t batch_t0;	/* when the open batch began (ms) */
	int index_more;		/* items may wait for the search index */

	pthread_mutex_t lock;	/* guards what follows and feeds[].pub */
	int stop;
	int refresh_all;
	struct conf_strv refresh_urls;
	long long *analyze_ids;	/* poller_analyze() requests */
	size_t n_analyze;
	int passive;
	char error[512];
};

static int
stopping(struct poller *p)
{
	int s;

	pthread_mutex_lock(&p->lock);
	s = p->stop;
	pthread_mutex_unlock(&p->lock);
	return s;
}

static void
set_error(struct poller *p, const char *msg)
{
	pthread_mutex_lock(&p->lock);
	util_strlcpy(p->error, msg, sizeof(p->error));
	pthread_mutex_unlock(&p->lock);
	log_error("poller: %s", msg);
}

static char *
dupn(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
feed_copy(struct store_feed *dst, const struct store_feed *src)
{
	*dst = *src;
	dst->url = dupn(src->url);
	dst->name = dupn(src->name);
	dst->etag = dupn(src->etag);
	dst->last_modified = dupn(src->last_modified);
	dst->last_error = dupn(src->last_error);
	dst->warning = dupn(src->warning);
}

static long
feed_refresh(const struct poller *p, const struct pfeed *pf)
{
	if (pf->cf->refresh > 0)
		return pf->cf->refresh;
	return p->c->refresh > 0 ? p->c->refresh : 15 * 60;
}

/* d +/- 10%, so feeds with the same interval drift apart. */
static time_t
jitter(struct poller *p, long d)
{
	double r = (double)rand_r(&p->seed) / ((double)RAND_MAX + 1.0);
	long j = (long)((double)d * (0.9 + 0.2 * r));

	return j > 1 ? j : 1;
}

/* The wait after `failures` consecutive failures: the refresh interval,
 * doubling each time, at most 8x and at most 6 h (unless the interval
 * itself is longer). */
static long
backoff(long refresh, int failures)
{
	int shift = failures > 1 ? failures - 1 : 0;
	long d;

	if (shift > MAX_BACKOFF_SHIFT)
		shift = MAX_BACKOFF_SHIFT;
	d = refresh << shift;
	if (d > MAX_BACKOFF)
		d = refresh > MAX_BACKOFF ? refresh : MAX_BACKOFF;
	return d;
}

/* Swap in the new state of pf (takes ownership of st). */
static void
publish(struct poller *p, struct pfeed *pf, struct store_feed *st, int ok,
    long n_new)
{
	pthread_mutex_lock(&p->lock);
	store_feed_clear(&pf->pub.st);
	pf->pub.st = *st;
	pf->pub.ok = ok;
	pf->pub.n_new = n_new;
	pf->pub.busy = 0;
	pf->pub.polled = 1;
	pthread_mutex_unlock(&p->lock);
	memset(st, 0, sizeof(*st));
	itemq_notify(p->q);
}

static void
set_success(struct poller *p, struct pfeed *pf, struct store_feed *st,
    time_t now)
{
	st->failures = 0;
	st->last_success = now;
	free(st->last_error);
	st->last_error = NULL;
	st->next_due = now + jitter(p, feed_refresh(p, pf));
}

static void
set_failure(struct poller *p, struct pfeed *pf, struct store_feed *st,
    time_t now, const char *msg, long retry_after)
{
	free(st->last_error);
	st->last_error = xstrdup(msg);
	st->failures++;
	if (retry_after > 0 && (st->http_status == 429 ||
	    st->http_status == 503))
		st->next_due = now + retry_after;
	else
		st->next_due = now + jitter(p, backoff(feed_refresh(p, pf),
		    st->failures));
}

static void
replace(char **field, const char *v)
{
	if (v == NULL)
		return;
	free(*field);
	*field = xstrdup(v);
}

/*
 * The analyzer, built on first use by poller_start_lazy(): a poll that
 * only gets 304s never pays for the dictionary.  If it cannot be built,
 * the poller stops with the error rather than store items unannotated.
 */
static const struct analyze_ctx *
analyzer(struct poller *p)
{
	const struct analyze_ctx *a;
	char err[512], msg[600];

	pthread_mutex_lock(&p->alock);
	if (p->lazy) {
		p->lazy = 0;
		p->own_actx = analyze_new(p->c, p->data_dir, err,
		    sizeof(err));
		p->actx = p->own_actx;
		if (p->actx == NULL) {
			pthread_mutex_unlock(&p->alock);
			snprintf(msg, sizeof(msg), "analyzer: %s", err);
			set_error(p, msg);
			pthread_mutex_lock(&p->lock);
			p->stop = 1;
			pthread_mutex_unlock(&p->lock);
			fetch_wakeup(p->fetch);
			return NULL;
		}
	}
	a = p->actx;
	pthread_mutex_unlock(&p->alock);
	return a;
}

static void
annotate(void *arg, struct item *it, int repeat)
{
	struct poller *p = arg;
	const struct analyze_ctx *a = analyzer(p);

	if (a != NULL)
		analyze_item(a, it, repeat);
}

/* ---- external analysis --------------------------------------------- */

static void
xjob_free(struct xjob *j)
{
	item_free(j->it);
	free(j->out);
	free(j);
}

static void
xpool_unref(struct xpool *xp)
{
	struct xjob *j, *n;
	int last;

	pthread_mutex_lock(&xp->lock);
	last = --xp->refs == 0;
	pthread_mutex_unlock(&xp->lock);
	if (!last)
		return;
	for (j = xp->todo; j != NULL; j = n) {
		n = j->next;
		xjob_free(j);
	}
	for (j = xp->done; j != NULL; j = n) {
		n = j->next;
		xjob_free(j);
	}
	conf_free(&xp->c);
	pthread_cond_destroy(&xp->cond);
	pthread_mutex_destroy(&xp->lock);
	free(xp);
}

static void *
xworker(void *arg)
{
	struct xpool *xp = arg;
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&xp->lock);
	for (;;) {
		struct xjob *j;

		while (!xp->stop && xp->todo == NULL)
			pthread_cond_wait(&xp->cond, &xp->lock);
		if (xp->stop)
			break;
		j = xp->todo;
		xp->todo = j->next;
		if (xp->todo == NULL)
			xp->todo_tail = &xp->todo;
		j->next = NULL;
		pthread_mutex_unlock(&xp->lock);
		/* Share the limit with on-demand analyses from the UI. */
		while (!extanalysis_try_acquire(&xp->c))
			nanosleep(&pause, NULL);
		if (extanalysis_run(&xp->c, j->it, &j->out, j->err,
		    sizeof(j->err)) < 0)
			j->out = NULL;
		extanalysis_release();
		pthread_mutex_lock(&xp->lock);
		*xp->done_tail = j;
		xp->done_tail = &j->next;
		if (xp->wake != NULL)
			fetch_wakeup(xp->wake);
	}
	pthread_mutex_unlock(&xp->lock);
	xpool_unref(xp);
	return NULL;
}

static void
xpool_start(struct poller *p)
{
	const struct conf *c = p->c;
	struct xpool *xp;
	long i, jobs;
	size_t k;

	if (c->analysis_cmd.n == 0)
		return;
	xp = xcalloc(1, sizeof(*xp));
	pthread_mutex_init(&xp->lock, NULL);
	pthread_cond_init(&xp->cond, NULL);
	conf_init(&xp->c);
	for (k = 0; k < c->analysis_cmd.n; k++)
		conf_strv_push(&xp->c.analysis_cmd, c->analysis_cmd.v[k]);
	xp->c.analysis_threshold = c->analysis_threshold;
	xp->c.analysis_jobs = c->analysis_jobs;
	xp->c.analysis_timeout = c->analysis_timeout;
	xp->c.analysis_max_output = c->analysis_max_output;
	xp->wake = p->fetch;
	xp->todo_tail = &xp->todo;
	xp->done_tail = &xp->done;
	xp->refs = 1;
	jobs = c->analysis_jobs > 0 ? c->analysis_jobs : 1;
	for (i = 0; i < jobs; i++) {
		pthread_t t;

		pthread_mutex_lock(&xp->lock);
		xp->refs++;
		pthread_mutex_unlock(&xp->lock);
		if (pthread_create(&t, NULL, xworker, xp) != 0) {
			pthread_mutex_lock(&xp->lock);
			xp->refs--;
			pthread_mutex_unlock(&xp->lock);
			break;
		}
		pthread_detach(t);
	}
	p->xp = xp;
}

/* Let go of the pool: running analyses finish on their own. */
static void
xpool_stop(struct poller *p)
{
	struct xpool *xp = p->xp;

	if (xp == NULL)
		return;
	pthread_mutex_lock(&xp->lock);
	xp->stop = 1;
	xp->wake = NULL;
	pthread_cond_broadcast(&xp->cond);
	pthread_mutex_unlock(&xp->lock);
	p->xp = NULL;
	xpool_unref(xp);
}

/* Queue it for analysis (takes ownership); -1 (it is kept by the caller)
 * when there is no pool or it is full. */
static int
xpool_submit(struct poller *p, struct item *it, int on_demand)
{
	struct xpool *xp = p->xp;
	struct xjob *j;

	if (xp == NULL || !extanalysis_wanted(&xp->c, it, on_demand))
		return -1;
	pthread_mutex_lock(&xp->lock);
	if (xp->n_out >= XJOBS_MAX) {
		pthread_mutex_unlock(&xp->lock);
		log_info("analysis queue full: skipping '%s'", it->title);
		return -1;
	}
	j = xcalloc(1, sizeof(*j));
	j->it = it;
	*xp->todo_tail = j;
	xp->todo_tail = &j->next;
	xp->n_out++;
	pthread_cond_signal(&xp->cond);
	pthread_mutex_unlock(&xp->lock);
	return 0;
}

/* Analyses still waiting or running. */
static size_t
xpool_outstanding(struct poller *p)
{
	size_t n;

	if (p->xp == NULL)
		return 0;
	pthread_mutex_lock(&p->xp->lock);
	n = p->xp->n_out;
	pthread_mutex_unlock(&p->xp->lock);
	return n;
}

/* Save finished analyses and hand the items on (poller thread). */
static void
xpool_collect(struct poller *p)
{
	struct xjob *list, *j, *n;
	char err[512];

	if (p->xp == NULL)
		return;
	pthread_mutex_lock(&p->xp->lock);
	list = p->xp->done;
	p->xp->done = NULL;
	p->xp->done_tail = &p->xp->done;
	for (j = list; j != NULL; j = j->next)
		p->xp->n_out--;
	pthread_mutex_unlock(&p->xp->lock);
	for (j = list; j != NULL; j = n) {
		struct item *it = j->it;
		int changed = j->out != NULL;

		n = j->next;
		j->it = NULL;
		if (changed) {
			free(it->ann.analysis);
			it->ann.analysis = j->out;
			j->out = NULL;
			if (store_set_annotation(p->store, it->rowid, &it->ann,
			    err, sizeof(err)) < 0)
				log_warn("saving an analysis: %s", err);
		} else
			log_info("analysis_cmd: %s", j->err);
		xjob_free(j);
		if (p->flags & POLLER_ONCE)
			(void)itemq_push(p->q, it);	/* it waited for this */
		else if (changed) {
			it->is_update = 1;	/* the consumer has it already */
			(void)itemq_push(p->q, it);
		} else
			item_free(it);
	}
}

/*
 * Items dated before the retention window are not stored: the next gc
 * would delete them, and the fetch after it would bring them back as
 * new, every day, for as long as the feed carries them.
 */
static void
drop_expired(struct poller *p, struct item **list, time_t now)
{
	struct item **pp = list, *it;
	time_t cutoff;

	if (p->c->retention_days <= 0)
		return;
	cutoff = now - (time_t)p->c->retention_days * 86400;
	while ((it = *pp) != NULL) {
		if (it->published > 0 && !it->published_guessed &&
		    it->published < cutoff) {
			*pp = it->next;
			item_free(it);
		} else
			pp = &it->next;
	}
}

/* Open a batch for the writes of finished feeds, unless one is open; on
 * failure the writes go one transaction each. */
static void
batch_open(struct poller *p)
{
	char err[512];

	if (store_batch_active(p->store))
		return;
	if (store_batch_begin(p->store, err, sizeof(err)) < 0) {
		log_warn("poller: %s", err);
		return;
	}
	p->batch_t0 = util_mono_ms();
}

/* Hand a committed feed's fresh items on (to the analysis pool too). */
static void
hand_on(struct poller *p, struct item *fresh)
{
	struct item *it, *next;

	for (it = fresh; it != NULL; it = next) {
		next = it->next;
		it->next = NULL;
		if (p->flags & POLLER_ONCE) {
			/* Printed once, complete: after its analysis. */
			if (xpool_submit(p, it, 0) == 0)
				continue;
		} else if (p->xp != NULL && extanalysis_wanted(p->c, it, 0)) {
			struct item *copy = item_dup(it);

			if (xpool_submit(p, copy, 0) < 0)
				item_free(copy);
		}
		/* Blocks while the queue is full; fails once closed. */
		(void)itemq_push(p->q, it);
	}
}

/* The store's callback for new or changed items: the parse worker has
 * annotated them as first reports already, and a repeat only changes
 * the score. */
static void
annotate_missing(void *arg, struct item *it, int repeat)
{
	const struct analyze_ctx *a;

	if (!it->ann.valid)
		annotate(arg, it, repeat);
	else if (repeat && (a = analyzer(arg)) != NULL)
		analyze_item_repeat(a, it);
}

/*
 * The parse worker's half of a 200 (any thread; touches only the job and
 * read-only settings): parse, drop what retention would delete, tag the
 * items with their feed and annotate them.  j->rc is -1 with j->msg on a
 * parse error.
 */
static void
parse_job(struct poller *p, struct pjob *j)
{
	const struct conf_feed *cf = j->pd->pf->cf;
	const struct analyze_ctx *actx;
	struct parse_opts po;
	struct strbuf scratch;
	struct item *it;
	char err[512];

	memset(&po, 0, sizeof(po));
	po.feed_url = j->effective_url;
	po.feed_name = cf->name != NULL ? cf->name : cf->url;
	po.content_type = j->content_type;
	po.fetch_time = j->now;
	po.max_items = p->c->max_items > 0 ? (size_t)p->c->max_items : 0;
	j->rc = parse_feed(j->body, j->len, &po, &j->pr, err, sizeof(err));
	free(j->body);
	j->body = NULL;
	if (j->rc < 0) {
		util_strlcpy(j->msg, err, sizeof(j->msg));
		parse_result_free(&j->pr);
		return;
	}
	if (j->pr.warning != NULL)
		log_info("%s: %s (read anyway)", po.feed_name, j->pr.warning);
	drop_expired(p, &j->pr.items, j->now);
	actx = j->pr.items != NULL ? analyzer(p) : NULL;
	strbuf_init(&scratch);
	for (it = j->pr.items; it != NULL; it = it->next) {
		/* Identity is the configured URL, not where it redirected. */
		item_set(&it->feed_url, cf->url);
		if (it->feed == NULL)
			item_set(&it->feed, po.feed_name);
		it->source_weight = cf->weight;
		if (actx != NULL)
			analyze_item(actx, it, 0);
		/* Here rather than on the writer's thread, which has more
		 * to do. */
		store_item_prehash(it, &scratch);
	}
	strbuf_done(&scratch);
}

/* The poller's half: ingest a parsed 200 into the open batch; returns the
 * fresh-item count (the items in *fresh) or -1 (msg set). */
static long
ingest(struct poller *p, struct pjob *j, struct item **fresh, char *msg,
    size_t msglen)
{
	struct pending *pd = j->pd;
	struct store_feed *st = &pd->st;
	struct item *it;
	char err[512];
	long n = 0;

	if (j->rc < 0) {
		util_strlcpy(msg, j->msg, msglen);
		return -1;
	}
	/* New validators only with a document we could read. */
	replace(&st->etag, j->etag);
	replace(&st->last_modified, j->last_modified);
	/* What this document needed repaired, or nothing. */
	free(st->warning);
	st->warning = dupn(j->pr.warning);
	st->items_seen = (long)j->pr.n_items;
	set_success(p, pd->pf, st, j->now);
	batch_open(p);
	*fresh = NULL;
	if (store_ingest(p->store, st, &j->pr.items, annotate_missing, p,
	    fresh, err, sizeof(err)) < 0) {
		util_seterr(msg, msglen, "database: %s", err);
		return -1;
	}
	for (it = *fresh; it != NULL; it = it->next)
		n++;
	return n;
}

/* The state a failed 200 leaves: the old validators stay, so that the
 * next poll fetches again. */
static void
fail_fetch(struct poller *p, struct pfeed *pf, struct store_feed *st,
    time_t now, const char *msg)
{
	free(st->etag);
	free(st->last_modified);
	st->etag = dupn(pf->pub.st.etag);
	st->last_modified = dupn(pf->pub.st.last_modified);
	st->items_seen = pf->pub.st.items_seen;
	st->last_success = pf->pub.st.last_success;
	set_failure(p, pf, st, now, msg, -1);
}

/*
 * Commit the open batch, then publish every finished feed in order and
 * hand its fresh items on.  If the commit fails, nothing of the batch is
 * stored: feeds that had items are reported failed (the old validators
 * kept, so they are fetched again), and every state is saved again on
 * its own.
 */
static void
flush(struct poller *p)
{
	struct pending *pd, *next;
	char err[512], msg[600];
	int lost = 0;

	if (store_batch_active(p->store) &&
	    store_batch_commit(p->store, err, sizeof(err)) < 0) {
		log_warn("poller: %s", err);
		snprintf(msg, sizeof(msg), "database: %s", err);
		lost = 1;
	}
	for (pd = p->pend; pd != NULL; pd = next) {
		next = pd->next;
		if (lost) {
			if (pd->wrote) {
				item_free_list(pd->fresh);
				pd->fresh = NULL;
				pd->ok = 0;
				pd->n_new = 0;
				fail_fetch(p, pd->pf, &pd->st, util_now(), msg);
			}
			if (store_feed_save(p->store, &pd->st, err,
			    sizeof(err)) < 0)
				log_warn("%s: saving its state: %s",
				    pd->pf->cf->url, err);
		}
		if (!pd->ok)
			log_info("%s: %s", pd->pf->cf->url, pd->st.last_error);
		if (pd->n_new > 0)
			p->index_more = 1;
		hand_on(p, pd->fresh);
		publish(p, pd->pf, &pd->st, pd->ok, pd->n_new);
		free(pd);
	}
	p->pend = NULL;
	p->pend_tail = &p->pend;
}

/* Flush when the batch is full or old enough (or when asked to). */
static void
maybe_flush(struct poller *p, int force)
{
	if (p->pend == NULL && !store_batch_active(p->store))
		return;
	if (force || !store_batch_active(p->store) ||
	    store_batch_items(p->store) >= BATCH_ITEMS ||
	    util_mono_ms() - p->batch_t0 >= BATCH_MS)
		flush(p);
}

/* A finished feed's state is saved with the batch; it is published when
 * the batch is committed. */
static void
finish(struct poller *p, struct pending *pd, int saved)
{
	char err[512];

	if (!saved) {
		batch_open(p);
		if (store_feed_save(p->store, &pd->st, err, sizeof(err)) < 0)
			log_warn("%s: saving its state: %s", pd->pf->cf->url,
			    err);
	}
	*p->pend_tail = pd;
	p->pend_tail = &pd->next;
	maybe_flush(p, 0);
}

static void
pjob_free(struct pjob *j)
{
	if (j->pd != NULL) {
		store_feed_clear(&j->pd->st);
		item_free_list(j->pd->fresh);
		free(j->pd);
	}
	free(j->body);
	free(j->effective_url);
	free(j->content_type);
	free(j->etag);
	free(j->last_modified);
	parse_result_free(&j->pr);
	free(j);
}

/* Store a parsed job (poller thread; takes ownership of j). */
static void
pjob_store(struct poller *p, struct pjob *j)
{
	struct pending *pd = j->pd;
	char msg[512];

	msg[0] = '\0';
	pd->n_new = ingest(p, j, &pd->fresh, msg, sizeof(msg));
	if (pd->n_new >= 0) {
		pd->ok = 1;
		pd->wrote = store_batch_active(p->store);
	} else {
		pd->n_new = 0;
		fail_fetch(p, pd->pf, &pd->st, j->now, msg);
	}
	j->pd = NULL;
	pjob_free(j);
	finish(p, pd, pd->ok);
}

static void *
pworker(void *arg)
{
	struct poller *p = arg;
	struct pwork *w = &p->pw;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	(void)util_thread_heap_huge();
	if (w->warm)
		(void)analyzer(p);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct pjob *j;

		while (!w->stop && w->todo == NULL)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop)
			break;
		j = w->todo;
		w->todo = j->next;
		if (w->todo == NULL)
			w->todo_tail = &w->todo;
		j->next = NULL;
		pthread_mutex_unlock(&w->lock);
		parse_job(p, j);
		pthread_mutex_lock(&w->lock);
		*w->done_tail = j;
		w->done_tail = &j->next;
		pthread_cond_broadcast(&w->cond);
		fetch_wakeup(p->fetch);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * A lazy analyzer is built when the first item needs it, so that a poll
 * answered only by 304s never loads the dictionary.  When some feed has
 * no validators yet (a first poll, a new feed), a 200 is as good as
 * certain: the parse thread builds it at once, while the first transfers
 * run, instead of holding up the first parsed feed.
 */
static void
pwork_start(struct poller *p)
{
	struct pwork *w = &p->pw;
	size_t i;
	int lazy;

	pthread_mutex_lock(&p->alock);
	lazy = p->lazy;
	pthread_mutex_unlock(&p->alock);
	for (i = 0; lazy && i < p->n_feeds && !w->warm; i++) {
		const struct store_feed *st = &p->feeds[i].pub.st;

		w->warm = (st->etag == NULL || !*st->etag) &&
		    (st->last_modified == NULL || !*st->last_modified);
	}
	if (pthread_create(&w->thread, NULL, pworker, p) == 0)
		w->running = 1;
	else
		log_warn("poller: no parse thread; parsing in line");
}

/* Join the worker and drop what it has not handed back: those feeds were
 * not stored, and their old state makes them be fetched again. */
static void
pwork_stop(struct poller *p)
{
	struct pwork *w = &p->pw;
	struct pjob *j, *n;

	if (w->running) {
		pthread_mutex_lock(&w->lock);
		w->stop = 1;
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		w->running = 0;
	}
	for (j = w->todo; j != NULL; j = n) {
		n = j->next;
		pjob_free(j);
	}
	for (j = w->done; j != NULL; j = n) {
		n = j->next;
		pjob_free(j);
	}
	w->todo = w->done = NULL;
	w->todo_tail = &w->todo;
	w->done_tail = &w->done;
	w->n_out = 0;
	w->bytes = 0;
}

/* Store what the worker has parsed, in the order it finished. */
static void
pwork_collect(struct poller *p)
{
	struct pwork *w = &p->pw;
	struct pjob *list, *j, *n;

	pthread_mutex_lock(&w->lock);
	list = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	for (j = list; j != NULL; j = j->next) {
		w->n_out--;
		w->bytes -= (long)j->len;
	}
	pthread_mutex_unlock(&w->lock);
	for (j = list; j != NULL; j = n) {
		n = j->next;
		j->next = NULL;
		pjob_store(p, j);
	}
}

static size_t
pwork_outstanding(struct poller *p)
{
	size_t n;

	pthread_mutex_lock(&p->pw.lock);
	n = p->pw.n_out;
	pthread_mutex_unlock(&p->pw.lock);
	return n;
}

/* Hand a job to the worker (takes ownership), first storing parsed jobs
 * while the queue is over its byte cap. */
static void
pwork_submit(struct poller *p, struct pjob *j)
{
	struct pwork *w = &p->pw;

	if (!w->running) {
		parse_job(p, j);
		pjob_store(p, j);
		return;
	}
	pthread_mutex_lock(&w->lock);
	while (w->n_out > 0 && w->bytes + (long)j->len > PARSE_QUEUE_BYTES) {
		if (w->done == NULL) {
			pthread_cond_wait(&w->cond, &w->lock);
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		pwork_collect(p);
		pthread_mutex_lock(&w->lock);
	}
	*w->todo_tail = j;
	w->todo_tail = &j->next;
	w->n_out++;
	w->bytes += (long)j->len;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void
on_done(void *arg, const struct fetch_result *r)
{
	struct poller *p = arg;
	struct pfeed *pf = r->user;
	struct pending *pd = xcalloc(1, sizeof(*pd));
	struct store_feed *st = &pd->st;
	struct pjob *j;
	time_t now = util_now();

	pd->pf = pf;
	feed_copy(st, &pf->pub.st);
	st->last_attempt = now;
	st->http_status = (int)r->http_status;
	switch (r->outcome) {
	case FETCH_NOT_MODIFIED:
		/* No parse, no item read: just the polling state. */
		replace(&st->etag, r->etag);
		replace(&st->last_modified, r->last_modified);
		set_success(p, pf, st, now);
		pd->ok = 1;
		break;
	case FETCH_OK:
		j = xcalloc(1, sizeof(*j));
		j->pd = pd;
		j->len = r->len;
		j->body = fetch_take_body(p->fetch);
		j->effective_url = dupn(r->effective_url);
		j->content_type = dupn(r->content_type);
		j->etag = dupn(r->etag);
		j->last_modified = dupn(r->last_modified);
		j->now = now;
		pwork_submit(p, j);
		return;
	case FETCH_HTTP_ERROR:
	case FETCH_FAILED:
		set_failure(p, pf, st, now, r->error, r->retry_after);
		break;
	}
	finish(p, pd, 0);
}

static void
start_feed(struct poller *p, struct pfeed *pf)
{
	struct fetch_req r;

	memset(&r, 0, sizeof(r));
	r.url = pf->cf->url;
	/* --force means a fresh copy too. */
	if (!(p->flags & POLLER_FORCE)) {
		r.etag = pf->pub.st.etag;
		r.last_modified = pf->pub.st.last_modified;
	}
	r.user = pf;
	pthread_mutex_lock(&p->lock);
	pf->pub.busy = 1;
	pthread_mutex_unlock(&p->lock);
	pf->want = 0;
	fetch_add(p->fetch, &r);
}

/* Apply poller_refresh() and poller_analyze() requests. */
static void
take_requests(struct poller *p)
{
	long long *ids;
	size_t i, j, n_ids;

	pthread_mutex_lock(&p->lock);
	ids = p->analyze_ids;
	n_ids = p->n_analyze;
	p->analyze_ids = NULL;
	p->n_analyze = 0;
	for (i = 0; i < p->n_feeds; i++) {
		if (p->feeds[i].pub.busy)
			continue;	/* being fetched right now */
		if (p->refresh_all)
			p->feeds[i].want = 1;
		for (j = 0; j < p->refresh_urls.n; j++)
			if (strcmp(p->refresh_urls.v[j],
			    p->feeds[i].cf->url) == 0)
				p->feeds[i].want = 1;
	}
	p->refresh_all = 0;
	conf_strv_free(&p->refresh_urls);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < n_ids; i++) {
		struct item *it = NULL;
		char err[512];

		if (p->store == NULL || store_get(p->store, ids[i], &it, err,
		    sizeof(err)) < 0) {
			log_warn("analysis of item %lld: %s", ids[i],
			    p->store ? err : "no store");
			continue;
		}
		if (xpool_submit(p, it, 1) < 0)
			item_free(it);
	}
	free(ids);
}

static int
cmp_feed_url(const void *a, const void *b)
{
	const struct store_feed *x = a, *y = b;

	return strcmp(x->url, y->url);
}

/* The saved polling state of every configured feed, read in one query. */
static void
load_feeds(struct poller *p)
{
	struct store_feed *all = NULL, key;
	char err[512];
	size_t n_all = 0, i;

	if (store_sync_feeds(p->store, p->c, err, sizeof(err)) < 0)
		log_warn("poller: %s", err);
	if (store_feed_states(p->store, &all, &n_all, err, sizeof(err)) < 0) {
		log_warn("poller: %s", err);
		all = NULL;
		n_all = 0;
	}
	if (n_all > 0)
		qsort(all, n_all, sizeof(*all), cmp_feed_url);
	for (i = 0; i < p->n_feeds; i++) {
		struct pfeed *pf = &p->feeds[i];
		struct store_feed st, *hit = NULL;

		memset(&st, 0, sizeof(st));
		memset(&key, 0, sizeof(key));
		key.url = (char *)pf->cf->url;
		if (n_all > 0)
			hit = bsearch(&key, all, n_all, sizeof(*all),
			    cmp_feed_url);
		if (hit != NULL)
			feed_copy(&st, hit);
		else {
			st.url = xstrdup(pf->cf->url);
			st.name = dupn(pf->cf->name);
		}
		pthread_mutex_lock(&p->lock);
		store_feed_clear(&pf->pub.st);
		pf->pub.st = st;
		pthread_mutex_unlock(&p->lock);
	}
	for (i = 0; i < n_all; i++)
		store_feed_clear(&all[i]);
	free(all);
}

static void
reanalyze_cb(void *arg, struct item *it, int repeat)
{
	struct poller *p = arg;

	annotate(p, it, repeat);
	if (stopping(p))
		p->cancel = 1;
}

static void
maybe_reanalyze(struct poller *p)
{
	char err[512];
	long done = 0;

	if (analyzer(p) == NULL)
		return;
	if (store_reanalyze(p->store, ANALYZE_VERSION, 0, reanalyze_cb, p,
	    &p->cancel, &done, err, sizeof(err)) < 0)
		log_warn("reanalyze: %s", err);
	else if (done > 0) {
		log_info("re-annotated %ld items for analyzer version %d",
		    done, ANALYZE_VERSION);
		itemq_notify(p->q);
	}
}

static void
maybe_gc(struct poller *p, time_t now)
{
	char err[512];
	long removed = 0;
	time_t last;

	if (now < p->next_gc)
		return;
	maybe_flush(p, 1);
	last = store_last_gc(p->store);
	if (last > 0 && now - last < GC_EVERY) {
		p->next_gc = last + GC_EVERY;
		return;
	}
	p->next_gc = now + GC_EVERY;
	if (store_gc(p->store, p->c->retention_days, p->c->retention_items,
	    &removed, err, sizeof(err)) < 0)
		log_warn("gc: %s", err);
	else if (removed > 0)
		log_info("gc: removed %ld old items", removed);
}

/* Take the polling lock, waiting passively while another process has
 * it.  Returns 0 with the lock, -1 when stopping or in once mode. */
static int
get_poll_lock(struct poller *p)
{
	char msg[512];

	while (store_poll_lock(p->store) != 1) {
		if (p->flags & POLLER_ONCE) {
			snprintf(msg, sizeof(msg), "another deskwire is "
			    "polling %s; try again when it has finished",
			    p->db_path);
			set_error(p, msg);
			return -1;
		}
		pthread_mutex_lock(&p->lock);
		p->passive = 1;
		pthread_mutex_unlock(&p->lock);
		/* The other process writes; let the consumer re-read. */
		itemq_notify(p->q);
		fetch_run(p->fetch, PASSIVE_RETRY * 1000, on_done, p);
		if (stopping(p))
			return -1;
	}
	pthread_mutex_lock(&p->lock);
	p->passive = 0;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* Should pf be polled now?  *wake is lowered to its next due time. */
static int
is_due(struct poller *p, struct pfeed *pf, time_t now, time_t *wake)
{
	const struct store_feed *st = &pf->pub.st;
	int held = st->failures > 0 && st->next_due > now;

	if (pf->pub.busy)
		return 0;
	if (p->flags & POLLER_ONCE) {
		if (pf->pub.polled)
			return 0;
		if (held && !(p->flags & POLLER_FORCE)) {
			/* Polite: report it, don't hammer a failing site. */
			pthread_mutex_lock(&p->lock);
			pf->pub.polled = 1;
			pf->pub.skipped = 1;
			pthread_mutex_unlock(&p->lock);
			return 0;
		}
		return 1;
	}
	if (pf->want || st->next_due <= now || (p->flags & POLLER_FORCE &&
	    !pf->pub.polled))
		return 1;
	if (st->next_due < *wake)
		*wake = st->next_due;
	return 0;
}

/*
 * Between polls, put the items stored since last time in the search index
 * (store_fts_catch_up()), a chunk per turn of the loop.  A fetch --once
 * leaves that to the next search or the next dashboard.
 */
static void
index_some(struct poller *p)
{
	char err[512];
	size_t done;

	if (store_fts_catch_up(p->store, INDEX_CHUNK, &done, err,
	    sizeof(err)) < 0) {
		log_warn("poller: search index: %s", err);
		p->index_more = 0;
		return;
	}
	p->index_more = done == INDEX_CHUNK;
}

static void
loop(struct poller *p)
{
	for (;;) {
		time_t now = util_now(), wake = now + 3600;
		int64_t ms;
		size_t i, left = 0;

		if (stopping(p)) {
			maybe_flush(p, 1);
			return;
		}
		take_requests(p);
		if (!(p->flags & POLLER_ONCE))
			maybe_gc(p, now);
		for (i = 0; i < p->n_feeds; i++) {
			struct pfeed *pf = &p->feeds[i];

			if (is_due(p, pf, now, &wake))
				start_feed(p, pf);
			if (!pf->pub.polled)
				left++;
		}
		xpool_collect(p);
		pwork_collect(p);
		if ((p->flags & POLLER_ONCE) && left == 0 &&
		    fetch_pending(p->fetch) == 0 && xpool_outstanding(p) == 0 &&
		    pwork_outstanding(p) == 0)
			return;
		if (!(p->flags & POLLER_ONCE) && p->next_gc < wake)
			wake = p->next_gc;
		ms = (int64_t)(wake - now) * 1000;
		if (!(p->flags & POLLER_ONCE) && p->index_more &&
		    !store_batch_active(p->store) &&
		    fetch_pending(p->fetch) == 0 &&
		    pwork_outstanding(p) == 0) {
			index_some(p);
			if (p->index_more)
				ms = 0;
		}
		if (store_batch_active(p->store)) {
			/* Commit at BATCH_MS at the latest. */
			int64_t left_ms = p->batch_t0 + BATCH_MS -
			    util_mono_ms();

			if (ms > left_ms)
				ms = left_ms;
		}
		if (ms < 0)
			ms = 0;
		if (pwork_outstanding(p) > 0 && ms > BATCH_MS)
			ms = BATCH_MS;	/* a missed wake-up costs no more */
		fetch_run(p->fetch, (int)ms, on_done, p);
		pwork_collect(p);
		/* Nothing else in flight: no reason to wait. */
		maybe_flush(p, fetch_pending(p->fetch) == 0 &&
		    pwork_outstanding(p) == 0);
	}
}

/* No database at path yet (or an empty file, which SQLite treats alike). */
static int
db_is_new(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		return errno == ENOENT;
	return S_ISREG(sb.st_mode) && sb.st_size == 0;
}

static void *
run(void *arg)
{
	struct poller *p = arg;
	char err[512];
	sigset_t all;
	size_t i;
	int fresh;

	/* Signals are for the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	(void)util_thread_heap_huge();

	if ((fresh = db_is_new(p->db_path))) {
		/* Nothing is stored yet: every feed is due, has no
		 * validators and will answer 200.  Its transfers and the
		 * parse thread (which builds the analyzer first) start now,
		 * while the store creates the database; what they finish
		 * waits for the loop. */
		p->pw.warm = 1;
		pwork_start(p);
		for (i = 0; i < p->n_feeds; i++)
			start_feed(p, &p->feeds[i]);
		fetch_kick(p->fetch);
	}
	p->store = store_open(p->db_path, 0, err, sizeof(err));
	if (p->store == NULL) {
		set_error(p, err);
		goto out;
	}
	if (get_poll_lock(p) < 0)
		goto out;
	load_feeds(p);
	p->index_more = 1;
	xpool_start(p);
	if (!fresh)
		pwork_start(p);
	if (!(p->flags & POLLER_ONCE))
		maybe_reanalyze(p);
	loop(p);
	maybe_flush(p, 1);
	if ((p->flags & POLLER_ONCE) && !stopping(p))
		maybe_gc(p, util_now());
out:
	pwork_stop(p);
	if (p->store != NULL)
		maybe_flush(p, 1);
	xpool_stop(p);
	/* The connection belongs to this thread: close it here. */
	store_close(p->store);
	p->store = NULL;
	if (p->flags & POLLER_ONCE)
		itemq_close(p->q);
	else
		itemq_notify(p->q);
	return NULL;
}

static struct poller *
start(const struct conf *c, const char *db_path,
    const struct analyze_ctx *ctx, const char *data_dir, int lazy,
    struct itemq *q, int flags, char *err, size_t errlen)
{
	struct poller *p = xcalloc(1, sizeof(*p));
	struct fetch_opts fo;
	size_t i;

	memset(&fo, 0, sizeof(fo));
	fo.max_connections = c->max_connections;
	fo.max_per_host = c->max_per_host;
	fo.connect_timeout = c->connect_timeout;
	fo.timeout = c->timeout;
	fo.max_body = c->max_body;
	p->fetch = fetch_new(&fo, err, errlen);
	if (p->fetch == NULL) {
		free(p);
		return NULL;
	}
	p->c = c;
	p->db_path = xstrdup(db_path);
	p->actx = ctx;
	p->lazy = lazy;
	p->data_dir = dupn(data_dir);
	p->q = q;
	p->flags = flags;
	p->pend_tail = &p->pend;
	p->seed = (unsigned int)util_mono_ms() ^ (unsigned int)getpid();
	p->n_feeds = c->n_feeds;
	p->feeds = xcalloc(c->n_feeds ? c->n_feeds : 1, sizeof(*p->feeds));
	for (i = 0; i < c->n_feeds; i++) {
		p->feeds[i].cf = &c->feeds[i];
		p->feeds[i].pub.st.url = xstrdup(c->feeds[i].url);
		p->feeds[i].pub.st.name = dupn(c->feeds[i].name);
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->alock, NULL);
	pthread_mutex_init(&p->pw.lock, NULL);
	pthread_cond_init(&p->pw.cond, NULL);
	p->pw.todo_tail = &p->pw.todo;
	p->pw.done_tail = &p->pw.done;
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		util_seterr(err, errlen, "cannot start the poller thread");
		pthread_cond_destroy(&p->pw.cond);
		pthread_mutex_destroy(&p->pw.lock);
		pthread_mutex_destroy(&p->alock);
		pthread_mutex_destroy(&p->lock);
		free(p->data_dir);
		fetch_free(p->fetch);
		for (i = 0; i < p->n_feeds; i++)
			store_feed_clear(&p->feeds[i].pub.st);
		free(p->feeds);
		free(p->db_path);
		free(p);
		return NULL;
	}
	return p;
}

struct poller *
poller_start(const struct conf *c, const char *db_path,
    const struct analyze_ctx *ctx, struct itemq *q, int flags, char *err,
    size_t errlen)
{
	return start(c, db_path, ctx, NULL, 0, q, flags, err, errlen);
}

struct poller *
poller_start_lazy(const struct conf *c, const char *db_path,
    const char *data_dir, struct itemq *q, int flags, char *err,
    size_t errlen)
{
	return start(c, db_path, NULL, data_dir, 1, q, flags, err, errlen);
}

void
poller_refresh(struct poller *p, const char *url)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	if (url == NULL)
		p->refresh_all = 1;
	else
		conf_strv_push(&p->refresh_urls, url);
	pthread_mutex_unlock(&p->lock);
	fetch_wakeup(p->fetch);
}

int
poller_analyze(struct poller *p, long long rowid)
{
	if (p == NULL || p->c->analysis_cmd.n == 0)
		return -1;
	pthread_mutex_lock(&p->lock);
	p->analyze_ids = xrealloc(p->analyze_ids,
	    (p->n_analyze + 1) * sizeof(*p->analyze_ids));
	p->analyze_ids[p->n_analyze++] = rowid;
	pthread_mutex_unlock(&p->lock);
	fetch_wakeup(p->fetch);
	return 0;
}

int
poller_is_passive(struct poller *p)
{
	int v;

	if (p == NULL)
		return 0;
	pthread_mutex_lock(&p->lock);
	v = p->passive;
	pthread_mutex_unlock(&p->lock);
	return v;
}

int
poller_error(struct poller *p, char *buf, size_t len)
{
	int has;

	pthread_mutex_lock(&p->lock);
	has = p->error[0] != '\0';
	if (has)
		util_strlcpy(buf, p->error, len);
	pthread_mutex_unlock(&p->lock);
	return has;
}

size_t
poller_feeds(struct poller *p, struct poller_feed **out)
{
	struct poller_feed *v;
	size_t i;

	v = xcalloc(p->n_feeds ? p->n_feeds : 1, sizeof(*v));
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->n_feeds; i++) {
		v[i] = p->feeds[i].pub;
		feed_copy(&v[i].st, &p->feeds[i].pub.st);
	}
	pthread_mutex_unlock(&p->lock);
	*out = v;
	return p->n_feeds;
}

void
poller_feeds_free(struct poller_feed *v, size_t n)
{
	size_t i;

	for (i = 0; i < n && v != NULL; i++)
		store_feed_clear(&v[i].st);
	free(v);
}

void
poller_stop(struct poller *p)
{
	size_t i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_mutex_unlock(&p->lock);
	/* Release a push blocked on a full queue, and the wait. */
	itemq_close(p->q);
	fetch_wakeup(p->fetch);
	pthread_join(p->thread, NULL);
	fetch_free(p->fetch);
	for (i = 0; i < p->n_feeds; i++)
		store_feed_clear(&p->feeds[i].pub.st);
	free(p->feeds);
	conf_strv_free(&p->refresh_urls);
	free(p->analyze_ids);
	pthread_cond_destroy(&p->pw.cond);
	pthread_mutex_destroy(&p->pw.lock);
	pthread_mutex_destroy(&p->alock);
	pthread_mutex_destroy(&p->lock);
	analyze_free(p->own_actx);
	free(p->data_dir);
	free(p->db_path);
	free(p);
}

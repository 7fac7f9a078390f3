/*
 * demo.c - the --demo headline stream.
 *
 * A thread of its own, like the poller: it opens its own store connection
 * (if the database can be opened), registers one pseudo-feed per source
 * ("demo://reuters"), backfills headlines dated over the past day (fixed
 * ids, so a restart does not duplicate them), then emits the headlines in
 * turn at DESKWIRE_DEMO_RATE per second with ids unique to the run.  Each
 * goes through the analyzer and store_ingest() exactly like a polled item
 * and is then pushed to the queue.  Waiting is a timed condition wait, so
 * demo_stop() returns at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "embed.h"
#include "log.h"
#include "store.h"
#include "util.h"

struct demo {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop;
	char *db_path;
	const struct analyze_ctx *ctx;
	struct itemq *q;
	struct item **lines;	/* templates */
	size_t n;
	double rate;
	long limit, backfill;
	struct store *st;
	long long next_rowid;	/* memory mode */
	time_t run_id;
	struct item *held;	/* written in the open batch, not yet pushed */
	struct item **held_tail;
};

static char *
field(const char *s, size_t len)
{
	return len ? xstrndup(s, len) : NULL;
}

struct item *
demo_parse(const char *tsv, size_t *n)
{
	struct item *head = NULL, **tail = &head;
	const char *p = tsv;

	*n = 0;
	while (p && *p) {
		const char *nl = strchr(p, '\n'), *f[4], *e;
		size_t len = nl ? (size_t)(nl - p) : strlen(p), fl[4];
		int k = 0;

		if (len > 0 && p[0] != '#') {
			const char *q = p, *end = p + len;

			while (k < 4 && q <= end) {
				e = memchr(q, '\t', (size_t)(end - q));
				if (e == NULL)
					e = end;
				f[k] = q;
				fl[k] = (size_t)(e - q);
				k++;
				q = e + 1;
			}
			if (k >= 2 && fl[1] > 0) {
				struct item *it = item_new();

				it->feed = field(f[0], fl[0]);
				it->title = field(f[1], fl[1]);
				if (k > 2)
					it->summary = field(f[2], fl[2]);
				if (k > 3)
					it->link = field(f[3], fl[3]);
				*tail = it;
				tail = &it->next;
				(*n)++;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return head;
}

static double
env_double(const char *name, double def, double max)
{
	const char *v = getenv(name);
	double d;

	if (v == NULL || *v == '\0' || util_parse_double(v, 0, max, &d) < 0)
		return def;
	return d;
}

static void
feed_url(const char *name, char *buf, size_t len)
{
	size_t i, o = 0;

	o = (size_t)snprintf(buf, len, "demo://");
	for (i = 0; name && name[i] && o + 1 < len; i++) {
		char c = name[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[o++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ?
		    c : '-';
	}
	buf[o] = '\0';
}

static void
annotate(void *arg, struct item *it, int repeat)
{
	const struct analyze_ctx *ctx = arg;

	if (ctx != NULL)
		analyze_item(ctx, it, repeat);
}

/* Store (or number) it and push it; takes ownership. */
static void
emit(struct demo *d, struct item *it)
{
	char err[256], url[128];
	struct item *fresh = NULL, *next;
	struct store_feed f;

	feed_url(it->feed, url, sizeof(url));
	item_set(&it->feed_url, url);
	if (d->st == NULL) {
		annotate((void *)d->ctx, it, 0);
		it->rowid = ++d->next_rowid;
		it->first_seen = util_now();
		itemq_push(d->q, it);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.url = url;
	f.name = it->feed;
	f.last_attempt = f.last_success = util_now();
	f.http_status = 200;
	it->next = NULL;
	if (store_ingest(d->st, &f, &it, annotate, (void *)d->ctx, &fresh,
	    err, sizeof(err)) < 0)
		log_warn("demo: %s", err);
	item_free_list(it);
	for (; fresh != NULL; fresh = next) {
		next = fresh->next;
		fresh->next = NULL;
		if (store_batch_active(d->st)) {
			/* Readers see it only once the batch commits. */
			*d->held_tail = fresh;
			d->held_tail = &fresh->next;
		} else
			itemq_push(d->q, fresh);
	}
}

/* Commit the open batch, then hand on what it wrote. */
static void
commit(struct demo *d)
{
	struct item *it, *next;
	char err[256];

	if (store_batch_commit(d->st, err, sizeof(err)) < 0)
		log_warn("demo: %s", err);
	for (it = d->held; it != NULL; it = next) {
		next = it->next;
		it->next = NULL;
		itemq_push(d->q, it);
	}
	d->held = NULL;
	d->held_tail = &d->held;
}

static struct item *
make(struct demo *d, size_t i, const char *id, time_t published)
{
	struct item *it = item_dup(d->lines[i % d->n]);

	item_set(&it->id, id);
	it->published = published;
	it->source_weight = 0.7;
	if (it->link == NULL) {
		char link[256];

		snprintf(link, sizeof(link), "https://example.com/demo/%s",
		    id);
		item_set(&it->link, link);
	}
	return it;
}

/* Wait up to ms or until stopped; returns 1 when stopped. */
static int
nap(struct demo *d, long ms)
{
	struct timespec ts;
	int stop;

	util_deadline(CLOCK_REALTIME, ms, &ts);
	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		int r = ms < 0 ? pthread_cond_wait(&d->cond, &d->lock) :
		    pthread_cond_timedwait(&d->cond, &d->lock, &ts);

		if (r == ETIMEDOUT)
			break;
	}
	stop = d->stop;
	pthread_mutex_unlock(&d->lock);
	return stop;
}

static int
stopped(struct demo *d)
{
	int s;

	pthread_mutex_lock(&d->lock);
	s = d->stop;
	pthread_mutex_unlock(&d->lock);
	return s;
}

static void
sync_feeds(struct demo *d)
{
	struct conf c;
	char err[256], url[128];
	size_t i, j;

	conf_init(&c);
	c.feeds = xcalloc(d->n, sizeof(*c.feeds));
	for (i = 0; i < d->n; i++) {
		const char *name = d->lines[i]->feed ? d->lines[i]->feed : "?";

		for (j = 0; j < c.n_feeds; j++)
			if (strcmp(c.feeds[j].name, name) == 0)
				break;
		if (j < c.n_feeds)
			continue;
		feed_url(name, url, sizeof(url));
		c.feeds[c.n_feeds].url = xstrdup(url);
		c.feeds[c.n_feeds].name = xstrdup(name);
		c.feeds[c.n_feeds].weight = 0.7;
		c.n_feeds++;
	}
	if (store_sync_feeds(d->st, &c, err, sizeof(err)) < 0)
		log_warn("demo: %s", err);
	conf_free(&c);
}

static void *
run(void *arg)
{
	struct demo *d = arg;
	time_t now = util_now();
	char id[64], err[256];
	long i, sent = 0;

	if (d->st != NULL)
		sync_feeds(d);
	/* The past day, oldest first, spread unevenly like real news. */
	for (i = 0; i < d->backfill && !stopped(d); i++) {
		long back = d->backfill;
		time_t age = (time_t)((back - i) * (86000 / back) -
		    (i * 7919) % 1200);

		snprintf(id, sizeof(id), "demo-backfill-%ld", i);
		/* The backfill is written in batches of 500, like a poll. */
		if (d->st != NULL && i % 500 == 0 &&
		    store_batch_begin(d->st, err, sizeof(err)) < 0)
			log_warn("demo: %s", err);
		emit(d, make(d, (size_t)i, id, now - (age > 0 ? age : 1)));
		if (d->st != NULL && store_batch_active(d->st) &&
		    i % 500 == 499)
			commit(d);
	}
	if (d->st != NULL && store_batch_active(d->st))
		commit(d);
	if (d->rate <= 0) {
		nap(d, -1);
		return NULL;
	}
	for (i = d->backfill; ; i++) {
		if (d->limit > 0 && sent >= d->limit)
			break;
		if (nap(d, (long)(1000.0 / d->rate)))
			break;
		snprintf(id, sizeof(id), "demo-%lld-%ld",
		    (long long)d->run_id, i);
		emit(d, make(d, (size_t)i, id, util_now()));
		sent++;
	}
	nap(d, -1);
	return NULL;
}

struct demo *
demo_start(const char *db_path, const struct analyze_ctx *ctx,
    struct itemq *q, char *err, size_t errlen)
{
	const char *tsv = embed_get("data/demo_headlines.tsv", NULL);
	struct demo *d;
	struct item *list, *it;
	size_t n, i;

	if (tsv == NULL) {
		util_seterr(err, errlen, "no demo headlines in this build");
		return NULL;
	}
	list = demo_parse(tsv, &n);
	if (n == 0) {
		util_seterr(err, errlen, "the demo headlines are empty");
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->lines = xcalloc(n, sizeof(*d->lines));
	for (i = 0, it = list; it != NULL; it = it->next)
		d->lines[i++] = it;
	d->n = n;
	d->ctx = ctx;
	d->q = q;
	d->held_tail = &d->held;
	d->rate = env_double("DESKWIRE_DEMO_RATE", 1, 1000);
	d->limit = (long)env_double("DESKWIRE_DEMO_LIMIT", 0, 1e9);
	d->backfill = (long)env_double("DESKWIRE_DEMO_BACKFILL", 40, 100000);
	d->run_id = util_now();
	if (db_path != NULL) {
		char serr[512];

		d->st = store_open(db_path, 0, serr, sizeof(serr));
		if (d->st == NULL)
			log_warn("demo: %s (memory only)", serr);
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (pthread_create(&d->thread, NULL, run, d) != 0) {
		util_seterr(err, errlen, "cannot start the demo thread");
		d->thread = pthread_self();
		demo_stop(d);
		return NULL;
	}
	return d;
}

void
demo_stop(struct demo *d)
{
	size_t i;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (!pthread_equal(d->thread, pthread_self()))
		pthread_join(d->thread, NULL);
	if (d->st != NULL)
		store_close(d->st);
	for (i = 0; i < d->n; i++)
		item_free(d->lines[i]);
	free(d->lines);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d->db_path);
	free(d);
}

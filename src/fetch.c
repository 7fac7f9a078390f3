/*
 * fetch.c - the poller's HTTP layer on one libcurl multi handle.
 *
 * Requests wait in a FIFO per host (name and port) and start in turn,
 * host after host, while one of max_inflight slots is free and their host
 * has fewer than max_per_host transfers running: libcurl gets no more
 * transfers than it has connections for, so feeds on a busy host wait
 * here while other hosts proceed.  (A transfer libcurl cannot give a
 * connection waits inside it and repeats its whole set-up, URL parsing
 * and connection search, each time a connection is freed: for 1000 feeds
 * on one host that was 3.7 set-ups a transfer.)  libcurl still enforces
 * the caps, for redirects to another host.
 *
 * A host starts with one transfer at a time, and gets one more (up to
 * max_per_host) each time one of its transfers has run for grow_ms: a
 * host that answers quickly serves its feeds one after another on one
 * kept-alive connection, the least it can be asked for (a server with a
 * thread per connection, such as Python's, spends twice the CPU a
 * request when four connections keep it busy), while a distant or slow
 * host, or one with a stalled transfer, reaches max_per_host within a few
 * multiples of grow_ms.  The window closes again when the host has
 * nothing left to do.
 *
 * A slot is a struct xfer with an easy handle that is reset and reused,
 * so its buffers and the multi's connection cache (keep-alive, HTTP/2
 * multiplexing) carry over from feed to feed.  A share handle keeps one
 * DNS cache and TLS session cache for every transfer.
 *
 * The write callback counts decompressed bytes: a body (or a gzip bomb)
 * over max_body aborts the transfer instead of being swallowed.  The
 * header callback keeps the validators of the last response only (a
 * redirect's headers are dropped when the next status line arrives).
 * Finished transfers are reported with the failure in words, because the
 * words end up in `deskwire feeds` and the UI.
 *
 * Threads: libcurl runs on a network thread of the fetcher's own, which
 * alone touches the multi, easy and share handles.  fetch_add() hands it
 * requests and fetch_run() takes its finished transfers, both through
 * queues under f->lock, so the transfers go on while the caller parses
 * and stores what came back.  Finished transfers wait with their bodies:
 * past DONE_QUEUE_BYTES of them, no new transfer starts until the caller
 * has taken them (the running ones still finish).
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "strbuf.h"
#include "util.h"

#define HEADER_VALUE_MAX 1024	/* longer validators are ignored */
#define KEEP_BODY_BUF (1024 * 1024)	/* larger buffers are freed */
#define DONE_QUEUE_BYTES (1L * 1024 * 1024)
#define DONE_BATCH 32		/* finished transfers the caller is woken for */
#define DONE_DELAY_MS 10	/* ...or after this long */

struct req {
	char *url, *etag, *last_modified;
	void *user;
	size_t host;		/* index in f->hosts */
	struct req *next;
};

/* The requests of one host, as libcurl counts connections: lower-case
 * name and port.  A file:// request has the key "" and no cap. */
struct host {
	char *key;
	size_t running;		/* started and not finished */
	size_t window;		/* transfers it may run at once */
	struct req *head, **tail;
};

struct xfer {
	struct fetch *f;
	CURL *easy;
	/* The request's own headers: libcurl only reads the list, so its
	 * nodes and texts live here, rebuilt for each request. */
	struct curl_slist hdrs[3];
	struct strbuf validators;	/* their texts, NUL-separated */
	struct req *req;
	struct strbuf body;
	size_t decoded;		/* every decompressed byte, kept or not */
	int over_cap;
	size_t max_body;
	char *etag, *last_modified;
	char errbuf[CURL_ERROR_SIZE];
	int64_t started;	/* ms, monotonic */
	struct xfer *next;	/* in the free list */
};

/* A finished transfer waiting for fetch_run(): res's strings point into
 * the owned copies below. */
struct done {
	struct fetch_result res;
	char *url, *effective_url, *etag, *last_modified, *content_type;
	char *body, *error;
	struct done *next;
};

struct fetch {
	struct fetch_opts o;
	CURLM *multi;
	CURLSH *share;

	pthread_t thread;
	int running;			/* the network thread was started */
	pthread_mutex_t lock;		/* guards what follows, to n_out */
	pthread_cond_t cond;		/* done grew, or a wake-up */
	struct req *pend_head, *pend_tail;	/* added, not yet queued */
	struct done *done, **done_tail;
	long done_bytes;
	size_t n_out;			/* added and not yet handed back */
	int stop, wake;
	int held;			/* a request waits for done_bytes */
	struct done *cur;		/* in the done callback (caller's) */
	int added;			/* requests since the last wake-up
					   (caller's) */

	/* The network thread's own. */
	size_t n_running;
	struct host *hosts;	/* queues of waiting requests */
	size_t n_hosts, cap_hosts;
	size_t next_host;	/* where the next round starts */
	size_t n_queued;	/* in the hosts' queues */
	long grow_wait;		/* until a host may open another connection,
				   or -1 */
	size_t n_unsignalled;	/* finished since the caller was woken */
	int64_t unsignalled_since;
	struct xfer *free_xfers;
	struct xfer **all;	/* every xfer ever made, for fetch_free */
	size_t n_all, cap_all;
	curl_socket_t *socks;	/* open connections (see ack_now) */
	size_t n_socks, cap_socks;
};

static long
defl(long v, long d)
{
	return v > 0 ? v : d;
}

void
fetch_format_size(long bytes, char *buf, size_t len)
{
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		snprintf(buf, len, "%ld MiB", bytes / (1024 * 1024));
	else if (bytes >= 1024 && bytes % 1024 == 0)
		snprintf(buf, len, "%ld KiB", bytes / 1024);
	else
		snprintf(buf, len, "%ld bytes", bytes);
}

static void *net_main(void *arg);

struct fetch *
fetch_new(const struct fetch_opts *o, char *err, size_t errlen)
{
	struct fetch *f = xcalloc(1, sizeof(*f));
	pthread_condattr_t ca;

	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cond, &ca);
	pthread_condattr_destroy(&ca);
	f->done_tail = &f->done;
	if (o != NULL)
		f->o = *o;
	f->o.max_connections = defl(f->o.max_connections, 16);
	f->o.max_per_host = defl(f->o.max_per_host, 4);
	f->o.connect_timeout = defl(f->o.connect_timeout, 10);
	f->o.timeout = defl(f->o.timeout, 30);
	f->o.max_body = defl(f->o.max_body, 8L * 1024 * 1024);
	f->o.low_speed_limit = defl(f->o.low_speed_limit, 100);
	f->o.low_speed_time = defl(f->o.low_speed_time,
	    f->o.timeout / 2 > 0 ? f->o.timeout / 2 : 1);
	f->o.max_inflight = defl(f->o.max_inflight, f->o.max_connections);
	f->o.grow_ms = defl(f->o.grow_ms, 20);

	f->multi = curl_multi_init();
	f->share = curl_share_init();
	if (f->multi == NULL || f->share == NULL) {
		util_seterr(err, errlen, "cannot initialise libcurl");
		fetch_free(f);
		return NULL;
	}
	curl_share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(f->share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_SSL_SESSION);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    f->o.max_connections);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    f->o.max_per_host);
	/* Keep every connection we may open alive between polls. */
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, f->o.max_connections);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	if (pthread_create(&f->thread, NULL, net_main, f) != 0) {
		util_seterr(err, errlen, "cannot start the network thread");
		fetch_free(f);
		return NULL;
	}
	f->running = 1;
	return f;
}

static void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	free(r->url);
	free(r->etag);
	free(r->last_modified);
	free(r);
}

static void
done_free(struct done *d)
{
	free(d->url);
	free(d->effective_url);
	free(d->etag);
	free(d->last_modified);
	free(d->content_type);
	free(d->body);
	free(d->error);
	free(d);
}

void
fetch_free(struct fetch *f)
{
	struct req *r, *rn;
	struct done *d, *dn;
	size_t i;

	if (f == NULL)
		return;
	if (f->running) {
		pthread_mutex_lock(&f->lock);
		f->stop = 1;
		pthread_mutex_unlock(&f->lock);
		curl_multi_wakeup(f->multi);
		pthread_join(f->thread, NULL);
	}
	for (d = f->done; d != NULL; d = dn) {
		dn = d->next;
		done_free(d);
	}
	for (i = 0; i < f->n_all; i++) {
		struct xfer *x = f->all[i];

		if (x->req != NULL && f->multi != NULL)
			curl_multi_remove_handle(f->multi, x->easy);
		curl_easy_cleanup(x->easy);
		strbuf_done(&x->validators);
		req_free(x->req);
		strbuf_done(&x->body);
		free(x->etag);
		free(x->last_modified);
		free(x);
	}
	free(f->all);
	for (r = f->pend_head; r != NULL; r = rn) {
		rn = r->next;
		req_free(r);
	}
	for (i = 0; i < f->n_hosts; i++) {
		for (r = f->hosts[i].head; r != NULL; r = rn) {
			rn = r->next;
			req_free(r);
		}
		free(f->hosts[i].key);
	}
	free(f->hosts);
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	if (f->share != NULL)
		curl_share_cleanup(f->share);
	free(f->socks);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

void
fetch_add(struct fetch *f, const struct fetch_req *req)
{
	struct req *r = xcalloc(1, sizeof(*r));

	r->url = xstrdup(req->url);
	r->etag = req->etag && *req->etag ? xstrdup(req->etag) : NULL;
	r->last_modified = req->last_modified && *req->last_modified ?
	    xstrdup(req->last_modified) : NULL;
	r->user = req->user;
	pthread_mutex_lock(&f->lock);
	if (f->pend_tail != NULL)
		f->pend_tail->next = r;
	else
		f->pend_head = r;
	f->pend_tail = r;
	f->n_out++;
	pthread_mutex_unlock(&f->lock);
	/* The network thread is woken once for a run of additions, by
	 * fetch_run(). */
	f->added = 1;
}

void
fetch_kick(struct fetch *f)
{
	if (f->added) {
		f->added = 0;
		curl_multi_wakeup(f->multi);
	}
}

size_t
fetch_pending(struct fetch *f)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->n_out;
	pthread_mutex_unlock(&f->lock);
	return n;
}

void
fetch_wakeup(struct fetch *f)
{
	pthread_mutex_lock(&f->lock);
	f->wake = 1;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/*
 * Bodies of error responses are counted (a bomb is still cut off) but not
 * kept: nobody parses them.
 */
static size_t
on_write(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	long code = 0;

	n *= size;
	if (n > x->max_body - x->decoded) {
		x->over_cap = 1;
		return 0;	/* CURLE_WRITE_ERROR ends the transfer */
	}
	x->decoded += n;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code < 300)
		strbuf_add(&x->body, data, n);
	return n;
}

/* Copy a header value without surrounding white space, or NULL. */
static char *
header_value(const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (n == 0 || n > HEADER_VALUE_MAX || memchr(v, '\0', n) != NULL)
		return NULL;
	return xstrndup(v, n);
}

/*
 * At the end of a response's headers, acknowledge them at once.  A server
 * that writes headers and body separately without TCP_NODELAY (simple
 * Python or embedded servers do) holds the body back under Nagle until
 * that ACK comes, and on a kept-alive connection the kernel delays it by
 * up to 40 ms: every reused connection would pay that per feed.  libcurl
 * does not say which connection a transfer is on while it runs, so every
 * open socket gets the (harmless) request; there are max_connections at
 * most.
 */
static void
ack_now(struct fetch *f)
{
#ifdef TCP_QUICKACK
	size_t i;
	int one = 1;

	for (i = 0; i < f->n_socks; i++)
		(void)setsockopt(f->socks[i], IPPROTO_TCP, TCP_QUICKACK, &one,
		    sizeof(one));
#else
	(void)f;
#endif
}

static int
on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct fetch *f = arg;

	if (purpose == CURLSOCKTYPE_IPCXN) {
		f->socks = xreallocarray_grow(f->socks, &f->cap_socks,
		    f->n_socks + 1, sizeof(*f->socks));
		f->socks[f->n_socks++] = fd;
	}
	return CURL_SOCKOPT_OK;
}

static int
on_close_socket(void *arg, curl_socket_t fd)
{
	struct fetch *f = arg;
	size_t i;

	for (i = 0; i < f->n_socks; i++)
		if (f->socks[i] == fd) {
			f->socks[i] = f->socks[--f->n_socks];
			break;
		}
	return close(fd);
}

static size_t
on_header(char *line, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	const char *colon;

	n *= size;
	if ((n == 2 && line[0] == '\r') || (n == 1 && line[0] == '\n')) {
		long code = 0;

		/* No body follows a 304 or a 204: nothing to hurry. */
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code != 304 && code != 204)
			ack_now(x->f);
		return n;
	}
	if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100): forget the
		 * validators of the previous one. */
		free(x->etag);
		free(x->last_modified);
		x->etag = x->last_modified = NULL;
		return n;
	}
	colon = memchr(line, ':', n);
	if (colon == NULL)
		return n;
	if ((size_t)(colon - line) == 4 &&
	    util_strncasecmp(line, "etag", 4) == 0) {
		free(x->etag);
		x->etag = header_value(colon + 1, n - 5);
	} else if ((size_t)(colon - line) == 13 &&
	    util_strncasecmp(line, "last-modified", 13) == 0) {
		free(x->last_modified);
		x->last_modified = header_value(colon + 1, n - 14);
	}
	return n;
}

static int
is_file_url(const char *url)
{
	return util_strncasecmp(url, "file://", 7) == 0;
}

#define ACCEPT_HEADER "Accept: application/rss+xml, application/atom+xml, " \
	"application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, " \
	"*/*;q=0.5"

/* The headers of x's request: Accept, then the validators it has. */
static void
set_headers(struct xfer *x, const char *etag, const char *last_modified)
{
	size_t at[2], n = 0, i;

	strbuf_reset(&x->validators);
	if (etag != NULL) {
		at[n++] = x->validators.len;
		strbuf_adds(&x->validators, "If-None-Match: ");
		strbuf_adds(&x->validators, etag);
		strbuf_addc(&x->validators, '\0');
	}
	if (last_modified != NULL) {
		at[n++] = x->validators.len;
		strbuf_adds(&x->validators, "If-Modified-Since: ");
		strbuf_adds(&x->validators, last_modified);
		strbuf_addc(&x->validators, '\0');
	}
	x->hdrs[0].data = (char *)ACCEPT_HEADER;
	for (i = 0; i < n; i++) {
		x->hdrs[i].next = &x->hdrs[i + 1];
		x->hdrs[i + 1].data = x->validators.buf + at[i];
	}
	x->hdrs[n].next = NULL;
}

static void
setup_easy(struct fetch *f, struct xfer *x)
{
	CURL *e = x->easy;
	struct req *r = x->req;
	int file = is_file_url(r->url);

	curl_easy_reset(e);
	strbuf_reset(&x->body);
	x->decoded = 0;
	x->over_cap = 0;
	x->max_body = (size_t)f->o.max_body;
	x->errbuf[0] = '\0';
	free(x->etag);
	free(x->last_modified);
	x->etag = x->last_modified = NULL;

	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_SHARE, f->share);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "deskwire/" DESKWIRE_VERSION);
	/* "": every encoding this libcurl can decode. */
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	/*
	 * Only the web, except that a feed configured as file:// may read
	 * that one file (and nothing it could redirect to).
	 */
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, file ? "file" :
	    "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, file ? (long)CURLPROTO_FILE :
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, f->o.connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, f->o.timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, f->o.low_speed_limit);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->o.low_speed_time);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)f->o.max_body);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, f);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_close_socket);
	curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, f);

	set_headers(x, r->etag, r->last_modified);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
}

/*
 * The key libcurl counts a URL's connections under: the authority's host
 * and port, lower case, without user information; the scheme's port when
 * none is given.  "" for a file:// URL (and anything without "://").
 */
static void
host_key(const char *url, char *buf, size_t len)
{
	const char *end, *colon, *p = util_url_host(url, &end);
	size_t n, i;

	buf[0] = '\0';
	if (p == NULL || is_file_url(url))
		return;
	n = (size_t)(end - p);
	if (n >= len - 8)
		n = len - 8;
	for (i = 0; i < n; i++)
		buf[i] = p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + 32) : p[i];
	buf[n] = '\0';
	/* A port after the name (or after an IPv6 literal's ']'). */
	colon = strrchr(buf, ':');
	if (colon == NULL || strchr(colon, ']') != NULL)
		snprintf(buf + n, len - n, ":%s",
		    util_strncasecmp(url, "https:", 6) == 0 ? "443" : "80");
}

/* Network thread: put r at the end of its host's queue. */
static void
queue_req(struct fetch *f, struct req *r)
{
	char key[300];
	size_t i;

	host_key(r->url, key, sizeof(key));
	for (i = 0; i < f->n_hosts; i++)
		if (strcmp(f->hosts[i].key, key) == 0)
			break;
	if (i == f->n_hosts) {
		f->hosts = xreallocarray_grow(f->hosts, &f->cap_hosts,
		    f->n_hosts + 1, sizeof(*f->hosts));
		memset(&f->hosts[i], 0, sizeof(f->hosts[i]));
		f->hosts[i].key = xstrdup(key);
		f->hosts[i].tail = &f->hosts[i].head;
		f->hosts[i].window = 1;
		f->n_hosts++;
	}
	r->host = i;
	r->next = NULL;
	*f->hosts[i].tail = r;
	f->hosts[i].tail = &r->next;
	f->n_queued++;
}

/* Network thread: hand r to libcurl on a free slot. */
static void
start_req(struct fetch *f, struct req *r)
{
	struct xfer *x;

	if ((x = f->free_xfers) != NULL)
		f->free_xfers = x->next;
	else {
		x = xcalloc(1, sizeof(*x));
		strbuf_init(&x->body);
		strbuf_init(&x->validators);
		x->f = f;
		if ((x->easy = curl_easy_init()) == NULL)
			fatal("cannot create a libcurl handle");
		f->all = xreallocarray_grow(f->all, &f->cap_all,
		    f->n_all + 1, sizeof(*f->all));
		f->all[f->n_all++] = x;
	}
	x->next = NULL;
	x->req = r;
	setup_easy(f, x);
	if (curl_multi_add_handle(f->multi, x->easy) != CURLM_OK)
		fatal("curl_multi_add_handle failed");
	x->started = util_mono_ms();
	f->hosts[r->host].running++;
	f->n_running++;
}

/* Network thread: when the longest-running transfer of host hi started. */
static int64_t
oldest_start(const struct fetch *f, size_t hi)
{
	int64_t t = INT64_MAX;
	size_t i;

	for (i = 0; i < f->n_all; i++) {
		const struct xfer *x = f->all[i];

		if (x->req != NULL && x->req->host == hi && x->started < t)
			t = x->started;
	}
	return t;
}

/* Network thread: queue the added requests, then start waiting ones,
 * one per host in turn, while slots are free, their hosts are under the
 * cap and the finished ones waiting for the caller are under theirs. */
static void
start_pending(struct fetch *f)
{
	struct req *list, *r;
	size_t idle = 0;	/* hosts looked at since the last start */
	int64_t now = util_mono_ms();
	int over;

	pthread_mutex_lock(&f->lock);
	list = f->pend_head;
	f->pend_head = f->pend_tail = NULL;
	over = f->done_bytes >= DONE_QUEUE_BYTES;
	while (list != NULL) {
		r = list;
		list = r->next;
		queue_req(f, r);
	}
	/* Only this thread raises done_bytes: "over" holds until the
	 * caller takes the finished ones, and then it sees "held". */
	f->held = over && f->n_queued > 0;
	pthread_mutex_unlock(&f->lock);
	f->grow_wait = -1;
	if (over)
		return;
	while (f->n_queued > 0 && idle < f->n_hosts &&
	    f->n_running < (size_t)f->o.max_inflight) {
		struct host *h = &f->hosts[f->next_host];
		long wait;

		f->next_host = (f->next_host + 1) % f->n_hosts;
		if (h->head == NULL || (h->key[0] != '\0' &&
		    h->running >= (size_t)f->o.max_per_host)) {
			idle++;
			continue;
		}
		if (h->running >= h->window && h->key[0] != '\0') {
			wait = f->o.grow_ms - (long)(now -
			    oldest_start(f, (size_t)(h - f->hosts)));
			if (wait > 0) {
				if (f->grow_wait < 0 || wait < f->grow_wait)
					f->grow_wait = wait;
				idle++;
				continue;
			}
			h->window++;
		}
		r = h->head;
		if ((h->head = r->next) == NULL)
			h->tail = &h->head;
		f->n_queued--;
		start_req(f, r);
		idle = 0;
	}
}

static const char *
connect_words(long oserr)
{
	switch (oserr) {
	case ECONNREFUSED:
		return "connection refused";
	case ENETUNREACH:
		return "network unreachable";
	case EHOSTUNREACH:
		return "host unreachable";
	case ETIMEDOUT:
		return "connection timed out";
	default:
		return "could not connect";
	}
}

/* The failure of a transfer that ended with rc, in words. */
static void
describe(struct fetch *f, struct xfer *x, CURLcode rc, char *buf,
    size_t len)
{
	char size[32];
	long oserr = 0;
	double tconn = 0;

	switch (rc) {
	case CURLE_WRITE_ERROR:
		if (!x->over_cap)
			break;
		/* FALLTHROUGH */
	case CURLE_FILESIZE_EXCEEDED:
		fetch_format_size(f->o.max_body, size, sizeof(size));
		snprintf(buf, len, "body over %s", size);
		return;
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME, &tconn);
		if (util_strcasestr(x->errbuf, "too slow") != NULL &&
		    x->decoded == 0)
			snprintf(buf, len, "stalled: nothing received for "
			    "%ld s", f->o.low_speed_time);
		else if (util_strcasestr(x->errbuf, "too slow") != NULL)
			snprintf(buf, len, "too slow: under %ld bytes/s for "
			    "%ld s", f->o.low_speed_limit,
			    f->o.low_speed_time);
		else if (tconn <= 0 && !is_file_url(x->req->url) &&
		    util_strcasestr(x->errbuf, "connect") != NULL)
			snprintf(buf, len, "connect timed out after %ld s",
			    f->o.connect_timeout);
		else
			snprintf(buf, len, "timed out after %ld s",
			    f->o.timeout);
		return;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
		snprintf(buf, len, "%s", connect_words(oserr));
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(buf, len, "host not found");
		return;
	case CURLE_COULDNT_RESOLVE_PROXY:
		snprintf(buf, len, "proxy not found");
		return;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(buf, len, "too many redirects");
		return;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(buf, len, "protocol not allowed");
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
		snprintf(buf, len, "TLS certificate not trusted");
		return;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(buf, len, "TLS handshake failed");
		return;
	case CURLE_PARTIAL_FILE:
		snprintf(buf, len, "truncated body (connection closed early)");
		return;
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(buf, len, "bad compressed body");
		return;
	case CURLE_GOT_NOTHING:
		snprintf(buf, len, "empty reply from server");
		return;
	case CURLE_RECV_ERROR:
		snprintf(buf, len, "connection reset while receiving");
		return;
	case CURLE_URL_MALFORMAT:
		snprintf(buf, len, "malformed URL");
		return;
	case CURLE_FILE_COULDNT_READ_FILE:
		snprintf(buf, len, "cannot read file");
		return;
	default:
		break;
	}
	if (x->errbuf[0] != '\0')
		snprintf(buf, len, "%s", x->errbuf);
	else
		snprintf(buf, len, "%s", curl_easy_strerror(rc));
}

/* Network thread: a finished transfer becomes a struct done for the
 * caller.  Whether the finished ones are over their cap. */
static int
finish(struct fetch *f, struct xfer *x, CURLcode rc)
{
	struct done *d = xcalloc(1, sizeof(*d));
	struct fetch_result *res = &d->res;
	char errbuf[256];
	char *eff = NULL, *ctype = NULL;
	long code = 0;
	curl_off_t ra = -1;
	double secs = 0;
	struct host *h;
	int over;

	errbuf[0] = '\0';
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME, &secs);
#if LIBCURL_VERSION_NUM >= 0x074200
	if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra) != CURLE_OK)
		ra = -1;
#endif
	d->url = xstrdup(x->req->url);
	d->effective_url = eff != NULL ? xstrdup(eff) : NULL;
	d->etag = x->etag;
	d->last_modified = x->last_modified;
	x->etag = x->last_modified = NULL;
	d->content_type = ctype != NULL ? xstrdup(ctype) : NULL;
	res->url = d->url;
	res->effective_url = d->effective_url != NULL ? d->effective_url :
	    d->url;
	res->user = x->req->user;
	res->http_status = code;
	res->etag = d->etag;
	res->last_modified = d->last_modified;
	res->content_type = d->content_type;
	/* libcurl reports 0 both for "absent" and for "Retry-After: 0". */
	res->retry_after = ra > 0 ? (long)(ra > 7 * 86400 ? 7 * 86400 : ra) :
	    -1;
	res->seconds = secs;
	res->body = "";
	if (rc != CURLE_OK) {
		res->outcome = FETCH_FAILED;
		describe(f, x, rc, errbuf, sizeof(errbuf));
	} else if (code == 304) {
		res->outcome = FETCH_NOT_MODIFIED;
	} else if ((code >= 200 && code < 300) ||
	    (code == 0 && is_file_url(d->url))) {
		res->outcome = FETCH_OK;
		if (x->body.len > 0) {
			/* The buffer moves to the result. */
			d->body = strbuf_detach(&x->body, &res->len);
			strbuf_init(&x->body);
			res->body = d->body;
		}
	} else {
		res->outcome = FETCH_HTTP_ERROR;
		snprintf(errbuf, sizeof(errbuf), "HTTP %ld", code);
	}
	d->error = xstrdup(errbuf);
	res->error = d->error;

	curl_multi_remove_handle(f->multi, x->easy);
	f->n_running--;
	h = &f->hosts[x->req->host];
	if (--h->running == 0 && h->head == NULL)
		h->window = 1;
	req_free(x->req);
	x->req = NULL;
	if (x->body.cap > KEEP_BODY_BUF)
		strbuf_done(&x->body);
	x->next = f->free_xfers;
	f->free_xfers = x;

	pthread_mutex_lock(&f->lock);
	*f->done_tail = d;
	f->done_tail = &d->next;
	f->done_bytes += (long)res->len + 1;
	over = f->done_bytes >= DONE_QUEUE_BYTES;
	pthread_mutex_unlock(&f->lock);
	return over;
}

/*
 * Network thread: hand on every finished transfer; how many.  The caller
 * is woken for DONE_BATCH of them, for the first one DONE_DELAY_MS old,
 * when nothing else runs or waits, or when they are over their cap.
 * Waking it for every transfer cost a poll of 1000 unchanged feeds an
 * eighth of its time: its thread took a CPU from the transfers.
 */
static int
collect(struct fetch *f)
{
	CURLMsg *m;
	int left, n = 0, over = 0;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &x);
		over |= finish(f, x, m->data.result);
		n++;
	}
	if (n > 0 && f->n_unsignalled == 0)
		f->unsignalled_since = util_mono_ms();
	f->n_unsignalled += (size_t)n;
	if (f->n_unsignalled > 0 && (over || f->n_unsignalled >= DONE_BATCH ||
	    (f->n_running == 0 && f->n_queued == 0) ||
	    util_mono_ms() - f->unsignalled_since >= DONE_DELAY_MS)) {
		f->n_unsignalled = 0;
		pthread_mutex_lock(&f->lock);
		pthread_cond_broadcast(&f->cond);
		pthread_mutex_unlock(&f->lock);
	}
	return n;
}

/* Network thread: how long it may wait for sockets, milliseconds. */
static int
poll_timeout(struct fetch *f)
{
	long t = 1000;

	if (f->grow_wait >= 0 && f->grow_wait < t)
		t = f->grow_wait;
	if (f->n_unsignalled > 0) {
		long left = DONE_DELAY_MS -
		    (long)(util_mono_ms() - f->unsignalled_since);

		if (left < t)
			t = left > 0 ? left : 0;
	}
	return (int)t;
}

static void *
net_main(void *arg)
{
	struct fetch *f = arg;
	sigset_t all;
	int running, stop;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	(void)util_thread_heap_huge();
	for (;;) {
		pthread_mutex_lock(&f->lock);
		stop = f->stop;
		pthread_mutex_unlock(&f->lock);
		if (stop)
			break;
		start_pending(f);
		curl_multi_perform(f->multi, &running);
		/* A finished transfer frees a slot (and its connection):
		 * start the next one before waiting. */
		if (collect(f) > 0)
			continue;
		/* Wakes for socket activity, libcurl's own timers, a new
		 * request, room in the done queue or fetch_free(). */
		curl_multi_poll(f->multi, NULL, 0, poll_timeout(f), NULL);
	}
	return NULL;
}

char *
fetch_take_body(struct fetch *f)
{
	char *b;

	if (f->cur == NULL || f->cur->body == NULL)
		return xstrdup("");
	b = f->cur->body;
	f->cur->body = NULL;
	f->cur->res.body = "";
	return b;
}

int
fetch_run(struct fetch *f, int timeout_ms, fetch_done_fn done, void *arg)
{
	struct done *list, *d, *next;
	struct timespec until = { 0, 0 };
	size_t taken = 0;
	int held;

	fetch_kick(f);
	if (timeout_ms >= 0)
		util_deadline(CLOCK_MONOTONIC, timeout_ms, &until);
	pthread_mutex_lock(&f->lock);
	while (f->done == NULL && !f->wake) {
		if (timeout_ms < 0)
			pthread_cond_wait(&f->cond, &f->lock);
		else if (pthread_cond_timedwait(&f->cond, &f->lock, &until) ==
		    ETIMEDOUT)
			break;
	}
	f->wake = 0;
	list = f->done;
	f->done = NULL;
	f->done_tail = &f->done;
	f->done_bytes = 0;
	for (d = list; d != NULL; d = d->next)
		taken++;
	f->n_out -= taken;	/* handed back from here on */
	held = f->held;
	pthread_mutex_unlock(&f->lock);
	if (held)
		curl_multi_wakeup(f->multi);	/* room for more transfers */
	if (list == NULL)
		return 0;
	for (d = list; d != NULL; d = next) {
		next = d->next;
		f->cur = d;
		done(arg, &d->res);
		f->cur = NULL;
		done_free(d);
	}
	fetch_kick(f);	/* what the callbacks added */
	return (int)taken;
}

/*
 * fetch.h - concurrent HTTP(S) transfers for the poller: one libcurl multi
 * handle, reused easy handles and connections, conditional GET, and the
 * limits every download from the network gets (timeouts, slow-link abort,
 * a cap on the decompressed body, redirects, protocols).
 *
 * The transfers run on a network thread of the fetcher's own.  Only one
 * thread (the one that calls fetch_run()) may use a struct fetch, except
 * fetch_wakeup(), which any thread may call.
 */
#ifndef DESKWIRE_FETCH_H
#define DESKWIRE_FETCH_H

#include <stddef.h>

struct fetch;

struct fetch_opts {		/* 0 or less: the default in brackets */
	long max_connections;	/* connections in total [16] */
	long max_per_host;	/* connections to one host [4] */
	long connect_timeout;	/* seconds [10] */
	long timeout;		/* whole transfer, seconds [30] */
	long max_body;		/* decompressed body bytes [8 MiB] */
	long low_speed_limit;	/* abort under this many bytes/s... [100] */
	long low_speed_time;	/* ...for this many seconds [timeout/2] */
	long max_inflight;	/* transfers given to libcurl at once
				   [max_connections] */
	long grow_ms;		/* a host runs one transfer at a time, and
				   one more each time one has run this
				   long, milliseconds [20] */
};

struct fetch_req {
	const char *url;		/* http://, https:// or file:// */
	const char *etag;		/* sent as If-None-Match; may be NULL */
	const char *last_modified;	/* sent as If-Modified-Since; may be NULL */
	void *user;			/* handed back in the result */
};

enum fetch_outcome {
	FETCH_OK,		/* 2xx (or a file): body holds the document */
	FETCH_NOT_MODIFIED,	/* 304: the copy we have is current */
	FETCH_HTTP_ERROR,	/* another HTTP status; error says which */
	FETCH_FAILED		/* no usable response; error says why */
};

/*
 * A finished transfer.  Every pointer is borrowed and valid only during
 * the fetch_done_fn call; copy what must outlive it.
 */
struct fetch_result {
	const char *url;		/* as requested */
	const char *effective_url;	/* after redirects */
	void *user;
	enum fetch_outcome outcome;
	long http_status;		/* 0 when there was no HTTP response */
	const char *body;		/* NUL-terminated; "" unless FETCH_OK */
	size_t len;
	const char *etag;		/* response validators, or NULL */
	const char *last_modified;
	const char *content_type;	/* or NULL */
	long retry_after;		/* seconds asked by Retry-After, or -1 */
	const char *error;		/* in words ("HTTP 404", "timed out
					   after 30 s", ...); "" when fine */
	double seconds;			/* total transfer time */
};

typedef void (*fetch_done_fn)(void *arg, const struct fetch_result *res);

/* A fetcher with the given limits (o may be NULL for the defaults).
 * Returns NULL with a message if libcurl cannot be set up. */
struct fetch *fetch_new(const struct fetch_opts *o, char *err,
    size_t errlen);
/* Abort every transfer (no callbacks) and free everything.  NULL is ok. */
void fetch_free(struct fetch *f);

/* Queue a transfer; strings are copied.  It starts on the network thread
 * as soon as an in-flight slot is free, once that thread is woken: by the
 * next fetch_run(), or fetch_kick(). */
void fetch_add(struct fetch *f, const struct fetch_req *req);
/* Wake the network thread for the transfers added since the last wake-up,
 * without waiting for any (fetch_run() does it first thing). */
void fetch_kick(struct fetch *f);

/* Transfers queued or running. */
size_t fetch_pending(struct fetch *f);

/*
 * Wait up to timeout_ms (-1: until something happens) for finished
 * transfers or fetch_wakeup(), then call done for each finished transfer,
 * in the calling thread, in the order they finished.  done may call
 * fetch_add().  Returns the number of finished transfers (0 on a timeout
 * or wake-up).
 */
int fetch_run(struct fetch *f, int timeout_ms, fetch_done_fn done,
    void *arg);

/*
 * Inside a done callback: the body of the result being handled, on the
 * heap (NUL-terminated, res->len bytes), for the caller to free; the
 * result's body is "" afterwards.  Saves copying a document to keep it.
 */
char *fetch_take_body(struct fetch *f);

/* Make a fetch_run() that is waiting return early.  Any thread. */
void fetch_wakeup(struct fetch *f);

/* "8 MiB", "512 KiB", "1000 bytes": a size for messages, into buf. */
void fetch_format_size(long bytes, char *buf, size_t len);

#endif

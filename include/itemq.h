/*
 * itemq.h - the bounded, thread-safe queue between the poller thread and
 * its consumer (the UI loop or `fetch --once`), with a wake-up fd that
 * becomes readable when items or a notification are waiting.
 *
 * Producers block when it is full (backpressure): nothing is dropped.
 */
#ifndef DESKWIRE_ITEMQ_H
#define DESKWIRE_ITEMQ_H

#include <stddef.h>

#include "item.h"

struct itemq;

/* A queue holding at most cap items.  Aborts on allocation failure;
 * returns NULL with a message only if the wake pipe cannot be made. */
struct itemq *itemq_new(size_t cap, char *err, size_t errlen);
/* Frees the queue and any items still in it.  No thread may use it. */
void itemq_free(struct itemq *q);

/*
 * Append it (takes ownership, also on failure).  Blocks while the queue is
 * full.  Returns 0, or -1 if the queue was closed (it is freed).
 */
int itemq_push(struct itemq *q, struct item *it);

/* Wake the consumer without an item (e.g. feed status changed). */
void itemq_notify(struct itemq *q);

/*
 * Take every queued item (a next-linked list in push order, owned by the
 * caller, or NULL) and clear the wake fd.  *notified (if non-NULL) says
 * whether itemq_notify() was called since the last drain.  Never blocks.
 */
struct item *itemq_drain(struct itemq *q, int *notified);

/* Wait up to timeout_ms (-1 forever) for the fd to become readable.
 * Returns 1 if readable, 0 on timeout. */
int itemq_wait(struct itemq *q, int timeout_ms);

/* The fd to poll() for POLLIN; owned by the queue. */
int itemq_fd(const struct itemq *q);

/* After close, pushes fail and blocked pushers return -1; the fd stays
 * readable so a consumer sees the end. */
void itemq_close(struct itemq *q);
/* 1 once itemq_close() was called and every item was drained. */
int itemq_finished(struct itemq *q);

#endif

/*
 * itemq.c - bounded item queue between the poller thread and its consumer.
 *
 * A mutex-protected singly linked list with a count, a condition variable
 * for producers waiting on a full queue, and a self-pipe whose read end the
 * consumer polls.  The pipe carries at most one pending byte: `signalled`
 * says whether a wake-up is already in flight, so a burst of pushes costs
 * one write(), and draining reads it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itemq.h"
#include "util.h"

struct itemq {
	pthread_mutex_t lock;
	pthread_cond_t not_full;
	struct item *head, *tail;
	size_t count, cap;
	int closed;
	int signalled;		/* a byte is in the pipe */
	int notified;		/* itemq_notify() since the last drain */
	int pipefd[2];
};

struct itemq *
itemq_new(size_t cap, char *err, size_t errlen)
{
	struct itemq *q = xcalloc(1, sizeof(*q));

	if (util_pipe_cloexec(q->pipefd) < 0) {
		util_seterr(err, errlen, "queue wake-up pipe: %s",
		    strerror(errno));
		free(q);
		return NULL;
	}
	if (util_fd_nonblock_cloexec(q->pipefd[0]) < 0 ||
	    util_fd_nonblock_cloexec(q->pipefd[1]) < 0) {
		util_seterr(err, errlen, "queue wake-up pipe: %s",
		    strerror(errno));
		close(q->pipefd[0]);
		close(q->pipefd[1]);
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_full, NULL);
	q->cap = cap ? cap : 1;
	return q;
}

void
itemq_free(struct itemq *q)
{
	if (q == NULL)
		return;
	item_free_list(q->head);
	close(q->pipefd[0]);
	close(q->pipefd[1]);
	pthread_cond_destroy(&q->not_full);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Called with the lock held. */
static void
wake_locked(struct itemq *q)
{
	ssize_t n;

	if (q->signalled)
		return;
	do
		n = write(q->pipefd[1], "x", 1);
	while (n < 0 && errno == EINTR);
	/* EAGAIN means a byte is already there: just as good. */
	q->signalled = 1;
}

int
itemq_push(struct itemq *q, struct item *it)
{
	pthread_mutex_lock(&q->lock);
	while (q->count >= q->cap && !q->closed)
		pthread_cond_wait(&q->not_full, &q->lock);
	if (q->closed) {
		pthread_mutex_unlock(&q->lock);
		item_free(it);
		return -1;
	}
	it->next = NULL;
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->count++;
	wake_locked(q);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

void
itemq_notify(struct itemq *q)
{
	pthread_mutex_lock(&q->lock);
	q->notified = 1;
	wake_locked(q);
	pthread_mutex_unlock(&q->lock);
}

struct item *
itemq_drain(struct itemq *q, int *notified)
{
	struct item *list;
	char buf[64];

	pthread_mutex_lock(&q->lock);
	list = q->head;
	q->head = q->tail = NULL;
	q->count = 0;
	if (notified != NULL)
		*notified = q->notified;
	q->notified = 0;
	if (q->signalled) {
		while (read(q->pipefd[0], buf, sizeof(buf)) > 0)
			;
		q->signalled = 0;
	}
	/* A closed queue stays readable so the consumer sees the end. */
	if (q->closed)
		wake_locked(q);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return list;
}

int
itemq_wait(struct itemq *q, int timeout_ms)
{
	struct pollfd pfd = { .fd = q->pipefd[0], .events = POLLIN };
	int n;

	do
		n = poll(&pfd, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

int
itemq_fd(const struct itemq *q)
{
	return q->pipefd[0];
}

void
itemq_close(struct itemq *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	wake_locked(q);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

int
itemq_finished(struct itemq *q)
{
	int done;

	pthread_mutex_lock(&q->lock);
	done = q->closed && q->head == NULL;
	pthread_mutex_unlock(&q->lock);
	return done;
}

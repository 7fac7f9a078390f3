/*
 * alert.h - alert rules and the child processes the dashboard starts:
 * the alert command (item as JSON on its stdin, killed after a timeout)
 * and the browser.  Nothing here blocks: children are started with
 * fork/execv (never a shell), their stdin is fed from the UI loop through
 * a non-blocking pipe, and they are reaped with waitpid(WNOHANG).
 */
#ifndef DESKWIRE_ALERT_H
#define DESKWIRE_ALERT_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "item.h"

/*
 * Does it deserve an alert?  A watchlist ticker (conf or extra, may be
 * NULL) with impact >= c->alert_threshold, or any `alert` rule of c
 * (tickers — empty means any watchlist ticker —, categories, keywords in
 * the title or summary, min_impact).  Returns 1 and the matching ticker
 * (or "") in why, else 0.
 */
int alert_match(const struct conf *c, const struct conf_strv *extra,
    const struct item *it, char *why, size_t whylen);

struct alert_procs;

struct alert_procs *alert_procs_new(void);
/* Kills and reaps every child still running. */
void alert_procs_free(struct alert_procs *p);

/*
 * Start argv (argv[0] looked up in PATH) with input (copied, may be NULL)
 * on its stdin and stdout/stderr on /dev/null.  timeout_s > 0 kills its
 * process group that many seconds later.  Returns the pid, or -1 with a
 * message.
 */
long alert_spawn(struct alert_procs *p, char *const argv[],
    const char *input, size_t len, long timeout_s, char *err,
    size_t errlen);

/*
 * Open url in the browser: browser argv with "%u" replaced (url appended
 * if no %u), else $BROWSER split into words, else xdg-open.  Only http,
 * https and file URLs are opened.  Returns 0, or -1 with a message.
 */
int alert_open_url(struct alert_procs *p, const struct conf_strv *browser,
    const char *url, char *err, size_t errlen);

/* Fill fds (room for max) with the stdin pipes still being written;
 * returns the count. */
int alert_pollfds(struct alert_procs *p, struct pollfd *fds, int max);
/*
 * Write pending input, reap exited children, kill overdue ones.  Returns
 * the number of children that exited since the last call; *killed gets
 * those killed for the timeout (may be NULL).
 */
int alert_service(struct alert_procs *p, int *killed);
/* Milliseconds until the next timeout (-1: none). */
int alert_next_ms(const struct alert_procs *p);
/* Children still running. */
int alert_running(const struct alert_procs *p);

#endif

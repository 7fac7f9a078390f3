/*
 * extanalysis.h - optional deeper analysis by an external program
 * (analysis_cmd in feeds.conf, e.g. a local LLM command line): the item
 * goes to its stdin as one JSON object, its stdout becomes the item's
 * analysis.  The program is run with fork/execvp (argv, never a shell),
 * its output is capped (analysis_max_output) and its run time too
 * (analysis_timeout: killed when over).  Failures are messages, never
 * fatal.
 */
#ifndef DESKWIRE_EXTANALYSIS_H
#define DESKWIRE_EXTANALYSIS_H

#include <stddef.h>

#include "conf.h"
#include "item.h"

/*
 * Should analysis_cmd run for it?  1 when a command is configured and
 * (on_demand or it->ann.impact >= c->analysis_threshold).
 */
int extanalysis_wanted(const struct conf *c, const struct item *it,
    int on_demand);

/*
 * Run c->analysis_cmd for it, synchronously.  On success returns 0 and
 * *out is the program's output (trimmed, control characters removed,
 * NUL-terminated, heap, owned by the caller).  On failure (no command,
 * exec failure, timeout, non-zero exit, empty output) returns -1 with a
 * message in err and *out NULL.  Output beyond the cap is cut (not an
 * error).  Safe to call from several threads at once.
 */
int extanalysis_run(const struct conf *c, const struct item *it, char **out,
    char *err, size_t errlen);

/*
 * A limiter for callers that run analyses in parallel: at most
 * c->analysis_jobs at once across threads.  acquire returns 1 when a slot
 * was taken (call release after), 0 when all are busy (skip or retry
 * later).
 */
int extanalysis_try_acquire(const struct conf *c);
void extanalysis_release(void);

#endif

/*
 * ui_pending.c - weak stand-ins for the poller while it is a placeholder.
 * Every definition here is weak: the poller's strong definitions win at
 * link time.  Deleted once the poller lands.
 */
#include "poller.h"
#include "util.h"

#define WEAK __attribute__((weak))

WEAK struct poller *
poller_start(const struct conf *c, const char *db_path,
    const struct analyze_ctx *ctx, struct itemq *q, int flags, char *err,
    size_t errlen)
{
	(void)c, (void)db_path, (void)ctx, (void)q, (void)flags;
	util_seterr(err, errlen, "poller not available");
	return NULL;
}

WEAK void
poller_refresh(struct poller *p, const char *url)
{
	(void)p, (void)url;
}

WEAK int
poller_is_passive(struct poller *p)
{
	(void)p;
	return 0;
}

WEAK void
poller_stop(struct poller *p)
{
	(void)p;
}

/*
 * log.c - a mutex-protected log file with timestamps and levels.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_fp;
static int log_verbose;
static int log_quiet;

int
log_open(const char *path, int verbose, char *err, size_t errlen)
{
	char *dir = NULL, *p = NULL;
	FILE *fp;
	int rc = -1;

	if (path == NULL) {
		dir = util_xdg_dir("XDG_STATE_HOME", ".local/state");
		if (dir == NULL) {
			util_seterr(err, errlen, "neither XDG_STATE_HOME nor "
			    "HOME is set");
			goto out;
		}
		p = xasprintf("%s/deskwire", dir);
		if (util_mkdirs(p, 0700) < 0) {
			util_seterr(err, errlen, "%s: %s", p, strerror(errno));
			goto out;
		}
		free(p);
		p = xasprintf("%s/deskwire/deskwire.log", dir);
		path = p;
	}
	fp = fopen(path, "ae");
	if (fp == NULL) {
		util_seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	pthread_mutex_lock(&log_lock);
	if (log_fp != NULL)
		fclose(log_fp);
	log_fp = fp;
	log_verbose = verbose;
	pthread_mutex_unlock(&log_lock);
	rc = 0;
out:
	free(dir);
	free(p);
	return rc;
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_fp != NULL)
		fclose(log_fp);
	log_fp = NULL;
	pthread_mutex_unlock(&log_lock);
}

void
log_quiet_stderr(int quiet)
{
	pthread_mutex_lock(&log_lock);
	log_quiet = quiet;
	pthread_mutex_unlock(&log_lock);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	char ts[32];
	va_list ap;

	pthread_mutex_lock(&log_lock);
	if (lvl == LOG_DEBUG && !log_verbose)
		goto out;
	if (log_fp != NULL) {
		util_iso8601(util_now(), ts, sizeof(ts));
		fprintf(log_fp, "%s %s: ", ts, names[lvl]);
		va_start(ap, fmt);
		vfprintf(log_fp, fmt, ap);
		va_end(ap);
		fputc('\n', log_fp);
		fflush(log_fp);
	} else if (lvl >= LOG_WARN && !log_quiet) {
		fputs("deskwire: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
out:
	pthread_mutex_unlock(&log_lock);
}

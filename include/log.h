/*
 * log.h - append-only log file, safe from any thread.
 *
 * Before log_open() (or if it failed) messages at LOG_WARN and above go to
 * stderr, unless log_quiet_stderr() was called (the UI does, before curses).
 */
#ifndef DESKWIRE_LOG_H
#define DESKWIRE_LOG_H

#include "util.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/*
 * Open (append) the log at path, or at $XDG_STATE_HOME/deskwire/deskwire.log
 * when path is NULL, creating the directory 0700.  verbose enables debug.
 * Returns 0, or -1 with a message in err (logging then stays on stderr).
 */
int log_open(const char *path, int verbose, char *err, size_t errlen);
void log_close(void);
/* Never write to the terminal from now on (curses owns it). */
void log_quiet_stderr(int quiet);
void log_msg(enum log_level lvl, const char *fmt, ...) UTIL_PRINTF(2, 3);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif

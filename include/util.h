/*
 * util.h - allocation helpers that never return NULL, and small string and
 * number helpers shared by every module.
 *
 * Allocation failure is not a recoverable error in deskwire: every x*()
 * function prints a message and aborts instead of returning NULL.
 */
#ifndef DESKWIRE_UTIL_H
#define DESKWIRE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define DESKWIRE_VERSION "0.1.0"

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define UTIL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define UTIL_NORETURN __attribute__((noreturn))
#else
#define UTIL_PRINTF(f, a)
#define UTIL_NORETURN
#endif

/*
 * Scanning text eight bytes at a time, where a little-endian 64-bit load
 * allows it (UTIL_WORDS).  Each test sets the high bit of the bytes of x
 * it flags; a borrow may also flag a byte above a flagged one, so only
 * the lowest flag is exact (enough to find where a run stops).
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
#define UTIL_WORDS 1
#define UTIL_WORD_ONES 0x0101010101010101ULL
#define UTIL_WORD_HIGH 0x8080808080808080ULL

/* Bytes below 0x20: the control characters. */
static inline uint64_t
util_word_ctrl(uint64_t x)
{
	return (x - UTIL_WORD_ONES * 0x20) & ~x & UTIL_WORD_HIGH;
}

/* Bytes equal to c. */
static inline uint64_t
util_word_eq(uint64_t x, unsigned char c)
{
	uint64_t t = x ^ (UTIL_WORD_ONES * c);

	return (t - UTIL_WORD_ONES) & ~t & UTIL_WORD_HIGH;
}
#endif

/* Allocators: the result is owned by the caller; they abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array to hold at least need elements of size sz (doubling). */
void *xreallocarray_grow(void *p, size_t *cap, size_t need, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) UTIL_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) UTIL_PRINTF(1, 0);
/*
 * A zeroed block of n bytes for a large, long-lived table, mapped on its
 * own and, where the kernel gives transparent huge pages on request,
 * backed by them: filling a table of megabytes then costs a few page
 * faults instead of one per 4 KiB (each is several microseconds on a
 * virtual machine).  Smaller blocks come from malloc.  Release with
 * xfree_big() and the same n.  Aborts on failure, like xmalloc().
 */
void *xcalloc_big(size_t n);
void xfree_big(void *p, size_t n);

/*
 * Page faults cost several microseconds each on a virtual machine, and a
 * first fetch touches tens of megabytes of heap.  util_malloc_tune() is
 * for a process that does one burst of work and exits (`fetch --once`;
 * call it before any thread starts): glibc then starts each thread's heap
 * with 8 MiB writable, keeps up to 8 MiB free at its top instead of
 * returning it at once, and serves blocks up to 4 MiB from the heap.  In
 * such a process, util_thread_heap_huge() (call first thing in a thread
 * that allocates much) asks for transparent huge pages behind the calling
 * thread's glibc heap (a mapping of 64 MiB aligned to its size); it
 * returns 1 when the kernel took the advice, 0 when there was nothing to
 * advise: no util_malloc_tune() (a long-running dashboard keeps its
 * memory small instead), another C library, a sanitizer's allocator, or
 * the thread uses the main heap.  Both only advise: what malloc returns
 * does not change.
 */
void util_malloc_tune(void);
int util_thread_heap_huge(void);

/* Print "deskwire: fatal: ..." to stderr and abort(). */
void fatal(const char *fmt, ...) UTIL_PRINTF(1, 2) UTIL_NORETURN;

/*
 * Bounded formatting into a caller buffer (never overflows, always
 * terminates when size > 0).  Used for error messages: err/errlen pairs.
 */
void util_seterr(char *err, size_t errlen, const char *fmt, ...)
    UTIL_PRINTF(3, 4);

/* Copy src into dst of size dstlen, truncating; returns strlen(src). */
size_t util_strlcpy(char *dst, const char *src, size_t dstlen);

/*
 * ASCII classes without the locale machinery of <ctype.h>: each byte maps
 * to exactly one of the bits below (or 0 for punctuation, space and
 * controls).  Every byte >= 0x80 is UTIL_CC_UTF8.
 */
#define UTIL_CC_DIGIT	1
#define UTIL_CC_UPPER	2
#define UTIL_CC_LOWER	4
#define UTIL_CC_UTF8	8
#define UTIL_CC_ALNUM	(UTIL_CC_DIGIT | UTIL_CC_UPPER | UTIL_CC_LOWER)
extern const uint8_t util_ascii_class[256];

/* ASCII-only case helpers (locale independent). */
int util_strcasecmp(const char *a, const char *b);
int util_strncasecmp(const char *a, const char *b, size_t n);
char *util_strcasestr(const char *hay, const char *needle);

/*
 * The host of url's authority, after "scheme://" and any user
 * information ("user:password@"): a pointer into url, with *end set after
 * the authority ("host", "host:port" or "[v6]:port", up to the first '/',
 * '?' or '#').  NULL when url has no "://".
 */
const char *util_url_host(const char *url, const char **end);

/* Trim ASCII white space in place at both ends; returns s. */
char *util_trim(char *s);

/*
 * The lines of a data text (a TSV table compiled in or read from disk).
 * util_lines_next() returns each line that is neither blank nor a '#'
 * comment as a writable NUL-terminated copy without its "\n" or "\r\n",
 * owned by the reader and valid until the next call, or NULL at the end;
 * lineno is then the 1-based number of that line in the text, for
 * "file:line" messages.  With maxlen > 0 the reader stops at the first
 * line (comments included) of maxlen bytes or more: NULL with too_long
 * set.  The text is never modified; util_lines_free() releases the copy.
 */
struct util_lines {
	const char *p, *end;
	char *line;
	size_t cap, lineno, maxlen;
	int too_long;
};
void util_lines_init(struct util_lines *r, const char *text, size_t len);
char *util_lines_next(struct util_lines *r);
void util_lines_free(struct util_lines *r);

/*
 * Split line in place at tabs into at most max fields (max >= 1), with
 * trim each one trimmed with util_trim(); whatever follows the tab after
 * the last field is dropped.  The fields point into line.  Returns their
 * number.
 */
size_t util_tsv_split(char *line, char **f, size_t max, int trim);

/*
 * Strict number parsing: the whole string must be a number.
 * Return 0 on success, -1 (and *out untouched) otherwise.
 */
int util_parse_long(const char *s, long min, long max, long *out);
int util_parse_double(const char *s, double min, double max, double *out);
/* "90", "90s", "15m", "2h", "3d", "1w" -> seconds.  -1 on error. */
int util_parse_duration(const char *s, long *out_seconds);

/* Read a whole file into a NUL-terminated heap buffer (cap bytes at most).
 * Returns 0 and sets out and outlen, or -1 with a message in err. */
int util_read_file(const char *path, size_t cap, char **out, size_t *outlen,
                   char *err, size_t errlen);

/* mkdir -p with the given mode for every created component. 0 / -1. */
int util_mkdirs(const char *path, unsigned mode);

/*
 * A pipe with both ends close-on-exec, made under the same lock as
 * util_fork(), so that no child forked by another thread inherits it (a
 * child holding a copy of another child's stdin pipe keeps that child from
 * ever seeing end-of-file).  0, or -1 with errno set.
 */
int util_pipe_cloexec(int fds[2]);
/* fork() serialised with util_pipe_cloexec(). */
pid_t util_fork(void);

/* Make fd non-blocking and close-on-exec: 0, or -1 with errno set. */
int util_fd_nonblock_cloexec(int fd);

/* The XDG base directories ("$XDG_X_HOME" or "$HOME/<fallback>").
 * Returns a heap string owned by the caller, or NULL if HOME is unset. */
char *util_xdg_dir(const char *env, const char *fallback);

/* Wall clock in seconds / monotonic clock in milliseconds. */
time_t util_now(void);
int64_t util_mono_ms(void);
/* The time ms milliseconds from now on clock (for timed waits). */
void util_deadline(clockid_t clock, long ms, struct timespec *ts);

/* Format t as ISO 8601 UTC "2026-11-26T11:42:07Z" into buf (>= 21 bytes). */
void util_iso8601(time_t t, char *buf, size_t len);

/*
 * v with decimals digits after the point, byte for byte what
 * snprintf(buf, len, "%.*f", decimals, v) writes in the "C" numeric
 * locale (the program's), in a fraction of the time for the scores the
 * JSON output is full of.  Returns the length written (cut to
 * len - 1 like snprintf when buf is short).
 */
size_t util_fmt_fixed(double v, int decimals, char *buf, size_t len);

/* 64-bit FNV-1a hash of n bytes. */
uint64_t util_hash64(const void *p, size_t n);

#endif

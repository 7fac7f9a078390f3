/*
 * util.c - allocation that aborts on failure, bounded string helpers,
 * strict number parsing, file and directory helpers, clocks.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS, madvise() */
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("deskwire: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", nmemb, size);
	return p;
}

#define BIG_ALIGN ((size_t)2 << 20)	/* an x86-64 huge page */

/* The mapping ends at the page after the last byte: a tail shorter than a
 * huge page takes small pages, only as far as it is touched. */
static size_t
big_len(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	return (n + pg - 1) & ~(pg - 1);
}

void *
xcalloc_big(size_t n)
{
	size_t len = big_len(n), span = len + BIG_ALIGN;
	char *p, *a;

	if (n < BIG_ALIGN)
		return xcalloc(1, n);
	if (len < n || span < len)
		fatal("out of memory (%zu bytes)", n);
	/* Over-map by one huge page, then cut down to an aligned run. */
	p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("out of memory (%zu bytes)", n);
	a = (char *)(((uintptr_t)p + BIG_ALIGN - 1) &
	    ~(uintptr_t)(BIG_ALIGN - 1));
	if (a > p)
		(void)munmap(p, (size_t)(a - p));
	if (a + len < p + span)
		(void)munmap(a + len, (size_t)(p + span - (a + len)));
#ifdef MADV_HUGEPAGE
	(void)madvise(a, len, MADV_HUGEPAGE);
#endif
	return a;
}

void
xfree_big(void *p, size_t n)
{
	if (p == NULL)
		return;
	if (n < BIG_ALIGN)
		free(p);
	else
		(void)munmap(p, big_len(n));
}

/*
 * glibc gives each thread's arena heaps in mappings of HEAP_MAX bytes
 * aligned to HEAP_MAX (64 MiB on 64-bit), made writable as they grow:
 * heap_for_ptr() in its malloc relies on that alignment.  Advice given to
 * the whole mapping holds for the part made writable later, so pages the
 * heap grows into can be huge ones too.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UTIL_FOREIGN_MALLOC 1	/* the sanitizer's allocator, not glibc's */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define UTIL_FOREIGN_MALLOC 1
#endif
#endif
#define GLIBC_HEAP_MAX ((uintptr_t)64 << 20)
#define HEAP_TOP_PAD ((int)(8 << 20))

static int heap_burst;		/* util_malloc_tune() was called */

void
util_malloc_tune(void)
{
	heap_burst = 1;
#if defined(__GLIBC__) && !defined(UTIL_FOREIGN_MALLOC)
	/* Start each arena's heap with 8 MiB writable (whole huge pages fit
	 * in it), keep up to 8 MiB free before giving memory back (a batch
	 * freed is soon allocated again), and serve blocks up to 4 MiB
	 * from the heap instead of a fresh mapping each time. */
	(void)mallopt(M_TOP_PAD, HEAP_TOP_PAD);
	(void)mallopt(M_TRIM_THRESHOLD, 8 << 20);
	(void)mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

int
util_thread_heap_huge(void)
{
	int advised = 0;
#if defined(__GLIBC__) && !defined(UTIL_FOREIGN_MALLOC) && \
    defined(MADV_HUGEPAGE)
	void *p = malloc(1);
	uintptr_t base = (uintptr_t)p & ~(GLIBC_HEAP_MAX - 1);

	/* The main arena lives in the brk heap, not in such a mapping; on
	 * 32-bit systems the mappings are 1 MiB. */
	if (heap_burst && sizeof(void *) == 8 && p != NULL &&
	    (uintptr_t)sbrk(0) < base)
		advised = madvise((void *)base, GLIBC_HEAP_MAX,
		    MADV_HUGEPAGE) == 0;
	free(p);
#endif
	return advised;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

void *
xreallocarray_grow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t ncap = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			fatal("array too large");
		ncap *= 2;
	}
	if (sz && ncap > SIZE_MAX / sz)
		fatal("array too large");
	p = xrealloc(p, ncap * sz);
	*cap = ncap;
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatal("vsnprintf failed");
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
util_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

size_t
util_strlcpy(char *dst, const char *src, size_t dstlen)
{
	size_t n = strlen(src);

	if (dstlen > 0) {
		size_t c = n < dstlen - 1 ? n : dstlen - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

const uint8_t util_ascii_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
	0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
};

int
util_strcasecmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && lower(*x) == lower(*y)) {
		x++;
		y++;
	}
	return lower(*x) - lower(*y);
}

int
util_strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++) {
		if (lower(*x) != lower(*y))
			return lower(*x) - lower(*y);
		if (*x == '\0')
			return 0;
	}
	return 0;
}

char *
util_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)hay;
	for (; *hay; hay++)
		if (util_strncasecmp(hay, needle, n) == 0)
			return (char *)hay;
	return NULL;
}

const char *
util_url_host(const char *url, const char **end)
{
	const char *h = strstr(url, "://"), *e, *at;

	if (h == NULL)
		return NULL;
	h += 3;
	e = h + strcspn(h, "/?#");
	/* user:password@host: the host follows the last '@'. */
	for (at = h; at < e; at++)
		if (*at == '@')
			h = at + 1;
	*end = e;
	return h;
}

char *
util_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

void
util_lines_init(struct util_lines *r, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->p = text;
	r->end = text + len;
}

char *
util_lines_next(struct util_lines *r)
{
	while (r->p < r->end) {
		const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
		size_t n = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
		char *line;

		r->lineno++;
		if (r->maxlen && n >= r->maxlen) {
			r->too_long = 1;
			r->p = r->end;
			return NULL;
		}
		r->line = xreallocarray_grow(r->line, &r->cap, n + 1, 1);
		line = r->line;
		memcpy(line, r->p, n);
		line[n] = '\0';
		r->p += n + (nl != NULL);
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		return line;
	}
	return NULL;
}

void
util_lines_free(struct util_lines *r)
{
	free(r->line);
	r->line = NULL;
	r->cap = 0;
}

size_t
util_tsv_split(char *line, char **f, size_t max, int trim)
{
	size_t n = 0;
	char *s = line, *t;

	while (s && n < max) {
		t = strchr(s, '\t');
		if (t)
			*t++ = '\0';
		f[n++] = trim ? util_trim(s) : s;
		s = t;
	}
	return n;
}


int
util_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
util_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || isnan(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
util_parse_duration(const char *s, long *out_seconds)
{
	char *end;
	long v, mul = 1;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	if (*end != '\0') {
		if (end[1] != '\0')
			return -1;
		switch (*end) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 604800; break;
		default: return -1;
		}
	}
	if (v > LONG_MAX / mul)
		return -1;
	*out_seconds = v * mul;
	return 0;
}

int
util_read_file(const char *path, size_t cap, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	int fd = -1, rc = -1;
	char *buf = NULL;
	size_t len = 0, bcap = 0;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		util_seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		buf = xreallocarray_grow(buf, &bcap, len + 65536 + 1, 1);
		n = read(fd, buf + len, bcap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			util_seterr(err, errlen, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > cap) {
			util_seterr(err, errlen, "%s: larger than %zu bytes",
			    path, cap);
			goto out;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int
util_fd_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int
util_mkdirs(const char *path, unsigned mode)
{
	char *p = xstrdup(path), *s;
	int rc = -1;
	struct stat st;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST)
				goto out;
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto out;
	}
	rc = 0;
out:
	free(p);
	return rc;
}

char *
util_xdg_dir(const char *env, const char *fallback)
{
	const char *v = getenv(env), *home;

	if (v != NULL && v[0] == '/')
		return xstrdup(v);
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		return NULL;
	return xasprintf("%s/%s", home, fallback);
}

time_t
util_now(void)
{
	return time(NULL);
}

int64_t
util_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
util_deadline(clockid_t clock, long ms, struct timespec *ts)
{
	clock_gettime(clock, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

size_t
util_fmt_fixed(double v, int decimals, char *buf, size_t len)
{
	static const double scale[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	char tmp[32];
	double s, fl, fr;
	unsigned long long n;
	size_t i = sizeof(tmp), k;
	int r;

	if (len == 0)
		return 0;
	/* The fast way needs the scaled value's fraction to be exact to
	 * well under a millionth: |v| * 10^decimals under 1e8.  A fraction
	 * near one half is decided by the binary value's exact digits,
	 * which snprintf knows. */
	if (decimals < 0 || decimals > 6 || !(fabs(v) < 1e8))
		goto slow;
	s = fabs(v) * scale[decimals];
	if (!(s < 1e8))
		goto slow;
	fl = floor(s);
	fr = s - fl;
	if (fabs(fr - 0.5) < 1e-6)
		goto slow;
	n = (unsigned long long)fl + (fr > 0.5);
	for (k = 0; k < (size_t)decimals; k++) {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	}
	if (decimals > 0)
		tmp[--i] = '.';
	do {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	if (signbit(v))
		tmp[--i] = '-';
	k = sizeof(tmp) - i;
	if (k > len - 1)
		k = len - 1;
	memcpy(buf, tmp + i, k);
	buf[k] = '\0';
	return k;
slow:
	r = snprintf(buf, len, "%.*f", decimals, v);
	if (r < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)r < len ? (size_t)r : len - 1;
}

void
util_iso8601(time_t t, char *buf, size_t len)
{
	struct tm tm;
	char d[21];
	int v[6], i, k;

	if (gmtime_r(&t, &tm) == NULL) {
		util_strlcpy(buf, "1970-01-01T00:00:00Z", len);
		return;
	}
	if (tm.tm_year < 1000 - 1900 || tm.tm_year > 9999 - 1900) {
		if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			util_strlcpy(buf, "1970-01-01T00:00:00Z", len);
		return;
	}
	/* strftime's output, digit by digit (it was a tenth of the time
	 * spent printing items as JSON). */
	v[0] = tm.tm_year + 1900;
	v[1] = tm.tm_mon + 1;
	v[2] = tm.tm_mday;
	v[3] = tm.tm_hour;
	v[4] = tm.tm_min;
	v[5] = tm.tm_sec;
	memcpy(d, "0000-00-00T00:00:00Z", 21);
	for (k = 0; k < 4; k++, v[0] /= 10)
		d[3 - k] = (char)('0' + v[0] % 10);
	for (i = 1; i < 6; i++) {
		d[2 + 3 * i] = (char)('0' + v[i] / 10 % 10);
		d[3 + 3 * i] = (char)('0' + v[i] % 10);
	}
	util_strlcpy(buf, d, len);
}

uint64_t
util_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;

int
util_pipe_cloexec(int fds[2])
{
	int rc = -1, e = 0;

	pthread_mutex_lock(&spawn_lock);
	if (pipe(fds) == 0) {
		if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 ||
		    fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
			e = errno;
			close(fds[0]);
			close(fds[1]);
		} else
			rc = 0;
	} else
		e = errno;
	pthread_mutex_unlock(&spawn_lock);
	if (rc < 0)
		errno = e;
	return rc;
}

pid_t
util_fork(void)
{
	pid_t pid;

	pthread_mutex_lock(&spawn_lock);
	pid = fork();
	/* The child is single-threaded and owns its copy of the lock. */
	pthread_mutex_unlock(&spawn_lock);
	return pid;
}

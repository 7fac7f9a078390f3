/*
 * alert.c - alert rules, and the children the dashboard starts.
 *
 * A child is started with fork() + execv() of a path resolved in the
 * parent (the child, being a fork of a threaded process, only calls
 * async-signal-safe functions).  It gets its own process group so a
 * timeout kills whatever it started too.  Its stdin is a pipe whose write
 * end is non-blocking: the UI loop writes what fits on each turn (poll()
 * says when more fits) and closes it at the end, so a child that never
 * reads cannot stall the screen.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alert.h"
#include "util.h"

struct child {
	pid_t pid;
	int fd;			/* stdin write end, -1 when done */
	char *in;
	size_t len, off;
	int64_t deadline;	/* monotonic ms, 0 = none */
	int killed;
};

struct alert_procs {
	struct child *c;
	size_t n, cap;
};

static int
has_word(const char *hay, const char *word)
{
	return hay != NULL && word != NULL && *word &&
	    util_strcasestr(hay, word) != NULL;
}

static int
item_in_category(const struct item *it, const char *cat)
{
	size_t i;

	for (i = 0; i < it->ann.n_categories; i++)
		if (util_strcasecmp(it->ann.categories[i], cat) == 0)
			return 1;
	return 0;
}

static int
on_list(const struct conf_strv *v, const char *t)
{
	size_t i;

	for (i = 0; v != NULL && i < v->n; i++)
		if (util_strcasecmp(v->v[i], t) == 0)
			return 1;
	return 0;
}

/* The first of the item's tickers that is watched, or NULL. */
static const char *
watched_ticker(const struct conf *c, const struct conf_strv *extra,
    const struct item *it)
{
	size_t i;

	for (i = 0; i < it->ann.n_entities; i++) {
		const char *t = it->ann.entities[i].ticker;

		if (t[0] && (on_list(&c->watchlist, t) || on_list(extra, t)))
			return t;
	}
	return NULL;
}

int
alert_match(const struct conf *c, const struct conf_strv *extra,
    const struct item *it, char *why, size_t whylen)
{
	const char *wt = watched_ticker(c, extra, it);
	size_t r, i;

	if (!it->ann.valid)
		return 0;
	if (wt != NULL && it->ann.impact + 1e-9 >= c->alert_threshold) {
		util_strlcpy(why, wt, whylen);
		return 1;
	}
	for (r = 0; r < c->n_alerts; r++) {
		const struct conf_alert *a = &c->alerts[r];
		double min = a->min_impact < 0 ? c->alert_threshold :
		    a->min_impact;
		const char *t = NULL;
		int ok;

		if (it->ann.impact + 1e-9 < min)
			continue;
		if (a->tickers.n == 0)
			t = wt;
		else
			for (i = 0; i < a->tickers.n && t == NULL; i++)
				if (item_has_ticker(it, a->tickers.v[i]))
					t = a->tickers.v[i];
		/* A rule naming only categories or keywords needs no
		 * ticker. */
		if (t == NULL && (a->tickers.n > 0 ||
		    (a->categories.n == 0 && a->keywords.n == 0)))
			continue;
		ok = a->categories.n == 0;
		for (i = 0; i < a->categories.n && !ok; i++)
			ok = item_in_category(it, a->categories.v[i]);
		if (!ok)
			continue;
		ok = a->keywords.n == 0;
		for (i = 0; i < a->keywords.n && !ok; i++)
			ok = has_word(it->title, a->keywords.v[i]) ||
			    has_word(it->summary, a->keywords.v[i]);
		if (!ok)
			continue;
		util_strlcpy(why, t ? t : "", whylen);
		return 1;
	}
	return 0;
}

struct alert_procs *
alert_procs_new(void)
{
	return xcalloc(1, sizeof(struct alert_procs));
}

static void
child_done(struct child *ch)
{
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
	free(ch->in);
	ch->in = NULL;
}

void
alert_procs_free(struct alert_procs *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		struct child *ch = &p->c[i];

		child_done(ch);
		/* Browsers (no deadline) are left to run. */
		if (ch->deadline) {
			kill(-ch->pid, SIGKILL);
			waitpid(ch->pid, NULL, 0);
		}
	}
	free(p->c);
	free(p);
}

/* argv[0] as an executable path (heap), or NULL. */
static char *
resolve(const char *name)
{
	const char *path = getenv("PATH"), *p, *e;

	if (name == NULL || *name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = e + 1) {
		char *cand;
		struct stat sb;

		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		cand = xasprintf("%.*s/%s", (int)(e - p),
		    e == p ? "." : p, name);
		if (e == p)
			cand = (free(cand), xasprintf("./%s", name));
		if (stat(cand, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(cand, X_OK) == 0)
			return cand;
		free(cand);
		if (*e == '\0')
			break;
	}
	return NULL;
}

long
alert_spawn(struct alert_procs *p, char *const argv[], const char *input,
    size_t len, long timeout_s, char *err, size_t errlen)
{
	char *path = NULL;
	int in[2] = { -1, -1 }, devnull = -1;
	pid_t pid;
	struct child *ch;
	long rc = -1;

	if (argv == NULL || argv[0] == NULL) {
		util_seterr(err, errlen, "no command");
		goto out;
	}
	path = resolve(argv[0]);
	if (path == NULL) {
		util_seterr(err, errlen, "%s: command not found", argv[0]);
		goto out;
	}
	if (util_pipe_cloexec(in) < 0 ||
	    (devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		util_seterr(err, errlen, "%s: %s", argv[0], strerror(errno));
		goto out;
	}
	pid = util_fork();
	if (pid < 0) {
		util_seterr(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		sigset_t none;

		/* Async-signal-safe calls only from here on. */
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		close(in[0]);
		close(in[1]);
		close(devnull);
		execv(path, argv);
		_exit(127);
	}
	close(in[0]);
	in[0] = -1;
	(void)util_fd_nonblock_cloexec(in[1]);
	p->c = xreallocarray_grow(p->c, &p->cap, p->n + 1, sizeof(*p->c));
	ch = &p->c[p->n++];
	memset(ch, 0, sizeof(*ch));
	ch->pid = pid;
	ch->fd = in[1];
	in[1] = -1;
	if (input != NULL && len > 0) {
		ch->in = xmalloc(len);
		memcpy(ch->in, input, len);
		ch->len = len;
	} else
		child_done(ch);
	ch->deadline = timeout_s > 0 ? util_mono_ms() + timeout_s * 1000 : 0;
	rc = pid;
	/* Feed what fits right away. */
	alert_service(p, NULL);
out:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (devnull >= 0)
		close(devnull);
	free(path);
	return rc;
}

int
alert_open_url(struct alert_procs *p, const struct conf_strv *browser,
    const char *url, char *err, size_t errlen)
{
	struct conf_strv argv;
	const char *env = getenv("BROWSER");
	size_t i;
	int rc = -1, had_u = 0;

	memset(&argv, 0, sizeof(argv));
	if (url == NULL || *url == '\0') {
		util_seterr(err, errlen, "no link");
		return -1;
	}
	/* Feed links are untrusted: only web and file URLs, never options
	 * for the browser. */
	if (util_strncasecmp(url, "http://", 7) != 0 &&
	    util_strncasecmp(url, "https://", 8) != 0 &&
	    util_strncasecmp(url, "file://", 7) != 0) {
		util_seterr(err, errlen, "not opening a non-web link");
		return -1;
	}
	if (browser != NULL && browser->n > 0) {
		for (i = 0; i < browser->n; i++) {
			const char *w = browser->v[i], *u = strstr(w, "%u");

			if (u != NULL) {
				char *s = xasprintf("%.*s%s%s", (int)(u - w),
				    w, url, u + 2);

				conf_strv_push(&argv, s);
				free(s);
				had_u = 1;
			} else
				conf_strv_push(&argv, w);
		}
	} else if (env != NULL && *env != '\0') {
		if (conf_split_words(env, &argv) < 0 || argv.n == 0) {
			util_seterr(err, errlen, "cannot parse $BROWSER");
			goto out;
		}
	} else
		conf_strv_push(&argv, "xdg-open");
	if (!had_u)
		conf_strv_push(&argv, url);
	rc = alert_spawn(p, argv.v, NULL, 0, 0, err, errlen) < 0 ? -1 : 0;
out:
	conf_strv_free(&argv);
	return rc;
}

int
alert_pollfds(struct alert_procs *p, struct pollfd *fds, int max)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->n && n < max; i++)
		if (p->c[i].fd >= 0) {
			fds[n].fd = p->c[i].fd;
			fds[n].events = POLLOUT;
			fds[n].revents = 0;
			n++;
		}
	return n;
}

int
alert_service(struct alert_procs *p, int *killed)
{
	int64_t now = util_mono_ms();
	size_t i;
	int exited = 0, nkilled = 0;

	for (i = 0; i < p->n; ) {
		struct child *ch = &p->c[i];
		int status;
		pid_t r;

		while (ch->fd >= 0 && ch->off < ch->len) {
			ssize_t w = write(ch->fd, ch->in + ch->off,
			    ch->len - ch->off);

			if (w > 0)
				ch->off += (size_t)w;
			else if (w < 0 && errno == EINTR)
				continue;
			else if (w < 0 && errno == EAGAIN)
				break;
			else {
				/* EPIPE: it does not want its input. */
				child_done(ch);
				break;
			}
		}
		if (ch->fd >= 0 && ch->off >= ch->len)
			child_done(ch);
		if (ch->deadline && now >= ch->deadline && !ch->killed) {
			kill(-ch->pid, SIGKILL);
			ch->killed = 1;
			nkilled++;
		}
		r = waitpid(ch->pid, &status, WNOHANG);
		if (r == ch->pid || (r < 0 && errno == ECHILD)) {
			child_done(ch);
			exited++;
			p->c[i] = p->c[--p->n];
			continue;
		}
		i++;
	}
	if (killed != NULL)
		*killed = nkilled;
	return exited;
}

int
alert_next_ms(const struct alert_procs *p)
{
	int64_t now = util_mono_ms(), best = -1;
	size_t i;

	for (i = 0; i < p->n; i++) {
		int64_t d;

		if (!p->c[i].deadline || p->c[i].killed)
			continue;
		d = p->c[i].deadline - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	/* Running children are reaped on the next turns. */
	if (best < 0 && p->n > 0)
		best = 200;
	return best > 0x7fffffff ? 0x7fffffff : (int)best;
}

int
alert_running(const struct alert_procs *p)
{
	return (int)p->n;
}

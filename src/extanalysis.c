/*
 * extanalysis.c - run analysis_cmd for an item, bounded in time and size.
 *
 * The item is written as JSON to the child's stdin while its stdout is
 * read, both through non-blocking pipes driven by one poll() loop, so a
 * program that prints before it has read everything cannot deadlock us.
 * The child runs in its own process group; on timeout or when the output
 * cap is reached the whole group gets SIGKILL.  SIGPIPE (a child that
 * exits without reading) is blocked in the calling thread for the run and
 * any pending one is consumed, so the caller never dies of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extanalysis.h"
#include "strbuf.h"
#include "util.h"

static pthread_mutex_t jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static long jobs_running;

int
extanalysis_wanted(const struct conf *c, const struct item *it,
    int on_demand)
{
	if (c == NULL || c->analysis_cmd.n == 0 || c->analysis_cmd.v == NULL)
		return 0;
	return on_demand || (it->ann.valid &&
	    it->ann.impact >= c->analysis_threshold);
}

int
extanalysis_try_acquire(const struct conf *c)
{
	long max = c && c->analysis_jobs > 0 ? c->analysis_jobs : 1;
	int ok = 0;

	pthread_mutex_lock(&jobs_mu);
	if (jobs_running < max) {
		jobs_running++;
		ok = 1;
	}
	pthread_mutex_unlock(&jobs_mu);
	return ok;
}

void
extanalysis_release(void)
{
	pthread_mutex_lock(&jobs_mu);
	if (jobs_running > 0)
		jobs_running--;
	pthread_mutex_unlock(&jobs_mu);
}

/* Drop control characters (but newlines), trim; in place. */
static void
clean_output(struct strbuf *sb)
{
	size_t i, k = 0, start = 0;

	for (i = 0; i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->buf[i];

		if (c == '\t')
			c = ' ';
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			continue;
		sb->buf[k++] = (char)c;
	}
	while (k > 0 && (sb->buf[k - 1] == ' ' || sb->buf[k - 1] == '\n'))
		k--;
	while (start < k && (sb->buf[start] == ' ' || sb->buf[start] == '\n'))
		start++;
	memmove(sb->buf, sb->buf + start, k - start);
	sb->len = k - start;
	sb->buf[sb->len] = '\0';
}

int
extanalysis_run(const struct conf *c, const struct item *it, char **out,
    char *err, size_t errlen)
{
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, rc = -1, status = 0;
	struct strbuf json, res;
	size_t off = 0, cap;
	pid_t pid = -1;
	int64_t deadline;
	long timeout;
	int reaped = 0, timed_out = 0, capped = 0;
	sigset_t pipeset, oldset;

	*out = NULL;
	strbuf_init(&json);
	strbuf_init(&res);
	if (c == NULL || c->analysis_cmd.n == 0 || c->analysis_cmd.v == NULL ||
	    c->analysis_cmd.v[0] == NULL) {
		util_seterr(err, errlen, "no analysis_cmd configured");
		goto out_nosig;
	}
	timeout = c->analysis_timeout > 0 ? c->analysis_timeout : 60;
	cap = c->analysis_max_output > 0 ? (size_t)c->analysis_max_output :
	    65536;
	item_to_json(it, 1, &json);
	strbuf_addc(&json, '\n');

	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldset);

	if (util_pipe_cloexec(in) < 0 || util_pipe_cloexec(outp) < 0) {
		util_seterr(err, errlen, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = util_fork();
	if (pid < 0) {
		util_seterr(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

		setpgid(0, 0);
		pthread_sigmask(SIG_SETMASK, &oldset, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], 0);
		dup2(outp[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		execvp(c->analysis_cmd.v[0], c->analysis_cmd.v);
		_exit(127);
	}
	setpgid(pid, pid);	/* either side may win the race; both try */
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	if (util_fd_nonblock_cloexec(in[1]) < 0 ||
	    util_fd_nonblock_cloexec(outp[0]) < 0) {
		util_seterr(err, errlen, "fcntl: %s", strerror(errno));
		goto out;
	}
	deadline = util_mono_ms() + timeout * 1000;
	while (outp[0] >= 0) {
		struct pollfd pf[2];
		int nfds = 0, r;
		int64_t left = deadline - util_mono_ms();

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		pf[nfds].fd = outp[0];
		pf[nfds].events = POLLIN;
		nfds++;
		if (in[1] >= 0) {
			pf[nfds].fd = in[1];
			pf[nfds].events = POLLOUT;
			nfds++;
		}
		r = poll(pf, (nfds_t)nfds, left > 1000 ? 1000 : (int)left);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			util_seterr(err, errlen, "poll: %s", strerror(errno));
			goto out;
		}
		if (nfds == 2 && (pf[1].revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			ssize_t n = write(in[1], json.buf + off,
			    json.len - off);

			if (n > 0)
				off += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    off >= json.len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char buf[8192];
			ssize_t n = read(outp[0], buf, sizeof(buf));

			if (n > 0) {
				size_t take = (size_t)n;

				if (res.len + take > cap) {
					take = cap - res.len;
					capped = 1;
				}
				strbuf_add(&res, buf, take);
				if (capped)
					break;
			} else if (n == 0 || (errno != EAGAIN &&
			    errno != EINTR)) {
				close(outp[0]);
				outp[0] = -1;
			}
		}
	}
	if (timed_out || capped)
		kill(-pid, SIGKILL);
	/* Reap, waiting out the deadline for a child that closed stdout. */
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			reaped = 1;
			break;
		}
		if (w < 0 && errno != EINTR)
			break;
		if (util_mono_ms() >= deadline) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			reaped = 1;
			break;
		}
		poll(NULL, 0, 10);
	}
	pid = -1;
	if (timed_out) {
		util_seterr(err, errlen, "%s: timed out after %lds",
		    c->analysis_cmd.v[0], timeout);
		goto out;
	}
	if (!capped && reaped && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 127 && res.len == 0) {
		util_seterr(err, errlen, "%s: cannot run it",
		    c->analysis_cmd.v[0]);
		goto out;
	}
	if (!capped && reaped && !(WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)) {
		if (WIFEXITED(status))
			util_seterr(err, errlen, "%s: exited with status %d",
			    c->analysis_cmd.v[0], WEXITSTATUS(status));
		else
			util_seterr(err, errlen, "%s: killed by signal %d",
			    c->analysis_cmd.v[0], WIFSIGNALED(status) ?
			    WTERMSIG(status) : 0);
		goto out;
	}
	clean_output(&res);
	if (res.len == 0) {
		util_seterr(err, errlen, "%s: no output",
		    c->analysis_cmd.v[0]);
		goto out;
	}
	*out = strbuf_detach(&res, NULL);
	rc = 0;
out:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (pid > 0) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	{
		/* Swallow a SIGPIPE raised while it was blocked. */
		struct timespec zero = { 0, 0 };
		sigset_t pending;

		sigpending(&pending);
		if (sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipeset, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &oldset, NULL);
out_nosig:
	strbuf_done(&json);
	strbuf_done(&res);
	return rc;
}

/*
 * fixture_server.h - start and stop tests/fixture_server.py from a C test
 * (cmocka group setup/teardown).  Header-only: each test includes it once.
 */
#ifndef DESKWIRE_TEST_FIXTURE_SERVER_H
#define DESKWIRE_TEST_FIXTURE_SERVER_H

#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static pid_t fixture_pid;
static int fixture_port;

/* Start the server; 0 with fixture_port set, or -1. */
static int
fixture_start(void)
{
	const char *py = access("/usr/bin/python3", X_OK) == 0 ?
	    "/usr/bin/python3" : "python3";
	const char *script = "tests/fixture_server.py";
	int fds[2];
	char buf[32];
	ssize_t n;
	long port;

	if (access(script, R_OK) != 0)
		script = "../tests/fixture_server.py";
	/* A proxy from the environment must not see loopback requests. */
	setenv("NO_PROXY", "127.0.0.1", 1);
	setenv("no_proxy", "127.0.0.1", 1);
	if (pipe(fds) < 0)
		return -1;
	fixture_pid = fork();
	if (fixture_pid < 0)
		return -1;
	if (fixture_pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp(py, py, script, "--max-seconds", "90", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (util_parse_long(buf, 1, 65535, &port) < 0)
		return -1;
	fixture_port = (int)port;
	return 0;
}

static void
fixture_stop(void)
{
	if (fixture_pid > 0) {
		kill(fixture_pid, SIGTERM);
		waitpid(fixture_pid, NULL, 0);
		fixture_pid = 0;
	}
}

#endif

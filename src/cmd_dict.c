/*
 * cmd_dict.c - `deskwire dict`: extend the ticker dictionary.
 *
 *   dict import FILE   read a SEC company_tickers.json-style file and
 *                      (re)write the user dictionary
 *                      $XDG_DATA_HOME/deskwire/tickers-user.tsv, which
 *                      analyze_new() loads after the bundled data
 *   dict stats         counts of what the analyzer knows
 *
 * The file is written to a temporary name and renamed, so a failed import
 * leaves the previous dictionary in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "cmd.h"
#include "dict.h"
#include "strbuf.h"
#include "util.h"

static int
write_atomic(const char *path, const char *data, size_t len, char *err,
    size_t errlen)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd, rc = -1;
	size_t off = 0;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		util_seterr(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			util_seterr(err, errlen, "%s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		util_seterr(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		util_seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int
dict_import(const char *file)
{
	char err[1024], *json = NULL, *path = NULL, *dir = NULL, *slash;
	struct strbuf out;
	size_t len, n_out, n_skip;
	int rc = CMD_FAIL;

	strbuf_init(&out);
	if (util_read_file(file, 256u << 20, &json, &len, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "deskwire dict: %s\n", err);
		goto out;
	}
	strbuf_adds(&out, "# deskwire user dictionary, imported from a "
	    "company_tickers.json file.\n# Rewritten by `deskwire dict "
	    "import`; format as data/tickers.tsv (flag i = imported).\n");
	if (dict_import_sec_json(json, len, &out, &n_out, &n_skip, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "deskwire dict: %s: %s\n", file, err);
		goto out;
	}
	path = analyze_user_dict_path();
	if (path == NULL) {
		fprintf(stderr, "deskwire dict: HOME is not set\n");
		goto out;
	}
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (util_mkdirs(dir, 0700) < 0) {
		fprintf(stderr, "deskwire dict: cannot create %s: %s\n", dir,
		    strerror(errno));
		goto out;
	}
	if (write_atomic(path, out.buf, out.len, err, sizeof(err)) < 0) {
		fprintf(stderr, "deskwire dict: %s\n", err);
		goto out;
	}
	printf("imported %zu companies (%zu skipped) into %s\n", n_out,
	    n_skip, path);
	rc = CMD_OK;
out:
	strbuf_done(&out);
	free(json);
	free(path);
	free(dir);
	return rc;
}

static int
dict_stats(struct cmd_ctx *ctx)
{
	struct analyze_ctx *a = cmd_analyzer(ctx);
	struct analyze_stats st;

	if (a == NULL)
		return CMD_FAIL;
	analyze_stats(a, &st);
	printf("tickers            %zu\n", st.tickers);
	printf("  imported         %zu\n", st.imported);
	printf("private companies  %zu\n", st.private_companies);
	printf("aliases            %zu\n", st.aliases);
	printf("lexicon entries    %zu\n", st.lexicon);
	printf("event classes      %zu\n", st.events);
	printf("categories         %zu (%zu rules)\n", st.categories,
	    st.category_rules);
	printf("automaton          %zu patterns, %zu states\n", st.patterns,
	    st.states);
	printf("memory             %.1f MiB\n", (double)st.memory / 1048576.0);
	printf("build time         %.1f ms\n", st.build_ms);
	analyze_free(a);
	return CMD_OK;
}

int
cmd_dict_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && cmd_is_help(argv[1])) {
		printf("usage: deskwire dict import FILE\n"
		    "       deskwire dict stats\n");
		return CMD_OK;
	}
	if (argc == 3 && strcmp(argv[1], "import") == 0)
		return dict_import(argv[2]);
	if (argc == 2 && strcmp(argv[1], "stats") == 0)
		return dict_stats(ctx);
	return cmd_usage_error("dict", "expected 'import FILE' or 'stats'");
}

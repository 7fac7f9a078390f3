/*
 * main.c - argument handling: the common options (accepted before or after
 * the subcommand), the subcommand table with each one's help, config
 * loading (exit 2 on a bad line), logging, then dispatch.
 */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(struct cmd_ctx *, int, char **);
	const char *summary;
	const char *help;
};

static const struct command commands[] = {
	{ "ui", cmd_ui_main, "the dashboard (the default)",
	  "usage: deskwire [ui] [--demo]\n"
	  "\n"
	  "Start the dashboard: headlines, detail and watchlist panes, with the\n"
	  "poller running in the background.  Press ? inside for the keys.\n"
	  "\n"
	  "  --demo   replay bundled headlines as a live stream; no network\n" },
	{ "fetch", cmd_fetch_main, "poll feeds, analyze, store, print new items",
	  "usage: deskwire fetch --once [--format json|tsv|text] [--force]\n"
	  "\n"
	  "Poll every configured feed once (conditional GET), analyze and store\n"
	  "the new and updated items, print them, and exit.\n"
	  "\n"
	  "  --once          required: poll once and exit\n"
	  "  --format FMT    json (JSON Lines), tsv, or text (default)\n"
	  "  --force         ignore backoff and next-poll times\n"
	  "\n"
	  "Exit status: 0 when every feed was fetched, 1 when some failed\n"
	  "(their errors are printed and kept for `deskwire feeds`).\n" },
	{ "analyze", cmd_analyze_main, "annotate headlines read from stdin",
	  "usage: deskwire analyze [--format json|tsv|text]\n"
	  "\n"
	  "Read headlines from standard input, one per line, as `title` or\n"
	  "`title<TAB>summary`, and print one annotation per line, in order:\n"
	  "tickers, market impact, sentiment, categories and analysis.\n"
	  "\n"
	  "  --format FMT    json (JSON Lines, default), tsv or text\n" },
	{ "list", cmd_list_main, "query stored items",
	  "usage: deskwire list [--ticker T] [--min-impact X] [--since DUR]\n"
	  "                     [--unread] [--starred] [--search WORDS]\n"
	  "                     [--category NAME] [--limit N] [--by-impact]\n"
	  "                     [--format json|tsv|text]\n"
	  "\n"
	  "Print stored items, newest first (every match unless --limit).\n"
	  "\n"
	  "  --ticker T      items concerning ticker T\n"
	  "  --min-impact X  impact at least X (0..1)\n"
	  "  --since DUR     published within DUR (90s, 15m, 2h, 3d, 1w)\n"
	  "  --unread        unread items only\n"
	  "  --starred       starred items only\n"
	  "  --search WORDS  full-text search over title and summary\n"
	  "  --category C    items in category C\n"
	  "  --limit N       at most N items\n"
	  "  --by-impact     highest impact first\n"
	  "  --format FMT    json (JSON Lines), tsv, or text (default)\n" },
	{ "feeds", cmd_feeds_main, "each feed's status",
	  "usage: deskwire feeds [--format json|tsv|text]\n"
	  "\n"
	  "Show every configured feed: last success, last error, HTTP status,\n"
	  "items stored and the next poll.\n" },
	{ "opml", cmd_opml_main, "OPML import and export",
	  "usage: deskwire opml import FILE\n"
	  "       deskwire opml export\n"
	  "\n"
	  "import  append FILE's feeds (titles as names, categories as tags) to\n"
	  "        the active feeds.conf, skipping URLs already there\n"
	  "export  print the configured feeds as OPML 2.0 on standard output\n" },
	{ "dict", cmd_dict_main, "extend the ticker dictionary",
	  "usage: deskwire dict import FILE\n"
	  "       deskwire dict stats\n"
	  "\n"
	  "import  add the companies of a SEC company_tickers.json-style file\n"
	  "        ({\"0\":{\"cik_str\":320193,\"ticker\":\"AAPL\",\"title\":\"Apple Inc.\"},...})\n"
	  "        to the user dictionary used by the analyzer\n"
	  "stats   print how many tickers, aliases and private companies are known\n" },
	{ "gc", cmd_gc_main, "apply retention rules now",
	  "usage: deskwire gc [--days N] [--per-feed N] [--vacuum]\n"
	  "\n"
	  "Delete items older than N days (default: retention_days) and beyond\n"
	  "N per feed (default: retention_items); starred items are kept.\n"
	  "  --vacuum   also compact the database file\n" },
	{ "reanalyze", cmd_reanalyze_main, "re-annotate stored items",
	  "usage: deskwire reanalyze [--all]\n"
	  "\n"
	  "Re-run the analyzer over stored items made by an older analyzer\n"
	  "version (or over every item with --all).\n" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: deskwire [-c FILE] [--db FILE] [-v] [COMMAND] [ARGS]\n"
	    "\n"
	    "A terminal news dashboard for market analysts.\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < UTIL_ARRAY_LEN(commands); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(fp,
	    "\n"
	    "Options (before or after the command):\n"
	    "  -c, --config FILE  feeds.conf to use\n"
	    "  --db FILE          database file\n"
	    "  -v, --verbose      debug detail in the log\n"
	    "  --demo             (ui) replay bundled headlines, no network\n"
	    "  -h, --help         this help; COMMAND --help for a command\n"
	    "  --version          print the version\n"
	    "\n"
	    "Exit status: 0 ok, 1 runtime failure, 2 usage or configuration "
	    "error.\n");
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/*
 * May the command run on a config file that does not exist yet?  Only
 * `opml import`, which creates it.
 */
static int
creates_conf(const struct command *cmd, int nrest, char **rest)
{
	return strcmp(cmd->name, "opml") == 0 && nrest >= 2 &&
	    strcmp(rest[1], "import") == 0;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	const struct command *cmd = NULL;
	const char *env;
	char **rest, err[1024];
	int nrest = 0, i, rc = CMD_USAGE, help = 0, cmd_help = 0, inited = 0;

	setlocale(LC_ALL, "");
	/* Numbers in JSON, TSV and feeds.conf always use a '.'. */
	setlocale(LC_NUMERIC, "C");
	signal(SIGPIPE, SIG_IGN);
	memset(&ctx, 0, sizeof(ctx));
	conf_init(&ctx.conf);

	/* Pull the common options out wherever they are. */
	rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int r;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				rest[nrest++] = argv[i];
			break;
		}
		if ((r = cmd_opt_value(argc, argv, &i, "--config", "-c",
		    &ctx.opt_config)) != 0) {
			if (r < 0)
				goto out;
			continue;
		}
		if ((r = cmd_opt_value(argc, argv, &i, "--db", NULL,
		    &v)) != 0) {
			if (r < 0)
				goto out;
			ctx.opt_db = v;
			continue;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			ctx.verbose++;
		else if (strcmp(a, "--demo") == 0)
			ctx.demo = 1;
		else if (strcmp(a, "--version") == 0) {
			printf("deskwire %s\n", DESKWIRE_VERSION);
			rc = CMD_OK;
			goto out;
		} else if (cmd_is_help(a)) {
			if (cmd == NULL)
				help = 1;
			else
				cmd_help = 1;
		} else if (cmd == NULL && nrest == 0 && a[0] != '-') {
			cmd = find_command(a);
			if (cmd == NULL) {
				fprintf(stderr, "deskwire: unknown command "
				    "'%s' (try 'deskwire --help')\n", a);
				goto out;
			}
			rest[nrest++] = argv[i];
		} else if (cmd == NULL && a[0] == '-' && a[1] != '\0') {
			/* Before the command only common options exist. */
			fprintf(stderr, "deskwire: unknown option '%s' (try "
			    "'deskwire --help')\n", a);
			goto out;
		} else
			rest[nrest++] = argv[i];
	}
	if (help && cmd == NULL) {
		usage(stdout);
		rc = CMD_OK;
		goto out;
	}
	if (cmd == NULL) {
		cmd = find_command("ui");
		memmove(rest + 1, rest, (size_t)nrest * sizeof(*rest));
		rest[0] = (char *)"ui";
		nrest++;
	}
	if (help || cmd_help) {
		fputs(cmd->help, stdout);
		rc = CMD_OK;
		goto out;
	}

	ctx.conf_path = conf_find_path(ctx.opt_config);
	conf_free(&ctx.conf);
	if (conf_load(&ctx.conf, ctx.conf_path, err, sizeof(err)) < 0) {
		/*
		 * A missing default file means defaults (and so does a
		 * missing file `opml import` is about to create); anything
		 * else stops before anything is touched.
		 */
		env = getenv("DESKWIRE_CONFIG");
		if (access(ctx.conf_path, F_OK) == 0 ||
		    ((ctx.opt_config != NULL || (env != NULL &&
		    env[0] != '\0')) && !creates_conf(cmd, nrest, rest))) {
			fprintf(stderr, "deskwire: %s\n", err);
			goto out;
		}
		conf_free(&ctx.conf);
		conf_init(&ctx.conf);
	} else
		ctx.conf_found = 1;

	if (log_open(NULL, ctx.verbose, err, sizeof(err)) < 0 && ctx.verbose)
		fprintf(stderr, "deskwire: log: %s\n", err);

	/* Global inits before any thread starts. */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	xmlInitParser();
	inited = 1;

	rc = cmd->fn(&ctx, nrest, rest);

out:
	if (inited) {
		xmlCleanupParser();
		curl_global_cleanup();
		log_close();
	}
	conf_free(&ctx.conf);
	free(ctx.conf_path);
	free(rest);
	return rc;
}

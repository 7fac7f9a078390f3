/*
 * fuzz_conf.c - libFuzzer target: feeds.conf text and OPML documents
 * (both come from users' files and other programs).  Every input must
 * parse or fail with a message, without crashing or leaking.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "opml.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	struct opml_feed *feeds = NULL;
	struct strbuf sb;
	char err[1024];
	size_t n = 0;

	conf_init(&c);
	if (conf_parse(&c, "fuzz.conf", (const char *)data, size, err,
	    sizeof(err)) == 0) {
		/* What parsed must export as OPML and read back. */
		strbuf_init(&sb);
		opml_export(&c, 0, &sb);
		if (opml_parse(sb.buf, sb.len, &feeds, &n, err,
		    sizeof(err)) != 0 || n != c.n_feeds)
			__builtin_trap();
		opml_feeds_free(feeds, n);
		strbuf_done(&sb);
	} else if (err[0] == '\0')
		__builtin_trap();	/* every failure says why */
	conf_free(&c);
	if (opml_parse((const char *)data, size, &feeds, &n, err,
	    sizeof(err)) == 0)
		opml_feeds_free(feeds, n);
	return 0;
}

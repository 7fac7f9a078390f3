/*
 * fuzz_html.c - libFuzzer target for HTML to text: whenever the fast path
 * takes a fragment, its text must be exactly libxml2's.  The first byte
 * picks keep_paras and an output cap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct text_html *fast, *lib;
	const char *f;
	char *a, *b;
	size_t max;
	int keep;

	if (fast == NULL) {
		xmlInitParser();
		fast = text_html_new();
		lib = text_html_new();
		text_html_set_path(fast, TEXT_HTML_FAST);
		text_html_set_path(lib, TEXT_HTML_LIBXML);
	}
	if (size < 1)
		return 0;
	keep = data[0] & 1;
	max = data[0] & 2 ? 64 : 0;
	f = (const char *)data + 1;
	size--;
	a = text_html_convert(fast, f, size, max, keep);
	if (a != NULL) {
		b = text_html_convert(lib, f, size, max, keep);
		if (strcmp(a, b) != 0)
			abort();
		free(b);
		free(a);
	}
	/* The automatic path and the one-shot helper must not crash. */
	free(text_html_to_plain(f, size, max, keep));
	return 0;
}

/*
 * strbuf.h - a growable, always NUL-terminated byte buffer.
 *
 * struct strbuf is a plain value: embed it, strbuf_init() it, and
 * strbuf_done() it.  Growth aborts on allocation failure, like xmalloc.
 */
#ifndef DESKWIRE_STRBUF_H
#define DESKWIRE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

struct strbuf {
	char *buf;	/* always NUL-terminated once initialised */
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
/* Frees the buffer; the strbuf may be initialised again. */
void strbuf_done(struct strbuf *sb);
/* Empty it but keep the allocation. */
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *p, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) UTIL_PRINTF(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    UTIL_PRINTF(2, 0);
/* Hand the buffer to the caller (who frees it); the strbuf is reset. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Append s as a JSON string literal (with quotes); NULL appends null. */
void strbuf_add_json_str(struct strbuf *sb, const char *s);

#endif

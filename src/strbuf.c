/*
 * strbuf.c - growable NUL-terminated buffer, plus JSON string escaping
 * (the one output encoder every subcommand shares).
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "strbuf.h"

void
strbuf_init(struct strbuf *sb)
{
	sb->cap = 64;
	sb->buf = xmalloc(sb->cap);
	sb->buf[0] = '\0';
	sb->len = 0;
}

void
strbuf_done(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
}

void
strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 > sb->cap)
		sb->buf = xreallocarray_grow(sb->buf, &sb->cap,
		    sb->len + extra + 1, 1);
}

void
strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void
strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatal("vsnprintf failed");
	if ((size_t)n >= sb->cap - sb->len) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p = sb->buf;

	if (len != NULL)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

/*
 * Length of the prefix of s[0..len) that a JSON string holds as it is: no
 * control character, DEL, '"' or '\\'.  Eight bytes at a time where the
 * compiler allows (util_word_*: the lowest flag is a real stop).
 */
static size_t
json_plain(const unsigned char *s, size_t len)
{
	size_t i = 0;

#ifdef UTIL_WORDS
	for (; i + 8 <= len; i += 8) {
		uint64_t x, m;

		memcpy(&x, s + i, 8);
		m = util_word_ctrl(x) | util_word_eq(x, '"') |
		    util_word_eq(x, '\\') | util_word_eq(x, 0x7f);
		if (m != 0)
			return i + (size_t)__builtin_ctzll(m) / 8;
	}
#endif
	while (i < len && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' &&
	    s[i] != 0x7f)
		i++;
	return i;
}

void
strbuf_add_json_str(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p, *end;

	if (s == NULL) {
		strbuf_adds(sb, "null");
		return;
	}
	p = (const unsigned char *)s;
	end = p + strlen(s);
	strbuf_grow(sb, (size_t)(end - p) + 2);
	strbuf_addc(sb, '"');
	while (p < end) {
		size_t run = json_plain(p, (size_t)(end - p));

		/* A run of characters that need no escape, copied at once. */
		if (run > 0) {
			strbuf_add(sb, (const char *)p, run);
			p += run;
			if (p == end)
				break;
		}
		switch (*p) {
		case '"': strbuf_adds(sb, "\\\""); break;
		case '\\': strbuf_adds(sb, "\\\\"); break;
		case '\n': strbuf_adds(sb, "\\n"); break;
		case '\r': strbuf_adds(sb, "\\r"); break;
		case '\t': strbuf_adds(sb, "\\t"); break;
		default: {
			char u[7] = { '\\', 'u', '0', '0', hex[*p >> 4],
			    hex[*p & 15], 0 };

			strbuf_adds(sb, u);
		}
		}
		p++;
	}
	strbuf_addc(sb, '"');
}

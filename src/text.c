/*
 * text.c - text hygiene for everything that comes from the network.
 *
 * text_clean() is one pass over the bytes: a strict UTF-8 decoder (invalid
 * or truncated sequences and surrogates become U+FFFD, one per maximal
 * invalid subpart as browsers do), a small state machine that drops
 * terminal escape sequences whole (CSI, OSC, DCS, SOS, PM, APC and the
 * short ESC forms, in their 7-bit and C1 spellings), removal of C0/C1
 * controls, DEL, bidi embedding/override/isolate controls and BOMs, and
 * white space folding.  Output never grows past the caller's cap and is
 * cut on a character boundary.
 *
 * text_html_to_plain() gives the text libxml2's HTML parser sees, read in
 * SAX mode: no tree is built, character data goes straight into a buffer,
 * script/style bodies are skipped and block elements become breaks.  Input
 * without '<' and '&' never reaches the parser.  A struct text_html keeps
 * one parser context for many fragments.
 *
 * The fast path.  libxml2's HTML parser costs about 180 instructions per
 * byte, two thirds of the whole feed parse.  Most summaries are plain
 * markup: text, references, and a few simple elements (p, br, a, b, i,
 * lists, headings, table cells ...).  fast_html() reads exactly that
 * subset in one pass and builds the same character stream the SAX
 * handlers would: it keeps the element stack by libxml2's own rules
 * (htmlStartClose pairs, void elements, end tag priorities, stray end
 * tags ignored, the paragraph implied by text before any element), so the
 * result is the same, byte for byte.  Anything else - comments,
 * CDATA, <! and <?, script/style and other elements with their own content
 * rules, unknown elements, odd attribute syntax, unbalanced quotes, a '<'
 * that starts no tag, controls, invalid UTF-8, malformed numeric
 * references - makes it give up, and libxml2 parses the fragment as
 * before: it remains the parser for everything outside the subset.  The
 * tables were taken from the libxml2 in use (2.9); a self-check at first
 * use runs a set of fragments through both paths and turns the fast path
 * off if the linked libxml2 reads any of them differently.  The unit tests
 * and the fuzz_html target compare both paths on every input the fast path
 * accepts.
 *
 * text_width() decodes UTF-8 itself and asks wcwidth() per code point,
 * with a built-in fallback for when the locale cannot answer (the C
 * locale), so column counts stay right in tests and pipes.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "log.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

/* XSI; declared here too so the module builds without _XOPEN_SOURCE. */
int wcwidth(wchar_t wc);

/*
 * Decode one UTF-8 character from s (n > 0 bytes available).  Returns the
 * bytes consumed (>= 1) and the code point in *cp, or U+FFFD for an
 * invalid sequence, consuming its maximal valid prefix.
 */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t need, i;
	uint32_t v;
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;	/* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = 0xFFFD;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

size_t
text_utf8_put(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static int
is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\f' || cp == '\v' ||
	    cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	    cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int
is_newline_cp(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 ||
	    cp == 0x2029;
}

/* Characters dropped outright (escape introducers are handled apart). */
static int
is_dropped_cp(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/*
 * s[i] starts an escape (ESC or a C1 introducer already decoded as cp,
 * taking clen bytes).  Returns the index just past the whole sequence.
 */
static size_t
skip_escape(const unsigned char *s, size_t len, size_t i, uint32_t cp,
    size_t clen)
{
	int kind;	/* 0 short, 1 CSI, 2 string (OSC/DCS/SOS/PM/APC) */

	i += clen;
	if (cp == 0x1B) {
		if (i >= len)
			return i;
		switch (s[i]) {
		case '[':
			kind = 1;
			i++;
			break;
		case ']': case 'P': case 'X': case '^': case '_':
			kind = 2;
			i++;
			break;
		default:
			/* nF: intermediates then a final byte; Fp/Fe/Fs. */
			while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
				i++;
			if (i < len && s[i] >= 0x30 && s[i] <= 0x7E)
				i++;
			return i;
		}
	} else
		kind = cp == 0x9B ? 1 : 2;
	if (kind == 1) {
		while (i < len && s[i] >= 0x30 && s[i] <= 0x3F)
			i++;
		while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
			i++;
		if (i < len && s[i] >= 0x40 && s[i] <= 0x7E)
			i++;
		return i;
	}
	/* A control string runs to BEL, ST (ESC \ or U+009C) or a control. */
	while (i < len) {
		unsigned char c = s[i];

		if (c == 0x07)
			return i + 1;
		if (c == 0x1B)
			return i + 1 < len && s[i + 1] == '\\' ? i + 2 : i;
		if (c == 0xC2 && i + 1 < len && s[i + 1] == 0x9C)
			return i + 2;
		if (c < 0x20)
			return i;
		i++;
	}
	return i;
}

static int
is_escape_start(uint32_t cp)
{
	return cp == 0x1B || cp == 0x9B || cp == 0x9D || cp == 0x90 ||
	    cp == 0x98 || cp == 0x9E || cp == 0x9F;
}

/* Make room for n more bytes in the text_clean output. */
static unsigned char *
out_room(unsigned char *out, size_t *alloc, size_t o, size_t n)
{
	if (o + n + 1 <= *alloc)
		return out;
	while (o + n + 1 > *alloc)
		*alloc = *alloc < 64 ? 64 : *alloc * 2;
	return xrealloc(out, *alloc);
}

/*
 * Copy words of printable ASCII separated by single spaces from p (the
 * byte before p was printable) while whole eight-byte words qualify:
 * text_clean would copy them unchanged.  Returns where it stopped.
 */
static const unsigned char *
copy_words(const unsigned char *p, const unsigned char *e, unsigned char **dp)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
	unsigned char *d = *dp;

	while (e - p >= 8) {
		uint64_t x, t, del, sp;

		memcpy(&x, p, 8);
		/* Exact per-byte tests: 0x80 set where the byte is ' ' or DEL. */
		t = x ^ (ones * 0x20);
		sp = ~(((t & low7) + low7) | t) & high;
		t = x ^ (ones * 0x7F);
		del = ~(((t & low7) + low7) | t) & high;
		/* Controls, high bytes, DEL, two spaces in a row, or a space
		 * last (what follows it is unknown): stop. */
		if (((((x - ones * 0x20) & ~x) | x) & high) != 0 || del != 0 ||
		    (sp & (sp << 8)) != 0 || (sp >> 63) != 0)
			break;
		memcpy(d, &x, 8);
		d += 8;
		p += 8;
	}
	*dp = d;
#else
	(void)e;
	(void)dp;
#endif
	return p;
}

char *
text_clean(const char *str, size_t len, size_t max, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char *out;
	size_t alloc, o = 0, i = 0;
	int pend = 0;	/* 0 nothing, 1 space, 2 newline, 3 two newlines */

	if (str == NULL)
		len = 0;
	if (max == 0)
		max = SIZE_MAX - 8;
	/* Valid text never grows; repairs may (U+FFFD is 3 bytes). */
	alloc = (len < max ? len : max) + 1;
	out = xmalloc(alloc);
	while (i < len) {
		unsigned c = s[i];
		uint32_t cp;
		size_t clen, n, sep;
		unsigned char tmp[4];

		if (c >= 0x21 && c < 0x7F) {
			/* Printable ASCII: the common case. */
			sep = o == 0 ? 0 : pend == 3 ? 2 : pend ? 1 : 0;
			if (o + sep + 1 > max)
				break;
			if (sep) {
				out = out_room(out, &alloc, o, sep + 1);
				out[o++] = pend == 1 ? ' ' : '\n';
				if (sep == 2)
					out[o++] = '\n';
			}
			pend = 0;
			/*
			 * Copy the run of printable ASCII, single spaces
			 * between words included (they stay as they are):
			 * eight bytes at a time where possible.
			 */
			n = len - i;
			if (n > max - o)
				n = max - o;
			out = out_room(out, &alloc, o, n);
			{
				unsigned char *d = out + o;
				const unsigned char *p = s + i, *e = p + n;

				*d++ = *p++;
				for (;;) {
					const unsigned char *stop;

					p = copy_words(p, e, &d);
					/* Byte by byte up to eight, then try
					 * whole words again. */
					stop = e - p > 8 ? p + 8 : e;
					while (p < stop) {
						if ((unsigned)(*p - 0x21) < 0x5E) {
							*d++ = *p++;
							continue;
						}
						if (*p != ' ' || p + 1 >= e ||
						    (unsigned)(p[1] - 0x21) >=
						    0x5E)
							break;
						*d++ = *p++;
						*d++ = *p++;
					}
					if (p < stop || p >= e)
						break;
				}
				n = (size_t)(p - (s + i));
			}
			o += n;
			i += n;
			continue;
		}
		if (c == ' ') {
			if (pend == 0)
				pend = 1;
			i++;
			continue;
		}
		clen = utf8_next(s + i, len - i, &cp);
		if (is_escape_start(cp)) {
			i = skip_escape(s, len, i, cp, clen);
			continue;
		}
		i += clen;
		if (cp == '\r' && i < len && s[i] == '\n')
			continue;
		if (is_newline_cp(cp)) {
			if (!keep_newlines) {
				if (pend == 0)
					pend = 1;
			} else
				pend = pend >= 2 ? 3 : 2;
			continue;
		}
		if (is_space_cp(cp)) {
			if (pend == 0)
				pend = 1;
			continue;
		}
		if (is_dropped_cp(cp))
			continue;
		n = text_utf8_put(tmp, cp);
		sep = o == 0 ? 0 : pend == 3 ? 2 : pend ? 1 : 0;
		if (o + sep + n > max)
			break;
		out = out_room(out, &alloc, o, sep + n);
		if (sep) {
			out[o++] = pend == 1 ? ' ' : '\n';
			if (sep == 2)
				out[o++] = '\n';
		}
		memcpy(out + o, tmp, n);
		o += n;
		pend = 0;
	}
	out[o] = '\0';
	/* Items live long: do not keep a much larger block than needed. */
	if (alloc > 256 && o + 1 < alloc / 2)
		out = xrealloc(out, o + 1);
	return (char *)out;
}

/*
 * Fallback widths when wcwidth() cannot tell (C locale): combining marks
 * and zero-width characters take 0 columns, East Asian wide and emoji 2.
 */
static int
fallback_width(uint32_t cp)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
		{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0670, 0x0670 },
		{ 0x06D6, 0x06DC }, { 0x0900, 0x0903 }, { 0x093A, 0x094F },
		{ 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
		{ 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F },
		{ 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
		{ 0x1F3FB, 0x1F3FF }, { 0xE0100, 0xE01EF },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A },
		{ 0x23E9, 0x23EC }, { 0x23F0, 0x23F3 }, { 0x25FD, 0x25FE },
		{ 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x26AA, 0x26AB },
		{ 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26F2, 0x26F5 },
		{ 0x26FA, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
		{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x2753, 0x2757 },
		{ 0x2795, 0x2797 }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B55 },
		{ 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
		{ 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xA960, 0xA97F },
		{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 },
		{ 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 },
		{ 0x16FE0, 0x18AFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 },
		{ 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A },
		{ 0x1F200, 0x1F251 }, { 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF },
		{ 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
		{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(zero); i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (i = 0; i < UTIL_ARRAY_LEN(wide); i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

static int
cp_width(uint32_t cp, int valid)
{
	int w;

	if (!valid)
		return 1;
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w >= 0) {
		/* The C locale answers 1 for everything it knows; trust the
		 * table for what it says is wide or zero-width. */
		if (w == 1 && cp >= 0x300)
			return fallback_width(cp);
		return w;
	}
	return fallback_width(cp);
}

int
text_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i = 0;
	int w = 0;

	if (str == NULL)
		return 0;
	len = strlen(str);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_next(s + i, len - i, &cp);

		w += cp_width(cp, !(cp == 0xFFFD && n < 3));
		i += n;
	}
	return w;
}

int
text_fit(const char *str, int cols, char *buf, size_t bufsize)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i = 0, o = 0, keep = 0;
	int used = 0, keep_used = 0, cw;

	if (bufsize == 0)
		return 0;
	buf[0] = '\0';
	if (str == NULL || cols <= 0)
		return 0;
	len = strlen(str);
	/* Walk once; remember the last cut where "…" (1 column) still fits. */
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_next(s + i, len - i, &cp);

		cw = cp_width(cp, !(cp == 0xFFFD && n < 3));
		if (used + cw > cols || o + n + 1 > bufsize)
			break;
		used += cw;
		o += n;
		i += n;
		if (used <= cols - 1 && o + 3 + 1 <= bufsize) {
			keep = o;
			keep_used = used;
		}
	}
	if (i >= len) {
		memcpy(buf, str, o);
		buf[o] = '\0';
		return used;
	}
	if (keep_used > cols - 1 || keep + 4 > bufsize) {
		buf[0] = '\0';
		return 0;
	}
	memcpy(buf, str, keep);
	memcpy(buf + keep, "\xe2\x80\xa6", 3);
	buf[keep + 3] = '\0';
	return keep_used + 1;
}

/* ---- HTML to text ------------------------------------------------------ */

/*
 * HTML 4 named entities by name, hashed.  libxml2's own lookup is a
 * linear scan over 253 names, paid for every &nbsp; in every summary;
 * the table is built once from libxml2's (by value) and read lock-free.
 */
enum { ENT_SLOTS = 1024 };
static struct {
	const char *name;
	unsigned value;
} ent_tab[ENT_SLOTS];
static pthread_once_t ent_once = PTHREAD_ONCE_INIT;

static unsigned
ent_hash(const char *name, size_t len)
{
	return (unsigned)util_hash64(name, len) & (ENT_SLOTS - 1);
}

/*
 * The code points HTML 4's 253 entities stand for lie in these ranges
 * (Latin-1, Latin Extended, spacing modifiers, Greek, punctuation,
 * letterlike symbols, arrows, mathematical operators, technical, shapes
 * and card suits).  htmlEntityValueLookup() scans libxml2's table from
 * the start, so asking only for these keeps the build at a few thousand
 * comparisons instead of millions.
 */
static const struct {
	unsigned from, to;
} ent_ranges[] = {
	{ 1, 0x100 }, { 0x152, 0x193 }, { 0x2c6, 0x2dd }, { 0x391, 0x3d7 },
	{ 0x2002, 0x20ad }, { 0x2111, 0x2136 }, { 0x2190, 0x21d5 },
	{ 0x2200, 0x230c }, { 0x2329, 0x232b }, { 0x25ca, 0x25cb },
	{ 0x2660, 0x2667 },
};

static void
ent_build(void)
{
	size_t r;
	unsigned v;

	for (r = 0; r < UTIL_ARRAY_LEN(ent_ranges); r++)
		for (v = ent_ranges[r].from; v < ent_ranges[r].to; v++) {
			const htmlEntityDesc *e = htmlEntityValueLookup(v);
			unsigned h;

			if (e == NULL || e->value != v)
				continue;
			h = ent_hash(e->name, strlen(e->name));
			while (ent_tab[h].name != NULL)
				h = (h + 1) & (ENT_SLOTS - 1);
			ent_tab[h].name = e->name;
			ent_tab[h].value = v;
		}
}

unsigned
text_html_entity(const char *name, size_t len)
{
	unsigned h;

	if (len == 0 || len > 16)
		return 0;
	pthread_once(&ent_once, ent_build);
	for (h = ent_hash(name, len); ent_tab[h].name != NULL;
	    h = (h + 1) & (ENT_SLOTS - 1))
		if (strncmp(ent_tab[h].name, name, len) == 0 &&
		    ent_tab[h].name[len] == '\0')
			return ent_tab[h].value;
	return 0;
}

/*
 * Replace named entity references by their characters before the HTML
 * parser sees them (its own lookup is slow).  &lt; &gt; &amp; &quot; and
 * &apos; stay: decoding them would make or break markup.  Returns 0 when
 * nothing changed.
 */
static int
predecode_entities(const char *s, size_t len, struct strbuf *out)
{
	const char *scan = s, *done = s, *end = s + len, *amp;
	int changed = 0;

	while ((amp = memchr(scan, '&', (size_t)(end - scan))) != NULL) {
		const char *n = amp + 1, *q = n;
		unsigned char tmp[4];
		unsigned v;

		scan = amp + 1;
		while (q < end && q - n <= 16 &&
		    ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9')))
			q++;
		if (q >= end || *q != ';' || q == n ||
		    (v = text_html_entity(n, (size_t)(q - n))) == 0 ||
		    v == '<' || v == '>' || v == '&' || v == '"' || v == '\'')
			continue;
		if (!changed) {
			strbuf_reset(out);
			changed = 1;
		}
		strbuf_add(out, done, (size_t)(amp - done));
		strbuf_add(out, tmp, text_utf8_put(tmp, v));
		scan = done = q + 1;
	}
	if (changed)
		strbuf_add(out, done, (size_t)(end - done));
	return changed;
}

enum { KIND_CACHE = 32 };

struct text_html {
	/* Element names are interned in the context's dictionary, which
	 * outlives resets: remember each name's kind by pointer. */
	const xmlChar *kc_name[KIND_CACHE];
	unsigned char kc_kind[KIND_CACHE];
	htmlParserCtxtPtr ctxt;
	struct strbuf sb;
	struct strbuf pre;	/* the fragment with entities decoded */
	int skip;		/* depth inside script/style/... */
	int keep_paras;
	int path;		/* TEXT_HTML_AUTO, _FAST or _LIBXML */
	size_t limit;		/* stop collecting past this many bytes */
};

enum { BRK_NONE, BRK_LINE, BRK_PARA, BRK_SKIP };

/*
 * How an element affects the text flow.  Called for every tag, so the
 * lists are searched only among names of the same length and first
 * letter.
 */
static int
html_elem_kind(const char *name)
{
	static const struct {
		const char *name;
		unsigned char kind;
	} tab[] = {
		{ "p", BRK_PARA }, { "div", BRK_PARA }, { "h1", BRK_PARA },
		{ "h2", BRK_PARA }, { "h3", BRK_PARA }, { "h4", BRK_PARA },
		{ "h5", BRK_PARA }, { "h6", BRK_PARA },
		{ "blockquote", BRK_PARA }, { "ul", BRK_PARA },
		{ "ol", BRK_PARA }, { "dl", BRK_PARA }, { "table", BRK_PARA },
		{ "pre", BRK_PARA }, { "section", BRK_PARA },
		{ "article", BRK_PARA }, { "header", BRK_PARA },
		{ "footer", BRK_PARA }, { "figure", BRK_PARA },
		{ "aside", BRK_PARA }, { "nav", BRK_PARA }, { "hr", BRK_PARA },
		{ "address", BRK_PARA }, { "main", BRK_PARA },
		{ "form", BRK_PARA }, { "fieldset", BRK_PARA },
		{ "br", BRK_LINE }, { "li", BRK_LINE }, { "tr", BRK_LINE },
		{ "dt", BRK_LINE }, { "dd", BRK_LINE },
		{ "figcaption", BRK_LINE }, { "caption", BRK_LINE },
		{ "option", BRK_LINE },
		{ "script", BRK_SKIP }, { "style", BRK_SKIP },
		{ "noscript", BRK_SKIP }, { "template", BRK_SKIP },
		{ "head", BRK_SKIP }, { "title", BRK_SKIP },
		{ "svg", BRK_SKIP }, { "math", BRK_SKIP },
		{ "select", BRK_SKIP }, { "button", BRK_SKIP },
		{ "textarea", BRK_SKIP },
	};
	size_t i;
	char c = name[0];

	/* Inline elements that fill most fragments: answer at once. */
	if (c == 'a' && name[1] == '\0')
		return BRK_NONE;
	if ((c == 'b' || c == 'i' || c == 'u' || c == 's') && name[1] == '\0')
		return BRK_NONE;
	for (i = 0; i < UTIL_ARRAY_LEN(tab); i++)
		if (tab[i].name[0] == c && strcmp(tab[i].name, name) == 0)
			return tab[i].kind;
	return BRK_NONE;
}

static struct text_html *
html_state(void *ctx)
{
	return ((htmlParserCtxtPtr)ctx)->_private;
}

static int
html_kind(struct text_html *h, const xmlChar *name)
{
	unsigned k = (unsigned)(((uintptr_t)name >> 3) % KIND_CACHE);

	if (h->kc_name[k] != name) {
		h->kc_name[k] = name;
		h->kc_kind[k] = (unsigned char)html_elem_kind(
		    (const char *)name);
	}
	return h->kc_kind[k];
}

static void
html_break(struct text_html *h, int kind)
{
	if (kind == BRK_PARA && h->keep_paras)
		strbuf_add(&h->sb, "\n\n", 2);
	else if (kind == BRK_PARA || kind == BRK_LINE)
		strbuf_addc(&h->sb, '\n');
}

static void
html_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct text_html *h = html_state(ctx);
	int kind = html_kind(h, name);

	(void)atts;
	if (kind == BRK_SKIP) {
		h->skip++;
		return;
	}
	if (h->skip == 0)
		html_break(h, kind);
}

static void
html_end(void *ctx, const xmlChar *name)
{
	struct text_html *h = html_state(ctx);
	int kind = html_kind(h, name);

	if (kind == BRK_SKIP) {
		if (h->skip > 0)
			h->skip--;
		return;
	}
	if (h->skip == 0 && kind != BRK_LINE)
		html_break(h, kind);
}

static void
html_chars(void *ctx, const xmlChar *ch, int len)
{
	struct text_html *h = html_state(ctx);

	if (h->skip || len <= 0 || h->sb.len > h->limit)
		return;
	strbuf_add(&h->sb, ch, (size_t)len);
}

/*
 * Fragments are UTF-8.  Telling the parser so through an encoding name
 * would route every byte through a converter; setting the context's
 * charset before the first character is read skips that (and its guess
 * that undeclared input is ISO-8859-1).
 */
static void
html_start_doc(void *ctx)
{
	((htmlParserCtxtPtr)ctx)->charset = XML_CHAR_ENCODING_UTF8;
}

static void
html_cdata(void *ctx, const xmlChar *ch, int len)
{
	/* The HTML parser reports script and style bodies this way. */
	(void)ctx;
	(void)ch;
	(void)len;
}

struct text_html *
text_html_new(void)
{
	struct text_html *h = xcalloc(1, sizeof(*h));
	htmlSAXHandler *sax;

	h->ctxt = htmlNewParserCtxt();
	if (h->ctxt == NULL)
		fatal("out of memory (HTML parser)");
	sax = h->ctxt->sax;
	memset(sax, 0, sizeof(*sax));
	sax->startElement = html_start;
	sax->endElement = html_end;
	sax->characters = html_chars;
	sax->ignorableWhitespace = html_chars;
	sax->cdataBlock = html_cdata;
	sax->startDocument = html_start_doc;
	h->ctxt->_private = h;
	strbuf_init(&h->sb);
	strbuf_init(&h->pre);
	return h;
}

void
text_html_free(struct text_html *h)
{
	if (h == NULL)
		return;
	htmlFreeParserCtxt(h->ctxt);
	strbuf_done(&h->sb);
	strbuf_done(&h->pre);
	free(h);
}

/* Cleaning only shrinks text; collect a little more than max. */
static size_t
html_limit(size_t max)
{
	return max > 0 && max < SIZE_MAX / 4 ? max * 4 + 64 : SIZE_MAX;
}

int
text_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_next(s + i, len - i, &cp);
		if (cp == 0xFFFD && !(n == 3 && s[i] == 0xEF))
			return 0;
		i += n;
	}
	return 1;
}

static int
needs_html(const char *s, size_t len)
{
	return memchr(s, '<', len) != NULL || memchr(s, '&', len) != NULL;
}

/*
 * The libxml2 path: the reference conversion, for every fragment the
 * fast path turns down.
 */
static char *
libxml_convert(struct text_html *h, const char *html, size_t len,
    size_t max, int keep_paras)
{
	if (!text_utf8_valid(html, len)) {
		char *fixed = text_clean(html, len, 0, 1), *r;

		r = text_html_convert(h, fixed, strlen(fixed), max, keep_paras);
		free(fixed);
		return r;
	}
	strbuf_reset(&h->sb);
	h->skip = 0;
	h->keep_paras = keep_paras;
	h->limit = html_limit(max);
	h->ctxt->_private = h;
	if (memchr(html, '&', len) != NULL &&
	    predecode_entities(html, len, &h->pre)) {
		html = h->pre.buf;
		len = h->pre.len;
		if (!needs_html(html, len))
			return text_clean(html, len, max, keep_paras);
	}
	/*
	 * The fragment is valid UTF-8 (see html_start_doc); IGNORE_ENC keeps
	 * a <meta charset> from switching.
	 */
	htmlCtxtReadMemory(h->ctxt, html, (int)len, NULL, NULL,
	    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC |
	    HTML_PARSE_NODEFDTD);
	return text_clean(h->sb.buf, h->sb.len, max, keep_paras);
}

/* ---- the fast path ------------------------------------------------------ */

/*
 * Elements the fast path knows, sorted by name.  "empty" are the void
 * elements (closed as soon as they open), prio is libxml2's end tag
 * priority: a stray end tag never closes an element of higher priority.
 */
static const struct ftag {
	const char *name;
	unsigned char len, empty, prio;
} ftags[] = {
	{ "a", 1, 0, 100 }, { "abbr", 4, 0, 100 },
	{ "article", 7, 0, 100 }, { "aside", 5, 0, 100 },
	{ "b", 1, 0, 100 }, { "big", 3, 0, 100 },
	{ "blockquote", 10, 0, 100 }, { "br", 2, 1, 100 },
	{ "cite", 4, 0, 100 }, { "code", 4, 0, 100 }, { "dd", 2, 0, 100 },
	{ "del", 3, 0, 100 }, { "div", 3, 0, 150 }, { "dl", 2, 0, 100 },
	{ "dt", 2, 0, 100 }, { "em", 2, 0, 100 },
	{ "figcaption", 10, 0, 100 }, { "figure", 6, 0, 100 },
	{ "font", 4, 0, 100 }, { "footer", 6, 0, 100 }, { "h1", 2, 0, 100 },
	{ "h2", 2, 0, 100 }, { "h3", 2, 0, 100 }, { "h4", 2, 0, 100 },
	{ "h5", 2, 0, 100 }, { "h6", 2, 0, 100 }, { "header", 6, 0, 100 },
	{ "hr", 2, 1, 100 }, { "i", 1, 0, 100 }, { "img", 3, 1, 100 },
	{ "ins", 3, 0, 100 }, { "li", 2, 0, 100 }, { "main", 4, 0, 100 },
	{ "mark", 4, 0, 100 }, { "nav", 3, 0, 100 }, { "ol", 2, 0, 100 },
	{ "p", 1, 0, 100 }, { "q", 1, 0, 100 }, { "s", 1, 0, 100 },
	{ "section", 7, 0, 100 }, { "small", 5, 0, 100 },
	{ "span", 4, 0, 100 }, { "strike", 6, 0, 100 },
	{ "strong", 6, 0, 100 }, { "sub", 3, 0, 100 }, { "sup", 3, 0, 100 },
	{ "table", 5, 0, 190 }, { "tbody", 5, 0, 180 }, { "td", 2, 0, 160 },
	{ "tfoot", 5, 0, 180 }, { "th", 2, 0, 160 }, { "thead", 5, 0, 180 },
	{ "time", 4, 0, 100 }, { "tr", 2, 0, 170 }, { "tt", 2, 0, 100 },
	{ "u", 1, 0, 100 }, { "ul", 2, 0, 100 },
};

/*
 * { open element, start tag that closes it } among the elements above:
 * libxml2's htmlStartClose table (only the top of the stack is checked,
 * repeatedly).
 */
static const char *const fclose_pairs[][2] = {
	{ "a", "a" }, { "a", "table" }, { "a", "td" }, { "a", "th" },
	{ "b", "p" }, { "b", "td" }, { "b", "th" }, { "big", "p" },
	{ "dd", "dt" }, { "dl", "li" }, { "dt", "dd" }, { "dt", "dl" },
	{ "font", "td" }, { "font", "th" },
	{ "h1", "li" }, { "h1", "p" }, { "h1", "table" },
	{ "h2", "li" }, { "h2", "p" }, { "h2", "table" },
	{ "h3", "li" }, { "h3", "p" }, { "h3", "table" },
	{ "h4", "li" }, { "h4", "p" }, { "h4", "table" },
	{ "h5", "li" }, { "h5", "p" }, { "h5", "table" },
	{ "h6", "li" }, { "h6", "p" }, { "h6", "table" },
	{ "i", "p" }, { "i", "td" }, { "i", "th" }, { "li", "li" },
	{ "ol", "ul" }, { "p", "blockquote" }, { "p", "dd" }, { "p", "div" },
	{ "p", "dl" }, { "p", "dt" }, { "p", "h1" }, { "p", "h2" },
	{ "p", "h3" }, { "p", "h4" }, { "p", "h5" }, { "p", "h6" },
	{ "p", "hr" }, { "p", "li" }, { "p", "ol" }, { "p", "p" },
	{ "p", "table" }, { "p", "tbody" }, { "p", "td" }, { "p", "tfoot" },
	{ "p", "th" }, { "p", "tr" }, { "p", "ul" }, { "s", "p" },
	{ "small", "p" }, { "span", "td" }, { "span", "th" },
	{ "strike", "p" }, { "tbody", "tbody" }, { "tbody", "tfoot" },
	{ "td", "tbody" }, { "td", "td" }, { "td", "tfoot" }, { "td", "th" },
	{ "td", "tr" }, { "tfoot", "tbody" }, { "th", "tbody" },
	{ "th", "td" }, { "th", "tfoot" }, { "th", "th" }, { "th", "tr" },
	{ "thead", "tbody" }, { "thead", "tfoot" }, { "tr", "tbody" },
	{ "tr", "tfoot" }, { "tr", "tr" }, { "tt", "p" }, { "u", "p" },
	{ "u", "td" }, { "u", "th" }, { "ul", "ol" },
};

enum { FT_N = UTIL_ARRAY_LEN(ftags), FT_DEPTH = 48, FT_NAME = 64 };

/* Byte classes for the fast path's text scan. */
enum { FC_TEXT, FC_BLANK, FC_LT, FC_AMP, FC_CTRL, FC_HIGH };

static struct {
	uint64_t closes[FT_N];		/* bit k: closes ftags[k] */
	unsigned char kind[FT_N];	/* BRK_* of each element */
	unsigned char first[27];	/* ftags index by first letter */
	unsigned char cls[256];
	int p;				/* index of "p" */
	int ok;				/* the self-check passed */
} fast;
static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static int
is_blank(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters of libxml2's HTML names (htmlParseHTMLName). */
static int
is_name_char(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' ||
	    c == '.';
}

static int
is_xml_char(uint32_t v)
{
	return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 &&
	    v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 &&
	    v <= 0x10FFFF);
}

/*
 * The first index from i on where s[i] is a control, >= 0x80, a or b:
 * eight bytes at a time where the machine allows (the lowest flagged
 * byte of a word is always a real one).
 */
static size_t
skip_plain(const unsigned char *s, size_t len, size_t i, unsigned a,
    unsigned b)
{
#ifdef UTIL_WORDS
	while (i + 8 <= len) {
		uint64_t x, m;

		memcpy(&x, s + i, 8);
		m = util_word_ctrl(x) | util_word_eq(x, (unsigned char)a) |
		    util_word_eq(x, (unsigned char)b) | (x & UTIL_WORD_HIGH);
		if (m != 0)
			return i + (size_t)__builtin_ctzll(m) / 8;
		i += 8;
	}
#endif
	while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != a &&
	    s[i] != b)
		i++;
	return i;
}

/* Index in ftags of the lowercase name[0..n), or -1. */
static int
ftag_find(const char *name, size_t n)
{
	unsigned c = (unsigned char)name[0];
	int i;

	if (c < 'a' || c > 'z')
		return -1;
	for (i = fast.first[c - 'a']; i < fast.first[c - 'a' + 1]; i++) {
		const char *t = ftags[i].name;
		size_t k;

		if (ftags[i].len != n)
			continue;
		for (k = 1; k < n && t[k] == name[k]; k++)
			;
		if (k == n)
			return i;
	}
	return -1;
}

/*
 * Read a tag or attribute name at s[*i] into buf, lowercased as libxml2
 * does.  Returns its length, or 0 when it is too long for the fast path.
 */
static size_t
fast_name(const unsigned char *s, size_t len, size_t *i, char *buf)
{
	size_t n = 0;

	while (*i < len && is_name_char(s[*i])) {
		unsigned c = s[*i];

		if (n + 1 >= FT_NAME)
			return 0;
		buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 0x20 : c);
		(*i)++;
	}
	buf[n] = '\0';
	return n;
}

/* A valid UTF-8 character at s[i] that libxml2 passes on unchanged;
 * returns its length, 0 otherwise. */
static size_t
fast_utf8(const unsigned char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t n = utf8_next(s + i, len - i, &cp);

	if (cp == 0xFFFD && !(n == 3 && s[i] == 0xEF))
		return 0;
	if (cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
		return 0;	/* a BOM is skipped at the start; not chars */
	return n;
}

/* Bytes of a quoted attribute value: no controls, valid UTF-8. */
static int
fast_attr_bytes(const unsigned char *s, size_t len, size_t i, size_t end)
{
	while ((i = skip_plain(s, end, i, 0, 0)) < end) {
		unsigned k = fast.cls[s[i]];
		size_t n;

		if (k == FC_CTRL)
			return -1;
		if (k != FC_HIGH) {
			i++;	/* a blank */
			continue;
		}
		if ((n = fast_utf8(s, len, i)) == 0)
			return -1;
		i += n;
	}
	return 0;
}

/*
 * Attributes and the end of a start tag, from just past the name.
 * Returns 1 for "/>", 0 for ">", -1 for anything the fast path leaves to
 * libxml2 (missing quotes, odd characters, the end of input).
 */
static int
fast_attrs(const unsigned char *s, size_t len, size_t *ip)
{
	size_t i = *ip;
	char name[FT_NAME];
	int sep = 0;

	for (;;) {
		while (i < len && is_blank(s[i])) {
			i++;
			sep = 1;
		}
		if (i >= len)
			return -1;
		if (s[i] == '>') {
			*ip = i + 1;
			return 0;
		}
		if (s[i] == '/') {
			if (i + 1 < len && s[i + 1] == '>') {
				*ip = i + 2;
				return 1;
			}
			return -1;
		}
		if (!sep || !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    s[i] == ':' || s[i] == '.'))
			return -1;
		if (fast_name(s, len, &i, name) == 0)
			return -1;
		sep = 0;
		while (i < len && is_blank(s[i])) {
			i++;
			sep = 1;
		}
		if (i >= len || s[i] != '=')
			continue;
		i++;
		while (i < len && is_blank(s[i]))
			i++;
		if (i >= len)
			return -1;
		if (s[i] == '"' || s[i] == '\'') {
			const unsigned char *q = memchr(s + i + 1, s[i],
			    len - i - 1);

			if (q == NULL || fast_attr_bytes(s, len, i + 1,
			    (size_t)(q - s)) < 0)
				return -1;
			i = (size_t)(q - s) + 1;
			sep = 1;	/* libxml2 reads on without a blank */
		} else {
			size_t v = i;

			while (i < len && !is_blank(s[i]) && s[i] != '>') {
				unsigned c = s[i];

				if (c < 0x21 || c >= 0x7F || c == '"' ||
				    c == '\'' || c == '<' || c == '=' ||
				    c == '`' || c == '&')
					return -1;
				i++;
			}
			if (i == v)
				return -1;
			sep = 0;
		}
	}
}

/*
 * A character or entity reference at s[i] == '&' as libxml2 reads it
 * (after predecode_entities): a known name with ';' or a well-formed
 * numeric reference to an XML character is decoded into o; any other
 * '&' stays literal.  Returns the bytes written, or 0 to reject.
 */
static size_t
fast_entity(const unsigned char *s, size_t len, size_t *ip, unsigned char *o)
{
	size_t i = *ip, j = i + 1, q;
	uint32_t v = 0;
	unsigned nd = 0;

	if (j < len && s[j] == '#') {
		int hex = 0;

		j++;
		if (j < len && (s[j] == 'x' || s[j] == 'X')) {
			hex = 1;
			j++;
		}
		for (; j < len && nd < 8; j++, nd++) {
			unsigned c = s[j], d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + d;
		}
		if (nd == 0 || nd >= 8 || j >= len || s[j] != ';' ||
		    !is_xml_char(v))
			return 0;
		*ip = j + 1;
		return text_utf8_put(o, v);
	}
	for (q = j; q < len && q - j <= 16 && ((s[q] >= 'a' && s[q] <= 'z') ||
	    (s[q] >= 'A' && s[q] <= 'Z') || (s[q] >= '0' && s[q] <= '9')); q++)
		;
	if (q < len && s[q] == ';' && q > j &&
	    (v = text_html_entity((const char *)s + j, q - j)) != 0) {
		*ip = q + 1;
		return text_utf8_put(o, v);
	}
	o[0] = '&';
	*ip = i + 1;
	return 1;
}

/*
 * The break an element's start or end puts into the text, as html_start
 * and html_end do.
 */
static unsigned char *
fast_break(unsigned char *o, int id, int start, int keep_paras)
{
	int kind = fast.kind[id];

	if (kind == BRK_PARA) {
		*o++ = '\n';
		if (keep_paras)
			*o++ = '\n';
	} else if (kind == BRK_LINE && start)
		*o++ = '\n';
	return o;
}

/*
 * HTML to the same character stream the libxml2 path collects, in one
 * pass, for the subset of HTML whose parse is known exactly: text,
 * references, comment-free markup of the elements in ftags with
 * well-formed attributes.  The element stack follows libxml2's rules
 * (start tags that close the open element, void elements, end tags that
 * close what is above them unless an element of higher priority is in
 * the way, stray end tags ignored, a paragraph implied by text before
 * any element).  Returns 0 with the text in sb, or -1 to hand the
 * fragment to libxml2.
 */
static int
fast_html(const char *html, size_t len, int keep_paras, size_t limit,
    struct strbuf *sb)
{
	const unsigned char *s = (const unsigned char *)html;
	unsigned char stack[FT_DEPTH], *o, *out;
	size_t i = 0, cap;
	int depth = 0, started = 0;
	char name[FT_NAME];

	/* Each element adds at most 4 bytes of breaks and takes 3 or more
	 * bytes of input; text and references never grow. */
	if (len > (SIZE_MAX - 64) / 2)
		return -1;
	cap = 2 * len + 16;
	if (cap > limit)
		return -1;	/* libxml2's path would stop collecting */
	strbuf_reset(sb);
	strbuf_grow(sb, cap + 1);
	out = o = (unsigned char *)sb->buf;
	while (i < len) {
		unsigned k = fast.cls[s[i]];

		if (k == FC_LT) {
			size_t n;
			int id, self = 0;

			if (i + 1 >= len)
				return -1;
			if (s[i + 1] == '/') {
				int d;

				i += 2;
				if (i >= len || !((s[i] >= 'a' && s[i] <= 'z') ||
				    (s[i] >= 'A' && s[i] <= 'Z')))
					return -1;
				if ((n = fast_name(s, len, &i, name)) == 0)
					return -1;
				while (i < len && is_blank(s[i]))
					i++;
				if (i >= len || s[i] != '>')
					return -1;
				i++;
				id = ftag_find(name, n);
				if (id < 0) {
					/* Not open, so ignored, unless it
					 * names the implied html/body. */
					if (strcmp(name, "html") == 0 ||
					    strcmp(name, "body") == 0 ||
					    strcmp(name, "head") == 0)
						return -1;
					continue;
				}
				for (d = depth - 1; d >= 0; d--) {
					if (stack[d] == id)
						break;
					if (ftags[stack[d]].prio >
					    ftags[id].prio) {
						d = -1;
						break;
					}
				}
				while (d >= 0 && depth > d)
					o = fast_break(o, stack[--depth], 0,
					    keep_paras);
				continue;
			}
			i++;
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= 'A' && s[i] <= 'Z')))
				return -1;
			if ((n = fast_name(s, len, &i, name)) == 0 ||
			    (id = ftag_find(name, n)) < 0)
				return -1;
			if (i < len && !is_blank(s[i]) && s[i] != '>' &&
			    s[i] != '/')
				return -1;
			if ((self = fast_attrs(s, len, &i)) < 0)
				return -1;
			while (depth > 0 &&
			    (fast.closes[id] >> stack[depth - 1] & 1))
				o = fast_break(o, stack[--depth], 0,
				    keep_paras);
			started = 1;
			o = fast_break(o, id, 1, keep_paras);
			if (self || ftags[id].empty)
				o = fast_break(o, id, 0, keep_paras);
			else {
				if (depth == FT_DEPTH)
					return -1;
				stack[depth++] = (unsigned char)id;
			}
			continue;
		}
		if (k == FC_AMP) {
			size_t n;

			if (!started) {
				/* Text before any element: libxml2 opens
				 * html, body and a paragraph. */
				started = 1;
				stack[depth++] = (unsigned char)fast.p;
				o = fast_break(o, fast.p, 1, keep_paras);
			}
			if ((n = fast_entity(s, len, &i, o)) == 0)
				return -1;
			o += n;
			continue;
		}
		{
			size_t from = i;

			while ((i = skip_plain(s, len, i, '<', '&')) < len) {
				k = fast.cls[s[i]];
				if (k <= FC_BLANK) {
					i++;
					continue;
				}
				if (k == FC_HIGH) {
					size_t n = fast_utf8(s, len, i);

					if (n == 0)
						return -1;
					i += n;
					continue;
				}
				if (k == FC_CTRL)
					return -1;
				break;
			}
			if (!started) {
				size_t j;

				for (j = from; j < i && is_blank(s[j]); j++)
					;
				if (j < i) {
					started = 1;
					stack[depth++] = (unsigned char)fast.p;
					o = fast_break(o, fast.p, 1,
					    keep_paras);
				}
			}
			memcpy(o, s + from, i - from);
			o += i - from;
		}
	}
	while (depth > 0)
		o = fast_break(o, stack[--depth], 0, keep_paras);
	sb->len = (size_t)(o - out);
	sb->buf[sb->len] = '\0';
	return 0;
}

/*
 * Fragments the self-check runs through both paths: each rule the fast
 * path copies from libxml2 (closing start tags, priorities, stray end
 * tags, the implied paragraph, void elements, references).  A libxml2
 * that parses any of them differently turns the fast path off.
 */
static const char *const fast_canaries[] = {
	"<p><b>Apple</b> rises &mdash; <a href=\"https://x.test/?a=1&amp;"
	    "b=2\" title='q'>more</a></p><p>Read&hellip;</p>",
	"text<p>a", "lead<li>item", "<b>x</p>y", "<p>a<p>b<div>c</p>d</div>e",
	"<ul><li>a<li>b</ul>c<ol><li>d</ol>", "<h1>t<p>x</h1>y",
	"<table><tr><td>a<td>b<tr><th>c</table>d", "<div><b>x</div>y</b>z",
	"<td>x</tr>y</td>z", "<a>1<a>2</a>3", "<br/>a<p/>b<hr>c<img src=x>d",
	"</b>x</br>y</script>z", "a &amp; b &lt;c&gt; &#65;&#x42; &T &foo; "
	    "&#38;amp;", "<i>a<p>b</i>c", "<dl><dt>a<dd>b<dt>c</dl>",
	"<span>a<td>b</span>c", "x<ul>y<ol>z</ul>w",
};

static void
fast_init(void)
{
	struct text_html *h;
	struct strbuf sb;
	size_t i, j;
	int c, ok = 1;

	for (c = 0; c < 256; c++)
		fast.cls[c] = c >= 0x80 ? FC_HIGH : c < 0x20 ? FC_CTRL :
		    FC_TEXT;
	fast.cls[' '] = fast.cls['\t'] = FC_BLANK;
	fast.cls['\n'] = fast.cls['\r'] = FC_BLANK;
	fast.cls['<'] = FC_LT;
	fast.cls['&'] = FC_AMP;
	for (c = 0, i = 0; c < 26; c++) {
		fast.first[c] = (unsigned char)i;
		while (i < FT_N && ftags[i].name[0] == 'a' + c)
			i++;
	}
	fast.first[26] = (unsigned char)i;
	for (i = 0; i < FT_N; i++)
		fast.kind[i] = (unsigned char)html_elem_kind(ftags[i].name);
	for (i = 0; i < UTIL_ARRAY_LEN(fclose_pairs); i++) {
		int old = ftag_find(fclose_pairs[i][0],
		    strlen(fclose_pairs[i][0]));
		int new = ftag_find(fclose_pairs[i][1],
		    strlen(fclose_pairs[i][1]));

		if (old < 0 || new < 0)
			fatal("text: fast path table");
		fast.closes[new] |= (uint64_t)1 << old;
	}
	fast.p = ftag_find("p", 1);

	h = text_html_new();
	h->path = TEXT_HTML_LIBXML;
	strbuf_init(&sb);
	for (i = 0; i < UTIL_ARRAY_LEN(fast_canaries) && ok; i++) {
		const char *f = fast_canaries[i];

		for (j = 0; j < 2 && ok; j++) {
			char *want = text_html_convert(h, f, strlen(f), 0,
			    (int)j), *got = NULL;

			if (fast_html(f, strlen(f), (int)j, SIZE_MAX, &sb) == 0)
				got = text_clean(sb.buf, sb.len, 0, (int)j);
			ok = got != NULL && strcmp(got, want) == 0;
			free(want);
			free(got);
		}
	}
	strbuf_done(&sb);
	text_html_free(h);
	fast.ok = ok;
	if (!ok)
		log_info("text: this libxml2 parses HTML differently; "
		    "the fast HTML path is off");
}

static int
fast_ready(void)
{
	pthread_once(&fast_once, fast_init);
	return fast.ok;
}

char *
text_html_convert(struct text_html *h, const char *html, size_t len,
    size_t max, int keep_paras)
{
	if (html == NULL)
		return xstrdup("");
	if (!needs_html(html, len))
		return text_clean(html, len, max, keep_paras);
	if (len > INT32_MAX)
		len = INT32_MAX;
	if (h->path != TEXT_HTML_LIBXML && fast_ready() &&
	    fast_html(html, len, keep_paras, html_limit(max), &h->sb) == 0)
		return text_clean(h->sb.buf, h->sb.len, max, keep_paras);
	if (h->path == TEXT_HTML_FAST)
		return NULL;
	return libxml_convert(h, html, len, max, keep_paras);
}

void
text_html_set_path(struct text_html *h, int path)
{
	h->path = path;
}

char *
text_html_to_plain(const char *html, size_t len, size_t max, int keep_paras)
{
	struct text_html *h;
	struct strbuf sb;
	char *r;

	if (html == NULL || !needs_html(html, len))
		return text_clean(html, html ? len : 0, max, keep_paras);
	if (len > INT32_MAX)
		len = INT32_MAX;
	/* The fast path needs no parser context. */
	strbuf_init(&sb);
	if (fast_ready() && fast_html(html, len, keep_paras, html_limit(max),
	    &sb) == 0) {
		r = text_clean(sb.buf, sb.len, max, keep_paras);
		strbuf_done(&sb);
		return r;
	}
	strbuf_done(&sb);
	h = text_html_new();
	r = libxml_convert(h, html, len, max, keep_paras);
	text_html_free(h);
	return r;
}

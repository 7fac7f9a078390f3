/*
 * date.c - feed dates to UTC seconds.
 *
 * Two parsers share the work.  Strings that start with a four-digit year
 * followed by '-' or '/' (or eight digits, the ISO 8601 basic form) go to
 * the ISO 8601 / RFC 3339 reader: fractions, 'T', 't' or a space between
 * date and time, "Z", numeric offsets with or without a colon, a date
 * alone.  Everything else goes to a tolerant RFC 822 reader that works on
 * tokens rather than a fixed layout, because real feeds write "Tue, 5 Mar
 * 2024 9:30 EST", "Tuesday, 05-Mar-24 09:30:00 GMT", "Mar 5 2024 09:30:00
 * +0100", "Tue Mar  5 09:30:00 UTC 2024" and worse.  A date is accepted
 * only when day, month and year are all found and in range; unknown words
 * reject the string so that garbage never becomes a plausible time.
 *
 * Named zones follow RFC 822 plus the abbreviations feeds actually use.
 * Military letters other than Z carry no information (RFC 822 gave their
 * signs backwards and RFC 2822 section 4.3 says to read them as -0000):
 * they count as UTC, as a string without a zone does.  The tz database
 * names feeds were seen to write ("America/Los_Angeles") have their
 * standard offset and today's daylight saving rule.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "util.h"

static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

/*
 * Month names of the European languages financial feeds write in, after
 * the English ones (non-ASCII spellings go through translate()).  A word
 * of three letters or more that begins one of them names its month.
 */
static const struct {
	const char *name;
	int mon;
} months_intl[] = {
	/* French */
	{ "janvier", 1 }, { "fevrier", 2 }, { "avril", 4 }, { "mai", 5 },
	{ "juin", 6 }, { "juillet", 7 }, { "aout", 8 }, { "septembre", 9 },
	{ "octobre", 10 }, { "novembre", 11 }, { "decembre", 12 },
	/* German, Dutch */
	{ "januar", 1 }, { "februar", 2 }, { "maerz", 3 }, { "juni", 6 },
	{ "juli", 7 }, { "oktober", 10 }, { "dezember", 12 }, { "mrt", 3 },
	{ "mei", 5 },
	/* Spanish, Portuguese, Italian */
	{ "enero", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 },
	{ "mayo", 5 }, { "junio", 6 }, { "julio", 7 }, { "agosto", 8 },
	{ "septiembre", 9 }, { "setiembre", 9 }, { "octubre", 10 },
	{ "noviembre", 11 }, { "diciembre", 12 }, { "janeiro", 1 },
	{ "fevereiro", 2 }, { "maio", 5 }, { "junho", 6 }, { "julho", 7 },
	{ "setembro", 9 }, { "outubro", 10 }, { "dezembro", 12 },
	{ "gennaio", 1 }, { "febbraio", 2 }, { "maggio", 5 }, { "giugno", 6 },
	{ "luglio", 7 }, { "settembre", 9 }, { "ottobre", 10 },
	{ "dicembre", 12 },
};

static const char *const wdays[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

/* Offsets in minutes east of UTC. */
static const struct {
	const char *name;
	int off;
} zones[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "wet", 0 },
	{ "edt", -4 * 60 }, { "est", -5 * 60 }, { "et", -5 * 60 },
	{ "cdt", -5 * 60 }, { "cst", -6 * 60 }, { "ct", -6 * 60 },
	{ "mdt", -6 * 60 }, { "mst", -7 * 60 }, { "mt", -7 * 60 },
	{ "pdt", -7 * 60 }, { "pst", -8 * 60 }, { "pt", -8 * 60 },
	{ "adt", -3 * 60 }, { "ast", -4 * 60 }, { "at", -4 * 60 },
	{ "akdt", -8 * 60 }, { "akst", -9 * 60 }, { "hst", -10 * 60 },
	{ "hdt", -9 * 60 }, { "ndt", -150 }, { "nst", -210 },
	{ "bst", 60 }, { "ist", 330 }, { "west", 60 }, { "cet", 60 },
	{ "met", 60 }, { "cest", 120 }, { "mest", 120 }, { "eet", 120 },
	{ "eest", 180 }, { "msk", 180 }, { "gst", 240 }, { "pkt", 300 },
	{ "ict", 420 }, { "wib", 420 }, { "hkt", 480 }, { "sgt", 480 },
	{ "awst", 480 }, { "cst8", 480 }, { "jst", 540 }, { "kst", 540 },
	{ "acst", 570 }, { "acdt", 630 }, { "aest", 600 }, { "aedt", 660 },
	{ "nzst", 720 }, { "nzdt", 780 }, { "sast", 120 }, { "brt", -180 },
	{ "art", -180 },
};

static int
days_in_month(int year, int mon)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 2 && leap ? 29 : dm[mon - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

time_t
date_timegm(int year, int mon, int mday, int hour, int min, int sec)
{
	long long days = days_from_civil(year, mon, mday);

	return (time_t)(days * 86400LL + hour * 3600LL + min * 60LL + sec);
}

static int
valid_fields(int y, int mo, int d, int h, int mi, int s)
{
	if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo))
		return 0;
	if (h < 0 || h > 24 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return 0;
	if (h == 24 && (mi || s))
		return 0;
	return 1;
}

/* Read up to max digits; returns the count read (0: none). */
static int
read_num(const char **sp, int max, int *out)
{
	const char *s = *sp;
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	*sp = s + n;
	*out = v;
	return n;
}

/*
 * tz database names some feeds write after the time ("Fri, 31 Mar 2023
 * 20:19:00 America/Los_Angeles"): the standard offset and the daylight
 * saving rule in force since 2007 (US), 1996 (EU), 2008 (AU) and 2007
 * (NZ).  Older dates get today's rule.
 */
enum dst { DST_NONE, DST_US, DST_EU, DST_AU, DST_NZ };

static const struct {
	const char *name;
	short off;
	unsigned char dst;
} tzdb[] = {
	{ "America/New_York", -300, DST_US }, { "US/Eastern", -300, DST_US },
	{ "America/Detroit", -300, DST_US }, { "America/Toronto", -300, DST_US },
	{ "America/Chicago", -360, DST_US }, { "US/Central", -360, DST_US },
	{ "America/Denver", -420, DST_US }, { "US/Mountain", -420, DST_US },
	{ "America/Los_Angeles", -480, DST_US },
	{ "US/Pacific", -480, DST_US }, { "America/Vancouver", -480, DST_US },
	{ "America/Anchorage", -540, DST_US }, { "US/Alaska", -540, DST_US },
	{ "America/Halifax", -240, DST_US },
	{ "America/Phoenix", -420, DST_NONE }, { "US/Arizona", -420, DST_NONE },
	{ "Pacific/Honolulu", -600, DST_NONE }, { "US/Hawaii", -600, DST_NONE },
	{ "America/Mexico_City", -360, DST_NONE },
	{ "America/Sao_Paulo", -180, DST_NONE },
	{ "America/Argentina/Buenos_Aires", -180, DST_NONE },
	{ "Europe/London", 0, DST_EU }, { "Europe/Dublin", 0, DST_EU },
	{ "Europe/Lisbon", 0, DST_EU }, { "Europe/Paris", 60, DST_EU },
	{ "Europe/Berlin", 60, DST_EU }, { "Europe/Madrid", 60, DST_EU },
	{ "Europe/Rome", 60, DST_EU }, { "Europe/Amsterdam", 60, DST_EU },
	{ "Europe/Brussels", 60, DST_EU }, { "Europe/Luxembourg", 60, DST_EU },
	{ "Europe/Zurich", 60, DST_EU }, { "Europe/Vienna", 60, DST_EU },
	{ "Europe/Stockholm", 60, DST_EU }, { "Europe/Oslo", 60, DST_EU },
	{ "Europe/Copenhagen", 60, DST_EU }, { "Europe/Warsaw", 60, DST_EU },
	{ "Europe/Prague", 60, DST_EU }, { "Europe/Budapest", 60, DST_EU },
	{ "Europe/Athens", 120, DST_EU }, { "Europe/Helsinki", 120, DST_EU },
	{ "Europe/Kiev", 120, DST_EU }, { "Europe/Kyiv", 120, DST_EU },
	{ "Europe/Bucharest", 120, DST_EU }, { "Europe/Sofia", 120, DST_EU },
	{ "Europe/Riga", 120, DST_EU }, { "Europe/Vilnius", 120, DST_EU },
	{ "Europe/Tallinn", 120, DST_EU },
	{ "Europe/Moscow", 180, DST_NONE }, { "Europe/Istanbul", 180, DST_NONE },
	{ "Africa/Johannesburg", 120, DST_NONE },
	{ "Africa/Lagos", 60, DST_NONE }, { "Africa/Nairobi", 180, DST_NONE },
	{ "Asia/Riyadh", 180, DST_NONE }, { "Asia/Dubai", 240, DST_NONE },
	{ "Asia/Karachi", 300, DST_NONE }, { "Asia/Kolkata", 330, DST_NONE },
	{ "Asia/Calcutta", 330, DST_NONE }, { "Asia/Bangkok", 420, DST_NONE },
	{ "Asia/Jakarta", 420, DST_NONE }, { "Asia/Shanghai", 480, DST_NONE },
	{ "Asia/Hong_Kong", 480, DST_NONE }, { "Asia/Singapore", 480, DST_NONE },
	{ "Asia/Taipei", 480, DST_NONE }, { "Australia/Perth", 480, DST_NONE },
	{ "Asia/Tokyo", 540, DST_NONE }, { "Asia/Seoul", 540, DST_NONE },
	{ "Australia/Brisbane", 600, DST_NONE },
	{ "Australia/Adelaide", 570, DST_AU }, { "Australia/Sydney", 600, DST_AU },
	{ "Australia/Melbourne", 600, DST_AU },
	{ "Australia/Canberra", 600, DST_AU }, { "Australia/Hobart", 600, DST_AU },
	{ "Pacific/Auckland", 720, DST_NZ },
};

/* Day of the month of the n-th (n >= 1) or, n == 0, last Sunday. */
static int
sunday(int y, int m, int n)
{
	long long days = days_from_civil(y, m, 1);
	int wd = (int)(((days % 7) + 11) % 7);	/* 0 Sunday; 1970-01-01 Thu */
	int first = 1 + (7 - wd) % 7, d;

	if (n > 0)
		return first + 7 * (n - 1);
	for (d = first; d + 7 <= days_in_month(y, m); d += 7)
		;
	return d;
}

/* Offset east of UTC in minutes of tzdb[z] at the local time given. */
static int
tzdb_offset(size_t z, int y, int mo, int d, int h, int mi)
{
	int std = tzdb[z].off;
	time_t utc = date_timegm(y, mo, d, h, mi, 0) - (time_t)std * 60;
	time_t a, b;

	switch (tzdb[z].dst) {
	case DST_US:	/* 2nd Sunday of March to 1st of November, 2:00 */
		a = date_timegm(y, 3, sunday(y, 3, 2), 2, 0, 0) - std * 60;
		b = date_timegm(y, 11, sunday(y, 11, 1), 1, 0, 0) - std * 60;
		return utc >= a && utc < b ? std + 60 : std;
	case DST_EU:	/* last Sundays of March and October, 1:00 UTC */
		a = date_timegm(y, 3, sunday(y, 3, 0), 1, 0, 0);
		b = date_timegm(y, 10, sunday(y, 10, 0), 1, 0, 0);
		return utc >= a && utc < b ? std + 60 : std;
	case DST_AU:	/* 1st Sunday of October to 1st of April */
		a = date_timegm(y, 10, sunday(y, 10, 1), 2, 0, 0) - std * 60;
		b = date_timegm(y, 4, sunday(y, 4, 1), 2, 0, 0) - std * 60;
		return utc >= a || utc < b ? std + 60 : std;
	case DST_NZ:	/* last Sunday of September to 1st of April */
		a = date_timegm(y, 9, sunday(y, 9, 0), 2, 0, 0) - std * 60;
		b = date_timegm(y, 4, sunday(y, 4, 1), 2, 0, 0) - std * 60;
		return utc >= a || utc < b ? std + 60 : std;
	default:
		return std;
	}
}

/* "Area/City" (or "NZ") at s in the table above: its index, with *end
 * past it; -1 when unknown. */
static long
tzdb_find(const char *s, const char **end)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "_/-"), i;

	for (i = 0; i < UTIL_ARRAY_LEN(tzdb); i++)
		if (strlen(tzdb[i].name) == n &&
		    util_strncasecmp(tzdb[i].name, s, n) == 0) {
			*end = s + n;
			return (long)i;
		}
	return -1;
}

/* Case-insensitive match of the word [w, w+n) in a table of names. */
static int
lookup_zone(const char *w, size_t n, int *off)
{
	size_t i;

	for (i = 0; i < UTIL_ARRAY_LEN(zones); i++)
		if (strlen(zones[i].name) == n &&
		    util_strncasecmp(zones[i].name, w, n) == 0) {
			*off = zones[i].off;
			return 1;
		}
	if (n == 1 && isalpha((unsigned char)w[0])) {
		int c = tolower((unsigned char)w[0]);

		/* Military zones (J is not one): see the top. */
		if (c == 'j')
			return 0;
		*off = 0;
		return 1;
	}
	return 0;
}

/* "Jan", "jan.", "January", "Sept": month 1..12, or 0. */
static int
lookup_month(const char *w, size_t n)
{
	int i;

	if (n < 3)
		return 0;
	for (i = 0; i < 12; i++) {
		size_t full = strlen(months[i]);

		if (n <= full && util_strncasecmp(months[i], w, n) == 0)
			return i + 1;
	}
	for (i = 0; i < (int)UTIL_ARRAY_LEN(months_intl); i++) {
		size_t full = strlen(months_intl[i].name);

		if (n <= full &&
		    util_strncasecmp(months_intl[i].name, w, n) == 0)
			return months_intl[i].mon;
	}
	return 0;
}

static int
is_weekday(const char *w, size_t n)
{
	int i;

	if (n < 2)
		return 0;
	for (i = 0; i < 7; i++) {
		size_t full = strlen(wdays[i]);

		/* "Tu", "Tue", "Tues", "Thur", "Thurs", "Tuesday". */
		if (n <= full && util_strncasecmp(wdays[i], w, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * A numeric offset after '+' or '-': "0500", "05:00", "05", "5".  Returns
 * minutes in *off (sign applied) and advances, or 0 without moving.
 */
static int
read_offset(const char **sp, int *off)
{
	const char *s = *sp;
	int sign = *s == '-' ? -1 : 1, h, m = 0, nd;

	if (*s != '+' && *s != '-')
		return 0;
	s++;
	nd = read_num(&s, 4, &h);
	if (nd == 4 || nd == 3) {	/* "-0700", "-700" */
		m = h % 100;
		h /= 100;
	} else if (nd == 1 || nd == 2) {
		if (*s == ':' && isdigit((unsigned char)s[1])) {
			s++;
			if (read_num(&s, 2, &m) != 2)
				return 0;
		}
	} else
		return 0;
	if (isdigit((unsigned char)*s) || h > 14 || m > 59)
		return 0;
	*off = sign * (h * 60 + m);
	*sp = s;
	return 1;
}

/* Spaces and "(comments)", nested ones too, may end a date. */
static int
only_trailer(const char *s)
{
	for (;;) {
		int depth = 0;

		while (isspace((unsigned char)*s))
			s++;
		if (*s != '(')
			return *s == '\0';
		do {
			if (*s == '(')
				depth++;
			else if (*s == ')')
				depth--;
			s++;
		} while (*s != '\0' && depth > 0);
	}
}

/*
 * A zone after the time: "Z", "+05:30", "-0800", "GMT", "GMT+1",
 * "UTC-05:00", "EST".  Returns 1 and advances when one was read.
 */
static int
read_zone(const char **sp, int *off)
{
	const char *s = *sp, *w;
	int extra;
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+' || *s == '-') {
		if (!read_offset(&s, off))
			return 0;
		*sp = s;
		return 1;
	}
	w = s;
	while (isalpha((unsigned char)*s))
		s++;
	n = (size_t)(s - w);
	if (n == 0 || !lookup_zone(w, n, off))
		return 0;
	if ((*s == '+' || *s == '-') && *off == 0 && read_offset(&s, &extra))
		*off = extra;
	*sp = s;
	return 1;
}

static int
parse_iso(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0, nd;
	int basic;

	nd = read_num(&s, 4, &y);
	if (nd != 4)
		return -1;
	basic = isdigit((unsigned char)*s);
	if (basic) {
		/* 20240305T093000Z */
		if (read_num(&s, 2, &mo) != 2 || read_num(&s, 2, &d) != 2)
			return -1;
	} else {
		char sep = *s;

		if (sep != '-' && sep != '/')
			return -1;
		s++;
		/* "2003-012-31": a padded month some generators write. */
		if (s[0] == '0' && isdigit((unsigned char)s[1]) &&
		    isdigit((unsigned char)s[2]) &&
		    !isdigit((unsigned char)s[3]))
			s++;
		if (read_num(&s, 2, &mo) < 1)
			return -1;
		if (*s == sep) {
			s++;
			if (read_num(&s, 2, &d) < 1)
				return -1;
		} else
			d = 1;	/* "2024-03": the month */
	}
	if (*s == 'T' || *s == 't' || (*s == ' ' &&
	    isdigit((unsigned char)s[1]))) {
		s++;
		while (*s == ' ')
			s++;
		if (read_num(&s, 2, &h) < 1)
			return -1;
		if (*s == ':')
			s++;
		else if (!basic)
			return -1;
		if (read_num(&s, 2, &mi) != 2)
			return -1;
		if (*s == ':' || (basic && isdigit((unsigned char)*s))) {
			if (*s == ':')
				s++;
			if (read_num(&s, 2, &sec) != 2)
				return -1;
		}
		if (*s == '.' || *s == ',') {
			s++;
			if (!isdigit((unsigned char)*s))
				return -1;
			while (isdigit((unsigned char)*s))
				s++;
		}
		read_zone(&s, &off);
	}
	if (!only_trailer(s))
		return -1;
	if (!valid_fields(y, mo, d, h, mi, sec))
		return -1;
	*out = date_timegm(y, mo, d, h, mi, sec) - (time_t)off * 60;
	return 0;
}

/* hh:mm[:ss[.frac]] with s at the first digit.  0 / -1. */
static int
read_clock(const char **sp, int *h, int *mi, int *sec)
{
	const char *s = *sp;

	if (read_num(&s, 2, h) < 1 || (*s != ':' && *s != '.'))
		return -1;
	s++;
	if (read_num(&s, 2, mi) != 2)
		return -1;
	*sec = 0;
	if (*s == ':' || (*s == '.' && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && !isdigit((unsigned char)s[3]))) {
		s++;
		/* "15:04:5": some generators do not pad the seconds. */
		if (read_num(&s, 2, sec) < 1)
			return -1;
		if (*s == '.' || *s == ',') {
			if (isdigit((unsigned char)s[1])) {
				s++;
				while (isdigit((unsigned char)*s))
					s++;
			}
		}
	}
	*sp = s;
	return 0;
}

static int
parse_rfc822(const char *s, time_t *out)
{
	int day = -1, mon = 0, year = -1, h = -1, mi = 0, sec = 0;
	int off = 0, have_zone = 0, ampm = 0, v, nd;
	long tz = -1;		/* a tz database name (tzdb) */

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == ',' || *s == '\r' ||
		    *s == '\n' || (*s == '-' && isalpha((unsigned char)s[1])) ||
		    (*s == '-' && isdigit((unsigned char)s[1]) && h < 0) ||
		    (*s == '/' && h < 0) ||
		    /* "October 6, 2023 - 16:29" */
		    (*s == '-' && s[1] == ' ' && h < 0 && day >= 0 && mon &&
		    year >= 0))
			s++;
		if (*s == '\0')
			break;
		if (*s == '(') {
			int depth = 0;

			do {
				if (*s == '(')
					depth++;
				else if (*s == ')')
					depth--;
				s++;
			} while (*s != '\0' && depth > 0);
			continue;
		}
		if (isalpha((unsigned char)*s)) {
			const char *w = s;
			size_t n;
			int m;

			while (isalpha((unsigned char)*s))
				s++;
			n = (size_t)(s - w);
			if (*s == '.')
				s++;
			if (is_weekday(w, n) && mon == 0 && h < 0)
				continue;
			/* "June 22, 2023 at 01:11 PM EDT" */
			if (n == 2 && h < 0 && day >= 0 && mon && year >= 0 &&
			    util_strncasecmp(w, "at", 2) == 0)
				continue;
			/* "3 de diciembre de 2024" (Spanish, Portuguese) */
			if (n == 2 && h < 0 && year < 0 && (day >= 0 || mon) &&
			    util_strncasecmp(w, "de", 2) == 0)
				continue;
			/* "America/New_York": see tzdb. */
			if (*s == '/' && h >= 0 && !have_zone &&
			    (tz = tzdb_find(w, &s)) >= 0) {
				have_zone = 3;
				continue;
			}
			/* "Etc/GMT", "Etc/UTC": the tz database's spelling. */
			if (n == 3 && *s == '/' && h >= 0 && !have_zone &&
			    util_strncasecmp(w, "etc", 3) == 0) {
				s++;
				continue;
			}
			/* "March 5th, 2024" */
			if (n == 2 && day >= 0 && h < 0 &&
			    (util_strncasecmp(w, "st", 2) == 0 ||
			    util_strncasecmp(w, "nd", 2) == 0 ||
			    util_strncasecmp(w, "rd", 2) == 0 ||
			    util_strncasecmp(w, "th", 2) == 0))
				continue;
			if (mon == 0 && (m = lookup_month(w, n)) != 0) {
				mon = m;
				continue;
			}
			if (h >= 0 && n == 2 && ampm == 0 &&
			    (util_strncasecmp(w, "am", 2) == 0 ||
			    util_strncasecmp(w, "pm", 2) == 0)) {
				ampm = tolower((unsigned char)w[0]) == 'p' ?
				    2 : 1;
				continue;
			}
			/* "2:37 p.m.": the news-style spelling. */
			if (h >= 0 && n == 1 && ampm == 0 && w[1] == '.' &&
			    (*w == 'a' || *w == 'p' || *w == 'A' ||
			    *w == 'P') && (*s == 'm' || *s == 'M')) {
				ampm = tolower((unsigned char)w[0]) == 'p' ?
				    2 : 1;
				s += 1 + (s[1] == '.');
				continue;
			}
			/*
			 * "14:37:09 -0700 MST", "MST -0700": a name next to
			 * an offset.  The offset is exact; the name is only
			 * read when there is none.
			 */
			if (have_zone == 2 && h >= 0 && lookup_zone(w, n, &v))
				continue;
			if (!have_zone && (h >= 0 || mon) &&
			    lookup_zone(w, n, &off)) {
				have_zone = 1;
				if ((*s == '+' || *s == '-') && off == 0) {
					int extra;

					if (read_offset(&s, &extra))
						off = extra;
				}
				continue;
			}
			return -1;
		}
		if ((*s == '+' || *s == '-') && have_zone != 2) {
			if (!read_offset(&s, &off))
				return -1;
			have_zone = 2;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return -1;
		{
			const char *p = s;

			nd = read_num(&p, 9, &v);
			if ((*p == ':' || (*p == '.' && nd <= 2 &&
			    isdigit((unsigned char)p[1]) &&
			    isdigit((unsigned char)p[2]) && day >= 0 &&
			    mon && year >= 0)) && h < 0) {
				if (read_clock(&s, &h, &mi, &sec) < 0)
					return -1;
				continue;
			}
			s = p;
			if (*s == '.' && !isdigit((unsigned char)s[1]))
				s++;	/* "5. März" style day */
		}
		if (nd >= 3 && year < 0 && nd <= 4)
			year = v;
		else if (nd <= 2 && day < 0 && v >= 1 && v <= 31)
			day = v;
		else if (nd <= 2 && year < 0)
			year = v < 50 ? 2000 + v : 1900 + v;
		else
			return -1;
		if (nd == 3)
			year += 1900;
	}
	if (day < 0 || mon == 0 || year < 0)
		return -1;
	if (h < 0)
		h = 0;
	if (ampm) {
		if (h < 1 || h > 12)
			return -1;
		if (ampm == 2 && h != 12)
			h += 12;
		else if (ampm == 1 && h == 12)
			h = 0;
	}
	if (!valid_fields(year, mon, day, h, mi, sec))
		return -1;
	if (tz >= 0)
		off = tzdb_offset((size_t)tz, year, mon, day, h, mi);
	*out = date_timegm(year, mon, day, h, mi, sec) - (time_t)off * 60;
	return 0;
}

/*
 * Month and weekday names in the languages feeds were found to use
 * (Greek and Hungarian blog platforms; French and German accented month
 * abbreviations), mapped to English so that the readers above can take
 * them.
 */
static const struct {
	const char *from, *to;
} words[] = {
	{ "\xce\x99\xce\xb1\xce\xbd", "Jan" },		/* Ιαν */
	{ "\xce\xa6\xce\xb5\xce\xb2", "Feb" },		/* Φεβ */
	{ "\xce\x9c\xce\xac\xcf\x8e", "Mar" },		/* Μάώ */
	{ "\xce\x9c\xce\xb1\xcf\x8e", "Mar" },		/* Μαώ */
	{ "\xce\x91\xcf\x80\xcf\x81", "Apr" },		/* Απρ */
	{ "\xce\x9c\xce\xac\xce\xb9", "May" },		/* Μάι */
	{ "\xce\x9c\xce\xb1\xcf\x8a", "May" },		/* Μαϊ */
	{ "\xce\x9c\xce\xb1\xce\xb9", "May" },		/* Μαι */
	{ "\xce\x99\xce\xbf\xcf\x8d\xce\xbd", "Jun" },	/* Ιούν */
	{ "\xce\x99\xce\xbf\xce\xbd", "Jun" },		/* Ιον */
	{ "\xce\x99\xce\xbf\xcf\x8d\xce\xbb", "Jul" },	/* Ιούλ */
	{ "\xce\x99\xce\xbf\xce\xbb", "Jul" },		/* Ιολ */
	{ "\xce\x86\xcf\x8d\xce\xb3", "Aug" },		/* Αύγ */
	{ "\xce\x91\xcf\x85\xce\xb3", "Aug" },		/* Αυγ */
	{ "\xce\xa3\xce\xb5\xcf\x80", "Sep" },		/* Σεπ */
	{ "\xce\x9f\xce\xba\xcf\x84", "Oct" },		/* Οκτ */
	{ "\xce\x9d\xce\xbf\xce\xad", "Nov" },		/* Νοέ */
	{ "\xce\x9d\xce\xbf\xce\xb5", "Nov" },		/* Νοε */
	{ "\xce\x94\xce\xb5\xce\xba", "Dec" },		/* Δεκ */
	{ "\xce\x9a\xcf\x85\xcf\x81", "Sun" },		/* Κυρ */
	{ "\xce\x94\xce\xb5\xcf\x85", "Mon" },		/* Δευ */
	{ "\xce\xa4\xcf\x81\xce\xb9", "Tue" },		/* Τρι */
	{ "\xce\xa4\xce\xb5\xcf\x84", "Wed" },		/* Τετ */
	{ "\xce\xa0\xce\xb5\xce\xbc", "Thu" },		/* Πεμ */
	{ "\xce\xa0\xce\xb1\xcf\x81", "Fri" },		/* Παρ */
	{ "\xce\xa3\xce\xb1\xce\xb2", "Sat" },		/* Σαβ */
	{ "janu\xc3\xa1r", "01" },
	{ "febru\xc3\xa1ri", "02" },
	{ "m\xc3\xa1rcius", "03" },
	{ "\xc3\xa1prilis", "04" },
	{ "m\xc3\xa1jus", "05" },
	{ "m\xc3\xa1ujus", "05" },
	{ "j\xc3\xbanius", "06" },
	{ "j\xc3\xbalius", "07" },
	{ "augusztus", "08" },
	{ "szeptember", "09" },
	{ "okt\xc3\xb3" "ber", "10" },
	{ "november", "11" },
	{ "december", "12" },
	{ "f\xc3\xa9vr", "Feb" },		/* févr(ier) */
	{ "ao\xc3\xbbt", "Aug" },		/* août */
	{ "d\xc3\xa9" "c", "Dec" },		/* déc(embre) */
	{ "m\xc3\xa4rz", "Mar" },		/* märz */
	{ "m\xc3\xa4r", "Mar" },		/* mär */
	{ "F\xc3\xa9vr", "Feb" },
	{ "Ao\xc3\xbbt", "Aug" },
	{ "D\xc3\xa9" "c", "Dec" },
	{ "M\xc3\xa4rz", "Mar" },		/* März (German capitalises) */
	{ "M\xc3\xa4r", "Mar" },
};

/* Korean markers: year, month, day (OnBlog); AM, PM (Nate). */
#define KO_YEAR	"\xeb\x85\x84"
#define KO_MON	"\xec\x9b\x94"
#define KO_DAY	"\xec\x9d\xbc"
#define KO_AM	"\xec\x98\xa4\xec\xa0\x84"
#define KO_PM	"\xec\x98\xa4\xed\x9b\x84"

/*
 * Non-English spellings -> a string the readers take, in buf.  Korean
 * platforms write local time without a zone: KST (+09:00).  Returns buf,
 * or NULL when nothing was recognised.
 */
static const char *
translate(const char *s, char *buf, size_t bufsize)
{
	const char *p = s;
	size_t o = 0, i;
	int y, mo, d, h, mi, sec, n = 0, hit = 0;
	char ampm[8];

	if (strlen(s) >= bufsize / 2)
		return NULL;
	if (sscanf(s, "%4d" KO_YEAR " %2d" KO_MON " %2d" KO_DAY
	    " %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6 && n > 0) {
		snprintf(buf, bufsize, "%04d-%02d-%02dT%02d:%02d:%02d+09:00%s",
		    y, mo, d, h, mi, sec, s + n);
		return buf;
	}
	if (sscanf(s, "%4d-%2d-%2d %6[^ 0-9] %2d:%2d:%2d%n", &y, &mo, &d,
	    ampm, &h, &mi, &sec, &n) == 7 && n > 0 &&
	    (strcmp(ampm, KO_AM) == 0 || strcmp(ampm, KO_PM) == 0)) {
		if (h < 1 || h > 12)
			return NULL;
		h = h % 12 + (strcmp(ampm, KO_PM) == 0 ? 12 : 0);
		snprintf(buf, bufsize, "%04d-%02d-%02dT%02d:%02d:%02d+09:00%s",
		    y, mo, d, h, mi, sec, s + n);
		return buf;
	}
	while (*p != '\0' && o + 1 < bufsize) {
		for (i = 0; i < UTIL_ARRAY_LEN(words); i++) {
			size_t wl = strlen(words[i].from);

			/* Hungarian names (to a number) only between
			 * hyphens; other Latin ones at a word's start. */
			if (strncmp(p, words[i].from, wl) == 0 &&
			    ((unsigned char)words[i].from[0] >= 0xCE ||
			    (p > s && p[-1] == '-' && p[wl] == '-') ||
			    (isalpha((unsigned char)words[i].to[0]) &&
			    (p == s || !isalpha((unsigned char)p[-1])))))
				break;
		}
		if (i < UTIL_ARRAY_LEN(words)) {
			size_t tl = strlen(words[i].to);

			if (o + tl + 1 >= bufsize)
				return NULL;
			memcpy(buf + o, words[i].to, tl);
			o += tl;
			p += strlen(words[i].from);
			hit = 1;
		} else
			buf[o++] = *p++;
	}
	buf[o] = '\0';
	return hit && *p == '\0' ? buf : NULL;
}

/*
 * "26.11.2024", "26/11/2024", "11/26/2024", "26-11-2024", a time and zone
 * may follow: rewritten as "26 november 2024 ..." for the RFC 822 reader.
 * Dots mean day first (the European habit); otherwise the numbers must
 * tell the order (one above 12).  When both orders are possible the date
 * is rejected: a guess would be a wrong date with no sign of it.
 */
static const char *
numeric_date(const char *s, char *buf, size_t bufsize)
{
	const char *p = s;
	int a, b, y, d, m;
	char sep;

	if (read_num(&p, 2, &a) < 1 || (*p != '.' && *p != '/' && *p != '-'))
		return NULL;
	sep = *p++;
	if (read_num(&p, 2, &b) < 1 || *p != sep)
		return NULL;
	p++;
	if (read_num(&p, 4, &y) != 4 || isdigit((unsigned char)*p))
		return NULL;
	if (sep == '.' || a > 12 || a == b) {
		d = a;
		m = b;
	} else if (b > 12) {
		d = b;
		m = a;
	} else
		return NULL;
	if (m < 1 || m > 12)
		return NULL;
	if (p[0] == ' ' && p[1] == '-' && p[2] == ' ')
		p += 2;		/* "26/11/2024 - 14:37" */
	snprintf(buf, bufsize, "%d %s %d%s", d, months[m - 1], y, p);
	return buf;
}

int
date_parse(const char *s, time_t *out)
{
	const char *p;
	int digits = 0;

	char tbuf[256];

	if (s == NULL)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	for (p = s; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p != '\0' && (p = translate(s, tbuf, sizeof(tbuf))) != NULL)
		s = p;
	/* "Fri, 2006/09/15 08:19:53 EDT": a weekday before an ISO date. */
	for (p = s; isalpha((unsigned char)*p); p++)
		;
	if (p > s && is_weekday(s, (size_t)(p - s))) {
		const char *q = p + (*p == ',');

		while (*q == ' ')
			q++;
		if (q > p && isdigit((unsigned char)q[0]) &&
		    isdigit((unsigned char)q[1]) &&
		    isdigit((unsigned char)q[2]) &&
		    isdigit((unsigned char)q[3]) &&
		    (q[4] == '-' || q[4] == '/'))
			s = q;
	}
	/*
	 * "Vendredi, 05 Nov 94 ...", "mer, 16 nov 2022 ...": a weekday
	 * in another language, known by the comma and the day after it.
	 */
	for (p = s; isalpha((unsigned char)*p); p++)
		;
	if (p - s >= 2 && p - s <= 12 && (*p == ',' || (*p == '.' &&
	    p[1] == ','))) {
		const char *q = p + 1 + (*p == '.');

		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q))
			s = q;
	}
	for (p = s; isdigit((unsigned char)*p); p++)
		digits++;
	if ((digits == 4 && (*p == '-' || *p == '/')) || digits == 8)
		return parse_iso(s, out);
	if (digits == 4 && only_trailer(p)) {
		/* "2003": W3C-DTF's year alone, its first instant. */
		int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		    (s[2] - '0') * 10 + (s[3] - '0');

		if (!valid_fields(y, 1, 1, 0, 0, 0))
			return -1;
		*out = date_timegm(y, 1, 1, 0, 0, 0);
		return 0;
	}
	if ((digits == 1 || digits == 2) && strlen(s) < sizeof(tbuf) / 2 &&
	    (p = numeric_date(s, tbuf, sizeof(tbuf))) != NULL)
		return parse_rfc822(p, out);
	return parse_rfc822(s, out);
}

/*
 * test_date.c - feed dates to UTC.  The expected epochs were computed
 * independently with `date -u -d '<UTC form>' +%s`.  Military zone
 * letters follow RFC 822 as feed parsers do (A = -1h, N = +1h, Y = +12h),
 * which is the reverse of the nautical convention GNU date uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

static const struct {
	const char *s;
	long long epoch;
} good[] = {
	{ "Mon, 02 Jan 2006 15:04:05 -0700", 1136239445 },
	/* A zone name beside an offset, p.m., numeric day/month orders. */
	{ "Tue, 26 Nov 2024 14:37:09 -0700 MST", 1732657029 },
	{ "Tue, 26 Nov 2024 14:37:09 MST -0700", 1732657029 },
	{ "Tue, 26 Nov 2024 14:37:9 -0700 GMT", 1732657029 },
	{ "Tue, Nov 26 2024 14:37:09 -700", 1732657029 },
	{ "November 26, 2024, 2:37 p.m.", 1732631820 },
	{ "2024 November 26", 1732579200 },
	{ "26.11.2024 14:37:09", 1732631829 },
	{ "26/11/2024 - 14:37", 1732631820 },
	{ "11/26/2024 2:37:09 PM MST", 1732657029 },
	{ "26-11-2024", 1732579200 },
	/* "at" and " - " between date and time; French and German
	 * months and weekdays. */
	{ "Thu, June 22, 2023 at 01:11 PM EDT", 1687453860 },
	{ "Monday, October 6, 2023 - 16:29", 1696609740 },
	{ "ven., 03 juil. 2020 15:09:58 +0000", 1593788998 },
	{ "mar., 01 d\xc3\xa9" "c. 2020 16:11:02 +0000", 1606839062 },
	{ "Do, 29 M\xc3\xa4r 2018 00:00:00 +0200", 1522274400 },
	{ "12. Dezember 2024 08:00", 1733990400 },
	{ "3 de diciembre de 2024", 1733184000 },
	/* Greek, Hungarian and Korean (KST) blog platforms. */
	{ "\xce\x9a\xcf\x85\xcf\x81, 11 \xce\x99\xce\xbf\xcf\x8d\xce\xbb "
	    "2004 12:00:00 EST", 1089565200 },
	{ "2004-j\xc3\xbalius-13T9:15-05:00", 1089728100 },
	{ "2004-05-25 \xec\x98\xa4\xed\x9b\x84 11:23:17", 1085494997 },
	{ "2004\xeb\x85\x84 05\xec\x9b\x94 28\xec\x9d\xbc  01:31:15",
	    1085675475 },
	/* tz database zone, weekday before ISO, padded month. */
	{ "Wed, 19 Aug 2009 18:28:00 Etc/GMT", 1250706480 },
	{ "Fri, 2006/09/15 08:19:53 EDT", 1158322793 },
	{ "Tue, 2024-11-26T11:42:07Z", 1732621327 },
	{ "2003-012-31T10:14:55+00:00", 1072865695 },
	{ "Mon, 02 Jan 2006 15:04:05 GMT", 1136214245 },
	{ "Tue, 26 Nov 2024 11:42:07 +0000", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 UT", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 UTC", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 Z", 1732621327 },
	{ "Tue, 26 Nov 2024 06:42:07 EST", 1732621327 },
	{ "Tue, 26 Nov 2024 07:42:07 EDT", 1732621327 },
	{ "Tue, 26 Nov 2024 05:42:07 CST", 1732621327 },
	{ "Tue, 26 Nov 2024 06:42:07 CDT", 1732621327 },
	{ "Tue, 26 Nov 2024 04:42:07 MST", 1732621327 },
	{ "Tue, 26 Nov 2024 05:42:07 MDT", 1732621327 },
	{ "Tue, 26 Nov 2024 03:42:07 PST", 1732621327 },
	{ "Tue, 26 Nov 2024 04:42:07 PDT", 1732621327 },
	/* Military letters carry no offset (RFC 2822 4.3). */
	{ "Tue, 26 Nov 2024 11:42:07 A", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 N", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 Y", 1732621327 },
	/* Nested comments after the zone (RFC 5322 CFWS). */
	{ "Tue, 26 Nov 2024 05:42:07 -0600 (CST (US))", 1732621327 },
	/* A weekday in another language. */
	{ "mar, 26 nov 2024 12:42:07 +0100", 1732621327 },
	{ "Dienstag, 26 Nov 2024 11:42:07 GMT", 1732621327 },
	/* W3C-DTF's year alone. */
	{ "2024", 1704067200 },
	/* tz database names, daylight saving time included. */
	{ "Fri, 31 Mar 2023 20:19:00 America/Los_Angeles", 1680319140 },
	{ "Tue, 26 Nov 2024 11:42:00 Europe/London", 1732621320 },
	{ "Fri, 26 Jul 2024 11:42:00 europe/london", 1721990520 },
	{ "Mon, 15 Jan 2024 09:30:00 Australia/Sydney", 1705271400 },
	{ "Tue, 26 Nov 2024 20:42:00 Asia/Tokyo", 1732621320 },
	{ "Sun, 10 Mar 2024 03:30:00 America/New_York", 1710055800 },
	{ "Sun, 03 Nov 2024 03:30:00 America/New_York", 1730622600 },
	{ "Tue, 26 Nov 2024 12:42:07 +0100", 1732621327 },
	{ "Tue, 26 Nov 2024 17:12:07 +05:30", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42 GMT", 1732621320 },
	{ "26 Nov 2024 11:42:07 GMT", 1732621327 },
	{ "Tuesday, 26 November 2024 11:42:07 GMT", 1732621327 },
	{ "Tue, 26 Nov 24 11:42:07 GMT", 1732621327 },
	{ "Fri, 31 Dec 99 23:59:59 GMT", 946684799 },
	{ "Tue,26 Nov 2024 11:42:07 GMT", 1732621327 },
	{ "  Tue,  26  Nov  2024  11:42:07  GMT  ", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07", 1732621327 },
	{ "Tue, 5 Mar 2024 9:30 EST", 1709649000 },
	{ "Tue, 26-Nov-2024 11:42:07 GMT", 1732621327 },
	{ "Nov 26, 2024 11:42:07 GMT", 1732621327 },
	{ "Tue Nov 26 11:42:07 UTC 2024", 1732621327 },
	{ "Tue Nov 26 11:42:07 2024", 1732621327 },
	{ "Tue, 26 Sept 2024 11:42:07 GMT", 1727350927 },
	{ "Tue, 26 Nov 2024 11:42:07 GMT+0100", 1732617727 },
	{ "Tue, 26 Nov 2024 11:42:07 +0000 (UTC)", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 CET", 1732617727 },
	{ "Tue, 26 Nov 2024 11:42:07 BST", 1732617727 },
	{ "Tue, 26 Nov 2024 11:42:07 JST", 1732588927 },
	{ "Tue, 26 Nov 2024 11:42:07 AEDT", 1732581727 },
	{ "Tue, 26 Nov 2024 11:42:07.123 +0000", 1732621327 },
	{ "Tue, 26 Nov 2024 11:42:07 pm EST", 1732682527 },
	{ "Thu, 29 Feb 2024 12:00:00 GMT", 1709208000 },
	{ "2024-11-26T11:42:07Z", 1732621327 },
	{ "2024-11-26T11:42:07z", 1732621327 },
	{ "2024-11-26t11:42:07Z", 1732621327 },
	{ "2024-11-26T11:42:07.123456Z", 1732621327 },
	{ "2024-11-26T12:42:07+01:00", 1732621327 },
	{ "2024-11-26T06:42:07-05:00", 1732621327 },
	{ "2024-11-26T06:42:07-0500", 1732621327 },
	{ "2024-11-26T06:42:07-05", 1732621327 },
	{ "2024-11-26 11:42:07", 1732621327 },
	{ "2024-11-26 11:42:07Z", 1732621327 },
	{ "2024-11-26 12:42:07 +0100", 1732621327 },
	{ "2024-11-26T11:42Z", 1732621320 },
	{ "2024-11-26T11:42:07", 1732621327 },
	{ "2024-11-26", 1732579200 },
	{ "2024-11", 1730419200 },
	{ "20241126T114207Z", 1732621327 },
	{ "2024/11/26 11:42:07", 1732621327 },
	{ "2024-11-26T11:42:07.5+00:00", 1732621327 },
	{ "1999-12-31T23:59:60Z", 946684800 },
	{ "2024-11-26T11:42:07 GMT", 1732621327 },
	{ "  2024-11-26T11:42:07Z  ", 1732621327 },
};

/* Not dates: they must be rejected, never turned into some time. */
static const char *const bad[] = {
	"",
	"   ",
	"garbage",
	"sometime last week",
	"tomorrow",
	"12:30:00",
	"Mon, 32 Jan 2024 10:00:00 GMT",
	"Mon, 30 Feb 2024 10:00:00 GMT",
	"Thu, 29 Feb 2023 12:00:00 GMT",
	"Mon, 02 Foo 2024 10:00:00 GMT",
	"Mon, 02 Jan 2024 25:00:00 GMT",
	"Mon, 02 Jan 2024 10:61:00 GMT",
	"Mon, 02 Jan 2024 10:00:00 XYZ",
	"Mon, 02 Jan 2024 10:00:00 +99999",
	"Jan 2024",
	"02 Jan",
	"2024-13-01",
	"2024-00-10",
	"2024-02-30T10:00:00Z",
	"2024-01-01T10:00:00Zjunk",
	"2024-01-01T1000",
	"2024-01-01T",
	"0000-00-00T00:00:00Z",
	"0001-01-01T00:00:00Z",
	"1700000000",
	"20245",
	"Tue, 26 Nov 2024 11:42:00 Mars/Olympus_Mons",
	"Tuesday-ish, 26 Nov 2024 11:42:07 GMT",
	"Mon, 02 Jan 2024 10:00:00 GMT extra words",
	"\xff\xfe\xfd",
	"01/02/2024",		/* day and month could be either */
	"26.13.2024",
	"11/26/24",
};

static void
test_good_dates(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		time_t t = 0;

		if (date_parse(good[i].s, &t) != 0 ||
		    (long long)t != good[i].epoch) {
			print_error("date_parse(\"%s\") = %lld, expected %lld\n",
			    good[i].s, (long long)t, good[i].epoch);
			fail();
		}
	}
}

static void
test_bad_dates(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		time_t t = 42;

		if (date_parse(bad[i], &t) != -1 || t != 42) {
			print_error("date_parse(\"%s\") accepted: %lld\n",
			    bad[i], (long long)t);
			fail();
		}
	}
	assert_int_equal(date_parse(NULL, NULL), -1);
}

static void
test_timegm(void **state)
{
	(void)state;
	assert_int_equal(date_timegm(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(date_timegm(2000, 2, 29, 12, 0, 0), 951825600);
	assert_int_equal(date_timegm(2038, 1, 19, 3, 14, 8), 2147483648LL);
	assert_int_equal(date_timegm(1969, 12, 31, 23, 59, 59), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_dates),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_timegm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

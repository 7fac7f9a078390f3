/*
 * date.h - feed dates to UTC: RFC 822/1123/2822 with every real-world
 * variant (named zones, numeric offsets, missing seconds or weekday,
 * two-digit years) and RFC 3339 / ISO 8601 (fractions, Z, offsets).  Pure.
 */
#ifndef DESKWIRE_DATE_H
#define DESKWIRE_DATE_H

#include <time.h>

/* Parse s; returns 0 with *out in UTC seconds, or -1 if not a date. */
int date_parse(const char *s, time_t *out);
/* timegm() without the non-standard function: broken-down UTC -> time_t. */
time_t date_timegm(int year, int mon, int mday, int hour, int min, int sec);

#endif

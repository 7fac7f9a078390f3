/*
 * fuzz_date.c - libFuzzer target for the date parser: any input either
 * fails or gives a time inside the accepted year range.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[256];
	time_t t;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (date_parse(buf, &t) == 0) {
		/* 1900-01-01 minus 15h .. 2999-12-31 plus 15h */
		if (t < -2208988800LL - 54000 || t > 32503680000LL + 54000)
			abort();
	}
	return 0;
}

/* analyze.c - placeholder until the analyzer lands. */
#include "analyze.h"
#include "util.h"

struct analyze_ctx *
analyze_new(const struct conf *c, const char *data_dir, char *err,
    size_t errlen)
{
	(void)c;
	(void)data_dir;
	util_seterr(err, errlen, "analyzer not implemented yet");
	return NULL;
}

/* store.c - placeholder until the store lands. */
#include "store.h"
#include "util.h"

struct store *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	(void)flags;
	util_seterr(err, errlen, "%s: store not implemented yet", path);
	return NULL;
}

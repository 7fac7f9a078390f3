/* conf.c - placeholder (being written). */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util.h"

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
}

void
conf_free(struct conf *c)
{
	memset(c, 0, sizeof(*c));
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	conf_init(c);
	util_seterr(err, errlen, "%s: not implemented", path);
	return -1;
}

char *
conf_find_path(const char *explicit_path)
{
	return xstrdup(explicit_path ? explicit_path : "feeds.conf");
}

char *
conf_default_db_path(void)
{
	return NULL;
}

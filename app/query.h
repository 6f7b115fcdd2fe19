/*
 * query.h: the query string of a request, split and percent-decoded into
 * a bounded table.  Input longer than VT_QUERY_MAX or with more than
 * VT_QUERY_PARAMS pairs is rejected, not truncated.
 */
#ifndef VT_QUERY_H
#define VT_QUERY_H

#include <stddef.h>

#define VT_QUERY_MAX		1024	/* bytes of raw query string */
#define VT_QUERY_PARAMS		16
#define VT_QUERY_KEY_LEN	32
#define VT_QUERY_VALUE_LEN	128

struct vt_query_param {
	char	key[VT_QUERY_KEY_LEN];
	char	value[VT_QUERY_VALUE_LEN];
};

struct vt_query {
	size_t			n;
	struct vt_query_param	p[VT_QUERY_PARAMS];
};

/*
 * Parse "a=1&b=x%20y" ("+" is a space; a key without "=" has an empty
 * value; empty pairs are skipped).  Pure.  Returns 0, or -1 with a
 * sentence in err fit for a 400 response (it names no internals).
 */
int	vt_query_parse(const char *qs, struct vt_query *q, char *err,
	    size_t errlen);

/* The first value of key, or NULL. */
const char *vt_query_get(const struct vt_query *q, const char *key);

/* How many times key appears. */
size_t	vt_query_count(const struct vt_query *q, const char *key);

#endif /* VT_QUERY_H */

/*
 * query.c: query-string parsing for query.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "query.h"
#include "vitals.h"

static int
query_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode src[0..n) into dst (size dstlen).  -1 on bad escapes or overflow. */
static int
query_decode(const char *src, size_t n, char *dst, size_t dstlen,
    const char **why)
{
	size_t	i, o = 0;

	for (i = 0; i < n; i++) {
		int	c = (unsigned char)src[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int	hi, lo;

			if (i + 2 >= n) {
				*why = "truncated percent-escape";
				return VT_ERR;
			}
			hi = query_hex((unsigned char)src[i + 1]);
			lo = query_hex((unsigned char)src[i + 2]);
			if (hi < 0 || lo < 0) {
				*why = "bad percent-escape";
				return VT_ERR;
			}
			c = hi * 16 + lo;
			i += 2;
			if (c == 0) {
				*why = "NUL byte in parameter";
				return VT_ERR;
			}
		}
		if (o + 1 >= dstlen) {
			*why = "parameter too long";
			return VT_ERR;
		}
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return VT_OK;
}

int
vt_query_parse(const char *qs, struct vt_query *q, char *err, size_t errlen)
{
	const char     *p, *end, *amp, *eq, *why = NULL;
	size_t		len;

	q->n = 0;
	if (qs == NULL)
		return VT_OK;
	len = strnlen(qs, VT_QUERY_MAX + 1);
	if (len > VT_QUERY_MAX) {
		snprintf(err, errlen, "query string longer than %d bytes",
		    VT_QUERY_MAX);
		return VT_ERR;
	}
	end = qs + len;
	for (p = qs; p < end; p = amp + 1) {
		struct vt_query_param  *pp;

		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;
		if (q->n == VT_QUERY_PARAMS) {
			snprintf(err, errlen, "more than %d query parameters",
			    VT_QUERY_PARAMS);
			return VT_ERR;
		}
		pp = &q->p[q->n];
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (query_decode(p, (size_t)(eq - p), pp->key, sizeof(pp->key),
		    &why) == VT_ERR ||
		    query_decode(eq < amp ? eq + 1 : amp,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, pp->value,
		    sizeof(pp->value), &why) == VT_ERR) {
			snprintf(err, errlen, "bad query string: %s", why);
			return VT_ERR;
		}
		if (pp->key[0] == '\0') {
			snprintf(err, errlen, "bad query string: empty "
			    "parameter name");
			return VT_ERR;
		}
		q->n++;
		if (amp == end)
			break;
	}
	return VT_OK;
}

const char *
vt_query_get(const struct vt_query *q, const char *key)
{
	size_t	i;

	for (i = 0; i < q->n; i++)
		if (strcmp(q->p[i].key, key) == 0)
			return q->p[i].value;
	return NULL;
}

size_t
vt_query_count(const struct vt_query *q, const char *key)
{
	size_t	i, n = 0;

	for (i = 0; i < q->n; i++)
		if (strcmp(q->p[i].key, key) == 0)
			n++;
	return n;
}

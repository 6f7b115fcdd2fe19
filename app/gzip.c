/*
 * gzip.c: documents to gzip with a reused deflate state (see gzip.h).
 */
#include "config.h"

#include <string.h>

#include "gzip.h"
#include "vitals.h"

/* windowBits 15 plus 16: a gzip header and trailer, not zlib's. */
#define GZIP_WBITS	(15 + 16)
#define GZIP_MEMLEVEL	8

int
vt_gzip_init(struct vt_gzip *g, int level)
{
	memset(g, 0, sizeof(*g));
	if (deflateInit2(&g->zs, level, Z_DEFLATED, GZIP_WBITS, GZIP_MEMLEVEL,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return VT_ERR;
	g->ready = 1;
	return VT_OK;
}

void
vt_gzip_free(struct vt_gzip *g)
{
	if (g->ready)
		(void)deflateEnd(&g->zs);
	g->ready = 0;
}

int
vt_gzip(struct vt_gzip *g, const void *in, size_t len, struct vt_buf *out)
{
	uLong	 bound;
	char	*dst;
	int	 rc;

	if (!g->ready || len > UINT32_MAX || deflateReset(&g->zs) != Z_OK)
		return VT_ERR;
	/* With the whole input and deflateBound's room, one call finishes. */
	bound = deflateBound(&g->zs, (uLong)len);
	if ((dst = vt_buf_space(out, bound)) == NULL)
		return VT_ERR;
	g->zs.next_in = (Bytef *)(uintptr_t)in;
	g->zs.avail_in = (uInt)len;
	g->zs.next_out = (Bytef *)dst;
	g->zs.avail_out = (uInt)bound;
	rc = deflate(&g->zs, Z_FINISH);
	if (rc != Z_STREAM_END)
		return VT_ERR;
	out->len += bound - g->zs.avail_out;
	out->data[out->len] = '\0';
	return VT_OK;
}

/*
 * gzip.h: one document to the gzip format (RFC 1952), for the bodies the
 * master renders once a tick and every worker then sends as they are.
 *
 * The deflate state (about 260 KiB) is allocated once and reset for each
 * document, so a tick allocates nothing once the output buffer has grown.
 */
#ifndef VT_GZIP_H
#define VT_GZIP_H

#include <stddef.h>
#include <zlib.h>

#include "buf.h"

struct vt_gzip {
	z_stream	zs;
	int		ready;
};

/*
 * zlib's level for /metrics, compressed by the master.  perf
 * showed libz at a quarter of an idle master's CPU at level 6 (issue 14).
 * Level 1 takes the 40 KB text of the vm2 fixture to 7.1 KB instead of
 * 6.3 KB, in 0.3-1.6 ms instead of 1.2-2.2 ms here (loaded machine): 13 %
 * more bytes per scrape.
 */
#define VT_GZIP_LEVEL	1

/* level: zlib's 1 (fastest) to 9 (smallest).  Returns VT_OK or VT_ERR. */
int	vt_gzip_init(struct vt_gzip *g, int level);
void	vt_gzip_free(struct vt_gzip *g);

/*
 * Append len bytes of in, compressed as one gzip member, to out.  Returns
 * VT_OK, or VT_ERR (out is then as it was) when out would pass its cap or
 * zlib fails.
 */
int	vt_gzip(struct vt_gzip *g, const void *in, size_t len,
	    struct vt_buf *out);

#endif /* VT_GZIP_H */

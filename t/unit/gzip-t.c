/*
 * gzip-t.c: what vt_gzip writes is gzip that zlib reads back to the same
 * bytes, member after member with one reused state, and a cap that is
 * too small leaves the output as it was.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "gzip.h"
#include "tap.h"
#include "vitals.h"

/* Inflate a whole gzip member; the length, or -1. */
static long
gunzip(const char *in, size_t len, char *out, size_t cap)
{
	z_stream	zs;
	long		n;
	int		rc;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	rc = inflate(&zs, Z_FINISH);
	n = rc == Z_STREAM_END && zs.avail_in == 0 ? (long)zs.total_out : -1;
	inflateEnd(&zs);
	return n;
}

int
main(void)
{
	struct vt_gzip	 g;
	struct vt_buf	 out, small;
	char		*doc, *back;
	size_t		 len = 300 * 1024, i;
	long		 n;
	int		 round;

	if ((doc = malloc(len)) == NULL || (back = malloc(len)) == NULL)
		bail("out of memory");
	/* Text like /metrics: repetitive lines with changing numbers. */
	for (i = 0; i < len; i++)
		doc[i] = i % 61 == 60 ? '\n' : "node_cpu_seconds_total"[i % 22] +
		    (char)((i / 997) % 3);
	ok(vt_gzip_init(&g, 6) == VT_OK, "deflate state set up");
	if (vt_buf_init(&out, 1024, 1024 * 1024) == VT_ERR)
		bail("out of memory");
	for (round = 0; round < 3; round++) {
		vt_buf_reset(&out);
		doc[round] = 'X';
		ok(vt_gzip(&g, doc, len, &out) == VT_OK,
		    "round %d: compressed", round);
		ok((unsigned char)out.data[0] == 0x1f &&
		    (unsigned char)out.data[1] == 0x8b,
		    "round %d: gzip magic", round);
		ok(out.len < len / 4, "round %d: %zu bytes from %zu", round,
		    out.len, len);
		n = gunzip(out.data, out.len, back, len);
		ok(n == (long)len && memcmp(back, doc, len) == 0,
		    "round %d: zlib reads back the same bytes", round);
	}

	vt_buf_reset(&out);
	ok(vt_gzip(&g, "", 0, &out) == VT_OK && out.len > 0 &&
	    gunzip(out.data, out.len, back, len) == 0,
	    "an empty document is an empty member");

	/* Appends: what was in the buffer stays. */
	vt_buf_reset(&out);
	vt_buf_adds(&out, "head");
	ok(vt_gzip(&g, doc, 1000, &out) == VT_OK &&
	    memcmp(out.data, "head", 4) == 0 &&
	    gunzip(out.data + 4, out.len - 4, back, len) == 1000,
	    "appends after what the buffer holds");

	/* A cap too small for the bound: refused, buffer unchanged. */
	if (vt_buf_init(&small, 64, 256) == VT_ERR)
		bail("out of memory");
	vt_buf_adds(&small, "keep");
	ok(vt_gzip(&g, doc, len, &small) == VT_ERR && small.len == 4 &&
	    strcmp(small.data, "keep") == 0, "past the cap: refused, unchanged");
	vt_buf_reset(&out);
	ok(vt_gzip(&g, doc, 5000, &out) == VT_OK &&
	    gunzip(out.data, out.len, back, len) == 5000,
	    "the state still works after a refusal");

	vt_gzip_free(&g);
	vt_buf_reset(&out);
	ok(vt_gzip(&g, doc, 10, &out) == VT_ERR, "refused once freed");
	vt_gzip_free(&g);
	vt_buf_free(&out);
	vt_buf_free(&small);
	free(doc);
	free(back);
	done_testing();
	return tap_exit_status();
}

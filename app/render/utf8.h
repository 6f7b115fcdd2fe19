/*
 * utf8.h: text from the kernel (interface names, mount points, device
 * names, process names) is bytes, not necessarily UTF-8; JSON and the
 * Prometheus text format both require UTF-8.  The renderers pass every
 * such string through here.
 */
#ifndef VT_RENDER_UTF8_H
#define VT_RENDER_UTF8_H

#include <stddef.h>

/* Room for any string of n bytes after vt_utf8_clean (and the NUL). */
#define VT_UTF8_CLEAN_LEN(n)	(3 * (n) + 1)

/*
 * Copy the NUL-terminated s into dst (dstlen bytes, at least 1), each
 * byte that does not start a valid UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF) replaced by
 * U+FFFD.  A result that does not fit is cut before the character that
 * would not fit, so dst is always valid UTF-8 and NUL-terminated.
 * Returns the length of dst.  No allocation, no state.
 */
size_t	vt_utf8_clean(const char *s, char *dst, size_t dstlen);

/*
 * The length of the valid UTF-8 sequence at p (1 to 4, at most left
 * bytes), or 0 when the byte at p does not start one (the same rules).
 */
size_t	vt_utf8_seq(const unsigned char *p, size_t left);

#endif /* VT_RENDER_UTF8_H */

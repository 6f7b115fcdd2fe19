/*
 * buf.h: a byte buffer with a hard cap, for building responses.  A worker
 * owns one per request path; it is reset, not freed, between requests, so
 * its memory stays at the high-water mark and never above the cap.
 */
#ifndef VT_BUF_H
#define VT_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct vt_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;		/* allocated */
	size_t	 max;		/* hard limit on cap */
	int	 overflow;	/* an append did not fit under max */
};

/* Initialise with an initial allocation and a hard maximum. */
int	vt_buf_init(struct vt_buf *b, size_t initial, size_t max);
void	vt_buf_free(struct vt_buf *b);
void	vt_buf_reset(struct vt_buf *b);
/*
 * Put b back to its first len bytes (len at most b->len), as it was
 * before what was appended since: for a writer that gives up half-way.
 */
void	vt_buf_truncate(struct vt_buf *b, size_t len);

/*
 * Append bytes or formatted text.  Return 0, or -1 when the result would
 * pass b->max (b->overflow is then set and the buffer is unchanged).
 */
int	vt_buf_add(struct vt_buf *b, const void *p, size_t n);
int	vt_buf_adds(struct vt_buf *b, const char *s);
int	vt_buf_printf(struct vt_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	vt_buf_vprintf(struct vt_buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

/*
 * The decimal digits of v into dst (room for 20), without a NUL; their
 * count.  The renderers write every whole number through this:
 * snprintf's "%" PRIu64 was a fifth of the text format's rendering,
 * which runs every tick (issue 14).
 */
size_t	vt_u64_digits(uint64_t v, char *dst);

/*
 * Room for n more bytes past b->len: returns where to write them, or NULL
 * when they would pass b->max.  The caller writes at most n bytes there
 * and adds what it wrote to b->len (for writers that are not given a
 * buffer to append to, such as zlib).
 */
char   *vt_buf_space(struct vt_buf *b, size_t n);

#endif /* VT_BUF_H */

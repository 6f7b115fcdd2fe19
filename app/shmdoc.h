/*
 * shmdoc.h: a document published through shared memory: rendered once by
 * the master, copied by any number of workers.
 *
 * Two buffers: the writer fills the one readers are not pointed at, then
 * flips the index.  Each buffer has a sequence counter (odd while being
 * written), so a reader that raced two flips sees the counter move and
 * copies again.  Readers never block the writer and never wait on a lock.
 */
#ifndef VT_SHMDOC_H
#define VT_SHMDOC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define VT_DOC_MAX	(1024 * 1024)

struct vt_docbuf {
	uint32_t	seq;
	uint32_t	len;
	int64_t		stamp_ms;	/* the sample's wall-clock time */
	char		data[VT_DOC_MAX];
};

struct vt_doc {
	uint32_t		current;	/* 0 or 1 */
	uint32_t		generation;	/* count of publishes */
	struct vt_docbuf	b[2];
};

/*
 * Writer (one process): publish len bytes.  Returns -1 if they do not fit
 * (the previous document stays).
 */
int	vt_doc_publish(struct vt_doc *d, const char *data, size_t len,
	    int64_t stamp_ms);

/*
 * Reader: append the current document to out (which is not reset).
 * Returns 0, or -1 when nothing was published yet or the copy kept
 * racing the writer.  *stamp_ms gets the document's stamp.
 */
int	vt_doc_copy(const struct vt_doc *d, struct vt_buf *out,
	    int64_t *stamp_ms);

#endif /* VT_SHMDOC_H */

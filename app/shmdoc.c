/*
 * shmdoc.c: double-buffered documents in shared memory (see shmdoc.h).
 */
#include "config.h"

#include <string.h>

#include "shmdoc.h"
#include "vitals.h"

int
vt_doc_publish(struct vt_doc *d, const char *data, size_t len,
    int64_t stamp_ms)
{
	uint32_t		next;
	struct vt_docbuf       *b;

	if (len > VT_DOC_MAX)
		return VT_ERR;
	next = __atomic_load_n(&d->current, __ATOMIC_RELAXED) ^ 1u;
	b = &d->b[next];
	__atomic_fetch_add(&b->seq, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(b->data, data, len);
	b->len = (uint32_t)len;
	b->stamp_ms = stamp_ms;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_fetch_add(&b->seq, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&d->current, next, __ATOMIC_RELEASE);
	__atomic_fetch_add(&d->generation, 1, __ATOMIC_RELEASE);
	return VT_OK;
}

int
vt_doc_copy(const struct vt_doc *d, struct vt_buf *out, int64_t *stamp_ms)
{
	size_t	mark = out->len;
	int	tries;

	if (__atomic_load_n(&d->generation, __ATOMIC_ACQUIRE) == 0)
		return VT_ERR;
	for (tries = 0; tries < 100; tries++) {
		uint32_t		 cur, a, b, len;
		const struct vt_docbuf	*db;

		cur = __atomic_load_n(&d->current, __ATOMIC_ACQUIRE) & 1u;
		db = &d->b[cur];
		a = __atomic_load_n(&db->seq, __ATOMIC_ACQUIRE);
		if (a & 1)
			continue;
		len = db->len;
		if (len > VT_DOC_MAX)
			continue;
		out->len = mark;
		if (vt_buf_add(out, db->data, len) == VT_ERR)
			return VT_ERR;
		if (stamp_ms != NULL)
			*stamp_ms = db->stamp_ms;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		b = __atomic_load_n(&db->seq, __ATOMIC_RELAXED);
		if (a == b)
			return VT_OK;
	}
	vt_buf_truncate(out, mark);
	return VT_ERR;
}

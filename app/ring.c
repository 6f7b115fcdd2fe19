/*
 * ring.c: the lock-free sample ring (see ring.h).
 */
#include "config.h"

#include <string.h>

#include "ring.h"

const char *const vt_series_names[VT_S_COUNT] = {
	"cpu_percent",
	"load1",
	"mem_used_bytes",
	"mem_available_bytes",
	"swap_used_bytes",
	"net_rx_bytes_per_second",
	"net_tx_bytes_per_second",
	"disk_read_bytes_per_second",
	"disk_write_bytes_per_second",
	"tcp_established",
	"tcp_close_wait",
};

void
vt_ring_push(struct vt_ring *r, const struct vt_point *pt)
{
	uint64_t	h = __atomic_load_n(&r->head, __ATOMIC_RELAXED);

	memcpy(&r->p[h % VT_RING_CAP], pt, sizeof(*pt));
	__atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
}

uint64_t
vt_ring_head(const struct vt_ring *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
}

size_t
vt_ring_copy(const struct vt_ring *r, uint64_t from, struct vt_point *out,
    size_t max, uint64_t *next, uint64_t *lost)
{
	uint64_t	h, h2, oldest, start, i;
	size_t		n;
	int		tries;

	if (max > VT_RING_LEN)
		max = VT_RING_LEN;
	for (tries = 0; tries < 100; tries++) {
		h = vt_ring_head(r);
		oldest = h > VT_RING_LEN ? h - VT_RING_LEN : 0;
		start = from > oldest ? from : oldest;
		if (start > h)
			start = h;
		n = (size_t)(h - start) < max ? (size_t)(h - start) : max;
		for (i = 0; i < n; i++)
			memcpy(&out[i], &r->p[(start + i) % VT_RING_CAP],
			    sizeof(out[i]));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		h2 = vt_ring_head(r);
		/* Laps are impossible unless the writer passed the slack. */
		if (h2 - h < VT_RING_SLACK) {
			if (next != NULL)
				*next = start + n;
			if (lost != NULL)
				*lost = from < oldest ? oldest - from : 0;
			return n;
		}
	}
	if (next != NULL)
		*next = from;
	if (lost != NULL)
		*lost = 0;
	return 0;
}

size_t
vt_ring_since(const struct vt_ring *r, int64_t since_ms,
    struct vt_point *out, size_t max)
{
	uint64_t	h = vt_ring_head(r), from;
	size_t		n, skip = 0;

	if (max > VT_RING_LEN)
		max = VT_RING_LEN;
	from = h > max ? h - max : 0;
	n = vt_ring_copy(r, from, out, max, NULL, NULL);
	while (skip < n && out[skip].ts_ms <= since_ms)
		skip++;
	if (skip > 0)
		memmove(out, out + skip, (n - skip) * sizeof(*out));
	return n - skip;
}

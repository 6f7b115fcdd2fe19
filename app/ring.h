/*
 * ring.h: the sample ring in shared memory: one point a sample (about one
 * hour at 1 s) of the series the dashboard charts and the recorder stores.
 *
 * One writer (the master's sampler) fills the slot at head, then
 * publishes head + 1.  Readers copy a window and check afterwards that
 * the writer did not lap it (the ring keeps VT_RING_SLACK points more
 * than a reader may ask for), so no reader waits and no lock exists.
 */
#ifndef VT_RING_H
#define VT_RING_H

#include <stddef.h>
#include <stdint.h>

#define VT_RING_LEN	3600
#define VT_RING_SLACK	64
#define VT_RING_CAP	(VT_RING_LEN + VT_RING_SLACK)

enum vt_series {
	VT_S_CPU_PERCENT,
	VT_S_LOAD1,
	VT_S_MEM_USED,
	VT_S_MEM_AVAILABLE,
	VT_S_SWAP_USED,
	VT_S_NET_RX,
	VT_S_NET_TX,
	VT_S_DISK_READ,
	VT_S_DISK_WRITE,
	VT_S_TCP_ESTABLISHED,
	VT_S_TCP_CLOSE_WAIT,
	VT_S_COUNT
};

/* Names with units, as the JSON and the database columns spell them. */
extern const char *const vt_series_names[VT_S_COUNT];

struct vt_point {
	int64_t	ts_ms;		/* wall clock */
	double	v[VT_S_COUNT];
};

struct vt_ring {
	uint64_t	head;	/* points ever written */
	struct vt_point	p[VT_RING_CAP];
};

/* Writer. */
void	vt_ring_push(struct vt_ring *r, const struct vt_point *pt);

/* Points ever written (a position for readers that keep their place). */
uint64_t vt_ring_head(const struct vt_ring *r);

/*
 * Copy the points at positions [from, head) that are still in the ring,
 * at most max of them, oldest first.  *next gets the position after the
 * last one copied; *lost the count of points in [from, …) that had
 * already fallen off.  Returns the count copied.
 */
size_t	vt_ring_copy(const struct vt_ring *r, uint64_t from,
	    struct vt_point *out, size_t max, uint64_t *next, uint64_t *lost);

/* Copy the points newer than since_ms (at most max, the newest). */
size_t	vt_ring_since(const struct vt_ring *r, int64_t since_ms,
	    struct vt_point *out, size_t max);

#endif /* VT_RING_H */

/*
 * poolstats.h: the pool's own figures from the scoreboard, rendered per
 * request (they change with every request): a JSON object for
 * /api/metrics and the vitals_* families for /metrics.
 */
#ifndef VT_POOLSTATS_H
#define VT_POOLSTATS_H

#include "buf.h"
#include "scoreboard.h"

/* Append {"workers":…,…} (no leading comma). */
int	vt_pool_json(struct vt_shm *shm, int listen_fd, struct vt_buf *out);

/* Append the vitals_* Prometheus families. */
int	vt_pool_prom(struct vt_shm *shm, int listen_fd, struct vt_buf *out);

#endif /* VT_POOLSTATS_H */

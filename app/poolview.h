/*
 * poolview.h: the pool's figures, read from the scoreboard once and
 * rendered three ways: the "pool" member of /api/metrics (which the page
 * reads as pool.*), the /status document, and the vitals_* families of
 * /metrics through prom.c's writer.
 *
 * A view is filled by one walk of the worker slots and one read of each
 * counter; every rendering reads only the view, so a figure is counted in
 * one place and written out the same way everywhere.  The listen queue is
 * the master's gauge in shared memory (refreshed ten times a second),
 * never a netlink round trip on the request path.
 *
 * Ownership: the caller owns the view (a stack struct) and the optional
 * slot array it lends to vt_poolview_fill(); the view holds copies, no
 * pointer into shared memory.
 */
#ifndef VT_POOLVIEW_H
#define VT_POOLVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "db.h"
#include "scoreboard.h"

/* A worker slot as the walk found it. */
struct vt_poolview_slot {
	int		index;		/* in shm->slots */
	struct vt_slot	s;		/* a consistent copy */
};

struct vt_poolview {
	/* The pool as a whole. */
	int64_t		now_mono_ms;	/* when the view was taken */
	int32_t		master_pid;
	uint32_t	generation;
	int64_t		start_ms;	/* wall clock */
	int64_t		uptime_s;
	struct vt_limits limits;

	/* Workers, from the one walk of the slots. */
	unsigned	by_state[VT_SLOT_EXITING + 1];
	unsigned	total;		/* in any state but empty */
	unsigned	busy;		/* reading or busy */
	unsigned	idle;
	struct vt_poolview_slot *slots;	/* lent by the caller, or NULL */
	size_t		nslots;		/* filled in slots */

	/* Counters since the pool started. */
	uint64_t	accepted;
	uint64_t	by_class[6];	/* [1]..[5]: 1xx..5xx */
	uint64_t	restarts[VT_RESTART_MAX];
	uint64_t	restarts_total;	/* over every cause */
	uint64_t	slow_requests;
	uint64_t	accept_errors;
	uint64_t	bad_requests;
	uint64_t	crash_backoffs;
	uint64_t	log_dropped;
	uint64_t	log_suppressed;
	uint64_t	max_busy;
	uint64_t	all_busy;
	uint64_t	health_results[VT_DB_ERROR + 1];

	/*
	 * The listen queue, as the master last read it.  queue_known is 0
	 * until the master has read the socket once (it reads it ten times a
	 * second, and only a successful read sets the backlog, which a
	 * listening socket never has at 0).
	 */
	int		queue_known;
	uint64_t	listen_queue_errors;
	uint64_t	listen_queue;
	uint64_t	listen_queue_max;
	uint64_t	listen_backlog;

	/*
	 * The master's gauges of a pool that serves nobody: how long
	 * connections have waited with none accepted, and how long until
	 * the crash loop's back-off lets workers start again (ms; 0: none).
	 */
	uint64_t	queue_stall_ms;
	uint64_t	backoff_ms;

	/* Requests by route id (see router.h), the recorder, live push. */
	struct vt_route_stats	routes[VT_ROUTE_MAX];
	struct vt_recorder_state recorder;
	struct vt_live_state	live;
};

/*
 * Fill v from shm at now_mono_ms (vt_mono_ms()).  When slots is not NULL,
 * the walk also copies each live slot there, up to nslots of them, and
 * v->slots and v->nslots describe them (room for VT_MAX_SLOTS holds
 * every one); the caller keeps slots alive as long as v.
 */
void	vt_poolview_fill(struct vt_poolview *v, const struct vt_shm *shm,
	    int64_t now_mono_ms, struct vt_poolview_slot *slots,
	    size_t nslots);

/*
 * Whether the pool looks strained in v: connections waiting in its
 * socket, no worker idle (none running, or every one busy), or a crash
 * loop's back-off.  The master's fallback is kept fresh while it is
 * (fallback.h).
 */
int	vt_poolview_strained(const struct vt_poolview *v);

/*
 * Append the "pool" member's value of /api/metrics to out:
 * {"workers":…,"idle":…,"busy":…,"accepted":…,"restarts":…,
 * "watchdog_kills":…,"slow_requests":…,"listen_queue":…,
 * "listen_queue_max":…,"listen_backlog":…,"uptime_s":…}, no whitespace.
 * Returns VT_OK, or VT_ERR with out unchanged.
 */
int	vt_poolview_json(const struct vt_poolview *v, struct vt_buf *out);

/*
 * The /status document: pool, limits, workers, counters, listen_queue
 * (current is null while the master's gauge is not known), recorder,
 * live (the live-push publisher) and slots when the view has them.  The caller puts the object.
 */
struct json_object *vt_poolview_status(const struct vt_poolview *v);

/*
 * Append the pool's vitals_* families (requests and latency by endpoint,
 * workers by state, restarts by cause, health probes by result, the
 * pool's counters and gauges, its start time, live push's publications
 * when it is on) to out.  Returns VT_OK, or
 * VT_ERR with out unchanged.
 */
int	vt_poolview_prom(const struct vt_poolview *v, struct vt_buf *out);

/*
 * A view taken now, rendered as vt_poolview_prom() does: for /metrics
 * before the master's first tick.
 */
int	vt_pool_prom(const struct vt_shm *shm, struct vt_buf *out);

#endif /* VT_POOLVIEW_H */

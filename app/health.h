/*
 * health.h: the database health probe, single-flight across the pool.
 *
 * The last probe's result lives in shared memory.  A worker that needs a
 * fresh one tries to become the prober (a compare-and-swap on the owner
 * pid); the winner probes under the deadline and publishes; the others
 * answer from the shared result.  So a load of /health costs the database
 * about one query per health_cache, and a hung database holds at most
 * one worker for at most one deadline.  A prober that dies is released by
 * the master (vt_health_release) or, failing that, after two deadlines.
 */
#ifndef VT_HEALTH_H
#define VT_HEALTH_H

#include <stdint.h>
#include <sys/types.h>

struct vt_health_result {
	int32_t		status;		/* enum vt_db_err; -1: never probed */
	int32_t		schema_version;
	double		db_time;	/* epoch seconds, the server's clock */
	double		latency_ms;
	int64_t		checked_at_ms;	/* wall clock */
	int64_t		checked_mono_ms;
};

struct vt_health_state {
	uint32_t		seq;
	struct vt_health_result	r;
	int32_t			owner;		/* prober pid, 0: none */
	int64_t			owner_since_mono_ms;
	uint64_t		probes;		/* started */
	uint64_t		results[8];	/* by enum vt_db_err */
};

/* How an answer was obtained, for the response and the metrics. */
enum vt_health_source {
	VT_HEALTH_CACHED,	/* a shared result within health_cache */
	VT_HEALTH_PROBED,	/* this worker probed */
	VT_HEALTH_SHARED,	/* another worker's probe was in flight */
	VT_HEALTH_INFLIGHT_TIMEOUT	/* in flight past the deadline: 503 */
};

struct vt_db;

/*
 * Get a health result for a request: fresh within cache_ms, else probe
 * (or share the probe in flight) under timeout_ms.  *db is this worker's
 * connection, opened on first use from option_file.  Never blocks longer
 * than timeout_ms (plus a poll step).
 */
enum vt_health_source vt_health_get(struct vt_health_state *h,
	    struct vt_db **db, const char *option_file, const char *group,
	    int timeout_ms, int cache_ms, struct vt_health_result *out);

/* Master: a worker died; if it was probing, free the probe. */
void	vt_health_release(struct vt_health_state *h, pid_t pid);

/* Copy the last result (status -1 when there is none). */
void	vt_health_last(const struct vt_health_state *h,
	    struct vt_health_result *out);

#endif /* VT_HEALTH_H */

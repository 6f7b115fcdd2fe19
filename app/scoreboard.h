/*
 * scoreboard.h: the pool's shared memory, mapped by the master before the
 * first fork and inherited by every worker.
 *
 * A header of pool counters, per-route request counts and latency
 * histograms, and one slot per worker.  A worker writes only its own slot,
 * under a sequence counter (odd while writing); readers copy a slot and
 * retry if the counter moved, so no reader ever waits on a lock that a
 * dead worker could hold.  Counters are plain 64-bit atomics.
 *
 * The mapping is a memfd, so a SIGUSR2 upgrade hands it to the new master
 * (VITALS_SHM_FD).  A new master of the same layout adopts it as it is.
 * One of another layout (another version or size) migrates instead: since
 * version 6 the mapping describes itself (struct vt_shm_desc, right after
 * magic, version and size), and the new master copies through that
 * description what an operator expects to keep: the pool's start and
 * generation, the counters (by name), the per-route counts and
 * histograms, and the sample ring (the history).  Gauges, worker slots,
 * health, the recorder's figures and the published documents are rebuilt.
 *
 * The compatibility rule, for whoever changes this layout:
 * - magic, version, size and desc stay first and never move; the
 *   description only gains parts (new ids), it never reuses an id;
 * - struct vt_counters, struct vt_route_stats and struct vt_point only
 *   grow by fields appended at their end (a migration copies the common
 *   prefix of each element; what the old one lacks reads as zero);
 * - counters are matched by their name in counter_names, so renaming one
 *   starts it from zero, and a new one needs a row in scoreboard.c's
 *   table (a compile-time count and t/unit/shm_migrate-t check it);
 * - a change that breaks a part's meaning (other histogram buckets, a
 *   series in the middle of a point) takes a new part id: the old part is
 *   then left behind, and the log line of the upgrade says so;
 * - bump VT_SHM_VERSION with every change of the layout.
 */
#ifndef VT_SCOREBOARD_H
#define VT_SCOREBOARD_H

#include <stdint.h>
#include <sys/types.h>

#include "health.h"
#include "ring.h"
#include "shmdoc.h"
#include "vitals.h"

#define VT_SHM_MAGIC	0x56544c53u	/* "VTLS" */
#define VT_SHM_VERSION	13
#define VT_SHM_DESC_SINCE 6	/* the first with a struct vt_shm_desc */
#define VT_SHM_PARTS_MAX 16
#define VT_SHM_NAME_LEN	32
#define VT_MAX_SLOTS	(2 * VT_MAX_WORKERS)	/* room for a rolling restart */
#define VT_ROUTE_MAX	16
#define VT_HIST_BUCKETS	14		/* plus +Inf */

/*
 * /metrics as the master publishes it each tick: both formats, each as
 * text and gzipped, so a worker only picks one and copies it.  The text
 * format always; the three others while scrapes ask for them (a request
 * for one within VT_EXPO_ASKED_MS, vt_shm's expo_asked_ms): rendering
 * OpenMetrics and compressing both every second was a quarter of an idle
 * master's CPU (issue 14), for scrapes that come once a minute or never.
 * The master publishes a form within a tenth of a second of its first ask
 * (vt_sampler_forms, sampler.h); until then a scrape of it gets the
 * nearest form published: uncompressed, OpenMetrics converted from the
 * text by its worker (handlers/metrics.c).
 */
#define VT_EXPO_ASKED_MS	(10 * 60 * 1000)	/* > any scrape interval */

enum vt_expo {
	VT_EXPO_TEXT = 0,	/* Prometheus text format 0.0.4 */
	VT_EXPO_TEXT_GZ,
	VT_EXPO_OM,		/* OpenMetrics 1.0.0 */
	VT_EXPO_OM_GZ,
	VT_EXPO_N
};

/* Upper bounds of the latency histogram, in seconds. */
extern const double vt_hist_bounds[VT_HIST_BUCKETS];

enum vt_slot_state {
	VT_SLOT_EMPTY = 0,
	VT_SLOT_STARTING,	/* forked, not yet accepting */
	VT_SLOT_IDLE,		/* waiting for a connection */
	VT_SLOT_READING,	/* accepted, reading the request */
	VT_SLOT_BUSY,		/* running a handler, writing the reply */
	VT_SLOT_EXITING		/* told to stop, or recycling */
};

struct vt_slot {
	uint32_t	seq;		/* odd while the owner writes */
	int32_t		pid;
	uint32_t	state;		/* enum vt_slot_state */
	uint32_t	generation;	/* the pool generation it belongs to */
	int64_t		started_ms;	/* wall clock */
	int64_t		req_start_mono_ms;
	int64_t		req_start_ms;	/* wall clock */
	uint64_t	requests;	/* served by this worker */
	char		method[8];
	char		path[96];
	char		request_id[40];
	int64_t		unhealthy_since_ms;	/* monotonic; 0: healthy */
	int32_t		accept_errno;	/* of the last failed accept */
	uint32_t	accept_failures;	/* failed accepts in a row */
};

enum vt_restart_cause {
	VT_RESTART_EXIT = 0,	/* exited unexpectedly */
	VT_RESTART_SIGNAL,	/* killed by a signal */
	VT_RESTART_WATCHDOG,	/* killed by the request watchdog */
	VT_RESTART_RECYCLE,	/* reached max_requests */
	VT_RESTART_MAX
};

struct vt_route_stats {
	uint64_t	by_class[6];	/* [1]..[5]: 1xx..5xx */
	uint64_t	hist[VT_HIST_BUCKETS + 1];
	uint64_t	sum_us;
	uint64_t	count;
};

struct vt_counters {
	uint64_t	accepted;
	uint64_t	by_class[6];
	uint64_t	restarts[VT_RESTART_MAX];
	uint64_t	slow_requests;
	uint64_t	accept_errors;
	uint64_t	bad_requests;	/* FastCGI records that did not parse */
	uint64_t	busy;		/* workers reading or busy now */
	uint64_t	max_busy;
	uint64_t	all_busy;	/* times every worker was busy */
	uint64_t	listen_queue;
	uint64_t	listen_queue_max;
	uint64_t	listen_backlog;
	uint64_t	crash_backoffs;
	uint64_t	listen_queue_errors;	/* failed reads of the queue */
	uint64_t	log_dropped;	/* lines the log reader had no room for */
	uint64_t	log_suppressed;	/* lines held back by the rate limit */
	/*
	 * Gauges of the master's 100 ms tick (version 10): how long
	 * connections have waited in the socket with none accepted (0: the
	 * pool is taking them, or none waits), and how long until the crash
	 * loop's back-off lets the master start workers again (0: none).
	 */
	uint64_t	queue_stall_ms;
	uint64_t	backoff_ms;
};

struct vt_limits {
	int32_t		workers;
	int32_t		max_requests;
	double		request_timeout;
	double		shutdown_timeout;
	double		read_timeout;
	double		slow_threshold;
	int32_t		backlog;
};

/* The recorder's figures, written by the recorder process only. */
struct vt_recorder_state {
	int32_t		pid;
	int32_t		db_up;		/* last write succeeded */
	uint64_t	rows_written;	/* 10 s and 1 min rows */
	uint64_t	batches;
	uint64_t	errors;		/* failed writes */
	uint64_t	lost_points;	/* fell off the ring before written */
	uint64_t	backfilled_rows;	/* written after an outage */
	int64_t		last_write_ms;	/* wall clock */
	int64_t		written_until_ms;	/* buckets before this are stored */
};

/*
 * Live push (publish.c): how each sample's publication to nginx's Nchan
 * publisher ended.  VT_LIVE_SKIPPED: not tried, the publisher backing off
 * after failures.
 */
enum vt_live_result {
	VT_LIVE_OK = 0,		/* nginx took it (2xx) */
	VT_LIVE_CONNECT,	/* no connection: no socket, refused, full */
	VT_LIVE_TIMEOUT,	/* no whole answer by the deadline */
	VT_LIVE_IO,		/* the connection broke, or closed early */
	VT_LIVE_STATUS,		/* answered, but not 2xx */
	VT_LIVE_SKIPPED,	/* backing off: not tried */
	VT_LIVE_RESULTS
};

/*
 * The publisher's figures (version 11), written by the master only:
 * results by kind, the latency of each tried publication (connect to
 * the end of nginx's answer) in the request histogram's buckets, and
 * the state.  Rebuilt, not migrated, by an upgrade.
 */
struct vt_live_state {
	int32_t		on;		/* live_socket is set */
	int32_t		up;		/* the last publication succeeded */
	uint64_t	results[VT_LIVE_RESULTS];
	uint64_t	hist[VT_HIST_BUCKETS + 1];
	uint64_t	sum_us;
	uint64_t	count;		/* tried: every result but skipped */
	int64_t		last_ok_ms;	/* wall clock; 0: never */
	int64_t		failing_since_ms;	/* wall clock; 0: not failing */
	int64_t		subscribers;	/* as nginx last said; -1: unknown */
};

#define VT_COUNTERS_N	(sizeof(struct vt_counters) / sizeof(uint64_t))

/* The parts a mapping describes; an id is never reused. */
enum vt_shm_part_id {
	VT_PART_POOL_START = 1,	/* int64 x 2: wall and monotonic ms */
	VT_PART_GENERATION,	/* uint32 x 1 */
	VT_PART_COUNTERS,	/* uint64 x N: struct vt_counters */
	VT_PART_COUNTER_NAMES,	/* char[VT_SHM_NAME_LEN] x N, the same order */
	VT_PART_ROUTES,		/* vt_route_stats by route id, 14+1 buckets */
	VT_PART_RING_HEAD,	/* uint64 x 1: points ever written */
	VT_PART_RING_POINTS	/* struct vt_point x ring capacity */
};

/* One part: count elements of elem_size bytes at offset from the start. */
struct vt_shm_part {
	uint32_t	id;
	uint32_t	elem_size;
	uint64_t	offset;
	uint64_t	count;
};

/* The self-description; entries are part_size bytes apart. */
struct vt_shm_desc {
	uint32_t		nparts;
	uint32_t		part_size;
	struct vt_shm_part	part[VT_SHM_PARTS_MAX];
};

struct vt_shm {
	uint32_t		magic;
	uint32_t		version;
	uint64_t		size;
	struct vt_shm_desc	desc;
	int64_t			pool_start_ms;		/* wall clock */
	int64_t			pool_start_mono_ms;
	uint32_t		generation;
	uint32_t		slot_hwm;	/* slots at and past it are empty */
	int32_t			master_pid;
	uint32_t		limits_seq;
	struct vt_limits	limits;
	struct vt_counters	c;
	struct vt_route_stats	routes[VT_ROUTE_MAX];
	struct vt_slot		slots[VT_MAX_SLOTS];
	struct vt_health_state	health;
	int64_t			sample_ts_ms;	/* wall clock, last sample */
	int64_t			sample_mono_ms;	/* when it was published */
	struct vt_doc		metrics_json;
	struct vt_doc		metrics_prom[VT_EXPO_N];
	/*
	 * When a scrape last asked for metrics_prom[e] (monotonic ms, written
	 * by the workers at most once a second): see VT_EXPO_ASKED_MS.
	 */
	int64_t			expo_asked_ms[VT_EXPO_N];
	struct vt_doc		checks_json;	/* GET /api/checks */
	struct vt_recorder_state recorder;
	struct vt_live_state	live;		/* the live-push publisher */
	struct vt_ring		ring;
	char			counter_names[VT_COUNTERS_N][VT_SHM_NAME_LEN];
};

/*
 * Create the mapping, or adopt the one behind "fd" (from an upgrade) when
 * it has our magic, version and size; one of another layout is migrated
 * (see vt_shm_take).  Returns the mapping or NULL; *fdp gets the memfd
 * (kept open by the master, close-on-exec).
 */
struct vt_shm	*vt_shm_create(int inherit_fd, int *fdp, char *err,
		    size_t errlen);

/*
 * vt_shm_create for the master: when the inherited mapping has another
 * layout, migrate what it describes into the new one (vt_shm_migrate) and
 * put one log line's fields into note (what was kept, what was not; empty
 * when the mapping was adopted as it is, or none was inherited).  The
 * inherited fd is closed then.  *kept gets 1 when the mapping was adopted
 * or something of it migrated, else 0.
 */
struct vt_shm	*vt_shm_take(int inherit_fd, int *fdp, int *kept, char *note,
		    size_t notelen, char *err, size_t errlen);

/*
 * Copy from old (a mapping of oldsize bytes, of any layout, read only)
 * into dst (this layout) what an operator expects to keep across an
 * upgrade, through old's self-description.  note gets log fields naming
 * what was kept and what was not.  Returns 0 when something was kept, -1
 * when old is not a scoreboard or too old to describe itself.
 */
int	vt_shm_migrate(struct vt_shm *dst, const void *old, size_t oldsize,
	    char *note, size_t notelen);

/* Write this layout's self-description into a fresh mapping. */
void	vt_shm_describe(struct vt_shm *shm);

/* Writer side: the owner of slot i. */
void	vt_slot_write_begin(struct vt_slot *s);
void	vt_slot_write_end(struct vt_slot *s);

/*
 * Reader side: copy a consistent snapshot of a slot.  Returns 0, or -1
 * when the writer kept it changing (or died mid-write) after bounded
 * retries; the copy is then marked empty.
 */
int	vt_slot_read(const struct vt_slot *s, struct vt_slot *out);

/* Master side: a slot whose owner is dead; no writer can race it. */
void	vt_slot_clear(struct vt_slot *s);

/* Counters. */
static inline void
vt_count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static inline uint64_t
vt_load(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Raise *c to v if v is larger. */
void	vt_count_max(uint64_t *c, uint64_t v);

/* How many slots a reader must look at (the master raises it). */
static inline int
vt_slot_hwm(const struct vt_shm *shm)
{
	uint32_t	n = __atomic_load_n(&shm->slot_hwm, __ATOMIC_ACQUIRE);

	return n > VT_MAX_SLOTS ? VT_MAX_SLOTS : (int)n;
}

/*
 * Count one duration of us microseconds into a histogram of
 * VT_HIST_BUCKETS + 1 buckets (vt_hist_bounds, then +Inf), its sum and
 * its count.
 */
void	vt_hist_add(uint64_t *hist, uint64_t *sum_us, uint64_t *count,
	    int64_t us);

/* Record one finished request of a route. */
void	vt_route_record(struct vt_shm *shm, int route, int status,
	    int64_t duration_us);

/* Limits: written by the master, read by anyone. */
void	vt_limits_set(struct vt_shm *shm, const struct vt_limits *l);
void	vt_limits_get(const struct vt_shm *shm, struct vt_limits *out);

const char *vt_slot_state_name(uint32_t state);
const char *vt_restart_cause_name(int cause);
const char *vt_live_result_name(int result);

#endif /* VT_SCOREBOARD_H */

/*
 * recorder.h: the history writer.  A child process of the master reads
 * the sample ring (never writes it, never waits on it) and stores 10 s and
 * 1 min aggregates in MariaDB (sql/migrations/001_initial.sql) with its own
 * connection, in batched, idempotent INSERT ... ON DUPLICATE KEY UPDATE
 * statements, each under a deadline.
 *
 * A bucket is [ts, ts + width) in Unix seconds, ts = floor(t / width) *
 * width of its points' wall-clock times; it is complete once a point past
 * its end exists, and only complete buckets are stored.  Each row carries
 * the host name, the count of points, and per series the mean and the
 * peak (the maximum; the minimum for mem_available_bytes).
 *
 * The recorder keeps its own place in the ring: it moves past points only
 * once every bucket they belong to is stored.  While the database is down
 * it stays where it is (vt_db's back-off paces the retries) and, when the
 * database returns, writes everything still in the ring: an outage
 * shorter than the ring (about an hour) loses nothing; points that fell
 * off the ring unwritten are counted in lost_points.  On start it asks the
 * database for this host's newest buckets and goes on after them, so a
 * restarted recorder neither rewrites nor skips.
 *
 * Memory is fixed at vt_recorder_new(): one copy of the ring's window,
 * the rows of one step and one statement (about 1 MB in all).
 */
#ifndef VT_RECORDER_H
#define VT_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"
#include "ring.h"

struct vt_conf;
struct vt_shm;
struct vt_recorder_state;

#define VT_REC_10S		10	/* bucket widths, seconds */
#define VT_REC_1M		60
#define VT_REC_HOST_MAX		255	/* the host column: VARBINARY(255) */
#define VT_REC_STMT_MS		2000	/* deadline of one statement */
#define VT_REC_BATCH_ROWS	100	/* rows per INSERT */
#define VT_REC_STEP_ROWS	400	/* rows per width and step */

/* One aggregated bucket: a row of samples_10s or samples_1m. */
struct vt_rec_row {
	int64_t		ts;			/* bucket start, Unix seconds */
	uint32_t	samples;		/* points in the bucket */
	double		avg[VT_S_COUNT];
	double		peak[VT_S_COUNT];	/* max; min for mem_available */
};

/*
 * The master's entry point, in the child it forks for the recorder:
 * never returns.  Through the children's start-up (child.h): closes every
 * inherited descriptor above stderr, asks for SIGTERM when the master
 * dies, ignores SIGPIPE, HUP and USR2, unblocks the signals the master
 * blocked.  Then it writes its figures to shm->recorder.  TERM (or INT,
 * QUIT) lets the statement in flight finish (at most VT_REC_STMT_MS), then
 * it says goodbye to the server and exits 0.  With no db_config it does nothing until told to stop.
 */
void	vt_recorder_run(const struct vt_conf *conf, struct vt_shm *shm)
	    __attribute__((noreturn));

/*
 * The pure aggregation: points (oldest first, as in the ring) into the
 * complete buckets of width_s seconds.  Points of buckets before from_s
 * (already stored) are skipped, and so is a point older than the bucket
 * being filled (the wall clock stepped back); *skipped (may be NULL) gets
 * their count.  At most max rows are written to rows, oldest first.
 * *until_s gets the start of the first bucket not emitted: every bucket
 * before it is either in rows or had no point (a gap), and no later call
 * needs the points before it.  Returns the number of rows.  No I/O.
 */
size_t	vt_rec_aggregate(const struct vt_point *pts, size_t n, int width_s,
	    int64_t from_s, struct vt_rec_row *rows, size_t max,
	    int64_t *until_s, size_t *skipped);

/*
 * Append to b the statement storing rows[0..n) in "table" (samples_10s or
 * samples_1m) for the host whose name is hex-encoded in host_hex: one
 * multi-row INSERT ... ON DUPLICATE KEY UPDATE, so sending it twice is
 * harmless.  Values for integer columns are rounded and clamped to their
 * range, and a value that is not finite is stored as 0.  Returns VT_OK or
 * VT_ERR when b's cap is reached.  No I/O.
 */
int	vt_rec_sql_insert(struct vt_buf *b, const char *table,
	    const char *host_hex, const struct vt_rec_row *rows, size_t n);

/* Hex-encode a host name (cut to VT_REC_HOST_MAX) for X'...' in SQL. */
void	vt_rec_host_hex(char dst[2 * VT_REC_HOST_MAX + 1], const char *host);

/*
 * This host's name as its rows carry it: gethostname(), cut to
 * VT_REC_HOST_MAX bytes.  Returns VT_OK or VT_ERR.
 */
int	vt_rec_hostname(char *dst, size_t len);

/*
 * The recorder's state, apart from the process: tests drive it directly.
 * "host" is copied.  Figures go to *st (shared memory, or the caller's),
 * which it then writes alone.  NULL when out of memory.
 */
struct vt_recorder *vt_recorder_new(const char *host,
	    struct vt_recorder_state *st);
void	vt_recorder_free(struct vt_recorder *rec);

/*
 * One step: on the first successful call, find where this host's history
 * ends; then read the ring from the recorder's place, aggregate, and
 * write the complete buckets in batches, each statement under a deadline
 * of stmt_timeout_ms.  Moves its place only past what is stored.  Returns
 * VT_OK (everything complete is stored, or there was nothing to store)
 * or VT_ERR with the category in *cat and the driver's text in err (for
 * the log, never for a client).  *rows (may be NULL) gets the rows
 * written by this call.  In the recorder process, a stop signal ends the
 * step after the statement in flight.
 */
int	vt_recorder_step(struct vt_recorder *rec, struct vt_db *db,
	    const struct vt_ring *ring, int stmt_timeout_ms, uint64_t *rows,
	    enum vt_db_err *cat, char *err, size_t errlen);

/* Its place in the ring (the next point it needs), for tests and logs. */
uint64_t vt_recorder_pos(const struct vt_recorder *rec);

/* 1 when its place in the database is known (the first step succeeded). */
int	vt_recorder_resumed(const struct vt_recorder *rec);

#endif /* VT_RECORDER_H */

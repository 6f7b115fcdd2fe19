/*
 * recorder.c: the history writer (see recorder.h).
 *
 * Its place in the ring is two positions: pos, the first point that some
 * unstored bucket still needs (the start of the oldest open 1 min bucket,
 * in steady state), and pos10, the first point of an unstored 10 s
 * bucket.  Each step copies [pos, head) (at most the ring), aggregates
 * both widths from the same points, writes the 10 s rows and then the
 * 1 min rows, and moves until10/until1m (the bucket starts before which
 * everything is stored) and the positions past what was written.  A
 * failed statement leaves everything after it for the next step.
 *
 * Points that fall off the ring before they are stored are counted: in a
 * running recorder, exactly (vt_ring_copy() reports them, and those of
 * 10 s buckets already stored are not counted); at the first step of a new
 * process, estimated from the times of the ring's oldest point and of the
 * newest stored bucket, since what the ring dropped is gone.
 *
 * Wall-clock times drive the buckets.  A point older than the bucket
 * being filled (a small step back of the clock) is dropped; newest points
 * more than a minute behind what is stored (a big step back, or stored
 * history ahead of this host's clock) make it start again from them
 * rather than store nothing until the clock catches up.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "child.h"
#include "clock.h"
#include "conf.h"
#include "db.h"
#include "leakcheck.h"
#include "log.h"
#include "recorder.h"
#include "ring.h"
#include "scoreboard.h"
#include "vitals.h"

#define REC_TICK_MS		1000
#define REC_RETRY_CAP_MS	10000	/* longest wait after failures */
#define REC_DB_BACKOFF_BASE_MS	1000	/* vt_db's reconnect back-off */
#define REC_DB_BACKOFF_CAP_MS	10000
#define REC_PRUNE_EVERY_MS	60000
#define REC_PRUNE_BATCH		1000
#define REC_PRUNE_MS		2000
#define REC_SQL_INITIAL		(64 * 1024)
#define REC_SQL_MAX		(512 * 1024)	/* one statement at most */
#define REC_CLOCK_BACK_MS	60000	/* behind what is stored: start again */

/* The largest doubles the integer columns take: BIGINT / INT UNSIGNED. */
#define REC_U64_MAX		18446744073709549568.0
#define REC_U32_MAX		4294967295.0

/*
 * The integer columns of sql/migrations/001_initial.sql (0: DOUBLE), by
 * series: the mean's column and the peak's.
 */
static const struct {
	double	avg;
	double	peak;
} rec_int_max[VT_S_COUNT] = {
	[VT_S_MEM_USED] = { REC_U64_MAX, REC_U64_MAX },
	[VT_S_MEM_AVAILABLE] = { REC_U64_MAX, REC_U64_MAX },
	[VT_S_SWAP_USED] = { REC_U64_MAX, REC_U64_MAX },
	[VT_S_TCP_ESTABLISHED] = { 0, REC_U32_MAX },
	[VT_S_TCP_CLOSE_WAIT] = { 0, REC_U32_MAX },
};

struct vt_recorder {
	char				host_hex[2 * VT_REC_HOST_MAX + 1];
	struct vt_recorder_state       *st;
	int				started;
	int				resumed;
	uint64_t			start_oldest;	/* at the first step */
	uint64_t			pos;
	uint64_t			pos10;
	int64_t				until10;	/* Unix seconds */
	int64_t				until1m;
	int				behind;		/* backfilling */
	uint64_t			backfilled;	/* this episode */
	struct vt_buf			sql;
	struct vt_point			pts[VT_RING_LEN];
	struct vt_rec_row		rows10[VT_REC_STEP_ROWS];
	struct vt_rec_row		rows1m[VT_REC_STEP_ROWS];
};

static int64_t
rec_floor_div(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static void
rec_bucket_add(struct vt_rec_row *r, const struct vt_point *p)
{
	int	s;

	for (s = 0; s < VT_S_COUNT; s++) {
		double	v = isfinite(p->v[s]) ? p->v[s] : 0;

		if (r->samples == 0) {
			r->avg[s] = 0;
			r->peak[s] = v;
		} else if (s == VT_S_MEM_AVAILABLE ? v < r->peak[s] :
		    v > r->peak[s]) {
			r->peak[s] = v;
		}
		r->avg[s] += v;	/* the sum until rec_bucket_end() */
	}
	r->samples++;
}

static void
rec_bucket_end(struct vt_rec_row *r)
{
	int	s;

	for (s = 0; s < VT_S_COUNT; s++)
		r->avg[s] /= (double)r->samples;
}

size_t
vt_rec_aggregate(const struct vt_point *pts, size_t n, int width_s,
    int64_t from_s, struct vt_rec_row *rows, size_t max, int64_t *until_s,
    size_t *skipped)
{
	struct vt_rec_row	cur;
	size_t			i, nrows = 0, skip = 0;
	int			open = 0;
	int64_t			b;

	memset(&cur, 0, sizeof(cur));
	*until_s = from_s;
	for (i = 0; i < n; i++) {
		b = rec_floor_div(rec_floor_div(pts[i].ts_ms, 1000), width_s) *
		    width_s;
		if (b < from_s || (open && b < cur.ts)) {
			skip++;
			continue;
		}
		if (open && b > cur.ts) {
			/* A point past its end: the bucket is complete. */
			if (nrows == max)
				break;
			rec_bucket_end(&cur);
			rows[nrows++] = cur;
			*until_s = b;
			open = 0;
		}
		if (!open) {
			memset(&cur, 0, sizeof(cur));
			cur.ts = b;
			open = 1;
		}
		rec_bucket_add(&cur, &pts[i]);
	}
	if (open)
		*until_s = cur.ts;
	if (skipped != NULL)
		*skipped = skip;
	return nrows;
}

void
vt_rec_host_hex(char dst[2 * VT_REC_HOST_MAX + 1], const char *host)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; host[i] != '\0' && i < VT_REC_HOST_MAX; i++) {
		dst[2 * i] = hex[(unsigned char)host[i] >> 4];
		dst[2 * i + 1] = hex[(unsigned char)host[i] & 0xf];
	}
	dst[2 * i] = '\0';
}

int
vt_rec_hostname(char *dst, size_t len)
{
	char	name[VT_REC_HOST_MAX + 2];

	if (gethostname(name, sizeof(name)) == -1 && errno != ENAMETOOLONG)
		return VT_ERR;
	name[VT_REC_HOST_MAX] = '\0';
	if ((size_t)snprintf(dst, len, "%s", name) >= len)
		return VT_ERR;
	return VT_OK;
}

/* The peak's column: _max, but _min for available memory. */
static const char *
rec_peak_name(int s)
{
	return s == VT_S_MEM_AVAILABLE ? "min" : "max";
}

static int
rec_sql_value(struct vt_buf *b, double v, double int_max)
{
	if (!isfinite(v))
		v = 0;
	if (int_max > 0) {
		v = round(v);
		if (v < 0) {
			v = 0;
		} else if (v > int_max) {
			v = int_max;
		}
		return vt_buf_printf(b, ",%.0f", v);
	}
	return vt_buf_printf(b, ",%.17g", v);
}

int
vt_rec_sql_insert(struct vt_buf *b, const char *table, const char *host_hex,
    const struct vt_rec_row *rows, size_t n)
{
	size_t	start = b->len, i;
	int	s, rc = VT_OK;

	rc |= vt_buf_printf(b, "INSERT INTO %s (host,ts,samples", table);
	for (s = 0; s < VT_S_COUNT; s++) {
		rc |= vt_buf_printf(b, ",%s_avg,%s_%s", vt_series_names[s],
		    vt_series_names[s], rec_peak_name(s));
	}
	rc |= vt_buf_adds(b, ") VALUES ");
	for (i = 0; i < n && rc == VT_OK; i++) {
		rc |= vt_buf_printf(b, "%s(X'%s',%lld,%u", i > 0 ? "," : "",
		    host_hex, (long long)rows[i].ts,
		    rows[i].samples > 65535 ? 65535 : rows[i].samples);
		for (s = 0; s < VT_S_COUNT; s++) {
			rc |= rec_sql_value(b, rows[i].avg[s],
			    rec_int_max[s].avg);
			rc |= rec_sql_value(b, rows[i].peak[s],
			    rec_int_max[s].peak);
		}
		rc |= vt_buf_adds(b, ")");
	}
	rc |= vt_buf_adds(b, " ON DUPLICATE KEY UPDATE "
	    "samples=VALUES(samples)");
	for (s = 0; s < VT_S_COUNT; s++) {
		const char	*nm = vt_series_names[s];
		const char	*pk = rec_peak_name(s);

		rc |= vt_buf_printf(b, ",%s_avg=VALUES(%s_avg),%s_%s=VALUES("
		    "%s_%s)", nm, nm, nm, pk, nm, pk);
	}
	if (rc != VT_OK) {
		vt_buf_truncate(b, start);
		return VT_ERR;
	}
	return VT_OK;
}

struct vt_recorder *
vt_recorder_new(const char *host, struct vt_recorder_state *st)
{
	struct vt_recorder	*rec;

	if ((rec = calloc(1, sizeof(*rec))) == NULL)
		return NULL;
	if (vt_buf_init(&rec->sql, REC_SQL_INITIAL, REC_SQL_MAX) == VT_ERR) {
		free(rec);
		return NULL;
	}
	vt_rec_host_hex(rec->host_hex, host);
	rec->st = st;
	return rec;
}

void
vt_recorder_free(struct vt_recorder *rec)
{
	if (rec == NULL)
		return;
	vt_buf_free(&rec->sql);
	free(rec);
}

uint64_t
vt_recorder_pos(const struct vt_recorder *rec)
{
	return rec->pos;
}

int
vt_recorder_resumed(const struct vt_recorder *rec)
{
	return rec->resumed;
}

struct rec_newest {
	int		seen;
	long long	ts[2];	/* 10 s, 1 min; -1: no row */
};

static int
rec_newest_row(void *arg, unsigned int ncols, char **row,
    const unsigned long *lens)
{
	struct rec_newest	*nw = arg;
	unsigned int		 i;
	char			*end;

	(void)lens;
	if (ncols != 2)
		return 1;
	for (i = 0; i < 2; i++) {
		nw->ts[i] = -1;
		if (row[i] == NULL)
			continue;
		errno = 0;
		nw->ts[i] = strtoll(row[i], &end, 10);
		if (errno != 0 || *end != '\0' || nw->ts[i] < 0)
			return 1;
	}
	nw->seen = 1;
	return 0;
}

/*
 * The first step of a process: where this host's stored history ends,
 * and what fell off the ring since this process started before it could
 * be stored (estimated from times: the points themselves are gone).
 */
static int
rec_resume(struct vt_recorder *rec, struct vt_db *db,
    const struct vt_ring *ring, int stmt_ms, enum vt_db_err *cat, char *err,
    size_t errlen)
{
	struct rec_newest	nw;
	char			sql[4 * VT_REC_HOST_MAX + 256];
	uint64_t		head, oldest, next, lost, dropped, est = 0;
	int64_t			until_ms, step_ms;
	size_t			n;

	memset(&nw, 0, sizeof(nw));
	snprintf(sql, sizeof(sql), "SELECT (SELECT MAX(ts) FROM samples_10s "
	    "WHERE host = X'%s'), (SELECT MAX(ts) FROM samples_1m WHERE "
	    "host = X'%s')", rec->host_hex, rec->host_hex);
	if (vt_db_query(db, sql, vt_db_deadline(stmt_ms), rec_newest_row, &nw,
	    NULL, cat, err, errlen) == VT_ERR) {
		return VT_ERR;
	}
	if (!nw.seen) {
		*cat = VT_DB_ERROR;
		snprintf(err, errlen, "resume: unexpected result");
		return VT_ERR;
	}
	rec->until10 = nw.ts[0] >= 0 ? nw.ts[0] + VT_REC_10S : 0;
	rec->until1m = nw.ts[1] >= 0 ? nw.ts[1] + VT_REC_1M : 0;
	rec->resumed = 1;

	head = vt_ring_head(ring);
	oldest = head > VT_RING_LEN ? head - VT_RING_LEN : 0;
	n = vt_ring_copy(ring, oldest, rec->pts, VT_RING_LEN, &next, &lost);
	if (oldest > rec->start_oldest && n >= 2) {
		dropped = oldest - rec->start_oldest;
		until_ms = rec->until10 * 1000;
		step_ms = (rec->pts[n - 1].ts_ms - rec->pts[0].ts_ms) /
		    (int64_t)(n - 1);
		if (step_ms > 0 && rec->pts[0].ts_ms > until_ms) {
			est = (uint64_t)((rec->pts[0].ts_ms - until_ms) /
			    step_ms);
		}
		if (est > dropped)
			est = dropped;
	}
	if (est > 0) {
		vt_count(&rec->st->lost_points, est);
		vt_log_warn("recorder_lost_points", "points=%llu estimated=yes "
		    "reason=\"fell off the ring before the database answered\"",
		    (unsigned long long)est);
	}
	rec->pos = rec->pos10 = n > 0 ? next - n : oldest;
	vt_log_info("recorder_resume", "newest_10s=%lld newest_1m=%lld "
	    "ring_points=%zu", nw.ts[0], nw.ts[1], n);
	__atomic_store_n(&rec->st->written_until_ms, rec->until10 * 1000,
	    __ATOMIC_RELAXED);
	return VT_OK;
}

/*
 * Write rows[0..n) of one width in batches.  *until moves past each batch
 * stored, and to "complete" when all are: the buckets between rows had no
 * points.  Stops early, successfully, when the process is told to stop.
 */
static int
rec_write(struct vt_recorder *rec, struct vt_db *db, const char *table,
    const struct vt_rec_row *rows, size_t n, int64_t complete,
    int64_t *until, int stmt_ms, uint64_t *written, enum vt_db_err *cat,
    char *err, size_t errlen)
{
	struct vt_recorder_state	*st = rec->st;
	uint64_t			 affected;
	size_t				 i, k;

	for (i = 0; i < n; i += k) {
		if (vt_child_stopping())
			return VT_OK;
		k = n - i < VT_REC_BATCH_ROWS ? n - i : VT_REC_BATCH_ROWS;
		vt_buf_reset(&rec->sql);
		if (vt_rec_sql_insert(&rec->sql, table, rec->host_hex,
		    rows + i, k) == VT_ERR) {
			*cat = VT_DB_ERROR;
			snprintf(err, errlen, "%s: statement too large", table);
			return VT_ERR;
		}
		if (vt_db_exec(db, rec->sql.data, vt_db_deadline(stmt_ms),
		    &affected, cat, err, errlen) == VT_ERR) {
			return VT_ERR;
		}
		*until = i + k < n ? rows[i + k].ts : complete;
		*written += k;
		vt_count(&st->rows_written, k);
		vt_count(&st->batches, 1);
		if (rec->behind) {
			vt_count(&st->backfilled_rows, k);
			rec->backfilled += k;
		}
		__atomic_store_n(&st->db_up, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&st->last_write_ms, vt_wall_ms(),
		    __ATOMIC_RELAXED);
	}
	*until = complete;
	return VT_OK;
}

/*
 * Move the positions to the first copied points that unstored buckets
 * need; pts[0..n) are the points from position "start".
 */
static void
rec_advance(struct vt_recorder *rec, uint64_t start, size_t n)
{
	int64_t		lim10 = rec->until10 * 1000;
	int64_t		lim = (rec->until1m < rec->until10 ? rec->until1m :
			    rec->until10) * 1000;
	size_t		i, i10 = n, iall = n;

	for (i = 0; i < n; i++) {
		if (i10 == n && rec->pts[i].ts_ms >= lim10)
			i10 = i;
		if (iall == n && rec->pts[i].ts_ms >= lim)
			iall = i;
		if (i10 < n && iall < n)
			break;
	}
	rec->pos10 = start + i10;
	rec->pos = start + iall;
	__atomic_store_n(&rec->st->written_until_ms, lim10, __ATOMIC_RELAXED);
}

/*
 * The newest points are well behind what is stored: the wall clock was
 * stepped back, or this host's stored history is ahead of its clock.
 * Waiting for the clock to catch up would store nothing meanwhile, so go
 * on from the points after the last one ahead of them, from the start of
 * their minute (its rows, if any, are overwritten).
 */
static void
rec_clock_back(struct vt_recorder *rec, uint64_t *start, size_t *n)
{
	int64_t		stored = rec->until10 * 1000, from;
	size_t		j;

	if (*n == 0 || rec->pts[*n - 1].ts_ms >= stored - REC_CLOCK_BACK_MS)
		return;
	for (j = *n; j > 0 && rec->pts[j - 1].ts_ms < stored; j--)
		continue;
	memmove(rec->pts, rec->pts + j, (*n - j) * sizeof(rec->pts[0]));
	*start += j;
	*n -= j;
	from = rec_floor_div(rec_floor_div(rec->pts[0].ts_ms, 1000),
	    VT_REC_1M) * VT_REC_1M;
	vt_log_warn("recorder_clock_back", "stored_until=%lld newest=%lld "
	    "restart_at=%lld", (long long)rec->until10,
	    (long long)rec_floor_div(rec->pts[*n - 1].ts_ms, 1000),
	    (long long)from);
	rec->until10 = rec->until1m = from;
	rec->pos = rec->pos10 = *start;
}

int
vt_recorder_step(struct vt_recorder *rec, struct vt_db *db,
    const struct vt_ring *ring, int stmt_timeout_ms, uint64_t *rowsp,
    enum vt_db_err *cat, char *err, size_t errlen)
{
	struct vt_recorder_state	*st = rec->st;
	enum vt_db_err			 c = VT_DB_OK;
	char				 e[VT_ERRLEN];
	uint64_t			 head, next = 0, lost = 0, gone;
	uint64_t			 written = 0, start;
	size_t				 n, n10, n1m;
	int64_t				 c10, c1m;
	int				 rc;

	if (err == NULL || errlen == 0) {
		err = e;
		errlen = sizeof(e);
	}
	*err = '\0';
	head = vt_ring_head(ring);
	if (!rec->started) {
		rec->start_oldest = head > VT_RING_LEN ? head - VT_RING_LEN : 0;
		rec->pos = rec->pos10 = rec->start_oldest;
		rec->started = 1;
	}
	if (!rec->resumed && rec_resume(rec, db, ring, stmt_timeout_ms, &c,
	    err, errlen) == VT_ERR) {
		goto fail;
	}

	n = vt_ring_copy(ring, rec->pos, rec->pts, VT_RING_LEN, &next, &lost);
	if (lost > 0) {
		/* Fell off unstored: those of 10 s buckets not yet stored. */
		start = next - n;
		gone = start > rec->pos10 ? start - rec->pos10 : 0;
		if (gone > 0) {
			vt_count(&st->lost_points, gone);
			vt_log_warn("recorder_lost_points", "points=%llu "
			    "reason=\"fell off the ring before the database "
			    "answered\"", (unsigned long long)gone);
		}
		rec->pos = start;
		if (rec->pos10 < start)
			rec->pos10 = start;
	}
	if (n == 0)
		goto done;
	start = next - n;
	rec_clock_back(rec, &start, &n);
	n10 = vt_rec_aggregate(rec->pts, n, VT_REC_10S, rec->until10,
	    rec->rows10, VT_REC_STEP_ROWS, &c10, NULL);
	n1m = vt_rec_aggregate(rec->pts, n, VT_REC_1M, rec->until1m,
	    rec->rows1m, VT_REC_STEP_ROWS, &c1m, NULL);

	rc = rec_write(rec, db, "samples_10s", rec->rows10, n10, c10,
	    &rec->until10, stmt_timeout_ms, &written, &c, err, errlen);
	if (rc == VT_OK) {
		rc = rec_write(rec, db, "samples_1m", rec->rows1m, n1m, c1m,
		    &rec->until1m, stmt_timeout_ms, &written, &c, err, errlen);
	}
	rec_advance(rec, start, n);
	if (rc == VT_ERR)
		goto fail;
	if (rec->behind && !vt_child_stopping() && next >= head &&
	    n10 < VT_REC_STEP_ROWS && n1m < VT_REC_STEP_ROWS) {
		vt_log_info("recorder_backfilled", "rows=%llu",
		    (unsigned long long)rec->backfilled);
		rec->behind = 0;
		rec->backfilled = 0;
	}
done:
	if (cat != NULL)
		*cat = VT_DB_OK;
	if (rowsp != NULL)
		*rowsp = written;
	return VT_OK;

fail:
	if (c == VT_DB_OK)
		c = VT_DB_ERROR;
	rec->behind = 1;
	vt_count(&st->errors, 1);
	__atomic_store_n(&st->db_up, 0, __ATOMIC_RELAXED);
	if (cat != NULL)
		*cat = c;
	if (rowsp != NULL)
		*rowsp = written;
	return VT_ERR;
}

/* The process. */

static void
rec_sleep_ms(int64_t ms)
{
	struct timespec	ts;

	if (ms <= 0 || vt_child_stopping())
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	(void)nanosleep(&ts, NULL);	/* a stop signal cuts it short */
}

static void
rec_prune(struct vt_db *db)
{
	enum vt_db_err	cat;
	char		err[VT_ERRLEN], q[VT_ERRLEN + 8];
	uint64_t	deleted = 0;
	int64_t		t0 = vt_mono_ms();

	if (vt_db_prune(db, (int64_t)time(NULL), REC_PRUNE_BATCH,
	    vt_db_deadline(REC_PRUNE_MS), &deleted, &cat, err,
	    sizeof(err)) == VT_ERR) {
		vt_log_warn("recorder_prune_failed", "category=%s error=%s "
		    "deleted=%llu", vt_db_err_name(cat),
		    vt_log_quote(q, sizeof(q), err),
		    (unsigned long long)deleted);
		return;
	}
	if (deleted > 0) {
		vt_log_info("recorder_prune", "deleted=%llu duration_ms=%lld",
		    (unsigned long long)deleted,
		    (long long)(vt_mono_ms() - t0));
	}
}

static void
rec_idle_until_stopped(pid_t parent)
{
	while (!vt_child_stopping() && getppid() == parent)
		rec_sleep_ms(REC_TICK_MS);
}

/*
 * Refresh the shared health result for the database check, which must
 * see a stopped database when nobody asks /health: through the same
 * single-flight probe as the workers (a fresh enough result is reused),
 * on a connection of its own, within health_timeout.
 */
static void
rec_health(const struct vt_conf *conf, struct vt_shm *shm, struct vt_db **hdb)
{
	struct vt_health_result	r;
	int			cache = (int)(conf->health_interval * 1000) / 2;

	if (cache > conf->health_cache)
		cache = conf->health_cache;
	(void)vt_health_get(&shm->health, hdb, conf->db_config,
	    conf->db_group[0] != '\0' ? conf->db_group : NULL,
	    conf->health_timeout, cache, &r);
}

void
vt_recorder_run(const struct vt_conf *conf, struct vt_shm *shm)
{
	struct vt_recorder_state	*st = &shm->recorder;
	struct vt_recorder		*rec = NULL;
	struct vt_db			*db = NULL, *hdb = NULL;
	enum vt_db_err			 cat, last_cat = VT_DB_OK;
	char				 host[VT_REC_HOST_MAX + 1];
	char				 err[VT_ERRLEN], q[VT_ERRLEN + 8];
	char				 hq[2 * VT_REC_HOST_MAX + 8];
	uint64_t			 rows;
	int64_t				 t0, wait, next_prune, down_since = 0;
	int64_t				 next_step, next_health;
	struct vt_backoff		 retry;
	int				 rc;
	pid_t				 parent = getppid();
	struct vt_child_start		 cs = {
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_CLOSE_ALL,
		.parent = parent,
		.log_level = conf->log_level,
		.orphan_code = 0,
	};

	vt_child_start(&cs, NULL);

	__atomic_store_n(&st->pid, (int32_t)getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&st->db_up, 0, __ATOMIC_RELAXED);
	if (conf->db_config[0] == '\0') {
		vt_log_info("recorder_idle", "reason=\"no db_config\"");
		rec_idle_until_stopped(parent);
		_exit(0);
	}
	if (vt_rec_hostname(host, sizeof(host)) == VT_ERR) {
		vt_log_sys(VT_LOG_WARN, "recorder_hostname_failed", NULL);
		snprintf(host, sizeof(host), "localhost");
	}
	if ((db = vt_db_open(conf->db_config, conf->db_group[0] != '\0' ?
	    conf->db_group : NULL)) == NULL ||
	    (rec = vt_recorder_new(host, st)) == NULL) {
		vt_log_err("recorder_failed", "error=\"out of memory or a name "
		    "too long\"");
		goto fail;
	}
	vt_db_set_backoff(db, REC_DB_BACKOFF_BASE_MS, REC_DB_BACKOFF_CAP_MS);
	vt_log_info("recorder_start", "pid=%ld host=%s", (long)getpid(),
	    vt_log_quote(hq, sizeof(hq), host));

	vt_backoff_init(&retry, REC_TICK_MS, REC_RETRY_CAP_MS, 0);
	next_prune = next_step = next_health = vt_mono_ms();
	while (!vt_child_stopping() && getppid() == parent) {
		if (vt_mono_ms() >= next_health) {
			rec_health(conf, shm, &hdb);
			next_health = vt_mono_ms() +
			    (int64_t)(conf->health_interval * 1000);
		}
		t0 = vt_mono_ms();
		if (t0 < next_step) {
			rec_sleep_ms((next_step < next_health ? next_step :
			    next_health) - t0);
			continue;
		}
		rc = vt_recorder_step(rec, db, &shm->ring, VT_REC_STMT_MS,
		    &rows, &cat, err, sizeof(err));
		if (rc == VT_OK) {
			if (retry.failures > 0) {
				vt_log_info("recorder_db_up", "down_ms=%lld "
				    "failures=%d", (long long)(t0 - down_since),
				    retry.failures);
			}
			vt_backoff_reset(&retry);
			if (rows > 0) {
				vt_log_debug("recorder_write", "rows=%llu "
				    "duration_ms=%lld",
				    (unsigned long long)rows,
				    (long long)(vt_mono_ms() - t0));
			}
			if (!vt_child_stopping() &&
			    vt_mono_ms() >= next_prune) {
				rec_prune(db);
				next_prune = vt_mono_ms() + REC_PRUNE_EVERY_MS;
			}
			wait = REC_TICK_MS;
		} else {
			/* Once per outage, and when its cause changes. */
			if (retry.failures == 0 || cat != last_cat) {
				vt_log_warn("recorder_db_down", "category=%s "
				    "error=%s", vt_db_err_name(cat),
				    vt_log_quote(q, sizeof(q), err));
			}
			if (retry.failures == 0)
				down_since = t0;
			last_cat = cat;
			wait = vt_backoff_fail(&retry, t0);
		}
		next_step = t0 + wait;
		rec_sleep_ms((next_step < next_health ? next_step :
		    next_health) - vt_mono_ms());
	}
	vt_log_info("recorder_stop", "rows_written=%llu lost_points=%llu",
	    (unsigned long long)vt_load(&st->rows_written),
	    (unsigned long long)vt_load(&st->lost_points));
	vt_recorder_free(rec);
	vt_db_close(db);
	vt_db_close(hdb);
	/* After an upgrade the new master's recorder may own these now. */
	if (__atomic_load_n(&st->pid, __ATOMIC_RELAXED) == (int32_t)getpid())
		__atomic_store_n(&st->db_up, 0, __ATOMIC_RELAXED);
	VT_LEAK_CHECK();
	_exit(0);

fail:
	vt_recorder_free(rec);
	vt_db_close(db);
	vt_db_close(hdb);
	_exit(VT_EX_SOFTWARE);
}

/*
 * recorder-t.c: app/recorder.c and app/history_db.c.
 *
 * The aggregation, the SQL it writes and the ranges run everywhere.  With
 * VT_TEST_MYSQL_OPTFILE (an option file for a MariaDB whose user may
 * create databases; group VT_TEST_MYSQL_GROUP, default "vitals") the
 * recorder also writes a synthetic ring into a scratch database
 * vt_rec_<pid> (migrated from $VT_SRCDIR/sql, dropped at the end): rows
 * and values, a restart that neither rewrites nor skips, a connection
 * killed by the server, an outage on a dead socket and its backfill, a
 * ring that overflows during an outage (lost points counted), the
 * recorder process itself (rows, prune, TERM), and /api/history's long
 * ranges.  Without it those tests are skipped; the recorder process
 * against a server that never answers runs everywhere.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vitals.h"
#include "buf.h"
#include "clock.h"
#include "conf.h"
#include "db.h"
#include "history_db.h"
#include "migrate.h"
#include "recorder.h"
#include "ring.h"
#include "scoreboard.h"
#include "tap.h"

static char		 tmpdir[VT_PATH_LEN];
static char		 srcsql[VT_PATH_LEN];
static const char	*my_optfile;
static const char	*my_group;
static char		 my_db[64];

/* A point whose series s has the value x * (s + 1). */
static void
mkpt(struct vt_point *p, int64_t ts_ms, double x)
{
	int	s;

	memset(p, 0, sizeof(*p));
	p->ts_ms = ts_ms;
	for (s = 0; s < VT_S_COUNT; s++) {
		p->v[s] = x * (s + 1);
	}
}

static void
test_aggregate(void)
{
	struct vt_point		p[200];
	struct vt_rec_row	r[16];
	int64_t			until;
	size_t			n, skipped, i;
	int			s;

	/* 30 points, 1 s apart from 1000 s, values 1..30. */
	for (i = 0; i < 30; i++) {
		mkpt(&p[i], (int64_t)(1000 + i) * 1000, (double)(i + 1));
	}
	n = vt_rec_aggregate(p, 30, 10, 0, r, 16, &until, &skipped);
	is_int((long long)n, 2, "30 points: two complete 10 s buckets");
	is_int(until, 1020, "the third is open: until its start");
	is_int(skipped, 0, "nothing skipped");
	is_int(r[0].ts, 1000, "first bucket starts at 1000");
	is_int(r[1].ts, 1010, "second at 1010");
	is_int(r[0].samples, 10, "ten samples");
	for (s = 0; s < VT_S_COUNT; s++) {
		if (!is_dbl(r[0].avg[s], 5.5 * (s + 1), 1e-9,
		    "mean of %s", vt_series_names[s])) {
			break;
		}
	}
	is_dbl(r[0].peak[VT_S_CPU_PERCENT], 10, 1e-9, "cpu_percent: the max");
	is_dbl(r[0].peak[VT_S_TCP_CLOSE_WAIT], 10.0 * VT_S_COUNT, 1e-9,
	    "tcp_close_wait: the max");
	is_dbl(r[0].peak[VT_S_MEM_AVAILABLE], 1.0 * (VT_S_MEM_AVAILABLE + 1),
	    1e-9, "mem_available_bytes: the min");
	is_dbl(r[1].avg[VT_S_CPU_PERCENT], 15.5, 1e-9, "second bucket's mean");
	is_dbl(r[1].peak[VT_S_MEM_AVAILABLE], 11.0 * (VT_S_MEM_AVAILABLE + 1),
	    1e-9, "second bucket's min");

	/* Edges: 1009.999 is the first bucket's, 1010.000 the second's. */
	mkpt(&p[0], 1000000, 1);
	mkpt(&p[1], 1009999, 2);
	mkpt(&p[2], 1010000, 3);
	mkpt(&p[3], 1020000, 4);
	n = vt_rec_aggregate(p, 4, 10, 0, r, 16, &until, NULL);
	ok(n == 2 && r[0].ts == 1000 && r[0].samples == 2 &&
	    r[1].ts == 1010 && r[1].samples == 1 && until == 1020,
	    "bucket edges: [1000, 1010) and [1010, 1020)");

	/* Incomplete: nothing until a point past the end exists. */
	for (i = 0; i < 11; i++) {
		mkpt(&p[i], (int64_t)(1000 + i) * 1000 + 999, (double)i);
	}
	n = vt_rec_aggregate(p, 10, 10, 0, r, 16, &until, NULL);
	ok(n == 0 && until == 1000, "an incomplete bucket is not emitted");
	n = vt_rec_aggregate(p, 11, 10, 0, r, 16, &until, NULL);
	ok(n == 1 && r[0].samples == 10 && until == 1010,
	    "one point past its end completes it");
	n = vt_rec_aggregate(p, 0, 10, 1234, r, 16, &until, NULL);
	ok(n == 0 && until == 1234, "no points: until stays");

	/* A gap: 1000..1014, then 1045..1055. */
	for (i = 0; i < 15; i++) {
		mkpt(&p[i], (int64_t)(1000 + i) * 1000, 1);
	}
	for (i = 0; i < 11; i++) {
		mkpt(&p[15 + i], (int64_t)(1045 + i) * 1000, 2);
	}
	n = vt_rec_aggregate(p, 26, 10, 0, r, 16, &until, NULL);
	ok(n == 3 && r[0].ts == 1000 && r[0].samples == 10 &&
	    r[1].ts == 1010 && r[1].samples == 5 && r[2].ts == 1040 &&
	    r[2].samples == 5 && until == 1050,
	    "a gap: no rows for 1020 and 1030, short rows around it");

	/* Already stored buckets are skipped; max bounds the rows. */
	for (i = 0; i < 30; i++) {
		mkpt(&p[i], (int64_t)(1000 + i) * 1000, (double)(i + 1));
	}
	n = vt_rec_aggregate(p, 30, 10, 1010, r, 16, &until, &skipped);
	ok(n == 1 && r[0].ts == 1010 && skipped == 10 && until == 1020,
	    "from_s: buckets before it are skipped");
	n = vt_rec_aggregate(p, 30, 10, 0, r, 1, &until, NULL);
	ok(n == 1 && r[0].ts == 1000 && until == 1010,
	    "max rows: until is the first bucket not emitted");

	/* The clock steps back: the late point is dropped, not merged. */
	for (i = 0; i < 13; i++) {
		mkpt(&p[i], (int64_t)(1000 + i) * 1000, 1);
	}
	mkpt(&p[13], 1005000, 100);
	for (i = 14; i < 23; i++) {
		mkpt(&p[i], (int64_t)(1013 + i - 14) * 1000, 1);
	}
	n = vt_rec_aggregate(p, 23, 10, 0, r, 16, &until, &skipped);
	ok(n == 2 && skipped == 1 && r[0].samples == 10 &&
	    r[1].samples == 10 && r[0].peak[0] == 1 && until == 1020,
	    "a step back of the clock: the point is skipped");

	/* 1 min buckets: 130 points from 1200 s. */
	for (i = 0; i < 130; i++) {
		mkpt(&p[i], (int64_t)(1200 + i) * 1000 + 500, (double)(i + 1));
	}
	n = vt_rec_aggregate(p, 130, 60, 0, r, 16, &until, NULL);
	ok(n == 2 && r[0].ts == 1200 && r[1].ts == 1260 && until == 1320 &&
	    r[0].samples == 60, "1 min buckets: two complete, one open");
	is_dbl(r[0].avg[0], 30.5, 1e-9, "1 min mean");
	is_dbl(r[1].peak[0], 120, 1e-9, "1 min max");

	/* A value that is not finite counts as 0. */
	mkpt(&p[0], 1000000, 4);
	mkpt(&p[1], 1001000, 4);
	p[1].v[0] = NAN;
	mkpt(&p[2], 1010000, 4);
	n = vt_rec_aggregate(p, 3, 10, 0, r, 16, &until, NULL);
	ok(n == 1 && r[0].avg[0] == 2 && r[0].peak[0] == 4,
	    "NaN counts as 0");
}

static void
test_sql(void)
{
	struct vt_rec_row	row;
	struct vt_buf		b;
	char			hex[2 * VT_REC_HOST_MAX + 1], host[400];
	const char		*want_head, *want_tail;
	int			s;

	vt_rec_host_hex(hex, "ab.c");
	is_str(hex, "61622e63", "host name in hex");
	memset(host, 'x', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	vt_rec_host_hex(hex, host);
	is_int((long long)strlen(hex), 2 * VT_REC_HOST_MAX,
	    "a long host name is cut to the column");

	memset(&row, 0, sizeof(row));
	row.ts = 1700000000;
	row.samples = 10;
	for (s = 0; s < VT_S_COUNT; s++) {
		row.avg[s] = 1.5 + s;
		row.peak[s] = 2.25 + s;
	}
	row.avg[VT_S_MEM_USED] = -3;		/* clamped to 0 */
	row.peak[VT_S_MEM_USED] = 2.5e9 + 0.6;	/* rounded */
	row.avg[VT_S_LOAD1] = INFINITY;		/* stored as 0 */
	row.peak[VT_S_TCP_CLOSE_WAIT] = 1e12;	/* INT UNSIGNED */
	if (vt_buf_init(&b, 64, 65536) == VT_ERR) {
		bail("out of memory");
	}
	ok(vt_rec_sql_insert(&b, "samples_10s", "6162", &row, 1) == VT_OK,
	    "insert statement built");
	want_head = "INSERT INTO samples_10s (host,ts,samples,cpu_percent_avg,"
	    "cpu_percent_max,load1_avg,load1_max,mem_used_bytes_avg,"
	    "mem_used_bytes_max,mem_available_bytes_avg,"
	    "mem_available_bytes_min,swap_used_bytes_avg,swap_used_bytes_max,"
	    "net_rx_bytes_per_second_avg,net_rx_bytes_per_second_max,"
	    "net_tx_bytes_per_second_avg,net_tx_bytes_per_second_max,"
	    "disk_read_bytes_per_second_avg,disk_read_bytes_per_second_max,"
	    "disk_write_bytes_per_second_avg,disk_write_bytes_per_second_max,"
	    "tcp_established_avg,tcp_established_max,tcp_close_wait_avg,"
	    "tcp_close_wait_max) VALUES (X'6162',1700000000,10,1.5,2.25,0,"
	    "3.25,0,2500000001,5,5,6,6,6.5,7.25,7.5,8.25,8.5,9.25,9.5,10.25,"
	    "10.5,11,11.5,4294967295) ON DUPLICATE KEY UPDATE "
	    "samples=VALUES(samples),cpu_percent_avg=VALUES(cpu_percent_avg),";
	ok(strncmp(b.data, want_head, strlen(want_head)) == 0,
	    "columns, values, rounding and clamping");
	if (strncmp(b.data, want_head, strlen(want_head)) != 0) {
		diag("got:  %s", b.data);
		diag("want: %s", want_head);
	}
	want_tail = ",mem_available_bytes_min=VALUES(mem_available_bytes_min)";
	ok(strstr(b.data, want_tail) != NULL, "the min column is updated");
	want_tail = "tcp_close_wait_max=VALUES(tcp_close_wait_max)";
	ok(strlen(b.data) > strlen(want_tail) && strcmp(b.data +
	    strlen(b.data) - strlen(want_tail), want_tail) == 0,
	    "every column is updated on a duplicate");
	vt_buf_free(&b);

	if (vt_buf_init(&b, 16, 300) == VT_ERR) {
		bail("out of memory");
	}
	vt_buf_adds(&b, "keep");
	ok(vt_rec_sql_insert(&b, "samples_10s", "6162", &row, 1) == VT_ERR &&
	    b.len == 4 && strcmp(b.data, "keep") == 0,
	    "past the cap: an error, and the buffer as it was");
	vt_buf_free(&b);
}

static void
test_ranges(void)
{
	struct vt_buf	b;
	enum vt_db_err	cat = VT_DB_OK;
	char		err[VT_ERRLEN];

	is_int(vt_history_db_range("6h"), 21600, "6h");
	is_int(vt_history_db_range("24h"), 86400, "24h");
	is_int(vt_history_db_range("7d"), 604800, "7d");
	is_int(vt_history_db_range("30d"), 2592000, "30d");
	ok(vt_history_db_range("1h") == -1 && vt_history_db_range("") == -1 &&
	    vt_history_db_range("6H") == -1 && vt_history_db_range("6h ") ==
	    -1 && vt_history_db_range(NULL) == -1,
	    "others are not long ranges");
	ok(vt_history_db_step(21600) == 60 && vt_history_db_step(86400) ==
	    180 && vt_history_db_step(604800) == 1800 &&
	    vt_history_db_step(2592000) == 7200 && vt_history_db_step(3600) ==
	    -1, "steps: 1 min, 3 min, 30 min, 2 h");
	ok(21600 / 60 <= VT_HISTORY_DB_POINTS && 86400 / 180 <=
	    VT_HISTORY_DB_POINTS && 604800 / 1800 <= VT_HISTORY_DB_POINTS &&
	    2592000 / 7200 <= VT_HISTORY_DB_POINTS, "at most 500 steps each");
	if (vt_buf_init(&b, 64, 1024) == VT_ERR) {
		bail("out of memory");
	}
	vt_buf_adds(&b, "stale");
	ok(vt_history_db(NULL, "h", "1h", 100, &b, &cat, err, sizeof(err)) ==
	    VT_ERR && cat == VT_DB_ERROR && b.len == 0,
	    "a bad range: error before any I/O, buffer reset");
	vt_buf_free(&b);
}

/* The real-MariaDB part. */

static void
write_file(const char *path, const char *fmt, ...)
{
	va_list	ap;
	FILE   *f;
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		bail("cannot write %s: %s", path, strerror(errno));
	}
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0) {
		bail("cannot write %s: %s", path, strerror(errno));
	}
}

static int
admin_exec(struct vt_db *admin, const char *fmt, ...)
{
	char		sql[4096], err[VT_ERRLEN];
	enum vt_db_err	cat;
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (vt_db_exec(admin, sql, vt_db_deadline(20000), NULL, &cat, err,
	    sizeof(err)) == VT_ERR) {
		diag("%s: %s", sql, err);
		return VT_ERR;
	}
	return VT_OK;
}

struct first {
	char	v[256];
	int	rows;
};

static int
first_row(void *arg, unsigned int ncols, char **row,
    const unsigned long *lens)
{
	struct first	*f = arg;
	size_t		 off = 0;
	unsigned int	 i;

	(void)lens;
	if (f->rows++ > 0) {
		return 0;
	}
	for (i = 0; i < ncols && off < sizeof(f->v); i++) {
		off += (size_t)snprintf(f->v + off, sizeof(f->v) - off, "%s%s",
		    i > 0 ? "," : "", row[i] != NULL ? row[i] : "NULL");
	}
	return 0;
}

/* The first row of a query, columns joined by commas ("" if none). */
static const char *
q1(struct vt_db *admin, struct first *f, const char *fmt, ...)
{
	char		sql[4096], err[VT_ERRLEN];
	enum vt_db_err	cat;
	va_list		ap;

	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (vt_db_query(admin, sql, vt_db_deadline(20000), first_row, f, NULL,
	    &cat, err, sizeof(err)) == VT_ERR) {
		diag("%s: %s", sql, err);
	}
	return f->v;
}

static long long
q1_int(struct vt_db *admin, const char *fmt, const char *table,
    const char *host)
{
	struct first	f;

	return atoll(q1(admin, &f, fmt, my_db, table, host));
}

#define COUNT_SQL	"SELECT COUNT(*) FROM %s.%s WHERE host = '%s'"
#define SPAN_SQL	"SELECT (MAX(ts) - MIN(ts)) / 10 + 1 - COUNT(*) " \
			"FROM %s.%s WHERE host = '%s'"

/* Points t0 + i s (and 250 ms), value f(i), for i in [from, to). */
static double
val(uint64_t i)
{
	return (double)(i % 17) + 0.25 * (double)(i % 5);
}

static void
push(struct vt_ring *ring, int64_t t0, uint64_t from, uint64_t to)
{
	struct vt_point	p;
	uint64_t	i;

	for (i = from; i < to; i++) {
		mkpt(&p, (t0 + (int64_t)i) * 1000 + 250, val(i));
		vt_ring_push(ring, &p);
	}
}

static int
step(struct vt_recorder *rec, struct vt_db *db, struct vt_ring *ring,
    uint64_t *rows, enum vt_db_err *cat)
{
	char	err[VT_ERRLEN];
	int	rc;

	rc = vt_recorder_step(rec, db, ring, VT_REC_STMT_MS, rows, cat, err,
	    sizeof(err));
	if (rc == VT_ERR && getenv("VT_TEST_VERBOSE") != NULL) {
		diag("step: %s: %s", vt_db_err_name(*cat), err);
	}
	return rc;
}

/* Kill the connections to the scratch database but the admin's. */
static struct vt_db *kill_admin;

static int
kill_row(void *arg, unsigned int ncols, char **row, const unsigned long *lens)
{
	int	*n = arg;

	(void)lens;
	if (ncols == 1 && row[0] != NULL &&
	    admin_exec(kill_admin, "KILL CONNECTION %s", row[0]) == VT_OK) {
		(*n)++;
	}
	return 0;
}

static int
kill_scratch(struct vt_db *admin, struct vt_db *ids)
{
	char		sql[256], err[VT_ERRLEN];
	enum vt_db_err	cat;
	int		n = 0;

	/* Ids read on one connection, killed from another. */
	kill_admin = admin;
	snprintf(sql, sizeof(sql), "SELECT id FROM information_schema."
	    "processlist WHERE db = '%s' AND id <> CONNECTION_ID()", my_db);
	if (vt_db_query(ids, sql, vt_db_deadline(5000), kill_row, &n, NULL,
	    &cat, err, sizeof(err)) == VT_ERR) {
		diag("%s", err);
	}
	return n;
}

static void
test_history(struct vt_db *db, struct vt_db *dead, const char *host,
    int64_t t0, struct vt_db *admin)
{
	struct vt_buf		 b;
	struct json_tokener	*tok;
	struct json_object	*o = NULL, *x, *ts, *ser, *a;
	enum vt_db_err		 cat;
	char			 err[VT_ERRLEN];
	double			 sum = 0, want, t;
	int64_t			 t1;
	size_t			 i, n, nts = 0, nser = 0, len_ok = 1;
	int			 rc, s, order_ok = 1;

	if (vt_buf_init(&b, 4096, 4u << 20) == VT_ERR) {
		bail("out of memory");
	}
	t1 = vt_mono_ms();
	rc = vt_history_db(db, host, "6h", 2000, &b, &cat, err, sizeof(err));
	if (!ok(rc == VT_OK, "history 6h from the database")) {
		diag("%s: %s", vt_db_err_name(cat), err);
	}
	diag("history 6h: %zu bytes in %lld ms", b.len,
	    (long long)(vt_mono_ms() - t1));
	ok(b.len > 2 && b.data[b.len - 1] == '\n', "ends with a newline");
	tok = json_tokener_new();
	if (b.len > 0) {
		o = json_tokener_parse_ex(tok, b.data, (int)b.len - 1);
	}
	ok(o != NULL && json_tokener_get_error(tok) == json_tokener_success &&
	    tok->char_offset == (int)b.len - 1, "well-formed JSON, nothing "
	    "after it");
	json_tokener_free(tok);
	ok(o != NULL && json_object_object_get_ex(o, "range", &x) &&
	    strcmp(json_object_get_string(x), "6h") == 0, "range 6h");
	ok(o != NULL && json_object_object_get_ex(o, "step_seconds", &x) &&
	    json_object_get_int(x) == 60, "step 60 s");
	ok(o != NULL && json_object_object_get_ex(o, "source", &x) &&
	    strcmp(json_object_get_string(x), "database") == 0,
	    "source database");
	n = 0;
	if (o != NULL && json_object_object_get_ex(o, "points", &x)) {
		n = (size_t)json_object_get_int(x);
	}
	/* One point per minute that has 10 s rows. */
	want = (double)q1_int(admin, "SELECT COUNT(DISTINCT FLOOR(ts / 60)) "
	    "FROM %s.%s WHERE host = '%s'", "samples_10s", host);
	ok(n > 60 && (double)n == want, "one point per minute with rows "
	    "(%zu)", n);
	if (o != NULL && json_object_object_get_ex(o, "timestamps_ms", &ts)) {
		nts = json_object_array_length(ts);
		for (i = 1; i < nts; i++) {
			if (json_object_get_int64(json_object_array_get_idx(ts,
			    i)) <= json_object_get_int64(
			    json_object_array_get_idx(ts, i - 1))) {
				order_ok = 0;
			}
		}
	}
	ok(nts == n && order_ok, "timestamps: one per point, ascending");
	if (o != NULL && json_object_object_get_ex(o, "series", &ser)) {
		s = 0;
		json_object_object_foreach(ser, k, v) {
			if (s >= VT_S_COUNT || strcmp(k, vt_series_names[s]) !=
			    0) {
				order_ok = 0;
			}
			if (json_object_array_length(v) != n) {
				len_ok = 0;
			}
			s++;
		}
		nser = (size_t)s;
	}
	ok(nser == VT_S_COUNT && order_ok && len_ok,
	    "every series, in order, one value per point");

	/* The minute starting at t0: the mean of its 60 points. */
	for (i = 0; i < 60; i++) {
		sum += val(i);
	}
	t = 0;
	want = -1;
	if (o != NULL && nts > 0) {
		t = (double)json_object_get_int64(json_object_array_get_idx(ts,
		    0));
		json_object_object_get_ex(ser, "cpu_percent", &a);
		want = json_object_get_double(json_object_array_get_idx(a, 0));
	}
	ok(t == (double)t0 * 1000, "first timestamp: the first minute's start");
	is_dbl(want, sum / 60, 1e-9, "its cpu_percent: the minute's mean");
	json_object_put(o);

	rc = vt_history_db(db, host, "24h", 2000, &b, &cat, err, sizeof(err));
	ok(rc == VT_OK && strstr(b.data, "\"step_seconds\":180,") != NULL,
	    "history 24h");
	rc = vt_history_db(db, host, "30d", 2000, &b, &cat, err, sizeof(err));
	ok(rc == VT_OK && strstr(b.data, "\"step_seconds\":7200,") != NULL &&
	    strstr(b.data, "\"points\":0,") == NULL,
	    "history 30d, from samples_1m");
	rc = vt_history_db(db, "no-such-host", "7d", 2000, &b, &cat, err,
	    sizeof(err));
	ok(rc == VT_OK && strstr(b.data, "\"points\":0,\"timestamps_ms\":[],"
	    "\"series\":{\"cpu_percent\":[],") != NULL,
	    "no rows: empty series, still well-formed");
	vt_buf_adds(&b, "x");
	rc = vt_history_db(dead, host, "6h", 300, &b, &cat, err, sizeof(err));
	ok(rc == VT_ERR && cat == VT_DB_UNREACHABLE && b.len == 0,
	    "database down: unreachable, nothing in the buffer");
	vt_buf_free(&b);
}

/* 30 days of 1 min rows, 48 h of 10 s rows: the full-size queries. */
static void
test_history_full(struct vt_db *db, struct vt_db *admin)
{
	struct vt_buf	b;
	enum vt_db_err	cat;
	char		err[VT_ERRLEN];
	const char     *ranges[] = { "6h", "24h", "7d", "30d" };
	int64_t		now = (int64_t)time(NULL), t1;
	size_t		i;
	int		rc, pts;

	if (admin_exec(admin, "INSERT INTO %s.samples_1m SELECT 'full', "
	    "%lld - seq * 60, 60, seq %% 100, 100, 1, 2, 1e9, 2e9, 3e9, 1e9, "
	    "0, 0, 1, 2, 1, 2, 1, 2, 1, 2, 10, 20, 0, 0 FROM %s.seq_0_to_43199",
	    my_db, (long long)(now - now % 60), my_db) == VT_ERR ||
	    admin_exec(admin, "INSERT INTO %s.samples_10s SELECT 'full', "
	    "%lld - seq * 10, 10, seq %% 100, 100, 1, 2, 1e9, 2e9, 3e9, 1e9, "
	    "0, 0, 1, 2, 1, 2, 1, 2, 1, 2, 10, 20, 0, 0 FROM %s.seq_0_to_17279",
	    my_db, (long long)(now - now % 10), my_db) == VT_ERR) {
		skip(4, "no sequence engine: full-size queries not measured");
		return;
	}
	if (vt_buf_init(&b, 4096, 4u << 20) == VT_ERR) {
		bail("out of memory");
	}
	for (i = 0; i < VT_ARRAY_LEN(ranges); i++) {
		t1 = vt_mono_ms();
		rc = vt_history_db(db, "full", ranges[i], 2000, &b, &cat, err,
		    sizeof(err));
		pts = -1;
		if (rc == VT_OK) {
			sscanf(strstr(b.data, "\"points\":"), "\"points\":%d",
			    &pts);
		}
		ok(rc == VT_OK && pts > 0 && pts <= VT_HISTORY_DB_POINTS + 1,
		    "full %s: %d points", ranges[i], pts);
		diag("full %s: %d points, %zu bytes, %lld ms", ranges[i], pts,
		    b.len, (long long)(vt_mono_ms() - t1));
	}
	vt_buf_free(&b);
}

/* The recorder process: rows appear, old rows are pruned, TERM ends it. */
static void
test_process(const char *cnf, struct vt_db *admin)
{
	struct vt_shm	*shm;
	struct vt_conf	 conf;
	struct vt_point	 p;
	struct first	 f;
	char		 host[VT_REC_HOST_MAX + 1];
	int64_t		 t0, now, t1;
	uint64_t	 i;
	pid_t		 pid, w = 0;
	int		 status = -1;

	if (vt_rec_hostname(host, sizeof(host)) == VT_ERR) {
		bail("gethostname");
	}
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		bail("mmap: %s", strerror(errno));
	}
	now = (int64_t)time(NULL);
	t0 = now - now % 60 - 600;
	for (i = 0; i < 300; i++) {
		mkpt(&p, (t0 + (int64_t)i) * 1000, val(i));
		vt_ring_push(&shm->ring, &p);
	}
	admin_exec(admin, "INSERT INTO %s.samples_10s VALUES ('old', %lld, 1"
	    "%s)", my_db, (long long)(now - 49 * 3600),
	    ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0");
	vt_conf_defaults(&conf);
	if ((size_t)snprintf(conf.db_config, sizeof(conf.db_config), "%s",
	    cnf) >= sizeof(conf.db_config)) {
		bail("path too long: %s", cnf);
	}
	snprintf(conf.db_group, sizeof(conf.db_group), "%s", my_group);
	conf.log_level = VT_LOG_INFO;

	if ((pid = fork()) == -1) {
		bail("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		vt_recorder_run(&conf, shm);
	}
	/* The sampler's part: one point a second, faster than life. */
	t1 = vt_mono_ms();
	for (i = 300; vt_mono_ms() - t1 < 10000; i++) {
		if (vt_load(&shm->recorder.rows_written) >= 29 + 4 + 3 &&
		    vt_mono_ms() - t1 > 2500) {
			break;
		}
		mkpt(&p, (t0 + (int64_t)i) * 1000, val(i));
		vt_ring_push(&shm->ring, &p);
		usleep(100000);
	}
	ok(__atomic_load_n(&shm->recorder.pid, __ATOMIC_RELAXED) == pid,
	    "the recorder publishes its pid");
	ok(vt_load(&shm->recorder.rows_written) >= 36 &&
	    __atomic_load_n(&shm->recorder.db_up, __ATOMIC_RELAXED) == 1,
	    "the process writes rows (%llu) and says the database is up",
	    (unsigned long long)vt_load(&shm->recorder.rows_written));
	ok(q1_int(admin, SPAN_SQL, "samples_10s", host) == 0 &&
	    q1_int(admin, COUNT_SQL, "samples_10s", host) >= 30,
	    "its 10 s buckets have no holes");
	ok(strcmp(q1(admin, &f, "SELECT COUNT(*) FROM %s.samples_10s WHERE "
	    "host = 'old'", my_db), "0") == 0, "rows past retention pruned");

	t1 = vt_mono_ms();
	kill(pid, SIGTERM);
	while (vt_mono_ms() - t1 < 5000 &&
	    (w = waitpid(pid, &status, WNOHANG)) == 0) {
		usleep(10000);
	}
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ok(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "TERM: exits 0");
	ok(vt_mono_ms() - t1 < VT_REC_STMT_MS + 500,
	    "within a statement's deadline (%lld ms)",
	    (long long)(vt_mono_ms() - t1));
	munmap(shm, sizeof(*shm));
}

/*
 * TERM while a statement hangs: a server that takes connections and never
 * says a word.  The recorder gives up at the statement's deadline and
 * exits 0; the points stay unwritten (and are counted as nothing lost).
 */
static void
test_process_hung(void)
{
	struct sockaddr_un	 sun;
	struct vt_shm		*shm;
	struct vt_conf		 conf;
	char			 cnf[VT_PATH_LEN + 16];
	int64_t			 t1, took;
	pid_t			 pid, w = 0;
	int			 fd, status = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/hung.sock",
	    tmpdir) >= sizeof(sun.sun_path)) {
		skip(2, "socket path too long");
		return;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 16) == -1) {
		bail("hung listener: %s", strerror(errno));
	}
	snprintf(cnf, sizeof(cnf), "%s/hung.cnf", tmpdir);
	write_file(cnf, "[vitals]\nsocket=%s\nuser=nobody\n", sun.sun_path);
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		bail("mmap: %s", strerror(errno));
	}
	push(&shm->ring, (int64_t)time(NULL) - 100, 0, 60);
	vt_conf_defaults(&conf);
	if ((size_t)snprintf(conf.db_config, sizeof(conf.db_config), "%s",
	    cnf) >= sizeof(conf.db_config)) {
		bail("path too long: %s", cnf);
	}
	conf.log_level = VT_LOG_INFO;
	if ((pid = fork()) == -1) {
		bail("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		vt_recorder_run(&conf, shm);
	}
	usleep(300000);
	t1 = vt_mono_ms();
	kill(pid, SIGTERM);
	while (vt_mono_ms() - t1 < 5000 &&
	    (w = waitpid(pid, &status, WNOHANG)) == 0) {
		usleep(10000);
	}
	took = vt_mono_ms() - t1;
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ok(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "TERM during a hung statement: exits 0");
	ok(took < VT_REC_STMT_MS + 1000, "by the statement's deadline "
	    "(%lld ms after TERM)", (long long)took);
	close(fd);
	munmap(shm, sizeof(*shm));
}

static void
test_real(void)
{
	struct vt_recorder_state	 st, st2;
	struct vt_recorder		*rec, *rec2;
	struct vt_db			*admin, *db, *dead, *ids;
	struct vt_ring			*ring, *ring2;
	struct first			 f;
	enum vt_db_err			 cat;
	char				 cnf[VT_PATH_LEN + 16];
	char				 deadcnf[VT_PATH_LEN + 16];
	char				 host[64], host2[64], err[VT_ERRLEN];
	int64_t				 now, t0, t1;
	uint64_t			 rows, head, lost, pos10, errors0;
	uint64_t			 batches0;
	double				 sum = 0, mx = 0, mn = 1e300;
	int				 i, rc, fails;

	my_group = getenv("VT_TEST_MYSQL_GROUP");
	if (my_group == NULL || *my_group == '\0') {
		my_group = "vitals";
	}
	snprintf(my_db, sizeof(my_db), "vt_rec_%ld", (long)getpid());
	snprintf(host, sizeof(host), "vt-test-%ld", (long)getpid());
	if ((admin = vt_db_open(my_optfile, my_group)) == NULL ||
	    (ids = vt_db_open(my_optfile, my_group)) == NULL) {
		bail("vt_db_open %s", my_optfile);
	}
	if (vt_db_connect(admin, vt_db_deadline(5000), &cat, err,
	    sizeof(err)) == VT_ERR) {
		bail("cannot connect with %s: %s", my_optfile, err);
	}
	if (admin_exec(admin, "CREATE DATABASE %s", my_db) == VT_ERR) {
		bail("cannot create the scratch database");
	}
	snprintf(cnf, sizeof(cnf), "%s/rec.cnf", tmpdir);
	write_file(cnf, "!include %s\n[%s]\ndatabase=%s\n", my_optfile,
	    my_group, my_db);
	snprintf(deadcnf, sizeof(deadcnf), "%s/dead.cnf", tmpdir);
	write_file(deadcnf, "[%s]\nsocket=%s/no-such.sock\nuser=nobody\n",
	    my_group, tmpdir);
	rc = vt_migrate_run(cnf, my_group, srcsql, err, sizeof(err));
	if (rc < 0) {
		bail("migrations: %s", err);
	}
	if ((db = vt_db_open(cnf, my_group)) == NULL ||
	    (dead = vt_db_open(deadcnf, my_group)) == NULL ||
	    (ring = calloc(1, sizeof(*ring))) == NULL) {
		bail("out of memory");
	}
	vt_db_set_backoff(db, 20, 100);
	vt_db_set_backoff(dead, 20, 100);

	/* Five minutes of points from a whole minute two hours ago. */
	now = (int64_t)time(NULL);
	t0 = now - now % 60 - 7200;
	push(ring, t0, 0, 300);
	memset(&st, 0, sizeof(st));
	if ((rec = vt_recorder_new(host, &st)) == NULL) {
		bail("out of memory");
	}
	t1 = vt_mono_ms();
	rc = step(rec, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 29 + 4, "5 min: 29 rows of 10 s, 4 of 1 min "
	    "(the last of each is open) in %lld ms",
	    (long long)(vt_mono_ms() - t1));
	is_int(q1_int(admin, COUNT_SQL, "samples_10s", host), 29,
	    "29 rows in samples_10s");
	is_int(q1_int(admin, COUNT_SQL, "samples_1m", host), 4,
	    "4 rows in samples_1m");
	for (i = 0; i < 10; i++) {
		sum += val((uint64_t)i);
		mx = val((uint64_t)i) > mx ? val((uint64_t)i) : mx;
		mn = val((uint64_t)i) * (VT_S_MEM_AVAILABLE + 1) < mn ?
		    val((uint64_t)i) * (VT_S_MEM_AVAILABLE + 1) : mn;
	}
	q1(admin, &f, "SELECT samples, cpu_percent_avg, cpu_percent_max, "
	    "mem_available_bytes_min FROM %s.samples_10s WHERE host = '%s' "
	    "AND ts = %lld", my_db, host, (long long)t0);
	{
		double	a = 0, b = 0, c = 0;
		int	smp = 0;

		sscanf(f.v, "%d,%lf,%lf,%lf", &smp, &a, &b, &c);
		ok(smp == 10 && fabs(a - sum / 10) < 1e-9 && b == mx &&
		    c == round(mn), "the first bucket: samples, mean, max, min "
		    "(%s)", f.v);
	}
	ok(st.rows_written == 33 && st.batches == 2 && st.db_up == 1 &&
	    st.errors == 0 && st.written_until_ms == (t0 + 290) * 1000,
	    "figures: rows, batches, db_up, written_until");
	rc = step(rec, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 0, "no new points: nothing written");
	push(ring, t0, 300, 301);
	rc = step(rec, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 2, "one point completes a 10 s and a "
	    "1 min bucket");
	is_int((long long)vt_recorder_pos(rec), 300,
	    "its place: the open minute's first point");

	/* A new process resumes after the newest stored buckets. */
	memset(&st2, 0, sizeof(st2));
	if ((rec2 = vt_recorder_new(host, &st2)) == NULL) {
		bail("out of memory");
	}
	rc = step(rec2, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 0 && vt_recorder_resumed(rec2) &&
	    vt_recorder_pos(rec2) == 300, "a restart rewrites nothing and "
	    "resumes at the same place");
	push(ring, t0, 301, 311);
	rc = step(rec2, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 1 && st2.lost_points == 0,
	    "and goes on from there");
	vt_recorder_free(rec2);
	rc = step(rec, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 1, "the same bucket again: idempotent");
	is_int(q1_int(admin, COUNT_SQL, "samples_10s", host), 31,
	    "no duplicate rows");

	/* The server kills the connection: the next step reconnects. */
	ok(kill_scratch(admin, ids) >= 1, "connection killed by the server");
	push(ring, t0, 311, 321);
	rc = step(rec, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 1, "the next step reconnects and writes");

	/* An outage: a dead socket while points keep coming. */
	errors0 = st.errors;
	fails = 0;
	for (i = 0; i < 12; i++) {
		push(ring, t0, 321 + (uint64_t)i * 10, 331 + (uint64_t)i * 10);
		if (step(rec, dead, ring, &rows, &cat) == VT_ERR &&
		    cat == VT_DB_UNREACHABLE && rows == 0) {
			fails++;
		}
		usleep(30000);
	}
	ok(fails == 12 && st.db_up == 0 && st.errors == errors0 + 12,
	    "outage: every step fails as unreachable (%d), db_up 0", fails);
	is_int((long long)vt_recorder_pos(rec), 300,
	    "its place does not move");
	is_int(q1_int(admin, COUNT_SQL, "samples_10s", host), 32,
	    "nothing written meanwhile");
	rc = step(rec, db, ring, &rows, &cat);
	ok(rc == VT_OK && rows == 12 + 2 && st.backfilled_rows == 14 &&
	    st.db_up == 1, "back: the gap is backfilled (%llu rows)",
	    (unsigned long long)rows);
	is_int(q1_int(admin, SPAN_SQL, "samples_10s", host), 0,
	    "no missing 10 s bucket");
	is_int(q1_int(admin, COUNT_SQL, "samples_10s", host), 44,
	    "44 buckets: 441 points, the last bucket open");

	/* An outage longer than the ring: what fell off is counted. */
	head = vt_ring_head(ring);		/* 441 */
	pos10 = (head - 1) / 10 * 10;		/* the open 10 s bucket */
	for (i = 0; i < 8; i++) {
		push(ring, t0, head + (uint64_t)i * 500,
		    head + (uint64_t)(i + 1) * 500);
		step(rec, dead, ring, &rows, &cat);
	}
	head = vt_ring_head(ring);		/* 4441 */
	lost = head - VT_RING_LEN - pos10;
	batches0 = st.batches;
	is_int((long long)st.lost_points, (long long)lost,
	    "points that fell off unwritten are counted (%llu)",
	    (unsigned long long)lost);
	t1 = vt_mono_ms();
	rc = step(rec, db, ring, &rows, &cat);
	t1 = vt_mono_ms() - t1;
	ok(rc == VT_OK && rows == 360 + 60, "back: the whole ring is written "
	    "(%llu rows)", (unsigned long long)rows);
	diag("backfill of a full ring: %llu rows in %llu statements, "
	    "%lld ms (%.1f ms per statement of up to %d rows)",
	    (unsigned long long)rows,
	    (unsigned long long)(st.batches - batches0), (long long)t1,
	    (double)t1 / (double)(st.batches - batches0), VT_REC_BATCH_ROWS);
	q1(admin, &f, "SELECT COUNT(*) FROM %s.samples_10s WHERE host = '%s' "
	    "AND ts >= %lld", my_db, host,
	    (long long)(t0 + (int64_t)(head - VT_RING_LEN)));
	is_int(atoll(f.v), 359, "after the lost stretch: every bucket");
	is_int(q1_int(admin, COUNT_SQL, "samples_10s", host), 44 + 360,
	    "404 buckets in all");
	is_int(q1_int(admin, SPAN_SQL, "samples_10s", host), 40,
	    "only the 40 buckets of the lost stretch are missing");

	/* The wall clock steps back an hour: recording goes on. */
	snprintf(host2, sizeof(host2), "vt-clock-%ld", (long)getpid());
	memset(&st2, 0, sizeof(st2));
	if ((rec2 = vt_recorder_new(host2, &st2)) == NULL ||
	    (ring2 = calloc(1, sizeof(*ring2))) == NULL) {
		bail("out of memory");
	}
	push(ring2, t0, 0, 120);
	rc = step(rec2, db, ring2, &rows, &cat);
	ok(rc == VT_OK && rows == 11 + 1, "two minutes: 11 + 1 rows");
	push(ring2, t0 - 3600, 120, 150);
	rc = step(rec2, db, ring2, &rows, &cat);
	ok(rc == VT_OK && rows == 2 && vt_recorder_pos(rec2) == 120,
	    "the clock back an hour: its points are stored (%llu rows)",
	    (unsigned long long)rows);
	is_int(q1_int(admin, COUNT_SQL, "samples_10s", host2), 13,
	    "13 rows of 10 s for that host");
	vt_recorder_free(rec2);
	free(ring2);

	test_history(db, dead, host, t0, admin);
	test_history_full(db, admin);
	test_process(cnf, admin);

	vt_recorder_free(rec);
	free(ring);
	vt_db_close(db);
	vt_db_close(dead);
	vt_db_close(ids);
	admin_exec(admin, "DROP DATABASE %s", my_db);
	vt_db_close(admin);
}

int
main(void)
{
	const char	*s;
	char		 cmd[VT_PATH_LEN + 16];

	s = getenv("VT_SRCDIR");
	if (s == NULL || *s == '\0') {
		s = getenv("srcdir");
	}
	snprintf(srcsql, sizeof(srcsql), "%s/sql", s != NULL && *s ? s : ".");
	if (tap_tmpdir("vt-recorder-t", tmpdir, sizeof(tmpdir)) == -1)
		bail("temporary directory: %s", strerror(errno));

	test_aggregate();
	test_sql();
	test_ranges();
	test_process_hung();

	my_optfile = getenv("VT_TEST_MYSQL_OPTFILE");
	if (my_optfile != NULL && *my_optfile != '\0') {
		test_real();
	} else {
		skip(1, "VT_TEST_MYSQL_OPTFILE is not set: no real MariaDB");
	}

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0) {
		diag("cannot remove %s", tmpdir);
	}
	done_testing();
	return tap_exit_status();
}

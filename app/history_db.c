/*
 * history_db.c: the long ranges of /api/history from MariaDB (see
 * history_db.h).
 *
 * One statement per request: the rows of the range are grouped by step
 * in the server, so what comes back is at most about 500 rows however
 * many the table holds, read one at a time into a bounded array (the
 * series are written column by column, the rows arrive row by row).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "history_db.h"
#include "recorder.h"
#include "ring.h"
#include "vitals.h"

/* Steps from the range's start to now: at most range / step + 1. */
#define HDB_MAX_ROWS	(VT_HISTORY_DB_POINTS + 2)
#define HDB_SPLIT_S	(48 * 3600)	/* samples_10s keeps 48 hours */

static const struct {
	const char	*name;
	int		 seconds;
} hdb_ranges[] = {
	{ "6h", 6 * 3600 },
	{ "24h", 24 * 3600 },
	{ "7d", 7 * 86400 },
	{ "30d", 30 * 86400 },
};

/* Steps that fall on round wall-clock times. */
static const int hdb_steps[] = {
	10, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800,
	3600, 7200, 10800, 21600, 43200,
};

struct hdb_rows {
	size_t		n;
	int		bad;		/* a row did not parse */
	int64_t		ts[HDB_MAX_ROWS];
	double		v[HDB_MAX_ROWS][VT_S_COUNT];
	unsigned char	null[HDB_MAX_ROWS][VT_S_COUNT];
};

int
vt_history_db_range(const char *range)
{
	size_t	i;

	if (range == NULL)
		return -1;
	for (i = 0; i < VT_ARRAY_LEN(hdb_ranges); i++) {
		if (strcmp(range, hdb_ranges[i].name) == 0)
			return hdb_ranges[i].seconds;
	}
	return -1;
}

static int
hdb_known(int range_s)
{
	size_t	i;

	for (i = 0; i < VT_ARRAY_LEN(hdb_ranges); i++) {
		if (hdb_ranges[i].seconds == range_s)
			return 1;
	}
	return 0;
}

int
vt_history_db_step(int range_s)
{
	int	res;
	size_t	i;

	if (!hdb_known(range_s))
		return -1;
	res = range_s <= HDB_SPLIT_S ? VT_REC_10S : VT_REC_1M;
	for (i = 0; i < VT_ARRAY_LEN(hdb_steps); i++) {
		if (hdb_steps[i] % res == 0 &&
		    range_s / hdb_steps[i] <= VT_HISTORY_DB_POINTS) {
			return hdb_steps[i];
		}
	}
	return -1;
}

static int
hdb_row(void *arg, unsigned int ncols, char **row, const unsigned long *lens)
{
	struct hdb_rows	*r = arg;
	char		*end;
	unsigned int	 s;

	(void)lens;
	if (ncols != 1 + VT_S_COUNT || r->n == HDB_MAX_ROWS ||
	    row[0] == NULL) {
		r->bad = 1;
		return 1;
	}
	errno = 0;
	r->ts[r->n] = strtoll(row[0], &end, 10);
	if (errno != 0 || *end != '\0') {
		r->bad = 1;
		return 1;
	}
	for (s = 0; s < VT_S_COUNT; s++) {
		r->null[r->n][s] = row[1 + s] == NULL;
		r->v[r->n][s] = 0;
		if (row[1 + s] == NULL)
			continue;
		r->v[r->n][s] = strtod(row[1 + s], &end);
		if (*end != '\0' || !isfinite(r->v[r->n][s])) {
			r->bad = 1;
			return 1;
		}
	}
	r->n++;
	return 0;
}

static int
hdb_sql(char *sql, size_t len, const char *table, const char *host_hex,
    int step, int64_t from, int64_t to)
{
	size_t	off;
	int	s, n;

	n = snprintf(sql, len, "SELECT FLOOR(ts / %d) * %d AS t", step, step);
	if (n < 0 || (size_t)n >= len)
		return VT_ERR;
	off = (size_t)n;
	for (s = 0; s < VT_S_COUNT; s++) {
		n = snprintf(sql + off, len - off, ", SUM(%s_avg * samples) / "
		    "SUM(samples)", vt_series_names[s]);
		if (n < 0 || (size_t)n >= len - off)
			return VT_ERR;
		off += (size_t)n;
	}
	n = snprintf(sql + off, len - off, " FROM %s WHERE host = X'%s' AND "
	    "ts >= %lld AND ts <= %lld AND samples > 0 GROUP BY t ORDER BY t "
	    "LIMIT %d", table, host_hex, (long long)from, (long long)to,
	    HDB_MAX_ROWS);
	if (n < 0 || (size_t)n >= len - off)
		return VT_ERR;
	return VT_OK;
}

static int
hdb_render(struct vt_buf *b, const char *range, int step,
    const struct hdb_rows *r)
{
	size_t	i;
	int	s, rc = VT_OK;

	rc |= vt_buf_printf(b, "{\"range\":\"%s\",\"step_seconds\":%d,"
	    "\"source\":\"database\",\"points\":%zu,\"timestamps_ms\":[",
	    range, step, r->n);
	for (i = 0; i < r->n; i++) {
		rc |= vt_buf_printf(b, "%s%lld", i > 0 ? "," : "",
		    (long long)r->ts[i] * 1000);
	}
	rc |= vt_buf_adds(b, "],\"series\":{");
	for (s = 0; s < VT_S_COUNT; s++) {
		rc |= vt_buf_printf(b, "%s\"%s\":[", s > 0 ? "," : "",
		    vt_series_names[s]);
		for (i = 0; i < r->n; i++) {
			if (r->null[i][s]) {
				rc |= vt_buf_printf(b, "%snull",
				    i > 0 ? "," : "");
			} else {
				rc |= vt_buf_printf(b, "%s%.15g",
				    i > 0 ? "," : "", r->v[i][s]);
			}
		}
		rc |= vt_buf_adds(b, "]");
	}
	rc |= vt_buf_adds(b, "}}\n");
	return rc == VT_OK ? VT_OK : VT_ERR;
}

int
vt_history_db(struct vt_db *db, const char *host, const char *range,
    int timeout_ms, struct vt_buf *out, enum vt_db_err *cat, char *err,
    size_t errlen)
{
	struct hdb_rows	*r = NULL;
	enum vt_db_err	 c = VT_DB_OK;
	char		 name[VT_REC_HOST_MAX + 1];
	char		 hex[2 * VT_REC_HOST_MAX + 1];
	char		 sql[2048];
	char		 e[VT_ERRLEN];
	int64_t		 now, from;
	int		 range_s, step;

	if (err == NULL || errlen == 0) {
		err = e;
		errlen = sizeof(e);
	}
	*err = '\0';
	vt_buf_reset(out);
	if ((range_s = vt_history_db_range(range)) == -1 ||
	    (step = vt_history_db_step(range_s)) == -1) {
		c = VT_DB_ERROR;
		snprintf(err, errlen, "history: not a long range");
		goto fail;
	}
	if (host == NULL) {
		if (vt_rec_hostname(name, sizeof(name)) == VT_ERR) {
			c = VT_DB_ERROR;
			snprintf(err, errlen, "history: gethostname: %s",
			    strerror(errno));
			goto fail;
		}
		host = name;
	}
	vt_rec_host_hex(hex, host);
	now = (int64_t)time(NULL);
	/* The first whole step inside the range: at most range/step + 1. */
	from = now - range_s;
	from = (from / step + (from % step != 0)) * step;
	if (hdb_sql(sql, sizeof(sql), range_s <= HDB_SPLIT_S ? "samples_10s" :
	    "samples_1m", hex, step, from, now) == VT_ERR) {
		c = VT_DB_ERROR;
		snprintf(err, errlen, "history: statement too long");
		goto fail;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		c = VT_DB_ERROR;
		snprintf(err, errlen, "history: out of memory");
		goto fail;
	}
	if (vt_db_query(db, sql, vt_db_deadline(timeout_ms), hdb_row, r, NULL,
	    &c, err, errlen) == VT_ERR) {
		goto fail;
	}
	if (r->bad) {
		c = VT_DB_ERROR;
		snprintf(err, errlen, "history: unexpected result");
		goto fail;
	}
	if (hdb_render(out, range, step, r) == VT_ERR) {
		c = VT_DB_ERROR;
		snprintf(err, errlen, "history: document too large");
		goto fail;
	}
	free(r);
	if (cat != NULL)
		*cat = VT_DB_OK;
	return VT_OK;

fail:
	free(r);
	vt_buf_reset(out);
	if (c == VT_DB_OK)
		c = VT_DB_ERROR;
	if (cat != NULL)
		*cat = c;
	return VT_ERR;
}

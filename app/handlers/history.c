/*
 * history.c: /api/history?range=5m|15m|1h, the chartable series from the
 * sample ring, averaged into at most HISTORY_POINTS points per series;
 * range=6h|24h|7d|30d from MariaDB (history_db.c), downsampled in SQL.
 *
 *	{"range":"5m","step_seconds":1,"source":"ring",
 *	 "timestamps_ms":[…],"series":{"cpu_percent":[…],…}}
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "conf.h"
#include "db.h"
#include "handlers/handlers.h"
#include "history_db.h"
#include "log.h"
#include "ring.h"
#include "scoreboard.h"

#define HISTORY_POINTS	600

struct history_range {
	const char     *name;
	int		seconds;
};

static const struct history_range ranges[] = {
	{ "5m", 300 }, { "15m", 900 }, { "1h", 3600 },
};

/*
 * Ranges past the ring come from MariaDB (the recorder's aggregates),
 * under the health deadline, on this worker's connection.  A database
 * that is down or slow gives 503 for these; the short ranges go on.
 */
static int
history_long(const struct vt_request *req, struct vt_reply *r,
    const char *range)
{
	const struct vt_conf   *c = req->ctx->conf;
	enum vt_db_err		cat = VT_DB_OK;
	char			err[VT_ERRLEN], q[VT_ERRLEN + 8], msg[64];

	if (c->db_config[0] == '\0')
		return vt_reply_error(r, 503, "history database not configured");
	if (*req->ctx->db == NULL)
		*req->ctx->db = vt_db_open(c->db_config,
		    c->db_group[0] != '\0' ? c->db_group : NULL);
	if (*req->ctx->db == NULL)
		return vt_reply_error(r, 503, "history database unavailable");
	err[0] = '\0';
	if (vt_history_db(*req->ctx->db, NULL, range, c->health_timeout,
	    r->body, &cat, err, sizeof(err)) == VT_ERR) {
		vt_log_warn("history_db_failed", "range=%s category=%s error=%s",
		    range, vt_db_err_name(cat), vt_log_quote(q, sizeof(q), err));
		snprintf(msg, sizeof(msg), "history database: %s",
		    vt_db_err_name(cat));
		return vt_reply_error(r, 503, msg);
	}
	r->status = 200;
	r->content_type = "application/json";
	r->cache_control = "public, max-age=30";
	return 200;
}

/* Ring points for one request: 3600 x 96 bytes, kept per process. */
static struct vt_point	history_pts[VT_RING_LEN];

int
vt_handle_api_history(const struct vt_request *req, struct vt_reply *r)
{
	const struct history_range     *rg = NULL;
	const char		       *v = vt_query_get(&req->query, "range");
	struct vt_buf		       *b = r->body;
	size_t				n, i, j, per, out, s;
	int64_t				now = vt_wall_ms();
	int				rc = VT_OK;

	if (v == NULL)
		v = "5m";
	if (vt_query_count(&req->query, "range") > 1)
		return vt_reply_error(r, 400, "range given more than once");
	for (i = 0; i < VT_ARRAY_LEN(ranges); i++)
		if (strcmp(ranges[i].name, v) == 0)
			rg = &ranges[i];
	if (rg == NULL) {
		if (vt_history_db_range(v) > 0)
			return history_long(req, r, v);
		return vt_reply_error(r, 400, "range must be one of 5m, 15m, "
		    "1h, 6h, 24h, 7d, 30d");
	}

	n = vt_ring_since(&req->ctx->shm->ring,
	    now - (int64_t)rg->seconds * 1000, history_pts, VT_RING_LEN);
	per = (n + HISTORY_POINTS - 1) / HISTORY_POINTS;
	if (per == 0)
		per = 1;
	out = (n + per - 1) / per;

	vt_buf_reset(b);
	rc |= vt_buf_printf(b, "{\"range\":\"%s\",\"step_seconds\":%zu,"
	    "\"source\":\"ring\",\"points\":%zu,\"timestamps_ms\":[",
	    rg->name, per, out);
	for (i = 0; i < out; i++) {
		size_t	last = (i + 1) * per < n ? (i + 1) * per - 1 : n - 1;

		rc |= vt_buf_printf(b, "%s%lld", i ? "," : "",
		    (long long)history_pts[last].ts_ms);
	}
	rc |= vt_buf_adds(b, "],\"series\":{");
	for (s = 0; s < VT_S_COUNT; s++) {
		rc |= vt_buf_printf(b, "%s\"%s\":[", s ? "," : "",
		    vt_series_names[s]);
		for (i = 0; i < out; i++) {
			double	sum = 0;
			size_t	k = 0;

			for (j = i * per; j < n && j < (i + 1) * per; j++, k++)
				sum += history_pts[j].v[s];
			rc |= vt_buf_printf(b, "%s%.15g", i ? "," : "",
			    k ? sum / (double)k : 0);
		}
		rc |= vt_buf_adds(b, "]");
	}
	rc |= vt_buf_adds(b, "}}\n");
	if (rc != VT_OK)
		return vt_reply_error(r, 500, "response too large");
	r->status = 200;
	r->content_type = "application/json";
	r->cache_control = "public, max-age=1";
	return 200;
}

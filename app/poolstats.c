/*
 * poolstats.c: pool figures for /api/metrics and /metrics (see
 * poolstats.h).  Numbers only, so plain formatting is safe; route names
 * come from the static route table.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "poolstats.h"
#include "qlen.h"
#include "router.h"

struct pool_counts {
	unsigned	by_state[VT_SLOT_EXITING + 1];
	unsigned	total;
	uint32_t	queued, backlog;
	int		have_q;
};

static void
pool_count(struct vt_shm *shm, int listen_fd, struct pool_counts *pc)
{
	int	i;

	memset(pc, 0, sizeof(*pc));
	for (i = 0; i < vt_slot_hwm(shm); i++) {
		struct vt_slot	s;

		if (vt_slot_read(&shm->slots[i], &s) == VT_ERR ||
		    s.state == VT_SLOT_EMPTY || s.state > VT_SLOT_EXITING)
			continue;
		pc->by_state[s.state]++;
		pc->total++;
	}
	/*
	 * The master's gauge (10 times a second), not a netlink round trip
	 * per request: these endpoints are the hot path.
	 */
	(void)listen_fd;
	pc->queued = (uint32_t)vt_load(&shm->c.listen_queue);
	pc->backlog = (uint32_t)vt_load(&shm->c.listen_backlog);
	pc->have_q = 1;
}

int
vt_pool_json(struct vt_shm *shm, int listen_fd, struct vt_buf *out)
{
	struct vt_counters     *c = &shm->c;
	struct pool_counts	pc;

	pool_count(shm, listen_fd, &pc);
	return vt_buf_printf(out, "{\"workers\":%u,\"idle\":%u,\"busy\":%u,"
	    "\"accepted\":%llu,\"restarts\":%llu,\"watchdog_kills\":%llu,"
	    "\"slow_requests\":%llu,\"listen_queue\":%u,"
	    "\"listen_queue_max\":%llu,\"listen_backlog\":%u,"
	    "\"uptime_s\":%lld}",
	    pc.total, pc.by_state[VT_SLOT_IDLE],
	    pc.by_state[VT_SLOT_READING] + pc.by_state[VT_SLOT_BUSY],
	    (unsigned long long)vt_load(&c->accepted),
	    (unsigned long long)(vt_load(&c->restarts[VT_RESTART_EXIT]) +
	    vt_load(&c->restarts[VT_RESTART_SIGNAL]) +
	    vt_load(&c->restarts[VT_RESTART_WATCHDOG]) +
	    vt_load(&c->restarts[VT_RESTART_RECYCLE])),
	    (unsigned long long)vt_load(&c->restarts[VT_RESTART_WATCHDOG]),
	    (unsigned long long)vt_load(&c->slow_requests), pc.queued,
	    (unsigned long long)vt_load(&c->listen_queue_max), pc.backlog,
	    (long long)((vt_mono_ms() - shm->pool_start_mono_ms) / 1000));
}

static int
pool_family(struct vt_buf *out, const char *name, const char *type,
    const char *help)
{
	return vt_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

static int
pool_routes(struct vt_shm *shm, struct vt_buf *out)
{
	const struct vt_route  *routes;
	size_t			n, i;
	int			cls, b, rc = VT_OK;

	routes = vt_routes(&n);
	rc |= pool_family(out, "vitals_http_requests_total", "counter",
	    "Requests served by the pool, by endpoint and status class.");
	for (i = 0; i <= n; i++) {
		const char	       *name = i < n ? routes[i].name : "unmatched";
		struct vt_route_stats  *r = &shm->routes[i < n ? routes[i].id :
		    VT_ROUTE_UNMATCHED];

		for (cls = 1; cls <= 5; cls++) {
			uint64_t	v = vt_load(&r->by_class[cls]);

			if (v == 0 && cls != 2)
				continue;
			rc |= vt_buf_printf(out, "vitals_http_requests_total"
			    "{endpoint=\"%s\",code=\"%dxx\"} %llu\n", name, cls,
			    (unsigned long long)v);
		}
	}
	rc |= pool_family(out, "vitals_http_request_duration_seconds",
	    "histogram", "Time from accept to the end of the reply, by "
	    "endpoint.");
	for (i = 0; i <= n; i++) {
		const char	       *name = i < n ? routes[i].name : "unmatched";
		struct vt_route_stats  *r = &shm->routes[i < n ? routes[i].id :
		    VT_ROUTE_UNMATCHED];
		uint64_t		cum = 0, count;

		count = vt_load(&r->count);
		if (count == 0)
			continue;	/* a route never asked for: no series */
		for (b = 0; b < VT_HIST_BUCKETS; b++) {
			cum += vt_load(&r->hist[b]);
			rc |= vt_buf_printf(out, "vitals_http_request_duration_"
			    "seconds_bucket{endpoint=\"%s\",le=\"%g\"} %llu\n",
			    name, vt_hist_bounds[b], (unsigned long long)cum);
		}
		cum += vt_load(&r->hist[VT_HIST_BUCKETS]);
		/* Counts race the buckets a little; keep +Inf == count. */
		if (count < cum)
			count = cum;
		rc |= vt_buf_printf(out, "vitals_http_request_duration_seconds_"
		    "bucket{endpoint=\"%s\",le=\"+Inf\"} %llu\n"
		    "vitals_http_request_duration_seconds_sum{endpoint=\"%s\"} "
		    "%.6f\n"
		    "vitals_http_request_duration_seconds_count{endpoint=\"%s\"} "
		    "%llu\n", name, (unsigned long long)count, name,
		    (double)vt_load(&r->sum_us) / 1e6, name,
		    (unsigned long long)count);
	}
	return rc;
}

/* The single-valued counters and gauges of the shared mapping. */
struct pool_scalar {
	const char     *name;
	const char     *type;
	const char     *help;
	size_t		off;	/* of a uint64_t in struct vt_shm */
};

#define SHM_OFF(field)	offsetof(struct vt_shm, field)

static const struct pool_scalar pool_scalars[] = {
	{ "vitals_workers_max_busy", "gauge",
	  "Most workers busy at once since the pool started.",
	  SHM_OFF(c.max_busy) },
	{ "vitals_workers_all_busy_total", "counter",
	  "Times a request found every worker busy.", SHM_OFF(c.all_busy) },
	{ "vitals_connections_accepted_total", "counter",
	  "Connections accepted from nginx.", SHM_OFF(c.accepted) },
	{ "vitals_slow_requests_total", "counter",
	  "Requests that took longer than slow_threshold.",
	  SHM_OFF(c.slow_requests) },
	{ "vitals_accept_errors_total", "counter",
	  "accept(2) failures (EMFILE and the like).",
	  SHM_OFF(c.accept_errors) },
	{ "vitals_listen_queue", "gauge",
	  "Connections waiting in the listening socket's queue.",
	  SHM_OFF(c.listen_queue) },
	{ "vitals_listen_queue_max", "gauge", "Longest listen queue seen.",
	  SHM_OFF(c.listen_queue_max) },
	{ "vitals_listen_backlog", "gauge",
	  "Size of the listening socket's queue.", SHM_OFF(c.listen_backlog) },
	{ "vitals_recorder_rows_written_total", "counter",
	  "History rows the recorder wrote to MariaDB.",
	  SHM_OFF(recorder.rows_written) },
	{ "vitals_recorder_errors_total", "counter", "Failed history writes.",
	  SHM_OFF(recorder.errors) },
	{ "vitals_recorder_lost_points_total", "counter",
	  "Samples that fell off the ring before they were written.",
	  SHM_OFF(recorder.lost_points) },
};

#undef SHM_OFF

int
vt_pool_prom(struct vt_shm *shm, int listen_fd, struct vt_buf *out)
{
	struct vt_counters     *c = &shm->c;
	struct pool_counts	pc;
	size_t			k;
	int			i, rc = VT_OK;

	pool_count(shm, listen_fd, &pc);
	rc |= pool_routes(shm, out);
	rc |= pool_family(out, "vitals_workers", "gauge",
	    "Worker processes by state.");
	for (i = VT_SLOT_STARTING; i <= VT_SLOT_EXITING; i++)
		rc |= vt_buf_printf(out, "vitals_workers{state=\"%s\"} %u\n",
		    vt_slot_state_name((uint32_t)i), pc.by_state[i]);
	rc |= pool_family(out, "vitals_worker_restarts_total", "counter",
	    "Workers replaced, by cause.");
	for (i = 0; i < VT_RESTART_MAX; i++)
		rc |= vt_buf_printf(out, "vitals_worker_restarts_total"
		    "{cause=\"%s\"} %llu\n", vt_restart_cause_name(i),
		    (unsigned long long)vt_load(&c->restarts[i]));
	rc |= pool_family(out, "vitals_health_probes_total", "counter",
	    "Database health probes run, by result.");
	for (i = VT_DB_OK; i <= VT_DB_ERROR; i++)
		rc |= vt_buf_printf(out, "vitals_health_probes_total"
		    "{result=\"%s\"} %llu\n", vt_db_err_name((enum vt_db_err)i),
		    (unsigned long long)vt_load(&shm->health.results[i]));
	for (k = 0; k < VT_ARRAY_LEN(pool_scalars); k++) {
		const struct pool_scalar       *p = &pool_scalars[k];
		const uint64_t		       *v = (const uint64_t *)(const void *)
		    ((const char *)shm + p->off);

		rc |= pool_family(out, p->name, p->type, p->help);
		rc |= vt_buf_printf(out, "%s %llu\n", p->name,
		    (unsigned long long)vt_load(v));
	}
	rc |= pool_family(out, "vitals_start_time_seconds", "gauge",
	    "When the pool started, in seconds since the epoch.");
	rc |= vt_buf_printf(out, "vitals_start_time_seconds %.3f\n",
	    (double)shm->pool_start_ms / 1000.0);
	return rc == VT_OK ? VT_OK : VT_ERR;
}

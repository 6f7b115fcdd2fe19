/*
 * poolview.c: the pool's figures, filled once from the scoreboard and
 * rendered as JSON (json-c) and as Prometheus text (prom.c's writer); see
 * poolview.h.  Route names come from the static route table.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "clock.h"
#include "poolview.h"
#include "render/prom.h"
#include "router.h"

/* One walk of the slots: counts by state, and copies when asked. */
static void
pool_walk(struct vt_poolview *v, const struct vt_shm *shm,
    struct vt_poolview_slot *slots, size_t nslots)
{
	int	i;

	v->slots = slots;
	for (i = 0; i < vt_slot_hwm(shm); i++) {
		struct vt_slot	s;

		if (vt_slot_read(&shm->slots[i], &s) == VT_ERR ||
		    s.state == VT_SLOT_EMPTY || s.state > VT_SLOT_EXITING)
			continue;
		v->by_state[s.state]++;
		v->total++;
		if (slots != NULL && v->nslots < nslots) {
			slots[v->nslots].index = i;
			slots[v->nslots].s = s;
			v->nslots++;
		}
	}
	v->busy = v->by_state[VT_SLOT_READING] + v->by_state[VT_SLOT_BUSY];
	v->idle = v->by_state[VT_SLOT_IDLE];
}

static void
pool_counters(struct vt_poolview *v, const struct vt_shm *shm)
{
	const struct vt_counters       *c = &shm->c;
	size_t				i;

	v->accepted = vt_load(&c->accepted);
	for (i = 0; i < VT_ARRAY_LEN(v->by_class); i++)
		v->by_class[i] = vt_load(&c->by_class[i]);
	for (i = 0; i < VT_ARRAY_LEN(v->restarts); i++) {
		v->restarts[i] = vt_load(&c->restarts[i]);
		v->restarts_total += v->restarts[i];
	}
	v->slow_requests = vt_load(&c->slow_requests);
	v->accept_errors = vt_load(&c->accept_errors);
	v->bad_requests = vt_load(&c->bad_requests);
	v->crash_backoffs = vt_load(&c->crash_backoffs);
	v->log_dropped = vt_load(&c->log_dropped);
	v->log_suppressed = vt_load(&c->log_suppressed);
	v->max_busy = vt_load(&c->max_busy);
	v->all_busy = vt_load(&c->all_busy);
	for (i = 0; i < VT_ARRAY_LEN(v->health_results); i++)
		v->health_results[i] = vt_load(&shm->health.results[i]);
	v->listen_queue_errors = vt_load(&c->listen_queue_errors);
	v->listen_queue = vt_load(&c->listen_queue);
	v->listen_queue_max = vt_load(&c->listen_queue_max);
	v->listen_backlog = vt_load(&c->listen_backlog);
	v->queue_known = v->listen_backlog > 0;
	v->queue_stall_ms = vt_load(&c->queue_stall_ms);
	v->backoff_ms = vt_load(&c->backoff_ms);
}

static void
pool_routes(struct vt_poolview *v, const struct vt_shm *shm)
{
	size_t	i, k;

	for (i = 0; i < VT_ARRAY_LEN(v->routes); i++) {
		const struct vt_route_stats    *src = &shm->routes[i];
		struct vt_route_stats	       *dst = &v->routes[i];

		for (k = 0; k < VT_ARRAY_LEN(dst->by_class); k++)
			dst->by_class[k] = vt_load(&src->by_class[k]);
		for (k = 0; k < VT_ARRAY_LEN(dst->hist); k++)
			dst->hist[k] = vt_load(&src->hist[k]);
		dst->sum_us = vt_load(&src->sum_us);
		dst->count = vt_load(&src->count);
	}
}

static void
pool_recorder(struct vt_poolview *v, const struct vt_shm *shm)
{
	const struct vt_recorder_state *src = &shm->recorder;
	struct vt_recorder_state       *dst = &v->recorder;

	dst->pid = src->pid;
	dst->db_up = src->db_up;
	dst->rows_written = vt_load(&src->rows_written);
	dst->batches = vt_load(&src->batches);
	dst->errors = vt_load(&src->errors);
	dst->lost_points = vt_load(&src->lost_points);
	dst->backfilled_rows = vt_load(&src->backfilled_rows);
	dst->last_write_ms = src->last_write_ms;
	dst->written_until_ms = src->written_until_ms;
}

static void
pool_live(struct vt_poolview *v, const struct vt_shm *shm)
{
	const struct vt_live_state     *src = &shm->live;
	struct vt_live_state	       *dst = &v->live;
	size_t				k;

	dst->on = src->on;
	dst->up = src->up;
	for (k = 0; k < VT_ARRAY_LEN(dst->results); k++)
		dst->results[k] = vt_load(&src->results[k]);
	for (k = 0; k < VT_ARRAY_LEN(dst->hist); k++)
		dst->hist[k] = vt_load(&src->hist[k]);
	dst->sum_us = vt_load(&src->sum_us);
	dst->count = vt_load(&src->count);
	dst->last_ok_ms = src->last_ok_ms;
	dst->failing_since_ms = src->failing_since_ms;
	dst->subscribers = src->subscribers;
}

void
vt_poolview_fill(struct vt_poolview *v, const struct vt_shm *shm,
    int64_t now_mono_ms, struct vt_poolview_slot *slots, size_t nslots)
{
	memset(v, 0, sizeof(*v));
	v->now_mono_ms = now_mono_ms;
	v->master_pid = shm->master_pid;
	v->generation = shm->generation;
	v->start_ms = shm->pool_start_ms;
	v->uptime_s = (now_mono_ms - shm->pool_start_mono_ms) / 1000;
	vt_limits_get(shm, &v->limits);
	pool_walk(v, shm, slots, nslots);
	pool_counters(v, shm);
	pool_routes(v, shm);
	pool_recorder(v, shm);
	pool_live(v, shm);
}

/* JSON. */

static struct json_object *
pool_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

int
vt_poolview_strained(const struct vt_poolview *v)
{
	return v->listen_queue > 0 || v->queue_stall_ms > 0 ||
	    v->backoff_ms > 0 || v->idle == 0;
}

int
vt_poolview_json(const struct vt_poolview *v, struct vt_buf *out)
{
	struct json_object     *o = json_object_new_object();
	const char	       *s;
	size_t			n = 0;
	int			rc = VT_ERR;

	if (o == NULL)
		return VT_ERR;
	json_object_object_add(o, "workers", pool_u64(v->total));
	json_object_object_add(o, "idle", pool_u64(v->idle));
	json_object_object_add(o, "busy", pool_u64(v->busy));
	json_object_object_add(o, "accepted", pool_u64(v->accepted));
	json_object_object_add(o, "restarts", pool_u64(v->restarts_total));
	json_object_object_add(o, "watchdog_kills",
	    pool_u64(v->restarts[VT_RESTART_WATCHDOG]));
	json_object_object_add(o, "slow_requests", pool_u64(v->slow_requests));
	json_object_object_add(o, "listen_queue", pool_u64(v->listen_queue));
	json_object_object_add(o, "listen_queue_max",
	    pool_u64(v->listen_queue_max));
	json_object_object_add(o, "listen_backlog",
	    pool_u64(v->listen_backlog));
	json_object_object_add(o, "uptime_s",
	    json_object_new_int64(v->uptime_s));
	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (s != NULL && n > 0)
		rc = vt_buf_add(out, s, n);
	json_object_put(o);
	return rc;
}

static struct json_object *
pool_status_slot(const struct vt_poolview_slot *ps, int64_t now_mono_ms)
{
	const struct vt_slot   *s = &ps->s;
	struct json_object     *o = json_object_new_object();

	json_object_object_add(o, "slot", json_object_new_int(ps->index));
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "state",
	    json_object_new_string(vt_slot_state_name(s->state)));
	json_object_object_add(o, "generation",
	    json_object_new_int64(s->generation));
	json_object_object_add(o, "started_at_ms",
	    json_object_new_int64(s->started_ms));
	json_object_object_add(o, "requests", pool_u64(s->requests));
	if (s->state == VT_SLOT_READING || s->state == VT_SLOT_BUSY) {
		struct json_object     *q = json_object_new_object();

		json_object_object_add(q, "method",
		    json_object_new_string(s->method));
		json_object_object_add(q, "path",
		    json_object_new_string(s->path));
		json_object_object_add(q, "request_id",
		    json_object_new_string(s->request_id));
		json_object_object_add(q, "started_at_ms",
		    json_object_new_int64(s->req_start_ms));
		json_object_object_add(q, "duration_ms",
		    json_object_new_int64(now_mono_ms - s->req_start_mono_ms));
		json_object_object_add(o, "request", q);
	}
	if (s->accept_failures > 0) {
		struct json_object     *u = json_object_new_object();

		json_object_object_add(u, "accept_failures",
		    pool_u64(s->accept_failures));
		json_object_object_add(u, "errno",
		    json_object_new_int(s->accept_errno));
		json_object_object_add(u, "for_ms", json_object_new_int64(
		    s->unhealthy_since_ms > 0 ?
		    now_mono_ms - s->unhealthy_since_ms : 0));
		json_object_object_add(o, "unhealthy", u);
	}
	return o;
}

static struct json_object *
pool_status_pool(const struct vt_poolview *v)
{
	struct json_object     *x = json_object_new_object();

	json_object_object_add(x, "master_pid",
	    json_object_new_int(v->master_pid));
	json_object_object_add(x, "start_time_ms",
	    json_object_new_int64(v->start_ms));
	json_object_object_add(x, "uptime_s",
	    json_object_new_int64(v->uptime_s));
	json_object_object_add(x, "generation",
	    json_object_new_int64(v->generation));
	return x;
}

/* The socket's own backlog when the gauge has it, else the configured. */
static int
pool_backlog(const struct vt_poolview *v)
{
	return v->queue_known ? (int)v->listen_backlog : v->limits.backlog;
}

static struct json_object *
pool_status_limits(const struct vt_poolview *v)
{
	const struct vt_limits *l = &v->limits;
	struct json_object     *x = json_object_new_object();

	json_object_object_add(x, "workers", json_object_new_int(l->workers));
	json_object_object_add(x, "max_requests",
	    json_object_new_int(l->max_requests));
	json_object_object_add(x, "request_timeout_s",
	    json_object_new_double(l->request_timeout));
	json_object_object_add(x, "shutdown_timeout_s",
	    json_object_new_double(l->shutdown_timeout));
	json_object_object_add(x, "read_timeout_s",
	    json_object_new_double(l->read_timeout));
	json_object_object_add(x, "slow_threshold_s",
	    json_object_new_double(l->slow_threshold));
	json_object_object_add(x, "backlog",
	    json_object_new_int(pool_backlog(v)));
	return x;
}

static struct json_object *
pool_status_workers(const struct vt_poolview *v)
{
	struct json_object     *x = json_object_new_object();

	json_object_object_add(x, "total", json_object_new_int((int)v->total));
	json_object_object_add(x, "idle", json_object_new_int((int)v->idle));
	json_object_object_add(x, "busy", json_object_new_int((int)v->busy));
	json_object_object_add(x, "reading",
	    json_object_new_int((int)v->by_state[VT_SLOT_READING]));
	json_object_object_add(x, "starting",
	    json_object_new_int((int)v->by_state[VT_SLOT_STARTING]));
	json_object_object_add(x, "exiting",
	    json_object_new_int((int)v->by_state[VT_SLOT_EXITING]));
	json_object_object_add(x, "max_busy", pool_u64(v->max_busy));
	json_object_object_add(x, "all_busy_count", pool_u64(v->all_busy));
	return x;
}

static struct json_object *
pool_status_counters(const struct vt_poolview *v)
{
	struct json_object     *x = json_object_new_object(), *y;
	int			i;

	json_object_object_add(x, "accepted", pool_u64(v->accepted));
	y = json_object_new_object();
	for (i = 1; i <= 5; i++) {
		char	k[4] = { (char)('0' + i), 'x', 'x', '\0' };

		json_object_object_add(y, k, pool_u64(v->by_class[i]));
	}
	json_object_object_add(x, "responses", y);
	y = json_object_new_object();
	for (i = 0; i < VT_RESTART_MAX; i++)
		json_object_object_add(y, vt_restart_cause_name(i),
		    pool_u64(v->restarts[i]));
	json_object_object_add(x, "restarts", y);
	json_object_object_add(x, "watchdog_kills",
	    pool_u64(v->restarts[VT_RESTART_WATCHDOG]));
	json_object_object_add(x, "slow_requests", pool_u64(v->slow_requests));
	json_object_object_add(x, "accept_errors", pool_u64(v->accept_errors));
	json_object_object_add(x, "bad_requests", pool_u64(v->bad_requests));
	json_object_object_add(x, "crash_backoffs",
	    pool_u64(v->crash_backoffs));
	json_object_object_add(x, "backoff_ms", pool_u64(v->backoff_ms));
	json_object_object_add(x, "queue_stall_ms",
	    pool_u64(v->queue_stall_ms));
	json_object_object_add(x, "listen_queue_errors",
	    pool_u64(v->listen_queue_errors));
	json_object_object_add(x, "log_dropped", pool_u64(v->log_dropped));
	json_object_object_add(x, "log_suppressed",
	    pool_u64(v->log_suppressed));
	return x;
}

static struct json_object *
pool_status_queue(const struct vt_poolview *v)
{
	struct json_object     *x = json_object_new_object();

	json_object_object_add(x, "current", v->queue_known ?
	    json_object_new_int64((int64_t)v->listen_queue) : NULL);
	json_object_object_add(x, "max", pool_u64(v->listen_queue_max));
	json_object_object_add(x, "backlog",
	    json_object_new_int(pool_backlog(v)));
	return x;
}

static struct json_object *
pool_status_recorder(const struct vt_poolview *v)
{
	const struct vt_recorder_state *r = &v->recorder;
	struct json_object	       *x = json_object_new_object();

	json_object_object_add(x, "pid", r->pid > 0 ?
	    json_object_new_int(r->pid) : NULL);
	json_object_object_add(x, "db_up", json_object_new_boolean(r->db_up));
	json_object_object_add(x, "rows_written", pool_u64(r->rows_written));
	json_object_object_add(x, "errors", pool_u64(r->errors));
	json_object_object_add(x, "lost_points", pool_u64(r->lost_points));
	json_object_object_add(x, "backfilled_rows",
	    pool_u64(r->backfilled_rows));
	json_object_object_add(x, "written_until_ms",
	    json_object_new_int64(r->written_until_ms));
	return x;
}

/*
 * Live push's publisher: off, only "enabled": false; on, whether the last
 * publication went through, the results by kind, the latency, and how
 * many subscribers nginx counted at the last one (null: not known).
 */
static struct json_object *
pool_status_live(const struct vt_poolview *v)
{
	const struct vt_live_state     *l = &v->live;
	struct json_object	       *x = json_object_new_object(), *y;
	int				i;

	json_object_object_add(x, "enabled", json_object_new_boolean(l->on));
	if (!l->on)
		return x;
	json_object_object_add(x, "up", json_object_new_boolean(l->up));
	y = json_object_new_object();
	for (i = 0; i < VT_LIVE_RESULTS; i++)
		json_object_object_add(y, vt_live_result_name(i),
		    pool_u64(l->results[i]));
	json_object_object_add(x, "published", y);
	json_object_object_add(x, "duration_ms_avg", l->count > 0 ?
	    json_object_new_double((double)l->sum_us / (double)l->count /
	    1000.0) : NULL);
	json_object_object_add(x, "last_ok_ms", l->last_ok_ms > 0 ?
	    json_object_new_int64(l->last_ok_ms) : NULL);
	json_object_object_add(x, "failing_since_ms", l->failing_since_ms > 0 ?
	    json_object_new_int64(l->failing_since_ms) : NULL);
	json_object_object_add(x, "subscribers", l->up && l->subscribers >= 0 ?
	    json_object_new_int64(l->subscribers) : NULL);
	return x;
}

struct json_object *
vt_poolview_status(const struct vt_poolview *v)
{
	struct json_object     *o = json_object_new_object(), *slots;
	size_t			i;

	json_object_object_add(o, "pool", pool_status_pool(v));
	json_object_object_add(o, "limits", pool_status_limits(v));
	json_object_object_add(o, "workers", pool_status_workers(v));
	json_object_object_add(o, "counters", pool_status_counters(v));
	json_object_object_add(o, "listen_queue", pool_status_queue(v));
	json_object_object_add(o, "recorder", pool_status_recorder(v));
	json_object_object_add(o, "live", pool_status_live(v));
	if (v->slots == NULL)
		return o;
	slots = json_object_new_array();
	for (i = 0; i < v->nslots; i++)
		json_object_array_add(slots,
		    pool_status_slot(&v->slots[i], v->now_mono_ms));
	json_object_object_add(o, "slots", slots);
	return o;
}

/* Prometheus. */

/*
 * The series of one histogram of the family just announced, in
 * vt_hist_bounds' buckets (hist has one more: +Inf), labelled
 * label="value" when label is not NULL.
 */
static void
pool_prom_hist(struct vt_prom *w, const char *label, const char *value,
    const uint64_t *hist, uint64_t sum_us, uint64_t count)
{
	uint64_t	cum = 0;
	int		b;

	for (b = 0; b < VT_HIST_BUCKETS; b++) {
		cum += hist[b];
		vt_prom_begin_sub(w, "_bucket");
		if (label != NULL)
			vt_prom_label(w, label, value);
		vt_prom_label_dbl(w, "le", vt_hist_bounds[b]);
		vt_prom_end_u64(w, cum);
	}
	cum += hist[VT_HIST_BUCKETS];
	/* Counts race the buckets a little; keep +Inf == count. */
	if (count < cum)
		count = cum;
	vt_prom_begin_sub(w, "_bucket");
	if (label != NULL)
		vt_prom_label(w, label, value);
	vt_prom_label(w, "le", "+Inf");
	vt_prom_end_u64(w, count);
	vt_prom_begin_sub(w, "_sum");
	if (label != NULL)
		vt_prom_label(w, label, value);
	vt_prom_end_fixed(w, sum_us, 6);
	vt_prom_begin_sub(w, "_count");
	if (label != NULL)
		vt_prom_label(w, label, value);
	vt_prom_end_u64(w, count);
}

static void
pool_prom_routes(struct vt_prom *w, const struct vt_poolview *v)
{
	const struct vt_route  *routes;
	size_t			n, i;
	int			cls;

	routes = vt_routes(&n);
	vt_prom_family(w, "vitals_http_requests_total", "counter",
	    "Requests served by the pool, by endpoint and status class.");
	for (i = 0; i <= n; i++) {
		const char		       *name = i < n ? routes[i].name :
		    "unmatched";
		const struct vt_route_stats    *r = &v->routes[i < n ?
		    routes[i].id : VT_ROUTE_UNMATCHED];

		for (cls = 1; cls <= 5; cls++) {
			char	code[4] = { (char)('0' + cls), 'x', 'x', '\0' };

			if (r->by_class[cls] == 0 && cls != 2)
				continue;
			vt_prom_begin(w);
			vt_prom_label(w, "endpoint", name);
			vt_prom_label(w, "code", code);
			vt_prom_end_u64(w, r->by_class[cls]);
		}
	}
	vt_prom_family(w, "vitals_http_request_duration_seconds", "histogram",
	    "Time from accept to the end of the reply, by endpoint.");
	/* The family is announced before any request, as it always was. */
	vt_prom_header(w);
	for (i = 0; i <= n; i++) {
		const char		       *name = i < n ? routes[i].name :
		    "unmatched";
		const struct vt_route_stats    *r = &v->routes[i < n ?
		    routes[i].id : VT_ROUTE_UNMATCHED];

		if (r->count == 0)
			continue;	/* a route never asked for: no series */
		pool_prom_hist(w, "endpoint", name, r->hist, r->sum_us,
		    r->count);
	}
}

/* The single-valued counters and gauges of the view. */
struct pool_scalar {
	const char     *name;
	const char     *type;
	const char     *help;
	size_t		off;	/* of a uint64_t in struct vt_poolview */
	int		queue;	/* a reading of the queue: left out unknown */
};

/* A field of the view; VIEW_QUEUE: a reading of the queue. */
#define VIEW_OFF(field)		offsetof(struct vt_poolview, field), 0
#define VIEW_QUEUE(field)	offsetof(struct vt_poolview, field), 1

static const struct pool_scalar pool_scalars[] = {
	{ "vitals_workers_max_busy", "gauge",
	  "Most workers busy at once since the pool started.",
	  VIEW_OFF(max_busy) },
	{ "vitals_workers_all_busy_total", "counter",
	  "Times a request found every worker busy.", VIEW_OFF(all_busy) },
	{ "vitals_connections_accepted_total", "counter",
	  "Connections accepted from nginx.", VIEW_OFF(accepted) },
	{ "vitals_slow_requests_total", "counter",
	  "Requests that took longer than slow_threshold.",
	  VIEW_OFF(slow_requests) },
	{ "vitals_accept_errors_total", "counter",
	  "accept(2) failures (EMFILE and the like).",
	  VIEW_OFF(accept_errors) },
	{ "vitals_listen_queue", "gauge",
	  "Connections waiting in the listening socket's queue.",
	  VIEW_QUEUE(listen_queue) },
	{ "vitals_listen_queue_max", "gauge", "Longest listen queue seen.",
	  VIEW_OFF(listen_queue_max) },
	{ "vitals_listen_backlog", "gauge",
	  "Size of the listening socket's queue.",
	  VIEW_QUEUE(listen_backlog) },
	{ "vitals_listen_queue_errors_total", "counter",
	  "Failed reads of the listening socket's queue (sock_diag).",
	  VIEW_OFF(listen_queue_errors) },
	{ "vitals_log_lines_dropped_total", "counter",
	  "Log lines dropped because the log's reader had no room for them.",
	  VIEW_OFF(log_dropped) },
	{ "vitals_log_lines_suppressed_total", "counter",
	  "Log lines held back by the per-event rate limit.",
	  VIEW_OFF(log_suppressed) },
	{ "vitals_recorder_rows_written_total", "counter",
	  "History rows the recorder wrote to MariaDB.",
	  VIEW_OFF(recorder.rows_written) },
	{ "vitals_recorder_errors_total", "counter", "Failed history writes.",
	  VIEW_OFF(recorder.errors) },
	{ "vitals_recorder_lost_points_total", "counter",
	  "Samples that fell off the ring before they were written.",
	  VIEW_OFF(recorder.lost_points) },
};

#undef VIEW_OFF
#undef VIEW_QUEUE

/* Live push's publisher, when it is on (live_socket set). */
static void
pool_prom_live(struct vt_prom *w, const struct vt_live_state *l)
{
	int	i;

	if (!l->on)
		return;
	vt_prom_family(w, "vitals_live_publish_total", "counter",
	    "Samples the master published to nginx for /api/live, by result "
	    "(skipped: not tried, backing off after failures).");
	for (i = 0; i < VT_LIVE_RESULTS; i++) {
		vt_prom_begin(w);
		vt_prom_label(w, "result", vt_live_result_name(i));
		vt_prom_end_u64(w, l->results[i]);
	}
	vt_prom_family(w, "vitals_live_publish_duration_seconds", "histogram",
	    "Time from the start of a publication to the end of nginx's "
	    "answer, or to its failure.");
	vt_prom_header(w);
	pool_prom_hist(w, NULL, NULL, l->hist, l->sum_us, l->count);
	vt_prom_family(w, "vitals_live_up", "gauge",
	    "1 when the last publication to nginx succeeded.");
	vt_prom_u64(w, l->up ? 1 : 0);
	if (l->up && l->subscribers >= 0) {
		vt_prom_family(w, "vitals_live_subscribers", "gauge",
		    "Subscribers of /api/live, as nginx counted them at the "
		    "last publication.");
		vt_prom_u64(w, (uint64_t)l->subscribers);
	}
}

int
vt_poolview_prom(const struct vt_poolview *v, struct vt_buf *out)
{
	struct vt_prom	w;
	size_t		k;
	int		i;

	vt_prom_init(&w, out, VT_PROM_NAMES_NODE);
	pool_prom_routes(&w, v);
	vt_prom_family(&w, "vitals_workers", "gauge",
	    "Worker processes by state.");
	for (i = VT_SLOT_STARTING; i <= VT_SLOT_EXITING; i++) {
		vt_prom_begin(&w);
		vt_prom_label(&w, "state", vt_slot_state_name((uint32_t)i));
		vt_prom_end_u64(&w, v->by_state[i]);
	}
	vt_prom_family(&w, "vitals_worker_restarts_total", "counter",
	    "Workers replaced, by cause.");
	for (i = 0; i < VT_RESTART_MAX; i++) {
		vt_prom_begin(&w);
		vt_prom_label(&w, "cause", vt_restart_cause_name(i));
		vt_prom_end_u64(&w, v->restarts[i]);
	}
	vt_prom_family(&w, "vitals_health_probes_total", "counter",
	    "Database health probes run, by result.");
	for (i = VT_DB_OK; i <= VT_DB_ERROR; i++) {
		vt_prom_begin(&w);
		vt_prom_label(&w, "result", vt_db_err_name((enum vt_db_err)i));
		vt_prom_end_u64(&w, v->health_results[i]);
	}
	for (k = 0; k < VT_ARRAY_LEN(pool_scalars); k++) {
		const struct pool_scalar       *p = &pool_scalars[k];

		if (p->queue && !v->queue_known)
			continue;
		vt_prom_family(&w, p->name, p->type, p->help);
		vt_prom_u64(&w, *(const uint64_t *)(const void *)
		    ((const char *)v + p->off));
	}
	/*
	 * The build, as Prometheus' own *_build_info families: constant 1,
	 * the facts in labels, to join on (version changes during a fleet's
	 * upgrade show as two series).
	 */
	vt_prom_family(&w, "vitals_build_info", "gauge",
	    "A metric with a constant '1' value labeled by the version of "
	    "Vitals, the compiler and the json-c library it runs with.");
	vt_prom_begin(&w);
	vt_prom_label(&w, "compiler", VT_COMPILER);
	vt_prom_label(&w, "json_c", json_c_version());
	vt_prom_label(&w, "version", PACKAGE_VERSION);
	vt_prom_end_u64(&w, 1);
	vt_prom_family(&w, "vitals_worker_crash_backoffs_total", "counter",
	    "Times the master backed off before starting workers that died "
	    "at start (a crash loop).");
	vt_prom_u64(&w, v->crash_backoffs);
	vt_prom_family(&w, "vitals_pool_backoff_seconds", "gauge",
	    "How long until the crash loop's back-off lets the master start "
	    "workers again; 0 when it is not backing off.");
	vt_prom_begin(&w);
	vt_prom_end_fixed(&w, v->backoff_ms, 3);
	if (v->queue_known) {
		vt_prom_family(&w, "vitals_listen_queue_stalled_seconds",
		    "gauge", "How long connections have waited in the pool's "
		    "socket with none accepted; 0 when the pool is taking "
		    "them.");
		vt_prom_begin(&w);
		vt_prom_end_fixed(&w, v->queue_stall_ms, 3);
	}
	pool_prom_live(&w, &v->live);
	vt_prom_family(&w, "vitals_start_time_seconds", "gauge",
	    "When the pool started, in seconds since the epoch.");
	vt_prom_begin(&w);
	vt_prom_end_fixed(&w, v->start_ms > 0 ? (uint64_t)v->start_ms : 0, 3);
	return vt_prom_finish(&w);
}

/* A view taken now, for /metrics before the master's first tick. */

int
vt_pool_prom(const struct vt_shm *shm, struct vt_buf *out)
{
	struct vt_poolview	v;

	vt_poolview_fill(&v, shm, vt_mono_ms(), NULL, 0);
	return vt_poolview_prom(&v, out);
}

/*
 * poolview-t.c: the pool view over a scoreboard built in memory (the
 * master's own vt_shm_create): one walk counts the slots by state, skips
 * empty, unknown and torn ones, and copies the live ones for ?full; the
 * restarts are summed over every cause; the listen queue is the master's
 * gauge, null in /status until the master has read it.  Then the three
 * renderings: the /api/metrics "pool" member byte for byte, the /status
 * document, and the vitals_* families (their lines, the histogram, the
 * numbers written the same in any locale, `promtool check metrics` when
 * it is on PATH, and an overflow that leaves the buffer as it was).
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "poolview.h"
#include "router.h"
#include "scoreboard.h"
#include "expo.h"
#include "tap.h"

#define NOW_MONO	5000000		/* the views' clock, ms */

static void	set_slot(struct vt_shm *shm, int i, uint32_t state, int pid,
		    const char *path);
static int	route_id(const char *name);
static void	build(struct vt_shm *shm);
static int	count_prefix(const char *text, const char *prefix);
static struct json_object *get(struct json_object *o, const char *path);
static void	check_view(const struct vt_poolview *v);
static void	check_json(const struct vt_poolview *v);
static void	check_status(struct vt_shm *shm, const struct vt_poolview *v);
static void	check_prom(struct vt_shm *shm, const struct vt_poolview *v);

static void
set_slot(struct vt_shm *shm, int i, uint32_t state, int pid,
    const char *path)
{
	struct vt_slot	*s = &shm->slots[i];

	vt_slot_write_begin(s);
	s->state = state;
	s->pid = pid;
	s->generation = 3;
	s->started_ms = 1700000000000 + i;
	s->requests = 10 * (uint64_t)i;
	if (path != NULL) {
		snprintf(s->method, sizeof(s->method), "GET");
		snprintf(s->path, sizeof(s->path), "%s", path);
		snprintf(s->request_id, sizeof(s->request_id), "id%d", i);
		s->req_start_ms = 1700000100000;
		s->req_start_mono_ms = NOW_MONO - 1250;
	}
	vt_slot_write_end(s);
}

static int
route_id(const char *name)
{
	const struct vt_route	*routes;
	size_t			 n, i;

	routes = vt_routes(&n);
	for (i = 0; i < n; i++)
		if (strcmp(routes[i].name, name) == 0)
			return routes[i].id;
	bail("no route named %s", name);
}

/*
 * Eight slots: idle, busy, reading, empty, starting, exiting, idle, and
 * one whose writer died mid-write (its counter stays odd).
 */
static void
build(struct vt_shm *shm)
{
	struct vt_limits	l = { 4, 1000, 20, 5, 2.5, 0.25, 511 };
	int			st = route_id("status");

	shm->master_pid = 1234;
	shm->generation = 3;
	shm->pool_start_ms = 1700000000123;
	shm->pool_start_mono_ms = NOW_MONO - 3725999;
	vt_limits_set(shm, &l);
	set_slot(shm, 0, VT_SLOT_IDLE, 100, NULL);
	set_slot(shm, 1, VT_SLOT_BUSY, 101, "/status");
	set_slot(shm, 2, VT_SLOT_READING, 102, "/metrics");
	set_slot(shm, 4, VT_SLOT_STARTING, 104, NULL);
	set_slot(shm, 5, VT_SLOT_EXITING, 105, NULL);
	set_slot(shm, 6, VT_SLOT_IDLE, 106, NULL);
	set_slot(shm, 7, VT_SLOT_BUSY, 107, "/torn");
	vt_slot_write_begin(&shm->slots[7]);
	__atomic_store_n(&shm->slot_hwm, 8, __ATOMIC_RELEASE);

	shm->c.accepted = 98765;
	shm->c.restarts[VT_RESTART_EXIT] = 2;
	shm->c.restarts[VT_RESTART_SIGNAL] = 1;
	shm->c.restarts[VT_RESTART_WATCHDOG] = 3;
	shm->c.restarts[VT_RESTART_RECYCLE] = 5;
	shm->c.slow_requests = 4;
	shm->c.accept_errors = 6;
	shm->c.bad_requests = 1;
	shm->c.crash_backoffs = 2;
	shm->c.max_busy = 3;
	shm->c.all_busy = 7;
	shm->c.listen_queue = 4;
	shm->c.listen_queue_max = 9;
	shm->c.listen_queue_errors = 5;
	shm->c.log_dropped = 7;
	shm->c.log_suppressed = 11;
	shm->c.listen_backlog = 128;
	shm->health.results[VT_DB_OK] = 10;
	shm->health.results[VT_DB_TIMEOUT] = 2;
	shm->recorder.pid = 999;
	shm->recorder.db_up = 1;
	shm->recorder.rows_written = 77;
	shm->recorder.errors = 1;
	shm->recorder.lost_points = 2;
	shm->recorder.backfilled_rows = 5;
	shm->recorder.written_until_ms = 1700000000000;

	/* /status: 0.3 ms, 2 ms, and 7 s (past the last bound: +Inf). */
	vt_route_record(shm, st, 200, 300);
	vt_route_record(shm, st, 200, 2000);
	vt_route_record(shm, st, 500, 7000000);
	vt_route_record(shm, VT_ROUTE_UNMATCHED, 404, 50);
}

/* How many lines of text start with prefix. */
static int
count_prefix(const char *text, const char *prefix)
{
	const char	*p;
	size_t		 n = strlen(prefix);
	int		 k = 0;

	for (p = text; *p != '\0'; p++) {
		if (strncmp(p, prefix, n) == 0)
			k++;
		if ((p = strchr(p, '\n')) == NULL)
			break;
	}
	return k;
}

/* The member at a dotted path, or NULL (absent or JSON null). */
static struct json_object *
get(struct json_object *o, const char *path)
{
	char	 buf[128], *k, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k != NULL && o != NULL;
	    k = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &o))
			return NULL;
	}
	return o;
}

static void
check_view(const struct vt_poolview *v)
{
	static const int	live[] = { 0, 1, 2, 4, 5, 6 };
	size_t			i;

	is_int(v->total, 6, "six live slots: empty, torn and unknown left out");
	is_int(v->idle, 2, "two idle");
	is_int(v->busy, 2, "busy counts reading and busy");
	is_int(v->by_state[VT_SLOT_READING], 1, "one reading");
	is_int(v->by_state[VT_SLOT_STARTING], 1, "one starting");
	is_int(v->by_state[VT_SLOT_EXITING], 1, "one exiting");
	is_int(v->by_state[VT_SLOT_EMPTY], 0, "empty slots are not counted");
	is_int((long long)v->nslots, 6, "the walk copied the six live slots");
	for (i = 0; i < VT_ARRAY_LEN(live) && i < v->nslots; i++)
		is_int(v->slots[i].index, live[i], "copy %zu is slot %d", i,
		    live[i]);
	is_int((long long)v->restarts_total, 11, "restarts summed over causes");
	is_int((long long)v->restarts[VT_RESTART_WATCHDOG], 3,
	    "watchdog restarts");
	ok(v->queue_known, "the master's gauge is known");
	is_int((long long)v->listen_queue, 4, "listen queue from the gauge");
	is_int((long long)v->listen_backlog, 128, "backlog from the gauge");
	is_int(v->uptime_s, 3725, "uptime from the monotonic start");
	is_int(v->limits.backlog, 511, "the limits");
	is_int((long long)v->routes[route_id("status")].count, 3,
	    "the route's count");
	is_int((long long)v->recorder.rows_written, 77, "the recorder's rows");
}

static void
check_json(const struct vt_poolview *v)
{
	struct vt_buf	b;

	vt_buf_init(&b, 64, 4096);
	ok(vt_buf_adds(&b, "x") == VT_OK && vt_poolview_json(v, &b) == VT_OK,
	    "pool JSON renders");
	if (!ok(vt_buf_add(&b, "", 1) == VT_OK && strcmp(b.data,
	    "x{\"workers\":6,\"idle\":2,\"busy\":2,\"accepted\":98765,"
	    "\"restarts\":11,\"watchdog_kills\":3,\"slow_requests\":4,"
	    "\"listen_queue\":4,\"listen_queue_max\":9,"
	    "\"listen_backlog\":128,\"uptime_s\":3725}") == 0,
	    "pool JSON, appended byte for byte"))
		diag("got %s", b.data);
	vt_buf_free(&b);
	vt_buf_init(&b, 16, 32);
	ok(vt_buf_adds(&b, "keep") == VT_OK &&
	    vt_poolview_json(v, &b) == VT_ERR && b.len == 4,
	    "pool JSON too large for the buffer: an error, the buffer as it "
	    "was");
	vt_buf_free(&b);
}

static void
check_status(struct vt_shm *shm, const struct vt_poolview *v)
{
	struct vt_poolview	w;
	struct json_object     *o;

	o = vt_poolview_status(v);
	is_int(json_object_get_int(get(o, "pool.master_pid")), 1234,
	    "status: pool.master_pid");
	is_int(json_object_get_int64(get(o, "pool.start_time_ms")),
	    1700000000123, "status: pool.start_time_ms");
	is_int(json_object_get_int(get(o, "pool.uptime_s")), 3725,
	    "status: pool.uptime_s");
	is_int(json_object_get_int(get(o, "limits.max_requests")), 1000,
	    "status: limits.max_requests");
	is_dbl(json_object_get_double(get(o, "limits.read_timeout_s")), 2.5,
	    1e-9, "status: limits.read_timeout_s");
	is_int(json_object_get_int(get(o, "limits.backlog")), 128,
	    "status: limits.backlog is the socket's");
	is_int(json_object_get_int(get(o, "workers.total")), 6,
	    "status: workers.total");
	is_int(json_object_get_int(get(o, "workers.busy")), 2,
	    "status: workers.busy");
	is_int(json_object_get_int(get(o, "workers.all_busy_count")), 7,
	    "status: workers.all_busy_count");
	is_int(json_object_get_int(get(o, "counters.restarts.recycle")), 5,
	    "status: counters.restarts.recycle");
	is_int(json_object_get_int(get(o, "counters.watchdog_kills")), 3,
	    "status: counters.watchdog_kills");
	is_int(json_object_get_int(get(o, "counters.responses.2xx")), 2,
	    "status: counters.responses.2xx");
	is_int(json_object_get_int(get(o, "counters.responses.4xx")), 1,
	    "status: counters.responses.4xx");
	is_int(json_object_get_int(get(o, "listen_queue.current")), 4,
	    "status: listen_queue.current");
	is_int(json_object_get_int(get(o, "listen_queue.max")), 9,
	    "status: listen_queue.max");
	is_int(json_object_get_int(get(o, "recorder.pid")), 999,
	    "status: recorder.pid");
	ok(json_object_get_boolean(get(o, "recorder.db_up")),
	    "status: recorder.db_up");
	is_int((long long)json_object_array_length(get(o, "slots")), 6,
	    "status: six slots");
	is_str(json_object_get_string(get(o, "slots.1.state")), "busy",
	    "status: the second is busy");
	is_str(json_object_get_string(get(o, "slots.1.request.path")),
	    "/status", "status: serving /status");
	is_int(json_object_get_int(get(o, "slots.1.request.duration_ms")),
	    1250, "status: for 1250 ms");
	ok(get(o, "slots.0.request") == NULL, "status: an idle slot has no "
	    "request");
	is_int(json_object_get_int(get(o, "slots.3.slot")), 4,
	    "status: the empty slot 3 is skipped");
	json_object_put(o);

	/* Before the master's first read of the socket; without ?full. */
	shm->c.listen_queue = 0;
	shm->c.listen_backlog = 0;
	vt_poolview_fill(&w, shm, NOW_MONO, NULL, 0);
	o = vt_poolview_status(&w);
	ok(!w.queue_known, "no gauge yet: not known");
	ok(json_object_object_get_ex(get(o, "listen_queue"), "current", NULL) &&
	    get(o, "listen_queue.current") == NULL,
	    "status: listen_queue.current is null");
	is_int(json_object_get_int(get(o, "listen_queue.backlog")), 511,
	    "status: listen_queue.backlog is the configured one");
	is_int(json_object_get_int(get(o, "limits.backlog")), 511,
	    "status: limits.backlog is the configured one");
	ok(get(o, "slots") == NULL, "status: no slots without ?full");
	is_int(json_object_get_int64(get(o, "counters.listen_queue_errors")), 5,
	    "status: counters.listen_queue_errors");
	is_int(json_object_get_int64(get(o, "counters.log_dropped")), 7,
	    "status: counters.log_dropped");
	is_int(json_object_get_int64(get(o, "counters.log_suppressed")), 11,
	    "status: counters.log_suppressed");
	json_object_put(o);
	{
		struct vt_buf	b;

		vt_buf_init(&b, 1024, 1 << 20);
		ok(vt_poolview_prom(&w, &b) == VT_OK &&
		    strstr(b.data, "\nvitals_listen_queue ") == NULL &&
		    strstr(b.data, "\nvitals_listen_backlog ") == NULL &&
		    strstr(b.data, "\nvitals_listen_queue_max 9\n") != NULL,
		    "prom: an unknown queue is left out, not a false 0");
		vt_buf_free(&b);
	}
	shm->c.listen_queue = 4;
	shm->c.listen_backlog = 128;
}

static void
check_prom(struct vt_shm *shm, const struct vt_poolview *v)
{
	static const char	h[] = "vitals_http_request_duration_seconds";
	struct vt_poolview	empty;
	struct vt_buf		b, c;
	char			line[512], why[512];
	int			r;

	vt_buf_init(&b, 1024, 1 << 20);
	ok(vt_poolview_prom(v, &b) == VT_OK && vt_buf_add(&b, "", 1) == VT_OK,
	    "prom renders");
	b.len--;
	ok(expo_has_line(b.data, "vitals_http_requests_total{endpoint=\"status\","
	    "code=\"2xx\"} 2"), "prom: requests by endpoint and class");
	ok(expo_has_line(b.data, "vitals_http_requests_total{endpoint=\"status\","
	    "code=\"5xx\"} 1"), "prom: 5xx too");
	ok(expo_has_line(b.data, "vitals_http_requests_total{endpoint=\"metrics\","
	    "code=\"2xx\"} 0"), "prom: 2xx of a quiet route, as 0");
	ok(!expo_has_line(b.data, "vitals_http_requests_total{endpoint=\"metrics\","
	    "code=\"4xx\"} 0"), "prom: no other zero class");
	ok(expo_has_line(b.data, "vitals_http_requests_total{endpoint="
	    "\"unmatched\",code=\"4xx\"} 1"), "prom: unmatched");
	snprintf(line, sizeof(line), "%s_bucket{endpoint=\"status\","
	    "le=\"0.00025\"} 0", h);
	ok(expo_has_line(b.data, line), "prom: %s", line);
	snprintf(line, sizeof(line), "%s_bucket{endpoint=\"status\","
	    "le=\"0.0005\"} 1", h);
	ok(expo_has_line(b.data, line), "prom: %s", line);
	snprintf(line, sizeof(line), "%s_bucket{endpoint=\"status\","
	    "le=\"0.0025\"} 2", h);
	ok(expo_has_line(b.data, line), "prom: %s", line);
	snprintf(line, sizeof(line), "%s_bucket{endpoint=\"status\","
	    "le=\"5\"} 2", h);
	ok(expo_has_line(b.data, line), "prom: %s", line);
	snprintf(line, sizeof(line), "%s_bucket{endpoint=\"status\","
	    "le=\"+Inf\"} 3", h);
	ok(expo_has_line(b.data, line), "prom: %s", line);
	snprintf(line, sizeof(line), "%s_sum{endpoint=\"status\"} 7.002300", h);
	ok(expo_has_line(b.data, line), "prom: %s (exact microseconds)", line);
	snprintf(line, sizeof(line), "%s_count{endpoint=\"status\"} 3", h);
	ok(expo_has_line(b.data, line), "prom: %s", line);
	snprintf(line, sizeof(line), "%s_count{endpoint=\"metrics\"}", h);
	ok(strstr(b.data, line) == NULL, "prom: no series for a route never "
	    "asked for");
	is_int(count_prefix(b.data, h), 2 * (VT_HIST_BUCKETS + 3),
	    "prom: histogram lines for the two routes asked for");
	ok(expo_has_line(b.data, "vitals_workers{state=\"idle\"} 2") &&
	    expo_has_line(b.data, "vitals_workers{state=\"reading\"} 1") &&
	    expo_has_line(b.data, "vitals_workers{state=\"busy\"} 1"),
	    "prom: workers by state");
	ok(expo_has_line(b.data, "vitals_worker_restarts_total{cause=\"watchdog\"} "
	    "3"), "prom: restarts by cause");
	ok(expo_has_line(b.data, "vitals_health_probes_total{result=\"timeout\"} 2"),
	    "prom: health probes by result");
	ok(expo_has_line(b.data, "vitals_listen_queue 4") &&
	    expo_has_line(b.data, "vitals_listen_queue_max 9") &&
	    expo_has_line(b.data, "vitals_listen_backlog 128"),
	    "prom: the listen queue gauges");
	ok(expo_has_line(b.data, "vitals_connections_accepted_total 98765") &&
	    expo_has_line(b.data, "vitals_recorder_lost_points_total 2"),
	    "prom: the counters");
	ok(expo_has_line(b.data, "vitals_start_time_seconds 1700000000.123"),
	    "prom: start time in seconds, milliseconds exact");
	ok(expo_has_line(b.data, "vitals_listen_queue_errors_total 5") &&
	    expo_has_line(b.data, "vitals_log_lines_dropped_total 7") &&
	    expo_has_line(b.data, "vitals_log_lines_suppressed_total 11"),
	    "prom: queue read errors, dropped and suppressed log lines");
	snprintf(line, sizeof(line), "vitals_build_info{compiler=\"%s\","
	    "json_c=\"%s\",version=\"%s\"} 1", VT_COMPILER,
	    json_c_version(), PACKAGE_VERSION);
	ok(expo_has_line(b.data, line),
	    "prom: build info, the version and what it runs with");
	ok(count_prefix(b.data, "vitals_worker_crash_backoffs_total ") == 1 &&
	    expo_has_line(b.data, "vitals_pool_backoff_seconds 0.000") &&
	    expo_has_line(b.data, "vitals_listen_queue_stalled_seconds 0.000"),
	    "prom: the crash back-off and the stalled queue");
	/* 21, and the back-off pair and the stall gauge (queue known). */
	is_int(count_prefix(b.data, "# TYPE "), 24, "prom: 24 families");
	is_int(count_prefix(b.data, "# HELP "), 24, "prom: each with HELP");
	r = expo_promtool(b.data, b.len, 1, why, sizeof(why));
	if (r == -1)
		skip(1, "promtool is not on PATH");
	else if (!ok(r == 1, "prom: promtool check metrics finds nothing"))
		diag("%s", why);

	/* A comma locale, where it exists, changes no byte. */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL &&
	    setlocale(LC_NUMERIC, "fr_FR.UTF-8") == NULL)
		skip(1, "no locale with a decimal comma installed");
	else {
		vt_buf_init(&c, 1024, 1 << 20);
		ok(vt_poolview_prom(v, &c) == VT_OK && c.len == b.len &&
		    memcmp(c.data, b.data, b.len) == 0,
		    "prom: the same bytes under a decimal-comma locale");
		vt_buf_free(&c);
		setlocale(LC_NUMERIC, "C");
	}

	vt_buf_init(&c, 64, 4096);
	ok(vt_buf_adds(&c, "keep") == VT_OK &&
	    vt_poolview_prom(v, &c) == VT_ERR && c.len == 4,
	    "prom too large for the buffer: an error, the buffer as it was");
	vt_buf_free(&c);

	/* Before any request: the histogram is announced, with no series. */
	memset(shm->routes, 0, sizeof(shm->routes));
	vt_poolview_fill(&empty, shm, NOW_MONO, NULL, 0);
	vt_buf_reset(&b);
	ok(vt_poolview_prom(&empty, &b) == VT_OK &&
	    vt_buf_add(&b, "", 1) == VT_OK, "prom renders with no requests");
	snprintf(line, sizeof(line), "# TYPE %s histogram", h);
	ok(expo_has_line(b.data, line) && count_prefix(b.data, h) == 0,
	    "prom: the histogram's header alone");
	vt_buf_free(&b);
}

int
main(void)
{
	struct vt_poolview_slot	slots[VT_MAX_SLOTS];
	struct vt_poolview	v;
	struct vt_shm	       *shm;
	struct vt_buf		b;
	char			err[VT_ERRLEN];
	int			fd;

	if ((shm = vt_shm_create(-1, &fd, err, sizeof(err))) == NULL)
		bail("vt_shm_create: %s", err);
	build(shm);
	vt_poolview_fill(&v, shm, NOW_MONO, slots, VT_ARRAY_LEN(slots));
	check_view(&v);
	check_json(&v);
	check_status(shm, &v);

	vt_poolview_fill(&v, shm, NOW_MONO, slots, 2);
	is_int((long long)v.nslots, 2, "a short slot array: filled, no more");
	is_int(v.total, 6, "and every slot still counted");

	vt_buf_init(&b, 64, 1 << 20);
	ok(vt_pool_prom(shm, &b) == VT_OK && b.len > 0,
	    "vt_pool_prom: a view taken now");
	vt_buf_free(&b);

	vt_poolview_fill(&v, shm, NOW_MONO, NULL, 0);
	check_prom(shm, &v);
	close(fd);
	done_testing();
	return tap_exit_status();
}

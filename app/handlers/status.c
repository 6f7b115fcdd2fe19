/*
 * status.c: /status, the pool as JSON, like PHP-FPM's status page:
 * configured limits, pool counters, the listen queue (which PHP-FPM cannot
 * report for a Unix socket), and with ?full one entry per worker slot.
 */
#include "config.h"

#include <string.h>

#include "clock.h"
#include "handlers/handlers.h"
#include "qlen.h"
#include "scoreboard.h"

static struct json_object *
status_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static struct json_object *
status_slot(const struct vt_slot *s, int i, int64_t now_mono)
{
	struct json_object     *o = json_object_new_object();

	json_object_object_add(o, "slot", json_object_new_int(i));
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "state",
	    json_object_new_string(vt_slot_state_name(s->state)));
	json_object_object_add(o, "generation",
	    json_object_new_int64(s->generation));
	json_object_object_add(o, "started_at_ms",
	    json_object_new_int64(s->started_ms));
	json_object_object_add(o, "requests", status_u64(s->requests));
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
		    json_object_new_int64(now_mono - s->req_start_mono_ms));
		json_object_object_add(o, "request", q);
	}
	return o;
}

int
vt_handle_status(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_shm	       *shm = req->ctx->shm;
	struct vt_counters     *c = &shm->c;
	struct vt_limits	lim;
	struct json_object     *o, *x, *y, *slots = NULL;
	uint32_t		queued = 0, backlog = 0;
	int64_t			now = vt_mono_ms();
	unsigned		counts[VT_SLOT_EXITING + 1];
	int			i, full, have_q;

	full = vt_query_get(&req->query, "full") != NULL;
	vt_limits_get(shm, &lim);
	memset(counts, 0, sizeof(counts));
	if (full)
		slots = json_object_new_array();
	for (i = 0; i < vt_slot_hwm(shm); i++) {
		struct vt_slot	s;

		if (vt_slot_read(&shm->slots[i], &s) == VT_ERR ||
		    s.state == VT_SLOT_EMPTY || s.state > VT_SLOT_EXITING)
			continue;
		counts[s.state]++;
		if (full)
			json_object_array_add(slots, status_slot(&s, i, now));
	}
	have_q = vt_qlen_read(req->ctx->listen_fd, &queued, &backlog) == VT_OK;
	if (have_q)
		vt_count_max(&c->listen_queue_max, queued);

	o = json_object_new_object();
	x = json_object_new_object();
	json_object_object_add(x, "master_pid",
	    json_object_new_int(shm->master_pid));
	json_object_object_add(x, "start_time_ms",
	    json_object_new_int64(shm->pool_start_ms));
	json_object_object_add(x, "uptime_s",
	    json_object_new_int64((now - shm->pool_start_mono_ms) / 1000));
	json_object_object_add(x, "generation",
	    json_object_new_int64(shm->generation));
	json_object_object_add(o, "pool", x);

	x = json_object_new_object();
	json_object_object_add(x, "workers", json_object_new_int(lim.workers));
	json_object_object_add(x, "max_requests",
	    json_object_new_int(lim.max_requests));
	json_object_object_add(x, "request_timeout_s",
	    json_object_new_double(lim.request_timeout));
	json_object_object_add(x, "shutdown_timeout_s",
	    json_object_new_double(lim.shutdown_timeout));
	json_object_object_add(x, "read_timeout_s",
	    json_object_new_double(lim.read_timeout));
	json_object_object_add(x, "slow_threshold_s",
	    json_object_new_double(lim.slow_threshold));
	json_object_object_add(x, "backlog", json_object_new_int(
	    have_q ? (int)backlog : lim.backlog));
	json_object_object_add(o, "limits", x);

	x = json_object_new_object();
	json_object_object_add(x, "total", json_object_new_int(
	    (int)(counts[VT_SLOT_STARTING] + counts[VT_SLOT_IDLE] +
	    counts[VT_SLOT_READING] + counts[VT_SLOT_BUSY] +
	    counts[VT_SLOT_EXITING])));
	json_object_object_add(x, "idle",
	    json_object_new_int((int)counts[VT_SLOT_IDLE]));
	json_object_object_add(x, "busy", json_object_new_int(
	    (int)(counts[VT_SLOT_READING] + counts[VT_SLOT_BUSY])));
	json_object_object_add(x, "reading",
	    json_object_new_int((int)counts[VT_SLOT_READING]));
	json_object_object_add(x, "starting",
	    json_object_new_int((int)counts[VT_SLOT_STARTING]));
	json_object_object_add(x, "exiting",
	    json_object_new_int((int)counts[VT_SLOT_EXITING]));
	json_object_object_add(x, "max_busy", status_u64(vt_load(&c->max_busy)));
	json_object_object_add(x, "all_busy_count",
	    status_u64(vt_load(&c->all_busy)));
	json_object_object_add(o, "workers", x);

	x = json_object_new_object();
	json_object_object_add(x, "accepted", status_u64(vt_load(&c->accepted)));
	y = json_object_new_object();
	for (i = 1; i <= 5; i++) {
		char	k[4] = { (char)('0' + i), 'x', 'x', '\0' };

		json_object_object_add(y, k, status_u64(vt_load(&c->by_class[i])));
	}
	json_object_object_add(x, "responses", y);
	y = json_object_new_object();
	for (i = 0; i < VT_RESTART_MAX; i++)
		json_object_object_add(y, vt_restart_cause_name(i),
		    status_u64(vt_load(&c->restarts[i])));
	json_object_object_add(x, "restarts", y);
	json_object_object_add(x, "watchdog_kills",
	    status_u64(vt_load(&c->restarts[VT_RESTART_WATCHDOG])));
	json_object_object_add(x, "slow_requests",
	    status_u64(vt_load(&c->slow_requests)));
	json_object_object_add(x, "accept_errors",
	    status_u64(vt_load(&c->accept_errors)));
	json_object_object_add(x, "bad_requests",
	    status_u64(vt_load(&c->bad_requests)));
	json_object_object_add(x, "crash_backoffs",
	    status_u64(vt_load(&c->crash_backoffs)));
	json_object_object_add(o, "counters", x);

	x = json_object_new_object();
	json_object_object_add(x, "current", have_q ?
	    json_object_new_int64(queued) : NULL);
	json_object_object_add(x, "max",
	    status_u64(vt_load(&c->listen_queue_max)));
	json_object_object_add(x, "backlog", have_q ?
	    json_object_new_int64(backlog) : json_object_new_int(lim.backlog));
	json_object_object_add(o, "listen_queue", x);

	x = json_object_new_object();
	json_object_object_add(x, "pid", shm->recorder.pid > 0 ?
	    json_object_new_int(shm->recorder.pid) : NULL);
	json_object_object_add(x, "db_up",
	    json_object_new_boolean(shm->recorder.db_up));
	json_object_object_add(x, "rows_written",
	    status_u64(vt_load(&shm->recorder.rows_written)));
	json_object_object_add(x, "errors",
	    status_u64(vt_load(&shm->recorder.errors)));
	json_object_object_add(x, "lost_points",
	    status_u64(vt_load(&shm->recorder.lost_points)));
	json_object_object_add(x, "backfilled_rows",
	    status_u64(vt_load(&shm->recorder.backfilled_rows)));
	json_object_object_add(x, "written_until_ms",
	    json_object_new_int64(shm->recorder.written_until_ms));
	json_object_object_add(o, "recorder", x);

	if (full)
		json_object_object_add(o, "slots", slots);
	r->cache_control = "no-store";
	return vt_reply_json(r, 200, o);
}

/*
 * health.c: /health/live, the pool answers (no database); /health, the
 * database answers within its deadline (single-flight, see health.h);
 * /health/ready, the pool can take traffic.
 */
#include "config.h"

#include <unistd.h>

#include "clock.h"
#include "conf.h"
#include "db.h"
#include "handlers/handlers.h"
#include "health.h"
#include "scoreboard.h"

int
vt_handle_health_live(const struct vt_request *req, struct vt_reply *r)
{
	struct json_object     *o = json_object_new_object();
	int64_t			up = 0;

	if (req->ctx != NULL && req->ctx->shm != NULL)
		up = (vt_mono_ms() - req->ctx->shm->pool_start_mono_ms) / 1000;
	json_object_object_add(o, "status", json_object_new_string("ok"));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "uptime_s", json_object_new_int64(up));
	r->cache_control = "no-store";
	return vt_reply_json(r, 200, o);
}

static int
health_reply(struct vt_reply *r, const struct vt_health_result *h,
    enum vt_health_source src, struct json_object *extra)
{
	static const char *const sources[] = {
		"cached", "probed", "shared", "in_flight"
	};
	struct json_object     *o = json_object_new_object();
	struct json_object     *db = json_object_new_object();
	int			okay = h->status == VT_DB_OK;

	json_object_object_add(o, "status",
	    json_object_new_string(okay ? "ok" : "error"));
	if (okay) {
		json_object_object_add(db, "time",
		    json_object_new_double(h->db_time));
		json_object_object_add(db, "latency_ms",
		    json_object_new_double(h->latency_ms));
		json_object_object_add(db, "schema_version",
		    json_object_new_int(h->schema_version));
	} else
		/* A category, never the driver's message: that is logged. */
		json_object_object_add(db, "error", json_object_new_string(
		    vt_db_err_name((enum vt_db_err)h->status)));
	json_object_object_add(o, "db", db);
	json_object_object_add(o, "checked_at",
	    json_object_new_double((double)h->checked_at_ms / 1000.0));
	json_object_object_add(o, "source",
	    json_object_new_string(sources[src]));
	if (extra != NULL)
		json_object_object_add(o, "ready", extra);
	r->cache_control = "no-store";
	return vt_reply_json(r, okay && extra == NULL ? 200 :
	    okay && json_object_get_boolean(json_object_object_get(extra,
	    "ok")) ? 200 : 503, o);
}

static enum vt_health_source
health_result(const struct vt_request *req, struct vt_health_result *h)
{
	const struct vt_conf   *c = req->ctx->conf;

	return vt_health_get(&req->ctx->shm->health, req->ctx->db,
	    c->db_config[0] != '\0' ? c->db_config : NULL, c->db_group,
	    c->health_timeout, c->health_cache, h);
}

int
vt_handle_health(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_health_result	h;
	enum vt_health_source	src = health_result(req, &h);

	return health_reply(r, &h, src, NULL);
}

/*
 * /health/ready: the database answers, the sampler is fresh (a sample in
 * the last three intervals) and another worker is idle to take traffic.
 */
int
vt_handle_health_ready(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_shm	       *shm = req->ctx->shm;
	struct vt_health_result	h;
	enum vt_health_source	src = health_result(req, &h);
	struct json_object     *x = json_object_new_object();
	int64_t			age;
	int			i, idle = 0, fresh;

	age = vt_mono_ms() - __atomic_load_n(&shm->sample_mono_ms,
	    __ATOMIC_ACQUIRE);
	fresh = shm->sample_mono_ms > 0 &&
	    age <= (int64_t)(3000 * req->ctx->conf->sample_interval);
	for (i = 0; i < vt_slot_hwm(shm); i++) {
		struct vt_slot	s;

		if (i != req->ctx->slot &&
		    vt_slot_read(&shm->slots[i], &s) == VT_OK &&
		    s.state == VT_SLOT_IDLE)
			idle++;
	}
	json_object_object_add(x, "sampler_fresh",
	    json_object_new_boolean(fresh));
	json_object_object_add(x, "sample_age_ms", shm->sample_mono_ms > 0 ?
	    json_object_new_int64(age) : NULL);
	json_object_object_add(x, "idle_workers", json_object_new_int(idle));
	json_object_object_add(x, "ok", json_object_new_boolean(fresh &&
	    idle > 0));
	return health_reply(r, &h, src, x);
}

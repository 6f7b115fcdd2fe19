/*
 * health.c: /health/live, the pool answers (no database).
 */
#include "config.h"

#include <unistd.h>

#include "clock.h"
#include "handlers/handlers.h"
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

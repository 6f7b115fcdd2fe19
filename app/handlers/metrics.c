/*
 * metrics.c: /api/metrics (JSON) and /metrics (Prometheus text).
 *
 * Both copy the document the master rendered on its last tick (the
 * host's figures and the pool's); /api/metrics adds the sample's age.
 * No /proc read and nothing rendered on this path.
 */
#include "config.h"

#include <string.h>

#include "clock.h"
#include "handlers/handlers.h"
#include "poolstats.h"
#include "scoreboard.h"

int
vt_handle_api_metrics(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_shm  *shm = req->ctx->shm;
	int64_t		stamp = 0;

	vt_buf_reset(r->body);
	if (vt_doc_copy(&shm->metrics_json, r->body, &stamp) == VT_ERR ||
	    r->body->len < 2 || r->body->data[r->body->len - 1] != '}')
		return vt_reply_error(r, 503, "no sample yet");
	/* Reopen the object for the one figure that is per request. */
	r->body->len--;
	if (vt_buf_printf(r->body, ",\"sample_age_ms\":%lld}\n",
	    (long long)(vt_wall_ms() - stamp)) == VT_ERR)
		return vt_reply_error(r, 500, "response too large");
	r->status = 200;
	r->content_type = "application/json";
	/* One second: nginx's micro-cache may serve it that long. */
	r->cache_control = "public, max-age=1";
	return 200;
}

int
vt_handle_metrics(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_shm  *shm = req->ctx->shm;

	vt_buf_reset(r->body);
	/*
	 * The host's and the pool's families, rendered on the master's tick.
	 * Before the first tick, the pool's families alone.
	 */
	if (vt_doc_copy(&shm->metrics_prom, r->body, NULL) == VT_ERR &&
	    vt_pool_prom(shm, req->ctx->listen_fd, r->body) == VT_ERR)
		return vt_reply_error(r, 500, "response too large");
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	r->cache_control = "no-store";
	return 200;
}

/*
 * status.c: /status, the pool as JSON, like PHP-FPM's status page:
 * configured limits, pool counters, the listen queue (which PHP-FPM cannot
 * report for a Unix socket), and with ?full one entry per worker slot.
 * The figures are a pool view (poolview.h), taken once per request.
 */
#include "config.h"

#include <stdlib.h>

#include "clock.h"
#include "handlers/handlers.h"
#include "poolview.h"

int
vt_handle_status(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_poolview	v;
	struct vt_poolview_slot *slots = NULL;
	int			status;

	/* ?full lists every slot: room for all of them, for this request. */
	if (vt_query_get(&req->query, "full") != NULL &&
	    (slots = calloc(VT_MAX_SLOTS, sizeof(*slots))) == NULL)
		return vt_reply_error(r, 500, "out of memory");
	vt_poolview_fill(&v, req->ctx->shm, vt_mono_ms(), slots,
	    slots != NULL ? VT_MAX_SLOTS : 0);
	r->cache_control = "no-store";
	status = vt_reply_json(r, 200, vt_poolview_status(&v));
	free(slots);
	return status;
}

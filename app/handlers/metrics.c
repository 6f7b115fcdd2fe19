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
#include "negotiate.h"
#include "poolview.h"
#include "render/openmetrics.h"
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
	/*
	 * One second: nginx's micro-cache keeps it that long, and then, for
	 * at most one more, answers others from it while one request fetches
	 * the next (without that, every request arriving during the refresh
	 * went to the pool: 20 to 70 a second at c=100).  The page asks with
	 * cache: 'no-store', so browsers are not told to wait.
	 */
	r->cache_control = "public, max-age=1, stale-while-revalidate=1";
	return 200;
}

/*
 * Copy the published document e into the body: VT_OK, or VT_ERR when
 * there is none (before the first tick, or its twin failed).
 */
static int
metrics_copy(struct vt_shm *shm, enum vt_expo e, struct vt_buf *body)
{
	vt_buf_reset(body);
	if (vt_doc_copy(&shm->metrics_prom[e], body, NULL) == VT_ERR ||
	    body->len == 0) {
		vt_buf_reset(body);
		return VT_ERR;
	}
	return VT_OK;
}

/*
 * Say that a scrape asked for document e, so that the master publishes
 * it on its next ticks (scoreboard.h).  Written at most once a second:
 * the scrapes of many workers do not share a cache line for nothing.
 */
static void
metrics_asked(struct vt_shm *shm, enum vt_expo e)
{
	int64_t	now = vt_mono_ms();

	if (now - __atomic_load_n(&shm->expo_asked_ms[e], __ATOMIC_RELAXED) >=
	    1000)
		__atomic_store_n(&shm->expo_asked_ms[e], now,
		    __ATOMIC_RELAXED);
}

/*
 * Turn body, the text format, into OpenMetrics, in this worker: the master
 * did not publish that form for this sample (nobody had asked for it for
 * a while; it does within a tenth of a second of being asked).  A
 * conversion is a pass over the text, a small part of what a gzip costs;
 * a missing gzipped form is not made here but answered uncompressed
 * (deflate's state is 260 KiB to set up, and a burst of scrapes that
 * each compressed held the workers: the bench's p99 doubled).  Returns
 * VT_OK, or VT_ERR with body unchanged.
 */
static int
metrics_openmetrics(struct vt_buf *body)
{
	struct vt_buf	out;
	int		rc;

	if (vt_buf_init(&out, body->len + 1024, VT_DOC_MAX) == VT_ERR)
		return VT_ERR;
	rc = vt_render_openmetrics(body->data, body->len, &out);
	if (rc == VT_OK) {
		vt_buf_reset(body);
		rc = vt_buf_add(body, out.data, out.len) == 0 ? VT_OK : VT_ERR;
	}
	vt_buf_free(&out);
	return rc;
}

int
vt_handle_metrics(const struct vt_request *req, struct vt_reply *r)
{
	static const char *const types[] = {
		[VT_EXPO_TEXT] = "text/plain; version=0.0.4; charset=utf-8",
		[VT_EXPO_OM] = "application/openmetrics-text; version=1.0.0; "
		    "charset=utf-8",
	};
	struct vt_shm  *shm = req->ctx->shm;
	enum vt_expo	e;
	int		gz;

	/*
	 * The host's and the pool's families, rendered on the master's tick:
	 * the scraper's Accept picks the format, its Accept-Encoding the
	 * compression (Prometheus asks for OpenMetrics and gzip), and the
	 * worker copies what the master published.  The master publishes the
	 * forms scrapes ask for (scoreboard.h); in the tenth of a second
	 * before it does, a scrape gets the nearest form published.
	 */
	e = vt_prefers_openmetrics(req->accept) ? VT_EXPO_OM : VT_EXPO_TEXT;
	gz = vt_accepts_gzip(req->accept_encoding);
	metrics_asked(shm, (enum vt_expo)(e + gz));
	if (metrics_copy(shm, (enum vt_expo)(e + gz), r->body) == VT_OK)
		goto send;
	/* Not published: uncompressed, and OpenMetrics from the text. */
	gz = 0;
	if (metrics_copy(shm, e, r->body) == VT_OK)
		goto send;
	if (metrics_copy(shm, VT_EXPO_TEXT, r->body) == VT_OK) {
		if (e == VT_EXPO_OM && metrics_openmetrics(r->body) == VT_ERR)
			e = VT_EXPO_TEXT;
	} else {
		/* Before the first tick: the pool's families alone, as text. */
		e = VT_EXPO_TEXT;
		if (vt_pool_prom(shm, r->body) == VT_ERR)
			return vt_reply_error(r, 500, "response too large");
	}
send:
	r->status = 200;
	r->content_type = types[e];
	r->cache_control = "no-store";
	if (gz)
		vt_reply_header(r, "Content-Encoding", "gzip");
	vt_reply_header(r, "Vary", "Accept, Accept-Encoding");
	return 200;
}

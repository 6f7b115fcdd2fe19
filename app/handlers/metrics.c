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
#include "gzip.h"
#include "handlers/handlers.h"
#include "negotiate.h"
#include "poolview.h"
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
 * Say that a scrape asked for the gzipped twin of document e, so that the
 * master compresses it on its next ticks (sampler.c).  Written at most
 * once a second: scrapes of many workers do not share a cache line for
 * nothing.
 */
static void
metrics_gz_asked(struct vt_shm *shm, enum vt_expo e)
{
	int64_t	now = vt_mono_ms();

	if (now - __atomic_load_n(&shm->gz_asked_ms[e], __ATOMIC_RELAXED) >=
	    1000)
		__atomic_store_n(&shm->gz_asked_ms[e], now, __ATOMIC_RELAXED);
}

/*
 * Compress body in place, in this worker: the master published no twin
 * (nobody had asked for a while, or its compression failed).  The
 * deflate state (260 KiB) and the output live for the call only; this
 * is the first scrape after a quiet spell, not every one.  Returns VT_OK,
 * or VT_ERR with body unchanged.
 */
static int
metrics_gzip(struct vt_buf *body)
{
	struct vt_gzip	g;
	struct vt_buf	out;
	int		rc = VT_ERR;

	if (vt_buf_init(&out, body->len / 4 + 1024, VT_DOC_MAX) == VT_ERR)
		return VT_ERR;
	if (vt_gzip_init(&g, VT_GZIP_LEVEL) == VT_OK) {
		if (vt_gzip(&g, body->data, body->len, &out) == VT_OK) {
			vt_buf_reset(body);
			rc = vt_buf_add(body, out.data, out.len) == 0 ?
			    VT_OK : VT_ERR;
		}
		vt_gzip_free(&g);
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
	 * The host's and the pool's families, rendered on the master's tick
	 * in both formats, each also gzipped while scrapers ask for it: the
	 * scraper's Accept picks the format, its Accept-Encoding the
	 * compression (Prometheus asks for both), and the worker only copies
	 * (or compresses, the first time after a quiet spell).
	 */
	e = vt_prefers_openmetrics(req->accept) ? VT_EXPO_OM : VT_EXPO_TEXT;
	gz = vt_accepts_gzip(req->accept_encoding);
	if (gz)
		metrics_gz_asked(shm, e);
	if (!gz || metrics_copy(shm, e + 1, r->body) == VT_ERR) {
		if (metrics_copy(shm, e, r->body) == VT_OK)
			gz = gz && metrics_gzip(r->body) == VT_OK;
		else {
			/* Before the first tick: the pool's families, text. */
			e = VT_EXPO_TEXT;
			gz = 0;
			if (vt_pool_prom(shm, r->body) == VT_ERR)
				return vt_reply_error(r, 500,
				    "response too large");
		}
	}
	r->status = 200;
	r->content_type = types[e];
	r->cache_control = "no-store";
	if (gz)
		vt_reply_header(r, "Content-Encoding", "gzip");
	vt_reply_header(r, "Vary", "Accept, Accept-Encoding");
	return 200;
}

/*
 * dashboard.c: GET / (and HEAD), the dashboard page.
 *
 * The page's first paint carries the latest sample, so a person sees the
 * host's vitals without JavaScript; app/static/dashboard.js takes over
 * from there.  The handler copies the document the sampler published
 * (the same bytes /api/metrics serves), parses it with json-c once per
 * sample and worker (the parsed tree is kept until the sample changes),
 * adds the pool's figures, which change per request, and renders
 * through render/html.c.  No /proc read, no database.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "clock.h"
#include "handlers/handlers.h"
#include "poolstats.h"
#include "render/html.h"
#include "scoreboard.h"

/* Room for the pool's figures (a few hundred bytes of JSON). */
#define DASHBOARD_POOL_MAX	4096

/*
 * Per worker process, like history.c's point buffer: the copy of the
 * sampler's document and its parsed tree, for the document of
 * dashboard_len bytes stamped dashboard_stamp.  Owned here; the tree is
 * put when a newer sample replaces it.  The "pool" and "sample_age_ms"
 * members are replaced on every request.
 */
static struct vt_buf		 dashboard_doc;
static struct vt_buf		 dashboard_pool;
static struct json_object	*dashboard_tree;
static int64_t			 dashboard_stamp;
static size_t			 dashboard_len;

static struct json_object	*dashboard_parse(const char *s, size_t len);
static struct json_object	*dashboard_sample(struct vt_shm *shm,
				    int64_t *stamp);

/* The JSON text s as a tree, or NULL when it is not one whole object. */
static struct json_object *
dashboard_parse(const char *s, size_t len)
{
	struct json_tokener	*tok;
	struct json_object	*o;

	if (len > (size_t)0x7fffffff || (tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, s, (int)len);
	if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/*
 * The tree of the latest sample (still owned here), or NULL when there
 * is none yet or it did not parse.
 */
static struct json_object *
dashboard_sample(struct vt_shm *shm, int64_t *stamp)
{
	struct json_object	*o;

	if (dashboard_doc.data == NULL &&
	    vt_buf_init(&dashboard_doc, 65536, VT_DOC_MAX) == VT_ERR)
		return NULL;
	if (dashboard_pool.data == NULL &&
	    vt_buf_init(&dashboard_pool, 512, DASHBOARD_POOL_MAX) == VT_ERR)
		return NULL;
	vt_buf_reset(&dashboard_doc);
	if (vt_doc_copy(&shm->metrics_json, &dashboard_doc, stamp) == VT_ERR)
		return NULL;
	if (dashboard_tree != NULL && *stamp == dashboard_stamp &&
	    dashboard_doc.len == dashboard_len)
		return dashboard_tree;
	if ((o = dashboard_parse(dashboard_doc.data, dashboard_doc.len)) ==
	    NULL)
		return NULL;
	json_object_put(dashboard_tree);
	dashboard_tree = o;
	dashboard_stamp = *stamp;
	dashboard_len = dashboard_doc.len;
	return o;
}

int
vt_handle_dashboard(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_shm		*shm = req->ctx->shm;
	struct json_object	*doc, *pool;
	int64_t			 stamp = 0;

	doc = dashboard_sample(shm, &stamp);
	if (doc != NULL) {
		vt_buf_reset(&dashboard_pool);
		pool = NULL;
		if (vt_pool_json(shm, req->ctx->listen_fd, &dashboard_pool) ==
		    VT_OK)
			pool = dashboard_parse(dashboard_pool.data,
			    dashboard_pool.len);
		/* Replacing a member puts the previous request's value. */
		if (pool == NULL)
			json_object_object_del(doc, "pool");
		else if (json_object_object_add(doc, "pool", pool) != 0)
			json_object_put(pool);
		(void)json_object_object_add(doc, "sample_age_ms",
		    json_object_new_int64(vt_wall_ms() - stamp));
	}

	vt_buf_reset(r->body);
	if (vt_html_page(doc, r->body) == VT_ERR)
		return vt_reply_error(r, 500, "response too large");
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	/* Live figures: never from a cache, the browser's or nginx's. */
	r->cache_control = "no-store";
	return 200;
}

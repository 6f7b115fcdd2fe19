/*
 * dashboard.c: GET / (and HEAD), the dashboard page.
 *
 * The page's first paint carries the latest sample, so a person sees the
 * host's vitals without JavaScript; app/static/dashboard.js takes over
 * from there.  The handler copies the document the sampler published
 * (the same bytes /api/metrics serves, the pool's figures of that tick
 * included) and, once per sample and worker, parses it with json-c and
 * renders the page through render/html.c, keeping the page in two parts
 * around the sample's age.  Every other request for that sample copies
 * the parts and writes the age between them.  A sample older than
 * VT_HTML_SAMPLER_WARN_MS (a stalled sampler: the master's document
 * still says its sampler is ok) is rendered whole per request instead,
 * from the tree kept since that parse, so the first paint's sampler check
 * and banner say how stale it is.  No /proc read, no database.
 */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "clock.h"
#include "handlers/handlers.h"
#include "render/html.h"
#include "scoreboard.h"

/*
 * Per worker process, like history.c's point buffer: the copy of the
 * sampler's document (dashboard_doc) and, for the document of
 * dashboard_len bytes stamped dashboard_stamp, the page rendered from it
 * (dashboard_page) with the age's place at dashboard_age_at, and the
 * tree it was rendered from (dashboard_tree, owned here).
 */
static struct vt_buf		 dashboard_doc;
static struct vt_buf		 dashboard_page;
static size_t			 dashboard_age_at;
static int64_t			 dashboard_stamp;
static size_t			 dashboard_len;
static int			 dashboard_have;
static struct json_object	*dashboard_tree;

static struct json_object	*dashboard_parse(const char *s, size_t len);
static int			 dashboard_render(struct vt_shm *shm,
				    int64_t *stamp);
static int			 dashboard_stale(int64_t ms,
				    struct vt_buf *out);

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
 * Make dashboard_page the page of the latest sample, rendering it when
 * the sample is new to this worker.  VT_OK, or VT_ERR when there is no
 * sample yet, it does not parse or the page does not fit (the previous
 * page is then dropped).
 */
static int
dashboard_render(struct vt_shm *shm, int64_t *stamp)
{
	struct json_object	*o;
	int			 rc;

	if (dashboard_doc.data == NULL &&
	    vt_buf_init(&dashboard_doc, 65536, VT_DOC_MAX) == VT_ERR)
		return VT_ERR;
	if (dashboard_page.data == NULL &&
	    vt_buf_init(&dashboard_page, 65536, VT_HTML_PAGE_MAX) == VT_ERR)
		return VT_ERR;
	vt_buf_reset(&dashboard_doc);
	if (vt_doc_copy(&shm->metrics_json, &dashboard_doc, stamp) == VT_ERR)
		return VT_ERR;
	if (dashboard_have && *stamp == dashboard_stamp &&
	    dashboard_doc.len == dashboard_len)
		return VT_OK;
	dashboard_have = 0;
	if (dashboard_tree != NULL) {
		json_object_put(dashboard_tree);
		dashboard_tree = NULL;
	}
	if ((o = dashboard_parse(dashboard_doc.data, dashboard_doc.len)) ==
	    NULL)
		return VT_ERR;
	vt_buf_reset(&dashboard_page);
	rc = vt_html_page_split(o, &dashboard_page, &dashboard_age_at);
	if (rc == VT_ERR) {
		json_object_put(o);
		return VT_ERR;
	}
	dashboard_tree = o;
	dashboard_have = 1;
	dashboard_stamp = *stamp;
	dashboard_len = dashboard_doc.len;
	return VT_OK;
}

/*
 * The whole page of dashboard_tree, a sample ms milliseconds old, into
 * out: its sampler check and banner judged from that age (a warning
 * past VT_HTML_SAMPLER_WARN_MS, critical past VT_HTML_SAMPLER_CRIT_MS).
 * Sets the tree's "sample_age_ms".  VT_OK, or VT_ERR when memory or out
 * runs short.
 */
static int
dashboard_stale(int64_t ms, struct vt_buf *out)
{
	struct json_object	*age;

	if ((age = json_object_new_int64(ms)) == NULL)
		return VT_ERR;
	if (json_object_object_add(dashboard_tree, "sample_age_ms", age) !=
	    0) {
		json_object_put(age);
		return VT_ERR;
	}
	return vt_html_page(dashboard_tree, out);
}

int
vt_handle_dashboard(const struct vt_request *req, struct vt_reply *r)
{
	int64_t		stamp = 0, ms;
	char		age[32];
	int		rc;

	vt_buf_reset(r->body);
	if (dashboard_render(req->ctx->shm, &stamp) == VT_OK) {
		/* A clock stepped back makes no negative age. */
		ms = vt_wall_ms() - stamp;
		if (ms < 0)
			ms = 0;
		vt_html_age(ms, age, sizeof(age));
		if (ms > VT_HTML_SAMPLER_WARN_MS)
			rc = dashboard_stale(ms, r->body);
		else if ((rc = vt_buf_add(r->body, dashboard_page.data,
		    dashboard_age_at)) == VT_OK &&
		    (rc = vt_buf_adds(r->body, age)) == VT_OK)
			rc = vt_buf_add(r->body, dashboard_page.data +
			    dashboard_age_at, dashboard_page.len -
			    dashboard_age_at);
	} else
		rc = vt_html_page(NULL, r->body);
	if (rc == VT_ERR)
		return vt_reply_error(r, 500, "response too large");
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	/* Live figures: never from a cache, the browser's or nginx's. */
	r->cache_control = "no-store";
	return 200;
}

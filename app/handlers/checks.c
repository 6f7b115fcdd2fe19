/*
 * checks.c: GET /api/checks, the verdict and every check.
 *
 * The master publishes the document on each tick (render/checks.h); a
 * request copies it and adds the sample's age.  The sampler check is the
 * reader's to judge, since a stalled master cannot report itself: while
 * the sample is younger than check_sampler_warning the master's item
 * stands and the copy is all the work; past it the document is parsed,
 * the sampler item, the verdict and the headline are rewritten.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "clock.h"
#include "conf.h"
#include "handlers/handlers.h"
#include "render/checks.h"
#include "scoreboard.h"

/* The rank of a verdict's name: ok < unknown < warning < critical. */
static int
checks_rank(const char *v)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "critical") == 0)
		return 3;
	if (strcmp(v, "warning") == 0)
		return 2;
	if (strcmp(v, "unknown") == 0)
		return 1;
	return 0;
}

/* Rewrite the document in body for a stale sample; VT_OK or VT_ERR. */
static int
checks_stale(const struct vt_conf *conf, struct vt_buf *body, int64_t age,
    int64_t now)
{
	struct vt_check_item	it;
	struct json_object     *doc, *items, *v;
	const char	       *verdict, *headline, *s;
	char			line[768];
	size_t			n = 0;
	int			rc = VT_ERR;

	vt_checks_sampler(&conf->checks, age, now, &it);
	if ((doc = json_tokener_parse(body->data)) == NULL)
		return VT_ERR;
	if (!json_object_object_get_ex(doc, "items", &items) ||
	    !json_object_is_type(items, json_type_array) ||
	    json_object_array_length(items) != VT_CHECK_N)
		goto fail;
	json_object_array_put_idx(items, VT_CHECK_SAMPLER,
	    vt_checks_item_json(VT_CHECK_SAMPLER, &it));
	verdict = json_object_object_get_ex(doc, "verdict", &v) ?
	    json_object_get_string(v) : "unknown";
	headline = json_object_object_get_ex(doc, "headline", &v) ?
	    json_object_get_string(v) : "";
	if (checks_rank(verdict) <= 1)
		snprintf(line, sizeof(line), "%s", it.summary);
	else
		snprintf(line, sizeof(line), "%s; %s", it.summary, headline);
	if (checks_rank(vt_check_state_names[it.state]) > checks_rank(verdict))
		verdict = vt_check_state_names[it.state];
	json_object_object_add(doc, "verdict", json_object_new_string(verdict));
	json_object_object_add(doc, "headline", json_object_new_string(line));
	json_object_object_add(doc, "sample_age_ms",
	    json_object_new_int64(age));
	s = json_object_to_json_string_length(doc,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	if (s == NULL)
		goto fail;
	vt_buf_reset(body);
	if (vt_buf_add(body, s, n) == VT_OK && vt_buf_adds(body, "\n") == VT_OK)
		rc = VT_OK;
fail:
	json_object_put(doc);
	return rc;
}

int
vt_handle_api_checks(const struct vt_request *req, struct vt_reply *r)
{
	struct vt_shm  *shm = req->ctx->shm;
	int64_t		stamp = 0, now = vt_wall_ms(), age;

	vt_buf_reset(r->body);
	if (vt_doc_copy(&shm->checks_json, r->body, &stamp) == VT_ERR ||
	    r->body->len < 2 || r->body->data[r->body->len - 1] != '}')
		return vt_reply_error(r, 503, "no sample yet");
	age = now - stamp;
	if (age < 0)
		age = 0;
	r->status = 200;
	r->content_type = "application/json";
	r->cache_control = "no-store";
	if ((double)age >= req->ctx->conf->checks.sampler_warning * 1000) {
		if (vt_buf_add(r->body, "", 1) == VT_ERR ||
		    checks_stale(req->ctx->conf, r->body, age, now) == VT_ERR)
			return vt_reply_error(r, 500, "checks not readable");
		return 200;
	}
	r->body->len--;
	if (vt_buf_printf(r->body, ",\"sample_age_ms\":%lld}\n",
	    (long long)age) == VT_ERR)
		return vt_reply_error(r, 500, "response too large");
	return 200;
}

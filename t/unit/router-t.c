/*
 * router-t.c: routing through the real table: 404 for unknown paths, 405
 * with Allow for other methods, HEAD like GET, and the JSON error shape.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "router.h"
#include "scoreboard.h"
#include "tap.h"

static int
dispatch(const char *method, const char *path, struct vt_reply *r,
    struct vt_buf *body, int *id)
{
	static struct vt_shm	shm;
	static struct vt_ctx	ctx;
	struct vt_request	req;

	ctx.shm = &shm;
	ctx.listen_fd = -1;
	memset(&req, 0, sizeof(req));
	memset(r, 0, sizeof(*r));
	req.method = method;
	req.path = path;
	req.head = strcmp(method, "HEAD") == 0;
	req.ctx = &ctx;
	r->body = body;
	return vt_route_dispatch(&req, r, id);
}

static void
check_error(const struct vt_buf *body, int status, const char *what)
{
	struct json_object     *o = json_tokener_parse(body->data), *e, *v;

	ok(o != NULL, "%s: body is JSON", what);
	ok(o != NULL && json_object_object_get_ex(o, "error", &e) &&
	    json_object_object_get_ex(e, "status", &v) &&
	    json_object_get_int(v) == status,
	    "%s: error.status is %d", what, status);
	ok(o != NULL && json_object_object_get_ex(o, "error", &e) &&
	    json_object_object_get_ex(e, "message", &v) &&
	    json_object_is_type(v, json_type_string),
	    "%s: error.message is a string", what);
	json_object_put(o);
}

int
main(void)
{
	const struct vt_route  *route;
	struct vt_reply		r;
	struct vt_buf		body, head;
	int			id;

	vt_buf_init(&body, 1024, 65536);
	vt_buf_init(&head, 1024, 8192);

	is_int(vt_route_find("GET", "/health/live", &route), 200,
	    "GET /health/live is routed");
	is_int(vt_route_find("HEAD", "/health/live", &route), 200,
	    "HEAD /health/live is routed");
	is_int(vt_route_find("POST", "/health/live", &route), 405,
	    "POST /health/live is 405");
	is_int(vt_route_find("DELETE", "/status", &route), 405,
	    "DELETE /status is 405");
	is_int(vt_route_find("GET", "/nope", &route), 404, "unknown is 404");
	is_int(vt_route_find("GET", "/health/live/", &route), 404,
	    "a trailing slash is another path");
	is_int(vt_route_find("GET", "/HEALTH/LIVE", &route), 404,
	    "paths are case-sensitive");
	is_int(vt_route_find(NULL, "/health/live", &route), 405,
	    "no method is not allowed");

	is_int(dispatch("GET", "/nope", &r, &body, &id), 404, "dispatch 404");
	is_int(id, VT_ROUTE_UNMATCHED, "counted as unmatched");
	check_error(&body, 404, "404");
	is_str(r.content_type, "application/json", "404 is JSON");

	is_int(dispatch("PUT", "/health/live", &r, &body, &id), 405,
	    "dispatch 405");
	check_error(&body, 405, "405");
	ok(strstr(r.headers, "Allow: GET, HEAD\r\n") != NULL,
	    "405 carries Allow: GET, HEAD");

	is_int(dispatch("GET", "/health/live", &r, &body, &id), 200,
	    "GET /health/live is 200");
	ok(strstr(body.data, "\"status\":\"ok\"") != NULL, "body says ok");
	ok(id > 0, "counted under its route id");
	is_int(vt_reply_head(&r, &head), 0, "the head frames");
	ok(strncmp(head.data, "Status: 200 OK\r\n", 16) == 0, "Status line");
	ok(strstr(head.data, "Content-Type: application/json\r\n") != NULL,
	    "Content-Type");
	{
		char	want[64];

		snprintf(want, sizeof(want), "Content-Length: %zu\r\n",
		    body.len);
		ok(strstr(head.data, want) != NULL, "Content-Length matches "
		    "the body");
	}
	ok(head.len >= 4 && memcmp(head.data + head.len - 4, "\r\n\r\n", 4)
	    == 0, "the head ends with a blank line");

	is_int(dispatch("HEAD", "/health/live", &r, &body, &id), 200,
	    "HEAD /health/live is 200");
	ok(body.len > 0, "HEAD computes the body (the worker sends only "
	    "the head, with the GET's length)");

	{
		struct vt_request	req;
		static struct vt_shm	shm;
		struct vt_ctx		ctx = { .shm = &shm, .listen_fd = -1 };

		memset(&req, 0, sizeof(req));
		req.method = "GET";
		req.path = "/health/live";
		req.query_error = "bad query string: bad percent-escape";
		req.ctx = &ctx;
		memset(&r, 0, sizeof(r));
		r.body = &body;
		is_int(vt_route_dispatch(&req, &r, &id), 400,
		    "a bad query string is 400");
		check_error(&body, 400, "400");
		req.path = "/nope";
		is_int(vt_route_dispatch(&req, &r, &id), 404,
		    "but an unknown path is still 404");
	}
	vt_buf_free(&body);
	vt_buf_free(&head);
	done_testing();
	return tap_exit_status();
}

/*
 * router.c: the route table and dispatch (see router.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "handlers/handlers.h"
#include "router.h"
#include "vitals.h"

#define GH	(VT_M_GET | VT_M_HEAD)

/* Ids start at 1: 0 counts the requests that matched nothing. */
static const struct vt_route routes[] = {
	{ "/", GH, vt_handle_dashboard, "dashboard", 8 },
	{ "/health/live", GH, vt_handle_health_live, "health_live", 1 },
	{ "/status", GH, vt_handle_status, "status", 2 },
	{ "/health", GH, vt_handle_health, "health", 3 },
	{ "/health/ready", GH, vt_handle_health_ready, "health_ready", 4 },
	{ "/api/metrics", GH, vt_handle_api_metrics, "api_metrics", 5 },
	{ "/metrics", GH, vt_handle_metrics, "metrics", 6 },
	{ "/api/history", GH, vt_handle_api_history, "api_history", 7 },
	{ "/api/checks", GH, vt_handle_api_checks, "api_checks", 9 },
#ifdef VT_TEST_HOOKS
	{ "/__test/sleep", GH, vt_handle_test_sleep, "test_sleep", 15 },
#endif
};

static unsigned
route_method(const char *m)
{
	if (m == NULL)
		return 0;
	if (strcmp(m, "GET") == 0)
		return VT_M_GET;
	if (strcmp(m, "HEAD") == 0)
		return VT_M_HEAD;
	if (strcmp(m, "POST") == 0)
		return VT_M_POST;
	return 0x80;	/* any other method: known to no route */
}

int
vt_route_find(const char *method, const char *path,
    const struct vt_route **route)
{
	size_t		i;
	unsigned	m = route_method(method);

	*route = NULL;
	if (path == NULL)
		return 404;
	for (i = 0; i < VT_ARRAY_LEN(routes); i++) {
		if (strcmp(routes[i].path, path) != 0)
			continue;
		*route = &routes[i];
		return (routes[i].methods & m) != 0 ? 200 : 405;
	}
	return 404;
}

const char *
vt_route_allow(const struct vt_route *route, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
	    route->methods & VT_M_GET ? "GET" : "",
	    route->methods & VT_M_HEAD ? ", HEAD" : "",
	    route->methods & VT_M_POST ? ", POST" : "");
	return buf;
}

const struct vt_route *
vt_routes(size_t *n)
{
	*n = VT_ARRAY_LEN(routes);
	return routes;
}

int
vt_route_dispatch(const struct vt_request *req, struct vt_reply *r,
    int *route_id)
{
	const struct vt_route  *route;
	char			allow[64];
	int			st;

	st = vt_route_find(req->method, req->path, &route);
	*route_id = route != NULL ? route->id : VT_ROUTE_UNMATCHED;
	if (st == 404)
		return vt_reply_error(r, 404, "no such path");
	if (st == 405) {
		vt_reply_header(r, "Allow", "%s",
		    vt_route_allow(route, allow, sizeof(allow)));
		return vt_reply_error(r, 405, "method not allowed");
	}
	if (req->query_error != NULL)
		return vt_reply_error(r, 400, req->query_error);
	return route->handler(req, r);
}

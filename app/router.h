/*
 * router.h: the static route table.  A path maps to one handler and the
 * methods it takes (GET and HEAD for every public endpoint); an unknown
 * path is 404, a known path with another method 405 with an Allow header.
 */
#ifndef VT_ROUTER_H
#define VT_ROUTER_H

#include "reply.h"

typedef int (*vt_handler_fn)(const struct vt_request *, struct vt_reply *);

#define VT_M_GET	0x01
#define VT_M_HEAD	0x02
#define VT_M_POST	0x04

struct vt_route {
	const char     *path;
	unsigned	methods;
	vt_handler_fn	handler;
	const char     *name;		/* label in metrics */
	int		id;		/* index into the scoreboard's stats */
};

/* The route id counted for requests that matched no route. */
#define VT_ROUTE_UNMATCHED	0

/*
 * Find the route for method and path.  Returns 200 with *route set, 404
 * (no such path) or 405 (path known; *route set, for its Allow header).
 */
int	vt_route_find(const char *method, const char *path,
	    const struct vt_route **route);

/* "GET, HEAD" for a route's methods, into buf. */
const char *vt_route_allow(const struct vt_route *route, char *buf,
	    size_t len);

/* The table, for renderers that list every route (metrics). */
const struct vt_route *vt_routes(size_t *n);

/*
 * Run a request through the table: routing, 404/405, HEAD.  Fills r and
 * returns the status; *route_id gets the id to count it under.
 */
int	vt_route_dispatch(const struct vt_request *req, struct vt_reply *r,
	    int *route_id);

#endif /* VT_ROUTER_H */

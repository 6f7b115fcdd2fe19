/*
 * fuzz_router.c: a request's first steps in a worker: the query string
 * parsed (app/query.c), the route found (app/router.c), a 400, 404 or 405
 * rendered as the JSON error with its Allow header (app/reply.c) and the
 * head framed; and the path quoted for the log (vt_log_quote in
 * app/log.c), into the worker's buffer and into a small exact one.
 *
 * The input is three NUL-separated fields, as the FastCGI parameters
 * arrive: REQUEST_METHOD, the path, QUERY_STRING (missing fields are
 * NULL).  A route that would run a handler stops after the lookup: the
 * handlers need a pool's shared memory, and read only the parsed query.
 */
#include "config.h"

#include <stddef.h>

#include "vitals.h"
#include "log.h"
#include "reply.h"
#include "router.h"
#include "fuzz.h"

static const char *
next_field(const char **p, const char *end)
{
	const char     *f = *p, *nul;

	if (f >= end)
		return NULL;
	nul = memchr(f, '\0', (size_t)(end - f));
	*p = nul != NULL ? nul + 1 : end;
	return f;
}

static void
quote(const char *s, size_t dstlen)
{
	char	*dst;

	if ((dst = malloc(dstlen)) == NULL)
		abort();
	vt_log_quote(dst, dstlen, s);
	if (dstlen > 0)
		FUZZ_CHECK(FUZZ_TERMINATED(dst, dstlen));
	free(dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vt_buf	body, head;
	static int		init;
	const struct vt_route  *route;
	struct vt_request	req;
	struct vt_reply		r;
	char		       *in, qerr[128], allow[64];
	const char	       *p, *end;
	int			st, id;

	if (!init) {
		if (vt_buf_init(&body, 4096, 1 << 20) != VT_OK ||
		    vt_buf_init(&head, 1024, 1 << 16) != VT_OK)
			abort();
		init = 1;
	}
	in = fuzz_cstr(data, size);
	p = in;
	end = in + size;
	memset(&req, 0, sizeof(req));
	req.method = next_field(&p, end);
	req.path = next_field(&p, end);
	req.query_string = next_field(&p, end);
	req.head = req.method != NULL && strcmp(req.method, "HEAD") == 0;

	if (vt_query_parse(req.query_string, &req.query, qerr,
	    sizeof(qerr)) != 0)
		req.query_error = qerr;

	st = vt_route_find(req.method, req.path, &route);
	FUZZ_CHECK(st == 200 || st == 404 || st == 405);
	FUZZ_CHECK((st == 404) == (route == NULL));
	if (route != NULL) {
		vt_route_allow(route, allow, sizeof(allow));
		FUZZ_CHECK(strncmp(allow, "GET", 3) == 0);
	}
	if (st != 200 || req.query_error != NULL) {
		memset(&r, 0, sizeof(r));
		r.body = &body;
		st = vt_route_dispatch(&req, &r, &id);
		FUZZ_CHECK(st == 400 || st == 404 || st == 405);
		FUZZ_CHECK(r.status == st && body.len > 0);
		FUZZ_CHECK(vt_reply_head(&r, &head) == VT_OK);
		FUZZ_CHECK(vt_http_reason(st) != NULL);
	}

	quote(req.path, 128);	/* the worker's slow-request line */
	quote(req.path, req.path != NULL ? strlen(req.path) % 64 : 0);
	free(in);
	return 0;
}

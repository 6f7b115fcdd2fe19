/*
 * testhooks.c: fault injection for the test suite, compiled in only with
 * ./configure --enable-test-hooks.  A production build has none of it.
 *
 *	GET /__test/sleep?ms=N	hold the worker N ms (at most 600 000)
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "handlers/handlers.h"

#ifdef VT_TEST_HOOKS
int
vt_handle_test_sleep(const struct vt_request *req, struct vt_reply *r)
{
	const char	       *v = vt_query_get(&req->query, "ms");
	struct timespec		ts;
	struct json_object     *o;
	char		       *end;
	long			ms;

	if (v == NULL)
		return vt_reply_error(r, 400, "ms is required");
	ms = strtol(v, &end, 10);
	if (*end != '\0' || ms < 0 || ms > 600000)
		return vt_reply_error(r, 400, "ms must be 0..600000");
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	o = json_object_new_object();
	json_object_object_add(o, "slept_ms", json_object_new_int64(ms));
	r->cache_control = "no-store";
	return vt_reply_json(r, 200, o);
}
#endif

/*
 * fuzz_query.c: the query string of a request (app/query.c), as a client
 * sends it in QUERY_STRING.  The input is the raw query string; the
 * parsed table must stay inside its bounds, every key must be found again
 * by vt_query_get() and vt_query_count(), and a refusal must come with a
 * message.
 */
#include "config.h"

#include "query.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vt_query	q;
	char		err[128], *qs;
	size_t		i;

	qs = fuzz_cstr(data, size);
	err[0] = '\0';
	if (vt_query_parse(qs, &q, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] != '\0');
		FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)));
		free(qs);
		return 0;
	}
	FUZZ_CHECK(q.n <= VT_QUERY_PARAMS);
	for (i = 0; i < q.n; i++) {
		FUZZ_CHECK(FUZZ_TERMINATED(q.p[i].key, VT_QUERY_KEY_LEN));
		FUZZ_CHECK(FUZZ_TERMINATED(q.p[i].value, VT_QUERY_VALUE_LEN));
		FUZZ_CHECK(vt_query_get(&q, q.p[i].key) != NULL);
		FUZZ_CHECK(vt_query_count(&q, q.p[i].key) >= 1);
	}
	free(qs);
	return 0;
}

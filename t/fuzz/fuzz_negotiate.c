/*
 * fuzz_negotiate.c: the content negotiation of /metrics (app/negotiate.c).
 * The input is a header value, given both as Accept and as
 * Accept-Encoding; each answer must be 0 or 1.
 */
#include "config.h"

#include "negotiate.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*h;
	int	 gz, om;

	h = fuzz_cstr(data, size);
	gz = vt_accepts_gzip(h);
	om = vt_prefers_openmetrics(h);
	FUZZ_CHECK(gz == 0 || gz == 1);
	FUZZ_CHECK(om == 0 || om == 1);
	free(h);
	return 0;
}

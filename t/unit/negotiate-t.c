/*
 * negotiate-t.c: which format and compression /metrics picks for the
 * Accept and Accept-Encoding headers real clients send, and for malformed
 * ones (which must fall back to plain text, uncompressed).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "negotiate.h"
#include "tap.h"

/* What Prometheus 2.42 (Debian 12) sends with every scrape. */
#define PROM_ACCEPT	"application/openmetrics-text;version=1.0.0," \
	"application/openmetrics-text;version=0.0.1;q=0.75," \
	"text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

static const struct {
	const char	*h;
	int		 want;
} gz[] = {
	{ NULL, 0 },
	{ "", 0 },
	{ "gzip", 1 },
	{ "GZIP", 1 },
	{ "x-gzip", 1 },
	{ "gzip, deflate, br", 1 },			/* curl, browsers */
	{ "deflate, br", 0 },
	{ "identity", 0 },
	{ "*", 1 },
	{ "*;q=0", 0 },
	{ "gzip;q=0", 0 },
	{ "gzip;q=0.0", 0 },
	{ "gzip;q=0.001", 1 },
	{ "gzip ; q=0.5", 1 },
	{ "gzip;q=0, *", 0 },		/* named beats the wildcard */
	{ "*;q=0, gzip", 1 },
	{ "br;q=1.0, gzip;q=0.8, *;q=0.1", 1 },
	{ "gzip;q=2", 0 },		/* malformed: the element is ignored */
	{ "gzip;q=", 0 },
	{ "gzip;q", 0 },
	{ "gzip;q=0.5x", 0 },
	{ "gzipx", 0 },
	{ ",,, ,gzip,", 1 },
	{ ";;;", 0 },
};

static const struct {
	const char	*h;
	int		 want;
} om[] = {
	{ NULL, 0 },
	{ "", 0 },
	{ "*/*", 0 },			/* curl: wildcards never pick it */
	{ "text/plain", 0 },
	{ PROM_ACCEPT, 1 },
	{ "application/openmetrics-text", 1 },
	{ "Application/OpenMetrics-Text; Version=1.0.0", 1 },
	{ "application/openmetrics-text;version=\"1.0.0\"", 1 },
	{ "application/openmetrics-text;version=0.0.1", 1 },
	{ "application/openmetrics-text;version=2.0.0", 0 },
	{ "application/openmetrics-text;q=0", 0 },
	{ "application/openmetrics-text;q=0.4,text/plain;q=0.5", 0 },
	{ "text/plain;q=0.5,application/openmetrics-text;q=0.5", 1 },
	{ "text/plain;version=0.0.4,application/openmetrics-text;q=0.9", 0 },
	/* A text/plain of a version we do not write does not compete. */
	{ "text/plain;version=9,application/openmetrics-text;q=0.1", 1 },
	{ "application/openmetrics-text;q=abc", 0 },
	{ "application/openmetrics-text;version", 0 },
	{ "application/json", 0 },
};

int
main(void)
{
	char	*big;
	size_t	 i;

	for (i = 0; i < sizeof(gz) / sizeof(gz[0]); i++)
		is_int(vt_accepts_gzip(gz[i].h), gz[i].want,
		    "Accept-Encoding: %s", gz[i].h ? gz[i].h : "(absent)");
	for (i = 0; i < sizeof(om) / sizeof(om[0]); i++)
		is_int(vt_prefers_openmetrics(om[i].h), om[i].want,
		    "Accept: %s", om[i].h ? om[i].h : "(absent)");

	/* A header as long as nginx lets through: read, not overrun. */
	if ((big = malloc(64 * 1024 + 1)) == NULL)
		bail("out of memory");
	memset(big, ',', 64 * 1024);
	memcpy(big + 64 * 1024 - 4, "gzip", 4);
	big[64 * 1024] = '\0';
	is_int(vt_accepts_gzip(big), 1, "64 KiB of commas, then gzip");
	memset(big, ';', 64 * 1024);
	is_int(vt_prefers_openmetrics(big), 0, "64 KiB of semicolons");
	free(big);
	done_testing();
	return tap_exit_status();
}

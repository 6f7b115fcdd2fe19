/*
 * fuzz_fcgi.c: the FastCGI record and parameter length check
 * (app/fcgi_check.c) that stands between a peer on the pool's socket and
 * libfcgi.  The input is the raw byte stream a peer sends.  A request the
 * check passes must be one libfcgi parses without trusting a length it
 * cannot hold: re-read here independently, every name-value pair must fit
 * inside the PARAMS stream, and that stream inside the cap.  A refusal
 * comes with a message, and a stream the check judged whole or worth
 * waiting for is never bad when cut short.
 */
#include "config.h"

#include "fcgi_check.h"
#include "fuzz.h"

/* The PARAMS content of a stream the check passed, concatenated. */
static size_t
params_of(const uint8_t *d, size_t size, uint8_t *out)
{
	size_t	off = 0, n = 0, clen;

	while (size - off >= 8) {
		clen = (size_t)d[off + 4] << 8 | d[off + 5];
		if (d[off + 1] == 4 && off + 8 + clen <= size) {
			memcpy(out + n, d + off + 8, clen);
			n += clen;
		}
		if (d[off + 1] == 4 && clen == 0)
			break;
		off += 8 + clen + d[off + 6];
	}
	return n;
}

static uint64_t
len_at(const uint8_t *p, size_t n, size_t *i)
{
	uint64_t	v;

	FUZZ_CHECK(*i < n);
	if (p[*i] < 0x80)
		return p[(*i)++];
	FUZZ_CHECK(*i + 4 <= n);
	v = (uint64_t)(p[*i] & 0x7f) << 24 | (uint64_t)p[*i + 1] << 16 |
	    (uint64_t)p[*i + 2] << 8 | p[*i + 3];
	*i += 4;
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		err[128];
	uint8_t	       *p;
	size_t		n, i = 0;
	uint64_t	nl, vl;
	int		in_stdin, v, w;

	err[0] = '\0';
	v = vt_fcgi_check(data, size, VT_FCGI_PARAMS_MAX, &in_stdin, err,
	    sizeof(err));
	FUZZ_CHECK(v == VT_FCGI_OK || v == VT_FCGI_MORE || v == VT_FCGI_BAD);
	if (v == VT_FCGI_BAD) {
		FUZZ_CHECK(err[0] != '\0');
		FUZZ_CHECK(FUZZ_TERMINATED(err, sizeof(err)));
		return 0;
	}
	if (size > 0) {
		w = vt_fcgi_check(data, size / 2, VT_FCGI_PARAMS_MAX,
		    &in_stdin, err, sizeof(err));
		FUZZ_CHECK(w != VT_FCGI_BAD);
	}
	if (v != VT_FCGI_OK)
		return 0;
	if ((p = malloc(size + 1)) == NULL)
		return 0;
	n = params_of(data, size, p);
	FUZZ_CHECK(n <= VT_FCGI_PARAMS_MAX);
	while (i < n) {
		nl = len_at(p, n, &i);
		vl = len_at(p, n, &i);
		FUZZ_CHECK(nl + vl <= n - i);
		i += (size_t)(nl + vl);
	}
	free(p);
	return 0;
}

/*
 * fcgi_check.h: validation of a FastCGI request's records before libfcgi
 * reads them.
 *
 * libfcgi trusts the name and value lengths a PARAMS record declares and
 * aborts when the allocation they ask for fails (DESIGN.md, Traps), so a
 * worker peeks at what a connection has sent and hands it to libfcgi only
 * once this check has seen a whole request that is safe to parse.
 */
#ifndef VT_FCGI_CHECK_H
#define VT_FCGI_CHECK_H

#include <stddef.h>

enum vt_fcgi_verdict {
	VT_FCGI_BAD = -1,	/* not a request this worker will parse */
	VT_FCGI_OK = 0,		/* a whole request, safe for libfcgi */
	VT_FCGI_MORE = 1	/* a valid beginning: wait for the rest */
};

/* nginx sends a few kilobytes of parameters; this is far above that. */
#define VT_FCGI_PARAMS_MAX	(64u << 10)

/*
 * Check the first "len" bytes a FastCGI connection has sent.  A request is
 * whole once its BEGIN_REQUEST (role responder), its PARAMS stream and its
 * STDIN stream have each arrived through their end; it is bad when a
 * record is not one a responder receives, when its version or request id
 * is wrong, when the PARAMS stream exceeds "params_max" bytes, or when a
 * name or value length runs past the stream or past params_max.  Sets
 * *in_stdin to 1 once the PARAMS stream has ended and passed, so a caller
 * whose buffer fills with a request body may go ahead.  Pure: no I/O, no
 * allocation; on VT_FCGI_BAD the reason is written to "err".
 */
enum vt_fcgi_verdict vt_fcgi_check(const void *buf, size_t len,
	    size_t params_max, int *in_stdin, char *err, size_t errlen);

#endif

/*
 * fcgi_check-t.c: the FastCGI record and parameter length check: whole
 * requests as nginx sends them pass, every prefix of one asks for more,
 * and the lengths that abort libfcgi 2.4.2 are refused before it sees
 * them.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fcgi_check.h"
#include "tap.h"

struct req {
	unsigned char	b[200000];
	size_t		len;
};

static void
rec(struct req *r, int type, int id, const void *c, size_t clen, int pad)
{
	unsigned char  *h = r->b + r->len;

	h[0] = 1;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(clen >> 8);
	h[5] = (unsigned char)clen;
	h[6] = (unsigned char)pad;
	h[7] = 0;
	if (clen > 0)
		memcpy(h + 8, c, clen);
	memset(h + 8 + clen, 0, (size_t)pad);
	r->len += 8 + clen + (size_t)pad;
}

static void
begin(struct req *r)
{
	static const unsigned char	body[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };

	r->len = 0;
	rec(r, 1, 1, body, sizeof(body), 0);
}

/* A name-value pair with one-byte lengths. */
static size_t
pair(unsigned char *d, const char *n, const char *v)
{
	size_t	nl = strlen(n), vl = strlen(v);

	d[0] = (unsigned char)nl;
	d[1] = (unsigned char)vl;
	memcpy(d + 2, n, nl);
	memcpy(d + 2 + nl, v, vl);
	return 2 + nl + vl;
}

static int
check(const struct req *r, size_t len, int *in_stdin)
{
	char	err[128];

	return vt_fcgi_check(r->b, len, VT_FCGI_PARAMS_MAX, in_stdin, err,
	    sizeof(err));
}

int
main(void)
{
	static struct req	r;
	unsigned char		p[70000];
	char			err[128];
	size_t			n, cut, stdin_at;
	int			in, more = 1;

	/* A GET as nginx sends it: padded to 8, then the empty streams. */
	begin(&r);
	n = pair(p, "REQUEST_METHOD", "GET");
	n += pair(p + n, "DOCUMENT_URI", "/health/live");
	rec(&r, 4, 1, p, n, (int)((8 - n % 8) % 8));
	rec(&r, 4, 1, NULL, 0, 0);
	stdin_at = r.len;
	rec(&r, 5, 1, NULL, 0, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_OK, "a whole GET is ok");
	is_int(in, 1, "and past its parameters");
	for (cut = 0; cut < r.len; cut++)
		if (check(&r, cut, &in) != VT_FCGI_MORE)
			more = 0;
	ok(more, "every prefix of it asks for more");
	check(&r, stdin_at, &in);
	is_int(in, 1, "the parameters' end is seen before STDIN's");

	/* A body, then the end of STDIN. */
	r.len = stdin_at;
	rec(&r, 5, 1, "abc", 3, 5);
	is_int(check(&r, r.len, &in), VT_FCGI_MORE, "a body: more");
	rec(&r, 5, 1, NULL, 0, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_OK, "its end: ok");

	/* The lengths that abort libfcgi: ff ff ff fe 00 after BEGIN. */
	begin(&r);
	memcpy(p, "\xff\xff\xff\xfe\x00", 5);
	rec(&r, 4, 1, p, 5, 3);
	is_int(vt_fcgi_check(r.b, r.len, VT_FCGI_PARAMS_MAX, &in, err,
	    sizeof(err)), VT_FCGI_BAD, "name length 0x7ffffffe: bad");
	ok(strstr(err, "past the parameters' end") != NULL, "and says why: %s",
	    err);
	is_int(check(&r, r.len - 3, &in), VT_FCGI_MORE,
	    "(a record not yet whole is not judged)");

	begin(&r);
	memcpy(p, "\xc0\x00\x00\x00\xc0\x00\x00\x00", 8);
	rec(&r, 4, 1, p, 8, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD,
	    "0x40000000 + 0x40000000: bad");

	/* Lengths split across records, and a pair longer than its stream. */
	begin(&r);
	rec(&r, 4, 1, "\x80\x00", 2, 0);
	rec(&r, 4, 1, "\x00\x05\x01", 3, 0);
	rec(&r, 4, 1, "NAMEXY", 6, 0);
	rec(&r, 4, 1, NULL, 0, 0);
	rec(&r, 5, 1, NULL, 0, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_OK,
	    "a four-byte length split across records: ok");
	begin(&r);
	rec(&r, 4, 1, "\x04\x02NAM", 5, 0);
	rec(&r, 4, 1, NULL, 0, 0);
	is_int(vt_fcgi_check(r.b, r.len, VT_FCGI_PARAMS_MAX, &in, err,
	    sizeof(err)), VT_FCGI_BAD, "a pair cut by the stream's end: bad");
	is_str(err, "parameters end inside a name-value pair", "and says why");

	/* The cap on the whole PARAMS stream. */
	begin(&r);
	memset(p, 'x', sizeof(p));
	rec(&r, 4, 1, p, 65535, 0);
	rec(&r, 4, 1, p, 10, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD,
	    "parameters over 64 KiB: bad");
	begin(&r);
	memcpy(p, "\x80\x01\x00\x00\x00", 5);
	rec(&r, 4, 1, p, 5, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD,
	    "a 65536-byte name past the cap: bad");

	/* Records a responder does not take. */
	r.len = 0;
	rec(&r, 4, 1, NULL, 0, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD, "PARAMS first: bad");
	r.len = 0;
	rec(&r, 1, 1, "\x00\x02\x00\x00\x00\x00\x00\x00", 8, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD, "role authorizer: bad");
	begin(&r);
	rec(&r, 4, 2, NULL, 0, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD, "another request id: bad");
	begin(&r);
	rec(&r, 2, 1, NULL, 0, 0);
	is_int(check(&r, r.len, &in), VT_FCGI_BAD, "ABORT_REQUEST: bad");
	begin(&r);
	r.b[0] = 2;
	is_int(check(&r, r.len, &in), VT_FCGI_BAD, "version 2: bad");
	memcpy(r.b, "GET / HTTP/1.0\r\n\r\n", 18);
	is_int(check(&r, 18, &in), VT_FCGI_BAD, "HTTP: bad");
	is_int(check(&r, 0, &in), VT_FCGI_MORE, "nothing yet: more");

	done_testing();
	return tap_exit_status();
}

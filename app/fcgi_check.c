/*
 * fcgi_check.c: validation of a FastCGI request's records (see
 * fcgi_check.h).
 *
 * A record is an 8-byte header (version, type, request id, content
 * length, padding length, reserved), its content and its padding.  A
 * responder receives BEGIN_REQUEST, then PARAMS records up to an empty
 * one, then STDIN records up to an empty one.  The PARAMS stream is a run
 * of name-value pairs, each length one byte below 128 or four bytes with
 * the top bit set; a pair may span records, so the pairs are read by a
 * small state machine fed one record's content at a time.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "fcgi_check.h"

#define FCGI_VERSION		1
#define FCGI_BEGIN_REQUEST	1
#define FCGI_PARAMS		4
#define FCGI_STDIN		5
#define FCGI_RESPONDER		1
#define FCGI_HEADER_LEN		8

struct pairs {
	int		field;		/* 0: name length, 1: value length */
	int		got;		/* bytes of the current length read */
	uint32_t	len[2];
	uint64_t	skip;		/* bytes of name and value left */
};

enum stage {
	STAGE_BEGIN,
	STAGE_PARAMS,
	STAGE_STDIN
};

/* Feed one record's content to the pair reader: 0, or -1 when bad. */
static int
pairs_feed(struct pairs *p, const unsigned char *c, size_t n, size_t cap,
    uint64_t seen)
{
	size_t		i = 0, k;
	unsigned	b;

	while (i < n) {
		if (p->skip > 0) {
			k = n - i < p->skip ? n - i : (size_t)p->skip;
			p->skip -= k;
			i += k;
			continue;
		}
		b = c[i++];
		if (p->got == 0)
			p->len[p->field] = b & 0x7f;
		else
			p->len[p->field] = p->len[p->field] << 8 | b;
		/* A first byte with the top bit set starts a 4-byte length. */
		if ((p->got > 0 || b >= 0x80) && ++p->got < 4)
			continue;
		p->got = 0;
		if (p->field == 0) {
			p->field = 1;
			continue;
		}
		p->field = 0;
		p->skip = (uint64_t)p->len[0] + p->len[1];
		/* What the pair declares must fit in what may still come. */
		if (p->skip > cap || seen - (n - i) + p->skip > cap)
			return -1;
	}
	return 0;
}

enum vt_fcgi_verdict
vt_fcgi_check(const void *buf, size_t len, size_t params_max, int *in_stdin,
    char *err, size_t errlen)
{
	const unsigned char    *b = buf;
	struct pairs		p = { 0, 0, { 0, 0 }, 0 };
	enum stage		stage = STAGE_BEGIN;
	unsigned		id = 0, rid, type, clen, plen;
	uint64_t		params = 0;
	size_t			off = 0;

	*in_stdin = 0;
	while (len - off >= FCGI_HEADER_LEN) {
		const unsigned char *h = b + off;

		type = h[1];
		rid = (unsigned)h[2] << 8 | h[3];
		clen = (unsigned)h[4] << 8 | h[5];
		plen = h[6];
		if (h[0] != FCGI_VERSION) {
			snprintf(err, errlen, "record version %u", h[0]);
			return VT_FCGI_BAD;
		}
		if (stage == STAGE_BEGIN) {
			if (type != FCGI_BEGIN_REQUEST || rid == 0 ||
			    clen != 8) {
				snprintf(err, errlen, "first record: type %u "
				    "id %u length %u, not BEGIN_REQUEST",
				    type, rid, clen);
				return VT_FCGI_BAD;
			}
			id = rid;
		} else if (rid != id) {
			snprintf(err, errlen, "record for request %u inside "
			    "request %u", rid, id);
			return VT_FCGI_BAD;
		} else if (type != (stage == STAGE_PARAMS ? FCGI_PARAMS :
		    FCGI_STDIN)) {
			snprintf(err, errlen, "record type %u where %s was due",
			    type, stage == STAGE_PARAMS ? "PARAMS" : "STDIN");
			return VT_FCGI_BAD;
		}
		if (stage == STAGE_PARAMS) {
			params += clen;
			if (params > params_max) {
				snprintf(err, errlen, "parameters longer than "
				    "%zu bytes", params_max);
				return VT_FCGI_BAD;
			}
		}
		/* Whole records only, content and padding. */
		if (len - off - FCGI_HEADER_LEN < (size_t)clen + plen)
			return VT_FCGI_MORE;
		h += FCGI_HEADER_LEN;
		off += FCGI_HEADER_LEN + clen + plen;
		switch (stage) {
		case STAGE_BEGIN:
			if (((unsigned)h[0] << 8 | h[1]) != FCGI_RESPONDER) {
				snprintf(err, errlen, "role %u, not responder",
				    (unsigned)h[0] << 8 | h[1]);
				return VT_FCGI_BAD;
			}
			stage = STAGE_PARAMS;
			break;
		case STAGE_PARAMS:
			if (pairs_feed(&p, h, clen, params_max, params) == -1) {
				snprintf(err, errlen, "parameter of %llu bytes "
				    "past the parameters' end",
				    (unsigned long long)p.skip);
				return VT_FCGI_BAD;
			}
			if (clen > 0)
				break;
			if (p.skip > 0 || p.got > 0 || p.field != 0) {
				snprintf(err, errlen, "parameters end inside "
				    "a name-value pair");
				return VT_FCGI_BAD;
			}
			stage = STAGE_STDIN;
			*in_stdin = 1;
			break;
		case STAGE_STDIN:
			if (clen == 0)
				return VT_FCGI_OK;
			break;
		}
	}
	return VT_FCGI_MORE;
}

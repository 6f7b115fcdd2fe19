/*
 * query-t.c: query-string parsing: percent-decoding, "+", repeated keys,
 * and rejection of over-long or malformed input.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "query.h"
#include "tap.h"

int
main(void)
{
	struct vt_query	q;
	char		err[128], big[VT_QUERY_MAX + 2];
	int		i;

	is_int(vt_query_parse(NULL, &q, err, sizeof(err)), 0, "NULL is empty");
	is_int((int)q.n, 0, "no parameters");
	is_int(vt_query_parse("", &q, err, sizeof(err)), 0, "empty string");
	is_int((int)q.n, 0, "no parameters");

	is_int(vt_query_parse("range=5m&full", &q, err, sizeof(err)), 0,
	    "two parameters");
	is_str(vt_query_get(&q, "range"), "5m", "range=5m");
	is_str(vt_query_get(&q, "full"), "", "a bare key has an empty value");
	ok(vt_query_get(&q, "nope") == NULL, "absent key is NULL");

	is_int(vt_query_parse("a=x%20y%2Fz&b=1+2&c=%e2%82%ac", &q, err,
	    sizeof(err)), 0, "escapes parse");
	is_str(vt_query_get(&q, "a"), "x y/z", "percent-escapes decode");
	is_str(vt_query_get(&q, "b"), "1 2", "+ is a space");
	is_str(vt_query_get(&q, "c"), "\xe2\x82\xac", "UTF-8 bytes decode");

	is_int(vt_query_parse("k%61y=v", &q, err, sizeof(err)), 0,
	    "escaped key parses");
	is_str(vt_query_get(&q, "kay"), "v", "keys are decoded too");

	is_int(vt_query_parse("range=5m&range=1h&&x=", &q, err, sizeof(err)),
	    0, "repeated keys parse");
	is_int((int)vt_query_count(&q, "range"), 2, "both are kept");
	is_str(vt_query_get(&q, "range"), "5m", "get returns the first");
	is_int((int)q.n, 3, "empty pairs are skipped");

	is_int(vt_query_parse("a=%zz", &q, err, sizeof(err)), -1,
	    "bad hex fails");
	is_str(err, "bad query string: bad percent-escape", "and says why");
	is_int(vt_query_parse("a=%4", &q, err, sizeof(err)), -1,
	    "truncated escape fails");
	is_int(vt_query_parse("a=%", &q, err, sizeof(err)), -1,
	    "lone percent fails");
	is_int(vt_query_parse("a=x%00y", &q, err, sizeof(err)), -1,
	    "an encoded NUL fails");
	is_int(vt_query_parse("=v", &q, err, sizeof(err)), -1,
	    "an empty name fails");

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = 'k';
	big[1] = '=';
	is_int(vt_query_parse(big, &q, err, sizeof(err)), -1,
	    "over VT_QUERY_MAX bytes fails");
	ok(strstr(err, "longer than") != NULL, "and says so: %s", err);
	big[VT_QUERY_MAX - 1] = '\0';
	is_int(vt_query_parse(big, &q, err, sizeof(err)), -1,
	    "a value over its field fails rather than truncating");

	{
		char	many[VT_QUERY_MAX];
		size_t	n = 0;

		for (i = 0; i <= VT_QUERY_PARAMS; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n,
			    "k%d=v&", i);
		is_int(vt_query_parse(many, &q, err, sizeof(err)), -1,
		    "more than VT_QUERY_PARAMS pairs fails");
	}
	done_testing();
	return tap_exit_status();
}

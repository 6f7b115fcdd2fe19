/*
 * proc_uptime-t.c: the /proc/uptime parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_uptime.h"

static struct vt_proc_uptime	up;

static int	parse_str(const char *s);
static int	read_tree(const char *tree, char *err, size_t errlen);

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_uptime_parse(s, strlen(s), &up, err, sizeof(err));
}

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_uptime_read(root, &up, err, errlen);
}

int
main(void)
{
	char	err[VT_ERRLEN], *file, *b;
	size_t	len, k;
	int	bad = 0;

	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_dbl(up.uptime, 830.59, 1e-9, "vm2: uptime");
	is_dbl(up.idle, 1588.03, 1e-9, "vm2: idle (2 CPUs, more than uptime)");
	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_dbl(up.uptime, 3456789.12, 1e-6, "server64: 40 days");
	is_dbl(up.idle, 210987654.32, 1e-4, "server64: idle");
	is_int(read_tree("legacy", err, sizeof(err)), VT_OK, "legacy: reads");
	is_dbl(up.uptime, 12.5, 1e-9, "legacy: uptime");

	is_int(read_tree("empty", err, sizeof(err)), VT_ERR, "empty: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "one field: error");
	ok(up.uptime == 0 && up.idle == 0, "an error leaves zeros");
	is_int(parse_str("1.5 2.5 3.5\n"), VT_ERR, "three fields: error");
	is_int(parse_str("1.5 abc\n"), VT_ERR, "not a number: error");
	is_int(parse_str("15 25\n"), VT_OK, "whole seconds: fine");
	is_dbl(up.idle, 25.0, 1e-9, "... and read");

	file = tap_fixture("proc/vm2/proc/uptime", &len);
	for (k = 0; k < len; k++) {
		if ((b = malloc(k > 0 ? k : 1)) == NULL)
			bail("out of memory");
		memcpy(b, file, k);
		if (vt_proc_uptime_parse(b, k, &up, err, sizeof(err)) != VT_ERR)
			bad++;
		free(b);
	}
	free(file);
	is_int(bad, 0, "every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

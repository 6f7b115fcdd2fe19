/*
 * proc_loadavg-t.c: the /proc/loadavg parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_loadavg.h"

static struct vt_proc_loadavg	la;

static int	parse_str(const char *s);
static int	read_tree(const char *tree, char *err, size_t errlen);

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_loadavg_parse(s, strlen(s), &la, err, sizeof(err));
}

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_loadavg_read(root, &la, err, errlen);
}

int
main(void)
{
	char	err[VT_ERRLEN], *file, *b;
	size_t	len, k;
	int	bad = 0;

	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_dbl(la.load1, 0.24, 1e-9, "vm2: load1");
	is_dbl(la.load5, 0.13, 1e-9, "vm2: load5");
	is_dbl(la.load15, 0.07, 1e-9, "vm2: load15");
	is_int((long long)la.running, 1, "vm2: running");
	is_int((long long)la.total, 97, "vm2: total tasks");
	is_int((long long)la.last_pid, 16280, "vm2: last pid");

	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_dbl(la.load1, 37.52, 1e-9, "server64: load1");
	is_dbl(la.load15, 28.90, 1e-9, "server64: load15");
	is_int((long long)la.running, 45, "server64: running");
	is_int((long long)la.total, 2113, "server64: total");
	is_int((long long)la.last_pid, 3999871, "server64: last pid");

	is_int(read_tree("empty", err, sizeof(err)), VT_ERR, "empty: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "malformed: error");
	is_int(parse_str("0.1 0.2 0.3 1/2\n"), VT_ERR, "4 fields: error");
	is_int(parse_str("0.1 0.2 0.3 12 5\n"), VT_ERR, "no slash: error");
	is_int(parse_str("0.1 0.2 0.3 /2 5\n"), VT_ERR,
	    "empty running: error");
	is_int(parse_str("0.1 0.2 0.3 1/2 5 6\n"), VT_ERR, "6 fields: error");
	is_int(parse_str("-0.1 0.2 0.3 1/2 5\n"), VT_ERR, "negative: error");
	is_int(parse_str("1e3 0.2 0.3 1/2 5\n"), VT_ERR,
	    "exponent (not what the kernel writes): error");
	is_int(parse_str("0. 0.2 0.3 1/2 5\n"), VT_ERR, "\"0.\": error");

	file = tap_fixture("proc/vm2/proc/loadavg", &len);
	for (k = 0; k < len; k++) {
		if ((b = malloc(k > 0 ? k : 1)) == NULL)
			bail("out of memory");
		memcpy(b, file, k);
		if (vt_proc_loadavg_parse(b, k, &la, err, sizeof(err)) !=
		    VT_ERR)
			bad++;
		free(b);
	}
	free(file);
	is_int(bad, 0, "every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

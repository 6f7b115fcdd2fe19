/*
 * proc_sys_fs-t.c: the /proc/sys/fs/file-nr parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_sys_fs.h"

static struct vt_file_nr	fnr;

static int	parse_str(const char *s);
static int	parse_cut(const char *buf, size_t len);
static int	read_tree(const char *tree);

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_sys_fs_file_nr_parse(s, strlen(s), &fnr, err,
	    sizeof(err));
}

static int
parse_cut(const char *buf, size_t len)
{
	return vt_proc_sys_fs_file_nr_parse(buf, len, &fnr, NULL, 0);
}

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_sys_fs_file_nr_read(root, &fnr, err, sizeof(err));
}

int
main(void)
{
	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	is_int((long long)fnr.allocated, 1209, "vm2: allocated");
	is_int((long long)fnr.unused, 0, "vm2: unused");
	is_int((long long)fnr.max, 2466248, "vm2: max");

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int((long long)fnr.allocated, 2081536, "server64: allocated");
	ok(fnr.max == 9223372036854775807ULL,
	    "server64: max is LONG_MAX (the default since Linux 5.x)");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads");
	is_int((long long)fnr.max, 101197, "legacy: max");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "4 fields: error");
	is_int((long long)fnr.allocated, 0, "an error leaves zeros");
	is_int(read_tree("nonexistent"), VT_ERR, "missing file: error");

	is_int(parse_str("1 2\n"), VT_ERR, "2 fields: error");
	is_int(parse_str("1 0 x\n"), VT_ERR, "not a number: error");
	is_int(parse_str("-1 0 5\n"), VT_ERR, "negative: error");
	is_int(parse_str("1 0 99999999999999999999\n"), VT_ERR,
	    "overflow: error");
	is_int(parse_str("1 0 5\n1 0 5\n"), VT_ERR, "two lines: error");
	is_int(parse_str("7 0 9\n"), VT_OK, "spaces for tabs: reads");
	is_int((long long)fnr.allocated, 7, "allocated 7");

	is_int((long long)tap_fixture_cuts("proc/vm2/proc/sys/fs/file-nr",
	    parse_cut), 0, "every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

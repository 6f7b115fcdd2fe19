/*
 * proc_net_softnet-t.c: the /proc/net/softnet_stat parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_softnet.h"

static struct vt_proc_net_softnet	sn;

static int	read_tree(const char *tree);
static int	parse_str(const char *s);
static int	cut_parse(const char *buf, size_t len);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_softnet_read(root, &sn, err, sizeof(err));
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_softnet_parse(s, strlen(s), &sn, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	return vt_proc_net_softnet_parse(buf, len, &sn, NULL, 0);
}

int
main(void)
{
	char	big[VT_MAX_CPUS * 100 + 200];
	size_t	i, off;

	is_int(read_tree("vm2"), VT_OK, "vm2: reads (15 columns)");
	is_int((long long)sn.n, 2, "vm2: 2 CPUs");
	is_int(sn.cpu[0].processed, 0x02facc4c, "vm2: cpu 0 processed");
	is_int(sn.cpu[0].time_squeezed, 5, "vm2: cpu 0 squeezed");
	is_int(sn.cpu[1].time_squeezed, 2, "vm2: cpu 1 squeezed");
	is_int(sn.cpu[1].dropped, 0, "vm2: cpu 1 dropped");

	is_int(read_tree("server64"), VT_OK, "server64: reads (13 columns)");
	is_int((long long)sn.n, 64, "server64: 64 CPUs");
	is_int(sn.cpu[0].dropped, 0x6e1, "server64: cpu 0 dropped");
	is_int(sn.cpu[63].processed, 0xffffffffLL,
	    "server64: a counter at 2^32 - 1");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads (9 columns)");
	is_int((long long)sn.n, 3, "legacy: 3 lines (CPU 2 offline)");
	is_int(sn.cpu[1].dropped, 2, "legacy: line 1 dropped");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "8 columns: error");
	is_int((long long)sn.n, 0, "an error leaves nothing");

	is_int(parse_str("1 2 3 4 5 6 7 8 9\n"), VT_OK,
	    "9 columns, not zero-padded: read");
	is_int(sn.cpu[0].time_squeezed, 3, "... as hexadecimal");
	is_int(parse_str("0000000g 0 0 0 0 0 0 0 0\n"), VT_ERR,
	    "not hexadecimal: error");
	is_int(parse_str("100000000 0 0 0 0 0 0 0 0\n"), VT_ERR,
	    "past 32 bits: error");
	is_int(parse_str("1 2 3 4 5 6 7 8 x\n"), VT_ERR,
	    "a bad column past the third: error");
	is_int(parse_str("\n"), VT_ERR, "a blank line: error");

	/* More lines than VT_MAX_CPUS: counted, not kept. */
	for (off = 0, i = 0; i < VT_MAX_CPUS + 3; i++)
		off += (size_t)snprintf(big + off, sizeof(big) - off,
		    "%08zx 0 0 0 0 0 0 0 0\n", i);
	is_int(vt_proc_net_softnet_parse(big, off, &sn, NULL, 0), VT_OK,
	    "VT_MAX_CPUS + 3 lines: read");
	ok(sn.n == VT_MAX_CPUS && sn.ndropped == 3, "... 3 dropped");

	is_int((long long)tap_fixture_cuts("proc/vm2/proc/net/softnet_stat",
	    cut_parse), 0, "vm2: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts(
	    "proc/server64/proc/net/softnet_stat", cut_parse), 0,
	    "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

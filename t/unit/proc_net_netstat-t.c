/*
 * proc_net_netstat-t.c: the /proc/net/netstat parser: TcpExt and IpExt
 * kept as a name -> value table, ListenOverflows and ListenDrops named.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_netstat.h"

static struct vt_proc_net_netstat	ns;

static int	read_tree(const char *tree, char *err, size_t errlen);
static int	parse_str(const char *s);
static int	cuts(const char *rel);

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_netstat_read(root, &ns, err, errlen);
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_netstat_parse(s, strlen(s), &ns, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_netstat_parse(buf, len, &ns, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

int
main(void)
{
	char		err[VT_ERRLEN];
	uint64_t	v;
	size_t		i;
	int		mptcp;

	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_int((long long)ns.n, 135 + 18, "vm2: 135 TcpExt + 18 IpExt");
	ok(ns.has_listen && ns.listen_overflows == 0 && ns.listen_drops == 0,
	    "vm2: ListenOverflows and ListenDrops, both 0");
	ok(vt_proc_net_netstat_get(&ns, "TcpExt", "TW", &v) == VT_OK &&
	    v == 19, "vm2: TcpExt TW = 19");
	ok(vt_proc_net_netstat_get(&ns, "IpExt", "InOctets", &v) == VT_OK &&
	    v == 27052497, "vm2: IpExt InOctets");
	ok(vt_proc_net_netstat_get(&ns, "TcpExt", "InOctets", &v) == VT_ERR,
	    "the section matters");
	for (mptcp = 0, i = 0; i < ns.n; i++)
		mptcp += strcmp(ns.e[i].section, "MPTcpExt") == 0;
	is_int(mptcp, 0, "vm2: MPTcpExt skipped");
	is_str(ns.e[134].name, "TCPAODroppedIcmps", "vm2: last TcpExt name");
	is_str(ns.e[135].section, "IpExt", "vm2: IpExt follows");

	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)ns.listen_overflows, 1234,
	    "server64: ListenOverflows");
	is_int((long long)ns.listen_drops, 1240, "server64: ListenDrops");
	ok(vt_proc_net_netstat_get(&ns, "IpExt", "InOctets", &v) == VT_OK &&
	    v == 987654321098765ULL, "server64: InOctets past 2^32");
	ok(vt_proc_net_netstat_get(&ns, "IpExt", "ReasmOverlaps", &v) ==
	    VT_OK && v == 7468065, "server64: the last IpExt field");

	is_int(read_tree("empty", err, sizeof(err)), VT_ERR, "empty: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "3 names, 2 values: error");
	is_int(parse_str("TcpExt: A B\n"), VT_ERR, "no values line: error");
	is_int(parse_str("TcpExt: A B\nIpExt: 1 2\n"), VT_ERR,
	    "sections differ: error");
	is_int(parse_str("TcpExt: A B\nTcpExt: 1 x\n"), VT_ERR,
	    "a bad value: error");
	is_int(parse_str("TcpExt A B\nTcpExt 1 2\n"), VT_ERR,
	    "no colon: error");
	is_int(parse_str("TcpExt: A B\nTcpExt: 1 2\n"), VT_OK,
	    "no Listen* fields: fine");
	ok(!ns.has_listen, "... and flagged");
	is_int(parse_str("MPTcpExt: A\nMPTcpExt: x\nTcpExt: ListenOverflows "
	    "ListenDrops\nTcpExt: 5 6\n"), VT_OK,
	    "a skipped section is not checked");
	ok(ns.listen_overflows == 5 && ns.listen_drops == 6, "... 5 and 6");

	is_int(cuts("proc/vm2/proc/net/netstat"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/net/netstat"), 0,
	    "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

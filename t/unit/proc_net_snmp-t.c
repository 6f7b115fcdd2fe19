/*
 * proc_net_snmp-t.c: the /proc/net/snmp and /proc/net/snmp6 parsers and
 * their reader, and node_exporter's default netstat field subset.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_netstat.h"
#include "collect/proc_net_snmp.h"

static struct vt_proc_net_snmp	sn;

static int	read_tree(const char *tree);
static int	parse_str(const char *s);
static int	parse6_str(const char *s);
static int	cut_parse(const char *buf, size_t len);
static int	cut_parse6(const char *buf, size_t len);
static uint64_t	get(const char *section, const char *name);
static int	wanted(const char *section, const char *name);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_snmp_read(root, &sn, err, sizeof(err));
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_snmp_parse(s, strlen(s), &sn, err, sizeof(err));
}

static int
parse6_str(const char *s)
{
	char	err[VT_ERRLEN];

	memset(&sn, 0, sizeof(sn));
	return vt_proc_net_snmp6_parse(s, strlen(s), &sn, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	return vt_proc_net_snmp_parse(buf, len, &sn, NULL, 0);
}

static int
cut_parse6(const char *buf, size_t len)
{
	memset(&sn, 0, sizeof(sn));
	return vt_proc_net_snmp6_parse(buf, len, &sn, NULL, 0);
}

/* The value of section/name, or UINT64_MAX when it was not kept. */
static uint64_t
get(const char *section, const char *name)
{
	uint64_t	v;

	return vt_proc_net_snmp_get(&sn, section, name, &v) == VT_OK ? v :
	    UINT64_MAX;
}

static int
wanted(const char *section, const char *name)
{
	return vt_netstat_field_default(vt_pf_cstr(section),
	    vt_pf_cstr(name));
}

int
main(void)
{
	size_t	i;

	/* The field list, against node_exporter 1.5's regular expression. */
	ok(wanted("Tcp", "InErrs") && wanted("Udp", "InErrors") &&
	    wanted("UdpLite6", "InErrors") && wanted("Icmp", "InErrors"),
	    "fields: .*_(InErrors|InErrs)");
	ok(wanted("Ip", "Forwarding") && !wanted("Ip", "DefaultTTL") &&
	    !wanted("Ip6", "Forwarding"), "fields: Ip_Forwarding only");
	ok(wanted("TcpExt", "ListenOverflows") && wanted("TcpExt", "Listen") &&
	    wanted("TcpExt", "SyncookiesSent") && !wanted("TcpExt", "TW"),
	    "fields: TcpExt_(Listen.*|Syncookies.*)");
	ok(!wanted("Tcp", "MaxConn") && !wanted("Udp", "InCsumErrors") &&
	    !wanted("UdpLite", "InDatagrams") && !wanted("IcmpMsg", "InType3"),
	    "fields: what the pattern leaves out");
	ok(wanted("Udp6", "SndbufErrors") && wanted("Icmp6", "OutMsgs") &&
	    wanted("IpExt", "OutOctets") && !wanted("Ip", "InOctets"),
	    "fields: Udp6?, Icmp6?, Ip(6|Ext)");

	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	is_int((long long)sn.n, 19 + 12,
	    "vm2: 19 kept from snmp and 12 from snmp6, as node_exporter");
	ok(sn.has_snmp6, "vm2: has snmp6");
	is_int((long long)get("Ip", "Forwarding"), 2, "vm2: not forwarding");
	is_int((long long)get("Tcp", "InSegs"), 97586663, "vm2: Tcp InSegs");
	is_int((long long)get("Tcp", "OutRsts"), 1106742, "vm2: Tcp OutRsts");
	is_int((long long)get("Tcp", "CurrEstab"), 0, "vm2: Tcp CurrEstab");
	ok(get("Tcp", "MaxConn") == UINT64_MAX,
	    "vm2: MaxConn (-1) read but not kept");
	is_int((long long)get("Ip6", "InOctets"), 768, "vm2: Ip6 InOctets");
	is_int((long long)get("Icmp6", "OutMsgs"), 106, "vm2: Icmp6 OutMsgs");
	ok(get("Udp6", "InDatagrams") == 0, "vm2: Udp6 InDatagrams");
	is_str(sn.e[0].section, "Ip", "vm2: file order, Ip first");
	is_str(sn.e[sn.n - 1].section, "UdpLite6", "vm2: UdpLite6 last");
	is_str(sn.e[sn.n - 1].name, "InErrors", "vm2: ... InErrors");

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int((long long)get("Tcp", "InSegs"), 87654321098765LL,
	    "server64: InSegs past 2^32");
	is_int((long long)get("Ip", "Forwarding"), 1, "server64: a router");
	is_int((long long)get("Udp", "RcvbufErrors"), 88990,
	    "server64: Udp RcvbufErrors");
	is_int((long long)get("Ip6", "OutOctets"), 398765432109876LL,
	    "server64: Ip6 OutOctets");
	is_int((long long)sn.ndropped, 0, "server64: nothing dropped");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads (no snmp6)");
	ok(!sn.has_snmp6, "legacy: IPv6 disabled, flagged");
	is_int((long long)sn.n, 19, "legacy: 19 fields (no InCsumErrors)");
	is_int((long long)get("Tcp", "RetransSegs"), 12345,
	    "legacy: RetransSegs");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "5 names, 4 values: error");
	is_int((long long)sn.n, 0, "an error leaves nothing");

	is_int(parse_str("Tcp: A B\n"), VT_ERR, "no values line: error");
	is_int(parse_str("Tcp: InSegs\nTcp: -1\n"), VT_ERR,
	    "a kept field below zero: error");
	is_int(parse_str("Tcp: MaxConn InSegs\nTcp: -1 5\n"), VT_OK,
	    "MaxConn -1: fine");
	is_int((long long)get("Tcp", "InSegs"), 5, "... InSegs 5");
	is_int(parse_str("Tcp: MaxConn\nTcp: x\n"), VT_ERR,
	    "a field not kept must still be a number");
	is_int(parse_str("Udp: InDatagrams\nTcp: 1\n"), VT_ERR,
	    "sections differ: error");

	is_int(parse6_str(""), VT_OK, "snmp6: empty is fine (no stats)");
	is_int(parse6_str("Udp6InDatagrams 3\nIcmp6InType1 2\n"
	    "NoSixHere 4\n"), VT_OK, "snmp6: a name without '6' is skipped");
	is_int((long long)sn.n, 1, "... one kept");
	is_str(sn.e[0].section, "Udp6", "... section up to the '6'");
	is_str(sn.e[0].name, "InDatagrams", "... name after it");
	is_int(parse6_str("Udp6InDatagrams\n"), VT_ERR,
	    "snmp6: a name alone: error");
	is_int(parse6_str("Udp6InDatagrams 1 2\n"), VT_ERR,
	    "snmp6: three words: error");
	is_int(parse6_str("Udp6InDatagrams -1\n"), VT_ERR,
	    "snmp6: below zero: error");
	is_int(parse6_str("Udp6InDatagrams 1"), VT_ERR,
	    "snmp6: no final newline: error");
	{
		char	err[VT_ERRLEN];
		char   *b = tap_fixture("proc/malformed/proc/net/snmp6", &i);

		memset(&sn, 0, sizeof(sn));
		is_int(vt_proc_net_snmp6_parse(b, i, &sn, err, sizeof(err)),
		    VT_ERR, "malformed snmp6: error");
		is_int((long long)sn.n, 0, "... and nothing appended");
		free(b);
	}

	is_int((long long)tap_fixture_cuts("proc/vm2/proc/net/snmp",
	    cut_parse), 0, "vm2 snmp: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts("proc/server64/proc/net/snmp",
	    cut_parse), 0, "server64 snmp: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts("proc/vm2/proc/net/snmp6",
	    cut_parse6), 0, "vm2 snmp6: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts("proc/server64/proc/net/snmp6",
	    cut_parse6), 0,
	    "server64 snmp6: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

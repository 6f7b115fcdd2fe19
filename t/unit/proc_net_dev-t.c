/*
 * proc_net_dev-t.c: the /proc/net/dev parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_dev.h"

static struct vt_proc_net_dev	nd;

static int	read_tree(const char *tree, char *err, size_t errlen);
static int	parse_str(const char *s);
static int	cuts(const char *rel);
static const struct vt_netdev_iface *iface(const char *name);

#define HDR	"Inter-|   Receive                                    " \
		"            |  Transmit\n" \
		" face |bytes    packets errs drop fifo frame compressed " \
		"multicast|bytes    packets errs drop fifo colls carrier " \
		"compressed\n"

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_dev_read(root, &nd, err, errlen);
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_dev_parse(s, strlen(s), &nd, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_dev_parse(buf, len, &nd, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

static const struct vt_netdev_iface *
iface(const char *name)
{
	size_t	i;

	for (i = 0; i < nd.n; i++) {
		if (strcmp(nd.iface[i].name, name) == 0)
			return &nd.iface[i];
	}
	return NULL;
}

int
main(void)
{
	const struct vt_netdev_iface	*i;
	char				 err[VT_ERRLEN], buf[8192];
	size_t				 n, k;

	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_int((long long)nd.n, 4, "vm2: lo, ifb0, ifb1, eth0");
	is_str(nd.iface[0].name, "lo", "vm2: first is lo");
	i = iface("eth0");
	ok(i != NULL, "vm2: eth0 found");
	if (i != NULL) {
		is_int((long long)i->v[VT_NETDEV_RX_BYTES], 26966244,
		    "vm2: eth0 rx bytes");
		is_int((long long)i->v[VT_NETDEV_RX_PACKETS], 662,
		    "vm2: eth0 rx packets");
		is_int((long long)i->v[VT_NETDEV_TX_BYTES], 34175,
		    "vm2: eth0 tx bytes");
		is_int((long long)i->v[VT_NETDEV_TX_PACKETS], 402,
		    "vm2: eth0 tx packets");
	} else {
		skip(4, "no eth0");
	}
	i = iface("lo");
	ok(i != NULL && i->v[VT_NETDEV_RX_BYTES] == 95677 &&
	    i->v[VT_NETDEV_TX_BYTES] == 95677, "vm2: lo rx = tx = 95677");

	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)nd.n, 24, "server64: 24 interfaces");
	i = iface("eno1");
	ok(i != NULL && i->v[VT_NETDEV_RX_BYTES] == 98765432109876ULL,
	    "server64: eno1 rx bytes, 14 digits");
	ok(i != NULL && i->v[VT_NETDEV_TX_BYTES] == 12345678901234ULL,
	    "server64: eno1 tx bytes");
	ok(i != NULL && i->v[VT_NETDEV_RX_PACKETS] == 87654321098ULL,
	    "server64: eno1 rx packets");
	ok(i != NULL && i->v[VT_NETDEV_RX_DROP] == 4242,
	    "server64: eno1 rx drop");
	ok(iface("bond0.100") != NULL, "server64: a VLAN name longer than 6");
	ok(iface("ens1f1np1") != NULL, "server64: a 9-character name");
	i = iface("veth039230e");
	ok(i != NULL && i->v[VT_NETDEV_RX_BYTES] == 210976615297ULL &&
	    i->v[VT_NETDEV_RX_ERRS] == 4, "server64: the last veth");
	is_str(nd.iface[23].name, "veth039230e", "server64: file order kept");

	is_int(read_tree("legacy", err, sizeof(err)), VT_OK, "legacy: reads");
	i = iface("eth0");
	ok(i != NULL && i->v[VT_NETDEV_RX_BYTES] == 123456789,
	    "legacy: old format, counter touching the colon");
	ok(i != NULL && i->v[VT_NETDEV_RX_MULTICAST] == 3 &&
	    i->v[VT_NETDEV_TX_COLLS] == 4, "legacy: multicast and colls");
	is_str(vt_netdev_field_names[VT_NETDEV_TX_CARRIER], "transmit_carrier",
	    "field names follow node_exporter");

	is_int(read_tree("empty", err, sizeof(err)), VT_ERR, "empty: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "15 counters: error");
	ok(strstr(err, "line 3") != NULL, "names the line (%s)", err);
	is_int(parse_str(HDR), VT_OK, "headers only: no interfaces, fine");
	is_int((long long)nd.n, 0, "... zero of them");
	is_int(parse_str("garbage\n"), VT_ERR, "no header: error");
	is_int(parse_str(HDR "  eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
	    VT_ERR, "no colon: error");
	is_int(parse_str(HDR "    : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
	    VT_ERR, "empty name: error");
	is_int(parse_str(HDR "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 "
	    "x\n"), VT_ERR, "a bad counter: error");

	/* More interfaces than the table: bounded, the rest counted. */
	n = (size_t)snprintf(buf, sizeof(buf), "%s", HDR);
	for (k = 0; k < 70; k++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "veth%zu: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", k);
	ok(vt_proc_net_dev_parse(buf, n, &nd, err, sizeof(err)) == VT_OK &&
	    nd.n == VT_MAX_IFACES && nd.ndropped == 70 - VT_MAX_IFACES,
	    "70 interfaces: %d kept, the rest counted", VT_MAX_IFACES);
	ok(nd.iface[5].v[VT_NETDEV_TX_COMPRESSED] == 16,
	    "the 16th counter is transmit compressed");

	is_int(cuts("proc/vm2/proc/net/dev"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/net/dev"), 0,
	    "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

/*
 * sys_class_net-t.c: the /sys/class/net/<iface>/ parser and reader
 * (node_exporter's netclass collector).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/sys_class_net.h"

static struct vt_netclass	nc;
static struct vt_netclass_iface	one;

static int	parse_str(const char *file, const char *s);
static int	cut_flags(const char *buf, size_t len);
static int	cut_mtu(const char *buf, size_t len);
static int	cut_address(const char *buf, size_t len);
static int	read_tree(const char *tree);
static const struct vt_netclass_iface *find(const char *name);

static int
parse_str(const char *file, const char *s)
{
	char	err[VT_ERRLEN];

	memset(&one, 0, sizeof(one));
	return vt_netclass_attr_parse(file, s, strlen(s), &one, err,
	    sizeof(err));
}

static int
cut_flags(const char *buf, size_t len)
{
	memset(&one, 0, sizeof(one));
	return vt_netclass_attr_parse("flags", buf, len, &one, NULL, 0);
}

static int
cut_mtu(const char *buf, size_t len)
{
	memset(&one, 0, sizeof(one));
	return vt_netclass_attr_parse("mtu", buf, len, &one, NULL, 0);
}

static int
cut_address(const char *buf, size_t len)
{
	memset(&one, 0, sizeof(one));
	return vt_netclass_attr_parse("address", buf, len, &one, NULL, 0);
}

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_netclass_read(root, &nc, err, sizeof(err));
}

static const struct vt_netclass_iface *
find(const char *name)
{
	size_t	i;

	for (i = 0; i < nc.n; i++)
		if (strcmp(nc.i[i].name, name) == 0)
			return &nc.i[i];
	bail("no interface %s", name);
	return NULL;
}

int
main(void)
{
	const struct vt_netclass_iface	*f;

	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	is_int((long long)nc.n, 4, "vm2: four interfaces");
	is_str(nc.i[0].name, "eth0", "vm2: sorted, eth0 first");
	is_str(nc.i[3].name, "lo", "vm2: lo last");
	f = find("eth0");
	is_str(f->address, "02:fc:00:00:00:01", "eth0: address");
	is_str(f->operstate, "up", "eth0: operstate");
	is_str(f->duplex, "unknown", "eth0: duplex");
	is_str(f->ifalias, "", "eth0: empty ifalias");
	is_int((long long)f->v[VT_NC_MTU], 1400, "eth0: mtu");
	is_int((long long)f->v[VT_NC_FLAGS], 0x1003, "eth0: flags, hex");
	is_int((long long)f->v[VT_NC_SPEED], -1, "eth0: speed -1 (virtio)");
	is_int((long long)f->v[VT_NC_CARRIER_CHANGES], 2,
	    "eth0: carrier changes");
	ok(f->have == (1u << VT_NC_NATTR) - 1, "eth0: every attribute");
	f = find("ifb0");
	ok(!(f->have & (1u << VT_NC_CARRIER)) &&
	    !(f->have & (1u << VT_NC_SPEED)),
	    "ifb0 (down): carrier and speed unset (EINVAL on the host)");
	is_str(f->duplex, "", "ifb0: no duplex");

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int((long long)nc.n, 5, "server64: five interfaces");
	f = find("ens1f0np0");
	is_int((long long)f->v[VT_NC_SPEED], 25000, "ens1f0np0: 25 Gbit/s");
	is_int((long long)f->v[VT_NC_MTU], 9000, "ens1f0np0: jumbo frames");
	is_int((long long)f->v[VT_NC_RX_NOHANDLER], 1204,
	    "ens1f0np0: rx_nohandler from statistics/");
	is_str(f->ifalias, "uplink \"core-1\" \\ port 7",
	    "ens1f0np0: alias with quotes and a backslash, as written");
	f = find("eno2");
	is_int((long long)f->v[VT_NC_CARRIER], 0, "eno2: no cable");
	f = find("eno3");
	ok(!(f->have & (1u << VT_NC_CARRIER)), "eno3 (admin down): no carrier");
	is_int((long long)find("lo")->v[VT_NC_TYPE], 772, "lo: ARPHRD_LOOPBACK");

	is_int(read_tree("malformed"), VT_ERR, "malformed mtu: error");
	is_int((long long)nc.n, 0, "an error leaves nothing");
	is_int(read_tree("truncated"), VT_ERR, "mtu cut mid-line: error");
	is_int(read_tree("nonexistent"), VT_OK, "no /sys/class/net: no error");
	is_int((long long)nc.n, 0, "no /sys/class/net: no interfaces");

	is_int(parse_str("mtu", "1500\n"), VT_OK, "mtu: reads");
	ok(one.have == 1u << VT_NC_MTU && one.v[VT_NC_MTU] == 1500,
	    "mtu: set, nothing else");
	is_int(parse_str("mtu", "1500\n1500\n"), VT_ERR, "two lines: error");
	is_int(parse_str("mtu", "\n"), VT_ERR, "empty number: error");
	is_int(parse_str("mtu", "99999999999999999999\n"), VT_ERR,
	    "overflow: error");
	is_int(parse_str("flags", "1003\n"), VT_ERR, "flags without 0x: error");
	is_int(parse_str("flags", "0x\n"), VT_ERR, "flags 0x alone: error");
	is_int(parse_str("ifalias", ""), VT_OK, "empty ifalias: reads");
	is_int(parse_str("operstate", "up"), VT_ERR, "no newline: error");
	is_int(vt_netclass_attr_parse("address", "a\0b\n", 4, &one, NULL, 0),
	    VT_ERR, "a NUL byte: error");
	is_int(parse_str("statistics/rx_nohandler", "18446744073709551615\n"),
	    VT_ERR, "rx_nohandler past int64: error, not a negative count");
	is_int(parse_str("phys_port_id", "1234\n"), VT_OK,
	    "an unknown file: ignored");
	is_int((long long)one.have, 0, "an unknown file: nothing set");

	is_int((long long)tap_fixture_cuts(
	    "proc/vm2/sys/class/net/eth0/flags", cut_flags), 0,
	    "flags: every cut fails cleanly");
	is_int((long long)tap_fixture_cuts(
	    "proc/server64/sys/class/net/eno1/mtu", cut_mtu), 0,
	    "mtu: every cut fails cleanly");
	is_int((long long)tap_fixture_cuts(
	    "proc/vm2/sys/class/net/eth0/address", cut_address), 0,
	    "address: every cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

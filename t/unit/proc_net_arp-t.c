/*
 * proc_net_arp-t.c: the /proc/net/arp counts per device and the reader.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_arp.h"

static struct vt_proc_net_arp	arp;

static int	read_tree(const char *tree);
static int	parse_str(const char *s);
static int	cut_parse(const char *buf, size_t len);
static long long entries(const char *dev);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_arp_read(root, &arp, err, sizeof(err));
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_arp_parse(s, strlen(s), &arp, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	return vt_proc_net_arp_parse(buf, len, &arp, NULL, 0);
}

/* The count for dev, or -1 when it has none. */
static long long
entries(const char *dev)
{
	size_t	i;

	for (i = 0; i < arp.n; i++)
		if (strcmp(arp.d[i].device, dev) == 0)
			return (long long)arp.d[i].entries;
	return -1;
}

#define HDR	"IP address       HW type     Flags       HW address" \
		"            Mask     Device\n"

int
main(void)
{
	char	buf[(VT_MAX_IFACES + 2) * 100 + 100];
	size_t	i, off;

	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	is_int((long long)arp.n, 1, "vm2: one device");
	is_int(entries("eth0"), 1, "vm2: eth0, the gateway");

	is_int(read_tree("server64"), VT_OK,
	    "server64: reads (21 KB through a 16 KB buffer)");
	is_int((long long)arp.n, 4, "server64: 4 devices");
	is_int(entries("eno1"), 41, "server64: eno1 41");
	is_int(entries("bond0.100"), 200,
	    "server64: bond0.100 200, incomplete entries too");
	is_int(entries("ens1f0np0"), 12, "server64: ens1f0np0 12");
	is_int(entries("docker0"), 5, "server64: docker0 5");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads");
	is_int(entries("eth0"), 2, "legacy: eth0 2");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "an entry without device: "
	    "error");
	is_int((long long)arp.n, 0, "an error leaves nothing");

	is_int(parse_str(HDR), VT_OK, "a header alone: no entry");
	is_int((long long)arp.n, 0, "... no device");
	is_int(parse_str("192.0.2.1 0x1 0x2 02:fc:00:00:00:05 * eth0\n"),
	    VT_ERR, "no header: error");
	is_int(parse_str(HDR "192.0.2.1 1 2 02:fc:00:00:00:05 * eth0\n"),
	    VT_ERR, "type and flags without 0x: error");
	is_int(parse_str(HDR "192.0.2.1 0x1 0x2 02:fc:00:00:00:05 * eth0 x\n"),
	    VT_ERR, "seven columns: error");
	is_int(parse_str(HDR "192.0.2.1 0x1 0x2 02:fc:00:00:00:05 * "
	    "a-name-of-sixteen\n"), VT_OK, "a device name too long: read");
	ok(arp.n == 0 && arp.ndropped == 1, "... counted as dropped");

	off = (size_t)snprintf(buf, sizeof(buf), HDR);
	for (i = 0; i < VT_MAX_IFACES + 2; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
		    "10.0.%zu.1 0x1 0x2 00:00:00:00:00:01 * veth%zu\n", i, i);
	is_int(vt_proc_net_arp_parse(buf, off, &arp, NULL, 0), VT_OK,
	    "VT_MAX_IFACES + 2 devices: read");
	ok(arp.n == VT_MAX_IFACES && arp.ndropped == 2, "... 2 dropped");

	is_int((long long)tap_fixture_cuts("proc/server64/proc/net/arp",
	    cut_parse), 0, "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

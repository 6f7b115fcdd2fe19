/*
 * proc_net_udp-t.c: the /proc/net/udp{,6} queue sums and their reader.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_udp.h"

static struct vt_proc_net_udp	uq;
static struct vt_udp_summary	one;

static int	read_tree(const char *tree);
static int	parse_str(const char *s);
static int	cut_parse(const char *buf, size_t len);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_udp_read(root, &uq, err, sizeof(err));
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_udp_parse(s, strlen(s), &one, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	return vt_proc_net_udp_parse(buf, len, &one, NULL, 0);
}

#define HDR	"   sl  local_address rem_address   st tx_queue rx_queue tr " \
		"tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
#define SOCK(q)	"    0: 00000000:0044 00000000:0000 07 " q " 00:00000000 " \
		"00000000     0        0 4242 2 0000000000000000 0\n"

int
main(void)
{
	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	ok(uq.has_v4 && uq.has_v6, "vm2: both files");
	ok(uq.v4.sockets == 0 && uq.v6.sockets == 0 && uq.v4.rx_queue == 0,
	    "vm2: no UDP socket, nothing queued");

	is_int(read_tree("server64"), VT_OK,
	    "server64: reads (38 KB through a 32 KB buffer)");
	is_int((long long)uq.v4.sockets, 300, "server64: 300 IPv4 sockets");
	is_int((long long)uq.v4.rx_queue, 663040,
	    "server64: IPv4 receive queues summed");
	is_int((long long)uq.v4.tx_queue, 3072,
	    "server64: IPv4 send queues summed");
	is_int((long long)uq.v6.sockets, 40, "server64: 40 IPv6 sockets");
	is_int((long long)uq.v6.rx_queue, 2304, "server64: IPv6 receive");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads (no udp6)");
	ok(uq.has_v4 && !uq.has_v6, "legacy: IPv6 disabled, flagged");
	is_int((long long)uq.v4.rx_queue, 4096, "legacy: syslog's queue");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "queues without ':': error");
	ok(!uq.has_v4 && uq.v4.sockets == 0, "an error leaves nothing");
	errno = 0;
	is_int(read_tree("nonexistent"), VT_ERR, "neither file: error");
	is_int(errno, ENOENT, "... ENOENT, as node_exporter's no data");

	is_int(parse_str(HDR), VT_OK, "a header alone: no socket");
	is_int(parse_str(HDR SOCK("00000001:0000FFFF")), VT_OK,
	    "one socket: reads");
	ok(one.tx_queue == 1 && one.rx_queue == 65535 && one.sockets == 1,
	    "... its queues, in hexadecimal");
	is_int(parse_str(SOCK("00000000:00000000")), VT_ERR,
	    "no header: error");
	is_int(parse_str(HDR "    0: 00000000:0044 00000000:0000 07\n"),
	    VT_ERR, "a short line: error");
	is_int(parse_str(HDR SOCK("0000000x:00000000")), VT_ERR,
	    "a bad queue: error");
	is_int(parse_str(HDR SOCK("100000000:00000000")), VT_ERR,
	    "a queue past 32 bits: error");

	is_int((long long)tap_fixture_cuts("proc/server64/proc/net/udp",
	    cut_parse), 0, "server64 udp: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts("proc/server64/proc/net/udp6",
	    cut_parse), 0, "server64 udp6: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

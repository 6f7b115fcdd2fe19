/*
 * proc_net_sockstat-t.c: the /proc/net/sockstat{,6} parser and reader.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_net_sockstat.h"

#define PAGESIZE	4096

static struct vt_proc_net_sockstat	ss;
static struct vt_sockstat		one;

static int	read_tree(const char *tree);
static int	parse_str(const char *s);
static int	cut_parse(const char *buf, size_t len);
static long long value(const struct vt_sockstat *s, const char *name,
		    enum vt_sockstat_field f);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_net_sockstat_read(root, PAGESIZE, &ss, err,
	    sizeof(err));
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_net_sockstat_parse(s, strlen(s), PAGESIZE, &one, err,
	    sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	return vt_proc_net_sockstat_parse(buf, len, PAGESIZE, &one, NULL, 0);
}

/* The value, or -1 when the protocol or the field is absent. */
static long long
value(const struct vt_sockstat *s, const char *name, enum vt_sockstat_field f)
{
	const struct vt_sockstat_proto	*p = vt_sockstat_find(s, name);

	if (p == NULL || !(p->have & (1u << f)))
		return -1;
	return (long long)p->v[f];
}

int
main(void)
{
	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	ok(ss.v4.has_used && ss.v4.used == 32, "vm2: sockets used 32");
	is_int((long long)ss.v4.n, 5, "vm2: 5 protocols");
	is_int(value(&ss.v4, "TCP", VT_SS_TW), 2017, "vm2: TCP tw");
	is_int(value(&ss.v4, "TCP", VT_SS_MEM), 51, "vm2: TCP mem (pages)");
	is_int((long long)vt_sockstat_find(&ss.v4, "TCP")->mem_bytes, 51 * PAGESIZE,
	    "vm2: TCP mem_bytes");
	is_int(value(&ss.v4, "UDP", VT_SS_ORPHAN), -1, "vm2: UDP no orphan");
	is_int(value(&ss.v4, "FRAG", VT_SS_MEMORY), 0, "vm2: FRAG memory");
	ok(ss.has_v6, "vm2: has sockstat6");
	ok(!ss.v6.has_used, "vm2: sockstat6 has no sockets line");
	is_int((long long)ss.v6.n, 5, "vm2: 5 IPv6 protocols");
	is_str(ss.v6.p[0].name, "TCP6", "vm2: TCP6 first");

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	is_int(value(&ss.v4, "TCP", VT_SS_INUSE), 18234,
	    "server64: TCP inuse");
	is_int(value(&ss.v4, "TCP", VT_SS_ORPHAN), 12, "server64: orphan");
	is_int(value(&ss.v4, "TCP", VT_SS_ALLOC), 19001, "server64: alloc");
	is_int(value(&ss.v4, "FRAG", VT_SS_MEMORY), 12345,
	    "server64: FRAG memory");
	is_int(value(&ss.v6, "TCP6", VT_SS_INUSE), 2345,
	    "server64: TCP6 inuse");

	is_int(read_tree("legacy"), VT_OK, "legacy: reads (no sockstat6)");
	ok(!ss.has_v6 && ss.v6.n == 0, "legacy: IPv6 disabled, flagged");
	is_int(value(&ss.v4, "TCP", VT_SS_INUSE), 12, "legacy: TCP inuse");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "a key without value: error");
	ok(ss.v4.n == 0 && !ss.v4.has_used, "an error leaves nothing");

	is_int(parse_str("TCP:\n"), VT_ERR, "a protocol alone: error");
	is_int(parse_str("TCP inuse 1\n"), VT_ERR, "no colon: error");
	is_int(parse_str("TCP: inuse x\n"), VT_ERR, "a bad value: error");
	is_int(parse_str("TCP: inuse -1\n"), VT_ERR, "below zero: error");
	is_int(parse_str("TCP: inuse 1 future 7 tw 2\n"), VT_OK,
	    "an unknown key is skipped");
	is_int(value(&one, "TCP", VT_SS_TW), 2, "... and the next one read");
	is_int(parse_str("TCP: mem 18446744073709551615\n"), VT_OK,
	    "mem at 2^64 - 1: read");
	is_int((long long)one.p[0].mem_bytes, 0,
	    "... mem_bytes would overflow: 0");

	is_int((long long)tap_fixture_cuts("proc/vm2/proc/net/sockstat",
	    cut_parse), 0, "vm2: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts("proc/server64/proc/net/sockstat6",
	    cut_parse), 0, "server64 sockstat6: every mid-line cut fails "
	    "cleanly");

	done_testing();
	return tap_exit_status();
}

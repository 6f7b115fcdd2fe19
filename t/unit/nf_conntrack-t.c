/*
 * nf_conntrack-t.c: the conntrack collector: the table's size and limit,
 * the per-CPU counters summed, and a host without the module.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../tap.h"
#include "collect/nf_conntrack.h"

static struct vt_conntrack	ct;

static int	read_tree(const char *tree);
static int	parse_str(const char *s);
static int	cut_parse(const char *buf, size_t len);

static int
read_tree(const char *tree)
{
	char	root[4096], err[VT_ERRLEN];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_conntrack_read(root, &ct, err, sizeof(err));
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_nf_conntrack_stat_parse(s, strlen(s), &ct, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	return vt_nf_conntrack_stat_parse(buf, len, &ct, NULL, 0);
}

/* Linux 4.x's header, and two CPUs. */
#define OLD	"entries  searched found new invalid ignore delete " \
		"delete_list insert insert_failed drop early_drop icmp_error " \
		" expect_new expect_create expect_delete search_restart\n" \
		"00000010  00000000 00000001 00000000 00000002 00000003 " \
		"00000000 00000000 00000004 00000005 00000006 00000007 " \
		"00000000  00000000 00000000 00000000 00000008\n" \
		"00000010  00000000 00000010 00000000 00000020 00000030 " \
		"00000000 00000000 00000040 00000050 00000060 00000070 " \
		"00000000  00000000 00000000 00000000 00000080\n"

int
main(void)
{
	int	k;

	is_int(read_tree("vm2"), VT_OK, "vm2: reads");
	ok(ct.present && ct.has_stat, "vm2: the module is loaded");
	ok(ct.entries == 0 && ct.limit == 262144, "vm2: 0 of 262144");
	for (k = 0; k < VT_CT_NSTATS && ct.stat[k] == 0; k++)
		;
	is_int(k, VT_CT_NSTATS, "vm2: every counter 0");

	is_int(read_tree("server64"), VT_OK, "server64: reads");
	ok(ct.entries == 187654 && ct.limit == 262144,
	    "server64: 187654 of 262144");
	is_int((long long)ct.stat[VT_CT_FOUND], 36588355,
	    "server64: found, summed over 64 CPUs");
	is_int((long long)ct.stat[VT_CT_INVALID], 3202463,
	    "server64: invalid");
	is_int((long long)ct.stat[VT_CT_INSERT_FAILED], 53,
	    "server64: insert_failed");
	is_int((long long)ct.stat[VT_CT_DROP], 42, "server64: drop");
	is_int((long long)ct.stat[VT_CT_EARLY_DROP], 17,
	    "server64: early_drop");
	is_int((long long)ct.stat[VT_CT_SEARCH_RESTART], 320077,
	    "server64: search_restart");

	is_int(read_tree("legacy"), VT_OK,
	    "legacy: no nf_conntrack module: no error");
	ok(!ct.present && !ct.has_stat && ct.entries == 0,
	    "legacy: ... and nothing present");

	is_int(read_tree("empty"), VT_ERR, "empty: error");
	is_int(read_tree("truncated"), VT_ERR, "cut mid-line: error");
	is_int(read_tree("malformed"), VT_ERR, "not hexadecimal: error");
	ok(!ct.present && ct.stat[VT_CT_FOUND] == 0,
	    "an error leaves nothing");

	is_int(parse_str(OLD), VT_OK, "the Linux 4.x layout: reads");
	ok(ct.stat[VT_CT_FOUND] == 0x11 && ct.stat[VT_CT_INVALID] == 0x22 &&
	    ct.stat[VT_CT_IGNORE] == 0x33 && ct.stat[VT_CT_INSERT] == 0x44 &&
	    ct.stat[VT_CT_INSERT_FAILED] == 0x55 &&
	    ct.stat[VT_CT_DROP] == 0x66 && ct.stat[VT_CT_EARLY_DROP] == 0x77 &&
	    ct.stat[VT_CT_SEARCH_RESTART] == 0x88,
	    "... each column found by name and summed");
	is_int(parse_str("entries found\n00000001 00000002\n"), VT_ERR,
	    "a header without invalid: error");
	is_int(parse_str("00000001 00000002\n"), VT_ERR, "no header: error");
	is_int(parse_str("\n\n"), VT_ERR,
	    "a blank first line: error (the fuzzer's find)");
	is_int(parse_str(OLD "00000010 00000000\n"), VT_ERR,
	    "a line shorter than the header: error");

	is_int((long long)tap_fixture_cuts(
	    "proc/server64/proc/net/stat/nf_conntrack", cut_parse), 0,
	    "server64: every mid-line cut fails cleanly");
	is_int((long long)tap_fixture_cuts(
	    "proc/vm2/proc/net/stat/nf_conntrack", cut_parse), 0,
	    "vm2: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

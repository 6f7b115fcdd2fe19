/*
 * proc_stat-t.c: the /proc/stat parser and reader against the captured
 * (vm2), constructed (server64, legacy), empty, truncated and malformed
 * fixture trees, plus every cut of the real files in exact-size heap
 * blocks, so a read past the length trips AddressSanitizer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_stat.h"

static struct vt_proc_stat	st;

static int	parse(const char *buf, size_t len, char *err, size_t errlen);
static int	cuts(const char *rel);
static int	parse_str(const char *s);
static void	root_of(const char *tree, char *dst, size_t dstlen);

static int
parse(const char *buf, size_t len, char *err, size_t errlen)
{
	return vt_proc_stat_parse(buf, len, &st, err, errlen);
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return parse(s, strlen(s), err, sizeof(err));
}

/*
 * Parse every prefix of a fixture, each copied into a heap block of
 * exactly its size (not NUL-terminated).  A prefix that ends mid-line
 * must fail cleanly.  Returns the number of prefixes that broke the rule.
 */
static int
cut_parse(const char *buf, size_t len)
{
	char	err[VT_ERRLEN];

	return parse(buf, len, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

static void
root_of(const char *tree, char *dst, size_t dstlen)
{
	snprintf(dst, dstlen, "%s/proc/%s", tap_fixture_root(), tree);
}

int
main(void)
{
	char		 root[4096], err[VT_ERRLEN], *buf, big[300 * 24 + 64];
	size_t		 len, i, n;
	uint64_t	 sum;
	int		 rc;

	/* vm2: captured on the 2-CPU development VM. */
	buf = tap_fixture("proc/vm2/proc/stat", &len);
	is_int(parse(buf, len, err, sizeof(err)), VT_OK, "vm2: parses");
	is_int((long long)st.ncpu, 2, "vm2: 2 CPUs");
	is_int(st.total.id, -1, "vm2: the total line has id -1");
	is_int(st.total.nmodes, 10, "vm2: 10 columns");
	is_int((long long)st.total.mode[VT_CPU_USER], 3036, "vm2: user");
	is_int((long long)st.total.mode[VT_CPU_SYSTEM], 3168, "vm2: system");
	is_int((long long)st.total.mode[VT_CPU_IDLE], 158802, "vm2: idle");
	is_int((long long)st.total.mode[VT_CPU_IOWAIT], 521, "vm2: iowait");
	is_int((long long)st.total.mode[VT_CPU_SOFTIRQ], 51, "vm2: softirq");
	is_int((long long)st.total.mode[VT_CPU_STEAL], 11, "vm2: steal");
	is_int(st.cpu[1].id, 1, "vm2: cpu1 id");
	is_int((long long)st.cpu[1].mode[VT_CPU_IDLE], 78404, "vm2: cpu1 idle");
	is_int((long long)st.cpu[0].mode[VT_CPU_USER], 1144, "vm2: cpu0 user");
	is_int((long long)st.ctxt, 432771, "vm2: ctxt");
	is_int((long long)st.btime, 1795366400, "vm2: btime");
	is_int((long long)st.processes, 16279, "vm2: processes");
	is_int((long long)st.procs_running, 1, "vm2: procs_running");
	is_int((long long)st.procs_blocked, 0, "vm2: procs_blocked");
	is_int((long long)st.intr, 202323, "vm2: intr total");
	is_int(st.has, VT_STAT_HAS_CTXT | VT_STAT_HAS_BTIME |
	    VT_STAT_HAS_PROCESSES | VT_STAT_HAS_RUNNING | VT_STAT_HAS_BLOCKED |
	    VT_STAT_HAS_INTR, "vm2: every single-value line seen");
	is_str(vt_cpu_mode_names[VT_CPU_GUEST_NICE], "guest_nice",
	    "mode names follow node_exporter");
	free(buf);

	root_of("vm2", root, sizeof(root));
	rc = vt_proc_stat_read(root, &st, err, sizeof(err));
	ok(rc == VT_OK && st.ncpu == 2 && st.ctxt == 432771,
	    "vm2: the reader finds <root>/proc/stat");

	/* server64: constructed, 64 CPUs, a 1400-irq intr line. */
	root_of("server64", root, sizeof(root));
	is_int(vt_proc_stat_read(root, &st, err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)st.ncpu, 64, "server64: 64 CPUs");
	is_int(st.cpu[63].id, 63, "server64: the last is cpu63");
	is_int((long long)st.cpu[63].mode[VT_CPU_IDLE], 286602079,
	    "server64: cpu63 idle");
	is_int((long long)st.total.mode[VT_CPU_USER], 3245355706LL,
	    "server64: total user");
	is_int((long long)st.total.mode[VT_CPU_GUEST], 31960762,
	    "server64: total guest");
	for (sum = 0, i = 0; i < st.ncpu; i++)
		sum += st.cpu[i].mode[VT_CPU_IDLE];
	is_int((long long)sum, (long long)st.total.mode[VT_CPU_IDLE],
	    "server64: per-CPU idle sums to the total");
	is_int((long long)st.ctxt, 98765432109LL, "server64: ctxt > 2^32");
	is_int((long long)st.intr, 190454279066LL, "server64: intr");
	is_int((long long)st.procs_running, 37, "server64: procs_running");
	is_int((long long)st.procs_blocked, 2, "server64: procs_blocked");

	/* legacy: 9 columns, cpu2 offline. */
	root_of("legacy", root, sizeof(root));
	is_int(vt_proc_stat_read(root, &st, err, sizeof(err)), VT_OK,
	    "legacy: reads");
	is_int((long long)st.ncpu, 3, "legacy: 3 online CPUs");
	ok(st.cpu[0].id == 0 && st.cpu[1].id == 1 && st.cpu[2].id == 3,
	    "legacy: ids keep the gap of the offline cpu2");
	is_int(st.total.nmodes, 9, "legacy: 9 columns");
	is_int((long long)st.total.mode[VT_CPU_GUEST_NICE], 0,
	    "legacy: absent guest_nice is 0");
	is_int((long long)st.total.mode[VT_CPU_GUEST], 7, "legacy: guest");

	/* Bad input: a clean error, never a crash. */
	root_of("empty", root, sizeof(root));
	is_int(vt_proc_stat_read(root, &st, err, sizeof(err)), VT_ERR,
	    "empty file: error");
	ok(strstr(err, "empty") != NULL, "empty file: says so (%s)", err);
	root_of("truncated", root, sizeof(root));
	is_int(vt_proc_stat_read(root, &st, err, sizeof(err)), VT_ERR,
	    "file cut mid-line: error");
	ok(strstr(err, "truncated") != NULL, "cut file: says so (%s)", err);
	root_of("malformed", root, sizeof(root));
	is_int(vt_proc_stat_read(root, &st, err, sizeof(err)), VT_ERR,
	    "malformed file: error");
	ok(strstr(err, "line 1") != NULL, "malformed: names the line (%s)",
	    err);
	root_of("no-such-tree", root, sizeof(root));
	is_int(vt_proc_stat_read(root, &st, err, sizeof(err)), VT_ERR,
	    "missing file: error");
	ok(strstr(err, "no-such-tree/proc/stat") != NULL,
	    "missing file: names the path (%s)", err);

	is_int(parse_str("ctxt 5\n"), VT_ERR, "no cpu line: error");
	is_int(parse_str("cpu  1 2 3\n"), VT_ERR, "3 columns: error");
	is_int(parse_str("cpu  1 2 3 4\nctxt 99999999999999999999999\n"),
	    VT_ERR, "a number past 2^64: error");
	is_int(parse_str("cpu  1 2 3 4\ncpu  1 2 3 4\n"), VT_ERR,
	    "two total lines: error");
	is_int(parse_str("cpu  1 2 3 -4\n"), VT_ERR, "a negative: error");
	is_int(parse_str("cpux 1 2 3 4\ncpu  1 2 3 4\n"), VT_ERR,
	    "cpu with a bad id: error");
	is_int(parse_str("cpu  1 2 3 4 5 6 7 8 9 10 11 12\n"), VT_OK,
	    "extra columns of a future kernel: ignored");
	is_int(parse_str("cpu  1 2 3 4\nsoftirq 1 2\npage 3 4\n\n"), VT_OK,
	    "unknown lines and blank lines: skipped");
	/* len stops the parser, not a NUL: the tail must not be read. */
	rc = parse("cpu  1 2 3 4\nctxt 7\nGARBAGE", 20, err, sizeof(err));
	ok(rc == VT_OK && st.ctxt == 7, "stops at len, not at NUL");

	/* More CPU lines than the table: kept bounded, the rest counted. */
	n = (size_t)snprintf(big, sizeof(big), "cpu  1 1 1 1\n");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
		    "cpu%zu 1 1 1 1\n", i);
	rc = parse(big, n, err, sizeof(err));
	ok(rc == VT_OK && st.ncpu == VT_MAX_CPUS && st.ncpu_dropped == 44,
	    "300 CPUs: %d kept, 44 counted as dropped", VT_MAX_CPUS);

	is_int(cuts("proc/vm2/proc/stat"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/stat"), 0,
	    "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

/*
 * proc_meminfo-t.c: the /proc/meminfo parser and reader against the
 * fixture trees; values must come out in bytes (kB x 1024) except the
 * HugePages_ counts, with node_exporter's metric names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_meminfo.h"

#define KB	1024ULL

static struct vt_proc_meminfo	m;

static int	parse_str(const char *s);
static int	cuts(const char *rel);
static int	read_tree(const char *tree, char *err, size_t errlen);
static const struct vt_meminfo_entry *entry(const char *name);

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_meminfo_parse(s, strlen(s), &m, err, sizeof(err));
}

/* Every prefix in an exact-size heap block; mid-line cuts must fail. */
static int
cut_parse(const char *buf, size_t len)
{
	char	err[VT_ERRLEN];

	return vt_proc_meminfo_parse(buf, len, &m, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_meminfo_read(root, &m, err, errlen);
}

static const struct vt_meminfo_entry *
entry(const char *name)
{
	size_t	i;

	for (i = 0; i < m.n; i++) {
		if (strcmp(m.e[i].name, name) == 0)
			return &m.e[i];
	}
	return NULL;
}

int
main(void)
{
	const struct vt_meminfo_entry	*e;
	char				 err[VT_ERRLEN], name[128];
	uint64_t			 v;

	/* vm2: captured. */
	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_int((long long)m.n, 54, "vm2: all 54 lines kept");
	is_int((long long)m.ndropped, 0, "vm2: none dropped");
	is_int((long long)m.mem_total, 24684084 * KB, "vm2: MemTotal bytes");
	is_int((long long)m.mem_free, 24136364 * KB, "vm2: MemFree");
	is_int((long long)m.mem_available, 24247804 * KB, "vm2: MemAvailable");
	ok(m.has_available, "vm2: MemAvailable present");
	is_int((long long)m.buffers, 1212 * KB, "vm2: Buffers");
	is_int((long long)m.cached, 286568 * KB, "vm2: Cached");
	is_int((long long)m.swap_total, 0, "vm2: no swap");
	is_int((long long)m.shmem, 8872 * KB, "vm2: Shmem");
	is_int((long long)m.sreclaimable, 79320 * KB, "vm2: SReclaimable");
	is_int((long long)m.dirty, 1424 * KB, "vm2: Dirty");
	is_int((long long)m.hugepagesize, 2048 * KB, "vm2: Hugepagesize");
	ok(vt_proc_meminfo_get(&m, "VmallocTotal", &v) == VT_OK &&
	    v == 34359738367ULL * KB, "vm2: VmallocTotal, 11 digits, by name");
	e = entry("HugePages_Total");
	ok(e != NULL && !e->is_bytes && e->value == 0,
	    "vm2: HugePages_Total is a count, not bytes");
	e = entry("Active(anon)");
	ok(e != NULL && e->is_bytes, "vm2: Active(anon) kept under its name");
	ok(e != NULL && vt_proc_meminfo_metric_name(e, name, sizeof(name)) ==
	    VT_OK, "metric name fits");
	is_str(name, "node_memory_Active_anon_bytes",
	    "node_exporter's name for Active(anon)");
	e = entry("HugePages_Total");
	vt_proc_meminfo_metric_name(e, name, sizeof(name));
	is_str(name, "node_memory_HugePages_Total", "no _bytes for a count");
	ok(vt_proc_meminfo_metric_name(e, name, 12) == VT_ERR,
	    "a short name buffer is an error");
	ok(vt_proc_meminfo_get(&m, "NoSuchField", &v) == VT_ERR,
	    "unknown name: not found");

	/* server64: constructed, 512 GiB, 9-digit values, huge pages. */
	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)m.mem_total, 528157480 * KB,
	    "server64: MemTotal (9 digits, past the width of 8)");
	is_int((long long)m.swap_total, 8388608 * KB, "server64: SwapTotal");
	is_int((long long)m.swap_free, 7979008 * KB, "server64: SwapFree");
	is_int((long long)m.hugepages_total, 1024,
	    "server64: HugePages_Total 1024 pages");
	is_int((long long)m.hugepages_free, 512, "server64: HugePages_Free");
	is_int((long long)m.sunreclaim, 4876544 * KB, "server64: SUnreclaim");
	is_int((long long)m.committed_as, 150987654 * KB,
	    "server64: Committed_AS");

	/* legacy: no MemAvailable (before 3.14). */
	is_int(read_tree("legacy", err, sizeof(err)), VT_OK, "legacy: reads");
	ok(!m.has_available && m.mem_available == 0,
	    "legacy: MemAvailable absent, flagged, 0");
	is_int((long long)m.mem_total, 4046844 * KB, "legacy: MemTotal");

	/* Bad input. */
	is_int(read_tree("empty", err, sizeof(err)), VT_ERR, "empty: error");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	ok(strstr(err, "truncated") != NULL, "cut: says so (%s)", err);
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "malformed: error");
	ok(strstr(err, "line 2") != NULL, "malformed: names line 2 (%s)", err);
	is_int(parse_str("MemFree: 1 kB\n"), VT_ERR, "no MemTotal: error");
	is_int(parse_str("MemTotal: 1 MB\nMemFree: 1 kB\n"), VT_ERR,
	    "an unknown unit: error");
	is_int(parse_str("MemTotal: 1 kB extra\nMemFree: 1 kB\n"), VT_ERR,
	    "an extra word: error");
	is_int(parse_str("MemTotal: 18014398509481984 kB\nMemFree: 1 kB\n"),
	    VT_ERR, "kB that overflow 64 bits as bytes: error");
	is_int(parse_str("MemTotal:\nMemFree: 1 kB\n"), VT_ERR,
	    "no value: error");
	is_int(parse_str("MemTotal: 2 kB\nMemFree: 1 kB\n"
	    "AVeryLongFieldNameThatNoKernelHasYet: 5 kB\n"), VT_OK,
	    "a name longer than the table's: skipped, not fatal");
	is_int((long long)m.ndropped, 1, "... and counted");

	is_int(cuts("proc/vm2/proc/meminfo"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/meminfo"), 0,
	    "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

/*
 * proc_diskstats-t.c: the /proc/diskstats parser, node_exporter's device
 * exclusion, and the reader's whole-disk test (sysfs, or a heuristic
 * where the tree has no sys/block).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "collect/proc_diskstats.h"

static struct vt_proc_diskstats	ds;

static int	read_tree(const char *tree, char *err, size_t errlen);
static int	parse_str(const char *s);
static int	cuts(const char *rel);
static const struct vt_disk *disk(const char *name);
static size_t	selected(void);

static int
read_tree(const char *tree, char *err, size_t errlen)
{
	char	root[4096];

	snprintf(root, sizeof(root), "%s/proc/%s", tap_fixture_root(), tree);
	return vt_proc_diskstats_read(root, NULL, &ds, err, errlen);
}

static int
parse_str(const char *s)
{
	char	err[VT_ERRLEN];

	return vt_proc_diskstats_parse(s, strlen(s), &ds, err, sizeof(err));
}

static int
cut_parse(const char *buf, size_t len)
{
	char	err[VT_ERRLEN];

	return vt_proc_diskstats_parse(buf, len, &ds, err, sizeof(err));
}

static int
cuts(const char *rel)
{
	return (int)tap_fixture_cuts(rel, cut_parse);
}

static const struct vt_disk *
disk(const char *name)
{
	size_t	i;

	for (i = 0; i < ds.n; i++) {
		if (strcmp(ds.disk[i].name, name) == 0)
			return &ds.disk[i];
	}
	return NULL;
}

static size_t
selected(void)
{
	size_t	i, n = 0;

	for (i = 0; i < ds.n; i++)
		n += vt_diskstats_selected(&ds.disk[i]) ? 1 : 0;
	return n;
}

int
main(void)
{
	static const struct {
		const char	*name;
		int		 ignored;
		int		 partition;
	} names[] = {
		{ "sda", 0, 0 }, { "sda1", 1, 1 }, { "sdaa", 0, 0 },
		/* node_exporter's [a-z] is one letter: sdaa1 is not ignored. */
		{ "sdaa1", 0, 1 }, { "hda2", 1, 1 }, { "vdb3", 1, 1 },
		{ "xvda1", 1, 1 }, { "nvme0n1", 0, 0 }, { "nvme0n1p1", 1, 1 },
		{ "nvme10n2p13", 1, 1 }, { "loop0", 1, 0 }, { "loop12", 1, 0 },
		{ "loop", 0, 0 }, { "zram0", 1, 0 }, { "ram15", 1, 0 },
		{ "fd0", 1, 0 }, { "md0", 0, 0 }, { "md127p1", 0, 1 },
		{ "dm-0", 0, 0 }, { "sr0", 0, 0 }, { "mmcblk0", 0, 0 },
		{ "mmcblk0p1", 0, 1 }, { "nbd0p1", 0, 1 }, { "vda", 0, 0 },
	};
	const struct vt_disk	*d;
	char			 err[VT_ERRLEN];
	size_t			 i;
	int			 bad;

	for (bad = 0, i = 0; i < VT_ARRAY_LEN(names); i++) {
		if (vt_diskstats_ignored(names[i].name) != names[i].ignored) {
			diag("ignored(%s) is wrong", names[i].name);
			bad++;
		}
		if (vt_diskstats_is_partition(names[i].name) !=
		    names[i].partition) {
			diag("is_partition(%s) is wrong", names[i].name);
			bad++;
		}
	}
	is_int(bad, 0, "%zu names: node_exporter's exclusion, partitions",
	    VT_ARRAY_LEN(names));

	/* vm2: captured, with its sys/block. */
	is_int(read_tree("vm2", err, sizeof(err)), VT_OK, "vm2: reads");
	is_int((long long)ds.n, 10, "vm2: 8 loops, vda, zram0");
	d = disk("vda");
	ok(d != NULL, "vm2: vda");
	if (d != NULL) {
		is_int(d->major, 254, "vm2: vda major");
		is_int(d->nfields, 17, "vm2: 17 counters (5.5+)");
		is_int((long long)d->v[VT_DISK_READS], 49472, "vm2: vda reads");
		is_int((long long)d->v[VT_DISK_READ_SECTORS], 4017202,
		    "vm2: vda sectors read");
		is_int((long long)d->v[VT_DISK_WRITES], 22666,
		    "vm2: vda writes");
		is_int((long long)d->v[VT_DISK_IO_MS], 7624, "vm2: vda io ms");
		is_int((long long)d->v[VT_DISK_WEIGHTED_IO_MS], 35154,
		    "vm2: vda weighted io ms");
		is_int((long long)d->v[VT_DISK_DISCARDS], 8559,
		    "vm2: vda discards");
		is_int((long long)d->v[VT_DISK_FLUSH_MS], 181,
		    "vm2: vda flush ms");
		ok(vt_diskstats_selected(d), "vm2: vda selected");
	} else {
		skip(10, "no vda");
	}
	d = disk("loop3");
	ok(d != NULL && (d->flags & VT_DISK_WHOLE) &&
	    (d->flags & VT_DISK_IGNORED), "vm2: loop3 whole but ignored");
	is_int((long long)selected(), 1, "vm2: only vda selected");

	/*
	 * The last read's table: a row the same as last time keeps its
	 * VT_DISK_WHOLE without a lookup (here the carried flag is made
	 * wrong on purpose, so only a carry can give it), a row that
	 * changed is looked up again.
	 */
	{
		static struct vt_proc_diskstats	prev;
		char				root[4096];

		prev = ds;
		for (i = 0; i < prev.n; i++) {
			if (strcmp(prev.disk[i].name, "vda") == 0)
				prev.disk[i].flags &= ~VT_DISK_WHOLE;
			if (strcmp(prev.disk[i].name, "loop3") == 0) {
				prev.disk[i].flags &= ~VT_DISK_WHOLE;
				prev.disk[i].minor = 99;
			}
		}
		snprintf(root, sizeof(root), "%s/proc/vm2",
		    tap_fixture_root());
		is_int(vt_proc_diskstats_read(root, &prev, &ds, err,
		    sizeof(err)), VT_OK, "vm2 again, with the last table");
		ok(disk("vda") != NULL && !(disk("vda")->flags & VT_DISK_WHOLE),
		    "vm2: an unchanged row keeps the last table's flag");
		ok(disk("loop3") != NULL &&
		    (disk("loop3")->flags & VT_DISK_WHOLE) &&
		    (disk("loop3")->flags & VT_DISK_IGNORED),
		    "vm2: a row whose device changed is looked up again");
		snprintf(root, sizeof(root), "%s/proc/legacy",
		    tap_fixture_root());
		prev = ds;
		is_int(vt_proc_diskstats_read(root, &prev, &ds, err,
		    sizeof(err)), VT_OK, "legacy, with vm2's table");
		ok(disk("sda") != NULL &&
		    (disk("sda")->flags & VT_DISK_WHOLE) &&
		    disk("sda1") != NULL &&
		    !(disk("sda1")->flags & VT_DISK_WHOLE),
		    "legacy: other devices: judged afresh");
	}

	/* server64: constructed, with sys/block for whole disks only. */
	is_int(read_tree("server64", err, sizeof(err)), VT_OK,
	    "server64: reads");
	is_int((long long)ds.n, 52, "server64: 52 rows, partitions too");
	d = disk("nvme0n1");
	ok(d != NULL && d->v[VT_DISK_READS] == 123456789 &&
	    d->v[VT_DISK_WRITE_MS] == 4294967295ULL &&
	    d->v[VT_DISK_IN_FLIGHT] == 12 &&
	    d->v[VT_DISK_FLUSHES] == 9876543 &&
	    d->v[VT_DISK_FLUSH_MS] == 123456, "server64: nvme0n1 counters");
	d = disk("nvme0n1p3");
	ok(d != NULL && !(d->flags & VT_DISK_WHOLE) &&
	    (d->flags & VT_DISK_IGNORED), "server64: nvme0n1p3 a partition");
	d = disk("sdaa1");
	ok(d != NULL && !(d->flags & VT_DISK_WHOLE) &&
	    !(d->flags & VT_DISK_IGNORED) && !vt_diskstats_selected(d),
	    "server64: sdaa1 escapes the regex, sysfs still drops it");
	d = disk("sdab");
	ok(d != NULL && d->major == 65 && vt_diskstats_selected(d),
	    "server64: sdab (major 65) selected");
	ok(disk("dm-3") != NULL && vt_diskstats_selected(disk("dm-3")),
	    "server64: dm-3 selected");
	is_int((long long)selected(), 37,
	    "server64: 2 nvme + 28 sd + 2 md + 4 dm + sr0 selected");

	/* legacy: 11 counters, no sys/block: the heuristic decides. */
	is_int(read_tree("legacy", err, sizeof(err)), VT_OK, "legacy: reads");
	d = disk("sda");
	ok(d != NULL && d->nfields == 11 && d->v[VT_DISK_WEIGHTED_IO_MS] ==
	    4444 && d->v[VT_DISK_DISCARDS] == 0,
	    "legacy: 11 counters, discard columns 0");
	ok(disk("sda1") != NULL && !(disk("sda1")->flags & VT_DISK_WHOLE),
	    "legacy: sda1 a partition without sysfs");
	is_int((long long)selected(), 3, "legacy: sda, sdb, dm-0");

	/* Bad input. */
	is_int(read_tree("empty", err, sizeof(err)), VT_OK,
	    "empty: no block devices is not an error");
	is_int((long long)ds.n, 0, "... zero rows");
	is_int(read_tree("truncated", err, sizeof(err)), VT_ERR,
	    "cut mid-line: error");
	is_int(read_tree("malformed", err, sizeof(err)), VT_ERR,
	    "6 columns: error");
	is_int(parse_str("8 0 sda 1 2 3 4 5 6 7 8 9 10 x\n"), VT_ERR,
	    "a bad counter: error");
	is_int(parse_str("8 x sda 1 2 3 4 5 6 7 8 9 10 11\n"), VT_ERR,
	    "a bad minor: error");
	is_int(parse_str("8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 "
	    "18 19 20\n"), VT_OK, "columns of a future kernel: ignored");
	is_int(ds.disk[0].nfields, VT_DISK_NFIELDS, "... %d kept",
	    VT_DISK_NFIELDS);

	is_int(cuts("proc/vm2/proc/diskstats"), 0,
	    "vm2: every mid-line cut fails cleanly");
	is_int(cuts("proc/server64/proc/diskstats"), 0,
	    "server64: every mid-line cut fails cleanly");

	done_testing();
	return tap_exit_status();
}

/*
 * proc_diskstats.h: /proc/diskstats, per block device I/O counters.
 *
 * Counts are since the device appeared.  Sectors are 512 bytes whatever
 * the device's sector size.  The kernel prints the four time columns and
 * in-flight as 32-bit "unsigned int" (milliseconds: they wrap after 49.7
 * days of accumulated time), the rest as unsigned long (64-bit on 64-bit
 * kernels): rate.h's vt_delta_u32() is for the former.  Kernels 4.18+
 * add four discard columns, 5.5+ two flush columns.
 */
#ifndef VT_COLLECT_PROC_DISKSTATS_H
#define VT_COLLECT_PROC_DISKSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* Columns after "major minor name", in the kernel's order. */
enum vt_disk_field {
	VT_DISK_READS,			/* completed */
	VT_DISK_READS_MERGED,
	VT_DISK_READ_SECTORS,
	VT_DISK_READ_MS,		/* 32-bit */
	VT_DISK_WRITES,
	VT_DISK_WRITES_MERGED,
	VT_DISK_WRITE_SECTORS,
	VT_DISK_WRITE_MS,		/* 32-bit */
	VT_DISK_IN_FLIGHT,		/* a gauge */
	VT_DISK_IO_MS,			/* 32-bit; busy time */
	VT_DISK_WEIGHTED_IO_MS,		/* 32-bit */
	VT_DISK_DISCARDS,		/* 4.18+ */
	VT_DISK_DISCARDS_MERGED,
	VT_DISK_DISCARD_SECTORS,
	VT_DISK_DISCARD_MS,		/* 32-bit */
	VT_DISK_FLUSHES,		/* 5.5+ */
	VT_DISK_FLUSH_MS,		/* 32-bit */
	VT_DISK_NFIELDS
};

/* Short names: "reads", "reads_merged", ..., "flush_ms". */
extern const char *const vt_disk_field_names[VT_DISK_NFIELDS];

/* Per-row flags set by the reader (the parser leaves them 0). */
#define VT_DISK_WHOLE		0x01	/* a whole disk, not a partition */
#define VT_DISK_IGNORED		0x02	/* matches node_exporter's ignore */

struct vt_disk {
	unsigned	major;
	unsigned	minor;
	char		name[VT_NAME_LEN];
	int		nfields;	/* 11, 15 or 17 (more are ignored) */
	unsigned	flags;		/* VT_DISK_* */
	uint64_t	v[VT_DISK_NFIELDS];	/* absent columns are 0 */
};

/* Rows kept: every device, including loop and partitions, up to this. */
#define VT_DISKSTATS_MAX	(4 * VT_MAX_DISKS)

struct vt_proc_diskstats {
	struct vt_disk	disk[VT_DISKSTATS_MAX];		/* file order */
	size_t		n;
	size_t		ndropped;	/* rows past the table */
};

/*
 * Parse the text of /proc/diskstats in buf[0..len) into *out, keeping
 * every row (flags 0).  An empty file is valid (no block devices).
 * Returns VT_OK, or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_proc_diskstats_parse(const char *buf, size_t len,
	    struct vt_proc_diskstats *out, char *err, size_t errlen);

/*
 * 1 when name matches node_exporter's default device exclusion,
 * ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$ (ram, zram, loop,
 * floppies and the usual partitions), else 0.
 */
int	vt_diskstats_ignored(const char *name);

/*
 * A guess without sysfs: 1 when name looks like a partition (the
 * patterns above, plus mmcblkNpM and nbdNpM), else 0.
 */
int	vt_diskstats_is_partition(const char *name);

/*
 * Read <root>/proc/diskstats, then set VT_DISK_IGNORED from
 * vt_diskstats_ignored() and VT_DISK_WHOLE from <root>/sys/block/<name>
 * (a '/' in the name is '!' there), or from vt_diskstats_is_partition()
 * when <root>/sys/block does not exist.  Rows are never removed: a
 * consumer that wants node_exporter's view keeps rows without
 * VT_DISK_IGNORED, one that wants whole disks only also requires
 * VT_DISK_WHOLE.  prev, when not NULL, is the last read's table: a row
 * with the same name and device numbers at the same place keeps its
 * VT_DISK_WHOLE without a stat(2) (a device is a disk or a partition for
 * its life), so a host whose devices did not change costs no sysfs
 * lookup (ten stat()s a tick on a host with loop devices, issue 14).
 * Returns VT_OK or VT_ERR.
 */
#define VT_PROC_DISKSTATS_BUFSZ	(64 * 1024)
int	vt_proc_diskstats_read(const char *root,
	    const struct vt_proc_diskstats *prev, struct vt_proc_diskstats *out,
	    char *err, size_t errlen);

/* The default selection: whole disks that node_exporter would not ignore. */
int	vt_diskstats_selected(const struct vt_disk *d);

#endif /* VT_COLLECT_PROC_DISKSTATS_H */

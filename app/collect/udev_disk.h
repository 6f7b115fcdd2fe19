/*
 * udev_disk.h: the identity of the block devices that the diskstats
 * families cover, from udev's database (node_exporter's node_disk_info):
 * <root>/run/udev/data/b<major>:<minor>, whose "E:KEY=value" lines are
 * the properties udev's rules gave the device.  node_exporter 1.5 reads
 * ID_PATH, ID_WWN, ID_MODEL, ID_REVISION and, for the serial,
 * SCSI_IDENT_SERIAL (the one on the disk's label) or else ID_SERIAL_SHORT.
 * A device udev has no entry for (a VM's virtio disk without rules, a
 * container without /run/udev) has empty strings, as node_exporter
 * gives.  It changes when a disk is swapped, so the sampler reads it on
 * the process-scan ticks.
 */
#ifndef VT_COLLECT_UDEV_DISK_H
#define VT_COLLECT_UDEV_DISK_H

#include <stddef.h>

#include "collect/proc_diskstats.h"
#include "vitals.h"

/* Longer values are cut (the renderer keeps a label valid UTF-8). */
#define VT_UDEV_PATH_LEN	128	/* "pci-0000:00:1f.2-ata-1.0" */
#define VT_UDEV_VALUE_LEN	64	/* model, serial, WWN, revision */

struct vt_udev_disk {
	unsigned	major;
	unsigned	minor;
	char		path[VT_UDEV_PATH_LEN];		/* ID_PATH */
	char		wwn[VT_UDEV_VALUE_LEN];		/* ID_WWN */
	char		model[VT_UDEV_VALUE_LEN];	/* ID_MODEL */
	char		serial[VT_UDEV_VALUE_LEN];	/* see above */
	char		revision[VT_UDEV_VALUE_LEN];	/* ID_REVISION */
	int		serial_scsi;	/* serial is SCSI_IDENT_SERIAL's */
};

struct vt_disk_info {
	struct vt_udev_disk	d[VT_DISKSTATS_MAX];	/* diskstats order */
	size_t			n;
	size_t			unreadable;	/* files read as empty */
};

/*
 * Parse whole lines of a udev database file, buf[0..len), into *d
 * (whose strings start empty): "E:" lines give the properties above,
 * every other line (S: symlinks, I: init time, G: tags ...) and every
 * other key is skipped, as is an "E:" line without '='.  Can be called
 * again with the next lines of the same file.  Returns VT_OK, or VT_ERR
 * (a NUL byte, a line cut short) with a reason in err.  No I/O.
 */
int	vt_udev_props_parse(const char *buf, size_t len,
	    struct vt_udev_disk *d, char *err, size_t errlen);

/*
 * For each row of ds that node_exporter does not ignore (the rows of the
 * node_disk_* families), read <root>/run/udev/data/b<major>:<minor>.  A
 * missing file gives empty strings; so does an unreadable or malformed
 * one (counted in unreadable), as node_exporter, which only logs it at
 * debug level.  Returns VT_OK (also without /run/udev).
 */
int	vt_disk_info_read(const char *root, const struct vt_proc_diskstats *ds,
	    struct vt_disk_info *out, char *err, size_t errlen);

/* The entry for major:minor in di, or NULL. */
const struct vt_udev_disk *vt_disk_info_find(const struct vt_disk_info *di,
	    unsigned major, unsigned minor);

#endif /* VT_COLLECT_UDEV_DISK_H */

/*
 * proc_mounts.h: /proc/self/mounts, the filesystems worth reporting.
 *
 * Pseudo filesystems (proc, sysfs, cgroup, tmpfs ...) and mount points
 * under /dev, /proc and /sys are left out while parsing, by lists the
 * caller may replace.  Sizes come later, from fs_usage.h.
 */
#ifndef VT_COLLECT_PROC_MOUNTS_H
#define VT_COLLECT_PROC_MOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_FSTYPE_LEN	32

/* What fs_usage.h found out about a mount. */
enum vt_fs_state {
	VT_FS_NOT_RUN,		/* no statvfs attempted yet */
	VT_FS_OK,		/* the sizes below are valid */
	VT_FS_ERROR,		/* statvfs failed: errno in error */
	VT_FS_TIMEOUT,		/* statvfs missed this pass's deadline */
	VT_FS_HUNG		/* skipped: an earlier statvfs is still stuck */
};

struct vt_mount {
	char		device[VT_PATH_LEN];	/* octal escapes decoded */
	char		mountpoint[VT_PATH_LEN];
	char		fstype[VT_FSTYPE_LEN];
	int		readonly;
	/* Filled by vt_fs_usage(); zero until then. */
	enum vt_fs_state state;
	int		error;
	uint64_t	size_bytes;		/* f_blocks * f_frsize */
	uint64_t	free_bytes;		/* f_bfree: root's view */
	uint64_t	avail_bytes;		/* f_bavail: a user's view */
	uint64_t	files;
	uint64_t	files_free;
};

struct vt_proc_mounts {
	struct vt_mount	m[VT_MAX_MOUNTS];	/* file order */
	size_t		n;
	size_t		nexcluded;	/* lines left out by the filter */
	size_t		ndropped;	/* kept lines past the table */
};

/*
 * What to leave out.  Each list ends with NULL; a NULL list means the
 * default below.  A mount point entry excludes that directory and all
 * below it ("/dev" drops "/dev" and "/dev/shm"), or, when it ends in '/',
 * only what is below it ("/var/lib/docker/" keeps "/var/lib/docker").
 */
struct vt_mounts_filter {
	const char *const	*fstypes;
	const char *const	*mountpoints;
};

/*
 * The defaults: the pseudo and virtual filesystems (tmpfs included, unlike
 * node_exporter; overlay kept, so a container's own root shows) and
 * node_exporter's mount point exclusions.
 */
extern const char *const vt_mounts_default_fstypes[];
extern const char *const vt_mounts_default_mountpoints[];

/*
 * Parse the text of /proc/self/mounts in buf[0..len) into *out, leaving
 * out what filter (NULL for the defaults) excludes.  A mount point that
 * appears again replaces the earlier entry (the later mount hides it),
 * so no mount point is listed twice.  Returns VT_OK, or VT_ERR with a
 * reason in err.  An empty file is an error (there is always "/").
 * No I/O, no state.
 */
int	vt_proc_mounts_parse(const char *buf, size_t len,
	    const struct vt_mounts_filter *filter, struct vt_proc_mounts *out,
	    char *err, size_t errlen);

/*
 * Read <root>/proc/self/mounts and parse it, streamed through a
 * VT_PROC_MOUNTS_BUFSZ stack buffer (a container host can have thousands
 * of mounts; the filter keeps the result bounded).  Returns VT_OK or
 * VT_ERR.
 */
#define VT_PROC_MOUNTS_BUFSZ	(32 * 1024)
int	vt_proc_mounts_read(const char *root,
	    const struct vt_mounts_filter *filter, struct vt_proc_mounts *out,
	    char *err, size_t errlen);

/*
 * The mount table parsed again only when it changed.  The sampler read
 * and parsed /proc/self/mounts every tick (about 85 us of CPU on a VM
 * with 30 mounts), for a table that changes on a mount or an unmount.
 * The watch keeps the file open and polls it for POLLPRI, which the
 * kernel raises on any change to the namespace's table since the last
 * poll (proc(5)); without one, the last parse is handed out again.  A
 * fixture root is read every time.
 */
struct vt_mounts_watch {
	int			fd;	/* <root>/proc/self/mounts; -1: none */
	int			have;	/* last holds this table */
	unsigned long		reads;	/* parses of the file, for tests */
	struct vt_proc_mounts	last;
};

void	vt_mounts_watch_init(struct vt_mounts_watch *w);
void	vt_mounts_watch_close(struct vt_mounts_watch *w);

/*
 * vt_proc_mounts_read(), or the table w last read if the kernel says it
 * has not changed since (root "/" only).  Returns VT_OK or VT_ERR.
 */
int	vt_proc_mounts_watched(struct vt_mounts_watch *w, const char *root,
	    const struct vt_mounts_filter *filter, struct vt_proc_mounts *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_MOUNTS_H */

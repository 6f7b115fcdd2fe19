/*
 * fs_usage.h: sizes of the mounted filesystems (statvfs), without ever
 * hanging the caller.
 *
 * statvfs(2) on a dead NFS server or a stuck FUSE daemon blocks, often in
 * an uninterruptible wait.  So the calls run in a short-lived child
 * process that writes one fixed-size record per mount over a pipe, in
 * order; the caller waits at most deadline_ms.  Mounts without a record
 * by then are VT_FS_TIMEOUT and the child is killed.  If it cannot die
 * yet (stuck in the kernel), it is remembered in struct vt_fs_helper with
 * the mount it hung on: later passes skip that mount (VT_FS_HUNG) until
 * the child is gone, so one bad mount costs one stuck process, not one
 * per pass.
 *
 * Cost: one fork() per pass, about 0.3 ms for the whole pass on the
 * development VM (t/unit/proc_live-t prints it).
 * The child is the caller's: a SIGCHLD handler that reaps with
 * waitpid(-1, ...) may collect it first, which is harmless here (ECHILD
 * is expected), but it should not be logged as an unknown worker.
 */
#ifndef VT_COLLECT_FS_USAGE_H
#define VT_COLLECT_FS_USAGE_H

#include <stddef.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include "vitals.h"
#include "collect/proc_mounts.h"

/* How statvfs is called: tests inject a slow one. */
typedef int	(*vt_statvfs_fn)(const char *path, struct statvfs *st);

#define VT_FS_MAX_PENDING	8

/* State kept by the caller between passes; set up by vt_fs_helper_init. */
struct vt_fs_helper {
	vt_statvfs_fn	statvfs_fn;	/* statvfs(3) unless a test sets it */
	struct {
		pid_t	pid;
		int	pidfd;		/* -1 when pidfd_open is missing */
		char	mountpoint[VT_PATH_LEN];
	}		pending[VT_FS_MAX_PENDING];
	size_t		npending;
	unsigned long	forks;		/* helpers started */
	unsigned long	timeouts;	/* passes that hit the deadline */
};

/* Start with no pending helper and the real statvfs. */
void	vt_fs_helper_init(struct vt_fs_helper *h);

/*
 * Fill state, error and the sizes of every mount in m, in a helper child,
 * returning within deadline_ms (plus scheduling noise).  Mounts a stuck
 * earlier helper still holds are VT_FS_HUNG without being tried.  Returns
 * VT_OK when the pass ran (individual mounts may still have failed), or
 * VT_ERR with a reason in err when no helper could be started (pipe or
 * fork failed): every mount is then VT_FS_ERROR.
 */
int	vt_fs_usage(struct vt_fs_helper *h, struct vt_proc_mounts *m,
	    int deadline_ms, char *err, size_t errlen);

/*
 * Kill and try to reap the pending helpers (at shutdown).  Returns the
 * number still not reaped.
 */
size_t	vt_fs_helper_cleanup(struct vt_fs_helper *h);

#endif /* VT_COLLECT_FS_USAGE_H */

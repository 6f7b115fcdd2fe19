/*
 * fs_usage.h: sizes of the mounted filesystems (statvfs), without ever
 * hanging the caller.
 *
 * statvfs(2) on a dead NFS server or a stuck FUSE daemon blocks, often in
 * an uninterruptible wait.  So the calls run in a long-lived helper
 * process, started on the first pass and kept: each pass sends it one
 * request (the mount points, as one SOCK_SEQPACKET message over a
 * socketpair) and it answers one fixed-size record per mount, in order.
 * The caller waits at most deadline_ms, on a non-blocking socket.  Mounts
 * without a record by then are VT_FS_TIMEOUT, and the helper is killed
 * (SIGKILL); the next pass starts a new one.  If the killed helper cannot
 * die yet (stuck in the kernel), it is remembered in struct vt_fs_helper
 * with the mount it hung on: later passes skip that mount (VT_FS_HUNG)
 * until the helper is gone, so one bad mount costs one stuck process, not
 * one per pass.  A mount that timed out is also skipped for a back-off
 * (1 s, doubling to 60 s while it keeps timing out), so a mount that
 * hangs in a killable wait (NFS) does not cost a helper and a whole
 * deadline every pass.  A helper that exits on its own is replaced on the
 * next pass, at once if it had answered a pass, else after a back-off
 * (1 s doubling to 60 s) while it keeps dying.
 *
 * Cost in the steady state: one send a pass, one poll and one recv per
 * mount; no fork, no pipe, no socket (t/unit/proc_live-t prints the time
 * of a pass).
 *
 * Why the helper is not in the master's child table (child.h): it is the
 * sampler's, whose code also runs outside the master (the unit tests have
 * no table), it is killed and replaced within one pass under a deadline
 * rather than by the master's loop, and a killed helper that is stuck in
 * the kernel must stay tracked, with its mount, beside its replacement,
 * where the table keeps one entry per kind.  So it is forked here, but it
 * starts through vt_child_start(), the start-up every child goes through
 * (signals, every descriptor but its socket closed, SIGTERM when the
 * master dies).  Whoever waits first collects it: vt_fs_usage() through
 * its pidfd, or the master's vt_child_reap(), which skips a pid that is
 * not in the table without a word; either way it is gone.
 */
#ifndef VT_COLLECT_FS_USAGE_H
#define VT_COLLECT_FS_USAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include "backoff.h"
#include "vitals.h"
#include "collect/proc_mounts.h"

/* How statvfs is called: tests inject a slow one. */
typedef int	(*vt_statvfs_fn)(const char *path, struct statvfs *st);

#define VT_FS_MAX_PENDING	8

/* The helper's process name (comm), as ps and top show it. */
#define VT_FS_HELPER_NAME	"vitals-statvfs"

/* State kept by the caller between passes; set up by vt_fs_helper_init. */
struct vt_fs_helper {
	vt_statvfs_fn	statvfs_fn;	/* statvfs(3) unless a test sets it */
	pid_t		pid;		/* the live helper; 0: none */
	int		pidfd;		/* its pidfd; -1: none */
	int		sock;		/* our end of its socket; -1: none */
	unsigned long	passes;		/* answered in full by the live one */
	struct vt_backoff respawn;	/* for a helper that keeps dying */
	struct vt_backoff hang;		/* for a mount that keeps timing out */
	struct {
		pid_t	pid;
		int	pidfd;		/* -1 when pidfd_open is missing */
		char	mountpoint[VT_PATH_LEN];
	}		pending[VT_FS_MAX_PENDING];
	size_t		npending;
	struct {
		char	mountpoint[VT_PATH_LEN];
		int64_t	until;		/* monotonic ms */
	}		skip[VT_FS_MAX_PENDING];
	size_t		nskip;
	unsigned long	starts;		/* helpers started */
	unsigned long	timeouts;	/* passes that hit the deadline */
	unsigned long	deaths;		/* helpers that exited unasked */
};

/* Start with no helper, nothing pending and the real statvfs. */
void	vt_fs_helper_init(struct vt_fs_helper *h);

/*
 * Fill state, error and the sizes of every mount in m, through the helper
 * (started or replaced first if needed), returning within deadline_ms
 * (plus scheduling noise).  Mounts a stuck earlier helper still holds, or
 * that timed out within their back-off, are VT_FS_HUNG without being
 * tried.  Returns VT_OK when the pass ran (individual mounts may still
 * have failed), or VT_ERR with a reason in err when no helper could be
 * started (socketpair or fork failed, or the helper keeps dying and its
 * back-off is not over): every mount tried is then VT_FS_ERROR.
 */
int	vt_fs_usage(struct vt_fs_helper *h, struct vt_proc_mounts *m,
	    int deadline_ms, char *err, size_t errlen);

/*
 * Kill the live helper and the pending ones, and reap them, waiting at
 * most about a second in all (at shutdown).  Returns the number still not
 * reaped.
 */
size_t	vt_fs_helper_cleanup(struct vt_fs_helper *h);

#endif /* VT_COLLECT_FS_USAGE_H */

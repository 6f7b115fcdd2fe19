/*
 * sockowner.h: which process holds a socket, from its inode.
 *
 * The kernel names a socket's owner nowhere but in the owner's descriptor
 * table: /proc/<pid>/fd/<n> is a link reading "socket:[<inode>]".  A walk
 * reads every process's table, so it costs about one readlink(2) per open
 * descriptor on the host: callers run it rarely (the sampler on its
 * process-scan ticks), give it a time budget, and keep what it found.
 * A socket shared by several processes (a listener inherited by forked
 * workers) is given to the lowest pid, usually the parent.
 *
 * Nothing here allocates or keeps state; pids and comm go into the
 * caller's arrays.
 */
#ifndef VT_COLLECT_SOCKOWNER_H
#define VT_COLLECT_SOCKOWNER_H

#include <stddef.h>
#include <stdint.h>

#include "collect/listeners.h"
#include "vitals.h"

/* What a walk did. */
struct vt_sockowner_stats {
	size_t		procs;		/* processes whose fds were read */
	size_t		fds;		/* descriptors looked at */
	size_t		matched;	/* inodes given an owner */
	int		complete;	/* 0: stopped by the budget */
	uint64_t	walk_us;
};

/*
 * Parse the text of a /proc/<pid>/fd link, s[0..len): "socket:[12345]"
 * stores 12345 in *inode and returns VT_OK; anything else returns VT_ERR.
 * Pure.
 */
int	vt_sockowner_parse_link(const char *s, size_t len, uint64_t *inode);

/*
 * For each of the n inodes in inodes[] (sorted ascending), store in
 * pids[i] the lowest pid found holding it, or 0, by reading
 * <root>/proc/<pid>/fd of the processes in procs[0..nprocs) (ascending;
 * the caller's process scan, without kernel threads, which hold no
 * descriptors), or of every pid in <root>/proc when procs is NULL.  The
 * walk starts at procs[*cursor] and wraps around; it stops when every
 * inode has an owner or after budget_ms (0: no budget), and then leaves
 * in *cursor where the next walk should start, so successive walks cover
 * every process however small the budget (0 when the walk went round).
 * Processes that vanish or cannot be read (another user's, without
 * CAP_SYS_PTRACE) are skipped.  Fills *st when not NULL.  Returns VT_OK,
 * or VT_ERR when <root>/proc cannot be opened.
 */
int	vt_sockowner_walk(const char *root, const int32_t *procs,
	    size_t nprocs, size_t *cursor, const uint64_t *inodes, size_t n,
	    int32_t *pids, int budget_ms, struct vt_sockowner_stats *st,
	    char *err, size_t errlen);

/*
 * Read <root>/proc/<pid>/comm into comm[0..len) without its newline.
 * Returns VT_OK, or VT_ERR with comm empty (the process is gone).
 */
int	vt_sockowner_comm(const char *root, int32_t pid, char *comm,
	    size_t len);

/*
 * Count the n sockets of pids[] (0: no owner found) per process: sorts
 * pids[] in place, stores the VT_MAX_HOLDERS processes with the most in
 * out->h (most first; ties: lower pid first; comm left empty), out->n,
 * out->sockets = n and out->attributed = those with an owner.  Pure.
 */
void	vt_sock_holders_count(int32_t *pids, size_t n,
	    struct vt_sock_holders *out);

#endif /* VT_COLLECT_SOCKOWNER_H */

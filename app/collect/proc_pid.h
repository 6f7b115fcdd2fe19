/*
 * proc_pid.h: the processes using the most CPU and memory, from
 * /proc/<pid>/stat (state, utime + stime in USER_HZ ticks, start time)
 * and /proc/<pid>/statm (resident pages).
 *
 * CPU use needs two scans: vt_pid_top_cpu() compares a previous and a
 * current table, both owned by the caller (about 260 KiB each).  Times
 * are whole-process (all threads), so one process can exceed 100 % on a
 * machine with several CPUs, as in top(1).
 *
 * Cost, measured on the 2-CPU development VM (Linux 6.18, gcc -O2, warm
 * caches): a scan opens and reads two small files per process, 13 us per
 * process at the ~80 processes of an idle host (1.0 ms a scan) and 16 us
 * per process with 2 077 processes (33 ms a scan).  The incremental scan
 * (vt_proc_pid_rescan) reads one file for a process that has been idle
 * since the last scan.  So on a busy host the sampler should rank
 * processes less often than once a second (every 5 s costs 0.7 % of a
 * core at 2 000 processes), and the scan has a pid cap and a time budget.
 * The sampler's scans keep the stat files open (vt_pid_fds below), which
 * takes the open and the close out of each: 10 us a process with 4 079
 * processes (41 ms a scan, 66 ms opening each).
 *
 * Reading rss from stat instead of statm would save the statm of the
 * processes that ran, but it is not the same number: on 6.x kernels
 * stat's rss reads the mm's per-CPU counters without folding in each
 * CPU's part, and statm (like VmRSS, top and ps) sums them.  Measured on
 * 6.18: stat 1 to 3.5 % low (an nginx worker at 12 844 KiB against
 * 13 308), by up to a batch of pages per CPU, tens of MiB on a large
 * machine.  So statm, the figure top(1) shows.
 */
#ifndef VT_COLLECT_PROC_PID_H
#define VT_COLLECT_PROC_PID_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_PID_TABLE_MAX	4096
#define VT_COMM_LEN		32	/* comm is 16; kernel threads longer */

struct vt_pid_sample {
	int32_t		pid;
	char		state;		/* R, S, D, Z, T, I ... */
	char		comm[VT_COMM_LEN];
	uint64_t	ticks;		/* utime + stime, USER_HZ */
	uint64_t	starttime;	/* ticks after boot: tells pids apart */
	uint64_t	rss_bytes;	/* statm resident * page size */
};

struct vt_pid_table {
	struct vt_pid_sample	p[VT_PID_TABLE_MAX];	/* sorted by pid */
	size_t			n;
	size_t			nskipped;	/* not scanned: cap or budget */
	size_t			nreused;	/* rss carried, statm not read */
	int			complete;	/* every pid was scanned */
	uint64_t		scan_us;	/* how long the scan took */
	uint64_t		scans;		/* this one's number, from 1 */
};

/*
 * An incremental scan re-reads a process's statm only when the process
 * is new (another pid or start time than in the previous table) or has
 * used CPU since; an idle process keeps its resident size, except that
 * each one is read anyway once every VT_PID_RSS_REFRESH scans (spread by
 * pid), so pages reclaimed from a sleeping process show within that many
 * scans.
 */
#define VT_PID_RSS_REFRESH	12

struct vt_top_proc {
	int32_t		pid;
	char		state;
	char		comm[VT_COMM_LEN];
	double		cpu_percent;	/* of one CPU, over the interval */
	uint64_t	rss_bytes;
};

/*
 * Parse the text of /proc/<pid>/stat in buf[0..len) into pid, state,
 * comm, ticks and starttime of *out (rss_bytes is left alone).  comm may
 * hold blanks and parentheses: it ends at the last ')'.  Returns VT_OK,
 * or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_proc_pid_stat_parse(const char *buf, size_t len,
	    struct vt_pid_sample *out, char *err, size_t errlen);

/*
 * Parse /proc/<pid>/statm ("size resident shared text lib data dt", in
 * pages) into *rss_bytes = resident * pagesize.  Returns VT_OK or VT_ERR.
 */
int	vt_proc_pid_statm_parse(const char *buf, size_t len, long pagesize,
	    uint64_t *rss_bytes, char *err, size_t errlen);

/* The same, with the total program size too: *vsize_bytes = size * pagesize. */
int	vt_proc_pid_statm_vm_parse(const char *buf, size_t len, long pagesize,
	    uint64_t *vsize_bytes, uint64_t *rss_bytes, char *err,
	    size_t errlen);

/*
 * Scan <root>/proc/<pid>/ for at most max_pids processes (and at most
 * VT_PID_TABLE_MAX), stopping early when budget_ms has passed (0: no
 * budget), into *out, sorted by pid.  Processes that exit during the
 * scan are skipped silently.  Returns VT_OK (out->complete says whether
 * every pid was seen), or VT_ERR when <root>/proc cannot be listed.
 */
int	vt_proc_pid_scan(const char *root, struct vt_pid_table *out,
	    size_t max_pids, int budget_ms, char *err, size_t errlen);

/*
 * The descriptors of /proc/<pid>/stat a rescan keeps open from one scan
 * to the next, at most cap of them (the caller's share of RLIMIT_NOFILE).
 * A kept stat is read again with pread at offset 0: no path lookup, no
 * open, no close.  Measured on the 2-core VM (Linux 6.18): a scan of 76
 * processes 550 us of CPU with open/read/close, 215 us with pread.  A
 * descriptor names its process, not its number: once the process is
 * gone, its read fails (ESRCH) and the pid, if listed again (reused), is
 * opened afresh.  The processes that are gone are closed at the end of
 * the scan that no longer lists them.  Only the host's own /proc is kept
 * (a fixture tree's files are opened each time).
 */
#define VT_PID_FDS_MAX		VT_PID_TABLE_MAX
struct vt_pid_fd {
	int32_t	pid;
	int	fd;		/* -1: carried to the next scan's table */
};
struct vt_pid_fds {
	struct vt_pid_fd	k[2][VT_PID_FDS_MAX];	/* sorted by pid */
	size_t			n[2];
	int			cur;
	size_t			cap;
	uint64_t		opens;	/* stat files opened, in all */
};

/* fds with room for cap descriptors (at most VT_PID_FDS_MAX). */
void	vt_pid_fds_init(struct vt_pid_fds *fds, size_t cap);

/* Close every kept descriptor. */
void	vt_pid_fds_close(struct vt_pid_fds *fds);

/*
 * The same, reusing what prev (the previous scan's table, or NULL: a full
 * scan) knows of a process whose pid and start time have not changed and
 * that has used no CPU since: its resident size (see VT_PID_RSS_REFRESH).
 * Halves the files opened for the idle processes of a busy host.  out
 * and prev must not be the same table.  fds, when not NULL, keeps the
 * stat files open between scans (vt_pid_fds above).
 */
int	vt_proc_pid_rescan(const char *root, const struct vt_pid_table *prev,
	    struct vt_pid_table *out, struct vt_pid_fds *fds, size_t max_pids,
	    int budget_ms, char *err, size_t errlen);

/* The process of table t (sorted by pid) with this pid, or NULL. */
const struct vt_pid_sample *vt_pid_table_find(const struct vt_pid_table *t,
	    int32_t pid);

/*
 * The (at most VT_MAX_PROCS) processes with the most CPU time between
 * prev and cur, taken seconds apart, at hz ticks per second, into out[],
 * highest first.  Only processes that used CPU are listed.  A process is
 * the same in both tables when pid and starttime match; one that is new
 * in cur counts all its ticks when prev was complete (it started in the
 * interval), none otherwise.  Returns the count.  Pure.
 */
size_t	vt_pid_top_cpu(const struct vt_pid_table *prev,
	    const struct vt_pid_table *cur, double seconds, long hz,
	    struct vt_top_proc out[VT_MAX_PROCS]);

/*
 * The (at most VT_MAX_PROCS) processes with the largest resident set in
 * cur, largest first (cpu_percent 0).  Returns the count.  Pure.
 */
size_t	vt_pid_top_mem(const struct vt_pid_table *cur,
	    struct vt_top_proc out[VT_MAX_PROCS]);

#endif /* VT_COLLECT_PROC_PID_H */

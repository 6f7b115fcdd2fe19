/*
 * proc_stat.h: /proc/stat, the kernel's CPU time and activity counters.
 *
 * CPU times are in USER_HZ ticks ("jiffies", 1/100 s on Linux, see
 * sysconf(_SC_CLK_TCK)), counted since boot, per mode.  The "cpu" line is
 * the sum over all CPUs; "cpuN" lines exist only for online CPUs, so ids
 * can have gaps.  guest and guest_nice are already included in user and
 * nice: a total of all modes must leave them out (rate.h does).
 */
#ifndef VT_COLLECT_PROC_STAT_H
#define VT_COLLECT_PROC_STAT_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* Modes in the order of the kernel's columns. */
enum vt_cpu_mode {
	VT_CPU_USER,
	VT_CPU_NICE,
	VT_CPU_SYSTEM,
	VT_CPU_IDLE,
	VT_CPU_IOWAIT,
	VT_CPU_IRQ,
	VT_CPU_SOFTIRQ,
	VT_CPU_STEAL,
	VT_CPU_GUEST,
	VT_CPU_GUEST_NICE,
	VT_CPU_NMODES
};

/* node_exporter's names for the modes ("user", "nice", ... "guest_nice"). */
extern const char *const vt_cpu_mode_names[VT_CPU_NMODES];

/* One "cpu" or "cpuN" line. */
struct vt_cpu_jiffies {
	int		id;		/* N of "cpuN"; -1 for the total */
	int		nmodes;		/* columns present (4 on 2.4, 10 now) */
	uint64_t	mode[VT_CPU_NMODES];	/* absent columns are 0 */
};

/* Which of the single-value lines were present. */
#define VT_STAT_HAS_CTXT	0x01
#define VT_STAT_HAS_BTIME	0x02
#define VT_STAT_HAS_PROCESSES	0x04
#define VT_STAT_HAS_RUNNING	0x08
#define VT_STAT_HAS_BLOCKED	0x10
#define VT_STAT_HAS_INTR	0x20

struct vt_proc_stat {
	struct vt_cpu_jiffies	total;
	struct vt_cpu_jiffies	cpu[VT_MAX_CPUS];	/* in file order */
	size_t			ncpu;
	size_t			ncpu_dropped;	/* cpuN past VT_MAX_CPUS */
	uint64_t		ctxt;		/* context switches */
	uint64_t		btime;		/* boot time, Unix seconds */
	uint64_t		processes;	/* forks since boot */
	uint64_t		procs_running;
	uint64_t		procs_blocked;
	uint64_t		intr;		/* interrupts since boot */
	unsigned		has;		/* VT_STAT_HAS_* */
};

/*
 * Parse the text of /proc/stat in buf[0..len) (need not be NUL-terminated)
 * into *out.  The "cpu" total line is required; everything else is
 * optional and flagged in out->has.  Unknown lines (softirq, page, swap)
 * are skipped.  Returns VT_OK, or VT_ERR with a reason in err on a
 * malformed, truncated or empty file.  No I/O, no state.
 */
int	vt_proc_stat_parse(const char *buf, size_t len,
	    struct vt_proc_stat *out, char *err, size_t errlen);

/*
 * Read <root>/proc/stat (root "/" in production) and parse it.  Uses a
 * VT_PROC_STAT_BUFSZ buffer on the stack.  Returns VT_OK or VT_ERR.
 */
#define VT_PROC_STAT_BUFSZ	(128 * 1024)
int	vt_proc_stat_read(const char *root, struct vt_proc_stat *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_STAT_H */

/*
 * rate.h: rates and percentages from two samples of kernel counters.
 * Everything takes the previous sample as an argument; nothing is kept.
 *
 * The rules: a counter that goes backwards was reset (a device came back,
 * the machine rebooted under us): the rate is 0, never negative.  A zero,
 * negative or non-finite interval, or a rate that would overflow to
 * infinity, gives 0.  Counters the kernel prints as
 * 32-bit wrap at 2^32 and are read with the _u32 forms, which tell a wrap
 * from a reset by serial-number arithmetic (RFC 1982): a step that is
 * forward by less than 2^31 modulo 2^32 is a wrap, anything else a reset.
 *
 * Which counters are 32-bit, on a 64-bit kernel: in /proc/diskstats the
 * millisecond columns (read_ms, write_ms, io_ms, weighted_io_ms,
 * discard_ms, flush_ms), printed as unsigned int.  /proc/stat jiffies,
 * ctxt, processes and intr, /proc/net/dev, /proc/net/netstat, the other
 * diskstats columns and PSI totals are 64-bit.  (On a 32-bit kernel the
 * "unsigned long" ones are 32-bit too: use _u32 for all of them there.)
 */
#ifndef VT_COLLECT_RATE_H
#define VT_COLLECT_RATE_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"
#include "collect/proc_stat.h"

/* cur - prev, or 0 when cur < prev (a reset). */
uint64_t vt_delta_u64(uint64_t prev, uint64_t cur);

/*
 * The same for a 32-bit counter: a wrap (prev near 2^32, cur small) gives
 * the true step.  Values above 2^32 - 1 mean the counter is really
 * 64-bit: vt_delta_u64 rules apply.
 */
uint64_t vt_delta_u32(uint64_t prev, uint64_t cur);

/* Per second: delta / seconds, or 0 (see the rules above). */
double	vt_rate_u64(uint64_t prev, uint64_t cur, double seconds);
double	vt_rate_u32(uint64_t prev, uint64_t cur, double seconds);

/*
 * The share of the interval a device was busy, from diskstats io_ms (a
 * 32-bit millisecond counter): 0..100, clamped (the kernel's io_ticks
 * are updated lazily and can step by a little more than the interval).
 */
double	vt_busy_percent(uint64_t prev_ms, uint64_t cur_ms, double seconds);

/* CPU time by mode over an interval, in percent of that CPU's time. */
struct vt_cpu_percent {
	int	id;		/* as in struct vt_cpu_jiffies */
	int	valid;		/* 0: no previous line, a reset, or no time */
	double	mode[VT_CPU_NMODES];	/* each 0..100 */
	double	busy;		/* 100 - idle - iowait */
};

/*
 * Percent per mode between two snapshots of one CPU line.  The eight
 * modes user..steal sum to 100 (guest and guest_nice are shares already
 * counted in user and nice, reported alone).  A mode that went backwards
 * by a little (iowait and idle do, on tickless kernels) counts as 0; a
 * line whose total went backwards (a reset, a CPU that came back) is not
 * valid: all 0.  Returns VT_OK when out->valid, else VT_ERR.
 */
int	vt_cpu_percent(const struct vt_cpu_jiffies *prev,
	    const struct vt_cpu_jiffies *cur, struct vt_cpu_percent *out);

/*
 * The total and every CPU of cur, matched to prev by CPU id (so a CPU
 * unplugged since prev is simply absent, and one plugged in since is
 * not valid this once).  out[i] is for cur->cpu[i].  Returns cur->ncpu.
 */
size_t	vt_cpu_percent_all(const struct vt_proc_stat *prev,
	    const struct vt_proc_stat *cur, struct vt_cpu_percent *total,
	    struct vt_cpu_percent out[VT_MAX_CPUS]);

#endif /* VT_COLLECT_RATE_H */

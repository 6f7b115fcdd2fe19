/*
 * proc_vmstat.h: /proc/vmstat, node_exporter's default subset of it
 * (its vmstat collector's default field pattern): page faults, paging and
 * swapping, and the OOM killer's count.  Counters since boot.
 */
#ifndef VT_COLLECT_PROC_VMSTAT_H
#define VT_COLLECT_PROC_VMSTAT_H

#include <stdint.h>

struct vt_proc_vmstat {
	uint64_t	pgfault;
	uint64_t	pgmajfault;
	uint64_t	pgpgin;
	uint64_t	pgpgout;
	uint64_t	pswpin;
	uint64_t	pswpout;
	uint64_t	oom_kill;
	int		have_oom_kill;	/* the field exists (Linux 4.13+) */
};

#endif /* VT_COLLECT_PROC_VMSTAT_H */

/*
 * proc_vmstat.h: /proc/vmstat, node_exporter's default subset of it
 * (its vmstat collector's default field pattern): page faults, paging and
 * swapping, and the OOM killer's count.  Counters since boot.
 */
#ifndef VT_COLLECT_PROC_VMSTAT_H
#define VT_COLLECT_PROC_VMSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

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

/*
 * Parse the text of /proc/vmstat ("name value" lines) in buf[0..len) into
 * *out: the fields above, every one but oom_kill required; other lines
 * are skipped.  Returns VT_OK, or VT_ERR with a reason in err.  No I/O,
 * no state.
 */
int	vt_proc_vmstat_parse(const char *buf, size_t len,
	    struct vt_proc_vmstat *out, char *err, size_t errlen);

/* Read <root>/proc/vmstat and parse it.  Returns VT_OK or VT_ERR. */
int	vt_proc_vmstat_read(const char *root, struct vt_proc_vmstat *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_VMSTAT_H */

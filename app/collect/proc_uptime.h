/*
 * proc_uptime.h: /proc/uptime, "295.29 548.44": seconds since boot, and
 * the sum of the idle time of all CPUs in seconds (so it can exceed the
 * uptime on a machine with more than one CPU).
 */
#ifndef VT_COLLECT_PROC_UPTIME_H
#define VT_COLLECT_PROC_UPTIME_H

#include <stddef.h>

#include "vitals.h"

struct vt_proc_uptime {
	double	uptime;		/* seconds since boot */
	double	idle;		/* idle seconds, summed over CPUs */
};

/*
 * Parse the text of /proc/uptime in buf[0..len) into *out.  Returns VT_OK,
 * or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_proc_uptime_parse(const char *buf, size_t len,
	    struct vt_proc_uptime *out, char *err, size_t errlen);

/* Read <root>/proc/uptime and parse it.  Returns VT_OK or VT_ERR. */
int	vt_proc_uptime_read(const char *root, struct vt_proc_uptime *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_UPTIME_H */

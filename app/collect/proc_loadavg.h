/*
 * proc_loadavg.h: /proc/loadavg, the run-queue load averages.
 *
 * "0.26 0.14 0.06 1/87 8849": the 1, 5 and 15 minute averages of runnable
 * plus uninterruptible tasks, tasks running now / tasks in total, and the
 * last pid handed out.
 */
#ifndef VT_COLLECT_PROC_LOADAVG_H
#define VT_COLLECT_PROC_LOADAVG_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

struct vt_proc_loadavg {
	double		load1;
	double		load5;
	double		load15;
	uint64_t	running;	/* runnable scheduling entities */
	uint64_t	total;		/* all of them */
	uint64_t	last_pid;
};

/*
 * Parse the text of /proc/loadavg in buf[0..len) into *out.  Returns
 * VT_OK, or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_proc_loadavg_parse(const char *buf, size_t len,
	    struct vt_proc_loadavg *out, char *err, size_t errlen);

/* Read <root>/proc/loadavg and parse it.  Returns VT_OK or VT_ERR. */
int	vt_proc_loadavg_read(const char *root, struct vt_proc_loadavg *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_LOADAVG_H */

/*
 * proc_pressure.h: /proc/pressure/{cpu,memory,io} (PSI, Linux 4.20+):
 * the share of wall time in which some (or all non-idle) tasks were
 * stalled on the resource, as 10 s, 60 s and 300 s averages in percent,
 * and the total stall time in microseconds since boot (a counter:
 * node_pressure_*_waiting_seconds_total is total / 1e6).
 *
 * A kernel without PSI, or booted with psi=0, has no files (or refuses to
 * read them): that is "not available", not an error.
 */
#ifndef VT_COLLECT_PROC_PRESSURE_H
#define VT_COLLECT_PROC_PRESSURE_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

struct vt_psi_line {
	int		present;	/* the line was in the file */
	double		avg10;		/* percent */
	double		avg60;
	double		avg300;
	uint64_t	total_us;	/* microseconds, a counter */
};

struct vt_psi {
	int			available;	/* the file could be read */
	struct vt_psi_line	some;
	struct vt_psi_line	full;	/* cpu: 5.13+ (zeros system-wide) */
};

enum vt_psi_resource {
	VT_PSI_CPU,
	VT_PSI_MEMORY,
	VT_PSI_IO,
	VT_PSI_NRES
};

/* "cpu", "memory", "io": the file names and node_exporter's prefixes. */
extern const char *const vt_psi_resource_names[VT_PSI_NRES];

struct vt_proc_pressure {
	struct vt_psi	res[VT_PSI_NRES];
};

/*
 * Parse one pressure file's text in buf[0..len) into *out (available set
 * to 1).  A "some" line is required.  Returns VT_OK, or VT_ERR with a
 * reason in err.  No I/O, no state.
 */
int	vt_proc_pressure_parse(const char *buf, size_t len, struct vt_psi *out,
	    char *err, size_t errlen);

/*
 * Read <root>/proc/pressure/{cpu,memory,io}.  A file that is missing or
 * refused (ENOENT, EOPNOTSUPP) leaves that resource's available at 0.
 * Returns VT_ERR only for a file that exists but is malformed or cannot
 * be read for another reason; the other resources are still filled.
 */
int	vt_proc_pressure_read(const char *root, struct vt_proc_pressure *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_PRESSURE_H */

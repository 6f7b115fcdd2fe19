/*
 * proc_self.h: the master's own figures for the process_* families, in
 * Prometheus' client-library conventions: CPU time, virtual and resident
 * memory, start time, open descriptors and their limit, read from
 * /proc/self/{stat,statm,limits,fd}.  "self" is the master, the process
 * that samples the host and renders /metrics (the service's main pid);
 * the workers are one request each and are counted by the vitals_*
 * families instead (see the HELP texts in prom.c).
 */
#ifndef VT_COLLECT_PROC_SELF_H
#define VT_COLLECT_PROC_SELF_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* A limit of "unlimited", as client_golang reports it. */
#define VT_LIMIT_UNLIMITED	UINT64_MAX

struct vt_proc_self {
	uint64_t	cpu_ticks;	/* utime + stime, USER_HZ */
	uint64_t	start_ticks;	/* after boot, USER_HZ */
	uint64_t	vsize_bytes;
	uint64_t	rss_bytes;
	uint64_t	open_fds;	/* entries of /proc/self/fd */
	uint64_t	max_fds;	/* RLIMIT_NOFILE's soft limit */
	uint64_t	max_vsize_bytes;	/* RLIMIT_AS's soft limit */
};

/*
 * Parse /proc/<pid>/limits (a header, then "Max open files   1024
 * 524288   files" lines, columns at fixed places) for the soft limits of
 * open files and address space into *out ("unlimited":
 * VT_LIMIT_UNLIMITED).  Returns VT_OK, or VT_ERR with a reason in err
 * when either line is missing or malformed.  No I/O, no state.
 */
int	vt_proc_limits_parse(const char *buf, size_t len,
	    struct vt_proc_self *out, char *err, size_t errlen);

/*
 * Read <root>/proc/self/{stat,statm,limits} (on the real /proc the limits
 * from getrlimit(2)) and count <root>/proc/self/fd
 * (the count includes the descriptor that lists them, as client_golang's
 * does).  Returns VT_OK, or VT_ERR with a reason in err; *out is zeroed
 * on error.
 */
int	vt_proc_self_read(const char *root, long pagesize,
	    struct vt_proc_self *out, char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_SELF_H */

/*
 * proc_meminfo.h: /proc/meminfo, memory use in bytes.
 *
 * Every line is kept in a bounded table under the kernel's own name
 * ("Active(anon)"), with values in bytes where the kernel wrote "kB"
 * (times 1024) and as plain counts where it wrote no unit (HugePages_*):
 * the same rule node_exporter follows for node_memory_<Name>[_bytes].
 * The fields people ask for by name are also copied into members.
 */
#ifndef VT_COLLECT_PROC_MEMINFO_H
#define VT_COLLECT_PROC_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_MEMINFO_MAX		96	/* about 60 lines on a 6.x kernel */
#define VT_MEMINFO_NAMELEN	32

struct vt_meminfo_entry {
	char		name[VT_MEMINFO_NAMELEN];	/* kernel's name */
	uint64_t	value;		/* bytes when is_bytes, else a count */
	int		is_bytes;	/* the line had a "kB" unit */
};

struct vt_proc_meminfo {
	struct vt_meminfo_entry	e[VT_MEMINFO_MAX];	/* file order */
	size_t			n;
	size_t			ndropped;	/* lines past the table */

	/* Copies of table entries, in bytes; 0 when absent. */
	uint64_t	mem_total;
	uint64_t	mem_free;
	uint64_t	mem_available;	/* since 3.14: see has_available */
	uint64_t	buffers;
	uint64_t	cached;
	uint64_t	swap_cached;
	uint64_t	active;
	uint64_t	inactive;
	uint64_t	swap_total;
	uint64_t	swap_free;
	uint64_t	dirty;
	uint64_t	writeback;
	uint64_t	anon_pages;
	uint64_t	mapped;
	uint64_t	shmem;
	uint64_t	slab;
	uint64_t	sreclaimable;
	uint64_t	sunreclaim;
	uint64_t	commit_limit;
	uint64_t	committed_as;
	uint64_t	hugepages_total;	/* a count of pages */
	uint64_t	hugepages_free;		/* a count of pages */
	uint64_t	hugepagesize;
	int		has_available;
};

/*
 * Parse the text of /proc/meminfo in buf[0..len) into *out.  MemTotal
 * and MemFree are required.  Returns VT_OK, or VT_ERR with a reason in
 * err (malformed, truncated, empty).  No I/O, no state.
 */
int	vt_proc_meminfo_parse(const char *buf, size_t len,
	    struct vt_proc_meminfo *out, char *err, size_t errlen);

/* Read <root>/proc/meminfo and parse it.  Returns VT_OK or VT_ERR. */
#define VT_PROC_MEMINFO_BUFSZ	(16 * 1024)
int	vt_proc_meminfo_read(const char *root, struct vt_proc_meminfo *out,
	    char *err, size_t errlen);

/*
 * Look a field up by its kernel name.  Returns VT_OK with the value in
 * *value (bytes or count, as in the table), or VT_ERR when absent.
 */
int	vt_proc_meminfo_get(const struct vt_proc_meminfo *m, const char *name,
	    uint64_t *value);

/*
 * node_exporter's metric name for a kernel field: "Active(anon)" becomes
 * "node_memory_Active_anon_bytes", "HugePages_Total" becomes
 * "node_memory_HugePages_Total".  Returns VT_OK, or VT_ERR when dst is
 * too small.
 */
int	vt_proc_meminfo_metric_name(const struct vt_meminfo_entry *e,
	    char *dst, size_t dstlen);

#endif /* VT_COLLECT_PROC_MEMINFO_H */

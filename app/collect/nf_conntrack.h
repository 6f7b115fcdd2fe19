/*
 * nf_conntrack.h: netfilter's connection tracking table (node_exporter's
 * conntrack collector): its size and limit, from
 * /proc/sys/net/netfilter/nf_conntrack_{count,max}, and the event
 * counters of /proc/net/stat/nf_conntrack summed over CPUs.  A table at
 * its limit drops new flows ("nf_conntrack: table full, dropping
 * packet"): node_nf_conntrack_entries / node_nf_conntrack_entries_limit
 * is the ratio the usual alert watches.
 *
 * A host without the nf_conntrack module has none of these files: that
 * is no data, not an error.  Read every tick (three small files).
 */
#ifndef VT_COLLECT_NF_CONNTRACK_H
#define VT_COLLECT_NF_CONNTRACK_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* The counters node_exporter 1.5 exports, as the file's header names them. */
enum vt_ct_stat {
	VT_CT_FOUND,
	VT_CT_INVALID,
	VT_CT_IGNORE,
	VT_CT_INSERT,
	VT_CT_INSERT_FAILED,
	VT_CT_DROP,
	VT_CT_EARLY_DROP,
	VT_CT_SEARCH_RESTART,
	VT_CT_NSTATS
};

/* "found", "invalid", ... "search_restart". */
extern const char *const vt_ct_stat_names[VT_CT_NSTATS];

struct vt_conntrack {
	int		present;	/* the module is loaded */
	uint64_t	entries;	/* nf_conntrack_count */
	uint64_t	limit;		/* nf_conntrack_max */
	int		has_stat;	/* /proc/net/stat/nf_conntrack read */
	uint64_t	stat[VT_CT_NSTATS];	/* summed over CPUs */
};

/*
 * Parse the text of /proc/net/stat/nf_conntrack in buf[0..len) (a header
 * of column names, then a line per CPU of as many hexadecimal numbers)
 * and store the sums of the columns above in out->stat.  Columns are
 * found by name, so the older layout ("searched ... delete_list", before
 * Linux 5.x) and the newer ("clashres ... chainlength") both read.
 * Returns VT_OK, or VT_ERR with a reason in err (out->stat then zero).
 * No I/O, no state.
 */
int	vt_nf_conntrack_stat_parse(const char *buf, size_t len,
	    struct vt_conntrack *out, char *err, size_t errlen);

/*
 * Read the three files under root.  No nf_conntrack_count or
 * nf_conntrack_max: present 0 and VT_OK.  No stat file: has_stat 0 and
 * VT_OK (node_exporter then still exports the count and the limit).
 * Returns VT_OK, or VT_ERR with a reason in err.
 */
#define VT_NF_CONNTRACK_BUFSZ	(64 * 1024)	/* 256 CPUs: 40 KB */
int	vt_conntrack_read(const char *root, struct vt_conntrack *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_NF_CONNTRACK_H */

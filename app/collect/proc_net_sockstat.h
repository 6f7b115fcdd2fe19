/*
 * proc_net_sockstat.h: /proc/net/sockstat and /proc/net/sockstat6, the
 * sockets in use per protocol (node_exporter's sockstat collector,
 * node_sockstat_TCP_inuse ...): gauges.  "mem" is in pages (the TCP and
 * UDP memory the kernel's tcp_mem / udp_mem limits count); "memory" (FRAG)
 * in bytes.
 */
#ifndef VT_COLLECT_PROC_NET_SOCKSTAT_H
#define VT_COLLECT_PROC_NET_SOCKSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* The keys node_exporter (procfs) knows, in the order it emits them. */
enum vt_sockstat_field {
	VT_SS_INUSE,
	VT_SS_ORPHAN,
	VT_SS_TW,
	VT_SS_ALLOC,
	VT_SS_MEM,
	VT_SS_MEMORY,
	VT_SS_NFIELDS
};

/* "inuse", "orphan", "tw", "alloc", "mem", "memory". */
extern const char *const vt_sockstat_field_names[VT_SS_NFIELDS];

#define VT_SOCKSTAT_MAX		16	/* 6.x: 5 lines per file */
#define VT_SOCKSTAT_NAMELEN	16	/* "UDPLITE6" */

struct vt_sockstat_proto {
	char		name[VT_SOCKSTAT_NAMELEN];	/* "TCP", "FRAG6" */
	uint64_t	v[VT_SS_NFIELDS];
	unsigned	have;		/* 1 << field: the line has it */
	uint64_t	mem_bytes;	/* mem times the page size */
};

/* One file. */
struct vt_sockstat {
	struct vt_sockstat_proto p[VT_SOCKSTAT_MAX];	/* file order */
	size_t		n;
	size_t		ndropped;	/* no room, or name too long */
	uint64_t	used;		/* "sockets: used" (sockstat only) */
	int		has_used;
};

struct vt_proc_net_sockstat {
	struct vt_sockstat	v4;
	struct vt_sockstat	v6;
	int			has_v6;	/* sockstat6 was there */
};

/*
 * Parse the text of /proc/net/sockstat or sockstat6 in buf[0..len)
 * ("TCP: inuse 5 orphan 0 tw 3 alloc 5 mem 54": a protocol, then key
 * value pairs) into *out; mem_bytes is mem times pagesize.  Keys other
 * than the six above are checked and skipped.  Returns VT_OK, or VT_ERR
 * with a reason in err (out then holds nothing).  No I/O, no state.
 */
int	vt_proc_net_sockstat_parse(const char *buf, size_t len,
	    uint64_t pagesize, struct vt_sockstat *out, char *err,
	    size_t errlen);

/*
 * Read <root>/proc/net/sockstat and, when it exists (IPv6 may be
 * disabled), sockstat6.  Returns VT_OK or VT_ERR.
 */
#define VT_PROC_NET_SOCKSTAT_BUFSZ	4096	/* 6.x: 180 bytes */
int	vt_proc_net_sockstat_read(const char *root, uint64_t pagesize,
	    struct vt_proc_net_sockstat *out, char *err, size_t errlen);

/* The line of protocol name ("TCP", "TCP6") in s, or NULL. */
const struct vt_sockstat_proto *vt_sockstat_find(const struct vt_sockstat *s,
	    const char *name);

#endif /* VT_COLLECT_PROC_NET_SOCKSTAT_H */

/*
 * proc_net_netstat.h: /proc/net/netstat, the TcpExt and IpExt counters
 * (node_netstat_TcpExt_*, node_netstat_IpExt_*).  ListenOverflows (accept
 * queue full) and ListenDrops (every SYN dropped at a listener) are the
 * backlog-overflow signal and have their own members.  All counters are
 * since boot, unsigned long in the kernel: 64-bit on 64-bit kernels.
 */
#ifndef VT_COLLECT_PROC_NET_NETSTAT_H
#define VT_COLLECT_PROC_NET_NETSTAT_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_NETSTAT_MAX		256	/* 6.x: 135 TcpExt + 18 IpExt */
#define VT_NETSTAT_NAMELEN	40
#define VT_NETSTAT_SECTLEN	8

struct vt_netstat_entry {
	char		section[VT_NETSTAT_SECTLEN];	/* "TcpExt", "IpExt" */
	char		name[VT_NETSTAT_NAMELEN];	/* "ListenOverflows" */
	uint64_t	value;
};

struct vt_proc_net_netstat {
	struct vt_netstat_entry	e[VT_NETSTAT_MAX];	/* file order */
	size_t			n;
	size_t			ndropped;	/* no room, or name too long */
	uint64_t		listen_overflows;
	uint64_t		listen_drops;
	int			has_listen;	/* both were present */
};

/*
 * Parse the text of /proc/net/netstat in buf[0..len) into *out: pairs of
 * lines "Section: Name ..." / "Section: value ...", keeping TcpExt and
 * IpExt and skipping the other sections (MPTcpExt).  A pair whose counts
 * differ, a bad number or an unpaired line is an error.  Returns VT_OK,
 * or VT_ERR with a reason in err.  No I/O, no state.
 */
int	vt_proc_net_netstat_parse(const char *buf, size_t len,
	    struct vt_proc_net_netstat *out, char *err, size_t errlen);

/* Read <root>/proc/net/netstat and parse it.  Returns VT_OK or VT_ERR. */
#define VT_PROC_NET_NETSTAT_BUFSZ	(16 * 1024)
int	vt_proc_net_netstat_read(const char *root,
	    struct vt_proc_net_netstat *out, char *err, size_t errlen);

/* Look up section/name.  Returns VT_OK with *value, or VT_ERR. */
int	vt_proc_net_netstat_get(const struct vt_proc_net_netstat *s,
	    const char *section, const char *name, uint64_t *value);

#endif /* VT_COLLECT_PROC_NET_NETSTAT_H */

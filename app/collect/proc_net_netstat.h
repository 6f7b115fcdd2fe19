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

#include "collect/procfile.h"
#include "vitals.h"

#define VT_NETSTAT_MAX		256	/* 6.x: 135 TcpExt + 18 IpExt */
#define VT_NETSTAT_NAMELEN	40
#define VT_NETSTAT_SECTLEN	12	/* "UdpLite6" of snmp6 */

struct vt_netstat_entry {
	char		section[VT_NETSTAT_SECTLEN];	/* "TcpExt", "Udp6" */
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

/*
 * The table of entries both this file and proc_net_snmp.h fill:
 * vt_netstat_entry_add() appends section/name = value to e[0..cap) at
 * *n, or counts it in *ndropped when the table is full or a name does
 * not fit; vt_netstat_entry_find() looks section/name up in e[0..n) and
 * returns VT_OK with *value, or VT_ERR.
 */
void	vt_netstat_entry_add(struct vt_netstat_entry *e, size_t cap,
	    size_t *n, size_t *ndropped, struct vt_span section,
	    struct vt_span name, uint64_t value);
int	vt_netstat_entry_find(const struct vt_netstat_entry *e, size_t n,
	    const char *section, const char *name, uint64_t *value);

/* Look up section/name.  Returns VT_OK with *value, or VT_ERR. */
int	vt_proc_net_netstat_get(const struct vt_proc_net_netstat *s,
	    const char *section, const char *name, uint64_t *value);

/*
 * The format /proc/net/netstat and /proc/net/snmp share: pairs of lines,
 * "Section: Name ..." then "Section: value ...", blank lines between
 * pairs allowed.  vt_netstat_pairs() checks the shape of buf[0..len)
 * (complete, paired, the same section on both lines, as many values as
 * names) and calls fn once per field, in file order, with the section,
 * the name and the value's text; fn returns VT_OK, or VT_ERR for a value
 * it cannot take, which stops the walk.  file ("proc/net/snmp") starts
 * the messages.  Returns VT_OK, or VT_ERR with a reason in err.  No I/O,
 * no state.
 */
typedef int	(*vt_netstat_field_fn)(struct vt_span section,
		    struct vt_span name, struct vt_span value, void *arg);
int	vt_netstat_pairs(const char *file, const char *buf, size_t len,
	    vt_netstat_field_fn fn, void *arg, char *err, size_t errlen);

/*
 * 1 when Section_Name (section and name as the files spell them:
 * "Tcp", "InSegs"; "Udp6", "InDatagrams" for /proc/net/snmp6) is in
 * node_exporter's default netstat subset, its --collector.netstat.fields
 * (see proc_net_netstat.c), else 0.  The one place that list lives.
 */
int	vt_netstat_field_default(struct vt_span section, struct vt_span name);

#endif /* VT_COLLECT_PROC_NET_NETSTAT_H */

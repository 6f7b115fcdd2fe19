/*
 * proc_net_snmp.h: /proc/net/snmp and /proc/net/snmp6, the IP, ICMP, TCP
 * and UDP counters of RFC 1213 and RFC 2465 (node_netstat_Tcp_InSegs,
 * node_netstat_Udp6_InDatagrams ...): the part of node_exporter's netstat
 * collector that /proc/net/netstat (proc_net_netstat.h) does not hold.
 *
 * Only the fields of node_exporter's default subset are kept
 * (vt_netstat_field_default()): about 30 of the 200 the two files hold.
 * Counters since boot, 64-bit on 64-bit kernels, but for Tcp CurrEstab,
 * a gauge, and Ip Forwarding, 1 (forwarding) or 2 (not).
 */
#ifndef VT_COLLECT_PROC_NET_SNMP_H
#define VT_COLLECT_PROC_NET_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "collect/proc_net_netstat.h"
#include "vitals.h"

#define VT_SNMP_MAX		64	/* the default subset: 31 on 6.x */

struct vt_proc_net_snmp {
	/* "Tcp" "InSegs" ...: snmp's, then snmp6's, in file order. */
	struct vt_netstat_entry	e[VT_SNMP_MAX];
	size_t			n;
	size_t			ndropped;	/* no room, or name too long */
	int			has_snmp6;	/* IPv6 was there to read */
};

/*
 * Parse the text of /proc/net/snmp in buf[0..len) (pairs of lines
 * "Tcp: Name ..." / "Tcp: value ...", the format of /proc/net/netstat)
 * into *out, which is reset first.  Every value must be a number (Tcp
 * MaxConn is -1, a signed one); a kept one must be unsigned.  Returns
 * VT_OK, or VT_ERR with a reason in err (out then holds nothing).  No
 * I/O, no state.
 */
int	vt_proc_net_snmp_parse(const char *buf, size_t len,
	    struct vt_proc_net_snmp *out, char *err, size_t errlen);

/*
 * Parse the text of /proc/net/snmp6 in buf[0..len) ("Ip6InReceives
 * <blanks> 6" lines: the section is the name up to its first '6', as
 * node_exporter splits it; a name without a '6' is skipped) and append
 * its kept fields to *out, setting has_snmp6.  Returns VT_OK, or VT_ERR
 * with a reason in err (out then holds what it held before).  No I/O,
 * no state.
 */
int	vt_proc_net_snmp6_parse(const char *buf, size_t len,
	    struct vt_proc_net_snmp *out, char *err, size_t errlen);

/*
 * Read <root>/proc/net/snmp and, when it exists (IPv6 may be disabled),
 * <root>/proc/net/snmp6.  Returns VT_OK or VT_ERR.
 */
#define VT_PROC_NET_SNMP_BUFSZ	(16 * 1024)	/* 6.x: 1.5 KB and 3.2 KB */
int	vt_proc_net_snmp_read(const char *root, struct vt_proc_net_snmp *out,
	    char *err, size_t errlen);

/* Look up section/name.  Returns VT_OK with *value, or VT_ERR. */
int	vt_proc_net_snmp_get(const struct vt_proc_net_snmp *s,
	    const char *section, const char *name, uint64_t *value);

#endif /* VT_COLLECT_PROC_NET_SNMP_H */

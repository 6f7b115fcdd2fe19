/*
 * proc_net_arp.h: /proc/net/arp, the IPv4 neighbour table counted per
 * device (node_exporter's arp collector, node_arp_entries{device}): a
 * gauge.  Every entry counts, complete or not, as in node_exporter; a
 * table near net.ipv4.neigh.default.gc_thresh3 (1024) drops neighbours
 * ("neighbour table overflow").  Read on the process-scan ticks.
 */
#ifndef VT_COLLECT_PROC_NET_ARP_H
#define VT_COLLECT_PROC_NET_ARP_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

#define VT_ARP_DEVLEN	16	/* IFNAMSIZ */

struct vt_arp_dev {
	char		device[VT_ARP_DEVLEN];
	uint64_t	entries;
};

struct vt_proc_net_arp {
	struct vt_arp_dev	d[VT_MAX_IFACES];	/* first seen first */
	size_t			n;
	size_t			ndropped;	/* devices past the array */
};

/*
 * Parse a whole /proc/net/arp text (the header line "IP address  HW type
 * ...", then "%-16s 0x%-10x0x%-10x%-17s     %-8s %s" per entry: address,
 * type, flags, hardware address, mask, device) into *out.  Returns VT_OK,
 * or VT_ERR with a reason in err (out then empty).  No I/O, no state.
 */
int	vt_proc_net_arp_parse(const char *buf, size_t len,
	    struct vt_proc_net_arp *out, char *err, size_t errlen);

/*
 * The same for entry lines only (no header), adding to *acc: for a
 * reader that streams the file in pieces.  buf must hold whole lines.
 */
int	vt_proc_net_arp_add_lines(const char *buf, size_t len,
	    struct vt_proc_net_arp *acc, char *err, size_t errlen);

/* Read <root>/proc/net/arp, streamed.  Returns VT_OK or VT_ERR. */
#define VT_PROC_NET_ARP_BUFSZ	(16 * 1024)
int	vt_proc_net_arp_read(const char *root, struct vt_proc_net_arp *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_NET_ARP_H */

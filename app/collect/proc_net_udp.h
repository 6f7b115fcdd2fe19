/*
 * proc_net_udp.h: /proc/net/udp and /proc/net/udp6 summed up: the bytes
 * waiting in every UDP socket's send and receive queues, IPv4 and IPv6
 * apart (node_exporter's udp_queues collector, node_udp_queues).  A
 * receive queue that stays full is a daemon (DNS, syslog, statsd) that
 * does not keep up and drops datagrams (node_netstat_Udp_RcvbufErrors).
 *
 * Like /proc/net/tcp, reading the file walks the kernel's whole UDP hash
 * table (sized by RAM), so the collector runs on the process-scan ticks
 * and streams the file through a fixed buffer.
 */
#ifndef VT_COLLECT_PROC_NET_UDP_H
#define VT_COLLECT_PROC_NET_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

struct vt_udp_summary {
	uint64_t	tx_queue;	/* bytes, summed over sockets */
	uint64_t	rx_queue;
	uint64_t	sockets;
};

struct vt_proc_net_udp {
	struct vt_udp_summary	v4;
	struct vt_udp_summary	v6;
	int			has_v4;	/* /proc/net/udp was there */
	int			has_v6;	/* /proc/net/udp6 was there */
};

/*
 * Parse a whole /proc/net/udp or udp6 text (a header line, then one
 * socket per line: "%5d: %08X:%04X %08X:%04X %02X %08X:%08X ...", at
 * least ten columns) into *out.  Returns VT_OK, or VT_ERR with a reason
 * in err (out then zero).  No I/O, no state.
 */
int	vt_proc_net_udp_parse(const char *buf, size_t len,
	    struct vt_udp_summary *out, char *err, size_t errlen);

/*
 * The same for socket lines only (no header), adding to *acc: for a
 * reader that streams a large file in pieces.  buf must hold whole lines.
 */
int	vt_proc_net_udp_add_lines(const char *buf, size_t len,
	    struct vt_udp_summary *acc, char *err, size_t errlen);

/*
 * Sum <root>/proc/net/udp and udp6, streamed through a
 * VT_PROC_NET_UDP_BUFSZ stack buffer.  One missing file (IPv6 or IPv4
 * disabled) is skipped; both missing is an error (errno ENOENT), as
 * node_exporter reports no data.  Returns VT_OK or VT_ERR.
 */
#define VT_PROC_NET_UDP_BUFSZ	(32 * 1024)
int	vt_proc_net_udp_read(const char *root, struct vt_proc_net_udp *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_NET_UDP_H */

/*
 * proc_net_dev.h: /proc/net/dev, per-interface traffic counters since the
 * interface appeared (64-bit on 64-bit kernels; see rate.h).  The file is
 * per network namespace: the reader's own.
 */
#ifndef VT_COLLECT_PROC_NET_DEV_H
#define VT_COLLECT_PROC_NET_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* Columns in the kernel's order: 8 receive, then 8 transmit. */
enum vt_netdev_field {
	VT_NETDEV_RX_BYTES,
	VT_NETDEV_RX_PACKETS,
	VT_NETDEV_RX_ERRS,
	VT_NETDEV_RX_DROP,
	VT_NETDEV_RX_FIFO,
	VT_NETDEV_RX_FRAME,
	VT_NETDEV_RX_COMPRESSED,
	VT_NETDEV_RX_MULTICAST,
	VT_NETDEV_TX_BYTES,
	VT_NETDEV_TX_PACKETS,
	VT_NETDEV_TX_ERRS,
	VT_NETDEV_TX_DROP,
	VT_NETDEV_TX_FIFO,
	VT_NETDEV_TX_COLLS,
	VT_NETDEV_TX_CARRIER,
	VT_NETDEV_TX_COMPRESSED,
	VT_NETDEV_NFIELDS
};

/*
 * node_exporter's names: "receive_bytes" ... "transmit_compressed", as in
 * node_network_receive_bytes_total{device="eth0"}.
 */
extern const char *const vt_netdev_field_names[VT_NETDEV_NFIELDS];

struct vt_netdev_iface {
	char		name[VT_NAME_LEN];
	uint64_t	v[VT_NETDEV_NFIELDS];
};

struct vt_proc_net_dev {
	struct vt_netdev_iface	iface[VT_MAX_IFACES];	/* file order */
	size_t			n;
	size_t			ndropped;	/* interfaces past the table */
};

/*
 * Parse the text of /proc/net/dev in buf[0..len) into *out.  The two
 * header lines are required.  Returns VT_OK, or VT_ERR with a reason in
 * err.  No I/O, no state.
 */
int	vt_proc_net_dev_parse(const char *buf, size_t len,
	    struct vt_proc_net_dev *out, char *err, size_t errlen);

/*
 * Read <root>/proc/net/dev and parse it.  Returns VT_OK or VT_ERR.  A
 * file larger than the buffer (hundreds of interfaces) is an error, not a
 * silently short table.
 */
#define VT_PROC_NET_DEV_BUFSZ	(64 * 1024)
int	vt_proc_net_dev_read(const char *root, struct vt_proc_net_dev *out,
	    char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_NET_DEV_H */

/*
 * sys_class_net.h: the network interfaces' properties from
 * /sys/class/net/<iface>/ (node_exporter's netclass collector): operstate,
 * carrier, MTU, speed, addresses, duplex, alias, flags and the other
 * one-value files.  They change when a link does, so the sampler reads
 * them on the process-scan ticks after a link notification
 * (link_watch.h), and rx_nohandler alone on the others; a host without
 * /sys/class/net (a container without sysfs) has no interfaces here,
 * which is no error.
 */
#ifndef VT_COLLECT_SYS_CLASS_NET_H
#define VT_COLLECT_SYS_CLASS_NET_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

/* The numeric files, each one node_network_<metric>{device}. */
enum vt_nc_attr {
	VT_NC_ADDR_ASSIGN_TYPE,
	VT_NC_CARRIER,
	VT_NC_CARRIER_CHANGES,
	VT_NC_CARRIER_UP,
	VT_NC_CARRIER_DOWN,
	VT_NC_DEV_ID,
	VT_NC_DORMANT,
	VT_NC_FLAGS,
	VT_NC_IFINDEX,
	VT_NC_IFLINK,
	VT_NC_LINK_MODE,
	VT_NC_MTU,
	VT_NC_NAME_ASSIGN_TYPE,
	VT_NC_NETDEV_GROUP,
	VT_NC_SPEED,		/* Mbit/s as the file says; -1: unknown */
	VT_NC_TX_QUEUE_LEN,
	VT_NC_TYPE,
	/*
	 * statistics/rx_nohandler: node_exporter's netdev collector reads
	 * it from rtnetlink (node_network_receive_nohandler_total), so the
	 * netdev families render it, not the netclass ones.  Here because
	 * sysfs has the same counter and this reader is on /sys/class/net
	 * already, on the process-scan ticks (a counter a few seconds old
	 * is as good for rate()).
	 */
	VT_NC_RX_NOHANDLER,
	VT_NC_NATTR
};

/* The file and the metric of each attribute, and whether it counts. */
struct vt_nc_attr_def {
	const char	*file;		/* "carrier_changes" */
	const char	*metric;	/* "carrier_changes_total" */
	int		 counter;
	int		 hex;		/* "0x1003" */
};
extern const struct vt_nc_attr_def vt_nc_attrs[VT_NC_NATTR];

#define VT_NC_ADDR_LEN	64	/* an InfiniBand address is 59 */
#define VT_NC_ALIAS_LEN	128	/* ifalias is at most 255; cut */

struct vt_netclass_iface {
	char		name[VT_NAME_LEN];
	char		address[VT_NC_ADDR_LEN];
	char		broadcast[VT_NC_ADDR_LEN];
	char		duplex[16];
	char		operstate[16];
	char		ifalias[VT_NC_ALIAS_LEN];
	uint32_t	have;			/* bit per vt_nc_attr read */
	int64_t		v[VT_NC_NATTR];
};

struct vt_netclass {
	struct vt_netclass_iface	i[VT_MAX_IFACES];	/* by name */
	size_t				n;
	size_t				skipped;	/* past VT_MAX_IFACES */
};

/*
 * Parse the text of the file named file (one of vt_nc_attrs' files, or
 * address, broadcast, duplex, operstate, ifalias) in buf[0..len) into
 * *ifc.  The kernel writes one line; an empty file (ifalias unset) is an
 * empty value.  Unknown names are ignored.  Returns VT_OK, or VT_ERR with
 * a reason in err (the attribute is then left unset).  No I/O, no state.
 */
int	vt_netclass_attr_parse(const char *file, const char *buf, size_t len,
	    struct vt_netclass_iface *ifc, char *err, size_t errlen);

/*
 * Read every interface under <root>/sys/class/net/, sorted by name.  A
 * file the driver refuses to read (carrier of a down link gives EINVAL,
 * speed of a virtual one too) leaves that attribute unset, as
 * node_exporter does.  Returns VT_OK (n = 0 without the directory), or
 * VT_ERR when an interface's files are malformed.
 */
int	vt_netclass_read(const char *root, struct vt_netclass *out, char *err,
	    size_t errlen);

/*
 * Read again only statistics/rx_nohandler of the interfaces in *nc, which
 * a full read filled: the one attribute that changes without a link
 * notification (link_watch.h), on every packet no protocol took; the
 * carrier counters move with the carrier, which is notified.  VT_OK, or
 * VT_ERR as vt_netclass_read().
 */
int	vt_netclass_nohandler_read(const char *root, struct vt_netclass *nc,
	    char *err, size_t errlen);

/* The interface named name in nc (sorted by name), or NULL. */
const struct vt_netclass_iface *vt_netclass_find(const struct vt_netclass *nc,
	    const char *name);

#endif /* VT_COLLECT_SYS_CLASS_NET_H */

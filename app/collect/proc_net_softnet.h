/*
 * proc_net_softnet.h: /proc/net/softnet_stat, the network receive path's
 * per-CPU counters (node_exporter's softnet collector): packets processed,
 * packets dropped because the backlog queue was full
 * (net.core.netdev_max_backlog), and the times the NET_RX softirq ran out
 * of budget with work left (net.core.netdev_budget).  Counters since
 * boot; the kernel keeps them as 32-bit values, so they wrap.
 */
#ifndef VT_COLLECT_PROC_NET_SOFTNET_H
#define VT_COLLECT_PROC_NET_SOFTNET_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"

struct vt_softnet_cpu {
	uint32_t	processed;
	uint32_t	dropped;
	uint32_t	time_squeezed;
};

struct vt_proc_net_softnet {
	/*
	 * One per line, in file order.  The file has a line per online CPU
	 * only; node_exporter 1.5 labels each with its line number, so a
	 * host with an offline CPU gets labels that are not CPU numbers.
	 * Vitals labels them the same way, for the same series.
	 */
	struct vt_softnet_cpu	cpu[VT_MAX_CPUS];
	size_t			n;
	size_t			ndropped;	/* lines past VT_MAX_CPUS */
};

/*
 * Parse the text of /proc/net/softnet_stat in buf[0..len) (a line per
 * CPU of at least 9 hexadecimal columns, %08x: 10 on 2.6.32, 15 on 6.x;
 * the first three are kept) into *out.  Returns VT_OK, or VT_ERR with a
 * reason in err (out then holds nothing).  No I/O, no state.
 */
int	vt_proc_net_softnet_parse(const char *buf, size_t len,
	    struct vt_proc_net_softnet *out, char *err, size_t errlen);

/* Read <root>/proc/net/softnet_stat and parse it.  VT_OK or VT_ERR. */
#define VT_PROC_NET_SOFTNET_BUFSZ	(64 * 1024)	/* 256 CPUs: 35 KB */
int	vt_proc_net_softnet_read(const char *root,
	    struct vt_proc_net_softnet *out, char *err, size_t errlen);

#endif /* VT_COLLECT_PROC_NET_SOFTNET_H */

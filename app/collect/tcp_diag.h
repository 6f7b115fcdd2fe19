/*
 * tcp_diag.h: count TCP sockets by state over NETLINK_SOCK_DIAG, the
 * interface ss(8) uses, through sock_diag.h's reader: one dump per
 * address family with every state selected and no extensions; only the
 * state of each socket is read.
 */
#ifndef VT_COLLECT_TCP_DIAG_H
#define VT_COLLECT_TCP_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "vitals.h"
#include "collect/proc_net_tcp.h"
#include "collect/sock_diag.h"

/*
 * Fill out (source VT_TCP_SRC_NETLINK) for AF_INET and AF_INET6 in the
 * caller's network namespace over r's socket (NULL: a socket opened and
 * closed for this call), within timeout_ms.  An address family the kernel
 * lacks (no IPv6) leaves its counts 0 and has_v6 0.  Returns VT_OK, or
 * VT_ERR with a reason in err (no netlink, a timeout, a malformed or
 * truncated reply): the caller then falls back to the files.
 */
int	vt_tcp_diag_count(struct vt_diag_reader *r, struct vt_tcp_states *out,
	    int timeout_ms, char *err, size_t errlen);

/*
 * The cadence of the count.  A dump costs the kernel a walk of the whole
 * established hash (sized by RAM: 262 144 buckets on a 24 GiB host, about
 * 1 ms of CPU for both families with a handful of sockets) plus about
 * 1 us per socket to report and parse (./stack bench --scale on main:
 * 65 ms of CPU a tick at 46 000 sockets).  Up to VT_TCP_PACE_FROM sockets
 * the count runs every tick.  Past it, it runs only as often as keeps its
 * mean cost within VT_TCP_BUDGET_US a tick: after a dump that took C us
 * of CPU, the next is ceil(C / budget) ticks later, at most
 * VT_TCP_EVERY_MAX, so a CLOSE_WAIT pile-up shows within 10 s on any
 * host.  Between dumps the sample carries the last counts with the wall
 * time they were taken (counted_ms), so a reader knows how fresh they are
 * (tcp.states_age_ms, vitals_tcp_states_age_seconds).  Fixture roots
 * (/proc/net/tcp) are counted every tick.
 */
#define VT_TCP_PACE_FROM	10000
#define VT_TCP_BUDGET_US	500
#define VT_TCP_EVERY_MAX	10

struct vt_tcp_pace {
	uint64_t		calls;		/* ticks seen */
	uint64_t		next;		/* the tick that counts next */
	int64_t			cost_us;	/* CPU of the last count */
	int			have;		/* last holds a count */
	struct vt_tcp_states	last;
};

/*
 * One tick of the paced count into *out: a new count (vt_tcp_states_read,
 * proc_net_tcp.h) when it is due, stamped now_ms, or else the last one
 * with its own stamp.  Returns VT_OK, or VT_ERR with a reason in err when
 * a due count failed (it is tried again at the next tick).
 */
int	vt_tcp_states_paced(const char *root, struct vt_diag_reader *r,
	    struct vt_tcp_pace *pace, int64_t now_ms,
	    struct vt_tcp_states *out, char *err, size_t errlen);

#endif /* VT_COLLECT_TCP_DIAG_H */

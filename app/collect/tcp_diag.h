/*
 * tcp_diag.h: count TCP sockets by state over NETLINK_SOCK_DIAG, the
 * interface ss(8) uses, through sock_diag.h's reader: one dump per
 * address family with every state selected and no extensions; only the
 * state of each socket is read.
 */
#ifndef VT_COLLECT_TCP_DIAG_H
#define VT_COLLECT_TCP_DIAG_H

#include <stddef.h>

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

#endif /* VT_COLLECT_TCP_DIAG_H */

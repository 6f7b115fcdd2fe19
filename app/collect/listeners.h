/*
 * listeners.h: every listening socket's accept queue, and who holds the
 * sockets that pile up.
 *
 * For a TCP listener (IPv4 and IPv6) the kernel's sock_diag dump of
 * LISTEN sockets gives the connections waiting to be accepted (idiag_rqueue)
 * and the queue's size (idiag_wqueue, the backlog passed to listen(2)
 * capped by net.core.somaxconn): what `ss -lnt` shows as Recv-Q and Send-Q.
 * The pool's own Unix socket is read by the master's 10 Hz gauge (qlen.h)
 * and joins the list when the sample is published.
 *
 * Owners (pid and comm) come from matching socket inodes against
 * /proc/<pid>/fd, which costs a walk of every process's descriptors: it is
 * done only on the process-scan ticks, or when a check asks for it, never
 * on every tick; between walks the last known owner of an inode is kept.
 */
#ifndef VT_COLLECT_LISTENERS_H
#define VT_COLLECT_LISTENERS_H

#include <stddef.h>
#include <stdint.h>

#include "collect/proc_pid.h"
#include "vitals.h"

#define VT_MAX_LISTENERS	64	/* kept per sample, the fullest first */
#define VT_MAX_HOLDERS		5	/* processes named per socket state */
#define VT_LISTENER_ADDRLEN	108	/* an IPv6 text address or a Unix path */

struct vt_listen_entry {
	int		family;		/* AF_INET, AF_INET6 or AF_UNIX */
	char		address[VT_LISTENER_ADDRLEN];	/* "0.0.0.0", "::1", a path */
	uint16_t	port;		/* 0 for AF_UNIX */
	uint32_t	queue;		/* connections waiting to be accepted */
	uint32_t	backlog;	/* the queue's size */
	uint64_t	inode;
	int32_t		pid;		/* owner; 0: not known */
	char		comm[VT_COMM_LEN];
};

struct vt_listeners {
	struct vt_listen_entry	l[VT_MAX_LISTENERS];
	size_t			n;
	size_t			total;	/* found; more than n when some were cut */
	int64_t			owners_ts_ms;	/* last owner walk; 0: never */
};

/* A process holding sockets in one state, and how many. */
struct vt_sock_holder {
	int32_t		pid;
	char		comm[VT_COMM_LEN];
	uint32_t	count;
};

/* Who holds the CLOSE_WAIT sockets, most first. */
struct vt_sock_holders {
	struct vt_sock_holder	h[VT_MAX_HOLDERS];
	size_t			n;
	uint64_t		sockets;	/* CLOSE_WAIT sockets seen */
	uint64_t		attributed;	/* of them, matched to a process */
	int64_t			ts_ms;		/* when; 0: never */
};

#endif /* VT_COLLECT_LISTENERS_H */

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

#include "backoff.h"
#include "collect/proc_pid.h"
#include "collect/sock_diag.h"
#include "collect/tcp_diag.h"
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

/*
 * The vt_diag_fn of a LISTEN dump: arg is a struct vt_listeners; the
 * socket is added with vt_listeners_add() (address as text, port, queue
 * from idiag_rqueue, backlog from idiag_wqueue, inode, no owner).
 */
void	vt_listeners_diag_fn(const struct inet_diag_msg *m, void *arg);

/*
 * Add e to l: l->total counts it; it is kept while there is room, and
 * after that only when it is fuller (queue over backlog) than the least
 * full one kept, which it replaces.  The order is set by
 * vt_listeners_sort().
 */
void	vt_listeners_add(struct vt_listeners *l,
	    const struct vt_listen_entry *e);

/* Sort l's entries, the fullest first (then by queue, family, port). */
void	vt_listeners_sort(struct vt_listeners *l);

/*
 * Parse whole lines of /proc/net/tcp or /proc/net/tcp6 (family AF_INET or
 * AF_INET6) in buf[0..len), the header line included or not, adding the
 * LISTEN sockets to out (queue from rx_queue; the file has no backlog,
 * so 0).  Returns VT_OK, or VT_ERR with a reason in err for a line that
 * does not parse.  Pure.
 */
int	vt_listeners_parse_proc(const char *buf, size_t len, int family,
	    struct vt_listeners *out, char *err, size_t errlen);

/*
 * Fill out with every TCP LISTEN socket, IPv4 and IPv6, of the caller's
 * network namespace: over r's netlink socket within timeout_ms when root
 * is "/", else from <root>/proc/net/tcp and tcp6 (a fixture tree).  Owners
 * are left unknown (sockowner.h fills them).  Returns VT_OK, or VT_ERR
 * with a reason in err (out then empty); after a netlink error the socket
 * is closed and not opened again before r's back-off allows.
 */
int	vt_listeners_read(struct vt_diag_reader *r, const char *root,
	    struct vt_listeners *out, int timeout_ms, char *err,
	    size_t errlen);

/*
 * The dump of the listeners is skipped while it cannot tell anything new:
 * every queue of the last one was empty, and neither a passive open nor a
 * change of the sockets in use shows since (vt_tcp_activity_listen_same,
 * tcp_diag.h).  A connection joins an accept queue only when its
 * handshake completes, and the kernel counts a passive open then
 * (tcp_create_openreq_child(), syncookies and Fast Open too); a listener
 * comes or goes with the sockets in use (sockstat's TCP and TCP6 inuse);
 * an empty queue cannot shrink.  What shows in none of these (listen(2)
 * called again with another backlog; a listener opened as another socket
 * closed in the same second) waits at most VT_TCP_EVERY_MAX ticks, and a
 * connection to it is a passive open.  The other TCP counters (segments,
 * active opens) do not move a queue: keyed on them, a keep-alive scraper
 * such as Prometheus made the dump run every tick.  The dump walks the
 * kernel's listening hash whatever the number of listeners (16 384
 * buckets a family on a 24 GiB host): about 90 us of the idle master's
 * tick (listeners.t's figure), for queues that were empty.
 */
struct vt_listeners_pace {
	uint64_t		calls;		/* ticks seen */
	uint64_t		dumped;		/* the tick that dumped last */
	int			have;		/* last holds a dump */
	struct vt_listeners	last;
	struct vt_tcp_activity	act;		/* as the last dump began */
};

/*
 * vt_listeners_read() into *out, or the last dump again when act (may be
 * NULL: not skipped) says it cannot have changed (struct
 * vt_listeners_pace).  Fixture roots are read every time.  Returns as
 * vt_listeners_read().
 */
int	vt_listeners_paced(struct vt_diag_reader *r, const char *root,
	    struct vt_listeners_pace *pace, const struct vt_tcp_activity *act,
	    struct vt_listeners *out, int timeout_ms, char *err,
	    size_t errlen);

/*
 * Store in inodes[0..cap) the inodes of the first cap TCP sockets (IPv4
 * and IPv6) in the kernel states of the mask statemask (1 << TCP_CLOSE_WAIT
 * for CLOSE_WAIT) over r's socket within timeout_ms, their count in *n and
 * the count of every such socket in *total.  Netlink only (nothing from a
 * fixture root).  Returns VT_OK or VT_ERR, as vt_listeners_read().
 */
int	vt_sock_inodes_read(struct vt_diag_reader *r, unsigned statemask,
	    uint64_t *inodes, size_t cap, size_t *n, uint64_t *total,
	    int timeout_ms, char *err, size_t errlen);

#endif /* VT_COLLECT_LISTENERS_H */

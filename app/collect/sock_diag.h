/*
 * sock_diag.h: dumps of TCP sockets over NETLINK_SOCK_DIAG, the interface
 * ss(8) uses, for the TCP states (tcp_diag.h), the listeners' queues and
 * the inodes of sockets in a state (listeners.h).
 *
 * A reader is one netlink socket, opened on first use and kept for the
 * owner's life, closed after any error and opened again when its back-off
 * allows.  A dump asks for both address families in the states of a mask,
 * with no extensions, in one request (TCPDIAG_GETSOCK; per family where a
 * kernel refuses it, see sock_diag.c), and hands each socket to a
 * callback; the replies go through a bounded stack buffer under one
 * deadline.
 */
#ifndef VT_COLLECT_SOCK_DIAG_H
#define VT_COLLECT_SOCK_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "backoff.h"
#include "vitals.h"

/* Receives go through a stack buffer of this size, under one deadline. */
#define VT_DIAG_BUFSZ	(32 * 1024)

/*
 * The reader's state, owned by the caller (the sampler keeps one for its
 * life): one NETLINK_SOCK_DIAG socket, opened on first use and kept, and
 * closed after any error, to be opened again when the back-off allows.
 */
struct vt_diag_reader {
	int			fd;		/* -1: closed */
	unsigned		seq;		/* of the last request */
	struct vt_backoff	bo;		/* reopening after an error */
	uint64_t		opens;		/* sockets opened so far */
	int			has_v6;		/* the kernel dumps IPv6 */
	int			per_family;	/* no TCPDIAG_GETSOCK here */
};

/*
 * Called by the parsers for each socket of a reply: the kernel's
 * inet_diag_msg (linux/inet_diag.h), whole and aligned.
 */
struct inet_diag_msg;
typedef void	(*vt_diag_fn)(const struct inet_diag_msg *m, void *arg);

/*
 * Walk the netlink messages in one receive buffer buf[0..len) of a
 * sock_diag dump with sequence number seq, calling fn for each socket.
 * Messages of other sequence numbers are skipped.  Sets *done when the
 * dump's NLMSG_DONE is in the buffer.  Returns VT_OK; 1 for an NLMSG_ERROR
 * that says the kernel lacks what was asked (ENOENT: no such address
 * family; EOPNOTSUPP or EINVAL: no such request); VT_ERR with a reason in
 * err for another error reply or a short or malformed message.  Pure: no
 * I/O, no state.
 */
int	vt_diag_parse(const void *buf, size_t len, unsigned seq, vt_diag_fn fn,
	    void *arg, int *done, char *err, size_t errlen);

/* A closed reader, with its back-off set (100 ms doubling to 30 s). */
void	vt_diag_reader_init(struct vt_diag_reader *r);

/* Close the reader's socket, if open. */
void	vt_diag_reader_close(struct vt_diag_reader *r);

/*
 * Dump the TCP sockets of IPv4 and IPv6, in the kernel states of the
 * mask (1 << TCP_LISTEN, ...) over r's socket within timeout_ms, calling
 * fn(m, arg) for each.  *has_v6 (may be NULL) is set when the kernel has
 * IPv6 to dump.  Returns VT_OK, or VT_ERR with a reason in err; after an
 * error the socket is closed and not opened again before r's back-off
 * allows (fn may have been called for part of the sockets).
 */
int	vt_diag_dump(struct vt_diag_reader *r, unsigned states, vt_diag_fn fn,
	    void *arg, int timeout_ms, int *has_v6, char *err, size_t errlen);

#endif /* VT_COLLECT_SOCK_DIAG_H */

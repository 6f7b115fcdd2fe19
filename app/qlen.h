/*
 * qlen.h: how many connections wait in a listening socket's queue, and the
 * queue's size, as the kernel reports them: for a Unix socket through
 * netlink sock_diag (UNIX_DIAG_RQLEN, what `ss -xl` shows), for TCP through
 * TCP_INFO.  PHP-FPM cannot report this for Unix sockets.
 *
 * A Unix socket's read asks the kernel only when the queue is not empty:
 * a listening socket polls readable exactly when a connection waits in
 * its queue (unix_poll: its receive queue, which UNIX_DIAG_RQLEN counts),
 * so a poll with no wait answers "0 waiting" for the price of one cheap
 * call, and the netlink exchange (about 35 us on a 2-vCPU VM, a third of
 * the idle master's gauge cost) is made only for a queue that holds
 * something, and every VT_QLEN_REFRESH reads to learn the backlog again.
 */
#ifndef VT_QLEN_H
#define VT_QLEN_H

#include <stdint.h>

/*
 * The gauge's netlink socket, owned by the caller (the master keeps one
 * for its life): opened on the first read of a Unix socket and kept, so
 * the 10 Hz gauge does not open and close a socket each read; closed
 * after any error and opened again at the next read.
 */
/* A quiet queue's backlog is asked again after this many reads (10 s). */
#define VT_QLEN_REFRESH	100

struct vt_qlen {
	int		nl;		/* NETLINK_SOCK_DIAG, -1: closed */
	uint32_t	seq;		/* of the last request */
	uint64_t	opens;		/* sockets opened so far */
	uint64_t	asks;		/* netlink exchanges so far */
	/*
	 * What the last read learnt of its listening socket, kept so that
	 * the 10 Hz gauge asks the kernel once a read, not three times (a
	 * getsockname and an fstat each read were half the gauge's CPU):
	 * valid while the reads are of the same fd and succeed.
	 */
	int		fd;		/* -1: nothing kept */
	int		family;		/* AF_UNIX, AF_INET, AF_INET6 */
	uint64_t	ino;		/* the Unix socket's inode */
	uint32_t	backlog;	/* its backlog, as last asked */
	uint32_t	quiet;		/* reads answered by poll since */
};

/* A closed reader. */
void	vt_qlen_init(struct vt_qlen *q);

/* Close the reader's socket, if open. */
void	vt_qlen_close(struct vt_qlen *q);

/*
 * Fill *queued and *backlog for listening socket fd (a Unix socket goes
 * through q's netlink socket; TCP needs none).  Returns 0 or -1.
 */
int	vt_qlen_read(struct vt_qlen *q, int fd, uint32_t *queued,
	    uint32_t *backlog);

#endif /* VT_QLEN_H */

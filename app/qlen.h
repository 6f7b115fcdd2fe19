/*
 * qlen.h: how many connections wait in a listening socket's queue, and the
 * queue's size, as the kernel reports them: for a Unix socket through
 * netlink sock_diag (UNIX_DIAG_RQLEN, what `ss -xl` shows), for TCP through
 * TCP_INFO.  PHP-FPM cannot report this for Unix sockets.
 */
#ifndef VT_QLEN_H
#define VT_QLEN_H

#include <stdint.h>

/* Fill *queued and *backlog for listening socket fd.  Returns 0 or -1. */
int	vt_qlen_read(int fd, uint32_t *queued, uint32_t *backlog);

#endif /* VT_QLEN_H */

/*
 * link_watch.h: whether a network interface changed, from the kernel's
 * rtnetlink link notifications (RTMGRP_LINK), so the netclass attributes
 * (sys_class_net.h) are read again when a link did something, not on
 * every slow tick.
 *
 * Every attribute node_exporter's netclass collector reports but the
 * counters changes with a notification: a carrier or operstate change
 * (linkwatch), MTU, flags, transmit queue length, address, alias, name
 * and group (netdev notifiers), an interface registered or gone.  The
 * socket is joined to the group once and left open for the process's
 * life; asking is one recv() that answers EAGAIN while nothing happened.
 * A full receive buffer (ENOBUFS: notifications were lost) or any other
 * failure counts as a change, so the caller reads again: the watch can
 * only make the read happen more often, never hide a change.
 */
#ifndef VT_COLLECT_LINK_WATCH_H
#define VT_COLLECT_LINK_WATCH_H

struct vt_link_watch {
	int		fd;		/* -1: closed */
	unsigned long	opens;		/* sockets opened, for the tests */
	unsigned long	events;		/* notifications seen */
};

void	vt_link_watch_init(struct vt_link_watch *w);
void	vt_link_watch_close(struct vt_link_watch *w);

/*
 * 1 when a link changed since the last call (or the watch cannot tell:
 * the first call, which opens the socket, a lost notification, an
 * error), 0 when nothing did.  Drains what is queued, at most a bounded
 * number of messages a call (the rest is a change next time).  Never
 * blocks.
 */
int	vt_link_watch_changed(struct vt_link_watch *w);

#endif /* VT_COLLECT_LINK_WATCH_H */

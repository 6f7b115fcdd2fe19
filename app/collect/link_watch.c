/*
 * link_watch.c: rtnetlink link notifications (see link_watch.h).
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/link_watch.h"

/*
 * Messages read a call before the rest is left for the next: an
 * interface flapping cannot hold the sampler in this loop.
 */
#define LINK_WATCH_DRAIN_MAX	64

static int	link_watch_open(struct vt_link_watch *w);

void
vt_link_watch_init(struct vt_link_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

void
vt_link_watch_close(struct vt_link_watch *w)
{
	if (w->fd != -1)
		(void)close(w->fd);
	w->fd = -1;
}

static int
link_watch_open(struct vt_link_watch *w)
{
	struct sockaddr_nl	sa;
	int			fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (fd == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		(void)close(fd);
		return -1;
	}
	w->fd = fd;
	w->opens++;
	return 0;
}

int
vt_link_watch_changed(struct vt_link_watch *w)
{
	/* A notification is an ifinfomsg and its attributes: ~1-2 KiB. */
	char	buf[8192];
	ssize_t	n;
	int	changed = 0, i;

	/* Opened now: what happened before is unknown, so read. */
	if (w->fd == -1) {
		(void)link_watch_open(w);
		return 1;
	}
	for (i = 0; i < LINK_WATCH_DRAIN_MAX; i++) {
		n = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n > 0) {
			w->events++;
			changed = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return changed;
		if (n == -1 && errno == ENOBUFS) {
			/* Lost some: the queue is emptied, go on draining. */
			changed = 1;
			continue;
		}
		/* 0 or another error: start again from a new socket. */
		vt_link_watch_close(w);
		return 1;
	}
	return 1;
}

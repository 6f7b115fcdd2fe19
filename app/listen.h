/*
 * listen.h: acquiring the listening socket, in order of precedence:
 *
 *	1. systemd socket activation: LISTEN_PID is us, LISTEN_FDS=1, fd 3
 *	   (also how a SIGUSR2 upgrade hands the socket to the new master);
 *	2. an inherited listening socket on fd 0 (spawn-fcgi,
 *	   StandardInput=socket);
 *	3. --listen PATH (a Unix socket we create, with --socket-mode) or
 *	   --listen HOST:PORT (TCP), with --backlog.
 *
 * The socket is returned non-blocking and close-on-exec; workers inherit
 * it across fork.
 */
#ifndef VT_LISTEN_H
#define VT_LISTEN_H

#include <stddef.h>

#include "conf.h"

enum vt_listen_source {
	VT_LISTEN_SYSTEMD,
	VT_LISTEN_STDIN,
	VT_LISTEN_CREATED
};

struct vt_listener {
	int			fd;
	enum vt_listen_source	source;
	int			is_unix;
	char			path[VT_PATH_LEN];	/* created Unix socket */
	char			desc[VT_PATH_LEN + 32];	/* for logs and /status */
};

int	vt_listen_acquire(const struct vt_conf *c, struct vt_listener *l,
	    char *err, size_t errlen);

/* Remove a Unix socket we created (not one handed to us). */
void	vt_listen_unlink(struct vt_listener *l);

const char *vt_listen_source_name(enum vt_listen_source s);

#endif /* VT_LISTEN_H */

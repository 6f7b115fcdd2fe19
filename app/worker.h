/*
 * worker.h: one worker process of the pool: accept, read the FastCGI
 * request, route, reply, repeat; exit after max_requests or on SIGTERM
 * once the request in hand is done.
 */
#ifndef VT_WORKER_H
#define VT_WORKER_H

#include <stdint.h>

#include "conf.h"
#include "scoreboard.h"

/* Exit codes the master reads. */
#define VT_WORKER_EXIT_OK	0	/* told to stop, and did */
#define VT_WORKER_EXIT_INIT	1	/* could not start */
#define VT_WORKER_EXIT_RECYCLE	3	/* served its max_requests */

struct vt_worker_args {
	const struct vt_conf   *conf;
	struct vt_shm	       *shm;
	int			slot;
	int			listen_fd;
	uint32_t		generation;
	int			close_fds[5];	/* the master's, -1 if unused */
};

/* Run a worker in a freshly forked child.  Never returns. */
void	vt_worker_run(const struct vt_worker_args *a)
	    __attribute__((noreturn));

#endif /* VT_WORKER_H */

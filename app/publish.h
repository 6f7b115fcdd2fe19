/*
 * publish.h: live push's publisher.  Once per sample the master POSTs the
 * /api/metrics document it rendered to nginx's Nchan publisher (a Unix
 * socket, conf/nginx/vitals-live.conf.in), which fans it out to every
 * subscriber of /api/live.
 *
 * It never blocks the master: the socket is non-blocking, and the
 * exchange is a small state machine (connect, send, read the answer)
 * that the master's loop drives with poll(2), under a deadline well
 * under a tick.  The connection is kept alive from one sample to the
 * next.  A failure closes it and is counted; the next sample tries
 * again, at once after a refused connect (it costs one system call, and
 * nginx back is then seen within a tick) and after a back-off otherwise
 * (a timeout or a broken exchange cost a deadline each).  The first
 * failure of an outage is logged, and the first success after it.
 *
 * Ownership: the caller owns struct vt_publish; the state it reports into
 * (struct vt_live_state, scoreboard.h) is the caller's too, and is only
 * written here.
 */
#ifndef VT_PUBLISH_H
#define VT_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "backoff.h"
#include "buf.h"
#include "scoreboard.h"
#include "vitals.h"

/* The deadline of one publication, at most (a quarter tick if shorter). */
#define VT_PUBLISH_DEADLINE_MS	250

/* nginx's answer is a status line, a few headers and ~100 bytes. */
#define VT_PUBLISH_ANSWER_MAX	4096

enum vt_publish_phase {
	VT_PUB_CLOSED = 0,	/* no connection */
	VT_PUB_IDLE,		/* connected, nothing in flight */
	VT_PUB_CONNECTING,	/* connect(2) in progress */
	VT_PUB_SENDING,		/* the request, part sent */
	VT_PUB_READING		/* the answer, part read */
};

struct vt_publish {
	char			path[VT_PATH_LEN];	/* "": off */
	int			fd;
	enum vt_publish_phase	phase;
	int64_t			deadline_ms;	/* monotonic, while in flight */
	int64_t			timeout_ms;
	int64_t			started_us;	/* monotonic */
	struct vt_buf		req;		/* head and body */
	size_t			sent;
	char			in[VT_PUBLISH_ANSWER_MAX];
	size_t			inlen;
	int			failing;	/* in an outage (logged) */
	uint64_t		failures;	/* of this outage */
	struct vt_backoff	backoff;
	struct vt_live_state   *st;
};

/*
 * Set up p to publish to the Unix socket path ("" or NULL: off), every
 * interval_ms, reporting into st (its counts kept, so that a new master
 * of an upgrade goes on from the old one's).  Returns 0, or -1 when
 * out of memory.
 */
int	vt_publish_init(struct vt_publish *p, const char *path,
	    int64_t interval_ms, struct vt_live_state *st);

/*
 * Another sampling interval (a reload): the deadline (a quarter of it, at
 * most VT_PUBLISH_DEADLINE_MS, at least 10 ms) and the back-off's first
 * step (one interval).
 */
void	vt_publish_set_interval(struct vt_publish *p, int64_t interval_ms);

/* Another socket path (a reload); the connection is closed when it moved. */
void	vt_publish_set_path(struct vt_publish *p, const char *path);

/* Close the connection and free the buffers. */
void	vt_publish_free(struct vt_publish *p);

/*
 * Publish len bytes of JSON at monotonic time now_ms.  A publication
 * still in flight is ended first (a timeout: it outlived its deadline's
 * tick).  Backing off, the sample is counted as skipped.  Never blocks.
 */
void	vt_publish_sample(struct vt_publish *p, const char *data, size_t len,
	    int64_t now_ms);

/*
 * What to wait for: the descriptor and poll(2) events, or -1 when
 * nothing is in flight.  *wait_ms is lowered to the time left before
 * the deadline.
 */
int	vt_publish_poll_fd(const struct vt_publish *p, short *events,
	    int64_t now_ms, int *wait_ms);

/* Move the exchange on (after poll, whatever it said); never blocks. */
void	vt_publish_step(struct vt_publish *p, int64_t now_ms);

/* The descriptor, for a child to close; -1: none. */
int	vt_publish_fd(const struct vt_publish *p);

#endif /* VT_PUBLISH_H */

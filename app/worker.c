/*
 * worker.c: the request loop of one worker.
 *
 * The worker accepts connections itself (epoll with EPOLLEXCLUSIVE, so one
 * worker wakes per connection, then accept4 on the non-blocking listening
 * socket) and hands the connected socket to libfcgi, instead of letting
 * FCGX_Accept_r block in accept().  That gives what libfcgi's own accept
 * cannot:
 *
 *  - the reading phase has one total deadline: a worker holds up to
 *    WORKER_PENDING_MAX accepted connections at once, peeks at what each
 *    has sent (MSG_PEEK, so libfcgi later reads it all), and serves one
 *    only when a whole request is there; a connection that has not
 *    delivered one within read_timeout of its accept is dropped, however
 *    it trickles, and K stalled clients cost no worker more than that;
 *  - the records are checked before libfcgi sees them (fcgi_check.c):
 *    libfcgi aborts on a parameter length it cannot allocate;
 *  - accept errors (EMFILE and the like) back off, with signals
 *    deliverable, instead of spinning or killing the loop, and the slot
 *    says the worker is failing so the master can replace it;
 *  - SIGTERM is taken only while waiting (epoll_pwait's mask), so a stop
 *    never cuts a request in half.
 *
 * The hand-over uses FCGX_Request's documented fields: ipcFd is set to the
 * accepted socket and keepConnection to 1, so the FCGX_Finish_r that
 * FCGX_Accept_r runs first leaves that socket open; BEGIN_REQUEST then
 * sets keepConnection from nginx's flags (off: we never keep connections,
 * see DESIGN.md).  listen_sock is -1, so if libfcgi drops a malformed
 * request and loops to accept, it fails at once and returns to us.
 */
#include "config.h"

#include <errno.h>
#include <fcgiapp.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "buf.h"
#include "child.h"
#include "clock.h"
#include "fcgi_check.h"
#include "leakcheck.h"
#include "log.h"
#include "reply.h"
#include "router.h"
#include "worker.h"

#define WORKER_BODY_MAX		(4u << 20)	/* largest reply body */
#define WORKER_ACCEPT_BACKOFF_MIN_MS	10
#define WORKER_ACCEPT_BACKOFF_MAX_MS	1000
#define WORKER_PENDING_MAX	16	/* connections read at once */
#define WORKER_EVENTS		16
/* Room for the largest PARAMS stream allowed and a start of a body. */
#define WORKER_PEEK_MAX		(VT_FCGI_PARAMS_MAX + 16384)

/* An accepted connection whose request has not all arrived yet. */
struct worker_conn {
	int		fd;
	int		ready;		/* a whole, checked request */
	int		polled;		/* in the epoll set */
	int64_t		fresh_ms;	/* monotonic: until then, no accept */
	int64_t		deadline_ms;	/* monotonic */
};

/* What a connection has sent so far, peeked at. */
static unsigned char	worker_peek[WORKER_PEEK_MAX];

static void
worker_slot_state(struct vt_slot *s, uint32_t state)
{
	vt_slot_write_begin(s);
	s->state = state;
	if (state == VT_SLOT_IDLE) {
		s->method[0] = s->path[0] = s->request_id[0] = '\0';
		s->req_start_mono_ms = 0;
	}
	vt_slot_write_end(s);
}

static void
worker_copy(char *dst, size_t len, const char *src)
{
	size_t	n = src != NULL ? strnlen(src, len - 1) : 0;

	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The path of the request: nginx's normalised $document_uri first. */
static const char *
worker_path(FCGX_ParamArray env, char *buf, size_t len)
{
	const char     *p = FCGX_GetParam("DOCUMENT_URI", env);
	const char     *q;

	if (p != NULL && *p != '\0')
		return p;
	if ((p = FCGX_GetParam("REQUEST_URI", env)) != NULL && *p != '\0') {
		q = strchr(p, '?');
		worker_copy(buf, q == NULL || (size_t)(q - p) >= len ?
		    len : (size_t)(q - p) + 1, p);
		return buf;
	}
	p = FCGX_GetParam("SCRIPT_NAME", env);
	return p != NULL ? p : "/";
}

struct worker_state {
	const struct vt_worker_args    *a;
	struct vt_slot		       *slot;
	struct vt_ctx			ctx;
	struct vt_buf			body;
	struct vt_buf			head;
	FCGX_Request			fcgx;
	struct vt_db		       *db;	/* for /health, lazily */
	uint64_t			served;
	uint64_t			limit;
	struct vt_backoff		accept_backoff;
	int				streak;	/* accepts without a wait */
	int				epfd;
	int				listening; /* listen_fd in epfd */
	int64_t				accept_after_ms; /* back-off end */
	uint32_t			accept_failures; /* in a row */
	struct worker_conn		pending[WORKER_PENDING_MAX];
	int				npending;
	int				draining; /* recycling */
	const sigset_t		       *waitmask; /* stop signals open */
};

/*
 * End the request and close its connection.
 *
 * libfcgi's own close lingers: shutdown, then wait (up to 2 s) until nginx
 * closes its end, reading and discarding whatever comes.  It is there for
 * input the application never read: closing a socket with unread input
 * resets the connection (an RST on TCP, ECONNRESET for the peer of a Unix
 * socket), and nginx could lose the reply.  So the worker reads the rest
 * of the request's input itself, which for a GET is only the empty stdin
 * record already in libfcgi's buffer.  Once that has reached its end
 * nothing is unread, and the worker closes at once instead of sleeping
 * until nginx gets round to it: three system calls and a context switch
 * less per request, and the worker is free for the next one sooner.
 * Input beyond WORKER_DRAIN_MAX (nginx buffers a request body and sends
 * it whole, so only a large upload) is left to libfcgi's lingering close.
 * A peer that stops sending mid-input is bounded here as in the reading
 * phase: by read_timeout on each read (SO_RCVTIMEO) and the watchdog.
 *
 * A connection nginx asked to keep (fastcgi_keep_conn on) is closed too:
 * a libfcgi worker that waits on a kept connection hangs the requests
 * queued behind it (DESIGN.md).
 */
#define WORKER_DRAIN_MAX	(64u << 10)

static void
worker_finish(struct worker_state *w)
{
	char	trash[4096];
	size_t	drained = 0;
	int	n;

	while (drained < WORKER_DRAIN_MAX && !FCGX_HasSeenEOF(w->fcgx.in) &&
	    (n = FCGX_GetStr(trash, (int)sizeof(trash), w->fcgx.in)) > 0)
		drained += (size_t)n;
	if (FCGX_HasSeenEOF(w->fcgx.in) == EOF &&
	    FCGX_GetError(w->fcgx.in) == 0)
		w->fcgx.keepConnection = 1;
	FCGX_Finish_r(&w->fcgx);
	if (w->fcgx.ipcFd >= 0) {
		close(w->fcgx.ipcFd);
		w->fcgx.ipcFd = -1;
	}
}

static void
worker_serve(struct worker_state *w)
{
	struct vt_shm	       *shm = w->a->shm;
	struct vt_request	req;
	struct vt_reply		rep;
	char			pathbuf[512], qerr[128];
	int64_t			t0 = vt_mono_us(), dur;
	int			route_id, status;
	struct vt_limits	lim;

	memset(&req, 0, sizeof(req));
	memset(&rep, 0, sizeof(rep));
	req.method = FCGX_GetParam("REQUEST_METHOD", w->fcgx.envp);
	req.path = worker_path(w->fcgx.envp, pathbuf, sizeof(pathbuf));
	req.query_string = FCGX_GetParam("QUERY_STRING", w->fcgx.envp);
	req.request_id = FCGX_GetParam("REQUEST_ID", w->fcgx.envp);
	req.accept = FCGX_GetParam("HTTP_ACCEPT", w->fcgx.envp);
	req.accept_encoding = FCGX_GetParam("HTTP_ACCEPT_ENCODING",
	    w->fcgx.envp);
	req.head = req.method != NULL && strcmp(req.method, "HEAD") == 0;
	req.ctx = &w->ctx;
	if (req.method == NULL)
		req.method = "GET";
	if (vt_query_parse(req.query_string, &req.query, qerr,
	    sizeof(qerr)) == VT_ERR)
		req.query_error = qerr;

	vt_slot_write_begin(w->slot);
	w->slot->state = VT_SLOT_BUSY;
	worker_copy(w->slot->method, sizeof(w->slot->method), req.method);
	worker_copy(w->slot->path, sizeof(w->slot->path), req.path);
	worker_copy(w->slot->request_id, sizeof(w->slot->request_id),
	    req.request_id);
	vt_slot_write_end(w->slot);

	vt_buf_reset(&w->body);
	rep.body = &w->body;
	status = vt_route_dispatch(&req, &rep, &route_id);
	rep.status = status;
	if (vt_reply_head(&rep, &w->head) == VT_OK) {
		if (FCGX_PutStr(w->head.data, (int)w->head.len, w->fcgx.out) < 0 ||
		    (!req.head && rep.body->len > 0 &&
		    FCGX_PutStr(rep.body->data, (int)rep.body->len,
		    w->fcgx.out) < 0))
			vt_log_debug("reply_write_failed", "path=%s",
			    w->slot->path);
	}
	worker_finish(w);

	dur = vt_mono_us() - t0;
	vt_route_record(shm, route_id, status, dur);
	vt_limits_get(shm, &lim);
	if (lim.slow_threshold > 0 && (double)dur / 1e6 >= lim.slow_threshold) {
		char	q[128];

		vt_count(&shm->c.slow_requests, 1);
		vt_log_warn("slow_request", "path=%s request_id=%s "
		    "duration_ms=%lld status=%d",
		    vt_log_quote(q, sizeof(q), w->slot->path),
		    w->slot->request_id[0] ? w->slot->request_id : "-",
		    (long long)(dur / 1000), status);
	}
}

/* Drop a pending connection that will not be served, saying why. */
static void
worker_conn_drop(struct worker_state *w, int i, const char *reason,
    const char *detail)
{
	char	q[160];

	vt_count(&w->a->shm->c.bad_requests, 1);
	vt_log_warn("bad_request", "slot=%d reason=%s detail=%s", w->a->slot,
	    reason, vt_log_quote(q, sizeof(q), detail));
	close(w->pending[i].fd);
	w->pending[i] = w->pending[--w->npending];
}

/*
 * Peek at what pending connection i has sent and judge it: ready when a
 * whole request passed the check (or a checked request's body fills the
 * peek buffer: libfcgi reads the rest under SO_RCVTIMEO), dropped when it
 * is bad, has closed or has failed, left pending when more is due.
 */
static void
worker_conn_check(struct worker_state *w, int i)
{
	struct worker_conn     *c = &w->pending[i];
	char			err[128];
	ssize_t			n;
	int			in_stdin;

	n = recv(c->fd, worker_peek, sizeof(worker_peek),
	    MSG_PEEK | MSG_DONTWAIT);
	if (n == 0) {
		worker_conn_drop(w, i, "closed", "the peer closed before "
		    "a whole request");
		return;
	}
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			worker_conn_drop(w, i, "read_failed", strerror(errno));
		return;
	}
	switch (vt_fcgi_check(worker_peek, (size_t)n, VT_FCGI_PARAMS_MAX,
	    &in_stdin, err, sizeof(err))) {
	case VT_FCGI_OK:
		c->ready = 1;
		break;
	case VT_FCGI_BAD:
		worker_conn_drop(w, i, "bad_record", err);
		break;
	case VT_FCGI_MORE:
		if ((size_t)n < sizeof(worker_peek))
			break;
		if (in_stdin)
			c->ready = 1;
		else
			worker_conn_drop(w, i, "too_large", "records larger "
			    "than the peek buffer");
		break;
	}
}

static int
worker_conn_find(struct worker_state *w, int fd)
{
	int	i;

	for (i = 0; i < w->npending; i++)
		if (w->pending[i].fd == fd)
			return i;
	return -1;
}

/* Publish the accept health in the slot, for /status and the master. */
static void
worker_slot_health(struct worker_state *w, int err, int64_t now)
{
	vt_slot_write_begin(w->slot);
	if (w->accept_failures == 0) {
		w->slot->unhealthy_since_ms = 0;
		w->slot->accept_errno = 0;
	} else {
		if (w->slot->unhealthy_since_ms == 0)
			w->slot->unhealthy_since_ms = now;
		w->slot->accept_errno = err;
	}
	w->slot->accept_failures = w->accept_failures;
	vt_slot_write_end(w->slot);
}

/*
 * accept4 failed with err.  EMFILE, ENFILE, ENOBUFS, ENOMEM: the
 * connection stays queued for another worker or for later.  Back off
 * rather than spin (DESIGN.md: the accept loop that only `continue`s eats
 * a core): the listening socket leaves the epoll set until the back-off
 * ends, so the wait is a real one, in epoll_pwait with stop signals
 * deliverable.  The slot says the worker is failing; the master replaces
 * a worker out of descriptors of its own (EMFILE).
 */
static void
worker_accept_failed(struct worker_state *w, int err)
{
	int64_t	now = vt_mono_ms(), d;

	if (err == EAGAIN || err == EINTR || err == ECONNABORTED ||
	    err == EPROTO)
		return;
	vt_count(&w->a->shm->c.accept_errors, 1);
	w->accept_failures++;
	worker_slot_health(w, err, now);
	d = vt_backoff_fail(&w->accept_backoff, now);
	w->accept_after_ms = now + d;
	errno = err;
	vt_log_sys(VT_LOG_WARN, "accept_failed", "slot=%d failures=%u "
	    "backoff_ms=%d", w->a->slot, w->accept_failures, (int)d);
	if (w->listening &&
	    epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->a->listen_fd, NULL) == 0)
		w->listening = 0;
}

/*
 * Accept one connection, if the pending set has room, and peek at it.
 * One at a time: a connection whose request has not arrived yet is
 * "fresh" for WORKER_FRESH_MS, and the worker accepts no other until it
 * is ready or stale (worker_next), so two requests that are about to
 * arrive do not both land on one worker that will then serve them in
 * turn.  nginx writes its request right after connecting, so only a
 * client that stalls outlives its freshness.
 */
#define WORKER_FRESH_MS	20

/*
 * Wait until pending connection i has more to read, for at most its
 * freshness, with w->waitmask's signals deliverable.  Returns 1 when
 * there is something to look at (data, a hang-up, an error).
 */
static int
worker_wait_one(struct worker_state *w, int i)
{
	struct pollfd	pfd;
	struct timespec	ts;
	int64_t		left = w->pending[i].fresh_ms - vt_mono_ms();

	if (left <= 0)
		return 0;
	pfd.fd = w->pending[i].fd;
	pfd.events = POLLIN | POLLRDHUP;
	pfd.revents = 0;
	ts.tv_sec = (time_t)(left / 1000);
	ts.tv_nsec = (long)(left % 1000) * 1000000L;
	return ppoll(&pfd, 1, &ts, w->waitmask) > 0;
}

static void
worker_accept_one(struct worker_state *w)
{
	struct epoll_event	ev;
	int			fd, i;

	if (w->npending >= WORKER_PENDING_MAX)
		return;
	fd = accept4(w->a->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd == -1) {
		worker_accept_failed(w, errno);
		return;
	}
	vt_count(&w->a->shm->c.accepted, 1);
	if (w->accept_failures > 0) {
		vt_log_info("accept_recovered", "slot=%d failures=%u",
		    w->a->slot, w->accept_failures);
		w->accept_failures = 0;
		worker_slot_health(w, 0, 0);
	}
	vt_backoff_reset(&w->accept_backoff);
	i = w->npending++;
	w->pending[i].fd = fd;
	w->pending[i].ready = 0;
	w->pending[i].polled = 0;
	w->pending[i].fresh_ms = vt_mono_ms() + WORKER_FRESH_MS;
	w->pending[i].deadline_ms = vt_mono_ms() +
	    (int64_t)(w->a->conf->read_timeout * 1000);
	/* Under load nginx has sent it all by now: no epoll at all. */
	worker_conn_check(w, i);
	if (i >= w->npending)
		return;	/* dropped */
	if (w->pending[i].ready)
		return;
	/*
	 * Otherwise the request is usually microseconds away: nginx writes
	 * it in the same pass that connected.  Wait for it on this socket
	 * alone, for at most its freshness and with stop signals
	 * deliverable, rather than move it and the listening socket in and
	 * out of the epoll set (four epoll_ctl calls and a wait per request).
	 */
	if (worker_wait_one(w, i)) {
		worker_conn_check(w, i);
		if (i >= w->npending || w->pending[i].ready)
			return;
	}
	memset(&ev, 0, sizeof(ev));
	/*
	 * Edge-triggered: an event for each arrival, not each wait
	 * (what has arrived stays queued: we only peek).  Adding a
	 * socket that is readable already reports it at once.
	 */
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	ev.data.fd = fd;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		worker_conn_drop(w, i, "epoll_failed", strerror(errno));
		return;
	}
	w->pending[i].polled = 1;
}

/* Hand over a ready connection: its fd, taken out of the pending set. */
static int
worker_take_ready(struct worker_state *w)
{
	int	i, fd;

	for (i = 0; i < w->npending; i++) {
		if (!w->pending[i].ready)
			continue;
		fd = w->pending[i].fd;
		if (w->pending[i].polled)
			(void)epoll_ctl(w->epfd, EPOLL_CTL_DEL, fd, NULL);
		w->pending[i] = w->pending[--w->npending];
		return fd;
	}
	return -1;
}

/*
 * Under load the listen queue is seldom empty, so the worker tries
 * accept4 first and waits in epoll_pwait only when nothing is ready:
 * one system call less per request.  SIGTERM is delivered only inside
 * epoll_pwait, so after this many requests without a wait the worker
 * waits there once anyway (with a zero timeout): a stop takes effect
 * within that many requests.
 */
#define WORKER_ACCEPT_STREAK	32

/*
 * The next connection with a whole, checked request: its fd, or -1 after
 * a wait (a signal, a timeout, connections that are not ready yet).
 * While stopping, no new connection is accepted; pending ones still have
 * until their deadline.
 */
static int
worker_next(struct worker_state *w, const sigset_t *waitmask)
{
	struct epoll_event	ev[WORKER_EVENTS];
	struct epoll_event	lev;
	int64_t			now, timeout, fresh;
	int			i, n, fd, full;
	int			stopping = vt_child_stopping() || w->draining;

	if ((fd = worker_take_ready(w)) >= 0)
		return fd;
	/* Nothing else waits for an event: try the queue first. */
	if (w->streak < WORKER_ACCEPT_STREAK && w->npending == 0) {
		now = vt_mono_ms();
		if (!stopping && now >= w->accept_after_ms) {
			worker_accept_one(w);
			if ((fd = worker_take_ready(w)) >= 0) {
				w->streak++;
				return fd;
			}
		}
	}

	now = vt_mono_ms();
	for (i = w->npending - 1; i >= 0; i--)
		if (now >= w->pending[i].deadline_ms)
			worker_conn_drop(w, i, "read_timeout", "no whole "
			    "request within read_timeout");
	if (stopping && w->npending == 0)
		return -1;
	fresh = 0;
	for (i = 0; i < w->npending; i++)
		if (w->pending[i].fresh_ms > now &&
		    (fresh == 0 || w->pending[i].fresh_ms < fresh))
			fresh = w->pending[i].fresh_ms;
	/*
	 * While a fresh connection's request is on its way, the listening
	 * socket leaves the epoll set (and while the pending set is full):
	 * EPOLLEXCLUSIVE then wakes another worker for the next connection,
	 * and this one does not spin on a queue it will not take from.
	 */
	full = w->npending >= WORKER_PENDING_MAX;
	if (w->listening && (fresh > 0 || stopping || full) &&
	    epoll_ctl(w->epfd, EPOLL_CTL_DEL, w->a->listen_fd, NULL) == 0)
		w->listening = 0;
	if (!w->listening && !stopping && fresh == 0 && !full &&
	    now >= w->accept_after_ms) {
		memset(&lev, 0, sizeof(lev));
		lev.events = EPOLLIN | EPOLLEXCLUSIVE;
		lev.data.fd = w->a->listen_fd;
		if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->a->listen_fd,
		    &lev) == 0)
			w->listening = 1;
	}

	timeout = w->streak >= WORKER_ACCEPT_STREAK ? 0 : 1000;
	if (!w->listening && w->accept_after_ms - now < timeout)
		timeout = w->accept_after_ms - now;
	if (fresh > 0 && fresh - now < timeout)
		timeout = fresh - now;
	for (i = 0; i < w->npending; i++)
		if (w->pending[i].deadline_ms - now < timeout)
			timeout = w->pending[i].deadline_ms - now;
	if (timeout < 0)
		timeout = 0;
	w->streak = 0;
	n = epoll_pwait(w->epfd, ev, WORKER_EVENTS, (int)timeout, waitmask);
	for (i = 0; i < n; i++) {
		int	k;

		if (ev[i].data.fd == w->a->listen_fd) {
			if (!stopping && w->listening)
				worker_accept_one(w);
			continue;
		}
		if ((k = worker_conn_find(w, ev[i].data.fd)) >= 0 &&
		    !w->pending[k].ready)
			worker_conn_check(w, k);
	}
	return worker_take_ready(w);
}

static void
worker_timeouts(int fd, double secs)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - floor(secs)) * 1e6);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

void
vt_worker_run(const struct vt_worker_args *a)
{
	struct worker_state	w;
	struct epoll_event	ev;
	sigset_t		waitmask;
	struct vt_limits	lim;
	int			fd;
	struct vt_child_start	cs = {
		/*
		 * Stop signals arrive only inside epoll_pwait.  Of the
		 * master's descriptors a worker keeps the listening socket
		 * only: a worker forked by a running master would otherwise
		 * hold whatever the master keeps open (the sampler's files
		 * and netlink sockets, the statvfs helper's, the publisher's
		 * connection), and a list of them goes stale with the next
		 * one added (worker-fds.t).
		 */
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_STOP_IN_WAIT |
		    VT_CHILD_CLOSE_ALL,
		.parent = getppid(),
		.keep_fd = a->listen_fd,
		.log_level = a->conf->log_level,
		.orphan_code = VT_WORKER_EXIT_OK,
	};

	vt_child_start(&cs, &waitmask);

	memset(&w, 0, sizeof(w));
	w.a = a;
	w.slot = &a->shm->slots[a->slot];
	w.ctx.conf = a->conf;
	w.ctx.shm = a->shm;
	w.ctx.slot = a->slot;
	w.ctx.listen_fd = a->listen_fd;
	w.ctx.db = &w.db;
	w.waitmask = &waitmask;
	vt_backoff_init(&w.accept_backoff, WORKER_ACCEPT_BACKOFF_MIN_MS,
	    WORKER_ACCEPT_BACKOFF_MAX_MS, 0);

#ifdef VT_TEST_HOOKS
	if (getenv("VITALS_TEST_CRASH_AT_START") != NULL)
		_exit(VT_WORKER_EXIT_INIT);
#endif
	vt_limits_get(a->shm, &lim);
	if (a->conf->max_requests > 0) {
		/* About 10 % of jitter, so workers do not recycle at once. */
		double	j = (double)a->conf->max_requests * 0.1;

		srandom((unsigned)getpid() ^ (unsigned)vt_mono_us());
		w.limit = (uint64_t)llround((double)a->conf->max_requests +
		    j * (2.0 * (double)random() / RAND_MAX - 1.0));
		if (w.limit < 1)
			w.limit = 1;
	}
	if (vt_buf_init(&w.body, 16384, WORKER_BODY_MAX) == VT_ERR ||
	    vt_buf_init(&w.head, 1024, 8192) == VT_ERR ||
	    FCGX_Init() != 0 ||
	    FCGX_InitRequest(&w.fcgx, -1, 0) != 0 ||
	    (w.epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		vt_log_sys(VT_LOG_ERR, "worker_init_failed", "slot=%d", a->slot);
		_exit(VT_WORKER_EXIT_INIT);
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = a->listen_fd;
	if (epoll_ctl(w.epfd, EPOLL_CTL_ADD, a->listen_fd, &ev) == -1) {
		vt_log_sys(VT_LOG_ERR, "worker_init_failed", "slot=%d", a->slot);
		_exit(VT_WORKER_EXIT_INIT);
	}
	w.listening = 1;

	worker_slot_state(w.slot, VT_SLOT_IDLE);
	while ((!vt_child_stopping() && !w.draining) || w.npending > 0) {
		uint64_t	busy;

		if ((fd = worker_next(&w, &waitmask)) == -1)
			continue;
		vt_slot_write_begin(w.slot);
		w.slot->state = VT_SLOT_READING;
		w.slot->req_start_mono_ms = vt_mono_ms();
		w.slot->req_start_ms = vt_wall_ms();
		w.slot->method[0] = w.slot->path[0] = '\0';
		w.slot->request_id[0] = '\0';
		vt_slot_write_end(w.slot);
		busy = __atomic_add_fetch(&a->shm->c.busy, 1, __ATOMIC_RELAXED);
		vt_count_max(&a->shm->c.max_busy, busy);
		if (lim.workers > 0 && busy >= (uint64_t)lim.workers)
			vt_count(&a->shm->c.all_busy, 1);

		worker_timeouts(fd, a->conf->read_timeout);
		w.fcgx.ipcFd = fd;
		w.fcgx.keepConnection = 1;
		if (FCGX_Accept_r(&w.fcgx) < 0) {
			/* libfcgi refused what the check let through. */
			vt_count(&a->shm->c.bad_requests, 1);
		} else {
			worker_serve(&w);
			w.served++;
		}
		__atomic_sub_fetch(&a->shm->c.busy, 1, __ATOMIC_RELAXED);
		vt_slot_write_begin(w.slot);
		w.slot->requests = w.served;
		vt_slot_write_end(w.slot);
		worker_slot_state(w.slot, VT_SLOT_IDLE);
		vt_limits_get(a->shm, &lim);
		/* Recycle: accept no more, serve what is pending. */
		if (w.limit > 0 && w.served >= w.limit)
			w.draining = 1;
	}
	worker_slot_state(w.slot, VT_SLOT_EXITING);
	VT_LEAK_CHECK();
	if (w.draining) {
		vt_log_info("worker_recycle", "slot=%d requests=%llu",
		    a->slot, (unsigned long long)w.served);
		_exit(VT_WORKER_EXIT_RECYCLE);
	}
	_exit(VT_WORKER_EXIT_OK);
}

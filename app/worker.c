/*
 * worker.c: the request loop of one worker.
 *
 * The worker accepts connections itself (epoll with EPOLLEXCLUSIVE, so one
 * worker wakes per connection, then accept4 on the non-blocking listening
 * socket) and hands the connected socket to libfcgi, instead of letting
 * FCGX_Accept_r block in accept().  That gives three things libfcgi's own
 * accept cannot:
 *
 *  - the reading phase is timed: the slot says READING from the moment of
 *    accept, so the master's watchdog covers a client that sends one byte
 *    and stalls, and SO_RCVTIMEO/SO_SNDTIMEO bound every read and write;
 *  - accept errors (EMFILE and the like) back off instead of spinning or
 *    killing the loop;
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
#include "log.h"
#include "reply.h"
#include "router.h"
#include "worker.h"

#define WORKER_BODY_MAX		(4u << 20)	/* largest reply body */
#define WORKER_ACCEPT_BACKOFF_MIN_MS	10
#define WORKER_ACCEPT_BACKOFF_MAX_MS	1000

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

/*
 * Under load the listen queue is seldom empty, so the worker tries
 * accept4 first and waits in epoll_pwait only when the queue is empty:
 * one system call less per request.  SIGTERM is delivered only inside
 * epoll_pwait, so after this many accepts in a row the worker waits
 * there once anyway (it returns at once while connections are queued):
 * a stop takes effect within that many requests.
 */
#define WORKER_ACCEPT_STREAK	32

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

static int	worker_accept_failed(struct worker_state *w);

/* Wait for a connection and accept it.  Returns the fd, or -1. */
static int
worker_accept(struct worker_state *w, int epfd, const sigset_t *waitmask)
{
	struct epoll_event	ev;
	int			n, fd;

	if (w->streak < WORKER_ACCEPT_STREAK) {
		fd = accept4(w->a->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			w->streak++;
			vt_backoff_reset(&w->accept_backoff);
			return fd;
		}
		if (errno != EAGAIN && errno != EINTR)
			return worker_accept_failed(w);
	}
	w->streak = 0;
	n = epoll_pwait(epfd, &ev, 1, 1000, waitmask);
	if (n <= 0)
		return -1;
	fd = accept4(w->a->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0) {
		vt_backoff_reset(&w->accept_backoff);
		return fd;
	}
	return worker_accept_failed(w);
}

/* accept4 failed with errno: -1 after the back-off it calls for. */
static int
worker_accept_failed(struct worker_state *w)
{
	struct timespec	ts;
	int64_t		d;

	switch (errno) {
	case EAGAIN:
	case EINTR:
	case ECONNABORTED:
	case EPROTO:
		return -1;
	default:
		/*
		 * EMFILE, ENFILE, ENOBUFS, ENOMEM: the connection stays
		 * queued for another worker or for later.  Back off rather
		 * than spin (DESIGN.md: the accept loop that only
		 * `continue`s eats a core).
		 */
		vt_count(&w->a->shm->c.accept_errors, 1);
		d = vt_backoff_fail(&w->accept_backoff, vt_mono_ms());
		vt_log_sys(VT_LOG_WARN, "accept_failed", "backoff_ms=%d",
		    (int)d);
		ts.tv_sec = (time_t)(d / 1000);
		ts.tv_nsec = (long)(d % 1000) * 1000000L;
		nanosleep(&ts, NULL);
		return -1;
	}
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
	int			epfd, fd;
	struct vt_child_start	cs = {
		/* Stop signals arrive only inside epoll_pwait. */
		.flags = VT_CHILD_DIE_WITH_PARENT | VT_CHILD_STOP_IN_WAIT,
		.parent = getppid(),
		.close_fds = a->close_fds,
		.nclose = (int)(sizeof(a->close_fds) /
		    sizeof(a->close_fds[0])),
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
	    (epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		vt_log_sys(VT_LOG_ERR, "worker_init_failed", "slot=%d", a->slot);
		_exit(VT_WORKER_EXIT_INIT);
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, a->listen_fd, &ev) == -1) {
		vt_log_sys(VT_LOG_ERR, "worker_init_failed", "slot=%d", a->slot);
		_exit(VT_WORKER_EXIT_INIT);
	}

	worker_slot_state(w.slot, VT_SLOT_IDLE);
	while (!vt_child_stopping()) {
		uint64_t	busy;

		if ((fd = worker_accept(&w, epfd, &waitmask)) == -1)
			continue;
		vt_count(&a->shm->c.accepted, 1);
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
			/* libfcgi closed it: not a FastCGI request, or it stalled. */
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
		if (w.limit > 0 && w.served >= w.limit) {
			worker_slot_state(w.slot, VT_SLOT_EXITING);
			vt_log_info("worker_recycle", "slot=%d requests=%llu",
			    a->slot, (unsigned long long)w.served);
			_exit(VT_WORKER_EXIT_RECYCLE);
		}
	}
	worker_slot_state(w.slot, VT_SLOT_EXITING);
	_exit(VT_WORKER_EXIT_OK);
}

/*
 * publish.c: live push's publisher, an HTTP/1.1 client of one request at
 * a time on a kept-alive Unix-socket connection (see publish.h).
 *
 * The exchange: POST /pub with the sample's JSON; nginx's Nchan answers
 * 201 (stored, subscribers waiting) or 202 (stored, none), with a short
 * text body that counts the channel's subscribers.  The answer is read
 * to its Content-Length, so the connection can carry the next sample; an
 * answer this client cannot frame (no length, chunked, too long, or
 * "Connection: close") ends the connection after it, which costs the
 * next sample one connect(2) and nothing else.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "publish.h"

/*
 * After a timeout or a broken exchange, the next tries wait one interval,
 * then twice as long each time, up to this (with jitter).
 */
#define PUB_BACKOFF_CAP_MS	10000
#define PUB_HOST		"vitals-live-publisher"

static void	pub_close(struct vt_publish *p);
static void	pub_finish(struct vt_publish *p, enum vt_live_result r,
		    int err, int status, int64_t now_ms);
static int	pub_connect(struct vt_publish *p, int *err);
static int	pub_answer(struct vt_publish *p, int eof, int *status,
		    int *keep);
static int	pub_idle_alive(const struct vt_publish *p);

int
vt_publish_init(struct vt_publish *p, const char *path, int64_t interval_ms,
    struct vt_live_state *st)
{
	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->st = st;
	/*
	 * st is kept as it is: a new master of an upgrade goes on with the
	 * counts of the old one (the same mapping).  Never published: the
	 * number of subscribers is not known.
	 */
	if (st->last_ok_ms == 0)
		st->subscribers = -1;
	vt_backoff_init(&p->backoff, 1000, PUB_BACKOFF_CAP_MS, 1);
	vt_publish_set_interval(p, interval_ms);
	vt_publish_set_path(p, path);
	/* The head (~150 bytes) and the body: the documents' cap. */
	return vt_buf_init(&p->req, 16 * 1024, VT_DOC_MAX + 512);
}

void
vt_publish_set_interval(struct vt_publish *p, int64_t interval_ms)
{
	if (interval_ms < 1)
		interval_ms = 1000;
	p->timeout_ms = interval_ms / 4 < VT_PUBLISH_DEADLINE_MS ?
	    interval_ms / 4 : VT_PUBLISH_DEADLINE_MS;
	if (p->timeout_ms < 10)
		p->timeout_ms = 10;
	vt_backoff_set(&p->backoff, interval_ms, PUB_BACKOFF_CAP_MS);
}

void
vt_publish_set_path(struct vt_publish *p, const char *path)
{
	if (path == NULL)
		path = "";
	if (strcmp(path, p->path) == 0)
		return;
	pub_close(p);
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->st->on = p->path[0] != '\0';
	p->st->up = 0;
	p->failing = 0;
	p->failures = 0;
	p->st->failing_since_ms = 0;
	vt_backoff_reset(&p->backoff);
	p->backoff.next_at = 0;
}

void
vt_publish_free(struct vt_publish *p)
{
	pub_close(p);
	vt_buf_free(&p->req);
}

static void
pub_close(struct vt_publish *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->phase = VT_PUB_CLOSED;
	p->sent = 0;
	p->inlen = 0;
}

/*
 * A kept connection nginx may have closed since (its keepalive_timeout,
 * a reload: its old workers close their idle connections): 1 when it is
 * still open and quiet.  Reusing a closed one would cost a sample.
 */
static int
pub_idle_alive(const struct vt_publish *p)
{
	char	c;
	ssize_t	n;

	n = recv(p->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

/* 0 connected or under way (phase set), -1 with *err. */
static int
pub_connect(struct vt_publish *p, int *err)
{
	struct sockaddr_un	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(p->path) >= sizeof(sa.sun_path)) {
		*err = ENAMETOOLONG;
		return VT_ERR;
	}
	memcpy(sa.sun_path, p->path, strlen(p->path));
	if ((p->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		*err = errno;
		return VT_ERR;
	}
	if (connect(p->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		p->phase = VT_PUB_SENDING;
		return VT_OK;
	}
	/*
	 * A Unix socket connects at once or fails at once; EAGAIN is a full
	 * backlog (nginx not accepting).  EINPROGRESS is for other kinds.
	 */
	if (errno == EINPROGRESS) {
		p->phase = VT_PUB_CONNECTING;
		return VT_OK;
	}
	*err = errno;
	close(p->fd);
	p->fd = -1;
	return VT_ERR;
}

void
vt_publish_sample(struct vt_publish *p, const char *data, size_t len,
    int64_t now_ms)
{
	int	err = 0;

	if (p->path[0] == '\0')
		return;
	if (p->phase != VT_PUB_CLOSED && p->phase != VT_PUB_IDLE)
		pub_finish(p, VT_LIVE_TIMEOUT, 0, 0, now_ms);
	if (vt_backoff_left(&p->backoff, now_ms) > 0) {
		vt_count(&p->st->results[VT_LIVE_SKIPPED], 1);
		return;
	}
	vt_buf_reset(&p->req);
	if (vt_buf_printf(&p->req, "POST /pub HTTP/1.1\r\nHost: " PUB_HOST
	    "\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Accept: text/plain\r\n\r\n", len) == VT_ERR ||
	    vt_buf_add(&p->req, data, len) == VT_ERR) {
		/* Past VT_DOC_MAX: the renderer's cap, not reachable. */
		vt_log_warn("live_publish_too_large", "bytes=%zu", len);
		return;
	}
	p->sent = 0;
	p->inlen = 0;
	p->started_us = vt_mono_us();
	p->deadline_ms = now_ms + p->timeout_ms;
	if (p->phase == VT_PUB_IDLE) {
		if (pub_idle_alive(p))
			p->phase = VT_PUB_SENDING;
		else
			pub_close(p);
	}
	if (p->phase == VT_PUB_CLOSED && pub_connect(p, &err) == VT_ERR) {
		pub_finish(p, VT_LIVE_CONNECT, err, 0, now_ms);
		return;
	}
	vt_publish_step(p, now_ms);
}

int
vt_publish_poll_fd(const struct vt_publish *p, short *events, int64_t now_ms,
    int *wait_ms)
{
	int64_t	left;

	switch (p->phase) {
	case VT_PUB_CONNECTING:
	case VT_PUB_SENDING:
		*events = POLLOUT;
		break;
	case VT_PUB_READING:
		*events = POLLIN;
		break;
	case VT_PUB_CLOSED:
	case VT_PUB_IDLE:
		return -1;
	}
	left = p->deadline_ms - now_ms;
	if (left < 0)
		left = 0;
	if (left < *wait_ms)
		*wait_ms = (int)left;
	return p->fd;
}

/* Send what the socket takes: 1 all sent, 0 more to send, -1 *err. */
static int
pub_send(struct vt_publish *p, int *err)
{
	ssize_t	n;

	while (p->sent < p->req.len) {
		n = send(p->fd, p->req.data + p->sent, p->req.len - p->sent,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p->sent += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		*err = errno;
		return -1;
	}
	return 1;
}

/*
 * Read what has come, in one receive: 1 at the end of the stream, 0 not,
 * -1 *err.  One: nginx's answer comes whole in one (a few hundred bytes
 * on a Unix socket), and a second receive to find the socket empty would
 * be a system call a sample for nothing; a part that comes later polls
 * readable again.
 */
static int
pub_recv(struct vt_publish *p, int *err)
{
	ssize_t	n;

	if (p->inlen >= sizeof(p->in) - 1)
		return 0;
	do {
		n = recv(p->fd, p->in + p->inlen, sizeof(p->in) - 1 - p->inlen,
		    MSG_DONTWAIT);
	} while (n == -1 && errno == EINTR);
	if (n > 0) {
		p->inlen += (size_t)n;
		return 0;
	}
	if (n == 0)
		return 1;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	*err = errno;
	return -1;
}

/* The value of header name (with its colon) in the head, or NULL. */
static const char *
pub_header(const char *head, const char *end, const char *name)
{
	size_t		 n = strlen(name);
	const char	*l = strstr(head, "\r\n");

	while (l != NULL && l + 2 < end) {
		l += 2;
		if ((size_t)(end - l) > n && strncasecmp(l, name, n) == 0) {
			l += n;
			while (*l == ' ' || *l == '\t')
				l++;
			return l;
		}
		l = strstr(l, "\r\n");
	}
	return NULL;
}

/*
 * Frame the answer read so far: 1 when it is whole (*status, *keep: the
 * connection can carry the next request), 0 when more is due, -1 when it
 * is not an HTTP answer.  eof: nginx closed its end.
 */
static int
pub_answer(struct vt_publish *p, int eof, int *status, int *keep)
{
	const char	*end, *v, *body;
	char		*e;
	unsigned long	 cl = 0;
	int		 have_cl = 0;
	size_t		 head;

	p->in[p->inlen] = '\0';
	if ((end = strstr(p->in, "\r\n\r\n")) == NULL)
		return eof || p->inlen >= sizeof(p->in) - 1 ? -1 : 0;
	if (strncmp(p->in, "HTTP/1.", 7) != 0 || p->inlen < 12 ||
	    p->in[8] != ' ' || p->in[9] < '1' || p->in[9] > '5')
		return -1;
	*status = (int)strtol(p->in + 9, NULL, 10);
	head = (size_t)(end - p->in) + 4;
	body = end + 4;
	*keep = p->in[7] == '1';
	if ((v = pub_header(p->in, end, "Connection:")) != NULL &&
	    strncasecmp(v, "close", 5) == 0)
		*keep = 0;
	if ((v = pub_header(p->in, end, "Content-Length:")) != NULL) {
		errno = 0;
		cl = strtoul(v, &e, 10);
		have_cl = errno == 0 && e != v;
	}
	if (pub_header(p->in, end, "Transfer-Encoding:") != NULL)
		have_cl = 0;
	if (!have_cl) {
		/* Unframed: whole at the end of the stream, or never. */
		*keep = 0;
		if (!eof && p->inlen < sizeof(p->in) - 1)
			return 0;
	} else if (cl > sizeof(p->in) - 1 - head) {
		*keep = 0;	/* too long to read here: drop the rest */
	} else if (p->inlen < head + cl) {
		if (eof)
			return -1;
		return 0;
	} else if (p->inlen > head + cl)
		*keep = 0;	/* more than asked for: out of step */
	if (eof)
		*keep = 0;
	/* Nchan's text answer counts the channel's subscribers. */
	if ((v = strstr(body, "active subscribers:")) != NULL) {
		long	n;

		v += strlen("active subscribers:");
		errno = 0;
		n = strtol(v, &e, 10);
		if (errno == 0 && e != v && n >= 0)
			p->st->subscribers = n;
	}
	return 1;
}

void
vt_publish_step(struct vt_publish *p, int64_t now_ms)
{
	int	err = 0, rc, status = 0, keep = 0, eof;
	socklen_t	elen = sizeof(err);

	if (p->phase == VT_PUB_CONNECTING) {
		struct pollfd	pfd = { .fd = p->fd, .events = POLLOUT };

		if (poll(&pfd, 1, 0) == 1) {
			if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err,
			    &elen) == -1)
				err = errno;
			if (err != 0) {
				pub_finish(p, VT_LIVE_CONNECT, err, 0, now_ms);
				return;
			}
			p->phase = VT_PUB_SENDING;
		}
	}
	if (p->phase == VT_PUB_SENDING) {
		if ((rc = pub_send(p, &err)) == -1) {
			pub_finish(p, VT_LIVE_IO, err, 0, now_ms);
			return;
		}
		/*
		 * All sent: the answer is hardly ever there yet, so the loop
		 * polls for it rather than a receive finding nothing (when it
		 * is there, the poll returns at once).
		 */
		if (rc == 1) {
			p->phase = VT_PUB_READING;
			goto deadline;
		}
	}
	if (p->phase == VT_PUB_READING) {
		if ((eof = pub_recv(p, &err)) == -1) {
			pub_finish(p, VT_LIVE_IO, err, 0, now_ms);
			return;
		}
		rc = pub_answer(p, eof, &status, &keep);
		if (rc == -1) {
			pub_finish(p, VT_LIVE_IO, 0, 0, now_ms);
			return;
		}
		if (rc == 1) {
			pub_finish(p, status >= 200 && status < 300 ?
			    VT_LIVE_OK : VT_LIVE_STATUS, 0, status, now_ms);
			if (p->phase == VT_PUB_IDLE && !keep)
				pub_close(p);
			return;
		}
	}
deadline:
	if ((p->phase == VT_PUB_CONNECTING || p->phase == VT_PUB_SENDING ||
	    p->phase == VT_PUB_READING) && now_ms >= p->deadline_ms)
		pub_finish(p, VT_LIVE_TIMEOUT, 0, 0, now_ms);
}

/*
 * The end of a publication: count it; a failure closes the connection,
 * sets the back-off and, first of an outage, is logged; a success after
 * an outage is logged too.
 */
static void
pub_finish(struct vt_publish *p, enum vt_live_result r, int err, int status,
    int64_t now_ms)
{
	struct vt_live_state   *st = p->st;
	char			why[96];

	vt_hist_add(st->hist, &st->sum_us, &st->count,
	    vt_mono_us() - p->started_us);
	vt_count(&st->results[r], 1);
	if (r == VT_LIVE_OK) {
		if (p->failing)
			vt_log_info("live_publish_recovered", "socket=%s "
			    "failures=%llu outage_ms=%lld", p->path,
			    (unsigned long long)p->failures,
			    (long long)(vt_wall_ms() - st->failing_since_ms));
		p->phase = VT_PUB_IDLE;
		p->failing = 0;
		p->failures = 0;
		st->up = 1;
		st->last_ok_ms = vt_wall_ms();
		st->failing_since_ms = 0;
		vt_backoff_reset(&p->backoff);
		p->backoff.next_at = 0;
		return;
	}
	pub_close(p);
	st->up = 0;
	p->failures++;
	/*
	 * A refused connect costs one system call: the next sample tries
	 * again, so nginx back is seen within a tick.  A timeout or a broken
	 * exchange cost a deadline: back off.
	 */
	if (r != VT_LIVE_CONNECT)
		(void)vt_backoff_fail(&p->backoff, now_ms);
	if (p->failing)
		return;
	p->failing = 1;
	st->failing_since_ms = vt_wall_ms();
	if (status != 0)
		snprintf(why, sizeof(why), "status=%d", status);
	else if (err != 0)
		snprintf(why, sizeof(why), "errno=%d error=\"%s\"", err,
		    strerror(err));
	else
		snprintf(why, sizeof(why), "deadline_ms=%lld",
		    (long long)p->timeout_ms);
	vt_log_warn("live_publish_failed", "socket=%s result=%s %s", p->path,
	    vt_live_result_name(r), r == VT_LIVE_IO && err == 0 ?
	    "error=\"bad or early-closed answer\"" : why);
}

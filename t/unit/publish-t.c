/*
 * publish-t.c: the live-push publisher's state machine (publish.c)
 * against a Unix-socket server of the test's own, in the same process:
 * it accepts and answers as nginx's Nchan does, refuses (no listener),
 * hangs (accepts, never answers), closes in the middle of an answer,
 * closes a kept connection while idle, and answers 403.  Both sides are
 * non-blocking and driven by one poll(2) loop, so every case is
 * deterministic and bounded in time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "publish.h"
#include "tap.h"

#define INTERVAL_MS	1000	/* the deadline is then 250 ms */

enum srv_mode {
	SRV_ANSWER,		/* 201, Content-Length, kept alive */
	SRV_HANG,		/* read, never answer */
	SRV_HALF,		/* half an answer, then close */
	SRV_FORBID,		/* 403 */
	SRV_CLOSE_AFTER		/* 201 with Connection: close, and close */
};

struct srv {
	int		lfd;
	int		cfd;		/* the connection, or -1 */
	enum srv_mode	mode;
	int		accepts;
	int		requests;	/* whole requests seen */
	char		in[65536];
	size_t		inlen;
	char		last_body[64];
};

static char	sock_path[108];

static void
srv_listen(struct srv *s)
{
	struct sockaddr_un	sa;

	memset(s, 0, sizeof(*s));
	s->cfd = -1;
	unlink(sock_path);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if ((s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1 ||
	    bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(s->lfd, 8) == -1)
		bail("listen on %s: %s", sock_path, strerror(errno));
}

static void
srv_drop(struct srv *s)
{
	if (s->cfd >= 0)
		close(s->cfd);
	s->cfd = -1;
	s->inlen = 0;
}

static void
srv_close(struct srv *s)
{
	srv_drop(s);
	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
	unlink(sock_path);
}

static void
srv_reply(struct srv *s, const char *text)
{
	size_t	n = strlen(text);

	if (write(s->cfd, text, n) != (ssize_t)n)
		diag("server write: %s", strerror(errno));
}

/* A whole request in: answer as the mode says. */
static void
srv_request(struct srv *s)
{
	const char	*end = strstr(s->in, "\r\n\r\n"), *cl;
	size_t		 head, len;

	if (end == NULL || (cl = strstr(s->in, "Content-Length: ")) == NULL)
		return;
	head = (size_t)(end - s->in) + 4;
	len = strtoul(cl + 16, NULL, 10);
	if (s->inlen < head + len)
		return;
	s->requests++;
	snprintf(s->last_body, sizeof(s->last_body), "%.*s",
	    (int)(len < sizeof(s->last_body) ? len : sizeof(s->last_body) - 1),
	    s->in + head);
	memmove(s->in, s->in + head + len, s->inlen - head - len);
	s->inlen -= head + len;
	s->in[s->inlen] = '\0';
	switch (s->mode) {
	case SRV_ANSWER: {
		/* Nchan's answer, as nginx 1.22 with Nchan 1.3.6 sends it. */
		static const char	body[] = "queued messages: 1\r\n"
		    "last requested: 0 sec. ago\r\nactive subscribers: 7\r\n"
		    "last message id: 1:0\r\n";
		char			hdr[256];

		snprintf(hdr, sizeof(hdr), "HTTP/1.1 201 Created\r\n"
		    "Server: nginx\r\nContent-Type: text/plain\r\n"
		    "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n",
		    sizeof(body) - 1);
		srv_reply(s, hdr);
		srv_reply(s, body);
		break;
	}
	case SRV_HANG:
		break;
	case SRV_HALF:
		srv_reply(s, "HTTP/1.1 201 Created\r\nContent-Length: 100\r\n"
		    "\r\nqueued mess");
		srv_drop(s);
		break;
	case SRV_FORBID:
		srv_reply(s, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
		    "\r\n");
		break;
	case SRV_CLOSE_AFTER:
		srv_reply(s, "HTTP/1.1 202 Accepted\r\nConnection: close\r\n"
		    "Content-Length: 2\r\n\r\nok");
		srv_drop(s);
		break;
	}
}

static void
srv_io(struct srv *s)
{
	ssize_t	n = -1;
	int	fd;

	while ((fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		srv_drop(s);
		s->cfd = fd;
		s->accepts++;
	}
	while (s->cfd >= 0 && (n = read(s->cfd, s->in + s->inlen,
	    sizeof(s->in) - 1 - s->inlen)) > 0) {
		s->inlen += (size_t)n;
		s->in[s->inlen] = '\0';
		srv_request(s);
	}
	if (s->cfd >= 0 && n == 0)
		srv_drop(s);
}

/*
 * Run both sides until the publication is over (or max_ms passed).
 * Returns how long it took, in ms.
 */
static int64_t
drive(struct vt_publish *p, struct srv *s, int64_t max_ms)
{
	int64_t	t0 = vt_mono_ms();

	while (vt_mono_ms() - t0 < max_ms) {
		struct pollfd	pfd[3];
		int		n = 0, wait = 20;

		if (s != NULL && s->lfd >= 0) {
			pfd[n].fd = s->lfd;
			pfd[n++].events = POLLIN;
		}
		if (s != NULL && s->cfd >= 0) {
			pfd[n].fd = s->cfd;
			pfd[n++].events = POLLIN;
		}
		if ((pfd[n].fd = vt_publish_poll_fd(p, &pfd[n].events,
		    vt_mono_ms(), &wait)) >= 0)
			n++;
		else if (p->phase == VT_PUB_CLOSED || p->phase == VT_PUB_IDLE)
			break;
		(void)poll(pfd, (nfds_t)n, wait);
		if (s != NULL)
			srv_io(s);
		vt_publish_step(p, vt_mono_ms());
	}
	/* Let the server see what came last (a close, an answer read). */
	if (s != NULL)
		srv_io(s);
	return vt_mono_ms() - t0;
}

static uint64_t
res(const struct vt_live_state *st, enum vt_live_result r)
{
	return st->results[r];
}

/* A server in mode, and a publisher to it. */
static void
setup(struct vt_publish *p, struct vt_live_state *st, struct srv *s,
    enum srv_mode mode)
{
	memset(st, 0, sizeof(*st));
	srv_listen(s);
	s->mode = mode;
	ok(vt_publish_init(p, sock_path, INTERVAL_MS, st) == 0, "init");
}

static void
test_answer(void)
{
	struct vt_publish	p;
	struct vt_live_state	st;
	struct srv		s;
	int64_t			took;

	setup(&p, &st, &s, SRV_ANSWER);
	ok(st.on == 1 && st.up == 0 && st.subscribers == -1,
	    "on, not yet up, subscribers unknown");
	vt_publish_sample(&p, "{\"n\":1}", 7, vt_mono_ms());
	took = drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_OK), 1, "the first sample: ok");
	is_str(s.last_body, "{\"n\":1}", "... the server got the JSON");
	ok(took < 200, "... in %lld ms", (long long)took);
	ok(st.up == 1 && st.last_ok_ms > 0, "up, with the time of the last");
	is_int(st.subscribers, 7, "subscribers as nginx counted them");
	is_int((long long)st.count, 1, "one duration in the histogram");
	is_int(p.phase, VT_PUB_IDLE, "the connection is kept");

	vt_publish_sample(&p, "{\"n\":2}", 7, vt_mono_ms());
	drive(&p, &s, 2000);
	vt_publish_sample(&p, "{\"n\":3}", 7, vt_mono_ms());
	drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_OK), 3, "three samples: ok");
	is_int(s.accepts, 1, "... over one connection (keep-alive)");
	is_int(s.requests, 3, "... three requests");
	is_str(s.last_body, "{\"n\":3}", "... the last one last");

	/* nginx closes the idle connection (keepalive_timeout, reload). */
	srv_drop(&s);
	vt_publish_sample(&p, "{\"n\":4}", 7, vt_mono_ms());
	drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_OK), 4,
	    "a kept connection closed by the server: the next one is new, ok");
	is_int(s.accepts, 2, "... a second connection");
	is_int((long long)(st.count - res(&st, VT_LIVE_OK)), 0,
	    "... and no failure");

	/* Connection: close is obeyed, and costs nothing. */
	s.mode = SRV_CLOSE_AFTER;
	vt_publish_sample(&p, "{\"n\":5}", 7, vt_mono_ms());
	drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_OK), 5, "202 with Connection: "
	    "close: ok");
	is_int(p.phase, VT_PUB_CLOSED, "... and the connection closed");
	vt_publish_free(&p);
	srv_close(&s);
}

static void
test_refused(void)
{
	struct vt_publish	p;
	struct vt_live_state	st;
	struct srv		s;
	int64_t			t0;
	int			fd;
	struct sockaddr_un	sa;

	memset(&st, 0, sizeof(st));
	unlink(sock_path);
	ok(vt_publish_init(&p, sock_path, INTERVAL_MS, &st) == 0, "init");
	t0 = vt_mono_ms();
	vt_publish_sample(&p, "{}", 2, vt_mono_ms());
	ok(vt_mono_ms() - t0 < 50, "no socket: returns at once (%lld ms)",
	    (long long)(vt_mono_ms() - t0));
	is_int((long long)res(&st, VT_LIVE_CONNECT), 1,
	    "... counted as connect_error");
	ok(st.up == 0 && st.failing_since_ms > 0, "... down, failing since");

	/* A socket file with no listener behind it: ECONNREFUSED. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	ok(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
	    "a socket bound, not listening");
	vt_publish_sample(&p, "{}", 2, vt_mono_ms());
	is_int((long long)res(&st, VT_LIVE_CONNECT), 2,
	    "refused: connect_error, tried again at the next sample "
	    "(no back-off)");
	is_int((long long)res(&st, VT_LIVE_SKIPPED), 0, "... none skipped");
	close(fd);

	/* nginx back: the next sample goes through. */
	srv_listen(&s);
	s.mode = SRV_ANSWER;
	vt_publish_sample(&p, "{\"back\":1}", 10, vt_mono_ms());
	drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_OK), 1, "the server back: ok at "
	    "the next sample");
	ok(st.up == 1 && st.failing_since_ms == 0 && p.failing == 0,
	    "... up again, the outage over");
	vt_publish_free(&p);
	srv_close(&s);
}

static void
test_hang(void)
{
	struct vt_publish	p;
	struct vt_live_state	st;
	struct srv		s;
	int64_t			took, t0;

	setup(&p, &st, &s, SRV_HANG);
	t0 = vt_mono_ms();
	vt_publish_sample(&p, "{\"h\":1}", 7, t0);
	ok(vt_mono_ms() - t0 < 50, "a hung server: the call returns at once "
	    "(%lld ms)", (long long)(vt_mono_ms() - t0));
	took = drive(&p, &s, 3000);
	is_int((long long)res(&st, VT_LIVE_TIMEOUT), 1, "... a timeout");
	ok(took >= 240 && took < 750, "... at its deadline, 250 ms "
	    "(%lld ms)", (long long)took);
	is_int(s.requests, 1, "... the server had the request");
	is_int(p.phase, VT_PUB_CLOSED, "... the connection closed");

	/* The next sample, within the back-off (one interval): skipped. */
	vt_publish_sample(&p, "{\"h\":2}", 7, vt_mono_ms());
	is_int((long long)res(&st, VT_LIVE_SKIPPED), 1,
	    "the next sample, backing off: skipped, not tried");
	is_int(s.accepts, 1, "... no new connection");

	/* Past the back-off, the server answering again: ok. */
	s.mode = SRV_ANSWER;
	vt_publish_sample(&p, "{\"h\":3}", 7,
	    vt_mono_ms() + INTERVAL_MS + 10);
	drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_OK), 1, "past the back-off: ok");

	/* A sample while one is still in flight ends that one first. */
	s.mode = SRV_HANG;
	vt_publish_sample(&p, "{\"h\":4}", 7, vt_mono_ms());
	srv_io(&s);
	vt_publish_step(&p, vt_mono_ms());
	vt_publish_sample(&p, "{\"h\":5}", 7, vt_mono_ms());
	is_int((long long)res(&st, VT_LIVE_TIMEOUT), 2,
	    "a sample while one is in flight: that one is a timeout");
	is_int((long long)res(&st, VT_LIVE_SKIPPED), 2, "... and the new one "
	    "waits out the back-off");
	vt_publish_free(&p);
	srv_close(&s);
}

static void
test_half(void)
{
	struct vt_publish	p;
	struct vt_live_state	st;
	struct srv		s;
	int64_t			took;

	setup(&p, &st, &s, SRV_HALF);
	vt_publish_sample(&p, "{}", 2, vt_mono_ms());
	took = drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_IO), 1, "half an answer, then "
	    "closed: io_error");
	ok(took < 200, "... seen at once (%lld ms), not at the deadline",
	    (long long)took);
	ok(st.up == 0 && p.phase == VT_PUB_CLOSED, "... down, closed");

	s.mode = SRV_FORBID;
	vt_publish_sample(&p, "{}", 2, vt_mono_ms() + INTERVAL_MS + 10);
	drive(&p, &s, 2000);
	is_int((long long)res(&st, VT_LIVE_STATUS), 1, "403: http_error");
	is_int((long long)res(&st, VT_LIVE_OK), 0, "... not ok");
	vt_publish_free(&p);
	srv_close(&s);
}

static void
test_off(void)
{
	struct vt_publish	p;
	struct vt_live_state	st;
	short			ev;
	int			wait = 100;

	memset(&st, 0, sizeof(st));
	ok(vt_publish_init(&p, "", INTERVAL_MS, &st) == 0, "init, off");
	vt_publish_sample(&p, "{}", 2, vt_mono_ms());
	ok(st.on == 0 && st.count == 0 && res(&st, VT_LIVE_SKIPPED) == 0,
	    "off: nothing tried, nothing counted");
	ok(vt_publish_poll_fd(&p, &ev, vt_mono_ms(), &wait) == -1 &&
	    wait == 100, "... nothing to wait for");
	vt_publish_set_path(&p, sock_path);
	ok(st.on == 1, "a reload that sets the path: on");
	is_int(p.timeout_ms, 250, "a deadline of 250 ms at one sample a second");
	vt_publish_set_interval(&p, 200);
	is_int(p.timeout_ms, 50, "a reload to 0.2 s: a quarter of it, 50 ms");
	is_int(p.backoff.base_ms, 200, "... the back-off's first step one "
	    "interval");
	vt_publish_free(&p);
}

int
main(void)
{
	const char	*tmp = getenv("TMPDIR");

	signal(SIGPIPE, SIG_IGN);
	vt_log_set_level(VT_LOG_ERR);
	snprintf(sock_path, sizeof(sock_path), "%s/publish-t.%ld.sock",
	    tmp != NULL && strlen(tmp) < 60 ? tmp : "/tmp", (long)getpid());
	test_answer();
	test_refused();
	test_hang();
	test_half();
	test_off();
	unlink(sock_path);
	done_testing();
	return tap_exit_status();
}

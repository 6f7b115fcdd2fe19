/*
 * subs.c: the load client of the live-push bench (`./stack bench --live`,
 * issue 13).  One process, one epoll loop, thousands of HTTP/1.1
 * connections to one loopback address, in one of two modes:
 *
 *   live  each connection is an EventSource subscriber of /api/live
 *         (Accept: text/event-stream): it reads the stream, chunked or
 *         not, and takes each event's sample by the first "timestamp_ms"
 *         of its data;
 *   poll  each connection is a page polling /api/metrics once a second
 *         on a kept-alive connection, as the page does without push (the
 *         viewers' phases spread over the second, Accept-Encoding: gzip
 *         as a browser sends it, so nginx compresses as it would for one).
 *
 * The run has two parts: a warm-up, in which the connections are opened
 * (at most -r a second, at most CONNECTING_MAX at once, so the listen
 * backlog never overflows), then a measured window.  Only samples whose
 * timestamp_ms falls in the window count; the client keeps reading for a
 * grace period past it so that a late sample is counted late, not lost.
 * For each such sample it records, per connection, that it arrived and
 * after how long: receive time (CLOCK_REALTIME) minus timestamp_ms, the
 * sample's age when the viewer got it, publish-to-receive for a pushed
 * sample (the master publishes right after rendering it).  The first event
 * of a subscription (the latest sample, sent at connect) is never counted:
 * it is old by design.  A poll that brings the same sample again counts as
 * a repeat, not as a delivery.
 *
 * The report, on stdout, is one "key value" line per figure (t/bench/run
 * reads it):
 *   samples      samples in the window (seen by at least one connection)
 *   delivered    deliveries / (samples x connections asked for): the share
 *                of samples delivered to every subscriber
 *   complete     samples that every connection asked for received
 *   per_conn_per_s  deliveries / (connections x window seconds): with one
 *                sample a second, the share of the seconds' samples a
 *                viewer saw (a poller sees fewer: the micro-cache repeats)
 *   lat_p50_ms, lat_p99_ms, lat_max_ms   over every delivery
 *   connected    connections open at the window's start (HTTP 200)
 *   refused      HTTP 503 (the subscriber cap), http_errors other statuses
 *   connect_errors  connect() or the connection failing before a status
 *   dropped      connections the server closed during the window
 *   repeats      (poll) answers that brought a sample already seen
 *   client_cpu_s this process's CPU (user + system) over the window
 *
 * Bounded: it stops by itself after warm-up + window + grace, or at
 * SIGTERM / SIGINT (then it reports what it has).  It raises its own
 * RLIMIT_NOFILE to the hard limit.  No TLS: it measures nginx's fan-out,
 * not handshakes (the bench renders a plain-HTTP loopback server).
 *
 * usage: subs [-m live|poll] [-n conns] [-w warmup_s] [-d window_s]
 *             [-g grace_s] [-r conns_per_s] [-a addr] [-p port] [-u path]
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define SUBS_CONNS_MAX		100000
#define SUBS_HEAD_MAX		4096	/* a response's header block */
#define SUBS_BODY_MAX		(1024 * 1024)	/* a polled body (VT_DOC_MAX) */
#define SUBS_SAMPLES_MAX	4096	/* samples in a window */
#define SUBS_LAT_MAX_MS		60000	/* histogram: 1 ms buckets */
#define CONNECTING_MAX		256	/* connections in connect() at once */
#define POLL_PERIOD_MS		1000
#define EVENTS_MAX		512

enum subs_mode { MODE_LIVE, MODE_POLL };

enum conn_state {
	CS_IDLE,		/* not opened yet, or closed for good */
	CS_CONNECTING,
	CS_HEAD,		/* reading the status line and headers */
	CS_BODY,
	CS_WAIT,		/* poll: between two requests */
	CS_DONE			/* closed: refused, failed or dropped */
};

/* The chunked decoder's states (RFC 9112, 7.1). */
enum chunk_state {
	CK_SIZE, CK_EXT, CK_DATA, CK_DATA_END, CK_TRAILER
};

/*
 * One connection.  Small on purpose (ten thousand of them): the header
 * and a polled body have buffers of their own only while they are read.
 */
struct conn {
	int		 fd;
	uint8_t		 state;
	uint8_t		 chunked;
	uint8_t		 ck;		/* enum chunk_state */
	uint8_t		 gzip;
	uint8_t		 line_empty;	/* event stream: at a line's start */
	uint8_t		 match;		/* bytes of TS_KEY matched */
	uint8_t		 in_num;	/* 1: after the key, 2: in digits */
	uint8_t		 have_ts;
	uint8_t		 first;		/* live: the connect-time event */
	uint8_t		 ever_ok;	/* a 200 came on it */
	uint8_t		 ck_line;	/* chunk trailer: bytes on the line */
	uint16_t	 hlen;
	char		*head;
	char		*body;
	uint32_t	 blen;
	uint32_t	 ck_left;
	int64_t		 clen;		/* poll: Content-Length, -1 none */
	int64_t		 ts;		/* the sample being read */
	int64_t		 last_ts;	/* the last one recorded */
	int64_t		 sub_ms;	/* live: when it subscribed */
};

/* A sample seen in the window, and how many connections got it. */
struct sample {
	int64_t		 ts;
	uint32_t	 receivers;
};

static const char TS_KEY[] = "\"timestamp_ms\":";

static enum subs_mode	 mode = MODE_LIVE;
static int		 nconns = 1000;
static int		 warmup_s = 5, window_s = 20, grace_s = 2;
static int		 rate = 2000;
static const char	*addr = "127.0.0.1";
static int		 port;
static const char	*path;

static struct conn	*conns;
static int		 epfd;
static struct sockaddr_in sin_srv;
static char		 req[512];
static int		 req_len;
static char		 rbuf[65536];
static unsigned char	*zbuf;		/* inflated polled body */
static z_stream		 zs;

static struct sample	 samples[SUBS_SAMPLES_MAX];
static int		 nsamples;
static uint32_t		 lat_hist[SUBS_LAT_MAX_MS + 1];
static int64_t		 lat_max, deliveries, repeats, overflow_samples;
static int64_t		 win0_ms, win1_ms;
static int64_t		 connected, connected_at_win0, refused, http_errors;
static int64_t		 connect_errors, dropped, reconnects, late_polls;
static int		 first_bad_status;
static int		 connecting;
static double		 cpu_win0 = -1, cpu_win1 = -1;	/* own CPU, seconds */
static volatile sig_atomic_t stop;

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: subs [-m live|poll] [-n conns] [-w warmup_s] "
	    "[-d window_s] [-g grace_s] [-r conns_per_s] [-a addr] -p port "
	    "[-u path]\n");
	exit(2);
}

static int
num_arg(const char *s, int lo, int hi)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return (int)v;
}

/* --- What the connections bring --------------------------------------- */

/*
 * A sample arrived on c at now.  Counted when its timestamp is in the
 * window, once per connection (a repeat is a poll that brought nothing
 * new; a push never repeats).
 */
static void
record(struct conn *c, int64_t ts, int64_t now)
{
	int64_t	lat;
	int	i;

	if (c->first) {
		c->first = 0;
		/*
		 * The sample sent on connect, taken before the subscription:
		 * old by design, not a delivery.  One taken after it (the
		 * channel was empty) is the first new one.
		 */
		if (ts < c->sub_ms) {
			c->last_ts = ts;
			return;
		}
	}
	if (ts <= c->last_ts) {
		if (ts == c->last_ts && ts >= win0_ms && ts < win1_ms)
			repeats++;
		return;
	}
	c->last_ts = ts;
	if (ts < win0_ms || ts >= win1_ms)
		return;
	for (i = nsamples - 1; i >= 0 && samples[i].ts != ts; i--)
		;
	if (i < 0) {
		if (nsamples == SUBS_SAMPLES_MAX) {
			overflow_samples++;
			return;
		}
		i = nsamples++;
		samples[i].ts = ts;
		samples[i].receivers = 0;
	}
	samples[i].receivers++;
	deliveries++;
	lat = now - ts;
	if (lat < 0)
		lat = 0;
	if (lat > lat_max)
		lat_max = lat;
	lat_hist[lat > SUBS_LAT_MAX_MS ? SUBS_LAT_MAX_MS : lat]++;
}

/* The number after TS_KEY in a whole document, or -1. */
static int64_t
doc_ts(const char *d, size_t len)
{
	const char	*p = memmem(d, len, TS_KEY, sizeof(TS_KEY) - 1);
	const char	*end = d + len;
	int64_t		 v = 0;

	if (p == NULL)
		return -1;
	for (p += sizeof(TS_KEY) - 1; p < end && *p == ' '; p++)
		;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/*
 * Event-stream bytes (already de-chunked): an event ends at an empty line;
 * its sample is the first timestamp_ms of its data.  Read as a stream, a
 * few bytes of state per connection, so a 10 KiB event needs no buffer.
 */
static void
sse_bytes(struct conn *c, const char *p, size_t n, int64_t now)
{
	size_t	i;
	char	ch;

	for (i = 0; i < n; i++) {
		ch = p[i];
		if (ch == '\r')
			continue;
		if (ch == '\n') {
			if (c->line_empty) {
				if (c->have_ts)
					record(c, c->ts, now);
				c->have_ts = 0;
			}
			c->line_empty = 1;
			c->match = 0;
			c->in_num = 0;
			continue;
		}
		c->line_empty = 0;
		if (c->in_num != 0) {
			if (ch >= '0' && ch <= '9') {
				c->ts = c->ts * 10 + (ch - '0');
				c->in_num = 2;
				continue;
			}
			if (ch == ' ' && c->in_num == 1)
				continue;
			c->in_num = 0;
			c->have_ts = 1;
		}
		if (c->have_ts)
			continue;
		if (ch == TS_KEY[c->match]) {
			if (++c->match == sizeof(TS_KEY) - 1) {
				c->match = 0;
				c->in_num = 1;
				c->ts = 0;
			}
		} else {
			c->match = ch == TS_KEY[0];
		}
	}
}

/* A polled answer is whole: its sample, then the next request's wait. */
static void
poll_done(struct conn *c, int64_t now)
{
	const char	*doc = c->body;
	size_t		 len = c->blen;
	int64_t		 ts;

	if (c->gzip) {
		inflateReset(&zs);
		zs.next_in = (unsigned char *)c->body;
		zs.avail_in = c->blen;
		zs.next_out = zbuf;
		zs.avail_out = SUBS_BODY_MAX;
		if (inflate(&zs, Z_FINISH) != Z_STREAM_END)
			len = 0;
		else
			len = SUBS_BODY_MAX - zs.avail_out;
		doc = (const char *)zbuf;
	}
	ts = doc != NULL && len > 0 ? doc_ts(doc, len) : -1;
	if (ts > 0)
		record(c, ts, now);
	free(c->body);
	c->body = NULL;
	c->blen = 0;
	c->state = CS_WAIT;
}

static int
body_append(struct conn *c, const char *p, size_t n)
{
	char	*b;

	if (c->blen + n > SUBS_BODY_MAX)
		return -1;
	if ((b = realloc(c->body, c->blen + n)) == NULL)
		return -1;
	memcpy(b + c->blen, p, n);
	c->body = b;
	c->blen += n;
	return 0;
}

/* Body bytes, de-chunked, to the mode's reader. */
static int
body_data(struct conn *c, const char *p, size_t n, int64_t now)
{
	if (mode == MODE_LIVE) {
		sse_bytes(c, p, n, now);
		return 0;
	}
	return body_append(c, p, n);
}

/*
 * Body bytes as they come off the wire.  Returns -1 on a malformed
 * stream; for a poll, the answer's end calls poll_done().
 */
static int
body_bytes(struct conn *c, const char *p, size_t n, int64_t now)
{
	size_t	take;
	int	d;
	char	ch;

	if (!c->chunked) {
		if (mode == MODE_POLL && c->clen >= 0 &&
		    (int64_t)n > c->clen - (int64_t)c->blen)
			return -1;	/* pipelining is never asked */
		if (body_data(c, p, n, now) == -1)
			return -1;
		if (mode == MODE_POLL && c->clen >= 0 &&
		    (int64_t)c->blen == c->clen)
			poll_done(c, now);
		return 0;
	}
	while (n > 0) {
		switch (c->ck) {
		case CK_SIZE:
		case CK_EXT:
			ch = *p++;
			n--;
			if (ch == '\n') {
				c->ck = c->ck_left == 0 ? CK_TRAILER : CK_DATA;
				c->ck_line = 0;
			} else if (c->ck == CK_SIZE && ch != '\r') {
				if (ch == ';' || ch == ' ') {
					c->ck = CK_EXT;
					break;
				}
				d = ch >= '0' && ch <= '9' ? ch - '0' :
				    (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ?
				    (ch | 0x20) - 'a' + 10 : -1;
				if (d < 0 || c->ck_left > SUBS_BODY_MAX)
					return -1;
				c->ck_left = c->ck_left * 16 + (uint32_t)d;
			}
			break;
		case CK_DATA:
			take = n < c->ck_left ? n : c->ck_left;
			if (body_data(c, p, take, now) == -1)
				return -1;
			p += take;
			n -= take;
			c->ck_left -= (uint32_t)take;
			if (c->ck_left == 0)
				c->ck = CK_DATA_END;
			break;
		case CK_DATA_END:
			ch = *p++;
			n--;
			if (ch == '\n')
				c->ck = CK_SIZE;
			break;
		case CK_TRAILER:
			ch = *p++;
			n--;
			if (ch == '\r')
				break;
			if (ch != '\n') {
				c->ck_line = 1;
				break;
			}
			if (c->ck_line) {
				c->ck_line = 0;
				break;
			}
			/* The last chunk and its trailer: the answer ends. */
			if (mode == MODE_LIVE || n > 0)
				return -1;
			poll_done(c, now);
			return 0;
		}
	}
	return 0;
}

/* --- Connections --------------------------------------------------------- */

static void
conn_close(struct conn *c, enum conn_state next)
{
	if (c->fd != -1) {
		if (c->state == CS_CONNECTING)
			connecting--;
		close(c->fd);		/* also leaves the epoll set */
		c->fd = -1;
	}
	if (c->ever_ok)
		connected--;
	c->ever_ok = 0;
	free(c->head);
	free(c->body);
	c->head = c->body = NULL;
	c->hlen = 0;
	c->blen = 0;
	c->state = next;
}

static void
conn_open(struct conn *c)
{
	struct epoll_event	ev;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		connect_errors++;
		c->state = CS_DONE;
		return;
	}
	if (connect(fd, (struct sockaddr *)&sin_srv, sizeof(sin_srv)) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		connect_errors++;
		c->state = CS_DONE;
		return;
	}
	ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(fd);
		connect_errors++;
		c->state = CS_DONE;
		return;
	}
	c->fd = fd;
	c->state = CS_CONNECTING;
	connecting++;
}

/* Send the request (small: one write on a fresh or idle connection). */
static int
conn_send(struct conn *c)
{
	ssize_t	w = send(c->fd, req, (size_t)req_len, MSG_NOSIGNAL);

	if (w != req_len)
		return -1;
	c->state = CS_HEAD;
	c->hlen = 0;
	c->chunked = c->gzip = 0;
	c->ck = CK_SIZE;
	c->ck_left = 0;
	c->clen = -1;
	return 0;
}

/*
 * The header block is whole in c->head (hlen bytes, up to the empty line):
 * the status decides.  Returns -1 to close the connection.
 */
static int
conn_head(struct conn *c)
{
	int	status = 0;
	char	*h = c->head, *v;

	h[c->hlen] = '\0';
	if (sscanf(h, "HTTP/1.%*d %d", &status) != 1)
		status = 0;
	if (status != 200) {
		if (status == 503)
			refused++;
		else if (status == 0)
			connect_errors++;
		else {
			http_errors++;
			if (first_bad_status == 0)
				first_bad_status = status;
		}
		return -1;
	}
	if (!c->ever_ok) {
		c->ever_ok = 1;
		connected++;
	}
	c->chunked = strcasestr(h, "\ntransfer-encoding: chunked") != NULL;
	c->gzip = strcasestr(h, "\ncontent-encoding: gzip") != NULL;
	if ((v = strcasestr(h, "\ncontent-length:")) != NULL)
		c->clen = strtoll(v + 16, NULL, 10);
	if (mode == MODE_POLL && !c->chunked && c->clen < 0)
		return -1;	/* an answer with no end: not what nginx sends */
	c->line_empty = 1;
	c->match = c->in_num = c->have_ts = 0;
	free(c->head);
	c->head = NULL;
	c->state = CS_BODY;
	return 0;
}

/* Bytes read on c: the header block, then the body. */
static int
conn_bytes(struct conn *c, const char *p, size_t n, int64_t now)
{
	char	*end;
	size_t	 take, hl;

	if (c->state == CS_WAIT)
		return -1;		/* nothing was asked */
	if (c->state == CS_HEAD) {
		if (c->head == NULL &&
		    (c->head = malloc(SUBS_HEAD_MAX + 1)) == NULL)
			return -1;
		take = n < (size_t)(SUBS_HEAD_MAX - c->hlen) ?
		    n : (size_t)(SUBS_HEAD_MAX - c->hlen);
		memcpy(c->head + c->hlen, p, take);
		c->hlen += (uint16_t)take;
		c->head[c->hlen] = '\0';
		if ((end = strstr(c->head, "\r\n\r\n")) == NULL)
			return c->hlen == SUBS_HEAD_MAX ? -1 : 0;
		hl = (size_t)(end - c->head) + 4;
		/* What of this read lies past the header block. */
		p += take - (c->hlen - hl);
		n -= take - (c->hlen - hl);
		c->hlen = (uint16_t)hl;
		if (conn_head(c) == -1)
			return -1;
		if (mode == MODE_POLL && !c->chunked && c->clen == 0) {
			poll_done(c, now);
			return n > 0 ? -1 : 0;
		}
	}
	return n > 0 ? body_bytes(c, p, n, now) : 0;
}

static void
conn_event(struct conn *c, uint32_t events, int64_t now)
{
	ssize_t	r;
	int	err = 0;
	socklen_t len = sizeof(err);
	struct epoll_event ev;

	if (c->state == CS_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err != 0) {
			connect_errors++;
			conn_close(c, CS_DONE);
			return;
		}
		connecting--;
		c->state = CS_WAIT;
		ev.events = EPOLLIN | EPOLLRDHUP;
		ev.data.ptr = c;
		epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
		if (mode == MODE_LIVE) {
			c->first = 1;
			c->sub_ms = now;
			if (conn_send(c) == -1) {
				connect_errors++;
				conn_close(c, CS_DONE);
			}
		}
		return;
	}
	if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
		return;
	r = read(c->fd, rbuf, sizeof(rbuf));
	if (r > 0) {
		if (conn_bytes(c, rbuf, (size_t)r, now) == -1) {
			if (c->state == CS_BODY || c->state == CS_WAIT)
				dropped++;
			conn_close(c, CS_DONE);
		}
		return;
	}
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	/* Closed by the server. */
	if (mode == MODE_POLL && c->state == CS_WAIT) {
		/* An idle kept connection closed: a browser opens another. */
		reconnects++;
		conn_close(c, CS_IDLE);
		conn_open(c);
		return;
	}
	if (c->state == CS_HEAD && c->hlen == 0 && !c->ever_ok)
		connect_errors++;
	else if (c->state == CS_BODY || c->state == CS_HEAD)
		dropped++;
	conn_close(c, CS_DONE);
}

/* --- The run ---------------------------------------------------------------- */

static int
percentile(double q)
{
	int64_t	want, seen = 0;
	int	i;

	if (deliveries == 0)
		return -1;
	want = (int64_t)(q * (double)deliveries + 0.999999);
	if (want < 1)
		want = 1;
	for (i = 0; i <= SUBS_LAT_MAX_MS; i++) {
		seen += lat_hist[i];
		if (seen >= want)
			return i;
	}
	return SUBS_LAT_MAX_MS;
}

static void
report(void)
{
	int64_t	complete = 0;
	double	share;
	int	i;

	for (i = 0; i < nsamples; i++)
		if (samples[i].receivers >= (uint32_t)nconns)
			complete++;
	share = nsamples > 0 ? (double)deliveries /
	    ((double)nsamples * nconns) : 0;
	printf("mode %s\n", mode == MODE_LIVE ? "live" : "poll");
	printf("conns %d\n", nconns);
	printf("window_s %d\n", window_s);
	printf("samples %d\n", nsamples);
	printf("deliveries %lld\n", (long long)deliveries);
	printf("delivered %.6f\n", share);
	printf("complete %lld\n", (long long)complete);
	/* Against the clock: one sample a second, whoever saw it. */
	printf("per_conn_per_s %.6f\n", (double)deliveries /
	    ((double)nconns * window_s));
	printf("lat_p50_ms %d\n", percentile(0.50));
	printf("lat_p99_ms %d\n", percentile(0.99));
	printf("lat_max_ms %lld\n", deliveries ? (long long)lat_max : -1LL);
	printf("connected %lld\n", (long long)connected_at_win0);
	printf("connected_end %lld\n", (long long)connected);
	printf("refused %lld\n", (long long)refused);
	printf("http_errors %lld\n", (long long)http_errors);
	printf("first_bad_status %d\n", first_bad_status);
	printf("connect_errors %lld\n", (long long)connect_errors);
	printf("dropped %lld\n", (long long)dropped);
	printf("repeats %lld\n", (long long)repeats);
	printf("reconnects %lld\n", (long long)reconnects);
	printf("late_polls %lld\n", (long long)late_polls);
	printf("samples_overflow %lld\n", (long long)overflow_samples);
	printf("client_cpu_s %.3f\n", cpu_win0 >= 0 && cpu_win1 >= 0 ?
	    cpu_win1 - cpu_win0 : -1.0);
	fflush(stdout);
}

/* This process's CPU time so far (user + system), in seconds. */
static double
own_cpu(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Raise the open-files limit to the hard one: a descriptor a connection. */
static void
raise_nofile(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)nconns + 16)
		fprintf(stderr, "subs: open files limited to %llu, fewer than "
		    "%d connections need\n", (unsigned long long)rl.rlim_cur,
		    nconns + 16);
}

int
main(int argc, char **argv)
{
	struct epoll_event	 evs[EVENTS_MAX];
	struct sigaction	 sa;
	struct conn		*c;
	int64_t			 t0, now, end_ms, opened_ms;
	int			 opt, i, n, next_open = 0, next_poll = 0;
	int			 timeout;

	while ((opt = getopt(argc, argv, "m:n:w:d:g:r:a:p:u:")) != -1) {
		switch (opt) {
		case 'm':
			if (strcmp(optarg, "live") == 0)
				mode = MODE_LIVE;
			else if (strcmp(optarg, "poll") == 0)
				mode = MODE_POLL;
			else
				usage();
			break;
		case 'n':
			nconns = num_arg(optarg, 1, SUBS_CONNS_MAX);
			break;
		case 'w':
			warmup_s = num_arg(optarg, 0, 600);
			break;
		case 'd':
			window_s = num_arg(optarg, 1, 3600);
			break;
		case 'g':
			grace_s = num_arg(optarg, 0, 60);
			break;
		case 'r':
			rate = num_arg(optarg, 1, 1000000);
			break;
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = num_arg(optarg, 1, 65535);
			break;
		case 'u':
			path = optarg;
			break;
		default:
			usage();
		}
	}
	if (port == 0 || optind != argc)
		usage();
	if (path == NULL)
		path = mode == MODE_LIVE ? "/api/live" : "/api/metrics";
	if (strlen(path) > 200 || path[0] != '/')
		usage();
	memset(&sin_srv, 0, sizeof(sin_srv));
	sin_srv.sin_family = AF_INET;
	sin_srv.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin_srv.sin_addr) != 1)
		usage();
	req_len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\n"
	    "Host: %s:%d\r\n%s\r\n", path, addr, port, mode == MODE_LIVE ?
	    "Accept: text/event-stream\r\nCache-Control: no-cache\r\n" :
	    "Accept: application/json\r\nAccept-Encoding: gzip\r\n");

	raise_nofile();
	if ((conns = calloc((size_t)nconns, sizeof(*conns))) == NULL ||
	    (zbuf = malloc(SUBS_BODY_MAX)) == NULL ||
	    inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		fprintf(stderr, "subs: out of memory\n");
		return 1;
	}
	for (i = 0; i < nconns; i++)
		conns[i].fd = -1;
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("subs: epoll_create1");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	t0 = now_ms();
	win0_ms = t0 + (int64_t)warmup_s * 1000;
	win1_ms = win0_ms + (int64_t)window_s * 1000;
	end_ms = win1_ms + (int64_t)grace_s * 1000;
	opened_ms = t0;
	for (;;) {
		now = now_ms();
		if (stop || now >= end_ms)
			break;
		if (connected_at_win0 == 0 && now >= win0_ms) {
			connected_at_win0 = connected > 0 ? connected : -1;
			cpu_win0 = own_cpu();
		}
		if (cpu_win1 < 0 && now >= win1_ms)
			cpu_win1 = own_cpu();
		/* Open at most `rate` a second, CONNECTING_MAX at once. */
		while (next_open < nconns && connecting < CONNECTING_MAX &&
		    (int64_t)next_open * 1000 / rate <= now - t0) {
			conn_open(&conns[next_open]);
			next_open++;
		}
		/*
		 * Poll: viewer i asks at phase i/n of each second; one still
		 * waiting for its last answer skips a turn (a page's next
		 * poll waits for the last).
		 */
		if (mode == MODE_POLL && next_open == nconns) {
			if (opened_ms == t0)
				opened_ms = now;
			while (opened_ms + (int64_t)next_poll * POLL_PERIOD_MS /
			    nconns <= now) {
				c = &conns[next_poll % nconns];
				if (c->state == CS_WAIT) {
					if (conn_send(c) == -1) {
						dropped++;
						conn_close(c, CS_DONE);
					}
				} else if (c->state != CS_DONE &&
				    c->state != CS_IDLE) {
					late_polls++;
				}
				next_poll++;
			}
		}
		timeout = next_open < nconns || mode == MODE_POLL ? 1 : 50;
		n = epoll_wait(epfd, evs, EVENTS_MAX, timeout);
		if (n == -1 && errno != EINTR) {
			perror("subs: epoll_wait");
			break;
		}
		now = now_ms();
		for (i = 0; i < n; i++)
			conn_event(evs[i].data.ptr, evs[i].events, now);
	}
	if (connected_at_win0 == -1)
		connected_at_win0 = 0;
	report();
	return 0;
}

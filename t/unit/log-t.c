/*
 * log-t.c: logging never blocks and never floods.  stderr is pointed at a
 * pipe (and then a stream socket) whose reader never reads: every call
 * still returns, whole lines or nothing reach the reader, and what did not
 * fit is counted.  An event logged in a burst is cut to its burst, the
 * rest counted, and its next line says how many were suppressed.
 *
 * Each scenario runs in a child of its own (the logger's buckets are per
 * process, as in the pool) under alarm(): a write that blocks kills the
 * child, and the parent reports a failure instead of hanging.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

/* What a scenario saw, sent from the child to the parent. */
struct seen {
	int		whole;		/* whole lines of the scenario's event */
	int		torn;		/* anything else */
	int		other;		/* lines of the control event */
	int		blocking_left;	/* the original fd kept its flags */
	uint64_t	dropped;
	uint64_t	suppressed;
	char		last[256];	/* the last line read */
};

static char	buf[1 << 20];

/* Read all that is in fd now (non-blocking), appended at buf + n. */
static size_t
drain(int fd, size_t n)
{
	ssize_t	r;
	int	fl = fcntl(fd, F_GETFL);

	(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (n < sizeof(buf) - 1 &&
	    (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	(void)fcntl(fd, F_SETFL, fl);
	buf[n] = '\0';
	return n;
}

/* Count the lines of buf: whole ones of event ev, of event "other", torn. */
static void
tally(const char *ev, struct seen *s)
{
	char		want[64];
	const char     *p = buf, *nl, *last = buf;

	snprintf(want, sizeof(want), " event=%s", ev);
	while ((nl = strchr(p, '\n')) != NULL) {
		if (strncmp(p, "ts=", 3) != 0)
			s->torn++;
		else if (memmem(p, (size_t)(nl - p), want, strlen(want)) != NULL)
			s->whole++;
		else if (memmem(p, (size_t)(nl - p), " event=other", 12) != NULL)
			s->other++;
		else
			s->torn++;
		last = p;
		p = nl + 1;
	}
	if (*p != '\0')
		s->torn++;	/* a line without its end */
	snprintf(s->last, sizeof(s->last), "%.*s", (int)strcspn(last, "\n"),
	    last);
}

enum scenario { STALL_PIPE, STALL_SOCKET, FLOOD, FLOOD_THEN_QUIET, DEBUG };

/* The child: log into wfd, read back from rfd, fill *s. */
static void
run(enum scenario sc, int wfd, int rfd, struct seen *s)
{
	int	i, fl = fcntl(wfd, F_GETFL);
	size_t	n;

	if (dup2(wfd, STDERR_FILENO) == -1)
		_exit(2);
	vt_log_init("log-t");
	alarm(20);
	switch (sc) {
	case STALL_PIPE:
	case STALL_SOCKET:
		/* Distinct events, so no burst limit applies. */
		for (i = 0; i < 1500; i++) {
			char	ev[32];

			snprintf(ev, sizeof(ev), "stall%d", i);
			vt_log_warn(ev, "n=%d pad=%0200d", i, 0);
		}
		/* The reader wakes up: a line cut short is finished first. */
		n = drain(rfd, 0);
		vt_log_warn("other", "after=1");
		(void)drain(rfd, n);
		tally("stall", s);
		break;
	case FLOOD:
	case FLOOD_THEN_QUIET:
		for (i = 0; i < 1000; i++)
			vt_log_warn("flood", "i=%d", i);
		vt_log_warn("other", "i=0");
		if (sc == FLOOD_THEN_QUIET) {
			struct timespec	ts = { 0, 120 * 1000000L };

			(void)drain(rfd, 0);
			nanosleep(&ts, NULL);
			vt_log_warn("flood", "i=last");
		}
		(void)drain(rfd, 0);
		tally("flood", s);
		break;
	case DEBUG:
		for (i = 0; i < 500; i++)
			vt_log_debug("quiet", "i=%d", i);
		(void)drain(rfd, 0);
		tally("quiet", s);
		break;
	}
	alarm(0);
	s->dropped = vt_log_dropped();
	s->suppressed = vt_log_suppressed();
	s->blocking_left = (fcntl(wfd, F_GETFL) & O_NONBLOCK) ==
	    (fl & O_NONBLOCK);
}

/* Run a scenario in a child; 0 and *s filled, or -1 (it blocked, died). */
static int
scenario(enum scenario sc, int stream, struct seen *s)
{
	int	fds[2], res[2], st;
	pid_t	pid;

	memset(s, 0, sizeof(*s));
	if ((stream ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : pipe(fds)) ==
	    -1 || pipe(res) == -1)
		bail("pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		bail("fork: %s", strerror(errno));
	if (pid == 0) {
		/* pipe(): [0] reads, [1] writes; a socketpair either way. */
		run(sc, fds[1], fds[0], s);
		_exit(write(res[1], s, sizeof(*s)) == (ssize_t)sizeof(*s) ?
		    0 : 3);
	}
	close(res[1]);
	if (read(res[0], s, sizeof(*s)) != (ssize_t)sizeof(*s))
		memset(s, 0, sizeof(*s));
	close(res[0]);
	close(fds[0]);
	close(fds[1]);
	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		diag("the child %s", WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM ?
		    "blocked in a log call (killed by its alarm)" : "failed");
		return -1;
	}
	return 0;
}

static void
stalled(const char *kind, enum scenario sc, int stream)
{
	struct seen	s;

	if (scenario(sc, stream, &s) == -1) {
		ok(0, "%s: 1500 lines to a reader that never reads returned",
		    kind);
		skip(6, "%s: no figures", kind);
		return;
	}
	ok(1, "%s: 1500 lines to a reader that never reads all returned",
	    kind);
	ok(s.dropped > 0, "%s: dropped lines counted (%llu)", kind,
	    (unsigned long long)s.dropped);
	ok(s.whole > 0, "%s: the reader got %d whole lines", kind, s.whole);
	is_int((long long)(s.whole + (long long)(s.dropped + s.suppressed)), 1500,
	    "%s: written + dropped + suppressed = logged", kind);
	is_int(s.other, 1, "%s: the line after the stall arrived whole", kind);
	is_int(s.torn, 0, "%s: no line torn", kind);
	ok(s.blocking_left, "%s: the shared stderr keeps its flags", kind);
}

int
main(void)
{
	struct seen	s;

	signal(SIGPIPE, SIG_IGN);

	/* A pipe and a stream socket, as a supervisor's and the journal's. */
	stalled("pipe", STALL_PIPE, 0);
	stalled("socket", STALL_SOCKET, 1);

	/* A burst of one event: the burst written, the rest counted. */
	if (scenario(FLOOD, 0, &s) == 0) {
		/* Allow a second's refill on a slow machine. */
		ok(s.whole >= 100 && s.whole <= 120,
		    "a burst of 1000 lines: %d written", s.whole);
		is_int(s.other, 1, "another event is not held by the flood");
		is_int((long long)s.suppressed, 1000 - s.whole,
		    "the rest counted as suppressed");
		is_int((long long)s.dropped, 0, "nothing dropped");
	} else
		ok(0, "the flood scenario ran");

	/* After a refill, the next line reports what was held. */
	if (scenario(FLOOD_THEN_QUIET, 0, &s) == 0)
		ok(strstr(s.last, "i=last suppressed_before=") != NULL,
		    "the next line says how many were suppressed: %s", s.last);
	else
		ok(0, "the flood-then-quiet scenario ran");

	/* Below the level: nothing written, nothing counted. */
	if (scenario(DEBUG, 0, &s) == 0) {
		is_int(s.whole + s.torn, 0,
		    "debug lines below the level are not written");
		is_int((long long)s.suppressed, 0, "nor counted as suppressed");
	} else
		ok(0, "the debug scenario ran");

	/*
	 * vt_log_quote(): an escape that ends at the buffer's last bytes
	 * leaves room for the quote and the NUL (the fuzzer found it writing
	 * the NUL one byte past).  Every size from 3 to 40, every position.
	 */
	{
		char	in[64], out[48];
		size_t	len, k;
		int	bad = 0;

		memset(in, '\001', 31);
		memcpy(in + 31, "ab\002", 4);
		for (len = 3; len <= 40; len++) {
			memset(out, 'Z', sizeof(out));
			(void)vt_log_quote(out, len, in);
			k = strnlen(out, len);
			if (k >= len || out[k - 1] != '"' || out[len] != 'Z')
				bad++;
		}
		is_int(bad, 0, "vt_log_quote stays within its buffer, quoted, "
		    "at every size");
	}

	done_testing();
	return tap_exit_status();
}

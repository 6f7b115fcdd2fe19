/*
 * log.c: one event per line on stderr, as key=value pairs (see log.h).
 * Each line is formatted into one buffer and written with one write(2), so
 * lines from the master and its workers never interleave mid-line.
 *
 * Logging never blocks.  stderr is often a pipe or a socket read by the
 * journal or a supervisor; when that reader stalls, a blocking write(2)
 * froze the master, the recorder and every worker at once (the watchdog
 * included).  So a pipe, FIFO or terminal is reopened through
 * /proc/self/fd/2 as a new, non-blocking open file description (fd 2
 * itself, shared with whoever else holds it, keeps its flags), a socket is
 * written with send(MSG_DONTWAIT), and a line that does not fit at once is
 * dropped and counted.  Lines of one event beyond a burst are suppressed
 * for the rest of the second and counted; the next line of that event
 * says how many were.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/*
 * The burst of lines one event may write, refilled at LOG_RATE lines a
 * second: a warning per request at thousands of requests a second costs
 * the journal LOG_RATE lines, and start-up (one line per worker) is never
 * cut.  Events share LOG_EVENTS buckets by a hash of their name.
 */
#define LOG_BURST	100
#define LOG_RATE	20
#define LOG_EVENTS	64

enum log_sink {
	LOG_SINK_WRITE,		/* a regular file, or the fallback */
	LOG_SINK_SEND		/* a socket: send(MSG_DONTWAIT) */
};

struct log_bucket {
	const char     *event;		/* the last event that used it */
	int64_t		refilled_ms;
	uint32_t	tokens;
	uint64_t	suppressed;	/* since the last line written */
};

static enum vt_log_level log_level = VT_LOG_INFO;
static int	log_journal;	/* stderr is the journal: use <N> prefixes */
static int	log_fd = STDERR_FILENO;
static enum log_sink log_sink = LOG_SINK_WRITE;
static struct log_bucket log_buckets[LOG_EVENTS];
static char	log_pending[2048];	/* the rest of a line cut short */
static size_t	log_pending_len;
static uint64_t	log_local_dropped, log_local_suppressed;
static uint64_t	*log_dropped = &log_local_dropped;
static uint64_t	*log_suppressed = &log_local_suppressed;

static const char *
log_level_name(enum vt_log_level level)
{
	switch (level) {
	case VT_LOG_ERR:
		return "error";
	case VT_LOG_WARN:
		return "warn";
	case VT_LOG_INFO:
		return "info";
	case VT_LOG_DEBUG:
		return "debug";
	}
	return "info";
}

/*
 * Choose how to write stderr without blocking.  A pipe, FIFO or terminal
 * gets a descriptor of its own with O_NONBLOCK; when /proc cannot reopen
 * it, fd 2 itself is made non-blocking (shared, but better than a frozen
 * pool).
 */
static void
log_open_sink(void)
{
	struct stat	st;
	int		fd, fl;

	if (log_fd != STDERR_FILENO) {
		(void)close(log_fd);
		log_fd = STDERR_FILENO;
	}
	/* After a fork the parent writes what it had left, not the child. */
	log_pending_len = 0;
	log_sink = LOG_SINK_WRITE;
	if (fstat(STDERR_FILENO, &st) == -1)
		return;
	if (S_ISSOCK(st.st_mode)) {
		log_sink = LOG_SINK_SEND;
		return;
	}
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return;
	fd = open("/proc/self/fd/2", O_WRONLY | O_APPEND | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		log_fd = fd;
		return;
	}
	fl = fcntl(STDERR_FILENO, F_GETFL);
	if (fl != -1 && (fl & O_NONBLOCK) == 0)
		(void)fcntl(STDERR_FILENO, F_SETFL, fl | O_NONBLOCK);
}

void
vt_log_init(const char *ident)
{
	const char     *js = getenv("JOURNAL_STREAM");
	struct stat	st;
	unsigned long	dev, ino;

	(void)ident;
	log_journal = 0;
	if (js != NULL && sscanf(js, "%lu:%lu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 &&
	    (unsigned long)st.st_dev == dev && (unsigned long)st.st_ino == ino)
		log_journal = 1;
	log_open_sink();
}

void
vt_log_set_counters(uint64_t *dropped, uint64_t *suppressed)
{
	log_dropped = dropped != NULL ? dropped : &log_local_dropped;
	log_suppressed = suppressed != NULL ? suppressed : &log_local_suppressed;
}

uint64_t
vt_log_dropped(void)
{
	return __atomic_load_n(log_dropped, __ATOMIC_RELAXED);
}

uint64_t
vt_log_suppressed(void)
{
	return __atomic_load_n(log_suppressed, __ATOMIC_RELAXED);
}

void
vt_log_set_level(enum vt_log_level level)
{
	log_level = level;
}

int
vt_log_level_parse(const char *s, enum vt_log_level *out)
{
	static const struct {
		const char	       *name;
		enum vt_log_level	level;
	} names[] = {
		{ "error", VT_LOG_ERR }, { "warn", VT_LOG_WARN },
		{ "info", VT_LOG_INFO }, { "debug", VT_LOG_DEBUG },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].level;
			return 0;
		}
	}
	return -1;
}

char *
vt_log_quote(char *dst, size_t dstlen, const char *s)
{
	size_t	n = 0;

	if (dstlen < 3) {
		if (dstlen > 0)
			dst[0] = '\0';
		return dst;
	}
	dst[n++] = '"';
	for (; s != NULL && *s != '\0' && n + 4 < dstlen; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			dst[n++] = '\\';
			dst[n++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			/* Four bytes, then room for the quote and the NUL. */
			if (n + 4 + 2 > dstlen)
				break;
			n += (size_t)snprintf(dst + n, dstlen - n, "\\x%02x", c);
		} else
			dst[n++] = (char)c;
	}
	dst[n++] = '"';
	dst[n] = '\0';
	return dst;
}

static int64_t
log_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Take a token from the event's bucket.  Returns 1 when the line may be
 * written; *held then gets the lines suppressed before it (to report).
 */
static int
log_admit(const char *event, uint64_t *held)
{
	struct log_bucket      *b;
	uint32_t		h = 5381;
	const char	       *p;
	int64_t			now = log_mono_ms(), add;

	for (p = event; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	b = &log_buckets[h % LOG_EVENTS];
	if (b->event == NULL) {
		b->tokens = LOG_BURST;
		b->refilled_ms = now;
	}
	b->event = event;
	add = (now - b->refilled_ms) * LOG_RATE / 1000;
	if (add > 0) {
		b->tokens = b->tokens + add > LOG_BURST ? LOG_BURST :
		    b->tokens + (uint32_t)add;
		b->refilled_ms += add * 1000 / LOG_RATE;
	}
	if (b->tokens == 0) {
		b->suppressed++;
		__atomic_fetch_add(log_suppressed, 1, __ATOMIC_RELAXED);
		return 0;
	}
	b->tokens--;
	*held = b->suppressed;
	b->suppressed = 0;
	return 1;
}

/* One try at writing; the bytes written or -1. */
static ssize_t
log_out(const char *buf, size_t n)
{
	ssize_t	w;

	do {
		if (log_sink == LOG_SINK_SEND)
			w = send(STDERR_FILENO, buf, n,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			w = write(log_fd, buf, n);
	} while (w == -1 && errno == EINTR);
	return w;
}

/*
 * Write one whole line, or drop it and count: never wait.  A line of at
 * most PIPE_BUF bytes goes into a pipe whole or not at all; a stream
 * socket may take part of one, and then the rest is kept and written
 * before the next line, so the reader never sees a torn line.
 */
static void
log_write(const char *line, size_t n)
{
	ssize_t	w;

	if (log_pending_len > 0) {
		w = log_out(log_pending, log_pending_len);
		if (w > 0) {
			log_pending_len -= (size_t)w;
			memmove(log_pending, log_pending + w, log_pending_len);
		}
		if (log_pending_len > 0) {
			__atomic_fetch_add(log_dropped, 1, __ATOMIC_RELAXED);
			return;
		}
	}
	w = log_out(line, n);
	if (w == -1) {
		__atomic_fetch_add(log_dropped, 1, __ATOMIC_RELAXED);
		return;
	}
	if ((size_t)w < n) {
		log_pending_len = n - (size_t)w;
		memcpy(log_pending, line + w, log_pending_len);
	}
}

static void
log_emit(enum vt_log_level level, const char *event, const char *fmt,
    va_list ap, int err)
{
	char		line[2048];
	size_t		n = 0, cap = sizeof(line) - 2;
	uint64_t	held = 0;
	int		r;

	if (level > log_level || !log_admit(event, &held))
		return;
	if (log_journal) {
		r = snprintf(line, cap, "<%d>", (int)level);
	} else {
		struct timespec ts;
		struct tm	tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		r = snprintf(line, cap,
		    "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	}
	n = r > 0 ? (size_t)r : 0;
	r = snprintf(line + n, cap - n, "level=%s pid=%ld event=%s",
	    log_level_name(level), (long)getpid(), event);
	n += r > 0 ? (size_t)r : 0;
	if (n < cap && fmt != NULL && *fmt != '\0') {
		line[n++] = ' ';
		r = vsnprintf(line + n, cap - n, fmt, ap);
		n += r > 0 ? (size_t)r : 0;
	}
	if (n < cap && err != 0) {
		char	q[256];

		r = snprintf(line + n, cap - n, " err=%s",
		    vt_log_quote(q, sizeof(q), strerror(err)));
		n += r > 0 ? (size_t)r : 0;
	}
	if (n < cap && held > 0) {
		r = snprintf(line + n, cap - n, " suppressed_before=%llu",
		    (unsigned long long)held);
		n += r > 0 ? (size_t)r : 0;
	}
	if (n > cap)
		n = cap;
	line[n++] = '\n';
	log_write(line, n);
}

void
vt_log(enum vt_log_level level, const char *event, const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_emit(level, event, fmt, ap, 0);
	va_end(ap);
	errno = saved;
}

void
vt_log_sys(enum vt_log_level level, const char *event, const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_emit(level, event, fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

/*
 * log.c: one event per line on stderr, as key=value pairs (see log.h).
 * Each line is formatted into one buffer and written with one write(2), so
 * lines from the master and its workers never interleave mid-line.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static enum vt_log_level log_level = VT_LOG_INFO;
static int	log_journal;	/* stderr is the journal: use <N> prefixes */

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

static void
log_emit(enum vt_log_level level, const char *event, const char *fmt,
    va_list ap, int err)
{
	char		line[2048];
	size_t		n = 0, cap = sizeof(line) - 2;
	int		r;

	if (level > log_level)
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
	if (n > cap)
		n = cap;
	line[n++] = '\n';
	/* One write per line; a short write to a pipe is not retried. */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
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

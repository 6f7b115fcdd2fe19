/*
 * log.h: structured log lines on stderr, one event per line:
 *
 *	level=warn event=worker_exit pid=123 status="exited on signal 9"
 *
 * When stderr is the journal (JOURNAL_STREAM matches it), the line starts
 * with the sd-daemon priority prefix "<N>" and carries no timestamp (the
 * journal adds one); otherwise it starts with ts=... in UTC.
 *
 * Logging never blocks the caller: a line the reader has no room for is
 * dropped and counted, and an event logged more than a burst of times is
 * rate-limited (counted too; its next line written carries
 * suppressed_before=N).  See log.c.
 */
#ifndef VT_LOG_H
#define VT_LOG_H

#include <stdint.h>

enum vt_log_level {
	VT_LOG_ERR = 3,
	VT_LOG_WARN = 4,
	VT_LOG_INFO = 6,
	VT_LOG_DEBUG = 7
};

/* Set up from the environment; call once at start and after fork+exec. */
void	vt_log_init(const char *ident);
void	vt_log_set_level(enum vt_log_level level);
int	vt_log_level_parse(const char *s, enum vt_log_level *out);

/*
 * Count dropped and suppressed lines in these (shared, updated
 * atomically; NULL: process-local counters).  The master points them at
 * the scoreboard before the first fork.
 */
void	vt_log_set_counters(uint64_t *dropped, uint64_t *suppressed);
uint64_t vt_log_dropped(void);
uint64_t vt_log_suppressed(void);

/*
 * Log an event: "event" is one word, "fmt" the key=value pairs after it
 * (may be NULL).  The _sys variants append err="strerror(errno)".
 */
void	vt_log(enum vt_log_level level, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	vt_log_sys(enum vt_log_level level, const char *event,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define vt_log_err(ev, ...)	vt_log(VT_LOG_ERR, ev, __VA_ARGS__)
#define vt_log_warn(ev, ...)	vt_log(VT_LOG_WARN, ev, __VA_ARGS__)
#define vt_log_info(ev, ...)	vt_log(VT_LOG_INFO, ev, __VA_ARGS__)
#define vt_log_debug(ev, ...)	vt_log(VT_LOG_DEBUG, ev, __VA_ARGS__)

/*
 * Copy "s" into "dst" as a log value: quoted, with quotes, backslashes and
 * control bytes escaped, cut to fit.  Returns dst.
 */
char	*vt_log_quote(char *dst, size_t dstlen, const char *s);

#endif /* VT_LOG_H */

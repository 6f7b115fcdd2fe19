/*
 * db.h: MariaDB under a deadline of our own.
 *
 * Every call that can touch the network takes an absolute deadline in
 * milliseconds on CLOCK_MONOTONIC (vt_db_deadline() makes one) and returns
 * by then, whatever the server does: the driver runs in its non-blocking
 * mode and this module waits for it with poll().  The connection settings
 * come from a MariaDB option file (socket or host/port, user, password,
 * database), so no secret is in argv, the environment or our config.
 *
 * A failed connection attempt starts an exponential back-off with jitter,
 * kept in the struct: until it ends, calls fail at once with the category
 * of the failure that started it, without touching the network.  A
 * deadline that passes tears the connection down without waiting for the
 * server (the socket is shut down first), and the next call reconnects.
 *
 * Errors come back twice: as a category (enum vt_db_err, whose name is the
 * only thing fit for a client) and as the driver's text in the caller's
 * buffer, which may name socket paths and users: log it, never send it.
 *
 * Ownership: one struct vt_db per process, used by one thread.  Open it
 * after fork(): a struct used in a process other than the one that
 * connected it abandons the inherited connection (closing our copy of the
 * descriptor, sending nothing on it) so the parent's session is untouched.
 * Callers poll nothing themselves: each call blocks at most until its
 * deadline.  Host names in the option file are resolved with a blocking
 * getaddrinfo() outside the deadline: use socket= or a numeric host.
 */
#ifndef VT_DB_H
#define VT_DB_H

#include <stddef.h>
#include <stdint.h>

/*
 * The schema this binary needs: the highest migration in sql/migrations.
 * A database whose schema_version is lower is reported as "schema".
 */
#define VT_DB_SCHEMA_VERSION	1

/* The option file group read when the caller gives none. */
#define VT_DB_GROUP		"vitals"

/* Reconnection back-off defaults (see vt_db_set_backoff()). */
#define VT_DB_BACKOFF_BASE_MS	100
#define VT_DB_BACKOFF_CAP_MS	1000

/* What went wrong, in words fit for a client (vt_db_err_name()). */
enum vt_db_err {
	VT_DB_OK = 0,
	VT_DB_TIMEOUT,		/* our deadline passed (or the server's) */
	VT_DB_UNREACHABLE,	/* refused, no socket, unknown host, lost */
	VT_DB_AUTH,		/* access denied: user, password, grants */
	VT_DB_SCHEMA,		/* database, table or version missing */
	VT_DB_ERROR		/* anything else, including our own bugs */
};

struct vt_db;

/* The outcome of vt_db_probe(); every field is safe to show a client. */
struct vt_db_probe {
	enum vt_db_err	status;
	double		db_time;	/* the server's clock, epoch seconds */
	double		latency_ms;	/* the whole probe, connect included */
	int		schema_version;	/* found in the database, -1 unknown */
	int		backoff;	/* 1: answered from back-off, no I/O */
};

/*
 * A row of vt_db_query(): "row" has "ncols" values (NULL for SQL NULL)
 * with their lengths; they are valid only during the call.  Return 0 to
 * go on, non-zero to stop reading (the rest of the result is discarded).
 */
typedef int	(*vt_db_row_fn)(void *arg, unsigned int ncols, char **row,
		    const unsigned long *lens);

/* "ok", "timeout", "unreachable", "auth", "schema" or "error". */
const char	*vt_db_err_name(enum vt_db_err err);

/* Now on the monotonic clock (vt_mono_ms()) plus timeout_ms, in ms. */
int64_t		 vt_db_deadline(int timeout_ms);

/*
 * A handle reading "group" (NULL: VT_DB_GROUP) of "option_file"; both are
 * copied.  No I/O: the file is read at each connect.  NULL when out of
 * memory or a name is too long.  Free with vt_db_close().
 */
struct vt_db	*vt_db_open(const char *option_file, const char *group);

/*
 * The back-off after a failed connect: base_ms, doubling per failure up to
 * cap_ms, each wait drawn uniformly from [d/2, d].  A success resets it.
 */
void		 vt_db_set_backoff(struct vt_db *db, int base_ms, int cap_ms);

/*
 * Milliseconds until the back-off allows a connect again (0: now), and the
 * category that started it.  For /status and the tests.
 */
int64_t		 vt_db_retry_in_ms(const struct vt_db *db, enum vt_db_err *why);

/* 1 when a connection is open (it may still turn out dead). */
int		 vt_db_connected(const struct vt_db *db);

/*
 * Connect if not connected, by "deadline".  Returns VT_OK or VT_ERR with
 * *cat set (cat and err may be NULL).  During back-off: VT_ERR at once.
 */
int		 vt_db_connect(struct vt_db *db, int64_t deadline,
		    enum vt_db_err *cat, char *err, size_t errlen);

/*
 * Run one statement that returns no rows (INSERT, DELETE, SET ...),
 * connecting first if needed; *affected (may be NULL) gets the row count.
 * A statement that does return rows has them discarded and fails.
 */
int		 vt_db_exec(struct vt_db *db, const char *sql, int64_t deadline,
		    uint64_t *affected, enum vt_db_err *cat, char *err,
		    size_t errlen);

/*
 * Run one statement and hand each row to fn as it arrives: one row is in
 * memory at a time, whatever the size of the result.  *nrows (may be
 * NULL) gets the number of rows passed to fn.
 */
int		 vt_db_query(struct vt_db *db, const char *sql, int64_t deadline,
		    vt_db_row_fn fn, void *arg, uint64_t *nrows,
		    enum vt_db_err *cat, char *err, size_t errlen);

/*
 * The health probe: (re)connect if needed, then one round trip reading
 * the server's UTC clock and MAX(version) of schema_version, all within
 * timeout_ms.  Fills *out (always) and returns VT_OK when out->status is
 * VT_DB_OK.  A connection found dead on reuse is replaced once within the
 * same deadline.  A schema newer than VT_DB_SCHEMA_VERSION is ok.
 */
int		 vt_db_probe(struct vt_db *db, int timeout_ms,
		    struct vt_db_probe *out, char *err, size_t errlen);

/*
 * Retention: delete history rows older than their table's retention
 * (samples_10s: 48 h, samples_1m: 30 days) relative to now_epoch (Unix
 * seconds), "batch" rows per DELETE, until none is left or the deadline
 * is near.  *deleted (may be NULL) gets the total.  Running out of time
 * between statements is not an error: the next call goes on.
 */
int		 vt_db_prune(struct vt_db *db, int64_t now_epoch,
		    unsigned int batch, int64_t deadline, uint64_t *deleted,
		    enum vt_db_err *cat, char *err, size_t errlen);

/*
 * Escape src[0..len) for use inside '...' in SQL, for the connection's
 * character set.  Needs a connection; dst must hold 2 * len + 1 bytes.
 */
int		 vt_db_escape(struct vt_db *db, char *dst, size_t dstlen,
		    const char *src, size_t len);

/* Drop the connection, if any, without waiting for the server. */
void		 vt_db_disconnect(struct vt_db *db);

/* Say goodbye to the server (briefly), free everything.  NULL is fine. */
void		 vt_db_close(struct vt_db *db);

#endif /* VT_DB_H */

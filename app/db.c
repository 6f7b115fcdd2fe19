/*
 * db.c: MariaDB Connector/C driven by poll() under our own deadlines.
 *
 * The driver runs with MYSQL_OPT_NONBLOCK: each foo_start()/foo_cont()
 * returns what it waits for (MYSQL_WAIT_READ, _WRITE, _EXCEPT, _TIMEOUT)
 * and db_wait() polls the connection's socket for it, never past the
 * caller's deadline.  When the deadline passes, db_wait() shuts the socket
 * down and from then on answers every wait with MYSQL_WAIT_TIMEOUT, so the
 * suspended call fails at once and unwinds inside the driver (freeing what
 * it allocated); then the connection is closed, which cannot wait either,
 * since its socket is already shut.  The driver's own timeouts (whole
 * seconds, per wait) are honoured when an option file sets them, but never
 * stand in for the deadline.
 *
 * Times are monotonic milliseconds (clock.h).  The state of the back-off
 * (backoff.h, with its random jitter) lives in struct vt_db, not in
 * statics.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "vitals.h"
#include "backoff.h"
#include "clock.h"
#include "db.h"

/*
 * After the deadline, how many times a suspended call may be resumed with
 * MYSQL_WAIT_TIMEOUT before we give up on it and abandon the handle.  Each
 * resumption fails one wait, so a handful is enough; the cap only guards
 * against a driver that keeps asking.
 */
#define DB_ABORT_STEPS	32

#define DB_QUIT_MS	100	/* vt_db_close(): time to say goodbye */
#define DB_GROUP_LEN	64

/*
 * One round trip: the server's clock as integer microseconds since the
 * epoch, read in UTC so that no time zone or DST rule is involved, and the
 * schema version.  A missing schema_version table fails the statement with
 * ER_NO_SUCH_TABLE, which is the "schema" category.
 */
#define DB_PROBE_SQL							\
	"SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00',"	\
	" UTC_TIMESTAMP(6)), (SELECT MAX(version) FROM schema_version)"

/* Retention of the history tables, in seconds; see sql/README.md. */
static const struct {
	const char	*table;
	int64_t		 keep_s;
} db_retention[] = {
	{ "samples_10s", 48 * 3600 },
	{ "samples_1m", 30 * 86400 },
};

struct vt_db {
	char		 option_file[VT_PATH_LEN];
	char		 group[DB_GROUP_LEN];

	MYSQL		*mysql;		/* NULL: not connected */
	pid_t		 pid;		/* the process that opened mysql */
	int		 aborting;	/* the deadline passed: fail all waits */
	int		 steps;		/* waits failed since aborting */

	struct vt_backoff backoff;	/* no connect before backoff.next_at */
	enum vt_db_err	 fail_cat;	/* what started the back-off */
};

/* The state of one call, for the helpers below. */
struct db_call {
	enum vt_db_err	 cat;
	char		*err;
	size_t		 errlen;
};

static int	db_wait(struct vt_db *, int, int64_t);
static void	db_abort_io(struct vt_db *);
static void	db_drop(struct vt_db *);
static void	db_abandon(struct vt_db *);
static void	db_fail(struct vt_db *, enum vt_db_err);
static enum vt_db_err db_categorize(unsigned int);
static int	db_is_fatal(unsigned int);
static void	db_seterr(struct db_call *, enum vt_db_err, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	db_driver_err(struct vt_db *, struct db_call *, const char *);
static int	db_ensure(struct vt_db *, int64_t, struct db_call *, int *,
		    int *);
static int	db_connect(struct vt_db *, int64_t, struct db_call *);
static int	db_send(struct vt_db *, const char *, int64_t,
		    struct db_call *);
static int	db_rows(struct vt_db *, int64_t, vt_db_row_fn, void *,
		    uint64_t *, struct db_call *);
static int	db_finish(struct vt_db *, int, const char *, int64_t,
		    struct db_call *);
static void	db_out(const struct db_call *, enum vt_db_err *);

/*
 * Run a suspended driver call to its end: "cont" is the foo_cont() call,
 * reading and assigning "st".  After the deadline each wait fails at once;
 * the loop gives up after DB_ABORT_STEPS such waits, leaving st non-zero.
 */
#define DB_DRIVE(db, st, deadline, cont)				\
	do {								\
		while ((st) != 0) {					\
			if ((db)->aborting &&				\
			    ++(db)->steps > DB_ABORT_STEPS)		\
				break;					\
			(st) = db_wait((db), (st), (deadline));		\
			(st) = (cont);					\
		}							\
	} while (0)

const char *
vt_db_err_name(enum vt_db_err err)
{
	switch (err) {
	case VT_DB_OK:
		return "ok";
	case VT_DB_TIMEOUT:
		return "timeout";
	case VT_DB_UNREACHABLE:
		return "unreachable";
	case VT_DB_AUTH:
		return "auth";
	case VT_DB_SCHEMA:
		return "schema";
	case VT_DB_ERROR:
		break;
	}
	return "error";
}

int64_t
vt_db_deadline(int timeout_ms)
{
	return vt_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
}

struct vt_db *
vt_db_open(const char *option_file, const char *group)
{
	struct vt_db	*db;

	if (group == NULL)
		group = VT_DB_GROUP;
	if (option_file == NULL || *option_file == '\0' ||
	    strlen(option_file) >= VT_PATH_LEN || *group == '\0' ||
	    strlen(group) >= DB_GROUP_LEN)
		return NULL;
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	strcpy(db->option_file, option_file);
	strcpy(db->group, group);
	vt_backoff_init(&db->backoff, VT_DB_BACKOFF_BASE_MS,
	    VT_DB_BACKOFF_CAP_MS, 1);
	db->fail_cat = VT_DB_OK;
	return db;
}

void
vt_db_set_backoff(struct vt_db *db, int base_ms, int cap_ms)
{
	vt_backoff_set(&db->backoff, base_ms, cap_ms);
}

int64_t
vt_db_retry_in_ms(const struct vt_db *db, enum vt_db_err *why)
{
	int64_t	left = vt_backoff_left(&db->backoff, vt_mono_ms());

	if (why != NULL)
		*why = left > 0 ? db->fail_cat : VT_DB_OK;
	return left > 0 ? left : 0;
}

int
vt_db_connected(const struct vt_db *db)
{
	return db->mysql != NULL && db->pid == getpid();
}

/*
 * Wait for the events the driver asked for in "status", until the
 * deadline, or the driver's own timeout if an option file set one and it
 * comes first (either is a server that did not answer in time).  Returns
 * the events to resume with.  Past the time, shuts the socket down and
 * returns MYSQL_WAIT_TIMEOUT, now and on every later call until the
 * connection is dropped.
 */
static int
db_wait(struct vt_db *db, int status, int64_t deadline)
{
	struct pollfd	pfd;
	int64_t		now, until, lib_until = -1;
	int		fd, n, ev;

	if (db->aborting)
		return MYSQL_WAIT_TIMEOUT;
	fd = (int)mysql_get_socket(db->mysql);
	now = vt_mono_ms();
	if (status & MYSQL_WAIT_TIMEOUT)
		lib_until = now +
		    (int64_t)mysql_get_timeout_value_ms(db->mysql);
	pfd.fd = fd;
	pfd.events = 0;
	if (status & MYSQL_WAIT_READ)
		pfd.events |= POLLIN;
	if (status & MYSQL_WAIT_WRITE)
		pfd.events |= POLLOUT;
	if (status & MYSQL_WAIT_EXCEPT)
		pfd.events |= POLLPRI;
	for (;;) {
		until = deadline;
		if (lib_until >= 0 && lib_until < until)
			until = lib_until;
		if (now >= until)
			break;
		pfd.revents = 0;
		n = poll(&pfd, fd >= 0 && pfd.events != 0 ? 1 : 0,
		    until - now > INT_MAX ? INT_MAX : (int)(until - now));
		if (n > 0) {
			ev = 0;
			if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
				ev |= MYSQL_WAIT_READ;
			if (pfd.revents & (POLLOUT | POLLHUP | POLLERR))
				ev |= MYSQL_WAIT_WRITE;
			if (pfd.revents & POLLPRI)
				ev |= MYSQL_WAIT_EXCEPT;
			if (pfd.revents & POLLNVAL)
				break;
			ev &= status;
			return ev != 0 ? ev : status & ~MYSQL_WAIT_TIMEOUT;
		}
		if (n == -1 && errno != EINTR)
			break;
		now = vt_mono_ms();
	}
	db_abort_io(db);
	return MYSQL_WAIT_TIMEOUT;
}

/*
 * From now on every wait of this connection fails at once.  The socket is
 * shut down (not closed: the driver owns the descriptor) so that nothing
 * the driver does next, COM_QUIT included, can block on a hung server.
 */
static void
db_abort_io(struct vt_db *db)
{
	int	fd;

	db->aborting = 1;
	db->steps = 0;
	if (db->mysql == NULL || db->pid != getpid())
		return;
	fd = (int)mysql_get_socket(db->mysql);
	if (fd >= 0)
		(void)shutdown(fd, SHUT_RDWR);
}

/*
 * Forget a handle we must not touch: inherited from the parent (its
 * socket is the parent's session too: no shutdown, no COM_QUIT), or stuck
 * in a call that never unwound.  Our copy of the descriptor is closed and
 * the handle's memory is leaked, once.
 */
static void
db_abandon(struct vt_db *db)
{
	int	fd;

	if (db->mysql == NULL)
		return;
	fd = (int)mysql_get_socket(db->mysql);
	if (fd >= 0)
		(void)close(fd);
	db->mysql = NULL;
	db->aborting = 0;
	db->steps = 0;
}

/* Close the connection without waiting for the server. */
static void
db_drop(struct vt_db *db)
{
	int	st;

	if (db->mysql == NULL)
		return;
	if (db->pid != getpid()) {
		db_abandon(db);
		return;
	}
	db_abort_io(db);
	st = mysql_close_start(db->mysql);
	DB_DRIVE(db, st, 0, mysql_close_cont(db->mysql, st));
	if (st != 0) {
		db_abandon(db);
		return;
	}
	db->mysql = NULL;
	db->aborting = 0;
	db->steps = 0;
}

void
vt_db_disconnect(struct vt_db *db)
{
	if (db != NULL)
		db_drop(db);
}

void
vt_db_close(struct vt_db *db)
{
	int	st;

	if (db == NULL)
		return;
	if (db->mysql != NULL && db->pid == getpid() && !db->aborting) {
		/* A polite COM_QUIT, if the server takes it quickly. */
		st = mysql_close_start(db->mysql);
		DB_DRIVE(db, st, vt_db_deadline(DB_QUIT_MS),
		    mysql_close_cont(db->mysql, st));
		if (st == 0)
			db->mysql = NULL;
		else
			db_abandon(db);
	}
	db_drop(db);
	free(db);
}

/*
 * A connect failed (or a server stopped answering): no new connect before
 * a wait drawn from [d/2, d], where d doubles per failure up to the cap.
 */
static void
db_fail(struct vt_db *db, enum vt_db_err cat)
{
	(void)vt_backoff_fail(&db->backoff, vt_mono_ms());
	db->fail_cat = cat;
}

/* What an error number means to a client. */
static enum vt_db_err
db_categorize(unsigned int e)
{
	switch (e) {
	case CR_SOCKET_CREATE_ERROR:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_IPSOCK_ERROR:
	case CR_UNKNOWN_HOST:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_HANDSHAKE_ERR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_ERR_NET_READ:
	case CR_ERR_NET_WRITE:
	case ER_CON_COUNT_ERROR:
	case ER_TOO_MANY_USER_CONNECTIONS:
	case ER_SERVER_SHUTDOWN:
	case ER_CONNECTION_KILLED:
	case ER_HANDSHAKE_ERROR:
		return VT_DB_UNREACHABLE;
	case ER_ACCESS_DENIED_ERROR:
	case ER_DBACCESS_DENIED_ERROR:
	case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
	case ER_TABLEACCESS_DENIED_ERROR:
	case ER_COLUMNACCESS_DENIED_ERROR:
	case ER_SPECIFIC_ACCESS_DENIED_ERROR:
	case ER_HOST_IS_BLOCKED:
	case ER_HOST_NOT_PRIVILEGED:
	case ER_ACCOUNT_HAS_BEEN_LOCKED:
	case ER_MUST_CHANGE_PASSWORD:
	case CR_AUTH_PLUGIN_CANNOT_LOAD:
	case CR_AUTH_PLUGIN_ERR:
		return VT_DB_AUTH;
	case ER_BAD_DB_ERROR:
	case ER_NO_SUCH_TABLE:
	case ER_BAD_FIELD_ERROR:
		return VT_DB_SCHEMA;
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_STATEMENT_TIMEOUT:
		return VT_DB_TIMEOUT;
	}
	return VT_DB_ERROR;
}

/* 1 when the error leaves the connection unusable. */
static int
db_is_fatal(unsigned int e)
{
	return (e >= CR_MIN_ERROR && e <= CR_MAX_ERROR) ||
	    (e >= CER_MIN_ERROR && e <= CR_MARIADB_LAST_ERROR) ||
	    e == ER_CONNECTION_KILLED || e == ER_SERVER_SHUTDOWN;
}

static void
db_seterr(struct db_call *c, enum vt_db_err cat, const char *fmt, ...)
{
	va_list	ap;

	c->cat = cat;
	if (c->err == NULL || c->errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

/* Record the driver's error for "what"; drop the connection if it broke. */
static int
db_driver_err(struct vt_db *db, struct db_call *c, const char *what)
{
	unsigned int	e = mysql_errno(db->mysql);

	db_seterr(c, db_categorize(e), "%s: %s (%u)", what,
	    mysql_error(db->mysql), e);
	if (e == 0)
		c->cat = VT_DB_ERROR;
	if (e == 0 || db_is_fatal(e))
		db_drop(db);
	return VT_ERR;
}

/*
 * After a driver call: "st" is its last status (non-zero: it never
 * unwound), "failed" its result.  A deadline that passed makes a timeout,
 * drops the connection and starts the back-off: a server that stopped
 * answering is not asked again at once.
 */
static int
db_finish(struct vt_db *db, int failed, const char *what, int64_t budget,
    struct db_call *c)
{
	if (db->aborting) {
		db_seterr(c, VT_DB_TIMEOUT,
		    "%s: no answer within the deadline (%lld ms)", what,
		    (long long)budget);
		if (db->steps > DB_ABORT_STEPS)
			db_abandon(db);
		else
			db_drop(db);
		db_fail(db, VT_DB_TIMEOUT);
		return VT_ERR;
	}
	if (failed)
		return db_driver_err(db, c, what);
	return VT_OK;
}

static int
db_connect(struct vt_db *db, int64_t deadline, struct db_call *c)
{
	MYSQL		*ret = NULL;
	unsigned int	 off = 0;
	int64_t		 now = vt_mono_ms();
	int		 st;

	if (now >= deadline) {
		db_seterr(c, VT_DB_TIMEOUT, "connect: no time left");
		return VT_ERR;
	}
	if (access(db->option_file, R_OK) == -1) {
		db_seterr(c, VT_DB_ERROR, "connect: option file %s: %s",
		    db->option_file, strerror(errno));
		db_fail(db, VT_DB_ERROR);
		return VT_ERR;
	}
	if ((db->mysql = mysql_init(NULL)) == NULL) {
		db_seterr(c, VT_DB_ERROR, "connect: out of memory");
		db_fail(db, VT_DB_ERROR);
		return VT_ERR;
	}
	db->pid = getpid();
	db->aborting = 0;
	db->steps = 0;
	/* Defaults first: the option file, read at connect, overrides. */
	if (mysql_options(db->mysql, MYSQL_OPT_NONBLOCK, 0) != 0 ||
	    mysql_options(db->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
	    mysql_options(db->mysql, MYSQL_OPT_LOCAL_INFILE, &off) != 0 ||
	    mysql_options(db->mysql, MYSQL_READ_DEFAULT_FILE,
		db->option_file) != 0 ||
	    mysql_options(db->mysql, MYSQL_READ_DEFAULT_GROUP,
		db->group) != 0) {
		db_seterr(c, VT_DB_ERROR, "connect: cannot set options");
		db_drop(db);
		db_fail(db, VT_DB_ERROR);
		return VT_ERR;
	}
	/* Host, user, password, database, port, socket: the option file's. */
	st = mysql_real_connect_start(&ret, db->mysql, NULL, NULL, NULL, NULL,
	    0, NULL, 0);
	DB_DRIVE(db, st, deadline,
	    mysql_real_connect_cont(&ret, db->mysql, st));
	if (db->aborting)
		return db_finish(db, 1, "connect", deadline - now, c);
	if (ret == NULL) {
		unsigned int	e = mysql_errno(db->mysql);

		db_seterr(c, db_categorize(e), "connect: %s (%u)",
		    mysql_error(db->mysql), e);
		if (e == 0)
			c->cat = VT_DB_ERROR;
		db_drop(db);
		db_fail(db, c->cat);
		return VT_ERR;
	}
	vt_backoff_reset(&db->backoff);
	db->fail_cat = VT_DB_OK;
	return VT_OK;
}

/*
 * Make sure there is a connection to use: abandon one inherited across
 * fork, drop one the server closed while it sat idle (an idle connection
 * has nothing to read: EOF or an error packet means it is gone), connect
 * unless in back-off.  *backoff says the answer came from the back-off,
 * *reused that an existing connection is kept.
 */
static int
db_ensure(struct vt_db *db, int64_t deadline, struct db_call *c,
    int *backoff, int *reused)
{
	struct pollfd	pfd;
	int64_t		left;

	*backoff = 0;
	*reused = 0;
	if (db->mysql != NULL && db->pid != getpid())
		db_abandon(db);
	if (db->mysql != NULL) {
		pfd.fd = (int)mysql_get_socket(db->mysql);
		pfd.events = POLLIN | POLLRDHUP;
		pfd.revents = 0;
		if (pfd.fd >= 0 && poll(&pfd, 1, 0) == 0) {
			*reused = 1;
			return VT_OK;
		}
		db_drop(db);
	}
	if ((left = vt_db_retry_in_ms(db, NULL)) > 0) {
		*backoff = 1;
		db_seterr(c, db->fail_cat,
		    "connect: in back-off after %s, next attempt in %lld ms",
		    vt_db_err_name(db->fail_cat), (long long)left);
		return VT_ERR;
	}
	return db_connect(db, deadline, c);
}

static void
db_out(const struct db_call *c, enum vt_db_err *cat)
{
	if (cat != NULL)
		*cat = c->cat;
}

int
vt_db_connect(struct vt_db *db, int64_t deadline, enum vt_db_err *cat,
    char *err, size_t errlen)
{
	struct db_call	c = { VT_DB_OK, err, errlen };
	int		backoff, reused, rc;

	rc = db_ensure(db, deadline, &c, &backoff, &reused);
	db_out(&c, cat);
	return rc;
}

/* Send one statement and read its status (not its rows). */
static int
db_send(struct vt_db *db, const char *sql, int64_t deadline,
    struct db_call *c)
{
	int64_t	start = vt_mono_ms();
	int	st, ret = 0;

	st = mysql_real_query_start(&ret, db->mysql, sql,
	    (unsigned long)strlen(sql));
	DB_DRIVE(db, st, deadline,
	    mysql_real_query_cont(&ret, db->mysql, st));
	return db_finish(db, ret != 0, "query", deadline - start, c);
}

/*
 * Read the rows of the statement just sent, one at a time, handing each
 * to fn (may be NULL: discard).  Rows a caller did not want are not read:
 * the connection is dropped instead, which is faster than draining them.
 */
static int
db_rows(struct vt_db *db, int64_t deadline, vt_db_row_fn fn, void *arg,
    uint64_t *nrows, struct db_call *c)
{
	MYSQL_RES	*res;
	MYSQL_ROW	 row = NULL;
	unsigned int	 ncols;
	uint64_t	 n = 0;
	int64_t		 start = vt_mono_ms();
	int		 st, stop = 0, rc = VT_OK;

	if (nrows != NULL)
		*nrows = 0;
	if ((res = mysql_use_result(db->mysql)) == NULL) {
		if (mysql_field_count(db->mysql) == 0)
			return VT_OK;	/* no result set */
		return db_driver_err(db, c, "result");
	}
	ncols = mysql_num_fields(res);
	for (;;) {
		st = mysql_fetch_row_start(&row, res);
		DB_DRIVE(db, st, deadline,
		    mysql_fetch_row_cont(&row, res, st));
		if (db->aborting || row == NULL)
			break;
		n++;
		if (fn != NULL && fn(arg, ncols, row,
		    mysql_fetch_lengths(res)) != 0) {
			stop = 1;
			break;
		}
	}
	if (nrows != NULL)
		*nrows = n;
	if (db->aborting) {
		mysql_free_result(res);	/* its socket is shut: no wait */
		return db_finish(db, 1, "fetch", deadline - start, c);
	}
	if (stop) {
		/* Freeing would read the rest: cut the connection first. */
		db_abort_io(db);
		mysql_free_result(res);
		db_drop(db);
		return VT_OK;
	}
	/* The last fetch ended the result (or failed): freeing reads none. */
	mysql_free_result(res);
	if (mysql_errno(db->mysql) != 0)
		rc = db_driver_err(db, c, "fetch");
	return rc;
}

int
vt_db_exec(struct vt_db *db, const char *sql, int64_t deadline,
    uint64_t *affected, enum vt_db_err *cat, char *err, size_t errlen)
{
	struct db_call	c = { VT_DB_OK, err, errlen };
	int		backoff, reused, rc = VT_ERR;
	my_ulonglong	n;

	if (affected != NULL)
		*affected = 0;
	if (db_ensure(db, deadline, &c, &backoff, &reused) == VT_ERR ||
	    db_send(db, sql, deadline, &c) == VT_ERR)
		goto end;
	if (mysql_field_count(db->mysql) != 0) {
		if (db_rows(db, deadline, NULL, NULL, NULL, &c) == VT_OK)
			db_seterr(&c, VT_DB_ERROR,
			    "exec: the statement returned rows");
		goto end;
	}
	n = mysql_affected_rows(db->mysql);
	if (affected != NULL && n != (my_ulonglong)-1)
		*affected = (uint64_t)n;
	rc = VT_OK;
end:
	db_out(&c, cat);
	return rc;
}

int
vt_db_query(struct vt_db *db, const char *sql, int64_t deadline,
    vt_db_row_fn fn, void *arg, uint64_t *nrows, enum vt_db_err *cat,
    char *err, size_t errlen)
{
	struct db_call	c = { VT_DB_OK, err, errlen };
	int		backoff, reused, rc = VT_ERR;

	if (nrows != NULL)
		*nrows = 0;
	if (db_ensure(db, deadline, &c, &backoff, &reused) == VT_OK &&
	    db_send(db, sql, deadline, &c) == VT_OK)
		rc = db_rows(db, deadline, fn, arg, nrows, &c);
	db_out(&c, cat);
	return rc;
}

struct db_probe_row {
	int		seen;
	long long	us;
	long long	version;
};

static int
db_probe_row(void *arg, unsigned int ncols, char **row,
    const unsigned long *lens)
{
	struct db_probe_row	*p = arg;
	char			*end;

	(void)lens;
	if (ncols != 2 || row[0] == NULL)
		return 1;
	errno = 0;
	p->us = strtoll(row[0], &end, 10);
	if (errno != 0 || *end != '\0')
		return 1;
	p->version = -1;
	if (row[1] != NULL) {
		p->version = strtoll(row[1], &end, 10);
		if (errno != 0 || *end != '\0')
			return 1;
	}
	p->seen = 1;
	return 0;
}

int
vt_db_probe(struct vt_db *db, int timeout_ms, struct vt_db_probe *out,
    char *err, size_t errlen)
{
	struct db_call		c = { VT_DB_OK, err, errlen };
	struct db_probe_row	p;
	double			t0 = (double)vt_mono_us() / 1000.0;
	int64_t			deadline = vt_db_deadline(timeout_ms);
	int			attempt, backoff = 0, reused = 0, rc;

	memset(out, 0, sizeof(*out));
	out->schema_version = -1;
	if (err != NULL && errlen > 0)
		*err = '\0';
	for (attempt = 0; attempt < 2; attempt++) {
		memset(&p, 0, sizeof(p));
		if ((rc = db_ensure(db, deadline, &c, &backoff,
		    &reused)) == VT_ERR)
			break;
		if ((rc = db_send(db, DB_PROBE_SQL, deadline, &c)) == VT_OK)
			rc = db_rows(db, deadline, db_probe_row, &p, NULL, &c);
		/*
		 * A connection that sat idle may have died with the server
		 * (a restart): that says nothing about the server now, so
		 * try once more, on a new connection, within the deadline.
		 */
		if (rc == VT_OK || !reused || c.cat != VT_DB_UNREACHABLE ||
		    db->mysql != NULL)
			break;
	}
	out->backoff = backoff;
	if (rc == VT_OK && !p.seen) {
		rc = VT_ERR;
		db_seterr(&c, VT_DB_ERROR, "probe: unexpected result");
		db_drop(db);
	}
	if (rc == VT_OK) {
		out->db_time = (double)p.us / 1e6;
		out->schema_version = p.version > INT_MAX ? INT_MAX :
		    (int)p.version;
		if (p.version < VT_DB_SCHEMA_VERSION) {
			rc = VT_ERR;
			db_seterr(&c, VT_DB_SCHEMA,
			    "probe: schema version %lld, this binary needs %d",
			    p.version, VT_DB_SCHEMA_VERSION);
		} else
			c.cat = VT_DB_OK;
	}
	out->status = rc == VT_OK ? VT_DB_OK : c.cat;
	out->latency_ms = (double)vt_mono_us() / 1000.0 - t0;
	return out->status == VT_DB_OK ? VT_OK : VT_ERR;
}

int
vt_db_prune(struct vt_db *db, int64_t now_epoch, unsigned int batch,
    int64_t deadline, uint64_t *deleted, enum vt_db_err *cat, char *err,
    size_t errlen)
{
	char		sql[160];
	uint64_t	n, total = 0;
	size_t		i;
	int		rc = VT_OK;

	if (cat != NULL)
		*cat = VT_DB_OK;
	if (batch == 0)
		batch = 1;
	for (i = 0; i < VT_ARRAY_LEN(db_retention) && rc == VT_OK; i++) {
		snprintf(sql, sizeof(sql),
		    "DELETE FROM %s WHERE ts < %lld ORDER BY ts LIMIT %u",
		    db_retention[i].table,
		    (long long)(now_epoch - db_retention[i].keep_s), batch);
		do {
			if (vt_mono_ms() >= deadline)
				goto end;	/* the next call goes on */
			n = 0;
			rc = vt_db_exec(db, sql, deadline, &n, cat, err,
			    errlen);
			total += n;
		} while (rc == VT_OK && n >= batch);
	}
end:
	if (deleted != NULL)
		*deleted = total;
	return rc;
}

int
vt_db_escape(struct vt_db *db, char *dst, size_t dstlen, const char *src,
    size_t len)
{
	if (!vt_db_connected(db) || len > (ULONG_MAX - 1) / 2 ||
	    dstlen < 2 * len + 1)
		return VT_ERR;
	mysql_real_escape_string(db->mysql, dst, src, (unsigned long)len);
	return VT_OK;
}

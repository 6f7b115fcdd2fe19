/*
 * db-t.c: app/db.c against real sockets and, when one is given, a real
 * MariaDB.  No mocks: the "hung" server is a child process that accepts
 * connections and never says a word; the "dead" ones are paths and ports
 * where nothing listens.
 *
 * With VT_TEST_MYSQL_OPTFILE (an option file for a running MariaDB whose
 * user may create databases and users; group VT_TEST_MYSQL_GROUP, default
 * "vitals"), the tests also run against it in scratch databases named
 * vt_test_<pid>*, which they drop; without it those tests are skipped.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vitals.h"
#include "db.h"
#include "migrate.h"
#include "hung.h"
#include "tap.h"

#define TIMEOUT_MS	300
#define SLACK_MS	100
/*
 * "Unreachable at once" is asserted as "before the deadline": the defect
 * it guards against is a probe that waits its whole deadline on a server
 * that is not there.  A fixed 100 ms bound also measured the machine: the
 * first connect of the process under ASan took 150-175 ms with the load
 * at 8-18 on two cores.
 */

static char	tmpdir[VT_PATH_LEN];
static int	accepted;	/* connections the hung server took */
static int	accept_pipe = -1;

static void
write_file(const char *path, const char *fmt, ...)
{
	va_list	ap;
	FILE   *f;
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL)
		bail("cannot write %s: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) != 0)
		bail("cannot write %s: %s", path, strerror(errno));
}

static void
tmp_path(char *dst, size_t len, const char *name)
{
	if ((size_t)snprintf(dst, len, "%s/%s", tmpdir, name) >= len)
		bail("path too long");
}

/* Connections the hung server took (hung.h), after 50 ms to settle. */
static int
count_accepts(void)
{
	return hung_accepts(accept_pipe, &accepted, 50);
}

static double
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
real_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_names(void)
{
	is_str(vt_db_err_name(VT_DB_OK), "ok", "name of ok");
	is_str(vt_db_err_name(VT_DB_TIMEOUT), "timeout", "name of timeout");
	is_str(vt_db_err_name(VT_DB_UNREACHABLE), "unreachable",
	    "name of unreachable");
	is_str(vt_db_err_name(VT_DB_AUTH), "auth", "name of auth");
	is_str(vt_db_err_name(VT_DB_SCHEMA), "schema", "name of schema");
	is_str(vt_db_err_name(VT_DB_ERROR), "error", "name of error");
	is_str(vt_db_err_name((enum vt_db_err)99), "error",
	    "name of an unknown value");
	ok(vt_db_open(NULL, NULL) == NULL, "open without an option file");
	ok(vt_db_open("", NULL) == NULL, "open with an empty option file");
}

/* (b) Nothing listens: unreachable at once, then the back-off answers. */
static void
test_unreachable(void)
{
	struct vt_db_probe	 pr;
	struct vt_db		*db;
	char			 cnf[VT_PATH_LEN], sock[VT_PATH_LEN];
	char			 err[VT_ERRLEN];
	enum vt_db_err		 why;
	double			 t;
	int			 fd, port;
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);

	/* A socket path with no file at all. */
	tmp_path(sock, sizeof(sock), "absent.sock");
	tmp_path(cnf, sizeof(cnf), "absent.cnf");
	write_file(cnf, "[vitals]\nsocket=%s\nuser=nobody\n", sock);
	if ((db = vt_db_open(cnf, NULL)) == NULL)
		bail("vt_db_open");
	t = mono_ms();
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	t = mono_ms() - t;
	is_str(vt_db_err_name(pr.status), "unreachable",
	    "no socket file: unreachable");
	ok(t < TIMEOUT_MS, "no socket file: answered before the deadline, "
	    "in %.1f ms", t);
	is_int(pr.backoff, 0, "no socket file: a real attempt");
	ok(strstr(err, "absent.sock") != NULL, "the driver's text is in err");
	diag("err: %s", err);

	/* (c) Right after: the back-off answers, without a connect. */
	t = mono_ms();
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	t = mono_ms() - t;
	is_str(vt_db_err_name(pr.status), "unreachable",
	    "in back-off: still unreachable");
	is_int(pr.backoff, 1, "in back-off: answered from it");
	ok(t < 5, "in back-off: answered in %.3f ms", t);
	ok(vt_db_retry_in_ms(db, &why) > 0 && why == VT_DB_UNREACHABLE,
	    "the back-off says when and why");
	vt_db_close(db);

	/* A socket file whose listener is gone: refused. */
	tmp_path(sock, sizeof(sock), "gone.sock");
	tmp_path(cnf, sizeof(cnf), "gone.cnf");
	close(hung_listener(sock));
	write_file(cnf, "[vitals]\nsocket=%s\nuser=nobody\n", sock);
	if ((db = vt_db_open(cnf, NULL)) == NULL)
		bail("vt_db_open");
	t = mono_ms();
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	t = mono_ms() - t;
	is_str(vt_db_err_name(pr.status), "unreachable",
	    "dead socket: unreachable");
	ok(t < TIMEOUT_MS, "dead socket: answered before the deadline, "
	    "in %.1f ms", t);
	vt_db_close(db);

	/* A TCP port on loopback where nothing listens. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) == -1)
		bail("tcp port: %s", strerror(errno));
	port = ntohs(sin.sin_port);
	close(fd);
	tmp_path(cnf, sizeof(cnf), "tcp.cnf");
	write_file(cnf, "[vitals]\nhost=127.0.0.1\nport=%d\nprotocol=tcp\n"
	    "user=nobody\n", port);
	if ((db = vt_db_open(cnf, NULL)) == NULL)
		bail("vt_db_open");
	t = mono_ms();
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	t = mono_ms() - t;
	is_str(vt_db_err_name(pr.status), "unreachable",
	    "closed TCP port: unreachable");
	ok(t < TIMEOUT_MS, "closed TCP port: answered before the deadline, "
	    "in %.1f ms", t);
	vt_db_close(db);

	/* An option file that cannot be read is our error, not the DB's. */
	tmp_path(cnf, sizeof(cnf), "missing.cnf");
	if ((db = vt_db_open(cnf, NULL)) == NULL)
		bail("vt_db_open");
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "error",
	    "unreadable option file: error");
	vt_db_close(db);
}

/* (a) and (c): a server that accepts and never answers. */
static void
test_hung(void)
{
	struct vt_db_probe	 pr;
	struct vt_db		*db;
	char			 cnf[VT_PATH_LEN], sock[VT_PATH_LEN];
	char			 err[VT_ERRLEN];
	enum vt_db_err		 cat;
	int64_t			 wait;
	double			 t;
	pid_t			 pid;
	int			 status;

	tmp_path(sock, sizeof(sock), "hung.sock");
	tmp_path(cnf, sizeof(cnf), "hung.cnf");
	pid = hung_server(sock, &accept_pipe);
	write_file(cnf, "[vitals]\nsocket=%s\nuser=nobody\npassword=x\n",
	    sock);
	if ((db = vt_db_open(cnf, NULL)) == NULL)
		bail("vt_db_open");
	vt_db_set_backoff(db, 200, 400);

	t = mono_ms();
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	t = mono_ms() - t;
	wait = vt_db_retry_in_ms(db, NULL);
	is_str(vt_db_err_name(pr.status), "timeout", "hung server: timeout");
	ok(t >= TIMEOUT_MS - 5 && t <= TIMEOUT_MS + SLACK_MS,
	    "hung server: answered in %.1f ms (deadline %d ms)", t,
	    TIMEOUT_MS);
	ok(pr.latency_ms >= TIMEOUT_MS - 5 &&
	    pr.latency_ms <= TIMEOUT_MS + SLACK_MS,
	    "latency_ms is the time spent (%.1f)", pr.latency_ms);
	ok(!vt_db_connected(db), "the timed-out connection is gone");
	diag("err: %s", err);

	/* (c) The next calls, at once, do not touch the server. */
	t = mono_ms();
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	t = mono_ms() - t;
	is_int(vt_db_connect(db, vt_db_deadline(TIMEOUT_MS), &cat, err,
	    sizeof(err)), VT_ERR, "in back-off: connect fails too");
	is_str(vt_db_err_name(pr.status), "timeout",
	    "in back-off: the category that started it");
	is_int(pr.backoff, 1, "in back-off: answered from it");
	ok(t < 5, "in back-off: answered in %.3f ms", t);
	is_int(count_accepts(), 1, "one connection in all");

	/* The first wait is in [base/2, base]; the next one doubles. */
	ok(wait >= 95 && wait <= 200, "first back-off in [100, 200] ms (%lld)",
	    (long long)wait);
	wait = vt_db_retry_in_ms(db, NULL);
	usleep((useconds_t)(wait + 10) * 1000);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	wait = vt_db_retry_in_ms(db, NULL);
	is_int(pr.backoff, 0, "after the back-off: a real attempt");
	is_str(vt_db_err_name(pr.status), "timeout",
	    "after the back-off: timeout again");
	is_int(count_accepts(), 2, "after the back-off: one more connection");
	ok(wait >= 195 && wait <= 400, "second back-off in [200, 400] ms "
	    "(%lld)", (long long)wait);

	/* A deadline already past: no connect at all. */
	usleep((useconds_t)(vt_db_retry_in_ms(db, NULL) + 10) * 1000);
	is_int(vt_db_connect(db, vt_db_deadline(0), &cat, err, sizeof(err)),
	    VT_ERR, "no time left: fails");
	is_str(vt_db_err_name(cat), "timeout", "no time left: timeout");
	is_int(count_accepts(), 2, "no time left: no connection");

	/* A statement waits for the connect the same way. */
	t = mono_ms();
	is_int(vt_db_exec(db, "DO 1", vt_db_deadline(TIMEOUT_MS), NULL, &cat,
	    err, sizeof(err)), VT_ERR, "exec on the hung server fails");
	t = mono_ms() - t;
	is_str(vt_db_err_name(cat), "timeout", "exec: timeout");
	ok(t <= TIMEOUT_MS + SLACK_MS, "exec: in %.1f ms", t);

	vt_db_close(db);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(accept_pipe);
}

/* ---- against a real MariaDB ---------------------------------------- */

static const char *my_optfile;
static const char *my_group;
static char	   my_db[64], my_user[64], my_pw[64], my_badpw[64];

static int
admin_exec(struct vt_db *admin, const char *fmt, ...)
{
	char		sql[1024], err[VT_ERRLEN];
	va_list		ap;
	enum vt_db_err	cat;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (vt_db_exec(admin, sql, vt_db_deadline(10000), NULL, &cat, err,
	    sizeof(err)) == VT_ERR) {
		diag("%s: %s", sql, err);
		return VT_ERR;
	}
	return VT_OK;
}

/* An option file: the given one, then our settings for the group. */
static void
my_cnf(const char *name, char *path, size_t len, const char *extra)
{
	tmp_path(path, len, name);
	write_file(path, "!include %s\n[%s]\n%s", my_optfile, my_group,
	    extra);
}

struct one_value {
	char	v[128];
	int	n;
};

static int
one_value(void *arg, unsigned int ncols, char **row, const unsigned long *l)
{
	struct one_value	*o = arg;

	(void)l;
	if (ncols > 0)
		snprintf(o->v, sizeof(o->v), "%s", row[0] ? row[0] : "NULL");
	o->n++;
	return 0;
}

static const char *
value_of(struct vt_db *db, const char *sql, struct one_value *o)
{
	char		err[VT_ERRLEN];
	enum vt_db_err	cat;

	memset(o, 0, sizeof(*o));
	if (vt_db_query(db, sql, vt_db_deadline(5000), one_value, o, NULL,
	    &cat, err, sizeof(err)) == VT_ERR) {
		diag("%s: %s", sql, err);
		snprintf(o->v, sizeof(o->v), "(error %s)",
		    vt_db_err_name(cat));
	}
	return o->v;
}

static int
stop_after_three(void *arg, unsigned int ncols, char **row,
    const unsigned long *l)
{
	int	*n = arg;

	(void)ncols;
	(void)row;
	(void)l;
	return ++*n >= 3;
}

static const char *
sql_dir(void)
{
	static char	dir[VT_PATH_LEN];
	const char     *s = getenv("VT_SRCDIR");

	if (s == NULL || *s == '\0')
		s = getenv("srcdir");
	snprintf(dir, sizeof(dir), "%s/sql", s != NULL && *s ? s : ".");
	return dir;
}

static void
test_real_probe(struct vt_db *admin)
{
	struct vt_db_probe	 pr;
	struct vt_db		*db;
	struct one_value	 o;
	char			 cnf[VT_PATH_LEN], extra[1024];
	char			 err[VT_ERRLEN];
	const char		*name;
	enum vt_db_err		 cat;
	double			 t, now;
	uint64_t		 n;
	int			 rc, stopped = 0;

	/* The runtime user, with grants.sql's rights on the scratch db. */
	snprintf(extra, sizeof(extra), "user=%s\npassword=%s\ndatabase=%s\n",
	    my_user, my_pw, my_db);
	my_cnf("runtime.cnf", cnf, sizeof(cnf), extra);
	if ((db = vt_db_open(cnf, my_group)) == NULL)
		bail("vt_db_open");
	now = real_s();
	rc = vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	if (!is_str(vt_db_err_name(pr.status), "ok", "real probe: ok"))
		diag("err: %s", err);
	is_int(rc, VT_OK, "real probe: VT_OK");
	ok(fabs(pr.db_time - now) < 1.0, "DB time %.6f within 1 s of ours "
	    "%.6f", pr.db_time, now);
	is_int(pr.schema_version, VT_DB_SCHEMA_VERSION,
	    "real probe: schema version");
	ok(pr.latency_ms > 0 && pr.latency_ms < TIMEOUT_MS,
	    "real probe: latency %.3f ms", pr.latency_ms);
	ok(vt_db_connected(db), "the connection stays open");
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "ok", "a second probe reuses it");

	/* The runtime rights are enough for the recorder and retention. */
	now = (double)time(NULL);
	rc = vt_db_exec(db, "INSERT INTO samples_10s VALUES ('t1', 100, 10, "
	    "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22) "
	    "ON DUPLICATE KEY UPDATE samples = VALUES(samples)",
	    vt_db_deadline(5000), &n, &cat, err, sizeof(err));
	ok(rc == VT_OK && n == 1, "insert as the runtime user (%s)",
	    rc == VT_OK ? "ok" : err);
	rc = vt_db_exec(db, "INSERT INTO samples_10s VALUES ('t1', 100, 9, "
	    "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22) "
	    "ON DUPLICATE KEY UPDATE samples = VALUES(samples)",
	    vt_db_deadline(5000), &n, &cat, err, sizeof(err));
	ok(rc == VT_OK && n == 2, "the upsert updates (affected %llu)",
	    (unsigned long long)n);
	snprintf(extra, sizeof(extra), "INSERT INTO samples_10s (host, ts, "
	    "samples, cpu_percent_avg, cpu_percent_max, load1_avg, load1_max,"
	    " mem_used_bytes_avg, mem_used_bytes_max, mem_available_bytes_avg,"
	    " mem_available_bytes_min, swap_used_bytes_avg, swap_used_bytes_max,"
	    " net_rx_bytes_per_second_avg, net_rx_bytes_per_second_max,"
	    " net_tx_bytes_per_second_avg, net_tx_bytes_per_second_max,"
	    " disk_read_bytes_per_second_avg, disk_read_bytes_per_second_max,"
	    " disk_write_bytes_per_second_avg,"
	    " disk_write_bytes_per_second_max, tcp_established_avg,"
	    " tcp_established_max, tcp_close_wait_avg, tcp_close_wait_max)"
	    " SELECT 't2', %lld - seq * 3600, 10, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
	    "0,0,0,0,0,0,0,0 FROM seq_1_to_50", (long long)now);
	rc = vt_db_exec(db, extra, vt_db_deadline(5000), &n, &cat, err,
	    sizeof(err));
	ok(rc == VT_OK && n == 50, "50 hourly rows (%s)",
	    rc == VT_OK ? "ok" : err);
	rc = vt_db_exec(db, "INSERT INTO samples_1m SELECT * FROM samples_10s"
	    " WHERE host = 't2'", vt_db_deadline(5000), &n, &cat, err,
	    sizeof(err));
	ok(rc == VT_OK && n == 50, "the same in samples_1m");
	rc = vt_db_prune(db, (int64_t)now, 1, vt_db_deadline(10000), &n, &cat,
	    err, sizeof(err));
	/* 10 s: the rows 49 and 50 hours old go (48 is not older), and t1. */
	ok(rc == VT_OK, "prune as the runtime user (%s)",
	    rc == VT_OK ? "ok" : err);
	is_str(value_of(db, "SELECT COUNT(*) FROM samples_10s WHERE host = "
	    "'t2'", &o), "48", "10 s rows older than 48 h are gone");
	is_str(value_of(db, "SELECT COUNT(*) FROM samples_10s WHERE host = "
	    "'t1'", &o), "0", "and the ancient one");
	is_str(value_of(db, "SELECT COUNT(*) FROM samples_1m", &o), "50",
	    "1 min rows younger than 30 days stay");
	is_int((long long)n, 3, "prune counted what it deleted, in batches");
	rc = vt_db_prune(db, (int64_t)now + 31 * 86400, 7,
	    vt_db_deadline(10000), &n, &cat, err, sizeof(err));
	ok(rc == VT_OK && n == 98, "31 days on, everything goes (%llu)",
	    (unsigned long long)n);

	/* Rows arrive one by one, and a caller may stop early. */
	rc = vt_db_query(db, "SELECT seq FROM seq_1_to_100000",
	    vt_db_deadline(5000), stop_after_three, &stopped, &n, &cat, err,
	    sizeof(err));
	ok(rc == VT_OK && stopped == 3 && n == 3, "a query stopped after 3 "
	    "rows of 100000");
	is_str(value_of(db, "SELECT 40 + 2", &o), "42",
	    "the next query works");
	rc = vt_db_exec(db, "SELECT 1", vt_db_deadline(5000), NULL, &cat, err,
	    sizeof(err));
	ok(rc == VT_ERR && cat == VT_DB_ERROR, "exec refuses a statement "
	    "with rows");
	is_str(value_of(db, "SELECT 'still fine'", &o), "still fine",
	    "and the connection survives it");
	rc = vt_db_exec(db, "CREATE TABLE nope (a INT)", vt_db_deadline(5000),
	    NULL, &cat, err, sizeof(err));
	is_str(vt_db_err_name(cat), "auth", "no CREATE for the runtime user");

	{
		char	esc[32];

		ok(vt_db_escape(db, esc, sizeof(esc), "a'b\\c", 5) == VT_OK &&
		    strcmp(esc, "a\\'b\\\\c") == 0, "escape: %s", esc);
		ok(vt_db_escape(db, esc, 10, "0123456789", 10) == VT_ERR,
		    "escape: refuses a buffer that may be too small");
	}

	/* A connection the server closed while idle is replaced at once. */
	value_of(db, "SELECT CONNECTION_ID()", &o);
	admin_exec(admin, "KILL %s", o.v);
	usleep(100 * 1000);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "ok", "after KILL: ok again");
	is_int(pr.backoff, 0, "after KILL: no back-off");

	/* A fork()ed child neither uses nor closes the parent's session. */
	{
		struct one_value	 before, after;
		pid_t			 pid;
		int			 status;

		value_of(db, "SELECT CONNECTION_ID()", &before);
		if ((pid = fork()) == -1)
			bail("fork: %s", strerror(errno));
		if (pid == 0) {
			struct one_value	mine;

			value_of(db, "SELECT CONNECTION_ID()", &mine);
			vt_db_close(db);
			_exit(strcmp(mine.v, before.v) != 0 &&
			    strncmp(mine.v, "(error", 6) != 0 ? 0 : 1);
		}
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "the child connected on its own");
		value_of(db, "SELECT CONNECTION_ID()", &after);
		is_str(after.v, before.v, "the parent's session is untouched");
	}

	/* A statement past the deadline: timeout, dropped, back-off. */
	vt_db_set_backoff(db, 50, 100);
	t = mono_ms();
	rc = vt_db_query(db, "SELECT SLEEP(5)", vt_db_deadline(TIMEOUT_MS),
	    NULL, NULL, NULL, &cat, err, sizeof(err));
	t = mono_ms() - t;
	is_str(vt_db_err_name(cat), "timeout", "SLEEP(5): timeout");
	ok(t >= TIMEOUT_MS - 5 && t <= TIMEOUT_MS + SLACK_MS,
	    "SLEEP(5): answered in %.1f ms", t);
	ok(!vt_db_connected(db), "SLEEP(5): the connection is dropped");
	usleep(150 * 1000);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "ok", "then a new one is fine");
	vt_db_close(db);

	/* (d) A wrong password: auth, and nothing secret in the category. */
	snprintf(extra, sizeof(extra), "user=%s\npassword=%s\ndatabase=%s\n",
	    my_user, my_badpw, my_db);
	my_cnf("wrong.cnf", cnf, sizeof(cnf), extra);
	if ((db = vt_db_open(cnf, my_group)) == NULL)
		bail("vt_db_open");
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	name = vt_db_err_name(pr.status);
	is_str(name, "auth", "wrong password: auth");
	ok(strstr(name, my_badpw) == NULL && strchr(name, '/') == NULL,
	    "the category has no password and no path");
	ok(strstr(err, my_badpw) == NULL && strstr(err, my_pw) == NULL,
	    "the driver's text has no password either");
	diag("category: %s; log text: %s", name, err);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	ok(pr.backoff == 1 && pr.status == VT_DB_AUTH,
	    "in back-off: still auth");
	vt_db_close(db);

	/* No such database, and one without the schema. */
	snprintf(extra, sizeof(extra), "database=%s_absent\n", my_db);
	my_cnf("absent.cnf", cnf, sizeof(cnf), extra);
	if ((db = vt_db_open(cnf, my_group)) == NULL)
		bail("vt_db_open");
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "schema", "no database: schema");
	vt_db_close(db);

	snprintf(extra, sizeof(extra), "database=%s_empty\n", my_db);
	my_cnf("empty.cnf", cnf, sizeof(cnf), extra);
	if ((db = vt_db_open(cnf, my_group)) == NULL)
		bail("vt_db_open");
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "schema", "no tables: schema");
	ok(vt_db_connected(db), "schema: the connection is kept");
	admin_exec(admin, "CREATE TABLE %s_empty.schema_version (version INT)",
	    my_db);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "schema", "no version: schema");
	admin_exec(admin, "INSERT INTO %s_empty.schema_version VALUES (%d)",
	    my_db, VT_DB_SCHEMA_VERSION - 1);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "schema", "an old version: schema");
	is_int(pr.schema_version, VT_DB_SCHEMA_VERSION - 1,
	    "the old version is reported");
	admin_exec(admin, "INSERT INTO %s_empty.schema_version VALUES (%d)",
	    my_db, VT_DB_SCHEMA_VERSION + 1);
	vt_db_probe(db, TIMEOUT_MS, &pr, err, sizeof(err));
	is_str(vt_db_err_name(pr.status), "ok", "a newer version: ok");
	vt_db_close(db);
}

static void
test_real(void)
{
	struct vt_db	*admin;
	char		 cnf[VT_PATH_LEN], extra[256], err[VT_ERRLEN];
	enum vt_db_err	 cat;
	int		 rc;

	my_group = getenv("VT_TEST_MYSQL_GROUP");
	if (my_group == NULL || *my_group == '\0')
		my_group = "vitals";
	snprintf(my_db, sizeof(my_db), "vt_test_%ld", (long)getpid());
	snprintf(my_user, sizeof(my_user), "vt_test_%ld", (long)getpid());
	snprintf(my_pw, sizeof(my_pw), "Right-%ld-%ld", (long)getpid(),
	    (long)time(NULL));
	snprintf(my_badpw, sizeof(my_badpw), "Wrong-%ld-secret",
	    (long)getpid());

	if ((admin = vt_db_open(my_optfile, my_group)) == NULL)
		bail("vt_db_open %s", my_optfile);
	if (vt_db_connect(admin, vt_db_deadline(5000), &cat, err,
	    sizeof(err)) == VT_ERR)
		bail("cannot connect with %s: %s", my_optfile, err);
	if (admin_exec(admin, "CREATE DATABASE %s", my_db) == VT_ERR ||
	    admin_exec(admin, "CREATE DATABASE %s_empty", my_db) == VT_ERR ||
	    admin_exec(admin, "CREATE USER '%s'@'localhost' IDENTIFIED BY "
	    "'%s'", my_user, my_pw) == VT_ERR ||
	    admin_exec(admin, "CREATE USER '%s'@'%%' IDENTIFIED BY '%s'",
	    my_user, my_pw) == VT_ERR ||
	    admin_exec(admin, "GRANT SELECT, INSERT, UPDATE, DELETE ON %s.* "
	    "TO '%s'@'localhost', '%s'@'%%'", my_db, my_user,
	    my_user) == VT_ERR ||
	    admin_exec(admin, "GRANT SELECT ON %s_empty.* TO '%s'@'localhost',"
	    " '%s'@'%%'", my_db, my_user, my_user) == VT_ERR)
		bail("cannot set up the scratch database");

	snprintf(extra, sizeof(extra), "database=%s\n", my_db);
	my_cnf("admin.cnf", cnf, sizeof(cnf), extra);
	rc = vt_migrate_run(cnf, my_group, sql_dir(), err, sizeof(err));
	if (!ok(rc >= 1, "the scratch database is migrated (%d)", rc))
		diag("%s", err);

	test_real_probe(admin);

	admin_exec(admin, "DROP USER '%s'@'localhost', '%s'@'%%'", my_user,
	    my_user);
	admin_exec(admin, "DROP DATABASE %s", my_db);
	admin_exec(admin, "DROP DATABASE %s_empty", my_db);
	vt_db_close(admin);
}

int
main(void)
{
	char	cmd[VT_PATH_LEN + 16];

	signal(SIGPIPE, SIG_DFL);	/* a write to a dead peer must not kill */
	if (tap_tmpdir("vt-db-t", tmpdir, sizeof(tmpdir)) == -1)
		bail("temporary directory: %s", strerror(errno));

	test_names();
	test_unreachable();
	test_hung();

	my_optfile = getenv("VT_TEST_MYSQL_OPTFILE");
	if (my_optfile != NULL && *my_optfile != '\0')
		test_real();
	else
		skip(1, "VT_TEST_MYSQL_OPTFILE is not set: no real MariaDB");

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		diag("cannot remove %s", tmpdir);
	done_testing();
	return tap_exit_status();
}

/*
 * migrate-t.c: app/migrate.c.  The statement splitter and the checks made
 * before connecting run everywhere; applying migrations needs a real
 * MariaDB: VT_TEST_MYSQL_OPTFILE (an option file whose user may create
 * databases; group VT_TEST_MYSQL_GROUP, default "vitals").  Without it
 * those tests are skipped.  Scratch databases are vt_mig_<pid>*, dropped
 * at the end.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vitals.h"
#include "db.h"
#include "migrate.h"
#include "tap.h"

static char	tmpdir[VT_PATH_LEN];
static char	srcsql[VT_PATH_LEN];

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

static char *
read_file(const char *path, size_t *len)
{
	FILE   *f;
	char   *buf;
	long	n;

	if ((f = fopen(path, "rb")) == NULL)
		bail("cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1 || (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		bail("cannot read %s", path);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* A directory below tmpdir: "name", and "name/migrations". */
static void
make_sql_dir(const char *name, char *dir, size_t len)
{
	char	mig[VT_PATH_LEN];

	if ((size_t)snprintf(dir, len, "%s/%s", tmpdir, name) >= len ||
	    (size_t)snprintf(mig, sizeof(mig), "%s/migrations", dir) >=
	    sizeof(mig))
		bail("path too long: %s", name);
	if (mkdir(dir, 0700) == -1 || mkdir(mig, 0700) == -1)
		bail("mkdir %s: %s", mig, strerror(errno));
}

/* Split "sql" and join the statements with '|'. */
static const char *
split(const char *sql)
{
	static char	out[1024];
	size_t		pos = 0, start, end, n = 0, len = strlen(sql);
	int		r;

	out[0] = '\0';
	while ((r = vt_migrate_next(sql, len, &pos, &start, &end)) == 1) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%.*s",
		    n ? "|" : "", (int)(end - start), sql + start);
		if (n >= sizeof(out))
			bail("split output too long");
	}
	if (r == -1)
		snprintf(out + n, sizeof(out) - n, "%s!%zu", n ? "|" : "",
		    start);
	return out;
}

static void
test_split(void)
{
	is_str(split(""), "", "empty text: no statement");
	is_str(split("  -- c\n # x\n /* y */ ;; \n"), "",
	    "comments and empty statements only");
	is_str(split("SELECT 1; SELECT 2"), "SELECT 1|SELECT 2",
	    "two statements, the last without ';'");
	is_str(split("SELECT 'a;b', \"c;d\", `e;f`; X"),
	    "SELECT 'a;b', \"c;d\", `e;f`|X", "quotes hide ';'");
	is_str(split("SELECT 'it''s;', 'back\\'s;', `x``;`; X"),
	    "SELECT 'it''s;', 'back\\'s;', `x``;`|X",
	    "doubled and escaped quotes");
	is_str(split("SELECT 1 -- no; end\n, 2; X"),
	    "SELECT 1 -- no; end\n, 2|X", "a -- comment hides ';'");
	is_str(split("SELECT 1 # no; end\n, 2; X"),
	    "SELECT 1 # no; end\n, 2|X", "a # comment hides ';'");
	is_str(split("SELECT /* ; */ 1; X"), "SELECT /* ; */ 1|X",
	    "a C comment hides ';'");
	is_str(split("SELECT 1--2; X"), "SELECT 1--2|X",
	    "--2 is arithmetic, not a comment");
	is_str(split("/*!40101 SET x = 1 */; /*M!100100 SET y = 2 */;"),
	    "/*!40101 SET x = 1 */|/*M!100100 SET y = 2 */",
	    "executable comments are statements");
	is_str(split("-- lead\nCREATE TABLE t (a INT)  \n\t;\n"),
	    "CREATE TABLE t (a INT)", "leading comments and trailing blanks "
	    "are not statement text");
	is_str(split("SELECT 'abc"), "!7", "an unterminated quote");
	is_str(split("SELECT 1; /* open"), "SELECT 1|!10",
	    "an unterminated comment");
	is_str(split("SELECT `a"), "!7", "an unterminated identifier");
}

static void
test_checksum(void)
{
	char	path[VT_PATH_LEN * 3], want[VT_PATH_LEN + 32], *schema, *mk;
	char   *buf;
	size_t	len, slen;
	DIR    *d;
	struct dirent *de;
	int	n = 0, found = 0, listed = 0;

	is_int((long long)vt_migrate_checksum("", 0),
	    (long long)0xcbf29ce484222325ULL, "FNV-1a of nothing");
	is_int((long long)vt_migrate_checksum("a", 1),
	    (long long)0xaf63dc4c8601ec8cULL, "FNV-1a of 'a'");

	/*
	 * schema.sql records every migration, with its checksum, and
	 * sql/local.mk installs it.
	 */
	snprintf(path, sizeof(path), "%s/schema.sql", srcsql);
	schema = read_file(path, &slen);
	snprintf(path, sizeof(path), "%s/local.mk", srcsql);
	mk = read_file(path, &len);
	snprintf(path, sizeof(path), "%s/migrations", srcsql);
	if ((d = opendir(path)) == NULL)
		bail("opendir %s: %s", path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t	nl = strlen(de->d_name);

		if (nl < 5 || strcmp(de->d_name + nl - 4, ".sql") != 0)
			continue;
		n++;
		snprintf(path, sizeof(path), "%s/migrations/%s", srcsql,
		    de->d_name);
		buf = read_file(path, &len);
		snprintf(want, sizeof(want), "'%.*s', '%016llx'",
		    (int)(nl - 4), de->d_name,
		    (unsigned long long)vt_migrate_checksum(buf, len));
		if (strstr(schema, want) != NULL)
			found++;
		else
			diag("schema.sql lacks %s", want);
		snprintf(want, sizeof(want), "sql/migrations/%s", de->d_name);
		if (strstr(mk, want) != NULL)
			listed++;
		else
			diag("sql/local.mk lacks %s", want);
		free(buf);
	}
	closedir(d);
	ok(n >= VT_DB_SCHEMA_VERSION, "%d migration files", n);
	is_int(found, n, "schema.sql records each with its checksum");
	is_int(listed, n, "sql/local.mk installs each");
	free(schema);
	free(mk);
}

static void
test_no_db(void)
{
	char	dir[VT_PATH_LEN], path[VT_PATH_LEN * 2], err[VT_ERRLEN];

	ok(vt_migrate_run("/nonexistent.cnf", NULL, "/nonexistent", err,
	    sizeof(err)) == VT_ERR && strstr(err, "/nonexistent") != NULL,
	    "no migrations directory: error (%s)", err);

	make_sql_dir("empty", dir, sizeof(dir));
	ok(vt_migrate_run("/nonexistent.cnf", NULL, dir, err,
	    sizeof(err)) == VT_ERR && strstr(err, "stop at 0") != NULL,
	    "no migrations: error (%s)", err);

	make_sql_dir("dup", dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/migrations/001_a.sql", dir);
	write_file(path, "DO 1;\n");
	snprintf(path, sizeof(path), "%s/migrations/1_b.sql", dir);
	write_file(path, "DO 1;\n");
	snprintf(path, sizeof(path), "%s/migrations/README", dir);
	write_file(path, "not a migration\n");
	ok(vt_migrate_run("/nonexistent.cnf", NULL, dir, err,
	    sizeof(err)) == VT_ERR && strstr(err, "001_a") != NULL &&
	    strstr(err, "1_b") != NULL, "one version twice: error (%s)", err);

	make_sql_dir("nodb", dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/migrations/001_a.sql", dir);
	write_file(path, "DO 1;\n");
	snprintf(path, sizeof(path), "%s/nodb.cnf", tmpdir);
	write_file(path, "[vitals]\nsocket=%s/absent.sock\n", tmpdir);
	ok(vt_migrate_run(path, NULL, dir, err, sizeof(err)) == VT_ERR &&
	    strstr(err, "absent.sock") != NULL,
	    "no server: error (%s)", err);
}

/* ---- against a real MariaDB ---------------------------------------- */

static const char *my_optfile;
static const char *my_group;
static char	   my_db[64];

static int
admin_exec(struct vt_db *db, const char *fmt, ...)
{
	char		sql[2048], err[VT_ERRLEN];
	va_list		ap;
	enum vt_db_err	cat;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (vt_db_exec(db, sql, vt_db_deadline(10000), NULL, &cat, err,
	    sizeof(err)) == VT_ERR) {
		diag("%s: %s", sql, err);
		return VT_ERR;
	}
	return VT_OK;
}

/* All rows of a query, fields joined by ',' and rows by '\n'. */
struct rows {
	char	buf[16384];
	size_t	n;
};

static int
rows_add(void *arg, unsigned int ncols, char **row, const unsigned long *l)
{
	struct rows	*r = arg;
	unsigned int	 i;

	(void)l;
	for (i = 0; i < ncols && r->n < sizeof(r->buf); i++)
		r->n += (size_t)snprintf(r->buf + r->n, sizeof(r->buf) - r->n,
		    "%s%s", row[i] != NULL ? row[i] : "NULL",
		    i + 1 < ncols ? "," : "\n");
	return 0;
}

static const char *
rows_of(struct vt_db *db, struct rows *r, const char *fmt, ...)
{
	char		sql[1024], err[VT_ERRLEN];
	va_list		ap;
	enum vt_db_err	cat;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	memset(r, 0, sizeof(*r));
	if (vt_db_query(db, sql, vt_db_deadline(10000), rows_add, r, NULL,
	    &cat, err, sizeof(err)) == VT_ERR) {
		diag("%s: %s", sql, err);
		snprintf(r->buf, sizeof(r->buf), "(error)");
	}
	return r->buf;
}

static void
my_cnf(const char *name, char *path, size_t len, const char *database)
{
	snprintf(path, len, "%s/%s", tmpdir, name);
	write_file(path, "!include %s\n[%s]\ndatabase=%s\n", my_optfile,
	    my_group, database);
}

/* The shape of a database: columns and indexes, in order. */
#define SHAPE_COLUMNS							\
	"SELECT table_name, column_name, ordinal_position, column_type,"\
	" is_nullable, column_default, character_set_name, collation_name"\
	" FROM information_schema.columns WHERE table_schema = '%s'"	\
	" ORDER BY table_name, ordinal_position"
#define SHAPE_INDEXES							\
	"SELECT table_name, index_name, seq_in_index, column_name,"	\
	" non_unique FROM information_schema.statistics"		\
	" WHERE table_schema = '%s'"					\
	" ORDER BY table_name, index_name, seq_in_index"

/* Run schema.sql into the database of "db", but for CREATE DATABASE/USE. */
static int
load_schema_sql(struct vt_db *db)
{
	char	path[VT_PATH_LEN * 2], *sql;
	size_t	len, pos = 0, start, end;
	int	r, n = 0;

	snprintf(path, sizeof(path), "%s/schema.sql", srcsql);
	sql = read_file(path, &len);
	while ((r = vt_migrate_next(sql, len, &pos, &start, &end)) == 1) {
		sql[end] = '\0';
		if (strncmp(sql + start, "CREATE DATABASE", 15) == 0 ||
		    strncmp(sql + start, "USE ", 4) == 0)
			continue;
		if (admin_exec(db, "%s", sql + start) == VT_ERR) {
			free(sql);
			return VT_ERR;
		}
		n++;
	}
	free(sql);
	return r == 0 && n > 0 ? VT_OK : VT_ERR;
}

static void
test_real(void)
{
	struct vt_db	*admin, *db;
	struct rows	 a, b;
	char		 cnf[VT_PATH_LEN], dir[VT_PATH_LEN], err[VT_ERRLEN];
	char		 path[VT_PATH_LEN * 2], target[VT_PATH_LEN * 2];
	char		 snap[80], want[32];
	enum vt_db_err	 cat;
	int		 rc;

	my_group = getenv("VT_TEST_MYSQL_GROUP");
	if (my_group == NULL || *my_group == '\0')
		my_group = "vitals";
	snprintf(my_db, sizeof(my_db), "vt_mig_%ld", (long)getpid());
	snprintf(snap, sizeof(snap), "%s_snap", my_db);
	if ((admin = vt_db_open(my_optfile, my_group)) == NULL)
		bail("vt_db_open %s", my_optfile);
	if (vt_db_connect(admin, vt_db_deadline(5000), &cat, err,
	    sizeof(err)) == VT_ERR)
		bail("cannot connect with %s: %s", my_optfile, err);
	if (admin_exec(admin, "CREATE DATABASE %s", my_db) == VT_ERR ||
	    admin_exec(admin, "CREATE DATABASE %s", snap) == VT_ERR)
		bail("cannot create the scratch databases");

	/* Twice: the second run has nothing to do. */
	my_cnf("a.cnf", cnf, sizeof(cnf), my_db);
	rc = vt_migrate_run(cnf, my_group, srcsql, err, sizeof(err));
	if (!is_int(rc, VT_DB_SCHEMA_VERSION, "first run applies them all"))
		diag("%s", err);
	rows_of(admin, &a, "SELECT version, name, checksum, applied_at FROM "
	    "%s.schema_version ORDER BY version", my_db);
	rc = vt_migrate_run(cnf, my_group, srcsql, err, sizeof(err));
	if (!is_int(rc, 0, "second run: nothing to do"))
		diag("%s", err);
	rows_of(admin, &b, "SELECT version, name, checksum, applied_at FROM "
	    "%s.schema_version ORDER BY version", my_db);
	is_str(b.buf, a.buf, "second run: schema_version untouched");
	snprintf(want, sizeof(want), "%d\n", VT_DB_SCHEMA_VERSION);
	is_str(rows_of(admin, &a, "SELECT MAX(version) FROM "
	    "%s.schema_version", my_db), want, "schema_version is current");
	is_str(rows_of(admin, &a, "SELECT table_name FROM "
	    "information_schema.tables WHERE table_schema = '%s' ORDER BY 1",
	    my_db), "samples_10s\nsamples_1m\nschema_version\n",
	    "the tables exist");
	is_str(rows_of(admin, &a, "SELECT index_name, column_name FROM "
	    "information_schema.statistics WHERE table_schema = '%s' AND "
	    "table_name = 'samples_10s' ORDER BY index_name, seq_in_index",
	    my_db), "PRIMARY,host\nPRIMARY,ts\nts,ts\n",
	    "samples_10s is keyed (host, ts), with ts for retention");

	/* schema.sql and the migrations describe the same schema. */
	my_cnf("snap.cnf", path, sizeof(path), snap);
	if ((db = vt_db_open(path, my_group)) == NULL)
		bail("vt_db_open");
	ok(load_schema_sql(db) == VT_OK, "schema.sql loads");
	rows_of(admin, &a, SHAPE_COLUMNS, my_db);
	rows_of(admin, &b, SHAPE_COLUMNS, snap);
	ok(a.n > 0 && strcmp(a.buf, b.buf) == 0,
	    "schema.sql: the same columns as the migrations");
	rows_of(admin, &a, SHAPE_INDEXES, my_db);
	rows_of(admin, &b, SHAPE_INDEXES, snap);
	ok(a.n > 0 && strcmp(a.buf, b.buf) == 0,
	    "schema.sql: the same indexes as the migrations");
	rows_of(admin, &a, "SELECT version, name, checksum FROM "
	    "%s.schema_version ORDER BY 1", my_db);
	rows_of(admin, &b, "SELECT version, name, checksum FROM "
	    "%s.schema_version ORDER BY 1", snap);
	is_str(b.buf, a.buf, "schema.sql: the same schema_version rows");
	vt_db_close(db);
	/* ... so migrating a schema.sql install is a no-op. */
	rc = vt_migrate_run(path, my_group, srcsql, err, sizeof(err));
	is_int(rc, 0, "migrating a schema.sql install: nothing to do");

	/* A failing migration is rolled back and not recorded. */
	snprintf(target, sizeof(target), "%s/migrations/001_initial.sql",
	    srcsql);
	make_sql_dir("bad", dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/migrations/001_initial.sql", dir);
	if (target[0] != '/' || symlink(target, path) == -1) {
		char	*buf;
		size_t	 len;

		buf = read_file(target, &len);
		write_file(path, "%s", buf);
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/migrations/002_bad.sql", dir);
	write_file(path, "-- fails half-way\nINSERT INTO samples_1m (host, ts,"
	    " samples, cpu_percent_avg, cpu_percent_max, load1_avg, load1_max,"
	    " mem_used_bytes_avg, mem_used_bytes_max, mem_available_bytes_avg,"
	    " mem_available_bytes_min, swap_used_bytes_avg, swap_used_bytes_max,"
	    " net_rx_bytes_per_second_avg, net_rx_bytes_per_second_max,"
	    " net_tx_bytes_per_second_avg, net_tx_bytes_per_second_max,"
	    " disk_read_bytes_per_second_avg, disk_read_bytes_per_second_max,"
	    " disk_write_bytes_per_second_avg,"
	    " disk_write_bytes_per_second_max, tcp_established_avg,"
	    " tcp_established_max, tcp_close_wait_avg, tcp_close_wait_max)"
	    " VALUES ('x', 60, 1, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"
	    ");\n\nUPDATE no_such_table SET a = 1;\n");
	rc = vt_migrate_run(cnf, my_group, dir, err, sizeof(err));
	ok(rc == VT_ERR && strstr(err, "002_bad.sql statement 2 (line 4)") !=
	    NULL, "a failing migration: error (%s)", err);
	is_str(rows_of(admin, &a, "SELECT COUNT(*) FROM %s.samples_1m", my_db),
	    "0\n", "its first statement is rolled back");
	is_str(rows_of(admin, &a, "SELECT MAX(version) FROM "
	    "%s.schema_version", my_db), want, "and it is not recorded");

	/* Fixed, it applies; a DELIMITER is refused. */
	write_file(path, "CREATE TABLE IF NOT EXISTS t2 (a INT);\n");
	rc = vt_migrate_run(cnf, my_group, dir, err, sizeof(err));
	if (!is_int(rc, 1, "the fixed migration applies"))
		diag("%s", err);
	is_str(rows_of(admin, &a, "SELECT version, name FROM "
	    "%s.schema_version WHERE version = 2", my_db), "2,002_bad\n",
	    "and is recorded");
	snprintf(path, sizeof(path), "%s/migrations/003_delim.sql", dir);
	write_file(path, "DELIMITER //\nCREATE PROCEDURE p() BEGIN END //\n");
	rc = vt_migrate_run(cnf, my_group, dir, err, sizeof(err));
	ok(rc == VT_ERR && strstr(err, "DELIMITER") != NULL,
	    "DELIMITER is refused (%s)", err);

	/* A changed applied migration is only a warning. */
	admin_exec(admin, "UPDATE %s.schema_version SET checksum = "
	    "'0000000000000000' WHERE version = 1", my_db);
	rc = vt_migrate_run(cnf, my_group, srcsql, err, sizeof(err));
	is_int(rc, 0, "a changed checksum does not stop a run");

	/* The given option file itself, if it names no database. */
	if (strcmp(rows_of(admin, &a, "SELECT DATABASE()"), "NULL\n") == 0) {
		rc = vt_migrate_run(my_optfile, my_group, srcsql, err,
		    sizeof(err));
		ok(rc == VT_ERR && strstr(err, "no database=") != NULL,
		    "no database: error (%s)", err);
	} else
		skip(1, "the option file names a database: not touching it");

	admin_exec(admin, "DROP DATABASE %s", my_db);
	admin_exec(admin, "DROP DATABASE %s", snap);
	vt_db_close(admin);
}

int
main(void)
{
	const char	*s;
	char		 cmd[VT_PATH_LEN + 16];

	s = getenv("VT_SRCDIR");
	if (s == NULL || *s == '\0')
		s = getenv("srcdir");
	snprintf(srcsql, sizeof(srcsql), "%s/sql", s != NULL && *s ? s : ".");
	if (tap_tmpdir("vt-migrate-t", tmpdir, sizeof(tmpdir)) == -1)
		bail("temporary directory: %s", strerror(errno));

	test_split();
	test_checksum();
	test_no_db();

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

/*
 * migrate.c: apply the numbered SQL files of sql/migrations, once each.
 *
 * The files are read whole (at most VT_MIGRATE_FILE_MAX bytes), split into
 * statements here (the connection never enables multi-statements) and run
 * one by one through db.c, each under its own generous deadline: a
 * migration is an operator's command, but it must not hang for ever on a
 * server that stopped answering either.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vitals.h"
#include "log.h"
#include "db.h"
#include "migrate.h"

#define MIG_CONNECT_MS	10000		/* to connect */
#define MIG_LOCK_S	30		/* to wait for another run's lock */
#define MIG_STMT_MS	(30 * 60 * 1000)	/* per statement: ALTERs are slow */
#define MIG_NAME_LEN	128

#define MIG_STR_(x)	#x
#define MIG_STR(x)	MIG_STR_(x)

struct mig_file {
	unsigned int	version;
	char		name[MIG_NAME_LEN];	/* "001_initial" */
};

/* The rows of schema_version. */
struct mig_applied {
	unsigned int	n;
	unsigned int	version[VT_MIGRATE_MAX];
	char		checksum[VT_MIGRATE_MAX][17];
	int		overflow;
};

/* The state of one run, from calloc: a few tens of KB. */
struct mig_run {
	struct mig_file		files[VT_MIGRATE_MAX];
	size_t			nfiles;
	struct mig_applied	applied;
};

static int	mig_list(const char *, struct mig_file *, size_t *, char *,
		    size_t);
static int	mig_cmp(const void *, const void *);
static char	*mig_read(const char *, size_t *, char *, size_t);
static int	mig_applied_row(void *, unsigned int, char **,
		    const unsigned long *);
static int	mig_one(struct vt_db *, const char *,
		    const struct mig_file *, char *, size_t);
static size_t	mig_line(const char *, size_t);

uint64_t
vt_migrate_checksum(const char *buf, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)buf[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Length of the comment at s[i], or 0 when none starts there. */
static size_t
mig_comment(const char *s, size_t len, size_t i, int *unterminated)
{
	size_t	j;

	*unterminated = 0;
	if (s[i] == '#' || (s[i] == '-' && i + 1 < len && s[i + 1] == '-' &&
	    (i + 2 == len || isspace((unsigned char)s[i + 2]) ||
	    iscntrl((unsigned char)s[i + 2])))) {
		for (j = i; j < len && s[j] != '\n'; j++)
			;
		return j - i;
	}
	if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
		for (j = i + 2; j + 1 < len; j++)
			if (s[j] == '*' && s[j + 1] == '/')
				return j + 2 - i;
		*unterminated = 1;
		return len - i;
	}
	return 0;
}

static int
mig_executable_comment(const char *s, size_t len, size_t i)
{
	return i + 2 < len && s[i] == '/' && s[i + 1] == '*' &&
	    (s[i + 2] == '!' ||
	    (s[i + 2] == 'M' && i + 3 < len && s[i + 3] == '!'));
}

int
vt_migrate_next(const char *sql, size_t len, size_t *pos, size_t *start,
    size_t *end)
{
	size_t	i = *pos, n, e;
	int	unterminated;
	char	q;

	/* Blanks and comments between statements, and empty statements. */
	while (i < len) {
		if (isspace((unsigned char)sql[i]) || sql[i] == ';') {
			i++;
			continue;
		}
		if (mig_executable_comment(sql, len, i))
			break;
		if ((n = mig_comment(sql, len, i, &unterminated)) == 0)
			break;
		if (unterminated) {
			*start = i;
			return -1;
		}
		i += n;
	}
	*start = i;
	if (i >= len) {
		*pos = len;
		*end = len;
		return 0;
	}
	while (i < len && sql[i] != ';') {
		if (sql[i] == '\'' || sql[i] == '"' || sql[i] == '`') {
			size_t	open = i;

			q = sql[i++];
			for (;;) {
				if (i >= len) {
					*start = open;
					return -1;
				}
				if (sql[i] == '\\' && q != '`') {
					i += 2;
					continue;
				}
				if (sql[i] == q) {
					if (i + 1 < len && sql[i + 1] == q) {
						i += 2;	/* doubled quote */
						continue;
					}
					i++;
					break;
				}
				i++;
			}
			continue;
		}
		if ((n = mig_comment(sql, len, i, &unterminated)) > 0) {
			if (unterminated) {
				*start = i;
				return -1;
			}
			i += n;
			continue;
		}
		i++;
	}
	if (i > len)
		i = len;
	for (e = i; e > *start && isspace((unsigned char)sql[e - 1]); e--)
		;
	*end = e;
	*pos = i < len ? i + 1 : len;
	return 1;
}

static int
mig_cmp(const void *a, const void *b)
{
	const struct mig_file	*x = a, *y = b;

	return x->version < y->version ? -1 : x->version > y->version;
}

/*
 * The migration files of "dir", sorted by version: names NNN_word.sql
 * with NNN decimal and word of [A-Za-z0-9_-].  Other files are ignored;
 * two files with one version are an error.
 */
static int
mig_list(const char *dir, struct mig_file *files, size_t *nfiles, char *err,
    size_t errlen)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0, i, len;
	unsigned long	 v;
	const char	*s;
	char		*p;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return VT_ERR;
	}
	while ((de = readdir(d)) != NULL) {
		s = de->d_name;
		len = strlen(s);
		if (len < 6 || strcmp(s + len - 4, ".sql") != 0 ||
		    !isdigit((unsigned char)s[0]))
			continue;
		errno = 0;
		v = strtoul(s, &p, 10);
		if (errno != 0 || *p != '_' || v == 0 || v > 1000000 ||
		    len - 4 >= MIG_NAME_LEN)
			continue;
		for (p++; p < s + len - 4; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' &&
			    *p != '-')
				break;
		if (p != s + len - 4)
			continue;
		if (n == VT_MIGRATE_MAX) {
			snprintf(err, errlen, "%s: more than %d migrations",
			    dir, VT_MIGRATE_MAX);
			closedir(d);
			return VT_ERR;
		}
		files[n].version = (unsigned int)v;
		memcpy(files[n].name, s, len - 4);
		files[n].name[len - 4] = '\0';
		n++;
	}
	closedir(d);
	qsort(files, n, sizeof(files[0]), mig_cmp);
	for (i = 1; i < n; i++) {
		if (files[i].version == files[i - 1].version) {
			snprintf(err, errlen, "%s: %s and %s have one version",
			    dir, files[i - 1].name, files[i].name);
			return VT_ERR;
		}
	}
	*nfiles = n;
	return VT_OK;
}

/* A whole file, NUL-terminated, from malloc. */
static char *
mig_read(const char *path, size_t *lenp, char *err, size_t errlen)
{
	struct stat	st;
	char		*buf;
	size_t		 n = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > VT_MIGRATE_FILE_MAX) {
		snprintf(err, errlen, "%s: not a regular file of at most %d "
		    "bytes", path, VT_MIGRATE_FILE_MAX);
		close(fd);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	while (n < (size_t)st.st_size) {
		r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: %s", path,
			    r == 0 ? "short read" : strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*lenp = n;
	return buf;
}

static int
mig_applied_row(void *arg, unsigned int ncols, char **row,
    const unsigned long *lens)
{
	struct mig_applied	*a = arg;

	(void)lens;
	if (ncols != 2 || row[0] == NULL)
		return 0;
	if (a->n == VT_MIGRATE_MAX) {
		a->overflow = 1;
		return 1;
	}
	a->version[a->n] = (unsigned int)strtoul(row[0], NULL, 10);
	snprintf(a->checksum[a->n], sizeof(a->checksum[a->n]), "%s",
	    row[1] != NULL ? row[1] : "");
	a->n++;
	return 0;
}

/* The line number of offset "off". */
static size_t
mig_line(const char *s, size_t off)
{
	size_t	line = 1, i;

	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/* Apply one migration file and record it, in one transaction. */
static int
mig_one(struct vt_db *db, const char *dir, const struct mig_file *f,
    char *err, size_t errlen)
{
	char		 path[VT_PATH_LEN + MIG_NAME_LEN + 8], *sql, *stmt;
	char		 rec[MIG_NAME_LEN + 160], why[VT_ERRLEN];
	size_t		 len, pos = 0, start, end, nstmt = 0;
	uint64_t	 sum;
	enum vt_db_err	 cat;
	int		 r, rc = VT_ERR;

	snprintf(path, sizeof(path), "%s/%s.sql", dir, f->name);
	if ((sql = mig_read(path, &len, err, errlen)) == NULL)
		return VT_ERR;
	sum = vt_migrate_checksum(sql, len);	/* before cutting it up */
	if (vt_db_exec(db, "START TRANSACTION", vt_db_deadline(MIG_STMT_MS),
	    NULL, &cat, why, sizeof(why)) == VT_ERR) {
		snprintf(err, errlen, "%s: %s", f->name, why);
		goto end;
	}
	while ((r = vt_migrate_next(sql, len, &pos, &start, &end)) == 1) {
		nstmt++;
		if (end - start >= 9 && strncasecmp(sql + start, "DELIMITER",
		    9) == 0) {
			snprintf(err, errlen, "%s.sql line %zu: DELIMITER is "
			    "a client command, not supported", f->name,
			    mig_line(sql, start));
			goto rollback;
		}
		/* Cut in place: sql[end] is the ';', a blank or the NUL. */
		stmt = sql + start;
		stmt[end - start] = '\0';
		if (vt_db_exec(db, stmt, vt_db_deadline(MIG_STMT_MS), NULL,
		    &cat, why, sizeof(why)) == VT_ERR) {
			snprintf(err, errlen, "%s.sql statement %zu (line %zu): "
			    "%s", f->name, nstmt, mig_line(sql, start), why);
			goto rollback;
		}
	}
	if (r == -1) {
		snprintf(err, errlen, "%s.sql line %zu: unterminated quote or "
		    "comment", f->name, mig_line(sql, start));
		goto rollback;
	}
	/* The name is [A-Za-z0-9_-] (mig_list): no quoting needed. */
	snprintf(rec, sizeof(rec), "INSERT INTO schema_version (version, "
	    "name, checksum) VALUES (%u, '%s', '%016llx')", f->version,
	    f->name, (unsigned long long)sum);
	if (vt_db_exec(db, rec, vt_db_deadline(MIG_STMT_MS), NULL, &cat, why,
	    sizeof(why)) == VT_ERR ||
	    vt_db_exec(db, "COMMIT", vt_db_deadline(MIG_STMT_MS), NULL, &cat,
	    why, sizeof(why)) == VT_ERR) {
		snprintf(err, errlen, "%s: recording it: %s", f->name, why);
		goto rollback;
	}
	rc = VT_OK;
	goto end;
rollback:
	(void)vt_db_exec(db, "ROLLBACK", vt_db_deadline(MIG_CONNECT_MS), NULL,
	    &cat, why, sizeof(why));
end:
	free(sql);
	return rc;
}

/* The checksum of a migration file, as recorded by mig_one(). */
static int
mig_file_checksum(const char *dir, const struct mig_file *f, char out[17],
    char *err, size_t errlen)
{
	char	path[VT_PATH_LEN + MIG_NAME_LEN + 8], *sql;
	size_t	len;

	snprintf(path, sizeof(path), "%s/%s.sql", dir, f->name);
	if ((sql = mig_read(path, &len, err, errlen)) == NULL)
		return VT_ERR;
	snprintf(out, 17, "%016llx",
	    (unsigned long long)vt_migrate_checksum(sql, len));
	free(sql);
	return VT_OK;
}

struct mig_lock {
	int	seen;
	int	got;
	int	nodb;
};

static int
mig_lock_row(void *arg, unsigned int ncols, char **row,
    const unsigned long *lens)
{
	struct mig_lock	*l = arg;

	(void)lens;
	l->seen = 1;
	l->nodb = ncols < 2 || row[0] == NULL;
	l->got = ncols >= 2 && row[1] != NULL && strcmp(row[1], "1") == 0;
	return 0;
}

int
vt_migrate_run(const char *option_file, const char *group,
    const char *sql_dir, char *err, size_t errlen)
{
	struct mig_run	*run;
	struct vt_db	*db = NULL;
	struct mig_lock	 lock;
	char		 dir[VT_PATH_LEN], why[VT_ERRLEN], sum[17];
	const char	*recorded;
	enum vt_db_err	 cat;
	size_t		 i;
	unsigned int	 j;
	int		 count = 0, rc = VT_ERR;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/migrations", sql_dir) >=
	    sizeof(dir)) {
		snprintf(err, errlen, "%s: path too long", sql_dir);
		return VT_ERR;
	}
	if ((run = calloc(1, sizeof(*run))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return VT_ERR;
	}
	if (mig_list(dir, run->files, &run->nfiles, err, errlen) == VT_ERR)
		goto end;
	if (run->nfiles == 0 ||
	    run->files[run->nfiles - 1].version < VT_DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: migrations stop at %u, this binary "
		    "needs %d", dir, run->nfiles ?
		    run->files[run->nfiles - 1].version : 0,
		    VT_DB_SCHEMA_VERSION);
		goto end;
	}
	if ((db = vt_db_open(option_file, group)) == NULL) {
		snprintf(err, errlen, "cannot open the database handle");
		goto end;
	}
	if (vt_db_connect(db, vt_db_deadline(MIG_CONNECT_MS), &cat, why,
	    sizeof(why)) == VT_ERR) {
		snprintf(err, errlen, "%s", why);
		goto end;
	}

	/* One run at a time per database; closing the connection unlocks. */
	memset(&lock, 0, sizeof(lock));
	if (vt_db_query(db, "SELECT DATABASE(), GET_LOCK(CONCAT("
	    "'vitals.migrate.', DATABASE()), " MIG_STR(MIG_LOCK_S) ")",
	    vt_db_deadline(MIG_LOCK_S * 1000 + MIG_CONNECT_MS),
	    mig_lock_row, &lock, NULL, &cat, why, sizeof(why)) == VT_ERR) {
		snprintf(err, errlen, "lock: %s", why);
		goto end;
	}
	if (lock.nodb) {
		snprintf(err, errlen, "%s: no database= in group [%s]",
		    option_file, group != NULL ? group : VT_DB_GROUP);
		goto end;
	}
	if (!lock.got) {
		snprintf(err, errlen, "another migration holds the lock");
		goto end;
	}

	/* No table yet is no migration yet: 001 creates it. */
	if (vt_db_query(db, "SELECT version, checksum FROM schema_version",
	    vt_db_deadline(MIG_CONNECT_MS), mig_applied_row, &run->applied,
	    NULL, &cat, why, sizeof(why)) == VT_ERR && cat != VT_DB_SCHEMA) {
		snprintf(err, errlen, "schema_version: %s", why);
		goto end;
	}
	if (run->applied.overflow) {
		snprintf(err, errlen, "schema_version: more than %d rows",
		    VT_MIGRATE_MAX);
		goto end;
	}

	for (i = 0; i < run->nfiles; i++) {
		const struct mig_file	*f = &run->files[i];

		recorded = NULL;
		for (j = 0; j < run->applied.n && recorded == NULL; j++)
			if (run->applied.version[j] == f->version)
				recorded = run->applied.checksum[j];
		if (recorded != NULL) {
			/* An applied migration never changes: say if it did. */
			if (mig_file_checksum(dir, f, sum, err, errlen) ==
			    VT_ERR)
				goto end;
			if (strcmp(sum, recorded) != 0)
				vt_log_warn("db_migrate_changed", "version=%u "
				    "name=%s recorded=%s file=%s", f->version,
				    f->name, recorded, sum);
			continue;
		}
		if (mig_one(db, dir, f, err, errlen) == VT_ERR)
			goto end;
		vt_log_info("db_migrate", "version=%u name=%s", f->version,
		    f->name);
		count++;
	}
	rc = count;
end:
	vt_db_close(db);
	free(run);
	return rc;
}

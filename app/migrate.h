/*
 * migrate.h: bring a database's schema up to VT_DB_SCHEMA_VERSION.
 *
 * Migrations are files NNN_name.sql in <sql_dir>/migrations, applied in
 * the order of NNN, each once: the table schema_version records what was
 * applied (version, name, checksum of the file).  `vitals --migrate` calls
 * vt_migrate_run() with an option file whose user may create tables; the
 * runtime user of grants.sql may not.
 */
#ifndef VT_MIGRATE_H
#define VT_MIGRATE_H

#include <stddef.h>
#include <stdint.h>

#define VT_MIGRATE_MAX		256	/* migration files at most */
#define VT_MIGRATE_FILE_MAX	(1024 * 1024)	/* bytes per file at most */

/*
 * Apply the migrations of "sql_dir" not yet recorded in schema_version,
 * in order, to the database named in "option_file" (group "group", NULL:
 * "vitals").  Each runs inside START TRANSACTION ... COMMIT together with
 * its schema_version row (DDL commits implicitly in MariaDB, so a failed
 * migration may be half applied: migrations are written to run again,
 * with IF [NOT] EXISTS).  A server-wide lock named after the database
 * keeps two runs apart.  Returns the number of migrations applied (0: the
 * schema was up to date) or VT_ERR with the reason in err, which may name
 * paths and carry the driver's text: for the operator, not for clients.
 */
int		vt_migrate_run(const char *option_file, const char *group,
		    const char *sql_dir, char *err, size_t errlen);

/*
 * Split SQL text into statements at top-level semicolons, skipping
 * comments between statements and honouring quotes ('...', "...", `...`)
 * and comments (--, #, C style) inside them; executable comments (/\*! and
 * /\*M!) are statement text.  From *pos, finds the next statement: returns
 * 1 with [*start, *end) its text (no semicolon, no trailing blanks) and
 * *pos past it; 0 at the end; -1 on an unterminated quote or comment,
 * with *start where it began.  Pure: no I/O.
 */
int		vt_migrate_next(const char *sql, size_t len, size_t *pos,
		    size_t *start, size_t *end);

/* FNV-1a, 64 bits, of a migration file: recorded as 16 hex digits. */
uint64_t	vt_migrate_checksum(const char *buf, size_t len);

#endif /* VT_MIGRATE_H */

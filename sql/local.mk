# sql/local.mk: build lines of the database part (included by Makefile.am):
# app/db.c (MariaDB under deadlines), app/migrate.c (`vitals --migrate`),
# their tests, and the SQL files installed for them.

app_libvitals_a_SOURCES += app/db.c app/db.h app/migrate.c app/migrate.h

# Where `vitals --migrate` looks by default: the installed copy below.
AM_CPPFLAGS += -DVT_SQL_DIR='"$(pkgdatadir)/sql"'

# Installed as $(pkgdatadir)/sql/...; every migration must be listed here
# (t/unit/migrate-t checks it).
nobase_dist_pkgdata_DATA = \
	sql/README.md \
	sql/schema.sql \
	sql/grants.sql \
	sql/migrations/001_initial.sql

# Unit tests; against a real MariaDB when VT_TEST_MYSQL_OPTFILE is set.
check_PROGRAMS += t/unit/db-t t/unit/migrate-t
t_unit_db_t_SOURCES = t/unit/db-t.c
t_unit_db_t_LDADD = $(VT_TEST_LIBS)
t_unit_migrate_t_SOURCES = t/unit/migrate-t.c
t_unit_migrate_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/db-t t/unit/migrate-t

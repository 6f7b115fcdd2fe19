# app/db.mk: build lines of the database code (included by Makefile.am):
# app/db.c (MariaDB under deadlines), app/migrate.c (`vitals --migrate`)
# and their tests, which run against a real MariaDB when
# VT_TEST_MYSQL_OPTFILE is set.  The SQL files they read are sql/'s, and
# sql/local.mk installs them.

app_libvitals_a_SOURCES += app/db.c app/db.h app/migrate.c app/migrate.h

# Where `vitals --migrate` looks by default: the installed copy of sql/.
AM_CPPFLAGS += -DVT_SQL_DIR='"$(pkgdatadir)/sql"'

check_PROGRAMS += t/unit/db-t t/unit/migrate-t
t_unit_db_t_SOURCES = t/unit/db-t.c
t_unit_db_t_LDADD = $(VT_TEST_LIBS)
t_unit_migrate_t_SOURCES = t/unit/migrate-t.c
t_unit_migrate_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/db-t t/unit/migrate-t

EXTRA_DIST += app/db.mk

# sql/local.mk: the SQL files of the database part (included by
# Makefile.am).  The code that reads them, app/db.c and app/migrate.c, is
# built from app/db.mk.

# Installed as $(pkgdatadir)/sql/...; every migration must be listed here
# (t/unit/migrate-t checks it).
nobase_dist_pkgdata_DATA = \
	sql/README.md \
	sql/schema.sql \
	sql/grants.sql \
	sql/migrations/001_initial.sql

# app/recorder.mk: build lines of the history writer (included by
# Makefile.am): app/recorder.c (the recorder process: ring -> MariaDB),
# app/history_db.c (the long ranges of /api/history) and their test,
# which runs against a real MariaDB when VT_TEST_MYSQL_OPTFILE is set.

app_libvitals_a_SOURCES += app/recorder.c app/recorder.h \
	app/history_db.c app/history_db.h

check_PROGRAMS += t/unit/recorder-t
t_unit_recorder_t_SOURCES = t/unit/recorder-t.c
t_unit_recorder_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/recorder-t

EXTRA_DIST += app/recorder.mk

# app/render/local.mk: build lines of the renderers (included by Makefile.am).
#
# json.c and prom.c turn one host sample (host.h) into the /api/metrics
# document and the host part of /metrics; utf8.c keeps the kernel's
# strings valid in both.  Their golden test compares the output for the
# fixture trees under t/fixtures/proc with t/expected/.

app_libvitals_a_SOURCES += \
	app/render/json.c app/render/json.h \
	app/render/jw.c app/render/jw.h \
	app/render/prom.c app/render/prom.h \
	app/render/openmetrics.c app/render/openmetrics.h \
	app/render/utf8.c app/render/utf8.h

check_PROGRAMS += t/unit/render-t
t_unit_render_t_SOURCES = t/unit/render-t.c
t_unit_render_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/render-t

check_PROGRAMS += t/unit/openmetrics-t
t_unit_openmetrics_t_SOURCES = t/unit/openmetrics-t.c
t_unit_openmetrics_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/openmetrics-t

EXTRA_DIST += app/render/local.mk

# On a mismatch the test keeps its output next to it for diff -u.
CLEANFILES += render-t.*.got

# The derived figures (app/derive.c) and the sampler that fills them,
# from the same fixture trees.
check_PROGRAMS += t/unit/derive-t
t_unit_derive_t_SOURCES = t/unit/derive-t.c
t_unit_derive_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/derive-t

# The slow collectors' results carried between scan ticks (sampler.c).
check_PROGRAMS += t/unit/sampler_carry-t
t_unit_sampler_carry_t_SOURCES = t/unit/sampler_carry-t.c
t_unit_sampler_carry_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/sampler_carry-t

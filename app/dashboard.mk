# app/dashboard.mk: build lines of the dashboard page (included by
# Makefile.am).
#
# GET / is app/handlers/dashboard.c, rendered by app/render/html.c; the
# page's script and style are the files under app/static/, which nginx
# serves under /static/ (from the checkout for ./stack, from
# $(pkgdatadir)/static once installed: conf/nginx's VT_STATIC_ROOT).
#
# app/static/vendor/ holds uPlot's dist files as published on npm, pinned
# in package.json and package-lock.json, so neither the build nor ./stack
# needs npm.  To refresh them: `npm ci && npm run vendor` (after changing
# the pinned version: `npm install --save-exact uplot@X.Y.Z` first).

app_libvitals_a_SOURCES += \
	app/handlers/dashboard.c \
	app/render/html.c app/render/html.h

check_PROGRAMS += t/unit/html-t
t_unit_html_t_SOURCES = t/unit/html-t.c
t_unit_html_t_LDADD = $(VT_TEST_LIBS)
TESTS += t/unit/html-t

# The page in headless Chromium against the real stack; it skips without
# chromium, without node_modules (npm ci) or with VT_NO_INTEGRATION.
TESTS += t/browser/dashboard.t

staticdir = $(pkgdatadir)/static
dist_static_DATA = \
	app/static/dashboard.js \
	app/static/dashboard.css \
	app/static/favicon.svg

staticvendordir = $(pkgdatadir)/static/vendor
dist_staticvendor_DATA = \
	app/static/vendor/uPlot.iife.min.js \
	app/static/vendor/uPlot.min.css \
	app/static/vendor/uPlot.LICENSE

EXTRA_DIST += app/dashboard.mk package.json package-lock.json \
	t/browser/dashboard.t t/browser/dashboard.js t/browser/vendor.js

# The verdict banner in Chromium while MariaDB is stopped and started
# again (issue 11); skips as dashboard.t does.
TESTS += t/browser/verdict-db.t
EXTRA_DIST += t/browser/verdict-db.t t/browser/verdict-db.js t/browser/driver.js

# The page's transports (issue 13): live push, push refused, push off;
# skips as dashboard.t does, and without nginx's Nchan module.
TESTS += t/browser/live.t
EXTRA_DIST += t/browser/live.t t/browser/live.js

# The master's verdict in Chromium while every worker is stopped: nginx
# serves the master's fallback files (issue 11); skips as dashboard.t does.
TESTS += t/browser/pool-fallback.t
EXTRA_DIST += t/browser/pool-fallback.t t/browser/pool-fallback.js

# conf/local.mk: build lines of this part (included by Makefile.am).
#
# The files under conf/ are templates (*.in).  `make` renders them with the
# installation directories of this build (@bindir@, @sysconfdir@ ...) and
# production defaults for the nginx site, `make install` installs them:
#
#   $(sysconfdir)/vitals/vitals.conf        the pool's configuration
#   $(bindir)/vitals-spawn                  the spawn-fcgi start script
#   $(systemdunitdir)/vitals.{socket,service}
#   $(pkgdatadir)/nginx/vitals.conf         the nginx site, to include from
#                                           the http{} block (or copy to
#                                           /etc/nginx/sites-available/)
#   $(pkgdatadir)/nginx/vitals-server.conf  what the site includes: the
#   $(pkgdatadir)/nginx/vitals-routes.conf  HTTPS server's settings, its
#   $(pkgdatadir)/nginx/vitals-fastcgi.conf locations, the FastCGI params
#   $(pkgdatadir)/nginx/vitals-live.conf    live push: the publisher and
#   $(pkgdatadir)/nginx/vitals-live-routes.conf  /api/live (vt_live=on)
#
# Every value below can be changed on the command line:
#   make install vt_server_name=vitals.example.net \
#       systemdunitdir=/etc/systemd/system

# systemd looks in $(prefix)/lib/systemd/system for /usr and /usr/local;
# following the prefix keeps `make distcheck` (an unprivileged install into
# a temporary prefix) working.
systemdunitdir = $(prefix)/lib/systemd/system
vitalsconfdir = $(sysconfdir)/vitals
nginxconfdir = $(pkgdatadir)/nginx

# Production defaults of the nginx site's placeholders.  The certificate is
# Debian's snakeoil pair (package ssl-cert): replace it with a real one.  The
# logs go where Debian's logrotate rule for nginx finds them; the cache
# directory is created by nginx under its own /var/lib/nginx.
vt_https_listen = 443
vt_http_listen = 80
vt_https_port_suffix =
vt_server_name = vitals.example.org
vt_socket = /run/vitals/vitals.sock
vt_cert = /etc/ssl/certs/ssl-cert-snakeoil.pem
vt_key = /etc/ssl/private/ssl-cert-snakeoil.key
vt_static_root = $(pkgdatadir)/static
vt_access_log = /var/log/nginx/vitals.access.log
vt_cache_dir = /var/lib/nginx/vitals-cache
vt_fastcgi_conf = $(nginxconfdir)/vitals-fastcgi.conf
vt_server_conf = $(nginxconfdir)/vitals-server.conf
vt_routes_conf = $(nginxconfdir)/vitals-routes.conf
# Live push (issue 13; README, "Live push"): off by default, since it
# needs nginx's Nchan module (libnginx-mod-nchan).  vt_live=on renders the
# include lines of the publisher's server and of /api/live; the publisher
# listens on vt_live_socket, the path the pool's live_socket key names.
#
# The socket is nginx's: its master creates it (mode 0666, nginx's own
# choice for every Unix listener) in vt_live_dir, which is what keeps
# everybody else out: make that directory 0750, owned by root and the
# pool's group (README, "Live push": a tmpfiles.d line).
# vt_live_max_subscribers: the cap of /api/live's open subscriptions.
vt_live = off
vt_live_dir = $(runstatedir)/vitals-live
vt_live_socket = $(vt_live_dir)/live.sock
vt_live_max_subscribers = 10000
vt_live_conf = $(nginxconfdir)/vitals-live.conf
vt_live_routes_conf = $(nginxconfdir)/vitals-live-routes.conf
# The master's fallback verdict (README, "When the pool cannot answer"):
# the folder the pool's fallback_dir key names (conf/vitals.conf) and
# nginx serves from (vitals-routes.conf).  vitals.service creates it as
# its RuntimeDirectory, owned by the vitals user, mode 0755: nginx's
# user reads the files, nobody else writes them.  /run, whatever the
# prefix, as vt_socket: systemd's RuntimeDirectory= is always under /run.
vt_fallback_dir = /run/vitals/fallback
# Monitoring hosts beyond loopback that may read /metrics and /status
# and are never rate limited: addresses or CIDR blocks, blank-separated.
vt_monitor_hosts =

vitalsconf_DATA = conf/vitals.conf
bin_SCRIPTS = conf/spawn/vitals-spawn
systemdunit_DATA = conf/spawn/vitals.socket conf/spawn/vitals.service
nginxconf_DATA = conf/nginx/vitals.conf conf/nginx/vitals-routes.conf \
	conf/nginx/vitals-live.conf conf/nginx/vitals-live-routes.conf
dist_nginxconf_DATA = conf/nginx/vitals-fastcgi.conf \
	conf/nginx/vitals-server.conf
dist_doc_DATA = README.md

VT_CONF_GENERATED = conf/vitals.conf conf/spawn/vitals-spawn \
	conf/spawn/vitals.socket conf/spawn/vitals.service conf/nginx/vitals.conf \
	conf/nginx/vitals-routes.conf conf/nginx/vitals-live.conf \
	conf/nginx/vitals-live-routes.conf

EXTRA_DIST += conf/vitals.conf.in conf/spawn/vitals-spawn.in \
	conf/spawn/vitals.socket.in conf/spawn/vitals.service.in \
	conf/nginx/vitals.conf.in conf/nginx/vitals-routes.conf.in \
	conf/nginx/vitals-live.conf.in conf/nginx/vitals-live-routes.conf.in
CLEANFILES += $(VT_CONF_GENERATED)

# The substitutions (vt_conf_edit, vt_conf_subst) are conf/render.mk's,
# which ./stack uses too.
include $(srcdir)/conf/render.mk

vt_conf_render = $(AM_V_GEN)$(MKDIR_P) $(@D) && rm -f $@ $@.tmp && \
	in=$(srcdir)/$@.in out=$@ && $(vt_conf_subst)

conf/vitals.conf: $(srcdir)/conf/vitals.conf.in Makefile
	$(vt_conf_render)
conf/spawn/vitals-spawn: $(srcdir)/conf/spawn/vitals-spawn.in Makefile
	$(vt_conf_render) && chmod +x $@
conf/spawn/vitals.socket: $(srcdir)/conf/spawn/vitals.socket.in Makefile
	$(vt_conf_render)
conf/spawn/vitals.service: $(srcdir)/conf/spawn/vitals.service.in Makefile
	$(vt_conf_render)
conf/nginx/vitals.conf: $(srcdir)/conf/nginx/vitals.conf.in Makefile
	$(vt_conf_render)
conf/nginx/vitals-routes.conf: $(srcdir)/conf/nginx/vitals-routes.conf.in Makefile
	$(vt_conf_render)
conf/nginx/vitals-live.conf: $(srcdir)/conf/nginx/vitals-live.conf.in Makefile
	$(vt_conf_render)
conf/nginx/vitals-live-routes.conf: $(srcdir)/conf/nginx/vitals-live-routes.conf.in Makefile
	$(vt_conf_render)

# Prometheus (issue 11): an example scrape job over HTTPS, rules that judge
# a fleet the way Vitals' checks judge one host, and promtool's tests of
# them.  Installed for reference in $(pkgdatadir)/prometheus;
# t/integration/prometheus-rules.t runs promtool and a real Prometheus
# against them.
prometheusconfdir = $(pkgdatadir)/prometheus
dist_prometheusconf_DATA = conf/prometheus/vitals-scrape.yml \
	conf/prometheus/vitals-rules.yml conf/prometheus/vitals-rules.test.yml

# Grafana (issue 12): a dashboard for Vitals hosts, importable as is (its
# data source is a variable).  Installed for reference in
# $(pkgdatadir)/grafana; t/integration/grafana-panels.t checks the model and
# runs every panel's queries through a real Prometheus.
grafanaconfdir = $(pkgdatadir)/grafana
dist_grafanaconf_DATA = conf/grafana/vitals-dashboard.json

# `vitals --check-config` (app/checkconf.c): the installed configuration
# it reads by default and the assets' folder it looks for.
app_libvitals_a_SOURCES += app/checkconf.c app/checkconf.h
AM_CPPFLAGS += -DVT_SYSCONF_DIR='"$(sysconfdir)"' \
	-DVT_STATIC_DIR='"$(pkgdatadir)/static"'

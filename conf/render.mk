# conf/render.mk: the one list of substitutions that turns the templates
# under conf/ (*.in) into configuration files.  conf/local.mk includes it
# for `make` and `make install`; ./stack runs it on its own, with the
# values of the private stack, through the vt-render target below:
#
#   make -f conf/render.mk vt-render srcdir=SRCDIR VT_RENDER_DIR=DIR \
#       VT_RENDER='conf/nginx/vitals.conf ...' vt_socket=... bindir=...
#
# renders SRCDIR/FILE.in into DIR/<the last part of FILE> for each FILE of
# VT_RENDER.  A placeholder left over is an error.
#
# The switch of live push, vt_live (on or off): VT_LIVE, written before a
# line of a template, renders as nothing when it is on and as "# " (the
# line commented out) otherwise.  ("#" is written \043: in a make
# variable it would start a comment.)  A value must not hold
# "|", "&" or "\" (sed's separator and the specials of its replacement).

# The paths are substituted at make time, not by configure, so that
# `make prefix=...` and `make install prefix=...` render what they install
# (the Autoconf manual's "Installation Directory Variables").
vt_conf_edit = sed \
	-e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@docdir[@]|$(docdir)|g' \
	-e 's|@runstatedir[@]|$(runstatedir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@VT_HTTPS_LISTEN[@]|$(vt_https_listen)|g' \
	-e 's|@VT_HTTP_LISTEN[@]|$(vt_http_listen)|g' \
	-e 's|@VT_HTTPS_PORT_SUFFIX[@]|$(vt_https_port_suffix)|g' \
	-e 's|@VT_SERVER_NAME[@]|$(vt_server_name)|g' \
	-e 's|@VT_SOCKET[@]|$(vt_socket)|g' \
	-e 's|@VT_CERT[@]|$(vt_cert)|g' \
	-e 's|@VT_KEY[@]|$(vt_key)|g' \
	-e 's|@VT_STATIC_ROOT[@]|$(vt_static_root)|g' \
	-e 's|@VT_ACCESS_LOG[@]|$(vt_access_log)|g' \
	-e 's|@VT_CACHE_DIR[@]|$(vt_cache_dir)|g' \
	-e 's|@VT_FASTCGI_CONF[@]|$(vt_fastcgi_conf)|g' \
	-e 's|@VT_SERVER_CONF[@]|$(vt_server_conf)|g' \
	-e 's|@VT_ROUTES_CONF[@]|$(vt_routes_conf)|g' \
	-e 's|@VT_LIVE_CONF[@]|$(vt_live_conf)|g' \
	-e 's|@VT_LIVE_ROUTES_CONF[@]|$(vt_live_routes_conf)|g' \
	-e 's|@VT_LIVE_SOCKET[@]|$(vt_live_socket)|g' \
	-e 's|@VT_LIVE_MAX_SUBSCRIBERS[@]|$(vt_live_max_subscribers)|g' \
	-e 's|@VT_FALLBACK_DIR[@]|$(vt_fallback_dir)|g' \
	-e "s|@VT_LIVE[@]|$$(test '$(vt_live)' = on || printf '\043 ')|g" \
	-e "s|@VT_MONITOR_GEO[@]|$$(for h in $(vt_monitor_hosts); do \
		printf '%s 1; ' "$$h"; done)|g"

# The shell commands that render "$in" into "$out", through "$out.tmp".
vt_conf_subst = $(vt_conf_edit) "$$in" >"$$out.tmp" && \
	if grep -n '@[A-Za-z_][A-Za-z_]*@' "$$out.tmp" >&2; then \
		echo "$$out: placeholders left" >&2; rm -f "$$out.tmp"; exit 1; \
	fi && mv "$$out.tmp" "$$out"

vt-render:
	@for f in $(VT_RENDER); do \
		in=$(srcdir)/$$f.in out=$(VT_RENDER_DIR)/$${f##*/}; \
		$(vt_conf_subst) || exit 1; \
	done

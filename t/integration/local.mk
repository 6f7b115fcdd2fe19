# t/integration/local.mk: build lines of this part (included by Makefile.am).
#
# Integration tests: Perl TAP scripts against the real nginx and pool (and
# MariaDB when a test asks), started on free loopback ports through ./stack
# by t/lib/VitalsTest.pm.  They skip when nginx or the program is missing,
# or when VT_NO_INTEGRATION is set (as `./stack test` does for distcheck).
# Each test is listed once, in the group of the issue that brought it.

VT_INTEGRATION_TESTS = \
	t/integration/health-live.t \
	t/integration/redirect.t \
	t/integration/errors.t \
	t/integration/body-limit.t \
	t/integration/socket-spawn.t \
	t/integration/socket-listen.t \
	t/integration/socket-activate.t \
	t/integration/static.t \
	t/integration/micro-cache.t \
	t/integration/stack.t

TESTS += $(VT_INTEGRATION_TESTS)
EXTRA_DIST += $(VT_INTEGRATION_TESTS)

# The pool (issue 3): supervision, signals, watchdog, recycling.
VT_POOL_TESTS = \
	t/integration/pool-kill.t \
	t/integration/worker-fds.t \
	t/integration/pool-reload.t \
	t/integration/pool-upgrade.t \
	t/integration/pool-watchdog.t \
	t/integration/pool-recycle.t \
	t/integration/pool-stop.t \
	t/integration/pool-crashloop.t \
	t/integration/pool-activate-restart.t \
	t/integration/pool-status.t \
	t/integration/pool-close.t \
	t/integration/master-pace.t

TESTS += $(VT_POOL_TESTS)
EXTRA_DIST += $(VT_POOL_TESTS)

# Host metrics (issue 4).
VT_METRICS_TESTS = t/integration/metrics.t t/integration/metrics-names.t
TESTS += $(VT_METRICS_TESTS)
EXTRA_DIST += $(VT_METRICS_TESTS)

# The database (issue 5).
VT_DB_TESTS = t/integration/health-db.t t/integration/health-db-faults.t \
	t/integration/recorder.t
TESTS += $(VT_DB_TESTS)
EXTRA_DIST += $(VT_DB_TESTS)

# Reliability (issue 17): a stalled log reader, the unit's address
# families under seccomp, the unit's systemd-analyze exposure.
VT_RELIABILITY_TESTS = \
	t/integration/log-stall.t \
	t/integration/unit-families.t \
	t/integration/unit-security.t

TESTS += $(VT_RELIABILITY_TESTS)
EXTRA_DIST += $(VT_RELIABILITY_TESTS)

# The edge (issue 17, item 8): ./stack's daemons inherit none of the
# caller's descriptors.
VT_EDGE_TESTS = t/integration/stack-fds.t
TESTS += $(VT_EDGE_TESTS)
EXTRA_DIST += $(VT_EDGE_TESTS)

# USR2 to another scoreboard layout: history and counters migrate (issue 17).
VT_UPGRADE_MIGRATE_TESTS = t/integration/pool-upgrade-migrate.t
TESTS += $(VT_UPGRADE_MIGRATE_TESTS)
EXTRA_DIST += $(VT_UPGRADE_MIGRATE_TESTS)

# Reliability (issue 17, item 5): the micro-cache never hides a dead pool.
VT_CACHE_STALE_TESTS = t/integration/micro-cache-stale.t
TESTS += $(VT_CACHE_STALE_TESTS)
EXTRA_DIST += $(VT_CACHE_STALE_TESTS)

# Reliability (issue 17): the worker's accept and read path: out of file
# descriptors, malformed FastCGI records, stalled clients.
VT_POOL_INPUT_TESTS = \
	t/integration/pool-emfile.t \
	t/integration/pool-badrecord.t \
	t/integration/pool-stall.t

TESTS += $(VT_POOL_INPUT_TESTS)
EXTRA_DIST += $(VT_POOL_INPUT_TESTS)

# The checks (issue 11): each fault induced on the real stack, read back
# from /api/checks, /metrics and the log; the notify command.
VT_CHECKS_TESTS = \
	t/integration/checks-database.t \
	t/integration/checks-notify.t \
	t/integration/checks-pool.t \
	t/integration/checks-reload.t \
	t/integration/pool-fallback.t

TESTS += $(VT_CHECKS_TESTS)
EXTRA_DIST += $(VT_CHECKS_TESTS)

# The shipped Prometheus files (issue 11): promtool, and a real Prometheus
# scraping the stack with the rules.
VT_PROMETHEUS_TESTS = t/integration/prometheus-rules.t
TESTS += $(VT_PROMETHEUS_TESTS)
EXTRA_DIST += $(VT_PROMETHEUS_TESTS)

# Listeners (issue 11): every listener's accept queue and owner, the
# CLOSE_WAIT holders, file-nr and vmstat on the real stack.
VT_LISTENERS_TESTS = t/integration/listeners.t
TESTS += $(VT_LISTENERS_TESTS)
EXTRA_DIST += $(VT_LISTENERS_TESTS)

# node_exporter's /proc/net collectors (issue 12, part A), side by side
# with the real node_exporter.
VT_PROC_NET_TESTS = t/integration/proc-net.t
TESTS += $(VT_PROC_NET_TESTS)
EXTRA_DIST += $(VT_PROC_NET_TESTS)

# The package and the production edge (issue 16).
VT_PKG_TESTS = \
	t/integration/check-config.t \
	t/integration/edge-limits.t \
	t/integration/allowlist.t \
	t/integration/package.t
TESTS += $(VT_PKG_TESTS)
EXTRA_DIST += $(VT_PKG_TESTS)

# Reliability suite (issue 17): the hostile-input corpus through nginx and
# raw at the pool's socket (t/corpus/hostile/), slowloris and slow
# readers, a full backlog, a slow request, /proc read failures.
VT_HOSTILE_TESTS = \
	t/integration/hostile-input.t \
	t/integration/slow-clients.t \
	t/integration/backlog-full.t \
	t/integration/slow-request.t \
	t/integration/proc-failures.t
TESTS += $(VT_HOSTILE_TESTS)
EXTRA_DIST += $(VT_HOSTILE_TESTS) t/corpus

# The soak (issue 17): t/soak/run, run by ./stack test --long.
EXTRA_DIST += t/soak

# The listeners and close_wait checks (issue 11): a full accept queue and
# a CLOSE_WAIT holder, named in /api/checks, then the recovery.
VT_CHECKS_SOCKET_TESTS = t/integration/checks-listeners.t
TESTS += $(VT_CHECKS_SOCKET_TESTS)
EXTRA_DIST += $(VT_CHECKS_SOCKET_TESTS)

# The first paint with a stalled sampler (issue 11): GET / judges the
# sampler from the sample's age at each request.
VT_DASHBOARD_STALE_TESTS = t/integration/dashboard-stale.t
TESTS += $(VT_DASHBOARD_STALE_TESTS)
EXTRA_DIST += $(VT_DASHBOARD_STALE_TESTS)

# Live push (issue 13): nginx's Nchan fans out what the master publishes.
VT_LIVE_TESTS = t/integration/live.t
TESTS += $(VT_LIVE_TESTS)
EXTRA_DIST += $(VT_LIVE_TESTS)

# The textfile collector (issue 12): textfile_dir's files in /metrics,
# good, bad, replaced and removed, on the real stack; the time and timex
# collectors against date(1), sysfs and adjtimex(2).
VT_TEXTFILE_TESTS = t/integration/textfile.t t/integration/time.t
TESTS += $(VT_TEXTFILE_TESTS)
EXTRA_DIST += $(VT_TEXTFILE_TESTS)

# node_exporter parity and the Grafana pack (issue 12): Vitals side by side
# with Debian's node_exporter, through the strict exposition parser that
# expo-parse.t checks; the shipped dashboard's every query through a real
# Prometheus.
VT_PARITY_TESTS = \
	t/integration/expo-parse.t \
	t/integration/node-exporter-parity.t \
	t/integration/grafana-panels.t
TESTS += $(VT_PARITY_TESTS)
EXTRA_DIST += $(VT_PARITY_TESTS)

# The sampler at scale (issue 14): TCP states and listener queues with
# 10 000 loopback connections, against ss; /proc files that go away while
# the pool runs.
VT_SCALE_TESTS = t/integration/scale-tcp.t t/integration/proc-vanish.t
TESTS += $(VT_SCALE_TESTS)
EXTRA_DIST += $(VT_SCALE_TESTS)

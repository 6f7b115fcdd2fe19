# t/bench/live.bash: the live-push scenario of the bench (issue 13),
# `./stack bench --live [--quick]`, sourced by t/bench/run, which owns the
# stack, the ports, the tools and the clean-up; this file adds the scenario
# and its report (t/bench/report-live.pl).
#
# The stack is the production site with live push on (VT_LIVE=1: nginx
# loads the Nchan module, the pool's master publishes each sample), plus
# one bench-only server: the site's locations (vitals-routes.conf) under
# its settings (vitals-server.conf) on a plain-HTTP loopback port, so the
# load client measures nginx's fan-out and not ten thousand TLS
# handshakes.  No MariaDB: the scenario is about the sampler, nginx and
# the viewers, and the history writer would only add noise.
#
# For each N (1 000, 5 000, 10 000; --quick: 1 000), t/bench/subs opens N
# connections (2 000 a second), then measures a window of LIVE_WINDOW_S:
#   live  N EventSource subscribers of /api/live;
#   poll  the same N viewers polling /api/metrics once a second through
#         the micro-cache, as the page does without push.
# Around each window, from /proc: the CPU of nginx (master and workers),
# of the pool (master and its children), of the load client and of the
# whole machine (/proc/stat, which today includes whatever else runs on
# it), and nginx's memory (PSS, the shared zones counted once).  The same
# figures with no viewer at all come first: the baseline.
#
# nginx is rendered with worker_connections LIVE_WORKER_CONNECTIONS (each
# subscriber holds one connection; nginx's accept may give one worker
# most of them), and the bench raises its own RLIMIT_NOFILE to the hard
# limit, which nginx (worker_rlimit_nofile) and the client inherit.

LIVE_WORKER_CONNECTIONS=16384
LIVE_RATE=2000			# new connections a second

# live_snapshot: "pool nginx 0 busy total t pss rss" - CPU ticks of the
# pool's processes (its master and children), of nginx's (master and
# workers), a 0 where the load client's were (subs measures its own), the
# machine's busy and total jiffies (/proc/stat), the time, nginx's PSS and
# RSS in kB.  One perl process reads it all: on a loaded machine a fork
# per file took seconds, longer than the window it was to bracket.
live_snapshot() {
	perl -e '
		use Time::HiRes qw(time);
		my ($pool_leader, $ngx_leader) = @ARGV;
		my (%ppid, %ticks);
		opendir(my $d, "/proc") or die;
		for my $p (grep { /^\d+$/ } readdir($d)) {
			open(my $f, "<", "/proc/$p/stat") or next;
			my $s = <$f> // next;
			$s =~ s/^.*\) //s;
			my @f = split(" ", $s);
			$ppid{$p} = $f[1];
			$ticks{$p} = $f[11] + $f[12];
		}
		my @pool = grep { $_ == $pool_leader || $ppid{$_} == $pool_leader }
		    keys %ticks;
		my @ngx = grep { $_ == $ngx_leader || $ppid{$_} == $ngx_leader }
		    keys %ticks;
		my ($pool, $nginx, $pss, $rss) = (0, 0, 0, 0);
		$pool += $ticks{$_} for @pool;
		for my $p (@ngx) {
			$nginx += $ticks{$p};
			open(my $f, "<", "/proc/$p/smaps_rollup") or next;
			while (<$f>) {
				$pss += $1 if /^Pss:\s+(\d+)/;
				$rss += $1 if /^Rss:\s+(\d+)/;
			}
		}
		open(my $st, "<", "/proc/stat") or die;
		my @c = split(" ", scalar <$st>);
		my $total = 0;
		$total += $c[$_] for 1 .. 8;
		printf("%d %d 0 %d %d %.6f %d %d\n", $pool, $nginx,
		    $total - $c[4] - $c[5], $total, time, $pss, $rss);
	' "$(leader_pid "$APP_PIDFILE")" "$(leader_pid "$NGX_PIDFILE")"
}

# live_status: the pool's /status (its "live" member counts the master's
# publishes by result), through the bench's server.
live_status() {
	curl -s --max-time 5 "http://127.0.0.1:$BENCH_PORT/status" || true
}

# live_record MODE N BEFORE AFTER: one line of live.tsv.
live_record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RES/live.tsv"
}

# live_baseline: the same window with no viewer.
live_baseline() {
	local a b
	say "live: baseline, no viewer, ${LIVE_WINDOW_S} s"
	sleep 2
	live_status >"$RAW/idle.0.txt.status0.json"
	a=$(live_snapshot)
	sleep "$LIVE_WINDOW_S"
	b=$(live_snapshot)
	live_status >"$RAW/idle.0.txt.status1.json"
	live_record idle 0 "$a" "$b"
}

# live_run MODE N: t/bench/subs in MODE with N connections; the snapshots
# bracket its measured window; its report goes to raw/MODE.N.txt.
live_run() {
	local mode=$1 n=$2 warm a b rc=0
	local out=$RAW/$mode.$n.txt
	# The connections open at LIVE_RATE a second, then two seconds more
	# (the last handshakes, the first events).
	warm=$((n / LIVE_RATE + 3))
	say "live: $mode, $n viewers (${warm} s to connect, ${LIVE_WINDOW_S} s measured)"
	NGX_ERR_OFF=$(stat -c %s "$LOG/nginx-error.log" 2>/dev/null || echo 0)
	"$SUBS" -m "$mode" -n "$n" -w "$warm" -d "$LIVE_WINDOW_S" -g 2 \
		-r "$LIVE_RATE" -a 127.0.0.1 -p "$BENCH_PORT" \
		>"$out" 2>"$out.err" </dev/null 9>&- &
	local client=$!
	LOAD_PIDS=("$client")
	sleep "$warm"
	live_status >"$out.status0.json"
	a=$(live_snapshot)
	sleep "$LIVE_WINDOW_S"
	b=$(live_snapshot)
	live_status >"$out.status1.json"
	# The client stops by itself after its grace; the deadline is a
	# guard.
	local deadline=$((SECONDS + 30))
	while kill -0 "$client" 2>/dev/null && ((SECONDS < deadline)); do
		sleep 0.2
	done
	kill -TERM "$client" 2>/dev/null || true
	wait "$client" || rc=$?
	LOAD_PIDS=()
	((rc == 0)) || warn "subs ($mode, $n) exited with $rc (see $out.err)"
	live_record "$mode" "$n" "$a" "$b"
	tail -c +$((NGX_ERR_OFF + 1)) "$LOG/nginx-error.log" 2>/dev/null |
		grep -Ev '\[(notice|info)\]' >"$out.nginx-errors" || true
	[[ -s $out.nginx-errors ]] || rm -f "$out.nginx-errors"
	# nginx closes the connections; the next run starts from a quiet
	# machine.
	sleep 3
}

# live_render_nginx: bench.conf, the plain-HTTP server of the site.
live_render_nginx() {
	mkdir -p "$NGX"
	cat >"$NGX/bench.conf" <<EOF
# bench.conf: written by t/bench/run --live, included by the bench's
# nginx.conf only.  The site's locations (/api/live, /api/metrics with its
# micro-cache ...) under the site's settings, on plain HTTP on loopback:
# the load client measures the fan-out, not TLS.
server {
    listen 127.0.0.1:$BENCH_PORT;
    server_name bench-live;
    access_log off;
    include $NGX/vitals-server.conf;
    include $NGX/vitals-routes.conf;
}
EOF
}

# live_wait_sample: a subscriber of the plain server gets a sample within
# 5 s (the master publishes), or the bench says why it has no figures.
live_wait_sample() {
	local got
	got=$(timeout -k 2 6 curl -sN --max-time 5 -H 'Accept: text/event-stream' \
		"http://127.0.0.1:$BENCH_PORT/api/live" 2>/dev/null |
		grep -m 1 -c '"timestamp_ms"' || true)
	meta live_first_sample "${got:-0}"
	[[ ${got:-0} -ge 1 ]] ||
		warn "no sample on /api/live within 5 s: the pool does not publish (live_socket?); the live figures will be empty"
}

# live_start_nginx: nginx with the bench's server; on ports taken since
# they were chosen (the build takes a minute, other work binds ports
# meanwhile), new ones, three tries.
live_start_nginx() {
	local try
	for try in 1 2 3; do
		live_render_nginx
		"$STACK" start nginx && return 0
		grep -q 'Address already in use' "$LOG/nginx-error.log" ||
			break
		mapfile -t PORTS < <(free_ports 3)
		export VT_HTTPS_PORT=${PORTS[0]} VT_HTTP_PORT=${PORTS[1]}
		BENCH_PORT=${PORTS[2]}
		: >"$LOG/nginx-error.log"
		warn "a port was taken: trying $VT_HTTPS_PORT, $VT_HTTP_PORT, $BENCH_PORT"
	done
	die "stack start nginx failed"
}

main_live() {
	say "results in $RES"
	meta mode "live$( ((QUICK)) && echo -quick)"
	meta started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	meta loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg)"
	local -a sizes=(1000 5000 10000)
	LIVE_WINDOW_S=30
	if ((QUICK)); then
		sizes=(1000)
		LIVE_WINDOW_S=10
	fi
	# A diagnosis: other sizes (a run with them is not copied beside
	# the bench).
	if [[ -n ${VT_BENCH_LIVE_SIZES:-} ]]; then
		read -r -a sizes <<<"$VT_BENCH_LIVE_SIZES"
		local n
		for n in "${sizes[@]}"; do
			[[ $n =~ ^[1-9][0-9]{0,4}$ ]] ||
				die "VT_BENCH_LIVE_SIZES: numbers from 1 to 99999, not '$n'"
		done
	fi
	meta live_window_s "$LIVE_WINDOW_S"
	meta live_sizes "${sizes[*]}"

	mkdir -p "$RUN" "$LOG" "$ETC"
	exec 9>"$STATE/.bench.lock"
	flock -n 9 || die "another bench runs in $STATE"
	prepare_tools
	build_programs
	if ((BUILD_IT)); then
		make -C "$BUILD" t/bench/subs >/dev/null || die "make t/bench/subs failed"
	fi
	SUBS=$BUILD/t/bench/subs
	[[ -x $SUBS ]] || die "no load client at $SUBS (make -C $BUILD t/bench/subs)"
	# A descriptor a subscriber, in nginx and in the client.
	ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true
	: >"$LOG/nginx-error.log"

	export VT_LIVE=1 VT_NGINX_WORKER_CONNECTIONS=$LIVE_WORKER_CONNECTIONS
	"$STACK" start app || die "stack start app failed"
	live_start_nginx
	machine_meta
	meta clk_tck "$(getconf CLK_TCK)"
	meta live_cap "$(awk '$1 == "limit_conn" && $2 == "vitals_live" { sub(/;/, "", $3); print $3 }' \
		"$NGX/vitals-live-routes.conf")"
	live_wait_sample

	live_baseline
	local n
	for n in "${sizes[@]}"; do
		live_run live "$n"
		live_run poll "$n"
	done

	meta loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg)"
	cp "$NGX/nginx.conf" "$NGX/bench.conf" "$RES/" 2>/dev/null || true
	stop_all
	meta elapsed_s "$((SECONDS - BENCH_T0))"
	perl "$BENCH_SRC/report-live.pl" "$RES" || die "report-live.pl failed on $RES"
	ln -sfn "$STAMP" "$STATE/results/latest-live"
	say "report: $RES/report.md"
	if ((!QUICK)) && [[ -z ${VT_BENCH_LIVE_SIZES:-} ]]; then
		mkdir -p "$BENCH_SRC/results"
		sed 's|(plot\.svg)|(live.svg)|' "$RES/report.md" \
			>"$BENCH_SRC/results/live.md"
		rm -f "$BENCH_SRC/results/live.svg"
		if [[ -f $RES/plot.svg ]]; then
			cp "$RES/plot.svg" "$BENCH_SRC/results/live.svg"
		fi
		say "copied to t/bench/results/live.md"
	fi
	say "done in $((SECONDS - BENCH_T0)) s"
}

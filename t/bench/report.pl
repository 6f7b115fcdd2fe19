#!/usr/bin/perl
# t/bench/report.pl: the benchmark's report, from the raw outputs that
# t/bench/run left in a results folder.
#
#   perl t/bench/report.pl RESULTS_DIR
#
# Reads meta.tsv, runs.tsv (one line per wrk or ab run), raw/* (their
# outputs, and the nginx error-log lines each run caused), memory.tsv,
# cpu.tsv, status-start.json and status-end.json; writes report.md,
# plot.dat, plot.gp and (with gnuplot) plot.svg into RESULTS_DIR, and prints
# a summary on stdout.  Medians are over the rounds; ratios compare medians
# measured in the same run.  Core Perl only.
use strict;
use warnings;
use JSON::PP;
use List::Util qw(max min sum);

my $dir = shift @ARGV or die "usage: report.pl RESULTS_DIR\n";
-d $dir or die "report.pl: no folder $dir\n";

# --- Input ---------------------------------------------------------------

sub slurp {
	my ($f) = @_;
	open(my $fh, '<', $f) or return '';
	local $/;
	return scalar <$fh>;
}

sub tsv {
	my ($f) = @_;
	my @rows;
	for my $line (split /\n/, slurp($f)) {
		next if $line eq '';
		push @rows, [split /\t/, $line, -1];
	}
	return @rows;
}

my %meta = map { $_->[0] => $_->[1] // '' } tsv("$dir/meta.tsv");
my @targets = grep { $_ ne '' } split /\n/, slurp("$dir/targets.txt");
my %present = map { $_ => 1 } @targets;
my $workers = $meta{workers} || 2;

# A latency in wrk's units, in milliseconds.
sub ms {
	my ($v) = @_;
	return undef if !defined $v;
	my ($n, $u) = $v =~ /^([\d.]+)(us|ms|s|m)?$/ or return undef;
	$u //= 'ms';
	return $n / 1000 if $u eq 'us';
	return $n if $u eq 'ms';
	return $n * 1000 if $u eq 's';
	return $n * 60000;
}

sub parse_wrk {
	my ($text) = @_;
	my %r = (tool => 'wrk', non2xx => 0, sockerr => 0);
	$r{rps} = $1 if $text =~ /^Requests\/sec:\s+([\d.]+)/m;
	$r{requests} = $1 if $text =~ /^\s*(\d+) requests in/m;
	for my $p (50, 75, 90, 99) {
		$r{"p$p"} = ms($1) if $text =~ /^\s+$p(?:\.000)?%\s+(\S+)/m;
	}
	$r{max} = ms($1) if $text =~ /^\s+Latency\s+\S+\s+\S+\s+(\S+)/m;
	if ($text =~ /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/) {
		$r{sockerr} = $1 + $2 + $3 + $4;
		$r{sockdetail} = "connect $1, read $2, write $3, timeout $4";
	}
	$r{non2xx} = $1 if $text =~ /Non-2xx or 3xx responses: (\d+)/;
	$r{ok} = defined $r{rps} && ($r{requests} // 0) > 0;
	return \%r;
}

sub parse_ab {
	my ($text) = @_;
	my %r = (tool => 'ab', non2xx => 0, sockerr => 0);
	$r{rps} = $1 if $text =~ /^Requests per second:\s+([\d.]+)/m;
	$r{requests} = $1 if $text =~ /^Complete requests:\s+(\d+)/m;
	if ($text =~ /\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)/) {
		$r{sockerr} = $1 + $2 + $4;
		$r{sockdetail} = "connect $1, receive $2, exceptions $4";
	}
	$r{sockerr} += $1 if $text =~ /^Write errors:\s+(\d+)/m;
	$r{non2xx} = $1 if $text =~ /^Non-2xx responses:\s+(\d+)/m;
	for my $p (50, 75, 90, 99) {
		$r{"p$p"} = $1 if $text =~ /^\s+$p%\s+(\d+)/m;
	}
	$r{max} = $1 if $text =~ /^\s+100%\s+(\d+)/m;
	$r{keepalive} = $1 if $text =~ /^Keep-Alive requests:\s+(\d+)/m;
	# ab stops at its first socket error unless -r, and says why.
	if ($text =~ /^(apr_\S+.*)$/m) {
		$r{aborted} = $1;
		$r{sockerr} ||= 1;
	}
	$r{ok} = defined $r{rps} && ($r{requests} // 0) > 0;
	return \%r;
}

# runs{log}{target}{load} = [ result, ... ] (one per round)
my (%runs, @collateral, %nginx_err, %elapsed);
for my $row (tsv("$dir/runs.tsv")) {
	my ($round, $log, $target, $load, $t0, $t1, $rc, $file, $extra) = @$row;
	my $text = slurp("$dir/$file");
	my $r = $load =~ /^ab/ ? parse_ab($text) : parse_wrk($text);
	$r->{round} = $round;
	$r->{rc} = $rc;
	$r->{secs} = $t1 - $t0;
	$r->{$1} = $2 while ($extra // '') =~ /(\w+)=(-?[\d.]+)/g;
	# The answers that count: 2xx (and 3xx), except for /health with the
	# DB hung, whose 503 is the right answer.
	$r->{all_rps} = $r->{rps};
	if ($r->{ok} && $target ne 'health_hang' && $target ne 'health_hang_load') {
		$r->{rps} *= ($r->{requests} - $r->{non2xx}) / $r->{requests};
	}
	if ($load eq 'collateral') {
		$r->{target} = $target;
		push @collateral, $r;
		next;
	}
	push @{ $runs{$log}{$target}{$load} }, $r;
	my $errs = slurp("$dir/$file.nginx-errors");
	for my $line (split /\n/, $errs) {
		my $m = $line;
		$m =~ s/^\S+ \S+ \[(\w+)\] \d+#\d+: (\*\d+ )?/[$1] /;
		$m =~ s/, client: .*//;
		$m =~ s/\d+\.\d+\.\d+\.\d+:\d+/ADDR/g;
		$m =~ s{unix:/\S+?(?=[" ,]|$)}{unix:SOCKET}g;
		$m = substr($m, 0, 110);
		$nginx_err{"$target $load ($log)"}{$m}++;
	}
}

sub median {
	my @v = sort { $a <=> $b } grep { defined } @_;
	return undef if !@v;
	my $n = @v;
	return $n % 2 ? $v[$n / 2] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

# stat(log, target, load, field): the median over the rounds.
sub stat_of {
	my ($log, $target, $load, $field) = @_;
	my $rs = $runs{$log}{$target}{$load} or return undef;
	return median(map { $_->{$field} } grep { $_->{ok} } @$rs);
}

# paired: the median over the rounds of target's req/s over the bare
# responder's, measured just before it at the same load (t/bench/run's
# pair_<target> runs); undef without pairs.
sub paired {
	my ($target, $load) = @_;
	my %bare = map { $_->{round} => $_->{rps} }
	    grep { $_->{ok} && $_->{rps} } @{ $runs{"pair_$target"}{bare}{$load} || [] };
	my @r = map { $_->{rps} / $bare{ $_->{round} } }
	    grep { $_->{ok} && $bare{ $_->{round} } } @{ $runs{on}{$target}{$load} || [] };
	return @r ? median(@r) : undef;
}

sub total_of {
	my ($log, $target, $load, $field) = @_;
	my $rs = $runs{$log}{$target}{$load} or return undef;
	return sum(0, map { $_->{$field} // 0 } @$rs);
}

# spread: half the range of the rounds' req/s, as a share of the median.
sub spread {
	my ($log, $target, $load) = @_;
	my $rs = $runs{$log}{$target}{$load} or return '';
	my @v = map { $_->{rps} } grep { $_->{ok} } @$rs;
	return '' if @v < 2;
	my $m = median(@v) or return '';
	return sprintf('%.0f %%', 50 * (max(@v) - min(@v)) / $m);
}

sub failed_runs {
	my ($log, $target, $load) = @_;
	my $rs = $runs{$log}{$target}{$load} or return 0;
	return scalar grep { !$_->{ok} } @$rs;
}

# --- Formatting ----------------------------------------------------------

sub fnum {
	my ($v) = @_;
	return 'n/a' if !defined $v;
	my $s = sprintf('%.0f', $v);
	1 while $s =~ s/^(\d+)(\d{3})/$1 $2/;
	return $s;
}

sub fms {
	my ($v) = @_;
	return 'n/a' if !defined $v;
	return sprintf('%.0f', $v) if $v >= 100;
	return sprintf('%.1f', $v) if $v >= 10;
	return sprintf('%.2f', $v);
}

sub fratio {
	my ($a, $b) = @_;
	return 'n/a' if !defined $a || !defined $b || $b == 0;
	my $r = $a / $b;
	return sprintf('%.2f', $r) if $r < 10;
	return sprintf('%.0f', $r);
}

sub ratio {
	my ($a, $b) = @_;
	return undef if !defined $a || !defined $b || $b == 0;
	return $a / $b;
}

my %label = (
	return200          => 'nginx `return 200`',
	static             => 'nginx static file',
	bare               => "bare libfcgi ($workers workers)",
	bare5k             => 'bare libfcgi, 5 KiB body',
	bare5k_scrape      => 'bare libfcgi, 5 KiB body, asked as Prometheus asks',
	health_live        => '`/health/live`',
	api_metrics        => '`/api/metrics` (no cache)',
	api_metrics_cached => '`/api/metrics` (micro-cache)',
	metrics            => '`/metrics` (as Prometheus scrapes it)',
	metrics_plain      => '`/metrics` (text, uncompressed)',
	health             => '`/health` (DB up)',
	health_hang        => '`/health` (DB hung; its 503s count)',
	dashboard          => '`/` (dashboard)',
	php_ping           => "PHP-FPM ping (static pool of $workers)",
	node_exporter      => 'node_exporter `/metrics`',
);
my @all_targets = qw(return200 static bare bare5k bare5k_scrape health_live api_metrics
    api_metrics_cached metrics metrics_plain health health_hang dashboard php_ping
    node_exporter);
my %kind = (return200 => 'ceiling', static => 'ceiling', bare => 'ceiling',
    bare5k => 'ceiling', bare5k_scrape => 'ceiling',
    php_ping => 'peer', node_exporter => 'peer');
my @pool_endpoints = grep { $present{$_} }
    qw(health_live api_metrics metrics metrics_plain health dashboard);

sub plain {
	my ($s) = @_;
	$s =~ s/`//g;
	return $s;
}

sub absent_reason {
	my ($t) = @_;
	return "n/a: `/` answers $meta{dashboard_status} (the page has not landed)"
	    if $t eq 'dashboard';
	return 'n/a: php-fpm is not installed (`--peers` installs it)'
	    if $t eq 'php_ping' && !$meta{php_fpm};
	return 'n/a: prometheus-node-exporter is not installed (`--peers`)'
	    if $t eq 'node_exporter' && !$meta{node_exporter};
	return 'n/a: did not answer';
}

my @loads = (
	[c10 => 'wrk -c 10'], [c100 => 'wrk -c 100'], [c1000 => 'wrk -c 1000'],
	[ab => 'ab -k -n 20000 -c 10'],
);

sub load_table {
	my ($load, $title) = @_;
	my @out;
	push @out, "### $title\n";
	push @out, '| target | req/s (2xx) | ± | ×return 200 | ×static | ×bare '
	    . '| ×bare 5 KiB | p50 ms | p90 ms | p99 ms | max ms | non-2xx | socket errors |';
	push @out, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
	my %ceil = map { $_ => stat_of('on', $_, $load, 'rps') }
	    qw(return200 static bare bare5k);
	for my $t (@all_targets) {
		if (!$present{$t}) {
			push @out, "| $label{$t} | " . absent_reason($t)
			    . ' | | | | | | | | | | | |';
			next;
		}
		if (!$runs{on}{$t}{$load}) {
			push @out, "| $label{$t} | not run | | | | | | | | | | | |";
			next;
		}
		my $rps = stat_of('on', $t, $load, 'rps');
		my $fail = failed_runs('on', $t, $load);
		my $note = $fail ? " ($fail run(s) without an answer)" : '';
		my $ka = stat_of('on', $t, $load, 'keepalive');
		$note .= ' (no keep-alive: the server closes)'
		    if defined $ka && $ka < 0.5 * (stat_of('on', $t, $load, 'requests') // 0);
		my $all = stat_of('on', $t, $load, 'all_rps');
		$note .= ' (' . fnum($all) . ' with the errors)'
		    if defined $all && defined $rps && $all > 1.02 * $rps;
		my @c = (
			$label{$t},
			fnum($rps) . $note, spread('on', $t, $load),
			fratio($rps, $ceil{return200}), fratio($rps, $ceil{static}),
			fratio($rps, $ceil{bare}), fratio($rps, $ceil{bare5k}),
			(map { fms(stat_of('on', $t, $load, $_)) } qw(p50 p90 p99 max)),
			fnum(stat_of('on', $t, $load, 'non2xx')) . ' / '
			    . fnum(total_of('on', $t, $load, 'non2xx')),
			fnum(stat_of('on', $t, $load, 'sockerr')) . ' / '
			    . fnum(total_of('on', $t, $load, 'sockerr')),
		);
		push @out, '| ' . join(' | ', @c) . ' |';
	}
	return join("\n", @out) . "\n";
}

# --- Memory and CPU ------------------------------------------------------

my %mem;    # label -> [ [role, pid, rss, pss, uss, requests], ... ]
for my $r (tsv("$dir/memory.tsv")) {
	my ($lbl, $role, $pid, $rss, $pss, $uss, $req) = @$r;
	push @{ $mem{$lbl} }, [$role, $pid, $rss, $pss, $uss, $req];
}
my @mem_labels = grep { $mem{$_} } qw(fresh warm first second end);

sub mem_of {
	my ($lbl, $pid) = @_;
	for my $p (@{ $mem{$lbl} || [] }) {
		return $p if $p->[1] eq $pid;
	}
	return undef;
}

my %cpu;
for my $r (tsv("$dir/cpu.tsv")) {
	my ($k, $pid, $c0, $c1, $t0, $t1, $tck, $extra) = @$r;
	next if !$tck || $t1 <= $t0;
	my %c = (pid => $pid, secs => $t1 - $t0,
	    pct => 100 * ($c1 - $c0) / $tck / ($t1 - $t0));
	if (($extra // '') =~ /^([\d.e+-]+):([\d.e+-]+)$/) {
		$c{self_pct} = 100 * ($2 - $1) / ($t1 - $t0);
	}
	$cpu{$k} = \%c;
}

# --- The targets of issue 6 ----------------------------------------------

my @checks;    # [ target text, measured text, PASS|FAIL|n/a ]

sub check {
	my ($what, $measured, $ok) = @_;
	push @checks, [$what, $measured,
	    !defined $ok ? 'n/a' : $ok ? 'PASS' : 'FAIL'];
}

for my $t (qw(api_metrics metrics)) {
	for my $load (qw(c10 c100)) {
		# The paired ratio when the run has pairs, else the medians'.
		my $rr = paired($t, $load) // ratio(stat_of('on', $t, $load, 'rps'),
		    stat_of('on', 'bare', $load, 'rps'));
		my $pr = ratio(stat_of('on', $t, $load, 'p99'),
		    stat_of('on', 'bare', $load, 'p99'));
		my $n = $load =~ s/^c/c=/r;
		check("$label{$t}, $n: ≥ 0.9 × bare req/s and p99 ≤ 1.2 × bare p99",
		    'req/s ' . (defined paired($t, $load) ? sprintf('%.2f', paired($t,
		    $load)) . ' × bare in pairs (' . fratio(stat_of('on', $t, $load,
		    'rps'), stat_of('on', 'bare', $load, 'rps')) . ' × the median)'
		    : fratio(stat_of('on', $t, $load, 'rps'),
		    stat_of('on', 'bare', $load, 'rps')) . ' × bare') . ', p99 '
		    . fratio(stat_of('on', $t, $load, 'p99'),
		    stat_of('on', 'bare', $load, 'p99')) . ' × bare (req/s '
		    . fratio(stat_of('on', $t, $load, 'rps'),
		    stat_of('on', $t eq 'metrics' ? 'bare5k_scrape' : 'bare5k', $load,
		    'rps')) . ($t eq 'metrics' ? ' × the 5 KiB bare asked with '
		    . 'Prometheus\'s headers, the same request and a body of its size)'
		    : ' × the 5 KiB bare, a body of its size)'),
		    defined $rr && defined $pr ? ($rr >= 0.9 && $pr <= 1.2) : undef);
	}
}
for my $load (qw(c10 c100)) {
	my $rr = paired('health', $load) // ratio(stat_of('on', 'health', $load, 'rps'),
	    stat_of('on', 'bare', $load, 'rps'));
	check("`/health` (DB up), c=" . substr($load, 1) . ': ≥ 0.9 × bare req/s',
	    defined $rr ? sprintf('%.2f × bare', $rr)
	    . (defined paired('health', $load) ? ' in pairs' : '') : 'n/a',
	    defined $rr ? $rr >= 0.9 : undef);
}
{
	my (%by, $all) = ();
	$all = 0;
	for my $c (@collateral) {
		next if $c->{target} eq 'health_hang_load';
		my $e = ($c->{non2xx} // 0) + ($c->{sockerr} // 0) + ($c->{ok} ? 0 : 1);
		$by{ $c->{target} } += $e;
		$all += $e;
	}
	my $txt = %by
	    ? join(', ', map { plain($label{$_} // $_) . " $by{$_}" } sort keys %by)
	    : 'not measured';
	check('During a DB hang: 0 errors on every other endpoint',
	    "errors: $txt", %by ? $all == 0 : undef);
}
for my $load (qw(c10 c100)) {
	my $rr = ratio(stat_of('on', 'api_metrics_cached', $load, 'rps'),
	    stat_of('on', 'static', $load, 'rps'));
	check('`/api/metrics` through the micro-cache, c=' . substr($load, 1)
	    . ': ≥ 0.7 × static file req/s',
	    defined $rr ? sprintf('%.2f × static', $rr) : 'n/a',
	    defined $rr ? $rr >= 0.7 : undef);
}
my @cache_rates;
for my $load (map { $_->[0] } @loads) {
	for my $r (@{ $runs{on}{api_metrics_cached}{$load} || [] }) {
		next if !defined $r->{pool_requests} || !$r->{secs};
		push @cache_rates, [$load, $r->{pool_requests} / $r->{secs},
		    $r->{requests} // 0, $r->{pool_requests}];
	}
}
{
	# One refresh per second per key: a run may see one per started second,
	# plus the one in flight when it began.
	my ($pool, $secs) = (0, 0);
	my @over;
	for my $load (map { $_->[0] } @loads) {
		for my $r (@{ $runs{on}{api_metrics_cached}{$load} || [] }) {
			next if !defined $r->{pool_requests} || !$r->{secs};
			$pool += $r->{pool_requests};
			$secs += $r->{secs};
			push @over, "$load round $r->{round}: $r->{pool_requests} in "
			    . sprintf('%.1f s', $r->{secs})
			    if $r->{pool_requests} > int($r->{secs}) + 2;
		}
	}
	check('Micro-cache: the pool sees about one request per second per key',
	    $secs ? sprintf('%d pool requests over %.0f s of cached runs: %.2f per second', $pool,
	    $secs, $pool / $secs) . (@over ? '; more than one a second: ' . join(', ', @over) : '')
	    : 'n/a', $secs ? $pool / $secs <= 1.5 && !@over : undef);
}
if ($present{php_ping}) {
	for my $load (qw(c10 c100)) {
		my $php = stat_of('on', 'php_ping', $load, 'rps');
		my @below = grep {
			my $r = ratio(stat_of('on', $_, $load, 'rps'), $php);
			!defined $r || $r < 1
		} @pool_endpoints;
		my $lo = min(map { ratio(stat_of('on', $_, $load, 'rps'), $php) // 0 }
		    @pool_endpoints);
		check('Every pool endpoint ≥ PHP-FPM ping req/s, c=' . substr($load, 1),
		    sprintf('lowest %.2f × PHP-FPM', $lo // 0)
		    . (@below ? '; below: ' . join(', ', map { plain($label{$_}) } @below) : ''),
		    !@below);
	}
} else {
	check('Every pool endpoint ≥ PHP-FPM ping req/s', absent_reason('php_ping'), undef);
}
if ($present{node_exporter}) {
	for my $load (qw(c10 c100)) {
		my $rr = ratio(stat_of('on', 'metrics', $load, 'rps'),
		    stat_of('on', 'node_exporter', $load, 'rps'));
		check('`/metrics` ≥ 50 × node_exporter req/s, c=' . substr($load, 1),
		    defined $rr ? sprintf('%.0f × node_exporter', $rr) : 'n/a',
		    defined $rr ? $rr >= 50 : undef);
	}
} else {
	check('`/metrics` ≥ 50 × node_exporter req/s', absent_reason('node_exporter'), undef);
}
{
	my (@bad, $n) = ();
	$n = 0;
	for my $t (@pool_endpoints, grep { $present{$_} } 'api_metrics_cached') {
		my $rs = $runs{on}{$t}{c1000} or next;
		$n++;
		my $e = sum(0, map { ($_->{non2xx} // 0) + ($_->{sockerr} // 0)
		    + ($_->{ok} ? 0 : 1) } @$rs);
		push @bad, plain($label{$t}) . " $e" if $e;
	}
	my $all = @pool_endpoints + ($present{api_metrics_cached} ? 1 : 0);
	check('0 errors at c=1000 (every Vitals endpoint)',
	    (!$n ? 'not measured' : @bad ? 'errors: ' . join(', ', @bad) : '0 errors')
	    . ($n && $n < $all ? " ($n of $all endpoints measured)" : ''),
	    $n ? !@bad : undef);
}
{
	my @g;
	for my $w (grep { $_->[0] eq 'worker' } @{ $mem{first} || [] }) {
		my $a = mem_of('second', $w->[1]);
		push @g, [$w->[1], defined $a ? $a->[2] - $w->[2] : undef,
		    defined $a ? $a->[4] - $w->[4] : undef];
	}
	my $replaced = grep { !defined $_->[1] } @g;
	my $mx = max(map { $_->[1] // 0 } @g);
	check("Worker RSS growth over $meta{memory_requests_planned} requests < 64 KiB "
	    . '(the second block of that many)',
	    !@g ? 'n/a' : join(', ', map { "pid $_->[0]: "
	    . (defined $_->[1] ? "$_->[1] KiB (USS $_->[2] KiB)" : 'replaced') } @g),
	    !@g || $replaced ? undef : $mx < 64);
}
{
	my ($tot, $pss, $uss) = map { my $i = $_; sum(0, map { $_->[$i] || 0 } @{ $mem{second} || [] }) } 2, 3, 4;
	my $n = grep { $_->[0] eq 'worker' } @{ $mem{second} || [] };
	check("Pool RSS (master + workers + recorder) < 16 MiB at $workers workers",
	    $tot ? sprintf('RSS %.1f MiB over %d processes (%d workers); PSS %.1f MiB, USS %.1f MiB',
	    $tot / 1024, scalar @{ $mem{second} }, $n, $pss / 1024, $uss / 1024) : 'n/a',
	    $tot ? $tot < 16 * 1024 : undef);
}
check('Sampler < 1 % of one core at 1 Hz (issue 4)',
    $cpu{idle} ? sprintf('master %.2f %% of a core over %.0f s, idle pool',
    $cpu{idle}{pct}, $cpu{idle}{secs}) : 'n/a',
    $cpu{idle} ? $cpu{idle}{pct} < 1 : undef);

# --- The report ----------------------------------------------------------

my @md;
my $mode = $meta{mode} // '?';
push @md, "# Vitals benchmark\n";
push @md, sprintf('%s run of %s, %s round(s) of %s (each wrk run %s s; ab bounded at %s s), '
    . "%s s in all. Medians over the rounds; every ratio compares medians "
    . 'measured in this run.' . "\n",
    ucfirst($mode), $meta{started} // '?', $meta{rounds} // '?',
    scalar(grep { $present{$_} } @all_targets) . ' targets',
    $meta{duration_s} // '?', $meta{ab_limit_s} // '?', $meta{elapsed_s} // '?');
push @md, "Reproduce: `./stack bench` (or `./stack bench --quick`; `--peers` "
    . "installs PHP-FPM and node_exporter). Raw outputs: the results folder's `raw/`.\n";

push @md, "## Machine\n";
push @md, '| | |';
push @md, '| --- | --- |';
my $mem_gib = $meta{mem_total_kb} ? sprintf('%.1f GiB', $meta{mem_total_kb} / 1048576) : '?';
for my $kv (
	[CPU => "$meta{cpu_model} × $meta{cores} cores (nproc), $mem_gib"],
	[System => "$meta{os}, kernel $meta{kernel}"],
	['Load average (start → end)' => ($meta{loadavg_start} // '?') . ' → '
	    . ($meta{loadavg_end} // '?') . ' (other work on the machine shows here)'],
	[nginx => "$meta{nginx} ($meta{nginx_workers} workers, worker_connections $meta{nginx_worker_connections}); OpenSSL $meta{openssl}"],
	[libfcgi => $meta{libfcgi}], ['json-c' => $meta{json_c}],
	[MariaDB => "$meta{mariadb} (Connector/C $meta{libmariadb})"],
	[wrk => $meta{wrk}], [ab => $meta{ab}],
	['PHP-FPM' => $meta{php_fpm} || 'not installed'],
	[node_exporter => $meta{node_exporter} || 'not installed'],
	[Vitals => "$meta{vitals_commit}, $workers workers, backlog $meta{backlog}"
	    . " (somaxconn $meta{somaxconn}); open files $meta{nofile}"],
) {
	push @md, "| $kv->[0] | " . ($kv->[1] // '?') . ' |';
}
push @md, '';
push @md, 'Every server listens on 127.0.0.1. nginx runs the production site '
    . '(`conf/nginx/vitals.conf.in` as `./stack` renders it: HTTPS, HTTP/2, '
    . 'access log on, security headers) and a bench-only server beside it with the '
    . 'same server settings for the ceilings (nginx `return 200` and a static file, '
    . 'both with the bare responder\'s ~300-byte body; the bare libfcgi responder '
    . '`t/bench/bare.c` on its own socket, and again with a 5 KiB body, the size '
    . 'of `/api/metrics` and of `/metrics` as Prometheus gets it, that one also asked '
    . 'with Prometheus\'s headers), `/api/metrics` '
    . 'without the micro-cache, '
    . 'and PHP-FPM\'s ping. node_exporter answers on its own port (plain HTTP, as '
    . 'Prometheus scrapes it). `/metrics` and node_exporter get the headers Prometheus '
    . 'sends with every scrape (`Accept:` OpenMetrics first, `Accept-Encoding: gzip`), '
    . 'so both answer as they would to Prometheus: Vitals with the OpenMetrics text it '
    . 'gzipped once on its last tick; "`/metrics` (text, uncompressed)" is the same '
    . 'endpoint asked with no headers, as curl asks it. wrk and ab run on the same 2 cores as the servers, '
    . 'so every figure includes the client\'s cost, and so does any other work on '
    . 'the machine (see the load average and the "±" column). ab runs with `-k`: without '
    . 'keep-alive over HTTPS every request is a TLS handshake (see below).'
    . ($meta{worker_connections_override}
    ? " **Diagnosis run: nginx's worker_connections set to $meta{worker_connections_override}"
    . ' by `--worker-connections`, not the stack\'s value.**' : '') . "\n";

push @md, "## Summary\n";
push @md, 'Medians of wrk (keep-alive) and ab -k runs; req/s counts 2xx answers; '
    . '"×bare": against the bare libfcgi responder at c=100; errors: non-2xx and '
    . 'socket errors over every run of the target (for `/health` with the DB hung, '
    . 'its 503s).' . "\n";
push @md, '| target | c=10 req/s | c=100 req/s | c=1000 req/s | ab -k req/s | ×bare (c=100) '
    . '| p99 ms c=10 | p99 ms c=100 | errors |';
push @md, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
for my $t (@all_targets) {
	if (!$present{$t}) {
		push @md, "| $label{$t} | " . absent_reason($t) . ' | | | | | | | |';
		next;
	}
	my $errs = sum(0, map { (total_of('on', $t, $_, 'non2xx') // 0)
	    + (total_of('on', $t, $_, 'sockerr') // 0) } qw(c10 c100 c1000 ab));
	push @md, "| $label{$t} | " . join(' | ',
	    (map { $runs{on}{$t}{$_} ? fnum(stat_of('on', $t, $_, 'rps')) : '–' }
	    qw(c10 c100 c1000 ab)),
	    fratio(stat_of('on', $t, 'c100', 'rps'), stat_of('on', 'bare', 'c100', 'rps')),
	    fms(stat_of('on', $t, 'c10', 'p99')), fms(stat_of('on', $t, 'c100', 'p99')),
	    fnum($errs)) . ' |';
}
push @md, '';
push @md, "![requests/s and p99 per target](plot.svg)\n"
    if -f "$dir/plot.svg" || `command -v gnuplot 2>/dev/null`;

push @md, "## Results\n";
push @md, 'Latencies in milliseconds; "±": half the range of the rounds\' req/s '
    . 'around their median (how much the machine drifted); errors as "median per run / total over the '
    . 'rounds"; socket errors are connect, read, write and timeout errors (wrk), '
    . 'or connect, receive and exception failures (ab). `/health` with the DB hung '
    . 'answers 503 by design: its non-2xx are the expected answer.' . "\n";
for my $l (@loads) {
	push @md, load_table($l->[0], $l->[1]);
}
if (grep { defined paired($_, 'c10') } @pool_endpoints) {
	push @md, "### Pairs with the bare responder\n";
	push @md, 'Each run of a pool endpoint at c=10 and c=100 follows a run of the '
	    . 'bare responder at the same load, a few seconds before it, so drift of '
	    . 'the machine moves both; "in pairs" is the median over the rounds of '
	    . 'endpoint / bare within each pair, steadier than the ratio of the '
	    . 'medians in the tables above. The targets below use it.' . "\n";
	push @md, '| target | c=10, in pairs | c=100, in pairs | c=10, of medians | c=100, of medians |';
	push @md, '| --- | ---: | ---: | ---: | ---: |';
	for my $t (@pool_endpoints) {
		push @md, "| $label{$t} | " . join(' | ',
		    (map { my $p = paired($t, $_); defined $p ? sprintf('%.2f', $p) : 'n/a' }
		    qw(c10 c100)),
		    (map { fratio(stat_of('on', $t, $_, 'rps'), stat_of('on', 'bare', $_, 'rps')) }
		    qw(c10 c100))) . ' |';
	}
	push @md, '';
}
push @md, "## Targets (issue 6)\n";
push @md, '| target | measured | |';
push @md, '| --- | --- | --- |';
push @md, "| $_->[0] | $_->[1] | **$_->[2]** |" for @checks;
push @md, '';

# Access log on and off.
push @md, "## Access log on and off (wrk -c 100)\n";
push @md, 'Each target\'s log-off run follows its log-on run at once, on a copy of '
    . 'the same server block with `access_log off` (no reload between them). '
    . '"off / on" is the median of the per-round ratios.' . "\n";
push @md, '| target | req/s, log on | req/s, log off | off / on | p99 on | p99 off |';
push @md, '| --- | ---: | ---: | ---: | ---: | ---: |';
for my $t (grep { $present{$_} && $_ ne 'health_hang' } @all_targets) {
	my ($on, $off) = map { stat_of($_, $t, 'c100', 'rps') } qw(on off);
	next if !defined $off;
	my %onr = map { $_->{round} => $_->{rps} } grep { $_->{ok} } @{ $runs{on}{$t}{c100} || [] };
	my $pr = median(map { $onr{ $_->{round} } ? $_->{rps} / $onr{ $_->{round} } : undef }
	    grep { $_->{ok} } @{ $runs{off}{$t}{c100} || [] });
	push @md, "| $label{$t} | " . join(' | ', fnum($on), fnum($off),
	    defined $pr ? sprintf('%.2f', $pr) : 'n/a', fms(stat_of('on', $t, 'c100', 'p99')),
	    fms(stat_of('off', $t, 'c100', 'p99'))) . ' |';
}
push @md, '';

# The DB hang.
if (@collateral) {
	push @md, "## During a DB hang (mariadbd stopped with SIGSTOP)\n";
	push @md, 'wrk -c 10 on `/health` and, at the same time, on every other endpoint '
	    . 'of the pool, each round.' . "\n";
	push @md, '| round | endpoint | requests | req/s | p99 ms | non-2xx | socket errors |';
	push @md, '| ---: | --- | ---: | ---: | ---: | ---: | ---: |';
	for my $c (sort { $a->{round} <=> $b->{round} || $a->{target} cmp $b->{target} } @collateral) {
		my $name = $c->{target} eq 'health_hang_load'
		    ? '`/health` (503 expected)' : $label{ $c->{target} } // $c->{target};
		push @md, "| $c->{round} | $name | " . join(' | ', fnum($c->{requests}),
		    fnum($c->{rps}), fms($c->{p99}), fnum($c->{non2xx}),
		    fnum($c->{sockerr})) . ' |';
	}
	push @md, '';
}

# The micro-cache.
if (@cache_rates) {
	push @md, "## Micro-cache: what reaches the pool\n";
	push @md, '| load | client requests | pool requests | pool requests/s |';
	push @md, '| --- | ---: | ---: | ---: |';
	push @md, "| $_->[0] | " . fnum($_->[2]) . ' | ' . fnum($_->[3]) . ' | '
	    . sprintf('%.2f', $_->[1]) . ' |' for @cache_rates;
	push @md, '';
}

# Memory.
if (@mem_labels) {
	push @md, "## Memory (KiB)\n";
	push @md, "`fresh`: right after start; `warm`: after 1 000 requests and `/health` "
	    . "until every worker held its database connection ($meta{warm_db_slices} "
	    . 'one-second slices); `first`, '
	    . "`second`: after each of two blocks of $meta{memory_requests_planned} requests "
	    . '(ab -k -c 10, a fifth each on `/health/live`, `/api/metrics`, `/metrics`, '
	    . "`/health`, `/status`; the pool counted $meta{memory_requests_first} and "
	    . "$meta{memory_requests_second}); the target is about the second block, the first "
	    . 'lets each worker take every path once; `end`: after the whole '
	    . 'bench. Each cell: RSS, then PSS / USS in parentheses (PSS splits the '
	    . 'shared pages between the processes that map them; USS is what the '
	    . 'process alone holds); for a worker, the requests it had served.' . "\n";
	push @md, '| process | pid | ' . join(' | ', @mem_labels) . ' | RSS second − first |';
	push @md, '| --- | ---: |' . (' ---: |' x @mem_labels) . ' ---: |';
	my %seen;
	for my $lbl (@mem_labels) {
		for my $p (@{ $mem{$lbl} }) {
			next if $seen{ $p->[1] }++;
			my @cells = map {
				my $m = mem_of($_, $p->[1]);
				!$m ? '–' : "$m->[2] ($m->[3] / $m->[4])"
				    . (defined $m->[5] && $m->[5] ne '' ? ", $m->[5] req" : '')
			} @mem_labels;
			my ($w, $a) = (mem_of('first', $p->[1]), mem_of('second', $p->[1]));
			my $g = $w && $a ? $a->[2] - $w->[2] : 'n/a';
			push @md, "| $p->[0] | $p->[1] | " . join(' | ', @cells) . " | $g |";
		}
	}
	my @tot = map { my $l = $_; [map { my $i = $_; sum(0, map { $_->[$i] || 0 } @{ $mem{$l} }) } 2, 3, 4] }
	    @mem_labels;
	push @md, '| **pool** | | ' . join(' | ', map { "**$_->[0]** ($_->[1] / $_->[2])" } @tot)
	    . ' | |';
	push @md, '';
}

# CPU.
if (%cpu) {
	push @md, "## The sampler's CPU\n";
	push @md, '| window | seconds | master CPU (% of one core) | the pool\'s own figure |';
	push @md, '| --- | ---: | ---: | ---: |';
	for my $k (qw(idle load)) {
		my $c = $cpu{$k} or next;
		push @md, sprintf('| %s | %.0f | %.2f | %s |',
		    $k eq 'idle' ? 'pool idle' : 'during the load rounds', $c->{secs},
		    $c->{pct}, defined $c->{self_pct}
		    ? sprintf('%.2f (`vitals_sampler_cpu_seconds_total`)', $c->{self_pct}) : '');
	}
	push @md, '';
	push @md, 'utime + stime of the master (which runs the sampler) from `/proc/PID/stat`.'
	    . "\n";
}

# ab without keep-alive.
if ($runs{on}{return200}{abnk} || $runs{on}{health_live}{abnk}) {
	push @md, "## ab without keep-alive\n";
	push @md, 'What `ab -n 20000 -c 10 https://…` measures here (bounded at '
	    . "$meta{ab_limit_s} s): one TLS handshake per request, whatever the endpoint.\n";
	push @md, '| target | req/s | p50 ms | p99 ms | non-2xx | socket errors |';
	push @md, '| --- | ---: | ---: | ---: | ---: | ---: |';
	for my $t (qw(return200 health_live)) {
		next if !$runs{on}{$t}{abnk};
		push @md, "| $label{$t} | " . join(' | ', fnum(stat_of('on', $t, 'abnk', 'rps')),
		    fms(stat_of('on', $t, 'abnk', 'p50')), fms(stat_of('on', $t, 'abnk', 'p99')),
		    fnum(total_of('on', $t, 'abnk', 'non2xx')),
		    fnum(total_of('on', $t, 'abnk', 'sockerr'))) . ' |';
	}
	push @md, '';
}

# The pool's counters.
{
	my $dec = JSON::PP->new;
	my ($s0, $s1) = map { my $t = slurp("$dir/$_"); eval { $dec->decode($t) } }
	    qw(status-start.json status-end.json);
	if ($s0 && $s1) {
		my $c0 = $s0->{counters} || {};
		my $c1 = $s1->{counters} || {};
		my @kv;
		for my $k (qw(accepted watchdog_kills slow_requests accept_errors bad_requests crash_backoffs)) {
			push @kv, "$k " . (($c1->{$k} // 0) - ($c0->{$k} // 0)) if exists $c1->{$k};
		}
		for my $k (sort keys %{ $c1->{restarts} || {} }) {
			push @kv, "restarts.$k " . (($c1->{restarts}{$k} // 0) - ($c0->{restarts}{$k} // 0));
		}
		for my $k (sort keys %{ $c1->{responses} || {} }) {
			push @kv, "responses.$k " . (($c1->{responses}{$k} // 0) - ($c0->{responses}{$k} // 0));
		}
		push @kv, "listen_queue.max $s1->{listen_queue}{max}" if $s1->{listen_queue};
		push @kv, "workers.max_busy $s1->{workers}{max_busy}, all_busy_count $s1->{workers}{all_busy_count}"
		    if $s1->{workers};
		push @md, "## The pool's counters over the bench (`/status`)\n";
		push @md, join('; ', @kv) . ".\n";
	}
}

# nginx's error log.
push @md, "## nginx's error log during the runs\n";
if (%nginx_err) {
	push @md, '| run | count | message (normalised) |';
	push @md, '| --- | ---: | --- |';
	for my $run (sort keys %nginx_err) {
		for my $m (sort { $nginx_err{$run}{$b} <=> $nginx_err{$run}{$a} } keys %{ $nginx_err{$run} }) {
			(my $mm = $m) =~ s/\|/\\|/g;
			push @md, "| $run | $nginx_err{$run}{$m} | `$mm` |";
		}
	}
} else {
	push @md, 'Nothing above `notice`.';
}
push @md, '';

open(my $fh, '>', "$dir/report.md") or die "report.pl: $dir/report.md: $!\n";
print $fh join("\n", @md), "\n";
close($fh);

# --- The plot ------------------------------------------------------------

my @plot_targets = grep { $present{$_} } @all_targets;
open($fh, '>', "$dir/plot.dat") or die "report.pl: $dir/plot.dat: $!\n";
print $fh "# target rps(c10 c100 c1000 ab) p99(c10 c100 c1000 ab), medians\n";
for my $t (@plot_targets) {
	my @v = map { my $x = stat_of('on', $t, $_, 'rps'); defined $x ? sprintf('%.1f', $x) : '-' }
	    qw(c10 c100 c1000 ab);
	my @p = map { my $x = stat_of('on', $t, $_, 'p99'); defined $x && $x > 0 ? sprintf('%.3f', $x) : '-' }
	    qw(c10 c100 c1000 ab);
	(my $l = plain($label{$t})) =~ s/"/'/g;
	$l =~ s/; its 503s count//;
	$l =~ s/ \((.*)\)$/\\n($1)/;
	print $fh qq{"$l" @v @p\n};
}
close($fh);
open($fh, '>', "$dir/plot.gp") or die "report.pl: $dir/plot.gp: $!\n";
print $fh <<'EOF';
set terminal svg size 1100,950 dynamic noenhanced font "sans,11" background "white"
set output 'plot.svg'
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside top center horizontal
set grid ytics
set logscale y
set xtics rotate by -35 scale 0 font "sans,10"
set lmargin 12
set rmargin 8
set bmargin 7
set multiplot layout 2,1 title "Vitals behind nginx (HTTPS, loopback): medians over the rounds"
set ylabel "requests/s (log)"
set title "Requests per second"
plot 'plot.dat' using 2:xtic(1) title 'wrk c=10', '' using 3 title 'c=100', \
     '' using 4 title 'c=1000', '' using 5 title 'ab -k c=10'
set ylabel "p99 latency, ms (log)"
set title "99th percentile latency"
plot 'plot.dat' using 6:xtic(1) title 'wrk c=10', '' using 7 title 'c=100', \
     '' using 8 title 'c=1000', '' using 9 title 'ab -k c=10'
unset multiplot
EOF
close($fh);
if (`command -v gnuplot 2>/dev/null`) {
	system("cd '$dir' && gnuplot plot.gp 2>plot.err") == 0
	    or warn "report.pl: gnuplot failed (see $dir/plot.err)\n";
	unlink("$dir/plot.err") if -z "$dir/plot.err";
}

# --- The summary on the terminal -----------------------------------------

printf "\n%-32s %9s %9s %9s %9s %8s %8s %7s\n", 'target (medians)', 'c=10',
    'c=100', 'c=1000', 'ab -k', 'p99 c10', 'p99 c100', 'errors';
for my $t (@all_targets) {
	if (!$present{$t}) {
		printf "%-32s %s\n", plain($label{$t}), plain(absent_reason($t));
		next;
	}
	my $errs = sum(0, map { (total_of('on', $t, $_, 'non2xx') // 0)
	    + (total_of('on', $t, $_, 'sockerr') // 0) } qw(c10 c100 c1000 ab));
	printf "%-32s %9s %9s %9s %9s %8s %8s %7s\n", plain($label{$t}),
	    (map { fnum(stat_of('on', $t, $_, 'rps')) } qw(c10 c100 c1000 ab)),
	    fms(stat_of('on', $t, 'c10', 'p99')), fms(stat_of('on', $t, 'c100', 'p99')),
	    fnum($errs);
}
print "\n";
for my $c (@checks) {
	printf "%-4s  %s: %s\n", $c->[2], plain($c->[0]), plain($c->[1]);
}
print "\n";

#!/usr/bin/perl
# scale-report.pl RESULTS_DIR: the report of t/bench/scale (issue 14).
#
# Reads meta.tsv, points.tsv (one line per point: connections, processes,
# wall seconds, the master's CPU in clock ticks and in ns, node_exporter's
# the same, TCP sockets in use, orphans, TIME_WAIT, pids) and
# collectors.tsv (each Vitals collector's duration, once a second); writes
# report.md, plot.dat, plot.gp and (with gnuplot) plot.svg, and prints the
# PASS/FAIL lines.  A tick is a second of the window (the sampler ticks at
# 1 Hz).  Core Perl only.
use strict;
use warnings;
use List::Util qw(sum);

my $dir = shift @ARGV or die "usage: scale-report.pl RESULTS_DIR\n";

sub tsv {
	my ($f) = @_;
	open(my $fh, '<', $f) or return ();
	my @rows;
	while (my $l = <$fh>) {
		chomp $l;
		push @rows, [split /\t/, $l, -1] if $l ne '';
	}
	return @rows;
}

my %meta = map { $_->[0] => $_->[1] // '' } tsv("$dir/meta.tsv");
my $hz = $meta{clk_tck} || 100;

# The points, measured: a line of points.tsv or second.tsv.
sub point_of {
	my ($r) = @_;
	my ($c, $m) = @$r[0, 1];
	return { c => $c, m => $m, failed => 1 } if ($r->[2] // '') eq 'failed';
	my ($wall, $mt, $mns, $nt, $nns, $inuse, $orph, $tw, $np) = @$r[2 .. 10];
	return {
		c => $c, m => $m, wall => $wall,
		vt_ms => $mns / 1e6 / $wall,              # ms of CPU per tick
		vt_stat_ms => $mt * 1000 / $hz / $wall,
		ne_ms => $nns / 1e6 / $wall,              # per second, scraped at 1 Hz
		ne_stat_ms => $nt * 1000 / $hz / $wall,
		# What a dump walks and reports: the hashed sockets and the
		# TIME_WAIT ones (other work on the machine makes some).
		sockets => $inuse + $tw, tw => $tw, procs => $np,
	};
}
my (@pts, %at, @second, %second_at);
for my $r (tsv("$dir/points.tsv")) {
	my $p = point_of($r);
	push @pts, $p;
	$at{"$p->{c}/$p->{m}"} = $p if !$p->{failed};
}
# The second windows at some points, under the same load (scale's
# measure_point): once the sampler's first pass over a new load is done.
for my $r (-e "$dir/second.tsv" ? tsv("$dir/second.tsv") : ()) {
	my $p = point_of($r);
	next if $p->{failed};
	push @second, $p;
	$second_at{"$p->{c}/$p->{m}"} = $p;
}

# Each collector's mean duration per point, in ms.
my (%col, %cols);
for my $r (tsv("$dir/collectors.tsv")) {
	my ($pt, $name, $v) = @$r;
	next if !defined $v || $v !~ /^[\d.e+-]+$/;
	push @{ $col{$pt}{$name} }, $v * 1000;
	$cols{$name} = 1;
}
sub col_mean {
	my ($pt, $name) = @_;
	my $v = $col{$pt}{$name} or return undef;
	return sum(@$v) / @$v;
}

sub f3 { defined $_[0] ? sprintf('%.3f', $_[0]) : 'n/a' }
sub f2 { defined $_[0] ? sprintf('%.2f', $_[0]) : 'n/a' }

# The slopes: us of the master's CPU per extra TCP socket (the points with
# no extra processes) and per extra process (no extra connections),
# least squares through the points of each axis.
sub slope {
	my ($xk, @p) = @_;
	return undef if @p < 2;
	my $mx = sum(map { $_->{$xk} } @p) / @p;
	my $my = sum(map { $_->{vt_ms} } @p) / @p;
	my ($sxy, $sxx) = (0, 0);
	for (@p) {
		$sxy += ($_->{$xk} - $mx) * ($_->{vt_ms} - $my);
		$sxx += ($_->{$xk} - $mx)**2;
	}
	return $sxx > 0 ? $sxy / $sxx * 1000 : undef;    # us per unit
}
my @tcp_axis = grep { !$_->{failed} && $_->{m} == 0 } @pts;
my @proc_axis = grep { !$_->{failed} && $_->{c} == 0 } @pts;

# Both at once: cost = a + b * sockets + c * processes, least squares over
# every point, so the sockets other work leaves on the machine (TIME_WAIT)
# are not taken for the cost of processes.  Returns (b, c) in us, or ().
sub fit2 {
	my @p = @_;
	return () if @p < 3;
	my @m = map { [1, $_->{sockets}, $_->{procs}] } @p;
	my (@a, @b);
	for my $i (0 .. 2) {
		for my $j (0 .. 2) {
			$a[$i][$j] = sum(map { $_->[$i] * $_->[$j] } @m);
		}
		$b[$i] = sum(map { $m[$_][$i] * $p[$_]{vt_ms} } 0 .. $#p);
	}
	# Gaussian elimination with partial pivoting, 3 x 3.
	for my $c (0 .. 2) {
		my ($piv) = sort { abs($a[$b][$c]) <=> abs($a[$a][$c]) } ($c .. 2);
		return () if abs($a[$piv][$c]) < 1e-12;
		@a[$c, $piv] = @a[$piv, $c];
		@b[$c, $piv] = @b[$piv, $c];
		for my $r (0 .. 2) {
			next if $r == $c;
			my $f = $a[$r][$c] / $a[$c][$c];
			$a[$r][$_] -= $f * $a[$c][$_] for 0 .. 2;
			$b[$r] -= $f * $b[$c];
		}
	}
	return ($b[1] / $a[1][1] * 1000, $b[2] / $a[2][2] * 1000);
}
my ($us_sock, $us_proc) = fit2(grep { !$_->{failed} } @pts);
$us_sock //= slope('sockets', @tcp_axis);
$us_proc //= slope('procs', @proc_axis);

# The targets of issue 14.
my @checks;
sub check {
	my ($what, $got, $ok) = @_;
	push @checks, [$what, $got, !defined $ok ? 'n/a' : $ok ? 'PASS' : 'FAIL'];
}
my $idle = $at{'0/0'};
check('idle: <= 1 ms of CPU per tick', $idle ? f3($idle->{vt_ms}) . ' ms' : 'not measured',
    $idle ? $idle->{vt_ms} <= 1 : undef);
my $busy = $at{'20000/5000'};
check('20 000 connections (40 000 sockets) and 5 000 processes: <= 5 ms per tick',
    $busy ? f3($busy->{vt_ms}) . ' ms' : 'not measured', $busy ? $busy->{vt_ms} <= 5 : undef);
my $busy2 = $second_at{'20000/5000'};
check('the same, its second window (the first scan of the new processes and the first walk for the new CLOSE_WAIT sockets done): <= 5 ms per tick',
    f3($busy2->{vt_ms}) . ' ms', $busy2->{vt_ms} <= 5) if $busy2;
for my $p (grep { !$_->{failed} } @pts) {
	check("$p->{c} connections, $p->{m} processes: cheaper per second than node_exporter",
	    sprintf('%.3f vs %.3f ms/s (x%.1f)', $p->{vt_ms}, $p->{ne_ms},
	    $p->{vt_ms} > 0 ? $p->{ne_ms} / $p->{vt_ms} : 0),
	    $p->{vt_ms} < $p->{ne_ms});
}
for my $p (grep { $_->{failed} } @pts) {
	check("$p->{c} connections, $p->{m} processes", 'the load could not be built', undef);
}

# --- The plot --------------------------------------------------------------

open(my $dat, '>', "$dir/plot.dat") or die "plot.dat: $!\n";
print $dat "# sockets vitals_ms node_exporter_ms (no extra processes)\n";
printf $dat "%d %.4f %.4f\n", $_->{sockets}, $_->{vt_ms}, $_->{ne_ms} for @tcp_axis;
print $dat "\n\n# processes vitals_ms node_exporter_ms (no extra connections)\n";
printf $dat "%d %.4f %.4f\n", $_->{procs}, $_->{vt_ms}, $_->{ne_ms} for @proc_axis;
close $dat;
open(my $gp, '>', "$dir/plot.gp") or die "plot.gp: $!\n";
print $gp <<'EOF';
set terminal svg size 900,380 dynamic font "sans,11"
set output 'plot.svg'
set multiplot layout 1,2
set grid
set key top left
set ylabel "ms of CPU per second"
set xlabel "TCP sockets (/proc/net/sockstat inuse + tw)"
set title "cost against TCP sockets"
plot 'plot.dat' index 0 using 1:2 with linespoints lw 2 title "Vitals master", \
     '' index 0 using 1:3 with linespoints lw 2 title "node_exporter, 1 scrape/s"
set xlabel "processes (pids in /proc)"
set title "cost against processes"
plot 'plot.dat' index 1 using 1:2 with linespoints lw 2 title "Vitals master", \
     '' index 1 using 1:3 with linespoints lw 2 title "node_exporter, 1 scrape/s"
unset multiplot
EOF
close $gp;
my $plotted = 0;
if (`command -v gnuplot 2>/dev/null`) {
	$plotted = system("cd '$dir' && gnuplot plot.gp 2>/dev/null") == 0 && -s "$dir/plot.svg";
}

# --- The report ------------------------------------------------------------

my @md;
push @md, "# Vitals: the sampler at scale ($meta{mode} run, $meta{started})\n";
push @md, "Machine: $meta{cpu_model}, $meta{cores} cores, kernel $meta{kernel}; "
    . "load average $meta{loadavg_start} at the start, $meta{loadavg_end} at the end "
    . "(other work shares the machine). node_exporter $meta{node_exporter} "
    . "(default collectors plus tcpstat and processes), scraped once a second in "
    . "the same windows. Vitals $meta{vitals_commit}. Each point: $meta{ticks} ticks "
    . "or more; $meta{close_wait_pct} % of the connections in CLOSE_WAIT "
    . "(their other ends in FIN_WAIT2).\n";
push @md, "TCP sockets: /proc/net/sockstat's inuse + tw (IPv4 in use, and "
    . "TIME_WAIT), read as the window opens; processes: the pids in /proc. "
    . "Other work on this machine adds sockets (TIME_WAIT mostly) and processes; "
    . "the columns show what was there.\n";
push @md, "The master's CPU is read from /proc/PID/schedstat (ns); "
    . "/proc/PID/stat (utime + stime, 1/$hz s) gives the second column, "
    . "coarser; both with the master's statvfs helper (a child process "
    . "that makes the sampler's statvfs calls). The master runs the "
    . "sampler, the listen-queue gauge and the checks; node_exporter's "
    . "figure includes serving its scrapes.\n";
push @md, "## The targets (issue 14)\n";
push @md, '| target | measured | |', '| --- | --- | --- |';
push @md, "| $_->[0] | $_->[1] | **$_->[2]** |" for @checks;
push @md, '';
push @md, "## Cost per unit\n";
push @md, sprintf('- **%s µs per TCP socket** per tick', f3($us_sock));
push @md, sprintf('- **%s µs per process** per tick', f3($us_proc));
push @md, '';
push @md, 'Least squares of the master\'s CPU per tick = a + b × sockets + c × processes '
    . 'over every point (the sockets and pids the kernel had, whoever made them).';
push @md, '';
push @md, "![CPU per second against sockets and processes](plot.svg)\n" if $plotted;
push @md, "## The points\n";
push @md, '| connections | processes | TCP sockets | of them TIME_WAIT | pids | Vitals ms/tick | (stat) | node_exporter ms/s | (stat) | ratio |';
push @md, '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
for my $p (@pts) {
	if ($p->{failed}) {
		push @md, "| $p->{c} | $p->{m} | could not be built | | | | | | | |";
		next;
	}
	push @md, sprintf('| %d | %d | %d | %d | %d | %.3f | %.2f | %.3f | %.2f | %.1f |',
	    $p->{c}, $p->{m}, $p->{sockets}, $p->{tw}, $p->{procs}, $p->{vt_ms}, $p->{vt_stat_ms},
	    $p->{ne_ms}, $p->{ne_stat_ms}, $p->{vt_ms} > 0 ? $p->{ne_ms} / $p->{vt_ms} : 0);
}
push @md, '';
if (@second) {
	push @md, "## The second windows\n";
	push @md, 'At these points a second window of as many ticks follows the first, '
	    . 'under the same load. The first holds what the sampler does once for a new '
	    . 'load: the first scan of the new processes (and the opening of their stat '
	    . 'files), the first walk of every descriptor table for the holders of the new '
	    . 'CLOSE_WAIT sockets; the second, what the point costs once that is done.' . "\n";
	push @md, '| connections | processes | Vitals ms/tick, first | second | node_exporter ms/s, second | ratio |';
	push @md, '| ---: | ---: | ---: | ---: | ---: | ---: |';
	for my $p (@second) {
		my $f = $at{"$p->{c}/$p->{m}"};
		push @md, sprintf('| %d | %d | %s | %.3f | %.3f | %.1f |', $p->{c}, $p->{m},
		    $f ? sprintf('%.3f', $f->{vt_ms}) : '', $p->{vt_ms}, $p->{ne_ms},
		    $p->{vt_ms} > 0 ? $p->{ne_ms} / $p->{vt_ms} : 0);
	}
	push @md, '';
}
my @names = sort { (col_mean('0/0', $b) // 0) <=> (col_mean('0/0', $a) // 0) || $a cmp $b } keys %cols;
if (@names) {
	push @md, "## Each collector, ms of wall time per tick (mean of `vitals_collector_duration_seconds`)\n";
	my @ok = ((map { "$_->{c}/$_->{m}" } grep { !$_->{failed} } @pts),
	    (map { "$_->{c}/$_->{m} second" } @second));
	push @md, '| collector | ' . join(' | ', @ok) . ' |';
	push @md, '| --- |' . (' ---: |' x @ok);
	for my $n (@names) {
		push @md, "| $n | " . join(' | ', map { f3(col_mean($_, $n)) } @ok) . ' |';
	}
	push @md, '';
	push @md, 'Columns: connections/processes ("second": the second window). '
	    . '`sample_total` is the whole sample '
	    . '(wall time, including time the master waited to be scheduled). '
	    . 'A collector run on the process-scan ticks only (netclass, os, time, '
	    . 'udp_queues ...) reports its last duration on the ticks between: its '
	    . 'figure here is its cost per run, not per tick.' . "\n";
}
push @md, "Run time: $meta{elapsed_s} s.\n";

open(my $out, '>', "$dir/report.md") or die "report.md: $!\n";
print $out join("\n", @md), "\n";
close $out;
printf "%s: %s (%s)\n", $_->[2], $_->[0], $_->[1] for @checks;
printf "us per socket: %s, us per process: %s\n", f3($us_sock), f3($us_proc);

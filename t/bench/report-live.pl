#!/usr/bin/perl
# report-live.pl RESULTS_DIR: the report of the live-push scenario
# (`./stack bench --live`, t/bench/live.bash), from what it left in
# RESULTS_DIR: meta.tsv (the machine, the run), live.tsv (one line a run:
# mode, viewers, the /proc snapshot before and after its window) and
# raw/MODE.N.txt (t/bench/subs's report).  Writes report.md, plot.dat,
# plot.gp and (with gnuplot) plot.svg into RESULTS_DIR.
#
# The targets are issue 13's, judged on figures of this run only; a target
# for 10 000 subscribers is judged on the largest N the run had (--quick:
# 1 000), and says so.
use strict;
use warnings;
use JSON::PP ();

my $dir = shift or die "usage: report-live.pl RESULTS_DIR\n";

my %meta;
if (open(my $fh, '<', "$dir/meta.tsv")) {
	while (<$fh>) {
		chomp;
		my ($k, $v) = split /\t/, $_, 2;
		$meta{$k} = $v // '';
	}
	close($fh);
}
my $hz = $meta{clk_tck} || 100;
my $cores = $meta{cores} || 1;

# A snapshot: pool nginx client busy total t pss rss (live_snapshot).
sub snap {
	my @f = split ' ', $_[0] // '';
	return { pool => $f[0], nginx => $f[1], client => $f[2], busy => $f[3],
	    total => $f[4], t => $f[5], pss => $f[6], rss => $f[7] };
}

sub subs_report {
	my ($file) = @_;
	my %r;
	open(my $fh, '<', $file) or return \%r;
	while (<$fh>) {
		$r{$1} = $2 if /^(\w+) (\S+)$/;
	}
	close($fh);
	return \%r;
}

# The master's publishes during a run: the difference of /status's
# "live.published" counters around its window, { ok, failed, skipped }.
sub published {
	my ($base) = @_;
	my @c;
	for my $i (0, 1) {
		open(my $f, '<', "$base.status$i.json") or return undef;
		local $/;
		my $j = eval { JSON::PP->new->decode(scalar <$f>) } or return undef;
		close($f);
		push @c, $j->{live}{published} // return undef;
	}
	my %d = map { $_ => ($c[1]{$_} // 0) - ($c[0]{$_} // 0) } keys %{ $c[1] };
	my $failed = 0;
	$failed += $d{$_} for grep { $_ ne 'ok' && $_ ne 'skipped' } keys %d;
	return { ok => $d{ok} // 0, failed => $failed,
	    skipped => $d{skipped} // 0, detail => join(', ', map { "$_ $d{$_}" }
	    grep { $d{$_} } sort keys %d) };
}

my @runs;
open(my $fh, '<', "$dir/live.tsv") or die "report-live.pl: $dir/live.tsv: $!\n";
while (<$fh>) {
	chomp;
	my ($mode, $n, $a, $b) = split /\t/;
	my ($x, $y) = (snap($a), snap($b));
	my $wall = $y->{t} - $x->{t};
	next if $wall <= 0;
	my $pct = sub { 100 * ($y->{$_[0]} - $x->{$_[0]}) / $hz / $wall };
	my $r = {
		mode   => $mode,
		n      => $n,
		wall   => $wall,
		pool   => $pct->('pool'),
		nginx  => $pct->('nginx'),
		# Of a core, as the others: the machine's busy share times its
		# cores.
		machine => $y->{total} > $x->{total} ? 100 * $cores *
		    ($y->{busy} - $x->{busy}) / ($y->{total} - $x->{total}) : 0,
		pss    => $y->{pss},
		rss    => $y->{rss},
		subs   => $mode eq 'idle' ? {} :
		    subs_report("$dir/raw/$mode.$n.txt"),
		pub    => published("$dir/raw/$mode.$n.txt"),
	};
	# The client measures its own CPU over its window (getrusage).
	my $ccpu = $r->{subs}{client_cpu_s};
	$r->{client} = $mode eq 'idle' ? 0 : defined $ccpu && $ccpu >= 0 ?
	    100 * $ccpu / ($r->{subs}{window_s} || $wall) : 0;
	$r->{serving} = $r->{nginx} + $r->{pool} + $r->{client};
	push @runs, $r;
}
close($fh);

my ($idle) = grep { $_->{mode} eq 'idle' } @runs;
die "report-live.pl: no baseline in $dir/live.tsv\n" if !$idle;
for my $r (@runs) {
	my $c = $r->{subs}{connected} // 0;
	$r->{kib_per} = $c > 0 ? ($r->{pss} - $idle->{pss}) / $c : undef;
}

sub f1 { defined $_[0] ? sprintf('%.1f', $_[0]) : 'n/a' }
sub f2 { defined $_[0] ? sprintf('%.2f', $_[0]) : 'n/a' }
sub ms { defined $_[0] && $_[0] >= 0 ? $_[0] : 'n/a' }
sub pct { defined $_[0] ? sprintf('%.2f %%', 100 * $_[0]) : 'n/a' }

my @md;
push @md, "# Live push: subscribers against pollers\n";
push @md, sprintf("%s, %s cores, %s; nginx %s; load average %s at the " .
    "start, %s at the end; %s.\n", $meta{cpu_model} // '?', $cores,
    $meta{kernel} // '?', $meta{nginx} // '?', $meta{loadavg_start} // '?',
    $meta{loadavg_end} // '?', $meta{started} // '?');
push @md, "Each run: `t/bench/subs` opens the viewers (plain HTTP on " .
    "loopback, 2 000 a second), then $meta{live_window_s} s are measured. " .
    "*live*: EventSource subscribers of `/api/live`; *poll*: the same " .
    "number of viewers asking `/api/metrics` once a second (gzip, kept " .
    "connections) through the micro-cache.  CPU is in % of one core over " .
    "the window, from /proc; *serving* is nginx + the pool + the load " .
    "client, *machine* all of it (other work on this host included).  " .
    "Memory is nginx's PSS (master and workers, shared zones counted " .
    "once), per connected viewer above the baseline.  Latency is receive " .
    "time minus the sample's `timestamp_ms`: for a poller, the age of " .
    "what it shows.  Subscriber cap: " . ($meta{live_cap} || '?') . ".\n";
push @md, "| run | viewers | connected | refused | errors | dropped | " .
    "samples | delivered | per viewer a second | p50 ms | p99 ms | max ms | " .
    "nginx CPU | pool CPU | client CPU | serving CPU | machine CPU | " .
    "nginx PSS MiB | KiB a viewer | published |";
push @md, '|' . (' --- |' x 20);
for my $r (@runs) {
	my $s = $r->{subs};
	my $errors = ($s->{connect_errors} // 0) + ($s->{http_errors} // 0);
	push @md, sprintf('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s ' .
	    '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |', $r->{mode},
	    $r->{n},
	    $s->{connected} // '-', $s->{refused} // '-',
	    $r->{mode} eq 'idle' ? '-' : $errors, $s->{dropped} // '-',
	    $s->{samples} // '-', $r->{mode} eq 'idle' ? '-' :
	    pct($s->{delivered}), $r->{mode} eq 'idle' ? '-' :
	    f2($s->{per_conn_per_s}), ms($s->{lat_p50_ms}),
	    ms($s->{lat_p99_ms}), ms($s->{lat_max_ms}), f1($r->{nginx}),
	    f1($r->{pool}), f1($r->{client}), f1($r->{serving}),
	    f1($r->{machine}), f1($r->{pss} / 1024), f1($r->{kib_per}),
	    $r->{pub} ? $r->{pub}{detail} || 'none' : 'n/a');
}
push @md, '';

# The targets, on the largest N with both runs.
my %by;
$by{"$_->{mode}.$_->{n}"} = $_ for @runs;
my ($big) = sort { $b <=> $a } grep { $by{"poll.$_"} }
    map { $_->{n} } grep { $_->{mode} eq 'live' } @runs;
my @checks;
if (defined $big) {
	my ($l, $p) = ($by{"live.$big"}, $by{"poll.$big"});
	my $s = $l->{subs};
	my $note = $big == 10000 ? '' : " (judged at $big; the target is " .
	    "for 10 000)";
	my $samples_ok = ($s->{samples} // 0) >= $meta{live_window_s} - 1;
	push @checks, ["10 000 subscribers receive 100 % of the samples$note",
	    sprintf('%s connected of %s, %s of %s samples in %s s, %s ' .
	    'delivered, %s refused, %s dropped; the master published: %s',
	    $s->{connected} // 0, $big, $s->{complete} // 0,
	    $s->{samples} // 0, $meta{live_window_s}, pct($s->{delivered}),
	    $s->{refused} // 0, $s->{dropped} // 0,
	    $l->{pub} ? $l->{pub}{detail} || 'none' : 'n/a'),
	    ($s->{connected} // 0) == $big && $samples_ok &&
	    ($s->{delivered} // 0) >= 1];
	push @checks, ["publish-to-receive p99 <= 250 ms$note",
	    sprintf('p50 %s ms, p99 %s ms, max %s ms', ms($s->{lat_p50_ms}),
	    ms($s->{lat_p99_ms}), ms($s->{lat_max_ms})),
	    ($s->{lat_p99_ms} // -1) >= 0 && $s->{lat_p99_ms} <= 250];
	push @checks, ["nginx's memory <= 16 KiB per subscriber$note",
	    sprintf('%s KiB (PSS %s MiB, baseline %s MiB)', f1($l->{kib_per}),
	    f1($l->{pss} / 1024), f1($idle->{pss} / 1024)),
	    defined $l->{kib_per} && $l->{kib_per} <= 16];
	# Clock ticks are 10 ms: over the window the pool's idle CPU is a
	# few ticks, so "the same" allows a fifth more plus half a percent
	# of a core.
	push @checks, ["the pool's CPU the same as with no viewers$note",
	    sprintf('%s %% of a core with subscribers, %s %% with none ' .
	    '(%s %% with pollers)', f2($l->{pool}), f2($idle->{pool}),
	    f2($p->{pool})), $l->{pool} <= $idle->{pool} * 1.2 + 0.5];
	push @checks, ["less CPU than as many viewers polling once a second$note",
	    sprintf('serving (nginx + pool + client) %s %% pushed, %s %% ' .
	    'polled; machine %s %% against %s %%', f1($l->{serving}),
	    f1($p->{serving}), f1($l->{machine}), f1($p->{machine})),
	    $l->{serving} < $p->{serving}];
}
push @md, "*published*: the master's publishes to nginx during the " .
    "window, by result (`/status` \"live\"): a sample that was not " .
    "published reaches no subscriber.\n";
push @md, "## Targets (issue 13)\n";
push @md, '| target | measured | verdict |';
push @md, '| --- | --- | --- |';
push @md, sprintf('| %s | %s | %s |', $_->[0], $_->[1],
    $_->[2] ? 'PASS' : 'FAIL') for @checks;
push @md, '| (no live and poll runs to judge) | | n/a |' if !@checks;
push @md, '';
push @md, "The machine's CPU counts everything on this host during the " .
    "window (the other work on it too); the serving CPU is the verdict's.\n";
my $has_plot = `command -v gnuplot 2>/dev/null` ne '';
push @md, "![CPU and p99 by viewers](plot.svg)\n" if $has_plot;

# Errors nginx logged during a run (warn and above).
my @errs = glob("$dir/raw/*.nginx-errors");
if (@errs) {
	push @md, "## nginx's error log during the runs\n";
	for my $e (@errs) {
		my ($name) = $e =~ m{raw/(.*)\.txt\.nginx-errors$};
		open(my $ef, '<', $e) or next;
		my @l = <$ef>;
		close($ef);
		push @md, "- $name: " . scalar(@l) . ' lines, the first: `' .
		    ($l[0] =~ s/\s+$//r =~ s/`/'/gr) . '`';
	}
	push @md, '';
}

open(my $out, '>', "$dir/report.md") or die "$dir/report.md: $!\n";
print $out join("\n", @md), "\n";
close($out);

# The plot: CPU and p99 against the number of viewers, pushed and polled.
open(my $dat, '>', "$dir/plot.dat") or die "$dir/plot.dat: $!\n";
print $dat "# viewers live_serving poll_serving live_p99 poll_p99\n";
for my $n (sort { $a <=> $b } map { $_->{n} }
    grep { $_->{mode} eq 'live' } @runs) {
	my ($l, $p) = ($by{"live.$n"}, $by{"poll.$n"});
	next if !$p;
	printf $dat "%d %.2f %.2f %s %s\n", $n, $l->{serving}, $p->{serving},
	    ms($l->{subs}{lat_p99_ms}) =~ s/n\/a/NaN/r,
	    ms($p->{subs}{lat_p99_ms}) =~ s/n\/a/NaN/r;
}
close($dat);
open(my $gp, '>', "$dir/plot.gp") or die "$dir/plot.gp: $!\n";
print $gp <<'EOF';
set terminal svg size 1000,420 dynamic noenhanced font "sans,11" background "white"
set output 'plot.svg'
set multiplot layout 1,2
set key top left
set grid
set xlabel 'viewers'
set ylabel '% of one core (nginx + pool + client)'
set title 'CPU: pushed against polled'
plot 'plot.dat' using 1:2 with linespoints lw 2 title 'live push', \
     '' using 1:3 with linespoints lw 2 title 'polling /api/metrics'
set ylabel 'ms'
set title 'p99 of the sample age on receipt'
plot 'plot.dat' using 1:4 with linespoints lw 2 title 'live push', \
     '' using 1:5 with linespoints lw 2 title 'polling /api/metrics'
unset multiplot
EOF
close($gp);
if ($has_plot) {
	system("cd '$dir' && gnuplot plot.gp 2>plot.err") == 0
	    or warn "report-live.pl: gnuplot failed (see $dir/plot.err)\n";
}
print "report-live.pl: $dir/report.md\n";

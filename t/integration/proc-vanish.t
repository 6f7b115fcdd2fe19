#!/usr/bin/perl
# proc-vanish.t: a /proc file that goes away while the pool runs.  The pool
# samples a copy of the vm2 fixture tree (--proc-root); once it has
# published, the test deletes proc/loadavg and proc/meminfo from the copy.
# Within a few ticks: vitals_collector_errors_total counts loadavg and
# meminfo, vitals_collector_success is 0 for them and 1 for the others,
# /api/metrics still answers 200 with load and memory null and every other
# section still published (cpu, tcp, network), the sampler keeps
# sampling, and neither the master nor a worker restarts.  Put back, the
# files are read again (success 1).  Kept-open reads (procfile.c) must
# not hide the deletion: a fixture tree is never kept open.
use strict;
use warnings;
use File::Copy qw(copy);
use File::Path qw(make_path);
use File::Find qw(find);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $src = $ENV{VT_SRCDIR} // '.';
my $from = "$src/t/fixtures/proc/vm2";
-d $from or plan(skip_all => "no fixture tree $from");

my $t = VitalsTest->new(workers => 2, nginx => 0);
my $root = $t->dir . '/proc-copy';
find({ no_chdir => 1, wanted => sub {
	(my $rel = $File::Find::name) =~ s/^\Q$from\E//;
	if (-d $_) {
		make_path("$root$rel");
	} elsif (-f $_) {
		copy($_, "$root$rel") or die "copy $rel: $!";
	}
} }, $from);
$t->{app_args} = [ '--proc-root', $root ];
$t->start;
my $master = $t->pid('vitals');

sub metrics {
	my $r = $t->fcgi_request($t->socket_path, uri => '/api/metrics');
	return $r->{status} == 200 ? $t->json($r) : undef;
}

sub prom {
	my $r = $t->fcgi_request($t->socket_path, uri => '/metrics');
	return $r->{status} == 200 ? $r->{body} : '';
}

sub fam {
	my ($text, $family, $collector) = @_;
	return $text =~ /^\Q$family\E\{collector="\Q$collector\E"\} (\S+)$/m
	    ? $1 + 0 : undef;
}

ok(wait_until(sub { my $m = metrics(); $m && $m->{load} && $m->{memory} },
    timeout => 10), 'a sample with load and memory from the copy');
my $p0 = prom();
my %err0 = map { $_ => fam($p0, 'vitals_collector_errors_total', $_) // -1 }
    qw(loadavg meminfo stat);
my $s0 = (metrics() // {})->{sampler}{samples} // 0;

my $t0 = time;
unlink("$root/proc/loadavg", "$root/proc/meminfo") == 2
    or die "unlink: $!";
my $p;
ok(wait_until(sub {
	$p = prom();
	return (fam($p, 'vitals_collector_success', 'loadavg') // 1) == 0 &&
	    (fam($p, 'vitals_collector_success', 'meminfo') // 1) == 0;
}, timeout => 10), sprintf('the failures are seen (%.1f s after the deletion)',
    time - $t0));
cmp_ok(fam($p, 'vitals_collector_errors_total', 'loadavg') // 0, '>',
    $err0{loadavg}, 'loadavg errors counted');
cmp_ok(fam($p, 'vitals_collector_errors_total', 'meminfo') // 0, '>',
    $err0{meminfo}, 'meminfo errors counted');
is(fam($p, 'vitals_collector_errors_total', 'stat'), $err0{stat},
    'stat: no new error');
is(fam($p, 'vitals_collector_success', 'stat'), 1, 'stat still succeeds');

my $m = metrics();
ok($m, '/api/metrics still 200');
ok(!defined $m->{load} || !defined $m->{load}{load1},
    'load is null, not a stale or made-up figure') or diag(explain($m->{load}));
ok(!defined $m->{memory} || !defined $m->{memory}{total_bytes},
    'memory is null') or diag(explain($m->{memory}));
ok($m->{cpu} && defined $m->{cpu}{count}, 'cpu still published');
ok($m->{tcp} && $m->{tcp}{states}, 'tcp states still published');
ok($m->{network} && @{ $m->{network} }, 'network still published');
cmp_ok($m->{sampler}{samples} // 0, '>', $s0, 'the sampler keeps sampling');

copy("$from/proc/loadavg", "$root/proc/loadavg") or die "copy: $!";
copy("$from/proc/meminfo", "$root/proc/meminfo") or die "copy: $!";
ok(wait_until(sub {
	my $q = prom();
	return (fam($q, 'vitals_collector_success', 'loadavg') // 0) == 1 &&
	    (fam($q, 'vitals_collector_success', 'meminfo') // 0) == 1;
}, timeout => 10), 'put back: read again');

my $s = $t->json($t->fcgi_request($t->socket_path, uri => '/status')) // {};
my $restarts = 0;
$restarts += $_ for values %{ $s->{counters}{restarts} // {} };
is($restarts, 0, 'no worker restarted');
is($t->pid('vitals'), $master, 'the master is the same');
unlike($t->log_text('vitals.log'), qr/AddressSanitizer|runtime error|
    signal (?:6|11)/x, 'no crash in the log');
like($t->log_text('vitals.log'), qr/collector=loadavg/,
    'the failure is logged (internal text goes to the log)');
ok($t->stop, 'stops cleanly');
done_testing();

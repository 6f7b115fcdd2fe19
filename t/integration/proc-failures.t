#!/usr/bin/perl
# proc-failures.t: /proc read failures do not stop the pool.  The pool is
# started with proc_root on fixture trees whose files are empty, cut in
# the middle of a line or wrong in one way each (t/fixtures/proc/) and on
# a tree with no files at all: every endpoint keeps answering 200, the
# failing collectors are counted in the sampler's errors, the sections
# they feed are null rather than wrong, and no worker or master dies.  It
# prints the failing collectors per tree.
use strict;
use warnings;
use File::Path qw(make_path);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $src = $ENV{VT_SRCDIR} // '.';
my @figures;
for my $tree (qw(empty truncated malformed missing)) {
	my $t = VitalsTest->new(workers => 2);
	my $root = "$src/t/fixtures/proc/$tree";
	if ($tree eq 'missing') {
		$root = $t->dir . '/no-proc';
		make_path("$root/proc");
	}
	$t->{app_args} = [ '--proc-root', $root ];
	$t->start;
	my $master = $t->pid('vitals');

	# Two samples at least, so that rates have a previous one.
	sleep(2.2);
	my %bad;
	for my $path ('/api/metrics', '/metrics', '/status', '/health/live',
	    '/') {
		my $r = $t->get($path);
		$bad{$path} = $r->{status} if $r->{status} != 200;
	}
	ok(!%bad, "$tree: every endpoint 200") or
	    diag(join(', ', map { "$_ $bad{$_}" } sort keys %bad));
	my $j = $t->json($t->get('/api/metrics')) // {};
	my $errs = $j->{sampler}{errors} // {};
	my @failing = sort grep { $errs->{$_} } keys %$errs;
	ok(scalar(@failing), "$tree: the failing collectors are counted: "
	    . join(' ', @failing));
	cmp_ok($j->{sampler}{samples} // 0, '>=', 2, "$tree: the sampler "
	    . 'keeps sampling (' . ($j->{sampler}{samples} // 0) . ')');
	my $s = $t->json($t->get('/status')) // {};
	my $restarts = 0;
	$restarts += $_ for values %{ $s->{counters}{restarts} // {} };
	is($restarts, 0, "$tree: no worker restarted");
	is($t->pid('vitals'), $master, "$tree: the master is the same") if
	    defined $master;
	ok(kill(0, $master), "$tree: and alive") if defined $master;
	unlike($t->log_text('vitals.log'), qr/AddressSanitizer|runtime error|
	    signal (?:6|11)/x, "$tree: no crash in the log");
	push(@figures, "$tree: " . scalar(@failing) . ' collectors failing');
	ok($t->stop, "$tree: stops cleanly");
}
note('figure: ' . join('; ', @figures));
done_testing();

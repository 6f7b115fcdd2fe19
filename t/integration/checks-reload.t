#!/usr/bin/perl
# checks-reload.t: a SIGHUP gives the checks their new thresholds.  The
# running pool judges file_descriptors ok at the default (80 % of
# fs.file-max); a line added to its configuration file puts the warning
# threshold below what the host has open, and after a HUP, and without a
# restart of the master, the check turns warning with that threshold.
# Before the fix the sampler kept the thresholds it started with.
#
# Figure printed: seconds from the HUP to the warning.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(workers => 2, app_args => [ '--check-hold', '1',
    '--check-clear', '2' ]);
$t->start;

sub checks { $t->json($t->get('/api/checks')) // {} }
sub fds {
	my ($j) = @_;
	return (grep { $_->{name} eq 'file_descriptors' }
	    @{ $j->{items} // [] })[0] // {};
}

ok(VitalsTest::wait_until(sub { (fds(checks())->{state} // '') eq 'ok' },
    timeout => 20, interval => 0.3), 'file_descriptors is ok at the default');
my $before = fds(checks());
cmp_ok($before->{threshold} // 0, '>=', 50,
    "... judged against the default ($before->{threshold} %)");

my $master = $t->pid('vitals');
ok($master, "the master's pid ($master)");
my $conf = $t->dir . '/etc/vitals.conf';
open(my $f, '>>', $conf) or die "$conf: $!";
print $f "check_file_descriptors_warning = 0.001\n";
close($f);
my $t0 = time;
ok(kill('HUP', $master), 'SIGHUP to the master');

my $after;
ok(VitalsTest::wait_until(sub {
	$after = fds(checks());
	($after->{state} // '') eq 'warning'
}, timeout => 20, interval => 0.3),
    'file_descriptors turns warning with the new threshold');
diag(sprintf('the warning came %.1f s after the HUP', time - $t0));
is($after->{threshold}, 0.001, '... and says the threshold it used');
is($t->pid('vitals'), $master, 'the same master judged it (no restart)');

ok($t->stop, 'nothing left running');
done_testing();

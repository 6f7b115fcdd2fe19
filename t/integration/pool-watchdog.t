#!/usr/bin/perl
# pool-watchdog.t: a request that runs past --request-timeout is killed by
# the master's watchdog (counted, logged with its path and request id),
# the pool stays at N, and other requests meanwhile succeed.  Uses the
# test-only /__test/sleep endpoint (./configure --enable-test-hooks).
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
plan(skip_all => 'built without --enable-test-hooks')
    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;

my $N = 2;
my $t = VitalsTest->new(workers => $N, app_args => [ '--request-timeout',
    '1' ]);
$t->start;

# The stuck request, in the background: nginx waits up to 15 s for it.
my $pid = fork();
die "fork: $!" if !defined $pid;
if ($pid == 0) {
	my $r = $t->get('/__test/sleep?ms=8000', timeout => 12);
	POSIX::_exit($r->{status} == 502 ? 0 : 1);
}
sleep(0.3);
my $t0 = time;
my ($ok, $n) = (0, 0);
while (time - $t0 < 2.5) {
	my $r = $t->get('/health/live');
	$n++;
	$ok++ if $r->{status} == 200;
	sleep(0.05);
}
is($ok, $n, "every other request succeeded meanwhile ($ok of $n)");
waitpid($pid, 0);
is($? >> 8, 0, 'the stuck request ended with 502 (its worker was killed), '
    . 'not after its 8 s');
ok(time - $t0 < 7, 'and well before it would have finished');

my $s = $t->json($t->get('/status')) // {};
is($s->{counters}{restarts}{watchdog}, 1, '/status counts one watchdog kill');
is($s->{workers}{total}, $N, "the pool is still $N workers");
like($t->log_text('vitals.log'),
    qr{event=watchdog_kill .*path="/__test/sleep" request_id=[0-9a-f]{32}},
    'the kill is logged with the path and nginx\'s request id');
$t->nginx_log_ok(undef, allow => qr/upstream prematurely closed/);
ok($t->stop, './stack down leaves no process');
done_testing();

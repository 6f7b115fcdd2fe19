#!/usr/bin/perl
# pool-kill.t: kill -9 one worker while a bounded load runs: the pool is
# back to N workers within a second, /status counts the restart (cause
# "signal"), and no request but the one the killed worker held fails.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;
use VitalsLoad;

VitalsTest::require_stack('spawn-fcgi', 'wrk');

my $N = 2;
my $t = VitalsTest->new(workers => $N);
$t->start;

sub workers {
	my $j = $t->json($t->get('/status?full')) // {};
	return grep { $_->{state} ne 'exiting' } @{ $j->{slots} // [] };
}

my @before = workers();
is(scalar(@before), $N, "$N workers before");
my $st = $t->json($t->get('/status')) // {};
my $restarts0 = $st->{counters}{restarts}{signal} // -1;

my $w = VitalsLoad::wrk_start($t->url('/health/live'), seconds => 4,
    connections => 10);
sleep(1.5);
my $victim = $before[0]{pid};
ok(kill('KILL', $victim), "killed worker $victim with SIGKILL");
my $t0 = time;
my $back = wait_until(sub {
	my @now = eval { workers() };
	return @now == $N && !grep { $_->{pid} == $victim } @now;
}, timeout => 1.0, interval => 0.05);
my $took = time - $t0;
ok($back, sprintf('back to %d workers within 1 s (%.2f s)', $N, $took));
my $r = VitalsLoad::wrk_finish($w);
ok($r->{requests} > 100, "the load ran ($r->{requests} requests)")
    or diag($r->{text});
ok($r->{non2xx} + $r->{errors} <= 1,
    "at most the killed worker's request failed "
    . "(non-2xx $r->{non2xx}, socket errors $r->{errors})") or diag($r->{text});

$st = $t->json($t->get('/status')) // {};
is($st->{counters}{restarts}{signal}, $restarts0 + 1,
    '/status counts one restart by signal');
is($st->{workers}{total}, $N, "/status shows $N workers");
like($t->log_text('vitals.log'),
    qr/event=worker_exit pid=$victim .*exited on signal 9.*cause=signal/,
    'the master logged the exit and its cause');

$t->nginx_log_ok(undef, allow => qr/upstream prematurely closed|recv\(\) failed/);
ok($t->stop, './stack down leaves no process');
done_testing();

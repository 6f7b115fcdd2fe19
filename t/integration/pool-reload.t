#!/usr/bin/perl
# pool-reload.t: SIGHUP during a bounded load: every worker is replaced
# (new pids, a new generation), and not one request fails.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep);
use VitalsTest;
use VitalsLoad;

VitalsTest::require_stack('spawn-fcgi', 'wrk');

my $N = 2;
my $t = VitalsTest->new(workers => $N);
$t->start;

sub status { $t->json($t->get('/status?full')) // {} }
my $s0 = status();
my %old = map { $_->{pid} => 1 } @{ $s0->{slots} // [] };
is(scalar(keys %old), $N, "$N workers before");
my $master = $s0->{pool}{master_pid};

my $w = VitalsLoad::wrk_start($t->url('/health/live'), seconds => 5,
    connections => 20);
sleep(1.5);
ok(kill('HUP', $master), "SIGHUP to the master $master");
my $rolled = wait_until(sub {
	my $s = status();
	my @live = grep { $_->{state} =~ /^(idle|busy|reading)$/ }
	    @{ $s->{slots} // [] };
	return @live == $N && !grep { $old{ $_->{pid} } } @live;
}, timeout => 4, interval => 0.1);
ok($rolled, 'every worker was replaced');
my $r = VitalsLoad::wrk_finish($w);
ok($r->{requests} > 100, "the load ran ($r->{requests} requests)")
    or diag($r->{text});
is($r->{non2xx}, 0, 'no non-2xx response during the reload')
    or diag($r->{text});
is($r->{errors}, 0, 'no socket error during the reload') or diag($r->{text});

my $s1 = status();
is($s1->{pool}{master_pid}, $master, 'the master stayed');
ok($s1->{pool}{generation} > $s0->{pool}{generation},
    'the generation moved on');
is($s1->{workers}{total}, $N, "$N workers after");
like($t->log_text('vitals.log'), qr/event=reload_done/,
    'the master logged the end of the reload');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

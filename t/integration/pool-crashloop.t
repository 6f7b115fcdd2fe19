#!/usr/bin/perl
# pool-crashloop.t: workers that exit at start (a test switch) make the
# master back off exponentially instead of spinning: restarts stay few
# per second, and it says so in the log.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack();
plan(skip_all => 'built without --enable-test-hooks')
    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;

my $t = VitalsTest->new(app => 0, nginx => 0);
my $sock = $t->dir . '/crash.sock';
my $log = $t->log_path('vitals.log');
my $master = $t->spawn([ $ENV{VITALS_BIN}, '--listen', $sock, '--workers',
    '2' ], log => $log, env => { VITALS_TEST_CRASH_AT_START => 1 });
sleep(6);
ok(kill(0, $master), 'the master is still up');
my @exits = $t->log_text('vitals.log') =~ /event=worker_exit .*code 1/g;
my $n = scalar(@exits);
ok($n >= 4, "workers were restarted ($n exits in 6 s)");
ok($n <= 30, "but with back-off: $n exits in 6 s (2 workers without "
    . "back-off would be thousands)");
like($t->log_text('vitals.log'), qr/event=crash_loop failures=\d+ backoff_ms=\d+/,
    'the master logged the crash loop and its back-off');
my ($max) = sort { $b <=> $a } ($t->log_text('vitals.log') =~
    /backoff_ms=(\d+)/g);
ok(($max // 0) >= 1000, "the back-off grew (to $max ms)");
is($t->reap($master, signal => 'TERM', timeout => 10), 0,
    'the master still stops cleanly, status 0');
done_testing();

#!/usr/bin/perl
# pool-stop.t: SIGTERM with a slow request in flight: the request
# completes, then the master exits 0 and no process of the pool remains.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack();
plan(skip_all => 'built without --enable-test-hooks')
    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;

my $t = VitalsTest->new(app => 0, nginx => 0);
my $sock = $t->dir . '/stop.sock';
my $master = $t->spawn([ $ENV{VITALS_BIN}, '--listen', $sock, '--workers',
    '2', '--shutdown-timeout', '10' ], log => $t->log_path('vitals.log'));
ok(wait_until(sub { -S $sock && $t->fcgi_request($sock)->{status} == 200 },
    timeout => 5), 'the pool answers on its socket');
my @pool = VitalsTest::_session_pids($master);
ok(@pool >= 3, 'a master and its workers run (' . scalar(@pool) . ')');

my $out = $t->dir . '/slow.out';
my $pid = fork();
die "fork: $!" if !defined $pid;
if ($pid == 0) {
	my $r = $t->fcgi_request($sock, uri => '/__test/sleep',
	    params => { QUERY_STRING => 'ms=1500' }, timeout => 10);
	open(my $fh, '>', $out);
	print $fh "$r->{status}\n$r->{body}";
	close($fh);
	POSIX::_exit(0);
}
sleep(0.4);
my $t0 = time;
my $status = $t->reap($master, signal => 'TERM', timeout => 12);
my $took = time - $t0;
waitpid($pid, 0);
ok(defined $status, 'the master exited');
is($status, 0, 'with status 0');
ok($took >= 0.9, sprintf('after the slow request finished (%.2f s)', $took));
my $res = VitalsTest::_slurp($out) // '';
like($res, qr/^200\n.*"slept_ms":1500/s, 'the slow request completed with '
    . '200');
ok(wait_until(sub { !grep { kill(0, $_) } @pool }, timeout => 3),
    'no process of the pool remains');
ok(!-e $sock, 'the socket it created is removed');
like($t->log_text('vitals.log'), qr/event=stopped/, 'the master logged the '
    . 'stop');
done_testing();

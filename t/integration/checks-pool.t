#!/usr/bin/perl
# checks-pool.t: the pool's checks on the real pool.
#  - every worker stopped (SIGSTOP) while connections wait in the pool's
#    socket: nobody can answer /api/checks then (the workers serve it), so
#    what an operator sees during the stall is the master's log line
#    "check_transition check=pool_queue ... to=warning" naming the
#    connections waiting; after SIGCONT, /api/checks and /metrics show the
#    transition (counted, with its since), and the check returns to ok
#    after check_clear;
#  - workers that crash at start (the test switch of pool-crashloop.t):
#    the master logs pool_restarts critical, "crash loop back-off".
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
$SIG{PIPE} = 'IGNORE';

sub item {
	my ($j, $name) = @_;
	return (grep { $_->{name} eq $name } @{ $j->{items} // [] })[0] // {};
}

# --- every worker stopped --------------------------------------------------------
{
	my $t = VitalsTest->new(workers => 2, app_args => [ '--check-hold', '1',
	    '--check-clear', '2' ]);
	$t->start;
	my $s = $t->json($t->get('/status?full')) // {};
	my @pids = map { $_->{pid} } grep { $_->{pid} } @{ $s->{slots} // [] };
	is(scalar(@pids), 2, "two workers (@pids)");
	is(item($t->json($t->get('/api/checks')) // {}, 'pool_queue')->{state},
	    'ok', 'pool_queue ok before');
	my $stopped_at = time;
	ok(kill('STOP', @pids) == 2, 'every worker stopped with SIGSTOP');
	my @conns;
	for (1 .. 5) {
		my $c = IO::Socket::UNIX->new(Peer => $t->socket_path,
		    Type => SOCK_STREAM);
		push(@conns, $c) if $c;
	}
	is(scalar(@conns), 5, '5 connections wait in the socket');
	my $line = VitalsTest::wait_until(sub {
		$t->log_text('vitals.log') =~ /(event=check_transition
		    \ check=pool_queue\ from=ok\ to=critical\ [^\n]*)/x ? $1 : undef;
	}, timeout => 10, interval => 0.1);
	my $took = time - $stopped_at;
	ok($line, sprintf('the master logged pool_queue critical %.1f s after the '
	    . 'stop', $took));
	ok($took < 6, sprintf('within a few seconds (%.1f s)', $took));
	my $want = 'summary="Pool stuck: no worker accepting \(2 workers stopped '
	    . 'or hung\); 5 connections waiting for \d+ s \(backlog \d+\)"';
	like($line // '', qr/$want/, 'naming the connections waiting: '
	    . ($line // ''));
	ok(kill('CONT', @pids) == 2, 'SIGCONT');
	close($_) for @conns;
	my $j = VitalsTest::wait_until(sub {
		my $r = $t->get('/api/checks');
		return $r->{status} == 200 ? $t->json($r) : undef;
	}, timeout => 10, interval => 0.2) // {};
	my $m = $t->get('/metrics')->{body} // '';
	like($m, qr/^vitals_check_transitions_total\{check="pool_queue",
	    to="critical"\}\ 1$/mx, '/metrics counts the transition');
	my $since = item($j, 'pool_queue')->{since_ms} // 0;
	ok($since >= $stopped_at * 1000 - 1000,
	    '/api/checks: pool_queue changed state since the stop');
	my $back = VitalsTest::wait_until(sub {
		item($t->json($t->get('/api/checks')) // {},
		    'pool_queue')->{state} eq 'ok';
	}, timeout => 15, interval => 0.2);
	ok($back, 'pool_queue ok again after check_clear');
	$t->nginx_log_ok;
	ok($t->stop, 'stopped');
}

# --- a crash loop --------------------------------------------------------------------
SKIP: {
	skip('built without --enable-test-hooks', 4)
	    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;
	my $t = VitalsTest->new(app => 0, nginx => 0);
	my $sock = $t->dir . '/crash.sock';
	my $log = $t->log_path('vitals.log');
	my $master = $t->spawn([ $ENV{VITALS_BIN}, '--listen', $sock,
	    '--workers', '2', '--check-hold', '1' ], log => $log,
	    env => { VITALS_TEST_CRASH_AT_START => 1 });
	my $t0 = time;
	my $line = VitalsTest::wait_until(sub {
		$t->log_text('vitals.log') =~ /(event=check_transition
		    \ check=pool_restarts\ from=\w+\ to=critical\ [^\n]*)/x ?
		    $1 : undef;
	}, timeout => 15, interval => 0.1);
	ok($line, sprintf('pool_restarts critical, %.1f s after the start',
	    time - $t0)) or diag($t->log_text('vitals.log'));
	my $want = 'summary="Workers restarted \d+ times? in 60 s '
	    . '\(\d+ crash(es)?, 0 watchdog kills\); crash loop back-off'
	    . '(: workers start again in [\d.]+ s)?"';
	like($line // '', qr/$want/,
	    'the summary names the crash loop: ' . ($line // ''));
	ok(kill(0, $master), 'the master is still up');
	is($t->reap($master, signal => 'TERM', timeout => 10), 0,
	    'the master stops cleanly');
}
done_testing();

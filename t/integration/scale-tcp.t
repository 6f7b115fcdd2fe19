#!/usr/bin/perl
# scale-tcp.t: the TCP state counts and the listeners' queues at scale.
# t/bench/tcphold holds 10 000 loopback TCP connections, a fifth of them
# with the accepting side shut down for writing (CLOSE_WAIT on one end,
# FIN_WAIT2 on the other), and a listener of this test with a backlog of
# 8 has 6 connections waiting that it never accepts.  Then, at the same
# moment (a sample whose counts are fresh, states_age_ms 0, and `ss -tan`
# run right after it), every state /api/metrics gives matches what ss
# counts, within a tolerance for the other work of the machine (2 % or
# 50 sockets); the held states are at least what the test holds; and
# each listener of the test has the queue and backlog `ss -lnt` shows
# (Recv-Q, Send-Q).  Last, the count's pacing: vitals_tcp_states_age_
# seconds stays within VT_TCP_EVERY_MAX (10) ticks, or 30 past 5 000
# sockets outside ESTABLISHED (and the longest count is printed).  On main, without states_age_ms, the second test fails.
use strict;
use warnings;
use File::Basename qw(dirname);
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
my $ss = VitalsTest::find_program('ss')
    or plan(skip_all => 'no ss (iproute2)');
my $bin = $ENV{VITALS_BIN} // '';
my $hold = $bin ne '' ? dirname($bin) . '/../t/bench/tcphold' : '';
plan(skip_all => "no t/bench/tcphold beside VITALS_BIN (make check builds it)")
    if !-x $hold;

my $CONNS = 10_000;
my $CW_PCT = 20;

my $t = VitalsTest->new(workers => 2, nginx => 0);
$t->start;

sub metrics {
	my $r = $t->fcgi_request($t->socket_path, uri => '/api/metrics');
	return $r->{status} == 200 ? $t->json($r) : undef;
}

sub prom {
	my $r = $t->fcgi_request($t->socket_path, uri => '/metrics');
	return $r->{status} == 200 ? $r->{body} : '';
}

sub prom_value {
	my ($text, $re) = @_;
	return $text =~ /^$re (\S+)$/m ? $1 + 0 : undef;
}

# ss's names for the kernel's states, as /api/metrics names them.
my %SS = ('ESTAB' => 'established', 'SYN-SENT' => 'syn_sent',
    'SYN-RECV' => 'syn_recv', 'FIN-WAIT-1' => 'fin_wait1',
    'FIN-WAIT-2' => 'fin_wait2', 'TIME-WAIT' => 'time_wait',
    'UNCONN' => 'close', 'CLOSE-WAIT' => 'close_wait',
    'LAST-ACK' => 'last_ack', 'LISTEN' => 'listen', 'CLOSING' => 'closing');

sub ss_states {
	my %n = map { $_ => 0 } values %SS;
	open(my $fh, '-|', $ss, '-tanH') or die "ss: $!";
	while (<$fh>) {
		my ($st) = split;
		$n{ $SS{$st} // 'other' }++;
	}
	close($fh);
	return \%n;
}

# The load: tcphold's connections, and a listener that never accepts.
my $log = $t->log_path('tcphold.log');
my $t0 = time;
my $pid = $t->spawn([ $hold, $CONNS, $CW_PCT, 300 ], log => $log);
my $ready;
wait_until(sub {
	($ready) = grep { /^ready / } split(/\n/, VitalsTest::slurp($log) // '');
	return $ready || !kill(0, $pid);
}, timeout => 120);
ok($ready, sprintf('tcphold holds %d connections (%.1f s)', $CONNS, time - $t0))
    or BAIL_OUT('tcphold: ' . (VitalsTest::slurp($log) // ''));
my (undef, undef, $estab, $cw) = split(' ', $ready);
diag("held: $estab established, $cw in CLOSE_WAIT (and as many in FIN_WAIT2)");

my $lsn = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
    Proto => 'tcp', Listen => 8) or die "listen: $!";
my @waiting = map {
	IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $lsn->sockport,
	    Proto => 'tcp', Timeout => 5) or die "connect: $!"
} 1 .. 6;

# A sample counted after the load was built, fresh (its own count), and
# ss right after it: the same moment, within the time ss takes.
my ($m, $seen, $took);
ok(wait_until(sub {
	$m = metrics() or return 0;
	my $st = $m->{tcp}{states} or return 0;
	return 0 if ($m->{tcp}{states_age_ms} // 1) != 0;
	return 0 if ($st->{close_wait} // 0) < $cw;
	my $s0 = time;
	$seen = ss_states();
	$took = time - $s0;
	return 1;
}, timeout => 60), 'a fresh count that sees the held connections');
my $st = $m->{tcp}{states} // {};
diag(sprintf('ss -tan took %.2f s', $took // 0));
for my $name (sort values %SS) {
	my ($v, $s) = ($st->{$name} // -1, $seen->{$name} // 0);
	my $tol = $s * 0.02 > 50 ? $s * 0.02 : 50;
	ok(abs($v - $s) <= $tol, "$name: Vitals $v, ss $s (tolerance "
	    . int($tol) . ')');
}
ok(($st->{established} // 0) >= 2 * $estab,
    "established counts both ends of the held connections (>= " . 2 * $estab . ')');
ok(($st->{close_wait} // 0) >= $cw, "close_wait >= the $cw held");
ok(($st->{fin_wait2} // 0) >= $cw, "fin_wait2 >= the $cw held");

# The listeners' queues, against ss -lnt at the same moment.
my $lm = metrics() // {};
my %ssl;
open(my $fh, '-|', $ss, '-lntH') or die "ss: $!";
while (<$fh>) {
	my (undef, $recvq, $sendq, $local) = split;
	$ssl{$local} = [ $recvq, $sendq ];
}
close($fh);
my @mine = grep { ($_->{family} // '') eq 'tcp' && ($_->{address} // '') eq '127.0.0.1' }
    @{ $lm->{listeners} // [] };
my $port = $lsn->sockport;
my ($l) = grep { ($_->{port} // 0) == $port } @mine;
is_deeply([ $l->{queue}, $l->{backlog} ], [ 6, 8 ],
    "the test's listener: queue 6 of backlog 8") or diag(explain($l));
is_deeply([ $l->{queue}, $l->{backlog} ], $ssl{"127.0.0.1:$port"},
    '... as ss -lnt shows it');
my $checked = 0;
for my $e (@mine) {
	my $s = $ssl{"127.0.0.1:$e->{port}"} or next;
	$checked++ if $e->{queue} == $s->[0] && $e->{backlog} == $s->[1];
}
my $both = grep { $ssl{"127.0.0.1:$_->{port}"} } @mine;
is($checked, $both, "every 127.0.0.1 listener both list ($both) has ss -lnt's queue and backlog");

# The cost and the pacing of the count at this scale: over SECONDS, the
# longest count (a carried tick costs nothing) and the oldest counts,
# each within its bound: VT_TCP_EVERY_MAX (10) ticks, or
# VT_TCP_EVERY_MAX_BUSY (30) when the count had VT_TCP_BUSY_SOCKETS (5 000)
# sockets or more outside ESTABLISHED (TIME_WAIT from earlier tests too).
sub dumped {
	my ($p) = @_;
	my $n = 0;
	while ($p =~ /^node_tcp_connection_states\{state="(\w+)"\} (\S+)$/mg) {
		$n += $2 if $1 ne 'established';
	}
	return $n;
}

sub pacing {
	my ($seconds) = @_;
	my %r = (late => 0, maxage => 0, maxdur => 0, busy => 0, n => 0);
	my $end = time + $seconds;
	while (time < $end) {
		my $p = prom();
		my $a = prom_value($p, 'vitals_tcp_states_age_seconds') // 99;
		my $d = prom_value($p, 'vitals_collector_duration_seconds\{collector="tcp"\}') // 0;
		my $busy = dumped($p) >= 5000;
		$r{n}++;
		$r{busy}++ if $busy;
		$r{late}++ if $a > ($busy ? 31 : 11);
		$r{maxage} = $a if $a > $r{maxage};
		$r{maxdur} = $d if $d > $r{maxdur};
		sleep(0.5);
	}
	return \%r;
}

my $r = pacing(12);
is($r->{late}, 0, "the counts are never older than their bound ($r->{maxage} s the oldest seen over 12 s; "
    . ($r->{busy} ? "$r->{busy} samples past 5 000 sockets: 30 ticks" : '10 ticks') . ')');
diag(sprintf('the longest tcp count over 12 s: %.1f ms (wall)', $r->{maxdur} * 1000));

# Past 5 000 sockets outside ESTABLISHED: 2 500 more connections, all in
# CLOSE_WAIT (and their ends in FIN_WAIT2), and the counts may be up to
# 30 ticks old, no older; without the busy bound none is seen past 11 s.
my $log2 = $t->log_path('tcphold-busy.log');
my $pid2 = $t->spawn([ $hold, 2500, 100, 300 ], log => $log2);
my $ready2;
wait_until(sub {
	($ready2) = grep { /^ready / } split(/\n/, VitalsTest::slurp($log2) // '');
	return $ready2 || !kill(0, $pid2);
}, timeout => 120);
ok($ready2, 'tcphold holds 2 500 more connections, all in CLOSE_WAIT')
    or diag(VitalsTest::slurp($log2) // '');
ok(wait_until(sub { dumped(prom()) >= 5000 }, timeout => 40),
    'a count sees 5 000 sockets or more outside ESTABLISHED');
$r = pacing(35);
is($r->{late}, 0, "busy: the counts are never older than 30 ticks ($r->{maxage} s the oldest over 35 s)");
ok($r->{maxage} > 11 && $r->{busy} == $r->{n},
    "busy: counted less often than every 10 ticks ($r->{maxage} s seen; $r->{busy} of $r->{n} samples busy)");
$t->reap($pid2, signal => 'TERM', timeout => 20);

close($_) for @waiting;
close($lsn);
$t->reap($pid, signal => 'TERM', timeout => 20);
ok(!kill(0, $pid), 'tcphold stopped');
done_testing();

#!/usr/bin/perl
# slow-clients.t: slowloris and slow readers against nginx do not reach the
# pool.  500 connections trickle a request a byte at a time (400 plain
# HTTP headers, 100 TLS handshakes that never finish) and 20 TLS clients
# ask for 200 pipelined /metrics each and never read them; meanwhile a
# probe of /health/live and /api/metrics is timed: every probe must answer
# 200 in under a second, and no pool worker may be held busy.  It prints
# the connections held and the slowest probe.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use POSIX qw(_exit);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'socat');
$SIG{PIPE} = 'IGNORE';

my $SLOW_HTTP = 400;
my $SLOW_TLS = 100;
my $READERS = 20;
my $SECONDS = 12;

my $t = VitalsTest->new(workers => 2);
$t->start;
my $counters0 = ($t->json($t->get('/status')) // {})->{counters} // {};
my $restarts0 = $counters0->{restarts};

# The slow readers: socat speaks TLS, its output goes to a pipe that
# nobody reads, so nginx's send buffer fills and stays full.
my $req = $t->dir . '/pipelined.in';
open(my $fh, '>', $req) or die "$req: $!";
print $fh "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n" x 200;
close($fh);
my @readers;
for (1 .. $READERS) {
	pipe(my $r, my $w) or die "pipe: $!";
	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		close($r);
		open(STDIN, '<', $req);
		open(STDOUT, '>&', $w);
		open(STDERR, '>', '/dev/null');
		exec('socat', '-T', $SECONDS + 20, '-',
		    'OPENSSL:127.0.0.1:' . $t->https_port .
		    ',verify=0,snihost=localhost') or _exit(127);
	}
	close($w);
	push(@readers, { pid => $pid, pipe => $r });
}

# The slowloris connections.
my @slow;
my $refused = 0;
for my $i (1 .. $SLOW_HTTP + $SLOW_TLS) {
	my $tls = $i > $SLOW_HTTP;
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $tls ? $t->https_port : $t->http_port,
	    Proto => 'tcp', Timeout => 2);
	if (!$s) {
		$refused++;
		next;
	}
	$s->blocking(0);
	# A TLS record header of a ClientHello, its body never sent; or the
	# start of an HTTP request, its headers a byte at a time.
	syswrite($s, $tls ? "\x16\x03\x01\x02\x00\x01" :
	    "GET /api/metrics HTTP/1.1\r\nHost: localhost\r\nX-a: ");
	push(@slow, $s);
}
is($refused, 0, 'all ' . ($SLOW_HTTP + $SLOW_TLS) . ' slow connections '
    . 'accepted by nginx');

# The probe, while the slow ones trickle a byte a second.
my ($probes, $worst, $fails, $next_trickle) = (0, 0, 0, 0);
my @failed;
my $end = time + $SECONDS;
my ($max_busy, $prev_busy, $busy_twice) = (0, 0, 0);
while (time < $end) {
	if (time >= $next_trickle) {
		syswrite($_, 'a') for @slow;
		$next_trickle = time + 1;
	}
	for my $path ('/health/live', '/api/metrics') {
		my $t0 = time;
		my $r = $t->get($path, timeout => 5);
		my $took = time - $t0;
		$probes++;
		$worst = $took if $took > $worst;
		if ($r->{status} != 200 || $took >= 1) {
			$fails++;
			push(@failed, sprintf('%s: %s in %.3f s', $path,
			    $r->{status}, $took));
		}
	}
	my $s = $t->json($t->get('/status')) // {};
	my $busy = $s->{workers}{busy} // 0;
	$max_busy = $busy if $busy > $max_busy;
	# A worker besides the /status request's, in two polls 0.2 s and a
	# probe apart: one held.  (One poll can see the worker of the probe
	# just answered before it marks itself idle, on a loaded machine.)
	$busy_twice++ if $busy > 1 && $prev_busy > 1;
	$prev_busy = $busy;
	sleep(0.2);
}
my $open = grep { defined syswrite($_, 'a') || $!{EAGAIN} } @slow;
is($fails, 0, sprintf('%d probes of /health/live and /api/metrics during '
    . 'the attack: all 200 in under a second (slowest %.3f s)', $probes,
    $worst)) or diag(join("\n", @failed[0 .. ($#failed > 9 ? 9 : $#failed)]));
is($busy_twice, 0, 'pool workers not held: never a worker besides the '
    . "/status request's busy in two polls in a row (at most $max_busy "
    . 'busy in one)');

my $held = 0;
for my $rd (@readers) {
	$held++ if kill(0, $rd->{pid});
}
is($held, $READERS, "the $READERS slow readers were still connected, "
    . 'their answers unread');

close($_) for @slow;
for my $rd (@readers) {
	kill('TERM', $rd->{pid});
	waitpid($rd->{pid}, 0);
	close($rd->{pipe});
}

my $t0 = time;
my $r = $t->get('/api/metrics');
is($r->{status}, 200, sprintf('afterwards /api/metrics: 200 in %.3f s',
    time - $t0));
my $s = $t->json($t->get('/status')) // {};
is_deeply($s->{counters}{restarts}, $restarts0,
    'no worker restarted, by any cause');
is($s->{counters}{slow_requests}, $counters0->{slow_requests},
    'no request held a worker past the slow threshold ('
    . "$s->{limits}{slow_threshold_s} s)");
$t->nginx_log_ok;
note(sprintf('figure: %d slowloris connections (%d still open at the end) '
    . 'and %d slow readers; %d probes, slowest %.3f s; busy workers at '
    . 'most %d', scalar(@slow), $open, $READERS, $probes, $worst,
    $max_busy));
done_testing();

#!/usr/bin/perl
# pool-badrecord.t: FastCGI records whose parameter lengths libfcgi 2.4.2
# cannot allocate (it aborts: name + value between 2^31 and 2^32) are
# refused by the worker before libfcgi sees them.  Fifteen of them in a few
# seconds: every connection is closed and counted in bad_requests, no worker
# dies, the master never backs off, and requests through nginx still answer
# 200 at once.
use strict;
use warnings;
use Test::More;
use IO::Select;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(workers => 2);
$t->start;

sub status { return $t->json($t->get('/status?full')) // {} }
sub pids { return join(' ', sort map { $_->{pid} } @{ $_[0]{slots} // [] }) }

my $s0 = status();
my $pids = pids($s0);
like($pids, qr/^\d+ \d+$/, "two workers: $pids");
my $bad0 = $s0->{counters}{bad_requests} // 0;

sub record {
	my ($type, $content) = @_;
	my $pad = (8 - length($content) % 8) % 8;
	return pack('CCnnCC', 1, $type, 1, length($content), $pad, 0) .
	    $content . ("\0" x $pad);
}

# BEGIN_REQUEST (responder), then one PARAMS record with the lengths.
my @contents = ("\xff\xff\xff\xfe\x00",
    "\xc0\x00\x00\x00\xc0\x00\x00\x00");
my ($closed, $slowest) = (0, 0);
my $t0 = time;
for my $i (1 .. 15) {
	my $sock = IO::Socket::UNIX->new(Peer => $t->socket_path,
	    Type => SOCK_STREAM, Timeout => 3) or die "connect: $!";
	my $c0 = time;
	syswrite($sock, record(1, pack('nCx5', 1, 0)) .
	    record(4, $contents[$i % 2]));
	my $buf;
	if (IO::Select->new($sock)->can_read(3)) {
		my $n = sysread($sock, $buf, 4096);
		$closed++ if defined $n && $n == 0 ||
		    !defined $n && $!{ECONNRESET};
	}
	$slowest = time - $c0 if time - $c0 > $slowest;
	close($sock);
	sleep(0.2);
}
my $took = time - $t0;
is($closed, 15, sprintf('15 malformed records in %.1f s: each connection '
    . 'closed by the worker (slowest %.3f s)', $took, $slowest));

# Requests through nginx: 200, without delay.
my ($ok, $max) = (0, 0);
for (1 .. 10) {
	my $r0 = time;
	my $r = $t->get('/health/live');
	$ok++ if $r->{status} == 200;
	$max = time - $r0 if time - $r0 > $max;
}
is($ok, 10, 'then 10 requests through nginx: all 200');
cmp_ok($max, '<', 1, sprintf('the slowest took %.3f s', $max));

my $s = status();
is(pids($s), $pids, 'the same workers: none aborted');
my $bad = ($s->{counters}{bad_requests} // 0) - $bad0;
cmp_ok($bad, '>=', 15, "bad_requests counted them: $bad");
is($s->{counters}{crash_backoffs} // -1, 0, 'no crash-loop back-off');
my $log = $t->log_text('vitals.log');
unlike($log, qr/event=crash_loop/, 'no crash_loop in the log');
unlike($log, qr/event=worker_exit/, 'no worker exited');
like($log, qr/event=bad_request .*reason=bad_record .*past the parameters/,
    'the refusal is logged with its reason');
note("figure: 15 malformed records in ${\ sprintf('%.1f', $took)} s, "
    . "$bad refused, slowest request after them "
    . sprintf('%.3f', $max) . ' s');
done_testing();

#!/usr/bin/perl
# pool-stall.t: clients that connect to the pool's socket, send a byte and
# stall (or trickle a byte now and then) do not hold the workers.  A
# worker reads several connections at once and serves whichever delivers a
# whole request; one that has not within read_timeout (2 s, in total, from
# its accept) is dropped and counted.  Six stallers on two workers used to
# hold the pool for 5 s a read each: 15 s, and a 504 through nginx.
use strict;
use warnings;
use Test::More;
use IO::Select;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
$SIG{PIPE} = 'IGNORE';

my $t = VitalsTest->new(workers => 2);
$t->start;

my $s0 = $t->json($t->get('/status')) // {};
my $bad0 = $s0->{counters}{bad_requests} // 0;

my $K = 6;
my @stall;
for (1 .. $K) {
	my $sock = IO::Socket::UNIX->new(Peer => $t->socket_path,
	    Type => SOCK_STREAM) or die "connect: $!";
	syswrite($sock, "\x01");
	push(@stall, { sock => $sock, t0 => time });
}
# One more trickles a byte every 300 ms, a whole record's worth never.
my $trickle = IO::Socket::UNIX->new(Peer => $t->socket_path,
    Type => SOCK_STREAM) or die "connect: $!";
my $trickle_t0 = time;
syswrite($trickle, "\x01");
sleep(0.3);

my $r0 = time;
my $r = $t->get('/health/live', timeout => 20);
my $took = time - $r0;
is($r->{status}, 200, "with $K stallers and a trickler on 2 workers, "
    . 'a request through nginx: 200');
cmp_ok($took, '<', 2.5, sprintf('within read_timeout + a little: %.3f s',
    $took));

# Every staller is dropped within read_timeout (2 s) of its connect.
my $sel = IO::Select->new(map { $_->{sock} } @stall);
my %dropped;
my $trickle_dropped;
my $end = time + 8;
while (time < $end && (keys %dropped < $K || !$trickle_dropped)) {
	my @ready = $sel->count ? $sel->can_read(0.3) : ();
	sleep(0.3) if !$sel->count;
	for my $s (@ready) {
		my $st = (grep { $_->{sock} == $s } @stall)[0] or next;
		my $n = sysread($s, my $buf, 16);
		next if $n;
		$dropped{"$s"} = time - $st->{t0};
		$sel->remove($s);
	}
	if (!$trickle_dropped) {
		if (!defined syswrite($trickle, "\x01") ||
		    IO::Select->new($trickle)->can_read(0)) {
			$trickle_dropped = time - $trickle_t0;
		}
	}
}
is(scalar(keys %dropped), $K, "all $K stallers dropped");
my ($last) = sort { $b <=> $a } values %dropped;
cmp_ok($last // 99, '<', 3, sprintf('the last %.2f s after its connect',
    $last // 99));
ok(defined $trickle_dropped && $trickle_dropped < 3.5,
    sprintf('the trickler too, however it trickled: %.2f s',
    $trickle_dropped // 99));

my $s = $t->json($t->get('/status')) // {};
my $bad = ($s->{counters}{bad_requests} // 0) - $bad0;
cmp_ok($bad, '>=', $K + 1, "counted in bad_requests: $bad");
like($t->log_text('vitals.log'), qr/event=bad_request .*reason=read_timeout/,
    'and logged');
note(sprintf('figure: %d stallers + 1 trickler on 2 workers: request '
    . 'through nginx in %.3f s; stallers dropped after %.2f s at most',
    $K, $took, $last // 99));
done_testing();

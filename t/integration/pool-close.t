#!/usr/bin/perl
# pool-close.t: a worker closes its connection as soon as its reply is
# written, so a FastCGI peer that is slow to close its end does not hold the
# worker (libfcgi's own close lingers until the peer closes, up to 2 s), and
# request input the handler never read, small or larger than what the
# worker drains itself, never costs a reply or a worker.
use strict;
use warnings;
use Test::More;
use IO::Select;
use Time::HiRes qw(time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $N = 2;
my $t = VitalsTest->new(workers => $N);
$t->start;

sub worker_pids {
	my $s = $t->json($t->get('/status?full')) // {};
	return join(' ', sort map { $_->{pid} } @{ $s->{slots} // [] });
}
my $pids = worker_pids();
like($pids, qr/^\d+ \d+$/, "$N workers: $pids");

# Every worker answers a peer that then keeps its end open.
my @held;
for my $i (1 .. $N) {
	my $r = $t->fcgi_request($t->socket_path, keep => 1);
	is($r->{status}, 200, "held connection $i: 200")
	    or diag($r->{error});
	push(@held, $r->{sock}) if $r->{sock};
}
is(scalar @held, $N, "$N connections held open by the peer");

# The worker's end is closed already: the peer reads end of file.
for my $i (0 .. $#held) {
	my $sock = $held[$i];
	my $buf;
	my $ready = IO::Select->new($sock)->can_read(1);
	my $n = $ready ? sysread($sock, $buf, 16) : undef;
	is($n, 0, "held connection " . ($i + 1) . ": the worker closed its end");
}

# With both peers still open, the pool answers at once.  Had the workers
# lingered until their peers closed, this request would have waited for
# libfcgi's 2-second limit (the bound leaves room for a loaded machine).
my $t0 = time;
my $r = $t->get('/health/live');
my $took = time - $t0;
is($r->{status}, 200, 'through nginx, while the peers hold their ends: 200');
cmp_ok($took, '<', 1.5, sprintf('and at once (%.3f s), not after a linger',
    $took));
close($_) for @held;

# Input the handler does not read.  A body the worker drains itself ...
$r = $t->fcgi_request($t->socket_path, method => 'POST',
    stdin => 'x' x 10_000, params => { CONTENT_TYPE => 'text/plain' });
is($r->{status}, 405, 'a 10 kB body the handler ignores: 405');
is(($t->json($r) // {})->{error}{status}, 405, 'the whole reply, as JSON');

# ... and one larger than that, left to libfcgi's lingering close.
$r = $t->fcgi_request($t->socket_path, method => 'POST',
    stdin => 'x' x 300_000, params => { CONTENT_TYPE => 'text/plain' });
is($r->{status}, 405, 'a 300 kB body the handler ignores: 405');
is(($t->json($r) // {})->{error}{status}, 405, 'the whole reply, as JSON');

# Through nginx, the largest body it lets through (client_max_body_size).
for my $http ('1.1', '2') {
	$r = $t->post('/health/live', body => 'x' x 16_000, http => $http);
	is($r->{status}, 405, "HTTP/$http: a 16 kB POST: 405");
	is(($t->json($r) // {})->{error}{status}, 405, "HTTP/$http: as JSON");
}
# Many requests in a row, each on its own upstream connection.
my @bad = grep { $_ != 200 } map { $t->get('/health/live')->{status} } 1 .. 50;
is(scalar @bad, 0, '50 requests in a row: all 200');

is(worker_pids(), $pids, 'the same workers: none crashed or was replaced');
my @upstream = grep { /upstream|reset by peer|prematurely/ }
    split(/\n/, $t->log_text('nginx-error.log'));
is(scalar @upstream, 0, 'nginx logged no upstream error')
    or diag(join("\n", @upstream));
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

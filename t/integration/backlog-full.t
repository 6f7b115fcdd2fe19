#!/usr/bin/perl
# backlog-full.t: a full pool backlog fails fast and recovers at once.
# With every worker stopped (SIGSTOP) and the socket's backlog (16) filled
# by connections nobody accepts, a request through nginx must get a 502 or
# 503 in the JSON shape (for /api/metrics: the master's fallback
# document) within a second (Linux refuses a connect to a full
# Unix socket with EAGAIN: no wait), not hang for fastcgi_read_timeout.
# After SIGCONT the next request is 200 at once, and no worker was
# replaced.  It prints how fast the refusal and the recovery were.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack();
$SIG{PIPE} = 'IGNORE';

my $BACKLOG = 16;
my $t = VitalsTest->new(app_mode => 'listen', workers => 2,
    env => { VT_BACKLOG => $BACKLOG });
$t->start;

my $s0 = $t->json($t->get('/status?full')) // {};
my @workers = map { $_->{pid} } @{ $s0->{slots} // [] };
is(scalar(@workers), 2, "two workers: @workers");

kill('STOP', @workers);
# Fill the backlog: connects succeed until the queue is full, then the
# kernel refuses them (EAGAIN on a non-blocking connect).
my (@fill, $refused);
for (1 .. $BACKLOG * 4) {
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM);
	$s->blocking(0);
	if (!connect($s, Socket::pack_sockaddr_un($t->socket_path))) {
		$refused = $!;
		last;
	}
	push(@fill, $s);
}
ok(defined $refused, sprintf('the backlog is full after %d connections '
    . '(then: %s)', scalar(@fill), $refused // 'never refused'));

my ($worst, @codes) = (0);
for my $path ('/health/live', '/api/metrics', '/status') {
	my $t0 = time;
	my $r = $t->get($path, timeout => 20);
	my $took = time - $t0;
	$worst = $took if $took > $worst;
	push(@codes, $r->{status});
	like($r->{status}, qr/^50[23]$/, sprintf('%s with the backlog full: '
	    . '%s in %.3f s', $path, $r->{status}, $took));
	like($r->{headers}{'content-type'} // '', qr{^application/json},
	    '  in the JSON shape');
	# /api/metrics is one of the paths the master's fallback stands in
	# for (pool-fallback.t): its document, under the same 502.
	if ($path eq '/api/metrics') {
		is($r->{headers}{'x-vitals-source'}, 'master-fallback',
		    '  from the master\'s fallback');
		like($r->{body}, qr/^\{"timestamp_ms":\d+,/,
		    '  the master\'s latest sample');
	} else {
		like($r->{body}, qr/"error"/, '  an error object');
	}
}
cmp_ok($worst, '<', 1, sprintf('each refusal fast: the slowest %.3f s',
    $worst));

close($_) for @fill;
kill('CONT', @workers);
my $t0 = time;
my $r = $t->get('/health/live');
my $recovered = time - $t0;
is($r->{status}, 200, 'after SIGCONT, the next request: 200');
cmp_ok($recovered, '<', 1, sprintf('at once: %.3f s', $recovered));
$t0 = time;
$r = $t->get('/api/metrics');
is($r->{status}, 200, sprintf('and /api/metrics: 200 in %.3f s',
    time - $t0));

my $s1 = $t->json($t->get('/status?full')) // {};
is(join(' ', sort map { $_->{pid} } @{ $s1->{slots} // [] }),
    join(' ', sort @workers), 'the same workers: none replaced');
$t->nginx_log_ok('no alert or crit in the nginx error log',
    allow => qr/connect\(\) to unix:.* failed \(11: Resource temporarily/);
note(sprintf('figure: backlog %d full after %d connections; refusals %s, '
    . 'slowest %.3f s; recovered in %.3f s', $BACKLOG, scalar(@fill),
    join('/', @codes), $worst, $recovered));
done_testing();

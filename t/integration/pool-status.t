#!/usr/bin/perl
# pool-status.t: /status shows N workers with plausible states and the
# configured limits; when every worker is busy and more connections wait,
# the listen queue (read from the kernel) rises above 0.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $N = 2;
my $t = VitalsTest->new(workers => $N, app_args => [ '--max-requests',
    '1000', '--request-timeout', '20' ]);
$t->start;

my $s = $t->json($t->get('/status?full')) // {};
is($s->{workers}{total}, $N, "$N workers");
is($s->{limits}{workers}, $N, 'limits.workers');
is($s->{limits}{max_requests}, 1000, 'limits.max_requests');
is($s->{limits}{request_timeout_s}, 20, 'limits.request_timeout_s');
ok($s->{limits}{backlog} > 0, "limits.backlog ($s->{limits}{backlog})");
is(scalar(@{ $s->{slots} // [] }), $N, "?full lists $N slots");
for my $w (@{ $s->{slots} // [] }) {
	like($w->{state}, qr/^(idle|busy|reading)$/, "slot $w->{slot}: state "
	    . "$w->{state}");
	ok(kill(0, $w->{pid}), "slot $w->{slot}: pid $w->{pid} is alive");
}
is(scalar(grep { $_->{state} eq 'busy' } @{ $s->{slots} }), 1,
    'exactly one busy: the one answering');
my ($me) = grep { $_->{state} eq 'busy' } @{ $s->{slots} };
is($me->{request}{path}, '/status', 'and it serves /status');
like($me->{request}{request_id} // '', qr/^[0-9a-f]{32}$/,
    'with nginx\'s request id');
ok(!exists $t->json($t->get('/status'))->{slots}, 'no slots without ?full');

if ($t->get('/__test/sleep?ms=0')->{status} == 404) {
	$t->stop;
	done_testing();
	exit 0;
}
# Every worker busy, then more connections: they queue in the backlog.
my @kids;
for (1 .. $N) {
	my $pid = fork();
	if ($pid == 0) {
		$t->fcgi_request($t->socket_path, uri => '/__test/sleep',
		    params => { QUERY_STRING => 'ms=2000' }, timeout => 10);
		POSIX::_exit(0);
	}
	push(@kids, $pid);
}
sleep(0.5);
my @waiting = map { IO::Socket::UNIX->new(Type => SOCK_STREAM,
    Peer => $t->socket_path) } 1 .. 3;
is(scalar(grep { defined } @waiting), 3, '3 more connections wait');
sleep(0.6);
close($_) for grep { defined } @waiting;
waitpid($_, 0) for @kids;
ok(wait_until(sub {
	my $x = $t->json($t->get('/status')) // {};
	($x->{listen_queue}{max} // 0) >= 3;
}, timeout => 8), 'the listen queue rose to 3 or more while all were busy');
my $m = $t->get('/metrics');
like($m->{body}, qr/^vitals_listen_queue_max [3-9]/m,
    '/metrics has the same maximum');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

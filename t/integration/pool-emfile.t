#!/usr/bin/perl
# pool-emfile.t: a worker out of file descriptors (prlimit --nofile=4:4 on
# each worker) fails clearly instead of hanging: it backs off without
# spinning, a SIGTERM stops it at once (signals are deliverable while it
# backs off), /status and the log say so, and the master replaces it
# within seconds, so requests through nginx answer again.  It used to
# leave every request waiting 15 s for nginx's 504 and SIGTERM pending.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use POSIX qw(sysconf);
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
my $prlimit = VitalsTest::find_program('prlimit')
    or plan(skip_all => 'no prlimit');

my $t = VitalsTest->new(workers => 2);
$t->start;

sub status { return $t->json($t->get('/status?full')) // {} }
my $s0 = status();
my @pids = sort map { $_->{pid} } @{ $s0->{slots} // [] };
is(scalar @pids, 2, "two workers: @pids");
my $errors0 = $s0->{counters}{accept_errors} // 0;

sub cpu_s {
	my ($pid) = @_;
	open(my $fh, '<', "/proc/$pid/stat") or return undef;
	my @f = split(' ', (split(/\) /, scalar <$fh>, 2))[1]);
	return ($f[11] + $f[12]) / POSIX::sysconf(POSIX::_SC_CLK_TCK());
}

for my $pid (@pids) {
	system($prlimit, "--pid=$pid", '--nofile=4:4') == 0
	    or BAIL_OUT("prlimit $pid failed");
}
# A connection the workers cannot accept, queued on the socket.
my $t0 = time;
my $queued = IO::Socket::UNIX->new(Peer => $t->socket_path,
    Type => SOCK_STREAM) or die "connect: $!";
sleep(0.5);

# Backing off, not spinning: CPU over 1.5 s.
my %c0 = map { $_ => cpu_s($_) } @pids;
sleep(1.5);
for my $pid (@pids) {
	my $used = (cpu_s($pid) // 0) - ($c0{$pid} // 0);
	cmp_ok($used, '<', 0.1, sprintf('worker %d, failing accepts: '
	    . '%.3f s of CPU in 1.5 s, no spin', $pid, $used));
}

# SIGTERM is honoured while the worker backs off.
kill('TERM', $pids[0]);
my $gone = VitalsTest::wait_until { !kill(0, $pids[0]) } timeout => 3;

ok($gone, 'SIGTERM stops a failing worker at once');

# The other is replaced by the master within seconds.
my $replaced = VitalsTest::wait_until { !kill(0, $pids[1]) } timeout => 6;
my $repl_s = time - $t0;
ok($replaced, sprintf('the master replaced the other %.1f s after its '
    . 'first failure', $repl_s));

my $r0 = time;
my $r = $t->get('/health/live', timeout => 20);
my $took = time - $r0;
is($r->{status}, 200, sprintf('then a request through nginx: 200 in '
    . '%.3f s', $took));
cmp_ok($took, '<', 2, 'at once');
close($queued);

my $s = status();
my @now = sort map { $_->{pid} } @{ $s->{slots} // [] };
ok(@now == 2 && !grep({ my $p = $_; grep { $_ == $p } @pids } @now),
    "two new workers: @now");
cmp_ok(($s->{counters}{accept_errors} // 0) - $errors0, '>', 0,
    'accept_errors counted: ' . (($s->{counters}{accept_errors} // 0) -
    $errors0));
my $log = $t->log_text('vitals.log');
like($log, qr/event=accept_failed .*err="Too many open files"/,
    'the failure is logged');
like($log, qr/event=worker_replace pid=$pids[1] .*reason=accept_failing/,
    'and the replacement');
note(sprintf('figure: failing worker stopped by SIGTERM, replaced after '
    . '%.1f s, next request %.3f s', $repl_s, $took));
done_testing();

#!/usr/bin/perl
# log-stall.t: a stalled log reader does not freeze the pool (issue 17,
# item 1).  The pool's stderr is a FIFO whose reader is stopped (SIGSTOP),
# as when the journal or a supervisor stops reading; its pipe is shrunk to
# one page so that it fills after a few lines.  With the database down,
# every /api/history?range=24h logs a warning.  Requests must keep
# answering, the watchdog must still kill a stuck request on time, and the
# lines that could not be written are counted in /status and /metrics.
# Before the fix, the master, the recorder and every worker sat in
# anon_pipe_write and /health/live answered 504 after 15 s.
use strict;
use warnings;
use Fcntl;
use POSIX qw(mkfifo);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd');
plan(skip_all => 'built without --enable-test-hooks')
    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;

my $t = VitalsTest->new(workers => 2, db => 1,
    app_args => [ '--request-timeout', '1' ]);

# The reader: copies the FIFO into a file, until it is stopped.
my $logdir = "$t->{dir}/log";
mkdir($logdir);
my $fifo = "$logdir/vitals.log";
my $copy = "$logdir/vitals.copy";
mkfifo($fifo, 0600) or die "mkfifo: $!";
my $reader = fork();
die "fork: $!" if !defined $reader;
if ($reader == 0) {
	open(my $in, '<', $fifo) or POSIX::_exit(1);
	# F_SETPIPE_SZ: the smallest pipe, so that a few lines fill it.
	fcntl($in, 1031, 4096);
	open(my $out, '>>', $copy) or POSIX::_exit(1);
	$out->autoflush(1);
	while (sysread($in, my $buf, 4096)) {
		print $out $buf;
	}
	POSIX::_exit(0);
}
END { kill('KILL', $reader) if $reader; }

$t->start;
my $got = wait_until { -s $copy } timeout => 10;
ok($got, 'the reader got the start-up lines');

# The reader stops reading; the database stops answering.
kill('STOP', $reader);
is($t->stack('stop', 'db'), 0, 'MariaDB stopped');

my ($n, $answered, $worst) = (120, 0, 0);
for (1 .. $n) {
	my $t0 = time;
	my $r = $t->get('/api/history?range=24h', timeout => 10);
	my $dt = time - $t0;
	$worst = $dt if $dt > $worst;
	$answered++ if $r->{status} == 503;
}
is($answered, $n, "every history request answered 503 with the log stalled "
    . "($answered of $n)");
diag(sprintf('slowest history request: %.3f s', $worst));
ok($worst < 2, 'none waited on the log (slowest under 2 s)');

my $t0 = time;
my $live = $t->get('/health/live', timeout => 10);
is($live->{status}, 200, '/health/live answers while the log is stalled');

# The watchdog still acts: a 8 s request dies at the 1 s limit.
$t0 = time;
my $r = $t->get('/__test/sleep?ms=8000', timeout => 12);
my $took = time - $t0;
is($r->{status}, 502, 'a stuck request is killed by the watchdog');
diag(sprintf('stuck request ended after %.2f s', $took));
ok($took < 4, 'on time, not after the log unblocks');

my $s = $t->json($t->get('/status')) // {};
ok(($s->{counters}{log_dropped} // 0) > 0,
    'the lines the stalled reader had no room for are counted: '
    . ($s->{counters}{log_dropped} // 'none'));
ok(defined $s->{counters}{log_suppressed},
    'suppressed lines are counted too: '
    . ($s->{counters}{log_suppressed} // 'none'));
my $m = $t->get('/metrics');
like($m->{body}, qr/^vitals_log_lines_dropped_total [1-9]\d*$/m,
    '/metrics has vitals_log_lines_dropped_total');
is($s->{counters}{restarts}{watchdog}, 1, 'one watchdog kill counted');

# The reader resumes: lines flow again, and nothing is torn.
my $before = -s $copy;
kill('CONT', $reader);
$got = wait_until {
	$t->get('/api/history?range=7d');
	my $now = VitalsTest::slurp($copy) // '';
	length($now) > $before && substr($now, $before) =~ /range=7d/;
} timeout => 10, interval => 0.3;
ok($got, 'lines are written again once the reader reads');
my $text = VitalsTest::slurp($copy) // '';
my @torn = grep { !/^ts=\S+ level=\w+ pid=\d+ event=\w+/ } split(/\n/, $text);
is(scalar(@torn), 0, 'no torn or mixed line in the log') or diag(
    join("\n", @torn[0 .. ($#torn < 4 ? $#torn : 4)]));

$t->nginx_log_ok(undef, allow => qr/upstream prematurely closed/);
ok($t->stop, './stack down leaves no process');
kill('KILL', $reader);
waitpid($reader, 0);
$reader = 0;
done_testing();

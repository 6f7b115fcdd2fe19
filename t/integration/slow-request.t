#!/usr/bin/perl
# slow-request.t: one slow request does not stall the others.  The
# database is a listener that accepts and never answers (a hung MariaDB),
# with a 3 s deadline: /api/history waits on it for the whole deadline.
# While two such requests are in flight, one after the other, probes of
# /health/live, /api/metrics, /metrics and /status must each answer 200 in
# under a second, and the history request must end with its 503 JSON at
# the deadline, not hang.  It prints the probes and the slowest one.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use POSIX qw(WNOHANG);
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $DEADLINE_MS = 3000;
my $t = VitalsTest->new(workers => 2);
my $sock = $t->dir . '/hung-db.sock';
my $hung = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $sock,
    Listen => 64) or die "listen: $!";
my $cnf = $t->dir . '/hung-db.cnf';
open(my $fh, '>', $cnf) or die "$cnf: $!";
print $fh "[vitals]\nsocket = $sock\nuser = vitals\npassword = not-used\n"
    . "database = vitals\n";
close($fh);
$t->{app_args} = [ '--db-config', $cnf, '--health-timeout', $DEADLINE_MS ];
$t->start;

my ($probes, $worst, @failed) = (0, 0);
my @slow;
for my $round (1 .. 2) {
	# The slow request, in a child: curl through nginx.
	my $out = $t->dir . "/slow-$round.out";
	my $t0 = time;
	my $pid = fork();
	die "fork: $!" if !defined $pid;
	if ($pid == 0) {
		# curl itself: the helper's files belong to the probes.
		open(STDOUT, '>', $out) or POSIX::_exit(1);
		exec('curl', '-s', '-k', '--max-time', '15', '-o', '/dev/null',
		    '-w', '%{http_code} %{time_total} %{content_type}',
		    $t->url('/api/history?range=24h')) or POSIX::_exit(127);
	}
	sleep(0.3);
	while (waitpid($pid, WNOHANG) == 0 && time - $t0 < 12) {
		for my $path ('/health/live', '/api/metrics', '/metrics',
		    '/status') {
			my $p0 = time;
			my $r = $t->get($path, timeout => 5);
			my $took = time - $p0;
			$probes++;
			$worst = $took if $took > $worst;
			push(@failed, sprintf('%s: %s in %.3f s', $path,
			    $r->{status}, $took)) if $r->{status} != 200 ||
			    $took >= 1;
		}
	}
	waitpid($pid, 0) if kill(0, $pid);
	my ($code, $took, $type) = split(' ', VitalsTest::slurp($out) // '');
	push(@slow, [ $code // 0, $took // 99, $type // '' ]);
}

for my $i (0 .. $#slow) {
	my ($code, $took, $type) = @{ $slow[$i] };
	is($code, 503, sprintf('slow request %d, /api/history over a hung '
	    . 'database: %s after %.2f s', $i + 1, $code, $took));
	cmp_ok($took, '<', $DEADLINE_MS / 1000 + 1.5, '  ended by its deadline');
	like($type, qr{^application/json}, '  a JSON error');
}
cmp_ok($probes, '>=', 8, "$probes probes while it waited");
ok(!@failed, sprintf('every probe 200 in under a second (slowest %.3f s)',
    $worst)) or diag(join("\n", @failed));
$t->nginx_log_ok;
note(sprintf('figure: 2 history requests held %.2f s and %.2f s by a hung '
    . 'database; %d probes meanwhile, slowest %.3f s', $slow[0][1],
    $slow[1][1], $probes, $worst));
done_testing();

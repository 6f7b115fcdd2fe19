#!/usr/bin/perl
# unit-families.t: the pool under the shipped unit's address families
# (issue 17, item 6).  RestrictAddressFamilies= in vitals.service is read
# from the unit itself and applied to the pool with a seccomp filter
# (t/restrict-af, what systemd does; systemd is not PID 1 on every test
# host, so systemd-run cannot be relied on).  Under the shipped list the
# listen-queue gauge must work: connections queued behind busy workers show
# in /status and /metrics.  Under the old list (no AF_NETLINK) the gauge is
# blind: it must say so (null in /status, no series in /metrics, the failed
# reads counted, one log line), not report a false 0.
use strict;
use warnings;
use File::Basename qw(dirname);
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
plan(skip_all => 'built without --enable-test-hooks')
    if `$ENV{VITALS_BIN} --version` !~ /test hooks/;
my $raf = dirname(dirname($ENV{VITALS_BIN})) . '/t/restrict-af';
plan(skip_all => "no $raf") if !-x $raf;

my $unit = dirname(VitalsTest::stack_path()) . '/conf/spawn/vitals.service.in';
my ($families) = (VitalsTest::slurp($unit) // '')
    =~ /^RestrictAddressFamilies=(.+)$/m;
ok(defined $families, "the unit restricts address families: "
    . ($families // 'none'));
like($families // '', qr/\bAF_NETLINK\b/, 'AF_NETLINK among them');

# Start the pool with a wrapper that applies the list, then fill the
# socket's queue behind two busy workers.
sub run_under {
	my ($list) = @_;
	my $t = VitalsTest->new(workers => 2);
	my $wrapper = "$t->{dir}/vitals-restricted";
	open(my $fh, '>', $wrapper) or die "$wrapper: $!";
	print $fh "#!/bin/sh\nexec '$raf' '$list' '$ENV{VITALS_BIN}' \"\$@\"\n";
	close($fh);
	chmod(0755, $wrapper);
	$t->{env}{VITALS_BIN} = $wrapper;
	$t->start;

	my @kids;
	for (1 .. 2) {
		my $pid = fork();
		if ($pid == 0) {
			$t->fcgi_request($t->socket_path, uri => '/__test/sleep',
			    params => { QUERY_STRING => 'ms=2500' }, timeout => 10);
			POSIX::_exit(0);
		}
		push(@kids, $pid);
	}
	sleep(0.5);
	my @waiting = grep { defined } map { IO::Socket::UNIX->new(
	    Type => SOCK_STREAM, Peer => $t->socket_path) } 1 .. 3;
	sleep(0.8);
	close($_) for @waiting;
	waitpid($_, 0) for @kids;
	my $s = $t->json($t->get('/status')) // {};
	my $m = $t->get('/metrics')->{body} // '';
	return ($t, $s, $m, scalar(@waiting));
}

my ($t, $s, $m, $w) = run_under($families // '');
is($w, 3, 'under the unit\'s families: 3 connections waited');
ok(defined $s->{listen_queue}{current},
    'listen_queue.current is known (' . ($s->{listen_queue}{current} // 'null')
    . ')');
ok(($s->{listen_queue}{max} // 0) >= 3, 'the listen queue rose to 3 or more ('
    . ($s->{listen_queue}{max} // 'null') . ')');
like($m, qr/^vitals_listen_queue_max [3-9]/m, '/metrics has the same maximum');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');

# The list the unit had before: the gauge is blind.
(my $old = $families // '') =~ s/\s*\bAF_NETLINK\b//;
($t, $s, $m, $w) = run_under($old);
ok(!defined $s->{listen_queue}{current},
    'without AF_NETLINK: listen_queue.current is null, not a false 0');
is($s->{listen_queue}{max} // 0, 0, 'and no maximum was seen');
ok(($s->{counters}{listen_queue_errors} // 0) > 0,
    'the failed reads are counted: '
    . ($s->{counters}{listen_queue_errors} // 'none'));
unlike($m, qr/^vitals_listen_queue /m, '/metrics leaves the unknown gauge out');
like($m, qr/^vitals_listen_queue_errors_total [1-9]/m,
    '/metrics has the failed reads');
my @said = $t->log_text('vitals.log') =~ /event=collector_failed collector=listen_queue/g;
is(scalar(@said), 1, 'the failure is logged once, not ten times a second');
ok($t->stop, './stack down leaves no process');
done_testing();

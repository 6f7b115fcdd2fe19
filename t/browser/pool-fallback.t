#!/usr/bin/perl
# pool-fallback.t: the master's verdict in headless Chromium while every
# worker is stopped (SIGSTOP) with connections waiting.  nginx answers
# the page and /api/metrics from the master's fallback files (conf/nginx/
# vitals-routes.conf.in): a page already open turns critical, "Pool
# stuck", within 5 s of the stop and says the verdict is the master's; a
# page opened during the fault shows it within 5 s of being opened; after
# SIGCONT the page is Live from the pool again, and Healthy after
# check_clear.  The times are printed.
#
# Only the pool decides: the checks that judge the whole host get
# thresholds they cannot reach (VitalsBrowser::quiet_checks), no database
# is configured.  check_hold 1 s, check_clear 2 s.
#
# The page polls here (live => 0): the fallback is what a polling page
# meets, on a site without live push or when push has fallen back.  A
# page in push mode gets the master's samples from nginx's Nchan, which
# the stopped workers do not serve, and shows the same verdict from them
# (t/browser/live.t covers push mode).
#
# The browser part is t/browser/pool-fallback.js; this script stops and
# resumes the workers when it asks.  Skips as dashboard.t does.
use strict;
use warnings;
use File::Path qw(make_path);
use File::Spec;
use FindBin;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsBrowser;
use VitalsTest;

my $src = $ENV{VT_SRCDIR} // File::Spec->rel2abs("$FindBin::Bin/../..");
my $chromium = $ENV{VT_CHROMIUM} // '/usr/bin/chromium';

VitalsBrowser::require_browser($src, $chromium, 'spawn-fcgi');
binmode($_, ':encoding(UTF-8)') for (Test::More->builder->output,
    Test::More->builder->failure_output, Test::More->builder->todo_output);
$SIG{PIPE} = 'IGNORE';

my $t = VitalsTest->new(workers => 2, live => 0, app_args => [
    '--check-hold', '1', '--check-clear', '2', VitalsBrowser::quiet_checks() ]);
$t->start;
ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
    timeout => 15, interval => 0.2), 'the pool has a sample');
my $s = $t->json($t->get('/status?full')) // {};
my @pids = map { $_->{pid} } grep { $_->{pid} } @{ $s->{slots} // [] };
is(scalar(@pids), 2, "two workers (@pids)");

my $out = $ENV{VT_SCREENSHOT_DIR} // $t->dir . '/browser';
make_path($out);
my $log = "$out/pool-fallback.log";
unlink($log, map { "$out/$_" } qw(stop-pool pool-stopped cont-pool
    pool-resumed));
my $pid = $t->spawn(['node', "$src/t/browser/pool-fallback.js"],
    log => $log, env => {
	VT_URL      => $t->url('/'),
	VT_OUT      => $out,
	VT_CHROMIUM => $chromium,
    });

my ($stopped, $resumed, @conns) = (0, 0);
my $deadline = time + 150;
while (time < $deadline && !$resumed && kill(0, $pid)) {
	if (!$stopped && -e "$out/stop-pool") {
		ok(kill('STOP', @pids) == 2, 'every worker stopped (SIGSTOP)');
		VitalsBrowser::answer("$out/pool-stopped", time * 1000);
		for (1 .. 3) {
			my $c = IO::Socket::UNIX->new(Peer => $t->socket_path,
			    Type => SOCK_STREAM);
			push(@conns, $c) if $c;
		}
		is(scalar(@conns), 3, 'connections wait in the socket');
		$stopped = 1;
	}
	if ($stopped && -e "$out/cont-pool") {
		ok(kill('CONT', @pids) == 2, 'the workers resumed (SIGCONT)');
		close($_) for @conns;
		VitalsBrowser::answer("$out/pool-resumed", time * 1000);
		$resumed = 1;
	}
	sleep(0.05);
}
kill('CONT', @pids) if $stopped && !$resumed;
ok($stopped && $resumed, 'the driver asked for the stop and the resume');
my $status = $t->reap($pid, timeout => 90);
ok(defined $status && $status == 0, 'the browser driver ran to the end')
    or diag('exit status: ' . ($status // 'killed'));

my $n = VitalsBrowser::results($log, each => sub {
	my ($res) = @_;
	diag($res->{name}) if $res->{name} =~ / s (after|\(|$)/;
});
cmp_ok($n, '>=', 9, "the browser made its checks ($n)");
diag("screenshot in $out") if $ENV{VT_SCREENSHOT_DIR} || $ENV{VT_KEEP};

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

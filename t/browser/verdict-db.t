#!/usr/bin/perl
# verdict-db.t: the verdict banner in headless Chromium against the real
# stack while MariaDB is stopped and started again.  Stopped: within a
# few seconds the banner turns critical naming the database (the time is
# printed), the database panel says Unreachable, and the rest of the page
# keeps updating (its figures change, the header stays Live).  Started
# again: the banner says Healthy.
#
# The checks that judge the whole host (CPU, memory, filesystems, every
# listener, CLOSE_WAIT, listen overflows) get thresholds they cannot reach
# here, so the other tests of a parallel `make check` cannot make the page
# unhealthy: only the database decides.  check_hold 1 s, check_clear 2 s,
# health_interval 0.5 s.
#
# The browser part is t/browser/verdict-db.js (playwright-core, as
# dashboard.js); this script stops and starts MariaDB when it asks.
# Skips as dashboard.t does.  Screenshots go to VT_SCREENSHOT_DIR when set
# (kept: the README's docs/screenshots/verdict-*.png come from there),
# else to the test's temporary folder.
use strict;
use warnings;
use File::Path qw(make_path);
use File::Spec;
use FindBin;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsBrowser;
use VitalsTest;

my $src = $ENV{VT_SRCDIR} // File::Spec->rel2abs("$FindBin::Bin/../..");
my $chromium = $ENV{VT_CHROMIUM} // '/usr/bin/chromium';

VitalsBrowser::require_browser($src, $chromium, 'spawn-fcgi', 'mariadbd');
# The driver's names quote the page, glyphs included.
binmode($_, ':encoding(UTF-8)') for (Test::More->builder->output,
    Test::More->builder->failure_output, Test::More->builder->todo_output);

my $t = VitalsTest->new(db => 1, workers => 2, app_args => [
    '--check-hold', '1', '--check-clear', '2', '--health-interval', '0.5',
    VitalsBrowser::quiet_checks() ]);
$t->start;

ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
    timeout => 15, interval => 0.2), 'the pool has a sample');

my $out = $ENV{VT_SCREENSHOT_DIR} // $t->dir . '/browser';
make_path($out);
my $log = "$out/verdict-db.log";
unlink($log, map { "$out/$_" } qw(stop-db db-stopped start-db db-started));
my $pid = $t->spawn(['node', "$src/t/browser/verdict-db.js"],
    log => $log, env => {
	VT_URL      => $t->url('/'),
	VT_OUT      => $out,
	VT_CHROMIUM => $chromium,
    });

# Stop and start MariaDB when the driver asks, writing when it was done.
my ($stopped, $started) = (0, 0);
my $deadline = time + 150;
while (time < $deadline && !$started && kill(0, $pid)) {
	if (!$stopped && -e "$out/stop-db") {
		is($t->stack('stop', 'db'), 0, 'MariaDB stopped');
		VitalsBrowser::answer("$out/db-stopped", time * 1000);
		$stopped = 1;
	}
	if ($stopped && -e "$out/start-db") {
		is($t->stack('start', 'db'), 0, 'MariaDB started again');
		VitalsBrowser::answer("$out/db-started", time * 1000);
		$started = 1;
	}
	sleep(0.05);
}
ok($stopped && $started, 'the driver asked for the stop and the start');
my $status = $t->reap($pid, timeout => 90);
ok(defined $status && $status == 0, 'the browser driver ran to the end')
    or diag('exit status: ' . ($status // 'killed'));

# The timed checks are printed too: they are the test's figures.
my $n = VitalsBrowser::results($log, each => sub {
	my ($res) = @_;
	diag($res->{name}) if $res->{name} =~ / s (after|\()/;
});
cmp_ok($n, '>=', 9, "the browser made its checks ($n)");
diag("screenshots in $out") if $ENV{VT_SCREENSHOT_DIR} || $ENV{VT_KEEP};

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

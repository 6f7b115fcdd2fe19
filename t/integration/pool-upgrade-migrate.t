#!/usr/bin/perl
# pool-upgrade-migrate.t: SIGUSR2 to a binary whose scoreboard layout
# differs, as an upgrade's usually does.  The old master runs with
# VITALS_TEST_SHM_PAD (a test-hooks build pads its mapping, then forgets
# the variable), so the new master cannot adopt the mapping as it is and
# migrates it through its self-description: the history (the 15-minute
# range's points, from the same oldest point), accepted and the responses
# by class, and the pool's start survive, and the log says what was kept.
use strict;
use warnings;
use Test::More;
use File::Copy qw(copy);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
my $version = `$ENV{VITALS_BIN} --version 2>/dev/null` // '';
plan(skip_all => 'needs a build with --enable-test-hooks')
    if $version !~ /test hooks/;

my $dir = File::Temp::tempdir('vt-bin-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $bin = "$dir/vitals";
copy($ENV{VITALS_BIN}, $bin) or die "copy: $!";
chmod(0755, $bin);
my $t = VitalsTest->new(workers => 2,
    env => { VITALS_BIN => $bin, VITALS_TEST_SHM_PAD => 65536 });
$t->{bin} = $bin;
$t->start;

my $n = 0;
sub status { $t->json($t->get('/status')) // {} }
sub history {
	# A query of its own each time: no cache in the way.
	my $r = $t->get('/api/history?range=15m&n=' . $n++);
	return $t->json($r) // {};
}

# Some history and some traffic first (bounded: 20 s, then 15 s).
my $h0 = {};
ok(wait_until(sub { $h0 = history(); ($h0->{points} // 0) >= 8 },
    timeout => 20, interval => 0.5), 'the ring holds 8 points or more')
    or diag(explain($h0));
my $deadline = time + 15;
for (1 .. 40) {
	last if time > $deadline;
	$t->get('/health/live');
}
my $s0 = status();
$h0 = history();
my $old = $s0->{pool}{master_pid};
my $acc0 = $s0->{counters}{accepted} // 0;
my $ok0 = $s0->{counters}{responses}{'2xx'} // 0;
my $pts0 = $h0->{points} // 0;
my $first0 = $h0->{timestamps_ms}[0] // 0;
my $start0 = $s0->{pool}{start_time_ms} // 0;
ok($old && $acc0 >= 20, "before: master $old, $acc0 accepted, $pts0 "
    . 'history points');

ok(kill('USR2', $old), 'SIGUSR2 to the master');
my $new;
ok(wait_until(sub {
	my $s = eval { status() } // {};
	$new = $s->{pool}{master_pid};
	return $new && $new != $old && !kill(0, $old);
}, timeout => 10, interval => 0.1), 'a new master took over and the old '
    . 'one is gone');

my $s1 = status();
my $h1 = history();
my $acc1 = $s1->{counters}{accepted} // 0;
my $pts1 = $h1->{points} // 0;
diag("accepted $acc0 -> $acc1, history points $pts0 -> $pts1");
ok($acc1 >= $acc0, "accepted survived ($acc0 before, $acc1 after)");
ok($ok0 >= 15 && ($s1->{counters}{responses}{'2xx'} // 0) >= $ok0,
    "so did the responses by class ($ok0 2xx before)");
ok($pts1 >= $pts0, "the 15-minute history kept its points ($pts0 before, "
    . "$pts1 after)");
is($h1->{timestamps_ms}[0], $first0,
    'it still starts at the same oldest point');
is($s1->{pool}{start_time_ms}, $start0, "the pool's start is the same");

my $log = $t->log_text('vitals.log');
my ($line) = $log =~ /^(.*event=scoreboard_migrated.*)$/m;
ok($line, 'the new master logged the migration') or diag($log);
$line //= '';
like($line, qr/kept="[^"]*history points: (\d+)/,
    'the line says how many history points were kept');
my ($kept) = $line =~ /history points: (\d+)/;
ok(($kept // 0) >= $pts0, 'as many as the old ring held');
like($line, qr/not_kept="[^"]*gauges/, 'and what was not kept');
diag($line);
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');

# A mapping labelled version 5, the last without a self-description: the
# new master cannot know its layout, starts afresh and says so, once.
$t = VitalsTest->new(workers => 2,
    env => { VITALS_BIN => $bin, VITALS_TEST_SHM_VERSION => 5 });
$t->{bin} = $bin;
$t->start;
$old = status()->{pool}{master_pid};
ok(kill('USR2', $old), 'version 5: SIGUSR2 to the master');
ok(wait_until(sub {
	my $s = eval { status() } // {};
	$new = $s->{pool}{master_pid};
	return $new && $new != $old && !kill(0, $old);
}, timeout => 10, interval => 0.1), 'a new master took over');
$log = $t->log_text('vitals.log');
my @lines = $log =~ /^(.*event=scoreboard_not_migrated.*)$/mg;
is(scalar(@lines), 1, 'one line says the scoreboard was not migrated')
    or diag($log);
like($lines[0] // '',
    qr/from_version=5 .*kept=none .*version 5 does not describe its layout/,
    'and why: what was kept (nothing), what not');
diag($lines[0] // '');
unlike($log, qr/event=scoreboard_migrated/, 'no claim of a migration');
is($t->get('/health/live')->{status}, 200, 'the new pool serves');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

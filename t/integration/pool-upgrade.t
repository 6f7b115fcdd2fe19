#!/usr/bin/perl
# pool-upgrade.t: SIGUSR2 during a bounded load: the master re-executes
# the binary at its path (a new build put there is what runs), hands over
# the socket and the scoreboard, and not one request fails.
use strict;
use warnings;
use Test::More;
use File::Copy qw(copy);
use Time::HiRes qw(sleep);
use VitalsTest;
use VitalsLoad;

VitalsTest::require_stack('spawn-fcgi', 'wrk');

# Run a copy, so the test can put a "new build" at the same path.
my $dir = File::Temp::tempdir('vt-bin-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $bin = "$dir/vitals";
copy($ENV{VITALS_BIN}, $bin) or die "copy: $!";
chmod(0755, $bin);
my $t = VitalsTest->new(workers => 2, env => { VITALS_BIN => $bin });
$t->{bin} = $bin;
$t->start;

sub status { $t->json($t->get('/status')) // {} }
my $hn = 0;
sub history {
	# A query of its own each time: no cache in the way.
	return $t->json($t->get('/api/history?range=15m&n=' . $hn++)) // {};
}
my $h0 = {};
wait_until(sub { $h0 = history(); ($h0->{points} // 0) >= 5 },
    timeout => 15, interval => 0.5);
for (1 .. 20) {
	$t->get('/health/live');
}
my $s0 = status();
my $old = $s0->{pool}{master_pid};
ok($old, "the master is $old");
my $accepted0 = $s0->{counters}{accepted};

# The new build: a new file (new inode) at the same path.
copy($ENV{VITALS_BIN}, "$bin.new") or die "copy: $!";
chmod(0755, "$bin.new");
rename("$bin.new", $bin) or die "rename: $!";
my $new_ino = (stat($bin))[1];

my $w = VitalsLoad::wrk_start($t->url('/health/live'), seconds => 5,
    connections => 20);
sleep(1.5);
ok(kill('USR2', $old), 'SIGUSR2 to the master');
my $new;
ok(wait_until(sub {
	my $s = eval { status() } // {};
	$new = $s->{pool}{master_pid};
	return $new && $new != $old && !kill(0, $old);
}, timeout => 8, interval => 0.1), 'a new master took over and the old '
    . 'one is gone');
my $r = VitalsLoad::wrk_finish($w);
ok($r->{requests} > 100, "the load ran ($r->{requests} requests)")
    or diag($r->{text});
is($r->{non2xx}, 0, 'no non-2xx response during the upgrade')
    or diag($r->{text});
is($r->{errors}, 0, 'no socket error during the upgrade') or diag($r->{text});

SKIP: {
	skip('no new master', 5) if !$new || $new == $old;
	is((stat("/proc/$new/exe"))[1], $new_ino,
	    'the new master runs the new build');
	my $s1 = status();
	is($s1->{workers}{total}, 2, 'two workers after');
	ok($s1->{counters}{accepted} > $accepted0,
	    'the counters survived the upgrade');
	my $h1 = history();
	ok(($h1->{points} // 0) >= ($h0->{points} // 1),
	    "the 15-minute history kept its points ($h0->{points} before, "
	    . "$h1->{points} after)");
	is($h1->{timestamps_ms}[0], $h0->{timestamps_ms}[0],
	    'it still starts at the same oldest point');
}
like($t->log_text('vitals.log'), qr/event=upgrade_takeover/,
    'the new master logged the takeover');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

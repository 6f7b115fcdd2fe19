#!/usr/bin/perl
# time.t: node_exporter's time and timex collectors on the real stack,
# against the kernel's own answers read here: the clock sources of
# /sys/devices/system/clocksource, the zone date(1) prints, and the state
# adjtimex(2) gives this test (through Python's ctypes: the status bits,
# the synchronisation state and the tick, which do not drift between two
# reads).  Without those files or Python the comparisons are skipped.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(workers => 2);
$t->start;
my $m;
ok(wait_until(sub { $m = $t->get('/metrics')->{body} // '';
    $m =~ /^node_time_zone_offset_seconds/m }, timeout => 15),
    'the time families within a few seconds');

# The zone, as date(1) has it now.
chomp(my $z = `date +%Z`);
chomp(my $off = `date +%z`);
my $secs = ($off =~ /^([+-])(\d\d)(\d\d)$/) ?
    ($1 eq '-' ? -1 : 1) * ($2 * 3600 + $3 * 60) : undef;
like($m, qr/^node_time_zone_offset_seconds\{time_zone="\Q$z\E"\} \Q$secs\E$/m,
    "node_time_zone_offset_seconds{time_zone=\"$z\"} $secs, as date(1)");

# The clock sources.
my $cs = '/sys/devices/system/clocksource/clocksource0';
SKIP: {
	skip("no $cs", 2) if !-r "$cs/current_clocksource";
	chomp(my $cur = VitalsTest::slurp("$cs/current_clocksource"));
	my @avail = split(' ', VitalsTest::slurp("$cs/available_clocksource"));
	like($m, qr/^node_time_clocksource_current_info\{clocksource="\Q$cur\E",device="0"\} 1$/m,
	    "current clocksource $cur");
	my @got = $m =~ /^node_time_clocksource_available_info\{clocksource="([^"]+)",device="0"\} 1$/mg;
	is_deeply([sort @got], [sort @avail], "available: @avail");
}

# adjtimex(2), read here.
my $py = VitalsTest::find_program('python3');
SKIP: {
	skip('python3 is not installed', 3) if !$py;
	my $probe = <<'PY';
import ctypes, struct
buf = ctypes.create_string_buffer(256)
state = ctypes.CDLL(None).adjtimex(buf)
raw = buf.raw
# struct timex on LP64: status (int) at 40, tick (long) at 88.
print(state, struct.unpack_from("i", raw, 40)[0], struct.unpack_from("l", raw, 88)[0])
PY
	my ($state, $status, $tick) = split(' ', `$py -c '$probe'`);
	skip('adjtimex could not be read here', 3) if !defined $tick || $state < 0;
	like($m, qr/^node_timex_status $status$/m, "node_timex_status $status");
	like($m, qr/^node_timex_sync_status @{[ $state == 5 ? 0 : 1 ]}$/m,
	    "node_timex_sync_status (state $state)");
	my ($ts) = $m =~ /^node_timex_tick_seconds (\S+)$/m;
	ok(defined $ts && abs($ts - $tick / 1e6) < 1e-9,
	    "node_timex_tick_seconds $tick us");
}
like($m, qr/^node_scrape_collector_success\{collector="timex"\} 1$/m,
    'the timex collector succeeds');
like($m, qr/^node_scrape_collector_success\{collector="hwmon"\} 1$/m,
    'hwmon: none on this host is success');
$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

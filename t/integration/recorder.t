#!/usr/bin/perl
# recorder.t: history in MariaDB through the real pool.
#  - the recorder writes 10 s rows for this host;
#  - the database stopped for 30 s and started again: the gap is
#    backfilled from the ring, no 10 s bucket is missing;
#  - /api/history: bad ranges are 400; 5m comes from the ring and 6h from
#    the database, both well-formed; with the database down 6h is 503 and
#    5m still answers.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd');

my $t = VitalsTest->new(db => 1, workers => 2);
$t->start;

sub sql {
	my ($q) = @_;
	my $sock = $t->db_socket;
	return `mariadb --no-defaults -S $sock -u root -N -B vitals -e "$q" 2>&1`;
}
sub buckets { map { /^(\d+)$/ ? $1 : () } split(/\n/, sql(
    'SELECT ts FROM samples_10s ORDER BY ts')) }
sub history {
	my ($range) = @_;
	my $r = $t->get("/api/history?range=$range");
	return ($r->{status}, $t->json($r) // {});
}

# Bad ranges.
for my $bad ('2d', '', '5m%00', '1h&range=5m', 'x' x 200) {
	my $r = $t->get("/api/history?range=$bad");
	is($r->{status}, 400, "range=" . substr($bad, 0, 20) . " is 400");
	like($r->{body}, qr/^\{"error":\{"status":400,"message":"[^"]+"\}\}/,
	    '  with the JSON error shape');
}

ok(wait_until(sub { buckets() >= 2 }, timeout => 40, interval => 1),
    'the recorder wrote 10 s rows') or diag(sql('SELECT COUNT(*) FROM samples_10s'));
my $host = (split(/\n/, sql('SELECT DISTINCT host FROM samples_10s')))[0]
    // '';
chomp(my $me = `hostname`);
is($host, $me, 'rows carry the host name');

my ($st, $h) = history('5m');
is($st, 200, '5m: 200');
is($h->{source}, 'ring', '5m comes from the ring');
my $n = $h->{points};
ok($n >= 10, "5m has points ($n)");
is(scalar(@{ $h->{timestamps_ms} // [] }), $n, 'one timestamp per point');
is(scalar(@{ $h->{series}{cpu_percent} // [] }), $n,
    'and one value per point in each series');
($st, $h) = history('6h');
is($st, 200, '6h: 200');
is($h->{source}, 'database', '6h comes from the database');
ok(($h->{points} // 0) >= 1, "6h has points ($h->{points})");
is(scalar(@{ $h->{series}{mem_used_bytes} // [] }), $h->{points},
    '6h series are as long as the timestamps');

# --- an outage of 30 s --------------------------------------------------------
my @before = buckets();
is($t->stack('stop', 'db'), 0, 'MariaDB stopped');
my $down_at = time;
sleep(2);
($st, $h) = history('6h');
is($st, 503, 'with the database down, 6h is 503');
like($h->{error}{message} // '', qr/^history database/, '  saying why');
($st) = history('5m');
is($st, 200, 'and 5m still answers');
sleep(30 - (time - $down_at));
is($t->stack('start', 'db'), 0, 'MariaDB started again after 30 s');
my $up_at = time;
my $want_until = int($up_at / 10) * 10 - 10;
ok(wait_until(sub { my @b = buckets(); @b && $b[-1] >= $want_until },
    timeout => 30, interval => 1), 'the recorder caught up');
my @after = buckets();
my @missing;
for (my $ts = $before[0]; $ts <= $after[-1]; $ts += 10) {
	push(@missing, $ts) if !grep { $_ == $ts } @after;
}
ok(@after >= @before + 3, 'rows were added for the outage (' .
    scalar(@before) . ' -> ' . scalar(@after) . ')');
is_deeply(\@missing, [], 'no 10 s bucket is missing from '
    . "$before[0] to $after[-1]");
my $s = $t->json($t->get('/status')) // {};
ok(($s->{recorder}{backfilled_rows} // 0) > 0,
    "/status counts backfilled rows ($s->{recorder}{backfilled_rows})");
is($s->{recorder}{lost_points}, 0, 'and no lost point');
like($t->get('/metrics')->{body}, qr/^vitals_recorder_rows_written_total [1-9]/m,
    '/metrics has the recorder\'s figures');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

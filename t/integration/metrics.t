#!/usr/bin/perl
# metrics.t: /api/metrics and /metrics against the machine itself: the
# per-core count is the CPU count, MemTotal is /proc/meminfo's, CPU % moves
# under a bounded busy loop, CLOSE_WAIT rises and falls with sockets this
# test leaves in that state, Cache-Control lets nginx micro-cache, and
# /metrics is valid exposition format (promtool) that a real Prometheus
# scrapes with up == 1.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use POSIX qw(_exit);
use Time::HiRes qw(sleep time);
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(workers => 2);
$t->start;

# The body gunzipped, or undef.
sub gunzipped {
	my ($gz) = @_;
	my $plain;
	return gunzip(\$gz => \$plain) ? $plain : undef;
}

# The families of an exposition, as [name type] sorted; a counter's name
# as its samples have it (OpenMetrics names the family without _total).
sub families {
	my ($text) = @_;
	my @f = map { [ $_->[1] eq 'counter' && $_->[0] !~ /_total$/
	    ? "$_->[0]_total" : $_->[0], $_->[1] =~ s/^unknown$/untyped/r ] }
	    map { [ /^# TYPE (\S+) (\S+)$/ ] } grep { /^# TYPE / }
	    split(/\n/, $text);
	return [ sort { $a->[0] cmp $b->[0] } @f ];
}

sub metrics {
	# Straight to the pool: nginx's micro-cache could hold a second-old copy.
	my $r = $t->fcgi_request($t->socket_path, uri => '/api/metrics');
	return $r->{status} == 200 ? $t->json($r) : undef;
}

ok(wait_until(sub { my $m = metrics(); $m && defined $m->{cpu}{total}{busy_percent} },
    timeout => 5), 'a sample with rates within a few seconds');
my $m = metrics() // {};

open(my $fh, '<', '/proc/cpuinfo') or die;
my $ncpu = grep { /^processor\s*:/ } <$fh>;
close($fh);
is($m->{cpu}{count}, $ncpu, "cpu.count is the CPU count ($ncpu)");
is(scalar(@{ $m->{cpu}{cores} // [] }), $ncpu, 'one entry per core');
open($fh, '<', '/proc/meminfo') or die;
my ($memtotal) = map { /^MemTotal:\s+(\d+) kB/ ? $1 * 1024 : () } <$fh>;
close($fh);
is($m->{memory}{total_bytes}, $memtotal, 'memory.total_bytes is MemTotal');
chomp(my $host = `hostname`);
is($m->{host}{hostname}, $host, 'host.hostname');
ok(defined $m->{sample_age_ms} && $m->{sample_age_ms} < 2500,
    "the sample is fresh ($m->{sample_age_ms} ms)");
is($m->{pool}{workers}, 2, 'pool.workers');

my $r = $t->get('/api/metrics');
is($r->{status}, 200, '/api/metrics through nginx');
like($r->{headers}{'cache-control'} // '', qr/max-age=1\b/,
    'Cache-Control max-age=1');

# CPU % moves when one core is kept busy (bounded: 4 s), pinned to the
# last core so the figure to check is that core's.
my $core = $ncpu - 1;
my $busy_pid = fork();
if ($busy_pid == 0) {
	exec('taskset', '-c', $core, 'perl', '-e',
	    'my $e = time + 4; 1 while time < $e') or _exit(127);
}
sleep(2.5);
my $m2 = metrics() // {};
my ($c) = grep { $_->{cpu} == $core } @{ $m2->{cpu}{cores} // [] };
my $busy = $c->{busy_percent} // 0;
waitpid($busy_pid, 0);
ok($busy >= 80, "core $core is busy under a busy loop pinned to it "
    . "($busy %)");
ok(($m2->{cpu}{total}{busy_percent} // 0) >= 100 / $ncpu * 0.8,
    "and the total shows it ($m2->{cpu}{total}{busy_percent} %)");

# CLOSE_WAIT: accept and close server-side sockets whose clients stay open.
# Other tests may run beside this one and open or close sockets of their
# own in CLOSE_WAIT, so each check takes out those the kernel lists at the
# same moment (/proc/net/tcp{,6}, state 08, any remote port but ours).
sub close_wait { (metrics() // {})->{tcp}{states}{close_wait} // -1 }

# The sampler counts states paced by the count's cost (tcp_diag.h, issue
# 14): every few ticks, at most 10 apart, so a change shows within 10 s
# more, as the README says.
sub cw_wait { 4 + 10 }
sub others_in_close_wait {
	my ($port) = @_;
	my $n = 0;
	for my $f ('/proc/net/tcp', '/proc/net/tcp6') {
		open(my $fh, '<', $f) or next;
		for (<$fh>) {
			my @c = split;
			next if !defined $c[3] || $c[3] ne '08';
			my ($rport) = ($c[2] // '') =~ /:([0-9A-F]{4})$/;
			$n++ if !defined $rport || hex($rport) != $port;
		}
	}
	return $n;
}
my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
    Listen => 16, ReuseAddr => 1) or die "listen: $!";
my $port = $srv->sockport;
my ($cw, $others) = (close_wait(), others_in_close_wait($port));
my @clients;
for (1 .. 5) {
	my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $port) or die "connect: $!";
	push(@clients, $c);
	my $a = $srv->accept or die "accept: $!";
	close($a);	# the client side is now in CLOSE_WAIT
}
ok(wait_until(sub { ($cw = close_wait()) - ($others =
    others_in_close_wait($port)) >= 5 }, timeout => cw_wait()),
    "CLOSE_WAIT counts the 5 left in it ($cw in the sample, $others "
    . 'others in /proc/net/tcp)');
close($_) for @clients;
ok(wait_until(sub { ($cw = close_wait()) - ($others =
    others_in_close_wait($port)) <= 0 }, timeout => cw_wait()),
    "and drops them when they close ($cw in the sample, $others others)");

# /metrics: Prometheus text format.
my $p = $t->get('/metrics');
is($p->{status}, 200, '/metrics is 200');
like($p->{headers}{'content-type'} // '', qr{^text/plain; version=0\.0\.4},
    'text format 0.0.4');
like($p->{body}, qr/^node_cpu_seconds_total\{cpu="0",mode="idle"\} [0-9.e+]+$/m,
    'node_cpu_seconds_total as node_exporter names it');
like($p->{body}, qr/^node_memory_MemTotal_bytes $memtotal$/m,
    'node_memory_MemTotal_bytes is MemTotal');
like($p->{body}, qr/^vitals_http_requests_total\{endpoint="metrics",code="2xx"\} \d+$/m,
    'the pool\'s own families are there');
like($p->{body}, qr/^vitals_sampler_duration_seconds [0-9.e-]+$/m,
    'the sampler publishes its cost');
SKIP: {
	my $promtool = VitalsTest::find_program('promtool');
	skip('promtool is not installed', 1) if !$promtool;
	my $file = $t->dir . '/metrics.txt';
	open(my $out, '>', $file) or die;
	print $out $p->{body};
	close($out);
	my @lines = `$promtool check metrics < $file 2>&1`;
	# node_exporter's own names (node_memory_MemTotal_bytes,
	# node_netstat_TcpExt_*) draw promtool's camelCase lint; they are
	# kept so existing dashboards and alerts work; so are
	# node_entropy_*_bits, which promtool would have in bytes.  Anything
	# else fails.
	my @bad = grep { !/^node_(?:memory|netstat)_\w+ metric names should be written in 'snake_case' not 'camelCase'$/
	    && !/^node_entropy_\w+_bits use base unit "bytes" instead of "bits"$/ }
	    map { s/\s+$//r } @lines;
	is_deeply(\@bad, [], 'promtool check metrics reports nothing but '
	    . 'node_exporter\'s own camelCase names') or diag(@lines);
}

# Negotiation: gzip when asked, OpenMetrics when the scraper names it, as
# Prometheus does.  The master publishes the forms scrapes ask for, within
# a tenth of a second of the first ask (app/scoreboard.h); before that a
# scrape gets the nearest form published: uncompressed, OpenMetrics
# converted from the text by its worker.  Both are checked: the first
# answer of each form, then one half a second later.
my $PROM_ACCEPT = 'application/openmetrics-text;version=1.0.0,'
    . 'application/openmetrics-text;version=0.0.1;q=0.75,'
    . 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
ok(!exists $p->{headers}{'content-encoding'},
    'no Accept-Encoding: not compressed');
like($p->{headers}{vary} // '', qr/\bAccept-Encoding\b/, 'Vary: Accept-Encoding');

# The body of an answer, gunzipped when it says it is gzip (undef when it
# does not gunzip).
sub body_of {
	my ($r) = @_;
	return ($r->{headers}{'content-encoding'} // '') eq 'gzip' ?
	    gunzipped($r->{body}) : $r->{body};
}

my $z0 = $t->get('/metrics', headers => ['Accept-Encoding: gzip, deflate, br']);
is($z0->{status}, 200, 'Accept-Encoding: gzip, the first ask: 200');
is_deeply(families(body_of($z0) // ''), families($p->{body}),
    '... the text, gzip or not (' . ($z0->{headers}{'content-encoding'}
    // 'identity') . ')');
sleep(0.5);
my $z = $t->get('/metrics', headers => ['Accept-Encoding: gzip, deflate, br']);
is($z->{headers}{'content-encoding'}, 'gzip',
    'half a second later: Content-Encoding: gzip');
like($z->{headers}{'content-type'} // '', qr{^text/plain; version=0\.0\.4},
    'still text format 0.0.4');
my $zplain = gunzipped($z->{body});
ok(defined $zplain, 'gunzip reads the body') or diag($GunzipError);
is_deeply(families($zplain // ''), families($p->{body}),
    'the same families as the uncompressed text');
cmp_ok(length($z->{body}), '<', length($p->{body}) / 3,
    'under a third of the size (' . length($z->{body}) . ' of '
    . length($p->{body}) . ' bytes)');

# Two ticks later: the next samples' twin, the same families.
sleep(2.2);
my $z2 = $t->get('/metrics', headers => ['Accept-Encoding: gzip']);
is($z2->{headers}{'content-encoding'}, 'gzip', 'gzip again, two ticks later');
is_deeply(families(gunzipped($z2->{body}) // ''), families($p->{body}),
    '... the same families');

my $OM_TYPE = qr{^application/openmetrics-text; version=1\.0\.0; charset=utf-8$};
my $o0 = $t->get('/metrics', headers => ["Accept: $PROM_ACCEPT",
    'Accept-Encoding: gzip']);
my $om0 = body_of($o0) // '';
like($o0->{headers}{'content-type'} // '', $OM_TYPE,
    'Prometheus\'s Accept, the first ask: OpenMetrics 1.0.0');
ok($om0 =~ /\n# EOF\n\z/ &&
    eq_array(families($om0), families($p->{body})),
    '... whole, the same families, gzip or not ('
    . ($o0->{headers}{'content-encoding'} // 'identity') . ')');
sleep(0.5);
my $o = $t->get('/metrics', headers => ["Accept: $PROM_ACCEPT",
    'Accept-Encoding: gzip']);
like($o->{headers}{'content-type'} // '', $OM_TYPE,
    'half a second later: OpenMetrics 1.0.0');
is($o->{headers}{'content-encoding'}, 'gzip', 'gzipped');
my $om = gunzipped($o->{body}) // '';
like($om, qr/\n# EOF\n\z/, 'it ends with # EOF');
like($om, qr/^# TYPE node_forks counter\nnode_forks_total \d+$/m,
    'a counter\'s family is named without _total, its sample with it');
unlike($om, qr/^# TYPE \S+ untyped$/m, 'no "untyped" (OpenMetrics says unknown)');
unlike($om, qr/^$/m, 'no blank line');
is_deeply(families($om), families($p->{body}),
    'the same families as the text format');
sleep(2.2);
my $o2 = $t->get('/metrics', headers => ["Accept: $PROM_ACCEPT",
    'Accept-Encoding: gzip']);
my $om2 = gunzipped($o2->{body}) // '';
ok(($o2->{headers}{'content-type'} // '') =~ m{^application/openmetrics-text}
    && $om2 =~ /\n# EOF\n\z/, 'OpenMetrics and gzip again, two ticks later');
is_deeply(families($om2), families($p->{body}), '... the same families');
my $q = $t->get('/metrics', headers => ['Accept: */*']);
like($q->{headers}{'content-type'} // '', qr{^text/plain; version=0\.0\.4},
    'a wildcard Accept gets the text format');

# A real Prometheus scrapes it.
SKIP: {
	my $prom = VitalsTest::find_program('prometheus');
	skip('prometheus is not installed', 4) if !$prom;
	my $port = VitalsTest::free_port();
	my $dir = $t->dir . '/prometheus';
	mkdir($dir);
	open(my $cf, '>', "$dir/prometheus.yml") or die;
	printf $cf <<'YML', $t->https_port;
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: vitals
    scheme: https
    tls_config:
      insecure_skip_verify: true
    static_configs:
      - targets: ['127.0.0.1:%d']
YML
	close($cf);
	my $pid = $t->spawn([ $prom, "--config.file=$dir/prometheus.yml",
	    "--storage.tsdb.path=$dir/data",
	    "--web.listen-address=127.0.0.1:$port" ],
	    log => "$dir/prometheus.log");
	my $up;
	ok(wait_until(sub {
		my $q = `curl -s --max-time 2 'http://127.0.0.1:$port/api/v1/query?query=up%7Bjob%3D%22vitals%22%7D'`;
		($up) = $q =~ /"value":\[[0-9.]+,"(\d)"\]/;
		defined $up && $up eq '1';
	}, timeout => 20, interval => 0.5), 'Prometheus scraped the target: '
	    . 'up == 1') or diag(VitalsTest::_slurp("$dir/prometheus.log"));
	my $q = `curl -s --max-time 2 'http://127.0.0.1:$port/api/v1/query?query=node_memory_MemTotal_bytes'`;
	like($q, qr/"$memtotal"/, 'and stored node_memory_MemTotal_bytes');
	# It asked for OpenMetrics and gzip (checked above): a counter is
	# stored under its sample name, and every sample of the text arrived.
	$q = `curl -s --max-time 2 'http://127.0.0.1:$port/api/v1/query?query=node_forks_total'`;
	like($q, qr/"value":\[[0-9.]+,"[1-9]\d*"\]/,
	    'a counter through OpenMetrics: node_forks_total stored');
	$q = `curl -s --max-time 2 'http://127.0.0.1:$port/api/v1/query?query=scrape_samples_scraped%7Bjob%3D%22vitals%22%7D'`;
	my ($n) = $q =~ /"value":\[[0-9.]+,"(\d+)"\]/;
	my $lines = grep { !/^#/ && /\S/ } split(/\n/, $p->{body});
	cmp_ok(abs(($n // 0) - $lines), '<=', $lines / 10,
	    "samples scraped (" . ($n // '?') . ") match the text's ($lines)");
	$t->reap($pid, signal => 'TERM', timeout => 10);
}

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

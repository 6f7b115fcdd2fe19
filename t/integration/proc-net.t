#!/usr/bin/perl
# proc-net.t: node_exporter's /proc/net collectors (netstat from snmp and
# snmp6, sockstat, softnet, entropy, udp_queues, arp, conntrack) side by
# side with the real node_exporter (Debian's prometheus-node-exporter,
# default collectors, on a loopback port), both scraped within the same
# second: every family node_exporter emits under these prefixes is in
# Vitals' /metrics with the same TYPE, HELP and label names, and the
# values that do not move between two reads agree exactly (pool sizes,
# limits, ARP entries, forwarding); counters agree within what a second
# of this machine's traffic adds.  A UDP socket of this test that never
# reads fills its receive queue: node_udp_queues shows it as node_exporter
# does.  Last, each collector's cost per tick, from
# vitals_collector_duration_seconds.
use strict;
use warnings;
use Test::More;
use HTTP::Tiny;
use IO::Socket::INET;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
my $ne_bin = VitalsTest::find_program('prometheus-node-exporter');
plan(skip_all => 'prometheus-node-exporter is not installed') if !$ne_bin;

# Families of node_exporter's collectors this test is about.
my $PREFIX = qr/^node_(?:netstat|sockstat|softnet|entropy|arp|udp_queues|nf_conntrack)_?/;
my @COLLECTORS = qw(snmp netstat sockstat softnet entropy udp_queues arp
    conntrack);

my $t = VitalsTest->new(workers => 2);
$t->start;
my $http = HTTP::Tiny->new(timeout => 5);

# Straight to the pool: nginx's micro-cache could hold a second-old copy.
sub vitals {
	my $r = $t->fcgi_request($t->socket_path, uri => '/metrics');
	return $r->{status} == 200 ? $r->{body} : '';
}

# name => { type, help, samples => { "k=v,k=v" => value } }, labels sorted.
sub parse {
	my ($text) = @_;
	my %f;
	for my $l (split(/\n/, $text)) {
		if ($l =~ /^# (HELP|TYPE) (\S+) (.*)$/) {
			$f{$2}{ lc $1 } = $3;
			next;
		}
		next if $l =~ /^#/ || $l !~ /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
		my ($name, $labels, $v) = ($1, $2 // '', $3);
		my %lab = $labels =~ /(\w+)="((?:[^"\\]|\\.)*)"/g;
		my $key = join(',', map { "$_=$lab{$_}" } sort keys %lab);
		$f{$name}{samples}{$key} = $v + 0;
		$f{$name}{labels} = join(',', sort keys %lab);
	}
	return \%f;
}

# A UDP socket that is sent to and never reads: its receive queue fills.
my $sink = IO::Socket::INET->new(Proto => 'udp', LocalAddr => '127.0.0.1',
    LocalPort => 0) or die "udp: $!";
my $src = IO::Socket::INET->new(Proto => 'udp', PeerAddr => '127.0.0.1',
    PeerPort => $sink->sockport) or die "udp: $!";
$src->send('x' x 1000) for 1 .. 20;

# node_exporter, its defaults, on loopback.
my ($ne_port, $ne_pid);
for my $try (1 .. 3) {
	$ne_port = VitalsTest::free_port();
	$ne_pid = $t->spawn([ $ne_bin,
	    "--web.listen-address=127.0.0.1:$ne_port" ],
	    log => $t->log_path('node_exporter.log'));
	last if wait_until(sub {
		my $r = $http->get("http://127.0.0.1:$ne_port/metrics");
		$r->{status} == 200 }, timeout => 10, interval => 0.2);
}
sub node_exporter {
	my $r = $http->get("http://127.0.0.1:$ne_port/metrics");
	return $r->{status} == 200 ? $r->{content} : '';
}
ok(node_exporter() =~ /^node_exporter_build_info/m,
    "node_exporter answers on 127.0.0.1:$ne_port");

# Every collector has run (the slow ones on a process-scan tick), and the
# slow udp_queues has seen the test's full queue.
my $p;
ok(wait_until(sub {
	$p = vitals();
	for my $c (@COLLECTORS) {
		return 0 if $p !~ /^vitals_collector_success\{collector="$c"\} 1$/m;
	}
	my ($rx) = $p =~ /^node_udp_queues\{ip="v4",queue="rx"\} (\d+)$/m;
	return ($rx // 0) >= 20 * 1000;
}, timeout => 20), 'every collector succeeds, the slow ones within a '
    . 'process-scan tick or two') or diag(join("\n", grep { /collector="/ }
    split(/\n/, $p)));

# Both within the same second.
my ($v, $n);
for my $try (1 .. 5) {
	my $t0 = time;
	$v = parse(vitals());
	$n = parse(node_exporter());
	last if time - $t0 < 1;
}

my @want = sort grep { $_ =~ $PREFIX && $n->{$_}{samples} } keys %$n;
my (@missing, @differ);
for my $f (@want) {
	if (!$v->{$f}{samples}) {
		push(@missing, $f);
		next;
	}
	for my $k (qw(type help labels)) {
		next if ($v->{$f}{$k} // '') eq ($n->{$f}{$k} // '');
		push(@differ, "$f: $k \"" . ($v->{$f}{$k} // '') . '" vs "'
		    . ($n->{$f}{$k} // '') . '"');
	}
}
my $have = @want - @missing;
diag("/proc/net families: $have of " . scalar(@want)
    . " of node_exporter's are in Vitals");
ok(@want >= 60, 'node_exporter emits the families of these collectors here ('
    . scalar(@want) . ')');
is_deeply(\@missing, [], "every one of them is in Vitals' /metrics");
is_deeply(\@differ, [], '... with the same TYPE, HELP and label names');

# The same series (label sets) in both, family by family.
my @series;
for my $f (@want) {
	my @a = sort keys %{ $n->{$f}{samples} };
	my @b = sort keys %{ $v->{$f}{samples} // {} };
	push(@series, "$f: {@b} vs {@a}") if "@a" ne "@b";
}
is_deeply(\@series, [], 'the same series (label values) in each family');

# Values that do not move between two reads: exactly equal.
my @exact = grep { $n->{$_} } qw(node_entropy_pool_size_bits
    node_nf_conntrack_entries_limit node_netstat_Ip_Forwarding
    node_arp_entries);
ok(scalar(@exact) >= 3, "the steady families are there to compare: @exact");
for my $f (@exact) {
	is_deeply($v->{$f}{samples}, $n->{$f}{samples}, "$f: the same values");
}

# Counters: Vitals' value is up to a second older than node_exporter's;
# what this machine adds in a second is far below 1 % of the totals.
my @far;
for my $f (grep { /^node_(?:netstat_Tcp_(?:InSegs|OutSegs|ActiveOpens|PassiveOpens)|netstat_IpExt_InOctets|softnet_processed_total)$/ } @want) {
	for my $k (keys %{ $n->{$f}{samples} }) {
		my ($a, $b) = ($v->{$f}{samples}{$k}, $n->{$f}{samples}{$k});
		push(@far, "$f\{$k} $a vs $b")
		    if !defined $a || $a > $b || $b - $a > 0.01 * $b + 1000;
	}
}
is_deeply(\@far, [], 'busy counters: Vitals at most a second behind '
    . 'node_exporter (within 1 %)');

# The test's UDP queue, as both see it (nothing else on loopback reads
# slower than this socket, so both count at least its 20 datagrams).
my $rx_v = $v->{node_udp_queues}{samples}{'ip=v4,queue=rx'} // 0;
my $rx_n = $n->{node_udp_queues}{samples}{'ip=v4,queue=rx'} // 0;
ok($rx_v >= 20000 && $rx_n >= 20000,
    "node_udp_queues rx v4: Vitals $rx_v, node_exporter $rx_n bytes, "
    . 'both the 20 datagrams waiting at least');

# Each collector's cost, over a few ticks.
my (%cost, %seen);
my $end = time + 8;
while (time < $end) {
	my $text = vitals();
	my ($s) = $text =~ /^vitals_sampler_samples_total (\d+)$/m;
	if (defined $s && !$seen{$s}++) {
		for my $c (@COLLECTORS) {
			my ($d) = $text =~ /^vitals_collector_duration_seconds\{collector="$c"\} (\S+)$/m;
			push(@{ $cost{$c} }, $d * 1000) if defined $d;
		}
	}
	sleep(0.4);
}
for my $c (@COLLECTORS) {
	my @c = sort { $a <=> $b } @{ $cost{$c} // [] };
	diag(sprintf('%-10s %d ticks: median %.3f ms, max %.3f ms', $c,
	    scalar(@c), @c ? ($c[$#c / 2], $c[-1]) : (0, 0)));
	# A 1 s sampler that spends 50 ms on one file has a problem.
	ok(@c && $c[-1] < 50, "$c: under 50 ms a tick");
}

$t->reap($ne_pid, signal => 'TERM');
$t->nginx_log_ok;
unlike($t->log_text('vitals.log'), qr/collector_failed/,
    'no collector failed');
done_testing();

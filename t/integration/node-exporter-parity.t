#!/usr/bin/perl
# node-exporter-parity.t: Vitals' /metrics side by side with Debian's
# prometheus-node-exporter (1.5, its default collectors) on the same host,
# scraped within the same second:
#  - every node_* family node_exporter emits here is in Vitals' output with
#    the same TYPE, the same label names and the same HELP, bar the families
#    of %EXCLUDED (each with its reason) and of %PENDING (collectors being
#    built today, by collector);
#  - a %PENDING or %EXCLUDED family that Vitals does emit fails the test, so
#    neither list can go stale: whoever lands a collector shrinks %PENDING;
#  - the families both emit have the same series (label values: devices,
#    mounts, CPUs), but for the differences of %SERIES_DIFFER, each with
#    its reason;
#  - the stable values agree: MemTotal, the boot time, every filesystem's
#    size, and each CPU's seconds per mode within what the CPU can have
#    spent between Vitals' sample and node_exporter's read;
#  - both documents parse with a strict parser of the text format
#    (t/lib/VitalsExpo.pm), and the coverage is printed as "N of M
#    families".
# The families node_exporter emits depend on the host (a physical machine
# adds hwmon, thermal_zone, cpufreq ...): the lists name those of every
# default collector, not only the ones this VM has.
use strict;
use warnings;
use Test::More;
use HTTP::Tiny;
use POSIX ();
use Time::HiRes qw(time sleep);
use VitalsTest;
use VitalsExpo;

VitalsTest::require_stack('spawn-fcgi');
my $exporter = VitalsTest::find_program('prometheus-node-exporter') //
    VitalsTest::find_program('node_exporter');
plan(skip_all => 'node_exporter is not installed (Debian package '
    . 'prometheus-node-exporter)') if !$exporter;

# Families Vitals will not have.  "never": by design; "not built": a gap
# no issue builds today, said so in the README's collector table.  A key
# ending in * is a prefix.
my %EXCLUDED = (
	'node_exporter_build_info' =>
	    'never: node_exporter\'s own build; Vitals\' is vitals_build_info',
	'node_systemd_*' =>
	    'never: units over D-Bus; Debian enables it, upstream does not',
	'node_rapl_*' =>
	    'never: energy_uj is root-only since CVE-2020-8694',
	'node_disk_device_mapper_info' => 'not built: from udev\'s database',
	'node_disk_ata_*' => 'not built: from udev\'s database',
	'node_cpu_frequency_*' => 'not built: cpufreq (no cpufreq in VMs)',
	'node_cpu_scaling_*' => 'not built: cpufreq (no cpufreq in VMs)',
	'node_cpu_core_throttles_total' =>
	    'not built: thermal_throttle, physical CPUs only',
	'node_cpu_package_throttles_total' =>
	    'not built: thermal_throttle, physical CPUs only',
	'node_schedstat_*' => 'not built: schedstat (run-queue latency)',
	'node_dmi_info' => 'not built: dmi (hardware identity)',
	'node_power_supply_*' => 'not built: powersupplyclass (laptops, UPS)',
	'node_edac_*' => 'not built: edac (ECC memory errors)',
	'node_btrfs_*' => 'not built: btrfs internals',
	'node_xfs_*' => 'not built: xfs internals',
	'node_zfs_*' => 'not built: zfs internals',
	'node_bcache_*' => 'not built: bcache',
	'node_md_*' => 'not built: mdadm (software RAID)',
	'node_nfs_*' => 'not built: nfs client',
	'node_nfsd_*' => 'not built: nfsd',
	'node_nvme_*' => 'not built: nvme (device info)',
	'node_tape_*' => 'not built: tapestats',
	'node_fibrechannel_*' => 'not built: fibrechannel',
	'node_infiniband_*' => 'not built: infiniband',
	'node_bonding_*' => 'not built: bonding',
	'node_ipvs_*' => 'not built: ipvs',
);

# Families whose collectors are being built, by collector.  Vitals
# emitting one of them fails the test: move it out of here when its
# collector lands.  Issue 12's parts A (netstat from snmp and snmp6,
# sockstat, softnet, entropy, udp_queues, arp, conntrack) and C (timex,
# time, thermal_zone, hwmon, textfile) have landed: none is pending.
my %PENDING = (
);

# Series (label values) one side has and the other has not, in families
# both emit: a pattern on the series' labels, and why.  Any other
# difference fails.
my %SERIES_DIFFER = (
	'^device="lo"$' => 'Vitals keeps the loopback interface in the netdev '
	    . 'families; Debian\'s node_exporter 1.5 excludes it (^lo$)',
	'^device="zram\d+"(,|$)' => 'Vitals leaves zram swap devices out of '
	    . 'diskstats (node_disk_info too) as node_exporter 1.6 does; 1.5 '
	    . 'excludes only ram\d+',
	'^collector="' => 'node_scrape_collector_*: each names its own '
	    . 'collectors',
);

# matcher(KEYS): a sub that gives the key matching a family name, or undef.
sub matcher {
	my @keys = @_;
	return sub {
		my ($name) = @_;
		for my $k (@keys) {
			return $k if $k =~ /^(.*)\*$/ ? index($name, $1) == 0 :
			    $name eq $k;
		}
		return undef;
	};
}
my $excluded = matcher(keys %EXCLUDED);
my %pending_of = map { my $c = $_; map { $_ => $c } @{ $PENDING{$c} } }
    keys %PENDING;
my $pending = matcher(keys %pending_of);

my $t = VitalsTest->new(workers => 2);
$t->start;
my $http = HTTP::Tiny->new(timeout => 5);

# node_exporter with its defaults, on a loopback port (another try when the
# port was taken between free_port() and its bind).
my ($ne_port, $ne_pid);
my $ne_log = $t->log_path('node-exporter.log');
for my $try (1 .. 3) {
	$ne_port = VitalsTest::free_port();
	$ne_pid = $t->spawn([ $exporter,
	    "--web.listen-address=127.0.0.1:$ne_port" ], log => $ne_log);
	last if wait_until(sub {
		return 0 if waitpid($ne_pid, POSIX::WNOHANG()) == $ne_pid;
		return $http->get("http://127.0.0.1:$ne_port/metrics")->{status}
		    == 200;
	}, timeout => 15, interval => 0.1);
	$t->reap($ne_pid, signal => 'TERM');
	undef $ne_pid;
	last if (VitalsTest::slurp($ne_log) // '') !~ /address already in use/;
}
ok($ne_pid, "node_exporter answers on 127.0.0.1:$ne_port")
    or BAIL_OUT('node_exporter did not start: ' .
    (VitalsTest::slurp($ne_log) // ''));

ok(wait_until(sub { $t->get('/metrics')->{body} =~ /^node_load1 /m },
    timeout => 10), 'Vitals has a sample');

# scrape(): both within the same second, Vitals first, so that
# node_exporter's counters are the later ones; both parsed.  Returns
# (Vitals, node_exporter, t0, t1).
sub scrape {
	my $t0 = time;
	my $vr = $t->get('/metrics');
	my $nr = $http->get("http://127.0.0.1:$ne_port/metrics");
	my $t1 = time;
	my ($v, $n);
	$v = eval { VitalsExpo::parse($vr->{body}) } if $vr->{status} == 200;
	diag("Vitals: $vr->{status} $@") if !$v;
	$n = eval { VitalsExpo::parse($nr->{content}) } if $nr->{status} == 200;
	diag("node_exporter: $nr->{status} $@") if !$n;
	return ($v, $n, $t0, $t1);
}
my ($vt, $ne, $t0, $t1) = scrape();
ok($vt, 'Vitals\' /metrics: 200, and it parses');
ok($ne, 'node_exporter\'s /metrics: 200, and it parses');
ok($t1 - $t0 < 1, sprintf('both scraped within %.3f s', $t1 - $t0));
BAIL_OUT('cannot compare') if !$vt || !$ne;
my $version = (map { $_->{labels}{version} } @{
    ($ne->{families}{node_exporter_build_info} // { samples => [] })->{samples}
    })[0] // '?';
diag("node_exporter $version");

# --- families ----------------------------------------------------------------
my @ne_node = sort grep { /^node_/ } keys %{ $ne->{families} };
my ($same, @missing, @differ, %skipped);
for my $name (@ne_node) {
	my $n = $ne->{families}{$name};
	if ($excluded->($name)) {
		$skipped{excluded}++;
		next;
	}
	if ($pending->($name)) {
		$skipped{pending}++;
		next;
	}
	my $v = $vt->{families}{$name};
	if (!$v) {
		push(@missing, $name);
		next;
	}
	my @why;
	push(@why, "TYPE $v->{type}, node_exporter $n->{type}")
	    if $v->{type} ne $n->{type};
	my ($vl, $nl) = map { join(',', @{ VitalsExpo::label_names($_) }) }
	    $v, $n;
	push(@why, "labels {$vl}, node_exporter {$nl}") if $vl ne $nl;
	push(@why, "HELP '" . ($v->{help} // '') . "', node_exporter '"
	    . ($n->{help} // '') . "'")
	    if ($v->{help} // '') ne ($n->{help} // '');
	if (@why) {
		push(@differ, "$name: " . join('; ', @why));
	} else {
		$same++;
	}
}
is_deeply(\@missing, [], 'every node_* family node_exporter emits here is '
    . 'in Vitals\' output (but the excluded and pending ones)')
    or diag(join("\n", @missing));
is_deeply(\@differ, [], 'with the same TYPE, label names and HELP')
    or diag(join("\n", @differ));
my $m = @ne_node;
$same //= 0;
diag("$same of $m families: the same in Vitals (node_exporter $version, "
    . ($skipped{pending} // 0) . ' pending, ' . ($skipped{excluded} // 0)
    . ' excluded)');

# The lists cannot go stale: a family Vitals emits is neither pending nor
# excluded.
my @landed = map { "$_ (collector $pending_of{ $pending->($_) })" }
    grep { $pending->($_) } sort keys %{ $vt->{families} };
is_deeply(\@landed, [], 'no %PENDING family is in Vitals\' output yet '
    . '(one that is: remove it from %PENDING)') or diag(join("\n", @landed));
my @served = map { "$_ ($EXCLUDED{ $excluded->($_) })" }
    grep { $excluded->($_) } sort keys %{ $vt->{families} };
is_deeply(\@served, [], 'no %EXCLUDED family is in Vitals\' output')
    or diag(join("\n", @served));

# The same series (label values) in the families both emit.  The slow
# collectors (netclass, filesystems) refresh every few samples, so a
# difference counts when it is still there in a second pair of scrapes
# after one such period (top_every, 5 samples by default).
sub series_differ {
	my ($v, $n) = @_;
	my %d;
	for my $name (grep { /^node_/ } keys %{ $n->{families} }) {
		my $vf = $v->{families}{$name} // next;
		my ($vs, $ns) = map { VitalsExpo::series($_) } $vf,
		    $n->{families}{$name};
		for my $k (keys %$ns, keys %$vs) {
			next if exists $vs->{$k} && exists $ns->{$k};
			next if grep { $k =~ /$_/ } keys %SERIES_DIFFER;
			$d{ "$name\{$k} only in " . (exists $vs->{$k} ?
			    'Vitals' : 'node_exporter') } = 1;
		}
	}
	return \%d;
}
my $differ = series_differ($vt, $ne);
if (%$differ) {
	sleep(6);
	my ($v2, $n2) = scrape();
	my $again = $v2 && $n2 ? series_differ($v2, $n2) : $differ;
	delete @$differ{ grep { !$again->{$_} } keys %$differ };
}
is_deeply([ sort keys %$differ ], [], 'the families both emit have the same '
    . 'series (but ' . join(', ', sort keys %SERIES_DIFFER) . ')')
    or diag(join("\n", sort keys %$differ));

# --- values --------------------------------------------------------------------
sub one {
	my ($e, $name) = @_;
	return VitalsExpo::value($e, $name);
}

open(my $fh, '<', '/proc/meminfo') or die "/proc/meminfo: $!";
my ($memtotal) = map { /^MemTotal:\s+(\d+) kB$/ ? $1 * 1024 : () } <$fh>;
close($fh);
is(one($vt, 'node_memory_MemTotal_bytes'), $memtotal,
    "node_memory_MemTotal_bytes is /proc/meminfo's MemTotal ($memtotal)");
is(one($vt, 'node_memory_MemTotal_bytes'),
    one($ne, 'node_memory_MemTotal_bytes'), 'and node_exporter\'s');
is(one($vt, 'node_boot_time_seconds'), one($ne, 'node_boot_time_seconds'),
    'node_boot_time_seconds: ' . (one($ne, 'node_boot_time_seconds') // '?'));

# Filesystems: the same mounts (node_exporter's default exclusions are
# Vitals' too), the same sizes to the byte.
my ($vfs, $nfs) = map { VitalsExpo::series($_->{families}{node_filesystem_size_bytes}
    // { name => '', samples => [] }) } $vt, $ne;
is_deeply([ sort keys %$vfs ], [ sort keys %$nfs ],
    scalar(keys %$nfs) . ' filesystems, the same in both');
my @fs_differ = map { "$_: Vitals $vfs->{$_}, node_exporter $nfs->{$_}" }
    grep { exists $vfs->{$_} && $vfs->{$_} != $nfs->{$_} } sort keys %$nfs;
is_deeply(\@fs_differ, [], 'node_filesystem_size_bytes agrees for each');

# CPU seconds: Vitals' counters are those of its last sample
# (node_time_seconds; its reads span vitals_sampler_duration_seconds),
# node_exporter's those of its read, at most $t1.  In between a CPU spends
# at most that wall time in any one mode; 0.02 s more for the two reads'
# rounding to USER_HZ.  iowait may go back (a kernel quirk), hence the
# absolute difference.
my $sample_at = one($vt, 'node_time_seconds');
ok(defined $sample_at && $t1 - $sample_at >= -0.05 && $t1 - $sample_at < 5,
    sprintf('Vitals\' sample was %.3f s old', $t1 - ($sample_at // 0)));
my $bound = ($t1 - ($sample_at // $t1)) +
    (one($vt, 'vitals_sampler_duration_seconds') // 0) + 0.02;
my ($vcpu, $ncpu) = map { VitalsExpo::series($_->{families}{node_cpu_seconds_total}
    // { name => '', samples => [] }) } $vt, $ne;
is_deeply([ sort keys %$vcpu ], [ sort keys %$ncpu ],
    scalar(keys %$ncpu) . ' CPU x mode series, the same in both');
my ($worst, @cpu_differ) = (0);
for my $k (sort keys %$ncpu) {
	next if !exists $vcpu->{$k};
	my $d = abs($ncpu->{$k} - $vcpu->{$k});
	$worst = $d if $d > $worst;
	push(@cpu_differ, sprintf('%s: Vitals %.2f, node_exporter %.2f', $k,
	    $vcpu->{$k}, $ncpu->{$k})) if $d > $bound;
}
is_deeply(\@cpu_differ, [], sprintf('node_cpu_seconds_total agrees within '
    . '%.3f s per CPU and mode (the largest difference: %.3f s)', $bound,
    $worst));

# node_exporter has no handler for SIGTERM: the signal ends it.
my $st = $t->reap($ne_pid, signal => 'TERM');
ok(defined $st && ($st == 0 || ($st & 127) == POSIX::SIGTERM()),
    'node_exporter stops on SIGTERM');
$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

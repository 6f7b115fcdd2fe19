#!/usr/bin/perl
# metrics-names.t: metric_names = snake_case, for a site that lints what it
# scrapes.  node_exporter's mixed-case families (node_memory_MemTotal_bytes,
# node_netstat_TcpExt_*) draw promtool's camelCase lint, as they do for
# node_exporter itself, so they are the default only for the sake of the
# dashboards and alert rules that query them; with snake_case, promtool
# check metrics reports nothing at all, the values are the same, and a
# HUP switches between the two without a restart.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
my $promtool = VitalsTest::find_program('promtool');
plan(skip_all => 'promtool is not installed (Debian package prometheus)')
    if !$promtool;

# The setting comes from a config file, so a HUP can change it.
my $t = VitalsTest->new(workers => 2);
my $conf = $t->dir . '/names.conf';
sub names_conf {
	open(my $cf, '>', $conf) or die "$conf: $!";
	print $cf "metric_names = $_[0]\n";
	close($cf);
}
names_conf('snake_case');
$t->{app_args} = [ '--config', $conf ];
$t->start;

open(my $fh, '<', '/proc/meminfo') or die;
my ($memtotal) = map { /^MemTotal:\s+(\d+) kB/ ? $1 * 1024 : () } <$fh>;
close($fh);

sub promtool_says {
	my ($body) = @_;
	my $file = $t->dir . '/metrics.txt';
	open(my $out, '>', $file) or die;
	print $out $body;
	close($out);
	my @lines = `$promtool check metrics < $file 2>&1`;
	return ($? >> 8, @lines);
}

my $p;
ok(wait_until(sub { $p = $t->get('/metrics'); $p->{body} =~ /^node_load1 /m },
    timeout => 5), 'a sample within a few seconds');
like($p->{body}, qr/^node_memory_mem_total_bytes $memtotal$/m,
    'node_memory_mem_total_bytes is MemTotal');
unlike($p->{body}, qr/^node_memory_MemTotal_bytes /m,
    'and the mixed-case name is not there');
like($p->{body}, qr/^node_netstat_tcp_ext_listen_overflows \d+$/m,
    'node_netstat_tcp_ext_listen_overflows');
like($p->{body}, qr/^node_cpu_seconds_total\{cpu="0",mode="idle"\} /m,
    'families that were snake case already keep their names');
my ($rc, @said) = promtool_says($p->{body});
is($rc, 0, 'promtool check metrics exits 0');
is_deeply(\@said, [], 'and reports nothing') or diag(@said);
my @camel = grep { /^[a-z_]*[a-z][A-Z]/ } split(/\n/, $p->{body});
is(scalar(@camel), 0, 'no sample name has camelCase') or diag(@camel[0 .. 4]);

# The same through the OpenMetrics the master makes of it.
my $o = $t->get('/metrics', headers => [ 'Accept: application/openmetrics-text' ]);
like($o->{body}, qr/^node_memory_mem_total_bytes $memtotal$/m,
    'OpenMetrics has the snake_case names too');

# Back to node_exporter's names with a HUP, no restart.
names_conf('node_exporter');
my $master = ($t->json($t->get('/status')) // {})->{pool}{master_pid};
ok($master && kill('HUP', $master), 'SIGHUP to the master');
ok(wait_until(sub { $p = $t->get('/metrics');
    $p->{body} =~ /^node_memory_MemTotal_bytes $memtotal$/m }, timeout => 5),
    'node_memory_MemTotal_bytes is back within a few seconds');
($rc, @said) = promtool_says($p->{body});
my @other = grep { !/^node_(?:memory|netstat)_\w+ metric names should be written in 'snake_case' not 'camelCase'$/
    && !/^node_entropy_\w+_bits use base unit "bytes" instead of "bits"$/ }
    map { s/\s+$//r } @said;
ok(@said > 0 && !@other, 'with node_exporter\'s names promtool reports '
    . 'their camelCase and nothing else (' . scalar(@said) . ' lines)')
    or diag(@said);

# A word that is not a style: the config is refused, the names stay.
names_conf('camelCase');
kill('HUP', $master);
sleep(1.5);
like($t->get('/metrics')->{body}, qr/^node_memory_MemTotal_bytes /m,
    'a bad metric_names on HUP keeps the running names');
ok(VitalsTest::_slurp($t->app_log) =~ /reload_failed.*metric_names/,
    'and the log says why');

$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

#!/usr/bin/perl
# grafana-panels.t: the shipped Grafana dashboard
# (conf/grafana/vitals-dashboard.json) is importable as is and every panel
# fills from Vitals:
#  - the JSON: a title and a stable uid, no id of its own (an import gets
#    one), panel ids unique, every gridPos inside the 24 columns with no two
#    panels overlapping, every data source the ${datasource} variable (no
#    uid of the author's Grafana), the job and instance variables, and every
#    selector of every query scoped to job="$job",instance="$instance";
#  - a real Prometheus (Debian's package) on loopback scrapes the stack with
#    the shipped scrape config (conf/prometheus/vitals-scrape.yml, aimed at
#    the stack with 1 s intervals): up == 1;
#  - the variables' queries give the job and the instance, and every query
#    of every panel, with the variables substituted as Grafana does, returns
#    at least one series through Prometheus' HTTP API.
# Grafana itself is not in Debian: the import is checked against the
# dashboard model's rules, not by a Grafana.
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep time);
use VitalsTest;
use VitalsProm;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd');
my $src = $ENV{VT_SRCDIR} // '.';
my $file = "$src/conf/grafana/vitals-dashboard.json";
my $text = VitalsTest::slurp($file) // die "$file: $!";

# --- the dashboard model ----------------------------------------------------------
my $d = eval { JSON::PP->new->utf8->decode($text) };
ok($d, 'the dashboard is JSON') or BAIL_OUT("$file: $@");
ok(($d->{title} // '') ne '', "title: $d->{title}");
like($d->{uid} // '', qr/^[A-Za-z0-9_-]{1,40}$/, "a stable uid: $d->{uid}");
ok(exists $d->{id} && !defined $d->{id},
    'id null: the Grafana it is imported into numbers it');
ok(($d->{schemaVersion} // 0) >= 36, "schemaVersion $d->{schemaVersion}");

my %var = map { $_->{name} => $_ } @{ $d->{templating}{list} // [] };
is($var{datasource}{type}, 'datasource', 'a data source variable');
is($var{datasource}{query}, 'prometheus', 'of Prometheus data sources');
for my $v (qw(job instance)) {
	is($var{$v}{type}, 'query', "the $v variable comes from a query");
}
like($var{job}{query}, qr/^label_values\((\w+), job\)$/,
    "job: $var{job}{query}");
like($var{instance}{query},
    qr/^label_values\((\w+)\{job="\$job"\}, instance\)$/,
    "instance: $var{instance}{query}, within the job");

# Every "datasource" anywhere in the document is the variable (or
# Grafana's built-in one for its own annotations).
my @fixed;
sub walk {
	my ($node, $path) = @_;
	if (ref($node) eq 'HASH') {
		for my $k (sort keys %$node) {
			my $v = $node->{$k};
			if ($k eq 'datasource') {
				my $uid = ref($v) eq 'HASH' ? $v->{uid} // '' : $v // '';
				push(@fixed, "$path.datasource: $uid")
				    if $uid ne '${datasource}' &&
				    $uid ne '-- Grafana --';
			}
			walk($v, "$path.$k");
		}
	} elsif (ref($node) eq 'ARRAY') {
		walk($node->[$_], "$path\[$_]") for 0 .. $#$node;
	}
}
walk($d, '');
is_deeply(\@fixed, [], 'every data source is ${datasource}');

my @all = map { ($_, @{ $_->{panels} // [] }) } @{ $d->{panels} // [] };
my @panels = grep { $_->{type} ne 'row' } @all;
ok(@panels >= 20, scalar(@panels) . ' panels in '
    . scalar(grep { $_->{type} eq 'row' } @all) . ' rows');
my %ids;
$ids{ $_->{id} // 'none' }++ for @all;
is_deeply([ grep { $ids{$_} > 1 || !/^[1-9]\d*$/ } sort keys %ids ], [],
    'panel ids are positive and unique');

my (@bad_grid, @overlap);
for my $p (@all) {
	my $g = $p->{gridPos} // {};
	my @n = map { $g->{$_} } qw(x y w h);
	if (grep { !defined || !/^\d+$/ } @n) {
		push(@bad_grid, "$p->{title}: not four integers");
		next;
	}
	my ($x, $y, $w, $h) = @n;
	push(@bad_grid, "$p->{title}: x $x w $w h $h")
	    if $w < 1 || $h < 1 || $x + $w > 24;
	push(@bad_grid, "$p->{title}: a row is 24 x 1")
	    if $p->{type} eq 'row' && ($w != 24 || $h != 1 || $x != 0);
}
is_deeply(\@bad_grid, [], 'every gridPos within the 24 columns');
for my $i (0 .. $#all) {
	for my $j ($i + 1 .. $#all) {
		my ($a, $b) = map { $_->{gridPos} } @all[$i, $j];
		push(@overlap, "$all[$i]{title} / $all[$j]{title}")
		    if $a->{x} < $b->{x} + $b->{w} && $b->{x} < $a->{x} + $a->{w}
		    && $a->{y} < $b->{y} + $b->{h} && $b->{y} < $a->{y} + $a->{h};
	}
}
is_deeply(\@overlap, [], 'no two panels overlap');

my (@queries, @no_target, @unscoped);
for my $p (@panels) {
	my $targets = $p->{targets} // [];
	push(@no_target, $p->{title}) if !@$targets;
	my %ref;
	for my $t (@$targets) {
		push(@no_target, "$p->{title}: refId $t->{refId} twice")
		    if $ref{ $t->{refId} // '' }++;
		my $expr = $t->{expr} // '';
		push(@queries, { panel => $p->{title}, ref => $t->{refId},
		    expr => $expr });
		# Every selector of a series names the job and the instance.
		while ($expr =~ /(?<![\w:])((?:node|vitals)_\w+|up)(?![\w(])(\{[^}]*\})?/g) {
			my ($m, $sel) = ($1, $2 // '');
			push(@unscoped, "$p->{title} $t->{refId}: $m$sel")
			    if $sel !~ /\bjob="\$job"/ ||
			    $sel !~ /\binstance="\$instance"/;
		}
	}
}
is_deeply(\@no_target, [], 'every panel has queries, each its own refId');
is_deeply(\@unscoped, [], 'every selector names job="$job" and '
    . 'instance="$instance" (' . scalar(@queries) . ' queries)');

# --- a real Prometheus scrapes the stack -------------------------------------------
VitalsProm::installed_or_done('the queries were not run');

# With MariaDB, so that the health probes and the recorder have figures.
my $t = VitalsTest->new(db => 1, workers => 2);
$t->start;
my $work = $t->dir . '/prometheus';
mkdir($work) or die "$work: $!";
my $scrape = VitalsTest::slurp("$src/conf/prometheus/vitals-scrape.yml")
    // die "vitals-scrape.yml: $!";
my ($config, @missing) = VitalsProm::aim_scrape_config($scrape, $t);
is_deeply(\@missing, [], 'the shipped scrape config, aimed at the stack');
for my $f ([ "$work/prometheus.yml", $config ], [ "$work/vitals-rules.yml",
    VitalsTest::slurp("$src/conf/prometheus/vitals-rules.yml") ]) {
	open(my $fh, '>', $f->[0]) or die "$f->[0]: $!";
	print $fh $f->[1];
	close($fh) or die "$f->[0]: $!";
}
my $p = VitalsProm->new($t, config => "$work/prometheus.yml");
$p->start_ok;

# A monitor's /health check now and then, in every wait.
my $tick = VitalsProm::health_ticker($t);
sub tick { $tick->() }

my $up;
ok(wait_until(sub {
	tick();
	$up = $p->query('up{job="vitals"}') // return 0;
	return @$up == 1 && $up->[0]{value} == 1;
}, timeout => 30), 'up{job="vitals"} == 1: Prometheus scrapes the stack')
    or diag(explain($up));
my $instance = $up->[0]{metric}{instance} // '';
is($instance, '127.0.0.1:' . $t->https_port, "instance $instance");

# The variables, as Grafana's label_values() asks for them.
my ($job_metric) = $var{job}{query} =~ /^label_values\((\w+),/;
my $jobs = $p->api('/api/v1/label/job/values', 'match[]' => $job_metric);
is_deeply($jobs, [ 'vitals' ], "\$job offers: @{ $jobs // [] }");
(my $inst_match = $var{instance}{query}) =~
    s/^label_values\((.*), instance\)$/$1/;
$inst_match =~ s/\$job/vitals/g;
my $insts = $p->api('/api/v1/label/instance/values', 'match[]' => $inst_match);
is_deeply($insts, [ $instance ], "\$instance offers: @{ $insts // [] }");

# Grafana's $__rate_interval: max($__interval + scrape interval, 4 x scrape
# interval), here with 1 s scrapes at a 1 s step: 4 s.  Some seconds of
# data first, for the rates.
my %subst = (job => 'vitals', instance => $instance,
    __rate_interval => '4s');
my $t0 = time;
tick() while time < $t0 + 6;
my @empty;
for my $q (@queries) {
	(my $expr = $q->{expr}) =~ s/\$(\w+)/$subst{$1} \/\/ "\$$1"/ge;
	my $v;
	my $ok = wait_until(sub {
		tick();
		$v = $p->query($expr);
		return $v && @$v > 0;
	}, timeout => 10, interval => 0);
	push(@empty, "$q->{panel} $q->{ref}: $expr") if !$ok;
	note("$q->{panel} $q->{ref}: " . scalar(@{ $v // [] }) . ' series');
}
is_deeply(\@empty, [], 'every query of every panel returns a series ('
    . scalar(@queries) . ' queries, ' . scalar(@panels) . ' panels)');

is($p->stop, 0, 'Prometheus stops cleanly');
$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

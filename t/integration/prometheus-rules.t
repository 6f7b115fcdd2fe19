#!/usr/bin/perl
# prometheus-rules.t: the Prometheus files Vitals ships (conf/prometheus/)
# work, with promtool and with a real Prometheus against the real stack:
#  - promtool check config (the example, which loads the rules), check
#    rules, and test rules, whose tests cover every alert both firing and
#    not firing;
#  - a Prometheus (Debian's package) on loopback scrapes the stack's
#    /metrics over HTTPS through the shipped scrape job, its intervals cut
#    to 1 s: the target is up, every rule evaluates without error, every
#    family a rule reads is one /metrics serves (or one issue 11 adds), the
#    recording rules give figures, and no alert is pending or firing on
#    the healthy stack;
#  - MariaDB stopped: VitalsDatabaseFailing fires with result
#    "unreachable"; started again: it resolves.  For that part the rule
#    is loaded again with its window and its `for:` cut from 1 m to
#    seconds (the shipped copy is not changed).
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;
use VitalsProm;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd');
my $promtool = VitalsTest::find_program('promtool');
plan(skip_all => 'promtool is not installed (Debian package prometheus)')
    if !$promtool;

my $src = $ENV{VT_SRCDIR} // '.';
my $dir = "$src/conf/prometheus";
my %file = map { $_ => "$dir/vitals-$_.yml" } qw(scrape rules rules.test);

sub slurp {
	my ($f) = @_;
	my $s = VitalsTest::slurp($f);
	die "$f: $!" if !defined $s;
	return $s;
}

sub spew {
	my ($f, $s) = @_;
	open(my $fh, '>', $f) or die "$f: $!";
	print $fh $s;
	close($fh) or die "$f: $!";
}

# promtool(ARGS): (exit status, output).
sub promtool {
	my $out = `$promtool @_ 2>&1`;
	return ($? >> 8, $out);
}

# --- promtool ----------------------------------------------------------------
my ($rc, $out) = promtool('check', 'config', $file{scrape});
is($rc, 0, 'promtool check config: the example scrape config and its rules')
    or diag($out);
like($out, qr/SUCCESS: \d+ rules found/, 'the config loads the rules');
($rc, $out) = promtool('check', 'rules', $file{rules});
is($rc, 0, 'promtool check rules') or diag($out);
($rc, $out) = promtool('test', 'rules', $file{'rules.test'});
is($rc, 0, 'promtool test rules') or diag($out);

# Every alert has a test where it fires and one where it does not.
my $rules_text = slurp($file{rules});
my $tests_text = slurp($file{'rules.test'});
my %alerts = map { $_ => 1 } $rules_text =~ /^\s*- alert: (\w+)$/mg;
my (@untested, @never_quiet);
for my $a (sort keys %alerts) {
	push(@untested, $a) if $tests_text !~
	    /alertname: $a\n\s+exp_alerts:\n\s+- exp_labels:/;
	push(@never_quiet, $a) if $tests_text !~
	    /alertname: $a\n\s+exp_alerts: \[\]/;
}
ok(keys(%alerts) >= 20, scalar(keys %alerts) . ' alerts in the rules');
is_deeply(\@untested, [], 'each is tested firing');
is_deeply(\@never_quiet, [], 'and not firing');
my @blocks = grep { /^\s*- alert: / } split(/(?=^\s*- (?:alert|record): )/m,
    $rules_text);
my @unlabelled = map { /- alert: (\w+)/ } grep {
    !/^\s+severity: (?:warning|critical)$/m ||
    !/^\s+summary: .*\{\{ \$labels\./m || !/^\s+description: /m } @blocks;
is_deeply(\@unlabelled, [], 'each has a severity, a summary naming its '
    . 'instance and a description');

# --- a real Prometheus against the stack -----------------------------------------
VitalsProm::installed_or_done('the rules were not run on real data');

my $t = VitalsTest->new(db => 1, workers => 2);
$t->start;
my $work = $t->dir . '/prometheus';
mkdir($work) or die "$work: $!";

# The shipped scrape job, aimed at this stack: its target, its certificate
# as the CA, and 1 s intervals.  Each change must find its line.
my ($config, @missing) = VitalsProm::aim_scrape_config(slurp($file{scrape}),
    $t);
is_deeply(\@missing, [], 'the scrape config has each line the test aims '
    . 'at the stack') or diag($config);
spew("$work/prometheus.yml", $config);
spew("$work/vitals-rules.yml", $rules_text);
($rc, $out) = promtool('check', 'config', "$work/prometheus.yml");
is($rc, 0, 'promtool check config: the same aimed at this stack')
    or diag($out);

my $p = VitalsProm->new($t, config => "$work/prometheus.yml");
$p->start_ok;

# A monitor's /health check now and then, in every wait.
my $tick = VitalsProm::health_ticker($t);
sub tick { $tick->() }

my $target;
ok(wait_until(sub {
	tick();
	my $d = $p->api('/api/v1/targets') // return 0;
	($target) = grep { $_->{labels}{job} eq 'vitals' }
	    @{ $d->{activeTargets} // [] };
	return $target && $target->{health} eq 'up';
}, timeout => 30), 'the target is up: Prometheus scrapes /metrics over '
    . 'HTTPS, the stack\'s certificate as its CA')
    or diag(explain($target));
is($target->{scrapeUrl}, 'https://127.0.0.1:' . $t->https_port . '/metrics',
    "scrape URL $target->{scrapeUrl}");

# Every rule evaluated on a few seconds of data, without an error.
my $rules;
sleep(0.2), tick() for 1 .. 20;
ok(wait_until(sub {
	tick();
	$rules = $p->rules // return 0;
	return @$rules && !grep { ($_->{health} // '') ne 'ok' } @$rules;
}, timeout => 20), 'every rule evaluates without error on real data ('
    . scalar(@{ $rules // [] }) . ' rules)')
    or diag(explain([ grep { ($_->{health} // '') ne 'ok' } @{ $rules // [] } ]));
is(scalar(@$rules), scalar(() = $rules_text =~ /^\s*- (?:alert|record): /mg),
    'Prometheus loaded all the shipped rules');

# Every family a rule reads is in /metrics, but for those that issue 11
# adds in other parts (their rules stay quiet until they come).
my %coming = map { $_ => 1 } qw(vitals_check_state vitals_listener_queue
    vitals_listener_backlog vitals_notify_runs_total node_filefd_allocated
    node_filefd_maximum node_vmstat_oom_kill);
my $metrics = $t->get('/metrics')->{body};
my %served = map { $_ => 1 } $metrics =~ /^# TYPE (\w+) /mg;
$served{"${_}_bucket"} = $served{"${_}_sum"} = $served{"${_}_count"} = 1
    for keys %served;
my %read;
for my $r (@$rules) {
	$read{$_}++ for $r->{query} =~ /(?<![\w:])((?:node|vitals)_\w+)/g;
}
my @unknown = grep { !$served{$_} && !$coming{$_} } sort keys %read;
is_deeply(\@unknown, [], 'every family the rules read is one Vitals serves ('
    . scalar(keys %read) . ' families)');
my @waiting = grep { !$served{$_} } sort keys %read;
diag("not served yet (issue 11's other parts): @waiting") if @waiting;

# The recording rules give figures, where their families are served.
for my $r (grep { $_->{type} eq 'recording' } @$rules) {
	my @needs = grep { !$served{$_} }
	    $r->{query} =~ /(?<![\w:])((?:node|vitals)_\w+)/g;
	my $v = $p->query($r->{name}) // [];
	if (@needs) {
		diag("$r->{name}: waits for @needs");
		next;
	}
	ok(@$v > 0, "$r->{name} = " . join(', ', map { $_->{value} } @$v));
}
my $age = ($p->query('instance:vitals_sample_age:seconds') // [])->[0];
ok($age && $age->{value} >= 0 && $age->{value} < 5,
    sprintf('the sample was %.2f s old when scraped (< 5 s)',
    $age->{value} // -1));
my $avail = ($p->query('instance:node_memory_available:ratio') // [])->[0];
open(my $mi, '<', '/proc/meminfo') or die;
my %mem = map { /^(\w+):\s+(\d+)/ ? ($1 => $2) : () } <$mi>;
close($mi);
ok($avail && abs($avail->{value} - $mem{MemAvailable} / $mem{MemTotal}) < 0.1,
    sprintf('available memory %.3f, /proc/meminfo says %.3f',
    $avail->{value} // -1, $mem{MemAvailable} / $mem{MemTotal}));

# No alert on the healthy stack.  The host's own alerts (CPU, memory,
# disks, sockets) judge this machine, which other tests load at the same
# time: they are only reported here.  None may fire at all.
sleep(0.2), tick() for 1 .. 15;
my %stack_checks = map { $_ => 1 } qw(database pool_queue pool_restarts
    sampler);
sub about_stack {
	my ($a) = @_;
	my $n = $a->{labels}{alertname};
	return $stack_checks{ $a->{labels}{check} // '' } if $n =~ /^VitalsCheck/;
	return $n =~ /^Vitals(?:Down|Database|Pool|SampleStale|Notify)/;
}
my $active = $p->alerts // [];
my @firing = grep { $_->{state} eq 'firing' } @$active;
my @stack = grep { about_stack($_) } @$active;
is_deeply([ map { $_->{labels}{alertname} } @firing ], [],
    'no alert fires on the healthy stack');
is_deeply([ map { "$_->{labels}{alertname} ($_->{state})" } @stack ], [],
    'none about the stack is even pending');
diag('host alerts pending on this machine: ' . join(', ', map {
    "$_->{labels}{alertname}/$_->{labels}{severity}" }
    grep { !about_stack($_) } @$active)) if @$active > @stack;

# --- the database stops -----------------------------------------------------------
# The database rule again with a 5 s window and a 2 s `for:` (and Vitals'
# own critical judgement with 2 s), so that the test waits seconds, not
# minutes.
my $fast = $rules_text;
my $cut = 0;
$fast =~ s{(- alert: (VitalsDatabaseFailing|VitalsCheckCritical)\n.*?)(?=\n\s*- (?:alert|record):|\n\n  - name:|\z)}{
	my $b = $1;
	$cut += ($b =~ s/\[1m\]/[5s]/g) + ($b =~ s/for: 1m/for: 2s/);
	$b;
}gse;
ok($cut >= 4, "the test copy cuts the database rule's windows and for: ($cut edits)");
spew("$work/vitals-rules.yml", $fast);
ok($p->reload, 'SIGHUP: Prometheus reloads the rules');
ok(wait_until(sub {
	tick();
	my $r = $p->rules // return 0;
	my ($db) = grep { $_->{name} eq 'VitalsDatabaseFailing' } @$r;
	return $db && $db->{duration} == 2 && $db->{health} eq 'ok';
}, timeout => 20), 'the cut rule is loaded and evaluates');

my $judges = $metrics =~ /^vitals_check_state\{/m;
is($t->stack('stop', 'db'), 0, 'MariaDB stopped');
my $t0 = time;
my ($db_alert, $check_alert, $pending_seen);
ok(wait_until(sub {
	tick();
	my $a = $p->alerts // return 0;
	($db_alert) = grep { $_->{labels}{alertname} eq 'VitalsDatabaseFailing' } @$a;
	$pending_seen = 1 if $db_alert && $db_alert->{state} eq 'pending';
	($check_alert) = grep { $_->{labels}{alertname} eq 'VitalsCheckCritical' &&
	    ($_->{labels}{check} // '') eq 'database' } @$a;
	return $db_alert && $db_alert->{state} eq 'firing' &&
	    (!$judges || ($check_alert && $check_alert->{state} eq 'firing'));
}, timeout => 60), sprintf('VitalsDatabaseFailing fires %.1f s after the stop',
    time - $t0)) or diag(explain($p->alerts));
ok($pending_seen, 'after a pending state (its for:)');
is($db_alert->{labels}{result}, 'unreachable', 'result: unreachable');
is($db_alert->{labels}{severity}, 'critical', 'severity: critical');
like($db_alert->{annotations}{summary},
    qr/^Database of 127\.0\.0\.1:\d+ failing: unreachable$/,
    "summary: $db_alert->{annotations}{summary}");
like($db_alert->{annotations}{description}, qr/MariaDB is stopped/,
    'the description says what unreachable means');
SKIP: {
	skip('no vitals_check_state in /metrics yet (issue 11\'s checks)', 1)
	    if !$judges;
	ok($check_alert && $check_alert->{state} eq 'firing',
	    'VitalsCheckCritical fires for check="database": Vitals\' own '
	    . 'judgement agrees');
}

is($t->stack('start', 'db'), 0, 'MariaDB started again');
$t0 = time;
ok(wait_until(sub {
	tick();
	my $a = $p->alerts // return 0;
	return !grep { $_->{labels}{alertname} eq 'VitalsDatabaseFailing' } @$a;
}, timeout => 60), sprintf('and the alert resolves %.1f s after the start',
    time - $t0)) or diag(explain($p->alerts));

my $rules_after = $p->rules // [];
is_deeply([ map { $_->{name} } grep { $_->{health} ne 'ok' } @$rules_after ],
    [], 'every rule still evaluates without error');

is($p->stop, 0, 'Prometheus stops cleanly');
$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

#!/usr/bin/perl
# textfile.t: the textfile collector on the real stack (nginx, the pool, its
# master): textfile_dir's *.prom files in /metrics.  A good file appears
# with node_exporter's node_textfile_mtime_seconds{file}; a malformed, an
# oversized, a duplicate-family, an unreadable (a dangling link, a
# directory) and an own-family file each set node_textfile_scrape_error,
# log one line each, and leave the rest of /metrics valid (promtool check
# metrics reports nothing, with metric_names = snake_case); a file replaced
# is read again; a file removed is gone; another directory is taken on
# a HUP.  The master reads the directory every 5 samples, so each change
# is waited for up to 15 s.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');
my $promtool = VitalsTest::find_program('promtool');

my $t = VitalsTest->new(workers => 2);
my $tdir = $t->dir . '/textfile';
mkdir($tdir) or die "$tdir: $!";
my $conf = $t->dir . '/textfile.conf';
open(my $cf, '>', $conf) or die "$conf: $!";
print $cf "metric_names = snake_case\ntextfile_dir = $tdir\n";
close($cf);
$t->{app_args} = [ '--config', $conf ];

# Written whole, then renamed into place, as a cron job should.
sub put {
	my ($name, $text) = @_;
	my $tmp = "$tdir/.$name.tmp";
	open(my $fh, '>', $tmp) or die "$tmp: $!";
	print $fh $text;
	close($fh) or die "$tmp: $!";
	rename($tmp, "$tdir/$name") or die "$name: $!";
}

sub metrics { return $t->get('/metrics')->{body} // '' }

sub promtool_clean {
	my ($body, $what) = @_;
	SKIP: {
		skip('promtool is not installed (Debian package prometheus)', 1)
		    if !$promtool;
		my $file = $t->dir . '/metrics.txt';
		open(my $out, '>', $file) or die;
		print $out $body;
		close($out);
		my @said = `$promtool check metrics < $file 2>&1`;
		ok($? == 0 && !@said, "$what: promtool check metrics reports "
		    . 'nothing') or diag(@said);
	}
}

put('backup.prom', <<'EOF');
# HELP backup_last_success_timestamp_seconds When the last backup finished.
# TYPE backup_last_success_timestamp_seconds gauge
backup_last_success_timestamp_seconds{job="db"} 1764900000
# HELP backup_runs_total Backups run.
# TYPE backup_runs_total counter
backup_runs_total{job="db"} 42
EOF
$t->start;

my $m;
ok(wait_until(sub { $m = metrics(); $m =~ /^backup_runs_total\{job="db"\} 42$/m },
    timeout => 15), 'a good file appears in /metrics');
like($m, qr/^backup_last_success_timestamp_seconds\{job="db"\} 1764900000$/m,
    'with its gauge');
like($m, qr/^# HELP backup_runs_total Backups run\.\n# TYPE backup_runs_total counter\n/m,
    'its HELP and TYPE');
my $mtime = (stat("$tdir/backup.prom"))[9];
like($m, qr/^node_textfile_mtime_seconds\{file="\Q$tdir\E\/backup\.prom"\} $mtime$/m,
    'node_textfile_mtime_seconds{file} is its mtime');
like($m, qr/^node_textfile_scrape_error 0$/m, 'node_textfile_scrape_error 0');
like($m, qr/^node_scrape_collector_success\{collector="textfile"\} 1$/m,
    'the collector succeeds');
promtool_clean($m, 'a good file');
# What the collectors of issue 12 cost here, for the report.
diag(join("\n", $m =~ /^(vitals_collector_duration_seconds\{collector="(?:textfile|timex|time|hwmon|thermal_zone)"\} \S+)$/mg));
my $om = $t->get('/metrics',
    headers => [ 'Accept: application/openmetrics-text; version=1.0.0' ]);
like($om->{body}, qr/^# TYPE backup_runs counter\nbackup_runs_total\{job="db"\} 42$/m,
    'OpenMetrics: the counter family without _total');
like($om->{body}, qr/# EOF\n\z/, 'OpenMetrics: ends with # EOF');

# The bad ones, all at once.
put('malformed.prom', "# TYPE broken gauge\nbroken{x=\"1\" 1\n");
put('big.prom', "big_sample 1\n" x 6000);
put('dup.prom', "# TYPE backup_runs_total counter\nbackup_runs_total{job=\"web\"} 1\n");
put('own.prom', "node_load1 99\n");
put('stamp.prom', "stamped 1 1764900000000\n");
symlink("$tdir/nowhere", "$tdir/gone.prom") or die "symlink: $!";
mkdir("$tdir/adir.prom") or die "mkdir: $!";
ok(wait_until(sub { $m = metrics(); $m =~ /^node_textfile_scrape_error 1$/m },
    timeout => 15), 'bad files: node_textfile_scrape_error 1');
like($m, qr/^backup_runs_total\{job="db"\} 42$/m, 'the good file stays');
unlike($m, qr/^(?:broken|big_sample|stamped)\b/m,
    'nothing of the malformed, oversized and timestamped files');
unlike($m, qr/job="web"/, 'nothing of the duplicate-family file');
unlike($m, qr/^node_load1 99$/m, 'nothing of the own-family file');
my @files = $m =~ /^node_textfile_mtime_seconds\{file="[^"]*\/([^"\/]+)"\}/mg;
is_deeply(\@files, ['backup.prom'], 'mtime for the good file alone');
promtool_clean($m, 'bad files');

# One line per file, not one per scan.
sleep(6);
my $log = VitalsTest::_slurp($t->app_log);
for my $f (qw(malformed big dup own stamp gone adir)) {
	my @l = $log =~ /(event=textfile_error file="[^"]*\/$f\.prom".*)/g;
	is(scalar(@l), 1, "$f.prom: one log line") or diag(@l);
}
like($log, qr/file="[^"]*\/big\.prom" error="over 65536 bytes/, 'big.prom: why');
like($log, qr/file="[^"]*\/dup\.prom" error="family backup_runs_total collides with backup_runs_total of backup\.prom"/,
    'dup.prom: why');
like($log, qr/file="[^"]*\/own\.prom" error="family node_load1 collides with Vitals' own node_load1"/,
    'own.prom: why');
like($log, qr/file="[^"]*\/gone\.prom" error="cannot open: No such file/, 'gone.prom: why');
like($log, qr/file="[^"]*\/adir\.prom" error="not a regular file"/, 'adir.prom: why');
unlike($log, qr/level=err\b.*textfile/, 'no error-level line about them');

# The worker answered throughout: no 5xx, the body is the master's.
my $r = $t->get('/metrics');
is($r->{status}, 200, '/metrics answers 200');

# Replaced.
put('backup.prom', "# HELP backup_runs_total Backups run.\n# TYPE backup_runs_total counter\n"
    . "backup_runs_total{job=\"db\"} 43\n");
utime(1764900100, 1764900100, "$tdir/backup.prom") or die "utime: $!";
ok(wait_until(sub { $m = metrics(); $m =~ /^backup_runs_total\{job="db"\} 43$/m },
    timeout => 15), 'a file replaced: the new value');
like($m, qr/^node_textfile_mtime_seconds\{file="[^"]*\/backup\.prom"\} 1764900100$/m,
    'and its new mtime');
unlike($m, qr/^backup_last_success_timestamp_seconds/m, 'and not its old families');

# The bad ones removed, then the good one.
unlink(map { "$tdir/$_.prom" } qw(malformed big dup own stamp gone));
rmdir("$tdir/adir.prom");
ok(wait_until(sub { $m = metrics(); $m =~ /^node_textfile_scrape_error 0$/m },
    timeout => 15), 'the bad files removed: node_textfile_scrape_error 0');
unlink("$tdir/backup.prom");
ok(wait_until(sub { $m = metrics(); $m !~ /^backup_runs_total/m },
    timeout => 15), 'a file removed: gone from /metrics');
unlike($m, qr/^node_textfile_mtime_seconds/m, 'and no mtime left');
promtool_clean($m, 'an empty directory');

# Another directory on HUP, without a restart.
my $tdir2 = $t->dir . '/textfile2';
mkdir($tdir2) or die "$tdir2: $!";
open(my $f2, '>', "$tdir2/other.prom") or die;
print $f2 "other_dir_ok 1\n";
close($f2);
open($cf, '>', $conf) or die "$conf: $!";
print $cf "metric_names = snake_case\ntextfile_dir = $tdir2\n";
close($cf);
my $master = ($t->json($t->get('/status')) // {})->{pool}{master_pid};
ok($master && kill('HUP', $master), 'SIGHUP to the master');
ok(wait_until(sub { $m = metrics(); $m =~ /^other_dir_ok 1$/m },
    timeout => 15), 'textfile_dir changed on HUP: the new directory is read');
like($m, qr/^node_textfile_mtime_seconds\{file="\Q$tdir2\E\/other\.prom"\} \d+$/m,
    'with its path');

$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

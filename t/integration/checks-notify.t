#!/usr/bin/perl
# checks-notify.t: notify_command on the real stack.
#  - the database check's first state is a problem (db_config names a
#    socket nobody listens on): the command runs once for that transition,
#    with the check, the states, the summary, the value and the host in its
#    environment and /dev/null as stdin; no second run while nothing
#    changes; vitals_notify_runs_total{result="ok"} counts each run;
#  - a command that hangs (a shell waiting on sleep 60) is killed with its
#    whole process group at notify_timeout: counted as a timeout, logged,
#    and its sleep is gone.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

sub script {
	my ($t, $name, $body) = @_;
	my $f = $t->dir . "/$name";
	open(my $fh, '>', $f) or die "$f: $!";
	print $fh "#!/bin/sh\n$body";
	close($fh);
	chmod(0755, $f);
	return $f;
}
sub nowhere_db {
	my ($t) = @_;
	my $cnf = $t->dir . '/nowhere.cnf';
	open(my $fh, '>', $cnf) or die;
	print $fh "[vitals]\nsocket = " . $t->dir . "/nobody.sock\n"
	    . "user = vitals\npassword = x\ndatabase = vitals\n";
	close($fh);
	return $cnf;
}
sub metric {
	my ($t, $re) = @_;
	my $m = $t->get('/metrics')->{body} // '';
	return $m =~ /^$re (\d+)$/m ? $1 : undef;
}

# --- once per transition ------------------------------------------------------
{
	my $t = VitalsTest->new(workers => 2);
	my $out = $t->dir . '/notify.out';
	my $cmd = script($t, 'notify.sh', 'read line; echo "check=$VITALS_CHECK '
	    . 'state=$VITALS_STATE previous=$VITALS_PREVIOUS '
	    . 'value=$VITALS_VALUE threshold=$VITALS_THRESHOLD '
	    . 'since=$VITALS_SINCE host=$VITALS_HOST stdin=[$line] '
	    . "summary=\$VITALS_SUMMARY\" >> $out\n");
	$t->{app_args} = [ '--db-config', nowhere_db($t), '--check-hold', '1',
	    '--health-interval', '0.5', '--notify-command', $cmd ];
	$t->start;
	my $line = VitalsTest::wait_until(sub {
		my @l = grep { /^check=database / } split(/\n/,
		    VitalsTest::slurp($out) // '');
		return $l[0];
	}, timeout => 15, interval => 0.2);
	ok($line, 'the command ran for the database check') or
	    diag($t->log_text('vitals.log'));
	$line //= '';
	like($line, qr/ state=critical previous=unknown /,
	    'VITALS_STATE critical, VITALS_PREVIOUS unknown');
	like($line, qr/ value=\d+ threshold= since=\d{13} /,
	    'VITALS_VALUE, VITALS_THRESHOLD (none), VITALS_SINCE in ms');
	like($line, qr/ host=\S+ /, 'VITALS_HOST');
	like($line, qr/ stdin=\[\] /, 'stdin is /dev/null');
	like($line, qr/ summary=Database unreachable for \d+ s$/,
	    'VITALS_SUMMARY');
	sleep(3);
	my @all = split(/\n/, VitalsTest::slurp($out) // '');
	is(scalar(grep { /^check=database / } @all), 1,
	    'once: no second run while the state holds');
	my $runs = VitalsTest::wait_until(sub {
		my $n = metric($t, 'vitals_notify_runs_total\{result="ok"\}');
		return defined $n && $n == scalar(@all) ? $n : undef;
	}, timeout => 5, interval => 0.2);
	is($runs, scalar(@all), 'vitals_notify_runs_total{result="ok"} counts '
	    . 'every run (' . scalar(@all) . ')');
	like($t->log_text('vitals.log'), qr/event=notify_done\ check=database
	    \ to=critical/x, 'the run is logged');
	$t->nginx_log_ok;
	ok($t->stop, 'stopped');
}

# --- a command that hangs ----------------------------------------------------------
{
	my $t = VitalsTest->new(workers => 2);
	my $pidf = $t->dir . '/sleep.pid';
	my $cmd = script($t, 'hang.sh', "sleep 60 &\necho \$! >> $pidf\nwait\n");
	$t->{app_args} = [ '--db-config', nowhere_db($t), '--check-hold', '1',
	    '--health-interval', '0.5', '--notify-command', $cmd,
	    '--notify-timeout', '1' ];
	$t->start;
	my $t0 = time;
	my $n = VitalsTest::wait_until(sub {
		metric($t, 'vitals_notify_runs_total\{result="timeout"\}')
	}, timeout => 20, interval => 0.2);
	ok($n, sprintf('a timeout counted (%.1f s after the start)', time - $t0));
	like($t->log_text('vitals.log'), qr/event=notify_timeout\ check=\w+
	    \ to=\w+\ pid=\d+\ timeout_ms=1000/x, 'and logged');
	my ($first) = split(/\n/, VitalsTest::slurp($pidf) // '');
	ok($first, "the hanging command's sleep had pid " . ($first // '?'));
	my $gone = VitalsTest::wait_until(sub {
		my $st = VitalsTest::slurp("/proc/$first/stat");
		return !defined $st || $st =~ /^\d+ \(.*\) Z/;
	}, timeout => 5, interval => 0.1);
	ok($gone, 'its sleep, in the same process group, was killed too');
	is(metric($t, 'vitals_notify_runs_total\{result="ok"\}'), 0,
	    'no run counted ok');
	$t->nginx_log_ok;
	ok($t->stop, 'stopped');
}
done_testing();

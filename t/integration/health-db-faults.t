#!/usr/bin/perl
# health-db-faults.t: /health when the database misbehaves in ways a
# stopped server does not:
#  - a listener that accepts connections and never answers: 503
#    "timeout" within the deadline + 100 ms, every time;
#  - a wrong password in the option file: 503 "auth", and neither the
#    password nor the driver's message reaches any response.
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd');

my $DEADLINE = 400;

# --- a silent listener ------------------------------------------------------------
{
	my $t = VitalsTest->new(workers => 2);
	my $sock = $t->dir . '/silent.sock';
	my $silent = IO::Socket::UNIX->new(Type => SOCK_STREAM,
	    Local => $sock, Listen => 64) or die "listen: $!";
	my $cnf = $t->dir . '/silent.cnf';
	open(my $fh, '>', $cnf) or die;
	print $fh "[vitals]\nsocket = $sock\nuser = vitals\n"
	    . "password = not-used\ndatabase = vitals\n";
	close($fh);
	$t->{app_args} = [ '--db-config', $cnf, '--health-timeout', $DEADLINE,
	    '--health-cache', '0' ];
	$t->start;
	my ($worst, $ok) = (0, 0);
	for (1 .. 4) {
		my $r = $t->get('/health', timeout => 10);
		my $j = $t->json($r) // {};
		$ok++ if $r->{status} == 503 && ($j->{db}{error} // '') eq 'timeout';
		sleep(0.2);
	}
	is($ok, 4, 'a listener that never answers: 503 timeout, 4 of 4');
	# nginx's own request_time: the server's figure, not curl's start-up.
	for my $line (split(/\n/, $t->log_text('nginx-access.log'))) {
		next if $line !~ m{"GET /health HTTP} ||
		    $line !~ /request_time=([0-9.]+)/;
		$worst = $1 * 1000 if $1 * 1000 > $worst;
	}
	ok($worst >= $DEADLINE - 50 && $worst < $DEADLINE + 100,
	    sprintf('each at the deadline, within + 100 ms (worst %.0f ms, '
	    . 'deadline %d)', $worst, $DEADLINE));
	is($t->get('/health/live')->{status}, 200, '/health/live stays 200');
	$t->nginx_log_ok;
	ok($t->stop, 'stopped');
}

# --- a wrong password -------------------------------------------------------------
{
	my $t = VitalsTest->new(db => 1, workers => 2);
	my $cnf = $t->dir . '/wrong.cnf';
	my $secret = 'Wr0ng-Pa55-' . int(rand(1e9));
	open(my $fh, '>', $cnf) or die;
	printf $fh "[vitals]\nsocket = %s\nuser = vitals\npassword = %s\n"
	    . "database = vitals\n", $t->db_socket, $secret;
	close($fh);
	$t->{app_args} = [ '--db-config', $cnf ];
	$t->start;
	my $r = $t->get('/health');
	my $j = $t->json($r) // {};
	is($r->{status}, 503, 'a wrong password: 503');
	is($j->{db}{error}, 'auth', 'error: auth');
	my @bodies = map { $t->get($_)->{body} // '' }
	    ('/health', '/health/ready', '/status?full', '/api/metrics',
	    '/metrics');
	ok(!grep({ index($_, $secret) >= 0 } @bodies),
	    'the password is in no response');
	ok(!grep({ /Access denied|using password|mysqld\.sock/ } @bodies),
	    'nor the driver\'s message or the socket path');
	like($t->log_text('vitals.log'), qr/event=health_probe_failed category=auth/,
	    'the log says what failed');
	unlike($t->log_text('vitals.log'), qr/\Q$secret\E/,
	    'and not even the log has the password');
	$t->nginx_log_ok;
	ok($t->stop, 'stopped');
}
done_testing();

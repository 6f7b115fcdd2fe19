#!/usr/bin/perl
# socket-listen.t: the --listen path.  `vitals --listen PATH` creates its
# own Unix socket (with --socket-mode) and serves through nginx; `--listen
# HOST:PORT` serves FastCGI over TCP; SIGTERM stops the pool with status 0.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack();

my $t = VitalsTest->new(app_mode => 'listen', workers => 2);
$t->start;

my $r = $t->get('/health/live');
is($r->{status}, 200, '--listen PATH: GET /health/live through nginx is 200');
is(($t->json($r) // {})->{status}, 'ok', 'status ok');
my $sock = $t->socket_path;
is(sprintf('%04o', (stat $sock)[2] & 07777), '0660',
    '--socket-mode 0660 is applied');
my $master = $t->pid('vitals');
ok(VitalsTest::holds_socket($master, VitalsTest::listening_inode($sock)),
    'the master holds the listening socket');
like($t->log_text('vitals.log'), qr/event=start\b.*\bsource=listen\b/,
    'the master created it (source=listen)');

# Another pool, run by the test itself: a Unix socket with another mode.
my $bin = $ENV{VITALS_BIN};
my $other = $t->dir . '/run/other.sock';
my $pid = $t->spawn([$bin, '--listen', $other, '--socket-mode', '0600',
    '--workers', '2'], log => $t->log_path('other.log'));
ok(wait_until(sub { $t->fcgi_request($other, timeout => 2)->{status} == 200 },
    timeout => 10), '--listen PATH (by hand): serves');
is(sprintf('%04o', ((stat $other)[2] // 0) & 07777), '0600',
    '--socket-mode 0600 is applied');
my $status = $t->reap($pid, signal => 'TERM', timeout => 20);
is($status, 0, 'SIGTERM: the pool exits with status 0');

# TCP on loopback.
my $port = VitalsTest::free_port();
$pid = $t->spawn([$bin, '--listen', "127.0.0.1:$port", '--workers', '2'],
    log => $t->log_path('tcp.log'));
my $f;
ok(wait_until(sub {
	$f = $t->fcgi_request("127.0.0.1:$port", timeout => 2);
	$f->{status} == 200 }, timeout => 10),
    "--listen 127.0.0.1:PORT: FastCGI GET /health/live is 200") or
    diag($f->{error} // '', "\n", $t->log_text('tcp.log'));
is(eval { JSON::PP::decode_json($f->{body}) }->{status}, 'ok',
    '--listen HOST:PORT: status ok');
$status = $t->reap($pid, signal => 'TERM', timeout => 20);
is($status, 0, 'SIGTERM: the TCP pool exits with status 0');

# The sample configuration that `make install` installs is accepted.
my $sample = ($ENV{VT_BUILDDIR} // '') . '/conf/vitals.conf';
SKIP: {
	skip('no rendered conf/vitals.conf in VT_BUILDDIR', 2) if !-f $sample;
	my $s = $t->dir . '/run/sample.sock';
	$pid = $t->spawn([$bin, '--config', $sample, '--listen', $s,
	    '--workers', '2'], log => $t->log_path('sample.log'));
	ok(wait_until(sub { $t->fcgi_request($s, timeout => 2)->{status} ==
	    200 }, timeout => 10), 'the installed sample configuration works')
	    or diag($t->log_text('sample.log'));
	is($t->reap($pid, signal => 'TERM', timeout => 20), 0,
	    'SIGTERM: exit status 0');
}

# A bad configuration: exit status 78 (EX_CONFIG), naming file, line, key.
my $bad = $t->dir . '/etc/bad.conf';
open(my $fh, '>', $bad) or die "$bad: $!";
print $fh "log_level = info\nworkers = many\n";
close($fh);
$pid = $t->spawn([$bin, '--config', $bad], log => $t->log_path('bad.log'));
is(($t->reap($pid, timeout => 10) // -1) >> 8, 78,
    'a bad configuration exits with 78');
like($t->log_text('bad.log'), qr/\Q$bad\E:2:.*workers/,
    'the message names the file, the line and the key');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

#!/usr/bin/perl
# socket-spawn.t: the spawn-fcgi path.  spawn-fcgi (through the shipped
# conf/spawn/vitals-spawn) creates the socket with mode 0660 and hands it to
# the master as fd 0; the pool serves through nginx and straight over
# FastCGI.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(app_mode => 'spawn', workers => 2);
$t->start;

my $r = $t->get('/health/live');
is($r->{status}, 200, 'GET /health/live through nginx is 200');
is(($t->json($r) // {})->{status}, 'ok', 'status ok');

my $sock = $t->socket_path;
ok(-S $sock, 'the socket exists');
is(sprintf('%04o', (stat $sock)[2] & 07777), '0660', 'its mode is 0660');

my $master = $t->pid('vitals');
ok($master && kill(0, $master), 'the master runs');
ok(VitalsTest::holds_socket($master, VitalsTest::listening_inode($sock)),
    'the master holds the listening socket');
like($t->log_text('vitals.log'), qr/event=start\b.*\bsource=stdin\b/,
    'the master took it from fd 0 (source=stdin)');
open(my $fh, '<', "/proc/$master/comm");
is(<$fh> // '', "vitals\n", 'spawn-fcgi replaced itself with vitals');
ok(wait_until(sub { $t->session_pids('vitals') >= 3 }, timeout => 5),
    'the master and two workers run');

# Straight to the socket, as nginx does it.
my $f = $t->fcgi_request($sock, uri => '/health/live');
is($f->{status}, 200, 'FastCGI GET /health/live is 200') or
    diag($f->{error} // '', $f->{raw} // '');
like($f->{headers}{'content-type'} // '', qr{^application/json},
    'FastCGI: JSON content type');
$f = $t->fcgi_request($sock, method => 'HEAD', uri => '/health/live');
is($f->{status}, 200, 'FastCGI HEAD /health/live is 200');
is($f->{body}, '', 'FastCGI HEAD: the pool sends no body');
$f = $t->fcgi_request($sock, uri => '/nope?x=1');
is($f->{status}, 404, 'FastCGI GET /nope is 404');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
ok(!-e $sock, 'the socket is removed');
done_testing();

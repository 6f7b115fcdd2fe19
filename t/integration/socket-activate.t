#!/usr/bin/perl
# socket-activate.t: the systemd socket-activation path.
# systemd-socket-activate -l PATH creates the socket and starts vitals with
# it on fd 3 (LISTEN_FDS=1, LISTEN_PID); the pool serves through nginx.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('systemd-socket-activate');

my $t = VitalsTest->new(app_mode => 'activate', workers => 2);
$t->start;

my $r = $t->get('/health/live');
is($r->{status}, 200, 'GET /health/live through nginx is 200');
is(($t->json($r) // {})->{status}, 'ok', 'status ok');

my $master = $t->pid('vitals');
open(my $fh, '<', "/proc/$master/environ");
my %env = map { split(/=/, $_, 2) } split(/\0/, do { local $/; <$fh> // '' });
is($env{LISTEN_FDS}, 1, 'the master was given LISTEN_FDS=1');
is($env{LISTEN_PID}, $master, 'LISTEN_PID is the master');
ok(VitalsTest::holds_socket($master,
    VitalsTest::listening_inode($t->socket_path)),
    'the master holds the listening socket');
like($t->log_text('vitals.log'), qr/event=start\b.*\bsource=systemd\b/,
    'the master took it from systemd (source=systemd)');
ok(wait_until(sub { $t->session_pids('vitals') >= 3 }, timeout => 5),
    'the master and two workers run');

my $f = $t->fcgi_request($t->socket_path);
is($f->{status}, 200, 'FastCGI straight to the socket is 200');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

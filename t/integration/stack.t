#!/usr/bin/perl
# stack.t: the harness itself.  `./stack up` twice is fine (the second
# reloads nginx and keeps the pool), `status` shows the pids, `down` stops
# every process it started and is fine when nothing runs.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new;
$t->{started} = 1;	# stop() in END even if a step below dies

is($t->stack('down'), 0, 'down with nothing up is fine');
is($t->stack(qw(up --no-deps --no-build --no-db)), 0, 'up')
    or diag($t->last_stack_output);
like($t->last_stack_output, qr{https://127\.0\.0\.1:\d+/},
    'up prints the URLs');
my $pool = $t->pid('vitals');
my $nginx = $t->pid('nginx');
ok($pool && $nginx, 'pid files for the pool and nginx');
is($t->get('/health/live')->{status}, 200, 'the stack serves');

is($t->stack(qw(up --no-deps --no-build --no-db)), 0, 'up again') or
    diag($t->last_stack_output);
is($t->pid('vitals'), $pool, 'the pool kept running');
is($t->pid('nginx'), $nginx, 'nginx kept running (reloaded)');
is($t->get('/health/live')->{status}, 200, 'the stack still serves');

is($t->stack('status'), 0, 'status');
like($t->last_stack_output, qr/^pool\s+running\s+leader $pool\b/m,
    'status shows the pool and its pid');
like($t->last_stack_output, qr/^nginx\s+running\s+leader $nginx\b/m,
    'status shows nginx and its pid');
like($t->last_stack_output, qr/^mariadb\s+stopped/m,
    'status shows what does not run');

my @procs = ($t->session_pids('vitals'), $t->session_pids('nginx'));
ok(@procs >= 4, 'masters and workers run: ' . scalar(@procs));
ok($t->stop, 'down leaves no process');
my @alive = grep { _alive($_) } @procs;
ok(!@alive, 'none of those processes is left') or diag("alive: @alive");
is($t->stack('down'), 0, 'down again is fine');
ok(!-e $t->socket_path, 'no socket left');

sub _alive {
	my ($pid) = @_;
	open(my $fh, '<', "/proc/$pid/stat") or return 0;
	my $s = <$fh> // '';
	return $s !~ /\) Z /;
}

$t->nginx_log_ok;
done_testing();

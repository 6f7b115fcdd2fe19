#!/usr/bin/perl
# checks-listeners.t: the listeners and close_wait checks on the real
# stack, each fault induced for real and read back from GET /api/checks.
#  - a process of this test listens on 127.0.0.1 with a backlog of 2 and
#    never accepts; three clients fill its queue (the kernel takes
#    backlog + 1): within a few seconds `listeners` is critical, and once
#    a process-scan tick has resolved the owner (every fifth sample) its
#    summary names the address:port and the process by name and pid;
#    closed, the check returns to ok after check_clear;
#  - a server accepts 100 connections and never closes them while its
#    clients hang up: `close_wait` warns (check_close_wait_warning is 50
#    here) naming the holder by name and pid; once the server exits, ok.
#    The TCP states are counted every few ticks, at most 10 apart
#    (tcp_diag.h): the warning may take that long.
# The times from each fault to the state seen are printed.
use strict;
use warnings;
use Test::More;
use IO::Socket::INET;
use Time::HiRes qw(sleep time);
use VitalsTest;
use VitalsSockets;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new(workers => 2, app_args => [ '--check-hold', '1',
    '--check-clear', '2', '--check-close-wait-warning', '50' ]);
$t->start;

sub checks { $t->json($t->get('/api/checks')) // {} }
sub item {
	my ($j, $name) = @_;
	return (grep { $_->{name} eq $name } @{ $j->{items} // [] })[0] // {};
}




ok(wait_until(sub { item(checks(), 'listeners')->{state} eq 'ok'
    && item(checks(), 'close_wait')->{state} eq 'ok' },
    timeout => 15, interval => 0.2), 'listeners and close_wait ok before')
    or diag(explain(checks()));

# --- a listener that never accepts ------------------------------------------
my ($hold, $port) = VitalsSockets::hold($t, 'vt-chk-listen', 2, 0);
my $comm = VitalsSockets::comm_of($hold);
my @clients;
my $t0 = time;
for (1 .. 3) {
	my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $port, Timeout => 3) or die "connect: $!";
	push(@clients, $c);
}
my $it;
ok(wait_until(sub { $it = item(checks(), 'listeners');
    $it->{state} =~ /^(warning|critical)$/
    && ($it->{summary} // '') =~ /127\.0\.0\.1:$port\b/ },
    timeout => 10, interval => 0.2),
    sprintf('listeners %s naming 127.0.0.1:%d, %.1f s after the queue '
    . 'filled', $it->{state} // '?', $port, time - $t0))
    or diag(explain($it));
diag(sprintf('listeners: fault -> %s seen in %.1f s', $it->{state} // '?',
    time - $t0));
is($it->{state}, 'critical', 'critical: queue 3 of backlog 2 is past 90 %');
is($it->{unit}, 'percent', 'its value is a percent');
is($it->{value}, 150, 'value 150 (3 of 2)');
is($it->{chart}, 'net', 'it links to the network chart');
ok(wait_until(sub { $it = item(checks(), 'listeners');
    ($it->{summary} // '') =~ /\(\Q$comm\E pid $hold\)/ },
    timeout => 25, interval => 0.2),
    sprintf('after a process-scan tick it names the process, %.1f s after '
    . 'the fault', time - $t0)) or diag(explain($it));
diag(sprintf('listeners: fault -> owner named in %.1f s', time - $t0));
is($it->{summary}, "Listener 127.0.0.1:$port ($comm pid $hold) queue 3 of "
    . '2 (full)', "the summary: $it->{summary}");
my $j = checks();
like($j->{headline}, qr/Listener 127\.0\.0\.1:$port \(\Q$comm\E pid $hold\)/,
    "the headline names it: $j->{headline}");
like($j->{verdict}, qr/^(warning|critical)$/, "the verdict ($j->{verdict})");
like($t->log_text('vitals.log'), qr/event=check_transition
    \ check=listeners\ from=ok\ to=(?:warning|critical)\ /x,
    'the transition is logged');

close($_) for @clients;
$t->reap($hold, signal => 'TERM');
$t0 = time;
ok(wait_until(sub { item(checks(), 'listeners')->{state} eq 'ok' },
    timeout => 15, interval => 0.2),
    sprintf('listeners ok again %.1f s after the listener closed (clear '
    . '2 s)', time - $t0)) or diag(explain(item(checks(), 'listeners')));
diag(sprintf('listeners: closed -> ok in %.1f s', time - $t0));

# --- a server that never closes ------------------------------------------------
my ($cw, $cwport) = VitalsSockets::hold($t, 'vt-chk-cwait', 128, 100);
my $cwcomm = VitalsSockets::comm_of($cw);
@clients = ();
for (1 .. 100) {
	my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $cwport, Timeout => 3) or die "connect: $!";
	push(@clients, $c);
}
ok(wait_until(sub { -e $t->dir . '/vt-chk-cwait.port.done' },
    timeout => 10), 'the server accepted 100 connections');
close($_) for @clients;
$t0 = time;
ok(wait_until(sub { $it = item(checks(), 'close_wait');
    $it->{state} eq 'warning' }, timeout => 15, interval => 0.2),
    sprintf('close_wait warning %.1f s after the clients hung up',
    time - $t0)) or diag(explain($it));
diag(sprintf('close_wait: fault -> warning seen in %.1f s', time - $t0));
cmp_ok($it->{value} // 0, '>=', 100, "its value counts the 100 ($it->{value})");
is($it->{threshold}, 50, 'threshold 50, from the config');
ok(wait_until(sub { $it = item(checks(), 'close_wait');
    ($it->{summary} // '') =~ /most held by \Q$cwcomm\E pid $cw$/ },
    timeout => 25, interval => 0.2),
    sprintf('it names the holder after a process-scan tick, %.1f s after '
    . 'the fault', time - $t0)) or diag(explain($it));
diag(sprintf('close_wait: fault -> holder named in %.1f s', time - $t0));
my $want = '^CLOSE_WAIT \d+(?: and rising for \d+ min)?; most held by '
    . "\Q$cwcomm\E pid $cw\$";
like($it->{summary}, qr/$want/, "the summary: $it->{summary}");
like(checks()->{headline}, qr/most held by \Q$cwcomm\E pid $cw/,
    'the headline names the holder');

$t->reap($cw, signal => 'TERM');
$t0 = time;
ok(wait_until(sub { item(checks(), 'close_wait')->{state} eq 'ok' },
    timeout => 15, interval => 0.2),
    sprintf('close_wait ok again %.1f s after the server exited',
    time - $t0)) or diag(explain(item(checks(), 'close_wait')));
diag(sprintf('close_wait: server exited -> ok in %.1f s', time - $t0));
like($t->log_text('vitals.log'), qr/event=check_transition
    \ check=close_wait\ from=warning\ to=ok\ /x, 'the recovery is logged');

$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

#!/usr/bin/perl
# checks-database.t: the database check on the real stack.  MariaDB
# stopped: within a few seconds GET /api/checks says `database` critical
# with "unreachable", the verdict is critical, the transition is logged and
# counted in /metrics, /api/metrics carries the same block and the health
# block says "unreachable"; nobody requests /health meanwhile (the
# recorder's probe refreshes the result).  Started again: ok.  The
# endpoint's shape, no-store, HEAD and 405 too.
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi', 'mariadbd');

my @ORDER = qw(database pool_queue pool_restarts listeners listen_overflows
    close_wait filesystem memory cpu file_descriptors sampler);
my $t = VitalsTest->new(db => 1, workers => 2, app_args => [
    '--check-hold', '1', '--check-clear', '2', '--health-interval', '0.5' ]);
$t->start;

sub checks { $t->json($t->get('/api/checks')) // {} }
sub item {
	my ($j, $name) = @_;
	return (grep { $_->{name} eq $name } @{ $j->{items} // [] })[0] // {};
}

my $j = VitalsTest::wait_until(sub {
	my $x = checks();
	return item($x, 'database')->{state} eq 'ok' ? $x : undef;
}, timeout => 15, interval => 0.2);
ok($j, 'the database check is ok with MariaDB up')
    or diag(explain(checks()));
$j //= checks();
is_deeply([ map { $_->{name} } @{ $j->{items} // [] } ], \@ORDER,
    'eleven checks, in the fixed order');
like(item($j, 'database')->{summary}, qr/^Database answered in [0-9.]+ ms$/,
    'the summary says how fast it answered');
ok(defined $j->{sample_age_ms} && $j->{sample_age_ms} < 5000,
    "sample_age_ms ($j->{sample_age_ms})");
like($j->{verdict}, qr/^(ok|warning|critical)$/, "a verdict ($j->{verdict})");
ok(length($j->{headline} // '') > 0, "a headline ($j->{headline})");
is(item($j, 'database')->{chart}, 'db', 'chart db');

my $r = $t->get('/api/checks');
is($r->{headers}{'cache-control'}, 'no-store', 'Cache-Control: no-store');
like($r->{headers}{'content-type'}, qr{^application/json}, 'JSON');
my $h = $t->head('/api/checks');
is($h->{status}, 200, 'HEAD 200');
is($h->{body}, '', 'HEAD: no body');
my $p = $t->post('/api/checks', body => 'x');
is($p->{status}, 405, 'POST 405');
like($p->{body}, qr/method not allowed/, 'the JSON error of the other routes');

# --- stopped -----------------------------------------------------------------
is($t->stack('stop', 'db'), 0, 'MariaDB stopped');
my $t0 = time;
$j = VitalsTest::wait_until(sub {
	my $x = checks();
	return item($x, 'database')->{state} eq 'critical' ? $x : undef;
}, timeout => 20, interval => 0.2);
my $took = time - $t0;
ok($j, sprintf('database critical %.1f s after the stop', $took))
    or diag(explain(checks()));
ok($took < 8, sprintf('within a few seconds (%.1f s, under 8)', $took));
$j //= {};
like(item($j, 'database')->{summary}, qr/^Database unreachable for \d+ s$/,
    'the summary says unreachable: ' . (item($j, 'database')->{summary} // ''));
is($j->{verdict}, 'critical', 'the verdict is critical');
like($j->{headline}, qr/^Database unreachable for \d+ s/,
    'the headline starts with it');
like($t->log_text('vitals.log'), qr/event=check_transition\ check=database
    \ from=ok\ to=critical\ value=\d+\ threshold=null\ summary="Database
    \ unreachable\ for\ \d+\ s"/x, 'one log line for the transition')
    or diag(grep { /check_transition/ } split(/\n/, $t->log_text('vitals.log')));

my $m = $t->get('/metrics')->{body} // '';
like($m, qr/^vitals_check_state\{check="database",state="critical"\} 1$/m,
    '/metrics: vitals_check_state critical 1');
like($m, qr/^vitals_check_state\{check="database",state="ok"\} 0$/m,
    '/metrics: and ok 0');
like($m, qr/^vitals_check_transitions_total\{check="database",to="critical"\} 1$/m,
    '/metrics: one transition to critical');
like($m, qr/^vitals_check_value\{check="database"\} \d+/m,
    '/metrics: the value');
like($m, qr/^vitals_sampler_checks_duration_seconds \d/m,
    "/metrics: the engine's cost");

my $am = $t->json($t->get('/api/metrics')) // {};
is($am->{health}{status}, 'unreachable', '/api/metrics: health unreachable');
is(item($am->{checks} // {}, 'database')->{state}, 'critical',
    '/api/metrics: the same checks block');

# --- started again -----------------------------------------------------------
is($t->stack('start', 'db'), 0, 'MariaDB started again');
$t0 = time;
$j = VitalsTest::wait_until(sub {
	my $x = checks();
	return item($x, 'database')->{state} eq 'ok' ? $x : undef;
}, timeout => 30, interval => 0.2);
ok($j, sprintf('database ok again %.1f s after the start', time - $t0))
    or diag(explain(checks()));
like($t->log_text('vitals.log'), qr/event=check_transition\ check=database
    \ from=critical\ to=ok\ /x, 'the recovery is logged');
$m = $t->get('/metrics')->{body} // '';
like($m, qr/^vitals_check_transitions_total\{check="database",to="ok"\} 1$/m,
    '/metrics: one transition to ok');
$am = $t->json($t->get('/api/metrics')) // {};
is($am->{health}{status}, 'ok', '/api/metrics: health ok');

$t->nginx_log_ok;
ok($t->stop, 'stopped');
done_testing();

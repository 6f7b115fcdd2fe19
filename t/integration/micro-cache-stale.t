#!/usr/bin/perl
# micro-cache-stale.t: the micro-cache in front of /api/metrics never hides
# a dead pool for long (issue 17, item 5).  A poller asks for /api/metrics
# every 200 ms while the pool is stopped: within the bound (the entry's one
# second of validity, counted in whole seconds by nginx, so at most about
# two, then at most one of stale-while-revalidate) every answer is a 5xx
# in the site's JSON error shape, and no 200
# comes after it; started again, the pool answers 200 with a fresh sample.
# The same with a hung pool (master and workers SIGSTOPped): no old 200
# after the bound, whatever the stuck requests do.
#
# Figures printed: when the last 200 came, when the first 5xx came, after
# the pool stopped.
use strict;
use warnings;
use JSON::PP;
use POSIX qw(_exit);
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

# The bound: one second of validity, rounded up to whole seconds by nginx,
# one second of stale-while-revalidate (the site's routes say why), and a
# little for this loaded machine.
my $BOUND = 4;
# How long the poller goes on after the pool stopped.
my $WATCH = 7;
my $INTERVAL = 0.2;

my $t = VitalsTest->new;
$t->start;

ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
    timeout => 15, interval => 0.2), 'the pool has a sample');

# error_shape(RESPONSE): true when it is the site's JSON error for its
# own status.
sub error_shape {
	my ($r) = @_;
	return 0 if ($r->{headers}{'content-type'} // '') !~
	    m{^application/json};
	my $doc = eval { JSON::PP->new->decode($r->{body}) };
	return ref($doc) eq 'HASH' && ref($doc->{error}) eq 'HASH' &&
	    ($doc->{error}{status} // 0) == $r->{status} &&
	    ($doc->{error}{message} // '') ne '';
}

# poll(SECONDS, %o): GET /api/metrics every 200 ms for at most SECONDS,
# each request given o{timeout} s; the code ref o{during} is called after
# each answer, and the polling ends early when o{until} returns true.
# Returns [ { t => when (epoch s), status, shape => the JSON error shape,
# ts => the sample's timestamp_ms } ].
sub poll {
	my ($seconds, %o) = @_;
	my $start = time;
	my @seen;
	my $next = $start;
	while (time < $start + $seconds && !($o{until} && $o{until}->())) {
		my $r = $t->get('/api/metrics', timeout => $o{timeout} // 5);
		my $doc = $r->{status} == 200 ?
		    eval { JSON::PP->new->decode($r->{body}) } : undef;
		push(@seen, { t => time, status => $r->{status},
		    shape => $r->{status} >= 500 && error_shape($r),
		    ts => ref($doc) eq 'HASH' ? $doc->{timestamp_ms} : undef });
		$o{during}->() if $o{during};
		$next += $INTERVAL;
		my $left = $next - time;
		sleep($left) if $left > 0;
	}
	return \@seen;
}

# A poller that has the entry cached: most answers are HITs.
my $mark = length($t->log_text('nginx-access.log'));
my $warm = poll(3);
is(scalar(grep { $_->{status} != 200 } @$warm), 0,
    'a poller every 200 ms: all 200');
my $hits = () = substr($t->log_text('nginx-access.log'), $mark) =~
    m{"GET /api/metrics [^\n]*cache=HIT}g;
ok($hits >= 2, "the micro-cache answers some of them ($hits HITs of " .
    scalar(@$warm) . ')');

# report(NAME, SEEN, T0, MIN): the figures and the checks of one stop;
# MIN answers at least after it.  Returns the answers after the bound.
sub report {
	my ($name, $seen, $t0, $min) = @_;
	my @after = grep { $_->{t} >= $t0 } @$seen;
	my @ok = grep { $_->{status} == 200 } @after;
	my ($first5xx) = grep { $_->{status} >= 500 } @after;
	my $last200 = @ok ? $ok[-1]{t} - $t0 : 0;
	diag(sprintf('%s: %d answers after the stop; the last 200 %.2f s ' .
	    'after it, the first 5xx %s', $name, scalar(@after), $last200,
	    $first5xx ? sprintf('%.2f s after it', $first5xx->{t} - $t0) :
	    'never'));
	ok(@after >= $min, "$name: the poller went on (" . scalar(@after) .
	    ' answers)');
	cmp_ok($last200, '<=', $BOUND,
	    "$name: no 200 more than $BOUND s after the stop");
	my @late = grep { $_->{t} - $t0 > $BOUND } @after;
	return \@late;
}

# --- The pool stopped --------------------------------------------------------

# The stop runs beside the poller; its end is when the pool is gone.
my $stopper = fork();
die "fork: $!" if !defined $stopper;
if ($stopper == 0) {
	my $rc = $t->stack('stop', 'app');
	_exit($rc);
}
my $t0;
my $seen = poll(60, during => sub {
	return if defined $t0;
	return if waitpid($stopper, POSIX::WNOHANG()) != $stopper;
	is($?, 0, './stack stop app');
	$t0 = time;
}, until => sub { defined $t0 && time > $t0 + $WATCH });
ok(defined $t0, 'the pool stopped while the poller polled') or
    BAIL_OUT('./stack stop app did not return');
my $late = report('stopped', $seen, $t0, 5);
ok(@$late >= 3 && !grep({ $_->{status} < 500 || !$_->{shape} } @$late),
    "stopped: after $BOUND s every answer is a 5xx in the JSON error " .
    'shape (' . join(' ', map { $_->{status} } @$late) . ')');

is($t->stack('start', 'app'), 0, 'the pool started again');
my $fresh;
ok(wait_until(sub {
	my $r = $t->get('/api/metrics');
	return 0 if $r->{status} != 200;
	my $doc = eval { JSON::PP->new->decode($r->{body}) };
	$fresh = ref($doc) eq 'HASH' ? $doc->{timestamp_ms} : undef;
	return defined $fresh && time * 1000 - $fresh < 3000;
}, timeout => 15, interval => 0.2), 'then 200 again, with a fresh sample');

# --- The pool hung -----------------------------------------------------------

# SIGSTOP on the master and the workers: nginx connects (the listen
# backlog) and waits for an answer that does not come.  A request gets a
# 504 after fastcgi_read_timeout or gives up first (here after 1 s); what
# must not happen is the old entry served as 200 past the bound.
poll(1.5);
my @pool = $t->session_pids('vitals');
ok(@pool >= 2, 'the pool: master and workers (' . scalar(@pool) . ')');
kill('STOP', @pool);
$t0 = time;
$seen = poll($WATCH, timeout => 1);
kill('CONT', @pool);
$late = report('hung', $seen, $t0, 3);
ok(!grep({ $_->{status} == 200 } @$late),
    "hung: after $BOUND s no answer is a 200 (" .
    join(' ', map { $_->{status} } @$late) . ')');
ok(wait_until(sub { $t->get('/api/metrics')->{status} == 200 },
    timeout => 20, interval => 0.5), 'resumed: 200 again');

# A stopped pool has no socket: nginx says so at [crit], once a request.
$t->nginx_log_ok(undef,
    allow => qr{connect\(\) to unix:\S+ failed \(2: No such file});
ok($t->stop, './stack down leaves no process');
done_testing();

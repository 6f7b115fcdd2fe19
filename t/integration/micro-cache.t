#!/usr/bin/perl
# micro-cache.t: nginx caches /api/metrics for one second, so a burst of
# clients costs the pool about one request a second; HEAD and GET are
# cached apart.  (Skipped while the pool has no /api/metrics.)
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(sleep time);
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new;
$t->start;

my $first = $t->get('/api/metrics');
if ($first->{status} == 404) {
	$t->stop;
	plan(skip_all => 'the pool has no /api/metrics yet');
}
is($first->{status}, 200, 'GET /api/metrics is 200');

my @burst = map { $t->get('/api/metrics') } 1 .. 20;
is(scalar(grep { $_->{status} == 200 } @burst), 20, 'a burst of 20: all 200');

sub to_pool {
	return scalar grep { m{"GET /api/metrics } && !/upstream_status=- / }
	    split(/\n/, $t->log_text('nginx-access.log'));
}
sub hits {
	return scalar grep { m{"GET /api/metrics .*cache=HIT} }
	    split(/\n/, $t->log_text('nginx-access.log'));
}
ok(hits() >= 10, 'most of the burst came from the cache: ' . hits());
ok(to_pool() <= 5, 'the pool saw few of them: ' . to_pool());

# A HEAD does not poison the cache for GET.
my $h = $t->head('/api/metrics');
is($h->{status}, 200, 'HEAD /api/metrics is 200');
my $g = $t->get('/api/metrics');
ok(length($g->{body}) > 0, 'a GET after a HEAD has a body');

# The entry expires: past its lifetime a request finds it expired and goes
# to the pool (EXPIRED; an expired entry is never served, see
# micro-cache-stale.t), and the answers change.  nginx counts the one
# second of validity in whole seconds, so an entry lives up to two: wait
# past that (1.5 s found a HIT now and then).
my $old = $t->get('/api/metrics')->{body};
sleep(2.1);
my $mark = length($t->log_text('nginx-access.log'));
$t->get('/api/metrics');
ok(wait_until(sub { substr($t->log_text('nginx-access.log'), $mark) =~
    m{"GET /api/metrics .*cache=(?:STALE|UPDATING|EXPIRED|MISS)} },
    timeout => 5), 'after a second the entry is refreshed');
ok(wait_until(sub { $t->get('/api/metrics')->{body} ne $old },
    timeout => 5, interval => 0.2), 'and the answer changes');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

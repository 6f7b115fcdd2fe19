#!/usr/bin/perl
# pool-recycle.t: --max-requests 50 under 1000 requests: workers recycle
# (about 1000/50 of them, with jitter) and not one request fails.
use strict;
use warnings;
use Test::More;
use VitalsTest;
use VitalsLoad;

VitalsTest::require_stack('spawn-fcgi', 'ab');

my $t = VitalsTest->new(workers => 2, app_args => [ '--max-requests', '50' ]);
$t->start;
my $s0 = $t->json($t->get('/status')) // {};
my $r = VitalsLoad::ab($t->url('/health/live'), n => 1000, c => 4);
is($r->{complete}, 1000, 'ab completed 1000 requests') or diag($r->{text});
is($r->{failed}, 0, 'none failed') or diag($r->{text});
is($r->{non2xx}, 0, 'none was non-2xx') or diag($r->{text});
my $s = $t->json($t->get('/status')) // {};
my $recycled = ($s->{counters}{restarts}{recycle} // 0) -
    ($s0->{counters}{restarts}{recycle} // 0);
ok($recycled >= 15 && $recycled <= 25,
    "workers recycled about every 50 requests ($recycled times)");
is($s->{counters}{restarts}{exit} + $s->{counters}{restarts}{signal}, 0,
    'no worker died otherwise');
is($s->{limits}{max_requests}, 50, '/status shows the limit');
is($s->{workers}{total}, 2, 'two workers after');
$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

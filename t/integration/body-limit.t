#!/usr/bin/perl
# body-limit.t: nginx refuses a 10 MB request body with 413 (as JSON) before
# anything reaches the pool, and the pool keeps serving.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new;
$t->start;

my $big = $t->dir . '/10M';
open(my $fh, '>', $big) or die "$big: $!";
print $fh 'x' x (1024 * 1024) for 1 .. 10;
close($fh);

for my $http ('1.1', '2') {
	my $r = $t->post('/health/live', body_file => $big, http => $http,
	    timeout => 30);
	is($r->{status}, 413, "HTTP/$http: a 10 MB body is refused with 413")
	    or diag($r->{error});
	my $j = $t->json($r) // {};
	is($j->{error}{status}, 413, "HTTP/$http: as JSON");
	is($t->get('/health/live', http => $http)->{status}, 200,
	    "HTTP/$http: the pool still answers");
}

# Refused by nginx: no 413 went to the pool.
my @lines = grep { /" 413 / } split(/\n/, $t->log_text('nginx-access.log'));
is(scalar @lines, 2, 'two 413 in the access log');
like($_, qr/upstream_status=- /, 'nginx answered the 413 itself')
    for @lines;

# A small body does reach the pool, which says 405.
is($t->post('/health/live', body => 'a=1')->{status}, 405,
    'a small POST reaches the pool (405)');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();

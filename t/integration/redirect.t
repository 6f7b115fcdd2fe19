#!/usr/bin/perl
# redirect.t: plain HTTP answers nothing itself: every request gets a 301 to
# the same path on HTTPS, on the configured (non-443) HTTPS port.
use strict;
use warnings;
use Test::More;
use VitalsTest;

VitalsTest::require_stack('spawn-fcgi');

my $t = VitalsTest->new;
$t->start;
my $https = $t->https_port;

for my $case (['GET', '/health/live'], ['GET', '/health/live?a=1&b=%20x'],
    ['HEAD', '/'], ['POST', '/health/live']) {
	my ($method, $path) = @$case;
	my $r = $t->request($method, $path, scheme => 'http',
	    $method eq 'POST' ? (body => 'x=1') : ());
	is($r->{status}, 301, "$method $path over HTTP is 301");
	is($r->{headers}{location}, "https://127.0.0.1:$https$path",
	    "$method $path: Location is the HTTPS URL with its port");
}

# Following the redirect ends on the pool.
my $r = $t->get('/health/live', scheme => 'http');
my $loc = $r->{headers}{location} // '';
my ($path) = $loc =~ m{^https://[^/]+(/.*)$};
is($t->get($path // '/')->{status}, 200, 'the redirect target answers 200');

$t->nginx_log_ok;
ok($t->stop, './stack down leaves no process');
done_testing();
